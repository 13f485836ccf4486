//! The tool runner's edge cases, for both clients against the `test-util` mock transport: tools that take
//! no arguments (`()` and unit structs), a forced `tool_choice` (it holds for the first round only), the
//! token details summed over the rounds, and the calls after a failing one under `Abort`. What the runner sends is read from the requests the mock
//! recorded. The runner's common paths are in `workflows.rs`.

use groq_tests::driver_workflows::tool_call_message;
use groq_tests::dual_test;
use groq_types::ergonomics::tool_runs::ToolRunEnd;
use groq_types::{
    ChatCompletionNamedToolChoice, ChatCompletionRequestMessage as Message,
    CreateChatCompletionRequest, NamedToolChoiceFunction, ToolChoiceMode,
};
use serde_json::{json, Value};

/// The arguments of a tool that takes none, as a unit struct.
#[derive(serde::Deserialize, schemars::JsonSchema)]
struct Clock;

fn request() -> CreateChatCompletionRequest {
    CreateChatCompletionRequest::from_messages(
        "llama-3.3-70b-versatile",
        [Message::user("What time is it, and which clock says so?")],
    )
}

/// A completion with `message`, its usage with `cached` prompt tokens and `reasoning` tokens.
fn completion(message: Value, finish_reason: &str, cached: i64, reasoning: i64) -> Value {
    json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "llama-3.3-70b-versatile",
        "choices": [{"index": 0, "finish_reason": finish_reason, "logprobs": null, "message": message}],
        "usage": {"prompt_tokens": 20, "completion_tokens": 7, "total_tokens": 27,
                  "prompt_tokens_details": {"cached_tokens": cached},
                  "completion_tokens_details": {"reasoning_tokens": reasoning}}
    })
}

/// An answer calling `calls`: (id, tool name, arguments JSON text).
fn tool_calls(calls: &[(&str, &str, &str)]) -> Value {
    completion(tool_call_message(calls), "tool_calls", 16, 3)
}

fn answer(content: &str) -> Value {
    completion(
        json!({"role": "assistant", "content": content}),
        "stop",
        8,
        2,
    )
}

/// The `tool` messages of a request body: (call id, content).
fn tool_messages(body: &Value) -> Vec<(String, String)> {
    body["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| m["role"] == "tool")
        .map(|m| {
            let text = |key: &str| m[key].as_str().unwrap_or_default().to_owned();
            (text("tool_call_id"), text("content"))
        })
        .collect()
}

/// Runs the tool `now` with `tool_choice` set to `$choice`: the model calls it, then answers. Gives the
/// request, the run and the bodies the mock received.
macro_rules! run_now_with_choice {
    ($choice:expr) => {{
        let mock = groq::test_util::MockTransport::new();
        mock.push(groq::test_util::MockResponse::json(tool_calls(&[(
            "c1", "now", "{}",
        )])));
        mock.push(groq::test_util::MockResponse::json(answer("It is noon.")));
        let client = mock.client().unwrap();
        let runner = groq::ToolRunner::new().tool("now", "The current time", |_: ()| "12:00");
        let request = request().tool_choice($choice);
        let run = wait!(client.chat().completions().run_tools(&request, &runner)).unwrap();
        let sent: Vec<Value> = mock.requests().iter().filter_map(|r| r.json()).collect();
        (request, run, sent)
    }};
}

/// A forced choice is sent in the first round and `auto` in the second; the run ends with the answer.
macro_rules! forced_choice_is_released {
    ($choice:expr, $first:expr) => {{
        let (request, run, sent) = run_now_with_choice!($choice);
        assert_eq!(run.end, ToolRunEnd::Answered);
        assert_eq!(run.content(), Some("It is noon."));
        assert_eq!(run.rounds, 2);
        assert_eq!(sent.len(), 2);
        assert_eq!(sent[0]["tool_choice"], $first);
        assert_eq!(sent[1]["tool_choice"], "auto", "{}", sent[1]);
        // The request given to the runner is unchanged.
        assert_eq!(
            serde_json::to_value(&request).unwrap()["tool_choice"],
            $first
        );
    }};
}

dual_test! {
    fn the_abort_policy_starts_no_call_after_the_failing_one() {
        let mock = groq::test_util::MockTransport::new();
        mock.push(groq::test_util::MockResponse::json(tool_calls(&[
            ("c1", "pay", "{}"),
            ("c2", "fail", "{}"),
            ("c3", "pay", "{}"),
        ])));
        let client = mock.client().unwrap();
        let payments = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counted = std::sync::Arc::clone(&payments);
        let runner = groq::ToolRunner::new()
            .tool("pay", "Pays", move |_: ()| {
                counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                "paid"
            })
            .try_tool("fail", "Fails", |_: ()| Err::<String, _>("no".to_owned()))
            .on_tool_error(groq::ToolErrorPolicy::Abort);
        let error = wait!(client.chat().completions().run_tools(&request(), &runner)).unwrap_err();
        assert!(error.to_string().contains("no"), "{error}");
        // The call before the failing one ran; the one after it never started.
        assert_eq!(payments.load(std::sync::atomic::Ordering::SeqCst), 1);
        assert_eq!(mock.requests().len(), 1);
    }

    fn tools_of_unit_and_of_a_unit_struct_take_no_arguments() {
        let mock = groq::test_util::MockTransport::new();
        mock.push(groq::test_util::MockResponse::json(tool_calls(&[
            ("c1", "now", "{}"),
            ("c2", "clock", ""),
            ("c3", "now", " { } "),
            ("c4", "clock", "null"),
        ])));
        mock.push(groq::test_util::MockResponse::json(answer("It is noon by Big Ben.")));
        let client = mock.client().unwrap();
        let runner = groq::ToolRunner::new()
            .tool("now", "The current time", |_: ()| "12:00")
            .tool("clock", "The clock's name", |_: Clock| "Big Ben");
        let run = wait!(client.chat().completions().run_tools(&request(), &runner)).unwrap();

        assert_eq!(run.end, ToolRunEnd::Answered);
        assert_eq!(run.content(), Some("It is noon by Big Ben."));
        assert_eq!(run.rounds, 2);
        assert_eq!(
            run.results
                .iter()
                .map(|r| (r.call_id.as_str(), r.content.as_str(), r.is_error))
                .collect::<Vec<_>>(),
            [
                ("c1", "12:00", false),
                ("c2", "Big Ben", false),
                ("c3", "12:00", false),
                ("c4", "Big Ben", false)
            ]
        );
        let sent: Vec<Value> = mock.requests().iter().filter_map(|r| r.json()).collect();
        assert_eq!(sent.len(), 2);
        // Both tools are declared with an object schema, as the API requires.
        let empty = json!({"type": "object", "properties": {}});
        assert_eq!(sent[0]["tools"][0]["function"]["name"], "now");
        assert_eq!(sent[0]["tools"][0]["function"]["parameters"], empty);
        assert_eq!(sent[0]["tools"][1]["function"]["name"], "clock");
        // A unit struct keeps its doc comment as the description.
        assert_eq!(
            sent[0]["tools"][1]["function"]["parameters"],
            json!({"type": "object", "properties": {},
                   "description": "The arguments of a tool that takes none, as a unit struct."})
        );
        // The model saw the results, not errors.
        assert_eq!(
            tool_messages(&sent[1]),
            [
                ("c1".to_owned(), "12:00".to_owned()),
                ("c2".to_owned(), "Big Ben".to_owned()),
                ("c3".to_owned(), "12:00".to_owned()),
                ("c4".to_owned(), "Big Ben".to_owned())
            ]
        );
    }

    fn arguments_given_to_a_tool_that_takes_none_are_an_error() {
        let mock = groq::test_util::MockTransport::new();
        mock.push(groq::test_util::MockResponse::json(tool_calls(&[(
            "c1", "now", r#"{"zone": "UTC"}"#,
        )])));
        mock.push(groq::test_util::MockResponse::json(answer("Sorry.")));
        let client = mock.client().unwrap();
        let runner = groq::ToolRunner::new().tool("now", "The current time", |_: ()| "12:00");
        let run = wait!(client.chat().completions().run_tools(&request(), &runner)).unwrap();
        assert_eq!(run.results.len(), 1);
        assert!(run.results[0].is_error, "{:?}", run.results);
        assert!(run.results[0].content.contains("invalid arguments"), "{:?}", run.results);
    }

    fn a_required_tool_choice_holds_for_the_first_round_only() {
        forced_choice_is_released!(ToolChoiceMode::Required, "required");
    }

    fn a_named_tool_choice_holds_for_the_first_round_only() {
        forced_choice_is_released!(
            ChatCompletionNamedToolChoice::new(NamedToolChoiceFunction::new("now")),
            json!({"type": "function", "function": {"name": "now"}})
        );
    }

    fn tool_choices_that_force_nothing_are_sent_in_every_round() {
        for choice in [ToolChoiceMode::None, ToolChoiceMode::Auto] {
            let (_, run, sent) = run_now_with_choice!(choice.clone());
            assert_eq!(run.end, ToolRunEnd::Answered);
            assert_eq!(sent.len(), 2);
            for body in &sent {
                assert_eq!(body["tool_choice"], choice.as_str(), "{body}");
            }
        }
    }

    fn the_usage_of_a_run_keeps_the_token_details() {
        let mock = groq::test_util::MockTransport::new();
        mock.push(groq::test_util::MockResponse::json(tool_calls(&[("c1", "now", "{}")])));
        mock.push(groq::test_util::MockResponse::json(answer("It is noon.")));
        let client = mock.client().unwrap();
        let runner = groq::ToolRunner::new().tool("now", "The current time", |_: ()| "12:00");
        let run = wait!(client.chat().completions().run_tools(&request(), &runner)).unwrap();
        assert_eq!(run.usage.total_tokens, 54);
        let cached = run.usage.prompt_tokens_details.as_ref().map(|d| d.cached_tokens);
        let reasoning = run.usage.completion_tokens_details.as_ref().map(|d| d.reasoning_tokens);
        assert_eq!((cached, reasoning), (Some(24), Some(5)));
    }
}

/// groq-async's `async_tool` reads the arguments of a tool that takes none in the same way.
#[test]
fn an_async_tool_of_unit_takes_no_arguments() {
    let mock = groq_async::test_util::MockTransport::new();
    mock.push(groq_async::test_util::MockResponse::json(tool_calls(&[
        ("c1", "now", "{}"),
        ("c2", "clock", ""),
    ])));
    mock.push(groq_async::test_util::MockResponse::json(answer("Noon.")));
    let client = mock.client().unwrap();
    let runner = groq_async::ToolRunner::new()
        .async_tool("now", "The current time", |_: ()| async {
            Ok::<_, std::io::Error>("12:00")
        })
        .async_tool("clock", "The clock's name", |_: Clock| async {
            Ok::<_, std::io::Error>("Big Ben")
        });
    let run = groq_tests::driver::runtime()
        .block_on(client.chat().completions().run_tools(&request(), &runner))
        .unwrap();
    assert_eq!(run.end, ToolRunEnd::Answered);
    assert_eq!(
        run.results
            .iter()
            .map(|r| (r.content.as_str(), r.is_error))
            .collect::<Vec<_>>(),
        [("12:00", false), ("Big Ben", false)]
    );
    let sent: Vec<Value> = mock.requests().iter().filter_map(|r| r.json()).collect();
    assert_eq!(
        sent.first()
            .map(|body| body["tools"][0]["function"]["parameters"].clone()),
        Some(json!({"type": "object", "properties": {}}))
    );
}

/// An async tool is called when its call starts: under `Abort`, the tool after the failing call is never
/// called, even where it does something before its future runs (async-only: blocking has no async tools).
#[test]
fn the_abort_policy_calls_no_async_tool_after_the_failing_one() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    let mock = groq_async::test_util::MockTransport::new();
    mock.push(groq_async::test_util::MockResponse::json(tool_calls(&[
        ("c1", "pay", "{}"),
        ("c2", "fail", "{}"),
        ("c3", "pay", "{}"),
    ])));
    let client = mock.client().unwrap();
    let payments = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&payments);
    let runner = groq_async::ToolRunner::new()
        .async_tool("pay", "Pays", move |_: ()| {
            counted.fetch_add(1, Ordering::SeqCst);
            std::future::ready(Ok::<_, String>("paid"))
        })
        .try_tool("fail", "Fails", |_: ()| Err::<String, _>("no".to_owned()))
        .on_tool_error(groq_async::ToolErrorPolicy::Abort);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let outcome = runtime.block_on(client.chat().completions().run_tools(&request(), &runner));
    assert!(outcome.is_err());
    assert_eq!(payments.load(Ordering::SeqCst), 1);
}
