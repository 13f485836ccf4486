//! `POST /openai/v1/reranking`: documents ordered by how well they answer a query.

use super::resource;
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
