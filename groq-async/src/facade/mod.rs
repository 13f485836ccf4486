//! The hand-written facade, one source for both clients: `groq-async` compiles it with
//! `maybe_async::must_be_async`, `groq-blocking` (through a link to this folder) with `must_be_sync`. Only
//! each crate's `transport` module differs.

pub mod binary;
pub mod client;
pub(crate) mod paging;
pub mod resources;
pub mod upload;
pub mod workflows;

/// What the facade offers, re-exported as it is at the root of each crate.
pub mod exports {
    pub use super::binary::BinaryResponse;
    pub use super::client::{Client, ClientBuilder};
    pub use super::resources::audio::{
        Audio, Speech, Transcription, Transcriptions, Translation, Translations,
    };
    pub use super::resources::batches::Batches;
    pub use super::resources::chat::{Chat, Completions};
    pub use super::resources::embeddings::Embeddings;
    pub use super::resources::files::Files;
    pub use super::resources::fine_tunings::FineTunings;
    pub use super::resources::models::Models;
    pub use super::resources::reranking::Reranking;
    pub use super::resources::responses::Responses;
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
}
