//! The blocking client of the [Groq API](https://console.groq.com/docs), shaped like Groq's Python library.
//!
//! ```no_run
//! use groq_blocking::types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};
//! use groq_blocking::Client;
//!
//! # fn run() -> Result<(), groq_blocking::Error> {
//! // Reads GROQ_API_KEY (and GROQ_BASE_URL, GROQ_CUSTOM_HEADERS) from the environment.
//! let client = Client::new()?;
//! let request = CreateChatCompletionRequest::from_messages(
//!     "llama-3.3-70b-versatile",
//!     [Message::user("Explain the importance of fast language models")],
//! );
//! let completion = client.chat().completions().create(&request)?;
//! println!("{}", completion.content().unwrap_or_default());
//! # Ok(())
//! # }
//! ```
//!
//! - Every resource of the API hangs off [`Client`]: `client.chat().completions()`, `client.models()`…;
//!   every method's documentation has an example.
//! - Failures are one [`Error`] enum, shared with the async client, as are all request and
//!   response types ([`types`]).
//! - A call blocks its thread. It is refused inside a tokio task or a runtime's `block_on`, where it
//!   would stall the runtime ([`Error::BlockingInAsyncContext`]: use `groq-async` there), and in a
//!   thread-local destructor that runs after tokio's ([`Error::InvalidRequest`]). Where tokio allows
//!   blocking (`spawn_blocking`, `block_in_place`) it works: the call then runs on the client's own I/O
//!   thread while the calling one waits. (Code wrapped in `tokio::task::unconstrained` is not told from
//!   those: a call there is made, and blocks its thread.) A client may be built anywhere, an async task
//!   included. After a `fork()`, build new clients in the child
//!   (over a new reqwest client, if you pass your own): a client from before the fork may wait on
//!   threads that are not in the child process.
//!
//! Sync code of an async service, on tokio's blocking threads:
//!
//! ```no_run
//! # #[tokio::main]
//! # async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
//! let client = groq_blocking::Client::new()?; // built anywhere, inside a task too
//! let models = tokio::task::spawn_blocking(move || client.models().list()).await??;
//! println!("{} models", models.data.len());
//! # Ok(())
//! # }
//! ```
//!
#![doc = crate::facade::guide::guide!()]
#![doc = include_str!("facade/features.md")]
#![warn(missing_docs)]

pub(crate) use maybe_async::must_be_sync as maybe_async;

// What the facade's doc examples (written once, with `facade/doc.rs`) differ by in the blocking client.
// Defined before the modules, so that they are in scope in all of them.
/// Written after a call in the facade's doc examples: nothing.
macro_rules! aw {
    () => {
        ""
    };
}
/// The function that wraps the facade's doc examples: `fn`.
macro_rules! doc_fn {
    () => {
        "fn"
    };
}
/// What a doc example that reads a stream with `next()` imports: nothing.
macro_rules! doc_stream_ext {
    () => {
        ""
    };
}

// Also by path (`crate::aw!()`): the front page's guide is expanded in a crate-level attribute, above
// these definitions, where only a path reaches them.
pub(crate) use {aw, doc_fn, doc_stream_ext};

mod body;
mod facade;
mod paging;
mod reqwest_transport;
mod runtime;
mod stream;
mod stream_state;
mod workflow_rt;

pub use body::Chunks;
pub use facade::exports::*;
/// What most programs need, in one import: `use groq_blocking::prelude::*;` brings the client, the error
/// and result types, and chat requests and messages.
pub mod prelude {
    pub use crate::facade::prelude::*;
}
pub use groq_types as types;
pub use paging::AutoPager;
pub use runtime::{HttpClient, Reader};
pub use stream::{ChatCompletionStream, EventStream};

/// The seam between the client and HTTP: implement [`Transport`] to send requests your own way; the
/// client keeps its retries, error mapping and parsing.
pub mod transport {
    pub use crate::body::Body;
    pub use crate::facade::http::{
        FileContent, FilePart, HttpRequest, HttpResponse, Multipart, RequestBody, Transport,
    };
}

/// A test double for code that calls Groq (feature `test-util`): a [`MockTransport`](test_util::MockTransport)
/// answers from canned responses and records the requests, with no socket.
#[cfg(feature = "test-util")]
pub mod test_util {
    pub use crate::facade::mock::{
        MockResponse, MockTransport, RecordedBody, RecordedFile, RecordedRequest,
    };
}
