//! The first chat completion of Groq's quickstart.
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-async --example quickstart
//! ```
//! `GROQ_BASE_URL` points it at another server (a local mock, a proxy).

use groq_async::types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};
use groq_async::Client;

#[tokio::main]
async fn main() -> Result<(), groq_async::Error> {
    let client = Client::new()?;
    let request = CreateChatCompletionRequest::from_messages(
        "llama-3.3-70b-versatile",
        [
            Message::system("You are a helpful assistant."),
            Message::user("Explain the importance of fast language models"),
        ],
    );
    let completion = client.chat().completions().create(&request).await?;
    println!("{}", completion.content().unwrap_or_default());
    Ok(())
}
