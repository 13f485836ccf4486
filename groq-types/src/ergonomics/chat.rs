//! Chat requests and messages: a request from a model and messages, message constructors for every role,
//! multimodal user content, stop sequences, and reading a completion.

use crate::sdk::events::StreamItem;
use crate::{
    AssistantMessageContent, ChatCompletion, ChatCompletionChunk,
    ChatCompletionRequestAssistantMessage, ChatCompletionRequestMessage,
    ChatCompletionRequestMessageContentPart, ChatCompletionRequestMessageContentPartImage,
    ChatCompletionRequestMessageContentPartText, ChatCompletionRequestSystemMessage,
    ChatCompletionRequestSystemMessageRole, ChatCompletionRequestToolMessage,
    ChatCompletionRequestUserMessage, ChatCompletionResponseMessage, ChatModel, CompletionUsage,
    CreateChatCompletionRequest, FunctionCall, ImageDetail, ImageUrl, StopSequences,
    SystemMessageContent, ToolMessageContent, UserMessageContent,
};
use base64::Engine as _;

impl CreateChatCompletionRequest {
    /// A request for `model` with `messages`; every other parameter unset (the server's defaults apply).
    ///
    /// ```
    /// use groq_types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};
    ///
    /// let request = CreateChatCompletionRequest::from_messages(
    ///     "llama-3.3-70b-versatile",
    ///     [
    ///         Message::system("You are a helpful assistant."),
    ///         Message::user("Explain the importance of fast language models"),
    ///     ],
    /// )
    /// .temperature(0.5)
    /// .max_completion_tokens(1024)
    /// .stop(["END", "STOP"]);
    /// assert_eq!(
    ///     serde_json::to_value(&request).unwrap()["messages"][1]["role"],
    ///     "user"
    /// );
    /// ```
    pub fn from_messages<M>(
        model: impl Into<ChatModel>,
        messages: impl IntoIterator<Item = M>,
    ) -> Self
    where
        M: Into<ChatCompletionRequestMessage>,
    {
        Self::new(
            messages.into_iter().map(Into::into).collect::<Vec<_>>(),
            model,
        )
    }
}

impl ChatCompletionRequestMessage {
    /// A system message.
    pub fn system(content: impl Into<SystemMessageContent>) -> Self {
        Self::System(ChatCompletionRequestSystemMessage::new(
            content,
            ChatCompletionRequestSystemMessageRole::System,
        ))
    }

    /// A developer message (a system message under the name newer models use).
    pub fn developer(content: impl Into<SystemMessageContent>) -> Self {
        Self::System(ChatCompletionRequestSystemMessage::new(
            content,
            ChatCompletionRequestSystemMessageRole::Developer,
        ))
    }

    /// A user message: text, or parts mixing text and images.
    ///
    /// ```
    /// use groq_types::{ChatCompletionRequestMessage as Message, ChatCompletionRequestMessageContentPart as Part};
    ///
    /// let text = Message::user("What's in this image?");
    /// let vision = Message::user(vec![
    ///     Part::text("What's in this image?"),
    ///     Part::image_url("https://example.com/cat.png"),
    ///     Part::image_base64("image/jpeg", b"\xff\xd8\xff"),
    /// ]);
    /// let json = serde_json::to_value(&vision).unwrap();
    /// assert_eq!(json["content"][1]["type"], "image_url");
    /// assert!(json["content"][2]["image_url"]["url"].as_str().unwrap().starts_with("data:image/jpeg;base64,"));
    /// # let _ = text;
    /// ```
    pub fn user(content: impl Into<UserMessageContent>) -> Self {
        Self::User(ChatCompletionRequestUserMessage::new(content))
    }

    /// An assistant message with text: a previous answer, or the start of the answer to prefill.
    pub fn assistant(content: impl Into<AssistantMessageContent>) -> Self {
        Self::Assistant(ChatCompletionRequestAssistantMessage::default().content(content))
    }

    /// A tool message: the result of the tool call `tool_call_id`.
    pub fn tool(tool_call_id: impl Into<String>, content: impl Into<ToolMessageContent>) -> Self {
        Self::Tool(ChatCompletionRequestToolMessage::new(content, tool_call_id))
    }
}

impl From<ChatCompletionResponseMessage> for ChatCompletionRequestMessage {
    /// The assistant's answer as a message to send back (with its tool calls), to continue the conversation.
    fn from(message: ChatCompletionResponseMessage) -> Self {
        let assistant = ChatCompletionRequestAssistantMessage {
            content: message.content.map(AssistantMessageContent::Text),
            tool_calls: message.tool_calls,
            reasoning: message.reasoning,
            function_call: message
                .function_call
                .map(|FunctionCall { arguments, name }| {
                    crate::AssistantFunctionCall::default()
                        .arguments(arguments)
                        .name(name)
                }),
            ..Default::default()
        };
        Self::Assistant(assistant)
    }
}

impl ChatCompletionRequestMessageContentPart {
    /// A text part.
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text(ChatCompletionRequestMessageContentPartText::new(text))
    }

    /// An image given by URL (`https://…`, or a `data:` URL).
    pub fn image_url(url: impl Into<String>) -> Self {
        Self::ImageUrl(ChatCompletionRequestMessageContentPartImage::new(
            ImageUrl::new(url),
        ))
    }

    /// An image given by URL with the detail level the model should look at it with.
    pub fn image_url_with_detail(url: impl Into<String>, detail: ImageDetail) -> Self {
        Self::ImageUrl(ChatCompletionRequestMessageContentPartImage::new(
            ImageUrl::new(url).detail(detail),
        ))
    }

    /// An image sent inline, as a base64 `data:` URL of `mime_type` (`image/png`, `image/jpeg`…).
    pub fn image_base64(mime_type: &str, bytes: impl AsRef<[u8]>) -> Self {
        let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
        Self::image_url(format!("data:{mime_type};base64,{encoded}"))
    }
}

macro_rules! text_content {
    ($($content:ty),* $(,)?) => {$(
        impl From<&str> for $content {
            fn from(text: &str) -> Self {
                Self::Text(text.to_owned())
            }
        }
        impl From<String> for $content {
            fn from(text: String) -> Self {
                Self::Text(text)
            }
        }
        impl From<&String> for $content {
            fn from(text: &String) -> Self {
                Self::Text(text.clone())
            }
        }
    )*};
}

text_content! {
    SystemMessageContent,
    UserMessageContent,
    AssistantMessageContent,
    ToolMessageContent,
}

impl From<&str> for StopSequences {
    fn from(stop: &str) -> Self {
        Self::Single(stop.to_owned())
    }
}

impl From<String> for StopSequences {
    fn from(stop: String) -> Self {
        Self::Single(stop)
    }
}

impl From<Vec<&str>> for StopSequences {
    fn from(stops: Vec<&str>) -> Self {
        Self::Multiple(stops.into_iter().map(str::to_owned).collect())
    }
}

impl<const N: usize> From<[&str; N]> for StopSequences {
    fn from(stops: [&str; N]) -> Self {
        Self::Multiple(stops.iter().map(|s| (*s).to_owned()).collect())
    }
}

impl ChatCompletion {
    /// The text of the first choice, the usual way to read a one-answer completion.
    pub fn content(&self) -> Option<&str> {
        self.choices
            .first()
            .and_then(|choice| choice.message.content.as_deref())
    }
}

impl ChatCompletionChunk {
    /// The text this chunk adds to the first choice.
    pub fn delta_content(&self) -> Option<&str> {
        self.choices
            .first()
            .and_then(|choice| choice.delta.content.as_deref())
    }

    /// The token usage of the whole stream, which the last chunk carries: Groq sends it in `x_groq.usage`,
    /// and an OpenAI-style top-level `usage` is read first when there is one. `None` on every other chunk.
    ///
    /// ```
    /// use groq_types::ChatCompletionChunk;
    ///
    /// let last: ChatCompletionChunk = serde_json::from_str(r#"{
    ///     "id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "m",
    ///     "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
    ///     "x_groq": {"id": "req_1", "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}}
    /// }"#).unwrap();
    /// assert_eq!(last.stream_usage().map(|u| u.total_tokens), Some(5));
    /// ```
    pub fn stream_usage(&self) -> Option<&CompletionUsage> {
        self.usage.as_deref().or_else(|| {
            self.x_groq
                .as_ref()
                .and_then(|x_groq| x_groq.usage.as_ref())
        })
    }
}

impl StreamItem for ChatCompletionChunk {
    /// Groq reports a failure in the middle of a stream as `x_groq.error` on a chunk.
    fn stream_error(&self) -> Option<&str> {
        self.x_groq.as_ref().and_then(|x| x.error.as_deref())
    }
}
