//! Large uploads stream from disk (contract line B11): uploading a 64 MiB file from its path, through
//! both clients, must grow the heap by far less than the file.
//!
//! The heap is measured by a counting global allocator (current and peak bytes), so this file is its own
//! test binary. The server that discards the body is `memory_check serve`, in a process of its own, so
//! that nothing of it is counted; the two clients' tests take turns (a lock), so that neither is counted
//! in the other's measure.

use groq_tests::driver::{Driver, Settings};
use groq_tests::driver_media::{media_client, Upload};
use groq_tests::for_both_clients;
use groq_tests::heap::heap_growth;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStderr, Command, Stdio};
use std::sync::{Mutex, PoisonError};

#[global_allocator]
static ALLOCATOR: groq_tests::heap::Counting = groq_tests::heap::Counting;

/// One measure at a time.
static ALONE: Mutex<()> = Mutex::new(());

const FILE_SIZE: u64 = 64 * 1024 * 1024;
const LIMIT: usize = 16 * 1024 * 1024;

/// `memory_check serve`: reads request bodies without keeping them, answers an upload with a file object
/// whose `bytes` is the size of the body it read. Killed when dropped.
struct DiscardingServer {
    child: Child,
    /// Its stderr, kept open so that what it reports later has somewhere to go.
    _stderr: BufReader<ChildStderr>,
    url: String,
}

impl DiscardingServer {
    fn start() -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_memory_check"))
            .args(["serve", "0", "0"])
            .stderr(Stdio::piped())
            .spawn()
            .expect("start memory_check serve");
        let mut stderr = BufReader::new(child.stderr.take().expect("its stderr"));
        let mut line = String::new();
        stderr.read_line(&mut line).expect("its first line");
        let Some(addr) = line.trim().strip_prefix("serving on ") else {
            let _ = child.kill();
            panic!("memory_check serve said {line:?}");
        };
        let url = format!("http://{addr}");
        Self {
            child,
            _stderr: stderr,
            url,
        }
    }
}

impl Drop for DiscardingServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A file of [`FILE_SIZE`] bytes (sparse: made at once, read without touching the disk), removed when
/// dropped.
struct BigFile(PathBuf);

impl BigFile {
    fn create(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!(
            "groq-uploads-memory-{}-{name}.jsonl",
            std::process::id()
        ));
        let file = std::fs::File::create(&path).expect("create the file to upload");
        file.set_len(FILE_SIZE).expect("size the file to upload");
        Self(path)
    }
}

impl Drop for BigFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn a_large_upload_from_a_path_streams_from_disk(driver: &dyn Driver) {
    let _alone = ALONE.lock().unwrap_or_else(PoisonError::into_inner);
    let server = DiscardingServer::start();
    let file = BigFile::create(driver.name());
    let mut settings = Settings::new(server.url.clone());
    settings.max_retries = Some(0);
    let client = media_client(driver, &settings).unwrap();
    let mut uploaded = None;
    let growth = heap_growth(|| {
        uploaded = Some(client.files_upload(Upload::Path(file.0.clone()), "batch"));
    });
    let uploaded = uploaded
        .expect("the upload ran")
        .expect("the upload succeeds");
    // The server read the whole multipart body: the file and the form around it.
    let received = uploaded.bytes.unwrap_or_default();
    assert!(
        u64::try_from(received).is_ok_and(|received| received > FILE_SIZE),
        "the server read {received} bytes"
    );
    assert!(
        growth < LIMIT,
        "{}: uploading {FILE_SIZE} bytes from a path grew the heap by {growth} bytes",
        driver.name()
    );
}

for_both_clients!(a_large_upload_from_a_path_streams_from_disk);
