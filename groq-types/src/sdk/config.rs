//! Client configuration: the builder's settings, their defaults and environment variables, resolved into a
//! [`ClientConfig`] before any I/O.

use super::error::Error;
use super::request::{header_map, RequestOptions};
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
    /// How many times a failed request is retried; else 2.
    pub max_retries: Option<u32>,
    /// Headers sent with every request (they win over `GROQ_CUSTOM_HEADERS`).
    pub default_headers: Vec<(String, String)>,
    /// Query parameters sent with every request.
    pub default_query: Vec<(String, String)>,
    /// A factor applied to every wait between retries (1 when unset; 0 retries at once).
    pub retry_delay_scale: Option<f64>,
}

impl fmt::Debug for ConfigBuilder {
    /// Header values may be secrets: only their names are shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self
            .default_headers
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        f.debug_struct("ConfigBuilder")
            .field("api_key", &self.api_key)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retries", &self.max_retries)
            .field("default_headers", &header_names)
            .field("default_query", &self.default_query.len())
            .finish()
    }
}

impl ConfigBuilder {
    /// Resolves the settings with the process environment.
    pub fn resolve(self) -> Result<ClientConfig, Error> {
        self.resolve_with_env(|name| std::env::var(name).ok())
    }

    /// Resolves the settings, reading environment variables through `env`.
    pub fn resolve_with_env(
        self,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<ClientConfig, Error> {
        let api_key = self
            .api_key
            .or_else(|| env(ENV_API_KEY).filter(|k| !k.is_empty()).map(ApiKey))
            .ok_or_else(|| {
                Error::Config(format!(
                    "no API key: pass one to the client builder or set {ENV_API_KEY}"
                ))
            })?;
        let base = self
            .base_url
            .or_else(|| env(ENV_BASE_URL).filter(|u| !u.is_empty()))
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        let base_url = parse_base_url(&base)?;

        let mut headers: Vec<(String, String)> = match env(ENV_CUSTOM_HEADERS) {
            Some(text) => parse_custom_headers(&text)?,
            None => Vec::new(),
        };
        headers.extend(self.default_headers);
        let default_headers = header_map(&headers).map_err(Error::Config)?;

        let scale = self.retry_delay_scale.unwrap_or(1.0);
        if !scale.is_finite() || scale < 0.0 {
            return Err(Error::Config(
                "the retry delay scale must be a finite number >= 0".into(),
            ));
        }
        Ok(ClientConfig {
            api_key,
            base_url,
            timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
            connect_timeout: self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
            max_retries: self
                .max_retries
                .unwrap_or(super::retry::DEFAULT_MAX_RETRIES),
            default_headers,
            default_query: self.default_query,
            retry_delay_scale: scale,
        })
    }
}

/// The resolved configuration of a client.
#[derive(Clone)]
pub struct ClientConfig {
    /// The API key.
    pub api_key: ApiKey,
    /// The base URL, always ending with `/`.
    pub base_url: Url,
    /// The request timeout.
    pub timeout: Duration,
    /// The connect timeout.
    pub connect_timeout: Duration,
    /// How many times a failed request is retried.
    pub max_retries: u32,
    /// Headers sent with every request.
    pub default_headers: HeaderMap,
    /// Query parameters sent with every request.
    pub default_query: Vec<(String, String)>,
    /// A factor applied to every wait between retries.
    pub retry_delay_scale: f64,
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
        let extra = header_map(&options.headers).map_err(Error::Config)?;
        for (name, value) in extra.iter() {
            derived.default_headers.insert(name.clone(), value.clone());
        }
        derived.default_query.extend(options.query.iter().cloned());
        Ok(derived)
    }

    /// The URL of an API path (`/openai/v1/models`) under the base URL, keeping the base's own path.
    pub fn url(&self, path: &str) -> Result<Url, Error> {
        self.base_url
            .join(path.trim_start_matches('/'))
            .map_err(|e| Error::InvalidRequest(format!("cannot build the URL for {path}: {e}")))
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.default_headers.keys().map(|k| k.as_str()).collect();
        f.debug_struct("ClientConfig")
            .field("api_key", &self.api_key)
            .field("base_url", &self.base_url.as_str())
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retries", &self.max_retries)
            .field("default_headers", &header_names)
            .field("default_query", &self.default_query.len())
            .finish()
    }
}

fn parse_base_url(base: &str) -> Result<Url, Error> {
    let mut url =
        Url::parse(base).map_err(|e| Error::Config(format!("invalid base URL `{base}`: {e}")))?;
    if url.cannot_be_a_base() || !matches!(url.scheme(), "http" | "https") {
        return Err(Error::Config(format!(
            "invalid base URL `{base}`: it must be an http or https URL"
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
    fn paths_join_under_the_base_path_with_or_without_a_trailing_slash() {
        for base in ["http://h/custom/path", "http://h/custom/path/"] {
            let config = ConfigBuilder {
                base_url: Some(base.into()),
                ..Default::default()
            }
            .resolve_with_env(env(&[(ENV_API_KEY, "k")]))
            .unwrap();
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
    fn invalid_base_urls_are_configuration_errors() {
        for base in ["not a url", "ftp://h/", "mailto:x@y"] {
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
