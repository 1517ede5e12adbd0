//! The body as a list of blocks, each with a plain-text view for matching.

use std::borrow::Cow;

use scour_record::{lines, split_lines};
use std::sync::LazyLock;

use regex::Regex;

use crate::inline;

/// What a block is, as far as the rules care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Running text (paragraph, list item, table row, caption).
    Text,
    /// A markdown heading (`#` … `######`).
    Heading,
    /// Only images, possibly wrapped in links: `![alt](src)`, `[![](src)](href)`.
    Image,
    /// Fenced code, kept verbatim.
    Code,
}

/// One block of the body, borrowing from it.
#[derive(Clone, Debug)]
pub(crate) struct Block<'a> {
    /// The block as it stands in the body (canonical markdown).
    pub(crate) raw: &'a str,
    /// Plain text: markdown syntax out, lines trimmed, images out.
    pub(crate) plain: Cow<'a, str>,
    pub(crate) kind: Kind,
    /// Images in the block: (alt, trimmed; src).
    pub(crate) images: Vec<(&'a str, &'a str)>,
    /// Number of characters of `plain`.
    pub(crate) chars: usize,
}

/// A table's separator row (`| --- | :-: |`); rare enough to stay a regex.
static TABLE_SEP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$").unwrap());

/// Splits a body into blocks on blank lines, keeping fenced code whole.
/// Each block is the run of the body's lines it spans, as it stands.
pub(crate) fn parse(text: &str) -> Vec<Block<'_>> {
    let mut blocks = Vec::new();
    // The byte range of the current block's lines.
    let mut current: Option<(usize, usize)> = None;
    let mut in_fence = false;
    let mut pos = 0;
    for line in split_lines(text) {
        let (start, end) = (pos, pos + line.len());
        pos = end + 1;
        let fence = line.trim_start().starts_with("```");
        if in_fence {
            if let Some(c) = &mut current {
                c.1 = end;
            }
            if fence {
                in_fence = false;
                if let Some((s, e)) = current.take() {
                    blocks.push(Block::new(&text[s..e]));
                }
            }
            continue;
        }
        if fence {
            if let Some((s, e)) = current.take() {
                blocks.push(Block::new(&text[s..e]));
            }
            current = Some((start, end));
            in_fence = true;
            continue;
        }
        // A blank line ends a block; so does a blank line of a quote (`>`
        // alone), which separates the quote's paragraphs.
        let quote_break = line.trim() == ">"
            && current.is_some_and(|(s, _)| text[s..].trim_start().starts_with('>'));
        if line.trim().is_empty() || quote_break {
            if let Some((s, e)) = current.take() {
                blocks.push(Block::new(&text[s..e]));
            }
            continue;
        }
        match &mut current {
            Some(c) => c.1 = end,
            None => current = Some((start, end)),
        }
    }
    if let Some((s, e)) = current {
        blocks.push(Block::new(&text[s..e]));
    }
    blocks
}

/// Splits a plain-text body into blocks, reading no markup: clean records
/// stripped again keep `_tmain`, `**kwargs` and code indentation as text.
pub(crate) fn parse_plain(text: &str) -> Vec<Block<'_>> {
    scour_record::split_blank_lines(text)
        .filter(|b| !b.trim().is_empty())
        .map(|raw| {
            let raw = raw.trim_matches('\n');
            let plain = if split_lines(raw)
                .all(|l| !l.trim_start().is_empty() && l.trim_end().len() == l.len())
            {
                Cow::Borrowed(raw)
            } else {
                Cow::Owned(
                    split_lines(raw)
                        .map(str::trim_end)
                        .filter(|l| !l.trim_start().is_empty())
                        .collect::<Vec<_>>()
                        .join("\n"),
                )
            };
            let chars = plain.chars().count();
            Block {
                raw,
                plain,
                kind: Kind::Text,
                images: Vec::new(),
                chars,
            }
        })
        .collect()
}

impl<'a> Block<'a> {
    pub(crate) fn new(raw: &'a str) -> Block<'a> {
        if raw.trim_start().starts_with("```") {
            let plain = code_body(raw);
            let chars = plain.chars().count();
            return Block {
                raw,
                plain: Cow::Borrowed(plain),
                kind: Kind::Code,
                images: Vec::new(),
                chars,
            };
        }
        let images: Vec<(&str, &str)> =
            inline::images(raw).map(|m| (m.alt.trim(), m.src)).collect();
        let heading = inline::heading_mark(raw.trim_start()).is_some();
        let plain = to_plain(raw, false);
        let kind = if !images.is_empty() && plain.trim().is_empty() {
            Kind::Image
        } else if heading {
            Kind::Heading
        } else {
            Kind::Text
        };
        let chars = plain.chars().count();
        Block {
            raw,
            plain,
            kind,
            images,
            chars,
        }
    }

    /// The plain text's lines, trimmed, non-empty.
    pub(crate) fn lines(&self) -> impl Iterator<Item = &str> {
        lines(&self.plain).map(str::trim).filter(|l| !l.is_empty())
    }
}

/// The lines between a code block's fences.
fn code_body(raw: &str) -> &str {
    let is_fence = |l: &str| l.trim_start().starts_with("```");
    let first_end = raw.find('\n');
    let mut body = match first_end {
        Some(e) if is_fence(&raw[..e]) => &raw[e + 1..],
        None if is_fence(raw) => "",
        _ => raw,
    };
    let last_start = body.rfind('\n').map_or(0, |i| i + 1);
    if is_fence(&body[last_start..]) {
        body = &body[..last_start.saturating_sub(1)];
    }
    body
}

/// Canonical markdown to plain text. Images become their alt text when
/// `keep_alt` (a caption), else nothing; links become their text; emphasis,
/// heading marks and backslash escapes go; table rows become tab-separated
/// cells and separator rows go.
pub(crate) fn to_plain(raw: &str, keep_alt: bool) -> Cow<'_, str> {
    to_plain_with(raw, &|_| keep_alt)
}

/// [`to_plain`], keeping the alt texts `keep_alt` accepts as captions.
pub(crate) fn to_plain_with<'a>(raw: &'a str, keep_alt: &dyn Fn(&str) -> bool) -> Cow<'a, str> {
    plain_of(raw, inline::images(raw), keep_alt)
}

/// [`to_plain_with`] of a block whose images were already found.
fn plain_of<'a>(
    raw: &'a str,
    found: impl IntoIterator<Item = inline::Image<'a>>,
    keep_alt: &dyn Fn(&str) -> bool,
) -> Cow<'a, str> {
    // Most blocks are plain prose: skip the markdown passes when no marker
    // character is present at all.
    if !raw.bytes().any(|c| {
        matches!(
            c,
            b'!' | b'[' | b'<' | b'*' | b'_' | b'~' | b'#' | b'>' | b'|' | b'\\' | b'`'
        )
    }) {
        return plain_lines(raw);
    }
    // Each pass runs only where its marker is present: regex calls are the
    // hot spot of the strip stage.
    let s = inline::replace_images(raw, found, |alt| {
        let alt = alt.trim();
        if !alt.is_empty() && keep_alt(alt) {
            alt.to_owned()
        } else {
            String::new()
        }
    });
    let s: Cow<'_, str> = match inline::replace_links(&s) {
        Cow::Owned(o) => Cow::Owned(o),
        Cow::Borrowed(_) => s,
    };
    let s: Cow<'_, str> = match inline::replace_autolinks(&s) {
        Cow::Owned(o) => Cow::Owned(o),
        Cow::Borrowed(_) => s,
    };
    let mut out = String::with_capacity(s.len());
    for line in split_lines(&s) {
        let line = line.trim_end();
        let t = line.trim_start();
        if t.is_empty() {
            continue;
        }
        // Indentation is kept (code, nested lists) unless the line is markup.
        let indent = &line[..line.len() - t.len()];
        let first = t.as_bytes()[0];
        if matches!(first, b'|' | b'-' | b':' | b'=' | b'*' | b'_')
            && ((t.contains('-') && TABLE_SEP.is_match(t)) || is_thematic_break(t))
        {
            continue;
        }
        let t: &str = match inline::heading_mark(t) {
            Some(n) if first == b'#' => &t[n..],
            _ => t,
        };
        let t: &str = if t.starts_with("> ") || t == ">" {
            t.trim_start_matches('>').trim_start()
        } else {
            t
        };
        // A table row: its cells joined by ` | ` (POLICY), empty cells at
        // the end dropped.
        let t: Cow<'_, str> = if t.starts_with('|') && t.ends_with('|') && t.len() > 1 {
            let mut cells: Vec<&str> = t[1..t.len() - 1].split('|').map(str::trim).collect();
            while cells.last().is_some_and(|c| c.is_empty()) {
                cells.pop();
            }
            Cow::Owned(cells.join(" | "))
        } else {
            Cow::Borrowed(t)
        };
        let t: Cow<'_, str> = if t.bytes().any(|c| matches!(c, b'*' | b'_' | b'~' | b'\\')) {
            // Escaped markers are text, not emphasis: set them aside first
            // (in private-use characters, which come back as the markers).
            let aside = t.contains('\\') || t.contains(['\u{E000}', '\u{E001}']);
            if aside {
                let t = set_escapes_aside(&t);
                let t = strip_emphasis(&t);
                Cow::Owned(
                    inline::unescape(&t)
                        .replace('\u{E000}', "*")
                        .replace('\u{E001}', "_"),
                )
            } else {
                Cow::Owned(strip_emphasis(&t))
            }
        } else {
            t
        };
        let t = t.trim();
        if t.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        if !matches!(first, b'#' | b'>' | b'|') {
            out.push_str(indent);
        }
        out.push_str(t);
    }
    Cow::Owned(out)
}

/// Escaped emphasis markers (`\\*`, `\\_`) put in private-use characters so
/// that emphasis does not read them; inside code spans they are literal and
/// stay as written.
fn set_escapes_aside(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut copied = 0;
    for p in inline::escapes(t) {
        // Other escapes (`\\`) stay for unescape.
        let mark = match t.as_bytes()[p + 1] {
            b'*' => '\u{E000}',
            b'_' => '\u{E001}',
            _ => continue,
        };
        out.push_str(&t[copied..p]);
        out.push(mark);
        copied = p + 2;
    }
    out.push_str(&t[copied..]);
    out
}

/// `---`, `===`, `***`: a rule line, markup with no text.
fn is_thematic_break(line: &str) -> bool {
    line.len() >= 3
        && line
            .chars()
            .all(|c| matches!(c, '-' | '=' | '*' | '_' | ' '))
}

/// The item of a bulleted list line (`- a`, `* a`, `+ a`, the line
/// trimmed at its start), or `None`. A mark alone, or before spaces only,
/// is not a list item; an ordered list's numbers are the author's text.
fn list_item(t: &str) -> Option<&str> {
    let rest = t
        .strip_prefix("- ")
        .or_else(|| t.strip_prefix("* "))
        .or_else(|| t.strip_prefix("+ "))?;
    let item = rest.trim_start();
    (!item.is_empty()).then_some(item)
}

/// A plain view's lines with list bullets and their nesting indentation
/// out (borrowed when no line is a list item).
pub(crate) fn without_bullets(plain: &str) -> Cow<'_, str> {
    if !split_lines(plain).any(|l| list_item(l.trim_start()).is_some()) {
        return Cow::Borrowed(plain);
    }
    let lines: Vec<&str> = split_lines(plain)
        .map(|l| list_item(l.trim_start()).unwrap_or(l))
        .collect();
    Cow::Owned(lines.join("\n"))
}

/// Lines trimmed, empty ones dropped: the plain view of marker-free text
/// (borrowed when that is the text as it stands).
fn plain_lines(raw: &str) -> Cow<'_, str> {
    let as_is = |l: &str| {
        let t = l.trim_end();
        t.len() == l.len() && !t.trim_start().is_empty() && !is_thematic_break(t.trim_start())
    };
    if split_lines(raw).all(as_is) {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    for line in split_lines(raw)
        .map(str::trim_end)
        .filter(|l| !l.trim_start().is_empty())
    {
        if is_thematic_break(line.trim_start()) {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line);
    }
    Cow::Owned(out)
}

fn strip_emphasis(line: &str) -> String {
    if !line.contains(['*', '_', '~']) {
        return line.to_owned();
    }
    // A list bullet `* ` at the start is kept as a bullet, not emphasis.
    let (bullet, rest) = match line.strip_prefix("* ") {
        Some(r) => ("* ", r),
        None => ("", line),
    };
    let mut out = String::with_capacity(line.len());
    out.push_str(bullet);
    for (piece, verbatim) in emphasis_pieces(rest) {
        if verbatim {
            out.push_str(piece);
        } else {
            out.push_str(&inline::remove_emphasis(piece));
        }
    }
    out
}

/// Splits a line into the pieces emphasis is read in and those it is not
/// (`true`): code spans (`` `a*b*c` ``, backticks and all), and a run of `*`
/// between two ASCII letters or digits (`w*h`, `start[2*w*h:]`, `2**10`),
/// which is arithmetic or code, not emphasis. Emphasis glued to Chinese text
/// (`这是**重点**内容`) is still emphasis. Issue 15: the old reading turned
/// `w*h` into `wh`.
fn emphasis_pieces(s: &str) -> Vec<(&str, bool)> {
    let b = s.as_bytes();
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'`' => match inline::code_span(b, i) {
                Ok(end) => {
                    pieces.push((&s[start..i], false));
                    pieces.push((&s[i..end], true));
                    start = end;
                    i = end;
                }
                Err(after) => i = after,
            },
            b'*' => {
                let n = b[i..].iter().take_while(|&&c| c == b'*').count();
                let before = i.checked_sub(1).map(|k| b[k]);
                let after = b.get(i + n).copied();
                if before.is_some_and(|c| c.is_ascii_alphanumeric())
                    && after.is_some_and(|c| c.is_ascii_alphanumeric())
                {
                    pieces.push((&s[start..i], false));
                    pieces.push((&s[i..i + n], true));
                    start = i + n;
                }
                i += n;
            }
            _ => i += 1,
        }
    }
    pieces.push((&s[start..], false));
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quotes_blank_line_separates_its_paragraphs() {
        let blocks = parse("> 核心信息。\n>\n> 全文约 12000 字，建议收藏。\n\n正文");
        let raws: Vec<_> = blocks.iter().map(|b| b.raw).collect();
        assert_eq!(
            raws,
            ["> 核心信息。", "> 全文约 12000 字，建议收藏。", "正文"]
        );
        // Outside a quote a lone `>` is text of its block, as before.
        assert_eq!(parse("甲\n>\n乙").len(), 1);
    }

    #[test]
    fn code_spans_keep_their_backslashes() {
        // A Windows path separator in a code span lost its backslash
        // (`` `\` `` became ``` `` ```): escapes do not apply inside code.
        assert_eq!(
            to_plain("严禁使用 Windows 的反斜杠 `\\`。", false),
            "严禁使用 Windows 的反斜杠 `\\`。"
        );
        assert_eq!(to_plain("`a\\*b` 和 a\\*b", false), "`a\\*b` 和 a*b");
        assert_eq!(to_plain("`C:\\temp` \\_x\\_", false), "`C:\\temp` _x_");
        // Outside code, escapes still read: an escaped backslash, then emphasis.
        assert_eq!(to_plain("a\\\\ **b**", false), "a\\ b");
    }

    #[test]
    fn arithmetic_and_code_keep_their_stars() {
        // Issue 15: `w*h` became `wh`.
        assert_eq!(strip_emphasis("用 w*h 表示"), "用 w*h 表示");
        assert_eq!(
            strip_emphasis("start[2*w*h:] 和 2**10"),
            "start[2*w*h:] 和 2**10"
        );
        assert_eq!(
            strip_emphasis("代码 `a*b*c` 与 `` x**y `` 里"),
            "代码 `a*b*c` 与 `` x**y `` 里"
        );
        // Emphasis is still emphasis, glued to Chinese text or not.
        assert_eq!(strip_emphasis("这是**重点**内容"), "这是重点内容");
        assert_eq!(strip_emphasis("**bold** and *it*"), "bold and it");
        assert_eq!(strip_emphasis("* 列表项 **粗**"), "* 列表项 粗");
        // An unclosed backtick is text, and what follows it is read.
        assert_eq!(strip_emphasis("a ` b **c**"), "a ` b c");
        assert_eq!(
            strip_emphasis("snake_case_name 和 _斜体_"),
            "snake_case_name 和 斜体"
        );
        // Two spans side by side: the space between them closes the first
        // and must still open the second.
        assert_eq!(
            strip_emphasis("_切换到竖屏_ _退出全屏_"),
            "切换到竖屏 退出全屏"
        );
        assert_eq!(strip_emphasis("_a_ _b_ _c_"), "a b c");
    }

    #[test]
    fn plain_views() {
        assert_eq!(
            to_plain("**扫码订阅《中国信息安全》**", false),
            "扫码订阅《中国信息安全》"
        );
        assert_eq!(to_plain("[知道了](javascript:;)", false), "知道了");
        assert_eq!(
            to_plain("## 此内容因违规无法查看", false),
            "此内容因违规无法查看"
        );
        assert_eq!(
            to_plain("![图1 全球算力分布](https://x/y.png)", true),
            "图1 全球算力分布"
        );
        assert_eq!(
            to_plain(
                "[![](https://a/b.png)](https://mp.weixin.qq.com/s?x=1)",
                false
            ),
            ""
        );
        assert_eq!(to_plain("huoxian\\_zone", false), "huoxian_zone");
        assert_eq!(
            to_plain("\\*图片来源：视觉中国", false),
            "*图片来源：视觉中国"
        );
        assert_eq!(
            to_plain("| a | b |\n| --- | --- |\n| 1 | 2 |", false),
            "a | b\n1 | 2"
        );
        assert_eq!(to_plain("| a | | |\n| | b |", false), "a\n| b");
    }

    #[test]
    fn bullets_are_markup_numbers_are_text() {
        let plain = |raw: &str| without_bullets(&to_plain(raw, false)).into_owned();
        assert_eq!(plain("- a\n  - b **c**\n+ d"), "a\nb c\nd");
        assert_eq!(plain("* 列表项 **粗**"), "列表项 粗");
        assert_eq!(plain("> - 引用里的项"), "引用里的项");
        assert_eq!(plain("1. 一\n2. 二"), "1. 一\n2. 二");
        // A dash alone, a rule, a double dash: no list item.
        assert_eq!(plain("- \n-\n- - -\n-- x"), "-\n-\n-- x");
        assert!(matches!(without_bullets("正文\n第二行"), Cow::Borrowed(_)));
        assert_eq!(
            to_plain("**作者 | Alan****编辑**| 靖宇****", false),
            "作者 | Alan编辑| 靖宇"
        );
    }

    #[test]
    fn blocks_and_kinds() {
        let blocks = parse("# 标题\n\n![cover_image](https://a/0?wx_fmt=jpeg)\n\n正文\n第二行\n\n```\ncode\n\nmore\n```\n\n尾");
        let kinds: Vec<Kind> = blocks.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::Heading,
                Kind::Image,
                Kind::Text,
                Kind::Code,
                Kind::Text
            ]
        );
        assert_eq!(blocks[1].images[0].0, "cover_image");
        assert_eq!(blocks[3].plain, "code\n\nmore");
    }

    /// The splitting as it was written first, building each block's text
    /// line by line: the reference the borrowing [`parse`] is held to.
    mod reference {
        use super::super::{inline, is_thematic_break, to_plain, Kind};

        pub(super) type Owned = (String, String, Kind, Vec<(String, String)>, usize);

        fn block(raw: String) -> Owned {
            if raw.trim_start().starts_with("```") {
                let mut lines: Vec<&str> = raw.split('\n').collect();
                if lines
                    .first()
                    .is_some_and(|l| l.trim_start().starts_with("```"))
                {
                    lines.remove(0);
                }
                if lines
                    .last()
                    .is_some_and(|l| l.trim_start().starts_with("```"))
                {
                    lines.pop();
                }
                let plain = lines.join("\n");
                let chars = plain.chars().count();
                return (raw, plain, Kind::Code, Vec::new(), chars);
            }
            let images: Vec<(String, String)> = inline::images(&raw)
                .map(|m| (m.alt.trim().to_owned(), m.src.to_owned()))
                .collect();
            let heading = inline::heading_mark(raw.trim_start()).is_some();
            let plain = to_plain(&raw, false).into_owned();
            let kind = if !images.is_empty() && plain.trim().is_empty() {
                Kind::Image
            } else if heading {
                Kind::Heading
            } else {
                Kind::Text
            };
            let chars = plain.chars().count();
            (raw, plain, kind, images, chars)
        }

        pub(super) fn parse(text: &str) -> Vec<Owned> {
            let mut blocks = Vec::new();
            let mut current = String::new();
            let mut in_fence = false;
            for line in text.split('\n') {
                let fence = line.trim_start().starts_with("```");
                if in_fence {
                    current.push('\n');
                    current.push_str(line);
                    if fence {
                        in_fence = false;
                        blocks.push(block(std::mem::take(&mut current)));
                    }
                    continue;
                }
                if fence {
                    if !current.trim().is_empty() {
                        blocks.push(block(std::mem::take(&mut current)));
                    }
                    current.clear();
                    current.push_str(line);
                    in_fence = true;
                    continue;
                }
                if line.trim().is_empty() {
                    if !current.trim().is_empty() {
                        blocks.push(block(std::mem::take(&mut current)));
                    }
                    current.clear();
                    continue;
                }
                if !current.is_empty() {
                    current.push('\n');
                }
                current.push_str(line);
            }
            if !current.trim().is_empty() {
                blocks.push(block(current));
            }
            blocks
        }

        pub(super) fn parse_plain(text: &str) -> Vec<Owned> {
            text.split("\n\n")
                .filter(|b| !b.trim().is_empty())
                .map(|raw| {
                    let plain = raw
                        .split('\n')
                        .map(str::trim_end)
                        .filter(|l| !l.trim_start().is_empty())
                        .collect::<Vec<_>>()
                        .join("\n");
                    let chars = plain.chars().count();
                    (
                        raw.trim_matches('\n').to_owned(),
                        plain,
                        Kind::Text,
                        Vec::new(),
                        chars,
                    )
                })
                .collect()
        }

        /// Marker-free text's plain view as it was computed first.
        pub(super) fn plain_lines(raw: &str) -> String {
            raw.split('\n')
                .map(str::trim_end)
                .filter(|l| !l.trim_start().is_empty() && !is_thematic_break(l.trim_start()))
                .collect::<Vec<_>>()
                .join("\n")
        }
    }

    fn owned(blocks: &[Block<'_>]) -> Vec<reference::Owned> {
        blocks
            .iter()
            .map(|b| {
                (
                    b.raw.to_owned(),
                    b.plain.clone().into_owned(),
                    b.kind,
                    b.images
                        .iter()
                        .map(|&(a, s)| (a.to_owned(), s.to_owned()))
                        .collect(),
                    b.chars,
                )
            })
            .collect()
    }

    fn same_as_reference(text: &str) {
        assert_eq!(owned(&parse(text)), reference::parse(text), "{text:?}");
        assert_eq!(
            owned(&parse_plain(text)),
            reference::parse_plain(text),
            "{text:?}"
        );
        assert_eq!(plain_lines(text), reference::plain_lines(text), "{text:?}");
    }

    #[test]
    fn borrowed_blocks_equal_the_reference_on_the_corpus() {
        let Some(dir) = crate::shared::require("corpus/wechat") else {
            return;
        };
        let opts = scour_normalize::Options::default();
        let mut seen = 0;
        for sub in ["markdown", "html", "json", "rss"] {
            for e in std::fs::read_dir(dir.join(sub)).unwrap() {
                let e = e.unwrap();
                let bytes = std::fs::read(e.path()).unwrap();
                for doc in scour_normalize::normalize(&e.path().to_string_lossy(), &bytes, &opts) {
                    same_as_reference(&doc.text);
                    seen += 1;
                }
            }
        }
        assert!(seen > 0, "no corpus body compared");
    }

    #[test]
    fn borrowed_blocks_equal_the_reference_on_edge_cases() {
        for text in [
            "",
            "\n",
            "a",
            "a\n\nb",
            "a  \n b\t\n\n\n c ",
            " \n \t\n",
            "```",
            "```\n",
            "```\n```",
            "```rust\nfn x() {}\n\n  ```\nafter",
            "x\n```\ncode",
            "  ```\n  indented\n  ```",
            "---\n\n***",
            "a\n---\nb",
            "\n\na\n\n",
            "![](x)\n\n# h",
        ] {
            same_as_reference(text);
        }
    }

    proptest::proptest! {
        #[test]
        fn borrowed_blocks_equal_the_reference(
            lines in proptest::collection::vec(
                proptest::sample::select(vec![
                    "", " ", "\t", "a", "文本 ", "```", "  ```x", "---", "# h", "![a](b)",
                    "[l](u)", "**b**", "| a | b |", "| --- |", "> q", "x\u{3000}",
                ]),
                0..16,
            )
        ) {
            same_as_reference(&lines.join("\n"));
        }
    }
}
