//! The blocking side of bodies: a response [`Body`] is an [`Iterator`] of pieces, an upload can come
//! from a `Read`, and a download can be read as an `Iterator`.

use crate::facade::binary::BinaryResponse;
use crate::facade::upload::{FileInput, SlotReader};
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
    /// A body that arrives piece by piece, from an iterator (a test double's, a transport's of its own).
    Pieces(Box<dyn Iterator<Item = Result<Bytes, Error>> + Send>),
    /// A body that the reqwest transport's task reads.
    Read(Box<crate::reqwest_transport::Pieces>),
}

impl Body {
    /// An empty body.
    pub fn empty() -> Self {
        Self {
            inner: Inner::Whole(None),
        }
    }

    /// A body made of `chunks`, in order (an error ends it).
    pub fn from_chunks<I>(chunks: I) -> Self
    where
        I: IntoIterator<Item = Result<Bytes, Error>>,
        I::IntoIter: Send + 'static,
    {
        Self {
            inner: Inner::Pieces(Box::new(chunks.into_iter())),
        }
    }

    /// The body the reqwest transport's task reads as `pieces`.
    pub(crate) fn read_by(pieces: crate::reqwest_transport::Pieces) -> Self {
        Self {
            inner: Inner::Read(Box::new(pieces)),
        }
    }

    /// Lets go of a body whose stream reached its end marker (`[DONE]`): the transport may read what is
    /// left, normally only the body's end, so that the connection can be used again
    /// ([`Pieces::release`](crate::reqwest_transport::Pieces::release)). Any other body is dropped.
    pub(crate) fn release(self) {
        if let Inner::Read(mut pieces) = self.inner {
            pieces.release();
        }
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
            Inner::Pieces(_) | Inner::Read(_) => None,
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
            Inner::Read(pieces) => pieces.next(),
        }
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            Inner::Whole(bytes) => {
                write!(f, "Body({} bytes)", bytes.as_ref().map_or(0, Bytes::len))
            }
            Inner::Pieces(_) | Inner::Read(_) => f.write_str("Body(stream)"),
        }
    }
}

/// How much one read of an upload's reader takes.
const READ_SIZE: usize = 64 * 1024;
/// How many pieces the thread reading an upload may hold ready beyond the one being sent.
const READ_AHEAD: usize = 2;

/// The pieces of an upload read from `reader` as it is sent.
///
/// The reader runs on a thread of its own, started when the body is first polled, which hands its pieces
/// over through a bounded channel (as reqwest's own blocking client reads a reader outside its runtime).
/// Never inside one of the transport's runtimes: a slow read would stall every call and timer of that
/// runtime, and a reader that blocks on a tokio runtime of its own would panic there. The thread ends at
/// the reader's end or first error, or, once the body is dropped (the request is over), at its next piece.
///
/// The first poll takes the reader from its call's slot ([`SlotReader`]) before the thread starts: an
/// attempt whose body was never polled (a refused connection) leaves it unread, for a retry, and one whose
/// body was counts it as read, whether or not its thread got to read a piece.
pub(crate) fn reader_pieces(
    reader: crate::runtime::Reader,
) -> impl futures::Stream<Item = Result<Bytes, std::io::Error>> + Send + Unpin + 'static {
    ReaderPieces::Unstarted(reader)
}

/// What the thread reading an upload hands over.
enum Piece {
    Data(Bytes),
    Failed(std::io::Error),
    /// The reader's end: without it, a channel that closes means the thread stopped early (it panicked).
    End,
}

/// The pieces of an upload's reader, as its thread reads them.
enum ReaderPieces {
    /// Not polled yet: the thread has not started.
    Unstarted(crate::runtime::Reader),
    Reading(tokio::sync::mpsc::Receiver<Piece>),
    Over,
}

impl futures::Stream for ReaderPieces {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::task::Poll;
        let this = self.get_mut();
        if matches!(this, Self::Unstarted(_)) {
            if let Self::Unstarted(mut reader) = std::mem::replace(this, Self::Over) {
                if let Err(error) = claim_reader(&mut reader) {
                    return Poll::Ready(Some(Err(error)));
                }
                match read_on_a_thread(reader) {
                    Ok(pieces) => *this = Self::Reading(pieces),
                    Err(error) => return Poll::Ready(Some(Err(error))),
                }
            }
        }
        let Self::Reading(pieces) = this else {
            return Poll::Ready(None);
        };
        let item = match std::task::ready!(pieces.poll_recv(cx)) {
            Some(Piece::Data(bytes)) => return Poll::Ready(Some(Ok(bytes))),
            Some(Piece::Failed(error)) => Some(Err(error)),
            Some(Piece::End) => None,
            None => Some(Err(std::io::Error::other(
                "the reader of the file to upload stopped before its end (it panicked)",
            ))),
        };
        *this = Self::Over;
        Poll::Ready(item)
    }
}

/// Starts the thread that reads `reader` into the returned channel.
fn read_on_a_thread(
    mut reader: crate::runtime::Reader,
) -> Result<tokio::sync::mpsc::Receiver<Piece>, std::io::Error> {
    let (sender, pieces) = tokio::sync::mpsc::channel(READ_AHEAD);
    std::thread::Builder::new()
        .name("groq-blocking-upload".into())
        .spawn(move || loop {
            let piece = match read_piece(&mut reader) {
                Ok(Some(bytes)) => Piece::Data(bytes),
                Ok(None) => Piece::End,
                Err(error) => Piece::Failed(std::io::Error::new(
                    error.kind(),
                    format!("reading the file to upload failed: {error}"),
                )),
            };
            let last = !matches!(piece, Piece::Data(_));
            // A send fails once the body is dropped: nobody wants the rest.
            if sender.blocking_send(piece).is_err() || last {
                return;
            }
        })
        .map_err(|error| {
            std::io::Error::new(
                error.kind(),
                format!("cannot start a thread to read the file to upload: {error}"),
            )
        })?;
    Ok(pieces)
}

/// The next piece of `reader`; `None` at its end.
fn read_piece(reader: &mut crate::runtime::Reader) -> Result<Option<Bytes>, std::io::Error> {
    let mut buffer = vec![0; READ_SIZE];
    loop {
        return match reader.read(&mut buffer) {
            Ok(0) => Ok(None),
            Ok(n) => {
                buffer.truncate(n);
                Ok(Some(Bytes::from(buffer)))
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => Err(e),
        };
    }
}

/// Reads the reader taken from its call's slot at the first read. An empty read takes it too, and returns
/// at once without reading it ([`claim_reader`]).
impl Read for SlotReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let reader = self.claim()?;
        if buf.is_empty() {
            return Ok(0);
        }
        reader.read(buf)
    }
}

/// Takes the reader of an upload's part from its call's slot without reading from it, as its first read
/// would: the call then counts it as read, and does not send it again. Every reader of a part is a
/// [`SlotReader`], whose empty read does just that, at once: it runs none of the reader's code, so it may
/// run inside a runtime.
pub(crate) fn claim_reader(reader: &mut crate::runtime::Reader) -> std::io::Result<()> {
    reader.read(&mut []).map(drop)
}

impl FileInput {
    /// A file read from `reader` as it is sent (never held whole in memory). A reader can be read only
    /// once: a call with it is retried as long as no attempt has read from it (a refused connection), and
    /// not once one has.
    ///
    /// The reader runs on a thread of its own, a few pieces ahead of the upload: a slow reader holds up no
    /// other call, and it may block on a tokio runtime of its own. An error it returns (or a panic) fails
    /// the call with [`Error::Connection`](crate::Error::Connection) saying so.
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
