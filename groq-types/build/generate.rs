//! The generator itself (only with the `codegen` feature): the spec's conventions checked, progenitor's
//! types, the crate's own enums and unions, `#[non_exhaustive]`, boxed rare fields, lists decoded at their length, constructors and
//! setters, formatted.

use crate::{constructors, emit, layout, shape, stability};

/// Runs the whole pipeline and returns the formatted Rust source.
pub fn generate(text: &str) -> Result<String, String> {
    let spec: serde_json::Value =
        serde_norway::from_str(text).map_err(|e| format!("not valid YAML: {e}"))?;

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
    stability::open_untagged_unions(&mut file);
    layout::box_rare_fields(&mut file)?;
    constructors::add(&mut file)?;
    layout::tight_lists(&mut file)?;
    Ok(prettyplease::unparse(&file))
}
