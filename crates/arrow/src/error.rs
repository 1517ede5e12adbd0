//! Errors of the Arrow and Parquet forms of records.

/// What can go wrong converting or reading records.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A column has a type a record field cannot take.
    #[error("column `{column}`: expected {expected}, found {found}")]
    ColumnType {
        /// The column's name.
        column: String,
        /// What the field needs.
        expected: &'static str,
        /// The column's Arrow type.
        found: String,
    },
    /// A value a record field cannot take (an `extra` that is not a JSON
    /// object, a `dup_kind` that is not `url`, `exact` or `near`).
    #[error("row {row}: column `{column}`: {reason}")]
    Value {
        /// The column's name.
        column: String,
        /// 0-based row in its batch.
        row: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// Arrow refused the columns.
    #[error("arrow: {0}")]
    Arrow(#[from] arrow_schema::ArrowError),
    /// Reading or writing Parquet failed.
    #[error("parquet: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
}

/// A `Result` with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
