//! Main-content extraction for pages that are not WeChat's.
//!
//! Text is credited to its nearest block (a paragraph, list item, cell,
//! heading, `div` with text of its own). A block whose text is long enough
//! to be prose and is not mostly link text is a *paragraph*; the main
//! content is where the paragraphs cluster: the `<article>`, `<main>` or
//! `articleBody` element that holds most of them, else the deepest element
//! that still holds nearly all of them. Inside it, the site's furniture is
//! cut: navigation, asides and footers, blocks whose class or id names
//! comments, sharing, related links, cookie or subscription banners (and no
//! content), and link lists (blocks mostly of link text, holding no
//! paragraph). Each cut block, and each region of the page outside the main
//! content, is recorded as a removal with its family and rule.
//!
//! Lengths are weighted by script (a CJK character counts as three Latin
//! ones: one word), so the same thresholds hold in every language; class
//! and id hints are read as ASCII tokens, which is what sites write in any
//! language, and they only cut a block that holds little of the page's
//! prose.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::blocks::is_skipped;
use super::tree::{Kind, Tree};

/// A block with at least this much text (weighted) is prose, not a label.
const PARAGRAPH: u32 = 60;

/// How many levels the main content grows to take in prose before it (a
/// lead paragraph), and how many levels it looks up for them.
const EXPAND: usize = 2;
const EXPAND_LOOK: usize = 8;

/// A block shorter than this (weighted) can be a label (`Kontakt:`).
const LABEL: u32 = 40;

/// The main content holds at least this share of the page's prose.
const HOLDS: f64 = 0.8;

/// One block cut from the page.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Cut {
    pub(crate) node: u32,
    pub(crate) family: &'static str,
    pub(crate) rule: &'static str,
}

impl Cut {
    /// A cut of the `chrome` family.
    fn chrome(node: u32, rule: &'static str) -> Cut {
        Cut {
            node,
            family: "chrome",
            rule,
        }
    }
}

/// Where the main content is, and what was cut around and inside it.
#[derive(Debug, Default)]
pub(crate) struct Extraction {
    /// The main content's root; `None` when the page holds no text.
    pub(crate) main: Option<u32>,
    /// Subtrees inside the main content to leave out, sorted.
    pub(crate) inside: Vec<Cut>,
    /// Regions outside the main content, in document order.
    pub(crate) outside: Vec<Cut>,
    /// The page's prose (weighted length of its paragraphs).
    pub(crate) prose: u32,
    /// Items of a list of articles: distinct blocks that each hold a
    /// heading with a link (a teaser), and the prose they hold together.
    pub(crate) items: usize,
    pub(crate) items_prose: u32,
}

/// The weight of a text for the thresholds: a character of a script written
/// without spaces (CJK, kana, hangul) counts three, whitespace nothing.
// Eight bytes at a time through ASCII (the non-whitespace bytes counted
// in a word), a byte at a time for the lead bytes of U+4000..U+D7FF (the
// CJK ideographs, Yi, Hangul: none of them whitespace, all weighing 3);
// other characters are decoded. Every text node of a page is weighed, and
// a character at a time this was a fifth of extraction.
pub(crate) fn weight(s: &str) -> u32 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let b = s.as_bytes();
    let mut w = 0u32;
    let mut i = 0;
    while i < b.len() {
        if let Some(chunk) = b.get(i..i + 8) {
            let x = u64::from_le_bytes(chunk.try_into().unwrap_or([0x80; 8]));
            if x & HIGH == 0 {
                // For a byte below 0x80, `(byte | 0x80) - m` borrows from no
                // other byte, and its high bit says `byte >= m`.
                let at_least = |m: u64| ((x | HIGH) - m * ONES) & HIGH;
                // Whitespace: U+0009..=U+000D and the space.
                let ws = (at_least(0x09) & !at_least(0x0e)) | (at_least(0x20) & !at_least(0x21));
                // The number of whitespace bytes: their flags summed.
                let spaces = ((ws >> 7).wrapping_mul(ONES) >> 56) as u32;
                w += 8 - spaces;
                i += 8;
                continue;
            }
        }
        match b[i] {
            b' ' | b'\t'..=b'\r' => i += 1,
            0..=0x7f => {
                w += 1;
                i += 1;
            }
            0xe4..=0xed => {
                w += 3;
                i += 3;
            }
            _ => {
                let c = s[i..].chars().next().unwrap_or(' ');
                w += char_weight(c);
                i += c.len_utf8();
            }
        }
    }
    w
}

/// The weight of one character (see [`weight`]).
fn char_weight(c: char) -> u32 {
    if c.is_whitespace() {
        0
    } else if c >= '\u{2e80}' && !('\u{ff01}'..='\u{ff60}').contains(&c) {
        3
    } else {
        1
    }
}

fn is_heading(name: &str) -> bool {
    name == "h1" || is_subheading(name)
}

/// A heading under the page's title (`h2` to `h6`): a section's, or a
/// card's in a list of other articles.
fn is_subheading(name: &str) -> bool {
    matches!(name, "h2" | "h3" | "h4" | "h5" | "h6")
}

/// Block-level elements text is credited to.
fn is_text_block(name: &str) -> bool {
    super::blocks::is_block(name)
        || matches!(
            name,
            "li" | "td" | "th" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "pre" | "tr"
        )
}

/// Words of a class or id, by the rule they name: a word starting with
/// the key names it (`comments`, `sharing`, `subscription`).
const WORD_RULES: &[(&str, &str, &str)] = &[
    ("comment", "chrome", "web/comments"),
    ("disqus", "chrome", "web/comments"),
    ("replies", "chrome", "web/comments"),
    ("cookie", "chrome", "web/cookie-banner"),
    ("consent", "chrome", "web/cookie-banner"),
    ("gdpr", "chrome", "web/cookie-banner"),
    ("newsletter", "promo", "web/subscribe"),
    ("subscri", "promo", "web/subscribe"),
    ("signup", "promo", "web/subscribe"),
    ("paywall", "promo", "web/subscribe"),
    ("share", "promo", "web/share"),
    ("sharing", "promo", "web/share"),
    ("social", "promo", "web/share"),
    ("sponsor", "promo", "web/ads"),
    ("advert", "promo", "web/ads"),
    ("promo", "promo", "web/ads"),
    ("related", "chrome", "web/related"),
    ("recommend", "chrome", "web/related"),
    ("teaser", "chrome", "web/teaser"),
    ("sidebar", "chrome", "web/aside"),
    ("widget", "chrome", "web/aside"),
    ("breadcrumb", "chrome", "web/nav"),
    ("navbar", "chrome", "web/nav"),
    ("navigation", "chrome", "web/nav"),
    ("nav", "chrome", "web/nav"),
    ("menu", "chrome", "web/nav"),
    ("pagination", "chrome", "web/nav"),
    ("pager", "chrome", "web/nav"),
    ("footer", "chrome", "web/footer"),
    ("masthead", "chrome", "web/header"),
    ("banner", "chrome", "web/header"),
    ("popup", "chrome", "web/dialog"),
    ("modal", "chrome", "web/dialog"),
    ("skip", "chrome", "web/nav"),
    ("tags", "chrome", "web/tags"),
    ("tagcloud", "chrome", "web/tags"),
    ("byline", "chrome", "web/byline"),
    ("print", "chrome", "web/tools"),
    ("rating", "chrome", "web/tools"),
    ("author", "chrome", "web/author-box"),
    ("sabox", "chrome", "web/author-box"),
    ("infobox", "chrome", "web/factbox"),
    ("factbox", "chrome", "web/factbox"),
    ("twitter", "chrome", "web/embed"),
    ("tweet", "chrome", "web/embed"),
    ("instagram", "chrome", "web/embed"),
    ("next=", "chrome", "web/related"),
    ("prev=", "chrome", "web/nav"),
    ("previous", "chrome", "web/nav"),
    ("disclosure", "chrome", "web/disclosure"),
    ("disclaimer", "chrome", "web/disclosure"),
    ("kommentar", "chrome", "web/comments"),
    ("comentario", "chrome", "web/comments"),
    ("copyright", "chrome", "web/copyright"),
    ("credit", "chrome", "web/image-credit"),
    ("caption", "chrome", "web/image-credit"),
    ("appstore", "promo", "web/ads"),
    ("anzeige", "promo", "web/ads"),
    ("ad=", "promo", "web/ads"),
    ("ads=", "promo", "web/ads"),
    ("adv=", "promo", "web/ads"),
    ("cta=", "promo", "web/ads"),
    ("meta=", "chrome", "web/byline"),
    ("date", "chrome", "web/byline"),
    ("posted", "chrome", "web/byline"),
    // Last: a block named for an image (`img-caption`, `photo-credit`,
    // `bildunterschrift`) is its caption or credit, unless it holds prose.
    ("img", "chrome", "web/image"),
    ("image", "chrome", "web/image"),
    ("photo", "chrome", "web/image"),
    ("foto", "chrome", "web/image"),
    ("bild", "chrome", "web/image"),
    ("picture", "chrome", "web/image"),
];

/// A word of [`WORD_RULES`] as [`furniture`] tries it.
struct WordKey {
    /// The rule's index in [`WORD_RULES`].
    rule: usize,
    /// The word, without its `=`.
    word: &'static [u8],
    /// Whether the class or id word must be this word whole (`key=`), not
    /// only start with it.
    whole: bool,
    /// Whether the rule is `web/image`, or `web/comments`.
    image: bool,
    comments: bool,
}

/// The words of [`WORD_RULES`] by their first byte, in the table's order,
/// with what [`furniture`] asks of each rule worked out once (it tries them
/// on every word of every class and id of the page).
static RULES_BY_FIRST: LazyLock<Vec<Vec<WordKey>>> = LazyLock::new(|| {
    let mut by_first: Vec<Vec<WordKey>> = (0..128).map(|_| Vec::new()).collect();
    for (r, &(k, _, rule)) in WORD_RULES.iter().enumerate() {
        let (word, whole) = match k.strip_suffix('=') {
            Some(whole) => (whole, true),
            None => (k, false),
        };
        by_first[usize::from(k.as_bytes()[0])].push(WordKey {
            rule: r,
            word: word.as_bytes(),
            whole,
            image: rule == "web/image",
            comments: rule == "web/comments",
        });
    }
    by_first
});

/// The first rule of [`WORD_RULES`] (its place) that each class or id asks
/// of [`first_word_rule`], per page: a page repeats its class names on
/// element after element (a menu's items, a list's entries), and reading
/// their words against the table was most of [`furniture`]'s time.
type WordRuleMemo<'t> = HashMap<(&'t str, bool), usize, foldhash::fast::FixedState>;

/// The furniture an element is by its name, role, class or id, if any:
/// `(family, rule)`.
fn furniture<'t>(
    tree: &'t Tree,
    i: u32,
    memo: &mut WordRuleMemo<'t>,
) -> Option<(&'static str, &'static str)> {
    let el = tree.element(i)?;
    let by_tag = match &*el.name {
        "nav" => Some(("chrome", "web/nav")),
        "figcaption" => Some(("chrome", "web/image-credit")),
        "aside" => Some(("chrome", "web/aside")),
        "footer" => Some(("chrome", "web/footer")),
        "form" | "button" | "select" | "dialog" => Some(("chrome", "web/form")),
        _ => None,
    };
    if by_tag.is_some() {
        return by_tag;
    }
    match el.attr("role") {
        Some("navigation" | "menu" | "menubar") => return Some(("chrome", "web/nav")),
        Some("complementary") => return Some(("chrome", "web/aside")),
        Some("contentinfo") => return Some(("chrome", "web/footer")),
        Some("dialog" | "alertdialog") => return Some(("chrome", "web/dialog")),
        _ => {}
    }
    // A heading's id is an anchor for links to its section (a table of
    // contents' `#nav_section`), made from its text: no hint.
    let id = el.id().filter(|_| !is_heading(&el.name));
    let picture = matches!(&*el.name, "img" | "picture" | "figure");
    // The first rule any word of the class or the id names wins.
    let best = [el.class.as_deref(), id]
        .into_iter()
        .flatten()
        .map(|s| {
            *memo
                .entry((s, picture))
                .or_insert_with(|| first_word_rule(s, picture))
        })
        .min()
        .unwrap_or(usize::MAX);
    WORD_RULES
        .get(best)
        .map(|&(_, family, rule)| (family, rule))
}

/// The place in [`WORD_RULES`] of the first rule a word of `s` (a class or
/// an id) names, `usize::MAX` if none; `picture`: of an image element. The
/// words of `post-comments widget_x` are `post`, `comments`, `widget`, `x`;
/// a word is tried only against the rules of its first letter.
fn first_word_rule(s: &str, picture: bool) -> usize {
    let mut best = usize::MAX;
    // Words are runs of ASCII letters and digits: split by bytes, a
    // character other than those is a run of separators.
    for w in s
        .as_bytes()
        .split(|c| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let first = usize::from(w[0].to_ascii_lowercase());
        for key in &RULES_BY_FIRST[first] {
            if key.rule >= best {
                break;
            }
            if key.image && picture {
                continue;
            }
            // `commentary` names a genre of article (an opinion piece),
            // not its readers' comments.
            if key.comments && is_commentary(w) {
                continue;
            }
            // `key=` matches the whole word only (`ad`, not `address`).
            let hit = if key.whole {
                w.eq_ignore_ascii_case(key.word)
            } else {
                w.get(..key.word.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(key.word))
            };
            if hit {
                best = key.rule;
                break;
            }
        }
    }
    best
}

/// `commentary`, `commentaries`: an article's genre in a class or id.
fn is_commentary(w: &[u8]) -> bool {
    w.eq_ignore_ascii_case(b"commentary") || w.eq_ignore_ascii_case(b"commentaries")
}

/// What extraction knows of each node, indexed by node.
struct Measures {
    /// Weighted text under the node, and the part of it in links.
    chars: Vec<u32>,
    links: Vec<u32>,
    /// Never page text: scripts, hidden elements and what they hold.
    dead: Vec<bool>,
    /// The furniture each element is by its name, role, class or id.
    flag: Vec<Option<(&'static str, &'static str)>>,
    /// The prose of a block of its own (see [`PARAGRAPH`]), and under it.
    para: Vec<u32>,
    all: Vec<u32>,
    /// Inside an element flagged as furniture.
    under_flag: Vec<bool>,
    /// Prose under the node that is not inside furniture.
    good: Vec<u32>,
    /// Whether each node is a teaser card (see [`teaser_cards`]).
    card: Vec<bool>,
}

/// Finds the main content of a generic page.
pub(crate) fn extract(tree: &Tree) -> Extraction {
    let mut m = measure(tree);
    let counts = clear_wrong_hints(tree, &mut m);
    m.card = teaser_cards(tree, &m, &counts);
    prose_outside_furniture(tree, &mut m);
    let (items, items_prose) = teasers(tree, &m.all);
    let mut ex = Extraction {
        prose: m.all[0],
        items,
        items_prose,
        ..Extraction::default()
    };
    if m.chars[0] == 0 {
        return ex;
    }
    let body = tree.find("body").unwrap_or(Tree::ROOT);
    let total = m.good[0];
    let (main, beside) = if total == 0 {
        // No paragraph anywhere (a gallery, a page of short lines): the
        // `<article>` or `<main>` that holds most of the text outside
        // furniture and links, else the body.
        let mut plain = vec![0u32; tree.nodes.len()];
        for i in (1..tree.nodes.len()).rev() {
            if matches!(tree.nodes[i].kind, Kind::Text(_)) && !m.under_flag[i] {
                plain[i] += m.chars[i] - m.links[i];
            }
            plain[tree.nodes[i].parent as usize] += plain[i];
        }
        let main = semantic_main(tree, &plain, &m.dead, plain[0]).unwrap_or(body);
        (main, Vec::new())
    } else {
        let cluster = choose_main(tree, &m.good, &m.dead, total);
        expand(tree, &m, cluster, body)
    };
    ex.main = Some(main);
    ex.inside = cut_inside(tree, &m, main, &beside);
    cut_tail(tree, &m, main, &mut ex.inside);
    cut_after_comments(tree, &m, main, &mut ex.inside);
    cut_orphans(tree, &m, main, &mut ex.inside);
    // A cut inside another (a link list in a tail cut whole) would record
    // its text twice: the outer one stands for both.
    let mut covered = 0;
    ex.inside.retain(|c| {
        let inner = c.node < covered;
        covered = covered.max(tree.end(c.node));
        !inner
    });
    ex.outside = cut_outside(tree, &m, main, body);
    ex
}

/// Text, link text, furniture hints and paragraphs of every node. Text is
/// credited to its nearest block; a block of prose (long enough, not
/// mostly link text) is a paragraph.
fn measure(tree: &Tree) -> Measures {
    let n = tree.nodes.len();
    let mut chars = vec![0u32; n];
    let mut links = vec![0u32; n];
    let mut own = vec![0u32; n];
    let mut own_links = vec![0u32; n];
    let mut block_of = vec![0u32; n];
    let mut in_link = vec![false; n];
    let mut dead = vec![false; n];
    let mut flag: Vec<Option<(&'static str, &'static str)>> = vec![None; n];
    let mut memo = WordRuleMemo::default();
    for i in 1..n {
        let p = tree.nodes[i].parent as usize;
        match &tree.nodes[i].kind {
            Kind::Element(el) => {
                dead[i] = dead[p] || is_skipped(&el.name) || el.hidden;
                in_link[i] = in_link[p] || &*el.name == "a";
                block_of[i] = if is_text_block(&el.name) {
                    i as u32
                } else {
                    block_of[p]
                };
                if !dead[i] && !matches!(&*el.name, "body" | "html" | "main" | "article") {
                    flag[i] = furniture(tree, i as u32, &mut memo);
                }
            }
            Kind::Text(t) => {
                if dead[p] {
                    continue;
                }
                let w = weight(t);
                chars[i] = w;
                let b = block_of[p] as usize;
                own[b] += w;
                if in_link[p] {
                    links[i] = w;
                    own_links[b] += w;
                }
            }
            Kind::Root => {}
        }
    }
    let mut para = vec![0u32; n];
    for i in 1..n {
        if own[i] >= PARAGRAPH && own_links[i] * 2 < own[i] && !dead[i] {
            para[i] = own[i] - own_links[i];
        }
    }
    let mut all = para.clone();
    for i in (1..n).rev() {
        let p = tree.nodes[i].parent as usize;
        chars[p] += chars[i];
        links[p] += links[i];
        all[p] += all[i];
    }
    Measures {
        chars,
        links,
        dead,
        flag,
        para,
        all,
        under_flag: vec![false; n],
        good: vec![0; n],
        card: Vec::new(),
    }
}

/// Drops the hints that cannot be furniture. A hint that would hide most
/// of the page's prose is wrong (a theme's `widget` wrapping the post);
/// comments may hold more (a long thread), unless the article's own `h1`
/// is inside. A block named for an image that holds prose is not a caption.
fn clear_wrong_hints(tree: &Tree, m: &mut Measures) -> Counts {
    let n = tree.nodes.len();
    let mut has_h1 = vec![false; n];
    let mut paras = vec![0u32; n];
    let mut heads = vec![0u32; n];
    for i in (1..n).rev() {
        let name = tree.name(i as u32);
        if name == "h1" {
            has_h1[i] = true;
        }
        heads[i] += u32::from(is_subheading(name));
        let p = tree.nodes[i].parent as usize;
        if has_h1[i] {
            has_h1[p] = true;
        }
        paras[i] += u32::from(m.para[i] > 0);
        paras[p] += paras[i];
        heads[p] += heads[i];
    }
    // A hint the paragraphs themselves carry, so many of them that they
    // hold most of the page's prose, names no furniture: a generated style
    // name on every paragraph (`tagStyle_x1` reads as `tags`).
    let mut by_rule: Vec<(&'static str, u32, u32)> = Vec::new();
    // Captions that hold paragraphs, three or more of them holding most of
    // the page's prose, are the article's text: a gallery's slides, each a
    // `<figure>` whose `<figcaption>` tells its part (outermost captions
    // counted, each once).
    let (mut captions, mut captions_prose, mut until) = (0u32, 0u32, 0u32);
    for i in 1..n {
        let Some((_, rule)) = m.flag[i] else { continue };
        if m.para[i] > 0 {
            match by_rule.iter_mut().find(|(r, _, _)| *r == rule) {
                Some((_, count, sum)) => {
                    *count += 1;
                    *sum += m.para[i];
                }
                None => by_rule.push((rule, 1, m.para[i])),
            }
        }
        if rule == "web/image-credit" && m.all[i] > 0 && i as u32 >= until {
            captions += 1;
            captions_prose += m.all[i];
            until = tree.end(i as u32);
        }
    }
    let gallery = captions >= 3 && 2 * captions_prose > m.all[0];
    let shared_wrong = |rule: &str| {
        (gallery && rule == "web/image-credit")
            || by_rule
                .iter()
                .any(|&(r, count, sum)| r == rule && count >= 3 && 2 * sum > m.all[0])
    };
    for (i, &h1) in has_h1.iter().enumerate().skip(1) {
        let Some((_, rule)) = m.flag[i] else { continue };
        if shared_wrong(rule) {
            m.flag[i] = None;
            continue;
        }
        let wrong = match rule {
            "web/comments" => h1 && 2 * m.all[i] > m.all[0],
            // An advertisement is not written in paragraphs: a block of
            // them named for ads is a section that holds ad slots
            // (`section--has-ads`).
            // A print or rating tool is a button or a line: a block named
            // for it that holds much text without links is content marked
            // for printing (`print-full`), a recipe's ingredients.
            "web/tools" => m.chars[i] - m.links[i] >= 2 * PARAGRAPH || 2 * m.all[i] > m.all[0],
            "web/ads" => paras[i] >= 2 || m.all[i] >= 4 * PARAGRAPH || 2 * m.all[i] > m.all[0],
            "web/image" => m.chars[i] >= 4 * PARAGRAPH || 2 * m.all[i] > m.all[0],
            // A teaser without links is this article's own (a standfirst).
            "web/teaser" => (m.links[i] == 0 && m.all[i] > 0) || 2 * m.all[i] > m.all[0],
            // A consent banner is a paragraph or two, and it is never the
            // article, even on a page whose article is all links (a link
            // roll): a block named for cookies is not one when it holds
            // the article's `h1` or more paragraphs than a banner has.
            "web/cookie-banner" => 2 * m.all[i] > m.all[0] && (h1 || paras[i] >= 3),
            _ => 2 * m.all[i] > m.all[0],
        };
        if wrong {
            m.flag[i] = None;
        }
    }
    Counts { paras, heads }
}

/// Paragraphs and headings (`h2` to `h6`) under each node.
struct Counts {
    paras: Vec<u32>,
    heads: Vec<u32>,
}

/// Teaser cards: the items of a block of three or more (four in five of
/// its children with text, or more), each a heading that is a link
/// (another article's title) over a line or two of its summary and at
/// most one paragraph, as a "more on this" slider or a list of news shows
/// them. Their summaries are sentences, and a page may show more of them
/// than the article has paragraphs: counted as the page's prose, they
/// drew the main content out of the article to take them in. They count
/// as no prose of the page's, and inside the main content they are cut
/// (`web/related`; outside it they go with the rest), in any language, by
/// their shape.
fn teaser_cards(tree: &Tree, m: &Measures, counts: &Counts) -> Vec<bool> {
    let n = tree.nodes.len();
    let Counts { paras, heads } = counts;
    let card = |k: u32| {
        let u = k as usize;
        if heads[u] == 0
            || tree.element(k).is_none()
            || m.dead[u]
            || paras[u] > 1
            || m.chars[u] - m.links[u] > 3 * PARAGRAPH
        {
            return false;
        }
        // Its heading is near its start (a card is small).
        (k + 1..tree.end(k).min(k + 64))
            .find(|&h| is_subheading(tree.name(h)))
            .is_some_and(|h| {
                let u = h as usize;
                m.chars[u] > 0 && m.links[u] * 10 >= m.chars[u] * 8 && links_away(tree, k, h)
            })
    };
    let mut cards = vec![false; n];
    let mut found = Vec::new();
    for i in 1..n as u32 {
        // Only a block that holds prose, and three headings, can hold
        // three cards with summaries.
        if heads[i as usize] < 3 || m.all[i as usize] == 0 || tree.element(i).is_none() {
            continue;
        }
        found.clear();
        let mut all = 0;
        for k in tree.children(i).filter(|&k| m.chars[k as usize] > 0) {
            all += 1;
            if card(k) {
                found.push(k);
            }
        }
        if found.len() >= 3 && found.len() * 5 >= all * 4 {
            for &k in &found {
                cards[k as usize] = true;
            }
        }
    }
    cards
}

/// Whether heading `h` of card `k` is a link to another page: an `<a>`
/// around it (up to the card) or in it, with an `href` that is not a place
/// on this page nor a script (an accordion's title is a link to nowhere).
fn links_away(tree: &Tree, k: u32, h: u32) -> bool {
    let away = |a: u32| {
        tree.element(a)
            .is_some_and(|el| el.href_elsewhere().is_some())
    };
    let mut at = h;
    while at > k {
        if away(at) {
            return true;
        }
        match tree.parent(at) {
            Some(p) => at = p,
            None => break,
        }
    }
    (h + 1..tree.end(h)).any(away)
}

/// The prose of each node that is not inside furniture (nor in a teaser
/// card, see [`teaser_cards`]).
fn prose_outside_furniture(tree: &Tree, m: &mut Measures) {
    let n = tree.nodes.len();
    let mut in_card = vec![false; n];
    let (mut article, mut teased) = (0u64, 0u64);
    for i in 1..n {
        let p = tree.nodes[i].parent as usize;
        m.under_flag[i] = m.under_flag[p] || m.flag[i].is_some();
        in_card[i] = in_card[p] || m.card[i];
        if !m.under_flag[i] {
            if in_card[i] {
                teased += u64::from(m.para[i]);
            } else {
                article += u64::from(m.para[i]);
                m.good[i] = m.para[i];
            }
        }
    }
    // Cards that hold nearly all of the page's prose are the page (a
    // listing, or a list of linked items with a line each): no teasers.
    if 3 * article < teased {
        m.card.fill(false);
        for i in 1..n {
            if !m.under_flag[i] {
                m.good[i] = m.para[i];
            }
        }
    }
    for i in (1..n).rev() {
        let p = tree.nodes[i].parent as usize;
        m.good[p] += m.good[i];
    }
}

/// Teasers: the distinct blocks around headings that hold a link, and the
/// prose they hold together.
fn teasers(tree: &Tree, all: &[u32]) -> (usize, u32) {
    let mut containers: Vec<u32> = Vec::new();
    for i in 1..tree.nodes.len() as u32 {
        if matches!(tree.name(i), "h2" | "h3" | "h4")
            && (i + 1..tree.end(i).min(i + 64)).any(|d| tree.name(d) == "a")
        {
            if let Some(p) = tree.parent(i) {
                if containers.last() != Some(&p) && p != Tree::ROOT {
                    containers.push(p);
                }
            }
        }
    }
    containers.sort_unstable();
    containers.dedup();
    let mut items_prose = 0;
    let mut covered = 0;
    for &c in &containers {
        if c >= covered {
            items_prose += all[c as usize];
            covered = tree.end(c);
        }
    }
    (containers.len(), items_prose)
}

/// Grows the cluster to take in prose before it (a lead paragraph above
/// the body's container, a standfirst in the article's header): up to
/// [`EXPAND`] ancestors that add prose before it, looking up to
/// [`EXPAND_LOOK`] levels. What the grown main content gains besides that
/// prose (siblings without prose before the cluster, everything after it)
/// is returned to be cut.
fn expand(tree: &Tree, m: &Measures, cluster: u32, body: u32) -> (u32, Vec<u32>) {
    let mut main = cluster;
    let mut beside = Vec::new();
    let mut pending = Vec::new();
    let mut levels = 0;
    let mut at = cluster;
    for _ in 0..EXPAND_LOOK {
        if levels == EXPAND {
            break;
        }
        let Some(p) = tree.parent(at) else { break };
        if p == Tree::ROOT || p == body {
            break;
        }
        let mut before = 0;
        let mut seen = false;
        for c in tree.children(p) {
            if c == at {
                seen = true;
                continue;
            }
            if !seen {
                before += m.good[c as usize];
            }
            if m.chars[c as usize] > 0 && (seen || m.good[c as usize] == 0) {
                pending.push(c);
            }
        }
        at = p;
        if before > 0 {
            levels += 1;
            main = p;
            beside.append(&mut pending);
        }
    }
    (main, beside)
}

/// Inside the main content: furniture and link lists that hold little
/// prose, what [`expand`] took in beside the prose, and short blocks that
/// hold a date (`<time>`) and no paragraph. A fact box (`<aside>`, a
/// `widget` or `infobox` block: a pull quote, a recipe card) that holds
/// prose, few links, and stands between the article's paragraphs stays.
fn cut_inside(tree: &Tree, m: &Measures, main: u32, beside: &[u32]) -> Vec<Cut> {
    let mut inside = Vec::new();
    let main_good = m.good[main as usize];
    let last_good = (main + 1..tree.end(main))
        .rev()
        .find(|&i| m.para[i as usize] > 0 && !m.under_flag[i as usize])
        .unwrap_or(main);
    let first_good = (main + 1..tree.end(main))
        .find(|&i| m.para[i as usize] > 0 && !m.under_flag[i as usize])
        .unwrap_or(u32::MAX);
    let fact_box = |i: u32| {
        let u = i as usize;
        matches!(m.flag[u], Some((_, "web/factbox" | "web/aside")))
            && first_good < i
            && m.all[u] >= PARAGRAPH
            && m.links[u] * 10 < m.chars[u] * 3
            && tree.end(i) <= last_good
    };
    let dateline = |i: u32| {
        let u = i as usize;
        m.chars[u] < PARAGRAPH && m.para[u] == 0 && tree.children(i).any(|c| tree.name(c) == "time")
    };
    let mut i = main + 1;
    while i < tree.end(main) {
        let u = i as usize;
        if m.dead[u] || tree.element(i).is_none() {
            i += 1;
            continue;
        }
        let little_prose = f64::from(m.good[u]) < 0.3 * f64::from(main_good.max(1));
        let cut = if let Some((family, rule)) = m.flag[u].filter(|_| little_prose && !fact_box(i)) {
            Some((family, rule))
        } else if beside.contains(&i) {
            Some(m.flag[u].unwrap_or(("chrome", "web/outside-main")))
        } else if m.good[u] == 0
            && m.chars[u] >= 20
            && m.links[u] * 10 >= m.chars[u] * 6
            && !matches!(tree.name(i), "a" | "span" | "strong" | "b" | "em" | "i")
        {
            Some(("chrome", "web/link-list"))
        } else if m.card[u] && !fact_box(i) {
            Some(("chrome", "web/related"))
        } else if dateline(i) {
            Some(("chrome", "web/byline"))
        } else {
            None
        };
        if let Some((family, rule)) = cut {
            if m.chars[u] > 0 {
                inside.push(Cut {
                    node: i,
                    family,
                    rule,
                });
            }
            i = tree.end(i);
        } else {
            i += 1;
        }
    }
    inside
}

/// After the comments: the last section named for comments (kept as
/// furniture by [`clear_wrong_hints`]), when two thirds of the main
/// content's prose or more come before it, ends the article. What follows
/// it inside the main content (the comment form's notes, the site's
/// closing boilerplate: an advertising offer, a copyright notice) goes, as
/// does a short heading just before it (its title). Not on a page of
/// more than two such sections: on a page of questions and answers, or a
/// forum's thread, each post has its own, and the posts after the first
/// one's are content. A comment count in the byline comes before the
/// prose, and is not an end.
fn cut_after_comments(tree: &Tree, m: &Measures, main: u32, inside: &mut Vec<Cut>) {
    let main_good = m.good[main as usize];
    let end = tree.end(main);
    // The prose of the paragraphs before `i`, outside furniture.
    let mut before = 0u32;
    let mut i = main + 1;
    let mut comments = None;
    let mut sections = 0;
    while i < end {
        let u = i as usize;
        if matches!(m.flag[u], Some((_, "web/comments"))) {
            // A section, not a word in a line or a code's highlighted
            // comment (`<span class="hljs-comment">`).
            let section = matches!(
                tree.name(i),
                "div" | "section" | "aside" | "footer" | "form" | "ol" | "ul" | "dl"
            );
            sections += usize::from(section);
            if section && before > 0 && 3 * u64::from(before) >= 2 * u64::from(main_good) {
                comments = Some(i);
            }
            i = tree.end(i);
            continue;
        }
        if !m.under_flag[u] {
            before += m.para[u];
        }
        i += 1;
    }
    let Some(comments) = comments.filter(|_| sections <= 2) else {
        return;
    };
    let is_cut = |j: u32| inside.iter().any(|c| c.node <= j && j < tree.end(c.node));
    let holds_cut = |j: u32| inside.iter().any(|c| j < c.node && c.node < tree.end(j));
    let mut after = Vec::new();
    // The heading before it: its previous sibling with text.
    if let Some(p) = tree.parent(comments) {
        let prev = tree
            .children(p)
            .take_while(|&c| c != comments)
            .filter(|&c| m.chars[c as usize] > 0)
            .last();
        if let Some(h) =
            prev.filter(|&h| is_heading(tree.name(h)) && m.chars[h as usize] < LABEL && !is_cut(h))
        {
            after.push(h);
        }
    }
    let mut j = tree.end(comments);
    while j < end {
        let u = j as usize;
        if m.dead[u] || m.chars[u] == 0 || is_cut(j) {
            j = tree.end(j);
        } else if holds_cut(j) {
            j += 1;
        } else {
            after.push(j);
            j = tree.end(j);
        }
    }
    inside.extend(
        after
            .into_iter()
            .map(|a| Cut::chrome(a, "web/after-comments")),
    );
    inside.sort_by_key(|c| c.node);
}

/// The tail: after the main content's last paragraph come the page's
/// closing furniture (share prompts, "more on this", author boxes, tags);
/// what is not prose there goes, save lists, tables and code without
/// links, and the short paragraphs without links that directly follow the
/// last one (a closing sentence, a sign-off).
fn cut_tail(tree: &Tree, m: &Measures, main: u32, inside: &mut Vec<Cut>) {
    let inside_cut: Vec<u32> = inside.iter().map(|c| c.node).collect();
    let is_cut = |i: u32| inside_cut.iter().any(|&c| c <= i && i < tree.end(c));
    let last_para = (main + 1..tree.end(main))
        .rev()
        .find(|&i| m.para[i as usize] > 0 && !m.under_flag[i as usize] && !is_cut(i));
    let Some(mut last) = last_para else { return };
    // A paragraph in a list's item or a table's cell: the rest of that
    // list or table goes on with it.
    if matches!(tree.name(last), "li" | "dd" | "dt" | "td" | "th") {
        let mut at = last;
        while let Some(p) = tree.parent(at) {
            if p == main || p == Tree::ROOT {
                break;
            }
            if matches!(tree.name(p), "ul" | "ol" | "dl" | "table") {
                last = p;
                break;
            }
            at = p;
        }
    }
    let mut i = tree.end(last);
    let mut tail = Vec::new();
    let mut run = true;
    while i < tree.end(main) {
        let u = i as usize;
        if m.dead[u] || m.chars[u] == 0 || inside_cut.binary_search(&i).is_ok() {
            if m.chars[u] > 0 && !m.dead[u] {
                run = false;
            }
            i = tree.end(i);
            continue;
        }
        run = run && tree.name(i) == "p" && m.links[u] == 0 && m.flag[u].is_none();
        let keep = run
            || (matches!(tree.name(i), "ul" | "ol" | "table" | "pre" | "dl")
                && m.links[u] * 10 < m.chars[u] * 3)
            || in_open_paragraph(tree, m, main, i);
        if !keep {
            tail.push(i);
        }
        i = tree.end(i);
    }
    inside.extend(tail.into_iter().map(|t| Cut::chrome(t, "web/tail")));
    inside.sort_by_key(|c| c.node);
}

/// Text (or an inline element) after the last paragraph's start that is
/// still that paragraph's, or an enclosing one's: a block of prose whose
/// lines are split by `<br>` and a nested block (a `div` of text with an
/// image `div` inside) goes on after it.
fn in_open_paragraph(tree: &Tree, m: &Measures, main: u32, i: u32) -> bool {
    if tree.element(i).is_some_and(|el| is_text_block(&el.name)) {
        return false;
    }
    let mut at = i;
    while let Some(p) = tree.parent(at) {
        if p == main {
            // The main content's own text, when it is prose (a blog's
            // post body written as lines split by `<br>`, with a quote or
            // an image block nested in it).
            return is_text_block(tree.name(p)) && m.para[p as usize] > 0;
        }
        if p == Tree::ROOT {
            return false;
        }
        if is_text_block(tree.name(p)) {
            return m.para[p as usize] > 0 && !m.under_flag[p as usize];
        }
        at = p;
    }
    false
}

/// A short label: a heading shorter than a paragraph, or a short block
/// without links that ends on a colon or is all bold (`Kontakt:`,
/// `**Lesen Sie auch**`).
fn is_label(tree: &Tree, m: &Measures, i: u32, name: &str) -> bool {
    let u = i as usize;
    if is_heading(name) {
        return m.chars[u] < PARAGRAPH;
    }
    if !matches!(name, "p" | "div" | "dt") || m.chars[u] == 0 || m.chars[u] >= LABEL {
        return false;
    }
    if m.links[u] > 0 {
        return false;
    }
    let t = tree.text(i);
    t.ends_with(':')
        || t.ends_with('：')
        || tree.children(i).next().is_some_and(|c| {
            matches!(tree.name(c), "strong" | "b") && m.chars[c as usize] == m.chars[u]
        })
}

/// A label whose section was cut whole (`Mehr zum Thema` over a link
/// list), or that ends the main content, goes with it.
fn cut_orphans(tree: &Tree, m: &Measures, main: u32, inside: &mut Vec<Cut>) {
    let mut orphans = Vec::new();
    let mut pending: Option<u32> = None;
    let mut k = 0;
    let mut i = main + 1;
    while i < tree.end(main) {
        let u = i as usize;
        if let Some(c) = inside.get(k).filter(|c| c.node == i) {
            // A picture's caption or credit cut under a heading leaves the
            // heading over the section's text that follows.
            if !matches!(c.rule, "web/image-credit" | "web/image") {
                orphans.extend(pending.take());
            }
            k += 1;
            i = tree.end(i);
            continue;
        }
        match &tree.nodes[u].kind {
            Kind::Element(el)
                if m.dead[u] || is_heading(&el.name) || is_label(tree, m, i, &el.name) =>
            {
                if !m.dead[u] && m.chars[u] > 0 && is_label(tree, m, i, &el.name) {
                    pending = Some(i);
                }
                i = tree.end(i);
                continue;
            }
            Kind::Text(t) if !t.trim().is_empty() && m.chars[u] > 0 => pending = None,
            _ => {}
        }
        i += 1;
    }
    orphans.extend(pending);
    inside.extend(
        orphans
            .into_iter()
            .map(|h| Cut::chrome(h, "web/orphan-heading")),
    );
    inside.sort_by_key(|c| c.node);
}

/// Outside: the siblings of each ancestor of the main content, up to the
/// body, in document order.
fn cut_outside(tree: &Tree, m: &Measures, main: u32, body: u32) -> Vec<Cut> {
    let mut outside = Vec::new();
    let mut at = main;
    while at != body && at != Tree::ROOT {
        let Some(p) = tree.parent(at) else { break };
        for c in tree.children(p) {
            if c != at && m.chars[c as usize] > 0 && !m.dead[c as usize] {
                let (family, rule) = m.flag[c as usize].unwrap_or(("chrome", "web/outside-main"));
                outside.push(Cut {
                    node: c,
                    family,
                    rule,
                });
            }
        }
        at = p;
    }
    outside.sort_by_key(|c| c.node);
    outside
}

/// The element the prose clusters in: the innermost `<article>`, `<main>`
/// or `articleBody` holding most of it, else the deepest element holding
/// nearly all of it.
fn choose_main(tree: &Tree, good: &[u32], dead: &[bool], total: u32) -> u32 {
    if let Some(b) = semantic_main(tree, good, dead, total) {
        return b;
    }
    let total_f = f64::from(total);
    let mut n = Tree::ROOT;
    loop {
        let next = tree
            .children(n)
            .filter(|&c| tree.element(c).is_some())
            .max_by_key(|&c| good[c as usize]);
        match next {
            Some(c) if f64::from(good[c as usize]) >= HOLDS * total_f => n = c,
            _ => return n,
        }
    }
}

/// The innermost `<article>`, `<main>` or `articleBody` holding 60% of
/// `total` (by `good`).
fn semantic_main(tree: &Tree, good: &[u32], dead: &[bool], total: u32) -> Option<u32> {
    let total_f = f64::from(total);
    // A semantic container holding most of the prose.
    let mut best: Option<u32> = None;
    for i in 1..tree.nodes.len() as u32 {
        let Some(el) = tree.element(i) else { continue };
        if dead[i as usize] {
            continue;
        }
        let semantic = matches!(&*el.name, "article" | "main")
            || el.attr("itemprop") == Some("articleBody")
            || el.attr("role") == Some("main");
        if semantic && f64::from(good[i as usize]) >= 0.6 * total_f {
            // The innermost such container wins (an `article` in `main`).
            best = Some(i);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-level [`weight`] is the sum of [`char_weight`] over the
    /// characters, on every kind of character it reads apart.
    #[test]
    fn weight_is_the_sum_of_char_weights() {
        let samples = [
            "",
            "a",
            " \t\n\x0b\x0c\r",
            "\u{1c}\u{1f}\u{7f}",
            "中文，。",
            "\u{3000}\u{a0}\u{85}\u{2028}",
            "\u{4000}\u{3fff}\u{d7ff}\u{e000}\u{ff01}\u{ff60}\u{ff61}\u{2e7f}\u{2e80}",
            "é😀ｱ가힣",
            "Käse – 東京 ｢x｣ \u{feff}",
        ];
        for s in samples {
            assert_eq!(weight(s), s.chars().map(char_weight).sum::<u32>(), "{s:?}");
        }
        for c in (0..=0x0010_ffff).filter_map(char::from_u32) {
            assert_eq!(weight(c.encode_utf8(&mut [0; 4])), char_weight(c), "{c:?}");
        }
        // Every ASCII byte at every place of an eight-byte word, with
        // other characters around it.
        for c in 0..0x80u8 {
            for at in 0..9 {
                for around in ["a", " ", "中", "é"] {
                    let mut s = around.repeat(at);
                    s.push(char::from(c));
                    s.push_str(&"x\t".repeat(5));
                    let by_char: u32 = s.chars().map(char_weight).sum();
                    assert_eq!(weight(&s), by_char, "{s:?}");
                }
            }
        }
    }

    #[test]
    fn weights_scripts_alike() {
        assert_eq!(weight("ab c"), 3);
        assert_eq!(weight("中文"), 6);
        assert_eq!(weight("，"), 1);
    }

    /// The hint of each element is the first rule any word of its class or
    /// id names, whether or not an earlier element with the same class was
    /// asked (the memo), and an image's class naming a picture is no hint.
    #[test]
    fn furniture_hints_with_repeated_classes() {
        let t = super::super::tree::parse(
            r#"<body><div class="photo-box">a</div><img class="photo-box" src="x.png">
            <figure class="photo-box"></figure><div class="photo-box" id="comments">b</div>
            <div class="entry-comments">c</div><div class="entry-comments" id="share">d</div>
            <h2 id="comments">Section</h2><div class="commentary">e</div><div class="commentary">f</div>
            <div class="photo-box">g</div></body>"#,
        );
        let expected = [
            ("div", Some("web/image")),
            ("img", None),
            ("figure", None),
            // The id's rule comes first in the table.
            ("div", Some("web/comments")),
            ("div", Some("web/comments")),
            ("div", Some("web/comments")),
            ("h2", None),
            ("div", None),
            ("div", None),
            ("div", Some("web/image")),
        ];
        let elements: Vec<u32> = (1..t.nodes.len() as u32)
            .filter(|&i| {
                t.element(i)
                    .is_some_and(|e| !matches!(&*e.name, "html" | "head" | "body"))
            })
            .collect();
        let fresh: Vec<_> = elements
            .iter()
            .map(|&i| furniture(&t, i, &mut WordRuleMemo::default()).map(|f| f.1))
            .collect();
        let mut memo = WordRuleMemo::default();
        let shared: Vec<_> = elements
            .iter()
            .map(|&i| furniture(&t, i, &mut memo).map(|f| f.1))
            .collect();
        let names: Vec<&str> = elements.iter().map(|&i| t.name(i)).collect();
        let got: Vec<_> = names.iter().copied().zip(shared.iter().copied()).collect();
        assert_eq!(got, expected);
        assert_eq!(fresh, shared);
    }

    #[test]
    fn main_content_and_cuts() {
        let t = super::super::tree::parse(
            r#"<body><nav><a href="/">Start</a> <a href="/x">Politik</a></nav>
            <div class="wrap"><div class="post">
            <p>Der erste Absatz des Artikels ist lang genug, um als Prosa zu zählen, und er erzählt etwas.</p>
            <p>Der zweite Absatz ist ebenfalls lang genug, um als Prosa zu gelten, mit weiteren Einzelheiten.</p>
            <div class="share-buttons"><a href="/s">Teilen</a></div>
            <ul><li><a href="/a">Ein verwandter Artikel mit Titel</a></li><li><a href="/b">Noch einer mit Titel</a></li></ul>
            </div><div id="comments"><p>Ein Leserkommentar, der ebenfalls lang genug ist, um als Absatz zu gelten, aber keiner ist.</p></div></div>
            <footer>Impressum</footer></body>"#,
        );
        let ex = extract(&t);
        let main = ex.main.unwrap();
        assert_eq!(
            t.element(main).and_then(|e| e.class.as_deref()),
            Some("post")
        );
        let rules: Vec<&str> = ex.inside.iter().map(|c| c.rule).collect();
        assert_eq!(rules, ["web/share", "web/link-list"]);
        let outside: Vec<&str> = ex.outside.iter().map(|c| c.rule).collect();
        assert_eq!(outside, ["web/nav", "web/comments", "web/footer"]);
    }

    /// The text the main content keeps: its text nodes outside the cuts.
    fn kept_text(t: &Tree, ex: &Extraction) -> String {
        let main = ex.main.unwrap();
        let mut words = Vec::new();
        let mut i = main + 1;
        while i < t.end(main) {
            if let Some(c) = ex.inside.iter().find(|c| c.node == i) {
                i = t.end(c.node);
                continue;
            }
            if let Kind::Text(s) = &t.nodes[i as usize].kind {
                words.extend(s.split_whitespace());
            }
            i += 1;
        }
        words.join(" ")
    }

    /// The cuts inside the main content, as (rule, text).
    fn inside_cuts(t: &Tree, ex: &Extraction) -> Vec<(&'static str, String)> {
        ex.inside.iter().map(|c| (c.rule, t.text(c.node))).collect()
    }

    #[test]
    fn a_cookie_banner_is_never_the_main_content() {
        // The post is a link roll (no paragraph of its own); the consent
        // banner is the page's only prose.
        let t = super::super::tree::parse(
            r#"<body><main><article><h1>Links of the day</h1><ul>
            <li><a href="/a">A first story somewhere else</a> via <a href="/x">Site</a></li>
            <li><a href="/b">A second story somewhere else</a> via <a href="/y">Other</a></li>
            </ul></article></main>
            <div class="widget widget_eu_cookie_law_widget"><div id="eu-cookie-law">Privacy and cookies: this site uses cookies. By continuing to use this website, you agree to their use.</div></div>
            </body>"#,
        );
        let ex = extract(&t);
        assert_eq!(t.name(ex.main.unwrap()), "article");
        let outside: Vec<&str> = ex.outside.iter().map(|c| c.rule).collect();
        assert_eq!(outside, ["web/cookie-banner"]);
        // A block named for cookies that holds the article (its `h1` and
        // its paragraphs) is no banner: nothing is cut.
        let t = super::super::tree::parse(
            r#"<body><div class="page cookies-accepted"><h1>The title</h1>
            <p>The first paragraph of the article is long enough to count as prose, and it says something.</p>
            <p>The second paragraph is long enough to count as prose as well, with more of the details.</p>
            <p>The third paragraph is long enough to count as prose too, and it closes the article well.</p>
            </div></body>"#,
        );
        let ex = extract(&t);
        assert_eq!(
            t.element(ex.main.unwrap()).and_then(|e| e.class.as_deref()),
            Some("page cookies-accepted")
        );
        assert!(
            ex.inside.is_empty() && ex.outside.is_empty(),
            "{:?} {:?}",
            ex.inside,
            ex.outside
        );
    }

    const ARTICLE: &str = r"<h1>The title</h1>
        <p>The first paragraph of the article is long enough to count as prose, and it says something.</p>
        <p>The second paragraph is long enough to count as prose as well, with more of the details.</p>
        <p>The third paragraph is long enough to count as prose too, and it closes the article well.</p>";

    #[test]
    fn what_follows_the_comments_goes() {
        let page = format!(
            r#"<body><div class="post">{ARTICLE}
            <p>A fourth paragraph: the article goes on for long enough to be most of the page's prose.</p>
            <p>A fifth paragraph, because the comments come after two thirds of the prose or more of it.</p>
            <h3>Comments</h3><div class="fb-comments" data-numposts="10"></div>
            <p><em>Advertise with the most visited news site ~ we offer customizable digital marketing packages.</em></p>
            <p>&copy; 2022, The Site. This article is the copyrighted property of The Site, reprint only with permission.</p>
            </div></body>"#
        );
        let t = super::super::tree::parse(&page);
        let ex = extract(&t);
        assert_eq!(
            t.element(ex.main.unwrap()).and_then(|e| e.class.as_deref()),
            Some("post")
        );
        let cuts = inside_cuts(&t, &ex);
        assert_eq!(
            cuts,
            [
                ("web/after-comments", "Comments".to_owned()),
                ("web/after-comments", "Advertise with the most visited news site ~ we offer customizable digital marketing packages.".to_owned()),
                ("web/after-comments", "© 2022, The Site. This article is the copyrighted property of The Site, reprint only with permission.".to_owned()),
            ]
        );
    }

    #[test]
    fn comments_that_do_not_end_the_article() {
        // A comment count before the prose; a highlighted comment in code;
        // a forum's thread where each of three posts is a comment.
        let pages = [
            format!(
                r#"<body><div class="post"><div class="comment-count"><a href="/c">3 comments</a></div>{ARTICLE}
                <p>A closing paragraph after all of that, long enough to be prose, and it is the article's end.</p></div></body>"#
            ),
            format!(
                r#"<body><div class="post">{ARTICLE}<pre><code>x = 1 <span class="hljs-comment"># one</span>
                y = 2</code></pre>
                <p>A closing paragraph after the code, long enough to be prose, and it is the article's own end.</p></div></body>"#
            ),
            format!(
                r#"<body><div class="thread"><div class="post"><div id="comment101">Ann</div><div>{ARTICLE}</div></div>
                <div class="post"><div id="comment102">Bob</div><div><p>The first answer is long enough to count as prose, and it answers the question.</p></div></div>
                <div class="post"><div id="comment103">Cy</div><div><p>The second answer is long enough to count as prose, and it answers it again.</p></div></div>
                </div></body>"#
            ),
        ];
        for page in &pages {
            let t = super::super::tree::parse(page);
            let ex = extract(&t);
            let cuts = inside_cuts(&t, &ex);
            assert!(
                cuts.iter().all(|(rule, _)| *rule != "web/after-comments"),
                "{page}: {cuts:?}"
            );
            let kept = t.text(ex.main.unwrap());
            assert!(kept.contains("closes the article well"), "{page}: {kept}");
        }
    }

    #[test]
    fn a_gallery_told_in_its_captions_is_the_article() {
        let slide = |n: u32| {
            format!(
                r#"<figure class="slide"><h2>{n}. A costume</h2><img src="/{n}.jpg">
                <figcaption><p>Slide {n} tells its part of the article in a caption long enough to be prose.</p>
                <p>What you need: a jumper, a collar and a headband, all of them from the back of a wardrobe.</p></figcaption></figure>"#
            )
        };
        let page = format!(
            r#"<body><article><h1>Costumes</h1><p>An introduction long enough to be prose, before the slides come one by one.</p>
            <div class="slides">{}{}{}</div></article></body>"#,
            slide(1),
            slide(2),
            slide(3)
        );
        let t = super::super::tree::parse(&page);
        let ex = extract(&t);
        assert!(
            ex.inside.is_empty() && ex.outside.is_empty(),
            "{:?} {:?}",
            ex.inside,
            ex.outside
        );
        assert!(t.text(ex.main.unwrap()).contains("Slide 3 tells its part"));
        // Captions that are credits, beside the article's paragraphs, go.
        let figure = |n: u32| {
            format!(
                r#"<figure><img src="/{n}.jpg"><figcaption>Photo: Agency {n}</figcaption></figure>"#
            )
        };
        let page = format!(
            r"<body><article>{ARTICLE}{}{}{}<p>A closing paragraph after the pictures, long enough to be prose, the end.</p></article></body>",
            figure(1),
            figure(2),
            figure(3)
        );
        let t = super::super::tree::parse(&page);
        let ex = extract(&t);
        let cuts = inside_cuts(&t, &ex);
        assert_eq!(
            cuts,
            (1..=3)
                .map(|n| ("web/image-credit", format!("Photo: Agency {n}")))
                .collect::<Vec<_>>()
        );
    }

    /// A block of teaser cards, each a heading linked by `link` over a
    /// summary sentence.
    fn cards(n: u32, link: &str) -> String {
        (1..=n)
            .map(|k| {
                format!(
                    r#"<div class="slide"><a href="/story-{k}"><img src="/{k}.jpg"></a><div class="label">News</div>
                    <h3><a {link}>Another story number {k}</a></h3>
                    <p>The summary of another story, number {k}, one sentence long enough to be prose.</p></div>"#
                )
            })
            .collect()
    }

    #[test]
    fn teaser_cards_after_the_article_go() {
        let page = format!(
            r#"<body><article><div class="post">{ARTICLE}</div>
            <h2>More on this</h2><div class="slider">{}</div></article></body>"#,
            cards(5, r#"href="/story""#)
        );
        let t = super::super::tree::parse(&page);
        let ex = extract(&t);
        let rules: Vec<&str> = ex.inside.iter().map(|c| c.rule).collect();
        // The cards go, and then the tail after the article's last
        // paragraph takes the heading and the block whole (the cards' own
        // cuts inside it are not recorded twice).
        assert_eq!(rules, ["web/tail", "web/tail"]);
        let texts: Vec<String> = ex.inside.iter().map(|c| t.text(c.node)).collect();
        assert_eq!(texts[0], "More on this");
        assert!(
            texts[1].starts_with("News Another story number 1 The summary"),
            "{texts:?}"
        );
        assert!(ex.outside.is_empty(), "{:?}", ex.outside);
        // The same cards are content when their headings link nowhere (an
        // accordion's titles), or when they are nearly all of the page's
        // prose (a list of linked items with a line each).
        for page in [
            format!(
                r#"<body><article><div class="post">{ARTICLE}</div>
                <h2>More on this</h2><div class="slider">{}</div></article></body>"#,
                cards(5, r##"href="#" role="tab""##)
            ),
            format!(
                r#"<body><article><p>An introduction long enough to be prose, before the items come one by one.</p>
                <div class="items">{}</div></article></body>"#,
                cards(5, r#"href="/story""#)
            ),
        ] {
            let t = super::super::tree::parse(&page);
            let ex = extract(&t);
            let kept = kept_text(&t, &ex);
            for k in 1..=5 {
                assert!(
                    kept.contains(&format!("number {k}, one sentence long enough")),
                    "{page}: {kept}"
                );
            }
        }
    }
}
