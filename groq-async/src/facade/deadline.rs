//! The deadline of a request; on a multi-thread runtime, kept on a timer that earlier requests used.
//!
//! A fresh tokio timer per request goes to the runtime's timer driver twice, under its lock: once to
//! register and once to deregister. On a multi-thread runtime that lock is shared with the worker threads,
//! and registering usually wakes the worker parked on the driver, because the new deadline is earlier than
//! anything the worker waits for. A timer whose deadline moves *later* costs neither: tokio moves it with
//! one atomic operation. Requests of one client share the same timeout, so each new deadline is later than
//! the last one. A request on a multi-thread runtime therefore takes a timer from a small pool of the
//! thread it runs on, moves its deadline, and gives it back to the pool of the thread where it ends. A
//! timer belongs to the runtime that made it, so the pool keeps it with that runtime's id and a request
//! only takes timers of its own runtime; a timer given back to a pool drops those of other runtimes, so
//! that a thread keeps no runtime alive once it has moved on to another.
//!
//! The limit that leaves: a thread whose last request ran on a multi-thread runtime since dropped (the
//! `main` of a program that drops its runtime and goes on) keeps that runtime's timer driver, two epoll
//! descriptors and an eventfd with it, until the thread makes a request on another multi-thread runtime
//! or ends. At most one dropped runtime per thread; tokio offers no way to learn that a runtime is gone.
//!
//! Measured (`peers` bench, 10 000 sequential calls from `main` on a multi-thread runtime, interleaved
//! runs): 6–7 % less CPU for the client process; 64 concurrent calls and current-thread runtimes unchanged.
//! On a current-thread runtime there is no other thread to wake and no one to share the lock with, so a
//! request there gets tokio's own `timeout_at`.

use std::cell::RefCell;
use std::future::Future;
use std::pin::{pin, Pin};
use std::task::Poll;
use tokio::runtime::{Handle, Id, RuntimeFlavor};
use tokio::time::{Instant, Sleep};

/// The most idle timers a thread's pool keeps, for all runtimes together; past it, the oldest goes.
const POOL_SIZE: usize = 64;

thread_local! {
    /// This thread's idle timers, each with the id of the runtime it belongs to; still registered with
    /// their last deadline.
    static IDLE: RefCell<Vec<(Id, Pin<Box<Sleep>>)>> = const { RefCell::new(Vec::new()) };
}

/// Runs `future` to its end, or until `deadline`: `None` if the deadline came first. Must be called within
/// a tokio runtime, as any tokio timer must.
pub(crate) async fn within<F: Future>(deadline: Instant, future: F) -> Option<F::Output> {
    let runtime = Handle::current();
    if runtime.runtime_flavor() != RuntimeFlavor::MultiThread {
        return tokio::time::timeout_at(deadline, future).await.ok();
    }
    let mut pooled = Pooled::at(runtime.id(), deadline);
    let mut future = pin!(future);
    std::future::poll_fn(|cx| {
        if let Poll::Ready(output) = future.as_mut().poll(cx) {
            return Poll::Ready(Some(output));
        }
        match pooled.timer.as_mut() {
            Some(timer) => timer.as_mut().poll(cx).map(|()| None),
            None => Poll::Pending,
        }
    })
    .await
}

/// A timer of the pool set to a request's deadline, given back when dropped.
struct Pooled {
    runtime: Id,
    /// Always `Some` until dropped.
    timer: Option<Pin<Box<Sleep>>>,
}

impl Pooled {
    /// A timer of `runtime` (the current one) for `deadline`: an idle one moved to it, or a new one.
    fn at(runtime: Id, deadline: Instant) -> Self {
        let timer = match take_idle(runtime) {
            Some(mut timer) => {
                timer.as_mut().reset(deadline);
                timer
            }
            None => Box::pin(tokio::time::sleep_until(deadline)),
        };
        Self {
            runtime,
            timer: Some(timer),
        }
    }
}

impl Drop for Pooled {
    fn drop(&mut self) {
        // A timer that went off is registered no more: reusing it would save nothing.
        let Some(timer) = self.timer.take().filter(|timer| !timer.is_elapsed()) else {
            return;
        };
        let evicted = IDLE.try_with(|idle| {
            let mut idle = idle.try_borrow_mut().ok()?;
            // A thread serves one runtime at a time. Timers of another one go: each keeps its runtime's
            // driver (and its file descriptors) alive, even once that runtime is dropped.
            let mut evicted = Vec::new();
            if idle.iter().any(|(id, _)| *id != self.runtime) {
                let (kept, others) = std::mem::take(&mut *idle)
                    .into_iter()
                    .partition(|(id, _)| *id == self.runtime);
                *idle = kept;
                evicted = others;
            }
            if idle.len() >= POOL_SIZE {
                evicted.push(idle.remove(0));
            }
            idle.push((self.runtime, timer));
            Some(evicted)
        });
        // Dropped outside the pool's lock: dropping a timer takes its driver's lock.
        drop(evicted);
    }
}

/// The most recently idled timer of `runtime`, if any.
fn take_idle(runtime: Id) -> Option<Pin<Box<Sleep>>> {
    IDLE.try_with(|idle| {
        let mut idle = idle.try_borrow_mut().ok()?;
        let at = idle.iter().rposition(|(id, _)| *id == runtime)?;
        Some(idle.swap_remove(at).1)
    })
    .ok()
    .flatten()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::time::Duration;

    /// A multi-thread runtime of two workers, with I/O and timers (also used by the stream's tests).
    pub(crate) fn multi_thread() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    }

    /// How many idle timers of `runtime` this thread's pool holds (a `block_on` runs its future, and drops
    /// what it holds, on the thread that calls it).
    fn idle_of(runtime: Id) -> usize {
        IDLE.with_borrow(|idle| idle.iter().filter(|(id, _)| *id == runtime).count())
    }

    const SOON: Duration = Duration::from_millis(50);
    const NEVER: Duration = Duration::from_secs(3600);

    #[test]
    fn a_deadline_ends_a_future_that_outlives_it_and_not_one_that_ends_first() {
        let current = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .unwrap();
        for runtime in [multi_thread(), current] {
            runtime.block_on(async {
                let start = Instant::now();
                let late = within(start + SOON, tokio::time::sleep(NEVER)).await;
                assert_eq!(late, None);
                // Generous above: the machine may be busy.
                let waited = start.elapsed();
                assert!(waited >= SOON && waited < NEVER / 2, "{waited:?}");

                let early = within(Instant::now() + NEVER, async {
                    tokio::time::sleep(SOON).await;
                    7
                })
                .await;
                assert_eq!(early, Some(7));
            });
        }
    }

    #[test]
    fn a_timer_is_reused_by_later_deadlines_of_its_multi_thread_runtime_only() {
        let first = multi_thread();
        let second = multi_thread();
        let id = first.handle().id();
        first.block_on(async {
            assert_eq!(within(Instant::now() + NEVER, async { 1 }).await, Some(1));
            assert_eq!(idle_of(id), 1, "the timer went back to the pool");

            // The next deadline takes it, moved, and it still goes off on time.
            let start = Instant::now();
            let taken = within(start + SOON, async {
                assert_eq!(idle_of(id), 0, "the idle timer was taken");
                std::future::pending::<()>().await
            });
            // Bounded, so that a timer left at its old deadline fails the test rather than hangs it.
            let taken = tokio::time::timeout(Duration::from_secs(30), taken).await;
            assert_eq!(
                taken,
                Ok(None),
                "the reused timer goes off at the new deadline"
            );
            assert!(start.elapsed() >= SOON);
            assert_eq!(idle_of(id), 0, "a timer that went off is not kept");

            within(Instant::now() + NEVER, async {}).await;
            assert_eq!(idle_of(id), 1);
        });
        second.block_on(async {
            let other = within(Instant::now() + NEVER, async { idle_of(id) }).await;
            assert_eq!(other, Some(1), "another runtime's timer is not taken");
        });
        assert_eq!(
            idle_of(id),
            0,
            "the thread moved on: the first runtime's timer went"
        );
        assert_eq!(idle_of(second.handle().id()), 1);
        // A full pool drops its oldest timers.
        second.block_on(async {
            let deadline = Instant::now() + NEVER;
            let calls = (0..POOL_SIZE + 8).map(|_| within(deadline, tokio::task::yield_now()));
            futures::future::join_all(calls).await;
        });
        assert_eq!(idle_of(second.handle().id()), POOL_SIZE);
    }

    #[test]
    fn runtimes_made_and_dropped_one_after_another_leave_no_timer_behind() {
        let mut ids = Vec::new();
        for _ in 0..5 {
            let runtime = multi_thread();
            ids.push(runtime.handle().id());
            runtime.block_on(within(Instant::now() + NEVER, async {}));
        }
        let kept: Vec<usize> = ids.iter().map(|&id| idle_of(id)).collect();
        assert_eq!(
            kept,
            [0, 0, 0, 0, 1],
            "only the last runtime's timer is kept"
        );
    }

    #[test]
    fn a_current_thread_runtime_keeps_no_timer() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        runtime.block_on(within(Instant::now() + NEVER, async {}));
        assert_eq!(idle_of(runtime.handle().id()), 0);
    }
}
