//! Stop sequences: generation ends where the model would write one of them (it is not included).
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-async --example stop_sequences
//! ```
//! `GROQ_BASE_URL` points it at another server; `cargo xtask demo stop_sequences` runs it offline.

use groq_async::types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};
use groq_async::Client;

#[tokio::main]
async fn main() -> Result<(), groq_async::Error> {
    let client = Client::new()?;
    let request = CreateChatCompletionRequest::from_messages(
        "llama-3.1-8b-instant",
        [Message::user(
            "Count to 10. Your response must begin with \"1, \". Example: 1, 2, 3, ...",
        )],
    )
    // One sequence, or up to four: `.stop([", 6", "\n"])`.
    .stop(", 6");
    let completion = client.chat().completions().create(&request).await?;
    println!("{}", completion.content().unwrap_or_default());
    if let Some(choice) = completion.choices.first() {
        println!("finish_reason: {}", choice.finish_reason);
    }
    Ok(())
}
