//! What the blocking crate runs on: the calling thread. Waits between retries sleep the thread, downloads
//! are written with `std::fs`, and calls from inside a tokio task or `block_on` are refused.

use std::time::Duration;

/// Told to the server in the `User-Agent`.
pub(crate) const MODE: &str = "blocking";

/// The reqwest client a [`Client`](crate::Client) can be given (a connection pool; cheap to clone). It is
/// reqwest's async client. Build one from [`http_client_builder`](crate::http_client_builder), which sets
/// up this crate's TLS backend.
///
/// A client built with one ([`http_client`](crate::ClientBuilder::http_client)) runs its calls on a tokio
/// runtime shared by every such client of the process, driven by a thread of its own (started with the
/// first of them, it runs as long as the process), rather than from the calling thread as a client with
/// its own reqwest client does: each call hands over to that thread and back. That way its pool can be
/// shared, by several clients or with your own tokio code, and every connection in it is serviced
/// whoever takes it next, including after the client that opened it is dropped.
pub type HttpClient = reqwest::Client;

/// A reader to upload from.
pub type Reader = Box<dyn std::io::Read + Send + 'static>;

/// Where a call made on this thread may wait, as [`check_context`] finds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Place {
    /// A thread without a tokio runtime: a call may drive the client's own runtime from here.
    Here,
    /// A thread of a tokio runtime outside its tasks, where blocking is allowed: a `spawn_blocking`
    /// closure, a `block_in_place` section, a thread that entered a runtime's handle. A call runs on the
    /// client's own I/O thread, and this one waits for it without driving any runtime: code wrapped in
    /// `tokio::task::unconstrained` gets here too, from inside its runtime, where driving another panics.
    Aside,
}

/// Where a call made on this thread may wait, or why it may not be made here.
///
/// Blocking inside a tokio task or a runtime's `block_on` stalls the tasks of that runtime (and tokio
/// panics at a runtime driven there), so it is refused with
/// [`Error::BlockingInAsyncContext`](groq_types::sdk::Error::BlockingInAsyncContext). tokio runs those
/// under a cooperative budget and the threads where blocking is allowed without one, which is how the two
/// are told apart ([`Place::Aside`]). Code that runs without a budget inside a runtime is not told apart:
/// what `tokio::task::unconstrained` wraps, and the rest of a multi-thread `block_on`'s poll after a
/// `block_in_place` returned (tokio gives the budget back on its workers only). A call there is made, and
/// blocks that thread. A call from a thread-local destructor run after tokio's own (the thread is
/// ending) is refused too: tokio would panic there, and a panic in a thread-local destructor aborts the
/// process.
pub(crate) fn check_context() -> Result<Place, groq_types::sdk::Error> {
    match tokio::runtime::Handle::try_current() {
        Ok(_) if under_task_budget() => Err(groq_types::sdk::Error::BlockingInAsyncContext),
        Ok(_) => Ok(Place::Aside),
        Err(e) if e.is_thread_local_destroyed() => Err(groq_types::sdk::Error::InvalidRequest(
            "groq-blocking cannot make a call from a thread-local destructor run after tokio's: \
             the thread is ending; make the call before it ends"
                .into(),
        )),
        Err(_) => Ok(Place::Here),
    }
}

/// Whether what runs on this thread runs under a tokio task budget: a task's poll or a runtime's
/// `block_on`. `spawn_blocking`'s closures, `block_in_place` sections and code wrapped in
/// `tokio::task::unconstrained` run without one.
///
/// tokio has no call that says so; its budget answers it. A budget is at most `u8::MAX` units, and each
/// `poll_proceed` takes one: a budgeted thread runs out within 256 of them, an unbudgeted one never does.
/// Every unit taken is held, and all are given back in the reverse order, the first last, which puts the
/// budget back as it was (what the first one restores): the probe leaves it unchanged.
fn under_task_budget() -> bool {
    use std::task::{Context, Poll, Waker};
    let mut cx = Context::from_waker(Waker::noop());
    let mut taken = Vec::new();
    let mut budgeted = false;
    for _ in 0..=usize::from(u8::MAX) {
        match tokio::task::coop::poll_proceed(&mut cx) {
            Poll::Ready(unit) => taken.push(unit),
            Poll::Pending => {
                budgeted = true;
                break;
            }
        }
    }
    while let Some(unit) = taken.pop() {
        drop(unit);
    }
    budgeted
}

pub(crate) fn sleep(duration: Duration) {
    if !duration.is_zero() {
        std::thread::sleep(duration);
    }
}

/// The file a download is written to.
pub(crate) type File = std::fs::File;

/// Creates the file at `path`, which must not exist yet (nothing of the user's is ever truncated).
pub(crate) fn create_new_file(path: &std::path::Path) -> std::io::Result<File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

pub(crate) fn write_file(
    file: &mut File,
    bytes: &[u8],
    path: &std::path::Path,
) -> Result<(), groq_types::sdk::Error> {
    use std::io::Write;
    file.write_all(bytes)
        .map_err(|e| crate::facade::upload::io_error(path, e))
}

pub(crate) fn finish_file(
    mut file: File,
    partial: &std::path::Path,
    path: &std::path::Path,
) -> Result<(), groq_types::sdk::Error> {
    use std::io::Write;
    let io = |e| crate::facade::upload::io_error(path, e);
    file.flush().map_err(io)?;
    drop(file);
    std::fs::rename(partial, path).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;
    use groq_types::sdk::Error;
    use std::task::{Context, Waker};

    /// The probe tells a task and `block_on` from the threads where blocking is allowed, and leaves a
    /// task's budget as it found it: after a thousand probes a task still gets a message that is ready at
    /// once, which tokio would make it yield for had the probes spent its budget.
    #[test]
    fn the_budget_probe_tells_tasks_from_blocking_threads_and_spends_nothing() {
        assert_eq!(check_context().unwrap(), Place::Here);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        runtime.block_on(async {
            assert!(matches!(
                check_context(),
                Err(Error::BlockingInAsyncContext)
            ));
            let (sender, mut receiver) = tokio::sync::mpsc::channel(1);
            sender.try_send(()).unwrap();
            for _ in 0..1_000 {
                assert!(under_task_budget());
            }
            let mut cx = Context::from_waker(Waker::noop());
            assert!(receiver.poll_recv(&mut cx).is_ready());
        });
        let in_spawn_blocking = runtime
            .block_on(runtime.spawn_blocking(check_context))
            .unwrap();
        assert_eq!(in_spawn_blocking.unwrap(), Place::Aside);
        let _entered = runtime.enter();
        assert_eq!(check_context().unwrap(), Place::Aside);
    }
}
