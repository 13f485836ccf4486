//! The async side of bodies: a response [`Body`] is a [`futures::Stream`] of pieces, an upload can come
//! from an `AsyncRead`, and a download can be read as a `Stream`.

use crate::facade::binary::BinaryResponse;
use crate::facade::http::RELEASE_WAIT;
use crate::facade::upload::{FileInput, SlotReader};
use bytes::Bytes;
use futures::stream::{BoxStream, Stream, StreamExt};
use groq_types::sdk::Error;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The body of an [`HttpResponse`](crate::transport::HttpResponse) as it arrives: a
/// [`Stream`] of pieces, ended early by an error.
pub struct Body {
    inner: Inner,
}

enum Inner {
    /// A body held whole (or already taken).
    Whole(Option<Bytes>),
    /// A body that arrives piece by piece.
    Stream(BoxStream<'static, Result<Bytes, Error>>),
}

impl Body {
    /// An empty body.
    pub fn empty() -> Self {
        Self {
            inner: Inner::Whole(None),
        }
    }

    /// A body that arrives as `stream` yields it.
    pub fn from_stream(stream: impl Stream<Item = Result<Bytes, Error>> + Send + 'static) -> Self {
        Self {
            inner: Inner::Stream(stream.boxed()),
        }
    }

    /// A body made of `chunks`, in order (an error ends it).
    pub fn from_chunks<I>(chunks: I) -> Self
    where
        I: IntoIterator<Item = Result<Bytes, Error>>,
        I::IntoIter: Send + 'static,
    {
        Self::from_stream(futures::stream::iter(chunks))
    }

    /// The next piece of the body; `None` at its end.
    pub(crate) async fn next_chunk(&mut self) -> Result<Option<Bytes>, Error> {
        self.next().await.transpose()
    }

    /// The rest of a body held whole, taken without a wait (`None` for a body that arrives in pieces): a
    /// body the transport already read needs no read loop.
    pub(crate) fn take_whole(&mut self) -> Option<Bytes> {
        match &mut self.inner {
            Inner::Whole(bytes) => Some(bytes.take().unwrap_or_default()),
            Inner::Stream(_) => None,
        }
    }

    /// Lets go of a body whose stream reached its end marker (`[DONE]`). What follows is normally only the
    /// body's end, and a body read to its end leaves its HTTP/1.1 connection to the pool, where a body
    /// dropped before it closes the connection. So a task of the current runtime reads the rest, within
    /// [`RELEASE_BYTES`] and [`RELEASE_WAIT`]; past them, or with no runtime, the body is dropped. The
    /// caller does not wait for it.
    pub(crate) fn release(self) {
        if let (Inner::Stream(_), Ok(runtime)) =
            (&self.inner, tokio::runtime::Handle::try_current())
        {
            runtime.spawn(self.read_rest());
        }
    }

    /// Reads the body to its end, within [`RELEASE_BYTES`] and, once it has to wait, [`RELEASE_WAIT`]
    /// (a body that ends at once, as a test double's does, needs no timer).
    async fn read_rest(mut self) {
        let mut left = RELEASE_BYTES;
        let rest = async move {
            while let Some(Ok(piece)) = self.next().await {
                match left.checked_sub(piece.len()) {
                    Some(still) => left = still,
                    None => return,
                }
            }
        };
        let mut rest = std::pin::pin!(rest);
        if futures::poll!(rest.as_mut()).is_pending() {
            let _ = tokio::time::timeout(RELEASE_WAIT, rest).await;
        }
    }
}

/// How much of a body [`Body::release`] reads after its stream's end marker before it gives up and
/// closes the connection.
const RELEASE_BYTES: usize = 64 * 1024;

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Self {
        Self {
            inner: Inner::Whole((!bytes.is_empty()).then_some(bytes)),
        }
    }
}

impl Stream for Body {
    type Item = Result<Bytes, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match &mut self.get_mut().inner {
            Inner::Whole(bytes) => Poll::Ready(bytes.take().map(Ok)),
            Inner::Stream(stream) => stream.poll_next_unpin(cx),
        }
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            Inner::Whole(bytes) => {
                write!(f, "Body({} bytes)", bytes.as_ref().map_or(0, Bytes::len))
            }
            Inner::Stream(_) => f.write_str("Body(stream)"),
        }
    }
}

/// The pieces of an upload read from `reader` as it is sent. The first piece asked for reads it first, and
/// takes it from its call's slot ([`SlotReader`]); nothing reads it before.
pub(crate) fn reader_pieces(
    reader: crate::runtime::Reader,
) -> tokio_util::io::ReaderStream<crate::runtime::Reader> {
    tokio_util::io::ReaderStream::new(reader)
}

/// Reads the reader taken from its call's slot at the first read. An empty read takes it too, and returns
/// at once without reading it ([`claim_reader`]).
impl tokio::io::AsyncRead for SlotReader {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let reader = self.get_mut().claim()?;
        if buf.remaining() == 0 {
            return Poll::Ready(Ok(()));
        }
        Pin::new(reader).poll_read(cx, buf)
    }
}

/// Takes the reader of an upload's part from its call's slot without reading from it, as its first read
/// would: the call then counts it as read, and does not send it again. Every reader of a part is a
/// [`SlotReader`], whose empty read does just that, at once. (Used by the test double.)
#[cfg(any(test, feature = "test-util"))]
pub(crate) fn claim_reader(reader: &mut crate::runtime::Reader) -> std::io::Result<()> {
    use tokio::io::AsyncRead;
    let mut cx = Context::from_waker(std::task::Waker::noop());
    match Pin::new(reader).poll_read(&mut cx, &mut tokio::io::ReadBuf::new(&mut [])) {
        Poll::Ready(result) => result,
        Poll::Pending => Ok(()),
    }
}

impl FileInput {
    /// A file read from `reader` as it is sent (never held whole in memory). A reader can be read only
    /// once: a call with it is retried as long as no attempt has read from it (a refused connection), and
    /// not once one has.
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
