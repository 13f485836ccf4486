//! Adds construction helpers to every generated struct with named fields:
//! - `new(required fields…)` taking `impl Into<_>` for each required field (a field whose type has a single
//!   known value, such as a `type: function` tag, is filled in), every optional field left unset; or `Default`
//!   when nothing is required;
//! - when two required fields would accept the same argument (two strings, a string and an open enum, two
//!   integers…), no `new`: a caller could swap them without the compiler noticing. Such a struct gets
//!   `Type::builder()` instead, whose named setters cannot be confused, and `build()`, which names a missing
//!   required field in a [`MissingField`](crate::MissingField) error;
//! - one setter per optional field, `value.field(x)`, which stores `Some(x.into())`.
//!
//! Anything this pass does not understand is an error of the build, never a silently skipped struct.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, ToTokens};
use std::collections::{BTreeMap, BTreeSet};
use syn::{Attribute, Field, Fields, File, GenericArgument, Ident, Item, PathArguments, Type};

/// Lets a required but nullable field (`Option<T>` that progenitor reads with `deserialize_with =
/// Option::deserialize`, so that the key must be present) also accept a missing key as `None`: servers
/// leave such fields out (a tool-call message without `content`). It is still written, as `null`.
pub fn lenient_nullable(file: &mut File) {
    for item in &mut file.items {
        let Item::Struct(s) = item else { continue };
        let Fields::Named(fields) = &mut s.fields else {
            continue;
        };
        for field in &mut fields.named {
            if field.attrs.iter().any(reads_null_strictly) {
                field.attrs.push(syn::parse_quote!(#[serde(default)]));
            }
        }
    }
}

/// Whether `attr` is progenitor's `#[serde(deserialize_with = "…Option::deserialize")]`, which reads a
/// nullable required field (the key must be present, `null` allowed).
pub fn reads_null_strictly(attr: &Attribute) -> bool {
    attr.path().is_ident("serde")
        && attr
            .meta
            .to_token_stream()
            .to_string()
            .contains("Option::deserialize")
}

/// Appends the helpers to `file`.
pub fn add(file: &mut File) -> Result<(), String> {
    let mut single_tags: BTreeMap<String, Ident> = BTreeMap::new();
    let mut has_default: BTreeSet<String> = BTreeSet::new();
    let mut string_like: BTreeSet<String> = BTreeSet::new();
    let mut names: BTreeSet<String> = BTreeSet::new();
    let mut open_tags: BTreeSet<String> = BTreeSet::new();
    for item in &file.items {
        if let Item::Struct(s) = item {
            names.insert(s.ident.to_string());
            if derives(&s.attrs, "Default") {
                has_default.insert(s.ident.to_string());
            }
        }
        match item {
            Item::Enum(e) => {
                names.insert(e.ident.to_string());
                if let Some(only) = only_known_value(e) {
                    single_tags.insert(e.ident.to_string(), only);
                    if e.variants.iter().any(|v| v.ident == "Unknown") {
                        open_tags.insert(e.ident.to_string());
                    }
                }
            }
            Item::Impl(i) => {
                let Some(self_name) = last_ident(&i.self_ty) else {
                    continue;
                };
                let Some((_, path, _)) = &i.trait_ else {
                    continue;
                };
                let Some(last) = path.segments.last() else {
                    continue;
                };
                if last.ident == "Default" {
                    has_default.insert(self_name);
                } else if last.ident == "From" && from_str_ref(&last.arguments) {
                    string_like.insert(self_name);
                }
            }
            _ => {}
        }
    }

    let mut added = Vec::new();
    for item in &file.items {
        let Item::Struct(s) = item else { continue };
        let Fields::Named(fields) = &s.fields else {
            continue;
        };
        let name = &s.ident;
        let mut params = Vec::new();
        let mut required = Vec::new();
        let mut inits = Vec::new();
        let mut setters = Vec::new();
        let mut builder_fields = Vec::new();
        let mut builder_setters = Vec::new();
        let mut builder_inits = Vec::new();
        for field in &fields.named {
            let field_name = field
                .ident
                .as_ref()
                .ok_or_else(|| format!("{name}: a named field without a name"))?;
            if field_name == "new" || field_name == "builder" || field_name == "build" {
                return Err(format!(
                    "{name}: the field `{field_name}` would clash with a constructor; rename it in the spec"
                ));
            }
            let ty = &field.ty;
            let docs = doc_attrs(&field.attrs);
            if let Some(inner) = option_inner(ty) {
                // A boxed field (see `layout.rs`) takes the value itself and boxes it.
                let (inner, stored) = match wrapped(inner, "Box") {
                    Some(boxed) => (boxed, quote! { ::std::boxed::Box::new(value.into()) }),
                    None => (inner, quote! { value.into() }),
                };
                inits.push(quote! { #field_name: ::std::option::Option::None });
                setters.push(quote! {
                    #(#docs)*
                    pub fn #field_name(mut self, value: impl ::std::convert::Into<#inner>) -> Self {
                        self.#field_name = ::std::option::Option::Some(#stored);
                        self
                    }
                });
                builder_fields.push(quote! { #field_name: #ty });
                builder_setters.push(quote! {
                    #(#docs)*
                    pub fn #field_name(mut self, value: impl ::std::convert::Into<#inner>) -> Self {
                        self.#field_name = ::std::option::Option::Some(#stored);
                        self
                    }
                });
                builder_inits.push(quote! { #field_name: self.#field_name });
            } else if has_serde_default(field) {
                inits.push(quote! { #field_name: ::std::default::Default::default() });
                setters.push(quote! {
                    #(#docs)*
                    pub fn #field_name(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                        self.#field_name = value.into();
                        self
                    }
                });
                builder_fields.push(quote! { #field_name: ::std::option::Option<#ty> });
                builder_setters.push(quote! {
                    #(#docs)*
                    pub fn #field_name(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                        self.#field_name = ::std::option::Option::Some(value.into());
                        self
                    }
                });
                builder_inits.push(quote! { #field_name: self.#field_name.unwrap_or_default() });
            } else if let Some(variant) = last_ident(ty)
                .and_then(|t| single_tags.get(&t))
                .filter(|_| is_tag_field(field_name, ty, &open_tags))
            {
                inits.push(quote! { #field_name: #ty::#variant });
                if last_ident(ty).is_some_and(|t| open_tags.contains(&t)) {
                    // Open: a value this version does not know can still be chosen.
                    let setter = quote! {
                        #(#docs)*
                        pub fn #field_name(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                            self.#field_name = value.into();
                            self
                        }
                    };
                    setters.push(setter.clone());
                    builder_fields.push(quote! { #field_name: ::std::option::Option<#ty> });
                    builder_setters.push(quote! {
                        #(#docs)*
                        pub fn #field_name(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                            self.#field_name = ::std::option::Option::Some(value.into());
                            self
                        }
                    });
                    builder_inits
                        .push(quote! { #field_name: self.#field_name.unwrap_or(#ty::#variant) });
                } else {
                    builder_inits.push(quote! { #field_name: #ty::#variant });
                }
            } else {
                params.push(quote! { #field_name: impl ::std::convert::Into<#ty> });
                inits.push(quote! { #field_name: #field_name.into() });
                required.push((field_name.to_string(), type_class(ty, &string_like)));
                let field_str = field_name.to_string();
                let name_str = name.to_string();
                builder_fields.push(quote! { #field_name: ::std::option::Option<#ty> });
                builder_setters.push(quote! {
                    #(#docs)*
                    ///
                    /// Required.
                    pub fn #field_name(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                        self.#field_name = ::std::option::Option::Some(value.into());
                        self
                    }
                });
                builder_inits.push(quote! {
                    #field_name: self.#field_name.ok_or(crate::MissingField::new(#name_str, #field_str))?
                });
            }
        }

        let confusable = confusable_pair(&required);
        let constructor = if let Some((a, b)) = confusable {
            let builder = format_ident!("{name}Builder");
            if names.contains(&builder.to_string()) {
                return Err(format!(
                    "{name}: cannot add `{builder}`, the spec already has a type of that name"
                ));
            }
            let type_doc = format!(
                " Builds a [`{name}`] one named field at a time (its required fields `{a}` and `{b}` take the \
                 same kind of value, so it has no positional `new`). `build()` fails with \
                 [`MissingField`](crate::MissingField) when a required field was not set."
            );
            added.push(quote! {
                #[doc = #type_doc]
                #[derive(Clone, Debug, Default)]
                #[must_use]
                pub struct #builder {
                    #(#builder_fields,)*
                }

                impl #builder {
                    #(#builder_setters)*

                    /// The value, once every required field is set.
                    pub fn build(self) -> ::std::result::Result<#name, crate::MissingField> {
                        ::std::result::Result::Ok(#name { #(#builder_inits),* })
                    }
                }
            });
            quote! {
                /// Starts a builder: set every required field by name, then call `build()`.
                pub fn builder() -> #builder {
                    ::std::default::Default::default()
                }
            }
        } else if !params.is_empty() {
            quote! {
                /// Creates a value from its required fields; every optional field is unset.
                pub fn new(#(#params),*) -> Self {
                    Self { #(#inits),* }
                }
            }
        } else {
            if !has_default.contains(&name.to_string()) {
                added.push(quote! {
                    impl ::std::default::Default for #name {
                        fn default() -> Self {
                            Self { #(#inits),* }
                        }
                    }
                });
            }
            TokenStream::new()
        };
        if constructor.is_empty() && setters.is_empty() {
            continue;
        }
        added.push(quote! {
            impl #name {
                #constructor
                #(#setters)*
            }
        });
    }
    for tokens in added {
        let generated: File = syn::parse2(tokens)
            .map_err(|e| format!("a generated constructor does not parse: {e}"))?;
        file.items.extend(generated.items);
    }
    Ok(())
}

/// The one value an enum can take: its only variant, or the only known one of an open enum (the other being
/// `Unknown(String)`). A required field of such a type is filled in by `new` and builders.
fn only_known_value(e: &syn::ItemEnum) -> Option<Ident> {
    let is_unknown = |v: &syn::Variant| v.ident == "Unknown" && !matches!(v.fields, Fields::Unit);
    let known: Vec<&syn::Variant> = e.variants.iter().filter(|v| !is_unknown(v)).collect();
    match known.as_slice() {
        [only] if matches!(only.fields, Fields::Unit) => Some(only.ident.clone()),
        _ => None,
    }
}

/// Whether a field of a single-valued type is a tag that `new` fills in: always for a closed enum (it has no
/// other value), and for an open enum only when the field is a discriminator (`type`, `object`, `role`). An
/// open `model` or `endpoint` enum with one known value today is a choice the caller makes: filling it in
/// would change `new`'s signature the day the spec adds a second value.
fn is_tag_field(field: &Ident, ty: &Type, open_tags: &BTreeSet<String>) -> bool {
    let open = last_ident(ty).is_some_and(|t| open_tags.contains(&t));
    !open || matches!(field.to_string().as_str(), "type_" | "object" | "role")
}

/// What kind of argument a required field accepts through `impl Into<_>`: two fields of one kind could be
/// passed in either order without a compile error.
fn type_class(ty: &Type, string_like: &BTreeSet<String>) -> String {
    let text = ty.to_token_stream().to_string().replace(' ', "");
    let last = last_ident(ty).unwrap_or_default();
    match last.as_str() {
        "String" => "string".into(),
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" | "isize" => {
            "integer".into()
        }
        "f32" | "f64" => "number".into(),
        _ if string_like.contains(&last) => "string".into(),
        _ => text,
    }
}

/// The first two required fields that accept the same kind of argument.
fn confusable_pair(required: &[(String, String)]) -> Option<(String, String)> {
    required.iter().enumerate().find_map(|(i, (a, class))| {
        required
            .get(i + 1..)?
            .iter()
            .find(|(_, other)| other == class)
            .map(|(b, _)| (a.clone(), b.clone()))
    })
}

/// Whether the arguments of `From<…>` are `&str`.
fn from_str_ref(arguments: &PathArguments) -> bool {
    let PathArguments::AngleBracketed(args) = arguments else {
        return false;
    };
    matches!(
        args.args.first(),
        Some(GenericArgument::Type(Type::Reference(r))) if last_ident(&r.elem).as_deref() == Some("str")
    )
}

fn last_ident(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// `T` when `ty` is `Option<T>`.
pub fn option_inner(ty: &Type) -> Option<&Type> {
    wrapped(ty, "Option")
}

/// `T` when `ty` is `Vec<T>`.
pub fn vec_inner(ty: &Type) -> Option<&Type> {
    wrapped(ty, "Vec")
}

/// `T` when `ty` is `wrapper<T>` (`Option<T>`, `Box<T>`), whatever the path before `wrapper`.
fn wrapped<'a>(ty: &'a Type, wrapper: &str) -> Option<&'a Type> {
    let Type::Path(p) = ty else { return None };
    let segment = p.path.segments.last()?;
    if segment.ident != wrapper {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &segment.arguments else {
        return None;
    };
    match args.args.first()? {
        GenericArgument::Type(inner) => Some(inner),
        _ => None,
    }
}

/// Whether serde fills the field in when it is missing (`#[serde(default …)]`).
pub fn has_serde_default(field: &Field) -> bool {
    field.attrs.iter().any(|attr| {
        attr.path().is_ident("serde") && {
            let text = attr.meta.to_token_stream().to_string();
            text.contains("default")
        }
    })
}

fn doc_attrs(attrs: &[Attribute]) -> Vec<&Attribute> {
    attrs.iter().filter(|a| a.path().is_ident("doc")).collect()
}

/// Whether `#[derive(…)]` lists `name` (by its last path segment: `Deserialize` for
/// `::serde::Deserialize`).
pub fn derives(attrs: &[Attribute], name: &str) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("derive")
            && attr
                .meta
                .to_token_stream()
                .to_string()
                .split(|c: char| !c.is_alphanumeric())
                .any(|word| word == name)
    })
}
