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
    /// a `.partial` file next to it that is renamed at the end, so `path` never holds half a download; on
    /// failure the partial file is removed.
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
        let partial = partial_path(path);
        let mut file = runtime::create_file(&partial).await?;
        let mut written: u64 = 0;
        let result = loop {
            match self.next_chunk().await {
                Ok(Some(chunk)) => {
                    if let Err(error) = runtime::write_file(&mut file, &chunk, &partial).await {
                        break Err(error);
                    }
                    written += chunk.len() as u64;
                }
                Ok(None) => break runtime::finish_file(file, &partial, path).await,
                Err(error) => break Err(error),
            }
        };
        if result.is_err() {
            runtime::remove_file(&partial).await;
        }
        result.map(|()| written)
    }
}

fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}
