//! The one error type of the SDK, shared by both clients, and the mapping from HTTP statuses and API error
//! bodies onto it.

use super::ratelimit::RateLimitInfo;
use http::{HeaderMap, StatusCode};
use serde_json::Value;
use std::fmt;

/// A boxed error kept as the cause of a connection or timeout failure.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The name of the response header that carries the id of a request.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// How much of an undecodable body an error keeps.
const BODY_EXCERPT: usize = 2048;

/// Everything that can go wrong when calling the Groq API.
///
/// Statuses map onto kinds as in the official SDKs: 400 [`BadRequest`](Error::BadRequest),
/// 401 [`Authentication`](Error::Authentication), 403 [`PermissionDenied`](Error::PermissionDenied),
/// 404 [`NotFound`](Error::NotFound), 409 [`Conflict`](Error::Conflict),
/// 422 [`UnprocessableEntity`](Error::UnprocessableEntity), 429 [`RateLimit`](Error::RateLimit),
/// 500 and above [`InternalServer`](Error::InternalServer), any other non-2xx [`Status`](Error::Status).
/// Each of them carries an [`ApiError`] with the status, headers, request id and body.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be configured: no API key, an invalid base URL or header.
    #[error("configuration error: {0}")]
    Config(String),
    /// The request was refused before anything was sent: an empty id, an invalid header, a body that cannot
    /// be serialised.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// 400 Bad Request.
    #[error("{0}")]
    BadRequest(Box<ApiError>),
    /// 401 Unauthorized: the API key is missing or wrong.
    #[error("{0}")]
    Authentication(Box<ApiError>),
    /// 403 Forbidden.
    #[error("{0}")]
    PermissionDenied(Box<ApiError>),
    /// 404 Not Found.
    #[error("{0}")]
    NotFound(Box<ApiError>),
    /// 409 Conflict.
    #[error("{0}")]
    Conflict(Box<ApiError>),
    /// 422 Unprocessable Entity.
    #[error("{0}")]
    UnprocessableEntity(Box<ApiError>),
    /// 429 Too Many Requests; [`ApiError::rate_limit`] tells when to try again.
    #[error("{0}")]
    RateLimit(Box<ApiError>),
    /// A status of 500 or above (5xx, and the rare non-standard ones past it).
    #[error("{0}")]
    InternalServer(Box<ApiError>),
    /// Any other non-success status.
    #[error("{0}")]
    Status(Box<ApiError>),
    /// The connection failed or broke: refused, reset, TLS, or cut in the middle of a body.
    #[error("connection error: {message}")]
    #[non_exhaustive]
    Connection {
        /// What failed.
        message: String,
        /// The underlying transport error.
        #[source]
        source: Option<BoxError>,
    },
    /// The server did not answer, or stopped sending, within the timeout.
    #[error("timed out: {message}")]
    #[non_exhaustive]
    Timeout {
        /// What timed out.
        message: String,
        /// The underlying transport error.
        #[source]
        source: Option<BoxError>,
    },
    /// A successful response whose body does not have the expected shape.
    #[error("could not decode the response: {message}")]
    #[non_exhaustive]
    Decode {
        /// Why decoding failed.
        message: String,
        /// The start of the body (at most 2 KiB), for diagnosis.
        body: String,
        /// The parser's own error (a `serde_json::Error`…), when there is one.
        #[source]
        source: Option<BoxError>,
    },
    /// A response was larger than a limit that protects the process: a server-sent event longer than
    /// `max_event_size`, or a buffered body longer than `max_body_size`. Nothing beyond the limit was
    /// buffered. This is not a decoding error (the data may well be valid) nor a connection error (it is
    /// not retried: the same request would get the same answer); raise the named setting if such large
    /// responses are expected.
    #[error("{what} is larger than the {setting} limit of {limit} bytes (raise `{setting}` if this is expected)")]
    #[non_exhaustive]
    LimitExceeded {
        /// What was too large: "a server-sent event", "the response body"….
        what: &'static str,
        /// The setting that sets the limit: `max_event_size` or `max_body_size`.
        setting: &'static str,
        /// The limit in force, in bytes.
        limit: usize,
    },
    /// The server reported an error inside a stream.
    #[error("{0}")]
    Stream(Box<StreamError>),
    /// The stream ended before the server marked its end (`data: [DONE]`): the connection was cut.
    #[error("connection error: the stream ended before the server finished it")]
    IncompleteStream,
    /// The blocking client was called inside a tokio task or a runtime's `block_on`, where blocking would
    /// stall the runtime (or panic). Use `groq-async` there, or move the blocking call to
    /// `tokio::task::spawn_blocking`, `block_in_place` or a plain `std::thread`, where it is allowed.
    #[error("groq-blocking cannot block inside a tokio task or block_on; use groq-async there, or make the call in spawn_blocking or a std::thread")]
    BlockingInAsyncContext,
    /// Reading or writing a local file failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// A client-side workflow step failed: a structured answer or tool arguments that do not parse (the raw
    /// text is kept), or a tool call the tool runner was asked to abort on.
    #[error("{0}")]
    Workflow(Box<crate::ergonomics::parsed::WorkflowError>),
}

impl Error {
    /// Maps a non-success status and its body onto the matching kind.
    pub fn from_status(status: StatusCode, headers: HeaderMap, body: &[u8]) -> Self {
        let api = Box::new(ApiError::new(status, headers, body));
        match status.as_u16() {
            400 => Self::BadRequest(api),
            401 => Self::Authentication(api),
            403 => Self::PermissionDenied(api),
            404 => Self::NotFound(api),
            409 => Self::Conflict(api),
            422 => Self::UnprocessableEntity(api),
            429 => Self::RateLimit(api),
            500.. => Self::InternalServer(api),
            _ => Self::Status(api),
        }
    }

    /// A decoding error for `body`, keeping an excerpt of it (`err` only as text: prefer
    /// [`decode_source`](Self::decode_source) when it is an error).
    pub fn decode(what: &str, err: impl fmt::Display, body: &[u8]) -> Self {
        Self::Decode {
            message: format!("{what}: {err}"),
            body: excerpt(body),
            source: None,
        }
    }

    /// A decoding error for `body`, keeping an excerpt of it and `err` as its `source()`.
    pub fn decode_source<E>(what: &str, err: E, body: &[u8]) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        Self::Decode {
            message: format!("{what}: {err}"),
            body: excerpt(body),
            source: Some(Box::new(err)),
        }
    }

    /// A connection error with its cause.
    pub fn connection(message: impl Into<String>, source: impl Into<BoxError>) -> Self {
        Self::Connection {
            message: message.into(),
            source: Some(source.into()),
        }
    }

    /// A response larger than a limit: `what` was over the `limit` bytes that `setting` sets.
    pub fn limit_exceeded(what: &'static str, setting: &'static str, limit: usize) -> Self {
        Self::LimitExceeded {
            what,
            setting,
            limit,
        }
    }

    /// A timeout with its cause.
    pub fn timeout(message: impl Into<String>, source: Option<BoxError>) -> Self {
        Self::Timeout {
            message: message.into(),
            source,
        }
    }

    /// The details of a status error (every kind from `BadRequest` to `Status`).
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Self::BadRequest(e)
            | Self::Authentication(e)
            | Self::PermissionDenied(e)
            | Self::NotFound(e)
            | Self::Conflict(e)
            | Self::UnprocessableEntity(e)
            | Self::RateLimit(e)
            | Self::InternalServer(e)
            | Self::Status(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status of a status error.
    pub fn status(&self) -> Option<StatusCode> {
        self.api_error().map(|e| e.status)
    }

    /// The id the server gave the failed request, when it answered.
    pub fn request_id(&self) -> Option<&str> {
        self.api_error().and_then(|e| e.request_id.as_deref())
    }

    /// Whether the failure was a connection problem (including a cut stream).
    pub fn is_connection(&self) -> bool {
        matches!(self, Self::Connection { .. } | Self::IncompleteStream)
    }

    /// Whether the failure was a timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout { .. })
    }

    /// Whether a response exceeded a size limit ([`LimitExceeded`](Self::LimitExceeded)).
    pub fn is_limit_exceeded(&self) -> bool {
        matches!(self, Self::LimitExceeded { .. })
    }
}

/// The body of an error response.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ErrorBody {
    /// The body parsed as JSON.
    Json(Value),
    /// The body as text, when it is not JSON: all of it that was read (the clients read at most 1 MiB of
    /// an error's body), bytes that are not UTF-8 replaced with `U+FFFD`. The error's `message` and its
    /// `Display` keep only the start of it.
    Text(String),
}

/// A non-success response: status, headers, request id, body, and the API's own error fields.
#[derive(Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The `x-request-id` header.
    pub request_id: Option<String>,
    /// The body: parsed JSON when it parses, else text.
    pub body: ErrorBody,
    /// `error.message` from the body, or a description of the status when there is none.
    pub message: String,
    /// `error.type` from the body.
    pub error_type: Option<String>,
    /// `error.code` from the body.
    pub code: Option<String>,
    /// `error.param` from the body.
    pub param: Option<String>,
    /// `error.failed_generation`: what the model produced when a tool call or JSON output failed validation.
    pub failed_generation: Option<String>,
}

impl ApiError {
    /// Reads the API's error fields out of a response.
    pub fn new(status: StatusCode, headers: HeaderMap, body: &[u8]) -> Self {
        let request_id = headers
            .get(REQUEST_ID_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = match serde_json::from_slice::<Value>(body) {
            Ok(json) => ErrorBody::Json(json),
            Err(_) => ErrorBody::Text(String::from_utf8_lossy(body).into_owned()),
        };
        let fields = ErrorFields::from_body(&body);
        // An empty message says nothing: the status's reason does.
        let given = fields.message.clone().filter(|m| !m.trim().is_empty());
        let message = given.unwrap_or_else(|| match &body {
            ErrorBody::Text(text) if !text.trim().is_empty() => excerpt(text.trim().as_bytes()),
            _ => status
                .canonical_reason()
                .unwrap_or("unexpected status")
                .to_owned(),
        });
        Self {
            status,
            headers,
            request_id,
            body,
            message,
            error_type: fields.error_type,
            code: fields.code,
            param: fields.param,
            failed_generation: fields.failed_generation,
        }
    }

    /// Typed rate-limit headers of the response (`x-ratelimit-*`, `retry-after`).
    pub fn rate_limit(&self) -> RateLimitInfo {
        RateLimitInfo::from_headers(&self.headers)
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("message", &self.message)
            .field("error_type", &self.error_type)
            .field("code", &self.code)
            .field("param", &self.param)
            .field("request_id", &self.request_id)
            .field("failed_generation", &self.failed_generation)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.status, self.message)?;
        write_kind(f, self.error_type.as_deref(), self.code.as_deref())?;
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
    }
}

fn write_kind(f: &mut fmt::Formatter<'_>, kind: Option<&str>, code: Option<&str>) -> fmt::Result {
    match (kind, code) {
        (Some(t), Some(c)) => write!(f, " (type: {t}, code: {c})"),
        (Some(t), None) => write!(f, " (type: {t})"),
        (None, Some(c)) => write!(f, " (code: {c})"),
        (None, None) => Ok(()),
    }
}

/// An error the server reported inside a stream: an `error` event, a payload with an `error` object, or
/// `x_groq.error` on a chunk.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct StreamError {
    /// The error's message.
    pub message: String,
    /// `error.type`, when given.
    pub error_type: Option<String>,
    /// `error.code`, when given.
    pub code: Option<String>,
    /// `error.failed_generation`, when given: what the model produced when it failed the server's
    /// validation (a tool call or JSON that does not parse), as in a status error's
    /// [`ApiError::failed_generation`].
    pub failed_generation: Option<String>,
    /// The whole event payload.
    pub body: Value,
}

impl StreamError {
    /// An error with only a message, and the payload it came from.
    pub fn with_message(message: impl Into<String>, body: Value) -> Self {
        Self {
            message: message.into(),
            error_type: None,
            code: None,
            failed_generation: None,
            body,
        }
    }

    /// Reads an error payload; `None` when it carries no `error`.
    pub fn from_payload(body: Value) -> Option<Self> {
        let fields = ErrorFields::from_json(&body)?;
        Some(Self {
            message: fields
                .message
                .filter(|m| !m.trim().is_empty())
                .unwrap_or_else(|| "the server reported an error".to_owned()),
            error_type: fields.error_type,
            code: fields.code,
            failed_generation: fields.failed_generation,
            body,
        })
    }
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "stream error: {}", self.message)?;
        write_kind(f, self.error_type.as_deref(), self.code.as_deref())
    }
}

#[derive(Default)]
struct ErrorFields {
    message: Option<String>,
    error_type: Option<String>,
    code: Option<String>,
    param: Option<String>,
    failed_generation: Option<String>,
}

impl ErrorFields {
    fn from_body(body: &ErrorBody) -> Self {
        match body {
            ErrorBody::Json(json) => Self::from_json(json).unwrap_or_default(),
            ErrorBody::Text(_) => Self::default(),
        }
    }

    /// `{"error": {...}}`, `{"error": "text"}`, or a bare `{"message": ...}` object.
    fn from_json(json: &Value) -> Option<Self> {
        let text = |v: &Value, key: &str| -> Option<String> {
            match v.get(key)? {
                Value::String(s) => Some(s.clone()),
                Value::Null => None,
                other => Some(other.to_string()),
            }
        };
        match json.get("error") {
            Some(Value::String(message)) => Some(Self {
                message: Some(message.clone()),
                ..Self::default()
            }),
            Some(error @ Value::Object(_)) => Some(Self {
                message: text(error, "message"),
                error_type: text(error, "type"),
                code: text(error, "code"),
                param: text(error, "param"),
                failed_generation: text(error, "failed_generation"),
            }),
            _ if json.get("message").is_some() => Some(Self {
                message: text(json, "message"),
                error_type: text(json, "type"),
                code: text(json, "code"),
                ..Self::default()
            }),
            _ => None,
        }
    }
}

/// At most [`BODY_EXCERPT`] bytes of `body` as text, cut on a character boundary.
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    match text.char_indices().nth(BODY_EXCERPT) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or_default()),
        None => text.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    /// Contract A18: the body is kept as raw text when it is not JSON (the Python SDK keeps it whole too);
    /// only the message, which `Display` shows, is cut to its start.
    #[test]
    fn a_text_body_is_kept_whole_and_only_the_message_is_cut() {
        let page = format!("<html>{}</html>", "x".repeat(10_000));
        let error = ApiError::new(StatusCode::BAD_REQUEST, HeaderMap::new(), page.as_bytes());
        assert_eq!(error.body, ErrorBody::Text(page.clone()));
        assert_eq!(error.message.chars().count(), BODY_EXCERPT + 1);
        assert!(error.message.ends_with('…'));
        assert!(error.to_string().len() < 2 * BODY_EXCERPT);
    }

    #[test]
    fn an_empty_message_gives_way_to_the_status_reason() {
        for body in [
            &br#"{"error": {"message": "", "code": "upstream"}}"#[..],
            br#"{"error": {"message": "  "}}"#,
            br#"{"error": ""}"#,
        ] {
            let error = ApiError::new(StatusCode::BAD_GATEWAY, HeaderMap::new(), body);
            assert_eq!(
                error.message,
                "Bad Gateway",
                "{}",
                String::from_utf8_lossy(body)
            );
        }
        let error = ApiError::new(
            StatusCode::BAD_GATEWAY,
            HeaderMap::new(),
            br#"{"error": {"message": "try later", "code": "upstream"}}"#,
        );
        assert_eq!(
            (error.message.as_str(), error.code.as_deref()),
            ("try later", Some("upstream"))
        );
        // The same in a stream's error report.
        let report = StreamError::from_payload(serde_json::json!({"error": {"message": ""}}));
        assert_eq!(
            report.map(|r| r.message).as_deref(),
            Some("the server reported an error")
        );
    }

    #[test]
    fn decode_errors_keep_the_parser_error_as_their_source() {
        let parse = serde_json::from_slice::<Value>(b"{oops").unwrap_err();
        let expected = parse.to_string();
        let error = Error::decode_source("expected Model", parse, b"{oops");
        let source = error.source().expect("a source");
        assert!(source.downcast_ref::<serde_json::Error>().is_some());
        assert_eq!(source.to_string(), expected);
        let parsed = super::super::raw::parse_json::<Value>(b"[1,").unwrap_err();
        assert!(parsed
            .source()
            .and_then(|s| s.downcast_ref::<serde_json::Error>())
            .is_some());
    }
}
