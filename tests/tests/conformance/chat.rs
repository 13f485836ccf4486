//! The conformance cases of chat completions: a `full` request that sets every field and sends every
//! kind of message.

use crate::fixtures::*;
use crate::outcome::{unknown_variant, Outcome};
use crate::{Target, REPS};
use groq_types::{
    ChatCompletionDocument, ChatCompletionDocumentSource, ChatCompletionDocumentSourceJson,
    ChatCompletionDocumentSourceText, ChatCompletionFunctionCallOption, ChatCompletionFunctions,
    ChatCompletionMessageToolCall, ChatCompletionNamedToolChoice,
    ChatCompletionRequestAssistantMessage, ChatCompletionRequestFunctionMessage,
    ChatCompletionRequestMessage as Message, ChatCompletionRequestMessageContentPart as Part,
    ChatCompletionRequestMessageContentPartDocument, ChatCompletionRequestMessageContentPartText,
    ChatCompletionRequestSystemMessage, ChatCompletionRequestSystemMessageRole,
    ChatCompletionRequestUserMessage, ChatCompletionTool, ChatModel, CitationOptions,
    CompoundCustom, CompoundCustomModels, CompoundCustomTools, CreateChatCompletionRequest,
    FunctionCallOption, ImageDetail, InlineDocument, NamedToolChoiceFunction, ReasoningEffort,
    ReasoningFormat, ResponseFormat, SearchSettings, ServiceTier, ToolCallFunction,
    WolframSettings,
};
use serde_json::json;
use std::collections::HashMap;
use std::num::NonZeroU64;

/// A conversation with every kind of message, each with its optional fields.
fn every_message() -> Vec<Message> {
    let function = ToolCallFunction::builder()
        .name("get_weather")
        .arguments(r#"{"location":"Paris"}"#)
        .build()
        .expect("name and arguments are set");
    let weather_call = ChatCompletionMessageToolCall::new(function, "call_01");
    vec![
        Message::System(
            ChatCompletionRequestSystemMessage::new(
                "You are a weather assistant.",
                ChatCompletionRequestSystemMessageRole::System,
            )
            .name("setup"),
        ),
        Message::System(ChatCompletionRequestSystemMessage::new(
            vec![ChatCompletionRequestMessageContentPartText::new(
                "Answer in one sentence.",
            )],
            ChatCompletionRequestSystemMessageRole::Developer,
        )),
        Message::User(
            ChatCompletionRequestUserMessage::new(vec![
                Part::text("What's the weather like in Paris, and what is in this picture?"),
                Part::image_url_with_detail("https://example.com/paris.png", ImageDetail::Low),
                Part::image_base64("image/png", b"\x89PNG\r\n\x1a\n"),
                Part::Document(ChatCompletionRequestMessageContentPartDocument::new(
                    InlineDocument::new(object(json!({"city": "Paris", "country": "France"})))
                        .id("doc-inline"),
                )),
            ])
            .name("alice"),
        ),
        Message::Assistant(
            ChatCompletionRequestAssistantMessage::default()
                .content("Let me check.")
                .name("forecaster")
                .reasoning("The user wants the weather in Paris: call the tool.")
                .tool_calls(vec![weather_call]),
        ),
        Message::tool("call_01", r#"{"temperature_c":21}"#),
        Message::Function(
            ChatCompletionRequestFunctionMessage::new("get_weather")
                .content(r#"{"temperature_c":21}"#),
        ),
        Message::assistant("It is 21 °C in Paris."),
        Message::user("Thanks!"),
    ]
}

/// Every field of `CreateChatCompletionRequest` set, with values in range for the reference spec.
fn full_chat() -> CreateChatCompletionRequest {
    CreateChatCompletionRequest::new(
        every_message(),
        ChatModel::MetaLlamaLlama4Scout17b16eInstruct,
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
    .documents(vec![
        ChatCompletionDocument::new(ChatCompletionDocumentSource::Text(
            ChatCompletionDocumentSourceText::new("Paris is the capital of France."),
        ))
        .id("doc-1"),
        ChatCompletionDocument::new(ChatCompletionDocumentSource::Json(
            ChatCompletionDocumentSourceJson::new(object(
                json!({"city": "Paris", "temperature_c": 21}),
            )),
        )),
    ])
    .exclude_domains(vec!["example.org".to_owned()])
    .frequency_penalty(-2.0)
    .function_call(FunctionCallOption::Named(
        ChatCompletionFunctionCallOption::new("get_weather"),
    ))
    .functions(vec![ChatCompletionFunctions::new("get_weather")
        .description("Current weather in a city")
        .parameters(weather_parameters())])
    .include_domains(vec!["weather.example.com".to_owned()])
    .include_reasoning(false)
    .logit_bias(HashMap::from([("50256".to_owned(), -100)]))
    .logprobs(true)
    .max_completion_tokens(1024)
    .max_tokens(2048)
    .metadata(metadata())
    .n(NonZeroU64::new(1).expect("1 is not zero"))
    .parallel_tool_calls(false)
    .presence_penalty(2.0)
    .reasoning_effort(ReasoningEffort::Medium)
    .reasoning_format(ReasoningFormat::Parsed)
    .response_format(ResponseFormat::json_schema(
        "weather",
        json!({
            "type": "object",
            "properties": {"temperature_c": {"type": "number"}},
            "required": ["temperature_c"],
        }),
        true,
    ))
    .search_settings(
        SearchSettings::default()
            .country("france")
            .exclude_domains(vec!["spam.example".into()])
            .include_domains(vec!["meteo.example".into()])
            .include_images(true),
    )
    .seed(42)
    .service_tier(ServiceTier::Flex)
    .stop(["END", "STOP", "DONE", "QUIT"])
    .store(false)
    .stream(false)
    .temperature(2.0)
    .tool_choice(ChatCompletionNamedToolChoice::new(
        NamedToolChoiceFunction::new("get_weather"),
    ))
    .tools(vec![ChatCompletionTool::new_function(
        "get_weather",
        "Current weather in a city",
        weather_parameters(),
    )])
    .top_logprobs(20)
    .top_p(1.0)
    .user("user-1234")
}

pub(crate) fn chat_request(variant: &str) -> CreateChatCompletionRequest {
    match variant {
        "minimal" => CreateChatCompletionRequest::new(vec![Message::user("Hi")], MODEL),
        "full" => full_chat(),
        other => unknown_variant(other),
    }
}

pub(crate) fn create_chat_completion(target: &Target, variant: &str) -> Vec<Outcome> {
    let request = chat_request(variant);
    on_client!(target, |c| Outcome::json(
        wait!(c.chat().completions().with_raw_response().create(&request)),
        &[]
    ))
}
