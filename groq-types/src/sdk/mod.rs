//! What both clients show their users, written once: the [`Error`] enum and [`ApiError`], typed rate-limit
//! headers ([`RateLimitInfo`]), raw responses ([`RawResponse`], [`RawStream`], [`ResponseMeta`]), per-call
//! [`RequestOptions`], the [`ApiKey`] and the resolved [`ClientConfig`]. `groq-async` and `groq-blocking`
//! re-export all of these at their root; use them from there.
//!
//! # What is not public API
//!
//! The machinery behind those types is shared by the two clients and free of I/O: the SSE decoder, the event
//! parser, the retry policy and its jitter, request building (headers, path segments, bodies), error mapping
//! and configuration resolution. It lives in the hidden modules of this module (`sse`, `events`, `retry`,
//! `request`, `config`, `error`, `raw`, `ratelimit`) and in items marked `#[doc(hidden)]`. It is reachable only
//! because the clients are separate crates; it is **not** covered by semantic versioning and may change in
//! any release. The clients depend on `groq-types` with an exact version (`=x.y.z`), so they always agree with
//! it.

#[doc(hidden)]
pub mod config;
#[doc(hidden)]
pub mod error;
#[doc(hidden)]
pub mod events;
#[doc(hidden)]
pub mod ratelimit;
#[doc(hidden)]
pub mod raw;
#[doc(hidden)]
pub mod request;
#[doc(hidden)]
pub mod retry;
#[doc(hidden)]
pub mod sse;

#[doc(hidden)]
pub use config::ConfigBuilder;
pub use config::{ApiKey, ClientConfig};
pub use error::{ApiError, BoxError, Error, ErrorBody, StreamError};
#[doc(hidden)]
pub use events::{EventParser, StreamItem};
pub use ratelimit::RateLimitInfo;
pub use raw::{Parsed, Raw, RawResponse, RawStream, ResponseMeta, ResponseMode};
pub use request::RequestOptions;

/// A random number in `[0, 1)` for retry jitter, drawn from the standard library's hasher keys (no RNG
/// dependency needed for this).
#[doc(hidden)]
pub fn jitter() -> f64 {
    use std::hash::BuildHasher;
    let bits = std::collections::hash_map::RandomState::new().hash_one(0u8);
    (bits >> 11) as f64 / (1u64 << 53) as f64
}
