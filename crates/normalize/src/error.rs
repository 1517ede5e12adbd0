use scour_record::{Doc, Origin, RejectReason};

/// Why a document could not be read. Turned into a reject reason by
/// [`crate::normalize`]; the run goes on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The compressed stream is broken.
    #[error("broken {format} stream: {message}")]
    Decompress {
        /// `gzip` or `zstd`.
        format: &'static str,
        /// What the decompressor said.
        message: String,
    },
    /// The document is larger than the configured limit.
    #[error("document of {size} bytes is larger than the limit of {limit} bytes (raise --max-doc-bytes)")]
    TooLarge {
        /// Size in bytes (possibly a lower bound).
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The content is not text in any known format.
    #[error("{0}")]
    Parse(String),
}

/// `Result` with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// The reject reason this error gives a document.
    #[must_use]
    pub fn reason(&self) -> RejectReason {
        match self {
            Error::Decompress { .. } => RejectReason::Corrupt,
            Error::TooLarge { .. } => RejectReason::TooLarge,
            Error::Parse(_) => RejectReason::Parse,
        }
    }

    /// The rejected document of `origin`: this error's reason, and its
    /// message as the detail.
    #[must_use]
    pub fn reject(&self, origin: Origin) -> Doc {
        Doc::rejected_with(origin, self.reason(), self.to_string())
    }
}
