//! Several chat completions at once, as `asyncio.gather` runs them in Groq's Python examples: each in a task
//! of its own, all sharing one client (a clone is cheap and shares the connection pool).
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-async --example concurrent
//! ```
//! `GROQ_BASE_URL` points it at another server (a local mock, a proxy).

use groq_async::types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};
use groq_async::Client;
use tokio::task::JoinSet;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::new()?;
    let mut calls = JoinSet::new();
    for number in 1..=5 {
        let client = client.clone();
        calls.spawn(async move {
            let request = CreateChatCompletionRequest::from_messages(
                "llama-3.1-8b-instant",
                [Message::user(format!(
                    "Give fact number {number} about fast inference, in one sentence."
                ))],
            );
            (number, client.chat().completions().create(&request).await)
        });
    }
    // In the order they finish; the first error ends the program (the other calls are dropped with
    // the set).
    let mut answers = Vec::new();
    while let Some(joined) = calls.join_next().await {
        let (number, completion) = joined?;
        answers.push((number, completion?));
    }
    answers.sort_by_key(|(number, _)| *number);
    for (number, completion) in &answers {
        println!(
            "Result {number}: {}",
            completion.content().unwrap_or_default()
        );
    }
    Ok(())
}
