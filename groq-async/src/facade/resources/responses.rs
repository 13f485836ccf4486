//! `POST /openai/v1/responses`: a model response through the Responses API (beta).

use super::resource;
use crate::facade::doc::example;
use crate::maybe_async;
use groq_types::sdk::{Error, ResponseMode};
use groq_types::{CreateResponseRequest, CreateResponseResponse};
use http::Method;

resource! {
    /// Responses: `client.responses()`.
    Responses
}

impl<M: ResponseMode> Responses<'_, M> {
    /// Generates a response and waits for all of it. A request with `stream: true` is refused before any
    /// I/O: this client does not stream the Responses API.
    ///
    #[doc = example!(use "types::{CreateResponseRequest, ResponseInput}"; r#"
let request = CreateResponseRequest::new(
    ResponseInput::Text("Tell me a three sentence bedtime story about a unicorn.".to_owned()),
    "openai/gpt-oss-20b",
)
.max_output_tokens(512);
let response = client.responses().create(&request)"#, aw!(), r#"?;
println!("{}: {} output items", response.status, response.output.len());"#)]
    #[maybe_async]
    pub async fn create(
        &self,
        request: &CreateResponseRequest,
    ) -> Result<M::Output<CreateResponseResponse>, Error> {
        if request.stream == Some(true) {
            return Err(Error::InvalidRequest(
                "`stream` is true: streaming the Responses API is not supported; leave it unset"
                    .into(),
            ));
        }
        let call = self
            .handle
            .json_call(Method::POST, "/openai/v1/responses", request)?;
        self.handle.json(call).await
    }
}
