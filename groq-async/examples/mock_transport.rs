//! Unit-testing code that calls Groq, with no key, network or server: the `test-util` feature's
//! `MockTransport` answers from canned responses and records the requests; the client in front of it is
//! the real one (retries, errors, parsing).
//!
//! `cargo run -p groq-async --example mock_transport --features test-util`

use groq_async::serde_json::json;
use groq_async::test_util::{MockResponse, MockTransport};
use groq_async::types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};

/// The code under test: asks for a one-word summary.
async fn summarise(client: &groq_async::Client, text: &str) -> Result<String, groq_async::Error> {
    let request = CreateChatCompletionRequest::from_messages(
        "llama-3.1-8b-instant",
        [Message::user(format!("One word for: {text}"))],
    );
    let completion = client.chat().completions().create(&request).await?;
    Ok(completion.content().unwrap_or_default().to_owned())
}

#[tokio::main]
async fn main() -> Result<(), groq_async::Error> {
    let mock = MockTransport::new();
    // First a rate limit (retried by the client), then the answer.
    mock.push(MockResponse::error(429, "slow down").header("retry-after-ms", "1"))
        .push(MockResponse::json(json!({
            "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "llama-3.1-8b-instant",
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": "Speed"}}]
        })));
    let client = mock.client()?;

    let word = summarise(&client, "Groq serves tokens quickly").await?;
    println!("answer: {word}");
    for request in mock.requests() {
        let sent = request.json().unwrap_or_default();
        println!(
            "{} {} model={}",
            request.method,
            request.path(),
            sent["model"]
        );
    }
    assert_eq!(word, "Speed");
    assert_eq!(mock.requests().len(), 2);
    Ok(())
}
