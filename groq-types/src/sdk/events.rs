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
//!   [`Error::Stream`], whatever the event's name; in an unnamed event (or `event: message`) a bare
//!   `{"message": ...}` object too;
//! - anything else: in an unnamed event (or `event: message`, the SSE default) a decode error, since the
//!   stream's items are expected there; in an event of another name (`event: ping` with `data: {}`,
//!   `event: heartbeat`…) skipped, as an event this client does not know.

use super::error::{Error, StreamError};
use super::sse::{SseDecoder, SseEvent};
use serde::de::DeserializeOwned;
use std::collections::VecDeque;

/// The largest data buffer kept for reuse once its event has been decoded; a larger one is released.
const KEPT_DATA_CAPACITY: usize = 64 * 1024;

/// How many emptied data buffers are kept for the decoder's next events.
const SPARE_BUFFERS: usize = 4;

/// A streamed item that can itself carry an error report (Groq's `x_groq.error` on a chunk).
pub trait StreamItem: DeserializeOwned {
    /// The error this item reports, if any.
    fn stream_error(&self) -> Option<&str> {
        None
    }
}

/// Decodes a stream of `T` from the bytes of a `text/event-stream` body.
///
/// Each event is sorted as soon as the decoder completes it: `[DONE]`, keep-alives and error events are
/// dealt with at once, and any other event waits with its data (the decoder's own buffer, swapped for an
/// emptied one, so nothing is copied). That data is decoded into a `T` only by
/// [`next_item`](Self::next_item), so that an item, however large, is built once and handed straight out
/// rather than queued.
#[derive(Debug)]
pub struct EventParser<T> {
    decoder: SseDecoder,
    /// Events not handed out yet, and a last error.
    ready: VecDeque<Pending>,
    /// The data of the event last decoded by `next_item` (kept to be reused once the next one is taken).
    current: String,
    /// Emptied data buffers, handed to the decoder in exchange for the data of the events it completes.
    spare: Vec<String>,
    /// No more events will be queued: `[DONE]`, an error, or the end of the input was reached (what came
    /// before it may still wait in `ready`; an error found there when it is decoded ends the stream too).
    ended: bool,
    /// The parser holds no `T`: it decodes them on demand.
    item: std::marker::PhantomData<fn() -> T>,
}

/// An event waiting for [`EventParser::next_item`].
#[derive(Debug)]
enum Pending {
    /// Data to decode as an item, or as an error report, when handed out.
    Data {
        /// The event's data, as the decoder joined its lines.
        data: String,
        /// The event is unnamed (or named `message`): data that is neither an item nor an error report
        /// is a decode error rather than an unknown event to skip.
        carries_items: bool,
        /// The event was cut before its blank line, by the end of the body: data that does not decode
        /// was cut too, so it reads as the cut stream ([`Error::IncompleteStream`]), not as the server's
        /// bad data.
        cut: bool,
    },
    /// The error that ends the stream.
    Fail(Error),
}

impl<T> Default for EventParser<T> {
    fn default() -> Self {
        Self {
            decoder: SseDecoder::new(),
            ready: VecDeque::new(),
            current: String::new(),
            spare: Vec::new(),
            ended: false,
            item: std::marker::PhantomData,
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

    /// How many bytes the parser holds for a partial line and a partial event (not counting complete events
    /// waiting for [`next_item`](Self::next_item)).
    pub fn buffered_bytes(&self) -> usize {
        self.decoder.buffered_bytes()
    }

    /// Feeds bytes read from the body.
    pub fn feed(&mut self, bytes: &[u8]) {
        if self.ended {
            return;
        }
        let (ready, spare, ended) = (&mut self.ready, &mut self.spare, &mut self.ended);
        let result = self.decoder.feed_with(bytes, |event| {
            if !*ended {
                sort(event, ready, spare, ended, false);
            }
        });
        if let Err(error) = result {
            fail(error, &mut self.ready, &mut self.ended);
        }
    }

    /// The next item decoded so far; `None` when more bytes are needed or the stream is over.
    /// After an error, or after `[DONE]`, the stream is over.
    #[inline]
    pub fn next_item(&mut self) -> Option<Result<T, Error>> {
        loop {
            let (data, carries_items, cut) = match self.ready.pop_front()? {
                Pending::Data {
                    data,
                    carries_items,
                    cut,
                } => (data, carries_items, cut),
                Pending::Fail(error) => return Some(Err(error)),
            };
            // The previous event's buffer is done with: it can take a later event's data.
            let mut done = std::mem::replace(&mut self.current, data);
            if self.spare.len() < SPARE_BUFFERS && done.capacity() <= KEPT_DATA_CAPACITY {
                done.clear();
                self.spare.push(done);
            }
            let data = trim(&self.current);
            // As `serde_json::from_str`, but the item is handed out as it is built, not moved through
            // a `Result` of another type. The common case first: a payload that is an item is an item
            // (unless it reports an error itself). Only a payload that is not one is looked at as an
            // error report.
            let mut deserializer = serde_json::Deserializer::from_str(data);
            let outcome = match T::deserialize(&mut deserializer) {
                Ok(item) => match deserializer.end() {
                    Ok(()) => match item.stream_error() {
                        None => return Some(Ok(item)),
                        Some(message) => Some(item_error(message, data)),
                    },
                    Err(trailing) => not_an_item(data, carries_items, trailing),
                },
                Err(parse_error) => not_an_item(data, carries_items, parse_error),
            };
            if let Some(error) = outcome {
                let error = match error {
                    Error::Decode { .. } if cut => Error::IncompleteStream,
                    error => error,
                };
                // The error ends the stream: what was queued after it is dropped.
                self.ready.clear();
                self.ended = true;
                return Some(Err(error));
            }
        }
    }

    /// Ends the input (the body is over): decodes an event cut before its blank line, then reports a stream
    /// that ended without `[DONE]` as [`Error::IncompleteStream`]. Call [`next_item`](Self::next_item)
    /// until it returns `None` after this.
    pub fn finish(&mut self) {
        if self.ended {
            return;
        }
        match self.decoder.try_finish() {
            Ok(Some(mut event)) => sort(
                &mut event,
                &mut self.ready,
                &mut self.spare,
                &mut self.ended,
                true,
            ),
            Ok(None) => {}
            Err(error) => fail(error, &mut self.ready, &mut self.ended),
        }
        fail(Error::IncompleteStream, &mut self.ready, &mut self.ended);
    }

    /// Whether the stream is over (`[DONE]`, an error, or the end of the input) and every item before its
    /// end has been handed out.
    pub fn is_finished(&self) -> bool {
        self.ended && self.ready.is_empty()
    }
}

/// Queues the error that ends the stream, unless it has already ended.
fn fail(error: Error, ready: &mut VecDeque<Pending>, ended: &mut bool) {
    if !*ended {
        ready.push_back(Pending::Fail(error));
        *ended = true;
    }
}

/// Deals with an event as it completes: skips it, ends the stream, or queues its data for decoding; `cut`
/// if only the end of the body completed it.
fn sort(
    event: &mut SseEvent,
    ready: &mut VecDeque<Pending>,
    spare: &mut Vec<String>,
    ended: &mut bool,
    cut: bool,
) {
    let text = trim(&event.data);
    let name = event.event.as_deref();
    if name == Some("error") {
        return fail(error_event(text), ready, ended);
    }
    if text.is_empty() {
        return;
    }
    if text == "[DONE]" {
        *ended = true;
        return;
    }
    // The decoder goes on with an emptied buffer (or a new one: it allocates only as data arrives).
    let data = std::mem::replace(&mut event.data, spare.pop().unwrap_or_default());
    ready.push_back(Pending::Data {
        data,
        // Items come in unnamed events; `message` is the SSE default name (and an empty `event:` means it).
        carries_items: matches!(name, None | Some("" | "message")),
        cut,
    });
}

/// `data` without leading and trailing whitespace; a payload that starts and ends with a visible ASCII
/// character (every JSON object does) is returned as it is, without a scan.
#[inline]
fn trim(data: &str) -> &str {
    match (data.as_bytes().first(), data.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => data,
        _ => data.trim(),
    }
}

/// Data that did not decode as an item: the error report it is (whatever the event's name), a decode
/// error in an event that carries items, or `None` for an event this client does not know (`event: ping`
/// with `data: {}`…), to skip.
#[cold]
fn not_an_item(data: &str, carries_items: bool, parse_error: serde_json::Error) -> Option<Error> {
    match serde_json::from_str::<serde_json::Value>(data)
        .ok()
        // In an event of another name, only an `error` member makes the data an error report: a bare
        // `{"message": ...}` there is some notice this client does not know, to skip.
        .filter(|json| carries_items || json.get("error").is_some_and(|e| !e.is_null()))
        .and_then(StreamError::from_payload)
    {
        Some(error) => Some(Error::Stream(Box::new(error))),
        None if carries_items => Some(Error::decode_source(
            "invalid stream event",
            parse_error,
            data.as_bytes(),
        )),
        None => None,
    }
}

/// An `event: error`: its payload's `error` object when it has one, else the payload as the message (a
/// generic one when there is no payload).
fn error_event(data: &str) -> Error {
    if data.is_empty() {
        return Error::Stream(Box::new(StreamError::with_message(
            "the server sent an error event without details",
            serde_json::Value::Null,
        )));
    }
    let body = serde_json::from_str::<serde_json::Value>(data)
        .unwrap_or_else(|_| serde_json::Value::String(data.to_owned()));
    let error = StreamError::from_payload(body.clone())
        .unwrap_or_else(|| StreamError::with_message(data, body));
    Error::Stream(Box::new(error))
}

/// An item that reports an error itself (`x_groq.error`).
#[cold]
fn item_error(message: &str, data: &str) -> Error {
    Error::Stream(Box::new(StreamError::with_message(
        message,
        serde_json::from_str(data).unwrap_or(serde_json::Value::Null),
    )))
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

    /// Contract B3: a body cut inside an event's data is the cut connection, not the server's bad JSON. A
    /// complete last event without its blank line is still an item (B4), and bad data in a complete event
    /// is still a decode error.
    #[test]
    fn an_event_cut_inside_its_data_is_an_incomplete_stream() {
        let mut parser = EventParser::<Item>::new();
        parser.feed(b"data: {\"n\":1}\n\ndata: {\"n\":2,\"x_gr");
        parser.finish();
        assert!(matches!(parser.next_item(), Some(Ok(Item { n: 1, .. }))));
        assert!(matches!(
            parser.next_item(),
            Some(Err(Error::IncompleteStream))
        ));
        assert!(parser.next_item().is_none());

        let out = run(b"data: {\"n\":1}\n\ndata: {\"n\":2}");
        assert_eq!(out[..2], [Ok(1), Ok(2)]);
        assert!(out[2].as_ref().unwrap_err().contains("ended before"));
        let out = run(b"data: {oops}\n\ndata: {\"n\":2");
        assert!(out[0].as_ref().unwrap_err().contains("decode"), "{out:?}");
        assert_eq!(out.len(), 1);
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
            "event: progress\ndata: {\"message\":\"still thinking\"}\n\n",
            "event: progress\ndata: {\"error\":null,\"message\":\"still thinking\"}\n\n",
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
            b"data: {\"message\":\"boom\"}\n\n",
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
    fn an_event_cut_in_a_line_past_the_limit_is_a_limit_error_not_an_item() {
        // The first data line is an item on its own; the cut second one would take the event past the
        // limit, so the event the server sent is not that item.
        let mut parser = EventParser::<Item>::with_max_event_size(20);
        parser.feed(b"data: {\"n\":1}\ndata: 0123456789ABC");
        parser.finish();
        match parser.next_item() {
            Some(Err(e)) => assert!(e.is_limit_exceeded(), "{e}"),
            other => panic!("{other:?}"),
        }
        assert!(parser.next_item().is_none());
    }

    #[test]
    fn events_fed_together_are_decoded_in_order_and_an_error_drops_what_follows() {
        let mut parser = EventParser::<Item>::new();
        let batch: String = (0..10)
            .map(|n| format!("data: {{\"n\":{n}}}\n\n"))
            .collect();
        parser.feed(batch.as_bytes());
        // Buffers come back for reuse as events are handed out, more events than spare buffers.
        let first: Vec<u32> = std::iter::from_fn(|| parser.next_item())
            .map(|r| r.map(|i| i.n).unwrap_or(u32::MAX))
            .collect();
        assert_eq!(first, (0..10).collect::<Vec<_>>());
        parser.feed(batch.as_bytes());
        parser.feed(b"data: {\"error\":\"boom\"}\n\ndata: {\"n\":99}\n\ndata: [DONE]\n\n");
        assert!(!parser.is_finished());
        let rest: Vec<_> = std::iter::from_fn(|| parser.next_item()).collect();
        assert_eq!(rest.len(), 11);
        assert!(rest[..10].iter().all(Result::is_ok));
        assert!(matches!(&rest[10], Err(Error::Stream(e)) if e.message == "boom"));
        assert!(parser.is_finished());
        parser.feed(b"data: {\"n\":100}\n\n");
        parser.finish();
        assert!(parser.next_item().is_none());
    }

    #[test]
    fn data_is_trimmed_before_it_is_read() {
        let out = run(b"data:  {\"n\":1}\xC2\xA0\n\ndata: \t[DONE] \n\ndata: {\"n\":2}\n\n");
        assert_eq!(out, vec![Ok(1)]);
    }

    #[test]
    fn a_content_string_mentioning_error_is_still_an_item() {
        let out = run(b"data: {\"n\":4,\"note\":\"error\"}\n\ndata: [DONE]\n\n");
        assert_eq!(out, vec![Ok(4)]);
    }
}
