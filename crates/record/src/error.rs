/// An error reading or writing records.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A line of JSONL input is not a valid record.
    #[error("line {line}: {message}")]
    Line {
        /// 1-based line number in the input.
        line: u64,
        /// What was wrong with it.
        message: String,
    },
    /// A line of JSONL input is longer than the reader's limit
    /// ([`JsonlReader::with_max_line`](crate::JsonlReader::with_max_line)):
    /// it was read and discarded, not held.
    #[error("line {line}: a record of {size} bytes is longer than the limit of {limit} bytes")]
    TooLong {
        /// 1-based line number in the input.
        line: u64,
        /// The line's length in bytes (newline excluded).
        size: u64,
        /// The limit.
        limit: usize,
    },
    /// Reading or writing failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// Bytes given to [`Doc::decode`](crate::Doc::decode) are not a record it
    /// wrote: what was wrong.
    #[error("damaged record: {0}")]
    Corrupt(&'static str),
}

impl Error {
    /// The 1-based input line the error is about, when there is one.
    #[must_use]
    pub fn line(&self) -> Option<u64> {
        match self {
            Error::Line { line, .. } | Error::TooLong { line, .. } => Some(*line),
            Error::Io(_) | Error::Corrupt(_) => None,
        }
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
