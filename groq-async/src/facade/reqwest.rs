//! The reqwest side of the seam, written once as async code and used by both crates: `groq-async` awaits
//! it, `groq-blocking` drives it on a runtime owned by its transport. It converts an [`HttpRequest`] into a
//! reqwest request, bounds the waits with tokio timers, and maps reqwest's failures onto the SDK's
//! connection and timeout errors (naming the host and the root cause, never the query or a header).

use super::http::{FileContent, HttpRequest, RequestBody};
use bytes::Bytes;
use futures::Stream;
use groq_types::sdk::{ClientConfig, Error};
use http::{HeaderMap, StatusCode};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// How many redirects are followed before the last one is returned as it is (a 3xx status error, which is
/// not retried).
const MAX_REDIRECTS: usize = 10;

/// The reqwest client the SDK builds for itself.
pub(crate) fn build_client(config: &ClientConfig) -> Result<reqwest::Client, Error> {
    super::tls::configure(reqwest::Client::builder(), config)?
        .connect_timeout(config.connect_timeout)
        .redirect(reqwest::redirect::Policy::custom(|attempt| {
            if attempt.previous().len() >= MAX_REDIRECTS {
                attempt.stop()
            } else {
                attempt.follow()
            }
        }))
        .build()
        .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))
}

/// A response whose headers have arrived, and its body as a stream of pieces bounded by an idle timer.
pub(crate) struct Received {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: ChunkStream,
}

/// Sends `request` with `client` and waits, for at most its timeout, for the response headers.
pub(crate) async fn send(
    client: &reqwest::Client,
    request: HttpRequest,
) -> Result<Received, Error> {
    let timeout = request.timeout;
    let host = host_of(&request.url);
    let mut builder = client
        .request(request.method, request.url)
        .headers(request.headers);
    match request.body {
        RequestBody::Empty => {}
        RequestBody::Json(json) => builder = builder.body(json),
        RequestBody::Multipart(form) => {
            let mut multipart = reqwest::multipart::Form::new();
            for (name, value) in form.fields {
                multipart = multipart.text(name, value);
            }
            for file in form.files {
                let part = file_part(file.content)?
                    .file_name(file.filename)
                    .mime_str(&file.content_type)
                    .map_err(|_| {
                        Error::InvalidRequest(format!(
                            "invalid content type `{}`",
                            file.content_type
                        ))
                    })?;
                multipart = multipart.part(file.name, part);
            }
            builder = builder.multipart(multipart);
        }
    }
    let outgoing = builder.build().map_err(|e| {
        Error::InvalidRequest(format!("cannot build the request: {}", e.without_url()))
    })?;
    let response = match tokio::time::timeout(timeout, client.execute(outgoing)).await {
        Ok(result) => result.map_err(|e| transport_error(e, &host))?,
        Err(_) => {
            return Err(Error::timeout(
                format!("no response from {host} within {timeout:?}"),
                None,
            ))
        }
    };
    let status = response.status();
    let mut response = response;
    let headers = std::mem::take(response.headers_mut());
    Ok(Received {
        status,
        headers,
        body: ChunkStream {
            body: Some(Box::pin(response.bytes_stream())),
            timeout,
            idle: None,
            host,
        },
    })
}

/// The body of a response as it arrives. An idle timer is armed only while the body has nothing to give,
/// so a piece that is already there costs no timer.
pub(crate) struct ChunkStream {
    body: Option<Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>>,
    timeout: Duration,
    idle: Option<Pin<Box<tokio::time::Sleep>>>,
    host: String,
}

impl Stream for ChunkStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let Some(body) = this.body.as_mut() else {
            return Poll::Ready(None);
        };
        match body.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(bytes))) => {
                this.idle = None;
                Poll::Ready(Some(Ok(bytes)))
            }
            Poll::Ready(Some(Err(error))) => {
                this.body = None;
                this.idle = None;
                Poll::Ready(Some(Err(transport_error(error, &this.host))))
            }
            Poll::Ready(None) => {
                this.body = None;
                this.idle = None;
                Poll::Ready(None)
            }
            Poll::Pending => {
                let timeout = this.timeout;
                let idle = this
                    .idle
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
                if idle.as_mut().poll(cx).is_ready() {
                    this.body = None;
                    this.idle = None;
                    return Poll::Ready(Some(Err(Error::timeout(
                        format!(
                            "no data from {} for {timeout:?} in the middle of the body",
                            this.host
                        ),
                        None,
                    ))));
                }
                Poll::Pending
            }
        }
    }
}

impl ChunkStream {
    /// Reads the rest of the body, refusing more than `limit` bytes.
    pub(crate) async fn read_all(mut self, limit: usize) -> Result<Bytes, Error> {
        use futures::StreamExt;
        let mut whole = super::http::Collector::new(limit);
        while let Some(chunk) = self.next().await.transpose()? {
            whole.push(chunk)?;
        }
        Ok(whole.finish())
    }
}

/// The multipart part for a file's bytes: as they are, streamed from disk, or streamed from a reader.
fn file_part(content: FileContent) -> Result<reqwest::multipart::Part, Error> {
    use reqwest::multipart::Part;
    Ok(match content {
        FileContent::Bytes(bytes) => {
            let length = bytes.len() as u64;
            Part::stream_with_length(reqwest::Body::from(bytes), length)
        }
        FileContent::Path(path) => {
            let io = |e| crate::facade::upload::io_error(&path, e);
            let file = std::fs::File::open(&path).map_err(io)?;
            let length = file.metadata().map_err(io)?.len();
            let stream = tokio_util::io::ReaderStream::new(tokio::fs::File::from_std(file));
            Part::stream_with_length(reqwest::Body::wrap_stream(stream), length)
        }
        FileContent::Reader(reader) => Part::stream(crate::body::reader_body(reader)),
    })
}

/// `host:port` of `url`, for messages (never the path's ids, the query or credentials).
fn host_of(url: &url::Url) -> String {
    match (url.host_str(), url.port_or_known_default()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        _ => "the server".to_owned(),
    }
}

/// Maps a reqwest failure onto the SDK's connection and timeout errors. The message names the host and
/// the root cause; the kept cause has its URL removed (it may carry query values).
pub(crate) fn transport_error(error: reqwest::Error, host: &str) -> Error {
    let error = error.without_url();
    let root = root_cause(&error);
    if error.is_timeout() {
        return Error::timeout(
            format!("{host} did not answer in time ({root})"),
            Some(Box::new(error)),
        );
    }
    let what = if error.is_connect() {
        format!("could not connect to {host}")
    } else if error.is_body() || error.is_decode() {
        format!("the body from {host} was cut")
    } else {
        format!("the request to {host} failed")
    };
    Error::connection(format!("{what}: {root}"), error)
}

/// The innermost cause of `error`, as text.
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut current = error;
    while let Some(source) = current.source() {
        current = source;
    }
    current.to_string()
}
