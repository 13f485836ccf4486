//! Every example answer in Groq's published description (the `x-groq-metadata` examples of each
//! operation in `../shared/reference/groq-openapi.yaml`) decodes into the SDK's type for that operation.
//!
//! Steady answers from the schemas, so it always sends what they require; the examples are what the
//! API's own documentation shows, and where the two disagree (a count the schema requires that the
//! example leaves out) an answer shaped like the example must still decode.

use groq_tests::steady::{in_ci, reference_spec};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Decodes an answer's text into an operation's type, naming the type in the error.
type Decoder = fn(&str) -> Result<(), String>;

/// An example answer: the operation's id, the example's title and the answer's text.
struct Example {
    operation: String,
    title: String,
    answer: String,
}

/// Decodes `text` as `T`, naming the type in the error.
fn decode<T: DeserializeOwned>(text: &str) -> Result<(), String> {
    serde_json::from_str::<T>(text)
        .map(drop)
        .map_err(|e| format!("{}: {e}", std::any::type_name::<T>()))
}

/// The type each operation's JSON answer decodes into, by operation id.
fn decoder(operation: &str) -> Option<Decoder> {
    use groq_types::*;
    Some(match operation {
        "createTranscription" => decode::<CreateTranscriptionResponseJson>,
        "createTranslation" => decode::<CreateTranslationResponseJson>,
        "createBatch" | "retrieveBatch" | "cancelBatch" => decode::<Batch>,
        "listBatches" => decode::<ListBatchesResponse>,
        "createChatCompletion" => decode::<CreateChatCompletionResponse>,
        "createEmbedding" => decode::<CreateEmbeddingResponse>,
        "listFiles" => decode::<ListFilesResponse>,
        "uploadFile" | "retrieveFile" => decode::<File>,
        "deleteFile" => decode::<DeleteFileResponse>,
        "listFineTunings" => decode::<ListFineTuningsResponse>,
        "createFineTuning" | "getFineTuning" => decode::<ReadFineTuningResponse>,
        "deleteFineTuning" => decode::<DeleteFineTuningResponse>,
        "listModels" => decode::<ListModelsResponse>,
        "retrieveModel" => decode::<Model>,
        "deleteModel" => decode::<DeleteModelResponse>,
        "createReranking" => decode::<RerankingResponse>,
        "createResponse" => decode::<CreateResponseResponse>,
        _ => return None,
    })
}

/// Every example with a JSON answer.
fn examples(spec: &Value) -> Vec<Example> {
    let mut found = Vec::new();
    let paths = spec.get("paths").and_then(Value::as_object);
    for operation in paths
        .into_iter()
        .flat_map(|p| p.values())
        .filter_map(Value::as_object)
    {
        for op in operation.values() {
            let id = op.get("operationId").and_then(Value::as_str).unwrap_or("?");
            let listed = op
                .pointer("/x-groq-metadata/examples")
                .and_then(Value::as_array);
            for example in listed.into_iter().flatten() {
                // Binary answers (speech, file content) have no example text.
                let Some(answer) = example.get("response").and_then(Value::as_str) else {
                    continue;
                };
                let title = example.get("title").and_then(Value::as_str).unwrap_or("?");
                found.push(Example {
                    operation: id.to_owned(),
                    title: title.to_owned(),
                    answer: answer.to_owned(),
                });
            }
        }
    }
    found
}

#[test]
fn every_example_answer_of_the_published_description_decodes() {
    let path = reference_spec();
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if !in_ci() => {
            eprintln!("skipped: cannot read {}: {e}", path.display());
            return;
        }
        Err(e) => panic!("CI needs {}: {e}", path.display()),
    };
    let spec: Value = serde_norway::from_str(&text).expect("the reference spec is YAML");
    let examples = examples(&spec);
    // The description has twenty today; a change that finds none has broken the walk, not the SDK.
    assert!(
        examples.len() >= 15,
        "only {} examples found",
        examples.len()
    );
    let mut failures = Vec::new();
    for Example {
        operation,
        title,
        answer,
    } in &examples
    {
        let outcome = match decoder(operation) {
            Some(decode) => decode(answer),
            None => Err("no type is listed for this operation in this test".to_owned()),
        };
        if let Err(error) = outcome {
            failures.push(format!("{operation} ({title}): {error}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
