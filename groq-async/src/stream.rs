//! Streams of server-sent events as a [`futures::Stream`].

use crate::facade::stream::StreamState;
use crate::transport::HttpResponse;
use futures::stream::{BoxStream, Stream, StreamExt};
use groq_types::accumulate::ChatCompletionAccumulator;
use groq_types::sdk::{Error, StreamItem};
use groq_types::{ChatCompletion, ChatCompletionChunk};
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// A stream of `T` decoded from a `text/event-stream` response. It ends after the server's `[DONE]`; an
/// error (reported by the server, a cut connection, a timeout) is its last item. Dropping it closes the
/// connection at once.
pub struct EventStream<T> {
    inner: BoxStream<'static, Result<T, Error>>,
}

/// The chunks of a streamed chat completion.
pub type ChatCompletionStream = EventStream<ChatCompletionChunk>;

impl<T: StreamItem + Send + 'static> EventStream<T> {
    pub(crate) fn new(response: HttpResponse, timeout: Duration) -> Self {
        // Boxed, so that each item moves a pointer rather than the whole state.
        let state = Box::new(StreamState::<T>::new(response, timeout));
        let inner = futures::stream::unfold(state, |mut state| async move {
            state.next_item().await.map(|item| (item, state))
        });
        Self {
            inner: inner.boxed(),
        }
    }
}

impl<T> Stream for EventStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream").finish_non_exhaustive()
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
