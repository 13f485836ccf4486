//! The stable-toolchain twin of the cargo-fuzz targets in `fuzz/`: the same functions on generated input
//! (arbitrary bytes, and inputs assembled from the seed corpus's building blocks), sized to run in a few
//! seconds in CI. Every property holds for every input: no panic, and the invariants below.
//!
//! `PROPTEST_CASES` scales every block (default 256 cases each).

use groq_types::sdk::ratelimit::{parse_groq_duration, RateLimitInfo};
use groq_types::sdk::raw::parse_json;
use groq_types::sdk::retry::{
    retry_after, retry_delay, scale_delay, should_retry, MAX_SCALED_DELAY,
};
use groq_types::sdk::sse::{SseDecoder, SseEvent};
use groq_types::sdk::{Error, EventParser};
use groq_types::*;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use proptest::prelude::*;
use std::time::{Duration, SystemTime};

const CHUNK: &str = r#"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"h\u00e9"},"finish_reason":null}],"x_groq":{"id":"req_1"}}"#;

/// Pieces of event streams: fields, line endings, payloads, and raw bytes.
fn sse_fragment() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"data: ".to_vec()),
        Just(b"data:".to_vec()),
        Just(b"event: ".to_vec()),
        Just(b"event: ping".to_vec()),
        Just(b"event: error".to_vec()),
        Just(b"event: message".to_vec()),
        Just(b"id: 7".to_vec()),
        Just(b"retry: 1500".to_vec()),
        Just(b": comment".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\n\n".to_vec()),
        Just(b"[DONE]".to_vec()),
        Just(b"{}".to_vec()),
        Just(CHUNK.as_bytes().to_vec()),
        Just(br#"{"error":{"message":"boom","type":"t"}}"#.to_vec()),
        Just(br#"{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"x_groq":{"error":"e"}}"#.to_vec()),
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just("\u{4E16}".as_bytes().to_vec()),
        proptest::collection::vec(any::<u8>(), 0..24),
    ]
}

fn sse_stream() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..512),
        proptest::collection::vec(sse_fragment(), 0..40).prop_map(|parts| parts.concat()),
    ]
}

fn decode(limit: usize, pieces: &mut dyn Iterator<Item = &[u8]>) -> (Vec<SseEvent>, bool) {
    let mut decoder = SseDecoder::with_max_event_size(limit);
    let mut out = Vec::new();
    for piece in pieces {
        if decoder.feed(piece, &mut out).is_err() {
            return (out, true);
        }
        assert!(decoder.buffered_bytes() <= 2 * limit);
    }
    out.extend(decoder.finish());
    (out, false)
}

fn parse_stream(
    limit: usize,
    pieces: &mut dyn Iterator<Item = &[u8]>,
) -> Vec<Result<String, String>> {
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
    }
    assert!(parser.is_finished());
    assert!(parser.next_item().is_none());
    let errors = out.iter().filter(|r| r.is_err()).count();
    assert!(errors <= 1, "{out:?}");
    if errors == 1 {
        assert!(out.last().is_some_and(Result::is_err), "{out:?}");
    }
    out
}

macro_rules! decode_all {
    ($data:expr; $($ty:ty),+ $(,)?) => {$(
        if let Ok(value) = parse_json::<$ty>($data) {
            let json = serde_json::to_vec(&value).expect("a decoded value serialises");
            assert!(parse_json::<$ty>(&json).is_ok(), "{} does not round-trip", stringify!($ty));
        }
    )+};
}

fn decode_every_response_type(data: &[u8]) {
    decode_all!(data;
        ChatCompletion,
        ChatCompletionChunk,
        ListModelsResponse,
        Model,
        DeleteModelResponse,
        CreateEmbeddingResponse,
        Batch,
        ListBatchesResponse,
        File,
        ListFilesResponse,
        DeleteFileResponse,
        ListFineTuningsResponse,
        ReadFineTuningResponse,
        DeleteFineTuningResponse,
        CreateTranscriptionResponseJson,
        CreateTranscriptionResponseVerboseJson,
        CreateTranslationResponseJson,
        CreateTranslationResponseVerboseJson,
        RerankingResponse,
        CreateResponseResponse,
    );
    if let Ok(response) = parse_json::<CreateEmbeddingResponse>(data) {
        let _ = response.vectors();
    }
}

/// Valid payloads of the response types, to be cut and spliced.
const RESPONSES: [&str; 6] = [
    CHUNK,
    r#"{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"x"},"finish_reason":"stop","logprobs":null}],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}"#,
    r#"{"object":"list","data":[{"id":"llama","object":"model","created":1,"owned_by":"Meta","active":true,"context_window":131072}]}"#,
    r#"{"object":"list","data":[{"object":"embedding","index":0,"embedding":"AACAPwAAAEA="}],"model":"e","usage":{"prompt_tokens":1,"total_tokens":1}}"#,
    r#"{"id":"batch_1","object":"batch","endpoint":"/v1/chat/completions","input_file_id":"f","completion_window":"24h","status":"validating","created_at":1,"request_counts":{"total":0,"completed":0,"failed":0}}"#,
    r#"{"text":" hi","segments":[{"id":0,"seek":0,"start":0.0,"end":1.5,"text":" hi","tokens":[1],"temperature":0,"avg_logprob":-0.1,"compression_ratio":1.2,"no_speech_prob":0.01}],"language":"en","duration":1.5}"#,
];

fn response_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..256),
        (
            0..RESPONSES.len(),
            any::<prop::sample::Index>(),
            proptest::collection::vec(any::<u8>(), 0..8)
        )
            .prop_map(|(which, at, splice)| {
                let mut body = RESPONSES[which].as_bytes().to_vec();
                let at = at.index(body.len() + 1);
                body.splice(at..at, splice);
                body
            }),
        (0..RESPONSES.len(), any::<prop::sample::Index>()).prop_map(|(which, at)| {
            let body = RESPONSES[which].as_bytes();
            body[..at.index(body.len() + 1)].to_vec()
        }),
    ]
}

fn header_value() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..24),
        "[0-9.hmsuµn]{0,12}".prop_map(String::into_bytes),
        "[0-9]{0,25}".prop_map(String::into_bytes),
        Just(b"Sun, 06 Nov 1994 08:49:37 GMT".to_vec()),
        Just(b"true".to_vec()),
        Just(b"false".to_vec()),
    ]
}

const HEADER_NAMES: [&str; 10] = [
    "x-ratelimit-limit-requests",
    "x-ratelimit-limit-tokens",
    "x-ratelimit-remaining-requests",
    "x-ratelimit-remaining-tokens",
    "x-ratelimit-reset-requests",
    "x-ratelimit-reset-tokens",
    "retry-after",
    "retry-after-ms",
    "x-should-retry",
    "x-request-id",
];

fn headers_from(values: &[(usize, Vec<u8>)]) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for (which, value) in values {
        if let Ok(value) = HeaderValue::from_bytes(value) {
            let name = HEADER_NAMES[which % HEADER_NAMES.len()];
            headers.append(HeaderName::from_static(name), value);
        }
    }
    headers
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn sse_decoder_is_split_independent_bounded_and_never_panics(
        stream in sse_stream(),
        piece in 1usize..17,
        limit in prop_oneof![Just(groq_types::sdk::sse::DEFAULT_MAX_EVENT_SIZE), 1usize..64],
    ) {
        let whole = decode(limit, &mut std::iter::once(&stream[..]));
        let split = decode(limit, &mut stream.chunks(piece));
        prop_assert_eq!(whole, split);
    }

    #[test]
    fn event_parser_ends_once_and_never_panics(
        stream in sse_stream(),
        piece in 1usize..13,
        limit in prop_oneof![Just(groq_types::sdk::sse::DEFAULT_MAX_EVENT_SIZE), 1usize..256],
    ) {
        let whole = parse_stream(limit, &mut std::iter::once(&stream[..]));
        let split = parse_stream(limit, &mut stream.chunks(piece));
        prop_assert_eq!(whole, split);
    }

    #[test]
    fn every_response_type_decodes_or_errs(body in response_body()) {
        decode_every_response_type(&body);
    }

    #[test]
    fn error_mapping_never_panics(
        status in 100u16..1000,
        values in proptest::collection::vec((any::<usize>(), header_value()), 0..6),
        body in response_body(),
    ) {
        let status = StatusCode::from_u16(status).unwrap();
        let error = Error::from_status(status, headers_from(&values), &body);
        let api = error.api_error().expect("a status error");
        prop_assert_eq!(error.status(), Some(status));
        prop_assert_eq!(api.status, status);
        prop_assert!(!error.is_connection() && !error.is_timeout() && !error.is_limit_exceeded());
        let _ = (error.to_string(), format!("{error:?}"), api.rate_limit(), error.request_id());
    }

    #[test]
    fn rate_limit_and_retry_headers_never_panic(
        values in proptest::collection::vec((any::<usize>(), header_value()), 0..10),
        text in "\\PC{0,16}",
        retries in any::<u32>(),
        jitter in any::<f64>(),
        scale in any::<f64>(),
        status in any::<u16>(),
    ) {
        let _ = parse_groq_duration(&text);
        let headers = headers_from(&values);
        let _ = RateLimitInfo::from_headers(&headers);
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let _ = retry_after(&headers, now);
        let _ = should_retry(status, &headers);
        let delay = retry_delay(retries, Some(&headers), jitter, now);
        prop_assert!(delay <= Duration::from_secs(60));
        prop_assert!(scale_delay(delay, scale) <= MAX_SCALED_DELAY);
    }

    #[test]
    fn scale_delay_is_total(secs in any::<u64>(), nanos in 0u32..1_000_000_000, scale in any::<f64>()) {
        let scaled = scale_delay(Duration::new(secs, nanos), scale);
        prop_assert!(scaled <= MAX_SCALED_DELAY);
        if scale.is_nan() || scale <= 0.0 {
            prop_assert_eq!(scaled, Duration::ZERO);
        }
    }
}
