//! Retry policy: which responses are retried and how long to wait.
//!
//! Pure functions only; the clients do the sleeping and re-sending.

use std::time::{Duration, SystemTime};

use http::HeaderMap;

/// Number of retries performed by default after the first attempt.
pub const DEFAULT_MAX_RETRIES: u32 = 2;

/// Delay before the first retry when the server gives no usable hint.
const INITIAL_RETRY_DELAY_SECS: f64 = 0.5;
/// Upper bound of the exponential backoff.
const MAX_RETRY_DELAY_SECS: f64 = 8.0;
/// Longest server-requested wait that is honoured.
const MAX_SERVER_WAIT: Duration = Duration::from_secs(60);

/// True for statuses that are retried: 408, 409, 429 and every 5xx (or above).
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 408 | 409 | 429) || status >= 500
}

/// Decides whether a failed response is retried.
///
/// A `x-should-retry: true` header forces a retry and `x-should-retry: false`
/// forbids one (values compared case-insensitively, other values ignored);
/// otherwise [`is_retryable_status`] decides.
pub fn should_retry(status: u16, headers: &HeaderMap) -> bool {
    match header_str(headers, "x-should-retry") {
        Some(v) if v.eq_ignore_ascii_case("true") => true,
        Some(v) if v.eq_ignore_ascii_case("false") => false,
        _ => is_retryable_status(status),
    }
}

/// The wait the server asked for, without any range filter.
///
/// Reads `retry-after-ms` (milliseconds, possibly fractional) and otherwise
/// `retry-after` (seconds, possibly fractional, or an HTTP date interpreted
/// relative to `now`; a date in the past yields zero). Negative, non-finite
/// or unparseable values yield `None`.
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    if let Some(ms) = header_str(headers, "retry-after-ms").and_then(parse_non_negative) {
        if let Ok(d) = Duration::try_from_secs_f64(ms / 1000.0) {
            return Some(d);
        }
    }
    let value = header_str(headers, "retry-after")?;
    if let Some(secs) = parse_non_negative(value) {
        return Duration::try_from_secs_f64(secs).ok();
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Delay before the next attempt.
///
/// Uses the server-given wait from [`retry_after`] when it lies in
/// (0 s, 60 s]; otherwise exponential backoff
/// `min(0.5 s * 2^retries_taken, 8 s) * (1 - 0.25 * jitter)`, with `jitter`
/// clamped to `[0, 1]` (NaN counts as 0).
pub fn retry_delay(
    retries_taken: u32,
    headers: Option<&HeaderMap>,
    jitter: f64,
    now: SystemTime,
) -> Duration {
    if let Some(wait) = headers.and_then(|h| retry_after(h, now)) {
        if wait > Duration::ZERO && wait <= MAX_SERVER_WAIT {
            return wait;
        }
    }
    // 2^5 * 0.5 s already exceeds the cap, so the exponent is bounded.
    let exponent = i32::try_from(retries_taken.min(16)).unwrap_or(16);
    let base = (INITIAL_RETRY_DELAY_SECS * 2f64.powi(exponent)).min(MAX_RETRY_DELAY_SECS);
    let jitter = if jitter.is_nan() {
        0.0
    } else {
        jitter.clamp(0.0, 1.0)
    };
    Duration::try_from_secs_f64(base * (1.0 - 0.25 * jitter)).unwrap_or(Duration::from_millis(500))
}

/// The longest wait [`scale_delay`] returns: the longest wait a server may ask for (`retry-after` is
/// honoured up to 60 s), so that no retry delay scale makes a client sleep for longer than the server could.
pub const MAX_SCALED_DELAY: Duration = MAX_SERVER_WAIT;

/// `delay` multiplied by the retry delay `scale`, without ever panicking.
///
/// The result saturates at [`MAX_SCALED_DELAY`] (60 s): a huge or infinite scale waits 60 s, never
/// overflows. A scale of 0, a negative scale or NaN give no wait at all (the configuration refuses
/// negative and non-finite scales, so these only reach here from a direct call).
///
/// ```
/// use groq_types::sdk::retry::{scale_delay, MAX_SCALED_DELAY};
/// use std::time::Duration;
///
/// assert_eq!(scale_delay(Duration::from_secs(2), 0.5), Duration::from_secs(1));
/// assert_eq!(scale_delay(Duration::from_secs(2), 1e20), MAX_SCALED_DELAY);
/// assert_eq!(scale_delay(Duration::from_secs(2), 0.0), Duration::ZERO);
/// ```
pub fn scale_delay(delay: Duration, scale: f64) -> Duration {
    let secs = delay.as_secs_f64() * scale;
    // NaN (a NaN scale, or 0 × ∞) counts as no wait.
    if secs.is_nan() || secs <= 0.0 {
        return Duration::ZERO;
    }
    if secs >= MAX_SCALED_DELAY.as_secs_f64() {
        return MAX_SCALED_DELAY;
    }
    Duration::try_from_secs_f64(secs).unwrap_or(MAX_SCALED_DELAY)
}

/// Header value as trimmed text, if present and visible ASCII.
fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

/// Parses a plain decimal number (`12`, `1.5`, `.5`, `3.`), rejecting signs,
/// exponents, `inf`/`nan` and anything else.
fn parse_non_negative(s: &str) -> Option<f64> {
    let mut digits = 0usize;
    let mut dots = 0usize;
    for b in s.bytes() {
        match b {
            b'0'..=b'9' => digits += 1,
            b'.' => dots += 1,
            _ => return None,
        }
    }
    if digits == 0 || dots > 1 {
        return None;
    }
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    fn now() -> SystemTime {
        // Sun, 06 Nov 1994 08:49:37 GMT
        SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777)
    }

    fn backoff(n: u32, jitter: f64) -> Duration {
        retry_delay(n, None, jitter, now())
    }

    #[test]
    fn default_max_retries() {
        assert_eq!(DEFAULT_MAX_RETRIES, 2);
    }

    #[test]
    fn retryable_statuses() {
        for s in [408, 409, 429, 500, 502, 503, 504, 529, 599, 600, 999] {
            assert!(is_retryable_status(s), "{s}");
        }
        for s in [
            0, 100, 200, 201, 204, 301, 304, 400, 401, 403, 404, 405, 407, 410, 413, 422, 428, 430,
            499,
        ] {
            assert!(!is_retryable_status(s), "{s}");
        }
    }

    #[test]
    fn should_retry_follows_status_without_header() {
        let h = HeaderMap::new();
        assert!(should_retry(429, &h));
        assert!(should_retry(503, &h));
        assert!(!should_retry(400, &h));
    }

    #[test]
    fn x_should_retry_true_forces() {
        for v in ["true", "TRUE", "True", " true "] {
            let h = headers(&[("x-should-retry", v)]);
            assert!(should_retry(400, &h), "{v}");
            assert!(should_retry(200, &h), "{v}");
        }
    }

    #[test]
    fn x_should_retry_false_forbids() {
        for v in ["false", "FALSE", "False"] {
            let h = headers(&[("x-should-retry", v)]);
            assert!(!should_retry(500, &h), "{v}");
            assert!(!should_retry(429, &h), "{v}");
        }
    }

    #[test]
    fn x_should_retry_other_values_ignored() {
        for v in ["yes", "1", "", "maybe"] {
            let h = headers(&[("x-should-retry", v)]);
            assert!(should_retry(500, &h), "{v}");
            assert!(!should_retry(400, &h), "{v}");
        }
        let mut h = HeaderMap::new();
        h.insert(
            "x-should-retry",
            HeaderValue::from_bytes(b"tr\xFFue").unwrap(),
        );
        assert!(should_retry(503, &h));
    }

    #[test]
    fn retry_after_ms_header() {
        let h = headers(&[("retry-after-ms", "1500")]);
        assert_eq!(retry_after(&h, now()), Some(Duration::from_millis(1500)));
        assert_eq!(
            retry_delay(0, Some(&h), 0.0, now()),
            Duration::from_millis(1500)
        );
    }

    #[test]
    fn retry_after_ms_fractional_and_precedence() {
        let h = headers(&[("retry-after-ms", "250.5"), ("retry-after", "30")]);
        assert_eq!(retry_after(&h, now()), Some(Duration::from_micros(250_500)));
        // Unparseable ms header falls back to retry-after.
        let h = headers(&[("retry-after-ms", "soon"), ("retry-after", "3")]);
        assert_eq!(retry_after(&h, now()), Some(Duration::from_secs(3)));
    }

    #[test]
    fn retry_after_seconds_header() {
        let h = headers(&[("retry-after", "7")]);
        assert_eq!(retry_after(&h, now()), Some(Duration::from_secs(7)));
        assert_eq!(retry_delay(3, Some(&h), 0.9, now()), Duration::from_secs(7));
    }

    #[test]
    fn retry_after_fractional_seconds() {
        let h = headers(&[("retry-after", "1.25")]);
        assert_eq!(
            retry_delay(0, Some(&h), 0.0, now()),
            Duration::from_millis(1250)
        );
    }

    #[test]
    fn retry_after_http_date() {
        let h = headers(&[("retry-after", "Sun, 06 Nov 1994 08:50:07 GMT")]);
        assert_eq!(retry_after(&h, now()), Some(Duration::from_secs(30)));
        assert_eq!(
            retry_delay(0, Some(&h), 0.0, now()),
            Duration::from_secs(30)
        );
        // A date in the past is "now": zero, hence backoff.
        let h = headers(&[("retry-after", "Sun, 06 Nov 1994 08:00:00 GMT")]);
        assert_eq!(retry_after(&h, now()), Some(Duration::ZERO));
        assert_eq!(
            retry_delay(0, Some(&h), 0.0, now()),
            Duration::from_millis(500)
        );
        // Far future date: out of range, backoff.
        let h = headers(&[("retry-after", "Mon, 07 Nov 1994 08:49:37 GMT")]);
        assert_eq!(retry_after(&h, now()), Some(Duration::from_secs(86_400)));
        assert_eq!(retry_delay(1, Some(&h), 0.0, now()), Duration::from_secs(1));
    }

    #[test]
    fn out_of_range_falls_back_to_backoff() {
        for (name, v) in [
            ("retry-after", "0"),
            ("retry-after", "-5"),
            ("retry-after", "61"),
            ("retry-after", "86400"),
            ("retry-after-ms", "0"),
            ("retry-after-ms", "-100"),
            ("retry-after-ms", "60001"),
            ("retry-after-ms", "86400000"),
        ] {
            let h = headers(&[(name, v)]);
            assert_eq!(
                retry_delay(2, Some(&h), 0.0, now()),
                Duration::from_secs(2),
                "{name}: {v}"
            );
        }
        // Exactly 60 s is still honoured.
        let h = headers(&[("retry-after", "60")]);
        assert_eq!(
            retry_delay(0, Some(&h), 0.0, now()),
            Duration::from_secs(60)
        );
    }

    #[test]
    fn backoff_without_jitter() {
        let expected = [500, 1000, 2000, 4000, 8000, 8000, 8000];
        for (n, ms) in expected.iter().enumerate() {
            assert_eq!(
                backoff(n as u32, 0.0),
                Duration::from_millis(*ms),
                "n = {n}"
            );
        }
    }

    #[test]
    fn backoff_with_full_jitter() {
        let expected = [375, 750, 1500, 3000, 6000, 6000, 6000];
        for (n, ms) in expected.iter().enumerate() {
            assert_eq!(
                backoff(n as u32, 1.0),
                Duration::from_millis(*ms),
                "n = {n}"
            );
        }
    }

    #[test]
    fn backoff_jitter_is_clamped_and_huge_exponents_are_safe() {
        assert_eq!(backoff(0, -3.0), Duration::from_millis(500));
        assert_eq!(backoff(0, 7.0), Duration::from_millis(375));
        assert_eq!(backoff(0, f64::NAN), Duration::from_millis(500));
        assert_eq!(backoff(0, f64::INFINITY), Duration::from_millis(375));
        assert_eq!(backoff(u32::MAX, 0.0), Duration::from_secs(8));
        assert_eq!(backoff(1_000, 0.5), Duration::from_millis(7000));
        let d = backoff(1, 0.5);
        assert!(d > Duration::from_millis(750) && d < Duration::from_millis(1000));
    }

    #[test]
    fn garbage_headers_fall_back_to_backoff() {
        for v in [
            "",
            "soon",
            "1e3",
            "inf",
            "NaN",
            "+5",
            "1.2.3",
            ".",
            "5 s",
            "Sun, 99 Nov 1994 08:49:37 GMT",
            "99999999999999999999999999999999999999999999",
        ] {
            let h = headers(&[("retry-after", v), ("retry-after-ms", v)]);
            assert_eq!(
                retry_delay(0, Some(&h), 0.0, now()),
                Duration::from_millis(500),
                "{v:?}"
            );
        }
        let mut h = HeaderMap::new();
        h.insert("retry-after", HeaderValue::from_bytes(b"\xFF\xFE").unwrap());
        assert_eq!(retry_after(&h, now()), None);
        assert_eq!(
            retry_delay(0, Some(&h), 0.0, now()),
            Duration::from_millis(500)
        );
    }

    #[test]
    fn scale_delay_never_panics_and_saturates() {
        let two = Duration::from_secs(2);
        assert_eq!(scale_delay(two, 1.0), two);
        assert_eq!(scale_delay(two, 0.25), Duration::from_millis(500));
        assert_eq!(scale_delay(two, 0.0), Duration::ZERO);
        assert_eq!(scale_delay(two, 30.0), Duration::from_secs(60));
        assert_eq!(scale_delay(two, 30.5), MAX_SCALED_DELAY);
        for huge in [1e20, f64::MAX, f64::INFINITY] {
            assert_eq!(scale_delay(two, huge), MAX_SCALED_DELAY, "{huge}");
            assert_eq!(scale_delay(Duration::MAX, huge), MAX_SCALED_DELAY, "{huge}");
        }
        for nothing in [-1.0, -1e20, f64::NEG_INFINITY, f64::NAN, -0.0] {
            assert_eq!(scale_delay(two, nothing), Duration::ZERO, "{nothing}");
        }
        assert_eq!(scale_delay(Duration::ZERO, f64::INFINITY), Duration::ZERO);
        assert_eq!(scale_delay(Duration::MAX, 1.0), MAX_SCALED_DELAY);
        assert_eq!(
            scale_delay(Duration::from_nanos(1), f64::MIN_POSITIVE),
            Duration::ZERO
        );
        // The scaled delay of every backoff step and every server wait stays in range.
        for n in 0..40 {
            let d = retry_delay(n, None, 0.3, now());
            assert!(scale_delay(d, 1e20) <= MAX_SCALED_DELAY);
        }
    }

    #[test]
    fn no_headers_means_no_server_wait() {
        assert_eq!(retry_after(&HeaderMap::new(), now()), None);
        assert_eq!(
            retry_delay(0, Some(&HeaderMap::new()), 0.0, now()),
            Duration::from_millis(500)
        );
    }
}
