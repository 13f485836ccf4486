//! Typed answers: a completion's text parsed into a Rust type, a tool call's arguments parsed into its
//! argument type, and the errors that keep what the model wrote when it does not parse.

use crate::sdk::Error;
use crate::{Batch, BatchErrors, ChatCompletion, ChatCompletionMessageToolCall};
use serde::de::DeserializeOwned;
use std::fmt;

/// A failure of a client-side workflow step (parsing a structured answer, running tools), carried by
/// [`Error::Workflow`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum WorkflowError {
    /// What the model wrote (an answer, or a tool call's arguments) does not parse into the expected type.
    #[non_exhaustive]
    Unparsable {
        /// The Rust type it was parsed into.
        target: String,
        /// Why parsing failed (serde's message, with line and column).
        message: String,
        /// The whole text the model wrote.
        raw: String,
    },
    /// The completion has no text to parse: no choice, or a choice without content (tool calls only).
    #[non_exhaustive]
    NoContent {
        /// The `finish_reason` of the first choice, when there is one.
        finish_reason: Option<String>,
    },
    /// A tool call could not be answered (the tool failed, its arguments did not parse, or no tool has its
    /// name) and the tool runner was asked to abort rather than report the error to the model.
    #[non_exhaustive]
    Tool {
        /// The name of the tool the model called.
        name: String,
        /// The id of the tool call.
        call_id: String,
        /// What went wrong.
        message: String,
    },
    /// A batch ended without completing: `failed` (its input did not validate), `expired` (its window
    /// closed first) or `cancelled`. The lines that were run can still be read from its output file.
    #[non_exhaustive]
    BatchEnded {
        /// The batch's id.
        batch_id: String,
        /// Its final status.
        status: String,
        /// The batch's own error list (the problems found in its input file), one message per error.
        errors: Vec<String>,
        /// The file of the lines that succeeded, if any.
        output_file_id: Option<String>,
        /// The file of the lines that failed, if any.
        error_file_id: Option<String>,
    },
}

impl WorkflowError {
    /// A tool call the tool runner was asked to abort on: the tool's `name`, the call's id, what went wrong.
    pub fn tool(
        name: impl Into<String>,
        call_id: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::Tool {
            name: name.into(),
            call_id: call_id.into(),
            message: message.into(),
        }
    }

    /// A batch that ended without completing, with its status, its error list (`line 4: [code] message`
    /// per error) and its files.
    pub fn batch_ended(batch: Batch) -> Self {
        let list = match batch.errors.as_ref() {
            Some(BatchErrors::List(list)) => list.data.as_slice(),
            Some(BatchErrors::Items(items)) => items.as_slice(),
            _ => &[],
        };
        let errors = list
            .iter()
            .map(|error| {
                let mut text = error.message.clone().unwrap_or_default();
                if let Some(code) = &error.code {
                    text = format!("[{code}] {text}");
                }
                if let Some(line) = error.line {
                    text = format!("line {line}: {text}");
                }
                text
            })
            .collect();
        Self::BatchEnded {
            status: batch.status.to_string(),
            batch_id: batch.id,
            errors,
            output_file_id: batch.output_file_id,
            error_file_id: batch.error_file_id,
        }
    }
}

impl fmt::Display for WorkflowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unparsable {
                target,
                message,
                raw,
            } => {
                let shown: String = raw.chars().take(200).collect();
                let more = if shown.len() < raw.len() { "…" } else { "" };
                write!(
                    f,
                    "the model's output does not parse as {target}: {message} (output: {shown}{more})"
                )
            }
            Self::NoContent { finish_reason } => write!(
                f,
                "the completion has no content to parse (finish_reason: {})",
                finish_reason.as_deref().unwrap_or("none")
            ),
            Self::Tool {
                name,
                call_id,
                message,
            } => write!(f, "tool call {call_id} to `{name}` failed: {message}"),
            Self::BatchEnded {
                batch_id,
                status,
                errors,
                ..
            } => {
                write!(f, "batch {batch_id} ended {status}")?;
                if errors.is_empty() {
                    Ok(())
                } else {
                    write!(f, ": {}", errors.join("; "))
                }
            }
        }
    }
}

impl std::error::Error for WorkflowError {}

impl From<WorkflowError> for Error {
    fn from(error: WorkflowError) -> Self {
        Error::Workflow(Box::new(error))
    }
}

/// Parses `raw` as `T`, keeping `raw` in the error.
pub fn parse_output<T: DeserializeOwned>(raw: &str) -> Result<T, Error> {
    serde_json::from_str(raw.trim()).map_err(|err| {
        WorkflowError::Unparsable {
            target: std::any::type_name::<T>().to_owned(),
            message: err.to_string(),
            raw: raw.to_owned(),
        }
        .into()
    })
}

impl Error {
    /// The workflow failure, for an [`Error::Workflow`].
    pub fn workflow(&self) -> Option<&WorkflowError> {
        match self {
            Self::Workflow(error) => Some(error),
            _ => None,
        }
    }

    /// What the model wrote when it could not be used: the text that did not parse into the expected
    /// type ([`WorkflowError::Unparsable`]), or the `failed_generation` of a 400 (a tool call or JSON
    /// answer that failed the server's validation).
    ///
    /// ```
    /// use groq_types::ChatCompletion;
    ///
    /// #[derive(serde::Deserialize, Debug)]
    /// struct Rating {
    ///     stars: u8,
    /// }
    ///
    /// let completion: ChatCompletion = serde_json::from_value(serde_json::json!({
    ///     "id": "c", "object": "chat.completion", "created": 0, "model": "m",
    ///     "choices": [{"index": 0, "finish_reason": "stop", "logprobs": null,
    ///                  "message": {"role": "assistant", "content": "{\"stars\": \"five\"}"}}]
    /// }))
    /// .unwrap();
    /// let error = completion.parse::<Rating>().unwrap_err();
    /// assert_eq!(error.raw_output(), Some("{\"stars\": \"five\"}"));
    /// ```
    pub fn raw_output(&self) -> Option<&str> {
        match self.workflow() {
            Some(WorkflowError::Unparsable { raw, .. }) => Some(raw),
            _ => self.failed_generation(),
        }
    }

    /// The `failed_generation` of an API error, or of an error the server sent inside a stream: what the
    /// model produced when a tool call or a JSON answer failed the server's validation (a 400, or an
    /// error event once the stream had begun).
    pub fn failed_generation(&self) -> Option<&str> {
        match self {
            Error::Stream(error) => error.failed_generation.as_deref(),
            _ => self
                .api_error()
                .and_then(|api| api.failed_generation.as_deref()),
        }
    }
}

/// A completion and its answer parsed into `T`, as returned by `create_parsed`.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ParsedCompletion<T> {
    /// The completion as the server sent it.
    pub completion: ChatCompletion,
    /// The answer of its first choice, parsed.
    pub parsed: T,
}

impl<T> ParsedCompletion<T> {
    /// A completion and its answer, parsed.
    pub fn new(completion: ChatCompletion, parsed: T) -> Self {
        Self { completion, parsed }
    }
}

impl ChatCompletion {
    /// Parses the text of the first choice as `T` (a JSON answer: JSON mode or structured outputs).
    /// A choice without text is a [`WorkflowError::NoContent`]; text that does not parse, a
    /// [`WorkflowError::Unparsable`] that keeps it (see [`Error::raw_output`]).
    ///
    /// ```
    /// use groq_types::ChatCompletion;
    ///
    /// #[derive(serde::Deserialize)]
    /// struct Rating {
    ///     stars: u8,
    /// }
    ///
    /// let completion: ChatCompletion = serde_json::from_value(serde_json::json!({
    ///     "id": "c", "object": "chat.completion", "created": 0, "model": "m",
    ///     "choices": [{"index": 0, "finish_reason": "stop", "logprobs": null,
    ///                  "message": {"role": "assistant", "content": "{\"stars\": 4}"}}]
    /// }))
    /// .unwrap();
    /// assert_eq!(completion.parse::<Rating>().unwrap().stars, 4);
    /// ```
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, Error> {
        match self.content() {
            Some(text) => parse_output(text),
            None => Err(WorkflowError::NoContent {
                finish_reason: self
                    .choices
                    .first()
                    .map(|choice| choice.finish_reason.as_str().to_owned()),
            }
            .into()),
        }
    }

    /// The tool calls of the first choice (none when the model answered with text).
    pub fn tool_calls(&self) -> &[ChatCompletionMessageToolCall] {
        self.choices
            .first()
            .and_then(|choice| choice.message.tool_calls.as_ref())
            .map(|calls| calls.as_slice())
            .unwrap_or_default()
    }
}

impl ChatCompletionMessageToolCall {
    /// The name of the function called.
    pub fn name(&self) -> &str {
        &self.function.name
    }

    /// The call's arguments (a JSON text written by the model) parsed as `A`. Arguments that do not parse
    /// are a [`WorkflowError::Unparsable`] that keeps them.
    ///
    /// ```
    /// use groq_types::ChatCompletionMessageToolCall;
    ///
    /// #[derive(serde::Deserialize)]
    /// struct Weather {
    ///     location: String,
    /// }
    ///
    /// let call: ChatCompletionMessageToolCall = serde_json::from_value(serde_json::json!({
    ///     "id": "call_1", "type": "function",
    ///     "function": {"name": "get_weather", "arguments": "{\"location\": \"Paris\"}"}
    /// }))
    /// .unwrap();
    /// assert_eq!(call.arguments::<Weather>().unwrap().location, "Paris");
    /// ```
    pub fn arguments<A: DeserializeOwned>(&self) -> Result<A, Error> {
        let raw = self.function.arguments.trim();
        // Some models send no arguments at all for a function without parameters.
        parse_output(if raw.is_empty() { "{}" } else { raw })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn completion(message: serde_json::Value) -> ChatCompletion {
        serde_json::from_value(json!({
            "id": "c", "object": "chat.completion", "created": 0, "model": "m",
            "choices": [{"index": 0, "finish_reason": "tool_calls", "logprobs": null, "message": message}]
        }))
        .unwrap()
    }

    #[derive(serde::Deserialize, Debug)]
    struct Point {
        #[allow(dead_code)]
        x: i32,
    }

    #[test]
    fn no_content_and_bad_content_are_typed() {
        let tools_only = completion(json!({"role": "assistant", "content": null, "tool_calls": [
            {"id": "a", "type": "function", "function": {"name": "f", "arguments": "{\"x\": 1}"}}
        ]}));
        let error = tools_only.parse::<Point>().unwrap_err();
        assert_eq!(
            error.workflow(),
            Some(&WorkflowError::NoContent {
                finish_reason: Some("tool_calls".into())
            })
        );
        assert_eq!(tools_only.tool_calls().len(), 1);
        assert_eq!(
            tools_only.tool_calls()[0].arguments::<Point>().unwrap().x,
            1
        );
        let bad = completion(json!({"role": "assistant", "content": "not json"}));
        let error = bad.parse::<Point>().unwrap_err();
        assert_eq!(error.raw_output(), Some("not json"));
        assert!(error.to_string().contains("Point"), "{error}");
    }
}
