//! Reasoning models: how the reasoning comes back (`reasoning_format` `parsed` or `raw`, or
//! `include_reasoning`) and how hard the model thinks (`reasoning_effort`).
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-blocking --example reasoning_blocking
//! ```
//! `GROQ_BASE_URL` points it at another server; `cargo xtask demo reasoning_blocking` runs it offline.

use groq_blocking::types::{
    ChatCompletionRequestMessage as Message, CreateChatCompletionRequest, ReasoningEffort,
    ReasoningFormat,
};
use groq_blocking::Client;

const QUESTION: &str = "How many r's are in the word strawberry?";

fn main() -> Result<(), groq_blocking::Error> {
    let client = Client::new()?;

    // `parsed`: the reasoning in its own field, the answer alone in `content`.
    let request =
        CreateChatCompletionRequest::from_messages("qwen/qwen3-32b", [Message::user(QUESTION)])
            .reasoning_format(ReasoningFormat::Parsed)
            .reasoning_effort(ReasoningEffort::Default);
    let completion = client.chat().completions().create(&request)?;
    if let Some(message) = completion.choices.first().map(|c| &c.message) {
        println!("reasoning: {}", message.reasoning.as_deref().unwrap_or("-"));
        println!(
            "answer:    {}\n",
            message.content.as_deref().unwrap_or_default()
        );
    }

    // `raw`: the reasoning inside <think> tags at the start of `content`.
    let request =
        CreateChatCompletionRequest::from_messages("qwen/qwen3-32b", [Message::user(QUESTION)])
            .reasoning_format(ReasoningFormat::Raw);
    let completion = client.chat().completions().create(&request)?;
    println!("{}\n", completion.content().unwrap_or_default());

    // GPT-OSS models: `include_reasoning` (not combinable with `reasoning_format`) and effort low..high.
    let request =
        CreateChatCompletionRequest::from_messages("openai/gpt-oss-20b", [Message::user(QUESTION)])
            .include_reasoning(true)
            .reasoning_effort(ReasoningEffort::Low);
    let completion = client.chat().completions().create(&request)?;
    if let Some(message) = completion.choices.first().map(|c| &c.message) {
        println!("reasoning: {}", message.reasoning.as_deref().unwrap_or("-"));
        println!(
            "answer:    {}",
            message.content.as_deref().unwrap_or_default()
        );
    }
    Ok(())
}
