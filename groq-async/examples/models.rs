//! Lists the models available to your key, and retrieves one.
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-async --example models
//! ```

use groq_async::Client;

#[tokio::main]
async fn main() {
    if let Err(error) = run().await {
        eprintln!("models: {error}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), groq_async::Error> {
    let client = Client::new()?;
    let models = client.models().list().await?;
    for model in &models.data {
        println!("{:<50} {}", model.id, model.owned_by);
    }
    let model = client.models().retrieve("llama-3.3-70b-versatile").await?;
    println!("\n{} (created {})", model.id, model.created);
    Ok(())
}
