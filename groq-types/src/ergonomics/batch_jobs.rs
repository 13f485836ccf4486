//! The pure parts of a batch job: typed input lines written as JSONL to any writer one at a time, result
//! lines read back as typed `(custom_id, Result<response, line error>)` items from chunks of a download,
//! and the polling schedule of a batch. The I/O (upload, create, poll, download) is `submit`, `wait` and
//! `results` on `client.batch_jobs()` in both clients.

use crate::sdk::Error;
use crate::{ChatCompletion, CreateChatCompletionRequest};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::io::Write;
use std::time::Duration;

/// A request the batch API runs: its body is the request, serialised as the synchronous endpoint takes
/// it, and `URL` is the line's `url` (and the batch's `endpoint`).
pub trait BatchRequest: Serialize {
    /// The endpoint, e.g. `/v1/chat/completions`.
    const URL: &'static str;
    /// What a successful line answers.
    type Response: DeserializeOwned;
}

impl BatchRequest for CreateChatCompletionRequest {
    const URL: &'static str = "/v1/chat/completions";
    type Response = ChatCompletion;
}

/// An audio transcription or translation in a batch: the audio is given by URL (a batch line cannot carry
/// a file).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct AudioBatchRequest {
    /// The model, e.g. `whisper-large-v3`.
    pub model: String,
    /// Where the audio file can be downloaded.
    pub url: String,
    /// The language of the audio (ISO-639-1), transcriptions only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Text to guide the model's style or continue a previous segment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// `json` (the default), `verbose_json` or `text`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_format: Option<String>,
    /// Sampling temperature, 0 to 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
}

/// What an audio line answers (`json` format): the text.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct AudioBatchResponse {
    /// The transcribed or translated text.
    pub text: String,
}

impl AudioBatchRequest {
    /// A line for the audio at `url`, run by `model` (e.g. `whisper-large-v3`); every option unset.
    ///
    /// ```
    /// use groq_types::ergonomics::batch_jobs::{AudioBatchRequest, TranscriptionBatchRequest};
    ///
    /// let line = TranscriptionBatchRequest(
    ///     AudioBatchRequest::new("whisper-large-v3", "https://example.com/a.mp3").language("en"),
    /// );
    /// assert_eq!(line.0.language.as_deref(), Some("en"));
    /// ```
    pub fn new(model: impl Into<String>, url: impl Into<String>) -> Self {
        Self {
            model: model.into(),
            url: url.into(),
            ..Self::default()
        }
    }

    /// Sets the language of the audio (ISO-639-1), transcriptions only.
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }

    /// Sets the text that guides the model's style or continues a previous segment.
    pub fn prompt(mut self, prompt: impl Into<String>) -> Self {
        self.prompt = Some(prompt.into());
        self
    }

    /// Sets the answer's format: `json` (the default), `verbose_json` or `text`.
    pub fn response_format(mut self, format: impl Into<String>) -> Self {
        self.response_format = Some(format.into());
        self
    }

    /// Sets the sampling temperature, 0 to 1.
    pub fn temperature(mut self, temperature: f64) -> Self {
        self.temperature = Some(temperature);
        self
    }
}

/// An audio transcription line (`/v1/audio/transcriptions`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct TranscriptionBatchRequest(pub AudioBatchRequest);

/// An audio translation line (`/v1/audio/translations`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct TranslationBatchRequest(pub AudioBatchRequest);

impl BatchRequest for TranscriptionBatchRequest {
    const URL: &'static str = "/v1/audio/transcriptions";
    type Response = AudioBatchResponse;
}

impl BatchRequest for TranslationBatchRequest {
    const URL: &'static str = "/v1/audio/translations";
    type Response = AudioBatchResponse;
}

#[derive(Serialize)]
struct InputLine<'a, R> {
    custom_id: &'a str,
    method: &'static str,
    url: &'static str,
    body: &'a R,
}

/// Writes batch input lines of requests of type `R` as JSONL, one line at a time: nothing is kept in
/// memory but the current line and a 64-bit hash of each `custom_id` written (to refuse a repeat), so
/// memory grows by a few bytes per line whatever the lines' size.
///
/// ```
/// use groq_types::ergonomics::batch_jobs::JsonlWriter;
/// use groq_types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};
///
/// let mut writer = JsonlWriter::new(Vec::new());
/// for (i, question) in ["What is 2+2?", "What is 2+3?"].iter().enumerate() {
///     let request = CreateChatCompletionRequest::from_messages("llama-3.1-8b-instant", [Message::user(*question)]);
///     writer.write(&format!("request-{}", i + 1), &request).unwrap();
/// }
/// assert_eq!(writer.lines(), 2);
/// let jsonl = String::from_utf8(writer.finish().unwrap()).unwrap();
/// assert!(jsonl.starts_with(r#"{"custom_id":"request-1","method":"POST","url":"/v1/chat/completions","body":{"#));
/// assert_eq!(jsonl.lines().count(), 2);
/// ```
#[derive(Debug)]
pub struct JsonlWriter<W: Write> {
    out: W,
    line: Vec<u8>,
    /// A hash of each line's `custom_id` (the API wants each line's own), keyed by the set's own hasher:
    /// 8 bytes a line rather than the ids themselves, and one entry per line written. Two ids with the
    /// same 64-bit hash are as likely as not once 2^32 lines are written.
    ids: std::collections::HashSet<u64>,
}

impl<W: Write> JsonlWriter<W> {
    /// A writer of lines to `out` (wrap a file in a `BufWriter`).
    pub fn new(out: W) -> Self {
        Self {
            out,
            line: Vec::new(),
            ids: std::collections::HashSet::new(),
        }
    }

    /// Writes the line `custom_id` for `request`. An empty `custom_id`, or one an earlier line has (the API
    /// wants each line's own, and results are matched by it), is an [`Error::InvalidRequest`], and
    /// nothing is written.
    ///
    /// ```
    /// use groq_types::ergonomics::batch_jobs::JsonlWriter;
    /// use groq_types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};
    ///
    /// let request = CreateChatCompletionRequest::from_messages("llama-3.1-8b-instant", [Message::user("Hi")]);
    /// let mut writer = JsonlWriter::new(Vec::new());
    /// writer.write("a", &request).unwrap();
    /// assert!(writer.write("a", &request).is_err());
    /// assert_eq!(writer.lines(), 1);
    /// ```
    pub fn write<R: BatchRequest>(&mut self, custom_id: &str, request: &R) -> Result<(), Error> {
        if custom_id.trim().is_empty() {
            return Err(Error::InvalidRequest(format!(
                "line {}: the custom_id of a batch line must not be empty",
                self.lines() + 1
            )));
        }
        let id_hash = std::hash::BuildHasher::hash_one(self.ids.hasher(), custom_id);
        if self.ids.contains(&id_hash) {
            return Err(Error::InvalidRequest(format!(
                "line {}: the custom_id `{custom_id}` is already an earlier line's; each line needs its own",
                self.lines() + 1
            )));
        }
        self.line.clear();
        serde_json::to_writer(
            &mut self.line,
            &InputLine {
                custom_id,
                method: "POST",
                url: R::URL,
                body: request,
            },
        )
        .map_err(|e| Error::InvalidRequest(format!("batch line `{custom_id}`: {e}")))?;
        self.line.push(b'\n');
        self.out.write_all(&self.line)?;
        self.ids.insert(id_hash);
        Ok(())
    }

    /// How many lines were written.
    pub fn lines(&self) -> u64 {
        self.ids.len() as u64
    }

    /// Flushes and returns the writer.
    pub fn finish(mut self) -> Result<W, Error> {
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Writes `lines` (custom id, request) to a new JSONL file at `path`, streamed, and returns how many.
pub fn write_jsonl_file<R, I, S>(path: impl AsRef<std::path::Path>, lines: I) -> Result<u64, Error>
where
    R: BatchRequest,
    I: IntoIterator<Item = (S, R)>,
    S: AsRef<str>,
{
    let file = std::fs::File::create(path)?;
    let mut writer = JsonlWriter::new(std::io::BufWriter::new(file));
    for (custom_id, request) in lines {
        writer.write(custom_id.as_ref(), &request)?;
    }
    let lines = writer.lines();
    writer.finish()?;
    Ok(lines)
}

/// Why one line of a batch failed.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct BatchLineError {
    /// The HTTP status of the line's answer, when it got one.
    pub status_code: Option<u16>,
    /// The error code (`error.code` of the body, or of the line).
    pub code: Option<String>,
    /// What went wrong.
    pub message: String,
    /// The body of the line's answer, when it got one.
    pub body: Option<Value>,
}

impl std::fmt::Display for BatchLineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(status) = self.status_code {
            write!(f, "{status}: ")?;
        }
        if let Some(code) = &self.code {
            write!(f, "[{code}] ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for BatchLineError {}

/// One result of a batch: the line's `custom_id` and its answer, or why it failed.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct BatchResult<T> {
    /// The `custom_id` of the input line.
    pub custom_id: String,
    /// The answer parsed, or the line's error.
    pub result: Result<T, BatchLineError>,
}

#[derive(Deserialize)]
struct OutputLine {
    #[serde(default)]
    custom_id: Option<String>,
    #[serde(default)]
    response: Option<OutputResponse>,
    #[serde(default)]
    error: Option<OutputError>,
}

#[derive(Deserialize)]
struct OutputResponse {
    #[serde(default)]
    status_code: Option<u16>,
    #[serde(default)]
    body: Option<Value>,
}

#[derive(Deserialize)]
struct OutputError {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

/// Parses one line of a batch output or error file. A line that is not a result line is an
/// [`Error::Decode`]; a line whose answer is an error, or whose body does not parse as `T`, is a result
/// holding a [`BatchLineError`].
///
/// ```
/// use groq_types::ergonomics::batch_jobs::parse_result_line;
/// use groq_types::ChatCompletion;
///
/// let line = br#"{"id": "batch_req_1", "custom_id": "r1", "response": {"status_code": 400, "body": {"error": {"message": "bad model", "code": "model_not_found"}}}, "error": null}"#;
/// let result = parse_result_line::<ChatCompletion>(line).unwrap();
/// assert_eq!(result.custom_id, "r1");
/// let error = result.result.unwrap_err();
/// assert_eq!((error.status_code, error.code.as_deref(), error.message.as_str()), (Some(400), Some("model_not_found"), "bad model"));
/// ```
pub fn parse_result_line<T: DeserializeOwned>(line: &[u8]) -> Result<BatchResult<T>, Error> {
    let parsed: OutputLine =
        serde_json::from_slice(line).map_err(|e| Error::decode("a batch result line", e, line))?;
    let custom_id = parsed.custom_id.unwrap_or_default();
    let result = match (parsed.response, parsed.error) {
        (_, Some(error)) => Err(BatchLineError {
            status_code: None,
            code: error.code,
            message: error.message.unwrap_or_else(|| "the request failed".into()),
            body: None,
        }),
        (Some(response), None) => {
            let status = response.status_code;
            let ok = status.is_none_or(|s| (200..300).contains(&s));
            match response.body {
                Some(body) if ok => {
                    serde_json::from_value::<T>(body.clone()).map_err(|e| BatchLineError {
                        status_code: status,
                        code: None,
                        message: format!("the answer does not parse: {e}"),
                        body: Some(body),
                    })
                }
                body => {
                    let error = body.as_ref().and_then(|b| b.get("error"));
                    let field = |name: &str| {
                        error
                            .and_then(|e| e.get(name))
                            .and_then(Value::as_str)
                            .map(str::to_owned)
                    };
                    Err(BatchLineError {
                        status_code: status,
                        code: field("code"),
                        message: field("message").unwrap_or_else(|| {
                            if ok {
                                "the answer has no body".into()
                            } else {
                                "the request failed".into()
                            }
                        }),
                        body,
                    })
                }
            }
        }
        (None, None) => Err(BatchLineError {
            status_code: None,
            code: None,
            message: "the line has neither a response nor an error".into(),
            body: None,
        }),
    };
    Ok(BatchResult { custom_id, result })
}

/// Splits chunks of a download into lines without holding more than the current partial line.
///
/// ```
/// use groq_types::ergonomics::batch_jobs::LineSplitter;
///
/// let mut lines = LineSplitter::default();
/// lines.push(b"{\"a\":1}\n{\"b\"");
/// assert_eq!(lines.next_line().as_deref(), Some(&b"{\"a\":1}"[..]));
/// assert_eq!(lines.next_line(), None);
/// lines.push(b":2}\r\n\n");
/// assert_eq!(lines.next_line().as_deref(), Some(&b"{\"b\":2}"[..]));
/// assert_eq!(lines.finish(), None);
/// ```
#[derive(Debug, Default)]
pub struct LineSplitter {
    buffer: Vec<u8>,
    /// Where the next line starts.
    start: usize,
    /// Where the search for the next `\n` goes on: the bytes from `start` to here hold none, so a long
    /// line that arrives in many chunks is scanned once, not once per chunk.
    scanned: usize,
    /// Whether a line of this download has been taken: the first may start with a UTF-8 byte order mark.
    begun: bool,
}

/// The UTF-8 byte order mark some tools write at the start of a text file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

impl LineSplitter {
    /// Adds a chunk.
    pub fn push(&mut self, chunk: &[u8]) {
        if self.start > 0 && self.start * 2 >= self.buffer.len() {
            self.buffer.drain(..self.start);
            self.scanned = self.scanned.saturating_sub(self.start);
            self.start = 0;
        }
        self.buffer.extend_from_slice(chunk);
    }

    /// The next complete, non-blank line (without its `\n` or `\r\n`, nor a byte order mark at the start
    /// of the download).
    pub fn next_line(&mut self) -> Option<Vec<u8>> {
        loop {
            let unscanned = self.buffer.get(self.scanned..)?;
            let Some(found) = unscanned.iter().position(|b| *b == b'\n') else {
                self.scanned = self.buffer.len();
                return None;
            };
            let end = self.scanned + found;
            let line = self.take(end);
            self.start = end + 1;
            self.scanned = self.start;
            if !line.is_empty() {
                return Some(line);
            }
        }
    }

    /// The last line, when the download did not end with a newline. The splitter is then ready for
    /// another download.
    pub fn finish(&mut self) -> Option<Vec<u8>> {
        let rest = self.take(self.buffer.len());
        *self = Self::default();
        (!rest.is_empty()).then_some(rest)
    }

    /// The line from `start` to `end`, trimmed.
    fn take(&mut self, end: usize) -> Vec<u8> {
        let mut line = self.buffer.get(self.start..end).unwrap_or_default();
        if !self.begun {
            self.begun = true;
            line = line.strip_prefix(BOM).unwrap_or(line);
        }
        trim_line(line).to_vec()
    }
}

fn trim_line(line: &[u8]) -> &[u8] {
    let mut line = line;
    while let Some((last, rest)) = line.split_last() {
        if last.is_ascii_whitespace() {
            line = rest;
        } else {
            break;
        }
    }
    line
}

/// How `wait` polls a batch: the first delay, multiplied by `factor` after each poll up to `max_delay`;
/// a rate-limited poll waits what the server asks (`retry-after`) instead, within the current delay and
/// `max_delay` ([`rate_limited_wait`](Self::rate_limited_wait)).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct PollSchedule {
    /// The delay before the second poll (the first is immediate).
    pub initial_delay: Duration,
    /// The longest delay between polls.
    pub max_delay: Duration,
    /// How much the delay grows after each poll (at least 1).
    pub factor: f64,
}

impl Default for PollSchedule {
    /// 1 s, then ×1.5 per poll, at most 60 s.
    fn default() -> Self {
        Self {
            initial_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            factor: 1.5,
        }
    }
}

impl PollSchedule {
    /// Sets the delay before the second poll.
    ///
    /// ```
    /// use groq_types::ergonomics::batch_jobs::PollSchedule;
    /// use std::time::Duration;
    ///
    /// let quick = PollSchedule::default()
    ///     .initial_delay(Duration::from_millis(200))
    ///     .max_delay(Duration::from_secs(5))
    ///     .factor(2.0);
    /// assert_eq!(quick.next_delay(Duration::from_secs(4)), Duration::from_secs(5));
    /// ```
    pub fn initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    /// Sets the longest delay between polls.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Sets how much the delay grows after each poll (a factor below 1 counts as 1).
    pub fn factor(mut self, factor: f64) -> Self {
        self.factor = factor;
        self
    }

    /// The delay after `delay`.
    ///
    /// ```
    /// use groq_types::ergonomics::batch_jobs::PollSchedule;
    /// use std::time::Duration;
    ///
    /// let schedule = PollSchedule::default();
    /// assert_eq!(schedule.next_delay(Duration::from_secs(2)), Duration::from_secs(3));
    /// assert_eq!(schedule.next_delay(Duration::from_secs(50)), Duration::from_secs(60));
    /// ```
    ///
    /// Any factor is safe: one that is not a number counts as 1, and a delay that would grow past what a
    /// `Duration` holds is `max_delay`.
    pub fn next_delay(&self, delay: Duration) -> Duration {
        let grown = delay.as_secs_f64() * self.factor.max(1.0);
        Duration::try_from_secs_f64(grown)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }

    /// The wait after a rate-limited poll whose answer asked for `asked` (its `retry-after`), when the
    /// schedule is at `delay`: what was asked, but no less than `delay` (a `retry-after` of 0 does not
    /// make a busy loop) and no more than `max_delay` (nor does one of a day make a wait of a day).
    ///
    /// ```
    /// use groq_types::ergonomics::batch_jobs::PollSchedule;
    /// use std::time::Duration;
    ///
    /// let schedule = PollSchedule::default();
    /// let delay = Duration::from_secs(2);
    /// assert_eq!(schedule.rate_limited_wait(Some(Duration::from_secs(5)), delay), Duration::from_secs(5));
    /// assert_eq!(schedule.rate_limited_wait(Some(Duration::from_secs(86_400)), delay), Duration::from_secs(60));
    /// assert_eq!(schedule.rate_limited_wait(Some(Duration::ZERO), delay), delay);
    /// assert_eq!(schedule.rate_limited_wait(None, delay), delay);
    /// ```
    pub fn rate_limited_wait(&self, asked: Option<Duration>, delay: Duration) -> Duration {
        asked
            .unwrap_or(delay)
            .max(delay)
            .min(self.max_delay.max(delay))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_factor_makes_the_next_delay_panic() {
        let max_delay = Duration::from_secs(60);
        for factor in [f64::INFINITY, f64::NAN, 1e20, f64::MAX, -3.0, 0.0] {
            let schedule = PollSchedule {
                initial_delay: Duration::from_secs(1),
                max_delay,
                factor,
            };
            let next = schedule.next_delay(Duration::from_secs(30));
            assert!(next <= max_delay, "{factor}: {next:?}");
            assert!(next >= Duration::from_secs(30), "{factor}: {next:?}");
        }
        let huge = PollSchedule {
            max_delay: Duration::MAX,
            ..PollSchedule::default()
        };
        assert_eq!(huge.next_delay(Duration::MAX), Duration::MAX);
    }

    #[test]
    fn a_rate_limited_wait_stays_within_the_schedule() {
        let schedule = PollSchedule::default();
        let delay = Duration::from_secs(4);
        let wait = |asked: Option<Duration>| schedule.rate_limited_wait(asked, delay);
        assert_eq!(wait(Some(Duration::from_secs(10))), Duration::from_secs(10));
        assert_eq!(wait(Some(Duration::from_secs(86_400))), schedule.max_delay);
        assert_eq!(wait(Some(Duration::ZERO)), delay);
        assert_eq!(wait(None), delay);
        // A delay already past `max_delay` (a schedule of one's own) is kept, not shortened.
        let long = Duration::from_secs(120);
        assert_eq!(schedule.rate_limited_wait(Some(Duration::ZERO), long), long);
    }

    #[test]
    fn result_lines_of_every_kind() {
        let ok = br#"{"id":"b1","custom_id":"a","response":{"status_code":200,"request_id":"r","body":{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"finish_reason":"stop","logprobs":null,"message":{"role":"assistant","content":"Hi"}}]}},"error":null}"#;
        let parsed = parse_result_line::<ChatCompletion>(ok).unwrap();
        assert_eq!(parsed.custom_id, "a");
        assert_eq!(parsed.result.unwrap().content(), Some("Hi"));
        let expired =
            br#"{"id":"b2","custom_id":"b","response":null,"error":{"code":"batch_expired","message":"This request could not be executed before the completion window expired."}}"#;
        let error = parse_result_line::<ChatCompletion>(expired)
            .unwrap()
            .result
            .unwrap_err();
        assert_eq!(error.code.as_deref(), Some("batch_expired"));
        let wrong_shape =
            br#"{"custom_id":"c","response":{"status_code":200,"body":{"text":"x"}}}"#;
        let error = parse_result_line::<ChatCompletion>(wrong_shape)
            .unwrap()
            .result
            .unwrap_err();
        assert!(error.message.contains("does not parse"), "{error}");
        assert!(matches!(
            parse_result_line::<ChatCompletion>(b"not json"),
            Err(Error::Decode { .. })
        ));
    }

    #[test]
    fn the_splitter_keeps_only_the_partial_line() {
        let mut lines = LineSplitter::default();
        let mut seen = 0;
        for _ in 0..10_000 {
            lines.push(b"{\"x\":1}\n{\"y\"");
            while lines.next_line().is_some() {
                seen += 1;
            }
            lines.push(b":2}\n");
            while lines.next_line().is_some() {
                seen += 1;
            }
            assert!(lines.buffer.len() < 64, "{}", lines.buffer.len());
        }
        assert_eq!(seen, 20_000);
    }

    #[test]
    fn a_byte_order_mark_starts_a_download_not_its_first_line() {
        let mut lines = LineSplitter::default();
        // Split inside the mark, and CRLF, and no newline at the end.
        lines.push(b"\xEF\xBB");
        lines.push(b"\xBF{\"a\":1}\r\n{\"b\":2}");
        assert_eq!(lines.next_line().as_deref(), Some(&br#"{"a":1}"#[..]));
        assert_eq!(lines.next_line(), None);
        assert_eq!(lines.finish().as_deref(), Some(&br#"{"b":2}"#[..]));
        // The next download may start with one too; a mark later in a download is kept.
        lines.push(b"\xEF\xBB\xBF{\"c\":3}\n\xEF\xBB\xBF{\"d\":4}\n");
        assert_eq!(lines.next_line().as_deref(), Some(&br#"{"c":3}"#[..]));
        assert_eq!(
            lines.next_line().as_deref(),
            Some(&b"\xEF\xBB\xBF{\"d\":4}"[..])
        );
    }

    #[test]
    fn a_long_line_in_many_chunks_is_scanned_once() {
        // 4 MiB in 16 KiB chunks: the search goes on from where the last one stopped, so what is left to
        // scan after each chunk is that chunk alone.
        let mut lines = LineSplitter::default();
        for _ in 0..256 {
            lines.push(&[b'a'; 16 * 1024]);
            assert_eq!(lines.next_line(), None);
            assert_eq!(lines.scanned, lines.buffer.len());
        }
        lines.push(b"\nnext");
        assert_eq!(lines.next_line().map(|line| line.len()), Some(4 << 20));
        assert_eq!(lines.finish().as_deref(), Some(&b"next"[..]));
    }

    #[test]
    fn a_custom_id_is_refused_the_second_time() {
        let mut writer = JsonlWriter::new(Vec::new());
        let request = CreateChatCompletionRequest::from_messages(
            "m",
            [crate::ChatCompletionRequestMessage::user("q")],
        );
        writer.write("r1", &request).unwrap();
        writer.write("r2", &request).unwrap();
        match writer.write("r1", &request) {
            Err(Error::InvalidRequest(message)) => {
                assert!(
                    message.contains("line 3") && message.contains("r1"),
                    "{message}"
                )
            }
            other => panic!("{other:?}"),
        }
        let written = String::from_utf8(writer.finish().unwrap()).unwrap();
        assert_eq!(written.lines().count(), 2);
    }

    #[test]
    fn empty_custom_ids_are_refused() {
        let mut writer = JsonlWriter::new(Vec::new());
        let request = CreateChatCompletionRequest::from_messages(
            "m",
            [crate::ChatCompletionRequestMessage::user("q")],
        );
        assert!(matches!(
            writer.write(" ", &request),
            Err(Error::InvalidRequest(_))
        ));
        let audio = TranscriptionBatchRequest(AudioBatchRequest {
            model: "whisper-large-v3".into(),
            url: "https://example.com/a.mp3".into(),
            ..Default::default()
        });
        writer.write("audio-1", &audio).unwrap();
        let text = String::from_utf8(writer.finish().unwrap()).unwrap();
        assert_eq!(
            text,
            "{\"custom_id\":\"audio-1\",\"method\":\"POST\",\"url\":\"/v1/audio/transcriptions\",\"body\":{\"model\":\"whisper-large-v3\",\"url\":\"https://example.com/a.mp3\"}}\n"
        );
    }
}
