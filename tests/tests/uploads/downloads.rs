//! Downloads: binary bodies (speech, file content) read whole, in chunks or into a file, what a cut or
//! stalled body leaves behind, and binary responses read raw or as errors.

use crate::support::*;
use groq_tests::driver::{Driver, Settings};
use groq_tests::driver_media::{media_client, BinaryCall, ReadAs};
use groq_tests::for_both_clients;
use groq_tests::scripted::{Part, Reply, ScriptedServer};
use groq_types::sdk::Error;
use groq_types::{CreateSpeechRequest, SpeechResponseFormat};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

// ---- A24 / B11. Binary bodies ----------------------------------------------------------------------

/// A binary reply of `body` in pieces of 64 KiB (chunked by the server), or with a `Content-Length`.
fn binary_reply(content_type: &str, body: &[u8], with_length: bool) -> Reply {
    if with_length {
        return Reply::bytes(200, content_type, body);
    }
    let mut reply = Reply::new(200).header("Content-Type", content_type);
    for piece in body.chunks(64 * 1024) {
        reply = reply.part(Part::Bytes(piece.to_vec()));
    }
    reply
}

fn speech() -> CreateSpeechRequest {
    CreateSpeechRequest::builder()
        .model("playai-tts")
        .voice("Fritz-PlayAI")
        .input("Hello there.")
        .response_format(SpeechResponseFormat::Wav)
        .build()
        .expect("every required field is set")
}

fn binary_bodies_read_whole_in_chunks_or_to_a_file(driver: &dyn Driver) {
    let dir = TempDir::new("binary", driver);
    let body = varied_bytes(400_000, 7);
    let calls = [
        (BinaryCall::Speech(&speech()), "audio/wav"),
        (
            BinaryCall::FileContent("file_01"),
            "application/octet-stream",
        ),
    ];
    for (call, content_type) in calls {
        for with_length in [true, false] {
            let target = dir.0.join("out.bin");
            let reads = [ReadAs::Whole, ReadAs::Chunks, ReadAs::File(&target)];
            let server = ScriptedServer::start(
                reads
                    .iter()
                    .map(|_| binary_reply(content_type, &body, with_length))
                    .collect(),
            );
            let client = client(driver, &server);
            for how in reads {
                let case = format!("{call:?} {how:?} content-length: {with_length}");
                let out = client.binary(call, how, false).unwrap();
                assert_eq!(out.content_type.as_deref(), Some(content_type), "{case}");
                match how {
                    ReadAs::Whole => assert!(out.bytes == body, "{case}: the body differs"),
                    ReadAs::Chunks => {
                        assert!(out.bytes == body, "{case}: the body differs");
                        assert!(out.chunks >= 2, "{case}: {} chunks", out.chunks);
                    }
                    ReadAs::File(path) => {
                        assert_eq!(out.written, Some(body.len() as u64), "{case}");
                        assert!(
                            std::fs::read(path).unwrap() == body,
                            "{case}: the file differs"
                        );
                        assert_eq!(dir.names(), ["out.bin"], "{case}: no .partial left");
                        std::fs::remove_file(path).unwrap();
                    }
                    ReadAs::FirstChunk => unreachable!("not read that way here"),
                }
            }
            let requests = server.requests();
            assert_eq!(requests.len(), 3);
            for request in &requests {
                match call {
                    BinaryCall::Speech(_) => {
                        assert_eq!(request.method, "POST");
                        assert_eq!(request.path(), SPEECH);
                        assert_eq!(request.header("accept"), Some("audio/wav"));
                        let sent: Value = serde_json::from_slice(&request.body).unwrap();
                        assert_eq!(
                            sent,
                            json!({"input": "Hello there.", "model": "playai-tts", "voice": "Fritz-PlayAI", "response_format": "wav"})
                        );
                    }
                    BinaryCall::FileContent(_) => {
                        assert_eq!(request.method, "GET");
                        assert_eq!(request.path(), "/openai/v1/files/file_01/content");
                        assert_eq!(request.header("accept"), Some("application/octet-stream"));
                        assert!(request.body.is_empty());
                    }
                }
            }
        }
    }
}

fn speech_asks_for_the_audio_type_of_its_format(driver: &dyn Driver) {
    let formats = [
        (Some(SpeechResponseFormat::Wav), "audio/wav"),
        (Some(SpeechResponseFormat::Mp3), "audio/mpeg"),
        (Some(SpeechResponseFormat::Flac), "audio/flac"),
        (Some(SpeechResponseFormat::Ogg), "audio/ogg"),
        (Some(SpeechResponseFormat::Mulaw), "audio/basic"),
    ];
    let server = ScriptedServer::start(
        formats
            .iter()
            .map(|(_, ty)| Reply::bytes(200, ty, b"RIFF...."))
            .collect(),
    );
    let client = client(driver, &server);
    for (format, _) in &formats {
        let mut request = CreateSpeechRequest::builder()
            .model("playai-tts")
            .voice("Fritz-PlayAI")
            .input("Hi")
            .build()
            .expect("every required field is set");
        request.response_format = format.clone();
        let out = client
            .binary(BinaryCall::Speech(&request), ReadAs::Whole, false)
            .unwrap();
        assert_eq!(out.bytes, b"RIFF....");
    }
    let accepts: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.header("accept").unwrap_or_default().to_owned())
        .collect();
    let expected: Vec<&str> = formats.iter().map(|(_, ty)| *ty).collect();
    assert_eq!(accepts, expected);
}

fn a_cut_body_leaves_no_file_behind(driver: &dyn Driver) {
    let dir = TempDir::new("cut", driver);
    let body = varied_bytes(300_000, 8);
    let target = dir.0.join("speech.wav");
    for with_length in [true, false] {
        let cut = |reply: Reply| {
            reply
                .part(Part::Bytes(body[..120_000].to_vec()))
                .part(Part::Delay(Duration::from_millis(20)))
                .part(Part::Cut)
        };
        let reply = || {
            if with_length {
                cut(Reply::new(200)
                    .header("Content-Type", "audio/wav")
                    .header("Content-Length", &body.len().to_string()))
            } else {
                cut(Reply::new(200).header("Content-Type", "audio/wav"))
            }
        };
        let server = ScriptedServer::start(vec![reply(), reply(), reply(), reply()]);
        let client = client(driver, &server);
        for (call, how) in [
            (BinaryCall::Speech(&speech()), ReadAs::File(&target)),
            (BinaryCall::FileContent("file_01"), ReadAs::File(&target)),
            (BinaryCall::Speech(&speech()), ReadAs::Whole),
            (BinaryCall::FileContent("file_01"), ReadAs::Chunks),
        ] {
            let case = format!("{call:?} {how:?} content-length: {with_length}");
            let error = client.binary(call, how, false).unwrap_err();
            assert!(error.is_connection(), "{case}: {error:?}");
            assert!(!target.exists(), "{case}: the target exists");
            assert!(dir.names().is_empty(), "{case}: left {:?}", dir.names());
        }
        // A body is never re-requested once its headers arrived.
        assert_eq!(server.requests().len(), 4);
    }
}

fn a_stalled_body_is_a_timeout_and_leaves_no_file(driver: &dyn Driver) {
    let dir = TempDir::new("stall", driver);
    let target = dir.0.join("out.jsonl");
    let server = ScriptedServer::start(vec![Reply::new(200)
        .header("Content-Type", "application/octet-stream")
        .part(Part::Bytes(b"{\"custom_id\":\"1\"}\n".to_vec()))
        .part(Part::Delay(Duration::from_secs(90)))
        .part(Part::Bytes(b"{\"custom_id\":\"2\"}\n".to_vec()))]);
    // The timeout bounds the wait for the headers too: long enough for a loaded machine to send them.
    let mut settings = Settings::new(server.url());
    settings.timeout = Some(Duration::from_secs(3));
    let client = media_client(driver, &settings).unwrap();
    let started = Instant::now();
    let error = client
        .binary(
            BinaryCall::FileContent("file_01"),
            ReadAs::File(&target),
            false,
        )
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    assert!(dir.names().is_empty(), "left {:?}", dir.names());
    assert_eq!(server.requests().len(), 1);
}

fn a_failed_download_leaves_an_existing_file_untouched(driver: &dyn Driver) {
    let dir = TempDir::new("keep", driver);
    let target = dir.file("results.jsonl", b"previous results\n");
    // A file of the user's named as a temporary file could be: neither truncated nor removed.
    let theirs = dir.file("results.jsonl.partial", b"the user's own file\n");
    let server = ScriptedServer::start(vec![Reply::new(200)
        .header("Content-Type", "application/octet-stream")
        .part(Part::Bytes(b"new".to_vec()))
        .part(Part::Cut)]);
    let error = client(driver, &server)
        .binary(
            BinaryCall::FileContent("file_01"),
            ReadAs::File(&target),
            false,
        )
        .unwrap_err();
    assert!(error.is_connection(), "{error:?}");
    assert_eq!(std::fs::read(&target).unwrap(), b"previous results\n");
    assert_eq!(std::fs::read(&theirs).unwrap(), b"the user's own file\n");
    assert_eq!(dir.names(), ["results.jsonl", "results.jsonl.partial"]);
}

/// Dropping an async download before its end (a timeout around it here) removes its temporary file: the
/// cleanup cannot wait for the download to end, since it never does.
#[test]
fn an_async_download_dropped_midway_leaves_no_file() {
    let dir = TempDir::new("dropped", &groq_tests::driver::AsyncDriver);
    let target = dir.0.join("out.jsonl");
    let server = ScriptedServer::start(vec![Reply::new(200)
        .header("Content-Type", "application/octet-stream")
        .part(Part::Bytes(b"{\"custom_id\":\"1\"}\n".to_vec()))
        .part(Part::HoldOpen)]);
    let client = groq_async::Client::builder()
        .api_key("gsk_test_downloads")
        .base_url(server.url())
        .build()
        .unwrap();
    let partial_with_bytes = || {
        dir.names().into_iter().find(|name| {
            name.ends_with(".partial")
                && std::fs::metadata(dir.0.join(name)).is_ok_and(|m| m.len() > 0)
        })
    };
    groq_tests::driver::runtime().block_on(async {
        let content = client.files().content("file_01").await.unwrap();
        let download = content.write_to_file(&target);
        tokio::pin!(download);
        // Driven until its first bytes are on disk; then this block ends, and drops it.
        let deadline = Instant::now() + Duration::from_secs(60);
        while partial_with_bytes().is_none() {
            assert!(
                Instant::now() < deadline,
                "nothing written: {:?}",
                dir.names()
            );
            tokio::select! {
                result = &mut download => panic!("the held body ended: {result:?}"),
                () = tokio::time::sleep(Duration::from_millis(20)) => {}
            }
        }
        assert_eq!(dir.names().len(), 1, "{:?}", dir.names());
    });
    assert_eq!(dir.names(), Vec::<String>::new());
}

/// Dropping an async download while its temporary file is being made leaves no file either, even when
/// tokio's blocking pool is busy (with another file's work, say).
#[test]
fn an_async_download_dropped_as_its_file_is_made_leaves_no_file() {
    let dir = TempDir::new("dropped-at-open", &groq_tests::driver::AsyncDriver);
    let target = dir.0.join("out.bin");
    let mock = groq_async::test_util::MockTransport::new();
    mock.push(groq_async::test_util::MockResponse::bytes(
        "application/octet-stream",
        &b"hello"[..],
    ));
    let client = mock.client().unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .max_blocking_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let finished = runtime.block_on(async {
        let content = client.files().content("file_01").await.unwrap();
        let busy = tokio::task::spawn_blocking(|| std::thread::sleep(Duration::from_secs(2)));
        let download =
            tokio::time::timeout(Duration::from_millis(50), content.write_to_file(&target)).await;
        busy.await.unwrap();
        download.is_ok()
    });
    drop(runtime);
    assert!(
        !finished,
        "the download ended while the blocking pool was busy"
    );
    assert_eq!(dir.names(), Vec::<String>::new());
}

fn dropping_a_binary_body_early_releases_its_connection(driver: &dyn Driver) {
    let body = varied_bytes(64 * 1024, 10);
    let server = ScriptedServer::start(vec![Reply::new(200)
        .header("Content-Type", "application/octet-stream")
        .part(Part::Bytes(body.clone()))
        .part(Part::HoldOpen)]);
    let client = client(driver, &server);
    let out = client
        .binary(
            BinaryCall::FileContent("file_01"),
            ReadAs::FirstChunk,
            false,
        )
        .unwrap();
    assert_eq!(out.chunks, 1);
    assert!(!out.bytes.is_empty() && body.starts_with(&out.bytes));
    // Closed, not kept for the pool's idle timeout (90 s), nor held until the client is dropped.
    assert!(
        server.wait_for_client_close(Duration::from_secs(10)),
        "the connection stayed open after the body was dropped"
    );
    assert_eq!(server.requests().len(), 1);
    drop(client);
}

// ---- Raw binary responses --------------------------------------------------------------------------

fn binary_raw_responses_carry_metadata(driver: &dyn Driver) {
    let body = varied_bytes(70_000, 9);
    let server = ScriptedServer::start(vec![
        Reply::json(500, r#"{"error":{"message":"retry me"}}"#),
        Reply::bytes(200, "audio/wav", &body).header("x-request-id", "req_speech"),
        Reply::bytes(200, "application/octet-stream", &body)
            .header("x-request-id", "req_content")
            .header("x-ratelimit-remaining-requests", "99"),
    ]);
    let client = client(driver, &server);
    let out = client
        .binary(BinaryCall::Speech(&speech()), ReadAs::Whole, true)
        .unwrap();
    let meta = out.meta.expect("metadata");
    assert_eq!(meta.status().as_u16(), 200);
    assert_eq!(meta.request_id(), Some("req_speech"));
    assert_eq!(meta.retries_taken(), 1);
    assert_eq!(meta.headers()["content-type"], "audio/wav");
    assert!(out.bytes == body);

    let out = client
        .binary(BinaryCall::FileContent("file_9"), ReadAs::Chunks, true)
        .unwrap();
    let meta = out.meta.expect("metadata");
    assert_eq!(meta.status().as_u16(), 200);
    assert_eq!(meta.request_id(), Some("req_content"));
    assert_eq!(meta.retries_taken(), 0);
    assert_eq!(meta.rate_limit().remaining_requests, Some(99));
    assert!(out.bytes == body);
    assert_eq!(server.requests().len(), 3);
}

fn binary_error_statuses_are_status_errors(driver: &dyn Driver) {
    let server = ScriptedServer::start(vec![Reply::json(
        404,
        r#"{"error":{"message":"file not found","type":"invalid_request_error"}}"#,
    )
    .header("x-request-id", "req_404")]);
    let error = client(driver, &server)
        .binary(
            BinaryCall::FileContent("file_missing"),
            ReadAs::Whole,
            false,
        )
        .unwrap_err();
    assert!(matches!(error, Error::NotFound(_)), "{error:?}");
    assert_eq!(error.request_id(), Some("req_404"));
    assert!(error.to_string().contains("file not found"), "{error}");
}

for_both_clients!(
    binary_bodies_read_whole_in_chunks_or_to_a_file,
    speech_asks_for_the_audio_type_of_its_format,
    a_cut_body_leaves_no_file_behind,
    a_stalled_body_is_a_timeout_and_leaves_no_file,
    a_failed_download_leaves_an_existing_file_untouched,
    dropping_a_binary_body_early_releases_its_connection,
    binary_raw_responses_carry_metadata,
    binary_error_statuses_are_status_errors,
);
