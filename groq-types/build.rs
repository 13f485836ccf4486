//! Generates the `groq_types` crate from the project's OpenAPI description.
//!
//! The spec (`groq.yaml`, a link to `../openapi/groq.yaml`, copied as a file into the published crate) goes
//! through three steps. Nothing in the environment changes the result: the same spec always gives the same
//! API.
//! 1. [`shape`] checks the spec's conventions (see `openapi/README.md`), collects the enums and tagged unions
//!    this crate emits itself, and prepares a copy for progenitor (defaults and unknown-field bans removed);
//! 2. progenitor's generator (types only) emits every other type, with the enums and unions registered as
//!    replacements so that it refers to ours;
//! 3. [`emit`] writes the open enums and tag-dispatching unions, [`stability`] makes every generated struct
//!    and enum `#[non_exhaustive]`, and [`constructors`] adds `new` (or a builder) and setter methods to
//!    every generated struct.
//!
//! The result is written to `$OUT_DIR/groq_types.rs` and included by `src/generated.rs`.

#[path = "build/constructors.rs"]
mod constructors;
#[path = "build/emit.rs"]
mod emit;
#[path = "build/shape.rs"]
mod shape;
#[path = "build/stability.rs"]
mod stability;

use std::path::{Path, PathBuf};
use std::{env, fs, process};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=build");
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let spec_path = manifest_dir.join("groq.yaml");
    println!("cargo:rerun-if-changed={}", spec_path.display());

    let out_dir = PathBuf::from(env::var_os("OUT_DIR").unwrap_or_default());
    let result = generate(&spec_path).and_then(|code| {
        fs::write(out_dir.join("groq_types.rs"), code)
            .map_err(|e| format!("cannot write the generated code: {e}"))
    });
    if let Err(message) = result {
        eprintln!("error: {}: {message}", spec_path.display());
        process::exit(1);
    }
}

/// Whether `text` is what git writes for a symbolic link when symlinks are off: one short line, a path.
fn is_unfollowed_link(text: &str) -> bool {
    let text = text.trim();
    text.len() < 256 && !text.contains('\n') && text.ends_with(".yaml") && !text.contains(':')
}

/// Runs the whole pipeline and returns the formatted Rust source.
fn generate(spec_path: &Path) -> Result<String, String> {
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
    let spec: serde_json::Value =
        serde_norway::from_str(&text).map_err(|e| format!("not valid YAML: {e}"))?;

    let shape = shape::Shape::analyse(&spec)?;
    let prepared = shape::prepare_for_progenitor(&spec);
    let openapi: openapiv3::OpenAPI = serde_json::from_value(prepared)
        .map_err(|e| format!("not a valid OpenAPI 3.0 document: {e}"))?;

    let mut settings = progenitor_impl::GenerationSettings::default();
    settings
        .with_derive("PartialEq")
        .with_derive("::schemars::JsonSchema");
    for name in shape.replaced_names() {
        settings.with_replacement(
            name,
            emit::type_name(name),
            [
                progenitor_impl::TypeImpl::Display,
                progenitor_impl::TypeImpl::FromStr,
            ]
            .into_iter()
            .filter(|_| shape.is_open_enum(name)),
        );
    }
    let mut generator = progenitor_impl::Generator::new(&settings);
    generator
        .generate_tokens(&openapi)
        .map_err(|e| format!("progenitor rejected the spec: {e}"))?;

    let mut tokens = generator.get_type_space().to_stream();
    tokens.extend(emit::open_enums(&shape.enums)?);
    tokens.extend(emit::unions(&shape.unions)?);

    let mut file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("generated code does not parse: {e}"))?;
    constructors::lenient_nullable(&mut file);
    stability::mark_non_exhaustive(&mut file);
    constructors::add(&mut file)?;
    Ok(prettyplease::unparse(&file))
}
