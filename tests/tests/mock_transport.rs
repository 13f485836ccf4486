//! The `test-util` test double: a `MockTransport` behind a real client of each kind, with no socket. The
//! client's own behaviour (headers, bodies, retries, error mapping, streams) is seen through what the
//! mock records, so these scenarios need no server.

use groq_tests::dual_test;
use groq_types::sdk::request::RETRY_COUNT_HEADER;
use groq_types::sdk::Error;
use groq_types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};
use serde_json::{json, Value};
use std::time::Duration;

const CHAT: &str = "/openai/v1/chat/completions";

fn request() -> CreateChatCompletionRequest {
    CreateChatCompletionRequest::from_messages("llama-3.3-70b-versatile", [Message::user("Hi")])
}

fn completion(content: &str) -> Value {
    json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "llama-3.3-70b-versatile",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                     "finish_reason": "stop", "logprobs": null}]
    })
}

fn chunk(content: &str) -> Value {
    json!({
        "id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "llama-3.3-70b-versatile",
        "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": null}]
    })
}

dual_test! {
    fn a_canned_answer_is_parsed_and_the_request_recorded() {
        let mock = groq::test_util::MockTransport::new();
        mock.push(groq::test_util::MockResponse::json(completion("Hello!")));
        let client = mock.client().unwrap();
        let answer = wait!(client.chat().completions().create(&request())).unwrap();
        assert_eq!(answer.content(), Some("Hello!"));

        let requests = mock.requests();
        assert_eq!(requests.len(), 1);
        assert_eq!(requests[0].method, groq::Method::POST);
        assert_eq!(requests[0].path(), CHAT);
        assert_eq!(requests[0].header("authorization"), Some("Bearer test-key"));
        assert_eq!(requests[0].header("content-type"), Some("application/json"));
        assert_eq!(requests[0].json().unwrap()["model"], "llama-3.3-70b-versatile");
        // The key is marked sensitive, so the record's Debug does not show it.
        assert!(!format!("{:?}", requests[0]).contains("test-key"));
    }

    fn a_whole_body_past_max_body_size_is_refused_once() {
        let mock = groq::test_util::MockTransport::new();
        mock.push(groq::test_util::MockResponse::json(completion("Hello!")));
        let client = groq::Client::builder()
            .api_key("test-key")
            .transport(mock.clone())
            .max_body_size(64)
            .build()
            .unwrap();
        let error = wait!(client.chat().completions().create(&request())).unwrap_err();
        assert!(matches!(error, Error::LimitExceeded { limit: 64, .. }), "{error:?}");
        assert_eq!(mock.requests().len(), 1, "a body over the limit is not retried");
    }

    fn a_json_answer_in_pieces_is_read_whole() {
        let mock = groq::test_util::MockTransport::new();
        let json = serde_json::to_vec(&completion("Hello in pieces")).unwrap();
        let pieces: Vec<Vec<u8>> = json.chunks(7).map(<[u8]>::to_vec).collect();
        assert!(pieces.len() > 2);
        mock.push(groq::test_util::MockResponse::json(json!({})).chunks(pieces));
        let client = mock.client().unwrap();
        let answer = wait!(client.chat().completions().create(&request())).unwrap();
        assert_eq!(answer.content(), Some("Hello in pieces"));
    }

    fn failures_are_retried_with_the_attempt_number() {
        let mock = groq::test_util::MockTransport::new();
        mock.push(groq::test_util::MockResponse::error(503, "overloaded"))
            .push(groq::test_util::MockResponse::connection_error("reset"))
            .push(groq::test_util::MockResponse::json(completion("third time")));
        let client = mock.client().unwrap();
        let answer = wait!(client.chat().completions().create(&request())).unwrap();
        assert_eq!(answer.content(), Some("third time"));
        let attempts: Vec<_> = mock
            .requests()
            .iter()
            .map(|r| r.header(RETRY_COUNT_HEADER).map(str::to_owned))
            .collect();
        assert_eq!(attempts, [Some("0".into()), Some("1".into()), Some("2".into())]);
    }

    fn a_status_error_keeps_the_api_message() {
        let mock = groq::test_util::MockTransport::new();
        mock.push(groq::test_util::MockResponse::error(400, "model not found"));
        let client = mock.client().unwrap();
        let error = wait!(client.chat().completions().create(&request())).unwrap_err();
        assert!(matches!(error, Error::BadRequest(_)), "{error:?}");
        assert_eq!(error.api_error().map(|e| e.message.as_str()), Some("model not found"));
        assert_eq!(mock.requests().len(), 1);
    }

    fn a_canned_event_stream_is_decoded() {
        let mock = groq::test_util::MockTransport::new();
        mock.push(groq::test_util::MockResponse::sse([chunk("Hel"), chunk("lo")]));
        let client = mock.client().unwrap();
        let stream = wait!(client.chat().completions().create_stream(&request())).unwrap();
        let whole = wait!(stream.accumulate()).unwrap();
        assert_eq!(whole.content(), Some("Hello"));
        assert_eq!(mock.requests()[0].json().unwrap()["stream"], true);
        assert_eq!(mock.requests()[0].header("accept"), Some("application/json"));
    }

    fn a_cut_stream_ends_with_a_connection_error() {
        let mock = groq::test_util::MockTransport::new();
        mock.push(
            groq::test_util::MockResponse::status(200)
                .header("content-type", "text/event-stream")
                .chunks([format!("data: {}\n\n", chunk("a"))])
                .cut(),
        );
        let client = mock.client().unwrap();
        let stream = wait!(client.chat().completions().create_stream(&request())).unwrap();
        let error = wait!(stream.accumulate()).unwrap_err();
        assert!(error.is_connection(), "{error:?}");
        assert_eq!(mock.requests().len(), 1, "a stream is not retried once it has begun");
    }

    // `sse(…).cut()` breaks the stream before its `[DONE]`: after it, the stream would have ended well.
    fn a_cut_sse_stream_breaks_before_its_end_marker() {
        let mock = groq::test_util::MockTransport::new();
        mock.push(groq::test_util::MockResponse::sse([chunk("a")]).cut());
        let client = mock.client().unwrap();
        let stream = wait!(client.chat().completions().create_stream(&request())).unwrap();
        let error = wait!(stream.accumulate()).unwrap_err();
        assert!(error.is_connection(), "{error:?}");
    }

    fn a_download_reads_as_text_and_a_binary_one_is_a_decode_error() {
        let mock = groq::test_util::MockTransport::new();
        mock.push(groq::test_util::MockResponse::bytes("application/octet-stream", "{\"a\":1}\n{\"b\":2}\n"));
        mock.push(groq::test_util::MockResponse::bytes("application/octet-stream", vec![b'o', b'k', 0xff]));
        let client = mock.client().unwrap();
        let content = wait!(client.files().content("file_1")).unwrap();
        let text = wait!(content.text()).unwrap();
        assert_eq!(text.lines().collect::<Vec<_>>(), ["{\"a\":1}", "{\"b\":2}"]);
        let binary = wait!(client.files().content("file_2")).unwrap();
        let error = wait!(binary.text()).unwrap_err();
        assert!(matches!(&error, Error::Decode { body, .. } if body.starts_with("ok")), "{error:?}");
    }

    fn nothing_queued_is_a_clear_error_not_a_retry() {
        let mock = groq::test_util::MockTransport::new();
        let client = mock.client().unwrap();
        let error = wait!(client.models().list()).unwrap_err();
        let Error::InvalidRequest(message) = &error else {
            panic!("expected InvalidRequest, got {error:?}")
        };
        assert!(message.contains("GET /openai/v1/models"), "{message}");
        assert_eq!(mock.requests().len(), 1);
    }

    fn a_route_answers_every_matching_request() {
        let mock = groq::test_util::MockTransport::new();
        mock.route(
            groq::Method::GET,
            "/openai/v1/models",
            groq::test_util::MockResponse::json(json!({"object": "list", "data": []})),
        );
        let client = mock.client().unwrap();
        for _ in 0..3 {
            assert!(wait!(client.models().list()).unwrap().data.is_empty());
        }
        assert_eq!(mock.requests().len(), 3);
    }

    fn a_route_registered_again_replaces_the_earlier_one() {
        let models = |id: &str| {
            groq::test_util::MockResponse::json(json!({"object": "list", "data": [
                {"id": id, "object": "model", "created": 1, "owned_by": "Meta"}
            ]}))
        };
        let mock = groq::test_util::MockTransport::new();
        mock.route(groq::Method::GET, "/openai/v1/models", models("first"));
        let client = mock.client().unwrap();
        assert_eq!(wait!(client.models().list()).unwrap().data[0].id, "first");
        mock.route(groq::Method::GET, "/openai/v1/models", models("second"));
        assert_eq!(wait!(client.models().list()).unwrap().data[0].id, "second");
        assert!(format!("{mock:?}").contains("routes: 1"), "{mock:?}");
    }

    fn the_record_keeps_the_timeout_and_whether_the_call_streams() {
        let mock = groq::test_util::MockTransport::new();
        mock.push(groq::test_util::MockResponse::json(completion("Hello!")))
            .push(groq::test_util::MockResponse::json(completion("Hello!")))
            .push(groq::test_util::MockResponse::sse([chunk("Hi")]));
        let client = mock.client().unwrap();
        let options = groq::RequestOptions::new().timeout(Duration::from_millis(1500));
        wait!(client.chat().completions().create(&request())).unwrap();
        wait!(client.chat().completions().with_options(&options).create(&request())).unwrap();
        let stream = wait!(client.chat().completions().create_stream(&request())).unwrap();
        wait!(stream.accumulate()).unwrap();
        let sent: Vec<_> = mock.requests().iter().map(|r| (r.timeout, r.streamed)).collect();
        assert_eq!(
            sent,
            [
                (Duration::from_secs(60), false),
                (Duration::from_millis(1500), false),
                (Duration::from_secs(60), true),
            ]
        );
    }

    fn a_json_body_replaces_the_content_type_it_sets() {
        let mock = groq::test_util::MockTransport::new();
        let audio = groq::test_util::MockResponse::bytes("audio/wav", b"RIFF".to_vec());
        mock.push(audio.json_body(json!({"ok": true})));
        let client = mock.client().unwrap();
        let content = wait!(client.files().content("file_1")).unwrap();
        assert_eq!(content.content_type(), Some("application/json"));
        assert_eq!(wait!(content.bytes()).unwrap(), br#"{"ok":true}"#.as_slice());
    }

    fn a_bodiless_post_sends_content_length_zero() {
        let mock = groq::test_util::MockTransport::new();
        mock.push(groq::test_util::MockResponse::json(json!({
            "id": "batch_1", "object": "batch", "endpoint": "/v1/chat/completions",
            "input_file_id": "file_1", "completion_window": "24h", "status": "cancelling", "created_at": 1
        })));
        let client = mock.client().unwrap();
        wait!(client.batches().cancel("batch_1")).unwrap();
        let sent = &mock.requests()[0];
        assert_eq!(sent.method, groq::Method::POST);
        assert_eq!(sent.header("content-length"), Some("0"));
        assert!(matches!(sent.body, groq::test_util::RecordedBody::Empty));
    }

    fn a_file_of_unknown_type_is_sent_as_octet_stream() {
        let mock = groq::test_util::MockTransport::new();
        mock.push(groq::test_util::MockResponse::json(json!({
            "id": "file_1", "object": "file", "bytes": 3, "created_at": 1,
            "filename": "blob", "purpose": "batch"
        })));
        let client = mock.client().unwrap();
        let file = groq::FileInput::bytes("blob", b"abc".to_vec());
        wait!(client.files().upload(file, "batch")).unwrap();
        let groq::test_util::RecordedBody::Multipart { files, fields } = &mock.requests()[0].body else {
            panic!("expected a multipart body")
        };
        assert_eq!(fields, &[("purpose".to_owned(), "batch".to_owned())]);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].content_type, "application/octet-stream");
        assert_eq!(files[0].filename, "blob");
        assert_eq!(files[0].bytes.as_deref(), Some(&b"abc"[..]));
    }

    fn a_reader_the_mock_received_counts_as_read_and_is_not_retried() {
        let mock = groq::test_util::MockTransport::new();
        mock.push(groq::test_util::MockResponse::connection_error("reset"));
        mock.push(groq::test_util::MockResponse::json(json!({
            "id": "file_1", "object": "file", "bytes": 3, "created_at": 1,
            "filename": "a.jsonl", "purpose": "batch"
        })));
        let client = mock.client().unwrap();
        let file = groq::FileInput::reader("a.jsonl", std::io::Cursor::new(b"abc".to_vec()));
        let error = wait!(client.files().upload(file, "batch")).unwrap_err();
        assert!(error.is_connection(), "{error:?}");
        let requests = mock.requests();
        assert_eq!(requests.len(), 1, "the mock took the reader: not sent again");
        assert_eq!(mock.pending(), 1);
        let groq::test_util::RecordedBody::Multipart { files, .. } = &requests[0].body else {
            panic!("expected a multipart body")
        };
        assert_eq!(files[0].filename, "a.jsonl");
        assert_eq!(files[0].bytes, None, "a reader is not read");
    }

    fn a_file_is_checked_as_the_network_transport_checks_it() {
        let mock = groq::test_util::MockTransport::new();
        mock.push(groq::test_util::MockResponse::json(json!({
            "id": "file_1", "object": "file", "bytes": 3, "created_at": 1,
            "filename": "a.jsonl", "purpose": "batch"
        })));
        let client = mock.client().unwrap();
        let refused = [
            groq::FileInput::bytes("a.jsonl\r\nX-Injected: yes", b"abc".to_vec()),
            groq::FileInput::bytes("a.jsonl", b"abc".to_vec()).content_type("jsonl"),
        ];
        for file in refused {
            let error = wait!(client.files().upload(file, "batch")).unwrap_err();
            assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
        }
        let missing = std::env::temp_dir().join("groq-mock-no-such-dir/input.jsonl");
        let error = wait!(client.files().upload(groq::FileInput::path(missing), "batch")).unwrap_err();
        assert!(matches!(error, Error::Io(_)), "{error:?}");
        assert!(error.to_string().contains("input.jsonl"), "{error}");
        // None of them reached the transport's answers: the queued one is still there.
        assert!(mock.requests().is_empty(), "{:?}", mock.requests());
        assert_eq!(mock.pending(), 1);
    }

    fn a_renamed_file_takes_the_content_type_of_its_new_name() {
        let mock = groq::test_util::MockTransport::new();
        let upload = json!({
            "id": "file_1", "object": "file", "bytes": 3, "created_at": 1,
            "filename": "a.wav", "purpose": "batch"
        });
        mock.push(groq::test_util::MockResponse::json(upload.clone()));
        mock.push(groq::test_util::MockResponse::json(upload));
        let client = mock.client().unwrap();
        let renamed = groq::FileInput::bytes("a.mp3", b"abc".to_vec()).filename("a.wav");
        wait!(client.files().upload(renamed, "batch")).unwrap();
        let explicit = groq::FileInput::bytes("a.mp3", b"abc".to_vec())
            .content_type("audio/x-custom")
            .filename("a.wav");
        wait!(client.files().upload(explicit, "batch")).unwrap();
        let types: Vec<String> = mock
            .requests()
            .iter()
            .map(|request| match &request.body {
                groq::test_util::RecordedBody::Multipart { files, .. } => files[0].content_type.clone(),
                other => panic!("expected a multipart body, got {other:?}"),
            })
            .collect();
        assert_eq!(types, ["audio/wav", "audio/x-custom"]);
    }

    fn batches_list_takes_no_argument_like_the_python_library() {
        let mock = groq::test_util::MockTransport::new();
        mock.push(groq::test_util::MockResponse::json(json!({"object": "list", "data": []})));
        let client = mock.client().unwrap();
        let page = wait!(client.batches().list()).unwrap();
        assert!(page.data.is_empty());
        let sent = &mock.requests()[0];
        assert_eq!(sent.path(), "/openai/v1/batches");
        assert_eq!(sent.url.query(), None, "no parameters unless asked for");
    }

    fn models_carry_the_fields_the_docs_print() {
        let mock = groq::test_util::MockTransport::new();
        mock.push(groq::test_util::MockResponse::json(json!({"object": "list", "data": [{
            "id": "llama-3.3-70b-versatile", "object": "model", "created": 1, "owned_by": "Meta",
            "active": true, "context_window": 131072, "max_completion_tokens": 32768, "public_apps": null
        }]})));
        let client = mock.client().unwrap();
        let models = wait!(client.models().list()).unwrap();
        let model = &models.data[0];
        assert_eq!(model.active, Some(true));
        assert_eq!(model.context_window, Some(131_072));
        assert_eq!(model.max_completion_tokens, Some(32_768));
    }

    fn the_final_chunk_usage_is_read_at_top_level() {
        let mut last = chunk("");
        last["choices"] = json!([]);
        last["usage"] = json!({"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5});
        let mock = groq::test_util::MockTransport::new();
        mock.push(groq::test_util::MockResponse::sse([chunk("Hi"), last]));
        let client = mock.client().unwrap();
        let stream = wait!(client.chat().completions().create_stream(&request())).unwrap();
        let whole = wait!(stream.accumulate()).unwrap();
        assert_eq!(whole.content(), Some("Hi"));
        assert_eq!(whole.usage.map(|u| u.total_tokens), Some(5));
    }

    fn a_transcription_keeps_x_groq_and_serialises_as_sent() {
        let sent = json!({"text": "Hello.", "x_groq": {"id": "req_01abc"}});
        let mock = groq::test_util::MockTransport::new();
        mock.push(groq::test_util::MockResponse::json(sent.clone()));
        let client = mock.client().unwrap();
        let request = groq_types::CreateTranscriptionRequest::new("whisper-large-v3-turbo");
        let file = groq::FileInput::bytes("clip.wav", b"RIFF".to_vec());
        let transcription = wait!(client.audio().transcriptions().create(file, &request)).unwrap();
        let groq::Transcription::Json(json) = &transcription else {
            panic!("expected the json shape, got {transcription:?}")
        };
        assert_eq!(
            json.x_groq.as_ref().and_then(|x| x.id.as_deref()),
            Some("req_01abc")
        );
        assert_eq!(serde_json::to_value(&transcription).unwrap(), sent);
    }
}
