//! Lists the models available to your key, and retrieves one.
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-blocking --example models_blocking
//! ```

use groq_blocking::Client;

fn main() -> Result<(), groq_blocking::Error> {
    let client = Client::new()?;
    let models = client.models().list()?;
    for model in &models.data {
        println!(
            "{:<50} {:<14} context {:>7} active {}",
            model.id,
            model.owned_by,
            model.context_window.unwrap_or_default(),
            model.active.unwrap_or_default()
        );
    }
    let model = client.models().retrieve("llama-3.3-70b-versatile")?;
    println!("\n{} (created {})", model.id, model.created);
    Ok(())
}
