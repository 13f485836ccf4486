//! A chat completion streamed chunk by chunk, printed as it arrives, with the usage at the end.
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-blocking --example streaming_blocking
//! ```

use groq_blocking::types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};
use groq_blocking::Client;
use std::io::Write;

fn main() -> Result<(), groq_blocking::Error> {
    let client = Client::new()?;
    let request = CreateChatCompletionRequest::from_messages(
        "llama-3.3-70b-versatile",
        [
            Message::system("You are a helpful assistant."),
            Message::user("Explain the importance of fast language models"),
        ],
    );
    let stream = client.chat().completions().create_stream(&request)?;
    let mut stdout = std::io::stdout();
    for chunk in stream {
        let chunk = chunk?;
        print!("{}", chunk.delta_content().unwrap_or_default());
        stdout.flush().ok();
        // The last chunk carries the token usage (Groq sends it in `x_groq.usage`).
        if let Some(usage) = chunk.stream_usage() {
            println!("\n\n[{} tokens]", usage.total_tokens);
        }
    }
    println!();
    Ok(())
}
