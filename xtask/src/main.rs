//! Maintenance tasks for this workspace, run as `cargo xtask <command>`.
//!
//! - `cargo xtask spec-diff <other.yaml> [--ours <path>]`: structural comparison of `openapi/groq.yaml`
//!   with another description of the API.
//! - `cargo xtask regen [--check]`: validate the spec, regenerate `groq-types` and update (or check) the
//!   snapshot of the generated API.
//! - `cargo xtask evolution`: compile a fixed downstream crate against the types generated from the spec
//!   and from a grown copy of it (new optional field, enum value, model id, union member).
//! - `cargo xtask demo [FILTER...]`: run every example of both clients against an embedded Groq-shaped
//!   server (offline), with a pass/fail table; `--serve` runs only the server.

mod demo;
mod evolution;
mod regen;
mod spec;
mod spec_diff;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  spec-diff <other.yaml> [--ours <path>]
      Compare our spec (default: openapi/groq.yaml) with another OpenAPI description.
      Exits 1 when an operation, parameter, content type or property is missing or mistyped.
  regen [--check]
      Validate openapi/groq.yaml, rebuild groq-types and update the generated API snapshot.
      With --check, fail instead of updating when the snapshot is stale.
  evolution
      Compile a fixed downstream crate against the types generated from openapi/groq.yaml and from a
      grown copy of it (new optional field, enum value, model id, union member): growth must not break it.
";

/// The workspace root: the parent of this crate's manifest directory.
fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<ExitCode, String> {
    let Some((command, rest)) = args.split_first() else {
        eprint!("{USAGE}{}", demo::USAGE);
        return Ok(ExitCode::from(2));
    };
    match command.as_str() {
        "spec-diff" => spec_diff_command(rest),
        "regen" => regen_command(rest),
        "demo" => demo::command(&workspace_root(), rest),
        "evolution" => evolution::run(&workspace_root()).map(|()| ExitCode::SUCCESS),
        "help" | "-h" | "--help" => {
            print!("{USAGE}{}", demo::USAGE);
            Ok(ExitCode::SUCCESS)
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    }
}

fn spec_diff_command(args: &[String]) -> Result<ExitCode, String> {
    let root = workspace_root();
    let mut ours = root.join("openapi").join("groq.yaml");
    let mut other: Option<PathBuf> = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--ours" => {
                let path = iter
                    .next()
                    .ok_or_else(|| "`--ours` needs a path".to_string())?;
                ours = PathBuf::from(path);
            }
            "-h" | "--help" => {
                print!("{USAGE}");
                return Ok(ExitCode::SUCCESS);
            }
            flag if flag.starts_with('-') => return Err(format!("unknown option `{flag}`")),
            path => {
                if other.is_some() {
                    return Err("spec-diff takes exactly one other spec".to_string());
                }
                other = Some(PathBuf::from(path));
            }
        }
    }
    let other = other.ok_or_else(|| format!("spec-diff needs the other spec's path\n\n{USAGE}"))?;
    let ours_doc = spec::load(&ours)?;
    let theirs_doc = spec::load(&other)?;
    let report = spec_diff::diff(&ours_doc, &theirs_doc);
    println!("ours:   {}", ours.display());
    println!("theirs: {}", other.display());
    println!();
    print!("{}", report.render());
    println!("{}", report.summary());
    Ok(if report.has_errors() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn regen_command(args: &[String]) -> Result<ExitCode, String> {
    let mut check = false;
    for arg in args {
        match arg.as_str() {
            "--check" => check = true,
            "-h" | "--help" => {
                print!("{USAGE}");
                return Ok(ExitCode::SUCCESS);
            }
            other => return Err(format!("unknown argument `{other}` for regen")),
        }
    }
    match regen::run(&workspace_root(), check) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(message) => {
            eprintln!("regen: {message}");
            Ok(ExitCode::FAILURE)
        }
    }
}
