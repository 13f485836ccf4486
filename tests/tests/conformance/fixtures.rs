//! The values the cases share: ids, a model, a WAV file, a batch input file, tool parameters.

use crate::outcome::unknown_variant;
use groq_types::FunctionParameters;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

pub(crate) const FILE_ID: &str = "file_01jh6x76wtemjr74t1fh0faj5t";
pub(crate) const BATCH_ID: &str = "batch_01jh6xa7reempvjyh6n3yst2zw";
pub(crate) const FINE_TUNING_ID: &str = "ft_01jh6xbc2defgh3jk4mn5pq6rs";
/// An id every reserved character of which must be percent-encoded to stay one path segment.
pub(crate) const AWKWARD_ID: &str = "id/with space?query#frag%ä";
pub(crate) const MODEL: &str = "llama-3.3-70b-versatile";
pub(crate) const MODEL_WITH_SLASH: &str = "meta-llama/llama-4-scout-17b-16e-instruct";

/// The id a path operation uses in `variant`.
pub(crate) fn path_id<'a>(variant: &str, plain: &'a str) -> &'a str {
    match variant {
        "minimal" => plain,
        "full" => AWKWARD_ID,
        other => unknown_variant(other),
    }
}

/// A tiny but well-formed WAV file: 8 samples of 16-bit mono silence at 16 kHz.
pub(crate) fn wav() -> Vec<u8> {
    let samples = [0u8; 16];
    let mut wav = Vec::with_capacity(44 + samples.len());
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + samples.len() as u32).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes()); // fmt chunk size
    wav.extend_from_slice(&1u16.to_le_bytes()); // PCM
    wav.extend_from_slice(&1u16.to_le_bytes()); // mono
    wav.extend_from_slice(&16_000u32.to_le_bytes()); // sample rate
    wav.extend_from_slice(&32_000u32.to_le_bytes()); // byte rate
    wav.extend_from_slice(&2u16.to_le_bytes()); // block align
    wav.extend_from_slice(&16u16.to_le_bytes()); // bits per sample
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&(samples.len() as u32).to_le_bytes());
    wav.extend_from_slice(&samples);
    wav
}

/// A batch input file of two requests.
pub(crate) const JSONL: &str = concat!(
    r#"{"custom_id":"request-1","method":"POST","url":"/v1/chat/completions","body":{"model":"llama-3.1-8b-instant","messages":[{"role":"user","content":"Hi"}]}}"#,
    "\n",
    r#"{"custom_id":"request-2","method":"POST","url":"/v1/chat/completions","body":{"model":"llama-3.1-8b-instant","messages":[{"role":"user","content":"Bye"}]}}"#,
    "\n"
);

pub(crate) fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not a JSON object: {other}"),
    }
}

pub(crate) fn weather_parameters() -> FunctionParameters {
    json!({
        "type": "object",
        "properties": {"location": {"type": "string"}},
        "required": ["location"],
    })
    .try_into()
    .expect("an object is valid tool parameters")
}

pub(crate) fn metadata() -> HashMap<String, String> {
    HashMap::from([
        ("team".to_owned(), "sdk".to_owned()),
        ("suite".to_owned(), "conformance".to_owned()),
    ])
}
