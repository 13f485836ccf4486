//! Prefilling: end the conversation with the start of the assistant's answer and the model carries on
//! from there. Here it opens a code block, so the answer is code only; the stop sequence ends it at the
//! closing fence.
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-async --example prefilling
//! ```
//! `GROQ_BASE_URL` points it at another server; `cargo xtask demo prefilling` runs it offline.

use groq_async::types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};
use groq_async::Client;

#[tokio::main]
async fn main() -> Result<(), groq_async::Error> {
    let client = Client::new()?;
    let prefix = "```rust";
    let request = CreateChatCompletionRequest::from_messages(
        "llama-3.3-70b-versatile",
        [
            Message::user("Write a Rust function that returns the factorial of a number."),
            Message::assistant(prefix),
        ],
    )
    .stop("```");
    let completion = client.chat().completions().create(&request).await?;
    // The answer continues the prefix, so print both.
    println!("{prefix}{}```", completion.content().unwrap_or_default());
    Ok(())
}
