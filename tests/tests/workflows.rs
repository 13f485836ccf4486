//! Structured outputs and the tool runner against a local scripted server, for both clients: what is sent
//! (the response format, the tools, each round's messages), what comes back (parsed values, the transcript,
//! usage summed over rounds) and how failures surface (unparsable answers keep their text, a 400 keeps its
//! `failed_generation`, failing tools are reported to the model or abort the run).

use groq_tests::driver::{Driver, Settings};
use groq_tests::driver_workflows::{
    tool_call_message, workflow_client, Mood, Person, RunnerSetup, Workflows,
};
use groq_tests::for_both_clients;
use groq_tests::scripted::{Reply, ScriptedServer};
use groq_types::ergonomics::parsed::WorkflowError;
use groq_types::ergonomics::strict_schema::OutputMode;
use groq_types::ergonomics::tool_runs::ToolRunEnd;
use groq_types::sdk::Error;
use groq_types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};
use serde_json::{json, Value};

fn client(driver: &dyn Driver, server: &ScriptedServer) -> Box<dyn Workflows> {
    let mut settings = Settings::new(server.url());
    settings.max_retries = Some(0);
    workflow_client(driver, &settings).unwrap()
}

fn request() -> CreateChatCompletionRequest {
    CreateChatCompletionRequest::from_messages(
        "llama-3.3-70b-versatile",
        [
            Message::system("You are a helpful assistant."),
            Message::user("Tell me about Ada."),
        ],
    )
}

fn completion(message: Value, finish_reason: &str, usage: [i64; 3]) -> Reply {
    let body = json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "llama-3.3-70b-versatile",
        "choices": [{"index": 0, "finish_reason": finish_reason, "logprobs": null, "message": message}],
        "usage": {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": usage[2],
                  "total_time": 0.25}
    });
    Reply::json(200, &body.to_string())
}

fn answer(content: &str) -> Reply {
    completion(
        json!({"role": "assistant", "content": content}),
        "stop",
        [10, 5, 15],
    )
}

/// An answer calling `calls`: (id, tool name, arguments JSON text).
fn tool_calls(calls: &[(&str, &str, &str)]) -> Reply {
    completion(tool_call_message(calls), "tool_calls", [20, 7, 27])
}

fn body(server: &ScriptedServer, index: usize) -> Value {
    let requests = server.requests();
    let recorded = requests.get(index).expect("the request was sent");
    serde_json::from_slice(&recorded.body).expect("a JSON body")
}

/// Walks a schema and checks every object is closed and requires all its properties, and that no format
/// is left.
fn assert_strict(node: &Value) {
    match node {
        Value::Object(object) => {
            assert!(!object.contains_key("format"), "format left in {node}");
            if object.get("type") == Some(&json!("object")) {
                assert_eq!(object["additionalProperties"], false, "{node}");
                let properties = object["properties"].as_object().unwrap();
                let required = object["required"].as_array().unwrap();
                let mut names: Vec<&String> = properties.keys().collect();
                names.sort();
                let mut listed: Vec<&str> = required.iter().filter_map(Value::as_str).collect();
                listed.sort();
                assert_eq!(names, listed, "{node}");
            }
            object.values().for_each(assert_strict);
        }
        Value::Array(items) => items.iter().for_each(assert_strict),
        _ => {}
    }
}

// ---- Structured outputs -----------------------------------------------------------------------------

fn create_parsed_sends_a_strict_schema_and_parses_the_answer(driver: &dyn Driver) {
    let server = ScriptedServer::start(vec![answer(
        r#"{"name": "Ada Lovelace", "age": 36, "nickname": null, "mood": "happy"}"#,
    )]);
    let parsed = client(driver, &server)
        .parse_person(&request(), OutputMode::Strict)
        .unwrap();
    assert_eq!(
        parsed.parsed,
        Person {
            name: "Ada Lovelace".into(),
            age: 36,
            nickname: None,
            mood: Mood::Happy
        }
    );
    assert_eq!(parsed.completion.id, "chatcmpl-1");
    let sent = body(&server, 0);
    let format = &sent["response_format"];
    assert_eq!(format["type"], "json_schema");
    assert_eq!(format["json_schema"]["name"], "Person");
    assert_eq!(format["json_schema"]["strict"], true);
    let schema = &format["json_schema"]["schema"];
    assert_strict(schema);
    let mut required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    required.sort_unstable();
    assert_eq!(required, ["age", "mood", "name", "nickname"]);
    assert_eq!(
        schema["properties"]["nickname"]["type"],
        json!(["string", "null"])
    );
    assert_eq!(
        schema["properties"]["age"],
        json!({"type": "integer", "description": "Age in years."})
    );
    assert!(schema.get("$schema").is_none());
    // The rest of the request is sent unchanged.
    assert_eq!(sent["messages"][1]["content"], "Tell me about Ada.");
    assert_eq!(sent["model"], "llama-3.3-70b-versatile");
}

fn best_effort_and_json_object_modes_remain_available(driver: &dyn Driver) {
    let text = r#"{"name": "Ada", "age": 36, "mood": "sad"}"#;
    let server = ScriptedServer::start(vec![answer(text), answer(text)]);
    let client = client(driver, &server);
    let loose = client
        .parse_person(&request(), OutputMode::BestEffort)
        .unwrap();
    assert_eq!(loose.parsed.mood, Mood::Sad);
    let object = client
        .parse_person(&request(), OutputMode::JsonObject)
        .unwrap();
    assert_eq!(object.parsed.nickname, None);
    let loose_format = &body(&server, 0)["response_format"];
    assert_eq!(loose_format["type"], "json_schema");
    assert_eq!(loose_format["json_schema"]["strict"], false);
    // Best effort sends the schema as derived: `age` keeps its format and `nickname` is not required.
    assert_eq!(
        loose_format["json_schema"]["schema"]["properties"]["age"]["format"],
        "uint32"
    );
    assert_eq!(
        body(&server, 1)["response_format"],
        json!({"type": "json_object"})
    );
}

fn an_answer_that_does_not_parse_keeps_the_raw_text(driver: &dyn Driver) {
    let raw = r#"{"name": "Ada", "age": -3, "nickname": null, "mood": "happy"}"#;
    let server = ScriptedServer::start(vec![answer(raw)]);
    let error = client(driver, &server)
        .parse_person(&request(), OutputMode::Strict)
        .unwrap_err();
    match error.workflow() {
        Some(WorkflowError::Unparsable {
            target,
            raw: kept,
            message,
            ..
        }) => {
            assert!(target.ends_with("Person"), "{target}");
            assert_eq!(kept, raw);
            assert!(message.contains("-3"), "{message}");
        }
        other => panic!("expected an unparsable answer, got {other:?} ({error})"),
    }
    assert_eq!(error.raw_output(), Some(raw));
}

fn a_400_exposes_the_failed_generation(driver: &dyn Driver) {
    let failed = r#"{"name": "Ada", "age": "thirty-six"}"#;
    let error_body = json!({"error": {
        "message": "Generated JSON does not match the expected schema.",
        "type": "invalid_request_error",
        "code": "json_validate_failed",
        "failed_generation": failed
    }});
    let server = ScriptedServer::start(vec![Reply::json(400, &error_body.to_string())]);
    let error = client(driver, &server)
        .parse_person(&request(), OutputMode::Strict)
        .unwrap_err();
    assert!(matches!(error, Error::BadRequest(_)), "{error:?}");
    assert_eq!(error.failed_generation(), Some(failed));
    assert_eq!(error.raw_output(), Some(failed));
}

fn a_type_strict_mode_cannot_express_is_refused_before_sending(driver: &dyn Driver) {
    let server = ScriptedServer::start(vec![answer("{}")]);
    let error = client(driver, &server)
        .parse_word_counts(&request())
        .unwrap_err();
    match &error {
        Error::InvalidRequest(message) => {
            assert!(message.contains("#/properties/counts"), "{message}");
            assert!(message.contains("map"), "{message}");
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert!(server.requests().is_empty(), "nothing may be sent");
}

fn an_answer_without_content_is_a_typed_error(driver: &dyn Driver) {
    let server = ScriptedServer::start(vec![tool_calls(&[("c1", "get_temperature", "{}")])]);
    let error = client(driver, &server)
        .parse_person(&request(), OutputMode::Strict)
        .unwrap_err();
    assert!(
        matches!(
            error.workflow(),
            Some(WorkflowError::NoContent { finish_reason: Some(reason), .. }) if reason == "tool_calls"
        ),
        "{error:?}"
    );
}

// ---- The tool runner --------------------------------------------------------------------------------

fn run_tools_answers_parallel_calls_and_returns_the_transcript(driver: &dyn Driver) {
    let server = ScriptedServer::start(vec![
        tool_calls(&[
            ("call_1", "get_temperature", r#"{"location": "New York"}"#),
            (
                "call_2",
                "get_weather_condition",
                r#"{"location": "London"}"#,
            ),
        ]),
        answer("New York is sunny at 22°C; London is rainy at 18°C."),
    ]);
    let run = client(driver, &server)
        .run_tools(&request(), &RunnerSetup::default())
        .unwrap();
    assert_eq!(run.end, ToolRunEnd::Answered);
    assert_eq!(run.rounds, 2);
    assert_eq!(
        run.completion.content(),
        Some("New York is sunny at 22°C; London is rainy at 18°C.")
    );
    assert_eq!(
        (
            run.usage.prompt_tokens,
            run.usage.completion_tokens,
            run.usage.total_tokens
        ),
        (30, 12, 42)
    );
    assert_eq!(run.usage.total_time, Some(0.5));
    assert_eq!(run.observed, vec![(1, 2), (2, 0)]);
    assert_eq!(
        run.results
            .iter()
            .map(|r| (r.call_id.as_str(), r.content.as_str(), r.is_error))
            .collect::<Vec<_>>(),
        vec![("call_1", "22°C", false), ("call_2", "Rainy", false)]
    );

    // Both rounds carry the tools, with the schema of the argument type.
    let first = body(&server, 0);
    let tools = first["tools"].as_array().unwrap();
    let names: Vec<&str> = tools
        .iter()
        .filter_map(|t| t["function"]["name"].as_str())
        .collect();
    assert_eq!(
        names,
        [
            "get_temperature",
            "get_weather_condition",
            "divide",
            "probe_a",
            "probe_b"
        ]
    );
    assert_eq!(
        tools[0]["function"]["parameters"]["properties"]["location"]["type"],
        "string"
    );
    assert_eq!(
        tools[0]["function"]["description"],
        "Get the temperature for a given location"
    );
    assert_eq!(first["messages"].as_array().unwrap().len(), 2);

    // The second round: the conversation, the assistant's calls, then one tool message per call, in order.
    let second = body(&server, 1);
    assert_eq!(second["tools"], first["tools"]);
    let messages = second["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 5, "{second}");
    assert_eq!(messages[2]["role"], "assistant");
    assert_eq!(messages[2]["tool_calls"][1]["id"], "call_2");
    assert_eq!(
        messages[3],
        json!({"role": "tool", "tool_call_id": "call_1", "content": "22°C"})
    );
    assert_eq!(
        messages[4],
        json!({"role": "tool", "tool_call_id": "call_2", "content": "Rainy"})
    );

    // The transcript is what was sent, plus the final answer.
    assert_eq!(run.messages.len(), 6);
    assert_eq!(
        serde_json::to_value(&run.messages[..5]).unwrap(),
        json!(messages)
    );
    assert_eq!(
        serde_json::to_value(&run.messages[5]).unwrap()["content"],
        "New York is sunny at 22°C; London is rainy at 18°C."
    );
}

fn failing_calls_are_reported_to_the_model(driver: &dyn Driver) {
    let server = ScriptedServer::start(vec![
        tool_calls(&[
            ("c1", "divide", r#"{"a": 1, "b": 0}"#),
            ("c2", "get_forecast", r#"{"location": "Paris"}"#),
            ("c3", "get_temperature", r#"{"city": "Paris"}"#),
            ("c4", "divide", r#"{"a": 9, "b": 3}"#),
        ]),
        answer("Sorry, some tools failed."),
    ]);
    let run = client(driver, &server)
        .run_tools(&request(), &RunnerSetup::default())
        .unwrap();
    assert_eq!(run.end, ToolRunEnd::Answered);
    let sent = body(&server, 1);
    let messages = sent["messages"].as_array().unwrap();
    let contents: Vec<Value> = messages[3..]
        .iter()
        .map(|m| {
            let content = m["content"].as_str().unwrap();
            serde_json::from_str(content).unwrap_or(Value::String(content.to_owned()))
        })
        .collect();
    assert_eq!(contents.len(), 4);
    assert_eq!(
        contents[0],
        json!({"is_error": true, "error": "division by zero"})
    );
    assert_eq!(contents[1]["is_error"], true);
    let unknown = contents[1]["error"].as_str().unwrap();
    assert!(unknown.contains("unknown tool `get_forecast`"), "{unknown}");
    assert!(unknown.contains("get_temperature"), "{unknown}");
    assert_eq!(contents[2]["is_error"], true);
    let invalid = contents[2]["error"].as_str().unwrap();
    assert!(invalid.contains("invalid arguments"), "{invalid}");
    assert!(invalid.contains("location"), "{invalid}");
    assert_eq!(contents[3], json!(3.0));
    assert_eq!(
        run.results.iter().map(|r| r.is_error).collect::<Vec<_>>(),
        [true, true, true, false]
    );
}

fn the_abort_policy_stops_at_a_failing_call(driver: &dyn Driver) {
    let server = ScriptedServer::start(vec![
        tool_calls(&[
            ("c1", "get_temperature", r#"{"location": "London"}"#),
            ("c2", "divide", r#"{"a": 1, "b": 0}"#),
        ]),
        answer("never asked for"),
    ]);
    let setup = RunnerSetup {
        abort: true,
        ..RunnerSetup::default()
    };
    let error = client(driver, &server)
        .run_tools(&request(), &setup)
        .unwrap_err();
    assert_eq!(
        error.workflow(),
        Some(&WorkflowError::tool("divide", "c2", "division by zero"))
    );
    assert_eq!(server.requests().len(), 1);
}

fn the_round_limit_stops_a_model_that_keeps_calling(driver: &dyn Driver) {
    let again = || tool_calls(&[("c", "get_temperature", r#"{"location": "Tokyo"}"#)]);
    let server = ScriptedServer::start(vec![again(), again(), again()]);
    let setup = RunnerSetup {
        max_rounds: 2,
        ..RunnerSetup::default()
    };
    let run = client(driver, &server)
        .run_tools(&request(), &setup)
        .unwrap();
    assert_eq!(run.end, ToolRunEnd::RoundLimit);
    assert_eq!(run.rounds, 2);
    assert_eq!(server.requests().len(), 2);
    assert_eq!(run.observed, vec![(1, 1), (2, 0)]);
    // The calls of the last answer were not run: the transcript ends with the first round's result.
    assert_eq!(run.messages.len(), 4);
    assert_eq!(run.completion.tool_calls().len(), 1);
    assert_eq!(run.usage.total_tokens, 54);
}

fn an_api_error_in_a_later_round_ends_the_run(driver: &dyn Driver) {
    let server = ScriptedServer::start(vec![
        tool_calls(&[("c", "get_temperature", r#"{"location": "London"}"#)]),
        Reply::json(503, r#"{"error": {"message": "over capacity"}}"#),
    ]);
    let error = client(driver, &server)
        .run_tools(&request(), &RunnerSetup::default())
        .unwrap_err();
    assert!(matches!(error, Error::InternalServer(_)), "{error:?}");
    assert_eq!(server.requests().len(), 2);
}

fn the_calls_of_one_answer_run_concurrently_in_async_only(driver: &dyn Driver) {
    let server = ScriptedServer::start(vec![
        tool_calls(&[("a", "probe_a", "{}"), ("b", "probe_b", "")]),
        answer("done"),
    ]);
    let run = client(driver, &server)
        .run_tools(&request(), &RunnerSetup::default())
        .unwrap();
    let expected = if driver.name() == "async" { 2 } else { 1 };
    assert_eq!(run.max_probes_in_flight, expected, "{}", driver.name());
    assert!(run.results.iter().all(|r| !r.is_error), "{:?}", run.results);
}

for_both_clients! {
    create_parsed_sends_a_strict_schema_and_parses_the_answer,
    best_effort_and_json_object_modes_remain_available,
    an_answer_that_does_not_parse_keeps_the_raw_text,
    a_400_exposes_the_failed_generation,
    a_type_strict_mode_cannot_express_is_refused_before_sending,
    an_answer_without_content_is_a_typed_error,
    run_tools_answers_parallel_calls_and_returns_the_transcript,
    failing_calls_are_reported_to_the_model,
    the_abort_policy_stops_at_a_failing_call,
    the_round_limit_stops_a_model_that_keeps_calling,
    an_api_error_in_a_later_round_ends_the_run,
    the_calls_of_one_answer_run_concurrently_in_async_only,
}

/// The async workflows can run on a multi-threaded runtime: their futures and the runner are `Send`.
#[test]
fn async_workflow_futures_are_send() {
    fn is_send<T: Send>(_: &T) -> bool {
        true
    }
    fn is_send_sync<T: Send + Sync>(_: &T) -> bool {
        true
    }
    let client = groq_async::Client::builder()
        .api_key("gsk_unused")
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    let runner = groq_async::ToolRunner::new();
    let request = request();
    let completions = client.chat().completions();
    assert!(is_send(&completions.run_tools(&request, &runner)));
    assert!(is_send(&completions.create_parsed::<Person>(&request)));
    assert!(is_send_sync(&runner));
    assert!(is_send_sync(&groq_blocking::ToolRunner::new()));
}
