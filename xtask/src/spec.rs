//! Loading an OpenAPI document, resolving local `$ref`s and validating the document's references.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// HTTP methods that may appear as operations in a path item.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Reads a YAML (or JSON) OpenAPI document into a JSON value.
pub fn load(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
    parse(&text).map_err(|err| format!("{}: {err}", path.display()))
}

/// Parses YAML text into a JSON value (anchors and merge keys are applied).
pub fn parse(text: &str) -> Result<Value, String> {
    let mut yaml: serde_norway::Value =
        serde_norway::from_str(text).map_err(|err| format!("invalid YAML: {err}"))?;
    yaml.apply_merge()
        .map_err(|err| format!("invalid YAML merge key: {err}"))?;
    to_json(yaml)
}

fn to_json(yaml: serde_norway::Value) -> Result<Value, String> {
    use serde_norway::Value as Y;
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(Value::Null, Value::Number)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .map(to_json)
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = serde_json::Map::new();
            for (key, value) in map {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_string(),
                    other => return Err(format!("unsupported mapping key {other:?}")),
                };
                out.insert(key, to_json(value)?);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => to_json(tagged.value)?,
    })
}

/// Looks up a local reference (`#/components/schemas/Name`) in `doc`.
pub fn lookup<'a>(doc: &'a Value, reference: &str) -> Result<&'a Value, String> {
    let pointer = reference
        .strip_prefix('#')
        .ok_or_else(|| format!("`$ref: {reference}` is not a local reference"))?;
    if pointer.is_empty() {
        return Ok(doc);
    }
    doc.pointer(pointer)
        .ok_or_else(|| format!("`$ref: {reference}` does not resolve"))
}

/// Follows `$ref` chains from `value`; returns the target and the last reference's final segment.
pub fn resolve<'a>(
    doc: &'a Value,
    value: &'a Value,
) -> Result<(&'a Value, Option<&'a str>), String> {
    let mut current = value;
    let mut name = None;
    for _ in 0..64 {
        match current.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                name = reference.rsplit('/').next();
                current = lookup(doc, reference)?;
            }
            None => return Ok((current, name)),
        }
    }
    Err(format!(
        "`$ref` chain through {} is too long or cyclic",
        name.unwrap_or("?")
    ))
}

/// Checks that every `$ref` in `doc` resolves and that operationIds are unique.
///
/// Returns one message per problem; an empty list means the document is valid.
pub fn validate(doc: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    check_refs(doc, doc, &mut String::new(), &mut problems);

    let mut ids: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    match doc.get("paths") {
        Some(Value::Object(paths)) => {
            for (path, item) in paths {
                for method in METHODS {
                    let Some(id) = item
                        .get(method)
                        .and_then(|op| op.get("operationId"))
                        .and_then(Value::as_str)
                    else {
                        continue;
                    };
                    ids.entry(id)
                        .or_default()
                        .push(format!("{} {path}", method.to_uppercase()));
                }
            }
        }
        Some(_) => problems.push("`paths` is not a mapping".to_string()),
        None => problems.push("the document has no `paths`".to_string()),
    }
    for (id, ops) in ids {
        if ops.len() > 1 {
            problems.push(format!(
                "operationId `{id}` is used by {} operations: {}",
                ops.len(),
                ops.join(", ")
            ));
        }
    }
    problems
}

fn check_refs(doc: &Value, value: &Value, location: &mut String, problems: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref") {
                match reference.as_str() {
                    Some(reference) => {
                        if let Err(err) = lookup(doc, reference) {
                            problems.push(format!("at #{location}: {err}"));
                        }
                    }
                    None => problems.push(format!("at #{location}: `$ref` is not a string")),
                }
            }
            for (key, child) in map {
                let len = location.len();
                location.push('/');
                location.push_str(&key.replace('~', "~0").replace('/', "~1"));
                check_refs(doc, child, location, problems);
                location.truncate(len);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                let len = location.len();
                location.push('/');
                location.push_str(&index.to_string());
                check_refs(doc, child, location, problems);
                location.truncate(len);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validate_reports_broken_refs_and_duplicate_ids() {
        let doc = parse(
            r##"
paths:
  /a:
    get:
      operationId: same
      responses:
        '200':
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Missing'
  /b:
    post:
      operationId: same
components:
  schemas:
    Ok:
      type: object
      properties:
        self:
          $ref: '#/components/schemas/Ok'
"##,
        )
        .unwrap();
        let problems = validate(&doc);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("Missing"), "{problems:?}");
        assert!(problems[1].contains("`same`"), "{problems:?}");
    }

    #[test]
    fn malformed_yaml_is_an_error() {
        assert!(parse("a: [1, 2").is_err());
        assert!(parse("? [1, 2]\n: x\n").is_err());
    }

    #[test]
    fn numeric_keys_become_strings() {
        let doc = parse("responses:\n  200: {description: ok}\n").unwrap();
        assert!(doc.pointer("/responses/200").is_some());
    }

    #[test]
    fn cyclic_ref_chain_is_an_error() {
        let doc = parse(
            "components:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n",
        )
        .unwrap();
        let a = doc.pointer("/components/schemas/A").unwrap();
        assert!(resolve(&doc, a).is_err());
    }
}
