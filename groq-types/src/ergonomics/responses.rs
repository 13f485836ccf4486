//! The Responses API: a request's input from text, and the text of an answer.

use crate::{CreateResponseResponse, ResponseInput, ResponseOutputContent, ResponseOutputItem};

/// A text input, which the API reads as one message of the `user` role.
impl From<&str> for ResponseInput {
    fn from(text: &str) -> Self {
        Self::Text(text.to_owned())
    }
}

/// A text input, which the API reads as one message of the `user` role.
impl From<String> for ResponseInput {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

impl CreateResponseResponse {
    /// The text of the answer: every `output_text` part of its messages, in order, joined (what the Python
    /// library's `response.output_text` gives). Empty when the answer has no text, only tool calls.
    ///
    /// ```
    /// use groq_types::CreateResponseResponse;
    ///
    /// let response: CreateResponseResponse = serde_json::from_value(serde_json::json!({
    ///     "id": "resp_1", "object": "response", "status": "completed", "created_at": 1,
    ///     "model": "openai/gpt-oss-20b", "parallel_tool_calls": true, "service_tier": "on_demand",
    ///     "store": false, "temperature": 1.0, "tools": [], "top_p": 1.0, "truncation": "disabled",
    ///     "output": [
    ///         {"type": "reasoning", "id": "rs_1", "summary": []},
    ///         {"type": "message", "id": "msg_1", "role": "assistant", "status": "completed",
    ///          "content": [{"type": "output_text", "text": "Once upon", "annotations": []},
    ///                      {"type": "output_text", "text": " a time.", "annotations": []}]}
    ///     ]
    /// }))
    /// .unwrap();
    /// assert_eq!(response.output_text(), "Once upon a time.");
    /// ```
    pub fn output_text(&self) -> String {
        let mut text = String::new();
        for item in &self.output {
            if let ResponseOutputItem::Message(message) = item {
                for part in &message.content {
                    if let ResponseOutputContent::OutputText(part) = part {
                        text.push_str(&part.text);
                    }
                }
            }
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use crate::CreateResponseRequest;

    /// A text is the request's whole input, sent as a string.
    #[test]
    fn a_request_takes_its_input_as_text() {
        let request = CreateResponseRequest::new("Tell me a story", "openai/gpt-oss-20b");
        let json = serde_json::to_value(&request).unwrap();
        assert_eq!(json["input"], "Tell me a story");
        assert_eq!(json["model"], "openai/gpt-oss-20b");
        let owned = CreateResponseRequest::new(String::from("again"), "openai/gpt-oss-20b");
        assert_eq!(serde_json::to_value(&owned).unwrap()["input"], "again");
    }
}
