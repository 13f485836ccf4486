//! Hand-written conveniences on the generated types; generated code is never edited.
//!
//! - [`chat`]: a request from a model and messages, message constructors, multimodal content, stop sequences;
//! - [`tools`]: function tools and `response_format` values;
//! - [`embeddings`]: embedding vectors as `Vec<f32>`, whether the server sent floats or base64;
//! - [`batches`]: batch statuses and the paging of the batch list;
//! - [`audio`]: the length of a transcript in seconds;
//! - [`responses`]: a Responses API request's input from text, and the text of its answer.

pub mod audio;
pub mod batch_jobs;
pub mod batches;
pub mod chat;
pub mod embeddings;
pub mod parsed;
pub mod responses;
pub mod strict_schema;
pub mod tool_runs;
pub mod tools;
