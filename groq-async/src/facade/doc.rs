//! Doc examples written once for both clients. The facade has one doc comment per method, compiled into
//! `groq-async` and `groq-blocking`, so an example is assembled at compile time from string pieces; the
//! pieces that differ come from three macros each crate's `lib.rs` defines: `aw!()` (`.await`, or
//! nothing), `doc_fn!()` (`async fn`, or `fn`) and `doc_stream_ext!()` (`use futures::StreamExt;`, or
//! nothing; a piece of its own: `doc_stream_ext!(), r#"...`). For example,
//!
//! ```text
//! /// Lists the models available to your key.
//! ///
//! #[doc = example!(use "types::Model"; r#"
//! let models: Vec<Model> = client.models().list()"#, aw!(), r#"?.data;"#)]
//! ```
//!
//! is, in `groq-async`, a `no_run` example showing `use groq_async::types::Model;` and the call with
//! `.await`, inside hidden lines that wrap it in an `async fn` returning `Result<(), groq_async::Error>`
//! with a `client` in scope; in `groq-blocking`, the same with `groq_blocking` and no `.await`.
//! `cargo test --doc -p groq-async -p groq-blocking` compiles both. The first code piece starts with a
//! line break and the last ends without one. The crates' front pages are built the same way
//! ([`guide`](super::guide)).

/// A `no_run` doc example: the `use` lines (paths in the crate), then the code pieces inside a hidden
/// function returning the crate's `Result`, with a `client` in scope.
macro_rules! example {
    ($(use $($path:literal),+;)? $($code:expr),+ $(,)?) => {
        concat!(
            "```no_run\n",
            $($("use ", env!("CARGO_CRATE_NAME"), "::", $path, ";\n",)+)?
            "# ", crate::doc_fn!(), " example() -> Result<(), ", env!("CARGO_CRATE_NAME"), "::Error> {\n",
            "# let client = ", env!("CARGO_CRATE_NAME"), "::Client::new()?;",
            $($code,)+
            "\n# Ok(())\n# }\n```"
        )
    };
}
pub(crate) use example;
