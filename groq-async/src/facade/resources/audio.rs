//! `/openai/v1/audio`: transcriptions and translations (multipart uploads, or a URL), and speech (a binary
//! body).

use super::resource;
use crate::facade::binary::BinaryResponse;
use crate::facade::client::Call;
use crate::facade::upload::FileInput;
use crate::maybe_async;
use groq_types::sdk::raw::{parse_json, BodyParser};
use groq_types::sdk::{Error, RawResponse, RawStream, ResponseMode};
use groq_types::{
    AudioResponseFormat, CreateSpeechRequest, CreateTranscriptionRequest,
    CreateTranscriptionResponseJson, CreateTranscriptionResponseVerboseJson,
    CreateTranslationRequest, CreateTranslationResponseJson, CreateTranslationResponseVerboseJson,
    SpeechResponseFormat,
};
use http::Method;

resource! {
    /// Audio: `client.audio()`.
    Audio
}

impl<'c, M: ResponseMode> Audio<'c, M> {
    /// Speech to text in the spoken language: `client.audio().transcriptions()`.
    pub fn transcriptions(&self) -> Transcriptions<'c, M> {
        Transcriptions {
            handle: self.handle.clone(),
        }
    }

    /// Speech to English text: `client.audio().translations()`.
    pub fn translations(&self) -> Translations<'c, M> {
        Translations {
            handle: self.handle.clone(),
        }
    }

    /// Text to speech: `client.audio().speech()`.
    pub fn speech(&self) -> Speech<'c, M> {
        Speech {
            handle: self.handle.clone(),
        }
    }
}

resource! {
    /// Transcriptions: `client.audio().transcriptions()`.
    Transcriptions
}

resource! {
    /// Translations: `client.audio().translations()`.
    Translations
}

resource! {
    /// Speech: `client.audio().speech()`.
    Speech
}

/// A transcription, in the shape its request's `response_format` asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Transcription {
    /// `json` (the default): the text.
    Json(CreateTranscriptionResponseJson),
    /// `verbose_json`: the text with its language, duration, segments and (when asked) words.
    VerboseJson(CreateTranscriptionResponseVerboseJson),
    /// `text`: the text alone.
    Text(String),
}

impl Transcription {
    /// The transcribed text, whatever the format.
    pub fn text(&self) -> &str {
        match self {
            Self::Json(json) => &json.text,
            Self::VerboseJson(verbose) => &verbose.text,
            Self::Text(text) => text,
        }
    }
}

/// A translation, in the shape its request's `response_format` asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Translation {
    /// `json` (the default): the English text.
    Json(CreateTranslationResponseJson),
    /// `verbose_json`: the text with its language, duration and segments.
    VerboseJson(CreateTranslationResponseVerboseJson),
    /// `text`: the text alone.
    Text(String),
}

impl Translation {
    /// The translated text, whatever the format.
    pub fn text(&self) -> &str {
        match self {
            Self::Json(json) => &json.text,
            Self::VerboseJson(verbose) => &verbose.text,
            Self::Text(text) => text,
        }
    }
}

fn parse_text(body: &[u8]) -> Result<String, Error> {
    String::from_utf8(body.to_vec()).map_err(|e| Error::decode("expected UTF-8 text", e, body))
}

macro_rules! format_parser {
    ($name:ident, $output:ident, $json:ty, $verbose:ty) => {
        fn $name(format: Option<&AudioResponseFormat>) -> (&'static str, BodyParser<$output>) {
            match format {
                Some(AudioResponseFormat::Text) => {
                    ("text/plain", |b| parse_text(b).map($output::Text))
                }
                Some(AudioResponseFormat::VerboseJson) => ("application/json", |b| {
                    parse_json::<$verbose>(b).map($output::VerboseJson)
                }),
                _ => ("application/json", |b| {
                    parse_json::<$json>(b).map($output::Json)
                }),
            }
        }
    };
}

format_parser!(
    transcription_parser,
    Transcription,
    CreateTranscriptionResponseJson,
    CreateTranscriptionResponseVerboseJson
);
format_parser!(
    translation_parser,
    Translation,
    CreateTranslationResponseJson,
    CreateTranslationResponseVerboseJson
);

/// The multipart call for an audio request: either `file`, or the request's own `url`.
fn audio_call<B: serde::Serialize>(
    path: &str,
    request: &B,
    has_url: bool,
    has_file_field: bool,
    file: Option<FileInput>,
    options: &groq_types::sdk::RequestOptions,
) -> Result<Call, Error> {
    if has_file_field {
        return Err(Error::InvalidRequest(
            "pass the audio as a FileInput, not in the request's `file` field".into(),
        ));
    }
    let files = match (file, has_url) {
        (Some(_), true) => {
            return Err(Error::InvalidRequest(
                "give either a file or a `url`, not both".into(),
            ))
        }
        (None, false) => {
            return Err(Error::InvalidRequest(
                "give a file, or set the request's `url`".into(),
            ))
        }
        (Some(file), false) => vec![("file".to_owned(), file)],
        (None, true) => Vec::new(),
    };
    Call::multipart(path, request, &["file"], files, options)
}

impl<M: ResponseMode> Transcriptions<'_, M> {
    /// Transcribes `file` (bytes, a path streamed from disk, or a reader). The result has the shape the
    /// request's `response_format` asks for.
    #[maybe_async]
    pub async fn create(
        &self,
        file: FileInput,
        request: &CreateTranscriptionRequest,
    ) -> Result<M::Output<Transcription>, Error> {
        self.send(Some(file), request).await
    }

    /// Transcribes the audio at the request's `url` (the request is still sent as a multipart form).
    #[maybe_async]
    pub async fn create_from_url(
        &self,
        request: &CreateTranscriptionRequest,
    ) -> Result<M::Output<Transcription>, Error> {
        self.send(None, request).await
    }

    #[maybe_async]
    async fn send(
        &self,
        file: Option<FileInput>,
        request: &CreateTranscriptionRequest,
    ) -> Result<M::Output<Transcription>, Error> {
        let options = &self.handle.options;
        let mut call = audio_call(
            "/openai/v1/audio/transcriptions",
            request,
            request.url.is_some(),
            request.file.is_some(),
            file,
            options,
        )?;
        let (accept, parser) = transcription_parser(request.response_format.as_ref());
        call.accept = accept;
        let raw = self.handle.client.send_body(&call, options).await?;
        M::output(RawResponse::with_parser(raw.0, raw.1, parser))
    }
}

impl<M: ResponseMode> Translations<'_, M> {
    /// Translates the speech in `file` into English text.
    #[maybe_async]
    pub async fn create(
        &self,
        file: FileInput,
        request: &CreateTranslationRequest,
    ) -> Result<M::Output<Translation>, Error> {
        self.send(Some(file), request).await
    }

    /// Translates the audio at the request's `url` into English text.
    #[maybe_async]
    pub async fn create_from_url(
        &self,
        request: &CreateTranslationRequest,
    ) -> Result<M::Output<Translation>, Error> {
        self.send(None, request).await
    }

    #[maybe_async]
    async fn send(
        &self,
        file: Option<FileInput>,
        request: &CreateTranslationRequest,
    ) -> Result<M::Output<Translation>, Error> {
        let options = &self.handle.options;
        let mut call = audio_call(
            "/openai/v1/audio/translations",
            request,
            request.url.is_some(),
            request.file.is_some(),
            file,
            options,
        )?;
        let (accept, parser) = translation_parser(request.response_format.as_ref());
        call.accept = accept;
        let raw = self.handle.client.send_body(&call, options).await?;
        M::output(RawResponse::with_parser(raw.0, raw.1, parser))
    }
}

impl<M: ResponseMode> Speech<'_, M> {
    /// Speaks `input` with `voice`; the audio arrives as a [`BinaryResponse`] to read whole, piece by
    /// piece, or straight into a file.
    #[maybe_async]
    pub async fn create(
        &self,
        request: &CreateSpeechRequest,
    ) -> Result<M::Stream<BinaryResponse>, Error> {
        let options = &self.handle.options;
        let mut call = Call::json(Method::POST, "/openai/v1/audio/speech", request, options)?;
        call.accept = match &request.response_format {
            Some(SpeechResponseFormat::Wav) => "audio/wav",
            Some(SpeechResponseFormat::Mp3) => "audio/mpeg",
            Some(SpeechResponseFormat::Flac) => "audio/flac",
            Some(SpeechResponseFormat::Ogg) => "audio/ogg",
            Some(SpeechResponseFormat::Mulaw) => "audio/basic",
            _ => "audio/*",
        };
        call.stream = true;
        let timeout = options
            .timeout
            .unwrap_or(self.handle.client.config().timeout);
        let (response, meta) = self.handle.client.send(&call, options).await?;
        Ok(M::stream(RawStream::new(
            meta,
            BinaryResponse::new(response, timeout),
        )))
    }
}
