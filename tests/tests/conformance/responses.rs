//! The conformance cases of responses: a `full` request that sets every field and sends every kind of
//! input item.

use crate::fixtures::*;
use crate::outcome::{unknown_variant, Outcome};
use crate::{Target, REPS};
use groq_types::{
    CreateResponseRequest, NamedToolChoiceFunction, ResponseEasyInputContent,
    ResponseEasyInputMessage, ResponseEasyInputRole, ResponseFormatConfiguration,
    ResponseFunctionCall, ResponseFunctionCallOutput, ResponseInput, ResponseInputContent,
    ResponseInputItem, ResponseInputMessage, ResponseInputRole, ResponseInputTextContent,
    ResponseItemReference, ResponseItemStatus, ResponseModel, ResponseNamedToolChoice,
    ResponseReasoningConfig, ResponseReasoningEffort, ResponseServiceTier, ResponseTextConfig,
    ResponseTool, ResponseToolChoiceOption, ResponseTruncation, ResponseTypedInputItem,
    TextResponseFormatJsonSchema,
};
use serde_json::json;

/// Every kind of input item, each with its optional fields.
fn every_input_item() -> Vec<ResponseInputItem> {
    let typed = ResponseInputItem::TypedItem;
    vec![
        ResponseInputItem::EasyMessage(ResponseEasyInputMessage::new(
            ResponseEasyInputContent::Text("You are a weather assistant.".to_owned()),
            ResponseEasyInputRole::System,
        )),
        typed(ResponseTypedInputItem::Message(
            ResponseInputMessage::new(
                vec![ResponseInputContent::InputText(
                    ResponseInputTextContent::new("What's the weather like in Paris?"),
                )],
                ResponseInputRole::User,
            )
            .status(ResponseItemStatus::Completed),
        )),
        typed(ResponseTypedInputItem::FunctionCall(
            ResponseFunctionCall::builder()
                .call_id("call_01")
                .name("get_weather")
                .arguments(r#"{"location":"Paris"}"#)
                .id("fc_01")
                .status(ResponseItemStatus::Completed)
                .build()
                .expect("every required field is set"),
        )),
        typed(ResponseTypedInputItem::FunctionCallOutput(
            ResponseFunctionCallOutput::builder()
                .call_id("call_01")
                .output(r#"{"temperature_c":21}"#)
                .id("fco_01")
                .status(ResponseItemStatus::Completed)
                .build()
                .expect("every required field is set"),
        )),
        typed(ResponseTypedInputItem::ItemReference(
            ResponseItemReference::new("msg_01"),
        )),
    ]
}

/// Every field of `CreateResponseRequest` set, with values in range for the reference spec.
fn full_response() -> CreateResponseRequest {
    CreateResponseRequest::new(
        ResponseInput::Items(every_input_item()),
        ResponseModel::Llama3_3_70bVersatile,
    )
    .instructions("Answer in one sentence.")
    .max_output_tokens(256)
    .metadata(metadata())
    .parallel_tool_calls(true)
    .reasoning(ResponseReasoningConfig::default().effort(ResponseReasoningEffort::High))
    .service_tier(ResponseServiceTier::Flex)
    .store(false)
    .stream(false)
    .temperature(0.0)
    .text(
        ResponseTextConfig::default().format(ResponseFormatConfiguration::JsonSchema(
            TextResponseFormatJsonSchema::new(
                "weather",
                object(json!({
                    "type": "object",
                    "properties": {"temperature_c": {"type": "number"}},
                    "required": ["temperature_c"],
                })),
            )
            .description("The weather report")
            .strict(true),
        )),
    )
    .tool_choice(ResponseToolChoiceOption::Named(
        ResponseNamedToolChoice::new(NamedToolChoiceFunction::new("get_weather")),
    ))
    .tools(vec![ResponseTool::new("get_weather")
        .description("Current weather in a city")
        .parameters(weather_parameters())
        .strict(true)])
    .top_p(0.0)
    .truncation(ResponseTruncation::Auto)
    .user("user-1234")
}

pub(crate) fn response_request(variant: &str) -> CreateResponseRequest {
    match variant {
        "minimal" => CreateResponseRequest::new(
            ResponseInput::Text("Tell me a three sentence bedtime story.".to_owned()),
            MODEL,
        ),
        "full" => full_response(),
        other => unknown_variant(other),
    }
}

pub(crate) fn create_response(target: &Target, variant: &str) -> Vec<Outcome> {
    let request = response_request(variant);
    on_client!(target, |c| Outcome::json(
        wait!(c.responses().with_raw_response().create(&request)),
        &[]
    ))
}
