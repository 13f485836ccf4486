//! Files to upload (audio, JSONL batch inputs): from bytes, from a path (streamed from disk, never read
//! into memory), or from a reader.

use crate::transport::Reader;
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
        let filename = filename.into();
        Self {
            content_type: guess(Path::new(&filename)),
            source: Source::Bytes(bytes.into()),
            filename,
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
            content_type: guess(&path),
            filename,
            source: Source::Path(path),
        }
    }

    pub(crate) fn from_reader(filename: String, reader: Reader) -> Self {
        Self {
            content_type: guess(Path::new(&filename)),
            filename,
            source: Source::Reader(Mutex::new(Some(reader))),
        }
    }

    /// Sends the file under another name.
    pub fn filename(mut self, filename: impl Into<String>) -> Self {
        self.filename = filename.into();
        self
    }

    /// Sets the content type (else guessed from the file name's extension).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
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

fn guess(path: &Path) -> Option<String> {
    mime_guess::from_path(path)
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
