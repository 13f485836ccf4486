//! The async transport: reqwest's async client, with tokio timers bounding the wait for the response
//! headers and for each piece of the body.

use bytes::Bytes;
use groq_types::sdk::{ClientConfig, Error};
use std::time::Duration;

/// Told to the server in the `User-Agent`.
pub(crate) const MODE: &str = "async";

/// The HTTP client (a connection pool; cheap to clone).
pub type HttpClient = reqwest::Client;
pub(crate) type HttpResponse = reqwest::Response;
pub(crate) type HttpRequest = reqwest::Request;
pub(crate) type HttpRequestBuilder = reqwest::RequestBuilder;

pub(crate) fn build_http_client(config: &ClientConfig) -> Result<HttpClient, Error> {
    reqwest::Client::builder()
        .connect_timeout(config.connect_timeout)
        .build()
        .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))
}

/// Async code may call the async client anywhere.
pub(crate) fn check_context() -> Result<(), Error> {
    Ok(())
}

/// Timeouts are applied around each step by [`execute`], [`read_body`] and [`next_chunk`].
pub(crate) fn with_timeout(
    builder: HttpRequestBuilder,
    _timeout: Duration,
    _stream: bool,
) -> HttpRequestBuilder {
    builder
}

pub(crate) async fn execute(
    client: &HttpClient,
    request: HttpRequest,
    timeout: Duration,
    _stream: bool,
) -> Result<HttpResponse, Error> {
    match tokio::time::timeout(timeout, client.execute(request)).await {
        Ok(result) => result.map_err(crate::facade::client::transport_error),
        Err(_) => Err(Error::timeout(
            format!("no response within {timeout:?}"),
            None,
        )),
    }
}

pub(crate) async fn read_body(response: HttpResponse, timeout: Duration) -> Result<Bytes, Error> {
    match tokio::time::timeout(timeout, response.bytes()).await {
        Ok(result) => result.map_err(crate::facade::client::transport_error),
        Err(_) => Err(Error::timeout(
            format!("the body did not arrive within {timeout:?}"),
            None,
        )),
    }
}

pub(crate) async fn next_chunk(
    response: &mut HttpResponse,
    timeout: Duration,
) -> Result<Option<Bytes>, Error> {
    match tokio::time::timeout(timeout, response.chunk()).await {
        Ok(result) => result.map_err(crate::facade::client::transport_error),
        Err(_) => Err(Error::timeout(
            format!("no data for {timeout:?} in the middle of the body"),
            None,
        )),
    }
}

pub(crate) async fn sleep(duration: Duration) {
    if !duration.is_zero() {
        tokio::time::sleep(duration).await;
    }
}
