//! `/openai/v1/audio`: transcriptions and translations (multipart uploads, or a URL), and speech (a binary
//! body).

use super::{resource, Handle};
use crate::facade::binary::BinaryResponse;
use crate::facade::client::Call;
use crate::facade::doc::example;
use crate::facade::upload::FileInput;
use crate::maybe_async;
use groq_types::sdk::raw::{parse_json, BodyParser};
use groq_types::sdk::{Error, ResponseMode};
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

/// A transcription, in the shape its request's `response_format` asked for. It serialises as the API
/// sent it: an object, or a string for `text`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
#[non_exhaustive]
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

/// A translation, in the shape its request's `response_format` asked for. It serialises as the API
/// sent it: an object, or a string for `text`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
#[non_exhaustive]
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
        fn $name(format: Option<&AudioResponseFormat>) -> BodyParser<$output> {
            match format {
                Some(AudioResponseFormat::Text) => |b| parse_text(b).map($output::Text),
                Some(AudioResponseFormat::VerboseJson) => {
                    |b| parse_json::<$verbose>(b).map($output::VerboseJson)
                }
                _ => |b| parse_json::<$json>(b).map($output::Json),
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

/// What transcription and translation requests have in common.
trait AudioRequest: serde::Serialize {
    /// The endpoint.
    const PATH: &'static str;
    /// The result, typed by `response_format`.
    type Output;
    /// Whether the request names its audio by `url`.
    fn has_url(&self) -> bool;
    /// The parser for the requested `response_format`. Every format is asked for with `Accept:
    /// application/json`, the one type the published spec gives these answers, as the official SDKs ask.
    fn parser(&self) -> BodyParser<Self::Output>;
}

impl AudioRequest for CreateTranscriptionRequest {
    const PATH: &'static str = "/openai/v1/audio/transcriptions";
    type Output = Transcription;
    fn has_url(&self) -> bool {
        self.url.is_some()
    }
    fn parser(&self) -> BodyParser<Transcription> {
        transcription_parser(self.response_format.as_ref())
    }
}

impl AudioRequest for CreateTranslationRequest {
    const PATH: &'static str = "/openai/v1/audio/translations";
    type Output = Translation;
    fn has_url(&self) -> bool {
        self.url.is_some()
    }
    fn parser(&self) -> BodyParser<Translation> {
        translation_parser(self.response_format.as_ref())
    }
}

/// Sends an audio request as a multipart form: either `file`, or the request's own `url`, never both.
#[maybe_async]
async fn send_audio<M: ResponseMode, R: AudioRequest>(
    handle: &Handle<'_, M>,
    file: Option<FileInput>,
    request: &R,
) -> Result<M::Output<R::Output>, Error> {
    let files = match (file, request.has_url()) {
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
    let call = Call::multipart(R::PATH, request, &["file"], files, &handle.options)?;
    handle.parsed_with(call, request.parser()).await
}

impl<M: ResponseMode> Transcriptions<'_, M> {
    /// Transcribes `file` (bytes, a path streamed from disk, or a reader). The result has the shape the
    /// request's `response_format` asks for.
    ///
    #[doc = example!(use "types::{AudioResponseFormat, CreateTranscriptionRequest, TimestampGranularity}", "{FileInput, Transcription}"; r#"
let request = CreateTranscriptionRequest::new("whisper-large-v3-turbo")
    .response_format(AudioResponseFormat::VerboseJson)
    .timestamp_granularities(vec![TimestampGranularity::Segment])
    .language("en");
let file = FileInput::path("interview.m4a");
let transcription = client.audio().transcriptions().create(file, &request)"#, aw!(), r#"?;
println!("{}", transcription.text());
if let Transcription::VerboseJson(verbose) = &transcription {
    for segment in &verbose.segments {
        println!("[{:.2}s - {:.2}s] {}", segment.start, segment.end, segment.text);
    }
}"#)]
    #[maybe_async]
    pub async fn create(
        &self,
        file: FileInput,
        request: &CreateTranscriptionRequest,
    ) -> Result<M::Output<Transcription>, Error> {
        send_audio(&self.handle, Some(file), request).await
    }

    /// Transcribes the audio at the request's `url` (the request is still sent as a multipart form).
    ///
    #[doc = example!(use "types::CreateTranscriptionRequest"; r#"
let request = CreateTranscriptionRequest::new("whisper-large-v3").url("https://example.com/interview.m4a");
let transcription = client.audio().transcriptions().create_from_url(&request)"#, aw!(), r#"?;
println!("{}", transcription.text());"#)]
    #[maybe_async]
    pub async fn create_from_url(
        &self,
        request: &CreateTranscriptionRequest,
    ) -> Result<M::Output<Transcription>, Error> {
        send_audio(&self.handle, None, request).await
    }
}

impl<M: ResponseMode> Translations<'_, M> {
    /// Translates the speech in `file` into English text.
    ///
    #[doc = example!(use "types::CreateTranslationRequest", "FileInput"; r#"
let request = CreateTranslationRequest::new("whisper-large-v3").temperature(0.0);
let audio = std::fs::read("interview-fr.m4a")?;
let file = FileInput::bytes("interview-fr.m4a", audio);
let translation = client.audio().translations().create(file, &request)"#, aw!(), r#"?;
println!("{}", translation.text());"#)]
    #[maybe_async]
    pub async fn create(
        &self,
        file: FileInput,
        request: &CreateTranslationRequest,
    ) -> Result<M::Output<Translation>, Error> {
        send_audio(&self.handle, Some(file), request).await
    }

    /// Translates the audio at the request's `url` into English text.
    ///
    #[doc = example!(use "types::CreateTranslationRequest"; r#"
let request = CreateTranslationRequest::new("whisper-large-v3").url("https://example.com/interview.m4a");
let translation = client.audio().translations().create_from_url(&request)"#, aw!(), r#"?;
println!("{}", translation.text());"#)]
    #[maybe_async]
    pub async fn create_from_url(
        &self,
        request: &CreateTranslationRequest,
    ) -> Result<M::Output<Translation>, Error> {
        send_audio(&self.handle, None, request).await
    }
}

impl<M: ResponseMode> Speech<'_, M> {
    /// Speaks `input` with `voice`; the audio arrives as a [`BinaryResponse`] to read whole, piece by
    /// piece, or straight into a file.
    ///
    #[doc = example!(use "types::{CreateSpeechRequest, SpeechResponseFormat}"; r#"
let request = CreateSpeechRequest::builder()
    .model("playai-tts")
    .voice("Fritz-PlayAI")
    .input("I love building and shipping new features for our users!")
    .response_format(SpeechResponseFormat::Wav)
    .build()?;
let audio = client.audio().speech().create(&request)"#, aw!(), r#"?;
let written = audio.write_to_file("speech.wav")"#, aw!(), r#"?;
println!("{written} bytes of audio");"#)]
    #[maybe_async]
    pub async fn create(
        &self,
        request: &CreateSpeechRequest,
    ) -> Result<M::Stream<BinaryResponse>, Error> {
        let mut call = self
            .handle
            .json_call(Method::POST, "/openai/v1/audio/speech", request)?;
        call.accept = match &request.response_format {
            Some(SpeechResponseFormat::Wav) => "audio/wav",
            Some(SpeechResponseFormat::Mp3) => "audio/mpeg",
            Some(SpeechResponseFormat::Flac) => "audio/flac",
            Some(SpeechResponseFormat::Ogg) => "audio/ogg",
            Some(SpeechResponseFormat::Mulaw) => "audio/basic",
            _ => "audio/*",
        };
        self.handle.streamed(call, BinaryResponse::new).await
    }
}
