//! Cases for the demo server's request validation, against the workspace's `openapi/groq.yaml`.

use super::validate::{Rejection, Spec};
use std::path::Path;

fn spec() -> Spec {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    match Spec::load(&root.join("openapi").join("groq.yaml")) {
        Ok(spec) => spec,
        Err(message) => panic!("the spec does not load: {message}"),
    }
}

fn chat(spec: &Spec, body: &str) -> Result<(), Rejection> {
    spec.check(
        "POST",
        "/openai/v1/chat/completions",
        None,
        Some("application/json"),
        body.as_bytes(),
    )
    .map(|_| ())
}

#[test]
fn a_valid_chat_request_passes() {
    let spec = spec();
    let body = r#"{"model":"llama-3.3-70b-versatile","messages":[{"role":"user","content":"Hi"}],
                   "temperature":0.5,"stop":["\n"],"stream":true}"#;
    assert_eq!(chat(&spec, body), Ok(()));
}

#[test]
fn bad_chat_requests_are_rejected_naming_the_field() {
    let spec = spec();
    let cases = [
        (r#"{"model":"llama-3.3-70b-versatile"}"#, "messages"),
        (
            r#"{"model":"m","messages":[{"role":"user","content":"Hi"}],"temperature":"hot"}"#,
            "temperature",
        ),
        (
            r#"{"model":"m","messages":[{"role":"user","content":"Hi"}],"temperature":5}"#,
            "temperature",
        ),
        (
            r#"{"model":"m","messages":[{"role":"user","content":"Hi"}],"tempreature":1}"#,
            "tempreature",
        ),
        (
            r#"{"model":"m","messages":[{"role":"user","content":"Hi"}],"service_tier":"fast"}"#,
            "service_tier",
        ),
        (r#"{"model":"m","messages":[]}"#, "messages"),
        (
            r#"{"model":"m","messages":[{"role":"bot","content":"Hi"}]}"#,
            "messages.0.role",
        ),
        (
            r#"{"model":"m","messages":[{"role":"user","content":"Hi","name":7}]}"#,
            "messages.0.name",
        ),
    ];
    for (body, field) in cases {
        let rejection = match chat(&spec, body) {
            Ok(()) => panic!("accepted {body}"),
            Err(rejection) => rejection,
        };
        assert_eq!(rejection.status, 400, "{body}");
        assert_eq!(
            rejection.param.as_deref(),
            Some(field),
            "{body}: {rejection:?}"
        );
        assert!(rejection.message.contains(field), "{rejection:?}");
    }
    let role = chat(
        &spec,
        r#"{"model":"m","messages":[{"role":"bot","content":"Hi"}]}"#,
    )
    .err();
    let message = role.map(|r| r.message).unwrap_or_default();
    assert!(
        message.contains("\"user\"") && message.contains("\"tool\""),
        "{message}"
    );
}

#[test]
fn multipart_fields_are_typed_and_checked() {
    let spec = spec();
    let form = |format: &str| {
        format!(
            "--b\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-large-v3\r\n\
             --b\r\nContent-Disposition: form-data; name=\"temperature\"\r\n\r\n0.2\r\n\
             --b\r\nContent-Disposition: form-data; name=\"response_format\"\r\n\r\n{format}\r\n\
             --b\r\nContent-Disposition: form-data; name=\"timestamp_granularities[]\"\r\n\r\nword\r\n\
             --b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\
             Content-Type: audio/wav\r\n\r\nRIFF\r\n--b--\r\n"
        )
    };
    let check = |body: String| {
        spec.check(
            "POST",
            "/openai/v1/audio/transcriptions",
            None,
            Some("multipart/form-data; boundary=b"),
            body.as_bytes(),
        )
        .map(|valid| valid.body.json().clone())
    };
    let fields = check(form("verbose_json")).map_err(|r| r.message);
    assert_eq!(
        fields.map(|f| (
            f["temperature"].clone(),
            f["timestamp_granularities"].clone()
        )),
        Ok((serde_json::json!(0.2), serde_json::json!(["word"])))
    );
    let rejection = check(form("srt")).err();
    assert_eq!(
        rejection.and_then(|r| r.param),
        Some("response_format".to_owned())
    );
}

#[test]
fn unknown_paths_methods_and_content_types_are_refused() {
    let spec = spec();
    let status = |method: &str, path: &str, content_type: Option<&str>| {
        spec.check(method, path, None, content_type, b"{}")
            .err()
            .map(|r| r.status)
    };
    assert_eq!(status("GET", "/openai/v1/nothing", None), Some(404));
    assert_eq!(status("PUT", "/openai/v1/models", None), Some(405));
    assert_eq!(
        status("POST", "/openai/v1/embeddings", Some("text/plain")),
        Some(400)
    );
    assert_eq!(
        status("GET", "/openai/v1/models/llama-3.3-70b-versatile", None),
        None
    );
}
