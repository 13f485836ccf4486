//! No secret (the API key, a header value, a query value, a base URL's password) ever shows in the `Debug`
//! (`{:?}`, `{:#?}`) or `Display` output of a public type that can hold one, nor anywhere in an error's
//! `source()` chain.

use groq_types::sdk::config::{ENV_API_KEY, ENV_BASE_URL, ENV_CUSTOM_HEADERS};
use groq_types::sdk::request::{header_map, redact_url, redact_url_str};
use groq_types::sdk::{
    ApiError, ApiKey, ClientConfig, ConfigBuilder, Error, RawResponse, RequestOptions, ResponseMeta,
};
use http::{HeaderMap, StatusCode};
use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

const KEY: &str = "gsk_live_KEY_SECRET_0001";
const HEADER_SECRET: &str = "HEADER_SECRET_0002";
const QUERY_SECRET: &str = "QUERY_SECRET_0003";
const URL_PASSWORD: &str = "URL_PASSWORD_0004";
const BODY_SECRET: &str = "BODY_SECRET_0005";
const SECRETS: [&str; 5] = [KEY, HEADER_SECRET, QUERY_SECRET, URL_PASSWORD, BODY_SECRET];

fn assert_clean(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{what} shows {secret}: {text}");
    }
}

fn assert_debug_clean(what: &str, value: &impl fmt::Debug) {
    assert_clean(what, &format!("{value:?}"));
    assert_clean(what, &format!("{value:#?}"));
}

/// Display, Debug and pretty Debug of the error and of every error in its `source()` chain.
fn assert_error_clean(what: &str, error: &(dyn StdError + 'static)) {
    let mut current: Option<&(dyn StdError + 'static)> = Some(error);
    let mut depth = 0;
    while let Some(e) = current {
        let level = format!("{what} (source depth {depth})");
        assert_clean(&level, &e.to_string());
        assert_debug_clean(&level, &e);
        current = e.source();
        depth += 1;
    }
}

fn env<'a>(vars: &'a [(&'static str, String)]) -> impl Fn(&str) -> Option<String> + 'a {
    move |name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    }
}

fn secret_builder() -> ConfigBuilder {
    ConfigBuilder {
        api_key: Some(KEY.into()),
        base_url: Some(format!(
            "https://user:{URL_PASSWORD}@api.example.com/base?token={QUERY_SECRET}"
        )),
        timeout: Some(Duration::from_secs(3)),
        default_headers: vec![
            ("Authorization".into(), format!("Bearer {KEY}")),
            ("x-api-key".into(), HEADER_SECRET.into()),
            ("X-Custom".into(), HEADER_SECRET.into()),
        ],
        default_query: vec![("api_key".into(), QUERY_SECRET.into())],
        ..Default::default()
    }
}

fn secret_options() -> RequestOptions {
    RequestOptions::new()
        .header("Authorization", format!("Bearer {KEY}"))
        .header("x-api-key", HEADER_SECRET)
        .query("token", QUERY_SECRET)
        .body_field("password", BODY_SECRET)
}

#[test]
fn api_key() {
    let key = ApiKey::new(KEY);
    assert_debug_clean("ApiKey", &key);
    assert_eq!(key.expose(), KEY);
    assert_debug_clean("ApiKey from &str", &ApiKey::from(KEY));
    assert_debug_clean("ApiKey from String", &ApiKey::from(KEY.to_owned()));
    assert_debug_clean("Option<ApiKey>", &Some(key));
}

#[test]
fn secrets_from_the_environment() {
    let secret_url =
        format!("https://user:{URL_PASSWORD}@api.example.com/base?token={QUERY_SECRET}");
    let config = ConfigBuilder::default()
        .resolve_with_env(env(&[
            (ENV_API_KEY, KEY.to_owned()),
            (ENV_BASE_URL, secret_url),
            (
                ENV_CUSTOM_HEADERS,
                format!("X-Env: {HEADER_SECRET}\nAuthorization: Bearer {KEY}"),
            ),
        ]))
        .unwrap();
    assert_debug_clean("ClientConfig from the environment", &config);
    let url = config.url("/openai/v1/models").unwrap();
    assert_clean("a URL, redacted", &redact_url(&url));
    for (what, vars) in [
        (
            "unparseable GROQ_BASE_URL",
            vec![
                (ENV_API_KEY, KEY.to_owned()),
                (
                    ENV_BASE_URL,
                    format!("http://u:{URL_PASSWORD}@[h/?k={QUERY_SECRET}"),
                ),
            ],
        ),
        (
            "GROQ_BASE_URL of another scheme",
            vec![
                (ENV_API_KEY, KEY.to_owned()),
                (
                    ENV_BASE_URL,
                    format!("ftp://u:{URL_PASSWORD}@h/?k={QUERY_SECRET}"),
                ),
            ],
        ),
        (
            "a GROQ_CUSTOM_HEADERS value that is not a header value",
            vec![
                (ENV_API_KEY, KEY.to_owned()),
                (ENV_CUSTOM_HEADERS, format!("X-Env: {HEADER_SECRET}\u{7f}")),
            ],
        ),
    ] {
        // Each is refused; the error names the problem, never the secret.
        match ConfigBuilder::default().resolve_with_env(env(&vars)) {
            Err(error) => assert_error_clean(what, &error),
            Ok(config) => panic!("{what}: accepted as {config:?}"),
        }
    }
}

#[test]
fn config_builder_and_client_config() {
    let builder = secret_builder();
    assert_debug_clean("ConfigBuilder", &builder);
    let text = format!("{builder:?}");
    for name in ["Authorization", "x-api-key", "X-Custom", "api_key"] {
        assert!(text.contains(name), "names are shown: {text}");
    }
    let config = builder.resolve_with_env(env(&[])).unwrap();
    assert_debug_clean("ClientConfig", &config);
    assert_debug_clean("ClientConfig.api_key", &config.api_key);
    assert_debug_clean("ClientConfig.default_headers", &config.default_headers);
    let derived = config.with_options(&secret_options()).unwrap();
    assert_debug_clean("derived ClientConfig", &derived);
    // Secrets from the environment too.
    let from_env = ConfigBuilder::default()
        .resolve_with_env(env(&[
            (ENV_API_KEY, KEY.to_owned()),
            (ENV_CUSTOM_HEADERS, format!("X-Env: {HEADER_SECRET}")),
        ]))
        .unwrap();
    assert_debug_clean("ClientConfig from the environment", &from_env);
}

#[test]
fn request_options() {
    let options = secret_options();
    assert_debug_clean("RequestOptions", &options);
    assert_debug_clean(
        "merged RequestOptions",
        &RequestOptions::new().merged_with(&options),
    );
}

#[test]
fn configuration_errors() {
    type Case = (&'static str, ConfigBuilder, Vec<(&'static str, String)>);
    let cases: Vec<Case> = vec![
        (
            "invalid base URL scheme",
            ConfigBuilder {
                base_url: Some(format!("ftp://u:{URL_PASSWORD}@h/?k={QUERY_SECRET}")),
                ..secret_builder()
            },
            vec![],
        ),
        (
            "unparseable base URL",
            ConfigBuilder {
                base_url: Some(format!("http://u:{URL_PASSWORD}@[h/?k={QUERY_SECRET}")),
                ..secret_builder()
            },
            vec![],
        ),
        (
            "invalid header value",
            ConfigBuilder {
                default_headers: vec![("X-Custom".into(), format!("{HEADER_SECRET}\n"))],
                ..secret_builder()
            },
            vec![],
        ),
        (
            "malformed GROQ_CUSTOM_HEADERS",
            secret_builder(),
            vec![(ENV_CUSTOM_HEADERS, format!("no colon {HEADER_SECRET}"))],
        ),
        (
            "invalid retry delay scale",
            ConfigBuilder {
                retry_delay_scale: Some(f64::NAN),
                ..secret_builder()
            },
            vec![],
        ),
    ];
    for (what, builder, vars) in cases {
        let error = builder.resolve_with_env(env(&vars)).unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{what}: {error:?}");
        assert_error_clean(what, &error);
    }
    let config = secret_builder().resolve_with_env(env(&[])).unwrap();
    let bad = RequestOptions::new().header("x-api-key", format!("{HEADER_SECRET}\r\n"));
    let error = config.with_options(&bad).unwrap_err();
    assert_error_clean("invalid per-call header", &error);
}

/// An error with a secret-free message, as a transport builds it: it names the URL through `redact_url`.
#[derive(Debug)]
struct TransportError(String);

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl StdError for TransportError {}

#[test]
fn connection_and_timeout_errors_name_the_url_redacted() {
    let config = secret_builder().resolve_with_env(env(&[])).unwrap();
    let mut url = config.url("/openai/v1/models").unwrap();
    url.query_pairs_mut()
        .append_pair("api_key", QUERY_SECRET)
        .append_pair("token", QUERY_SECRET);
    url.set_password(Some(URL_PASSWORD)).unwrap();
    assert!(url.as_str().contains(QUERY_SECRET));
    let shown = redact_url(&url);
    assert!(shown.contains("api.example.com") && shown.contains("/openai/v1/models"));
    assert!(
        shown.contains("api_key=") && shown.contains("token="),
        "{shown}"
    );
    assert_clean("redact_url", &shown);
    assert_clean("redact_url_str", &redact_url_str(url.as_str()));
    let cause = TransportError(format!("error sending request for url ({shown})"));
    let errors = [
        Error::connection(format!("cannot reach {shown}"), cause),
        Error::timeout(
            format!("no answer from {shown}"),
            Some(Box::new(TransportError(format!("timed out: {shown}")))),
        ),
        Error::Io(std::io::Error::other(TransportError(shown.clone()))),
    ];
    for error in &errors {
        assert_error_clean("transport error", error);
    }
}

fn request_headers() -> HeaderMap {
    header_map(&[
        ("Authorization".into(), format!("Bearer {KEY}")),
        ("x-api-key".into(), HEADER_SECRET.into()),
        ("cookie".into(), HEADER_SECRET.into()),
    ])
    .unwrap()
}

#[test]
fn status_errors_and_api_errors() {
    // A server (or proxy) that echoes the request's credentials back in its response headers.
    for status in [400, 401, 403, 404, 409, 422, 429, 500, 503, 418] {
        let status = StatusCode::from_u16(status).unwrap();
        let error = Error::from_status(
            status,
            request_headers(),
            br#"{"error":{"message":"Invalid API Key","type":"invalid_request_error","code":"invalid_api_key"}}"#,
        );
        assert_error_clean("status error", &error);
        let api: &ApiError = error.api_error().unwrap();
        assert_debug_clean("ApiError", api);
        assert_clean("ApiError Display", &api.to_string());
        assert_debug_clean("ApiError rate limit", &api.rate_limit());
    }
}

#[test]
fn raw_responses_and_their_metadata() {
    let meta = ResponseMeta::new(
        StatusCode::OK,
        request_headers(),
        Duration::from_millis(5),
        1,
    );
    assert_debug_clean("ResponseMeta", &meta);
    let raw = RawResponse::<serde_json::Value>::json(meta.clone(), "{}".into());
    assert_debug_clean("RawResponse", &raw);
}

#[test]
fn every_error_kind_built_from_secret_free_parts_stays_clean() {
    let config: ClientConfig = secret_builder().resolve_with_env(env(&[])).unwrap();
    let errors = [
        Error::InvalidRequest("`model` must not be empty".into()),
        Error::decode("expected Model", "eof", b"{"),
        Error::IncompleteStream,
        Error::BlockingInAsyncContext,
        config.check_body_size(usize::MAX).unwrap_err(),
    ];
    for error in &errors {
        assert_error_clean("error", error);
    }
}
