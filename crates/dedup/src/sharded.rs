//! Dedup's pieces, for a pipeline that runs them apart: scour's Spark job
//! (`scour_text.spark`) works out each record's fingerprints on the
//! executors with these functions and groups records with distributed
//! joins, so that its answers are [`Deduper`](crate::Deduper)'s by
//! construction: the same URL keys, body hashes, block hashes, signatures,
//! band keys and similarity.
//!
//! The Spark job groups with them as [`Deduper`](crate::Deduper) did
//! before issue 17 (POLICY.md, "Duplicates"; the current rule, which the
//! job does not follow yet, is ARCHITECTURE.md's "Deduplication: the
//! grouping rule"):
//!
//! 1. Repeated blocks: a record with a [`Fingerprint::source`] counts its
//!    distinct [`Fingerprint::segments`] once for that source, unless an
//!    earlier record (in input order) with a source had its URL key or
//!    [`Fingerprint::compact`] hash. A block counted in at least
//!    [`needed`] records of its source is removed from all of them
//!    ([`strip_repeated`]), and the record is fingerprinted again.
//! 2. A record with a body that loses all of it is rejected as [`EMPTY`].
//! 3. Records are grouped: the same URL key, the same body hash, or an LSH
//!    candidate (a band key in common) whose [`estimated_jaccard`] is at
//!    least the threshold.
//! 4. Of each group the record with a body and the smallest (day, longest,
//!    input order) is kept ([`day_key`]); a group with none is rejected as
//!    empty. The others name it, with their [`relation`] to it.
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
/// `None` when nothing goes. `segments` are `text`'s, from [`fingerprint`].
pub fn strip_repeated(
    text: &str,
    segments: &[Option<u64>],
    repeated: impl Fn(u64) -> bool,
) -> Option<(String, Vec<String>)> {
    let mut kept: Vec<&str> = Vec::new();
    let mut removed = Vec::new();
    for (seg, h) in text.split("\n\n").zip(segments) {
        if h.is_some_and(&repeated) {
            removed.push(seg.trim_matches('\n').to_owned());
        } else {
            kept.push(seg);
        }
    }
    if removed.is_empty() {
        return None;
    }
    Some((kept.join("\n\n"), removed))
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
