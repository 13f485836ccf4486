//! The blocking side of bodies: a response [`Body`] is an [`Iterator`] of pieces, an upload can come
//! from a `Read`, and a download can be read as an `Iterator`.

use crate::facade::binary::BinaryResponse;
use crate::facade::upload::FileInput;
use bytes::Bytes;
use groq_types::sdk::Error;
use std::fmt;
use std::io::Read;

/// The body of an [`HttpResponse`](crate::transport::HttpResponse) as it arrives: an [`Iterator`] of
/// pieces, ended early by an error.
pub struct Body {
    inner: Inner,
}

enum Inner {
    /// A body held whole (or already taken).
    Whole(Option<Bytes>),
    /// A body that arrives piece by piece.
    Pieces(Box<dyn Iterator<Item = Result<Bytes, Error>> + Send>),
}

impl Body {
    /// An empty body.
    pub fn empty() -> Self {
        Self {
            inner: Inner::Whole(None),
        }
    }

    /// A body that arrives as `pieces` yields it.
    pub fn from_pieces(
        pieces: impl Iterator<Item = Result<Bytes, Error>> + Send + 'static,
    ) -> Self {
        Self {
            inner: Inner::Pieces(Box::new(pieces)),
        }
    }

    /// A body made of `chunks`, in order (an error ends it).
    pub fn from_chunks<I>(chunks: I) -> Self
    where
        I: IntoIterator<Item = Result<Bytes, Error>>,
        I::IntoIter: Send + 'static,
    {
        Self::from_pieces(chunks.into_iter())
    }

    /// The next piece of the body; `None` at its end.
    pub(crate) fn next_chunk(&mut self) -> Result<Option<Bytes>, Error> {
        self.next().transpose()
    }

    /// The rest of a body held whole, taken without a wait (`None` for a body that arrives in pieces): a
    /// body the transport already read needs no read loop.
    pub(crate) fn take_whole(&mut self) -> Option<Bytes> {
        match &mut self.inner {
            Inner::Whole(bytes) => Some(bytes.take().unwrap_or_default()),
            Inner::Pieces(_) => None,
        }
    }
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Self {
        Self {
            inner: Inner::Whole((!bytes.is_empty()).then_some(bytes)),
        }
    }
}

impl Iterator for Body {
    type Item = Result<Bytes, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.inner {
            Inner::Whole(bytes) => bytes.take().map(Ok),
            Inner::Pieces(pieces) => pieces.next(),
        }
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            Inner::Whole(bytes) => {
                write!(f, "Body({} bytes)", bytes.as_ref().map_or(0, Bytes::len))
            }
            Inner::Pieces(_) => f.write_str("Body(stream)"),
        }
    }
}

/// How much one read of an upload's reader takes.
const READ_SIZE: usize = 64 * 1024;

/// The reqwest body of an upload read from `reader` as it is sent. The reads block the thread that drives
/// the request, which is the caller's.
pub(crate) fn reader_body(mut reader: crate::runtime::Reader) -> reqwest::Body {
    let pieces = std::iter::from_fn(move || {
        let mut buffer = vec![0; READ_SIZE];
        loop {
            return match reader.read(&mut buffer) {
                Ok(0) => None,
                Ok(n) => {
                    buffer.truncate(n);
                    Some(Ok(Bytes::from(buffer)))
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => Some(Err(e)),
            };
        }
    });
    reqwest::Body::wrap_stream(futures::stream::iter(pieces))
}

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
