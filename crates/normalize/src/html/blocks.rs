//! A subtree of the page's [`Tree`] to canonical markdown blocks: the one
//! converter every format that carries HTML goes through (pages, JSON
//! bodies, feed items, WARC payloads, raw HTML inside markdown).
//!
//! One block per paragraph, `<section>` leaf, heading, list item or table
//! row, blocks one blank line apart; `<br>` is a newline inside its block.
//! Headings become `# text`, `<strong>`/`<b>` `**text**`, links
//! `[text](href)`, images `![alt](data-src)`, table rows their cells joined
//! by a tab, `<pre>` a fenced code block kept verbatim. Scripts, styles,
//! hidden elements and embedded players are dropped.
//!
//! The walk is a loop over the subtree's range of nodes (see [`Tree`]), with
//! a stack of the elements still to exit: no recursion however deep a page
//! nests.

use super::tree::{Element, Kind, Tree};

/// A converted fragment: the body as canonical markdown and its image URLs.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Converted {
    pub(crate) body: String,
    pub(crate) images: Vec<String>,
}

/// Converts an HTML fragment (a JSON body, a feed item, raw HTML in markdown).
pub(crate) fn fragment_to_blocks(html: &str) -> Converted {
    let tree = super::tree::parse(html);
    convert(&tree, Tree::ROOT, &[])
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
pub(crate) fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "head"
            | "title"
            | "meta"
            | "link"
            | "iframe"
            | "frame"
            | "frameset"
            | "object"
            | "embed"
            | "video"
            | "audio"
            | "canvas"
            | "svg"
            | "math"
            | "input"
            | "button"
            | "select"
            | "textarea"
            | "option"
            | "map"
            | "area"
    )
}

/// Elements that start and end a block.
pub(crate) fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "aside"
            | "header"
            | "footer"
            | "nav"
            | "address"
            | "blockquote"
            | "center"
            | "dd"
            | "dl"
            | "dt"
            | "details"
            | "summary"
            | "dialog"
            | "fieldset"
            | "legend"
            | "figure"
            | "figcaption"
            | "form"
            | "hgroup"
            | "hr"
            | "caption"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "body"
            | "html"
    )
}

/// The URL of an image: WeChat's lazy `data-src` first, then `src`; never a
/// `data:` placeholder.
pub(crate) fn image_src<'e>(el: &'e Element<'_>) -> Option<&'e str> {
    ["data-src", "src", "data-original", "data-backsrc"]
        .iter()
        .filter_map(|a| el.attr(a))
        .map(str::trim)
        .find(|s| !s.is_empty() && !s.starts_with("data:"))
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

/// Converts the subtree under `root`, leaving out the subtrees rooted at
/// `cut` (sorted: blocks extraction dropped). The root itself is never
/// treated as hidden: WeChat ships `#js_content` with `visibility: hidden`
/// and reveals it by script.
pub(crate) fn convert(tree: &Tree, root: u32, cut: &[u32]) -> Converted {
    let mut c = Converter::default();
    let end = tree.end(root);
    let mut exits: Vec<u32> = Vec::new();
    let mut i = root;
    while i < end {
        while let Some(&top) = exits.last() {
            if i < tree.end(top) {
                break;
            }
            exits.pop();
            if let Some(el) = tree.element(top) {
                c.exit(el);
            }
        }
        match &tree.nodes[i as usize].kind {
            Kind::Text(t) => {
                if i == root || cut.binary_search(&i).is_err() {
                    c.text(t);
                }
                i += 1;
            }
            Kind::Root => i += 1,
            Kind::Element(el) => {
                if is_skipped(&el.name)
                    || (i != root && (el.hidden || cut.binary_search(&i).is_ok()))
                {
                    i = tree.end(i);
                    continue;
                }
                if &*el.name == "pre" {
                    c.pre(tree, i);
                    i = tree.end(i);
                    continue;
                }
                c.enter(el);
                exits.push(i);
                i += 1;
            }
        }
    }
    while let Some(top) = exits.pop() {
        if let Some(el) = tree.element(top) {
            c.exit(el);
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
        let name = &*el.name;
        match name {
            "br" => {
                if self.cell_depth > 0 {
                    self.cur.push(' ');
                } else {
                    self.cur.push('\n');
                }
            }
            "img" => self.image(el),
            "strong" | "b" => {
                let kind = if self.strong_depth == 0 {
                    MarkKind::Strong
                } else {
                    MarkKind::Inactive
                };
                self.strong_depth += 1;
                self.open_mark(kind);
            }
            "a" => {
                let kind = match el.href_elsewhere() {
                    Some(href) => MarkKind::Link(href.replace(' ', "%20")),
                    None => MarkKind::Inactive,
                };
                self.open_mark(kind);
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.boundary();
                if self.cell_depth == 0 {
                    self.heading = name[1..].parse().ok();
                }
            }
            "ul" | "ol" => {
                self.boundary();
                self.lists.push((name == "ol", 0));
            }
            "li" => {
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
            "tr" => {
                if self.cell_depth == 0 {
                    self.flush();
                    self.in_row += 1;
                }
                self.row_cells.push(0);
            }
            "td" | "th" => {
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
        let name = &*el.name;
        match name {
            "strong" | "b" => {
                self.strong_depth = self.strong_depth.saturating_sub(1);
                self.close_mark();
            }
            "a" => self.close_mark(),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.boundary();
                self.heading = None;
            }
            "ul" | "ol" => {
                self.boundary();
                self.lists.pop();
            }
            "li" => {
                self.boundary();
                self.list_marker = None;
            }
            "tr" => {
                self.row_cells.pop();
                if self.cell_depth == 0 {
                    self.flush();
                    self.in_row = self.in_row.saturating_sub(1);
                }
            }
            "td" | "th" => {
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
    fn pre(&mut self, tree: &Tree, node: u32) {
        self.boundary();
        let mut code = String::new();
        let mut prev_sibling_is_element = vec![false];
        let mut exits: Vec<u32> = Vec::new();
        let mut i = node + 1;
        let end = tree.end(node);
        while i < end {
            while exits.last().is_some_and(|&top| i >= tree.end(top)) {
                exits.pop();
                prev_sibling_is_element.pop();
                if let Some(last) = prev_sibling_is_element.last_mut() {
                    *last = true;
                }
            }
            match &tree.nodes[i as usize].kind {
                Kind::Text(t) => {
                    code.push_str(t);
                    if let Some(last) = prev_sibling_is_element.last_mut() {
                        *last = false;
                    }
                    i += 1;
                }
                Kind::Root => i += 1,
                Kind::Element(el) => {
                    let after_element = prev_sibling_is_element.last().copied().unwrap_or(false);
                    match &*el.name {
                        "br" => code.push('\n'),
                        "script" | "style" => {
                            i = tree.end(i);
                            if let Some(last) = prev_sibling_is_element.last_mut() {
                                *last = true;
                            }
                            continue;
                        }
                        "code" | "div" | "p"
                            if after_element && !code.is_empty() && !code.ends_with('\n') =>
                        {
                            code.push('\n');
                        }
                        _ => {}
                    }
                    if tree.end(i) > i + 1 {
                        exits.push(i);
                        prev_sibling_is_element.push(false);
                    } else if let Some(last) = prev_sibling_is_element.last_mut() {
                        *last = true;
                    }
                    i += 1;
                }
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
        // Cells and rows closed by the next one, as browsers read them.
        assert_eq!(
            md("<table><tr><td>甲<td>乙<tr><td>丙<td>丁</table>"),
            "甲\t乙\n\n丙\t丁"
        );
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
    fn deep_nesting_text_kept() {
        let mut html = String::new();
        for _ in 0..20_000 {
            html.push_str("<div class=\"a>b\">");
        }
        html.push_str("<script>var s = '</div>';</script>正文<!-- </div> -->");
        for _ in 0..20_000 {
            html.push_str("</div>");
        }
        assert_eq!(md(&html), "正文");
    }

    #[test]
    fn html_detection() {
        assert!(looks_like_html("<p>正文</p>"));
        assert!(looks_like_html("第一段<br>第二段"));
        assert!(!looks_like_html("纯文本 a < b"));
    }
}
