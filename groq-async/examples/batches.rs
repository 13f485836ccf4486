//! A whole batch job: write a JSONL file of chat requests, upload it, start a batch, wait until it is
//! finished, then download the results (and the errors, if any) to files.
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-async --example batches
//! ```
//! `GROQ_BASE_URL` points it at another server (a local mock, a proxy). The files are written in the
//! current directory: `batch_input.jsonl`, then `batch_output.jsonl` (and `batch_errors.jsonl`).

use groq_async::types::{
    BatchRequestInput, BatchRequestMethod, ChatCompletionRequestMessage as Message,
    CreateBatchRequest, CreateChatCompletionRequest,
};
use groq_async::{serde_json, Client, Error, FileInput};
use std::time::Duration;

const INPUT: &str = "batch_input.jsonl";
const OUTPUT: &str = "batch_output.jsonl";
const ERRORS: &str = "batch_errors.jsonl";
/// Polling starts after a second and slows down to once a minute.
const FIRST_POLL: Duration = Duration::from_secs(1);
const SLOWEST_POLL: Duration = Duration::from_secs(60);

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = Client::new()?;

    write_input(&["What is a batch API?", "Name three uses of embeddings."])?;
    let file = client
        .files()
        .upload(FileInput::path(INPUT), "batch")
        .await?;
    // The API always sends the id; the spec marks it optional, hence the Option.
    let file_id = file.id.unwrap_or_default();
    println!("uploaded {INPUT} as {file_id}");

    let request = CreateBatchRequest::builder()
        .input_file_id(file_id)
        .endpoint("/v1/chat/completions")
        .completion_window("24h")
        .build()?;
    let mut batch = client.batches().create(&request).await?;
    println!("batch {} is {}", batch.id, batch.status);
    let mut wait = FIRST_POLL;
    while !batch.is_terminal() {
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(SLOWEST_POLL);
        batch = client.batches().retrieve(&batch.id).await?;
        let counts = batch
            .request_counts
            .as_ref()
            .map(|c| format!(" ({}/{} done, {} failed)", c.completed, c.total, c.failed))
            .unwrap_or_default();
        println!("batch {} is {}{counts}", batch.id, batch.status);
    }

    if let Some(output) = &batch.output_file_id {
        let bytes = client
            .files()
            .content(output)
            .await?
            .write_to_file(OUTPUT)
            .await?;
        println!("results: {OUTPUT} ({bytes} bytes)");
    }
    if let Some(errors) = &batch.error_file_id {
        let bytes = client
            .files()
            .content(errors)
            .await?
            .write_to_file(ERRORS)
            .await?;
        println!("errors: {ERRORS} ({bytes} bytes)");
    }
    Ok(())
}

/// Writes one line per question: a `BatchRequestInput` whose `body` is a chat completion request.
fn write_input(questions: &[&str]) -> Result<(), Error> {
    let mut jsonl = String::new();
    for (n, question) in questions.iter().enumerate() {
        let line = BatchRequestInput::default()
            .custom_id(format!("request-{}", n + 1))
            .method(BatchRequestMethod::Post)
            .url("/v1/chat/completions");
        let body = CreateChatCompletionRequest::from_messages(
            "llama-3.1-8b-instant",
            [Message::user(*question)],
        );
        let mut line = serde_json::to_value(line).map_err(invalid)?;
        if let Some(object) = line.as_object_mut() {
            object.insert("body".into(), serde_json::to_value(body).map_err(invalid)?);
        }
        jsonl.push_str(&serde_json::to_string(&line).map_err(invalid)?);
        jsonl.push('\n');
    }
    std::fs::write(INPUT, jsonl)?;
    Ok(())
}

fn invalid(error: serde_json::Error) -> Error {
    Error::InvalidRequest(format!("cannot write the batch input: {error}"))
}
