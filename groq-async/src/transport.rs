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
    _pool_timeout: Option<Duration>,
) -> HttpRequestBuilder {
    builder
}

/// Runs `future` for at most `timeout`. A future that is ready at once (a piece of body already received)
/// costs no timer.
async fn within<F: std::future::Future>(
    timeout: Duration,
    future: F,
    what: impl FnOnce() -> String,
) -> Result<F::Output, Error> {
    let mut future = std::pin::pin!(future);
    if let Some(output) = futures::FutureExt::now_or_never(future.as_mut()) {
        return Ok(output);
    }
    tokio::time::timeout(timeout, future)
        .await
        .map_err(|_| Error::timeout(what(), None))
}

pub(crate) async fn execute(
    client: &HttpClient,
    request: HttpRequest,
    timeout: Duration,
    _stream: bool,
) -> Result<HttpResponse, Error> {
    // A request is never answered at once: no fast path, just the timer.
    match tokio::time::timeout(timeout, client.execute(request)).await {
        Ok(result) => result.map_err(crate::facade::client::transport_error),
        Err(_) => Err(Error::timeout(
            format!("no response within {timeout:?}"),
            None,
        )),
    }
}

pub(crate) async fn read_body(response: HttpResponse, timeout: Duration) -> Result<Bytes, Error> {
    within(timeout, response.bytes(), || {
        format!("the body did not arrive within {timeout:?}")
    })
    .await?
    .map_err(crate::facade::client::transport_error)
}

pub(crate) async fn next_chunk(
    response: &mut HttpResponse,
    timeout: Duration,
) -> Result<Option<Bytes>, Error> {
    within(timeout, response.chunk(), || {
        format!("no data for {timeout:?} in the middle of the body")
    })
    .await?
    .map_err(crate::facade::client::transport_error)
}

pub(crate) async fn sleep(duration: Duration) {
    if !duration.is_zero() {
        tokio::time::sleep(duration).await;
    }
}

/// A reader to upload from.
pub type Reader = Box<dyn tokio::io::AsyncRead + Send + Unpin + 'static>;
pub(crate) type Form = reqwest::multipart::Form;

/// The multipart part of a file: bytes as they are, a path streamed from disk, a reader streamed as read.
pub(crate) fn file_part(
    input: &crate::facade::upload::FileInput,
) -> Result<reqwest::multipart::Part, Error> {
    use crate::facade::upload::{io_error, Source};
    use reqwest::multipart::Part;
    let part = match &input.source {
        Source::Bytes(bytes) => {
            Part::stream_with_length(reqwest::Body::from(bytes.clone()), bytes.len() as u64)
        }
        Source::Path(path) => {
            let file = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
            let length = file.metadata().map_err(|e| io_error(path, e))?.len();
            let stream = tokio_util::io::ReaderStream::new(tokio::fs::File::from_std(file));
            Part::stream_with_length(reqwest::Body::wrap_stream(stream), length)
        }
        Source::Reader(slot) => {
            let reader = slot
                .lock()
                .ok()
                .and_then(|mut slot| slot.take())
                .ok_or_else(|| {
                    Error::InvalidRequest("a reader can be uploaded only once".into())
                })?;
            Part::stream(reqwest::Body::wrap_stream(
                tokio_util::io::ReaderStream::new(reader),
            ))
        }
    };
    let part = part.file_name(input.filename.clone());
    match &input.content_type {
        Some(content_type) => part
            .mime_str(content_type)
            .map_err(|_| Error::InvalidRequest(format!("invalid content type `{content_type}`"))),
        None => Ok(part),
    }
}

pub(crate) async fn create_file(path: &std::path::Path) -> Result<tokio::fs::File, Error> {
    tokio::fs::File::create(path)
        .await
        .map_err(|e| crate::facade::upload::io_error(path, e))
}

pub(crate) async fn write_file(
    file: &mut tokio::fs::File,
    bytes: &[u8],
    path: &std::path::Path,
) -> Result<(), Error> {
    use tokio::io::AsyncWriteExt;
    file.write_all(bytes)
        .await
        .map_err(|e| crate::facade::upload::io_error(path, e))
}

pub(crate) async fn finish_file(
    mut file: tokio::fs::File,
    partial: &std::path::Path,
    path: &std::path::Path,
) -> Result<(), Error> {
    use tokio::io::AsyncWriteExt;
    let io = |e| crate::facade::upload::io_error(path, e);
    file.flush().await.map_err(io)?;
    drop(file);
    tokio::fs::rename(partial, path).await.map_err(io)
}

pub(crate) async fn remove_file(path: &std::path::Path) {
    let _ = tokio::fs::remove_file(path).await;
}
