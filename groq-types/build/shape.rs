//! Reads the spec's shape: checks the conventions of `openapi/README.md`, finds the enums and tagged unions
//! that this crate emits itself, and prepares the copy of the spec that progenitor sees.

use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// A string enum that the generated code keeps open: unknown values are preserved.
pub struct OpenEnum {
    pub name: String,
    pub values: Vec<String>,
    pub description: Option<String>,
}

/// A `oneOf` with a discriminator, emitted as an enum that dispatches on the tag.
pub struct Union {
    pub name: String,
    pub tag: String,
    pub members: Vec<UnionMember>,
    pub description: Option<String>,
}

/// One member schema of a [`Union`] and the tag values that select it.
pub struct UnionMember {
    pub schema: String,
    pub tags: Vec<String>,
}

/// What the analysis found.
pub struct Shape {
    pub enums: Vec<OpenEnum>,
    pub unions: Vec<Union>,
}

impl Shape {
    /// Checks the conventions and collects the enums and unions.
    pub fn analyse(spec: &Value) -> Result<Self, String> {
        let schemas = spec
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .ok_or("the spec has no components/schemas")?;

        let mut enums = Vec::new();
        let mut unions = Vec::new();
        for (name, schema) in schemas {
            if let Some(values) = open_enum_values(schema) {
                enums.push(OpenEnum {
                    name: name.clone(),
                    values,
                    description: description(schema),
                });
            } else if schema.get("discriminator").is_some() {
                unions.push(union(name, schema, schemas)?);
            }
        }

        // Inline string enums are allowed only as the tag of a union member.
        let tags: BTreeSet<(String, String)> = unions
            .iter()
            .flat_map(|u| u.members.iter().map(|m| (m.schema.clone(), u.tag.clone())))
            .collect();
        let mut errors = Vec::new();
        for (name, schema) in schemas {
            if open_enum_values(schema).is_none() {
                find_inline_enums(schema, name, name, &tags, &mut errors);
            }
        }
        if !errors.is_empty() {
            return Err(format!(
                "string enums must be named components (openapi/README.md, rule 2): {}",
                errors.join(", ")
            ));
        }
        Ok(Self { enums, unions })
    }

    /// The component names that progenitor must not generate (this crate emits them).
    pub fn replaced_names(&self) -> impl Iterator<Item = &str> {
        self.enums
            .iter()
            .map(|e| e.name.as_str())
            .chain(self.unions.iter().map(|u| u.name.as_str()))
    }

    /// Whether `name` is one of the open enums.
    pub fn is_open_enum(&self, name: &str) -> bool {
        self.enums.iter().any(|e| e.name == name)
    }
}

fn description(schema: &Value) -> Option<String> {
    schema
        .get("description")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// The values of a named string enum: `type: string` with `enum`, or the open form
/// `anyOf: [{type: string, enum: [...]}, {type: string}]`.
fn open_enum_values(schema: &Value) -> Option<Vec<String>> {
    if let Some(values) = closed_enum_values(schema) {
        return Some(values);
    }
    let any_of = schema.get("anyOf")?.as_array()?;
    if any_of.len() != 2 {
        return None;
    }
    let plain = |s: &Value| {
        s.get("type").and_then(Value::as_str) == Some("string") && s.get("enum").is_none()
    };
    match (
        closed_enum_values(&any_of[0]),
        closed_enum_values(&any_of[1]),
    ) {
        (Some(values), None) if plain(&any_of[1]) => Some(values),
        (None, Some(values)) if plain(&any_of[0]) => Some(values),
        _ => None,
    }
}

fn closed_enum_values(schema: &Value) -> Option<Vec<String>> {
    if schema.get("type").and_then(Value::as_str) != Some("string") {
        return None;
    }
    let values = schema.get("enum")?.as_array()?;
    Some(
        values
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
    )
}

fn ref_name(schema: &Value) -> Option<&str> {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
}

fn union(name: &str, schema: &Value, schemas: &Map<String, Value>) -> Result<Union, String> {
    let fail = |why: &str| format!("union {name}: {why}");
    let tag = schema
        .pointer("/discriminator/propertyName")
        .and_then(Value::as_str)
        .ok_or_else(|| fail("discriminator has no propertyName"))?;
    let one_of = schema
        .get("oneOf")
        .and_then(Value::as_array)
        .ok_or_else(|| fail("a discriminator needs a oneOf"))?;
    let mapping = schema
        .pointer("/discriminator/mapping")
        .and_then(Value::as_object);

    let mut members = Vec::new();
    for member in one_of {
        let member_name = ref_name(member).ok_or_else(|| fail("every member must be a $ref"))?;
        let member_schema = schemas
            .get(member_name)
            .ok_or_else(|| fail(&format!("member {member_name} does not exist")))?;
        let declared = member_schema
            .pointer(&format!("/properties/{tag}"))
            .and_then(closed_enum_values)
            .ok_or_else(|| {
                fail(&format!(
                    "member {member_name} must declare `{tag}` as an inline string enum"
                ))
            })?;
        let tags: Vec<String> = match mapping {
            Some(mapping) => mapping
                .iter()
                .filter(|(_, target)| {
                    target.as_str().and_then(|t| t.rsplit('/').next()) == Some(member_name)
                })
                .map(|(value, _)| value.clone())
                .collect(),
            None => declared.clone(),
        };
        // The member's own enum gives the order (the mapping is a JSON object, whose order is not kept).
        let mut tags = tags;
        tags.sort_by_key(|t| declared.iter().position(|d| d == t));
        if tags.is_empty() {
            return Err(fail(&format!("no mapping entry selects {member_name}")));
        }
        if let Some(stray) = tags.iter().find(|t| !declared.contains(t)) {
            return Err(fail(&format!(
                "mapping value `{stray}` is not a `{tag}` of {member_name}"
            )));
        }
        members.push(UnionMember {
            schema: member_name.to_owned(),
            tags,
        });
    }
    Ok(Union {
        name: name.to_owned(),
        tag: tag.to_owned(),
        members,
        description: description(schema),
    })
}

/// Records every inline string enum below `schema` that is not an allowed union tag.
fn find_inline_enums(
    schema: &Value,
    component: &str,
    path: &str,
    tags: &BTreeSet<(String, String)>,
    errors: &mut Vec<String>,
) {
    let Some(object) = schema.as_object() else {
        return;
    };
    if path != component && closed_enum_values(schema).is_some() {
        let allowed = path
            .strip_prefix(component)
            .and_then(|rest| rest.strip_prefix(".properties."))
            .is_some_and(|prop| tags.contains(&(component.to_owned(), prop.to_owned())));
        if !allowed {
            errors.push(path.to_owned());
        }
        return;
    }
    for_each_subschema(object, |key, sub| {
        find_inline_enums(sub, component, &format!("{path}.{key}"), tags, errors)
    });
}

/// Calls `f` on every schema nested directly in `object`, with a label for the path.
fn for_each_subschema(object: &Map<String, Value>, mut f: impl FnMut(&str, &Value)) {
    if let Some(props) = object.get("properties").and_then(Value::as_object) {
        for (name, sub) in props {
            f(&format!("properties.{name}"), sub);
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(sub) = object.get(key).filter(|v| v.is_object()) {
            f(key, sub);
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(list) = object.get(key).and_then(Value::as_array) {
            for (i, sub) in list.iter().enumerate() {
                f(&format!("{key}[{i}]"), sub);
            }
        }
    }
}

/// The copy of the spec that progenitor sees: only the components (types only), without `default` values
/// (a default is never sent on the caller's behalf, so optional fields stay `Option`s), examples,
/// `additionalProperties: false` (generated types never reject unknown fields), string length or pattern
/// constraints, or integer enums: the server checks those values.
pub fn prepare_for_progenitor(spec: &Value) -> Value {
    let forms = multipart_schemas(spec);
    let mut prepared = spec.clone();
    if let Some(object) = prepared.as_object_mut() {
        object.insert("paths".into(), Value::Object(Map::new()));
    }
    if let Some(schemas) = prepared
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (name, schema) in schemas.iter_mut() {
            if forms.contains(name) {
                if let Some(object) = schema.as_object_mut() {
                    drop_file_parts(object);
                }
            }
            clean(schema);
        }
    }
    prepared
}

/// The components the operations send as `multipart/form-data` request bodies.
fn multipart_schemas(spec: &Value) -> BTreeSet<String> {
    let operations = spec
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(Value::as_object)
        .flat_map(|item| item.values());
    operations
        .filter_map(|operation| {
            operation.pointer("/requestBody/content/multipart~1form-data/schema/$ref")
        })
        .filter_map(Value::as_str)
        .filter_map(|reference| reference.strip_prefix("#/components/schemas/"))
        .map(str::to_owned)
        .collect()
}

fn clean(schema: &mut Value) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    object.remove("default");
    object.remove("example");
    object.remove("examples");
    if object.get("additionalProperties") == Some(&Value::Bool(false)) {
        object.remove("additionalProperties");
    }
    // String length and pattern constraints would turn strings into checked newtypes: the server checks them.
    if object.get("type").and_then(Value::as_str) == Some("string") {
        object.remove("minLength");
        object.remove("maxLength");
        object.remove("pattern");
    }
    // Integer enums (a speech sample rate) become plain integers: the server checks the value.
    if matches!(
        object.get("type").and_then(Value::as_str),
        Some("integer" | "number")
    ) {
        object.remove("enum");
    }
    if let Some(props) = object.get_mut("properties").and_then(Value::as_object_mut) {
        props.values_mut().for_each(clean);
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(sub) = object.get_mut(key) {
            clean(sub);
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(list) = object.get_mut(key).and_then(Value::as_array_mut) {
            list.iter_mut().for_each(clean);
        }
    }
}

/// A multipart request's file part (a `format: binary` property of a component sent as
/// `multipart/form-data`) is no field of its type: the SDK takes the file as an argument of its own
/// (`FileInput`), so a field could only ever be refused. A `format: binary` property anywhere else is
/// kept.
fn drop_file_parts(object: &mut Map<String, Value>) {
    let Some(props) = object.get_mut("properties").and_then(Value::as_object_mut) else {
        return;
    };
    let is_file = |schema: &Value| schema.get("format").and_then(Value::as_str) == Some("binary");
    let files: Vec<String> = props
        .iter()
        .filter(|(_, schema)| is_file(schema))
        .map(|(name, _)| name.clone())
        .collect();
    for name in &files {
        props.remove(name);
    }
    if let Some(required) = object.get_mut("required").and_then(Value::as_array_mut) {
        required.retain(|name| !files.iter().any(|file| name == file.as_str()));
    }
}
