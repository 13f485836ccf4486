//! The conformance cases of files: uploads from bytes and from a path, list, retrieve, delete and download.

use crate::fixtures::*;
use crate::outcome::{unknown_variant, Outcome};
use crate::{Target, REPS};
use groq_types::FileUploadPurpose;
use std::path::PathBuf;

/// A JSONL file on disk, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(contents: &str) -> Self {
        let path = std::env::temp_dir().join(format!(
            "groq-conformance-{}-{:?}.jsonl",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::write(&path, contents).expect("write the temporary JSONL file");
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

pub(crate) fn upload_file(target: &Target, variant: &str) -> Vec<Outcome> {
    match variant {
        // `file` and `purpose` are the operation's only fields, both required.
        "minimal" => on_client!(target, |c| Outcome::json(
            wait!(c.files().with_raw_response().upload(
                groq::FileInput::bytes("batch.jsonl", JSONL.as_bytes()),
                FileUploadPurpose::Batch
            )),
            &[]
        )),
        "from_path" => {
            let file = TempFile::new(JSONL);
            on_client!(target, |c| Outcome::json(
                wait!(c.files().with_raw_response().upload(
                    groq::FileInput::path(file.0.clone()),
                    FileUploadPurpose::Batch
                )),
                &[]
            ))
        }
        other => unknown_variant(other),
    }
}

pub(crate) fn list_files(target: &Target, variant: &str) -> Vec<Outcome> {
    match variant {
        "minimal" => on_client!(target, |c| Outcome::json(
            wait!(c.files().with_raw_response().list()),
            &[]
        )),
        other => unknown_variant(other),
    }
}

pub(crate) fn retrieve_file(target: &Target, variant: &str) -> Vec<Outcome> {
    let id = path_id(variant, FILE_ID);
    on_client!(target, |c| Outcome::json(
        wait!(c.files().with_raw_response().retrieve(id)),
        &[]
    ))
}

pub(crate) fn delete_file(target: &Target, variant: &str) -> Vec<Outcome> {
    let id = path_id(variant, FILE_ID);
    on_client!(target, |c| Outcome::json(
        wait!(c.files().with_raw_response().delete(id)),
        &[]
    ))
}

pub(crate) fn download_file(target: &Target, variant: &str) -> Vec<Outcome> {
    let id = path_id(variant, FILE_ID);
    on_client!(
        target,
        |c| match wait!(c.files().with_raw_response().content(id)) {
            Err(error) => Outcome::from_error(&error),
            Ok(raw) => match Outcome::accepted(raw.meta(), &[]) {
                Err(outcome) => outcome,
                Ok(()) => Outcome::binary(wait!(raw.parse().bytes())),
            },
        }
    )
}
