//! Audio and files: multipart uploads checked on the bytes the server received (files from bytes, a path or
//! a reader; repeated array parts; booleans; unset fields left out; URL-only transcriptions), retries that
//! rebuild the form, transcriptions typed per `response_format`, refusals before any I/O, and binary bodies
//! (speech, file content) read whole, in chunks or into a file. Every scenario runs against both clients
//! (`for_both_clients!`).
//!
//! `forms.rs` holds the uploads, `downloads.rs` the binary bodies, `support.rs` what they share.

mod downloads;
mod forms;
mod support;
