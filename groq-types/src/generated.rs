//! The code generated from `openapi/groq.yaml` by `build.rs`. Never edited by hand: change the spec and run
//! `cargo xtask regen`.
#![allow(
    missing_docs,
    clippy::all,
    clippy::pedantic,
    rustdoc::bare_urls,
    rustdoc::broken_intra_doc_links,
    rustdoc::invalid_html_tags
)]

include!(concat!(env!("OUT_DIR"), "/groq_types.rs"));
