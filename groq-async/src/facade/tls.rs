//! The TLS backend of the reqwest client the SDK builds for itself, chosen by the crate's features (a client
//! given with `ClientBuilder::http_client` keeps its own):
//! - `native-tls`: the platform's TLS; it wins when `rustls` is enabled too, as in reqwest;
//! - `rustls` (in `default-tls`): rustls with the *ring* crypto provider and the platform's certificate
//!   verifier, or with the process-default `CryptoProvider` if the application installed one. No process-wide
//!   state is changed;
//! - `rustls-no-provider`: rustls with the process-default `CryptoProvider`, which the application installs
//!   first; without one, building the client fails with a message saying so (reqwest would panic);
//! - none of them: plain HTTP only; an `https` base URL is refused when the client is built.

use groq_types::sdk::{ClientConfig, Error};

/// Applies the backend chosen by the crate's features to `builder`: here `native-tls`.
#[cfg(feature = "native-tls")]
pub(crate) fn configure(
    builder: reqwest::ClientBuilder,
    _config: &ClientConfig,
) -> Result<reqwest::ClientBuilder, Error> {
    Ok(builder.tls_backend_native())
}

/// Applies the backend chosen by the crate's features to `builder`: here rustls with *ring* (or the
/// process-default provider).
#[cfg(all(feature = "rustls", not(feature = "native-tls")))]
pub(crate) fn configure(
    builder: reqwest::ClientBuilder,
    _config: &ClientConfig,
) -> Result<reqwest::ClientBuilder, Error> {
    Ok(builder.tls_backend_preconfigured(rustls_config()?))
}

/// Applies the backend chosen by the crate's features to `builder`: here rustls with the process-default
/// provider, which must be installed.
#[cfg(all(
    feature = "rustls-no-provider",
    not(feature = "rustls"),
    not(feature = "native-tls")
))]
pub(crate) fn configure(
    builder: reqwest::ClientBuilder,
    _config: &ClientConfig,
) -> Result<reqwest::ClientBuilder, Error> {
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
pub(crate) fn configure(
    builder: reqwest::ClientBuilder,
    config: &ClientConfig,
) -> Result<reqwest::ClientBuilder, Error> {
    if config.base_url.scheme() == "https" {
        return Err(Error::Config(
            "the base URL is https and this build has no TLS: enable one of the features \
             `default-tls`, `rustls`, `native-tls` or `rustls-no-provider`"
                .into(),
        ));
    }
    Ok(builder)
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
