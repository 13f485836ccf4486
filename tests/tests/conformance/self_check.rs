//! Checks of the suite itself: the harness sees rejections and diagnostics, the `full` variants set every
//! field, and every operation of the reference spec has its cases.

use crate::audio::{speech_request, transcription_request, translation_request};
use crate::batches::batch_request;
use crate::chat::chat_request;
use crate::embeddings::embedding_request;
use crate::fine_tunings::fine_tuning_request;
use crate::fixtures::{BATCH_ID, MODEL};
use crate::outcome::{unknown_variant, Outcome};
use crate::reranking::reranking_request;
use crate::responses::response_request;
use crate::{Kind, Target, REPS};
use groq_tests::steady;
use groq_types::ergonomics::batches::ListBatchesParams;
use groq_types::sdk::RequestOptions;
use groq_types::{
    ChatCompletionRequestMessage as Message, CreateBatchRequest, CreateChatCompletionRequest,
    CreateEmbeddingRequest, CreateFineTuningRequest, CreateResponseRequest, CreateSpeechRequest,
    CreateTranscriptionRequest, CreateTranslationRequest, RerankingRequest, ResponseFormat,
};
use serde_json::Value;

/// Requests the harness must not count as accepted: a chat completion with a field the reference spec does
/// not know (Steady rejects it, E3009), and a batch listing with `id`s and a `cursor` checked with no
/// diagnostic allowed (Steady accepts it with E3015, which the `full` case allows).
fn misfits(target: &Target, variant: &str) -> Vec<Outcome> {
    match variant {
        "unknown_field" => {
            let options = RequestOptions::new().body_field("not_in_the_spec", true);
            let request = CreateChatCompletionRequest::new(vec![Message::user("Hi")], MODEL);
            on_client!(target, |c| Outcome::json(
                wait!(c
                    .chat()
                    .completions()
                    .with_options(&options)
                    .with_raw_response()
                    .create(&request)),
                &[]
            ))
        }
        "undocumented_query" => {
            let params = ListBatchesParams::new().ids([BATCH_ID]).cursor("cursor_01");
            on_client!(target, |c| Outcome::json(
                wait!(c.batches().with_raw_response().list_with(&params)),
                &[]
            ))
        }
        other => unknown_variant(other),
    }
}

/// The harness sees a rejection (with Steady's diagnostic in the message) and an unexpected diagnostic on
/// an accepted request, so the cases above cannot pass for want of looking.
fn the_harness_sees_rejections_and_diagnostics(kind: Kind) {
    let Some(steady) = steady::shared_or_skip() else {
        return;
    };
    let target = Target::new(kind, &steady.url());
    for outcome in misfits(&target, "unknown_field") {
        match outcome {
            Outcome::Rejected(message) => assert!(
                message.contains("E3009") && message.contains("not_in_the_spec"),
                "{message}"
            ),
            other => panic!("[{kind:?}] an unknown field must be rejected: {other:?}"),
        }
    }
    for outcome in misfits(&target, "undocumented_query") {
        match outcome {
            Outcome::Failed(message) => assert!(
                message.contains("E3015") && message.contains("query.cursor"),
                "{message}"
            ),
            other => panic!("[{kind:?}] E3015 must be reported: {other:?}"),
        }
    }
}

mod harness {
    #[test]
    fn async_client() {
        super::the_harness_sees_rejections_and_diagnostics(crate::Kind::Async)
    }

    #[test]
    fn blocking_client() {
        super::the_harness_sees_rejections_and_diagnostics(crate::Kind::Blocking)
    }
}

/// The property names of the JSON Schema `format` was made from (`ResponseFormat::json_schema_for`).
fn schema_properties(format: ResponseFormat) -> Vec<String> {
    let value = serde_json::to_value(format).expect("a response format serialises");
    let mut names: Vec<String> = value["json_schema"]["schema"]["properties"]
        .as_object()
        .expect("the schema of a request struct has properties")
        .keys()
        .cloned()
        .collect();
    names.sort_unstable();
    names
}

/// The fields (JSON keys) the requests of `variants` set between them.
fn fields_set(request: impl Fn(&str) -> Value, variants: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for variant in variants {
        let value = request(variant);
        names.extend(
            value
                .as_object()
                .expect("a request is a JSON object")
                .keys()
                .cloned(),
        );
    }
    names.sort_unstable();
    names.dedup();
    names
}

/// The `full` variants set every field of their request struct (a field added to a struct but not to its
/// `full` variant fails here). A transcription or translation names its audio by `url` (the `url` variant)
/// or sends it as a `FileInput` part, which is no field of the request.
#[test]
fn full_variants_set_every_field() {
    macro_rules! check {
        ($type:ty, $request:expr, $variants:expr) => {
            assert_eq!(
                fields_set(
                    |variant| serde_json::to_value($request(variant))
                        .expect("a request serialises"),
                    $variants
                ),
                schema_properties(ResponseFormat::json_schema_for::<$type>("fields")),
                "{}",
                stringify!($type)
            );
        };
    }
    check!(CreateSpeechRequest, speech_request, &["full"]);
    check!(
        CreateTranscriptionRequest,
        transcription_request,
        &["full", "url"]
    );
    check!(
        CreateTranslationRequest,
        translation_request,
        &["full", "url"]
    );
    check!(CreateBatchRequest, batch_request, &["full"]);
    check!(CreateChatCompletionRequest, chat_request, &["full"]);
    check!(CreateEmbeddingRequest, embedding_request, &["full"]);
    check!(CreateFineTuningRequest, fine_tuning_request, &["full"]);
    check!(RerankingRequest, reranking_request, &["full"]);
    check!(CreateResponseRequest, response_request, &["full"]);
}

/// The 23 operations of the reference spec, each covered above.
#[test]
fn every_operation_of_the_reference_spec_is_covered() {
    const COVERED: [&str; 23] = [
        "createSpeech",
        "createTranscription",
        "createTranslation",
        "createBatch",
        "listBatches",
        "retrieveBatch",
        "cancelBatch",
        "createChatCompletion",
        "createEmbedding",
        "listFiles",
        "uploadFile",
        "retrieveFile",
        "deleteFile",
        "downloadFile",
        "listFineTunings",
        "createFineTuning",
        "getFineTuning",
        "deleteFineTuning",
        "listModels",
        "retrieveModel",
        "deleteModel",
        "createReranking",
        "createResponse",
    ];
    let spec = steady::reference_spec();
    let Ok(text) = std::fs::read_to_string(&spec) else {
        assert!(
            !std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1"),
            "the reference spec {} is required when CI=true",
            spec.display()
        );
        println!("skipped: no reference spec at {}", spec.display());
        return;
    };
    let mut in_spec: Vec<&str> = text
        .lines()
        .filter_map(|line| line.trim().strip_prefix("operationId:"))
        .map(str::trim)
        .collect();
    in_spec.sort_unstable();
    let mut covered = COVERED.to_vec();
    covered.sort_unstable();
    assert_eq!(in_spec, covered);
}
