//! Tests that drive both clients: the behaviour contract, streaming against a misbehaving server, and
//! conformance against the Steady mock server. The library part holds the shared machinery.

pub mod bench_server;
pub mod capture;
pub mod driver;
pub mod driver_json;
pub mod driver_media;
pub mod driver_workflows;
pub mod dual;
pub mod fault_fixtures;
pub mod heap;
pub mod leaks;
pub mod load_server;
pub mod ports;
pub mod scripted;
pub mod stats;
pub mod steady;

/// The README's Rust snippets, compiled by `cargo test --doc -p groq-tests` so that what a newcomer copies
/// builds.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeSnippets;
