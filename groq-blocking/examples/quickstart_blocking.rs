//! The first chat completion of Groq's quickstart.
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-blocking --example quickstart_blocking
//! ```
//! `GROQ_BASE_URL` points it at another server (a local mock, a proxy).

use groq_blocking::types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};
use groq_blocking::Client;

fn main() -> Result<(), groq_blocking::Error> {
    let client = Client::new()?;
    let request = CreateChatCompletionRequest::from_messages(
        "llama-3.3-70b-versatile",
        [
            Message::system("You are a helpful assistant."),
            Message::user("Explain the importance of fast language models"),
        ],
    );
    let completion = client.chat().completions().create(&request)?;
    println!("{}", completion.content().unwrap_or_default());
    Ok(())
}
