//! A test double (feature `test-util`): a [`Transport`] that answers from canned responses, event streams
//! and failures, and records every request, so code that calls Groq can be unit-tested without a socket.
//! The client in front of it is the real one: retries, error mapping and parsing all happen.

use crate::body::Body;
use crate::facade::client::Client;
use crate::facade::http::{FileContent, HttpRequest, HttpResponse, RequestBody, Transport};
use crate::maybe_async;
use bytes::Bytes;
use groq_types::sdk::Error;
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use serde_json::Value;
use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// A [`Transport`] that answers from canned [`MockResponse`]s and records every request.
///
/// Responses queued with [`push`](Self::push) answer requests in order; a response registered with
/// [`route`](Self::route) answers every request to its method and path, before the queue (registering the
/// same method and path again replaces it). A request nothing answers fails with
/// [`Error::InvalidRequest`] naming it. Clones share the queue, the routes and the record.
#[derive(Clone, Default)]
pub struct MockTransport {
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    queue: VecDeque<MockResponse>,
    routes: Vec<(Method, String, MockResponse)>,
    requests: Vec<RecordedRequest>,
}

impl MockTransport {
    /// A transport with nothing queued.
    pub fn new() -> Self {
        Self::default()
    }

    /// Queues `response` for the next request that no route answers.
    pub fn push(&self, response: MockResponse) -> &Self {
        self.lock().queue.push_back(response);
        self
    }

    /// Answers every `method` request to `path` (such as `/openai/v1/models`) with `response`, from now on:
    /// a route registered earlier for the same method and path is replaced.
    pub fn route(&self, method: Method, path: impl Into<String>, response: MockResponse) -> &Self {
        let path = path.into();
        let mut state = self.lock();
        match state
            .routes
            .iter_mut()
            .find(|(m, p, _)| *m == method && *p == path)
        {
            Some((_, _, earlier)) => *earlier = response,
            None => state.routes.push((method, path, response)),
        }
        self
    }

    /// Every request received so far, in order (retries included).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.lock().requests.clone()
    }

    /// How many responses are still queued.
    pub fn pending(&self) -> usize {
        self.lock().queue.len()
    }

    /// A client that sends through this transport: API key `test-key`, the default base URL, no waits
    /// between retries, and nothing taken from the environment (`GROQ_BASE_URL`, `GROQ_CUSTOM_HEADERS`),
    /// so that a test behaves the same on every machine.
    pub fn client(&self) -> Result<Client, Error> {
        Client::builder()
            .api_key("test-key")
            .retry_delay_scale(0.0)
            .transport(self.clone())
            .without_environment()
            .build()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Records `request` and picks its answer.
    fn answer(&self, mut request: HttpRequest) -> Result<MockResponse, Error> {
        open_files(&request)?;
        take_readers(&mut request);
        let recorded = RecordedRequest::from(request);
        let mut state = self.lock();
        let routed = state
            .routes
            .iter()
            .find(|(method, path, _)| *method == recorded.method && path == recorded.url.path())
            .map(|(_, _, response)| response.clone());
        let answer = routed.or_else(|| state.queue.pop_front());
        let described = format!("{} {}", recorded.method, recorded.url.path());
        state.requests.push(recorded);
        answer.ok_or_else(|| {
            Error::InvalidRequest(format!("MockTransport: nothing answers {described}"))
        })
    }
}

/// Opens the files a multipart request uploads from disk, as the reqwest transport does before it sends
/// anything: a file that cannot be opened fails the call the same way, before it reaches the server.
fn open_files(request: &HttpRequest) -> Result<(), Error> {
    if let RequestBody::Multipart(form) = &request.body {
        for file in &form.files {
            if let FileContent::Path(path) = &file.content {
                std::fs::File::open(path).map_err(|e| crate::facade::upload::io_error(path, e))?;
            }
        }
    }
    Ok(())
}

/// Takes the readers a multipart request uploads, unread: the mock counts as having received the whole
/// request, as a server that read its body before answering, so the call does not send them again,
/// whatever the answer.
fn take_readers(request: &mut HttpRequest) {
    if let RequestBody::Multipart(form) = &mut request.body {
        for file in &mut form.files {
            if let FileContent::Reader(reader) = &mut file.content {
                // Fails only for a reader an earlier attempt took, which the client does not send again.
                let _ = crate::body::claim_reader(reader);
            }
        }
    }
}

impl fmt::Debug for MockTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("MockTransport")
            .field("queued", &state.queue.len())
            .field("routes", &state.routes.len())
            .field("requests", &state.requests.len())
            .finish()
    }
}

#[maybe_async]
impl Transport for MockTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        match self.answer(request)?.outcome {
            Outcome::Fail(failure) => Err(failure.error()),
            Outcome::Respond {
                status,
                headers,
                pieces,
            } => {
                let mut pieces: Vec<Result<Bytes, Error>> = pieces
                    .into_iter()
                    .map(|piece| match piece {
                        Piece::Bytes(bytes) => Ok(bytes),
                        Piece::Fail(failure) => Err(failure.error()),
                    })
                    .collect();
                // A body of one piece is held whole, as the reqwest transport holds a body it has read.
                let body = match (pieces.len(), pieces.pop()) {
                    (1, Some(Ok(bytes))) => Body::from(bytes),
                    (_, last) => Body::from_chunks(pieces.into_iter().chain(last)),
                };
                Ok(HttpResponse::new(status, headers, body))
            }
        }
    }
}

/// A canned answer of a [`MockTransport`]: a response (whole, in pieces, or as server-sent events), or a
/// failure before any response.
#[derive(Clone, Debug)]
pub struct MockResponse {
    outcome: Outcome,
}

#[derive(Clone, Debug)]
enum Outcome {
    Respond {
        status: StatusCode,
        headers: HeaderMap,
        pieces: Vec<Piece>,
    },
    Fail(Failure),
}

#[derive(Clone, Debug)]
enum Piece {
    Bytes(Bytes),
    Fail(Failure),
}

#[derive(Clone, Debug)]
enum Failure {
    Connection(String),
    Timeout(String),
}

impl Failure {
    fn error(self) -> Error {
        match self {
            // As a real one, with an I/O cause: a connection the peer reset.
            Self::Connection(message) => {
                let cause =
                    std::io::Error::new(std::io::ErrorKind::ConnectionReset, message.clone());
                Error::connection(message, cause)
            }
            Self::Timeout(message) => Error::timeout(message, None),
        }
    }
}

/// The event that ends a stream, as [`MockResponse::sse`] writes it.
const DONE_EVENT: &[u8] = b"data: [DONE]\n\n";

impl MockResponse {
    /// An empty response with `status` (a number such as 200 or 429; an invalid one becomes 500).
    pub fn status(status: u16) -> Self {
        Self {
            outcome: Outcome::Respond {
                status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                headers: HeaderMap::new(),
                pieces: Vec::new(),
            },
        }
    }

    /// `200 OK` with `body` as JSON (a `serde_json::json!` value or any serialisable value, such as a
    /// `groq_types` response).
    pub fn json(body: impl serde::Serialize) -> Self {
        Self::status(200).json_body(body)
    }

    /// A status error with the API's error body: `{"error": {"message", "type"}}`.
    pub fn error(status: u16, message: impl Into<String>) -> Self {
        let kind = match status {
            401 => "authentication_error",
            429 => "rate_limit_exceeded",
            500.. => "internal_server_error",
            _ => "invalid_request_error",
        };
        Self::status(status).json_body(serde_json::json!({
            "error": { "message": message.into(), "type": kind }
        }))
    }

    /// `200 OK` streaming `events` as server-sent events, one piece each, then `data: [DONE]` (with
    /// `content-type: text/event-stream`).
    pub fn sse<T: serde::Serialize>(events: impl IntoIterator<Item = T>) -> Self {
        let mut pieces: Vec<Piece> = events
            .into_iter()
            .map(|event| {
                let json = serde_json::to_string(&event).unwrap_or_else(|_| "null".to_owned());
                Piece::Bytes(Bytes::from(format!("data: {json}\n\n")))
            })
            .collect();
        pieces.push(Piece::Bytes(Bytes::from_static(DONE_EVENT)));
        Self::status(200)
            .content_type("text/event-stream")
            .pieces(pieces)
    }

    /// `200 OK` with a `text/event-stream` body written by hand, sent in one piece.
    pub fn sse_text(text: impl Into<String>) -> Self {
        Self::status(200)
            .content_type("text/event-stream")
            .body(Bytes::from(text.into()))
    }

    /// `200 OK` with `bytes` as a body of `content_type` (speech audio, file contents).
    pub fn bytes(content_type: &str, bytes: impl Into<Bytes>) -> Self {
        Self::status(200).content_type(content_type).body(bytes)
    }

    /// A connection failure before any response (retried by the client, except a call uploading a
    /// reader, which the mock took: see [`RecordedFile::bytes`]).
    pub fn connection_error(message: impl Into<String>) -> Self {
        Self {
            outcome: Outcome::Fail(Failure::Connection(message.into())),
        }
    }

    /// A timeout before any response (retried by the client, except a call uploading a reader).
    pub fn timeout(message: impl Into<String>) -> Self {
        Self {
            outcome: Outcome::Fail(Failure::Timeout(message.into())),
        }
    }

    /// Adds a response header (an invalid name or value is ignored). The value is appended to any the
    /// response already has under that name, and the client reads the first: a `content-type` added here
    /// does not replace the one [`json`](Self::json), [`json_body`](Self::json_body), [`sse`](Self::sse),
    /// [`sse_text`](Self::sse_text) or [`bytes`](Self::bytes) set. For another content type, use
    /// [`bytes`](Self::bytes), or start from [`status`](Self::status).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let (Outcome::Respond { headers, .. }, Ok(name), Ok(value)) = (
            &mut self.outcome,
            HeaderName::try_from(name),
            HeaderValue::try_from(value),
        ) {
            headers.append(name, value);
        }
        self
    }

    /// Replaces the body with `bytes`, sent in one piece.
    pub fn body(self, bytes: impl Into<Bytes>) -> Self {
        self.pieces(vec![Piece::Bytes(bytes.into())])
    }

    /// Replaces the body with `value` as JSON (and sets `content-type: application/json`, replacing the
    /// content type the response had).
    pub fn json_body(self, value: impl serde::Serialize) -> Self {
        let json = serde_json::to_vec(&value).unwrap_or_default();
        self.content_type("application/json").body(json)
    }

    /// Replaces the body with `pieces`, each arriving on its own.
    pub fn chunks<B: Into<Bytes>>(self, pieces: impl IntoIterator<Item = B>) -> Self {
        self.pieces(
            pieces
                .into_iter()
                .map(|piece| Piece::Bytes(piece.into()))
                .collect(),
        )
    }

    /// Makes the body break, after what it has, with a connection error (a cut connection). A stream
    /// made by [`sse`](Self::sse) loses its `data: [DONE]` end marker, so that it breaks before its end
    /// (a stream ends at that marker, whatever follows it).
    pub fn cut(mut self) -> Self {
        if let Outcome::Respond { pieces, .. } = &mut self.outcome {
            if matches!(pieces.last(), Some(Piece::Bytes(last)) if last.as_ref() == DONE_EVENT) {
                pieces.pop();
            }
            pieces.push(Piece::Fail(Failure::Connection(
                "the mock body was cut".to_owned(),
            )));
        }
        self
    }

    /// Sets `content-type` to `value`, replacing every earlier value (an invalid one is ignored).
    fn content_type(mut self, value: &str) -> Self {
        if let (Outcome::Respond { headers, .. }, Ok(value)) =
            (&mut self.outcome, HeaderValue::try_from(value))
        {
            headers.insert(http::header::CONTENT_TYPE, value);
        }
        self
    }

    fn pieces(mut self, new: Vec<Piece>) -> Self {
        if let Outcome::Respond { pieces, .. } = &mut self.outcome {
            *pieces = new;
        }
        self
    }
}

/// A request a [`MockTransport`] received. Its `Debug` shows the URL with query values hidden (they may be
/// credentials), like [`HttpRequest`]'s.
#[derive(Clone)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The method.
    pub method: Method,
    /// The whole URL, query included.
    pub url: url::Url,
    /// The headers (the `Authorization` value is marked sensitive, so `Debug` hides it). Those the HTTP
    /// stack adds are not there: a multipart request has no `Content-Type` here, where reqwest sends
    /// `multipart/form-data` with the form's boundary.
    pub headers: HeaderMap,
    /// The body.
    pub body: RecordedBody,
    /// The longest wait for the response headers and for each piece of the body: the client's
    /// timeout, or the one [`RequestOptions::timeout`](crate::RequestOptions::timeout) set.
    pub timeout: Duration,
    /// Whether the call consumes the body as it arrives (an event stream, a binary download) rather than
    /// reading it whole.
    pub streamed: bool,
}

impl fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("url", &groq_types::sdk::request::redact_url(&self.url))
            .field("headers", &self.headers)
            .field("body", &self.body)
            .field("timeout", &self.timeout)
            .field("streamed", &self.streamed)
            .finish()
    }
}

impl RecordedRequest {
    /// The URL's path.
    pub fn path(&self) -> &str {
        self.url.path()
    }

    /// The first value of the query parameter `name`.
    pub fn query(&self, name: &str) -> Option<String> {
        self.url
            .query_pairs()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    }

    /// The value of the header `name`, when it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The JSON body, parsed.
    pub fn json(&self) -> Option<Value> {
        match &self.body {
            RecordedBody::Json(json) => serde_json::from_slice(json).ok(),
            _ => None,
        }
    }
}

impl From<HttpRequest> for RecordedRequest {
    fn from(request: HttpRequest) -> Self {
        let body = match request.body {
            RequestBody::Empty => RecordedBody::Empty,
            RequestBody::Json(json) => RecordedBody::Json(json),
            RequestBody::Multipart(form) => RecordedBody::Multipart {
                fields: form.fields,
                files: form
                    .files
                    .into_iter()
                    .map(|file| RecordedFile {
                        bytes: match file.content {
                            FileContent::Bytes(bytes) => Some(bytes),
                            FileContent::Path(path) => std::fs::read(path).ok().map(Bytes::from),
                            FileContent::Reader(_) => None,
                        },
                        name: file.name,
                        filename: file.filename,
                        content_type: file.content_type,
                    })
                    .collect(),
            },
        };
        Self {
            method: request.method,
            url: request.url,
            headers: request.headers,
            body,
            timeout: request.timeout,
            streamed: request.streamed,
        }
    }
}

/// The body of a [`RecordedRequest`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum RecordedBody {
    /// No body.
    Empty,
    /// A JSON body, as sent.
    Json(Bytes),
    /// A multipart form.
    Multipart {
        /// The text fields, in order.
        fields: Vec<(String, String)>,
        /// The files.
        files: Vec<RecordedFile>,
    },
}

/// A file of a recorded multipart form.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RecordedFile {
    /// The form field's name.
    pub name: String,
    /// The file name sent.
    pub filename: String,
    /// The part's content type.
    pub content_type: String,
    /// The bytes, for a file from bytes or a path. A reader is not read (`None`), but it is taken: it counts
    /// as read, so a call uploading one is not retried, whatever the mock answers.
    pub bytes: Option<Bytes>,
}
