//! The blocking client while its caller-driven runtime is held: by a stream left open on the same thread,
//! or by other threads calling at the same time. Such calls run on the transport's second runtime (a
//! thread of its own, a pool of its own), and every one must complete with its whole answer.

use groq_blocking::Client;
use groq_tests::bench_server::{BenchServer, CHUNKS_HEADER};
use groq_types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};

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
