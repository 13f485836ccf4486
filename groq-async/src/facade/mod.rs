//! The hand-written facade, one source for both clients: `groq-async` compiles it with
//! `maybe_async::must_be_async`, `groq-blocking` (through a link to this folder) with `must_be_sync`.
//!
//! The facade reaches I/O only through the seam in [`http`]: the [`Transport`](http::Transport) trait,
//! which each crate's reqwest transport (and the `test-util` mock) implements. What differs between the
//! crates is named and small, in each crate's own files:
//! - `reqwest_transport.rs`: how the shared async reqwest code ([`reqwest`]) is run — awaited, or driven from the
//!   calling thread on the transport's own runtime (calls made while another holds it go to a second
//!   runtime that a thread of its own drives);
//! - `body.rs`: the response body as a `Stream` or an `Iterator`, and uploads from an `AsyncRead` or a
//!   `Read`;
//! - `runtime.rs`: sleeping between retries, writing downloads to disk, and where calls are allowed;
//! - `stream.rs` and `paging.rs`: event streams and auto-paging as a `Stream` or an `Iterator`.

pub mod binary;
pub mod client;
pub(crate) mod deadline;
pub(crate) mod doc;
pub(crate) mod guide;
pub mod http;
#[cfg(feature = "test-util")]
pub mod mock;
pub(crate) mod paging;
pub(crate) mod read_ahead;
pub(crate) mod reqwest;
pub mod resources;
pub mod tls;
pub mod upload;
pub(crate) mod upload_progress;
pub(crate) mod urls;
pub mod workflows;

/// What the facade offers, re-exported as it is at the root of each crate.
pub mod exports {
    pub use super::binary::BinaryResponse;
    pub use super::client::{Client, ClientBuilder};
    pub use super::http::Transport;
    pub use super::resources::audio::{
        Audio, Speech, Transcription, Transcriptions, Translation, Translations,
    };
    pub use super::resources::batches::Batches;
    pub use super::resources::chat::{Chat, Completions};
    pub use super::resources::embeddings::Embeddings;
    pub use super::resources::endpoints::Endpoints;
    pub use super::resources::files::Files;
    pub use super::resources::fine_tunings::FineTunings;
    pub use super::resources::models::Models;
    pub use super::resources::reranking::Reranking;
    pub use super::resources::responses::Responses;
    pub use super::tls::http_client_builder;
    pub use super::upload::FileInput;
    pub use super::workflows::batch_jobs::{BatchJobs, BatchResults};
    pub use super::workflows::tools::{ToolErrorPolicy, ToolRun, ToolRunner};
    pub use groq_types::ergonomics::batches::ListBatchesParams;
    pub use groq_types::ergonomics::parsed::{ParsedCompletion, WorkflowError};
    pub use groq_types::ergonomics::strict_schema::OutputMode;
    pub use groq_types::ergonomics::tool_runs::{ToolCallResult, ToolRound, ToolRunEnd};
    pub use groq_types::sdk::{
        ApiError, ApiKey, Error, ErrorBody, Parsed, RateLimitInfo, Raw, RawResponse, RawStream,
        RequestOptions, ResponseMeta, StreamError,
    };

    /// A result whose error is the SDK's [`Error`].
    pub type Result<T, E = Error> = std::result::Result<T, E>;

    // The third-party types of the public API, so that a user never needs a matching version of their own.
    pub use bytes::Bytes;
    pub use http::{HeaderMap, HeaderValue, Method, StatusCode};
    pub use serde_json::Value;
    pub use url::Url;
    pub use {reqwest, schemars, serde_json};
}

/// What most programs need, in one import (each crate adds its own stream trait).
pub mod prelude {
    pub use super::exports::{Client, Error, RequestOptions, Result};
    pub use groq_types::{
        ChatCompletion, ChatCompletionChunk, ChatCompletionRequestMessage as Message,
        CreateChatCompletionRequest,
    };
}
