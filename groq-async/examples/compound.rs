//! Compound: a system that searches the web (and runs code) by itself. `search_settings` narrows the
//! search; the message's `executed_tools` says what ran and what it found.
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-async --example compound
//! ```
//! `GROQ_BASE_URL` points it at another server; `cargo xtask demo compound` runs it offline.

use groq_async::types::{
    ChatCompletionRequestMessage as Message, CreateChatCompletionRequest, SearchSettings,
};
use groq_async::Client;

#[tokio::main]
async fn main() -> Result<(), groq_async::Error> {
    let client = Client::new()?;
    let request = CreateChatCompletionRequest::from_messages(
        "groq/compound",
        [Message::user("What is new in the latest Rust release?")],
    )
    .search_settings(
        SearchSettings::default()
            .include_domains(vec![
                "blog.rust-lang.org".to_owned(),
                "github.com".to_owned(),
            ])
            .country("united states"),
    );
    let completion = client.chat().completions().create(&request).await?;
    let Some(message) = completion.choices.first().map(|c| &c.message) else {
        return Ok(());
    };
    println!("{}\n", message.content.as_deref().unwrap_or_default());

    // What Compound ran to answer: the tool, its arguments, and the pages it read.
    for tool in message.executed_tools.iter().flat_map(|tools| tools.iter()) {
        println!("ran {} with {}", tool.type_, tool.arguments);
        let results = tool.search_results.iter().flat_map(|s| &s.results);
        for result in results {
            println!(
                "  - {} <{}>",
                result.title.as_deref().unwrap_or_default(),
                result.url.as_deref().unwrap_or_default()
            );
        }
    }
    Ok(())
}
