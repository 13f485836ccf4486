//! Keeps the values a stream hands out once per event small. A streamed completion is hundreds or
//! thousands of chunks, and each is moved several times on its way from the JSON decoder to the caller
//! (the derived `Deserialize` builds every field in a local first, then the struct, then the `Result`,
//! the `Option` and the `Poll` it travels in). The chunk's largest fields are present on one chunk of a
//! stream, the last: Groq's `x_groq` extras (about 300 bytes inline) and the token counts (about 120).
//! Boxed, they cost 8 bytes on every other chunk and one allocation on the last, and the chunk shrinks
//! from 552 bytes to 144.
//!
//! Each boxed field is named in [`BOXED`]: a name that no longer matches the spec is an error of the build,
//! so a renamed field cannot silently lose its box.

use crate::constructors::option_inner;
use syn::{parse_quote, Fields, File, Item};

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
