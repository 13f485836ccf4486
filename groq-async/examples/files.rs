//! Files: upload a JSONL batch input (streamed from disk), list, retrieve, download and delete it.
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-async --example files -- batch_input.jsonl
//! ```

use groq_async::{Client, FileInput};

#[tokio::main]
async fn main() {
    if let Err(error) = run().await {
        eprintln!("files: {error}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), groq_async::Error> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "batch_input.jsonl".to_owned());
    let client = Client::new()?;
    let uploaded = client
        .files()
        .upload(FileInput::path(&path), "batch")
        .await?;
    let id = uploaded.id.clone().unwrap_or_default();
    println!(
        "uploaded {path} as {id} ({} bytes)",
        uploaded.bytes.unwrap_or_default()
    );

    for file in client.files().list().await?.data {
        println!(
            "- {} {}",
            file.id.unwrap_or_default(),
            file.filename.unwrap_or_default()
        );
    }
    let file = client.files().retrieve(&id).await?;
    println!("retrieved {:?}", file.filename);

    let copy = format!("{path}.downloaded");
    let written = client
        .files()
        .content(&id)
        .await?
        .write_to_file(&copy)
        .await?;
    println!("downloaded {written} bytes to {copy}");

    let deleted = client.files().delete(&id).await?;
    println!("deleted {}: {}", deleted.id, deleted.deleted);
    Ok(())
}
