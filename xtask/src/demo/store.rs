//! The demo server's state: uploaded files and batches. A batch moves one state further each time it is
//! retrieved (validating → in_progress → completed, or cancelling → cancelled); on completion every line
//! of its input file is answered (the body validated as a chat request, then completed) into an output
//! file, and lines that fail go to an error file.

use super::answers::{new_id, now, Failure};
use super::chat;
use super::validate::Spec;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// A stored file: its metadata object and bytes.
struct StoredFile {
    meta: Value,
    bytes: Vec<u8>,
}

/// Files and batches, in creation order.
#[derive(Default)]
pub struct Store {
    files: BTreeMap<String, StoredFile>,
    batches: BTreeMap<String, Value>,
}

impl Store {
    /// Stores an upload; a `batch` file must be JSONL (one JSON object per line), as the API checks.
    pub fn upload(
        &mut self,
        filename: &str,
        purpose: &str,
        bytes: Vec<u8>,
    ) -> Result<Value, Failure> {
        if purpose == "batch" {
            let text = String::from_utf8_lossy(&bytes);
            for (n, line) in text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
            {
                if !serde_json::from_str::<Value>(line).is_ok_and(|v| v.is_object()) {
                    return Err(Failure::bad(
                        "file",
                        format!("line {} of {filename} is not a JSON object", n + 1),
                    ));
                }
            }
        }
        Ok(self.add_file(filename, purpose, bytes))
    }

    fn add_file(&mut self, filename: &str, purpose: &str, bytes: Vec<u8>) -> Value {
        let id = new_id("file_");
        let meta = json!({
            "id": id,
            "object": "file",
            "bytes": bytes.len(),
            "created_at": now(),
            "filename": filename,
            "purpose": purpose,
        });
        self.files.insert(
            id,
            StoredFile {
                meta: meta.clone(),
                bytes,
            },
        );
        meta
    }

    /// Every file's metadata.
    pub fn list_files(&self) -> Value {
        let data: Vec<&Value> = self.files.values().map(|f| &f.meta).collect();
        json!({ "object": "list", "data": data })
    }

    /// One file's metadata.
    pub fn file(&self, id: &str) -> Result<Value, Failure> {
        self.stored(id).map(|f| f.meta.clone())
    }

    /// One file's bytes.
    pub fn content(&self, id: &str) -> Result<Vec<u8>, Failure> {
        self.stored(id).map(|f| f.bytes.clone())
    }

    /// Removes a file.
    pub fn delete_file(&mut self, id: &str) -> Result<Value, Failure> {
        self.stored(id)?;
        self.files.remove(id);
        Ok(json!({ "id": id, "object": "file", "deleted": true }))
    }

    fn stored(&self, id: &str) -> Result<&StoredFile, Failure> {
        self.files
            .get(id)
            .ok_or_else(|| Failure::not_found("file_not_found", format!("file `{id}` not found")))
    }

    /// Starts a batch over an uploaded input file.
    pub fn create_batch(&mut self, request: &Value) -> Result<Value, Failure> {
        let input = request["input_file_id"].as_str().unwrap_or_default();
        let lines = match self.files.get(input) {
            Some(file) => String::from_utf8_lossy(&file.bytes)
                .lines()
                .filter(|l| !l.trim().is_empty())
                .count(),
            None => {
                return Err(Failure::bad(
                    "input_file_id",
                    format!("input file `{input}` does not exist"),
                ))
            }
        };
        let window = request["completion_window"].as_str().unwrap_or_default();
        let hours = match window.split_at(window.len().saturating_sub(1)) {
            (n, "h") => n.parse::<u64>().ok(),
            (n, "d") => n.parse::<u64>().ok().map(|d| d * 24),
            _ => None,
        };
        let Some(hours) = hours.filter(|h| (24..=168).contains(h)) else {
            return Err(Failure::bad(
                "completion_window",
                format!("completion_window `{window}` must be between 24h and 7d"),
            ));
        };
        let created = now();
        let batch = json!({
            "id": new_id("batch_"),
            "object": "batch",
            "endpoint": request["endpoint"],
            "errors": null,
            "input_file_id": input,
            "completion_window": window,
            "status": "validating",
            "created_at": created,
            "expires_at": created + hours * 3600,
            "request_counts": { "total": lines, "completed": 0, "failed": 0 },
            "metadata": request.get("metadata").cloned().unwrap_or(Value::Null),
        });
        self.batches.insert(
            batch["id"].as_str().unwrap_or_default().to_owned(),
            batch.clone(),
        );
        Ok(batch)
    }

    /// A batch, moved one state further.
    pub fn retrieve_batch(&mut self, id: &str, spec: &Spec) -> Result<Value, Failure> {
        let mut batch = self.batch(id)?;
        match batch["status"].as_str().unwrap_or_default() {
            "validating" => {
                batch["status"] = "in_progress".into();
                batch["in_progress_at"] = now().into();
            }
            "in_progress" => self.complete(&mut batch, spec),
            "cancelling" => {
                batch["status"] = "cancelled".into();
                batch["cancelled_at"] = now().into();
            }
            _ => {}
        }
        self.batches.insert(id.to_owned(), batch.clone());
        Ok(batch)
    }

    /// Asks a batch to stop.
    pub fn cancel_batch(&mut self, id: &str) -> Result<Value, Failure> {
        let mut batch = self.batch(id)?;
        if matches!(batch["status"].as_str(), Some("validating" | "in_progress")) {
            batch["status"] = "cancelling".into();
            batch["cancelling_at"] = now().into();
            self.batches.insert(id.to_owned(), batch.clone());
        }
        Ok(batch)
    }

    /// Every batch.
    pub fn list_batches(&self) -> Value {
        let data: Vec<&Value> = self.batches.values().collect();
        json!({ "object": "list", "data": data, "paging": { "next_cursor": null } })
    }

    fn batch(&self, id: &str) -> Result<Value, Failure> {
        self.batches
            .get(id)
            .cloned()
            .ok_or_else(|| Failure::not_found("batch_not_found", format!("batch `{id}` not found")))
    }

    /// Answers every line of the input file and records the output and error files.
    fn complete(&mut self, batch: &mut Value, spec: &Spec) {
        let input = batch["input_file_id"].as_str().unwrap_or_default();
        let text = self
            .files
            .get(input)
            .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
            .unwrap_or_default();
        let (mut output, mut errors) = (String::new(), String::new());
        let (mut completed, mut failed) = (0, 0);
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let request: Value = serde_json::from_str(line).unwrap_or_default();
            let custom_id = request.get("custom_id").cloned().unwrap_or(Value::Null);
            match answer_line(&request, spec) {
                Ok(body) => {
                    completed += 1;
                    let line = json!({
                        "id": new_id("batch_req_"),
                        "custom_id": custom_id,
                        "response": { "status_code": 200, "request_id": new_id("req_"), "body": body },
                        "error": null,
                    });
                    output.push_str(&format!("{line}\n"));
                }
                Err(failure) => {
                    failed += 1;
                    let line = json!({
                        "id": new_id("batch_req_"),
                        "custom_id": custom_id,
                        "response": {
                            "status_code": failure.status,
                            "request_id": new_id("req_"),
                            "body": failure.body(),
                        },
                        "error": null,
                    });
                    errors.push_str(&format!("{line}\n"));
                }
            }
        }
        let id = batch["id"].as_str().unwrap_or_default().to_owned();
        if !output.is_empty() {
            let file = self.add_file(
                &format!("{id}_output.jsonl"),
                "batch_output",
                output.into_bytes(),
            );
            batch["output_file_id"] = file["id"].clone();
        }
        if !errors.is_empty() {
            let file = self.add_file(
                &format!("{id}_error.jsonl"),
                "batch_output",
                errors.into_bytes(),
            );
            batch["error_file_id"] = file["id"].clone();
        }
        let at = now();
        batch["status"] = "completed".into();
        batch["finalizing_at"] = at.into();
        batch["completed_at"] = at.into();
        batch["request_counts"] =
            json!({ "total": completed + failed, "completed": completed, "failed": failed });
    }
}

/// One batch line answered as the synchronous endpoint would answer its body.
fn answer_line(line: &Value, spec: &Spec) -> Result<Value, Failure> {
    if line.get("method").and_then(Value::as_str) != Some("POST") {
        return Err(Failure::bad("method", "batch lines must use method POST"));
    }
    if line.get("url").and_then(Value::as_str) != Some("/v1/chat/completions") {
        return Err(Failure::bad(
            "url",
            "batch lines must call /v1/chat/completions",
        ));
    }
    let body = line.get("body").cloned().unwrap_or_default();
    let schema = spec
        .schema("CreateChatCompletionRequest")
        .cloned()
        .unwrap_or_default();
    spec.validate(&schema, &body, "body")
        .map_err(Failure::from)?;
    chat::completion(&body).map_err(|r| Failure::bad(r.param, r.message))
}
