//! `cargo xtask evolution`: proves that growing the API does not break users. It generates `groq-types` twice,
//! from `openapi/groq.yaml` and from a grown copy of it (an optional field on a request and on responses, a
//! value of a closed enum, a model id, a member of a tagged union), and compiles the fixed downstream crate
//! `xtask/evolution/downstream.rs` against both. Each copy is a small workspace under
//! `target/evolution/` holding `groq-types` (symlinks followed, every `groq.yaml` replaced by that variant's
//! spec), the downstream crate, and this workspace's package settings, dependencies and lock file. The
//! downstream crate turns on `groq-types`' `codegen` feature, so each copy is generated from its own spec.

use serde_json::{json, Value};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The optional field added to requests and responses.
const PROBE_FIELD: &str = "evolution_probe";

/// Runs both builds; fails when either does not compile or the grown spec did not reach the generated code.
pub fn run(root: &Path) -> Result<(), String> {
    let spec_path = root.join("openapi").join("groq.yaml");
    let text = fs::read_to_string(&spec_path)
        .map_err(|e| format!("cannot read {}: {e}", spec_path.display()))?;
    let spec: Value = serde_norway::from_str(&text)
        .map_err(|e| format!("{} is not valid YAML: {e}", spec_path.display()))?;
    let grown = grow(spec.clone())?;

    let base = root.join("target").join("evolution");
    let target_dir = base.join("target");
    for (name, variant) in [("original", &spec), ("grown", &grown)] {
        let dir = base.join(name);
        prepare(root, &dir, variant)?;
        // What the small workspace needs and the main one does not (the type generator's crates, which
        // the clients' default features leave out) is downloaded first, at the copied lock file's
        // versions, so that the offline check also works with a cargo cache that has never seen them.
        if !cargo(&dir, &["fetch", "--quiet"], &target_dir)? {
            return Err(format!(
                "cannot download the dependencies of {}",
                dir.display()
            ));
        }
        println!("evolution: compiling the downstream crate against the {name} spec");
        if !cargo(
            &dir,
            &["check", "--quiet", "--offline", "-p", "downstream"],
            &target_dir,
        )? {
            return Err(format!(
                "the downstream crate does not compile against the {name} spec ({})",
                dir.display()
            ));
        }
    }
    let generated = newest_generated(&target_dir)?;
    if !generated.contains(PROBE_FIELD) || !generated.contains("EvolutionProbe") {
        return Err("the grown spec did not reach the generated code".into());
    }
    println!("evolution: growing the API (field, enum value, model id, union member) breaks no user code");
    Ok(())
}

/// Runs cargo with `args` in `dir`, building into `target_dir`; whether it succeeded.
fn cargo(dir: &Path, args: &[&str], target_dir: &Path) -> Result<bool, String> {
    Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir)
        .status()
        .map(|status| status.success())
        .map_err(|e| format!("cannot run cargo: {e}"))
}

/// The spec with one of each kind of growth applied.
pub fn grow(mut spec: Value) -> Result<Value, String> {
    let schemas = spec
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
        .ok_or("the spec has no components/schemas")?;
    for name in [
        "CreateChatCompletionRequest",
        "CreateChatCompletionResponse",
        "ChatCompletionResponseMessage",
    ] {
        let properties = schemas
            .get_mut(name)
            .and_then(|s| s.get_mut("properties"))
            .and_then(Value::as_object_mut)
            .ok_or_else(|| format!("{name} has no properties"))?;
        properties.insert(
            PROBE_FIELD.into(),
            json!({"type": "string", "description": "A field added by the evolution check."}),
        );
    }
    push_enum(schemas, "/FinishReason/enum", "evolution_probe")?;
    push_enum(schemas, "/ChatModel/anyOf/0/enum", "evolution/probe-model")?;
    schemas.insert(
        "ChatCompletionRequestEvolutionProbeMessage".into(),
        json!({
            "type": "object",
            "description": "A message kind added by the evolution check.",
            "required": ["role"],
            "properties": {
                "role": {"type": "string", "enum": ["evolution_probe"], "description": "Author role."}
            }
        }),
    );
    let union = schemas
        .get_mut("ChatCompletionRequestMessage")
        .ok_or("ChatCompletionRequestMessage is missing")?;
    let member = json!({"$ref": "#/components/schemas/ChatCompletionRequestEvolutionProbeMessage"});
    union
        .get_mut("oneOf")
        .and_then(Value::as_array_mut)
        .ok_or("ChatCompletionRequestMessage has no oneOf")?
        .push(member.clone());
    union
        .pointer_mut("/discriminator/mapping")
        .and_then(Value::as_object_mut)
        .ok_or("ChatCompletionRequestMessage has no discriminator mapping")?
        .insert("evolution_probe".into(), member["$ref"].clone());
    Ok(spec)
}

fn push_enum(
    schemas: &mut serde_json::Map<String, Value>,
    pointer: &str,
    value: &str,
) -> Result<(), String> {
    let mut parts = pointer.trim_start_matches('/').splitn(2, '/');
    let (Some(name), Some(rest)) = (parts.next(), parts.next()) else {
        return Err(format!("bad pointer {pointer}"));
    };
    schemas
        .get_mut(name)
        .and_then(|s| s.pointer_mut(&format!("/{rest}")))
        .and_then(Value::as_array_mut)
        .ok_or_else(|| format!("{pointer} is not an enum list"))?
        .push(Value::String(value.into()));
    Ok(())
}

/// Writes the small workspace for one variant.
fn prepare(root: &Path, dir: &Path, spec: &Value) -> Result<(), String> {
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(|e| format!("cannot clear {}: {e}", dir.display()))?;
    }
    let types_dir = dir.join("groq-types");
    copy_tree(&root.join("groq-types"), &types_dir, &["tests", "target"])?;
    // JSON is YAML: the build script reads it as it reads the real spec.
    let spec_text = serde_json::to_string_pretty(spec).map_err(|e| e.to_string())?;
    for path in files_named(&types_dir, "groq.yaml")? {
        write(&path, &spec_text)?;
    }
    // Also where the workspace keeps it, for a build script that reads it from there.
    fs::create_dir_all(dir.join("openapi")).map_err(|e| e.to_string())?;
    write(&dir.join("openapi").join("groq.yaml"), &spec_text)?;

    let downstream = dir.join("downstream");
    fs::create_dir_all(downstream.join("src")).map_err(|e| e.to_string())?;
    let source = fs::read_to_string(root.join("xtask").join("evolution").join("downstream.rs"))
        .map_err(|e| format!("cannot read the downstream crate: {e}"))?;
    write(&downstream.join("src").join("lib.rs"), &source)?;
    write(
        &downstream.join("Cargo.toml"),
        "[package]\nname = \"downstream\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\ngroq-types = { path = \"../groq-types\", features = [\"codegen\"] }\nserde_json = \"1\"\n",
    )?;

    let manifest = fs::read_to_string(root.join("Cargo.toml")).map_err(|e| e.to_string())?;
    write(&dir.join("Cargo.toml"), &variant_manifest(&manifest)?)?;
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    Ok(())
}

/// The workspace manifest of a variant: this workspace's, with only `groq-types` and `downstream` as members.
fn variant_manifest(manifest: &str) -> Result<String, String> {
    let start = manifest
        .find("members")
        .ok_or("the workspace manifest has no members list")?;
    let end = manifest[start..]
        .find(']')
        .map(|i| start + i + 1)
        .ok_or("the members list is not closed")?;
    Ok(format!(
        "{}members = [\"groq-types\", \"downstream\"]{}",
        &manifest[..start],
        &manifest[end..]
    ))
}

/// Copies `from` into `to`, following symlinks, leaving out the directories named in `skip`.
fn copy_tree(from: &Path, to: &Path, skip: &[&str]) -> Result<(), String> {
    fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    let entries = fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| e.to_string())?;
        let name = entry.file_name();
        let source = entry.path();
        // `metadata` follows symlinks.
        let meta = fs::metadata(&source).map_err(|e| format!("{}: {e}", source.display()))?;
        if meta.is_dir() {
            if !skip.iter().any(|s| name == *s) {
                copy_tree(&source, &to.join(&name), &[])?;
            }
        } else {
            fs::copy(&source, to.join(&name))
                .map_err(|e| format!("cannot copy {}: {e}", source.display()))?;
        }
    }
    Ok(())
}

fn files_named(dir: &Path, name: &str) -> Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            found.extend(files_named(&path, name)?);
        } else if path.file_name().is_some_and(|n| n == name) {
            found.push(path);
        }
    }
    Ok(found)
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The generated code of the most recent `groq-types` build under `target_dir`.
fn newest_generated(target_dir: &Path) -> Result<String, String> {
    let build = target_dir.join("debug").join("build");
    let newest = fs::read_dir(&build)
        .map_err(|e| format!("cannot read {}: {e}", build.display()))?
        .filter_map(Result::ok)
        .map(|entry| entry.path().join("out").join("groq_types.rs"))
        .filter(|path| path.is_file())
        .max_by_key(|path| fs::metadata(path).and_then(|m| m.modified()).ok());
    let path = newest.ok_or("no generated groq_types.rs found")?;
    fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growth_reaches_every_kind() {
        let spec = json!({"components": {"schemas": {
            "CreateChatCompletionRequest": {"properties": {}},
            "CreateChatCompletionResponse": {"properties": {}},
            "ChatCompletionResponseMessage": {"properties": {}},
            "FinishReason": {"type": "string", "enum": ["stop"]},
            "ChatModel": {"anyOf": [{"type": "string", "enum": ["m"]}, {"type": "string"}]},
            "ChatCompletionRequestMessage": {"oneOf": [], "discriminator": {"propertyName": "role", "mapping": {}}}
        }}});
        let grown = grow(spec).expect("grows");
        let schemas = &grown["components"]["schemas"];
        assert!(schemas["CreateChatCompletionRequest"]["properties"][PROBE_FIELD].is_object());
        assert_eq!(
            schemas["FinishReason"]["enum"],
            json!(["stop", "evolution_probe"])
        );
        assert_eq!(
            schemas["ChatModel"]["anyOf"][0]["enum"],
            json!(["m", "evolution/probe-model"])
        );
        assert_eq!(
            schemas["ChatCompletionRequestMessage"]["oneOf"]
                .as_array()
                .map(Vec::len),
            Some(1)
        );
    }

    #[test]
    fn the_variant_manifest_keeps_everything_but_the_members() {
        let manifest = "[workspace]\nresolver = \"2\"\nmembers = [\"a\", \"b\"]\n\n[workspace.package]\nversion = \"1\"\n";
        let variant = variant_manifest(manifest).expect("has members");
        assert!(variant.contains("members = [\"groq-types\", \"downstream\"]"));
        assert!(variant.contains("[workspace.package]\nversion = \"1\""));
        assert!(!variant.contains("\"a\""));
    }
}
