//! What the workflows do differently in groq-async (groq-blocking's `workflow_rt` has the same items):
//! tool calls are futures and the calls of one answer run concurrently; waiting is `runtime::sleep`. Also
//! registers async functions as tools.

use crate::facade::workflows::tools::{parse_arguments, result_content, ToolFn, ToolRunner};
use futures::future::BoxFuture;
use groq_types::ergonomics::tools::takes_no_arguments;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt;
use std::future::Future;
use std::sync::Arc;

/// A started tool call: the content to send back, or why the call failed.
pub(crate) type Pending = BoxFuture<'static, Result<String, String>>;

/// A call of a synchronous function (run when the future is first polled).
pub(crate) fn ready(call: impl FnOnce() -> Result<String, String> + Send + 'static) -> Pending {
    Box::pin(async move { call() })
}

/// Runs the calls concurrently; the outcomes come back in the order of the calls.
pub(crate) async fn run_all(calls: Vec<Pending>) -> Vec<Result<String, String>> {
    futures::future::join_all(calls).await
}

/// Runs the calls one after the other, up to the first that fails: the calls after it never start.
pub(crate) async fn run_until_failure(calls: Vec<Pending>) -> Vec<Result<String, String>> {
    let mut outcomes = Vec::with_capacity(calls.len());
    for call in calls {
        let outcome = call.await;
        let failed = outcome.is_err();
        outcomes.push(outcome);
        if failed {
            break;
        }
    }
    outcomes
}

impl ToolRunner {
    /// Registers an async `function` as the tool `name` (see [`tool`](Self::tool)); the calls of one answer
    /// run concurrently (in turn under [`ToolErrorPolicy::Abort`](crate::ToolErrorPolicy::Abort)). The
    /// future must be `Send`; `function` is called when its call starts.
    ///
    /// ```no_run
    /// use groq_async::ToolRunner;
    ///
    /// #[derive(serde::Deserialize, schemars::JsonSchema)]
    /// struct City {
    ///     location: String,
    /// }
    ///
    /// let runner = ToolRunner::new().async_tool("get_temperature", "Temperature in a city", |c: City| async move {
    ///     Ok::<_, std::io::Error>(format!("22°C in {}", c.location))
    /// });
    /// # let _ = runner;
    /// ```
    pub fn async_tool<A, R, E, F, Fut>(
        self,
        name: impl Into<String>,
        description: impl Into<String>,
        function: F,
    ) -> Self
    where
        A: DeserializeOwned + JsonSchema,
        R: Serialize,
        E: fmt::Display,
        F: Fn(A) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<R, E>> + Send + 'static,
    {
        let function = Arc::new(function);
        let no_arguments = takes_no_arguments::<A>();
        let call: ToolFn = Arc::new(move |arguments: String| {
            let function = Arc::clone(&function);
            // `function` is called when the call is first polled, not when it is made: what it does before
            // its own future (a spawn, a side effect) must not happen for a call the run never gets to.
            Box::pin(async move {
                let started = function(parse_arguments::<A>(&arguments, no_arguments)?);
                let result = started.await.map_err(|e| e.to_string())?;
                result_content(&result)
            })
        });
        self.register::<A>(name.into(), description.into(), call)
    }
}

impl<T: DeserializeOwned + Send + 'static> crate::facade::workflows::batch_jobs::BatchResults<T> {
    /// The results as a [`Stream`](futures::Stream), for `StreamExt` (`next`, `filter_map`,
    /// `try_collect`…); groq-blocking's `BatchResults` is an `Iterator`.
    ///
    /// ```no_run
    /// use groq_async::types::ChatCompletion;
    /// use groq_async::{Client, StreamExt};
    ///
    /// # async fn run(client: Client, batch: groq_async::types::Batch) -> Result<(), groq_async::Error> {
    /// let mut results = client.batch_jobs().results::<ChatCompletion>(&batch).into_stream();
    /// while let Some(line) = results.next().await {
    ///     let line = line?;
    ///     println!("{}: {}", line.custom_id, line.result.is_ok());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn into_stream(
        self,
    ) -> impl futures::Stream<
        Item = Result<groq_types::ergonomics::batch_jobs::BatchResult<T>, groq_types::sdk::Error>,
    > + Send
           + Unpin {
        Box::pin(futures::stream::unfold(self, |mut results| async move {
            let item = results.next_result().await?;
            Some((item, results))
        }))
    }
}
