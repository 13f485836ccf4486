//! Structured extraction: the answer follows the JSON Schema of a Rust type (strict mode) and comes back
//! parsed into it.
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-async --example structured_extraction
//! ```
//! `GROQ_BASE_URL` points it at another server (a local mock, a proxy).

use groq_async::types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};
use groq_async::Client;

/// A product review, as the model must answer it (doc comments become the schema's descriptions).
#[derive(serde::Deserialize, schemars::JsonSchema)]
struct Review {
    /// The product reviewed.
    product: String,
    /// The rating, from 1 to 5.
    rating: u8,
    /// What the reviewer liked.
    pros: Vec<String>,
    /// What the reviewer disliked.
    cons: Vec<String>,
    /// The reviewer's name, if they give it.
    reviewer: Option<String>,
}

#[tokio::main]
async fn main() {
    if let Err(error) = run().await {
        eprintln!("structured_extraction: {error}");
        if let Some(raw) = error.raw_output() {
            eprintln!("the model wrote: {raw}");
        }
        std::process::exit(1);
    }
}

async fn run() -> Result<(), groq_async::Error> {
    let client = Client::new()?;
    let request = CreateChatCompletionRequest::from_messages(
        "openai/gpt-oss-20b",
        [
            Message::system("Extract the product review."),
            Message::user(
                "I've had the Aurora X200 headphones for a month. Light, great battery, \
                 but the case is flimsy. 4 stars. - Sam",
            ),
        ],
    );
    let review = client
        .chat()
        .completions()
        .create_parsed::<Review>(&request)
        .await?
        .parsed;
    let by = review.reviewer.as_deref().unwrap_or("anonymous");
    println!("{}: {}/5 by {by}", review.product, review.rating);
    println!(
        "pros: {}\ncons: {}",
        review.pros.join(", "),
        review.cons.join(", ")
    );
    Ok(())
}
