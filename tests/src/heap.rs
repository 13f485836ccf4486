//! A counting global allocator, for tests that bound how far the heap grows (uploads and batch jobs that
//! must keep memory flat). A test binary that measures installs it as its own allocator:
//!
//! ```no_run
//! #[global_allocator]
//! static ALLOCATOR: groq_tests::heap::Counting = groq_tests::heap::Counting;
//! ```
//!
//! and then measures with [`heap_growth`]. It counts every allocation of the process, so a binary that
//! measures runs one measure at a time and keeps servers out of the process where it can.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The system allocator, counting the bytes held now and the most held since [`heap_growth`] started.
pub struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwards to the system allocator with the caller's layout.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
            PEAK.fetch_max(now, Ordering::SeqCst);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::SeqCst);
    }
}

/// Runs `work` and returns how far the heap grew above where it started (0 unless the binary installed
/// [`Counting`] as its global allocator).
pub fn heap_growth(work: impl FnOnce()) -> usize {
    let start = CURRENT.load(Ordering::SeqCst);
    PEAK.store(start, Ordering::SeqCst);
    work();
    PEAK.load(Ordering::SeqCst).saturating_sub(start)
}
