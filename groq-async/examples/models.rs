//! Lists the models available to your key, and retrieves one.
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-async --example models
//! ```

use groq_async::Client;

#[tokio::main]
async fn main() -> Result<(), groq_async::Error> {
    let client = Client::new()?;
    let models = client.models().list().await?;
    for model in &models.data {
        println!(
            "{:<50} {:<14} context {:>7} active {}",
            model.id,
            model.owned_by,
            model.context_window.unwrap_or_default(),
            model.active.unwrap_or_default()
        );
    }
    let model = client.models().retrieve("llama-3.3-70b-versatile").await?;
    println!("\n{} (created {})", model.id, model.created);
    Ok(())
}
