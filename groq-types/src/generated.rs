//! The code generated from `openapi/groq.yaml` by `build.rs`. Never edited by hand: change the spec and run
//! `cargo xtask regen`, which refreshes the kept copy `generated/groq_types.rs`. With the `codegen` feature
//! the crate is compiled from the generator's fresh output instead.
#![allow(
    missing_docs,
    clippy::all,
    clippy::pedantic,
    rustdoc::bare_urls,
    rustdoc::broken_intra_doc_links,
    rustdoc::invalid_html_tags
)]

#[cfg(not(feature = "codegen"))]
include!("generated/groq_types.rs");
#[cfg(feature = "codegen")]
include!(concat!(env!("OUT_DIR"), "/groq_types.rs"));
