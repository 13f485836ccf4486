//! Values that follow a JSON Schema, for structured answers and tool-call arguments the demo server
//! writes (a user's schema, so only inline definitions and `#/$defs` references are followed).

use serde_json::{json, Map, Value};

/// A value following `schema`.
pub fn of(schema: &Value) -> Value {
    build(schema, schema, &Hints::default(), 0)
}

/// Tool-call arguments following `schema`: its first string field gets `place` (a city the user named),
/// a field named like an expression gets `math`.
pub fn arguments(schema: &Value, place: Option<&str>, math: &str) -> Value {
    let hints = Hints {
        place: place.map(str::to_owned),
        math: (!math.is_empty()).then(|| math.to_owned()),
    };
    build(schema, schema, &hints, 0)
}

#[derive(Default)]
struct Hints {
    place: Option<String>,
    math: Option<String>,
}

fn build(root: &Value, schema: &Value, hints: &Hints, depth: usize) -> Value {
    if depth > 8 {
        return Value::Null;
    }
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let target = reference
            .strip_prefix('#')
            .and_then(|p| root.pointer(p))
            .cloned()
            .unwrap_or_default();
        return build(root, &target, hints, depth + 1);
    }
    if let Some(value) = schema
        .get("const")
        .or_else(|| schema.get("enum").and_then(|e| e.get(0)))
        .or_else(|| schema.get("default"))
    {
        return value.clone();
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(first) = schema.get(key).and_then(|a| a.get(0)) {
            return build(root, first, hints, depth + 1);
        }
    }
    let kind = match schema.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null"),
        _ if schema.get("properties").is_some() => "object",
        _ => "string",
    };
    match kind {
        "object" => {
            let mut object = Map::new();
            let mut place_used = false;
            if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                for (name, property) in properties {
                    let is_string = property.get("type").and_then(Value::as_str) == Some("string")
                        && property.get("enum").is_none();
                    let value = match (&hints.place, &hints.math) {
                        (_, Some(math)) if is_string && looks_like_expression(name) => {
                            math.clone().into()
                        }
                        (Some(place), _) if is_string && !place_used => {
                            place_used = true;
                            place.clone().into()
                        }
                        _ => build(root, property, hints, depth + 1),
                    };
                    object.insert(name.clone(), value);
                }
            }
            Value::Object(object)
        }
        "array" => json!([build(
            root,
            schema.get("items").unwrap_or(&Value::Null),
            hints,
            depth + 1
        )]),
        "integer" => schema.get("minimum").cloned().unwrap_or_else(|| 1.into()),
        "number" => schema.get("minimum").cloned().unwrap_or_else(|| json!(4.5)),
        "boolean" => true.into(),
        "null" => Value::Null,
        _ => match schema.get("format").and_then(Value::as_str) {
            Some("date") => "2025-01-01".into(),
            Some("date-time") => "2025-01-01T12:00:00Z".into(),
            Some("email") => "demo@example.com".into(),
            Some("uri") => "https://example.com".into(),
            _ => "demo value".into(),
        },
    }
}

fn looks_like_expression(name: &str) -> bool {
    ["expression", "formula", "equation", "math"]
        .iter()
        .any(|w| name.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_get_every_property_and_the_city_goes_to_the_first_string() {
        let schema = json!({
            "type": "object",
            "properties": {
                "location": { "type": "string" },
                "unit": { "type": "string", "enum": ["celsius", "fahrenheit"] },
                "days": { "type": "integer", "minimum": 3 }
            },
            "required": ["location"]
        });
        let args = arguments(&schema, Some("London"), "");
        assert_eq!(
            args,
            json!({ "location": "London", "unit": "celsius", "days": 3 })
        );
    }
}
