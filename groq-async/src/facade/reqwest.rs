//! The reqwest side of the seam, written once as async code and used by both crates: `groq-async` awaits
//! it, `groq-blocking` drives it on a runtime owned by its transport. It converts an [`HttpRequest`] into a
//! reqwest request, reads the body of a successful request that is not streamed whole, bounds the waits with tokio
//! timers, and maps reqwest's failures onto the SDK's connection and timeout errors (naming the host and
//! the root cause, never the query or a header).

use super::http::{FileContent, HttpRequest, RequestBody};
use super::upload_progress::{self, Stalled, UploadProgress};
use bytes::Bytes;
use futures::Stream;
use groq_types::sdk::{ClientConfig, Error};
use http::{HeaderMap, StatusCode};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

/// How many redirects are followed before the next one is returned as it is (a 3xx status error, which is
/// not retried): a call makes at most one request more than this, as reqwest's own default does.
const MAX_REDIRECTS: usize = 10;

/// The longest wait the SDK counts: a longer one (`Duration::MAX`, a timeout meaning "never") ends after
/// about 30 years, as tokio's own `timeout` does, rather than overflowing an `Instant`.
pub(super) const LONGEST_WAIT: Duration = Duration::from_secs(30 * 365 * 86_400);

/// The reqwest client the SDK builds for itself.
pub(crate) fn build_client(config: &ClientConfig) -> Result<reqwest::Client, Error> {
    let mut builder = super::tls::configure(reqwest::Client::builder(), config)?;
    // No read timeout here: the client applies `config.read_timeout` to each request's timeout, which this
    // transport bounds each wait by. reqwest's would also count a consumer's pause between two pieces of a
    // stream: its timer starts while the body is waited on and is checked before the socket, so a body
    // read again after a pause longer than it fails though the server kept sending.
    if let Some(max) = config.pool_max_idle_per_host {
        builder = builder.pool_max_idle_per_host(max);
    }
    builder
        .connect_timeout(config.connect_timeout.min(LONGEST_WAIT))
        .pool_idle_timeout(config.pool_idle_timeout.min(LONGEST_WAIT))
        .redirect(reqwest::redirect::Policy::custom(|attempt| {
            // `previous` holds the URLs requested so far, the first included.
            if attempt.previous().len() > MAX_REDIRECTS {
                attempt.stop()
            } else {
                attempt.follow()
            }
        }))
        .build()
        .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))
}

/// A response: its status, its headers and its body.
pub(crate) struct Received {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: ReceivedBody,
}

/// The body of a [`Received`] response.
pub(crate) enum ReceivedBody {
    /// Read whole: the request was not streamed and its status is a success.
    Whole(Bytes),
    /// As it arrives, a stream of pieces bounded by an idle timer: the request was streamed, or its status
    /// is an error, whose body the client reads only as far as the error needs (a cut or oversized error
    /// body must not hide the status).
    Streamed(ChunkStream),
}

/// Sends `request` with `client`, waits, for at most its timeout, for the response headers, and reads the
/// body whole if the request is not streamed and the status is a success (each wait for a piece bounded by
/// the timeout).
///
/// The request is turned into reqwest's and handed to reqwest when this is called, which must be within a
/// tokio runtime (reqwest may start its own timers there); reqwest only starts the exchange when the
/// returned future is first polled. The future then holds only what the wait needs: an `async fn` would
/// keep the whole `HttpRequest` in its future for as long as it runs, and a client's call future, which
/// holds this one, would grow by that much. That future is what a user's task carries around, and each of
/// many concurrent calls.
pub(crate) fn send(
    client: &reqwest::Client,
    request: HttpRequest,
) -> impl Future<Output = Result<Received, Error>> + Send + 'static {
    let started = start(client, request);
    async move {
        let Started {
            pending,
            timeout,
            url,
            streamed,
            max_body_size,
            upload,
        } = started?;
        // Each step in a block of its own, so that what it leaves behind (reqwest's response, the stream
        // before it is read) is out of scope, and out of this future's state, at the next wait.
        let (status, headers, pieces) = {
            let waited = match upload {
                None => super::deadline::within(after(timeout), pending)
                    .await
                    .ok_or(None),
                // Boxed: the wait past an upload stays out of every call's future.
                Some(progress) => Box::pin(progress.wait(pending, timeout))
                    .await
                    .map_err(Some),
            };
            let mut response = match waited {
                Ok(result) => result.map_err(|e| transport_error(e, &url))?,
                Err(stalled) => return Err(no_answer(stalled, timeout, &url)),
            };
            let headers = std::mem::take(response.headers_mut());
            let status = response.status();
            let pieces = ChunkStream::new(Box::pin(response.bytes_stream()), timeout, url);
            (status, headers, pieces)
        };
        let body = if streamed || !status.is_success() {
            ReceivedBody::Streamed(pieces.bound_to_runtime())
        } else {
            let whole = pieces.read_all(max_body_size);
            ReceivedBody::Whole(whole.await?)
        };
        Ok(Received {
            status,
            headers,
            body,
        })
    }
}

/// A request handed to reqwest, and what waiting for its response needs.
struct Started<P> {
    /// reqwest's future of the response.
    pending: P,
    timeout: Duration,
    /// Kept to name the host in a failure's message, formatted only then.
    url: url::Url,
    streamed: bool,
    max_body_size: usize,
    /// The progress of the request's files, if it has any: the wait for the answer runs while they go out.
    upload: Option<Arc<UploadProgress>>,
}

/// The timeout error of a request that got no answer in time: none came within `timeout`, or the files of
/// an upload went out too slowly, or the answer did not come after them.
#[cold]
fn no_answer(stalled: Option<Stalled>, timeout: Duration, url: &url::Url) -> Error {
    let host = host_of(url);
    let message = match stalled {
        None => format!("no response from {host} within {timeout:?}"),
        Some(Stalled::Sending) => {
            format!("the upload to {host} made no progress for {timeout:?}")
        }
        Some(Stalled::Answering) => {
            format!("no response from {host} within {timeout:?} of the upload's end")
        }
    };
    Error::timeout(message, None)
}

/// Turns `request` into reqwest's and hands it to `client`.
fn start(
    client: &reqwest::Client,
    request: HttpRequest,
) -> Result<Started<impl Future<Output = reqwest::Result<reqwest::Response>>>, Error> {
    let timeout = request.timeout;
    let (streamed, max_body_size) = (request.streamed, request.max_body_size);
    let url = request.url.clone();
    // The request is built directly, its header map moved in whole (a `RequestBuilder` would copy it
    // header by header); only a multipart form goes through the builder, which frames it.
    let mut outgoing = client
        .request(request.method, request.url)
        .build()
        .map_err(|e| {
            Error::InvalidRequest(format!("cannot build the request: {}", e.without_url()))
        })?;
    let mut headers = request.headers;
    // Anything reqwest set from the URL (credentials as basic auth) stays unless the request has its own.
    for (name, value) in outgoing.headers() {
        if !headers.contains_key(name) {
            headers.append(name.clone(), value.clone());
        }
    }
    *outgoing.headers_mut() = headers;
    let mut upload = None;
    match request.body {
        RequestBody::Empty => {}
        RequestBody::Json(json) => *outgoing.body_mut() = Some(json.into()),
        RequestBody::Multipart(form) => {
            (outgoing, upload) = with_multipart(client, outgoing, form)?
        }
    }
    Ok(Started {
        pending: client.execute(outgoing),
        timeout,
        url,
        streamed,
        max_body_size,
        upload,
    })
}

/// `outgoing` with `form` as its body, framed by reqwest, and the progress of its files if it has any.
/// Kept out of [`start`]: its temporaries would otherwise widen the stack frame under which every request,
/// multipart or not, is handed to reqwest.
#[inline(never)]
fn with_multipart(
    client: &reqwest::Client,
    outgoing: reqwest::Request,
    form: super::http::Multipart,
) -> Result<(reqwest::Request, Option<Arc<UploadProgress>>), Error> {
    let mut multipart = reqwest::multipart::Form::new();
    for (name, value) in form.fields {
        multipart = multipart.text(name, value);
    }
    let progress = (!form.files.is_empty()).then(|| UploadProgress::new(form.files.len()));
    for (file, progress) in form.files.into_iter().zip(progress.iter().cycle()) {
        let part = file_part(file.content, progress)?
            .file_name(quoted_file_name(file.filename))
            .mime_str(&file.content_type)
            .map_err(|_| {
                Error::InvalidRequest(format!("invalid content type `{}`", file.content_type))
            })?;
        multipart = multipart.part(file.name, part);
    }
    let outgoing = reqwest::RequestBuilder::from_parts(client.clone(), outgoing)
        .multipart(multipart)
        .build()
        .map_err(|e| {
            Error::InvalidRequest(format!("cannot build the request: {}", e.without_url()))
        })?;
    Ok((outgoing, progress))
}

/// `name` with each `"` written `%22`, as browsers (the HTML standard's multipart encoding) and the official
/// SDKs write it. reqwest would write `\"`, which a server that does not undo that escape reads as the end
/// of the name. (A backslash goes as `\\` either way; a line break never gets this far: `FileInput`
/// refuses it.)
fn quoted_file_name(name: String) -> String {
    if name.contains('"') {
        name.replace('"', "%22")
    } else {
        name
    }
}

/// reqwest's stream of the pieces of a body.
type BodyStream = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>;

/// How many ticks of the idle timer make up the timeout: a body that gives nothing for a whole timeout fails
/// between 1 and 1 + 1/`IDLE_TICKS` timeouts after its last piece.
const IDLE_TICKS: u32 = 8;

/// The body of a response as it arrives, each wait for a piece bounded by `timeout`.
///
/// The idle timer ticks every `timeout / IDLE_TICKS` while the body is waited on, and fails the body after
/// `IDLE_TICKS` ticks in a row with no piece between them. A piece only sets a flag: the clock is read
/// once per tick, not once per piece (a stream of small events would read it for each event). So a
/// silent body fails no sooner than `timeout` after its last piece, and at most a tick later.
pub(crate) struct ChunkStream {
    body: Option<BodyStream>,
    timeout: Duration,
    idle: Option<Pin<Box<tokio::time::Sleep>>>,
    /// The runtime the idle timer was made on (`None` before it is made).
    idle_on: Option<tokio::runtime::Id>,
    /// The runtime the body came from, for a body read where no runtime is current: the idle timer is made
    /// on it then, so that the body can be read from any thread, with or without a runtime of its own.
    runtime: Option<tokio::runtime::Handle>,
    /// A piece arrived since the last tick.
    progress: bool,
    /// Ticks in a row without a piece.
    idle_ticks: u32,
    /// The request's URL, to name its host in a failure's message.
    url: url::Url,
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
                this.progress = true;
                Poll::Ready(Some(Ok(bytes)))
            }
            Poll::Ready(Some(Err(error))) => {
                this.close();
                Poll::Ready(Some(Err(transport_error(error, &this.url))))
            }
            Poll::Ready(None) => {
                this.close();
                Poll::Ready(None)
            }
            Poll::Pending => {
                let tick = this.timeout / IDLE_TICKS;
                // On the runtime current here, which drives the timer as long as the body is read here:
                // the one the body came from may be idle or gone by now (a pooled connection may even be
                // another runtime's). The timer is made again when the body is read on another runtime.
                let current = tokio::runtime::Handle::try_current().ok();
                let runtime = current.as_ref().or(this.runtime.as_ref());
                let on = runtime.map(tokio::runtime::Handle::id);
                if this.idle_on != on {
                    this.idle = None;
                    this.idle_on = on;
                }
                let idle = this.idle.get_or_insert_with(|| {
                    let _entered = runtime.map(tokio::runtime::Handle::enter);
                    Box::pin(tokio::time::sleep_until(after(tick)))
                });
                while idle.as_mut().poll(cx).is_ready() {
                    if std::mem::take(&mut this.progress) {
                        this.idle_ticks = 0;
                    } else {
                        this.idle_ticks += 1;
                    }
                    if this.idle_ticks >= IDLE_TICKS {
                        let timeout = this.timeout;
                        this.close();
                        return Poll::Ready(Some(Err(Error::timeout(
                            format!(
                                "no data from {} for {timeout:?} in the middle of the body",
                                host_of(&this.url)
                            ),
                            None,
                        ))));
                    }
                    // From now, not from the tick's deadline: a consumer that came back late has not
                    // been waiting on the server all that time.
                    idle.as_mut().reset(after(tick));
                }
                Poll::Pending
            }
        }
    }
}

/// `wait` from now; a wait too long to count ends after [`LONGEST_WAIT`].
fn after(wait: Duration) -> tokio::time::Instant {
    let now = tokio::time::Instant::now();
    now.checked_add(wait).unwrap_or_else(|| now + LONGEST_WAIT)
}

impl ChunkStream {
    fn new(body: BodyStream, timeout: Duration, url: url::Url) -> Self {
        Self {
            body: Some(body),
            timeout,
            idle: None,
            idle_on: None,
            runtime: None,
            progress: false,
            idle_ticks: 0,
            url,
        }
    }

    /// This body, its idle timer to be made on the current runtime whichever thread reads it.
    fn bound_to_runtime(mut self) -> Self {
        self.runtime = tokio::runtime::Handle::try_current().ok();
        self
    }

    fn close(&mut self) {
        self.body = None;
        self.idle = None;
        self.idle_on = None;
    }

    /// Reads the rest of the body, refusing more than `limit` bytes. (Polled by hand: an `async fn` would
    /// keep the stream twice in its future, once as its argument and once where it is read.)
    pub(crate) fn read_all(mut self, limit: usize) -> impl Future<Output = Result<Bytes, Error>> {
        let mut whole = super::http::Collector::new(limit);
        std::future::poll_fn(move |cx| loop {
            match std::task::ready!(Pin::new(&mut self).poll_next(cx)) {
                Some(Ok(chunk)) => {
                    if let Err(error) = whole.push(chunk) {
                        return Poll::Ready(Err(error));
                    }
                }
                Some(Err(error)) => return Poll::Ready(Err(error)),
                None => return Poll::Ready(Ok(whole.finish())),
            }
        })
    }
}

/// The multipart part for a file's bytes: from memory, streamed from disk, or streamed from a reader; in
/// pieces whose going out `progress` counts.
fn file_part(
    content: FileContent,
    progress: &Arc<UploadProgress>,
) -> Result<reqwest::multipart::Part, Error> {
    use reqwest::multipart::Part;
    Ok(match content {
        FileContent::Bytes(bytes) => {
            let length = bytes.len() as u64;
            let pieces = progress.track(upload_progress::pieces_of(bytes, FILE_READ_SIZE));
            Part::stream_with_length(reqwest::Body::wrap_stream(pieces), length)
        }
        FileContent::Path(path) => {
            let io = |e| crate::facade::upload::io_error(&path, e);
            // Only a regular file has the length its metadata gives, and opens without a wait: a
            // directory would fail in the middle of the request (and be retried), a pipe would be sent
            // empty, or block its opener until a writer comes.
            if !std::fs::metadata(&path).map_err(io)?.is_file() {
                return Err(io(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "not a regular file (upload a pipe or a device with `FileInput::reader`)",
                )));
            }
            let file = std::fs::File::open(&path).map_err(io)?;
            let length = file.metadata().map_err(io)?.len();
            Part::stream_with_length(
                reqwest::Body::wrap_stream(progress.track(file_stream(file, length))),
                length,
            )
        }
        FileContent::Reader(reader) => Part::stream(reqwest::Body::wrap_stream(
            progress.track(crate::body::reader_pieces(reader)),
        )),
    })
}

/// The first `length` bytes of `file`, as the pieces of a body whose `Content-Length` is `length`: a file
/// that grows while it is sent (a log being appended to) must not push the form's closing boundary past
/// that length, where it would be cut off. A file that shrinks ends the body short, which fails the
/// attempt as a connection error, and a retry opens the file again.
fn file_stream(
    file: std::fs::File,
    length: u64,
) -> tokio_util::io::ReaderStream<tokio::io::Take<tokio::fs::File>> {
    use tokio::io::AsyncReadExt;
    // Each read of a `tokio::fs::File` is a trip to tokio's blocking threads: 256 KiB pieces rather than
    // `ReaderStream`'s 4 KiB (a 256 MiB file went out in 3.7 s, against 0.17 s from memory).
    tokio_util::io::ReaderStream::with_capacity(
        tokio::fs::File::from_std(file).take(length),
        FILE_READ_SIZE,
    )
}

/// How much one read of a file being uploaded takes.
const FILE_READ_SIZE: usize = 256 * 1024;

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
pub(crate) fn transport_error(error: reqwest::Error, url: &url::Url) -> Error {
    let host = &host_of(url);
    let error = error.without_url();
    let root = root_cause(&error);
    if error.is_timeout() {
        return Error::timeout(
            format!("{host} did not answer in time ({root})"),
            Some(Box::new(error)),
        );
    }
    let what = if error.is_connect() && through_proxy(url) {
        // reqwest names the API's host even when it was the proxy that could not be reached.
        format!("could not connect to {host} or to the proxy the environment sets")
    } else if error.is_connect() {
        format!("could not connect to {host}")
    } else if error.is_body() || error.is_decode() {
        format!("the body from {host} was cut")
    } else {
        format!("the request to {host} failed")
    };
    Error::connection(format!("{what}: {root}"), error)
}

/// Whether reqwest's rules for the proxies of the environment and the system (`HTTP_PROXY`, `NO_PROXY`…)
/// send a request to `url` through a proxy. Read when the error is made, for its message only; a reqwest
/// client of the user's may have been built with other proxy settings.
#[cold]
fn through_proxy(url: &url::Url) -> bool {
    url.as_str().parse::<http::Uri>().is_ok_and(|uri| {
        hyper_util::client::proxy::matcher::Matcher::from_system()
            .intercept(&uri)
            .is_some()
    })
}

/// The innermost cause of `error`, as text.
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut current = error;
    while let Some(source) = current.source() {
        current = source;
    }
    current.to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_file_longer_than_its_announced_length_is_sent_up_to_that_length() {
        use futures::StreamExt;
        use std::io::Write;
        let path = std::env::temp_dir().join(format!("groq-file-stream-{}", std::process::id()));
        let mut file = std::fs::File::create(&path).unwrap();
        file.write_all(b"0123456789").unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let sent = runtime.block_on(async {
            // The length was read before the file grew to ten bytes.
            let pieces = super::file_stream(std::fs::File::open(&path).unwrap(), 4);
            pieces.map(|piece| piece.unwrap().to_vec()).concat().await
        });
        let _ = std::fs::remove_file(&path);
        assert_eq!(sent, b"0123");
    }

    use super::*;
    use futures::StreamExt;
    use tokio::time::{sleep, Instant};

    /// A body whose pieces come after the given gaps (each counted from the poll that asks for it), then
    /// nothing, ever.
    fn body(gaps: &[u64]) -> BodyStream {
        let gaps: Vec<Duration> = gaps.iter().copied().map(Duration::from_millis).collect();
        let pieces = futures::stream::unfold(gaps.into_iter(), |mut gaps| async move {
            sleep(gaps.next()?).await;
            Some((Ok(Bytes::from_static(b"piece")), gaps))
        });
        Box::pin(pieces.chain(futures::stream::pending()))
    }

    fn stream(gaps: &[u64], timeout_ms: u64) -> ChunkStream {
        stream_with(gaps, Duration::from_millis(timeout_ms))
    }

    fn stream_with(gaps: &[u64], timeout: Duration) -> ChunkStream {
        let url = url::Url::parse("http://127.0.0.1:9/").unwrap();
        ChunkStream::new(body(gaps), timeout, url)
    }

    /// Runs `test` on a current-thread runtime whose clock is paused (it jumps to the next timer).
    fn paused(test: impl std::future::Future<Output = ()>) {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .unwrap()
            .block_on(test);
    }

    #[test]
    fn pieces_closer_than_the_timeout_never_time_out() {
        paused(async {
            let mut body = stream(&[900; 20], 1000);
            for n in 0..20 {
                let piece = body.next().await.unwrap();
                assert!(piece.is_ok(), "piece {n}: {piece:?}");
            }
        });
    }

    #[test]
    fn a_silent_body_fails_between_one_timeout_and_one_tick_after_its_last_piece() {
        for timeout_ms in [80, 1000, 60_000] {
            paused(async move {
                let mut body = stream(&[10, 30], timeout_ms);
                body.next().await.unwrap().unwrap();
                body.next().await.unwrap().unwrap();
                let last_piece = Instant::now();
                let error = body.next().await.unwrap().unwrap_err();
                let silent = last_piece.elapsed();
                assert!(error.is_timeout(), "{error:?}");
                let timeout = Duration::from_millis(timeout_ms);
                // Each tick may end up to a millisecond late (the timer's resolution).
                let latest =
                    timeout + timeout / IDLE_TICKS + Duration::from_millis(IDLE_TICKS.into());
                assert!(
                    silent >= timeout && silent <= latest,
                    "timeout {timeout:?}: failed {silent:?} after the last piece"
                );
                assert!(
                    body.next().await.is_none(),
                    "the body is closed after its timeout"
                );
            });
        }
    }

    #[test]
    fn a_timeout_too_long_to_count_never_fails_the_body() {
        paused(async {
            let mut body = stream_with(&[10, 30], Duration::MAX);
            for _ in 0..2 {
                let piece = body.next().await.unwrap();
                assert!(piece.is_ok(), "{piece:?}");
            }
        });
    }

    #[test]
    fn a_consumer_that_comes_back_late_gets_a_whole_timeout() {
        paused(async {
            // The second piece comes 500 ms after the consumer asks for it, 3.5 s after the first.
            let mut body = stream(&[10, 500], 1000);
            body.next().await.unwrap().unwrap();
            sleep(Duration::from_secs(3)).await;
            let piece = body.next().await.unwrap();
            assert!(piece.is_ok(), "{piece:?}");
        });
    }
}
