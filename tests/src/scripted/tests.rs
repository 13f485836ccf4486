//! Unit tests of `scripted.rs`.

use super::*;

/// A response as read by the tiny test client.
#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// Whether the body was complete according to its framing.
    complete: bool,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn connect(server: &ScriptedServer) -> TcpStream {
    let stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
}

fn read_line(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Option<String> {
    loop {
        if let Some(pos) = buf.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = buf.drain(..=pos).collect();
            return Some(String::from_utf8_lossy(&line).trim_end().to_owned());
        }
        let mut chunk = [0u8; 4096];
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

fn read_n(stream: &mut TcpStream, buf: &mut Vec<u8>, n: usize) -> Option<Vec<u8>> {
    while buf.len() < n {
        let mut chunk = [0u8; 4096];
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(k) => buf.extend_from_slice(&chunk[..k]),
        }
    }
    Some(buf.drain(..n).collect())
}

/// Reads one response (Content-Length, chunked, or until close).
fn read_response(stream: &mut TcpStream) -> Response {
    let mut buf = Vec::new();
    let status_line = read_line(stream, &mut buf).expect("status line");
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status code");
    let mut headers = Vec::new();
    loop {
        let line = read_line(stream, &mut buf).expect("header line");
        if line.is_empty() {
            break;
        }
        let (k, v) = line.split_once(':').expect("header");
        headers.push((k.trim().to_owned(), v.trim().to_owned()));
    }
    let mut response = Response {
        status,
        headers,
        body: Vec::new(),
        complete: false,
    };
    if (100..200).contains(&status) || status == 204 || status == 304 {
        response.complete = true;
    } else if let Some(len) = response.header("content-length") {
        let len: usize = len.parse().unwrap();
        match read_n(stream, &mut buf, len) {
            Some(body) => {
                response.body = body;
                response.complete = true;
            }
            None => response.body = buf,
        }
    } else if response
        .header("transfer-encoding")
        .is_some_and(|v| v.contains("chunked"))
    {
        loop {
            let Some(size) = read_line(stream, &mut buf) else {
                return response;
            };
            let size = usize::from_str_radix(&size, 16).unwrap();
            if size == 0 {
                response.complete = read_line(stream, &mut buf).is_some();
                return response;
            }
            let Some(data) = read_n(stream, &mut buf, size + 2) else {
                return response;
            };
            response.body.extend_from_slice(&data[..size]);
        }
    } else {
        response.body = buf;
        let _ = stream.read_to_end(&mut response.body);
        response.complete = true;
    }
    response
}

fn at_eof(stream: &mut TcpStream) -> bool {
    let mut byte = [0u8; 1];
    matches!(stream.read(&mut byte), Ok(0) | Err(_))
}

#[test]
fn answers_and_records_a_json_request() {
    let server = ScriptedServer::start(vec![
        Reply::json(201, r#"{"ok":true}"#).header("x-request-id", "req_1")
    ]);
    let mut stream = connect(&server);
    stream
            .write_all(
                b"POST /openai/v1/chat/completions?a=1&b=%2F HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Custom: Value \r\nContent-Length: 7\r\n\r\n{\"a\":1}",
            )
            .unwrap();
    let response = read_response(&mut stream);
    assert_eq!(response.status, 201);
    assert_eq!(response.body, br#"{"ok":true}"#);
    assert_eq!(response.header("x-request-id"), Some("req_1"));
    assert!(response.complete);

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, "/openai/v1/chat/completions?a=1&b=%2F");
    assert_eq!(request.path(), "/openai/v1/chat/completions");
    assert_eq!(request.query(), Some("a=1&b=%2F"));
    assert_eq!(request.header("X-CUSTOM"), Some("Value"));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.body, br#"{"a":1}"#);
}

#[test]
fn keeps_the_connection_alive_then_answers_500_when_the_script_runs_out() {
    let server = ScriptedServer::start(vec![
        Reply::json(200, "{}"),
        Reply::json(429, r#"{"error":{}}"#),
    ]);
    let mut stream = connect(&server);
    for (i, expected) in [200u16, 429, 500].into_iter().enumerate() {
        write!(stream, "GET /r{i} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let response = read_response(&mut stream);
        assert_eq!(response.status, expected);
        if expected == 500 {
            assert_eq!(response.body, b"no scripted reply");
        }
    }
    assert_eq!(server.connections(), 1);
    let targets: Vec<_> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(targets, ["/r0", "/r1", "/r2"]);
    assert_eq!(server.remaining(), 0);
}

#[test]
fn decodes_a_chunked_request_body() {
    let server = ScriptedServer::start(vec![Reply::json(200, "{}")]);
    let mut stream = connect(&server);
    stream
            .write_all(
                b"POST /openai/v1/files HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: multipart/form-data; boundary=b\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n",
            )
            .unwrap();
    let response = read_response(&mut stream);
    assert_eq!(response.status, 200);
    let requests = server.requests();
    assert_eq!(requests[0].body, b"hello, world");
    assert_eq!(requests[0].method, "POST");
}

#[test]
fn answers_expect_100_continue() {
    let server = ScriptedServer::start(vec![Reply::json(200, "{}")]);
    let mut stream = connect(&server);
    stream
        .write_all(
            b"POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n",
        )
        .unwrap();
    let interim = read_response(&mut stream);
    assert_eq!(interim.status, 100);
    stream.write_all(b"abc").unwrap();
    let response = read_response(&mut stream);
    assert_eq!(response.status, 200);
    assert_eq!(server.requests()[0].body, b"abc");
}

#[test]
fn streams_chunked_events_then_closes() {
    let server = ScriptedServer::start(vec![Reply::sse(&["data: 1\n\n", "data: [DONE]\n\n"])
        .part(Part::Delay(Duration::from_millis(10)))]);
    let mut stream = connect(&server);
    stream
        .write_all(b"POST /s HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        .unwrap();
    let response = read_response(&mut stream);
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), Some("text/event-stream"));
    assert_eq!(response.header("connection"), Some("close"));
    assert_eq!(response.header("content-length"), None);
    assert!(response.complete);
    assert_eq!(response.body, b"data: 1\n\ndata: [DONE]\n\n");
    assert!(at_eof(&mut stream));
    assert!(!server.wait_for_client_close(Duration::ZERO));
}

#[test]
fn cut_truncates_a_stream() {
    let server = ScriptedServer::start(vec![Reply::sse(&["data: 1\n\n"])
        .part(Part::Cut)
        .part(Part::Bytes(b"data: never\n\n".to_vec()))]);
    let mut stream = connect(&server);
    stream
        .write_all(b"GET /s HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let response = read_response(&mut stream);
    assert_eq!(response.status, 200);
    assert!(!response.complete, "the chunked body must be unterminated");
    assert_eq!(response.body, b"data: 1\n\n");
}

#[test]
fn cut_truncates_a_content_length_body() {
    let server = ScriptedServer::start(vec![Reply::new(200)
        .header("Content-Length", "100")
        .part(Part::Bytes(b"{\"partial\":".to_vec()))
        .part(Part::Cut)]);
    let mut stream = connect(&server);
    stream
        .write_all(b"GET /c HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let response = read_response(&mut stream);
    assert!(!response.complete);
    assert_eq!(response.body, b"{\"partial\":");
}

#[test]
fn raw_framing_writes_exactly_what_is_given() {
    let server = ScriptedServer::start(vec![Reply::new(200)
        .header("Content-Type", "text/html")
        .part(Part::Bytes(b"<html>".to_vec()))
        .framing(Framing::Raw)]);
    let mut stream = connect(&server);
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let response = read_response(&mut stream);
    assert_eq!(response.header("transfer-encoding"), None);
    assert_eq!(response.header("connection"), Some("close"));
    assert_eq!(response.body, b"<html>");
}

#[test]
fn hold_open_notices_the_client_going_away() {
    let server = ScriptedServer::start(vec![Reply::sse(&["data: 1\n\n"]).part(Part::HoldOpen)]);
    let mut stream = connect(&server);
    stream
        .write_all(b"GET /s HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut buf = Vec::new();
    while !String::from_utf8_lossy(&buf).contains("data: 1") {
        let mut chunk = [0u8; 1024];
        let n = stream.read(&mut chunk).unwrap();
        assert!(n > 0, "server closed a held connection");
        buf.extend_from_slice(&chunk[..n]);
    }
    // Still open: nothing more arrives for a while.
    stream
        .set_read_timeout(Some(Duration::from_millis(150)))
        .unwrap();
    let mut chunk = [0u8; 16];
    assert!(matches!(stream.read(&mut chunk), Err(e) if is_timeout(&e)));
    assert!(!server.wait_for_client_close(Duration::from_millis(50)));
    drop(stream);
    assert!(server.wait_for_client_close(Duration::from_secs(10)));
    assert_eq!(server.client_closes(), 1);
}

#[test]
fn a_delay_notices_the_client_going_away() {
    let server = ScriptedServer::start(vec![Reply::sse(&["data: 1\n\n"])
        .part(Part::Delay(Duration::from_secs(30)))
        .part(Part::Bytes(b"data: 2\n\n".to_vec()))]);
    let mut stream = connect(&server);
    stream
        .write_all(b"GET /s HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut chunk = [0u8; 1024];
    assert!(stream.read(&mut chunk).unwrap() > 0);
    // Noticed within the delay, not at its end.
    let started = Instant::now();
    drop(stream);
    assert!(server.wait_for_client_close(Duration::from_secs(10)));
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn survives_garbage_and_keeps_serving() {
    let server = ScriptedServer::start(vec![Reply::json(200, "{}")]);
    for garbage in [
        &b"\xff\xfe\r\n\r\n"[..],
        b"GET / HTTP/1.1\r\nno colon here\r\n\r\n",
        b"GET / HTTP/1.1\r\nContent-Length: nope\r\n\r\n",
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"GET / SPDY/9\r\n\r\n",
        b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc",
    ] {
        let mut stream = connect(&server);
        stream.write_all(garbage).unwrap();
        let _ = stream.shutdown(Shutdown::Write);
        let mut sink = Vec::new();
        let _ = stream.read_to_end(&mut sink);
    }
    // A client that connects and leaves at once.
    drop(connect(&server));
    let mut stream = connect(&server);
    stream
        .write_all(b"GET /ok HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    assert_eq!(read_response(&mut stream).status, 200);
    assert_eq!(server.requests().last().unwrap().target, "/ok");
}

#[test]
fn connection_close_and_http10_end_the_connection() {
    let server = ScriptedServer::start(vec![Reply::json(200, "{}"), Reply::json(200, "{}")]);
    let mut stream = connect(&server);
    stream
        .write_all(b"GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    assert_eq!(read_response(&mut stream).status, 200);
    assert!(at_eof(&mut stream));
    let mut stream = connect(&server);
    stream.write_all(b"GET /b HTTP/1.0\r\n\r\n").unwrap();
    assert_eq!(read_response(&mut stream).status, 200);
    assert!(at_eof(&mut stream));
}

#[test]
fn drop_stops_the_server() {
    let server = ScriptedServer::start(vec![Reply::sse(&[]).part(Part::HoldOpen)]);
    let addr = server.addr();
    let mut held = connect(&server);
    held.write_all(b"GET /s HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let idle = connect(&server);
    // Both accepted (a connection still in the listen queue would be reset with the listener).
    assert!(crate::leaks::settles(Duration::from_secs(10), || {
        server.connections() == 2 && server.requests().len() == 1
    }));
    let mut idle = idle;
    drop(server);
    // Connection threads end and close their sockets.
    let mut sink = Vec::new();
    held.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    assert!(held.read_to_end(&mut sink).is_ok());
    idle.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    assert!(at_eof(&mut idle));
    // The listener is gone.
    assert!(TcpStream::connect_timeout(&addr, Duration::from_millis(500)).is_err());
}
