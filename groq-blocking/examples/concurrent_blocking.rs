//! Several chat completions at once, as `asyncio.gather` runs them in Groq's Python examples: each on a
//! thread of its own, all sharing one client (it is `Sync`, and its calls share the connection pool).
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-blocking --example concurrent_blocking
//! ```
//! `GROQ_BASE_URL` points it at another server (a local mock, a proxy).

use groq_blocking::types::{
    ChatCompletion, ChatCompletionRequestMessage as Message, CreateChatCompletionRequest,
};
use groq_blocking::Client;

fn main() -> Result<(), groq_blocking::Error> {
    let client = Client::new()?;
    // Every thread is joined before the scope ends; the answers come back in the order asked.
    let answers: Vec<Result<ChatCompletion, groq_blocking::Error>> = std::thread::scope(|scope| {
        let calls: Vec<_> = (1..=5)
            .map(|number| {
                let client = &client;
                scope.spawn(move || {
                    let request = CreateChatCompletionRequest::from_messages(
                        "llama-3.1-8b-instant",
                        [Message::user(format!(
                            "Give fact number {number} about fast inference, in one sentence."
                        ))],
                    );
                    client.chat().completions().create(&request)
                })
            })
            .collect();
        calls
            .into_iter()
            .map(|call| {
                call.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    for (number, completion) in (1..).zip(answers) {
        println!(
            "Result {number}: {}",
            completion?.content().unwrap_or_default()
        );
    }
    Ok(())
}
