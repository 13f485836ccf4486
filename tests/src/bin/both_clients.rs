//! A program that links both clients: the async client answers a question, and the blocking client sends
//! the answer back in a follow-up, moving values between them unchanged (they share `groq_types`).

use groq_types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};
use httpmock::prelude::*;
use serde_json::json;

fn main() {
    if let Err(error) = run() {
        eprintln!("both_clients: {error}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let server = MockServer::start();
    let first = server.mock(|when, then| {
        when.method(POST)
            .path("/openai/v1/chat/completions")
            .header("user-agent", format!("groq-rust/{} (async)", env!("CARGO_PKG_VERSION")));
        then.status(200).json_body(json!({
            "id": "c1", "object": "chat.completion", "created": 1, "model": "llama-3.3-70b-versatile",
            "choices": [{"index": 0, "finish_reason": "stop", "logprobs": null,
                         "message": {"role": "assistant", "content": "Fast models answer in real time."}}]
        }));
    });
    let second = server.mock(|when, then| {
        when.method(POST)
            .path("/openai/v1/chat/completions")
            .header("user-agent", format!("groq-rust/{} (blocking)", env!("CARGO_PKG_VERSION")))
            .json_body_includes(r#"{"messages": [{"role": "user", "content": "Why do fast models matter?"}, {"role": "assistant", "content": "Fast models answer in real time."}, {"role": "user", "content": "Shorter, please."}]}"#);
        then.status(200).json_body(json!({
            "id": "c2", "object": "chat.completion", "created": 2, "model": "llama-3.3-70b-versatile",
            "choices": [{"index": 0, "finish_reason": "stop", "logprobs": null,
                         "message": {"role": "assistant", "content": "Real time."}}]
        }));
    });

    let mut messages = vec![Message::user("Why do fast models matter?")];
    let request =
        CreateChatCompletionRequest::from_messages("llama-3.3-70b-versatile", messages.clone());

    let async_client = groq_async::Client::builder()
        .api_key("test-key")
        .base_url(server.base_url())
        .build()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let answer = runtime.block_on(async_client.chat().completions().create(&request))?;

    // The async client's answer goes back to the server through the blocking client, as it is.
    let reply = answer
        .choices
        .into_iter()
        .next()
        .ok_or("no choice")?
        .message;
    messages.push(reply.into());
    messages.push(Message::user("Shorter, please."));
    let follow_up = CreateChatCompletionRequest::from_messages("llama-3.3-70b-versatile", messages);
    let base_url = server.base_url();
    let final_answer = std::thread::spawn(move || -> Result<String, groq_blocking::Error> {
        let blocking_client = groq_blocking::Client::builder()
            .api_key("test-key")
            .base_url(base_url)
            .build()?;
        let completion = blocking_client.chat().completions().create(&follow_up)?;
        Ok(completion.content().unwrap_or_default().to_owned())
    })
    .join()
    .map_err(|_| "the blocking thread panicked")??;

    first.assert_calls(1);
    second.assert_calls(1);
    if final_answer != "Real time." {
        return Err(format!("unexpected answer {final_answer:?}").into());
    }
    println!("both clients in one program: ok ({final_answer})");
    Ok(())
}
