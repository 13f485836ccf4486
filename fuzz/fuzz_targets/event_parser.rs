//! The typed event parser (chat completion chunks) on arbitrary bytes in arbitrary pieces.
//!
//! Input: byte 0 picks the limit (0 = default, else × 16 bytes), byte 1 the piece size, the rest is the
//! stream. Checked: no panic; at most one error, and it is the last thing the stream yields; a stream
//! always ends (finish, then `None`); items do not depend on the split.
#![no_main]

use groq_types::sdk::EventParser;
use groq_types::ChatCompletionChunk;
use libfuzzer_sys::fuzz_target;

fn run(limit: usize, pieces: &mut dyn Iterator<Item = &[u8]>) -> Vec<Result<String, String>> {
    let mut parser = EventParser::<ChatCompletionChunk>::with_max_event_size(limit);
    let mut out = Vec::new();
    for piece in pieces {
        parser.feed(piece);
        while let Some(item) = parser.next_item() {
            out.push(item.map(|c| c.id).map_err(|e| e.to_string()));
        }
    }
    parser.finish();
    while let Some(item) = parser.next_item() {
        out.push(item.map(|c| c.id).map_err(|e| e.to_string()));
        assert!(out.len() < 1_000_000);
    }
    assert!(parser.is_finished());
    assert!(parser.next_item().is_none());
    let errors = out.iter().filter(|r| r.is_err()).count();
    assert!(errors <= 1);
    if errors == 1 {
        assert!(out.last().is_some_and(Result::is_err));
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let [limit, split, stream @ ..] = data else {
        return;
    };
    let limit = match *limit {
        0 => groq_types::sdk::sse::DEFAULT_MAX_EVENT_SIZE,
        n => usize::from(n) * 16,
    };
    let whole = run(limit, &mut std::iter::once(stream));
    let size = usize::from(*split % 13) + 1;
    let split = run(limit, &mut stream.chunks(size));
    assert_eq!(whole, split, "piece size {size}");
});
