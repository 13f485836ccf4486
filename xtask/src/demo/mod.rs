//! `cargo xtask demo`: every example of both clients, run offline against an embedded Groq-shaped server.
//!
//! The server (loopback only, no key, no network) validates each request against `openapi/groq.yaml`
//! ([`validate`]) and answers like the API ([`answers`]): chat completions and their SSE streams, tool
//! calls, JSON answers, reasoning, audio, embeddings, models, files and batches that move through their
//! states, and Groq's error body for requests the API would refuse.

mod answers;
#[cfg(test)]
mod answers_tests;
mod audio;
mod chat;
mod instance;
mod multipart;
mod run;
mod server;
mod store;
mod validate;
#[cfg(test)]
mod validate_tests;

use std::path::Path;
use std::process::ExitCode;

/// Usage of `cargo xtask demo`.
pub const USAGE: &str = "\
  demo [--after-tests] [FILTER...]
      Build the examples of both clients and run them against an embedded Groq-shaped server (no key,
      no network), then print a pass/fail table. FILTERs keep only examples whose name contains one.
      --after-tests builds like `cargo test --workspace` (tests included), so that right after the
      tests nothing is rebuilt (CI).
  demo --serve [--port N]
      Only run the server, printing the GROQ_BASE_URL to use; stop it with Ctrl-C.
";

/// Runs `cargo xtask demo` with `args`.
pub fn command(root: &Path, args: &[String]) -> Result<ExitCode, String> {
    let mut serve = false;
    let mut after_tests = false;
    let mut port = 0u16;
    let mut filters = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--serve" => serve = true,
            "--after-tests" => after_tests = true,
            "--port" => {
                port = iter
                    .next()
                    .and_then(|p| p.parse().ok())
                    .ok_or("`--port` needs a port number")?;
            }
            flag if flag.starts_with('-') => return Err(format!("unknown option `{flag}`")),
            filter => filters.push(filter.to_owned()),
        }
    }
    let spec = validate::Spec::load(&root.join("openapi").join("groq.yaml"))?;
    let app = answers::App::new(spec);
    if serve {
        let server = server::Server::start(app, port)?;
        println!("demo server listening; in another shell:");
        println!(
            "  export GROQ_API_KEY={} GROQ_BASE_URL={}",
            run::DEMO_KEY,
            server.base_url()
        );
        println!("  cargo run -p groq-async --example quickstart");
        server.wait();
        return Ok(ExitCode::SUCCESS);
    }

    println!("== building the examples");
    let examples: Vec<run::Example> = run::build(root, after_tests)?
        .into_iter()
        .filter(|e| filters.is_empty() || filters.iter().any(|f| e.name.contains(f.as_str())))
        .collect();
    if examples.is_empty() {
        return Err("no example matches".into());
    }
    let server = server::Server::start(app, port)?;
    println!(
        "== demo server at {} ({} examples)",
        server.base_url(),
        examples.len()
    );
    let work = root.join("target").join("demo");
    let mut outcomes = Vec::new();
    for example in examples {
        println!("\n== {} / {}", example.package, example.name);
        outcomes.push(run::run(example, &server, &work));
    }
    Ok(if run::report(&outcomes) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
