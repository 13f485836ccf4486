//! Uploads: multipart forms checked on the bytes the server received (files from bytes, a path or a
//! reader; repeated array parts; booleans; unset fields left out; URL-only transcriptions), retries that
//! rebuild the form, transcriptions typed per `response_format`, refusals before any I/O, and the files
//! API's JSON endpoints.

use crate::support::*;
use groq_tests::driver::{Driver, Settings};
use groq_tests::driver_media::media_client;
use groq_tests::driver_media::{BinaryCall, ReadAs, TranscriptionOut, TranslationOut, Upload};
use groq_tests::for_both_clients;
use groq_tests::scripted::{Reply, ScriptedServer};
use groq_types::sdk::request::RETRY_COUNT_HEADER;
use groq_types::sdk::{Error, RequestOptions};
use groq_types::{
    AudioDuration, AudioResponseFormat, CreateTranscriptionRequest, CreateTranslationRequest,
    FilePurpose, TimestampGranularity,
};
use serde_json::Value;

// ---- A10. Multipart rules --------------------------------------------------------------------------

fn a_file_from_bytes_and_the_fields_are_parts(driver: &dyn Driver) {
    let server = ScriptedServer::start(vec![Reply::json(200, TEXT_JSON)]);
    let audio = varied_bytes(20_000, 1);
    let request = CreateTranscriptionRequest::new("whisper-large-v3-turbo")
        .language("en")
        .response_format(AudioResponseFormat::Json)
        .temperature(0.25)
        .timestamp_granularities(vec![
            TimestampGranularity::Word,
            TimestampGranularity::Segment,
        ]);
    // No typed field of these forms is boolean: booleans go through extra body fields, which join the form.
    let options = RequestOptions::new()
        .body_field("x_flag", true)
        .body_field("x_off", false)
        .body_field("x_unset", Value::Null)
        // An object goes as the official SDKs write it: a field per member, in brackets.
        .body_field("x_obj", serde_json::json!({"k": "v", "n": 2}));
    let result = client(driver, &server)
        .transcription_create(
            Upload::Bytes {
                filename: "speech.mp3".into(),
                data: audio.clone(),
            },
            &request,
            &options,
        )
        .unwrap();
    assert_eq!(
        result.clone(),
        TranscriptionOut::Json(serde_json::from_str(TEXT_JSON).unwrap())
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let received = &requests[0];
    assert_eq!(received.method, "POST");
    assert_eq!(received.path(), TRANSCRIPTIONS);
    assert_eq!(received.header("accept"), Some("application/json"));
    let parts = parse_form(received);
    let mut fields = text_fields(&parts);
    fields.sort_by(|a, b| a.0.cmp(&b.0));
    // Unset fields (prompt, url, file as text) are absent; the array is repeated `name[]` parts in order.
    assert_eq!(
        fields,
        pairs(&[
            ("language", "en"),
            ("model", "whisper-large-v3-turbo"),
            ("response_format", "json"),
            ("temperature", "0.25"),
            ("timestamp_granularities[]", "word"),
            ("timestamp_granularities[]", "segment"),
            ("x_flag", "true"),
            ("x_obj[k]", "v"),
            ("x_obj[n]", "2"),
            ("x_off", "false"),
        ])
    );
    let file = file_part(&parts);
    assert_eq!(file.filename.as_deref(), Some("speech.mp3"));
    assert_eq!(file.content_type.as_deref(), Some("audio/mpeg"));
    assert_eq!(file.data, audio);
}

/// A quote in a file name goes as `%22`, as browsers and the official SDKs write it, not as `\"`.
fn a_quote_in_a_file_name_is_written_as_browsers_write_it(driver: &dyn Driver) {
    let server = ScriptedServer::start(vec![Reply::json(200, TEXT_JSON)]);
    client(driver, &server)
        .transcription_create(
            Upload::Bytes {
                filename: r#"say "hi"\now.wav"#.into(),
                data: b"RIFF".to_vec(),
            },
            &CreateTranscriptionRequest::new("whisper-large-v3-turbo"),
            &RequestOptions::new(),
        )
        .unwrap();
    let body = server.requests()[0].body_text();
    assert!(
        body.contains(r#"; filename="say %22hi%22\\now.wav""#),
        "{body}"
    );
}

fn a_file_from_a_path_is_named_and_typed_after_it(driver: &dyn Driver) {
    let dir = TempDir::new("path-upload", driver);
    let audio = varied_bytes(50_000, 2);
    let m4a = dir.file("nested/dir/clip.m4a", &audio);
    let jsonl = dir.file(
        "batch.jsonl",
        b"{\"custom_id\":\"1\"}\n{\"custom_id\":\"2\"}\n",
    );
    let server = ScriptedServer::start(vec![
        Reply::json(200, TEXT_JSON),
        Reply::json(200, &file_json("file_01", "batch.jsonl")),
    ]);
    let client = client(driver, &server);
    let result = client
        .transcription_create(
            Upload::Path(m4a),
            &CreateTranscriptionRequest::new("whisper-large-v3"),
            &RequestOptions::new(),
        )
        .unwrap();
    assert_eq!(
        result,
        TranscriptionOut::Json(serde_json::from_str(TEXT_JSON).unwrap())
    );
    let uploaded = client.files_upload(Upload::Path(jsonl), "batch").unwrap();
    assert_eq!(uploaded.id.as_deref(), Some("file_01"));
    assert_eq!(uploaded.purpose, Some(FilePurpose::Batch));

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let parts = parse_form(&requests[0]);
    assert_eq!(text_fields(&parts), pairs(&[("model", "whisper-large-v3")]));
    let file = file_part(&parts);
    assert_eq!(file.filename.as_deref(), Some("clip.m4a"));
    // The registered type for `.m4a` (as the official SDK sends it), not mime_guess's `audio/m4a`.
    assert_eq!(file.content_type.as_deref(), Some("audio/mp4"));
    assert_eq!(file.data, audio);

    assert_eq!(requests[1].path(), FILES);
    let parts = parse_form(&requests[1]);
    assert_eq!(text_fields(&parts), pairs(&[("purpose", "batch")]));
    let file = file_part(&parts);
    assert_eq!(file.filename.as_deref(), Some("batch.jsonl"));
    // `.jsonl` is unknown to mime_guess: no type, or the generic one.
    assert!(
        matches!(
            file.content_type.as_deref(),
            None | Some("application/octet-stream")
        ),
        "{:?}",
        file.content_type
    );
    assert_eq!(file.data, b"{\"custom_id\":\"1\"}\n{\"custom_id\":\"2\"}\n");
}

fn a_file_from_a_reader_is_sent_whole(driver: &dyn Driver) {
    let audio = varied_bytes(100_000, 3);
    let server = ScriptedServer::start(vec![Reply::json(200, r#"{"text":"Bonjour."}"#)]);
    let result = client(driver, &server)
        .translation_create(
            Upload::Reader {
                filename: "speech.flac".into(),
                data: audio.clone(),
            },
            &CreateTranslationRequest::new("whisper-large-v3").prompt("names: Zoë"),
        )
        .unwrap();
    assert_eq!(
        result.clone(),
        TranslationOut::Json(serde_json::from_str(r#"{"text":"Bonjour."}"#).unwrap())
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].path(), TRANSLATIONS);
    let parts = parse_form(&requests[0]);
    let mut fields = text_fields(&parts);
    fields.sort();
    assert_eq!(
        fields,
        pairs(&[("model", "whisper-large-v3"), ("prompt", "names: Zoë")])
    );
    let file = file_part(&parts);
    assert_eq!(file.filename.as_deref(), Some("speech.flac"));
    assert_eq!(file.content_type.as_deref(), Some("audio/flac"));
    assert_eq!(file.data, audio);
}

fn a_transcription_from_a_url_is_still_multipart(driver: &dyn Driver) {
    let server = ScriptedServer::start(vec![Reply::json(200, TEXT_JSON)]);
    let url = "https://example.com/audio/clip.m4a?sig=a%2Fb&x=1";
    let result = client(driver, &server)
        .transcription_create_from_url(
            &CreateTranscriptionRequest::new("whisper-large-v3-turbo").url(url),
        )
        .unwrap();
    assert_eq!(
        result.clone(),
        TranscriptionOut::Json(serde_json::from_str(TEXT_JSON).unwrap())
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let parts = parse_form(&requests[0]);
    assert!(parts.iter().all(|p| p.filename.is_none()), "no file part");
    let mut fields = text_fields(&parts);
    fields.sort();
    assert_eq!(
        fields,
        pairs(&[("model", "whisper-large-v3-turbo"), ("url", url)])
    );
}

// ---- A16. Retries rebuild the form -----------------------------------------------------------------

fn retries_rebuild_the_multipart_body(driver: &dyn Driver) {
    let dir = TempDir::new("retry-upload", driver);
    let audio = varied_bytes(300_000, 4);
    let path = dir.file("long.wav", &audio);
    let sources = [
        Upload::Path(path),
        Upload::Bytes {
            filename: "long.wav".into(),
            data: audio.clone(),
        },
    ];
    for source in sources {
        let server = ScriptedServer::start(vec![
            Reply::json(500, r#"{"error":{"message":"try again"}}"#),
            Reply::json(200, TEXT_JSON),
        ]);
        let result = client(driver, &server)
            .transcription_create(
                source.clone(),
                &CreateTranscriptionRequest::new("whisper-large-v3"),
                &RequestOptions::new(),
            )
            .unwrap();
        assert_eq!(
            result.clone(),
            TranscriptionOut::Json(serde_json::from_str(TEXT_JSON).unwrap())
        );
        let requests = server.requests();
        assert_eq!(requests.len(), 2, "{source:?}");
        for (attempt, request) in requests.iter().enumerate() {
            assert_eq!(
                request.header(RETRY_COUNT_HEADER),
                Some(attempt.to_string().as_str())
            );
            let parts = parse_form(request);
            assert_eq!(text_fields(&parts), pairs(&[("model", "whisper-large-v3")]));
            let file = file_part(&parts);
            assert_eq!(file.filename.as_deref(), Some("long.wav"));
            assert_eq!(file.content_type.as_deref(), Some("audio/wav"));
            assert_eq!(
                file.data.len(),
                audio.len(),
                "attempt {attempt}: {source:?}"
            );
            assert!(file.data == audio, "attempt {attempt}: the file differs");
        }
    }
    // Files uploads too.
    let server = ScriptedServer::start(vec![
        Reply::json(503, r#"{"error":{"message":"busy"}}"#),
        Reply::json(200, &file_json("file_02", "in.jsonl")),
    ]);
    let uploaded = client(driver, &server)
        .files_upload(
            Upload::Bytes {
                filename: "in.jsonl".into(),
                data: b"{\"a\":1}\n".to_vec(),
            },
            "batch",
        )
        .unwrap();
    assert_eq!(uploaded.id.as_deref(), Some("file_02"));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(parse_form(&requests[0]), parse_form(&requests[1]));
}

fn an_upload_longer_than_the_timeout_that_keeps_going_is_not_cut(driver: &dyn Driver) {
    // 16 MiB read at 512 KiB every 100 ms: over 3 s to send, against a 2 s timeout, never silent for one.
    const SIZE: usize = 16 * 1024 * 1024;
    let url = slow_reader(512 * 1024, std::time::Duration::from_millis(100), TEXT_JSON);
    let mut settings = Settings::new(url);
    settings.timeout = Some(std::time::Duration::from_secs(2));
    settings.max_retries = Some(0);
    let client = media_client(driver, &settings).unwrap();
    let upload = Upload::Bytes {
        filename: "long.wav".into(),
        data: varied_bytes(SIZE, 7),
    };
    let request = CreateTranscriptionRequest::new("whisper-large-v3");
    let outcome = client.transcription_create(upload, &request, &RequestOptions::new());
    assert!(outcome.is_ok(), "{outcome:?}");
}

fn a_reader_upload_is_not_retried(driver: &dyn Driver) {
    let server = ScriptedServer::start(vec![
        Reply::json(500, r#"{"error":{"message":"try again"}}"#),
        Reply::json(200, TEXT_JSON),
    ]);
    let error = client(driver, &server)
        .transcription_create(
            Upload::Reader {
                filename: "once.mp3".into(),
                data: varied_bytes(10_000, 5),
            },
            &CreateTranscriptionRequest::new("whisper-large-v3"),
            &RequestOptions::new().max_retries(3),
        )
        .unwrap_err();
    assert!(matches!(error, Error::InternalServer(_)), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(server.requests().len(), 1);
    assert_eq!(server.remaining(), 1);
}

// ---- Transcriptions typed per response_format ------------------------------------------------------

const VERBOSE_JSON: &str = r#"{
  "task": "transcribe", "language": "English", "duration": 2.5, "text": " Hello world.",
  "segments": [{"id": 0, "seek": 0, "start": 0.0, "end": 2.5, "text": " Hello world.", "tokens": [50365, 2425, 1002],
                "temperature": 0.0, "avg_logprob": -0.25, "compression_ratio": 0.75, "no_speech_prob": 0.5}],
  "words": [{"word": "Hello", "start": 0.0, "end": 1.0}, {"word": "world", "start": 1.0, "end": 2.5}],
  "x_groq": {"id": "req_v"}
}"#;

fn transcriptions_are_typed_by_response_format(driver: &dyn Driver) {
    let server = ScriptedServer::start(vec![
        Reply::json(200, TEXT_JSON),
        Reply::json(200, VERBOSE_JSON),
        Reply::bytes(
            200,
            "text/plain; charset=utf-8",
            " Hello world. ✓\n".as_bytes(),
        ),
        Reply::json(200, VERBOSE_JSON),
        Reply::bytes(200, "text/plain", b"Hello in English"),
    ]);
    let client = client(driver, &server);
    let upload = || Upload::Bytes {
        filename: "a.ogg".into(),
        data: varied_bytes(1000, 6),
    };
    let base = CreateTranscriptionRequest::new("whisper-large-v3");
    let none = RequestOptions::new();

    let json = client
        .transcription_create(
            upload(),
            &base.clone().response_format(AudioResponseFormat::Json),
            &none,
        )
        .unwrap();
    assert_eq!(
        json.clone(),
        TranscriptionOut::Json(serde_json::from_str(TEXT_JSON).unwrap())
    );

    let verbose = client
        .transcription_create(
            upload(),
            &base
                .clone()
                .response_format(AudioResponseFormat::VerboseJson)
                .timestamp_granularities(vec![TimestampGranularity::Word]),
            &none,
        )
        .unwrap();
    let TranscriptionOut::VerboseJson(verbose) = verbose else {
        panic!("expected VerboseJson, got {verbose:?}")
    };
    assert_eq!(verbose.text, " Hello world.");
    assert_eq!(verbose.language, "English");
    assert_eq!(verbose.duration, AudioDuration::Seconds(2.5));
    assert_eq!(verbose.duration.seconds(), Some(2.5));
    assert_eq!(verbose.segments.len(), 1);
    assert_eq!(verbose.segments[0].end, 2.5);
    assert_eq!(verbose.segments[0].tokens, [50365, 2425, 1002]);
    assert_eq!(verbose.segments[0].no_speech_prob, Some(0.5));
    let words: Vec<(&str, f32, f32)> = verbose
        .words
        .iter()
        .map(|w| (w.word.as_str(), w.start, w.end))
        .collect();
    assert_eq!(words, [("Hello", 0.0, 1.0), ("world", 1.0, 2.5)]);

    let text = client
        .transcription_create(
            upload(),
            &base.clone().response_format(AudioResponseFormat::Text),
            &none,
        )
        .unwrap();
    assert_eq!(text, TranscriptionOut::Text(" Hello world. ✓\n".into()));

    let translation_request = CreateTranslationRequest::new("whisper-large-v3")
        .response_format(AudioResponseFormat::VerboseJson);
    let translated = client
        .translation_create(upload(), &translation_request)
        .unwrap();
    let TranslationOut::VerboseJson(translated) = translated else {
        panic!("expected VerboseJson, got {translated:?}")
    };
    assert_eq!(translated.text, " Hello world.");
    assert_eq!(translated.duration.seconds(), Some(2.5));
    let translated = client
        .translation_create(
            upload(),
            &CreateTranslationRequest::new("whisper-large-v3")
                .response_format(AudioResponseFormat::Text),
        )
        .unwrap();
    assert_eq!(translated, TranslationOut::Text("Hello in English".into()));

    let requests = server.requests();
    // Every format is asked for as JSON, the one type the published spec gives these answers, as the
    // official SDKs ask; a text answer is still read as text.
    let accepts: Vec<Option<&str>> = requests.iter().map(|r| r.header("accept")).collect();
    assert_eq!(accepts, [Some("application/json"); 5]);
    let formats: Vec<String> = requests
        .iter()
        .map(|r| {
            parse_form(r)
                .into_iter()
                .find(|p| p.name == "response_format")
                .map(|p| p.text())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(
        formats,
        ["json", "verbose_json", "text", "verbose_json", "text"]
    );
}

fn a_text_transcription_that_is_not_utf8_is_a_decode_error(driver: &dyn Driver) {
    let server = ScriptedServer::start(vec![Reply::bytes(200, "text/plain", b"ok \xff\xfe")]);
    let error = client(driver, &server)
        .transcription_create(
            Upload::Bytes {
                filename: "a.mp3".into(),
                data: vec![1, 2, 3],
            },
            &CreateTranscriptionRequest::new("whisper-large-v3")
                .response_format(AudioResponseFormat::Text),
            &RequestOptions::new(),
        )
        .unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
}

// ---- Refusals before any I/O -----------------------------------------------------------------------

fn invalid_requests_are_refused_before_io(driver: &dyn Driver) {
    let server = ScriptedServer::start(vec![]);
    let client = client(driver, &server);
    let upload = || Upload::Bytes {
        filename: "a.mp3".into(),
        data: vec![1, 2, 3],
    };
    let none = RequestOptions::new();
    let model = || CreateTranscriptionRequest::new("whisper-large-v3");
    // A file and a url.
    assert!(is_invalid_request(client.transcription_create(
        upload(),
        &model().url("https://example.com/a.mp3"),
        &none
    )));
    assert!(is_invalid_request(client.translation_create(
        upload(),
        &CreateTranslationRequest::new("whisper-large-v3").url("https://example.com/a.mp3")
    )));
    // Neither.
    assert!(is_invalid_request(
        client.transcription_create_from_url(&model())
    ));
    // Empty file ids.
    for id in ["", " "] {
        assert!(is_invalid_request(client.files_retrieve(id)), "{id:?}");
        assert!(is_invalid_request(client.files_delete(id)), "{id:?}");
        for how in [ReadAs::Whole, ReadAs::Chunks] {
            assert!(
                is_invalid_request(client.binary(BinaryCall::FileContent(id), how, false)),
                "{id:?}"
            );
        }
        assert!(is_invalid_request(client.binary(
            BinaryCall::FileContent(id),
            ReadAs::Whole,
            true
        )));
    }
    // A path that does not exist: an I/O error naming it.
    let missing = std::env::temp_dir().join("groq-tests-no-such-dir/missing.mp3");
    let error = client
        .transcription_create(Upload::Path(missing), &model(), &none)
        .unwrap_err();
    assert!(matches!(error, Error::Io(_)), "{error:?}");
    assert!(error.to_string().contains("missing.mp3"), "{error}");
    // A path that is not a regular file (a directory; a pipe would be sent empty): an I/O error naming
    // it, not a connection error retried.
    let directory = std::env::temp_dir();
    let error = client
        .transcription_create(Upload::Path(directory.clone()), &model(), &none)
        .unwrap_err();
    assert!(matches!(error, Error::Io(_)), "{error:?}");
    assert!(error.to_string().contains("not a regular file"), "{error}");
    assert!(
        error.to_string().contains(&*directory.to_string_lossy()),
        "{error}"
    );
    // A file name that would break the part's header (a line break, then a header of its own).
    let injected = Upload::Bytes {
        filename: "clip.mp3\"\r\nX-Injected: yes".into(),
        data: vec![1, 2, 3],
    };
    let error = client
        .transcription_create(injected, &model(), &none)
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(error.to_string().contains("control character"), "{error}");
    assert!(server.requests().is_empty(), "{:?}", server.requests());
    assert_eq!(server.connections(), 0);
}

// ---- Files JSON endpoints --------------------------------------------------------------------------

fn files_list_retrieve_and_delete(driver: &dyn Driver) {
    let server = ScriptedServer::start(vec![
        Reply::json(
            200,
            &format!(
                r#"{{"object":"list","data":[{},{}]}}"#,
                file_json("file_a", "a.jsonl"),
                file_json("file_b", "b.jsonl")
            ),
        ),
        Reply::json(200, &file_json("file/1 x", "a.jsonl")),
        Reply::json(200, r#"{"id":"file/1 x","object":"file","deleted":true}"#),
    ]);
    let client = client(driver, &server);
    let list = client.files_list().unwrap();
    let ids: Vec<Option<&str>> = list.data.iter().map(|f| f.id.as_deref()).collect();
    assert_eq!(ids, [Some("file_a"), Some("file_b")]);
    let file = client.files_retrieve("file/1 x").unwrap();
    assert_eq!(file.filename.as_deref(), Some("a.jsonl"));
    assert_eq!(file.bytes, Some(1234));
    let deleted = client.files_delete("file/1 x").unwrap();
    assert!(deleted.deleted);
    assert_eq!(deleted.id, "file/1 x");
    let requests = server.requests();
    let calls: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.target.as_str()))
        .collect();
    assert_eq!(
        calls,
        [
            ("GET", FILES),
            ("GET", "/openai/v1/files/file%2F1%20x"),
            ("DELETE", "/openai/v1/files/file%2F1%20x"),
        ]
    );
    for request in &requests {
        assert!(request.body.is_empty());
        assert_eq!(request.header("content-type"), None);
        assert_eq!(request.header("accept"), Some("application/json"));
    }
}

for_both_clients!(
    a_quote_in_a_file_name_is_written_as_browsers_write_it,
    a_file_from_bytes_and_the_fields_are_parts,
    a_file_from_a_path_is_named_and_typed_after_it,
    a_file_from_a_reader_is_sent_whole,
    a_transcription_from_a_url_is_still_multipart,
    retries_rebuild_the_multipart_body,
    a_reader_upload_is_not_retried,
    an_upload_longer_than_the_timeout_that_keeps_going_is_not_cut,
    transcriptions_are_typed_by_response_format,
    a_text_transcription_that_is_not_utf8_is_a_decode_error,
    invalid_requests_are_refused_before_io,
    files_list_retrieve_and_delete,
);
