//! Streams of server-sent events as a [`futures::Stream`]: the response body is polled directly and fed
//! to the shared event parser (the transport bounds each wait for a piece of the body).

use crate::body::Body;
use crate::facade::http::HttpResponse;
use futures::stream::{Stream, StreamExt};
use groq_types::accumulate::ChatCompletionAccumulator;
use groq_types::sdk::{ClientConfig, Error, EventParser, StreamItem};
use groq_types::{ChatCompletion, ChatCompletionChunk};
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A stream of `T` decoded from a `text/event-stream` response. It ends after the server's `[DONE]`; an
/// error (reported by the server, a cut connection, a timeout) is its last item. Dropping it closes the
/// connection at once.
pub struct EventStream<T> {
    body: Option<Body>,
    parser: EventParser<T>,
    done: bool,
}

/// The chunks of a streamed chat completion.
pub type ChatCompletionStream = EventStream<ChatCompletionChunk>;

impl<T: StreamItem> EventStream<T> {
    pub(crate) fn new(response: HttpResponse, config: &ClientConfig) -> Self {
        Self {
            body: Some(response.body),
            parser: EventParser::with_max_event_size(config.max_event_size),
            done: false,
        }
    }

    /// Ends the stream and releases the connection at once.
    fn close(&mut self) {
        self.done = true;
        self.body = None;
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
