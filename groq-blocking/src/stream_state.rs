//! The read loop of a blocking event stream: read a piece of the body, feed the shared event parser, hand
//! out items. (The async crate polls its body stream directly, in its own `stream.rs`.)

use crate::transport::{self, HttpResponse};
use groq_types::sdk::{Error, EventParser, StreamItem};
use std::time::Duration;

/// The state of a stream of `T` read from an HTTP response.
pub(crate) struct StreamState<T> {
    response: Option<HttpResponse>,
    parser: EventParser<T>,
    timeout: Duration,
    done: bool,
}

impl<T: StreamItem> StreamState<T> {
    pub(crate) fn new(response: HttpResponse, timeout: Duration) -> Self {
        Self {
            response: Some(response),
            parser: EventParser::new(),
            timeout,
            done: false,
        }
    }

    /// Ends the stream and releases the connection at once.
    fn close(&mut self) {
        self.done = true;
        self.response = None;
    }

    /// The next item, `None` once the stream is over. After an error the stream is over.
    pub(crate) fn next_item(&mut self) -> Option<Result<T, Error>> {
        loop {
            if self.done {
                return None;
            }
            if let Some(item) = self.parser.next_item() {
                if item.is_err() {
                    self.close();
                }
                return Some(item);
            }
            if self.parser.is_finished() {
                self.close();
                return None;
            }
            let Some(response) = self.response.as_mut() else {
                self.close();
                return None;
            };
            match transport::next_chunk(response, self.timeout) {
                Ok(Some(bytes)) => self.parser.feed(&bytes),
                Ok(None) => {
                    self.response = None;
                    self.parser.finish();
                }
                Err(error) => {
                    self.close();
                    return Some(Err(error));
                }
            }
        }
    }
}
