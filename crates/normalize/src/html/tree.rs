//! A light tree of a page's elements and text, built from the events of
//! lol_html's spec-compliant tokenizer (start tags, end tags, comments and
//! the doctype, each with its place in the page; the text is what lies
//! between them, see [`parse`]).
//!
//! lol_html tokenizes as a browser does (raw text of `<script>`, `<style>`,
//! `<title>`, `<textarea>`; foreign content; comments, CDATA) but builds no
//! tree, and calls an element's end-tag handler only for an explicit end
//! tag. The tree here nests each element under the innermost element still
//! open. It follows the few implied ends that change which block text falls
//! into (a block start closes an open `<p>`, `<li>` closes the previous item,
//! a cell or row the previous one, a heading an open heading, `<a>` an open
//! link), each searched a bounded way up the open elements, so a page nested
//! a hundred thousand elements deep costs linear time. It is not the HTML5
//! tree construction (no adoption agency, no foster parenting) and need not
//! be: extraction reads blocks, not a DOM.
//!
//! Nodes are stored in document order, so the descendants of node `i` are
//! exactly `i + 1 .. end(i)`: every walk over the tree is a loop over a
//! range, never a recursion.

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

use lol_html::html_content::{Comment, Doctype, Element as LolElement, TextChunk, TextType};
use lol_html::{doc_text, element, DocumentContentHandlers, HtmlRewriter, Settings};

/// The namespace of HTML elements, as lol_html names it.
const HTML_NAMESPACE: &str = "http://www.w3.org/1999/xhtml";

/// What an attribute is to the tree, by its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Attr {
    Id,
    Class,
    /// `hidden`, and `style` (for what it says about visibility).
    Hidden,
    Style,
    /// An attribute extraction reads, by its lowercase name.
    Kept(&'static str),
}

/// What the attribute named `name` (any ASCII case) is to the tree, if
/// anything: the others are never read. The names are told apart by their
/// length first: asked of every attribute of every element, a comparison
/// with each of the 21 names in turn cost more than the rest of reading
/// the attribute.
fn attr_name(name: &str) -> Option<Attr> {
    let b = name.as_bytes();
    let is = |k: &str| b.eq_ignore_ascii_case(k.as_bytes());
    // Each arm's names have the arm's length.
    let names: &[&'static str] = match b.len() {
        2 => &["id"],
        3 => &["src", "alt", "rel"],
        4 => &["href", "name", "type", "lang", "role"],
        5 => &["class", "style"],
        6 => &["hidden"],
        7 => &["content"],
        8 => &["data-src", "property", "itemprop", "datetime", "itemtype"],
        11 => &["aria-hidden"],
        12 => &["data-backsrc"],
        13 => &["data-original"],
        _ => return None,
    };
    let &k = names.iter().find(|&&k| is(k))?;
    Some(match k {
        "id" => Attr::Id,
        "class" => Attr::Class,
        "hidden" => Attr::Hidden,
        "style" => Attr::Style,
        _ => Attr::Kept(k),
    })
}

/// Scripts are kept for their variables up to this much text.
pub(crate) const SCRIPTS_MAX: usize = 4 << 20;

/// How far up the open elements an implied end is searched.
const SCOPE_SEARCH: usize = 64;

/// One element, with the attributes extraction reads. Values without
/// character references are slices of the page, not copies.
#[derive(Debug)]
pub(crate) struct Element<'a> {
    /// The lowercase local name (the common names are static, not a copy).
    pub(crate) name: Cow<'static, str>,
    pub(crate) id: Option<Cow<'a, str>>,
    pub(crate) class: Option<Cow<'a, str>>,
    /// Hidden by its attributes: `hidden`, or an inline `display: none` or
    /// `visibility: hidden`.
    pub(crate) hidden: bool,
    attrs: Vec<(&'static str, Cow<'a, str>)>,
    /// The [`kept_bit`]s of the names in `attrs`: an attribute the element
    /// does not have (`role`, asked of every element) is answered without
    /// reading `attrs`.
    kept: u32,
}

/// A bit for each attribute name the tree keeps (0 for another name).
fn kept_bit(name: &str) -> u32 {
    1 << match name {
        "href" => 0,
        "src" => 1,
        "data-src" => 2,
        "data-original" => 3,
        "data-backsrc" => 4,
        "alt" => 5,
        "name" => 6,
        "property" => 7,
        "content" => 8,
        "rel" => 9,
        "itemprop" => 10,
        "type" => 11,
        "lang" => 12,
        "role" => 13,
        "datetime" => 14,
        "aria-hidden" => 15,
        "itemtype" => 16,
        _ => return 0,
    }
}

impl Element<'_> {
    /// The value of a kept attribute (entity references decoded).
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        if self.kept & kept_bit(name) == 0 {
            return None;
        }
        self.attrs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| &**v)
    }

    /// The tokens of the class attribute.
    pub(crate) fn classes(&self) -> impl Iterator<Item = &str> {
        self.class.as_deref().unwrap_or("").split_ascii_whitespace()
    }

    pub(crate) fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// The `href` (trimmed) of a link to another page: an `<a>` whose
    /// `href` is neither a place on this page (`#…`) nor a script
    /// (`javascript:`).
    pub(crate) fn href_elsewhere(&self) -> Option<&str> {
        if &*self.name != "a" {
            return None;
        }
        self.attr("href").map(str::trim).filter(|href| {
            !href.is_empty()
                && !href.starts_with('#')
                && !href
                    .get(..11)
                    .is_some_and(|s| s.eq_ignore_ascii_case("javascript:"))
        })
    }
}

/// A node: the document root, an element, or a run of text.
#[derive(Debug)]
pub(crate) enum Kind<'a> {
    Root,
    Element(Element<'a>),
    /// Text with character references decoded, CR LF made LF, NUL removed:
    /// a slice of the page when that changed nothing (most text), so a
    /// text node costs no allocation.
    Text(Cow<'a, str>),
}

#[derive(Debug)]
pub(crate) struct Node<'a> {
    pub(crate) parent: u32,
    /// One past the last descendant, in document order.
    pub(crate) end: u32,
    pub(crate) kind: Kind<'a>,
}

/// A parsed page: its tree, and what its scripts hold.
#[derive(Debug, Default)]
pub(crate) struct Tree<'a> {
    pub(crate) nodes: Vec<Node<'a>>,
    /// The text of the page's scripts (not JSON-LD), one a line, up to
    /// [`SCRIPTS_MAX`].
    pub(crate) scripts: String,
    /// The text of each `application/ld+json` script.
    pub(crate) json_ld: Vec<String>,
}

impl<'a> Tree<'a> {
    pub(crate) const ROOT: u32 = 0;

    pub(crate) fn element(&self, i: u32) -> Option<&Element<'a>> {
        match &self.nodes[i as usize].kind {
            Kind::Element(e) => Some(e),
            _ => None,
        }
    }

    pub(crate) fn name(&self, i: u32) -> &str {
        self.element(i).map_or("", |e| &e.name)
    }

    pub(crate) fn end(&self, i: u32) -> u32 {
        self.nodes[i as usize].end
    }

    pub(crate) fn parent(&self, i: u32) -> Option<u32> {
        (i != Self::ROOT).then(|| self.nodes[i as usize].parent)
    }

    /// The element ids of the subtree under `i` (itself included), in
    /// document order.
    pub(crate) fn subtree(&self, i: u32) -> std::ops::Range<u32> {
        i..self.end(i)
    }

    /// The text under `i`, whitespace runs made one space, trimmed.
    // One pass over the text nodes, a byte at a time in ASCII: the text of
    // a large block dropped from a page (its navigation, its footer) was
    // gathered whole, split into words and joined again, 2% of a web run.
    pub(crate) fn text(&self, i: u32) -> String {
        let mut out = String::new();
        // Whitespace since the last word: the next word is one space away
        // (a word runs on across text nodes with no whitespace between).
        let mut gap = false;
        for j in self.subtree(i) {
            let Kind::Text(t) = &self.nodes[j as usize].kind else {
                continue;
            };
            let b = t.as_bytes();
            // The word being read is `t[word..k]`.
            let mut word = 0;
            let mut k = 0;
            while k < b.len() {
                // `char::is_whitespace`: in ASCII, space and U+0009..=U+000D;
                // none of U+4000..U+D7FF (lead bytes E4..ED: CJK, Hangul),
                // whose bytes are passed over three at a time.
                let (ws, len) = match b[k] {
                    b' ' | b'\t'..=b'\r' => (true, 1),
                    0..=0x7f => {
                        k += 1;
                        continue;
                    }
                    0xe4..=0xed => {
                        k += 3;
                        continue;
                    }
                    _ => {
                        let c = t[k..].chars().next().unwrap_or(' ');
                        (c.is_whitespace(), c.len_utf8())
                    }
                };
                if ws {
                    if word < k {
                        if gap && !out.is_empty() {
                            out.push(' ');
                        }
                        out.push_str(&t[word..k]);
                    }
                    gap = true;
                    k += len;
                    // The rest of an ASCII run at once: the indentation
                    // between a page's tags is most of the bytes read here.
                    while k < b.len() && matches!(b[k], b' ' | b'\t'..=b'\r') {
                        k += 1;
                    }
                    word = k;
                    continue;
                }
                k += len;
            }
            if word < b.len() {
                if gap && !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&t[word..]);
                gap = false;
            }
        }
        out
    }

    /// The direct children of `i`.
    pub(crate) fn children(&self, i: u32) -> impl Iterator<Item = u32> + '_ {
        let end = self.end(i);
        let mut at = i + 1;
        std::iter::from_fn(move || {
            if at >= end {
                return None;
            }
            let c = at;
            at = self.end(c);
            Some(c)
        })
    }

    /// The first element named `name`, in document order.
    pub(crate) fn find(&self, name: &str) -> Option<u32> {
        (0..self.nodes.len() as u32).find(|&i| self.name(i) == name)
    }
}

/// Decodes the character references in `s` (`&amp;`, `&#39;`, `&#x4e2d;`,
/// every named reference of the HTML standard): the one decoder of scour,
/// used on page text and attributes and on text fields of other formats.
pub(crate) fn decode_entities(s: &str) -> std::borrow::Cow<'_, str> {
    if memchr::memchr(b'&', s.as_bytes()).is_none() {
        return std::borrow::Cow::Borrowed(s);
    }
    html_escape::decode_html_entities(s)
}

/// `v` with its character references decoded: still a slice of the page
/// when it has none.
#[inline]
fn decoded(v: Cow<'_, str>) -> Cow<'_, str> {
    match v {
        Cow::Borrowed(s) => decode_entities(s),
        Cow::Owned(s) => {
            let d = match decode_entities(&s) {
                Cow::Owned(d) => Some(d),
                Cow::Borrowed(_) => None,
            };
            Cow::Owned(d.unwrap_or(s))
        }
    }
}

/// `v` without leading and trailing whitespace.
fn trimmed(v: Cow<'_, str>) -> Cow<'_, str> {
    match v {
        Cow::Borrowed(s) => Cow::Borrowed(s.trim()),
        Cow::Owned(s) if s.trim().len() == s.len() => Cow::Owned(s),
        Cow::Owned(s) => Cow::Owned(s.trim().to_owned()),
    }
}

/// A token the tree's handlers saw that is not a start tag, in page order:
/// the page between two tokens is text.
enum Seen {
    /// The end tag of this node, at this place of the page.
    End(u32, std::ops::Range<usize>),
    /// A comment or the doctype: not text, and not a node.
    Skip(std::ops::Range<usize>),
}

/// Parses a page (or a fragment: the same rules apply) into its [`Tree`].
///
/// lol_html hands over start tags, end tags, comments and the doctype, each
/// with its place in the page; the text of the page is what lies between
/// them, read as a slice of the page. The tree registers no text handler:
/// with one, lol_html decoded every text node into a buffer and called the
/// handler twice a node (a chunk and an empty last one), a seventh of a
/// web run. A stretch between two tokens that may hold markup no handler
/// saw (a stray end tag, a `<` of text, a CDATA section) is tokenized again
/// by lol_html, alone and with a text handler ([`text_nodes_in`]), so the
/// text is always lol_html's.
pub(crate) fn parse(html: &str) -> Tree<'_> {
    build(html).finish()
}

/// The builder, fed every token of `html`.
fn build(html: &str) -> Builder<'_> {
    let builder = Rc::new(RefCell::new(Builder::new(html)));
    // The end tags, comments and doctype since the last start tag, for the
    // builder to take before the next event: their handlers must be
    // `'static`, which the builder, holding slices of the page, is not.
    let seen: Rc<RefCell<Vec<Seen>>> = Rc::default();
    let complete = {
        let on_element = Rc::clone(&builder);
        let seen_by_element = Rc::clone(&seen);
        let (on_comment, on_doctype) = (Rc::clone(&seen), Rc::clone(&seen));
        let settings = Settings::new()
            .with_strict(false)
            .append_element_content_handler(element!("*", move |el: &mut LolElement<'_, '_>| {
                let (id, top) = {
                    let mut b = on_element.borrow_mut();
                    let at = el.source_location().bytes();
                    b.catch_up(&seen_by_element, at.start);
                    let top = b.stack.len() == 1;
                    let id = b.open(el, html);
                    b.pos = b.pos.max(at.end);
                    (id, top)
                };
                // The rewriter's output is never read: an element at the
                // top, removed, turns its serialization off until its end
                // (the handlers still see every token inside it).
                if top && el.can_have_content() {
                    el.remove();
                }
                if let Some(id) = id {
                    let seen = Rc::clone(&seen_by_element);
                    el.on_end_tag(Box::new(move |end| {
                        let at = end.source_location().bytes();
                        seen.borrow_mut().push(Seen::End(id, at));
                        Ok(())
                    }))?;
                }
                Ok(())
            }))
            .append_document_content_handler(
                DocumentContentHandlers::default()
                    .comments(move |c: &mut Comment<'_>| {
                        let at = c.source_location().bytes();
                        on_comment.borrow_mut().push(Seen::Skip(at));
                        Ok(())
                    })
                    .doctype(move |d: &mut Doctype<'_>| {
                        let at = d.source_location().bytes();
                        on_doctype.borrow_mut().push(Seen::Skip(at));
                        Ok(())
                    }),
            );
        let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
        // A rewriting error (lol_html's memory limit, which is unbounded
        // here, or a handler's) leaves the tree as far as it was built.
        rewriter.write(html.as_bytes()).is_ok() && rewriter.end().is_ok()
    };
    let mut builder = Rc::try_unwrap(builder).map_or_else(
        |rc| std::mem::replace(&mut *rc.borrow_mut(), Builder::new("")),
        RefCell::into_inner,
    );
    // The text after the last token (after an error, none).
    let to = if complete { html.len() } else { builder.pos };
    builder.catch_up(&seen, to);
    builder
}

/// The tokenizer state a start tag leaves text in (the standard's
/// "parsing elements that contain only text", as lol_html's tree builder
/// simulator switches it): only for an element in the HTML namespace.
fn text_type_after(name: &str, html_namespace: bool) -> TextType {
    if !html_namespace {
        return TextType::Data;
    }
    match name {
        "textarea" | "title" => TextType::RCData,
        "plaintext" => TextType::PlainText,
        "script" => TextType::ScriptData,
        "style" | "iframe" | "xmp" | "noembed" | "noframes" | "noscript" => TextType::RawText,
        _ => TextType::Data,
    }
}

/// The text nodes lol_html finds in `gap`, a stretch of the page between
/// two tokens the tree saw, in the data state after `prefix` (`<svg>` in
/// foreign content, where a CDATA section is text, else nothing): each
/// with its text type, a slice of `gap` when lol_html's chunks of it are.
///
/// Asked only of a stretch that may hold markup (it holds a `<`), so a
/// page pays for a few of these at most.
fn text_nodes_in<'a>(gap: &'a str, prefix: &str) -> Vec<(Cow<'a, str>, TextType, Option<usize>)> {
    let mut input = String::with_capacity(prefix.len() + gap.len());
    input.push_str(prefix);
    input.push_str(gap);
    let mut nodes = Vec::new();
    let mut pending: Option<(Cow<'a, str>, std::ops::Range<usize>)> = None;
    {
        let settings = Settings::new()
            .with_strict(false)
            .append_document_content_handler(doc_text!(|t: &mut TextChunk<'_>| {
                let chunk = t.as_str();
                let at = t.source_location().bytes();
                // The place in `gap`, when the chunk is the page's bytes.
                let here = at
                    .start
                    .checked_sub(prefix.len())
                    .map(|s| s..at.end - prefix.len())
                    .filter(|r| gap.get(r.clone()) == Some(chunk));
                pending = match (pending.take(), here) {
                    (None, Some(r)) => Some((Cow::Borrowed(&gap[r.clone()]), r)),
                    (Some((Cow::Borrowed(_), span)), Some(r)) if span.end == r.start => {
                        let span = span.start..r.end;
                        Some((Cow::Borrowed(&gap[span.clone()]), span))
                    }
                    (prev, _) => {
                        let mut s = prev.map(|(p, _)| p.into_owned()).unwrap_or_default();
                        s.push_str(chunk);
                        Some((Cow::Owned(s), 0..0))
                    }
                };
                if t.last_in_text_node() {
                    if let Some((text, span)) = pending.take() {
                        if !text.is_empty() {
                            let at = matches!(text, Cow::Borrowed(_)).then_some(span.start);
                            nodes.push((text, t.text_type(), at));
                        }
                    }
                }
                Ok(())
            }));
        let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
        if rewriter.write(input.as_bytes()).is_ok() {
            let _ = rewriter.end();
        }
    }
    nodes
}

struct Builder<'a> {
    nodes: Vec<Node<'a>>,
    /// How many elements of each [`Implied`] group are on `stack`: an
    /// implied end is searched for only when one is.
    implied: [u32; IMPLIED],
    /// Whether each node is still open (on `stack`).
    open: Vec<bool>,
    /// What becomes of the text directly inside each node, decided when
    /// it opens (text comes in chunks, two or more a node, and each asked
    /// the name of the current element).
    text_of: Vec<TextOf>,
    stack: Vec<u32>,
    /// The page, whose text is the stretches between tokens.
    src: &'a str,
    /// Where the last token seen ends: the next text starts here.
    pos: usize,
    /// The tokenizer's state for the text after the last token. A state
    /// other than data is set by the start tag of an HTML element that
    /// is never void (a self-closing one too: the syntax means nothing in
    /// HTML), so lol_html keeps it open and its end tag, the only thing
    /// that ends the state, is a token the tree sees.
    state: TextType,
    /// Whether each node is an element of a foreign namespace (SVG,
    /// MathML).
    foreign: Vec<bool>,
    /// Whether the tokenizer is in foreign content after the last token
    /// (where a CDATA section is text): as lol_html said of the last start
    /// tag, or of the element an end tag leaves current.
    in_foreign: bool,
    /// Every text node, with its type, as the tree was given it.
    #[cfg(test)]
    log: Vec<(String, TextType)>,
    /// Whether the page holds a CR, a NUL: text taken from a page without
    /// (most pages) holds none either and is not searched for them again.
    has_cr: bool,
    has_nul: bool,
    scripts: String,
    json_ld: Vec<String>,
}

/// What becomes of the text directly inside a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TextOf {
    /// A text node of the tree.
    Page,
    /// The text of a script: its variables, or JSON-LD.
    Script,
    /// Nothing (see [`drops_text`]).
    Dropped,
}

impl TextOf {
    fn of(node: &Node<'_>) -> TextOf {
        match &node.kind {
            Kind::Element(e) if drops_text(&e.name) => TextOf::Dropped,
            Kind::Element(e) if e.name == "script" => TextOf::Script,
            _ => TextOf::Page,
        }
    }
}

/// Elements whose text is not page text and not kept.
fn drops_text(name: &str) -> bool {
    matches!(
        name,
        "style" | "textarea" | "noscript" | "xmp" | "noembed" | "noframes" | "iframe"
    )
}

/// Start tags that close an open `<p>` (the HTML standard's list).
fn closes_p(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "center"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "header"
            | "hgroup"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "search"
            | "section"
            | "summary"
            | "ul"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "pre"
            | "listing"
            | "table"
            | "hr"
            | "li"
            | "dd"
            | "dt"
            | "xmp"
            | "plaintext"
    )
}

/// Elements of the head (the standard's "in head" insertion mode).
fn in_head(name: &str) -> bool {
    matches!(
        name,
        "base"
            | "basefont"
            | "bgsound"
            | "link"
            | "meta"
            | "title"
            | "noscript"
            | "noframes"
            | "style"
            | "script"
            | "template"
    )
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// The groups of elements an implied end closes, counted while open.
const IMPLIED: usize = 6;

fn implied_group(name: &str) -> Option<usize> {
    Some(match name {
        "p" => 0,
        "a" => 1,
        "li" | "dd" | "dt" => 2,
        "tr" => 3,
        "td" | "th" => 4,
        "tbody" | "thead" | "tfoot" => 5,
        _ => return None,
    })
}

/// The elements that bound the default scope of an implied end.
const SCOPE: [&str; 9] = [
    "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template",
];
/// The default scope and list scope (`ul`, `ol`).
const LIST_SCOPE: [&str; 11] = [
    "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "ul", "ol",
];
/// The default scope and `dl`.
const DL_SCOPE: [&str; 10] = [
    "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "dl",
];
/// The default scope and button scope (`button`).
const BUTTON_SCOPE: [&str; 10] = [
    "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "button",
];

impl<'a> Builder<'a> {
    fn new(page: &'a str) -> Builder<'a> {
        // Every element starts at a `<`, and so does every text node but
        // one (at the start): room for that many nodes is never outgrown.
        // Grown by doubling instead, the nodes were copied to fresh memory
        // again and again, and the page faults of that memory were more
        // than half of a web run's (room reserved and never written costs
        // no page).
        let most = 2 * memchr::memchr_iter(b'<', page.as_bytes()).count() + 2;
        let mut nodes = Vec::with_capacity(most);
        nodes.push(Node {
            parent: 0,
            end: 0,
            kind: Kind::Root,
        });
        let mut builder = Builder {
            nodes,
            implied: [0; IMPLIED],
            open: Vec::with_capacity(most),
            text_of: Vec::with_capacity(most),
            stack: vec![0],
            src: page,
            pos: 0,
            state: TextType::Data,
            foreign: Vec::with_capacity(most),
            in_foreign: false,
            #[cfg(test)]
            log: Vec::new(),
            has_cr: memchr::memchr(b'\r', page.as_bytes()).is_some(),
            has_nul: memchr::memchr(0, page.as_bytes()).is_some(),
            scripts: String::new(),
            json_ld: Vec::new(),
        };
        builder.open.push(true);
        builder.text_of.push(TextOf::Page);
        builder.foreign.push(false);
        builder
    }

    fn current(&self) -> u32 {
        *self.stack.last().unwrap_or(&0)
    }

    fn current_name(&self) -> &str {
        match &self.nodes[self.current() as usize].kind {
            Kind::Element(e) => &e.name,
            _ => "",
        }
    }

    fn pop_to(&mut self, pos: usize) {
        for &n in &self.stack[pos..] {
            self.open[n as usize] = false;
            if let Kind::Element(e) = &self.nodes[n as usize].kind {
                if let Some(g) = implied_group(&e.name) {
                    self.implied[g] -= 1;
                }
            }
        }
        self.stack.truncate(pos.max(1));
    }

    /// Closes the innermost open element named one of `targets`, unless an
    /// element named one of `bounds` (or the search limit) comes first.
    fn close_in_scope(&mut self, targets: &[&str], bounds: &[&str]) {
        if targets
            .iter()
            .all(|t| implied_group(t).is_some_and(|g| self.implied[g] == 0))
        {
            return;
        }
        for pos in (1..self.stack.len()).rev().take(SCOPE_SEARCH) {
            let name = match &self.nodes[self.stack[pos] as usize].kind {
                Kind::Element(e) => &*e.name,
                _ => return,
            };
            if targets.contains(&name) {
                self.pop_to(pos);
                return;
            }
            if bounds.contains(&name) {
                return;
            }
        }
    }

    fn implied_ends(&mut self, name: &str) {
        match name {
            "li" => self.close_in_scope(&["li"], &LIST_SCOPE),
            "dd" | "dt" => self.close_in_scope(&["dd", "dt"], &DL_SCOPE),
            "tr" => self.close_in_scope(&["tr"], &["table", "tbody", "thead", "tfoot", "html"]),
            "td" | "th" => self.close_in_scope(&["td", "th"], &["tr", "table", "html"]),
            "tbody" | "thead" | "tfoot" => {
                self.close_in_scope(&["tbody", "thead", "tfoot"], &["table", "html"]);
            }
            "a" => self.close_in_scope(&["a"], &SCOPE),
            "option" if self.current_name() == "option" => {
                let at = self.stack.len() - 1;
                self.pop_to(at);
            }
            _ => {}
        }
        // A start tag that has no place in the head ends it, as the
        // standard's "in head" mode does (a page that never closes its
        // head still has its text in the body).
        if self.current_name() == "head" && !in_head(name) {
            let at = self.stack.len() - 1;
            self.pop_to(at);
        }
        if closes_p(name) {
            self.close_in_scope(&["p"], &BUTTON_SCOPE);
        }
        if is_heading(name) && is_heading(self.current_name()) {
            let at = self.stack.len() - 1;
            self.pop_to(at);
        }
    }

    /// An element starts: its node, and its id when it stays open for
    /// content (and so awaits an end tag). Its name and attributes are read
    /// as slices of `src` (the page) at the places lol_html found them, so
    /// no string is made for a name or for an attribute that is not kept.
    fn open(&mut self, el: &LolElement<'_, '_>, src: &'a str) -> Option<u32> {
        let mut name = tag_name(el, src);
        if name == "image" {
            name = Cow::Borrowed("img");
        }
        self.implied_ends(&name);
        let mut id = None;
        let mut class = None;
        let mut hidden = false;
        let mut attrs = Vec::new();
        let mut kept = 0;
        for a in el.attributes() {
            let (n, v) = match a.name_source_location().and_then(|l| src.get(l.bytes())) {
                Some(n) => (
                    Cow::Borrowed(n),
                    Cow::Borrowed(
                        a.value_source_location()
                            .and_then(|l| src.get(l.bytes()))
                            .unwrap_or(""),
                    ),
                ),
                None => (Cow::Owned(a.name()), Cow::Owned(a.value())),
            };
            match attr_name(&n) {
                Some(Attr::Id) => id = Some(trimmed(decoded(v))),
                Some(Attr::Class) => class = Some(decoded(v)),
                Some(Attr::Hidden) => hidden = true,
                Some(Attr::Style) => hidden |= style_hides(&v),
                // The first of repeated attributes counts, as in browsers.
                Some(Attr::Kept(k)) if attrs.iter().all(|(n, _)| *n != k) => {
                    attrs.push((k, decoded(v)));
                    kept |= kept_bit(k);
                }
                _ => {}
            }
        }
        let group = implied_group(&name);
        let stays = el.can_have_content();
        let html_namespace = el.namespace_uri() == HTML_NAMESPACE;
        // An SVG `<title>` holds HTML, and lol_html says so of it, but its
        // text is tokenized as SVG's: it is told from HTML's `<title>` by
        // the namespace before it.
        let after_foreign = std::mem::replace(&mut self.in_foreign, !html_namespace);
        self.state = text_type_after(&name, html_namespace && !(after_foreign && name == "title"));
        let parent = self.current();
        let node = self.nodes.len() as u32;
        self.nodes.push(Node {
            parent,
            end: 0,
            kind: Kind::Element(Element {
                name,
                id,
                class,
                hidden,
                attrs,
                kept,
            }),
        });
        self.open.push(stays);
        self.text_of.push(TextOf::of(&self.nodes[node as usize]));
        self.foreign.push(!html_namespace);
        if stays {
            if let Some(g) = group {
                self.implied[g] += 1;
            }
            self.stack.push(node);
            Some(node)
        } else {
            None
        }
    }

    /// Takes the tokens seen since the last start tag, and the text
    /// between them, up to `to` (where the next start tag is).
    fn catch_up(&mut self, seen: &RefCell<Vec<Seen>>, to: usize) {
        let mut seen = seen.borrow_mut();
        for token in seen.drain(..) {
            let (node, at) = match token {
                Seen::End(node, at) => (Some(node), at),
                Seen::Skip(at) => (None, at),
            };
            self.gap(at.start);
            self.pos = self.pos.max(at.end);
            if let Some(node) = node {
                self.close(node);
                self.in_foreign = self.foreign[self.current() as usize];
                // An end tag leaves the tokenizer in the data state.
                self.state = TextType::Data;
            }
        }
        self.gap(to);
    }

    /// The text from the last token to `to`: no node when it is empty, one
    /// node when it cannot hold markup, else the text nodes lol_html finds
    /// in it.
    fn gap(&mut self, to: usize) {
        let src = self.src;
        let Some(gap) = src.get(self.pos..to).filter(|g| !g.is_empty()) else {
            return;
        };
        let start = self.pos;
        self.pos = to;
        if self.state != TextType::Data || memchr::memchr(b'<', gap.as_bytes()).is_none() {
            // Text to the next token: in data, no markup; in another state,
            // nothing but the end tag that ends it, a token, ends it.
            self.text(Cow::Borrowed(gap), self.state, Some(start));
            return;
        }
        let prefix = if self.in_foreign { "<svg>" } else { "" };
        for (text, state, at) in text_nodes_in(gap, prefix) {
            self.text(text, state, at.map(|at| start + at));
        }
    }

    fn close(&mut self, node: u32) {
        if !self.open[node as usize] {
            return;
        }
        if let Some(pos) = self.stack.iter().rposition(|&n| n == node) {
            self.pop_to(pos);
        }
    }

    /// A text node of type `state` inside the current element, found at
    /// `span_start` of the page when it is a slice of it.
    fn text(&mut self, raw: Cow<'a, str>, state: TextType, span_start: Option<usize>) {
        #[cfg(test)]
        self.log.push((raw.to_string(), state));
        let cur = self.current();
        let script = match self.text_of[cur as usize] {
            TextOf::Dropped => return,
            TextOf::Script => true,
            TextOf::Page => false,
        };
        let src = self.src;
        if script {
            let ld = matches!(&self.nodes[cur as usize].kind,
                Kind::Element(e) if e.attr("type").is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")));
            if ld {
                self.json_ld.push(raw.into_owned());
            } else if self.scripts.len() < SCRIPTS_MAX {
                if self.scripts.capacity() == 0 {
                    // The scripts still to come are in the rest of the page:
                    // one allocation instead of a copy at each doubling.
                    let rest = span_start.map_or(raw.len(), |start| src.len() - start);
                    self.scripts.reserve(rest.min(SCRIPTS_MAX) + 1);
                }
                if self.has_cr {
                    self.scripts.push_str(&normalize_newlines(&raw));
                } else {
                    self.scripts.push_str(&raw);
                }
                self.scripts.push('\n');
            }
            return;
        }
        let mut text = match state {
            TextType::Data | TextType::RCData => decoded(raw),
            _ => raw,
        };
        // Text that is not a slice of the page (decoded character
        // references, a copied chunk) may hold a CR or a NUL the page does
        // not.
        let from_page = matches!(text, Cow::Borrowed(_));
        if !from_page || self.has_cr {
            let lf = match normalize_newlines(&text) {
                Cow::Owned(lf) => Some(lf),
                Cow::Borrowed(_) => None,
            };
            if let Some(lf) = lf {
                text = Cow::Owned(lf);
            }
        }
        if (self.has_nul || !from_page) && text.contains('\0') {
            text.to_mut().retain(|c| c != '\0');
        }
        // Adjacent text (split by a comment) is one node.
        if let Some(last) = self.nodes.last_mut() {
            if let Kind::Text(prev) = &mut last.kind {
                if last.parent == cur {
                    prev.to_mut().push_str(&text);
                    return;
                }
            }
        }
        self.nodes.push(Node {
            parent: cur,
            end: 0,
            kind: Kind::Text(text),
        });
        self.open.push(false);
        self.text_of.push(TextOf::Page);
        self.foreign.push(false);
    }

    fn finish(mut self) -> Tree<'a> {
        let n = self.nodes.len();
        for i in 0..n {
            self.nodes[i].end = i as u32 + 1;
        }
        for i in (1..n).rev() {
            let p = self.nodes[i].parent as usize;
            let e = self.nodes[i].end;
            if e > self.nodes[p].end {
                self.nodes[p].end = e;
            }
        }
        Tree {
            nodes: self.nodes,
            scripts: self.scripts,
            json_ld: self.json_ld,
        }
    }
}

/// The lowercase name of an element, read from its start tag in `src`
/// (`<` and the name, up to whitespace, `/` or `>`): a static string for
/// the names extraction reads, a copy for others. A name that is not plain
/// ASCII letters and digits is lol_html's own (`tag_name`).
fn tag_name(el: &LolElement<'_, '_>, src: &str) -> Cow<'static, str> {
    let raw = src
        .get(el.source_location().bytes())
        .and_then(|tag| tag.strip_prefix('<'))
        .and_then(|tag| {
            let end = tag.find(|c: char| !c.is_ascii_alphanumeric())?;
            matches!(
                tag.as_bytes()[end],
                b' ' | b'\t' | b'\n' | b'\x0c' | b'/' | b'>'
            )
            .then(|| &tag[..end])
        })
        .filter(|n| !n.is_empty());
    let Some(raw) = raw else {
        return Cow::Owned(el.tag_name());
    };
    if let Some(name) = known_name(raw) {
        return Cow::Borrowed(name);
    }
    let lower = raw.to_ascii_lowercase();
    match known_name(&lower) {
        Some(name) => Cow::Borrowed(name),
        None => Cow::Owned(lower),
    }
}

/// The names of the HTML elements as static strings.
// One piece: a table of names, one literal each; splitting it would only
// cut the list in two.
#[expect(clippy::too_many_lines, reason = "a table of element names")]
fn known_name(name: &str) -> Option<&'static str> {
    macro_rules! names {
        ($($n:literal),* $(,)?) => {
            match name {
                $($n => Some($n),)*
                _ => None,
            }
        };
    }
    names!(
        "a",
        "abbr",
        "address",
        "area",
        "article",
        "aside",
        "audio",
        "b",
        "base",
        "bdi",
        "bdo",
        "blockquote",
        "body",
        "br",
        "button",
        "canvas",
        "caption",
        "center",
        "cite",
        "code",
        "col",
        "colgroup",
        "data",
        "dd",
        "del",
        "details",
        "dfn",
        "dialog",
        "div",
        "dl",
        "dt",
        "em",
        "embed",
        "fieldset",
        "figcaption",
        "figure",
        "font",
        "footer",
        "form",
        "frame",
        "frameset",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "header",
        "hgroup",
        "hr",
        "html",
        "i",
        "iframe",
        "image",
        "img",
        "input",
        "ins",
        "kbd",
        "label",
        "legend",
        "li",
        "link",
        "main",
        "map",
        "mark",
        "math",
        "menu",
        "meta",
        "mpvoice",
        "nav",
        "noscript",
        "object",
        "ol",
        "optgroup",
        "option",
        "p",
        "path",
        "picture",
        "pre",
        "q",
        "qqmusic",
        "s",
        "script",
        "section",
        "select",
        "small",
        "source",
        "span",
        "strong",
        "style",
        "sub",
        "summary",
        "sup",
        "svg",
        "table",
        "tbody",
        "td",
        "template",
        "textarea",
        "tfoot",
        "th",
        "thead",
        "time",
        "title",
        "tr",
        "u",
        "ul",
        "var",
        "video",
        "wbr",
    )
}

/// CR LF and a lone CR made LF. One pass with memchr: many pages written
/// on Windows have a CR on every line, and two `replace` passes over each
/// text node were a tenth of the tree's cost on them.
fn normalize_newlines(s: &str) -> std::borrow::Cow<'_, str> {
    let b = s.as_bytes();
    let Some(mut cr) = memchr::memchr(b'\r', b) else {
        return std::borrow::Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len());
    let mut from = 0;
    loop {
        out.push_str(&s[from..cr]);
        out.push('\n');
        from = cr + 1;
        if b.get(from) == Some(&b'\n') {
            from += 1;
        }
        match memchr::memchr(b'\r', &b[from..]) {
            Some(k) => cr = from + k,
            None => break,
        }
    }
    out.push_str(&s[from..]);
    std::borrow::Cow::Owned(out)
}

/// Whether an inline style, its whitespace removed and ASCII lowercased,
/// holds `display:none` or `visibility:hidden`: each `:` is read with the
/// words around it, no copy made (WeChat styles every element).
pub(crate) fn style_hides(style: &str) -> bool {
    /// The first `word.len()` non-whitespace characters of `chars` are
    /// `word`, ASCII case aside.
    fn spells(mut chars: impl Iterator<Item = char>, word: impl Iterator<Item = u8>) -> bool {
        word.into_iter().all(|w| {
            chars
                .find(|c| !c.is_whitespace())
                .is_some_and(|c| c.to_ascii_lowercase() == char::from(w))
        })
    }
    memchr::memchr_iter(b':', style.as_bytes()).any(|colon| {
        let (before, after) = (&style[..colon], &style[colon + 1..]);
        (spells(after.chars(), "none".bytes())
            && spells(before.chars().rev(), "display".bytes().rev()))
            || (spells(after.chars(), "hidden".bytes())
                && spells(before.chars().rev(), "visibility".bytes().rev()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text nodes lol_html's text handler is given for `html`, each
    /// with its type (empty ones left out).
    fn lol_text_nodes(html: &str) -> Vec<(String, TextType)> {
        let mut nodes = Vec::new();
        let mut node = String::new();
        {
            let settings = Settings::new()
                .with_strict(false)
                .append_document_content_handler(doc_text!(|t: &mut TextChunk<'_>| {
                    node.push_str(t.as_str());
                    if t.last_in_text_node() && !node.is_empty() {
                        nodes.push((std::mem::take(&mut node), t.text_type()));
                    }
                    Ok(())
                }));
            let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
            rewriter.write(html.as_bytes()).unwrap();
            rewriter.end().unwrap();
        }
        nodes
    }

    /// Pieces that change how text is tokenized: raw text and RCDATA
    /// elements (self-closing too), comments, doctypes and bogus comments,
    /// stray end tags, a `<` of text, character references, CR and NUL.
    const HTML_PIECES: &[&str] = &[
        "<p>",
        "</p>",
        "<div class=x>",
        "</div>",
        "<b>",
        "</b>",
        "</span>",
        "<li>",
        "<title>",
        "</title>",
        "<title/>",
        "<script>",
        "</script>",
        "<script/>",
        "<script type=application/ld+json>",
        "<style>",
        "</style>",
        "<textarea>",
        "</textarea>",
        "<noscript>",
        "</noscript>",
        "<iframe>",
        "</iframe>",
        "<xmp>",
        "</xmp>",
        "<plaintext>",
        "<!--",
        "-->",
        "<!-->",
        "<!DOCTYPE html>",
        "<?xml?>",
        "</>",
        "</ x>",
        "<![CDATA[",
        "]]>",
        "<",
        ">",
        "/",
        "a",
        "文",
        " ",
        "\n",
        "&amp;",
        "&",
        "&lt;",
        "\r\n",
        "\r",
        "\0",
        "<br/>",
        "</br>",
        "<img src=x>",
        "<a href='<'>",
        "\"",
        "'",
        "<table>",
        "<td>",
        "<head>",
        "</head>",
        "<body>",
        "<html>",
        "<template>",
        "</template>",
    ];

    fn soup(pieces: &'static [&'static str]) -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::strategy::Strategy;
        proptest::collection::vec(proptest::sample::select(pieces), 0..40).prop_map(|v| v.concat())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]

        /// The tree's text, read between the tokens, is lol_html's text,
        /// node by node and type by type.
        #[test]
        fn text_between_tokens_is_lol_htmls(html in soup(HTML_PIECES)) {
            proptest::prop_assert_eq!(build(&html).log, lol_text_nodes(&html));
        }
    }

    /// The same in foreign content as pages hold it: inline SVG icons with
    /// their titles, CDATA, MathML, integration points, and the start tags
    /// that leave foreign content. (Where an end tag that closes nothing
    /// changes lol_html's namespace, see `parse`, the two may differ: only
    /// inside SVG or MathML, whose text no block keeps.)
    #[test]
    fn text_between_tokens_in_foreign_content() {
        for html in [
            "<svg><title>Search &amp; find</title><path d='M0'/></svg><p>a &amp; b</p>",
            "<svg viewBox='0 0 1 1'><title>x<y</title></svg><title>t<b>u</b></title>",
            "<svg><![CDATA[x<y]]></svg>after<![CDATA[z]]>",
            "<svg/><![CDATA[a]]><p><![CDATA[b]]>",
            "<math><mi>x</mi><mo><</mo><mtext><title>t<i>i</i></title></mtext></math>",
            "<svg><foreignObject><title>t &amp;</title></foreignObject><desc>d<title>e</title></desc></svg>",
            "<p><svg><br/><title><b>x</b></title></p><title>h<b></title>",
            "<svg><font color=red><title>f<b></title></font></svg>",
            "<svg><title></p>",
            "<svg><br/><title><p>",
            "<svg><style>a<b>c</b></style><script>if (a<b) {}</script></svg><style>p<b></style>",
        ] {
            assert_eq!(build(html).log, lol_text_nodes(html), "{html}");
        }
    }

    /// A self-closing start tag that sets a state in HTML sets it as the
    /// plain start tag does, and its end tag ends it.
    #[test]
    fn text_after_a_self_closing_raw_text_element() {
        for html in [
            "<script/>a</script>b<!--c-->d<p>e",
            "<title/>a&amp;<b>x</b></title>b<!---->c",
            "<style/>a</style><!--c-->d</p>e",
            "<textarea/>a<!--c-->b</textarea>c",
        ] {
            assert_eq!(build(html).log, lol_text_nodes(html), "{html}");
        }
    }

    fn shape(t: &Tree) -> String {
        let mut out = String::new();
        for i in 1..t.nodes.len() as u32 {
            let depth = {
                let mut d = 0;
                let mut p = t.nodes[i as usize].parent;
                while p != 0 {
                    d += 1;
                    p = t.nodes[p as usize].parent;
                }
                d
            };
            match &t.nodes[i as usize].kind {
                Kind::Element(e) => out.push_str(&format!("{}<{}>\n", " ".repeat(depth), e.name)),
                Kind::Text(s) => out.push_str(&format!("{}{s:?}\n", " ".repeat(depth))),
                Kind::Root => {}
            }
        }
        out
    }

    #[test]
    fn newlines_made_lf_as_two_replaces_would() {
        for s in [
            "",
            "a",
            "\r",
            "\n",
            "\r\n",
            "\r\r\n",
            "\n\r",
            "a\r\nb\rc\n\rd\r",
            "中\r\r文\r\n\r\n",
        ] {
            let two = s.replace("\r\n", "\n").replace('\r', "\n");
            assert_eq!(normalize_newlines(s), two, "{s:?}");
        }
    }

    /// `Tree::text` is the subtree's text with whitespace runs made one
    /// space and trimmed, as gathering it whole and splitting it into words
    /// would give, words running on across text nodes.
    #[test]
    fn text_joins_words_across_nodes() {
        let t = parse(
            "<div> 甲<b>乙</b>丙 \u{3000}<i> d </i>\u{a0}e<!-- c -->f<p>\n</p><span>g</span>h \t</div><p>x\u{85}y\u{2028}가\u{1680}힣\u{d7ff}z",
        );
        for i in 0..t.nodes.len() as u32 {
            let mut all = String::new();
            for j in t.subtree(i) {
                if let Kind::Text(s) = &t.nodes[j as usize].kind {
                    all.push_str(s);
                }
            }
            let words = all.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(t.text(i), words, "node {i}");
        }
        assert_eq!(t.text(Tree::ROOT), "甲乙丙 d ef gh x y 가 힣\u{d7ff}z");
    }

    proptest::proptest! {
        /// [`Tree::text`] is the text nodes' concatenation split at
        /// whitespace and joined by single spaces, under every node.
        #[test]
        fn text_is_the_words_joined_by_spaces(
            pieces in proptest::collection::vec(
                "[a中 \t\n\u{a0}\u{3000}\u{85}\u{1}]{0,6}|<b>|</b>|<p>|<i>|</i>|<br>", 0..24)
        ) {
            let html = format!("<div>{}</div>", pieces.concat());
            let t = parse(&html);
            for i in 0..t.nodes.len() as u32 {
                let mut all = String::new();
                for j in t.subtree(i) {
                    if let Kind::Text(s) = &t.nodes[j as usize].kind {
                        all.push_str(s);
                    }
                }
                let words = all.split_whitespace().collect::<Vec<_>>().join(" ");
                proptest::prop_assert_eq!(t.text(i), words);
            }
        }
    }

    #[test]
    fn implied_ends_nest_blocks_as_browsers_do() {
        let t = parse("<p>一<div>二</div><ul><li>甲<li>乙</ul><p>三<p>四");
        assert_eq!(
            shape(&t),
            "<p>\n \"一\"\n<div>\n \"二\"\n<ul>\n <li>\n  \"甲\"\n <li>\n  \"乙\"\n<p>\n \"三\"\n<p>\n \"四\"\n"
        );
    }

    #[test]
    fn a_head_left_open_ends_at_the_first_body_element() {
        let t = parse("<html><head><title>题</title><meta charset=utf-8><div>正文</div></html>");
        assert_eq!(
            shape(&t),
            "<html>\n <head>\n  <title>\n   \"题\"\n  <meta>\n <div>\n  \"正文\"\n"
        );
    }

    #[test]
    fn raw_text_scripts_and_entities() {
        let t = parse(
            "<title>A &amp; B</title><script>var a = '<p>x</p>';</script>\
             <script type=\"application/ld+json\">{\"a\":1}</script>\
             <style>p{}</style><p title=x>&lt;正文&gt; &#x4e2d;&nbsp;&bogus;</p>",
        );
        assert_eq!(t.text(t.find("title").unwrap()), "A & B");
        assert_eq!(t.scripts, "var a = '<p>x</p>';\n");
        assert_eq!(t.json_ld, ["{\"a\":1}"]);
        // (Whitespace runs, the no-break space among them, become one space.)
        assert_eq!(t.text(t.find("p").unwrap()), "<正文> 中 &bogus;");
        assert!(t.find("style").is_some_and(|s| t.text(s).is_empty()));
    }

    #[test]
    fn deep_nesting_is_linear_and_flat() {
        let mut html = String::new();
        for _ in 0..100_000 {
            html.push_str("<div><p>");
        }
        html.push_str("正文");
        let t = parse(&html);
        assert_eq!(t.text(0), "正文");
    }

    #[test]
    fn names_read_from_the_source_are_lol_htmls() {
        let html = "<DIV id=a><Svg><foreignObject></foreignObject></Svg><my-el></my-el>\
            <p\tclass=x>t</p><br/><IMAGE src=x><x\0y></x\0y><Qqmusic></Qqmusic><h1\r>h</h1>\
            <中>z</中><a/b>";
        let seen = RefCell::new(Vec::new());
        let settings =
            Settings::new().append_element_content_handler(element!("*", |el: &mut LolElement<
                '_,
                '_,
            >| {
                seen.borrow_mut()
                    .push((tag_name(el, html).into_owned(), el.tag_name()));
                Ok(())
            }));
        let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
        rewriter.write(html.as_bytes()).unwrap();
        rewriter.end().unwrap();
        let seen = seen.into_inner();
        assert!(seen.len() >= 10, "{seen:?}");
        for (ours, theirs) in seen {
            assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn attributes_read_from_the_source() {
        let t = parse(
            "<a HREF=\"/x?a=1&amp;b=2\" ID=' 甲 ' Class=\"c  d\" hidden data-src=u href=second>l</a>\
             <div STYLE=\"color:red; DISPLAY : None\">x</div><img alt>",
        );
        let a = t.element(t.find("a").unwrap()).unwrap();
        assert_eq!(a.attr("href"), Some("/x?a=1&b=2"));
        assert_eq!(a.id(), Some("甲"));
        assert_eq!(a.classes().collect::<Vec<_>>(), ["c", "d"]);
        assert!(a.hidden);
        assert_eq!(a.attr("data-src"), Some("u"));
        assert!(t.element(t.find("div").unwrap()).unwrap().hidden);
        assert_eq!(
            t.element(t.find("img").unwrap()).unwrap().attr("alt"),
            Some("")
        );
    }

    #[test]
    fn attribute_names_in_any_case() {
        for (name, want) in [
            ("id", Some(Attr::Id)),
            ("ID", Some(Attr::Id)),
            ("Class", Some(Attr::Class)),
            ("hidden", Some(Attr::Hidden)),
            ("STYLE", Some(Attr::Style)),
            ("Data-Original", Some(Attr::Kept("data-original"))),
            ("aria-HIDDEN", Some(Attr::Kept("aria-hidden"))),
            ("itemtype", Some(Attr::Kept("itemtype"))),
            ("data-srcset", None),
            ("ids", None),
            ("", None),
            ("ıd", None),
            ("data-original-title", None),
        ] {
            assert_eq!(attr_name(name), want, "{name}");
        }
        let mut bits = 0u32;
        for k in [
            "href",
            "src",
            "data-src",
            "data-original",
            "data-backsrc",
            "alt",
            "name",
            "property",
            "content",
            "rel",
            "itemprop",
            "type",
            "lang",
            "role",
            "datetime",
            "aria-hidden",
            "itemtype",
        ] {
            assert_eq!(attr_name(k), Some(Attr::Kept(k)));
            assert_ne!(kept_bit(k), 0, "{k}");
            assert_eq!(attr_name(&k.to_ascii_uppercase()), Some(Attr::Kept(k)));
            bits |= kept_bit(k);
        }
        assert_eq!(bits.count_ones(), 17, "one bit a name");
    }

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("A&amp;B &#39;x&#39; &#x4e2d; &bogus; &"),
            "A&B 'x' 中 &bogus; &"
        );
    }
}
