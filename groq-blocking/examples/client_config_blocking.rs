//! Client configuration: retries, timeouts, default headers, a custom HTTP client (here with a proxy),
//! and per-request overrides.
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-blocking --example client_config_blocking
//! GROQ_API_KEY=... cargo run -p groq-blocking --example client_config_blocking -- http://proxy.example:8080
//! ```
//! `GROQ_BASE_URL` points it at another server; `cargo xtask demo client_config_blocking` runs it offline.
//! Without a custom client, the standard `HTTPS_PROXY` / `NO_PROXY` variables are honoured.

use groq_blocking::types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};
use groq_blocking::{Client, RequestOptions};
use std::time::Duration;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut builder = Client::builder()
        // Failed connections, 408, 409, 429 and 5xx answers are retried with backoff (default: 2).
        .max_retries(4)
        // The whole request, and connecting alone.
        .timeout(Duration::from_secs(60))
        .connect_timeout(Duration::from_secs(5))
        // Sent with every request.
        .default_header("X-Request-Source", "client-config-example");

    // A proxy (or any other transport setting) through your own HTTP client.
    if let Some(proxy) = std::env::args().nth(1) {
        // Start from the SDK's builder: it sets up the TLS backend of the crate's features.
        let http = groq_blocking::http_client_builder()?
            .proxy(groq_blocking::reqwest::Proxy::all(&proxy)?)
            .build()?;
        builder = builder.http_client(http);
        println!("using the proxy {proxy}");
    }
    let client = builder.build()?;

    let request = CreateChatCompletionRequest::from_messages(
        "llama-3.1-8b-instant",
        [Message::user("Name one benefit of retries with backoff.")],
    );
    let completion = client.chat().completions().create(&request)?;
    println!("{}", completion.content().unwrap_or_default());

    // One call with other settings: no retries, a short timeout and an extra header.
    let options = RequestOptions::new()
        .max_retries(0)
        .timeout(Duration::from_secs(10))
        .header("X-Trace-Id", "example-123");
    let models = client.models().with_options(&options).list()?;
    println!("{} models available", models.data.len());
    Ok(())
}
