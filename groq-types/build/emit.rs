//! Emits the types that progenitor cannot make forward compatible: open string enums (an unknown value is
//! kept in `Unknown(String)`) and discriminated unions (an unknown tag is kept in `Unknown(serde_json::Value)`).

use crate::shape::{OpenEnum, Union};
use heck::ToUpperCamelCase;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use std::collections::BTreeSet;

/// A Rust variant name for a wire value: `llama-3.3-70b-versatile` → `Llama3_3_70bVersatile`,
/// `chat.completion` → `ChatCompletion`, `json_object` → `JsonObject`.
pub fn variant_name(value: &str) -> String {
    let mut out = String::new();
    for word in value
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let starts_with_digit = word.starts_with(|c: char| c.is_ascii_digit());
        if starts_with_digit && out.ends_with(|c: char| c.is_ascii_digit()) {
            out.push('_');
        }
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    if out.is_empty() {
        out.push_str("Empty");
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    if out == "Unknown" {
        // `Unknown` is the variant that keeps values the SDK does not know.
        out.push_str("Value");
    }
    out
}

fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The Rust name of a component, as progenitor spells it (`DocumentSourceJSON` → `DocumentSourceJson`).
pub fn type_name(component: &str) -> String {
    component.to_upper_camel_case()
}

fn doc(description: &Option<String>, fallback: String) -> TokenStream {
    let text = description.clone().unwrap_or(fallback);
    let lines = text.lines().map(|l| format!(" {l}"));
    quote! { #( #[doc = #lines] )* }
}

/// Variant identifiers for `values`, rejecting two values that would get the same name.
fn variant_idents(owner: &str, values: &[String]) -> Result<Vec<Ident>, String> {
    let mut seen = BTreeSet::new();
    values
        .iter()
        .map(|value| {
            let name = variant_name(value);
            if !seen.insert(name.clone()) {
                return Err(format!(
                    "{owner}: two values map to the Rust variant `{name}`"
                ));
            }
            Ok(ident(&name))
        })
        .collect()
}

/// The open enums.
pub fn open_enums(enums: &[OpenEnum]) -> Result<TokenStream, String> {
    let mut out = TokenStream::new();
    for e in enums {
        let rust_name = type_name(&e.name);
        let name = ident(&rust_name);
        let name_str = rust_name.as_str();
        let docs = doc(&e.description, format!("`{}`", e.name));
        let variants = variant_idents(&e.name, &e.values)?;
        let values = &e.values;
        let variant_docs = values.iter().map(|v| format!(" `{v}`"));
        out.extend(quote! {
            #docs
            ///
            /// Open: a value this version of the SDK does not know deserialises into `Unknown` and is sent back
            /// unchanged.
            #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub enum #name {
                #( #[doc = #variant_docs] #variants, )*
                /// A value this version of the SDK does not know, kept as it was received.
                Unknown(::std::string::String),
            }

            impl #name {
                /// The value as it appears on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        #( Self::#variants => #values, )*
                        Self::Unknown(value) => value.as_str(),
                    }
                }

                /// Whether this is a value this version of the SDK does not know.
                pub fn is_unknown(&self) -> bool {
                    matches!(self, Self::Unknown(_))
                }

                fn known(value: &str) -> ::std::option::Option<Self> {
                    match value {
                        #( #values => ::std::option::Option::Some(Self::#variants), )*
                        _ => ::std::option::Option::None,
                    }
                }
            }

            impl ::std::convert::From<&str> for #name {
                fn from(value: &str) -> Self {
                    Self::known(value).unwrap_or_else(|| Self::Unknown(value.to_owned()))
                }
            }

            impl ::std::convert::From<::std::string::String> for #name {
                fn from(value: ::std::string::String) -> Self {
                    Self::known(&value).unwrap_or(Self::Unknown(value))
                }
            }

            impl ::std::str::FromStr for #name {
                type Err = ::std::convert::Infallible;
                fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                    ::std::result::Result::Ok(Self::from(value))
                }
            }

            impl ::std::convert::AsRef<str> for #name {
                fn as_ref(&self) -> &str {
                    self.as_str()
                }
            }

            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }

            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    struct Visitor;
                    impl<'de> ::serde::de::Visitor<'de> for Visitor {
                        type Value = #name;
                        fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                            f.write_str("a string")
                        }
                        fn visit_str<E: ::serde::de::Error>(self, value: &str) -> ::std::result::Result<#name, E> {
                            ::std::result::Result::Ok(#name::from(value))
                        }
                        fn visit_string<E: ::serde::de::Error>(self, value: ::std::string::String) -> ::std::result::Result<#name, E> {
                            ::std::result::Result::Ok(#name::from(value))
                        }
                    }
                    deserializer.deserialize_str(Visitor)
                }
            }

            impl ::schemars::JsonSchema for #name {
                fn schema_name() -> ::std::borrow::Cow<'static, str> {
                    ::std::borrow::Cow::Borrowed(#name_str)
                }
                fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                    ::schemars::json_schema!({
                        "anyOf": [
                            { "type": "string", "enum": [ #( #values ),* ] },
                            { "type": "string" }
                        ]
                    })
                }
            }
        });
    }
    Ok(out)
}

/// The discriminated unions.
pub fn unions(unions: &[Union]) -> Result<TokenStream, String> {
    let mut out = TokenStream::new();
    for u in unions {
        let rust_name = type_name(&u.name);
        let name = ident(&rust_name);
        let name_str = rust_name.as_str();
        let tag = u.tag.as_str();
        let docs = doc(&u.description, format!("`{}`", u.name));
        let first_tags: Vec<String> = u
            .members
            .iter()
            .filter_map(|m| m.tags.first().cloned())
            .collect();
        let variants = variant_idents(&u.name, &first_tags)?;
        let members: Vec<Ident> = u
            .members
            .iter()
            .map(|m| ident(&type_name(&m.schema)))
            .collect();
        let member_docs = u.members.iter().map(|m| {
            let tags: Vec<String> = m.tags.iter().map(|t| format!("`{t}`")).collect();
            format!(" `{tag}`: {}", tags.join(" or "))
        });
        let selected_doc = format!(
            " Selected by the `{tag}` field. A value with a `{tag}` this version of the SDK does not know \
             deserialises into `Unknown` and is sent back unchanged."
        );
        let patterns = u.members.iter().map(|m| {
            let tags = &m.tags;
            quote! { #( ::std::option::Option::Some(#tags) )|* }
        });
        out.extend(quote! {
            #docs
            #[doc = ""]
            #[doc = #selected_doc]
            #[derive(Clone, Debug, PartialEq)]
            pub enum #name {
                #( #[doc = #member_docs] #variants(#members), )*
                /// A value whose tag this version of the SDK does not know, kept as it was received.
                Unknown(::serde_json::Value),
            }

            #(
                impl ::std::convert::From<#members> for #name {
                    fn from(value: #members) -> Self {
                        Self::#variants(value)
                    }
                }
            )*

            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    match self {
                        #( Self::#variants(value) => value.serialize(serializer), )*
                        Self::Unknown(value) => value.serialize(serializer),
                    }
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    use ::serde::de::Error as _;
                    let value = ::serde_json::Value::deserialize(deserializer)?;
                    let tag = value.get(#tag).and_then(::serde_json::Value::as_str);
                    match tag {
                        #( #patterns => #members::deserialize(value).map(Self::#variants).map_err(D::Error::custom), )*
                        _ => ::std::result::Result::Ok(Self::Unknown(value)),
                    }
                }
            }

            impl ::schemars::JsonSchema for #name {
                fn schema_name() -> ::std::borrow::Cow<'static, str> {
                    ::std::borrow::Cow::Borrowed(#name_str)
                }
                fn json_schema(generator: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                    let members = [ #( generator.subschema_for::<#members>() ),* ];
                    ::schemars::json_schema!({ "oneOf": members })
                }
            }
        });
    }
    Ok(out)
}
