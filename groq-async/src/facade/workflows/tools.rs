//! The tool runner: Rust functions registered as tools (the JSON Schema of their arguments derived from the
//! argument type), and `run_tools`, which sends a request, runs every tool call of the answer, sends the
//! results back and repeats until the model answers without tool calls.

use crate::facade::doc::example;
use crate::facade::resources::chat::Completions;
use crate::maybe_async;
use crate::workflow_rt::{self, Pending};
use groq_types::ergonomics::parsed::{parse_output, WorkflowError};
use groq_types::ergonomics::tool_runs::{add_usage, ToolCallResult, ToolRound, ToolRunEnd};
use groq_types::ergonomics::tools::takes_no_arguments;
use groq_types::sdk::{Error, Parsed};
use groq_types::{
    ChatCompletion, ChatCompletionRequestMessage, ChatCompletionTool,
    ChatCompletionToolChoiceOption, CompletionUsage, CreateChatCompletionRequest, ToolChoiceMode,
};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::fmt;
use std::sync::Arc;

/// A tool erased to its call: the arguments' JSON text in, the content to send back (or the failure) out.
pub(crate) type ToolFn = Arc<dyn Fn(String) -> Pending + Send + Sync>;

/// What the runner does when a tool call cannot be answered: the tool returned an error, the arguments
/// do not parse as its argument type, or no tool has the name the model used.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ToolErrorPolicy {
    /// Send `{"is_error": true, "error": "…"}` back to the model as the call's result and carry on, so
    /// that the model can correct itself (the default).
    #[default]
    ReportToModel,
    /// Stop the run with an [`Error::Workflow`] ([`WorkflowError::Tool`]) at the first call that fails.
    /// The calls of one answer then run one after the other, in `groq-async` too, and those after the
    /// failing one never start: a tool with side effects is not run once the run is being stopped.
    Abort,
}

struct Tool {
    name: String,
    definition: ChatCompletionTool,
    call: ToolFn,
}

type Observer = Arc<dyn Fn(&ToolRound<'_>) + Send + Sync>;

/// Tools backed by Rust functions, and how to run them: the round limit, what to do when a call fails, an
/// observer of each round. Pass it to `client.chat().completions().run_tools(&request, &runner)`.
///
/// Tools must be `Send + Sync + 'static` (the runner can be shared between threads and tasks). With
/// groq-async, the calls of one answer run concurrently (`async_tool` registers an async function); with
/// groq-blocking, one after the other; under [`ToolErrorPolicy::Abort`], one after the other in both.
///
/// A request's `tool_choice` that forces a call (`required`, or a named function) applies to the first
/// round only: the rounds after it are sent with `tool_choice: "auto"`, so that the model can answer once
/// it has the results (forced in every round, it could only call tools again until the round limit).
/// `none` and `auto` are sent unchanged in every round.
///
/// ```no_run
#[doc = concat!("use ", env!("CARGO_CRATE_NAME"), "::ToolRunner;")]
///
/// #[derive(serde::Deserialize, schemars::JsonSchema)]
/// struct City {
///     /// The name of the city, e.g. London.
///     location: String,
/// }
///
/// #[derive(serde::Deserialize, schemars::JsonSchema)]
/// struct Division {
///     a: f64,
///     b: f64,
/// }
///
/// let runner = ToolRunner::new()
///     .tool("get_temperature", "Get the temperature for a given location", |city: City| {
///         if city.location == "London" { "18°C" } else { "Temperature data not available" }
///     })
///     .try_tool("divide", "Divide a by b", |d: Division| {
///         if d.b == 0.0 { Err("division by zero") } else { Ok(d.a / d.b) }
///     })
///     .max_rounds(5)
///     .on_round(|round| println!("round {}: {} tool calls", round.number, round.results.len()));
/// assert_eq!(runner.definitions().len(), 2);
/// ```
pub struct ToolRunner {
    tools: Vec<Tool>,
    max_rounds: usize,
    policy: ToolErrorPolicy,
    observer: Option<Observer>,
}

impl fmt::Debug for ToolRunner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ToolRunner")
            .field(
                "tools",
                &self.tools.iter().map(|t| &t.name).collect::<Vec<_>>(),
            )
            .field("max_rounds", &self.max_rounds)
            .field("policy", &self.policy)
            .field("observer", &self.observer.is_some())
            .finish()
    }
}

impl Default for ToolRunner {
    fn default() -> Self {
        Self::new()
    }
}

/// The content sent back for a successful call, or the failure.
pub(crate) fn result_content<R: Serialize>(result: &R) -> Result<String, String> {
    ToolCallResult::success("", "", result)
        .map(|r| r.content)
        .map_err(|e| e.to_string())
}

/// The arguments of a call parsed as `A`, or the message sent back to the model. Empty arguments are read
/// as `{}`; for a tool that takes no arguments (`no_arguments`, see [`takes_no_arguments`]), empty
/// arguments and `{}` are read as `null`, the value of `()` and of a unit struct.
pub(crate) fn parse_arguments<A: DeserializeOwned>(
    arguments: &str,
    no_arguments: bool,
) -> Result<A, String> {
    let raw = match arguments.trim() {
        "" => "{}",
        raw => raw,
    };
    let raw = if no_arguments && is_empty_object(raw) {
        "null"
    } else {
        raw
    };
    parse_output(raw).map_err(|e| format!("invalid arguments: {e}"))
}

/// Whether `raw` is a JSON object without members.
fn is_empty_object(raw: &str) -> bool {
    matches!(serde_json::from_str::<Value>(raw), Ok(Value::Object(members)) if members.is_empty())
}

impl ToolRunner {
    /// No tools; at most 10 rounds; failures reported to the model.
    pub fn new() -> Self {
        Self {
            tools: Vec::new(),
            max_rounds: 10,
            policy: ToolErrorPolicy::default(),
            observer: None,
        }
    }

    /// Registers `function` as the tool `name`: the model sees `description` and the JSON Schema of `A`
    /// (derive `serde::Deserialize` and `schemars::JsonSchema`; doc comments become descriptions), and
    /// the result is sent back as text (a string as is, any other value as JSON). A tool with the same
    /// name is replaced.
    ///
    /// A tool without arguments takes `()` or a unit struct: it is declared with an empty object schema,
    /// and the model's `{}` (or empty arguments) is read as its value.
    ///
    /// ```
    #[doc = concat!("use ", env!("CARGO_CRATE_NAME"), "::ToolRunner;")]
    ///
    /// #[derive(serde::Deserialize, schemars::JsonSchema)]
    /// struct Clock;
    ///
    /// let runner = ToolRunner::new()
    ///     .tool("now", "The current time", |_: ()| "12:00")
    ///     .tool("clock", "The clock's name", |_: Clock| "Big Ben");
    /// let tools = serde_json::to_value(runner.definitions()).unwrap();
    /// assert_eq!(tools[0]["function"]["parameters"], serde_json::json!({"type": "object", "properties": {}}));
    /// assert_eq!(tools[1]["function"]["parameters"]["type"], "object");
    /// ```
    pub fn tool<A, R, F>(
        self,
        name: impl Into<String>,
        description: impl Into<String>,
        function: F,
    ) -> Self
    where
        A: DeserializeOwned + JsonSchema,
        R: Serialize,
        F: Fn(A) -> R + Send + Sync + 'static,
    {
        self.try_tool(name, description, move |args: A| {
            Ok::<R, std::convert::Infallible>(function(args))
        })
    }

    /// Registers a fallible `function` as the tool `name` (see [`tool`](Self::tool)): an `Err` is reported
    /// to the model as `{"is_error": true, "error": "<the error's Display>"}`, or aborts the run with
    /// [`ToolErrorPolicy::Abort`].
    pub fn try_tool<A, R, E, F>(
        self,
        name: impl Into<String>,
        description: impl Into<String>,
        function: F,
    ) -> Self
    where
        A: DeserializeOwned + JsonSchema,
        R: Serialize,
        E: fmt::Display,
        F: Fn(A) -> Result<R, E> + Send + Sync + 'static,
    {
        let function = Arc::new(function);
        let no_arguments = takes_no_arguments::<A>();
        let call: ToolFn = Arc::new(move |arguments: String| {
            let function = Arc::clone(&function);
            workflow_rt::ready(move || {
                let args = parse_arguments::<A>(&arguments, no_arguments)?;
                let result = function(args).map_err(|e| e.to_string())?;
                result_content(&result)
            })
        });
        self.register::<A>(name.into(), description.into(), call)
    }

    /// Adds a tool whose call is already erased.
    pub(crate) fn register<A: JsonSchema>(
        mut self,
        name: String,
        description: String,
        call: ToolFn,
    ) -> Self {
        let definition = ChatCompletionTool::new_function_for::<A>(name.clone(), description);
        self.tools.retain(|tool| tool.name != name);
        self.tools.push(Tool {
            name,
            definition,
            call,
        });
        self
    }

    /// The most completions one run asks for (10 by default, at least 1): when the model still calls
    /// tools in the last one, the run stops with [`ToolRunEnd::RoundLimit`].
    pub fn max_rounds(mut self, max_rounds: usize) -> Self {
        self.max_rounds = max_rounds.max(1);
        self
    }

    /// What to do when a tool call cannot be answered (see [`ToolErrorPolicy`]).
    ///
    #[doc = example!(use "types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest}",
        "{Error, ToolErrorPolicy, ToolRunner, WorkflowError}"; r#"

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct Division {
    a: f64,
    b: f64,
}

let runner = ToolRunner::new()
    .try_tool("divide", "Divide a by b", |d: Division| {
        if d.b == 0.0 { Err("division by zero") } else { Ok(d.a / d.b) }
    })
    .on_tool_error(ToolErrorPolicy::Abort);
let request = CreateChatCompletionRequest::from_messages(
    "llama-3.3-70b-versatile",
    [Message::user("What is 1 divided by 0?")],
);
match client.chat().completions().run_tools(&request, &runner)"#, aw!(), r#" {
    Ok(run) => println!("{}", run.content().unwrap_or_default()),
    Err(Error::Workflow(failure)) => match *failure {
        WorkflowError::Tool { name, message, .. } => println!("{name} failed: {message}"),
        other => println!("{other}"),
    },
    Err(error) => return Err(error),
}"#)]
    pub fn on_tool_error(mut self, policy: ToolErrorPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Calls `observer` after each round with the completion received and the results sent back (for
    /// logging or progress).
    pub fn on_round(mut self, observer: impl Fn(&ToolRound<'_>) + Send + Sync + 'static) -> Self {
        self.observer = Some(Arc::new(observer));
        self
    }

    /// The function tools sent to the model, in the order they were registered.
    pub fn definitions(&self) -> Vec<ChatCompletionTool> {
        self.tools.iter().map(|t| t.definition.clone()).collect()
    }

    fn observe(&self, round: &ToolRound<'_>) {
        if let Some(observer) = &self.observer {
            observer(round);
        }
    }

    /// The request of the first round: the runner's tools added to the request's (a tool of the request
    /// with the same name is replaced).
    fn first_request(&self, request: &CreateChatCompletionRequest) -> CreateChatCompletionRequest {
        let mut request = request.clone();
        let mut tools: Vec<ChatCompletionTool> = request
            .tools
            .take()
            .unwrap_or_default()
            .into_iter()
            .filter(|tool| {
                let name = tool.function.as_ref().map(|f| f.name.as_str());
                !self.tools.iter().any(|t| Some(t.name.as_str()) == name)
            })
            .collect();
        tools.extend(self.definitions());
        request.tools = Some(tools);
        request
    }

    /// The calls of the answer, started (not yet awaited).
    fn start_calls(&self, completion: &ChatCompletion) -> Vec<Pending> {
        completion
            .tool_calls()
            .iter()
            .map(|call| {
                let name = call.name();
                match self.tools.iter().find(|tool| tool.name == name) {
                    Some(tool) => (tool.call)(call.function.arguments.clone()),
                    None => {
                        let known: Vec<&str> = self.tools.iter().map(|t| t.name.as_str()).collect();
                        let message =
                            format!("unknown tool `{name}`; the tools are: {}", known.join(", "));
                        workflow_rt::ready(move || Err(message))
                    }
                }
            })
            .collect()
    }
}

/// The `tool_choice` of the rounds after the first: a choice that forces a call (`required`, a named
/// function) becomes `auto`, so that the model may answer with the results; any other stays as it is.
fn release_forced_choice(choice: &mut Option<ChatCompletionToolChoiceOption>) {
    if matches!(
        choice,
        Some(
            ChatCompletionToolChoiceOption::Mode(ToolChoiceMode::Required)
                | ChatCompletionToolChoiceOption::Named(_)
        )
    ) {
        *choice = Some(ToolChoiceMode::Auto.into());
    }
}

/// A finished tool run: the final completion, the whole conversation and the usage of every round.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ToolRun {
    /// The last completion received: the model's answer, or (after [`ToolRunEnd::RoundLimit`]) the tool
    /// calls that were not run.
    pub completion: ChatCompletion,
    /// The conversation: the request's messages, then for each round the assistant's message and the tool
    /// results, and (when the model answered) its final message. Send it back with a new user message to
    /// continue.
    pub messages: Vec<ChatCompletionRequestMessage>,
    /// Every tool call's result, in the order they were sent.
    pub results: Vec<ToolCallResult>,
    /// How many completions were asked for.
    pub rounds: usize,
    /// Token usage summed over the rounds.
    pub usage: CompletionUsage,
    /// Why the run stopped.
    pub end: ToolRunEnd,
}

impl ToolRun {
    /// The text of the final answer.
    pub fn content(&self) -> Option<&str> {
        self.completion.content()
    }
}

impl Completions<'_, Parsed> {
    /// Runs a tool-calling conversation: sends `request` with the runner's tools, runs every tool call of
    /// the answer (concurrently with groq-async, one after the other with groq-blocking or under
    /// [`ToolErrorPolicy::Abort`]), appends the assistant's message and the results, and asks again,
    /// until the model answers without tool calls or the runner's round limit is reached. A call that fails, whose arguments do not parse or that names
    /// no tool is answered with `{"is_error": true, "error": "…"}`, unless the runner says
    /// [`ToolErrorPolicy::Abort`]. An API error ends the run with that error. A `tool_choice` that forces
    /// a call (`required` or a named function) holds for the first round only; the later rounds are sent
    /// with `auto`.
    ///
    #[doc = example!(use "types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest}", "ToolRunner"; r#"

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct City {
    /// The name of the city, e.g. Paris.
    location: String,
}

let runner = ToolRunner::new().tool("get_temperature", "Temperature in a city", |c: City| {
    format!("22°C in {}", c.location)
});
let request = CreateChatCompletionRequest::from_messages(
    "llama-3.3-70b-versatile",
    [Message::user("How warm is it in Paris?")],
);
let run = client.chat().completions().run_tools(&request, &runner)"#, aw!(), r#"?;
println!("{} ({} rounds, {} tool calls)", run.content().unwrap_or_default(), run.rounds, run.results.len());"#)]
    #[maybe_async]
    pub async fn run_tools(
        &self,
        request: &CreateChatCompletionRequest,
        runner: &ToolRunner,
    ) -> Result<ToolRun, Error> {
        let mut request = runner.first_request(request);
        let mut results = Vec::new();
        let mut usage = CompletionUsage::default();
        let mut rounds = 0;
        loop {
            let completion = self.create(&request).await?;
            rounds += 1;
            if let Some(round_usage) = &completion.usage {
                add_usage(&mut usage, round_usage);
            }
            let message = completion.choices.first().map(|c| c.message.clone());
            let calls = completion.tool_calls();
            if calls.is_empty() || rounds >= runner.max_rounds {
                runner.observe(&ToolRound::new(rounds, &completion, &[]));
                let end = if calls.is_empty() {
                    if let Some(message) = message {
                        request.messages.push(message.into());
                    }
                    ToolRunEnd::Answered
                } else {
                    ToolRunEnd::RoundLimit
                };
                return Ok(ToolRun {
                    completion,
                    messages: request.messages,
                    results,
                    rounds,
                    usage,
                    end,
                });
            }
            let started = runner.start_calls(&completion);
            let outcomes = if runner.policy == ToolErrorPolicy::Abort {
                workflow_rt::run_until_failure(started).await
            } else {
                workflow_rt::run_all(started).await
            };
            let mut round_results = Vec::with_capacity(calls.len());
            for (call, outcome) in calls.iter().zip(outcomes) {
                let result = match outcome {
                    Ok(content) => ToolCallResult::new(call.id.clone(), call.name(), content),
                    Err(message) if runner.policy == ToolErrorPolicy::Abort => {
                        return Err(
                            WorkflowError::tool(call.name(), call.id.clone(), message).into()
                        );
                    }
                    Err(message) => ToolCallResult::failure(call.id.clone(), call.name(), message),
                };
                round_results.push(result);
            }
            if let Some(message) = message {
                request.messages.push(message.into());
            }
            request
                .messages
                .extend(round_results.iter().map(ToolCallResult::to_message));
            release_forced_choice(&mut request.tool_choice);
            runner.observe(&ToolRound::new(rounds, &completion, &round_results));
            results.extend(round_results);
        }
    }
}
