//! Workflows built on the public API of the resources, one source for both clients: structured outputs
//! parsed into Rust types ([`structured`]) and a tool-calling loop over Rust functions ([`tools`]).

pub mod structured;
pub mod tools;
