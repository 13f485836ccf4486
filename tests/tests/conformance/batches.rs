//! The conformance cases of batches: create, list (with its query), retrieve and cancel.

use crate::fixtures::*;
use crate::outcome::{unknown_variant, Outcome};
use crate::{Target, REPS};
use groq_types::ergonomics::batches::ListBatchesParams;
use groq_types::{BatchEndpoint, CreateBatchRequest};

pub(crate) fn batch_request(variant: &str) -> CreateBatchRequest {
    let minimal = CreateBatchRequest::builder()
        .input_file_id(FILE_ID)
        .endpoint(BatchEndpoint::V1ChatCompletions)
        .completion_window("24h")
        .build()
        .expect("every required field is set");
    match variant {
        "minimal" => minimal,
        "full" => minimal.metadata(metadata()),
        other => unknown_variant(other),
    }
}

pub(crate) fn create_batch(target: &Target, variant: &str) -> Vec<Outcome> {
    let request = batch_request(variant);
    on_client!(target, |c| Outcome::json(
        wait!(c.batches().with_raw_response().create(&request)),
        &[]
    ))
}

pub(crate) fn list_batches(target: &Target, variant: &str) -> Vec<Outcome> {
    // `id` and `cursor` are not in the reference spec: Steady accepts them with E3015 ("undocumented query
    // parameter"), and nothing else may be reported.
    let (params, allowed): (_, &[&str]) = match variant {
        "minimal" => (ListBatchesParams::new(), &[]),
        "full" => (
            ListBatchesParams::new()
                .ids([BATCH_ID, "batch_01jh6xa7reempvjyh6n3yst2zx"])
                .cursor("cursor_01jh6xc8"),
            &["E3015"],
        ),
        other => unknown_variant(other),
    };
    on_client!(target, |c| Outcome::json(
        wait!(c.batches().with_raw_response().list_with(&params)),
        allowed
    ))
}

pub(crate) fn retrieve_batch(target: &Target, variant: &str) -> Vec<Outcome> {
    let id = path_id(variant, BATCH_ID);
    on_client!(target, |c| Outcome::json(
        wait!(c.batches().with_raw_response().retrieve(id)),
        &[]
    ))
}

pub(crate) fn cancel_batch(target: &Target, variant: &str) -> Vec<Outcome> {
    let id = path_id(variant, BATCH_ID);
    on_client!(target, |c| Outcome::json(
        wait!(c.batches().with_raw_response().cancel(id)),
        &[]
    ))
}
