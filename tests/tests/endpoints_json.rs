//! The JSON endpoints beyond chat and models, against both clients: embeddings (and decoding their vectors),
//! batches (create, retrieve, cancel, list, every page, many by id), fine tunings, reranking and responses.
//! Each scenario checks the exact method, path, query and body sent, and what comes back.

use groq_tests::driver::{Driver, Settings};
use groq_tests::driver_json::{json_client, JsonEndpoints};
use groq_tests::for_both_clients;
use groq_tests::scripted::{Reply, ScriptedServer};
use groq_types::ergonomics::batches::ListBatchesParams;
use groq_types::sdk::{Error, RequestOptions};
use groq_types::{
    BatchStatus, CreateBatchRequest, CreateEmbeddingRequest, CreateFineTuningRequest,
    CreateResponseRequest, EmbeddingEncodingFormat, RerankingRequest, ResponseInput,
    ResponseOutputContent, ResponseOutputItem,
};
use httpmock::prelude::*;
use serde_json::{json, Value};
use std::collections::HashMap;

const EMBEDDINGS: &str = "/openai/v1/embeddings";
const BATCHES: &str = "/openai/v1/batches";
const FINE_TUNINGS: &str = "/v1/fine_tunings";

fn client(driver: &dyn Driver, server: &MockServer) -> Box<dyn JsonEndpoints> {
    let mut settings = Settings::new(server.base_url());
    settings.max_retries = Some(0);
    json_client(driver, &settings).unwrap()
}

fn is_invalid_request(result: Result<impl std::fmt::Debug, Error>) -> bool {
    matches!(result, Err(Error::InvalidRequest(_)))
}

// ---- Embeddings -------------------------------------------------------------------------------------

const VECTORS: [[f32; 3]; 2] = [[0.25, -1.5, 3.0], [1.0e-3, 0.0, -7.75]];

/// The little-endian bytes of `values`, in standard padded base64 (what `encoding_format: base64` returns).
fn base64_of(values: &[f32]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// An embeddings response whose vectors are `encoded`, listed in reverse index order.
fn embeddings_json(encoded: [Value; 2]) -> Value {
    let [first, second] = encoded;
    json!({
        "object": "list",
        "model": "nomic-embed-text-v1_5",
        "data": [
            {"object": "embedding", "index": 1, "embedding": second},
            {"object": "embedding", "index": 0, "embedding": first}
        ],
        "usage": {"prompt_tokens": 4, "total_tokens": 4}
    })
}

fn embedding_request(format: EmbeddingEncodingFormat) -> CreateEmbeddingRequest {
    CreateEmbeddingRequest::new(["first text", "second text"], "nomic-embed-text-v1_5")
        .encoding_format(format)
}

fn embeddings_create_sends_the_exact_body(driver: &dyn Driver) {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path(EMBEDDINGS)
            .header("content-type", "application/json")
            .json_body(json!({
                "model": "nomic-embed-text-v1_5",
                "input": ["first text", "second text"],
                "encoding_format": "float"
            }));
        then.status(200)
            .json_body(embeddings_json(VECTORS.map(|v| json!(v))));
    });
    let response = client(driver, &server)
        .embeddings_create(&embedding_request(EmbeddingEncodingFormat::Float))
        .unwrap();
    assert_eq!(response.usage.total_tokens, 4);
    assert_eq!(response.data.len(), 2);
    mock.assert_calls(1);
}

fn embeddings_float_and_base64_decode_to_the_same_vectors(driver: &dyn Driver) {
    let server = MockServer::start();
    let floats = server.mock(|when, then| {
        when.method(POST)
            .path(EMBEDDINGS)
            .json_body_includes(r#"{"encoding_format": "float"}"#);
        then.status(200)
            .json_body(embeddings_json(VECTORS.map(|v| json!(v))));
    });
    let base64 = server.mock(|when, then| {
        when.method(POST)
            .path(EMBEDDINGS)
            .json_body_includes(r#"{"encoding_format": "base64"}"#);
        then.status(200)
            .json_body(embeddings_json(VECTORS.map(|v| json!(base64_of(&v)))));
    });
    let client = client(driver, &server);
    let from_floats = client
        .embeddings_create(&embedding_request(EmbeddingEncodingFormat::Float))
        .unwrap();
    let from_base64 = client
        .embeddings_create(&embedding_request(EmbeddingEncodingFormat::Base64))
        .unwrap();
    let expected: Vec<Vec<f32>> = VECTORS.iter().map(|v| v.to_vec()).collect();
    // Ordered by `index`, although the server listed index 1 first.
    assert_eq!(from_floats.vectors().unwrap(), expected);
    assert_eq!(from_base64.vectors().unwrap(), expected);
    // One embedding at a time, too.
    assert_eq!(from_base64.data[0].index, 1);
    assert_eq!(from_base64.data[0].vector().unwrap(), VECTORS[1].to_vec());
    floats.assert_calls(1);
    base64.assert_calls(1);
}

fn embeddings_malformed_base64_is_a_decode_error(driver: &dyn Driver) {
    let server = MockServer::start();
    // Not base64 at all, then valid base64 of 6 bytes (not a whole number of f32s).
    let bad = server.mock(|when, then| {
        when.method(POST).path(EMBEDDINGS);
        then.status(200).json_body(embeddings_json([
            json!("%%% not base64"),
            json!("AAAAPwAA"),
        ]));
    });
    let response = client(driver, &server)
        .embeddings_create(&embedding_request(EmbeddingEncodingFormat::Base64))
        .unwrap();
    for embedding in &response.data {
        let error = embedding.vector().unwrap_err();
        assert!(
            matches!(error, Error::Decode { .. }),
            "embedding {}: {error:?}",
            embedding.index
        );
    }
    match response.vectors() {
        Err(Error::Decode { message, .. }) => {
            assert!(message.contains("embedding 0"), "{message}")
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    bad.assert_calls(1);
}

fn embeddings_raw_response_has_the_metadata(driver: &dyn Driver) {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST).path(EMBEDDINGS);
        then.status(200)
            .header("x-request-id", "req_embed")
            .header("x-ratelimit-remaining-requests", "99")
            .json_body(embeddings_json(VECTORS.map(|v| json!(base64_of(&v)))));
    });
    let raw = client(driver, &server)
        .embeddings_create_raw(&embedding_request(EmbeddingEncodingFormat::Base64))
        .unwrap();
    assert_eq!(raw.status(), 200);
    assert_eq!(raw.request_id(), Some("req_embed"));
    assert_eq!(raw.retries_taken(), 0);
    assert_eq!(raw.rate_limit().remaining_requests, Some(99));
    let vectors = raw.parse().unwrap().vectors().unwrap();
    assert_eq!(vectors[1], VECTORS[1].to_vec());
    mock.assert_calls(1);
}

// ---- Batches ----------------------------------------------------------------------------------------

fn batch_json(id: &str) -> Value {
    json!({
        "id": id,
        "object": "batch",
        "endpoint": "/v1/chat/completions",
        "input_file_id": "file_01",
        "completion_window": "24h",
        "status": "validating",
        "created_at": 1_736_000_000,
        "request_counts": {"total": 2, "completed": 0, "failed": 0}
    })
}

fn page_json(ids: &[&str], next_cursor: Value) -> Value {
    let data: Vec<Value> = ids.iter().map(|id| batch_json(id)).collect();
    json!({"object": "list", "data": data, "paging": {"next_cursor": next_cursor}})
}

fn ids_of(batches: &[groq_types::Batch]) -> Vec<&str> {
    batches.iter().map(|b| b.id.as_str()).collect()
}

fn batches_create_sends_the_exact_body(driver: &dyn Driver) {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path(BATCHES)
            .header("content-type", "application/json")
            .json_body(json!({
                "input_file_id": "file_01",
                "endpoint": "/v1/chat/completions",
                "completion_window": "24h",
                "metadata": {"job": "nightly"}
            }));
        then.status(200).json_body(batch_json("batch_01"));
    });
    let request = CreateBatchRequest::builder()
        .input_file_id("file_01")
        .endpoint("/v1/chat/completions")
        .completion_window("24h")
        .metadata(HashMap::from([("job".to_owned(), "nightly".to_owned())]))
        .build()
        .expect("every required field is set");
    let batch = client(driver, &server).batches_create(&request).unwrap();
    assert_eq!(batch.id, "batch_01");
    assert_eq!(batch.status, BatchStatus::Validating);
    assert!(!batch.is_terminal());
    mock.assert_calls(1);
}

fn batches_retrieve_and_cancel_send_one_encoded_segment(driver: &dyn Driver) {
    let server = MockServer::start();
    let retrieve = server.mock(|when, then| {
        when.method(GET)
            .is_true(|req| req.uri().path() == "/openai/v1/batches/batch%2F01%20x")
            .header_missing("content-type")
            .is_true(|req| req.body().is_empty());
        then.status(200).json_body(batch_json("batch/01 x"));
    });
    let cancel = server.mock(|when, then| {
        when.method(POST)
            .is_true(|req| req.uri().path() == "/openai/v1/batches/batch%2F01%20x/cancel")
            .is_true(|req| req.body().is_empty());
        let mut body = batch_json("batch/01 x");
        body["status"] = json!("cancelling");
        then.status(200).json_body(body);
    });
    let client = client(driver, &server);
    assert_eq!(
        client.batches_retrieve("batch/01 x").unwrap().id,
        "batch/01 x"
    );
    let cancelled = client.batches_cancel("batch/01 x").unwrap();
    assert_eq!(cancelled.status, BatchStatus::Cancelling);
    retrieve.assert_calls(1);
    cancel.assert_calls(1);
}

fn empty_ids_are_refused_before_io(driver: &dyn Driver) {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.any_request();
        then.status(200).json_body(batch_json("x"));
    });
    let client = client(driver, &server);
    for id in ["", " ", ".."] {
        assert!(is_invalid_request(client.batches_retrieve(id)), "{id:?}");
        assert!(
            is_invalid_request(client.batches_retrieve_raw(id)),
            "{id:?}"
        );
        assert!(is_invalid_request(client.batches_cancel(id)), "{id:?}");
        assert!(is_invalid_request(client.fine_tunings_get(id)), "{id:?}");
        assert!(is_invalid_request(client.fine_tunings_delete(id)), "{id:?}");
    }
    // Ids sent as query parameters: only blank ones are refused.
    for id in ["", " "] {
        assert!(
            is_invalid_request(client.batches_retrieve_many(&["ok".into(), id.into()])),
            "{id:?}"
        );
        assert!(
            is_invalid_request(client.batches_list(&ListBatchesParams::new().ids([id]))),
            "{id:?}"
        );
    }
    mock.assert_calls(0);
}

fn batches_list_sends_repeated_ids_and_the_cursor(driver: &dyn Driver) {
    let server = MockServer::start();
    let filtered = server.mock(|when, then| {
        when.method(GET).path(BATCHES).is_true(|req| {
            req.query_params()
                == [("id", "batch_a"), ("id", "batch_b"), ("cursor", "c1")]
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
        });
        then.status(200)
            .json_body(page_json(&["batch_a", "batch_b"], json!("c2")));
    });
    let plain = server.mock(|when, then| {
        when.method(GET)
            .path(BATCHES)
            .is_true(|req| req.uri().query().is_none());
        then.status(200)
            .json_body(page_json(&["batch_z"], Value::Null));
    });
    let client = client(driver, &server);
    let params = ListBatchesParams::new()
        .ids(["batch_a", "batch_b"])
        .cursor("c1");
    let page = client.batches_list(&params).unwrap();
    assert_eq!(ids_of(&page.data), ["batch_a", "batch_b"]);
    assert_eq!(page.next_cursor(), Some("c2"));
    let page = client.batches_list(&ListBatchesParams::new()).unwrap();
    assert_eq!(ids_of(&page.data), ["batch_z"]);
    assert_eq!(page.next_cursor(), None);
    filtered.assert_calls(1);
    plain.assert_calls(1);
}

fn batches_list_refuses_more_than_200_ids(driver: &dyn Driver) {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.any_request();
        then.status(200).json_body(page_json(&[], Value::Null));
    });
    let client = client(driver, &server);
    let ids: Vec<String> = (0..201).map(|i| format!("batch_{i}")).collect();
    match client.batches_list(&ListBatchesParams::new().ids(ids)) {
        Err(Error::InvalidRequest(message)) => {
            assert!(
                message.contains("200") && message.contains("201"),
                "{message}"
            )
        }
        other => panic!("expected an invalid request, got {other:?}"),
    }
    mock.assert_calls(0);
}

/// Three pages: no cursor → `a`, `a` → `b`, `b` → the end (`end` is how the last page says so).
fn three_pages(server: &MockServer, end: Value) -> [httpmock::Mock<'_>; 3] {
    let first = server.mock(|when, then| {
        when.method(GET).path(BATCHES).query_param_missing("cursor");
        then.status(200)
            .json_body(page_json(&["b1", "b2"], json!("a")));
    });
    let second = server.mock(|when, then| {
        when.method(GET)
            .path(BATCHES)
            .query_param("cursor", "a")
            .is_true(|req| req.query_params().len() == 1);
        then.status(200).json_body(page_json(&["b3"], json!("b")));
    });
    let third = server.mock(|when, then| {
        when.method(GET).path(BATCHES).query_param("cursor", "b");
        let mut body = page_json(&["b4", "b5"], Value::Null);
        match &end {
            Value::String(cursor) if cursor == "absent" => {
                body = json!({"object": "list", "data": body["data"].clone()});
            }
            other => body["paging"]["next_cursor"] = other.clone(),
        }
        then.status(200).json_body(body);
    });
    [first, second, third]
}

fn batches_list_all_follows_the_cursor_to_the_last_page(driver: &dyn Driver) {
    // The last page says so with a null, an empty or an absent cursor.
    for end in [Value::Null, json!(""), json!("absent")] {
        let server = MockServer::start();
        let pages = three_pages(&server, end.clone());
        let items = client(driver, &server).batches_list_all();
        let batches: Vec<_> = items.into_iter().collect::<Result<_, _>>().unwrap();
        assert_eq!(ids_of(&batches), ["b1", "b2", "b3", "b4", "b5"], "{end}");
        for page in &pages {
            page.assert_calls(1);
        }
    }
}

/// A `cursor` in the options is where the walk starts; the walk's own cursors then take over (the options
/// outrank a call's own parameters, so left in place it would ask for the same page every time).
fn batches_list_all_starts_at_a_cursor_given_in_the_options(driver: &dyn Driver) {
    let server = MockServer::start();
    // Each page asked for once, with one cursor and the options' other parameter.
    let page = |cursor: &'static str, ids: &'static [&'static str], next: Value| {
        server.mock(move |when, then| {
            when.method(GET)
                .path(BATCHES)
                .query_param("cursor", cursor)
                .query_param("x", "1")
                .is_true(|req| req.query_params().len() == 2);
            then.status(200).json_body(page_json(ids, next));
        })
    };
    let from_a = page("a", &["b3"], json!("b"));
    let from_b = page("b", &["b4", "b5"], Value::Null);
    let options = RequestOptions::new().query("cursor", "a").query("x", "1");
    let items = client(driver, &server).batches_list_all_with(&options);
    let batches: Vec<_> = items.into_iter().collect::<Result<_, _>>().unwrap();
    assert_eq!(ids_of(&batches), ["b3", "b4", "b5"]);
    from_a.assert_calls(1);
    from_b.assert_calls(1);
}

fn batches_list_all_fetches_pages_only_as_needed(driver: &dyn Driver) {
    let server = MockServer::start();
    let [first, second, third] = three_pages(&server, Value::Null);
    let items = client(driver, &server).batches_list_all_take(2);
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(Result::is_ok));
    first.assert_calls(1);
    second.assert_calls(0);
    third.assert_calls(0);
}

fn batches_list_all_stops_when_a_cursor_repeats(driver: &dyn Driver) {
    let server = MockServer::start();
    let first = server.mock(|when, then| {
        when.method(GET).path(BATCHES).query_param_missing("cursor");
        then.status(200).json_body(page_json(&["b1"], json!("a")));
    });
    let looping = server.mock(|when, then| {
        when.method(GET).path(BATCHES).query_param("cursor", "a");
        then.status(200).json_body(page_json(&["b2"], json!("a")));
    });
    let items = client(driver, &server).batches_list_all();
    let batches: Vec<_> = items.into_iter().collect::<Result<_, _>>().unwrap();
    assert_eq!(ids_of(&batches), ["b1", "b2"]);
    first.assert_calls(1);
    looping.assert_calls(1);
}

fn batches_list_all_ends_a_walk_of_endless_empty_pages_with_an_error(driver: &dyn Driver) {
    // Each page lists nothing and names another: a walk that would never end. Before the limit, empty
    // pages are walked through to the items after them.
    let empty = |n: usize| {
        let page = page_json(&[], json!(format!("c{n}")));
        Reply::json(200, &page.to_string())
    };
    let mut replies: Vec<Reply> = (0..49).map(empty).collect();
    replies.push(Reply::json(
        200,
        &page_json(&["b1"], json!("c49")).to_string(),
    ));
    replies.extend((50..120).map(empty));
    let server = ScriptedServer::start(replies);
    let mut settings = Settings::new(server.url());
    settings.max_retries = Some(0);
    let items = json_client(driver, &settings).unwrap().batches_list_all();
    assert!(
        matches!(&items[0], Ok(batch) if batch.id == "b1"),
        "{items:?}"
    );
    assert_eq!(items.len(), 2, "{items:?}");
    let Err(error) = &items[1] else {
        panic!("{items:?}")
    };
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert!(error.to_string().contains("50 empty pages"), "{error}");
    assert_eq!(server.requests().len(), 100);
}

fn batches_list_all_ends_with_an_error(driver: &dyn Driver) {
    let server = MockServer::start();
    let first = server.mock(|when, then| {
        when.method(GET).path(BATCHES).query_param_missing("cursor");
        then.status(200)
            .json_body(page_json(&["b1", "b2"], json!("a")));
    });
    let failing = server.mock(|when, then| {
        when.method(GET).path(BATCHES).query_param("cursor", "a");
        then.status(500)
            .json_body(json!({"error": {"message": "down"}}));
    });
    let items = client(driver, &server).batches_list_all();
    assert_eq!(items.len(), 3, "{items:?}");
    assert!(items[0].is_ok() && items[1].is_ok());
    assert!(
        matches!(items[2], Err(Error::InternalServer(_))),
        "{:?}",
        items[2]
    );
    first.assert_calls(1);
    failing.assert_calls(1);
}

fn batches_retrieve_many_sends_at_most_200_ids_per_request(driver: &dyn Driver) {
    let server = MockServer::start();
    let ids: Vec<String> = (0..450).map(|i| format!("batch_{i:03}")).collect();
    let mocks: Vec<_> = [(0, 200), (200, 400), (400, 450)]
        .into_iter()
        .map(|(start, end)| {
            let expected: Vec<(String, String)> = ids[start..end]
                .iter()
                .map(|id| ("id".to_owned(), id.clone()))
                .collect();
            let found = [ids[start].as_str(), ids[end - 1].as_str()];
            let body = page_json(&found, Value::Null);
            server.mock(move |when, then| {
                when.method(GET)
                    .path(BATCHES)
                    .is_true(move |req| req.query_params() == expected);
                then.status(200).json_body(body);
            })
        })
        .collect();
    let client = client(driver, &server);
    let batches = client.batches_retrieve_many(&ids).unwrap();
    assert_eq!(
        ids_of(&batches),
        [
            "batch_000",
            "batch_199",
            "batch_200",
            "batch_399",
            "batch_400",
            "batch_449"
        ]
    );
    for mock in &mocks {
        mock.assert_calls(1);
    }
    // No ids: no request (a listing without ids would list every batch).
    assert!(client.batches_retrieve_many(&[]).unwrap().is_empty());
    for mock in &mocks {
        mock.assert_calls(1);
    }
}

fn batches_retrieve_raw_response_has_the_metadata(driver: &dyn Driver) {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(GET).path("/openai/v1/batches/batch_01");
        then.status(200)
            .header("x-request-id", "req_batch")
            .json_body(batch_json("batch_01"));
    });
    let raw = client(driver, &server)
        .batches_retrieve_raw("batch_01")
        .unwrap();
    assert_eq!(raw.status(), 200);
    assert_eq!(raw.request_id(), Some("req_batch"));
    assert_eq!(raw.headers()["x-request-id"], "req_batch");
    let batch = raw.parse().unwrap();
    assert_eq!(batch.id, "batch_01");
    assert_eq!(batch.request_counts.map(|c| c.total), Some(2));
    mock.assert_calls(1);
}

// ---- Fine tunings -----------------------------------------------------------------------------------

fn fine_tuning_json(id: &str) -> Value {
    json!({
        "id": id,
        "object": "fine_tuning",
        "data": {
            "id": id,
            "name": "my-model",
            "base_model": "llama-3.1-8b-instant",
            "type": "lora",
            "input_file_id": "file_01",
            "created_at": 1_736_000_000.5,
            "fine_tuned_model": "ft:llama-3.1-8b-instant:my-model"
        }
    })
}

fn fine_tunings_use_the_v1_paths_and_exact_bodies(driver: &dyn Driver) {
    let server = MockServer::start();
    let list = server.mock(|when, then| {
        when.method(GET)
            .path(FINE_TUNINGS)
            .is_true(|req| req.body().is_empty());
        then.status(200).json_body(json!({
            "object": "list",
            "data": [fine_tuning_json("ft_1")["data"].clone()]
        }));
    });
    let create = server.mock(|when, then| {
        when.method(POST)
            .path(FINE_TUNINGS)
            .header("content-type", "application/json")
            .json_body(json!({
                "base_model": "llama-3.1-8b-instant",
                "input_file_id": "file_01",
                "name": "my-model",
                "type": "lora"
            }));
        then.status(200).json_body(fine_tuning_json("ft_1"));
    });
    let get = server.mock(|when, then| {
        when.method(GET)
            .is_true(|req| req.uri().path() == "/v1/fine_tunings/ft%2F1");
        then.status(200).json_body(fine_tuning_json("ft/1"));
    });
    let delete = server.mock(|when, then| {
        when.method(DELETE)
            .path("/v1/fine_tunings/ft_1")
            .is_true(|req| req.body().is_empty());
        then.status(200)
            .json_body(json!({"id": "ft_1", "object": "fine_tuning", "deleted": true}));
    });
    let client = client(driver, &server);

    let listed = client.fine_tunings_list().unwrap();
    assert_eq!(listed.data.len(), 1);
    assert_eq!(listed.data[0].type_.as_deref(), Some("lora"));

    let request = CreateFineTuningRequest::default()
        .base_model("llama-3.1-8b-instant")
        .input_file_id("file_01")
        .name("my-model")
        .type_("lora");
    let created = client.fine_tunings_create(&request).unwrap();
    assert_eq!(created.id.as_deref(), Some("ft_1"));
    assert_eq!(
        created.data.and_then(|d| d.fine_tuned_model).as_deref(),
        Some("ft:llama-3.1-8b-instant:my-model")
    );

    let fetched = client.fine_tunings_get("ft/1").unwrap();
    assert_eq!(fetched.id.as_deref(), Some("ft/1"));

    let deleted = client.fine_tunings_delete("ft_1").unwrap();
    assert_eq!(deleted.deleted, Some(true));

    for mock in [list, create, get, delete] {
        mock.assert_calls(1);
    }
}

// ---- Reranking --------------------------------------------------------------------------------------

fn reranking_create_sends_the_exact_body(driver: &dyn Driver) {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path("/openai/v1/reranking")
            .header("content-type", "application/json")
            .json_body(json!({
                "model": "llama-rerank",
                "query": "fast inference",
                "docs": ["LPUs are fast", "Cats sleep a lot"],
                "instruction": "Rank by relevance"
            }));
        then.status(200).json_body(json!({
            "results": [
                {"doc": "LPUs are fast", "score": 0.93},
                {"doc": "Cats sleep a lot", "score": 0.02}
            ]
        }));
    });
    let request = RerankingRequest::builder()
        .model("llama-rerank")
        .query("fast inference")
        .docs(vec![
            "LPUs are fast".to_owned(),
            "Cats sleep a lot".to_owned(),
        ])
        .instruction("Rank by relevance")
        .build()
        .expect("every required field is set");
    let response = client(driver, &server).reranking_create(&request).unwrap();
    assert_eq!(response.results.len(), 2);
    assert_eq!(response.results[0].doc, "LPUs are fast");
    assert!(response.results[0].score > response.results[1].score);
    mock.assert_calls(1);
}

// ---- Responses --------------------------------------------------------------------------------------

fn response_json() -> Value {
    json!({
        "id": "resp_01",
        "object": "response",
        "created_at": 1_736_000_000,
        "status": "completed",
        "model": "llama-3.3-70b-versatile",
        "error": null,
        "incomplete_details": null,
        "instructions": "Be brief.",
        "metadata": null,
        "output": [{
            "type": "message",
            "id": "msg_01",
            "role": "assistant",
            "status": "completed",
            "content": [{"type": "output_text", "text": "Hello!", "annotations": []}]
        }],
        "parallel_tool_calls": true,
        "service_tier": "auto",
        "store": false,
        "temperature": 1.0,
        "tool_choice": "auto",
        "tools": [],
        "top_p": 1.0,
        "truncation": "disabled",
        "usage": {
            "input_tokens": 5,
            "input_tokens_details": {"cached_tokens": 0},
            "output_tokens": 2,
            "output_tokens_details": {"cached_tokens": 0, "reasoning_tokens": 0},
            "total_tokens": 7
        }
    })
}

fn response_request() -> CreateResponseRequest {
    CreateResponseRequest::new(
        ResponseInput::Text("Say hello".into()),
        "llama-3.3-70b-versatile",
    )
    .instructions("Be brief.")
}

fn responses_create_sends_the_exact_body(driver: &dyn Driver) {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path("/openai/v1/responses")
            .header("content-type", "application/json")
            .json_body(json!({
                "model": "llama-3.3-70b-versatile",
                "input": "Say hello",
                "instructions": "Be brief."
            }));
        then.status(200).json_body(response_json());
    });
    let response = client(driver, &server)
        .responses_create(&response_request())
        .unwrap();
    assert_eq!(response.id, "resp_01");
    let text = response.output.iter().find_map(|item| match item {
        ResponseOutputItem::Message(message) => message.content.iter().find_map(|c| match c {
            ResponseOutputContent::OutputText(text) => Some(text.text.clone()),
            _ => None,
        }),
        _ => None,
    });
    assert_eq!(text.as_deref(), Some("Hello!"));
    mock.assert_calls(1);
}

fn responses_stream_true_is_refused_before_io(driver: &dyn Driver) {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.any_request();
        then.status(200).json_body(response_json());
    });
    let request = response_request().stream(true);
    match client(driver, &server).responses_create(&request) {
        Err(Error::InvalidRequest(message)) => assert!(message.contains("stream"), "{message}"),
        other => panic!("expected an invalid request, got {other:?}"),
    }
    mock.assert_calls(0);
}

for_both_clients!(
    embeddings_create_sends_the_exact_body,
    embeddings_float_and_base64_decode_to_the_same_vectors,
    embeddings_malformed_base64_is_a_decode_error,
    embeddings_raw_response_has_the_metadata,
    batches_create_sends_the_exact_body,
    batches_retrieve_and_cancel_send_one_encoded_segment,
    empty_ids_are_refused_before_io,
    batches_list_sends_repeated_ids_and_the_cursor,
    batches_list_refuses_more_than_200_ids,
    batches_list_all_follows_the_cursor_to_the_last_page,
    batches_list_all_starts_at_a_cursor_given_in_the_options,
    batches_list_all_fetches_pages_only_as_needed,
    batches_list_all_stops_when_a_cursor_repeats,
    batches_list_all_ends_a_walk_of_endless_empty_pages_with_an_error,
    batches_list_all_ends_with_an_error,
    batches_retrieve_many_sends_at_most_200_ids_per_request,
    batches_retrieve_raw_response_has_the_metadata,
    fine_tunings_use_the_v1_paths_and_exact_bodies,
    reranking_create_sends_the_exact_body,
    responses_create_sends_the_exact_body,
    responses_stream_true_is_refused_before_io,
);
