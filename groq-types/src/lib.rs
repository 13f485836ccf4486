//! Request and response types of the Groq API.
//!
//! Every type here is generated from the SDK's OpenAPI description (`openapi/groq.yaml`), and the same
//! types are used by both clients, `groq-async` and `groq-blocking`, so values move freely between them.
//! Hand-written conveniences (message constructors, tools, response formats…) live in [`ergonomics`] and
//! are methods on the generated types.
//!
//! Conventions of the generated code:
//! - an optional field is an `Option` and is left out of the JSON when unset; a default the API assumes is
//!   never sent on your behalf;
//! - responses are forward compatible: unknown fields are ignored, every string enum keeps an unknown value in
//!   its `Unknown(String)` variant, and every tagged union, and every untagged one with an object among its
//!   members (a tool choice: a mode or a named tool), keeps a member it does not know in `Unknown(Value)`;
//!   a list the spec lets the server leave out may also come as `null` (read as empty);
//! - every struct with required fields has `new(…)`, and every optional field a setter of the same name.
//!
//! The generator's output ships with the crate, and the build script checks that it was made from the
//! `groq.yaml` beside it, so a build compiles no generator. The `codegen` feature runs the generator at
//! build time instead; only the SDK's maintainers need it (`cargo xtask regen`).
#![warn(missing_docs)]

mod generated;
mod missing_field;
mod tight_vec;
pub use generated::*;
pub use missing_field::MissingField;

pub mod accumulate;
pub mod ergonomics;
pub mod sdk;

/// A chat completion, as returned by `chat().completions().create(…)`.
pub type ChatCompletion = CreateChatCompletionResponse;
/// One chunk of a streamed chat completion.
pub type ChatCompletionChunk = CreateChatCompletionStreamResponse;
