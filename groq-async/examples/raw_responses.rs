//! Raw responses: the status, headers and body of an answer alongside its parsed value, for a plain
//! call and for a stream.
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-async --example raw_responses
//! ```
//! `GROQ_BASE_URL` points it at another server; `cargo xtask demo raw_responses` runs it offline.

// `StreamExt` gives the stream its `.next()`.
use groq_async::types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};
use groq_async::Client;
use groq_async::StreamExt;

#[tokio::main]
async fn main() -> Result<(), groq_async::Error> {
    let client = Client::new()?;
    let request = CreateChatCompletionRequest::from_messages(
        "llama-3.1-8b-instant",
        [Message::user("Say hello in French.")],
    );

    // `with_raw_response()` returns the answer as received; `parse()` decodes it when you want it.
    let raw = client
        .chat()
        .completions()
        .with_raw_response()
        .create(&request)
        .await?;
    let meta = raw.meta();
    println!(
        "status {}, request id {:?}, {} retries, {:?}",
        meta.status(),
        meta.request_id(),
        meta.retries_taken(),
        meta.elapsed()
    );
    for (name, value) in meta.headers() {
        if name.as_str().starts_with("x-ratelimit") {
            println!("  {name}: {}", value.to_str().unwrap_or("?"));
        }
    }
    println!("body: {} bytes", raw.body().len());
    let completion = raw.parse()?;
    println!("parsed: {}\n", completion.content().unwrap_or_default());

    // A stream: the headers are there before the first chunk; `parse()` gives the chunks.
    let raw = client
        .chat()
        .completions()
        .with_raw_response()
        .create_stream(&request)
        .await?;
    println!(
        "stream status {}, content-type {:?}",
        raw.meta().status(),
        raw.meta().headers().get("content-type")
    );
    let mut stream = raw.parse();
    while let Some(chunk) = stream.next().await {
        print!("{}", chunk?.delta_content().unwrap_or_default());
    }
    println!();
    Ok(())
}
