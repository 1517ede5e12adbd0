//! Saved HTML pages: WeChat article pages, WeChat notices and listings, and
//! any other page through a main-content heuristic.
//!
//! A page is parsed once (scraper/html5ever) and walked once to collect what
//! the extraction needs; the JS variables WeChat keeps its metadata in
//! (`msg_title`, `nickname`, `ct`, `msg_link`) are read with a regex over the
//! inline scripts, not a JS engine. Every walk over the tree is iterative.

use std::sync::LazyLock;

use ego_tree::{NodeId, NodeRef};
use regex::Regex;
use scour_record::RejectReason;
use scraper::{Html, Node};
use serde_json::Value;

use crate::article::Article;
use crate::blocks::{convert, decode_entities, is_hidden};
use crate::decode::{decode, sniff_declared_charset, Decoded};

/// Decodes and parses one HTML page. `http_charset` is the charset of the
/// transport's `Content-Type`, trusted before the page's own declaration.
pub(crate) fn parse_page(bytes: &[u8], http_charset: Option<&str>) -> (Article, Decoded) {
    let meta = sniff_declared_charset(bytes);
    let mut declared: Vec<(&str, &'static str)> = Vec::new();
    if let Some(h) = http_charset {
        declared.push((h, "http"));
    }
    if let Some(m) = meta.as_deref() {
        declared.push((m, "meta"));
    }
    let decoded = decode(bytes, &declared);
    let article = parse_html(&decoded.text);
    (article, decoded)
}

/// Extracts the article (or the reason there is none) from a page's text.
///
/// Fastest path: [`crate::fastdom`] builds html5ever's tree itself, for the
/// pages it mirrors html5ever on exactly (real WeChat pages among them).
///
/// Fast path: the contents of `<script>` and `<style>` elements (most of a
/// WeChat page's bytes) are cut out by a lexer before html5ever sees the page,
/// the scripts kept aside for the JS variables. Whenever the lexer meets
/// anything it does not mirror html5ever on exactly (foreign content,
/// `<template>`, `<select>`, escaped script data, NULs, odd comments), or the
/// walk would read text the cut removed, the whole page goes through
/// [`parse_html_full`] instead; both give the same article.
pub(crate) fn parse_html(text: &str) -> Article {
    if let Some((doc, scripts)) = crate::fastdom::parse_cut(text) {
        if let Some(scan) = Scan::run(&doc, Some(Cut::Nodes(&scripts))) {
            return extract(&doc, scan);
        }
        // The walk reads text under a script or style: the same tree with
        // their text in it.
        if let Some(doc) = crate::fastdom::parse(text) {
            let scan = Scan::run(&doc, None).unwrap_or_default();
            return extract(&doc, scan);
        }
    }
    let flat = crate::blocks::flatten_deep(text);
    if let Some((reduced, scripts)) = reduce(&flat) {
        let doc = Html::parse_document(&reduced);
        if let Some(scan) = Scan::run(&doc, Some(Cut::Marked(&scripts))) {
            return extract(&doc, scan);
        }
    }
    let doc = Html::parse_document(&flat);
    let scan = Scan::run(&doc, None).unwrap_or_default();
    extract(&doc, scan)
}

/// The full-DOM path: the whole page parsed as it is (the fallback of
/// [`parse_html`], and its reference in tests and the fuzzing hook).
pub(crate) fn parse_html_full(text: &str) -> Article {
    let doc = Html::parse_document(&crate::blocks::flatten_deep(text));
    let scan = Scan::run(&doc, None).unwrap_or_default();
    extract(&doc, scan)
}

/// The fast paths' proof on one page, for [`crate::fuzz_fastdom`]: what
/// [`crate::fastdom`] builds, when it accepts the page, is html5ever's tree
/// (its cut tree the same less script and style text, with the same
/// scripts), and [`parse_html`] gives the article [`parse_html_full`] gives.
/// `Ok(true)` when fastdom accepted the page.
pub(crate) fn check_fast_paths(text: &str) -> Result<bool, String> {
    let accepted = crate::fastdom::check(text)?;
    let (fast, full) = (parse_html(text), parse_html_full(text));
    if format!("{fast:?}") != format!("{full:?}") {
        return Err(format!("article {fast:?} against {full:?}"));
    }
    Ok(accepted)
}

fn extract(doc: &Html, scan: Scan) -> Article {
    let vars = js_vars(&scan.scripts);
    let mut article = Article::default();
    let meta = |k: &str| {
        scan.meta
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
    };

    article.title = first_nonempty([
        vars.get("msg_title"),
        meta("og:title"),
        scan.activity_name.clone(),
        scan.title.clone(),
    ]);
    let site = meta("og:site_name").filter(|s| s != "微信公众平台");
    article.source = first_nonempty([
        vars.get("nickname"),
        scan.js_name.clone(),
        scan.profile_nickname.clone(),
        site,
    ]);
    article.author = first_nonempty([
        meta("author"),
        scan.author_name.clone(),
        scan.byline.clone(),
    ])
    .filter(|a| Some(a) != article.source.as_ref());
    article.published = first_nonempty([
        vars.get("ct"),
        vars.get("create_time"),
        vars.get("publish_time"),
        meta("article:published_time"),
        meta("pubdate"),
        meta("publishdate"),
        scan.post_date.clone(),
    ]);
    article.url = first_nonempty([vars.get("msg_link"), meta("og:url"), scan.canonical.clone()]);
    if let Some(src) = vars.get("msg_source_url") {
        article
            .extra
            .insert("source_url".to_owned(), Value::String(src));
    }
    if let Some(cover) = first_nonempty([vars.get("msg_cdn_url"), meta("og:image")]) {
        if cover.starts_with("http") || cover.starts_with("//") {
            article.images.push(cover);
        }
    }

    if let Some(content) = scan.content.and_then(|id| doc.tree.get(id)) {
        let converted = convert(content);
        if converted.body.trim().is_empty() {
            if let Some(reason) = scan.notice.as_deref().map(notice_reason) {
                article.reject = Some(reason);
                article.images.clear();
                return article;
            }
        }
        article.body = converted.body;
        extend_unique(&mut article.images, converted.images);
        return article;
    }
    if let Some(notice) = scan.notice.as_deref() {
        article.reject = Some(notice_reason(notice));
        article.images.clear();
        return article;
    }
    if scan.is_listing() {
        article.reject = Some(RejectReason::Listing);
        article.images.clear();
        return article;
    }
    // Not a WeChat article page: the element with the most paragraph text.
    let Some(main) = main_content(doc) else {
        return article;
    };
    if let Some(node) = doc.tree.get(main) {
        let converted = convert(node);
        article.body = converted.body;
        extend_unique(&mut article.images, converted.images);
    }
    article
}

fn extend_unique(into: &mut Vec<String>, more: Vec<String>) {
    for m in more {
        if !into.contains(&m) {
            into.push(m);
        }
    }
}

fn first_nonempty<const N: usize>(candidates: [Option<String>; N]) -> Option<String> {
    candidates
        .into_iter()
        .flatten()
        .map(|s| s.trim().to_owned())
        .find(|s| !s.is_empty())
}

/// The reject reason for the text of a WeChat notice page.
fn notice_reason(text: &str) -> RejectReason {
    if text.contains("过期") || text.contains("expired") {
        RejectReason::Expired
    } else if text.contains("删除") || text.contains("deleted") {
        RejectReason::Deleted
    } else if text.contains("违规")
        || text.contains("无法查看")
        || text.contains("屏蔽")
        || text.contains("violat")
    {
        RejectReason::Blocked
    } else if text.contains("迁移") || text.contains("migrat") {
        RejectReason::Migrated
    } else {
        RejectReason::Unavailable
    }
}

/// What one walk over the page finds.
#[derive(Default)]
struct Scan {
    content: Option<NodeId>,
    title: Option<String>,
    activity_name: Option<String>,
    js_name: Option<String>,
    profile_nickname: Option<String>,
    author_name: Option<String>,
    byline: Option<String>,
    post_date: Option<String>,
    canonical: Option<String>,
    meta: Vec<(String, String)>,
    scripts: String,
    /// The text of a WeChat notice (`weui-msg` area): expired, deleted, blocked.
    notice: Option<String>,
    /// Structure of listings: profile (history) cards and search result items.
    profile_list: bool,
    result_items: usize,
    headline_links: usize,
}

fn element_text(node: NodeRef<'_, Node>) -> String {
    let mut out = String::new();
    for d in node.descendants() {
        if let Node::Text(t) = d.value() {
            out.push_str(t);
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The tokens of an element's class attribute: the classes of
/// `Element::classes` unsorted and with duplicates, and without the atoms
/// it interns them as (behind a global lock, for every element walked).
fn class_tokens(el: &scraper::node::Element) -> impl Iterator<Item = &str> {
    el.attrs
        .iter()
        .filter(|(name, _)| name.local == html5ever::local_name!("class"))
        .flat_map(|(_, value)| value.split_ascii_whitespace())
}

fn nonempty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

/// Where the bodies of `<script>` and `<style>` elements went when they were
/// cut out of the tree.
#[derive(Clone, Copy)]
enum Cut<'a> {
    /// By [`reduce`]: script bodies by the index each script tag was marked
    /// with ([`CUT_ATTR`]).
    Marked(&'a [String]),
    /// By [`crate::fastdom::parse_cut`]: the non-empty script bodies by
    /// element, in the order of their node ids.
    Nodes(&'a [(NodeId, &'a str)]),
}

impl Cut<'_> {
    fn script_body(&self, node: NodeRef<'_, Node>, el: &scraper::node::Element) -> Option<&str> {
        match self {
            Cut::Marked(bodies) => el
                .attr(CUT_ATTR)
                .and_then(|i| i.parse::<usize>().ok())
                .and_then(|i| bodies.get(i))
                .map(String::as_str),
            Cut::Nodes(bodies) => bodies
                .binary_search_by(|(id, _)| id.cmp(&node.id()))
                .ok()
                .map(|i| bodies[i].1),
        }
    }

    /// The size of the scripts' text, to reserve it at once.
    fn script_len(&self) -> usize {
        match self {
            Cut::Marked(bodies) => bodies.iter().map(|b| b.len() + 1).sum(),
            Cut::Nodes(bodies) => bodies.iter().map(|(_, b)| b.len() + 1).sum(),
        }
    }
}

impl Scan {
    /// One walk over `doc`. `cut` is `Some` when script and style bodies were
    /// cut out of the tree: the script bodies are then taken from it, and
    /// `None` is returned as soon as the walk would read text that the cut
    /// removed.
    fn run(doc: &Html, cut: Option<Cut<'_>>) -> Option<Scan> {
        let mut s = Scan::default();
        if let Some(cut) = cut {
            s.scripts
                .reserve(cut.script_len().min(SCRIPTS_MAX + (1 << 20)));
        }
        for node in doc.tree.root().descendants() {
            let Node::Element(el) = node.value() else {
                continue;
            };
            let name = el.name();
            if let Some(cut) = cut {
                if reads_cut_text(node, name, el) {
                    return None;
                }
                if name == "script" {
                    if let Some(body) = cut.script_body(node, el) {
                        if s.scripts.len() < SCRIPTS_MAX {
                            s.scripts.push_str(body);
                            s.scripts.push('\n');
                        }
                    }
                }
            }
            match name {
                "script" => {
                    for c in node.children() {
                        if let Node::Text(t) = c.value() {
                            if s.scripts.len() < SCRIPTS_MAX {
                                s.scripts.push_str(t);
                                s.scripts.push('\n');
                            }
                        }
                    }
                    continue;
                }
                "title" if s.title.is_none() => s.title = nonempty(element_text(node)),
                "meta" => {
                    let key = el.attr("property").or_else(|| el.attr("name"));
                    if let (Some(k), Some(v)) = (key, el.attr("content")) {
                        s.meta
                            .push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
                    }
                }
                "link"
                    if el
                        .attr("rel")
                        .is_some_and(|r| r.eq_ignore_ascii_case("canonical")) =>
                {
                    s.canonical = el.attr("href").map(str::to_owned);
                }
                _ => {}
            }
            match el.id() {
                Some("js_content") if s.content.is_none() => s.content = Some(node.id()),
                Some("activity-name") if s.activity_name.is_none() => {
                    s.activity_name = nonempty(element_text(node));
                }
                Some("js_name") if s.js_name.is_none() => s.js_name = nonempty(element_text(node)),
                Some("js_author_name") if s.author_name.is_none() => {
                    s.author_name = nonempty(element_text(node));
                }
                Some("post-date" | "publish_time") if s.post_date.is_none() => {
                    s.post_date = nonempty(element_text(node));
                }
                Some("history") if name == "div" => s.profile_list = true,
                _ => {}
            }
            let mut byline = false;
            let mut nickname_slot = false;
            // Each distinct result class counts once (as `classes()`, which
            // dedups, counted them); the other arms are idempotent.
            let mut results_seen = 0u8;
            for class in class_tokens(el) {
                match class {
                    "profile_nickname" if s.profile_nickname.is_none() => {
                        s.profile_nickname = nonempty(element_text(node));
                    }
                    "rich_media_meta_text" => byline = true,
                    "rich_media_meta_nickname" => nickname_slot = true,
                    "weui-msg" | "weui_msg" | "global_error_msg" | "weui-msg__title"
                        if s.notice.is_none() && !is_hidden(el) =>
                    {
                        s.notice = nonempty(element_text(node));
                    }
                    "weui_msg_card_list" | "profile_ext" => s.profile_list = true,
                    "txt-box" | "news-box" | "result" | "search-result" => {
                        let bit = match class {
                            "txt-box" => 1,
                            "news-box" => 2,
                            "result" => 4,
                            _ => 8,
                        };
                        if results_seen & bit == 0 {
                            results_seen |= bit;
                            s.result_items += 1;
                        }
                    }
                    _ => {}
                }
            }
            if byline
                && !nickname_slot
                && s.byline.is_none()
                && !matches!(el.id(), Some("post-date" | "publish_time"))
            {
                s.byline = nonempty(element_text(node)).filter(|b| is_plausible_author(b));
            }
            if matches!(name, "h3" | "h4")
                && node
                    .descendants()
                    .take(64)
                    .any(|d| d.value().as_element().is_some_and(|e| e.name() == "a"))
            {
                s.headline_links += 1;
            }
        }
        Some(s)
    }

    /// An account's history page or a list of search results: many items each
    /// with a headline link, or WeChat's profile markers, and no article.
    fn is_listing(&self) -> bool {
        self.profile_list
            || self.scripts.contains("var msgList")
            || self.result_items >= 3
            || self.headline_links >= 5
    }
}

/// The attribute [`reduce`] marks a script tag with: the index of its body.
const CUT_ATTR: &str = "data-scour-cut";

/// Scripts are read for their variables up to this much text.
const SCRIPTS_MAX: usize = 4 << 20;

/// Whether the walk of [`Scan::run`] would read, at this element, text under a
/// `<script>` or `<style>` (whose bodies [`reduce`] and
/// [`crate::fastdom::parse_cut`] cut): the text of an element it collects, or
/// the first 64 nodes under a heading.
fn reads_cut_text(node: NodeRef<'_, Node>, name: &str, el: &scraper::node::Element) -> bool {
    let has_cut = |limit: usize| {
        node.descendants().skip(1).take(limit).any(|d| {
            d.value()
                .as_element()
                .is_some_and(|e| matches!(e.name(), "script" | "style"))
        })
    };
    let collects = name == "title"
        || matches!(
            el.id(),
            Some("activity-name" | "js_name" | "js_author_name" | "post-date" | "publish_time")
        )
        || class_tokens(el).any(|c| {
            matches!(
                c,
                "profile_nickname"
                    | "rich_media_meta_text"
                    | "weui-msg"
                    | "weui_msg"
                    | "global_error_msg"
                    | "weui-msg__title"
            )
        });
    (collects && has_cut(usize::MAX)) || (matches!(name, "h3" | "h4") && has_cut(63))
}

/// The page with the bodies of its `<script>` and `<style>` elements cut out,
/// each script tag marked with [`CUT_ATTR`] (the index of its body), and the
/// script bodies as html5ever would have made them (newlines normalized).
/// `None` when the page holds anything this lexer does not follow html5ever's
/// tokenizer on exactly.
fn reduce(html: &str) -> Option<(String, Vec<String>)> {
    let b = html.as_bytes();
    if memchr::memchr(0, b).is_some() {
        return None;
    }
    let mut out = String::with_capacity(html.len() / 2);
    let mut scripts: Vec<String> = Vec::new();
    let mut copied = 0;
    let mut pos = 0;
    while let Some(off) = memchr::memchr(b'<', &b[pos..]) {
        let start = pos + off;
        let next = b.get(start + 1).copied();
        match next {
            Some(b'!') if b[start + 2..].starts_with(b"--") => {
                let close = memchr::memmem::find(&b[start + 2..], b"-->")? + start + 2;
                if memchr::memmem::find(&b[start + 2..close], b"--!>").is_some() {
                    return None;
                }
                pos = close + 3;
            }
            Some(b'!' | b'?') => {
                pos = memchr::memchr(b'>', &b[start..])? + start + 1;
            }
            Some(b'/') => match b.get(start + 2) {
                Some(c) if c.is_ascii_alphabetic() => pos = tag_end(b, start + 2)?,
                Some(b'>') => pos = start + 3,
                Some(_) => pos = memchr::memchr(b'>', &b[start..])? + start + 1,
                None => break,
            },
            Some(c) if c.is_ascii_alphabetic() => {
                let name_end = start
                    + 1
                    + b[start + 1..]
                        .iter()
                        .take_while(|c| {
                            !matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>')
                        })
                        .count();
                let name = &b[start + 1..name_end];
                let end = tag_end(b, name_end)?;
                let is = |n: &str| name.eq_ignore_ascii_case(n.as_bytes());
                if ["svg", "math", "template", "select", "frameset", "plaintext"]
                    .iter()
                    .any(|n| is(n))
                {
                    return None;
                }
                let raw = [
                    "script", "style", "title", "textarea", "xmp", "iframe", "noembed", "noframes",
                    "noscript",
                ]
                .into_iter()
                .find(|n| is(n));
                let Some(raw) = raw else {
                    pos = end;
                    continue;
                };
                let body_end = raw_text_end(b, end, raw)?;
                let body = &html[end..body_end];
                if raw == "script" {
                    if memchr::memmem::find(body.as_bytes(), b"<!--").is_some() {
                        return None;
                    }
                    out.push_str(&html[copied..name_end]);
                    out.push_str(&format!(" {CUT_ATTR}=\"{}\"", scripts.len()));
                    out.push_str(&html[name_end..end]);
                    copied = body_end;
                    scripts.push(if body.contains('\r') {
                        body.replace("\r\n", "\n").replace('\r', "\n")
                    } else {
                        body.to_owned()
                    });
                } else if raw == "style" {
                    out.push_str(&html[copied..end]);
                    copied = body_end;
                }
                pos = body_end;
            }
            _ => pos = start + 1,
        }
        if pos > b.len() {
            return None;
        }
    }
    out.push_str(&html[copied..]);
    Some((out, scripts))
}

/// Where the body of a raw-text element whose start tag ends at `from` ends:
/// at the first `</name` followed by whitespace, `/` or `>`.
fn raw_text_end(b: &[u8], from: usize, name: &str) -> Option<usize> {
    let mut at = from;
    loop {
        let lt = memchr::memmem::find(&b[at..], b"</")? + at;
        let after = lt + 2 + name.len();
        if b.len() > after
            && b[lt + 2..after].eq_ignore_ascii_case(name.as_bytes())
            && matches!(
                b[after],
                b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>'
            )
        {
            return Some(lt);
        }
        at = lt + 2;
    }
}

/// The end (one past `>`) of a tag whose name starts at `from`, following
/// html5ever's tag, attribute name and attribute value states; `None` at the
/// end of the input.
fn tag_end(b: &[u8], from: usize) -> Option<usize> {
    #[derive(Clone, Copy)]
    enum St {
        Name,
        BeforeAttr,
        AttrName,
        AfterAttrName,
        BeforeValue,
        Quoted(u8),
        AfterQuoted,
        Unquoted,
        SelfClosing,
    }
    let ws = |c: u8| matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ');
    let mut st = St::Name;
    let mut i = from;
    while i < b.len() {
        let c = b[i];
        i += 1;
        st = match st {
            St::Quoted(q) => {
                if c == q {
                    St::AfterQuoted
                } else {
                    st
                }
            }
            _ if c == b'>' => return Some(i),
            St::Name => match c {
                _ if ws(c) => St::BeforeAttr,
                b'/' => St::SelfClosing,
                _ => St::Name,
            },
            St::BeforeAttr | St::SelfClosing => match c {
                _ if ws(c) => St::BeforeAttr,
                b'/' => St::SelfClosing,
                _ => St::AttrName,
            },
            St::AttrName => match c {
                _ if ws(c) => St::AfterAttrName,
                b'/' => St::SelfClosing,
                b'=' => St::BeforeValue,
                _ => St::AttrName,
            },
            St::AfterAttrName => match c {
                _ if ws(c) => St::AfterAttrName,
                b'/' => St::SelfClosing,
                b'=' => St::BeforeValue,
                _ => St::AttrName,
            },
            St::BeforeValue => match c {
                _ if ws(c) => St::BeforeValue,
                b'"' | b'\'' => St::Quoted(c),
                _ => St::Unquoted,
            },
            St::Unquoted => {
                if ws(c) {
                    St::BeforeAttr
                } else {
                    St::Unquoted
                }
            }
            St::AfterQuoted => match c {
                _ if ws(c) => St::BeforeAttr,
                b'/' => St::SelfClosing,
                _ => St::AttrName,
            },
        };
    }
    None
}

/// A byline slot that holds a follow prompt (`读武汉关注☞`) names no author.
fn is_plausible_author(b: &str) -> bool {
    let n = b.chars().count();
    n > 0 && n <= 40 && !b.contains("关注") && !b.ends_with(['☞', '👇', '↓'])
}

/// The JS string variable assignments read from a page's scripts. The `\b`
/// before `var` is checked on each match instead: a Unicode word boundary
/// keeps the regex off its fast DFA over CJK scripts. [`js_vars`] reads the
/// same matches with [`js_var_at`]; the regex is its reference in tests.
#[cfg(test)]
static JS_VAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?:var\s+|window\.)(msg_title|nickname|ct|create_time|publish_time|msg_link|msg_source_url|msg_cdn_url)\s*=\s*(?:htmlDecode\(\s*)?(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)')"#,
    )
    .expect("static regex")
});

/// One word character, as the regex crate's Unicode `\b` defines it.
static WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\w$").expect("static regex"));

/// The JS string variables of a WeChat page, first non-empty value of each.
struct JsVars(Vec<(String, String)>);

impl JsVars {
    fn get(&self, key: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }
}

/// The variable names of [`JS_VAR`], in its order. None is a prefix of
/// another, so at most one matches at a place.
const JS_VAR_NAMES: [&str; 8] = [
    "msg_title",
    "nickname",
    "ct",
    "create_time",
    "publish_time",
    "msg_link",
    "msg_source_url",
    "msg_cdn_url",
];

/// A match of [`JS_VAR`].
struct JsVarMatch<'a> {
    key: &'static str,
    /// The string's text between its quotes, escapes as written.
    raw: &'a str,
    end: usize,
}

/// The match of [`JS_VAR`] starting at byte `p` of `s`, if there is one
/// there: the regex, hand-compiled. At each place at most one way through
/// it can match (`\s` runs are followed by non-space, the names do not
/// prefix one another, a string ends at its first unescaped quote), so
/// trying places left to right finds the regex's leftmost-first matches.
/// Why not the regex: its prefilter stops at every `var` of a page's 100 KB
/// of scripts and runs a DFA from there; this rejects most in a byte or two.
fn js_var_at(s: &str, p: usize) -> Option<JsVarMatch<'_>> {
    let rest = &s[p..];
    let skip_ws = |t: &str| t.len() - t.trim_start_matches(char::is_whitespace).len();
    let mut i = if let Some(after) = rest.strip_prefix("var") {
        let ws = skip_ws(after);
        if ws == 0 {
            return None;
        }
        3 + ws
    } else if rest.starts_with("window.") {
        7
    } else {
        return None;
    };
    let key = *JS_VAR_NAMES.iter().find(|n| rest[i..].starts_with(**n))?;
    i += key.len();
    i += skip_ws(&rest[i..]);
    i += rest[i..].strip_prefix('=').map(|_| 1)?;
    i += skip_ws(&rest[i..]);
    // `(?:htmlDecode\(\s*)?`: when it is there the string must follow it;
    // without it, a quote would have to stand where its `h` does.
    if rest[i..].starts_with("htmlDecode(") {
        i += "htmlDecode(".len();
        i += skip_ws(&rest[i..]);
    }
    let quote = rest[i..]
        .chars()
        .next()
        .filter(|q| matches!(q, '"' | '\''))?;
    let start = i + 1;
    let mut chars = rest[start..].char_indices();
    loop {
        let (k, c) = chars.next()?;
        if c == quote {
            return Some(JsVarMatch {
                key,
                raw: &rest[start..start + k],
                end: p + start + k + 1,
            });
        }
        match c {
            '\n' => return None,
            // `\\.`: any character but a newline after the backslash.
            '\\' if chars.next().is_none_or(|(_, d)| d == '\n') => return None,
            _ => {}
        }
    }
}

fn js_vars(scripts: &str) -> JsVars {
    static VAR: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new("var"));
    static WINDOW: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new("window."));
    let b = scripts.as_bytes();
    let find = |f: &memchr::memmem::Finder<'_>, from: usize| f.find(&b[from..]).map(|i| i + from);
    let mut vars: Vec<(String, String)> = Vec::new();
    // The next `var` and `window.` at or after `at`: where a match may start.
    let (mut next_var, mut next_window) = (find(&VAR, 0), find(&WINDOW, 0));
    let mut at = 0;
    loop {
        if next_var.is_some_and(|v| v < at) {
            next_var = find(&VAR, at);
        }
        if next_window.is_some_and(|w| w < at) {
            next_window = find(&WINDOW, at);
        }
        let Some(p) = next_var.into_iter().chain(next_window).min() else {
            break;
        };
        let Some(m) = js_var_at(scripts, p) else {
            at = p + 1;
            continue;
        };
        // `\bvar`: no word character right before it (else the search goes
        // on from the next character, as the regex's own `\b` would).
        if b[p] == b'v'
            && scripts[..p]
                .chars()
                .next_back()
                .is_some_and(|c| WORD.is_match(c.encode_utf8(&mut [0; 4])))
        {
            at = p + 1;
            continue;
        }
        at = m.end;
        if vars.iter().any(|(k, _)| k == m.key) {
            continue;
        }
        let value = decode_entities(&js_unescape(m.raw)).trim().to_owned();
        if !value.is_empty() {
            vars.push((m.key.to_owned(), value));
        }
    }
    JsVars(vars)
}

/// Undoes JS string escapes: `\x26`, `\u4e2d`, `\n`, `\"`, `\\`.
pub(crate) fn js_unescape(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) => out.push(ch),
                    None => out.push_str(&hex),
                }
            }
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) => out.push(ch),
                    None => out.push_str(&hex),
                }
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// Main-content extraction for pages that are not WeChat's: text is credited
/// to its nearest block ancestor; a block with a paragraph's worth of text
/// scores its parent fully and its grandparent by half (the readability
/// heuristic). The best container, scaled down by its share of link text and
/// never inside nav/header/footer/aside, wins.
fn main_content(doc: &Html) -> Option<NodeId> {
    // Pre-order list of element nodes, with their parent's index.
    let mut ids: Vec<NodeId> = Vec::new();
    let mut parent: Vec<Option<usize>> = Vec::new();
    let mut excluded: Vec<bool> = Vec::new();
    let mut own_text: Vec<usize> = Vec::new();
    let mut total: Vec<usize> = Vec::new();
    let mut link: Vec<usize> = Vec::new();
    let mut index_of = std::collections::HashMap::new();
    let mut in_link: Vec<bool> = Vec::new();
    // Index of the nearest block ancestor-or-self, so that crediting text is
    // O(1) however deep the page nests.
    let mut block_of: Vec<usize> = Vec::new();
    for node in doc.tree.root().descendants() {
        match node.value() {
            Node::Element(el) => {
                let p = node.parent().and_then(|p| index_of.get(&p.id()).copied());
                let name = el.name();
                let class_id = format!(
                    "{} {}",
                    el.attr("class").unwrap_or(""),
                    el.id().unwrap_or("")
                )
                .to_ascii_lowercase();
                let noisy = matches!(
                    name,
                    "nav"
                        | "header"
                        | "footer"
                        | "aside"
                        | "script"
                        | "style"
                        | "noscript"
                        | "form"
                        | "button"
                        | "select"
                ) || is_hidden(el)
                    || [
                        "comment",
                        "sidebar",
                        "footer",
                        "navbar",
                        "menu",
                        "breadcrumb",
                        "share",
                        "related",
                        "recommend",
                    ]
                    .iter()
                    .any(|k| class_id.contains(k));
                let ex = noisy || p.is_some_and(|i: usize| excluded[i]);
                index_of.insert(node.id(), ids.len());
                ids.push(node.id());
                parent.push(p);
                excluded.push(ex);
                in_link.push(name == "a" || p.is_some_and(|i: usize| in_link[i]));
                let me = ids.len() - 1;
                let blk = if crate::blocks::is_block(&el.name.local) || name == "li" {
                    me
                } else {
                    p.map_or(me, |i| block_of[i])
                };
                block_of.push(blk);
                own_text.push(0);
                total.push(0);
                link.push(0);
            }
            Node::Text(t) => {
                let Some(p) = node.parent().and_then(|p| index_of.get(&p.id()).copied()) else {
                    continue;
                };
                if excluded[p] {
                    continue;
                }
                let n = t.chars().filter(|c| !c.is_whitespace()).count();
                let b = block_of[p];
                own_text[b] += n;
                total[p] += n;
                if in_link[p] {
                    link[p] += n;
                }
            }
            _ => {}
        }
    }
    // Children come after their parents in pre-order: sum bottom-up.
    for i in (0..ids.len()).rev() {
        if let Some(p) = parent[i] {
            total[p] += total[i];
            link[p] += link[i];
        }
    }
    let mut score = vec![0f64; ids.len()];
    for i in 0..ids.len() {
        if own_text[i] < 25 || excluded[i] {
            continue;
        }
        #[expect(
            clippy::cast_precision_loss,
            reason = "text lengths are far below 2^52"
        )]
        let t = own_text[i] as f64;
        if let Some(p) = parent[i] {
            score[p] += t;
            if let Some(g) = parent[p] {
                score[g] += t / 2.0;
            }
        }
    }
    let mut best: Option<(usize, f64)> = None;
    for i in 0..ids.len() {
        if excluded[i] || score[i] <= 0.0 {
            continue;
        }
        #[expect(
            clippy::cast_precision_loss,
            reason = "text lengths are far below 2^52"
        )]
        let density = if total[i] == 0 {
            0.0
        } else {
            link[i] as f64 / total[i] as f64
        };
        let s = score[i] * (1.0 - density);
        if best.is_none_or(|(_, b)| s > b) {
            best = Some((i, s));
        }
    }
    match best {
        Some((i, _)) => Some(ids[i]),
        None => {
            // No paragraph anywhere: fall back to the body.
            doc.tree.root().descendants().find_map(|n| {
                n.value()
                    .as_element()
                    .is_some_and(|e| e.name() == "body")
                    .then_some(n.id())
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CORPUS: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/wechat/html"
    );

    fn corpus(name: &str) -> Option<Vec<u8>> {
        std::fs::read(format!("{CORPUS}/{name}")).ok()
    }

    #[test]
    fn js_vars_read() {
        let js = r#"var nickname = "华商报";
        var ct = "1522968980";
        var publish_time = "2018-04-06" || "";
        var msg_title = "语音 | 早安武汉\x0a〔2018.3.19&amp;周一〕";
        var msg_link = "";
        var msg_link = "http://mp.weixin.qq.com/s?__biz=MzA=&amp;mid=1&amp;idx=1&amp;sn=ab#rd";"#;
        let v = js_vars(js);
        assert_eq!(v.get("nickname").as_deref(), Some("华商报"));
        assert_eq!(v.get("ct").as_deref(), Some("1522968980"));
        assert_eq!(v.get("publish_time").as_deref(), Some("2018-04-06"));
        assert_eq!(
            v.get("msg_title").as_deref(),
            Some("语音 | 早安武汉\n〔2018.3.19&周一〕")
        );
        assert_eq!(
            v.get("msg_link").as_deref(),
            Some("http://mp.weixin.qq.com/s?__biz=MzA=&mid=1&idx=1&sn=ab#rd")
        );
    }

    #[test]
    fn wechat_article_page_fragment() {
        let page = r#"<html><head><title>关于音乐</title><script>var nickname = "闲云野鹤古刹"; var ct = "1523110915"; var msg_title = "关于音乐";</script></head>
        <body><h2 class="rich_media_title" id="activity-name">关于音乐</h2>
        <div id="meta_content"><span id="copyright_logo" class="rich_media_meta meta_original_tag">原创</span>
        <em id="post-date" class="rich_media_meta rich_media_meta_text">2018-04-07</em>
        <em class="rich_media_meta rich_media_meta_text">闲云野鹤</em>
        <span class="rich_media_meta rich_media_meta_text rich_media_meta_nickname">闲云野鹤古刹</span></div>
        <div class="rich_media_content " id="js_content" style="visibility: hidden;">
        <p><span>文艺青年消遣有四大法宝：读书、旅行、运动与音乐。</span></p>
        <p><qqmusic musicid="1" music_name="你那么爱她"></qqmusic></p>
        <p>在我的心中谁也替代不了。</p></div></body></html>"#;
        let a = parse_html(page);
        assert_eq!(a.title.as_deref(), Some("关于音乐"));
        assert_eq!(a.source.as_deref(), Some("闲云野鹤古刹"));
        assert_eq!(a.author.as_deref(), Some("闲云野鹤"));
        assert_eq!(a.published.as_deref(), Some("1523110915"));
        assert_eq!(
            a.body,
            "文艺青年消遣有四大法宝：读书、旅行、运动与音乐。\n\n在我的心中谁也替代不了。"
        );
        assert!(a.reject.is_none());
    }

    #[test]
    fn notices_rejected_by_structure() {
        for (text, reason) in [
            ("链接已过期", "expired"),
            ("该内容已被发布者删除", "deleted"),
            ("此内容因违规无法查看", "blocked"),
        ] {
            let page = format!(
                "<html><head><title></title></head><body><div class=\"weui-msg\"><div class=\"weui-msg__text-area\"><h2 class=\"weui-msg__title\">{text}</h2></div></div></body></html>"
            );
            assert_eq!(
                parse_html(&page)
                    .reject
                    .map(scour_record::RejectReason::as_str),
                Some(reason),
                "{text}"
            );
        }
        // The same words inside an article are prose, not a notice.
        let page = "<div id=\"js_content\"><p>他说链接已过期了。</p></div>";
        assert!(parse_html(page).reject.is_none());
    }

    #[test]
    fn corpus_pages() {
        let Some(bytes) = corpus("wechatsogou-article_detail_backgroud-image.html") else {
            return;
        };
        let (a, d) = parse_page(&bytes, None);
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(a.title.as_deref(), Some("4月6日周五【新闻速览一分钟】"));
        assert_eq!(a.source.as_deref(), Some("华商报"));
        assert_eq!(a.author.as_deref(), Some("🌏华商君"));
        assert!(
            a.body
                .contains("戊戌（2018）年清明公祭轩辕黄帝典礼在黄陵举行"),
            "{}",
            a.body
        );
        assert!(a.url.is_none());

        let bytes = corpus("wechatsogou-article_detail_mpvoice.html").unwrap_or_default();
        let (a, _) = parse_page(&bytes, None);
        assert_eq!(a.author, None, "读武汉关注☞ is a follow prompt");
        assert!(a.body.contains("决定李克强为中华人民共和国国务院总理"));

        let bytes = corpus("wechatsogou-bitsea-history.html").unwrap_or_default();
        let (a, _) = parse_page(&bytes, None);
        assert_eq!(
            a.reject.map(scour_record::RejectReason::as_str),
            Some("listing")
        );
        assert_eq!(a.title.as_deref(), Some("槽边往事"));
        assert_eq!(a.source.as_deref(), Some("槽边往事"));
        assert!(a.body.is_empty());

        let bytes = corpus("wechatsogou-search-gaokao-article.html").unwrap_or_default();
        let (a, _) = parse_page(&bytes, None);
        assert_eq!(
            a.reject.map(scour_record::RejectReason::as_str),
            Some("listing")
        );
        assert_eq!(
            a.title.as_deref(),
            Some("高考的相关微信公众号文章 – 搜狗微信搜索")
        );

        let bytes = corpus("wechatsogou-article_detail_expired.html").unwrap_or_default();
        let (a, _) = parse_page(&bytes, None);
        assert_eq!(
            a.reject.map(scour_record::RejectReason::as_str),
            Some("expired")
        );
    }

    /// The fast path (script and style bodies cut before parsing) and the
    /// full-DOM path give the same article; `fast` says the fast path must not
    /// have fallen back.
    fn same_both_ways(text: &str, fast: bool, what: &str) {
        let reduced = reduce(&crate::blocks::flatten_deep(text)).is_some_and(|(r, s)| {
            Scan::run(&Html::parse_document(&r), Some(Cut::Marked(&s))).is_some()
        });
        if fast {
            assert!(reduced, "{what}: fell back to the full DOM");
        }
        assert_eq!(
            format!("{:?}", parse_html(text)),
            format!("{:?}", parse_html_full(text)),
            "{what}"
        );
    }

    /// `js_vars` with the regex's own `\b`, as it was: the reference.
    fn js_vars_reference(scripts: &str) -> Vec<(String, String)> {
        let re = Regex::new(&JS_VAR.as_str().replacen("(?:var", r"(?:\bvar", 1)).unwrap();
        let mut vars: Vec<(String, String)> = Vec::new();
        for cap in re.captures_iter(scripts) {
            let key = cap.get(1).map_or("", |m| m.as_str());
            if vars.iter().any(|(k, _)| k == key) {
                continue;
            }
            let raw = cap.get(2).or_else(|| cap.get(3)).map_or("", |m| m.as_str());
            let value = decode_entities(&js_unescape(raw)).trim().to_owned();
            if !value.is_empty() {
                vars.push((key.to_owned(), value));
            }
        }
        vars
    }

    /// `js_vars` as it was, on the regex: the reference of `js_var_at`.
    fn js_vars_regex(scripts: &str) -> Vec<(String, String)> {
        let mut vars: Vec<(String, String)> = Vec::new();
        if scripts.is_empty() {
            return vars;
        }
        let mut at = 0;
        while let Some(cap) = JS_VAR.captures_at(scripts, at) {
            let Some(whole) = cap.get(0) else {
                break;
            };
            // `\bvar`: no word character right before it (else the search goes
            // on from the next character, as the regex's own `\b` would).
            if scripts[whole.start()..].starts_with("var")
                && scripts[..whole.start()]
                    .chars()
                    .next_back()
                    .is_some_and(|c| WORD.is_match(c.encode_utf8(&mut [0; 4])))
            {
                at = whole.start() + 1;
                continue;
            }
            at = whole.end();
            let Some(key) = cap.get(1).map(|m| m.as_str()) else {
                continue;
            };
            if vars.iter().any(|(k, _)| k == key) {
                continue;
            }
            let raw = cap.get(2).or_else(|| cap.get(3)).map_or("", |m| m.as_str());
            let value = decode_entities(&js_unescape(raw)).trim().to_owned();
            if !value.is_empty() {
                vars.push((key.to_owned(), value));
            }
        }
        vars
    }

    #[test]
    fn js_vars_scanner_as_regex() {
        for js in [
            "var ct = \"1\"",
            "var  \u{3000}ct\t=\n'2'",
            "varct = \"1\"; var ct= \"3\"",
            "window.nickname=htmlDecode( \"甲\")",
            "var nickname = htmlDecode(x); var nickname = htmlDecode'乙'",
            "var msg_title = \"a\\\"b\"; var ct = 'c\\'d'",
            "var msg_title = \"a\\\nb\"; var msg_title = \"e\"",
            "var msg_title = \"open",
            "var msg_title = \"a\nb\"",
            "var msg_title = \"a\\",
            "var nickname = \"var ct = '9'\"; var ct = '8'",
            "var msg_link = \"\"; var msg_link = \"http://x/?a=1&amp;b=2\"",
            "window.window.ct = \"w\"",
            "xvar ct = \"1\"; var ct = \"2\"",
            "中var ct = \"1\"",
            "var var ct = \"v\"",
            "var create_time = \"1\" var publish_time='2' var msg_source_url=\"s\" var msg_cdn_url='c'",
        ] {
            assert_eq!(js_vars(js).0, js_vars_regex(js), "{js:?}");
        }
    }

    /// Scripts from pieces of the regex: keywords, names, quotes, escapes,
    /// Unicode spaces and word characters.
    fn js_soup() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::strategy::Strategy;
        const PIECES: &[&str] = &[
            "var",
            "window.",
            " ",
            "\t",
            "\n",
            "\u{3000}",
            "\u{a0}",
            "ct",
            "nickname",
            "msg_title",
            "create_time",
            "msg_link",
            "=",
            "htmlDecode(",
            ")",
            "\"",
            "'",
            "\\",
            "a",
            "中",
            "_",
            ";",
            "x",
            "&amp;",
            "\\x41",
            "\\u4e2d",
            "é",
        ];
        proptest::collection::vec(proptest::sample::select(PIECES), 0..30).prop_map(|v| v.concat())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn js_vars_scanner_as_regex_on_soup(
            js in js_soup()
        ) {
            proptest::prop_assert_eq!(js_vars(&js).0, js_vars_regex(&js));
        }
    }

    #[test]
    fn js_vars_word_boundary_as_regex() {
        for js in [
            "xvar ct = \"1\"; var ct = \"2\";",
            "中var ct = \"1\"; window.nickname = '甲';",
            "_var ct = \"1\";var nickname = \"var ct = '9'\";",
            "xvar nickname = \"var ct = 'q'\"",
            "。var ct = \"3\"",
            "var ct = \"4\"",
            "é\u{301}var ct = \"5\" ;var ct=\"6\"",
            "a.var ct = \"7\"",
        ] {
            assert_eq!(js_vars(js).0, js_vars_reference(js), "{js}");
        }
        let Ok(entries) = std::fs::read_dir(CORPUS) else {
            return;
        };
        for e in entries.flatten() {
            let text =
                String::from_utf8_lossy(&std::fs::read(e.path()).unwrap_or_default()).into_owned();
            assert_eq!(js_vars(&text).0, js_vars_reference(&text));
        }
    }

    #[test]
    fn fast_path_equals_full_dom_on_corpus() {
        let Ok(entries) = std::fs::read_dir(CORPUS) else {
            return;
        };
        let mut n = 0;
        for e in entries.flatten() {
            let path = e.path();
            if path.extension().is_none_or(|x| x != "html") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap_or_default();
            let (_, decoded) = parse_page(&bytes, None);
            same_both_ways(&decoded.text, true, &path.display().to_string());
            // And through the whole normalizer.
            let opts = crate::Options::default();
            let p = path.to_string_lossy();
            let fast = crate::normalize(&p, &bytes, &opts);
            assert!(!fast.is_empty());
            n += 1;
        }
        assert!(n > 0);
        // The bench copies, when present, are the same pages.
        let bench = concat!(env!("CARGO_MANIFEST_DIR"), "/../../bench-work/html");
        if let Ok(entries) = std::fs::read_dir(bench) {
            for e in entries.flatten().take(16) {
                let bytes = std::fs::read(e.path()).unwrap_or_default();
                let (_, decoded) = parse_page(&bytes, None);
                same_both_ways(&decoded.text, true, &e.path().display().to_string());
            }
        }
    }

    /// The article pages take fastdom's cut tree: the walk reads no text
    /// under their scripts and styles.
    #[test]
    fn article_pages_take_the_cut_tree() {
        for name in ["backgroud-image", "iframe", "mpvoice", "qqmusic", "expired"] {
            let Some(bytes) = corpus(&format!("wechatsogou-article_detail_{name}.html")) else {
                return;
            };
            let (_, decoded) = parse_page(&bytes, None);
            let (doc, scripts) = crate::fastdom::parse_cut(&decoded.text).expect(name);
            assert!(
                Scan::run(&doc, Some(Cut::Nodes(&scripts))).is_some(),
                "{name}"
            );
        }
    }

    #[test]
    fn fast_path_equals_full_dom_on_edge_cases() {
        let head =
            "<html><head><title>T</title><script>var nickname = \"甲\";</script></head><body>";
        let cases: [(&str, bool); 22] = [
            ("<div id=\"js_content\"><p>正文</p></div>", true),
            ("<!-- <script>var nickname = \"乙\";</script> --><div id=js_content><p>x</p></div>", true),
            ("<!--> <script>var ct = \"1\";</script><div id=js_content><p>x</p></div>", true),
            ("<!---> <script>var ct = \"2\";</script><p>x</p>", true),
            ("<!-- a --!> <script>var ct = \"3\";</script><p>x</p>", false),
            ("<div title='a>b' id=js_content><p>y</p><script>var ct = \"4\";</script></div>", true),
            ("<div a'b=\"c>\" id=js_content><p>y</p></div>", true),
            ("<script>var s = '</scriptx>'; var ct = \"5\";</script><p>z</p>", true),
            ("<script>var s = '<!--'; var ct = \"6\";</script><p>z</p>", false),
            ("<script>var ct = \"7\";\r\nvar msg_title = \"a\rb\";</script><p>z</p>", true),
            ("<noscript><script>var ct = \"8\";</script></noscript><p>z</p>", true),
            ("<template><script>var ct = \"9\";</script></template><p>z</p>", false),
            ("<svg><script>var ct = \"10\";</script></svg><p>z</p>", false),
            ("<textarea><script>var ct = \"11\";</script></textarea><p>z</p>", true),
            ("<h3><script>x</script><a href=/a>a</a></h3>", false),
            ("<em class=\"rich_media_meta_text\">作者<style>p{}</style></em><p>z</p>", false),
            ("<div class=\"weui-msg\"><h2 class=\"weui-msg__title\">链接已过期</h2></div>", true),
            ("<table><tr><td><script>var ct = \"12\";</script>x</td></tr><script>var ct = \"13\";</script></table>", true),
            ("<style>h3 { a: b }</style><div id=js_content><style>.x{}</style><p>q</p></div>", true),
            ("<script/>var ct = \"14\";</script><p>z</p>", true),
            ("<SCRIPT type=x>var ct = \"15\";</SCRIPT ><p>z</p>", true),
            ("<p>a < b </ p> <? x > <!DOCTYPE y> </> <script>var ct = \"16\";</script></p>", true),
        ];
        for (body, fast) in cases {
            let page = format!("{head}{body}</body></html>");
            same_both_ways(&page, fast, body);
        }
        // Unterminated things fall back.
        same_both_ways("<p>x</p><script>var ct = \"1\";", false, "open script");
        same_both_ways("<p>x</p><div title=\"", false, "open tag");
        same_both_ways("<p>x</p><!-- open", false, "open comment");
    }

    #[test]
    fn generic_page_main_content() {
        let page = r#"<html><head><title>新闻标题 - 某网站</title><meta property="og:site_name" content="某网站"></head><body>
        <nav><ul><li><a href="/">首页</a></li><li><a href="/a">国内新闻频道导航链接文字很多很多很多很多</a></li></ul></nav>
        <div class="content"><h1>新闻标题</h1>
        <p>当前，全球人工智能技术正处于飞速发展期，尤其是自2023年以来，以生成式大模型为代表的新一代人工智能技术。</p>
        <p>这是第二段正文，讲述了人工智能治理的若干问题，以及各国监管机构的不同做法和未来的发展方向。</p></div>
        <footer><p>版权所有 © 某网站 保留所有权利 联系我们 关于我们 隐私政策 使用条款</p></footer></body></html>"#;
        let a = parse_html(page);
        assert_eq!(a.title.as_deref(), Some("新闻标题 - 某网站"));
        assert_eq!(a.source.as_deref(), Some("某网站"));
        assert!(
            a.body.starts_with("# 新闻标题\n\n当前，全球人工智能"),
            "{}",
            a.body
        );
        assert!(!a.body.contains("首页"));
        assert!(!a.body.contains("版权所有"));
    }
}
