//! Request bodies: what `CreateChatCompletionRequest` puts on the wire.
//!
//! A minimal request carries exactly what the caller set (no spec default is ever sent), and a maximal
//! request, with every field of the struct set through its setter, is pinned by an insta snapshot.

use std::collections::HashMap;
use std::num::NonZeroU64;

use groq_types::{
    ChatCompletionDocument, ChatCompletionDocumentSource, ChatCompletionDocumentSourceText,
    ChatCompletionFunctionCallOption, ChatCompletionFunctions, ChatCompletionNamedToolChoice,
    ChatCompletionRequestMessage as Message, ChatCompletionTool, ChatModel, CitationOptions,
    CompoundCustom, CompoundCustomModels, CompoundCustomTools, CreateChatCompletionRequest,
    FunctionCallOption, FunctionParameters, NamedToolChoiceFunction, ReasoningEffort,
    ReasoningFormat, ResponseFormat, SearchSettings, ServiceTier, ToolChoiceMode, WolframSettings,
};
use serde_json::{json, Value};

/// The request with only the two required fields.
fn minimal() -> CreateChatCompletionRequest {
    CreateChatCompletionRequest::new(
        vec![Message::user(
            "Explain the importance of fast language models",
        )],
        "llama-3.3-70b-versatile",
    )
}

/// The request with every field of `CreateChatCompletionRequest` set (maps hold one entry each so that
/// the snapshot does not depend on hash order).
fn maximal() -> CreateChatCompletionRequest {
    let weather: FunctionParameters = json!({
        "type": "object",
        "properties": {"location": {"type": "string"}},
        "required": ["location"],
    })
    .try_into()
    .expect("an object is valid tool parameters");

    CreateChatCompletionRequest::new(
        vec![
            Message::system("You are a weather assistant."),
            Message::user("What's the weather like in Paris?"),
        ],
        ChatModel::Llama3_3_70bVersatile,
    )
    .citation_options(CitationOptions::Enabled)
    .compound_custom(
        CompoundCustom::default()
            .models(
                CompoundCustomModels::default()
                    .answering_model("openai/gpt-oss-120b")
                    .reasoning_model("qwen/qwen3-32b"),
            )
            .tools(
                CompoundCustomTools::default()
                    .enabled_tools(vec!["web_search".into(), "code_interpreter".into()])
                    .wolfram_settings(WolframSettings::default().authorization("wolfram-app-id")),
            ),
    )
    .disable_tool_validation(true)
    .documents(vec![ChatCompletionDocument::new(
        ChatCompletionDocumentSource::Text(ChatCompletionDocumentSourceText::new(
            "Paris is the capital of France.",
        )),
    )
    .id("doc-1")])
    .exclude_domains(vec!["example.org".to_owned()])
    .frequency_penalty(0.25)
    .function_call(FunctionCallOption::Named(
        ChatCompletionFunctionCallOption::new("get_weather"),
    ))
    .functions(vec![ChatCompletionFunctions::new("get_weather")
        .description("Current weather in a city")
        .parameters(weather.clone())])
    .include_domains(vec!["weather.example.com".to_owned()])
    .include_reasoning(false)
    .logit_bias(HashMap::from([("50256".to_owned(), -100)]))
    .logprobs(true)
    .max_completion_tokens(1024)
    .max_tokens(2048)
    .metadata(HashMap::from([("team".to_owned(), "sdk".to_owned())]))
    .n(NonZeroU64::new(1).expect("1 is not zero"))
    .parallel_tool_calls(false)
    .presence_penalty(-0.5)
    .reasoning_effort(ReasoningEffort::Medium)
    .reasoning_format(ReasoningFormat::Parsed)
    .response_format(ResponseFormat::json_object())
    .search_settings(
        SearchSettings::default()
            .country("france")
            .exclude_domains(vec!["spam.example".into()])
            .include_domains(vec!["meteo.example".into()])
            .include_images(true),
    )
    .seed(42)
    .service_tier(ServiceTier::Flex)
    .stop(["END", "STOP"])
    .store(false)
    .stream(false)
    .temperature(0.5)
    .tool_choice(ChatCompletionNamedToolChoice::new(
        NamedToolChoiceFunction::new("get_weather"),
    ))
    .tools(vec![ChatCompletionTool::new_function(
        "get_weather",
        "Current weather in a city",
        weather,
    )])
    .top_logprobs(3)
    .top_p(0.9)
    .user("user-1234")
}

fn to_value(request: &CreateChatCompletionRequest) -> Value {
    serde_json::to_value(request).expect("a request serialises")
}

#[test]
fn minimal_request_is_exactly_model_and_messages() {
    assert_eq!(
        to_value(&minimal()),
        json!({
            "messages": [
                {"content": "Explain the importance of fast language models", "role": "user"}
            ],
            "model": "llama-3.3-70b-versatile",
        })
    );
}

#[test]
fn minimal_request_sends_no_spec_default() {
    let value = to_value(&minimal());
    let object = value.as_object().expect("a request is a JSON object");
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["messages", "model"]);
    for defaulted in [
        "temperature",
        "n",
        "stream",
        "top_p",
        "parallel_tool_calls",
        "service_tier",
        "reasoning_format",
        "tool_choice",
        "frequency_penalty",
        "presence_penalty",
        "logprobs",
        "store",
    ] {
        assert!(
            !object.contains_key(defaulted),
            "`{defaulted}` was sent although the caller did not set it"
        );
    }
    let message = value["messages"][0].as_object().expect("message object");
    let mut message_keys: Vec<&str> = message.keys().map(String::as_str).collect();
    message_keys.sort_unstable();
    assert_eq!(
        message_keys,
        ["content", "role"],
        "no `name` on the message"
    );
}

#[test]
fn minimal_request_round_trips() {
    let request = minimal();
    let text = serde_json::to_string(&request).expect("serialises");
    let back: CreateChatCompletionRequest = serde_json::from_str(&text).expect("deserialises");
    assert_eq!(back, request);
    assert_eq!(back.model, ChatModel::Llama3_3_70bVersatile);
    assert_eq!(back.temperature, None);
    assert_eq!(back.n, None);
}

#[test]
fn minimal_request_snapshot() {
    insta::assert_json_snapshot!("minimal_chat_completion_request", minimal());
}

#[test]
fn maximal_request_snapshot() {
    insta::assert_json_snapshot!("maximal_chat_completion_request", maximal());
}

/// Every field of the struct is present in the maximal request's JSON, so the snapshot covers them all; a
/// field added to the spec but not to `maximal()` fails here.
#[test]
fn maximal_request_sets_every_field() {
    let value = to_value(&maximal());
    let object = value.as_object().expect("a request is a JSON object");
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();

    let spec: Value = serde_json::to_value(schemars::schema_for!(CreateChatCompletionRequest))
        .expect("the schema serialises");
    let mut properties: Vec<&str> = spec["properties"]
        .as_object()
        .expect("the request schema has properties")
        .keys()
        .map(String::as_str)
        .collect();
    properties.sort_unstable();

    assert_eq!(keys, properties);
    assert_eq!(keys.len(), 35);
}

#[test]
fn maximal_request_values() {
    let value = to_value(&maximal());
    assert_eq!(value["temperature"], json!(0.5));
    assert_eq!(value["top_p"], json!(0.9));
    assert_eq!(value["n"], json!(1));
    assert_eq!(value["stream"], json!(false));
    assert_eq!(value["stop"], json!(["END", "STOP"]));
    assert_eq!(value["service_tier"], json!("flex"));
    assert_eq!(value["reasoning_effort"], json!("medium"));
    assert_eq!(value["reasoning_format"], json!("parsed"));
    assert_eq!(value["response_format"], json!({"type": "json_object"}));
    assert_eq!(
        value["tool_choice"],
        json!({"type": "function", "function": {"name": "get_weather"}})
    );
    assert_eq!(value["function_call"], json!({"name": "get_weather"}));
    assert_eq!(value["logit_bias"], json!({"50256": -100}));
    assert_eq!(
        value["documents"],
        json!([{"id": "doc-1", "source": {"type": "text", "text": "Paris is the capital of France."}}])
    );
    assert_eq!(value["messages"][0]["role"], json!("system"));
    assert_eq!(value["messages"][1]["role"], json!("user"));
}

#[test]
fn maximal_request_round_trips() {
    let request = maximal();
    let text = serde_json::to_string(&request).expect("serialises");
    let back: CreateChatCompletionRequest = serde_json::from_str(&text).expect("deserialises");
    assert_eq!(back, request);
}

#[test]
fn tool_choice_mode_and_unknown_model_serialise_as_strings() {
    let request =
        CreateChatCompletionRequest::new(vec![Message::user("Hi")], "acme/brand-new-model")
            .tool_choice(ToolChoiceMode::Required)
            .service_tier("on_demand_plus");
    let value = to_value(&request);
    assert_eq!(value["tool_choice"], json!("required"));
    assert_eq!(value["service_tier"], json!("on_demand_plus"));
    assert_eq!(value["model"], json!("acme/brand-new-model"));
}
