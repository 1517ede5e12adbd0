//! Markdown inline syntax, scanned by hand: images, links, autolinks,
//! heading marks, emphasis runs and backslash escapes.
//!
//! Each scanner matches exactly what a regex used to (the regex is quoted on
//! each function, and `tests` runs both over the corpus and generated text):
//! the regexes were the strip stage's hot spot, mostly the capture groups,
//! which the regex crate runs on its backtracker. A markdown parser
//! (pulldown-cmark) would read CommonMark, not the canonical markdown the
//! normalizer writes, and would change what blocks say.

use std::borrow::Cow;

/// An image `![alt](src title)` in a block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Image<'a> {
    /// Byte range of the whole match.
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) alt: &'a str,
    pub(crate) src: &'a str,
}

/// The first image at or after byte `from`, as
/// `!\[([^\]\n]*)\]\(([^)\s]*)(?:\s+[^)]*)?\)?` finds it (leftmost first).
pub(crate) fn next_image(s: &str, mut from: usize) -> Option<Image<'_>> {
    let b = s.as_bytes();
    while let Some(off) = memchr::memmem::find(&b[from..], b"![") {
        let p = from + off;
        from = p + 1;
        let Some((q, src_start)) = bracket_then_paren(b, p + 2) else {
            continue;
        };
        // `[^)\s]*`: up to `)`, whitespace or the end.
        let src_end = src_start + target_len(&s[src_start..]);
        let end = match s[src_end..].chars().next() {
            None => src_end,
            Some(')') => src_end + 1,
            // `\s+[^)]*` takes everything up to the next `)`, which `\)?`
            // takes if there is one.
            Some(_) => memchr::memchr(b')', &b[src_end..]).map_or(s.len(), |i| src_end + i + 1),
        };
        return Some(Image {
            start: p,
            end,
            alt: &s[p + 2..q],
            src: &s[src_start..src_end],
        });
    }
    None
}

/// The length of the run of `s` before its first `)` or whitespace
/// character: URLs are ASCII, read a byte at a time.
fn target_len(s: &str) -> usize {
    for (i, &c) in s.as_bytes().iter().enumerate() {
        if c == b')' || c.is_ascii_whitespace() || c == 0x0B {
            return i;
        }
        if c >= 0x80 {
            return i + s[i..]
                .char_indices()
                .find(|&(_, c)| c == ')' || c.is_whitespace())
                .map_or(s.len() - i, |(k, _)| k);
        }
    }
    s.len()
}

/// From just after an opening `[`: the `]` ending `[^\]\n]*`, when `(`
/// follows it. Returns the `]`'s index and the index after the `(`.
fn bracket_then_paren(b: &[u8], from: usize) -> Option<(usize, usize)> {
    let q = from + memchr::memchr2(b']', b'\n', &b[from..])?;
    (b[q] == b']' && b.get(q + 1) == Some(&b'(')).then_some((q, q + 2))
}

/// All images of `s`, in order, as `captures_iter` of the image regex lists
/// them.
pub(crate) fn images(s: &str) -> impl Iterator<Item = Image<'_>> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let m = next_image(s, at)?;
        at = m.end;
        Some(m)
    })
}

/// `s` with each of its images (`found`, as [`images`] lists them) replaced
/// by `f(alt)`.
pub(crate) fn replace_images<'a>(
    s: &'a str,
    found: impl IntoIterator<Item = Image<'a>>,
    mut f: impl FnMut(&str) -> String,
) -> Cow<'a, str> {
    let mut out = String::new();
    let mut copied = 0;
    for m in found {
        out.push_str(&s[copied..m.start]);
        out.push_str(&f(m.alt));
        copied = m.end;
    }
    if copied == 0 {
        return Cow::Borrowed(s);
    }
    out.push_str(&s[copied..]);
    Cow::Owned(out)
}

/// The first link at or after byte `from`, as
/// `\[([^\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+[^)]*)?\)` finds it:
/// `(start, end, text)`.
fn next_link(s: &str, mut from: usize) -> Option<(usize, usize, &str)> {
    let b = s.as_bytes();
    while let Some(off) = memchr::memchr(b'[', &b[from..]) {
        let p = from + off;
        from = p + 1;
        let Some((q, href)) = bracket_then_paren(b, p + 1) else {
            continue;
        };
        if let Some(end) = link_target_end(s, href) {
            return Some((p, end, &s[p + 1..q]));
        }
    }
    None
}

/// From just after a link's `(`: one past its closing `)`, or `None` when
/// the regex finds no match here. The target is greedy and its only
/// choices are disjoint (a plain character, or a parenthesized run with no
/// parentheses or whitespace inside), so no backtracking can find another
/// match once the greedy path fails.
fn link_target_end(s: &str, mut i: usize) -> Option<usize> {
    let b = s.as_bytes();
    loop {
        let c = s[i..].chars().next()?;
        match c {
            ')' => return Some(i + 1),
            // `\s+[^)]*\)`: up to and including the next `)`.
            _ if c.is_whitespace() => {
                return memchr::memchr(b')', &b[i..]).map(|k| i + k + 1);
            }
            '(' => {
                let inner = s[i + 1..]
                    .char_indices()
                    .find(|&(_, c)| c == '(' || c == ')' || c.is_whitespace())
                    .map(|(k, c)| (i + 1 + k, c))?;
                if inner.1 != ')' {
                    return None;
                }
                i = inner.0 + 1;
            }
            _ => i += c.len_utf8(),
        }
    }
}

/// `s` with each link replaced by its text.
pub(crate) fn replace_links(s: &str) -> Cow<'_, str> {
    let mut out = String::new();
    let mut copied = 0;
    let mut at = 0;
    while let Some((start, end, text)) = next_link(s, at) {
        out.push_str(&s[copied..start]);
        out.push_str(text);
        copied = end;
        at = end;
    }
    if copied == 0 {
        return Cow::Borrowed(s);
    }
    out.push_str(&s[copied..]);
    Cow::Owned(out)
}

/// `s` with each `<https://…>` replaced by its URL, as
/// `<(https?://[^>\s]+)>` → `$1`.
pub(crate) fn replace_autolinks(s: &str) -> Cow<'_, str> {
    let b = s.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut at = 0;
    while let Some(off) = memchr::memchr(b'<', &b[at..]) {
        let p = at + off;
        at = p + 1;
        let rest = &s[p + 1..];
        let scheme = if rest.starts_with("https://") {
            8
        } else if rest.starts_with("http://") {
            7
        } else {
            continue;
        };
        let body = p + 1 + scheme;
        let Some((k, c)) = s[body..]
            .char_indices()
            .find(|&(_, c)| c == '>' || c.is_whitespace())
        else {
            continue;
        };
        if c != '>' || k == 0 {
            continue;
        }
        out.push_str(&s[copied..p]);
        out.push_str(&s[p + 1..body + k]);
        copied = body + k + 1;
        at = copied;
    }
    if copied == 0 {
        return Cow::Borrowed(s);
    }
    out.push_str(&s[copied..]);
    Cow::Owned(out)
}

/// The length of a heading mark at the start of `t`, as `^#{1,6}(?:\s+|$)`
/// matches it: one to six `#`, then the end or whitespace (all of it).
pub(crate) fn heading_mark(t: &str) -> Option<usize> {
    let hashes = t.bytes().take_while(|&c| c == b'#').count();
    if hashes == 0 || hashes > 6 {
        return None;
    }
    let rest = &t[hashes..];
    if rest.is_empty() {
        return Some(hashes);
    }
    let ws = rest
        .char_indices()
        .find(|&(_, c)| !c.is_whitespace())
        .map_or(rest.len(), |(i, _)| i);
    (ws > 0).then_some(hashes + ws)
}

/// Emphasis markers removed, as
/// `\*{1,3}|(?:^|\s)_{1,3}|_{1,3}(?:\s|$)|~~` replaced by the whitespace
/// that delimited an underscore run.
pub(crate) fn remove_emphasis(s: &str) -> Cow<'_, str> {
    let b = s.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    // Where the search for the next match goes on from.
    let mut at = 0;
    // A match starts at a marker byte, or at the whitespace right before an
    // underscore: jump from marker to marker.
    while let Some(off) = memchr::memchr3(b'*', b'_', b'~', &b[at..]) {
        let p = at + off;
        let before_ws = (b[p] == b'_')
            .then(|| s[..p].chars().next_back())
            .flatten()
            .filter(|c| c.is_whitespace())
            .map(|c| p - c.len_utf8())
            .filter(|&q| q >= at);
        let start = before_ws.unwrap_or(p);
        match emphasis_at(s, start) {
            Some((len, replacement)) => {
                out.push_str(&s[copied..start]);
                out.push_str(replacement);
                at = start + len;
                copied = at;
            }
            None => at = p + 1,
        }
    }
    if copied == 0 {
        return Cow::Borrowed(s);
    }
    out.push_str(&s[copied..]);
    Cow::Owned(out)
}

/// The emphasis match starting at byte `i`, trying the regex's alternatives
/// in order: its length and replacement.
fn emphasis_at(s: &str, i: usize) -> Option<(usize, &'static str)> {
    let b = s.as_bytes();
    let run = |at: usize, c: u8| b[at..].iter().take_while(|&&x| x == c).count();
    match b[i] {
        // `\*{1,3}`
        b'*' => return Some((run(i, b'*').min(3), "")),
        // `~~`
        b'~' if b.get(i + 1) == Some(&b'~') => return Some((2, "")),
        _ => {}
    }
    // `(?:^|\s)_{1,3}`: at the start, or a whitespace character then `_`.
    // The whitespace may already have gone with the previous closing run
    // (`_a_ _b_`): a `_` right after whitespace still opens.
    let after_space = i > 0 && s[..i].chars().next_back().is_some_and(char::is_whitespace);
    if b[i] == b'_' && (i == 0 || after_space) {
        return Some((run(i, b'_').min(3), ""));
    }
    let c = s[i..].chars().next()?;
    if c.is_whitespace() && b.get(i + c.len_utf8()) == Some(&b'_') {
        let at = i + c.len_utf8();
        // The match starts with whitespace: replaced by one space.
        return Some((c.len_utf8() + run(at, b'_').min(3), " "));
    }
    // `_{1,3}(?:\s|$)`: a run of at most three, then whitespace or the end.
    if b[i] == b'_' {
        let n = run(i, b'_');
        if n <= 3 {
            return match s[i + n..].chars().next() {
                None => Some((n, "")),
                Some(w) if w.is_whitespace() => Some((n + w.len_utf8(), " ")),
                Some(_) => None,
            };
        }
    }
    None
}

/// The code span that opens at `i` (a run of backticks): `Ok(end)` past its
/// closing run of exactly as many backticks, or `Err(after)` past the
/// opening run when nothing closes it (then the backticks are text).
pub(crate) fn code_span(b: &[u8], i: usize) -> Result<usize, usize> {
    let n = b[i..].iter().take_while(|&&c| c == b'`').count();
    let mut j = i + n;
    while let Some(off) = memchr::memchr(b'`', &b[j..]) {
        let at = j + off;
        let m = b[at..].iter().take_while(|&&c| c == b'`').count();
        if m == n {
            return Ok(at + m);
        }
        j = at + m;
    }
    Err(i + n)
}

/// Where the backslash escapes of `s` are, outside code spans (whose text is
/// literal, as CommonMark reads it): the position of each backslash that
/// escapes the byte after it (``\\([\\`*_{}\[\]()#+\-.!|<>~])``).
pub(crate) fn escapes(s: &str) -> impl Iterator<Item = usize> + '_ {
    let b = s.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while let Some(off) = memchr::memchr2(b'\\', b'`', &b[at..]) {
            let p = at + off;
            if b[p] == b'`' {
                at = code_span(b, p).unwrap_or_else(|after| after);
                continue;
            }
            match b.get(p + 1) {
                Some(c) if b"\\`*_{}[]()#+-.!|<>~".contains(c) => {
                    at = p + 2;
                    return Some(p);
                }
                _ => at = p + 1,
            }
        }
        None
    })
}

/// Backslash escapes undone, as ``\\([\\`*_{}\[\]()#+\-.!|<>~])`` → `$1`,
/// except inside code spans (`` `\` `` stays a backslash): see [`escapes`].
pub(crate) fn unescape(s: &str) -> Cow<'_, str> {
    let mut out = String::new();
    let mut copied = 0;
    for p in escapes(s) {
        out.push_str(&s[copied..p]);
        copied = p + 1;
    }
    if copied == 0 {
        return Cow::Borrowed(s);
    }
    out.push_str(&s[copied..]);
    Cow::Owned(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;
    use regex::Regex;

    /// The regexes the scanners replace: the reference they are tested
    /// against.
    pub(crate) struct Reference {
        image: Regex,
        link: Regex,
        autolink: Regex,
        heading: Regex,
        emphasis: Regex,
        escape: Regex,
    }

    impl Reference {
        pub(crate) fn new() -> Reference {
            Reference {
                image: Regex::new(r"!\[([^\]\n]*)\]\(([^)\s]*)(?:\s+[^)]*)?\)?").unwrap(),
                link: Regex::new(r"\[([^\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+[^)]*)?\)")
                    .unwrap(),
                autolink: Regex::new(r"<(https?://[^>\s]+)>").unwrap(),
                heading: Regex::new(r"^#{1,6}(?:\s+|$)").unwrap(),
                emphasis: Regex::new(r"\*{1,3}|(?:^|\s)_{1,3}|_{1,3}\s_{1,3}|_{1,3}(?:\s|$)|~~")
                    .unwrap(),
                escape: Regex::new(r"\\([\\`*_{}\[\]()#+\-.!|<>~])").unwrap(),
            }
        }

        fn emphasis(&self, s: &str) -> String {
            // Every match with whitespace in it (`_ `, ` _`, `_ _`) leaves
            // one space; the others leave nothing.
            self.emphasis
                .replace_all(s, |c: &regex::Captures<'_>| {
                    if c[0].contains(char::is_whitespace) {
                        " "
                    } else {
                        ""
                    }
                })
                .into_owned()
        }

        /// Asserts every scanner agrees with its regex on `s`.
        pub(crate) fn check(&self, s: &str) {
            let want: Vec<(usize, usize, &str, &str)> = self
                .image
                .captures_iter(s)
                .map(|c| {
                    let m = c.get(0).unwrap();
                    (
                        m.start(),
                        m.end(),
                        c.get(1).unwrap().as_str(),
                        c.get(2).unwrap().as_str(),
                    )
                })
                .collect();
            let got: Vec<(usize, usize, &str, &str)> =
                images(s).map(|m| (m.start, m.end, m.alt, m.src)).collect();
            assert_eq!(got, want, "images of {s:?}");
            assert_eq!(
                replace_links(s),
                self.link.replace_all(s, "$1"),
                "links of {s:?}"
            );
            assert_eq!(
                replace_autolinks(s),
                self.autolink.replace_all(s, "$1"),
                "autolinks of {s:?}"
            );
            assert_eq!(
                heading_mark(s),
                self.heading.find(s).map(|m| m.end()),
                "heading of {s:?}"
            );
            assert_eq!(remove_emphasis(s), self.emphasis(s), "emphasis of {s:?}");
            // The reference knows no code spans: compared where there are none.
            if !s.contains('`') {
                assert_eq!(
                    unescape(s),
                    self.escape.replace_all(s, "$1"),
                    "escapes of {s:?}"
                );
            }
        }
    }

    #[test]
    fn scanners_match_their_regexes_on_edge_cases() {
        let r = Reference::new();
        for s in [
            "",
            "![](x)",
            "![a](b \"t\")",
            "![a](b c",
            "![a](b\u{3000}c)d",
            "![a\n](b)",
            "![a] (b)",
            "![a![b](c)",
            "![a](b)(c)",
            "![](",
            "![x](y)![z](w)",
            "[a](b)",
            "[a](b(c)d)",
            "[a](b(c d)e)",
            "[a](b(c)",
            "[a](b c\nd) e",
            "[a](b c",
            "[a [b](c)",
            "[a]\n(b)",
            "[a](<b>)",
            "[](x)",
            "[a](b)(c)[d](e)",
            "<https://a.b/c>",
            "<http://a b>",
            "<https://>",
            "<https://a>b>",
            "<<https://x>",
            "#",
            "# a",
            "######",
            "####### a",
            "#a",
            "##\u{3000}标题",
            "# \t x",
            "*a*",
            "****",
            "_a_",
            " _a_ ",
            "a_b_c",
            "__init__",
            "a ___ b",
            "a ____ b",
            "x__ y",
            "~~a~~~",
            "\u{3000}_x",
            "_",
            "a_",
            "a_\u{3000}",
            "\\*a\\_b\\\\c\\d\\",
            "\\",
            "\\\\\\*",
        ] {
            r.check(s);
        }
    }

    fn inline_soup() -> impl Strategy<Value = String> {
        let atoms = prop::sample::select(vec![
            "!", "[", "]", "(", ")", "<", ">", "http://", "https://", "#", "*", "_", "~", "\\",
            " ", "\n", "\t", "\u{3000}", "\u{a0}", "a", "b", "中", "文", "\"", "x.png", "-",
        ]);
        prop::collection::vec(atoms, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]
        #[test]
        fn scanners_match_their_regexes(s in inline_soup()) {
            Reference::new().check(&s);
        }
    }

    #[test]
    fn whitespace_is_the_regex_crates_whitespace() {
        let ws = Regex::new(r"^\s$").unwrap();
        for c in (0..=0x0010_FFFF_u32).filter_map(char::from_u32) {
            assert_eq!(
                c.is_whitespace(),
                ws.is_match(c.encode_utf8(&mut [0; 4])),
                "{c:?}"
            );
        }
    }
}
