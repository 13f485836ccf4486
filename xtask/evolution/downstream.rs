//! A fixed downstream crate, written the way users write code against `groq-types`: building requests with
//! constructors, setters and builders, reading responses, matching enums and unions. `cargo xtask
//! evolution` compiles it against the types generated from `openapi/groq.yaml` and against types generated
//! from a grown copy of it (a new optional field on requests and responses, a new enum value, a new model
//! id, a new member of a tagged union). It must compile against both: growing the API is not a breaking
//! change.

use groq_types::{
    ChatCompletion, ChatCompletionRequestMessage as Message, ChatModel, CreateBatchRequest,
    CreateChatCompletionRequest, CreateSpeechRequest, FinishReason, MissingField, SearchSettings,
    ServiceTier,
};

pub fn request() -> CreateChatCompletionRequest {
    CreateChatCompletionRequest::from_messages(
        ChatModel::Llama3_3_70bVersatile,
        [Message::system("Be brief."), Message::user("Hi")],
    )
    .temperature(0.5)
    .max_completion_tokens(100)
    .service_tier(ServiceTier::Flex)
    .search_settings(SearchSettings::default().country("france"))
}

pub fn other_requests() -> Result<(CreateBatchRequest, CreateSpeechRequest), MissingField> {
    let batch = CreateBatchRequest::builder()
        .input_file_id("file_1")
        .endpoint("/v1/chat/completions")
        .completion_window("24h")
        .build()?;
    let speech = CreateSpeechRequest::builder()
        .model("playai-tts")
        .voice("Fritz-PlayAI")
        .input("Hello")
        .build()?;
    Ok((batch, speech))
}

pub fn describe(completion: &ChatCompletion) -> String {
    let mut out = format!("{} by {}", completion.id, completion.model);
    for choice in &completion.choices {
        let why = match &choice.finish_reason {
            FinishReason::Stop => "stop",
            FinishReason::Length => "length",
            FinishReason::ToolCalls => "tool calls",
            FinishReason::Unknown(other) => other.as_str(),
            _ => "something newer",
        };
        out.push_str(why);
        if let Some(content) = &choice.message.content {
            out.push_str(content);
        }
    }
    if let Some(usage) = &completion.usage {
        out.push_str(&usage.total_tokens.to_string());
    }
    out
}

pub fn is_llama(model: &ChatModel) -> bool {
    match model {
        ChatModel::Llama3_3_70bVersatile | ChatModel::Llama3_1_8bInstant => true,
        ChatModel::Unknown(id) => id.starts_with("llama"),
        _ => false,
    }
}

pub fn user_text(message: &Message) -> Option<String> {
    match message {
        Message::User(user) => serde_json::to_string(&user.content).ok(),
        _ => None,
    }
}
