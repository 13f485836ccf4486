//! The fault matrix: every fault of `fault_matrix/cases.rs` met by both clients, one after the other in
//! this one test (so that the process's file descriptors can be compared with a baseline: no other test
//! runs in this binary at the same time).
//!
//! For each case and each client it checks the outcome, the requests the server saw, the attempts the
//! client made (its `sending request` events), the least wait between attempts, and that nothing is left
//! once the client is dropped: no connection open on the server's side, no tokio task alive (async
//! client), and the process's file descriptor count back to its baseline. `tests/FAULTS.md` holds the
//! table rendered from the cases (`UPDATE_FAULTS=1 cargo test -p groq-tests --test fault_matrix`
//! rewrites it).

#[path = "fault_matrix/cases.rs"]
mod cases;

use cases::{Call, Case, Expect};
use groq_tests::capture::Capture;
use groq_tests::fault_fixtures::MODELS;
use groq_tests::leaks::{open_fds, settles};
use groq_tests::ports::RefusingPort;
use groq_tests::scripted::{Reply, ScriptedServer};
use groq_types::sdk::Error;
use groq_types::{
    ChatCompletionRequestMessage as Message, CreateChatCompletionRequest, CreateSpeechRequest,
};
use std::time::{Duration, Instant};

const KEY: &str = "gsk_fault_matrix_0123456789";
/// How long anything may take to settle once a client is dropped before it counts as leaked.
const PATIENCE: Duration = Duration::from_secs(10);

fn chat_request() -> CreateChatCompletionRequest {
    CreateChatCompletionRequest::from_messages("llama-3.3-70b-versatile", [Message::user("Hi")])
}

fn speech_request() -> CreateSpeechRequest {
    CreateSpeechRequest::builder()
        .model("playai-tts")
        .voice("Fritz-PlayAI")
        .input("Hello there.")
        .build()
        .expect("every required field is set")
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// Builds a client for `$case` against `$url`: in the scope of a `groq` crate alias.
macro_rules! client {
    ($case:expr, $url:expr) => {{
        let case: &Case = $case;
        let mut builder = groq::Client::builder()
            .api_key(KEY)
            .base_url($url)
            .timeout(case.timeout)
            .retry_delay_scale(cases::SCALE);
        if let Some(bytes) = case.max_event_size {
            builder = builder.max_event_size(bytes);
        }
        if let Some(bytes) = case.max_body_size {
            builder = builder.max_body_size(bytes);
        }
        builder.build()
    }};
}

/// Makes the call of `$call` with `$client` and summarises the value: in the scope of a `groq` crate
/// alias and a `wait!` macro (`.await` or nothing).
macro_rules! perform {
    ($client:expr, $call:expr) => {{
        let client = $client;
        match $call {
            Call::Models => {
                wait!(client.models().list()).map(|list| plural(list.data.len(), "model"))
            }
            Call::Chat => wait!(client.chat().completions().create(&chat_request()))
                .map(|c| format!("content {:?}", c.content().unwrap_or_default())),
            Call::Stream => match wait!(client.chat().completions().create_stream(&chat_request()))
            {
                Ok(stream) => wait!(stream.accumulate())
                    .map(|c| format!("content {:?}", c.content().unwrap_or_default())),
                Err(error) => Err(error),
            },
            Call::Speech => match wait!(client.audio().speech().create(&speech_request())) {
                Ok(body) => wait!(body.bytes()).map(|b| plural(b.len(), "byte")),
                Err(error) => Err(error),
            },
            Call::FileContent => match wait!(client.files().content("file_01")) {
                Ok(body) => wait!(body.bytes()).map(|b| plural(b.len(), "byte")),
                Err(error) => Err(error),
            },
        }
    }};
}

/// Runs one case: a client built, one call made, the client dropped.
type Perform<'a> = dyn FnMut(&Case, &str) -> Result<String, Error> + 'a;

/// The `Debug` name of an error's variant (`RateLimit`, `Connection`…).
fn variant(error: &Error) -> String {
    let shown = format!("{error:?}");
    let end = shown.find(['(', ' ', '{']).unwrap_or(shown.len());
    shown[..end].to_owned()
}

fn check_outcome(expect: &Expect, outcome: &Result<String, Error>) -> Result<(), String> {
    match (expect, outcome) {
        (Expect::Ok(summary), Ok(got)) if got == summary => Ok(()),
        (
            Expect::Err {
                variant: kind,
                status,
                contains,
            },
            Err(error),
        ) => {
            let shown = error.to_string();
            if variant(error) != *kind {
                return Err(format!("expected {kind}, got {error:?}"));
            }
            if let Some(status) = status {
                if error.status().map(|s| s.as_u16()) != Some(*status) {
                    return Err(format!("expected status {status}, got {error:?}"));
                }
            }
            if !shown.contains(contains.as_str()) {
                return Err(format!(
                    "expected a message containing {contains:?}, got {shown:?}"
                ));
            }
            Ok(())
        }
        (expect, got) => Err(format!("expected {expect:?}, got {got:?}")),
    }
}

/// Runs every case with one client; returns what went wrong, case by case.
fn run_matrix(
    client: &str,
    perform: &mut Perform<'_>,
    alive_tasks: &dyn Fn() -> usize,
    fds: usize,
) -> Vec<String> {
    let mut failures = Vec::new();
    let mut slowest = Vec::new();
    for case in cases::all() {
        let started = Instant::now();
        let server = case
            .script
            .as_ref()
            .map(|script| ScriptedServer::start(script()));
        // Without a script, a port that refuses; held until the descriptors are counted below.
        let (url, refusing) = match &server {
            Some(server) => (server.url(), None),
            None => {
                let port = RefusingPort::new();
                (port.url(), Some(port))
            }
        };
        let capture = Capture::new();
        let outcome = capture.record(|| perform(&case, &url));
        let mut problems = Vec::new();
        if let Err(problem) = check_outcome(&case.expect, &outcome) {
            problems.push(problem);
        }
        let attempts = capture.count("sending request");
        if attempts != case.attempts {
            problems.push(format!("{attempts} attempts, expected {}", case.attempts));
        }
        if let Some(server) = &server {
            let requests = server.requests().len();
            if requests != case.requests {
                problems.push(format!(
                    "the server saw {requests} requests, expected {}",
                    case.requests
                ));
            }
            let arrivals = server.arrivals();
            for pair in arrivals.windows(2) {
                let gap = pair[1] - pair[0];
                if gap < case.min_gap {
                    problems.push(format!(
                        "{gap:?} between attempts, expected at least {:?}",
                        case.min_gap
                    ));
                }
            }
            if !settles(PATIENCE, || server.open_connections() == 0) {
                problems.push(format!(
                    "{} connections left open",
                    server.open_connections()
                ));
            }
        }
        if !settles(PATIENCE, || alive_tasks() == 0) {
            problems.push(format!("{} tokio tasks left alive", alive_tasks()));
        }
        drop(server);
        drop(refusing);
        if !settles(PATIENCE, || open_fds().is_none_or(|now| now <= fds)) {
            problems.push(format!(
                "{:?} file descriptors open, {fds} before",
                open_fds()
            ));
        }
        for problem in problems {
            failures.push(format!(
                "{client}: {} ({}): {problem}",
                case.fault,
                case.call.name()
            ));
        }
        slowest.push((started.elapsed(), case.fault));
    }
    slowest.sort_by_key(|(took, _)| std::cmp::Reverse(*took));
    for (took, fault) in slowest.iter().take(12) {
        eprintln!("{client}: {took:.1?} {fault}");
    }
    failures
}

#[test]
fn every_fault_with_both_clients() {
    let runtime = groq_tests::driver::runtime();
    // One successful call with each client first: whatever is set up once per process (TLS roots, the
    // runtime's own descriptors) is part of the baseline.
    let warm = ScriptedServer::start(vec![Reply::json(200, MODELS), Reply::json(200, MODELS)]);
    {
        let client = groq_async::Client::builder()
            .api_key(KEY)
            .base_url(warm.url())
            .build()
            .unwrap();
        runtime.block_on(client.models().list()).unwrap();
        let client = groq_blocking::Client::builder()
            .api_key(KEY)
            .base_url(warm.url())
            .build()
            .unwrap();
        client.models().list().unwrap();
    }
    assert!(settles(PATIENCE, || warm.open_connections() == 0));
    drop(warm);
    std::thread::sleep(Duration::from_millis(100));
    let fds = open_fds().unwrap_or(usize::MAX);
    let started = Instant::now();

    let mut failures = {
        use groq_async as groq;
        macro_rules! wait {
            ($e:expr) => {
                $e.await
            };
        }
        let mut perform = |case: &Case, url: &str| {
            runtime.block_on(async {
                let client = client!(case, url)?;
                perform!(&client, case.call)
            })
        };
        let alive = || runtime.metrics().num_alive_tasks();
        run_matrix("async", &mut perform, &alive, fds)
    };
    failures.extend({
        use groq_blocking as groq;
        macro_rules! wait {
            ($e:expr) => {
                $e
            };
        }
        let mut perform = |case: &Case, url: &str| {
            let client = client!(case, url)?;
            perform!(&client, case.call)
        };
        run_matrix("blocking", &mut perform, &|| 0, fds)
    });
    eprintln!(
        "fault matrix: {} cases × 2 clients in {:.1?}",
        cases::all().len(),
        started.elapsed()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The table of `tests/FAULTS.md`, rendered from the cases.
fn table() -> String {
    let mut table = String::from("| # | Fault | Call | Outcome (both clients) | Requests seen | Attempts |\n|---|---|---|---|---|---|\n");
    for (i, case) in cases::all().iter().enumerate() {
        let outcome = match &case.expect {
            Expect::Ok(summary) => format!("Ok: {summary}"),
            Expect::Err {
                variant, status, ..
            } => match status {
                Some(status) => format!("`{variant}` ({status})"),
                None => format!("`{variant}`"),
            },
        };
        let mut attempts = case.attempts.to_string();
        if !case.min_gap.is_zero() {
            attempts.push_str(&format!(", ≥ {} ms apart", case.min_gap.as_millis()));
        }
        table.push_str(&format!(
            "| {} | {} | `{}` | {} | {} | {} |\n",
            i + 1,
            case.fault,
            case.call.name(),
            outcome,
            case.requests,
            attempts
        ));
    }
    table
}

const START: &str = "<!-- fault table: start -->\n";
const END: &str = "<!-- fault table: end -->";

#[test]
fn faults_md_shows_the_matrix() {
    let doc = include_str!("../FAULTS.md");
    let table = table();
    let current = doc
        .split_once(START)
        .and_then(|(_, rest)| rest.split_once(END))
        .map(|(table, _)| table);
    if current == Some(table.as_str()) {
        return;
    }
    if std::env::var_os("UPDATE_FAULTS").is_some() {
        let (head, rest) = doc
            .split_once(START)
            .expect("FAULTS.md has the start marker");
        let (_, tail) = rest.split_once(END).expect("FAULTS.md has the end marker");
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/FAULTS.md");
        std::fs::write(path, format!("{head}{START}{table}{END}{tail}")).expect("write FAULTS.md");
        return;
    }
    panic!("tests/FAULTS.md is out of date: rerun with UPDATE_FAULTS=1\n{table}");
}
