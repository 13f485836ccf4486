//! Speaks a sentence and streams the audio straight into a file.
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-async --example speech -- speech.wav
//! ```

use groq_async::types::{CreateSpeechRequest, SpeechResponseFormat};
use groq_async::Client;

#[tokio::main]
async fn main() -> Result<(), groq_async::Error> {
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
    let audio = client.audio().speech().create(&request).await?;
    let written = audio.write_to_file(&path).await?;
    println!("wrote {written} bytes of audio to {path}");
    Ok(())
}
