//! JSON Schemas that Groq's strict structured-output mode accepts, derived from Rust types, and the
//! `response_format` of each output mode (strict schema, best-effort schema, JSON object).
//!
//! Strict mode (`"strict": true`) constrains the model's decoding to the schema, and only accepts schemas in
//! which every object is closed (`"additionalProperties": false`) and lists every property as required. A
//! schema derived by `schemars` is none of that: optional fields are left out of `required`, objects are
//! open, and integers carry formats such as `uint32`. [`strict_schema`] rewrites a schema into the accepted
//! form:
//!
//! - every object gets `"additionalProperties": false` and all its properties in `required`; a property
//!   that was optional becomes nullable (`"type": ["string", "null"]`, or `anyOf` with `{"type": "null"}`),
//!   which an `Option` field reads back as `None`. In the schema of a Rust type ([`strict_schema_for`]) an
//!   `Option` field is nullable already, and a field that is optional only through a serde default stays
//!   as it is: `null` would not parse into it, so the model must give it a value;
//! - `oneOf` (what `schemars` emits for enums with data) becomes `anyOf`, and an `allOf` of one schema is
//!   merged into the schema around it (their `properties` and `required` joined; a property or keyword
//!   given by both with different values is refused);
//! - an object that shares its fields with another schema is made into closed objects that hold all of
//!   them, since closing each part on its own would leave no value valid against both: a `$ref` beside
//!   `properties` (an internally tagged enum's newtype variant: the tag beside the variant's type) is
//!   replaced by the definition it names, merged with the properties; `properties` beside `anyOf` (a
//!   struct with a flattened enum) go into each alternative, which is closed with them, and the object
//!   keeps `"type": "object"` and the alternatives only;
//! - assertions that strict mode does not enforce are removed: `format` (`uint32`, `date-time`…), numeric
//!   bounds (`minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`), string and array
//!   bounds (`minLength`, `maxLength`, `pattern`, `minItems`, `maxItems`, `uniqueItems`,
//!   `minProperties`, `maxProperties`) and annotations (`default`, `examples`, `deprecated`, `readOnly`,
//!   `writeOnly`, `$comment`, `$schema`). The Rust type still checks them when the answer is parsed;
//! - what cannot be expressed is refused with an [`Error::InvalidRequest`] naming the place in the schema:
//!   maps (`additionalProperties` other than `false`), tuples (`prefixItems`), `patternProperties`,
//!   `propertyNames`, `unevaluatedProperties`, `unevaluatedItems`, `if`/`then`/`else`, `not`, `contains`,
//!   `dependentSchemas`, `dependentRequired`, an `allOf` of several schemas, a schema that accepts any value
//!   (`serde_json::Value`), a root that is not an object, and fields that cannot be merged as above: a
//!   property given twice with different schemas (such as a tag that the enum a newtype variant holds
//!   uses too), an alternative that is not an object beside properties, and a type that would be inlined
//!   into itself.

use crate::sdk::Error;
use crate::ResponseFormat;
use serde_json::{Map, Value};

/// Keywords removed from a strict schema: assertions strict mode does not enforce, and annotations.
const REMOVED: &[&str] = &[
    "$schema",
    "$comment",
    "format",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "default",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "contentEncoding",
    "contentMediaType",
];

/// Keywords strict mode cannot express: a schema using them is refused.
const REFUSED: &[&str] = &[
    "patternProperties",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
    "dependentSchemas",
    "dependentRequired",
    "dependencies",
    "if",
    "then",
    "else",
    "not",
    "contains",
    "minContains",
    "maxContains",
    "prefixItems",
    "additionalItems",
    "$dynamicRef",
];

/// How a structured answer is asked for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum OutputMode {
    /// `json_schema` with `strict: true` and the schema rewritten by [`strict_schema`]: the answer is
    /// guaranteed to follow it, on the models that support strict mode.
    #[default]
    Strict,
    /// `json_schema` with `strict: false` and the schema as `schemars` derives it: best-effort, on every
    /// model with structured outputs.
    BestEffort,
    /// `json_object` (JSON mode): any JSON object; the schema is not sent, so describe the shape in the
    /// prompt.
    JsonObject,
}

/// Rewrites `schema` into the form Groq's strict mode accepts (see the [module documentation](self)),
/// or says, with the place in the schema, why it cannot be.
///
/// ```
/// use groq_types::ergonomics::strict_schema::strict_schema;
/// use serde_json::json;
///
/// let strict = strict_schema(json!({
///     "type": "object",
///     "properties": {
///         "age": {"type": "integer", "format": "uint32", "minimum": 0},
///         "nickname": {"type": "string"}
///     },
///     "required": ["age"]
/// }))
/// .unwrap();
/// assert_eq!(strict, json!({
///     "type": "object",
///     "properties": {
///         "age": {"type": "integer"},
///         "nickname": {"type": ["string", "null"]}
///     },
///     "required": ["age", "nickname"],
///     "additionalProperties": false
/// }));
/// assert!(strict_schema(json!({"type": "object", "additionalProperties": {"type": "integer"}})).is_err());
/// ```
pub fn strict_schema(schema: Value) -> Result<Value, Error> {
    rewrite(schema, Optional::Nullable)
}

/// What becomes of a property that its object does not require.
#[derive(Clone, Copy)]
enum Optional {
    /// It becomes nullable: absent and `null` mean the same.
    Nullable,
    /// It stays as derived from a Rust type, where an `Option` is nullable already and anything else
    /// optional has a serde default, into which `null` would not parse.
    AsDerived,
}

/// What a rewrite needs beyond the node it is at.
struct Walk {
    /// The definitions of the schema as they were given (`$defs` and `definitions`), by the `$ref` that
    /// names them (`#/$defs/Name`): what a `$ref` beside `properties` is replaced with.
    definitions: Map<String, Value>,
    optional: Optional,
}

/// The definitions of `schema`, by the `$ref` that names them.
fn definitions_of(schema: &Value) -> Map<String, Value> {
    let mut all = Map::new();
    for keyword in ["$defs", "definitions"] {
        if let Some(Value::Object(definitions)) = schema.get(keyword) {
            for (name, definition) in definitions {
                let name = name.replace('~', "~0").replace('/', "~1");
                all.insert(format!("#/{keyword}/{name}"), definition.clone());
            }
        }
    }
    all
}

fn rewrite(mut schema: Value, optional: Optional) -> Result<Value, Error> {
    let walk = Walk {
        definitions: definitions_of(&schema),
        optional,
    };
    visit(&mut schema, "#", &walk, &[])?;
    if !is_object_schema(&schema) {
        return Err(refusal(
            "#",
            "the root must be an object (a struct); wrap the value in a struct with one field",
        ));
    }
    Ok(schema)
}

/// The strict schema of `T` (see [`strict_schema`]).
///
/// ```
/// use groq_types::ergonomics::strict_schema::strict_schema_for;
///
/// #[derive(schemars::JsonSchema)]
/// struct Person {
///     /// Full name.
///     name: String,
///     age: u32,
///     nickname: Option<String>,
/// }
///
/// let schema = strict_schema_for::<Person>().unwrap();
/// assert_eq!(schema["additionalProperties"], false);
/// let required = schema["required"].as_array().unwrap();
/// assert_eq!(required.len(), 3);
/// assert!(required.contains(&"nickname".into()));
/// assert!(schema["properties"]["age"].get("format").is_none());
/// ```
pub fn strict_schema_for<T: schemars::JsonSchema>() -> Result<Value, Error> {
    rewrite(schema_value::<T>(), Optional::AsDerived)
}

/// The schema of `T` as `schemars` derives it, without the `$schema` marker.
pub fn schema_value<T: schemars::JsonSchema>() -> Value {
    let mut value = serde_json::to_value(schemars::schema_for!(T)).unwrap_or(Value::Bool(true));
    if let Value::Object(object) = &mut value {
        object.remove("$schema");
    }
    value
}

/// The `response_format` asking for an answer of type `T` in `mode`, named `name` (letters, digits, `_`
/// and `-`). A type strict mode cannot express is an [`Error::InvalidRequest`].
///
/// ```
/// use groq_types::ergonomics::strict_schema::{response_format_for, OutputMode};
///
/// #[derive(schemars::JsonSchema)]
/// struct Review {
///     rating: u8,
/// }
///
/// let format = response_format_for::<Review>("review", OutputMode::Strict).unwrap();
/// let json = serde_json::to_value(&format).unwrap();
/// assert_eq!(json["json_schema"]["strict"], true);
/// assert_eq!(json["json_schema"]["schema"]["additionalProperties"], false);
/// let loose = serde_json::to_value(response_format_for::<Review>("review", OutputMode::BestEffort).unwrap()).unwrap();
/// assert_eq!(loose["json_schema"]["strict"], false);
/// ```
pub fn response_format_for<T: schemars::JsonSchema>(
    name: &str,
    mode: OutputMode,
) -> Result<ResponseFormat, Error> {
    Ok(match mode {
        OutputMode::Strict => ResponseFormat::json_schema(name, strict_schema_for::<T>()?, true),
        OutputMode::BestEffort => ResponseFormat::json_schema(name, schema_value::<T>(), false),
        OutputMode::JsonObject => ResponseFormat::json_object(),
    })
}

/// A name for the schema of `T` that the API accepts: the type's name with anything but letters, digits,
/// `_` and `-` replaced by `_`, at most 64 characters.
///
/// ```
/// assert_eq!(groq_types::ergonomics::strict_schema::schema_name::<Vec<u8>>(), "Array_of_uint8");
/// ```
pub fn schema_name<T: schemars::JsonSchema>() -> String {
    let name: String = T::schema_name()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    if name.is_empty() {
        "output".to_owned()
    } else {
        name
    }
}

fn refusal(path: &str, why: impl std::fmt::Display) -> Error {
    Error::InvalidRequest(format!(
        "the JSON schema cannot be used in strict mode: at {path}: {why}"
    ))
}

fn is_object_schema(schema: &Value) -> bool {
    schema.as_object().is_some_and(is_object_map)
}

fn is_object_map(schema: &Map<String, Value>) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == "object",
        Some(Value::Array(types)) => types.iter().any(|t| t == "object"),
        _ => schema.get("properties").is_some(),
    }
}

/// Whether a schema's `type` leaves out objects (`"string"`, `["integer", "null"]`…).
fn excludes_objects(schema: &Map<String, Value>) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t != "object",
        Some(Value::Array(types)) => !types.iter().any(|t| t == "object"),
        _ => false,
    }
}

/// Rewrites `node`, at `path`. `inlined` lists the definitions inlined into the nodes from the root down
/// to this one, so that a definition that would be inlined into itself is refused instead of looping.
fn visit(node: &mut Value, path: &str, walk: &Walk, inlined: &[String]) -> Result<(), Error> {
    let object = match node {
        Value::Object(object) => object,
        Value::Bool(true) => {
            return Err(refusal(
                path,
                "a schema that accepts any value (such as serde_json::Value) is not allowed; use a concrete type",
            ))
        }
        Value::Bool(false) => return Err(refusal(path, "a schema that accepts nothing")),
        other => return Err(refusal(path, format!("{other} is not a schema"))),
    };
    if let Some(keyword) = REFUSED.iter().find(|k| object.contains_key(**k)) {
        let why = if *keyword == "prefixItems" {
            "tuples (`prefixItems`) are not supported; use a struct".to_owned()
        } else {
            format!("`{keyword}` is not supported")
        };
        return Err(refusal(path, why));
    }
    for keyword in REMOVED {
        object.remove(*keyword);
    }
    if let Some(all_of) = object.remove("allOf") {
        match all_of {
            Value::Array(mut parts) if parts.len() == 1 => {
                if let Some(Value::Object(part)) = parts.pop() {
                    merge_into(object, part, path)?;
                } else {
                    return Err(refusal(path, "`allOf` must hold a schema object"));
                }
            }
            _ => {
                return Err(refusal(
                    path,
                    "`allOf` of several schemas is not supported; merge them into one struct",
                ))
            }
        }
        return visit(node, path, walk, inlined);
    }
    if object.contains_key("$ref") && object.contains_key("properties") {
        // An internally tagged enum's newtype variant: the tag's `properties` beside a `$ref` to the
        // variant's type. Closed on its own, the node would allow the tag only and the definition would
        // forbid the tag, so the definition is inlined: one object with the tag and the variant's fields.
        let reference = match object.remove("$ref") {
            Some(Value::String(reference)) => reference,
            _ => return Err(refusal(path, "`$ref` must be a string")),
        };
        if inlined.contains(&reference) {
            return Err(refusal(
                path,
                format!("`{reference}` would be inlined into itself: a recursive type beside other properties (such as an enum variant holding its own enum) cannot be expressed"),
            ));
        }
        let Some(Value::Object(definition)) = walk.definitions.get(&reference).cloned() else {
            return Err(refusal(
                path,
                format!("`$ref` to `{reference}` beside `properties` can only be inlined when it names an object schema in the schema's `$defs`"),
            ));
        };
        merge_into(object, definition, path)?;
        let mut inlined = inlined.to_vec();
        inlined.push(reference);
        return visit(node, path, walk, &inlined);
    }
    if let Some(one_of) = object.remove("oneOf") {
        if object.contains_key("anyOf") {
            return Err(refusal(
                path,
                "`anyOf` and `oneOf` in one schema are not supported",
            ));
        }
        object.insert("anyOf".into(), one_of);
    }
    if is_object_map(object) {
        if object.contains_key("anyOf") {
            push_into_alternatives(object, path)?;
        } else {
            close_object(object, path, walk.optional)?;
        }
    }
    for keyword in ["properties", "$defs", "definitions"] {
        if let Some(Value::Object(children)) = object.get_mut(keyword) {
            for (name, child) in children.iter_mut() {
                visit(child, &format!("{path}/{keyword}/{name}"), walk, inlined)?;
            }
        }
    }
    if let Some(Value::Array(variants)) = object.get_mut("anyOf") {
        for (i, child) in variants.iter_mut().enumerate() {
            visit(child, &format!("{path}/anyOf/{i}"), walk, inlined)?;
        }
    }
    match object.get_mut("items") {
        Some(Value::Array(_)) => {
            return Err(refusal(
                &format!("{path}/items"),
                "tuples are not supported; use a struct",
            ))
        }
        Some(items) => visit(items, &format!("{path}/items"), walk, inlined)?,
        None => {}
    }
    Ok(())
}

/// Keywords that only annotate a schema: when two schemas are merged, the outer one's are kept.
const ANNOTATIONS: &[&str] = &["title", "description"];

/// Merges the schema `source` into `target`, as an `allOf` of both would constrain a value: their
/// `properties` are joined, their `required` lists too, and any other keyword must be given by one of them
/// only, or with the same value. A property or keyword given twice with different schemas is refused.
/// Annotations (`title`, `description` and the keywords removed anyway) are `target`'s when both have one.
fn merge_into(
    target: &mut Map<String, Value>,
    source: Map<String, Value>,
    path: &str,
) -> Result<(), Error> {
    for (key, value) in source {
        let Some(existing) = target.get_mut(&key) else {
            target.insert(key, value);
            continue;
        };
        match (key.as_str(), existing, value) {
            ("properties", Value::Object(mine), Value::Object(theirs)) => {
                for (name, schema) in theirs {
                    match mine.get(&name) {
                        None => {
                            mine.insert(name, schema);
                        }
                        Some(same) if *same == schema => {}
                        Some(_) => {
                            return Err(refusal(
                                path,
                                format!("the property `{name}` is given twice, with different schemas"),
                            ))
                        }
                    }
                }
            }
            ("required", Value::Array(mine), Value::Array(theirs)) => {
                for name in theirs {
                    if !mine.contains(&name) {
                        mine.push(name);
                    }
                }
            }
            (keyword, _, _) if ANNOTATIONS.contains(&keyword) || REMOVED.contains(&keyword) => {}
            (_, existing, value) if *existing == value => {}
            (keyword, _, _) => {
                return Err(refusal(
                    path,
                    format!("`{keyword}` is given twice, with different values, in schemas that must be merged"),
                ))
            }
        }
    }
    Ok(())
}

/// An object with alternatives (`anyOf`), such as a struct with a flattened enum: its own `properties`
/// and `required` go into each alternative, which is then closed on its own, and leave the object, which
/// keeps `"type": "object"` and the alternatives. Closed beside its alternatives, the object would allow
/// its own properties only, and each alternative would forbid them.
fn push_into_alternatives(object: &mut Map<String, Value>, path: &str) -> Result<(), Error> {
    match object.remove("additionalProperties") {
        None | Some(Value::Bool(false)) => {}
        Some(_) => {
            return Err(refusal(
                path,
                "maps (`additionalProperties` other than false, such as a flattened HashMap) are not supported; use a struct or a list of key/value structs",
            ))
        }
    }
    let mut shared = Map::new();
    for keyword in ["properties", "required"] {
        if let Some(value) = object.remove(keyword) {
            shared.insert(keyword.into(), value);
        }
    }
    if shared.is_empty() {
        return Ok(());
    }
    shared.insert("type".into(), "object".into());
    let Some(Value::Array(alternatives)) = object.get_mut("anyOf") else {
        return Err(refusal(path, "`anyOf` must be a list of schemas"));
    };
    for (i, alternative) in alternatives.iter_mut().enumerate() {
        let at = format!("{path}/anyOf/{i}");
        if *alternative == Value::Bool(true) {
            *alternative = Value::Object(Map::new());
        }
        match alternative {
            Value::Object(alternative) if !excludes_objects(alternative) => {
                merge_into(alternative, shared.clone(), &at)?
            }
            _ => {
                return Err(refusal(
                    &at,
                    "an alternative that is not an object cannot take the properties of the object around it",
                ))
            }
        }
    }
    Ok(())
}

fn close_object(
    object: &mut Map<String, Value>,
    path: &str,
    optional: Optional,
) -> Result<(), Error> {
    match object.get("additionalProperties") {
        None | Some(Value::Bool(false)) => {}
        Some(_) => {
            return Err(refusal(
                path,
                "maps (`additionalProperties` other than false, such as a HashMap) are not supported; use a struct or a list of key/value structs",
            ))
        }
    }
    let required: Vec<String> = match object.get("required") {
        Some(Value::Array(names)) => names
            .iter()
            .filter_map(|n| n.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    let properties = object
        .entry("properties")
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(properties) = properties else {
        return Err(refusal(path, "`properties` must be an object"));
    };
    if let Optional::Nullable = optional {
        for (name, property) in properties.iter_mut() {
            if !required.contains(name) {
                make_nullable(property);
            }
        }
    }
    let all: Vec<Value> = properties.keys().cloned().map(Value::String).collect();
    object.insert("required".into(), Value::Array(all));
    object.insert("additionalProperties".into(), Value::Bool(false));
    Ok(())
}

fn is_null_schema(schema: &Value) -> bool {
    schema.get("type").is_some_and(|t| t == "null")
}

fn is_nullable(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) if t == "null" => return true,
        Some(Value::Array(types)) if types.iter().any(|t| t == "null") => return true,
        _ => {}
    }
    ["anyOf", "oneOf"].iter().any(|k| {
        schema
            .get(*k)
            .and_then(Value::as_array)
            .is_some_and(|variants| variants.iter().any(is_null_schema))
    }) || schema.get("const").is_some_and(Value::is_null)
}

/// Lets an optional property be `null`.
fn make_nullable(schema: &mut Value) {
    if is_nullable(schema) {
        return;
    }
    let Value::Object(object) = schema else {
        return;
    };
    let simple = !object.contains_key("$ref")
        && !object.contains_key("anyOf")
        && !object.contains_key("oneOf")
        && !object.contains_key("allOf")
        && !object.contains_key("const");
    match object.get_mut("type") {
        Some(Value::String(t)) if simple => {
            let t = std::mem::take(t);
            object.insert(
                "type".into(),
                Value::Array(vec![Value::String(t), Value::String("null".into())]),
            );
        }
        Some(Value::Array(types)) if simple => types.push(Value::String("null".into())),
        _ => {
            let description = object.remove("description");
            let inner = Value::Object(std::mem::take(object));
            let null = Value::Object(Map::from_iter([("type".into(), "null".into())]));
            object.insert("anyOf".into(), Value::Array(vec![inner, null]));
            if let Some(description) = description {
                object.insert("description".into(), description);
            }
            return;
        }
    }
    if let Some(Value::Array(values)) = object.get_mut("enum") {
        if !values.iter().any(Value::is_null) {
            values.push(Value::Null);
        }
    }
}

#[cfg(test)]
mod tests;
