//! What the async crate runs on: the caller's tokio runtime. Sleeping between retries and writing
//! downloads to disk use tokio; the async client may be called from any task.

use std::time::Duration;

/// Told to the server in the `User-Agent`.
pub(crate) const MODE: &str = "async";

/// The reqwest client a [`Client`](crate::Client) can be given (a connection pool; cheap to clone). Build
/// one from [`http_client_builder`](crate::http_client_builder), which sets up this crate's TLS backend.
pub type HttpClient = reqwest::Client;

/// A reader to upload from.
pub type Reader = Box<dyn tokio::io::AsyncRead + Send + Unpin + 'static>;

/// Async code may call the async client anywhere.
pub(crate) fn check_context() -> Result<(), groq_types::sdk::Error> {
    Ok(())
}

pub(crate) async fn sleep(duration: Duration) {
    if !duration.is_zero() {
        tokio::time::sleep(duration).await;
    }
}

/// The file a download is written to.
pub(crate) type File = tokio::fs::File;

/// Creates the file at `path`, which must not exist yet (nothing of the user's is ever truncated).
///
/// Opened in place, not on tokio's blocking pool: a download dropped while the open waited there for a
/// thread would leave the file behind, made after the guard that removes it was gone (that guard removes
/// it with a plain `std::fs` call too). So the file and its guard come in one poll.
pub(crate) async fn create_new_file(path: &std::path::Path) -> std::io::Result<File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map(File::from_std)
}

pub(crate) async fn write_file(
    file: &mut File,
    bytes: &[u8],
    path: &std::path::Path,
) -> Result<(), groq_types::sdk::Error> {
    use tokio::io::AsyncWriteExt;
    file.write_all(bytes)
        .await
        .map_err(|e| crate::facade::upload::io_error(path, e))
}

pub(crate) async fn finish_file(
    mut file: File,
    partial: &std::path::Path,
    path: &std::path::Path,
) -> Result<(), groq_types::sdk::Error> {
    use tokio::io::AsyncWriteExt;
    let io = |e| crate::facade::upload::io_error(path, e);
    file.flush().await.map_err(io)?;
    drop(file);
    tokio::fs::rename(partial, path).await.map_err(io)
}
