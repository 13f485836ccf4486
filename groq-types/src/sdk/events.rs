//! Turns a server-sent event stream into typed items: `[DONE]` ends it, keep-alive events are skipped, and
//! errors reported by the server end it with [`Error::Stream`]. Transport-independent: a client feeds it
//! the bytes it reads.

use super::error::{Error, StreamError};
use super::sse::{SseDecoder, SseEvent};
use serde::de::DeserializeOwned;
use std::marker::PhantomData;

/// A streamed item that can itself carry an error report (Groq's `x_groq.error` on a chunk).
pub trait StreamItem: DeserializeOwned {
    /// The error this item reports, if any.
    fn stream_error(&self) -> Option<&str> {
        None
    }
}

/// Decodes a stream of `T` from the bytes of a `text/event-stream` body.
#[derive(Debug)]
pub struct EventParser<T> {
    decoder: SseDecoder,
    /// Decoded events; those before `next` have been handed out.
    pending: Vec<SseEvent>,
    next: usize,
    finished: bool,
    _item: PhantomData<fn() -> T>,
}

impl<T> Default for EventParser<T> {
    fn default() -> Self {
        Self {
            decoder: SseDecoder::new(),
            pending: Vec::new(),
            next: 0,
            finished: false,
            _item: PhantomData,
        }
    }
}

impl<T: StreamItem> EventParser<T> {
    /// A parser at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds bytes read from the body.
    pub fn feed(&mut self, bytes: &[u8]) {
        if self.finished {
            return;
        }
        if self.next == self.pending.len() {
            self.pending.clear();
            self.next = 0;
        }
        self.decoder.feed(bytes, &mut self.pending);
    }

    fn pop(&mut self) -> Option<SseEvent> {
        let event = std::mem::take(self.pending.get_mut(self.next)?);
        self.next += 1;
        Some(event)
    }

    /// The next item decoded so far; `None` when more bytes are needed or the stream is over.
    /// After an error, or after `[DONE]`, the stream is over.
    pub fn next_item(&mut self) -> Option<Result<T, Error>> {
        while !self.finished {
            let event = self.pop()?;
            match interpret::<T>(event) {
                Step::Skip => continue,
                Step::Done => self.finished = true,
                Step::Item(item) => return Some(Ok(item)),
                Step::Fail(error) => {
                    self.finished = true;
                    return Some(Err(error));
                }
            }
        }
        None
    }

    /// Ends the input (the body is over): decodes an event cut before its blank line, then reports a stream
    /// that ended without `[DONE]` as [`Error::IncompleteStream`]. Call [`next_item`](Self::next_item)
    /// until it returns `None` after this.
    pub fn finish(&mut self) {
        if self.finished {
            return;
        }
        if let Some(event) = self.decoder.finish() {
            self.pending.push(event);
        }
        self.pending.push(SseEvent {
            event: Some(END_WITHOUT_DONE.to_owned()),
            ..SseEvent::default()
        });
    }

    /// Whether the stream is over (`[DONE]`, an error, or the end of the input).
    pub fn is_finished(&self) -> bool {
        self.finished
    }
}

/// A marker event queued by [`EventParser::finish`]; no server event can have this name (it holds a NUL).
const END_WITHOUT_DONE: &str = "\0end-without-done";

enum Step<T> {
    Skip,
    Done,
    Item(T),
    Fail(Error),
}

fn interpret<T: StreamItem>(event: SseEvent) -> Step<T> {
    if event.event.as_deref() == Some(END_WITHOUT_DONE) {
        return Step::Fail(Error::IncompleteStream);
    }
    let data = event.data.trim();
    if data.is_empty() {
        return Step::Skip;
    }
    if data == "[DONE]" {
        return Step::Done;
    }
    if event.event.as_deref() == Some("error") {
        return Step::Fail(error_event(data));
    }
    // The common case first: a payload that is an item is an item (its own error report is checked by
    // `item_from`). Only a payload that is not one is looked at as an error report.
    match serde_json::from_str::<T>(data) {
        Ok(item) => item_from(item, data),
        Err(parse_error) => match serde_json::from_str::<serde_json::Value>(data)
            .ok()
            .and_then(StreamError::from_payload)
        {
            Some(error) => Step::Fail(Error::Stream(Box::new(error))),
            None => Step::Fail(Error::decode(
                "invalid stream event",
                parse_error,
                data.as_bytes(),
            )),
        },
    }
}

/// An `event: error`: its payload's `error` object when it has one, else the payload as the message.
fn error_event(data: &str) -> Error {
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
    fn a_content_string_mentioning_error_is_still_an_item() {
        let out = run(b"data: {\"n\":4,\"note\":\"error\"}\n\ndata: [DONE]\n\n");
        assert_eq!(out, vec![Ok(4)]);
    }
}
