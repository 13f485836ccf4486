//! Adds construction helpers to every generated struct with named fields:
//! - `new(required fields…)` taking `impl Into<_>` for each required field (tag fields with a single possible
//!   value are filled in), every optional field left unset; or `Default` when nothing is required;
//! - one setter per optional field, `value.field(x)`, which stores `Some(x.into())`.

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
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
            let strict = field.attrs.iter().any(|attr| {
                attr.path().is_ident("serde")
                    && attr
                        .meta
                        .to_token_stream()
                        .to_string()
                        .contains("Option::deserialize")
            });
            if strict {
                field.attrs.push(syn::parse_quote!(#[serde(default)]));
            }
        }
    }
}

/// Appends the helpers to `file`.
pub fn add(file: &mut File) {
    let mut single_tags: BTreeMap<String, Ident> = BTreeMap::new();
    let mut has_default: BTreeSet<String> = BTreeSet::new();
    for item in &file.items {
        if let Item::Struct(s) = item {
            if derives_default(&s.attrs) {
                has_default.insert(s.ident.to_string());
            }
        }
        match item {
            Item::Enum(e) if e.variants.len() == 1 => {
                if let Some(v) = e
                    .variants
                    .first()
                    .filter(|v| matches!(v.fields, Fields::Unit))
                {
                    single_tags.insert(e.ident.to_string(), v.ident.clone());
                }
            }
            Item::Impl(i) => {
                let is_default = i.trait_.as_ref().is_some_and(|(_, path, _)| {
                    path.segments.last().is_some_and(|s| s.ident == "Default")
                });
                if let (true, Some(name)) = (is_default, last_ident(&i.self_ty)) {
                    has_default.insert(name);
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
        let mut inits = Vec::new();
        let mut setters = Vec::new();
        for field in &fields.named {
            let Some(field_name) = &field.ident else {
                continue;
            };
            let ty = &field.ty;
            let docs = doc_attrs(&field.attrs);
            if let Some(inner) = option_inner(ty) {
                inits.push(quote! { #field_name: ::std::option::Option::None });
                if field_name != "new" {
                    setters.push(quote! {
                        #(#docs)*
                        pub fn #field_name(mut self, value: impl ::std::convert::Into<#inner>) -> Self {
                            self.#field_name = ::std::option::Option::Some(value.into());
                            self
                        }
                    });
                }
            } else if has_serde_default(field) && option_inner(ty).is_none() {
                inits.push(quote! { #field_name: ::std::default::Default::default() });
                if field_name != "new" {
                    setters.push(quote! {
                        #(#docs)*
                        pub fn #field_name(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                            self.#field_name = value.into();
                            self
                        }
                    });
                }
            } else if let Some(variant) = last_ident(ty).and_then(|t| single_tags.get(&t)) {
                inits.push(quote! { #field_name: #ty::#variant });
            } else {
                params.push(quote! { #field_name: impl ::std::convert::Into<#ty> });
                inits.push(quote! { #field_name: #field_name.into() });
            }
        }

        let constructor = if !params.is_empty() {
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
        if let Ok(item) = syn::parse2::<Item>(tokens) {
            file.items.push(item);
        }
    }
}

fn last_ident(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// `T` when `ty` is `Option<T>`.
fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(p) = ty else { return None };
    let segment = p.path.segments.last()?;
    if segment.ident != "Option" {
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
fn has_serde_default(field: &Field) -> bool {
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

/// Whether `#[derive(…)]` lists `Default`.
fn derives_default(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("derive")
            && attr
                .meta
                .to_token_stream()
                .to_string()
                .split(|c: char| !c.is_alphanumeric())
                .any(|word| word == "Default")
    })
}
