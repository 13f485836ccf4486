//! Chat completions as the demo server writes them: plain answers (honouring the system prompt, stop
//! sequences and `max_completion_tokens`), tool calls when tools are offered, answers built from tool
//! results, JSON for `response_format`, reasoning (`reasoning_format`, `include_reasoning`), Compound's
//! `executed_tools`, guard-model verdicts and prefilled answers; and their split into stream chunks.

use super::answers::{new_id, now};
use super::instance;
use serde_json::{json, Map, Value};

/// A request the API would refuse after validation (a rule the schema cannot express).
pub struct Refusal {
    /// The field at fault.
    pub param: &'static str,
    /// What is wrong.
    pub message: String,
}

/// Writes the completion answering a (validated) chat request.
pub fn completion(request: &Value) -> Result<Value, Refusal> {
    let model = text_of(request.get("model"));
    let messages = request
        .get("messages")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let last = messages.last().cloned().unwrap_or_default();
    let role = text_of(last.get("role"));
    let user = messages
        .iter()
        .rev()
        .find(|m| text_of(m.get("role")) == "user")
        .cloned()
        .unwrap_or_default();
    let question = content_text(user.get("content"));
    let system = messages
        .iter()
        .find(|m| matches!(text_of(m.get("role")).as_str(), "system" | "developer"))
        .map(|m| content_text(m.get("content")));
    let tools = offered_tools(request);

    if request
        .get("reasoning_format")
        .is_some_and(|v| !v.is_null())
        && request
            .get("include_reasoning")
            .is_some_and(|v| !v.is_null())
    {
        return Err(Refusal {
            param: "reasoning_format",
            message: "`reasoning_format` and `include_reasoning` cannot be used together".into(),
        });
    }

    let mut message = Map::new();
    message.insert("role".into(), "assistant".into());
    let mut finish = "stop";
    let mut content: Option<String> = None;

    if model.contains("guard") {
        content = Some(moderation(&question));
    } else if !tools.is_empty() && role != "tool" {
        let calls = tool_calls(request, &tools, &question);
        message.insert("tool_calls".into(), Value::Array(calls));
        finish = "tool_calls";
    } else if role == "tool" {
        content = Some(from_tool_results(&messages));
    } else if role == "assistant" {
        content = Some(continuation(&content_text(last.get("content"))));
    } else if let Some(schema) = json_schema(request) {
        content = Some(instance::of(&schema).to_string());
    } else if json_object(request) {
        content =
            Some(json!({ "question": question, "answer": reply(&question, None) }).to_string());
    } else {
        let images = images(user.get("content"))?;
        let mut text = reply(&question, system.as_deref());
        if !images.is_empty() {
            text = format!("I see {}. {text}", images.join(" and "));
        }
        content = Some(text);
    }

    if model.starts_with("groq/compound") || model.starts_with("compound") {
        let (tool, answer) = web_search(request, &question);
        message.insert("executed_tools".into(), json!([tool]));
        content = Some(answer);
    }
    if let Some(text) = content.as_mut() {
        if let Some(cut) = stop_at(request, text) {
            text.truncate(cut);
        }
        if let Some(max) = request.get("max_completion_tokens").and_then(Value::as_u64) {
            let words: Vec<&str> = text.split_inclusive(' ').collect();
            if words.len() as u64 > max {
                *text = words[..max as usize].concat();
                finish = "length";
            }
        }
    }
    let reasoning = format!("The user asks: \"{question}\". The demo server answers the same way every time, so I will keep it short.");
    match (
        request.get("reasoning_format").and_then(Value::as_str),
        request.get("include_reasoning").and_then(Value::as_bool),
    ) {
        (Some("parsed"), _) | (None, Some(true)) => {
            message.insert("reasoning".into(), reasoning.into());
        }
        (Some("raw"), _) => {
            if let Some(text) = content.as_mut() {
                *text = format!("<think>\n{reasoning}\n</think>\n\n{text}");
            }
        }
        (None, None) if model.starts_with("openai/gpt-oss") => {
            message.insert("reasoning".into(), reasoning.into());
        }
        _ => {}
    }
    message.insert(
        "content".into(),
        content.clone().map_or(Value::Null, Value::from),
    );

    let prompt_words: usize = messages
        .iter()
        .map(|m| content_text(m.get("content")).split_whitespace().count())
        .sum();
    let prompt_tokens = (prompt_words * 4 / 3 + 8) as u64;
    let completion_tokens = (content
        .as_deref()
        .unwrap_or("{}")
        .split_whitespace()
        .count()
        * 4
        / 3
        + 2) as u64;
    let usage = json!({
        "queue_time": 0.018,
        "prompt_tokens": prompt_tokens,
        "prompt_time": 0.004,
        "completion_tokens": completion_tokens,
        "completion_time": completion_tokens as f64 / 500.0,
        "total_tokens": prompt_tokens + completion_tokens,
        "total_time": 0.004 + completion_tokens as f64 / 500.0,
    });
    Ok(json!({
        "id": format!("chatcmpl-{}", new_id("")),
        "object": "chat.completion",
        "created": now(),
        "model": model,
        "choices": [{ "index": 0, "message": message, "logprobs": null, "finish_reason": finish }],
        "usage": usage,
        "system_fingerprint": "fp_demo0000",
        "x_groq": { "id": new_id("req_") },
        "service_tier": request.get("service_tier").cloned().unwrap_or_else(|| "on_demand".into()),
    }))
}

/// Splits a completion into the chunks of its stream: the role first, then the reasoning and the
/// content a few words at a time, the tool calls, and a last chunk with the finish reason and the usage.
pub fn chunks(completion: &Value) -> Vec<Value> {
    let choice = &completion["choices"][0];
    let message = &choice["message"];
    let base = |delta: Value, finish: Value| {
        json!({
            "id": completion["id"],
            "object": "chat.completion.chunk",
            "created": completion["created"],
            "model": completion["model"],
            "system_fingerprint": completion["system_fingerprint"],
            "choices": [{ "index": 0, "delta": delta, "logprobs": null, "finish_reason": finish }],
        })
    };
    let mut first = base(json!({ "role": "assistant", "content": "" }), Value::Null);
    first["x_groq"] = json!({ "id": completion["x_groq"]["id"] });
    let mut out = vec![first];
    for (field, text) in [
        ("reasoning", &message["reasoning"]),
        ("content", &message["content"]),
    ] {
        let words: Vec<&str> = text.as_str().unwrap_or("").split_inclusive(' ').collect();
        for piece in words.chunks(3) {
            out.push(base(json!({ field: piece.concat() }), Value::Null));
        }
    }
    if let Some(tools) = message.get("executed_tools") {
        out.push(base(json!({ "executed_tools": tools }), Value::Null));
    }
    if let Some(calls) = message.get("tool_calls").and_then(Value::as_array) {
        let indexed: Vec<Value> = calls
            .iter()
            .enumerate()
            .map(|(i, call)| {
                let mut call = call.clone();
                call["index"] = i.into();
                call
            })
            .collect();
        out.push(base(json!({ "tool_calls": indexed }), Value::Null));
    }
    let mut last = base(json!({}), choice["finish_reason"].clone());
    // Where Groq puts it: in `x_groq` only, as the published description has it.
    last["x_groq"] = json!({ "id": completion["x_groq"]["id"], "usage": completion["usage"] });
    out.push(last);
    out
}

fn text_of(value: Option<&Value>) -> String {
    value.and_then(Value::as_str).unwrap_or_default().to_owned()
}

/// The text of a message's content: a string, or the text parts of an array.
fn content_text(content: Option<&Value>) -> String {
    match content {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join(" "),
        _ => String::new(),
    }
}

/// Describes the images of a user message; an inline image that is not base64 is refused, as the API does.
fn images(content: Option<&Value>) -> Result<Vec<String>, Refusal> {
    use base64::Engine;
    let mut out = Vec::new();
    for part in content.and_then(Value::as_array).into_iter().flatten() {
        let Some(url) = part.pointer("/image_url/url").and_then(Value::as_str) else {
            continue;
        };
        if let Some(rest) = url.strip_prefix("data:") {
            let (kind, data) = rest.split_once(";base64,").unwrap_or(("", ""));
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(data)
                .map_err(|err| Refusal {
                    param: "messages",
                    message: format!("the inline image is not valid base64: {err}"),
                })?;
            out.push(format!("an inline {kind} image of {} bytes", bytes.len()));
        } else {
            let host = url.split('/').nth(2).unwrap_or(url);
            out.push(format!("an image from {host}"));
        }
    }
    Ok(out)
}

fn reply(question: &str, system: Option<&str>) -> String {
    let lower = question.to_lowercase();
    if lower.contains("count") {
        return (1..=10)
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(", ");
    }
    let mut text = format!(
        "(demo server) You asked: \"{question}\". With GROQ_API_KEY set and GROQ_BASE_URL unset, \
         a Groq model answers here."
    );
    if let Some(system) = system {
        text.push_str(&format!(" (System prompt received: \"{system}\")"));
    }
    text
}

fn moderation(text: &str) -> String {
    const UNSAFE: [&str; 7] = [
        "hack", "bomb", "kill", "weapon", "steal", "poison", "malware",
    ];
    let lower = text.to_lowercase();
    if UNSAFE.iter().any(|w| lower.contains(w)) {
        "unsafe\nS2".into()
    } else {
        "safe".into()
    }
}

/// What follows a prefilled assistant message: code after an opening fence, else a sentence.
fn continuation(prefix: &str) -> String {
    match prefix.trim().strip_prefix("```") {
        Some("json") => "\n{\n  \"title\": \"Demo\",\n  \"rating\": 5\n}\n```".into(),
        Some(_) => "\nfn main() {\n    println!(\"Hello from the demo server\");\n}\n```".into(),
        None => " and the demo server carries on from the prefilled text.".into(),
    }
}

fn stop_at(request: &Value, text: &str) -> Option<usize> {
    let stops: Vec<&str> = match request.get("stop") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => return None,
    };
    stops.iter().filter_map(|s| text.find(s)).min()
}

fn json_object(request: &Value) -> bool {
    request
        .pointer("/response_format/type")
        .and_then(Value::as_str)
        == Some("json_object")
}

fn json_schema(request: &Value) -> Option<Value> {
    let format = request.get("response_format")?;
    (format.get("type")?.as_str()? == "json_schema").then(|| {
        format
            .pointer("/json_schema/schema")
            .cloned()
            .unwrap_or_default()
    })
}

/// The function tools a request offers, narrowed by `tool_choice` (`none` offers none).
fn offered_tools(request: &Value) -> Vec<Value> {
    let all: Vec<Value> = request
        .get("tools")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|t| t.get("function").is_some())
        .collect();
    match request.get("tool_choice") {
        Some(Value::String(choice)) if choice == "none" => Vec::new(),
        Some(choice @ Value::Object(_)) => {
            let name = choice.pointer("/function/name");
            all.into_iter()
                .filter(|t| t.pointer("/function/name") == name)
                .collect()
        }
        _ => all,
    }
}

const CITIES: [&str; 7] = [
    "New York",
    "London",
    "Tokyo",
    "Paris",
    "Sydney",
    "San Francisco",
    "Berlin",
];

/// Calls for every offered tool: one per city the question names (several in parallel unless
/// `parallel_tool_calls` is false), with arguments that follow the tool's parameter schema.
fn tool_calls(request: &Value, tools: &[Value], question: &str) -> Vec<Value> {
    let mut cities: Vec<&str> = CITIES
        .iter()
        .copied()
        .filter(|c| question.contains(c))
        .collect();
    cities.sort_by_key(|c| question.find(c));
    let mut calls = Vec::new();
    for tool in tools {
        let function = &tool["function"];
        let schema = function.get("parameters").cloned().unwrap_or_default();
        let places: Vec<Option<&str>> = if cities.is_empty() {
            vec![None]
        } else {
            cities.iter().map(|c| Some(*c)).collect()
        };
        for place in places {
            let arguments = instance::arguments(&schema, place, &math(question));
            calls.push(json!({
                "id": new_id("call_"),
                "type": "function",
                "function": { "name": function["name"], "arguments": arguments.to_string() },
            }));
        }
    }
    if request.get("parallel_tool_calls") == Some(&Value::Bool(false)) {
        calls.truncate(1);
    }
    calls
}

/// The longest run of a question that looks like arithmetic (`25 * 4 + 10`).
fn math(question: &str) -> String {
    question
        .split(|c: char| !(c.is_ascii_digit() || " +-*/().".contains(c)))
        .filter(|run| run.chars().any(|c| c.is_ascii_digit()))
        .max_by_key(|run| run.len())
        .unwrap_or("")
        .trim()
        .to_owned()
}

/// An answer built from the tool results that end the conversation, naming each call.
fn from_tool_results(messages: &[Value]) -> String {
    let mut calls = Map::new();
    for message in messages {
        for call in message
            .get("tool_calls")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = call.pointer("/function/name").cloned().unwrap_or_default();
            let args = call
                .pointer("/function/arguments")
                .and_then(Value::as_str)
                .unwrap_or("");
            let label = format!("{}({args})", name.as_str().unwrap_or("tool"));
            calls.insert(text_of(call.get("id")), label.into());
        }
    }
    let results: Vec<String> = messages
        .iter()
        .rev()
        .take_while(|m| text_of(m.get("role")) == "tool")
        .map(|m| {
            let call = calls
                .get(&text_of(m.get("tool_call_id")))
                .and_then(Value::as_str)
                .unwrap_or("a tool");
            format!("{call} returned {}", content_text(m.get("content")))
        })
        .collect();
    let mut results = results;
    results.reverse();
    format!("According to the tools: {}.", results.join("; "))
}

/// Compound's web search: the tool run (honouring `search_settings`) and an answer citing it.
fn web_search(request: &Value, question: &str) -> (Value, String) {
    let settings = request.get("search_settings").cloned().unwrap_or_default();
    let list = |key: &str| -> Vec<String> {
        settings
            .get(key)
            .or_else(|| request.get(key))
            .and_then(Value::as_array)
            .map(|l| {
                l.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    let excluded = list("exclude_domains");
    let mut domains = list("include_domains");
    if domains.is_empty() {
        domains = vec![
            "groq.com".into(),
            "wikipedia.org".into(),
            "example.com".into(),
        ];
    }
    domains.retain(|d| !excluded.contains(d));
    let results: Vec<Value> = domains
        .iter()
        .enumerate()
        .map(|(i, domain)| {
            json!({
                "title": format!("Result {} from {domain}", i + 1),
                "url": format!("https://{}/search-result-{}", domain.trim_start_matches("*."), i + 1),
                "content": format!("What {domain} says about: {question}"),
                "score": 0.9 - i as f64 * 0.1,
            })
        })
        .collect();
    let sources: Vec<&str> = results
        .iter()
        .filter_map(|r| r.get("url").and_then(Value::as_str))
        .collect();
    let answer = format!(
        "The demo server searched the web for \"{question}\" and found {} source(s): {}.",
        sources.len(),
        sources.join(", ")
    );
    let tool = json!({
        "index": 0,
        "type": "search",
        "arguments": json!({ "query": question }).to_string(),
        "output": answer,
        "search_results": { "results": results },
    });
    (tool, answer)
}
