//! Audio answers: speech as real audio bytes (a WAV tone, or μ-law samples), transcriptions and
//! translations as text, JSON or verbose JSON (segments, and words when asked), timed on the upload's
//! length.

use super::answers::{json_answer, new_id, Answer, Failure, Payload};
use super::multipart::Form;
use serde_json::{json, Value};

/// The words every demo transcript says.
const TRANSCRIPT: &str =
    "Hello from the Groq demo server. This transcript stands in for what your audio says.";

/// Speech for `input`: a tone as long as the text takes to say, in the requested format.
pub fn speech(body: &Value) -> Result<Answer, Failure> {
    let words = body["input"]
        .as_str()
        .unwrap_or_default()
        .split_whitespace()
        .count();
    let rate = body["sample_rate"].as_u64().unwrap_or(48_000) as u32;
    let seconds = (words as f64 * 0.3).clamp(0.5, 5.0);
    let format = body["response_format"].as_str().unwrap_or("mp3");
    let samples = tone(rate, seconds);
    let (content_type, bytes) = match format {
        "wav" => ("audio/wav", wav(rate, &samples)),
        "mulaw" => ("audio/basic", samples.iter().map(|s| mulaw(*s)).collect()),
        other => {
            return Err(Failure::bad(
                "response_format",
                format!("the demo server writes `wav` and `mulaw` audio only, not `{other}`"),
            ))
        }
    };
    Ok(Answer {
        status: 200,
        content_type: content_type.into(),
        payload: Payload::Full(bytes),
        headers: Vec::new(),
    })
}

/// A transcription (`task` `transcribe`) or translation (`translate`) of the form's audio.
pub fn transcribe(task: &str, fields: &Value, form: &Form) -> Result<Answer, Failure> {
    let file = form.file("file");
    let duration = match (file, fields.get("url")) {
        (Some(_), Some(_)) => {
            return Err(Failure::bad("url", "send either `file` or `url`, not both"))
        }
        (None, None) => return Err(Failure::bad("file", "either `file` or `url` is required")),
        (Some(file), None) => wav_seconds(&file.data).unwrap_or(file.data.len() as f64 / 16_000.0),
        (None, Some(_)) => 5.0,
    }
    .max(1.0);
    let format = fields["response_format"].as_str().unwrap_or("json");
    let granularities: Vec<&str> = fields["timestamp_granularities"]
        .as_array()
        .map(|l| l.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if !granularities.is_empty() && format != "verbose_json" {
        return Err(Failure::bad(
            "timestamp_granularities",
            "timestamp_granularities needs response_format `verbose_json`",
        ));
    }
    let x_groq = json!({ "id": new_id("req_") });
    match format {
        "text" => Ok(Answer {
            status: 200,
            content_type: "text/plain; charset=utf-8".into(),
            payload: Payload::Full(format!("{TRANSCRIPT}\n").into_bytes()),
            headers: Vec::new(),
        }),
        "verbose_json" => {
            let mut answer = json!({
                "task": task,
                "language": if task == "translate" { "English".to_owned() } else {
                    fields["language"].as_str().unwrap_or("English").to_owned()
                },
                "duration": duration,
                "text": TRANSCRIPT,
                "segments": segments(duration),
                "x_groq": x_groq,
            });
            if granularities.contains(&"word") {
                answer["words"] = words(duration);
            }
            Ok(json_answer(200, &answer))
        }
        _ => Ok(json_answer(
            200,
            &json!({ "text": TRANSCRIPT, "x_groq": x_groq }),
        )),
    }
}

fn segments(duration: f64) -> Value {
    let sentences: Vec<&str> = TRANSCRIPT.split_inclusive(". ").collect();
    let step = duration / sentences.len() as f64;
    let list: Vec<Value> = sentences
        .iter()
        .enumerate()
        .map(|(i, text)| {
            json!({
                "id": i,
                "seek": 0,
                "start": round(i as f64 * step),
                "end": round((i + 1) as f64 * step),
                "text": format!(" {}", text.trim()),
                "tokens": (0..text.split_whitespace().count()).map(|t| 50_364 + t).collect::<Vec<_>>(),
                "temperature": 0.0,
                "avg_logprob": -0.21,
                "compression_ratio": 1.1,
                "no_speech_prob": 0.01,
            })
        })
        .collect();
    Value::Array(list)
}

fn words(duration: f64) -> Value {
    let words: Vec<&str> = TRANSCRIPT.split_whitespace().collect();
    let step = duration / words.len() as f64;
    let list: Vec<Value> = words
        .iter()
        .enumerate()
        .map(|(i, word)| {
            json!({
                "word": word.trim_matches(|c: char| !c.is_alphanumeric()),
                "start": round(i as f64 * step),
                "end": round((i + 1) as f64 * step),
            })
        })
        .collect();
    Value::Array(list)
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A 440 Hz tone, 16-bit mono.
fn tone(rate: u32, seconds: f64) -> Vec<i16> {
    let count = (f64::from(rate) * seconds) as usize;
    (0..count)
        .map(|n| {
            let t = n as f64 / f64::from(rate);
            ((t * 440.0 * std::f64::consts::TAU).sin() * 8000.0) as i16
        })
        .collect()
}

/// A WAV file of 16-bit mono samples.
pub fn wav(rate: u32, samples: &[i16]) -> Vec<u8> {
    let data_len = (samples.len() * 2) as u32;
    let mut out = Vec::with_capacity(44 + data_len as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&(rate * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for sample in samples {
        out.extend_from_slice(&sample.to_le_bytes());
    }
    out
}

/// A short spoken-length WAV for the examples to upload (the demo writes it as `audio.wav`).
pub fn sample_wav() -> Vec<u8> {
    wav(16_000, &tone(16_000, 3.0))
}

/// The length of a PCM WAV file, from its header.
fn wav_seconds(bytes: &[u8]) -> Option<f64> {
    if bytes.len() < 44 || &bytes[..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        return None;
    }
    let byte_rate = u32::from_le_bytes(bytes[28..32].try_into().ok()?);
    (byte_rate > 0).then(|| (bytes.len() - 44) as f64 / f64::from(byte_rate))
}

/// G.711 μ-law encoding of one sample.
fn mulaw(sample: i16) -> u8 {
    const BIAS: i32 = 0x84;
    let mut s = i32::from(sample);
    let sign = if s < 0 {
        s = -s;
        0x80
    } else {
        0
    };
    s = (s + BIAS).min(0x7fff);
    let exponent = (7 - (s.leading_zeros() as i32 - 17)).clamp(0, 7);
    let mantissa = (s >> (exponent + 3)) & 0x0f;
    !((sign | (exponent << 4) | mantissa) as u8)
}
