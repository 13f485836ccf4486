//! Fails at once, saying what to do, when `src/facade` is not a directory: it is a symbolic link to
//! `../../groq-async/src/facade` (the facade both clients compile), and a checkout without symlink support
//! writes it as a small text file holding that path. The published crate holds a copy of the folder.

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=src/facade");
    let facade = Path::new("src/facade");
    if !facade.join("mod.rs").is_file() {
        eprintln!(
            "error: groq-blocking/src/facade is not a directory: it is a symbolic link to \
             ../../groq-async/src/facade that this checkout wrote as a plain file. Enable symbolic \
             links and check out again: `git config core.symlinks true` (on Windows, also enable \
             Developer Mode), then `git checkout -- groq-blocking/src/facade groq-types/groq.yaml`"
        );
        std::process::exit(1);
    }
}
