//! Incremental Server-Sent Events decoder following the WHATWG
//! `text/event-stream` parsing rules.
//!
//! The decoder is I/O free: bytes are pushed in with [`SseDecoder::feed`] in
//! chunks of any size (a chunk boundary may fall anywhere, including inside a
//! multi-byte UTF-8 sequence or between the CR and LF of a CRLF line ending)
//! and complete events come out. Invalid UTF-8 is decoded lossily; no input
//! can make the decoder panic.
//!
//! Memory is bounded: no line and no event's data may exceed the decoder's
//! maximum event size ([`DEFAULT_MAX_EVENT_SIZE`] unless set with
//! [`SseDecoder::with_max_event_size`]); exceeding it is an
//! [`Error::LimitExceeded`] naming `max_event_size`, and nothing beyond the
//! limit is ever buffered.

use super::error::Error;
use std::borrow::Cow;

pub use super::config::DEFAULT_MAX_EVENT_SIZE;

/// The largest data buffer kept from one event to the next; a larger one is
/// released once its event is dispatched.
const KEPT_DATA_CAPACITY: usize = 64 * 1024;

/// UTF-8 byte order mark, ignored at the very start of a stream.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One decoded Server-Sent Event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct SseEvent {
    /// Value of the `event` field, if the event had one.
    pub event: Option<String>,
    /// All `data` lines of the event joined with `\n` (empty if none).
    pub data: String,
    /// Value of the `id` field, if the event had a valid one (no NUL).
    pub id: Option<String>,
    /// Value of the `retry` field in milliseconds, if the event had a valid one.
    pub retry: Option<u64>,
}

/// Incremental, allocation-frugal Server-Sent Events decoder.
#[derive(Debug)]
pub struct SseDecoder {
    /// Bytes of a line whose terminator has not been seen yet.
    line: Vec<u8>,
    /// The previous chunk ended with CR: an LF at the start of the next chunk
    /// belongs to the same line ending.
    pending_cr: bool,
    /// At least one line has been processed (so the BOM check is done).
    started: bool,
    /// Event being built.
    event: SseEvent,
    /// A field line (data/event/id/retry) was seen since the last dispatch.
    has_fields: bool,
    /// At least one `data` line was seen in the current event.
    has_data: bool,
    /// The largest line, and the largest event data, in bytes.
    max_event_size: usize,
    /// The limit was exceeded: the stream cannot be decoded any further.
    failed: bool,
}

impl Default for SseDecoder {
    fn default() -> Self {
        Self::with_max_event_size(DEFAULT_MAX_EVENT_SIZE)
    }
}

impl SseDecoder {
    /// Creates a decoder at the start of a stream, accepting events up to
    /// [`DEFAULT_MAX_EVENT_SIZE`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Creates a decoder at the start of a stream that accepts lines and
    /// event data of at most `max_event_size` bytes (0 counts as 1).
    pub fn with_max_event_size(max_event_size: usize) -> Self {
        Self {
            line: Vec::new(),
            pending_cr: false,
            started: false,
            event: SseEvent::default(),
            has_fields: false,
            has_data: false,
            max_event_size: max_event_size.max(1),
            failed: false,
        }
    }

    /// The largest line, and the largest event data, this decoder accepts.
    pub fn max_event_size(&self) -> usize {
        self.max_event_size
    }

    /// How many bytes the decoder holds allocated for a partial line and a
    /// partial event (at most about twice the maximum event size).
    pub fn buffered_bytes(&self) -> usize {
        self.line.capacity() + self.event.data.capacity()
    }

    /// Feeds bytes from the network; decoded events are appended to `out`.
    ///
    /// A line or an event's data longer than the maximum event size is an
    /// [`Error::LimitExceeded`]; events completed before it are still in
    /// `out`. After that error the decoder drops its buffers and refuses
    /// further input with the same error.
    pub fn feed(&mut self, chunk: &[u8], out: &mut Vec<SseEvent>) -> Result<(), Error> {
        self.feed_with(chunk, |event| out.push(std::mem::take(event)))
    }

    /// Like [`feed`](Self::feed), but hands each event to `sink` as it completes. The sink may take the
    /// event; otherwise the decoder keeps its data buffer for the next event, so that reading events
    /// through a sink allocates nothing per event.
    pub(crate) fn feed_with(
        &mut self,
        chunk: &[u8],
        mut sink: impl FnMut(&mut SseEvent),
    ) -> Result<(), Error> {
        if self.failed {
            return Err(self.limit_error());
        }
        let result = self.feed_inner(chunk, &mut sink);
        if result.is_err() {
            self.failed = true;
            self.line = Vec::new();
            self.event = SseEvent::default();
        }
        result
    }

    fn feed_inner<F: FnMut(&mut SseEvent)>(
        &mut self,
        chunk: &[u8],
        sink: &mut F,
    ) -> Result<(), Error> {
        let mut input = chunk;
        if input.is_empty() {
            return Ok(());
        }
        if self.pending_cr {
            self.pending_cr = false;
            if let Some(rest) = input.strip_prefix(b"\n") {
                input = rest;
            }
        }

        // Complete a line started in an earlier chunk.
        if !self.line.is_empty() {
            match find_eol(input) {
                None => {
                    self.buffer_line(input)?;
                    return Ok(());
                }
                Some(pos) => {
                    let (head, rest) = input.split_at(pos);
                    self.buffer_line(head)?;
                    let mut line = std::mem::take(&mut self.line);
                    let result = self.process_line(&line, sink);
                    line.clear();
                    self.line = line;
                    result?;
                    input = self.skip_eol(rest);
                }
            }
        }

        // Process complete lines straight from the chunk, without copying.
        while let Some(pos) = find_eol(input) {
            let (line, rest) = input.split_at(pos);
            self.check_line(line.len())?;
            self.process_line(line, sink)?;
            input = self.skip_eol(rest);
        }
        self.buffer_line(input)
    }

    /// Appends part of an unterminated line to the line buffer, refusing to
    /// grow it beyond the limit (its capacity never exceeds the limit).
    fn buffer_line(&mut self, part: &[u8]) -> Result<(), Error> {
        if part.is_empty() {
            return Ok(());
        }
        let needed = self.line.len().saturating_add(part.len());
        self.check_line(needed)?;
        if needed > self.line.capacity() {
            let target = self
                .line
                .capacity()
                .saturating_mul(2)
                .min(self.max_event_size)
                .max(needed);
            self.line.reserve_exact(target - self.line.len());
        }
        self.line.extend_from_slice(part);
        Ok(())
    }

    fn check_line(&self, len: usize) -> Result<(), Error> {
        if len > self.max_event_size {
            return Err(self.limit_error());
        }
        Ok(())
    }

    fn limit_error(&self) -> Error {
        Error::LimitExceeded {
            what: "a server-sent event",
            setting: "max_event_size",
            limit: self.max_event_size,
        }
    }

    /// Ends the input. Returns the last event if the stream was cut after at
    /// least one field line of an event but before the blank line that should
    /// end it; a partial unterminated line is processed as a line first.
    ///
    /// The decoder is reset afterwards (keeping its limit) and can decode a
    /// new stream. After a [`feed`](Self::feed) error there is no last event,
    /// and none either when the partial line would take the event past
    /// `max_event_size` ([`try_finish`](Self::try_finish) says so).
    pub fn finish(&mut self) -> Option<SseEvent> {
        self.try_finish().ok().flatten()
    }

    /// As [`finish`](Self::finish), but a partial last line that would take
    /// its event past `max_event_size` is an [`Error::LimitExceeded`] rather
    /// than no event: the event is not handed out without that line.
    pub fn try_finish(&mut self) -> Result<Option<SseEvent>, Error> {
        let result = if self.failed {
            Ok(None)
        } else {
            self.last_event()
        };
        *self = Self::with_max_event_size(self.max_event_size);
        result
    }

    /// The event that the partial line, if any, dispatches, else the one its fields have begun.
    fn last_event(&mut self) -> Result<Option<SseEvent>, Error> {
        let line = std::mem::take(&mut self.line);
        let mut last = None;
        if !line.is_empty() {
            self.process_line(&line, &mut |event: &mut SseEvent| {
                last = Some(std::mem::take(event))
            })?;
        }
        if last.is_none() && self.has_fields {
            last = Some(self.take_event());
        }
        Ok(last)
    }

    /// True when nothing is buffered (no partial line, no partial event).
    pub fn is_idle(&self) -> bool {
        self.line.is_empty() && !self.has_fields
    }

    /// Skips the line terminator at the start of `rest` (which starts with CR
    /// or LF) and returns what follows it.
    fn skip_eol<'a>(&mut self, rest: &'a [u8]) -> &'a [u8] {
        match rest {
            [b'\r', b'\n', tail @ ..] => tail,
            [b'\r'] => {
                self.pending_cr = true;
                &[]
            }
            [_, tail @ ..] => tail,
            [] => rest,
        }
    }

    /// Processes one complete line (without terminator); an event that the
    /// line dispatches goes to `sink`.
    fn process_line<F: FnMut(&mut SseEvent)>(
        &mut self,
        mut line: &[u8],
        sink: &mut F,
    ) -> Result<(), Error> {
        if !self.started {
            self.started = true;
            if let Some(rest) = line.strip_prefix(BOM) {
                line = rest;
            }
        }
        if line.is_empty() {
            if self.has_fields {
                self.dispatch(sink);
            }
            return Ok(());
        }
        let (name, value) = match line.iter().position(|&b| b == b':') {
            Some(0) => return Ok(()), // comment
            Some(pos) => {
                let (name, rest) = line.split_at(pos);
                let value = rest.get(1..).unwrap_or_default();
                (name, value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &[][..]),
        };
        match name {
            b"data" => self.push_data(value)?,
            b"event" => {
                self.event.event = Some(lossy(value));
                self.has_fields = true;
            }
            b"id" if !value.contains(&0) => {
                self.event.id = Some(lossy(value));
                self.has_fields = true;
            }
            b"retry" => {
                if let Some(ms) = parse_retry(value) {
                    self.event.retry = Some(ms);
                    self.has_fields = true;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Appends a `data` line to the event, refusing to let the event's data
    /// grow beyond the limit.
    fn push_data(&mut self, value: &[u8]) -> Result<(), Error> {
        // Valid UTF-8 (the usual case) is checked by the fast validator; only
        // invalid input takes the slower lossy path.
        let text = match std::str::from_utf8(value) {
            Ok(text) => Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(value),
        };
        let separator = usize::from(self.has_data);
        let needed = self
            .event
            .data
            .len()
            .saturating_add(separator)
            .saturating_add(text.len());
        if needed > self.max_event_size {
            return Err(self.limit_error());
        }
        let data = &mut self.event.data;
        if needed > data.capacity() {
            let target = data
                .capacity()
                .saturating_mul(2)
                .min(self.max_event_size)
                .max(needed);
            data.reserve_exact(target - data.len());
        }
        if self.has_data {
            data.push('\n');
        }
        data.push_str(&text);
        self.has_data = true;
        self.has_fields = true;
        Ok(())
    }

    /// Hands the event being built to `sink`, then resets the per-event
    /// state, keeping the data buffer unless it grew large.
    fn dispatch<F: FnMut(&mut SseEvent)>(&mut self, sink: &mut F) {
        self.has_fields = false;
        self.has_data = false;
        sink(&mut self.event);
        let SseEvent {
            event,
            data,
            id,
            retry,
        } = &mut self.event;
        *event = None;
        *id = None;
        *retry = None;
        if data.capacity() > KEPT_DATA_CAPACITY {
            *data = String::new();
        } else {
            data.clear();
        }
    }

    /// Takes the event being built and resets the per-event state.
    fn take_event(&mut self) -> SseEvent {
        self.has_fields = false;
        self.has_data = false;
        std::mem::take(&mut self.event)
    }
}

/// Position of the first CR or LF in `bytes`.
#[inline]
fn find_eol(bytes: &[u8]) -> Option<usize> {
    memchr::memchr2(b'\n', b'\r', bytes)
}

/// Lossy UTF-8 decoding into an owned string.
fn lossy(bytes: &[u8]) -> String {
    match String::from_utf8_lossy(bytes) {
        Cow::Borrowed(s) => s.to_owned(),
        Cow::Owned(s) => s,
    }
}

/// Parses a `retry` value: ASCII digits only (saturating on overflow).
fn parse_retry(value: &[u8]) -> Option<u64> {
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(value.iter().fold(0u64, |acc, &d| {
        acc.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(event: Option<&str>, data: &str, id: Option<&str>, retry: Option<u64>) -> SseEvent {
        SseEvent {
            event: event.map(str::to_owned),
            data: data.to_owned(),
            id: id.map(str::to_owned),
            retry,
        }
    }

    fn decode_chunks<'a>(chunks: impl IntoIterator<Item = &'a [u8]>) -> Vec<SseEvent> {
        let mut dec = SseDecoder::new();
        let mut out = Vec::new();
        for c in chunks {
            dec.feed(c, &mut out).unwrap();
        }
        if let Some(last) = dec.finish() {
            out.push(last);
        }
        out
    }

    fn decode(bytes: &[u8]) -> Vec<SseEvent> {
        decode_chunks([bytes])
    }

    const STREAM: &str = concat!(
        "\u{FEFF}: welcome comment\r\n",
        "\r\n",
        "data: {\"a\":1}\r\n",
        "\r\n",
        "event: message\r",
        "id: 42\r",
        "retry: 1500\r",
        "data: line one\r",
        "data: line two\r",
        "\r",
        ": keep-alive\n",
        "data: h\u{e9}llo \u{1F44B} \u{4E16}\u{754C}\n",
        "\n",
        "event: ping\n",
        "\n",
        "data:no-space\r\n",
        "data:\r\n",
        "unknown: field\r\n",
        "data\r\n",
        "\r\n",
        "id: bad\0id\n",
        "retry: 12x\n",
        "\n",
        "data: [DONE]\n",
        "\n",
    );

    fn expected() -> Vec<SseEvent> {
        vec![
            ev(None, "{\"a\":1}", None, None),
            ev(
                Some("message"),
                "line one\nline two",
                Some("42"),
                Some(1500),
            ),
            ev(None, "h\u{e9}llo \u{1F44B} \u{4E16}\u{754C}", None, None),
            ev(Some("ping"), "", None, None),
            ev(None, "no-space\n\n", None, None),
            ev(None, "[DONE]", None, None),
        ]
    }

    #[test]
    fn whole_stream() {
        assert_eq!(decode(STREAM.as_bytes()), expected());
    }

    #[test]
    fn every_split_position() {
        let bytes = STREAM.as_bytes();
        let whole = decode(bytes);
        for k in 0..=bytes.len() {
            let (a, b) = bytes.split_at(k);
            assert_eq!(decode_chunks([a, b]), whole, "split at {k}");
        }
    }

    #[test]
    fn byte_at_a_time() {
        let bytes = STREAM.as_bytes();
        let mut dec = SseDecoder::new();
        let mut out = Vec::new();
        for b in bytes.chunks(1) {
            dec.feed(b, &mut out).unwrap();
        }
        assert!(dec.is_idle());
        assert_eq!(dec.finish(), None);
        assert_eq!(out, expected());
    }

    #[test]
    fn every_three_way_split_small() {
        let bytes = b"data: \xE4\xB8\x96\r\n\r\nevent: x\r\rdata: y\n\n";
        let whole = decode(bytes);
        assert_eq!(
            whole,
            vec![
                ev(None, "\u{4E16}", None, None),
                ev(Some("x"), "", None, None),
                ev(None, "y", None, None),
            ]
        );
        for i in 0..=bytes.len() {
            for j in i..=bytes.len() {
                let (a, rest) = bytes.split_at(i);
                let (b, c) = rest.split_at(j - i);
                assert_eq!(decode_chunks([a, b, c]), whole, "split at {i},{j}");
            }
        }
    }

    #[test]
    fn finish_returns_cut_event() {
        let mut dec = SseDecoder::new();
        let mut out = Vec::new();
        dec.feed(b"data: one\n\ndata: two\ndata: thr", &mut out)
            .unwrap();
        assert_eq!(out, vec![ev(None, "one", None, None)]);
        assert!(!dec.is_idle());
        assert_eq!(dec.finish(), Some(ev(None, "two\nthr", None, None)));
        assert!(dec.is_idle());
    }

    #[test]
    fn finish_returns_event_missing_blank_line() {
        let mut dec = SseDecoder::new();
        let mut out = Vec::new();
        dec.feed(b"event: done\ndata: x\n", &mut out).unwrap();
        assert!(out.is_empty());
        assert_eq!(dec.finish(), Some(ev(Some("done"), "x", None, None)));
    }

    #[test]
    fn an_unterminated_last_line_past_the_limit_is_an_error_not_a_cut_event() {
        let mut dec = SseDecoder::with_max_event_size(16);
        let mut out = Vec::new();
        dec.feed(b"data: 0123456789\ndata: 0123456", &mut out)
            .unwrap();
        assert!(out.is_empty());
        assert!(matches!(
            dec.try_finish(),
            Err(Error::LimitExceeded {
                setting: "max_event_size",
                ..
            })
        ));
        // Reset all the same, and `finish` hands out no event for the same input.
        assert!(dec.is_idle());
        dec.feed(b"data: 0123456789\ndata: 0123456", &mut out)
            .unwrap();
        assert_eq!(dec.finish(), None);
        // Within the limit, the same shape is the event.
        dec.feed(b"data: 01234\ndata: 0123", &mut out).unwrap();
        assert_eq!(
            dec.try_finish().unwrap(),
            Some(ev(None, "01234\n0123", None, None))
        );
    }

    #[test]
    fn finish_none_after_clean_end() {
        let mut dec = SseDecoder::new();
        let mut out = Vec::new();
        dec.feed(b"data: a\r\n\r\n", &mut out).unwrap();
        assert!(dec.is_idle());
        assert_eq!(dec.finish(), None);
        assert_eq!(out, vec![ev(None, "a", None, None)]);
    }

    #[test]
    fn finish_none_for_comment_only_tail() {
        let mut dec = SseDecoder::new();
        let mut out = Vec::new();
        dec.feed(b"data: a\n\n: trailing comm", &mut out).unwrap();
        assert!(!dec.is_idle());
        assert_eq!(dec.finish(), None);
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn blank_lines_alone_dispatch_nothing() {
        assert!(decode(b"\n\n\r\n\r\r\n").is_empty());
        assert!(decode(b": c\n\n: d\n\n").is_empty());
        assert!(decode(b"").is_empty());
    }

    #[test]
    fn invalid_utf8_does_not_panic() {
        let events = decode(b"data: a\xFF\xFEb\xC3\n\nevent: \x80\ndata: \xF0\x9F\n\n");
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].data, "a\u{FFFD}\u{FFFD}b\u{FFFD}");
        assert_eq!(events[1].event.as_deref(), Some("\u{FFFD}"));
        // Arbitrary bytes in arbitrary chunkings never panic.
        let junk: Vec<u8> = (0..=255u8).cycle().take(2048).collect();
        for size in 1..8 {
            let _ = decode_chunks(junk.chunks(size));
        }
    }

    #[test]
    fn bom_is_ignored_only_at_start() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFdata: x\n\n"),
            vec![ev(None, "x", None, None)]
        );
        // Split BOM.
        assert_eq!(
            decode_chunks([&b"\xEF"[..], b"\xBB", b"\xBFdata: x\n\n"]),
            vec![ev(None, "x", None, None)]
        );
        // A BOM later in the stream is not stripped: the line is an unknown field.
        assert_eq!(
            decode(b"data: x\n\n\xEF\xBB\xBFdata: y\n\n"),
            vec![ev(None, "x", None, None)]
        );
    }

    #[test]
    fn cr_at_chunk_boundary() {
        let mut dec = SseDecoder::new();
        let mut out = Vec::new();
        dec.feed(b"data: a\r", &mut out).unwrap();
        dec.feed(b"\n", &mut out).unwrap();
        dec.feed(b"\r", &mut out).unwrap();
        assert_eq!(out, vec![ev(None, "a", None, None)]);
        dec.feed(b"", &mut out).unwrap();
        // The LF completes the previous CR: no extra blank line.
        dec.feed(b"\ndata: b\r", &mut out).unwrap();
        dec.feed(b"\r", &mut out).unwrap();
        assert_eq!(
            out,
            vec![ev(None, "a", None, None), ev(None, "b", None, None)]
        );
        assert!(dec.is_idle());
    }

    #[test]
    fn data_without_space() {
        assert_eq!(decode(b"data:x\n\n"), vec![ev(None, "x", None, None)]);
        // Only one space is removed.
        assert_eq!(decode(b"data:  x \n\n"), vec![ev(None, " x ", None, None)]);
    }

    #[test]
    fn data_with_empty_value() {
        assert_eq!(decode(b"data:\n\n"), vec![ev(None, "", None, None)]);
        assert_eq!(decode(b"data: \n\n"), vec![ev(None, "", None, None)]);
        assert_eq!(
            decode(b"data:\ndata:\n\n"),
            vec![ev(None, "\n", None, None)]
        );
    }

    #[test]
    fn field_without_colon() {
        assert_eq!(decode(b"data\n\n"), vec![ev(None, "", None, None)]);
        assert_eq!(
            decode(b"event\ndata: x\n\n"),
            vec![ev(Some(""), "x", None, None)]
        );
        assert!(decode(b"whatever\n\n").is_empty());
    }

    #[test]
    fn id_and_retry_validation() {
        assert_eq!(
            decode(b"id: 7\nretry: 3000\n\n"),
            vec![ev(None, "", Some("7"), Some(3000))]
        );
        assert!(decode(b"id: a\0b\nretry: -1\nretry: 1.5\nretry:\n\n").is_empty());
        assert_eq!(
            decode(b"retry: 99999999999999999999999\n\n"),
            vec![ev(None, "", None, Some(u64::MAX))]
        );
    }

    #[test]
    fn event_fields_do_not_leak_into_next_event() {
        assert_eq!(
            decode(b"event: a\nid: 1\ndata: x\n\ndata: y\n\n"),
            vec![
                ev(Some("a"), "x", Some("1"), None),
                ev(None, "y", None, None)
            ]
        );
    }

    fn is_event_limit(error: &Error, limit: usize) -> bool {
        let text = error.to_string();
        matches!(error, Error::LimitExceeded { setting: "max_event_size", limit: l, .. } if *l == limit)
            && text.contains("max_event_size")
            && text.contains(&limit.to_string())
    }

    #[test]
    fn default_limit_is_the_config_default() {
        assert_eq!(SseDecoder::new().max_event_size(), DEFAULT_MAX_EVENT_SIZE);
        assert_eq!(SseDecoder::with_max_event_size(0).max_event_size(), 1);
    }

    #[test]
    fn a_64_mib_line_fed_in_pieces_stays_bounded_and_fails_naming_the_limit() {
        const LIMIT: usize = 1 << 20;
        const PIECE: usize = 64 << 10;
        let piece = vec![b'x'; PIECE];
        let mut dec = SseDecoder::with_max_event_size(LIMIT);
        let mut out = Vec::new();
        dec.feed(b"data: {\"n\":1}\n\ndata: ", &mut out).unwrap();
        let mut error = None;
        let mut fed = 0;
        while fed < 64 << 20 {
            match dec.feed(&piece, &mut out) {
                Ok(()) => {}
                Err(e) => {
                    error = Some(e);
                    break;
                }
            }
            fed += PIECE;
            assert!(
                dec.buffered_bytes() <= LIMIT + PIECE,
                "{}",
                dec.buffered_bytes()
            );
        }
        let error = error.expect("the limit was never enforced");
        assert!(is_event_limit(&error, LIMIT), "{error}");
        assert!(fed <= LIMIT, "fed {fed} bytes before failing");
        assert!(dec.buffered_bytes() <= LIMIT + PIECE);
        assert_eq!(out, vec![ev(None, "{\"n\":1}", None, None)]);
        // The error sticks, and nothing more is buffered.
        assert!(is_event_limit(
            &dec.feed(b"\n\n", &mut out).unwrap_err(),
            LIMIT
        ));
        assert_eq!(dec.buffered_bytes(), 0);
        assert_eq!(dec.finish(), None);
        // finish() resets the decoder, keeping its limit.
        assert_eq!(dec.max_event_size(), LIMIT);
        dec.feed(b"data: ok\n\n", &mut out).unwrap();
        assert_eq!(out.len(), 2);
    }

    #[test]
    fn a_long_line_inside_one_chunk_fails() {
        let mut dec = SseDecoder::with_max_event_size(16);
        let mut out = Vec::new();
        let error = dec
            .feed(b"data: a\n\ndata: 0123456789abcdefghij\n\n", &mut out)
            .unwrap_err();
        assert!(is_event_limit(&error, 16), "{error}");
        assert_eq!(out, vec![ev(None, "a", None, None)]);
        // A comment line is a line too.
        let mut dec = SseDecoder::with_max_event_size(16);
        assert!(dec.feed(b": 0123456789abcdefghij", &mut out).is_err());
        // Exactly at the limit is fine (the line `data: 0123456789` is 16 bytes).
        let mut dec = SseDecoder::with_max_event_size(16);
        let mut out = Vec::new();
        dec.feed(b"data: 0123456789\n\n", &mut out).unwrap();
        assert_eq!(out, vec![ev(None, "0123456789", None, None)]);
    }

    #[test]
    fn an_event_of_many_short_data_lines_fails_at_the_limit() {
        const LIMIT: usize = 1000;
        let mut dec = SseDecoder::with_max_event_size(LIMIT);
        let mut out = Vec::new();
        let mut result = Ok(());
        for _ in 0..10_000 {
            result = dec.feed(b"data: 0123456789\n", &mut out);
            assert!(dec.buffered_bytes() <= 2 * LIMIT);
            if result.is_err() {
                break;
            }
        }
        assert!(is_event_limit(&result.unwrap_err(), LIMIT));
        assert!(out.is_empty());
        // Just under the limit, with separators counted: 90 lines of 10 bytes + 89 newlines = 989.
        let mut dec = SseDecoder::with_max_event_size(LIMIT);
        for _ in 0..90 {
            dec.feed(b"data: 0123456789\n", &mut out).unwrap();
        }
        dec.feed(b"\n", &mut out).unwrap();
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].data.len(), 989);
        // Invalid UTF-8 grows when decoded lossily: the limit counts the decoded size.
        let mut dec = SseDecoder::with_max_event_size(10);
        assert!(dec.feed(b"data: \xFF\xFF\xFF\xFF\n", &mut out).is_err());
    }

    #[test]
    fn decoder_is_reusable_after_finish() {
        let mut dec = SseDecoder::new();
        let mut out = Vec::new();
        dec.feed(b"data: a", &mut out).unwrap();
        assert_eq!(dec.finish(), Some(ev(None, "a", None, None)));
        dec.feed(b"\xEF\xBB\xBFdata: b\n\n", &mut out).unwrap();
        assert_eq!(out, vec![ev(None, "b", None, None)]);
    }
}
