//! JSON mode: `response_format` `json_object` makes the model answer with one valid JSON object; the
//! system prompt says which fields to write.
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-async --example json_mode
//! ```
//! `GROQ_BASE_URL` points it at another server; `cargo xtask demo json_mode` runs it offline.
//! For answers that must follow a JSON Schema (and typed parsing), see the `structured_extraction` example.

use groq_async::types::{
    ChatCompletionRequestMessage as Message, CreateChatCompletionRequest, ResponseFormat,
};
use groq_async::{serde_json, Client};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::new()?;
    let request = CreateChatCompletionRequest::from_messages(
        "llama-3.3-70b-versatile",
        [
            Message::system(
                "You are a sentiment analysis API. Respond only with JSON of this shape: \
                 {\"sentiment\": \"positive|negative|neutral\", \"confidence\": 0.0-1.0, \"reason\": \"...\"}",
            ),
            Message::user("Analyze: 'The new update made the app twice as fast, I love it!'"),
        ],
    )
    .response_format(ResponseFormat::json_object());
    let completion = client.chat().completions().create(&request).await?;

    // The content is JSON text: parse it like any other JSON.
    let answer: serde_json::Value = serde_json::from_str(completion.content().unwrap_or("{}"))?;
    println!("{}", serde_json::to_string_pretty(&answer)?);
    Ok(())
}
