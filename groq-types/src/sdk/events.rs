//! Turns a server-sent event stream into typed items: `[DONE]` ends it, keep-alive events are skipped, and
//! errors reported by the server end it with [`Error::Stream`]. Transport-independent: a client feeds it
//! the bytes it reads.
//!
//! How each event is read:
//! - empty data (`event: ping` alone, a bare `data:`): skipped;
//! - `data: [DONE]`: the end of the stream;
//! - `event: error`: an [`Error::Stream`] with the payload's `error` object, or the payload as the message
//!   (with no payload at all, a generic message);
//! - data that is an item: the item, unless it reports an error itself (`x_groq.error`): then an
//!   [`Error::Stream`];
//! - data that is not an item but an error report (`{"error": {...}}`, `{"error": "text"}`): an
//!   [`Error::Stream`], whatever the event's name;
//! - anything else: in an unnamed event (or `event: message`, the SSE default) a decode error, since the
//!   stream's items are expected there; in an event of another name (`event: ping` with `data: {}`,
//!   `event: heartbeat`…) skipped, as an event this client does not know.

use super::error::{Error, StreamError};
use super::sse::{SseDecoder, SseEvent};
use serde::de::DeserializeOwned;
use std::collections::VecDeque;

/// A streamed item that can itself carry an error report (Groq's `x_groq.error` on a chunk).
pub trait StreamItem: DeserializeOwned {
    /// The error this item reports, if any.
    fn stream_error(&self) -> Option<&str> {
        None
    }
}

/// Decodes a stream of `T` from the bytes of a `text/event-stream` body.
///
/// Each event is interpreted as soon as the decoder completes it, straight from the decoder's buffer (no
/// copy of its data is kept), and what it amounts to waits in a queue for [`next_item`](Self::next_item).
#[derive(Debug)]
pub struct EventParser<T> {
    decoder: SseDecoder,
    /// Items, and a last error, not handed out yet.
    ready: VecDeque<Result<T, Error>>,
    /// Nothing more will be decoded: `[DONE]`, an error, or the end of the input was reached (what came
    /// before it may still wait in `ready`).
    ended: bool,
}

// Nothing in the parser is ever pinned (items wait in a plain queue), so it may move whatever `T` is, as it
// could when it held no `T`.
impl<T> Unpin for EventParser<T> {}

impl<T> Default for EventParser<T> {
    fn default() -> Self {
        Self {
            decoder: SseDecoder::new(),
            ready: VecDeque::new(),
            ended: false,
        }
    }
}

impl<T: StreamItem> EventParser<T> {
    /// A parser at the start of a stream, accepting events up to
    /// [`DEFAULT_MAX_EVENT_SIZE`](super::config::DEFAULT_MAX_EVENT_SIZE) (16 MiB).
    pub fn new() -> Self {
        Self::default()
    }

    /// A parser at the start of a stream that accepts lines and event data of at most `max_event_size`
    /// bytes (a client passes its [`ClientConfig::max_event_size`](super::ClientConfig::max_event_size)).
    /// A larger event ends the stream with [`Error::LimitExceeded`] naming `max_event_size`, and is never
    /// buffered beyond the limit.
    pub fn with_max_event_size(max_event_size: usize) -> Self {
        Self {
            decoder: SseDecoder::with_max_event_size(max_event_size),
            ..Self::default()
        }
    }

    /// The largest line or event data this parser accepts, in bytes.
    pub fn max_event_size(&self) -> usize {
        self.decoder.max_event_size()
    }

    /// How many bytes the parser holds for a partial line and a partial event (not counting decoded events
    /// waiting for [`next_item`](Self::next_item)).
    pub fn buffered_bytes(&self) -> usize {
        self.decoder.buffered_bytes()
    }

    /// Feeds bytes read from the body.
    pub fn feed(&mut self, bytes: &[u8]) {
        if self.ended {
            return;
        }
        let (ready, ended) = (&mut self.ready, &mut self.ended);
        let result = self.decoder.feed_with(bytes, |event| {
            if !*ended {
                queue(interpret::<T>(event), ready, ended);
            }
        });
        if let Err(error) = result {
            queue(Step::Fail(error), &mut self.ready, &mut self.ended);
        }
    }

    /// The next item decoded so far; `None` when more bytes are needed or the stream is over.
    /// After an error, or after `[DONE]`, the stream is over.
    pub fn next_item(&mut self) -> Option<Result<T, Error>> {
        self.ready.pop_front()
    }

    /// Ends the input (the body is over): decodes an event cut before its blank line, then reports a stream
    /// that ended without `[DONE]` as [`Error::IncompleteStream`]. Call [`next_item`](Self::next_item)
    /// until it returns `None` after this.
    pub fn finish(&mut self) {
        if self.ended {
            return;
        }
        if let Some(event) = self.decoder.finish() {
            queue(interpret::<T>(&event), &mut self.ready, &mut self.ended);
        }
        queue(
            Step::Fail(Error::IncompleteStream),
            &mut self.ready,
            &mut self.ended,
        );
    }

    /// Whether the stream is over (`[DONE]`, an error, or the end of the input) and every item before its
    /// end has been handed out.
    pub fn is_finished(&self) -> bool {
        self.ended && self.ready.is_empty()
    }
}

/// Queues what an event amounts to, unless the stream has already ended; `[DONE]` and errors end it.
fn queue<T>(step: Step<T>, ready: &mut VecDeque<Result<T, Error>>, ended: &mut bool) {
    if *ended {
        return;
    }
    match step {
        Step::Skip => {}
        Step::Done => *ended = true,
        Step::Item(item) => ready.push_back(Ok(item)),
        Step::Fail(error) => {
            ready.push_back(Err(error));
            *ended = true;
        }
    }
}

enum Step<T> {
    Skip,
    Done,
    Item(T),
    Fail(Error),
}

fn interpret<T: StreamItem>(event: &SseEvent) -> Step<T> {
    let data = event.data.trim();
    let name = event.event.as_deref();
    if name == Some("error") {
        return Step::Fail(error_event(data));
    }
    if data.is_empty() {
        return Step::Skip;
    }
    if data == "[DONE]" {
        return Step::Done;
    }
    // Items come in unnamed events; `message` is the SSE default name (and an empty `event:` means it).
    let carries_items = matches!(name, None | Some("" | "message"));
    // The common case first: a payload that is an item is an item (its own error report is checked by
    // `item_from`). Only a payload that is not one is looked at as an error report.
    match serde_json::from_str::<T>(data) {
        Ok(item) => item_from(item, data),
        Err(parse_error) => match serde_json::from_str::<serde_json::Value>(data)
            .ok()
            .and_then(StreamError::from_payload)
        {
            Some(error) => Step::Fail(Error::Stream(Box::new(error))),
            None if carries_items => Step::Fail(Error::decode_source(
                "invalid stream event",
                parse_error,
                data.as_bytes(),
            )),
            // An event this client does not know (`event: ping` with `data: {}`…).
            None => Step::Skip,
        },
    }
}

/// An `event: error`: its payload's `error` object when it has one, else the payload as the message (a
/// generic one when there is no payload).
fn error_event(data: &str) -> Error {
    if data.is_empty() {
        return Error::Stream(Box::new(StreamError {
            message: "the server sent an error event without details".to_owned(),
            error_type: None,
            code: None,
            body: serde_json::Value::Null,
        }));
    }
    let body = serde_json::from_str::<serde_json::Value>(data)
        .unwrap_or_else(|_| serde_json::Value::String(data.to_owned()));
    let error = StreamError::from_payload(body.clone()).unwrap_or(StreamError {
        message: data.to_owned(),
        error_type: None,
        code: None,
        body,
    });
    Error::Stream(Box::new(error))
}

fn item_from<T: StreamItem>(item: T, data: &str) -> Step<T> {
    match item.stream_error() {
        Some(message) => Step::Fail(Error::Stream(Box::new(StreamError {
            message: message.to_owned(),
            error_type: None,
            code: None,
            body: serde_json::from_str(data).unwrap_or(serde_json::Value::Null),
        }))),
        None => Step::Item(item),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        n: u32,
        #[serde(default)]
        x_groq: Option<XGroq>,
    }
    #[derive(Debug, Deserialize, PartialEq)]
    struct XGroq {
        error: Option<String>,
    }
    impl StreamItem for Item {
        fn stream_error(&self) -> Option<&str> {
            self.x_groq.as_ref().and_then(|x| x.error.as_deref())
        }
    }

    fn run(bytes: &[u8]) -> Vec<Result<u32, String>> {
        let mut parser = EventParser::<Item>::new();
        parser.feed(bytes);
        parser.finish();
        std::iter::from_fn(|| parser.next_item())
            .map(|r| r.map(|i| i.n).map_err(|e| e.to_string()))
            .collect()
    }

    #[test]
    fn done_ends_the_stream_and_pings_are_skipped() {
        let out = run(b"event: ping\n\ndata: {\"n\":1}\n\n: comment\n\ndata: {\"n\":2}\n\ndata: [DONE]\n\ndata: {\"n\":3}\n\n");
        assert_eq!(out, vec![Ok(1), Ok(2)]);
    }

    #[test]
    fn a_stream_without_done_is_an_error_after_its_last_item() {
        let out = run(b"data: {\"n\":1}\n\ndata: {\"n\":2}");
        assert_eq!(out.len(), 3);
        assert_eq!(out[..2], [Ok(1), Ok(2)]);
        assert!(out[2].as_ref().unwrap_err().contains("ended before"));
    }

    #[test]
    fn error_payloads_end_the_stream_with_their_message() {
        for body in [
            &b"data: {\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}\n\n"[..],
            b"event: error\ndata: {\"error\":{\"message\":\"boom\"}}\n\n",
            b"event: error\ndata: {\"message\":\"boom\"}\n\n",
            b"data: {\"n\":9,\"x_groq\":{\"error\":\"boom\"}}\n\n",
        ] {
            let mut parser = EventParser::<Item>::new();
            parser.feed(body);
            parser.finish();
            match parser.next_item() {
                Some(Err(Error::Stream(e))) => assert_eq!(e.message, "boom"),
                other => panic!("{other:?}"),
            }
            assert!(parser.next_item().is_none());
        }
    }

    #[test]
    fn invalid_json_is_a_decode_error_not_a_panic() {
        let out = run(b"data: {not json\n\n");
        assert!(out[0].as_ref().unwrap_err().contains("decode"));
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn named_events_that_are_not_items_are_skipped() {
        let out = run(concat!(
            "event: ping\ndata: {}\n\n",
            "data: {\"n\":1}\n\n",
            "event: heartbeat\ndata: {\"t\":1}\n\n",
            "event: ping\ndata: not json at all\n\n",
            "event: ping\ndata: [1,2]\n\n",
            "event: usage\ndata: {\"n\":\"x\"}\n\n",
            "data: {\"n\":2}\n\n",
            "data: [DONE]\n\n"
        )
        .as_bytes());
        assert_eq!(out, vec![Ok(1), Ok(2)]);
    }

    #[test]
    fn named_events_that_are_items_are_items() {
        let out = run(
            b"event: chunk\ndata: {\"n\":5}\n\nevent: message\ndata: {\"n\":6}\n\ndata: [DONE]\n\n",
        );
        assert_eq!(out, vec![Ok(5), Ok(6)]);
    }

    #[test]
    fn unnamed_or_message_events_that_are_not_items_are_decode_errors() {
        for body in [
            &b"data: {}\n\n"[..],
            b"event: message\ndata: {}\n\n",
            b"event:\ndata: {\"t\":1}\n\n",
            b"event: message\ndata: nope\n\n",
        ] {
            let mut parser = EventParser::<Item>::new();
            parser.feed(body);
            parser.finish();
            match parser.next_item() {
                Some(Err(e @ Error::Decode { .. })) => assert!(!e.is_connection()),
                other => panic!("{:?}: {other:?}", String::from_utf8_lossy(body)),
            }
            assert!(parser.next_item().is_none());
        }
    }

    #[test]
    fn error_reports_end_the_stream_in_every_form_whatever_the_event_name() {
        for body in [
            &b"data: {\"error\":{\"message\":\"boom\"}}\n\n"[..],
            b"data: {\"error\":\"boom\"}\n\n",
            b"event: message\ndata: {\"error\":{\"message\":\"boom\"}}\n\n",
            b"event: ping\ndata: {\"error\":{\"message\":\"boom\"}}\n\n",
            b"event: error\ndata: {\"error\":{\"message\":\"boom\",\"type\":\"t\"}}\n\n",
            b"event: error\ndata: {\"message\":\"boom\"}\n\n",
            b"event: error\ndata: boom\n\n",
            b"event: ping\ndata: {\"n\":9,\"x_groq\":{\"error\":\"boom\"}}\n\n",
            b"data: {\"n\":9,\"x_groq\":{\"error\":\"boom\"}}\n\n",
        ] {
            let mut parser = EventParser::<Item>::new();
            parser.feed(b"data: {\"n\":1}\n\n");
            parser.feed(body);
            parser.finish();
            assert_eq!(
                parser.next_item().map(|r| r.map(|i| i.n).ok()),
                Some(Some(1))
            );
            match parser.next_item() {
                Some(Err(Error::Stream(e))) => assert_eq!(e.message, "boom"),
                other => panic!("{:?}: {other:?}", String::from_utf8_lossy(body)),
            }
            assert!(parser.next_item().is_none());
        }
        // An error event without a payload is still an error.
        let mut parser = EventParser::<Item>::new();
        parser.feed(b"event: error\n\n");
        parser.finish();
        assert!(matches!(parser.next_item(), Some(Err(Error::Stream(_)))));
        assert!(parser.next_item().is_none());
    }

    #[test]
    fn an_oversized_event_ends_the_stream_after_the_items_before_it() {
        let mut parser = EventParser::<Item>::with_max_event_size(64);
        assert_eq!(parser.max_event_size(), 64);
        parser.feed(b"data: {\"n\":1}\n\ndata: {\"n\":2}\n\ndata: ");
        parser.feed(&[b'7'; 100]);
        assert!(parser.buffered_bytes() <= 64);
        parser.feed(b"\n\ndata: {\"n\":3}\n\n");
        parser.finish();
        assert_eq!(
            parser.next_item().map(|r| r.map(|i| i.n).ok()),
            Some(Some(1))
        );
        assert_eq!(
            parser.next_item().map(|r| r.map(|i| i.n).ok()),
            Some(Some(2))
        );
        match parser.next_item() {
            Some(Err(e)) => {
                assert!(e.is_limit_exceeded() && !e.is_connection() && !e.is_timeout());
                let text = e.to_string();
                assert!(
                    text.contains("max_event_size") && text.contains("64"),
                    "{text}"
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(parser.next_item().is_none());
        assert!(parser.is_finished());
        assert_eq!(EventParser::<Item>::new().max_event_size(), 16 << 20);
    }

    #[test]
    fn a_content_string_mentioning_error_is_still_an_item() {
        let out = run(b"data: {\"n\":4,\"note\":\"error\"}\n\ndata: [DONE]\n\n");
        assert_eq!(out, vec![Ok(4)]);
    }
}
