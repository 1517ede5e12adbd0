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
            Error::Line { line, .. } => Some(*line),
            Error::Io(_) | Error::Corrupt(_) => None,
        }
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
