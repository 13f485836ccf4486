//! The conformance cases of embeddings.

use crate::outcome::{unknown_variant, Outcome};
use crate::{Target, REPS};
use groq_types::{CreateEmbeddingRequest, EmbeddingEncodingFormat, EmbeddingModel};

pub(crate) fn embedding_request(variant: &str) -> CreateEmbeddingRequest {
    match variant {
        "minimal" => CreateEmbeddingRequest::new("The quick brown fox", "nomic-embed-text-v1_5"),
        "full" => CreateEmbeddingRequest::new(
            ["The quick brown fox", "jumps over the lazy dog"],
            EmbeddingModel::NomicEmbedTextV1_5,
        )
        .encoding_format(EmbeddingEncodingFormat::Base64)
        .user("user-1234"),
        other => unknown_variant(other),
    }
}

pub(crate) fn create_embedding(target: &Target, variant: &str) -> Vec<Outcome> {
    let request = embedding_request(variant);
    on_client!(target, |c| Outcome::json(
        wait!(c.embeddings().with_raw_response().create(&request)),
        &[]
    ))
}
