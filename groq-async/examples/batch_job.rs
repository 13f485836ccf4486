//! A whole batch job with typed lines: write the JSONL input (streamed to disk), submit it (upload and
//! create), wait for the batch with progress reports, then read the typed results as they download.
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-async --example batch_job
//! ```
//! `GROQ_BASE_URL` points it at another server (a local mock, a proxy). The input is written to
//! `batch_input.jsonl` in the current directory.

use groq_async::types::ergonomics::batch_jobs::{write_jsonl_file, PollSchedule};
use groq_async::types::{
    ChatCompletion, ChatCompletionRequestMessage as Message, CreateChatCompletionRequest,
};
use groq_async::Client;

const INPUT: &str = "batch_input.jsonl";

#[tokio::main]
async fn main() -> Result<(), groq_async::Error> {
    let client = Client::new()?;
    let questions = ["What is 2+2?", "What is 2+3?", "What is quantum computing?"];
    let lines = questions.iter().enumerate().map(|(i, question)| {
        let request = CreateChatCompletionRequest::from_messages(
            "llama-3.1-8b-instant",
            [Message::user(*question)],
        );
        (format!("request-{}", i + 1), request)
    });
    write_jsonl_file(INPUT, lines)?;

    let jobs = client.batch_jobs();
    let batch = jobs
        .submit::<CreateChatCompletionRequest>(INPUT, "24h")
        .await?;
    println!("batch {} submitted", batch.id);
    let batch = jobs
        .wait(&batch.id, &PollSchedule::default(), |batch| {
            let counts = batch.request_counts.as_ref();
            let done = counts.map_or(0, |c| c.completed + c.failed);
            let total = counts.map_or(0, |c| c.total);
            eprintln!("{}: {done}/{total}", batch.status);
        })
        .await?;

    let mut results = jobs.results::<ChatCompletion>(&batch);
    while let Some(item) = results.next_result().await {
        let item = item?;
        match item.result {
            Ok(completion) => println!(
                "{}: {}",
                item.custom_id,
                completion.content().unwrap_or_default()
            ),
            Err(error) => println!("{}: failed: {error}", item.custom_id),
        }
    }
    Ok(())
}
