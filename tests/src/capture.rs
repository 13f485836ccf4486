//! A `tracing` subscriber that records everything at TRACE level as text, for tests that check what the
//! SDK logs: that a secret never shows, or how many attempts a call made (`"sending request"` is logged
//! once per attempt, on the calling thread).
//!
//! ```
//! use groq_tests::capture::Capture;
//!
//! let capture = Capture::new();
//! tracing::subscriber::with_default(capture.subscriber(), || tracing::info!(attempt = 0, "sending request"));
//! assert_eq!(capture.count("sending request"), 1);
//! ```

use std::io::Write;
use std::sync::{Arc, Mutex, MutexGuard};

/// The text of every event and span a [`subscriber`](Capture::subscriber) saw. Clones share the text.
#[derive(Clone, Debug, Default)]
pub struct Capture(Arc<Mutex<Vec<u8>>>);

impl Capture {
    /// An empty capture.
    pub fn new() -> Self {
        Self::default()
    }

    /// A subscriber writing into this capture at TRACE level (install it with
    /// `tracing::subscriber::with_default` or `set_default` on the thread that calls the SDK).
    pub fn subscriber(&self) -> impl tracing::Subscriber + Send + Sync + 'static {
        let writer = self.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
            .with_writer(move || writer.clone())
            .finish()
    }

    /// Runs `f` with this capture's subscriber as the thread's default (`with_default`), so that what the
    /// SDK logs on this thread while `f` runs is captured.
    ///
    /// tracing caches, per log statement, whether any subscriber wants it. A statement first reached by
    /// another thread before any subscriber existed is cached as unwanted, and a subscriber that arrives
    /// while that thread is registering the statement may miss the recomputation its arrival triggers; the
    /// statement then stays silent here (a test binary running many tests at once did this about one run in
    /// six). The cache is rebuilt once this subscriber is in place, so every statement asks it again.
    pub fn record<T>(&self, f: impl FnOnce() -> T) -> T {
        tracing::subscriber::with_default(self.subscriber(), || {
            tracing::callsite::rebuild_interest_cache();
            f()
        })
    }

    /// Everything written so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.lock()).into_owned()
    }

    /// How many times `needle` occurs in the text.
    pub fn count(&self, needle: &str) -> usize {
        self.text().matches(needle).count()
    }

    fn lock(&self) -> MutexGuard<'_, Vec<u8>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.lock().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
