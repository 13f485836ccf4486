//! Typed view of Groq's rate-limit response headers.

use std::time::{Duration, SystemTime};

use http::HeaderMap;

/// Rate-limit information reported by the server in response headers.
///
/// Every field is `None` when the header is missing or unparseable.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct RateLimitInfo {
    /// `x-ratelimit-limit-requests`: requests allowed per window.
    pub limit_requests: Option<u64>,
    /// `x-ratelimit-limit-tokens`: tokens allowed per window.
    pub limit_tokens: Option<u64>,
    /// `x-ratelimit-remaining-requests`: requests left in the window.
    pub remaining_requests: Option<u64>,
    /// `x-ratelimit-remaining-tokens`: tokens left in the window.
    pub remaining_tokens: Option<u64>,
    /// `x-ratelimit-reset-requests`: time until the request limit resets.
    pub reset_requests: Option<Duration>,
    /// `x-ratelimit-reset-tokens`: time until the token limit resets.
    pub reset_tokens: Option<Duration>,
    /// `retry-after-ms` / `retry-after`: how long the server asks to wait.
    pub retry_after: Option<Duration>,
}

impl RateLimitInfo {
    /// Extracts the rate-limit headers from a response's headers.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let text = |name: &str| {
            headers
                .get(name)
                // As UTF-8, not ASCII only: Groq writes microseconds as `µs`.
                .and_then(|v| std::str::from_utf8(v.as_bytes()).ok())
                .map(str::trim)
        };
        let count = |name: &str| text(name).and_then(|s| s.parse::<u64>().ok());
        let duration = |name: &str| text(name).and_then(parse_groq_duration);
        Self {
            limit_requests: count("x-ratelimit-limit-requests"),
            limit_tokens: count("x-ratelimit-limit-tokens"),
            remaining_requests: count("x-ratelimit-remaining-requests"),
            remaining_tokens: count("x-ratelimit-remaining-tokens"),
            reset_requests: duration("x-ratelimit-reset-requests"),
            reset_tokens: duration("x-ratelimit-reset-tokens"),
            retry_after: super::retry::retry_after(headers, SystemTime::now()),
        }
    }

    /// True when no rate-limit information was present.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// Parses a Groq/Go-style duration such as `2m59.56s`, `7.66s`, `1h2m3s`,
/// `500ms`, `1.5m`, `0s`, or a bare number of seconds (`12`, `12.5`).
///
/// Units: `h`, `m`, `s`, `ms` (and `us`/`µs`, `ns`). Each component is a
/// non-negative decimal number with an optional fraction. Returns `None` for
/// empty, negative, malformed or out-of-range input.
pub fn parse_groq_duration(s: &str) -> Option<Duration> {
    let (first, mut rest) = split_number(s.trim().as_bytes())?;
    // Work in nanoseconds so that decimal inputs round to exact durations.
    let mut total_nanos = 0.0f64;
    let mut number = first;
    if rest.is_empty() {
        total_nanos = number * 1e9;
    }
    while !rest.is_empty() {
        let (unit_nanos, after_unit) = split_unit(rest)?;
        total_nanos += number * unit_nanos;
        if after_unit.is_empty() {
            break;
        }
        (number, rest) = split_number(after_unit)?;
        if rest.is_empty() {
            return None; // a number without a unit after the first component
        }
    }
    let total_nanos = total_nanos.round();
    // `u64::MAX as f64` rounds up to 2^64, hence the strict comparison.
    if !(0.0..(u64::MAX as f64)).contains(&total_nanos) {
        return None;
    }
    // In range and integral: the conversion is exact enough and cannot wrap.
    Some(Duration::from_nanos(total_nanos as u64))
}

/// Splits a leading decimal number (digits with at most one `.` and at least
/// one digit) off `bytes`.
fn split_number(bytes: &[u8]) -> Option<(f64, &[u8])> {
    let end = bytes
        .iter()
        .position(|b| !(b.is_ascii_digit() || *b == b'.'))
        .unwrap_or(bytes.len());
    let (num, rest) = bytes.split_at(end);
    let digits = num.iter().filter(|b| b.is_ascii_digit()).count();
    if digits == 0 || num.len() - digits > 1 {
        return None;
    }
    // Only ASCII digits and one dot: valid UTF-8 and a valid float literal.
    let value = std::str::from_utf8(num).ok()?.parse::<f64>().ok()?;
    value.is_finite().then_some((value, rest))
}

/// Splits a leading unit off `bytes`, returning its length in nanoseconds.
fn split_unit(bytes: &[u8]) -> Option<(f64, &[u8])> {
    const UNITS: [(&[u8], f64); 7] = [
        (b"ms", 1e6),
        (b"us", 1e3),
        ("\u{b5}s".as_bytes(), 1e3),
        (b"ns", 1.0),
        (b"h", 3.6e12),
        (b"m", 6e10),
        (b"s", 1e9),
    ];
    UNITS
        .iter()
        .find_map(|(unit, scale)| bytes.strip_prefix(*unit).map(|rest| (*scale, rest)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn ms(n: u64) -> Option<Duration> {
        Some(Duration::from_millis(n))
    }

    #[test]
    fn minutes_and_seconds() {
        assert_eq!(
            parse_groq_duration("2m59.56s"),
            Some(Duration::from_millis(179_560))
        );
    }

    #[test]
    fn fractional_seconds() {
        assert_eq!(
            parse_groq_duration("7.66s"),
            Some(Duration::from_millis(7660))
        );
        assert_eq!(parse_groq_duration("0.5s"), ms(500));
    }

    #[test]
    fn hours_minutes_seconds() {
        assert_eq!(parse_groq_duration("1h2m3s"), ms(3_723_000));
        assert_eq!(parse_groq_duration("2h"), ms(7_200_000));
        assert_eq!(parse_groq_duration("1h30m"), ms(5_400_000));
    }

    #[test]
    fn milliseconds_vs_minutes() {
        assert_eq!(parse_groq_duration("500ms"), ms(500));
        assert_eq!(parse_groq_duration("1m500ms"), ms(60_500));
        assert_eq!(parse_groq_duration("1m5s"), ms(65_000));
        assert_eq!(
            parse_groq_duration("2.5ms"),
            Some(Duration::from_micros(2500))
        );
        // "m" directly followed by "s" is milliseconds, never minutes + seconds.
        assert_eq!(parse_groq_duration("3ms"), ms(3));
    }

    #[test]
    fn fractional_minutes() {
        assert_eq!(parse_groq_duration("1.5m"), ms(90_000));
    }

    #[test]
    fn zero() {
        assert_eq!(parse_groq_duration("0s"), Some(Duration::ZERO));
        assert_eq!(parse_groq_duration("0"), Some(Duration::ZERO));
    }

    #[test]
    fn bare_seconds() {
        assert_eq!(parse_groq_duration("12"), ms(12_000));
        assert_eq!(parse_groq_duration("12.5"), ms(12_500));
        assert_eq!(parse_groq_duration(" 12 "), ms(12_000));
    }

    #[test]
    fn sub_millisecond_units() {
        assert_eq!(
            parse_groq_duration("1.5\u{b5}s"),
            Some(Duration::from_nanos(1500))
        );
        assert_eq!(parse_groq_duration("20us"), Some(Duration::from_micros(20)));
        assert_eq!(parse_groq_duration("7ns"), Some(Duration::from_nanos(7)));
    }

    #[test]
    fn garbage_is_rejected() {
        for s in [
            "", "   ", "-1s", "-5", "+5", "s", "ms", "abc", "1x", "1.2.3s", ".s", "1h2", "1s 2m",
            "1 s", "1e3", "1e3s", "inf", "NaN", "1m-2s", "\u{b5}", "1\u{b5}", "5m\u{e9}",
        ] {
            assert_eq!(parse_groq_duration(s), None, "{s:?}");
        }
    }

    #[test]
    fn huge_values_do_not_panic() {
        let huge = "9".repeat(400);
        assert_eq!(parse_groq_duration(&huge), None);
        assert_eq!(parse_groq_duration(&format!("{huge}h")), None);
        assert_eq!(parse_groq_duration("99999999999999999999h"), None);
        assert_eq!(parse_groq_duration("1h1h"), ms(7_200_000));
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn from_realistic_headers() {
        let h = headers(&[
            ("content-type", "application/json"),
            ("x-ratelimit-limit-requests", "14400"),
            ("x-ratelimit-limit-tokens", "18000"),
            ("x-ratelimit-remaining-requests", "14370"),
            ("x-ratelimit-remaining-tokens", "17997"),
            ("x-ratelimit-reset-requests", "2m59.56s"),
            ("x-ratelimit-reset-tokens", "7.66s"),
            ("retry-after", "3"),
        ]);
        let info = RateLimitInfo::from_headers(&h);
        assert_eq!(info.limit_requests, Some(14_400));
        assert_eq!(info.limit_tokens, Some(18_000));
        assert_eq!(info.remaining_requests, Some(14_370));
        assert_eq!(info.remaining_tokens, Some(17_997));
        assert_eq!(info.reset_requests, Some(Duration::from_millis(179_560)));
        assert_eq!(info.reset_tokens, Some(Duration::from_millis(7_660)));
        assert_eq!(info.retry_after, Some(Duration::from_secs(3)));
        assert!(!info.is_empty());
    }

    #[test]
    fn a_reset_in_microseconds_is_read_from_its_utf8_header() {
        // `µs` is two bytes of UTF-8 on the wire, not ASCII.
        let mut h = HeaderMap::new();
        h.insert(
            "x-ratelimit-reset-tokens",
            HeaderValue::from_bytes("430\u{b5}s".as_bytes()).unwrap(),
        );
        let info = RateLimitInfo::from_headers(&h);
        assert_eq!(info.reset_tokens, Some(Duration::from_micros(430)));
    }

    #[test]
    fn from_headers_missing() {
        let info = RateLimitInfo::from_headers(&HeaderMap::new());
        assert_eq!(info, RateLimitInfo::default());
        assert!(info.is_empty());
        let info = RateLimitInfo::from_headers(&headers(&[("content-length", "10")]));
        assert!(info.is_empty());
    }

    #[test]
    fn from_headers_partial_and_garbage() {
        let mut h = headers(&[
            ("x-ratelimit-limit-requests", "lots"),
            ("x-ratelimit-limit-tokens", "-1"),
            ("x-ratelimit-remaining-requests", "99999999999999999999999"),
            ("x-ratelimit-remaining-tokens", " 42 "),
            ("x-ratelimit-reset-requests", "soon"),
            ("x-ratelimit-reset-tokens", "-3s"),
            ("retry-after", "whenever"),
        ]);
        h.insert(
            "x-ratelimit-limit-requests",
            HeaderValue::from_bytes(b"\xFF12").unwrap(),
        );
        let info = RateLimitInfo::from_headers(&h);
        assert_eq!(
            info,
            RateLimitInfo {
                remaining_tokens: Some(42),
                ..RateLimitInfo::default()
            }
        );
        assert!(!info.is_empty());
    }

    #[test]
    fn from_headers_retry_after_ms() {
        let h = headers(&[("retry-after-ms", "1500")]);
        let info = RateLimitInfo::from_headers(&h);
        assert_eq!(info.retry_after, ms(1500));
        assert!(!info.is_empty());
    }
}
