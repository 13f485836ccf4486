//! Error handling: provoke the common failures and tell them apart by matching on `Error` (API errors
//! by status, connection and timeout errors), then read the rate-limit headers of a successful call.
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-blocking --example errors_blocking
//! ```
//! `GROQ_BASE_URL` points it at another server; `cargo xtask demo errors_blocking` runs it offline.

use groq_blocking::types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};
use groq_blocking::{Client, Error};
use std::time::Duration;

fn main() -> Result<(), Error> {
    let client = Client::new()?;
    let ask = |model: &str| {
        CreateChatCompletionRequest::from_messages(model, [Message::user("Say hello")])
    };

    println!("a model that does not exist:");
    explain(client.chat().completions().create(&ask("no-such-model")));

    println!("a value out of range (temperature 5):");
    explain(
        client
            .chat()
            .completions()
            .create(&ask("llama-3.1-8b-instant").temperature(5.0)),
    );

    println!("a wrong API key:");
    let wrong_key = Client::builder().api_key("not-a-groq-key").build()?;
    explain(
        wrong_key
            .chat()
            .completions()
            .create(&ask("llama-3.1-8b-instant")),
    );

    println!("no server listening:");
    let nowhere = Client::builder()
        .base_url("http://127.0.0.1:9")
        .max_retries(0)
        .build()?;
    explain(nowhere.models().list());

    println!("a timeout too short for any answer:");
    let hasty = Client::builder()
        .timeout(Duration::from_millis(1))
        .max_retries(0)
        .build()?;
    explain(hasty.models().list());

    // Rate limits: every answer carries them; `with_raw_response()` gives the headers with the body.
    let raw = client
        .chat()
        .completions()
        .with_raw_response()
        .create(&ask("llama-3.1-8b-instant"))?;
    let limits = raw.meta().rate_limit();
    println!(
        "rate limits: {:?} of {:?} requests left (reset in {:?}), {:?} tokens left; request id {:?}",
        limits.remaining_requests,
        limits.limit_requests,
        limits.reset_requests,
        limits.remaining_tokens,
        raw.meta().request_id()
    );
    let completion = raw.parse()?;
    println!(
        "and the answer: {}",
        completion.content().unwrap_or_default()
    );
    Ok(())
}

/// Prints what kind of error a call ended with, and what to do about it.
fn explain<T>(result: Result<T, Error>) {
    let text = match result {
        Ok(_) => "it worked".to_owned(),
        Err(Error::BadRequest(api)) => {
            format!(
                "400 bad request, fix `{}`: {}",
                api.param.as_deref().unwrap_or("?"),
                api.message
            )
        }
        Err(Error::Authentication(api)) => format!("401, check GROQ_API_KEY: {}", api.message),
        Err(Error::PermissionDenied(api)) => format!("403 permission denied: {}", api.message),
        Err(Error::NotFound(api)) => {
            format!(
                "404 not found ({}): {}",
                api.code.as_deref().unwrap_or("-"),
                api.message
            )
        }
        Err(Error::Conflict(api)) | Err(Error::UnprocessableEntity(api)) => {
            format!("{}: {}", api.status, api.message)
        }
        // Retried automatically (`max_retries`); this is what is left after the last attempt.
        Err(Error::RateLimit(api)) => format!(
            "429 rate limited; retry after {:?}",
            groq_blocking::RateLimitInfo::from_headers(&api.headers).retry_after
        ),
        Err(Error::InternalServer(api)) => format!("{} server error: {}", api.status, api.message),
        // Any other status, e.g. 498 when the flex tier has no capacity.
        Err(Error::Status(api)) => format!("status {}: {}", api.status, api.message),
        Err(Error::Connection { message, .. }) => format!("connection failed: {message}"),
        Err(Error::Timeout { message, .. }) => format!("timed out: {message}"),
        Err(error @ (Error::IncompleteStream | Error::Stream(_))) => {
            format!("stream broke: {error}")
        }
        Err(Error::Decode { message, .. }) => format!("unexpected answer: {message}"),
        Err(error @ (Error::Config(_) | Error::InvalidRequest(_))) => {
            format!("caught before sending: {error}")
        }
        Err(other) => format!("other error: {other}"),
    };
    println!("  -> {text}");
}
