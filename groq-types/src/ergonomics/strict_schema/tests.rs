//! The strict-schema rewrite's tests: each rule on hand-written schemas, and values of tricky serde
//! types checked against the schema made for them.

use super::*;
use serde_json::json;
use std::collections::HashMap;

#[allow(dead_code)]
#[derive(schemars::JsonSchema)]
enum Mood {
    Happy,
    Sad,
}

#[allow(dead_code)]
#[derive(schemars::JsonSchema)]
struct Address {
    street: String,
    zip: Option<u32>,
}

#[allow(dead_code)]
#[derive(schemars::JsonSchema)]
enum Shape {
    Circle { radius: f64 },
    Square(f64),
}

#[allow(dead_code)]
#[derive(schemars::JsonSchema)]
struct Person {
    name: String,
    age: u32,
    mood: Option<Mood>,
    address: Option<Address>,
    tags: Vec<String>,
    shape: Shape,
    #[serde(default)]
    score: i64,
}

/// Walks every object schema and checks it is closed with every property required, and that no
/// removed keyword is left.
fn assert_strict(node: &Value) {
    match node {
        Value::Object(object) => {
            for keyword in REMOVED.iter().chain(REFUSED) {
                assert!(!object.contains_key(*keyword), "{keyword} left in {node}");
            }
            assert!(!object.contains_key("oneOf"), "oneOf left in {node}");
            if is_object_schema(node) && object.contains_key("anyOf") {
                // An object with alternatives: each alternative is a closed object with all of them.
                for keyword in ["properties", "required", "additionalProperties"] {
                    assert!(
                        !object.contains_key(keyword),
                        "{keyword} beside anyOf in {node}"
                    );
                }
            } else if is_object_schema(node) {
                assert!(
                    !object.contains_key("$ref"),
                    "$ref beside properties in {node}"
                );
                assert_eq!(object["additionalProperties"], false, "{node}");
                let properties = object["properties"].as_object().unwrap();
                let required = object["required"].as_array().unwrap();
                assert_eq!(properties.len(), required.len(), "{node}");
                for name in properties.keys() {
                    assert!(required.contains(&json!(name)), "{name} not required");
                }
            }
            object.values().for_each(assert_strict);
        }
        Value::Array(items) => items.iter().for_each(assert_strict),
        _ => {}
    }
}

#[test]
fn a_derived_schema_becomes_strict() {
    let schema = strict_schema_for::<Person>().unwrap();
    assert_strict(&schema);
    let properties = &schema["properties"];
    assert_eq!(properties["age"], json!({"type": "integer"}));
    assert_eq!(properties["tags"]["type"], "array");
    assert!(is_nullable(&properties["mood"]), "{}", properties["mood"]);
    assert!(is_nullable(&properties["address"]));
    // A serde default is not an `Option`: `null` would not parse into it, so the model must give it.
    assert!(
        !is_nullable(&properties["score"]),
        "{}",
        properties["score"]
    );
    assert!(!is_nullable(&properties["name"]));
    let address = &schema["$defs"]["Address"];
    assert_eq!(address["required"], json!(["street", "zip"]));
    assert_eq!(
        address["properties"]["zip"]["type"],
        json!(["integer", "null"])
    );
}

#[test]
fn optional_enums_and_refs_become_nullable() {
    let mut enum_schema = json!({"type": "string", "enum": ["a", "b"], "description": "d"});
    make_nullable(&mut enum_schema);
    assert_eq!(
        enum_schema,
        json!({"type": ["string", "null"], "enum": ["a", "b", null], "description": "d"})
    );
    let mut reference = json!({"$ref": "#/$defs/X", "description": "an x"});
    make_nullable(&mut reference);
    assert_eq!(
        reference,
        json!({"anyOf": [{"$ref": "#/$defs/X"}, {"type": "null"}], "description": "an x"})
    );
    let mut already = json!({"type": ["string", "null"]});
    make_nullable(&mut already);
    assert_eq!(already, json!({"type": ["string", "null"]}));
}

#[test]
fn what_strict_mode_cannot_express_is_refused_with_its_place() {
    #[allow(dead_code)]
    #[derive(schemars::JsonSchema)]
    struct WithMap {
        counts: HashMap<String, u32>,
    }
    #[allow(dead_code)]
    #[derive(schemars::JsonSchema)]
    struct WithTuple {
        pair: (u8, String),
    }
    #[allow(dead_code)]
    #[derive(schemars::JsonSchema)]
    struct WithAny {
        anything: serde_json::Value,
    }
    let message = |r: Result<Value, Error>| match r {
        Err(Error::InvalidRequest(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    };
    let map = message(strict_schema_for::<WithMap>());
    assert!(
        map.contains("#/properties/counts") && map.contains("maps"),
        "{map}"
    );
    let tuple = message(strict_schema_for::<WithTuple>());
    assert!(
        tuple.contains("#/properties/pair") && tuple.contains("tuple"),
        "{tuple}"
    );
    let any = message(strict_schema_for::<WithAny>());
    assert!(any.contains("#/properties/anything"), "{any}");
    let root = message(strict_schema_for::<Mood>());
    assert!(root.contains("root"), "{root}");
    let vec_root = message(strict_schema_for::<Vec<String>>());
    assert!(vec_root.contains("root"), "{vec_root}");
    assert!(strict_schema(json!({"type": "object", "allOf": [{}, {}]})).is_err());
    assert!(strict_schema(json!({"type": "object", "patternProperties": {}})).is_err());
}

#[test]
fn a_field_with_a_serde_default_must_be_given_and_an_option_may_be_null() {
    #[derive(Default, serde::Deserialize, schemars::JsonSchema)]
    #[serde(default)]
    struct Settings {
        level: i64,
        label: Option<String>,
    }
    let schema = strict_schema_for::<Settings>().unwrap();
    assert_strict(&schema);
    assert!(!is_nullable(&schema["properties"]["level"]), "{schema}");
    assert!(is_nullable(&schema["properties"]["label"]), "{schema}");
    let answer: Settings = serde_json::from_value(json!({"level": 3, "label": null})).unwrap();
    assert_eq!((answer.level, answer.label), (3, None));
    // What a nullable `level` would have let the model send:
    assert!(serde_json::from_value::<Settings>(json!({"level": null, "label": "x"})).is_err());
}

#[test]
fn a_single_all_of_is_inlined() {
    let schema = strict_schema(json!({
        "allOf": [{"type": "object", "properties": {"a": {"type": "string"}}}],
        "description": "wrapped"
    }))
    .unwrap();
    assert_eq!(
        schema,
        json!({
            "type": "object",
            "description": "wrapped",
            "properties": {"a": {"type": ["string", "null"]}},
            "required": ["a"],
            "additionalProperties": false
        })
    );
}

#[test]
fn a_single_all_of_beside_properties_is_merged_with_them() {
    let schema = strict_schema(json!({
        "type": "object",
        "description": "outer",
        "properties": {"a": {"type": "string"}},
        "required": ["a"],
        "allOf": [{
            "description": "inner",
            "properties": {"a": {"type": "string"}, "b": {"type": "integer", "format": "int32"}},
            "required": ["b"]
        }]
    }))
    .unwrap();
    assert_eq!(
        schema,
        json!({
            "type": "object",
            "description": "outer",
            "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
            "required": ["a", "b"],
            "additionalProperties": false
        })
    );
    let message = |r: Result<Value, Error>| match r {
        Err(Error::InvalidRequest(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    };
    let clash = message(strict_schema(json!({
        "type": "object",
        "properties": {"a": {"type": "string"}},
        "allOf": [{"properties": {"a": {"type": "integer"}}}]
    })));
    assert!(
        clash.contains("`a`") && clash.starts_with("the JSON schema"),
        "{clash}"
    );
    let types = message(strict_schema(json!({
        "type": "object",
        "properties": {"a": {"type": "string"}},
        "allOf": [{"type": "string"}]
    })));
    assert!(types.contains("`type`"), "{types}");
}

/// Whether `value` is valid against `schema` (within the document `root`), for the part of JSON Schema
/// that strict schemas use; any other keyword is an error, so that nothing is ignored silently.
fn check(schema: &Value, value: &Value, root: &Value) -> Result<(), String> {
    let object = match schema {
        Value::Bool(true) => return Ok(()),
        Value::Object(object) => object,
        _ => return Err(format!("{schema} is not a strict schema")),
    };
    let fail = |why: String| Err(format!("{value} against {schema}: {why}"));
    for (keyword, argument) in object {
        match keyword.as_str() {
            "title" | "description" | "$defs" | "definitions" => {}
            "type" => {
                let names: Vec<&str> = match argument {
                    Value::String(name) => vec![name.as_str()],
                    Value::Array(names) => names.iter().filter_map(Value::as_str).collect(),
                    _ => return fail("bad type".into()),
                };
                let matches = |name: &str| match name {
                    "object" => value.is_object(),
                    "array" => value.is_array(),
                    "string" => value.is_string(),
                    "boolean" => value.is_boolean(),
                    "null" => value.is_null(),
                    "number" => value.is_number(),
                    "integer" => value.is_i64() || value.is_u64(),
                    _ => false,
                };
                if !names.into_iter().any(matches) {
                    return fail("wrong type".into());
                }
            }
            "properties" => {
                if let Value::Object(fields) = value {
                    for (name, field) in fields {
                        if let Some(property) = argument.get(name) {
                            check(property, field, root)?;
                        }
                    }
                }
            }
            "required" => {
                for name in argument.as_array().unwrap() {
                    if value.is_object() && value.get(name.as_str().unwrap()).is_none() {
                        return fail(format!("{name} missing"));
                    }
                }
            }
            "additionalProperties" => {
                assert_eq!(argument, &Value::Bool(false), "a map in a strict schema");
                let properties = object.get("properties").cloned().unwrap_or(json!({}));
                if let Value::Object(fields) = value {
                    if let Some(extra) = fields.keys().find(|k| properties.get(*k).is_none()) {
                        return fail(format!("`{extra}` is not allowed"));
                    }
                }
            }
            "anyOf" => {
                let alternatives = argument.as_array().unwrap();
                let errors: Vec<String> = alternatives
                    .iter()
                    .filter_map(|a| check(a, value, root).err())
                    .collect();
                if errors.len() == alternatives.len() {
                    return fail(format!("no alternative matches: {errors:?}"));
                }
            }
            "$ref" => {
                let pointer = argument.as_str().unwrap().strip_prefix('#').unwrap();
                check(root.pointer(pointer).unwrap(), value, root)?;
            }
            "enum" => {
                if !argument.as_array().unwrap().contains(value) {
                    return fail("not in enum".into());
                }
            }
            "const" => {
                if argument != value {
                    return fail("not the const".into());
                }
            }
            "items" => {
                for item in value.as_array().into_iter().flatten() {
                    check(argument, item, root)?;
                }
            }
            other => return fail(format!("the check does not know `{other}`")),
        }
    }
    Ok(())
}

/// Checks that each value, as serde writes it, is valid against the strict schema of `T` and reads back.
fn assert_satisfiable<T>(values: &[T])
where
    T: schemars::JsonSchema + serde::Serialize + serde::de::DeserializeOwned,
{
    let schema = strict_schema_for::<T>().unwrap();
    assert_strict(&schema);
    for value in values {
        let json = serde_json::to_value(value).unwrap();
        serde_json::from_value::<T>(json.clone()).unwrap();
        if let Err(why) = check(&schema, &json, &schema) {
            panic!("{json} is not valid against the strict schema {schema}:\n{why}");
        }
    }
}

mod tricky {
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize, schemars::JsonSchema)]
    pub struct Inner {
        pub x: i32,
        pub y: Option<String>,
    }

    #[derive(Serialize, Deserialize, schemars::JsonSchema)]
    #[serde(tag = "kind")]
    pub enum Tagged {
        A(Inner),
        B { z: bool },
        C,
    }

    #[derive(Serialize, Deserialize, schemars::JsonSchema)]
    pub struct HasTagged {
        pub t: Tagged,
        pub o: Option<Tagged>,
        pub list: Vec<Tagged>,
    }

    #[derive(Serialize, Deserialize, schemars::JsonSchema)]
    pub struct FlatTagged {
        pub a: String,
        #[serde(flatten)]
        pub e: Tagged,
    }

    #[derive(Serialize, Deserialize, schemars::JsonSchema)]
    pub struct OnlyFlat {
        #[serde(flatten)]
        pub e: Tagged,
    }

    #[derive(Serialize, Deserialize, schemars::JsonSchema)]
    pub struct FlatOption {
        pub a: u8,
        #[serde(flatten)]
        pub e: Option<Tagged>,
    }

    #[derive(Serialize, Deserialize, schemars::JsonSchema)]
    #[serde(untagged)]
    pub enum Untagged {
        I(Inner),
        W { w: String },
    }

    #[derive(Serialize, Deserialize, schemars::JsonSchema)]
    pub struct FlatUntagged {
        pub a: u8,
        #[serde(flatten)]
        pub e: Untagged,
    }

    #[derive(Serialize, Deserialize, schemars::JsonSchema)]
    pub enum External {
        S { q: u8 },
        N(Inner),
    }

    #[derive(Serialize, Deserialize, schemars::JsonSchema)]
    pub struct FlatExternal {
        pub a: u8,
        #[serde(flatten)]
        pub e: External,
    }

    /// A newtype variant holding an enum with another tag.
    #[derive(Serialize, Deserialize, schemars::JsonSchema)]
    #[serde(tag = "outer")]
    pub enum Nested {
        T(Tagged),
        I(Inner),
    }

    #[derive(Serialize, Deserialize, schemars::JsonSchema)]
    pub struct HasNested {
        pub n: Nested,
    }

    #[derive(Serialize, Deserialize, schemars::JsonSchema)]
    pub struct Tree {
        pub name: String,
        pub children: Vec<Tree>,
    }
}

#[test]
fn values_of_tricky_types_are_valid_against_their_strict_schema() {
    use tricky::*;
    let inner = || Inner {
        x: 1,
        y: Some("y".into()),
    };
    let variants = || {
        [
            Tagged::A(inner()),
            Tagged::A(Inner { x: 2, y: None }),
            Tagged::B { z: true },
            Tagged::C,
        ]
    };
    assert_satisfiable(&variants().map(|t| HasTagged {
        t,
        o: Some(Tagged::A(inner())),
        list: variants().into(),
    }));
    assert_satisfiable(&[HasTagged {
        t: Tagged::C,
        o: None,
        list: vec![],
    }]);
    assert_satisfiable(&variants().map(|e| FlatTagged { a: "a".into(), e }));
    assert_satisfiable(&variants().map(|e| OnlyFlat { e }));
    assert_satisfiable(&variants().map(|e| FlatOption { a: 1, e: Some(e) }));
    assert_satisfiable(&[FlatOption { a: 1, e: None }]);
    assert_satisfiable(&[
        FlatUntagged {
            a: 1,
            e: Untagged::I(inner()),
        },
        FlatUntagged {
            a: 1,
            e: Untagged::W { w: "w".into() },
        },
    ]);
    assert_satisfiable(&[
        FlatExternal {
            a: 1,
            e: External::S { q: 2 },
        },
        FlatExternal {
            a: 1,
            e: External::N(inner()),
        },
    ]);
    let mut nested: Vec<HasNested> = variants()
        .into_iter()
        .map(|t| HasNested { n: Nested::T(t) })
        .collect();
    nested.push(HasNested {
        n: Nested::I(inner()),
    });
    assert_satisfiable(&nested);
    assert_satisfiable(&[Tree {
        name: "root".into(),
        children: vec![Tree {
            name: "leaf".into(),
            children: vec![],
        }],
    }]);
}

#[test]
fn the_check_of_values_rejects_what_a_strict_schema_forbids() {
    let schema = strict_schema_for::<tricky::FlatTagged>().unwrap();
    for wrong in [
        json!({"a": "a", "kind": "B", "z": true, "extra": 1}),
        json!({"a": "a", "kind": "B"}),
        json!({"kind": "C"}),
        json!({"a": "a", "kind": "D"}),
        json!({"a": "a", "kind": "A", "x": 1}),
    ] {
        assert!(check(&schema, &wrong, &schema).is_err(), "{wrong} passed");
    }
    assert!(check(
        &schema,
        &json!({"a": "a", "kind": "A", "x": 1, "y": null}),
        &schema
    )
    .is_ok());
}

#[test]
fn alternatives_that_cannot_take_the_properties_around_them_are_refused() {
    #[allow(dead_code)]
    #[derive(schemars::JsonSchema)]
    #[serde(tag = "kind")]
    enum SameTag {
        T(tricky::Tagged),
    }
    #[allow(dead_code)]
    #[derive(schemars::JsonSchema)]
    struct HasSameTag {
        s: SameTag,
    }
    let message = |r: Result<Value, Error>| match r {
        Err(Error::InvalidRequest(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    };
    // serde would write the tag `kind` twice: the schemas of the two tags clash.
    let clash = message(strict_schema_for::<HasSameTag>());
    assert!(clash.contains("`kind`"), "{clash}");
    let recursive = message(strict_schema(json!({
        "type": "object",
        "properties": {"r": {"$ref": "#/$defs/R"}},
        "$defs": {"R": {"oneOf": [
            {"type": "object", "$ref": "#/$defs/R", "properties": {"kind": {"const": "W"}}},
            {"type": "object", "properties": {"kind": {"const": "L"}}}
        ]}}
    })));
    assert!(recursive.contains("#/$defs/R"), "{recursive}");
    let not_an_object = message(strict_schema(json!({
        "type": "object",
        "properties": {"a": {"type": "string"}},
        "anyOf": [{"type": "object"}, {"type": "string"}]
    })));
    assert!(not_an_object.contains("#/anyOf/1"), "{not_an_object}");
    let unknown = message(strict_schema(json!({
        "type": "object",
        "properties": {"a": {"$ref": "#/$defs/Missing", "properties": {"k": {"type": "string"}}}}
    })));
    assert!(unknown.contains("#/$defs/Missing"), "{unknown}");
}

#[test]
fn schema_names_are_accepted_characters() {
    assert_eq!(schema_name::<Person>(), "Person");
    assert_eq!(schema_name::<Option<Person>>(), "Nullable_Person");
}
