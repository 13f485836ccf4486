//! The client: configuration, the connection pool, and the one place that sends requests, with retries,
//! error mapping and response metadata. Written once; `maybe-async` compiles it into both crates.

use crate::body::Body;
use crate::facade::http::{read_all, HttpRequest, HttpResponse, Multipart, RequestBody, Transport};
use crate::facade::upload::FileInput;
use crate::facade::urls::Urls;
use crate::maybe_async;
use crate::reqwest_transport::ReqwestTransport;
use crate::runtime::{self, HttpClient};
use bytes::Bytes;
use groq_types::sdk::config::ConfigBuilder;
use groq_types::sdk::request::{
    form_fields, header_map, layered_query, user_agent, RETRY_COUNT_HEADER,
};
use groq_types::sdk::{
    jitter, retry, ApiKey, ClientConfig, Error, RawResponse, RequestOptions, ResponseMeta,
};
use http::header::{
    HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, USER_AGENT,
};
use http::{HeaderMap, Method, StatusCode};
use serde::de::DeserializeOwned;
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// A client of the Groq API. Cheap to clone (clones share one connection pool), `Send` and `Sync`.
///
/// Resources mirror the Python library: `client.chat().completions().create(…)`,
/// `client.models().list()`, and `.with_raw_response()` on any resource for the response metadata.
#[derive(Clone)]
pub struct Client {
    transport: Route,
    config: Arc<ClientConfig>,
    /// The URLs of the fixed paths under the base URL, joined once.
    urls: Arc<Urls>,
    /// `Authorization: Bearer <key>` (marked sensitive) and `User-Agent`, computed once.
    authorization: HeaderValue,
    user_agent: HeaderValue,
}

/// The retry-count header's name, parsed at compile time (inserting by `&str` parses it for every request).
const RETRY_COUNT: HeaderName = HeaderName::from_static(RETRY_COUNT_HEADER);

/// The retry-count header's value: a static string for the usual counts, which formatting would allocate.
fn retry_count(retries_taken: u32) -> HeaderValue {
    const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    match DIGITS.get(retries_taken as usize) {
        Some(digit) => HeaderValue::from_static(digit),
        None => HeaderValue::from(retries_taken),
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("mode", &runtime::MODE)
            .field("config", &self.config)
            .field("transport", &self.transport)
            .finish_non_exhaustive()
    }
}

/// Where a client's requests go: its built-in reqwest transport, called directly (in `groq-async` the
/// trait's method would box its future, an allocation per call), or a transport given with
/// [`ClientBuilder::transport`], through the trait.
#[derive(Clone, Debug)]
enum Route {
    Reqwest(ReqwestTransport),
    Custom(Arc<dyn Transport>),
}

/// Builds a [`Client`]. Anything not set comes from the environment (`GROQ_API_KEY`, `GROQ_BASE_URL`,
/// `GROQ_CUSTOM_HEADERS`) or the defaults (timeout 60 s, connect timeout 5 s, 2 retries). A builder can be
/// cloned, to make several clients from common settings.
#[derive(Clone, Default)]
pub struct ClientBuilder {
    config: ConfigBuilder,
    http: Option<HttpClient>,
    transport: Option<Arc<dyn Transport>>,
    /// Whether the environment is left unread (the test double's clients).
    without_environment: bool,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The settings' own `Debug` hides the key, header and query values, and the base URL's password
        // and query values.
        f.debug_struct("ClientBuilder")
            .field("config", &self.config)
            .field("custom_http_client", &self.http.is_some())
            .field("transport", &self.transport)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The API key (else `GROQ_API_KEY`).
    pub fn api_key(mut self, api_key: impl Into<ApiKey>) -> Self {
        self.config.api_key = Some(api_key.into());
        self
    }

    /// The base URL (else `GROQ_BASE_URL`, else `https://api.groq.com`). API paths are joined under its
    /// path; a query it carries (a gateway's `?token=…`) is sent with every request, as written and before
    /// any other parameter.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.config.base_url = Some(base_url.into());
        self
    }

    /// How long a request may wait for the response (sending the request included); in a stream, for each
    /// piece of it. 60 s by default. A body that goes silent fails no sooner than this after its last
    /// piece, and at most an eighth of it later (the wait is checked eight times per timeout, not at
    /// every piece).
    ///
    /// The timeouts map onto the Python library's `httpx.Timeout(connect, read, write, pool)` as follows:
    /// `connect` is [`connect_timeout`](Self::connect_timeout), `read` is
    /// [`read_timeout`](Self::read_timeout), and `pool` is the time an idle connection is kept
    /// ([`pool_idle_timeout`](Self::pool_idle_timeout)). reqwest has no separate write timeout: sending the
    /// request counts against this one, except for an upload's files, which may take as long as they keep
    /// going: the wait then fails after a timeout in which no piece of them went out, or a timeout after
    /// the last one.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.config.timeout = Some(timeout);
        self
    }

    /// How long establishing a connection (TCP and TLS) may take; 5 s by default. Set it on your own client
    /// when you pass one with [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout = Some(timeout);
        self
    }

    /// The longest wait for any single read from the connection: the response headers, or the next piece of
    /// a body. Unset by default (only [`timeout`](Self::timeout) applies); where set, it bounds every call's
    /// [`timeout`](Self::timeout), a request's own included. Only the wait on the server counts: the time
    /// your code takes between two pieces of a stream does not.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.config.read_timeout = Some(timeout);
        self
    }

    /// How long an idle connection stays in the pool for reuse; 90 s by default.
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.config.pool_idle_timeout = Some(timeout);
        self
    }

    /// How many idle connections per host the pool keeps (no limit by default; 0 disables reuse).
    pub fn pool_max_idle_per_host(mut self, max: usize) -> Self {
        self.config.pool_max_idle_per_host = Some(max);
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

    /// A query parameter sent with every request, unless the call or its options set the same name (then
    /// theirs replaces it). A query in the base URL is another matter: it goes as written, never replaced.
    pub fn default_query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.config.default_query.push((name.into(), value.into()));
        self
    }

    /// Multiplies every wait between retries (1 by default; 0 retries immediately, handy in tests).
    pub fn retry_delay_scale(mut self, scale: f64) -> Self {
        self.config.retry_delay_scale = Some(scale);
        self
    }

    /// The largest server-sent event a stream accepts (16 MiB by default); a larger one ends the stream
    /// with [`Error::LimitExceeded`].
    pub fn max_event_size(mut self, bytes: usize) -> Self {
        self.config.max_event_size = Some(bytes);
        self
    }

    /// The largest response body read whole (256 MiB by default); a larger one fails with
    /// [`Error::LimitExceeded`]. Downloads written to a file or read piece by piece are not bounded.
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.config.max_body_size = Some(bytes);
        self
    }

    /// Uses your own reqwest client (proxies, TLS settings…); the connect timeout is then yours to set.
    /// Build it from [`http_client_builder`](crate::http_client_builder), which sets up the crate's TLS
    /// backend: under the default features, a client from reqwest's bare builder panics when it is built,
    /// reqwest having no crypto provider of its own.
    /// Its pool may be shared with other clients and with your own code; [`HttpClient`] says how this
    /// crate runs it.
    pub fn http_client(mut self, http: HttpClient) -> Self {
        self.http = Some(http);
        self
    }

    /// Sends every request through `transport` instead of reqwest: a test double such as
    /// [`MockTransport`](crate::test_util::MockTransport) (feature `test-util`), or your own
    /// [`Transport`]. Retries, error mapping and parsing still happen in the client.
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Reads no environment variable: what is not set comes from the defaults.
    #[cfg_attr(not(feature = "test-util"), allow(dead_code))]
    pub(crate) fn without_environment(mut self) -> Self {
        self.without_environment = true;
        self
    }

    /// Builds the client. Fails, before any I/O, when there is no API key or a setting is invalid.
    pub fn build(self) -> Result<Client, Error> {
        // A client may be built anywhere, inside an async task too (a blocking client built there is for
        // the threads it is handed to); only a thread that is ending cannot start what a client needs.
        if let Err(error) = runtime::check_context() {
            if !matches!(error, Error::BlockingInAsyncContext) {
                return Err(error);
            }
        }
        let config = if self.without_environment {
            self.config.resolve_with_env(|_| None)?
        } else {
            self.config.resolve()?
        };
        let transport = match (self.transport, self.http) {
            (Some(transport), _) => Route::Custom(transport),
            (None, Some(http)) => Route::Reqwest(ReqwestTransport::new(http)?),
            (None, None) => Route::Reqwest(ReqwestTransport::from_config(&config)?),
        };
        let mut authorization =
            HeaderValue::from_str(&format!("Bearer {}", config.api_key.expose()))
                .map_err(|_| Error::Config("the API key is not a valid header value".into()))?;
        authorization.set_sensitive(true);
        let user_agent = HeaderValue::from_str(&user_agent(runtime::MODE))
            .map_err(|_| Error::Config("invalid User-Agent".into()))?;
        Ok(Client {
            transport,
            config: Arc::new(config),
            urls: Arc::default(),
            authorization,
            user_agent,
        })
    }
}

/// What to send: rebuilt into a fresh HTTP request for every attempt.
pub(crate) struct Call {
    pub method: Method,
    /// Fixed (`&'static str`) for most endpoints, which lets the client join its URL only once.
    pub path: Cow<'static, str>,
    pub query: Vec<(String, String)>,
    pub body: CallBody,
    pub accept: &'static str,
    pub stream: bool,
    /// Whether the answer must be an event stream (`text/event-stream`).
    pub events: bool,
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
    /// Whether the body can be sent again: every reader among its files is still unread (an attempt whose
    /// body read from one cannot be made again).
    fn can_send_again(&self) -> bool {
        match &self.body {
            CallBody::Multipart { files, .. } => files.iter().all(|(_, f)| f.can_send_again()),
            CallBody::None | CallBody::Json(_) => true,
        }
    }

    /// Whether the body uploads a file from a reader. The body of an attempt may still read one after the
    /// client decided to retry: HTTP/2 goes on sending a body after an early answer, and a transport of the
    /// user's may hold it; so such a call looks again, after the wait, before it retries.
    fn has_reader(&self) -> bool {
        matches!(&self.body, CallBody::Multipart { files, .. } if files.iter().any(|(_, f)| f.is_reader()))
    }

    /// Whether an attempt that failed in a way the retry policy retries may be made again: retries are left
    /// (`retries_taken` of `max_retries`), and the attempt read none of the call's readers. Asked after
    /// each attempt, since an attempt reads a reader only if its request got as far as sending its body.
    fn may_retry(&self, retries_taken: u32, max_retries: u32) -> bool {
        retries_taken < max_retries && self.can_send_again()
    }

    /// A multipart call: the text fields of `body` (see [`form_fields`]) except `skip`, then `files`.
    pub fn multipart<B: serde::Serialize>(
        path: impl Into<Cow<'static, str>>,
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
    pub fn new(method: Method, path: impl Into<Cow<'static, str>>) -> Self {
        Self {
            method,
            path: path.into(),
            query: Vec::new(),
            body: CallBody::None,
            accept: "application/json",
            stream: false,
            events: false,
        }
    }

    /// A call with a JSON body (`extra` fields of the options merged in).
    pub fn json<B: serde::Serialize>(
        method: Method,
        path: impl Into<Cow<'static, str>>,
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
            transport: self.transport.clone(),
            config: Arc::new(self.config.with_options(options)?),
            urls: Arc::default(),
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
    ///
    /// The body of a call that is not streamed is read here, inside the retry loop, so that a body cut or
    /// stalled after the headers is retried like a failed connection; the response then holds it whole.
    #[maybe_async]
    pub(crate) async fn send(
        &self,
        call: &Call,
        options: &RequestOptions,
    ) -> Result<(HttpResponse, ResponseMeta), Error> {
        runtime::check_context()?;
        let max_retries = options.max_retries.unwrap_or(self.config.max_retries);
        // The longest wait for the headers or a piece of the body: the read timeout, where set, bounds it
        // too. Applied here rather than by reqwest, whose read timeout also counted the time a consumer
        // spent between two pieces of a stream (the transport's idle timer does not).
        let timeout = options.timeout.unwrap_or(self.config.timeout);
        let timeout = self
            .config
            .read_timeout
            .map_or(timeout, |read| timeout.min(read));
        let started = Instant::now();
        let mut retries_taken = 0;
        loop {
            let request = self.build_request(call, options, retries_taken, timeout)?;
            log_sending(call, retries_taken);
            // Matched here rather than in a method of `Route`: an `async fn`'s future keeps its arguments,
            // and this one would keep the request for the whole exchange.
            let sent = match &self.transport {
                Route::Reqwest(transport) => transport.exchange(request).await,
                Route::Custom(transport) => transport.send(request).await,
            };
            // A retry's wait, and the error of this attempt, kept in case the call may not be retried
            // after all.
            let (delay, mut error) = match sent {
                Ok(mut response) if response.status.is_success() => {
                    match self.settle_body(call, &mut response).await {
                        Ok(()) => {
                            let status = response.status;
                            // A body read whole no longer needs the headers: they move to the metadata.
                            let headers = if call.stream {
                                response.headers.clone()
                            } else {
                                std::mem::take(&mut response.headers)
                            };
                            let meta = ResponseMeta::new(
                                status,
                                headers,
                                started.elapsed(),
                                retries_taken,
                            );
                            log_response(status, retries_taken);
                            return Ok((response, meta));
                        }
                        Err(failure) => {
                            self.retry_failure(call, failure, retries_taken, max_retries)?
                        }
                    }
                }
                Ok(response) => {
                    let status = response.status;
                    if !(call.may_retry(retries_taken, max_retries)
                        && retry::should_retry(status.as_u16(), &response.headers))
                    {
                        return Err(status_error(status, response).await);
                    }
                    let delay = self.status_retry_delay(status, &response.headers, retries_taken);
                    // Only a call with a reader may need it (below); the others let the answer go unread.
                    let error = if call.has_reader() {
                        Some(status_error(status, response).await)
                    } else {
                        None
                    };
                    (delay, error)
                }
                Err(failure) => self.retry_failure(call, failure, retries_taken, max_retries)?,
            };
            // An attempt may read its call's reader after it ended (HTTP/2 sends a body on after an early
            // answer; a transport of the user's may hold it): then it was the call's last attempt, and its
            // error is the call's. Looked at before the wait and after it.
            if let Some(error) = error.take_if(|_| !call.can_send_again()) {
                return Err(error);
            }
            runtime::sleep(delay).await;
            if let Some(error) = error.take_if(|_| !call.can_send_again()) {
                return Err(error);
            }
            retries_taken += 1;
        }
    }

    /// The wait before retrying after `failure`, and the failure, if the retry policy retries it and the
    /// call may be sent again; else the failure as the call's error.
    fn retry_failure(
        &self,
        call: &Call,
        failure: Error,
        retries_taken: u32,
        max_retries: u32,
    ) -> Result<(Duration, Option<Error>), Error> {
        if call.may_retry(retries_taken, max_retries)
            && (failure.is_connection() || failure.is_timeout())
        {
            Ok((
                self.failure_retry_delay(&failure, retries_taken),
                Some(failure),
            ))
        } else {
            Err(failure)
        }
    }

    /// Reads the body of a call that is not streamed, so that the response holds it whole.
    #[maybe_async]
    async fn settle_body(&self, call: &Call, response: &mut HttpResponse) -> Result<(), Error> {
        if !call.stream {
            let body = read_all(&mut response.body, self.max_body_size()).await?;
            response.body = Body::from(body);
        }
        Ok(())
    }

    /// Sends `call` and parses the whole body as `T` on demand.
    #[maybe_async]
    pub(crate) async fn send_json<T: DeserializeOwned>(
        &self,
        call: &Call,
        options: &RequestOptions,
    ) -> Result<RawResponse<T>, Error> {
        let (response, meta) = self.send(call, options).await?;
        Ok(RawResponse::json(meta, whole_body(call, response)))
    }

    /// Sends `call` and returns the whole body, for a parser chosen by the caller.
    #[maybe_async]
    pub(crate) async fn send_body(
        &self,
        call: &Call,
        options: &RequestOptions,
    ) -> Result<(ResponseMeta, Bytes), Error> {
        let (response, meta) = self.send(call, options).await?;
        Ok((meta, whole_body(call, response)))
    }

    /// The largest body read whole.
    fn max_body_size(&self) -> usize {
        self.config.max_body_size
    }

    /// The wait before retrying a response with a retryable `status`, logged. Out of line, as are the other
    /// events of [`Client::send`]: their temporaries would otherwise widen the stack frame under which
    /// every request is handed to the transport.
    #[inline(never)]
    fn status_retry_delay(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        retries_taken: u32,
    ) -> Duration {
        let delay = self.retry_delay(retries_taken, Some(headers));
        tracing::info!(
            status = status.as_u16(),
            retries_taken,
            delay_ms = delay.as_millis() as u64,
            "retrying"
        );
        delay
    }

    /// The wait before retrying after a connection failure or a timeout, logged.
    #[inline(never)]
    fn failure_retry_delay(&self, failure: &Error, retries_taken: u32) -> Duration {
        let delay = self.retry_delay(retries_taken, None);
        tracing::info!(error = %failure, retries_taken, delay_ms = delay.as_millis() as u64, "retrying");
        delay
    }

    fn retry_delay(&self, retries_taken: u32, headers: Option<&HeaderMap>) -> Duration {
        let delay = retry::retry_delay(retries_taken, headers, jitter(), SystemTime::now());
        retry::scale_delay(delay, self.config.retry_delay_scale)
    }

    fn build_request(
        &self,
        call: &Call,
        options: &RequestOptions,
        retries_taken: u32,
        timeout: Duration,
    ) -> Result<HttpRequest, Error> {
        let mut url = self.urls.get(&self.config, &call.path)?;
        // The client's defaults, the call's own parameters, then the request's options, a name a later
        // layer sets replacing the earlier values.
        let layers: [&[(String, String)]; 3] =
            [&self.config.default_query, &call.query, &options.query];
        if layers.iter().any(|layer| !layer.is_empty()) {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in layered_query(&layers) {
                pairs.append_pair(name, value);
            }
        }

        let mut headers = HeaderMap::with_capacity(8);
        let body = match &call.body {
            CallBody::None => {
                if matches!(call.method, Method::POST | Method::PUT | Method::PATCH) {
                    headers.insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
                }
                RequestBody::Empty
            }
            CallBody::Json(json) => {
                headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                RequestBody::Json(json.clone())
            }
            CallBody::Multipart { fields, files } => RequestBody::Multipart(Multipart {
                fields: fields.clone(),
                files: files
                    .iter()
                    .map(|(name, file)| file.to_part(name))
                    .collect::<Result<_, _>>()?,
            }),
        };
        headers.insert(AUTHORIZATION, self.authorization.clone());
        headers.insert(ACCEPT, HeaderValue::from_static(call.accept));
        headers.insert(USER_AGENT, self.user_agent.clone());
        headers.insert(RETRY_COUNT, retry_count(retries_taken));
        for (name, value) in self.config.default_headers.iter() {
            headers.insert(name.clone(), value.clone());
        }
        if !options.headers.is_empty() {
            let extra = header_map(&options.headers).map_err(Error::InvalidRequest)?;
            for (name, value) in extra.iter() {
                headers.insert(name.clone(), value.clone());
            }
        }
        Ok(HttpRequest {
            method: call.method.clone(),
            url,
            headers,
            body,
            timeout,
            streamed: call.stream,
            max_body_size: self.max_body_size(),
        })
    }
}

/// The body of a response to a call that is not streamed, which [`Client::send`] has read whole. Taken
/// without a wait: a read loop here would be one more future around every call's.
fn whole_body(call: &Call, mut response: HttpResponse) -> Bytes {
    debug_assert!(!call.stream, "a streamed call is read by its stream");
    let body = response.body.take_whole();
    debug_assert!(
        body.is_some(),
        "`send` reads the body of a call that is not streamed whole"
    );
    body.unwrap_or_default()
}

/// Logs an attempt at `call` (out of line: see [`Client::status_retry_delay`]).
#[inline(never)]
fn log_sending(call: &Call, retries_taken: u32) {
    let path = groq_types::sdk::request::RedactedPath(&call.path);
    tracing::debug!(method = %call.method, %path, attempt = retries_taken, "sending request");
}

/// Logs a successful response (out of line: see [`Client::status_retry_delay`]).
#[inline(never)]
fn log_response(status: StatusCode, retries_taken: u32) {
    tracing::debug!(status = status.as_u16(), retries_taken, "response");
}

/// The most of an error response's body that is read for the error.
const MAX_ERROR_BODY: usize = 1024 * 1024;

/// The error of a response with a non-success `status`, from its headers and the start of its body.
#[maybe_async]
async fn status_error(status: StatusCode, mut response: HttpResponse) -> Error {
    let body = read_prefix(&mut response.body, MAX_ERROR_BODY).await;
    Error::from_status(status, response.headers, &body)
}

/// The first `limit` bytes of `body`, for an error: what arrived before the limit, or before the body broke,
/// is kept (the rest is not read), so that an oversized or cut error body still names what went wrong.
#[maybe_async]
pub(crate) async fn read_prefix(body: &mut Body, limit: usize) -> Bytes {
    let mut prefix = bytes::BytesMut::new();
    while prefix.len() < limit {
        match body.next_chunk().await {
            Ok(Some(chunk)) => {
                let take = chunk.len().min(limit - prefix.len());
                prefix.extend_from_slice(chunk.get(..take).unwrap_or_default());
            }
            Ok(None) | Err(_) => break,
        }
    }
    prefix.freeze()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_retry_count_header_is_the_decimal_count() {
        for n in [0, 1, 9, 10, 42, u32::MAX] {
            assert_eq!(retry_count(n), HeaderValue::from(n), "{n}");
        }
        assert_eq!(RETRY_COUNT.as_str(), RETRY_COUNT_HEADER);
    }
}
