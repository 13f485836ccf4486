//! Chat completions: a plain question, then one with a system prompt and sampling settings, printing the
//! answer and the token usage.
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-blocking --example chat_blocking
//! ```
//! `GROQ_BASE_URL` points it at another server; `cargo xtask demo chat_blocking` runs it offline.

use groq_blocking::types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};
use groq_blocking::Client;

fn main() -> Result<(), groq_blocking::Error> {
    // The API key comes from GROQ_API_KEY.
    let client = Client::new()?;

    // The simplest request: a model and one user message.
    let request = CreateChatCompletionRequest::from_messages(
        "llama-3.3-70b-versatile",
        [Message::user(
            "Explain the importance of fast language models",
        )],
    );
    let completion = client.chat().completions().create(&request)?;
    println!("{}\n", completion.content().unwrap_or_default());

    // A system prompt sets the assistant's behaviour; the setters tune sampling and length.
    let request = CreateChatCompletionRequest::from_messages(
        "llama-3.3-70b-versatile",
        [
            Message::system("You are a concise assistant. Answer in two sentences."),
            Message::user("Why does low latency matter for chat assistants?"),
        ],
    )
    .temperature(0.5)
    .top_p(1.0)
    .max_completion_tokens(1024);
    let completion = client.chat().completions().create(&request)?;
    println!("{}", completion.content().unwrap_or_default());
    if let Some(usage) = &completion.usage {
        println!(
            "\ntokens: {} prompt + {} completion = {}",
            usage.prompt_tokens, usage.completion_tokens, usage.total_tokens
        );
    }
    Ok(())
}
