//! The async reqwest transport: the shared reqwest code (`facade/reqwest.rs`) awaited on the caller's
//! runtime.

use crate::body::Body;
use crate::facade::http::{HttpRequest, HttpResponse, Transport};
use crate::facade::reqwest::{self as shared, ReceivedBody};
use crate::maybe_async;
use futures::TryFutureExt;
use groq_types::sdk::Error;
use std::future::Future;

/// The transport a [`Client`](crate::Client) uses unless given another: reqwest's async client.
#[derive(Clone)]
pub(crate) struct ReqwestTransport {
    client: reqwest::Client,
}

/// Shows nothing of the reqwest client: a client of the user's may carry default headers with
/// credentials, which reqwest's `Debug` prints.
impl std::fmt::Debug for ReqwestTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReqwestTransport").finish_non_exhaustive()
    }
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
    /// it directly (the trait's method boxes its future). Not an `async fn`, so that its future does not
    /// keep the request (see [`shared::send`]).
    pub(crate) fn exchange(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, Error>> + Send + 'static {
        shared::send(&self.client, request).map_ok(|received| {
            let body = match received.body {
                ReceivedBody::Whole(bytes) => Body::from(bytes),
                ReceivedBody::Streamed(pieces) => Body::from_stream(pieces),
            };
            HttpResponse::new(received.status, received.headers, body)
        })
    }
}

#[maybe_async]
impl Transport for ReqwestTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        self.exchange(request).await
    }
}

#[cfg(test)]
mod tests {
    use groq_types::{ChatCompletionRequestMessage, CreateChatCompletionRequest};

    /// The future of a call is what a user's task holds, and what each of many concurrent calls puts on
    /// the heap (in a `tokio::spawn`, a `join_all`, a `buffer_unordered`). The request is handed to reqwest
    /// before the wait, so no future on the way keeps it (it was 2.7 KB when each layer was an `async fn`
    /// that kept its arguments; 1.7 KB with rustc 1.95 until the exchange stopped keeping reqwest's
    /// response and a second copy of it while the body is read: 1.5 KB).
    #[test]
    fn a_call_future_stays_small() {
        let client = crate::Client::builder()
            .api_key("gsk_test")
            .base_url("http://127.0.0.1:9")
            .build()
            .unwrap();
        let request = CreateChatCompletionRequest::from_messages(
            "llama-3.3-70b-versatile",
            [ChatCompletionRequestMessage::user("Hi")],
        );
        let completions = client.chat().completions();
        let size = std::mem::size_of_val(&completions.create(&request));
        assert!(size <= 1600, "a chat call's future takes {size} bytes");
    }
}
