//! `POST /openai/v1/chat/completions`: a completion at once, or streamed chunk by chunk.

use super::resource;
use crate::facade::client::Call;
use crate::maybe_async;
use crate::ChatCompletionStream;
use groq_types::sdk::{Error, ResponseMode};
use groq_types::{ChatCompletion, CreateChatCompletionRequest};
use http::Method;

const PATH: &str = "/openai/v1/chat/completions";

resource! {
    /// Chat: `client.chat()`.
    Chat
}

impl<'c, M: ResponseMode> Chat<'c, M> {
    /// Chat completions: `client.chat().completions()`.
    pub fn completions(&self) -> Completions<'c, M> {
        Completions {
            handle: self.handle.clone(),
        }
    }
}

resource! {
    /// Chat completions: `client.chat().completions()`.
    Completions
}

impl<M: ResponseMode> Completions<'_, M> {
    /// Creates a completion and waits for the whole answer. A request with `stream: true` is refused: use
    /// [`create_stream`](Self::create_stream).
    #[maybe_async]
    pub async fn create(
        &self,
        request: &CreateChatCompletionRequest,
    ) -> Result<M::Output<ChatCompletion>, Error> {
        if request.stream == Some(true) {
            return Err(Error::InvalidRequest(
                "`stream` is true: call create_stream to receive the chunks".into(),
            ));
        }
        let call = self.handle.json_call(Method::POST, PATH, request)?;
        self.handle.json(call).await
    }

    /// Creates a completion and streams it chunk by chunk (`stream: true` is sent whatever the request
    /// says). Retries happen only until the response headers arrive; the stream then ends with `[DONE]`, or
    /// with an error if the server reports one or the connection is cut.
    #[maybe_async]
    pub async fn create_stream(
        &self,
        request: &CreateChatCompletionRequest,
    ) -> Result<M::Stream<ChatCompletionStream>, Error> {
        let mut options = self.handle.options.clone();
        if request.stream != Some(true) {
            options
                .extra_body
                .insert("stream".into(), serde_json::Value::Bool(true));
        }
        let mut call = Call::json(Method::POST, PATH, request, &options)?;
        call.accept = super::EVENT_STREAM;
        self.handle.streamed(call, ChatCompletionStream::new).await
    }
}
