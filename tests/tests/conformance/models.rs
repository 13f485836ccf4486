//! The conformance cases of models: list, retrieve and delete, ids with a slash included.

use crate::fixtures::*;
use crate::outcome::{unknown_variant, Outcome};
use crate::{Target, REPS};

pub(crate) fn list_models(target: &Target, variant: &str) -> Vec<Outcome> {
    match variant {
        "minimal" => on_client!(target, |c| Outcome::json(
            wait!(c.models().with_raw_response().list()),
            &[]
        )),
        other => unknown_variant(other),
    }
}

/// A model id, with a `/` (sent as `%2F`) in the `full` variant.
fn model_id(variant: &str) -> &'static str {
    match variant {
        "minimal" => MODEL,
        "full" => MODEL_WITH_SLASH,
        other => unknown_variant(other),
    }
}

pub(crate) fn retrieve_model(target: &Target, variant: &str) -> Vec<Outcome> {
    let model = model_id(variant);
    on_client!(target, |c| Outcome::json(
        wait!(c.models().with_raw_response().retrieve(model)),
        &[]
    ))
}

pub(crate) fn delete_model(target: &Target, variant: &str) -> Vec<Outcome> {
    let model = model_id(variant);
    on_client!(target, |c| Outcome::json(
        wait!(c.models().with_raw_response().delete(model)),
        &[]
    ))
}
