//! `cargo xtask regen [--check]`: validate the spec, run the generator (`groq-types` built with its
//! `codegen` feature), and update (or check) the kept copy of its output, `groq-types/src/generated/
//! groq_types.rs`, and the snapshot of the generated API.

use crate::spec;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Where `groq-types` keeps the generator's output, relative to the workspace root.
const KEPT: [&str; 4] = ["groq-types", "src", "generated", "groq_types.rs"];

/// The integration test of `groq-types` that snapshots the generated API.
const SNAPSHOT_TEST: &str = "generated_api";

/// Runs the regeneration; `check` fails instead of updating when the kept code or the snapshot is stale.
pub fn run(root: &Path, check: bool) -> Result<(), String> {
    let spec_path = root.join("openapi").join("groq.yaml");
    let doc = spec::load(&spec_path)?;
    let problems = spec::validate(&doc);
    if !problems.is_empty() {
        for problem in &problems {
            eprintln!("{}: {problem}", spec_path.display());
        }
        return Err(format!(
            "{} is invalid ({} problems)",
            spec_path.display(),
            problems.len()
        ));
    }
    println!("regen: {} is valid", spec_path.display());

    println!("regen: running the generator (groq-types with the `codegen` feature)");
    let fresh = generate(root)?;
    let kept_path: PathBuf = KEPT
        .iter()
        .fold(root.to_path_buf(), |path, part| path.join(part));
    let kept = std::fs::read_to_string(&kept_path).unwrap_or_default();
    let shown = kept_path
        .strip_prefix(root)
        .unwrap_or(&kept_path)
        .display()
        .to_string();
    if kept.replace("\r\n", "\n") == fresh {
        println!("regen: {shown} is up to date");
    } else if check {
        return Err(format!(
            "{shown} is not what the generator writes from the spec; run `cargo xtask regen` and review \
             the diff"
        ));
    } else {
        std::fs::write(&kept_path, &fresh)
            .map_err(|e| format!("cannot write {}: {e}", kept_path.display()))?;
        println!("regen: updated {shown}");
    }

    let snapshots = root.join("groq-types").join("tests").join("snapshots");
    let before = read_dir_files(&snapshots);
    let test_args = ["test", "-p", "groq-types", "--test", SNAPSHOT_TEST];
    if check {
        println!("regen: checking the generated API snapshot");
        cargo(root, &test_args, &[("INSTA_UPDATE", "no"), ("CI", "true")]).map_err(|err| {
            format!(
                "the generated API snapshot is stale or the snapshot test failed ({err}); \
                 run `cargo xtask regen` and review the diff"
            )
        })?;
        println!("regen: snapshot is up to date");
        return Ok(());
    }

    println!("regen: updating the generated API snapshot");
    // INSTA_UPDATE=always writes `.snap` files in place and lets the assertion pass.
    cargo(root, &test_args, &[("INSTA_UPDATE", "always")])
        .map_err(|err| format!("the snapshot test failed: {err}"))?;
    let after = read_dir_files(&snapshots);
    let changed: Vec<&PathBuf> = after
        .iter()
        .filter(|(path, contents)| before.get(*path) != Some(contents))
        .map(|(path, _)| path)
        .collect();
    if changed.is_empty() {
        println!("regen: snapshot unchanged");
    } else {
        for path in changed {
            let shown = path.strip_prefix(root).unwrap_or(path);
            println!("regen: updated {}", shown.display());
        }
    }
    Ok(())
}

/// Builds `groq-types` with `codegen` and returns what its build script wrote to `$OUT_DIR/groq_types.rs`.
fn generate(root: &Path) -> Result<String, String> {
    let program = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let output = Command::new(&program)
        .args(["build", "-p", "groq-types", "--features", "codegen"])
        .arg("--message-format=json-render-diagnostics")
        .current_dir(root)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|err| format!("cannot run {program}: {err}"))?;
    if !output.status.success() {
        return Err(format!(
            "`cargo build -p groq-types --features codegen` exited with {}",
            output.status
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let out_dir = stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["reason"] == "build-script-executed")
        .filter(|message| {
            message["package_id"]
                .as_str()
                .is_some_and(|id| id.contains("/groq-types#") || id.starts_with("groq-types "))
        })
        .find_map(|message| message["out_dir"].as_str().map(PathBuf::from))
        .ok_or("cargo did not report the build script of groq-types")?;
    let path = out_dir.join("groq_types.rs");
    std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Runs cargo with `args` in `root`, with extra environment variables; Err describes a failure.
fn cargo(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    let program = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut command = Command::new(&program);
    command
        .args(args)
        .current_dir(root)
        .env_remove("INSTA_FORCE_PASS");
    for (key, value) in env {
        command.env(key, value);
    }
    let status = command
        .status()
        .map_err(|err| format!("cannot run {program}: {err}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo {} exited with {status}", args.join(" ")))
    }
}

/// The contents of the regular files directly in `dir` (empty when it does not exist).
fn read_dir_files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_file() {
            if let Ok(contents) = std::fs::read(&path) {
                out.insert(path, contents);
            }
        }
    }
    out
}
