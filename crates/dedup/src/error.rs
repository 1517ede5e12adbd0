//! Errors of the dedup stage: only files can fail (the index, the spill file);
//! documents never do.

/// What can go wrong reading or writing a dedup index, or the spill file.
///
/// Deduplicating documents never fails: a bad document is a reject, not an
/// error. Only the persistent [`Index`](crate::Index) has a format that can be
/// damaged, truncated or written by another version, and the temporary file
/// the [`Deduper`](crate::Deduper) spills documents to can fail like any file
/// (a full disk).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The underlying reader or writer failed.
    #[error("dedup index i/o: {0}")]
    Io(#[from] std::io::Error),
    /// Writing the pushed documents to the deduper's temporary file, or
    /// reading them back, failed.
    #[error("dedup spill file i/o: {0}")]
    Spill(#[source] std::io::Error),
    /// The file does not start with the index's magic bytes.
    #[error("not a scour dedup index (expected magic bytes {expected:?}, found {found:?})")]
    BadMagic {
        /// The magic bytes every index starts with.
        expected: [u8; 8],
        /// The first bytes of the file.
        found: [u8; 8],
    },
    /// The index was written by a format version this build cannot read.
    #[error(
        "unsupported dedup index version {found} (this build reads version {expected}); \
         an index of another version was grouped by other rules: rebuild it by running \
         scour again over the dumps it was made from with a new --index file"
    )]
    Version {
        /// The version this build reads and writes.
        expected: u32,
        /// The version in the file.
        found: u32,
    },
    /// The index's signatures were computed with other parameters (number of
    /// slots, slot width, shingle length or seed), so they cannot be compared.
    #[error("dedup index signature parameters differ: expected {expected}, found {found}")]
    Params {
        /// This build's parameters.
        expected: String,
        /// The file's parameters.
        found: String,
    },
    /// The file ended before all the entries its header announced.
    #[error("dedup index truncated in entry {entry} of {count}")]
    Truncated {
        /// The 0-based entry being read.
        entry: u64,
        /// The number of entries the header announced.
        count: u64,
    },
    /// An entry's content is impossible (a bad id, a group pointer out of range).
    #[error("dedup index corrupt at entry {entry}: {what}")]
    Corrupt {
        /// The 0-based entry.
        entry: u64,
        /// What is wrong with it.
        what: &'static str,
    },
    /// The trailing checksum does not match the content.
    #[error("dedup index checksum mismatch (expected {expected:016x}, found {found:016x})")]
    Checksum {
        /// The checksum stored in the file.
        expected: u64,
        /// The checksum of the bytes read.
        found: u64,
    },
}

/// A `Result` whose error is this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
