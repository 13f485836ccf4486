//! The hand-written facade, one source for both clients: `groq-async` compiles it with
//! `maybe_async::must_be_async`, `groq-blocking` (through a link to this folder) with `must_be_sync`. Only
//! each crate's `transport` module differs.

pub mod binary;
pub mod client;
pub(crate) mod paging;
pub mod resources;
pub(crate) mod stream;
pub mod upload;
