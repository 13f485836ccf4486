//! What the demo server answers: authentication, validation against the spec, then one answer per
//! operation (chat, audio, embeddings, models, files, batches), in Groq's shapes, with Groq's headers
//! (`x-request-id`, `x-ratelimit-*`) and Groq's error body on failures.

use super::validate::{Body, Rejection, Spec, Valid};
use super::{audio, chat, store::Store};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

/// An HTTP answer.
pub struct Answer {
    /// Status code.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: String,
    /// The body.
    pub payload: Payload,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
}

/// An answer's body.
pub enum Payload {
    /// Sent at once.
    Full(Vec<u8>),
    /// Server-sent events, sent one by one (chunked).
    Events(Vec<String>),
}

/// A request the server refuses: status and Groq's error fields.
#[derive(Debug)]
pub struct Failure {
    /// HTTP status.
    pub status: u16,
    message: String,
    kind: &'static str,
    param: Option<String>,
    code: &'static str,
}

impl Failure {
    /// A 400 about `param`.
    pub fn bad(param: &str, message: impl Into<String>) -> Self {
        Failure {
            status: 400,
            message: message.into(),
            kind: "invalid_request_error",
            param: Some(param.to_owned()),
            code: "invalid_request_error",
        }
    }

    /// A 404 with `code`.
    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Failure {
            status: 404,
            message: message.into(),
            kind: "invalid_request_error",
            param: None,
            code,
        }
    }

    /// Groq's error body.
    pub fn body(&self) -> Value {
        let mut error = json!({ "message": self.message, "type": self.kind, "code": self.code });
        if let Some(param) = &self.param {
            error["param"] = param.clone().into();
        }
        json!({ "error": error })
    }
}

impl From<Rejection> for Failure {
    fn from(r: Rejection) -> Self {
        Failure {
            status: r.status,
            message: r.message,
            kind: "invalid_request_error",
            param: r.param,
            code: r.code,
        }
    }
}

/// The server's state: the spec it validates against, and the stored files and batches.
pub struct App {
    spec: Spec,
    store: Mutex<Store>,
    requests: AtomicU64,
}

/// The parts of a request the answers need.
pub struct Incoming<'a> {
    /// Method, upper case.
    pub method: &'a str,
    /// Path, without the query.
    pub path: &'a str,
    /// The query string.
    pub query: Option<&'a str>,
    /// `Authorization`.
    pub authorization: Option<&'a str>,
    /// `Content-Type`.
    pub content_type: Option<&'a str>,
    /// The body.
    pub body: &'a [u8],
}

impl App {
    /// A server state validating against `spec`.
    pub fn new(spec: Spec) -> Self {
        App {
            spec,
            store: Mutex::new(Store::default()),
            requests: AtomicU64::new(0),
        }
    }

    /// Answers one request.
    pub fn respond(&self, request: &Incoming<'_>) -> Answer {
        let served = self.requests.fetch_add(1, Ordering::Relaxed);
        let mut answer = match self.answer(request) {
            Ok(answer) => answer,
            Err(failure) => json_answer(failure.status, &failure.body()),
        };
        answer.headers.extend(groq_headers(served));
        answer
    }

    fn answer(&self, request: &Incoming<'_>) -> Result<Answer, Failure> {
        let key = request
            .authorization
            .and_then(|a| a.strip_prefix("Bearer "))
            .unwrap_or("");
        if !key.starts_with("gsk_") {
            return Err(Failure {
                status: 401,
                message: "Invalid API Key".into(),
                kind: "invalid_request_error",
                param: None,
                code: "invalid_api_key",
            });
        }
        let valid = self.spec.check(
            request.method,
            request.path,
            request.query,
            request.content_type,
            request.body,
        )?;
        self.dispatch(&valid)
    }

    fn dispatch(&self, valid: &Valid<'_>) -> Result<Answer, Failure> {
        let body = valid.body.json();
        let mut store = self
            .store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let ok = |value: Value| Ok(json_answer(200, &value));
        match valid.operation.id.as_str() {
            "createChatCompletion" => {
                known_model(body)?;
                let completion =
                    chat::completion(body).map_err(|r| Failure::bad(r.param, r.message))?;
                if body.get("stream") == Some(&Value::Bool(true)) {
                    let mut events: Vec<String> = chat::chunks(&completion)
                        .iter()
                        .map(|chunk| format!("data: {chunk}\n\n"))
                        .collect();
                    events.push("data: [DONE]\n\n".into());
                    Ok(Answer {
                        status: 200,
                        content_type: "text/event-stream".into(),
                        payload: Payload::Events(events),
                        headers: Vec::new(),
                    })
                } else {
                    ok(completion)
                }
            }
            "createEmbedding" => ok(embeddings(body)),
            "createSpeech" => audio::speech(body),
            "createTranscription" | "createTranslation" => {
                let Body::Form(fields, form) = &valid.body else {
                    return Err(Failure::bad("file", "a multipart form is required"));
                };
                let task = if valid.operation.id == "createTranscription" {
                    "transcribe"
                } else {
                    "translate"
                };
                audio::transcribe(task, fields, form)
            }
            "listModels" => ok(
                json!({ "object": "list", "data": MODELS.iter().map(model).collect::<Vec<_>>() }),
            ),
            "retrieveModel" => {
                let id = valid.param("model");
                ok(model(
                    MODELS
                        .iter()
                        .find(|m| m.0 == id)
                        .ok_or_else(|| no_model(id))?,
                ))
            }
            "uploadFile" => {
                let Body::Form(fields, form) = &valid.body else {
                    return Err(Failure::bad("file", "a multipart form is required"));
                };
                let file = form
                    .file("file")
                    .ok_or_else(|| Failure::bad("file", "`file` must be a file part"))?;
                let purpose = fields["purpose"].as_str().unwrap_or_default();
                let name = file.filename.clone().unwrap_or_default();
                ok(store.upload(&name, purpose, file.data.clone())?)
            }
            "listFiles" => ok(store.list_files()),
            "retrieveFile" => ok(store.file(valid.param("file_id"))?),
            "deleteFile" => ok(store.delete_file(valid.param("file_id"))?),
            "downloadFile" => Ok(Answer {
                status: 200,
                content_type: "application/octet-stream".into(),
                payload: Payload::Full(store.content(valid.param("file_id"))?),
                headers: Vec::new(),
            }),
            "createBatch" => ok(store.create_batch(body)?),
            "retrieveBatch" => ok(store.retrieve_batch(valid.param("batch_id"), &self.spec)?),
            "cancelBatch" => ok(store.cancel_batch(valid.param("batch_id"))?),
            "listBatches" => ok(store.list_batches()),
            other => Err(Failure::not_found(
                "unknown_url",
                format!("the demo server does not serve `{other}` (no example uses it)"),
            )),
        }
    }
}

/// A JSON answer.
pub fn json_answer(status: u16, value: &Value) -> Answer {
    Answer {
        status,
        content_type: "application/json".into(),
        payload: Payload::Full(value.to_string().into_bytes()),
        headers: Vec::new(),
    }
}

/// The headers Groq sends with every answer: a request id and the rate-limit state.
fn groq_headers(served: u64) -> Vec<(String, String)> {
    vec![
        ("x-request-id".into(), new_id("req_")),
        ("x-ratelimit-limit-requests".into(), "14400".into()),
        (
            "x-ratelimit-remaining-requests".into(),
            14399u64.saturating_sub(served).to_string(),
        ),
        ("x-ratelimit-reset-requests".into(), "6s".into()),
        ("x-ratelimit-limit-tokens".into(), "18000".into()),
        (
            "x-ratelimit-remaining-tokens".into(),
            17950u64.saturating_sub(served * 50).to_string(),
        ),
        ("x-ratelimit-reset-tokens".into(), "7.66s".into()),
    ]
}

/// The models the demo server knows: id, owner, context window, maximum completion tokens.
const MODELS: [(&str, &str, u64, u64); 14] = [
    ("llama-3.3-70b-versatile", "Meta", 131072, 32768),
    ("llama-3.1-8b-instant", "Meta", 131072, 131072),
    (
        "meta-llama/llama-4-scout-17b-16e-instruct",
        "Meta",
        131072,
        8192,
    ),
    (
        "meta-llama/llama-4-maverick-17b-128e-instruct",
        "Meta",
        131072,
        8192,
    ),
    ("meta-llama/llama-guard-4-12b", "Meta", 131072, 1024),
    ("openai/gpt-oss-20b", "OpenAI", 131072, 65536),
    ("openai/gpt-oss-120b", "OpenAI", 131072, 65536),
    ("qwen/qwen3-32b", "Alibaba Cloud", 131072, 40960),
    (
        "moonshotai/kimi-k2-instruct-0905",
        "Moonshot AI",
        262144,
        16384,
    ),
    ("groq/compound", "Groq", 131072, 8192),
    ("groq/compound-mini", "Groq", 131072, 8192),
    ("whisper-large-v3", "OpenAI", 448, 448),
    ("whisper-large-v3-turbo", "OpenAI", 448, 448),
    ("playai-tts", "PlayAI", 8192, 8192),
];

fn model(m: &(&str, &str, u64, u64)) -> Value {
    json!({
        "id": m.0,
        "object": "model",
        "created": 1_733_447_754,
        "owned_by": m.1,
        "active": true,
        "context_window": m.2,
        "public_apps": null,
        "max_completion_tokens": m.3,
    })
}

fn no_model(id: &str) -> Failure {
    Failure::not_found(
        "model_not_found",
        format!("The model `{id}` does not exist or you do not have access to it."),
    )
}

fn known_model(body: &Value) -> Result<(), Failure> {
    let id = body["model"].as_str().unwrap_or_default();
    if MODELS.iter().any(|m| m.0 == id) {
        Ok(())
    } else {
        Err(no_model(id))
    }
}

/// Deterministic unit vectors (768 dimensions, like `nomic-embed-text-v1_5`), as floats or base64.
fn embeddings(body: &Value) -> Value {
    use base64::Engine;
    let inputs: Vec<String> = match &body["input"] {
        Value::Array(items) => items.iter().map(text_or_json).collect(),
        other => vec![text_or_json(other)],
    };
    let base64 = body.get("encoding_format").and_then(Value::as_str) == Some("base64");
    let mut tokens = 0;
    let data: Vec<Value> = inputs
        .iter()
        .enumerate()
        .map(|(index, text)| {
            tokens += text.split_whitespace().count() + 1;
            let mut state = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
            });
            let raw: Vec<f32> = (0..768)
                .map(|_| (splitmix(&mut state) % 2001) as f32 / 1000.0 - 1.0)
                .collect();
            let norm = raw
                .iter()
                .map(|x| x * x)
                .sum::<f32>()
                .sqrt()
                .max(f32::EPSILON);
            let vector: Vec<f32> = raw.iter().map(|x| x / norm).collect();
            let embedding = if base64 {
                let bytes: Vec<u8> = vector.iter().flat_map(|x| x.to_le_bytes()).collect();
                Value::from(base64::engine::general_purpose::STANDARD.encode(bytes))
            } else {
                json!(vector)
            };
            json!({ "object": "embedding", "index": index, "embedding": embedding })
        })
        .collect();
    json!({
        "object": "list",
        "data": data,
        "model": body["model"],
        "usage": { "prompt_tokens": tokens, "total_tokens": tokens },
    })
}

fn text_or_json(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned)
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A fresh id shaped like Groq's: `prefix` then 26 lower-case Crockford base32 characters (a ULID: 10
/// of time, 16 random).
pub fn new_id(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let mut state = millis
        ^ COUNTER
            .fetch_add(1, Ordering::Relaxed)
            .wrapping_mul(0x9e37_79b9);
    let mut id = String::from(prefix);
    for i in (0..10).rev() {
        id.push(ALPHABET[((millis >> (i * 5)) & 31) as usize] as char);
    }
    for _ in 0..16 {
        id.push(ALPHABET[(splitmix(&mut state) & 31) as usize] as char);
    }
    id
}

/// The splitmix64 generator: good enough spread for ids and demo vectors.
pub fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
