//! Raw responses: what a call returned besides its parsed value (status, headers, request id, elapsed time,
//! retries taken), with the value parsed on demand.

use super::error::{Error, REQUEST_ID_HEADER};
use super::ratelimit::RateLimitInfo;
use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

/// The metadata of a response: status, headers, request id, elapsed time and retries taken.
#[derive(Clone)]
pub struct ResponseMeta {
    status: StatusCode,
    headers: HeaderMap,
    elapsed: Duration,
    retries_taken: u32,
}

/// Shows the headers with the values of those that carry credentials replaced by `***` (a gateway's
/// `set-cookie`, say), as logs and error reports should.
impl fmt::Debug for ResponseMeta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseMeta")
            .field("status", &self.status)
            .field("headers", &ShownHeaders(&self.headers))
            .field("elapsed", &self.elapsed)
            .field("retries_taken", &self.retries_taken)
            .finish()
    }
}

/// Response headers that carry credentials: their values are never shown.
const CREDENTIAL_HEADERS: [http::HeaderName; 4] = [
    http::header::SET_COOKIE,
    http::header::COOKIE,
    http::header::AUTHORIZATION,
    http::header::PROXY_AUTHORIZATION,
];

/// A header map as `Debug` shows it: names and values, but `***` for a credential's value.
struct ShownHeaders<'a>(&'a HeaderMap);

impl fmt::Debug for ShownHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(name, value)| {
                let shown: &dyn fmt::Debug = if CREDENTIAL_HEADERS.contains(name) {
                    &"***"
                } else {
                    value
                };
                (name, shown)
            }))
            .finish()
    }
}

impl ResponseMeta {
    /// Records a response's metadata (used by the clients).
    #[doc(hidden)]
    pub fn new(
        status: StatusCode,
        headers: HeaderMap,
        elapsed: Duration,
        retries_taken: u32,
    ) -> Self {
        Self {
            status,
            headers,
            elapsed,
            retries_taken,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The id the server gave the request (`x-request-id`).
    pub fn request_id(&self) -> Option<&str> {
        self.headers
            .get(REQUEST_ID_HEADER)
            .and_then(|v| v.to_str().ok())
    }

    /// The time from the first attempt until the response was received, retries and their waits included:
    /// for a call read whole, until its body was; for a stream, until its headers arrived.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// How many times the request was retried before this response (0 when the first attempt answered).
    pub fn retries_taken(&self) -> u32 {
        self.retries_taken
    }

    /// Typed rate-limit headers (`x-ratelimit-*`, `retry-after`).
    pub fn rate_limit(&self) -> RateLimitInfo {
        RateLimitInfo::from_headers(&self.headers)
    }
}

/// A parser for a response body.
pub type BodyParser<T> = fn(&[u8]) -> Result<T, Error>;

/// A response whose body has been read but not parsed: [`parse`](Self::parse) gives the value, the
/// metadata is available directly (`raw.status()`, `raw.request_id()`…).
pub struct RawResponse<T> {
    meta: ResponseMeta,
    body: Bytes,
    parser: BodyParser<T>,
}

impl<T: DeserializeOwned> RawResponse<T> {
    /// A response whose body is JSON for `T` (used by the clients).
    #[doc(hidden)]
    pub fn json(meta: ResponseMeta, body: Bytes) -> Self {
        Self::with_parser(meta, body, parse_json::<T>)
    }
}

impl<T> RawResponse<T> {
    /// A response whose body is parsed by `parser` (used by the clients).
    #[doc(hidden)]
    pub fn with_parser(meta: ResponseMeta, body: Bytes, parser: BodyParser<T>) -> Self {
        Self { meta, body, parser }
    }

    /// Parses the body.
    pub fn parse(&self) -> Result<T, Error> {
        (self.parser)(&self.body)
    }

    /// Parses the body as JSON into a type of your choosing instead of `T`, like the Python library's
    /// `parse(to=…)`: a struct holding only the fields you read decodes faster than the full type, and one
    /// with fields this version of the SDK does not know reads them. The body stays, so [`parse`](Self::parse)
    /// still works afterwards.
    ///
    /// ```
    /// use groq_types::sdk::{RawResponse, ResponseMeta};
    /// use groq_types::ChatCompletion;
    /// use http::{HeaderMap, StatusCode};
    /// use std::time::Duration;
    ///
    /// #[derive(serde::Deserialize)]
    /// struct Ids {
    ///     id: String,
    ///     model: String,
    /// }
    ///
    /// # let meta = ResponseMeta::new(StatusCode::OK, HeaderMap::new(), Duration::ZERO, 0);
    /// # let body = br#"{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m","choices":[]}"#;
    /// # let raw = RawResponse::<ChatCompletion>::json(meta, bytes::Bytes::from_static(body));
    /// // `raw` from `client.chat().completions().with_raw_response().create(&request)`
    /// let ids: Ids = raw.parse_as()?;
    /// assert_eq!((ids.id.as_str(), ids.model.as_str()), ("chatcmpl-1", "m"));
    /// assert!(raw.parse_as::<u32>().is_err());
    /// assert_eq!(raw.parse()?.id, "chatcmpl-1");
    /// # Ok::<(), groq_types::sdk::Error>(())
    /// ```
    pub fn parse_as<U: DeserializeOwned>(&self) -> Result<U, Error> {
        parse_json(&self.body)
    }

    /// The body as received.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// The body, giving up the metadata.
    pub fn into_body(self) -> Bytes {
        self.body
    }

    /// The metadata.
    pub fn meta(&self) -> &ResponseMeta {
        &self.meta
    }
}

/// The metadata getters of [`ResponseMeta`], on a raw response or stream (explicit methods rather than
/// `Deref`, which is for smart pointers).
macro_rules! meta_getters {
    ($ty:ident < $param:ident >) => {
        impl<$param> $ty<$param> {
            /// The HTTP status.
            pub fn status(&self) -> StatusCode {
                self.meta.status()
            }

            /// The response headers.
            pub fn headers(&self) -> &HeaderMap {
                self.meta.headers()
            }

            /// The id the server gave the request (`x-request-id`).
            pub fn request_id(&self) -> Option<&str> {
                self.meta.request_id()
            }

            /// The time from the first attempt until the response was received, retries and their waits
            /// included: for a call read whole, until its body was; for a stream, until its headers arrived.
            pub fn elapsed(&self) -> Duration {
                self.meta.elapsed()
            }

            /// How many times the request was retried before this response.
            pub fn retries_taken(&self) -> u32 {
                self.meta.retries_taken()
            }

            /// Typed rate-limit headers (`x-ratelimit-*`, `retry-after`).
            pub fn rate_limit(&self) -> RateLimitInfo {
                self.meta.rate_limit()
            }
        }
    };
}

meta_getters!(RawResponse<T>);
meta_getters!(RawStream<S>);

impl<T> fmt::Debug for RawResponse<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("meta", &self.meta)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// A response whose body is consumed as it arrives (a stream, a download): the metadata now, the body
/// through [`parse`](Self::parse).
#[derive(Debug)]
pub struct RawStream<S> {
    meta: ResponseMeta,
    body: S,
}

impl<S> RawStream<S> {
    /// Pairs the metadata with the body (used by the clients).
    #[doc(hidden)]
    pub fn new(meta: ResponseMeta, body: S) -> Self {
        Self { meta, body }
    }

    /// The body (a stream of events or bytes).
    pub fn parse(self) -> S {
        self.body
    }

    /// The metadata.
    pub fn meta(&self) -> &ResponseMeta {
        &self.meta
    }
}

/// Parses a JSON body into `T`, naming the type in the error.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    // One pass of the fast UTF-8 validator over the whole body is cheaper than serde_json checking every
    // string it meets; a body that is not UTF-8 goes through `from_slice` for the same error as before.
    let parsed = match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(body),
    };
    parsed.map_err(|e| {
        let name = std::any::type_name::<T>();
        let short = name.rsplit("::").next().unwrap_or(name);
        Error::decode_source(&format!("expected {short}"), e, body)
    })
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Parsed {}
    impl Sealed for super::Raw {}
}

/// How a resource hands back what it received: [`Parsed`] values (the default) or [`Raw`] responses with
/// their metadata (`.with_raw_response()`).
pub trait ResponseMode: sealed::Sealed {
    /// What a call with a buffered body returns.
    type Output<T>;
    /// What a streaming or downloading call returns.
    type Stream<S>;
    /// Finishes a buffered response.
    fn output<T>(raw: RawResponse<T>) -> Result<Self::Output<T>, Error>;
    /// Finishes a streamed response.
    fn stream<S>(raw: RawStream<S>) -> Self::Stream<S>;
}

/// Calls return the parsed value.
#[derive(Debug, Clone, Copy, Default)]
pub struct Parsed;

/// Calls return [`RawResponse`] / [`RawStream`]: metadata now, the value on demand.
#[derive(Debug, Clone, Copy, Default)]
pub struct Raw;

impl ResponseMode for Parsed {
    type Output<T> = T;
    type Stream<S> = S;
    fn output<T>(raw: RawResponse<T>) -> Result<T, Error> {
        raw.parse()
    }
    fn stream<S>(raw: RawStream<S>) -> S {
        raw.parse()
    }
}

impl ResponseMode for Raw {
    type Output<T> = RawResponse<T>;
    type Stream<S> = RawStream<S>;
    fn output<T>(raw: RawResponse<T>) -> Result<RawResponse<T>, Error> {
        Ok(raw)
    }
    fn stream<S>(raw: RawStream<S>) -> RawStream<S> {
        raw
    }
}
