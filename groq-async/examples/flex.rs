//! The flex service tier: cheaper, best-effort processing. When flex has no capacity the API answers
//! status 498; this example then retries on the default (`on_demand`) tier.
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-async --example flex
//! ```
//! `GROQ_BASE_URL` points it at another server; `cargo xtask demo flex` runs it offline.

use groq_async::types::{
    ChatCompletionRequestMessage as Message, CreateChatCompletionRequest, ServiceTier,
};
use groq_async::Client;

#[tokio::main]
async fn main() -> Result<(), groq_async::Error> {
    let client = Client::new()?;
    let request = CreateChatCompletionRequest::from_messages(
        "llama-3.3-70b-versatile",
        [Message::user(
            "Summarise why batching requests saves money.",
        )],
    )
    .service_tier(ServiceTier::Flex);
    let completion = match client.chat().completions().create(&request).await {
        // 498: flex capacity exceeded; try again on the on-demand tier.
        Err(error) if error.status().map(|s| s.as_u16()) == Some(498) => {
            eprintln!("flex is busy ({error}); using on_demand");
            let request = request.service_tier(ServiceTier::OnDemand);
            client.chat().completions().create(&request).await?
        }
        result => result?,
    };
    println!("{}", completion.content().unwrap_or_default());
    if let Some(tier) = &completion.service_tier {
        println!("served on the {tier} tier");
    }
    Ok(())
}
