//! The rule families of POLICY.md ("Goes"): what kind of thing a removal was.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The family of the rule that removed a block, on the wire one word of the
/// policy's list (`"chrome"`, `"promo"`, …), as [`DupKind`](crate::DupKind)
/// is.
///
/// ```
/// use scour_record::Family;
/// assert_eq!(Family::Truncation.as_str(), "truncation");
/// assert_eq!("promo".parse(), Ok(Family::Promo));
/// assert!("ads".parse::<Family>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Family {
    /// The page's furniture (WeChat's UI labels, a site's navigation).
    Chrome,
    /// Images with nothing to say (dividers, QR codes, avatars).
    Media,
    /// The account or site advertising itself.
    Promo,
    /// Marks the archiver left where it cut the page.
    Truncation,
    /// Blocks an account repeats across its articles (learned by dedup).
    Boilerplate,
    /// Moved into a record field (title, author, credits) rather than
    /// thrown away.
    Field,
}

impl Family {
    /// Every family, in the policy's order.
    pub const ALL: [Family; 6] = [
        Family::Chrome,
        Family::Media,
        Family::Promo,
        Family::Truncation,
        Family::Boilerplate,
        Family::Field,
    ];

    /// The word on the wire.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Chrome => "chrome",
            Family::Media => "media",
            Family::Promo => "promo",
            Family::Truncation => "truncation",
            Family::Boilerplate => "boilerplate",
            Family::Field => "field",
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A word that is not one of the policy's families.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownFamily(pub String);

impl fmt::Display for UnknownFamily {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown rule family {:?} (expected chrome, media, promo, truncation, boilerplate or field)",
            self.0
        )
    }
}

impl std::error::Error for UnknownFamily {}

impl FromStr for Family {
    type Err = UnknownFamily;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Family::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| UnknownFamily(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_family_round_trips_through_its_word() {
        for f in Family::ALL {
            assert_eq!(f.as_str().parse(), Ok(f));
            let json = serde_json::to_string(&f).unwrap();
            assert_eq!(json, format!("\"{}\"", f.as_str()));
            assert_eq!(serde_json::from_str::<Family>(&json).unwrap(), f);
        }
        assert!(serde_json::from_str::<Family>("\"Chrome\"").is_err());
    }
}
