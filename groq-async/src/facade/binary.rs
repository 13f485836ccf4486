//! Binary response bodies (speech audio, file contents): read whole, read piece by piece, or written
//! straight to a file without holding them in memory.

use crate::facade::doc::example;
use crate::facade::http::{read_all, HttpResponse};
use crate::maybe_async;
use crate::runtime;
use bytes::Bytes;
use groq_types::sdk::Error;
use std::fmt;
use std::path::{Path, PathBuf};

/// A binary body as it arrives. Dropping it unread closes the connection.
pub struct BinaryResponse {
    response: HttpResponse,
    max_body_size: usize,
}

impl fmt::Debug for BinaryResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BinaryResponse")
            .field("content_type", &self.content_type())
            .finish_non_exhaustive()
    }
}

impl BinaryResponse {
    pub(crate) fn new(response: HttpResponse, config: &groq_types::sdk::ClientConfig) -> Self {
        Self {
            response,
            max_body_size: config.max_body_size,
        }
    }

    /// The `content-type` the server sent.
    pub fn content_type(&self) -> Option<&str> {
        self.response.content_type()
    }

    /// The `content-length` the server announced.
    pub fn content_length(&self) -> Option<u64> {
        self.response
            .headers
            .get(http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
    }

    /// Reads the whole body into memory, up to the client's `max_body_size` (stream larger bodies with
    /// [`write_to_file`](Self::write_to_file) or piece by piece).
    ///
    #[doc = example!(r#"
let content = client.files().content("file_01jh6x76wtemjr74t1fh0faj5t")"#, aw!(), r#"?;
let jsonl = content.bytes()"#, aw!(), r#"?;
println!("{} lines", jsonl.split(|b| *b == b'\n').filter(|line| !line.is_empty()).count());"#)]
    #[maybe_async]
    pub async fn bytes(mut self) -> Result<Bytes, Error> {
        read_all(&mut self.response.body, self.max_body_size).await
    }

    /// Reads the whole body, as [`bytes`](Self::bytes) does, as text: a batch's JSONL output, a file
    /// uploaded as text. A body that is not UTF-8 is an [`Error::Decode`] keeping its start; read it with
    /// [`bytes`](Self::bytes) then.
    ///
    #[doc = example!(r#"
let content = client.files().content("file_01jh6x76wtemjr74t1fh0faj5t")"#, aw!(), r#"?;
for line in content.text()"#, aw!(), r#"?.lines() {
    println!("{line}");
}"#)]
    #[maybe_async]
    pub async fn text(self) -> Result<String, Error> {
        let bytes = self.bytes().await?;
        match String::from_utf8(bytes.into()) {
            Ok(text) => Ok(text),
            Err(error) => {
                let invalid = error.utf8_error();
                Err(Error::decode_source(
                    "the body is not UTF-8 text",
                    invalid,
                    &error.into_bytes(),
                ))
            }
        }
    }

    /// The next piece of the body; `None` at its end.
    ///
    #[doc = example!(r#"
let mut content = client.files().content("file_01jh6x76wtemjr74t1fh0faj5t")"#, aw!(), r#"?;
let mut total = 0;
while let Some(piece) = content.next_chunk()"#, aw!(), r#"? {
    total += piece.len();
}
println!("{total} bytes");"#)]
    #[maybe_async]
    pub async fn next_chunk(&mut self) -> Result<Option<Bytes>, Error> {
        self.response.body.next_chunk().await
    }

    /// Streams the body into the file at `path` and returns the number of bytes written. The body goes to
    /// a new file next to it (`<name>.<process>-<n>.partial`, never one that exists) that is renamed to
    /// `path` at the end, so `path` never holds half a download; on failure, or when the call is dropped
    /// before its end (a timeout around it, a cancelled task), that file is removed.
    ///
    #[doc = example!(use "types::{CreateSpeechRequest, SpeechResponseFormat}"; r#"
let request = CreateSpeechRequest::builder()
    .model("playai-tts")
    .voice("Fritz-PlayAI")
    .input("Hello from Groq!")
    .response_format(SpeechResponseFormat::Wav)
    .build()?;
let audio = client.audio().speech().create(&request)"#, aw!(), r#"?;
let written = audio.write_to_file("hello.wav")"#, aw!(), r#"?;
println!("{written} bytes");"#)]
    #[maybe_async]
    pub async fn write_to_file(mut self, path: impl AsRef<Path>) -> Result<u64, Error> {
        let path = path.as_ref();
        let (mut file, partial) = create_partial(path).await?;
        let mut written: u64 = 0;
        while let Some(chunk) = self.next_chunk().await? {
            runtime::write_file(&mut file, &chunk, partial.path()).await?;
            written += chunk.len() as u64;
        }
        runtime::finish_file(file, partial.path(), path).await?;
        partial.keep();
        Ok(written)
    }
}

/// The download's temporary file, removed when dropped unless [`keep`](Self::keep) was called: on an
/// error, and when the download's future is dropped before its end.
struct PartialFile {
    path: PathBuf,
    kept: bool,
}

impl PartialFile {
    fn path(&self) -> &Path {
        &self.path
    }

    /// The file was renamed into place: nothing to remove.
    fn keep(mut self) {
        self.kept = true;
    }
}

impl Drop for PartialFile {
    fn drop(&mut self) {
        if !self.kept {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Creates a new temporary file next to `path`: `<path>.<process id>-<n>.partial`, with the first `n`
/// whose file does not exist, so that two downloads to one path, or a file of the user's by that name,
/// are never written over.
#[maybe_async]
async fn create_partial(path: &Path) -> Result<(runtime::File, PartialFile), Error> {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let mut tries = 0;
    loop {
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut name = path.as_os_str().to_owned();
        name.push(format!(".{}-{n}.partial", std::process::id()));
        let partial = PathBuf::from(name);
        match runtime::create_new_file(&partial).await {
            Ok(file) => {
                let partial = PartialFile {
                    path: partial,
                    kept: false,
                };
                return Ok((file, partial));
            }
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists && tries < 16 => {
                tries += 1;
            }
            Err(error) => return Err(crate::facade::upload::io_error(&partial, error)),
        }
    }
}
