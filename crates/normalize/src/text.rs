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

/// Normalizes one line: NFC, zero-width characters out, no-break and ideographic
/// spaces to plain spaces (dropped when leading), tabs kept, control characters
/// out, trailing whitespace out.
pub(crate) fn normalize_line(line: &str, keep_indent: bool) -> String {
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
    let mut out = String::with_capacity(nfc.len());
    let mut leading = true;
    for c in nfc.chars() {
        if is_wide_space(c) {
            if leading && !keep_indent {
                continue;
            }
            out.push(' ');
            continue;
        }
        if leading && c == ' ' && !keep_indent {
            // Leading ASCII spaces are markdown indentation; keep them only for
            // code, where `keep_indent` is set. Markdown list nesting is kept by
            // the caller, which passes `keep_indent` for list continuation.
            out.push(c);
            continue;
        }
        leading = false;
        out.push(c);
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out
}

/// Normalizes a whole body: every line normalized, lines that are empty after
/// normalization treated as block separators, blocks separated by exactly one
/// blank line. Fenced code (```) is kept verbatim, blank lines included.
#[must_use]
pub fn normalize_body(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_fence = false;
    let mut pending_blank = false;
    for raw in text.lines() {
        if in_fence {
            let line = normalize_line(raw, true);
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
        let line = normalize_line(raw, false);
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
