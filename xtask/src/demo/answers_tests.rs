//! Cases for the demo server's answers: they follow the spec's response schemas, streams end with a
//! usage chunk and `[DONE]`, batches move through their states, and refusals carry Groq's error body.

use super::answers::{App, Incoming, Payload};
use super::validate::Spec;
use serde_json::{json, Value};
use std::path::Path;

fn spec() -> Spec {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    match Spec::load(&root.join("openapi").join("groq.yaml")) {
        Ok(spec) => spec,
        Err(message) => panic!("the spec does not load: {message}"),
    }
}

const KEY: &str = "Bearer gsk_test";

/// Sends a request; returns the status and the body (JSON bodies parsed, events joined).
fn call(app: &App, method: &str, path: &str, body: Option<(&str, Vec<u8>)>) -> (u16, Value) {
    let (content_type, bytes) = body.unwrap_or(("", Vec::new()));
    let answer = app.respond(&Incoming {
        method,
        path,
        query: None,
        authorization: Some(KEY),
        content_type: (!content_type.is_empty()).then_some(content_type),
        body: &bytes,
    });
    let value = match answer.payload {
        Payload::Full(bytes) => serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        Payload::Events(events) => Value::from(events.concat()),
    };
    (answer.status, value)
}

fn json_body(value: Value) -> Option<(&'static str, Vec<u8>)> {
    Some(("application/json", value.to_string().into_bytes()))
}

fn conforms(spec: &Spec, schema: &str, value: &Value) {
    let schema = spec.schema(schema).cloned().unwrap_or_default();
    if let Err(rejection) = spec.validate(&schema, value, "") {
        panic!("{value} does not follow the spec: {}", rejection.message);
    }
}

#[test]
fn chat_answers_follow_the_spec_and_honour_tools_and_stop() {
    let spec = spec();
    let app = App::new(self::spec());
    let request = json!({
        "model": "llama-3.3-70b-versatile",
        "messages": [{ "role": "user", "content": "Weather in Paris and London?" }],
        "tools": [{ "type": "function", "function": {
            "name": "get_weather",
            "parameters": { "type": "object", "properties": { "city": { "type": "string" } } }
        }}]
    });
    let (status, completion) = call(
        &app,
        "POST",
        "/openai/v1/chat/completions",
        json_body(request),
    );
    assert_eq!(status, 200);
    conforms(&spec, "CreateChatCompletionResponse", &completion);
    let calls = &completion["choices"][0]["message"]["tool_calls"];
    assert_eq!(calls[0]["function"]["arguments"], r#"{"city":"Paris"}"#);
    assert_eq!(calls[1]["function"]["arguments"], r#"{"city":"London"}"#);

    let request = json!({
        "model": "llama-3.1-8b-instant",
        "messages": [{ "role": "user", "content": "Count to 10" }],
        "stop": ", 4",
    });
    let (_, completion) = call(
        &app,
        "POST",
        "/openai/v1/chat/completions",
        json_body(request),
    );
    assert_eq!(completion["choices"][0]["message"]["content"], "1, 2, 3");
}

#[test]
fn streams_end_with_a_usage_chunk_and_done() {
    let spec = spec();
    let app = App::new(self::spec());
    let request = json!({
        "model": "llama-3.1-8b-instant",
        "messages": [{ "role": "user", "content": "Hello" }],
        "stream": true,
    });
    let (status, body) = call(
        &app,
        "POST",
        "/openai/v1/chat/completions",
        json_body(request),
    );
    assert_eq!(status, 200);
    let events: Vec<&str> = body
        .as_str()
        .unwrap_or_default()
        .split("\n\n")
        .filter(|e| !e.is_empty())
        .collect();
    assert_eq!(events.last(), Some(&"data: [DONE]"));
    let chunks: Vec<Value> = events[..events.len() - 1]
        .iter()
        .map(|e| serde_json::from_str(e.trim_start_matches("data: ")).unwrap_or(Value::Null))
        .collect();
    assert!(chunks.len() > 3, "{chunks:?}");
    for chunk in &chunks {
        conforms(&spec, "CreateChatCompletionStreamResponse", chunk);
    }
    let last = &chunks[chunks.len() - 1];
    assert_eq!(last["choices"][0]["finish_reason"], "stop");
    // Only where Groq sends it, so that an example reading the top-level `usage` shows nothing here.
    assert!(last["x_groq"]["usage"]["total_tokens"].as_u64() > Some(0));
    assert!(last.get("usage").is_none(), "{last}");
}

#[test]
fn a_batch_moves_through_its_states_and_answers_every_line() {
    let spec = spec();
    let app = App::new(self::spec());
    let good = json!({ "custom_id": "a", "method": "POST", "url": "/v1/chat/completions",
        "body": { "model": "llama-3.1-8b-instant", "messages": [{ "role": "user", "content": "Hi" }] } });
    let bad = json!({ "custom_id": "b", "method": "POST", "url": "/v1/chat/completions",
        "body": { "model": "llama-3.1-8b-instant" } });
    let form = format!(
        "--x\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n\
         --x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"in.jsonl\"\r\n\r\n{good}\n{bad}\n\r\n--x--\r\n"
    );
    let (status, file) = call(
        &app,
        "POST",
        "/openai/v1/files",
        Some(("multipart/form-data; boundary=x", form.into_bytes())),
    );
    assert_eq!(status, 200, "{file}");
    conforms(&spec, "File", &file);
    let request = json!({ "input_file_id": file["id"], "endpoint": "/v1/chat/completions", "completion_window": "24h" });
    let (_, batch) = call(&app, "POST", "/openai/v1/batches", json_body(request));
    conforms(&spec, "Batch", &batch);
    let path = format!(
        "/openai/v1/batches/{}",
        batch["id"].as_str().unwrap_or_default()
    );
    let mut states = vec![batch["status"].clone()];
    let mut last = batch;
    for _ in 0..3 {
        last = call(&app, "GET", &path, None).1;
        conforms(&spec, "Batch", &last);
        states.push(last["status"].clone());
    }
    assert_eq!(
        states,
        ["validating", "in_progress", "completed", "completed"]
    );
    assert_eq!(
        last["request_counts"],
        json!({ "total": 2, "completed": 1, "failed": 1 })
    );
    let output = format!(
        "/openai/v1/files/{}/content",
        last["output_file_id"].as_str().unwrap_or_default()
    );
    let answer = app.respond(&Incoming {
        method: "GET",
        path: &output,
        query: None,
        authorization: Some(KEY),
        content_type: None,
        body: b"",
    });
    let Payload::Full(bytes) = answer.payload else {
        panic!("the output file is not one body");
    };
    let line: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    assert_eq!(line["custom_id"], "a");
    conforms(
        &spec,
        "CreateChatCompletionResponse",
        &line["response"]["body"],
    );
}

#[test]
fn refusals_carry_groqs_error_body() {
    let app = App::new(spec());
    let (status, body) = call(&app, "GET", "/openai/v1/models/no-such-model", None);
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "model_not_found");
    let (status, body) = call(
        &app,
        "POST",
        "/openai/v1/embeddings",
        json_body(json!({ "model": "nomic-embed-text-v1_5" })),
    );
    assert_eq!(status, 400);
    assert_eq!(body["error"]["param"], "input");
    assert_eq!(body["error"]["type"], "invalid_request_error");
    let answer = app.respond(&Incoming {
        method: "GET",
        path: "/openai/v1/models",
        query: None,
        authorization: Some("Bearer wrong"),
        content_type: None,
        body: b"",
    });
    assert_eq!(answer.status, 401);
}

#[test]
fn audio_models_and_embeddings_follow_the_spec() {
    let spec = spec();
    let app = App::new(self::spec());
    let mut form = Vec::new();
    for (name, value) in [
        ("model", "whisper-large-v3-turbo"),
        ("response_format", "verbose_json"),
        ("timestamp_granularities[]", "word"),
        ("timestamp_granularities[]", "segment"),
    ] {
        form.extend_from_slice(
            format!("--x\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    form.extend_from_slice(
        b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\n",
    );
    form.extend_from_slice(&super::audio::sample_wav());
    form.extend_from_slice(b"\r\n--x--\r\n");
    let (status, transcript) = call(
        &app,
        "POST",
        "/openai/v1/audio/transcriptions",
        Some(("multipart/form-data; boundary=x", form)),
    );
    assert_eq!(status, 200, "{transcript}");
    conforms(&spec, "CreateTranscriptionResponseVerboseJson", &transcript);
    assert_eq!(transcript["duration"], 3.0);
    assert!(transcript["words"].as_array().is_some_and(|w| w.len() > 5));
    assert!(transcript["segments"]
        .as_array()
        .is_some_and(|s| !s.is_empty()));

    let (_, models) = call(&app, "GET", "/openai/v1/models", None);
    conforms(&spec, "ListModelsResponse", &models);
    let request = json!({ "model": "nomic-embed-text-v1_5", "input": ["a", "b"] });
    let (_, embeddings) = call(&app, "POST", "/openai/v1/embeddings", json_body(request));
    conforms(&spec, "CreateEmbeddingResponse", &embeddings);
    assert_eq!(
        embeddings["data"][1]["embedding"].as_array().map(Vec::len),
        Some(768)
    );
}
