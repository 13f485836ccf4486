//! Keeps the generated API open to growth: every generated struct with named fields and every generated enum
//! is `#[non_exhaustive]`, so that a new optional field, enum value, union member or model id in the spec is
//! not a breaking change for code that uses this crate. Values are built through `new`, builders and setters
//! (see `constructors.rs`); matches on enums need a `_` arm.

use syn::{parse_quote, Attribute, Fields, File, Item, Visibility};

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

fn is_public(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn has_non_exhaustive(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("non_exhaustive"))
}
