//! Assembles the chunks of a streamed chat completion into the [`ChatCompletion`] the same request would
//! have returned without streaming: content, reasoning and tool calls joined from their deltas, usage from
//! the final chunk's `x_groq`.
//!
//! ```
//! use groq_types::accumulate::ChatCompletionAccumulator;
//! use groq_types::ChatCompletionChunk;
//!
//! let chunks: Vec<ChatCompletionChunk> = [
//!     r#"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"},"finish_reason":null}],"x_groq":{"id":"req_1"}}"#,
//!     r#"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}],"x_groq":{"id":"req_1","usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}}"#,
//! ]
//! .iter()
//! .map(|text| serde_json::from_str(text).unwrap())
//! .collect();
//!
//! let mut accumulator = ChatCompletionAccumulator::new();
//! for chunk in &chunks {
//!     accumulator.add(chunk);
//! }
//! let completion = accumulator.finish();
//! assert_eq!(completion.choices[0].message.content.as_deref(), Some("Hello"));
//! assert_eq!(completion.usage.map(|u| u.total_tokens), Some(5));
//! ```

use crate::{
    Annotation, ChatCompletion, ChatCompletionChoice, ChatCompletionChoiceLogprobs,
    ChatCompletionChunk, ChatCompletionMessageExecutedTools, ChatCompletionMessageToolCall,
    ChatCompletionMessageToolCalls, ChatCompletionResponseMessage, ChatCompletionTokenLogprob,
    ChatCompletionUsageBreakdown, CompletionUsage, DebugData, ExecutedTool, FinishReason,
    FunctionCall, FunctionToolType, ServiceTier, ToolCallFunction, XGroqNonStreaming,
};

/// Collects chunks of one streamed completion; [`finish`](Self::finish) gives the completion.
#[derive(Debug, Default, Clone)]
pub struct ChatCompletionAccumulator {
    id: String,
    created: i64,
    model: String,
    system_fingerprint: Option<String>,
    service_tier: Option<ServiceTier>,
    request_id: Option<String>,
    seed: Option<i64>,
    debug: Option<DebugData>,
    usage: Option<CompletionUsage>,
    usage_breakdown: Option<ChatCompletionUsageBreakdown>,
    choices: Vec<ChoiceState>,
}

#[derive(Debug, Default, Clone)]
struct ChoiceState {
    index: i64,
    content: Option<String>,
    reasoning: Option<String>,
    finish_reason: Option<FinishReason>,
    tool_calls: Vec<ToolCallState>,
    executed_tools: Vec<ExecutedTool>,
    annotations: Vec<Annotation>,
    logprobs: Option<Vec<ChatCompletionTokenLogprob>>,
    function_call: Option<(String, String)>,
}

#[derive(Debug, Default, Clone)]
struct ToolCallState {
    index: i64,
    id: String,
    kind: Option<FunctionToolType>,
    name: String,
    arguments: String,
}

fn append(target: &mut Option<String>, piece: Option<&str>) {
    if let Some(piece) = piece {
        target.get_or_insert_with(String::new).push_str(piece);
    }
}

impl ChatCompletionAccumulator {
    /// An empty accumulator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the next chunk.
    pub fn add(&mut self, chunk: &ChatCompletionChunk) {
        if self.id.is_empty() {
            self.id.clone_from(&chunk.id);
            self.created = chunk.created;
            self.model.clone_from(&chunk.model);
        }
        if chunk.system_fingerprint.is_some() {
            self.system_fingerprint
                .clone_from(&chunk.system_fingerprint);
        }
        if chunk.usage.is_some() {
            self.usage = chunk.usage.as_deref().cloned();
        }
        if let Some(x_groq) = &chunk.x_groq {
            if x_groq.id.is_some() {
                self.request_id.clone_from(&x_groq.id);
            }
            if x_groq.seed.is_some() {
                self.seed = x_groq.seed;
            }
            if x_groq.debug.is_some() {
                self.debug.clone_from(&x_groq.debug);
            }
            if x_groq.usage.is_some() {
                self.usage.clone_from(&x_groq.usage);
            }
            if x_groq.usage_breakdown.is_some() {
                self.usage_breakdown.clone_from(&x_groq.usage_breakdown);
            }
        }
        for choice in &chunk.choices {
            let state = self.choice(choice.index);
            let delta = &choice.delta;
            append(&mut state.content, delta.content.as_deref());
            append(&mut state.reasoning, delta.reasoning.as_deref());
            if choice.finish_reason.is_some() {
                state.finish_reason.clone_from(&choice.finish_reason);
            }
            for call in &delta.tool_calls {
                let entry = match state
                    .tool_calls
                    .iter_mut()
                    .position(|c| c.index == call.index)
                {
                    Some(at) => &mut state.tool_calls[at],
                    None => {
                        state.tool_calls.push(ToolCallState {
                            index: call.index,
                            ..ToolCallState::default()
                        });
                        let last = state.tool_calls.len() - 1;
                        &mut state.tool_calls[last]
                    }
                };
                // The id and the name come whole, in the call's first delta; some servers repeat them in
                // every delta, which must not double them.
                if let Some(id) = &call.id {
                    append_unless_repeated(&mut entry.id, id);
                }
                if call.type_.is_some() {
                    entry.kind.clone_from(&call.type_);
                }
                if let Some(function) = &call.function {
                    append_unless_repeated(
                        &mut entry.name,
                        function.name.as_deref().unwrap_or_default(),
                    );
                    entry
                        .arguments
                        .push_str(function.arguments.as_deref().unwrap_or_default());
                }
            }
            if let Some(tools) = &delta.executed_tools {
                for tool in tools.iter() {
                    match state
                        .executed_tools
                        .iter_mut()
                        .find(|t| t.index == tool.index)
                    {
                        Some(existing) => *existing = tool.clone(),
                        None => state.executed_tools.push(tool.clone()),
                    }
                }
            }
            state.annotations.extend(delta.annotations.iter().cloned());
            if let Some(content) = choice.logprobs.as_ref().and_then(|l| l.content.as_ref()) {
                state
                    .logprobs
                    .get_or_insert_with(Vec::new)
                    .extend(content.iter().cloned());
            }
            if let Some(call) = &delta.function_call {
                let (name, arguments) = state.function_call.get_or_insert_with(Default::default);
                name.push_str(call.name.as_deref().unwrap_or_default());
                arguments.push_str(call.arguments.as_deref().unwrap_or_default());
            }
        }
    }

    fn choice(&mut self, index: i64) -> &mut ChoiceState {
        match self.choices.iter().position(|c| c.index == index) {
            Some(at) => &mut self.choices[at],
            None => {
                self.choices.push(ChoiceState {
                    index,
                    ..ChoiceState::default()
                });
                let last = self.choices.len() - 1;
                &mut self.choices[last]
            }
        }
    }

    /// The completion assembled from every chunk added. A choice that never received a `finish_reason`
    /// gets `FinishReason::Unknown("")`.
    pub fn finish(self) -> ChatCompletion {
        let mut choices: Vec<ChatCompletionChoice> =
            self.choices.into_iter().map(ChoiceState::finish).collect();
        choices.sort_by_key(|c| c.index);
        // Built field by field (not a struct literal) so that a field the spec adds later does not break
        // this crate's own build.
        let mut completion = built(
            ChatCompletion::builder()
                .choices(choices)
                .created(self.created)
                .id(self.id)
                .model(self.model)
                .build(),
        );
        completion.service_tier = self.service_tier;
        completion.system_fingerprint = self.system_fingerprint;
        completion.usage = self.usage;
        completion.usage_breakdown = self.usage_breakdown;
        if let Some(id) = self.request_id {
            let mut x_groq = XGroqNonStreaming::new(id);
            x_groq.seed = self.seed;
            x_groq.debug = self.debug;
            completion.x_groq = Some(x_groq);
        }
        completion
    }
}

impl ChoiceState {
    fn finish(mut self) -> ChatCompletionChoice {
        // In the order of their indexes, as a completion lists them, whatever order their deltas came in.
        self.tool_calls.sort_by_key(|call| call.index);
        self.executed_tools.sort_by_key(|tool| tool.index);
        let mut message = ChatCompletionResponseMessage {
            content: self.content,
            reasoning: self.reasoning,
            annotations: self.annotations,
            ..Default::default()
        };
        if !self.tool_calls.is_empty() {
            let calls: Vec<ChatCompletionMessageToolCall> = self
                .tool_calls
                .into_iter()
                .map(|call| {
                    let function = built(
                        ToolCallFunction::builder()
                            .name(call.name)
                            .arguments(call.arguments)
                            .build(),
                    );
                    ChatCompletionMessageToolCall::new(function, call.id)
                        .type_(call.kind.unwrap_or(FunctionToolType::Function))
                })
                .collect();
            message.tool_calls = Some(ChatCompletionMessageToolCalls(calls));
        }
        if !self.executed_tools.is_empty() {
            message.executed_tools = Some(ChatCompletionMessageExecutedTools(self.executed_tools));
        }
        if let Some((name, arguments)) = self.function_call {
            message.function_call = Some(built(
                FunctionCall::builder()
                    .name(name)
                    .arguments(arguments)
                    .build(),
            ));
        }
        let finish_reason = self
            .finish_reason
            .unwrap_or_else(|| FinishReason::Unknown(String::new()));
        let mut choice = ChatCompletionChoice::new(finish_reason, self.index, message);
        choice.logprobs = self
            .logprobs
            .map(|content| ChatCompletionChoiceLogprobs::default().content(content));
        choice
    }
}

/// The value of a builder whose required fields were all set just before: `build()` cannot fail then.
fn built<T>(result: Result<T, crate::MissingField>) -> T {
    match result {
        Ok(value) => value,
        Err(missing) => unreachable!("{missing}"),
    }
}

/// Appends `piece` to `whole`, unless `whole` is exactly `piece` already (a value repeated, not continued).
fn append_unless_repeated(whole: &mut String, piece: &str) {
    if whole.as_str() != piece {
        whole.push_str(piece);
    }
}
