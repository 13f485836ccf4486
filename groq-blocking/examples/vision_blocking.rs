//! Vision: ask about an image given by URL, then about a local image sent inline as base64.
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-blocking --example vision_blocking -- photo.png
//! ```
//! `GROQ_BASE_URL` points it at another server; `cargo xtask demo vision_blocking` runs it offline.

use groq_blocking::types::{
    ChatCompletionRequestMessage as Message, ChatCompletionRequestMessageContentPart as Part,
    CreateChatCompletionRequest,
};
use groq_blocking::Client;

const MODEL: &str = "meta-llama/llama-4-scout-17b-16e-instruct";

fn main() -> Result<(), groq_blocking::Error> {
    let client = Client::new()?;

    // An image on the web: the user message has a text part and an image part.
    let request = CreateChatCompletionRequest::from_messages(
        MODEL,
        [Message::user(vec![
            Part::text("What's in this image?"),
            Part::image_url("https://upload.wikimedia.org/wikipedia/commons/f/f2/LPU-v1-die.jpg"),
        ])],
    );
    let completion = client.chat().completions().create(&request)?;
    println!("{}\n", completion.content().unwrap_or_default());

    // A local image: its bytes go inline as a base64 `data:` URL.
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "image.png".to_owned());
    let bytes = std::fs::read(&path)?;
    let request = CreateChatCompletionRequest::from_messages(
        MODEL,
        [Message::user(vec![
            Part::text("Describe this image in one sentence."),
            Part::image_base64("image/png", &bytes),
        ])],
    );
    let completion = client.chat().completions().create(&request)?;
    println!("{path}: {}", completion.content().unwrap_or_default());
    Ok(())
}
