//! A small, fast HTTP/1.1 server on loopback for the client benchmarks (`tests/benches/clients.rs`).
//!
//! It answers `POST /openai/v1/chat/completions` only, with responses rendered once and then written as they
//! are:
//!
//! - a body without `"stream":true` gets a fixed, realistic chat completion (about 1 KB of JSON);
//! - a body with `"stream":true` gets a `text/event-stream` of N chunk events (`data: {chunk}\n\n` × N, then
//!   `data: [DONE]\n\n`). N is [`DEFAULT_CHUNKS`] unless the request says otherwise with the
//!   [`CHUNKS_HEADER`] header or a `chunks=N` query parameter. By default the body is sent with
//!   `Transfer-Encoding: chunked`, one HTTP chunk per event, as the real API frames its streams (so a client
//!   reads the events one by one); `x-bench-framing: length` (or `framing=length`) sends it as one
//!   `Content-Length` body instead.
//!
//! Connections are kept alive. The server runs on its own threads (one accepting, one per connection, plain
//! blocking `std::net` I/O), outside any async runtime, so it shares nothing with the client under
//! measurement but the CPU. Both the SDK and the raw-reqwest baseline talk to the same server in the same
//! process, which keeps their comparison fair.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// The one path the server answers.
pub const CHAT_PATH: &str = "/openai/v1/chat/completions";
/// How many chunk events a stream has when the request does not say.
pub const DEFAULT_CHUNKS: usize = 20_000;
/// The request header that sets how many chunk events a stream has.
pub const CHUNKS_HEADER: &str = "x-bench-chunks";
/// The request header that sets how a stream's body is framed: `chunked` (the default) or `length`.
pub const FRAMING_HEADER: &str = "x-bench-framing";
/// The request id the server reports in `x-request-id`.
pub const REQUEST_ID: &str = "req_01hbench0000000000000000";

/// The largest request head (request line and headers) the server accepts.
const MAX_HEAD: usize = 64 * 1024;
/// The largest request body the server accepts.
const MAX_BODY: usize = 16 * 1024 * 1024;
/// How much one read of a request takes.
const READ_SIZE: usize = 16 * 1024;
/// The words the streamed completion is made of, cycled.
const WORDS: [&str; 16] = [
    " Fast",
    " language",
    " models",
    " matter",
    " because",
    " latency",
    " shapes",
    " how",
    " people",
    " use",
    " them:",
    " answers",
    " that",
    " arrive",
    " quickly",
    " feel",
];

/// How a stream's body is framed on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Framing {
    /// `Transfer-Encoding: chunked`, one HTTP chunk per event (the default, as the real API does).
    Chunked,
    /// One body with a `Content-Length`: the client reads as much as its buffers take.
    Length,
}

/// A running benchmark server. Dropping it stops accepting connections; open connections end when their
/// client closes them.
#[derive(Debug)]
pub struct BenchServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
}

impl BenchServer {
    /// Starts a server on an ephemeral port of 127.0.0.1, with the default stream
    /// ([`DEFAULT_CHUNKS`] events, chunked framing) already rendered.
    pub fn start() -> io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::new());
        shared.stream(DEFAULT_CHUNKS, Framing::Chunked);
        let stop = Arc::new(AtomicBool::new(false));
        let acceptor = {
            let stop = Arc::clone(&stop);
            std::thread::Builder::new()
                .name("bench-server-accept".into())
                .spawn(move || accept_loop(&listener, &shared, &stop))?
        };
        Ok(Self {
            addr,
            stop,
            acceptor: Some(acceptor),
        })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL to give a client (`http://127.0.0.1:PORT`).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The full URL of the chat completions endpoint.
    pub fn chat_url(&self) -> String {
        format!("http://{}{CHAT_PATH}", self.addr)
    }
}

impl Drop for BenchServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the acceptor, blocked in `accept`, so that it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

/// Rendered stream responses, by number of chunks and framing.
type Streams = HashMap<(usize, Framing), Arc<[u8]>>;

/// The rendered responses, shared by every connection.
struct Shared {
    completion: Arc<[u8]>,
    streams: Mutex<Streams>,
}

impl Shared {
    fn new() -> Self {
        let body = completion_json();
        let mut response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
             x-request-id: {REQUEST_ID}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        response.extend_from_slice(body.as_bytes());
        Self {
            completion: response.into(),
            streams: Mutex::new(HashMap::new()),
        }
    }

    /// The whole response (head and body) streaming `chunks` events, rendered on first use.
    fn stream(&self, chunks: usize, framing: Framing) -> Arc<[u8]> {
        let mut streams = self
            .streams
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Arc::clone(
            streams
                .entry((chunks, framing))
                .or_insert_with(|| render_stream(chunks, framing).into()),
        )
    }
}

/// The chat completion served to a request without `"stream":true` (about 1 KB).
pub fn completion_json() -> String {
    let content = "Fast language models matter because latency shapes how people use them. An answer \
                   that arrives in a few hundred milliseconds keeps a conversation flowing, lets an agent \
                   take many reasoning steps within a user's patience, and makes real-time uses such as \
                   voice assistants, live translation and interactive coding tools practical. Speed also \
                   lowers cost per task: a model that finishes sooner frees its hardware for the next \
                   request, so the same infrastructure serves more users.";
    serde_json::json!({
        "id": "chatcmpl-3a7c5b8e-2f1d-4c9a-9e6b-1d2c3b4a5f60",
        "object": "chat.completion",
        "created": 1_708_045_122,
        "model": "llama-3.3-70b-versatile",
        "system_fingerprint": "fp_c1a4bcec29",
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": content},
            "logprobs": null,
            "finish_reason": "stop"
        }],
        "usage": {
            "queue_time": 0.017_643_291,
            "prompt_tokens": 45,
            "prompt_time": 0.002_184_562,
            "completion_tokens": 84,
            "completion_time": 0.305_454_545,
            "total_tokens": 129,
            "total_time": 0.307_639_107
        },
        "x_groq": {"id": REQUEST_ID}
    })
    .to_string()
}

/// The JSON of chunk event `index` of a stream of `total` events: the first carries the role, the last the
/// finish reason and the usage, the others one word of content each.
pub fn chunk_json(index: usize, total: usize) -> String {
    let (delta, finish_reason, x_groq) = if index == 0 {
        (
            serde_json::json!({"role": "assistant", "content": ""}),
            serde_json::Value::Null,
            serde_json::json!({"id": REQUEST_ID}),
        )
    } else if index + 1 == total {
        (
            serde_json::json!({}),
            serde_json::json!("stop"),
            serde_json::json!({
                "id": REQUEST_ID,
                "usage": {
                    "queue_time": 0.017_643_291,
                    "prompt_tokens": 45,
                    "prompt_time": 0.002_184_562,
                    "completion_tokens": total,
                    "completion_time": 0.305_454_545,
                    "total_tokens": 45 + total,
                    "total_time": 0.307_639_107
                }
            }),
        )
    } else {
        (
            serde_json::json!({"content": WORDS[index % WORDS.len()]}),
            serde_json::Value::Null,
            serde_json::Value::Null,
        )
    };
    let mut chunk = serde_json::json!({
        "id": "chatcmpl-3a7c5b8e-2f1d-4c9a-9e6b-1d2c3b4a5f60",
        "object": "chat.completion.chunk",
        "created": 1_708_045_122,
        "model": "llama-3.3-70b-versatile",
        "system_fingerprint": "fp_c1a4bcec29",
        "choices": [{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish_reason}]
    });
    if !x_groq.is_null() {
        chunk["x_groq"] = x_groq;
    }
    chunk.to_string()
}

/// The whole response (head and body) of a stream of `chunks` events and `[DONE]`.
fn render_stream(chunks: usize, framing: Framing) -> Vec<u8> {
    let events = (0..chunks)
        .map(|i| format!("data: {}\n\n", chunk_json(i, chunks)))
        .chain(std::iter::once("data: [DONE]\n\n".to_owned()));
    let mut body = String::new();
    match framing {
        Framing::Chunked => {
            for event in events {
                let _ = write!(body, "{:x}\r\n{event}\r\n", event.len());
            }
            body.push_str("0\r\n\r\n");
        }
        Framing::Length => body.extend(events),
    }
    let length = match framing {
        Framing::Chunked => "transfer-encoding: chunked".to_owned(),
        Framing::Length => format!("content-length: {}", body.len()),
    };
    let mut response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\n\
         x-request-id: {REQUEST_ID}\r\n{length}\r\n\r\n"
    )
    .into_bytes();
    response.extend_from_slice(body.as_bytes());
    response
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>, stop: &Arc<AtomicBool>) {
    for connection in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(connection) = connection else { continue };
        let shared = Arc::clone(shared);
        let stop = Arc::clone(stop);
        let spawned = std::thread::Builder::new()
            .name("bench-server-conn".into())
            .spawn(move || {
                let _ = serve_connection(connection, &shared, &stop);
            });
        if spawned.is_err() {
            // Out of threads: the connection is dropped, and the client sees it closed.
            continue;
        }
    }
}

/// What the server needs of a request head.
#[derive(Debug, Default)]
struct Head {
    post: bool,
    path: String,
    content_length: usize,
    chunked_body: bool,
    close: bool,
    chunks: Option<usize>,
    framing: Option<Framing>,
}

/// Serves the requests of one connection, in order, until the client closes it.
fn serve_connection(mut socket: TcpStream, shared: &Shared, stop: &AtomicBool) -> io::Result<()> {
    socket.set_nodelay(true)?;
    let mut buffer: Vec<u8> = Vec::with_capacity(READ_SIZE);
    loop {
        let head_end = loop {
            if let Some(pos) = find(&buffer, b"\r\n\r\n") {
                break pos + 4;
            }
            if buffer.len() > MAX_HEAD {
                return reply_error(&mut socket, 431, "request head too large");
            }
            if read_more(&mut socket, &mut buffer)? == 0 {
                return Ok(());
            }
        };
        let head = parse_head(&buffer[..head_end]);
        if head.chunked_body {
            return reply_error(&mut socket, 501, "chunked request bodies are not supported");
        }
        if head.content_length > MAX_BODY {
            return reply_error(&mut socket, 413, "request body too large");
        }
        let end = head_end + head.content_length;
        while buffer.len() < end {
            if read_more(&mut socket, &mut buffer)? == 0 {
                return Ok(());
            }
        }
        let body = &buffer[head_end..end];
        if !head.post || head.path != CHAT_PATH {
            return reply_error(&mut socket, 404, "no such route");
        }
        if find(body, b"\"stream\":true").is_some() {
            let chunks = head.chunks.unwrap_or(DEFAULT_CHUNKS);
            let framing = head.framing.unwrap_or(Framing::Chunked);
            socket.write_all(&shared.stream(chunks, framing))?;
        } else {
            socket.write_all(&shared.completion)?;
        }
        buffer.drain(..end);
        if head.close || stop.load(Ordering::SeqCst) {
            return Ok(());
        }
    }
}

/// Reads what is available onto the end of `buffer`; 0 at the end of the input.
fn read_more(socket: &mut TcpStream, buffer: &mut Vec<u8>) -> io::Result<usize> {
    let len = buffer.len();
    buffer.resize(len + READ_SIZE, 0);
    let result = loop {
        match socket.read(&mut buffer[len..]) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => break other,
        }
    };
    buffer.truncate(len + *result.as_ref().unwrap_or(&0));
    result
}

/// Answers with an error and ends the connection.
fn reply_error(socket: &mut TcpStream, status: u16, message: &str) -> io::Result<()> {
    let body = serde_json::json!({"error": {"message": message, "type": "invalid_request_error"}})
        .to_string();
    let response = format!(
        "HTTP/1.1 {status} Error\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n{body}",
        body.len()
    );
    socket.write_all(response.as_bytes())
}

fn parse_head(bytes: &[u8]) -> Head {
    let text = String::from_utf8_lossy(bytes);
    let mut lines = text.split("\r\n");
    let mut head = Head::default();
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    head.post = parts.next() == Some("POST");
    let target = parts.next().unwrap_or_default();
    head.close = parts.next() == Some("HTTP/1.0");
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    head.path = path.to_owned();
    for (name, value) in query.split('&').filter_map(|pair| pair.split_once('=')) {
        apply_setting(&mut head, name, value);
    }
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let name = name.trim().to_ascii_lowercase();
        let value = value.trim();
        match name.as_str() {
            "content-length" => head.content_length = value.parse().unwrap_or(0),
            "transfer-encoding" => head.chunked_body = value.eq_ignore_ascii_case("chunked"),
            "connection" => head.close = value.eq_ignore_ascii_case("close"),
            CHUNKS_HEADER => apply_setting(&mut head, "chunks", value),
            FRAMING_HEADER => apply_setting(&mut head, "framing", value),
            _ => {}
        }
    }
    head
}

/// Applies a benchmark setting given as a query parameter or a header.
fn apply_setting(head: &mut Head, name: &str, value: &str) {
    match name {
        "chunks" => head.chunks = value.parse().ok(),
        "framing" => {
            head.framing = match value {
                "chunked" => Some(Framing::Chunked),
                "length" => Some(Framing::Length),
                _ => None,
            }
        }
        _ => {}
    }
}

/// The position of the first `needle` in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use groq_types::{
        ChatCompletion, ChatCompletionChunk, ChatCompletionRequestMessage as Message,
        CreateChatCompletionRequest,
    };

    fn request() -> CreateChatCompletionRequest {
        CreateChatCompletionRequest::from_messages("llama-3.3-70b-versatile", [Message::user("Hi")])
    }

    #[test]
    fn fixtures_parse_as_the_sdk_types() {
        let body = completion_json();
        assert!((900..1400).contains(&body.len()), "{}", body.len());
        let completion: ChatCompletion = serde_json::from_str(&body).unwrap();
        assert!(completion.content().unwrap().starts_with("Fast language"));
        for i in [0, 1, 2, 9] {
            let chunk: ChatCompletionChunk = serde_json::from_str(&chunk_json(i, 10)).unwrap();
            assert_eq!(chunk.choices.len(), 1);
        }
    }

    #[test]
    fn the_blocking_sdk_reads_a_completion_and_streams_of_both_framings() {
        let server = BenchServer::start().unwrap();
        for framing in ["chunked", "length"] {
            let client = groq_blocking::Client::builder()
                .api_key("k")
                .base_url(server.base_url())
                .default_header(CHUNKS_HEADER, "7")
                .default_header(FRAMING_HEADER, framing)
                .build()
                .unwrap();
            for _ in 0..3 {
                let completion = client.chat().completions().create(&request()).unwrap();
                assert_eq!(completion.choices.len(), 1);
                let chunks: Vec<_> = client
                    .chat()
                    .completions()
                    .create_stream(&request())
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap();
                assert_eq!(chunks.len(), 7);
                assert_eq!(chunks[1].delta_content(), Some(WORDS[1]));
            }
        }
    }

    #[test]
    fn unknown_routes_are_404() {
        let server = BenchServer::start().unwrap();
        let mut socket = TcpStream::connect(server.addr()).unwrap();
        socket
            .write_all(b"GET /nope HTTP/1.1\r\nhost: x\r\n\r\n")
            .unwrap();
        let mut response = String::new();
        socket.read_to_string(&mut response).unwrap();
        assert!(response.starts_with("HTTP/1.1 404"), "{response}");
    }
}
