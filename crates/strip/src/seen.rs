//! What the rules found in a block's text, kept across the passes of one
//! strip.
//!
//! [`strip`](crate::strip) repeats its pass until one more changes nothing
//! (see `again.rs`), and nearly always that last pass reads the same blocks
//! as the one before it, less the ones it removed. Which of the pack's rules
//! a block's text passes (a phrase, a pattern, every line a label), whether
//! it is long prose or a list of links: these depend on the block alone, not
//! on the blocks around it, the zones or the account. They are the most of a
//! pass's work (the rules' regexes), so each is worked out once per distinct
//! block and looked up by the later passes. What depends on the block's place
//! (its zone, what is left around it) is decided afresh in every pass.

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use xxhash_rust::xxh3::xxh3_128_with_seed;

use crate::block::{Block, Kind};
use crate::rules::RuleSet;

/// A block's facts that depend on its text alone, each worked out when first
/// asked.
#[derive(Default)]
pub(crate) struct TextFacts {
    /// The pack rules (by index, in pack order) whose phrase the block is
    /// or holds (the phrase table, the automaton, image URLs), `max_chars`
    /// included, zone aside: found all at once, cheaply.
    pub(crate) phrase_hits: OnceCell<Box<[usize]>>,
    /// The rules' other text tests (patterns, every line a label, every
    /// line links), each made when first asked.
    pub(crate) tests: RefCell<Tests>,
    /// See `engine::is_long_prose`.
    pub(crate) long_prose: OnceCell<bool>,
    /// See `engine::is_link_list`.
    pub(crate) link_list: OnceCell<bool>,
    /// Some field rule reads the block (`engine::Ctx::is_field_line`).
    pub(crate) field_line: OnceCell<bool>,
    /// See `engine::Ctx::footer_cue`.
    pub(crate) footer_cue: OnceCell<bool>,
    /// The pack rules the block's literals leave to test
    /// (`Rules::literal_hits`).
    pub(crate) literal_hits: OnceCell<RuleSet>,
    /// See `engine::Ctx::has_prose_text`.
    pub(crate) prose_text: OnceCell<bool>,
}

/// The answers of the rules' pattern tests on a block, by rule: two sets
/// (asked, passed) of the rules a [`RuleSet`] holds, so that keeping them
/// allocates nothing; a rule past [`RuleSet::CAP`] is not kept here (its
/// test is made each time it is asked).
#[derive(Default)]
pub(crate) struct Tests {
    asked: RuleSet,
    passed: RuleSet,
}

impl Tests {
    /// Rule `r`'s answer: the one kept, or `test`'s.
    pub(crate) fn get(&mut self, r: usize, test: impl FnOnce() -> bool) -> bool {
        if r >= RuleSet::CAP {
            return test();
        }
        if !self.asked.contains(r) {
            self.asked.insert(r);
            if test() {
                self.passed.insert(r);
            }
        }
        self.passed.contains(r)
    }

    /// The first rule of `rules` whose test passes: the answers kept, and
    /// `test`'s for the rules not asked yet, in order until one passes. A
    /// later pass over the same block skips the rules known to fail without
    /// looking at them.
    pub(crate) fn first_passing(
        &mut self,
        rules: RuleSet,
        mut test: impl FnMut(usize) -> bool,
    ) -> Option<usize> {
        for w in 0..rules.0.len() {
            let failed = self.asked.0[w] & !self.passed.0[w];
            let mut left = rules.0[w] & !failed;
            while left != 0 {
                let b = left.trailing_zeros() as usize;
                let bit = 1u64 << b;
                if self.asked.0[w] & bit == 0 {
                    self.asked.0[w] |= bit;
                    if test(w * 64 + b) {
                        self.passed.0[w] |= bit;
                    }
                }
                if self.passed.0[w] & bit != 0 {
                    return Some(w * 64 + b);
                }
                left &= !bit;
            }
        }
        None
    }
}

/// The facts of the blocks one strip has read, by the block's content (its
/// 128-bit hash: see [`key`]).
#[derive(Default)]
pub(crate) struct Seen {
    facts: RefCell<HashMap<u128, Rc<TextFacts>, foldhash::fast::FixedState>>,
}

impl Seen {
    /// The facts of a block with `b`'s content: the ones an earlier pass
    /// read of the same block, or new (empty) ones.
    pub(crate) fn of(&self, b: &Block<'_>) -> Rc<TextFacts> {
        let key = key(b);
        Rc::clone(self.facts.borrow_mut().entry(key).or_default())
    }
}

/// Everything a text test reads of a block: its kind, its markdown, its
/// plain view and its images, hashed (xxh3-128: two different blocks of one
/// record share a key with odds far below any hardware fault's). The same
/// markdown reads differently as a markdown body and as a plain one
/// (`**x**`), so the plain view is part of the key.
///
/// Each part is hashed at once, seeded by what came before it (xxh3's
/// streaming state copied every part into its buffer first, 2.6 % of
/// `scour run`'s instructions); a part's own hash marks where it ends.
fn key(b: &Block<'_>) -> u128 {
    fn then(h: u128, part: &str) -> u128 {
        let seed = (h as u64) ^ ((h >> 64) as u64);
        xxh3_128_with_seed(part.as_bytes(), seed) ^ h.rotate_left(1)
    }
    let kind = match b.kind {
        Kind::Text => 1,
        Kind::Heading => 2,
        Kind::Image => 3,
        Kind::Code => 4,
    };
    let mut h = xxh3_128_with_seed(b.raw.as_bytes(), kind);
    // Most blocks' plain view is their markdown: nothing more to hash then
    // (a plain view that differs is hashed, even when empty).
    if b.plain != b.raw {
        h = then(h ^ 1, &b.plain);
    }
    for (alt, src) in &b.images {
        h = then(then(h ^ 2, alt), src);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::block;

    #[test]
    fn a_block_read_again_has_the_facts_it_had() {
        let seen = Seen::default();
        let body = "第一段。\n\n第二段。";
        let blocks = block::parse(body);
        let f = seen.of(&blocks[0]);
        f.long_prose.set(true).unwrap();
        let again = block::parse_plain(body);
        assert_eq!(seen.of(&again[0]).long_prose.get(), Some(&true));
        assert_eq!(seen.of(&again[1]).long_prose.get(), None);
    }

    #[test]
    fn a_test_is_made_once_and_its_answer_kept() {
        let mut t = Tests::default();
        let mut runs = 0;
        for _ in 0..3 {
            assert!(t.get(70, || {
                runs += 1;
                true
            }));
            assert!(!t.get(3, || {
                runs += 1;
                false
            }));
        }
        assert_eq!(runs, 2);
        // Past the kept rules, the test is made each time.
        let mut later = 0;
        for _ in 0..2 {
            t.get(RuleSet::CAP, || {
                later += 1;
                true
            });
        }
        assert_eq!(later, 2);
    }

    #[test]
    fn the_first_passing_rule_is_found_once_and_then_looked_up() {
        let mut set = RuleSet::default();
        for r in [2, 5, 70, 130, 200] {
            set.insert(r);
        }
        let mut t = Tests::default();
        let mut asked = Vec::new();
        let passes = |r: usize| r == 70 || r == 200;
        let first = t.first_passing(set, |r| {
            asked.push(r);
            passes(r)
        });
        assert_eq!(first, Some(70));
        assert_eq!(asked, [2, 5, 70]);
        // Again: the known answers, no test made.
        assert_eq!(t.first_passing(set, |_| unreachable!()), Some(70));
        // Rules 70.. left out: the ones not asked yet are asked now.
        let below_70 = set & RuleSet::below(70);
        assert_eq!(t.first_passing(below_70, |_| unreachable!()), None);
        let mut later = Vec::new();
        let mut seventy = RuleSet::default();
        seventy.insert(70);
        let without_70 = set.without(seventy);
        assert_eq!(
            t.first_passing(without_70, |r| {
                later.push(r);
                passes(r)
            }),
            Some(200)
        );
        assert_eq!(later, [130, 200]);
    }

    #[test]
    fn below_holds_the_rules_before_n() {
        for n in [0, 1, 63, 64, 65, 128, 255, 256, 300] {
            let below = RuleSet::below(n);
            for r in 0..RuleSet::CAP {
                let mut one = RuleSet::default();
                one.insert(r);
                assert_eq!(below & one == one, r < n, "n {n} r {r}");
            }
        }
    }

    #[test]
    fn blocks_share_a_key_only_when_all_a_test_reads_is_the_same() {
        let md = block::parse(
            "正文\n\n## 正文\n\n**正文**\n\n![图](a.png)\n\n![图](b.png)\n\n![](a.png)\n\n正文",
        );
        let keys: Vec<u128> = md.iter().map(key).collect();
        // The first and the last block are the same text.
        assert_eq!(keys[0], keys[6]);
        let distinct: std::collections::HashSet<u128> = keys[..6].iter().copied().collect();
        assert_eq!(distinct.len(), 6, "{keys:?}");
        // The same text read as a plain body: the same key as its markdown
        // reading only where the plain view is the same.
        let plain = block::parse_plain("正文\n\n**正文**");
        assert_eq!(key(&plain[0]), keys[0]);
        assert_ne!(key(&plain[1]), keys[2]);
    }

    #[test]
    fn the_same_markdown_read_as_plain_text_is_another_block() {
        let seen = Seen::default();
        let md = block::parse("**关注我们**");
        seen.of(&md[0]).link_list.set(false).unwrap();
        let plain = block::parse_plain("**关注我们**");
        assert_eq!(seen.of(&plain[0]).link_list.get(), None);
    }
}
