//! Streams of server-sent events as an [`Iterator`].

use crate::facade::http::HttpResponse;
use crate::stream_state::StreamState;
use groq_types::accumulate::ChatCompletionAccumulator;
use groq_types::sdk::{ClientConfig, Error, StreamItem};
use groq_types::{ChatCompletion, ChatCompletionChunk};
use std::fmt;

/// An iterator of `T` decoded from a `text/event-stream` response. It ends after the server's `[DONE]`; an
/// error (reported by the server, a cut connection, a timeout) is its last item. Dropping it closes the
/// connection at once; read to its `[DONE]`, it leaves the connection to the next call (over HTTP/1.1,
/// once the body's end that follows has been read, after the stream has ended).
pub struct EventStream<T> {
    state: StreamState<T>,
}

/// The chunks of a streamed chat completion.
pub type ChatCompletionStream = EventStream<ChatCompletionChunk>;

impl<T: StreamItem> EventStream<T> {
    pub(crate) fn new(response: HttpResponse, config: &ClientConfig) -> Self {
        Self {
            state: StreamState::new(response, config.max_event_size),
        }
    }
}

impl<T: StreamItem> Iterator for EventStream<T> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.state.next_item()
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
    pub fn accumulate(self) -> Result<ChatCompletion, Error> {
        let mut accumulator = ChatCompletionAccumulator::new();
        for chunk in self {
            accumulator.add(&chunk?);
        }
        Ok(accumulator.finish())
    }
}
