//! `POST /openai/v1/chat/completions`: a completion at once, or streamed chunk by chunk.

use super::resource;
use crate::facade::client::Call;
use crate::maybe_async;
use crate::ChatCompletionStream;
use groq_types::sdk::{Error, RawStream, ResponseMode};
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
        let call = Call::json(Method::POST, PATH, request, &self.handle.options)?;
        let raw = self
            .handle
            .client
            .send_json(&call, &self.handle.options)
            .await?;
        M::output(raw)
    }

    /// Creates a completion and streams it chunk by chunk (`stream: true` is sent whatever the request
    /// says). Retries happen only until the response headers arrive; the stream then ends with `[DONE]`, or
    /// with an error if the server reports one or the connection is cut.
    #[maybe_async]
    pub async fn create_stream(
        &self,
        request: &CreateChatCompletionRequest,
    ) -> Result<M::Stream<ChatCompletionStream>, Error> {
        let options = &self.handle.options;
        let mut call = if request.stream == Some(true) {
            Call::json(Method::POST, PATH, request, options)?
        } else {
            let mut extra = options.extra_body.clone();
            extra.insert("stream".into(), serde_json::Value::Bool(true));
            let body = groq_types::sdk::request::json_body(request, &extra)?;
            let mut call = Call::get(Method::POST, PATH);
            call.body = crate::facade::client::CallBody::Json(body.into());
            call
        };
        call.accept = "text/event-stream";
        call.stream = true;
        let timeout = options
            .timeout
            .unwrap_or(self.handle.client.config().timeout);
        let (response, meta) = self.handle.client.send(&call, options).await?;
        Ok(M::stream(RawStream::new(
            meta,
            ChatCompletionStream::new(response, timeout),
        )))
    }
}
