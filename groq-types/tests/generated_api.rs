//! Snapshot of the public API that `build.rs` generates from `openapi/groq.yaml`.
//!
//! The listing names every public struct (with its fields), enum (with its variants) and type alias of
//! `src/generated/groq_types.rs`, so a change to the spec or the generator shows up as a reviewable diff of
//! `tests/snapshots/generated_api__generated_api.snap`. Update it with `cargo xtask regen`; check it with
//! `cargo xtask regen --check`.

use std::collections::BTreeMap;

/// The generated code, as `cargo xtask regen` keeps it.
const GENERATED: &str = include_str!("../src/generated/groq_types.rs");

/// Modules whose contents only mirror the types (builders, default values): left out of the listing.
const SKIPPED_MODULES: [&str; 2] = ["builder", "defaults"];

#[test]
fn generated_api() {
    let listing = match api_listing(GENERATED) {
        Ok(listing) => listing,
        Err(err) => panic!("the generated code does not parse: {err}"),
    };
    insta::assert_snapshot!("generated_api", listing);
}

/// A stable, sorted, one-line-per-member listing of the public types declared in `source`.
fn api_listing(source: &str) -> syn::Result<String> {
    let file = syn::parse_file(source)?;
    let mut entries = BTreeMap::new();
    collect(&file.items, "", &mut entries);
    let mut out = String::new();
    for text in entries.values() {
        out.push_str(text);
    }
    Ok(out)
}

/// Adds one entry per public type in `items` (and in public inline modules), keyed by its path.
fn collect(items: &[syn::Item], prefix: &str, entries: &mut BTreeMap<String, String>) {
    let wire_values = wire_values(items);
    for item in items {
        match item {
            syn::Item::Struct(item) if is_pub(&item.vis) => {
                let name = format!("{prefix}{}{}", item.ident, generics(&item.generics));
                let mut text = format!("struct {name}");
                match &item.fields {
                    syn::Fields::Unnamed(fields) => {
                        let types: Vec<String> =
                            fields.unnamed.iter().map(|f| type_str(&f.ty)).collect();
                        text.push_str(&format!("({})", types.join(", ")));
                        text.push_str(&serde_note(&item.attrs));
                        text.push('\n');
                    }
                    syn::Fields::Named(fields) => {
                        text.push_str(&serde_note(&item.attrs));
                        text.push('\n');
                        for field in &fields.named {
                            text.push_str(&field_line(field));
                        }
                    }
                    syn::Fields::Unit => {
                        text.push_str(&serde_note(&item.attrs));
                        text.push('\n');
                    }
                }
                entries.insert(name, text);
            }
            syn::Item::Enum(item) if is_pub(&item.vis) => {
                let name = format!("{prefix}{}{}", item.ident, generics(&item.generics));
                let values = wire_values.get(&item.ident.to_string());
                let mut text = format!("enum {name}{}\n", serde_note(&item.attrs));
                for variant in &item.variants {
                    text.push_str(&format!("  {}", variant.ident));
                    match &variant.fields {
                        syn::Fields::Unnamed(fields) => {
                            let types: Vec<String> =
                                fields.unnamed.iter().map(|f| type_str(&f.ty)).collect();
                            text.push_str(&format!("({})", types.join(", ")));
                        }
                        syn::Fields::Named(fields) => {
                            let fields: Vec<String> = fields
                                .named
                                .iter()
                                .map(|f| field_line(f).trim().to_string())
                                .collect();
                            text.push_str(&format!(" {{ {} }}", fields.join(", ")));
                        }
                        syn::Fields::Unit => {}
                    }
                    if let Some(value) = values.and_then(|v| v.get(&variant.ident.to_string())) {
                        text.push_str(&format!(" = {value:?}"));
                    }
                    text.push_str(&serde_note(&variant.attrs));
                    text.push('\n');
                }
                entries.insert(name, text);
            }
            syn::Item::Type(item) if is_pub(&item.vis) => {
                let name = format!("{prefix}{}{}", item.ident, generics(&item.generics));
                let text = format!("type {name} = {}\n", type_str(&item.ty));
                entries.insert(name, text);
            }
            syn::Item::Mod(item) if is_pub(&item.vis) => {
                let module = item.ident.to_string();
                if SKIPPED_MODULES.contains(&module.as_str()) {
                    continue;
                }
                if let Some((_, items)) = &item.content {
                    collect(items, &format!("{prefix}{module}::"), entries);
                }
            }
            _ => {}
        }
    }
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

/// `  name: Type (serde: ...)` for a named field.
fn field_line(field: &syn::Field) -> String {
    let name = field
        .ident
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    format!(
        "  {name}: {}{}\n",
        type_str(&field.ty),
        serde_note(&field.attrs)
    )
}

/// The wire value of each variant of open enums, read from `impl Enum` methods written as
/// `match self { Self::Variant => "value", ... }` (enum name -> variant -> value).
fn wire_values(items: &[syn::Item]) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for item in items {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() {
            continue;
        }
        let syn::Type::Path(self_ty) = &*imp.self_ty else {
            continue;
        };
        let Some(enum_name) = self_ty.path.segments.last().map(|s| s.ident.to_string()) else {
            continue;
        };
        for impl_item in &imp.items {
            let syn::ImplItem::Fn(method) = impl_item else {
                continue;
            };
            let Some(syn::Stmt::Expr(syn::Expr::Match(m), None)) = method.block.stmts.last() else {
                continue;
            };
            for arm in &m.arms {
                let syn::Pat::Path(pat) = &arm.pat else {
                    continue;
                };
                let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(value),
                    ..
                }) = &*arm.body
                else {
                    continue;
                };
                if let Some(variant) = pat.path.segments.last() {
                    out.entry(enum_name.clone())
                        .or_default()
                        .entry(variant.ident.to_string())
                        .or_insert_with(|| value.value());
                }
            }
        }
    }
    out
}

/// ` (serde: rename = "type", ...)` for the serde attributes that shape the JSON, or "".
fn serde_note(attrs: &[syn::Attribute]) -> String {
    const SHAPING: [&str; 9] = [
        "rename",
        "rename_all",
        "alias",
        "tag",
        "content",
        "untagged",
        "transparent",
        "flatten",
        "other",
    ];
    let mut notes = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let Ok(metas) = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
        ) else {
            continue;
        };
        for meta in metas {
            let key = path_str(meta.path());
            if !SHAPING.contains(&key.as_str()) {
                continue;
            }
            match &meta {
                syn::Meta::Path(_) => notes.push(key),
                syn::Meta::NameValue(nv) => match &nv.value {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(value),
                        ..
                    }) => notes.push(format!("{key} = {:?}", value.value())),
                    _ => notes.push(format!("{key} = ?")),
                },
                syn::Meta::List(_) => notes.push(format!("{key}(..)")),
            }
        }
    }
    if notes.is_empty() {
        String::new()
    } else {
        format!(" (serde: {})", notes.join(", "))
    }
}

/// `<T, 'a>` for a generic item, or "".
fn generics(generics: &syn::Generics) -> String {
    let params: Vec<String> = generics
        .params
        .iter()
        .map(|p| match p {
            syn::GenericParam::Type(t) => t.ident.to_string(),
            syn::GenericParam::Lifetime(l) => format!("'{}", l.lifetime.ident),
            syn::GenericParam::Const(c) => format!("const {}", c.ident),
        })
        .collect();
    if params.is_empty() {
        String::new()
    } else {
        format!("<{}>", params.join(", "))
    }
}

/// A readable rendering of a type: standard library paths are shortened to their last segment
/// (`::std::option::Option<::std::string::String>` is `Option<String>`), other paths lose their
/// leading `::`, `crate::`, `self::` or `super::`.
fn type_str(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => path_str(&p.path),
        syn::Type::Reference(r) => {
            let lifetime = r
                .lifetime
                .as_ref()
                .map(|l| format!("'{} ", l.ident))
                .unwrap_or_default();
            let mutability = if r.mutability.is_some() { "mut " } else { "" };
            format!("&{lifetime}{mutability}{}", type_str(&r.elem))
        }
        syn::Type::Tuple(t) => {
            let elems: Vec<String> = t.elems.iter().map(type_str).collect();
            format!("({})", elems.join(", "))
        }
        syn::Type::Array(a) => format!("[{}; {}]", type_str(&a.elem), expr_str(&a.len)),
        syn::Type::Slice(s) => format!("[{}]", type_str(&s.elem)),
        syn::Type::Paren(p) => type_str(&p.elem),
        syn::Type::Group(g) => type_str(&g.elem),
        syn::Type::Never(_) => "!".to_string(),
        syn::Type::Infer(_) => "_".to_string(),
        syn::Type::TraitObject(t) => format!("dyn {}", bounds_str(&t.bounds)),
        syn::Type::ImplTrait(t) => format!("impl {}", bounds_str(&t.bounds)),
        _ => "<type>".to_string(),
    }
}

fn bounds_str(bounds: &syn::punctuated::Punctuated<syn::TypeParamBound, syn::Token![+]>) -> String {
    let parts: Vec<String> = bounds
        .iter()
        .map(|b| match b {
            syn::TypeParamBound::Trait(t) => path_str(&t.path),
            syn::TypeParamBound::Lifetime(l) => format!("'{}", l.ident),
            _ => "<bound>".to_string(),
        })
        .collect();
    parts.join(" + ")
}

fn expr_str(expr: &syn::Expr) -> String {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(i),
            ..
        }) => i.base10_digits().to_string(),
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => format!("{:?}", s.value()),
        syn::Expr::Path(p) => path_str(&p.path),
        _ => "<expr>".to_string(),
    }
}

fn path_str(path: &syn::Path) -> String {
    let mut segments: Vec<&syn::PathSegment> = path.segments.iter().collect();
    let first = segments.first().map(|s| s.ident.to_string());
    if matches!(first.as_deref(), Some("std" | "core" | "alloc")) && segments.len() > 1 {
        segments.drain(..segments.len() - 1);
    }
    while segments.len() > 1
        && matches!(
            segments[0].ident.to_string().as_str(),
            "crate" | "self" | "super"
        )
    {
        segments.remove(0);
    }
    let parts: Vec<String> = segments.iter().map(|s| segment_str(s)).collect();
    parts.join("::")
}

fn segment_str(segment: &syn::PathSegment) -> String {
    let name = segment.ident.to_string();
    match &segment.arguments {
        syn::PathArguments::None => name,
        syn::PathArguments::AngleBracketed(args) => {
            let args: Vec<String> = args
                .args
                .iter()
                .map(|arg| match arg {
                    syn::GenericArgument::Type(t) => type_str(t),
                    syn::GenericArgument::Lifetime(l) => format!("'{}", l.ident),
                    syn::GenericArgument::Const(e) => expr_str(e),
                    syn::GenericArgument::AssocType(a) => {
                        format!("{} = {}", a.ident, type_str(&a.ty))
                    }
                    _ => "<arg>".to_string(),
                })
                .collect();
            format!("{name}<{}>", args.join(", "))
        }
        syn::PathArguments::Parenthesized(args) => {
            let inputs: Vec<String> = args.inputs.iter().map(type_str).collect();
            let output = match &args.output {
                syn::ReturnType::Default => String::new(),
                syn::ReturnType::Type(_, t) => format!(" -> {}", type_str(t)),
            };
            format!("{name}({}){output}", inputs.join(", "))
        }
    }
}

/// The listing of a small hand-written sample, so a change to the listing itself is tested without the
/// generated code.
#[test]
fn listing_of_a_sample() {
    let sample = r#"
        pub mod builder { pub struct Skipped { value: i64 } }
        /// Why the model stopped.
        #[derive(Clone, Debug)]
        pub enum FinishReason {
            /// `stop`
            Stop,
            ToolCalls,
            /// Unknown.
            Unknown(::std::string::String),
        }
        impl FinishReason {
            pub fn as_str(&self) -> &str {
                match self {
                    Self::Stop => "stop",
                    Self::ToolCalls => "tool_calls",
                    Self::Unknown(value) => value.as_str(),
                }
            }
        }
        #[derive(::serde::Serialize)]
        pub struct ChatCompletionChoice {
            pub finish_reason: FinishReason,
            pub index: i64,
            #[serde(rename = "type", default, skip_serializing_if = "::std::option::Option::is_none")]
            pub type_: ::std::option::Option<::std::vec::Vec<::std::string::String>>,
            pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
            pub map: ::std::collections::HashMap<::std::string::String, crate::types::Thing>,
        }
        #[serde(transparent)]
        pub struct ModelId(pub ::std::string::String);
        pub type Alias = ::std::boxed::Box<super::ChatCompletionChoice>;
        #[serde(untagged)]
        pub enum Content { Text(::std::string::String), Parts { parts: Vec<Part>, n: [u8; 4] } }
        struct Private;
        pub mod types { pub struct Nested; }
    "#;
    let listing = match api_listing(sample) {
        Ok(listing) => listing,
        Err(err) => panic!("the sample does not parse: {err}"),
    };
    let expected = "\
type Alias = Box<ChatCompletionChoice>
struct ChatCompletionChoice
  finish_reason: FinishReason
  index: i64
  type_: Option<Vec<String>> (serde: rename = \"type\")
  extra: serde_json::Map<String, serde_json::Value>
  map: HashMap<String, types::Thing>
enum Content (serde: untagged)
  Text(String)
  Parts { parts: Vec<Part>, n: [u8; 4] }
enum FinishReason
  Stop = \"stop\"
  ToolCalls = \"tool_calls\"
  Unknown(String)
struct ModelId(String) (serde: transparent)
struct types::Nested
";
    assert_eq!(listing, expected);
}
