//! Batch jobs keep memory flat with 100 000 lines: writing the JSONL input and reading the typed results
//! of a ~30 MB output file, through both clients, must each grow the heap by far less than the data.
//!
//! The heap is measured by a counting global allocator (current and peak bytes), so this file is its own
//! test binary with a single test: nothing else allocates meanwhile, except the local server, which only
//! copies one 1 000-line part at a time.

use groq_tests::driver::{AsyncDriver, BlockingDriver, Driver, Settings};
use groq_tests::driver_workflows::batch_client;
use groq_tests::heap::heap_growth;
use groq_tests::scripted::{Part, Reply, ScriptedServer};
use groq_types::ergonomics::batch_jobs::JsonlWriter;
use groq_types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};
use serde_json::json;
use std::io::Write;

#[global_allocator]
static ALLOCATOR: groq_tests::heap::Counting = groq_tests::heap::Counting;

const LINES: usize = 100_000;
const LIMIT: usize = 4 * 1024 * 1024;

/// A sink that counts bytes and keeps none.
struct Discard(u64);

impl Write for Discard {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn output_file() -> (Reply, usize) {
    let mut reply = Reply::new(200).header("Content-Type", "application/octet-stream");
    let mut size = 0;
    for part in 0..LINES / 1000 {
        let mut chunk = String::new();
        for i in part * 1000..(part + 1) * 1000 {
            let line = json!({"id": format!("batch_req_{i}"), "custom_id": format!("request-{i}"), "response": {
                "status_code": 200, "request_id": "req_1", "body": {
                    "id": "c", "object": "chat.completion", "created": 1, "model": "llama-3.1-8b-instant",
                    "choices": [{"index": 0, "finish_reason": "stop", "logprobs": null,
                                 "message": {"role": "assistant", "content": format!("answer {i}")}}],
                    "usage": {"prompt_tokens": 20, "completion_tokens": 5, "total_tokens": 25}}}, "error": null});
            chunk.push_str(&line.to_string());
            chunk.push('\n');
        }
        size += chunk.len();
        reply = reply.part(Part::Bytes(chunk.into_bytes()));
    }
    (reply, size)
}

fn read_results(driver: &dyn Driver) {
    let (reply, size) = output_file();
    assert!(size > 25 * 1024 * 1024, "the output file is {size} bytes");
    let server = ScriptedServer::start(vec![reply]);
    let mut settings = Settings::new(server.url());
    settings.max_retries = Some(0);
    let client = batch_client(driver, &settings).unwrap();
    let batch: groq_types::Batch = serde_json::from_value(json!({
        "id": "batch_1", "object": "batch", "endpoint": "/v1/chat/completions", "input_file_id": "file_in",
        "completion_window": "24h", "status": "completed", "created_at": 1, "output_file_id": "file_out"
    }))
    .unwrap();
    let mut ok = 0;
    let mut last = String::new();
    let growth = heap_growth(|| {
        let n = client.batch_results(&batch, &mut |item| {
            let item = item.unwrap();
            assert!(item.result.is_ok(), "{item:?}");
            ok += 1;
            last = item.custom_id;
        });
        assert_eq!(n, LINES);
    });
    assert_eq!(ok, LINES);
    assert_eq!(last, format!("request-{}", LINES - 1));
    assert!(
        growth < LIMIT,
        "{}: reading {size} bytes of results grew the heap by {growth} bytes",
        driver.name()
    );
}

#[test]
fn batch_lines_are_written_and_read_with_flat_memory() {
    let request = CreateChatCompletionRequest::from_messages(
        "llama-3.1-8b-instant",
        [
            Message::system("You are a helpful assistant."),
            Message::user("Summarise the following paragraph in one sentence."),
        ],
    )
    .max_completion_tokens(256);
    let mut written = 0;
    let growth = heap_growth(|| {
        let mut writer = JsonlWriter::new(Discard(0));
        for i in 0..LINES {
            writer.write(&format!("request-{i}"), &request).unwrap();
        }
        written = writer.finish().unwrap().0;
    });
    assert!(written > 15_000_000, "{written} bytes written");
    // The current line, and 8 bytes of each custom_id's hash (in a set that doubles as it grows): a few
    // bytes per line, never the lines themselves.
    let per_line = 32;
    assert!(
        growth < 64 * 1024 + per_line * LINES,
        "writing {written} bytes of JSONL grew the heap by {growth} bytes"
    );

    read_results(&AsyncDriver);
    read_results(&BlockingDriver);
}
