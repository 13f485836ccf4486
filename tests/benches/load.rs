//! Load: one async client holding 1 000 concurrent streams then making 10 000 requests, and one blocking
//! client shared by 64 threads making 10 240 more, with early drops, cancellations and timeouts mixed in,
//! against a Groq-shaped server in a child process (`tests/src/load_server.rs`); all of it three times.
//! After each phase the client process must hold no more descriptors than before, the server must see no
//! connection left open, and the resident memory (after handing freed heap back to the system) must be
//! within a tolerance of its starting level, and not keep growing from one round to the next. It prints
//! the figures and exits non-zero when a check fails.
//!
//! ```sh
//! cargo bench -p groq-tests --bench load            # the full run
//! cargo test -p groq-tests --bench load             # a small smoke run of the same code
//! ```

use futures::StreamExt;
use groq_tests::driver::runtime;
use groq_tests::leaks::{open_fds, rss_kib, settles, threads};
use groq_tests::load_server::{self, Stats, EVENTS_HEADER, GAP_HEADER};
use groq_types::sdk::{Error, RequestOptions};
use groq_types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Set in the child process that serves.
const SERVE: &str = "GROQ_LOAD_SERVE";
/// Events per stream, and the time between two of them: a stream lasts about 20 × 50 ms.
const EVENTS: usize = 20;
const GAP_MS: u64 = 50;
/// How much more resident memory than at the start is tolerated at the end (after `malloc_trim`).
const RSS_TOLERANCE_KIB: u64 = 8 * 1024;
/// How much the resident memory may grow from one round's end to the next's. A leak grows it at every
/// round; the allocator's own keep (an arena for a new thread, a fragmented bin) can grow it once, by about
/// a megabyte, and then stays. So the check fails only when every round after the first grew by more than
/// this: a one-off step passes, and a leak of half a megabyte per round does not.
const ROUND_TOLERANCE_KIB: u64 = 512;

struct Plan {
    rounds: usize,
    streams: usize,
    requests: usize,
    threads: usize,
    per_thread: usize,
}

fn main() {
    raise_fd_limit();
    if std::env::var_os(SERVE).is_some() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        println!("{}", listener.local_addr().expect("address"));
        load_server::serve(listener).expect("serve");
        return;
    }
    let full = std::env::args().any(|arg| arg == "--bench");
    let plan = if full {
        Plan {
            rounds: 3,
            streams: 1_000,
            requests: 10_000,
            threads: 64,
            per_thread: 160,
        }
    } else {
        Plan {
            rounds: 1,
            streams: 50,
            requests: 200,
            threads: 8,
            per_thread: 10,
        }
    };
    let server = Server::spawn();
    let addr = server.addr;
    let url = format!("http://{addr}");

    // Warm-up: whatever each client sets up once per process belongs to the baseline.
    {
        let runtime = runtime();
        let client = async_client(&url);
        runtime.block_on(async {
            client
                .chat()
                .completions()
                .create(&request())
                .await
                .expect("warm-up");
            read_stream(&client, usize::MAX)
                .await
                .expect("warm-up stream");
        });
        let client = blocking_client(&url);
        client
            .chat()
            .completions()
            .create(&request())
            .expect("warm-up");
    }
    let baseline = Snapshot::settled(addr, None);
    println!("load: baseline      {baseline}");

    let started = Instant::now();
    let mut failures = Vec::new();
    let mut round_ends: Vec<Snapshot> = Vec::new();
    for round in 1..=plan.rounds {
        let streams = async_streams(&url, addr, plan.streams);
        let after_streams = Snapshot::settled(addr, Some(&baseline));
        println!(
            "load: round {round}: {streams}\nload: round {round}: after streams  {after_streams}"
        );

        let requests = async_requests(&url, plan.requests);
        let after_requests = Snapshot::settled(addr, Some(&baseline));
        println!(
            "load: round {round}: {requests}\nload: round {round}: after requests {after_requests}"
        );

        let blocking = blocking_threads(&url, plan.threads, plan.per_thread);
        let end = Snapshot::settled(addr, Some(&baseline));
        println!("load: round {round}: {blocking}\nload: round {round}: end            {end}");

        for (what, snapshot) in [
            ("after streams", &after_streams),
            ("after requests", &after_requests),
            ("end", &end),
        ] {
            let what = format!("round {round}, {what}");
            if snapshot.server.open != 0 {
                failures.push(format!(
                    "{what}: {} connections still open on the server",
                    snapshot.server.open
                ));
            }
            if snapshot.fds > baseline.fds {
                failures.push(format!(
                    "{what}: {} descriptors open, {} at the start",
                    snapshot.fds, baseline.fds
                ));
            }
            if snapshot.rss_kib > baseline.rss_kib + RSS_TOLERANCE_KIB {
                failures.push(format!(
                    "{what}: RSS {} KiB, {} KiB at the start (tolerance {RSS_TOLERANCE_KIB} KiB)",
                    snapshot.rss_kib, baseline.rss_kib
                ));
            }
        }
        failures.extend(streams.problems(plan.streams));
        failures.extend(requests.problems(plan.requests));
        failures.extend(blocking.problems(plan.threads * plan.per_thread));
        if streams.held < plan.streams {
            failures.push(format!("only {} streams were open at once", streams.held));
        }
        round_ends.push(end);
    }
    let growth: Vec<u64> = round_ends
        .iter()
        .zip(round_ends.iter().skip(1))
        .map(|(before, after)| after.rss_kib.saturating_sub(before.rss_kib))
        .collect();
    if !growth.is_empty() && growth.iter().all(|&kib| kib > ROUND_TOLERANCE_KIB) {
        failures.push(format!(
            "the RSS grew at every round: {growth:?} KiB from one round's end to the next \
             (tolerance {ROUND_TOLERANCE_KIB} KiB for at least one of them)"
        ));
    }
    let seen = round_ends.last().map_or(0, |end| end.server.requests);
    println!(
        "load: {:.1?} in all, {seen} requests seen by the server",
        started.elapsed()
    );
    if !failures.is_empty() {
        eprintln!("load: FAILED\n{}", failures.join("\n"));
        std::process::exit(1);
    }
    println!(
        "load: ok (tolerances: descriptors +0, server connections 0, RSS +{RSS_TOLERANCE_KIB} KiB over the \
         start, +{ROUND_TOLERANCE_KIB} KiB over the previous round for at least one round)"
    );
}

/// What a phase's calls ended with.
#[derive(Default)]
struct Tally {
    name: &'static str,
    completed: AtomicUsize,
    dropped_early: AtomicUsize,
    cancelled: AtomicUsize,
    timed_out: AtomicUsize,
    failed: AtomicUsize,
    took: Duration,
    /// Streams open on the server at once, as the server counted them.
    held: usize,
    first_error: std::sync::Mutex<Option<String>>,
}

impl Tally {
    fn new(name: &'static str) -> Self {
        Self {
            name,
            ..Self::default()
        }
    }

    fn count(counter: &AtomicUsize) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    fn fail(&self, error: &Error) {
        Self::count(&self.failed);
        let mut first = self.first_error.lock().unwrap_or_else(|e| e.into_inner());
        first.get_or_insert_with(|| format!("{error:?}"));
    }

    fn total(&self) -> usize {
        [
            &self.completed,
            &self.dropped_early,
            &self.cancelled,
            &self.timed_out,
            &self.failed,
        ]
        .iter()
        .map(|c| c.load(Ordering::Relaxed))
        .sum()
    }

    fn problems(&self, expected: usize) -> Vec<String> {
        let mut problems = Vec::new();
        if self.total() != expected {
            problems.push(format!(
                "{}: {} calls accounted for, {expected} made",
                self.name,
                self.total()
            ));
        }
        if self.failed.load(Ordering::Relaxed) > 0 {
            problems.push(format!(
                "{}: {} calls failed, the first with {}",
                self.name,
                self.failed.load(Ordering::Relaxed),
                self.first_error
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .clone()
                    .unwrap_or_default()
            ));
        }
        problems
    }
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = |c: &AtomicUsize| c.load(Ordering::Relaxed);
        write!(
            f,
            "{}: {} calls in {:.2?}: {} completed, {} dropped early, {} cancelled, {} timed out, {} failed",
            self.name,
            self.total(),
            self.took,
            n(&self.completed),
            n(&self.dropped_early),
            n(&self.cancelled),
            n(&self.timed_out),
            n(&self.failed)
        )
    }
}

fn request() -> CreateChatCompletionRequest {
    CreateChatCompletionRequest::from_messages("llama-3.3-70b-versatile", [Message::user("Hi")])
}

fn stream_options() -> RequestOptions {
    RequestOptions::new()
        .header(EVENTS_HEADER, EVENTS.to_string())
        .header(GAP_HEADER, GAP_MS.to_string())
}

fn async_client(url: &str) -> groq_async::Client {
    groq_async::Client::builder()
        .api_key("gsk_load")
        .base_url(url)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client")
}

fn blocking_client(url: &str) -> groq_blocking::Client {
    groq_blocking::Client::builder()
        .api_key("gsk_load")
        .base_url(url)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client")
}

/// Opens a stream; an error if it does not start.
async fn open_stream(
    client: &groq_async::Client,
) -> Result<groq_async::ChatCompletionStream, Error> {
    client
        .chat()
        .completions()
        .with_options(&stream_options())
        .create_stream(&request())
        .await
}

/// Reads at most `take` chunks of `stream`, then drops it; how many were read.
async fn read_chunks(
    mut stream: groq_async::ChatCompletionStream,
    take: usize,
) -> Result<usize, Error> {
    let mut read = 0;
    while read < take {
        match stream.next().await {
            Some(chunk) => {
                chunk?;
                read += 1;
            }
            None => break,
        }
    }
    Ok(read)
}

/// Opens a stream and reads at most `take` chunks of it.
async fn read_stream(client: &groq_async::Client, take: usize) -> Result<usize, Error> {
    read_chunks(open_stream(client).await?, take).await
}

/// 1 000 streams held at once on one async client: each is opened and its first chunk read, and once all
/// are open, 8 in 10 are read to the end, 1 in 10 dropped after one more chunk, 1 in 20 cancelled by a
/// timeout around the rest of it and 1 in 20 aborted as a task.
fn async_streams(url: &str, server: SocketAddr, n: usize) -> Tally {
    let mut tally = Tally::new("async streams");
    let mut held = 0;
    let started = Instant::now();
    let runtime = runtime();
    let client = async_client(url);
    runtime.block_on(async {
        let tally = &tally;
        let held = &mut held;
        let opened = std::sync::Arc::new(AtomicUsize::new(0));
        let (go, ready) = tokio::sync::watch::channel(false);
        let mut tasks = Vec::with_capacity(n);
        for i in 0..n {
            let client = client.clone();
            let opened = std::sync::Arc::clone(&opened);
            let mut ready = ready.clone();
            tasks.push(tokio::spawn(async move {
                let mut stream = open_stream(&client).await?;
                if let Some(first) = stream.next().await {
                    first?;
                }
                opened.fetch_add(1, Ordering::SeqCst);
                let _ = ready.wait_for(|go| *go).await;
                match i % 20 {
                    0 | 1 => read_chunks(stream, 1).await.map(|_| "dropped"),
                    2 => match tokio::time::timeout(Duration::from_millis(100), read_chunks(stream, usize::MAX)).await {
                        Ok(result) => result.map(|_| "completed"),
                        Err(_) => Ok("cancelled"),
                    },
                    _ => read_chunks(stream, usize::MAX)
                        .await
                        .map(|read| if read + 1 == EVENTS { "completed" } else { "short" }),
                }
            }));
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        while opened.load(Ordering::SeqCst) < n && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let stats = tokio::task::spawn_blocking(move || load_server::stats(server)).await;
        if let Ok(Ok(stats)) = stats {
            println!(
                "load: async streams: {} open and read from at once, {} connections open on the server",
                opened.load(Ordering::SeqCst),
                stats.open
            );
            *held = stats.open;
        }
        let _ = go.send(true);
        tokio::time::sleep(Duration::from_millis(50)).await;
        for (i, task) in tasks.iter().enumerate() {
            if i % 20 == 3 {
                task.abort();
            }
        }
        for task in tasks {
            match task.await {
                Ok(Ok("completed")) => Tally::count(&tally.completed),
                Ok(Ok("dropped")) => Tally::count(&tally.dropped_early),
                Ok(Ok("cancelled")) => Tally::count(&tally.cancelled),
                Ok(Ok(other)) => tally.fail(&Error::InvalidRequest(format!("stream ended {other}"))),
                Ok(Err(error)) => tally.fail(&error),
                Err(join) if join.is_cancelled() => Tally::count(&tally.cancelled),
                Err(join) => tally.fail(&Error::InvalidRequest(format!("task panicked: {join}"))),
            }
        }
    });
    drop(client);
    drop(runtime);
    tally.took = started.elapsed();
    tally.held = held;
    tally
}

/// 10 000 calls on one async client, 256 at a time: completions, with 1 in 20 a stream dropped after its
/// first chunk and 1 in 20 cancelled almost at once.
fn async_requests(url: &str, n: usize) -> Tally {
    let mut tally = Tally::new("async requests");
    let started = Instant::now();
    let runtime = runtime();
    let client = async_client(url);
    runtime.block_on(async {
        let tally = &tally;
        let client = &client;
        futures::stream::iter(0..n)
            .for_each_concurrent(256, |i| async move {
                match i % 20 {
                    0 => match read_stream(client, 1).await {
                        Ok(_) => Tally::count(&tally.dropped_early),
                        Err(error) => tally.fail(&error),
                    },
                    1 => match tokio::time::timeout(
                        Duration::from_micros(300),
                        client.chat().completions().create(&request()),
                    )
                    .await
                    {
                        Ok(Ok(_)) => Tally::count(&tally.completed),
                        Ok(Err(error)) => tally.fail(&error),
                        Err(_) => Tally::count(&tally.cancelled),
                    },
                    _ => match client.chat().completions().create(&request()).await {
                        Ok(_) => Tally::count(&tally.completed),
                        Err(error) => tally.fail(&error),
                    },
                }
            })
            .await;
    });
    drop(client);
    drop(runtime);
    tally.took = started.elapsed();
    tally
}

/// One blocking client shared by `threads` threads, `per_thread` calls each: completions, with 1 in 10 a
/// stream dropped after two chunks and 1 in 10 a stream whose per-call timeout (5 ms) is shorter than the
/// gap between its events.
fn blocking_threads(url: &str, threads: usize, per_thread: usize) -> Tally {
    let mut tally = Tally::new("blocking threads");
    let started = Instant::now();
    let client = blocking_client(url);
    std::thread::scope(|scope| {
        for t in 0..threads {
            let client = client.clone();
            let tally = &tally;
            scope.spawn(move || {
                for i in 0..per_thread {
                    match (t + i) % 10 {
                        0 => {
                            let read = client
                                .chat()
                                .completions()
                                .with_options(&stream_options())
                                .create_stream(&request())
                                .map(|stream| stream.take(2).filter(Result::is_ok).count());
                            match read {
                                Ok(2) => Tally::count(&tally.dropped_early),
                                Ok(n) => tally.fail(&Error::InvalidRequest(format!("{n} chunks"))),
                                Err(error) => tally.fail(&error),
                            }
                        }
                        1 => {
                            let options = stream_options().timeout(Duration::from_millis(5));
                            let outcome = client
                                .chat()
                                .completions()
                                .with_options(&options)
                                .create_stream(&request())
                                .and_then(|stream| stream.accumulate());
                            match outcome {
                                Err(error) if error.is_timeout() => Tally::count(&tally.timed_out),
                                Ok(_) => Tally::count(&tally.completed),
                                Err(error) => tally.fail(&error),
                            }
                        }
                        _ => match client.chat().completions().create(&request()) {
                            Ok(_) => Tally::count(&tally.completed),
                            Err(error) => tally.fail(&error),
                        },
                    }
                }
            });
        }
    });
    drop(client);
    tally.took = started.elapsed();
    tally
}

/// The client process's resources, and the server's counters.
struct Snapshot {
    fds: usize,
    rss_kib: u64,
    peak_rss_kib: u64,
    threads: u64,
    server: Stats,
}

impl Snapshot {
    /// Waits (up to 30 s) until the server has no connection open and the descriptors are back to
    /// `baseline`'s, then hands freed heap back to the system and takes the figures.
    fn settled(server: SocketAddr, baseline: Option<&Snapshot>) -> Self {
        settles(Duration::from_secs(30), || {
            load_server::stats(server).is_ok_and(|stats| stats.open == 0)
                && baseline.is_none_or(|b| open_fds().is_some_and(|fds| fds <= b.fds))
        });
        trim_heap();
        Self {
            fds: open_fds().unwrap_or_default(),
            rss_kib: rss_kib().unwrap_or_default(),
            peak_rss_kib: peak_rss_kib().unwrap_or_default(),
            threads: threads().unwrap_or_default(),
            server: load_server::stats(server).unwrap_or_default(),
        }
    }
}

impl std::fmt::Display for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "fds {}, RSS {:.1} MiB (peak {:.1} MiB), threads {}, server: {} open, {} at most, {} accepted",
            self.fds,
            self.rss_kib as f64 / 1024.0,
            self.peak_rss_kib as f64 / 1024.0,
            self.threads,
            self.server.open,
            self.server.max_open,
            self.server.accepted
        )
    }
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Returns freed heap to the system, so that RSS shows what is still in use rather than what the
/// allocator keeps for later.
fn trim_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Up to the hard limit: 1 000 streams need more than the common soft limit of 1 024 descriptors.
fn raise_fd_limit() {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `limit` is a valid rlimit for both calls.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 && limit.rlim_cur < limit.rlim_max
        {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

/// The server, in a child process of this same binary; killed when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn spawn() -> Self {
        let mut child = Command::new(std::env::current_exe().expect("this binary"))
            .env(SERVE, "1")
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the server process");
        let stdout = child.stdout.take().expect("the server's stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the server's address");
        let addr = line.trim().parse().expect("an address");
        Self { child, addr }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
