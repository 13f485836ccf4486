//! Conformance against the Groq reference spec, through the Steady mock server: every one of the 23
//! operations, driven through both clients (`groq-async` on a tokio runtime, `groq-blocking` directly).
//!
//! Each case is one operation with one set of arguments — `minimal` (required arguments only), `full`
//! (every optional field of the request set through its setter, every query parameter; for an operation
//! whose only parameter is a path id, an id that needs percent-encoding) and a few more (`url` for audio
//! from a URL, `from_path` for an upload streamed from disk) — sent [`REPS`] times on one client, since
//! Steady's answers are random. A case passes when Steady accepted every request (`x-steady-request-valid:
//! true`, no diagnostic but the allowed ones) and every answer deserialized (or, for binary bodies, was read
//! to its end). A rejection surfaces as an API error carrying Steady's `x-steady-error-*` headers; the
//! failure message lists those diagnostics and the body.
//!
//! The scenario of an operation is written once: [`on_client!`] expands it for the async client (where
//! `wait!(…)` awaits) and for the blocking one (where `wait!(…)` is the call itself), and `groq::…` names
//! the crate of the client at hand (`groq::FileInput`).
//!
//! Without Steady (no npm, no `../shared`) the cases print why and pass; with `CI=true` they fail.
//! Each case prints one summary line (`cargo test -p groq-tests --test conformance -- --nocapture`).

use groq_tests::steady;
use groq_types::ergonomics::batches::ListBatchesParams;
use groq_types::sdk::{Error, ErrorBody, RawResponse, RequestOptions, ResponseMeta};
use groq_types::{
    AudioResponseFormat, BatchEndpoint, ChatCompletionDocument, ChatCompletionDocumentSource,
    ChatCompletionDocumentSourceJson, ChatCompletionDocumentSourceText,
    ChatCompletionFunctionCallOption, ChatCompletionFunctions, ChatCompletionMessageToolCall,
    ChatCompletionNamedToolChoice, ChatCompletionRequestAssistantMessage,
    ChatCompletionRequestFunctionMessage, ChatCompletionRequestMessage as Message,
    ChatCompletionRequestMessageContentPart as Part,
    ChatCompletionRequestMessageContentPartDocument, ChatCompletionRequestMessageContentPartText,
    ChatCompletionRequestSystemMessage, ChatCompletionRequestSystemMessageRole,
    ChatCompletionRequestUserMessage, ChatCompletionTool, ChatModel, CitationOptions,
    CompoundCustom, CompoundCustomModels, CompoundCustomTools, CreateBatchRequest,
    CreateChatCompletionRequest, CreateEmbeddingRequest, CreateFineTuningRequest,
    CreateResponseRequest, CreateSpeechRequest, CreateTranscriptionRequest,
    CreateTranslationRequest, EmbeddingEncodingFormat, EmbeddingModel, FileUploadPurpose,
    FunctionCallOption, FunctionParameters, ImageDetail, InlineDocument, NamedToolChoiceFunction,
    ReasoningEffort, ReasoningFormat, RerankingRequest, ResponseEasyInputContent,
    ResponseEasyInputMessage, ResponseEasyInputRole, ResponseFormat, ResponseFormatConfiguration,
    ResponseFunctionCall, ResponseFunctionCallOutput, ResponseInput, ResponseInputContent,
    ResponseInputItem, ResponseInputMessage, ResponseInputRole, ResponseInputTextContent,
    ResponseItemReference, ResponseItemStatus, ResponseModel, ResponseNamedToolChoice,
    ResponseReasoningConfig, ResponseReasoningEffort, ResponseServiceTier, ResponseTextConfig,
    ResponseTool, ResponseToolChoiceOption, ResponseTruncation, ResponseTypedInputItem,
    SearchSettings, ServiceTier, SpeechModel, SpeechResponseFormat, TextResponseFormatJsonSchema,
    TimestampGranularity, ToolCallFunction, TranscriptionLanguage, TranscriptionModel,
    WolframSettings,
};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::num::NonZeroU64;
use std::path::PathBuf;
use std::time::Instant;

/// How many times each case sends its request.
const REPS: usize = 50;

/// How many distinct failure messages a failing case prints.
const SHOWN_FAILURES: usize = 5;

/// Which client a case drives.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Async,
    Blocking,
}

/// A client of one kind, built once per case and reused for all its requests (and connections).
enum Target {
    Async {
        client: groq_async::Client,
        runtime: tokio::runtime::Runtime,
    },
    Blocking {
        client: groq_blocking::Client,
    },
}

impl Target {
    fn new(kind: Kind, base_url: &str) -> Self {
        const KEY: &str = "gsk_conformance_test_key";
        match kind {
            Kind::Async => Target::Async {
                client: groq_async::Client::builder()
                    .base_url(base_url)
                    .api_key(KEY)
                    .max_retries(0)
                    .build()
                    .expect("an async client"),
                runtime: tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a tokio runtime"),
            },
            Kind::Blocking => Target::Blocking {
                client: groq_blocking::Client::builder()
                    .base_url(base_url)
                    .api_key(KEY)
                    .max_retries(0)
                    .build()
                    .expect("a blocking client"),
            },
        }
    }
}

/// Runs `$body` [`REPS`] times with `$c` bound to the target's client and collects the [`Outcome`]s. The
/// body is expanded twice: for the async client (inside one `block_on`, `wait!(e)` is `e.await`) and for the
/// blocking client (`wait!(e)` is `e`); in both, `groq` names the client's crate.
macro_rules! on_client {
    ($target:expr, |$c:ident| $body:expr) => {
        match $target {
            Target::Async {
                client: $c,
                runtime,
            } => {
                #[allow(unused_imports)]
                use groq_async as groq;
                macro_rules! wait {
                    ($e:expr) => {
                        $e.await
                    };
                }
                runtime.block_on(async {
                    let mut outcomes = Vec::with_capacity(REPS);
                    for _ in 0..REPS {
                        outcomes.push($body);
                    }
                    outcomes
                })
            }
            Target::Blocking { client: $c } => {
                #[allow(unused_imports)]
                use groq_blocking as groq;
                macro_rules! wait {
                    ($e:expr) => {
                        $e
                    };
                }
                let mut outcomes = Vec::with_capacity(REPS);
                for _ in 0..REPS {
                    outcomes.push($body);
                }
                outcomes
            }
        }
    };
}

// ---- Outcomes ---------------------------------------------------------------------------------------

/// What became of one request.
#[derive(Debug)]
enum Outcome {
    /// Accepted by Steady, and the answer deserialized (or, for a binary body, was read whole).
    Deserialized,
    /// Steady rejected the request.
    Rejected(String),
    /// Accepted, but with an unexpected diagnostic, or the answer could not be read or parsed, or the call
    /// failed before an answer.
    Failed(String),
}

fn header_pairs<'a, V: AsRef<[u8]> + 'a>(
    headers: impl Iterator<Item = (impl AsRef<str>, &'a V)>,
) -> Vec<(String, String)> {
    headers
        .map(|(name, value)| {
            (
                name.as_ref().to_owned(),
                String::from_utf8_lossy(value.as_ref()).into_owned(),
            )
        })
        .collect()
}

fn meta_headers(meta: &ResponseMeta) -> Vec<(String, String)> {
    header_pairs(
        meta.headers()
            .iter()
            .map(|(name, value)| (name.as_str(), value)),
    )
}

fn describe(diagnostics: &[steady::Diagnostic]) -> String {
    if diagnostics.is_empty() {
        return "no diagnostics".to_owned();
    }
    diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

impl Outcome {
    /// The outcome of a call that failed.
    fn from_error(error: &Error) -> Self {
        let Some(api) = error.api_error() else {
            return match error {
                Error::Decode { message, body, .. } => Outcome::Failed(format!(
                    "could not decode the response: {message}; body: {body}"
                )),
                other => Outcome::Failed(format!("the call failed: {other}")),
            };
        };
        let headers = header_pairs(
            api.headers
                .iter()
                .map(|(name, value)| (name.as_str(), value)),
        );
        let body = match &api.body {
            ErrorBody::Json(json) => json.to_string(),
            ErrorBody::Text(text) => text.clone(),
            other => format!("{other:?}"),
        };
        let message = format!(
            "HTTP {}: {}; body: {body}",
            api.status,
            describe(&steady::diagnostics(&headers))
        );
        match steady::check_valid(&headers) {
            Err(_) => Outcome::Rejected(message),
            Ok(()) => Outcome::Failed(format!("an error status for a valid request: {message}")),
        }
    }

    /// Whether Steady accepted the request with no diagnostic outside `allowed`; `Err` holds the outcome
    /// when it did not.
    fn accepted(meta: &ResponseMeta, allowed: &[&str]) -> Result<(), Outcome> {
        let headers = meta_headers(meta);
        if let Err(rejection) = steady::check_valid(&headers) {
            return Err(Outcome::Rejected(format!(
                "HTTP {}: {rejection}",
                meta.status()
            )));
        }
        steady::check_clean(&headers, allowed).map_err(Outcome::Failed)
    }

    /// The outcome of a JSON call made through `with_raw_response()`.
    fn json<T>(result: Result<RawResponse<T>, Error>, allowed: &[&str]) -> Self {
        match result {
            Err(error) => Outcome::from_error(&error),
            Ok(raw) => match Outcome::accepted(raw.meta(), allowed) {
                Err(outcome) => outcome,
                Ok(()) => match raw.parse() {
                    Ok(_) => Outcome::Deserialized,
                    Err(error) => Outcome::Failed(format!(
                        "the answer did not deserialize: {}",
                        Outcome::from_error(&error).message()
                    )),
                },
            },
        }
    }

    /// The outcome of reading a binary body whose response was accepted.
    fn binary<B: AsRef<[u8]>>(body: Result<B, Error>) -> Self {
        match body {
            Ok(_) => Outcome::Deserialized,
            Err(error) => Outcome::Failed(format!(
                "the body could not be read: {}",
                Outcome::from_error(&error).message()
            )),
        }
    }

    fn message(&self) -> &str {
        match self {
            Outcome::Deserialized => "deserialized",
            Outcome::Rejected(message) | Outcome::Failed(message) => message,
        }
    }
}

/// Runs one case: builds the client, runs the scenario, prints the summary and asserts that no request was
/// rejected and every answer deserialized.
fn run(operation: &str, variant: &str, kind: Kind, scenario: fn(&Target, &str) -> Vec<Outcome>) {
    let Some(steady) = steady::shared_or_skip() else {
        println!("{operation}/{variant} [{kind:?}]: skipped (Steady is unavailable)");
        return;
    };
    let target = Target::new(kind, &steady.url());
    let started = Instant::now();
    let outcomes = scenario(&target, variant);
    let elapsed = started.elapsed();
    let sent = outcomes.len();
    let rejected = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::Rejected(_)))
        .count();
    let deserialized = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::Deserialized))
        .count();
    println!(
        "{operation}/{variant} [{kind:?}]: {sent} sent, {rejected} rejected, {deserialized} deserialized ({elapsed:.2?})"
    );
    assert_eq!(sent, REPS, "{operation}/{variant}: every request is sent");
    if rejected == 0 && deserialized == sent {
        return;
    }
    let mut distinct: Vec<&str> = Vec::new();
    for outcome in &outcomes {
        let message = outcome.message();
        if !matches!(outcome, Outcome::Deserialized) && !distinct.contains(&message) {
            distinct.push(message);
        }
    }
    let mut report = format!(
        "{operation}/{variant} [{kind:?}]: {rejected} of {sent} requests rejected by Steady, {} accepted but failed \
         (unexpected diagnostic, answer not deserialized, or the call failed); {} distinct failures:",
        sent - deserialized - rejected,
        distinct.len()
    );
    for message in distinct.iter().take(SHOWN_FAILURES) {
        let _ = write!(report, "\n  - {message}");
    }
    panic!("{report}");
}

fn unknown_variant(variant: &str) -> ! {
    panic!("no such variant: {variant}")
}

// ---- Values -----------------------------------------------------------------------------------------

const FILE_ID: &str = "file_01jh6x76wtemjr74t1fh0faj5t";
const BATCH_ID: &str = "batch_01jh6xa7reempvjyh6n3yst2zw";
const FINE_TUNING_ID: &str = "ft_01jh6xbc2defgh3jk4mn5pq6rs";
/// An id every reserved character of which must be percent-encoded to stay one path segment.
const AWKWARD_ID: &str = "id/with space?query#frag%ä";
const MODEL: &str = "llama-3.3-70b-versatile";
const MODEL_WITH_SLASH: &str = "meta-llama/llama-4-scout-17b-16e-instruct";

/// The id a path operation uses in `variant`.
fn path_id<'a>(variant: &str, plain: &'a str) -> &'a str {
    match variant {
        "minimal" => plain,
        "full" => AWKWARD_ID,
        other => unknown_variant(other),
    }
}

/// A tiny but well-formed WAV file: 8 samples of 16-bit mono silence at 16 kHz.
fn wav() -> Vec<u8> {
    let samples = [0u8; 16];
    let mut wav = Vec::with_capacity(44 + samples.len());
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + samples.len() as u32).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes()); // fmt chunk size
    wav.extend_from_slice(&1u16.to_le_bytes()); // PCM
    wav.extend_from_slice(&1u16.to_le_bytes()); // mono
    wav.extend_from_slice(&16_000u32.to_le_bytes()); // sample rate
    wav.extend_from_slice(&32_000u32.to_le_bytes()); // byte rate
    wav.extend_from_slice(&2u16.to_le_bytes()); // block align
    wav.extend_from_slice(&16u16.to_le_bytes()); // bits per sample
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&(samples.len() as u32).to_le_bytes());
    wav.extend_from_slice(&samples);
    wav
}

/// A batch input file of two requests.
const JSONL: &str = concat!(
    r#"{"custom_id":"request-1","method":"POST","url":"/v1/chat/completions","body":{"model":"llama-3.1-8b-instant","messages":[{"role":"user","content":"Hi"}]}}"#,
    "\n",
    r#"{"custom_id":"request-2","method":"POST","url":"/v1/chat/completions","body":{"model":"llama-3.1-8b-instant","messages":[{"role":"user","content":"Bye"}]}}"#,
    "\n"
);

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not a JSON object: {other}"),
    }
}

fn weather_parameters() -> FunctionParameters {
    json!({
        "type": "object",
        "properties": {"location": {"type": "string"}},
        "required": ["location"],
    })
    .try_into()
    .expect("an object is valid tool parameters")
}

fn metadata() -> HashMap<String, String> {
    HashMap::from([
        ("team".to_owned(), "sdk".to_owned()),
        ("suite".to_owned(), "conformance".to_owned()),
    ])
}

// ---- Audio ------------------------------------------------------------------------------------------

fn speech_request(variant: &str) -> CreateSpeechRequest {
    match variant {
        "minimal" => CreateSpeechRequest::builder()
            .model("playai-tts")
            .voice("Fritz-PlayAI")
            .input("Hello from the conformance suite.")
            .build()
            .expect("every required field is set"),
        "full" => CreateSpeechRequest::builder()
            .model(SpeechModel::PlayaiTtsArabic)
            .voice("Ahmad-PlayAI")
            .input("Hello from the conformance suite.")
            .response_format(SpeechResponseFormat::Wav)
            .sample_rate(24_000)
            .speed(1.5)
            .build()
            .expect("every required field is set"),
        other => unknown_variant(other),
    }
}

fn create_speech(target: &Target, variant: &str) -> Vec<Outcome> {
    let request = speech_request(variant);
    on_client!(
        target,
        |c| match wait!(c.audio().speech().with_raw_response().create(&request)) {
            Err(error) => Outcome::from_error(&error),
            Ok(raw) => match Outcome::accepted(raw.meta(), &[]) {
                Err(outcome) => outcome,
                Ok(()) => Outcome::binary(wait!(raw.parse().bytes())),
            },
        }
    )
}

fn full_transcription() -> CreateTranscriptionRequest {
    CreateTranscriptionRequest::new(TranscriptionModel::WhisperLargeV3Turbo)
        .language(TranscriptionLanguage::En)
        .prompt("A short clip of silence.")
        .response_format(AudioResponseFormat::Json)
        .temperature(0.2)
        .timestamp_granularities(vec![
            TimestampGranularity::Word,
            TimestampGranularity::Segment,
        ])
}

fn transcription_request(variant: &str) -> CreateTranscriptionRequest {
    match variant {
        "minimal" => CreateTranscriptionRequest::new("whisper-large-v3"),
        "full" => full_transcription(),
        "url" => full_transcription().url("https://example.com/clip.wav"),
        other => unknown_variant(other),
    }
}

fn create_transcription(target: &Target, variant: &str) -> Vec<Outcome> {
    let wav = wav();
    let request = transcription_request(variant);
    if variant == "url" {
        return on_client!(target, |c| Outcome::json(
            wait!(c
                .audio()
                .transcriptions()
                .with_raw_response()
                .create_from_url(&request)),
            &[]
        ));
    }
    on_client!(target, |c| Outcome::json(
        wait!(c
            .audio()
            .transcriptions()
            .with_raw_response()
            .create(groq::FileInput::bytes("clip.wav", wav.clone()), &request)),
        &[]
    ))
}

fn full_translation() -> CreateTranslationRequest {
    CreateTranslationRequest::new(TranscriptionModel::WhisperLargeV3)
        .prompt("A short clip of silence.")
        .response_format(AudioResponseFormat::Json)
        .temperature(0.2)
}

fn translation_request(variant: &str) -> CreateTranslationRequest {
    match variant {
        "minimal" => CreateTranslationRequest::new("whisper-large-v3"),
        "full" => full_translation(),
        "url" => full_translation().url("https://example.com/clip.wav"),
        other => unknown_variant(other),
    }
}

fn create_translation(target: &Target, variant: &str) -> Vec<Outcome> {
    let wav = wav();
    let request = translation_request(variant);
    if variant == "url" {
        return on_client!(target, |c| Outcome::json(
            wait!(c
                .audio()
                .translations()
                .with_raw_response()
                .create_from_url(&request)),
            &[]
        ));
    }
    on_client!(target, |c| Outcome::json(
        wait!(c
            .audio()
            .translations()
            .with_raw_response()
            .create(groq::FileInput::bytes("clip.wav", wav.clone()), &request)),
        &[]
    ))
}

// ---- Batches ----------------------------------------------------------------------------------------

fn batch_request(variant: &str) -> CreateBatchRequest {
    let minimal = CreateBatchRequest::builder()
        .input_file_id(FILE_ID)
        .endpoint(BatchEndpoint::V1ChatCompletions)
        .completion_window("24h")
        .build()
        .expect("every required field is set");
    match variant {
        "minimal" => minimal,
        "full" => minimal.metadata(metadata()),
        other => unknown_variant(other),
    }
}

fn create_batch(target: &Target, variant: &str) -> Vec<Outcome> {
    let request = batch_request(variant);
    on_client!(target, |c| Outcome::json(
        wait!(c.batches().with_raw_response().create(&request)),
        &[]
    ))
}

fn list_batches(target: &Target, variant: &str) -> Vec<Outcome> {
    // `id` and `cursor` are not in the reference spec: Steady accepts them with E3015 ("undocumented query
    // parameter"), and nothing else may be reported.
    let (params, allowed): (_, &[&str]) = match variant {
        "minimal" => (ListBatchesParams::new(), &[]),
        "full" => (
            ListBatchesParams::new()
                .ids([BATCH_ID, "batch_01jh6xa7reempvjyh6n3yst2zx"])
                .cursor("cursor_01jh6xc8"),
            &["E3015"],
        ),
        other => unknown_variant(other),
    };
    on_client!(target, |c| Outcome::json(
        wait!(c.batches().with_raw_response().list_with(&params)),
        allowed
    ))
}

fn retrieve_batch(target: &Target, variant: &str) -> Vec<Outcome> {
    let id = path_id(variant, BATCH_ID);
    on_client!(target, |c| Outcome::json(
        wait!(c.batches().with_raw_response().retrieve(id)),
        &[]
    ))
}

fn cancel_batch(target: &Target, variant: &str) -> Vec<Outcome> {
    let id = path_id(variant, BATCH_ID);
    on_client!(target, |c| Outcome::json(
        wait!(c.batches().with_raw_response().cancel(id)),
        &[]
    ))
}

// ---- Chat -------------------------------------------------------------------------------------------

/// A conversation with every kind of message, each with its optional fields.
fn every_message() -> Vec<Message> {
    let function = ToolCallFunction::builder()
        .name("get_weather")
        .arguments(r#"{"location":"Paris"}"#)
        .build()
        .expect("name and arguments are set");
    let weather_call = ChatCompletionMessageToolCall::new(function, "call_01");
    vec![
        Message::System(
            ChatCompletionRequestSystemMessage::new(
                "You are a weather assistant.",
                ChatCompletionRequestSystemMessageRole::System,
            )
            .name("setup"),
        ),
        Message::System(ChatCompletionRequestSystemMessage::new(
            vec![ChatCompletionRequestMessageContentPartText::new(
                "Answer in one sentence.",
            )],
            ChatCompletionRequestSystemMessageRole::Developer,
        )),
        Message::User(
            ChatCompletionRequestUserMessage::new(vec![
                Part::text("What's the weather like in Paris, and what is in this picture?"),
                Part::image_url_with_detail("https://example.com/paris.png", ImageDetail::Low),
                Part::image_base64("image/png", b"\x89PNG\r\n\x1a\n"),
                Part::Document(ChatCompletionRequestMessageContentPartDocument::new(
                    InlineDocument::new(object(json!({"city": "Paris", "country": "France"})))
                        .id("doc-inline"),
                )),
            ])
            .name("alice"),
        ),
        Message::Assistant(
            ChatCompletionRequestAssistantMessage::default()
                .content("Let me check.")
                .name("forecaster")
                .reasoning("The user wants the weather in Paris: call the tool.")
                .tool_calls(vec![weather_call]),
        ),
        Message::tool("call_01", r#"{"temperature_c":21}"#),
        Message::Function(
            ChatCompletionRequestFunctionMessage::new("get_weather")
                .content(r#"{"temperature_c":21}"#),
        ),
        Message::assistant("It is 21 °C in Paris."),
        Message::user("Thanks!"),
    ]
}

/// Every field of `CreateChatCompletionRequest` set, with values in range for the reference spec.
fn full_chat() -> CreateChatCompletionRequest {
    CreateChatCompletionRequest::new(
        every_message(),
        ChatModel::MetaLlamaLlama4Scout17b16eInstruct,
    )
    .citation_options(CitationOptions::Enabled)
    .compound_custom(
        CompoundCustom::default()
            .models(
                CompoundCustomModels::default()
                    .answering_model("openai/gpt-oss-120b")
                    .reasoning_model("qwen/qwen3-32b"),
            )
            .tools(
                CompoundCustomTools::default()
                    .enabled_tools(vec!["web_search".into(), "code_interpreter".into()])
                    .wolfram_settings(WolframSettings::default().authorization("wolfram-app-id")),
            ),
    )
    .disable_tool_validation(true)
    .documents(vec![
        ChatCompletionDocument::new(ChatCompletionDocumentSource::Text(
            ChatCompletionDocumentSourceText::new("Paris is the capital of France."),
        ))
        .id("doc-1"),
        ChatCompletionDocument::new(ChatCompletionDocumentSource::Json(
            ChatCompletionDocumentSourceJson::new(object(
                json!({"city": "Paris", "temperature_c": 21}),
            )),
        )),
    ])
    .exclude_domains(vec!["example.org".to_owned()])
    .frequency_penalty(-2.0)
    .function_call(FunctionCallOption::Named(
        ChatCompletionFunctionCallOption::new("get_weather"),
    ))
    .functions(vec![ChatCompletionFunctions::new("get_weather")
        .description("Current weather in a city")
        .parameters(weather_parameters())])
    .include_domains(vec!["weather.example.com".to_owned()])
    .include_reasoning(false)
    .logit_bias(HashMap::from([("50256".to_owned(), -100)]))
    .logprobs(true)
    .max_completion_tokens(1024)
    .max_tokens(2048)
    .metadata(metadata())
    .n(NonZeroU64::new(1).expect("1 is not zero"))
    .parallel_tool_calls(false)
    .presence_penalty(2.0)
    .reasoning_effort(ReasoningEffort::Medium)
    .reasoning_format(ReasoningFormat::Parsed)
    .response_format(ResponseFormat::json_schema(
        "weather",
        json!({
            "type": "object",
            "properties": {"temperature_c": {"type": "number"}},
            "required": ["temperature_c"],
        }),
        true,
    ))
    .search_settings(
        SearchSettings::default()
            .country("france")
            .exclude_domains(vec!["spam.example".into()])
            .include_domains(vec!["meteo.example".into()])
            .include_images(true),
    )
    .seed(42)
    .service_tier(ServiceTier::Flex)
    .stop(["END", "STOP", "DONE", "QUIT"])
    .store(false)
    .stream(false)
    .temperature(2.0)
    .tool_choice(ChatCompletionNamedToolChoice::new(
        NamedToolChoiceFunction::new("get_weather"),
    ))
    .tools(vec![ChatCompletionTool::new_function(
        "get_weather",
        "Current weather in a city",
        weather_parameters(),
    )])
    .top_logprobs(20)
    .top_p(1.0)
    .user("user-1234")
}

fn chat_request(variant: &str) -> CreateChatCompletionRequest {
    match variant {
        "minimal" => CreateChatCompletionRequest::new(vec![Message::user("Hi")], MODEL),
        "full" => full_chat(),
        other => unknown_variant(other),
    }
}

fn create_chat_completion(target: &Target, variant: &str) -> Vec<Outcome> {
    let request = chat_request(variant);
    on_client!(target, |c| Outcome::json(
        wait!(c.chat().completions().with_raw_response().create(&request)),
        &[]
    ))
}

// ---- Embeddings -------------------------------------------------------------------------------------

fn embedding_request(variant: &str) -> CreateEmbeddingRequest {
    match variant {
        "minimal" => CreateEmbeddingRequest::new("The quick brown fox", "nomic-embed-text-v1_5"),
        "full" => CreateEmbeddingRequest::new(
            ["The quick brown fox", "jumps over the lazy dog"],
            EmbeddingModel::NomicEmbedTextV1_5,
        )
        .encoding_format(EmbeddingEncodingFormat::Base64)
        .user("user-1234"),
        other => unknown_variant(other),
    }
}

fn create_embedding(target: &Target, variant: &str) -> Vec<Outcome> {
    let request = embedding_request(variant);
    on_client!(target, |c| Outcome::json(
        wait!(c.embeddings().with_raw_response().create(&request)),
        &[]
    ))
}

// ---- Files ------------------------------------------------------------------------------------------

/// A JSONL file on disk, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(contents: &str) -> Self {
        let path = std::env::temp_dir().join(format!(
            "groq-conformance-{}-{:?}.jsonl",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::write(&path, contents).expect("write the temporary JSONL file");
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn upload_file(target: &Target, variant: &str) -> Vec<Outcome> {
    match variant {
        // `file` and `purpose` are the operation's only fields, both required.
        "minimal" => on_client!(target, |c| Outcome::json(
            wait!(c.files().with_raw_response().upload(
                groq::FileInput::bytes("batch.jsonl", JSONL.as_bytes()),
                FileUploadPurpose::Batch
            )),
            &[]
        )),
        "from_path" => {
            let file = TempFile::new(JSONL);
            on_client!(target, |c| Outcome::json(
                wait!(c.files().with_raw_response().upload(
                    groq::FileInput::path(file.0.clone()),
                    FileUploadPurpose::Batch
                )),
                &[]
            ))
        }
        other => unknown_variant(other),
    }
}

fn list_files(target: &Target, variant: &str) -> Vec<Outcome> {
    match variant {
        "minimal" => on_client!(target, |c| Outcome::json(
            wait!(c.files().with_raw_response().list()),
            &[]
        )),
        other => unknown_variant(other),
    }
}

fn retrieve_file(target: &Target, variant: &str) -> Vec<Outcome> {
    let id = path_id(variant, FILE_ID);
    on_client!(target, |c| Outcome::json(
        wait!(c.files().with_raw_response().retrieve(id)),
        &[]
    ))
}

fn delete_file(target: &Target, variant: &str) -> Vec<Outcome> {
    let id = path_id(variant, FILE_ID);
    on_client!(target, |c| Outcome::json(
        wait!(c.files().with_raw_response().delete(id)),
        &[]
    ))
}

fn download_file(target: &Target, variant: &str) -> Vec<Outcome> {
    let id = path_id(variant, FILE_ID);
    on_client!(
        target,
        |c| match wait!(c.files().with_raw_response().content(id)) {
            Err(error) => Outcome::from_error(&error),
            Ok(raw) => match Outcome::accepted(raw.meta(), &[]) {
                Err(outcome) => outcome,
                Ok(()) => Outcome::binary(wait!(raw.parse().bytes())),
            },
        }
    )
}

// ---- Fine tunings -----------------------------------------------------------------------------------

fn list_fine_tunings(target: &Target, variant: &str) -> Vec<Outcome> {
    match variant {
        "minimal" => on_client!(target, |c| Outcome::json(
            wait!(c.fine_tunings().with_raw_response().list()),
            &[]
        )),
        other => unknown_variant(other),
    }
}

fn fine_tuning_request(variant: &str) -> CreateFineTuningRequest {
    match variant {
        // Every field is optional: the minimal request is `{}`.
        "minimal" => CreateFineTuningRequest::default(),
        "full" => CreateFineTuningRequest::default()
            .base_model("llama-3.1-8b-instant")
            .input_file_id(FILE_ID)
            .name("conformance-run")
            .type_("lora"),
        other => unknown_variant(other),
    }
}

fn create_fine_tuning(target: &Target, variant: &str) -> Vec<Outcome> {
    let request = fine_tuning_request(variant);
    on_client!(target, |c| Outcome::json(
        wait!(c.fine_tunings().with_raw_response().create(&request)),
        &[]
    ))
}

fn get_fine_tuning(target: &Target, variant: &str) -> Vec<Outcome> {
    let id = path_id(variant, FINE_TUNING_ID);
    on_client!(target, |c| Outcome::json(
        wait!(c.fine_tunings().with_raw_response().get(id)),
        &[]
    ))
}

fn delete_fine_tuning(target: &Target, variant: &str) -> Vec<Outcome> {
    let id = path_id(variant, FINE_TUNING_ID);
    on_client!(target, |c| Outcome::json(
        wait!(c.fine_tunings().with_raw_response().delete(id)),
        &[]
    ))
}

// ---- Models -----------------------------------------------------------------------------------------

fn list_models(target: &Target, variant: &str) -> Vec<Outcome> {
    match variant {
        "minimal" => on_client!(target, |c| Outcome::json(
            wait!(c.models().with_raw_response().list()),
            &[]
        )),
        other => unknown_variant(other),
    }
}

/// A model id, with a `/` (sent as `%2F`) in the `full` variant.
fn model_id(variant: &str) -> &'static str {
    match variant {
        "minimal" => MODEL,
        "full" => MODEL_WITH_SLASH,
        other => unknown_variant(other),
    }
}

fn retrieve_model(target: &Target, variant: &str) -> Vec<Outcome> {
    let model = model_id(variant);
    on_client!(target, |c| Outcome::json(
        wait!(c.models().with_raw_response().retrieve(model)),
        &[]
    ))
}

fn delete_model(target: &Target, variant: &str) -> Vec<Outcome> {
    let model = model_id(variant);
    on_client!(target, |c| Outcome::json(
        wait!(c.models().with_raw_response().delete(model)),
        &[]
    ))
}

// ---- Reranking --------------------------------------------------------------------------------------

fn reranking_request(variant: &str) -> RerankingRequest {
    match variant {
        "minimal" => RerankingRequest::builder()
            .model("rerank-model")
            .query("What is the capital of France?")
            .docs(vec!["Paris is the capital of France.".to_owned()])
            .build()
            .expect("every required field is set"),
        // The most documents the spec allows (100), and the instruction.
        "full" => RerankingRequest::builder()
            .model("rerank-model")
            .query("What is the capital of France?")
            .docs(
                (1..=100)
                    .map(|i| format!("Document number {i} about France."))
                    .collect::<Vec<_>>(),
            )
            .instruction("Prefer documents that name the capital.")
            .build()
            .expect("every required field is set"),
        other => unknown_variant(other),
    }
}

fn create_reranking(target: &Target, variant: &str) -> Vec<Outcome> {
    let request = reranking_request(variant);
    on_client!(target, |c| Outcome::json(
        wait!(c.reranking().with_raw_response().create(&request)),
        &[]
    ))
}

// ---- Responses --------------------------------------------------------------------------------------

/// Every kind of input item, each with its optional fields.
fn every_input_item() -> Vec<ResponseInputItem> {
    let typed = ResponseInputItem::TypedItem;
    vec![
        ResponseInputItem::EasyMessage(ResponseEasyInputMessage::new(
            ResponseEasyInputContent::Text("You are a weather assistant.".to_owned()),
            ResponseEasyInputRole::System,
        )),
        typed(ResponseTypedInputItem::Message(
            ResponseInputMessage::new(
                vec![ResponseInputContent::InputText(
                    ResponseInputTextContent::new("What's the weather like in Paris?"),
                )],
                ResponseInputRole::User,
            )
            .status(ResponseItemStatus::Completed),
        )),
        typed(ResponseTypedInputItem::FunctionCall(
            ResponseFunctionCall::builder()
                .call_id("call_01")
                .name("get_weather")
                .arguments(r#"{"location":"Paris"}"#)
                .id("fc_01")
                .status(ResponseItemStatus::Completed)
                .build()
                .expect("every required field is set"),
        )),
        typed(ResponseTypedInputItem::FunctionCallOutput(
            ResponseFunctionCallOutput::builder()
                .call_id("call_01")
                .output(r#"{"temperature_c":21}"#)
                .id("fco_01")
                .status(ResponseItemStatus::Completed)
                .build()
                .expect("every required field is set"),
        )),
        typed(ResponseTypedInputItem::ItemReference(
            ResponseItemReference::new("msg_01"),
        )),
    ]
}

/// Every field of `CreateResponseRequest` set, with values in range for the reference spec.
fn full_response() -> CreateResponseRequest {
    CreateResponseRequest::new(
        ResponseInput::Items(every_input_item()),
        ResponseModel::Llama3_3_70bVersatile,
    )
    .instructions("Answer in one sentence.")
    .max_output_tokens(256)
    .metadata(metadata())
    .parallel_tool_calls(true)
    .reasoning(ResponseReasoningConfig::default().effort(ResponseReasoningEffort::High))
    .service_tier(ResponseServiceTier::Flex)
    .store(false)
    .stream(false)
    .temperature(0.0)
    .text(
        ResponseTextConfig::default().format(ResponseFormatConfiguration::JsonSchema(
            TextResponseFormatJsonSchema::new(
                "weather",
                object(json!({
                    "type": "object",
                    "properties": {"temperature_c": {"type": "number"}},
                    "required": ["temperature_c"],
                })),
            )
            .description("The weather report")
            .strict(true),
        )),
    )
    .tool_choice(ResponseToolChoiceOption::Named(
        ResponseNamedToolChoice::new(NamedToolChoiceFunction::new("get_weather")),
    ))
    .tools(vec![ResponseTool::new("get_weather")
        .description("Current weather in a city")
        .parameters(weather_parameters())
        .strict(true)])
    .top_p(0.0)
    .truncation(ResponseTruncation::Auto)
    .user("user-1234")
}

fn response_request(variant: &str) -> CreateResponseRequest {
    match variant {
        "minimal" => CreateResponseRequest::new(
            ResponseInput::Text("Tell me a three sentence bedtime story.".to_owned()),
            MODEL,
        ),
        "full" => full_response(),
        other => unknown_variant(other),
    }
}

fn create_response(target: &Target, variant: &str) -> Vec<Outcome> {
    let request = response_request(variant);
    on_client!(target, |c| Outcome::json(
        wait!(c.responses().with_raw_response().create(&request)),
        &[]
    ))
}

// ---- The cases --------------------------------------------------------------------------------------

/// For every `operation { variant, … }`, a module `operation::variant` with two tests, `async_client`
/// and `blocking_client`, running the scenario function `operation` with that variant. Attributes before a
/// variant (`#[ignore = "BUG: …"]`) go on both of its tests.
macro_rules! conformance {
    ($($operation:ident { $($(#[$attr:meta])* $variant:ident),+ $(,)? })*) => {$(
        mod $operation {
            $(
                mod $variant {
                    #[test]
                    $(#[$attr])*
                    fn async_client() {
                        crate::run(
                            stringify!($operation),
                            stringify!($variant),
                            crate::Kind::Async,
                            crate::$operation,
                        )
                    }

                    #[test]
                    $(#[$attr])*
                    fn blocking_client() {
                        crate::run(
                            stringify!($operation),
                            stringify!($variant),
                            crate::Kind::Blocking,
                            crate::$operation,
                        )
                    }
                }
            )+
        }
    )*};
}

conformance! {
    create_speech { minimal, full }
    create_transcription { minimal, full, url }
    create_translation { minimal, full, url }
    create_batch { minimal, full }
    list_batches { minimal, full }
    retrieve_batch { minimal, full }
    cancel_batch { minimal, full }
    create_chat_completion { minimal, full }
    create_embedding { minimal, full }
    list_files { minimal }
    upload_file { minimal, from_path }
    retrieve_file { minimal, full }
    delete_file { minimal, full }
    download_file { minimal, full }
    list_fine_tunings { minimal }
    create_fine_tuning { minimal, full }
    get_fine_tuning { minimal, full }
    delete_fine_tuning { minimal, full }
    list_models { minimal }
    retrieve_model { minimal, full }
    delete_model { minimal, full }
    create_reranking { minimal, full }
    create_response { minimal, full }
}

// ---- The harness itself ----------------------------------------------------------------------------

/// Requests the harness must not count as accepted: a chat completion with a field the reference spec does
/// not know (Steady rejects it, E3009), and a batch listing with `id`s and a `cursor` checked with no
/// diagnostic allowed (Steady accepts it with E3015, which the `full` case allows).
fn misfits(target: &Target, variant: &str) -> Vec<Outcome> {
    match variant {
        "unknown_field" => {
            let options = RequestOptions::new().body_field("not_in_the_spec", true);
            let request = CreateChatCompletionRequest::new(vec![Message::user("Hi")], MODEL);
            on_client!(target, |c| Outcome::json(
                wait!(c
                    .chat()
                    .completions()
                    .with_options(&options)
                    .with_raw_response()
                    .create(&request)),
                &[]
            ))
        }
        "undocumented_query" => {
            let params = ListBatchesParams::new().ids([BATCH_ID]).cursor("cursor_01");
            on_client!(target, |c| Outcome::json(
                wait!(c.batches().with_raw_response().list_with(&params)),
                &[]
            ))
        }
        other => unknown_variant(other),
    }
}

/// The harness sees a rejection (with Steady's diagnostic in the message) and an unexpected diagnostic on
/// an accepted request, so the cases above cannot pass for want of looking.
fn the_harness_sees_rejections_and_diagnostics(kind: Kind) {
    let Some(steady) = steady::shared_or_skip() else {
        return;
    };
    let target = Target::new(kind, &steady.url());
    for outcome in misfits(&target, "unknown_field") {
        match outcome {
            Outcome::Rejected(message) => assert!(
                message.contains("E3009") && message.contains("not_in_the_spec"),
                "{message}"
            ),
            other => panic!("[{kind:?}] an unknown field must be rejected: {other:?}"),
        }
    }
    for outcome in misfits(&target, "undocumented_query") {
        match outcome {
            Outcome::Failed(message) => assert!(
                message.contains("E3015") && message.contains("query.cursor"),
                "{message}"
            ),
            other => panic!("[{kind:?}] E3015 must be reported: {other:?}"),
        }
    }
}

mod harness {
    #[test]
    fn async_client() {
        crate::the_harness_sees_rejections_and_diagnostics(crate::Kind::Async)
    }

    #[test]
    fn blocking_client() {
        crate::the_harness_sees_rejections_and_diagnostics(crate::Kind::Blocking)
    }
}

/// The property names of the JSON Schema `format` was made from (`ResponseFormat::json_schema_for`).
fn schema_properties(format: ResponseFormat) -> Vec<String> {
    let value = serde_json::to_value(format).expect("a response format serialises");
    let mut names: Vec<String> = value["json_schema"]["schema"]["properties"]
        .as_object()
        .expect("the schema of a request struct has properties")
        .keys()
        .cloned()
        .collect();
    names.sort_unstable();
    names
}

/// The fields (JSON keys) the requests of `variants` set between them, plus `others`.
fn fields_set(request: impl Fn(&str) -> Value, variants: &[&str], others: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = others.iter().map(|name| (*name).to_owned()).collect();
    for variant in variants {
        let value = request(variant);
        names.extend(
            value
                .as_object()
                .expect("a request is a JSON object")
                .keys()
                .cloned(),
        );
    }
    names.sort_unstable();
    names.dedup();
    names
}

/// The `full` variants set every field of their request struct (a field added to a struct but not to its
/// `full` variant fails here). A transcription or translation sends the audio as a `FileInput` part (`file`)
/// or names it by `url` (the `url` variant).
#[test]
fn full_variants_set_every_field() {
    macro_rules! check {
        ($type:ty, $request:expr, $variants:expr, $others:expr) => {
            assert_eq!(
                fields_set(
                    |variant| serde_json::to_value($request(variant))
                        .expect("a request serialises"),
                    $variants,
                    $others
                ),
                schema_properties(ResponseFormat::json_schema_for::<$type>("fields")),
                "{}",
                stringify!($type)
            );
        };
    }
    check!(CreateSpeechRequest, speech_request, &["full"], &[]);
    check!(
        CreateTranscriptionRequest,
        transcription_request,
        &["full", "url"],
        &["file"]
    );
    check!(
        CreateTranslationRequest,
        translation_request,
        &["full", "url"],
        &["file"]
    );
    check!(CreateBatchRequest, batch_request, &["full"], &[]);
    check!(CreateChatCompletionRequest, chat_request, &["full"], &[]);
    check!(CreateEmbeddingRequest, embedding_request, &["full"], &[]);
    check!(CreateFineTuningRequest, fine_tuning_request, &["full"], &[]);
    check!(RerankingRequest, reranking_request, &["full"], &[]);
    check!(CreateResponseRequest, response_request, &["full"], &[]);
}

/// The 23 operations of the reference spec, each covered above.
#[test]
fn every_operation_of_the_reference_spec_is_covered() {
    const COVERED: [&str; 23] = [
        "createSpeech",
        "createTranscription",
        "createTranslation",
        "createBatch",
        "listBatches",
        "retrieveBatch",
        "cancelBatch",
        "createChatCompletion",
        "createEmbedding",
        "listFiles",
        "uploadFile",
        "retrieveFile",
        "deleteFile",
        "downloadFile",
        "listFineTunings",
        "createFineTuning",
        "getFineTuning",
        "deleteFineTuning",
        "listModels",
        "retrieveModel",
        "deleteModel",
        "createReranking",
        "createResponse",
    ];
    let spec = steady::reference_spec();
    let Ok(text) = std::fs::read_to_string(&spec) else {
        assert!(
            !std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1"),
            "the reference spec {} is required when CI=true",
            spec.display()
        );
        println!("skipped: no reference spec at {}", spec.display());
        return;
    };
    let mut in_spec: Vec<&str> = text
        .lines()
        .filter_map(|line| line.trim().strip_prefix("operationId:"))
        .map(str::trim)
        .collect();
    in_spec.sort_unstable();
    let mut covered = COVERED.to_vec();
    covered.sort_unstable();
    assert_eq!(in_spec, covered);
}
