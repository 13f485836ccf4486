//! The client: configuration, the connection pool, and the one place that sends requests, with retries,
//! error mapping and response metadata. Written once; `maybe-async` compiles it into both crates.

use crate::facade::upload::FileInput;
use crate::maybe_async;
use crate::transport::{self, HttpClient, HttpResponse};
use bytes::Bytes;
use groq_types::sdk::config::ConfigBuilder;
use groq_types::sdk::request::{form_fields, header_map, user_agent, RETRY_COUNT_HEADER};
use groq_types::sdk::{
    jitter, retry, ApiKey, ClientConfig, Error, RawResponse, RequestOptions, ResponseMeta,
};
use http::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use http::{HeaderMap, Method};
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// A client of the Groq API. Cheap to clone (clones share one connection pool), `Send` and `Sync`.
///
/// Resources mirror the Python library: `client.chat().completions().create(…)`,
/// `client.models().list()`, and `.with_raw_response()` on any resource for the response metadata.
#[derive(Clone)]
pub struct Client {
    http: HttpClient,
    /// The timeout the connection pool was built with (`None` for a caller's own HTTP client).
    pool_timeout: Option<Duration>,
    config: Arc<ClientConfig>,
    /// `Authorization: Bearer <key>` (marked sensitive) and `User-Agent`, computed once.
    authorization: HeaderValue,
    user_agent: HeaderValue,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("mode", &transport::MODE)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`]. Anything not set comes from the environment (`GROQ_API_KEY`, `GROQ_BASE_URL`,
/// `GROQ_CUSTOM_HEADERS`) or the defaults (timeout 60 s, connect timeout 5 s, 2 retries).
#[derive(Default)]
pub struct ClientBuilder {
    config: ConfigBuilder,
    http: Option<HttpClient>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.config.api_key)
            .field("base_url", &self.config.base_url)
            .field("custom_http_client", &self.http.is_some())
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The API key (else `GROQ_API_KEY`).
    pub fn api_key(mut self, api_key: impl Into<ApiKey>) -> Self {
        self.config.api_key = Some(api_key.into());
        self
    }

    /// The base URL (else `GROQ_BASE_URL`, else `https://api.groq.com`). API paths are joined under its path.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.config.base_url = Some(base_url.into());
        self
    }

    /// How long a request may wait for the response; in a stream, for each piece of it.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.config.timeout = Some(timeout);
        self
    }

    /// How long establishing a connection may take (ignored with [`http_client`](Self::http_client)).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout = Some(timeout);
        self
    }

    /// How many times a failed request is retried (0 disables retries).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.config.max_retries = Some(max_retries);
        self
    }

    /// A header sent with every request.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.config
            .default_headers
            .push((name.into(), value.into()));
        self
    }

    /// A query parameter sent with every request.
    pub fn default_query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.config.default_query.push((name.into(), value.into()));
        self
    }

    /// Multiplies every wait between retries (1 by default; 0 retries immediately, handy in tests).
    pub fn retry_delay_scale(mut self, scale: f64) -> Self {
        self.config.retry_delay_scale = Some(scale);
        self
    }

    /// Uses your own reqwest client (proxies, TLS settings…); the connect timeout is then yours to set.
    pub fn http_client(mut self, http: HttpClient) -> Self {
        self.http = Some(http);
        self
    }

    /// Builds the client. Fails, before any I/O, when there is no API key or a setting is invalid.
    pub fn build(self) -> Result<Client, Error> {
        transport::check_context()?;
        let config = self.config.resolve()?;
        let (http, pool_timeout) = match self.http {
            Some(http) => (http, None),
            None => (transport::build_http_client(&config)?, Some(config.timeout)),
        };
        let mut authorization =
            HeaderValue::from_str(&format!("Bearer {}", config.api_key.expose()))
                .map_err(|_| Error::Config("the API key is not a valid header value".into()))?;
        authorization.set_sensitive(true);
        let user_agent = HeaderValue::from_str(&user_agent(transport::MODE))
            .map_err(|_| Error::Config("invalid User-Agent".into()))?;
        Ok(Client {
            http,
            pool_timeout,
            config: Arc::new(config),
            authorization,
            user_agent,
        })
    }
}

/// What to send: rebuilt into a fresh HTTP request for every attempt.
pub(crate) struct Call {
    pub method: Method,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: CallBody,
    pub accept: &'static str,
    pub stream: bool,
}

/// The body of a [`Call`].
pub(crate) enum CallBody {
    None,
    Json(Bytes),
    /// A multipart form: text fields, then files.
    Multipart {
        fields: Vec<(String, String)>,
        files: Vec<(String, FileInput)>,
    },
}

impl Call {
    /// Whether the body can be sent again (a reader cannot).
    fn is_replayable(&self) -> bool {
        match &self.body {
            CallBody::Multipart { files, .. } => files.iter().all(|(_, f)| f.is_replayable()),
            _ => true,
        }
    }

    /// A multipart call: the text fields of `body` (see [`form_fields`]) except `skip`, then `files`.
    pub fn multipart<B: serde::Serialize>(
        path: impl Into<String>,
        body: &B,
        skip: &[&str],
        files: Vec<(String, FileInput)>,
        options: &RequestOptions,
    ) -> Result<Self, Error> {
        let mut value = serde_json::to_value(body)
            .map_err(|e| Error::InvalidRequest(format!("cannot serialise the form: {e}")))?;
        if let Some(object) = value.as_object_mut() {
            for (name, extra) in &options.extra_body {
                object.insert(name.clone(), extra.clone());
            }
        }
        Ok(Self {
            body: CallBody::Multipart {
                fields: form_fields(&value, skip),
                files,
            },
            ..Self::new(Method::POST, path)
        })
    }

    /// A call without a body (GET, DELETE, or a POST that sends nothing).
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            query: Vec::new(),
            body: CallBody::None,
            accept: "application/json",
            stream: false,
        }
    }

    /// A call with a JSON body (`extra` fields of the options merged in).
    pub fn json<B: serde::Serialize>(
        method: Method,
        path: impl Into<String>,
        body: &B,
        options: &RequestOptions,
    ) -> Result<Self, Error> {
        let json = groq_types::sdk::request::json_body(body, &options.extra_body)?;
        Ok(Self {
            body: CallBody::Json(Bytes::from(json)),
            ..Self::new(method, path)
        })
    }
}

impl Client {
    /// A client configured from the environment: `GROQ_API_KEY` (required), `GROQ_BASE_URL`,
    /// `GROQ_CUSTOM_HEADERS`.
    pub fn new() -> Result<Self, Error> {
        Self::builder().build()
    }

    /// A builder for a configured client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client sharing this one's connection pool, with `options` (timeout, retries, headers, query) as its
    /// defaults.
    pub fn with_options(&self, options: &RequestOptions) -> Result<Self, Error> {
        Ok(Self {
            http: self.http.clone(),
            pool_timeout: self.pool_timeout,
            config: Arc::new(self.config.with_options(options)?),
            authorization: self.authorization.clone(),
            user_agent: self.user_agent.clone(),
        })
    }

    /// The resolved configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// Sends `call`, retrying as the retry policy says, and returns the successful response with its
    /// metadata; a non-success status becomes the matching [`Error`].
    #[maybe_async]
    pub(crate) async fn send(
        &self,
        call: &Call,
        options: &RequestOptions,
    ) -> Result<(HttpResponse, ResponseMeta), Error> {
        transport::check_context()?;
        let max_retries = if call.is_replayable() {
            options.max_retries.unwrap_or(self.config.max_retries)
        } else {
            0
        };
        let timeout = options.timeout.unwrap_or(self.config.timeout);
        let started = Instant::now();
        let mut retries_taken = 0;
        loop {
            let request = self.build_request(call, options, retries_taken, timeout)?;
            tracing::debug!(method = %call.method, path = %call.path, attempt = retries_taken, "sending request");
            let result = transport::execute(&self.http, request, timeout, call.stream).await;
            let can_retry = retries_taken < max_retries;
            match result {
                Ok(mut response) => {
                    let status = response.status();
                    if status.is_success() {
                        // A body read whole no longer needs the headers: they move to the metadata.
                        let headers = if call.stream {
                            response.headers().clone()
                        } else {
                            std::mem::take(response.headers_mut())
                        };
                        let meta =
                            ResponseMeta::new(status, headers, started.elapsed(), retries_taken);
                        tracing::debug!(status = status.as_u16(), retries_taken, "response");
                        return Ok((response, meta));
                    }
                    if can_retry && retry::should_retry(status.as_u16(), response.headers()) {
                        let delay = self.retry_delay(retries_taken, Some(response.headers()));
                        tracing::info!(
                            status = status.as_u16(),
                            retries_taken,
                            delay_ms = delay.as_millis() as u64,
                            "retrying"
                        );
                        drop(response);
                        transport::sleep(delay).await;
                        retries_taken += 1;
                        continue;
                    }
                    let headers = std::mem::take(response.headers_mut());
                    let body = transport::read_body(response, timeout)
                        .await
                        .unwrap_or_default();
                    return Err(Error::from_status(status, headers, &body));
                }
                Err(error) if can_retry && (error.is_connection() || error.is_timeout()) => {
                    let delay = self.retry_delay(retries_taken, None);
                    tracing::info!(error = %error, retries_taken, delay_ms = delay.as_millis() as u64, "retrying");
                    transport::sleep(delay).await;
                    retries_taken += 1;
                }
                Err(error) => return Err(error),
            }
        }
    }

    /// Sends `call` and reads the whole body for parsing as `T`.
    #[maybe_async]
    pub(crate) async fn send_json<T: DeserializeOwned>(
        &self,
        call: &Call,
        options: &RequestOptions,
    ) -> Result<RawResponse<T>, Error> {
        let timeout = options.timeout.unwrap_or(self.config.timeout);
        let (response, meta) = self.send(call, options).await?;
        let body = transport::read_body(response, timeout).await?;
        Ok(RawResponse::json(meta, body))
    }

    /// Sends `call` and reads the whole body, for a parser chosen by the caller.
    #[maybe_async]
    pub(crate) async fn send_body(
        &self,
        call: &Call,
        options: &RequestOptions,
    ) -> Result<(ResponseMeta, Bytes), Error> {
        let timeout = options.timeout.unwrap_or(self.config.timeout);
        let (response, meta) = self.send(call, options).await?;
        let body = transport::read_body(response, timeout).await?;
        Ok((meta, body))
    }

    fn retry_delay(&self, retries_taken: u32, headers: Option<&HeaderMap>) -> Duration {
        retry::retry_delay(retries_taken, headers, jitter(), SystemTime::now())
            .mul_f64(self.config.retry_delay_scale)
    }

    fn build_request(
        &self,
        call: &Call,
        options: &RequestOptions,
        retries_taken: u32,
        timeout: Duration,
    ) -> Result<transport::HttpRequest, Error> {
        let mut url = self.config.url(&call.path)?;
        let query = || {
            self.config
                .default_query
                .iter()
                .chain(&call.query)
                .chain(&options.query)
        };
        if query().next().is_some() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in query() {
                pairs.append_pair(name, value);
            }
        }

        let mut builder = self.http.request(call.method.clone(), url);
        match &call.body {
            CallBody::None => {}
            CallBody::Json(json) => {
                builder = builder
                    .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                    .body(json.clone());
            }
            CallBody::Multipart { fields, files } => {
                let mut form = transport::Form::new();
                for (name, value) in fields {
                    form = form.text(name.clone(), value.clone());
                }
                for (name, file) in files {
                    form = form.part(name.clone(), transport::file_part(file)?);
                }
                builder = builder.multipart(form);
            }
        }
        builder = transport::with_timeout(builder, timeout, call.stream, self.pool_timeout);
        let mut request = builder
            .build()
            .map_err(|e| Error::InvalidRequest(format!("cannot build the request: {e}")))?;

        let headers = request.headers_mut();
        headers.insert(AUTHORIZATION, self.authorization.clone());
        headers.insert(ACCEPT, HeaderValue::from_static(call.accept));
        headers.insert(USER_AGENT, self.user_agent.clone());
        headers.insert(RETRY_COUNT_HEADER, HeaderValue::from(retries_taken));
        for (name, value) in self.config.default_headers.iter() {
            headers.insert(name.clone(), value.clone());
        }
        if !options.headers.is_empty() {
            let extra = header_map(&options.headers).map_err(Error::InvalidRequest)?;
            for (name, value) in extra.iter() {
                headers.insert(name.clone(), value.clone());
            }
        }
        Ok(request)
    }
}

/// Maps a transport failure onto the SDK's connection and timeout errors, keeping it as the cause.
pub(crate) fn transport_error(error: reqwest::Error) -> Error {
    if error.is_timeout() {
        return Error::timeout("the request timed out", Some(Box::new(error)));
    }
    let message = if error.is_connect() {
        "could not connect"
    } else if error.is_body() || error.is_decode() {
        "the body was cut"
    } else {
        "the request failed"
    };
    Error::connection(message, error)
}
