//! Faults of a misbehaving server that the clients must survive as documented, each against both
//! clients (`dual_test!`): what comes out, and how many attempts the server saw.

use futures::StreamExt as _;
use groq_tests::dual_test;
use groq_tests::leaks::settles;
use groq_tests::ports::RefusingPort;
use groq_tests::scripted::{Part, Reply, ScriptedServer};
use groq_types::sdk::Error;
use groq_types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};
use serde_json::{json, Value};
use std::time::Duration;

const MODELS: &str =
    r#"{"object":"list","data":[{"id":"m","object":"model","created":1,"owned_by":"g"}]}"#;
const KEY: &str = "gsk_faults_secret_0123456789";

fn request() -> CreateChatCompletionRequest {
    CreateChatCompletionRequest::from_messages("llama-3.3-70b-versatile", [Message::user("Hi")])
}

fn chunk(content: &str) -> Value {
    json!({
        "id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "llama-3.3-70b-versatile",
        "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": null}]
    })
}

/// A builder for a client of `server`: the test key, no waits between retries.
macro_rules! builder {
    ($server:expr) => {
        groq::Client::builder()
            .api_key(KEY)
            .base_url($server.url())
            .retry_delay_scale(0.0)
    };
}

dual_test! {
    fn a_body_cut_after_the_headers_is_retried() {
        let server = ScriptedServer::start(vec![
            Reply::new(200)
                .header("Content-Type", "application/json")
                .header("Content-Length", "500")
                .part(Part::Bytes(br#"{"object":"list","da"#.to_vec()))
                .part(Part::Cut),
            Reply::json(200, MODELS),
        ]);
        let client = builder!(server).build().unwrap();
        let models = wait!(client.models().list()).unwrap();
        assert_eq!(models.data.len(), 1);
        assert_eq!(server.requests().len(), 2);
    }

    fn a_body_that_stalls_is_retried_after_the_timeout() {
        let server = ScriptedServer::start(vec![
            Reply::new(200)
                .header("Content-Type", "application/json")
                .header("Content-Length", "500")
                .part(Part::Bytes(br#"{"object":"#.to_vec()))
                .part(Part::HoldOpen),
            Reply::json(200, MODELS),
        ]);
        // The timeout bounds the second attempt's headers too: long enough for a loaded machine.
        let client = builder!(server).timeout(Duration::from_secs(3)).build().unwrap();
        let models = wait!(client.models().list()).unwrap();
        assert_eq!(models.data.len(), 1);
        assert_eq!(server.requests().len(), 2);
    }

    fn read_timeout_bounds_each_read_apart_from_the_request_timeout() {
        // The body pauses mid-way: within the request timeout, beyond the read timeout. The read timeout
        // bounds the wait for the headers too, so it is long enough for a loaded machine to send them.
        let slow_body = |pause| {
            Reply::new(200)
                .header("Content-Type", "application/json")
                .part(Part::Bytes(br#"{"object":"list","#.to_vec()))
                .part(Part::Delay(pause))
                .part(Part::Bytes(MODELS.trim_start_matches(r#"{"object":"list","#).as_bytes().to_vec()))
        };
        let server = ScriptedServer::start(vec![slow_body(Duration::from_secs(60))]);
        let client = builder!(server)
            .timeout(Duration::from_secs(120))
            .read_timeout(Duration::from_secs(2))
            .max_retries(0)
            .build()
            .unwrap();
        let error = wait!(client.models().list()).unwrap_err();
        assert!(error.is_timeout(), "{error:?}");
        assert!(settles(Duration::from_secs(10), || server.requests().len() == 1));

        // Without a read timeout a pause longer than it is waited out.
        let server = ScriptedServer::start(vec![slow_body(Duration::from_secs(3))]);
        let client = builder!(server).timeout(Duration::from_secs(120)).build().unwrap();
        let models = wait!(client.models().list()).unwrap();
        assert_eq!(models.data.len(), 1);
    }

    fn a_consumers_pause_between_pieces_does_not_count_as_the_servers_silence() {
        // The server sends an event every 10 ms; the consumer pauses, after the first, for longer than the
        // read timeout. Only a wait on the server counts against it.
        let mut reply = Reply::sse(&[]);
        for n in 0..10 {
            reply = reply
                .part(Part::Bytes(format!("data: {}\n\n", chunk(&n.to_string())).into_bytes()))
                .part(Part::Delay(Duration::from_millis(10)));
        }
        let server = ScriptedServer::start(vec![reply.part(Part::Bytes(b"data: [DONE]\n\n".to_vec()))]);
        let client = builder!(server)
            .read_timeout(Duration::from_secs(1))
            .max_retries(0)
            .build()
            .unwrap();
        let mut stream = wait!(client.chat().completions().create_stream(&request())).unwrap();
        let first = wait!(stream.next()).unwrap().unwrap();
        assert_eq!(first.delta_content(), Some("0"));
        std::thread::sleep(Duration::from_secs(3));
        let rest = wait!(stream.accumulate()).unwrap();
        assert_eq!(rest.content(), Some("123456789"));
    }

    fn waits_of_duration_max_mean_never_and_do_not_overflow() {
        // reqwest adds its read timeout to an `Instant` as it is: `Duration::MAX` panicked at the first
        // read of a body. Every wait the builder takes is given that value here, and a call still works.
        let server = ScriptedServer::start(vec![Reply::json(200, MODELS), Reply::json(200, MODELS)]);
        let client = builder!(server)
            .timeout(Duration::MAX)
            .read_timeout(Duration::MAX)
            .connect_timeout(Duration::MAX)
            .pool_idle_timeout(Duration::MAX)
            .build()
            .unwrap();
        for _ in 0..2 {
            let models = wait!(client.models().list()).unwrap();
            assert_eq!(models.data.len(), 1);
        }
    }

    fn a_builder_cloned_makes_clients_that_differ_where_set() {
        let server = ScriptedServer::start(vec![Reply::json(200, MODELS), Reply::json(200, MODELS)]);
        let base = builder!(server);
        let first = base.clone().api_key("gsk_first_client").build().unwrap();
        let second = base.build().unwrap();
        wait!(first.models().list()).unwrap();
        wait!(second.models().list()).unwrap();
        let keys: Vec<String> = server
            .requests()
            .iter()
            .map(|r| r.header("authorization").unwrap_or_default().to_owned())
            .collect();
        assert_eq!(keys, ["Bearer gsk_first_client".to_owned(), format!("Bearer {KEY}")]);
    }

    fn a_stream_answered_with_json_is_a_decode_error_not_a_cut() {
        let server = ScriptedServer::start(vec![Reply::json(200, r#"{"id":"chatcmpl-1"}"#)]);
        let client = builder!(server).build().unwrap();
        let error = wait!(client.chat().completions().create_stream(&request())).unwrap_err();
        assert!(matches!(error, Error::Decode { .. }), "{error:?}");
        assert!(!error.is_connection());
        assert!(error.to_string().contains("application/json"), "{error}");
        assert_eq!(server.requests().len(), 1);
    }

    fn a_named_event_that_is_not_a_chunk_is_skipped() {
        let a = format!("data: {}\n\n", chunk("a"));
        let server = ScriptedServer::start(vec![Reply::sse(&[
            "event: ping\ndata: {}\n\n",
            &a,
            "event: heartbeat\ndata: {\"t\":1}\n\n",
            "data: [DONE]\n\n",
        ])]);
        let client = builder!(server).build().unwrap();
        let stream = wait!(client.chat().completions().create_stream(&request())).unwrap();
        let whole = wait!(stream.accumulate()).unwrap();
        assert_eq!(whole.content(), Some("a"));
    }

    fn an_oversized_event_ends_the_stream_naming_the_limit() {
        let big = format!("data: {}\n\n", chunk(&"x".repeat(8 * 1024)));
        let server = ScriptedServer::start(vec![Reply::sse(&[&big, "data: [DONE]\n\n"])]);
        let client = builder!(server).max_event_size(1024).build().unwrap();
        let stream = wait!(client.chat().completions().create_stream(&request())).unwrap();
        let error = wait!(stream.accumulate()).unwrap_err();
        assert!(error.is_limit_exceeded(), "{error:?}");
        assert!(error.to_string().contains("max_event_size"), "{error}");
        assert!(!error.is_connection());
    }

    fn a_body_over_the_limit_is_refused_once() {
        let body = format!(r#"{{"object":"list","data":[],"pad":"{}"}}"#, "x".repeat(8 * 1024));
        let server = ScriptedServer::start(vec![Reply::json(200, &body)]);
        let client = builder!(server).max_body_size(1024).build().unwrap();
        let error = wait!(client.models().list()).unwrap_err();
        assert!(error.is_limit_exceeded(), "{error:?}");
        assert!(error.to_string().contains("max_body_size"), "{error}");
        assert_eq!(server.requests().len(), 1);
    }

    fn an_error_status_whose_body_is_cut_keeps_its_status_and_is_not_retried() {
        let server = ScriptedServer::start(vec![
            Reply::new(401)
                .header("Content-Type", "application/json")
                .header("Content-Length", "500")
                .header("x-request-id", "req_cut")
                .part(Part::Bytes(br#"{"error":{"message":"Invalid API Key""#.to_vec()))
                .part(Part::Cut),
            Reply::json(200, MODELS),
        ]);
        let client = builder!(server).build().unwrap();
        let error = wait!(client.models().list()).unwrap_err();
        assert!(matches!(error, Error::Authentication(_)), "{error:?}");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
        assert_eq!(error.request_id(), Some("req_cut"));
        assert!(error.to_string().contains("Invalid API Key"), "{error}");
        assert_eq!(server.requests().len(), 1);
    }

    fn an_error_status_whose_body_stalls_keeps_its_status() {
        let server = ScriptedServer::start(vec![Reply::new(400)
            .header("Content-Type", "application/json")
            .header("Content-Length", "500")
            .part(Part::Bytes(br#"{"error":{"message":"bad"#.to_vec()))
            .part(Part::HoldOpen)]);
        // Long enough for a loaded machine to send the headers, which the timeout bounds too.
        let client = builder!(server).timeout(Duration::from_secs(3)).build().unwrap();
        let error = wait!(client.models().list()).unwrap_err();
        assert!(matches!(error, Error::BadRequest(_)), "{error:?}");
        assert_eq!(server.requests().len(), 1);
    }

    fn an_error_body_over_the_body_limit_keeps_its_status() {
        let page = format!("<html>{}</html>", "x".repeat(64 * 1024));
        let server = ScriptedServer::start(vec![
            Reply::bytes(502, "text/html", page.as_bytes()),
            Reply::json(200, MODELS),
        ]);
        let client = builder!(server).max_body_size(1024).build().unwrap();
        // A 502 is retried: the oversized page did not hide its status.
        let models = wait!(client.models().list()).unwrap();
        assert_eq!(models.data.len(), 1);
        assert_eq!(server.requests().len(), 2);

        let server = ScriptedServer::start(vec![Reply::bytes(502, "text/html", page.as_bytes())]);
        let client = builder!(server).max_body_size(1024).max_retries(0).build().unwrap();
        let error = wait!(client.models().list()).unwrap_err();
        assert!(matches!(error, Error::InternalServer(_)), "{error:?}");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
    }

    fn a_redirect_loop_stops_and_is_not_retried() {
        let replies: Vec<Reply> = (0..40)
            .map(|_| Reply::new(302).header("Location", "/openai/v1/models").header("Content-Length", "0"))
            .collect();
        let server = ScriptedServer::start(replies);
        let client = builder!(server).build().unwrap();
        let error = wait!(client.models().list()).unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(302), "{error:?}");
        // The first request and ten redirects followed (the limit); never a retry of the whole loop.
        assert_eq!(server.requests().len(), 11);
    }

    fn an_unusable_retry_delay_scale_is_refused_at_build() {
        for scale in [f64::NAN, f64::INFINITY, -1.0] {
            let error = groq::Client::builder()
                .api_key(KEY)
                .retry_delay_scale(scale)
                .build()
                .unwrap_err();
            assert!(matches!(error, Error::Config(_)), "{scale}: {error:?}");
            assert!(error.to_string().contains("retry_delay_scale"), "{error}");
        }
    }

    fn a_connection_error_names_the_host_and_cause_but_no_secret() {
        let port = RefusingPort::new();
        let address = port.addr();
        let client = groq::Client::builder()
            .api_key(KEY)
            .base_url(port.url())
            .default_query("token", "hunter2-query-secret")
            .max_retries(1)
            .retry_delay_scale(0.0)
            .build()
            .unwrap();
        let error = wait!(client.models().list()).unwrap_err();
        assert!(error.is_connection(), "{error:?}");
        let shown = error.to_string();
        assert!(shown.contains(&address.to_string()), "{shown}");
        assert!(shown.to_lowercase().contains("refused"), "{shown}");
        let mut chain = format!("{error:?}");
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            chain.push_str(&format!("\n{cause}\n{cause:?}"));
            source = cause.source();
        }
        assert!(!chain.contains("hunter2-query-secret"), "{chain}");
        assert!(!chain.contains(KEY), "{chain}");
    }
}
