//! The TLS backend of the reqwest clients, chosen by the crate's features, for the client the SDK builds
//! for itself and for one a user builds with [`http_client_builder`] (a client given with
//! `ClientBuilder::http_client` keeps whatever it was built with):
//! - `native-tls`: the platform's TLS; it wins when `rustls` is enabled too, as in reqwest;
//! - `rustls` (in `default-tls`): rustls with the *ring* crypto provider and the platform's certificate
//!   verifier, or with the process-default `CryptoProvider` if the application installed one. No process-wide
//!   state is changed;
//! - `rustls-no-provider`: rustls with the process-default `CryptoProvider`, which the application installs
//!   first; without one, building the client fails with a message saying so (reqwest would panic);
//! - none of them: plain HTTP only; an `https` base URL is refused when the client is built.

use groq_types::sdk::{ClientConfig, Error};

/// A reqwest client builder set up with the TLS backend this crate's features chose, as the client the
/// SDK builds for itself is: add a proxy, headers or any other setting, and give the client it builds to
/// [`ClientBuilder::http_client`](crate::ClientBuilder::http_client).
///
/// Start from this rather than `HttpClient::builder()`: with the default features reqwest is compiled
/// without a rustls crypto provider of its own (the SDK brings *ring*), so a client built from reqwest's
/// bare builder panics when it is built, unless your own `Cargo.toml` enables one of reqwest's TLS
/// features or your program installs a process-default provider.
///
/// Certificates: under the rustls features (the default), the builder carries a whole rustls
/// configuration (the platform's verifier), which reqwest uses as it is, so its certificate settings
/// (`add_root_certificate`, `tls_danger_accept_invalid_certs`, an identity) do not apply. For a private
/// CA, add it to the system's store (or point `SSL_CERT_FILE` at it, on Linux); or install a
/// process-default provider (`rustls::crypto::ring::default_provider().install_default()`) and start
/// from reqwest's own builder, whose certificate settings then apply. Under `native-tls` they apply
/// here too.
///
/// # Errors
///
/// [`Error::Config`] if the TLS backend cannot be set up: no process-default provider under the feature
/// `rustls-no-provider`, or no usable certificate verifier.
///
#[doc = concat!(
    "```no_run\n",
    "# fn main() -> Result<(), Box<dyn std::error::Error>> {\n",
    "use ", env!("CARGO_CRATE_NAME"), "::{http_client_builder, reqwest::Proxy, Client};\n\n",
    "let http = http_client_builder()?\n",
    "    .proxy(Proxy::all(\"http://proxy.example:8080\")?)\n",
    "    .build()?;\n",
    "let client = Client::builder().http_client(http).build()?;\n",
    "# Ok(())\n# }\n```"
)]
pub fn http_client_builder() -> Result<reqwest::ClientBuilder, Error> {
    backend(reqwest::Client::builder())
}

/// The builder of the client the SDK builds for itself, for `config`: its TLS backend applied, an `https`
/// base URL refused in a build without TLS.
pub(crate) fn configure(
    builder: reqwest::ClientBuilder,
    config: &ClientConfig,
) -> Result<reqwest::ClientBuilder, Error> {
    refuse_https_without_tls(config)?;
    backend(builder)
}

/// Applies the backend chosen by the crate's features to `builder`: here `native-tls`.
#[cfg(feature = "native-tls")]
fn backend(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, Error> {
    Ok(builder.tls_backend_native())
}

/// Applies the backend chosen by the crate's features to `builder`: here rustls with *ring* (or the
/// process-default provider).
#[cfg(all(feature = "rustls", not(feature = "native-tls")))]
fn backend(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, Error> {
    Ok(builder.tls_backend_preconfigured(rustls_config()?))
}

/// Applies the backend chosen by the crate's features to `builder`: here rustls with the process-default
/// provider, which must be installed.
#[cfg(all(
    feature = "rustls-no-provider",
    not(feature = "rustls"),
    not(feature = "native-tls")
))]
fn backend(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, Error> {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        return Err(Error::Config(
            "the feature `rustls-no-provider` needs a rustls CryptoProvider installed before the \
             client is built: call `CryptoProvider::install_default` (for example \
             `rustls::crypto::ring::default_provider().install_default()`), or enable the feature \
             `rustls` instead"
                .into(),
        ));
    }
    Ok(builder.tls_backend_rustls())
}

/// Applies the backend chosen by the crate's features to `builder`: here none, so only plain HTTP works.
#[cfg(not(any(feature = "native-tls", feature = "rustls-no-provider")))]
fn backend(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, Error> {
    Ok(builder)
}

/// A build without TLS refuses an `https` base URL when the client is built.
#[cfg(not(any(feature = "native-tls", feature = "rustls-no-provider")))]
fn refuse_https_without_tls(config: &ClientConfig) -> Result<(), Error> {
    if config.base_url.scheme() == "https" {
        return Err(Error::Config(
            "the base URL is https and this build has no TLS: enable one of the features \
             `default-tls`, `rustls`, `native-tls` or `rustls-no-provider`"
                .into(),
        ));
    }
    Ok(())
}

/// A build with TLS takes any base URL.
#[cfg(any(feature = "native-tls", feature = "rustls-no-provider"))]
fn refuse_https_without_tls(_config: &ClientConfig) -> Result<(), Error> {
    Ok(())
}

/// rustls with the process-default crypto provider if there is one, *ring* otherwise, the platform's
/// certificate verifier (the system's roots; `SSL_CERT_FILE` on Linux), TLS 1.2 and 1.3, and ALPN offering
/// HTTP/2 when the crate has it.
#[cfg(all(feature = "rustls", not(feature = "native-tls")))]
fn rustls_config() -> Result<rustls::ClientConfig, Error> {
    use std::sync::Arc;
    let provider = rustls::crypto::CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
    let verifier = rustls_platform_verifier::Verifier::new(provider.clone())
        .map_err(|e| Error::Config(format!("cannot set up certificate verification: {e}")))?;
    let mut tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Config(format!("cannot set up TLS: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    tls.alpn_protocols = Vec::new();
    #[cfg(feature = "http2")]
    tls.alpn_protocols.push(b"h2".to_vec());
    tls.alpn_protocols.push(b"http/1.1".to_vec());
    Ok(tls)
}

#[cfg(test)]
mod tests {
    /// Run with this crate's own features (`cargo test -p <crate> --lib tls`, as CI does): in the
    /// workspace, another package's reqwest features give reqwest a crypto provider of its own, and
    /// reqwest's bare builder would not panic either.
    #[test]
    fn a_client_built_from_http_client_builder_with_a_proxy_builds() {
        let proxy = reqwest::Proxy::all("http://127.0.0.1:9").expect("a valid proxy URL");
        let built = super::http_client_builder().map(|builder| builder.proxy(proxy).build());
        assert!(matches!(built, Ok(Ok(_))), "{built:?}");
    }
}
