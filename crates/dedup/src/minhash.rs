//! MinHash signatures of bodies over character 5-grams.
//!
//! A body is reduced to its characters without whitespace, Latin letters (and
//! any other cased script) lowercased, so "Windows 11" and "windows11" shingle
//! alike; Chinese needs no word segmentation because every run of 5 characters
//! is a shingle. Each 5-gram is hashed once with xxh3-64 (fixed seed), and the
//! 128 signature slots come from **one permutation hashing** with optimal
//! densification (Li, Owen & Zhang 2012; Shrivastava 2017): the top 7 bits of a
//! gram's hash pick its slot, the slot keeps the gram with the smallest
//! remaining bits, and a slot no gram fell into borrows the value of a slot
//! chosen by a fixed pseudo-random probe sequence. Two bodies agree in a slot
//! with probability equal to their Jaccard similarity, as with classic
//! 128-permutation MinHash, but the cost is one hash per gram instead of 128:
//! signatures are computed at hundreds of MB/s instead of tens.
//!
//! A slot stores the low 16 bits of its minimum (b-bit MinHash, Li & König
//! 2010): 256 bytes a signature, and a spurious agreement costs 2⁻¹⁶ of
//! similarity, far below the estimator's own noise.
//!
//! Why not a crate: the signature is persisted in the index file, so its exact
//! bits must be ours to keep stable across releases; the crates on crates.io
//! (e.g. `gaoya`, `probminhash`) choose their own hashers, seeds and slot
//! widths, and none does b-bit slots over character shingles. This file is
//! about 150 lines.

use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Signature slots (the "permutations" of classic MinHash).
pub(crate) const NUM_PERM: usize = 128;
/// Bits of a slot's hash that choose the slot (2^7 = 128).
const SLOT_BITS: u32 = 7;
/// Characters per shingle.
pub(crate) const SHINGLE: usize = 5;
/// Bodies with fewer shingles than this take no part in near-duplicate search
/// (their Jaccard estimate would be noise); URL and exact matching still apply.
pub(crate) const MIN_GRAMS: usize = 5;
/// Seed of the gram hash. Changing it invalidates every index file.
pub(crate) const GRAM_SEED: u64 = 0x5c00_0d1d_5eed_0001;
/// Seed of the densification probe sequence.
const PROBE_SEED: u64 = 0x5c00_0d1d_5eed_0002;

/// A MinHash signature: 128 slots of 16 bits (see [`MinHasher`]).
pub type Signature = [u16; NUM_PERM];

/// Calls `f` with `c` lowercased. Only the scripts where case matters in
/// practice are folded (Latin, Greek, Cyrillic, Armenian and full-width
/// Latin): a Unicode case-table lookup for every CJK character would cost a
/// quarter of the signature time and change nothing.
#[inline]
fn fold_case(c: char, mut f: impl FnMut(char)) {
    if c.is_ascii() {
        f(c.to_ascii_lowercase());
    } else if c < '\u{0530}'
        || ('\u{1E00}'..='\u{1FFF}').contains(&c)
        || ('\u{FF21}'..='\u{FF3A}').contains(&c)
    {
        c.to_lowercase().for_each(f);
    } else {
        f(c);
    }
}

/// Appends `body` as near-duplicate search sees it to `out`: without
/// whitespace, case folded (see [`fold_case`]). Returns the characters
/// appended. The reference for tests; [`MinHasher::signature`] does the same
/// without the copy.
#[cfg(test)]
pub(crate) fn shingle_text(body: &str, out: &mut String) -> usize {
    let mut n = 0;
    for c in body.chars().filter(|c| !c.is_whitespace()) {
        fold_case(c, |l| {
            out.push(l);
            n += 1;
        });
    }
    n
}

/// Computes the MinHash signatures dedup matches bodies by.
///
/// [`Deduper`](crate::Deduper) uses it internally; it is public for sharded
/// pipelines that compute signatures in one pass and cluster in another, and
/// for benchmarks. The signature of a body is the same on every machine and
/// release that reads the same [`Index`](crate::Index) version.
///
/// ```
/// use scour_dedup::{estimated_jaccard, MinHasher};
///
/// let mut h = MinHasher::default();
/// let a = h.signature("国家互联网应急中心发布通报，提醒用户及时更新补丁。").unwrap();
/// let b = h.signature("国家互联网应急中心 发布通报，提醒用户及时更新补丁。").unwrap();
/// assert_eq!(estimated_jaccard(&a, &b), 1.0);
/// assert!(h.signature("太短了").is_none());
/// ```
#[derive(Debug, Default)]
pub struct MinHasher {
    /// Room for buffers without an API change.
    _private: (),
}

impl MinHasher {
    /// The signature of `body`, or `None` when it has fewer than 5 character
    /// 5-grams (bodies of fewer than 9 characters, whitespace aside).
    ///
    /// A gram is hashed as the 16 little-endian bytes of its 5 code points
    /// packed 21 bits each (xxh3-64, fixed seed): one fixed-size hash per
    /// gram, with no copy of the text.
    #[must_use]
    pub fn signature(&mut self, body: &str) -> Option<Box<Signature>> {
        const MASK: u128 = (1 << (21 * SHINGLE)) - 1;
        let mut mins = [u64::MAX; NUM_PERM];
        let mut window = 0u128;
        let mut chars = 0usize;
        for c in body.chars().filter(|c| !c.is_whitespace()) {
            fold_case(c, |l| {
                window = (window << 21 | u128::from(u32::from(l))) & MASK;
                chars += 1;
                if chars >= SHINGLE {
                    let h = xxh3_64_with_seed(&window.to_le_bytes(), GRAM_SEED);
                    // Top bits choose the slot; the rest rank grams within
                    // it. `u64::MAX` marks an empty slot, which a masked
                    // value can never equal.
                    let slot = (h >> (64 - SLOT_BITS)) as usize;
                    let v = h & (u64::MAX >> SLOT_BITS);
                    if v < mins[slot] {
                        mins[slot] = v;
                    }
                }
            });
        }
        let grams = (chars + 1).saturating_sub(SHINGLE);
        if grams < MIN_GRAMS {
            return None;
        }
        Some(Box::new(densify(&mins)))
    }
}

/// Fills empty slots by optimal densification: empty slot `j` probes slots
/// `probe(j, 0), probe(j, 1), …` (the same sequence for every document) and
/// takes the value of the first non-empty one. Then keeps 16 bits a slot.
fn densify(mins: &[u64; NUM_PERM]) -> Signature {
    let mut sig = [0u16; NUM_PERM];
    for (j, slot) in sig.iter_mut().enumerate() {
        let mut v = mins[j];
        let mut attempt = 0u64;
        while v == u64::MAX {
            let k = if attempt < 4096 {
                let p = mix64(PROBE_SEED ^ ((j as u64) << 32) ^ attempt);
                (p >> (64 - SLOT_BITS)) as usize
            } else {
                // Unreachable in practice ((127/128)^4096 ≈ e^-32), but total:
                // scan to the right.
                (j + (attempt - 4095) as usize) % NUM_PERM
            };
            v = mins[k];
            attempt += 1;
        }
        // The low bits of the minimum identify the gram; they are
        // independent of the high bits that ranked it.
        *slot = v as u16;
    }
    sig
}

/// splitmix64's finalizer: a fixed bijective mix of 64 bits.
fn mix64(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Estimated Jaccard similarity of the bodies' 5-gram sets: the fraction of
/// equal slots.
#[must_use]
pub fn estimated_jaccard(a: &Signature, b: &Signature) -> f64 {
    let equal = a.iter().zip(b.iter()).filter(|(x, y)| x == y).count();
    equal as f64 / NUM_PERM as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn exact_jaccard(a: &str, b: &str) -> f64 {
        let grams = |t: &str| {
            let mut s = String::new();
            shingle_text(t, &mut s);
            let c: Vec<char> = s.chars().collect();
            c.windows(SHINGLE)
                .map(|w| w.iter().collect::<String>())
                .collect::<BTreeSet<_>>()
        };
        let (x, y) = (grams(a), grams(b));
        x.intersection(&y).count() as f64 / x.union(&y).count() as f64
    }

    fn sig(t: &str) -> Box<Signature> {
        MinHasher::default().signature(t).expect("long enough")
    }

    const BODY: &str = "中共中央、国务院《法治政府建设实施纲要（2021—2025 年）》明确提出了“全面建设数字法治政府”的基本路径和目标要求。建设数字法治政府就是坚持运用互联网等新技术推进政府治理流程优化、模式创新和履职能力提升。";

    #[test]
    #[expect(clippy::float_cmp, reason = "exact by construction")]
    fn whitespace_and_case_do_not_matter() {
        let a = sig("Windows 11 更新 导致 蓝屏问题 ΑΒΓ Ｗｉｎ");
        let b = sig("windows11更新导致蓝屏问题αβγｗｉｎ");
        assert_eq!(estimated_jaccard(&a, &b), 1.0);
    }

    #[test]
    fn short_bodies_have_no_signature() {
        assert!(MinHasher::default().signature("").is_none());
        assert!(MinHasher::default().signature("关注 我们").is_none());
        assert!(MinHasher::default()
            .signature("点击蓝字关注我们吧")
            .is_some());
    }

    #[test]
    fn estimate_tracks_true_jaccard() {
        let edited = BODY
            .replace("基本路径", "根本路径")
            .replace("模式创新", "模式再造");
        let with_footer = format!("{BODY}\n\n欢迎关注关键基础设施安全应急响应中心");
        for other in [
            edited.as_str(),
            with_footer.as_str(),
            "完全不同的一篇文章，讲的是网络安全漏洞通报和补丁。",
        ] {
            let truth = exact_jaccard(BODY, other);
            let est = estimated_jaccard(&sig(BODY), &sig(other));
            assert!((truth - est).abs() < 0.15, "truth {truth} estimate {est}");
        }
    }

    #[test]
    fn fixed_seeds_give_fixed_bits() {
        // Pins the signature bits: the index file depends on them.
        let s = sig(BODY);
        let digest = xxh3_64_with_seed(&s.map(u16::to_le_bytes).concat(), 0);
        // If this changes, bump the index format version.
        assert_eq!(digest, 12_932_914_837_113_036_889);
    }
}
