//! HTML to canonical markdown blocks: the one converter every format that
//! carries HTML goes through (pages, JSON bodies, feed items, WARC payloads,
//! raw HTML inside markdown).
//!
//! One block per paragraph, `<section>` leaf, heading, list item or table row,
//! blocks one blank line apart; `<br>` is a newline inside its block. Headings
//! become `# text`, `<strong>`/`<b>` `**text**`, links `[text](href)`, images
//! `![alt](data-src)`, table rows their cells joined by a tab, `<pre>` a fenced
//! code block kept verbatim. Scripts, styles, hidden elements and embedded
//! players are dropped.
//!
//! The walk is iterative, over an explicit stack: pages nested a hundred
//! thousand elements deep (they exist, made by broken editors or on purpose)
//! must not overflow the call stack.

use ego_tree::NodeRef;
use html5ever::{local_name, LocalName};
use scraper::node::Element;
use scraper::{Html, Node};

/// A converted fragment: the body as canonical markdown and its image URLs.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Converted {
    pub(crate) body: String,
    pub(crate) images: Vec<String>,
}

/// Converts an HTML fragment (a JSON body, a feed item, raw HTML in markdown).
pub(crate) fn fragment_to_blocks(html: &str) -> Converted {
    let doc = Html::parse_fragment(&flatten_deep(html));
    convert(doc.tree.root())
}

/// Deeper than this, start tags are dropped before parsing (their text is
/// kept). html5ever has no depth cap and some of its scope checks walk the
/// whole stack of open elements, so a page nested 100,000 `<div>`s deep takes
/// quadratic time; browsers cap the tree depth for the same reason (Blink at
/// 512).
pub(crate) const MAX_DEPTH: usize = 512;

/// The void elements of [`scan_tags`]' lexer (they open no level of
/// nesting); [`crate::fastdom`] keeps the same count.
pub(crate) const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];
/// The elements whose text [`scan_tags`] skips to their end tag.
pub(crate) const RAW_TEXT: [&str; 8] = [
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// One tag found by [`scan_tags`].
enum Tag {
    Open,
    Close,
    Other,
}

/// Walks the tags of `html` (a lexer, not a parser: comments, doctype and
/// raw-text elements are skipped, quotes in attributes respected), calling
/// `f(start, end, tag)` for each.
fn scan_tags(html: &str, mut f: impl FnMut(usize, usize, Tag)) {
    let b = html.as_bytes();
    let mut pos = 0;
    while let Some(off) = memchr::memchr(b'<', &b[pos..]) {
        let start = pos + off;
        let rest = &b[start..];
        if rest.starts_with(b"<!--") {
            pos = memchr::memmem::find(&b[start + 4..], b"-->")
                .map_or(b.len(), |e| start + 4 + e + 3);
            f(start, pos, Tag::Other);
            continue;
        }
        let closing = rest.get(1) == Some(&b'/');
        let name_start = start + 1 + usize::from(closing);
        let name_len = b[name_start..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-' || **c == b':')
            .count();
        let first = b.get(name_start).copied().unwrap_or(b' ');
        if !(first.is_ascii_alphabetic() || (!closing && (first == b'!' || first == b'?'))) {
            pos = start + 1;
            continue;
        }
        // The end of the tag: the first `>` outside quotes.
        let mut i = name_start;
        let mut quote: Option<u8> = None;
        while i < b.len() {
            match (quote, b[i]) {
                (Some(q), c) if c == q => quote = None,
                (None, b'"' | b'\'') => quote = Some(b[i]),
                (None, b'>') => break,
                _ => {}
            }
            i += 1;
        }
        let end = (i + 1).min(b.len());
        let name = &html[name_start..name_start + name_len];
        if closing {
            f(start, end, Tag::Close);
        } else if name_len == 0 || b[end.saturating_sub(2)..end].starts_with(b"/") {
            f(start, end, Tag::Other);
        } else {
            let is = |n: &&str| name.eq_ignore_ascii_case(n);
            if VOID.iter().any(is) {
                f(start, end, Tag::Other);
            } else if let Some(raw) = RAW_TEXT.iter().find(|n| is(n)) {
                f(start, end, Tag::Other);
                // Skip the raw text and its end tag (the first `</name`, in
                // any case), which closes the element reported above as
                // `Other`.
                let mut at = end;
                let close_at = loop {
                    let Some(lt) = memchr::memmem::find(&b[at..], b"</") else {
                        break None;
                    };
                    let lt = at + lt;
                    if b.len() >= lt + 2 + raw.len()
                        && b[lt + 2..lt + 2 + raw.len()].eq_ignore_ascii_case(raw.as_bytes())
                    {
                        break Some(lt);
                    }
                    at = lt + 1;
                };
                pos = close_at.map_or(b.len(), |close_at| {
                    memchr::memchr(b'>', &b[close_at..]).map_or(b.len(), |g| close_at + g + 1)
                });
                continue;
            } else {
                f(start, end, Tag::Open);
            }
        }
        pos = end;
    }
}

/// `html` with start tags deeper than [`MAX_DEPTH`] (and their end tags)
/// removed; borrowed when nothing is that deep, which is every real page.
pub(crate) fn flatten_deep(html: &str) -> std::borrow::Cow<'_, str> {
    let mut depth = 0usize;
    let mut max = 0usize;
    scan_tags(html, |_, _, t| match t {
        Tag::Open => {
            depth += 1;
            max = max.max(depth);
        }
        Tag::Close => depth = depth.saturating_sub(1),
        Tag::Other => {}
    });
    if max <= MAX_DEPTH {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    let mut depth = 0usize;
    let mut dropped = 0usize;
    scan_tags(html, |start, end, t| {
        let drop = match t {
            Tag::Open if depth >= MAX_DEPTH => {
                dropped += 1;
                true
            }
            Tag::Open => {
                depth += 1;
                false
            }
            Tag::Close if dropped > 0 => {
                dropped -= 1;
                true
            }
            Tag::Close => {
                depth = depth.saturating_sub(1);
                false
            }
            Tag::Other => false,
        };
        if drop {
            out.push_str(&html[copied..start]);
            copied = end;
        }
    });
    out.push_str(&html[copied..]);
    std::borrow::Cow::Owned(out)
}

/// Whether a string value most likely holds HTML rather than text.
pub(crate) fn looks_like_html(s: &str) -> bool {
    let t = s.trim_start();
    if t.starts_with('<') {
        return true;
    }
    let head = &s.as_bytes()[..s.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    [
        &b"<p>"[..],
        b"<p ",
        b"<div",
        b"<br",
        b"<section",
        b"<img ",
        b"<span",
    ]
    .iter()
    .any(|n| memchr::memmem::find(&lower, n).is_some())
}

/// Elements whose content is never text of the page.
fn is_skipped(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("script")
            | local_name!("style")
            | local_name!("noscript")
            | local_name!("template")
            | local_name!("head")
            | local_name!("title")
            | local_name!("meta")
            | local_name!("link")
            | local_name!("iframe")
            | local_name!("frame")
            | local_name!("frameset")
            | local_name!("object")
            | local_name!("embed")
            | local_name!("video")
            | local_name!("audio")
            | local_name!("canvas")
            | local_name!("svg")
            | local_name!("math")
            | local_name!("input")
            | local_name!("button")
            | local_name!("select")
            | local_name!("textarea")
            | local_name!("option")
            | local_name!("map")
            | local_name!("area")
    )
}

/// Elements that start and end a block.
pub(crate) fn is_block(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("p")
            | local_name!("div")
            | local_name!("section")
            | local_name!("article")
            | local_name!("main")
            | local_name!("aside")
            | local_name!("header")
            | local_name!("footer")
            | local_name!("nav")
            | local_name!("address")
            | local_name!("blockquote")
            | local_name!("center")
            | local_name!("dd")
            | local_name!("dl")
            | local_name!("dt")
            | local_name!("details")
            | local_name!("summary")
            | local_name!("dialog")
            | local_name!("fieldset")
            | local_name!("legend")
            | local_name!("figure")
            | local_name!("figcaption")
            | local_name!("form")
            | local_name!("hgroup")
            | local_name!("hr")
            | local_name!("caption")
            | local_name!("table")
            | local_name!("thead")
            | local_name!("tbody")
            | local_name!("tfoot")
            | local_name!("body")
            | local_name!("html")
    )
}

/// Whether an element is hidden by its attributes (inline style or `hidden`).
pub(crate) fn is_hidden(el: &Element) -> bool {
    let mut style = None;
    // The attributes by atom: `Element::attr` hashes its argument each call.
    for (name, value) in &el.attrs {
        if name.prefix.is_some() || name.ns != html5ever::ns!() {
            continue;
        }
        if name.local == local_name!("hidden") {
            return true;
        }
        if name.local == local_name!("style") {
            style = Some(&**value);
        }
    }
    style.is_some_and(style_hides)
}

/// Whether an inline style, its whitespace removed and ASCII lowercased,
/// holds `display:none` or `visibility:hidden`: each `:` is read with the
/// words around it, no copy made (WeChat styles every element).
fn style_hides(style: &str) -> bool {
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

/// The URL of an image: WeChat's lazy `data-src` first, then `src`; never a
/// `data:` placeholder.
pub(crate) fn image_src(el: &Element) -> Option<&str> {
    ["data-src", "src", "data-original", "data-backsrc"]
        .iter()
        .filter_map(|a| el.attr(a))
        .map(str::trim)
        .find(|s| !s.is_empty() && !s.starts_with("data:"))
}

enum Frame<'a> {
    Enter(NodeRef<'a, Node>),
    Exit(NodeRef<'a, Node>),
}

/// An inline wrapper still open: `**` or a link, from byte `pos` of the
/// current block, valid only while no block boundary came in between.
struct Mark {
    kind: MarkKind,
    pos: usize,
    generation: u64,
}

enum MarkKind {
    Inactive,
    Strong,
    Link(String),
}

#[derive(Default)]
struct Converter {
    blocks: Vec<String>,
    cur: String,
    generation: u64,
    marks: Vec<Mark>,
    strong_depth: usize,
    heading: Option<usize>,
    list_marker: Option<String>,
    lists: Vec<(bool, usize)>,
    cell_depth: usize,
    row_cells: Vec<usize>,
    in_row: usize,
    images: Vec<String>,
}

/// Converts the subtree under `root` (the root itself is never treated as
/// hidden: WeChat ships `#js_content` with `visibility: hidden` and reveals it
/// by script).
pub(crate) fn convert(root: NodeRef<'_, Node>) -> Converted {
    let mut c = Converter::default();
    let mut stack = vec![Frame::Enter(root)];
    while let Some(frame) = stack.pop() {
        match frame {
            Frame::Enter(node) => match node.value() {
                Node::Text(t) => c.text(t),
                Node::Element(el) => {
                    // Names by atom (one compare each) rather than by string.
                    let name = &el.name.local;
                    if is_skipped(name) || (node.id() != root.id() && is_hidden(el)) {
                        continue;
                    }
                    if *name == local_name!("pre") {
                        c.pre(node);
                        continue;
                    }
                    c.enter(el);
                    stack.push(Frame::Exit(node));
                    for child in node.children().rev() {
                        stack.push(Frame::Enter(child));
                    }
                }
                Node::Document | Node::Fragment => {
                    for child in node.children().rev() {
                        stack.push(Frame::Enter(child));
                    }
                }
                _ => {}
            },
            Frame::Exit(node) => {
                if let Node::Element(el) = node.value() {
                    c.exit(el);
                }
            }
        }
    }
    c.flush();
    Converted {
        body: c.blocks.join("\n\n"),
        images: c.images,
    }
}

impl Converter {
    /// Appends text with HTML whitespace collapsing.
    fn text(&mut self, t: &str) {
        let is_ws = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
        // (The last byte is the last character when that is ASCII.)
        let mut last_ws =
            self.cur.is_empty() || matches!(self.cur.as_bytes().last(), Some(b' ' | b'\n' | b'\t'));
        // By bytes: the whitespace is ASCII, so runs between it are whole
        // characters, pushed at once.
        let b = t.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if is_ws(b[i]) {
                if !last_ws {
                    self.cur.push(' ');
                    last_ws = true;
                }
                i += 1;
            } else {
                let start = i;
                while i < b.len() && !is_ws(b[i]) {
                    i += 1;
                }
                self.cur.push_str(&t[start..i]);
                last_ws = false;
            }
        }
    }

    /// A block boundary; inside a table cell it is only a space.
    fn boundary(&mut self) {
        if self.cell_depth > 0 {
            if !self.cur.is_empty() && !self.cur.ends_with([' ', '\t']) {
                self.cur.push(' ');
            }
        } else {
            self.flush();
        }
    }

    fn enter(&mut self, el: &Element) {
        let name = &el.name.local;
        match *name {
            local_name!("br") => {
                if self.cell_depth > 0 {
                    self.cur.push(' ');
                } else {
                    self.cur.push('\n');
                }
            }
            local_name!("img") => self.image(el),
            local_name!("strong") | local_name!("b") => {
                let kind = if self.strong_depth == 0 {
                    MarkKind::Strong
                } else {
                    MarkKind::Inactive
                };
                self.strong_depth += 1;
                self.open_mark(kind);
            }
            local_name!("a") => {
                let href = el.attr("href").map_or("", str::trim);
                let usable = !href.is_empty()
                    && !href.starts_with('#')
                    && !href.to_ascii_lowercase().starts_with("javascript:");
                let kind = if usable {
                    MarkKind::Link(href.replace(' ', "%20"))
                } else {
                    MarkKind::Inactive
                };
                self.open_mark(kind);
            }
            local_name!("h1")
            | local_name!("h2")
            | local_name!("h3")
            | local_name!("h4")
            | local_name!("h5")
            | local_name!("h6") => {
                self.boundary();
                if self.cell_depth == 0 {
                    self.heading = el.name()[1..].parse().ok();
                }
            }
            local_name!("ul") | local_name!("ol") => {
                self.boundary();
                self.lists.push((*name == local_name!("ol"), 0));
            }
            local_name!("li") => {
                self.boundary();
                if self.cell_depth == 0 {
                    let marker = match self.lists.last_mut() {
                        Some((true, n)) => {
                            *n += 1;
                            format!("{n}. ")
                        }
                        _ => "- ".to_owned(),
                    };
                    self.list_marker = Some(marker);
                }
            }
            local_name!("tr") => {
                if self.cell_depth == 0 {
                    self.flush();
                    self.in_row += 1;
                }
                self.row_cells.push(0);
            }
            local_name!("td") | local_name!("th") => {
                if let Some(n) = self.row_cells.last_mut() {
                    if *n > 0 {
                        if self.cell_depth == 0 {
                            self.cur.push('\t');
                        } else {
                            self.cur.push(' ');
                        }
                    }
                    *n += 1;
                }
                self.cell_depth += 1;
            }
            _ if is_block(name) => self.boundary(),
            _ => {}
        }
    }

    fn exit(&mut self, el: &Element) {
        let name = &el.name.local;
        match *name {
            local_name!("strong") | local_name!("b") => {
                self.strong_depth = self.strong_depth.saturating_sub(1);
                self.close_mark();
            }
            local_name!("a") => self.close_mark(),
            local_name!("h1")
            | local_name!("h2")
            | local_name!("h3")
            | local_name!("h4")
            | local_name!("h5")
            | local_name!("h6") => {
                self.boundary();
                self.heading = None;
            }
            local_name!("ul") | local_name!("ol") => {
                self.boundary();
                self.lists.pop();
            }
            local_name!("li") => {
                self.boundary();
                self.list_marker = None;
            }
            local_name!("tr") => {
                self.row_cells.pop();
                if self.cell_depth == 0 {
                    self.flush();
                    self.in_row = self.in_row.saturating_sub(1);
                }
            }
            local_name!("td") | local_name!("th") => {
                self.cell_depth = self.cell_depth.saturating_sub(1);
            }
            _ if is_block(name) => self.boundary(),
            _ => {}
        }
    }

    fn image(&mut self, el: &Element) {
        let alt = el
            .attr("alt")
            .map(|a| {
                a.split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .replace(['[', ']'], "")
            })
            .unwrap_or_default();
        let src = image_src(el).map(|s| s.replace(' ', "%20"));
        if alt.is_empty() && src.is_none() {
            return;
        }
        if let Some(src) = &src {
            if !self.images.iter().any(|i| i == src) {
                self.images.push(src.clone());
            }
        }
        if self.cell_depth > 0 {
            // A table row is one line of text; an image in it says nothing.
            if !alt.is_empty() {
                self.cur.push_str(&alt);
            }
            return;
        }
        self.cur.push_str("![");
        self.cur.push_str(&alt);
        self.cur.push_str("](");
        self.cur.push_str(src.as_deref().unwrap_or(""));
        self.cur.push(')');
    }

    fn open_mark(&mut self, kind: MarkKind) {
        self.marks.push(Mark {
            kind,
            pos: self.cur.len(),
            generation: self.generation,
        });
    }

    fn close_mark(&mut self) {
        let Some(mark) = self.marks.pop() else {
            return;
        };
        if mark.generation != self.generation || mark.pos > self.cur.len() {
            return;
        }
        let Some(inner) = self.cur.get(mark.pos..) else {
            return;
        };
        let trimmed = inner.trim_matches([' ', '\n']);
        if trimmed.is_empty() {
            return;
        }
        let lead = inner[..inner.len() - inner.trim_start_matches([' ', '\n']).len()].to_owned();
        let trail = inner[inner.trim_end_matches([' ', '\n']).len()..].to_owned();
        let trimmed = trimmed.to_owned();
        let wrapped = match &mark.kind {
            MarkKind::Inactive => return,
            MarkKind::Strong => {
                if self.cell_depth > 0 {
                    return;
                }
                // Emphasis does not span lines in markdown: wrap each line.
                trimmed
                    .split('\n')
                    .map(|l| {
                        let l = l.trim();
                        if l.is_empty() {
                            String::new()
                        } else {
                            format!("**{l}**")
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            }
            MarkKind::Link(href) => {
                if trimmed.contains('\n') || self.cell_depth > 0 {
                    return;
                }
                format!("[{trimmed}]({href})")
            }
        };
        let strong = matches!(mark.kind, MarkKind::Strong);
        self.cur.truncate(mark.pos);
        // `<b>a</b><b>b</b>` would give `**a****b**`: join the two runs. A run
        // of Unicode whitespace wraps to nothing, and has nothing to join
        // (it used to panic here: fuzz/regressions/fastdom-blank-strong-run).
        if let Some(rest) = wrapped.strip_prefix("**").filter(|_| {
            strong && lead.is_empty() && self.cur.ends_with("**") && !wrapped.contains('\n')
        }) {
            self.cur.truncate(self.cur.len() - 2);
            self.cur.push_str(rest);
            self.cur.push_str(&trail);
            return;
        }
        let new = format!("{lead}{wrapped}{trail}");
        self.cur.push_str(&new);
    }

    /// `<pre>`: its text verbatim, as a fenced block. WeChat's code blocks put
    /// each line in its own `<code>` and break lines with `<br>`.
    fn pre(&mut self, node: NodeRef<'_, Node>) {
        self.boundary();
        let mut code = String::new();
        let mut stack: Vec<NodeRef<'_, Node>> = node.children().rev().collect();
        while let Some(d) = stack.pop() {
            match d.value() {
                Node::Text(t) => code.push_str(t),
                Node::Element(el) => {
                    match el.name() {
                        "br" => code.push('\n'),
                        "script" | "style" => continue,
                        "code" | "div" | "p"
                            if d.prev_sibling().is_some_and(|s| s.value().is_element())
                                && !code.is_empty()
                                && !code.ends_with('\n') =>
                        {
                            code.push('\n');
                        }
                        _ => {}
                    }
                    stack.extend(d.children().rev());
                }
                _ => {}
            }
        }
        let code = code.trim_matches('\n');
        if code.trim().is_empty() {
            return;
        }
        if self.cell_depth > 0 {
            self.text(code);
            return;
        }
        self.generation += 1;
        self.blocks.push(format!("```\n{code}\n```"));
    }

    /// Ends the current block and pushes it, if it holds anything.
    fn flush(&mut self) {
        self.generation += 1;
        if self.cur.is_empty() {
            return;
        }
        let mut raw = std::mem::take(&mut self.cur);
        let row = self.in_row > 0;
        // Each line trimmed (a row's each cell), joined again.
        let mut text = String::with_capacity(raw.len());
        for (i, line) in raw.split('\n').enumerate() {
            if i > 0 {
                text.push('\n');
            }
            if row {
                for (j, cell) in line.split('\t').enumerate() {
                    if j > 0 {
                        text.push('\t');
                    }
                    text.push_str(cell.trim());
                }
            } else {
                text.push_str(line.trim());
            }
        }
        // The next block reuses the buffer.
        raw.clear();
        self.cur = raw;
        let trimmed = text.trim_matches('\n');
        if trimmed.chars().all(char::is_whitespace) {
            return;
        }
        if trimmed.len() != text.len() {
            text = trimmed.to_owned();
        }
        if let Some(level) = self.heading {
            let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
            text = format!("{} {one_line}", "#".repeat(level.clamp(1, 6)));
        } else if let Some(marker) = self.list_marker.take() {
            text = format!("{marker}{text}");
        }
        self.blocks.push(text);
    }
}

/// Decodes the HTML character references in `s` (`&amp;`, `&#39;`, `&#x4e2d;`
/// and the named ones scraped text actually holds). Unknown names are kept.
pub(crate) fn decode_entities(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let end = after
            .char_indices()
            .take(12)
            .find(|(_, c)| *c == ';')
            .map(|(i, _)| i);
        let decoded = end.and_then(|e| entity(&after[..e]).map(|c| (c, e)));
        if let Some((c, e)) = decoded {
            out.push(c);
            rest = &after[e + 1..];
        } else {
            out.push('&');
            rest = after;
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let n = if let Some(hex) = num.strip_prefix(['x', 'X']) {
            u32::from_str_radix(hex, 16).ok()?
        } else {
            num.parse().ok()?
        };
        return char::from_u32(n).filter(|c| *c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "yen" => '¥',
        "copy" => '©',
        "reg" => '®',
        "middot" => '·',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "ldquo" => '“',
        "rdquo" => '”',
        "lsquo" => '‘',
        "rsquo" => '’',
        "times" => '×',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "thinsp" => '\u{2009}',
        "zwj" => '\u{200d}',
        "zwnj" => '\u{200c}',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(html: &str) -> String {
        fragment_to_blocks(html).body
    }

    #[test]
    fn paragraphs_breaks_and_emphasis() {
        let html = "<p>“各民族要相互了解、<br>相互尊重”</p><p><strong>编译：代码卫士</strong></p>\
                    <section><section><span>华商</span><span>新闻</span></section></section>";
        assert_eq!(
            md(html),
            "“各民族要相互了解、\n相互尊重”\n\n**编译：代码卫士**\n\n华商新闻"
        );
    }

    #[test]
    fn headings_lists_links_images() {
        let html = "<h2>今日 议程</h2><ul><li><p>第一项</p></li><li>第二项</li></ul>\
                    <ol><li>甲</li><li>乙</li></ol>\
                    <p>详见<a href=\"https://example.com/a\">详情&gt;&gt;&gt;</a></p>\
                    <p><img data-src=\"https://mmbiz.qpic.cn/a/640?wx_fmt=png\" src=\"data:image/gif;base64,xx\" alt=\"图1 全球算力分布\"></p>";
        let c = fragment_to_blocks(html);
        assert_eq!(
            c.body,
            "## 今日 议程\n\n- 第一项\n\n- 第二项\n\n1. 甲\n\n2. 乙\n\n详见[详情>>>](https://example.com/a)\n\n![图1 全球算力分布](https://mmbiz.qpic.cn/a/640?wx_fmt=png)"
        );
        assert_eq!(c.images, ["https://mmbiz.qpic.cn/a/640?wx_fmt=png"]);
    }

    #[test]
    fn tables_are_tab_separated_rows() {
        let html = "<table><tr><th>团队</th><th>积分</th></tr><tr><td><p>Synacktiv</p></td><td>53</td></tr><tr><td></td><td></td></tr></table>";
        assert_eq!(md(html), "团队\t积分\n\nSynacktiv\t53");
    }

    #[test]
    fn code_kept_verbatim() {
        let html = "<p>代码：</p><pre><code>int main() {</code><code>    return 0;</code><code>}</code></pre>";
        assert_eq!(
            md(html),
            "代码：\n\n```\nint main() {\n    return 0;\n}\n```"
        );
        let html = "<pre>a  b<br>  c</pre>";
        assert_eq!(md(html), "```\na  b\n  c\n```");
    }

    #[test]
    fn media_cards_scripts_and_hidden_dropped() {
        let html =
            "<p>正文</p><mpvoice name=\"早安武汉3月19日\" voice_encode_fileid=\"x\"></mpvoice>\
                    <qqmusic musicid=\"1\" music_name=\"你那么爱她\"></qqmusic>\
                    <iframe class=\"video_iframe\" data-src=\"https://v.qq.com/x\"></iframe>\
                    <mp-miniprogram data-miniprogram-title=\"小程序\"></mp-miniprogram>\
                    <script>var a = '脚本';</script><style>p{}</style>\
                    <p style=\"display: none\">隐藏</p><p hidden>也隐藏</p>\
                    <mpvideo><span>视频说明文字</span></mpvideo>";
        assert_eq!(md(html), "正文\n\n视频说明文字");
    }

    #[test]
    fn adjacent_bold_runs_join() {
        assert_eq!(
            md("<p><b>返程高峰</b><b>，拥堵</b>明显</p>"),
            "**返程高峰，拥堵**明显"
        );
        assert_eq!(md("<p><b>甲</b> <b>乙</b></p>"), "**甲** **乙**");
    }

    /// Found by the `fastdom` fuzz target (through the full-DOM path):
    /// a bold run of only Unicode whitespace after another one panicked
    /// slicing its empty wrapping. `fuzz/regressions/fastdom-blank-strong-run`.
    #[test]
    fn regression_fuzz_fastdom_blank_strong_run() {
        assert_eq!(md("<p><b>a</b><b>\u{3000}</b></p>"), "**a**");
        assert_eq!(
            md("<table><tr><td>x<td><b>y</b><b><br></b></table>"),
            "x\ty"
        );
    }

    #[test]
    fn empty_emphasis_and_script_links() {
        let html = "<p><strong> </strong>开头<a href=\"javascript:;\">知道了</a><b><br></b></p>";
        assert_eq!(md(html), "开头知道了");
    }

    #[test]
    fn deep_nesting_flattened_text_kept() {
        let mut html = String::new();
        for _ in 0..2000 {
            html.push_str("<div class=\"a>b\">");
        }
        html.push_str("<script>var s = '</div>';</script>正文<!-- </div> -->");
        for _ in 0..2000 {
            html.push_str("</div>");
        }
        let flat = flatten_deep(&html);
        assert!(flat.len() < html.len());
        assert_eq!(flat.matches("<div").count(), MAX_DEPTH);
        assert_eq!(md(&html), "正文");
        let shallow = "<p>浅<b>的</b></p>";
        assert!(matches!(
            flatten_deep(shallow),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    /// `style_hides` as it was: the compacted style copied, then searched.
    fn style_hides_reference(style: &str) -> bool {
        let compact: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        compact.contains("display:none") || compact.contains("visibility:hidden")
    }

    #[test]
    fn hidden_styles_as_before() {
        for style in [
            "display:none",
            "DISPLAY : NONE",
            "d i s p l a y\t:\nn o n e",
            "display:\u{3000}none",
            "margin:0;display: none !important",
            "visibility:hidden",
            "visibility: hidden;",
            "xvisibility:hiddenx",
            "display:nonе",
            "display::none",
            "display:block;none:display",
            ":none",
            "display:",
            "",
            "display:ｎone",
            "İdisplay:none",
            "visibility:visible;display:inline",
        ] {
            assert_eq!(
                style_hides(style),
                style_hides_reference(style),
                "{style:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn hidden_styles_as_before_on_soup(
            style in "([dDiIsSpPlLaAyYvVbBtThHeEnNoO:; \t\n\u{3000}\u{a0}é]|display|none|visibility|hidden){0,24}"
        ) {
            proptest::prop_assert_eq!(style_hides(&style), style_hides_reference(&style));
        }
    }

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("A&amp;B &#39;x&#39; &#x4e2d; &bogus; &"),
            "A&B 'x' 中 &bogus; &"
        );
    }

    #[test]
    fn html_detection() {
        assert!(looks_like_html("<p>正文</p>"));
        assert!(looks_like_html("第一段<br>第二段"));
        assert!(!looks_like_html("纯文本 a < b"));
    }
}
