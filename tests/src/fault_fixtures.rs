//! Bodies and replies for the fault matrix (`tests/tests/fault_matrix.rs`): well-formed answers of the
//! API (a model list, a completion, chunks, audio) and the ways a server can mangle them (trickled one
//! byte at a time, cut, stalled, reset, framed as something else).

use crate::scripted::{Part, Reply};
use serde_json::{json, Value};
use std::time::{Duration, SystemTime};

/// A model list of one model.
pub const MODELS: &str =
    r#"{"object":"list","data":[{"id":"m","object":"model","created":1,"owned_by":"g"}]}"#;

/// A chat completion whose answer is `content`.
pub fn completion(content: &str) -> String {
    json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "llama-3.3-70b-versatile",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}
    })
    .to_string()
}

/// A chunk of a streamed completion carrying `content`.
pub fn chunk(content: &str) -> Value {
    json!({
        "id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "llama-3.3-70b-versatile",
        "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": null}]
    })
}

/// An unnamed event whose data is `value`, blank line included.
pub fn event(value: &Value) -> String {
    format!("data: {value}\n\n")
}

/// The event ending a stream.
pub const DONE: &str = "data: [DONE]\n\n";

/// A whole, well-formed stream: one chunk per piece of `content`, then `[DONE]`.
pub fn stream_of(contents: &[&str]) -> Reply {
    let mut events: Vec<String> = contents.iter().map(|c| event(&chunk(c))).collect();
    events.push(DONE.to_owned());
    let events: Vec<&str> = events.iter().map(String::as_str).collect();
    Reply::sse(&events)
}

/// `n` bytes of fake audio.
pub fn audio(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i % 251) as u8).collect()
}

/// A complete binary reply (`audio/wav`) of `n` bytes.
pub fn audio_reply(n: usize) -> Reply {
    Reply::bytes(200, "audio/wav", &audio(n))
}

/// The value of a `retry-after` header that names the moment `secs` seconds from now as an HTTP date.
pub fn http_date_in(secs: u64) -> String {
    httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(secs))
}

/// A `200` reply of `content_type` whose body (`Content-Length` framed) is written one byte at a time,
/// `gap` apart.
pub fn trickled(content_type: &str, body: &[u8], gap: Duration) -> Reply {
    let mut reply = Reply::new(200)
        .header("Content-Type", content_type)
        .header("Content-Length", &body.len().to_string());
    for byte in body {
        reply = reply.part(Part::Bytes(vec![*byte])).part(Part::Delay(gap));
    }
    reply
}

/// A `200 text/event-stream` reply whose events arrive one byte per chunk, `gap` apart.
pub fn trickled_stream(text: &str, gap: Duration) -> Reply {
    let mut reply = Reply::sse(&[]);
    for byte in text.bytes() {
        reply = reply.part(Part::Bytes(vec![byte])).part(Part::Delay(gap));
    }
    reply
}

/// A `200` reply announcing `announced` bytes of `content_type`, sending only `sent`, then ending with
/// `end` ([`Part::Cut`], [`Part::Reset`] or [`Part::HoldOpen`]).
pub fn broken_body(content_type: &str, announced: usize, sent: &[u8], end: Part) -> Reply {
    Reply::new(200)
        .header("Content-Type", content_type)
        .header("Content-Length", &announced.to_string())
        .part(Part::Bytes(sent.to_vec()))
        .part(end)
}

/// A connection that ends with `end` before any header is written.
pub fn no_headers(end: Part) -> Reply {
    Reply::new(200).part(end).part(Part::Head)
}

/// `reply`, with `before` written ahead of its status line and headers.
pub fn before_headers(reply: Reply, before: Vec<Part>) -> Reply {
    let mut parts = before;
    parts.push(Part::Head);
    parts.extend(reply.parts);
    Reply { parts, ..reply }
}

/// A reply whose headers come only after `delay`.
pub fn slow_headers(reply: Reply, delay: Duration) -> Reply {
    before_headers(reply, vec![Part::Delay(delay)])
}

/// An HTML error page, as a proxy or load balancer sends it.
pub fn html_page(status: u16) -> Reply {
    Reply::bytes(
        status,
        "text/html; charset=utf-8",
        format!("<html><head><title>{status}</title></head><body><h1>{status} Bad Gateway</h1><p>nginx</p></body></html>").as_bytes(),
    )
}

/// The API's error body.
pub fn api_error(message: &str, kind: &str) -> String {
    json!({"error": {"message": message, "type": kind}}).to_string()
}
