//! Client configuration: the builder's settings, their defaults and environment variables, resolved into a
//! [`ClientConfig`] before any I/O.

use super::error::Error;
use super::request::{self, header_map, RequestOptions};
use http::HeaderMap;
use std::fmt;
use std::time::Duration;
use url::Url;

/// Where the API lives unless configured otherwise.
pub const DEFAULT_BASE_URL: &str = "https://api.groq.com";
/// How long a request may wait for the response (and, in a stream, for each piece of it).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// How long establishing a connection may take.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long an idle pooled connection is kept open by default.
pub const DEFAULT_POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);
/// The largest server-sent event (one line, or one event's data) a stream accepts: 16 MiB.
///
/// A streamed chat chunk is a few hundred bytes; the largest legitimate events (a final chunk carrying
/// a whole tool call, or a compound model's search results) are at most a few MiB even with JSON escaping.
/// 16 MiB leaves ample headroom while a server that never ends a line cannot grow memory without bound.
pub const DEFAULT_MAX_EVENT_SIZE: usize = 16 * 1024 * 1024;
/// The largest non-streamed response body a client buffers: 256 MiB.
///
/// Buffered bodies are JSON (speech and file contents are streamed, not buffered). The largest
/// legitimate ones (a verbose transcription of hours of audio with word timestamps, a large batch of
/// embeddings) are tens of MiB; 256 MiB keeps about ten times that as headroom while bounding what a
/// runaway or hostile server can make the process allocate.
pub const DEFAULT_MAX_BODY_SIZE: usize = 256 * 1024 * 1024;
/// Environment variable holding the API key.
pub const ENV_API_KEY: &str = "GROQ_API_KEY";
/// Environment variable holding the base URL.
pub const ENV_BASE_URL: &str = "GROQ_BASE_URL";
/// Environment variable holding extra default headers, one `Name: value` per line.
pub const ENV_CUSTOM_HEADERS: &str = "GROQ_CUSTOM_HEADERS";

/// An API key. It never appears in `Debug` output, and it has no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key.
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// The key itself, for the `Authorization` header.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

impl From<&str> for ApiKey {
    fn from(key: &str) -> Self {
        Self::new(key)
    }
}

impl From<String> for ApiKey {
    fn from(key: String) -> Self {
        Self::new(key)
    }
}

/// The settings a client builder collects; unset ones come from the environment or the defaults when
/// [resolved](Self::resolve).
#[derive(Clone, Default)]
pub struct ConfigBuilder {
    /// The API key; else `GROQ_API_KEY`.
    pub api_key: Option<ApiKey>,
    /// The base URL; else `GROQ_BASE_URL`, else [`DEFAULT_BASE_URL`].
    pub base_url: Option<String>,
    /// The request timeout; else [`DEFAULT_TIMEOUT`].
    pub timeout: Option<Duration>,
    /// The connect timeout; else [`DEFAULT_CONNECT_TIMEOUT`].
    pub connect_timeout: Option<Duration>,
    /// The longest wait for any single read from the connection (headers or a piece of the body); else
    /// none beyond [`timeout`](Self::timeout).
    pub read_timeout: Option<Duration>,
    /// How long an idle pooled connection is kept; else [`DEFAULT_POOL_IDLE_TIMEOUT`].
    pub pool_idle_timeout: Option<Duration>,
    /// How many idle connections per host the pool keeps; else no limit.
    pub pool_max_idle_per_host: Option<usize>,
    /// How many times a failed request is retried; else 2.
    pub max_retries: Option<u32>,
    /// Headers sent with every request (they win over `GROQ_CUSTOM_HEADERS`).
    pub default_headers: Vec<(String, String)>,
    /// Query parameters sent with every request.
    pub default_query: Vec<(String, String)>,
    /// A factor applied to every wait between retries (1 when unset; 0 retries at once). Must be finite
    /// and >= 0.
    pub retry_delay_scale: Option<f64>,
    /// The largest server-sent event line or event data, in bytes; else [`DEFAULT_MAX_EVENT_SIZE`].
    /// Must be > 0.
    pub max_event_size: Option<usize>,
    /// The largest non-streamed response body a client buffers, in bytes; else [`DEFAULT_MAX_BODY_SIZE`].
    /// Must be > 0.
    pub max_body_size: Option<usize>,
}

impl fmt::Debug for ConfigBuilder {
    /// Header and query values may be secrets: only their names are shown, and the base URL is shown with
    /// its password and query values redacted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigBuilder")
            .field("api_key", &self.api_key)
            .field(
                "base_url",
                &self.base_url.as_deref().map(request::redact_url_str),
            )
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("pool_idle_timeout", &self.pool_idle_timeout)
            .field("pool_max_idle_per_host", &self.pool_max_idle_per_host)
            .field("max_retries", &self.max_retries)
            .field("default_headers", &request::Names(&self.default_headers))
            .field("default_query", &request::Names(&self.default_query))
            .field("retry_delay_scale", &self.retry_delay_scale)
            .field("max_event_size", &self.max_event_size)
            .field("max_body_size", &self.max_body_size)
            .finish()
    }
}

impl ConfigBuilder {
    /// Resolves the settings with the process environment.
    ///
    /// A variable the settings need that is set but not valid UTF-8 is an [`Error::Config`] (its value not
    /// shown), not taken as unset: a base URL in it must not send the key to the default host instead.
    pub fn resolve(self) -> Result<ClientConfig, Error> {
        self.resolve_from(|name| match std::env::var(name) {
            Ok(value) => Ok(Some(value)),
            Err(std::env::VarError::NotPresent) => Ok(None),
            Err(std::env::VarError::NotUnicode(_)) => Err(Error::Config(format!(
                "{name} is set, but not to valid UTF-8"
            ))),
        })
    }

    /// Resolves the settings, reading environment variables through `env`.
    pub fn resolve_with_env(
        self,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<ClientConfig, Error> {
        self.resolve_from(|name| Ok(env(name)))
    }

    /// Resolves the settings, reading a variable through `env` only when the builder leaves its setting
    /// open.
    fn resolve_from(
        self,
        env: impl Fn(&str) -> Result<Option<String>, Error>,
    ) -> Result<ClientConfig, Error> {
        let api_key = match self.api_key {
            Some(key) => key,
            None => env(ENV_API_KEY)?
                .filter(|k| !k.is_empty())
                .map(ApiKey)
                .ok_or_else(|| {
                    Error::Config(format!(
                        "no API key: pass one to the client builder or set {ENV_API_KEY}"
                    ))
                })?,
        };
        let base = match self.base_url {
            Some(base) => base,
            None => env(ENV_BASE_URL)?
                .filter(|u| !u.is_empty())
                .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned()),
        };
        let base_url = parse_base_url(&base)?;

        let mut headers: Vec<(String, String)> = match env(ENV_CUSTOM_HEADERS)? {
            Some(text) => parse_custom_headers(&text)?,
            None => Vec::new(),
        };
        headers.extend(self.default_headers);
        let default_headers = header_map(&headers).map_err(Error::Config)?;

        let scale = self.retry_delay_scale.unwrap_or(1.0);
        if !scale.is_finite() || scale < 0.0 {
            return Err(Error::Config(format!(
                "retry_delay_scale must be a finite number >= 0, not {scale}"
            )));
        }
        let max_event_size = positive_size(
            "max_event_size",
            self.max_event_size,
            DEFAULT_MAX_EVENT_SIZE,
        )?;
        let max_body_size =
            positive_size("max_body_size", self.max_body_size, DEFAULT_MAX_BODY_SIZE)?;
        Ok(ClientConfig {
            api_key,
            base_url,
            timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
            connect_timeout: self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
            read_timeout: self.read_timeout,
            pool_idle_timeout: self.pool_idle_timeout.unwrap_or(DEFAULT_POOL_IDLE_TIMEOUT),
            pool_max_idle_per_host: self.pool_max_idle_per_host,
            max_retries: self
                .max_retries
                .unwrap_or(super::retry::DEFAULT_MAX_RETRIES),
            default_headers,
            default_query: self.default_query,
            retry_delay_scale: scale,
            max_event_size,
            max_body_size,
        })
    }
}

/// The resolved configuration of a client.
#[derive(Clone)]
#[non_exhaustive]
pub struct ClientConfig {
    /// The API key.
    pub api_key: ApiKey,
    /// The base URL, always ending with `/`.
    pub base_url: Url,
    /// The request timeout.
    pub timeout: Duration,
    /// The connect timeout.
    pub connect_timeout: Duration,
    /// The longest wait for any single read from the connection, if bounded apart from `timeout`.
    pub read_timeout: Option<Duration>,
    /// How long an idle pooled connection is kept.
    pub pool_idle_timeout: Duration,
    /// How many idle connections per host the pool keeps (`None`: no limit).
    pub pool_max_idle_per_host: Option<usize>,
    /// How many times a failed request is retried.
    pub max_retries: u32,
    /// Headers sent with every request.
    pub default_headers: HeaderMap,
    /// Query parameters sent with every request.
    pub default_query: Vec<(String, String)>,
    /// A factor applied to every wait between retries (finite and >= 0; apply it with
    /// [`retry::scale_delay`](super::retry::scale_delay)).
    pub retry_delay_scale: f64,
    /// The largest server-sent event line or event data a stream accepts, in bytes (> 0).
    pub max_event_size: usize,
    /// The largest non-streamed response body the client buffers, in bytes (> 0).
    pub max_body_size: usize,
}

impl ClientConfig {
    /// This configuration with `options` applied on top (a derived client).
    pub fn with_options(&self, options: &RequestOptions) -> Result<Self, Error> {
        let mut derived = self.clone();
        if let Some(timeout) = options.timeout {
            derived.timeout = timeout;
        }
        if let Some(max_retries) = options.max_retries {
            derived.max_retries = max_retries;
        }
        if !derived.retry_delay_scale.is_finite() || derived.retry_delay_scale < 0.0 {
            return Err(Error::Config(format!(
                "retry_delay_scale must be a finite number >= 0, not {}",
                derived.retry_delay_scale
            )));
        }
        let extra = header_map(&options.headers).map_err(Error::Config)?;
        for (name, value) in extra.iter() {
            derived.default_headers.insert(name.clone(), value.clone());
        }
        request::override_query(&mut derived.default_query, &options.query);
        Ok(derived)
    }

    /// Checks that `received` bytes of a non-streamed body stay within [`max_body_size`](Self::max_body_size):
    /// for code that reads a body itself, to call as the body grows so that it never buffers more than the
    /// limit. The clients' own transports hold the same limit as they read.
    ///
    /// ```
    /// use groq_types::sdk::{ConfigBuilder, Error};
    ///
    /// let config = ConfigBuilder { api_key: Some("k".into()), max_body_size: Some(10), ..Default::default() }
    ///     .resolve()
    ///     .unwrap();
    /// assert!(config.check_body_size(10).is_ok());
    /// assert!(matches!(config.check_body_size(11), Err(Error::LimitExceeded { .. })));
    /// ```
    pub fn check_body_size(&self, received: usize) -> Result<(), Error> {
        if received > self.max_body_size {
            return Err(Error::LimitExceeded {
                what: "the response body",
                setting: "max_body_size",
                limit: self.max_body_size,
            });
        }
        Ok(())
    }

    /// The URL of an API path (`/openai/v1/models`) under the base URL, keeping the base's own path.
    ///
    /// The result is always under the base URL: the same scheme, credentials, host and port, and a path
    /// that starts with the base's. A path that would leave it (`/\\other.host/x`, which URL parsing
    /// reads as another host, or `/../x`) is an [`Error::InvalidRequest`], since the API key goes with
    /// the request.
    pub fn url(&self, path: &str) -> Result<Url, Error> {
        // `./` first: a first segment with a colon (`v1:beta/models`) is a path, not a scheme.
        let mut url = self
            .base_url
            .join(&format!("./{}", path.trim_start_matches('/')))
            .map_err(|e| {
                Error::InvalidRequest(format!(
                    "cannot build the URL for {}: {e}",
                    request::RedactedPath(path)
                ))
            })?;
        if !is_under(&url, &self.base_url) {
            return Err(Error::InvalidRequest(format!(
                "`{}` is not a path under the base URL",
                request::RedactedPath(path).to_string().escape_debug()
            )));
        }
        // An empty segment: `//` as written, or what URL parsing made of a backslash or a tab beside a
        // slash (`/\\other.host/x`, written to reach another host). No API path has one.
        if url
            .path()
            .strip_prefix(self.base_url.path())
            .is_some_and(|below| below.contains("//"))
        {
            return Err(Error::InvalidRequest(format!(
                "`{}` has an empty path segment (`//`) once parsed as a URL (a backslash reads as `/`)",
                request::RedactedPath(path).to_string().escape_debug()
            )));
        }
        // A join drops the base URL's query: it goes first, as written (a gateway may sign it).
        if let Some(base_query) = self.base_url.query() {
            let query = match url.query() {
                Some(own) if !own.is_empty() => format!("{base_query}&{own}"),
                _ => base_query.to_owned(),
            };
            url.set_query(Some(&query));
        }
        Ok(url)
    }
}

impl fmt::Debug for ClientConfig {
    /// Header and query values may be secrets: only their names are shown, and the base URL is shown with
    /// its password and query values redacted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.default_headers.keys().map(|k| k.as_str()).collect();
        f.debug_struct("ClientConfig")
            .field("api_key", &self.api_key)
            .field("base_url", &request::redact_url(&self.base_url))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("pool_idle_timeout", &self.pool_idle_timeout)
            .field("pool_max_idle_per_host", &self.pool_max_idle_per_host)
            .field("max_retries", &self.max_retries)
            .field("default_headers", &header_names)
            .field("default_query", &request::Names(&self.default_query))
            .field("retry_delay_scale", &self.retry_delay_scale)
            .field("max_event_size", &self.max_event_size)
            .field("max_body_size", &self.max_body_size)
            .finish()
    }
}

/// A size setting: the default when unset, refused when 0.
fn positive_size(setting: &str, value: Option<usize>, default: usize) -> Result<usize, Error> {
    match value {
        None => Ok(default),
        Some(0) => Err(Error::Config(format!(
            "{setting} must be at least 1 byte (it is 0)"
        ))),
        Some(size) => Ok(size),
    }
}

/// Whether `url` is `base` or below it: the same origin and credentials, and a path that starts with the
/// base's (which ends with `/`).
fn is_under(url: &Url, base: &Url) -> bool {
    url.scheme() == base.scheme()
        && url.username() == base.username()
        && url.password() == base.password()
        && url.host() == base.host()
        && url.port_or_known_default() == base.port_or_known_default()
        && url.path().starts_with(base.path())
}

/// The base URL, its path ending with `/`. A query it has (a gateway's token, an `api-version`) goes with
/// every request, as written ([`ClientConfig::url`]).
fn parse_base_url(base: &str) -> Result<Url, Error> {
    // The base URL may carry credentials (a password, a query value): error messages show it redacted.
    let shown = request::redact_url_str(base);
    let mut url =
        Url::parse(base).map_err(|e| Error::Config(format!("invalid base URL `{shown}`: {e}")))?;
    if url.cannot_be_a_base() || !matches!(url.scheme(), "http" | "https") {
        return Err(Error::Config(format!(
            "invalid base URL `{shown}`: it must be an http or https URL"
        )));
    }
    if url.fragment().is_some() {
        return Err(Error::Config(format!(
            "invalid base URL `{shown}`: a fragment (`#…`) is never sent to a server"
        )));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

/// Parses `GROQ_CUSTOM_HEADERS`: one `Name: value` per line, blank lines ignored.
fn parse_custom_headers(text: &str) -> Result<Vec<(String, String)>, Error> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .enumerate()
        .map(|(i, line)| {
            let (name, value) = line.split_once(':').ok_or_else(|| {
                Error::Config(format!(
                    "{ENV_CUSTOM_HEADERS}: line {} is not `Name: value`",
                    i + 1
                ))
            })?;
            Ok((name.trim().to_owned(), value.trim().to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    /// The configuration with `base` as the base URL and a key, nothing else set.
    fn config_at(base: &str) -> ClientConfig {
        ConfigBuilder {
            base_url: Some(base.into()),
            ..Default::default()
        }
        .resolve_with_env(env(&[(ENV_API_KEY, "k")]))
        .unwrap()
    }

    #[test]
    fn api_key_comes_from_the_builder_then_the_environment() {
        let explicit = ConfigBuilder {
            api_key: Some("explicit".into()),
            ..Default::default()
        };
        let config = explicit
            .resolve_with_env(env(&[(ENV_API_KEY, "from-env")]))
            .unwrap();
        assert_eq!(config.api_key.expose(), "explicit");
        let config = ConfigBuilder::default()
            .resolve_with_env(env(&[(ENV_API_KEY, "from-env")]))
            .unwrap();
        assert_eq!(config.api_key.expose(), "from-env");
        let missing = ConfigBuilder::default().resolve_with_env(env(&[]));
        assert!(matches!(missing, Err(Error::Config(m)) if m.contains(ENV_API_KEY)));
    }

    #[test]
    fn defaults() {
        let config = ConfigBuilder::default()
            .resolve_with_env(env(&[(ENV_API_KEY, "k")]))
            .unwrap();
        assert_eq!(config.base_url.as_str(), "https://api.groq.com/");
        assert_eq!(config.timeout, Duration::from_secs(60));
        assert_eq!(config.connect_timeout, Duration::from_secs(5));
        assert_eq!(config.max_retries, 2);
    }

    #[test]
    fn a_path_that_would_leave_the_base_url_is_refused() {
        for base in ["https://api.groq.com", "http://h:8080/custom/path/"] {
            let config = config_at(base);
            for bad in [
                "/\\\\evil.com/x",
                "/\\/evil.com/x",
                "/\t//evil.com/x",
                "/\n//evil.com/x",
                "https://evil.com/x",
            ]
            .into_iter()
            .chain(
                base.contains("/custom/")
                    .then_some(["/../../x", "/%2e%2e/%2e%2e/x"])
                    .into_iter()
                    .flatten(),
            ) {
                // Refused as leaving the base path, or as having an empty segment once parsed.
                let outcome = config.url(bad);
                assert!(
                    matches!(&outcome, Err(Error::InvalidRequest(m))
                        if m.contains("under the base URL") || m.contains("empty path segment")),
                    "{base} + {bad:?}: {outcome:?}"
                );
            }
            // A backslash or a tab that keeps the URL under the base is only a spelling.
            let url = config.url("/openai\\v1/mo\tdels").unwrap();
            assert!(url.as_str().ends_with("openai/v1/models"), "{url}");
        }
    }

    #[test]
    fn paths_join_under_the_base_path_with_or_without_a_trailing_slash() {
        for base in ["http://h/custom/path", "http://h/custom/path/"] {
            let config = config_at(base);
            assert_eq!(
                config.url("/openai/v1/chat/completions").unwrap().as_str(),
                "http://h/custom/path/openai/v1/chat/completions"
            );
        }
        let config = ConfigBuilder::default()
            .resolve_with_env(env(&[(ENV_API_KEY, "k"), (ENV_BASE_URL, "http://e:1")]))
            .unwrap();
        assert_eq!(
            config.url("/openai/v1/models").unwrap().as_str(),
            "http://e:1/openai/v1/models"
        );
    }

    #[test]
    fn a_colon_in_the_first_segment_is_part_of_the_path() {
        let config = config_at("http://h/custom/");
        assert_eq!(
            config.url("/v1:beta/models").unwrap().as_str(),
            "http://h/custom/v1:beta/models"
        );
        assert_eq!(
            config.url("/openai/v1/models?a=b").unwrap().as_str(),
            "http://h/custom/openai/v1/models?a=b"
        );
    }

    #[test]
    fn a_query_in_the_base_url_goes_with_every_request_first_and_as_written() {
        for base in [
            "http://h/groq?flag&sig=a%20b",
            "http://h/groq/?flag&sig=a%20b",
        ] {
            let config = config_at(base);
            assert_eq!(
                config.url("/openai/v1/models").unwrap().as_str(),
                "http://h/groq/openai/v1/models?flag&sig=a%20b",
                "{base}"
            );
            assert_eq!(
                config.url("/openai/v1/things?a=b").unwrap().as_str(),
                "http://h/groq/openai/v1/things?flag&sig=a%20b&a=b"
            );
            assert!(!format!("{config:?}").contains("a%20b"));
        }
    }

    #[test]
    fn an_empty_path_segment_is_refused_saying_so() {
        let config = ConfigBuilder::default()
            .resolve_with_env(env(&[(ENV_API_KEY, "k")]))
            .unwrap();
        for path in [
            "/openai/v1//models",
            "/\\\\other.host/x",
            "/\t//other.host/x",
        ] {
            let outcome = config.url(path);
            assert!(
                matches!(&outcome, Err(Error::InvalidRequest(m)) if m.contains("empty path segment")),
                "{path:?}: {outcome:?}"
            );
        }
    }

    #[test]
    fn invalid_base_urls_are_configuration_errors() {
        for base in ["not a url", "ftp://h/", "mailto:x@y", "http://h/groq#part"] {
            let result = ConfigBuilder {
                base_url: Some(base.into()),
                ..Default::default()
            }
            .resolve_with_env(env(&[(ENV_API_KEY, "k")]));
            assert!(matches!(result, Err(Error::Config(_))), "{base}");
        }
    }

    #[test]
    fn custom_headers_from_the_environment_lose_to_explicit_ones() {
        let config = ConfigBuilder {
            default_headers: vec![("X-Two".into(), "explicit".into())],
            ..Default::default()
        }
        .resolve_with_env(env(&[
            (ENV_API_KEY, "k"),
            (ENV_CUSTOM_HEADERS, "X-One: 1\n\nX-Two: env\r\n"),
        ]))
        .unwrap();
        assert_eq!(config.default_headers["x-one"], "1");
        assert_eq!(config.default_headers["x-two"], "explicit");
        let bad = ConfigBuilder::default().resolve_with_env(env(&[
            (ENV_API_KEY, "k"),
            (ENV_CUSTOM_HEADERS, "no colon here"),
        ]));
        assert!(matches!(bad, Err(Error::Config(_))));
    }

    #[test]
    fn invalid_retry_delay_scales_are_refused_naming_the_setting() {
        for scale in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -1.0, -1e-300] {
            let result = ConfigBuilder {
                retry_delay_scale: Some(scale),
                ..Default::default()
            }
            .resolve_with_env(env(&[(ENV_API_KEY, "k")]));
            assert!(
                matches!(&result, Err(Error::Config(m)) if m.contains("retry_delay_scale")),
                "{scale}: {result:?}"
            );
        }
        for scale in [0.0, 1e-9, 1.0, 1e20, f64::MAX] {
            let config = ConfigBuilder {
                retry_delay_scale: Some(scale),
                ..Default::default()
            }
            .resolve_with_env(env(&[(ENV_API_KEY, "k")]))
            .unwrap();
            assert_eq!(config.retry_delay_scale, scale);
        }
    }

    #[test]
    fn a_scale_set_directly_on_the_config_is_refused_when_deriving() {
        let mut config = ConfigBuilder::default()
            .resolve_with_env(env(&[(ENV_API_KEY, "k")]))
            .unwrap();
        config.retry_delay_scale = f64::NAN;
        let result = config.with_options(&RequestOptions::new());
        assert!(
            matches!(&result, Err(Error::Config(m)) if m.contains("retry_delay_scale")),
            "{result:?}"
        );
    }

    #[test]
    fn size_limits_have_protective_defaults_and_refuse_zero() {
        let config = ConfigBuilder::default()
            .resolve_with_env(env(&[(ENV_API_KEY, "k")]))
            .unwrap();
        assert_eq!(config.max_event_size, DEFAULT_MAX_EVENT_SIZE);
        assert_eq!(config.max_body_size, DEFAULT_MAX_BODY_SIZE);
        assert_eq!(DEFAULT_MAX_EVENT_SIZE, 16 << 20);
        assert_eq!(DEFAULT_MAX_BODY_SIZE, 256 << 20);
        let config = ConfigBuilder {
            max_event_size: Some(1),
            max_body_size: Some(2),
            ..Default::default()
        }
        .resolve_with_env(env(&[(ENV_API_KEY, "k")]))
        .unwrap();
        assert_eq!((config.max_event_size, config.max_body_size), (1, 2));
        for (builder, setting) in [
            (
                ConfigBuilder {
                    max_event_size: Some(0),
                    ..Default::default()
                },
                "max_event_size",
            ),
            (
                ConfigBuilder {
                    max_body_size: Some(0),
                    ..Default::default()
                },
                "max_body_size",
            ),
        ] {
            let result = builder.resolve_with_env(env(&[(ENV_API_KEY, "k")]));
            assert!(
                matches!(&result, Err(Error::Config(m)) if m.contains(setting)),
                "{setting}: {result:?}"
            );
        }
    }

    #[test]
    fn body_size_checks_name_the_limit() {
        let config = ConfigBuilder {
            max_body_size: Some(100),
            ..Default::default()
        }
        .resolve_with_env(env(&[(ENV_API_KEY, "k")]))
        .unwrap();
        assert!(config.check_body_size(0).is_ok());
        assert!(config.check_body_size(100).is_ok());
        let error = config.check_body_size(101).unwrap_err();
        let text = error.to_string();
        assert!(
            text.contains("max_body_size") && text.contains("100"),
            "{text}"
        );
        assert!(!error.is_connection() && !error.is_timeout());
    }

    #[test]
    fn base_url_credentials_never_show() {
        let builder = ConfigBuilder {
            api_key: Some("k".into()),
            base_url: Some("https://user:url-password@h/p?token=query-secret".into()),
            default_query: vec![("api-token".into(), "default-query-secret".into())],
            ..Default::default()
        };
        let builder_text = format!("{builder:?}");
        let config = builder.resolve_with_env(env(&[])).unwrap();
        let text = format!("{builder_text} {config:?} {config:#?}");
        assert!(text.contains("api-token"), "{text}");
        for secret in ["url-password", "query-secret", "default-query-secret"] {
            assert!(!text.contains(secret), "{secret}: {text}");
        }
        for bad in [
            "ftp://u:url-password@h/?t=query-secret",
            "http://u:url-password@[bad/?t=query-secret",
        ] {
            let error = ConfigBuilder {
                api_key: Some("k".into()),
                base_url: Some(bad.into()),
                ..Default::default()
            }
            .resolve_with_env(env(&[]))
            .unwrap_err();
            let text = format!("{error} {error:?}");
            for secret in ["url-password", "query-secret"] {
                assert!(!text.contains(secret), "{secret}: {text}");
            }
        }
    }

    #[test]
    fn the_key_never_shows_in_debug_output() {
        let builder = ConfigBuilder {
            api_key: Some("sk-secret-123".into()),
            default_headers: vec![("X-Custom".into(), "header-secret".into())],
            ..Default::default()
        };
        let builder_text = format!("{builder:?}");
        let config = builder.resolve_with_env(env(&[])).unwrap();
        let text = format!("{builder_text} {config:?} {:?}", config.api_key);
        assert!(
            text.contains("X-Custom") || text.contains("x-custom"),
            "{text}"
        );
        for secret in ["sk-secret-123", "header-secret"] {
            assert!(!text.contains(secret), "{text}");
        }
    }
}
