/// An error of the strip stage.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A rule pack could not be compiled.
    #[error("bad rule pack: {0}")]
    Rules(String),
}

/// `Result` with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
