//! The behaviour contract (`shared/client-behaviour.md`) for chat completions and models: each line is one
//! scenario, run against both clients by `for_both_clients!`. Scenarios that need a misbehaving server
//! (cut bodies, stalls, held connections) are in `streaming.rs`.

use groq_tests::driver::{Driver, Settings, TEST_KEY};
use groq_tests::fault_fixtures::slow_headers;
use groq_tests::for_both_clients;
use groq_tests::leaks::settles;
use groq_tests::ports::{HangingPort, RefusingPort};
use groq_tests::scripted::{Reply, ScriptedServer};
use groq_types::sdk::request::RETRY_COUNT_HEADER;
use groq_types::sdk::{Error, ErrorBody, RequestOptions};
use groq_types::{
    ChatCompletionRequestMessage as Message, CreateChatCompletionRequest, FinishReason,
};
use httpmock::prelude::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const CHAT: &str = "/openai/v1/chat/completions";
const MODELS: &str = "/openai/v1/models";

fn request() -> CreateChatCompletionRequest {
    CreateChatCompletionRequest::from_messages("llama-3.3-70b-versatile", [Message::user("Hi")])
}

fn completion_json() -> Value {
    json!({
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1_708_045_122,
        "model": "llama-3.3-70b-versatile",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello!"}, "finish_reason": "stop", "logprobs": null}],
        "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5, "queue_time": 0.01},
        "x_groq": {"id": "req_01"}
    })
}

fn models_json() -> Value {
    json!({"object": "list", "data": [{"id": "llama-3.3-70b-versatile", "object": "model", "created": 1, "owned_by": "Meta"}]})
}

fn ok_chat(server: &MockServer) -> httpmock::Mock<'_> {
    server.mock(|when, then| {
        when.method(POST).path(CHAT);
        then.status(200)
            .header("content-type", "application/json")
            .header("x-request-id", "req_01")
            .json_body(completion_json());
    })
}

// ---- A. Configuration -------------------------------------------------------------------------------

fn explicit_api_key_is_sent_as_bearer(driver: &dyn Driver) {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(GET)
            .path(MODELS)
            .header("authorization", format!("Bearer {TEST_KEY}"));
        then.status(200).json_body(models_json());
    });
    let client = driver.client(&Settings::new(server.base_url())).unwrap();
    client.models_list(&RequestOptions::new()).unwrap();
    mock.assert_calls(1);
}

fn missing_api_key_is_a_configuration_error_before_io(driver: &dyn Driver) {
    // In a process of its own without GROQ_API_KEY, whatever this one's environment holds: a one-line
    // configuration error naming the variable, and nothing sent.
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.any_request();
        then.status(200);
    });
    let output = probe(driver, &[("GROQ_BASE_URL", server.base_url())]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("configuration error") && stderr.contains("GROQ_API_KEY"),
        "{stderr}"
    );
    mock.assert_calls(0);
}

/// Runs `env_probe` for `driver`'s client with exactly `vars` as its Groq environment.
fn probe<V: AsRef<std::ffi::OsStr>>(
    driver: &dyn Driver,
    vars: &[(&str, V)],
) -> std::process::Output {
    probe_with(driver, &[], vars)
}

/// Runs `env_probe` for `driver`'s client built with the explicit `settings` (`--api-key K`,
/// `--base-url U`, `--header 'Name: value'`) and exactly `vars` as its Groq environment.
fn probe_with<V: AsRef<std::ffi::OsStr>>(
    driver: &dyn Driver,
    settings: &[&str],
    vars: &[(&str, V)],
) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_env_probe"));
    command.arg(driver.name()).args(settings);
    for name in ["GROQ_API_KEY", "GROQ_BASE_URL", "GROQ_CUSTOM_HEADERS"] {
        command.env_remove(name);
    }
    command.envs(vars.iter().map(|(name, value)| (name, value.as_ref())));
    command.output().expect("run env_probe")
}

fn the_environment_configures_key_base_url_and_custom_headers(driver: &dyn Driver) {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(GET)
            .path("/proxy/openai/v1/models")
            .header("authorization", "Bearer env-key")
            .header("x-team", "explicit-wins")
            .header("x-region", "eu");
        then.status(200).json_body(models_json());
    });
    let base = server.url("/proxy");
    let output = probe(
        driver,
        &[
            ("GROQ_API_KEY", "env-key"),
            ("GROQ_BASE_URL", &base),
            ("GROQ_CUSTOM_HEADERS", "X-Team: explicit-wins\nX-Region: eu"),
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "1 models");
    mock.assert_calls(1);

    // A variable that is set but not valid UTF-8 is refused, not taken as unset: with the base URL,
    // the key would have gone to api.groq.com instead.
    use std::os::unix::ffi::OsStrExt;
    let garbled = std::ffi::OsStr::from_bytes(b"http://127.0.0.1:9/\xff");
    for name in ["GROQ_API_KEY", "GROQ_BASE_URL", "GROQ_CUSTOM_HEADERS"] {
        let mut vars = vec![
            ("GROQ_API_KEY", std::ffi::OsStr::new("env-key")),
            ("GROQ_BASE_URL", std::ffi::OsStr::new(base.as_str())),
        ];
        vars.retain(|(set, _)| *set != name);
        vars.push((name, garbled));
        let output = probe(driver, &vars);
        assert_eq!(output.status.code(), Some(1), "{name}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(name) && stderr.contains("UTF-8") && !stderr.contains("127.0.0.1:9"),
            "{stderr}"
        );
    }
    mock.assert_calls(1);
}

fn explicit_settings_beat_the_environment(driver: &dyn Driver) {
    // A1, A2, A5: the key, the base URL and a default header given to the builder win over
    // GROQ_API_KEY, GROQ_BASE_URL and the same header in GROQ_CUSTOM_HEADERS; the environment's other
    // headers are still sent. Both servers answer, so a client that took the environment's base URL
    // shows where its request went.
    let models = models_json().to_string();
    let explicit = ScriptedServer::start(vec![Reply::json(200, &models)]);
    let from_env = ScriptedServer::start(vec![Reply::json(200, &models)]);
    let explicit_base = format!("{}/explicit", explicit.url());
    let output = probe_with(
        driver,
        &[
            "--api-key",
            "explicit-key",
            "--base-url",
            &explicit_base,
            "--header",
            "X-Team: explicit",
        ],
        &[
            ("GROQ_API_KEY", "env-key".to_owned()),
            ("GROQ_BASE_URL", format!("{}/env", from_env.url())),
            (
                "GROQ_CUSTOM_HEADERS",
                "X-Team: from-env\nX-Region: eu".to_owned(),
            ),
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Each request as (server, path, authorization, x-team, x-region).
    let seen: Vec<_> = [("explicit", &explicit), ("environment", &from_env)]
        .into_iter()
        .flat_map(|(server, scripted)| {
            scripted.requests().into_iter().map(move |request| {
                let all = |name: &str| -> Vec<String> {
                    request
                        .header_all(name)
                        .into_iter()
                        .map(str::to_owned)
                        .collect()
                };
                (
                    server,
                    request.path().to_owned(),
                    all("authorization"),
                    all("x-team"),
                    all("x-region"),
                )
            })
        })
        .collect();
    assert_eq!(
        seen,
        [(
            "explicit",
            "/explicit/openai/v1/models".to_owned(),
            vec!["Bearer explicit-key".to_owned()],
            vec!["explicit".to_owned()],
            vec!["eu".to_owned()],
        )]
    );
}

fn paths_join_under_a_base_path(driver: &dyn Driver) {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(GET).path("/custom/path/openai/v1/models");
        then.status(200).json_body(models_json());
    });
    for base in [server.url("/custom/path"), server.url("/custom/path/")] {
        let client = driver.client(&Settings::new(base)).unwrap();
        client.models_list(&RequestOptions::new()).unwrap();
    }
    mock.assert_calls(2);
}

fn default_headers_and_query_and_per_request_overrides(driver: &dyn Driver) {
    let server = MockServer::start();
    let client_defaults = server.mock(|when, then| {
        when.method(GET)
            .path(MODELS)
            .header("x-team", "default")
            .query_param("tenant", "t1")
            .header_missing("x-call");
        then.status(200).json_body(models_json());
    });
    let overridden = server.mock(|when, then| {
        when.method(GET)
            .path(MODELS)
            .header("x-team", "override")
            .header("x-call", "1")
            .query_param("tenant", "t1")
            .query_param("page", "2");
        then.status(200).json_body(models_json());
    });
    let mut settings = Settings::new(server.base_url());
    settings.headers = vec![("X-Team".into(), "default".into())];
    settings.query = vec![("tenant".into(), "t1".into())];
    let client = driver.client(&settings).unwrap();
    client.models_list(&RequestOptions::new()).unwrap();
    let options = RequestOptions::new()
        .header("X-Team", "override")
        .header("X-Call", "1")
        .query("page", "2");
    client.models_list(&options).unwrap();
    // A derived client carries the overrides on every call; the parent is unchanged.
    let derived = client.derived(&options).unwrap();
    derived.models_list(&RequestOptions::new()).unwrap();
    client.models_list(&RequestOptions::new()).unwrap();
    client_defaults.assert_calls(2);
    overridden.assert_calls(2);
}

/// A query parameter set again by a later layer (a request's options over the client's defaults, a derived
/// client's over its parent's) replaces the earlier value, as the official SDKs merge them; it is not sent
/// twice. Several values of one name given in one layer all go.
fn a_query_parameter_set_again_replaces_the_default(driver: &dyn Driver) {
    let models = models_json().to_string();
    let server = ScriptedServer::start((0..4).map(|_| Reply::json(200, &models)).collect());
    let mut settings = Settings::new(server.url());
    settings.query = vec![("dq".into(), "1".into()), ("keep".into(), "k".into())];
    let client = driver.client(&settings).unwrap();
    client
        .models_list(&RequestOptions::new().query("dq", "2"))
        .unwrap();
    client
        .models_list(&RequestOptions::new().query("dq", "3").query("dq", "4"))
        .unwrap();
    let derived = client
        .derived(&RequestOptions::new().query("dq", "5"))
        .unwrap();
    derived.models_list(&RequestOptions::new()).unwrap();
    derived
        .models_list(&RequestOptions::new().query("dq", "6"))
        .unwrap();
    let queries: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.query().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        queries,
        [
            "keep=k&dq=2",
            "keep=k&dq=3&dq=4",
            "keep=k&dq=5",
            "keep=k&dq=6"
        ]
    );
}

fn a_derived_client_shares_the_connection_pool(driver: &dyn Driver) {
    // Three requests, parent, derived, parent, over one connection: the derived client took the parent's
    // idle connection from the pool they share. Clients with pools of their own never can (the derived one
    // must connect). With one pool, a request made the moment the last answer is read may still find the
    // connection not yet back in the pool and connect anew (the async client hands it back from a runtime
    // worker); so the scenario is tried up to five times, and one run on a single connection shows the
    // pool is shared.
    let models = models_json().to_string();
    let mut connections = Vec::new();
    for _ in 0..5 {
        let server = ScriptedServer::start(vec![
            Reply::json(200, &models),
            Reply::json(200, &models),
            Reply::json(200, &models),
        ]);
        let client = driver.client(&Settings::new(server.url())).unwrap();
        client.models_list(&RequestOptions::new()).unwrap();
        let derived = client
            .derived(
                &RequestOptions::new()
                    .header("X-Derived", "1")
                    .max_retries(0),
            )
            .unwrap();
        derived.models_list(&RequestOptions::new()).unwrap();
        client.models_list(&RequestOptions::new()).unwrap();
        let requests = server.requests();
        assert_eq!(requests.len(), 3);
        assert_eq!(requests[1].header("x-derived"), Some("1"));
        assert_eq!(requests[2].header("x-derived"), None);
        let used = server.connections();
        if used == 1 {
            return;
        }
        connections.push(used);
    }
    panic!("the three requests never shared one connection: {connections:?} connections per run");
}

#[test]
fn the_async_client_is_cheap_to_clone_and_thread_safe() {
    fn assert_clone_send_sync<T: Clone + Send + Sync + 'static>() {}
    assert_clone_send_sync::<groq_async::Client>();
    assert_clone_send_sync::<groq_blocking::Client>();
    // The futures of the async client can move between threads (tokio::spawn needs this).
    fn assert_send<T: Send>(_: &T) {}
    let client = groq_async::Client::builder().api_key("k").build().unwrap();
    let request = request();
    assert_send(&client.chat().completions().create(&request));
    assert_send(&client.models().list());
}

fn per_request_max_retries_overrides_the_client(driver: &dyn Driver) {
    let server = MockServer::start();
    let failing = server.mock(|when, then| {
        when.method(GET).path(MODELS);
        then.status(500)
            .json_body(json!({"error": {"message": "down"}}));
    });
    let client = driver.client(&Settings::new(server.base_url())).unwrap();
    let error = client
        .models_list(&RequestOptions::new().max_retries(4))
        .unwrap_err();
    assert!(matches!(error, Error::InternalServer(_)), "{error:?}");
    failing.assert_calls(5);
}

// ---- A. Requests ------------------------------------------------------------------------------------

fn every_request_carries_auth_accept_and_user_agent(driver: &dyn Driver) {
    let server = MockServer::start();
    let name = driver.name();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path(CHAT)
            .header("authorization", format!("Bearer {TEST_KEY}"))
            .header("accept", "application/json")
            .header("content-type", "application/json")
            .is_true(move |req| {
                req.headers()
                    .get("user-agent")
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|ua| {
                        ua.starts_with("groq-rust/")
                            && ua.contains(env!("CARGO_PKG_VERSION"))
                            && ua.contains(name)
                    })
            });
        then.status(200).json_body(completion_json());
    });
    let client = driver.client(&Settings::new(server.base_url())).unwrap();
    client.chat(&request(), &RequestOptions::new()).unwrap();
    mock.assert_calls(1);
}

fn get_and_delete_carry_no_body_nor_content_type(driver: &dyn Driver) {
    let server = MockServer::start();
    let get = server.mock(|when, then| {
        when.method(GET)
            .path("/openai/v1/models/m1")
            .header_missing("content-type")
            .is_true(|req| req.body().is_empty());
        then.status(200)
            .json_body(json!({"id": "m1", "object": "model", "created": 1, "owned_by": "me"}));
    });
    let delete = server.mock(|when, then| {
        when.method(DELETE)
            .path("/openai/v1/models/m1")
            .header_missing("content-type")
            .is_true(|req| req.body().is_empty());
        then.status(200)
            .json_body(json!({"id": "m1", "object": "model", "deleted": true}));
    });
    let client = driver.client(&Settings::new(server.base_url())).unwrap();
    assert_eq!(client.models_retrieve("m1").unwrap().id, "m1");
    assert!(client.models_delete("m1").unwrap().deleted);
    get.assert_calls(1);
    delete.assert_calls(1);
}

fn json_bodies_are_compact_and_leave_unset_fields_out(driver: &dyn Driver) {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST).path(CHAT).is_true(|req| {
            req.body().as_ref()
                == br#"{"messages":[{"content":"Hi","role":"user"}],"model":"llama-3.3-70b-versatile"}"#
        });
        then.status(200).json_body(completion_json());
    });
    let client = driver.client(&Settings::new(server.base_url())).unwrap();
    client.chat(&request(), &RequestOptions::new()).unwrap();
    mock.assert_calls(1);
}

fn explicit_null_and_extra_body_fields_override_typed_ones(driver: &dyn Driver) {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST).path(CHAT).json_body(json!({
            "messages": [{"content": "Hi", "role": "user"}],
            "model": "llama-3.3-70b-versatile",
            "temperature": 0.2,
            "seed": null,
            "x_new_param": {"a": 1}
        }));
        then.status(200).json_body(completion_json());
    });
    let client = driver.client(&Settings::new(server.base_url())).unwrap();
    let options = RequestOptions::new()
        .body_field("temperature", 0.2)
        .body_field("seed", Value::Null)
        .body_field("x_new_param", json!({"a": 1}));
    client.chat(&request().temperature(1.5), &options).unwrap();
    mock.assert_calls(1);
}

fn path_parameters_are_one_encoded_segment(driver: &dyn Driver) {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(GET).is_true(|req| {
            req.uri().path() == "/openai/v1/models/meta-llama%2Fllama-4-scout"
        });
        then.status(200).json_body(
            json!({"id": "meta-llama/llama-4-scout", "object": "model", "created": 1, "owned_by": "Meta"}),
        );
    });
    let client = driver.client(&Settings::new(server.base_url())).unwrap();
    let model = client.models_retrieve("meta-llama/llama-4-scout").unwrap();
    assert_eq!(model.id, "meta-llama/llama-4-scout");
    mock.assert_calls(1);
}

fn empty_ids_are_refused_before_io(driver: &dyn Driver) {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.any_request();
        then.status(200);
    });
    let client = driver.client(&Settings::new(server.base_url())).unwrap();
    for id in ["", " ", ".."] {
        let error = client.models_retrieve(id).unwrap_err();
        assert!(
            matches!(error, Error::InvalidRequest(_)),
            "{id:?}: {error:?}"
        );
        let error = client.models_delete(id).unwrap_err();
        assert!(
            matches!(error, Error::InvalidRequest(_)),
            "{id:?}: {error:?}"
        );
    }
    mock.assert_calls(0);
}

// ---- A. Retries ------------------------------------------------------------------------------------

/// The server answers `status` to the first attempt and 200 to the second.
fn first_attempt_fails_with(
    server: &MockServer,
    status: u16,
) -> (httpmock::Mock<'_>, httpmock::Mock<'_>) {
    let first = server.mock(|when, then| {
        when.method(POST).path(CHAT).header(RETRY_COUNT_HEADER, "0");
        then.status(status)
            .json_body(json!({"error": {"message": format!("status {status}")}}));
    });
    let second = server.mock(|when, then| {
        when.method(POST).path(CHAT).header(RETRY_COUNT_HEADER, "1");
        then.status(200).json_body(completion_json());
    });
    (first, second)
}

fn retryable_statuses_are_retried_even_for_post(driver: &dyn Driver) {
    for status in [408, 409, 429, 500, 502, 503, 504, 529] {
        let server = MockServer::start();
        let (first, second) = first_attempt_fails_with(&server, status);
        let client = driver.client(&Settings::new(server.base_url())).unwrap();
        let raw = client.chat_raw(&request(), &RequestOptions::new()).unwrap();
        assert_eq!(raw.retries_taken(), 1, "status {status}");
        first.assert_calls(1);
        second.assert_calls(1);
    }
}

fn other_client_errors_are_not_retried(driver: &dyn Driver) {
    for status in [400, 401, 403, 404, 422, 418] {
        let server = MockServer::start();
        let (first, second) = first_attempt_fails_with(&server, status);
        let client = driver.client(&Settings::new(server.base_url())).unwrap();
        let error = client.chat(&request(), &RequestOptions::new()).unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        first.assert_calls(1);
        second.assert_calls(0);
    }
}

fn default_max_retries_is_two(driver: &dyn Driver) {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST).path(CHAT);
        then.status(503)
            .json_body(json!({"error": {"message": "busy"}}));
    });
    let client = driver.client(&Settings::new(server.base_url())).unwrap();
    let error = client.chat(&request(), &RequestOptions::new()).unwrap_err();
    assert!(matches!(error, Error::InternalServer(_)));
    mock.assert_calls(3);
}

fn should_retry_header_forces_and_forbids(driver: &dyn Driver) {
    let server = MockServer::start();
    let forced = server.mock(|when, then| {
        when.method(GET)
            .path(MODELS)
            .query_param("case", "force")
            .header(RETRY_COUNT_HEADER, "0");
        then.status(400)
            .header("x-should-retry", "true")
            .json_body(json!({"error": {"message": "x"}}));
    });
    let forced_ok = server.mock(|when, then| {
        when.method(GET)
            .path(MODELS)
            .query_param("case", "force")
            .header(RETRY_COUNT_HEADER, "1");
        then.status(200).json_body(models_json());
    });
    let forbidden = server.mock(|when, then| {
        when.method(GET).path(MODELS).query_param("case", "forbid");
        then.status(503)
            .header("x-should-retry", "false")
            .json_body(json!({"error": {"message": "x"}}));
    });
    let client = driver.client(&Settings::new(server.base_url())).unwrap();
    client
        .models_list(&RequestOptions::new().query("case", "force"))
        .unwrap();
    let error = client
        .models_list(&RequestOptions::new().query("case", "forbid"))
        .unwrap_err();
    assert!(matches!(error, Error::InternalServer(_)));
    forced.assert_calls(1);
    forced_ok.assert_calls(1);
    forbidden.assert_calls(1);
}

/// The gaps between the arrivals of the requests `server` received.
fn gaps_between_attempts(server: &ScriptedServer) -> Vec<Duration> {
    server
        .arrivals()
        .windows(2)
        .map(|pair| pair[1].duration_since(pair[0]))
        .collect()
}

fn retry_after_headers_set_the_wait(driver: &dyn Driver) {
    // Waits clearly longer than the backoff (at most 500 ms before the first retry), so that a client
    // that ignored the header could not meet them; measured between the attempts' arrivals at the
    // server, which include the client's wait.
    let models = models_json().to_string();
    let limited = r#"{"error":{"message":"slow down"}}"#;
    for (header, value, at_least) in [
        ("retry-after-ms", "1200", Duration::from_millis(1200)),
        ("retry-after", "1.5", Duration::from_millis(1500)),
    ] {
        let server = ScriptedServer::start(vec![
            Reply::json(429, limited).header(header, value),
            Reply::json(200, &models),
        ]);
        let mut settings = Settings::new(server.url());
        settings.retry_delay_scale = 1.0;
        let client = driver.client(&settings).unwrap();
        let raw = client.models_list_raw(&RequestOptions::new()).unwrap();
        assert_eq!(raw.retries_taken(), 1);
        let gaps = gaps_between_attempts(&server);
        assert_eq!(gaps.len(), 1, "{header}: {gaps:?}");
        assert!(gaps[0] >= at_least, "{header}: waited only {:?}", gaps[0]);
        assert!(
            gaps[0] < Duration::from_secs(30),
            "{header}: waited {:?}",
            gaps[0]
        );
        assert_eq!(server.requests()[1].header(RETRY_COUNT_HEADER), Some("1"));
    }
}

fn the_backoff_doubles_from_half_a_second(driver: &dyn Driver) {
    // A13: without a Retry-After, the waits are min(0.5 s * 2^n, 8 s) less up to 25 % jitter: at least
    // 375 ms before the first retry and 750 ms before the second, measured between the attempts'
    // arrivals at the server (only lower bounds: a busy machine may add to them).
    let busy = r#"{"error":{"message":"busy"}}"#;
    let server = ScriptedServer::start(vec![
        Reply::json(503, busy),
        Reply::json(503, busy),
        Reply::json(200, &models_json().to_string()),
    ]);
    let mut settings = Settings::new(server.url());
    settings.retry_delay_scale = 1.0;
    let client = driver.client(&settings).unwrap();
    let raw = client.models_list_raw(&RequestOptions::new()).unwrap();
    assert_eq!(raw.retries_taken(), 2);
    let gaps = gaps_between_attempts(&server);
    assert_eq!(gaps.len(), 2, "{gaps:?}");
    assert!(gaps[0] >= Duration::from_millis(375), "first wait {gaps:?}");
    assert!(
        gaps[1] >= Duration::from_millis(750),
        "second wait {gaps:?}"
    );
}

fn retry_count_header_numbers_the_attempts(driver: &dyn Driver) {
    let server = MockServer::start();
    let attempts: Vec<_> = (0..3)
        .map(|n| {
            server.mock(move |when, then| {
                when.method(GET)
                    .path(MODELS)
                    .header(RETRY_COUNT_HEADER, n.to_string());
                if n < 2 {
                    then.status(500)
                        .json_body(json!({"error": {"message": "x"}}));
                } else {
                    then.status(200).json_body(models_json());
                }
            })
        })
        .collect();
    let client = driver.client(&Settings::new(server.base_url())).unwrap();
    let raw = client.models_list_raw(&RequestOptions::new()).unwrap();
    assert_eq!(raw.retries_taken(), 2);
    for mock in &attempts {
        mock.assert_calls(1);
    }
}

fn retries_resend_the_same_body(driver: &dyn Driver) {
    let server = MockServer::start();
    let expected = json!({"messages": [{"content": "Hi", "role": "user"}], "model": "llama-3.3-70b-versatile", "seed": 7});
    let first = server.mock(|when, then| {
        when.method(POST)
            .path(CHAT)
            .header(RETRY_COUNT_HEADER, "0")
            .json_body(expected.clone());
        then.status(502);
    });
    let second = server.mock(|when, then| {
        when.method(POST)
            .path(CHAT)
            .header(RETRY_COUNT_HEADER, "1")
            .json_body(expected.clone());
        then.status(200).json_body(completion_json());
    });
    let client = driver.client(&Settings::new(server.base_url())).unwrap();
    client
        .chat(&request().seed(7), &RequestOptions::new())
        .unwrap();
    first.assert_calls(1);
    second.assert_calls(1);
}

fn connection_errors_are_retried_then_reported_with_their_cause(driver: &dyn Driver) {
    // A port nothing listens on: every attempt fails to connect.
    let port = RefusingPort::new();
    let mut settings = Settings::new(port.url());
    settings.max_retries = Some(1);
    let client = driver.client(&settings).unwrap();
    let error = client.models_list(&RequestOptions::new()).unwrap_err();
    assert!(error.is_connection(), "{error:?}");
    assert!(
        std::error::Error::source(&error).is_some(),
        "the cause is kept"
    );
}

fn timeouts_are_their_own_kind(driver: &dyn Driver) {
    // Headers a minute late, twice; each attempt gives up after 2 s, and the server sees it go.
    let models = models_json().to_string();
    let slow = || slow_headers(Reply::json(200, &models), Duration::from_secs(60));
    let server = ScriptedServer::start(vec![slow(), slow()]);
    let mut settings = Settings::new(server.url());
    settings.timeout = Some(Duration::from_secs(2));
    settings.max_retries = Some(1);
    let client = driver.client(&settings).unwrap();
    let started = Instant::now();
    let error = client.models_list(&RequestOptions::new()).unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "the timeout applied"
    );
    assert!(settles(Duration::from_secs(10), || server.requests().len() == 2));
}

fn the_connect_timeout_applies(driver: &dyn Driver) {
    // A3: a port whose accept queue is full never answers a connection. With a short connect timeout
    // and a long request timeout, the call fails with the connect timeout, long before the request
    // timeout (the bound is generous for a busy machine; without the connect timeout it is 60 s).
    let port = HangingPort::new();
    let mut settings = Settings::new(port.url());
    settings.connect_timeout = Some(Duration::from_millis(300));
    settings.timeout = Some(Duration::from_secs(60));
    settings.max_retries = Some(0);
    let client = driver.client(&settings).unwrap();
    let started = Instant::now();
    let error = client.models_list(&RequestOptions::new()).unwrap_err();
    let waited = started.elapsed();
    assert!(error.is_timeout(), "{error:?}");
    assert!(
        waited < Duration::from_secs(20),
        "the connect timeout did not apply: the call failed after {waited:?} with {error}"
    );
}

// ---- A. Errors -------------------------------------------------------------------------------------

fn statuses_map_to_error_kinds(driver: &dyn Driver) {
    type IsKind = fn(&Error) -> bool;
    let kinds: [(u16, IsKind); 11] = [
        (400, |e| matches!(e, Error::BadRequest(_))),
        (401, |e| matches!(e, Error::Authentication(_))),
        (403, |e| matches!(e, Error::PermissionDenied(_))),
        (404, |e| matches!(e, Error::NotFound(_))),
        (409, |e| matches!(e, Error::Conflict(_))),
        (422, |e| matches!(e, Error::UnprocessableEntity(_))),
        (429, |e| matches!(e, Error::RateLimit(_))),
        (500, |e| matches!(e, Error::InternalServer(_))),
        (503, |e| matches!(e, Error::InternalServer(_))),
        // Past 599 too, as the official SDKs (`>= 500`), and as the retry rule reads it.
        (600, |e| matches!(e, Error::InternalServer(_))),
        (418, |e| matches!(e, Error::Status(_))),
    ];
    let server = MockServer::start();
    let client = {
        let mut settings = Settings::new(server.base_url());
        settings.max_retries = Some(0);
        driver.client(&settings).unwrap()
    };
    for (status, is_kind) in kinds {
        let mut mock = server.mock(|when, then| {
            when.method(GET).path(MODELS);
            then.status(status)
                .json_body(json!({"error": {"message": "m"}}));
        });
        let error = client.models_list(&RequestOptions::new()).unwrap_err();
        assert!(is_kind(&error), "{status}: {error:?}");
        mock.delete();
    }
}

fn status_errors_expose_status_headers_request_id_and_body(driver: &dyn Driver) {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(POST).path(CHAT).query_param("case", "json");
        then.status(400)
            .header("x-request-id", "req_bad")
            .header("x-extra", "1")
            .json_body(json!({"error": {
                "message": "tool call validation failed",
                "type": "invalid_request_error",
                "code": "tool_use_failed",
                "failed_generation": "<function=calc>{\"x\": 1}</function>"
            }}));
    });
    server.mock(|when, then| {
        when.method(POST).path(CHAT).query_param("case", "text");
        then.status(404).body("not here");
    });
    let client = driver.client(&Settings::new(server.base_url())).unwrap();
    let error = client
        .chat(&request(), &RequestOptions::new().query("case", "json"))
        .unwrap_err();
    let api = error.api_error().expect("a status error");
    assert_eq!(api.status.as_u16(), 400);
    assert_eq!(api.request_id.as_deref(), Some("req_bad"));
    assert_eq!(error.request_id(), Some("req_bad"));
    assert_eq!(api.headers["x-extra"], "1");
    assert!(matches!(&api.body, ErrorBody::Json(v) if v["error"]["code"] == "tool_use_failed"));
    assert_eq!(api.code.as_deref(), Some("tool_use_failed"));
    assert_eq!(
        api.failed_generation.as_deref(),
        Some("<function=calc>{\"x\": 1}</function>")
    );
    // The message names the API's own message, type and code, not a dump of the body.
    let message = error.to_string();
    assert!(message.contains("tool call validation failed"), "{message}");
    assert!(
        message.contains("invalid_request_error") && message.contains("tool_use_failed"),
        "{message}"
    );
    assert!(!message.contains("failed_generation"), "{message}");

    let error = client
        .chat(&request(), &RequestOptions::new().query("case", "text"))
        .unwrap_err();
    let api = error.api_error().unwrap();
    assert_eq!(api.body, ErrorBody::Text("not here".into()));
    assert!(error.to_string().contains("not here"));
}

fn rate_limit_headers_are_typed(driver: &dyn Driver) {
    let server = MockServer::start();
    let headers = [
        ("x-ratelimit-limit-requests", "14400"),
        ("x-ratelimit-limit-tokens", "18000"),
        ("x-ratelimit-remaining-requests", "14370"),
        ("x-ratelimit-remaining-tokens", "17997"),
        ("x-ratelimit-reset-requests", "2m59.56s"),
        ("x-ratelimit-reset-tokens", "7.66s"),
        ("retry-after-ms", "1500"),
    ];
    server.mock(|when, then| {
        when.method(GET).path(MODELS).query_param("case", "ok");
        let mut then = then.status(200);
        for (k, v) in headers {
            then = then.header(k, v);
        }
        then.json_body(models_json());
    });
    server.mock(|when, then| {
        when.method(GET).path(MODELS).query_param("case", "limited");
        then.status(429)
            .header("retry-after", "2")
            .header("x-ratelimit-remaining-requests", "0")
            .header("x-ratelimit-remaining-tokens", "5")
            .header("x-ratelimit-reset-tokens", "2.5s")
            .json_body(json!({"error": {"message": "Rate limit reached", "type": "tokens", "code": "rate_limit_exceeded"}}));
    });
    let mut settings = Settings::new(server.base_url());
    settings.max_retries = Some(0);
    let client = driver.client(&settings).unwrap();
    let raw = client
        .models_list_raw(&RequestOptions::new().query("case", "ok"))
        .unwrap();
    // Every field, each from a header of a value no other header has: a field read from the wrong
    // header shows.
    let limits = raw.rate_limit();
    assert_eq!(limits.limit_requests, Some(14400));
    assert_eq!(limits.limit_tokens, Some(18000));
    assert_eq!(limits.remaining_requests, Some(14370));
    assert_eq!(limits.remaining_tokens, Some(17997));
    assert_eq!(limits.reset_requests, Some(Duration::from_millis(179_560)));
    assert_eq!(limits.reset_tokens, Some(Duration::from_millis(7_660)));
    assert_eq!(limits.retry_after, Some(Duration::from_millis(1_500)));

    let error = client
        .models_list(&RequestOptions::new().query("case", "limited"))
        .unwrap_err();
    let Error::RateLimit(api) = &error else {
        panic!("{error:?}")
    };
    let limits = api.rate_limit();
    assert_eq!(limits.retry_after, Some(Duration::from_secs(2)));
    assert_eq!(limits.remaining_requests, Some(0));
    assert_eq!(limits.remaining_tokens, Some(5));
    assert_eq!(limits.reset_tokens, Some(Duration::from_millis(2_500)));
    // Headers the answer did not carry are absent, not taken from another.
    assert_eq!(limits.limit_requests, None);
    assert_eq!(limits.limit_tokens, None);
    assert_eq!(limits.reset_requests, None);
}

// ---- A. Raw responses ------------------------------------------------------------------------------

fn raw_responses_carry_metadata_and_parse_on_demand(driver: &dyn Driver) {
    let server = MockServer::start();
    ok_chat(&server);
    let client = driver.client(&Settings::new(server.base_url())).unwrap();
    let raw = client.chat_raw(&request(), &RequestOptions::new()).unwrap();
    assert_eq!(raw.status().as_u16(), 200);
    assert_eq!(raw.request_id(), Some("req_01"));
    assert_eq!(raw.headers()["content-type"], "application/json");
    assert_eq!(raw.retries_taken(), 0);
    assert!(raw.elapsed() > Duration::ZERO);
    let completion = raw.parse().unwrap();
    assert_eq!(completion.content(), Some("Hello!"));
    assert_eq!(completion.choices[0].finish_reason, FinishReason::Stop);
    assert!(raw.text().contains("chatcmpl-1"));
}

// ---- B. Never a panic ------------------------------------------------------------------------------

fn malformed_success_bodies_are_decode_errors(driver: &dyn Driver) {
    let bodies: [(&str, &[u8]); 5] = [
        (
            "truncated",
            br#"{"id":"x","object":"chat.completion","choi"#,
        ),
        ("invalid", b"{not json}"),
        ("utf8", b"{\"id\":\"\xff\xfe\"}"),
        ("html", b"<html><body>502 Bad Gateway</body></html>"),
        ("empty", b""),
    ];
    let server = MockServer::start();
    for (case, body) in bodies {
        server.mock(|when, then| {
            when.method(POST).path(CHAT).query_param("case", case);
            then.status(200)
                .header("content-type", "text/html")
                .body(body);
        });
    }
    let client = driver.client(&Settings::new(server.base_url())).unwrap();
    for (case, _) in bodies {
        let error = client
            .chat(&request(), &RequestOptions::new().query("case", case))
            .unwrap_err();
        assert!(matches!(error, Error::Decode { .. }), "{case}: {error:?}");
    }
    let error = client
        .chat(&request(), &RequestOptions::new().query("case", "html"))
        .unwrap_err();
    let Error::Decode { body, message, .. } = error else {
        unreachable!()
    };
    assert!(body.contains("502 Bad Gateway"));
    assert!(
        message.contains("CreateChatCompletionResponse"),
        "{message}"
    );
}

fn error_bodies_that_are_not_json_never_panic(driver: &dyn Driver) {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(GET).path(MODELS);
        then.status(500).body(b"\xff\xfe<html>oops".as_slice());
    });
    let mut settings = Settings::new(server.base_url());
    settings.max_retries = Some(0);
    let client = driver.client(&settings).unwrap();
    let error = client.models_list(&RequestOptions::new()).unwrap_err();
    assert!(matches!(&error, Error::InternalServer(api) if matches!(api.body, ErrorBody::Text(_))));
    assert!(error.to_string().contains("oops"));
}

// ---- B. Forward compatible -------------------------------------------------------------------------

fn unknown_enum_values_and_fields_are_kept(driver: &dyn Driver) {
    // B2: a finish_reason and a service_tier this SDK does not know, and a field it does not know, decode
    // through the client; the values are kept as received and serialise back unchanged, in a completion
    // (and the finish_reason in a stream's chunk).
    let mut completion = completion_json();
    completion["choices"][0]["finish_reason"] = json!("brand_new");
    completion["service_tier"] = json!("brand_new_tier");
    completion["x_future_field"] = json!({"a": 1});
    let chunk = json!({
        "id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "llama-3.3-70b-versatile",
        "choices": [{"index": 0, "delta": {"content": "Hi"}, "finish_reason": "brand_new"}]
    });
    let server = ScriptedServer::start(vec![
        Reply::json(200, &completion.to_string()),
        Reply::sse(&[&format!("data: {chunk}\n\n"), "data: [DONE]\n\n"]),
    ]);
    let client = driver.client(&Settings::new(server.url())).unwrap();

    let completion = client.chat(&request(), &RequestOptions::new()).unwrap();
    let finish_reason = &completion.choices[0].finish_reason;
    assert_eq!(finish_reason.as_str(), "brand_new");
    assert!(finish_reason.is_unknown(), "{finish_reason:?}");
    let service_tier = completion.service_tier.as_ref().expect("the service tier");
    assert_eq!(service_tier.as_str(), "brand_new_tier");
    let again = serde_json::to_value(&completion).unwrap();
    assert_eq!(again["choices"][0]["finish_reason"], "brand_new");
    assert_eq!(again["service_tier"], "brand_new_tier");

    let items = client
        .chat_stream(&request(), &RequestOptions::new())
        .unwrap();
    assert_eq!(items.len(), 1, "{items:?}");
    let chunk = items[0].as_ref().unwrap();
    let finish_reason = chunk.choices[0]
        .finish_reason
        .as_ref()
        .expect("a finish_reason");
    assert_eq!(finish_reason.as_str(), "brand_new");
    let again = serde_json::to_value(chunk).unwrap();
    assert_eq!(again["choices"][0]["finish_reason"], "brand_new");
}

// ---- B. Secrets ------------------------------------------------------------------------------------

fn the_api_key_never_shows_in_debug_errors_or_logs(driver: &dyn Driver) {
    let capture = groq_tests::capture::Capture::new();
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(POST).path(CHAT);
        then.status(401).json_body(json!({"error": {"message": "Invalid API Key", "type": "invalid_request_error", "code": "invalid_api_key"}}));
    });
    let mut settings = Settings::new(server.base_url());
    settings.headers = vec![("Authorization".into(), format!("Bearer {TEST_KEY}"))];
    let (debug, error) = capture.record(|| {
        let client = driver.client(&settings).unwrap();
        let error = client.chat(&request(), &RequestOptions::new()).unwrap_err();
        (client.debug(), error)
    });
    let logs = capture.text();
    assert!(logs.contains("sending request"), "the SDK logged: {logs}");
    for text in [debug, format!("{error:?}"), error.to_string(), logs] {
        assert!(!text.contains(TEST_KEY), "the key leaked: {text}");
    }
}

// ---- B. Blocking inside a runtime -----------------------------------------------------------------

fn blocking_inside_an_async_runtime_is_a_clear_error(driver: &dyn Driver) {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(GET).path(MODELS);
        then.status(200).json_body(models_json());
    });
    let result = driver.list_models_inside_runtime(&Settings::new(server.base_url()));
    match driver.name() {
        "async" => assert_eq!(result.unwrap().data.len(), 1),
        _ => {
            let error = result.unwrap_err();
            assert!(matches!(error, Error::BlockingInAsyncContext), "{error:?}");
            assert!(error.to_string().contains("groq-async"));
        }
    }
}

for_both_clients!(
    explicit_api_key_is_sent_as_bearer,
    missing_api_key_is_a_configuration_error_before_io,
    the_environment_configures_key_base_url_and_custom_headers,
    explicit_settings_beat_the_environment,
    paths_join_under_a_base_path,
    default_headers_and_query_and_per_request_overrides,
    a_query_parameter_set_again_replaces_the_default,
    a_derived_client_shares_the_connection_pool,
    per_request_max_retries_overrides_the_client,
    every_request_carries_auth_accept_and_user_agent,
    get_and_delete_carry_no_body_nor_content_type,
    json_bodies_are_compact_and_leave_unset_fields_out,
    explicit_null_and_extra_body_fields_override_typed_ones,
    path_parameters_are_one_encoded_segment,
    empty_ids_are_refused_before_io,
    retryable_statuses_are_retried_even_for_post,
    other_client_errors_are_not_retried,
    default_max_retries_is_two,
    should_retry_header_forces_and_forbids,
    retry_after_headers_set_the_wait,
    the_backoff_doubles_from_half_a_second,
    retry_count_header_numbers_the_attempts,
    retries_resend_the_same_body,
    connection_errors_are_retried_then_reported_with_their_cause,
    timeouts_are_their_own_kind,
    the_connect_timeout_applies,
    statuses_map_to_error_kinds,
    status_errors_expose_status_headers_request_id_and_body,
    rate_limit_headers_are_typed,
    raw_responses_carry_metadata_and_parse_on_demand,
    malformed_success_bodies_are_decode_errors,
    error_bodies_that_are_not_json_never_panic,
    unknown_enum_values_and_fields_are_kept,
    the_api_key_never_shows_in_debug_errors_or_logs,
    blocking_inside_an_async_runtime_is_a_clear_error,
);
