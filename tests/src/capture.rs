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

use std::cell::RefCell;
use std::io::Write;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

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

    /// Runs `f` with this capture recording what is logged on this thread while `f` runs.
    ///
    /// Through one global subscriber that writes into the capture recording on the thread an event comes
    /// from, installed by the first call (unless the binary has a global subscriber of its own: then the
    /// capture is the thread's default for the while, as [`subscriber`](Self::subscriber) is). Not a
    /// subscriber per test: tracing caches, per log statement, whether any subscriber wants it, and
    /// recomputes that as subscribers come and go; with tests coming and going on many threads, a statement
    /// being registered while another test's subscriber arrived could keep a stale "unwanted" and stay
    /// silent in a later test (the contract suite lost "sending request" that way, about one run in six
    /// before the cache was rebuilt here, once since). With one subscriber that stays, asked per event
    /// whether this thread records, the cache never goes stale once it is installed; it is rebuilt then,
    /// and before each recording, for statements first reached before.
    pub fn record<T>(&self, f: impl FnOnce() -> T) -> T {
        static GLOBAL: OnceLock<bool> = OnceLock::new();
        let installed = *GLOBAL.get_or_init(|| {
            use tracing_subscriber::layer::SubscriberExt;
            use tracing_subscriber::Layer;
            let layer = tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
                .with_writer(|| ThisThread)
                .with_filter(tracing_subscriber::filter::dynamic_filter_fn(|_, _| {
                    RECORDING.with(|recording| recording.borrow().is_some())
                }));
            tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer))
                .is_ok()
        });
        if !installed {
            return tracing::subscriber::with_default(self.subscriber(), || {
                tracing::callsite::rebuild_interest_cache();
                f()
            });
        }
        tracing::callsite::rebuild_interest_cache();
        let _recording = Recording::start(self);
        f()
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

thread_local! {
    /// The capture recording on this thread, if any.
    static RECORDING: RefCell<Option<Capture>> = const { RefCell::new(None) };
}

/// A capture recording on this thread until dropped (the one before it, if any, records again then).
struct Recording(Option<Capture>);

impl Recording {
    fn start(capture: &Capture) -> Self {
        Self(RECORDING.with(|recording| recording.replace(Some(capture.clone()))))
    }
}

impl Drop for Recording {
    fn drop(&mut self) {
        let previous = self.0.take();
        RECORDING.with(|recording| *recording.borrow_mut() = previous);
    }
}

/// What the global subscriber writes to: the capture recording on the calling thread.
struct ThisThread;

impl Write for ThisThread {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        RECORDING.with(|recording| {
            if let Some(capture) = recording.borrow_mut().as_mut() {
                capture.lock().extend_from_slice(buf);
            }
        });
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
