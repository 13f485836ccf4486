//! What runs where in the blocking client, and what must never stall or panic because of it:
//! - a reqwest client of the user's, shared by several blocking clients or with the user's own tokio
//!   runtime: every connection one of them opens is serviced, whoever uses it next;
//! - an upload from a `std::io::Read`: the reader runs outside the SDK's runtimes, so a slow reader holds
//!   up no other call, and a reader may run a tokio runtime of its own;
//! - a call made from inside a futures executor (`futures::executor::block_on`), on either runtime of the
//!   transport;
//! - a stream dropped where the caller-driven runtime cannot be driven (inside a tokio runtime), and calls
//!   and streams in thread-local destructors, where tokio's own thread-locals may be gone;
//! - a client over a reqwest client of the user's built in a child process after `fork()`.
//!
//! Blocking-only: `groq-async` has no runtime of its own to share or to stall. Every call has a client
//! timeout of a few seconds, so that a regression fails rather than hangs; no assertion is on a duration.

use groq_blocking::{Client, Error, FileInput, HttpClient};
use groq_tests::fault_fixtures::{chunk, completion, event, DONE};
use groq_tests::scripted::{Part, Reply, ScriptedServer};
use groq_types::{
    ChatCompletionRequestMessage as Message, CreateChatCompletionRequest,
    CreateTranscriptionRequest,
};
use std::io::Read;
use std::sync::mpsc;
use std::time::Duration;

/// Each call's timeout: far longer than a call takes here, short enough that a stalled one fails the
/// test quickly.
const TIMEOUT: Duration = Duration::from_secs(5);
/// How long a test waits for something that happens at once when the code is right.
const PATIENCE: Duration = Duration::from_secs(20);
const TEXT_JSON: &str = r#"{"text":"transcribed"}"#;

fn request() -> CreateChatCompletionRequest {
    CreateChatCompletionRequest::from_messages("llama-3.3-70b-versatile", [Message::user("hi")])
}

fn transcription() -> CreateTranscriptionRequest {
    CreateTranscriptionRequest::new("whisper-large-v3")
}

fn client(server: &ScriptedServer) -> Client {
    Client::builder()
        .api_key("gsk_test_threads")
        .base_url(server.url())
        .timeout(TIMEOUT)
        .max_retries(0)
        .build()
        .unwrap()
}

/// A client over the user's own reqwest client `http`.
fn client_over(server: &ScriptedServer, http: &HttpClient) -> Client {
    Client::builder()
        .api_key("gsk_test_threads")
        .base_url(server.url())
        .http_client(http.clone())
        .timeout(TIMEOUT)
        .max_retries(0)
        .build()
        .unwrap()
}

/// A reqwest client of the user's (plain HTTP; with the rustls features reqwest wants a provider).
fn http_client() -> HttpClient {
    let _ = rustls::crypto::ring::default_provider().install_default();
    HttpClient::builder().build().unwrap()
}

/// A stream that stays open after its first event, until its client drops it.
fn held_stream() -> Reply {
    Reply::sse(&[&event(&chunk("open"))]).part(Part::HoldOpen)
}

/// The file part's bytes in a recorded multipart body.
fn uploaded(body: &[u8], data: &[u8]) -> bool {
    body.windows(data.len()).any(|window| window == data)
}

// ---- A reqwest client of the user's -----------------------------------------------------------------

#[test]
fn two_blocking_clients_sharing_one_reqwest_client_take_turns() {
    const ROUNDS: usize = 4;
    let server = ScriptedServer::start(
        (0..2 * ROUNDS)
            .map(|n| Reply::json(200, &completion(&format!("answer {n}"))))
            .collect(),
    );
    let http = http_client();
    let a = client_over(&server, &http);
    let b = client_over(&server, &http);
    for n in 0..2 * ROUNDS {
        let client = if n % 2 == 0 { &a } else { &b };
        let answer = client.chat().completions().create(&request());
        let answer = answer.unwrap_or_else(|e| panic!("call {n} failed: {e:?}"));
        assert_eq!(answer.content(), Some(format!("answer {n}").as_str()));
    }
    assert_eq!(server.requests().len(), 2 * ROUNDS);
    // The two clients did share the pool: a connection one opened served the other.
    assert!(
        server.connections() < 2 * ROUNDS,
        "{} connections for {} calls: nothing was reused",
        server.connections(),
        2 * ROUNDS
    );
}

#[test]
fn a_reqwest_client_shared_with_a_blocking_client_still_serves_your_own_runtime() {
    let server = ScriptedServer::start(vec![
        Reply::json(200, &completion("blocking")),
        Reply::json(200, &completion("async")),
        Reply::json(200, &completion("blocking again")),
    ]);
    let http = http_client();
    let client = client_over(&server, &http);
    let completions = client.chat().completions();
    assert_eq!(
        completions.create(&request()).unwrap().content(),
        Some("blocking")
    );

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let url = format!("{}/openai/v1/models", server.url());
    let status = runtime.block_on(async {
        let sent = tokio::time::timeout(TIMEOUT, http.get(&url).send()).await;
        let response = sent.expect("the shared reqwest client hung").unwrap();
        let status = response.status();
        let body = tokio::time::timeout(TIMEOUT, response.text()).await;
        assert!(body
            .expect("the body never came")
            .unwrap()
            .contains("async"));
        status
    });
    assert_eq!(status.as_u16(), 200);
    drop(runtime);

    assert_eq!(
        completions.create(&request()).unwrap().content(),
        Some("blocking again")
    );
    assert_eq!(server.requests().len(), 3);
}

// ---- Uploads from a reader ------------------------------------------------------------------------

/// A reader that, at its first read, says so and then waits until it is released (or `PATIENCE` has
/// passed), reporting which.
struct GatedReader {
    data: std::io::Cursor<Vec<u8>>,
    started: Option<mpsc::Sender<()>>,
    release: mpsc::Receiver<()>,
    released: mpsc::Sender<bool>,
}

impl Read for GatedReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if let Some(started) = self.started.take() {
            let _ = started.send(());
            let released = self.release.recv_timeout(PATIENCE).is_ok();
            let _ = self.released.send(released);
        }
        self.data.read(buf)
    }
}

#[test]
fn a_slow_reader_holds_up_no_other_call() {
    let data = b"RIFF, then some audio".to_vec();
    // 1. A stream this thread keeps open: the calls below run on the transport's second runtime.
    // 2. The chat call made while the upload's reader waits (it arrives whole first).
    // 3. The upload, answered once its reader has let it finish.
    let server = ScriptedServer::start(vec![
        held_stream(),
        Reply::json(200, &completion("not held up")),
        Reply::json(200, TEXT_JSON),
    ]);
    let client = client(&server);
    let mut open = client
        .chat()
        .completions()
        .create_stream(&request())
        .unwrap();
    assert!(open.next().unwrap().is_ok());

    let (started, reading) = mpsc::channel();
    let (release, gate) = mpsc::channel();
    let (released, outcome) = mpsc::channel();
    let reader = GatedReader {
        data: std::io::Cursor::new(data.clone()),
        started: Some(started),
        release: gate,
        released,
    };
    std::thread::scope(|scope| {
        let upload = scope.spawn(|| {
            client
                .audio()
                .transcriptions()
                .create(FileInput::reader("speech.wav", reader), &transcription())
        });
        reading
            .recv_timeout(PATIENCE)
            .expect("the upload never read its reader");

        // The reader is blocked in `read`: an unrelated call must still get its answer.
        let answer = client.chat().completions().create(&request());
        let _ = release.send(());
        assert_eq!(
            outcome.recv_timeout(PATIENCE),
            Ok(true),
            "the reader was not released by the other call's end: that call waited for it"
        );
        assert_eq!(answer.unwrap().content(), Some("not held up"));
        let text = upload.join().unwrap().unwrap();
        assert_eq!(text.text(), "transcribed");
    });
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert!(uploaded(&requests[2].body, &data));
    drop(open);
}

/// A reader over data it fetches with a tokio runtime of its own (as a bridge from async code does).
struct RuntimeReader {
    data: Vec<u8>,
    done: bool,
}

impl Read for RuntimeReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.done {
            return Ok(0);
        }
        self.done = true;
        let data = self.data.clone();
        let piece = tokio::runtime::Runtime::new()
            .unwrap()
            .block_on(async move { data });
        let n = piece.len().min(buf.len());
        buf[..n].copy_from_slice(&piece[..n]);
        Ok(n)
    }
}

#[test]
fn a_reader_may_run_a_tokio_runtime_of_its_own() {
    let data = b"audio fetched by an async runtime".to_vec();
    let server = ScriptedServer::start(vec![Reply::json(200, TEXT_JSON)]);
    let reader = RuntimeReader {
        data: data.clone(),
        done: false,
    };
    let text = client(&server)
        .audio()
        .transcriptions()
        .create(FileInput::reader("speech.wav", reader), &transcription())
        .unwrap();
    assert_eq!(text.text(), "transcribed");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert!(uploaded(&requests[0].body, &data));
}

/// A reader that yields `good` and then fails (`Err`) or panics.
struct FailingReader {
    good: Option<Vec<u8>>,
    panics: bool,
}

impl Read for FailingReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if let Some(good) = self.good.take() {
            buf[..good.len()].copy_from_slice(&good);
            return Ok(good.len());
        }
        if self.panics {
            panic!("the reader broke (a panic the test expects)");
        }
        Err(std::io::Error::other("the disk is on fire"))
    }
}

#[test]
fn a_reader_that_fails_fails_its_upload_and_is_not_retried() {
    for panics in [false, true] {
        let server = ScriptedServer::start(vec![
            Reply::json(200, TEXT_JSON),
            Reply::json(200, TEXT_JSON),
        ]);
        let reader = FailingReader {
            good: Some(b"the first piece".to_vec()),
            panics,
        };
        let error = Client::builder()
            .api_key("gsk_test_threads")
            .base_url(server.url())
            .timeout(TIMEOUT)
            .max_retries(3)
            .build()
            .unwrap()
            .audio()
            .transcriptions()
            .create(FileInput::reader("speech.wav", reader), &transcription())
            .unwrap_err();
        assert!(matches!(error, Error::Connection { .. }), "{error:?}");
        let expected = if panics {
            "stopped before its end"
        } else {
            "the disk is on fire"
        };
        assert!(error.to_string().contains(expected), "{error}");
        // Never sent as if whole, and not retried.
        assert_eq!(server.remaining(), 2, "{:?}", server.requests());
    }
}

// ---- From inside a futures executor -----------------------------------------------------------------

#[test]
fn calls_from_inside_a_futures_executor_complete_on_either_runtime() {
    let stream: String = event(&chunk("a")) + &event(&chunk("b")) + DONE;
    let server = ScriptedServer::start(vec![
        held_stream(),
        Reply::json(200, &completion("inside an executor")),
        Reply::bytes(200, "text/event-stream", stream.as_bytes()),
        Reply::json(200, &completion("caller-driven")),
    ]);
    let client = client(&server);
    let completions = client.chat().completions();
    // The open stream holds the caller-driven runtime: the calls below go to the second one.
    let mut open = completions.create_stream(&request()).unwrap();
    assert!(open.next().unwrap().is_ok());
    futures::executor::block_on(async {
        let answer = completions.create(&request()).unwrap();
        assert_eq!(answer.content(), Some("inside an executor"));
        let chunks = completions
            .create_stream(&request())
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        assert_eq!(chunks.len(), 2);
    });
    drop(open);
    // And on the caller-driven runtime, once it is free.
    let answer = futures::executor::block_on(async { completions.create(&request()) });
    assert_eq!(answer.unwrap().content(), Some("caller-driven"));
    assert_eq!(server.requests().len(), 4);
}

#[test]
fn calls_over_your_own_reqwest_client_complete_inside_a_futures_executor() {
    let server = ScriptedServer::start(vec![Reply::json(200, &completion("shared"))]);
    let client = client_over(&server, &http_client());
    let answer =
        futures::executor::block_on(async { client.chat().completions().create(&request()) });
    assert_eq!(answer.unwrap().content(), Some("shared"));
}

// ---- Where the caller-driven runtime cannot be driven -------------------------------------------------

/// Runs the ignored test `name` of this binary alone in a child process, with `env` set, and gives what it
/// printed; the child must end well (a panic in a thread-local destructor, for one, aborts it).
fn run_child(name: &str, env: &[(&str, &str)]) -> String {
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", name, "--nocapture"])
        .envs(env.iter().copied())
        .env("RUST_BACKTRACE", "0")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&child.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&child.stderr);
    assert!(
        child.status.success(),
        "{:?}\n{stdout}\n{stderr}",
        child.status
    );
    stdout
}

#[test]
fn a_stream_dropped_inside_a_tokio_runtime_still_closes_its_connection() {
    let server = ScriptedServer::start(vec![held_stream()]);
    let client = client(&server);
    let mut open = client
        .chat()
        .completions()
        .create_stream(&request())
        .unwrap();
    assert!(open.next().unwrap().is_ok());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(async move { drop(open) });
    // The client stays alive and idle: no later call drives its runtime.
    assert!(server.wait_for_client_close(PATIENCE));
    drop(client);
}

/// What the thread-local destructor of [`child_thread_local_destructors`] reports.
struct InDestructor {
    client: Client,
    stream: Option<groq_blocking::ChatCompletionStream>,
    report: mpsc::Sender<String>,
}

impl Drop for InDestructor {
    fn drop(&mut self) {
        drop(self.stream.take());
        let outcome = self.client.chat().completions().create(&request());
        let _ = self.report.send(format!("{outcome:?}"));
    }
}

thread_local! {
    static DESTRUCTOR: std::cell::RefCell<Option<InDestructor>> = const { std::cell::RefCell::new(None) };
}

/// Run in a child process by [`calls_and_streams_in_thread_local_destructors_do_not_abort`]: a panic in
/// a thread-local destructor aborts the process.
#[test]
#[ignore = "run in a child process by its parent test"]
fn child_thread_local_destructors() {
    let server = ScriptedServer::start(vec![held_stream(), Reply::json(200, &completion("late"))]);
    let client = client(&server);
    let (report, reports) = mpsc::channel();
    std::thread::spawn(move || {
        // Registered before the client's first use registers tokio's, so destroyed after it.
        DESTRUCTOR.with(|slot| slot.borrow_mut().take());
        let mut stream = client
            .chat()
            .completions()
            .create_stream(&request())
            .unwrap();
        assert!(stream.next().unwrap().is_ok());
        DESTRUCTOR.with(|slot| {
            *slot.borrow_mut() = Some(InDestructor {
                client,
                stream: Some(stream),
                report,
            })
        });
    })
    .join()
    .unwrap();
    println!("child: {}", reports.recv_timeout(PATIENCE).unwrap());
}

#[test]
fn calls_and_streams_in_thread_local_destructors_do_not_abort() {
    let stdout = run_child("child_thread_local_destructors", &[]);
    // The call is refused with an error saying why, rather than made or panicking.
    assert!(
        stdout.contains("child: Err(InvalidRequest(") && stdout.contains("thread-local destructor"),
        "{stdout}"
    );
}

// ---- fork() --------------------------------------------------------------------------------------------

/// Where [`child_fork_after_a_call_over_your_reqwest_client`] finds the server its parent test started.
const FORK_SERVER: &str = "GROQ_TEST_FORK_SERVER";

/// Run in a child process by [`a_client_built_after_fork_over_your_reqwest_client_works_in_the_child`],
/// so that the fork happens in a process whose only threads are its own and the SDK's: makes a call over
/// a reqwest client of its own (which starts the shared runtime's thread), forks, and makes one in the
/// forked process with a client built there. Prints how the forked process ended.
#[test]
#[ignore = "run in a child process by its parent test"]
fn child_fork_after_a_call_over_your_reqwest_client() {
    let url = std::env::var(FORK_SERVER).unwrap();
    let over_own = || {
        Client::builder()
            .api_key("gsk_test_threads")
            .base_url(&url)
            .http_client(http_client())
            .timeout(TIMEOUT)
            .max_retries(0)
            .build()
            .unwrap()
    };
    let before = over_own().chat().completions().create(&request()).unwrap();
    assert_eq!(before.content(), Some("before the fork"));
    // SAFETY: the forked process runs only the code below and ends with `_exit`.
    let pid = unsafe { libc::fork() };
    if pid == 0 {
        // A call that waits on a runtime nothing drives would never end: end the process instead.
        std::thread::spawn(|| {
            std::thread::sleep(PATIENCE);
            unsafe { libc::_exit(2) };
        });
        let after = over_own().chat().completions().create(&request());
        let code = match after {
            Ok(answer) if answer.content() == Some("after the fork") => 0,
            _ => 1,
        };
        unsafe { libc::_exit(code) };
    }
    let mut status = 0;
    // SAFETY: waits for the process forked above.
    unsafe { libc::waitpid(pid, &mut status, 0) };
    println!("forked process exit code: {}", libc::WEXITSTATUS(status));
}

#[test]
fn a_client_built_after_fork_over_your_reqwest_client_works_in_the_child() {
    let server = ScriptedServer::start(vec![
        Reply::json(200, &completion("before the fork")),
        Reply::json(200, &completion("after the fork")),
    ]);
    let stdout = run_child(
        "child_fork_after_a_call_over_your_reqwest_client",
        &[(FORK_SERVER, &server.url())],
    );
    // 2: the call in the forked process hung; 1: it failed.
    assert!(stdout.contains("forked process exit code: 0"), "{stdout}");
}
