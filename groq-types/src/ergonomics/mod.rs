//! Hand-written conveniences on the generated types; generated code is never edited.
//!
//! - [`chat`]: a request from a model and messages, message constructors, multimodal content, stop sequences;
//! - [`tools`]: function tools and `response_format` values.

pub mod chat;
pub mod tools;
pub mod batches;
pub mod embeddings;
