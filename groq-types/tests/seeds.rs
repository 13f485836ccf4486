//! The example payloads of Groq's public documentation (docs/libraries, docs/batch, docs/tool-use,
//! docs/vision, docs/speech-to-text) deserialise into the SDK's types.
//!
//! Each payload is copied as the documentation shows it (the pages were captured on one line, so the
//! whitespace inside each payload is collapsed; JSON Lines files are given one request per line).

use groq_types::{
    AssistantRole, Batch, BatchErrors, BatchObject, BatchPaging, BatchRequestInput,
    BatchRequestMethod, BatchRequestOutput, BatchStatus, ChatCompletion, ChatCompletionChoice,
    ChatCompletionChoiceLogprobs, ChatCompletionMessageToolCalls, ChatCompletionObject,
    ChatCompletionRequestMessage, ChatCompletionToolChoiceOption, ChatCompletionToolType,
    ChatModel, CreateChatCompletionRequest, CreateTranscriptionResponseVerboseJson,
    CreateTranslationResponseVerboseJson, File, FileObjectType, FilePurpose, FinishReason,
    FunctionToolType, ListBatchesResponse, ListObject, SystemMessageContent, ToolChoiceMode,
    TranscriptionSegment, UserMessageContent,
};
use serde_json::{json, Value};

/// Serialises `value` and reads it back: the round trip must give an equal value.
fn assert_round_trip<T>(value: &T)
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let text = serde_json::to_string(value).expect("serialises");
    let back: T = serde_json::from_str(&text).expect("the serialised value parses");
    assert_eq!(&back, value);
}

// ---------------------------------------------------------------------------------------------------------
// docs/libraries: the response of the Python usage example.
// ---------------------------------------------------------------------------------------------------------

const LIBRARIES_COMPLETION: &str = r#"{ "id": "34a9110d-c39d-423b-9ab9-9c748747b204", "object": "chat.completion", "created": 1708045122, "model": "mixtral-8x7b-32768", "system_fingerprint": "fp_dbffcd8265", "choices": [ { "index": 0, "message": { "role": "assistant", "content": "Low latency Large Language Models (LLMs) are important in the field of artificial intelligence and natural language processing (NLP) for several reasons:\n\n1. Real-time applications: Low latency LLMs are essential for real-time applications such as chatbots, voice assistants, and real-time translation services. These applications require immediate responses, and high latency can lead to a poor user experience.\n\n2. Improved user experience: Low latency LLMs provide a more seamless and responsive user experience. Users are more likely to continue using a service that provides quick and accurate responses, leading to higher user engagement and satisfaction.\n\n3. Competitive advantage: In today's fast-paced digital world, businesses that can provide quick and accurate responses to customer inquiries have a competitive advantage. Low latency LLMs can help businesses respond to customer inquiries more quickly, potentially leading to increased sales and customer loyalty.\n\n4. Better decision-making: Low latency LLMs can provide real-time insights and recommendations, enabling businesses to make better decisions more quickly. This can be particularly important in industries such as finance, healthcare, and logistics, where quick decision-making can have a significant impact on business outcomes.\n\n5. Scalability: Low latency LLMs can handle a higher volume of requests, making them more scalable than high-latency models. This is particularly important for businesses that experience spikes in traffic or have a large user base.\n\nIn summary, low latency LLMs are essential for real-time applications, providing a better user experience, enabling quick decision-making, and improving scalability. As the demand for real-time NLP applications continues to grow, the importance of low latency LLMs will only become more critical." }, "finish_reason": "stop", "logprobs": null } ], "usage": { "prompt_tokens": 24, "completion_tokens": 377, "total_tokens": 401, "prompt_time": 0.009, "completion_time": 0.774, "total_time": 0.783 }, "x_groq": { "id": "req_01htzpsmfmew5b4rbmbjy2kv74" } }"#;
#[test]
fn libraries_chat_completion() {
    let completion: ChatCompletion =
        serde_json::from_str(LIBRARIES_COMPLETION).expect("the documented completion parses");
    assert_eq!(completion.id, "34a9110d-c39d-423b-9ab9-9c748747b204");
    assert_eq!(completion.object, ChatCompletionObject::ChatCompletion);
    assert_eq!(completion.created, 1708045122);
    assert_eq!(completion.model, "mixtral-8x7b-32768");
    assert_eq!(
        completion.system_fingerprint.as_deref(),
        Some("fp_dbffcd8265")
    );
    assert_eq!(completion.choices.len(), 1);
    let choice = &completion.choices[0];
    assert_eq!(choice.index, 0);
    assert_eq!(choice.finish_reason, FinishReason::Stop);
    assert_eq!(choice.logprobs, None);
    assert_eq!(choice.message.role, AssistantRole::Assistant);
    let content = completion.content().expect("content");
    assert!(content.starts_with("Low latency Large Language Models (LLMs) are important"));
    assert!(content.contains("\n\n1. Real-time applications:"));
    assert!(content.ends_with("will only become more critical."));
    let usage = completion.usage.as_ref().expect("usage");
    assert_eq!(
        (
            usage.prompt_tokens,
            usage.completion_tokens,
            usage.total_tokens
        ),
        (24, 377, 401)
    );
    assert_eq!(usage.prompt_time, Some(0.009));
    assert_eq!(usage.completion_time, Some(0.774));
    assert_eq!(usage.total_time, Some(0.783));
    assert_eq!(usage.queue_time, None);
    assert_eq!(
        completion.x_groq.as_ref().map(|x| x.id.as_str()),
        Some("req_01htzpsmfmew5b4rbmbjy2kv74")
    );
    assert_round_trip(&completion);
}

// ---------------------------------------------------------------------------------------------------------
// docs/batch: the file object, batch objects, lists of batches, batch input and output lines.
// ---------------------------------------------------------------------------------------------------------

const FILE_OBJECT: &str = r#"{ "id":"file_01jh6x76wtemjr74t1fh0faj5t", "object":"file", "bytes":966, "created_at":1736472501, "filename":"input_file.jsonl", "purpose":"batch" }"#;
#[test]
fn batch_docs_file_object() {
    let file: File = serde_json::from_str(FILE_OBJECT).expect("the documented file parses");
    assert_eq!(file.id.as_deref(), Some("file_01jh6x76wtemjr74t1fh0faj5t"));
    assert_eq!(file.object, Some(FileObjectType::File));
    assert_eq!(file.bytes, Some(966));
    assert_eq!(file.created_at, Some(1736472501));
    assert_eq!(file.filename.as_deref(), Some("input_file.jsonl"));
    assert_eq!(file.purpose, Some(FilePurpose::Batch));
    let written: Value = serde_json::to_value(&file).expect("serialises");
    let read: Value = serde_json::from_str(FILE_OBJECT).expect("JSON");
    assert_eq!(written, read);
}

const BATCH_VALIDATING: &str = r#"{ "id":"batch_01jh6xa7reempvjyh6n3yst2zw", "object":"batch", "endpoint":"/v1/chat/completions", "errors":null, "input_file_id":"file_01jh6x76wtemjr74t1fh0faj5t", "completion_window":"24h", "status":"validating", "output_file_id":null, "error_file_id":null, "finalizing_at":null, "failed_at":null, "expired_at":null, "cancelled_at":null, "request_counts":{ "total":0, "completed":0, "failed":0 }, "metadata":null, "created_at":1736472600, "expires_at":1736559000, "cancelling_at":null, "completed_at":null, "in_progress_at":null }"#;
#[test]
fn batch_docs_created_batch_is_validating() {
    let batch: Batch = serde_json::from_str(BATCH_VALIDATING).expect("the documented batch parses");
    assert_eq!(batch.id, "batch_01jh6xa7reempvjyh6n3yst2zw");
    assert_eq!(batch.object, BatchObject::Batch);
    assert_eq!(batch.endpoint, "/v1/chat/completions");
    assert_eq!(batch.status, BatchStatus::Validating);
    assert_eq!(batch.input_file_id, "file_01jh6x76wtemjr74t1fh0faj5t");
    assert_eq!(batch.completion_window, "24h");
    assert_eq!(batch.errors, None);
    assert_eq!(batch.output_file_id, None);
    assert_eq!(batch.error_file_id, None);
    assert_eq!(batch.metadata, None);
    assert_eq!(batch.created_at, 1736472600);
    assert_eq!(batch.expires_at, Some(1736559000));
    assert_eq!(batch.in_progress_at, None);
    let counts = batch.request_counts.as_ref().expect("request_counts");
    assert_eq!((counts.total, counts.completed, counts.failed), (0, 0, 0));
    assert_round_trip(&batch);
}

const BATCH_COMPLETED: &str = r#"{ "id":"batch_01jh6xa7reempvjyh6n3yst2zw", "object":"batch", "endpoint":"/v1/chat/completions", "errors":[ { "code":"invalid_method", "message":"Invalid value: 'GET'. Supported values are: 'POST'","param":"method", "line":4 } ], "input_file_id":"file_01jh6x76wtemjr74t1fh0faj5t", "completion_window":"24h", "status":"completed", "output_file_id":"file_01jh6xa97be52b7pg88czwrrwb", "error_file_id":"file_01jh6xa9cte52a5xjnmnt5y0je", "finalizing_at":null, "failed_at":null, "expired_at":null, "cancelled_at":null, "request_counts": { "total":3, "completed":2, "failed":1 }, "metadata":null, "created_at":1736472600, "expires_at":1736559000, "cancelling_at":null, "completed_at":1736472607, "in_progress_at":1736472601 }"#;
#[test]
fn batch_docs_completed_batch_with_errors() {
    let batch: Batch = serde_json::from_str(BATCH_COMPLETED).expect("the documented batch parses");
    assert_eq!(batch.status, BatchStatus::Completed);
    assert_eq!(
        batch.output_file_id.as_deref(),
        Some("file_01jh6xa97be52b7pg88czwrrwb")
    );
    assert_eq!(
        batch.error_file_id.as_deref(),
        Some("file_01jh6xa9cte52a5xjnmnt5y0je")
    );
    assert_eq!(batch.completed_at, Some(1736472607));
    assert_eq!(batch.in_progress_at, Some(1736472601));
    let counts = batch.request_counts.as_ref().expect("request_counts");
    assert_eq!((counts.total, counts.completed, counts.failed), (3, 2, 1));
    // The documentation shows `errors` as a bare array.
    let Some(BatchErrors::Items(errors)) = &batch.errors else {
        panic!("expected a bare array of errors, got {:?}", batch.errors);
    };
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].code.as_deref(), Some("invalid_method"));
    assert_eq!(
        errors[0].message.as_deref(),
        Some("Invalid value: 'GET'. Supported values are: 'POST'")
    );
    assert_eq!(errors[0].param.as_deref(), Some("method"));
    assert_eq!(errors[0].line, Some(4));
    assert_round_trip(&batch);
    let written = serde_json::to_value(&batch).expect("serialises");
    assert!(written["errors"].is_array(), "errors stay a bare array");
}

const BATCH_LIST_BY_ID: &str = r#"{ "object": "list", "data": [ { "id": "batch_01jh6xa7reempvjyh6n3yst111", "object": "batch", "endpoint": "/v1/chat/completions", "errors": null, "input_file_id": "file_01jh6x76wtemjr74t1fh0faj5t", "completion_window": "24h", "status": "validating", "output_file_id": null, "error_file_id": null, "finalizing_at": null, "failed_at": null, "expired_at": null, "cancelled_at": null, "request_counts": { "total": 0, "completed": 0, "failed": 0 }, "metadata": null, "created_at": 1736472600, "expires_at": 1736559000, "cancelling_at": null, "completed_at": null, "in_progress_at": null }, { "id": "batch_01jh6xa7reempvjyh6n3yst222", "object": "batch", "endpoint": "/v1/chat/completions", "errors": null, "input_file_id": "file_01jh6x76wtemjr74t1fh0faj6u", "completion_window": "24h", "status": "in_progress", "output_file_id": null, "error_file_id": null, "finalizing_at": null, "failed_at": null, "expired_at": null, "cancelled_at": null, "request_counts": { "total": 100, "completed": 15, "failed": 0 }, "metadata": null, "created_at": 1736472650, "expires_at": 1736559050, "cancelling_at": null, "completed_at": null, "in_progress_at": 1736472651 }, { "id": "batch_01jh6xa7reempvjyh6n3yst333", "object": "batch", "endpoint": "/v1/chat/completions", "errors": null, "input_file_id": "file_01jh6x76wtemjr74t1fh0faj7v", "completion_window": "24h", "status": "completed", "output_file_id": "file_01jh6xa97be52b7pg88czwrrwc", "error_file_id": null, "finalizing_at": null, "failed_at": null, "expired_at": null, "cancelled_at": null, "request_counts": { "total": 50, "completed": 50, "failed": 0 }, "metadata": null, "created_at": 1736472700, "expires_at": 1736559100, "cancelling_at": null, "completed_at": 1736472800, "in_progress_at": 1736472701 } ] }"#;
#[test]
fn batch_docs_list_of_specific_batches() {
    let list: ListBatchesResponse =
        serde_json::from_str(BATCH_LIST_BY_ID).expect("the documented list parses");
    assert_eq!(list.object, ListObject::List);
    assert_eq!(list.paging, None);
    let ids: Vec<&str> = list.data.iter().map(|b| b.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "batch_01jh6xa7reempvjyh6n3yst111",
            "batch_01jh6xa7reempvjyh6n3yst222",
            "batch_01jh6xa7reempvjyh6n3yst333",
        ]
    );
    let statuses: Vec<&BatchStatus> = list.data.iter().map(|b| &b.status).collect();
    assert_eq!(
        statuses,
        [
            &BatchStatus::Validating,
            &BatchStatus::InProgress,
            &BatchStatus::Completed
        ]
    );
    let counts = list.data[1]
        .request_counts
        .as_ref()
        .expect("request_counts");
    assert_eq!(
        (counts.total, counts.completed, counts.failed),
        (100, 15, 0)
    );
    assert_eq!(
        list.data[2].output_file_id.as_deref(),
        Some("file_01jh6xa97be52b7pg88czwrrwc")
    );
    assert_eq!(list.data[2].completed_at, Some(1736472800));
    assert_round_trip(&list);
}

// The documentation abbreviates this one with `// ...` comments (not JSON) and leaves out required fields
// of the batch, so only its `paging` object is read.
const BATCH_LIST_PAGED: &str = r#"{ "object": "list", "data": [ { "id": "batch_01jh6xa7reempvjyh6n3yst111", "object": "batch", "status": "completed", "created_at": 1736472600, // ... other batch fields } // ... more batches ], "paging": { "next_cursor": "cursor_eyJpZCI6ImJhdGNoXzAxamg2eGE3cmVlbXB2ankifQ" } }"#;
#[test]
fn batch_docs_paging_object() {
    let without_comments = BATCH_LIST_PAGED
        .replace(", // ... other batch fields", "")
        .replace(" // ... more batches", "");
    let page: Value =
        serde_json::from_str(&without_comments).expect("JSON once the comments are gone");
    let paging: BatchPaging =
        serde_json::from_value(page["paging"].clone()).expect("paging parses");
    assert_eq!(
        paging.next_cursor.as_deref(),
        Some("cursor_eyJpZCI6ImJhdGNoXzAxamg2eGE3cmVlbXB2ankifQ")
    );
    let object: ListObject = serde_json::from_value(page["object"].clone()).expect("object parses");
    assert_eq!(object, ListObject::List);

    // With the abbreviated batch completed, the whole page parses and keeps its cursor.
    let mut full = page;
    full["data"][0]["endpoint"] = json!("/v1/chat/completions");
    full["data"][0]["input_file_id"] = json!("file_01jh6x76wtemjr74t1fh0faj5t");
    full["data"][0]["completion_window"] = json!("24h");
    let list: ListBatchesResponse = serde_json::from_value(full).expect("the page parses");
    assert_eq!(list.paging, Some(paging));
    assert_eq!(list.data[0].status, BatchStatus::Completed);
}

const BATCH_OUTPUT_LINE: &str = r#"{"id": "batch_req_123", "custom_id": "my-request-1", "response": {"status_code": 200, "request_id": "req_abc", "body": {"id": "completion_xyz", "model": "llama-3.1-8b-instant", "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello!"}}], "usage": {"prompt_tokens": 20, "completion_tokens": 5, "total_tokens": 25}}}, "error": null}"#;
#[test]
fn batch_docs_output_line() {
    let line: BatchRequestOutput =
        serde_json::from_str(BATCH_OUTPUT_LINE).expect("the documented output line parses");
    assert_eq!(line.id.as_deref(), Some("batch_req_123"));
    assert_eq!(line.custom_id.as_deref(), Some("my-request-1"));
    assert_eq!(line.error, None);
    let response = line.response.as_ref().expect("response");
    assert_eq!(response.status_code, Some(200));
    assert_eq!(response.request_id.as_deref(), Some("req_abc"));
    assert_eq!(response.body["id"], "completion_xyz");
    assert_eq!(response.body["model"], "llama-3.1-8b-instant");
    assert_eq!(response.body["choices"][0]["message"]["content"], "Hello!");
    assert_eq!(response.body["usage"]["total_tokens"], 25);
    assert_round_trip(&line);
}

const BATCH_INPUT_FILE: &str = r#"{"custom_id": "request-1", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "llama-3.1-8b-instant", "messages": [{"role": "system", "content": "You are a helpful assistant."}, {"role": "user", "content": "What is 2+2?"}]}}
{"custom_id": "request-2", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "llama-3.1-8b-instant", "messages": [{"role": "system", "content": "You are a helpful assistant."}, {"role": "user", "content": "What is 2+3?"}]}}
{"custom_id": "request-3", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "llama-3.1-8b-instant", "messages": [{"role": "system", "content": "You are a helpful assistant."}, {"role": "user", "content": "count up to 1000000. starting with 1, 2, 3. print all the numbers, do not stop until you get to 1000000."}]}}"#;
const BATCH_INPUT_QUANTUM: &str = r#"{"custom_id": "quantum-1", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "llama-3.1-8b-instant", "messages": [{"role": "user", "content": "What is quantum computing?"}]}}"#;
#[test]
fn batch_docs_input_lines() {
    let lines: Vec<BatchRequestInput> = BATCH_INPUT_FILE
        .lines()
        .chain([BATCH_INPUT_QUANTUM])
        .map(|line| serde_json::from_str(line).expect("the documented input line parses"))
        .collect();
    let ids: Vec<Option<&str>> = lines.iter().map(|l| l.custom_id.as_deref()).collect();
    assert_eq!(
        ids,
        [
            Some("request-1"),
            Some("request-2"),
            Some("request-3"),
            Some("quantum-1")
        ]
    );
    for line in &lines {
        assert_eq!(line.method, Some(BatchRequestMethod::Post));
        assert_eq!(line.url.as_deref(), Some("/v1/chat/completions"));
    }
}

/// A batch input line is something the caller writes: its `body` (the request) must survive.
#[test]
fn batch_docs_input_line_keeps_its_body() {
    for text in BATCH_INPUT_FILE.lines().chain([BATCH_INPUT_QUANTUM]) {
        let line: BatchRequestInput = serde_json::from_str(text).expect("parses");
        let written = serde_json::to_value(&line).expect("serialises");
        let read: Value = serde_json::from_str(text).expect("JSON");
        assert_eq!(
            written, read,
            "the line written back differs from the line read"
        );
    }
}

// ---------------------------------------------------------------------------------------------------------
// docs/tool-use and docs/vision: a request with tools, a tool-call response, tool calls.
// ---------------------------------------------------------------------------------------------------------

// The documentation shows this request as the argument of a shell command, hence the closing quote.
const TOOL_CALL_REQUEST: &str = r#"{ "model": "llama-3.3-70b-versatile", "messages": [ { "role": "system", "content": "You are a weather assistant. Use the get_weather function to retrieve weather information for a given location." }, { "role": "user", "content": "What's the weather like in New York today?" } ], "tools": [ { "type": "function", "function": { "name": "get_weather", "description": "Get the current weather for a location", "parameters": { "type": "object", "properties": { "location": { "type": "string", "description": "The city and state, e.g. San Francisco, CA" }, "unit": { "type": "string", "enum": ["celsius", "fahrenheit"], "description": "The unit of temperature to use. Defaults to fahrenheit." } }, "required": ["location"] } } } ], "tool_choice": "auto", "max_completion_tokens": 4096 }'"#;
#[test]
fn tool_use_docs_request() {
    let text = TOOL_CALL_REQUEST.trim_end_matches('\'');
    let request: CreateChatCompletionRequest =
        serde_json::from_str(text).expect("the documented request parses");
    assert_eq!(request.model, ChatModel::Llama3_3_70bVersatile);
    assert_eq!(request.max_completion_tokens, Some(4096));
    assert_eq!(
        request.tool_choice,
        Some(ChatCompletionToolChoiceOption::Mode(ToolChoiceMode::Auto))
    );
    match &request.messages[..] {
        [ChatCompletionRequestMessage::System(system), ChatCompletionRequestMessage::User(user)] => {
            assert!(matches!(
                &system.content,
                SystemMessageContent::Text(t) if t.starts_with("You are a weather assistant.")
            ));
            assert_eq!(
                user.content,
                UserMessageContent::Text("What's the weather like in New York today?".into())
            );
        }
        other => panic!("expected a system and a user message, got {other:?}"),
    }
    let tools = request.tools.as_ref().expect("tools");
    assert_eq!(tools.len(), 1);
    assert_eq!(tools[0].type_, ChatCompletionToolType::Function);
    let function = tools[0].function.as_ref().expect("function");
    assert_eq!(function.name, "get_weather");
    assert_eq!(
        function.description.as_deref(),
        Some("Get the current weather for a location")
    );
    let parameters = &function.parameters.as_ref().expect("parameters").0;
    assert_eq!(parameters["required"], json!(["location"]));
    assert_eq!(
        parameters["properties"]["unit"]["enum"],
        json!(["celsius", "fahrenheit"])
    );

    // Sent back, the request is exactly the documented one: nothing added, nothing lost.
    let written = serde_json::to_value(&request).expect("serialises");
    let read: Value = serde_json::from_str(text).expect("JSON");
    assert_eq!(written, read);
}

// The documentation shows an excerpt of the response: its `model` and `choices` members.
const TOOL_CALL_RESPONSE: &str = r#""model": "llama-3.3-70b-versatile", "choices": [{ "index": 0, "message": { "role": "assistant", "tool_calls": [{ "id": "call_d5wg", "type": "function", "function": { "name": "get_weather", "arguments": "{\"location\": \"New York, NY\"}" } }] }, "logprobs": null, "finish_reason": "tool_calls" }],"#;
/// The documented excerpt as a JSON object.
fn tool_call_response() -> Value {
    let members = TOOL_CALL_RESPONSE.trim().trim_end_matches(',');
    serde_json::from_str(&format!("{{{members}}}")).expect("the excerpt is JSON members")
}

#[test]
fn tool_use_docs_response_choice() {
    let excerpt = tool_call_response();
    assert_eq!(excerpt["model"], "llama-3.3-70b-versatile");
    let choices: Vec<ChatCompletionChoice> =
        serde_json::from_value(excerpt["choices"].clone()).expect("the documented choices parse");
    let choice = &choices[0];
    assert_eq!(choice.index, 0);
    assert_eq!(choice.finish_reason, FinishReason::ToolCalls);
    assert_eq!(choice.logprobs, None::<ChatCompletionChoiceLogprobs>);
    assert_eq!(choice.message.content, None);
    let calls = &choice.message.tool_calls.as_ref().expect("tool_calls").0;
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].id, "call_d5wg");
    assert_eq!(calls[0].type_, FunctionToolType::Function);
    assert_eq!(calls[0].function.name, "get_weather");
    let arguments: Value =
        serde_json::from_str(&calls[0].function.arguments).expect("arguments are JSON");
    assert_eq!(arguments, json!({"location": "New York, NY"}));

    // The same choice in a full completion.
    let completion: ChatCompletion = serde_json::from_value(json!({
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1730241104,
        "model": excerpt["model"],
        "choices": excerpt["choices"],
    }))
    .expect("a completion with the documented choices parses");
    assert_eq!(completion.content(), None);
    assert_eq!(completion.choices[0], *choice);
}

/// The same documented choice with `"content": null` (as OpenAI-compatible servers send it) parses today.
#[test]
fn tool_use_docs_response_choice_with_null_content() {
    let mut excerpt = tool_call_response();
    excerpt["choices"][0]["message"]["content"] = Value::Null;
    let choices: Vec<ChatCompletionChoice> =
        serde_json::from_value(excerpt["choices"].clone()).expect("the choices parse");
    assert_eq!(choices[0].finish_reason, FinishReason::ToolCalls);
    assert_eq!(choices[0].message.content, None);
    let calls = &choices[0]
        .message
        .tool_calls
        .as_ref()
        .expect("tool_calls")
        .0;
    assert_eq!(calls[0].id, "call_d5wg");
    assert_round_trip(&choices[0]);
}

const VISION_TOOL_CALLS: &str = r#"[ { "id": "call_q0wg", "function": { "arguments": "{\"location\": \"New York, NY\",\"unit\": \"fahrenheit\"}", "name": "get_current_weather" }, "type": "function" } ]"#;
#[test]
fn vision_docs_tool_calls() {
    let calls: ChatCompletionMessageToolCalls =
        serde_json::from_str(VISION_TOOL_CALLS).expect("the documented tool calls parse");
    assert_eq!(calls.0.len(), 1);
    assert_eq!(calls.0[0].id, "call_q0wg");
    assert_eq!(calls.0[0].type_, FunctionToolType::Function);
    assert_eq!(calls.0[0].function.name, "get_current_weather");
    let arguments: Value =
        serde_json::from_str(&calls.0[0].function.arguments).expect("arguments are JSON");
    assert_eq!(
        arguments,
        json!({"location": "New York, NY", "unit": "fahrenheit"})
    );
    assert_round_trip(&calls);
}

// ---------------------------------------------------------------------------------------------------------
// docs/speech-to-text: one segment of a `verbose_json` transcript.
// ---------------------------------------------------------------------------------------------------------

const TRANSCRIPTION_SEGMENT: &str = r#"{ "id": 8, "seek": 3000, "start": 43.92, "end": 50.16, "text": " document that the functional specification that you started to read through that isn't just the", "tokens": [51061, 4166, 300, 264, 11745, 31256], "temperature": 0, "avg_logprob": -0.097569615, "compression_ratio": 1.6637554, "no_speech_prob": 0.012814695 }"#;
fn assert_documented_segment(segment: &TranscriptionSegment) {
    assert_eq!(segment.id, 8);
    assert_eq!(segment.seek, 3000);
    assert_eq!(segment.start, 43.92);
    assert_eq!(segment.end, 50.16);
    assert_eq!(
        segment.text,
        " document that the functional specification that you started to read through that isn't just the"
    );
    assert_eq!(segment.tokens, [51061, 4166, 300, 264, 11745, 31256]);
    assert_eq!(segment.temperature, Some(0.0));
    assert_eq!(segment.avg_logprob, Some(-0.097569615));
    assert_eq!(segment.compression_ratio, Some(1.6637554));
    assert_eq!(segment.no_speech_prob, Some(0.012814695));
}

#[test]
fn speech_to_text_docs_segment() {
    let segment: TranscriptionSegment =
        serde_json::from_str(TRANSCRIPTION_SEGMENT).expect("the documented segment parses");
    assert_documented_segment(&segment);
    assert_round_trip(&segment);
}

/// A `verbose_json` transcript (and translation) around the documented segment. Whisper servers send
/// `duration` as a number of seconds.
#[test]
fn verbose_transcript_with_numeric_duration() {
    let segment: Value = serde_json::from_str(TRANSCRIPTION_SEGMENT).expect("JSON");
    let verbose = json!({
        "task": "transcribe",
        "language": "English",
        "duration": 50.16,
        "text": segment["text"],
        "segments": [segment],
        "x_groq": {"id": "req_01jh6x76wtemjr74t1fh0faj5t"}
    });
    let transcription: CreateTranscriptionResponseVerboseJson =
        serde_json::from_value(verbose.clone()).expect("a verbose transcription parses");
    assert_eq!(transcription.language, "English");
    assert_eq!(transcription.segments.len(), 1);
    assert_documented_segment(&transcription.segments[0]);
    assert!(transcription.words.is_empty());
    assert_round_trip(&transcription);
    let written: Value =
        serde_json::from_str(&serde_json::to_string(&transcription).expect("serialises"))
            .expect("JSON");
    assert_eq!(written["duration"], json!(50.16));

    let translation: CreateTranslationResponseVerboseJson =
        serde_json::from_value(verbose).expect("a verbose translation parses");
    assert_documented_segment(&translation.segments[0]);
    assert_round_trip(&translation);
}
