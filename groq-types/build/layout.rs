//! Keeps the decoded values small.
//!
//! **Boxed rare fields.** The values a stream hands out once per event must be small. A streamed
//! completion is hundreds or thousands of chunks, and each is moved several times on its way from the JSON
//! decoder to the caller (the derived `Deserialize` builds every field in a local first, then the struct,
//! then the `Result`, the `Option` and the `Poll` it travels in). The chunk's largest fields are present on
//! one chunk of a stream, the last: Groq's `x_groq` extras (about 300 bytes inline) and the token counts
//! (about 120). Boxed, they cost 8 bytes on every other chunk and one allocation on the last, and the chunk
//! shrinks from 552 bytes to 144.
//!
//! Each boxed field is named in [`BOXED`]: a name that no longer matches the spec is an error of the build,
//! so a renamed field cannot silently lose its box.
//!
//! **Lists at their length.** Every `Vec<T>` and `Option<Vec<T>>` field of a struct that derives
//! `Deserialize` is decoded by `crate::tight_vec` (`#[serde(deserialize_with = …)]`), which takes room for
//! the elements the JSON holds rather than serde's first step of four: a stream chunk's one choice no
//! longer comes in a 1 088-byte allocation. A nullable list that progenitor reads with
//! `Option::deserialize` keeps its meaning (`null` or a missing key is `None`); so does every other
//! optional list, which gets `default` to stay optional. A list the spec lets a server leave out
//! (`Vec<T>` with `default`) reads `null` as left out, an empty list, rather than failing the whole
//! answer; a required list still refuses `null`.

use crate::constructors::{
    derives, has_serde_default, option_inner, reads_null_strictly, vec_inner,
};
use quote::ToTokens;
use syn::{parse_quote, Field, Fields, File, Item};

/// The optional fields stored as `Option<Box<T>>`: (type, field).
const BOXED: &[(&str, &str)] = &[
    ("CreateChatCompletionStreamResponse", "usage"),
    ("CreateChatCompletionStreamResponse", "x_groq"),
];

/// Boxes every field of [`BOXED`] in `file`.
pub fn box_rare_fields(file: &mut File) -> Result<(), String> {
    for (owner, field_name) in BOXED {
        let field = file
            .items
            .iter_mut()
            .find_map(|item| match item {
                Item::Struct(s) if s.ident == owner => match &mut s.fields {
                    Fields::Named(fields) => fields
                        .named
                        .iter_mut()
                        .find(|f| f.ident.as_ref().is_some_and(|i| i == field_name)),
                    _ => None,
                },
                _ => None,
            })
            .ok_or_else(|| format!("layout: {owner}.{field_name} is not in the generated types"))?;
        let inner = option_inner(&field.ty)
            .ok_or_else(|| format!("layout: {owner}.{field_name} is not optional"))?
            .clone();
        field.ty = parse_quote!(::std::option::Option<::std::boxed::Box<#inner>>);
    }
    Ok(())
}

/// Decodes every list field of a deserialised struct with `crate::tight_vec`.
pub fn tight_lists(file: &mut File) -> Result<(), String> {
    for item in &mut file.items {
        let Item::Struct(s) = item else { continue };
        if !derives(&s.attrs, "Deserialize") {
            continue;
        }
        let fields = match &mut s.fields {
            Fields::Named(fields) => &mut fields.named,
            Fields::Unnamed(fields) => &mut fields.unnamed,
            Fields::Unit => continue,
        };
        for field in fields.iter_mut() {
            tight_list(field).map_err(|e| format!("layout: {}: {e}", s.ident))?;
        }
    }
    Ok(())
}

/// Puts `crate::tight_vec` on `field` when it is a list or an optional list.
fn tight_list(field: &mut Field) -> Result<(), String> {
    let optional = if vec_inner(&field.ty).is_some() {
        false
    } else if option_inner(&field.ty).and_then(vec_inner).is_some() {
        true
    } else {
        return Ok(());
    };
    // progenitor's reading of a nullable required list gives way to ours, which also reads `null` as `None`
    // (`lenient_nullable` gave the field `default`).
    field.attrs.retain(|attr| !reads_null_strictly(attr));
    if field.attrs.iter().any(|attr| {
        attr.path().is_ident("serde")
            && attr
                .meta
                .to_token_stream()
                .to_string()
                .contains("deserialize_with")
    }) {
        return Err(format!(
            "the list field {} already has its own `deserialize_with`",
            field
                .ident
                .as_ref()
                .map_or("0".to_owned(), ToString::to_string)
        ));
    }
    if optional {
        field
            .attrs
            .push(parse_quote!(#[serde(deserialize_with = "crate::tight_vec::option")]));
        // Without `deserialize_with`, serde reads a missing `Option` as `None` by itself; with it, only
        // when told so.
        if !has_serde_default(field) {
            field.attrs.push(parse_quote!(#[serde(default)]));
        }
    } else if has_serde_default(field) {
        // A list the spec lets the server leave out: `null` is read as leaving it out, so that a server
        // sending `null` for "none" loses nothing but the empty list.
        field
            .attrs
            .push(parse_quote!(#[serde(deserialize_with = "crate::tight_vec::vec_or_null")]));
    } else {
        field
            .attrs
            .push(parse_quote!(#[serde(deserialize_with = "crate::tight_vec::vec")]));
    }
    Ok(())
}
