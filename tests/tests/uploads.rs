//! Audio and files: multipart uploads checked on the bytes the server received (files from bytes, a path or
//! a reader; repeated array parts; booleans; unset fields left out; URL-only transcriptions), retries that
//! rebuild the form, transcriptions typed per `response_format`, refusals before any I/O, and binary bodies
//! (speech, file content) read whole, in chunks or into a file. Every scenario runs against both clients
//! (`for_both_clients!`).

use groq_tests::driver::{Driver, Settings};
use groq_tests::driver_media::{
    media_client, BinaryCall, MediaEndpoints, ReadAs, TranscriptionOut, TranslationOut, Upload,
};
use groq_tests::for_both_clients;
use groq_tests::scripted::{Part, Recorded, Reply, ScriptedServer};
use groq_types::sdk::request::RETRY_COUNT_HEADER;
use groq_types::sdk::{Error, RequestOptions};
use groq_types::{
    AudioDuration, AudioResponseFormat, CreateSpeechRequest, CreateTranscriptionRequest,
    CreateTranslationRequest, FilePurpose, SpeechResponseFormat, TimestampGranularity,
};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::time::{Duration, Instant};

const TRANSCRIPTIONS: &str = "/openai/v1/audio/transcriptions";
const TRANSLATIONS: &str = "/openai/v1/audio/translations";
const SPEECH: &str = "/openai/v1/audio/speech";
const FILES: &str = "/openai/v1/files";

// ---- Helpers ---------------------------------------------------------------------------------------

fn client(driver: &dyn Driver, server: &ScriptedServer) -> Box<dyn MediaEndpoints> {
    media_client(driver, &Settings::new(server.url())).unwrap()
}

/// `n` bytes that vary (every byte value, no short period), like compressed audio.
fn varied_bytes(n: usize, seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        })
        .collect()
}

/// A directory of its own under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(scenario: &str, driver: &dyn Driver) -> Self {
        let path = std::env::temp_dir().join(format!(
            "groq-tests-{}-{scenario}-{}",
            std::process::id(),
            driver.name()
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    fn file(&self, relative: &str, data: &[u8]) -> PathBuf {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, data).unwrap();
        path
    }

    /// The names of the files in the directory, sorted.
    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.0)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One part of a multipart form as received.
#[derive(Clone, Debug, PartialEq)]
struct FormPart {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    data: Vec<u8>,
}

impl FormPart {
    fn text(&self) -> String {
        String::from_utf8(self.data.clone()).expect("a UTF-8 text part")
    }
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|at| at + from)
}

/// Parses the multipart body of `request` (the boundary comes from its `Content-Type`).
fn parse_form(request: &Recorded) -> Vec<FormPart> {
    let content_type = request.header("content-type").expect("a content type");
    assert!(
        content_type.starts_with("multipart/form-data"),
        "{content_type}"
    );
    let boundary = content_type
        .split(';')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("boundary="))
        .expect("a boundary")
        .trim_matches('"');
    let delimiter = format!("--{boundary}").into_bytes();
    let body = &request.body;
    assert!(
        body.starts_with(&delimiter),
        "the body opens with the boundary"
    );
    let separator = [b"\r\n".as_slice(), &delimiter].concat();
    let mut parts = Vec::new();
    let mut at = delimiter.len();
    loop {
        // After a delimiter: `--` ends the form, CRLF starts a part.
        if body[at..].starts_with(b"--") {
            break;
        }
        assert!(body[at..].starts_with(b"\r\n"), "CRLF after the boundary");
        at += 2;
        let head_end = find(body, b"\r\n\r\n", at).expect("the part's headers end");
        let head = String::from_utf8(body[at..head_end].to_vec()).unwrap();
        let data_start = head_end + 4;
        let data_end = find(body, &separator, data_start).expect("the next boundary");
        let mut part = FormPart {
            name: String::new(),
            filename: None,
            content_type: None,
            data: body[data_start..data_end].to_vec(),
        };
        for line in head.split("\r\n") {
            let (name, value) = line.split_once(':').expect("a part header");
            match name.trim().to_ascii_lowercase().as_str() {
                "content-disposition" => {
                    for param in value.split(';').map(str::trim).skip(1) {
                        let (key, value) = param.split_once('=').expect("a parameter");
                        let value = value.trim_matches('"').to_owned();
                        match key {
                            "name" => part.name = value,
                            "filename" => part.filename = Some(value),
                            _ => {}
                        }
                    }
                }
                "content-type" => part.content_type = Some(value.trim().to_owned()),
                _ => {}
            }
        }
        parts.push(part);
        at = data_end + separator.len();
    }
    parts
}

/// The text parts of a form as (name, value), in order.
fn text_fields(parts: &[FormPart]) -> Vec<(String, String)> {
    parts
        .iter()
        .filter(|p| p.filename.is_none())
        .map(|p| (p.name.clone(), p.text()))
        .collect()
}

/// The one file part of a form.
fn file_part(parts: &[FormPart]) -> &FormPart {
    let files: Vec<&FormPart> = parts.iter().filter(|p| p.filename.is_some()).collect();
    assert_eq!(files.len(), 1, "{parts:?}");
    assert_eq!(files[0].name, "file");
    files[0]
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn is_invalid_request<T: std::fmt::Debug>(result: Result<T, Error>) -> bool {
    matches!(result, Err(Error::InvalidRequest(_)))
}

const TEXT_JSON: &str = r#"{"text":"Hello world.","x_groq":{"id":"req_t"}}"#;

fn file_json(id: &str, filename: &str) -> String {
    json!({"id": id, "object": "file", "bytes": 1234, "created_at": 1_736_000_000, "filename": filename, "purpose": "batch"})
        .to_string()
}

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
        .body_field("x_unset", Value::Null);
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
            ("x_off", "false"),
        ])
    );
    let file = file_part(&parts);
    assert_eq!(file.filename.as_deref(), Some("speech.mp3"));
    assert_eq!(file.content_type.as_deref(), Some("audio/mpeg"));
    assert_eq!(file.data, audio);
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
    let accepts: Vec<Option<&str>> = requests.iter().map(|r| r.header("accept")).collect();
    assert_eq!(
        accepts,
        [
            Some("application/json"),
            Some("application/json"),
            Some("text/plain"),
            Some("application/json"),
            Some("text/plain"),
        ]
    );
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
    // The request's own `file` field.
    assert!(is_invalid_request(client.transcription_create(
        upload(),
        &model().file("a.mp3"),
        &none
    )));
    assert!(is_invalid_request(client.transcription_create_from_url(
        &model().file("a.mp3").url("https://example.com/a")
    )));
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

// ---- A24 / B11. Binary bodies ----------------------------------------------------------------------

/// A binary reply of `body` in pieces of 64 KiB (chunked by the server), or with a `Content-Length`.
fn binary_reply(content_type: &str, body: &[u8], with_length: bool) -> Reply {
    if with_length {
        return Reply::bytes(200, content_type, body);
    }
    let mut reply = Reply::new(200).header("Content-Type", content_type);
    for piece in body.chunks(64 * 1024) {
        reply = reply.part(Part::Bytes(piece.to_vec()));
    }
    reply
}

fn speech() -> CreateSpeechRequest {
    CreateSpeechRequest::builder()
        .model("playai-tts")
        .voice("Fritz-PlayAI")
        .input("Hello there.")
        .response_format(SpeechResponseFormat::Wav)
        .build()
        .expect("every required field is set")
}

fn binary_bodies_read_whole_in_chunks_or_to_a_file(driver: &dyn Driver) {
    let dir = TempDir::new("binary", driver);
    let body = varied_bytes(400_000, 7);
    let calls = [
        (BinaryCall::Speech(&speech()), "audio/wav"),
        (
            BinaryCall::FileContent("file_01"),
            "application/octet-stream",
        ),
    ];
    for (call, content_type) in calls {
        for with_length in [true, false] {
            let target = dir.0.join("out.bin");
            let reads = [ReadAs::Whole, ReadAs::Chunks, ReadAs::File(&target)];
            let server = ScriptedServer::start(
                reads
                    .iter()
                    .map(|_| binary_reply(content_type, &body, with_length))
                    .collect(),
            );
            let client = client(driver, &server);
            for how in reads {
                let case = format!("{call:?} {how:?} content-length: {with_length}");
                let out = client.binary(call, how, false).unwrap();
                assert_eq!(out.content_type.as_deref(), Some(content_type), "{case}");
                match how {
                    ReadAs::Whole => assert!(out.bytes == body, "{case}: the body differs"),
                    ReadAs::Chunks => {
                        assert!(out.bytes == body, "{case}: the body differs");
                        assert!(out.chunks >= 2, "{case}: {} chunks", out.chunks);
                    }
                    ReadAs::File(path) => {
                        assert_eq!(out.written, Some(body.len() as u64), "{case}");
                        assert!(
                            std::fs::read(path).unwrap() == body,
                            "{case}: the file differs"
                        );
                        assert_eq!(dir.names(), ["out.bin"], "{case}: no .partial left");
                        std::fs::remove_file(path).unwrap();
                    }
                    ReadAs::FirstChunk => unreachable!("not read that way here"),
                }
            }
            let requests = server.requests();
            assert_eq!(requests.len(), 3);
            for request in &requests {
                match call {
                    BinaryCall::Speech(_) => {
                        assert_eq!(request.method, "POST");
                        assert_eq!(request.path(), SPEECH);
                        assert_eq!(request.header("accept"), Some("audio/wav"));
                        let sent: Value = serde_json::from_slice(&request.body).unwrap();
                        assert_eq!(
                            sent,
                            json!({"input": "Hello there.", "model": "playai-tts", "voice": "Fritz-PlayAI", "response_format": "wav"})
                        );
                    }
                    BinaryCall::FileContent(_) => {
                        assert_eq!(request.method, "GET");
                        assert_eq!(request.path(), "/openai/v1/files/file_01/content");
                        assert_eq!(request.header("accept"), Some("application/octet-stream"));
                        assert!(request.body.is_empty());
                    }
                }
            }
        }
    }
}

fn speech_asks_for_the_audio_type_of_its_format(driver: &dyn Driver) {
    let formats = [
        (Some(SpeechResponseFormat::Wav), "audio/wav"),
        (Some(SpeechResponseFormat::Mp3), "audio/mpeg"),
        (Some(SpeechResponseFormat::Flac), "audio/flac"),
        (Some(SpeechResponseFormat::Ogg), "audio/ogg"),
        (Some(SpeechResponseFormat::Mulaw), "audio/basic"),
    ];
    let server = ScriptedServer::start(
        formats
            .iter()
            .map(|(_, ty)| Reply::bytes(200, ty, b"RIFF...."))
            .collect(),
    );
    let client = client(driver, &server);
    for (format, _) in &formats {
        let mut request = CreateSpeechRequest::builder()
            .model("playai-tts")
            .voice("Fritz-PlayAI")
            .input("Hi")
            .build()
            .expect("every required field is set");
        request.response_format = format.clone();
        let out = client
            .binary(BinaryCall::Speech(&request), ReadAs::Whole, false)
            .unwrap();
        assert_eq!(out.bytes, b"RIFF....");
    }
    let accepts: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.header("accept").unwrap_or_default().to_owned())
        .collect();
    let expected: Vec<&str> = formats.iter().map(|(_, ty)| *ty).collect();
    assert_eq!(accepts, expected);
}

fn a_cut_body_leaves_no_file_behind(driver: &dyn Driver) {
    let dir = TempDir::new("cut", driver);
    let body = varied_bytes(300_000, 8);
    let target = dir.0.join("speech.wav");
    for with_length in [true, false] {
        let cut = |reply: Reply| {
            reply
                .part(Part::Bytes(body[..120_000].to_vec()))
                .part(Part::Delay(Duration::from_millis(20)))
                .part(Part::Cut)
        };
        let reply = || {
            if with_length {
                cut(Reply::new(200)
                    .header("Content-Type", "audio/wav")
                    .header("Content-Length", &body.len().to_string()))
            } else {
                cut(Reply::new(200).header("Content-Type", "audio/wav"))
            }
        };
        let server = ScriptedServer::start(vec![reply(), reply(), reply(), reply()]);
        let client = client(driver, &server);
        for (call, how) in [
            (BinaryCall::Speech(&speech()), ReadAs::File(&target)),
            (BinaryCall::FileContent("file_01"), ReadAs::File(&target)),
            (BinaryCall::Speech(&speech()), ReadAs::Whole),
            (BinaryCall::FileContent("file_01"), ReadAs::Chunks),
        ] {
            let case = format!("{call:?} {how:?} content-length: {with_length}");
            let error = client.binary(call, how, false).unwrap_err();
            assert!(error.is_connection(), "{case}: {error:?}");
            assert!(!target.exists(), "{case}: the target exists");
            assert!(dir.names().is_empty(), "{case}: left {:?}", dir.names());
        }
        // A body is never re-requested once its headers arrived.
        assert_eq!(server.requests().len(), 4);
    }
}

fn a_stalled_body_is_a_timeout_and_leaves_no_file(driver: &dyn Driver) {
    let dir = TempDir::new("stall", driver);
    let target = dir.0.join("out.jsonl");
    let server = ScriptedServer::start(vec![Reply::new(200)
        .header("Content-Type", "application/octet-stream")
        .part(Part::Bytes(b"{\"custom_id\":\"1\"}\n".to_vec()))
        .part(Part::Delay(Duration::from_secs(4)))
        .part(Part::Bytes(b"{\"custom_id\":\"2\"}\n".to_vec()))]);
    let mut settings = Settings::new(server.url());
    settings.timeout = Some(Duration::from_millis(300));
    let client = media_client(driver, &settings).unwrap();
    let started = Instant::now();
    let error = client
        .binary(
            BinaryCall::FileContent("file_01"),
            ReadAs::File(&target),
            false,
        )
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(dir.names().is_empty(), "left {:?}", dir.names());
    assert_eq!(server.requests().len(), 1);
}

fn a_failed_download_leaves_an_existing_file_untouched(driver: &dyn Driver) {
    let dir = TempDir::new("keep", driver);
    let target = dir.file("results.jsonl", b"previous results\n");
    let server = ScriptedServer::start(vec![Reply::new(200)
        .header("Content-Type", "application/octet-stream")
        .part(Part::Bytes(b"new".to_vec()))
        .part(Part::Cut)]);
    let error = client(driver, &server)
        .binary(
            BinaryCall::FileContent("file_01"),
            ReadAs::File(&target),
            false,
        )
        .unwrap_err();
    assert!(error.is_connection(), "{error:?}");
    assert_eq!(std::fs::read(&target).unwrap(), b"previous results\n");
    assert_eq!(dir.names(), ["results.jsonl"]);
}

fn dropping_a_binary_body_early_releases_its_connection(driver: &dyn Driver) {
    let body = varied_bytes(64 * 1024, 10);
    let server = ScriptedServer::start(vec![Reply::new(200)
        .header("Content-Type", "application/octet-stream")
        .part(Part::Bytes(body.clone()))
        .part(Part::HoldOpen)]);
    let client = client(driver, &server);
    let out = client
        .binary(
            BinaryCall::FileContent("file_01"),
            ReadAs::FirstChunk,
            false,
        )
        .unwrap();
    assert_eq!(out.chunks, 1);
    assert!(!out.bytes.is_empty() && body.starts_with(&out.bytes));
    let started = Instant::now();
    assert!(
        server.wait_for_client_close(Duration::from_millis(1500)),
        "the connection stayed open after the body was dropped"
    );
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(server.requests().len(), 1);
    drop(client);
}

// ---- Raw binary responses --------------------------------------------------------------------------

fn binary_raw_responses_carry_metadata(driver: &dyn Driver) {
    let body = varied_bytes(70_000, 9);
    let server = ScriptedServer::start(vec![
        Reply::json(500, r#"{"error":{"message":"retry me"}}"#),
        Reply::bytes(200, "audio/wav", &body).header("x-request-id", "req_speech"),
        Reply::bytes(200, "application/octet-stream", &body)
            .header("x-request-id", "req_content")
            .header("x-ratelimit-remaining-requests", "99"),
    ]);
    let client = client(driver, &server);
    let out = client
        .binary(BinaryCall::Speech(&speech()), ReadAs::Whole, true)
        .unwrap();
    let meta = out.meta.expect("metadata");
    assert_eq!(meta.status().as_u16(), 200);
    assert_eq!(meta.request_id(), Some("req_speech"));
    assert_eq!(meta.retries_taken(), 1);
    assert_eq!(meta.headers()["content-type"], "audio/wav");
    assert!(out.bytes == body);

    let out = client
        .binary(BinaryCall::FileContent("file_9"), ReadAs::Chunks, true)
        .unwrap();
    let meta = out.meta.expect("metadata");
    assert_eq!(meta.status().as_u16(), 200);
    assert_eq!(meta.request_id(), Some("req_content"));
    assert_eq!(meta.retries_taken(), 0);
    assert_eq!(meta.rate_limit().remaining_requests, Some(99));
    assert!(out.bytes == body);
    assert_eq!(server.requests().len(), 3);
}

fn binary_error_statuses_are_status_errors(driver: &dyn Driver) {
    let server = ScriptedServer::start(vec![Reply::json(
        404,
        r#"{"error":{"message":"file not found","type":"invalid_request_error"}}"#,
    )
    .header("x-request-id", "req_404")]);
    let error = client(driver, &server)
        .binary(
            BinaryCall::FileContent("file_missing"),
            ReadAs::Whole,
            false,
        )
        .unwrap_err();
    assert!(matches!(error, Error::NotFound(_)), "{error:?}");
    assert_eq!(error.request_id(), Some("req_404"));
    assert!(error.to_string().contains("file not found"), "{error}");
}

for_both_clients!(
    a_file_from_bytes_and_the_fields_are_parts,
    a_file_from_a_path_is_named_and_typed_after_it,
    a_file_from_a_reader_is_sent_whole,
    a_transcription_from_a_url_is_still_multipart,
    retries_rebuild_the_multipart_body,
    a_reader_upload_is_not_retried,
    transcriptions_are_typed_by_response_format,
    a_text_transcription_that_is_not_utf8_is_a_decode_error,
    invalid_requests_are_refused_before_io,
    files_list_retrieve_and_delete,
    binary_bodies_read_whole_in_chunks_or_to_a_file,
    speech_asks_for_the_audio_type_of_its_format,
    a_cut_body_leaves_no_file_behind,
    a_stalled_body_is_a_timeout_and_leaves_no_file,
    a_failed_download_leaves_an_existing_file_untouched,
    dropping_a_binary_body_early_releases_its_connection,
    binary_raw_responses_carry_metadata,
    binary_error_statuses_are_status_errors,
);
