//! The SSE decoder on arbitrary bytes fed in arbitrary pieces, with an arbitrary size limit.
//!
//! Input: byte 0 picks the limit (0 = the 16 MiB default, else 1..=255 × 8 bytes), byte 1 the piece
//! sizes, the rest is the stream. Checked: no panic; the events and the outcome do not depend on how the
//! bytes are split; the buffers never exceed twice the limit.
#![no_main]

use groq_types::sdk::sse::{SseDecoder, SseEvent};
use libfuzzer_sys::fuzz_target;

fn decode(limit: usize, pieces: &mut dyn Iterator<Item = &[u8]>) -> (Vec<SseEvent>, bool) {
    let mut decoder = SseDecoder::with_max_event_size(limit);
    let mut out = Vec::new();
    let mut failed = false;
    for piece in pieces {
        if decoder.feed(piece, &mut out).is_err() {
            failed = true;
            break;
        }
        assert!(decoder.buffered_bytes() <= 2 * limit);
    }
    if !failed {
        out.extend(decoder.finish());
    }
    (out, failed)
}

fuzz_target!(|data: &[u8]| {
    let [limit, split, stream @ ..] = data else {
        return;
    };
    let limit = match *limit {
        0 => groq_types::sdk::sse::DEFAULT_MAX_EVENT_SIZE,
        n => usize::from(n) * 8,
    };
    let whole = decode(limit, &mut std::iter::once(stream));
    let size = usize::from(*split % 17) + 1;
    let split = decode(limit, &mut stream.chunks(size));
    assert_eq!(whole, split, "piece size {size}");
});
