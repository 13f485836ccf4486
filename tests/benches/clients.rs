//! The SDK against raw reqwest, on a loopback server in the same process (`groq_tests::bench_server`).
//!
//! Every SDK figure has a baseline measured in the same run that does the same work by hand: the same JSON
//! body with the same `Authorization`, `Content-Type` and `Accept` headers, a status check, and
//! deserialisation into the same `groq_types` type.
//!
//! - `a_chat_round_trip`: one non-streaming chat completion, parsed into `ChatCompletion`.
//! - `b_stream_20000_chunks`: a stream of 20 000 chunk events, each parsed into `ChatCompletionChunk`, up to
//!   `[DONE]`; the baseline splits the events by hand.
//! - `c_64_concurrent`: 64 chat completions at once on one shared async client (`join_all`).
//!
//! The async clients run on a current-thread tokio runtime; the blocking ones on the bench thread.
//!
//! ```text
//! cargo bench -p groq-tests --bench clients
//! python3 tests/benches/report.py
//! ```
//!
//! On a busy machine, load that comes and goes between two criterion benchmarks moves their ratio; with
//! `GROQ_BENCH_PAIRED=1` the bench instead runs each pair interleaved in rounds and prints the medians of
//! the wall time and of the bench thread's CPU time per call:
//!
//! ```text
//! GROQ_BENCH_PAIRED=1 cargo bench -p groq-tests --bench clients
//! ```

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use futures::StreamExt;
use groq_tests::bench_server::{BenchServer, DEFAULT_CHUNKS};
use groq_tests::stats::median;
use groq_types::{
    ChatCompletion, ChatCompletionChunk, ChatCompletionRequestMessage as Message,
    CreateChatCompletionRequest,
};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use std::hint::black_box;
use std::io::Read;
use std::time::{Duration, Instant};

const API_KEY: &str = "gsk_bench_0123456789abcdef";
const BEARER: &str = "Bearer gsk_bench_0123456789abcdef";
/// The connect timeout the SDK's clients use by default, given to the baselines' clients too.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The request timeout the blocking SDK gives its client by default, given to the blocking baseline too.
const TIMEOUT: Duration = Duration::from_secs(60);
const CONCURRENCY: usize = 64;

fn request() -> CreateChatCompletionRequest {
    CreateChatCompletionRequest::from_messages(
        "llama-3.3-70b-versatile",
        [
            Message::system("You are a helpful assistant. Answer in one short paragraph."),
            Message::user("Explain the importance of fast language models"),
        ],
    )
}

/// Everything a benchmark needs: the server, the clients of both kinds, and the request.
struct Fixture {
    server: BenchServer,
    runtime: tokio::runtime::Runtime,
    sdk_async: groq_async::Client,
    sdk_blocking: groq_blocking::Client,
    raw_async: reqwest::Client,
    raw_blocking: reqwest::blocking::Client,
    request: CreateChatCompletionRequest,
    /// The request the baseline sends for a stream: `stream: true`, as the SDK sends it.
    stream_request: CreateChatCompletionRequest,
}

impl Fixture {
    fn new() -> Self {
        let server = BenchServer::start().expect("start the bench server");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("build the tokio runtime");
        let sdk_async = groq_async::Client::builder()
            .api_key(API_KEY)
            .base_url(server.base_url())
            .build()
            .expect("build the async SDK client");
        let sdk_blocking = groq_blocking::Client::builder()
            .api_key(API_KEY)
            .base_url(server.base_url())
            .build()
            .expect("build the blocking SDK client");
        let raw_async = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .build()
            .expect("build the reqwest client");
        let raw_blocking = reqwest::blocking::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(TIMEOUT)
            .build()
            .expect("build the blocking reqwest client");
        let request = request();
        let mut stream_request = request.clone();
        stream_request.stream = Some(true);
        Self {
            server,
            runtime,
            sdk_async,
            sdk_blocking,
            raw_async,
            raw_blocking,
            request,
            stream_request,
        }
    }

    /// Runs `iters` times the future `make` returns, inside one `block_on`, and times the loop.
    fn time_async<F: std::future::Future<Output = ()>>(
        &self,
        iters: u64,
        mut make: impl FnMut() -> F,
    ) -> Duration {
        self.runtime.block_on(async {
            let start = Instant::now();
            for _ in 0..iters {
                make().await;
            }
            start.elapsed()
        })
    }
}

// ---- The baselines: raw reqwest, serde_json, a minimal SSE split -------------------------------------

async fn raw_async_chat(
    http: &reqwest::Client,
    url: &str,
    request: &CreateChatCompletionRequest,
) -> ChatCompletion {
    let body = serde_json::to_vec(request).expect("serialise the request");
    let response = http
        .post(url)
        .header(AUTHORIZATION, BEARER)
        .header(CONTENT_TYPE, "application/json")
        .header(ACCEPT, "application/json")
        .body(body)
        .send()
        .await
        .expect("send");
    assert!(response.status().is_success(), "{}", response.status());
    let bytes = response.bytes().await.expect("read the body");
    serde_json::from_slice(&bytes).expect("parse the completion")
}

fn raw_blocking_chat(
    http: &reqwest::blocking::Client,
    url: &str,
    request: &CreateChatCompletionRequest,
) -> ChatCompletion {
    let body = serde_json::to_vec(request).expect("serialise the request");
    let response = http
        .post(url)
        .header(AUTHORIZATION, BEARER)
        .header(CONTENT_TYPE, "application/json")
        .header(ACCEPT, "application/json")
        .body(body)
        .send()
        .expect("send");
    assert!(response.status().is_success(), "{}", response.status());
    let bytes = response.bytes().expect("read the body");
    serde_json::from_slice(&bytes).expect("parse the completion")
}

/// A minimal SSE splitter: events end at `\n\n`, each is one `data: ` line, `[DONE]` ends the stream.
#[derive(Default)]
struct SseSplit {
    buffer: Vec<u8>,
    chunks: usize,
    done: bool,
}

impl SseSplit {
    /// Takes bytes from the body, parsing every complete event into a `ChatCompletionChunk`.
    fn feed(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
        let mut start = 0;
        while let Some(end) = event_end(&self.buffer[start..]) {
            let event = &self.buffer[start..start + end];
            start += end + 2;
            let data = event.strip_prefix(b"data: ").expect("a data line");
            if data == b"[DONE]" {
                self.done = true;
                break;
            }
            let chunk: ChatCompletionChunk = serde_json::from_slice(data).expect("parse a chunk");
            black_box(chunk);
            self.chunks += 1;
        }
        self.buffer.drain(..start);
    }
}

/// The position of the first `\n\n` in `bytes`.
fn event_end(bytes: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(pos) = bytes[from..].iter().position(|&b| b == b'\n') {
        let at = from + pos;
        if bytes.get(at + 1) == Some(&b'\n') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

async fn raw_async_stream(
    http: &reqwest::Client,
    url: &str,
    request: &CreateChatCompletionRequest,
) -> usize {
    let body = serde_json::to_vec(request).expect("serialise the request");
    let mut response = http
        .post(url)
        .header(AUTHORIZATION, BEARER)
        .header(CONTENT_TYPE, "application/json")
        .header(ACCEPT, "text/event-stream")
        .body(body)
        .send()
        .await
        .expect("send");
    assert!(response.status().is_success(), "{}", response.status());
    let mut split = SseSplit::default();
    while !split.done {
        match response.chunk().await.expect("read the body") {
            Some(bytes) => split.feed(&bytes),
            None => break,
        }
    }
    assert!(split.done, "the stream ended without [DONE]");
    split.chunks
}

fn raw_blocking_stream(
    http: &reqwest::blocking::Client,
    url: &str,
    request: &CreateChatCompletionRequest,
) -> usize {
    let body = serde_json::to_vec(request).expect("serialise the request");
    let mut response = http
        .post(url)
        .header(AUTHORIZATION, BEARER)
        .header(CONTENT_TYPE, "application/json")
        .header(ACCEPT, "text/event-stream")
        .body(body)
        .send()
        .expect("send");
    assert!(response.status().is_success(), "{}", response.status());
    let mut split = SseSplit::default();
    let mut read_buffer = vec![0; 16 * 1024];
    while !split.done {
        let n = response.read(&mut read_buffer).expect("read the body");
        if n == 0 {
            break;
        }
        split.feed(&read_buffer[..n]);
    }
    assert!(split.done, "the stream ended without [DONE]");
    split.chunks
}

// ---- The SDK -----------------------------------------------------------------------------------------

async fn sdk_async_stream(
    client: &groq_async::Client,
    request: &CreateChatCompletionRequest,
) -> usize {
    let mut stream = client
        .chat()
        .completions()
        .create_stream(request)
        .await
        .expect("start the stream");
    let mut chunks = 0;
    while let Some(chunk) = stream.next().await {
        black_box(chunk.expect("a chunk"));
        chunks += 1;
    }
    chunks
}

fn sdk_blocking_stream(
    client: &groq_blocking::Client,
    request: &CreateChatCompletionRequest,
) -> usize {
    let stream = client
        .chat()
        .completions()
        .create_stream(request)
        .expect("start the stream");
    let mut chunks = 0;
    for chunk in stream {
        black_box(chunk.expect("a chunk"));
        chunks += 1;
    }
    chunks
}

// ---- The groups --------------------------------------------------------------------------------------

fn chat_round_trip(c: &mut Criterion, fx: &Fixture) {
    let url = fx.server.chat_url();
    let mut group = c.benchmark_group("a_chat_round_trip");
    group
        .sample_size(40)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(4));
    group.bench_function("sdk_async", |b| {
        b.iter_custom(|iters| {
            fx.time_async(iters, || async {
                let completion = fx
                    .sdk_async
                    .chat()
                    .completions()
                    .create(&fx.request)
                    .await
                    .expect("create");
                black_box(completion);
            })
        })
    });
    group.bench_function("reqwest_async_baseline", |b| {
        b.iter_custom(|iters| {
            fx.time_async(iters, || async {
                black_box(raw_async_chat(&fx.raw_async, &url, &fx.request).await);
            })
        })
    });
    group.bench_function("sdk_blocking", |b| {
        b.iter(|| {
            fx.sdk_blocking
                .chat()
                .completions()
                .create(&fx.request)
                .expect("create")
        })
    });
    group.bench_function("reqwest_blocking_baseline", |b| {
        b.iter(|| raw_blocking_chat(&fx.raw_blocking, &url, &fx.request))
    });
    group.finish();
}

fn stream_chunks(c: &mut Criterion, fx: &Fixture) {
    let url = fx.server.chat_url();
    let mut group = c.benchmark_group(format!("b_stream_{DEFAULT_CHUNKS}_chunks"));
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .throughput(Throughput::Elements(DEFAULT_CHUNKS as u64));
    let check = |chunks: usize| assert_eq!(chunks, DEFAULT_CHUNKS);
    group.bench_function("sdk_async", |b| {
        b.iter_custom(|iters| {
            fx.time_async(iters, || async {
                check(sdk_async_stream(&fx.sdk_async, &fx.request).await);
            })
        })
    });
    group.bench_function("reqwest_async_baseline", |b| {
        b.iter_custom(|iters| {
            fx.time_async(iters, || async {
                check(raw_async_stream(&fx.raw_async, &url, &fx.stream_request).await);
            })
        })
    });
    group.bench_function("sdk_blocking", |b| {
        b.iter(|| check(sdk_blocking_stream(&fx.sdk_blocking, &fx.request)))
    });
    group.bench_function("reqwest_blocking_baseline", |b| {
        b.iter(|| {
            check(raw_blocking_stream(
                &fx.raw_blocking,
                &url,
                &fx.stream_request,
            ))
        })
    });
    group.finish();
}

fn concurrent(c: &mut Criterion, fx: &Fixture) {
    let url = fx.server.chat_url();
    let mut group = c.benchmark_group(format!("c_{CONCURRENCY}_concurrent"));
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(5))
        .throughput(Throughput::Elements(CONCURRENCY as u64));
    group.bench_function("sdk_async", |b| {
        b.iter_custom(|iters| {
            fx.time_async(iters, || async {
                let resource = fx.sdk_async.chat().completions();
                let completions = futures::future::join_all(
                    (0..CONCURRENCY).map(|_| resource.create(&fx.request)),
                )
                .await;
                for completion in completions {
                    black_box(completion.expect("create"));
                }
            })
        })
    });
    group.bench_function("reqwest_async_baseline", |b| {
        b.iter_custom(|iters| {
            fx.time_async(iters, || async {
                let completions = futures::future::join_all(
                    (0..CONCURRENCY).map(|_| raw_async_chat(&fx.raw_async, &url, &fx.request)),
                )
                .await;
                black_box(completions);
            })
        })
    });
    group.finish();
}

// ---- The interleaved cross-check ---------------------------------------------------------------------

/// The CPU time this thread has used, from `/proc/thread-self/schedstat` (0 where there is none).
fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Runs `sdk` and `baseline` `n` times each, alternating in 15 rounds (order flipped every round), and
/// prints the medians of the wall time and of this thread's CPU time per call, and their ratios.
fn paired(name: &str, n: u32, mut sdk: impl FnMut(), mut baseline: impl FnMut()) {
    let run = |f: &mut dyn FnMut()| {
        let (cpu, start) = (thread_cpu_ns(), Instant::now());
        for _ in 0..n {
            f();
        }
        let wall = start.elapsed().as_nanos() as f64 / f64::from(n);
        (wall, (thread_cpu_ns() - cpu) as f64 / f64::from(n))
    };
    run(&mut sdk);
    run(&mut baseline);
    let (mut sdk_runs, mut baseline_runs) = (Vec::new(), Vec::new());
    for round in 0..15 {
        if round % 2 == 0 {
            sdk_runs.push(run(&mut sdk));
            baseline_runs.push(run(&mut baseline));
        } else {
            baseline_runs.push(run(&mut baseline));
            sdk_runs.push(run(&mut sdk));
        }
    }
    let wall = |runs: &[(f64, f64)]| median(runs.iter().map(|r| r.0).collect());
    let cpu = |runs: &[(f64, f64)]| median(runs.iter().map(|r| r.1).collect());
    let (sdk_wall, base_wall) = (wall(&sdk_runs), wall(&baseline_runs));
    let (sdk_cpu, base_cpu) = (cpu(&sdk_runs), cpu(&baseline_runs));
    println!(
        "| {name} | {:.1} µs | {:.1} µs | {:.3} | {:.1} µs | {:.1} µs | {:.3} |",
        sdk_wall / 1e3,
        base_wall / 1e3,
        sdk_wall / base_wall,
        sdk_cpu / 1e3,
        base_cpu / 1e3,
        sdk_cpu / base_cpu
    );
}

/// `GROQ_BENCH_PAIRED=1`: instead of criterion, measures each pair interleaved (less sensitive to load
/// that comes and goes on a busy machine) and prints the wall and bench-thread CPU time per call.
fn paired_cross_check(fx: &Fixture) {
    let url = fx.server.chat_url();
    let rt = &fx.runtime;
    println!("| pair | SDK wall | baseline wall | ratio | SDK CPU | baseline CPU | CPU ratio |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    paired(
        "a async",
        3000,
        || {
            let completion = rt.block_on(fx.sdk_async.chat().completions().create(&fx.request));
            black_box(completion.expect("create"));
        },
        || {
            black_box(rt.block_on(raw_async_chat(&fx.raw_async, &url, &fx.request)));
        },
    );
    paired(
        "a blocking",
        3000,
        || {
            let completion = fx.sdk_blocking.chat().completions().create(&fx.request);
            black_box(completion.expect("create"));
        },
        || {
            black_box(raw_blocking_chat(&fx.raw_blocking, &url, &fx.request));
        },
    );
    paired(
        "b async",
        3,
        || {
            assert_eq!(
                rt.block_on(sdk_async_stream(&fx.sdk_async, &fx.request)),
                DEFAULT_CHUNKS
            )
        },
        || {
            let chunks = rt.block_on(raw_async_stream(&fx.raw_async, &url, &fx.stream_request));
            assert_eq!(chunks, DEFAULT_CHUNKS);
        },
    );
    paired(
        "b blocking",
        3,
        || {
            assert_eq!(
                sdk_blocking_stream(&fx.sdk_blocking, &fx.request),
                DEFAULT_CHUNKS
            )
        },
        || {
            let chunks = raw_blocking_stream(&fx.raw_blocking, &url, &fx.stream_request);
            assert_eq!(chunks, DEFAULT_CHUNKS);
        },
    );
    let resource = fx.sdk_async.chat().completions();
    paired(
        "c async",
        50,
        || {
            let all = rt.block_on(futures::future::join_all(
                (0..CONCURRENCY).map(|_| resource.create(&fx.request)),
            ));
            black_box(all);
        },
        || {
            let all = rt.block_on(futures::future::join_all(
                (0..CONCURRENCY).map(|_| raw_async_chat(&fx.raw_async, &url, &fx.request)),
            ));
            black_box(all);
        },
    );
}

fn benches(c: &mut Criterion) {
    let fx = Fixture::new();
    if std::env::var_os("GROQ_BENCH_PAIRED").is_some() {
        paired_cross_check(&fx);
        return;
    }
    chat_round_trip(c, &fx);
    stream_chunks(c, &fx);
    concurrent(c, &fx);
}

criterion_group!(clients, benches);
criterion_main!(clients);
