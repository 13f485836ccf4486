//! `POST /openai/v1/chat/completions`: a completion at once, or streamed chunk by chunk.

use super::resource;
use crate::facade::client::Call;
use crate::facade::doc::example;
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
    ///
    #[doc = example!(use "types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest}"; r#"
let request = CreateChatCompletionRequest::from_messages(
    "llama-3.3-70b-versatile",
    [
        Message::system("You are a helpful assistant."),
        Message::user("Explain the importance of fast language models"),
    ],
)
.temperature(0.5)
.max_completion_tokens(1024);
let completion = client.chat().completions().create(&request)"#, aw!(), r#"?;
println!("{}", completion.content().unwrap_or_default());
if let Some(usage) = &completion.usage {
    println!("{} tokens", usage.total_tokens);
}"#)]
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
    ///
    /// Each item is a chunk, or the error that ended the stream; `accumulate()` reads the rest and
    /// assembles the whole completion.
    ///
    #[doc = example!(use "types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest}"; doc_stream_ext!(), r#"
let request = CreateChatCompletionRequest::from_messages(
    "llama-3.3-70b-versatile",
    [Message::user("Explain the importance of fast language models")],
);
let mut stream = client.chat().completions().create_stream(&request)"#, aw!(), r#"?;
while let Some(chunk) = stream.next()"#, aw!(), r#" {
    let chunk = chunk?;
    print!("{}", chunk.delta_content().unwrap_or_default());
    if let Some(usage) = chunk.stream_usage() {
        println!("\n[{} tokens]", usage.total_tokens);
    }
}"#)]
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
        // Asked for with `Accept: application/json`, as the official SDKs ask (the published spec gives
        // the answer no other type); the answer must still be an event stream.
        call.events = true;
        self.handle.streamed(call, ChatCompletionStream::new).await
    }
}
