//! Transcribes an audio file (streamed from disk) with word and segment timestamps.
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-async --example transcription -- audio.wav
//! ```
//! `GROQ_BASE_URL` points it at another server; `cargo xtask demo transcription` runs it offline.

use groq_async::types::{AudioResponseFormat, CreateTranscriptionRequest, TimestampGranularity};
use groq_async::{Client, FileInput, Transcription};

#[tokio::main]
async fn main() -> Result<(), groq_async::Error> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "audio.wav".to_owned());
    let client = Client::new()?;
    let request = CreateTranscriptionRequest::new("whisper-large-v3-turbo")
        .response_format(AudioResponseFormat::VerboseJson)
        .timestamp_granularities(vec![
            TimestampGranularity::Word,
            TimestampGranularity::Segment,
        ])
        .language("en")
        .temperature(0.0);
    let transcription = client
        .audio()
        .transcriptions()
        .create(FileInput::path(path), &request)
        .await?;
    println!("{}", transcription.text());
    if let Transcription::VerboseJson(verbose) = &transcription {
        for segment in &verbose.segments {
            println!(
                "[{:>7.2}s – {:>7.2}s] {}",
                segment.start, segment.end, segment.text
            );
        }
    }
    Ok(())
}
