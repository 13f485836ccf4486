//! Speaks a sentence and streams the audio straight into a file.
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-blocking --example speech_blocking -- speech.wav
//! ```

use groq_blocking::types::{CreateSpeechRequest, SpeechResponseFormat};
use groq_blocking::Client;

fn main() -> Result<(), groq_blocking::Error> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "speech.wav".to_owned());
    let client = Client::new()?;
    let request = CreateSpeechRequest::builder()
        .model("playai-tts")
        .voice("Fritz-PlayAI")
        .input("I love building and shipping new features for our users!")
        .response_format(SpeechResponseFormat::Wav)
        .build()?;
    let audio = client.audio().speech().create(&request)?;
    let written = audio.write_to_file(&path)?;
    println!("wrote {written} bytes of audio to {path}");
    Ok(())
}
