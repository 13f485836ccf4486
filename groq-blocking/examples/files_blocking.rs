//! Files: upload a JSONL batch input (streamed from disk), list, retrieve, download and delete it.
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-blocking --example files_blocking -- batch_input.jsonl
//! ```

use groq_blocking::{Client, FileInput};

fn main() {
    if let Err(error) = run() {
        eprintln!("files: {error}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), groq_blocking::Error> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "batch_input.jsonl".to_owned());
    let client = Client::new()?;
    let uploaded = client.files().upload(FileInput::path(&path), "batch")?;
    let id = uploaded.id.clone().unwrap_or_default();
    println!(
        "uploaded {path} as {id} ({} bytes)",
        uploaded.bytes.unwrap_or_default()
    );

    for file in client.files().list()?.data {
        println!(
            "- {} {}",
            file.id.unwrap_or_default(),
            file.filename.unwrap_or_default()
        );
    }
    let file = client.files().retrieve(&id)?;
    println!("retrieved {:?}", file.filename);

    let copy = format!("{path}.downloaded");
    let written = client.files().content(&id)?.write_to_file(&copy)?;
    println!("downloaded {written} bytes to {copy}");

    let deleted = client.files().delete(&id)?;
    println!("deleted {}: {}", deleted.id, deleted.deleted);
    Ok(())
}
