//! Incremental Server-Sent Events decoder following the WHATWG
//! `text/event-stream` parsing rules.
//!
//! The decoder is I/O free: bytes are pushed in with [`SseDecoder::feed`] in
//! chunks of any size (a chunk boundary may fall anywhere, including inside a
//! multi-byte UTF-8 sequence or between the CR and LF of a CRLF line ending)
//! and complete events come out. Invalid UTF-8 is decoded lossily; no input
//! can make the decoder panic.

use std::borrow::Cow;

/// UTF-8 byte order mark, ignored at the very start of a stream.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One decoded Server-Sent Event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
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
#[derive(Debug, Default)]
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
}

impl SseDecoder {
    /// Creates a decoder at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds bytes from the network; decoded events are appended to `out`.
    pub fn feed(&mut self, chunk: &[u8], out: &mut Vec<SseEvent>) {
        let mut input = chunk;
        if input.is_empty() {
            return;
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
                    self.line.extend_from_slice(input);
                    return;
                }
                Some(pos) => {
                    let (head, rest) = input.split_at(pos);
                    self.line.extend_from_slice(head);
                    let mut line = std::mem::take(&mut self.line);
                    if let Some(ev) = self.process_line(&line) {
                        out.push(ev);
                    }
                    line.clear();
                    self.line = line;
                    input = self.skip_eol(rest);
                }
            }
        }

        // Process complete lines straight from the chunk, without copying.
        while let Some(pos) = find_eol(input) {
            let (line, rest) = input.split_at(pos);
            if let Some(ev) = self.process_line(line) {
                out.push(ev);
            }
            input = self.skip_eol(rest);
        }
        self.line.extend_from_slice(input);
    }

    /// Ends the input. Returns the last event if the stream was cut after at
    /// least one field line of an event but before the blank line that should
    /// end it; a partial unterminated line is processed as a line first.
    ///
    /// The decoder is reset afterwards and can decode a new stream.
    pub fn finish(&mut self) -> Option<SseEvent> {
        let line = std::mem::take(&mut self.line);
        let mut result = None;
        if !line.is_empty() {
            result = self.process_line(&line);
        }
        if result.is_none() && self.has_fields {
            result = Some(self.take_event());
        }
        *self = Self::default();
        result
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

    /// Processes one complete line (without terminator); returns an event if
    /// the line dispatched one.
    fn process_line(&mut self, mut line: &[u8]) -> Option<SseEvent> {
        if !self.started {
            self.started = true;
            if let Some(rest) = line.strip_prefix(BOM) {
                line = rest;
            }
        }
        if line.is_empty() {
            return if self.has_fields {
                Some(self.take_event())
            } else {
                None
            };
        }
        let (name, value) = match line.iter().position(|&b| b == b':') {
            Some(0) => return None, // comment
            Some(pos) => {
                let (name, rest) = line.split_at(pos);
                let value = rest.get(1..).unwrap_or_default();
                (name, value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &[][..]),
        };
        match name {
            b"data" => {
                if self.has_data {
                    self.event.data.push('\n');
                }
                match std::str::from_utf8(value) {
                    Ok(text) => self.event.data.push_str(text),
                    Err(_) => self.event.data.push_str(&String::from_utf8_lossy(value)),
                }
                self.has_data = true;
                self.has_fields = true;
            }
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
        None
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
    bytes.iter().position(|&b| b == b'\n' || b == b'\r')
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
            dec.feed(c, &mut out);
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
            dec.feed(b, &mut out);
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
        dec.feed(b"data: one\n\ndata: two\ndata: thr", &mut out);
        assert_eq!(out, vec![ev(None, "one", None, None)]);
        assert!(!dec.is_idle());
        assert_eq!(dec.finish(), Some(ev(None, "two\nthr", None, None)));
        assert!(dec.is_idle());
    }

    #[test]
    fn finish_returns_event_missing_blank_line() {
        let mut dec = SseDecoder::new();
        let mut out = Vec::new();
        dec.feed(b"event: done\ndata: x\n", &mut out);
        assert!(out.is_empty());
        assert_eq!(dec.finish(), Some(ev(Some("done"), "x", None, None)));
    }

    #[test]
    fn finish_none_after_clean_end() {
        let mut dec = SseDecoder::new();
        let mut out = Vec::new();
        dec.feed(b"data: a\r\n\r\n", &mut out);
        assert!(dec.is_idle());
        assert_eq!(dec.finish(), None);
        assert_eq!(out, vec![ev(None, "a", None, None)]);
    }

    #[test]
    fn finish_none_for_comment_only_tail() {
        let mut dec = SseDecoder::new();
        let mut out = Vec::new();
        dec.feed(b"data: a\n\n: trailing comm", &mut out);
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
        dec.feed(b"data: a\r", &mut out);
        dec.feed(b"\n", &mut out);
        dec.feed(b"\r", &mut out);
        assert_eq!(out, vec![ev(None, "a", None, None)]);
        dec.feed(b"", &mut out);
        // The LF completes the previous CR: no extra blank line.
        dec.feed(b"\ndata: b\r", &mut out);
        dec.feed(b"\r", &mut out);
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

    #[test]
    fn decoder_is_reusable_after_finish() {
        let mut dec = SseDecoder::new();
        let mut out = Vec::new();
        dec.feed(b"data: a", &mut out);
        assert_eq!(dec.finish(), Some(ev(None, "a", None, None)));
        dec.feed(b"\xEF\xBB\xBFdata: b\n\n", &mut out);
        assert_eq!(out, vec![ev(None, "b", None, None)]);
    }
}
