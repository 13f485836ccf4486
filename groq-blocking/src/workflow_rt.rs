//! What the workflows do differently in groq-blocking (groq-async's `workflow_rt` has the same items): tool
//! calls run one after the other on the calling thread; waiting blocks the thread.

/// A tool call ready to run: the content to send back, or why the call failed.
pub(crate) type Pending = Box<dyn FnOnce() -> Result<String, String> + Send>;

/// A call of a synchronous function.
pub(crate) fn ready(call: impl FnOnce() -> Result<String, String> + Send + 'static) -> Pending {
    Box::new(call)
}

/// Runs the calls one after the other; the outcomes come back in the order of the calls.
pub(crate) fn run_all(calls: Vec<Pending>) -> Vec<Result<String, String>> {
    calls.into_iter().map(|call| call()).collect()
}

/// Runs the calls one after the other, up to the first that fails: the calls after it never start.
pub(crate) fn run_until_failure(calls: Vec<Pending>) -> Vec<Result<String, String>> {
    let mut outcomes = Vec::with_capacity(calls.len());
    for call in calls {
        let outcome = call();
        let failed = outcome.is_err();
        outcomes.push(outcome);
        if failed {
            break;
        }
    }
    outcomes
}

impl<T: serde::de::DeserializeOwned> Iterator
    for crate::facade::workflows::batch_jobs::BatchResults<T>
{
    type Item = Result<groq_types::ergonomics::batch_jobs::BatchResult<T>, groq_types::sdk::Error>;

    /// The next result (see `next_result`).
    fn next(&mut self) -> Option<Self::Item> {
        self.next_result()
    }
}
