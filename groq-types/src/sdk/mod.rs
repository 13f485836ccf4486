//! The machinery both clients share, written once and free of I/O: configuration, request building, the
//! retry policy, error mapping, the SSE decoder, typed rate-limit headers and raw-response metadata.
//! `groq-async` and `groq-blocking` only add the transport.

pub mod config;
pub mod error;
pub mod events;
pub mod ratelimit;
pub mod raw;
pub mod request;
pub mod retry;
pub mod sse;

pub use config::{ApiKey, ClientConfig, ConfigBuilder};
pub use error::{ApiError, BoxError, Error, ErrorBody, StreamError};
pub use events::{EventParser, StreamItem};
pub use ratelimit::RateLimitInfo;
pub use raw::{Parsed, Raw, RawResponse, RawStream, ResponseMeta, ResponseMode};
pub use request::RequestOptions;

/// A random number in `[0, 1)` for retry jitter, drawn from the standard library's hasher keys (no RNG
/// dependency needed for this).
pub fn jitter() -> f64 {
    use std::hash::BuildHasher;
    let bits = std::collections::hash_map::RandomState::new().hash_one(0u8);
    (bits >> 11) as f64 / (1u64 << 53) as f64
}
