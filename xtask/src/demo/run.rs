//! Building the examples of both clients and running each against the demo server: one working
//! directory per example (with the inputs examples read: `audio.wav`, `image.png`), its output shown as
//! it comes, the requests it made, then a pass/fail table.

use super::audio;
use super::server::Server;
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The key the examples get: shaped like a Groq key, good only for the demo server.
pub const DEMO_KEY: &str = "gsk_demo_key_for_the_local_demo_server";
/// How long one example may run before it counts as hung.
const EXAMPLE_TIMEOUT: Duration = Duration::from_secs(120);

/// A compiled example.
pub struct Example {
    /// `groq-async` or `groq-blocking`.
    pub package: String,
    /// The example's name.
    pub name: String,
    /// Its binary.
    pub executable: PathBuf,
}

/// How one example went.
pub struct Outcome {
    example: Example,
    passed: bool,
    detail: String,
    elapsed: Duration,
    requests: usize,
}

/// Builds every example of both clients and returns their binaries.
///
/// `after_tests` builds them as `cargo test --workspace` does (`cargo test --workspace --no-run`): the
/// tests crate's dev-dependencies change the features of shared dependencies, so a plain
/// `cargo build --examples` would compile everything again after the tests. Without it only the
/// examples and what they need are built.
pub fn build(root: &Path, after_tests: bool) -> Result<Vec<Example>, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let args: &[&str] = if after_tests {
        &["test", "--workspace", "--no-run"]
    } else {
        &["build", "--workspace", "--examples"]
    };
    let output = Command::new(cargo)
        .current_dir(root)
        .args(args)
        .arg("--message-format=json-render-diagnostics")
        .stderr(Stdio::inherit())
        .output()
        .map_err(|err| format!("cannot run cargo: {err}"))?;
    if !output.status.success() {
        return Err("building the examples failed".into());
    }
    let mut examples = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let is_example = message["target"]["kind"]
            .as_array()
            .is_some_and(|kinds| kinds.iter().any(|k| k == "example"));
        let (Some(executable), true) = (message["executable"].as_str(), is_example) else {
            continue;
        };
        let package_id = message["package_id"].as_str().unwrap_or_default();
        let package = ["groq-blocking", "groq-async"]
            .into_iter()
            .find(|p| {
                package_id.contains(&format!("/{p}#")) || package_id.contains(&format!("{p} "))
            })
            .unwrap_or("other")
            .to_owned();
        examples.push(Example {
            package,
            name: message["target"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            executable: PathBuf::from(executable),
        });
    }
    examples.sort_by(|a, b| (&a.package, &a.name).cmp(&(&b.package, &b.name)));
    Ok(examples)
}

/// Runs `example` against `server` in its own directory under `work`.
pub fn run(example: Example, server: &Server, work: &Path) -> Outcome {
    let started = Instant::now();
    let result = run_inner(&example, server, work);
    let log = server.take_log();
    for entry in &log {
        let error = entry
            .error
            .as_deref()
            .map(|e| format!(" ({e})"))
            .unwrap_or_default();
        println!("    server: {} -> {}{error}", entry.line, entry.status);
    }
    let (passed, detail) = match result {
        Ok(()) => (true, "ok".to_owned()),
        Err(detail) => (false, detail),
    };
    Outcome {
        example,
        passed,
        detail,
        elapsed: started.elapsed(),
        requests: log.len(),
    }
}

fn run_inner(example: &Example, server: &Server, work: &Path) -> Result<(), String> {
    let dir = work.join(&example.name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)
        .map_err(|err| format!("cannot create {}: {err}", dir.display()))?;
    std::fs::write(dir.join("audio.wav"), audio::sample_wav()).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("image.png"), PNG).map_err(|e| e.to_string())?;

    let (reader, writer) = std::io::pipe().map_err(|err| format!("cannot make a pipe: {err}"))?;
    let mut command = Command::new(&example.executable);
    command
        .current_dir(&dir)
        .env("GROQ_API_KEY", DEMO_KEY)
        .env("GROQ_BASE_URL", server.base_url())
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env_remove("GROQ_CUSTOM_HEADERS")
        .stdin(Stdio::null())
        .stdout(writer.try_clone().map_err(|e| e.to_string())?)
        .stderr(writer);
    let mut child = command
        .spawn()
        .map_err(|err| format!("cannot start {}: {err}", example.executable.display()))?;
    drop(command);
    let echo = std::thread::spawn(move || {
        let stdout = std::io::stdout();
        for line in BufReader::new(reader).lines().map_while(Result::ok) {
            let _ = writeln!(stdout.lock(), "    | {line}");
        }
    });
    let deadline = Instant::now() + EXAMPLE_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Ok(status),
            Ok(None) if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                break Err(format!(
                    "still running after {}s",
                    EXAMPLE_TIMEOUT.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(err) => break Err(format!("cannot wait for it: {err}")),
        }
    };
    let _ = echo.join();
    let status = status?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("exited with {status}"))
    }
}

/// Prints the pass/fail table; returns whether every example passed.
pub fn report(outcomes: &[Outcome]) -> bool {
    println!(
        "\n{:<16} {:<32} {:<6} {:>8} {:>6}  detail",
        "client", "example", "result", "time", "calls"
    );
    println!("{}", "-".repeat(82));
    for o in outcomes {
        println!(
            "{:<16} {:<32} {:<6} {:>7.1}s {:>6}  {}",
            o.example.package,
            o.example.name,
            if o.passed { "pass" } else { "FAIL" },
            o.elapsed.as_secs_f64(),
            o.requests,
            o.detail
        );
    }
    let passed = outcomes.iter().filter(|o| o.passed).count();
    println!("\n{passed} of {} examples passed", outcomes.len());
    passed == outcomes.len()
}

/// An 8×8 orange PNG, the local image the vision examples send.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x08, 0x08, 0x02, 0x00, 0x00, 0x00, 0x4b, 0x6d, 0x29,
    0xdc, 0x00, 0x00, 0x00, 0x11, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0xf8, 0x1f, 0xc0, 0x80,
    0x15, 0x31, 0x0c, 0x2d, 0x09, 0x00, 0xf9, 0x68, 0x53, 0xc1, 0xc8, 0x6b, 0x8e, 0x0b, 0x00, 0x00,
    0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];
