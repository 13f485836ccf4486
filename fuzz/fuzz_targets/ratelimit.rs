//! Rate-limit and retry headers with arbitrary values, and the retry delay scale with arbitrary floats.
//!
//! Input: lines; line k is the value of header k (mod the list below); the first 16 bytes also give a
//! retry count, a jitter and a scale. Checked: no panic; the retry delay stays within 60 s and a scaled
//! delay within `MAX_SCALED_DELAY`.
#![no_main]

use groq_types::sdk::ratelimit::{parse_groq_duration, RateLimitInfo};
use groq_types::sdk::retry::{
    retry_after, retry_delay, scale_delay, should_retry, MAX_SCALED_DELAY,
};
use http::{HeaderMap, HeaderValue};
use libfuzzer_sys::fuzz_target;
use std::time::{Duration, SystemTime};

const NAMES: [&str; 9] = [
    "x-ratelimit-limit-requests",
    "x-ratelimit-limit-tokens",
    "x-ratelimit-remaining-requests",
    "x-ratelimit-remaining-tokens",
    "x-ratelimit-reset-requests",
    "x-ratelimit-reset-tokens",
    "retry-after",
    "retry-after-ms",
    "x-should-retry",
];

fuzz_target!(|data: &[u8]| {
    let mut headers = HeaderMap::new();
    for (k, line) in data.split(|b| *b == b'\n').enumerate() {
        if let Ok(text) = std::str::from_utf8(line) {
            let _ = parse_groq_duration(text);
        }
        if let Ok(value) = HeaderValue::from_bytes(line) {
            headers.append(NAMES[k % NAMES.len()], value);
        }
    }
    let info = RateLimitInfo::from_headers(&headers);
    let _ = (info.is_empty(), format!("{info:?}"));
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let _ = retry_after(&headers, now);
    let mut numbers = [0u8; 16];
    for (slot, byte) in numbers.iter_mut().zip(data) {
        *slot = *byte;
    }
    let [a, b, c, d, e, f, g, h, rest @ ..] = numbers;
    let jitter = f64::from_le_bytes([a, b, c, d, e, f, g, h]);
    let scale = f64::from_le_bytes(rest);
    let retries = u32::from(a) << 8 | u32::from(b);
    let delay = retry_delay(retries, Some(&headers), jitter, now);
    assert!(delay <= Duration::from_secs(60), "{delay:?}");
    assert!(scale_delay(delay, scale) <= MAX_SCALED_DELAY);
    let _ = should_retry(u16::from(c) * 4, &headers);
});
