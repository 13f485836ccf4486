//! The blocking client while its caller-driven runtime is held: by a stream left open on the same thread,
//! or by other threads calling at the same time. Such calls run on the transport's second runtime (a
//! thread of its own, a pool of its own), and every one must complete with its whole answer. While calls
//! run there, new ones join them rather than take the caller-driven runtime. And between calls, when no
//! thread drives it: a connection the server closed meanwhile must not be taken for the next call.

use groq_blocking::Client;
use groq_tests::bench_server::{BenchServer, CHUNKS_HEADER};
use groq_tests::fault_fixtures::{chunk, completion, event, slow_headers, DONE};
use groq_tests::leaks::settles;
use groq_tests::scripted::{Part, Reply, ScriptedServer};
use groq_types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};
use std::time::{Duration, Instant};

const CHUNKS: usize = 25;

fn request() -> CreateChatCompletionRequest {
    CreateChatCompletionRequest::from_messages("llama-3.3-70b-versatile", [Message::user("hi")])
}

fn client(server: &BenchServer) -> Client {
    Client::builder()
        .api_key("gsk_test_lanes")
        .base_url(server.base_url())
        .default_header(CHUNKS_HEADER, CHUNKS.to_string())
        .build()
        .unwrap()
}

#[test]
fn calls_made_while_a_stream_is_open_on_the_same_thread_complete() {
    let server = BenchServer::start().unwrap();
    let client = client(&server);
    let completions = client.chat().completions();
    // The open stream holds the runtime that this thread drives.
    let mut open = completions.create_stream(&request()).unwrap();
    assert!(open.next().unwrap().is_ok());

    let completion = completions.create(&request()).unwrap();
    assert!(completion.content().is_some_and(|c| !c.is_empty()));
    let other: Vec<_> = completions
        .create_stream(&request())
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(other.len(), CHUNKS);
    // A stream dropped early on the second runtime releases its connection without blocking anyone.
    let mut dropped = completions.create_stream(&request()).unwrap();
    assert!(dropped.next().unwrap().is_ok());
    drop(dropped);

    let rest: Vec<_> = open.collect::<Result<_, _>>().unwrap();
    assert_eq!(rest.len() + 1, CHUNKS);
    // The first runtime is free again once its stream is over.
    assert!(completions.create(&request()).is_ok());
}

#[test]
fn many_threads_calling_at_once_all_get_their_answers() {
    const THREADS: usize = 16;
    const CALLS: usize = 10;
    let server = BenchServer::start().unwrap();
    let client = client(&server);
    let (calls, chunks) = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..THREADS)
            .map(|_| {
                let client = client.clone();
                scope.spawn(move || {
                    let completions = client.chat().completions();
                    let mut calls = 0;
                    for _ in 0..CALLS {
                        let completion = completions.create(&request()).unwrap();
                        calls += usize::from(completion.content().is_some());
                    }
                    let chunks = completions
                        .create_stream(&request())
                        .unwrap()
                        .map(|chunk| chunk.map(|_| 1))
                        .sum::<Result<usize, _>>()
                        .unwrap();
                    (calls, chunks)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().unwrap())
            .fold((0, 0), |(a, b), (c, d)| (a + c, b + d))
    });
    assert_eq!(calls, THREADS * CALLS);
    assert_eq!(chunks, THREADS * CHUNKS);
}

/// How long the call left running on the second runtime waits for its answer: the test's own steps take
/// a few milliseconds in between, and a loaded machine may stall them for seconds.
const SLOW_ANSWER: Duration = Duration::from_secs(15);

#[test]
fn a_call_made_while_calls_run_on_the_second_runtime_joins_them_there() {
    // 1. A stream with a `Content-Length` (its connection is kept for reuse), held open by this thread.
    let stream: String = ["a", "b"]
        .iter()
        .map(|c| event(&chunk(c)))
        .collect::<String>()
        + DONE;
    // 2. A call from another thread while the stream holds the first runtime: its answer comes late.
    let slow = slow_headers(Reply::json(200, &completion("slow")), SLOW_ANSWER);
    // 3. A call from this thread once the stream is over, while the slow call still runs.
    let server = ScriptedServer::start(vec![
        Reply::bytes(200, "text/event-stream", stream.as_bytes()),
        slow,
        Reply::json(200, &completion("third")),
    ]);
    let client = Client::builder()
        .api_key("gsk_test_lanes")
        .base_url(server.url())
        .max_retries(0)
        .build()
        .unwrap();
    let completions = client.chat().completions();

    let mut open = completions.create_stream(&request()).unwrap();
    assert!(open.next().unwrap().is_ok());
    std::thread::scope(|scope| {
        let slow_call = scope.spawn(|| completions.create(&request()));
        let waited = Instant::now();
        while server.requests().len() < 2 {
            assert!(
                waited.elapsed() < Duration::from_secs(30),
                "the second call never arrived"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        // The stream ends: the first runtime is free, and its connection idle in its pool.
        assert_eq!(open.by_ref().count(), 1);
        drop(open);

        let third = completions.create(&request()).unwrap();
        assert!(
            !slow_call.is_finished(),
            "the slow call ended before the third one was made; nothing was shown"
        );
        assert_eq!(third.content(), Some("third"));
        // It ran on the second runtime, beside the slow call: a third connection there, where the first
        // runtime would have reused the stream's.
        assert_eq!(server.connections(), 3);
        assert_eq!(slow_call.join().unwrap().unwrap().content(), Some("slow"));
    });
}

#[test]
fn a_connection_the_server_closed_while_no_call_ran_is_not_taken_again() {
    // Each answer keeps its connection alive, then the server closes it while it sits in the pool.
    const CALLS: usize = 4;
    let closing = |n: usize| {
        Reply::json(200, &completion(&n.to_string()))
            // A cut would otherwise be announced with `Connection: close`.
            .header("Connection", "keep-alive")
            .part(Part::Delay(Duration::from_millis(20)))
            .part(Part::Cut)
    };
    let server = ScriptedServer::start((0..CALLS).map(closing).collect());
    // No retry to hide it: each call must go out on a connection the server has not closed.
    let client = Client::builder()
        .api_key("gsk_test_lanes")
        .base_url(server.url())
        .max_retries(0)
        .build()
        .unwrap();
    let completions = client.chat().completions();
    for n in 0..CALLS {
        let answer = completions.create(&request());
        assert_eq!(
            answer.unwrap().content(),
            Some(n.to_string().as_str()),
            "call {n}"
        );
        assert!(settles(Duration::from_secs(30), || server
            .open_connections()
            == 0));
    }
    assert_eq!(server.connections(), CALLS);
}
