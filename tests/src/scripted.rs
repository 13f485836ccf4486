//! A scripted HTTP/1.1 server on `127.0.0.1` for scenarios that mock libraries cannot express: bodies
//! cut mid-stream, delays between events, connections held open, replies that lie about their length.
//!
//! Built on `std::net` and threads only (no async runtime): one accept thread, one thread per connection.
//! Each incoming request takes the next [`Reply`] of the script, in order; once the script is exhausted
//! the server answers `500` with the body `no scripted reply`. Every request is recorded ([`Recorded`]).
//!
//! How a reply is written (its *framing*):
//! * [`Framing::Auto`] (the default):
//!   * the reply has a `Content-Length` header → the parts are written as given and the connection stays
//!     open for the next request (keep-alive), unless the script used [`Part::Cut`] / [`Part::HoldOpen`]
//!     or the request asked for `Connection: close`;
//!   * the reply has a `Transfer-Encoding` header → the parts are written as given (the script frames the
//!     body itself) and the connection is closed afterwards;
//!   * otherwise (streams) → the server adds `Transfer-Encoding: chunked` and `Connection: close`, writes
//!     each [`Part::Bytes`] as one chunk, then the terminating `0\r\n\r\n` chunk and closes. A
//!     [`Part::Cut`] therefore leaves the chunked body unterminated: the client sees a truncated body, an
//!     error, never a normal end. With a `Connection: keep-alive` header of the script's, it keeps the
//!     connection open for the next request instead ([`Reply::sse_keep_alive`]).
//! * [`Framing::Raw`]: status line, headers (plus `Connection: close` if absent) and parts exactly as
//!   given, then close. The body is delimited by the close, so a cut cannot be told from a normal end.
//!
//! The server never panics on client misbehaviour: malformed requests get a `400` and the connection is
//! closed; I/O errors end the connection thread quietly.
//!
//! ```no_run
//! use groq_tests::scripted::{Part, Reply, ScriptedServer};
//! use std::time::Duration;
//!
//! let server = ScriptedServer::start(vec![
//!     Reply::json(429, r#"{"error":{"message":"slow down"}}"#).header("retry-after-ms", "10"),
//!     Reply::sse(&["data: {\"id\":\"1\"}\n\n"])
//!         .part(Part::Delay(Duration::from_millis(50)))
//!         .part(Part::Cut),
//! ]);
//! let _base_url = server.url();
//! // ... drive a client ...
//! assert_eq!(server.requests().len(), 2);
//! ```

use std::collections::VecDeque;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// How often blocked server threads wake up to check whether the server was dropped.
const POLL: Duration = Duration::from_millis(20);
/// The largest request head (request line and headers) the server accepts.
const MAX_HEAD: usize = 64 * 1024;
/// The largest request body the server accepts (bigger bodies get a 413 and the connection is closed).
const MAX_BODY: u64 = 256 * 1024 * 1024;

/// One piece of a scripted reply body, written in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// Bytes written (and flushed) as they are; with automatic stream framing, one chunk.
    Bytes(Vec<u8>),
    /// Wait before writing the next part. A client that closes the connection meanwhile is noticed
    /// (see [`ScriptedServer::wait_for_client_close`]) and ends the reply.
    Delay(Duration),
    /// Close the socket now, mid-body: the remaining parts are not written.
    Cut,
    /// Stop writing but keep the connection open until the client goes away (or the server is
    /// dropped). The client going away is recorded for [`ScriptedServer::wait_for_client_close`].
    HoldOpen,
    /// Abort the connection now with a TCP reset (`SO_LINGER` 0, then close): the client sees
    /// "connection reset" rather than an orderly end. The remaining parts are not written.
    Reset,
    /// Write the status line and headers here. Without a `Head` part they are written before the first
    /// part; with one, the parts before it come first (a [`Delay`](Part::Delay) makes slow headers,
    /// [`Bytes`](Part::Bytes) are written unframed, a [`Cut`](Part::Cut) or [`Reset`](Part::Reset)
    /// ends the connection before any header).
    Head,
}

/// How the server frames a reply body on the wire; see the [module documentation](self).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Framing {
    /// `Content-Length` replies as given (keep-alive), others chunked by the server then closed.
    #[default]
    Auto,
    /// Everything exactly as given, no framing added; the connection is closed after the reply.
    Raw,
}

/// A scripted reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// The response headers, written in order as given.
    pub headers: Vec<(String, String)>,
    /// The body parts, written in order.
    pub parts: Vec<Part>,
    /// How the body is framed on the wire.
    pub framing: Framing,
}

impl Reply {
    /// A reply with `status`, no headers and no body parts (add them with [`header`](Self::header) and
    /// [`part`](Self::part)). Without a `Content-Length` header it is written as a chunked stream.
    pub fn new(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            parts: Vec::new(),
            framing: Framing::Auto,
        }
    }

    /// A complete `application/json` reply with a `Content-Length` (the connection is kept alive).
    pub fn json(status: u16, body: &str) -> Self {
        Self::bytes(status, "application/json", body.as_bytes())
    }

    /// A complete reply of the given content type with a `Content-Length` (the connection is kept alive).
    pub fn bytes(status: u16, content_type: &str, body: &[u8]) -> Self {
        Self::new(status)
            .header("Content-Type", content_type)
            .header("Content-Length", &body.len().to_string())
            .part(Part::Bytes(body.to_vec()))
    }

    /// A `200 text/event-stream` reply without `Content-Length`, `Connection: close`, each event written
    /// (and flushed) exactly as given, as one chunk of a chunked body: include the blank line ending
    /// each event yourself (`"data: {}\n\n"`). Append [`Part`]s to add delays, a cut or a hold.
    pub fn sse(events: &[&str]) -> Self {
        let mut reply = Self::new(200)
            .header("Content-Type", "text/event-stream")
            .header("Cache-Control", "no-cache")
            .header("Connection", "close");
        for event in events {
            reply = reply.part(Part::Bytes(event.as_bytes().to_vec()));
        }
        reply
    }

    /// [`Reply::sse`] over a connection kept open for the next request (chunked, `Connection: keep-alive`).
    pub fn sse_keep_alive(events: &[&str]) -> Self {
        let mut reply = Self::sse(events);
        for (name, value) in &mut reply.headers {
            if name.eq_ignore_ascii_case("connection") {
                *value = "keep-alive".into();
            }
        }
        reply
    }

    /// Adds a header (written in order, after those already present).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Appends a body part.
    pub fn part(mut self, part: Part) -> Self {
        self.parts.push(part);
        self
    }

    /// Sets how the body is framed.
    pub fn framing(mut self, framing: Framing) -> Self {
        self.framing = framing;
        self
    }

    fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case(name))
    }
}

/// A request as the server received it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    /// The method, as sent (`GET`, `POST`…).
    pub method: String,
    /// The request target as received: path and query, still percent-encoded.
    pub target: String,
    /// The headers in the order received, names lowercased, values trimmed.
    pub headers: Vec<(String, String)>,
    /// The body, with any chunked transfer encoding removed.
    pub body: Vec<u8>,
}

impl Recorded {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of header `name` (case-insensitive), in order.
    pub fn header_all(&self, name: &str) -> Vec<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .filter(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The path part of the target (before any `?`).
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// The raw query (after the first `?`), if any.
    pub fn query(&self) -> Option<&str> {
        self.target.split_once('?').map(|(_, q)| q)
    }

    /// The body as text (lossy UTF-8).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

#[derive(Default)]
struct State {
    replies: Mutex<VecDeque<Reply>>,
    requests: Mutex<Vec<Recorded>>,
    client_closes: Mutex<usize>,
    client_closed: Condvar,
    connections: AtomicUsize,
    /// Connections accepted and not closed yet.
    open: AtomicUsize,
    /// When each request (in `requests`) had been read.
    arrivals: Mutex<Vec<Instant>>,
    stop: AtomicBool,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl State {
    fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    fn note_client_close(&self) {
        *lock(&self.client_closes) += 1;
        self.client_closed.notify_all();
    }
}

/// A scripted HTTP/1.1 server on `127.0.0.1`. Dropping it stops the accept thread (joined) and makes the
/// connection threads end within a few tens of milliseconds.
pub struct ScriptedServer {
    addr: SocketAddr,
    state: Arc<State>,
    accept: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for ScriptedServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScriptedServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl ScriptedServer {
    /// Starts a server on a free loopback port that answers requests with `replies`, in order.
    ///
    /// # Panics
    /// When no loopback port can be bound (a broken test environment).
    pub fn start(replies: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        listener
            .set_nonblocking(true)
            .expect("make the listener nonblocking");
        let addr = listener.local_addr().expect("listener address");
        let state = Arc::new(State {
            replies: Mutex::new(replies.into()),
            ..State::default()
        });
        let accept_state = Arc::clone(&state);
        let accept = thread::Builder::new()
            .name(format!("scripted-accept-{}", addr.port()))
            .spawn(move || accept_loop(listener, accept_state))
            .expect("spawn the accept thread");
        Self {
            addr,
            state,
            accept: Some(accept),
        }
    }

    /// The base URL, `http://127.0.0.1:PORT` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The socket address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The requests received so far, in order of arrival.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.state.requests).clone()
    }

    /// How many TCP connections the server has accepted so far (to check connection reuse).
    pub fn connections(&self) -> usize {
        self.state.connections.load(Ordering::SeqCst)
    }

    /// How many accepted connections are still open on the server's side. A connection closes once the
    /// client closes it (the server notices within a few tens of milliseconds) or once its reply ends
    /// it; so after a client is dropped this falls to 0 unless the client leaked a socket.
    pub fn open_connections(&self) -> usize {
        self.state.open.load(Ordering::SeqCst)
    }

    /// When each request of [`requests`](Self::requests) had been read, in the same order: the gap
    /// between two is at least the wait the client made before the second.
    pub fn arrivals(&self) -> Vec<Instant> {
        lock(&self.state.arrivals).clone()
    }

    /// Appends replies to the script.
    pub fn push(&self, reply: Reply) {
        lock(&self.state.replies).push_back(reply);
    }

    /// How many scripted replies have not been used yet.
    pub fn remaining(&self) -> usize {
        lock(&self.state.replies).len()
    }

    /// How many times so far the server saw a client close its connection while a reply was being
    /// written, delayed or held open.
    pub fn client_closes(&self) -> usize {
        *lock(&self.state.client_closes)
    }

    /// Waits up to `timeout` until the server has seen a client close a connection while the server was
    /// writing, delaying ([`Part::Delay`]) or holding ([`Part::HoldOpen`]) a reply (read returning 0, or
    /// a write/read error). Returns `true` at once if that already happened. Used to prove that
    /// dropping a stream releases its connection immediately.
    ///
    /// This blocks the calling thread: in an async test, call it through `spawn_blocking` (or poll
    /// [`client_closes`](Self::client_closes) between `sleep`s) — blocking the only thread of a
    /// current-thread runtime keeps hyper's connection task from ever running, so the close never
    /// happens.
    pub fn wait_for_client_close(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut closes = lock(&self.state.client_closes);
        while *closes == 0 {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            closes = match self
                .state
                .client_closed
                .wait_timeout(closes, deadline - now)
            {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
        true
    }
}

impl Drop for ScriptedServer {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::SeqCst);
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

fn accept_loop(listener: TcpListener, state: Arc<State>) {
    while !state.stopped() {
        match listener.accept() {
            Ok((stream, _)) => {
                state.connections.fetch_add(1, Ordering::SeqCst);
                state.open.fetch_add(1, Ordering::SeqCst);
                let conn_state = Arc::clone(&state);
                let spawned = thread::Builder::new()
                    .name("scripted-conn".to_owned())
                    .spawn(move || {
                        let mut conn = Connection {
                            stream,
                            buf: Vec::new(),
                            state: Arc::clone(&conn_state),
                            reset: false,
                        };
                        let _ = conn.serve();
                        if !conn.reset {
                            let _ = conn.stream.shutdown(Shutdown::Both);
                        }
                        drop(conn);
                        conn_state.open.fetch_sub(1, Ordering::SeqCst);
                    });
                // Out of threads: the stream was moved into the failed closure and is closed.
                if spawned.is_err() {
                    state.open.fetch_sub(1, Ordering::SeqCst);
                }
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock || e.kind() == ErrorKind::Interrupted => {
                thread::sleep(Duration::from_millis(5));
            }
            Err(_) => thread::sleep(Duration::from_millis(5)),
        }
    }
}

/// Why serving a connection ended early.
#[derive(Debug)]
enum End {
    /// The client closed the connection (or it broke).
    Closed,
    /// The server is being dropped.
    Stopped,
    /// The request could not be parsed; answered with this status and closed.
    Bad(u16, &'static str),
    /// Any other I/O error.
    Io,
}

impl From<io::Error> for End {
    fn from(_: io::Error) -> Self {
        End::Io
    }
}

struct Connection {
    stream: TcpStream,
    /// Bytes read but not consumed yet.
    buf: Vec<u8>,
    state: Arc<State>,
    /// The connection is being aborted with a reset: close it without an orderly shutdown.
    reset: bool,
}

/// What happened while writing a reply.
enum Written {
    /// The reply was written in full and the connection can serve another request.
    KeepAlive,
    /// The connection must be closed now.
    Close,
}

impl Connection {
    fn serve(&mut self) -> Result<(), End> {
        self.stream.set_nonblocking(false)?;
        self.stream.set_read_timeout(Some(POLL))?;
        let _ = self.stream.set_nodelay(true);
        loop {
            let request = match self.read_request() {
                Ok(Some(request)) => request,
                Ok(None) => return Ok(()),
                Err(End::Bad(status, message)) => {
                    let _ = self.write_simple(status, message);
                    return Err(End::Bad(status, message));
                }
                Err(e) => return Err(e),
            };
            let client_wants_close = request
                .header("connection")
                .is_some_and(|v| v.to_ascii_lowercase().contains("close"));
            {
                let mut requests = lock(&self.state.requests);
                lock(&self.state.arrivals).push(Instant::now());
                requests.push(request);
            }
            let reply = lock(&self.state.replies).pop_front().unwrap_or_else(|| {
                Reply::bytes(500, "text/plain; charset=utf-8", b"no scripted reply")
            });
            match self.write_reply(&reply)? {
                Written::KeepAlive if !client_wants_close => continue,
                _ => return Ok(()),
            }
        }
    }

    /// Reads more bytes into `buf`. `Ok(false)` on end of stream.
    fn fill(&mut self) -> Result<bool, End> {
        let mut chunk = [0u8; 16 * 1024];
        loop {
            if self.state.stopped() {
                return Err(End::Stopped);
            }
            match self.stream.read(&mut chunk) {
                Ok(0) => return Ok(false),
                Ok(n) => {
                    self.buf.extend_from_slice(&chunk[..n]);
                    return Ok(true);
                }
                Err(e) if is_timeout(&e) || e.kind() == ErrorKind::Interrupted => continue,
                Err(_) => return Err(End::Closed),
            }
        }
    }

    /// Reads until `buf` holds a full line ending in `\n`; returns it without the line ending.
    fn read_line(&mut self, limit: usize) -> Result<Vec<u8>, End> {
        loop {
            if let Some(pos) = self.buf.iter().position(|&b| b == b'\n') {
                let mut line: Vec<u8> = self.buf.drain(..=pos).collect();
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(line);
            }
            if self.buf.len() > limit {
                return Err(End::Bad(400, "line too long"));
            }
            if !self.fill()? {
                return Err(End::Closed);
            }
        }
    }

    /// Reads exactly `n` bytes (from `buf` first).
    fn read_exact_body(&mut self, n: u64, out: &mut Vec<u8>) -> Result<(), End> {
        let mut left = n;
        while left > 0 {
            if self.buf.is_empty() && !self.fill()? {
                return Err(End::Closed);
            }
            let take = usize::try_from(left)
                .unwrap_or(usize::MAX)
                .min(self.buf.len());
            out.extend(self.buf.drain(..take));
            left -= take as u64;
        }
        Ok(())
    }

    /// Reads the next request. `Ok(None)` when the client closed the connection between requests.
    fn read_request(&mut self) -> Result<Option<Recorded>, End> {
        // Skip empty lines between requests (tolerated by RFC 9112).
        let request_line = loop {
            if self.buf.is_empty() && !self.fill()? {
                return Ok(None);
            }
            let line = match self.read_line(MAX_HEAD) {
                Ok(line) => line,
                Err(End::Closed) if self.buf.is_empty() => return Ok(None),
                Err(e) => return Err(e),
            };
            if !line.is_empty() {
                break line;
            }
        };
        let request_line = String::from_utf8_lossy(&request_line).into_owned();
        let mut words = request_line.split_whitespace();
        let (Some(method), Some(target), Some(version)) =
            (words.next(), words.next(), words.next())
        else {
            return Err(End::Bad(400, "malformed request line"));
        };
        if !version.starts_with("HTTP/1.") {
            return Err(End::Bad(505, "HTTP version not supported"));
        }
        let (method, target, http10) =
            (method.to_owned(), target.to_owned(), version == "HTTP/1.0");

        let mut headers = Vec::new();
        let mut head_size = request_line.len();
        loop {
            let line = self.read_line(MAX_HEAD)?;
            if line.is_empty() {
                break;
            }
            head_size += line.len();
            if head_size > MAX_HEAD {
                return Err(End::Bad(431, "request header fields too large"));
            }
            let line = String::from_utf8_lossy(&line).into_owned();
            let Some((name, value)) = line.split_once(':') else {
                return Err(End::Bad(400, "malformed header line"));
            };
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
        if http10 && !headers.iter().any(|(k, _)| k == "connection") {
            headers.push(("connection".to_owned(), "close".to_owned()));
        }
        let mut request = Recorded {
            method,
            target,
            headers,
            body: Vec::new(),
        };

        let chunked = request
            .header_all("transfer-encoding")
            .iter()
            .any(|v| v.to_ascii_lowercase().contains("chunked"));
        let length = match request.header("content-length") {
            None => None,
            Some(v) => match v.parse::<u64>() {
                Ok(n) => Some(n),
                Err(_) => return Err(End::Bad(400, "invalid content-length")),
            },
        };
        if chunked || length.is_some_and(|n| n > 0) {
            let expects_continue = request
                .header("expect")
                .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"));
            if expects_continue && self.buf.is_empty() {
                self.stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
            }
        }
        if chunked {
            request.body = self.read_chunked()?;
        } else if let Some(n) = length {
            if n > MAX_BODY {
                return Err(End::Bad(413, "request body too large"));
            }
            let mut body = Vec::new();
            self.read_exact_body(n, &mut body)?;
            request.body = body;
        }
        Ok(Some(request))
    }

    fn read_chunked(&mut self) -> Result<Vec<u8>, End> {
        let mut body = Vec::new();
        loop {
            let line = self.read_line(4096)?;
            let line = String::from_utf8_lossy(&line).into_owned();
            let size = line.split(';').next().unwrap_or("").trim();
            let Ok(size) = u64::from_str_radix(size, 16) else {
                return Err(End::Bad(400, "malformed chunk size"));
            };
            if size == 0 {
                // Trailers, up to the empty line.
                while !self.read_line(MAX_HEAD)?.is_empty() {}
                return Ok(body);
            }
            if body.len() as u64 + size > MAX_BODY {
                return Err(End::Bad(413, "request body too large"));
            }
            self.read_exact_body(size, &mut body)?;
            if !self.read_line(16)?.is_empty() {
                return Err(End::Bad(400, "chunk not followed by CRLF"));
            }
        }
    }

    fn write_simple(&mut self, status: u16, message: &str) -> io::Result<()> {
        let head = format!(
            "HTTP/1.1 {status} {}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{message}",
            reason(status),
            message.len()
        );
        self.stream.write_all(head.as_bytes())?;
        self.stream.flush()
    }

    fn write_reply(&mut self, reply: &Reply) -> Result<Written, End> {
        let raw = reply.framing == Framing::Raw;
        let has_length = reply.has_header("content-length");
        let has_encoding = reply.has_header("transfer-encoding");
        let server_chunks = !raw && !has_length && !has_encoding;
        let holds = reply
            .parts
            .iter()
            .any(|p| matches!(p, Part::Cut | Part::HoldOpen | Part::Reset));
        let asks_keep_alive = reply.headers.iter().any(|(k, v)| {
            k.eq_ignore_ascii_case("connection") && v.eq_ignore_ascii_case("keep-alive")
        });
        let keep_alive = !raw && !holds && (has_length || (server_chunks && asks_keep_alive));

        let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
        for (name, value) in &reply.headers {
            head.push_str(name);
            head.push_str(": ");
            head.push_str(value);
            head.push_str("\r\n");
        }
        if server_chunks {
            head.push_str("Transfer-Encoding: chunked\r\n");
        }
        if !keep_alive && !reply.has_header("connection") {
            head.push_str("Connection: close\r\n");
        }
        head.push_str("\r\n");
        let mut head_written = !reply.parts.contains(&Part::Head);
        if head_written {
            self.write_or_note(head.as_bytes())?;
        }

        // A chunked body's last chunk goes out with its terminating chunk, in one write, as servers write
        // them: a client that reads the last event has the body's end too.
        let last = reply.parts.len().checked_sub(1);
        let mut terminated = false;
        for (index, part) in reply.parts.iter().enumerate() {
            match part {
                Part::Head if !head_written => {
                    head_written = true;
                    self.write_or_note(head.as_bytes())?;
                }
                Part::Head => {}
                Part::Bytes(bytes) if bytes.is_empty() => {}
                Part::Bytes(bytes) if !head_written => self.write_or_note(bytes)?,
                Part::Bytes(bytes) if server_chunks => {
                    let mut framed = format!("{:x}\r\n", bytes.len()).into_bytes();
                    framed.extend_from_slice(bytes);
                    framed.extend_from_slice(b"\r\n");
                    if Some(index) == last {
                        framed.extend_from_slice(b"0\r\n\r\n");
                        terminated = true;
                    }
                    self.write_or_note(&framed)?;
                }
                Part::Bytes(bytes) => self.write_or_note(bytes)?,
                Part::Delay(delay) => self.delay(*delay)?,
                Part::Cut => {
                    let _ = self.stream.shutdown(Shutdown::Both);
                    return Ok(Written::Close);
                }
                Part::HoldOpen => {
                    self.hold_open()?;
                    return Ok(Written::Close);
                }
                Part::Reset => {
                    self.reset = true;
                    abort_with_reset(&self.stream);
                    return Ok(Written::Close);
                }
            }
        }
        if server_chunks && !terminated {
            self.write_or_note(b"0\r\n\r\n")?;
        }
        Ok(if keep_alive {
            Written::KeepAlive
        } else {
            Written::Close
        })
    }

    /// Writes and flushes; a failure means the client went away.
    fn write_or_note(&mut self, bytes: &[u8]) -> Result<(), End> {
        if self.state.stopped() {
            return Err(End::Stopped);
        }
        match self
            .stream
            .write_all(bytes)
            .and_then(|()| self.stream.flush())
        {
            Ok(()) => Ok(()),
            Err(_) => {
                self.state.note_client_close();
                Err(End::Closed)
            }
        }
    }

    /// Checks, without consuming anything, whether the client closed the connection: waits up to the
    /// read timeout. `Ok(true)` when data is pending (the caller can no longer block on `peek`).
    fn peek_closed(&mut self) -> Result<bool, End> {
        let mut probe = [0u8; 1];
        match self.stream.peek(&mut probe) {
            Ok(0) => {
                self.state.note_client_close();
                Err(End::Closed)
            }
            Ok(_) => Ok(true),
            Err(e) if is_timeout(&e) || e.kind() == ErrorKind::Interrupted => Ok(false),
            Err(_) => {
                self.state.note_client_close();
                Err(End::Closed)
            }
        }
    }

    /// Waits `delay`, noticing a client that goes away meanwhile.
    fn delay(&mut self, delay: Duration) -> Result<(), End> {
        let deadline = Instant::now() + delay;
        let mut data_pending = false;
        loop {
            if self.state.stopped() {
                return Err(End::Stopped);
            }
            let now = Instant::now();
            if now >= deadline {
                return Ok(());
            }
            let left = (deadline - now).min(POLL);
            if data_pending {
                thread::sleep(left);
                continue;
            }
            self.stream.set_read_timeout(Some(left))?;
            let probed = self.peek_closed();
            self.stream.set_read_timeout(Some(POLL))?;
            data_pending = probed?;
        }
    }

    /// Keeps the connection open, reading and discarding whatever the client sends, until the client
    /// closes it or the server is dropped.
    fn hold_open(&mut self) -> Result<(), End> {
        let mut sink = [0u8; 4096];
        loop {
            if self.state.stopped() {
                return Err(End::Stopped);
            }
            match self.stream.read(&mut sink) {
                Ok(0) => {
                    self.state.note_client_close();
                    return Ok(());
                }
                Ok(_) => {}
                Err(e) if is_timeout(&e) || e.kind() == ErrorKind::Interrupted => {}
                Err(_) => {
                    self.state.note_client_close();
                    return Ok(());
                }
            }
        }
    }
}

/// Makes closing `stream` send a TCP reset instead of an orderly end (`SO_LINGER` with a zero timeout).
fn abort_with_reset(stream: &TcpStream) {
    use std::os::fd::AsRawFd;
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: `stream` owns a valid socket for the duration of the call; `linger` is a valid
    // `struct linger` and its exact size is passed.
    unsafe {
        libc::setsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            std::ptr::addr_of!(linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        );
    }
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}

fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        498 => "Flex Tier Capacity Exceeded",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "Status",
    }
}

#[cfg(test)]
mod tests;
