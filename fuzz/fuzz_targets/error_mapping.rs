//! Error mapping from an arbitrary status, arbitrary headers and an arbitrary body.
//!
//! Input: bytes 0-1 the status (mod 1000), then `name: value` header lines up to a blank line, then the
//! body. Checked: no panic; the kind matches the status; Display, Debug and the accessors work.
#![no_main]

use groq_types::sdk::Error;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use libfuzzer_sys::fuzz_target;

fn headers(text: &[u8]) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for line in text.split(|b| *b == b'\n') {
        let Some(colon) = line.iter().position(|b| *b == b':') else {
            continue;
        };
        let (name, value) = line.split_at(colon);
        let value = value.get(1..).unwrap_or_default();
        if let (Ok(name), Ok(value)) =
            (HeaderName::from_bytes(name), HeaderValue::from_bytes(value))
        {
            headers.append(name, value);
        }
    }
    headers
}

fuzz_target!(|data: &[u8]| {
    let [hi, lo, rest @ ..] = data else {
        return;
    };
    let Ok(status) = StatusCode::from_u16(u16::from_be_bytes([*hi, *lo]) % 1000) else {
        return;
    };
    let (head, body) = match rest.windows(2).position(|w| w == b"\n\n") {
        Some(at) => {
            let (head, body) = rest.split_at(at);
            (head, body.get(2..).unwrap_or_default())
        }
        None => (&[][..], rest),
    };
    let error = Error::from_status(status, headers(head), body);
    let api = error.api_error().expect("a status error");
    assert_eq!(error.status(), Some(status));
    assert_eq!(api.status, status);
    assert!(!error.is_connection() && !error.is_timeout() && !error.is_limit_exceeded());
    match status.as_u16() {
        429 => assert!(matches!(error, Error::RateLimit(_))),
        500.. => assert!(matches!(error, Error::InternalServer(_))),
        _ => {}
    }
    let _ = (
        error.to_string(),
        format!("{error:?}"),
        format!("{error:#?}"),
    );
    let _ = (
        api.rate_limit(),
        error.request_id(),
        api.failed_generation.as_deref(),
    );
});
