//! Conformance against the Groq reference spec, through the Steady mock server: every one of the 23
//! operations, driven through both clients (`groq-async` on a tokio runtime, `groq-blocking` directly).
//!
//! Each case is one operation with one set of arguments — `minimal` (required arguments only), `full`
//! (every optional field of the request set through its setter, every query parameter; for an operation
//! whose only parameter is a path id, an id that needs percent-encoding) and a few more (`url` for audio
//! from a URL, `from_path` for an upload streamed from disk) — sent [`REPS`] times on one client, since
//! Steady's answers are random. A case passes when Steady accepted every request (`x-steady-request-valid:
//! true`, no diagnostic but the allowed ones) and every answer deserialized (or, for binary bodies, was read
//! to its end). A rejection surfaces as an API error carrying Steady's `x-steady-error-*` headers; the
//! failure message lists those diagnostics and the body.
//!
//! The scenario of an operation is written once: [`on_client!`] expands it for the async client (where
//! `wait!(…)` awaits) and for the blocking one (where `wait!(…)` is the call itself), and `groq::…` names
//! the crate of the client at hand (`groq::FileInput`).
//!
//! This file holds the clients a case drives, `on_client!` and the list of cases (`conformance!`). Each
//! API area's scenarios are in a file of their own (`audio.rs`, `chat.rs`, …), the values they share in
//! `fixtures.rs`, the runner and what it makes of each answer in `outcome.rs`, and the suite's checks of
//! itself in `self_check.rs`. A new case is a scenario function in its area's file and a line in
//! `conformance!`.
//!
//! Without Steady (no npm, no `../shared`) the cases print why and pass; with `CI=true` they fail.
//! Each case prints one summary line (`cargo test -p groq-tests --test conformance -- --nocapture`).

/// How many times each case sends its request.
const REPS: usize = 50;

/// How many distinct failure messages a failing case prints.
const SHOWN_FAILURES: usize = 5;

/// Which client a case drives.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Async,
    Blocking,
}

/// A client of one kind, built once per case and reused for all its requests (and connections).
enum Target {
    Async {
        client: groq_async::Client,
        runtime: tokio::runtime::Runtime,
    },
    Blocking {
        client: groq_blocking::Client,
    },
}

impl Target {
    fn new(kind: Kind, base_url: &str) -> Self {
        const KEY: &str = "gsk_conformance_test_key";
        match kind {
            Kind::Async => Target::Async {
                client: groq_async::Client::builder()
                    .base_url(base_url)
                    .api_key(KEY)
                    .max_retries(0)
                    .build()
                    .expect("an async client"),
                runtime: tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a tokio runtime"),
            },
            Kind::Blocking => Target::Blocking {
                client: groq_blocking::Client::builder()
                    .base_url(base_url)
                    .api_key(KEY)
                    .max_retries(0)
                    .build()
                    .expect("a blocking client"),
            },
        }
    }
}

/// Runs `$body` [`REPS`] times with `$c` bound to the target's client and collects the [`Outcome`]s. The
/// body is expanded twice: for the async client (inside one `block_on`, `wait!(e)` is `e.await`) and for the
/// blocking client (`wait!(e)` is `e`); in both, `groq` names the client's crate.
macro_rules! on_client {
    ($target:expr, |$c:ident| $body:expr) => {
        match $target {
            Target::Async {
                client: $c,
                runtime,
            } => {
                #[allow(unused_imports)]
                use groq_async as groq;
                macro_rules! wait {
                    ($e:expr) => {
                        $e.await
                    };
                }
                runtime.block_on(async {
                    let mut outcomes = Vec::with_capacity(REPS);
                    for _ in 0..REPS {
                        outcomes.push($body);
                    }
                    outcomes
                })
            }
            Target::Blocking { client: $c } => {
                #[allow(unused_imports)]
                use groq_blocking as groq;
                macro_rules! wait {
                    ($e:expr) => {
                        $e
                    };
                }
                let mut outcomes = Vec::with_capacity(REPS);
                for _ in 0..REPS {
                    outcomes.push($body);
                }
                outcomes
            }
        }
    };
}

mod audio;
mod batches;
mod chat;
mod embeddings;
mod files;
mod fine_tunings;
mod fixtures;
mod models;
mod outcome;
mod reranking;
mod responses;
mod self_check;

use audio::*;
use batches::*;
use chat::*;
use embeddings::*;
use files::*;
use fine_tunings::*;
use models::*;
use outcome::run;
use reranking::*;
use responses::*;

// ---- The cases --------------------------------------------------------------------------------------

/// For every `operation { variant, … }`, a module `operation::variant` with two tests, `async_client`
/// and `blocking_client`, running the scenario function `operation` with that variant. Attributes before a
/// variant (`#[ignore = "BUG: …"]`) go on both of its tests.
macro_rules! conformance {
    ($($operation:ident { $($(#[$attr:meta])* $variant:ident),+ $(,)? })*) => {$(
        mod $operation {
            $(
                mod $variant {
                    #[test]
                    $(#[$attr])*
                    fn async_client() {
                        crate::run(
                            stringify!($operation),
                            stringify!($variant),
                            crate::Kind::Async,
                            crate::$operation,
                        )
                    }

                    #[test]
                    $(#[$attr])*
                    fn blocking_client() {
                        crate::run(
                            stringify!($operation),
                            stringify!($variant),
                            crate::Kind::Blocking,
                            crate::$operation,
                        )
                    }
                }
            )+
        }
    )*};
}

conformance! {
    create_speech { minimal, full }
    create_transcription { minimal, full, url }
    create_translation { minimal, full, url }
    create_batch { minimal, full }
    list_batches { minimal, full }
    retrieve_batch { minimal, full }
    cancel_batch { minimal, full }
    create_chat_completion { minimal, full }
    create_embedding { minimal, full }
    list_files { minimal }
    upload_file { minimal, from_path }
    retrieve_file { minimal, full }
    delete_file { minimal, full }
    download_file { minimal, full }
    list_fine_tunings { minimal }
    create_fine_tuning { minimal, full }
    get_fine_tuning { minimal, full }
    delete_fine_tuning { minimal, full }
    list_models { minimal }
    retrieve_model { minimal, full }
    delete_model { minimal, full }
    create_reranking { minimal, full }
    create_response { minimal, full }
}
