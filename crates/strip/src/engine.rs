//! Stripping one document: structure first (page furniture, header, repost
//! card), then zones, then the pack's rules block by block, then rendering.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::HashMap;
use std::rc::Rc;

use scour_record::{Doc, Family, RejectReason};

use crate::block::{self, Block, Kind};
use crate::byline;
use crate::fields::{self, Found};
use crate::rule_id::{CodeRule, RuleId};
use crate::rules::{FieldName, MatchKind, Rule, RuleSet, Rules, Zone};
use crate::seen::{Seen, TextFacts};
use crate::wechat;
use crate::Options;

/// Why a block goes.
#[derive(Clone, Copy, Debug)]
struct Fate {
    family: Family,
    rule: RuleId,
}

struct Ctx<'a> {
    rules: &'a Rules,
    /// The document's source (account), for recognizing its self-description.
    source: Option<String>,
    blocks: Vec<Block<'a>>,
    fate: Vec<Option<Fate>>,
    found: Found,
    /// Per block: reads as prose (see `prose_shape_of`), computed lazily.
    prose_shape: Vec<std::cell::OnceCell<bool>>,
    /// Per block: what is worked out once and asked many times.
    memo: Vec<Memo>,
    /// The facts of the blocks' texts, shared with the strip's other passes.
    seen: &'a Seen,
    /// Per block: its entry in `seen`, looked up when first asked.
    facts: Vec<OnceCell<Rc<TextFacts>>>,
}

/// What is worked out of a block when first asked.
#[derive(Default)]
struct Memo {
    /// The plain text on one line, trimmed: what field rules read.
    one_line: OnceCell<String>,
    /// The byte ranges in the plain text of [`Block::lines`]: what line
    /// rules read, each of them.
    lines: OnceCell<Vec<(usize, usize)>>,
}

/// One pass of the rules. `lang_is_of_text`: the record's `lang` was
/// detected on its text as it comes (a pass to the fixpoint), so a pass
/// that leaves the text as it is need not detect it again. `seen`: what the
/// strip's earlier passes found in the blocks' texts.
pub(crate) fn strip_pass(
    mut doc: Doc,
    rules: &Rules,
    opts: &Options,
    lang_is_of_text: bool,
    seen: &Seen,
) -> Doc {
    if doc.is_rejected() {
        return doc;
    }
    let markdown = doc.text_format.as_deref() == Some("markdown");
    // The blocks borrow the body; rendering writes the new one.
    let body = std::mem::take(&mut doc.text);
    let blocks = if markdown {
        block::parse(&body)
    } else {
        block::parse_plain(&body)
    };
    let n = blocks.len();
    let mut cx = Ctx {
        rules,
        source: doc.source.clone(),
        blocks,
        fate: vec![None; n],
        found: Found::default(),
        prose_shape: vec![std::cell::OnceCell::new(); n],
        memo: std::iter::repeat_with(Memo::default).take(n).collect(),
        seen,
        facts: vec![OnceCell::new(); n],
    };
    cx.cut_page_furniture();
    cx.title_repeats(doc.title.as_deref());
    cx.page_header(doc.source.as_deref());
    cx.byline(doc.source.as_deref());
    cx.repost_card();
    if cx.source.is_none() {
        // The account the page itself names (header, byline, page tail)
        // lets the later passes see its blurbs and sign-offs.
        cx.source = cx.found.account();
    }
    let (head_end, tail_start) = cx.zones();
    cx.column_masthead(doc.title.as_deref(), head_end);
    cx.apply_rules(head_end, tail_start);
    cx.limit_runs();
    cx.fill_gaps();
    cx.related_titles();
    cx.dated_titles(tail_start);
    cx.footer(tail_start);
    cx.truncation(head_end, tail_start);
    cx.render(&mut doc, opts, markdown);
    if !(lang_is_of_text && doc.text == body) {
        doc.lang = crate::lang::detect_lang(&doc.text);
    }
    doc.text_format = (markdown && opts.markdown).then(|| "markdown".to_owned());
    if doc.text.is_empty() && !opts.keep_empty {
        // Only an emptied document asks which rules removed its blocks.
        match cx.notice() {
            Some(reason) => doc.reject(
                reason,
                Some("the page shows a notice instead of the article".to_owned()),
            ),
            None => doc.reject(
                RejectReason::Empty,
                Some("nothing of the article is left once the page furniture is gone".to_owned()),
            ),
        }
    }
    doc
}

impl<'a> Ctx<'a> {
    /// The reject reason of a notice rule that removed a block, if any.
    fn notice(&self) -> Option<RejectReason> {
        self.fate.iter().flatten().find_map(|f| match f.rule {
            RuleId::Pack(r) => self.rules.rules[r].reject,
            RuleId::Field(_) | RuleId::Code(_) => None,
        })
    }

    fn alive(&self, i: usize) -> bool {
        self.fate[i].is_none()
    }

    fn kill(&mut self, i: usize, family: Family, rule: RuleId) {
        if self.fate[i].is_none() {
            self.fate[i] = Some(Fate { family, rule });
        }
    }

    /// [`Ctx::kill`] by a rule written in code.
    fn kill_by(&mut self, i: usize, family: Family, rule: CodeRule) {
        self.kill(i, family, RuleId::Code(rule));
    }

    /// A `cut` rule's block and everything after it.
    fn cut_page_furniture(&mut self) {
        let cut = self
            .rules
            .rules
            .iter()
            .enumerate()
            .filter(|(_, r)| r.kind == MatchKind::Cut);
        let cut_rules: Vec<usize> = cut.map(|(i, _)| i).collect();
        if cut_rules.is_empty() {
            return;
        }
        for i in 0..self.blocks.len() {
            let b = &self.blocks[i];
            if b.kind == Kind::Code {
                continue;
            }
            // A cut rule has no pattern test of its own (`pattern_test`), so
            // its answer is kept in the block's tests under its index.
            let cut_at = cut_rules.iter().find(|&&r| {
                let facts = self.facts(i);
                let mut tests = facts.tests.borrow_mut();
                tests.get(r, || self.all_lines_match(r, i))
            });
            if let Some(r) = cut_at {
                let (family, r) = (self.rules.rules[*r].family, *r);
                for j in i..self.blocks.len() {
                    self.kill(j, family, RuleId::Pack(r));
                }
                return;
            }
        }
    }

    /// Headings (or head-zone lines) that repeat the title, and links to the
    /// same series anywhere.
    fn title_repeats(&mut self, title: Option<&str>) {
        if let Some(t) = title.map(squash).filter(|t| !t.is_empty()) {
            for i in 0..self.blocks.len() {
                let b = &self.blocks[i];
                if b.kind == Kind::Text
                    && !b.raw.contains('\n')
                    && b.raw.contains(wechat::ARTICLE_HOST)
                    && self.is_link_list(i)
                    && similar_title(&squash(&b.plain), &t)
                {
                    self.kill_by(i, Family::Chrome, CodeRule::SeriesNavigation);
                }
            }
        }
        let Some(title) = title.map(squash).filter(|t| !t.is_empty()) else {
            // Without a title, the first heading is the title.
            return;
        };
        for i in 0..self.blocks.len() {
            let b = &self.blocks[i];
            if b.kind == Kind::Text && b.chars >= 2 * self.rules.page.prose_min_chars {
                break;
            }
            let repeats = match b.kind {
                Kind::Heading => {
                    let plain = squash(&b.plain);
                    plain == title || similar_title(&plain, &title)
                }
                Kind::Text => squashes_to(&b.plain, &title),
                Kind::Image | Kind::Code => false,
            };
            if repeats {
                self.kill_by(i, Family::Field, CodeRule::TitleRepeat);
            }
        }
    }

    /// A column's masthead at the top (`**MIT创新雷达｜扫描前沿趋势，洞见科创未来**`,
    /// then `**On Campus and Around World**`): a bold line of the head zone
    /// that starts with the column the title names after its last `｜`
    /// (`MIT推出一种AI训练新技术…｜MIT创新雷达`), and the bold lines right
    /// after it.
    fn column_masthead(&mut self, title: Option<&str>, head_end: usize) {
        let Some(column) = title.and_then(column_of) else {
            return;
        };
        let Some(first) = (0..head_end).find(|&i| {
            self.alive(i)
                && self.is_masthead_line(i)
                && squash(&self.blocks[i].plain).starts_with(&column)
        }) else {
            return;
        };
        self.kill_by(first, Family::Chrome, CodeRule::ColumnMasthead);
        for i in first + 1..head_end {
            if !self.alive(i) {
                continue;
            }
            if !self.is_masthead_line(i) {
                break;
            }
            self.kill_by(i, Family::Chrome, CodeRule::ColumnMasthead);
        }
    }

    /// One short bold line (or heading): how a masthead is printed.
    fn is_masthead_line(&self, i: usize) -> bool {
        let b = &self.blocks[i];
        (b.kind == Kind::Heading || (b.kind == Kind::Text && is_all_bold(b.raw)))
            && b.chars <= 40
            && !b.plain.trim().contains('\n')
    }

    /// The page header under the title: [原创] [author] account.
    fn page_header(&mut self, source: Option<&str>) {
        // It follows the last title heading of the head.
        let Some(last_title) = (0..self.blocks.len())
            .take_while(|&i| {
                !(self.alive(i) && self.blocks[i].chars >= 2 * self.rules.page.prose_min_chars)
            })
            .filter(|&i| {
                self.fate[i]
                    .as_ref()
                    .is_some_and(|f| f.rule == RuleId::Code(CodeRule::TitleRepeat))
            })
            .last()
        else {
            return;
        };
        let mut i = last_title + 1;
        let mut candidates = Vec::new();
        while i < self.blocks.len() && candidates.len() < 3 {
            let b = &self.blocks[i];
            if !self.alive(i) {
                break;
            }
            if b.kind != Kind::Text
                || !is_meta_line(b)
                || self.matching_rule(i, 0, usize::MAX, usize::MAX).is_some()
            {
                break;
            }
            if self
                .rules
                .page
                .original_markers
                .iter()
                .any(|m| m.trim() == b.plain.trim())
            {
                self.kill_by(i, Family::Chrome, CodeRule::PageHeaderOriginal);
                i += 1;
                continue;
            }
            candidates.push(i);
            i += 1;
        }
        if candidates.is_empty() {
            return;
        }
        let src = source.map(squash).unwrap_or_default();
        let names: Vec<String> = candidates
            .iter()
            .map(|&c| squash(&self.blocks[c].plain))
            .collect();
        // The account is the candidate equal to the source, else one that
        // contains it or is contained in it (a display name such as 安全内参 for
        // 互联网安全内参), else the last of at most two.
        let account = names
            .iter()
            .position(|n| !src.is_empty() && *n == src)
            .or_else(|| {
                names.iter().rposition(|n| {
                    !src.is_empty()
                        && !n.is_empty()
                        && (src.contains(n.as_str()) || n.contains(src.as_str()))
                })
            })
            .or_else(|| (candidates.len() <= 2).then(|| candidates.len() - 1));
        let Some(account) = account else {
            return;
        };
        if account > 1 {
            return;
        }
        if account == 1 {
            let a = candidates[0];
            let name = self.blocks[a].plain.trim().to_owned();
            let acct = squash(&self.blocks[candidates[1]].plain);
            if squash(&name) != acct {
                self.found.header_author = Some(name);
            }
            self.kill_by(a, Family::Field, CodeRule::PageHeaderAuthor);
        }
        let acct_block = candidates[account];
        self.found.header_account = Some(self.blocks[acct_block].plain.trim().to_owned());
        self.kill_by(acct_block, Family::Chrome, CodeRule::PageHeaderAccount);
    }

    /// The byline in the layouts other archivers give it (see `byline`):
    /// one block of the head, before the first paragraph of prose; and the
    /// account the page tail names.
    fn byline(&mut self, source: Option<&str>) {
        let prose = 2 * self.rules.page.prose_min_chars;
        let mut looked = 0;
        for i in 0..self.blocks.len() {
            let b = &self.blocks[i];
            if b.kind == Kind::Code || b.kind == Kind::Text && b.chars >= prose && self.alive(i) {
                break;
            }
            if !self.alive(i) || b.kind != Kind::Text {
                continue;
            }
            looked += 1;
            if looked > 8 {
                break;
            }
            let Some(found) =
                byline::read_line(b.raw, source).or_else(|| byline::read_labelled(&b.plain))
            else {
                continue;
            };
            if let Some(a) = found.author {
                self.found.header_author.get_or_insert(a);
            }
            if let Some(a) = found.account {
                self.found.byline_account.get_or_insert(a);
            }
            if let Some(p) = found.published {
                self.found.published.get_or_insert(p);
            }
            self.kill_by(i, Family::Field, CodeRule::Byline);
            // The byline's date on a line of its own under it
            // (`Original 编辑部 账号` / `*2026年1月15日 17:13* *江苏*`).
            if let Some(j) = self
                .next_alive(i)
                .filter(|&j| self.blocks[j].kind == Kind::Text)
            {
                if let Some(date) = byline::read_line(self.blocks[j].raw, source)
                    .filter(|f| f.author.is_none() && f.account.is_none())
                    .and_then(|f| f.published)
                {
                    self.found.published.get_or_insert(date);
                    self.kill_by(j, Family::Field, CodeRule::Byline);
                }
            }
            break;
        }
        // WeChat's page tail: 继续滑动看下一个, the account, 向上滑动看下一个.
        for i in 0..self.blocks.len().saturating_sub(2) {
            if self.blocks[i].plain.trim() == byline::TAIL_BEFORE
                && self.blocks[i + 2].plain.trim() == byline::TAIL_AFTER
            {
                let name = self.blocks[i + 1].plain.trim();
                if byline::is_account_name(name) {
                    self.found.tail_account = Some(name.to_owned());
                }
            }
        }
    }

    /// A repost card (以下文章来源于X，作者Y + avatar + name + blurb) and an
    /// editor's note before it.
    fn repost_card(&mut self) {
        let page = &self.rules.page;
        let Some(start) = (0..self.blocks.len()).find(|&i| {
            self.alive(i)
                && self.blocks[i].kind == Kind::Text
                && page
                    .repost_card
                    .iter()
                    .any(|p| self.blocks[i].plain.trim_start().starts_with(p.as_str()))
        }) else {
            return;
        };
        let first = self.blocks[start].plain.replace('\n', "");
        let rest = page
            .repost_card
            .iter()
            .find_map(|p| first.trim_start().strip_prefix(p.as_str()))
            .unwrap_or("");
        let (account, author) = match rest.split_once(['，', ',']) {
            Some((a, b)) => (
                a.trim().to_owned(),
                b.trim()
                    .trim_start_matches(wechat::AUTHOR_LABEL)
                    .trim()
                    .to_owned(),
            ),
            None => (rest.trim().to_owned(), String::new()),
        };
        if !account.is_empty() {
            self.found.card_account = Some(account.clone());
        }
        if !author.is_empty() {
            self.found.card_author = Some(author);
        }
        self.kill_by(start, Family::Field, CodeRule::RepostCard);
        // Avatar, the account's name, its one-line blurb.
        let mut i = start + 1;
        let mut saw_name = false;
        while i < self.blocks.len() && i <= start + 4 {
            let b = &self.blocks[i];
            if b.kind == Kind::Image {
                self.kill_by(i, Family::Chrome, CodeRule::RepostCard);
            } else if !saw_name
                && squash(&b.plain)
                    .trim_end_matches(['.', '。'])
                    .starts_with(&squash(&account))
                && !account.is_empty()
            {
                saw_name = true;
                self.kill_by(i, Family::Chrome, CodeRule::RepostCard);
            } else if saw_name && b.kind == Kind::Text && b.chars <= 80 {
                self.kill_by(i, Family::Chrome, CodeRule::RepostCard);
                break;
            } else {
                break;
            }
            i += 1;
        }
        // An editor's note between the header and the card.
        if let Some(note) = (start.saturating_sub(4)..start).find(|&j| {
            self.alive(j)
                && page
                    .editor_note
                    .iter()
                    .any(|p| self.blocks[j].plain.trim_start().starts_with(p.as_str()))
        }) {
            for j in note..start {
                self.kill_by(j, Family::Chrome, CodeRule::RepostEditorNote);
            }
        }
    }

    fn is_prose(&self, i: usize) -> bool {
        self.alive(i) && *self.prose_shape[i].get_or_init(|| self.prose_shape_of(i))
    }

    /// Whether a block reads as prose, whatever has been removed around it.
    /// Computed once per block: the zone and footer passes ask many times.
    fn prose_shape_of(&self, i: usize) -> bool {
        let b = &self.blocks[i];
        match b.kind {
            Kind::Code => true,
            Kind::Text => {
                self.has_prose_text(i)
                    && !self.footer_cue(i)
                    && !self.is_field_line(i)
                    && !self.is_account_blurb(b)
                    && !self.is_link_list(i)
            }
            _ => false,
        }
    }

    /// The part of [`prose_shape_of`](Self::prose_shape_of) that reads the
    /// block's text alone (kept for the strip's later passes): a line long
    /// enough, sentences, and not a URL, a broken image or a credit line.
    fn has_prose_text(&self, i: usize) -> bool {
        *self.facts(i).prose_text.get_or_init(|| {
            let b = &self.blocks[i];
            let longest = b.lines().map(own_text_chars).max().unwrap_or(0);
            longest >= self.rules.page.prose_min_chars
                && b.lines().any(has_sentences)
                && !b.plain.trim_start().starts_with("http")
                // A one-line image whose URL the markdown reader could
                // not take (an inline SVG with spaces): markup, not prose.
                && !is_broken_image(b.raw)
                && !self.is_credit_line(b)
        })
    }

    /// A `key | value` line (`文 | 何哲`, `编辑：靖宇`): never prose, however long.
    fn is_credit_line(&self, b: &Block) -> bool {
        b.chars <= 120
            && fields::credit_pairs(self.rules, &b.plain.replace('\n', " ")).is_some_and(|pairs| {
                pairs
                    .iter()
                    .all(|(k, _)| self.rules.credit_field.contains_key(k.as_str()))
            })
    }

    /// An attribution line a field rule reads (`本文为译文，原文地址：…`).
    fn is_field_line(&self, i: usize) -> bool {
        *self.facts(i).field_line.get_or_init(|| {
            let b = &self.blocks[i];
            self.rules.fields.iter().enumerate().any(|(f, rule)| {
                (rule.max_chars == 0 || b.chars <= rule.max_chars) && self.field_hit(i, f)
            })
        })
    }

    /// The facts of block `i`'s text (see `seen.rs`).
    fn facts(&self, i: usize) -> &TextFacts {
        self.facts[i].get_or_init(|| self.seen.of(&self.blocks[i]))
    }

    /// See [`is_link_list`].
    fn is_link_list(&self, i: usize) -> bool {
        *self
            .facts(i)
            .link_list
            .get_or_init(|| is_link_list(self.blocks[i].raw))
    }

    /// Block `i`'s plain text on one line, trimmed.
    fn one_line(&self, i: usize) -> &str {
        self.memo[i]
            .one_line
            .get_or_init(|| self.blocks[i].plain.replace('\n', " ").trim().to_owned())
    }

    /// Whether field rule `f`'s pattern matches block `i` as one line.
    fn field_hit(&self, i: usize, f: usize) -> bool {
        let text = self.one_line(i);
        self.rules.fields[f]
            .patterns
            .iter()
            .any(|re| re.is_match(text))
    }

    /// Whether rule `r`'s pattern matches block `i`'s trimmed plain text
    /// (exact and prefix rules) or, for exact rules, its trimmed markdown.
    fn pattern_hit(&self, i: usize, r: usize) -> bool {
        let rule = &self.rules.rules[r];
        let b = &self.blocks[i];
        let (plain, raw) = (b.plain.trim(), b.raw.trim());
        rule.patterns.iter().any(|re| re.is_match(plain))
            || (rule.kind == MatchKind::Exact
                && raw != plain
                && rule.patterns.iter().any(|re| re.is_match(raw)))
    }

    fn is_long_prose(&self, i: usize) -> bool {
        *self
            .facts(i)
            .long_prose
            .get_or_init(|| is_long_prose(&self.blocks[i]))
    }

    /// Every line of block `i` is one of rule `r`'s phrases or matches its
    /// pattern (and there is a line).
    fn all_lines_match(&self, r: usize, i: usize) -> bool {
        let rules = self.rules;
        let rule = &rules.rules[r];
        let plain: &str = &self.blocks[i].plain;
        let lines = self.memo[i].lines.get_or_init(|| {
            let base = plain.as_ptr() as usize;
            self.blocks[i]
                .lines()
                .map(|l| {
                    let start = l.as_ptr() as usize - base;
                    (start, start + l.len())
                })
                .collect()
        });
        let mut any = false;
        for line in lines.iter().map(|&(a, b)| &plain[a..b]) {
            any = true;
            let is_phrase = |s: &str| rules.exact_rules(s).is_some_and(|rs| rs.contains(&r));
            // A line of several labels side by side (`超清  流畅`) counts
            // as one of labels.
            let hit = is_phrase(line)
                || rule.patterns.iter().any(|re| re.is_match(line))
                || (line.len() <= 64 && line.contains(' ') && several_phrases(line, is_phrase));
            if !hit {
                return false;
            }
        }
        any
    }

    /// The account describing itself (`火线Zone是…运营的云安全社区`, `关于X`).
    fn is_account_blurb(&self, b: &Block) -> bool {
        let Some(src) = self.source.as_deref().filter(|s| s.chars().count() >= 2) else {
            return false;
        };
        let t = b.plain.trim_start().trim_start_matches(['【', '[', '「']);
        let t = t.strip_prefix(wechat::ABOUT_PREFIX).unwrap_or(t);
        t.starts_with(src) && b.chars <= 300
    }

    fn footer_cue(&self, i: usize) -> bool {
        *self
            .facts(i)
            .footer_cue
            .get_or_init(|| self.footer_cue_of(i))
    }

    fn footer_cue_of(&self, i: usize) -> bool {
        let b = &self.blocks[i];
        if self.is_long_prose(i) {
            return self.is_cue_dense(b) || self.opens_with_cue_label(b);
        }
        self.rules
            .automaton
            .find_overlapping_iter(b.plain.as_ref())
            .any(|m| {
                self.rules.rules[self.rules.automaton_rule[m.pattern().as_usize()]].kind
                    == MatchKind::Footer
            })
    }

    /// A notice headed by a footer cue as its label (`版权声明： 本文系公众号…原创，
    /// 转载…请注明出处…`): long enough to read as prose, but the label says
    /// what it is.
    fn opens_with_cue_label(&self, b: &Block) -> bool {
        let plain = b
            .plain
            .trim_start()
            .trim_start_matches(['*', '_', '【', '[']);
        let Some(colon) = plain.find(['：', ':']) else {
            return false;
        };
        let label = plain[..colon]
            .trim_end()
            .trim_end_matches(['*', '_', '】', ']']);
        !label.is_empty()
            && label.len() <= 18
            && self.rules.automaton.find_overlapping_iter(label).any(|m| {
                m.start() == 0
                    && m.end() == label.len()
                    && self.rules.rules[self.rules.automaton_rule[m.pattern().as_usize()]].kind
                        == MatchKind::Footer
            })
    }

    /// A sign-off written as a sentence of calls to action
    /// (`以上，既然看到这里了，随手点个赞、在看、转发三连吧，也可以给我个星标`):
    /// short, with two different words that only such calls say
    /// (`signoff_cues`). Prose that mentions 关注 or 阅读原文 in passing has
    /// none of them.
    fn is_cue_dense(&self, b: &Block) -> bool {
        if b.chars > 160 {
            return false;
        }
        let plain: &str = b.plain.as_ref();
        let cues = &self.rules.page.signoff_cues;
        cues.iter().filter(|c| plain.contains(c.as_str())).count() >= 2
    }

    /// Head zone: blocks before the first prose; tail zone: after the last.
    fn zones(&self) -> (usize, usize) {
        let n = self.blocks.len();
        let first = (0..n).find(|&i| self.is_prose(i));
        let last = (0..n).rev().find(|&i| self.is_prose(i));
        match (first, last) {
            (Some(f), Some(l)) => (f, l + 1),
            _ => (n, 0),
        }
    }

    fn in_zone(zone: Zone, i: usize, head_end: usize, tail_start: usize, last: usize) -> bool {
        match zone {
            Zone::Anywhere => true,
            Zone::Head => i < head_end,
            Zone::Tail => i >= tail_start,
            Zone::Edge => i < head_end || i >= tail_start,
            Zone::Last => i == last,
        }
    }

    fn apply_rules(&mut self, head_end: usize, tail_start: usize) {
        let last_alive = (0..self.blocks.len())
            .rev()
            .find(|&i| self.alive(i))
            .unwrap_or(0);
        for i in 0..self.blocks.len() {
            if !self.alive(i) || self.blocks[i].kind == Kind::Code {
                continue;
            }
            let edge = i < head_end || i >= tail_start;
            if i >= tail_start && self.found.colophon_author.is_none() {
                self.found.colophon_author = self.colophon_author(i);
            }
            // Field lines: bylines, credits, reprint attributions; and the
            // article's last paragraph, which may be a picture's credit.
            let chars = self.blocks[i].chars;
            if edge
                || chars <= self.rules.page.prose_min_chars
                || (chars <= 80 && self.follows_image(i))
                || i + 1 == tail_start
            {
                if let Some(rule) = self.extract_fields(i, head_end, tail_start, last_alive) {
                    self.kill(i, Family::Field, rule);
                    continue;
                }
            }
            if let Some(r) = self.matching_rule(i, head_end, tail_start, last_alive) {
                let rule = &self.rules.rules[r];
                let (family, take) = (rule.family, rule.take_next);
                self.kill(i, family, RuleId::Pack(r));
                // A backup tool's back link to its list names the account.
                if family == Family::Chrome && i < head_end && self.found.list_account.is_none() {
                    self.found.list_account = fields::back_link_account(self.blocks[i].raw);
                }
                // A label and its value (`关键词` / `操作系统`): the value goes
                // with it when it is short.
                let mut j = i;
                for _ in 0..take {
                    match self.next_alive(j) {
                        Some(k)
                            if self.blocks[k].kind == Kind::Text && self.blocks[k].chars <= 30 =>
                        {
                            self.kill(k, family, RuleId::Pack(r));
                            j = k;
                        }
                        _ => break,
                    }
                }
            }
        }
    }

    /// For a rule with `max_run = N`: its matches that form a longer run
    /// (blocks other rules removed in between do not count), or a run that
    /// follows a block ending on a colon (`我们输出了多篇文章。例如：`), are
    /// the article's own list, and stay.
    fn limit_runs(&mut self) {
        for r in 0..self.rules.rules.len() {
            let max = self.rules.rules[r].max_run;
            if max == 0 {
                continue;
            }
            let id = RuleId::Pack(r);
            let mine = |fate: &Option<Fate>| fate.as_ref().is_some_and(|f| f.rule == id);
            let mut i = 0;
            while i < self.blocks.len() {
                if !mine(&self.fate[i]) {
                    i += 1;
                    continue;
                }
                // The run: this rule's blocks, looking past other removals.
                let mut run = vec![i];
                let mut j = i + 1;
                while j < self.blocks.len() && !self.alive(j) {
                    if mine(&self.fate[j]) {
                        run.push(j);
                    }
                    j += 1;
                }
                let introduced = (0..i)
                    .rev()
                    .find(|&k| self.alive(k))
                    .is_some_and(|k| self.blocks[k].plain.trim_end().ends_with(['：', ':']));
                if run.len() > max || introduced {
                    for &k in &run {
                        self.fate[k] = None;
                    }
                }
                i = j;
            }
        }
    }

    /// For a rule with `fills_gaps = N`: the short blocks between two of its
    /// matches, at most N in a row, go with them. A video player flattened
    /// to text interleaves its labels with a title, counters (`0/0`) and
    /// stray marks that no phrase names; its labels on both sides say what
    /// the blocks between are. A sentence, an image or a longer block in the
    /// gap keeps the whole gap; for a link rule, a block of links it would
    /// take but for a title ending on a full stop is one more item (see
    /// [`is_rule_link`](Self::is_rule_link)). The same holds for the short
    /// blocks between the first of its matches and a promo removal right
    /// before it (the call that opens the list).
    fn fill_gaps(&mut self) {
        // How many blocks link to each target, counted when first asked.
        let targets = OnceCell::new();
        for r in 0..self.rules.rules.len() {
            let n = self.rules.rules[r].fills_gaps;
            if n == 0 {
                continue;
            }
            let (family, id) = (self.rules.rules[r].family, RuleId::Pack(r));
            let ends: Vec<usize> = (0..self.blocks.len())
                .filter(|&i| self.fate[i].as_ref().is_some_and(|f| f.rule == id))
                .collect();
            let filler =
                |cx: &Self, i: usize| cx.is_gap_filler(i) || cx.is_rule_link(r, i, &targets);
            for w in ends.windows(2) {
                let gap: Vec<usize> = (w[0] + 1..w[1]).filter(|&i| self.alive(i)).collect();
                if !gap.is_empty() && gap.len() <= n && gap.iter().all(|&i| filler(self, i)) {
                    for i in gap {
                        self.kill(i, family, id);
                    }
                }
            }
            // The call that opens the run (`🔗 相关链接：`, removed by
            // another promo rule) and the run: the labels between them
            // (`如果你还不了解claude code:`) introduce the list too.
            if let Some(&first) = ends.first() {
                let mut gap = Vec::new();
                let mut k = first;
                while k > 0 && gap.len() <= n {
                    k -= 1;
                    if self.alive(k) {
                        gap.push(k);
                        continue;
                    }
                    let opens = self.fate[k]
                        .as_ref()
                        .is_some_and(|f| f.family == Family::Promo);
                    if opens
                        && !gap.is_empty()
                        && gap.len() <= n
                        && gap.iter().all(|&i| filler(self, i))
                    {
                        for i in gap {
                            self.kill(i, family, id);
                        }
                    }
                    break;
                }
            }
        }
    }

    /// Headings that are the titles of articles the page links to as whole
    /// links (a related-posts list, a recommended read), with the headings
    /// stacked next to them: a clipper that keeps a heading's text but not
    /// its link (`## 尖峰报告：稳定币…`, with the same title linked at the
    /// end) leaves a stack of section titles with no section under them.
    fn related_titles(&mut self) {
        let mut linked = std::collections::HashSet::new();
        for (i, b) in self.blocks.iter().enumerate() {
            if b.kind != Kind::Text
                || !b.raw.contains(wechat::ARTICLE_HOST)
                || !self.is_link_list(i)
            {
                continue;
            }
            for c in LINK_TEXT.captures_iter(b.raw) {
                let t = squash(&c[1]);
                if t.chars().count() >= 6 {
                    linked.insert(t);
                }
            }
        }
        if linked.is_empty() {
            return;
        }
        let alive: Vec<usize> = (0..self.blocks.len()).filter(|&i| self.alive(i)).collect();
        // Runs of headings with nothing between them.
        let mut start = 0;
        while start < alive.len() {
            let mut end = start;
            while end < alive.len() && self.blocks[alive[end]].kind == Kind::Heading {
                end += 1;
            }
            if end == start {
                start += 1;
                continue;
            }
            let run = &alive[start..end];
            // The stack ends at the last title the page links to: a heading
            // after it heads the next section (`## 一、`).
            let last = run
                .iter()
                .rposition(|&i| linked.contains(&squash(&self.blocks[i].plain)));
            // A lone heading over text heads a section, even one that a
            // digest links at its end: only a stack of them is a list.
            if let Some(last) = last.filter(|&l| l >= 1) {
                for &i in &run[..=last] {
                    self.kill_by(i, Family::Promo, CodeRule::RelatedTitle);
                }
            }
            start = end;
        }
    }

    /// A list of other articles' titles with their dates, after the
    /// article: a site's 相关文章 / 热门推荐 column clipped without its
    /// links, `##### 标题` then `2023-06-12 15:45:30`, item after item (the
    /// clipper's blank lines fall inside the items, so a block holds one
    /// item's date and the next one's title). Three or more blocks in a row
    /// in the tail zone (after the last paragraph of prose), each nothing
    /// but heading lines and date lines, with two dates and two headings
    /// among them at least. A timeline in the article has prose between its
    /// dated headings, and stands before its last paragraph. (A title long
    /// enough to read as a sentence keeps the list it ends out of the tail
    /// zone. Taking such lists too was tried: the tail zone of the later
    /// passes, and of dedup's strip after repeated blocks go, then began
    /// earlier, and the account footer took the `本文转载自` line that gives
    /// `reprinted_from` on 10 of the 60k captures' records.)
    fn dated_titles(&mut self, tail_start: usize) {
        // Per block of the tail: (its headings, its dates), when every line
        // is one or the other.
        let shape = |b: &Block| -> Option<(usize, usize)> {
            let (mut headings, mut dates) = (0, 0);
            for line in scour_record::lines(b.raw).map(str::trim) {
                if line.is_empty() {
                    continue;
                }
                if DATE_LINE.is_match(line) {
                    dates += 1;
                } else if crate::inline::heading_mark(line).is_some_and(|m| m < line.len()) {
                    headings += 1;
                } else {
                    return None;
                }
            }
            Some((headings, dates))
        };
        let alive: Vec<usize> = (tail_start..self.blocks.len())
            .filter(|&i| self.alive(i))
            .collect();
        let mut start = 0;
        while start < alive.len() {
            let mut end = start;
            let (mut headings, mut dates) = (0, 0);
            while let Some((h, d)) = alive.get(end).and_then(|&i| shape(&self.blocks[i])) {
                headings += h;
                dates += d;
                end += 1;
            }
            if end - start >= 3 && headings >= 2 && dates >= 2 {
                for &i in &alive[start..end] {
                    self.kill_by(i, Family::Promo, CodeRule::DatedTitles);
                }
            }
            start = end.max(start + 1);
        }
    }

    /// Block `i` is nothing but links to what link rule `r` removes (a
    /// list's item whose title ends on a full stop, which the rule itself
    /// reads as a sentence of the article), each to a page no other block
    /// links to: inside a run the rule removes, it is one more item. (A
    /// page whose paragraphs all link to one article is that article's
    /// text.)
    fn is_rule_link(
        &self,
        r: usize,
        i: usize,
        targets: &OnceCell<HashMap<&'a str, usize>>,
    ) -> bool {
        let rule = &self.rules.rules[r];
        let b = &self.blocks[i];
        if !(rule.kind == MatchKind::LinkLines
            && b.kind == Kind::Text
            && self.is_link_list(i)
            && rule.phrases.iter().any(|p| b.raw.contains(p.as_str())))
        {
            return false;
        }
        let targets = targets.get_or_init(|| {
            let mut count = HashMap::new();
            for b in self.blocks.iter().filter(|b| has_link(b.raw)) {
                for c in LINK_TARGET.captures_iter(b.raw) {
                    *count
                        .entry(c.get(1).map_or("", |m| m.as_str()))
                        .or_default() += 1;
                }
            }
            count
        });
        LINK_TARGET
            .captures_iter(b.raw)
            .all(|c| targets.get(c.get(1).map_or("", |m| m.as_str())) == Some(&1))
    }

    /// A block short enough to be a label, a title or a counter: one line of
    /// text of at most 60 characters, no image, not a finished sentence.
    fn is_gap_filler(&self, i: usize) -> bool {
        let b = &self.blocks[i];
        b.kind == Kind::Text
            && b.images.is_empty()
            && b.chars <= 60
            && !b.plain.contains('\n')
            && !b
                .plain
                .trim_end()
                .ends_with(['。', '！', '？', '.', '!', '?'])
    }

    fn extract_fields(
        &mut self,
        i: usize,
        head_end: usize,
        tail_start: usize,
        last: usize,
    ) -> Option<RuleId> {
        let b = &self.blocks[i];
        let edge = i < head_end || i >= tail_start;
        let text = b.plain.replace('\n', " ");
        let text = text.trim();
        let rules = self.rules;
        for (n, f) in rules.fields.iter().enumerate() {
            if !Self::in_zone(f.zone, i, head_end, tail_start, last) {
                continue;
            }
            if f.max_chars > 0 && b.chars > f.max_chars {
                continue;
            }
            if !self.field_hit(i, n) {
                continue;
            }
            for re in &f.patterns {
                if let Some(c) = re.captures(text) {
                    let value = c.name("value").map_or("", |m| m.as_str()).trim().to_owned();
                    let value = if value.is_empty() {
                        self.next_value(i)
                    } else {
                        Some(value)
                    };
                    if let Some(v) = value {
                        self.found.push(f.field, v);
                        return Some(RuleId::Field(n));
                    }
                }
            }
        }
        // `key | value` credit lines: at the edges; inside the body only short
        // lines of pure credits (an image credit under a picture), never a
        // `来源：` line, which in a digest belongs to its news item.
        if b.chars <= 120 {
            if let Some(pairs) = fields::credit_pairs(self.rules, text) {
                let known = pairs
                    .iter()
                    .all(|(k, _)| self.rules.credit_field.contains_key(k.as_str()));
                let credits_only = pairs.iter().all(|(k, _)| {
                    self.rules.credit_field.get(k.as_str()) == Some(&FieldName::Credits)
                });
                // A picture's credit under it may run longer (`图片来源： MIT
                // 研究新闻 / iStock / 插画作者 Jose-Luis Olivares`).
                let caption_credit = || b.chars <= 80 && self.follows_image(i);
                if known && (edge || (credits_only && (b.chars <= 40 || caption_credit()))) {
                    let mut took_label_only = false;
                    for (k, v) in &pairs {
                        let field = self.rules.credit_field[k.as_str()];
                        let v = if v.is_empty() {
                            took_label_only = true;
                            match self.next_value(i) {
                                Some(v) => v,
                                None => continue,
                            }
                        } else {
                            v.clone()
                        };
                        match field {
                            FieldName::Credits => {
                                self.found.push(field, format!("{k}：{v}"));
                            }
                            _ => self.found.push(field, v),
                        }
                    }
                    if took_label_only {
                        if let Some(j) = self.next_alive(i) {
                            self.kill_by(j, Family::Field, CodeRule::CreditLine);
                        }
                    }
                    return Some(RuleId::Code(CodeRule::CreditLine));
                }
            }
        }
        if edge && self.is_production_line(text) {
            self.found.push(FieldName::Credits, text.to_owned());
            return Some(RuleId::Code(CodeRule::CreditLine));
        }
        if edge || i + 1 == tail_start || self.follows_image(i) {
            if let Some(credit) = picture_credit(text) {
                self.found.push(FieldName::Credits, credit.to_owned());
                return Some(RuleId::Code(CodeRule::CreditLine));
            }
        }
        None
    }

    /// The name between the account and `出品` in a block of the tail that
    /// opens with the account (`槽边往事 和菜头 出品 【微信号】…`): who
    /// makes the account.
    fn colophon_author(&self, i: usize) -> Option<String> {
        if !self.blocks[i].plain.contains("出品") {
            return None;
        }
        // The back link read earlier in this pass may be what names it.
        let source = squash(&self.source.clone().or_else(|| self.found.account())?);
        let text = squash(&self.blocks[i].plain);
        // The colophon opens with the account; `X联合出品` is a joint work.
        let after = text.strip_prefix(&source)?;
        let name = &after[..after.find("出品")?];
        let n = name.chars().count();
        ((2..=4).contains(&n)
            && !["联合", "共同"].iter().any(|w| name.starts_with(w))
            && name.chars().all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)))
        .then(|| name.to_owned())
    }

    /// The account's production credit on its own line: its name, perhaps
    /// a short name more, and the work it did (`智猩猩AI整理`, `X 出品`).
    fn is_production_line(&self, text: &str) -> bool {
        const WORK: [&str; 4] = ["整理", "出品", "编译", "制作"];
        let Some(source) = self.source.as_deref() else {
            return false;
        };
        if !WORK.iter().any(|w| text.contains(w)) || text.chars().count() > 40 {
            return false;
        }
        let squashed = squash(text);
        let Some(rest) = squashed.strip_prefix(&squash(source)) else {
            return false;
        };
        WORK.iter().any(|w| {
            rest.strip_suffix(w)
                .is_some_and(|between| between.chars().count() <= 6)
        })
    }

    /// Block `i` comes right after an image, looking past blocks already
    /// removed (an empty `Caption:` label).
    fn follows_image(&self, i: usize) -> bool {
        (0..i)
            .rev()
            .find(|&k| self.alive(k) || self.blocks[k].kind == Kind::Image)
            .is_some_and(|k| self.blocks[k].kind == Kind::Image)
    }

    fn next_alive(&self, i: usize) -> Option<usize> {
        (i + 1..self.blocks.len()).find(|&j| self.alive(j))
    }

    /// A label on its own (`原文链接`) takes the next block as its value when
    /// that block is a bare URL.
    fn next_value(&self, i: usize) -> Option<String> {
        let j = self.next_alive(i)?;
        let t = self.blocks[j].plain.trim();
        (t.starts_with("http") && !t.contains(char::is_whitespace)).then(|| t.to_owned())
    }

    /// The first pack rule (in pack order) that removes block `i` where it
    /// stands: its text test passes and its zone holds the block (the zones
    /// as given, `last` the last block still alive).
    fn matching_rule(
        &self,
        i: usize,
        head_end: usize,
        tail_start: usize,
        last: usize,
    ) -> Option<usize> {
        let in_zone =
            |r: usize| Self::in_zone(self.rules.rules[r].zone, i, head_end, tail_start, last);
        if self.blocks[i].kind == Kind::Image {
            return self.image_rule(i, in_zone);
        }
        // The earliest rule whose phrase the block holds, in its zone; then
        // the pattern tests of the rules before it whose zone holds the
        // block, in order, as far as one passes. A test's answer is kept for
        // the strip's later passes (`seen.rs`).
        let facts = self.facts(i);
        let by_phrase = facts
            .phrase_hits
            .get_or_init(|| self.phrase_hits(i))
            .iter()
            .copied()
            .find(|&r| in_zone(r));
        let bound = by_phrase.unwrap_or(self.rules.rules.len());
        let rules = self.rules;
        // The rules of the zones that hold the block.
        let here = Zone::ALL
            .into_iter()
            .filter(|&z| Self::in_zone(z, i, head_end, tail_start, last))
            .fold(RuleSet::default(), |set, z| set | rules.by_zone[z as usize]);
        let hits = *facts.literal_hits.get_or_init(|| {
            let b = &self.blocks[i];
            let (plain, raw) = (b.plain.trim(), b.raw.trim());
            if plain == raw {
                rules.literal_hits(b.chars, &[raw])
            } else {
                rules.literal_hits(b.chars, &[plain, raw])
            }
        });
        let asked = hits & here & RuleSet::below(bound);
        let mut tests = facts.tests.borrow_mut();
        tests
            .first_passing(asked, |r| self.pattern_test(i, r))
            .or_else(|| (RuleSet::CAP..bound).find(|&r| in_zone(r) && self.pattern_test(i, r)))
            .or(by_phrase)
    }

    /// [`matching_rule`](Self::matching_rule) for a block of images: the
    /// rules read their alts and URLs.
    fn image_rule(&self, i: usize, in_zone: impl Fn(usize) -> bool) -> Option<usize> {
        let b = &self.blocks[i];
        let rules = self.rules;
        let ok = |r: usize| {
            let max = rules.rules[r].max_chars;
            in_zone(r) && (max == 0 || b.chars <= max)
        };
        let says_nothing = |rule: &Rule, alt: &str| {
            alt.is_empty()
                || rule.phrases.iter().any(|p| p == alt)
                || rule.patterns.iter().any(|re| re.is_match(alt))
        };
        let first = rules.rules.iter().enumerate().position(|(r, rule)| {
            let hit = match rule.kind {
                MatchKind::ImageAlt => b.images.iter().all(|(alt, _)| says_nothing(rule, alt)),
                MatchKind::ImageUrl => b.images.iter().all(|(_, src)| {
                    src.is_empty()
                        || rule.phrases.iter().any(|p| src.contains(p.as_str()))
                        || rule.patterns.iter().any(|re| re.is_match(src))
                }),
                _ => false,
            };
            hit && ok(r)
        });
        if first.is_some() || b.images.len() < 2 {
            return first;
        }
        // Images side by side whose alts say nothing each by a different
        // rule (`![Image](a) ![环绕logo.gif](b)`): the first such rule.
        let alt_rules = || {
            rules
                .rules
                .iter()
                .enumerate()
                .filter(|&(r, rule)| rule.kind == MatchKind::ImageAlt && ok(r))
        };
        if !b
            .images
            .iter()
            .all(|(alt, _)| alt_rules().any(|(_, rule)| says_nothing(rule, alt)))
        {
            return None;
        }
        b.images
            .iter()
            .find(|(alt, _)| !alt.is_empty())
            .and_then(|(alt, _)| alt_rules().find(|(_, rule)| says_nothing(rule, alt)))
            .map(|(r, _)| r)
    }

    /// Whether block `i` (not an image block) fits rule `r`'s `max_chars`.
    fn fits(&self, i: usize, r: usize) -> bool {
        let max = self.rules.rules[r].max_chars;
        max == 0 || self.blocks[i].chars <= max
    }

    /// The pack rules whose phrase block `i` (not an image block) is or
    /// holds, in pack order (see [`TextFacts::phrase_hits`]).
    fn phrase_hits(&self, i: usize) -> Box<[usize]> {
        let b = &self.blocks[i];
        let rules = self.rules;
        let mut hits = Vec::new();
        // A short text set beside decorative images (`![](x.gif) 口号`).
        if !b.images.is_empty() {
            for (r, rule) in rules.rules.iter().enumerate() {
                if rule.kind == MatchKind::ImageUrl
                    && rule.max_chars > 0
                    && self.fits(i, r)
                    && b.images
                        .iter()
                        .all(|(_, src)| rule.phrases.iter().any(|p| src.contains(p.as_str())))
                {
                    hits.push(r);
                }
            }
        }
        // Exact and line rules, by hash lookup.
        let plain = b.plain.trim();
        if let Some(rs) = rules.exact_rules(plain) {
            for &r in rs {
                if matches!(rules.rules[r].kind, MatchKind::Exact | MatchKind::Lines)
                    && self.fits(i, r)
                {
                    hits.push(r);
                }
            }
        }
        // A long paragraph is never removed for a cue word it contains, so
        // only the phrases it starts with can count: they lie within its
        // first bytes.
        let long = self.is_long_prose(i);
        let haystack = if long {
            let mut cut = plain.len().min(rules.prefix_phrase_len);
            while !plain.is_char_boundary(cut) {
                cut += 1;
            }
            &plain[..cut]
        } else {
            plain
        };
        for m in rules.automaton.find_overlapping_iter(haystack) {
            let r = rules.automaton_rule[m.pattern().as_usize()];
            let hit = match rules.rules[r].kind {
                MatchKind::Prefix => m.start() == 0,
                MatchKind::Contains => !long,
                _ => false,
            };
            if hit && self.fits(i, r) {
                hits.push(r);
            }
        }
        hits.sort_unstable();
        hits.dedup();
        hits.into_boxed_slice()
    }

    /// Whether block `i` (not an image block) passes rule `r`'s pattern
    /// test (see [`TextFacts::tests`]).
    fn pattern_test(&self, i: usize, r: usize) -> bool {
        let rule = &self.rules.rules[r];
        let b = &self.blocks[i];
        rule.has_test()
            && self.fits(i, r)
            && match rule.kind {
                MatchKind::LinkLines => all_lines_links(rule, b.raw),
                MatchKind::Lines => self.all_lines_match(r, i),
                MatchKind::Exact | MatchKind::Prefix => self.pattern_hit(i, r),
                MatchKind::Contains => rule.patterns.iter().any(|re| re.is_match(b.plain.trim())),
                _ => false,
            }
    }

    /// In the tail zone, the first footer cue and everything after it; a bold
    /// tagline or image right before the cue belongs to the footer too.
    fn footer(&mut self, tail_start: usize) {
        let n = self.blocks.len();
        let promo_or_alive = |i: usize| match &self.fate[i] {
            None => true,
            Some(f) => f.family == Family::Promo,
        };
        let is_start = |i: usize| {
            promo_or_alive(i)
                && (self.footer_cue(i) || (self.alive(i) && self.is_account_blurb(&self.blocks[i])))
        };
        // The footer starts at the earliest cue after which at most one short
        // paragraph of prose is left (a video caption, a blurb): the tail zone
        // itself ends at the last prose, which such a caption would hide.
        let first_prose = (0..n).find(|&i| self.is_prose(i)).unwrap_or(n);
        let mut start = None;
        let mut prose_after = 0usize;
        let mut prose_blocks = 0usize;
        for i in (first_prose.min(tail_start)..n).rev() {
            let little_prose_after = prose_blocks <= 1 && prose_after <= 120;
            if is_start(i) && (i >= tail_start || little_prose_after) {
                start = Some(i);
            }
            if self.is_prose(i) {
                prose_blocks += 1;
                prose_after += self.blocks[i].chars;
                if i < tail_start && (prose_blocks > 1 || prose_after > 120) {
                    break;
                }
            }
        }
        let end_mark = self.end_mark();
        let Some(start) = start.into_iter().chain(end_mark).min() else {
            return;
        };
        // Before an end mark in the body, only a tagline calling to the
        // footer (`**更多精彩，请点击关注：**`) belongs to it.
        let at_end_mark = end_mark == Some(start) && start < tail_start;
        let rule = self
            .rules
            .rules
            .iter()
            .position(|r| r.kind == MatchKind::Footer)
            .map_or(RuleId::Code(CodeRule::Footer), RuleId::Pack);
        let mut from = start;
        while from > 0 {
            let p = from - 1;
            let in_tail = p >= tail_start;
            if !self.alive(p) {
                // Already removed (an image, a label): look past it.
                if !(in_tail || at_end_mark)
                    || self.fate[p]
                        .as_ref()
                        .is_some_and(|f| f.family == Family::Field)
                {
                    break;
                }
                from = p;
                continue;
            }
            let b = &self.blocks[p];
            let tagline = b.kind == Kind::Text
                && b.chars < self.rules.page.prose_min_chars
                && (is_all_bold(b.raw)
                    || is_bracketed(&b.plain)
                    || b.plain.starts_with(wechat::ABOUT_PREFIX));
            let joins = if in_tail {
                b.kind == Kind::Image || b.kind == Kind::Heading || tagline
            } else {
                at_end_mark && tagline
            };
            if joins {
                from = p;
            } else {
                if self.url_line_after_separator(p) {
                    from = p;
                }
                break;
            }
        }
        for i in from..n {
            self.kill(i, Family::Promo, rule);
        }
        self.promo_behind_read_more(start, rule);
        self.note_before_footer(from);
    }

    /// A line announcing an address (`经叔最近做了一个网站: https://…`) between
    /// the article's closing separator (`---`) and the footer: what the
    /// footer goes on to sell. Short, one line, a label ending in a colon,
    /// then a bare URL and nothing after it.
    fn url_line_after_separator(&self, p: usize) -> bool {
        let b = &self.blocks[p];
        if b.kind != Kind::Text || b.chars > 60 || p == 0 {
            return false;
        }
        let line = b.plain.trim();
        let Some(at) = line.find("https://").or_else(|| line.find("http://")) else {
            return false;
        };
        let (label, url) = line.split_at(at);
        let label = label.trim_end();
        let is_label = label.ends_with([':', '：']) && label.chars().count() >= 3;
        let bare = !url.contains(char::is_whitespace) && !url.contains(['[', ']', '(', ')']);
        let separator_before = (0..p).rev().find(|&k| self.alive(k)).is_some_and(|k| {
            self.blocks[k].kind == Kind::Text && self.blocks[k].plain.trim().is_empty()
        });
        is_label && bare && !line.contains('\n') && separator_before
    }

    /// A product promo behind 阅读原文: the footer opens with a short call to
    /// read the original (`点击阅读原文查看详情。`), and between it and a
    /// separator (`****`, `---`) stand at most three short blocks, a heading
    /// and its blurb. The call points at them, not at the article.
    fn promo_behind_read_more(&mut self, start: usize, rule: RuleId) {
        let call = &self.blocks[start];
        if call.chars > 30 || !call.plain.contains("阅读原文") {
            return;
        }
        let mut section = Vec::new();
        let mut chars = 0;
        for k in (0..start).rev() {
            if !self.alive(k) {
                continue;
            }
            let b = &self.blocks[k];
            if b.kind == Kind::Text && b.plain.trim().is_empty() {
                // The separator: the section is the promo.
                if !section.is_empty() && k > 0 {
                    for i in section {
                        self.kill(i, Family::Promo, rule);
                    }
                }
                return;
            }
            chars += b.chars;
            if section.len() == 3 || chars > 300 || !matches!(b.kind, Kind::Text | Kind::Heading) {
                return;
            }
            section.push(k);
        }
    }

    /// The short note right before the footer (images between aside) that
    /// a tail rule would remove (`本文为…栏目读者投稿文章。欢迎大家踊跃投稿。`):
    /// a sentence long enough to count as prose moved the tail zone past it,
    /// but it speaks for the account, as the footer after it does.
    fn note_before_footer(&mut self, from: usize) {
        let Some(p) = (0..from)
            .rev()
            .find(|&k| self.alive(k) || self.blocks[k].kind != Kind::Image)
        else {
            return;
        };
        let b = &self.blocks[p];
        if !self.alive(p) || b.kind != Kind::Text || b.chars > 60 || p == 0 {
            return;
        }
        let last = self.blocks.len() - 1;
        let Some(r) = self.matching_rule(p, 0, p, last) else {
            return;
        };
        let rule = &self.rules.rules[r];
        // A word met inside a sentence (`…应对虚假星标问题的措施`) is the
        // article's: a contains rule counts only where a clause opens
        // with its phrase (`欢迎将我星标`, `本文为…`).
        let opens_clause = || {
            b.plain
                .split(['。', '！', '？', '，', ',', '!', '?', '\n'])
                .map(|c| {
                    let c = c.trim_start_matches(['*', '_', ' ', '\\']);
                    c.char_indices().nth(8).map_or(c, |(k, _)| &c[..k])
                })
                .any(|head| rule.phrases.iter().any(|ph| head.contains(ph.as_str())))
        };
        if rule.family == Family::Promo && (rule.kind != MatchKind::Contains || opens_clause()) {
            self.kill(p, Family::Promo, RuleId::Pack(r));
        }
    }

    /// The first block an `ends_article` rule removed (`END`) with less
    /// prose after it than before it: where the article ends, whatever
    /// the account prints after it (a disclaimer in numbered paragraphs
    /// reads as prose, and would otherwise hide the footer).
    fn end_mark(&self) -> Option<usize> {
        let ends = |i: usize| {
            self.fate[i].as_ref().is_some_and(|f| match f.rule {
                RuleId::Pack(r) => self.rules.rules[r].ends_article,
                RuleId::Field(_) | RuleId::Code(_) => false,
            })
        };
        let prose_chars = |range: std::ops::Range<usize>| -> usize {
            range
                .filter(|&i| self.is_prose(i))
                .map(|i| self.blocks[i].chars)
                .sum()
        };
        let n = self.blocks.len();
        (0..n)
            .filter(|&i| ends(i))
            .find(|&i| prose_chars(i + 1..n) < prose_chars(0..i))
    }

    /// The archive's cut marks on the last surviving block.
    fn truncation(&mut self, head_end: usize, tail_start: usize) {
        let Some(last) = (0..self.blocks.len()).rev().find(|&i| self.alive(i)) else {
            return;
        };
        let b = &self.blocks[last];
        let raw: &'a str = b.raw.trim_end();
        // A trailing `...` glued to the last sentence: trim it, keep the text.
        // In a heading and in code too (issue 15: the clean text holds them
        // as plain text, where a second pass read the mark as a sentence's
        // and trimmed it then; 239 of the bench captures' records changed
        // so). Code when the archiver cut the page inside it: the fence is
        // never closed, so the block's last bytes are the mark.
        if b.kind != Kind::Image && (raw.ends_with("...") || raw.ends_with('…')) && b.chars > 3 {
            let trimmed = raw.trim_end_matches(['.', '…']).trim_end();
            let trimmed = trimmed.trim_end_matches(['(', '（']).trim_end();
            if !trimmed.is_empty() {
                let cut = raw[trimmed.len()..].to_owned();
                self.blocks[last] = Block::new(trimmed);
                // What was worked out of the block before is of its old text.
                self.memo[last] = Memo::default();
                self.facts[last] = OnceCell::new();
                self.prose_shape[last] = std::cell::OnceCell::new();
                self.found.truncations.push(cut);
                // What is left is the last block as a second pass reads
                // it: the pack's rules see it as they would then (a cut-off
                // image `![](https://…` before the mark, a promo line).
                if self.blocks[last].kind != Kind::Code {
                    if let Some(r) = self.matching_rule(last, head_end, tail_start, last) {
                        self.kill(last, self.rules.rules[r].family, RuleId::Pack(r));
                    }
                }
            }
        }
    }

    /// Writes the body back: the kept blocks' plain views (or markdown with
    /// `--markdown`), and every removed block into `removed`. `markdown`:
    /// the body was read as markdown (list bullets are its markup).
    fn render(&mut self, doc: &mut Doc, opts: &Options, markdown: bool) {
        let keep_alt = |alt: &str| {
            !self.rules.exact_rules(alt).is_some_and(|rs| {
                rs.iter()
                    .any(|&r| self.rules.rules[r].kind == MatchKind::ImageAlt)
            })
        };
        let mut out = String::new();
        let mut images = std::mem::take(&mut doc.images);
        for (i, b) in self.blocks.iter().enumerate() {
            if let Some(f) = &self.fate[i] {
                doc.record_removal(f.family, f.rule.name(self.rules), b.raw.trim());
            } else {
                for &(alt, src) in &b.images {
                    if !src.is_empty() && keep_alt(alt) && !images.iter().any(|i| i == src) {
                        images.push(src.to_owned());
                    }
                }
                let text: Cow<'_, str> = if opts.markdown {
                    Cow::Borrowed(b.raw.trim())
                } else if b.kind == Kind::Code {
                    code_as_plain(&b.plain)
                } else if b.images.is_empty() {
                    // Without images the plain view is the rendering.
                    Cow::Borrowed(b.plain.as_ref())
                } else {
                    block::to_plain_with(b.raw, &keep_alt)
                };
                // Rules read a list item with its bullet (`- `), which
                // tells a list from prose; the plain text drops it as the
                // markup it is (POLICY: syntax out, as emphasis and links).
                let text = if markdown && !opts.markdown && b.kind == Kind::Text {
                    match block::without_bullets(&text) {
                        Cow::Owned(o) => Cow::Owned(o),
                        Cow::Borrowed(_) => text,
                    }
                } else {
                    text
                };
                if text.trim().is_empty() {
                    // Markup with no text (`---`, an empty table row).
                    if b.images.is_empty() {
                        doc.record_removal(
                            Family::Chrome,
                            CodeRule::MarkupOnly.as_str(),
                            b.raw.trim(),
                        );
                    }
                } else {
                    if !out.is_empty() {
                        out.push_str("\n\n");
                    }
                    out.push_str(&text);
                }
            }
        }
        for t in self.found.truncations.drain(..) {
            doc.record_removal(Family::Truncation, CodeRule::ArchiveCut.as_str(), &t);
        }
        doc.images = images;
        doc.text = out;
        std::mem::take(&mut self.found).apply(doc);
    }
}

/// Fenced code as plain text: its lines without trailing whitespace, no
/// blank line at either end and never two in a row. Plain text is blocks
/// between single blank lines, so that is how a second pass reads it back
/// (issue 15: `5003\n\n\n### Options` inside code came back as
/// `5003\n\n### Options`, a line of spaces as an empty line).
fn code_as_plain(code: &str) -> Cow<'_, str> {
    let trimmed = code.trim_matches('\n');
    let clean = trimmed.len() == code.len()
        && !code.contains("\n\n\n")
        && scour_record::split_lines(code).all(|l| l.trim_end().len() == l.len());
    if clean {
        return Cow::Borrowed(code);
    }
    let mut out = String::with_capacity(code.len());
    let mut blank = false;
    for line in scour_record::split_lines(code).map(str::trim_end) {
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        blank = false;
        out.push_str(line);
    }
    Cow::Owned(out)
}

/// A line that is one markdown link, a list bullet allowed.
/// A markdown link's target.
static LINK_TARGET: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"\]\(([^)\s]+)").unwrap());

/// A line that is a date, with a time of day or not (`2023-06-12
/// 15:45:30`, `2024/7/16`, `2023年3月7日 10:30`).
static DATE_LINE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$",
    )
    .unwrap()
});

/// A markdown link's shown text.
static LINK_TEXT: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"\[([^\]]+)\]\(").unwrap());

static LINK_LINE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"^(?:[*+\-•·]\s*)?\[([^\]]*)\]\(([^)\s]+)[^)]*\)\s*$").unwrap()
});

/// Every line is a link (a bullet allowed) whose target contains a phrase
/// or matches a pattern.
fn all_lines_links(rule: &Rule, raw: &str) -> bool {
    // Most blocks hold no link at all: skip the regex for them.
    if !has_link(raw) {
        return false;
    }
    let mut any = false;
    // Emphasis around a link (`**[标题](u)`, a stray `**` line) is not text.
    let lines = scour_record::lines(raw).map(|l| l.trim().trim_matches(['*', '_']).trim());
    for line in lines.filter(|l| !l.is_empty()) {
        let Some(c) = LINK_LINE.captures(line) else {
            return false;
        };
        // A link that shows its own URL cites a source (a digest's item
        // naming where it came from); a recommendation shows a title.
        let shown = c[1].trim_start_matches(['*', '_', ' ', '\\']);
        if shown.starts_with("http://") || shown.starts_with("https://") {
            return false;
        }
        // A sentence of the article linked to an earlier one (`那件事不可避
        // 免。`) is the article's: a title is short and ends on no full stop.
        let shown = shown.trim_end_matches(['*', '_', ' ']);
        if shown.ends_with('。') || shown.chars().count() > 64 {
            return false;
        }
        let url = &c[2];
        if !(rule.phrases.iter().any(|p| url.contains(p.as_str()))
            || rule.patterns.iter().any(|re| re.is_match(url)))
        {
            return false;
        }
        any = true;
    }
    any
}

/// Two or more words, each a phrase (`超清  流畅`).
fn several_phrases(line: &str, is_phrase: impl Fn(&str) -> bool) -> bool {
    let mut words = line.split_whitespace();
    words.next().is_some_and(&is_phrase) && {
        let mut rest = words.peekable();
        rest.peek().is_some() && rest.all(&is_phrase)
    }
}

/// A block of one line that starts as an image (`![Image](data:image/svg+xml,
/// … width='1px' …)`) but that the reader could not take as one.
fn is_broken_image(raw: &str) -> bool {
    let t = raw.trim();
    !t.contains('\n') && (t.starts_with("![") || t.starts_with("[!["))
}

/// The markdown holds a link (`](`), found with `memchr`'s substring
/// search, built once (the standard library's walks a two-byte needle byte
/// by byte).
fn has_link(raw: &str) -> bool {
    static LINK: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"]("));
    LINK.find(raw.as_bytes()).is_some()
}

/// Every line is a markdown link (a list of links, not prose).
fn is_link_list(raw: &str) -> bool {
    // Every line holds a link: most blocks hold none.
    if !has_link(raw) {
        return false;
    }
    let mut lines = scour_record::lines(raw)
        // Emphasis around the links (`**[标题](u)`, a stray `**` line) is not text.
        .map(|l| without_broken_image(l.trim().trim_matches(['*', '_'])).trim())
        .filter(|l| !l.is_empty())
        .peekable();
    lines.peek().is_some() && lines.all(|l| LINKS_LINE.is_match(l))
}

/// A line cut short inside an image (an inline SVG's URL, cut at its
/// first space: `[标题](u) [![Image](https://…svg'%20xmlns…`), without
/// that unfinished image.
fn without_broken_image(line: &str) -> &str {
    let Some(at) = line.rfind("![") else {
        return line;
    };
    let unfinished = line[at..]
        .find("](")
        .is_some_and(|p| !line[at + p..].contains(')'));
    if !unfinished {
        return line;
    }
    let head = line[..at].trim_end();
    head.strip_suffix('[').unwrap_or(head).trim_end()
}

/// A line of one or more links side by side (`[《A》](u)[《B》](v)`), a
/// bullet, images, linked images (`[![](src)](href)`) and separators
/// between them allowed; a URL may hold parentheses one level deep (an
/// inline SVG's `translate(-249,-126)`).
static LINKS_LINE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"^(?:[*+\-•·]\s*)?(?:!?\[(?:[^\]\[]|!\[[^\]]*\]\((?:[^()]|\([^()]*\))*\))*\]\((?:[^()\s]|\([^()]*\))(?:[^()]|\([^()]*\))*\)[\s·|｜、,，/]*)+$",
    )
    .unwrap()
});

/// The column a title names after its last `｜` (`…提升6倍｜MIT创新雷达` →
/// `MIT创新雷达`), squashed: 2 to 16 characters, with a title before it.
fn column_of(title: &str) -> Option<String> {
    let (head, column) = title.rsplit_once(['｜', '|'])?;
    let column = squash(column);
    let n = column.chars().count();
    (!squash(head).is_empty() && (2..=16).contains(&n)).then_some(column)
}

/// A picture's credit: a label for the title picture or an illustration
/// (`题图标题：`, `配图：`, `封面图来源：`) opening the block, then its
/// credits (`创作者：… AI算法提供：…`). An AI picture's prompt after them
/// (`Prompt：…`, `提示词：…`) is markup for a tool, not a credit, and is left
/// out of the value.
fn picture_credit(text: &str) -> Option<&str> {
    const KEYS: [&str; 5] = ["题图", "头图", "封面图", "配图", "插图"];
    let key = KEYS.iter().find(|k| text.starts_with(*k))?;
    let label = text[key.len()..].split([':', '：']).next()?;
    if label.chars().count() > 4 || label.len() == text.len() - key.len() {
        return None;
    }
    let end = ["Prompt", "prompt", "提示词"]
        .iter()
        .filter_map(|p| text.find(p))
        .min()
        .unwrap_or(text.len());
    let credit = text[..end].trim();
    (credit.chars().count() <= 120).then_some(credit)
}

/// Whitespace and markdown-free, for comparing titles and names.
pub(crate) fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    out.extend(squashed_chars(s));
    out
}

/// The characters [`squash`] keeps.
fn squashed_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '_' | '#' | '`'))
}

/// `squash(s) == squashed`, without writing `squash(s)` out: most blocks
/// differ from a title at their first character.
fn squashes_to(s: &str, squashed: &str) -> bool {
    squashed_chars(s).eq(squashed.chars())
}

/// A heading that is the title edited after publication: most characters shared.
fn similar_title(a: &str, b: &str) -> bool {
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la < 6 || lb < 6 {
        return false;
    }
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
        + a.chars()
            .rev()
            .zip(b.chars().rev())
            .take_while(|(x, y)| x == y)
            .count();
    common * 10 >= la.max(lb) * 8
}

/// A line of the page header: short, one line, no sentence punctuation.
fn is_meta_line(b: &Block) -> bool {
    b.chars <= 24
        && !b.plain.contains('\n')
        && !b
            .plain
            .contains(['。', '，', '：', ':', '！', '？', '|', '｜', '、', '；'])
        && !b.raw.trim_start().starts_with("**")
        && !has_link(b.raw)
}

/// Characters of a line that are not a URL: `代码卫士试用地址：https://…` has
/// nine, a list of links has none of its own.
fn own_text_chars(line: &str) -> usize {
    static URL: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"(?:https?|hxxps?)://\S+").unwrap());
    static SCHEME: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"://"));
    let total = line.chars().count();
    if SCHEME.find(line.as_bytes()).is_none() {
        return total;
    }
    total
        - URL
            .find_iter(line)
            .map(|m| m.as_str().chars().count())
            .sum::<usize>()
}

/// A paragraph long enough that no cue word inside it makes it residue.
fn is_long_prose(b: &Block) -> bool {
    b.kind == Kind::Text
        && b.lines().any(|l| {
            // Characters are at most bytes: a short line is never long prose.
            l.len() >= LONG_PROSE_CHARS && own_text_chars(l) >= LONG_PROSE_CHARS && has_sentences(l)
        })
}

/// See [`is_long_prose`]: the length of the shortest paragraph that is safe
/// from promo cues. Account footers and copyright lines are shorter.
const LONG_PROSE_CHARS: usize = 60;

/// Words enough to be running text: a dozen Han characters or six Latin
/// words (a contact line of handles and addresses has neither).
///
/// One pass, which stops at whichever count is reached first: a paragraph
/// of English has its six words within its first sentence, where counting
/// Han characters first read all of it (1.4 % of a web run's time).
fn has_sentences(line: &str) -> bool {
    let (mut han, mut words, mut letters) = (0, 0, 0);
    for c in line.chars() {
        if c.is_ascii_alphabetic() {
            letters += 1;
            continue;
        }
        if letters >= 2 {
            words += 1;
            if words == 6 {
                return true;
            }
        }
        letters = 0;
        if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
            han += 1;
            if han == 12 {
                return true;
            }
        }
    }
    words + usize::from(letters >= 2) >= 6
}

/// A 【…】 label line.
fn is_bracketed(plain: &str) -> bool {
    let t = plain.trim();
    t.starts_with('【') && t.ends_with('】')
}

fn is_all_bold(raw: &str) -> bool {
    let t = raw.trim();
    t.starts_with("**") && t.ends_with("**") || t.starts_with("__") && t.ends_with("__")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One pass of the rules (the crate's `strip` repeats it to a fixpoint).
    fn strip(doc: Doc, rules: &Rules, opts: &Options) -> Doc {
        strip_pass(doc, rules, opts, false, &Seen::default())
    }

    const PROSE: &str = "当前，全球人工智能技术正处于飞速发展期，尤其是自2023年以来，以生成式大模型为代表的新一代人工智能技术正在快速迭代。";
    const PROSE2: &str = "从长远来看，人工智能技术的出现及其表现出来的巨大潜力，将使人类社会产生深刻变革，也将给人类社会带来重大的历史转型。";

    fn run(text: &str) -> Doc {
        let doc = Doc {
            text: text.to_owned(),
            text_format: Some("markdown".into()),
            title: Some("标题在此".into()),
            source: Some("中国信息安全".into()),
            ..Doc::default()
        };
        strip(doc, &Rules::wechat(), &Options::default())
    }

    /// A whole-block link titled `title` to the account's article `mid`.
    fn mp_link(title: &str, mid: u32) -> String {
        format!("[{title}](https://mp.weixin.qq.com/s?__biz=MzYz&mid={mid}&idx=1&scene=21#wechat_redirect)")
    }

    fn rules_removed(d: &Doc) -> Vec<(&str, &str)> {
        d.removed
            .iter()
            .map(|r| (r.rule.as_str(), r.text.as_str()))
            .collect()
    }

    #[test]
    fn a_related_list_takes_its_labels_and_items_whatever_their_titles_end_on() {
        let body = format!(
            "{PROSE}\n\n{PROSE2}\n\n🔗 相关链接：\n\n如果你还不了解claude code:\n\n{}\n\n效率工具：\n\n{}\n\n{}",
            mp_link("Claude Code 零基础指南：不会写代码也能做开发", 1),
            mp_link("CC Hooks：再也不用盯着屏幕等 AI 干活了，完成后主动通知。", 2),
            mp_link("从70分钟到9分钟：微信公众号自动化Skills", 3),
        );
        let d = run(&body);
        assert_eq!(d.text, format!("{PROSE}\n\n{PROSE2}"));
        let rules: Vec<&str> = rules_removed(&d).iter().map(|(r, _)| *r).collect();
        assert_eq!(
            rules,
            [
                "wechat/cta-follow",
                "wechat/related-articles",
                "wechat/related-articles",
                "wechat/related-articles",
                "wechat/related-articles",
                "wechat/related-articles"
            ]
        );
    }

    #[test]
    fn paragraphs_linked_to_one_article_are_not_list_items() {
        // A clipping whose every paragraph links to the same article: the
        // sentences between two titles the rule takes are the article's.
        let body = format!(
            "{PROSE}\n\n{PROSE2}\n\n{}\n\n{}\n\n{}",
            mp_link("你见没见过，超市排队领鸡蛋的队伍里有哪个CEO？", 7),
            mp_link("因为大多数人就没有钓鱼的经验，他们只有排队的经验。", 7),
            mp_link("商人这个小圈子内部，成天聊的是什么？", 7),
        );
        let d = run(&body);
        assert!(
            d.text
                .contains("因为大多数人就没有钓鱼的经验，他们只有排队的经验。"),
            "{}",
            d.text
        );
    }

    #[test]
    fn a_stack_of_headings_titled_as_linked_articles_is_a_related_list() {
        let linked = mp_link("尖峰报告：稳定币到底是一场怎样的财富大转移？", 9);
        let body = format!(
            "{PROSE}\n\n## “黑天鹅”之父：我们今日所处的世界\n\n## 尖峰报告：稳定币到底是一场怎样的财富大转移？\n\n## 一、\n\n## 制度的本质\n\n{PROSE2}\n\n## 尖峰报告：AI与区块链的末日预言\n\n{PROSE}\n\n推荐阅读\n\n{linked}"
        );
        let d = run(&body);
        assert_eq!(
            rules_removed(&d)[..2],
            [
                ("related-title", "## “黑天鹅”之父：我们今日所处的世界"),
                (
                    "related-title",
                    "## 尖峰报告：稳定币到底是一场怎样的财富大转移？"
                ),
            ]
        );
        // The section headings after the stack stay, and so does a lone
        // heading over text, linked or not.
        assert!(d.text.contains("一、\n\n制度的本质\n\n"), "{}", d.text);
        assert!(
            d.text.contains("尖峰报告：AI与区块链的末日预言"),
            "{}",
            d.text
        );
        assert!(!d.text.contains("黑天鹅"));
    }

    #[test]
    fn a_lone_heading_that_a_digest_links_stays() {
        let body = format!(
            "{PROSE}\n\n## 尖峰报告：稳定币到底是一场怎样的财富大转移？\n\n{PROSE2}\n\n{}",
            mp_link("尖峰报告：稳定币到底是一场怎样的财富大转移？", 9)
        );
        let d = run(&body);
        assert!(
            d.text
                .contains("尖峰报告：稳定币到底是一场怎样的财富大转移？\n\n"),
            "{}",
            d.text
        );
        assert!(d.removed.iter().all(|r| r.rule != "related-title"));
    }

    #[test]
    fn production_colophon_and_picture_credits() {
        // The account's production line at the top, a picture credit with
        // an AI prompt closing the article, the colophon naming the maker.
        let body = format!(
            "中国信息安全整理\n\n{PROSE}\n\n{PROSE2}\n\n题图标题：《火云邪神》 创作者：某某的小肉手 AI算法提供：Midjourney V6.1 Prompt： A cool red-crowned crane wearing yellow-rimmed sunglasses --ar 3:4\n\n**中国信息安全****和菜头出品******【微信号】****Bitsea******个人转载内容至朋友圈和群聊天，无需特别申请版权许可。**"
        );
        let d = run(&body);
        assert_eq!(d.text, format!("{PROSE}\n\n{PROSE2}"));
        assert_eq!(
            d.credits,
            [
                "中国信息安全整理",
                "题图标题：《火云邪神》 创作者：某某的小肉手 AI算法提供：Midjourney V6.1"
            ]
        );
        assert_eq!(d.author.as_deref(), Some("和菜头"));
        // A joint production names no author; a sentence is not a credit.
        let d = run(&format!(
            "{PROSE}\n\n中国信息安全联合出品\n\n本期周报由甲&中国信息安全联合出品！"
        ));
        assert_eq!(d.author, None);
        let d = run(&format!(
            "{PROSE}\n\n题图里的那只鹤，是我在去年冬天拍下的，一直舍不得删掉。"
        ));
        assert!(d.text.contains("题图里的那只鹤"), "{}", d.text);
        assert!(d.credits.is_empty());
    }

    #[test]
    fn the_accounts_note_before_its_footer_goes_a_sentence_stays() {
        let footer = "![](https://mmbiz.qpic.cn/a.gif)\n\n**投稿邮箱**\n\nletter@example.com";
        let d = run(&format!(
            "{PROSE}\n\n{PROSE2}\n\n本文为《某周刊》“生活圆桌”栏目读者投稿文章。欢迎大家踊跃投稿。\n\n{footer}"
        ));
        assert_eq!(d.text, format!("{PROSE}\n\n{PROSE2}"));
        let last = "外媒已联系GitHub以了解其更多应对虚假星标问题的措施，但截至目前尚未回复。";
        let d = run(&format!("{PROSE}\n\n{PROSE2}\n\n{last}\n\n{footer}"));
        assert_eq!(d.text, format!("{PROSE}\n\n{PROSE2}\n\n{last}"));
    }

    #[test]
    fn a_promo_behind_read_more_goes_an_epilogue_stays() {
        let ad = "### 低成本、高性能的湖仓一体化架构\n\n湖仓一体架构融合了数据湖的低成本、高扩展性，以及数据仓库的高性能。";
        let d = run(&format!(
            "{PROSE}\n\n{PROSE2}\n\n****\n\n{ad}\n\n## 点击阅读原文查看详情。"
        ));
        assert_eq!(d.text, format!("{PROSE}\n\n{PROSE2}"));
        // Without the call to read the original, a section after a
        // separator is the author's.
        let d = run(&format!("{PROSE}\n\n{PROSE2}\n\n---\n\n{ad}"));
        assert!(d.text.contains("湖仓一体架构融合了"), "{}", d.text);
    }

    /// `has_sentences` as it was written first: the Han characters counted,
    /// then the words.
    fn has_sentences_reference(line: &str) -> bool {
        line.chars()
            .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
            .count()
            >= 12
            || line
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|w| w.len() >= 2)
                .count()
                >= 6
    }

    #[test]
    fn has_sentences_at_its_edges() {
        assert!(has_sentences("one two three four five six"));
        assert!(!has_sentences("one two three four five s"));
        assert!(!has_sentences("a b c d e f g h i j k l m n"));
        assert!(has_sentences("一二三四五六七八九十一二"));
        assert!(!has_sentences("一二三四五六七八九十一"));
        assert!(!has_sentences("@x.io, 010-12345678, wx: ab_cd"));
    }

    proptest::proptest! {
        #[test]
        fn has_sentences_is_its_reference(s in "(?:ab|abc|a| |\\.|é|中|文一){0,30}") {
            proptest::prop_assert_eq!(has_sentences(&s), has_sentences_reference(&s));
        }

        #[test]
        fn squashes_to_is_squash_compared(s in "[a *_#`\n中文]{0,12}", t in "[a中文]{0,6}") {
            proptest::prop_assert_eq!(squashes_to(&s, &t), squash(&s) == t);
            proptest::prop_assert!(squashes_to(&s, &squash(&s)));
        }
    }

    /// A site's list of other articles, clipped as titles and dates, goes
    /// after the article, block by block and nothing else; a dated
    /// timeline inside the article, two dated titles, or titles without
    /// dates stay.
    #[test]
    fn a_list_of_dated_titles_after_the_article_goes() {
        let list = [
            "##### GitHub 令牌泄漏导致 Python 的核心存储库面临潜在攻击",
            "  2024-07-16 12:15:04\n##### 尼康、索尼和佳能针对深度造假的新技术",
            "  2024-01-04 11:20:59\n##### 乌镇时间开启，知道创宇亮相世界互联网大会！",
            "  2023/11/9 10:21",
        ];
        // A long first paragraph, as an article has: the byline is looked
        // for above it only.
        let d = run(&format!(
            "{PROSE}{PROSE2}\n\n{PROSE2}\n\n安全客\n\n{}",
            list.join("\n\n")
        ));
        assert_eq!(d.text, format!("{PROSE}{PROSE2}\n\n{PROSE2}\n\n安全客"));
        assert_eq!(d.published, None, "{:?}", rules_removed(&d));
        let removed: Vec<(&str, &str)> = list.iter().map(|b| ("dated-titles", b.trim())).collect();
        assert_eq!(rules_removed(&d), removed);

        let kept = [
            // A timeline: prose between the dated headings.
            format!("##### 2019-03-01\n\n{PROSE}\n\n##### 2020-05-01\n\n{PROSE2}\n\n##### 2021-01-01\n\n{PROSE}"),
            // Two blocks only (two dates, two titles).
            format!("{PROSE}{PROSE2}\n\n{PROSE2}\n\n{}\n\n{}", list[1], list[2]),
            // Titles with no dates.
            format!("{PROSE}{PROSE2}\n\n{PROSE2}\n\n## 甲\n\n## 乙\n\n## 丙"),
            // Dated titles before the last paragraph.
            format!("{PROSE}\n\n{}\n\n{PROSE2}", list.join("\n\n")),
        ];
        for text in kept {
            let d = run(&text);
            assert!(
                !d.removed.iter().any(|r| r.rule == "dated-titles"),
                "{text}: {:?}",
                rules_removed(&d)
            );
        }
    }

    #[test]
    fn reading_time_and_length_lines_go_in_their_spellings_sentences_stay() {
        for line in [
            "全文约 12000 字，建议收藏。",
            "正文共：4511字，预计阅读时间：12分钟",
            "**全文共1.3w字，预计阅读时间25分钟，建议先收藏后阅读。Enjoy～**",
            "（正文8000字，阅读时间约30分钟，可先阅读再分享）",
            "本文字数超过 3 万字，建议收藏后仔细阅读。",
            "**本文共有：5058 字**",
            "本文字数2519",
            "全文共计2096个字，预计阅读时长8分钟。",
            "温馨提示：本文共3574字，预计阅读时间9分钟。",
        ] {
            let d = run(&format!("{line}\n\n{PROSE}\n\n{PROSE2}"));
            assert_eq!(d.text, format!("{PROSE}\n\n{PROSE2}"), "{line}");
            assert_eq!(rules_removed(&d), [("wechat/reading-time", line)]);
        }
        for kept in [
            "本文共有三个部分。",
            "全文共5章。",
            "注：全文共分三章。",
            "作者说：本文共有三个部分，先讲历史。",
            "正文共3000字的报告里，作者详细讨论了人工智能在各行各业的应用前景与风险，以及各国监管机构的不同做法和它们背后的考虑，值得一读再读。",
        ] {
            let d = run(&format!("{kept}\n\n{PROSE}\n\n{PROSE2}"));
            assert!(d.text.starts_with(kept), "{kept}: {:?}", rules_removed(&d));
            assert!(d.removed.is_empty(), "{kept}: {:?}", rules_removed(&d));
        }
    }

    #[test]
    fn a_notice_labelled_by_a_footer_cue_ends_the_article_however_long() {
        let notice = "版权声明： 本文系公众号 \"AI技术宅\" 原创，转载、引用本文内容请注明出处，抄袭、洗稿一律投诉侵权，后果自负，并保留追究其法律责任的权利。";
        let d = run(&format!("{PROSE}\n\n{PROSE2}\n\n{notice}"));
        assert_eq!(d.text, format!("{PROSE}\n\n{PROSE2}"));
        assert_eq!(rules_removed(&d), [("wechat/account-footer", notice)]);
        // A closing paragraph under another label is the article's.
        for kept in [
            "背景：本文系统梳理了过去十年里人工智能技术在网络安全领域的应用，转载、引用的案例均注明出处，欢迎读者批评指正。",
            "结语：人工智能不会取代程序员，但会用人工智能的程序员会取代不会用的，这是我们在这一年里看得最清楚的一件事。",
        ] {
            let d = run(&format!("{PROSE}\n\n{PROSE2}\n\n{kept}"));
            assert!(d.text.ends_with(kept), "{kept}: {:?}", rules_removed(&d));
            assert!(d.removed.is_empty(), "{kept}: {:?}", rules_removed(&d));
        }
    }

    #[test]
    fn an_address_line_between_the_closing_separator_and_the_footer_goes_with_the_footer() {
        let line = "作者最近做了一个网站: https://example.com";
        let footer = "欢迎加入我的知识星球，扫码关注，一起交流。";
        let d = run(&format!("{PROSE}\n\n{PROSE2}\n\n---\n\n{line}\n\n{footer}"));
        assert_eq!(d.text, format!("{PROSE}\n\n{PROSE2}"));
        let removed = rules_removed(&d);
        assert!(
            removed.contains(&("wechat/account-footer", line)),
            "{removed:?}"
        );
        assert!(removed.iter().any(|r| r.1 == footer), "{removed:?}");
        assert_eq!(
            removed.len(),
            3,
            "the separator, the line, the footer: {removed:?}"
        );
        // Not after a separator, with more after the address, with no label
        // before it, or as a link: the article's own line, which stays.
        for kept in [
            format!("{PROSE}\n\n{PROSE2}\n\n{line}\n\n{footer}"),
            format!("{PROSE}\n\n{PROSE2}\n\n---\n\n{line} 欢迎试用\n\n{footer}"),
            format!("{PROSE}\n\n{PROSE2}\n\n---\n\nhttps://example.com\n\n{footer}"),
            format!(
                "{PROSE}\n\n{PROSE2}\n\n---\n\n项目地址：[仓库](https://example.com)\n\n{footer}"
            ),
        ] {
            let d = run(&kept);
            let removed = rules_removed(&d);
            assert_ne!(d.text, format!("{PROSE}\n\n{PROSE2}"), "{removed:?}");
            assert!(removed.iter().any(|r| r.1 == footer), "{removed:?}");
            assert!(
                removed.iter().all(|r| r.1 == footer || r.1 == "---"),
                "only the separator and the footer: {removed:?}"
            );
        }
    }

    #[test]
    fn labels_inside_a_related_list_go_with_it() {
        let link =
            |t: &str, n: u32| format!("[{t}](https://mp.weixin.qq.com/s?__biz=M==&mid={n}&idx=1)");
        let body = format!(
            "{PROSE}\n\n{PROSE2}\n\n{}\n\n{}\n\n效率工具：\n\n{}\n\nAI产品经理相关：\n\n{}",
            link("零基础指南", 1),
            link("技能包系统", 2),
            link("再也不用盯着屏幕", 3),
            link("写 PRD 的方法", 4)
        );
        let d = run(&body);
        assert_eq!(d.text, format!("{PROSE}\n\n{PROSE2}"));
    }

    #[test]
    fn a_self_description_under_the_greeting_goes() {
        let d = run(&format!(
            "大家好，我是达叔。\n\n一个想和大家一起慢慢变富的家伙。\n\n{PROSE}"
        ));
        assert_eq!(d.text, PROSE);
        assert_eq!(d.author.as_deref(), Some("达叔"));
        // A sentence of the article about its writer stays.
        let d = run(&format!("{PROSE}\n\n我是一个很少拍照的人。\n\n{PROSE2}"));
        assert!(d.text.contains("我是一个很少拍照的人。"));
    }

    fn families(doc: &Doc) -> Vec<(String, String)> {
        doc.removed
            .iter()
            .map(|r| (r.family.as_str().to_owned(), r.text.clone()))
            .collect()
    }

    #[test]
    fn chrome_page_tail_goes_whole() {
        let d = run(&format!(
            "{PROSE}\n\n预览时标签不可点\n\n阅读原文\n\n微信扫一扫\n关注该公众号\n\n：\n，\n。"
        ));
        assert_eq!(d.text, PROSE);
        assert!(d
            .removed
            .iter()
            .all(|r| r.family == Family::Chrome && r.rule == "wechat/page-tail"));
    }

    #[test]
    fn chrome_labels_and_orphan_punctuation_anywhere() {
        let d = run(&format!(
            "{PROSE}\n\n视频\n小程序\n赞\n\n：\n，\n，\n。\n\n{PROSE2}"
        ));
        assert_eq!(d.text, format!("{PROSE}\n\n{PROSE2}"));
        assert_eq!(
            families(&d).iter().filter(|(f, _)| f == "chrome").count(),
            2
        );
    }

    #[test]
    fn media_decorative_images_go_content_images_move_to_field() {
        let d = run(&format!(
            "![cover_image](https://mmbiz.qpic.cn/a/0?wx_fmt=jpeg)\n\n{PROSE}\n\n![](https://mmbiz.qpic.cn/b/640?wx_fmt=gif)\n\n![图1 全球算力分布](https://mmbiz.qpic.cn/c/640?wx_fmt=png)\n\n{PROSE2}"
        ));
        assert_eq!(d.text, format!("{PROSE}\n\n图1 全球算力分布\n\n{PROSE2}"));
        assert_eq!(d.images, ["https://mmbiz.qpic.cn/c/640?wx_fmt=png"]);
        assert_eq!(families(&d).iter().filter(|(f, _)| f == "media").count(), 2);
    }

    #[test]
    fn promo_at_the_edges_goes() {
        let d = run(&format!(
            "**扫码订阅《中国信息安全》**\n\n邮发代号 2-786\n\n{PROSE}\n\n{PROSE2}\n\n**推荐阅读**\n\n[另一篇文章](https://mp.weixin.qq.com/s?__biz=MzA=&mid=2&idx=1&sn=x)\n\n欢迎关注我们"
        ));
        assert_eq!(d.text, format!("{PROSE}\n\n{PROSE2}"));
        assert!(
            families(&d).iter().filter(|(f, _)| f == "promo").count() >= 4,
            "{:?}",
            d.removed
        );
    }

    #[test]
    fn an_end_mark_ends_the_article_even_before_prose() {
        // The account's disclaimer after END reads as prose (numbered
        // paragraphs); the mark says where the article stopped.
        let disclaimer =
            "1.内容版权：本文除引用公开数据、政策及案例外，均为原创，案例经真实事件整理。";
        let d = run(&format!(
            "{PROSE}\n\n{PROSE2}\n\n**更多精彩，请点击关注：**\n\n**END**\n\n版权及免责声明\n\n{disclaimer}"
        ));
        assert_eq!(d.text, format!("{PROSE}\n\n{PROSE2}"));
        let rules: Vec<_> = d.removed.iter().map(|r| r.rule.as_str()).collect();
        assert_eq!(rules.len(), 4, "{rules:?}");
        assert!(rules.contains(&"wechat/end-mark"), "{rules:?}");
        // A mark with more of the article after it than before is a
        // section's end, and nothing around it goes but the mark.
        let d = run(&format!("{PROSE}\n\n**END**\n\n{PROSE2}\n\n{PROSE}"));
        assert_eq!(d.text, format!("{PROSE}\n\n{PROSE2}\n\n{PROSE}"));
        assert_eq!(d.removed.len(), 1, "{:?}", d.removed);
    }

    #[test]
    fn a_columns_masthead_goes_and_bold_lines_of_the_article_stay() {
        let strip_titled = |title: &str, text: &str| {
            let doc = Doc {
                text: text.to_owned(),
                text_format: Some("markdown".into()),
                title: Some(title.into()),
                ..Doc::default()
            };
            strip(doc, &Rules::wechat(), &Options::default())
        };
        let body = format!(
            "**MIT创新雷达｜扫描前沿趋势，洞见科创未来**\n\n**On Campus and Around World**\n\n{PROSE}\n\n**小标题**\n\n{PROSE2}"
        );
        let d = strip_titled("让大模型准确率提升6倍｜MIT创新雷达", &body);
        assert_eq!(d.text, format!("{PROSE}\n\n小标题\n\n{PROSE2}"));
        assert_eq!(d.removed.len(), 2, "{:?}", d.removed);
        // A title without a column, or naming another one: nothing goes.
        for title in ["让大模型准确率提升6倍", "让大模型准确率提升6倍｜另一个栏目"]
        {
            let d = strip_titled(title, &body);
            assert!(d.removed.is_empty(), "{title}: {:?}", d.removed);
        }
    }

    #[test]
    fn signoff_of_calls_to_action_goes_and_nothing_else() {
        let signoff = "以上，既然看到这里了，如果觉得不错，随手点个赞、在看、转发三连吧，如果想第一时间收到推送，也可以给我个星标⭐～谢谢你看我的文章，我们，下次再见。";
        let d = run(&format!("{PROSE}\n\n{PROSE2}\n\n{signoff}"));
        assert_eq!(d.text, format!("{PROSE}\n\n{PROSE2}"));
        assert_eq!(families(&d), [("promo".to_owned(), signoff.to_owned())]);
        // One such word in a paragraph is prose that mentions it.
        let one = "这篇文章发出后，很多读者在评论区里讨论星标功能到底有什么用，我们下次专门写一篇来回答。";
        let d = run(&format!("{PROSE}\n\n{PROSE2}\n\n{one}"));
        assert!(d.removed.is_empty(), "{:?}", d.removed);
    }

    #[test]
    fn video_player_labels_and_what_lies_between_them_go() {
        let player = "_切换到竖屏全屏_ _退出全屏_\n\n关闭\n\n0/0\n\n视频的标题在这里\n\n[ 超清 ](<javascript:;>)[ 流畅 ](<javascript:;>)";
        let d = run(&format!("{PROSE}\n\n{player}\n\n{PROSE2}"));
        assert_eq!(d.text, format!("{PROSE}\n\n{PROSE2}"));
        assert_eq!(d.removed.len(), 5, "{:?}", d.removed);
        assert!(d.removed.iter().all(|r| r.rule == "wechat/video-player"));
        // A sentence between two players is the article's.
        let said = "视频里他说的话值得每个人反复听几遍。";
        let d = run(&format!(
            "{PROSE}\n\n退出全屏\n\n{said}\n\n超清 流畅\n\n{PROSE2}"
        ));
        assert_eq!(d.text, format!("{PROSE}\n\n{said}\n\n{PROSE2}"));
    }

    #[test]
    fn inline_related_links_go_the_articles_own_links_stay() {
        let link = |t: &str, n: u32| {
            format!("[{t}](https://mp.weixin.qq.com/s?__biz=MzA=&mid={n}&idx=1&sn=ab)")
        };
        let rec = link("纽约时报：世界旧秩序已死，习惯就好", 1);
        let d = run(&format!("{PROSE}\n\n{rec}\n\n{PROSE2}"));
        assert_eq!(d.text, format!("{PROSE}\n\n{PROSE2}"));
        assert_eq!(families(&d), [("promo".to_owned(), rec.clone())]);
        // Kept: a linked sentence, a link that shows its URL, a list of
        // more than three, a list a sentence introduces.
        let sentence = link("那件事不可避免。", 2);
        let cited = "[https://mp.weixin.qq.com/s/9HeteimelBG6Ezdo6rX0nw](https://mp.weixin.qq.com/s?__biz=MzA=&mid=3&idx=1&sn=ab)".to_owned();
        let list: Vec<String> = (0..4)
            .map(|n| link(&format!("系列文章第{n}篇"), 10 + n))
            .collect();
        let intro = "过去的一年，我们输出了多篇文章。例如：";
        for body in [
            format!("{PROSE}\n\n{sentence}\n\n{PROSE2}"),
            format!("{PROSE}\n\n{cited}\n\n{PROSE2}"),
            format!("{PROSE}\n\n{}\n\n{PROSE2}", list.join("\n\n")),
            format!("{PROSE}\n\n{intro}\n\n{rec}\n\n{PROSE2}"),
        ] {
            let d = run(&body);
            assert!(d.removed.is_empty(), "{:?}", d.removed);
        }
    }

    #[test]
    fn a_line_of_links_side_by_side_is_a_link_list_not_prose() {
        assert!(is_link_list(
            "[《甲》](http://a/1)[《乙》](http://a/2)![](http://i/x.gif)"
        ));
        assert!(is_link_list("- [甲](u) · [乙](v)\n[丙](w)"));
        assert!(is_link_list(
            "**[你是一个容易对什么事都无所谓的人吗？](http://a/1)\n**"
        ));
        assert!(!is_link_list("**\n**"));
        assert!(is_link_list(
            "[![Image](https://i/x.svg)](https://a/1)\n[一篇相关文章的很长很长的标题在这里](https://a/2)"
        ));
        assert!(!is_link_list(
            "见[《甲》](http://a/1)一文，作者讨论了这个问题。"
        ));
        // A link followed by an image cut off inside its URL.
        assert!(is_link_list(
            "[一篇相关文章的很长很长的标题在这里](https://a/2) [![Image](https://x/svg'%20xmlns"
        ));
        assert!(!is_link_list("[《甲》](http://a/1) 是一篇好文章"));
    }

    #[test]
    fn prose_with_cue_words_stays() {
        // 分享, 关注, 继续观看, 已关注, 喜欢作者, 投诉, 阅读原文 inside sentences.
        let texts = [
            "我们将在会上分享最新的研究成果，并邀请大家关注后续的发布会，届时可以继续观看直播回放。",
            "喜欢作者的智慧与文字的力量，觉得自己应该早一点读的，也需要反复读，特别对投资感兴趣的话。",
            "已关注此事的家长表示，对于平台的投诉处理流程仍不满意，希望监管部门尽快介入调查此事。",
            "建议读者阅读原文以了解更多细节，其中包括对推荐阅读清单中每一本书的详细评述和背景介绍，欢迎关注我们的后续报道，也欢迎转发。",
        ];
        let body = texts.join("\n\n");
        let d = run(&body);
        assert_eq!(d.text, body, "{:?}", d.removed);
        assert!(d.removed.is_empty());
    }

    #[test]
    fn fields_move_out_of_the_body() {
        let d = run(&format!(
            "# 标题在此\n\n何哲\n\n中国信息安全\n\n文 | 中共中央党校国家治理教研部教授、博导 何哲\n\n{PROSE}\n\n{PROSE2}\n\n（来源：人民论坛网）\n\n编辑：靖宇"
        ));
        assert_eq!(d.text, format!("{PROSE}\n\n{PROSE2}"));
        assert_eq!(d.author.as_deref(), Some("何哲"));
        assert_eq!(d.reprinted_from.as_deref(), Some("人民论坛网"));
        assert_eq!(d.credits, ["编辑：靖宇"]);
    }

    #[test]
    fn truncation_marks_go() {
        let d = run(&format!("{PROSE}\n\n{PROSE2}..."));
        assert!(d.text.ends_with("历史转型。"), "{}", d.text);
        assert_eq!(
            d.removed.last().map(|r| r.family.as_str()),
            Some("truncation")
        );
    }

    #[test]
    fn notices_and_stubs_are_rejected() {
        let d = run("该内容已被发布者删除\n\n：\n，\n。");
        assert_eq!(d.reject_reason, Some(RejectReason::Deleted));
        let d = run("预览时标签不可点\n\n微信扫一扫\n关注该公众号");
        assert_eq!(d.reject_reason, Some(RejectReason::Empty));
        let kept = strip(
            Doc {
                text: "预览时标签不可点".into(),
                ..Doc::default()
            },
            &Rules::wechat(),
            &Options {
                keep_empty: true,
                ..Options::default()
            },
        );
        assert!(kept.reject_reason.is_none());
    }

    #[test]
    fn stripping_twice_changes_nothing() {
        let once = run(&format!(
            "**扫码订阅**\n\n文 | 何哲\n\n{PROSE}\n\n**加粗的小标题**\n\n- 列表 *一*\n- 列表 `二`\n\n```\nint main() {{\n\n    return 0;\n}}\n```\n\n{PROSE2}\n\n预览时标签不可点"
        ));
        // Clean output is plain text: stripped again as such.
        let twice = strip(
            Doc {
                text: once.text.clone(),
                title: once.title.clone(),
                ..Doc::default()
            },
            &Rules::wechat(),
            &Options::default(),
        );
        assert_eq!(twice.text, once.text);
        assert!(twice.removed.is_empty(), "{:?}", twice.removed);
    }
}
