//! Corpus-repeated blocks: an account's fixed header or footer, learned from
//! the corpus (POLICY.md family `boilerplate`).
//!
//! What goes: a block (text between blank lines) of at most
//! [`Options::max_block_chars`] characters that recurs, whitespace-normalized,
//! in at least [`Options::min_repeat`] documents of the same `source`. It is
//! removed from every document of that source and recorded as
//! `Removal { family: Family::Boilerplate, rule: "dedup/repeated-block", .. }`.
//!
//! Why: strip's rule packs cannot list every account's slogan
//! ("分享网络安全知识 强化网络安全意识"), and reposts with different footers
//! should still hash alike, so this runs before exact and near matching.
//!
//! What is left alone: long blocks (a paragraph reposted five times is a
//! near-duplicate, not a footer); short sentences and section numbers
//! (`不是。`, `比如：`, `1`: a writer's habits); blocks repeated across different sources
//! only; documents without a `source`. A block counts once per distinct
//! article: a capture is not counted when one counted before has its URL, its
//! body, or its title and a body verified-similar to its own (another URL form
//! or a refetch of the same article), so five fetches of one article do not
//! make its short paragraphs boilerplate.
//!
//! A record is never reduced to (nearly) nothing: when taking its repeated
//! blocks out would leave fewer than [`MIN_VIEW_CHARS`] characters, none are
//! taken out and it is compared whole (ARCHITECTURE.md).
//!
//! Memory: one counter per distinct (source, block) hash pair, plus a hash per
//! counted document.
//!
//! Counts are per run: the index does not carry them.

use std::collections::{HashMap, HashSet};

use xxhash_rust::xxh3::xxh3_64;

use crate::minhash::{estimated_jaccard, Signature};
use crate::Options;

/// A record keeps its repeated blocks when taking them out would leave fewer
/// characters than this (whitespace aside): a body that is nearly empty once
/// they are discounted is compared whole, never matched by being empty.
pub(crate) const MIN_VIEW_CHARS: usize = 30;

/// The rule name recorded on each removal.
pub(crate) const RULE: &str = "dedup/repeated-block";
/// The rule family recorded on each removal.
pub(crate) const FAMILY: scour_record::Family = scour_record::Family::Boilerplate;

/// First pass: counts documents per (source, block).
#[derive(Debug, Default)]
pub(crate) struct BlockCounter {
    /// (source hash, block hash) → documents containing the block.
    blocks: HashMap<(u64, u64), u32>,
    /// source hash → documents counted.
    docs: HashMap<u64, u32>,
    /// URL keys and raw body hashes of counted documents.
    seen_urls: HashSet<u64>,
    seen_bodies: HashSet<u128>,
    /// (source, title) → the raw signatures of counted documents.
    seen_titles: HashMap<(u64, u64), Vec<Signature>>,
    /// The near-duplicate threshold: a capture whose raw signature is this
    /// similar to a counted one of the same source and title is the same
    /// article.
    threshold: f64,
}

/// What counting needs of one document, worked out without the counts (on
/// any thread): its source, its body's hash and its distinct block hashes,
/// and its title's hash and body's signature.
#[derive(Debug)]
pub(crate) struct BlockPrint {
    src: u64,
    body: u128,
    blocks: Vec<u64>,
    title: Option<(u64, Box<Signature>)>,
}

impl BlockPrint {
    /// `None` when the document takes no part in counting (no source, or
    /// boilerplate learning is off).
    #[cfg(test)]
    pub(crate) fn of(opts: &Options, source: Option<&str>, text: &str) -> Option<BlockPrint> {
        let src = counted_source(opts, source)?;
        let mut compact = String::with_capacity(text.len());
        text.split_whitespace().for_each(|w| compact.push_str(w));
        let body = xxhash_rust::xxh3::xxh3_128(compact.as_bytes());
        Some(BlockPrint::new(
            src,
            body,
            &segment_hashes(opts, text),
            None,
        ))
    }

    /// The print of a document of source `src`, whose whitespace-free body
    /// hashes to `body` and whose segments hash to `segments`; `title` is
    /// its title's hash and its body's signature, when it has both.
    pub(crate) fn new(
        src: u64,
        body: u128,
        segments: &[Option<u64>],
        title: Option<(u64, Box<Signature>)>,
    ) -> BlockPrint {
        let mut blocks: Vec<u64> = segments.iter().flatten().copied().collect();
        blocks.sort_unstable();
        blocks.dedup();
        BlockPrint {
            src,
            body,
            blocks,
            title,
        }
    }
}

/// The source key a document's blocks are counted under: `None` without a
/// source, or when boilerplate learning is off.
pub(crate) fn counted_source(opts: &Options, source: Option<&str>) -> Option<u64> {
    if opts.min_repeat == 0 {
        return None;
    }
    source_key(source)
}

/// The block hash of each segment of `text` (split on blank lines), `None`
/// for a segment that is empty or too long to be boilerplate.
pub(crate) fn segment_hashes(opts: &Options, text: &str) -> Vec<Option<u64>> {
    let mut buf = String::new();
    segments(text)
        .map(|seg| block_hash(seg, opts.max_block_chars, &mut buf))
        .collect()
}

/// The source key of a document, if it has a source.
pub(crate) fn source_key(source: Option<&str>) -> Option<u64> {
    let s = source?.trim();
    (!s.is_empty()).then(|| xxh3_64(s.as_bytes()))
}

/// A block's hash after whitespace normalization, or `None` when the block is
/// empty, too long to be boilerplate, or too short to say it is: see
/// [`says_too_little`].
fn block_hash(block: &str, max_chars: usize, buf: &mut String) -> Option<u64> {
    buf.clear();
    let mut chars = 0usize;
    for word in block.split_whitespace() {
        if !buf.is_empty() {
            buf.push(' ');
            chars += 1;
        }
        buf.push_str(word);
        chars += word.chars().count();
        if chars > max_chars {
            return None;
        }
    }
    (!buf.is_empty() && !says_too_little(buf)).then(|| xxh3_64(buf.as_bytes()))
}

/// A block that is no account's furniture however often it recurs: a short
/// sentence or lead-in of under eight letters (`不是。`, `诸如此类。`,
/// `比如：`, `References：`), a heading of one to three letters (`总结`,
/// `题外话`), or a bare section number (`1`, `12`): an author's habits of
/// writing, not a footer. Labels of four letters or more (`禅定时刻`),
/// dates and decoration rows still count; strip's rules name the short
/// calls (`求在看`).
fn says_too_little(block: &str) -> bool {
    let t = block.trim_matches(['*', '_', ' ']);
    if !t.is_empty() && t.len() <= 3 && t.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    // Counted up to eight: most blocks reach that within their first words.
    let letters = t.chars().filter(|c| c.is_alphabetic()).take(8).count();
    // A word or two with no digits: a section heading (`总结`, `题外话`).
    if (1..=3).contains(&letters) && !t.chars().any(|c| c.is_ascii_digit()) {
        return true;
    }
    letters < 8
        && t.ends_with([
            '。', '！', '？', '!', '?', '…', '，', ',', '：', ':', '；', ';',
        ])
}

/// The blocks of a body as it stands: split on blank lines.
fn segments(text: &str) -> impl Iterator<Item = &str> {
    scour_record::split_blank_lines(text)
}

/// `text` without the segments whose block hash `repeated` says is a
/// repeated block, and the removed blocks as they stood, in body order;
/// `None` when nothing goes, or when fewer than [`MIN_VIEW_CHARS`]
/// (whitespace aside) would be left: such a record is compared whole.
/// `segments` are `text`'s hashes, segment by segment.
pub(crate) fn strip_blocks(
    text: &str,
    segments: &[Option<u64>],
    repeated: impl Fn(u64) -> bool,
) -> Option<(String, Vec<String>)> {
    let mut kept: Vec<&str> = Vec::new();
    let mut removed = Vec::new();
    for (seg, h) in self::segments(text).zip(segments) {
        if h.is_some_and(&repeated) {
            removed.push(seg.trim_matches('\n').to_owned());
        } else {
            kept.push(seg);
        }
    }
    if removed.is_empty() {
        return None;
    }
    let left: usize = kept
        .iter()
        .flat_map(|k| k.split_whitespace())
        .map(|w| w.chars().count())
        .sum();
    if left < MIN_VIEW_CHARS {
        return None;
    }
    Some((kept.join("\n\n"), removed))
}

/// The title key of a document, if it has a title.
pub(crate) fn title_key(title: Option<&str>) -> Option<u64> {
    let t = title?.split_whitespace().collect::<String>();
    (!t.is_empty()).then(|| xxh3_64(t.as_bytes()))
}

impl BlockCounter {
    /// A counter whose captures of the same source and title are the same
    /// article when their raw signatures are at least `threshold` similar.
    pub(crate) fn new(threshold: f64) -> BlockCounter {
        BlockCounter {
            threshold,
            ..BlockCounter::default()
        }
    }

    /// Counts the blocks of one document (first pass).
    #[cfg(test)]
    pub(crate) fn count(
        &mut self,
        opts: &Options,
        source: Option<&str>,
        url_key: Option<u64>,
        text: &str,
    ) {
        self.add(BlockPrint::of(opts, source, text), url_key);
    }

    /// Adds one document's blocks to the counts, in push order: a capture
    /// of an article counted before (its URL, its body, or its source and
    /// title with a verified-similar body) is not counted again.
    pub(crate) fn add(&mut self, print: Option<BlockPrint>, url_key: Option<u64>) {
        let Some(BlockPrint {
            src,
            body,
            blocks,
            title,
        }) = print
        else {
            return;
        };
        let url_seen = url_key.is_some_and(|k| !self.seen_urls.insert(k));
        let body_seen = !self.seen_bodies.insert(body);
        if url_seen || body_seen {
            return;
        }
        if let Some((t, sig)) = title {
            let seen = self.seen_titles.entry((src, t)).or_default();
            if seen
                .iter()
                .any(|s| estimated_jaccard(s, &sig) >= self.threshold)
            {
                return;
            }
            seen.push(*sig);
        }
        *self.docs.entry(src).or_default() += 1;
        for h in blocks {
            let c = self.blocks.entry((src, h)).or_default();
            *c = c.saturating_add(1);
        }
    }

    /// The documents a block must recur in, for a source.
    fn needed(&self, opts: &Options, src: u64) -> u32 {
        let docs = f64::from(self.docs.get(&src).copied().unwrap_or(0));
        let frac = if opts.min_repeat_fraction.is_finite() {
            opts.min_repeat_fraction.max(0.0)
        } else {
            0.0
        };
        let by_fraction = (frac * docs).ceil() as u32;
        let min = u32::try_from(opts.min_repeat.max(2)).unwrap_or(u32::MAX);
        min.max(by_fraction)
    }

    /// Whether a segment of a document of source `src`, hashed as
    /// `segments`, is repeated enough to be boilerplate.
    pub(crate) fn any_repeated(&self, opts: &Options, src: u64, segments: &[Option<u64>]) -> bool {
        let needed = self.needed(opts, src);
        segments
            .iter()
            .flatten()
            .any(|&h| self.blocks.get(&(src, h)).is_some_and(|&c| c >= needed))
    }

    /// Second pass: removes the source's repeated blocks from `text`, whose
    /// segments hash to `segments` (see [`segment_hashes`]). Returns the new
    /// text and the removed blocks (as they stood), in body order, or `None`
    /// when nothing is removed.
    pub(crate) fn strip_segments(
        &self,
        opts: &Options,
        src: u64,
        text: &str,
        segments: &[Option<u64>],
    ) -> Option<(String, Vec<String>)> {
        let needed = self.needed(opts, src);
        strip_blocks(text, segments, |h| {
            self.blocks.get(&(src, h)).is_some_and(|&c| c >= needed)
        })
    }

    /// Counts one document with a title (first pass).
    #[cfg(test)]
    pub(crate) fn count_titled(
        &mut self,
        opts: &Options,
        source: &str,
        title: &str,
        url_key: u64,
        text: &str,
    ) {
        let mut print = BlockPrint::of(opts, Some(source), text);
        if let Some(p) = &mut print {
            p.title = title_key(Some(title)).zip(crate::MinHasher::default().signature(text));
        }
        self.add(print, Some(url_key));
    }

    /// [`BlockCounter::strip_segments`] of a text not yet hashed.
    #[cfg(test)]
    pub(crate) fn strip(
        &self,
        opts: &Options,
        source: Option<&str>,
        text: &str,
    ) -> Option<(String, Vec<String>)> {
        let src = counted_source(opts, source)?;
        self.strip_segments(opts, src, text, &segment_hashes(opts, text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FOOTER: &str = "分享网络安全知识 强化网络安全意识";

    fn body(i: usize) -> String {
        format!("第{i}篇文章的正文，讲的是漏洞第{i}号的细节、影响范围和修复办法，供运维人员参考。\n\n{FOOTER}")
    }

    #[test]
    fn footer_in_five_docs_goes() {
        let opts = Options::default();
        let mut c = BlockCounter::new(0.8);
        for i in 0..5 {
            c.count(&opts, Some("安全内参"), None, &body(i));
        }
        let (text, removed) = c.strip(&opts, Some("安全内参"), &body(0)).unwrap();
        assert_eq!(
            text,
            "第0篇文章的正文，讲的是漏洞第0号的细节、影响范围和修复办法，供运维人员参考。"
        );
        assert_eq!(removed, [FOOTER]);
        // Not another source's.
        assert!(c.strip(&opts, Some("嘶吼专业版"), &body(0)).is_none());
    }

    #[test]
    fn four_docs_are_not_enough_and_refetches_do_not_count() {
        let opts = Options::default();
        let mut c = BlockCounter::new(0.8);
        for i in 0..4 {
            c.count(&opts, Some("安全内参"), Some(i as u64 + 1), &body(i));
        }
        // The same article again: the same body, or the same URL edited.
        c.count(&opts, Some("安全内参"), None, &body(0));
        c.count(
            &opts,
            Some("安全内参"),
            Some(2),
            &body(1).replace('的', "之"),
        );
        assert!(c.strip(&opts, Some("安全内参"), &body(0)).is_none());
    }

    #[test]
    fn a_writers_short_sentences_are_never_boilerplate() {
        let opts = Options::default();
        let mut c = BlockCounter::new(0.8);
        let with = |i: usize, extra: &str| format!("{}\n\n{extra}", body(i));
        for i in 0..6 {
            c.count(
                &opts,
                Some("安全内参"),
                None,
                &with(i, "不是。\n\n1\n\n……\n\n诸如此类。\n\n比如：\n\n总结\n\n禅定时刻\n\n2022-10-13 14:43:38"),
            );
        }
        let (_, removed) = c
            .strip(&opts, Some("安全内参"), &with(0, "不是。\n\n1\n\n……\n\n诸如此类。\n\n比如：\n\n总结\n\n禅定时刻\n\n2022-10-13 14:43:38"))
            .unwrap();
        // The footer, the short label and the stamp go; the writer's words stay.
        assert_eq!(removed, [FOOTER, "禅定时刻", "2022-10-13 14:43:38"]);
    }

    #[test]
    fn long_blocks_are_never_boilerplate() {
        let opts = Options {
            max_block_chars: 10,
            ..Options::default()
        };
        let mut c = BlockCounter::new(0.8);
        for i in 0..6 {
            c.count(&opts, Some("安全内参"), None, &body(i));
        }
        assert!(c.strip(&opts, Some("安全内参"), &body(0)).is_none());
    }

    #[test]
    fn whitespace_variants_and_repeats_within_a_doc() {
        let opts = Options::default();
        let mut c = BlockCounter::new(0.8);
        for i in 0..5 {
            let b = format!("{}\n\n分享网络安全知识  强化网络安全意识", body(i));
            c.count(&opts, Some("安全内参"), None, &b);
        }
        let (_, removed) = c.strip(&opts, Some("安全内参"), &body(3)).unwrap();
        assert_eq!(removed.len(), 1);
    }

    #[test]
    fn fraction_raises_the_bar() {
        let opts = Options {
            min_repeat_fraction: 0.5,
            ..Options::default()
        };
        let mut c = BlockCounter::new(0.8);
        for i in 0..12 {
            let b = if i < 5 {
                body(i)
            } else {
                format!("第{i}篇，没有页脚的正文内容。")
            };
            c.count(&opts, Some("安全内参"), None, &b);
        }
        assert!(c.strip(&opts, Some("安全内参"), &body(0)).is_none());
    }

    #[test]
    fn nearly_empty_views_keep_their_blocks() {
        let opts = Options::default();
        let mut c = BlockCounter::new(0.8);
        let short = |i: usize| format!("第{i}期短讯。\n\n{FOOTER}");
        for i in 0..5 {
            c.count(&opts, Some("安全内参"), None, &body(i));
            c.count(&opts, Some("安全内参"), None, &short(i));
        }
        // The footer is repeated, but a record it would leave nearly empty
        // keeps it; a record with enough left loses it.
        assert!(c.strip(&opts, Some("安全内参"), &short(0)).is_none());
        assert!(c.strip(&opts, Some("安全内参"), FOOTER).is_none());
        assert!(c.strip(&opts, Some("安全内参"), &body(0)).is_some());
    }

    #[test]
    fn refetches_under_other_urls_count_once_same_titles_of_other_articles_do_not() {
        let opts = Options::default();
        let article = |i: u64| {
            format!(
                "{}\n\n{FOOTER}",
                crate::testutil::article(i, 400).replace("\n\n", "")
            )
        };
        // One article fetched five times under five URL forms, lightly
        // edited each time: one article, its footer seen once.
        let mut c = BlockCounter::new(0.8);
        for k in 0..5 {
            let text = crate::testutil::edit(&article(1), 97, k);
            c.count_titled(&opts, "安全内参", "漏洞通报", u64::from(k) + 1, &text);
        }
        assert!(c.strip(&opts, Some("安全内参"), &article(1)).is_none());
        // Five articles under one generic title are five articles.
        let mut c = BlockCounter::new(0.8);
        for i in 0..5 {
            c.count_titled(&opts, "安全内参", "每日安全动态推送", i + 1, &article(i));
        }
        assert!(c.strip(&opts, Some("安全内参"), &article(0)).is_some());
    }
}
