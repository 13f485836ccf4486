//! The blocking client on the threads of a tokio runtime: refused inside a task or a `block_on`, where
//! blocking stalls the runtime, and made where tokio allows blocking (`spawn_blocking`, `block_in_place`,
//! code that opted out of the task budget), on either flavour of runtime. A call made there never drives
//! a runtime of its own on the calling thread, where tokio would panic: the cases that run inside a
//! `block_on` check that.
//!
//! Blocking-only: `groq-async` may be called from any task. Every call has a client timeout of a few
//! seconds, so that a regression fails rather than hangs; no assertion is on a duration.

use groq_blocking::{Client, Error};
use groq_tests::fault_fixtures::{chunk, completion, event, stream_of, DONE};
use groq_tests::scripted::{Part, Reply, ScriptedServer};
use groq_types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};
use std::time::Duration;
use tokio::runtime::Runtime;

/// Each call's timeout: far longer than a call takes here, short enough that a stalled one fails the
/// test quickly.
const TIMEOUT: Duration = Duration::from_secs(5);
/// How long a test waits for something that happens at once when the code is right.
const PATIENCE: Duration = Duration::from_secs(20);

fn request() -> CreateChatCompletionRequest {
    CreateChatCompletionRequest::from_messages("llama-3.3-70b-versatile", [Message::user("hi")])
}

fn client(server: &ScriptedServer) -> Client {
    client_at(server.url())
}

/// The client of these tests, for a server at `url`: built wherever the test calls this.
fn client_at(url: String) -> Client {
    Client::builder()
        .api_key("gsk_test_runtime_threads")
        .base_url(url)
        .timeout(TIMEOUT)
        .max_retries(0)
        .build()
        .unwrap()
}

fn current_thread() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn multi_thread() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// A call and a whole stream with `client`, as a script would make them: the call's text and the
/// stream's.
fn call_and_stream(client: &Client) -> Result<(String, String), Error> {
    let completion = client.chat().completions().create(&request())?;
    let mut streamed = String::new();
    for chunk in client.chat().completions().create_stream(&request())? {
        streamed.push_str(chunk?.delta_content().unwrap_or_default());
    }
    Ok((
        completion.content().unwrap_or_default().to_owned(),
        streamed,
    ))
}

/// The replies [`call_and_stream`] expects.
fn call_and_stream_replies() -> Vec<Reply> {
    vec![
        Reply::json(200, &completion("answered")),
        stream_of(&["str", "eamed"]),
    ]
}

fn expected() -> (String, String) {
    ("answered".to_owned(), "streamed".to_owned())
}

#[test]
fn calls_and_streams_work_in_spawn_blocking_on_either_runtime() {
    for runtime in [current_thread(), multi_thread()] {
        let server = ScriptedServer::start(call_and_stream_replies());
        let client = client(&server);
        let outcome = runtime
            .block_on(runtime.spawn_blocking(move || call_and_stream(&client)))
            .unwrap();
        assert_eq!(outcome.unwrap(), expected());
    }
}

#[test]
fn calls_and_streams_work_in_block_in_place() {
    let server = ScriptedServer::start(call_and_stream_replies());
    let client = client(&server);
    let runtime = multi_thread();
    let outcome = runtime
        .block_on(
            runtime.spawn(async move { tokio::task::block_in_place(|| call_and_stream(&client)) }),
        )
        .unwrap();
    assert_eq!(outcome.unwrap(), expected());
}

/// `block_in_place` in the runtime's `block_on` leaves that thread inside the runtime, where driving
/// another one panics: the call must wait rather than drive its own.
#[test]
fn calls_and_streams_work_in_block_in_place_inside_block_on() {
    let server = ScriptedServer::start(call_and_stream_replies());
    let client = client(&server);
    let outcome = multi_thread()
        .block_on(async move { tokio::task::block_in_place(|| call_and_stream(&client)) });
    assert_eq!(outcome.unwrap(), expected());
}

/// Code wrapped in `tokio::task::unconstrained` runs without a task budget, so the call is made (it
/// blocks the task's thread, as any blocking code there does) rather than refused; on a current-thread
/// runtime that thread is inside the runtime's `block_on`, and the call must not panic there.
#[test]
fn a_call_in_an_unconstrained_task_is_made_without_a_panic() {
    for runtime in [current_thread(), multi_thread()] {
        let server = ScriptedServer::start(call_and_stream_replies());
        let client = client(&server);
        let outcome = runtime.block_on(async move {
            tokio::spawn(tokio::task::unconstrained(async move {
                call_and_stream(&client)
            }))
            .await
            .unwrap()
        });
        assert_eq!(outcome.unwrap(), expected());
    }
}

#[test]
fn a_client_built_inside_a_task_refuses_calls_there_and_works_on_a_thread() {
    let server = ScriptedServer::start(vec![Reply::json(200, &completion("from a thread"))]);
    let url = server.url();
    let runtime = current_thread();
    let (client, refused) = runtime.block_on(async move {
        let client = client_at(url);
        let refused = client.chat().completions().create(&request());
        (client, refused)
    });
    assert!(
        matches!(refused, Err(Error::BlockingInAsyncContext)),
        "{refused:?}"
    );
    assert_eq!(server.requests().len(), 0);
    let answered = std::thread::spawn(move || client.chat().completions().create(&request()))
        .join()
        .unwrap()
        .unwrap();
    assert_eq!(answered.content(), Some("from a thread"));
}

/// A stream opened in `spawn_blocking` and dropped there before its end closes its connection: its
/// runtime is driven by a thread of its own.
#[test]
fn a_stream_dropped_early_in_spawn_blocking_closes_its_connection() {
    let server = ScriptedServer::start(vec![
        Reply::sse(&[&event(&chunk("open"))]).part(Part::HoldOpen)
    ]);
    let client = client(&server);
    let runtime = multi_thread();
    let first = runtime
        .block_on(runtime.spawn_blocking(move || {
            let mut stream = client
                .chat()
                .completions()
                .create_stream(&request())
                .unwrap();
            let first = stream
                .next()
                .map(|chunk| chunk.map(|c| c.delta_content().map(str::to_owned)));
            drop(stream);
            (first, client)
        }))
        .unwrap();
    assert_eq!(first.0.unwrap().unwrap(), Some("open".to_owned()));
    assert!(server.wait_for_client_close(PATIENCE));
    drop(first.1);
}

/// A stream opened on a plain thread has its connection on the runtime that thread drives; read on in
/// `spawn_blocking`, where that runtime is not driven from the calling thread, it is read all the same.
#[test]
fn a_stream_opened_on_a_plain_thread_reads_on_in_spawn_blocking() {
    let server = ScriptedServer::start(vec![Reply::sse(&[&event(&chunk("first"))])
        .part(Part::Delay(Duration::from_millis(300)))
        .part(Part::Bytes(event(&chunk(" rest")).into_bytes()))
        .part(Part::Bytes(DONE.as_bytes().to_vec()))]);
    let client = client(&server);
    let mut stream = client
        .chat()
        .completions()
        .create_stream(&request())
        .unwrap();
    let first = stream.next().unwrap().unwrap();
    assert_eq!(first.delta_content(), Some("first"));
    let runtime = multi_thread();
    let rest = runtime
        .block_on(runtime.spawn_blocking(move || {
            let mut rest = String::new();
            for chunk in stream {
                rest.push_str(chunk?.delta_content().unwrap_or_default());
            }
            Ok::<_, Error>(rest)
        }))
        .unwrap();
    assert_eq!(rest.unwrap(), " rest");
    drop(client);
}
