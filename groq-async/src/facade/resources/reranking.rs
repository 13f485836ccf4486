//! `POST /openai/v1/reranking`: documents ordered by how well they answer a query.

use super::resource;
use crate::facade::doc::example;
use crate::maybe_async;
use groq_types::sdk::{Error, ResponseMode};
use groq_types::{RerankingRequest, RerankingResponse};
use http::Method;

resource! {
    /// Reranking: `client.reranking()`.
    Reranking
}

impl<M: ResponseMode> Reranking<'_, M> {
    /// Scores every document against the query; the results come best first.
    ///
    #[doc = example!(use "types::RerankingRequest"; r#"
let docs = vec![
    "Paris is the capital of France.".to_owned(),
    "Berlin is the capital of Germany.".to_owned(),
];
let request = RerankingRequest::builder()
    .model("qwen3-reranker-4b")
    .query("What is the capital of France?")
    .docs(docs)
    .build()?;
let ranked = client.reranking().create(&request)"#, aw!(), r#"?;
for result in &ranked.results {
    println!("{:.3} {}", result.score, result.doc);
}"#)]
    #[maybe_async]
    pub async fn create(
        &self,
        request: &RerankingRequest,
    ) -> Result<M::Output<RerankingResponse>, Error> {
        let call = self
            .handle
            .json_call(Method::POST, "/openai/v1/reranking", request)?;
        self.handle.json(call).await
    }
}
