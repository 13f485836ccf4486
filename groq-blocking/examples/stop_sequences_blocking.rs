//! Stop sequences: generation ends where the model would write one of them (it is not included).
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-blocking --example stop_sequences_blocking
//! ```
//! `GROQ_BASE_URL` points it at another server; `cargo xtask demo stop_sequences_blocking` runs it offline.

use groq_blocking::types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};
use groq_blocking::Client;

fn main() -> Result<(), groq_blocking::Error> {
    let client = Client::new()?;
    let request = CreateChatCompletionRequest::from_messages(
        "llama-3.1-8b-instant",
        [Message::user(
            "Count to 10. Your response must begin with \"1, \". Example: 1, 2, 3, ...",
        )],
    )
    // One sequence, or up to four: `.stop([", 6", "\n"])`.
    .stop(", 6");
    let completion = client.chat().completions().create(&request)?;
    println!("{}", completion.content().unwrap_or_default());
    if let Some(choice) = completion.choices.first() {
        println!("finish_reason: {}", choice.finish_reason);
    }
    Ok(())
}
