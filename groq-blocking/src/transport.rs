//! The blocking transport: reqwest's blocking client. Its client-wide timeout bounds the wait for the
//! response headers and for each read of the body; a buffered call also gets the call's own timeout.

use bytes::Bytes;
use groq_types::sdk::{ClientConfig, Error};
use std::io::Read;
use std::time::Duration;

/// Told to the server in the `User-Agent`.
pub(crate) const MODE: &str = "blocking";

/// The HTTP client (a connection pool; cheap to clone).
pub type HttpClient = reqwest::blocking::Client;
pub(crate) type HttpResponse = reqwest::blocking::Response;
pub(crate) type HttpRequest = reqwest::blocking::Request;
pub(crate) type HttpRequestBuilder = reqwest::blocking::RequestBuilder;

/// How much of a streamed body one read takes.
const READ_SIZE: usize = 16 * 1024;

pub(crate) fn build_http_client(config: &ClientConfig) -> Result<HttpClient, Error> {
    reqwest::blocking::Client::builder()
        .connect_timeout(config.connect_timeout)
        .timeout(config.timeout)
        .build()
        .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))
}

/// Blocking on a thread that runs a tokio runtime stalls it (and reqwest panics there in debug builds), so
/// it is refused with [`Error::BlockingInAsyncContext`].
pub(crate) fn check_context() -> Result<(), Error> {
    match tokio::runtime::Handle::try_current() {
        Ok(_) => Err(Error::BlockingInAsyncContext),
        Err(_) => Ok(()),
    }
}

/// A buffered call gets its own timeout. A stream (events, a download) keeps the pool's per-read timeout,
/// so that a long answer is not cut; only when the call asks for another timeout than the pool was built
/// with is it set on the request, where reqwest's blocking client applies it to every read and also to the
/// whole transfer.
pub(crate) fn with_timeout(
    builder: HttpRequestBuilder,
    timeout: Duration,
    stream: bool,
    pool_timeout: Option<Duration>,
) -> HttpRequestBuilder {
    if stream && pool_timeout.is_none_or(|built| built == timeout) {
        builder
    } else {
        builder.timeout(timeout)
    }
}

pub(crate) fn execute(
    client: &HttpClient,
    request: HttpRequest,
    _timeout: Duration,
    _stream: bool,
) -> Result<HttpResponse, Error> {
    client
        .execute(request)
        .map_err(crate::facade::client::transport_error)
}

pub(crate) fn read_body(response: HttpResponse, _timeout: Duration) -> Result<Bytes, Error> {
    response
        .bytes()
        .map_err(crate::facade::client::transport_error)
}

pub(crate) fn next_chunk(
    response: &mut HttpResponse,
    _timeout: Duration,
) -> Result<Option<Bytes>, Error> {
    let mut buffer = vec![0; READ_SIZE];
    loop {
        match response.read(&mut buffer) {
            Ok(0) => return Ok(None),
            Ok(n) => {
                buffer.truncate(n);
                return Ok(Some(Bytes::from(buffer)));
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) if is_timeout(&e) => {
                return Err(Error::timeout(
                    "no data in the middle of the body",
                    Some(e.into()),
                ))
            }
            Err(e) => return Err(Error::connection("the body was cut", e)),
        }
    }
}

pub(crate) fn sleep(duration: Duration) {
    if !duration.is_zero() {
        std::thread::sleep(duration);
    }
}

fn is_timeout(error: &std::io::Error) -> bool {
    error.kind() == std::io::ErrorKind::TimedOut
        || error
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<reqwest::Error>())
            .is_some_and(reqwest::Error::is_timeout)
}

/// A reader to upload from.
pub type Reader = Box<dyn Read + Send + 'static>;
pub(crate) type Form = reqwest::blocking::multipart::Form;

/// The multipart part of a file: bytes as they are, a path streamed from disk, a reader streamed as read.
pub(crate) fn file_part(
    input: &crate::facade::upload::FileInput,
) -> Result<reqwest::blocking::multipart::Part, Error> {
    use crate::facade::upload::{io_error, Source};
    use reqwest::blocking::multipart::Part;
    let part = match &input.source {
        Source::Bytes(bytes) => {
            Part::reader_with_length(std::io::Cursor::new(bytes.clone()), bytes.len() as u64)
        }
        Source::Path(path) => {
            let file = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
            let length = file.metadata().map_err(|e| io_error(path, e))?.len();
            Part::reader_with_length(file, length)
        }
        Source::Reader(slot) => {
            let reader = slot
                .lock()
                .ok()
                .and_then(|mut slot| slot.take())
                .ok_or_else(|| {
                    Error::InvalidRequest("a reader can be uploaded only once".into())
                })?;
            Part::reader(reader)
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

pub(crate) fn create_file(path: &std::path::Path) -> Result<std::fs::File, Error> {
    std::fs::File::create(path).map_err(|e| crate::facade::upload::io_error(path, e))
}

pub(crate) fn write_file(
    file: &mut std::fs::File,
    bytes: &[u8],
    path: &std::path::Path,
) -> Result<(), Error> {
    use std::io::Write;
    file.write_all(bytes)
        .map_err(|e| crate::facade::upload::io_error(path, e))
}

pub(crate) fn finish_file(
    mut file: std::fs::File,
    partial: &std::path::Path,
    path: &std::path::Path,
) -> Result<(), Error> {
    use std::io::Write;
    let io = |e| crate::facade::upload::io_error(path, e);
    file.flush().map_err(io)?;
    drop(file);
    std::fs::rename(partial, path).map_err(io)
}

pub(crate) fn remove_file(path: &std::path::Path) {
    let _ = std::fs::remove_file(path);
}
