//! The conformance cases of reranking.

use crate::outcome::{unknown_variant, Outcome};
use crate::{Target, REPS};
use groq_types::RerankingRequest;

pub(crate) fn reranking_request(variant: &str) -> RerankingRequest {
    match variant {
        "minimal" => RerankingRequest::builder()
            .model("rerank-model")
            .query("What is the capital of France?")
            .docs(vec!["Paris is the capital of France.".to_owned()])
            .build()
            .expect("every required field is set"),
        // The most documents the spec allows (100), and the instruction.
        "full" => RerankingRequest::builder()
            .model("rerank-model")
            .query("What is the capital of France?")
            .docs(
                (1..=100)
                    .map(|i| format!("Document number {i} about France."))
                    .collect::<Vec<_>>(),
            )
            .instruction("Prefer documents that name the capital.")
            .build()
            .expect("every required field is set"),
        other => unknown_variant(other),
    }
}

pub(crate) fn create_reranking(target: &Target, variant: &str) -> Vec<Outcome> {
    let request = reranking_request(variant);
    on_client!(target, |c| Outcome::json(
        wait!(c.reranking().with_raw_response().create(&request)),
        &[]
    ))
}
