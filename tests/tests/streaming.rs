//! Streaming chat completions against a misbehaving server (`ScriptedServer`): retries before the headers
//! only, SSE decoding of events split anywhere, `[DONE]`, error payloads, Groq's `x_groq` extras, stalls,
//! cuts, streams that end without `[DONE]`, keep-alive events, and dropping a stream early. Every scenario
//! runs against both clients (`for_both_clients!`).

use groq_tests::driver::{Driver, Settings};
use groq_tests::for_both_clients;
use groq_tests::scripted::{Part, Reply, ScriptedServer};
use groq_types::sdk::request::RETRY_COUNT_HEADER;
use groq_types::sdk::{Error, RequestOptions};
use groq_types::{
    ChatCompletionChunk, ChatCompletionRequestMessage as Message, CreateChatCompletionRequest,
    FinishReason,
};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const CHAT: &str = "/openai/v1/chat/completions";

type Items = Vec<Result<ChatCompletionChunk, Error>>;

fn request() -> CreateChatCompletionRequest {
    CreateChatCompletionRequest::from_messages("llama-3.3-70b-versatile", [Message::user("Hi")])
}

/// A chunk adding `content` to the first choice.
fn chunk(content: &str) -> Value {
    json!({
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1_708_045_122,
        "model": "llama-3.3-70b-versatile",
        "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": null}]
    })
}

/// One event carrying `value`, LF line endings.
fn event(value: &Value) -> String {
    format!("data: {value}\n\n")
}

const DONE: &str = "data: [DONE]\n\n";

/// A stream of `contents`, one event each, then `[DONE]`.
fn plain_stream(contents: &[&str]) -> Reply {
    let mut events: Vec<String> = contents.iter().map(|c| event(&chunk(c))).collect();
    events.push(DONE.to_owned());
    let events: Vec<&str> = events.iter().map(String::as_str).collect();
    Reply::sse(&events)
}

fn client_of(
    driver: &dyn Driver,
    server: &ScriptedServer,
) -> Box<dyn groq_tests::driver::TestClient> {
    driver.client(&Settings::new(server.url())).unwrap()
}

fn stream(driver: &dyn Driver, server: &ScriptedServer) -> Items {
    client_of(driver, server)
        .chat_stream(&request(), &RequestOptions::new())
        .expect("the stream starts")
}

/// The content of each item: `Ok(text)` for a chunk, `Err(debug)` for an error.
fn contents(items: &Items) -> Vec<Result<String, String>> {
    items
        .iter()
        .map(|item| match item {
            Ok(chunk) => Ok(chunk.delta_content().unwrap_or_default().to_owned()),
            Err(error) => Err(format!("{error:?}")),
        })
        .collect()
}

/// Asserts `items` are chunks with `expected` contents and nothing else.
fn assert_chunks(items: &Items, expected: &[&str]) {
    let expected: Vec<Result<String, String>> =
        expected.iter().map(|c| Ok((*c).to_owned())).collect();
    assert_eq!(contents(items), expected);
}

/// Asserts `items` are chunks with `expected` contents followed by exactly one error, which is returned.
fn chunks_then_error<'a>(items: &'a Items, expected: &[&str]) -> &'a Error {
    assert_eq!(items.len(), expected.len() + 1, "{:?}", contents(items));
    let expected: Vec<Result<String, String>> =
        expected.iter().map(|c| Ok((*c).to_owned())).collect();
    assert_eq!(contents(items)[..expected.len()], expected[..]);
    items
        .last()
        .unwrap()
        .as_ref()
        .expect_err("the last item is an error")
}

// ---- A15. Retries only until the headers ---------------------------------------------------------

fn a_503_before_the_headers_is_retried_then_the_stream_works(driver: &dyn Driver) {
    let server = ScriptedServer::start(vec![
        Reply::json(503, r#"{"error":{"message":"busy"}}"#),
        plain_stream(&["Hel", "lo"]),
    ]);
    let items = stream(driver, &server);
    assert_chunks(&items, &["Hel", "lo"]);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for (attempt, request) in requests.iter().enumerate() {
        assert_eq!(request.method, "POST");
        assert_eq!(request.path(), CHAT);
        // As the official SDKs ask: the published spec gives the answer no other type.
        assert_eq!(request.header("accept"), Some("application/json"));
        assert_eq!(
            request.header(RETRY_COUNT_HEADER),
            Some(attempt.to_string().as_str())
        );
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        assert_eq!(body["stream"], true);
        assert_eq!(body["model"], "llama-3.3-70b-versatile");
    }
}

fn a_stream_cut_after_the_first_event_is_not_retried(driver: &dyn Driver) {
    let server = ScriptedServer::start(vec![
        Reply::sse(&[&event(&chunk("Hel"))]).part(Part::Cut),
        plain_stream(&["never", "sent"]),
    ]);
    let items = stream(driver, &server);
    let error = chunks_then_error(&items, &["Hel"]);
    assert!(error.is_connection(), "{error:?}");
    assert_eq!(
        server.requests().len(),
        1,
        "a started stream is never retried"
    );
    assert_eq!(server.remaining(), 1);
}

// ---- A19. SSE decoding -----------------------------------------------------------------------------

fn events_split_anywhere_decode_like_the_plain_stream(driver: &dyn Driver) {
    let texts = ["Hé", " 👋 wörld", " ünïcode"];
    let values: Vec<Value> = texts.iter().map(|t| chunk(t)).collect();
    // The second chunk's JSON spans two `data:` lines (joined with `\n`, still valid JSON).
    let second = values[1].to_string();
    let at = second.find(",\"created\"").unwrap() + 1;
    let (second_a, second_b) = second.split_at(at);
    let messy = format!(
        concat!(
            ": a comment\r\n\r\n",
            "event: message\r\nid: 1\r\nretry: 1000\r\ndata: {}\r\n\r\n",
            "data: {}\rdata:{}\r\r",
            ": keep-alive\n",
            "id: 2\ndata: {}\n\n",
            "data: [DONE]\r\n\r\n",
        ),
        values[0], second_a, second_b, values[2]
    );
    let bytes = messy.as_bytes();
    // Split in the middle of `data:`, inside `é` (2 bytes) and `👋` (4 bytes), between CR and LF, between
    // the two CRs of a CR-only blank line, and every 13 bytes besides.
    let find = |needle: &str| messy.find(needle).unwrap();
    let mut cuts = vec![
        find("data:") + 2,
        find("é") + 1,
        find("👋") + 2,
        find("\r\n") + 1,
        find("\r\r") + 1,
        find("ü") + 1,
    ];
    cuts.extend((13..bytes.len()).step_by(13));
    cuts.sort_unstable();
    cuts.dedup();
    assert!(
        std::str::from_utf8(&bytes[..find("é") + 1]).is_err(),
        "the split really falls inside a character"
    );
    let mut reply = Reply::sse(&[]);
    let mut start = 0;
    for cut in cuts.into_iter().chain([bytes.len()]) {
        reply = reply
            .part(Part::Bytes(bytes[start..cut].to_vec()))
            .part(Part::Delay(Duration::from_millis(2)));
        start = cut;
    }
    let plain = {
        let server = ScriptedServer::start(vec![plain_stream(&texts)]);
        stream(driver, &server)
    };
    let split = {
        let server = ScriptedServer::start(vec![reply]);
        stream(driver, &server)
    };
    assert_chunks(&plain, &texts);
    assert_chunks(&split, &texts);
    let plain: Vec<_> = plain.into_iter().map(Result::unwrap).collect();
    let split: Vec<_> = split.into_iter().map(Result::unwrap).collect();
    assert_eq!(split, plain);
}

fn line_endings_alone_decode_the_same(driver: &dyn Driver) {
    let texts = ["one", "two"];
    for ending in ["\n", "\r", "\r\n"] {
        let mut body = String::new();
        for text in texts {
            body.push_str(&format!("data: {}{ending}{ending}", chunk(text)));
        }
        body.push_str(&format!("data: [DONE]{ending}{ending}"));
        let server = ScriptedServer::start(vec![Reply::sse(&[&body])]);
        let items = stream(driver, &server);
        assert_chunks(&items, &texts);
    }
}

fn multi_line_data_is_joined_with_newlines(driver: &dyn Driver) {
    // JSON reads the same whatever joins its lines, so the join shows through text the client keeps as
    // it is: an error event whose data is not JSON is the error's message (and body), lines included.
    let server = ScriptedServer::start(vec![Reply::sse(&[
        &event(&chunk("partial")),
        "event: error\ndata: first line\ndata: second line\n\n",
        DONE,
    ])]);
    let items = stream(driver, &server);
    let error = chunks_then_error(&items, &["partial"]);
    let Error::Stream(stream_error) = error else {
        panic!("expected Error::Stream, got {error:?}")
    };
    assert_eq!(stream_error.message, "first line\nsecond line");
    assert_eq!(stream_error.body, json!("first line\nsecond line"));
}

// ---- A20. [DONE] -----------------------------------------------------------------------------------

fn done_ends_the_stream_without_an_item(driver: &dyn Driver) {
    let server = ScriptedServer::start(vec![Reply::sse(&[
        &event(&chunk("a")),
        DONE,
        &event(&chunk("after done")),
        "data: {not json at all\n\n",
    ])]);
    let items = stream(driver, &server);
    assert_chunks(&items, &["a"]);

    // `[DONE]` alone: no item at all, and no error.
    let server = ScriptedServer::start(vec![Reply::sse(&[DONE])]);
    assert!(stream(driver, &server).is_empty());
}

// ---- A21. Error payloads ---------------------------------------------------------------------------

fn an_error_payload_ends_the_stream_with_its_message_and_body(driver: &dyn Driver) {
    let payload = json!({"error": {"message": "model overloaded", "type": "server_error", "code": "overloaded"}});
    for prefix in ["", "event: error\n"] {
        let server = ScriptedServer::start(vec![Reply::sse(&[
            &event(&chunk("partial")),
            &format!("{prefix}data: {payload}\n\n"),
            &event(&chunk("never")),
            DONE,
        ])]);
        let items = stream(driver, &server);
        let error = chunks_then_error(&items, &["partial"]);
        let Error::Stream(stream_error) = error else {
            panic!("{prefix:?}: expected Error::Stream, got {error:?}")
        };
        assert_eq!(stream_error.message, "model overloaded");
        assert_eq!(stream_error.error_type.as_deref(), Some("server_error"));
        assert_eq!(stream_error.code.as_deref(), Some("overloaded"));
        assert_eq!(stream_error.body, payload);
        assert!(error.to_string().contains("model overloaded"), "{error}");
    }
}

/// A tool call that fails the server's validation once the stream has begun comes as an error payload
/// with `failed_generation`: it is read as a 400's is.
fn a_failed_generation_sent_mid_stream_is_read_as_a_400s(driver: &dyn Driver) {
    let failed = "<function=lookup>{\"city\": }</function>";
    let payload = json!({"error": {
        "message": "Failed to call a function.",
        "type": "invalid_request_error",
        "code": "tool_use_failed",
        "failed_generation": failed,
    }});
    let server = ScriptedServer::start(vec![Reply::sse(&[
        &event(&chunk("partial")),
        &format!("data: {payload}\n\n"),
    ])]);
    let items = stream(driver, &server);
    let error = chunks_then_error(&items, &["partial"]);
    assert_eq!(error.failed_generation(), Some(failed), "{error:?}");
    assert_eq!(error.raw_output(), Some(failed));
}

// ---- A22. x_groq -----------------------------------------------------------------------------------

fn x_groq_stream() -> Reply {
    let mut first = chunk("Hello");
    first["x_groq"] = json!({"id": "req_01stream"});
    first["choices"][0]["delta"]["role"] = json!("assistant");
    let second = chunk(" world");
    let usage = json!({"prompt_tokens": 10, "completion_tokens": 2, "total_tokens": 12, "queue_time": 0.02, "total_time": 0.1});
    let mut last = chunk("");
    last["choices"][0]["delta"] = json!({});
    last["choices"][0]["finish_reason"] = json!("stop");
    last["x_groq"] = json!({
        "id": "req_01stream",
        "usage": usage,
        "usage_breakdown": {"models": [{"model": "llama-3.3-70b-versatile", "usage": usage}]},
        "seed": 1234,
        "debug": {"input_token_ids": [1, 2, 3], "output_tokens": ["Hello", " world"]}
    });
    Reply::sse(&[&event(&first), &event(&second), &event(&last), DONE])
}

fn chunks_keep_x_groq_and_the_final_usage(driver: &dyn Driver) {
    let server = ScriptedServer::start(vec![x_groq_stream(), x_groq_stream()]);
    let client = client_of(driver, &server);
    let items = client
        .chat_stream(&request(), &RequestOptions::new())
        .unwrap();
    assert_chunks(&items, &["Hello", " world", ""]);
    let chunks: Vec<ChatCompletionChunk> = items.into_iter().map(Result::unwrap).collect();
    assert_eq!(
        chunks[0].x_groq.as_ref().and_then(|x| x.id.as_deref()),
        Some("req_01stream")
    );
    assert!(chunks[1].x_groq.is_none());
    let last = chunks[2].x_groq.as_ref().expect("x_groq on the last chunk");
    let usage = last.usage.as_ref().expect("usage on the last chunk");
    assert_eq!(
        (
            usage.prompt_tokens,
            usage.completion_tokens,
            usage.total_tokens
        ),
        (10, 2, 12)
    );
    assert_eq!(usage.queue_time, Some(0.02));
    let breakdown = last.usage_breakdown.as_ref().expect("usage_breakdown");
    assert_eq!(breakdown.models.len(), 1);
    assert_eq!(breakdown.models[0].model, "llama-3.3-70b-versatile");
    assert_eq!(breakdown.models[0].usage.total_tokens, 12);
    assert_eq!(last.seed, Some(1234));
    let debug = last.debug.as_ref().expect("debug");
    assert_eq!(debug.input_token_ids, [1, 2, 3]);
    assert_eq!(debug.output_tokens, ["Hello", " world"]);
    assert_eq!(chunks[2].choices[0].finish_reason, Some(FinishReason::Stop));

    let completion = client.chat_stream_accumulate(&request()).unwrap();
    assert_eq!(completion.content(), Some("Hello world"));
    assert_eq!(completion.choices[0].finish_reason, FinishReason::Stop);
    assert_eq!(completion.usage.as_ref().map(|u| u.total_tokens), Some(12));
    assert_eq!(
        completion
            .usage_breakdown
            .as_ref()
            .map(|b| b.models[0].model.as_str()),
        Some("llama-3.3-70b-versatile")
    );
    let x_groq = completion.x_groq.as_ref().expect("x_groq kept");
    assert_eq!(x_groq.id, "req_01stream");
    assert_eq!(x_groq.seed, Some(1234));
    assert_eq!(server.requests().len(), 2);
}

fn accumulate_fails_when_the_stream_fails(driver: &dyn Driver) {
    let server = ScriptedServer::start(vec![Reply::sse(&[&event(&chunk("Hel"))]).part(Part::Cut)]);
    let error = client_of(driver, &server)
        .chat_stream_accumulate(&request())
        .unwrap_err();
    assert!(error.is_connection(), "{error:?}");
}

// ---- B3. Mid-stream stalls and cuts ----------------------------------------------------------------

fn a_stall_mid_stream_is_a_timeout(driver: &dyn Driver) {
    // The timeout bounds the wait for the headers too, so it is long enough for a loaded machine to
    // answer; the stall, far longer, ends when the client goes away.
    let server = ScriptedServer::start(vec![Reply::sse(&[&event(&chunk("Hel"))])
        .part(Part::Delay(Duration::from_secs(60)))
        .part(Part::Bytes(event(&chunk("lo")).into_bytes()))
        .part(Part::Bytes(DONE.as_bytes().to_vec()))]);
    let mut settings = Settings::new(server.url());
    settings.timeout = Some(Duration::from_secs(3));
    let client = driver.client(&settings).unwrap();
    let started = Instant::now();
    let items = client
        .chat_stream(&request(), &RequestOptions::new())
        .unwrap();
    let waited = started.elapsed();
    let error = chunks_then_error(&items, &["Hel"]);
    assert!(
        matches!(error, Error::Timeout { .. }),
        "expected Error::Timeout, got {error:?}"
    );
    assert!(error.is_timeout() && !error.is_connection());
    assert!(
        waited >= Duration::from_millis(2_900) && waited < Duration::from_secs(30),
        "the stream gave up after {waited:?}"
    );
    assert_eq!(server.requests().len(), 1);
}

fn a_cut_mid_stream_is_a_connection_error(driver: &dyn Driver) {
    // Cut between events, and cut in the middle of an event.
    for tail in ["", "data: {\"id\":\"chatcmpl-1\",\"obj"] {
        let server = ScriptedServer::start(vec![Reply::sse(&[
            &event(&chunk("Hel")),
            &event(&chunk("lo")),
            tail,
        ])
        .part(Part::Delay(Duration::from_millis(20)))
        .part(Part::Cut)]);
        let items = stream(driver, &server);
        let error = chunks_then_error(&items, &["Hel", "lo"]);
        assert!(
            matches!(error, Error::Connection { .. } | Error::IncompleteStream),
            "{tail:?}: {error:?}"
        );
        assert!(error.is_connection());
        assert!(error.to_string().starts_with("connection error"), "{error}");
        assert_eq!(server.requests().len(), 1);
    }
}

// ---- B4. A stream that ends without [DONE] ---------------------------------------------------------

fn a_stream_without_done_ends_with_an_error(driver: &dyn Driver) {
    let server = ScriptedServer::start(vec![Reply::sse(&[
        &event(&chunk("a")),
        &event(&chunk("b")),
    ])]);
    let items = stream(driver, &server);
    let error = chunks_then_error(&items, &["a", "b"]);
    assert!(matches!(error, Error::IncompleteStream), "{error:?}");
    assert!(error.is_connection());
}

fn a_final_event_without_its_blank_line_is_still_yielded(driver: &dyn Driver) {
    for ending in ["", "\n", "\r\n"] {
        let last = format!("data: {}{ending}", chunk("b"));
        let server = ScriptedServer::start(vec![Reply::sse(&[&event(&chunk("a")), &last])]);
        let items = stream(driver, &server);
        let error = chunks_then_error(&items, &["a", "b"]);
        assert!(
            matches!(error, Error::IncompleteStream),
            "{ending:?}: {error:?}"
        );
    }
}

// ---- B5. Keep-alive events -------------------------------------------------------------------------

fn pings_and_blank_data_are_skipped(driver: &dyn Driver) {
    let server = ScriptedServer::start(vec![Reply::sse(&[
        "event: ping\ndata:\n\n",
        "event: ping\n\n",
        &event(&chunk("a")),
        "data:\n\n",
        "data: \n\n",
        "data:   \r\n\r\n",
        ": just a comment\n\n",
        "event: ping\ndata: \n\n",
        &event(&chunk("b")),
        DONE,
    ])]);
    let items = stream(driver, &server);
    assert_chunks(&items, &["a", "b"]);
}

fn content_mentioning_error_is_still_a_chunk(driver: &dyn Driver) {
    let mut with_message = chunk("message");
    with_message["choices"][0]["delta"]["content"] = json!("error");
    let server = ScriptedServer::start(vec![Reply::sse(&[
        &event(&chunk("\"error\": none")),
        &event(&with_message),
        &event(&chunk("error")),
        DONE,
    ])]);
    let items = stream(driver, &server);
    assert_chunks(&items, &["\"error\": none", "error", "error"]);
}

// ---- B6. x_groq.error ------------------------------------------------------------------------------

fn x_groq_error_ends_the_stream(driver: &dyn Driver) {
    let mut failing = chunk("");
    failing["x_groq"] = json!({"id": "req_x", "error": "the model stopped: internal error"});
    let server = ScriptedServer::start(vec![Reply::sse(&[
        &event(&chunk("a")),
        &event(&failing),
        &event(&chunk("never")),
        DONE,
    ])]);
    let items = stream(driver, &server);
    let error = chunks_then_error(&items, &["a"]);
    let Error::Stream(stream_error) = error else {
        panic!("expected Error::Stream, got {error:?}")
    };
    assert_eq!(stream_error.message, "the model stopped: internal error");
    assert_eq!(stream_error.body["x_groq"]["id"], "req_x");
}

// ---- B7. Dropping a stream early -------------------------------------------------------------------

fn dropping_a_stream_early_releases_its_connection(driver: &dyn Driver) {
    let server = ScriptedServer::start(vec![Reply::sse(&[
        &event(&chunk("a")),
        &event(&chunk("b")),
    ])
    .part(Part::HoldOpen)]);
    let client = client_of(driver, &server);
    let items = client.chat_stream_take(&request(), 1).unwrap();
    assert_chunks(&items, &["a"]);
    // The driver has returned and the stream is dropped; the client (still alive) must have closed the
    // connection. The async client's runtime has worker threads of its own, so blocking here is fine.
    assert!(
        server.wait_for_client_close(Duration::from_secs(10)),
        "the connection stayed open after the stream was dropped"
    );
    assert_eq!(server.client_closes(), 1);
    assert_eq!(server.requests().len(), 1);
    drop(client);
}

/// A stream of one chunk over a connection kept alive, whose body's end comes a little after `[DONE]`: a
/// client that drops the body at `[DONE]` loses the connection.
fn keep_alive_stream() -> Reply {
    Reply::sse_keep_alive(&[&event(&chunk("a")), DONE]).part(Part::Delay(Duration::from_millis(20)))
}

/// B7's other side: a stream read to its `[DONE]` leaves its HTTP/1.1 connection to the next call, where
/// one dropped early closes it.
fn a_stream_read_to_its_end_leaves_its_connection_to_the_next_call(driver: &dyn Driver) {
    let server = ScriptedServer::start(vec![
        keep_alive_stream(),
        keep_alive_stream(),
        keep_alive_stream(),
    ]);
    let client = client_of(driver, &server);
    for _ in 0..3 {
        let items = client
            .chat_stream(&request(), &RequestOptions::new())
            .expect("the stream starts");
        assert_chunks(&items, &["a"]);
        // The body's end is read after the stream's end (by a task in `groq-async`, by the next call's
        // turns of the runtime in `groq-blocking`): let it come before the next call.
        std::thread::sleep(Duration::from_millis(300));
    }
    assert_eq!(server.requests().len(), 3);
    assert_eq!(server.connections(), 1, "a new connection for each stream");
    assert_eq!(server.open_connections(), 1);
}

/// A body that never ends after `[DONE]` is not read for ever: its connection closes about a second after
/// the stream ended (in `groq-blocking`'s caller-driven runtime, once a later call drives it), well before
/// the request's timeout.
fn a_body_that_never_ends_after_done_closes_its_connection_soon(driver: &dyn Driver) {
    let server = ScriptedServer::start(vec![
        Reply::sse(&[&event(&chunk("a")), DONE]).part(Part::HoldOpen),
        Reply::json(200, groq_tests::fault_fixtures::MODELS),
    ]);
    let mut settings = Settings::new(server.url());
    settings.timeout = Some(Duration::from_secs(60));
    let client = driver.client(&settings).unwrap();
    let items = client
        .chat_stream(&request(), &RequestOptions::new())
        .expect("the stream starts");
    assert_chunks(&items, &["a"]);
    std::thread::sleep(Duration::from_millis(1500));
    client.models_list(&RequestOptions::new()).unwrap();
    assert!(
        server.wait_for_client_close(Duration::from_secs(20)),
        "the connection stayed open after the stream's end"
    );
}

// ---- A4. A per-request timeout, mid-stream ---------------------------------------------------------

fn a_per_request_timeout_applies_mid_stream(driver: &dyn Driver) {
    let server = ScriptedServer::start(vec![Reply::sse(&[&event(&chunk("Hel"))])
        .part(Part::Delay(Duration::from_secs(90)))
        .part(Part::Bytes(DONE.as_bytes().to_vec()))]);
    // The client keeps its default timeout (60 s); the call asks for 3 s (long enough for the headers
    // of a loaded machine).
    let client = client_of(driver, &server);
    let started = Instant::now();
    let items = client
        .chat_stream(
            &request(),
            &RequestOptions::new().timeout(Duration::from_secs(3)),
        )
        .unwrap();
    let waited = started.elapsed();
    let error = chunks_then_error(&items, &["Hel"]);
    assert!(error.is_timeout(), "{error:?}");
    assert!(
        waited < Duration::from_secs(30),
        "the stream gave up after {waited:?}"
    );
}

// ---- Raw streams -----------------------------------------------------------------------------------

fn raw_stream_gives_the_metadata_then_the_items(driver: &dyn Driver) {
    let server = ScriptedServer::start(vec![
        Reply::json(429, r#"{"error":{"message":"slow down"}}"#),
        plain_stream(&["x", "y"])
            .header("x-request-id", "req_raw_stream")
            .header("x-ratelimit-remaining-requests", "41"),
    ]);
    let client = client_of(driver, &server);
    let (meta, items) = client.chat_stream_raw(&request()).unwrap();
    assert_eq!(meta.status().as_u16(), 200);
    assert_eq!(meta.request_id(), Some("req_raw_stream"));
    assert_eq!(meta.headers()["content-type"], "text/event-stream");
    assert_eq!(meta.retries_taken(), 1);
    assert_eq!(meta.rate_limit().remaining_requests, Some(41));
    assert_chunks(&items, &["x", "y"]);
}

for_both_clients!(
    a_per_request_timeout_applies_mid_stream,
    a_503_before_the_headers_is_retried_then_the_stream_works,
    a_stream_cut_after_the_first_event_is_not_retried,
    events_split_anywhere_decode_like_the_plain_stream,
    line_endings_alone_decode_the_same,
    multi_line_data_is_joined_with_newlines,
    done_ends_the_stream_without_an_item,
    an_error_payload_ends_the_stream_with_its_message_and_body,
    a_failed_generation_sent_mid_stream_is_read_as_a_400s,
    chunks_keep_x_groq_and_the_final_usage,
    accumulate_fails_when_the_stream_fails,
    a_stall_mid_stream_is_a_timeout,
    a_cut_mid_stream_is_a_connection_error,
    a_stream_without_done_ends_with_an_error,
    a_final_event_without_its_blank_line_is_still_yielded,
    pings_and_blank_data_are_skipped,
    content_mentioning_error_is_still_a_chunk,
    x_groq_error_ends_the_stream,
    dropping_a_stream_early_releases_its_connection,
    a_stream_read_to_its_end_leaves_its_connection_to_the_next_call,
    a_body_that_never_ends_after_done_closes_its_connection_soon,
    raw_stream_gives_the_metadata_then_the_items,
);

/// `groq-async` alone: a stream made in a task is read where it is polled, and may be polled on a thread
/// that has no runtime (here a `futures` executor). Waiting there for a piece that has not arrived needs
/// the idle timer, made on the runtime the stream came from: the stream reads to its end, no panic.
#[test]
fn an_async_stream_made_in_a_task_reads_on_a_thread_without_a_runtime() {
    let first = event(&chunk("a"));
    let rest = format!("{}{DONE}", event(&chunk("b")));
    let server = ScriptedServer::start(vec![Reply::sse(&[&first])
        .part(Part::Delay(Duration::from_millis(200)))
        .part(Part::Bytes(rest.into_bytes()))]);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let client = groq_tests::driver::async_client(&Settings::new(server.url())).unwrap();
    let stream = runtime
        .block_on(
            runtime
                .spawn(async move { client.chat().completions().create_stream(&request()).await }),
        )
        .unwrap()
        .unwrap();
    let reader = std::thread::spawn(move || {
        use futures::StreamExt;
        futures::executor::block_on(stream.collect::<Vec<_>>())
    });
    let items = reader.join().expect("the reading thread panicked");
    assert_chunks(&items, &["a", "b"]);
    drop(runtime);
}

/// `groq-async` alone: a stream consumed in a task, read in place rather than by a task of its own, also
/// leaves its connection to the next call once read to its `[DONE]`.
#[test]
fn an_async_stream_read_in_a_task_leaves_its_connection_to_the_next_call() {
    let server = ScriptedServer::start(vec![keep_alive_stream(), keep_alive_stream()]);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let client = groq_tests::driver::async_client(&Settings::new(server.url())).unwrap();
    let items = runtime.block_on(runtime.spawn(async move {
        use futures::StreamExt;
        let mut all = Vec::new();
        for _ in 0..2 {
            let stream = client.chat().completions().create_stream(&request()).await;
            all.extend(stream.expect("the stream starts").collect::<Vec<_>>().await);
            // The body's end is read by a task after the stream's end: let it come.
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        all
    }));
    assert_chunks(&items.unwrap(), &["a", "a"]);
    assert_eq!(server.connections(), 1, "a new connection for each stream");
}

/// A stream made in a task of a current-thread runtime (so read in place) over a connection that a
/// multi-thread runtime opened and drives (taken from the pool), its first chunk read: the server, the two
/// runtimes and the stream. `stream` is the server's reply to the stream's request.
///
/// A connection goes back to the pool in a task of its runtime, after its answer has been read: on a
/// loaded machine the stream may come first and open a connection of its own. The setup is then made
/// again, a few times at most.
fn a_stream_of_one_runtime_over_anothers_connection(
    stream: impl Fn() -> Reply,
    timeout: Duration,
) -> (
    ScriptedServer,
    tokio::runtime::Runtime,
    tokio::runtime::Runtime,
    groq_async::ChatCompletionStream,
) {
    for _ in 0..5 {
        let server = ScriptedServer::start(vec![
            Reply::json(200, &groq_tests::fault_fixtures::completion("x")),
            stream(),
        ]);
        let mut settings = Settings::new(server.url());
        settings.timeout = Some(timeout);
        let client = groq_tests::driver::async_client(&settings).unwrap();
        let owner = tokio::runtime::Runtime::new().unwrap();
        owner
            .block_on(async {
                client.chat().completions().create(&request()).await?;
                // Time for the connection to go back to the pool.
                tokio::time::sleep(Duration::from_millis(100)).await;
                Ok::<_, Error>(())
            })
            .expect("the call that leaves its connection in the pool");
        let maker = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let made = maker
            .block_on(maker.spawn(async move {
                use futures::StreamExt;
                let mut stream = client
                    .chat()
                    .completions()
                    .create_stream(&request())
                    .await?;
                let first = stream.next().await.expect("a first item")?;
                assert_eq!(first.delta_content(), Some("a"));
                Ok::<_, Error>(stream)
            }))
            .unwrap()
            .expect("the stream starts");
        if server.connections() == 1 {
            return (server, owner, maker, made);
        }
    }
    panic!("the stream never took the pooled connection in 5 tries");
}

/// `groq-async` alone: a body read on another runtime than the one it was made on times its waits on the
/// runtime that reads it; the first one, still alive but idle, would never fire the timer.
#[test]
fn a_stream_read_on_another_runtime_times_its_waits_there() {
    let (_server, owner, _idle_maker, mut stream) =
        a_stream_of_one_runtime_over_anothers_connection(
            || Reply::sse(&[&event(&chunk("a"))]).part(Part::HoldOpen),
            Duration::from_millis(300),
        );
    let next = owner.block_on(async {
        use futures::StreamExt;
        tokio::time::timeout(Duration::from_secs(20), stream.next()).await
    });
    let error = next
        .expect("the server's silence is timed")
        .expect("an item")
        .expect_err("a timeout");
    assert!(error.is_timeout(), "{error:?}");
}

/// `groq-async` alone: a body whose runtime is gone is read on the runtime that reads it, without a
/// panic (tokio panics when a timer of a runtime that is gone is polled).
#[test]
fn a_stream_whose_runtime_is_gone_is_read_on_the_one_that_reads_it() {
    let (_server, owner, maker, stream) = a_stream_of_one_runtime_over_anothers_connection(
        || {
            Reply::sse(&[&event(&chunk("a"))])
                .part(Part::Delay(Duration::from_millis(300)))
                .part(Part::Bytes(
                    format!("{}{DONE}", event(&chunk("b"))).into_bytes(),
                ))
        },
        Duration::from_secs(60),
    );
    drop(maker);
    let rest = owner.block_on(async {
        use futures::StreamExt;
        stream.collect::<Vec<_>>().await
    });
    assert_chunks(&rest, &["b"]);
}
