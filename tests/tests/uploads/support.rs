//! What the upload and download scenarios share: the client under test, test data, a scratch directory,
//! and a parser for the multipart forms the server received.

use groq_tests::driver::{Driver, Settings};
use groq_tests::driver_media::{media_client, MediaEndpoints};
use groq_tests::scripted::{Recorded, ScriptedServer};
use groq_types::sdk::Error;
use serde_json::json;
use std::path::PathBuf;

pub(crate) const TRANSCRIPTIONS: &str = "/openai/v1/audio/transcriptions";
pub(crate) const TRANSLATIONS: &str = "/openai/v1/audio/translations";
pub(crate) const SPEECH: &str = "/openai/v1/audio/speech";
pub(crate) const FILES: &str = "/openai/v1/files";

pub(crate) fn client(driver: &dyn Driver, server: &ScriptedServer) -> Box<dyn MediaEndpoints> {
    media_client(driver, &Settings::new(server.url())).unwrap()
}

/// `n` bytes that vary (every byte value, no short period), like compressed audio.
pub(crate) fn varied_bytes(n: usize, seed: u32) -> Vec<u8> {
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
pub(crate) struct TempDir(pub(crate) PathBuf);

impl TempDir {
    pub(crate) fn new(scenario: &str, driver: &dyn Driver) -> Self {
        let path = std::env::temp_dir().join(format!(
            "groq-tests-{}-{scenario}-{}",
            std::process::id(),
            driver.name()
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    pub(crate) fn file(&self, relative: &str, data: &[u8]) -> PathBuf {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, data).unwrap();
        path
    }

    /// The names of the files in the directory, sorted.
    pub(crate) fn names(&self) -> Vec<String> {
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
pub(crate) struct FormPart {
    pub(crate) name: String,
    pub(crate) filename: Option<String>,
    pub(crate) content_type: Option<String>,
    pub(crate) data: Vec<u8>,
}

impl FormPart {
    pub(crate) fn text(&self) -> String {
        String::from_utf8(self.data.clone()).expect("a UTF-8 text part")
    }
}

pub(crate) fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|at| at + from)
}

/// Parses the multipart body of `request` (the boundary comes from its `Content-Type`).
pub(crate) fn parse_form(request: &Recorded) -> Vec<FormPart> {
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
pub(crate) fn text_fields(parts: &[FormPart]) -> Vec<(String, String)> {
    parts
        .iter()
        .filter(|p| p.filename.is_none())
        .map(|p| (p.name.clone(), p.text()))
        .collect()
}

/// The one file part of a form.
pub(crate) fn file_part(parts: &[FormPart]) -> &FormPart {
    let files: Vec<&FormPart> = parts.iter().filter(|p| p.filename.is_some()).collect();
    assert_eq!(files.len(), 1, "{parts:?}");
    assert_eq!(files[0].name, "file");
    files[0]
}

pub(crate) fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

pub(crate) fn is_invalid_request<T: std::fmt::Debug>(result: Result<T, Error>) -> bool {
    matches!(result, Err(Error::InvalidRequest(_)))
}

pub(crate) const TEXT_JSON: &str = r#"{"text":"Hello world.","x_groq":{"id":"req_t"}}"#;

pub(crate) fn file_json(id: &str, filename: &str) -> String {
    json!({"id": id, "object": "file", "bytes": 1234, "created_at": 1_736_000_000, "filename": filename, "purpose": "batch"})
        .to_string()
}

/// A server that answers one request, reading its body slowly but steadily: `piece` bytes, then a pause
/// of `gap`, until it has the whole body (by its `Content-Length`); then it answers `body` as JSON. Gives
/// its URL; it takes one connection only.
///
/// Its receive buffer is small (128 KiB), so that little of the body can wait in the sockets' buffers:
/// the client's sending ends about when this server has read it, as over a slow link. With loopback's
/// buffers (several MiB each way) the client handed its last piece over long before the server had read
/// it, and the wait for the answer after the last piece then covered that reading too.
pub(crate) fn slow_reader(piece: usize, gap: std::time::Duration, body: &'static str) -> String {
    use socket2::{Domain, Socket, Type};
    use std::io::{Read, Write};
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    socket.set_recv_buffer_size(128 * 1024).unwrap();
    let address: std::net::SocketAddr = "127.0.0.1:0".parse().unwrap();
    socket.bind(&address.into()).unwrap();
    socket.listen(1).unwrap();
    let listener: std::net::TcpListener = socket.into();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let Ok((mut stream, _)) = listener.accept() else {
            return;
        };
        drop(listener);
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            if !matches!(stream.read(&mut byte), Ok(1)) {
                return;
            }
            head.push(byte[0]);
        }
        let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|line| line.strip_prefix("content-length:"))
            .and_then(|value| value.trim().parse().ok())
            .unwrap_or(0);
        let mut buffer = vec![0u8; piece];
        let mut left = length;
        while left > 0 {
            let want = left.min(piece);
            if stream.read_exact(&mut buffer[..want]).is_err() {
                return;
            }
            left -= want;
            std::thread::sleep(gap);
        }
        let _ = write!(
            stream,
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
    });
    url
}
