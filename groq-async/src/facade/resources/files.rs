//! `/openai/v1/files`: upload (streamed from disk), list, retrieve, download (streamed), delete.

use super::resource;
use crate::facade::binary::BinaryResponse;
use crate::facade::client::Call;
use crate::facade::doc::example;
use crate::facade::upload::FileInput;
use crate::maybe_async;
use groq_types::sdk::request::path_segment;
use groq_types::sdk::{Error, ResponseMode};
use groq_types::{DeleteFileResponse, File, FileUploadPurpose, ListFilesResponse};
use http::Method;

resource! {
    /// Files: `client.files()`.
    Files
}

impl<M: ResponseMode> Files<'_, M> {
    /// Uploads a file (a JSONL batch input: `purpose` `batch`); the Python SDK's `files.create`. A file given by path is streamed from disk,
    /// so memory does not grow with its size.
    ///
    #[doc = example!(use "FileInput"; r#"
let file = client.files().upload(FileInput::path("batch_input.jsonl"), "batch")"#, aw!(), r#"?;
println!("uploaded {}", file.id.as_deref().unwrap_or_default());"#)]
    #[doc(alias = "create")]
    #[maybe_async]
    pub async fn upload(
        &self,
        file: FileInput,
        purpose: impl Into<FileUploadPurpose>,
    ) -> Result<M::Output<File>, Error> {
        let options = &self.handle.options;
        let purpose = purpose.into();
        let call = Call::multipart(
            "/openai/v1/files",
            &serde_json::json!({ "purpose": purpose.as_str() }),
            &[],
            vec![("file".to_owned(), file)],
            options,
        )?;
        self.handle.json(call).await
    }

    /// Lists your files.
    ///
    #[doc = example!(r#"
for file in client.files().list()"#, aw!(), r#"?.data {
    let name = file.filename.as_deref().unwrap_or_default();
    println!("{}: {name}", file.id.as_deref().unwrap_or_default());
}"#)]
    #[maybe_async]
    pub async fn list(&self) -> Result<M::Output<ListFilesResponse>, Error> {
        let call = Call::new(Method::GET, "/openai/v1/files");
        self.handle.json(call).await
    }

    /// Retrieves a file's metadata (the Python SDK's `files.info`).
    ///
    #[doc = example!(r#"
let file = client.files().retrieve("file_01jh6x76wtemjr74t1fh0faj5t")"#, aw!(), r#"?;
println!("{:?} ({} bytes)", file.filename, file.bytes.unwrap_or_default());"#)]
    #[doc(alias = "info")]
    #[maybe_async]
    pub async fn retrieve(&self, file_id: &str) -> Result<M::Output<File>, Error> {
        let call = Call::new(
            Method::GET,
            format!("/openai/v1/files/{}", path_segment("file_id", file_id)?),
        );
        self.handle.json(call).await
    }

    /// Deletes a file.
    ///
    #[doc = example!(r#"
let deleted = client.files().delete("file_01jh6x76wtemjr74t1fh0faj5t")"#, aw!(), r#"?;
assert!(deleted.deleted);"#)]
    #[maybe_async]
    pub async fn delete(&self, file_id: &str) -> Result<M::Output<DeleteFileResponse>, Error> {
        let call = Call::new(
            Method::DELETE,
            format!("/openai/v1/files/{}", path_segment("file_id", file_id)?),
        );
        self.handle.json(call).await
    }

    /// Downloads a file's content (a batch's results) as a [`BinaryResponse`]: read it whole, piece by
    /// piece, or stream it into a file with `write_to_file`.
    ///
    #[doc = example!(r#"
let content = client.files().content("file_01jh6x76wtemjr74t1fh0faj5t")"#, aw!(), r#"?;
let written = content.write_to_file("batch_output.jsonl")"#, aw!(), r#"?;
println!("{written} bytes saved");"#)]
    #[maybe_async]
    pub async fn content(&self, file_id: &str) -> Result<M::Stream<BinaryResponse>, Error> {
        let mut call = Call::new(
            Method::GET,
            format!(
                "/openai/v1/files/{}/content",
                path_segment("file_id", file_id)?
            ),
        );
        call.accept = "application/octet-stream";
        self.handle.streamed(call, BinaryResponse::new).await
    }
}
