//! The build step of `groq_types`: it reads the project's OpenAPI description and makes sure the types
//! compiled are the ones that description gives.
//!
//! The spec is `groq.yaml`, a link to `../openapi/groq.yaml` (copied as a file into the published crate).
//! The generator turns it into Rust in three steps; nothing in the environment changes the result, so the
//! same spec always gives the same API:
//! 1. [`shape`] checks the spec's conventions (see `openapi/README.md`), collects the enums and tagged unions
//!    this crate emits itself, and prepares a copy for progenitor (defaults and unknown-field bans removed);
//! 2. progenitor's generator (types only) emits every other type, with the enums and unions registered as
//!    replacements so that it refers to ours;
//! 3. [`emit`] writes the open enums and tag-dispatching unions, [`stability`] makes every generated struct
//!    and enum `#[non_exhaustive]`, [`layout`] boxes the stream chunk's large and rare fields, and
//!    [`constructors`] adds `new` (or a builder) and setter methods to every generated struct; last,
//!    [`layout`] has every list decoded at its length (`src/tight_vec.rs`).
//!
//! The generator and its dependencies (progenitor, typify, openapiv3 and what they pull in) take longer to
//! compile than the rest of a program using this crate, so its output is kept in the repository,
//! `src/generated/groq_types.rs`, headed by a digest of the spec it came from:
//! - by default this script reads the spec and checks that digest, failing at once when the spec changed
//!   without the types being regenerated;
//! - with the `codegen` feature it runs the generator, writes `$OUT_DIR/groq_types.rs`, and the crate is
//!   compiled from that. `cargo xtask regen` builds with it and copies the result into the repository;
//!   `cargo xtask regen --check` (in CI) fails when the kept copy differs from what the generator writes.

#[cfg(feature = "codegen")]
#[path = "build/constructors.rs"]
mod constructors;
#[cfg(feature = "codegen")]
#[path = "build/emit.rs"]
mod emit;
#[cfg(feature = "codegen")]
#[path = "build/generate.rs"]
mod generate;
#[cfg(feature = "codegen")]
#[path = "build/layout.rs"]
mod layout;
#[cfg(feature = "codegen")]
#[path = "build/shape.rs"]
mod shape;
#[cfg(feature = "codegen")]
#[path = "build/stability.rs"]
mod stability;

use std::path::{Path, PathBuf};
use std::{env, fs, process};

/// The kept output of the generator, relative to the crate's root.
const KEPT: &str = "src/generated/groq_types.rs";

/// The first line of the generated code names what made it; the second carries the spec's digest.
const DIGEST_PREFIX: &str = "// spec digest: ";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=build");
    println!("cargo:rerun-if-changed={KEPT}");
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let spec_path = manifest_dir.join("groq.yaml");
    println!("cargo:rerun-if-changed={}", spec_path.display());

    let kept =
        fs::read_to_string(manifest_dir.join(KEPT)).map_err(|e| format!("cannot read {KEPT}: {e}"));
    let result = read_spec(&spec_path).and_then(|spec| build(&spec, kept));
    if let Err(message) = result {
        eprintln!("error: {}: {message}", spec_path.display());
        process::exit(1);
    }
}

/// The spec's text, or what is wrong with the file.
fn read_spec(spec_path: &Path) -> Result<String, String> {
    let text = fs::read_to_string(spec_path).map_err(|e| format!("cannot read the spec: {e}"))?;
    if is_unfollowed_link(&text) {
        return Err(format!(
            "this file is a symbolic link that git checked out as a plain file holding its target \
             (`{}`). Enable symbolic links and check out again: `git config core.symlinks true` \
             (on Windows, also enable Developer Mode), then `git checkout -- groq-types/groq.yaml \
             groq-blocking/src/facade`",
            text.trim()
        ));
    }
    Ok(text)
}

/// Without `codegen`: the kept code must come from this spec.
#[cfg(not(feature = "codegen"))]
fn build(spec: &str, kept: Result<String, String>) -> Result<(), String> {
    let kept = kept?;
    let expected = digest(spec);
    match recorded_digest(&kept) {
        Some(found) if found == expected => Ok(()),
        found => Err(format!(
            "the spec changed since {KEPT} was generated (its digest is {expected}, the code was made \
             from {}). Run `cargo xtask regen` in the repository, or build with the `codegen` feature",
            found.unwrap_or("an unknown spec")
        )),
    }
}

/// With `codegen`: generate from the spec into `$OUT_DIR`, and say when the kept copy is stale.
#[cfg(feature = "codegen")]
fn build(spec: &str, kept: Result<String, String>) -> Result<(), String> {
    let code = format!("{}{}", header(spec), generate::generate(spec)?);
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").unwrap_or_default());
    fs::write(out_dir.join("groq_types.rs"), &code)
        .map_err(|e| format!("cannot write the generated code: {e}"))?;
    if kept.map(|kept| kept.replace("\r\n", "\n")).as_deref() != Ok(code.as_str()) {
        println!(
            "cargo:warning={KEPT} differs from what the generator writes; run `cargo xtask regen`"
        );
    }
    Ok(())
}

/// The two comment lines that head the generated code.
#[cfg(feature = "codegen")]
fn header(spec: &str) -> String {
    format!(
        "// @generated by groq-types/build.rs from openapi/groq.yaml (`cargo xtask regen`). Do not edit.\n\
         {DIGEST_PREFIX}{}\n",
        digest(spec)
    )
}

/// The digest recorded in the kept code's header.
#[cfg(not(feature = "codegen"))]
fn recorded_digest(kept: &str) -> Option<&str> {
    kept.lines()
        .take(2)
        .find_map(|line| line.strip_prefix(DIGEST_PREFIX))
        .map(str::trim)
}

/// A digest of the spec's text: 64-bit FNV-1a over its bytes, carriage returns left out so that a checkout
/// with Windows line endings gives the same value.
fn digest(spec: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in spec.as_bytes().iter().filter(|&&b| b != b'\r') {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("fnv1a64:{hash:016x}")
}

/// Whether `text` is what git writes for a symbolic link when symlinks are off: one short line, a path.
fn is_unfollowed_link(text: &str) -> bool {
    let text = text.trim();
    text.len() < 256 && !text.contains('\n') && text.ends_with(".yaml") && !text.contains(':')
}
