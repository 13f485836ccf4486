//! Building requests without I/O: per-request options, headers, path segments and JSON bodies.

use super::error::Error;
use http::header::{HeaderName, HeaderValue};
use http::HeaderMap;
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde::Serialize;
use serde_json::{Map, Value};
use std::fmt;
use std::time::Duration;

/// The header that carries the attempt number (0 for the first try).
pub const RETRY_COUNT_HEADER: &str = "x-stainless-retry-count";

/// Characters escaped in a path segment: everything but unreserved characters and sub-delimiters, so that
/// `meta-llama/llama-4-scout` stays one segment (`meta-llama%2Fllama-4-scout`).
const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Options for one call, or for a derived client: they win over the client's settings.
///
/// ```
/// use groq_types::sdk::RequestOptions;
/// use std::time::Duration;
///
/// let options = RequestOptions::new()
///     .timeout(Duration::from_secs(10))
///     .max_retries(5)
///     .header("X-Trace", "abc")
///     .query("debug", "1")
///     .body_field("seed", 42);
/// # let _ = options;
/// ```
///
/// Its `Debug` output shows header names, query parameter names and extra body field names, never their
/// values (they may be credentials).
#[derive(Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct RequestOptions {
    /// Overrides the client's timeout.
    pub timeout: Option<Duration>,
    /// Overrides the client's `max_retries`.
    pub max_retries: Option<u32>,
    /// Extra headers; they replace headers of the same name.
    pub headers: Vec<(String, String)>,
    /// Extra query parameters.
    pub query: Vec<(String, String)>,
    /// Extra top-level fields of a JSON body; they replace typed fields of the same name (a `null` value is
    /// sent as `null`).
    pub extra_body: Map<String, Value>,
}

impl RequestOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets how many times a failed request is retried.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// Adds a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Adds a query parameter. A name given here replaces the values the client's defaults, the call's own
    /// parameters or the options these are merged over have for it; given several times here, every value
    /// goes. Options given to `Client::with_options` become the derived client's defaults instead, which a
    /// call's own parameters replace. A query written in the base URL, or in a path given to the escape
    /// hatch (`client.get("/path?x=1")`), goes as written, first, and is never replaced.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Adds a top-level JSON body field. A value that cannot be represented as JSON becomes `null`.
    pub fn body_field(mut self, name: impl Into<String>, value: impl Serialize) -> Self {
        let value = serde_json::to_value(value).unwrap_or(Value::Null);
        self.extra_body.insert(name.into(), value);
        self
    }

    /// `other` applied on top of these options.
    pub fn merged_with(&self, other: &RequestOptions) -> RequestOptions {
        let mut merged = self.clone();
        merged.timeout = other.timeout.or(self.timeout);
        merged.max_retries = other.max_retries.or(self.max_retries);
        merged.headers.extend(other.headers.iter().cloned());
        override_query(&mut merged.query, &other.query);
        merged
            .extra_body
            .extend(other.extra_body.iter().map(|(k, v)| (k.clone(), v.clone())));
        merged
    }
}

/// The query parameters of `layers`, each layer set on top of the ones before it: a name a later layer has
/// replaces every value the earlier ones have for it (as the official SDKs merge their query
/// dictionaries); the values one layer gives a name, several if it gives several, all go. In order,
/// layer by layer; nothing is copied.
///
/// ```
/// use groq_types::sdk::request::layered_query;
///
/// let pair = |n: &str, v: &str| (n.to_owned(), v.to_owned());
/// let defaults = [pair("a", "1"), pair("b", "1")];
/// let options = [pair("a", "2"), pair("a", "3")];
/// let sent: Vec<_> = layered_query(&[&defaults, &options]).collect();
/// assert_eq!(sent, [&pair("b", "1"), &pair("a", "2"), &pair("a", "3")]);
/// ```
pub fn layered_query<'l, 'a: 'l>(
    layers: &'l [&'a [(String, String)]],
) -> impl Iterator<Item = &'a (String, String)> + 'l {
    layers.iter().enumerate().flat_map(move |(depth, layer)| {
        let later = layers.get(depth + 1..).unwrap_or_default();
        layer
            .iter()
            .filter(move |(name, _)| !later.iter().any(|l| l.iter().any(|(set, _)| set == name)))
    })
}

/// `over`'s query parameters set on top of `base`'s, as [`layered_query`] sets them.
pub(crate) fn override_query(base: &mut Vec<(String, String)>, over: &[(String, String)]) {
    if !over.is_empty() {
        *base = layered_query(&[base, over]).cloned().collect();
    }
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body_fields: Vec<&str> = self.extra_body.keys().map(String::as_str).collect();
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("headers", &Names(&self.headers))
            .field("query", &Names(&self.query))
            .field("extra_body", &body_fields)
            .finish()
    }
}

/// Shows the names of `(name, value)` pairs, never the values.
pub(crate) struct Names<'a>(pub(crate) &'a [(String, String)]);

impl fmt::Debug for Names<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(name, _)| name))
            .finish()
    }
}

/// What replaces a secret in redacted text.
const REDACTED: &str = "***";

/// A URL for messages and logs with its secrets replaced by `***`: the user name and password, the
/// value of every query parameter, and a query part without a value (which may be a bare token). The
/// scheme, host, port, path and query parameter names are kept; the fragment is dropped.
///
/// ```
/// use groq_types::sdk::request::redact_url;
/// use url::Url;
///
/// let url = Url::parse("https://user:pw@api.example.com:8443/openai/v1/models?api_key=sk-1&gsk_2").unwrap();
/// assert_eq!(redact_url(&url), "https://***@api.example.com:8443/openai/v1/models?api_key=***&***");
/// ```
pub fn redact_url(url: &url::Url) -> String {
    let mut out = String::with_capacity(url.as_str().len());
    out.push_str(url.scheme());
    if url.cannot_be_a_base() {
        out.push(':');
        out.push_str(url.path());
    } else {
        out.push_str("://");
        if !url.username().is_empty() || url.password().is_some() {
            out.push_str(REDACTED);
            out.push('@');
        }
        out.push_str(url.host_str().unwrap_or_default());
        if let Some(port) = url.port() {
            out.push(':');
            out.push_str(&port.to_string());
        }
        out.push_str(url.path());
    }
    if let Some(query) = url.query() {
        out.push('?');
        out.push_str(&redact_query(query));
    }
    out
}

/// [`redact_url`] for text that may not be a valid URL (a base URL being validated). Text that does not
/// parse is cut before its query or fragment, and anything before an `@` in it is replaced.
///
/// ```
/// use groq_types::sdk::request::redact_url_str;
///
/// assert_eq!(redact_url_str("http://h/?key=secret"), "http://h/?key=***");
/// assert_eq!(redact_url_str("http://u:pw@[bad/?key=secret"), "http://***@[bad/?***");
/// ```
pub fn redact_url_str(text: &str) -> String {
    if let Ok(url) = url::Url::parse(text) {
        return redact_url(&url);
    }
    let cut = text.find(['?', '#']);
    let mut head = text.get(..cut.unwrap_or(text.len())).unwrap_or_default();
    let mut out = String::new();
    if let Some(at) = head.rfind('@') {
        let start = head.find("//").map_or(0, |i| i + 2).min(at);
        out.push_str(head.get(..start).unwrap_or_default());
        out.push_str(REDACTED);
        head = head.get(at..).unwrap_or_default();
    }
    out.push_str(head);
    if cut.is_some() {
        out.push('?');
        out.push_str(REDACTED);
    }
    out
}

/// A raw query string with every value replaced by `***` (names kept as they are written), and every part
/// without a value too: such a part may be a token given bare (`?gsk_...`).
fn redact_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) => format!("{name}={REDACTED}"),
            None if pair.is_empty() => String::new(),
            None => REDACTED.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// An API path as written by a caller (`/openai/v1/models?key=value#part`), shown in messages and logs:
/// its query redacted as [`redact_url`]'s is, its fragment dropped. A whole URL given where a path goes,
/// or a path with an `@`, is shown as [`redact_url_str`] shows it, credentials replaced.
///
/// ```
/// use groq_types::sdk::request::RedactedPath;
///
/// let shown = RedactedPath("/openai/v1/models?api_key=sk-1&gsk_2#top").to_string();
/// assert_eq!(shown, "/openai/v1/models?api_key=***&***");
/// let shown = RedactedPath("https://user:pw@gateway.example/v1").to_string();
/// assert_eq!(shown, "https://***@gateway.example/v1");
/// ```
pub struct RedactedPath<'a>(pub &'a str);

impl fmt::Display for RedactedPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let before_fragment = self.0.split('#').next().unwrap_or_default();
        let before_query = before_fragment.split('?').next().unwrap_or_default();
        if before_query.contains("://") || before_query.contains('@') {
            return f.write_str(&redact_url_str(self.0));
        }
        match before_fragment.split_once('?') {
            Some((path, query)) => write!(f, "{path}?{}", redact_query(query)),
            None => f.write_str(before_fragment),
        }
    }
}

/// The start of a header name up to its first character that no header name may hold: what a message
/// may show of a name that is not valid, since the rest may be a value written into it (`X-Key=secret`).
fn valid_start(name: &str) -> &str {
    let end = name
        .find(|c: char| !(c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)))
        .unwrap_or(name.len());
    name.get(..end).unwrap_or_default()
}

/// Validates `(name, value)` pairs into a header map; later pairs replace earlier ones of the same name.
///
/// Every value is marked [sensitive](HeaderValue::set_sensitive): custom headers often carry credentials
/// (`x-api-key`, a proxy token…), and a sensitive value shows as `Sensitive` in `Debug` output and is kept
/// out of HTTP/2 header compression tables.
pub fn header_map(pairs: &[(String, String)]) -> Result<HeaderMap, String> {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            format!(
                "invalid header name starting `{}` (the rest is not shown: it may hold a value)",
                valid_start(name)
            )
        })?;
        let mut value = HeaderValue::from_str(value)
            .map_err(|_| format!("invalid value for header `{name}`"))?;
        value.set_sensitive(true);
        map.insert(header, value);
    }
    Ok(map)
}

/// Percent-encodes an id as one path segment; an empty id is refused before any I/O.
///
/// ```
/// use groq_types::sdk::request::path_segment;
///
/// assert_eq!(path_segment("model", "meta-llama/llama-4-scout").unwrap(), "meta-llama%2Fllama-4-scout");
/// assert!(path_segment("batch_id", "").is_err());
/// ```
pub fn path_segment(what: &str, id: &str) -> Result<String, Error> {
    if id.trim().is_empty() {
        return Err(Error::InvalidRequest(format!("`{what}` must not be empty")));
    }
    if id.chars().all(|c| c == '.') {
        // URLs resolve `.` and `..` (even escaped), so such an id would name another endpoint.
        return Err(Error::InvalidRequest(format!(
            "`{what}` must not be `{id}`"
        )));
    }
    Ok(utf8_percent_encode(id, PATH_SEGMENT).to_string())
}

/// Serialises a JSON request body compactly, with `extra` fields replacing typed ones.
pub fn json_body<T: Serialize>(value: &T, extra: &Map<String, Value>) -> Result<Vec<u8>, Error> {
    let invalid =
        |e: serde_json::Error| Error::InvalidRequest(format!("cannot serialise the body: {e}"));
    if extra.is_empty() {
        return serde_json::to_vec(value).map_err(invalid);
    }
    let mut body = serde_json::to_value(value).map_err(invalid)?;
    match body.as_object_mut() {
        Some(object) => {
            for (name, value) in extra {
                object.insert(name.clone(), value.clone());
            }
        }
        None => {
            return Err(Error::InvalidRequest(
                "extra body fields need a JSON object body".into(),
            ))
        }
    }
    serde_json::to_vec(&body).map_err(invalid)
}

/// The text fields of a multipart form for a request body: every top-level field except those in `skip`,
/// arrays as repeated `name[]` fields, objects as `name[key]` fields (nested ones as `name[key][inner]`,
/// as the official SDKs write them), booleans as `true`/`false`, unset (`null`) fields left out.
///
/// ```
/// use groq_types::sdk::request::form_fields;
/// use serde_json::json;
///
/// let body = json!({"model": "whisper-large-v3", "file": "x", "temperature": 0, "timestamp_granularities": ["word", "segment"], "prompt": null});
/// assert_eq!(
///     form_fields(&body, &["file"]),
///     vec![
///         ("model".to_owned(), "whisper-large-v3".to_owned()),
///         ("temperature".to_owned(), "0".to_owned()),
///         ("timestamp_granularities[]".to_owned(), "word".to_owned()),
///         ("timestamp_granularities[]".to_owned(), "segment".to_owned()),
///     ]
/// );
/// ```
pub fn form_fields(body: &Value, skip: &[&str]) -> Vec<(String, String)> {
    let Some(object) = body.as_object() else {
        return Vec::new();
    };
    let mut fields = Vec::new();
    for (name, value) in object {
        if !skip.contains(&name.as_str()) {
            push_form_field(&mut fields, name.clone(), value);
        }
    }
    fields
}

/// Adds `value` under `name` to `fields`: a scalar as one field, an array's items under `name[]`, an
/// object's members under `name[key]`, each in turn; `null` adds nothing.
fn push_form_field(fields: &mut Vec<(String, String)>, name: String, value: &Value) {
    match value {
        Value::Null => {}
        Value::String(text) => fields.push((name, text.clone())),
        Value::Bool(flag) => fields.push((name, flag.to_string())),
        Value::Number(number) => fields.push((name, number.to_string())),
        Value::Array(items) => {
            for item in items {
                push_form_field(fields, format!("{name}[]"), item);
            }
        }
        Value::Object(members) => {
            for (key, member) in members {
                push_form_field(fields, format!("{name}[{key}]"), member);
            }
        }
    }
}

/// The `User-Agent` of this SDK: its name, version and whether the client is async or blocking.
pub fn user_agent(mode: &str) -> String {
    format!("groq-rust/{} ({mode})", env!("CARGO_PKG_VERSION"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_escaped_as_one_segment() {
        assert_eq!(
            path_segment("m", "a/b c?d#e%f").unwrap(),
            "a%2Fb%20c%3Fd%23e%25f"
        );
        assert_eq!(
            path_segment("m", "llama-3.1_8b~x").unwrap(),
            "llama-3.1_8b~x"
        );
        assert_eq!(path_segment("m", "é").unwrap(), "%C3%A9");
        assert!(
            matches!(path_segment("model", " "), Err(Error::InvalidRequest(m)) if m.contains("model"))
        );
        assert!(path_segment("model", "..").is_err());
        assert!(path_segment("model", ".").is_err());
    }

    /// Objects in a form (only extra body fields can be) go as the official SDKs write them: `name[key]`,
    /// nested brackets for nested values, `[]` for arrays' items.
    #[test]
    fn form_objects_are_bracketed_fields() {
        let body = serde_json::json!({
            "obj": {"k": "v", "n": {"deep": 1}, "none": null},
            "list": [{"a": true}, ["x"]],
            "skipped": "s",
        });
        let pairs: Vec<String> = form_fields(&body, &["skipped"])
            .into_iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect();
        assert_eq!(
            pairs,
            ["list[][a]=true", "list[][]=x", "obj[k]=v", "obj[n][deep]=1"]
        );
    }

    #[test]
    fn merged_options_replace_a_query_parameter_of_the_same_name() {
        let base = RequestOptions::new()
            .query("a", "1")
            .query("b", "1")
            .query("a", "2");
        let over = RequestOptions::new().query("a", "3").query("a", "4");
        let pairs = |o: &RequestOptions| -> Vec<String> {
            o.query.iter().map(|(n, v)| format!("{n}={v}")).collect()
        };
        assert_eq!(pairs(&base.merged_with(&over)), ["b=1", "a=3", "a=4"]);
        assert_eq!(
            pairs(&base.merged_with(&RequestOptions::new())),
            ["a=1", "b=1", "a=2"]
        );
    }

    #[test]
    fn extra_body_fields_replace_typed_ones_and_null_is_sent() {
        #[derive(Serialize)]
        struct Body {
            a: u32,
            #[serde(skip_serializing_if = "Option::is_none")]
            b: Option<u32>,
        }
        let plain = json_body(&Body { a: 1, b: None }, &Map::new()).unwrap();
        assert_eq!(plain, br#"{"a":1}"#);
        let options = RequestOptions::new()
            .body_field("a", 2)
            .body_field("b", Value::Null);
        let merged = json_body(&Body { a: 1, b: None }, &options.extra_body).unwrap();
        let value: Value = serde_json::from_slice(&merged).unwrap();
        assert_eq!(value, serde_json::json!({"a": 2, "b": null}));
    }

    #[test]
    fn invalid_headers_are_reported() {
        assert!(header_map(&[("bad name".into(), "v".into())]).is_err());
        assert!(header_map(&[("x".into(), "line\nbreak".into())]).is_err());
        let map = header_map(&[
            ("Authorization".into(), "Bearer k".into()),
            ("X-Custom".into(), "custom-secret".into()),
        ])
        .unwrap();
        assert!(map["authorization"].is_sensitive());
        assert!(map["x-custom"].is_sensitive());
        assert!(!format!("{map:?}").contains("custom-secret"));
    }

    #[test]
    fn request_options_debug_shows_names_never_values() {
        let options = RequestOptions::new()
            .header("Authorization", "Bearer sk-header-secret")
            .header("x-api-key", "api-key-secret")
            .query("token", "query-secret")
            .body_field("password", "body-secret");
        for text in [format!("{options:?}"), format!("{options:#?}")] {
            for name in ["Authorization", "x-api-key", "token", "password"] {
                assert!(text.contains(name), "{name}: {text}");
            }
            for secret in [
                "sk-header-secret",
                "api-key-secret",
                "query-secret",
                "body-secret",
            ] {
                assert!(!text.contains(secret), "{secret}: {text}");
            }
        }
    }

    #[test]
    fn urls_are_redacted_for_messages() {
        let cases = [
            ("http://h/", "http://h/"),
            (
                "https://h:8443/a/b?x=1&y=2",
                "https://h:8443/a/b?x=***&y=***",
            ),
            ("https://u:p@h/?k=secret#frag", "https://***@h/?k=***"),
            ("https://u@h/", "https://***@h/"),
            ("http://h/?flag&k=", "http://h/?***&k=***"),
            ("http://h/?gsk_bare&&x=1", "http://h/?***&&x=***"),
            ("http://h/?a=b=c", "http://h/?a=***"),
            ("mailto:x@y?subject=secret", "mailto:x@y?subject=***"),
        ];
        for (input, expected) in cases {
            let url = url::Url::parse(input).unwrap();
            assert_eq!(redact_url(&url), expected, "{input}");
            assert_eq!(redact_url_str(input), expected, "{input}");
        }
        assert_eq!(redact_url_str("not a url"), "not a url");
        assert_eq!(redact_url_str("h:99999/?k=v"), "h:99999/?k=***");
        assert_eq!(redact_url_str("//u:pw@h/?k=v"), "//***@h/?***");
        assert_eq!(redact_url_str("http://u:pw@[x/#k=v"), "http://***@[x/?***");
        assert_eq!(redact_url_str(""), "");
    }

    #[test]
    fn options_merge_with_the_later_winning() {
        let base = RequestOptions::new()
            .max_retries(1)
            .timeout(Duration::from_secs(1));
        let over = RequestOptions::new().max_retries(4).header("a", "b");
        let merged = base.merged_with(&over);
        assert_eq!(merged.max_retries, Some(4));
        assert_eq!(merged.timeout, Some(Duration::from_secs(1)));
        assert_eq!(merged.headers, vec![("a".to_owned(), "b".to_owned())]);
    }
}
