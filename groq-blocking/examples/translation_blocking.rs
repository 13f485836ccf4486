//! Translates the speech in an audio file into English text.
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-blocking --example translation_blocking -- audio.wav
//! ```
//! `GROQ_BASE_URL` points it at another server; `cargo xtask demo translation_blocking` runs it offline.

use groq_blocking::types::{AudioResponseFormat, CreateTranslationRequest};
use groq_blocking::{Client, FileInput};

fn main() -> Result<(), groq_blocking::Error> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "audio.wav".to_owned());
    let client = Client::new()?;
    let request = CreateTranslationRequest::new("whisper-large-v3")
        .response_format(AudioResponseFormat::Text)
        .temperature(0.0);
    let translation = client
        .audio()
        .translations()
        .create(FileInput::path(path), &request)?;
    println!("{}", translation.text());
    Ok(())
}
