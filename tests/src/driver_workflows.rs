//! The workflows (structured outputs, the tool runner, batch jobs) seen through blocking calls:
//! [`Workflows`] and [`BatchWorkflows`] are implemented once, compiled over `groq-async` (each call runs on
//! a tokio runtime) and over `groq-blocking` by [`adapter_for_both!`](crate::adapter_for_both);
//! [`workflow_client`] and [`batch_client`] pick the one matching a [`Driver`], so scenarios run under
//! [`for_both_clients!`](crate::for_both_clients).
//!
//! The tool runner of both is built from one [`RunnerSetup`] with the same tools: `get_temperature` and
//! `get_weather_condition` (the weather tools of the docs), `divide` (fails on a zero divisor), and two
//! probes, `probe_a` and `probe_b`, that record how many calls were running at once (async functions in
//! groq-async, plain functions in groq-blocking).

use crate::driver::{Async, Blocking, Driver, Settings};
use groq_types::ergonomics::parsed::ParsedCompletion;
use groq_types::ergonomics::strict_schema::OutputMode;
use groq_types::ergonomics::tool_runs::{ToolCallResult, ToolRunEnd};
use groq_types::sdk::Error;
use groq_types::{
    ChatCompletion, ChatCompletionRequestMessage, CompletionUsage, CreateChatCompletionRequest,
};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// How a person is extracted in the structured-output scenarios.
#[derive(Clone, Debug, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct Person {
    /// Full name.
    pub name: String,
    /// Age in years.
    pub age: u32,
    /// A nickname, when one is given.
    pub nickname: Option<String>,
    /// How the person feels.
    pub mood: Mood,
}

/// A closed set of values.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mood {
    /// Happy.
    Happy,
    /// Sad.
    Sad,
}

/// A type strict mode cannot express (a map).
#[derive(Clone, Debug, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct WordCounts {
    /// Counts by word.
    pub counts: HashMap<String, u32>,
}

/// The arguments of the weather tools.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct City {
    /// The name of the city.
    pub location: String,
}

/// The arguments of `divide`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct Division {
    /// The dividend.
    pub a: f64,
    /// The divisor.
    pub b: f64,
}

/// The arguments of the probes (none).
#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct Probe {}

/// The mock temperature of a city.
pub fn temperature(city: &City) -> &'static str {
    match city.location.as_str() {
        "New York" => "22°C",
        "London" => "18°C",
        _ => "Temperature data not available",
    }
}

/// The mock weather condition of a city.
pub fn condition(city: &City) -> &'static str {
    match city.location.as_str() {
        "New York" => "Sunny",
        "London" => "Rainy",
        _ => "Weather condition data not available",
    }
}

/// `a / b`, or an error for a zero divisor.
pub fn divide(d: &Division) -> Result<f64, String> {
    if d.b == 0.0 {
        Err("division by zero".to_owned())
    } else {
        Ok(d.a / d.b)
    }
}

/// How the scenario's tool runner is configured.
#[derive(Clone, Debug)]
pub struct RunnerSetup {
    /// `max_rounds`.
    pub max_rounds: usize,
    /// Abort on the first failed call instead of reporting it.
    pub abort: bool,
}

impl Default for RunnerSetup {
    fn default() -> Self {
        Self {
            max_rounds: 10,
            abort: false,
        }
    }
}

/// A tool run, the same for both clients.
#[derive(Clone, Debug)]
pub struct RunSummary {
    /// `ToolRun::completion`.
    pub completion: ChatCompletion,
    /// `ToolRun::messages`.
    pub messages: Vec<ChatCompletionRequestMessage>,
    /// `ToolRun::results`.
    pub results: Vec<ToolCallResult>,
    /// `ToolRun::rounds`.
    pub rounds: usize,
    /// `ToolRun::usage`.
    pub usage: CompletionUsage,
    /// `ToolRun::end`.
    pub end: ToolRunEnd,
    /// What the observer saw: (round number, results in the round), in order.
    pub observed: Vec<(usize, usize)>,
    /// The most probe calls seen running at once.
    pub max_probes_in_flight: usize,
}

/// The workflows, seen through blocking calls.
pub trait Workflows {
    /// `create_parsed_with::<Person>`.
    fn parse_person(
        &self,
        request: &CreateChatCompletionRequest,
        mode: OutputMode,
    ) -> Result<ParsedCompletion<Person>, Error>;
    /// `create_parsed::<WordCounts>`.
    fn parse_word_counts(
        &self,
        request: &CreateChatCompletionRequest,
    ) -> Result<ParsedCompletion<WordCounts>, Error>;
    /// `run_tools` with the runner of `setup`.
    fn run_tools(
        &self,
        request: &CreateChatCompletionRequest,
        setup: &RunnerSetup,
    ) -> Result<RunSummary, Error>;
}

/// A client of the kind `driver` drives, configured with `settings`.
pub fn workflow_client(
    driver: &dyn Driver,
    settings: &Settings,
) -> Result<Box<dyn Workflows>, Error> {
    crate::driver::view(driver, settings, |a| Box::new(a), |b| Box::new(b))
}

#[derive(Default)]
struct Probes {
    in_flight: AtomicUsize,
    max: AtomicUsize,
}

impl Probes {
    fn enter(&self) -> usize {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max.fetch_max(now, Ordering::SeqCst);
        now
    }
    fn leave(&self) {
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The runner of `setup` for the crate `$krate`, recording rounds into `$observed`.
macro_rules! runner {
    ($krate:ident, $setup:expr, $observed:expr) => {{
        let setup: &RunnerSetup = $setup;
        let observed: Arc<Mutex<Vec<(usize, usize)>>> = Arc::clone(&$observed);
        let runner = $krate::ToolRunner::new()
            .tool(
                "get_temperature",
                "Get the temperature for a given location",
                |city: City| temperature(&city).to_owned(),
            )
            .tool(
                "get_weather_condition",
                "Get the weather condition for a given location",
                |city: City| condition(&city),
            )
            .try_tool("divide", "Divide a by b", |d: Division| divide(&d))
            .max_rounds(setup.max_rounds)
            .on_round(move |round| {
                if let Ok(mut seen) = observed.lock() {
                    seen.push((round.number, round.results.len()));
                }
            });
        if setup.abort {
            runner.on_tool_error($krate::ToolErrorPolicy::Abort)
        } else {
            runner
        }
    }};
}

/// The summary of `run`, a `ToolRun` of either crate.
macro_rules! summary {
    ($run:expr, $observed:expr, $probes:expr) => {{
        let run = $run;
        RunSummary {
            completion: run.completion,
            messages: run.messages,
            results: run.results,
            rounds: run.rounds,
            usage: run.usage,
            end: run.end,
            observed: $observed.lock().map(|o| o.clone()).unwrap_or_default(),
            max_probes_in_flight: $probes.max.load(Ordering::SeqCst),
        }
    }};
}

/// Adds the two probe tools to `runner`: in `groq-async` they yield to the runtime while in flight, so
/// that calls run at once overlap; in `groq-blocking` they run one after the other.
impl Async {
    fn with_probes(
        mut runner: groq_async::ToolRunner,
        probes: &Arc<Probes>,
    ) -> groq_async::ToolRunner {
        for name in ["probe_a", "probe_b"] {
            let probes = Arc::clone(probes);
            runner = runner.async_tool(name, "Probe", move |_: Probe| {
                let probes = Arc::clone(&probes);
                async move {
                    let now = probes.enter();
                    for _ in 0..4 {
                        tokio::task::yield_now().await;
                    }
                    probes.leave();
                    Ok::<_, String>(now)
                }
            });
        }
        runner
    }
}

/// The probe tools of `groq-blocking` (see [`Async`]'s).
impl Blocking {
    fn with_probes(
        mut runner: groq_blocking::ToolRunner,
        probes: &Arc<Probes>,
    ) -> groq_blocking::ToolRunner {
        for name in ["probe_a", "probe_b"] {
            let probes = Arc::clone(probes);
            runner = runner.tool(name, "Probe", move |_: Probe| {
                let now = probes.enter();
                probes.leave();
                now
            });
        }
        runner
    }
}

/// A batch's state as `wait`'s progress callback saw it: status, and request counts (total, completed,
/// failed) when present.
pub type Progress = (String, Option<(i64, i64, i64)>);

/// Batch jobs, seen through blocking calls.
pub trait BatchWorkflows {
    /// `batch_jobs().submit::<CreateChatCompletionRequest>(path, "24h")`.
    fn batch_submit(&self, path: &std::path::Path) -> Result<groq_types::Batch, Error>;
    /// `batch_jobs().wait` with `schedule`, and the progress seen.
    fn batch_wait(
        &self,
        batch_id: &str,
        schedule: &PollSchedule,
    ) -> (Result<groq_types::Batch, Error>, Vec<Progress>);
    /// `batch_jobs().results::<ChatCompletion>(batch)`, each item handed to `each`; the number of items.
    fn batch_results(
        &self,
        batch: &groq_types::Batch,
        each: &mut dyn FnMut(Result<BatchResult<ChatCompletion>, Error>),
    ) -> usize;
    /// `batch_jobs().results::<ChatCompletion>(batch).find(custom_id)`.
    fn batch_find(
        &self,
        batch: &groq_types::Batch,
        custom_id: &str,
    ) -> Result<Option<BatchResult<ChatCompletion>>, Error>;
    /// `batch_jobs().results::<ChatCompletion>(batch).into_map()`, as each id's success.
    fn batch_map(
        &self,
        batch: &groq_types::Batch,
    ) -> Result<std::collections::BTreeMap<String, bool>, Error>;
}

use groq_types::ergonomics::batch_jobs::{BatchResult, PollSchedule};

/// A client of the kind `driver` drives, for batch jobs.
pub fn batch_client(
    driver: &dyn Driver,
    settings: &Settings,
) -> Result<Box<dyn BatchWorkflows>, Error> {
    crate::driver::view(driver, settings, |a| Box::new(a), |b| Box::new(b))
}

fn progress_of(batch: &groq_types::Batch) -> Progress {
    (
        batch.status.to_string(),
        batch
            .request_counts
            .as_ref()
            .map(|c| (c.total, c.completed, c.failed)),
    )
}

crate::adapter_for_both! {
    impl Workflows for Side {
        fn parse_person(
            &self,
            request: &CreateChatCompletionRequest,
            mode: OutputMode,
        ) -> Result<ParsedCompletion<Person>, Error> {
            self.run(async {
                self.client
                    .chat()
                    .completions()
                    .create_parsed_with(request, mode)
                    .await
            })
        }
        fn parse_word_counts(
            &self,
            request: &CreateChatCompletionRequest,
        ) -> Result<ParsedCompletion<WordCounts>, Error> {
            self.run(async { self.client.chat().completions().create_parsed(request).await })
        }
        fn run_tools(
            &self,
            request: &CreateChatCompletionRequest,
            setup: &RunnerSetup,
        ) -> Result<RunSummary, Error> {
            let observed = Arc::new(Mutex::new(Vec::new()));
            let probes = Arc::new(Probes::default());
            let runner = Side::with_probes(runner!(groq, setup, observed), &probes);
            let run = self.run(async {
                self.client
                    .chat()
                    .completions()
                    .run_tools(request, &runner)
                    .await
            })?;
            Ok(summary!(run, observed, probes))
        }
    }

    impl BatchWorkflows for Side {
        fn batch_submit(&self, path: &std::path::Path) -> Result<groq_types::Batch, Error> {
            self.run(async {
                self.client
                    .batch_jobs()
                    .submit::<CreateChatCompletionRequest>(path, "24h")
                    .await
            })
        }
        fn batch_wait(
            &self,
            batch_id: &str,
            schedule: &PollSchedule,
        ) -> (Result<groq_types::Batch, Error>, Vec<Progress>) {
            let mut seen = Vec::new();
            let result = self.run(async {
                self.client
                    .batch_jobs()
                    .wait(batch_id, schedule, |b| seen.push(progress_of(b)))
                    .await
            });
            (result, seen)
        }
        fn batch_results(
            &self,
            batch: &groq_types::Batch,
            each: &mut dyn FnMut(Result<BatchResult<ChatCompletion>, Error>),
        ) -> usize {
            self.run(async {
                let jobs = self.client.batch_jobs();
                let mut results = jobs.results::<ChatCompletion>(batch);
                let mut n = 0;
                while let Some(item) = results.next_result().await {
                    n += 1;
                    each(item);
                }
                n
            })
        }
        fn batch_find(
            &self,
            batch: &groq_types::Batch,
            custom_id: &str,
        ) -> Result<Option<BatchResult<ChatCompletion>>, Error> {
            self.run(async {
                let jobs = self.client.batch_jobs();
                let mut results = jobs.results::<ChatCompletion>(batch);
                results.find(custom_id).await
            })
        }
        fn batch_map(
            &self,
            batch: &groq_types::Batch,
        ) -> Result<std::collections::BTreeMap<String, bool>, Error> {
            self.run(async {
                let jobs = self.client.batch_jobs();
                let map = jobs.results::<ChatCompletion>(batch).into_map().await?;
                Ok(map
                    .into_iter()
                    .map(|(id, result)| (id, result.is_ok()))
                    .collect())
            })
        }
    }
}

/// The assistant's message of an answer calling `calls`, each (id, tool name, arguments as JSON text): a
/// fixture for the scenarios of the tool runner.
pub fn tool_call_message(calls: &[(&str, &str, &str)]) -> serde_json::Value {
    let calls: Vec<serde_json::Value> = calls
        .iter()
        .map(|(id, name, arguments)| {
            serde_json::json!({"id": id, "type": "function", "function": {"name": name, "arguments": arguments}})
        })
        .collect();
    serde_json::json!({"role": "assistant", "content": null, "tool_calls": calls})
}
