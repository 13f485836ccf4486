//! The how-to sections of both crates' front page, written once: `lib.rs` includes them with
//! `#![doc = crate::facade::guide::guide!()]`, and their examples compile in each crate as
//! [`example!`](super::doc) makes them.

/// The how-to sections of the crate's front page: stream, transcribe, batch, read headers, set timeouts
/// and retries, handle errors.
macro_rules! guide {
    () => {
        concat!(
            "# How to\n\n",
            "## Stream a completion\n\n",
            "`create_stream` sends the request with `stream: true` and returns the chunks as they arrive (a ",
            "`futures::Stream` in groq-async, an `Iterator` in groq-blocking). Each item is a chunk, or the ",
            "error that ended the stream; dropping the stream closes the connection. `accumulate()` reads the ",
            "rest and assembles the whole completion instead. With groq-async, `next()` comes from ",
            "`StreamExt`, which groq-async re-exports.\n\n",
            crate::facade::doc::example!(
                use "types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest}";
                crate::doc_stream_ext!(), r#"
let request = CreateChatCompletionRequest::from_messages(
    "llama-3.3-70b-versatile",
    [Message::user("Explain the importance of fast language models")],
);
let mut stream = client.chat().completions().create_stream(&request)"#, crate::aw!(), r#"?;
while let Some(chunk) = stream.next()"#, crate::aw!(), r#" {
    print!("{}", chunk?.delta_content().unwrap_or_default());
}"#),
            "\n\n## Transcribe audio\n\n",
            "Give the audio as a [`FileInput`](crate::FileInput): a path (streamed from disk), bytes, or a ",
            "reader; or set the request's `url` and call `create_from_url`. Ask for `verbose_json` to get ",
            "segments and word timestamps; `client.audio().translations()` works the same way and answers in ",
            "English.\n\n",
            crate::facade::doc::example!(
                use "types::CreateTranscriptionRequest", "FileInput"; r#"
let request = CreateTranscriptionRequest::new("whisper-large-v3-turbo").language("en");
let audio = FileInput::path("meeting.m4a");
let transcription = client.audio().transcriptions().create(audio, &request)"#, crate::aw!(), r#"?;
println!("{}", transcription.text());"#),
            "\n\n## Run a batch\n\n",
            "[`client.batch_jobs()`](crate::BatchJobs) does the whole job: write the requests to a JSONL file, ",
            "upload it and start the batch, wait for it (polling that backs off and honours rate limits), and ",
            "read the typed results as they download. `client.batches()` and `client.files()` offer each ",
            "step on its own.\n\n",
            crate::facade::doc::example!(
                use "types::ergonomics::batch_jobs::{write_jsonl_file, PollSchedule}",
                    "types::{ChatCompletion, ChatCompletionRequestMessage as Message, CreateChatCompletionRequest}";
                r#"
let questions = ["What is 2+2?", "What is the capital of France?"];
let lines = questions.into_iter().enumerate().map(|(n, question)| {
    let request = CreateChatCompletionRequest::from_messages("llama-3.1-8b-instant", [Message::user(question)]);
    (format!("question-{n}"), request)
});
write_jsonl_file("questions.jsonl", lines)?;
let jobs = client.batch_jobs();
let batch = jobs.submit::<CreateChatCompletionRequest>("questions.jsonl", "24h")"#, crate::aw!(), r#"?;
let batch = jobs.wait(&batch.id, &PollSchedule::default(), |b| println!("{}", b.status))"#, crate::aw!(), r#"?;
for (custom_id, answer) in jobs.results::<ChatCompletion>(&batch).into_map()"#, crate::aw!(), r#"? {
    match answer {
        Ok(completion) => println!("{custom_id}: {}", completion.content().unwrap_or_default()),
        Err(error) => println!("{custom_id} failed: {}", error.message),
    }
}"#),
            "\n\n## Read headers and rate limits\n\n",
            "`.with_raw_response()` on any resource returns [`RawResponse`](crate::RawResponse)s: the status, ",
            "headers, request id, elapsed time, retries taken and the typed rate-limit headers, with the value ",
            "parsed on demand. On a stream it returns a [`RawStream`](crate::RawStream), whose `parse()` is the ",
            "stream. An API error carries the same headers ([`ApiError`](crate::ApiError)).\n\n",
            crate::facade::doc::example!(r#"
let raw = client.models().with_raw_response().list()"#, crate::aw!(), r#"?;
println!("{} in {:?}, request id {:?}", raw.status(), raw.elapsed(), raw.request_id());
let limits = raw.rate_limit();
println!("{:?} requests left, reset in {:?}", limits.remaining_requests, limits.reset_requests);
if let Some(region) = raw.headers().get("x-groq-region") {
    println!("served from {region:?}");
}
let models = raw.parse()?;
println!("{} models", models.data.len());"#),
            "\n\n## Set a timeout and retries\n\n",
            "The client's settings apply to every call: a request timeout (60 s by default; 5 s to connect) ",
            "and retries of connection failures, timeouts, 408, 409, 429 and 5xx answers (2 by default), with ",
            "backoff that honours `retry-after`. [`RequestOptions`](crate::RequestOptions) change them for the calls ",
            "of one resource (`.with_options(…)`) or of a derived client ([`Client::with_options`](crate::Client::with_options)), ",
            "along with extra headers, query parameters and body fields.\n\n",
            crate::facade::doc::example!(
                use "types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest}",
                    "{Client, RequestOptions}";
                r#"
use std::time::Duration;

let client = Client::builder()
    .timeout(Duration::from_secs(20))
    .max_retries(4)
    .build()?;

let quick = RequestOptions::new().timeout(Duration::from_secs(5)).max_retries(0);
let request = CreateChatCompletionRequest::from_messages("llama-3.1-8b-instant", [Message::user("Hi")]);
let completion = client.chat().completions().with_options(&quick).create(&request)"#, crate::aw!(), r#"?;
println!("{}", completion.content().unwrap_or_default());"#),
            "\n\n## Handle errors\n\n",
            "Every failure is one [`Error`](crate::Error): an HTTP status maps onto a kind as in Groq's Python ",
            "library (`BadRequest`, `Authentication`, `RateLimit`, `InternalServer`…), each carrying an ",
            "[`ApiError`](crate::ApiError) with the status, headers, request id and the API's message; ",
            "`Timeout` and `Connection` are failures of the network (retried first); `Decode` keeps the start ",
            "of a body that did not parse. The enum is `#[non_exhaustive]`: end a `match` with a catch-all.\n\n",
            crate::facade::doc::example!(
                use "types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest}", "Error";
                r#"
let request = CreateChatCompletionRequest::from_messages("llama-3.3-70b-versatile", [Message::user("Hi")]);
match client.chat().completions().create(&request)"#, crate::aw!(), r#" {
    Ok(completion) => println!("{}", completion.content().unwrap_or_default()),
    Err(Error::RateLimit(api)) => println!("rate limited; retry in {:?}", api.rate_limit().retry_after),
    Err(Error::BadRequest(api)) => println!("bad request ({:?}): {}", api.code, api.message),
    Err(error) if error.is_timeout() || error.is_connection() => println!("network: {error}"),
    Err(error) => println!("{error} (status {:?}, request id {:?})", error.status(), error.request_id()),
}"#),
            "\n"
        )
    };
}
pub(crate) use guide;
