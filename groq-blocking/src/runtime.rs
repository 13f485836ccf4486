//! What the blocking crate runs on: the calling thread. Waits between retries sleep the thread, downloads
//! are written with `std::fs`, and calls from a thread that runs a tokio runtime are refused.

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

/// Blocking on a thread that runs a tokio runtime stalls it (and tokio panics there), so it is refused
/// with [`Error::BlockingInAsyncContext`](groq_types::sdk::Error::BlockingInAsyncContext). So is a call
/// from a thread-local destructor run after tokio's own (the thread is ending): tokio would panic there,
/// and a panic in a thread-local destructor aborts the process.
pub(crate) fn check_context() -> Result<(), groq_types::sdk::Error> {
    match tokio::runtime::Handle::try_current() {
        Ok(_) => Err(groq_types::sdk::Error::BlockingInAsyncContext),
        Err(e) if e.is_thread_local_destroyed() => Err(groq_types::sdk::Error::InvalidRequest(
            "groq-blocking cannot make a call from a thread-local destructor run after tokio's: \
             the thread is ending; make the call before it ends"
                .into(),
        )),
        Err(_) => Ok(()),
    }
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
