//! The pure parts of a tool-calling loop: what a tool call's result looks like when sent back to the
//! model (including the `"is_error": true` result of a failed call), how a run ended, and token usage
//! summed over its rounds. The loop itself is `run_tools` on the chat completions of both clients.

use crate::sdk::Error;
use crate::{ChatCompletion, ChatCompletionRequestMessage, CompletionUsage};
use serde::Serialize;
use serde_json::Value;

/// The answer to one tool call, as sent back to the model in a `tool` message.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ToolCallResult {
    /// The id of the tool call answered.
    pub call_id: String,
    /// The name of the tool the model called.
    pub name: String,
    /// The content of the tool message: the tool's result (a string as is, any other value as JSON), or
    /// for a failure `{"is_error": true, "error": "…"}`.
    pub content: String,
    /// Whether the call failed: the tool returned an error, its arguments did not parse, or no tool has its
    /// name.
    pub is_error: bool,
}

impl ToolCallResult {
    /// A successful call's result whose content is already the text to send back.
    pub fn new(
        call_id: impl Into<String>,
        name: impl Into<String>,
        content: impl Into<String>,
    ) -> Self {
        Self {
            call_id: call_id.into(),
            name: name.into(),
            content: content.into(),
            is_error: false,
        }
    }

    /// A successful call's result: a string value is sent as is, any other value as JSON text.
    ///
    /// ```
    /// use groq_types::ergonomics::tool_runs::ToolCallResult;
    ///
    /// let text = ToolCallResult::success("call_1", "get_temperature", &"22°C").unwrap();
    /// assert_eq!(text.content, "22°C");
    /// let json = ToolCallResult::success("call_2", "lookup", &serde_json::json!({"ok": true})).unwrap();
    /// assert_eq!(json.content, r#"{"ok":true}"#);
    /// ```
    pub fn success<R: Serialize + ?Sized>(
        call_id: impl Into<String>,
        name: impl Into<String>,
        result: &R,
    ) -> Result<Self, Error> {
        let content = match serde_json::to_value(result) {
            Ok(Value::String(text)) => text,
            Ok(value) => value.to_string(),
            Err(err) => {
                return Err(Error::InvalidRequest(format!(
                    "the tool result cannot be serialised: {err}"
                )))
            }
        };
        Ok(Self {
            call_id: call_id.into(),
            name: name.into(),
            content,
            is_error: false,
        })
    }

    /// A failed call, reported to the model as `{"is_error": true, "error": message}` so that it can
    /// recover (the tool-use docs recommend `"is_error": true`).
    ///
    /// ```
    /// use groq_types::ergonomics::tool_runs::ToolCallResult;
    ///
    /// let failed = ToolCallResult::failure("call_1", "divide", "division by zero");
    /// assert!(failed.is_error);
    /// assert_eq!(failed.content, r#"{"error":"division by zero","is_error":true}"#);
    /// ```
    pub fn failure(
        call_id: impl Into<String>,
        name: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        let content = serde_json::json!({"is_error": true, "error": message.into()}).to_string();
        Self {
            call_id: call_id.into(),
            name: name.into(),
            content,
            is_error: true,
        }
    }

    /// The `tool` message that answers the call.
    pub fn to_message(&self) -> ChatCompletionRequestMessage {
        ChatCompletionRequestMessage::tool(self.call_id.clone(), self.content.clone())
    }
}

/// Why a tool run stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ToolRunEnd {
    /// The model answered without calling tools: the final completion is its answer.
    Answered,
    /// The round limit was reached while the model still called tools: the final completion holds the
    /// calls that were not run (they are not in the transcript).
    RoundLimit,
}

/// One round of a tool run, as shown to the observer: the completion received and the results of the
/// tool calls it asked for (empty in the last round).
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct ToolRound<'a> {
    /// The round's number, from 1.
    pub number: usize,
    /// The completion received in this round.
    pub completion: &'a ChatCompletion,
    /// The results sent back, in the order of the calls.
    pub results: &'a [ToolCallResult],
}

impl<'a> ToolRound<'a> {
    /// Round `number` (from 1): the `completion` received and the `results` sent back.
    pub fn new(
        number: usize,
        completion: &'a ChatCompletion,
        results: &'a [ToolCallResult],
    ) -> Self {
        Self {
            number,
            completion,
            results,
        }
    }
}

/// Adds `more` to `total`: token counts and times summed, the details summed when present on either side
/// (kept as they are when present on one side only, added field by field when present on both). Token
/// counts saturate instead of overflowing.
///
/// ```
/// use groq_types::ergonomics::tool_runs::add_usage;
/// use groq_types::{CompletionTokensDetails, CompletionUsage, PromptTokensDetails};
///
/// let usage = |prompt, completion| {
///     CompletionUsage::builder()
///         .prompt_tokens(prompt)
///         .completion_tokens(completion)
///         .total_tokens(prompt + completion)
///         .build()
/// };
/// let mut total = CompletionUsage::default();
/// add_usage(&mut total, &usage(10, 5)?.prompt_tokens_details(PromptTokensDetails::new(4)));
/// add_usage(
///     &mut total,
///     &usage(2, 1)?
///         .total_time(0.5)
///         .prompt_tokens_details(PromptTokensDetails::new(2))
///         .completion_tokens_details(CompletionTokensDetails::new(1)),
/// );
/// assert_eq!((total.prompt_tokens, total.completion_tokens, total.total_tokens), (12, 6, 18));
/// assert_eq!(total.total_time, Some(0.5));
/// assert_eq!(total.prompt_tokens_details, Some(PromptTokensDetails::new(6)));
/// assert_eq!(total.completion_tokens_details, Some(CompletionTokensDetails::new(1)));
/// # Ok::<(), groq_types::MissingField>(())
/// ```
pub fn add_usage(total: &mut CompletionUsage, more: &CompletionUsage) {
    fn time(total: &mut Option<f64>, more: Option<f64>) {
        if let Some(more) = more {
            *total = Some(total.unwrap_or(0.0) + more);
        }
    }
    /// `more` added to `total` by `add` when both are present, else whichever is.
    fn details<T: Clone>(total: &mut Option<T>, more: Option<&T>, add: impl FnOnce(&mut T, &T)) {
        match (total.as_mut(), more) {
            (Some(total), Some(more)) => add(total, more),
            (None, Some(more)) => *total = Some(more.clone()),
            (_, None) => {}
        }
    }
    total.prompt_tokens = total.prompt_tokens.saturating_add(more.prompt_tokens);
    total.completion_tokens = total
        .completion_tokens
        .saturating_add(more.completion_tokens);
    total.total_tokens = total.total_tokens.saturating_add(more.total_tokens);
    details(
        &mut total.prompt_tokens_details,
        more.prompt_tokens_details.as_ref(),
        |total, more| total.cached_tokens = total.cached_tokens.saturating_add(more.cached_tokens),
    );
    details(
        &mut total.completion_tokens_details,
        more.completion_tokens_details.as_ref(),
        |total, more| {
            total.reasoning_tokens = total.reasoning_tokens.saturating_add(more.reasoning_tokens)
        },
    );
    time(&mut total.queue_time, more.queue_time);
    time(&mut total.prompt_time, more.prompt_time);
    time(&mut total.completion_time, more.completion_time);
    time(&mut total.total_time, more.total_time);
}

/// No tokens and no times: the starting point of a sum with [`add_usage`].
impl Default for CompletionUsage {
    fn default() -> Self {
        Self {
            completion_time: None,
            completion_tokens: 0,
            completion_tokens_details: None,
            prompt_time: None,
            prompt_tokens: 0,
            prompt_tokens_details: None,
            queue_time: None,
            total_time: None,
            total_tokens: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::add_usage;
    use crate::{CompletionTokensDetails, CompletionUsage, PromptTokensDetails};

    fn usage(
        prompt: i64,
        completion: i64,
        cached: Option<i64>,
        reasoning: Option<i64>,
    ) -> CompletionUsage {
        CompletionUsage {
            prompt_tokens: prompt,
            completion_tokens: completion,
            total_tokens: prompt.saturating_add(completion),
            prompt_tokens_details: cached.map(PromptTokensDetails::new),
            completion_tokens_details: reasoning.map(CompletionTokensDetails::new),
            ..CompletionUsage::default()
        }
    }

    fn details(total: &CompletionUsage) -> (Option<i64>, Option<i64>) {
        (
            total
                .prompt_tokens_details
                .as_ref()
                .map(|d| d.cached_tokens),
            total
                .completion_tokens_details
                .as_ref()
                .map(|d| d.reasoning_tokens),
        )
    }

    #[test]
    fn details_present_on_one_side_are_kept() {
        let mut total = CompletionUsage::default();
        add_usage(&mut total, &usage(10, 5, Some(3), None));
        assert_eq!(details(&total), (Some(3), None));
        add_usage(&mut total, &usage(10, 5, None, Some(7)));
        assert_eq!(details(&total), (Some(3), Some(7)));
        add_usage(&mut total, &usage(1, 1, None, None));
        assert_eq!(details(&total), (Some(3), Some(7)));
        assert_eq!(
            (
                total.prompt_tokens,
                total.completion_tokens,
                total.total_tokens
            ),
            (21, 11, 32)
        );
    }

    #[test]
    fn details_present_on_both_sides_are_added_field_by_field() {
        let mut total = usage(10, 5, Some(4), Some(2));
        add_usage(&mut total, &usage(20, 8, Some(6), Some(3)));
        assert_eq!(details(&total), (Some(10), Some(5)));
    }

    #[test]
    fn counts_saturate_instead_of_overflowing() {
        let mut total = usage(i64::MAX, 1, Some(i64::MAX), Some(i64::MAX - 1));
        add_usage(&mut total, &usage(5, 1, Some(5), Some(5)));
        assert_eq!(total.prompt_tokens, i64::MAX);
        assert_eq!(total.total_tokens, i64::MAX);
        assert_eq!(details(&total), (Some(i64::MAX), Some(i64::MAX)));
    }
}
