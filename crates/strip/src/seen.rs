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

use crate::block::Block;

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
}

/// The answers of the rules' pattern tests on a block, by rule.
#[derive(Default)]
pub(crate) struct Tests(Vec<Option<bool>>);

impl Tests {
    /// Rule `r`'s answer: the one kept, or `test`'s.
    pub(crate) fn get(&mut self, r: usize, test: impl FnOnce() -> bool) -> bool {
        if self.0.len() <= r {
            self.0.resize(r + 1, None);
        }
        *self.0[r].get_or_insert_with(test)
    }
}

/// The facts of the blocks one strip has read, by the block's content.
#[derive(Default)]
pub(crate) struct Seen {
    facts: RefCell<HashMap<String, Rc<TextFacts>, foldhash::fast::FixedState>>,
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
/// plain view and its images. The same markdown reads differently as a
/// markdown body and as a plain one (`**x**`), so the plain view is part of
/// the key when it differs.
fn key(b: &Block<'_>) -> String {
    let mut k = String::with_capacity(b.raw.len() + 2);
    k.push(char::from(b'0' + b.kind as u8));
    k.push_str(b.raw);
    if b.plain != b.raw {
        k.push('\u{1}');
        k.push_str(&b.plain);
    }
    for (alt, src) in &b.images {
        k.push('\u{2}');
        k.push_str(alt);
        k.push('\u{3}');
        k.push_str(src);
    }
    k
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
    fn the_same_markdown_read_as_plain_text_is_another_block() {
        let seen = Seen::default();
        let md = block::parse("**关注我们**");
        seen.of(&md[0]).link_list.set(false).unwrap();
        let plain = block::parse_plain("**关注我们**");
        assert_eq!(seen.of(&plain[0]).link_list.get(), None);
    }
}
