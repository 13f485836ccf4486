//! Translates the speech in an audio file into English text.
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-async --example translation -- spanish_audio.mp3
//! ```

use groq_async::types::{AudioResponseFormat, CreateTranslationRequest};
use groq_async::{Client, FileInput};

#[tokio::main]
async fn main() {
    if let Err(error) = run().await {
        eprintln!("translation: {error}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), groq_async::Error> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "spanish_audio.mp3".to_owned());
    let client = Client::new()?;
    let request = CreateTranslationRequest::new("whisper-large-v3")
        .response_format(AudioResponseFormat::Text)
        .temperature(0.0);
    let translation = client
        .audio()
        .translations()
        .create(FileInput::path(path), &request)
        .await?;
    println!("{}", translation.text());
    Ok(())
}
