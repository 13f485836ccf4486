//! Batch jobs end to end against a local scripted server, for both clients: submit (upload then create),
//! wait through validating -> in_progress -> finalizing -> completed with progress reports and a
//! rate-limited poll, typed results from the output and error files, lookup by custom_id, and the clear
//! errors of failed, expired and cancelled batches.

use groq_tests::driver::{Driver, Settings};
use groq_tests::driver_workflows::{batch_client, BatchWorkflows};
use groq_tests::for_both_clients;
use groq_tests::scripted::{Part, Reply, ScriptedServer};
use groq_types::ergonomics::batch_jobs::{write_jsonl_file, PollSchedule};
use groq_types::ergonomics::parsed::WorkflowError;
use groq_types::sdk::Error;
use groq_types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};
use serde_json::{json, Value};
use std::time::Duration;

fn client(driver: &dyn Driver, server: &ScriptedServer) -> Box<dyn BatchWorkflows> {
    let mut settings = Settings::new(server.url());
    settings.max_retries = Some(0);
    batch_client(driver, &settings).unwrap()
}

/// No waiting between polls: the scenarios never depend on time.
fn no_delay() -> PollSchedule {
    PollSchedule::default()
        .initial_delay(Duration::ZERO)
        .max_delay(Duration::ZERO)
        .factor(1.0)
}

fn batch(status: &str, counts: [i64; 3], extra: Value) -> Value {
    let mut batch = json!({
        "id": "batch_1", "object": "batch", "endpoint": "/v1/chat/completions",
        "input_file_id": "file_in", "completion_window": "24h", "status": status, "created_at": 1,
        "request_counts": {"total": counts[0], "completed": counts[1], "failed": counts[2]}
    });
    if let (Some(batch), Value::Object(extra)) = (batch.as_object_mut(), extra) {
        batch.extend(extra);
    }
    batch
}

fn reply(value: &Value) -> Reply {
    Reply::json(200, &value.to_string())
}

fn output_line(custom_id: &str, content: &str) -> String {
    json!({"id": format!("batch_req_{custom_id}"), "custom_id": custom_id, "response": {
        "status_code": 200, "request_id": "req_1", "body": {
            "id": "c", "object": "chat.completion", "created": 1, "model": "llama-3.1-8b-instant",
            "choices": [{"index": 0, "finish_reason": "stop", "logprobs": null,
                         "message": {"role": "assistant", "content": content}}]}}, "error": null})
    .to_string()
}

fn download(lines: &[String]) -> Reply {
    let mut body = lines.join("\n");
    body.push('\n');
    Reply::bytes(200, "application/octet-stream", body.as_bytes())
}

fn batch_job_moves_through_its_states_and_yields_typed_results(driver: &dyn Driver) {
    let dir = std::env::temp_dir().join(format!(
        "groq-batch-{}-{}",
        driver.name(),
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("input.jsonl");
    let lines = (1..=3).map(|n| {
        (
            format!("request-{n}"),
            CreateChatCompletionRequest::from_messages(
                "llama-3.1-8b-instant",
                [Message::user(format!("What is 2+{n}?"))],
            ),
        )
    });
    assert_eq!(write_jsonl_file(&input, lines).unwrap(), 3);

    let error_line = json!({"id": "batch_req_3", "custom_id": "request-3", "response": {
        "status_code": 400, "body": {"error": {"message": "context too long", "code": "context_length_exceeded"}}},
        "error": null}).to_string();
    let done = json!({"output_file_id": "file_out", "error_file_id": "file_err"});
    let server = ScriptedServer::start(vec![
        reply(
            &json!({"id": "file_in", "object": "file", "bytes": 1, "created_at": 1,
                      "filename": "input.jsonl", "purpose": "batch"}),
        ),
        reply(&batch("validating", [0, 0, 0], json!({}))),
        reply(&batch("validating", [0, 0, 0], json!({}))),
        reply(&batch("in_progress", [3, 1, 0], json!({}))),
        Reply::json(429, r#"{"error": {"message": "slow down"}}"#).header("retry-after-ms", "1"),
        reply(&batch("finalizing", [3, 2, 1], json!({}))),
        reply(&batch("completed", [3, 2, 1], done)),
        download(&[output_line("request-2", "5"), output_line("request-1", "4")]),
        download(&[error_line]),
        download(&[output_line("request-2", "5"), output_line("request-1", "4")]),
    ]);
    let client = client(driver, &server);

    let submitted = client.batch_submit(&input).unwrap();
    assert_eq!(submitted.id, "batch_1");
    let requests = server.requests();
    let upload = requests.first().unwrap();
    assert_eq!(upload.path(), "/openai/v1/files");
    let upload_body = upload.body_text();
    assert!(
        upload_body.contains("name=\"purpose\"\r\n\r\nbatch"),
        "{upload_body}"
    );
    assert!(upload_body.contains(
        r#"{"custom_id":"request-1","method":"POST","url":"/v1/chat/completions","body":{"#
    ));
    let create = requests.get(1).unwrap();
    assert_eq!(create.path(), "/openai/v1/batches");
    assert_eq!(
        serde_json::from_slice::<Value>(&create.body).unwrap(),
        json!({"input_file_id": "file_in", "endpoint": "/v1/chat/completions", "completion_window": "24h"})
    );

    let (finished, seen) = client.batch_wait("batch_1", &no_delay());
    let finished = finished.unwrap();
    assert_eq!(finished.output_file_id.as_deref(), Some("file_out"));
    assert_eq!(
        seen,
        vec![
            ("validating".into(), Some((0, 0, 0))),
            ("in_progress".into(), Some((3, 1, 0))),
            ("finalizing".into(), Some((3, 2, 1))),
            ("completed".into(), Some((3, 2, 1))),
        ]
    );
    let polls: Vec<String> = server.requests()[2..7]
        .iter()
        .map(|r| format!("{} {}", r.method, r.path()))
        .collect();
    assert!(
        polls.iter().all(|p| p == "GET /openai/v1/batches/batch_1"),
        "{polls:?}"
    );

    let mut results = Vec::new();
    let n = client.batch_results(&finished, &mut |item| results.push(item.unwrap()));
    assert_eq!(n, 3);
    let ids: Vec<&str> = results.iter().map(|r| r.custom_id.as_str()).collect();
    assert_eq!(ids, ["request-2", "request-1", "request-3"]);
    assert_eq!(results[0].result.as_ref().unwrap().content(), Some("5"));
    let error = results[2].result.as_ref().unwrap_err();
    assert_eq!(error.status_code, Some(400));
    assert_eq!(error.code.as_deref(), Some("context_length_exceeded"));
    assert_eq!(error.message, "context too long");
    let downloads: Vec<String> = server.requests()[7..9]
        .iter()
        .map(|r| r.path().to_owned())
        .collect();
    assert_eq!(
        downloads,
        [
            "/openai/v1/files/file_out/content",
            "/openai/v1/files/file_err/content"
        ]
    );

    // Looking up one custom_id reads only as far as needed.
    let found = client.batch_find(&finished, "request-1").unwrap().unwrap();
    assert_eq!(found.result.unwrap().content(), Some("4"));
    assert_eq!(server.requests().len(), 10);
    let _ = std::fs::remove_dir_all(&dir);
}

fn failed_expired_and_cancelled_batches_are_clear_errors(driver: &dyn Driver) {
    let failed = batch(
        "failed",
        [0, 0, 0],
        json!({"errors": {"object": "list", "data": [
            {"code": "invalid_method", "message": "Invalid value: 'GET'. Supported values are: 'POST'", "param": "method", "line": 4}
        ]}}),
    );
    let expired = batch(
        "expired",
        [10, 6, 0],
        json!({"output_file_id": "file_out", "errors": []}),
    );
    let cancelled = batch("cancelled", [10, 2, 0], json!({}));
    let server = ScriptedServer::start(vec![
        reply(&batch("validating", [0, 0, 0], json!({}))),
        reply(&failed),
        reply(&expired),
        reply(&batch("cancelling", [10, 2, 0], json!({}))),
        reply(&cancelled),
    ]);
    let client = client(driver, &server);
    let ended = |result: Result<groq_types::Batch, Error>| match result {
        Err(Error::Workflow(error)) => *error,
        other => panic!("expected the batch to end in error, got {other:?}"),
    };

    let (result, seen) = client.batch_wait("batch_1", &no_delay());
    assert_eq!(seen.len(), 2);
    let error = ended(result);
    match &error {
        WorkflowError::BatchEnded {
            batch_id,
            status,
            errors,
            output_file_id: None,
            error_file_id: None,
            ..
        } => {
            assert_eq!((batch_id.as_str(), status.as_str()), ("batch_1", "failed"));
            assert_eq!(
                errors,
                &["line 4: [invalid_method] Invalid value: 'GET'. Supported values are: 'POST'"]
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(
        error
            .to_string()
            .contains("batch batch_1 ended failed: line 4"),
        "{error}"
    );

    let (result, _) = client.batch_wait("batch_1", &no_delay());
    match ended(result) {
        WorkflowError::BatchEnded {
            status,
            output_file_id,
            errors,
            ..
        } => {
            assert_eq!(status, "expired");
            assert_eq!(output_file_id.as_deref(), Some("file_out"));
            assert!(errors.is_empty());
        }
        other => panic!("{other:?}"),
    }

    let (result, seen) = client.batch_wait("batch_1", &no_delay());
    assert_eq!(
        seen.iter().map(|s| s.0.as_str()).collect::<Vec<_>>(),
        ["cancelling", "cancelled"]
    );
    assert!(
        matches!(ended(result), WorkflowError::BatchEnded { status, .. } if status == "cancelled")
    );
}

fn a_broken_download_ends_the_results_with_an_error(driver: &dyn Driver) {
    let done = batch(
        "completed",
        [2, 2, 0],
        json!({"output_file_id": "file_out"}),
    );
    let first = output_line("a", "1");
    let server = ScriptedServer::start(vec![Reply::new(200)
        .header("Content-Type", "application/octet-stream")
        .part(Part::Bytes(format!("{first}\n").into_bytes()))
        .part(Part::Bytes(b"{\"custom_id\":\"b\",\"resp".to_vec()))
        .part(Part::Cut)]);
    let client = client(driver, &server);
    let batch: groq_types::Batch = serde_json::from_value(done).unwrap();
    let mut items = Vec::new();
    client.batch_results(&batch, &mut |item| items.push(item));
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().custom_id, "a");
    assert!(items[1].is_err(), "{:?}", items[1]);
}

fn a_line_that_does_not_decode_is_an_error_and_reading_goes_on(driver: &dyn Driver) {
    let done = batch(
        "completed",
        [2, 2, 0],
        json!({"output_file_id": "file_out"}),
    );
    let server = ScriptedServer::start(vec![download(&[
        r#"{"custom_id":"a","resp"#.to_owned(),
        output_line("b", "2"),
    ])]);
    let client = client(driver, &server);
    let batch: groq_types::Batch = serde_json::from_value(done).unwrap();
    let mut items = Vec::new();
    client.batch_results(&batch, &mut |item| items.push(item));
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(items[0].is_err(), "{:?}", items[0]);
    assert_eq!(items[1].as_ref().unwrap().custom_id, "b");
}

fn results_read_past_a_byte_order_mark_and_refuse_a_repeated_id_in_a_map(driver: &dyn Driver) {
    let done: groq_types::Batch = serde_json::from_value(batch(
        "completed",
        [2, 2, 0],
        json!({"output_file_id": "file_out"}),
    ))
    .unwrap();
    // A file written by a tool that starts it with a byte order mark, in CRLF lines.
    let mut marked = b"\xEF\xBB\xBF".to_vec();
    marked.extend_from_slice(
        format!("{}\r\n{}\r\n", output_line("a", "1"), output_line("b", "2")).as_bytes(),
    );
    let server = ScriptedServer::start(vec![
        Reply::bytes(200, "application/octet-stream", &marked),
        download(&[output_line("a", "1"), output_line("a", "1")]),
    ]);
    let client = client(driver, &server);
    let map = client.batch_map(&done).unwrap();
    assert_eq!(
        map.into_iter().collect::<Vec<_>>(),
        [("a".into(), true), ("b".into(), true)]
    );
    // A map would keep one of two lines with the same id: an error rather than a lost result.
    let error = client.batch_map(&done).unwrap_err();
    assert!(error.to_string().contains("custom_id `a`"), "{error}");
}

/// The results reader owns what it needs: made by a client that is gone, it moves into a task, and reads
/// there as a `Stream`.
#[test]
fn async_batch_results_outlive_their_client_and_move_into_a_task() {
    use futures::StreamExt;
    let done: groq_types::Batch = serde_json::from_value(batch(
        "completed",
        [2, 2, 0],
        json!({"output_file_id": "file_out"}),
    ))
    .unwrap();
    let server = ScriptedServer::start(vec![download(&[
        output_line("a", "1"),
        output_line("b", "2"),
    ])]);
    let results = {
        let client = groq_async::Client::builder()
            .api_key("gsk_test_batch")
            .base_url(server.url())
            .build()
            .unwrap();
        client
            .batch_jobs()
            .results::<groq_types::ChatCompletion>(&done)
    };
    let runtime = groq_tests::driver::runtime();
    let read = runtime.block_on(async move {
        tokio::spawn(async move { results.into_stream().collect::<Vec<_>>().await })
            .await
            .unwrap()
    });
    let ids: Vec<String> = read
        .into_iter()
        .map(|line| line.unwrap().custom_id)
        .collect();
    assert_eq!(ids, ["a", "b"]);
}

/// A read dropped while an output file's download starts (a `timeout` around `next_result`) loses
/// nothing: the next read asks for that file again.
#[test]
fn async_batch_results_dropped_while_a_download_starts_lose_no_file() {
    let slow = Reply::new(200)
        .header("Content-Type", "application/octet-stream")
        .part(Part::Delay(Duration::from_secs(2)))
        .part(Part::Head)
        .part(Part::Bytes(
            format!("{}\n", output_line("a", "1")).into_bytes(),
        ));
    let server = ScriptedServer::start(vec![slow, download(&[output_line("a", "1")])]);
    let client = groq_tests::driver::async_client(&Settings::new(server.url())).unwrap();
    let mut results = client
        .batch_jobs()
        .results_of_files::<groq_types::ChatCompletion>(["file_out".to_owned()]);
    let runtime = groq_tests::driver::runtime();
    let (first, second) = runtime.block_on(async {
        let first = tokio::time::timeout(Duration::from_millis(100), results.next_result()).await;
        (first.is_err(), results.next_result().await)
    });
    assert!(first, "the first read is cut by its timeout");
    let result = second.expect("the file's result").expect("a result line");
    assert_eq!(result.custom_id, "a");
    assert_eq!(server.requests().len(), 2);
}

for_both_clients! {
    batch_job_moves_through_its_states_and_yields_typed_results,
    results_read_past_a_byte_order_mark_and_refuse_a_repeated_id_in_a_map,
    failed_expired_and_cancelled_batches_are_clear_errors,
    a_broken_download_ends_the_results_with_an_error,
    a_line_that_does_not_decode_is_an_error_and_reading_goes_on,
}
