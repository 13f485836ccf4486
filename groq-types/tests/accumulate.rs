//! `ChatCompletionAccumulator`: a stream of chunks assembled into the completion it stands for.

use groq_types::accumulate::ChatCompletionAccumulator;
use groq_types::{
    ChatCompletion, ChatCompletionChunk, ChatCompletionMessageToolCall, ChatCompletionObject,
    FinishReason, ToolCallFunction,
};
use serde_json::{json, Value};

/// A chunk of the stream `chatcmpl-acc` with the given choices and `x_groq`.
fn chunk(choices: Value, x_groq: Value) -> ChatCompletionChunk {
    let mut chunk = json!({
        "id": "chatcmpl-acc",
        "object": "chat.completion.chunk",
        "created": 1752000000,
        "model": "openai/gpt-oss-120b",
        "system_fingerprint": "fp_acc",
        "choices": choices,
    });
    if !x_groq.is_null() {
        chunk["x_groq"] = x_groq;
    }
    serde_json::from_value(chunk).expect("the chunk parses")
}

/// A one-choice chunk for choice `index`.
fn delta(index: i64, delta: Value, finish_reason: Option<&str>) -> ChatCompletionChunk {
    chunk(
        json!([{"index": index, "delta": delta, "logprobs": null, "finish_reason": finish_reason}]),
        Value::Null,
    )
}

fn accumulate(chunks: &[ChatCompletionChunk]) -> ChatCompletion {
    let mut accumulator = ChatCompletionAccumulator::new();
    for chunk in chunks {
        accumulator.add(chunk);
    }
    accumulator.finish()
}

#[test]
fn content_and_reasoning_are_joined() {
    let completion = accumulate(&[
        chunk(
            json!([{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": null}]),
            json!({"id": "req_acc"}),
        ),
        delta(0, json!({"reasoning": "The user "}), None),
        delta(0, json!({"reasoning": "says hi."}), None),
        delta(0, json!({"content": "Hel"}), None),
        delta(0, json!({"content": "lo, "}), None),
        delta(0, json!({"content": "world!"}), None),
        delta(0, json!({}), Some("stop")),
    ]);
    assert_eq!(completion.id, "chatcmpl-acc");
    assert_eq!(completion.object, ChatCompletionObject::ChatCompletion);
    assert_eq!(completion.created, 1752000000);
    assert_eq!(completion.model, "openai/gpt-oss-120b");
    assert_eq!(completion.system_fingerprint.as_deref(), Some("fp_acc"));
    assert_eq!(completion.choices.len(), 1);
    let message = &completion.choices[0].message;
    assert_eq!(message.content.as_deref(), Some("Hello, world!"));
    assert_eq!(message.reasoning.as_deref(), Some("The user says hi."));
    assert_eq!(message.tool_calls, None);
    assert_eq!(completion.choices[0].finish_reason, FinishReason::Stop);
    assert_eq!(completion.content(), Some("Hello, world!"));
    assert_eq!(
        completion.x_groq.as_ref().map(|x| x.id.as_str()),
        Some("req_acc")
    );
}

#[test]
fn interleaved_tool_calls_are_assembled_by_index() {
    let completion = accumulate(&[
        delta(0, json!({"role": "assistant"}), None),
        delta(
            0,
            json!({"tool_calls": [{"index": 0, "id": "call_weather", "type": "function",
                                   "function": {"name": "get_weather", "arguments": ""}}]}),
            None,
        ),
        delta(
            0,
            json!({"tool_calls": [{"index": 1, "id": "call_calc", "type": "function",
                                   "function": {"name": "calculate", "arguments": "{\"expr"}}]}),
            None,
        ),
        delta(
            0,
            json!({"tool_calls": [{"index": 0, "function": {"arguments": "{\"location\":"}}]}),
            None,
        ),
        delta(
            0,
            json!({"tool_calls": [{"index": 1, "function": {"arguments": "ession\": \"2+2\"}"}}]}),
            None,
        ),
        delta(
            0,
            json!({"tool_calls": [{"index": 0, "function": {"arguments": " \"Paris\"}"}}]}),
            None,
        ),
        delta(0, json!({}), Some("tool_calls")),
    ]);
    let choice = &completion.choices[0];
    assert_eq!(choice.finish_reason, FinishReason::ToolCalls);
    assert_eq!(choice.message.content, None);
    let calls = &choice.message.tool_calls.as_ref().expect("tool calls").0;
    assert_eq!(
        calls,
        &[
            tool_call("call_weather", "get_weather", r#"{"location": "Paris"}"#),
            tool_call("call_calc", "calculate", r#"{"expression": "2+2"}"#),
        ]
    );
    let arguments: Value = serde_json::from_str(&calls[0].function.arguments).expect("JSON");
    assert_eq!(arguments, json!({"location": "Paris"}));
}

#[test]
fn usage_comes_from_the_final_chunk_x_groq() {
    let completion = accumulate(&[
        chunk(
            json!([{"index": 0, "delta": {"role": "assistant", "content": "Hi"}, "finish_reason": null}]),
            json!({"id": "req_usage"}),
        ),
        chunk(
            json!([{"index": 0, "delta": {}, "finish_reason": "stop"}]),
            json!({
                "id": "req_usage",
                "seed": 42,
                "usage": {
                    "queue_time": 0.01, "prompt_tokens": 12, "prompt_time": 0.002,
                    "completion_tokens": 3, "completion_time": 0.004, "total_tokens": 15, "total_time": 0.006
                },
                "usage_breakdown": {"models": [
                    {"model": "openai/gpt-oss-120b", "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15}}
                ]},
                "debug": {"output_tokens": ["Hi"], "output_token_ids": [13347]}
            }),
        ),
    ]);
    let usage = completion.usage.as_ref().expect("usage");
    assert_eq!(
        (
            usage.prompt_tokens,
            usage.completion_tokens,
            usage.total_tokens
        ),
        (12, 3, 15)
    );
    assert_eq!(usage.queue_time, Some(0.01));
    assert_eq!(usage.total_time, Some(0.006));
    let breakdown = completion
        .usage_breakdown
        .as_ref()
        .expect("usage_breakdown");
    assert_eq!(breakdown.models[0].model, "openai/gpt-oss-120b");
    assert_eq!(breakdown.models[0].usage.total_tokens, 15);
    let x_groq = completion.x_groq.as_ref().expect("x_groq");
    assert_eq!(x_groq.id, "req_usage");
    assert_eq!(x_groq.seed, Some(42));
    assert_eq!(
        x_groq.debug.as_ref().map(|d| d.output_tokens.clone()),
        Some(vec!["Hi".to_owned()])
    );
    assert_eq!(completion.content(), Some("Hi"));
}

#[test]
fn no_usage_and_no_x_groq_without_them_in_the_stream() {
    let completion = accumulate(&[
        delta(0, json!({"role": "assistant", "content": "Hi"}), None),
        delta(0, json!({}), Some("stop")),
    ]);
    assert_eq!(completion.usage, None);
    assert_eq!(completion.usage_breakdown, None);
    assert_eq!(completion.x_groq, None);
}

#[test]
fn finish_reason_comes_from_the_last_chunk_that_has_one() {
    let completion = accumulate(&[
        delta(0, json!({"role": "assistant", "content": "a"}), None),
        delta(0, json!({"content": "b"}), Some("length")),
    ]);
    assert_eq!(completion.choices[0].finish_reason, FinishReason::Length);

    let unfinished = accumulate(&[delta(0, json!({"content": "partial"}), None)]);
    assert_eq!(
        unfinished.choices[0].finish_reason,
        FinishReason::Unknown(String::new())
    );
    assert_eq!(unfinished.content(), Some("partial"));
}

#[test]
fn two_choices_are_kept_apart() {
    let completion = accumulate(&[
        chunk(
            json!([
                {"index": 1, "delta": {"role": "assistant", "content": "Bon"}, "finish_reason": null},
                {"index": 0, "delta": {"role": "assistant", "content": "Hel"}, "finish_reason": null}
            ]),
            Value::Null,
        ),
        delta(0, json!({"content": "lo"}), None),
        delta(1, json!({"content": "jour"}), None),
        delta(1, json!({}), Some("stop")),
        delta(0, json!({}), Some("length")),
    ]);
    assert_eq!(completion.choices.len(), 2);
    assert_eq!(completion.choices[0].index, 0);
    assert_eq!(
        completion.choices[0].message.content.as_deref(),
        Some("Hello")
    );
    assert_eq!(completion.choices[0].finish_reason, FinishReason::Length);
    assert_eq!(completion.choices[1].index, 1);
    assert_eq!(
        completion.choices[1].message.content.as_deref(),
        Some("Bonjour")
    );
    assert_eq!(completion.choices[1].finish_reason, FinishReason::Stop);
    assert_eq!(completion.content(), Some("Hello"));
}

#[test]
fn executed_tools_are_merged_by_index() {
    let completion = accumulate(&[
        delta(0, json!({"role": "assistant"}), None),
        delta(
            0,
            json!({"executed_tools": [
                {"index": 0, "type": "search", "arguments": "{\"query\": \"Paris weather\"}"}
            ]}),
            None,
        ),
        delta(
            0,
            json!({"executed_tools": [
                {"index": 1, "type": "python", "arguments": "{\"code\": \"2+2\"}"}
            ]}),
            None,
        ),
        delta(
            0,
            json!({"executed_tools": [{
                "index": 0, "type": "search", "arguments": "{\"query\": \"Paris weather\"}",
                "output": "18 °C",
                "search_results": {"results": [{"title": "Météo Paris", "url": "https://meteo.example/paris"}]}
            }]}),
            None,
        ),
        delta(
            0,
            json!({"executed_tools": [{
                "index": 1, "type": "python", "arguments": "{\"code\": \"2+2\"}",
                "output": "4", "code_results": [{"text": "4"}]
            }]}),
            None,
        ),
        delta(0, json!({"content": "It is 18 °C."}), Some("stop")),
    ]);
    let message = &completion.choices[0].message;
    assert_eq!(message.content.as_deref(), Some("It is 18 °C."));
    let tools = &message.executed_tools.as_ref().expect("executed tools").0;
    assert_eq!(tools.len(), 2);
    assert_eq!(tools[0].index, 0);
    assert_eq!(tools[0].type_, "search");
    assert_eq!(tools[0].output.as_deref(), Some("18 °C"));
    let results = tools[0].search_results.as_ref().expect("search results");
    assert_eq!(results.results[0].title.as_deref(), Some("Météo Paris"));
    assert_eq!(tools[1].index, 1);
    assert_eq!(tools[1].type_, "python");
    assert_eq!(tools[1].output.as_deref(), Some("4"));
    assert_eq!(tools[1].code_results[0].text.as_deref(), Some("4"));
}

#[test]
fn annotations_and_legacy_function_call_are_collected() {
    let completion = accumulate(&[
        delta(
            0,
            json!({"role": "assistant", "function_call": {"name": "get_", "arguments": "{\"a\""}}),
            None,
        ),
        delta(
            0,
            json!({"function_call": {"name": "weather", "arguments": ": 1}"}}),
            None,
        ),
        delta(
            0,
            json!({"annotations": [{"type": "document_citation",
                                    "document_citation": {"document_id": "d1", "start_index": 0, "end_index": 3}}]}),
            None,
        ),
        delta(
            0,
            json!({"annotations": [{"type": "function_citation",
                                    "function_citation": {"tool_call_id": "call_1", "start_index": 4, "end_index": 9}}]}),
            Some("function_call"),
        ),
    ]);
    let message = &completion.choices[0].message;
    let call = message.function_call.as_ref().expect("function call");
    assert_eq!(call.name, "get_weather");
    assert_eq!(call.arguments, "{\"a\": 1}");
    assert_eq!(message.annotations.len(), 2);
    assert_eq!(
        message.annotations[0]
            .document_citation
            .as_ref()
            .map(|c| c.document_id.as_str()),
        Some("d1")
    );
    assert_eq!(
        message.annotations[1]
            .function_citation
            .as_ref()
            .map(|c| c.tool_call_id.as_str()),
        Some("call_1")
    );
    assert_eq!(
        completion.choices[0].finish_reason,
        FinishReason::FunctionCall
    );
}

#[test]
fn accumulated_completion_serialises_like_a_completion() {
    let completion = accumulate(&[
        chunk(
            json!([{"index": 0, "delta": {"role": "assistant", "content": "Hi"}, "finish_reason": null}]),
            json!({"id": "req_json"}),
        ),
        chunk(
            json!([{"index": 0, "delta": {}, "finish_reason": "stop"}]),
            json!({"id": "req_json", "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}),
        ),
    ]);
    assert_eq!(
        serde_json::to_value(&completion).expect("serialises"),
        json!({
            "id": "chatcmpl-acc",
            "object": "chat.completion",
            "created": 1752000000,
            "model": "openai/gpt-oss-120b",
            "system_fingerprint": "fp_acc",
            "choices": [{
                "index": 0,
                "finish_reason": "stop",
                "logprobs": null,
                "message": {"role": "assistant", "content": "Hi"}
            }],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            "x_groq": {"id": "req_json"}
        })
    );
}

#[test]
fn usage_from_a_chunk_without_choices() {
    let completion = accumulate(&[
        delta(
            0,
            json!({"role": "assistant", "content": "Hi"}),
            Some("stop"),
        ),
        chunk(
            json!([]),
            json!({"id": "req_tail", "usage": {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6}}),
        ),
    ]);
    assert_eq!(completion.choices.len(), 1);
    assert_eq!(completion.usage.map(|u| u.total_tokens), Some(6));
    assert_eq!(completion.x_groq.map(|x| x.id), Some("req_tail".to_owned()));
}

#[test]
fn logprobs_are_joined() {
    let token = |text: &str, logprob: f64| json!({"token": text, "logprob": logprob, "bytes": null, "top_logprobs": []});
    let completion = accumulate(&[
        chunk(
            json!([{"index": 0, "delta": {"content": "Hel"}, "finish_reason": null,
                    "logprobs": {"content": [token("Hel", -0.1)]}}]),
            Value::Null,
        ),
        chunk(
            json!([{"index": 0, "delta": {"content": "lo"}, "finish_reason": "stop",
                    "logprobs": {"content": [token("lo", -0.2)]}}]),
            Value::Null,
        ),
    ]);
    let logprobs = completion.choices[0]
        .logprobs
        .as_ref()
        .and_then(|l| l.content.as_ref())
        .expect("logprobs");
    let tokens: Vec<(&str, f64)> = logprobs
        .iter()
        .map(|t| (t.token.as_str(), t.logprob))
        .collect();
    assert_eq!(tokens, [("Hel", -0.1), ("lo", -0.2)]);
}

#[test]
fn an_id_and_a_name_repeated_in_every_delta_are_not_doubled() {
    let completion = accumulate(&[
        delta(0, json!({"role": "assistant"}), None),
        delta(
            0,
            json!({"tool_calls": [{"index": 0, "id": "call_1", "type": "function",
                                   "function": {"name": "get_weather", "arguments": "{\"city\":"}}]}),
            None,
        ),
        delta(
            0,
            json!({"tool_calls": [{"index": 0, "id": "call_1", "type": "function",
                                   "function": {"name": "get_weather", "arguments": " \"Oslo\"}"}}]}),
            None,
        ),
        delta(0, json!({}), Some("tool_calls")),
    ]);
    let calls = &completion.choices[0]
        .message
        .tool_calls
        .as_ref()
        .expect("tool calls")
        .0;
    assert_eq!(
        calls,
        &[tool_call("call_1", "get_weather", r#"{"city": "Oslo"}"#)]
    );
}

#[test]
fn tool_calls_and_executed_tools_come_out_in_index_order() {
    let completion = accumulate(&[
        delta(
            0,
            json!({"tool_calls": [{"index": 1, "id": "call_b", "type": "function",
                                   "function": {"name": "second", "arguments": "{}"}}],
                   "executed_tools": [{"index": 1, "type": "python", "arguments": "{}"}]}),
            None,
        ),
        delta(
            0,
            json!({"tool_calls": [{"index": 0, "id": "call_a", "type": "function",
                                   "function": {"name": "first", "arguments": "{}"}}],
                   "executed_tools": [{"index": 0, "type": "search", "arguments": "{}"}]}),
            Some("tool_calls"),
        ),
    ]);
    let message = &completion.choices[0].message;
    let calls = &message.tool_calls.as_ref().expect("tool calls").0;
    assert_eq!(
        calls,
        &[
            tool_call("call_a", "first", "{}"),
            tool_call("call_b", "second", "{}")
        ]
    );
    let tools = &message.executed_tools.as_ref().expect("executed tools").0;
    let kinds: Vec<&str> = tools.iter().map(|t| t.type_.as_str()).collect();
    assert_eq!(kinds, ["search", "python"]);
}

fn tool_call(id: &str, name: &str, arguments: &str) -> ChatCompletionMessageToolCall {
    let function = ToolCallFunction::builder()
        .name(name)
        .arguments(arguments)
        .build()
        .expect("name and arguments are set");
    ChatCompletionMessageToolCall::new(function, id)
}
