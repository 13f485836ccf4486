//! Workflows built on the public API of the resources, one source for both clients: structured outputs
//! parsed into Rust types ([`structured`]), a tool-calling loop over Rust functions ([`tools`]) and batch
//! jobs end to end ([`batch_jobs`]).

pub mod batch_jobs;
pub mod structured;
pub mod tools;
