//! Lists the models available to your key, and retrieves one.
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-blocking --example models_blocking
//! ```

use groq_blocking::Client;

fn main() {
    if let Err(error) = run() {
        eprintln!("models: {error}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), groq_blocking::Error> {
    let client = Client::new()?;
    let models = client.models().list()?;
    for model in &models.data {
        println!("{:<50} {}", model.id, model.owned_by);
    }
    let model = client.models().retrieve("llama-3.3-70b-versatile")?;
    println!("\n{} (created {})", model.id, model.created);
    Ok(())
}
