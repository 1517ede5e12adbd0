//! Unicode and whitespace normalization of a body made of blocks (POLICY.md,
//! "Text normalization").

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
    let nfc: std::borrow::Cow<'_, str> = if is_nfc_quick(line.chars()) == IsNormalized::Yes {
        std::borrow::Cow::Borrowed(line)
    } else {
        std::borrow::Cow::Owned(line.nfc().collect())
    };
    let mut out = String::with_capacity(nfc.len());
    let mut leading = true;
    for c in nfc.chars() {
        if is_zero_width(c) || (c.is_control() && c != '\t') {
            continue;
        }
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
        let is_fence = raw.trim_start().starts_with("```");
        if in_fence {
            let line = normalize_line(raw, true);
            out.push_str(&line);
            out.push('\n');
            if is_fence {
                in_fence = false;
            }
            continue;
        }
        let line = normalize_line(raw, false);
        if line.trim().is_empty() {
            pending_blank = !out.is_empty();
            continue;
        }
        if pending_blank {
            out.push('\n');
            pending_blank = false;
        }
        let line = if line.starts_with(' ') && !looks_like_list_continuation(&line) {
            line.trim_start().to_owned()
        } else {
            line
        };
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

fn looks_like_list_continuation(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("* ") || t.starts_with("- ") || t.starts_with("+ ")
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

    #[test]
    fn fields_collapse_whitespace() {
        assert_eq!(
            normalize_field("  中国\u{3000}信息  安全 ").as_deref(),
            Some("中国 信息 安全")
        );
        assert_eq!(normalize_field(" \u{200B} "), None);
    }
}
