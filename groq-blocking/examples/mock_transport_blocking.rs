//! Unit-testing code that calls Groq, with no key, network or server: the `test-util` feature's
//! `MockTransport` answers from canned responses and records the requests; the client in front of it is
//! the real one (retries, errors, parsing).
//!
//! `cargo run -p groq-blocking --example mock_transport_blocking --features test-util`

use groq_blocking::serde_json::json;
use groq_blocking::test_util::{MockResponse, MockTransport};
use groq_blocking::types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};

/// The code under test: asks for a one-word summary.
fn summarise(client: &groq_blocking::Client, text: &str) -> Result<String, groq_blocking::Error> {
    let request = CreateChatCompletionRequest::from_messages(
        "llama-3.1-8b-instant",
        [Message::user(format!("One word for: {text}"))],
    );
    let completion = client.chat().completions().create(&request)?;
    Ok(completion.content().unwrap_or_default().to_owned())
}

fn main() -> Result<(), groq_blocking::Error> {
    let mock = MockTransport::new();
    // First a rate limit (retried by the client), then the answer.
    mock.push(MockResponse::error(429, "slow down").header("retry-after-ms", "1"))
        .push(MockResponse::json(json!({
            "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "llama-3.1-8b-instant",
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": "Speed"}}]
        })));
    let client = mock.client()?;

    let word = summarise(&client, "Groq serves tokens quickly")?;
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
