//! Response decompression (the default feature `gzip`): `Accept-Encoding: gzip` is sent, a gzip JSON body
//! is decoded, and a stream still arrives event by event, compressed or not: the first event is seen while
//! the server holds the rest back. Every scenario runs against both clients (`for_both_clients!`).

use flate2::write::GzEncoder;
use flate2::Compression;
use groq_tests::driver::{Driver, Settings};
use groq_tests::for_both_clients;
use groq_tests::scripted::{Part, Reply, ScriptedServer};
use groq_types::sdk::RequestOptions;
use groq_types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};
use serde_json::json;
use std::io::Write;

fn request() -> CreateChatCompletionRequest {
    CreateChatCompletionRequest::from_messages("llama-3.3-70b-versatile", [Message::user("Hi")])
}

/// One SSE event whose chunk adds `content` to the first choice.
fn event(content: &str) -> String {
    let chunk = json!({
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1_708_045_122,
        "model": "llama-3.3-70b-versatile",
        "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": null}]
    });
    format!("data: {chunk}\n\n")
}

/// Asserts that the first request `server` received offered gzip.
fn assert_gzip_accepted(server: &ScriptedServer) {
    let accept = server.requests()[0]
        .header("accept-encoding")
        .map(str::to_owned);
    assert!(
        accept.as_deref().is_some_and(|v| v.contains("gzip")),
        "Accept-Encoding: {accept:?}"
    );
}

/// The first chunk of a stream whose server sends one event and then holds the connection open, so a
/// client that waited for more (or for the end of a compressed body) would never yield it. The client's
/// timeout (60 s) bounds a failure.
fn first_chunk_while_the_server_holds(driver: &dyn Driver, reply: Reply) -> String {
    let server = ScriptedServer::start(vec![reply.part(Part::HoldOpen)]);
    let client = driver.client(&Settings::new(server.url())).unwrap();
    let items = client.chat_stream_take(&request(), 1).unwrap();
    assert_eq!(items.len(), 1);
    let chunk = items
        .into_iter()
        .next()
        .unwrap()
        .expect("a chunk, not an error");
    assert_gzip_accepted(&server);
    chunk.delta_content().unwrap_or_default().to_owned()
}

fn gzip_json_is_decoded_and_gzip_is_accepted(driver: &dyn Driver) {
    let body = json!({"object": "list", "data": [
        {"id": "llama-3.3-70b-versatile", "object": "model", "created": 1, "owned_by": "Meta"}
    ]});
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    gz.write_all(body.to_string().as_bytes()).unwrap();
    let compressed = gz.finish().unwrap();
    let server = ScriptedServer::start(vec![
        Reply::bytes(200, "application/json", &compressed).header("Content-Encoding", "gzip")
    ]);
    let client = driver.client(&Settings::new(server.url())).unwrap();
    let models = client.models_list(&RequestOptions::new()).unwrap();
    assert_eq!(models.data.len(), 1);
    assert_eq!(models.data[0].id, "llama-3.3-70b-versatile");
    assert_gzip_accepted(&server);
}

fn a_plain_stream_arrives_event_by_event(driver: &dyn Driver) {
    let reply = Reply::sse(&[&event("first")]);
    assert_eq!(first_chunk_while_the_server_holds(driver, reply), "first");
}

fn a_gzip_stream_arrives_event_by_event(driver: &dyn Driver) {
    // The server compresses the first event and flushes the compressor (a sync flush), as a streaming
    // gzip server does; the rest of the gzip stream never comes.
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    gz.write_all(event("first").as_bytes()).unwrap();
    gz.flush().unwrap();
    let first = std::mem::take(gz.get_mut());
    let reply = Reply::new(200)
        .header("Content-Type", "text/event-stream")
        .header("Content-Encoding", "gzip")
        .header("Connection", "close")
        .part(Part::Bytes(first));
    assert_eq!(first_chunk_while_the_server_holds(driver, reply), "first");
}

for_both_clients!(
    gzip_json_is_decoded_and_gzip_is_accepted,
    a_plain_stream_arrives_event_by_event,
    a_gzip_stream_arrives_event_by_event,
);
