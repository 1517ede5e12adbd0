//! The body as a list of blocks, each with a plain-text view for matching.

use std::borrow::Cow;
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

/// One block of the body.
#[derive(Clone, Debug)]
pub(crate) struct Block {
    /// The block as it stands in the body (canonical markdown).
    pub(crate) raw: String,
    /// Plain text: markdown syntax out, lines trimmed, images out.
    pub(crate) plain: String,
    pub(crate) kind: Kind,
    /// Images in the block: (alt, src).
    pub(crate) images: Vec<(String, String)>,
    /// Number of characters of `plain`.
    pub(crate) chars: usize,
}

/// A table's separator row (`| --- | :-: |`); rare enough to stay a regex.
static TABLE_SEP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$").unwrap());

/// Splits a body into blocks on blank lines, keeping fenced code whole.
pub(crate) fn parse(text: &str) -> Vec<Block> {
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
                blocks.push(Block::new(std::mem::take(&mut current)));
            }
            continue;
        }
        if fence {
            if !current.trim().is_empty() {
                blocks.push(Block::new(std::mem::take(&mut current)));
            }
            current.clear();
            current.push_str(line);
            in_fence = true;
            continue;
        }
        if line.trim().is_empty() {
            if !current.trim().is_empty() {
                blocks.push(Block::new(std::mem::take(&mut current)));
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
        blocks.push(Block::new(current));
    }
    blocks
}

/// Splits a plain-text body into blocks, reading no markup: clean records
/// stripped again keep `_tmain`, `**kwargs` and code indentation as text.
pub(crate) fn parse_plain(text: &str) -> Vec<Block> {
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
            Block {
                raw: raw.trim_matches('\n').to_owned(),
                plain,
                kind: Kind::Text,
                images: Vec::new(),
                chars,
            }
        })
        .collect()
}

impl Block {
    pub(crate) fn new(raw: String) -> Block {
        if raw.trim_start().starts_with("```") {
            let plain = code_body(&raw);
            let chars = plain.chars().count();
            return Block {
                raw,
                plain,
                kind: Kind::Code,
                images: Vec::new(),
                chars,
            };
        }
        let images: Vec<(String, String)> = inline::images(&raw)
            .map(|m| (m.alt.trim().to_owned(), m.src.to_owned()))
            .collect();
        let heading = inline::heading_mark(raw.trim_start()).is_some();
        let plain = to_plain(&raw, false);
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
        self.plain.lines().map(str::trim).filter(|l| !l.is_empty())
    }
}

/// The lines between a code block's fences.
fn code_body(raw: &str) -> String {
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
    lines.join("\n")
}

/// Canonical markdown to plain text. Images become their alt text when
/// `keep_alt` (a caption), else nothing; links become their text; emphasis,
/// heading marks and backslash escapes go; table rows become tab-separated
/// cells and separator rows go.
pub(crate) fn to_plain(raw: &str, keep_alt: bool) -> String {
    to_plain_with(raw, &|_| keep_alt)
}

/// [`to_plain`], keeping the alt texts `keep_alt` accepts as captions.
pub(crate) fn to_plain_with(raw: &str, keep_alt: &dyn Fn(&str) -> bool) -> String {
    // Most blocks are plain prose: skip the markdown passes when no marker
    // character is present at all.
    if !raw.contains(['!', '[', '<', '*', '_', '~', '#', '>', '|', '\\', '`']) {
        return plain_lines(raw);
    }
    // Each pass runs only where its marker is present: regex calls are the
    // hot spot of the strip stage.
    let s = inline::replace_images(raw, |alt| {
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
    for line in s.split('\n') {
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
        let t: Cow<'_, str> = if t.starts_with('|') && t.ends_with('|') && t.len() > 1 {
            Cow::Owned(
                t[1..t.len() - 1]
                    .split('|')
                    .map(str::trim)
                    .collect::<Vec<_>>()
                    .join("\t")
                    .trim_end_matches('\t')
                    .to_owned(),
            )
        } else {
            Cow::Borrowed(t)
        };
        let t: Cow<'_, str> = if t.contains(['*', '_', '~', '\\']) {
            // Escaped markers are text, not emphasis: set them aside first.
            let t = t.replace("\\*", "\u{E000}").replace("\\_", "\u{E001}");
            let t = strip_emphasis(&t);
            Cow::Owned(
                inline::unescape(&t)
                    .replace('\u{E000}', "*")
                    .replace('\u{E001}', "_"),
            )
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
    out
}

/// `---`, `===`, `***`: a rule line, markup with no text.
fn is_thematic_break(line: &str) -> bool {
    line.len() >= 3
        && line
            .chars()
            .all(|c| matches!(c, '-' | '=' | '*' | '_' | ' '))
}

/// Lines trimmed, empty ones dropped: the plain view of marker-free text.
fn plain_lines(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for line in raw
        .split('\n')
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
    out
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
    format!("{bullet}{}", inline::remove_emphasis(rest))
}

#[cfg(test)]
mod tests {
    use super::*;

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
            "a\tb\n1\t2"
        );
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
}
