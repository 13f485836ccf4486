//! Request validation against `openapi/groq.yaml`: the path and method must name an operation, path and
//! query parameters must have their declared types, and the body must have a declared content type and
//! match its schema (required fields, types, enums, ranges, unknown fields where
//! `additionalProperties: false`). Multipart forms are checked like JSON objects, each text field read as
//! the type its schema declares (`name[]` parts form arrays).
//!
//! This mirrors what the conformance tests get from Steady (`tests/src/steady.rs`), except that values out
//! of range and `null` for non-nullable fields are errors here, as they are for the real API.

use super::multipart::{self, Form};
use crate::spec;
use serde_json::{Map, Value};

/// The parts of an OpenAPI document the validator needs, with every operation indexed.
pub struct Spec {
    doc: Value,
    operations: Vec<Operation>,
}

/// One operation of the spec: method, path template and request body.
pub struct Operation {
    /// The `operationId`.
    pub id: String,
    method: String,
    segments: Vec<Segment>,
    parameters: Vec<Value>,
    body: Option<BodySpec>,
}

enum Segment {
    Literal(String),
    Param(String),
}

struct BodySpec {
    required: bool,
    /// Media type and schema, as declared.
    content: Vec<(String, Value)>,
}

/// A request that passed validation.
pub struct Valid<'s> {
    /// The operation it calls.
    pub operation: &'s Operation,
    /// Path parameters, percent-decoded.
    pub path_params: Vec<(String, String)>,
    /// The decoded body.
    pub body: Body,
}

impl Valid<'_> {
    /// The value of a path parameter (empty when absent, which validation rules out).
    pub fn param(&self, name: &str) -> &str {
        self.path_params
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// A decoded request body.
pub enum Body {
    /// No body (or one the operation does not take).
    None,
    /// A JSON document.
    Json(Value),
    /// A multipart form: its text fields as a JSON object (typed by the schema) and its file parts.
    Form(Value, Form),
}

impl Body {
    /// The JSON view of the body: the document, or the form's typed fields.
    pub fn json(&self) -> &Value {
        match self {
            Body::Json(value) | Body::Form(value, _) => value,
            Body::None => &Value::Null,
        }
    }
}

/// Why a request was refused: the status and the fields of Groq's error body.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    /// HTTP status (400, 404 or 405).
    pub status: u16,
    /// Human-readable message.
    pub message: String,
    /// The offending field or parameter, dotted (`messages.0.role`).
    pub param: Option<String>,
    /// Machine-readable code.
    pub code: &'static str,
}

impl Rejection {
    fn bad(param: impl Into<String>, message: impl Into<String>) -> Self {
        let param = param.into();
        let message = message.into();
        Rejection {
            status: 400,
            message: if param.is_empty() {
                message
            } else {
                format!("`{param}`: {message}")
            },
            param: (!param.is_empty()).then_some(param),
            code: "invalid_request_error",
        }
    }
}

impl Spec {
    /// Loads and indexes a spec file.
    pub fn load(path: &std::path::Path) -> Result<Self, String> {
        Self::from_doc(spec::load(path)?)
    }

    /// Indexes a parsed spec.
    pub fn from_doc(doc: Value) -> Result<Self, String> {
        let mut operations = Vec::new();
        let paths = doc
            .get("paths")
            .and_then(Value::as_object)
            .ok_or("the spec has no `paths`")?;
        for (template, item) in paths {
            let segments = template
                .split('/')
                .filter(|s| !s.is_empty())
                .map(
                    |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                        Some(name) => Segment::Param(name.to_owned()),
                        None => Segment::Literal(s.to_owned()),
                    },
                )
                .collect::<Vec<_>>();
            let shared = item.get("parameters").and_then(Value::as_array);
            for method in spec::METHODS {
                let Some(op) = item.get(method) else { continue };
                let mut parameters = Vec::new();
                for param in shared.into_iter().flatten().chain(
                    op.get("parameters")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten(),
                ) {
                    parameters.push(spec::resolve(&doc, param)?.0.clone());
                }
                let body = match op.get("requestBody") {
                    Some(body) => {
                        let body = spec::resolve(&doc, body)?.0;
                        let content = body
                            .get("content")
                            .and_then(Value::as_object)
                            .map(|c| {
                                c.iter()
                                    .map(|(media, v)| {
                                        (
                                            media.clone(),
                                            v.get("schema").cloned().unwrap_or_default(),
                                        )
                                    })
                                    .collect()
                            })
                            .unwrap_or_default();
                        Some(BodySpec {
                            required: body.get("required").and_then(Value::as_bool) == Some(true),
                            content,
                        })
                    }
                    None => None,
                };
                operations.push(Operation {
                    id: op
                        .get("operationId")
                        .and_then(Value::as_str)
                        .unwrap_or(method)
                        .to_owned(),
                    method: method.to_uppercase(),
                    segments: segments
                        .iter()
                        .map(|s| match s {
                            Segment::Literal(l) => Segment::Literal(l.clone()),
                            Segment::Param(p) => Segment::Param(p.clone()),
                        })
                        .collect(),
                    parameters,
                    body,
                });
            }
        }
        Ok(Spec { doc, operations })
    }

    /// The schema named `name` in `components.schemas`.
    pub fn schema(&self, name: &str) -> Option<&Value> {
        self.doc.pointer(&format!("/components/schemas/{name}"))
    }

    /// Validates a request; on success returns the operation and the decoded body.
    pub fn check(
        &self,
        method: &str,
        path: &str,
        query: Option<&str>,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<Valid<'_>, Rejection> {
        let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let mut path_known = false;
        let mut found = None;
        for op in &self.operations {
            if let Some(params) = match_path(&op.segments, &parts) {
                path_known = true;
                if op.method == method {
                    found = Some((op, params));
                    break;
                }
            }
        }
        let Some((operation, path_params)) = found else {
            return Err(if path_known {
                Rejection {
                    status: 405,
                    message: format!("{method} is not allowed on {path}"),
                    param: None,
                    code: "method_not_allowed",
                }
            } else {
                Rejection {
                    status: 404,
                    message: format!("Unknown request URL: {method} {path}. Please check the URL for typos, or see the docs at https://console.groq.com/docs/"),
                    param: None,
                    code: "unknown_url",
                }
            });
        };
        self.check_parameters(operation, &path_params, query)?;
        let body = self.check_body(operation, content_type, body)?;
        Ok(Valid {
            operation,
            path_params,
            body,
        })
    }

    fn check_parameters(
        &self,
        op: &Operation,
        path_params: &[(String, String)],
        query: Option<&str>,
    ) -> Result<(), Rejection> {
        let pairs: Vec<(String, String)> = query
            .unwrap_or("")
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (percent_decode(k, true), percent_decode(v, true))
            })
            .collect();
        for param in &op.parameters {
            let name = param.get("name").and_then(Value::as_str).unwrap_or("");
            let schema = param.get("schema").cloned().unwrap_or_default();
            let values: Vec<&str> = match param.get("in").and_then(Value::as_str) {
                Some("path") => path_params
                    .iter()
                    .filter(|(n, _)| n == name)
                    .map(|(_, v)| v.as_str())
                    .collect(),
                Some("query") => pairs
                    .iter()
                    .filter(|(n, _)| n == name || n.strip_suffix("[]") == Some(name))
                    .map(|(_, v)| v.as_str())
                    .collect(),
                _ => continue,
            };
            if values.is_empty() {
                if param.get("required").and_then(Value::as_bool) == Some(true) {
                    return Err(Rejection::bad(name, "is required"));
                }
                continue;
            }
            let value = if self.type_of(&schema) == Some("array") {
                let items = schema.get("items").cloned().unwrap_or_default();
                Value::Array(values.iter().map(|v| self.typed(&items, v)).collect())
            } else {
                self.typed(&schema, values.first().copied().unwrap_or(""))
            };
            self.validate(&schema, &value, name)?;
        }
        Ok(())
    }

    fn check_body(
        &self,
        op: &Operation,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<Body, Rejection> {
        let Some(spec) = &op.body else {
            return Ok(Body::None);
        };
        if body.is_empty() && content_type.is_none() {
            return if spec.required {
                Err(Rejection::bad("", "a request body is required"))
            } else {
                Ok(Body::None)
            };
        }
        let full = content_type.unwrap_or("");
        let media = full
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let Some((_, schema)) = spec.content.iter().find(|(m, _)| *m == media) else {
            let allowed: Vec<&str> = spec.content.iter().map(|(m, _)| m.as_str()).collect();
            return Err(Rejection::bad(
                "",
                format!(
                    "unsupported Content-Type `{full}`; this endpoint takes {}",
                    allowed.join(" or ")
                ),
            ));
        };
        if media == "multipart/form-data" {
            let form = multipart::parse(full, body).map_err(|m| Rejection::bad("", m))?;
            let fields = self.form_to_json(schema, &form);
            self.validate(schema, &fields, "")?;
            Ok(Body::Form(fields, form))
        } else {
            let value: Value = serde_json::from_slice(body)
                .map_err(|err| Rejection::bad("", format!("the body is not valid JSON: {err}")))?;
            self.validate(schema, &value, "")?;
            Ok(Body::Json(value))
        }
    }

    /// The form's fields as a JSON object, each text field typed by its property schema; file parts become
    /// strings (their schema says `format: binary`).
    fn form_to_json(&self, schema: &Value, form: &Form) -> Value {
        let schema = self.flatten(schema);
        let mut object = Map::new();
        for part in &form.parts {
            let (name, is_array) = match part.name.strip_suffix("[]") {
                Some(base) => (base, true),
                None => (part.name.as_str(), false),
            };
            let property = schema
                .get("properties")
                .and_then(|p| p.get(name))
                .cloned()
                .unwrap_or_default();
            let text = match &part.filename {
                Some(filename) => filename.clone(),
                None => String::from_utf8_lossy(&part.data).into_owned(),
            };
            if is_array || self.type_of(&property) == Some("array") {
                let items = self
                    .flatten(&property)
                    .get("items")
                    .cloned()
                    .unwrap_or_default();
                let entry = object
                    .entry(name.to_owned())
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(list) = entry {
                    list.push(self.typed(&items, &text));
                }
            } else {
                object.insert(name.to_owned(), self.typed(&property, &text));
            }
        }
        Value::Object(object)
    }

    /// Reads a text value (query parameter, form field) as the type its schema declares; text that does
    /// not parse stays a string, so validation reports the mismatch.
    fn typed(&self, schema: &Value, text: &str) -> Value {
        match self.type_of(schema) {
            Some("integer") => text
                .parse::<i64>()
                .map_or_else(|_| text.into(), Value::from),
            Some("number") => text
                .parse::<f64>()
                .map_or_else(|_| text.into(), Value::from),
            Some("boolean") => match text {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => text.into(),
            },
            _ => Value::String(text.to_owned()),
        }
    }

    /// Follows `$ref`s and single-element `allOf`s to the schema that says what a value is.
    fn flatten<'a>(&'a self, schema: &'a Value) -> &'a Value {
        let mut current = schema;
        for _ in 0..32 {
            if let Ok((target, _)) = spec::resolve(&self.doc, current) {
                current = target;
            }
            match current.get("allOf").and_then(Value::as_array) {
                Some(list) if list.len() == 1 && current.get("type").is_none() => {
                    current = &list[0];
                }
                _ => return current,
            }
        }
        current
    }

    fn type_of<'a>(&'a self, schema: &'a Value) -> Option<&'a str> {
        let flat = self.flatten(schema);
        if let Some(t) = flat.get("type").and_then(Value::as_str) {
            return Some(t);
        }
        // An anyOf/oneOf whose alternatives share one type (e.g. an enum or any string).
        let alternatives = flat
            .get("anyOf")
            .or_else(|| flat.get("oneOf"))
            .and_then(Value::as_array)?;
        let mut types = alternatives.iter().map(|a| self.type_of(a));
        let first = types.next()??;
        types.all(|t| t == Some(first)).then_some(first)
    }

    /// Validates `value` against `schema`; the first problem found is the rejection.
    pub fn validate(&self, schema: &Value, value: &Value, at: &str) -> Result<(), Rejection> {
        let mut problems = Vec::new();
        self.walk(schema, value, at, &mut problems);
        match problems.into_iter().next() {
            None => Ok(()),
            Some((param, message)) => Err(Rejection::bad(param, message)),
        }
    }

    fn walk(&self, schema: &Value, value: &Value, at: &str, problems: &mut Vec<(String, String)>) {
        let schema = match spec::resolve(&self.doc, schema) {
            Ok((target, _)) => target,
            Err(message) => {
                problems.push((at.to_owned(), message));
                return;
            }
        };
        if value.is_null() {
            if self.nullable(schema) {
                return;
            }
            problems.push((at.to_owned(), "must not be null".to_owned()));
            return;
        }
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            for part in all {
                self.walk(part, value, at, problems);
            }
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(alternatives) = schema.get(key).and_then(Value::as_array) {
                let mut failures: Vec<Vec<(String, String)>> = Vec::new();
                for alternative in alternatives {
                    let mut found = Vec::new();
                    self.walk(alternative, value, at, &mut found);
                    if found.is_empty() {
                        failures.clear();
                        break;
                    }
                    failures.push(found);
                }
                if let Some(merged) = merged_enum_problem(&failures) {
                    problems.push(merged);
                } else if let Some(best) =
                    failures.into_iter().reduce(
                        |best, found| {
                            if deeper(&found, &best) {
                                found
                            } else {
                                best
                            }
                        },
                    )
                {
                    problems.extend(best);
                }
            }
        }
        if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
            if !allowed.contains(value) {
                let list: Vec<String> = allowed.iter().map(Value::to_string).collect();
                problems.push((
                    at.to_owned(),
                    format!("{value} is not one of {}", list.join(", ")),
                ));
            }
        }
        let Some(kind) = schema.get("type").and_then(Value::as_str) else {
            return;
        };
        let matches = match kind {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "boolean" => value.is_boolean(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            _ => true,
        };
        if !matches {
            problems.push((
                at.to_owned(),
                format!("expected {kind}, got {}", json_kind(value)),
            ));
            return;
        }
        match value {
            Value::Object(object) => self.walk_object(schema, object, at, problems),
            Value::Array(items) => {
                let count = items.len() as u64;
                if let Some(min) = schema.get("minItems").and_then(Value::as_u64) {
                    if count < min {
                        problems.push((at.to_owned(), format!("needs at least {min} item(s)")));
                    }
                }
                if let Some(max) = schema.get("maxItems").and_then(Value::as_u64) {
                    if count > max {
                        problems.push((at.to_owned(), format!("takes at most {max} item(s)")));
                    }
                }
                if let Some(item_schema) = schema.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        self.walk(item_schema, item, &join(at, &i.to_string()), problems);
                    }
                }
            }
            Value::Number(n) => {
                let x = n.as_f64().unwrap_or_default();
                if let Some(min) = schema.get("minimum").and_then(Value::as_f64) {
                    if x < min {
                        problems.push((at.to_owned(), format!("{x} is less than {min}")));
                    }
                }
                if let Some(max) = schema.get("maximum").and_then(Value::as_f64) {
                    if x > max {
                        problems.push((at.to_owned(), format!("{x} is greater than {max}")));
                    }
                }
            }
            _ => {}
        }
    }

    fn walk_object(
        &self,
        schema: &Value,
        object: &Map<String, Value>,
        at: &str,
        problems: &mut Vec<(String, String)>,
    ) {
        let properties = schema.get("properties").and_then(Value::as_object);
        for name in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !object.contains_key(name) {
                problems.push((join(at, name), "is required".to_owned()));
            }
        }
        for (name, field) in object {
            let here = join(at, name);
            match properties.and_then(|p| p.get(name)) {
                Some(property) => self.walk(property, field, &here, problems),
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => {
                        problems.push((here, "unknown field".to_owned()));
                    }
                    Some(extra @ Value::Object(_)) => self.walk(extra, field, &here, problems),
                    _ => {}
                },
            }
        }
    }

    fn nullable(&self, schema: &Value) -> bool {
        if schema.get("nullable").and_then(Value::as_bool) == Some(true) {
            return true;
        }
        ["anyOf", "oneOf"].iter().any(|key| {
            schema
                .get(*key)
                .and_then(Value::as_array)
                .is_some_and(|alts| {
                    alts.iter()
                        .any(|a| spec::resolve(&self.doc, a).is_ok_and(|(t, _)| self.nullable(t)))
                })
        })
    }
}

/// When every alternative of a union fails on the same field's enum (a tag such as a message's `role`),
/// one problem listing every value the union allows.
fn merged_enum_problem(failures: &[Vec<(String, String)>]) -> Option<(String, String)> {
    const MARK: &str = " is not one of ";
    let enum_problem = |failure: &[(String, String)]| {
        failure.iter().find_map(|(at, message)| {
            message
                .split_once(MARK)
                .map(|(v, list)| (at.clone(), v.to_owned(), list.to_owned()))
        })
    };
    let (at, value, _) = enum_problem(failures.first()?)?;
    let mut allowed = Vec::new();
    for failure in failures {
        let (_, _, list) = enum_problem(failure).filter(|(here, _, _)| *here == at)?;
        allowed.extend(list.split(", ").map(str::to_owned));
    }
    Some((at, format!("{value}{MARK}{}", allowed.join(", "))))
}

/// True when `a`'s first problem is at a deeper field than `b`'s: the alternative that got further is the
/// one the caller meant, so its problem is the one to report.
fn deeper(a: &[(String, String)], b: &[(String, String)]) -> bool {
    let depth = |p: &[(String, String)]| p.first().map_or(0, |(at, _)| at.matches('.').count() + 1);
    depth(a) > depth(b) || (depth(a) == depth(b) && a.len() < b.len())
}

fn match_path(segments: &[Segment], parts: &[&str]) -> Option<Vec<(String, String)>> {
    if segments.len() != parts.len() {
        return None;
    }
    let mut params = Vec::new();
    for (segment, part) in segments.iter().zip(parts) {
        match segment {
            Segment::Literal(literal) if literal == part => {}
            Segment::Literal(_) => return None,
            Segment::Param(name) => params.push((name.clone(), percent_decode(part, false))),
        }
    }
    Some(params)
}

fn join(at: &str, name: &str) -> String {
    if at.is_empty() {
        name.to_owned()
    } else {
        format!("{at}.{name}")
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Decodes `%XX` escapes, and `+` as a space when `plus_is_space` (form-encoded queries).
fn percent_decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(byte) => {
                        out.push(byte);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b'+' if plus_is_space => out.push(b' '),
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
