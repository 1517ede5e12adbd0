//! Dedup's pieces, for a pipeline that runs them apart: scour's Spark job
//! (`scour_text.spark`) works out each record's fingerprints on the
//! executors with these functions and groups records with distributed
//! joins, so that its answers are [`Deduper`](crate::Deduper)'s by
//! construction: the same URL keys, body hashes, block hashes, signatures,
//! band keys and similarity.
//!
//! The Spark job follows ARCHITECTURE.md's "Deduplication: the grouping
//! rule" with them:
//!
//! 1. Repeated blocks: a record with a [`Fingerprint::source`] counts its
//!    distinct [`Fingerprint::segments`] once for that source, unless an
//!    earlier record (in input order) with a source had its URL key or
//!    [`Fingerprint::compact`] hash, or an earlier *counted* record of the
//!    same source and [`title_key`] has a raw signature at least the
//!    threshold similar ([`counted_of_title`] decides a (source, title)
//!    group). A block counted in at least [`needed`] records of its source
//!    is removed from all of them ([`strip_repeated`], which leaves a record
//!    whole when less than 30 characters would be left), and the record is
//!    fingerprinted again.
//! 2. Candidate pairs (the same URL key, the same body hash, an LSH band key
//!    in common) verified by the two records alone bound where decisions
//!    interact: the connected components of the verified pairs (and of
//!    shared URL keys, for stubs).
//! 3. Each component is decided by [`decide`]: the deduper's own greedy
//!    pass in keep order, each record joining the best-ranked kept record
//!    it is verified with. A component is closed under verification, so
//!    this is the decision the whole run makes.
//!
//! [`Deduper::finish_batched`]: crate::Deduper::finish_batched
//! [`estimated_jaccard`]: crate::estimated_jaccard

use scour_record::{Doc, DupKind, RejectReason};
use xxhash_rust::xxh3::xxh3_128;

use crate::boilerplate::{counted_source, segment_hashes};
use crate::lsh::band_key;
use crate::minhash::{estimated_jaccard, MinHasher, Signature};
use crate::{LshParams, Options};

/// The rule family recorded on a repeated block's removal.
pub const FAMILY: scour_record::Family = crate::boilerplate::FAMILY;
/// The rule name recorded on a repeated block's removal.
pub const RULE: &str = crate::boilerplate::RULE;

/// The reject reason of a record whose body is gone.
pub const EMPTY: RejectReason = RejectReason::Empty;
/// Its detail, as the deduper writes it.
pub const EMPTY_DETAIL: &str = "no body, and no capture of its URL has one";

/// What dedup needs of a record.
#[derive(Clone, Debug, PartialEq)]
pub struct Fingerprint {
    /// The URL key (WeChat articles by `__biz`, `mid`, `idx`).
    pub url_key: Option<u64>,
    /// The key its blocks are counted under: `None` without a source or
    /// with boilerplate learning off.
    pub source: Option<u64>,
    /// Each segment's block hash (`None`: empty or too long).
    pub segments: Vec<Option<u64>>,
    /// xxh3-128 of the body without whitespace (what repeated-block counts
    /// tell articles apart by).
    pub compact: u128,
    /// Whether the body has anything but whitespace.
    pub had_body: bool,
    /// The body hash exact matching uses (`compact` when there is a body).
    pub body: Option<u128>,
    /// Published day number, 0 when unknown (see [`day_key`]).
    pub day: u32,
    /// Characters of the body without whitespace (0 without a body).
    pub len: u32,
    /// The MinHash signature, when the body is long enough.
    pub signature: Option<Box<Signature>>,
}

/// The fingerprints of a stripped record, as the deduper takes them when
/// it is pushed.
#[must_use]
pub fn fingerprint(opts: &Options, doc: &Doc) -> Fingerprint {
    let source = counted_source(opts, doc.source.as_deref());
    let segments = if source.is_some() {
        segment_hashes(opts, &doc.text)
    } else {
        Vec::new()
    };
    let mut compact = String::with_capacity(doc.text.len());
    doc.text
        .split_whitespace()
        .for_each(|w| compact.push_str(w));
    let compact_hash = xxh3_128(compact.as_bytes());
    let had_body = !doc.text.trim().is_empty();
    Fingerprint {
        url_key: url_key(doc.url.as_deref()),
        source,
        segments,
        compact: compact_hash,
        had_body,
        body: had_body.then_some(compact_hash),
        day: crate::keep::ordinal_day(doc.published.as_deref()),
        len: if had_body {
            u32::try_from(compact.chars().count()).unwrap_or(u32::MAX)
        } else {
            0
        },
        signature: if had_body {
            MinHasher::default().signature(&doc.text)
        } else {
            None
        },
    }
}

/// The title key of a record (its title without whitespace, hashed), the
/// key repeated-block counting tells refetches of one article apart by.
#[must_use]
pub fn title_key(title: Option<&str>) -> Option<u64> {
    crate::boilerplate::title_key(title)
}

/// Which of the records of one source and title key, given in input order
/// with their raw signatures (records that are the first of their URL key
/// and of their raw body), count their blocks: a record does unless an
/// earlier record that counted has a signature at least `threshold`
/// similar to its own (the same article fetched again).
#[must_use]
pub fn counted_of_title(signatures: &[Signature], threshold: f64) -> Vec<bool> {
    let mut seen: Vec<&Signature> = Vec::new();
    signatures
        .iter()
        .map(|sig| {
            if seen.iter().any(|s| estimated_jaccard(s, sig) >= threshold) {
                false
            } else {
                seen.push(sig);
                true
            }
        })
        .collect()
}

/// A record to [`decide`]: its fingerprints after repeated blocks went.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// [`Fingerprint::url_key`].
    pub url_key: Option<u64>,
    /// [`Fingerprint::body`]: `None` for a stub.
    pub body: Option<u128>,
    /// [`Fingerprint::day`] (0: unknown).
    pub day: u32,
    /// [`Fingerprint::len`].
    pub len: u32,
    /// [`Fingerprint::signature`].
    pub signature: Option<Box<Signature>>,
}

/// What becomes of a record under the grouping rule.
#[derive(Clone, Debug, PartialEq)]
pub enum Decision {
    /// Kept.
    Kept,
    /// A duplicate of the kept record at this position of the members, with
    /// its relation to it (the similarity unrounded: see [`rounded`]).
    Duplicate {
        /// The kept record's position among the members.
        of: usize,
        /// Its kind.
        kind: DupKind,
        /// The two bodies' estimated Jaccard similarity.
        similarity: f64,
    },
    /// A stub that no record with a body of its URL decides: rejected as
    /// [`EMPTY`].
    Empty,
}

/// The grouping rule (ARCHITECTURE.md) over `members`, given in input
/// order: the same decisions as [`Deduper`](crate::Deduper) makes for them
/// when they are all a run holds, and so for any set of a run's records
/// that no verified pair or shared URL key links to a record outside it
/// (a connected component).
#[must_use]
pub fn decide(opts: &Options, members: Vec<Member>) -> Vec<Decision> {
    crate::deduper::decide_members(members, lsh_params(opts), threshold(opts))
}

/// The URL key of a URL.
#[must_use]
pub fn url_key(url: Option<&str>) -> Option<u64> {
    url.and_then(crate::urlkey::url_key)
}

/// The rank's day: unknown (0) sorts last.
#[must_use]
pub fn day_key(day: u32) -> u32 {
    crate::keep::day_key(day)
}

/// The records of a source a block must be counted in to be repeated, for
/// a source of `docs` counted records.
#[must_use]
pub fn needed(opts: &Options, docs: u32) -> u32 {
    let frac = if opts.min_repeat_fraction.is_finite() {
        opts.min_repeat_fraction.max(0.0)
    } else {
        0.0
    };
    let by_fraction = (frac * f64::from(docs)).ceil() as u32;
    let min = u32::try_from(opts.min_repeat.max(2)).unwrap_or(u32::MAX);
    min.max(by_fraction)
}

/// `text` without the segments whose block hash `repeated` says is a
/// repeated block, and the removed blocks as they stood, in body order;
/// `None` when nothing goes, or when fewer than 30 characters (whitespace
/// aside) would be left: such a record is compared whole. `segments` are
/// `text`'s, from [`fingerprint`].
pub fn strip_repeated(
    text: &str,
    segments: &[Option<u64>],
    repeated: impl Fn(u64) -> bool,
) -> Option<(String, Vec<String>)> {
    crate::boilerplate::strip_blocks(text, segments, repeated)
}

/// The LSH banding for the options' threshold.
#[must_use]
pub fn lsh_params(opts: &Options) -> LshParams {
    LshParams::for_threshold(threshold(opts))
}

/// The similarity threshold actually used.
#[must_use]
pub fn threshold(opts: &Options) -> f64 {
    opts.effective_threshold()
}

/// The band keys of a signature, band by band.
#[must_use]
pub fn band_keys(sig: &Signature, params: LshParams) -> Vec<u64> {
    (0..params.bands)
        .map(|b| band_key(sig, params.rows, b))
        .collect()
}

/// Estimated Jaccard similarity of two signatures.
#[must_use]
pub fn similarity(a: &Signature, b: &Signature) -> f64 {
    estimated_jaccard(a, b)
}

/// A duplicate's relation to the record it names, given their URL keys,
/// body hashes, and the similarity of their bodies (the caller's, for a
/// stub: the best of its URL's captures, 0 if none): the same URL, else the
/// same body, else near.
#[must_use]
pub fn relation(
    url_keys: (Option<u64>, Option<u64>),
    bodies: (Option<u128>, Option<u128>),
    similarity: f64,
) -> (DupKind, f64) {
    if url_keys.0.is_some() && url_keys.0 == url_keys.1 {
        return (DupKind::Url, 1.0);
    }
    if bodies.0.is_some() && bodies.0 == bodies.1 {
        return (DupKind::Exact, 1.0);
    }
    (DupKind::Near, similarity)
}

/// A similarity as written on a record: 4 decimals.
#[must_use]
pub fn rounded(similarity: f64) -> f64 {
    (similarity * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::boilerplate::BlockCounter;

    #[test]
    fn strip_repeated_is_the_counters() {
        let opts = Options::default();
        let footer = "分享网络安全知识 强化网络安全意识";
        // Five different articles (no character in common), long enough
        // to keep a body once the footer goes.
        let prose = |i: usize| -> String {
            (0..40u32)
                .filter_map(|k| char::from_u32(0x4E00 + 100 * i as u32 + k))
                .collect()
        };
        let body = |i: usize| format!("{}\n\n{footer}\n\n\n结尾{}", prose(i), prose(i + 10));
        let mut c = BlockCounter::default();
        for i in 0..5 {
            c.count(&opts, Some("安全内参"), None, &body(i));
        }
        let doc = Doc {
            text: body(0),
            source: Some("安全内参".into()),
            ..Doc::default()
        };
        let fp = fingerprint(&opts, &doc);
        let want = c.strip(&opts, Some("安全内参"), &body(0));
        let footer_hash = fp.segments[1].unwrap();
        let got = strip_repeated(&doc.text, &fp.segments, |h| h == footer_hash);
        assert_eq!(got, want);
        assert!(got.is_some());
    }

    /// `decide` over a run's records (no repeated blocks: no sources) is
    /// the deduper's decision, record for record: a chain a–b–c where a and
    /// c are not similar leaves c kept, and a stub joins by URL.
    #[test]
    fn decide_is_the_deduper() {
        use crate::testutil::{article, doc, edit, wx_url};
        let base = article(7, 900);
        let mut docs = vec![
            doc("a", &base, Some("2024-01-01")),
            doc("b", &edit(&base, 12, 1), Some("2024-01-02")),
            doc("c", &edit(&edit(&base, 12, 1), 12, 6), Some("2024-01-03")),
            doc("d", &base, None),
            doc("e", &article(8, 700), None),
            doc("stub", "", None),
            doc("alone", "", None),
        ];
        docs[4].url = Some(wx_url(1, 5));
        docs[5].url = Some(wx_url(1, 5));
        docs[6].url = Some(wx_url(1, 6));
        let opts = Options::default();
        let mut d = crate::Deduper::new(opts.clone());
        for x in &docs {
            d.push(x.clone());
        }
        let f = d.finish();
        let members = docs
            .iter()
            .map(|x| {
                let fp = fingerprint(&opts, x);
                Member {
                    url_key: fp.url_key,
                    body: fp.body,
                    day: fp.day,
                    len: fp.len,
                    signature: fp.signature,
                }
            })
            .collect();
        let got = decide(&opts, members);
        for (x, g) in docs.iter().zip(&got) {
            let name = x.id.as_str();
            match g {
                Decision::Kept => assert!(f.kept.iter().any(|k| k.id == name), "{name}"),
                Decision::Empty => assert!(f.rejected.iter().any(|k| k.id == name), "{name}"),
                Decision::Duplicate {
                    of,
                    kind,
                    similarity,
                } => {
                    let want = f.duplicates.iter().find(|k| k.id == name).expect(name);
                    assert_eq!(want.duplicate_of.as_deref(), Some(docs[*of].id.as_str()));
                    assert_eq!(want.dup_kind, Some(*kind));
                    assert_eq!(want.similarity, Some(rounded(*similarity)));
                }
            }
        }
        assert!(
            matches!(got[2], Decision::Kept) || matches!(got[2], Decision::Duplicate { of: 0, .. })
        );
        assert_eq!(got[6], Decision::Empty);
        assert!(matches!(
            got[5],
            Decision::Duplicate {
                of: 4,
                kind: DupKind::Url,
                ..
            }
        ));
    }

    #[test]
    fn counted_of_title_skips_refetches() {
        let a = [1u16; 128];
        let mut b = a;
        b[0] = 2;
        let c = [3u16; 128];
        assert_eq!(
            counted_of_title(&[a, b, c, a], 0.8),
            [true, false, true, false]
        );
    }

    #[test]
    fn band_keys_find_what_the_tables_find() {
        let params = LshParams::for_threshold(0.8);
        let a = [7u16; 128];
        let mut b = a;
        b[0] = 8;
        let (ka, kb) = (band_keys(&a, params), band_keys(&b, params));
        assert_eq!(ka.len(), params.bands);
        assert_ne!(ka[0], kb[0]);
        assert_eq!(ka[1..], kb[1..]);
    }
}
