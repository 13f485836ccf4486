//! Keeps the generated API open to growth: every generated struct with named fields and every generated enum
//! is `#[non_exhaustive]`, so that a new optional field, enum value, union member or model id in the spec is
//! not a breaking change for code that uses this crate. Values are built through `new`, builders and setters
//! (see `constructors.rs`); matches on enums need a `_` arm. Untagged unions with an object among their
//! members also keep a member of a shape they do not know, as the discriminated ones do.

use quote::ToTokens;
use std::collections::BTreeSet;
use syn::{parse_quote, Attribute, Fields, File, Item, Type, Visibility};

/// Marks every public struct with named fields and every public enum of `file` as `#[non_exhaustive]`.
/// Newtypes (`struct Foo(pub T)`) are left alone: they wrap one value and cannot grow.
pub fn mark_non_exhaustive(file: &mut File) {
    for item in &mut file.items {
        match item {
            Item::Struct(s)
                if is_public(&s.vis)
                    && matches!(s.fields, Fields::Named(_))
                    && !has_non_exhaustive(&s.attrs) =>
            {
                s.attrs.push(parse_quote!(#[non_exhaustive]));
            }
            Item::Enum(e) if is_public(&e.vis) && !has_non_exhaustive(&e.attrs) => {
                e.attrs.push(parse_quote!(#[non_exhaustive]));
            }
            _ => {}
        }
    }
}

/// Gives every untagged union of `file` that has an object among its members (a mode or a named tool, a
/// list of errors or an object of them…) a last member `Unknown(serde_json::Value)`, as the discriminated
/// unions have: a value of a shape this version does not know (a new kind of tool choice in an answer) is
/// kept and sent back as it came, rather than failing the whole answer. serde tries the members in order,
/// so the known ones still win. Unions of scalars and lists (a number or a string, text or parts) are left
/// as they are: what they may grow into is not an object of a new kind.
pub fn open_untagged_unions(file: &mut File) {
    let structs: BTreeSet<String> = file
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => Some(s.ident.to_string()),
            _ => None,
        })
        .collect();
    let holds_an_object = |variant: &syn::Variant| match &variant.fields {
        Fields::Unnamed(fields) => fields.unnamed.iter().any(|field| match &field.ty {
            Type::Path(path) => path
                .path
                .segments
                .last()
                .is_some_and(|last| structs.contains(&last.ident.to_string())),
            _ => false,
        }),
        _ => false,
    };
    for item in &mut file.items {
        let Item::Enum(e) = item else { continue };
        let untagged = e.attrs.iter().any(|a| {
            a.path().is_ident("serde") && a.meta.to_token_stream().to_string().contains("untagged")
        });
        if untagged
            && is_public(&e.vis)
            && e.variants.iter().any(holds_an_object)
            && !e.variants.iter().any(|v| v.ident == "Unknown")
        {
            e.variants.push(parse_quote! {
                /// A value of a shape this version of the SDK does not know, kept as it came (and sent back
                /// unchanged).
                Unknown(::serde_json::Value)
            });
        }
    }
}

fn is_public(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn has_non_exhaustive(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("non_exhaustive"))
}
