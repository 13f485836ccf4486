//! The blocking reqwest transport: the shared async reqwest code (`facade/reqwest.rs`) driven from the
//! calling thread on a current-thread tokio runtime that the transport owns.
//!
//! The thread that calls does the I/O itself, so a call costs no hand-off to another thread, and a
//! stream costs none per piece (reqwest's own blocking client hops to its runtime thread for every
//! read). Calls from several threads share the runtime: tokio lets them all `block_on` it, one of them
//! driving the sockets at a time.

use crate::body::Body;
use crate::facade::http::{HttpRequest, HttpResponse, Transport};
use crate::facade::reqwest as shared;
use bytes::Bytes;
use futures::StreamExt;
use groq_types::sdk::Error;
use std::fmt;
use std::sync::Arc;

/// The transport a [`Client`](crate::Client) uses unless given another: reqwest's async client, driven
/// from the calling thread.
#[derive(Clone)]
pub(crate) struct ReqwestTransport {
    client: reqwest::Client,
    runtime: Arc<OwnedRuntime>,
}

impl fmt::Debug for ReqwestTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReqwestTransport").finish_non_exhaustive()
    }
}

impl ReqwestTransport {
    pub(crate) fn new(client: reqwest::Client) -> Result<Self, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Config(format!("cannot start the client's I/O runtime: {e}")))?;
        Ok(Self {
            client,
            runtime: Arc::new(OwnedRuntime(Some(runtime))),
        })
    }
}

impl Transport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        crate::runtime::check_context()?;
        let streamed = request.streamed;
        let limit = request.max_body_size;
        let runtime = self.runtime.get()?;
        let received = runtime.block_on(shared::send(&self.client, request))?;
        let body = if streamed {
            Body::from_pieces(Pieces {
                runtime: Arc::clone(&self.runtime),
                stream: Some(received.body),
            })
        } else {
            Body::from(runtime.block_on(received.body.read_all(limit))?)
        };
        Ok(HttpResponse::new(received.status, received.headers, body))
    }
}

/// The pieces of a streamed body, each awaited on the transport's runtime from the calling thread.
struct Pieces {
    runtime: Arc<OwnedRuntime>,
    stream: Option<shared::ChunkStream>,
}

impl Iterator for Pieces {
    type Item = Result<Bytes, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let stream = self.stream.as_mut()?;
        let item = match crate::runtime::check_context().and_then(|()| self.runtime.get()) {
            Ok(runtime) => runtime.block_on(stream.next()),
            Err(error) => Some(Err(error)),
        };
        if !matches!(item, Some(Ok(_))) {
            self.stream = None;
        }
        item
    }
}

impl Drop for Pieces {
    /// A stream dropped before its end closes its connection at once: the runtime runs just long enough
    /// for the connection's task to see that its body is gone (tasks run only while a thread drives it).
    fn drop(&mut self) {
        let Some(stream) = self.stream.take() else {
            return;
        };
        if let (Ok(()), Ok(runtime)) = (crate::runtime::check_context(), self.runtime.get()) {
            runtime.block_on(async move {
                drop(stream);
                for _ in 0..CLOSE_POLLS {
                    tokio::task::yield_now().await;
                }
            });
        }
    }
}

/// How many turns the runtime gets, when a stream is dropped early, to close its connection.
const CLOSE_POLLS: usize = 4;

/// The transport's runtime. Dropped without waiting for its tasks (a pooled connection's), so that a
/// client may be dropped anywhere, a tokio task included.
struct OwnedRuntime(Option<tokio::runtime::Runtime>);

impl OwnedRuntime {
    fn get(&self) -> Result<&tokio::runtime::Runtime, Error> {
        self.0
            .as_ref()
            .ok_or_else(|| Error::Config("the client's I/O runtime is gone".into()))
    }
}

impl Drop for OwnedRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}
