//! The async reqwest transport: the shared reqwest code (`facade/reqwest.rs`) awaited on the caller's
//! runtime.

use crate::body::Body;
use crate::facade::http::{HttpRequest, HttpResponse, Transport};
use crate::facade::reqwest as shared;
use crate::maybe_async;
use groq_types::sdk::Error;

/// The transport a [`Client`](crate::Client) uses unless given another: reqwest's async client.
#[derive(Clone, Debug)]
pub(crate) struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    /// Infallible here; fallible in `groq-blocking`, whose transport starts a runtime.
    pub(crate) fn new(client: reqwest::Client) -> Result<Self, Error> {
        Ok(Self { client })
    }

    /// A transport over a client built from `config`.
    pub(crate) fn from_config(config: &groq_types::sdk::ClientConfig) -> Result<Self, Error> {
        Self::new(shared::build_client(config)?)
    }

    /// Sends `request`: what [`Transport::send`] does, as an inherent method so that the client awaits
    /// it directly (the trait's method boxes its future).
    pub(crate) async fn exchange(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        let streamed = request.streamed;
        let limit = request.max_body_size;
        let received = shared::send(&self.client, request).await?;
        let body = if streamed {
            Body::from_stream(received.body)
        } else {
            Body::from(received.body.read_all(limit).await?)
        };
        Ok(HttpResponse::new(received.status, received.headers, body))
    }
}

#[maybe_async]
impl Transport for ReqwestTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        self.exchange(request).await
    }
}
