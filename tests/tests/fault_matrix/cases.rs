//! The fault matrix as data: each [`Case`] is a fault a server can commit, the call that meets it, and
//! what both clients must make of it — the outcome, how many requests the server sees, how many attempts
//! the client makes, and the least wait between attempts.

use groq_tests::fault_fixtures::*;
use groq_tests::scripted::{Framing, Part, Reply};
use serde_json::json;
use std::time::Duration;

/// The call a case makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Call {
    /// `models().list()`: a GET answered with JSON.
    Models,
    /// `chat().completions().create()`: a POST answered with JSON.
    Chat,
    /// `chat().completions().create_stream()` read with `accumulate()`.
    Stream,
    /// `audio().speech().create()` read whole with `bytes()`.
    Speech,
    /// `files().content()` read whole with `bytes()`.
    FileContent,
}

impl Call {
    pub fn name(self) -> &'static str {
        match self {
            Call::Models => "models.list",
            Call::Chat => "chat.create",
            Call::Stream => "chat.create_stream",
            Call::Speech => "audio.speech",
            Call::FileContent => "files.content",
        }
    }
}

/// What a call must end with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    /// Success; the value summarised (`"1 model"`, `"content \"ab\""`, `"4096 bytes"`).
    Ok(String),
    /// The error variant (its `Debug` name), the status for status errors, and a fragment its message
    /// contains.
    Err {
        variant: &'static str,
        status: Option<u16>,
        contains: String,
    },
}

/// One fault.
pub struct Case {
    /// What the server does.
    pub fault: String,
    pub call: Call,
    /// The server's replies, built when the case runs (HTTP dates are relative to then); `None`: nothing
    /// listens on the port (connection refused).
    pub script: Option<Box<dyn Fn() -> Vec<Reply>>>,
    /// The client's request timeout (default: 10 s, far above anything a case waits for by design).
    pub timeout: Duration,
    pub max_event_size: Option<usize>,
    pub max_body_size: Option<usize>,
    pub expect: Expect,
    /// Requests the server sees.
    pub requests: usize,
    /// Attempts the client makes (its `sending request` events).
    pub attempts: usize,
    /// The least time between two requests the server sees.
    pub min_gap: Duration,
}

/// The timeout of cases where the server stalls for good: nothing healthy is awaited there, so it only
/// has to be short enough to keep the matrix quick.
pub const STALL_TIMEOUT: Duration = Duration::from_millis(500);
/// The retry delay scale of every case: a server's `retry-after: 5` becomes a 25 ms wait (backoff
/// without a server's hint: at most 2.5 ms, then 5 ms).
pub const SCALE: f64 = 0.005;

impl Case {
    fn new(
        fault: impl Into<String>,
        call: Call,
        script: impl Fn() -> Vec<Reply> + 'static,
    ) -> Self {
        Self {
            fault: fault.into(),
            call,
            script: Some(Box::new(script)),
            timeout: Duration::from_secs(10),
            max_event_size: None,
            max_body_size: None,
            expect: Expect::Ok(String::new()),
            requests: 1,
            attempts: 1,
            min_gap: Duration::ZERO,
        }
    }

    fn ok(mut self, summary: impl Into<String>) -> Self {
        self.expect = Expect::Ok(summary.into());
        self
    }

    fn err(mut self, variant: &'static str, contains: impl Into<String>) -> Self {
        self.expect = Expect::Err {
            variant,
            status: None,
            contains: contains.into(),
        };
        self
    }

    /// A status error of `status`, of the kind the contract maps it to.
    fn status(mut self, status: u16, contains: impl Into<String>) -> Self {
        self.expect = Expect::Err {
            variant: status_variant(status),
            status: Some(status),
            contains: contains.into(),
        };
        self
    }

    /// The server sees `n` requests, and the client makes `n` attempts.
    fn seen(mut self, n: usize) -> Self {
        self.requests = n;
        self.attempts = n;
        self
    }

    fn seen_by_server(mut self, requests: usize, attempts: usize) -> Self {
        self.requests = requests;
        self.attempts = attempts;
        self
    }

    fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    fn gap_ms(mut self, ms: u64) -> Self {
        self.min_gap = Duration::from_millis(ms);
        self
    }

    fn max_event_size(mut self, bytes: usize) -> Self {
        self.max_event_size = Some(bytes);
        self
    }

    fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = Some(bytes);
        self
    }
}

/// The error kind of each status (contract A.17).
fn status_variant(status: u16) -> &'static str {
    match status {
        400 => "BadRequest",
        401 => "Authentication",
        403 => "PermissionDenied",
        404 => "NotFound",
        409 => "Conflict",
        422 => "UnprocessableEntity",
        429 => "RateLimit",
        500.. => "InternalServer",
        _ => "Status",
    }
}

/// A JSON error of `status` whose body announces 500 bytes and gives the start of the API's error object,
/// then `end` (a cut, a stall).
fn cut_error_body(status: u16, end: Part) -> Reply {
    Reply::new(status)
        .header("Content-Type", "application/json")
        .header("Content-Length", "500")
        .part(Part::Bytes(
            br#"{"error":{"message":"Invalid API Key""#.to_vec(),
        ))
        .part(end)
}

fn times(n: usize, reply: impl Fn() -> Reply) -> Vec<Reply> {
    (0..n).map(|_| reply()).collect()
}

/// The statuses the retry policy retries (`retry::is_retryable_status`: 408, 409, 429 and every 5xx).
const RETRYABLE: [u16; 7] = [408, 409, 429, 500, 502, 503, 504];

/// Every case of the matrix, in the order of the table in `tests/FAULTS.md`.
pub fn all() -> Vec<Case> {
    let mut cases = Vec::new();
    cases.extend(statuses());
    cases.extend(connections());
    cases.extend(bodies());
    cases.extend(contents());
    cases.extend(streams());
    cases
}

/// Retryable and final statuses, with each way a server says how long to wait.
fn statuses() -> Vec<Case> {
    let mut cases = Vec::new();
    for status in RETRYABLE {
        let message = format!("failure {status}");
        let error = move || {
            Reply::json(
                status,
                &api_error(&format!("failure {status}"), "server_error"),
            )
        };
        cases.push(
            Case::new(
                format!("{status}, no wait header"),
                Call::Models,
                move || times(3, error),
            )
            .status(status, &message)
            .seen(3),
        );
        let waits: [(&str, &str, u64); 3] = [
            ("retry-after-ms", "5000", 25),
            ("retry-after", "5", 25),
            // 10 s ahead as an HTTP date (whole seconds): more than 8.9 s when the client reads it.
            ("retry-after", "", 40),
        ];
        for (header, value, gap) in waits {
            let shown = if value.is_empty() {
                "an HTTP date 10 s ahead"
            } else {
                value
            };
            cases.push(
                Case::new(
                    format!("{status}, `{header}: {shown}`"),
                    Call::Models,
                    move || {
                        let value = if value.is_empty() {
                            http_date_in(10)
                        } else {
                            value.to_owned()
                        };
                        times(3, || error().header(header, &value))
                    },
                )
                .status(status, &message)
                .seen(3)
                .gap_ms(gap),
            );
        }
    }
    cases.push(
        Case::new("503 then 200", Call::Models, || {
            vec![
                Reply::json(503, &api_error("busy", "server_error")),
                Reply::json(200, MODELS),
            ]
        })
        .ok("1 model")
        .seen(2),
    );
    cases.push(
        Case::new(
            "429 with `retry-after-ms: 5000`, then 200",
            Call::Models,
            || {
                vec![
                    Reply::json(429, &api_error("slow down", "rate_limit"))
                        .header("retry-after-ms", "5000"),
                    Reply::json(200, MODELS),
                ]
            },
        )
        .ok("1 model")
        .seen(2)
        .gap_ms(25),
    );
    cases.push(
        Case::new("500 to a POST", Call::Chat, || {
            times(3, || Reply::json(500, &api_error("boom", "server_error")))
        })
        .status(500, "boom")
        .seen(3),
    );
    cases.push(
        Case::new("400 with `x-should-retry: true`", Call::Models, || {
            times(3, || {
                Reply::json(400, &api_error("try again", "invalid_request_error"))
                    .header("x-should-retry", "true")
            })
        })
        .status(400, "try again")
        .seen(3),
    );
    cases.push(
        Case::new("503 with `x-should-retry: false`", Call::Models, || {
            vec![Reply::json(503, &api_error("gone", "server_error"))
                .header("x-should-retry", "false")]
        })
        .status(503, "gone"),
    );
    cases.push(
        Case::new(
            "429 with `x-should-retry: false` and `retry-after: 1`",
            Call::Models,
            || {
                vec![Reply::json(429, &api_error("quota", "rate_limit"))
                    .header("x-should-retry", "false")
                    .header("retry-after", "1")]
            },
        )
        .status(429, "quota"),
    );
    cases.push(
        Case::new("status 600 (retried as ≥ 500)", Call::Models, || {
            times(3, || Reply::json(600, &api_error("odd", "server_error")))
        })
        .status(600, "odd")
        .seen(3),
    );
    for status in [400, 401, 403, 404, 413, 422] {
        cases.push(
            Case::new(format!("{status} (not retried)"), Call::Models, move || {
                vec![Reply::json(
                    status,
                    &api_error(&format!("final {status}"), "invalid_request_error"),
                )]
            })
            .status(status, format!("final {status}")),
        );
    }
    cases
}

/// Connections that fail before a response: refused, closed, reset, garbage, silence.
fn connections() -> Vec<Case> {
    vec![
        Case {
            script: None,
            ..Case::new("connection refused", Call::Models, Vec::new)
        }
        .err("Connection", "refused")
        .seen_by_server(0, 3),
        Case::new("closed before the headers", Call::Models, || {
            times(3, || no_headers(Part::Cut))
        })
        .err("Connection", "")
        .seen(3),
        Case::new("reset before the headers", Call::Models, || {
            times(3, || no_headers(Part::Reset))
        })
        .err("Connection", "")
        .seen(3),
        Case::new("reset before the headers, then 200", Call::Models, || {
            vec![no_headers(Part::Reset), Reply::json(200, MODELS)]
        })
        .ok("1 model")
        .seen(2),
        Case::new("not HTTP (an SSH banner)", Call::Models, || {
            times(3, || {
                Reply::new(200)
                    .part(Part::Bytes(b"SSH-2.0-OpenSSH_9.6\r\n".to_vec()))
                    .part(Part::Cut)
                    .part(Part::Head)
            })
        })
        .err("Connection", "")
        .seen(3),
        Case::new(
            "slow headers (300 ms), within the timeout",
            Call::Models,
            || {
                vec![slow_headers(
                    Reply::json(200, MODELS),
                    Duration::from_millis(300),
                )]
            },
        )
        .ok("1 model"),
        Case::new("headers never come", Call::Models, || {
            times(3, || {
                slow_headers(Reply::json(200, MODELS), Duration::from_secs(120))
            })
        })
        .timeout(STALL_TIMEOUT)
        .err("Timeout", "")
        .seen(3),
        Case::new("headers never come", Call::Stream, || {
            times(3, || {
                slow_headers(stream_of(&["a"]), Duration::from_secs(120))
            })
        })
        .timeout(STALL_TIMEOUT)
        .err("Timeout", "")
        .seen(3),
        Case::new(
            "reset before the headers, then a stream",
            Call::Stream,
            || vec![no_headers(Part::Reset), stream_of(&["a", "b"])],
        )
        .ok("content \"ab\"")
        .seen(2),
        Case::new("503, 503, then a stream", Call::Stream, || {
            vec![
                Reply::json(503, &api_error("busy", "server_error")),
                Reply::json(503, &api_error("busy", "server_error")),
                stream_of(&["a", "b"]),
            ]
        })
        .ok("content \"ab\"")
        .seen(3),
        Case::new("503 then audio", Call::Speech, || {
            vec![
                Reply::json(503, &api_error("busy", "server_error")),
                audio_reply(4096),
            ]
        })
        .ok("4096 bytes")
        .seen(2),
        Case::new("redirect (307) to the same path", Call::Models, || {
            vec![
                Reply::new(307)
                    .header("Location", "/openai/v1/models")
                    .header("Content-Length", "0"),
                Reply::json(200, MODELS),
            ]
        })
        .ok("1 model")
        .seen_by_server(2, 1),
        Case::new("redirect loop (302 to itself)", Call::Models, || {
            times(12, || {
                Reply::new(302)
                    .header("Location", "/openai/v1/models")
                    .header("Content-Length", "0")
            })
        })
        .status(302, "")
        .seen_by_server(11, 1),
    ]
}

/// Bodies that break after the headers, or arrive slowly.
fn bodies() -> Vec<Case> {
    let partial = br#"{"object":"list","da"#;
    let json_body = move |end: Part| broken_body("application/json", 500, partial, end);
    let audio_body = |end: Part| broken_body("audio/wav", 8192, &audio(1024), end);
    let file_body =
        |end: Part| broken_body("application/octet-stream", 8192, b"{\"custom_id\":", end);
    let one_event = || Reply::sse(&[&event(&chunk("a"))]);
    vec![
        Case::new("JSON body cut (closed) mid-way", Call::Models, move || {
            times(3, || json_body(Part::Cut))
        })
        .err("Connection", "")
        .seen(3),
        Case::new("JSON body reset mid-way", Call::Models, move || {
            times(3, || json_body(Part::Reset))
        })
        .err("Connection", "")
        .seen(3),
        Case::new(
            "JSON body cut mid-way, then whole",
            Call::Models,
            move || vec![json_body(Part::Cut), Reply::json(200, MODELS)],
        )
        .ok("1 model")
        .seen(2),
        Case::new("JSON body stalls mid-way", Call::Models, move || {
            times(3, || json_body(Part::HoldOpen))
        })
        .timeout(STALL_TIMEOUT)
        .err("Timeout", "")
        .seen(3),
        Case::new(
            "JSON body longer than its Content-Length",
            Call::Models,
            || {
                vec![Reply::new(200)
                    .header("Content-Type", "application/json")
                    .header("Content-Length", "20")
                    .part(Part::Bytes(MODELS.as_bytes().to_vec()))]
            },
        )
        .err("Decode", ""),
        Case::new("audio body cut mid-way", Call::Speech, move || {
            vec![audio_body(Part::Cut)]
        })
        .err("Connection", ""),
        Case::new("audio body reset mid-way", Call::Speech, move || {
            vec![audio_body(Part::Reset)]
        })
        .err("Connection", ""),
        Case::new("audio body stalls mid-way", Call::Speech, move || {
            vec![audio_body(Part::HoldOpen)]
        })
        .timeout(STALL_TIMEOUT)
        .err("Timeout", ""),
        Case::new("file content cut mid-way", Call::FileContent, move || {
            vec![file_body(Part::Cut)]
        })
        .err("Connection", ""),
        Case::new(
            "file content stalls mid-way",
            Call::FileContent,
            move || vec![file_body(Part::HoldOpen)],
        )
        .timeout(STALL_TIMEOUT)
        .err("Timeout", ""),
        Case::new(
            "stream cut (closed) after one event",
            Call::Stream,
            move || vec![one_event().part(Part::Cut)],
        )
        .err("Connection", ""),
        Case::new("stream reset after one event", Call::Stream, move || {
            vec![one_event().part(Part::Reset)]
        })
        .err("Connection", ""),
        Case::new("stream stalls after one event", Call::Stream, move || {
            vec![one_event().part(Part::HoldOpen)]
        })
        .timeout(STALL_TIMEOUT)
        .err("Timeout", ""),
        Case::new("stream ends without `[DONE]`", Call::Stream, move || {
            vec![one_event()]
        })
        .err("IncompleteStream", "before the server finished"),
        Case::new("stream ends inside an event", Call::Stream, || {
            vec![Reply::sse(&[
                &event(&chunk("a")),
                &format!("data: {}", chunk("b")),
            ])]
        })
        .err("IncompleteStream", ""),
        Case::new("stream ends inside an event's JSON", Call::Stream, || {
            let whole = chunk("b").to_string();
            let cut = whole.get(..whole.len() / 2).unwrap_or_default();
            vec![Reply::sse(&[&event(&chunk("a")), &format!("data: {cut}")])]
        })
        .err("IncompleteStream", ""),
        Case::new("malformed chunked framing", Call::Models, || {
            times(3, || {
                Reply::new(200)
                    .header("Content-Type", "application/json")
                    .header("Transfer-Encoding", "chunked")
                    .part(Part::Bytes(b"zz\r\n{}\r\n0\r\n\r\n".to_vec()))
            })
        })
        .err("Connection", "")
        .seen(3),
        Case::new(
            "JSON body delimited by the close (no length)",
            Call::Models,
            || {
                vec![Reply::new(200)
                    .header("Content-Type", "application/json")
                    .part(Part::Bytes(MODELS.as_bytes().to_vec()))
                    .framing(Framing::Raw)]
            },
        )
        .ok("1 model"),
        Case::new(
            "an interim `100 Continue` before the answer",
            Call::Models,
            || {
                vec![before_headers(
                    Reply::json(200, MODELS),
                    vec![Part::Bytes(b"HTTP/1.1 100 Continue\r\n\r\n".to_vec())],
                )]
            },
        )
        .ok("1 model"),
        Case::new("500 headers in the answer", Call::Models, || {
            times(3, || {
                (0..500).fold(Reply::json(200, MODELS), |reply, i| {
                    reply.header(&format!("x-h{i}"), "v")
                })
            })
        })
        .err("Connection", "")
        .seen(3),
        Case::new("JSON trickled one byte per 1 ms", Call::Models, || {
            vec![trickled(
                "application/json",
                MODELS.as_bytes(),
                Duration::from_millis(1),
            )]
        })
        .ok("1 model"),
        Case::new(
            "JSON trickled for longer than the timeout (1 s), each byte within it",
            Call::Models,
            || {
                vec![trickled(
                    "application/json",
                    MODELS.as_bytes(),
                    Duration::from_millis(15),
                )]
            },
        )
        .timeout(Duration::from_secs(1))
        .ok("1 model"),
        Case::new("stream trickled one byte per chunk", Call::Stream, || {
            vec![trickled_stream(
                &format!("{}{DONE}", event(&chunk("é"))),
                Duration::ZERO,
            )]
        })
        .ok("content \"é\""),
        Case::new("audio trickled one byte per 1 ms", Call::Speech, || {
            vec![trickled("audio/wav", &audio(64), Duration::from_millis(1))]
        })
        .ok("64 bytes"),
    ]
}

/// Bodies that arrive whole but are not what was asked for.
fn contents() -> Vec<Case> {
    vec![
        Case::new("invalid JSON", Call::Models, || vec![Reply::json(200, r#"{"object":"list","data":["#)])
            .err("Decode", ""),
        Case::new("invalid UTF-8 in JSON", Call::Models, || {
            vec![Reply::bytes(200, "application/json", b"{\"object\":\"list\",\"data\":[{\"id\":\"\xff\xfe\",\"object\":\"model\",\"created\":1,\"owned_by\":\"g\"}]}")]
        })
        .err("Decode", ""),
        Case::new("wrong shape: an array", Call::Models, || vec![Reply::json(200, "[1,2,3]")])
            .err("Decode", ""),
        Case::new("wrong shape: `data` is a string", Call::Models, || {
            vec![Reply::json(200, r#"{"object":"list","data":"none"}"#)]
        })
        .err("Decode", ""),
        Case::new("wrong shape: `choices` is a number", Call::Chat, || {
            vec![Reply::json(200, r#"{"id":"c","object":"chat.completion","created":1,"model":"m","choices":5}"#)]
        })
        .err("Decode", ""),
        Case::new("empty 200 body", Call::Models, || vec![Reply::json(200, "")]).err("Decode", ""),
        Case::new("204 No Content", Call::Models, || vec![Reply::new(204)]).err("Decode", ""),
        Case::new("empty 200 body", Call::Speech, || vec![Reply::bytes(200, "audio/wav", b"")]).ok("0 bytes"),
        Case::new("empty 500 body", Call::Models, || times(3, || Reply::json(500, "")))
            .status(500, "Internal Server Error")
            .seen(3),
        Case::new("HTML 502 page", Call::Models, || times(3, || html_page(502)))
            .status(502, "502 Bad Gateway")
            .seen(3),
        Case::new("HTML page with status 200", Call::Models, || vec![html_page(200)]).err("Decode", ""),
        Case::new("500 with a 2 MiB body (its start is kept)", Call::Models, || {
            times(3, || Reply::bytes(500, "text/plain", &vec![b'x'; 2 * 1024 * 1024]))
        })
        .status(500, "xxxxxxxx")
        .seen(3),
        Case::new("401 whose body is cut mid-way (its start is kept)", Call::Models, || {
            vec![cut_error_body(401, Part::Cut)]
        })
        .status(401, "Invalid API Key"),
        Case::new("400 whose body stalls mid-way", Call::Models, || {
            vec![cut_error_body(400, Part::HoldOpen)]
        })
        .timeout(STALL_TIMEOUT)
        .status(400, "Invalid API Key"),
        Case::new("502 page over `max_body_size` (1 KiB)", Call::Models, || {
            times(3, || Reply::bytes(502, "text/html", &vec![b'x'; 64 * 1024]))
        })
        .max_body_size(1024)
        .status(502, "xxxxxxxx")
        .seen(3),
        Case::new("body over `max_body_size` (1 KiB)", Call::Models, || {
            vec![Reply::json(200, &format!(r#"{{"object":"list","data":[],"pad":"{}"}}"#, "x".repeat(8192)))]
        })
        .max_body_size(1024)
        .err("LimitExceeded", "max_body_size"),
        Case::new("unknown fields and enum values", Call::Chat, || {
            let mut body: serde_json::Value = serde_json::from_str(&completion("hi")).unwrap_or_default();
            body["brand_new"] = json!({"nested": [1, 2]});
            body["service_tier"] = json!("warp");
            body["choices"][0]["finish_reason"] = json!("eos");
            body["choices"][0]["message"]["mood"] = json!("cheerful");
            vec![Reply::json(200, &body.to_string())]
        })
        .ok("content \"hi\""),
        Case::new("unknown fields in a model list", Call::Models, || {
            vec![Reply::json(200, r#"{"object":"list","next":null,"data":[{"id":"m","object":"model","created":1,"owned_by":"g","active":true,"context_window":8192,"new":{"x":1}}]}"#)]
        })
        .ok("1 model"),
    ]
}

/// Streams whose events are oversized, errors, unknown, or not events at all.
fn streams() -> Vec<Case> {
    let a = event(&chunk("a"));
    let then = |tail: String| {
        let a = event(&chunk("a"));
        move || vec![Reply::sse(&[&a, &tail])]
    };
    let error_object =
        json!({"error": {"message": "overloaded", "type": "server_error", "code": "busy"}});
    let mut x_groq = chunk("b");
    x_groq["x_groq"] = json!({"id": "req_1", "error": "model crashed"});
    let mut unknown = chunk("b");
    unknown["brand_new"] = json!(1);
    unknown["x_groq"] = json!({
        "id": "req_1",
        "surprise": [1],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2, "queue_time": 0.1, "new_usage": 3}
    });
    unknown["choices"][0]["delta"]["mood"] = json!("calm");
    vec![
        Case::new("event over `max_event_size` (1 KiB)", Call::Stream, || {
            vec![stream_of(&[&"x".repeat(8 * 1024)])]
        })
        .max_event_size(1024)
        .err("LimitExceeded", "max_event_size"),
        Case::new("endless line over `max_event_size`, connection held", Call::Stream, || {
            vec![Reply::sse(&[&format!("data: {}", "x".repeat(64 * 1024))]).part(Part::HoldOpen)]
        })
        .max_event_size(1024)
        .err("LimitExceeded", "max_event_size"),
        Case::new("many data lines over `max_event_size`", Call::Stream, || {
            vec![Reply::sse(&[&"data: xxxxxxxxxxxxxxxx\n".repeat(200)]).part(Part::HoldOpen)]
        })
        .max_event_size(1024)
        .err("LimitExceeded", "max_event_size"),
        Case::new("`event: error` with an error object", Call::Stream, then(format!("event: error\ndata: {error_object}\n\n")))
            .err("Stream", "overloaded"),
        Case::new("`event: error` with text", Call::Stream, then("event: error\ndata: upstream went away\n\n".into()))
            .err("Stream", "upstream went away"),
        Case::new("`event: error` without data", Call::Stream, then("event: error\n\n".into()))
            .err("Stream", "without details"),
        Case::new("unnamed event with an error object", Call::Stream, then(event(&error_object)))
            .err("Stream", "overloaded"),
        Case::new("unnamed event with `error` as text", Call::Stream, then(event(&json!({"error": "out of capacity"}))))
            .err("Stream", "out of capacity"),
        Case::new("chunk with `x_groq.error`", Call::Stream, then(event(&x_groq)))
            .err("Stream", "model crashed"),
        Case::new("`event: ping` carrying an error object", Call::Stream, then(format!("event: ping\ndata: {error_object}\n\n")))
            .err("Stream", "overloaded"),
        Case::new("error event first (never retried)", Call::Stream, move || {
            vec![Reply::sse(&[&format!("event: error\ndata: {error_object}\n\n")])]
        })
        .err("Stream", "overloaded"),
        Case::new("unknown events, comments, `id:`, `retry:`", Call::Stream, move || {
            let b = event(&chunk("b"));
            vec![Reply::sse(&[
                ": keep-alive\n\n",
                "event: ping\n\n",
                "event: ping\ndata: {}\n\n",
                "id: 7\nretry: 1000\n",
                &a,
                "event: heartbeat\ndata: {\"t\":1}\n\n",
                "event: usage\ndata: not json\n\n",
                &b,
                DONE,
            ])]
        })
        .ok("content \"ab\""),
        Case::new("unknown fields in chunks", Call::Stream, then(format!("{}{DONE}", event(&unknown))))
            .ok("content \"ab\""),
        Case::new("`event: message` (the SSE default) carries chunks", Call::Stream, || {
            vec![Reply::sse(&[&format!("event: message\n{}", event(&chunk("m"))), DONE])]
        })
        .ok("content \"m\""),
        Case::new("invalid UTF-8 inside an event", Call::Stream, || {
            let text = event(&chunk("aZb"));
            let mut bytes = text.into_bytes();
            if let Some(at) = bytes.iter().position(|&b| b == b'Z') {
                bytes[at] = 0xff;
            }
            vec![Reply::sse(&[]).part(Part::Bytes(bytes)).part(Part::Bytes(DONE.as_bytes().to_vec()))]
        })
        .ok("content \"a\u{fffd}b\""),
        Case::new("wrong shape: an unnamed event that is not a chunk", Call::Stream, then(event(&json!({"id": 5}))))
            .err("Decode", "invalid stream event"),
        Case::new("`Content-Type: Text/Event-Stream; Charset=UTF-8` (any case)", Call::Stream, || {
            let mut reply = Reply::new(200).header("Content-Type", "Text/Event-Stream; Charset=UTF-8");
            for text in [event(&chunk("a")), event(&chunk("b")), DONE.to_owned()] {
                reply = reply.part(Part::Bytes(text.into_bytes()));
            }
            vec![reply]
        })
        .ok("content \"ab\""),
        Case::new("`200 application/json` to a stream", Call::Stream, || vec![Reply::json(200, &completion("hi"))])
            .err("Decode", "application/json"),
        Case::new("`200 text/html` to a stream", Call::Stream, || vec![html_page(200)])
            .err("Decode", "text/html"),
        Case::new("empty stream body", Call::Stream, || vec![Reply::sse(&[])])
            .err("IncompleteStream", ""),
    ]
}
