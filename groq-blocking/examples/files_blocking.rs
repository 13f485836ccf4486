//! Files: upload a JSONL batch input (streamed from disk), list, retrieve, download and delete it.
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-blocking --example files_blocking
//! GROQ_API_KEY=... cargo run -p groq-blocking --example files_blocking -- my_requests.jsonl
//! ```
//! Without a path it writes a one-line `batch_input.jsonl` first. `GROQ_BASE_URL` points it at another
//! server; `cargo xtask demo files_blocking` runs it offline.

use groq_blocking::{Client, FileInput};

fn main() -> Result<(), groq_blocking::Error> {
    let path = match std::env::args().nth(1) {
        Some(path) => path,
        None => {
            let line = r#"{"custom_id":"request-1","method":"POST","url":"/v1/chat/completions","body":{"model":"llama-3.1-8b-instant","messages":[{"role":"user","content":"Hello"}]}}"#;
            std::fs::write("batch_input.jsonl", format!("{line}\n"))?;
            "batch_input.jsonl".to_owned()
        }
    };
    let client = Client::new()?;
    let uploaded = client.files().upload(FileInput::path(&path), "batch")?;
    // The API always sends the id; the spec marks it optional, hence the Option.
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
