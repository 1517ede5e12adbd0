//! Markdown hard-wrapped at a fixed width (html2text's `BODY_WIDTH`, 78 by
//! default; other converters wrap at 70–80) is joined back into its
//! paragraphs (POLICY: "lines an html2text dump hard-wrapped at a fixed
//! width are joined back").
//!
//! A wrapper breaks a line only at a space (or after a hyphen), before the
//! word that would overflow the width. So in a wrapped dump the lines that
//! hold a space end close under one width, and the next line's first word
//! would not have fitted. Chinese text has no spaces to break at: a run of
//! it stays whole on a line longer than the width, which tells nothing and
//! is not counted. A dump whose paragraphs are one line each, separated by
//! single newlines (an unwrapped html2text backup), has no such width and
//! breaks after sentences, not inside them: its lines stay as they are.
//!
//! No crate reads this: markdown parsers treat a soft break as a space,
//! which is wrong between Chinese characters and cannot tell a wrapped dump
//! from one whose lines are paragraphs.

use std::borrow::Cow;

/// The narrowest and widest wrap widths believed.
const WIDTHS: std::ops::RangeInclusive<usize> = 60..=100;
/// A full line ends at most this many characters under the width.
const SLACK: usize = 10;
/// At least this many full lines make a width.
const MIN_FULL: usize = 2;

/// The body with its wrapped lines joined, borrowed when the dump is not
/// wrapped.
pub(crate) fn unwrap(body: &str) -> Cow<'_, str> {
    if !may_be_wrapped(body.as_bytes()) {
        return Cow::Borrowed(body);
    }
    let lines: Vec<&str> = body.lines().collect();
    let breaks = soft_breaks(&lines);
    if !is_wrapped(&lines, &breaks) {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len());
    for (i, line) in lines.iter().enumerate() {
        if i > 0 && breaks[i - 1] {
            let prev = out.trim_end_matches(' ').len();
            out.truncate(prev);
            let next = line.trim_start();
            if joins_with_space(&out, next) {
                out.push(' ');
            }
            out.push_str(next);
        } else {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(line);
        }
    }
    if body.ends_with('\n') {
        out.push('\n');
    }
    Cow::Owned(out)
}

/// A quick look before the line-by-line one, which most bodies need not
/// pay for: at least [`MIN_FULL`] lines that could be full ones (a space
/// in them, a length near a believable width, not a heading, quote or
/// table row) go on to a next line that starts no such block.
fn may_be_wrapped(body: &[u8]) -> bool {
    // From the narrowest full line in characters to the widest in bytes
    // (four to a character).
    const BYTES: std::ops::RangeInclusive<usize> = (*WIDTHS.start() - SLACK)..=(4 * *WIDTHS.end());
    let own = |c: Option<&u8>| matches!(c, Some(b'#' | b'>' | b'|' | b'!' | b'\n' | b'\r'));
    let mut start = 0;
    let mut found = 0;
    for nl in memchr::memchr_iter(b'\n', body) {
        let line = body[start..nl].trim_ascii();
        start = nl + 1;
        if BYTES.contains(&line.len())
            && !own(line.first())
            && !own(body.get(nl + 1))
            && nl + 1 < body.len()
            && memchr::memchr(b' ', line).is_some()
        {
            found += 1;
            if found >= MIN_FULL {
                return true;
            }
        }
    }
    false
}

/// For each line, whether the newline after it is a soft break inside a
/// paragraph: the next line continues the text. Not in fenced code, not
/// after a hard break (two trailing spaces), not in quotes, tables or
/// headings, and not before a line that starts a block of its own (a list
/// item, a quote, a heading, a table row, an image, a fence).
fn soft_breaks(lines: &[&str]) -> Vec<bool> {
    let mut breaks = vec![false; lines.len()];
    let mut in_fence = false;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        if t.starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence || t.is_empty() || line.ends_with("  ") || starts_own_line(t) {
            continue;
        }
        let Some(next) = lines.get(i + 1) else {
            continue;
        };
        let n = next.trim_start();
        breaks[i] = !n.is_empty() && !n.starts_with("```") && !starts_block(n);
    }
    breaks
}

/// A line that is never continued by the next: heading, quote, table row.
fn starts_own_line(t: &str) -> bool {
    t.starts_with(['#', '>', '|'])
}

/// A line that starts a block of its own.
fn starts_block(t: &str) -> bool {
    if starts_own_line(t) || t.starts_with("![") || t.starts_with("[![") {
        return true;
    }
    if ["- ", "* ", "+ "].iter().any(|b| t.starts_with(b)) {
        return true;
    }
    // An ordered list item: digits, `.` or `)`, a space.
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0
        && digits <= 3
        && matches!(t.as_bytes().get(digits), Some(b'.' | b')'))
        && t.as_bytes().get(digits + 1) == Some(&b' ')
}

/// Whether the soft breaks show one wrap width: the lines before them that
/// hold a space (a place the wrapper could have broken) are no longer than
/// the widest of them, a believable width; the next word would not have fit
/// after any of them; at least two end within a few characters of it; and
/// most soft breaks fall inside a sentence. A dump whose lines are
/// paragraphs breaks after sentences, at no one width.
fn is_wrapped(lines: &[&str], breaks: &[bool]) -> bool {
    let soft: Vec<usize> = (0..lines.len()).filter(|&i| breaks[i]).collect();
    if soft.len() < 2 {
        return false;
    }
    let inside = soft.iter().filter(|&&i| !ends_sentence(lines[i])).count();
    if inside * 3 < soft.len() * 2 {
        return false;
    }
    let spaced: Vec<(usize, usize)> = soft
        .iter()
        .filter(|&&i| lines[i].trim().contains(' '))
        .map(|&i| {
            let width = lines[i].trim_end().chars().count();
            let next_word = lines[i + 1]
                .split_whitespace()
                .next()
                .map_or(0, |w| w.chars().count());
            (width, next_word)
        })
        .collect();
    let Some(width) = spaced.iter().map(|&(w, _)| w).max() else {
        return false;
    };
    WIDTHS.contains(&width)
        && spaced.iter().all(|&(w, next)| w + 1 + next > width)
        && spaced.iter().filter(|&&(w, _)| w + SLACK >= width).count() >= MIN_FULL
}

/// The line ends a sentence: its last character, closing markup and
/// brackets aside, is a sentence's end (`。`, `？`, `.`, `：`, a closing
/// quote).
fn ends_sentence(line: &str) -> bool {
    let t = line
        .trim_end()
        .trim_end_matches(['*', '_', ')', ']', '）', '】', '』', '」', '’', '\''])
        .trim_end();
    t.ends_with([
        '。', '！', '？', '!', '?', '…', '"', '”', '.', '；', ';', '：', ':',
    ])
}

/// The wrapper broke at a space, and the join puts it back, except after a
/// hyphen (`SRS-` / `NS7R`) and next to Chinese (or other wide) script,
/// which is written without spaces. Emphasis marks at the join are looked
/// past (`46_` / `(4)`).
fn joins_with_space(before: &str, after: &str) -> bool {
    let is_mark = |c: char| matches!(c, '*' | '_' | '`');
    let a = before.chars().rev().find(|&c| !is_mark(c));
    let b = after.chars().find(|&c| !is_mark(c));
    let (Some(a), Some(b)) = (a, b) else {
        return false;
    };
    let hyphen = before.ends_with('-') && !before.ends_with(" -");
    !hyphen && !is_wide(a) && !is_wide(b)
}

/// Chinese, Japanese and Korean script, their punctuation and full-width
/// forms, and the quotes and dashes Chinese text uses.
fn is_wide(c: char) -> bool {
    c >= '\u{2E80}' || matches!(c, '“' | '”' | '‘' | '’' | '…' | '—')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Wraps `text` at `width` as html2text does: at spaces, after hyphens.
    fn wrap(text: &str, width: usize) -> String {
        let mut out = String::new();
        let mut line = String::new();
        for word in text.split(' ') {
            let w = line.chars().count();
            if w > 0 && w + 1 + word.chars().count() > width {
                out.push_str(&line);
                out.push('\n');
                line.clear();
            } else if w > 0 {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push_str(&line);
        out
    }

    #[test]
    fn a_wrapped_dump_is_joined_back() {
        let para = "The quick brown fox jumps over the lazy dog while the farmer watches from the \
                    porch and the children play in the yard behind the old barn near the river, \
                    and nobody notices the time passing by on this warm and quiet summer evening.";
        let body = format!("# Title\n\n{}\n\n{}\n", wrap(para, 78), wrap(para, 78));
        assert!(body.lines().count() > 8);
        let joined = unwrap(&body);
        assert_eq!(joined, format!("# Title\n\n{para}\n\n{para}\n"));
    }

    #[test]
    fn chinese_runs_stay_whole_and_join_back() {
        // The dialect of an html2text backup at 78 columns: Chinese runs
        // stay whole past the width, breaks fall where Latin words are.
        let para = "在Apple Music和Tidal之间，我选择了Tidal，不是比较的结果，而是因为单纯讨厌库克，\
                    讨厌它的音乐播放器，也讨厌它的界面和它的推荐，更讨厌它的价格和它的广告，还有它的客服。\
                    The wrapper breaks only where a space is, so this English sentence gives it \
                    places to break the line.不然以音质和乐库而论的话，应该是Apple Music更胜一筹。\
                    And here come a few more English words so that there are enough full lines \
                    to tell the width by, as in a real dump of an account that writes both.";
        let wrapped = wrap(para, 78);
        assert!(wrapped.lines().any(|l| l.chars().count() > 78), "{wrapped}");
        let body = format!("{wrapped}\n\n{wrapped}");
        assert_eq!(unwrap(&body), format!("{para}\n\n{para}"));
    }

    #[test]
    fn joins() {
        assert!(joins_with_space("Apple", "Music"));
        assert!(joins_with_space("words,", "and"));
        assert!(joins_with_space("Language, 46_", "(4), 665"));
        // After a hyphen, and next to Chinese, the join is seamless.
        assert!(!joins_with_space("SRS-", "NS7R"));
        assert!(joins_with_space("a dash -", "then"));
        assert!(!joins_with_space("问题---", "老人家"));
        assert!(!joins_with_space("midjunery", "一样"));
        assert!(!joins_with_space("一样", "Wiim"));
    }

    #[test]
    fn paragraphs_of_one_line_each_stay() {
        // An unwrapped backup: each line is a paragraph, of any length.
        let body = "这是第一段，讲了一件事。\n这是第二段 with a few words，长短不一。\n短句。\nA line with spaces that is of some length but not at any width.\nAnother one, shorter.\nAnd a third line that has spaces in it too, also not wrapped.";
        assert!(matches!(unwrap(body), Cow::Borrowed(_)));
    }

    #[test]
    fn structure_is_never_joined() {
        let para = "word ".repeat(60);
        let wrapped = wrap(para.trim(), 70);
        let body = format!("{wrapped}\n- item one\n- item two\n> quote line\n> more\n| a | b |\n```\ncode line\nmore code\n```\n{wrapped}  \nhard break\n");
        let out = unwrap(&body);
        for kept in ["\n- item one\n- item two\n> quote line\n> more\n| a | b |\n```\ncode line\nmore code\n```\n", "  \nhard break"] {
            assert!(out.contains(kept), "{kept:?} in {out}");
        }
        assert!(out.starts_with(para.trim()), "{out}");
    }

    #[test]
    fn a_list_of_short_lines_is_not_a_width() {
        assert!(matches!(unwrap("a b\nc d\ne f\ng h\n"), Cow::Borrowed(_)));
        assert!(matches!(unwrap(""), Cow::Borrowed(_)));
    }
}
