//! Which container format a file holds, judged by its first bytes (then its
//! name), and whether it is text at all.

/// The container formats scour reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    Markdown,
    Text,
    Html,
    Json,
    Jsonl,
    Feed,
    Warc,
}

impl Format {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Text => "text",
            Format::Html => "html",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Feed => "rss",
            Format::Warc => "warc",
        }
    }
}

/// The first line of `data` that is not blank.
pub(crate) fn first_line(data: &[u8]) -> &[u8] {
    data.split(|b| *b == b'\n')
        .find(|l| !l.trim_ascii().is_empty())
        .unwrap_or(data)
}

pub(crate) fn strip_compression_ext(path: &str) -> String {
    let lower = path.to_ascii_lowercase();
    for ext in [".gz", ".zst", ".zstd", ".gzip"] {
        if let Some(p) = lower.strip_suffix(ext) {
            return p.to_owned();
        }
    }
    lower
}

/// Decides the format from the content first, the extension second.
pub(crate) fn sniff_format(data: &[u8], lower_path: &str) -> Format {
    let head = &data[..data.len().min(2048)];
    let skip_bom = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(head);
    let trimmed = trim_start_ascii(skip_bom);
    let lower: Vec<u8> = trimmed
        .iter()
        .take(1024)
        .map(u8::to_ascii_lowercase)
        .collect();
    if trimmed.starts_with(b"WARC/") {
        return Format::Warc;
    }
    if trimmed.starts_with(b"---") {
        return Format::Markdown;
    }
    if trimmed.starts_with(b"{") || trimmed.starts_with(b"[") {
        let ext_jsonl = lower_path.ends_with(".jsonl") || lower_path.ends_with(".ndjson");
        return if ext_jsonl || is_jsonl(data) {
            Format::Jsonl
        } else {
            Format::Json
        };
    }
    if trimmed.starts_with(b"<") {
        let has = |needle: &[u8]| memchr::memmem::find(&lower, needle).is_some();
        if has(b"<rss") || has(b"<feed") || has(b"<rdf:rdf") {
            return Format::Feed;
        }
        if has(b"<html")
            || has(b"<!doctype html")
            || has(b"<head")
            || has(b"<body")
            || has(b"<div")
            || has(b"<meta")
            || has(b"<p")
        {
            return Format::Html;
        }
    }
    let ext = lower_path.rsplit('.').next().unwrap_or("");
    match ext {
        "html" | "htm" | "xhtml" | "mhtml" => Format::Html,
        "json" => Format::Json,
        "jsonl" | "ndjson" => Format::Jsonl,
        "xml" | "rss" | "atom" => Format::Feed,
        "warc" => Format::Warc,
        "txt" | "text" => Format::Text,
        _ => Format::Markdown,
    }
}

fn trim_start_ascii(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

/// JSONL: the first two non-blank lines each hold a complete JSON value.
fn is_jsonl(data: &[u8]) -> bool {
    let mut lines = data
        .split(|b| *b == b'\n')
        .map(trim_start_ascii)
        .filter(|l| !l.is_empty());
    let Some(first) = lines.next() else {
        return false;
    };
    let complete = |l: &[u8]| serde_json::from_slice::<serde_json::Value>(l).is_ok();
    // A first line that is a whole JSON value followed by more lines: JSONL,
    // even when a later line is broken (that line becomes a reject).
    lines.next().is_some() && complete(first)
}

/// NUL bytes in text that is not UTF-16: the file is binary junk.
pub(crate) fn looks_binary(data: &[u8]) -> bool {
    let sample = &data[..data.len().min(8192)];
    if sample.starts_with(&[0xFF, 0xFE]) || sample.starts_with(&[0xFE, 0xFF]) {
        return false;
    }
    if memchr::memchr(0, sample).is_none() {
        return false;
    }
    let nul = sample.iter().filter(|b| **b == 0).count();
    // UTF-16 without a BOM has NULs in about half the positions of ASCII text.
    let even = sample.iter().step_by(2).filter(|b| **b == 0).count();
    let odd = nul - even;
    let pairs = sample.len() / 2;
    !((odd * 3 > pairs && even * 10 < pairs) || (even * 3 > pairs && odd * 10 < pairs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_sniffed_by_content() {
        assert_eq!(
            sniff_format(b"---\ntitle: x\n---\n", "a.txt"),
            Format::Markdown
        );
        assert_eq!(sniff_format(b"<!DOCTYPE html><html>", "a.md"), Format::Html);
        assert_eq!(
            sniff_format(b"<?xml version=\"1.0\"?><rss>", "a"),
            Format::Feed
        );
        assert_eq!(sniff_format(b"WARC/1.0\r\n", "a"), Format::Warc);
        assert_eq!(
            sniff_format(b"{\"a\":1}\n{\"a\":2}\n", "a.json"),
            Format::Jsonl
        );
        assert_eq!(sniff_format(b"{\"a\":\n1}\n", "a.json"), Format::Json);
        assert_eq!(sniff_format(b"{\"a\":\n1}\n", "a.jsonl"), Format::Jsonl);
        assert_eq!(sniff_format("正文".as_bytes(), "a.txt"), Format::Text);
    }
}
