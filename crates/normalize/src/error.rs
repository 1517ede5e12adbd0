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
    #[error("document of {} is larger than the limit of {} (raise --max-doc-bytes)", human_bytes(*size as u64), human_bytes(*limit as u64))]
    TooLarge {
        /// Size in bytes (possibly a lower bound).
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// A compressed file inflates past its limit (a decompression bomb, or
    /// a dump too large to read whole).
    #[error("decompresses to more than {}, the limit of 4 × --max-doc-bytes ({}); raise --max-doc-bytes", human_bytes(*limit as u64), human_bytes(*limit as u64 / 4))]
    DecompressedTooLarge {
        /// The limit, 4 × `--max-doc-bytes`.
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
            Error::TooLarge { .. } | Error::DecompressedTooLarge { .. } => RejectReason::TooLarge,
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

/// A size for people: `64 MiB`, `1000 B`, `1.5 GiB` (the binary's messages
/// about limits use it too).
#[must_use]
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    if v.fract() == 0.0 {
        format!("{v:.0} {}", UNITS[unit])
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 15: the message said `268435456`, not what the flag means.
    #[test]
    fn limits_read_in_human_units() {
        assert_eq!(human_bytes(64 << 20), "64 MiB");
        assert_eq!(human_bytes(1000), "1000 B");
        let e = Error::DecompressedTooLarge { limit: 256 << 20 };
        assert_eq!(
            e.to_string(),
            "decompresses to more than 256 MiB, the limit of 4 × --max-doc-bytes (64 MiB); raise --max-doc-bytes"
        );
    }
}
