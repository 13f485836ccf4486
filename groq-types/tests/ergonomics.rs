//! The hand-written conveniences of `groq_types::ergonomics`, checked against the exact JSON they produce.

use groq_types::{
    ChatCompletion, ChatCompletionMessageToolCall, ChatCompletionMessageToolCalls,
    ChatCompletionRequestMessage as Message, ChatCompletionRequestMessageContentPart as Part,
    ChatCompletionResponseMessage, ChatCompletionTool, ChatModel, CreateChatCompletionRequest,
    FunctionCall, FunctionParameters, ImageDetail, ResponseFormat, StopSequences, ToolCallFunction,
};
use serde_json::{json, Value};

fn to_value<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("serialises")
}

// ---------------------------------------------------------------------------------------------------------
// Requests and messages.
// ---------------------------------------------------------------------------------------------------------

#[test]
fn from_messages_builds_a_request_with_nothing_else_set() {
    let request = CreateChatCompletionRequest::from_messages(
        "llama-3.3-70b-versatile",
        [
            Message::system("You are a helpful assistant."),
            Message::user("Explain the importance of fast language models"),
        ],
    );
    assert_eq!(request.model, ChatModel::Llama3_3_70bVersatile);
    assert_eq!(
        to_value(&request),
        json!({
            "model": "llama-3.3-70b-versatile",
            "messages": [
                {"role": "system", "content": "You are a helpful assistant."},
                {"role": "user", "content": "Explain the importance of fast language models"}
            ]
        })
    );
}

#[test]
fn from_messages_accepts_anything_that_converts_into_a_message() {
    let previous = ChatCompletionResponseMessage::default().content("Hi!".to_owned());
    let request = CreateChatCompletionRequest::from_messages("acme/new-model", vec![previous]);
    assert_eq!(request.model, ChatModel::Unknown("acme/new-model".into()));
    assert_eq!(
        to_value(&request),
        json!({
            "model": "acme/new-model",
            "messages": [{"role": "assistant", "content": "Hi!"}]
        })
    );
}

#[test]
fn from_messages_and_setters_chain() {
    let request = CreateChatCompletionRequest::from_messages(
        ChatModel::OpenaiGptOss20b,
        [Message::user("Hi")],
    )
    .temperature(0.5)
    .max_completion_tokens(1024)
    .stop("END");
    assert_eq!(
        to_value(&request),
        json!({
            "model": "openai/gpt-oss-20b",
            "messages": [{"role": "user", "content": "Hi"}],
            "temperature": 0.5,
            "max_completion_tokens": 1024,
            "stop": "END"
        })
    );
}

#[test]
fn message_constructors_for_every_role() {
    assert_eq!(
        to_value(&Message::system("Be brief.")),
        json!({"role": "system", "content": "Be brief."})
    );
    assert_eq!(
        to_value(&Message::developer("Answer in French.")),
        json!({"role": "developer", "content": "Answer in French."})
    );
    assert_eq!(
        to_value(&Message::user("Bonjour ?")),
        json!({"role": "user", "content": "Bonjour ?"})
    );
    assert_eq!(
        to_value(&Message::assistant("Bonjour !")),
        json!({"role": "assistant", "content": "Bonjour !"})
    );
    assert_eq!(
        to_value(&Message::tool("call_d5wg", r#"{"temperature": 18}"#)),
        json!({"role": "tool", "tool_call_id": "call_d5wg", "content": "{\"temperature\": 18}"})
    );
}

#[test]
fn message_constructors_take_str_string_and_string_ref() {
    let owned = String::from("text");
    assert_eq!(Message::user(owned.clone()), Message::user("text"));
    assert_eq!(Message::user(&owned), Message::user("text"));
    assert_eq!(Message::system(&owned), Message::system("text"));
    assert_eq!(
        Message::assistant(owned.clone()),
        Message::assistant("text")
    );
    assert_eq!(Message::tool("id", &owned), Message::tool("id", "text"));
    assert_ne!(Message::system("text"), Message::developer("text"));
}

#[test]
fn messages_round_trip_through_their_role() {
    for message in [
        Message::system("s"),
        Message::developer("d"),
        Message::user("u"),
        Message::assistant("a"),
        Message::tool("call_1", "t"),
    ] {
        let text = serde_json::to_string(&message).expect("serialises");
        let back: Message = serde_json::from_str(&text).expect("parses");
        assert_eq!(back, message);
    }
}

// ---------------------------------------------------------------------------------------------------------
// Multimodal user content.
// ---------------------------------------------------------------------------------------------------------

#[test]
fn multimodal_parts() {
    let message = Message::user(vec![
        Part::text("What's in this image?"),
        Part::image_url("https://example.com/cat.png"),
        Part::image_url_with_detail("https://example.com/dog.png", ImageDetail::Low),
    ]);
    assert_eq!(
        to_value(&message),
        json!({
            "role": "user",
            "content": [
                {"type": "text", "text": "What's in this image?"},
                {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}},
                {"type": "image_url", "image_url": {"url": "https://example.com/dog.png", "detail": "low"}}
            ]
        })
    );
}

#[test]
fn image_base64_is_a_data_url() {
    // b"\xff\xd8\xff\xe0" (the start of a JPEG) is "/9j/4A==" in standard base64 with padding.
    let part = Part::image_base64("image/jpeg", b"\xff\xd8\xff\xe0");
    assert_eq!(
        to_value(&part),
        json!({"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,/9j/4A=="}})
    );
    assert_eq!(part, Part::image_url("data:image/jpeg;base64,/9j/4A=="));

    let png = Part::image_base64("image/png", "hello");
    assert_eq!(
        to_value(&png)["image_url"]["url"],
        json!("data:image/png;base64,aGVsbG8=")
    );
}

// ---------------------------------------------------------------------------------------------------------
// Tools.
// ---------------------------------------------------------------------------------------------------------

#[test]
fn new_function_from_a_json_schema() {
    let tool = ChatCompletionTool::new_function(
        "calculate",
        "Evaluate a mathematical expression",
        json!({
            "type": "object",
            "properties": {"expression": {"type": "string"}},
            "required": ["expression"],
        })
        .try_into()
        .expect("an object is valid parameters"),
    );
    assert_eq!(
        to_value(&tool),
        json!({
            "type": "function",
            "function": {
                "name": "calculate",
                "description": "Evaluate a mathematical expression",
                "parameters": {
                    "type": "object",
                    "properties": {"expression": {"type": "string"}},
                    "required": ["expression"]
                }
            }
        })
    );
}

#[test]
fn function_parameters_must_be_an_object() {
    for not_an_object in [json!(["location"]), json!("object"), json!(null), json!(3)] {
        let result: Result<FunctionParameters, _> = not_an_object.clone().try_into();
        match result {
            Err(groq_types::sdk::Error::InvalidRequest(message)) => {
                assert!(
                    message.contains("must be a JSON Schema object"),
                    "unexpected message: {message}"
                );
                assert!(
                    message.contains(&not_an_object.to_string()),
                    "the message names the value: {message}"
                );
            }
            other => panic!("expected InvalidRequest for {not_an_object}, got {other:?}"),
        }
    }
}

/// Arguments of the `get_weather` tool.
#[derive(schemars::JsonSchema, serde::Deserialize)]
#[allow(dead_code)]
struct Weather {
    /// The city, e.g. Paris.
    location: String,
    /// Degrees in Fahrenheit rather than Celsius.
    fahrenheit: Option<bool>,
}

#[test]
fn new_function_for_a_schemars_type() {
    let tool =
        ChatCompletionTool::new_function_for::<Weather>("get_weather", "Current weather in a city");
    assert_eq!(
        to_value(&tool),
        json!({
            "type": "function",
            "function": {
                "name": "get_weather",
                "description": "Current weather in a city",
                "parameters": {
                    "title": "Weather",
                    "description": "Arguments of the `get_weather` tool.",
                    "type": "object",
                    "properties": {
                        "location": {"type": "string", "description": "The city, e.g. Paris."},
                        "fahrenheit": {
                            "type": ["boolean", "null"],
                            "description": "Degrees in Fahrenheit rather than Celsius."
                        }
                    },
                    "required": ["location"]
                }
            }
        })
    );
}

// ---------------------------------------------------------------------------------------------------------
// Response formats.
// ---------------------------------------------------------------------------------------------------------

#[test]
fn response_format_text_and_json_object() {
    assert_eq!(to_value(&ResponseFormat::text()), json!({"type": "text"}));
    assert_eq!(
        to_value(&ResponseFormat::json_object()),
        json!({"type": "json_object"})
    );
}

#[test]
fn response_format_json_schema() {
    let format = ResponseFormat::json_schema(
        "product_review",
        json!({"type": "object", "properties": {"rating": {"type": "integer"}}}),
        true,
    );
    assert_eq!(
        to_value(&format),
        json!({
            "type": "json_schema",
            "json_schema": {
                "name": "product_review",
                "schema": {"type": "object", "properties": {"rating": {"type": "integer"}}},
                "strict": true
            }
        })
    );
    let lenient = ResponseFormat::json_schema("any", json!({}), false);
    assert_eq!(
        to_value(&lenient),
        json!({"type": "json_schema", "json_schema": {"name": "any", "schema": {}, "strict": false}})
    );
}

#[test]
fn response_format_json_schema_wraps_a_non_object_schema() {
    let format = ResponseFormat::json_schema("yes", json!("yes"), true);
    assert_eq!(
        to_value(&format)["json_schema"]["schema"],
        json!({"const": "yes"})
    );
}

#[test]
fn response_format_json_schema_sends_boolean_schemas_as_the_objects_they_mean() {
    let any = ResponseFormat::json_schema("any", json!(true), false);
    assert_eq!(to_value(&any)["json_schema"]["schema"], json!({}));
    let none = ResponseFormat::json_schema("none", json!(false), false);
    assert_eq!(to_value(&none)["json_schema"]["schema"], json!({"not": {}}));
}

/// A product review.
#[derive(schemars::JsonSchema)]
#[allow(dead_code)]
struct Review {
    /// From 1 to 5.
    rating: u8,
    summary: String,
}

#[test]
fn response_format_json_schema_for_a_schemars_type() {
    let format = ResponseFormat::json_schema_for::<Review>("review");
    assert_eq!(
        to_value(&format),
        json!({
            "type": "json_schema",
            "json_schema": {
                "name": "review",
                "strict": false,
                "schema": {
                    "title": "Review",
                    "description": "A product review.",
                    "type": "object",
                    "properties": {
                        "rating": {
                            "type": "integer",
                            "format": "uint8",
                            "minimum": 0,
                            "maximum": 255,
                            "description": "From 1 to 5."
                        },
                        "summary": {"type": "string"}
                    },
                    "required": ["rating", "summary"]
                }
            }
        })
    );
}

// ---------------------------------------------------------------------------------------------------------
// Stop sequences.
// ---------------------------------------------------------------------------------------------------------

#[test]
fn stop_sequences_from_one_or_several_strings() {
    assert_eq!(
        StopSequences::from("END"),
        StopSequences::Single("END".into())
    );
    assert_eq!(
        StopSequences::from(String::from("END")),
        StopSequences::Single("END".into())
    );
    assert_eq!(
        StopSequences::from(["END", "STOP"]),
        StopSequences::Multiple(vec!["END".into(), "STOP".into()])
    );
    assert_eq!(
        StopSequences::from(vec!["a", "b", "c"]),
        StopSequences::Multiple(vec!["a".into(), "b".into(), "c".into()])
    );
    assert_eq!(to_value(&StopSequences::from("END")), json!("END"));
    assert_eq!(
        to_value(&StopSequences::from(["END", "STOP"])),
        json!(["END", "STOP"])
    );
    assert_eq!(
        serde_json::from_value::<StopSequences>(json!(["x"])).expect("parses"),
        StopSequences::Multiple(vec!["x".into()])
    );
}

// ---------------------------------------------------------------------------------------------------------
// Continuing a conversation from a response.
// ---------------------------------------------------------------------------------------------------------

fn tool_call(id: &str, name: &str, arguments: &str) -> ChatCompletionMessageToolCall {
    let function = ToolCallFunction::builder()
        .name(name)
        .arguments(arguments)
        .build()
        .expect("name and arguments are set");
    ChatCompletionMessageToolCall::new(function, id)
}

fn tool_calls() -> ChatCompletionMessageToolCalls {
    ChatCompletionMessageToolCalls(vec![
        tool_call("call_1", "get_weather", r#"{"location": "Paris"}"#),
        tool_call("call_2", "calculate", r#"{"expression": "2+2"}"#),
    ])
}

#[test]
fn response_message_with_tool_calls_becomes_an_assistant_message() {
    let response: ChatCompletionResponseMessage = serde_json::from_value(json!({
        "role": "assistant",
        "content": null,
        "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"location\": \"Paris\"}"}},
            {"id": "call_2", "type": "function", "function": {"name": "calculate", "arguments": "{\"expression\": \"2+2\"}"}}
        ]
    }))
    .expect("parses");
    let message = Message::from(response);
    let Message::Assistant(assistant) = &message else {
        panic!("expected an assistant message, got {message:?}");
    };
    assert_eq!(assistant.tool_calls.as_ref(), Some(&tool_calls()));
    assert_eq!(assistant.content, None);
    assert_eq!(
        to_value(&message),
        json!({
            "role": "assistant",
            "tool_calls": [
                {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"location\": \"Paris\"}"}},
                {"id": "call_2", "type": "function", "function": {"name": "calculate", "arguments": "{\"expression\": \"2+2\"}"}}
            ]
        })
    );
}

#[test]
fn response_message_keeps_content_reasoning_and_function_call() {
    let mut response = ChatCompletionResponseMessage::default()
        .content("Let me check.".to_owned())
        .reasoning("The user wants the weather.".to_owned())
        .function_call(
            FunctionCall::builder()
                .name("legacy")
                .arguments("{}")
                .build()
                .expect("name and arguments are set"),
        );
    // Response-only fields are not sent back.
    response.annotations = serde_json::from_value(json!([
        {"type": "document_citation", "document_citation": {"document_id": "d", "start_index": 0, "end_index": 1}}
    ]))
    .expect("annotations parse");
    let message: Message = response.into();
    assert_eq!(
        to_value(&message),
        json!({
            "role": "assistant",
            "content": "Let me check.",
            "reasoning": "The user wants the weather.",
            "function_call": {"name": "legacy", "arguments": "{}"}
        })
    );
}

#[test]
fn continuing_a_conversation_with_a_tool_result() {
    let completion: ChatCompletion = serde_json::from_value(json!({
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1730241104,
        "model": "llama-3.3-70b-versatile",
        "choices": [{
            "index": 0,
            "finish_reason": "tool_calls",
            "logprobs": null,
            "message": {
                "role": "assistant",
                "content": null,
                "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}]
            }
        }]
    }))
    .expect("parses");
    let answer = completion.choices[0].message.clone();
    let request = CreateChatCompletionRequest::from_messages(
        completion.model.as_str(),
        [
            Message::user("Weather in Paris?"),
            answer.into(),
            Message::tool("call_1", "18 °C"),
        ],
    );
    let value = to_value(&request);
    assert_eq!(value["messages"][1]["role"], "assistant");
    assert_eq!(value["messages"][1]["tool_calls"][0]["id"], "call_1");
    assert_eq!(
        value["messages"][2],
        json!({"role": "tool", "tool_call_id": "call_1", "content": "18 °C"})
    );
}

// ---------------------------------------------------------------------------------------------------------
// Reading a completion.
// ---------------------------------------------------------------------------------------------------------

fn completion(choices: Value) -> ChatCompletion {
    serde_json::from_value(json!({
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1730241104,
        "model": "llama-3.3-70b-versatile",
        "choices": choices
    }))
    .expect("parses")
}

#[test]
fn content_is_the_text_of_the_first_choice() {
    let two = completion(json!([
        {"index": 0, "finish_reason": "stop", "logprobs": null, "message": {"role": "assistant", "content": "first"}},
        {"index": 1, "finish_reason": "stop", "logprobs": null, "message": {"role": "assistant", "content": "second"}}
    ]));
    assert_eq!(two.content(), Some("first"));

    let none = completion(json!([
        {"index": 0, "finish_reason": "tool_calls", "logprobs": null, "message": {"role": "assistant", "content": null}}
    ]));
    assert_eq!(none.content(), None);

    assert_eq!(completion(json!([])).content(), None);
}
