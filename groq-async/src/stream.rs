//! Streams of server-sent events as a [`futures::Stream`]: the response body is polled directly and fed
//! to the shared event parser, with an idle timer armed only while the body has nothing to give.

use crate::transport::HttpResponse;
use bytes::Bytes;
use futures::stream::{BoxStream, Stream, StreamExt};
use groq_types::accumulate::ChatCompletionAccumulator;
use groq_types::sdk::{Error, EventParser, StreamItem};
use groq_types::{ChatCompletion, ChatCompletionChunk};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// A stream of `T` decoded from a `text/event-stream` response. It ends after the server's `[DONE]`; an
/// error (reported by the server, a cut connection, a timeout) is its last item. Dropping it closes the
/// connection at once.
pub struct EventStream<T> {
    body: Option<BoxStream<'static, reqwest::Result<Bytes>>>,
    parser: EventParser<T>,
    timeout: Duration,
    idle: Option<Pin<Box<tokio::time::Sleep>>>,
    done: bool,
}

/// The chunks of a streamed chat completion.
pub type ChatCompletionStream = EventStream<ChatCompletionChunk>;

impl<T: StreamItem> EventStream<T> {
    pub(crate) fn new(response: HttpResponse, timeout: Duration) -> Self {
        Self {
            body: Some(response.bytes_stream().boxed()),
            parser: EventParser::new(),
            timeout,
            idle: None,
            done: false,
        }
    }

    /// Ends the stream and releases the connection at once.
    fn close(&mut self) {
        self.done = true;
        self.body = None;
        self.idle = None;
    }
}

impl<T: StreamItem> Stream for EventStream<T> {
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
                this.close();
                return Poll::Ready(None);
            }
            let Some(body) = this.body.as_mut() else {
                this.close();
                return Poll::Ready(None);
            };
            match body.poll_next_unpin(cx) {
                Poll::Ready(Some(Ok(bytes))) => {
                    this.idle = None;
                    this.parser.feed(&bytes);
                }
                Poll::Ready(Some(Err(error))) => {
                    this.close();
                    return Poll::Ready(Some(Err(crate::facade::client::transport_error(error))));
                }
                Poll::Ready(None) => {
                    this.body = None;
                    this.idle = None;
                    this.parser.finish();
                }
                Poll::Pending => {
                    let timeout = this.timeout;
                    let idle = this
                        .idle
                        .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
                    if idle.as_mut().poll(cx).is_ready() {
                        this.close();
                        return Poll::Ready(Some(Err(Error::timeout(
                            format!("no data for {timeout:?} in the middle of the stream"),
                            None,
                        ))));
                    }
                    return Poll::Pending;
                }
            }
        }
    }
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("done", &self.done)
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
