//! The blocking reqwest transport: the shared async reqwest code (`facade/reqwest.rs`) driven from the
//! calling thread on a current-thread tokio runtime that the transport owns.
//!
//! The thread that calls does the I/O itself, so a call costs no hand-off to another thread, and a
//! stream costs none per piece (reqwest's own blocking client hops to its runtime thread for every
//! read): a task reads the body next to the connection while the caller drives the runtime, and the
//! caller takes the pieces it has read in between.
//!
//! One thread at a time drives that runtime: a call holds it while it runs, a stream while it is open. A
//! call made while it is held (from another thread, or from a thread that has a stream open) runs instead
//! as a task of a second runtime, driven by a thread of its own and with a connection pool of its own
//! (connections belong to the runtime that opened them), started on first need; so does a call made while
//! calls are running there. Many threads then share that thread's event loop as async tasks would, each
//! woken once when its call is done, rather than queueing to drive one runtime in turn, or each driving
//! it for its call alone while the others are served together.
//!
//! Your own reqwest client ([`http_client`](crate::ClientBuilder::http_client)) gets no caller-driven
//! runtime: its pool may be shared (with other clients, or with your own tokio code), and a connection
//! left in it by a runtime that runs only while its caller waits would hang whoever took it next. Its
//! calls all run on one runtime shared by every such client of the process, driven by a thread of its own
//! for as long as the process runs, so that every connection they open is always serviced, whoever uses
//! it, and outlives the client that opened it.

use crate::body::Body;
use crate::facade::http::{HttpRequest, HttpResponse, Transport, RELEASE_WAIT};
use crate::facade::read_ahead::{self, Next};
use crate::facade::reqwest::{self as shared, ReceivedBody};
use crate::runtime::Place;
use bytes::Bytes;
use futures::FutureExt;
use groq_types::sdk::{ClientConfig, Error};
use std::fmt;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::task::{Context, Poll, Waker};
use tokio::task::JoinHandle;

/// The transport a [`Client`](crate::Client) uses unless given another: reqwest's async client, driven
/// from the calling thread.
#[derive(Clone)]
pub(crate) struct ReqwestTransport {
    lanes: Arc<Lanes>,
}

impl fmt::Debug for ReqwestTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReqwestTransport").finish_non_exhaustive()
    }
}

/// Builds the reqwest client of the spare lane.
type ClientFactory = Box<dyn Fn() -> Result<reqwest::Client, Error> + Send + Sync>;

/// Where calls run: the caller-driven lane, and the spare one for calls made while it is held.
///
/// Over a user's client there is no caller-driven lane (`local` is `None`, so no call takes it), and the
/// spare lane, set from the start, is the runtime shared by all such clients ([`shared_runtime`]).
struct Lanes {
    local: Option<Lane>,
    /// Whether a call or an open stream holds `local`.
    local_held: AtomicBool,
    /// Calls running on the spare lane ([`SpareCall`]). While there are any, new calls join them there
    /// rather than take `local`: on one event loop, many calls in flight are served together.
    spare_calls: AtomicUsize,
    /// How to build the spare lane's client; `None` for a client given by the user (its spare lane is set
    /// from the start).
    factory: Option<ClientFactory>,
    /// The spare lane, started on first need (`None` if it could not be started).
    spare: OnceLock<Option<Spare>>,
}

/// The spare lane: a current-thread runtime driven by a thread of its own, and the client whose
/// connections live on it.
struct Spare {
    client: reqwest::Client,
    handle: tokio::runtime::Handle,
    /// Dropping it ends the runtime's thread; `None` on the shared runtime, which runs as long as the
    /// process.
    _stop: Option<futures::channel::oneshot::Sender<()>>,
}

/// A runtime and the reqwest client whose connections live on it.
struct Lane {
    client: reqwest::Client,
    runtime: OwnedRuntime,
    /// When the last call on it ended (used on the caller-driven lane only).
    last_call: CallClock,
}

/// How long the caller-driven lane may sit idle before a call first lets its pooled connections see
/// whether the server closed them meanwhile ([`SEE_CLOSED_TURNS`]). Back-to-back calls skip those
/// turns, which cost about as much as 5 % of a local call's instructions; a call after a pause, when a
/// server or a load balancer may have closed an idle connection, takes them.
const IDLE_BEFORE_CHECK: std::time::Duration = std::time::Duration::from_millis(1);

/// When the last call on a lane ended, in microseconds since the lane was made (0: no call yet).
struct CallClock {
    made: std::time::Instant,
    last_end_us: AtomicU64,
}

impl CallClock {
    fn new() -> Self {
        Self {
            made: std::time::Instant::now(),
            last_end_us: AtomicU64::new(0),
        }
    }

    fn now_us(&self) -> u64 {
        u64::try_from(self.made.elapsed().as_micros()).unwrap_or(u64::MAX)
    }

    /// Whether a call has ended on the lane, and longer than [`IDLE_BEFORE_CHECK`] ago.
    fn idle(&self) -> bool {
        let last = self.last_end_us.load(Ordering::Relaxed);
        let idle_us = u64::try_from(IDLE_BEFORE_CHECK.as_micros()).unwrap_or(u64::MAX);
        last != 0 && self.now_us().saturating_sub(last) > idle_us
    }

    fn ended(&self) {
        self.last_end_us
            .store(self.now_us().max(1), Ordering::Relaxed);
    }
}

impl ReqwestTransport {
    /// A transport over the user's own `client`: every call runs on the runtime shared by all such
    /// transports, whose own thread always drives it (never on one driven by its callers).
    pub(crate) fn new(client: reqwest::Client) -> Result<Self, Error> {
        let spare = OnceLock::new();
        let _ = spare.set(Some(Spare {
            client,
            handle: shared_runtime()?,
            _stop: None,
        }));
        Ok(Self {
            lanes: Arc::new(Lanes {
                local: None,
                local_held: AtomicBool::new(false),
                spare_calls: AtomicUsize::new(0),
                factory: None,
                spare,
            }),
        })
    }

    /// A transport over a client built from `config`, able to build a second one for the spare lane.
    pub(crate) fn from_config(config: &ClientConfig) -> Result<Self, Error> {
        let config = config.clone();
        let client = shared::build_client(&config)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(runtime_error)?;
        Ok(Self {
            lanes: Arc::new(Lanes {
                local: Some(Lane {
                    client,
                    runtime: OwnedRuntime(Some(runtime)),
                    last_call: CallClock::new(),
                }),
                local_held: AtomicBool::new(false),
                spare_calls: AtomicUsize::new(0),
                factory: Some(Box::new(move || shared::build_client(&config))),
                spare: OnceLock::new(),
            }),
        })
    }
}

fn runtime_error(error: std::io::Error) -> Error {
    Error::Config(format!("cannot start the client's I/O runtime: {error}"))
}

/// Starts a current-thread runtime driven by a thread of its own, named `name`, until `stop` is over.
fn runtime_thread(
    name: &str,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<tokio::runtime::Handle, std::io::Error> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let handle = runtime.handle().clone();
    std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            runtime.block_on(stop);
            runtime.shutdown_background();
        })?;
    Ok(handle)
}

/// The runtime of every transport over a user's reqwest client, started on first need and driven by its
/// thread for as long as the process runs.
///
/// A user's client is a pool that may be shared: by several clients, or with the user's own tokio code. A
/// connection in it runs as a task of the runtime that opened it, and whoever takes it from the pool next
/// needs that runtime to run. A runtime driven by its callers runs only while one of them waits, and one
/// owned by a client stops with it; this one always runs.
///
/// It is kept with the id of the process that started it: a child made by `fork()` has none of its
/// parent's threads, so a client built there starts one of its own rather than wait on a runtime that
/// nothing drives.
fn shared_runtime() -> Result<tokio::runtime::Handle, Error> {
    static SHARED: Mutex<Option<(u32, tokio::runtime::Handle)>> = Mutex::new(None);
    let mut shared = SHARED.lock().unwrap_or_else(PoisonError::into_inner);
    let process = std::process::id();
    if let Some((started_by, handle)) = shared.as_ref() {
        if *started_by == process {
            return Ok(handle.clone());
        }
    }
    let handle =
        runtime_thread("groq-blocking-shared", std::future::pending()).map_err(runtime_error)?;
    *shared = Some((process, handle.clone()));
    Ok(handle)
}

impl Lanes {
    /// Takes the caller-driven lane for a call, unless there is none, someone holds it or calls are running
    /// on the spare lane.
    ///
    /// Why not take it whenever it is free: with many threads calling at once, most calls run on the
    /// spare lane, whose thread serves them together, one turn of its event loop (one `epoll_wait`) for
    /// many of them. A call that took the free caller-driven lane instead would wait for its answer alone,
    /// and leave the spare lane's thread more often idle, parked and woken again (in the bench's 64
    /// threads: several times as many `epoll_wait` calls and more CPU time; ARCHITECTURE.md).
    fn take_local(self: &Arc<Self>) -> Option<LocalHold> {
        if self.local.is_none() || self.spare_calls.load(Ordering::Relaxed) > 0 {
            return None;
        }
        self.local_held
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
            .then(|| LocalHold(Arc::clone(self)))
    }

    /// The spare lane, started on first need (set from the start over a user's client); `None` if it
    /// cannot start.
    fn spare(&self) -> Option<&Spare> {
        self.spare
            .get_or_init(|| {
                let client = self.factory.as_ref()?().ok()?;
                let (stop, stopped) = futures::channel::oneshot::channel::<()>();
                let handle = runtime_thread("groq-blocking-io", async move {
                    let _ = stopped.await;
                })
                .ok()?;
                Some(Spare {
                    client,
                    handle,
                    _stop: Some(stop),
                })
            })
            .as_ref()
    }

    /// The caller-driven lane (none over a user's client).
    fn local(&self) -> Result<&Lane, Error> {
        self.local.as_ref().ok_or_else(gone)
    }
}

/// The hold of a call or a stream on the caller-driven lane, released when dropped.
struct LocalHold(Arc<Lanes>);

impl Drop for LocalHold {
    fn drop(&mut self) {
        self.0.local_held.store(false, Ordering::Release);
    }
}

/// A call running on the spare lane, counted in [`Lanes::spare_calls`] from before it is handed over until
/// it ends or is dropped.
struct SpareCall(Arc<Lanes>);

impl SpareCall {
    fn new(lanes: &Arc<Lanes>) -> Self {
        lanes.spare_calls.fetch_add(1, Ordering::Relaxed);
        Self(Arc::clone(lanes))
    }
}

impl Drop for SpareCall {
    fn drop(&mut self) {
        self.0.spare_calls.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Which runtime a streamed body's connection lives on.
enum StreamLane {
    /// The caller-driven one: held by this stream, or shared with the holder when the spare lane could
    /// not start.
    Local(Option<LocalHold>, Arc<Lanes>),
    /// The spare one.
    Spare(Arc<Lanes>),
}

impl StreamLane {
    /// Runs `future` to its end from the calling thread: driving the caller-driven runtime, or waiting
    /// for the spare one, whose thread drives it (without entering it: the caller may be a thread of a
    /// tokio runtime, where entering another one panics).
    fn block_on<F: std::future::Future>(&self, future: F) -> Result<F::Output, Error> {
        match self {
            Self::Local(_, lanes) => Ok(lanes.local()?.runtime.get()?.block_on(future)),
            Self::Spare(_) => Ok(wait_parked(future)),
        }
    }

    /// Starts `task` on the lane's runtime (on the caller-driven one, it runs while a caller drives it).
    fn spawn(
        &self,
        task: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<JoinHandle<()>, Error> {
        Ok(match self {
            Self::Local(_, lanes) => lanes.local()?.runtime.get()?.spawn(task),
            Self::Spare(lanes) => lanes.spare_handle()?.spawn(task),
        })
    }
}

impl Lanes {
    /// The spare lane's runtime, once started.
    fn spare_handle(&self) -> Result<&tokio::runtime::Handle, Error> {
        match self.spare.get() {
            Some(Some(spare)) => Ok(&spare.handle),
            _ => Err(gone()),
        }
    }
}

/// Runs `future`, whose progress another thread's runtime makes, to its end: this thread parks until that
/// runtime wakes it. Unlike `Handle::block_on`, it enters no runtime, so it may wait anywhere blocking is
/// allowed, on a thread of a tokio runtime too; unlike `futures::executor::block_on`, it enters no
/// executor either, so a caller inside one (`tests/tests/blocking_threads.rs`) may wait here.
fn wait_parked<F: std::future::Future>(future: F) -> F::Output {
    /// Wakes the waiting thread.
    struct Unpark(std::thread::Thread);
    impl std::task::Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
        fn wake_by_ref(self: &Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        std::thread::park();
    }
}

impl Transport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        self.exchange(request)
    }
}

impl ReqwestTransport {
    /// Sends `request`: what [`Transport::send`] does, as an inherent method the client calls directly.
    pub(crate) fn exchange(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        let place = crate::runtime::check_context()?;
        let lanes = &self.lanes;
        // A thread of a tokio runtime (`spawn_blocking`) never drives the caller-driven one: it waits for
        // the spare lane.
        let hold = match place {
            Place::Here => lanes.take_local(),
            Place::Aside => None,
        };
        let spare = match hold {
            Some(_) => None,
            None => lanes.spare(),
        };
        let (received, lane) = match spare {
            None if place == Place::Aside => return Err(no_spare_lane()),
            None => {
                let local = lanes.local()?;
                let runtime = local.runtime.get()?;
                let client = &local.client;
                let idle = local.last_call.idle();
                // Handed to reqwest inside the runtime: reqwest may start timers of its own then.
                let received = runtime.block_on(async {
                    if idle {
                        turns(SEE_CLOSED_TURNS).await;
                    }
                    shared::send(client, request).await
                });
                local.last_call.ended();
                (received?, StreamLane::Local(hold, Arc::clone(lanes)))
            }
            Some(spare) => {
                // The call runs on the spare lane's thread (the body too, unless streamed); this one
                // wakes once, at its end. It waits on a channel, not in an executor: the caller may be
                // inside one (`futures::executor::block_on`), where another would refuse to start.
                let client = spare.client.clone();
                let counted = SpareCall::new(lanes);
                let (done, outcome) = std::sync::mpsc::sync_channel(1);
                spare.handle.spawn(async move {
                    let result = AssertUnwindSafe(async { shared::send(&client, request).await })
                        .catch_unwind()
                        .await;
                    // No longer counted once the caller wakes: its next call may take the
                    // caller-driven lane.
                    drop(counted);
                    let _ = done.send(result);
                });
                let received = match outcome.recv() {
                    Ok(Ok(received)) => received?,
                    // Its panic goes on in the caller.
                    Ok(Err(panic)) => std::panic::resume_unwind(panic),
                    // Dropped unfinished: the runtime is shutting down.
                    Err(_) => return Err(gone()),
                };
                (received, StreamLane::Spare(Arc::clone(lanes)))
            }
        };
        let body = match received.body {
            // The lane's hold, if any, goes when this returns.
            ReceivedBody::Whole(bytes) => Body::from(bytes),
            ReceivedBody::Streamed(pieces) => Body::read_by(Pieces::new(lane, pieces)?),
        };
        Ok(HttpResponse::new(received.status, received.headers, body))
    }
}

/// The turns that let the caller-driven runtime's pooled connections see what happened to them since the
/// last call.
///
/// Nothing drives that runtime between calls, so a connection the server closed meanwhile (servers and
/// load balancers close idle ones) still looks open to the pool, which would hand it to this call: the
/// request would be written to a closed socket and fail, and a request that cannot be retried (an upload
/// from a reader) would be lost. Two turns of the runtime first: in the first it polls its I/O driver
/// (without waiting), which wakes the connections that were closed; in the second they run, and leave the
/// pool. groq-async's connections see a close when it comes, as their runtime is driven all the time.
/// Taken after the lane sat idle for [`IDLE_BEFORE_CHECK`].
const SEE_CLOSED_TURNS: usize = 2;

/// Gives the runtime `n` turns: each time the future yields, a current-thread runtime polls its I/O
/// driver without waiting and runs the tasks that woke.
async fn turns(n: usize) {
    turns_until(n, || false).await;
}

/// Gives the runtime turns, as [`turns`] does, until `done` or after `n` of them.
async fn turns_until(n: usize, done: impl Fn() -> bool) {
    for _ in 0..n {
        if done() {
            return;
        }
        tokio::task::yield_now().await;
    }
}

fn gone() -> Error {
    Error::Config("the client's I/O runtime is gone".into())
}

/// A call from a thread of a tokio runtime, which waits for the spare lane, found that it could not start.
fn no_spare_lane() -> Error {
    Error::Config(
        "cannot start the client's I/O thread, which a call from a thread of a tokio runtime waits on"
            .into(),
    )
}

/// The pieces of a streamed body, read by a task of the runtime its connection lives on and taken from
/// the calling thread.
///
/// Why a task: awaiting each piece from the calling thread (`block_on` per piece) would enter the runtime
/// and poll its I/O driver (an `epoll_wait` system call) once per piece, and an event stream sends a piece
/// per event. The task runs next to the connection's task whenever the runtime is driven, and the caller
/// takes what it has read without entering the runtime; it drives the runtime only when nothing is ready.
/// On the caller-driven runtime, that is also the only time the task (and the connection) makes progress,
/// so a caller that stops reading stops the body, as before. How far the task may run ahead is bounded
/// (`facade/read_ahead.rs`: an event stream's pieces are small, a download's may be large).
pub(crate) struct Pieces {
    lane: StreamLane,
    /// What the task has read; `None` once the body is over.
    pieces: Option<read_ahead::Receiver<Bytes>>,
    /// The reading task, cancelled when the stream is dropped before its end.
    reader: Option<JoinHandle<()>>,
}

impl Pieces {
    fn new(lane: StreamLane, body: shared::ChunkStream) -> Result<Self, Error> {
        let (sender, pieces) = read_ahead::channel();
        let task = sender.read(body);
        let reader = lane.spawn(task)?;
        Ok(Self {
            lane,
            pieces: Some(pieces),
            reader: Some(reader),
        })
    }

    /// The stream is over: its task is stopped if it still runs, and its hold on the caller-driven lane
    /// goes.
    fn end(&mut self) {
        self.pieces = None;
        if let Some(reader) = self.reader.take() {
            reader.abort();
        }
        if let StreamLane::Local(hold, _) = &mut self.lane {
            *hold = None;
        }
    }

    /// Lets the task read the body to its end, after the stream's end marker (`[DONE]`): what follows is
    /// normally only that end, and a body read to it leaves its connection to the pool, where one dropped
    /// before it closes the connection. The caller-driven runtime gets up to [`RELEASE_TURNS`] turns now,
    /// for an end already in; then the task is left to finish, for at most [`RELEASE_WAIT`] (on the
    /// caller-driven runtime, as it is next driven: a call that follows a pause gives it turns before it
    /// takes a connection). Past that, or at a piece after the end marker (there is no one to take it), it
    /// stops and the connection closes, as for a stream dropped early.
    pub(crate) fn release(&mut self) {
        let Some(reader) = self.reader.take() else {
            return;
        };
        if let (StreamLane::Local(..), Ok(Place::Here)) =
            (&self.lane, crate::runtime::check_context())
        {
            let _ = self
                .lane
                .block_on(turns_until(RELEASE_TURNS, || reader.is_finished()));
        }
        if reader.is_finished() {
            return;
        }
        let stop = reader.abort_handle();
        // From now, not from when the task is first polled: on the caller-driven runtime that is the next
        // call, however late. Read from the system's clock: a clock paused on the caller's own runtime
        // (tokio's `test-util`) is not the one the lane's runtime keeps.
        let deadline = tokio::time::Instant::from_std(std::time::Instant::now() + RELEASE_WAIT);
        let bounded = async move {
            if tokio::time::timeout_at(deadline, reader).await.is_err() {
                stop.abort();
            }
        };
        // An error means the runtime is gone, and its tasks with it.
        let _ = self.lane.spawn(bounded);
    }

    /// The next thing the task hands over: one it has already read, or one the runtime is driven for.
    ///
    /// A stream opened on a plain thread and read on a thread of a tokio runtime (`place` is
    /// [`Place::Aside`]) has its connection on the caller-driven runtime, which is not driven from there
    /// (that thread may be inside a runtime: an `unconstrained` task): a thread of its own drives it for
    /// each wait, the slow way, rather than refuse.
    fn take(&mut self, place: Place) -> Result<Next<Bytes>, Error> {
        let pieces = self.pieces.as_mut().ok_or_else(gone)?;
        // What is ready is taken without entering the runtime.
        match pieces.poll_next(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(next) => Ok(next),
            Poll::Pending
                if place == Place::Aside && matches!(self.lane, StreamLane::Local(..)) =>
            {
                let lane = &self.lane;
                std::thread::scope(|scope| {
                    let driver = std::thread::Builder::new()
                        .name("groq-blocking-read".into())
                        .spawn_scoped(scope, || {
                            lane.block_on(std::future::poll_fn(|cx| pieces.poll_next(cx)))
                        })
                        .map_err(|e| {
                            Error::Config(format!("cannot start a thread to read the stream: {e}"))
                        })?;
                    driver
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
            }
            Poll::Pending => self
                .lane
                .block_on(std::future::poll_fn(|cx| pieces.poll_next(cx))),
        }
    }
}

impl Iterator for Pieces {
    type Item = Result<Bytes, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.pieces.as_ref()?;
        let item = match crate::runtime::check_context().and_then(|place| self.take(place)) {
            Ok(Next::Item(piece)) => Some(piece),
            Ok(Next::End) => None,
            // The task stopped before the end: its runtime is shutting down.
            Ok(Next::Stopped) => Some(Err(gone())),
            Err(error) => Some(Err(error)),
        };
        if !matches!(item, Some(Ok(_))) {
            self.end();
        }
        item
    }
}

impl Drop for Pieces {
    /// A stream dropped before its end closes its connection at once: its task is cancelled, and the
    /// runtime runs just long enough for the task to go and the connection's task to see that its body is
    /// gone (on the caller-driven runtime, tasks run only while a thread drives it).
    fn drop(&mut self) {
        let Some(reader) = self.reader.take() else {
            return;
        };
        reader.abort();
        match crate::runtime::check_context() {
            // The spare lane's thread drives its runtime all the time: no turns to give it.
            Ok(Place::Here) => {
                if let StreamLane::Local(..) = self.lane {
                    let _ = self.lane.block_on(turns(CLOSE_TURNS));
                }
            }
            // This thread runs a tokio runtime and may not drive the caller-driven one: a thread of its
            // own does, so that the connection closes now rather than at the client's next call. (The
            // spare lane's thread drives its runtime all the time; and a thread whose thread-locals are
            // being destroyed is left alone: starting a thread there is not safe.)
            Ok(Place::Aside) | Err(Error::BlockingInAsyncContext) => {
                if let StreamLane::Local(hold, lanes) = &mut self.lane {
                    let hold = hold.take();
                    let lanes = Arc::clone(lanes);
                    let _ = std::thread::Builder::new()
                        .name("groq-blocking-close".into())
                        .spawn(move || {
                            if let Ok(runtime) = lanes.local().and_then(|local| local.runtime.get())
                            {
                                runtime.block_on(turns(CLOSE_TURNS));
                            }
                            drop(hold);
                        });
                }
            }
            Err(_) => {}
        }
    }
}

/// How many turns the runtime gets, when a stream is dropped early, to close its connection.
const CLOSE_TURNS: usize = 4;

/// How many turns the caller-driven runtime gets, at most, after a stream's end marker, for a body's end
/// already in to be read ([`Pieces::release`]).
const RELEASE_TURNS: usize = 8;

/// A runtime of the transport. Dropped without waiting for its tasks (a pooled connection's), so that a
/// client may be dropped anywhere, a tokio task included.
struct OwnedRuntime(Option<tokio::runtime::Runtime>);

impl OwnedRuntime {
    fn get(&self) -> Result<&tokio::runtime::Runtime, Error> {
        self.0.as_ref().ok_or_else(gone)
    }
}

impl Drop for OwnedRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}
