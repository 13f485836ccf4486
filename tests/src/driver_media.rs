//! Audio (transcriptions, translations, speech) and files, seen through blocking calls: [`MediaEndpoints`]
//! is implemented once, compiled over `groq-async` (each call runs on a tokio runtime) and over
//! `groq-blocking` by [`adapter_for_both!`](crate::adapter_for_both); what differs (how a body's pieces are
//! handed out) is each crate's `pieces`. [`media_client`] picks the adapter matching a [`Driver`], so
//! scenarios run under [`for_both_clients!`](crate::for_both_clients).
//!
//! The two crates have their own `FileInput`, `Transcription` and `BinaryResponse` types, so this module
//! describes uploads with [`Upload`] and returns results as [`TranscriptionOut`], [`TranslationOut`] and
//! [`Binary`], the same for both clients.

use crate::driver::{Async, Blocking, Driver, Settings};
use groq_types::sdk::{Error, RequestOptions, ResponseMeta};
use groq_types::{
    CreateSpeechRequest, CreateTranscriptionRequest, CreateTranscriptionResponseJson,
    CreateTranscriptionResponseVerboseJson, CreateTranslationRequest,
    CreateTranslationResponseJson, CreateTranslationResponseVerboseJson, DeleteFileResponse, File,
    ListFilesResponse,
};
use std::path::{Path, PathBuf};

/// A file to upload, built into each crate's `FileInput`.
#[derive(Clone, Debug)]
pub enum Upload {
    /// `FileInput::bytes(filename, data)`.
    Bytes {
        /// The name sent.
        filename: String,
        /// The content.
        data: Vec<u8>,
    },
    /// `FileInput::path(path)`.
    Path(PathBuf),
    /// `FileInput::reader(filename, reader over data)`.
    Reader {
        /// The name sent.
        filename: String,
        /// What the reader yields.
        data: Vec<u8>,
    },
}

/// A transcription, whatever the client (mirrors each crate's `Transcription`).
#[derive(Clone, Debug, PartialEq)]
pub enum TranscriptionOut {
    /// `Transcription::Json`.
    Json(CreateTranscriptionResponseJson),
    /// `Transcription::VerboseJson`.
    VerboseJson(CreateTranscriptionResponseVerboseJson),
    /// `Transcription::Text`.
    Text(String),
    /// A shape added after this adapter, in its `Debug` form.
    Other(String),
}

/// A translation, whatever the client (mirrors each crate's `Translation`).
#[derive(Clone, Debug, PartialEq)]
pub enum TranslationOut {
    /// `Translation::Json`.
    Json(CreateTranslationResponseJson),
    /// `Translation::VerboseJson`.
    VerboseJson(CreateTranslationResponseVerboseJson),
    /// `Translation::Text`.
    Text(String),
    /// A shape added after this adapter, in its `Debug` form.
    Other(String),
}

/// Which binary endpoint to call.
#[derive(Clone, Copy, Debug)]
pub enum BinaryCall<'a> {
    /// `audio().speech().create(request)`.
    Speech(&'a CreateSpeechRequest),
    /// `files().content(file_id)`.
    FileContent(&'a str),
}

/// How to read a binary body.
#[derive(Clone, Copy, Debug)]
pub enum ReadAs<'a> {
    /// `bytes()`.
    Whole,
    /// `into_stream()` (async) / `chunks()` (blocking), collected.
    Chunks,
    /// `write_to_file(path)`.
    File(&'a Path),
    /// One `next_chunk()`, then the body is dropped unread.
    FirstChunk,
}

/// A binary body, read as asked.
#[derive(Clone, Debug, Default)]
pub struct Binary {
    /// The metadata, when called through `with_raw_response()`.
    pub meta: Option<ResponseMeta>,
    /// `BinaryResponse::content_type()`.
    pub content_type: Option<String>,
    /// The bytes read (empty for [`ReadAs::File`]).
    pub bytes: Vec<u8>,
    /// How many pieces were read ([`ReadAs::Chunks`]).
    pub chunks: usize,
    /// What `write_to_file` returned ([`ReadAs::File`]).
    pub written: Option<u64>,
}

/// The audio and files operations, seen through blocking calls.
pub trait MediaEndpoints {
    /// `audio().transcriptions().with_options(options).create(file, request)`.
    fn transcription_create(
        &self,
        file: Upload,
        request: &CreateTranscriptionRequest,
        options: &RequestOptions,
    ) -> Result<TranscriptionOut, Error>;
    /// `audio().transcriptions().create_from_url(request)`.
    fn transcription_create_from_url(
        &self,
        request: &CreateTranscriptionRequest,
    ) -> Result<TranscriptionOut, Error>;
    /// `audio().translations().create(file, request)`.
    fn translation_create(
        &self,
        file: Upload,
        request: &CreateTranslationRequest,
    ) -> Result<TranslationOut, Error>;
    /// `files().upload(file, purpose)`.
    fn files_upload(&self, file: Upload, purpose: &str) -> Result<File, Error>;
    /// `files().list()`.
    fn files_list(&self) -> Result<ListFilesResponse, Error>;
    /// `files().retrieve(id)`.
    fn files_retrieve(&self, file_id: &str) -> Result<File, Error>;
    /// `files().delete(id)`.
    fn files_delete(&self, file_id: &str) -> Result<DeleteFileResponse, Error>;
    /// A binary endpoint (speech, file content), optionally through `with_raw_response()`, read as asked.
    /// A failure while reading the body (a cut, a timeout) is returned as the error.
    fn binary(&self, call: BinaryCall<'_>, read: ReadAs<'_>, raw: bool) -> Result<Binary, Error>;
}

/// A client of the kind `driver` drives (`async` or `blocking`), configured with `settings` (base URL, API
/// key, retries, timeout, retry delay scale).
pub fn media_client(
    driver: &dyn Driver,
    settings: &Settings,
) -> Result<Box<dyn MediaEndpoints>, Error> {
    crate::driver::view(driver, settings, |a| Box::new(a), |b| Box::new(b))
}

/// The pieces of a binary body as `groq-async` hands them out: `into_stream()`.
impl Async {
    fn pieces(
        body: groq_async::BinaryResponse,
    ) -> impl futures::Stream<Item = Result<impl std::ops::Deref<Target = [u8]>, Error>> + Unpin
    {
        body.into_stream()
    }
}

/// The pieces of a binary body as `groq-blocking` hands them out: `chunks()`.
impl Blocking {
    fn pieces(body: groq_blocking::BinaryResponse) -> groq_blocking::Chunks {
        body.chunks()
    }
}

crate::adapter_for_both! {
    fn transcription(value: groq::Transcription) -> TranscriptionOut {
        match value {
            groq::Transcription::Json(json) => TranscriptionOut::Json(json),
            groq::Transcription::VerboseJson(verbose) => TranscriptionOut::VerboseJson(verbose),
            groq::Transcription::Text(text) => TranscriptionOut::Text(text),
            other => TranscriptionOut::Other(format!("{other:?}")),
        }
    }

    fn translation(value: groq::Translation) -> TranslationOut {
        match value {
            groq::Translation::Json(json) => TranslationOut::Json(json),
            groq::Translation::VerboseJson(verbose) => TranslationOut::VerboseJson(verbose),
            groq::Translation::Text(text) => TranslationOut::Text(text),
            other => TranslationOut::Other(format!("{other:?}")),
        }
    }

    fn input(upload: Upload) -> groq::FileInput {
        match upload {
            Upload::Bytes { filename, data } => groq::FileInput::bytes(filename, data),
            Upload::Path(path) => groq::FileInput::path(path),
            Upload::Reader { filename, data } => {
                groq::FileInput::reader(filename, std::io::Cursor::new(data))
            }
        }
    }

    // `groq-blocking`'s pieces are an `Iterator`, read with the loop that reads `groq-async`'s `Stream`.
    #[allow(clippy::while_let_on_iterator)]
    async fn read(
        body: groq::BinaryResponse,
        read: ReadAs<'_>,
        mut out: Binary,
    ) -> Result<Binary, Error> {
        out.content_type = body.content_type().map(str::to_owned);
        match read {
            ReadAs::Whole => out.bytes = body.bytes().await?.to_vec(),
            ReadAs::Chunks => {
                let mut pieces = Side::pieces(body);
                while let Some(chunk) = pieces.next().await {
                    out.bytes.extend_from_slice(&chunk?);
                    out.chunks += 1;
                }
            }
            ReadAs::File(path) => out.written = Some(body.write_to_file(path).await?),
            ReadAs::FirstChunk => {
                let mut body = body;
                if let Some(chunk) = body.next_chunk().await? {
                    out.bytes = chunk.to_vec();
                    out.chunks = 1;
                }
            }
        }
        Ok(out)
    }

    impl MediaEndpoints for Side {
        fn transcription_create(
            &self,
            file: Upload,
            request: &CreateTranscriptionRequest,
            options: &RequestOptions,
        ) -> Result<TranscriptionOut, Error> {
            self.run(async {
                self.client
                    .audio()
                    .transcriptions()
                    .with_options(options)
                    .create(input(file), request)
                    .await
                    .map(transcription)
            })
        }
        fn transcription_create_from_url(
            &self,
            request: &CreateTranscriptionRequest,
        ) -> Result<TranscriptionOut, Error> {
            self.run(async {
                self.client
                    .audio()
                    .transcriptions()
                    .create_from_url(request)
                    .await
                    .map(transcription)
            })
        }
        fn translation_create(
            &self,
            file: Upload,
            request: &CreateTranslationRequest,
        ) -> Result<TranslationOut, Error> {
            self.run(async {
                self.client
                    .audio()
                    .translations()
                    .create(input(file), request)
                    .await
                    .map(translation)
            })
        }
        fn files_upload(&self, file: Upload, purpose: &str) -> Result<File, Error> {
            self.run(async { self.client.files().upload(input(file), purpose).await })
        }
        fn files_list(&self) -> Result<ListFilesResponse, Error> {
            self.run(async { self.client.files().list().await })
        }
        fn files_retrieve(&self, file_id: &str) -> Result<File, Error> {
            self.run(async { self.client.files().retrieve(file_id).await })
        }
        fn files_delete(&self, file_id: &str) -> Result<DeleteFileResponse, Error> {
            self.run(async { self.client.files().delete(file_id).await })
        }
        fn binary(
            &self,
            call: BinaryCall<'_>,
            how: ReadAs<'_>,
            raw: bool,
        ) -> Result<Binary, Error> {
            self.run(async {
                let mut out = Binary::default();
                let body = match (call, raw) {
                    (BinaryCall::Speech(request), false) => {
                        self.client.audio().speech().create(request).await?
                    }
                    (BinaryCall::FileContent(id), false) => self.client.files().content(id).await?,
                    (BinaryCall::Speech(request), true) => {
                        let raw = self
                            .client
                            .audio()
                            .speech()
                            .with_raw_response()
                            .create(request)
                            .await?;
                        out.meta = Some(raw.meta().clone());
                        raw.parse()
                    }
                    (BinaryCall::FileContent(id), true) => {
                        let raw = self.client.files().with_raw_response().content(id).await?;
                        out.meta = Some(raw.meta().clone());
                        raw.parse()
                    }
                };
                read(body, how, out).await
            })
        }
    }
}
