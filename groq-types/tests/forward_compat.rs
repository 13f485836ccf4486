//! Forward compatibility of the response types: a value, a field or a union member that this version of the
//! SDK does not know must not break deserialisation, and must be sent back unchanged.
//!
//! One test per open enum reachable from the 200 responses of the API's operations: each takes a realistic
//! payload of the response type that contains it, puts an unknown value in the enum's place, and checks that
//! the value lands in `Unknown(…)` and serialises back to the same string.

use groq_types::{
    AnnotationType, AssistantRole, Batch, BatchObject, BatchStatus, ChartType, ChatCompletion,
    ChatCompletionChunk, ChatCompletionChunkObject, ChatCompletionObject, CreateEmbeddingResponse,
    CreateResponseResponse, EmbeddingObject, File, FileObjectType, FilePurpose, FinishReason,
    FunctionToolType, ListModelsResponse, ListObject, Model, ModelObject, ResponseAnnotation,
    ResponseFormatConfiguration, ResponseItemStatus, ResponseObject, ResponseOutputContent,
    ResponseOutputItem, ResponseReasoningEffort, ResponseServiceTier, ResponseStatus,
    ResponseToolChoiceOption, ResponseTruncation, ServiceTier, StreamDeltaRole, ToolChoiceMode,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------------------
// Realistic payloads of each response type, with only known values.
// ---------------------------------------------------------------------------------------------------------

fn chat_completion() -> Value {
    json!({
        "id": "chatcmpl-f51b2cd2-bef7-417e-964e-a08f0b513c22",
        "object": "chat.completion",
        "created": 1730241104,
        "model": "llama-3.3-70b-versatile",
        "system_fingerprint": "fp_179b0f92c9",
        "service_tier": "on_demand",
        "choices": [{
            "index": 0,
            "message": {
                "role": "assistant",
                "content": "Fast language models matter because…",
                "tool_calls": [{
                    "id": "call_d5wg",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": "{\"location\": \"New York, NY\"}"}
                }],
                "annotations": [{
                    "type": "document_citation",
                    "document_citation": {"document_id": "doc-1", "start_index": 0, "end_index": 4}
                }],
                "executed_tools": [{
                    "index": 0,
                    "type": "python",
                    "arguments": "{\"code\": \"plot()\"}",
                    "output": "done",
                    "code_results": [{
                        "text": "done",
                        "chart": {
                            "type": "bar",
                            "title": "Sales",
                            "elements": [{"label": "Q1", "value": 10.0}]
                        }
                    }]
                }]
            },
            "logprobs": null,
            "finish_reason": "stop"
        }],
        "usage": {
            "queue_time": 0.017,
            "prompt_tokens": 24,
            "prompt_time": 0.009,
            "completion_tokens": 377,
            "completion_time": 0.774,
            "total_tokens": 401,
            "total_time": 0.783
        },
        "x_groq": {"id": "req_01htzpsmfmew5b4rbmbjy2kv74"}
    })
}

fn chat_completion_chunk() -> Value {
    json!({
        "id": "chatcmpl-f51b2cd2-bef7-417e-964e-a08f0b513c22",
        "object": "chat.completion.chunk",
        "created": 1730241104,
        "model": "llama-3.3-70b-versatile",
        "system_fingerprint": "fp_179b0f92c9",
        "choices": [{
            "index": 0,
            "delta": {"role": "assistant", "content": "Fast"},
            "logprobs": null,
            "finish_reason": null
        }],
        "x_groq": {"id": "req_01htzpsmfmew5b4rbmbjy2kv74"}
    })
}

fn model_list() -> Value {
    json!({
        "object": "list",
        "data": [{
            "id": "llama-3.3-70b-versatile",
            "object": "model",
            "created": 1733447754,
            "owned_by": "Meta",
            "active": true,
            "context_window": 131072,
            "public_apps": null,
            "max_completion_tokens": 32768
        }]
    })
}

fn file() -> Value {
    json!({
        "id": "file_01jh6x76wtemjr74t1fh0faj5t",
        "object": "file",
        "bytes": 966,
        "created_at": 1736472501,
        "filename": "input_file.jsonl",
        "purpose": "batch"
    })
}

fn batch() -> Value {
    json!({
        "id": "batch_01jh6xa7reempvjyh6n3yst2zw",
        "object": "batch",
        "endpoint": "/v1/chat/completions",
        "errors": null,
        "input_file_id": "file_01jh6x76wtemjr74t1fh0faj5t",
        "completion_window": "24h",
        "status": "in_progress",
        "output_file_id": null,
        "error_file_id": null,
        "request_counts": {"total": 100, "completed": 15, "failed": 0},
        "metadata": null,
        "created_at": 1736472600,
        "expires_at": 1736559000,
        "in_progress_at": 1736472601
    })
}

fn embeddings() -> Value {
    json!({
        "object": "list",
        "data": [{"object": "embedding", "embedding": [0.0123, -0.0456, 0.0789], "index": 0}],
        "model": "nomic-embed-text-v1_5",
        "usage": {"prompt_tokens": 8, "total_tokens": 8}
    })
}

fn response() -> Value {
    json!({
        "id": "resp_01k1x6w9ane6d8rfxm05cb45yk",
        "object": "response",
        "status": "completed",
        "created_at": 1754400695,
        "output": [
            {"type": "reasoning", "id": "resp_01k1x6w9ane6d8rfxm05cb45yk_r", "summary": []},
            {
                "type": "message",
                "id": "msg_01k1x6w9ane6d8rfxm05cb45yk",
                "status": "completed",
                "role": "assistant",
                "content": [{
                    "type": "output_text",
                    "text": "Fast inference matters.",
                    "annotations": [{"type": "url_citation", "url": "https://groq.com", "title": "Groq"}],
                    "logprobs": null
                }]
            }
        ],
        "previous_response_id": null,
        "model": "llama-3.3-70b-versatile",
        "reasoning": {"effort": "low", "summary": null},
        "max_output_tokens": null,
        "instructions": null,
        "text": {"format": {"type": "text"}},
        "tools": [],
        "tool_choice": "auto",
        "truncation": "disabled",
        "metadata": {},
        "temperature": 1,
        "top_p": 1,
        "user": null,
        "service_tier": "default",
        "error": null,
        "incomplete_details": null,
        "usage": {
            "input_tokens": 82,
            "input_tokens_details": {"cached_tokens": 0},
            "output_tokens": 6,
            "output_tokens_details": {"cached_tokens": 0, "reasoning_tokens": 0},
            "total_tokens": 88
        },
        "parallel_tool_calls": true,
        "store": false
    })
}

// ---------------------------------------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------------------------------------

/// Serialises through text (as the SDK does on the wire) and reads the text back as a JSON value.
fn reserialise<T: Serialize>(value: &T) -> Value {
    let text = serde_json::to_string(value).expect("serialises");
    serde_json::from_str(&text).expect("the output is JSON")
}

/// Puts `new` at `pointer` (which must exist) in `payload`, deserialises it as `T`, checks that the value
/// is serialised back unchanged at the same place and that the round trip gives an equal value.
fn with_value<T>(mut payload: Value, pointer: &str, new: &str) -> T
where
    T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{
    let slot = payload
        .pointer_mut(pointer)
        .unwrap_or_else(|| panic!("the payload has no {pointer}"));
    assert!(slot.is_string(), "{pointer} holds a string in the payload");
    *slot = Value::String(new.to_owned());
    let parsed: T = serde_json::from_value(payload)
        .unwrap_or_else(|e| panic!("the payload with {pointer} = {new:?} does not parse: {e}"));
    let back = reserialise(&parsed);
    assert_eq!(
        back.pointer(pointer),
        Some(&json!(new)),
        "{pointer} after a round trip"
    );
    let reparsed: T = serde_json::from_value(back).expect("the serialised value parses again");
    assert_eq!(reparsed, parsed);
    parsed
}

fn parse<T: DeserializeOwned>(payload: Value) -> T {
    serde_json::from_value(payload).expect("the payload parses")
}

// ---------------------------------------------------------------------------------------------------------
// The base payloads parse, with known values mapped to their variants.
// ---------------------------------------------------------------------------------------------------------

#[test]
fn base_payloads_parse_with_known_values() {
    let completion: ChatCompletion = parse(chat_completion());
    assert_eq!(completion.object, ChatCompletionObject::ChatCompletion);
    assert_eq!(completion.service_tier, Some(ServiceTier::OnDemand));
    let choice = &completion.choices[0];
    assert_eq!(choice.finish_reason, FinishReason::Stop);
    assert_eq!(choice.message.role, AssistantRole::Assistant);
    assert_eq!(
        choice.message.annotations[0].type_,
        AnnotationType::DocumentCitation
    );
    let tool_calls = choice.message.tool_calls.as_ref().expect("tool calls");
    assert_eq!(tool_calls.0[0].type_, FunctionToolType::Function);
    let executed = choice
        .message
        .executed_tools
        .as_ref()
        .expect("executed tools");
    let chart = executed.0[0].code_results[0].chart.as_ref().expect("chart");
    assert_eq!(chart.type_, ChartType::Bar);

    let chunk: ChatCompletionChunk = parse(chat_completion_chunk());
    assert_eq!(chunk.object, ChatCompletionChunkObject::ChatCompletionChunk);
    assert_eq!(
        chunk.choices[0].delta.role,
        Some(StreamDeltaRole::Assistant)
    );
    assert_eq!(chunk.choices[0].finish_reason, None);

    let models: ListModelsResponse = parse(model_list());
    assert_eq!(models.object, ListObject::List);
    assert_eq!(models.data[0].object, ModelObject::Model);

    let file: File = parse(file());
    assert_eq!(file.object, Some(FileObjectType::File));
    assert_eq!(file.purpose, Some(FilePurpose::Batch));

    let batch: Batch = parse(batch());
    assert_eq!(batch.object, BatchObject::Batch);
    assert_eq!(batch.status, BatchStatus::InProgress);

    let embeddings: CreateEmbeddingResponse = parse(embeddings());
    assert_eq!(embeddings.data[0].object, EmbeddingObject::Embedding);

    let response: CreateResponseResponse = parse(response());
    assert_eq!(response.object, ResponseObject::Response);
    assert_eq!(response.status, ResponseStatus::Completed);
    assert_eq!(response.truncation, ResponseTruncation::Disabled);
    assert_eq!(response.service_tier, ResponseServiceTier::Default);
    assert_eq!(
        response.reasoning.and_then(|r| r.effort),
        Some(ResponseReasoningEffort::Low)
    );
    assert_eq!(
        response.tool_choice,
        Some(ResponseToolChoiceOption::Mode(ToolChoiceMode::Auto))
    );
    match &response.output[1] {
        ResponseOutputItem::Message(message) => {
            assert_eq!(message.status, Some(ResponseItemStatus::Completed));
        }
        other => panic!("expected a message, got {other:?}"),
    }
}

#[test]
fn known_finish_reason_maps_to_its_variant() {
    let completion: ChatCompletion =
        with_value(chat_completion(), "/choices/0/finish_reason", "stop");
    assert_eq!(completion.choices[0].finish_reason, FinishReason::Stop);
    let completion: ChatCompletion =
        with_value(chat_completion(), "/choices/0/finish_reason", "tool_calls");
    assert_eq!(completion.choices[0].finish_reason, FinishReason::ToolCalls);
    assert!(!completion.choices[0].finish_reason.is_unknown());
}

#[test]
fn open_enum_values_are_case_sensitive() {
    let completion: ChatCompletion =
        with_value(chat_completion(), "/choices/0/finish_reason", "STOP");
    assert_eq!(
        completion.choices[0].finish_reason,
        FinishReason::Unknown("STOP".into())
    );
}

// ---------------------------------------------------------------------------------------------------------
// One test per open enum of the responses.
// ---------------------------------------------------------------------------------------------------------

#[test]
fn unknown_finish_reason() {
    let completion: ChatCompletion =
        with_value(chat_completion(), "/choices/0/finish_reason", "eos");
    let reason = &completion.choices[0].finish_reason;
    assert_eq!(*reason, FinishReason::Unknown("eos".into()));
    assert!(reason.is_unknown());
    assert_eq!(reason.as_str(), "eos");
}

#[test]
fn unknown_finish_reason_in_a_chunk() {
    let mut payload = chat_completion_chunk();
    payload["choices"][0]["finish_reason"] = json!("x");
    let chunk: ChatCompletionChunk =
        with_value(payload, "/choices/0/finish_reason", "content_filter");
    assert_eq!(
        chunk.choices[0].finish_reason,
        Some(FinishReason::Unknown("content_filter".into()))
    );
}

#[test]
fn unknown_service_tier() {
    let completion: ChatCompletion =
        with_value(chat_completion(), "/service_tier", "on_demand_plus");
    assert_eq!(
        completion.service_tier,
        Some(ServiceTier::Unknown("on_demand_plus".into()))
    );
}

#[test]
fn unknown_chat_completion_object() {
    let completion: ChatCompletion = with_value(chat_completion(), "/object", "chat.completion.v2");
    assert_eq!(
        completion.object,
        ChatCompletionObject::Unknown("chat.completion.v2".into())
    );
}

#[test]
fn unknown_chat_completion_chunk_object() {
    let chunk: ChatCompletionChunk =
        with_value(chat_completion_chunk(), "/object", "chat.completion.delta");
    assert_eq!(
        chunk.object,
        ChatCompletionChunkObject::Unknown("chat.completion.delta".into())
    );
}

#[test]
fn unknown_list_object() {
    let models: ListModelsResponse = with_value(model_list(), "/object", "page");
    assert_eq!(models.object, ListObject::Unknown("page".into()));
}

#[test]
fn unknown_model_object() {
    let models: ListModelsResponse = with_value(model_list(), "/data/0/object", "fine_tuned_model");
    assert_eq!(
        models.data[0].object,
        ModelObject::Unknown("fine_tuned_model".into())
    );
}

#[test]
fn unknown_file_object_type() {
    let file: File = with_value(file(), "/object", "file.v2");
    assert_eq!(file.object, Some(FileObjectType::Unknown("file.v2".into())));
}

#[test]
fn unknown_file_purpose() {
    let file: File = with_value(file(), "/purpose", "fine-tune");
    assert_eq!(file.purpose, Some(FilePurpose::Unknown("fine-tune".into())));
}

#[test]
fn unknown_batch_object() {
    let batch: Batch = with_value(batch(), "/object", "batch.v2");
    assert_eq!(batch.object, BatchObject::Unknown("batch.v2".into()));
}

#[test]
fn unknown_batch_status() {
    let batch: Batch = with_value(batch(), "/status", "paused");
    assert_eq!(batch.status, BatchStatus::Unknown("paused".into()));
}

#[test]
fn unknown_embedding_object() {
    let embeddings: CreateEmbeddingResponse =
        with_value(embeddings(), "/data/0/object", "embedding.sparse");
    assert_eq!(
        embeddings.data[0].object,
        EmbeddingObject::Unknown("embedding.sparse".into())
    );
}

#[test]
fn unknown_assistant_role() {
    let completion: ChatCompletion =
        with_value(chat_completion(), "/choices/0/message/role", "model");
    assert_eq!(
        completion.choices[0].message.role,
        AssistantRole::Unknown("model".into())
    );
}

#[test]
fn unknown_stream_delta_role() {
    let chunk: ChatCompletionChunk = with_value(
        chat_completion_chunk(),
        "/choices/0/delta/role",
        "developer",
    );
    assert_eq!(
        chunk.choices[0].delta.role,
        Some(StreamDeltaRole::Unknown("developer".into()))
    );
}

#[test]
fn unknown_annotation_type() {
    let mut payload = chat_completion();
    payload["choices"][0]["message"]["annotations"][0]["url_citation"] =
        json!({"url": "https://groq.com", "start_index": 0, "end_index": 4});
    let completion: ChatCompletion = with_value(
        payload,
        "/choices/0/message/annotations/0/type",
        "url_citation",
    );
    let annotation = &completion.choices[0].message.annotations[0];
    assert_eq!(
        annotation.type_,
        AnnotationType::Unknown("url_citation".into())
    );
    // The known member next to it is still read.
    assert_eq!(
        annotation
            .document_citation
            .as_ref()
            .map(|c| c.document_id.as_str()),
        Some("doc-1")
    );
}

#[test]
fn unknown_chart_type() {
    let completion: ChatCompletion = with_value(
        chat_completion(),
        "/choices/0/message/executed_tools/0/code_results/0/chart/type",
        "heatmap",
    );
    let executed = completion.choices[0]
        .message
        .executed_tools
        .as_ref()
        .expect("executed tools");
    let chart = executed.0[0].code_results[0].chart.as_ref().expect("chart");
    assert_eq!(chart.type_, ChartType::Unknown("heatmap".into()));
}

#[test]
fn chart_type_unknown_is_a_known_value() {
    // The API itself has a chart type named "unknown": it is a variant, not `Unknown("unknown")`.
    let completion: ChatCompletion = with_value(
        chat_completion(),
        "/choices/0/message/executed_tools/0/code_results/0/chart/type",
        "unknown",
    );
    let executed = completion.choices[0]
        .message
        .executed_tools
        .as_ref()
        .expect("executed tools");
    let chart = executed.0[0].code_results[0].chart.as_ref().expect("chart");
    assert_eq!(chart.type_, ChartType::UnknownValue);
    assert!(!chart.type_.is_unknown());
}

#[test]
fn unknown_function_tool_type() {
    let completion: ChatCompletion = with_value(
        chat_completion(),
        "/choices/0/message/tool_calls/0/type",
        "custom",
    );
    let calls = completion.choices[0]
        .message
        .tool_calls
        .as_ref()
        .expect("tool calls");
    assert_eq!(calls.0[0].type_, FunctionToolType::Unknown("custom".into()));
    assert_eq!(calls.0[0].function.name, "get_weather");
}

#[test]
fn unknown_response_object() {
    let response: CreateResponseResponse = with_value(response(), "/object", "response.v2");
    assert_eq!(
        response.object,
        ResponseObject::Unknown("response.v2".into())
    );
}

#[test]
fn unknown_response_status() {
    let response: CreateResponseResponse = with_value(response(), "/status", "queued");
    assert_eq!(response.status, ResponseStatus::Unknown("queued".into()));
}

#[test]
fn unknown_response_item_status() {
    let response: CreateResponseResponse = with_value(response(), "/output/1/status", "searching");
    match &response.output[1] {
        ResponseOutputItem::Message(message) => assert_eq!(
            message.status,
            Some(ResponseItemStatus::Unknown("searching".into()))
        ),
        other => panic!("expected a message, got {other:?}"),
    }
}

#[test]
fn unknown_response_truncation() {
    let response: CreateResponseResponse = with_value(response(), "/truncation", "last_messages");
    assert_eq!(
        response.truncation,
        ResponseTruncation::Unknown("last_messages".into())
    );
}

#[test]
fn unknown_response_service_tier() {
    let response: CreateResponseResponse = with_value(response(), "/service_tier", "priority");
    assert_eq!(
        response.service_tier,
        ResponseServiceTier::Unknown("priority".into())
    );
}

#[test]
fn unknown_response_reasoning_effort() {
    let response: CreateResponseResponse = with_value(response(), "/reasoning/effort", "minimal");
    assert_eq!(
        response.reasoning.and_then(|r| r.effort),
        Some(ResponseReasoningEffort::Unknown("minimal".into()))
    );
}

#[test]
fn unknown_tool_choice_mode() {
    let response: CreateResponseResponse = with_value(response(), "/tool_choice", "any");
    assert_eq!(
        response.tool_choice,
        Some(ResponseToolChoiceOption::Mode(ToolChoiceMode::Unknown(
            "any".into()
        )))
    );
}

#[test]
fn unknown_shape_in_an_untagged_union() {
    // A tool choice of a kind this version does not know (neither a mode nor a named function) is kept
    // and sent back unchanged, rather than failing the whole answer.
    let new_kind = json!({"type": "allowed_tools", "mode": "auto", "tools": [{"type": "function", "name": "f"}]});
    let response: CreateResponseResponse = parse(response_with_tool_choice(new_kind.clone()));
    assert_eq!(
        response.tool_choice,
        Some(ResponseToolChoiceOption::Unknown(new_kind.clone()))
    );
    assert_eq!(reserialise(&response)["tool_choice"], new_kind);
    // The known shapes still decode as themselves.
    let named = json!({"type": "function", "function": {"name": "f"}});
    assert!(matches!(
        parse::<CreateResponseResponse>(response_with_tool_choice(named)).tool_choice,
        Some(ResponseToolChoiceOption::Named(_))
    ));
}

fn response_with_tool_choice(choice: Value) -> Value {
    let mut payload = response();
    payload["tool_choice"] = choice;
    payload
}

// ---------------------------------------------------------------------------------------------------------
// Unknown fields, unknown union members, new model ids.
// ---------------------------------------------------------------------------------------------------------

#[test]
fn unknown_fields_are_ignored_at_every_level() {
    let mut payload = chat_completion();
    payload["brand_new_top_level"] = json!({"nested": [1, 2, 3]});
    payload["choices"][0]["stop_reason"] = json!("eos");
    payload["choices"][0]["message"]["refusal"] = json!(null);
    payload["choices"][0]["message"]["audio"] = json!({"id": "audio_1"});
    payload["choices"][0]["message"]["tool_calls"][0]["function"]["strict"] = json!(true);
    // CodeExecutionResult is `additionalProperties: false` in the spec; the type still ignores new fields.
    payload["choices"][0]["message"]["executed_tools"][0]["code_results"][0]["html"] =
        json!("<p>done</p>");
    payload["usage"]["prompt_tokens_details"] = json!({"cached_tokens": 8, "audio_tokens": 0});
    payload["x_groq"]["region"] = json!("us-east");

    let completion: ChatCompletion = parse(payload);
    assert_eq!(completion.usage.as_ref().map(|u| u.prompt_tokens), Some(24));
    assert_eq!(
        completion
            .usage
            .as_ref()
            .and_then(|u| u.prompt_tokens_details.as_ref())
            .map(|d| d.cached_tokens),
        Some(8)
    );
    assert_eq!(
        completion.content(),
        Some("Fast language models matter because…")
    );
    assert_eq!(
        completion.x_groq.as_ref().map(|x| x.id.as_str()),
        Some("req_01htzpsmfmew5b4rbmbjy2kv74")
    );

    let back = reserialise(&completion);
    assert_eq!(back.get("brand_new_top_level"), None);
    assert_eq!(back["choices"][0].get("stop_reason"), None);
    assert_eq!(
        back["x_groq"],
        json!({"id": "req_01htzpsmfmew5b4rbmbjy2kv74"})
    );
}

#[test]
fn unknown_fields_of_a_model_are_ignored() {
    let models: ListModelsResponse = parse(model_list());
    let model = &models.data[0];
    assert_eq!(model.id, "llama-3.3-70b-versatile");
    assert_eq!(model.owned_by, "Meta");
    assert_eq!(model.created, 1733447754);
}

#[test]
fn unknown_response_output_item_is_kept_as_json() {
    let item = json!({
        "type": "web_search_call",
        "id": "ws_01k1x6w9ane6d8rfxm05cb45yk",
        "status": "completed",
        "action": {"type": "search", "query": "weather in Paris"}
    });
    let mut payload = response();
    payload["output"]
        .as_array_mut()
        .expect("output")
        .insert(0, item.clone());

    let response: CreateResponseResponse = parse(payload.clone());
    assert_eq!(response.output.len(), 3);
    assert_eq!(
        response.output[0],
        ResponseOutputItem::Unknown(item.clone())
    );
    assert!(matches!(
        response.output[1],
        ResponseOutputItem::Reasoning(_)
    ));
    assert!(matches!(response.output[2], ResponseOutputItem::Message(_)));

    let back = reserialise(&response);
    assert_eq!(back["output"][0], item);
    let again: CreateResponseResponse = parse(back);
    assert_eq!(again, response);
}

#[test]
fn output_item_without_a_type_is_kept_as_json() {
    let item = json!({"id": "x_1", "payload": [1, 2]});
    let parsed: ResponseOutputItem = parse(item.clone());
    assert_eq!(parsed, ResponseOutputItem::Unknown(item.clone()));
    assert_eq!(reserialise(&parsed), item);
}

#[test]
fn unknown_output_content_and_annotation_are_kept_as_json() {
    let refusal = json!({"type": "refusal", "refusal": "I can't help with that."});
    let citation =
        json!({"type": "container_file_citation", "container_id": "c_1", "file_id": "f_1"});
    let mut payload = response();
    let content = payload
        .pointer_mut("/output/1/content")
        .and_then(Value::as_array_mut)
        .expect("content");
    content.push(refusal.clone());
    content[0]["annotations"]
        .as_array_mut()
        .expect("annotations")
        .push(citation.clone());

    let response: CreateResponseResponse = parse(payload);
    let ResponseOutputItem::Message(message) = &response.output[1] else {
        panic!("expected a message, got {:?}", response.output[1]);
    };
    assert_eq!(
        message.content[1],
        ResponseOutputContent::Unknown(refusal.clone())
    );
    let ResponseOutputContent::OutputText(text) = &message.content[0] else {
        panic!("expected output text, got {:?}", message.content[0]);
    };
    assert_eq!(text.text, "Fast inference matters.");
    assert!(matches!(
        text.annotations[0],
        ResponseAnnotation::UrlCitation(_)
    ));
    assert_eq!(
        text.annotations[1],
        ResponseAnnotation::Unknown(citation.clone())
    );

    let back = reserialise(&response);
    assert_eq!(back["output"][1]["content"][1], refusal);
    assert_eq!(back["output"][1]["content"][0]["annotations"][1], citation);
}

#[test]
fn unknown_text_format_is_kept_as_json() {
    let format = json!({"type": "grammar", "grammar": "root ::= \"yes\" | \"no\""});
    let mut payload = response();
    payload["text"]["format"] = format.clone();
    let response: CreateResponseResponse = parse(payload);
    assert_eq!(
        response.text.as_ref().and_then(|t| t.format.clone()),
        Some(ResponseFormatConfiguration::Unknown(format.clone()))
    );
    assert_eq!(reserialise(&response)["text"]["format"], format);
}

#[test]
fn new_model_ids_are_kept() {
    let models: ListModelsResponse =
        with_value(model_list(), "/data/0/id", "acme/hyperfast-9000-preview");
    assert_eq!(models.data[0].id, "acme/hyperfast-9000-preview");

    let model: Model = with_value(
        model_list()["data"][0].clone(),
        "/id",
        "moonshotai/kimi-k3-instruct",
    );
    assert_eq!(model.id, "moonshotai/kimi-k3-instruct");

    let completion: ChatCompletion =
        with_value(chat_completion(), "/model", "acme/hyperfast-9000-preview");
    assert_eq!(completion.model, "acme/hyperfast-9000-preview");

    let chunk: ChatCompletionChunk = with_value(
        chat_completion_chunk(),
        "/model",
        "acme/hyperfast-9000-preview",
    );
    assert_eq!(chunk.model, "acme/hyperfast-9000-preview");
}

// ---------------------------------------------------------------------------------------------------------
// The tests above cover every open enum of the responses.
// ---------------------------------------------------------------------------------------------------------

/// The open enums with a test above.
const COVERED: [&str; 23] = [
    "AnnotationType",
    "AssistantRole",
    "BatchObject",
    "BatchStatus",
    "ChartType",
    "ChatCompletionChunkObject",
    "ChatCompletionObject",
    "EmbeddingObject",
    "FileObjectType",
    "FilePurpose",
    "FinishReason",
    "FunctionToolType",
    "ListObject",
    "ModelObject",
    "ResponseItemStatus",
    "ResponseObject",
    "ResponseReasoningEffort",
    "ResponseServiceTier",
    "ResponseStatus",
    "ResponseTruncation",
    "ServiceTier",
    "StreamDeltaRole",
    "ToolChoiceMode",
];

/// The names of the open enums (`anyOf: [{type: string, enum}, {type: string}]`) in the JSON Schema of `T`.
fn open_enums<T: schemars::JsonSchema>(into: &mut std::collections::BTreeSet<String>) {
    let schema = serde_json::to_value(schemars::schema_for!(T)).expect("a schema serialises");
    let Some(defs) = schema.get("$defs").and_then(Value::as_object) else {
        return;
    };
    for (name, def) in defs {
        let members = def.get("anyOf").and_then(Value::as_array);
        let open = members.is_some_and(|members| {
            members.len() == 2
                && members[0].get("enum").is_some()
                && members[1] == json!({"type": "string"})
        });
        if open {
            into.insert(name.clone());
        }
    }
}

/// A new open enum in a response type (after a spec change) needs its own test above.
#[test]
fn every_open_enum_of_the_responses_is_covered() {
    use groq_types::*;
    let mut found = std::collections::BTreeSet::new();
    open_enums::<CreateChatCompletionResponse>(&mut found);
    open_enums::<CreateChatCompletionStreamResponse>(&mut found);
    open_enums::<CreateTranscriptionResponseJson>(&mut found);
    open_enums::<CreateTranscriptionResponseVerboseJson>(&mut found);
    open_enums::<CreateTranslationResponseJson>(&mut found);
    open_enums::<CreateTranslationResponseVerboseJson>(&mut found);
    open_enums::<Batch>(&mut found);
    open_enums::<ListBatchesResponse>(&mut found);
    open_enums::<CreateEmbeddingResponse>(&mut found);
    open_enums::<ListFilesResponse>(&mut found);
    open_enums::<File>(&mut found);
    open_enums::<DeleteFileResponse>(&mut found);
    open_enums::<ListFineTuningsResponse>(&mut found);
    open_enums::<ReadFineTuningResponse>(&mut found);
    open_enums::<DeleteFineTuningResponse>(&mut found);
    open_enums::<ListModelsResponse>(&mut found);
    open_enums::<Model>(&mut found);
    open_enums::<DeleteModelResponse>(&mut found);
    open_enums::<RerankingResponse>(&mut found);
    open_enums::<CreateResponseResponse>(&mut found);
    let found: Vec<&str> = found.iter().map(String::as_str).collect();
    assert_eq!(found, COVERED);
}

/// A list the spec lets a server leave out may come as `null` (as `tool_calls` does in some OpenAI-style
/// servers): the answer decodes, with the list empty, rather than failing whole.
#[test]
fn null_in_a_list_the_server_may_leave_out_is_an_empty_list() {
    let mut chunk = chat_completion_chunk();
    chunk["choices"][0]["delta"]["tool_calls"] = Value::Null;
    chunk["choices"][0]["delta"]["annotations"] = Value::Null;
    let chunk: ChatCompletionChunk = parse(chunk);
    assert!(chunk.choices[0].delta.tool_calls.is_empty());
    assert_eq!(chunk.choices[0].delta.content.as_deref(), Some("Fast"));

    let mut completion = chat_completion();
    completion["choices"][0]["message"]["annotations"] = Value::Null;
    completion["choices"][0]["message"]["executed_tools"][0]["code_results"] = Value::Null;
    let completion: ChatCompletion = parse(completion);
    let message = &completion.choices[0].message;
    assert!(message.annotations.is_empty());
    assert_eq!(
        message.tool_calls.as_ref().map(|calls| calls.len()),
        Some(1)
    );

    // A list the spec requires still refuses `null`: that answer is not one the spec describes.
    let mut completion = chat_completion();
    completion["choices"] = Value::Null;
    assert!(serde_json::from_value::<ChatCompletion>(completion).is_err());
}
