//! A readable account of what was removed from a document, and why.

use std::fmt::Write;

use scour_record::Doc;

/// A per-document report of the removals: one line per removed block, `-` and
/// the rule, then the block's first line. With `color`, removed text is red and
/// rule names dim (ANSI), for a terminal.
#[must_use]
pub fn explain(doc: &Doc, color: bool) -> String {
    let (red, dim, bold, reset) = if color {
        ("\x1b[31m", "\x1b[2m", "\x1b[1m", "\x1b[0m")
    } else {
        ("", "", "", "")
    };
    let mut out = String::new();
    let name = doc.title.as_deref().unwrap_or(&doc.origin.path);
    let _ = writeln!(out, "{bold}== {} ({}){reset}", name, doc.origin.path);
    if let Some(r) = &doc.reject_reason {
        let _ = writeln!(out, "   rejected: {r}");
    }
    for r in &doc.removed {
        let first: String = r
            .text
            .lines()
            .next()
            .unwrap_or("")
            .chars()
            .take(70)
            .collect();
        let more = if r.text.lines().nth(1).is_some() {
            " …"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{red}-  {first}{more}{reset}  {dim}[{} {}]{reset}",
            r.family, r.rule
        );
    }
    let fields = [
        ("author", doc.author.as_deref()),
        ("source", doc.source.as_deref()),
        ("reprinted_from", doc.reprinted_from.as_deref()),
    ];
    for (k, v) in fields {
        if let Some(v) = v {
            let _ = writeln!(out, "   {k}: {v}");
        }
    }
    if !doc.credits.is_empty() {
        let _ = writeln!(out, "   credits: {}", doc.credits.join(" · "));
    }
    let kept = doc.text.split("\n\n").filter(|b| !b.is_empty()).count();
    let _ = writeln!(
        out,
        "   kept {kept} blocks, {} chars; removed {}",
        doc.text.chars().count(),
        doc.removed.len()
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use scour_record::{Family, Removal};

    #[test]
    fn lists_each_removal_with_rule() {
        let doc = Doc {
            text: "正文".into(),
            removed: vec![Removal {
                family: Family::Chrome,
                rule: "wechat/ui-label".into(),
                text: "微信扫一扫\n关注该公众号".into(),
            }],
            ..Doc::default()
        };
        let s = explain(&doc, false);
        assert!(
            s.contains("-  微信扫一扫 …  [chrome wechat/ui-label]"),
            "{s}"
        );
        assert!(!s.contains('\x1b'));
        assert!(explain(&doc, true).contains("\x1b[31m"));
    }
}
