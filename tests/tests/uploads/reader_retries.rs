//! Retries of an upload from a reader (A11, A16): retried like any other call as long as no attempt has
//! read from the reader, never once one has. The attempts a server cannot see (a refused connection) are
//! counted by the client's resolver: the base URL's host is resolved once per new connection, to the
//! addresses of a [`Resolver`] in turn. Every scenario runs against both clients (`dual_test!`).

use crate::support::*;
use groq_tests::dual_test;
use groq_tests::ports::RefusingPort;
use groq_tests::scripted::{Recorded, Reply, ScriptedServer};
use groq_types::sdk::request::RETRY_COUNT_HEADER;
use groq_types::sdk::Error;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

const KEY: &str = "gsk_reader_retries_0123456789";
/// The base URL's host, which only a [`Resolver`] resolves (no port: the resolved one is kept).
const HOST: &str = "http://uploads.test";
const BUSY: &str = r#"{"error":{"message":"busy","type":"internal_server_error"}}"#;

/// Resolves every name to the given addresses in turn, one per resolution, the last one again once they
/// run out; counts the resolutions. A connection is made (and the host resolved) for an attempt that has
/// none to reuse: every attempt of a call whose connections are refused or closed after their reply.
struct Resolver {
    addrs: Vec<SocketAddr>,
    resolved: Arc<AtomicUsize>,
}

impl reqwest::dns::Resolve for Resolver {
    fn resolve(&self, _name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let turn = self.resolved.fetch_add(1, Ordering::SeqCst);
        let addr = self.addrs[turn.min(self.addrs.len() - 1)];
        let addrs: reqwest::dns::Addrs = Box::new(std::iter::once(addr));
        Box::pin(std::future::ready(Ok(addrs)))
    }
}

/// A reqwest client (proxies left out) whose resolver gives `addrs` in turn, and its count of resolutions.
fn resolving(
    builder: reqwest::ClientBuilder,
    addrs: &[SocketAddr],
) -> (reqwest::Client, Arc<AtomicUsize>) {
    let resolved = Arc::new(AtomicUsize::new(0));
    let resolver = Resolver {
        addrs: addrs.to_vec(),
        resolved: Arc::clone(&resolved),
    };
    let client = builder.no_proxy().dns_resolver(resolver).build().unwrap();
    (client, resolved)
}

/// A reader over `data` for both clients (`Read` and `AsyncRead`), counting the reads made of it.
struct Counted {
    data: std::io::Cursor<Vec<u8>>,
    reads: Arc<AtomicUsize>,
}

fn counted(data: &[u8]) -> (Counted, Arc<AtomicUsize>) {
    let reads = Arc::new(AtomicUsize::new(0));
    let reader = Counted {
        data: std::io::Cursor::new(data.to_vec()),
        reads: Arc::clone(&reads),
    };
    (reader, reads)
}

impl std::io::Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.reads.fetch_add(1, Ordering::SeqCst);
        self.data.read(buf)
    }
}

impl tokio::io::AsyncRead for Counted {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        this.reads.fetch_add(1, Ordering::SeqCst);
        Pin::new(&mut this.data).poll_read(cx, buf)
    }
}

/// Checks that `request` is a files upload whose file is `data`, and that it was attempt `attempt`.
fn assert_upload(request: &Recorded, data: &[u8], attempt: &str) {
    assert_eq!(request.path(), FILES);
    assert_eq!(request.header(RETRY_COUNT_HEADER), Some(attempt));
    let parts = parse_form(request);
    let file = file_part(&parts);
    assert_eq!(file.filename.as_deref(), Some("in.jsonl"));
    assert_eq!(file.data.len(), data.len());
    assert!(file.data == data, "the file differs");
}

/// A client with `max_retries` (the default if `None`) that reaches `HOST` at `addrs` in turn, and its count
/// of resolutions: one per attempt that needs a new connection. A macro, so that it builds the client of
/// whichever crate the test that uses it runs (its `groq`).
macro_rules! resolving_client {
    ($addrs:expr, $max_retries:expr) => {{
        let (http, resolved) = resolving(groq::http_client_builder().unwrap(), $addrs);
        let mut builder = groq::Client::builder()
            .api_key(KEY)
            .base_url(HOST)
            .http_client(http)
            .retry_delay_scale(0.0);
        if let Some(max_retries) = $max_retries {
            builder = builder.max_retries(max_retries);
        }
        (builder.build().unwrap(), resolved)
    }};
}

/// Uploads `data` through `client` from a counted reader: the call's outcome and the reads made of it (a
/// macro for the same reason, and for the test's `wait!`).
macro_rules! upload {
    ($client:expr, $data:expr) => {{
        let (reader, reads) = counted($data);
        let file = groq::FileInput::reader("in.jsonl", reader);
        (wait!($client.files().upload(file, "batch")), reads)
    }};
}

dual_test! {
    fn a_reader_upload_refused_before_its_body_was_read_is_retried() {
        let server = ScriptedServer::start(vec![Reply::json(200, &file_json("file_r", "in.jsonl"))]);
        let refusing = RefusingPort::new();
        // More than the blocking client's reading thread holds ahead (three pieces of 64 KiB).
        let data = varied_bytes(300_000, 21);
        let (client, resolved) = resolving_client!(&[refusing.addr(), server.addr()], None::<u32>);
        let (file, reads) = upload!(client, &data);
        assert_eq!(file.unwrap().id.as_deref(), Some("file_r"));
        assert_eq!(resolved.load(Ordering::SeqCst), 2, "two attempts: refused, then answered");
        let requests = server.requests();
        assert_eq!(requests.len(), 1, "the server received the file once");
        assert_upload(&requests[0], &data, "1");
        assert!(reads.load(Ordering::SeqCst) > 0);
    }

    fn a_reader_upload_is_not_retried_once_its_body_was_read() {
        let data = varied_bytes(100_000, 22);
        let busy_then_ok = || {
            ScriptedServer::start(vec![
                Reply::json(503, BUSY),
                Reply::json(200, &file_json("file_r", "in.jsonl")),
            ])
        };
        // Answered 503 once the server read the whole request: one attempt, with three retries allowed.
        let server = busy_then_ok();
        let client = groq::Client::builder()
            .api_key(KEY)
            .base_url(server.url())
            .max_retries(3)
            .retry_delay_scale(0.0)
            .build()
            .unwrap();
        let error = upload!(client, &data).0.unwrap_err();
        assert!(matches!(error, Error::InternalServer(_)), "{error:?}");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
        let requests = server.requests();
        assert_eq!(requests.len(), 1, "not retried");
        assert_eq!(server.remaining(), 1);
        assert_upload(&requests[0], &data, "0");

        // Refused first, which reads nothing and is retried; then read and answered 503: not retried again.
        let server = busy_then_ok();
        let refusing = RefusingPort::new();
        let (client, resolved) = resolving_client!(&[refusing.addr(), server.addr()], Some(3));
        let error = upload!(client, &data).0.unwrap_err();
        assert!(matches!(error, Error::InternalServer(_)), "{error:?}");
        assert_eq!(resolved.load(Ordering::SeqCst), 2, "refused, then read and answered");
        let requests = server.requests();
        assert_eq!(requests.len(), 1);
        assert_eq!(server.remaining(), 1);
        assert_upload(&requests[0], &data, "1");
    }

    fn a_reader_upload_that_is_never_read_takes_the_attempts_of_the_retry_policy() {
        let refusing = RefusingPort::new();
        let data = varied_bytes(1_000, 23);
        // The default policy: two retries, three attempts. Then `max_retries(0)`: one attempt.
        for (max_retries, attempts) in [(None, 3), (Some(0), 1)] {
            let (client, resolved) = resolving_client!(&[refusing.addr()], max_retries);
            let (outcome, reads) = upload!(client, &data);
            let error = outcome.unwrap_err();
            assert!(error.is_connection(), "{error:?}");
            assert_eq!(resolved.load(Ordering::SeqCst), attempts, "max_retries {max_retries:?}");
            assert_eq!(reads.load(Ordering::SeqCst), 0, "a refused attempt reads nothing");
        }
    }
}

/// The reader of a request's file, taken out of it (`None` if it has none).
macro_rules! reader_of {
    ($request:expr) => {
        match $request.body {
            groq::transport::RequestBody::Multipart(form) => {
                form.files.into_iter().find_map(|file| match file.content {
                    groq::transport::FileContent::Reader(reader) => Some(reader),
                    _ => None,
                })
            }
            _ => None,
        }
    };
}

/// What the transports below do with a request's reader after they have answered.
#[derive(Clone, Copy, Debug)]
enum Late {
    /// The answer is a 503 whose body reads the reader when it is read: what an HTTP/2 connection does
    /// when it goes on sending a request's body after an early answer.
    InTheAnswer,
    /// A thread reads it after the answer (a connection failure) was given.
    OnAThread,
}

/// A transport whose attempt reads its reader only after it answered, so after the client decided to retry:
/// the call must then end with that attempt's error, not retry and find its reader gone.
#[derive(Debug)]
struct LateAsync(Late, Arc<AtomicUsize>);

#[groq_async::transport::async_trait]
impl groq_async::transport::Transport for LateAsync {
    async fn send(
        &self,
        request: groq_async::transport::HttpRequest,
    ) -> Result<groq_async::transport::HttpResponse, Error> {
        use groq_async as groq;
        self.1.fetch_add(1, Ordering::SeqCst);
        let mut reader = reader_of!(request).expect("a reader upload");
        let read = move || {
            use tokio::io::AsyncRead;
            let mut piece = [0u8; 8];
            let mut cx = Context::from_waker(std::task::Waker::noop());
            let _ =
                Pin::new(&mut reader).poll_read(&mut cx, &mut tokio::io::ReadBuf::new(&mut piece));
        };
        late_answer(&self.0, read).map(|(status, body)| {
            groq::transport::HttpResponse::new(
                status,
                Default::default(),
                groq::transport::Body::from_chunks(body),
            )
        })
    }
}

#[derive(Debug)]
struct LateBlocking(Late, Arc<AtomicUsize>);

impl groq_blocking::transport::Transport for LateBlocking {
    fn send(
        &self,
        request: groq_blocking::transport::HttpRequest,
    ) -> Result<groq_blocking::transport::HttpResponse, Error> {
        use groq_blocking as groq;
        self.1.fetch_add(1, Ordering::SeqCst);
        let mut reader = reader_of!(request).expect("a reader upload");
        let read = move || {
            let _ = std::io::Read::read(&mut reader, &mut [0u8; 8]);
        };
        late_answer(&self.0, read).map(|(status, body)| {
            groq::transport::HttpResponse::new(
                status,
                Default::default(),
                groq::transport::Body::from_chunks(body),
            )
        })
    }
}

/// The answer of a transport above, which calls `read` after it: a 503 whose body calls it as it is read,
/// or a connection failure, with a thread calling it.
fn late_answer(
    late: &Late,
    read: impl FnOnce() + Send + 'static,
) -> Result<
    (
        http::StatusCode,
        impl Iterator<Item = Result<bytes::Bytes, Error>> + Send + 'static,
    ),
    Error,
> {
    match late {
        Late::InTheAnswer => {
            let mut read = Some(read);
            let body = std::iter::from_fn(move || {
                read.take().map(|read| {
                    read();
                    Ok(bytes::Bytes::from_static(BUSY.as_bytes()))
                })
            });
            Ok((http::StatusCode::SERVICE_UNAVAILABLE, body))
        }
        Late::OnAThread => {
            // The retry waits at least 0.75 s (backoff 0.5 s, jitter at most a quarter off, scaled by 2):
            // ample for a thread to start and read.
            std::thread::spawn(read);
            Err(Error::connection(
                "refused",
                std::io::Error::other("refused"),
            ))
        }
    }
}

#[test]
fn a_reader_read_after_its_attempt_answered_ends_the_call_with_that_answer() {
    for late in [Late::InTheAnswer, Late::OnAThread] {
        let expected = |error: &Error| match late {
            Late::InTheAnswer => error.status().map(|s| s.as_u16()) == Some(503),
            Late::OnAThread => error.is_connection(),
        };
        let calls = Arc::new(AtomicUsize::new(0));
        let client = groq_blocking::Client::builder()
            .api_key(KEY)
            .transport(LateBlocking(late, Arc::clone(&calls)))
            .retry_delay_scale(2.0)
            .build()
            .unwrap();
        let (reader, _) = counted(b"abc");
        let file = groq_blocking::FileInput::reader("in.jsonl", reader);
        let error = client.files().upload(file, "batch").unwrap_err();
        assert!(expected(&error), "blocking: {error:?}");
        assert_eq!(calls.load(Ordering::SeqCst), 1, "blocking: one attempt");

        let calls = Arc::new(AtomicUsize::new(0));
        let client = groq_async::Client::builder()
            .api_key(KEY)
            .transport(LateAsync(late, Arc::clone(&calls)))
            .retry_delay_scale(2.0)
            .build()
            .unwrap();
        let (reader, _) = counted(b"abc");
        let file = groq_async::FileInput::reader("in.jsonl", reader);
        let error = groq_tests::driver::runtime()
            .block_on(client.files().upload(file, "batch"))
            .unwrap_err();
        assert!(expected(&error), "async: {error:?}");
        assert_eq!(calls.load(Ordering::SeqCst), 1, "async: one attempt");
    }
}
