//! Structural comparison of two OpenAPI descriptions of the same API.
//!
//! Component names differ between descriptions (ours hoists inline objects into named components and
//! names every enum), so the comparison walks from the operations and follows `$ref` on both sides,
//! keying every finding by its property path, e.g.
//! `POST /openai/v1/chat/completions request application/json .messages[] <oneOf role=user> .content`.

use crate::spec::{self, METHODS};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Write as _;

/// What kind of difference a finding records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    /// An operation (method and path) of theirs that ours lacks.
    MissingOperation,
    /// A parameter of theirs that ours lacks.
    MissingParameter,
    /// A request or response content type (or a response status) of theirs that ours lacks.
    MissingContentType,
    /// A property (or a union member) of theirs that ours lacks.
    MissingProperty,
    /// A parameter or property whose type, enum values, required-ness, nullability, format, bounds,
    /// map value schema or shape differs (or a request body whose required-ness differs).
    Mistyped,
    /// A part of either document that could not be read (for example an unresolved `$ref`).
    Invalid,
    /// Something ours has that theirs lacks, or an answer ours reads more widely (a property theirs
    /// requires that ours accepts absent, null where theirs has none, a bound ours leaves out or sets
    /// looser); not an error.
    Addition,
}

impl Category {
    const ALL: [Category; 7] = [
        Category::MissingOperation,
        Category::MissingParameter,
        Category::MissingContentType,
        Category::MissingProperty,
        Category::Mistyped,
        Category::Invalid,
        Category::Addition,
    ];

    fn heading(self) -> &'static str {
        match self {
            Category::MissingOperation => "Missing operations",
            Category::MissingParameter => "Missing parameters",
            Category::MissingContentType => "Missing content types and responses",
            Category::MissingProperty => "Missing properties and union members",
            Category::Mistyped => "Mistyped parameters and properties",
            Category::Invalid => "Unreadable schemas",
            Category::Addition => "Additions (ours only; not errors)",
        }
    }
}

/// One difference between the two documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The kind of difference.
    pub category: Category,
    /// Where it is: operation, then parameter, body or response, then property path.
    pub path: String,
    /// What differs (may be empty when the category says it all).
    pub detail: String,
}

/// The result of comparing our document with theirs.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Every difference, in walk order.
    pub findings: Vec<Finding>,
}

impl Report {
    /// The number of findings in `category`.
    pub fn count(&self, category: Category) -> usize {
        self.findings
            .iter()
            .filter(|f| f.category == category)
            .count()
    }

    /// Whether anything is missing, mistyped or unreadable.
    pub fn has_errors(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.category != Category::Addition)
    }

    /// The one-line summary, starting with `spec-diff:`.
    pub fn summary(&self) -> String {
        let mut line = format!(
            "spec-diff: {} missing operations, {} missing parameters, {} missing content types, \
             {} missing properties, {} mistyped properties, {} additions",
            self.count(Category::MissingOperation),
            self.count(Category::MissingParameter),
            self.count(Category::MissingContentType),
            self.count(Category::MissingProperty),
            self.count(Category::Mistyped),
            self.count(Category::Addition),
        );
        let invalid = self.count(Category::Invalid);
        if invalid > 0 {
            let _ = write!(line, ", {invalid} unreadable schemas");
        }
        line
    }

    /// A readable report, one section per non-empty category.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for category in Category::ALL {
            let findings: Vec<&Finding> = self
                .findings
                .iter()
                .filter(|f| f.category == category)
                .collect();
            if findings.is_empty() {
                continue;
            }
            let _ = writeln!(out, "{} ({}):", category.heading(), findings.len());
            for finding in findings {
                if finding.detail.is_empty() {
                    let _ = writeln!(out, "  {}", finding.path);
                } else {
                    let _ = writeln!(out, "  {}: {}", finding.path, finding.detail);
                }
            }
            out.push('\n');
        }
        out
    }
}

/// Compares `ours` with `theirs` (both whole OpenAPI documents).
pub fn diff(ours: &Value, theirs: &Value) -> Report {
    let mut differ = Differ {
        ours,
        theirs,
        visited: HashSet::new(),
        in_response: false,
        findings: Vec::new(),
    };
    differ.operations();
    Report {
        findings: differ.findings,
    }
}

/// A string schema, after normalisation.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Str {
    /// Any string.
    Plain,
    /// Only these values.
    Closed(BTreeSet<String>),
    /// These values are known, but any string is accepted.
    Open(BTreeSet<String>),
}

/// The shape of a schema, after normalisation. Children are kept as raw (unresolved) nodes.
#[derive(Clone, Debug)]
enum Kind<'a> {
    /// No type information.
    Any,
    Null,
    Boolean,
    Integer,
    Number,
    String(Str),
    Array(Option<&'a Value>),
    Object {
        properties: Vec<(&'a str, &'a Value)>,
        required: BTreeSet<&'a str>,
        /// The `additionalProperties` schema (the value type of a map); `None` when absent, `true`,
        /// `false` or `{}`.
        additional: Option<&'a Value>,
    },
    Union {
        members: Vec<&'a Value>,
        discriminator: Option<&'a str>,
    },
}

#[derive(Clone, Debug)]
struct Norm<'a> {
    kind: Kind<'a>,
    title: Option<&'a str>,
    /// Whether null is accepted: `nullable: true`, `null` in a list of types or among the enum
    /// values, or a union with a null member (or a member that accepts null).
    nullable: bool,
    /// `format` (`binary`, `int64`, `date-time`, ...).
    format: Option<&'a str>,
    /// Numeric, length and size bounds by keyword (see [`BOUNDS`]), without those that bound nothing
    /// (`minLength: 0`, `exclusiveMinimum: false`, ...).
    bounds: BTreeMap<&'static str, &'a Value>,
}

/// The keywords that bound a number, a string's length or an array's size.
const BOUNDS: [&str; 8] = [
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
];

impl<'a> Norm<'a> {
    fn of(kind: Kind<'a>) -> Self {
        Norm {
            kind,
            title: None,
            nullable: false,
            format: None,
            bounds: BTreeMap::new(),
        }
    }

    fn json_type(&self) -> &'static str {
        match &self.kind {
            Kind::Any => "any",
            Kind::Null => "null",
            Kind::Boolean => "boolean",
            Kind::Integer => "integer",
            Kind::Number => "number",
            Kind::String(_) => "string",
            Kind::Array(_) => "array",
            Kind::Object { .. } => "object",
            Kind::Union { .. } => "union",
        }
    }

    fn describe(&self) -> String {
        match &self.kind {
            Kind::String(Str::Closed(values)) => format!("enum {}", list(values)),
            Kind::String(Str::Open(values)) => format!("open enum {}", list(values)),
            Kind::Union { members, .. } => format!("a union of {} members", members.len()),
            _ => self.json_type().to_string(),
        }
    }
}

fn names(properties: &[(&str, &Value)]) -> String {
    let items: Vec<&str> = properties.iter().map(|(name, _)| *name).collect();
    format!("[{}]", items.join(", "))
}

fn list(values: &BTreeSet<String>) -> String {
    let items: Vec<&str> = values.iter().map(String::as_str).collect();
    format!("[{}]", items.join(", "))
}

/// Normalises the schema `value` of `doc` (see the module docs of the command for the rules).
fn normalize<'a>(doc: &'a Value, value: &'a Value) -> Result<Norm<'a>, String> {
    normalize_at(doc, value, 0)
}

/// Normalisation nested `depth` levels deep in `allOf`/`oneOf` wrappers (bounded against cycles).
fn normalize_at<'a>(doc: &'a Value, value: &'a Value, depth: usize) -> Result<Norm<'a>, String> {
    if depth > 32 {
        return Err("schema nests allOf/oneOf/anyOf wrappers too deeply (cyclic?)".to_string());
    }
    let (value, _) = spec::resolve(doc, value)?;
    let Some(obj) = value.as_object() else {
        // Boolean schemas (`true`/`false`) and anything odd carry no type information.
        return Ok(Norm::of(Kind::Any));
    };
    let title = obj.get("title").and_then(Value::as_str);
    // `nullable: true`, `null` in a list of types, or `null` among the enum values.
    let nullable = obj.get("nullable").and_then(Value::as_bool) == Some(true)
        || obj
            .get("type")
            .and_then(Value::as_array)
            .is_some_and(|types| types.iter().any(|t| t == "null"))
        || obj
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| values.iter().any(Value::is_null));
    let format = obj.get("format").and_then(Value::as_str);
    let bounds = bounds_of(obj);
    // What this node says on top of what it wraps.
    let wrap = |mut norm: Norm<'a>| {
        if title.is_some() {
            norm.title = title;
        }
        norm.nullable |= nullable;
        if format.is_some() {
            norm.format = format;
        }
        norm.bounds.extend(bounds.iter().map(|(k, v)| (*k, *v)));
        norm
    };

    if let Some(all) = obj.get("allOf").and_then(Value::as_array) {
        let own_properties = obj.contains_key("properties");
        if all.len() == 1 && !own_properties {
            return Ok(wrap(normalize_at(doc, &all[0], depth + 1)?));
        }
        let mut properties = Vec::new();
        let mut required = BTreeSet::new();
        let mut additional = None;
        let mut other = None;
        for member in all {
            let norm = normalize_at(doc, member, depth + 1)?;
            match norm.kind {
                Kind::Object {
                    properties: p,
                    required: r,
                    additional: a,
                } => {
                    properties.extend(p);
                    required.extend(r);
                    additional = additional.or(a);
                }
                Kind::Any => {}
                _ => other = Some(norm),
            }
        }
        if let Some(norm) = other.filter(|_| properties.is_empty() && !own_properties) {
            return Ok(wrap(norm));
        }
        let (own, own_required) = object_parts(obj);
        properties.extend(own);
        required.extend(own_required);
        return Ok(wrap(Norm::of(Kind::Object {
            properties,
            required,
            additional: additional_schema(obj).or(additional),
        })));
    }

    let union = obj
        .get("oneOf")
        .or_else(|| obj.get("anyOf"))
        .and_then(Value::as_array);
    if let Some(members) = union {
        // A null member, or a member that accepts null, makes the whole union accept null; members
        // are then compared without their own nullability.
        let mut null_member = members.iter().any(|m| is_null_schema(doc, m));
        let typed: Vec<&'a Value> = members
            .iter()
            .filter(|m| !is_constraint_only(m) && !is_null_schema(doc, m))
            .collect();
        if !typed.is_empty() {
            if let Some((strings, null_string)) = string_union(doc, &typed, depth)? {
                let mut norm = Norm::of(Kind::String(strings));
                norm.nullable = null_member || null_string;
                return Ok(wrap(norm));
            }
            if typed.len() == 1 {
                let mut norm = normalize_at(doc, typed[0], depth + 1)?;
                norm.nullable |= null_member;
                return Ok(wrap(norm));
            }
            let mut discriminator = obj
                .get("discriminator")
                .and_then(|d| d.get("propertyName"))
                .and_then(Value::as_str);
            // A union of unions is the flat union of their members.
            let mut members = Vec::with_capacity(typed.len());
            for member in typed {
                let norm = normalize_at(doc, member, depth + 1)?;
                null_member |= norm.nullable;
                match norm.kind {
                    Kind::Union {
                        members: inner,
                        discriminator: inner_discriminator,
                    } => {
                        members.extend(inner);
                        discriminator = discriminator.or(inner_discriminator);
                    }
                    _ => members.push(member),
                }
            }
            let mut norm = Norm::of(Kind::Union {
                members,
                discriminator,
            });
            norm.nullable = null_member;
            return Ok(wrap(norm));
        }
    }

    let ty = match obj.get("type") {
        Some(Value::String(s)) => Some(s.as_str()),
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .or(Some("null")),
        _ => None,
    };

    if let Some(values) = obj.get("enum").and_then(Value::as_array) {
        let strings: BTreeSet<String> = values
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
        if matches!(ty, None | Some("string")) && !strings.is_empty() {
            return Ok(wrap(Norm::of(Kind::String(Str::Closed(strings)))));
        }
        let integers = values.iter().filter(|v| !v.is_null());
        if ty.is_none()
            && integers.clone().all(|v| v.is_i64() || v.is_u64())
            && integers.count() > 0
        {
            return Ok(wrap(Norm::of(Kind::Integer)));
        }
    }

    let kind = match ty {
        Some("string") => Kind::String(Str::Plain),
        Some("integer") => Kind::Integer,
        Some("number") => Kind::Number,
        Some("boolean") => Kind::Boolean,
        Some("null") => Kind::Null,
        Some("array") => Kind::Array(obj.get("items")),
        Some("object") => object_kind(obj),
        Some(other) => return Err(format!("unknown type `{other}`")),
        None if obj.contains_key("properties") => object_kind(obj),
        None if obj.contains_key("items") => Kind::Array(obj.get("items")),
        None => Kind::Any,
    };
    Ok(wrap(Norm::of(kind)))
}

/// The bounds a schema node sets itself, leaving out those that bound nothing.
fn bounds_of(obj: &Map<String, Value>) -> BTreeMap<&'static str, &Value> {
    BOUNDS
        .iter()
        .filter_map(|key| Some((*key, obj.get(*key)?)))
        .filter(|(key, value)| match value {
            Value::Bool(exclusive) => *exclusive,
            Value::Number(n) if key.ends_with("Length") || key.ends_with("Items") => {
                n.as_f64() != Some(0.0)
            }
            _ => true,
        })
        .collect()
}

/// Whether bound `key` at `ours` admits more than at `theirs`.
fn looser(key: &str, ours: &Value, theirs: &Value) -> bool {
    match (ours.as_f64(), theirs.as_f64()) {
        (Some(o), Some(t)) if key.starts_with("min") || key.starts_with("exclusiveMin") => o < t,
        (Some(o), Some(t)) => o > t,
        _ => false,
    }
}

fn same_bound(ours: Option<&Value>, theirs: Option<&Value>) -> bool {
    match (ours, theirs) {
        (Some(o), Some(t)) => o == t || (o.as_f64().is_some() && o.as_f64() == t.as_f64()),
        (o, t) => o == t,
    }
}

fn object_parts(obj: &Map<String, Value>) -> (Vec<(&str, &Value)>, BTreeSet<&str>) {
    let properties = obj
        .get("properties")
        .and_then(Value::as_object)
        .map(|props| props.iter().map(|(k, v)| (k.as_str(), v)).collect())
        .unwrap_or_default();
    let required = obj
        .get("required")
        .and_then(Value::as_array)
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    (properties, required)
}

fn object_kind(obj: &Map<String, Value>) -> Kind<'_> {
    let (properties, required) = object_parts(obj);
    Kind::Object {
        properties,
        required,
        additional: additional_schema(obj),
    }
}

/// The schema of `additionalProperties` when it constrains the values: not `true`, `false` (which
/// the generated types do not enforce) or `{}`.
fn additional_schema(obj: &Map<String, Value>) -> Option<&Value> {
    obj.get("additionalProperties")
        .filter(|v| v.as_object().is_some_and(|schema| !schema.is_empty()))
}

/// A union member that only constrains (`{required: [a]}`) and carries no type information.
fn is_constraint_only(member: &Value) -> bool {
    const SHAPE_KEYS: [&str; 9] = [
        "$ref",
        "type",
        "properties",
        "items",
        "enum",
        "oneOf",
        "anyOf",
        "allOf",
        "const",
    ];
    match member.as_object() {
        Some(obj) => !SHAPE_KEYS.iter().any(|k| obj.contains_key(*k)),
        None => false,
    }
}

fn is_null_schema(doc: &Value, member: &Value) -> bool {
    let Ok((member, _)) = spec::resolve(doc, member) else {
        return false;
    };
    member.get("type").and_then(Value::as_str) == Some("null")
        || member
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| values.iter().all(Value::is_null))
}

/// If every member is a string schema, the union is one string schema: open when any member is a
/// plain string (`anyOf: [{type: string, enum: [...]}, {type: string}]`), else closed. The flag says
/// whether any member accepts null.
fn string_union(
    doc: &Value,
    members: &[&Value],
    depth: usize,
) -> Result<Option<(Str, bool)>, String> {
    let mut open = false;
    let mut nullable = false;
    let mut values = BTreeSet::new();
    for member in members {
        let norm = normalize_at(doc, member, depth + 1)?;
        nullable |= norm.nullable;
        match norm.kind {
            Kind::String(Str::Plain) => open = true,
            Kind::String(Str::Open(v)) => {
                open = true;
                values.extend(v);
            }
            Kind::String(Str::Closed(v)) => values.extend(v),
            _ => return Ok(None),
        }
    }
    let strings = match (open, values.is_empty()) {
        (true, true) => Str::Plain,
        (true, false) => Str::Open(values),
        (false, _) => Str::Closed(values),
    };
    Ok(Some((strings, nullable)))
}

/// Appends a property name to a path: `... .a` then `... .a.b`.
fn property_path(path: &str, name: &str) -> String {
    let last = path.rsplit(' ').next().unwrap_or("");
    if last.starts_with('.') {
        format!("{path}.{name}")
    } else {
        format!("{path} .{name}")
    }
}

/// Replaces path parameter names with `{}` so `/files/{id}` matches `/files/{file_id}`.
fn path_key(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

/// One member of a union, with what it can be matched by.
struct Member<'a> {
    raw: &'a Value,
    norm: Norm<'a>,
    tags: Option<BTreeSet<String>>,
}

impl Member<'_> {
    fn label(&self, tag_property: Option<&str>) -> String {
        if let (Some(tags), Some(property)) = (&self.tags, tag_property) {
            let tags: Vec<&str> = tags.iter().map(String::as_str).collect();
            return format!("<oneOf {property}={}>", tags.join("|"));
        }
        if let Some(title) = self.norm.title {
            return format!("<oneOf \"{title}\">");
        }
        format!("<oneOf {}>", self.norm.json_type())
    }
}

struct Differ<'a> {
    ours: &'a Value,
    theirs: &'a Value,
    /// Pairs of (our node, their node) already compared, whether in a response and whether
    /// nullability was compared: protects against cycles.
    visited: HashSet<(usize, usize, bool, bool)>,
    /// Whether the walk is in a response, where ours may accept more than theirs describes.
    in_response: bool,
    findings: Vec<Finding>,
}

impl<'a> Differ<'a> {
    fn push(&mut self, category: Category, path: impl Into<String>, detail: impl Into<String>) {
        self.findings.push(Finding {
            category,
            path: path.into(),
            detail: detail.into(),
        });
    }

    fn operations(&mut self) {
        let ours_paths = self.paths(true);
        let theirs_paths = self.paths(false);
        let ours_ops = operations_of(&ours_paths);
        let theirs_ops = operations_of(&theirs_paths);

        for ((key, method), (path, item, op)) in &theirs_ops {
            let label = format!("{} {path}", method.to_uppercase());
            match ours_ops.get(&(key.clone(), *method)) {
                None => self.push(Category::MissingOperation, label, ""),
                Some((_, our_item, our_op)) => {
                    self.operation(&label, (our_item, our_op), (item, op));
                }
            }
        }
        for ((key, method), (path, _, _)) in &ours_ops {
            if !theirs_ops.contains_key(&(key.clone(), *method)) {
                self.push(
                    Category::Addition,
                    format!("{} {path}", method.to_uppercase()),
                    "operation only in ours",
                );
            }
        }
    }

    fn paths(&mut self, ours: bool) -> Vec<(&'a str, &'a Value)> {
        let doc = if ours { self.ours } else { self.theirs };
        let side = if ours { "ours" } else { "theirs" };
        let mut out = Vec::new();
        match doc.get("paths").and_then(Value::as_object) {
            Some(paths) => {
                for (path, item) in paths {
                    match spec::resolve(doc, item) {
                        Ok((item, _)) => out.push((path.as_str(), item)),
                        Err(err) => {
                            self.push(Category::Invalid, path.clone(), format!("{side}: {err}"))
                        }
                    }
                }
            }
            None => self.push(
                Category::Invalid,
                "paths",
                format!("{side}: no `paths` mapping"),
            ),
        }
        out
    }

    fn operation(
        &mut self,
        label: &str,
        ours: (&'a Value, &'a Value),
        theirs: (&'a Value, &'a Value),
    ) {
        // Parameters and the request body: what ours sends.
        self.in_response = false;
        let our_params = self.parameters(true, label, ours);
        let their_params = self.parameters(false, label, theirs);
        for ((location, name), their) in &their_params {
            let path = format!("{label} parameter {location}:{name}");
            let Some(our) = our_params.get(&(location.clone(), name.clone())) else {
                self.push(Category::MissingParameter, path, "");
                continue;
            };
            let required = |p: &Value| p.get("required").and_then(Value::as_bool).unwrap_or(false);
            if location != "path" && required(our) != required(their) {
                self.push(
                    Category::Mistyped,
                    path.clone(),
                    required_detail(required(our), required(their)),
                );
            }
            if let (Some(o), Some(t)) = (parameter_schema(our), parameter_schema(their)) {
                self.compare(o, t, &path);
            }
        }
        for (location, name) in our_params.keys() {
            if !their_params.contains_key(&(location.clone(), name.clone())) {
                self.push(
                    Category::Addition,
                    format!("{label} parameter {location}:{name}"),
                    "parameter only in ours",
                );
            }
        }

        // Request body.
        let our_body = self.resolved_child(true, ours.1, "requestBody", label);
        let their_body = self.resolved_child(false, theirs.1, "requestBody", label);
        if let (Some(our), Some(their)) = (our_body, their_body) {
            // Without a body the request is wrong if theirs requires one; with one it is wrong where
            // theirs may do without, as for a required property.
            let required = |b: &Value| b.get("required").and_then(Value::as_bool).unwrap_or(false);
            if required(our) != required(their) {
                self.push(
                    Category::Mistyped,
                    format!("{label} request"),
                    format!("body {}", required_detail(required(our), required(their))),
                );
            }
        }
        self.contents(&format!("{label} request"), our_body, their_body);

        // Responses.
        self.in_response = true;
        let our_responses = ours.1.get("responses").and_then(Value::as_object);
        let their_responses = theirs.1.get("responses").and_then(Value::as_object);
        if let Some(their_responses) = their_responses {
            for (status, their) in their_responses {
                let prefix = format!("{label} response {status}");
                let their = self.resolve_or_report(false, their, &prefix);
                let our = our_responses
                    .and_then(|r| r.get(status))
                    .and_then(|o| self.resolve_or_report(true, o, &prefix));
                if our.is_none() && their.is_some_and(|t| t.get("content").is_some()) {
                    self.push(
                        Category::MissingContentType,
                        prefix,
                        "response status missing in ours",
                    );
                    continue;
                }
                self.contents(&prefix, our, their);
            }
        }
        if let Some(our_responses) = our_responses {
            for (status, our) in our_responses {
                if their_responses.is_some_and(|r| r.contains_key(status)) {
                    continue;
                }
                if our.get("content").is_some() || our.get("$ref").is_some() {
                    self.push(
                        Category::Addition,
                        format!("{label} response {status}"),
                        "response only in ours",
                    );
                }
            }
        }
    }

    fn resolve_or_report(&mut self, ours: bool, value: &'a Value, path: &str) -> Option<&'a Value> {
        let doc = if ours { self.ours } else { self.theirs };
        match spec::resolve(doc, value) {
            Ok((value, _)) => Some(value),
            Err(err) => {
                let side = if ours { "ours" } else { "theirs" };
                self.push(Category::Invalid, path, format!("{side}: {err}"));
                None
            }
        }
    }

    fn resolved_child(
        &mut self,
        ours: bool,
        parent: &'a Value,
        key: &str,
        path: &str,
    ) -> Option<&'a Value> {
        let child = parent.get(key)?;
        self.resolve_or_report(ours, child, path)
    }

    /// Path-level and operation-level parameters keyed by (in, name); the operation's win.
    fn parameters(
        &mut self,
        ours: bool,
        label: &str,
        (item, op): (&'a Value, &'a Value),
    ) -> BTreeMap<(String, String), &'a Value> {
        let mut out = BTreeMap::new();
        for source in [item, op] {
            let Some(params) = source.get("parameters").and_then(Value::as_array) else {
                continue;
            };
            for param in params {
                let Some(param) =
                    self.resolve_or_report(ours, param, &format!("{label} parameters"))
                else {
                    continue;
                };
                let location = param.get("in").and_then(Value::as_str).unwrap_or("?");
                let name = param.get("name").and_then(Value::as_str).unwrap_or("?");
                out.insert((location.to_string(), name.to_string()), param);
            }
        }
        out
    }

    /// Compares the `content` maps of a request body or response.
    fn contents(&mut self, prefix: &str, ours: Option<&'a Value>, theirs: Option<&'a Value>) {
        let their_content = theirs
            .and_then(|t| t.get("content"))
            .and_then(Value::as_object);
        let our_content = ours
            .and_then(|o| o.get("content"))
            .and_then(Value::as_object);
        if let Some(their_content) = their_content {
            for (content_type, their_media) in their_content {
                let path = format!("{prefix} {content_type}");
                let Some(our_media) = our_content.and_then(|c| c.get(content_type)) else {
                    self.push(Category::MissingContentType, path, "");
                    continue;
                };
                if let (Some(o), Some(t)) = (our_media.get("schema"), their_media.get("schema")) {
                    self.compare(o, t, &path);
                }
            }
        }
        if let Some(our_content) = our_content {
            for content_type in our_content.keys() {
                if !their_content.is_some_and(|c| c.contains_key(content_type)) {
                    self.push(
                        Category::Addition,
                        format!("{prefix} {content_type}"),
                        "content type only in ours",
                    );
                }
            }
        }
    }

    /// Compares two raw schema nodes at `path`.
    fn compare(&mut self, ours: &'a Value, theirs: &'a Value, path: &str) {
        self.compare_with(ours, theirs, path, true);
    }

    /// Compares a member of a union with its counterpart. Whether null is accepted has been compared
    /// for the whole union (a member that accepts null makes the union accept it), so not again here.
    fn compare_member(&mut self, ours: &'a Value, theirs: &'a Value, path: &str) {
        self.compare_with(ours, theirs, path, false);
    }

    fn compare_with(&mut self, ours: &'a Value, theirs: &'a Value, path: &str, null: bool) {
        let key = (
            ours as *const Value as usize,
            theirs as *const Value as usize,
            self.in_response,
            null,
        );
        if !self.visited.insert(key) {
            return;
        }
        let Some(our) = self.normalize_or_report(true, ours, path) else {
            return;
        };
        let Some(their) = self.normalize_or_report(false, theirs, path) else {
            return;
        };
        if null {
            self.compare_nullable(&our, &their, path);
        }
        let facets = |n: &Norm<'a>| !matches!(n.kind, Kind::Any | Kind::Union { .. });
        if facets(&our) && facets(&their) && our.json_type() == their.json_type() {
            self.compare_format(&our, &their, path);
            self.compare_bounds(&our, &their, path);
        }
        self.compare_norm(&our, &their, theirs, path);
    }

    /// A different `format` changes what the value is read as (bytes or text, 32 or 64 bits), in
    /// either direction.
    fn compare_format(&mut self, our: &Norm<'a>, their: &Norm<'a>, path: &str) {
        if our.format != their.format {
            let show = |f: Option<&str>| f.unwrap_or("none").to_string();
            self.push(
                Category::Mistyped,
                path,
                format!(
                    "format {} in ours, {} in theirs",
                    show(our.format),
                    show(their.format)
                ),
            );
        }
    }

    /// A bound ours lacks or sets looser is an addition in a response (ours reads more widely);
    /// every other difference is an error.
    fn compare_bounds(&mut self, our: &Norm<'a>, their: &Norm<'a>, path: &str) {
        let keys: BTreeSet<&'static str> = our
            .bounds
            .keys()
            .chain(their.bounds.keys())
            .copied()
            .collect();
        for key in keys {
            let (o, t) = (our.bounds.get(key).copied(), their.bounds.get(key).copied());
            if same_bound(o, t) {
                continue;
            }
            let show = |v: Option<&Value>| v.map_or("none".to_string(), Value::to_string);
            let detail = format!("{key} {} in ours, {} in theirs", show(o), show(t));
            let wider = match (o, t) {
                (None, Some(_)) => true,
                (Some(o), Some(t)) => looser(key, o, t),
                _ => false,
            };
            if self.in_response && wider {
                self.push(
                    Category::Addition,
                    path,
                    format!("{detail} (ours reads more widely)"),
                );
            } else {
                self.push(Category::Mistyped, path, detail);
            }
        }
    }

    /// Ours accepting null where theirs does not is an error in a request (ours may send it) and an
    /// addition in a response (ours reads more widely); the other way round it is an error in both.
    fn compare_nullable(&mut self, our: &Norm<'a>, their: &Norm<'a>, path: &str) {
        let untyped = |n: &Norm<'a>| matches!(n.kind, Kind::Any | Kind::Null);
        if untyped(our) || untyped(their) {
            return;
        }
        match (our.nullable, their.nullable) {
            (true, false) if self.in_response => self.push(
                Category::Addition,
                path,
                "ours accepts null (theirs does not)",
            ),
            (true, false) => self.push(
                Category::Mistyped,
                path,
                "nullable in ours, not nullable in theirs",
            ),
            (false, true) => self.push(
                Category::Mistyped,
                path,
                "not nullable in ours, nullable in theirs",
            ),
            _ => {}
        }
    }

    fn normalize_or_report(
        &mut self,
        ours: bool,
        value: &'a Value,
        path: &str,
    ) -> Option<Norm<'a>> {
        let doc = if ours { self.ours } else { self.theirs };
        match normalize(doc, value) {
            Ok(norm) => Some(norm),
            Err(err) => {
                let side = if ours { "ours" } else { "theirs" };
                self.push(Category::Invalid, path, format!("{side}: {err}"));
                None
            }
        }
    }

    fn compare_norm(&mut self, our: &Norm<'a>, their: &Norm<'a>, their_raw: &'a Value, path: &str) {
        match (&our.kind, &their.kind) {
            (Kind::Any, Kind::Any) => {}
            // Theirs says nothing about the value; a type in ours is a fact theirs does not state.
            (_, Kind::Any) => self.push(
                Category::Mistyped,
                path,
                format!("ours is {}, theirs is untyped", our.describe()),
            ),
            (
                Kind::Union {
                    members: our_members,
                    discriminator: our_disc,
                },
                Kind::Union {
                    members: their_members,
                    discriminator: their_disc,
                },
            ) => {
                let tag = our_disc.or(*their_disc);
                self.compare_unions(our_members, their_members, tag, path);
            }
            (
                Kind::Union {
                    members,
                    discriminator,
                },
                _,
            ) => {
                let ours = self.members(true, members, *discriminator, path);
                let tag = *discriminator;
                let candidate = Member {
                    raw: their_raw,
                    norm: their.clone(),
                    tags: tag.and_then(|t| self.tag_values(false, &their.kind, t)),
                };
                match match_member(&ours, &candidate, &BTreeSet::new()) {
                    Some(index) => {
                        self.push(
                            Category::Addition,
                            path,
                            format!(
                                "ours widens {} to {} (matched {})",
                                their.describe(),
                                our.describe(),
                                ours[index].label(tag)
                            ),
                        );
                        let label = ours[index].label(tag);
                        self.compare_member(ours[index].raw, their_raw, &format!("{path} {label}"));
                    }
                    None => self.push(
                        Category::Mistyped,
                        path,
                        format!(
                            "ours is {} with no member matching theirs ({})",
                            our.describe(),
                            their.describe()
                        ),
                    ),
                }
            }
            (_, Kind::Union { .. }) => self.push(
                Category::Mistyped,
                path,
                format!("ours is {}, theirs is {}", our.describe(), their.describe()),
            ),
            (Kind::Any, _) => self.push(
                Category::Mistyped,
                path,
                format!("ours is untyped, theirs is {}", their.describe()),
            ),
            (Kind::String(o), Kind::String(t)) => self.compare_strings(o, t, path),
            (Kind::Integer, Kind::Integer)
            | (Kind::Number, Kind::Number)
            | (Kind::Boolean, Kind::Boolean)
            | (Kind::Null, Kind::Null) => {}
            (Kind::Array(o), Kind::Array(t)) => match (o, t) {
                (Some(o), Some(t)) => self.compare(o, t, &format!("{path}[]")),
                (None, None) => {}
                // An array of anything on one side only changes what the items read as.
                (None, Some(_)) => self.push(
                    Category::Mistyped,
                    path,
                    "ours is an array of anything, theirs has an item schema",
                ),
                (Some(_), None) => self.push(
                    Category::Mistyped,
                    path,
                    "ours has an item schema, theirs is an array of anything",
                ),
            },
            (
                Kind::Object {
                    properties: our_props,
                    required: our_required,
                    additional: our_additional,
                },
                Kind::Object {
                    properties: their_props,
                    required: their_required,
                    additional: their_additional,
                },
            ) => {
                // The value type of a map: typed on one side only changes what the values read as.
                match (our_additional, their_additional) {
                    (Some(o), Some(t)) => self.compare(o, t, &format!("{path}{{*}}")),
                    (None, None) => {}
                    (None, Some(_)) => self.push(
                        Category::Mistyped,
                        path,
                        "ours takes additional properties of any type, theirs has a schema for them",
                    ),
                    (Some(_), None) => self.push(
                        Category::Mistyped,
                        path,
                        "ours has a schema for additional properties, theirs takes any",
                    ),
                }
                // A free-form object on one side only turns named fields into a map (or back).
                match (our_props.is_empty(), their_props.is_empty()) {
                    (true, true) => return,
                    (true, false) => {
                        self.push(
                            Category::Mistyped,
                            path,
                            format!(
                                "ours is a free-form object, theirs has properties {}",
                                names(their_props)
                            ),
                        );
                        return;
                    }
                    (false, true) => {
                        self.push(
                            Category::Mistyped,
                            path,
                            format!(
                                "ours has properties {}, theirs is a free-form object",
                                names(our_props)
                            ),
                        );
                        return;
                    }
                    (false, false) => {}
                }
                for (name, their_schema) in their_props {
                    let prop_path = property_path(path, name);
                    let Some((_, our_schema)) = our_props.iter().find(|(n, _)| n == name) else {
                        self.push(Category::MissingProperty, prop_path, "");
                        continue;
                    };
                    let (o, t) = (our_required.contains(name), their_required.contains(name));
                    if self.in_response && t && !o {
                        // Reading an answer, ours accepts it without the property: wider, not wrong.
                        self.push(
                            Category::Addition,
                            prop_path.clone(),
                            "ours accepts it absent (theirs requires it)",
                        );
                    } else if o != t {
                        self.push(Category::Mistyped, prop_path.clone(), required_detail(o, t));
                    }
                    self.compare(our_schema, their_schema, &prop_path);
                }
                for (name, _) in our_props {
                    if !their_props.iter().any(|(n, _)| n == name) {
                        self.push(
                            Category::Addition,
                            property_path(path, name),
                            "property only in ours",
                        );
                    }
                }
            }
            _ => self.push(
                Category::Mistyped,
                path,
                format!("ours is {}, theirs is {}", our.describe(), their.describe()),
            ),
        }
    }

    fn compare_strings(&mut self, ours: &Str, theirs: &Str, path: &str) {
        let (our_values, their_values) = match (ours, theirs) {
            (Str::Plain | Str::Open(_), Str::Plain) | (Str::Plain, Str::Open(_)) => return,
            (Str::Closed(values), Str::Plain) => {
                self.push(
                    Category::Mistyped,
                    path,
                    format!("ours is enum {}, theirs is any string", list(values)),
                );
                return;
            }
            (Str::Plain, Str::Closed(values)) => {
                self.push(
                    Category::Mistyped,
                    path,
                    format!("ours is any string, theirs is enum {}", list(values)),
                );
                return;
            }
            (Str::Closed(o), Str::Open(t)) => {
                self.push(
                    Category::Mistyped,
                    path,
                    format!(
                        "ours is closed enum {}, theirs is open enum {}",
                        list(o),
                        list(t)
                    ),
                );
                return;
            }
            (Str::Open(o) | Str::Closed(o), Str::Open(t) | Str::Closed(t)) => (o, t),
        };
        let missing: BTreeSet<String> = their_values.difference(our_values).cloned().collect();
        if !missing.is_empty() {
            self.push(
                Category::Mistyped,
                path,
                format!("enum values missing in ours: {}", list(&missing)),
            );
        }
        let extra: BTreeSet<String> = our_values.difference(their_values).cloned().collect();
        if !extra.is_empty() {
            self.push(
                Category::Addition,
                path,
                format!("enum values only in ours: {}", list(&extra)),
            );
        }
    }

    fn members(
        &mut self,
        ours: bool,
        raw: &[&'a Value],
        tag: Option<&str>,
        path: &str,
    ) -> Vec<Member<'a>> {
        let mut out = Vec::new();
        for member in raw {
            let Some(norm) = self.normalize_or_report(ours, member, path) else {
                continue;
            };
            let tags = tag.and_then(|t| self.tag_values(ours, &norm.kind, t));
            out.push(Member {
                raw: member,
                norm,
                tags,
            });
        }
        out
    }

    /// The values of an object's tag property, when it is a string enum.
    fn tag_values(&self, ours: bool, kind: &Kind<'a>, tag: &str) -> Option<BTreeSet<String>> {
        let doc = if ours { self.ours } else { self.theirs };
        let Kind::Object { properties, .. } = kind else {
            return None;
        };
        let (_, schema) = properties.iter().find(|(name, _)| *name == tag)?;
        match normalize(doc, schema).ok()?.kind {
            Kind::String(Str::Closed(values)) => Some(values),
            _ => None,
        }
    }

    /// Without a discriminator: a property that is a string enum in every object member of theirs.
    fn implicit_tag(&self, their_members: &[&'a Value]) -> Option<&'a str> {
        let norms: Vec<Norm<'a>> = their_members
            .iter()
            .filter_map(|m| normalize(self.theirs, m).ok())
            .collect();
        let Some(Kind::Object { properties, .. }) = norms.first().map(|n| &n.kind) else {
            return None;
        };
        properties.iter().map(|(name, _)| *name).find(|name| {
            norms
                .iter()
                .all(|n| self.tag_values(false, &n.kind, name).is_some())
        })
    }

    fn compare_unions(
        &mut self,
        our_raw: &[&'a Value],
        their_raw: &[&'a Value],
        tag: Option<&'a str>,
        path: &str,
    ) {
        let tag = tag.or_else(|| self.implicit_tag(their_raw));
        let ours = self.members(true, our_raw, tag, path);
        let theirs = self.members(false, their_raw, tag, path);
        let mut matched = BTreeSet::new();
        for their in &theirs {
            let label = their.label(tag);
            match match_member(&ours, their, &matched) {
                Some(index) => {
                    matched.insert(index);
                    self.compare_member(ours[index].raw, their.raw, &format!("{path} {label}"));
                }
                None => self.push(
                    Category::MissingProperty,
                    format!("{path} {label}"),
                    format!("union member ({}) missing in ours", their.norm.describe()),
                ),
            }
        }
        for (index, our) in ours.iter().enumerate() {
            if !matched.contains(&index) {
                self.push(
                    Category::Addition,
                    format!("{path} {}", our.label(tag)),
                    "union member only in ours",
                );
            }
        }
    }
}

/// Finds the member of `ours` that corresponds to `their`: by tag value, else by title, else by JSON
/// type (preferring members not matched yet).
fn match_member(
    ours: &[Member<'_>],
    their: &Member<'_>,
    matched: &BTreeSet<usize>,
) -> Option<usize> {
    if let Some(their_tags) = &their.tags {
        let by_tag = ours.iter().position(|our| {
            our.tags
                .as_ref()
                .is_some_and(|tags| !tags.is_disjoint(their_tags))
        });
        if by_tag.is_some() || ours.iter().any(|our| our.tags.is_some()) {
            // Both sides are tagged: a member whose tag we lack is missing, whatever its shape.
            return by_tag;
        }
    }
    if let Some(title) = their.norm.title {
        let by_title = ours.iter().position(|our| {
            our.norm
                .title
                .is_some_and(|t| t.eq_ignore_ascii_case(title))
        });
        if by_title.is_some() {
            return by_title;
        }
    }
    let ty = their.norm.json_type();
    let same_type = |index: &usize| ours[*index].norm.json_type() == ty;
    let alike =
        |index: &usize| same_type(index) && ours[*index].tags.is_none() == their.tags.is_none();
    let unmatched = |index: &usize| !matched.contains(index);
    (0..ours.len())
        .filter(unmatched)
        .find(alike)
        .or_else(|| (0..ours.len()).filter(unmatched).find(same_type))
        .or_else(|| (0..ours.len()).find(same_type))
}

fn required_detail(ours: bool, theirs: bool) -> String {
    let word = |r: bool| if r { "required" } else { "optional" };
    format!("{} in ours, {} in theirs", word(ours), word(theirs))
}

/// The schema of a parameter: `schema`, or the first `content` entry's schema.
fn parameter_schema(param: &Value) -> Option<&Value> {
    param.get("schema").or_else(|| {
        param
            .get("content")
            .and_then(Value::as_object)
            .and_then(|c| c.values().next())
            .and_then(|m| m.get("schema"))
    })
}

type Operations<'a> = BTreeMap<(String, &'static str), (&'a str, &'a Value, &'a Value)>;

fn operations_of<'a>(paths: &[(&'a str, &'a Value)]) -> Operations<'a> {
    let mut out = BTreeMap::new();
    for (path, item) in paths {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                out.insert((path_key(path), method), (*path, *item, op));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
