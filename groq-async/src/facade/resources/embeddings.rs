//! `POST /openai/v1/embeddings`: vectors for one or more texts.

use super::resource;
use crate::facade::doc::example;
use crate::maybe_async;
use groq_types::sdk::{Error, ResponseMode};
use groq_types::{CreateEmbeddingRequest, CreateEmbeddingResponse};
use http::Method;

resource! {
    /// Embeddings: `client.embeddings()`.
    Embeddings
}

impl<M: ResponseMode> Embeddings<'_, M> {
    /// Computes one embedding per input. Whichever `encoding_format` is asked for, `float` or `base64`,
    /// [`CreateEmbeddingResponse::vectors`] and [`Embedding::vector`](groq_types::Embedding::vector) give
    /// the vectors as `f32`s.
    ///
    #[doc = example!(use "types::CreateEmbeddingRequest"; r#"
let request = CreateEmbeddingRequest::new(
    ["The quick brown fox", "jumps over the lazy dog"],
    "nomic-embed-text-v1_5",
);
let response = client.embeddings().create(&request)"#, aw!(), r#"?;
for vector in response.vectors()? {
    println!("{} dimensions", vector.len());
}"#)]
    #[maybe_async]
    pub async fn create(
        &self,
        request: &CreateEmbeddingRequest,
    ) -> Result<M::Output<CreateEmbeddingResponse>, Error> {
        let call = self
            .handle
            .json_call(Method::POST, "/openai/v1/embeddings", request)?;
        self.handle.json(call).await
    }
}
