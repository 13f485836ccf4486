//! The seam between the facade and an HTTP transport, written once for both crates.
//!
//! The facade turns every call into an [`HttpRequest`] (URL, headers, body, timeout) and hands it to a
//! [`Transport`]; the transport answers with an [`HttpResponse`] whose [`Body`] arrives piece by piece.
//! Retries, error mapping, event parsing and response metadata stay in the facade, so any transport gets
//! them. Each crate brings its own reqwest transport (the default) and, with the `test-util` feature, the
//! [`MockTransport`](crate::test_util::MockTransport) test double implements the same trait.
//!
//! In `groq-async` the trait's method is `async` (implement it with
//! `#[groq_async::transport::async_trait]`), and
//! [`Body`] is a [`futures::Stream`]; in `groq-blocking` the method is a plain `fn` and [`Body`] is an
//! [`Iterator`]. Everything else here is the same in both crates.

pub use crate::body::Body;
use crate::maybe_async;
pub use crate::runtime::Reader;
use bytes::{Bytes, BytesMut};
use groq_types::sdk::Error;
use http::{HeaderMap, Method, StatusCode};
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// Sends HTTP requests for a [`Client`](crate::Client).
///
/// A transport must return once the response headers have arrived, with the body still to be read, and
/// map its own failures onto [`Error::Connection`] and [`Error::Timeout`] (those two are retried). It
/// honours [`HttpRequest::timeout`] for the wait for the headers and for each piece of the body.
#[maybe_async]
pub trait Transport: Send + Sync + fmt::Debug + 'static {
    /// Sends `request` and returns the response as soon as its headers have arrived.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error>;
}

/// One HTTP request, as the facade hands it to a [`Transport`]: built afresh for every attempt. Its
/// `Debug` shows the URL with query values hidden and header values marked sensitive hidden.
#[non_exhaustive]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The whole URL, query included.
    pub url: url::Url,
    /// Every header to send (`Authorization` is marked sensitive).
    pub headers: HeaderMap,
    /// The body.
    pub body: RequestBody,
    /// The longest wait for the response headers, and for each piece of the body.
    pub timeout: Duration,
    /// Whether the caller consumes the body as it arrives (events, a download). When `false` the facade
    /// reads the body whole at once, so a transport may read it before returning.
    pub streamed: bool,
    /// The largest body the facade accepts when it reads one whole.
    pub max_body_size: usize,
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &groq_types::sdk::request::redact_url(&self.url))
            .field("headers", &self.headers)
            .field("body", &self.body)
            .field("timeout", &self.timeout)
            .field("streamed", &self.streamed)
            .finish_non_exhaustive()
    }
}

impl HttpRequest {
    /// A request without a body, a 60 s timeout and the default body limit (256 MiB).
    pub fn new(method: Method, url: url::Url) -> Self {
        Self {
            method,
            url,
            headers: HeaderMap::new(),
            body: RequestBody::Empty,
            timeout: Duration::from_secs(60),
            streamed: false,
            max_body_size: DEFAULT_MAX_BODY_SIZE,
        }
    }
}

use groq_types::sdk::config::DEFAULT_MAX_BODY_SIZE;

/// The body of an [`HttpRequest`].
#[derive(Debug)]
#[non_exhaustive]
pub enum RequestBody {
    /// No body.
    Empty,
    /// Compact JSON (`Content-Type: application/json` is already among the headers).
    Json(Bytes),
    /// A `multipart/form-data` form; the transport chooses the boundary and sets the `Content-Type`.
    Multipart(Multipart),
}

/// A `multipart/form-data` form: text fields, then files.
#[derive(Debug)]
#[non_exhaustive]
pub struct Multipart {
    /// The text fields, in order (`name[]` repeated for arrays).
    pub fields: Vec<(String, String)>,
    /// The files.
    pub files: Vec<FilePart>,
}

/// A file of a [`Multipart`] form.
#[derive(Debug)]
#[non_exhaustive]
pub struct FilePart {
    /// The form field's name (`file`).
    pub name: String,
    /// The file name sent to the server.
    pub filename: String,
    /// The part's content type (`application/octet-stream` when nothing better is known).
    pub content_type: String,
    /// Where the bytes come from.
    pub content: FileContent,
}

/// Where the bytes of a [`FilePart`] come from.
#[non_exhaustive]
pub enum FileContent {
    /// Bytes in memory.
    Bytes(Bytes),
    /// A file on disk, to stream from when sending.
    Path(PathBuf),
    /// A reader, to stream from as it is read. Its first read (an empty one included) takes it from its
    /// call: a transport that drops it unread (the connection was refused) leaves the call free to send
    /// it in a retry, and one that reads from it makes that attempt the last.
    Reader(Reader),
}

impl fmt::Debug for FileContent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Bytes(bytes) => write!(f, "Bytes({} bytes)", bytes.len()),
            Self::Path(path) => f.debug_tuple("Path").field(path).finish(),
            Self::Reader(_) => f.write_str("Reader"),
        }
    }
}

/// A response whose headers have arrived; its [`Body`] is read as it comes.
#[derive(Debug)]
#[non_exhaustive]
pub struct HttpResponse {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body, still to be read.
    pub body: Body,
}

impl HttpResponse {
    /// A response with `status`, `headers` and `body`.
    pub fn new(status: StatusCode, headers: HeaderMap, body: Body) -> Self {
        Self {
            status,
            headers,
            body,
        }
    }

    /// The `content-type` header, if it is text.
    pub fn content_type(&self) -> Option<&str> {
        self.headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
    }
}

/// How long the rest of a body may take to reach its end after its stream's end marker (`[DONE]`), read so
/// that its connection can be used again (`Body::release`); past it, the connection is closed.
pub(crate) const RELEASE_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// Reads `body` to its end, refusing more than `limit` bytes.
#[maybe_async]
pub(crate) async fn read_all(body: &mut Body, limit: usize) -> Result<Bytes, Error> {
    let mut whole = Collector::new(limit);
    if let Some(bytes) = body.take_whole() {
        whole.push(bytes)?;
        return Ok(whole.finish());
    }
    while let Some(chunk) = body.next_chunk().await? {
        whole.push(chunk)?;
    }
    Ok(whole.finish())
}

/// The pieces of a body being read whole, refused past a limit. A body of one piece is not copied. Free of
/// I/O, so both the facade and the reqwest transport (inside its runtime) collect bodies with it.
pub(crate) struct Collector {
    limit: usize,
    first: Option<Bytes>,
    rest: Option<BytesMut>,
}

impl Collector {
    pub(crate) fn new(limit: usize) -> Self {
        Self {
            limit,
            first: None,
            rest: None,
        }
    }

    /// Adds the next piece; an error once the body exceeds the limit.
    pub(crate) fn push(&mut self, chunk: Bytes) -> Result<(), Error> {
        let size = self.first.as_ref().map_or(0, Bytes::len)
            + self.rest.as_ref().map_or(0, BytesMut::len)
            + chunk.len();
        if size > self.limit {
            return Err(Error::limit_exceeded(
                "the response body",
                "max_body_size",
                self.limit,
            ));
        }
        match self.rest.as_mut() {
            Some(rest) => rest.extend_from_slice(&chunk),
            None => match self.first.take() {
                None => self.first = Some(chunk),
                Some(first) => {
                    let mut rest = BytesMut::with_capacity(first.len() + chunk.len());
                    rest.extend_from_slice(&first);
                    rest.extend_from_slice(&chunk);
                    self.rest = Some(rest);
                }
            },
        }
        Ok(())
    }

    /// The whole body; the collector is left empty.
    pub(crate) fn finish(&mut self) -> Bytes {
        match (self.first.take(), self.rest.take()) {
            (_, Some(rest)) => rest.freeze(),
            (Some(first), None) => first,
            (None, None) => Bytes::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_collector_joins_pieces_keeps_one_whole_and_refuses_past_its_limit() {
        let one = Bytes::from_static(b"whole");
        let mut single = Collector::new(5);
        single.push(one.clone()).unwrap();
        let single = single.finish();
        assert_eq!(single, one);
        assert_eq!(single.as_ptr(), one.as_ptr(), "one piece is not copied");

        let mut joined = Collector::new(9);
        for piece in ["ab", "cd", "efghi"] {
            joined.push(Bytes::from(piece)).unwrap();
        }
        assert_eq!(joined.finish(), Bytes::from_static(b"abcdefghi"));

        let mut capped = Collector::new(3);
        capped.push(Bytes::from_static(b"ab")).unwrap();
        let error = capped.push(Bytes::from_static(b"cd")).unwrap_err();
        assert!(error.is_limit_exceeded(), "{error:?}");
        assert_eq!(Collector::new(3).finish(), Bytes::new());
    }

    #[test]
    fn debug_hides_query_values_and_sensitive_headers() {
        let url = url::Url::parse("https://api.groq.com/openai/v1/models?token=hunter2").unwrap();
        let mut request = HttpRequest::new(Method::GET, url);
        let mut key = http::HeaderValue::from_static("Bearer gsk_secret");
        key.set_sensitive(true);
        request.headers.insert(http::header::AUTHORIZATION, key);
        let shown = format!("{request:?}");
        assert!(shown.contains("api.groq.com"), "{shown}");
        assert!(shown.contains("token"), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(!shown.contains("gsk_secret"), "{shown}");
    }
}
