//! The conformance cases of fine tunings: list, create, get and delete.

use crate::fixtures::*;
use crate::outcome::{unknown_variant, Outcome};
use crate::{Target, REPS};
use groq_types::CreateFineTuningRequest;

pub(crate) fn list_fine_tunings(target: &Target, variant: &str) -> Vec<Outcome> {
    match variant {
        "minimal" => on_client!(target, |c| Outcome::json(
            wait!(c.fine_tunings().with_raw_response().list()),
            &[]
        )),
        other => unknown_variant(other),
    }
}

pub(crate) fn fine_tuning_request(variant: &str) -> CreateFineTuningRequest {
    match variant {
        // Every field is optional: the minimal request is `{}`.
        "minimal" => CreateFineTuningRequest::default(),
        "full" => CreateFineTuningRequest::default()
            .base_model("llama-3.1-8b-instant")
            .input_file_id(FILE_ID)
            .name("conformance-run")
            .type_("lora"),
        other => unknown_variant(other),
    }
}

pub(crate) fn create_fine_tuning(target: &Target, variant: &str) -> Vec<Outcome> {
    let request = fine_tuning_request(variant);
    on_client!(target, |c| Outcome::json(
        wait!(c.fine_tunings().with_raw_response().create(&request)),
        &[]
    ))
}

pub(crate) fn get_fine_tuning(target: &Target, variant: &str) -> Vec<Outcome> {
    let id = path_id(variant, FINE_TUNING_ID);
    on_client!(target, |c| Outcome::json(
        wait!(c.fine_tunings().with_raw_response().get(id)),
        &[]
    ))
}

pub(crate) fn delete_fine_tuning(target: &Target, variant: &str) -> Vec<Outcome> {
    let id = path_id(variant, FINE_TUNING_ID);
    on_client!(target, |c| Outcome::json(
        wait!(c.fine_tunings().with_raw_response().delete(id)),
        &[]
    ))
}
