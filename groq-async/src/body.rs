//! The async side of uploads and downloads: uploading from an `AsyncRead`, downloading as a `Stream`.

use crate::facade::binary::BinaryResponse;
use crate::facade::upload::FileInput;
use bytes::Bytes;
use futures::stream::{BoxStream, StreamExt};
use groq_types::sdk::Error;

impl FileInput {
    /// A file read from `reader` as it is sent (never held whole in memory). A reader can be read only
    /// once, so a call with it is not retried.
    pub fn reader(
        filename: impl Into<String>,
        reader: impl tokio::io::AsyncRead + Send + Unpin + 'static,
    ) -> Self {
        Self::from_reader(filename.into(), Box::new(reader))
    }
}

impl BinaryResponse {
    /// The body as a stream of pieces, as they arrive.
    pub fn into_stream(self) -> BoxStream<'static, Result<Bytes, Error>> {
        futures::stream::unfold(Some(self), |state| async move {
            let mut body = state?;
            match body.next_chunk().await {
                Ok(Some(chunk)) => Some((Ok(chunk), Some(body))),
                Ok(None) => None,
                Err(error) => Some((Err(error), None)),
            }
        })
        .boxed()
    }
}
