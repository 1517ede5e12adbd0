//! Unicode and whitespace normalization of a body made of blocks (POLICY.md,
//! "Text normalization").

use std::borrow::Cow;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Zero-width characters that carry nothing for analysis.
fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// No-break and ideographic spaces, which become ordinary spaces between words.
fn is_wide_space(c: char) -> bool {
    matches!(
        c,
        '\u{00A0}' | '\u{3000}' | '\u{2002}'..='\u{200A}' | '\u{202F}'
    )
}

/// A character normalization leaves as it is: printable ASCII and tab, CJK
/// ideographs, the CJK and full-width punctuation Chinese text is made of,
/// general punctuation and symbols (`●`, `◇`, `℃`: a line holding one took
/// the slow path), Latin, Greek and Cyrillic letters, and emoji. Each is NFC-stable on its own (quick check "yes") with combining class
/// 0, so a line of them is in NFC; none is zero-width, a control or a wide
/// space (proven for every such character in the tests). [`plain_or_wide`]
/// reads the same class from UTF-8 bytes; this is its definition.
#[cfg(test)]
fn is_plain(c: char) -> bool {
    matches!(c,
        ' '..='~'
        | '\t'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{3001}'..='\u{3011}'
        | '\u{FF01}'..='\u{FF5E}'
        | '\u{1F000}'..='\u{1FAFF}')
        || is_plain_two_byte(u32::from(c))
        || is_plain_symbol(u32::from(c))
}

/// The plain characters of two bytes in UTF-8 (U+0080..U+07FF): Latin-1's
/// letters and signs, the Latin extensions and IPA, Greek and Cyrillic
/// (a line of French, German or Russian took the slow path for every
/// accented letter). Left out are the C1 controls, the no-break space
/// (wide), the combining marks (U+0300..U+036F, U+0483..U+0489), the
/// characters NFC replaces (U+0374, U+037E, U+0387) and what follows
/// Cyrillic.
fn is_plain_two_byte(c: u32) -> bool {
    matches!(c,
        0x00A1..=0x02FF
        | 0x0370..=0x0373
        | 0x0375..=0x037D
        | 0x037F..=0x0386
        | 0x0388..=0x0482
        | 0x048A..=0x052F)
}

/// The plain characters of U+2000..U+2FFF (general punctuation, symbols,
/// arrows, shapes, CJK radicals), by code point: what [`plain_or_wide`]
/// asks of a character with the lead byte E2. Left out are the spaces, the
/// zero-width and format characters, U+2000/U+2001, U+2126, U+212A,
/// U+212B, U+2329, U+232A and U+2ADC (which NFC replaces), and the
/// combining marks.
fn is_plain_symbol(c: u32) -> bool {
    matches!(c,
        0x2010..=0x2027
        | 0x2030..=0x205E
        | 0x2070..=0x20CF
        | 0x2100..=0x2125
        | 0x2127..=0x2129
        | 0x212C..=0x2328
        | 0x232B..=0x2ADB
        | 0x2ADD..=0x2BFF
        | 0x2E80..=0x2FFF)
}

/// `Some(has_wide_space)` when every character of `line` is plain (printable
/// ASCII and tab, CJK ideographs, common CJK and full-width punctuation; see
/// `is_plain` in the tests) or a wide space, read from the UTF-8 bytes: decoding every
/// character of every line cost more than the rest of normalization.
fn plain_or_wide(line: &str) -> Option<bool> {
    let b = line.as_bytes();
    let mut wide = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        // A `&str` is valid UTF-8: the lead byte gives the length, and the
        // continuation bytes need no checking.
        let (plain, is_wide, len) = match c {
            b' '..=b'~' | b'\t' => (true, false, 1),
            0x00..=0x7F => (false, false, 1),
            // U+00A0 no-break space (wide); Latin, Greek, Cyrillic
            // (plain, `is_plain_two_byte`).
            0xC0..=0xDF => {
                let cp = (u32::from(c & 0x1F) << 6) | u32::from(b[i + 1] & 0x3F);
                (is_plain_two_byte(cp), cp == 0xA0, 2)
            }
            // U+4E00..U+9FFF: E4 B8 80 ..= E9 BF BF.
            0xE4 => (b[i + 1] >= 0xB8, false, 3),
            0xE5..=0xE9 => (true, false, 3),
            // U+2002..U+200A, U+202F (wide); punctuation and symbols
            // (plain, `is_plain_symbol`).
            0xE2 => {
                let cp = 0x2000 | (u32::from(b[i + 1] & 0x3F) << 6) | u32::from(b[i + 2] & 0x3F);
                (
                    is_plain_symbol(cp),
                    matches!(cp, 0x2002..=0x200A | 0x202F),
                    3,
                )
            }
            // U+1F000..U+1FAFF (emoji and other pictographs): F0 9F 80 80 ..=
            // F0 9F AB BF.
            0xF0 => (b[i + 1] == 0x9F && b[i + 2] <= 0xAB, false, 4),
            // U+3000 (wide), U+3001..U+3011 (plain).
            0xE3 if b[i + 1] == 0x80 => (matches!(b[i + 2], 0x81..=0x91), b[i + 2] == 0x80, 3),
            // U+FF01..U+FF5E: EF BC 81 ..= EF BD 9E.
            0xEF => (
                (b[i + 1] == 0xBC && b[i + 2] >= 0x81) || (b[i + 1] == 0xBD && b[i + 2] <= 0x9E),
                false,
                3,
            ),
            0xE0..=0xEF => (false, false, 3),
            _ => (false, false, 4),
        };
        if !(plain || is_wide) {
            return None;
        }
        wide |= is_wide;
        i += len;
    }
    Some(wide)
}

/// Normalizes one line: NFC, zero-width characters out, no-break and ideographic
/// spaces to plain spaces (dropped when leading), tabs kept, control characters
/// out, trailing whitespace out.
pub(crate) fn normalize_line(line: &str, keep_indent: bool) -> String {
    let mut out = String::with_capacity(line.len());
    normalize_line_into(line, keep_indent, &mut out);
    out
}

/// [`normalize_line`], appended to `out`.
fn normalize_line_into(line: &str, keep_indent: bool, out: &mut String) {
    // Most lines are plain characters, maybe with wide spaces: NFC and the
    // characters that go out cannot apply to them.
    if let Some(wide) = plain_or_wide(line) {
        if wide {
            spaces(line, keep_indent, out);
        } else {
            out.push_str(line.trim_end());
        }
        return;
    }
    // Characters that go out go out before composing: a zero-width or control
    // character between a letter and its combining mark would otherwise keep
    // them apart through NFC and leave them uncomposed after it is gone, for
    // the next pass to compose (not idempotent).
    let dropped = |c: char| is_zero_width(c) || (c.is_control() && c != '\t');
    let kept: Cow<'_, str> = if line.chars().any(dropped) {
        Cow::Owned(line.chars().filter(|&c| !dropped(c)).collect())
    } else {
        Cow::Borrowed(line)
    };
    let nfc: Cow<'_, str> = if is_nfc_quick(kept.chars()) == IsNormalized::Yes {
        kept
    } else {
        Cow::Owned(kept.nfc().collect())
    };
    spaces(&nfc, keep_indent, out);
}

/// Appends `line` with its wide spaces made plain (dropped when leading,
/// unless `keep_indent`) and its trailing whitespace out.
fn spaces(line: &str, keep_indent: bool, out: &mut String) {
    let start = out.len();
    let mut leading = true;
    let mut copied = 0;
    for (i, c) in line.char_indices() {
        if is_wide_space(c) {
            out.push_str(&line[copied..i]);
            if !leading || keep_indent {
                out.push(' ');
            }
            copied = i + c.len_utf8();
            continue;
        }
        // Leading ASCII spaces are markdown indentation, kept as they are;
        // they do not end the leading run of wide spaces to drop.
        if !(leading && c == ' ') {
            leading = false;
        }
    }
    out.push_str(&line[copied..]);
    let end = start + out[start..].trim_end().len();
    out.truncate(end);
}

/// Normalizes a whole body: every line normalized, lines that are empty after
/// normalization treated as block separators, blocks separated by exactly one
/// blank line. Fenced code (```) is kept verbatim, blank lines included.
///
/// A markdown hard break (a line ending in two spaces) ends its block:
/// converters such as html2text write WeChat's paragraph breaks (`<br>`
/// between paragraphs) that way, and the trailing spaces that tell it are
/// about to be trimmed away. Quotes and table rows stay whole (a quoted
/// header of `> **公众号**: X` lines is one block).
#[must_use]
pub fn normalize_body(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_fence = false;
    let mut pending_blank = false;
    let mut line = String::new();
    for raw in scour_record::lines(text) {
        line.clear();
        if in_fence {
            normalize_line_into(raw, true, &mut line);
            // A fence is told from the normalized line, as the next pass sees
            // it: `\u{200B}```` is a fence once the zero-width space is gone.
            let is_fence = line.trim_start().starts_with("```");
            out.push_str(&line);
            out.push('\n');
            if is_fence {
                in_fence = false;
            }
            continue;
        }
        normalize_line_into(raw, false, &mut line);
        let is_fence = line.trim_start().starts_with("```");
        if line.trim().is_empty() {
            pending_blank = !out.is_empty();
            continue;
        }
        if pending_blank {
            out.push('\n');
            pending_blank = false;
        }
        // Leading ASCII spaces are kept: in markdown they nest lists and
        // mark code, and plain text keeps its indentation.
        out.push_str(&line);
        out.push('\n');
        if is_fence {
            in_fence = true;
        } else if raw.ends_with("  ") && !line.trim_start().starts_with(['|', '>']) {
            pending_blank = true;
        }
    }
    let end = out.trim_end().len();
    out.truncate(end);
    out
}

/// Normalizes a metadata value: NFC, zero-width out, whitespace runs to one space,
/// trimmed. `None` when nothing is left.
#[must_use]
pub fn normalize_field(value: &str) -> Option<String> {
    let line = normalize_line(value, false);
    let collapsed = line.split_whitespace().collect::<Vec<_>>().join(" ");
    (!collapsed.is_empty()).then_some(collapsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_width_and_wide_spaces() {
        assert_eq!(
            normalize_line("\u{3000}\u{3000}正文\u{200B}开始\u{00A0}了 ", false),
            "正文开始 了"
        );
    }

    /// The space handling as first written, a character at a time: the
    /// reference [`spaces`] is held to.
    fn spaces_reference(line: &str, keep_indent: bool) -> String {
        let mut out = String::new();
        let mut leading = true;
        for c in line.chars() {
            if is_wide_space(c) {
                if leading && !keep_indent {
                    continue;
                }
                out.push(' ');
                continue;
            }
            if leading && c == ' ' && !keep_indent {
                out.push(c);
                continue;
            }
            leading = false;
            out.push(c);
        }
        out.truncate(out.trim_end().len());
        out
    }

    #[test]
    fn byte_scan_reads_characters_as_the_char_tests_do() {
        for c in (0..=0x0010_FFFF_u32).filter_map(char::from_u32) {
            let s = c.to_string();
            let want = (is_plain(c) || is_wide_space(c)).then(|| is_wide_space(c));
            assert_eq!(plain_or_wide(&s), want, "{c:?}");
        }
        assert_eq!(plain_or_wide("正文\u{3000}，ok"), Some(true));
        assert_eq!(plain_or_wide("正文e\u{301}"), None);
    }

    #[test]
    fn plain_characters_need_no_normalizing() {
        use unicode_normalization::char::canonical_combining_class;
        for c in (0..=0x0010_FFFF_u32).filter_map(char::from_u32) {
            if is_plain(c) || is_wide_space(c) {
                assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?}");
                assert_eq!(canonical_combining_class(c), 0, "{c:?}");
                assert!(!(is_zero_width(c) || c.is_control() && c != '\t'), "{c:?}");
            }
            if is_plain(c) {
                assert!(!is_wide_space(c), "{c:?}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn fast_path_is_the_full_one(
            chars in proptest::collection::vec(
                proptest::sample::select(vec![
                    'a', ' ', '\t', '中', '，', '。', '\u{3000}', '\u{a0}', '\u{200b}',
                    '\u{0301}', 'e', '\u{7}', '\u{ff01}', '“', '…', '\u{302a}', '가',
                ]),
                0..24,
            ),
            keep in proptest::bool::ANY,
        ) {
            let line: String = chars.into_iter().collect();
            let dropped = |c: char| is_zero_width(c) || (c.is_control() && c != '\t');
            let kept: String = line.chars().filter(|&c| !dropped(c)).collect();
            let full = spaces_reference(&kept.nfc().collect::<String>(), keep);
            proptest::prop_assert_eq!(normalize_line(&line, keep), full);
        }
    }

    #[test]
    fn nfc_applied() {
        assert_eq!(normalize_line("e\u{0301}", false), "\u{e9}");
    }

    #[test]
    fn blocks_one_blank_line_apart() {
        assert_eq!(
            normalize_body("\n\n一\n\n\n\n二\n  \n\u{3000}\n三\n\n"),
            "一\n\n二\n\n三"
        );
    }

    #[test]
    fn hard_breaks_end_blocks_but_not_quotes_or_tables() {
        // html2text writes WeChat's paragraph breaks as hard breaks.
        assert_eq!(
            normalize_body("第一段。  \n第二段\n接着第二段。  \n\n第三段。"),
            "第一段。\n\n第二段\n接着第二段。\n\n第三段。"
        );
        // Nothing else changes: a soft break, one trailing space, a quote, a table.
        for body in [
            "一行\n二行",
            "一行 \n二行",
            "> **公众号**: X  \n> **发布时间**: 2025-04-18",
            "| a | b |  \n| c | d |",
        ] {
            let want: String = body
                .lines()
                .map(str::trim_end)
                .collect::<Vec<_>>()
                .join("\n");
            assert_eq!(normalize_body(body), want, "{body:?}");
        }
        // Once is enough: the output has no trailing spaces left.
        let once = normalize_body("甲  \n乙");
        assert_eq!(normalize_body(&once), once);
    }

    #[test]
    fn code_fence_kept_verbatim() {
        let body = "前\n\n```\nint main() {\n\n    return 0;\n}\n```\n\n后";
        assert_eq!(normalize_body(body), body);
    }

    /// Idempotence, as the `front_matter` fuzz target and the proptest below
    /// assert it: a zero-width space between a letter and its combining mark
    /// kept them uncomposed until a second pass.
    #[test]
    fn regression_fuzz_front_matter_zero_width_inside_combining_sequence() {
        let once = normalize_body("e\u{200B}\u{0301}");
        assert_eq!(once, "\u{e9}");
        assert_eq!(normalize_body(&once), once);
    }

    /// A fence hidden behind a zero-width space is a fence once it is gone:
    /// the first pass must see it too, or the second pass treats the code
    /// differently.
    #[test]
    fn regression_fuzz_front_matter_fence_behind_zero_width() {
        let body = "\u{200B}```\n  code\n\n\n  more\n```";
        let once = normalize_body(body);
        assert_eq!(once, "```\n  code\n\n\n  more\n```");
        assert_eq!(normalize_body(&once), once);
    }

    #[test]
    fn fields_collapse_whitespace() {
        assert_eq!(
            normalize_field("  中国\u{3000}信息  安全 ").as_deref(),
            Some("中国 信息 安全")
        );
        assert_eq!(normalize_field(" \u{200B} "), None);
    }

    mod props {
        use proptest::prelude::*;

        use super::super::{normalize_body, normalize_field};

        /// Pieces a scraped WeChat body is made of, and the characters that
        /// normalization touches: CJK, NBSP, U+3000, zero-width characters,
        /// combining marks, controls, tabs, CR, blank lines, list markers,
        /// indentation and code fences.
        fn piece() -> impl Strategy<Value = String> {
            prop_oneof![
                Just("正文".to_owned()),
                Just("，".to_owned()),
                Just("。".to_owned()),
                Just("Ａ".to_owned()),
                Just("e".to_owned()),
                Just("\u{0301}".to_owned()),
                Just("\u{0308}".to_owned()),
                Just("\u{1100}\u{1161}".to_owned()),
                Just("\u{00A0}".to_owned()),
                Just("\u{3000}".to_owned()),
                Just("\u{2003}".to_owned()),
                Just("\u{202F}".to_owned()),
                Just("\u{200B}".to_owned()),
                Just("\u{200D}".to_owned()),
                Just("\u{2060}".to_owned()),
                Just("\u{FEFF}".to_owned()),
                Just("\u{2028}".to_owned()),
                Just("\u{0085}".to_owned()),
                Just("\u{0007}".to_owned()),
                Just(" ".to_owned()),
                Just("  ".to_owned()),
                Just("\t".to_owned()),
                Just("\r".to_owned()),
                Just("\n".to_owned()),
                Just("\n\n".to_owned()),
                Just("\r\n".to_owned()),
                Just("- ".to_owned()),
                Just("* ".to_owned()),
                Just("```".to_owned()),
                Just("```rust\n".to_owned()),
                Just("\n```\n".to_owned()),
                Just("![图](https://mmbiz.qpic.cn/a.png)".to_owned()),
                "\\PC{0,3}",
                any::<char>().prop_map(String::from),
            ]
        }

        fn body() -> impl Strategy<Value = String> {
            prop::collection::vec(piece(), 0..40).prop_map(|v| v.concat())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(500))]

            /// Clean output cleans to itself.
            #[test]
            fn normalize_body_is_idempotent(text in body()) {
                let once = normalize_body(&text);
                prop_assert_eq!(normalize_body(&once), once);
            }

            /// The body contract: no trailing whitespace, no two blank lines
            /// in a row outside fenced code, no leading blank line.
            #[test]
            fn normalize_body_keeps_the_contract(text in body()) {
                let once = normalize_body(&text);
                prop_assert_eq!(once.trim_end(), once.as_str());
                prop_assert!(!once.starts_with('\n'));
                if !once.contains("```") {
                    prop_assert!(!once.contains("\n\n\n"), "{:?}", once);
                }
            }

            #[test]
            fn normalize_field_is_idempotent(text in body()) {
                if let Some(once) = normalize_field(&text) {
                    prop_assert_eq!(normalize_field(&once), Some(once.clone()));
                }
            }
        }
    }
}
