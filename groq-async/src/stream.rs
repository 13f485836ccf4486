//! Streams of server-sent events as a [`futures::Stream`]. The response body is fed to the shared event
//! parser (the transport bounds each wait for a piece of the body) where the stream is polled: read there
//! directly, or, for a consumer that is not a task of the runtime, from the pieces a task of the runtime
//! reads ahead.
//!
//! Why a task: a consumer that is not a task (the `main` of `#[tokio::main]`, any other `block_on`) would
//! be woken once per piece of the body. On a multi-thread runtime that is a thread hand-off for every few
//! events, since a worker drives the connection. On a current-thread runtime it is a turn of the event
//! loop: tokio polls the I/O driver (an `epoll_wait` system call) before it polls a `block_on` future that
//! a task woke. The reading task runs where the connection's task wakes it (on a current-thread runtime,
//! straight after it, from the run queue) and hands the consumer whatever has arrived since it last
//! looked: one wake-up for many events. How far it may run ahead is bounded (`facade/read_ahead.rs`: 64
//! pieces, large ones within 1 MiB of the body; events may be as large as `max_event_size`).
//!
//! Why the consumer decodes: the task did, until 2026-12-04. Decoding each event in the task as the
//! connection hands it over alternates the connection's code with the decoder's, event by event, each
//! evicting the other from the instruction cache (cachegrind, 20 000 chunks on a current-thread runtime:
//! 3.0× the instruction-cache misses of raw reqwest read by hand, 0.5–0.9× now), and on a multi-thread runtime
//! it put the decoding on the worker that also drives the connection, so that one thread did both while
//! the consumer's waited (20 000 chunks: 124–130 ms then, 38–49 ms now). The consumer now decodes the
//! pieces that have arrived one after another, as `groq-blocking` does. A consumer that is itself a task
//! reads in place: it is already woken from the run queue, on a worker usually the one that drives its
//! connection, and a task in between would only add a hop (measured: 63 ms rather than 54 for 20 000
//! chunks on a multi-thread runtime).

use crate::body::Body;
use crate::facade::http::HttpResponse;
use crate::facade::read_ahead::{self, Next};
use bytes::Bytes;
use futures::stream::{Stream, StreamExt};
use groq_types::accumulate::ChatCompletionAccumulator;
use groq_types::sdk::{ClientConfig, Error, EventParser, StreamItem};
use groq_types::{ChatCompletion, ChatCompletionChunk};
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::runtime::Handle;
use tokio::task::JoinHandle;
use tracing::{Instrument, Span};

/// A stream of `T` decoded from a `text/event-stream` response. It ends after the server's `[DONE]`; an
/// error (reported by the server, a cut connection, a timeout) is its last item. Dropping it closes the
/// connection at once; read to its `[DONE]`, it leaves the connection to the next call (over HTTP/1.1,
/// once the body's end that follows has been read, after the stream has ended).
///
/// Created outside the tasks of a runtime (in the `main` of `#[tokio::main]`, in a `block_on`), its body is
/// read by a task of that runtime, which keeps at most 64 pieces of it (within 2 MiB) ready, decoded as the
/// stream is polled; if the runtime stops that task before the stream's end (it is shut down), the stream
/// ends with [`Error::IncompleteStream`]. Created in a task, it is read where it is polled.
pub struct EventStream<T> {
    /// Boxed: the stream itself stays small to move.
    reader: Box<Reader<T>>,
    /// Whether a task reads the body ahead (see the module's docs).
    read_ahead: bool,
}

/// The chunks of a streamed chat completion.
pub type ChatCompletionStream = EventStream<ChatCompletionChunk>;

impl<T: StreamItem + Send + 'static> EventStream<T> {
    pub(crate) fn new(response: HttpResponse, config: &ClientConfig) -> Self {
        Self::from_body(response.body, config.max_event_size)
    }

    /// The items of `body`, read in place or ahead by a task as the runtime allows (see the module's docs).
    fn from_body(body: Body, max_event_size: usize) -> Self {
        match Handle::try_current() {
            Ok(runtime) if tokio::task::try_id().is_none() => {
                let (sender, pieces) = read_ahead::channel();
                let task = sender.read(body);
                let pieces = ReadAhead {
                    pieces,
                    // What the task logs stays under the caller's span.
                    _reader: AbortOnDrop(runtime.spawn(task.instrument(Span::current()))),
                };
                Self {
                    reader: Box::new(Reader::new(Body::from_stream(pieces), max_event_size)),
                    read_ahead: true,
                }
            }
            _ => Self {
                reader: Box::new(Reader::new(body, max_event_size)),
                read_ahead: false,
            },
        }
    }
}

/// The pieces of a body that a task reads ahead, as a stream of pieces: a task the runtime stopped before
/// the body's end ends it with [`Error::IncompleteStream`].
struct ReadAhead {
    pieces: read_ahead::Receiver<Bytes>,
    /// Held for its `Drop`, which stops the task.
    _reader: AbortOnDrop,
}

impl Stream for ReadAhead {
    type Item = Result<Bytes, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().pieces.poll_next(cx).map(|next| match next {
            Next::Item(piece) => Some(piece),
            Next::End => None,
            Next::Stopped => Some(Err(Error::IncompleteStream)),
        })
    }
}

/// Cancels the reading task, which drops the body and so closes the connection, when the stream is
/// dropped.
struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl<T: StreamItem> Stream for EventStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().reader.poll_next_unpin(cx)
    }
}

/// The body fed to the event parser as it arrives.
struct Reader<T> {
    body: Option<Body>,
    parser: EventParser<T>,
    done: bool,
}

impl<T: StreamItem> Reader<T> {
    fn new(body: Body, max_event_size: usize) -> Self {
        Self {
            body: Some(body),
            parser: EventParser::with_max_event_size(max_event_size),
            done: false,
        }
    }

    /// Ends the stream and releases the connection at once.
    fn close(&mut self) {
        self.done = true;
        self.body = None;
    }

    /// Ends the stream at the server's end marker: the rest of the body is left to [`Body::release`], so
    /// that the connection can be used again.
    fn finish(&mut self) {
        self.done = true;
        if let Some(body) = self.body.take() {
            body.release();
        }
    }
}

impl<T: StreamItem> Stream for Reader<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            if let Some(item) = this.parser.next_item() {
                if item.is_err() {
                    this.close();
                }
                return Poll::Ready(Some(item));
            }
            if this.parser.is_finished() {
                this.finish();
                return Poll::Ready(None);
            }
            let Some(body) = this.body.as_mut() else {
                this.close();
                return Poll::Ready(None);
            };
            match body.poll_next_unpin(cx) {
                Poll::Ready(Some(Ok(bytes))) => this.parser.feed(&bytes),
                Poll::Ready(Some(Err(error))) => {
                    this.close();
                    return Poll::Ready(Some(Err(error)));
                }
                Poll::Ready(None) => {
                    this.body = None;
                    this.parser.finish();
                }
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let read_by = if self.read_ahead {
            "a task, decoded by the consumer"
        } else {
            "the consumer"
        };
        f.debug_struct("EventStream")
            .field("read_by", &read_by)
            .field("done", &self.reader.done)
            .finish_non_exhaustive()
    }
}

impl ChatCompletionStream {
    /// Reads the rest of the stream and assembles the [`ChatCompletion`] it amounts to (content, reasoning
    /// and tool calls joined, usage from the last chunk).
    pub async fn accumulate(mut self) -> Result<ChatCompletion, Error> {
        let mut accumulator = ChatCompletionAccumulator::new();
        while let Some(chunk) = self.next().await {
            accumulator.add(&chunk?);
        }
        Ok(accumulator.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facade::deadline::tests::multi_thread;
    use bytes::Bytes;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    /// A body of one chunk event per piece: `events` of them (then `[DONE]`), or endless (`None`); after
    /// `stall_after` pieces it gives nothing more, ever. It counts the pieces taken and notes its drop.
    struct Events {
        taken: Arc<AtomicUsize>,
        dropped: Arc<AtomicBool>,
        events: Option<usize>,
        stall_after: Option<usize>,
        /// Spaces after each chunk's number, to make large events.
        padding: usize,
    }

    impl Events {
        fn body(
            events: Option<usize>,
            stall_after: Option<usize>,
        ) -> (Body, Arc<AtomicUsize>, Arc<AtomicBool>) {
            Self::padded(events, stall_after, 0)
        }

        fn padded(
            events: Option<usize>,
            stall_after: Option<usize>,
            padding: usize,
        ) -> (Body, Arc<AtomicUsize>, Arc<AtomicBool>) {
            let taken = Arc::new(AtomicUsize::new(0));
            let dropped = Arc::new(AtomicBool::new(false));
            let body = Body::from_stream(Self {
                taken: taken.clone(),
                dropped: dropped.clone(),
                events,
                stall_after,
                padding,
            });
            (body, taken, dropped)
        }
    }

    impl Stream for Events {
        type Item = Result<Bytes, Error>;
        fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            let n = self.taken.load(Ordering::SeqCst);
            if self.stall_after.is_some_and(|stall| n >= stall) {
                return Poll::Pending;
            }
            let piece = match self.events {
                Some(events) if n == events => "data: [DONE]\n\n".to_owned(),
                Some(events) if n > events => return Poll::Ready(None),
                _ => format!(
                    "data: {{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\
                     \"model\":\"m\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"{n}{}\"}},\
                     \"finish_reason\":null}}]}}\n\n",
                    " ".repeat(self.padding)
                ),
            };
            self.taken.fetch_add(1, Ordering::SeqCst);
            Poll::Ready(Some(Ok(Bytes::from(piece))))
        }
    }

    impl Drop for Events {
        fn drop(&mut self) {
            self.dropped.store(true, Ordering::SeqCst);
        }
    }

    /// Waits, for at most 10 s, until `done` holds; whether it did.
    fn eventually(done: impl Fn() -> bool) -> bool {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if done() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        done()
    }

    async fn contents(stream: &mut ChatCompletionStream) -> Vec<String> {
        let mut out = Vec::new();
        while let Some(chunk) = stream.next().await {
            out.push(chunk.unwrap().delta_content().unwrap().to_owned());
        }
        out
    }

    /// A current-thread runtime with I/O and timers.
    fn current_thread() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    /// One runtime of each kind, named.
    fn runtimes() -> [(&'static str, tokio::runtime::Runtime); 2] {
        [
            ("multi-thread", multi_thread()),
            ("current-thread", current_thread()),
        ]
    }

    #[test]
    fn every_way_of_reading_gives_every_item_in_order_and_then_the_end() {
        let expected: Vec<String> = (0..500).map(|n| n.to_string()).collect();
        for (kind, runtime) in runtimes() {
            // Outside the runtime's tasks, a task reads the stream.
            let got = runtime.block_on(async {
                let mut stream =
                    ChatCompletionStream::from_body(Events::body(Some(500), None).0, 1 << 20);
                assert!(
                    format!("{stream:?}").contains("a task"),
                    "{kind}: {stream:?}"
                );
                let got = contents(&mut stream).await;
                assert!(stream.next().await.is_none(), "{kind}");
                got
            });
            assert_eq!(got, expected, "{kind}");

            // A stream created in a task is read in place.
            let got = runtime
                .block_on(async {
                    tokio::spawn(async move {
                        let mut stream = ChatCompletionStream::from_body(
                            Events::body(Some(500), None).0,
                            1 << 20,
                        );
                        assert!(
                            format!("{stream:?}").contains("the consumer"),
                            "{kind}: {stream:?}"
                        );
                        contents(&mut stream).await
                    })
                    .await
                })
                .unwrap();
            assert_eq!(got, expected, "{kind}");
        }
    }

    #[test]
    fn outside_any_runtime_the_stream_is_read_in_place() {
        let mut stream = ChatCompletionStream::from_body(Events::body(Some(3), None).0, 1 << 20);
        assert!(format!("{stream:?}").contains("the consumer"), "{stream:?}");
        let got = futures::executor::block_on(contents(&mut stream));
        assert_eq!(got, ["0", "1", "2"]);
    }

    #[test]
    fn the_reading_task_stays_at_most_the_handoff_capacity_ahead() {
        let runtime = multi_thread();
        let (body, taken, _) = Events::body(None, None);
        let mut stream = runtime.block_on(async {
            let mut stream = ChatCompletionStream::from_body(body, 1 << 20);
            stream.next().await.unwrap().unwrap();
            stream
        });
        // The task reads ahead while nobody consumes...
        assert!(eventually(
            || taken.load(Ordering::SeqCst) > read_ahead::CAPACITY
        ));
        std::thread::sleep(Duration::from_millis(200));
        // ...but no further than the channel holds, one item waiting to be sent, and the one consumed.
        let ahead = taken.load(Ordering::SeqCst);
        assert!(ahead <= read_ahead::CAPACITY + 2, "{ahead} pieces read");
        // Consuming lets it go on.
        runtime.block_on(async {
            for _ in 0..read_ahead::CAPACITY {
                stream.next().await.unwrap().unwrap();
            }
        });
        assert!(eventually(
            || taken.load(Ordering::SeqCst) > ahead + read_ahead::CAPACITY / 2
        ));
    }

    #[test]
    fn the_reading_task_holds_a_bounded_number_of_bytes_ahead() {
        const EVENT: usize = 100 * 1024;
        let budget = read_ahead::BYTES as usize / EVENT;
        let runtime = multi_thread();
        let (body, taken, _) = Events::padded(None, None, EVENT);
        let mut stream = runtime.block_on(async {
            let mut stream = ChatCompletionStream::from_body(body, 1 << 20);
            stream.next().await.unwrap().unwrap();
            stream
        });
        // The task reads ahead while nobody consumes...
        assert!(eventually(|| taken.load(Ordering::SeqCst) > budget));
        std::thread::sleep(Duration::from_millis(200));
        // ...but only the budget's worth of events, one waiting for room, and the one consumed.
        let ahead = taken.load(Ordering::SeqCst);
        assert!(ahead <= budget + 3, "{ahead} events of {EVENT} bytes read");
        // Consuming lets it go on.
        runtime.block_on(async {
            for _ in 0..5 {
                stream.next().await.unwrap().unwrap();
            }
        });
        assert!(eventually(|| taken.load(Ordering::SeqCst) > ahead + 2));
    }

    #[test]
    fn the_task_reads_pieces_ahead_within_the_capacity_on_a_current_thread_runtime_too() {
        let runtime = current_thread();
        let (body, taken, _) = Events::body(None, None);
        runtime.block_on(async {
            let mut stream = ChatCompletionStream::from_body(body, 1 << 20);
            assert!(
                format!("{stream:?}").contains("decoded by the consumer"),
                "{stream:?}"
            );
            assert_eq!(
                stream.next().await.unwrap().unwrap().delta_content(),
                Some("0")
            );
            // The task gets turns while nobody consumes: it reads ahead...
            for _ in 0..1000 {
                tokio::task::yield_now().await;
            }
            let ahead = taken.load(Ordering::SeqCst);
            assert!(ahead > read_ahead::CAPACITY, "{ahead} pieces read");
            // ...but no further than the channel holds, one piece waiting to be sent, and the one
            // consumed.
            assert!(ahead <= read_ahead::CAPACITY + 2, "{ahead} pieces read");
            // The consumer decodes the pieces read ahead, in order, and consuming lets the task go on.
            for n in 1..=read_ahead::CAPACITY {
                let chunk = stream.next().await.unwrap().unwrap();
                assert_eq!(chunk.delta_content(), Some(n.to_string().as_str()));
            }
            for _ in 0..1000 {
                tokio::task::yield_now().await;
            }
            let now = taken.load(Ordering::SeqCst);
            assert!(now > ahead + read_ahead::CAPACITY / 2, "{now} pieces read");
        });
    }

    #[test]
    fn dropping_the_stream_stops_the_task_and_releases_the_body() {
        for (kind, runtime) in runtimes() {
            let (body, _, dropped) = Events::body(None, Some(3));
            runtime.block_on(async {
                let mut stream = ChatCompletionStream::from_body(body, 1 << 20);
                stream.next().await.unwrap().unwrap();
                drop(stream);
                // A current-thread runtime runs the cancelled task when it next gets a turn.
                tokio::task::yield_now().await;
            });
            assert!(
                eventually(|| dropped.load(Ordering::SeqCst)),
                "{kind}: the body is still held"
            );
        }
    }

    #[test]
    fn a_task_stopped_by_the_runtime_ends_the_stream_with_an_error() {
        for (kind, runtime) in runtimes() {
            let (body, _, _) = Events::body(None, Some(3));
            let mut stream = runtime.block_on(async {
                let mut stream = ChatCompletionStream::from_body(body, 1 << 20);
                assert!(
                    format!("{stream:?}").contains("a task"),
                    "{kind}: {stream:?}"
                );
                for _ in 0..3 {
                    stream.next().await.unwrap().unwrap();
                }
                stream
            });
            // The body stalls; the runtime goes away with the task that waits on it.
            runtime.shutdown_timeout(Duration::from_secs(10));
            let next = futures::executor::block_on(stream.next());
            assert!(
                matches!(next, Some(Err(Error::IncompleteStream))),
                "{kind}: {next:?}"
            );
            assert!(
                futures::executor::block_on(stream.next()).is_none(),
                "{kind}"
            );
        }
    }
}
