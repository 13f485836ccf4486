//! Audio and files: multipart uploads checked on the bytes the server received (files from bytes, a path or
//! a reader; repeated array parts; booleans; unset fields left out; URL-only transcriptions), retries that
//! rebuild the form, retries of uploads from a reader, transcriptions typed per `response_format`, refusals
//! before any I/O, and binary bodies (speech, file content) read whole, in chunks or into a file. Every
//! scenario runs against both clients (`for_both_clients!`, `dual_test!`).
//!
//! `forms.rs` holds the uploads, `reader_retries.rs` the retries of uploads from a reader, `downloads.rs`
//! the binary bodies, `support.rs` what they share.

mod downloads;
mod forms;
mod reader_retries;
mod support;
