//! Rule packs: what residue looks like, as data.
//!
//! A pack is a TOML file (see `rules/wechat.toml` for the full, commented
//! reference). It is compiled once into matchers: one hash set for whole-block
//! and whole-line phrases, one aho-corasick automaton for every prefix and
//! contains phrase of every rule, and regexes only where a rule asks for them.

use scour_record::Family;
use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use regex::Regex;
use regex_syntax::hir::Look;
use serde::Deserialize;

use crate::error::{Error, Result};

/// The WeChat rule pack, built into the binary.
pub const WECHAT_RULES: &str = include_str!("../rules/wechat.toml");

/// How a rule matches a block.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum MatchKind {
    /// The whole block is a phrase (or matches a pattern in full).
    Exact,
    /// Every line of the block is a phrase or matches a pattern in full.
    Lines,
    /// The block starts with a phrase or pattern.
    Prefix,
    /// The block contains a phrase or pattern.
    Contains,
    /// An image-only block whose every image has an alt text in `phrases`
    /// (the empty string stands for no alt) or matching `patterns`.
    ImageAlt,
    /// An image-only block whose every image URL matches `patterns` or
    /// contains a phrase.
    ImageUrl,
    /// Like `lines`, and the block starts the page's furniture: it and every
    /// block after it go.
    Cut,
    /// In the tail zone, a block containing a phrase starts the account's
    /// footer: it and every later block of the tail zone go.
    Footer,
    /// Every line of the block is a link whose URL contains a phrase or
    /// matches a pattern (a list of links to the account's other articles).
    LinkLines,
}

/// Where a rule applies.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Zone {
    /// Any block.
    #[default]
    Anywhere,
    /// Before the first block of prose.
    Head,
    /// After the last block of prose.
    Tail,
    /// Head or tail.
    Edge,
    /// The last block of the body only.
    Last,
}

impl Zone {
    /// Every zone, for a walk over them.
    pub(crate) const ALL: [Zone; 5] = [
        Zone::Anywhere,
        Zone::Head,
        Zone::Tail,
        Zone::Edge,
        Zone::Last,
    ];
}

/// Which record field a field rule fills.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(crate) enum FieldName {
    Author,
    Credits,
    ReprintedFrom,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    name: String,
    family: Family,
    #[serde(rename = "match")]
    kind: MatchKind,
    #[serde(default)]
    zone: Zone,
    #[serde(default)]
    max_chars: usize,
    #[serde(default)]
    phrases: Vec<String>,
    #[serde(default)]
    patterns: Vec<String>,
    #[serde(default)]
    reject: Option<scour_record::RejectReason>,
    #[serde(default)]
    take_next: usize,
    #[serde(default)]
    fills_gaps: usize,
    #[serde(default)]
    max_run: usize,
    #[serde(default)]
    ends_article: bool,
    #[serde(default)]
    #[expect(
        dead_code,
        reason = "read by people, not code: accepted so the pack can document itself"
    )]
    doc: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldSpec {
    name: String,
    field: FieldName,
    #[serde(default)]
    zone: Zone,
    #[serde(default)]
    max_chars: usize,
    patterns: Vec<String>,
    #[serde(default)]
    #[expect(
        dead_code,
        reason = "read by people, not code: accepted so the pack can document itself"
    )]
    doc: String,
}

/// Credit-line keys, and which field each feeds.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct CreditSpec {
    #[serde(default)]
    author: Vec<String>,
    #[serde(default)]
    credits: Vec<String>,
    #[serde(default)]
    reprinted_from: Vec<String>,
    #[serde(default)]
    separators: String,
}

/// Page structure settings of a platform.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub(crate) struct PageSpec {
    /// Markers shown in the page header before the author (`原创`).
    #[serde(default)]
    pub(crate) original_markers: Vec<String>,
    /// Prefix of a repost card's first line (`以下文章来源于`).
    #[serde(default)]
    pub(crate) repost_card: Vec<String>,
    /// Labels of an editor's note that precedes a repost card (`编者荐语`).
    #[serde(default)]
    pub(crate) editor_note: Vec<String>,
    /// A block of prose has at least this many characters.
    #[serde(default = "default_prose_chars")]
    pub(crate) prose_min_chars: usize,
    /// Words only a call to action says (`三连`, `星标`): a short paragraph
    /// with two of them is a sign-off, not prose.
    #[serde(default)]
    pub(crate) signoff_cues: Vec<String>,
}

fn default_prose_chars() -> usize {
    30
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PackSpec {
    #[serde(default)]
    pack: PackMeta,
    #[serde(default)]
    page: PageSpec,
    #[serde(default)]
    credit_keys: CreditSpec,
    #[serde(default)]
    rule: Vec<RuleSpec>,
    #[serde(default)]
    field: Vec<FieldSpec>,
}

#[derive(Debug, Deserialize, Default)]
struct PackMeta {
    #[serde(default)]
    name: String,
}

/// One compiled removal rule.
#[derive(Debug)]
pub(crate) struct Rule {
    /// `pack/name`, as recorded in `removed`.
    pub(crate) id: String,
    pub(crate) family: Family,
    pub(crate) kind: MatchKind,
    pub(crate) zone: Zone,
    pub(crate) max_chars: usize,
    pub(crate) patterns: Vec<Pattern>,
    pub(crate) phrases: Vec<String>,
    /// The reject reason this rule's match gives an otherwise empty document.
    pub(crate) reject: Option<scour_record::RejectReason>,
    /// How many following short blocks go with a match (a label's value).
    pub(crate) take_next: usize,
    /// Up to this many short blocks lying between two of this rule's
    /// matches go with them (a player's title and counters).
    pub(crate) fills_gaps: usize,
    /// A run of more than this many blocks matched by this rule in a row,
    /// or one a sentence ending on a colon introduces, is the article's
    /// own list and stays (0: no limit).
    pub(crate) max_run: usize,
    /// A match ends the article: the footer starts at it even when prose
    /// follows, if that prose is shorter than the article before it.
    pub(crate) ends_article: bool,
}

impl Rule {
    /// Whether a block's text can pass the rule by a test other than a
    /// phrase lookup (`engine::Ctx::pattern_test`): patterns, every line a
    /// label, every line a link. The rules that cannot are asked nothing
    /// there (`Rules::literal_hits` leaves them out).
    pub(crate) fn has_test(&self) -> bool {
        match self.kind {
            MatchKind::Lines | MatchKind::LinkLines => true,
            MatchKind::Exact | MatchKind::Prefix | MatchKind::Contains => !self.patterns.is_empty(),
            _ => false,
        }
    }
}

/// One compiled field rule.
#[derive(Debug)]
pub(crate) struct FieldRule {
    pub(crate) id: String,
    pub(crate) field: FieldName,
    pub(crate) zone: Zone,
    pub(crate) max_chars: usize,
    pub(crate) patterns: Vec<Pattern>,
}

/// A rule's patterns compiled into one regex, with the longest text it can
/// match when it is anchored at both ends: a longer text (a paragraph tested
/// against a notice's wording) is turned down without running the regex.
#[derive(Debug)]
pub(crate) struct Pattern {
    re: Regex,
    max_len: Option<usize>,
    /// Literals one of which every match holds, as far as the pattern's
    /// syntax shows them (`因违规无法查看` in `.{0,20}因违规无法查看.{0,20}`;
    /// one literal per branch of an alternation): a text holding none is not
    /// handed to the regex. Most blocks hold none of a rule's literals, and
    /// looking for them costs a fraction of a regex search.
    needles: Option<Vec<memchr::memmem::Finder<'static>>>,
    /// The literals themselves, up to 64 (see `LiteralGate`).
    literals: Option<Vec<Vec<u8>>>,
    /// For a pattern anchored at the start: the bytes a match can begin
    /// with, from the literal prefixes its syntax shows (`[：:，,。]+`
    /// begins with `0xEF`, `:`, `0xE3`, …). A line of Han characters is
    /// turned away on its first byte, before the regex engine is set up.
    first: Option<Box<[bool; 256]>>,
    /// For a pattern anchored at the start: the characters a match can
    /// begin with ([`edge_chars`]). Where `first` looks at one byte, this
    /// tells Han characters apart (a line of prose turned away from
    /// `[：:，,。…]+`, whose first bytes a Han character shares).
    first_char: Option<CharSet>,
    /// For a pattern anchored at the end: the characters a match can end
    /// with (a sentence ending on `。` is not a player's `\S+已关注`).
    last_char: Option<CharSet>,
}

/// More literals than this and looking for each one in turn costs about
/// what the regex does: [`Pattern::needles`] stays empty.
const MAX_NEEDLES: usize = 4;

impl Pattern {
    fn new(pattern: &str) -> std::result::Result<Pattern, String> {
        let re = Regex::new(pattern).map_err(|e| e.to_string())?;
        // The regex crate parses with the same default syntax options.
        let hir = regex_syntax::parse(pattern).map_err(|e| e.to_string())?;
        let props = hir.properties();
        let whole = props.look_set_prefix().contains(Look::Start)
            && props.look_set_suffix().contains(Look::End);
        let max_len = if whole { props.maximum_len() } else { None };
        let literals = required_literals(&hir);
        let needles = literals
            .as_ref()
            .filter(|l| l.len() <= MAX_NEEDLES)
            .map(|lits| {
                lits.iter()
                    .map(|l| memchr::memmem::Finder::new(l).into_owned())
                    .collect()
            });
        let first = if props.look_set_prefix().contains(Look::Start) {
            first_bytes(&hir)
        } else {
            None
        };
        let (first_char, last_char) = edge_gates(&hir);
        Ok(Pattern {
            re,
            max_len,
            needles,
            literals,
            first,
            first_char,
            last_char,
        })
    }

    fn fits(&self, s: &str) -> bool {
        self.max_len.is_none_or(|m| s.len() <= m)
            && self
                .first
                .as_ref()
                .is_none_or(|f| s.as_bytes().first().is_some_and(|&b| f[usize::from(b)]))
            && self
                .first_char
                .as_ref()
                .is_none_or(|set| s.chars().next().is_none_or(|c| set.contains(c)))
            && self
                .last_char
                .as_ref()
                .is_none_or(|set| s.chars().next_back().is_none_or(|c| set.contains(c)))
            && self
                .needles
                .as_ref()
                .is_none_or(|n| n.iter().any(|f| f.find(s.as_bytes()).is_some()))
    }

    pub(crate) fn is_match(&self, s: &str) -> bool {
        self.fits(s) && self.re.is_match(s)
    }

    pub(crate) fn captures<'h>(&self, s: &'h str) -> Option<regex::Captures<'h>> {
        if self.fits(s) {
            self.re.captures(s)
        } else {
            None
        }
    }
}

/// The bytes every match of `hir` (anchored at the start) begins with: the
/// first bytes of its literal prefixes, when their set is finite and none of
/// them is empty (a match could then begin with anything, or be empty).
fn first_bytes(hir: &regex_syntax::hir::Hir) -> Option<Box<[bool; 256]>> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(hir);
    let lits = seq.literals()?;
    let mut first = Box::new([false; 256]);
    for l in lits {
        let &b = l.as_bytes().first()?;
        first[usize::from(b)] = true;
    }
    Some(first)
}

/// A set of characters: regex-syntax's class, which keeps its ranges sorted
/// and merged, looked up by a binary search over them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CharSet(regex_syntax::hir::ClassUnicode);

impl CharSet {
    fn new(ranges: Vec<(char, char)>) -> CharSet {
        CharSet(regex_syntax::hir::ClassUnicode::new(
            ranges
                .into_iter()
                .map(|(a, b)| regex_syntax::hir::ClassUnicodeRange::new(a, b)),
        ))
    }

    fn contains(&self, c: char) -> bool {
        // The first range that ends at `c` or after it.
        let ranges = self.0.ranges();
        let i = ranges.partition_point(|r| r.end() < c);
        ranges.get(i).is_some_and(|r| r.start() <= c)
    }

    /// How many characters it holds.
    fn len(&self) -> u32 {
        self.0
            .ranges()
            .iter()
            .map(|r| u32::from(r.end()) - u32::from(r.start()) + 1)
            .sum()
    }

    /// Its ranges, in order.
    #[cfg(test)]
    fn ranges(&self) -> Vec<(char, char)> {
        self.0
            .ranges()
            .iter()
            .map(|r| (r.start(), r.end()))
            .collect()
    }
}

/// The two gates of [`Pattern::first_char`] and [`Pattern::last_char`]. A
/// gate is kept only where it holds of every text the regex matches: at the
/// start, a pattern anchored there (`^`) whose match is never empty, or is
/// empty only on an empty text (anchored at the end too); at the end, the
/// same the other way round. A gate that lets through nearly every
/// character (`.`, `\S`) is dropped as a test that costs without turning
/// anything away.
fn edge_gates(hir: &regex_syntax::hir::Hir) -> (Option<CharSet>, Option<CharSet>) {
    /// More characters than this and a gate is not worth its test.
    const MOST: u32 = 0x10_0000;
    let props = hir.properties();
    let start = props.look_set_prefix().contains(Look::Start);
    let end = props.look_set_suffix().contains(Look::End);
    let gate = |anchored: bool, other_end: bool, last: bool| {
        if !anchored {
            return None;
        }
        let (set, empty) = edge_chars(hir, last)?;
        let set = CharSet::new(set);
        ((other_end || !empty) && set.len() <= MOST).then_some(set)
    };
    (gate(start, end, false), gate(end, start, true))
}

/// The characters a match of `hir` can begin with (`last` false) or end
/// with (`last` true), as ranges, and whether a match can be empty; None
/// when its syntax does not tell (a class of bytes, a literal that is not
/// UTF-8). Look-around assertions (`^`, `$`, `\b`) match no character and
/// are passed over, so the set may hold more than a match can use, never
/// less. Written here because regex-syntax's literal extractor gives up on
/// large classes (`\s`, `\S`, Unicode ranges) where this needs only their
/// ranges.
fn edge_chars(hir: &regex_syntax::hir::Hir, last: bool) -> Option<(Vec<(char, char)>, bool)> {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some((Vec::new(), true)),
        HirKind::Literal(lit) => {
            let text = std::str::from_utf8(&lit.0).ok()?;
            let c = if last {
                text.chars().next_back()
            } else {
                text.chars().next()
            };
            Some(c.map_or_else(|| (Vec::new(), true), |c| (vec![(c, c)], false)))
        }
        HirKind::Class(Class::Unicode(class)) => Some((
            class
                .ranges()
                .iter()
                .map(|r| (r.start(), r.end()))
                .collect(),
            false,
        )),
        HirKind::Class(Class::Bytes(_)) => None,
        HirKind::Repetition(rep) => {
            let (set, empty) = edge_chars(&rep.sub, last)?;
            Some((set, empty || rep.min == 0))
        }
        HirKind::Capture(cap) => edge_chars(&cap.sub, last),
        HirKind::Concat(subs) => {
            let mut set = Vec::new();
            for i in 0..subs.len() {
                let sub = if last {
                    &subs[subs.len() - 1 - i]
                } else {
                    &subs[i]
                };
                let (s, empty) = edge_chars(sub, last)?;
                set.extend(s);
                if !empty {
                    return Some((set, false));
                }
            }
            Some((set, true))
        }
        HirKind::Alternation(subs) => {
            let mut set = Vec::new();
            let mut any_empty = false;
            for sub in subs {
                let (s, empty) = edge_chars(sub, last)?;
                set.extend(s);
                any_empty |= empty;
            }
            Some((set, any_empty))
        }
    }
}

/// Literals one of which every match of `hir` contains, if its syntax shows
/// them: a literal itself; what a group or a repetition of at least once
/// holds; the best of a sequence's parts (the set whose shortest literal is
/// longest); one per branch of an alternation whose every branch has some. A
/// class or a case-insensitive letter shows none.
fn required_literals(hir: &regex_syntax::hir::Hir) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::HirKind;
    /// More than this and the set is dropped (no filter).
    const MAX: usize = 64;
    let shortest = |set: &Vec<Vec<u8>>| set.iter().map(Vec::len).min().unwrap_or(0);
    match hir.kind() {
        HirKind::Literal(lit) => Some(vec![lit.0.to_vec()]),
        HirKind::Capture(c) => required_literals(&c.sub),
        HirKind::Repetition(rep) if rep.min >= 1 => required_literals(&rep.sub),
        HirKind::Concat(parts) => parts
            .iter()
            .filter_map(required_literals)
            .max_by_key(|set| (shortest(set), std::cmp::Reverse(set.len()))),
        HirKind::Alternation(branches) => {
            let mut all = Vec::new();
            for b in branches {
                all.extend(required_literals(b)?);
                if all.len() > MAX {
                    return None;
                }
            }
            Some(all)
        }
        _ => None,
    }
}

/// The hasher of the phrase table: deterministic and fast on short keys.
/// The keys come from rule packs, not from the documents looked up.
pub(crate) type PhraseMap<V> = HashMap<String, V, foldhash::fast::FixedState>;

/// Compiled rules, ready to strip documents. Build once, share across threads.
#[derive(Debug)]
pub struct Rules {
    pub(crate) rules: Vec<Rule>,
    pub(crate) fields: Vec<FieldRule>,
    pub(crate) page: PageSpec,
    /// Whole-block / whole-line phrases → rules that list them.
    exact: PhraseMap<Vec<usize>>,
    /// The longest key of `exact`, in bytes.
    exact_max_len: usize,
    /// Prefix and contains phrases of all rules, one automaton.
    pub(crate) automaton: AhoCorasick,
    /// Pattern id in `automaton` → rule index.
    pub(crate) automaton_rule: Vec<usize>,
    /// The longest phrase of a prefix rule, in bytes.
    pub(crate) prefix_phrase_len: usize,
    /// Credit key regex: `(key)\s*[sep]\s*`, with the field each key feeds.
    pub(crate) credit_key: Regex,
    /// `credit_key` anchored at the start: a cheap test before the pairs.
    pub(crate) credit_start: Regex,
    /// A key of two or more characters, then names, no separator
    /// (`记者 王怡洁`): see `fields::spaced_credit`.
    pub(crate) spaced_credit: Regex,
    pub(crate) credit_field: HashMap<String, FieldName>,
    /// The rules of each [`Zone`], by `Zone as usize`.
    pub(crate) by_zone: [RuleSet; 5],
    /// Which of the rules with a pattern test of their own a block's
    /// literals leave to test.
    gate: LiteralGate,
}

/// A set of the pack's rules, by index: the first [`RuleSet::CAP`] of
/// them (a pack with more still works: `engine.rs` tests the rules past
/// the cap one by one, as they come).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct RuleSet(pub(crate) [u64; 4]);

impl RuleSet {
    /// Rules a set can hold.
    pub(crate) const CAP: usize = 256;

    /// Adds rule `r` (nothing past the cap).
    pub(crate) fn insert(&mut self, r: usize) {
        if r < Self::CAP {
            self.0[r / 64] |= 1 << (r % 64);
        }
    }

    /// Whether rule `r` is in the set (never past the cap).
    pub(crate) fn contains(self, r: usize) -> bool {
        r < Self::CAP && self.0[r / 64] >> (r % 64) & 1 == 1
    }

    /// The rules of `self` not in `other`.
    pub(crate) fn without(self, other: RuleSet) -> RuleSet {
        RuleSet(std::array::from_fn(|w| self.0[w] & !other.0[w]))
    }

    /// Rules `0..n` (of those the set can hold).
    pub(crate) fn below(n: usize) -> RuleSet {
        let mut s = RuleSet::default();
        for (w, word) in s.0.iter_mut().enumerate() {
            let lo = w * 64;
            *word = match n.saturating_sub(lo) {
                0 => 0,
                k if k >= 64 => u64::MAX,
                k => (1u64 << k) - 1,
            };
        }
        s
    }
}

impl std::ops::BitAnd for RuleSet {
    type Output = RuleSet;
    fn bitand(self, o: RuleSet) -> RuleSet {
        RuleSet(std::array::from_fn(|w| self.0[w] & o.0[w]))
    }
}

impl std::ops::BitOr for RuleSet {
    type Output = RuleSet;
    fn bitor(self, o: RuleSet) -> RuleSet {
        RuleSet(std::array::from_fn(|w| self.0[w] | o.0[w]))
    }
}

impl Rules {
    /// The built-in WeChat pack.
    ///
    /// # Panics
    /// Never in a released binary: the built-in pack is compiled by a test.
    #[must_use]
    pub fn wechat() -> Rules {
        Rules::from_toml(&[WECHAT_RULES]).expect("built-in rule pack compiles")
    }

    /// Compiles one or more packs; later packs add rules to earlier ones.
    ///
    /// # Errors
    /// When a pack is not valid TOML, names an unknown key, or holds a bad regex.
    pub fn from_toml(packs: &[&str]) -> Result<Rules> {
        let mut rules = Vec::new();
        let mut fields = Vec::new();
        let mut page = PageSpec::default();
        let mut credits = CreditSpec::default();
        for (i, text) in packs.iter().enumerate() {
            let spec: PackSpec =
                toml::from_str(text).map_err(|e| Error::Rules(format!("pack {}: {e}", i + 1)))?;
            let pack = if spec.pack.name.is_empty() {
                format!("pack{}", i + 1)
            } else {
                spec.pack.name.clone()
            };
            merge_page(&mut page, spec.page);
            credits.author.extend(spec.credit_keys.author);
            credits.credits.extend(spec.credit_keys.credits);
            credits
                .reprinted_from
                .extend(spec.credit_keys.reprinted_from);
            credits.separators.push_str(&spec.credit_keys.separators);
            for r in spec.rule {
                rules.push(Rule {
                    id: format!("{pack}/{}", r.name),
                    family: r.family,
                    kind: r.kind,
                    zone: r.zone,
                    max_chars: r.max_chars,
                    patterns: compile(&r.patterns, &r.name, r.kind)?,
                    phrases: r.phrases,
                    reject: r.reject,
                    take_next: r.take_next,
                    fills_gaps: r.fills_gaps,
                    max_run: r.max_run,
                    ends_article: r.ends_article,
                });
            }
            for f in spec.field {
                fields.push(FieldRule {
                    id: format!("{pack}/{}", f.name),
                    field: f.field,
                    zone: f.zone,
                    max_chars: f.max_chars,
                    patterns: compile(&f.patterns, &f.name, MatchKind::Contains)?,
                });
            }
        }
        if page.prose_min_chars == 0 {
            page.prose_min_chars = default_prose_chars();
        }
        let mut exact: PhraseMap<Vec<usize>> = PhraseMap::default();
        let mut ac_phrases = Vec::new();
        let mut automaton_rule = Vec::new();
        for (i, r) in rules.iter().enumerate() {
            match r.kind {
                MatchKind::Exact | MatchKind::Lines | MatchKind::Cut | MatchKind::ImageAlt => {
                    for p in &r.phrases {
                        exact.entry(p.clone()).or_default().push(i);
                    }
                }
                MatchKind::LinkLines => {}
                MatchKind::Prefix
                | MatchKind::Contains
                | MatchKind::Footer
                | MatchKind::ImageUrl => {
                    for p in r.phrases.iter().filter(|p| !p.is_empty()) {
                        ac_phrases.push(p.clone());
                        automaton_rule.push(i);
                    }
                }
            }
        }
        // A DFA: every block is searched for overlapping matches, which
        // step the automaton byte by byte (no prefilter), and a DFA step is
        // one table lookup where the default NFA follows failure links.
        let automaton = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .build(&ac_phrases)
            .map_err(|e| Error::Rules(format!("phrases: {e}")))?;
        let (credit_key, credit_field) = compile_credits(&credits)?;
        let credit_start = Regex::new(&format!("^(?:{})", credit_key.as_str()))
            .map_err(|e| Error::Rules(format!("credit keys: {e}")))?;
        let spaced_credit = compile_spaced_credit(&credits)?;
        let exact_max_len = exact.keys().map(String::len).max().unwrap_or(0);
        let prefix_phrase_len = rules
            .iter()
            .filter(|r| r.kind == MatchKind::Prefix)
            .flat_map(|r| r.phrases.iter().map(String::len))
            .max()
            .unwrap_or(0);
        let (tested, by_zone) = rule_sets(&rules);
        let gate = LiteralGate::new(&rules, tested)?;
        Ok(Rules {
            rules,
            fields,
            page,
            exact,
            exact_max_len,
            automaton,
            automaton_rule,
            prefix_phrase_len,
            credit_key,
            credit_start,
            spaced_credit,
            credit_field,
            by_zone,
            gate,
        })
    }
}

impl Rules {
    /// The rules with a pattern test of their own (`engine::Ctx::pattern_test`:
    /// patterns, every line a label, every line a link) that a block of
    /// `chars` characters can
    /// pass, as far as their literals and lengths tell (`texts`: its plain
    /// view and its markdown, trimmed, as the tests read them).
    pub(crate) fn literal_hits(&self, chars: usize, texts: &[&str]) -> RuleSet {
        self.gate.hits(chars, texts)
    }

    /// The rules that list `s` as a whole-block or whole-line phrase.
    pub(crate) fn exact_rules(&self, s: &str) -> Option<&[usize]> {
        if s.len() > self.exact_max_len {
            return None;
        }
        self.exact.get(s).map(Vec::as_slice)
    }
}

/// Which rules a block's literals leave to test: the tested rules whose
/// test is their pattern alone (exact, prefix, contains) and whose every
/// match holds one of a few literals of two bytes or more are "gated"; a
/// block holding none of a gated rule's literals, or too long for it, is
/// not tested against it. The literals are found in one search of the
/// block for all rules, kept for the strip's later passes (`seen.rs`).
#[derive(Debug)]
pub(crate) struct LiteralGate {
    /// The tested rules that are not gated.
    ungated: RuleSet,
    /// The gated rules, each with the most characters a block may have and
    /// the most bytes its trimmed text (its `max_chars`, its regex's longest
    /// match) for the rule to take it.
    limits: Vec<(usize, usize, usize)>,
    /// The gated rules' literals, one automaton; pattern id → the literal
    /// in `bytes` and the rules it gates in `rules`.
    literals: AhoCorasick,
    bytes: Vec<Vec<u8>>,
    rules: Vec<RuleSet>,
}

impl LiteralGate {
    fn new(rules: &[Rule], tested: RuleSet) -> Result<LiteralGate> {
        let mut gated = RuleSet::default();
        let mut limits = Vec::new();
        let mut by_literal: Vec<(Vec<u8>, RuleSet)> = Vec::new();
        for (r, rule) in rules.iter().enumerate() {
            let alone = matches!(
                rule.kind,
                MatchKind::Exact | MatchKind::Prefix | MatchKind::Contains
            );
            // A rule's patterns are one regex (`compile`). A one-byte literal
            // (`#`, `%`) is in most texts: no gate, and it would slow the
            // search for the others.
            let [p] = rule.patterns.as_slice() else {
                continue;
            };
            let Some(lits) = p.literals.as_ref() else {
                continue;
            };
            if !alone || r >= RuleSet::CAP || lits.iter().any(|l| l.len() < 2) {
                continue;
            }
            gated.insert(r);
            let chars = if rule.max_chars == 0 {
                usize::MAX
            } else {
                rule.max_chars
            };
            limits.push((r, chars, p.max_len.unwrap_or(usize::MAX)));
            for l in lits {
                if let Some((_, set)) = by_literal.iter_mut().find(|(k, _)| k == l) {
                    set.insert(r);
                } else {
                    let mut set = RuleSet::default();
                    set.insert(r);
                    by_literal.push((l.clone(), set));
                }
            }
        }
        // Leftmost-first, not overlapping: a few dozen literals, which the
        // automaton's SIMD prefilter skips to (`hits` walks the overlaps
        // itself).
        let literals = AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build(by_literal.iter().map(|(l, _)| l))
            .map_err(|e| Error::Rules(format!("pattern literals: {e}")))?;
        let (bytes, rules) = by_literal.into_iter().unzip();
        Ok(LiteralGate {
            ungated: tested.without(gated),
            limits,
            literals,
            bytes,
            rules,
        })
    }

    /// See [`Rules::literal_hits`].
    fn hits(&self, chars: usize, texts: &[&str]) -> RuleSet {
        let ungated = self.ungated;
        let shortest = texts.iter().map(|t| t.len()).min().unwrap_or(0);
        let mut fit = RuleSet::default();
        for &(r, max_chars, max_len) in &self.limits {
            if chars <= max_chars && shortest <= max_len {
                fit.insert(r);
            }
        }
        if fit == RuleSet::default() {
            return ungated;
        }
        // Every literal at every place: the leftmost match, then every
        // literal that starts where it does, then on from the next byte (a
        // literal overlapping the one found starts after it).
        let mut found = RuleSet::default();
        for t in texts {
            let hay = t.as_bytes();
            let mut at = 0;
            while let Some(m) = self
                .literals
                .find(aho_corasick::Input::new(hay).span(at..hay.len()))
            {
                let here = &hay[m.start()..];
                for (lit, rules) in self.bytes.iter().zip(&self.rules) {
                    if here.starts_with(lit) {
                        found = found | *rules;
                    }
                }
                at = m.start() + 1;
            }
        }
        ungated | (found & fit)
    }
}

/// The rules with a pattern test of their own (see [`Rules::literal_hits`]), and the
/// rules of each zone (`Rules::by_zone`).
fn rule_sets(rules: &[Rule]) -> (RuleSet, [RuleSet; 5]) {
    let mut tested = RuleSet::default();
    let mut by_zone = [RuleSet::default(); 5];
    for (r, rule) in rules.iter().enumerate() {
        if rule.has_test() {
            tested.insert(r);
        }
        by_zone[rule.zone as usize].insert(r);
    }
    (tested, by_zone)
}

fn merge_page(into: &mut PageSpec, from: PageSpec) {
    into.original_markers.extend(from.original_markers);
    into.repost_card.extend(from.repost_card);
    into.editor_note.extend(from.editor_note);
    into.signoff_cues.extend(from.signoff_cues);
    if from.prose_min_chars != default_prose_chars() || into.prose_min_chars == 0 {
        into.prose_min_chars = from.prose_min_chars;
    }
}

/// Compiles a rule's patterns into one regex (an alternation), anchored as
/// its match kind needs: one search per block instead of one per pattern.
fn compile(patterns: &[String], rule: &str, kind: MatchKind) -> Result<Vec<Pattern>> {
    if patterns.is_empty() {
        return Ok(Vec::new());
    }
    // Each pattern alone first, for an error that names it; parsing finds
    // what is wrong with one (the whole regex is built once, below).
    for p in patterns {
        regex_syntax::parse(p)
            .map_err(|e| Error::Rules(format!("rule {rule}: pattern {p:?}: {e}")))?;
    }
    let alternation = patterns
        .iter()
        .map(|p| format!("(?:{p})"))
        .collect::<Vec<_>>()
        .join("|");
    let anchored = match kind {
        MatchKind::Exact | MatchKind::Lines | MatchKind::Cut | MatchKind::ImageAlt => {
            format!("^(?:{alternation})$")
        }
        MatchKind::Prefix => format!("^(?:{alternation})"),
        _ => alternation,
    };
    let re =
        Pattern::new(&anchored).map_err(|e| Error::Rules(format!("rule {rule}: patterns: {e}")))?;
    Ok(vec![re])
}

/// See `fields::spaced_credit`: only the author keys of two or more Han
/// characters (`作者`, `记者`, `撰文`); a one-character key (`文`) glued to a
/// word is a word (`文化`).
fn compile_spaced_credit(spec: &CreditSpec) -> Result<Regex> {
    let mut keys: Vec<&String> = spec
        .author
        .iter()
        .filter(|k| {
            k.chars().count() >= 2 && k.chars().all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
        })
        .collect();
    keys.sort_by_key(|k| std::cmp::Reverse(k.chars().count()));
    let pattern = if keys.is_empty() {
        "$^".to_owned()
    } else {
        let alternation = keys
            .iter()
            .map(|k| regex::escape(k))
            .collect::<Vec<_>>()
            .join("|");
        // With a space, a name of two to four characters (`记者 王怡洁`);
        // glued to the key, three or four (`作者陶辉东`), since a glued
        // two-character word is a heading (`作者简介`, `作者名片`).
        format!(
            r"^({alternation})(?:\s+(\p{{Han}}{{2,4}})|(\p{{Han}}{{3,4}}))(?:\s*[—－、/\s]\s*\p{{Han}}{{2,4}})*$"
        )
    };
    Regex::new(&pattern).map_err(|e| Error::Rules(format!("credit keys: {e}")))
}

fn compile_credits(spec: &CreditSpec) -> Result<(Regex, HashMap<String, FieldName>)> {
    let mut map = HashMap::new();
    let mut keys: Vec<&String> = Vec::new();
    for (list, field) in [
        (&spec.author, FieldName::Author),
        (&spec.credits, FieldName::Credits),
        (&spec.reprinted_from, FieldName::ReprintedFrom),
    ] {
        for k in list {
            map.insert(k.clone(), field);
            keys.push(k);
        }
    }
    // Longest keys first, so `图片来源` wins over `来源`.
    keys.sort_by_key(|k| std::cmp::Reverse(k.chars().count()));
    let alternation = keys
        .iter()
        .map(|k| regex::escape(k))
        .collect::<Vec<_>>()
        .join("|");
    let seps = if spec.separators.is_empty() {
        "|｜│丨:："
    } else {
        spec.separators.as_str()
    };
    let pattern = if alternation.is_empty() {
        "$^".to_owned()
    } else {
        format!(r"({alternation})\s*[{}]\s*", regex::escape(seps))
    };
    let re = Regex::new(&pattern).map_err(|e| Error::Rules(format!("credit keys: {e}")))?;
    Ok((re, map))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literals(pattern: &str) -> Option<Vec<String>> {
        let hir = regex_syntax::parse(pattern).unwrap();
        required_literals(&hir).map(|set| {
            set.into_iter()
                .map(|l| String::from_utf8(l).unwrap())
                .collect()
        })
    }

    #[test]
    fn a_pattern_shows_the_literals_its_matches_hold() {
        let one = |s: &str| Some(vec![s.to_owned()]);
        assert_eq!(
            literals(".{0,20}因违规无法查看.{0,20}"),
            one("因违规无法查看")
        );
        assert_eq!(literals("^(?:第[0-9]+期)$"), one("期"));
        assert_eq!(
            literals("(?:接相关投诉[，,])?此内容违反《"),
            one("此内容违反《")
        );
        assert_eq!(
            literals("(?:预计阅读|阅读时间)\\d+"),
            Some(vec!["预计阅读".to_owned(), "阅读时间".to_owned()])
        );
        // A sequence takes its part whose shortest literal is longest.
        assert_eq!(literals("(?:a|bc)xyz"), one("xyz"));
        // None when a match need hold no one literal.
        for none in [
            "(?i)abc",
            "\\d+",
            "foo|\\d",
            "(?:关注)?\\s*",
            "[。，]+",
            "x*",
        ] {
            assert_eq!(literals(none), None, "{none}");
        }
    }

    #[test]
    fn the_literal_filter_turns_away_no_match() {
        // Every text the built-in pack's regexes match still reaches them:
        // the phrases of the pack and every line of the samples, as they
        // stand and trimmed.
        let rules = Rules::wechat();
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples/dumps");
        let mut texts: Vec<String> = rules.rules.iter().flat_map(|r| r.phrases.clone()).collect();
        for entry in std::fs::read_dir(root).unwrap() {
            let Ok(body) = std::fs::read_to_string(entry.unwrap().path()) else {
                continue;
            };
            texts.extend(body.lines().map(str::to_owned));
            texts.extend(body.split("\n\n").map(|p| p.trim().to_owned()));
        }
        let mut matched = 0;
        for rule in &rules.rules {
            for p in &rule.patterns {
                for t in &texts {
                    let whole = p.max_len.is_none_or(|m| t.len() <= m) && p.re.is_match(t);
                    assert_eq!(p.is_match(t), whole, "{}: {t:?}", rule.id);
                    matched += usize::from(whole);
                }
            }
        }
        assert!(matched > 0, "the samples exercise no pattern");
        // The pack's literal gate lets every such text through to its rule.
        let (tested, _) = rule_sets(&rules.rules);
        assert!(rules.gate.ungated != tested);
        for (r, rule) in rules.rules.iter().enumerate() {
            for t in &texts {
                let chars = t.chars().count();
                let fits = rule.max_chars == 0 || chars <= rule.max_chars;
                if fits && rule.patterns.iter().any(|p| p.is_match(t)) && tested.contains(r) {
                    let hits = rules.literal_hits(chars, &[t]);
                    assert!(hits.contains(r), "{}: {t:?}", rule.id);
                }
            }
        }
    }

    /// The characters a gate lets through, as ranges.
    type Gate = Option<Vec<(char, char)>>;

    /// The gates of a pattern, at its start and at its end.
    fn gates(pattern: &str) -> (Gate, Gate) {
        let (first, last) = edge_gates(&regex_syntax::parse(pattern).unwrap());
        (first.map(|s| s.ranges()), last.map(|s| s.ranges()))
    }

    #[test]
    fn edge_gates_hold_what_a_match_can_begin_and_end_with() {
        let one = |c| Some(vec![(c, c)]);
        // A class on its own, anchored at both ends.
        assert_eq!(
            gates("^(?:[：:，,]+)$"),
            (
                Some(vec![(',', ','), (':', ':'), ('，', '，'), ('：', '：')]),
                Some(vec![(',', ','), (':', ':'), ('，', '，'), ('：', '：')])
            )
        );
        // `\S` lets nearly everything through: no gate at the start.
        assert_eq!(gates("^(?:\\S+已关注)$"), (None, one('注')));
        // An optional part passes its characters on to the next one.
        assert_eq!(
            gates("^(?:[（(]?\\s*x)$").0.unwrap(),
            CharSet::new(
                [('（', '（'), ('(', '('), ('x', 'x')]
                    .into_iter()
                    .chain(whitespace())
                    .collect()
            )
            .ranges()
        );
        // Case-insensitive letters are classes; `\b` matches no character.
        assert_eq!(
            gates("^(?:(?i)\\bab)$"),
            (
                Some(vec![('A', 'A'), ('a', 'a')]),
                Some(vec![('B', 'B'), ('b', 'b')])
            )
        );
        // Branches add up.
        assert_eq!(
            gates("^(?:ab|cd)$"),
            (
                Some(vec![('a', 'a'), ('c', 'c')]),
                Some(vec![('b', 'b'), ('d', 'd')])
            )
        );
        // Anchored at one end only: no gate at the other.
        assert_eq!(gates("^(?:ab)"), (one('a'), None));
        assert_eq!(gates("(?:ab)$"), (None, one('b')));
        // A match that may be empty anywhere but on an empty text: no gate.
        assert_eq!(gates("^(?:a*)"), (None, None));
        assert_eq!(gates("^(?:a*)$"), (one('a'), one('a')));
        // Not anchored: no gate.
        assert_eq!(gates("ab"), (None, None));
        // `.*` lets everything through.
        assert_eq!(gates("^(?:.*x)$"), (None, one('x')));
    }

    fn whitespace() -> Vec<(char, char)> {
        let (Some(first), _) = edge_gates(&regex_syntax::parse("^\\s").unwrap()) else {
            panic!("\\s has a gate");
        };
        first.ranges()
    }

    #[test]
    fn a_char_set_holds_its_ranges_and_nothing_else() {
        let set = CharSet::new(vec![
            ('d', 'f'),
            ('a', 'b'),
            ('c', 'c'),
            ('x', 'x'),
            ('中', '中'),
        ]);
        // Touching ranges merge.
        assert_eq!(set.ranges(), vec![('a', 'f'), ('x', 'x'), ('中', '中')]);
        for c in ['a', 'c', 'f', 'x', '中'] {
            assert!(set.contains(c), "{c}");
        }
        for c in ['\0', '`', 'g', 'w', 'y', '丫', '丮', char::MAX] {
            assert!(!set.contains(c), "{c}");
        }
        assert_eq!(set.len(), 8);
    }

    /// `hir` without its look-around assertions (each made empty), for
    /// proptest's generator, which takes none.
    fn without_looks(hir: &regex_syntax::hir::Hir) -> regex_syntax::hir::Hir {
        use regex_syntax::hir::{Capture, Hir, HirKind, Repetition};
        match hir.kind() {
            HirKind::Look(_) => Hir::empty(),
            HirKind::Repetition(r) => Hir::repetition(Repetition {
                sub: Box::new(without_looks(&r.sub)),
                ..r.clone()
            }),
            HirKind::Capture(c) => Hir::capture(Capture {
                sub: Box::new(without_looks(&c.sub)),
                ..c.clone()
            }),
            HirKind::Concat(subs) => Hir::concat(subs.iter().map(without_looks).collect()),
            HirKind::Alternation(subs) => {
                Hir::alternation(subs.iter().map(without_looks).collect())
            }
            _ => hir.clone(),
        }
    }

    #[test]
    fn the_gates_turn_away_no_text_a_pattern_matches() {
        // Texts made from each of the pack's patterns (its anchors and `\b`
        // taken out, so most match the pattern itself): each one the regex
        // matches passes the pattern's gates.
        use proptest::strategy::{Strategy, ValueTree};
        use proptest::test_runner::TestRunner;
        let rules = Rules::wechat();
        let patterns = rules
            .rules
            .iter()
            .flat_map(|r| &r.patterns)
            .chain(rules.fields.iter().flat_map(|f| &f.patterns));
        let mut runner = TestRunner::deterministic();
        let (mut gated, mut matched) = (0, 0);
        for p in patterns {
            gated += usize::from(p.first_char.is_some() || p.last_char.is_some());
            let hir = without_looks(&regex_syntax::parse(p.re.as_str()).unwrap());
            let texts = proptest::string::string_regex_parsed(&hir).unwrap();
            for _ in 0..300 {
                let t = texts.new_tree(&mut runner).unwrap().current();
                if p.re.is_match(&t) {
                    matched += 1;
                    assert!(p.fits(&t), "{}: {t:?}", p.re.as_str());
                }
            }
        }
        assert!(gated >= 10, "{gated} patterns have a gate");
        assert!(matched >= 3000, "only {matched} texts matched");
    }

    #[test]
    fn builtin_pack_compiles() {
        let r = Rules::wechat();
        assert!(r.rules.len() > 10);
        assert!(r.exact_rules("微信扫一扫").is_some());
    }

    #[test]
    fn bad_regex_is_named() {
        let err = Rules::from_toml(&[
            "[[rule]]\nname='x'\nfamily='chrome'\nmatch='exact'\npatterns=['(']\n",
        ])
        .unwrap_err();
        assert!(err.to_string().contains("rule x"), "{err}");
    }

    #[test]
    fn unknown_keys_rejected() {
        assert!(
            Rules::from_toml(&["[[rule]]\nname='x'\nfamly='chrome'\nmatch='exact'\n"]).is_err()
        );
    }
}
