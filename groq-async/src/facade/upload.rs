//! Files to upload (audio, JSONL batch inputs): from bytes, from a path (streamed from disk, never read
//! into memory), or from a reader.

use crate::facade::http::{FileContent, FilePart};
use crate::runtime::Reader;
use bytes::Bytes;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A file to send in a multipart upload.
///
/// A file from bytes or from a path can be sent again when a request is retried; a reader can be read only
/// once, so a call with a reader is never retried.
pub struct FileInput {
    pub(crate) source: Source,
    pub(crate) filename: String,
    /// Set with [`content_type`](FileInput::content_type); otherwise guessed from `filename` when sent.
    pub(crate) content_type: Option<String>,
}

pub(crate) enum Source {
    Bytes(Bytes),
    Path(PathBuf),
    Reader(Mutex<Option<Reader>>),
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
            source: Source::Reader(Mutex::new(Some(reader))),
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

    /// The multipart part of this file under the form field `name`. A reader is taken: it can be sent once.
    /// A file name with a control character (a line break would end the part's header) or a content type
    /// that is not a media type is refused, the same whichever transport sends the part.
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
            Source::Reader(slot) => slot
                .lock()
                .ok()
                .and_then(|mut slot| slot.take())
                .map(FileContent::Reader)
                .ok_or_else(|| {
                    groq_types::sdk::Error::InvalidRequest(
                        "a reader can be uploaded only once".into(),
                    )
                })?,
        };
        Ok(FilePart {
            name: name.to_owned(),
            filename: self.filename.clone(),
            content_type,
            content,
        })
    }

    /// Whether the file can be sent again on a retry (not for readers).
    pub(crate) fn is_replayable(&self) -> bool {
        !matches!(self.source, Source::Reader(_))
    }
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
