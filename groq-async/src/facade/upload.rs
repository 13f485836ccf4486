//! Files to upload (audio, JSONL batch inputs): from bytes, from a path (streamed from disk, never read
//! into memory), or from a reader.

use crate::facade::http::{FileContent, FilePart};
use crate::runtime::Reader;
use bytes::Bytes;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A file to send in a multipart upload.
///
/// A file from bytes or from a path is sent again whenever a request is retried. A reader can be read only
/// once: a call with one is retried like any other as long as no attempt has read from it (the connection
/// was refused, or failed before the request's body was asked for), and not once one has: the call then
/// fails with the error of that attempt.
pub struct FileInput {
    pub(crate) source: Source,
    pub(crate) filename: String,
    /// Set with [`content_type`](FileInput::content_type); otherwise guessed from `filename` when sent.
    pub(crate) content_type: Option<String>,
}

pub(crate) enum Source {
    Bytes(Bytes),
    Path(PathBuf),
    Reader(ReaderSlot),
}

/// Where the reader of a file to upload waits until a request's body first reads from it, shared by its
/// [`FileInput`] and the body of each attempt ([`SlotReader`]): taken out then, not when the request is
/// built, so that an attempt that failed before its body was asked for data (a refused connection) leaves
/// it there, and the call may send it in another. Empty once taken: it is never sent again.
type ReaderSlot = Arc<Mutex<Option<Reader>>>;

/// The reader of a file as the body of one attempt holds it: still in its call's slot until the first read,
/// then taken out of it. Each crate's `body.rs` implements its read trait (`AsyncRead`, `Read`) over
/// [`claim`](Self::claim).
pub(crate) struct SlotReader(Claim);

enum Claim {
    /// Not read from yet: the reader is in the slot (or an earlier attempt took it).
    Waiting(ReaderSlot),
    /// Taken from the slot at the first read.
    Holding(Reader),
    /// The slot was empty at the first read.
    Missing,
}

/// Why a reader cannot be sent: the body of an earlier attempt (or call) read from it.
const READ_ONCE: &str = "a reader can be uploaded only once";

impl SlotReader {
    /// The reader, taken from its slot the first time it is asked for: at the body's first read, of any
    /// length (an empty one included). An error if the slot was empty then.
    pub(crate) fn claim(&mut self) -> std::io::Result<&mut Reader> {
        if let Claim::Waiting(slot) = &self.0 {
            let taken = slot.lock().ok().and_then(|mut slot| slot.take());
            self.0 = taken.map_or(Claim::Missing, Claim::Holding);
        }
        match &mut self.0 {
            Claim::Holding(reader) => Ok(reader),
            Claim::Waiting(_) | Claim::Missing => Err(std::io::Error::other(READ_ONCE)),
        }
    }
}

impl FileInput {
    /// A file held in memory, sent under `filename`.
    pub fn bytes(filename: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        Self {
            content_type: None,
            source: Source::Bytes(bytes.into()),
            filename: filename.into(),
        }
    }

    /// A file on disk, streamed from it when the request is sent: its name is the path's last component and
    /// its content type follows the extension.
    pub fn path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let filename = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".to_owned());
        Self {
            content_type: None,
            filename,
            source: Source::Path(path),
        }
    }

    pub(crate) fn from_reader(filename: String, reader: Reader) -> Self {
        Self {
            content_type: None,
            filename,
            source: Source::Reader(Arc::new(Mutex::new(Some(reader)))),
        }
    }

    /// Sends the file under another name (its content type, unless set, then follows that name).
    pub fn filename(mut self, filename: impl Into<String>) -> Self {
        self.filename = filename.into();
        self
    }

    /// Sets the content type (else guessed from the extension of the name it is sent under). A value that
    /// is not a media type (`type/subtype`) fails the call before anything is sent.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The multipart part of this file under the form field `name`. A reader stays in its slot: the part's
    /// body takes it at its first read. A reader already taken (read by an earlier attempt or call), a file
    /// name with a control character (a line break would end the part's header) or a content type that is
    /// not a media type is refused, the same whichever transport sends the part.
    pub(crate) fn to_part(&self, name: &str) -> Result<FilePart, groq_types::sdk::Error> {
        let invalid = |why: String| groq_types::sdk::Error::InvalidRequest(why);
        if self.filename.chars().any(char::is_control) {
            return Err(invalid(format!(
                "the file name {:?} has a control character (such as a line break), which a multipart \
                 header cannot carry",
                self.filename
            )));
        }
        let content_type = match &self.content_type {
            Some(explicit) if explicit.parse::<mime_guess::mime::Mime>().is_err() => {
                return Err(invalid(format!("invalid content type `{explicit}`")))
            }
            Some(explicit) => explicit.clone(),
            None => {
                guess(Path::new(&self.filename)).unwrap_or_else(|| DEFAULT_CONTENT_TYPE.to_owned())
            }
        };
        let content = match &self.source {
            Source::Bytes(bytes) => FileContent::Bytes(bytes.clone()),
            Source::Path(path) => FileContent::Path(path.clone()),
            Source::Reader(slot) if unread(slot) => {
                FileContent::Reader(Box::new(SlotReader(Claim::Waiting(Arc::clone(slot)))))
            }
            Source::Reader(_) => return Err(invalid(READ_ONCE.to_owned())),
        };
        Ok(FilePart {
            name: name.to_owned(),
            filename: self.filename.clone(),
            content_type,
            content,
        })
    }

    /// Whether the file comes from a reader.
    pub(crate) fn is_reader(&self) -> bool {
        matches!(self.source, Source::Reader(_))
    }

    /// Whether the file can be sent again on a retry: from bytes or a path, always; from a reader, as long
    /// as no request's body has read from it.
    pub(crate) fn can_send_again(&self) -> bool {
        match &self.source {
            Source::Bytes(_) | Source::Path(_) => true,
            Source::Reader(slot) => unread(slot),
        }
    }
}

/// Whether the reader is still in `slot`.
fn unread(slot: &ReaderSlot) -> bool {
    slot.lock().is_ok_and(|slot| slot.is_some())
}

impl fmt::Debug for FileInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.source {
            Source::Bytes(bytes) => format!("{} bytes", bytes.len()),
            Source::Path(path) => path.display().to_string(),
            Source::Reader(_) => "a reader".to_owned(),
        };
        f.debug_struct("FileInput")
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .field("source", &source)
            .finish()
    }
}

/// The content type of a file whose type is not known, as the official SDKs send it.
const DEFAULT_CONTENT_TYPE: &str = "application/octet-stream";

/// The content type for a file name's extension: the registered type where `mime_guess` knows an
/// unregistered one (`.m4a` is `audio/mp4`, not `audio/m4a`).
fn guess(path: &Path) -> Option<String> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    if extension == "m4a" {
        return Some("audio/mp4".to_owned());
    }
    mime_guess::from_ext(&extension)
        .first()
        .map(|mime| mime.essence_str().to_owned())
}

/// Adds the path to an I/O error, so that "No such file" says which file.
pub(crate) fn io_error(path: &Path, error: std::io::Error) -> groq_types::sdk::Error {
    groq_types::sdk::Error::Io(std::io::Error::new(
        error.kind(),
        format!("{}: {error}", path.display()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file read from three bytes in memory (a `Cursor` is a reader to both crates).
    fn from_reader() -> FileInput {
        FileInput::from_reader(
            "a.txt".into(),
            Box::new(std::io::Cursor::new(b"abc".to_vec())),
        )
    }

    fn reader_of(part: FilePart) -> Reader {
        match part.content {
            FileContent::Reader(reader) => reader,
            other => panic!("not a reader: {other:?}"),
        }
    }

    #[test]
    fn a_reader_is_taken_at_its_first_read_not_when_its_part_is_built() {
        let file = from_reader();
        // An attempt whose body was never read (a refused connection).
        drop(file.to_part("file").unwrap());
        assert!(file.can_send_again());
        let mut reader = reader_of(file.to_part("file").unwrap());
        assert!(file.can_send_again(), "building the part reads nothing");
        crate::body::claim_reader(&mut reader).unwrap();
        assert!(
            !file.can_send_again(),
            "a read, even an empty one, takes it"
        );
        let error = file.to_part("file").unwrap_err();
        assert!(
            matches!(&error, groq_types::sdk::Error::InvalidRequest(why) if why == READ_ONCE),
            "{error:?}"
        );
        assert!(FileInput::bytes("a.txt", "abc").can_send_again());
        assert!(FileInput::path("a.txt").can_send_again());
    }

    #[test]
    fn a_body_whose_reader_another_took_fails_at_its_first_read() {
        let file = from_reader();
        let mut first = reader_of(file.to_part("file").unwrap());
        let mut second = reader_of(file.to_part("file").unwrap());
        crate::body::claim_reader(&mut first).unwrap();
        let error = crate::body::claim_reader(&mut second).unwrap_err();
        assert_eq!(error.to_string(), READ_ONCE);
        // And on every read after.
        assert!(crate::body::claim_reader(&mut second).is_err());
        crate::body::claim_reader(&mut first).unwrap();
    }
}
