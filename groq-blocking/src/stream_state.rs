//! The read loop of a blocking event stream: read a piece of the body, feed the shared event parser, hand
//! out items. (The async crate polls its body stream directly, in its own `stream.rs`.)

use crate::body::Body;
use crate::facade::http::HttpResponse;
use groq_types::sdk::{Error, EventParser, StreamItem};

/// The state of a stream of `T` read from an HTTP response.
pub(crate) struct StreamState<T> {
    body: Option<Body>,
    parser: EventParser<T>,
    done: bool,
}

impl<T: StreamItem> StreamState<T> {
    pub(crate) fn new(response: HttpResponse, max_event_size: usize) -> Self {
        Self {
            body: Some(response.body),
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
                self.finish();
                return None;
            }
            let Some(body) = self.body.as_mut() else {
                self.close();
                return None;
            };
            match body.next_chunk() {
                Ok(Some(bytes)) => self.parser.feed(&bytes),
                Ok(None) => {
                    self.body = None;
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
