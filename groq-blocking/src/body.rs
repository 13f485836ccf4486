//! The blocking side of uploads and downloads: uploading from a `Read`, downloading as an `Iterator`.

use crate::facade::binary::BinaryResponse;
use crate::facade::upload::FileInput;
use bytes::Bytes;
use groq_types::sdk::Error;

impl FileInput {
    /// A file read from `reader` as it is sent (never held whole in memory). A reader can be read only
    /// once, so a call with it is not retried.
    pub fn reader(
        filename: impl Into<String>,
        reader: impl std::io::Read + Send + 'static,
    ) -> Self {
        Self::from_reader(filename.into(), Box::new(reader))
    }
}

/// The pieces of a [`BinaryResponse`], as they arrive.
#[derive(Debug)]
pub struct Chunks {
    body: Option<BinaryResponse>,
}

impl Iterator for Chunks {
    type Item = Result<Bytes, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let body = self.body.as_mut()?;
        match body.next_chunk() {
            Ok(Some(chunk)) => Some(Ok(chunk)),
            Ok(None) => {
                self.body = None;
                None
            }
            Err(error) => {
                self.body = None;
                Some(Err(error))
            }
        }
    }
}

impl BinaryResponse {
    /// The body as an iterator of pieces, as they arrive.
    pub fn chunks(self) -> Chunks {
        Chunks { body: Some(self) }
    }
}
