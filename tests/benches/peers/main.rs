//! The SDK's clients next to their peers, whole process: raw reqwest (async into minimal structs, async
//! into the SDK's types, and blocking), groq-async (also into raw's minimal struct), groq-blocking and
//! async-openai run the same three workloads against one Groq-shaped loopback server
//! (`groq_tests::bench_server`) that runs in a process of its own.
//!
//! - `sequential`: chat completions one after the other (10 000), each parsed;
//! - `concurrent`: chat completions with 64 in flight (20 000): the async clients keep 64 futures on one
//!   shared client (`buffer_unordered(64)`), the blocking clients run 64 OS threads sharing one client;
//! - `stream`: one streamed completion of 20 000 chunks, each parsed, up to `[DONE]`.
//!
//! "raw" is reqwest's async client by hand: a minimal request struct serialised with serde, a status check,
//! and for a stream an SSE split on `\n\n` with serde into a minimal chunk struct. Every client is
//! measured against this same baseline, the blocking clients too (not against `reqwest::blocking`).
//! "raw-blocking" is the same code on `reqwest::blocking`, run like groq-blocking (64 threads for the
//! concurrent workload): what a blocking program calling reqwest by hand gets. It reads a stream in
//! 8 KiB reads rather than in the pieces hyper hands over, and keeps `reqwest::blocking`'s default
//! 30-second timeout. "raw-typed" is the same code decoding into the SDK's own types
//! (`groq_types::ChatCompletion`, `ChatCompletionChunk`, every field): raw-typed / raw is what the full
//! typed decode costs, groq-async / raw-typed what the SDK's own layers cost on top of it.
//! "groq-async-minimal" is the other way round: groq-async's typed request and layers, the completion
//! parsed into raw's minimal struct through `with_raw_response()` and `parse_as`, so
//! groq-async-minimal / raw is what the layers cost alone (it has no stream workload: the SDK's streams
//! decode into their own chunk type).
//!
//! Each measured run is a process of its own (`peers run …`): the figures are the wall time from spawning
//! it to reaping it and its CPU time (user + system, from `getrusage(RUSAGE_CHILDREN)`), startup, client
//! construction and teardown included. The driver starts the server once, runs the clients interleaved in
//! rounds (the order rotates every round), and prints the medians and their ratios to raw as Markdown,
//! then each client's ratio to raw paired round by round (its run over raw's run of the same round; the
//! median, the quartiles and a 95 % confidence interval of that median), which load that comes and goes
//! between rounds moves less, and the same for `groq-async` and `groq-blocking` against raw-typed, which
//! decodes the same types (like for like: what the SDK's layers cost).
//! The async clients all run on the same tokio runtime flavour: multi-thread, the workload in the
//! runtime's `block_on` as `#[tokio::main]` runs `main`, unless `--runtime current` (a current-thread
//! runtime) or `--runtime task` (multi-thread, the workload in a task spawned on the runtime, as a
//! service's request handler runs).
//!
//! ```text
//! cargo bench -p groq-tests --bench peers                         # 7 rounds, full counts
//! cargo bench -p groq-tests --bench peers -- --rounds 9 --runtime current
//! cargo bench -p groq-tests --bench peers -- --quick              # 3 rounds, a tenth of the calls
//! cargo bench -p groq-tests --bench peers -- --clients raw,groq-async --workloads stream
//! PEER_BENCH_ROUNDS=9 PEER_BENCH_RUNTIME=current PEER_BENCH_QUICK=1 cargo bench … # by env (also
//!                                                 # PEER_BENCH_CLIENTS, PEER_BENCH_WORKLOADS)
//! ```
//!
//! Run without `--bench` (`cargo test --benches`), it is a smoke test: one round of a few calls.
//! The subcommands that the driver spawns can be run by hand, from `target/release/deps/peers-*`:
//!
//! ```text
//! peers serve                                  # prints the server's base URL, serves until stdin closes
//! peers run --client raw|raw-typed|raw-blocking|groq-async|groq-async-minimal|groq-blocking|async-openai \
//!           --workload sequential|concurrent|stream \
//!           --base-url URL [--calls N] [--concurrency 64] [--runtime multi|current|task]
//! ```
//!
//! This file is what a `peers run …` process measures: the workloads and every client. `driver.rs` spawns
//! and times those processes, `report.rs` prints the tables (its statistics are `groq_tests::stats`).

use futures::{StreamExt, TryStreamExt};
use groq_tests::bench_server::CHAT_PATH;
use groq_types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::error::Error;
use std::io::Read;
use std::marker::PhantomData;
use std::time::{Duration, Instant};

mod driver;
mod report;

type Result<T = (), E = Box<dyn Error + Send + Sync>> = std::result::Result<T, E>;

const API_KEY: &str = "gsk_bench_0123456789abcdef";
const MODEL: &str = "llama-3.3-70b-versatile";
const PROMPT: &str = "Explain the importance of fast language models";
/// The connect timeout the SDK's clients use by default, given to the raw client too.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

const SEQUENTIAL_CALLS: usize = 10_000;
const CONCURRENT_CALLS: usize = 20_000;
const CONCURRENCY: usize = 64;
const DEFAULT_ROUNDS: usize = 7;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let bench = args.iter().any(|a| a == "--bench");
    args.retain(|a| a != "--bench");
    let result = match args.first().map(String::as_str) {
        Some("serve") => driver::serve(),
        Some("run") => run(&args[1..]),
        _ => driver::compare(&args, bench),
    };
    if let Err(error) = result {
        eprintln!("peers: {error}");
        std::process::exit(1);
    }
}

// ---- What is measured --------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Client {
    Raw,
    RawTyped,
    GroqAsync,
    GroqAsyncMinimal,
    GroqBlocking,
    RawBlocking,
    AsyncOpenai,
}

impl Client {
    const ALL: [Self; 7] = [
        Self::Raw,
        Self::RawTyped,
        Self::GroqAsync,
        Self::GroqAsyncMinimal,
        Self::GroqBlocking,
        Self::RawBlocking,
        Self::AsyncOpenai,
    ];

    fn name(self) -> &'static str {
        match self {
            Self::Raw => "raw",
            Self::RawTyped => "raw-typed",
            Self::GroqAsync => "groq-async",
            Self::GroqAsyncMinimal => "groq-async-minimal",
            Self::GroqBlocking => "groq-blocking",
            Self::RawBlocking => "raw-blocking",
            Self::AsyncOpenai => "async-openai",
        }
    }

    fn parse(name: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|c| c.name() == name)
            .ok_or_else(|| format!("no client {name:?}").into())
    }

    /// Whether this client has `workload`: groq-async-minimal has no stream (the SDK's streams decode
    /// into its own chunk type), so the driver leaves that cell out.
    fn runs(self, workload: Workload) -> bool {
        !(self == Self::GroqAsyncMinimal && workload == Workload::Stream)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Workload {
    Sequential,
    Concurrent,
    Stream,
}

impl Workload {
    const ALL: [Self; 3] = [Self::Sequential, Self::Concurrent, Self::Stream];

    fn name(self) -> &'static str {
        match self {
            Self::Sequential => "sequential",
            Self::Concurrent => "concurrent",
            Self::Stream => "stream",
        }
    }

    fn parse(name: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|w| w.name() == name)
            .ok_or_else(|| format!("no workload {name:?}").into())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flavour {
    MultiThread,
    CurrentThread,
    /// A multi-thread runtime, the workload in a spawned task (on a worker thread).
    Task,
}

impl Flavour {
    fn parse(name: &str) -> Result<Self> {
        match name {
            "multi" | "multi-thread" | "multi_thread" => Ok(Self::MultiThread),
            "current" | "current-thread" | "current_thread" => Ok(Self::CurrentThread),
            "task" => Ok(Self::Task),
            _ => Err(format!("no runtime flavour {name:?} (multi, current or task)").into()),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::MultiThread => "multi",
            Self::CurrentThread => "current",
            Self::Task => "task",
        }
    }

    /// Starts a runtime of this flavour, then makes the work (the client first) and runs it to its end
    /// there. In that order: the runtime's allocations come before the client's, as in the runs of the
    /// figures before this flavour came, which the allocator's per-call work depends on (cachegrind: about
    /// 1 500 instructions per `groq-async` call in `malloc` the other way round).
    fn run<F>(self, work: impl FnOnce() -> Result<F>) -> Result<Tally>
    where
        F: std::future::Future<Output = Result<Tally>> + Send + 'static,
    {
        let runtime = match self {
            Self::MultiThread | Self::Task => tokio::runtime::Builder::new_multi_thread(),
            Self::CurrentThread => tokio::runtime::Builder::new_current_thread(),
        }
        .enable_all()
        .build()?;
        let work = work()?;
        match self {
            Self::Task => runtime.block_on(runtime.spawn(work))?,
            Self::MultiThread | Self::CurrentThread => runtime.block_on(work),
        }
    }
}

/// What a run read: calls completed (or chunks streamed) and the bytes of content they carried, which must
/// be the same whatever the client.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Tally {
    items: usize,
    bytes: usize,
}

impl Tally {
    /// One call completed, or one chunk read, carrying `bytes` of content.
    fn item(bytes: usize) -> Self {
        Self { items: 1, bytes }
    }
}

impl std::ops::Add for Tally {
    type Output = Self;
    fn add(self, other: Self) -> Self {
        Self {
            items: self.items + other.items,
            bytes: self.bytes + other.bytes,
        }
    }
}

fn groq_request() -> CreateChatCompletionRequest {
    CreateChatCompletionRequest::from_messages(MODEL, [Message::user(PROMPT)])
}

// ---- `run`: one measured process -----------------------------------------------------------------------

struct RunOptions {
    client: Client,
    base_url: String,
    flavour: Flavour,
    work: Work,
}

/// What a run does: the workload, and how many calls it makes with how many at once.
#[derive(Debug, Clone, Copy)]
struct Work {
    workload: Workload,
    calls: usize,
    concurrency: usize,
}

fn run(args: &[String]) -> Result {
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map(String::as_str)
    };
    let workload = Workload::parse(value("--workload").ok_or("--workload is required")?)?;
    let options = RunOptions {
        client: Client::parse(value("--client").ok_or("--client is required")?)?,
        base_url: value("--base-url")
            .ok_or("--base-url is required")?
            .trim_end_matches('/')
            .to_owned(),
        flavour: Flavour::parse(value("--runtime").unwrap_or("multi"))?,
        work: Work {
            workload,
            calls: match value("--calls") {
                Some(n) => n.parse()?,
                None if workload == Workload::Sequential => SEQUENTIAL_CALLS,
                None => CONCURRENT_CALLS,
            },
            concurrency: value("--concurrency").map_or(Ok(CONCURRENCY), str::parse)?,
        },
    };
    if !options.client.runs(workload) {
        return Err(format!(
            "{} has no {} workload",
            options.client.name(),
            workload.name()
        )
        .into());
    }
    let work = options.work;
    let start = Instant::now();
    let tally = match options.client {
        Client::GroqBlocking => run_blocking(&GroqBlockingClient::new(&options.base_url)?, work)?,
        Client::RawBlocking => run_blocking(&RawBlockingClient::new(&options.base_url)?, work)?,
        Client::Raw => options.flavour.run(|| {
            Ok(run_async(
                RawClient::<Minimal>::new(&options.base_url)?,
                work,
            ))
        })?,
        Client::RawTyped => options
            .flavour
            .run(|| Ok(run_async(RawClient::<Typed>::new(&options.base_url)?, work)))?,
        Client::GroqAsync => options
            .flavour
            .run(|| Ok(run_async(GroqAsyncClient::new(&options.base_url)?, work)))?,
        Client::GroqAsyncMinimal => options.flavour.run(|| {
            Ok(run_async(
                GroqAsyncMinimal(GroqAsyncClient::new(&options.base_url)?),
                work,
            ))
        })?,
        Client::AsyncOpenai => options
            .flavour
            .run(|| Ok(run_async(OpenAiClient::new(&options.base_url), work)))?,
    };
    let wall = start.elapsed();
    println!(
        "items={} bytes={} wall_us={} cpu_us={}",
        tally.items,
        tally.bytes,
        wall.as_micros(),
        cpu_time(libc::RUSAGE_SELF).as_micros()
    );
    Ok(())
}

/// The user and system CPU time of this process (`RUSAGE_SELF`) or of its reaped children
/// (`RUSAGE_CHILDREN`).
fn cpu_time(who: libc::c_int) -> Duration {
    // SAFETY: getrusage only writes the struct it is given, which is plain data.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(who, &mut usage);
        usage
    };
    let micros = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
    Duration::from_micros(micros(usage.ru_utime) + micros(usage.ru_stime))
}

/// One async client: a chat completion, and a streamed one.
trait AsyncPeer {
    /// One chat completion; the bytes of its content.
    async fn chat(&self) -> Result<usize>;
    /// One streamed completion, read to the end; its chunks and the bytes of their content.
    async fn stream(&self) -> Result<Tally>;
}

async fn run_async(peer: impl AsyncPeer, work: Work) -> Result<Tally> {
    match work.workload {
        Workload::Sequential => {
            let mut tally = Tally::default();
            for _ in 0..work.calls {
                tally = tally + Tally::item(peer.chat().await?);
            }
            Ok(tally)
        }
        Workload::Concurrent => {
            futures::stream::iter(0..work.calls)
                .map(|_| peer.chat())
                .buffer_unordered(work.concurrency)
                .try_fold(Tally::default(), |tally, bytes| async move {
                    Ok(tally + Tally::item(bytes))
                })
                .await
        }
        Workload::Stream => peer.stream().await,
    }
}

/// One blocking client: a chat completion, and a streamed one. Shared by the threads of the concurrent
/// workload.
trait BlockingPeer: Sync {
    /// One chat completion; the bytes of its content.
    fn chat(&self) -> Result<usize>;
    /// One streamed completion, read to the end; its chunks and the bytes of their content.
    fn stream(&self) -> Result<Tally>;
}

/// The workloads on a blocking client: the concurrent one on `work.concurrency` OS threads sharing it.
fn run_blocking(peer: &impl BlockingPeer, work: Work) -> Result<Tally> {
    let calls = |n: usize| -> Result<Tally> {
        let mut tally = Tally::default();
        for _ in 0..n {
            tally = tally + Tally::item(peer.chat()?);
        }
        Ok(tally)
    };
    match work.workload {
        Workload::Sequential => calls(work.calls),
        Workload::Concurrent => std::thread::scope(|scope| {
            let threads = work.concurrency;
            let handles: Vec<_> = (0..threads)
                .map(|i| {
                    let n = work.calls / threads + usize::from(i < work.calls % threads);
                    let calls = &calls;
                    scope.spawn(move || calls(n))
                })
                .collect();
            handles
                .into_iter()
                .try_fold(Tally::default(), |tally, handle| {
                    Ok(tally + handle.join().map_err(|_| "a thread panicked")??)
                })
        }),
        Workload::Stream => peer.stream(),
    }
}

// ---- The blocking clients ------------------------------------------------------------------------------

struct GroqBlockingClient {
    client: groq_blocking::Client,
    request: CreateChatCompletionRequest,
}

impl GroqBlockingClient {
    fn new(base_url: &str) -> Result<Self> {
        Ok(Self {
            client: groq_blocking::Client::builder()
                .api_key(API_KEY)
                .base_url(base_url)
                .build()?,
            request: groq_request(),
        })
    }
}

impl BlockingPeer for GroqBlockingClient {
    fn chat(&self) -> Result<usize> {
        let completion = self.client.chat().completions().create(&self.request)?;
        Ok(completion.content().map_or(0, str::len))
    }

    fn stream(&self) -> Result<Tally> {
        let mut tally = Tally::default();
        for chunk in self
            .client
            .chat()
            .completions()
            .create_stream(&self.request)?
        {
            tally = tally + Tally::item(chunk?.delta_content().map_or(0, str::len));
        }
        Ok(tally)
    }
}

/// `reqwest::blocking` by hand, into the minimal structs: the request, the status check and the SSE split
/// of [`RawClient`].
struct RawBlockingClient {
    http: reqwest::blocking::Client,
    url: String,
    bearer: String,
}

impl RawBlockingClient {
    fn new(base_url: &str) -> Result<Self> {
        Ok(Self {
            http: reqwest::blocking::Client::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .build()?,
            url: format!("{base_url}{CHAT_PATH}"),
            bearer: format!("Bearer {API_KEY}"),
        })
    }

    fn send(&self, stream: bool) -> Result<reqwest::blocking::Response> {
        let (body, accept) = raw_request(stream)?;
        let response = self
            .http
            .post(&self.url)
            .header(AUTHORIZATION, &self.bearer)
            .header(CONTENT_TYPE, "application/json")
            .header(ACCEPT, accept)
            .body(body)
            .send()?;
        if !response.status().is_success() {
            return Err(format!("status {}", response.status()).into());
        }
        Ok(response)
    }
}

impl BlockingPeer for RawBlockingClient {
    fn chat(&self) -> Result<usize> {
        let bytes = self.send(false)?.bytes()?;
        let completion: RawCompletion = serde_json::from_slice(&bytes)?;
        Ok(Minimal::completion_content(&completion).map_or(0, str::len))
    }

    fn stream(&self) -> Result<Tally> {
        let mut response = self.send(true)?;
        let mut split = SseSplit::default();
        let mut piece = vec![0; 8 * 1024];
        loop {
            let read = response.read(&mut piece)?;
            if read == 0 {
                return Err("the stream ended without [DONE]".into());
            }
            if split.push::<Minimal>(piece.get(..read).unwrap_or_default())? {
                return Ok(split.tally);
            }
        }
    }
}

// ---- The async clients ---------------------------------------------------------------------------------

struct GroqAsyncClient {
    client: groq_async::Client,
    request: CreateChatCompletionRequest,
}

impl GroqAsyncClient {
    fn new(base_url: &str) -> Result<Self> {
        Ok(Self {
            client: groq_async::Client::builder()
                .api_key(API_KEY)
                .base_url(base_url)
                .build()?,
            request: groq_request(),
        })
    }
}

impl AsyncPeer for GroqAsyncClient {
    async fn chat(&self) -> Result<usize> {
        let completion = self
            .client
            .chat()
            .completions()
            .create(&self.request)
            .await?;
        Ok(completion.content().map_or(0, str::len))
    }

    async fn stream(&self) -> Result<Tally> {
        let mut stream = self
            .client
            .chat()
            .completions()
            .create_stream(&self.request)
            .await?;
        let mut tally = Tally::default();
        while let Some(chunk) = stream.next().await {
            tally = tally + Tally::item(chunk?.delta_content().map_or(0, str::len));
        }
        Ok(tally)
    }
}

/// groq-async with raw's decode: the typed request and every layer of the SDK, the completion read
/// through `with_raw_response()` and parsed into raw's minimal struct (`RawResponse::parse_as`). Beside
/// raw-typed it splits the SDK's cost in two: its layers here, the full typed decode there.
struct GroqAsyncMinimal(GroqAsyncClient);

impl AsyncPeer for GroqAsyncMinimal {
    async fn chat(&self) -> Result<usize> {
        let raw = self
            .0
            .client
            .chat()
            .completions()
            .with_raw_response()
            .create(&self.0.request)
            .await?;
        let completion: RawCompletion = raw.parse_as()?;
        Ok(Minimal::completion_content(&completion).map_or(0, str::len))
    }

    async fn stream(&self) -> Result<Tally> {
        Err("groq-async-minimal has no stream workload".into())
    }
}

struct OpenAiClient {
    client: async_openai::Client<async_openai::config::OpenAIConfig>,
    request: async_openai::types::chat::CreateChatCompletionRequest,
}

impl OpenAiClient {
    fn new(base_url: &str) -> Self {
        use async_openai::types::chat::{
            ChatCompletionRequestUserMessage, CreateChatCompletionRequest,
        };
        let config = async_openai::config::OpenAIConfig::new()
            .with_api_key(API_KEY)
            .with_api_base(format!("{base_url}/openai/v1"));
        let request = CreateChatCompletionRequest {
            model: MODEL.into(),
            messages: vec![ChatCompletionRequestUserMessage::from(PROMPT).into()],
            ..Default::default()
        };
        Self {
            client: async_openai::Client::with_config(config),
            request,
        }
    }
}

impl AsyncPeer for OpenAiClient {
    async fn chat(&self) -> Result<usize> {
        let completion = self.client.chat().create(self.request.clone()).await?;
        let content = completion
            .choices
            .first()
            .and_then(|c| c.message.content.as_deref());
        Ok(content.map_or(0, str::len))
    }

    async fn stream(&self) -> Result<Tally> {
        let mut stream = self
            .client
            .chat()
            .create_stream(self.request.clone())
            .await?;
        let mut tally = Tally::default();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            let content = chunk
                .choices
                .first()
                .and_then(|c| c.delta.content.as_deref());
            tally = tally + Tally::item(content.map_or(0, str::len));
        }
        Ok(tally)
    }
}

/// reqwest's async client by hand, decoding into the minimal structs below ([`Minimal`], "raw") or into
/// the SDK's own types ([`Typed`], "raw-typed": what calling reqwest by hand with `groq-types` costs, so
/// that the typed decode and the SDK's own layers show apart).
struct RawClient<S> {
    http: reqwest::Client,
    url: String,
    bearer: String,
    shape: PhantomData<S>,
}

/// What the raw client decodes a completion and a chunk into.
trait RawShape {
    type Completion: DeserializeOwned;
    type Chunk: DeserializeOwned;
    fn completion_content(completion: &Self::Completion) -> Option<&str>;
    fn chunk_content(chunk: &Self::Chunk) -> Option<&str>;
}

/// The minimal structs: the content and nothing else.
struct Minimal;

impl RawShape for Minimal {
    type Completion = RawCompletion;
    type Chunk = RawChunk;
    fn completion_content(completion: &RawCompletion) -> Option<&str> {
        let choice = completion.choices.first()?;
        choice.message.content.as_deref()
    }
    fn chunk_content(chunk: &RawChunk) -> Option<&str> {
        chunk.choices.first()?.delta.content.as_deref()
    }
}

/// The SDK's generated types, every field decoded.
struct Typed;

impl RawShape for Typed {
    type Completion = groq_types::ChatCompletion;
    type Chunk = groq_types::ChatCompletionChunk;
    fn completion_content(completion: &Self::Completion) -> Option<&str> {
        completion.content()
    }
    fn chunk_content(chunk: &Self::Chunk) -> Option<&str> {
        chunk.delta_content()
    }
}

#[derive(Serialize)]
struct RawRequest<'a> {
    model: &'a str,
    messages: [RawMessage<'a>; 1],
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    stream: bool,
}

#[derive(Serialize)]
struct RawMessage<'a> {
    role: &'a str,
    content: &'a str,
}

#[derive(Deserialize)]
struct RawCompletion {
    choices: Vec<RawChoice>,
}

#[derive(Deserialize)]
struct RawChoice {
    message: RawContent,
}

#[derive(Deserialize)]
struct RawChunk {
    choices: Vec<RawChunkChoice>,
}

#[derive(Deserialize)]
struct RawChunkChoice {
    delta: RawContent,
}

#[derive(Deserialize)]
struct RawContent {
    content: Option<String>,
}

impl<S: RawShape> RawClient<S> {
    fn new(base_url: &str) -> Result<Self> {
        Ok(Self {
            http: reqwest::Client::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .build()?,
            url: format!("{base_url}{CHAT_PATH}"),
            bearer: format!("Bearer {API_KEY}"),
            shape: PhantomData,
        })
    }

    async fn send(&self, stream: bool) -> Result<reqwest::Response> {
        let (body, accept) = raw_request(stream)?;
        let response = self
            .http
            .post(&self.url)
            .header(AUTHORIZATION, &self.bearer)
            .header(CONTENT_TYPE, "application/json")
            .header(ACCEPT, accept)
            .body(body)
            .send()
            .await?;
        if !response.status().is_success() {
            return Err(format!("status {}", response.status()).into());
        }
        Ok(response)
    }
}

impl<S: RawShape> AsyncPeer for RawClient<S> {
    async fn chat(&self) -> Result<usize> {
        let bytes = self.send(false).await?.bytes().await?;
        let completion: S::Completion = serde_json::from_slice(&bytes)?;
        Ok(S::completion_content(&completion).map_or(0, str::len))
    }

    async fn stream(&self) -> Result<Tally> {
        let mut response = self.send(true).await?;
        let mut split = SseSplit::default();
        while let Some(bytes) = response.chunk().await? {
            if split.push::<S>(&bytes)? {
                return Ok(split.tally);
            }
        }
        Err("the stream ended without [DONE]".into())
    }
}

/// The raw clients' request body (a minimal struct, serialised) and `Accept` header.
fn raw_request(stream: bool) -> Result<(Vec<u8>, &'static str)> {
    let body = serde_json::to_vec(&RawRequest {
        model: MODEL,
        messages: [RawMessage {
            role: "user",
            content: PROMPT,
        }],
        stream,
    })?;
    let accept = if stream {
        "text/event-stream"
    } else {
        "application/json"
    };
    Ok((body, accept))
}

/// The raw clients' SSE split: the body's pieces are appended to a buffer, cut on `\n\n`, and each
/// `data: ` event decoded as a chunk, up to `[DONE]`.
#[derive(Default)]
struct SseSplit {
    buffer: Vec<u8>,
    /// Where the search for the next `\n\n` resumes: none starts before it.
    from: usize,
    tally: Tally,
}

impl SseSplit {
    /// Takes the next piece of the body; `true` once `[DONE]` has come.
    fn push<S: RawShape>(&mut self, bytes: &[u8]) -> Result<bool> {
        self.buffer.extend_from_slice(bytes);
        let mut start = 0;
        while let Some(end) = find_blank_line(&self.buffer, self.from) {
            let data = self.buffer[start..end]
                .strip_prefix(b"data: ")
                .ok_or("an event that is not one data line")?;
            if data == b"[DONE]" {
                return Ok(true);
            }
            let chunk: S::Chunk = serde_json::from_slice(data)?;
            self.tally = self.tally + Tally::item(S::chunk_content(&chunk).map_or(0, str::len));
            start = end + 2;
            self.from = start;
        }
        self.buffer.drain(..start);
        self.from = self.buffer.len().saturating_sub(1);
        Ok(false)
    }
}

/// The position of the first `\n\n` in `bytes` at or after `from`.
fn find_blank_line(bytes: &[u8], mut from: usize) -> Option<usize> {
    while let Some(pos) = bytes.get(from..)?.iter().position(|&b| b == b'\n') {
        let at = from + pos;
        if bytes.get(at + 1) == Some(&b'\n') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}
