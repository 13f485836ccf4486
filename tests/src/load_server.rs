//! A Groq-shaped HTTP/1.1 server for the load run (`tests/benches/load.rs`), meant to run in a process of
//! its own so that the client's memory and descriptors are measured alone.
//!
//! - `POST /openai/v1/chat/completions` without `"stream":true`: the benchmark's chat completion
//!   ([`completion_json`]), keep-alive;
//! - with `"stream":true`: a chunked `text/event-stream` of [`EVENTS_HEADER`] chunk events (default 20),
//!   the first at once and each next one [`GAP_HEADER`] milliseconds later (default 20), then `[DONE]`; a
//!   client that goes away is noticed at the next event;
//! - `GET /stats`: `{"open":…,"max_open":…,"accepted":…,"requests":…}` — connections open now (not counting
//!   the one asking), the most open at once, connections accepted and requests answered so far.
//!
//! One thread per connection, plain blocking `std::net` I/O.

use crate::bench_server::{chunk_json, completion_json};
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The request header that sets how many chunk events a stream has.
pub const EVENTS_HEADER: &str = "x-load-events";
/// The request header that sets the milliseconds between two events of a stream.
pub const GAP_HEADER: &str = "x-load-gap-ms";

/// The server's counters, as `GET /stats` reports them.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct Stats {
    /// Connections open now (the one asking not counted).
    pub open: usize,
    /// The most connections open at once.
    pub max_open: usize,
    /// Connections accepted so far.
    pub accepted: usize,
    /// Requests answered so far.
    pub requests: usize,
}

#[derive(Default)]
struct Counters {
    open: AtomicUsize,
    max_open: AtomicUsize,
    accepted: AtomicUsize,
    requests: AtomicUsize,
}

/// Serves on `listener` until the process ends.
pub fn serve(listener: TcpListener) -> io::Result<()> {
    let counters = Arc::new(Counters::default());
    let completion: Arc<[u8]> = {
        let body = completion_json();
        let mut response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        response.extend_from_slice(body.as_bytes());
        response.into()
    };
    for socket in listener.incoming() {
        let Ok(socket) = socket else { continue };
        let counters = Arc::clone(&counters);
        let completion = Arc::clone(&completion);
        counters.accepted.fetch_add(1, Ordering::SeqCst);
        let open = counters.open.fetch_add(1, Ordering::SeqCst) + 1;
        counters.max_open.fetch_max(open, Ordering::SeqCst);
        let spawned = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                let _ = serve_connection(socket, &counters, &completion);
                counters.open.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            // The socket went with the closure; it is closed.
            eprintln!("load server: cannot spawn a connection thread");
        }
    }
    Ok(())
}

/// A request's head, as far as the server cares.
struct Head {
    get_stats: bool,
    content_length: usize,
    events: usize,
    gap: Duration,
}

fn serve_connection(
    mut socket: TcpStream,
    counters: &Counters,
    completion: &[u8],
) -> io::Result<()> {
    socket.set_nodelay(true)?;
    let mut buffer = Vec::with_capacity(4096);
    loop {
        let head_end = loop {
            if let Some(end) = find(&buffer, b"\r\n\r\n") {
                break end + 4;
            }
            if buffer.len() > 64 * 1024 || !read_more(&mut socket, &mut buffer)? {
                return Ok(());
            }
        };
        let head = parse_head(&buffer[..head_end]);
        while buffer.len() < head_end + head.content_length {
            if !read_more(&mut socket, &mut buffer)? {
                return Ok(());
            }
        }
        let stream = find(
            &buffer[head_end..head_end + head.content_length],
            b"\"stream\":true",
        )
        .is_some();
        buffer.drain(..head_end + head.content_length);
        counters.requests.fetch_add(1, Ordering::SeqCst);
        if head.get_stats {
            let stats = Stats {
                open: counters.open.load(Ordering::SeqCst).saturating_sub(1),
                max_open: counters.max_open.load(Ordering::SeqCst),
                accepted: counters.accepted.load(Ordering::SeqCst),
                requests: counters.requests.load(Ordering::SeqCst),
            };
            let body = serde_json::to_string(&stats).unwrap_or_default();
            write!(
                socket,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            )?;
            return Ok(());
        }
        if !stream {
            socket.write_all(completion)?;
            continue;
        }
        socket.write_all(
            b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n",
        )?;
        for index in 0..head.events {
            if index > 0 && !head.gap.is_zero() {
                std::thread::sleep(head.gap);
            }
            write_chunk(
                &mut socket,
                &format!("data: {}\n\n", chunk_json(index, head.events)),
            )?;
        }
        write_chunk(&mut socket, "data: [DONE]\n\n")?;
        socket.write_all(b"0\r\n\r\n")?;
    }
}

fn write_chunk(socket: &mut TcpStream, text: &str) -> io::Result<()> {
    let mut framed = format!("{:x}\r\n", text.len()).into_bytes();
    framed.extend_from_slice(text.as_bytes());
    framed.extend_from_slice(b"\r\n");
    socket.write_all(&framed)
}

/// Reads more bytes; `false` once the client closed the connection.
fn read_more(socket: &mut TcpStream, buffer: &mut Vec<u8>) -> io::Result<bool> {
    let mut chunk = [0u8; 16 * 1024];
    let n = socket.read(&mut chunk)?;
    buffer.extend_from_slice(&chunk[..n]);
    Ok(n > 0)
}

fn parse_head(bytes: &[u8]) -> Head {
    let text = String::from_utf8_lossy(bytes);
    let mut lines = text.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut head = Head {
        get_stats: request_line.starts_with("GET /stats"),
        content_length: 0,
        events: 20,
        gap: Duration::from_millis(20),
    };
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => head.content_length = value.parse().unwrap_or(0),
            EVENTS_HEADER => head.events = value.parse().unwrap_or(20),
            GAP_HEADER => head.gap = Duration::from_millis(value.parse().unwrap_or(20)),
            _ => {}
        }
    }
    head
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// Asks the server at `addr` for its [`Stats`] (over a connection of its own, closed afterwards).
pub fn stats(addr: std::net::SocketAddr) -> io::Result<Stats> {
    let mut socket = TcpStream::connect(addr)?;
    socket.set_read_timeout(Some(Duration::from_secs(10)))?;
    socket.write_all(b"GET /stats HTTP/1.1\r\nhost: load\r\nconnection: close\r\n\r\n")?;
    let mut response = Vec::new();
    socket.read_to_end(&mut response)?;
    let body = find(&response, b"\r\n\r\n").map_or(&response[..0], |end| &response[end + 4..]);
    serde_json::from_slice(body).map_err(io::Error::other)
}
