//! Batch jobs end to end: submit a JSONL file of typed requests (upload, then create the batch), wait for
//! the batch to finish (polling that backs off and honours rate limits, with progress reports), and read
//! its results as typed items, streamed from the output and error files.

use crate::facade::binary::BinaryResponse;
use crate::facade::client::Client;
use crate::facade::doc::example;
use crate::facade::upload::FileInput;
use crate::maybe_async;
use groq_types::ergonomics::batch_jobs::{
    parse_result_line, BatchLineError, BatchRequest, BatchResult, LineSplitter, PollSchedule,
};
use groq_types::ergonomics::parsed::WorkflowError;
use groq_types::sdk::Error;
use groq_types::{Batch, BatchStatus, CreateBatchRequest};
use serde::de::DeserializeOwned;
use std::collections::{HashMap, VecDeque};
use std::marker::PhantomData;
use std::path::PathBuf;

impl Client {
    /// Batch jobs end to end: `client.batch_jobs()`.
    pub fn batch_jobs(&self) -> BatchJobs {
        BatchJobs {
            client: self.clone(),
        }
    }
}

/// Batch jobs end to end: [`submit`](Self::submit) a JSONL file written with
/// [`JsonlWriter`](groq_types::ergonomics::batch_jobs::JsonlWriter), [`wait`](Self::wait) for the batch,
/// read its [`results`](Self::results).
///
#[doc = example!(
    use "types::ergonomics::batch_jobs::{write_jsonl_file, PollSchedule}",
        "types::{ChatCompletion, ChatCompletionRequestMessage as Message, CreateChatCompletionRequest}";
    r#"
let lines = (1..=3).map(|n| {
    let question = format!("What is 2+{n}?");
    let request = CreateChatCompletionRequest::from_messages("llama-3.1-8b-instant", [Message::user(question)]);
    (format!("request-{n}"), request)
});
write_jsonl_file("batch_input.jsonl", lines)?;

let jobs = client.batch_jobs();
let batch = jobs.submit::<CreateChatCompletionRequest>("batch_input.jsonl", "24h")"#, aw!(), r#"?;
let batch = jobs.wait(&batch.id, &PollSchedule::default(), |b| println!("{}", b.status))"#, aw!(), r#"?;
let mut results = jobs.results::<ChatCompletion>(&batch);
while let Some(line) = results.next_result()"#, aw!(), r#" {
    let line = line?;
    match line.result {
        Ok(completion) => println!("{}: {}", line.custom_id, completion.content().unwrap_or_default()),
        Err(error) => println!("{}: failed: {}", line.custom_id, error.message),
    }
}"#)]
///
/// It holds a clone of the client (its connection pool shared), so that it and the [`BatchResults`] it
/// makes can be moved into a task or returned on their own.
#[derive(Clone, Debug)]
pub struct BatchJobs {
    client: Client,
}

impl BatchJobs {
    /// Uploads the JSONL file at `path` (streamed from disk, purpose `batch`) and starts a batch of
    /// `R` requests on it (`endpoint` [`R::URL`](BatchRequest::URL)), to be done within
    /// `completion_window` (`24h` to `7d`).
    ///
    #[doc = example!(use "types::CreateChatCompletionRequest"; r#"
// Written with `write_jsonl_file` or a `JsonlWriter`.
let batch = client
    .batch_jobs()
    .submit::<CreateChatCompletionRequest>("batch_input.jsonl", "24h")"#, aw!(), r#"?;
println!("{} is {}", batch.id, batch.status);"#)]
    #[maybe_async]
    pub async fn submit<R: BatchRequest>(
        &self,
        path: impl Into<PathBuf>,
        completion_window: &str,
    ) -> Result<Batch, Error> {
        let file = self
            .client
            .files()
            .upload(FileInput::path(path), "batch")
            .await?;
        let file_id = file
            .id
            .ok_or_else(|| Error::decode("the uploaded file", "it has no id", &[]))?;
        let request = CreateBatchRequest::builder()
            .input_file_id(file_id)
            .endpoint(R::URL)
            .completion_window(completion_window)
            .build()?;
        self.client.batches().create(&request).await
    }

    /// Polls the batch until it is finished, calling `progress` with each state seen (status and request
    /// counts). The delay between polls follows `schedule` (growing up to its maximum); a rate-limited
    /// poll (429) waits what the server asks (`retry-after`, else the current delay) and polls again.
    ///
    /// `completed` returns the batch; `failed`, `expired` and `cancelled` are an [`Error::Workflow`]
    /// ([`WorkflowError::BatchEnded`]) with the batch's own error list and its files (an expired batch's
    /// finished lines can still be read with [`results_of_files`](Self::results_of_files)).
    ///
    #[doc = example!(use "types::ergonomics::batch_jobs::PollSchedule"; r#"
let batch = client
    .batch_jobs()
    .wait("batch_01jh6xa7reempvjyh6n3yst2zw", &PollSchedule::default(), |batch| {
        if let Some(counts) = &batch.request_counts {
            println!("{}: {}/{}", batch.status, counts.completed, counts.total);
        }
    })"#, aw!(), r#"?;
println!("output file: {:?}", batch.output_file_id);"#)]
    #[maybe_async]
    pub async fn wait(
        &self,
        batch_id: &str,
        schedule: &PollSchedule,
        mut progress: impl FnMut(&Batch),
    ) -> Result<Batch, Error> {
        let mut delay = schedule.initial_delay;
        loop {
            let batch = match self.client.batches().retrieve(batch_id).await {
                Ok(batch) => batch,
                Err(Error::RateLimit(api)) => {
                    let wait = schedule.rate_limited_wait(api.rate_limit().retry_after, delay);
                    crate::runtime::sleep(wait).await;
                    continue;
                }
                Err(error) => return Err(error),
            };
            progress(&batch);
            if batch.is_terminal() {
                return if batch.status == BatchStatus::Completed {
                    Ok(batch)
                } else {
                    Err(WorkflowError::batch_ended(batch).into())
                };
            }
            crate::runtime::sleep(delay).await;
            delay = schedule.next_delay(delay);
        }
    }

    /// The results of a finished batch, as typed items: the lines of its output file, then those of its
    /// error file, downloaded as they are read.
    ///
    #[doc = example!(use "types::ChatCompletion"; r#"
let jobs = client.batch_jobs();
let batch = client.batches().retrieve("batch_01jh6xa7reempvjyh6n3yst2zw")"#, aw!(), r#"?;
let mut results = jobs.results::<ChatCompletion>(&batch);
while let Some(line) = results.next_result()"#, aw!(), r#" {
    let line = line?;
    println!("{}: {}", line.custom_id, line.result.is_ok());
}"#)]
    pub fn results<T: DeserializeOwned>(&self, batch: &Batch) -> BatchResults<T> {
        self.results_of_files(
            batch
                .output_file_id
                .iter()
                .chain(batch.error_file_id.iter())
                .cloned(),
        )
    }

    /// The results read from the given output or error files (e.g. those of an expired batch).
    ///
    #[doc = example!(use "types::ChatCompletion", "Error", "WorkflowError"; r#"
let jobs = client.batch_jobs();
let finished = match jobs.wait("batch_01jh6xa7reempvjyh6n3yst2zw", &Default::default(), |_| {})"#, aw!(), r#" {
    Ok(batch) => jobs.results::<ChatCompletion>(&batch),
    Err(Error::Workflow(ended)) => match *ended {
        // An expired batch keeps the lines it finished.
        WorkflowError::BatchEnded { output_file_id, error_file_id, .. } => {
            jobs.results_of_files(output_file_id.into_iter().chain(error_file_id))
        }
        other => return Err(other.into()),
    },
    Err(error) => return Err(error),
};
let map = finished.into_map()"#, aw!(), r#"?;
println!("{} results", map.len());"#)]
    pub fn results_of_files<T: DeserializeOwned>(
        &self,
        file_ids: impl IntoIterator<Item = String>,
    ) -> BatchResults<T> {
        BatchResults {
            client: self.client.clone(),
            files: file_ids.into_iter().filter(|id| !id.is_empty()).collect(),
            current: None,
            lines: LineSplitter::default(),
            kind: PhantomData,
        }
    }
}

/// The results of a batch, read line by line from its files as they download: each item is the line's
/// `custom_id` with its answer parsed as `T` (e.g. [`ChatCompletion`](groq_types::ChatCompletion)) or the
/// line's [`BatchLineError`]. A download that fails is an `Err` item, after which reading stops; a line
/// that does not decode is an `Err` item, and reading goes on with the next line.
pub struct BatchResults<T> {
    client: Client,
    files: VecDeque<String>,
    current: Option<BinaryResponse>,
    lines: LineSplitter,
    kind: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for BatchResults<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BatchResults")
            .field("files_left", &self.files)
            .field("downloading", &self.current.is_some())
            .finish()
    }
}

impl<T: DeserializeOwned> BatchResults<T> {
    /// The next result; `None` once every file is read.
    ///
    #[doc = example!(use "types::ChatCompletion"; r#"
let batch = client.batches().retrieve("batch_01jh6xa7reempvjyh6n3yst2zw")"#, aw!(), r#"?;
let mut results = client.batch_jobs().results::<ChatCompletion>(&batch);
while let Some(line) = results.next_result()"#, aw!(), r#" {
    match line?.result {
        Ok(completion) => println!("{}", completion.content().unwrap_or_default()),
        Err(error) => println!("failed: {}", error.message),
    }
}"#)]
    #[maybe_async]
    pub async fn next_result(&mut self) -> Option<Result<BatchResult<T>, Error>> {
        loop {
            if let Some(line) = self.lines.next_line() {
                return Some(parse_result_line(&line));
            }
            match self.current.as_mut() {
                Some(body) => match body.next_chunk().await {
                    Ok(Some(chunk)) => self.lines.push(&chunk),
                    Ok(None) => {
                        self.current = None;
                        if let Some(line) = self.lines.finish() {
                            return Some(parse_result_line(&line));
                        }
                    }
                    Err(error) => {
                        self.stop();
                        return Some(Err(error));
                    }
                },
                None => {
                    // Taken off the queue once its download has started: a call dropped while it
                    // starts (a `timeout`, a `select!`) leaves the file for the next call.
                    let file_id = self.files.front()?;
                    match self.client.files().content(file_id).await {
                        Ok(body) => {
                            self.files.pop_front();
                            self.current = Some(body);
                        }
                        Err(error) => {
                            self.stop();
                            return Some(Err(error));
                        }
                    }
                }
            }
        }
    }

    fn stop(&mut self) {
        self.files.clear();
        self.current = None;
    }

    /// Reads on until the result of `custom_id` (the results of a batch come in any order); `None` if no
    /// line has it. Fails at the first failure on the way, a line that does not decode included; read with
    /// [`next_result`](Self::next_result) to step over such lines.
    ///
    #[doc = example!(use "types::ChatCompletion"; r#"
let batch = client.batches().retrieve("batch_01jh6xa7reempvjyh6n3yst2zw")"#, aw!(), r#"?;
let mut results = client.batch_jobs().results::<ChatCompletion>(&batch);
if let Some(line) = results.find("request-2")"#, aw!(), r#"? {
    println!("{:?}", line.result.map(|c| c.content().map(str::to_owned)));
}"#)]
    #[maybe_async]
    pub async fn find(&mut self, custom_id: &str) -> Result<Option<BatchResult<T>>, Error> {
        while let Some(result) = self.next_result().await {
            let result = result?;
            if result.custom_id == custom_id {
                return Ok(Some(result));
            }
        }
        Ok(None)
    }

    /// Reads every result into a map by `custom_id` (holds them all in memory; iterate with
    /// [`next_result`](Self::next_result) to keep memory flat). Fails at the first failure, a line that
    /// does not decode included, and at a `custom_id` seen twice (which a map would keep only once);
    /// `next_result` steps over such lines.
    ///
    #[doc = example!(use "types::ChatCompletion"; r#"
let batch = client.batches().retrieve("batch_01jh6xa7reempvjyh6n3yst2zw")"#, aw!(), r#"?;
let answers = client.batch_jobs().results::<ChatCompletion>(&batch).into_map()"#, aw!(), r#"?;
for (custom_id, result) in &answers {
    println!("{custom_id}: {}", result.is_ok());
}"#)]
    #[maybe_async]
    pub async fn into_map(mut self) -> Result<HashMap<String, Result<T, BatchLineError>>, Error> {
        let mut map = HashMap::new();
        while let Some(result) = self.next_result().await {
            let result = result?;
            match map.entry(result.custom_id) {
                std::collections::hash_map::Entry::Occupied(taken) => {
                    return Err(Error::decode(
                        "the batch results",
                        format_args!("two lines have the custom_id `{}`", taken.key()),
                        &[],
                    ));
                }
                std::collections::hash_map::Entry::Vacant(free) => {
                    free.insert(result.result);
                }
            }
        }
        Ok(map)
    }
}
