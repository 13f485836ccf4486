//! The escape hatch, `client.get/post/delete` and `client.endpoints()`: any path, typed or untyped, with the
//! typed resources' retries, error mapping, options and raw responses; and a typed resource's raw response
//! parsed into a type of the caller's choosing. Against both clients.

use groq_tests::dual_test;
use groq_tests::scripted::{Reply, ScriptedServer};
use groq_types::sdk::{Error, RequestOptions};
use groq_types::ListModelsResponse;
use groq_types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};
use serde::Deserialize;
use serde_json::{json, Value};

const MODELS: &str =
    r#"{"object":"list","data":[{"id":"m","object":"model","created":1,"owned_by":"g"}]}"#;

macro_rules! client {
    ($server:expr) => {
        groq::Client::builder()
            .api_key("gsk_escape_hatch")
            .base_url($server.url())
            .retry_delay_scale(0.0)
            .build()
            .unwrap()
    };
}

/// The part of a chat completion a hot path might read: its content and nothing else.
#[derive(Deserialize)]
struct ContentOnly {
    choices: Vec<ChoiceContent>,
}

#[derive(Deserialize)]
struct ChoiceContent {
    message: MessageContent,
}

#[derive(Deserialize)]
struct MessageContent {
    content: Option<String>,
}

dual_test! {
    fn a_raw_response_parses_into_the_callers_type_and_keeps_its_body() {
        let mock = groq::test_util::MockTransport::new();
        mock.push(groq::test_util::MockResponse::json(json!({
            "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "m",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello!"},
                         "finish_reason": "stop", "logprobs": null}],
            "x_groq": {"id": "req_1", "not_in_the_spec": 7}
        })));
        let client = mock.client().unwrap();
        let request = CreateChatCompletionRequest::from_messages("m", [Message::user("Hi")]);
        let raw = wait!(client.chat().completions().with_raw_response().create(&request)).unwrap();

        let mine: ContentOnly = raw.parse_as().unwrap();
        assert_eq!(mine.choices[0].message.content.as_deref(), Some("Hello!"));
        // A field the SDK's types do not hold is there for a type that asks for it.
        let untyped: Value = raw.parse_as().unwrap();
        assert_eq!(untyped["x_groq"]["not_in_the_spec"], 7);
        // A type the body does not fit is a decode error naming that type; the body is still there.
        let error = raw.parse_as::<ListModelsResponse>().unwrap_err();
        assert!(matches!(error, Error::Decode { .. }), "{error:?}");
        assert!(error.to_string().contains("ListModelsResponse"), "{error}");
        assert_eq!(raw.parse().unwrap().content(), Some("Hello!"));
    }

    fn get_parses_into_the_named_type_and_retries_like_a_resource() {
        let server = ScriptedServer::start(vec![
            Reply::json(503, r#"{"error":{"message":"busy","type":"server_error"}}"#),
            Reply::json(200, MODELS),
        ]);
        let client = client!(server);
        let models: ListModelsResponse = wait!(client.get("/openai/v1/models")).unwrap();
        assert_eq!(models.data[0].id, "m");
        let requests = server.requests();
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[1].method, "GET");
        assert_eq!(requests[1].path(), "/openai/v1/models");
        assert_eq!(requests[1].header("authorization"), Some("Bearer gsk_escape_hatch"));
    }

    fn post_sends_json_and_delete_and_post_empty_send_no_body() {
        let server = ScriptedServer::start(vec![
            Reply::json(200, r#"{"ok":true}"#),
            Reply::json(200, r#"{"deleted":true}"#),
            Reply::json(200, r#"{"status":"cancelling"}"#),
        ]);
        let client = client!(server);
        let answer: Value =
            wait!(client.post("/openai/v1/new-endpoint", &json!({"input": "hi"}))).unwrap();
        assert_eq!(answer, json!({"ok": true}));
        let deleted: Value = wait!(client.delete("/openai/v1/files/file_1")).unwrap();
        assert_eq!(deleted["deleted"], true);
        let cancelled: Value =
            wait!(client.endpoints().post_empty("/openai/v1/batches/b_1/cancel")).unwrap();
        assert_eq!(cancelled["status"], "cancelling");
        let requests = server.requests();
        assert_eq!(requests[0].method, "POST");
        assert_eq!(serde_json::from_str::<Value>(&requests[0].body_text()).unwrap(), json!({"input": "hi"}));
        assert_eq!(requests[1].method, "DELETE");
        assert_eq!(requests[2].method, "POST");
        assert_eq!(requests[2].header("content-length"), Some("0"));
    }

    fn raw_form_and_options_apply() {
        let server = ScriptedServer::start(vec![Reply::json(200, MODELS).header("x-request-id", "req_1")]);
        let client = client!(server);
        let raw = wait!(client
            .endpoints()
            .with_options(&RequestOptions::new().query("limit", "5"))
            .with_raw_response()
            .get::<ListModelsResponse>("/openai/v1/models"))
        .unwrap();
        assert_eq!(raw.status(), 200);
        assert_eq!(raw.request_id(), Some("req_1"));
        assert_eq!(raw.parse().unwrap().data.len(), 1);
        assert_eq!(server.requests()[0].query(), Some("limit=5"));
    }

    fn errors_map_as_for_typed_resources_and_bad_paths_fail_before_sending() {
        let server = ScriptedServer::start(vec![Reply::json(
            404,
            r#"{"error":{"message":"no such thing","type":"invalid_request_error"}}"#,
        )]);
        let client = client!(server);
        let error = wait!(client.get::<Value>("/openai/v1/unknown")).unwrap_err();
        assert!(matches!(error, Error::NotFound(_)), "{error:?}");
        for bad in [
            "openai/v1/models",
            "https://elsewhere.example/x",
            "//elsewhere.example/x",
            // URL parsing reads a backslash as a slash and drops tabs and newlines: each of these would
            // name another host, with the key.
            "/\\\\elsewhere.example/x",
            "/\\/elsewhere.example/x",
            "/\t//elsewhere.example/x",
            "/\n//elsewhere.example/x",
        ] {
            let error = wait!(client.get::<Value>(bad)).unwrap_err();
            assert!(matches!(error, Error::InvalidRequest(_)), "{bad}: {error:?}");
        }
        assert_eq!(server.requests().len(), 1);
    }

    fn a_base_url_query_goes_with_every_call_and_paths_may_hold_colons_and_urls_in_queries() {
        let server = ScriptedServer::start(vec![
            Reply::json(200, MODELS),
            Reply::json(200, "{}"),
            Reply::json(200, "{}"),
        ]);
        let client = groq::Client::builder()
            .api_key("gsk_escape_hatch")
            .base_url(format!("{}?token=abc", server.url().trim_end_matches('/')))
            .build()
            .unwrap();
        wait!(client.models().list()).unwrap();
        wait!(client.get::<Value>("/v1:beta/things")).unwrap();
        wait!(client.get::<Value>("/openai/v1/things?callback=https://example.com/hook")).unwrap();
        let requests = server.requests();
        assert_eq!(requests[0].path(), "/openai/v1/models");
        assert_eq!(requests[0].query(), Some("token=abc"));
        assert_eq!(requests[1].path(), "/v1:beta/things");
        assert_eq!(requests[1].query(), Some("token=abc"));
        assert_eq!(requests[2].path(), "/openai/v1/things");
        assert_eq!(
            requests[2].query(),
            Some("token=abc&callback=https://example.com/hook")
        );
    }
}
