//! Probes for what a client may leave behind: open file descriptors of the process, memory, and a way to
//! wait (boundedly) until a count settles.
//!
//! The file descriptor count is process-wide, so compare it only where nothing else runs in parallel
//! (a test binary with one test, or a bench); per-server connection counts
//! ([`ScriptedServer::open_connections`](crate::scripted::ScriptedServer::open_connections)) are safe
//! anywhere.

use std::time::{Duration, Instant};

/// How many file descriptors the process has open (`/proc/self/fd`); `None` where that is unknown.
pub fn open_fds() -> Option<usize> {
    // The directory handle itself is one descriptor while it is read.
    std::fs::read_dir("/proc/self/fd")
        .ok()
        .map(|entries| entries.count().saturating_sub(1))
}

/// The resident set size of the process in KiB (`VmRSS` of `/proc/self/status`); `None` where unknown.
pub fn rss_kib() -> Option<u64> {
    status_field("VmRSS:")
}

/// How many threads the process runs (`Threads` of `/proc/self/status`); `None` where unknown.
pub fn threads() -> Option<u64> {
    status_field("Threads:")
}

fn status_field(name: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with(name))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Polls `settled` every 10 ms until it holds or `patience` has passed; whether it held. For counts that
/// settle shortly after a client is dropped (a server thread noticing a closed socket, a runtime
/// finishing a task): generous patience costs nothing when they settle at once.
pub fn settles(patience: Duration, mut settled: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + patience;
    loop {
        if settled() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}
