//! No secret the caller hands a client — the API key, a header value, a query value (client-wide or per
//! call), a password in the base URL — shows in the `Debug` or `Display` of anything public that holds it
//! (builders, clients, resource handles, requests as a transport or the mock sees them, responses), in
//! any error's `source()` chain, or in what the SDK and its HTTP stack log at TRACE level (`tracing` and
//! `log`), while real calls go through a local server, failing ones included. Both clients
//! (`dual_test!`). The I/O-free types are checked in `groq-types/tests/secrets.rs`.

use groq_tests::capture::Capture;
use groq_tests::dual_test;
use groq_tests::fault_fixtures::{api_error, chunk, event, MODELS};
use groq_tests::ports::RefusingPort;
use groq_tests::scripted::{Part, Reply, ScriptedServer};
use groq_types::sdk::RequestOptions;
use groq_types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};
use std::error::Error as StdError;
use std::fmt;
use std::io::Write;
use std::sync::OnceLock;
use std::time::Duration;

const KEY: &str = "gsk_SECRETS_KEY_7Q3W";
const HEADER_SECRET: &str = "HEADER_SECRET_9Z1X";
const CALL_HEADER_SECRET: &str = "CALL_HEADER_SECRET_4K8V";
const QUERY_SECRET: &str = "QUERY_SECRET_2M5N";
const CALL_QUERY_SECRET: &str = "CALL_QUERY_SECRET_6P0R";
const URL_PASSWORD: &str = "URL_PASSWORD_5T2Y";
/// Written where it does not belong: bare in a query, into a header's name, into an escape-hatch path.
const MISPLACED_SECRET: &str = "MISPLACED_SECRET_8H4J";
/// In a reqwest client of the user's, or sent back by a server (`set-cookie`).
const THEIR_SECRET: &str = "THEIR_SECRET_3D7L";
const SECRETS: [&str; 8] = [
    KEY,
    HEADER_SECRET,
    CALL_HEADER_SECRET,
    QUERY_SECRET,
    CALL_QUERY_SECRET,
    URL_PASSWORD,
    MISPLACED_SECRET,
    THEIR_SECRET,
];

fn assert_clean(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{what} shows {secret}:\n{text}");
    }
}

fn assert_debug_clean(what: &str, value: &impl fmt::Debug) {
    assert_clean(what, &format!("{value:?}"));
    assert_clean(what, &format!("{value:#?}"));
}

/// Display and Debug of `error` and of every error in its `source()` chain; returns how deep it went.
fn assert_error_clean(what: &str, error: &(dyn StdError + 'static)) -> usize {
    let mut current = Some(error);
    let mut depth = 0;
    while let Some(e) = current {
        let level = format!("{what} (source depth {depth})");
        assert_clean(&level, &e.to_string());
        assert_debug_clean(&level, &e);
        current = e.source();
        depth += 1;
    }
    depth
}

/// Everything logged in this test binary, through `tracing` (TRACE) and `log` (TRACE), from any thread.
fn logs() -> &'static Capture {
    static LOGS: OnceLock<Capture> = OnceLock::new();
    LOGS.get_or_init(|| {
        let capture = Capture::new();
        tracing::subscriber::set_global_default(capture.subscriber())
            .expect("the only global subscriber of this binary");
        static LOGGER: OnceLock<LogInto> = OnceLock::new();
        let logger = LOGGER.get_or_init(|| LogInto(capture.clone()));
        log::set_logger(logger).expect("the only logger of this binary");
        log::set_max_level(log::LevelFilter::Trace);
        capture
    })
}

/// A `log` logger writing into a [`Capture`].
struct LogInto(Capture);

impl log::Log for LogInto {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        let mut capture = self.0.clone();
        let _ = writeln!(
            capture,
            "{} {}: {}",
            record.level(),
            record.target(),
            record.args()
        );
    }

    fn flush(&self) {}
}

fn request() -> CreateChatCompletionRequest {
    CreateChatCompletionRequest::from_messages("llama-3.3-70b-versatile", [Message::user("Hi")])
}

/// Per-call options carrying secrets.
fn call_options() -> RequestOptions {
    RequestOptions::new()
        .header("x-call-token", CALL_HEADER_SECRET)
        .query("sig", CALL_QUERY_SECRET)
}

/// A builder with every client-wide secret, for `$url`.
macro_rules! secret_builder {
    ($url:expr) => {
        groq::Client::builder()
            .api_key(KEY)
            .base_url($url)
            .default_header("x-api-key", HEADER_SECRET)
            .default_query("token", QUERY_SECRET)
            .retry_delay_scale(0.0)
    };
}

dual_test! {
    fn builders_clients_and_resource_handles_show_no_secret() {
        logs();
        let url = format!("http://user:{URL_PASSWORD}@127.0.0.1:9/base?token={QUERY_SECRET}");
        let builder = secret_builder!(url.clone());
        assert_debug_clean("ClientBuilder", &builder);
        let client = secret_builder!("http://127.0.0.1:9").build().unwrap();
        let options = call_options();
        assert_debug_clean("Client", &client);
        assert_debug_clean("ClientConfig", client.config());
        let derived = client.with_options(&options).unwrap();
        assert_debug_clean("derived Client", &derived);
        assert_debug_clean("chat", &client.chat());
        assert_debug_clean("chat.completions", &client.chat().completions().with_options(&options));
        assert_debug_clean(
            "raw chat.completions",
            &client.chat().completions().with_options(&options).with_raw_response(),
        );
        assert_debug_clean("models", &client.models().with_options(&options));
        assert_debug_clean("files", &client.files().with_options(&options));
        assert_debug_clean("audio", &client.audio().with_options(&options));
        assert_debug_clean("speech", &client.audio().speech().with_options(&options));
        assert_debug_clean("transcriptions", &client.audio().transcriptions().with_options(&options));
        assert_debug_clean("embeddings", &client.embeddings().with_options(&options));
        assert_debug_clean("batches", &client.batches().with_options(&options));
        assert_debug_clean("fine_tunings", &client.fine_tunings().with_options(&options));
        assert_debug_clean("reranking", &client.reranking().with_options(&options));
        assert_debug_clean("responses", &client.responses().with_options(&options));
        // A client whose base URL carries a password and a query value.
        let client = secret_builder!(url).build().unwrap();
        assert_debug_clean("Client with a secret base URL", &client);
    }

    fn secrets_written_where_they_do_not_belong_stay_hidden() {
        logs();
        // Bare in the base URL's query.
        let builder = groq::Client::builder().api_key(KEY).base_url(format!("http://127.0.0.1:9/?{MISPLACED_SECRET}"));
        assert_debug_clean("ClientBuilder with a bare query part", &builder);
        assert_debug_clean("Client with a bare query part", &builder.build().unwrap());
        // Written into a header's name.
        let error = secret_builder!("http://127.0.0.1:9")
            .default_header(format!("X-Api-Key={MISPLACED_SECRET}, X-Org"), "v")
            .build()
            .unwrap_err();
        assert!(error.to_string().contains("X-Api-Key"), "{error}");
        assert_error_clean("a header name holding a value", &error);
        // A reqwest client of the user's with a credential among its default headers.
        let mut headers = http::HeaderMap::new();
        headers.insert("x-gateway-key", http::HeaderValue::from_static(THEIR_SECRET));
        let http = groq::http_client_builder().unwrap().default_headers(headers).build().unwrap();
        let client = groq::Client::builder().api_key(KEY).http_client(http).build().unwrap();
        assert_debug_clean("Client over the user's reqwest client", &client);
        // A query written into an escape-hatch path, sent and logged, or refused.
        let mock = groq::test_util::MockTransport::new();
        mock.push(
            groq::test_util::MockResponse::json(serde_json::from_str::<serde_json::Value>(MODELS).unwrap())
                .header("set-cookie", &format!("session={THEIR_SECRET}")),
        );
        let client = secret_builder!("http://127.0.0.1:9/base/").transport(mock.clone()).build().unwrap();
        let path = format!("/openai/v1/models?api_key={MISPLACED_SECRET}");
        let listed = wait!(client.endpoints().with_raw_response().get::<serde_json::Value>(&path)).unwrap();
        assert_eq!(mock.requests()[0].query("api_key").as_deref(), Some(MISPLACED_SECRET), "it was sent");
        assert_debug_clean("RawResponse with a set-cookie", &listed);
        for refused in [
            format!("openai/v1/models?api_key={MISPLACED_SECRET}"),
            format!("/../x?api_key={MISPLACED_SECRET}"),
            format!("/a//b?api_key={MISPLACED_SECRET}"),
            format!("https://user:{MISPLACED_SECRET}@gateway.example/openai/v1/models"),
            format!("//user:{MISPLACED_SECRET}@gateway.example/openai/v1/models"),
        ] {
            let error = wait!(client.get::<serde_json::Value>(&refused)).unwrap_err();
            assert_error_clean(&refused.replace(MISPLACED_SECRET, "…"), &error);
        }
        assert_clean("logs", &logs().text());
    }

    fn requests_as_a_transport_and_the_mock_see_them_show_no_secret() {
        logs();
        let client = secret_builder!("http://127.0.0.1:9").build().unwrap();
        let mut url = client.config().url("/openai/v1/models").unwrap();
        url.query_pairs_mut().append_pair("token", QUERY_SECRET);
        let mut http_request = groq::transport::HttpRequest::new(http::Method::GET, url);
        http_request.headers = groq_types::sdk::request::header_map(&[
            ("authorization".into(), format!("Bearer {KEY}")),
            ("x-api-key".into(), HEADER_SECRET.into()),
        ])
        .unwrap();
        assert_debug_clean("HttpRequest", &http_request);

        let mock = groq::test_util::MockTransport::new();
        mock.push(groq::test_util::MockResponse::json(serde_json::from_str::<serde_json::Value>(MODELS).unwrap()));
        mock.push(groq::test_util::MockResponse::error(401, "Invalid API Key"));
        let client = secret_builder!("http://127.0.0.1:9").transport(mock.clone()).build().unwrap();
        let listed = wait!(client.models().with_options(&call_options()).with_raw_response().list()).unwrap();
        assert_debug_clean("RawResponse", &listed);
        let error = wait!(client.chat().completions().with_options(&call_options()).create(&request())).unwrap_err();
        assert_error_clean("mock status error", &error);
        let recorded = mock.requests();
        assert_eq!(recorded.len(), 2);
        assert_eq!(recorded[0].query("sig").as_deref(), Some(CALL_QUERY_SECRET), "the secrets were sent");
        assert_eq!(recorded[0].header("x-call-token"), Some(CALL_HEADER_SECRET));
        assert_debug_clean("RecordedRequest", &recorded);
        assert_debug_clean("MockTransport", &mock);
        assert_clean("logs", &logs().text());
    }

    fn real_calls_that_succeed_and_fail_log_and_report_no_secret() {
        let logs = logs();
        let held = Reply::sse(&[&event(&chunk("a"))]).part(Part::HoldOpen);
        let server = ScriptedServer::start(vec![
            Reply::json(200, MODELS),
            Reply::json(401, &api_error("Invalid API Key", "invalid_request_error")),
            Reply::json(500, &api_error("boom", "server_error")),
            Reply::json(500, &api_error("boom", "server_error")),
            Reply::json(500, &api_error("boom", "server_error")),
            Reply::sse(&[&event(&chunk("a")), "event: error\ndata: {\"error\":{\"message\":\"overloaded\"}}\n\n"]),
            Reply::sse(&[&event(&chunk("a"))]).part(Part::Reset),
            held,
            Reply::json(200, r#"{"object":"list","data":7}"#),
        ]);
        // The stalled stream's timeout; it bounds every reply's headers too, so it leaves a loaded
        // machine time to send them.
        let client = secret_builder!(server.url()).timeout(Duration::from_secs(3)).build().unwrap();
        let options = call_options();
        let models = client.models().with_options(&options);
        let chat = client.chat().completions().with_options(&options);

        let listed = wait!(models.clone().with_raw_response().list()).unwrap();
        assert_debug_clean("RawResponse", &listed);
        let mut errors = vec![
            ("401", wait!(chat.create(&request())).unwrap_err()),
            ("500, retried", wait!(chat.create(&request())).unwrap_err()),
        ];
        for what in ["error event", "stream reset", "stream stalled"] {
            let stream = wait!(chat.create_stream(&request())).unwrap();
            assert_debug_clean("stream", &stream);
            errors.push((what, wait!(stream.accumulate()).unwrap_err()));
        }
        errors.push(("decode", wait!(models.list()).unwrap_err()));
        let requests = server.requests();
        assert_eq!(requests.len(), 9, "{requests:#?}");
        let first = &requests[0];
        assert_eq!(first.header("authorization"), Some(format!("Bearer {KEY}").as_str()), "the key was sent");
        assert_eq!(first.header("x-api-key"), Some(HEADER_SECRET));
        assert_eq!(first.header("x-call-token"), Some(CALL_HEADER_SECRET));
        let query = first.query().unwrap_or_default();
        assert!(query.contains(QUERY_SECRET) && query.contains(CALL_QUERY_SECRET), "{query}");

        // Transport failures: refused, and a timeout waiting for the headers.
        let refusing = RefusingPort::new();
        let client = secret_builder!(refusing.url()).max_retries(1).build().unwrap();
        errors.push(("refused", wait!(client.models().with_options(&options).list()).unwrap_err()));
        let silent = ScriptedServer::start(vec![Reply::new(200).part(Part::Delay(Duration::from_secs(30))).part(Part::Head)]);
        let client = secret_builder!(silent.url()).timeout(Duration::from_millis(300)).max_retries(0).build().unwrap();
        errors.push(("timeout", wait!(client.models().with_options(&options).list()).unwrap_err()));

        let mut deepest = 0;
        for (what, error) in &errors {
            deepest = deepest.max(assert_error_clean(what, error));
        }
        assert!(errors.iter().any(|(_, e)| e.is_connection()), "{errors:?}");
        assert!(errors.iter().any(|(_, e)| e.is_timeout()), "{errors:?}");
        assert!(deepest >= 2, "some error keeps its transport cause: {errors:?}");
        let text = logs.text();
        assert!(text.contains("sending request") && text.contains("retrying"), "{text}");
        assert_clean("logs", &text);
    }

    fn a_redirect_to_another_origin_does_not_carry_the_key() {
        logs();
        let elsewhere = ScriptedServer::start(vec![Reply::json(200, MODELS)]);
        let server = ScriptedServer::start(vec![Reply::new(307)
            .header("Location", &format!("{}/openai/v1/models", elsewhere.url()))
            .header("Content-Length", "0")]);
        let client = secret_builder!(server.url()).build().unwrap();
        let models = wait!(client.models().list()).unwrap();
        assert_eq!(models.data.len(), 1);
        assert_eq!(server.requests()[0].header("authorization"), Some(format!("Bearer {KEY}").as_str()));
        let moved = &elsewhere.requests()[0];
        assert_eq!(moved.header("authorization"), None, "{moved:#?}");
        assert_clean("logs", &logs().text());
    }
}
