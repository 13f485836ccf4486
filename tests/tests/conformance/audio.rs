//! The conformance cases of speech, transcriptions and translations: the JSON speech request and the
//! two multipart uploads.

use crate::fixtures::*;
use crate::outcome::{unknown_variant, Outcome};
use crate::{Target, REPS};
use groq_types::{
    AudioResponseFormat, CreateSpeechRequest, CreateTranscriptionRequest, CreateTranslationRequest,
    SpeechModel, SpeechResponseFormat, TimestampGranularity, TranscriptionLanguage,
    TranscriptionModel,
};

pub(crate) fn speech_request(variant: &str) -> CreateSpeechRequest {
    match variant {
        "minimal" => CreateSpeechRequest::builder()
            .model("playai-tts")
            .voice("Fritz-PlayAI")
            .input("Hello from the conformance suite.")
            .build()
            .expect("every required field is set"),
        "full" => CreateSpeechRequest::builder()
            .model(SpeechModel::PlayaiTtsArabic)
            .voice("Ahmad-PlayAI")
            .input("Hello from the conformance suite.")
            .response_format(SpeechResponseFormat::Wav)
            .sample_rate(24_000)
            .speed(1.5)
            .build()
            .expect("every required field is set"),
        other => unknown_variant(other),
    }
}

pub(crate) fn create_speech(target: &Target, variant: &str) -> Vec<Outcome> {
    let request = speech_request(variant);
    on_client!(
        target,
        |c| match wait!(c.audio().speech().with_raw_response().create(&request)) {
            Err(error) => Outcome::from_error(&error),
            Ok(raw) => match Outcome::accepted(raw.meta(), &[]) {
                Err(outcome) => outcome,
                Ok(()) => Outcome::binary(wait!(raw.parse().bytes())),
            },
        }
    )
}

fn full_transcription() -> CreateTranscriptionRequest {
    CreateTranscriptionRequest::new(TranscriptionModel::WhisperLargeV3Turbo)
        .language(TranscriptionLanguage::En)
        .prompt("A short clip of silence.")
        .response_format(AudioResponseFormat::Json)
        .temperature(0.2)
        .timestamp_granularities(vec![
            TimestampGranularity::Word,
            TimestampGranularity::Segment,
        ])
}

pub(crate) fn transcription_request(variant: &str) -> CreateTranscriptionRequest {
    match variant {
        "minimal" => CreateTranscriptionRequest::new("whisper-large-v3"),
        "full" => full_transcription(),
        "url" => full_transcription().url("https://example.com/clip.wav"),
        other => unknown_variant(other),
    }
}

pub(crate) fn create_transcription(target: &Target, variant: &str) -> Vec<Outcome> {
    let wav = wav();
    let request = transcription_request(variant);
    if variant == "url" {
        return on_client!(target, |c| Outcome::json(
            wait!(c
                .audio()
                .transcriptions()
                .with_raw_response()
                .create_from_url(&request)),
            &[]
        ));
    }
    on_client!(target, |c| Outcome::json(
        wait!(c
            .audio()
            .transcriptions()
            .with_raw_response()
            .create(groq::FileInput::bytes("clip.wav", wav.clone()), &request)),
        &[]
    ))
}

fn full_translation() -> CreateTranslationRequest {
    CreateTranslationRequest::new(TranscriptionModel::WhisperLargeV3)
        .prompt("A short clip of silence.")
        .response_format(AudioResponseFormat::Json)
        .temperature(0.2)
}

pub(crate) fn translation_request(variant: &str) -> CreateTranslationRequest {
    match variant {
        "minimal" => CreateTranslationRequest::new("whisper-large-v3"),
        "full" => full_translation(),
        "url" => full_translation().url("https://example.com/clip.wav"),
        other => unknown_variant(other),
    }
}

pub(crate) fn create_translation(target: &Target, variant: &str) -> Vec<Outcome> {
    let wav = wav();
    let request = translation_request(variant);
    if variant == "url" {
        return on_client!(target, |c| Outcome::json(
            wait!(c
                .audio()
                .translations()
                .with_raw_response()
                .create_from_url(&request)),
            &[]
        ));
    }
    on_client!(target, |c| Outcome::json(
        wait!(c
            .audio()
            .translations()
            .with_raw_response()
            .create(groq::FileInput::bytes("clip.wav", wav.clone()), &request)),
        &[]
    ))
}
