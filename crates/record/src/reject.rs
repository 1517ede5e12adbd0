//! Why a document is not an article: the reject reasons of POLICY.md.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a document was rejected. On the wire it is one word of the policy's
/// list (`"empty"`, `"too-large"`, …); an explanation, when there is one,
/// goes in [`Doc::reject_detail`](crate::Doc::reject_detail), never glued to
/// the word.
///
/// ```
/// use scour_record::RejectReason;
/// assert_eq!(RejectReason::TooLarge.as_str(), "too-large");
/// assert_eq!("not-a-file".parse(), Ok(RejectReason::NotAFile));
/// assert!(RejectReason::Io.is_input_error());
/// assert!(!RejectReason::Deleted.is_input_error());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum RejectReason {
    /// Nothing of the article is left once the furniture is gone (a stub, a
    /// body that was only images, a file with no text).
    Empty,
    /// The platform's notice that the publisher deleted the article.
    Deleted,
    /// The platform's notice that the article was blocked.
    Blocked,
    /// The platform's notice that the link expired.
    Expired,
    /// A service page instead of the article: a verification or captcha
    /// wall, a rate-limit or quota page.
    Unavailable,
    /// The account-migration notice (该公众号已迁移).
    Migrated,
    /// A page or file that lists articles (an account's history, search
    /// results, a JSON index of posts).
    Listing,
    /// Larger than `--max-doc-bytes` (or a decompression cap).
    TooLarge,
    /// Not text in any known encoding.
    Binary,
    /// A broken compressed stream or container.
    Corrupt,
    /// Text that does not parse as its format says (bad JSON, bad feed).
    Parse,
    /// The input could not be read.
    Io,
    /// Not a regular file (a FIFO, a device) inside a walked directory.
    NotAFile,
}

impl RejectReason {
    /// Every reason, in the policy's order.
    pub const ALL: [RejectReason; 13] = [
        RejectReason::Empty,
        RejectReason::Deleted,
        RejectReason::Blocked,
        RejectReason::Expired,
        RejectReason::Unavailable,
        RejectReason::Migrated,
        RejectReason::Listing,
        RejectReason::TooLarge,
        RejectReason::Binary,
        RejectReason::Corrupt,
        RejectReason::Parse,
        RejectReason::Io,
        RejectReason::NotAFile,
    ];

    /// The word on the wire.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            RejectReason::Empty => "empty",
            RejectReason::Deleted => "deleted",
            RejectReason::Blocked => "blocked",
            RejectReason::Expired => "expired",
            RejectReason::Unavailable => "unavailable",
            RejectReason::Migrated => "migrated",
            RejectReason::Listing => "listing",
            RejectReason::TooLarge => "too-large",
            RejectReason::Binary => "binary",
            RejectReason::Corrupt => "corrupt",
            RejectReason::Parse => "parse",
            RejectReason::Io => "io",
            RejectReason::NotAFile => "not-a-file",
        }
    }

    /// Whether the input itself could not be read (as opposed to a document
    /// that was read and is not an article): the binary reports these on
    /// stderr even without `--verbose`.
    #[must_use]
    pub fn is_input_error(self) -> bool {
        matches!(
            self,
            RejectReason::TooLarge
                | RejectReason::Binary
                | RejectReason::Corrupt
                | RejectReason::Parse
                | RejectReason::Io
                | RejectReason::NotAFile
        )
    }
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A word that is not one of the policy's reasons.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownReason(pub String);

impl fmt::Display for UnknownReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown reject reason {:?}", self.0)
    }
}

impl std::error::Error for UnknownReason {}

impl FromStr for RejectReason {
    type Err = UnknownReason;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RejectReason::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownReason(s.to_owned()))
    }
}

impl Serialize for RejectReason {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RejectReason {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_round_trips_through_its_word() {
        for r in RejectReason::ALL {
            assert_eq!(r.as_str().parse(), Ok(r));
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(json, format!("\"{}\"", r.as_str()));
            assert_eq!(serde_json::from_str::<RejectReason>(&json).unwrap(), r);
        }
    }

    #[test]
    fn a_glued_detail_is_not_a_reason() {
        assert!("empty: nothing left".parse::<RejectReason>().is_err());
        assert!(serde_json::from_str::<RejectReason>("\"gone\"").is_err());
    }
}
