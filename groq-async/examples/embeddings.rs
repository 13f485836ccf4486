//! Embeddings of a few texts, asked for as base64 (the smallest answer) and decoded to `f32` vectors, then
//! compared by cosine similarity.
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-async --example embeddings
//! ```
//! `GROQ_BASE_URL` points it at another server (a local mock, a proxy).

use groq_async::types::{CreateEmbeddingRequest, EmbeddingEncodingFormat};
use groq_async::Client;

#[tokio::main]
async fn main() -> Result<(), groq_async::Error> {
    let client = Client::new()?;
    let texts = [
        "Fast inference makes language models interactive.",
        "Low latency lets chat assistants answer at once.",
        "The recipe needs two eggs and a cup of flour.",
    ];
    let request = CreateEmbeddingRequest::new(texts, "nomic-embed-text-v1_5")
        .encoding_format(EmbeddingEncodingFormat::Base64);
    let response = client.embeddings().create(&request).await?;
    // `vectors()` decodes either encoding (`float` or `base64`) to f32s, in input order.
    let vectors = response.vectors()?;
    println!(
        "{} vectors of {} dimensions ({} tokens)",
        vectors.len(),
        vectors.first().map_or(0, Vec::len),
        response.usage.total_tokens
    );
    if let Some(first) = vectors.first() {
        for (text, vector) in texts.iter().zip(&vectors).skip(1) {
            println!("{:.3}  {text}", cosine(first, vector));
        }
    }
    Ok(())
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let norm = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
    let denominator = norm(a) * norm(b);
    if denominator == 0.0 {
        0.0
    } else {
        dot / denominator
    }
}
