//! Groq's extensions of the OpenAI-shaped responses: `x_groq`, timing in `usage`, `usage_breakdown`,
//! `executed_tools`, `reasoning` and `annotations`. Each payload is read field by field, then serialised and
//! read again to an equal value.

use groq_types::{
    AnnotationType, ChartType, ChatCompletion, ChatCompletionChunk, FinishReason, ServiceTier,
    StreamDeltaRole,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// Serialises `value` to text and parses the text back.
fn round_trip<T>(value: &T) -> (T, Value)
where
    T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let text = serde_json::to_string(value).expect("serialises");
    let back: T = serde_json::from_str(&text).expect("the serialised value parses");
    assert_eq!(&back, value, "a round trip changes nothing");
    (back, serde_json::from_str(&text).expect("JSON"))
}

const COMPOUND_COMPLETION: &str = r#"{
  "id": "chatcmpl-7b1f3e2a-9c4d-4f1e-8a2b-3c4d5e6f7a8b",
  "object": "chat.completion",
  "created": 1752000000,
  "model": "compound-beta",
  "system_fingerprint": "fp_4d9a8e1a3b",
  "service_tier": "on_demand",
  "choices": [
    {
      "index": 0,
      "finish_reason": "stop",
      "logprobs": null,
      "message": {
        "role": "assistant",
        "content": "Paris is 18 °C and sunny [1]; the chart shows the week.",
        "reasoning": "The user wants the weather. I searched and then plotted the forecast.",
        "annotations": [
          {
            "type": "document_citation",
            "document_citation": {"document_id": "doc-weather", "start_index": 0, "end_index": 22}
          },
          {
            "type": "function_citation",
            "function_citation": {"tool_call_id": "call_search_0", "start_index": 23, "end_index": 26}
          }
        ],
        "executed_tools": [
          {
            "index": 0,
            "type": "search",
            "arguments": "{\"query\": \"weather in Paris today\"}",
            "output": "Paris: 18 °C, sunny",
            "search_results": {
              "results": [
                {
                  "title": "Paris weather",
                  "url": "https://weather.example.com/paris",
                  "content": "Sunny, 18 °C",
                  "score": 0.91
                }
              ],
              "images": ["https://weather.example.com/sun.png"]
            }
          },
          {
            "index": 1,
            "type": "python",
            "arguments": "{\"code\": \"plot(forecast)\"}",
            "output": "chart ready",
            "code_results": [
              {
                "text": "chart ready",
                "png": "iVBORw0KGgo=",
                "chart": {
                  "type": "line",
                  "title": "Forecast",
                  "x_label": "day",
                  "y_label": "°C",
                  "x_ticks": [0.0, 1.0, 2.0],
                  "x_tick_labels": ["Mon", "Tue", "Wed"],
                  "elements": [{"label": "max", "points": [[0.0, 18.0], [1.0, 21.5], [2.0, 19.0]]}]
                }
              }
            ]
          }
        ]
      }
    }
  ],
  "usage": {
    "queue_time": 0.034,
    "prompt_tokens": 1204,
    "prompt_time": 0.061,
    "completion_tokens": 96,
    "completion_time": 0.212,
    "total_tokens": 1300,
    "total_time": 0.273,
    "prompt_tokens_details": {"cached_tokens": 512},
    "completion_tokens_details": {"reasoning_tokens": 40}
  },
  "usage_breakdown": {
    "models": [
      {
        "model": "llama-3.3-70b-versatile",
        "usage": {"prompt_tokens": 900, "completion_tokens": 60, "total_tokens": 960, "queue_time": 0.02}
      },
      {
        "model": "openai/gpt-oss-120b",
        "usage": {"prompt_tokens": 304, "completion_tokens": 36, "total_tokens": 340}
      }
    ]
  },
  "x_groq": {
    "id": "req_01jz8x7v3ye7qs5a6n9h1w2k3m",
    "seed": 1234567,
    "usage": {"sram_cached_tokens": 256, "dram_cached_tokens": 128},
    "debug": {
      "input_token_ids": [128000, 9906],
      "input_tokens": ["<|begin_of_text|>", "Hello"],
      "output_token_ids": [13347],
      "output_tokens": ["Paris"]
    }
  }
}"#;

#[test]
fn chat_completion_x_groq_is_read() {
    let completion: ChatCompletion = serde_json::from_str(COMPOUND_COMPLETION).expect("parses");
    let x_groq = completion.x_groq.as_ref().expect("x_groq");
    assert_eq!(x_groq.id, "req_01jz8x7v3ye7qs5a6n9h1w2k3m");
    assert_eq!(x_groq.seed, Some(1234567));
    let cache = x_groq.usage.as_ref().expect("x_groq.usage");
    assert_eq!(cache.sram_cached_tokens, Some(256));
    assert_eq!(cache.dram_cached_tokens, Some(128));
    let debug = x_groq.debug.as_ref().expect("x_groq.debug");
    assert_eq!(debug.input_token_ids, [128000, 9906]);
    assert_eq!(debug.input_tokens, ["<|begin_of_text|>", "Hello"]);
    assert_eq!(debug.output_token_ids, [13347]);
    assert_eq!(debug.output_tokens, ["Paris"]);
    assert_eq!(completion.service_tier, Some(ServiceTier::OnDemand));
    assert_eq!(
        completion.system_fingerprint.as_deref(),
        Some("fp_4d9a8e1a3b")
    );
}

#[test]
fn chat_completion_usage_timing_is_read() {
    let completion: ChatCompletion = serde_json::from_str(COMPOUND_COMPLETION).expect("parses");
    let usage = completion.usage.as_ref().expect("usage");
    assert_eq!(usage.prompt_tokens, 1204);
    assert_eq!(usage.completion_tokens, 96);
    assert_eq!(usage.total_tokens, 1300);
    assert_eq!(usage.queue_time, Some(0.034));
    assert_eq!(usage.prompt_time, Some(0.061));
    assert_eq!(usage.completion_time, Some(0.212));
    assert_eq!(usage.total_time, Some(0.273));
    assert_eq!(
        usage
            .prompt_tokens_details
            .as_ref()
            .map(|d| d.cached_tokens),
        Some(512)
    );
    assert_eq!(
        usage
            .completion_tokens_details
            .as_ref()
            .map(|d| d.reasoning_tokens),
        Some(40)
    );

    let breakdown = completion
        .usage_breakdown
        .as_ref()
        .expect("usage_breakdown");
    assert_eq!(breakdown.models.len(), 2);
    assert_eq!(breakdown.models[0].model, "llama-3.3-70b-versatile");
    assert_eq!(breakdown.models[0].usage.total_tokens, 960);
    assert_eq!(breakdown.models[0].usage.queue_time, Some(0.02));
    assert_eq!(breakdown.models[1].model, "openai/gpt-oss-120b");
    assert_eq!(breakdown.models[1].usage.prompt_tokens, 304);
    assert_eq!(breakdown.models[1].usage.queue_time, None);
}

#[test]
fn chat_completion_executed_tools_are_read() {
    let completion: ChatCompletion = serde_json::from_str(COMPOUND_COMPLETION).expect("parses");
    let message = &completion.choices[0].message;
    let tools = &message.executed_tools.as_ref().expect("executed_tools").0;
    assert_eq!(tools.len(), 2);

    let search = &tools[0];
    assert_eq!(search.index, 0);
    assert_eq!(search.type_, "search");
    assert_eq!(search.arguments, r#"{"query": "weather in Paris today"}"#);
    assert_eq!(search.output.as_deref(), Some("Paris: 18 °C, sunny"));
    let results = search.search_results.as_ref().expect("search_results");
    assert_eq!(results.results.len(), 1);
    assert_eq!(results.results[0].title.as_deref(), Some("Paris weather"));
    assert_eq!(
        results.results[0].url.as_deref(),
        Some("https://weather.example.com/paris")
    );
    assert_eq!(results.results[0].content.as_deref(), Some("Sunny, 18 °C"));
    assert_eq!(results.results[0].score, Some(0.91));
    assert_eq!(results.images, ["https://weather.example.com/sun.png"]);
    assert!(search.code_results.is_empty());

    let python = &tools[1];
    assert_eq!(python.index, 1);
    assert_eq!(python.type_, "python");
    assert!(python.search_results.is_none());
    let code = &python.code_results[0];
    assert_eq!(code.text.as_deref(), Some("chart ready"));
    assert_eq!(code.png.as_deref(), Some("iVBORw0KGgo="));
    let chart = code.chart.as_ref().expect("chart");
    assert_eq!(chart.type_, ChartType::Line);
    assert_eq!(chart.title.as_deref(), Some("Forecast"));
    assert_eq!(chart.x_ticks, [0.0, 1.0, 2.0]);
    assert_eq!(chart.x_tick_labels, ["Mon", "Tue", "Wed"]);
    assert_eq!(chart.elements[0].label, "max");
    assert_eq!(chart.elements[0].points[1], [1.0, 21.5]);
}

#[test]
fn chat_completion_reasoning_and_annotations_are_read() {
    let completion: ChatCompletion = serde_json::from_str(COMPOUND_COMPLETION).expect("parses");
    let message = &completion.choices[0].message;
    assert_eq!(completion.choices[0].finish_reason, FinishReason::Stop);
    assert_eq!(
        message.reasoning.as_deref(),
        Some("The user wants the weather. I searched and then plotted the forecast.")
    );
    assert_eq!(
        completion.content(),
        Some("Paris is 18 °C and sunny [1]; the chart shows the week.")
    );

    assert_eq!(message.annotations.len(), 2);
    let document = &message.annotations[0];
    assert_eq!(document.type_, AnnotationType::DocumentCitation);
    let citation = document
        .document_citation
        .as_ref()
        .expect("document_citation");
    assert_eq!(citation.document_id, "doc-weather");
    assert_eq!((citation.start_index, citation.end_index), (0, 22));
    assert!(document.function_citation.is_none());

    let function = &message.annotations[1];
    assert_eq!(function.type_, AnnotationType::FunctionCitation);
    let citation = function
        .function_citation
        .as_ref()
        .expect("function_citation");
    assert_eq!(citation.tool_call_id, "call_search_0");
    assert_eq!((citation.start_index, citation.end_index), (23, 26));
    assert!(function.document_citation.is_none());
}

#[test]
fn chat_completion_with_groq_extras_round_trips() {
    let completion: ChatCompletion = serde_json::from_str(COMPOUND_COMPLETION).expect("parses");
    let (_, value) = round_trip(&completion);
    // Nothing is lost: the JSON written equals the JSON read (`logprobs` is required and nullable).
    let original: Value = serde_json::from_str(COMPOUND_COMPLETION).expect("JSON");
    assert_eq!(value, original);
}

const LAST_CHUNK: &str = r#"{
  "id": "chatcmpl-7b1f3e2a-9c4d-4f1e-8a2b-3c4d5e6f7a8b",
  "object": "chat.completion.chunk",
  "created": 1752000000,
  "model": "compound-beta",
  "system_fingerprint": "fp_4d9a8e1a3b",
  "choices": [
    {"index": 0, "delta": {"role": "assistant", "content": "."}, "logprobs": null, "finish_reason": "stop"}
  ],
  "x_groq": {
    "id": "req_01jz8x7v3ye7qs5a6n9h1w2k3m",
    "seed": 987654,
    "usage": {
      "queue_time": 0.012,
      "prompt_tokens": 30,
      "prompt_time": 0.004,
      "completion_tokens": 12,
      "completion_time": 0.019,
      "total_tokens": 42,
      "total_time": 0.023
    },
    "usage_breakdown": {
      "models": [
        {"model": "llama-3.3-70b-versatile", "usage": {"prompt_tokens": 30, "completion_tokens": 12, "total_tokens": 42}}
      ]
    },
    "error": "stream interrupted: upstream timeout",
    "debug": {
      "input_token_ids": [128000],
      "input_tokens": ["<|begin_of_text|>"],
      "output_token_ids": [13, 128009],
      "output_tokens": [".", "<|eot_id|>"]
    }
  }
}"#;

#[test]
fn stream_chunk_x_groq_is_read() {
    let chunk: ChatCompletionChunk = serde_json::from_str(LAST_CHUNK).expect("parses");
    assert_eq!(chunk.choices[0].finish_reason, Some(FinishReason::Stop));
    assert_eq!(
        chunk.choices[0].delta.role,
        Some(StreamDeltaRole::Assistant)
    );
    assert_eq!(chunk.delta_content(), Some("."));

    let x_groq = chunk.x_groq.as_ref().expect("x_groq");
    assert_eq!(x_groq.id.as_deref(), Some("req_01jz8x7v3ye7qs5a6n9h1w2k3m"));
    assert_eq!(x_groq.seed, Some(987654));
    assert_eq!(
        x_groq.error.as_deref(),
        Some("stream interrupted: upstream timeout")
    );
    let usage = x_groq.usage.as_ref().expect("x_groq.usage");
    // Groq's place for it is what `stream_usage()` gives when there is no top-level `usage`.
    assert!(chunk.usage.is_none());
    assert_eq!(chunk.stream_usage(), Some(usage));
    assert_eq!(
        (
            usage.prompt_tokens,
            usage.completion_tokens,
            usage.total_tokens
        ),
        (30, 12, 42)
    );
    assert_eq!(usage.queue_time, Some(0.012));
    assert_eq!(usage.prompt_time, Some(0.004));
    assert_eq!(usage.completion_time, Some(0.019));
    assert_eq!(usage.total_time, Some(0.023));
    let breakdown = x_groq.usage_breakdown.as_ref().expect("usage_breakdown");
    assert_eq!(breakdown.models[0].model, "llama-3.3-70b-versatile");
    assert_eq!(breakdown.models[0].usage.total_tokens, 42);
    let debug = x_groq.debug.as_ref().expect("debug");
    assert_eq!(debug.output_tokens, [".", "<|eot_id|>"]);
    assert_eq!(debug.output_token_ids, [13, 128009]);
}

#[test]
fn stream_chunk_error_is_the_stream_error() {
    use groq_types::sdk::StreamItem as _;
    let chunk: ChatCompletionChunk = serde_json::from_str(LAST_CHUNK).expect("parses");
    assert_eq!(
        chunk.stream_error(),
        Some("stream interrupted: upstream timeout")
    );
    let mut quiet: Value = serde_json::from_str(LAST_CHUNK).expect("JSON");
    quiet["x_groq"] = json!({"id": "req_1"});
    let quiet: ChatCompletionChunk = serde_json::from_value(quiet).expect("parses");
    assert_eq!(quiet.stream_error(), None);
}

#[test]
fn stream_chunk_with_groq_extras_round_trips() {
    let chunk: ChatCompletionChunk = serde_json::from_str(LAST_CHUNK).expect("parses");
    let (_, value) = round_trip(&chunk);
    // Only `logprobs: null` (optional on a chunk choice) is left out.
    let mut original: Value = serde_json::from_str(LAST_CHUNK).expect("JSON");
    original["choices"][0]
        .as_object_mut()
        .expect("choice")
        .remove("logprobs");
    assert_eq!(value, original);
}

#[test]
fn first_chunk_without_x_groq_usage_round_trips() {
    let first = json!({
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1752000000,
        "model": "llama-3.3-70b-versatile",
        "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": null}],
        "x_groq": {"id": "req_01jz8x7v3ye7qs5a6n9h1w2k3m"}
    });
    let chunk: ChatCompletionChunk = serde_json::from_value(first).expect("parses");
    let x_groq = chunk.x_groq.as_ref().expect("x_groq");
    assert!(x_groq.usage.is_none() && x_groq.error.is_none() && x_groq.seed.is_none());
    let (_, value) = round_trip(&chunk);
    assert_eq!(
        value["x_groq"],
        json!({"id": "req_01jz8x7v3ye7qs5a6n9h1w2k3m"})
    );
    assert_eq!(value["choices"][0]["delta"]["content"], json!(""));
}

#[test]
fn a_stream_chunk_stays_small_and_its_boxed_fields_take_plain_values() {
    // Each chunk is moved several times between the decoder and the caller: the fields present on the
    // last chunk only (`usage`, `x_groq`) are boxed so that the others do not carry their room.
    let size = std::mem::size_of::<ChatCompletionChunk>();
    assert!(size <= 160, "a chunk is {size} bytes");

    let usage = groq_types::CompletionUsage::builder()
        .prompt_tokens(3)
        .completion_tokens(2)
        .total_tokens(5)
        .build()
        .expect("every required field is set");
    let chunk = ChatCompletionChunk::builder()
        .choices(Vec::new())
        .created(1)
        .id("chatcmpl-1")
        .model("llama-3.3-70b-versatile")
        .usage(usage.clone())
        .x_groq(groq_types::XGroq::default().id("req_1"))
        .build()
        .expect("every required field is set");
    assert_eq!(chunk.usage.as_deref(), Some(&usage));
    assert_eq!(
        chunk.x_groq.as_ref().and_then(|x| x.id.as_deref()),
        Some("req_1")
    );
    let (_, value) = round_trip(&chunk);
    assert_eq!(value["usage"]["total_tokens"], json!(5));
    assert_eq!(value["x_groq"], json!({"id": "req_1"}));
}

#[test]
fn decoded_lists_take_room_for_what_they_hold() {
    // serde would give a one-element list room for four: a chunk's one 272-byte choice in 1 088 bytes.
    let chunk: ChatCompletionChunk = serde_json::from_value(json!({
        "id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1,
        "model": "llama-3.3-70b-versatile",
        "choices": [{"index": 0, "delta": {"tool_calls": [
            {"index": 0, "id": "call_1", "type": "function", "function": {"name": "f", "arguments": ""}}
        ]}, "finish_reason": null, "logprobs": {"content": [
            {"token": "a", "logprob": -0.5, "bytes": [97], "top_logprobs": []}
        ]}}]
    }))
    .expect("a valid chunk");
    let text = serde_json::to_string(&chunk).expect("serialisable");
    // From text, as a stream decodes it: JSON does not say how long a list is.
    let chunk: ChatCompletionChunk = serde_json::from_str(&text).expect("a valid chunk");
    assert_eq!(chunk.choices.len(), 1);
    assert_eq!(chunk.choices.capacity(), 1);
    let choice = &chunk.choices[0];
    assert_eq!(choice.delta.tool_calls.capacity(), 1);
    let logprobs = choice.logprobs.as_ref().and_then(|l| l.content.as_ref());
    assert_eq!(logprobs.map(Vec::capacity), Some(1));
    assert_eq!(
        logprobs
            .and_then(|l| l[0].bytes.as_ref())
            .map(Vec::capacity),
        Some(1)
    );
    // Nothing else changed: the chunk reads back to what was written.
    assert_eq!(serde_json::to_string(&chunk).expect("serialisable"), text);
}
