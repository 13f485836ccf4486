//! The generated construction surface stays safe and open to growth:
//! - no `new(…)` takes two required arguments that accept the same kind of value (two strings, a string and
//!   an open enum, two integers), which a caller could swap without a compile error;
//! - every generated struct with named fields and every generated enum is `#[non_exhaustive]`, so a new
//!   optional field, value or model id in the spec does not break code that uses this crate.

use quote::ToTokens;
use std::collections::BTreeSet;

/// The generated code, as `cargo xtask regen` keeps it.
const GENERATED: &str = include_str!("../src/generated/groq_types.rs");

fn file() -> syn::File {
    syn::parse_file(GENERATED)
        .unwrap_or_else(|err| panic!("the generated code does not parse: {err}"))
}

/// Types that convert from `&str` (strings and open enums).
fn string_like(file: &syn::File) -> BTreeSet<String> {
    let mut names = BTreeSet::from(["String".to_owned()]);
    for item in &file.items {
        let syn::Item::Impl(i) = item else { continue };
        let Some((_, path, _)) = &i.trait_ else {
            continue;
        };
        let text = path.to_token_stream().to_string().replace(' ', "");
        if text.ends_with("From<&str>") {
            names.insert(i.self_ty.to_token_stream().to_string());
        }
    }
    names
}

/// The kind of value an `impl Into<T>` parameter accepts.
fn class(ty: &syn::Type, strings: &BTreeSet<String>) -> String {
    let text = ty.to_token_stream().to_string().replace(' ', "");
    let inner = text
        .strip_prefix("impl::std::convert::Into<")
        .and_then(|t| t.strip_suffix('>'))
        .unwrap_or(&text);
    let last = inner.rsplit("::").next().unwrap_or(inner).to_owned();
    if strings.contains(&last) {
        "string".into()
    } else if matches!(
        last.as_str(),
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64"
    ) {
        "integer".into()
    } else if matches!(last.as_str(), "f32" | "f64") {
        "number".into()
    } else {
        last
    }
}

#[test]
fn no_constructor_takes_two_swappable_arguments() {
    let file = file();
    let strings = string_like(&file);
    let mut checked = 0;
    let mut swappable = Vec::new();
    for item in &file.items {
        let syn::Item::Impl(i) = item else { continue };
        if i.trait_.is_some() {
            continue;
        }
        for member in &i.items {
            let syn::ImplItem::Fn(f) = member else {
                continue;
            };
            if f.sig.ident != "new" {
                continue;
            }
            checked += 1;
            let mut seen: Vec<(String, String)> = Vec::new();
            for input in &f.sig.inputs {
                let syn::FnArg::Typed(arg) = input else {
                    continue;
                };
                let name = arg.pat.to_token_stream().to_string();
                let kind = class(&arg.ty, &strings);
                if let Some((other, _)) = seen.iter().find(|(_, k)| *k == kind) {
                    swappable.push(format!(
                        "{}::new: `{other}` and `{name}` both take a {kind}",
                        i.self_ty.to_token_stream()
                    ));
                }
                seen.push((name, kind));
            }
        }
    }
    assert!(
        checked > 50,
        "only {checked} constructors found: is the parser still right?"
    );
    assert!(
        swappable.is_empty(),
        "swappable constructor arguments:\n{}",
        swappable.join("\n")
    );
}

#[test]
fn every_generated_struct_and_enum_is_non_exhaustive() {
    let file = file();
    let mut open = Vec::new();
    let mut counted = 0;
    for item in &file.items {
        let (name, attrs) = match item {
            syn::Item::Struct(s)
                if matches!(s.vis, syn::Visibility::Public(_))
                    && matches!(s.fields, syn::Fields::Named(_))
                    && !s.ident.to_string().ends_with("Builder") =>
            {
                (s.ident.to_string(), &s.attrs)
            }
            syn::Item::Enum(e) if matches!(e.vis, syn::Visibility::Public(_)) => {
                (e.ident.to_string(), &e.attrs)
            }
            _ => continue,
        };
        counted += 1;
        if !attrs.iter().any(|a| a.path().is_ident("non_exhaustive")) {
            open.push(name);
        }
    }
    assert!(
        counted > 200,
        "only {counted} types found: is the parser still right?"
    );
    assert!(open.is_empty(), "not #[non_exhaustive]: {open:?}");
}

#[test]
fn builders_name_the_missing_field() {
    let missing = groq_types::CreateSpeechRequest::builder()
        .model("playai-tts")
        .input("Hello")
        .build()
        .expect_err("voice is required");
    assert_eq!(
        (missing.type_name(), missing.field()),
        ("CreateSpeechRequest", "voice")
    );
    let request = groq_types::CreateSpeechRequest::builder()
        .model("playai-tts")
        .input("Hello")
        .voice("Fritz-PlayAI")
        .build()
        .expect("every required field is set");
    assert_eq!(
        serde_json::to_value(&request).expect("serialises"),
        serde_json::json!({"model": "playai-tts", "input": "Hello", "voice": "Fritz-PlayAI"})
    );
}
