//! WARC files (`.warc`, and `.warc.gz` once the container has undone the
//! per-record gzip members): one document per HTML response.
//!
//! Written by hand: the WARC crates on crates.io are either unmaintained or
//! pull in a whole IO stack (readers over files, async runtimes) to do what is
//! here a few dozen lines over a byte slice that is already in memory. A
//! record is a header block (`WARC/1.0` or `WARC/1.1`, `Name: value` lines,
//! a blank line), then exactly `Content-Length` bytes, then `\r\n\r\n`.
//!
//! Only `response` records (and `resource` records) holding HTML become
//! documents; requests, metadata, warcinfo, revisits, images and redirects are
//! not documents and are skipped without a trace.

use std::io::Read;

use scour_record::{Doc, Origin, RejectReason};

use crate::article::finish;
use crate::decode::set_encoding;
use crate::error::Error;
use crate::html::parse_page;
use crate::options::Options;

/// Reads every record of a decompressed WARC stream.
pub(crate) fn parse(data: &[u8], origin: &Origin, opts: &Options) -> Vec<Doc> {
    let mut docs = Vec::new();
    parse_records(data, 0, origin, opts, &mut docs);
    if docs.is_empty() && !data.is_empty() {
        docs.push(no_responses(origin));
    }
    docs
}

/// The reject of a well-formed WARC with no HTML response: nothing to clean,
/// but the file is accounted for.
pub(crate) fn no_responses(origin: &Origin) -> Doc {
    let mut o = origin.clone();
    o.format = "warc".to_owned();
    Doc::rejected_with(o, RejectReason::Empty, "no HTML response records")
}

/// Where the record starting at `start` of `data` ends (one past its
/// block), as [`parse_records`] reads it; `None` when it would stop there
/// (no record header, a truncated or damaged one). `Err(())` when `data`
/// ends before that is known: more bytes are needed.
pub(crate) fn record_end(data: &[u8], start: usize) -> Result<Option<usize>, ()> {
    let rest = &data[start..];
    if rest.len() < 5 {
        return if b"WARC/".starts_with(rest) {
            Err(())
        } else {
            Ok(None)
        };
    }
    if !rest.starts_with(b"WARC/") {
        return Ok(None);
    }
    let Some((header_len, headers)) = split_headers(rest) else {
        return Err(());
    };
    let Some(len) = header(&headers, "content-length").and_then(|v| v.parse::<usize>().ok()) else {
        return Ok(None);
    };
    match (start + header_len).checked_add(len) {
        Some(end) if end <= data.len() => match at_boundary(data, end) {
            Some(true) => Ok(Some(end)),
            Some(false) => Ok(None),
            None => Err(()),
        },
        Some(_) => Err(()),
        None => Ok(None),
    }
}

/// Whether a record's block ending at `end` ends where a record may: its
/// terminator (a blank line) follows, or the next bytes other than
/// whitespace are `WARC/`; `None` when `data` ends
/// before that is known (the end of data is a boundary for
/// [`parse_records`], which reads one part; [`record_end`] asks for more).
fn at_boundary(data: &[u8], end: usize) -> Option<bool> {
    let rest = &data[end..];
    // The record's own terminator, whatever follows it.
    for term in [&b"\r\n\r\n"[..], b"\n\n"] {
        if rest.starts_with(term) {
            return Some(true);
        }
    }
    let skip = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
    let after = &rest[skip..];
    if after.len() < 5 {
        return if b"WARC/".starts_with(after) {
            None
        } else {
            Some(false)
        };
    }
    Some(after.starts_with(b"WARC/"))
}

/// Where reading may go on after a record that cannot be read at `start`:
/// the next `WARC/` that opens a line.
pub(crate) fn resync(data: &[u8], start: usize) -> Option<usize> {
    memchr::memmem::find(&data[start..], b"\nWARC/").map(|p| start + p + 1)
}

/// The header length and `Content-Length` of the record starting at
/// `start`, and whether it is a document's record (a response or a
/// resource), once its header block is read; `None` before that or when it
/// has no readable length.
pub(crate) fn record_size(data: &[u8], start: usize) -> Option<(usize, usize, bool)> {
    let rest = &data[start..];
    if !rest.starts_with(b"WARC/") {
        return None;
    }
    let (header_len, headers) = split_headers(rest)?;
    let len = header(&headers, "content-length")?.parse::<usize>().ok()?;
    let kind = header(&headers, "warc-type")
        .unwrap_or("")
        .to_ascii_lowercase();
    Some((header_len, len, kind == "response" || kind == "resource"))
}

/// The documents of the WARC records in `data`, which starts at byte
/// `base` of the decompressed stream: a part of a file read a part at a
/// time, or all of it. Stops at the first record it cannot read, with a
/// reject saying where.
pub(crate) fn parse_records(
    data: &[u8],
    base: u64,
    origin: &Origin,
    opts: &Options,
    docs: &mut Vec<Doc>,
) {
    let mut pos = 0usize;
    loop {
        while data.get(pos).is_some_and(u8::is_ascii_whitespace) {
            pos += 1;
        }
        if pos >= data.len() {
            return;
        }
        let start = pos;
        let at = base + start as u64;
        let mut o = origin.clone();
        o.offset = Some(at);
        let rest = &data[start..];
        // A record that cannot be read is one reject; reading goes on at
        // the next `WARC/` that opens a line (issue 15).
        let mut bad = |o: Origin, detail: String| {
            docs.push(Doc::rejected_with(o, RejectReason::Parse, detail));
            resync(data, start + 1)
        };
        if !rest.starts_with(b"WARC/") {
            match bad(o, format!("no WARC record header at offset {at}")) {
                Some(p) => {
                    pos = p;
                    continue;
                }
                None => return,
            }
        }
        let Some((header_len, headers)) = split_headers(rest) else {
            match bad(o, format!("truncated WARC record at offset {at}")) {
                Some(p) => {
                    pos = p;
                    continue;
                }
                None => return,
            }
        };
        let block_start = start + header_len;
        let len = header(&headers, "content-length").and_then(|v| v.parse::<usize>().ok());
        let end = len.and_then(|l| block_start.checked_add(l));
        let failure = match (len, end) {
            (None, _) => Some(format!(
                "WARC record at offset {at} has no valid Content-Length"
            )),
            (_, Some(e)) if e <= data.len() && at_boundary(data, e) == Some(false) => Some(
                format!("WARC record at offset {at}: its Content-Length does not end at a record"),
            ),
            (_, Some(e)) if e <= data.len() => None,
            _ => Some(format!("truncated WARC record at offset {at}")),
        };
        if let Some(detail) = failure {
            match bad(o, detail) {
                Some(p) => {
                    pos = p;
                    continue;
                }
                None => return,
            }
        }
        let (Some(len), Some(end)) = (len, end) else {
            return;
        };
        let block = &data[block_start..end];
        pos = end;
        let kind = header(&headers, "warc-type")
            .unwrap_or("")
            .to_ascii_lowercase();
        if kind != "response" && kind != "resource" {
            continue;
        }
        if len > opts.max_doc_bytes {
            let e = Error::TooLarge {
                size: len,
                limit: opts.max_doc_bytes,
            };
            docs.push(e.reject(o));
            continue;
        }
        if let Some(doc) = record_doc(&headers, &kind, block, o, opts) {
            docs.push(doc);
        }
    }
}

/// Splits a header block (up to and including its blank line) into
/// `(name, value)` pairs; `None` when the blank line never comes.
fn split_headers(data: &[u8]) -> Option<(usize, Vec<(String, String)>)> {
    let crlf = memchr::memmem::find(data, b"\r\n\r\n").map(|p| p + 4);
    let lf = memchr::memmem::find(data, b"\n\n").map(|p| p + 2);
    let end = match (crlf, lf) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b)?,
    };
    let text = String::from_utf8_lossy(&data[..end]);
    let headers = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Some((end, headers))
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The `charset` parameter of a Content-Type.
fn charset(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(['"', '\'']).to_owned())
    })
}

fn sniffs_html(payload: &[u8]) -> bool {
    let head: Vec<u8> = payload
        .iter()
        .take(1024)
        .map(u8::to_ascii_lowercase)
        .collect();
    let t = head.trim_ascii_start();
    t.starts_with(b"<!doctype html")
        || t.starts_with(b"<html")
        || memchr::memmem::find(&head, b"<html").is_some()
        || memchr::memmem::find(&head, b"<head").is_some()
}

/// A reject's reason and detail.
type Rejected = (RejectReason, String);

fn record_doc(
    warc: &[(String, String)],
    kind: &str,
    block: &[u8],
    mut origin: Origin,
    opts: &Options,
) -> Option<Doc> {
    let start = origin.offset.unwrap_or(0);
    let (content_type, payload) = if kind == "resource" {
        (
            header(warc, "content-type").unwrap_or("").to_owned(),
            block.to_vec(),
        )
    } else {
        match http_payload(block, start, opts) {
            Ok(Some(found)) => found,
            Ok(None) => return None,
            Err((reason, detail)) => return Some(Doc::rejected_with(origin, reason, detail)),
        }
    };
    let ct_lower = content_type.to_ascii_lowercase();
    let is_html = ct_lower.contains("html")
        || ((ct_lower.is_empty()
            || ct_lower.contains("octet-stream")
            || ct_lower.starts_with("text/plain"))
            && sniffs_html(&payload));
    if !is_html {
        return None;
    }
    let charset = charset(&content_type);
    let (mut article, decoded) = parse_page(&payload, charset.as_deref());
    set_encoding(&mut origin, &decoded);
    let target = header(warc, "warc-target-uri")
        .map(|u| u.trim_matches(['<', '>']).to_owned())
        .filter(|u| crate::article::canonical::canonical_url(u).is_some());
    if let Some(t) = target {
        article.url = Some(t);
    }
    if article.fetched.is_none() {
        article.fetched = header(warc, "warc-date").map(str::to_owned);
    }
    Some(finish(article, origin))
}

/// The content type and body (dechunked, decompressed) of the HTTP message
/// in a `response` record's `block`; `Ok(None)` for an answer that is not
/// a document (informational, a redirect); `Err` when it is a reject.
fn http_payload(
    block: &[u8],
    start: u64,
    opts: &Options,
) -> Result<Option<(String, Vec<u8>)>, Rejected> {
    let Some((head_len, http)) = split_headers(block) else {
        return Err((
            RejectReason::Parse,
            format!("WARC response at offset {start} has no HTTP header"),
        ));
    };
    let status_line = String::from_utf8_lossy(block.split(|b| *b == b'\n').next().unwrap_or(&[]))
        .trim()
        .to_owned();
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    if !status_line.starts_with("HTTP/") {
        return Err((
            RejectReason::Parse,
            format!("WARC response at offset {start} has no HTTP status line"),
        ));
    }
    // Redirects and informational answers are not documents.
    if (100..200).contains(&status) || (300..400).contains(&status) || status == 304 {
        return Ok(None);
    }
    let mut body = block[head_len..].to_vec();
    if header(&http, "transfer-encoding")
        .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"))
    {
        if let Some(d) = dechunk(&body) {
            body = d;
        }
    }
    let body = content_decoded(&http, body, start, opts)?;
    let ct = header(&http, "content-type").unwrap_or("").to_owned();
    if status >= 400 && (ct.to_ascii_lowercase().contains("html") || sniffs_html(&body)) {
        return Err((RejectReason::Unavailable, format!("http status {status}")));
    }
    Ok(Some((ct, body)))
}

/// `body` with its `Content-Encoding` undone: gzip (a reject when broken),
/// deflate (as it was when broken), none; br and zstd are rejects.
fn content_decoded(
    http: &[(String, String)],
    body: Vec<u8>,
    start: u64,
    opts: &Options,
) -> Result<Vec<u8>, Rejected> {
    match header(http, "content-encoding")
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("gzip" | "x-gzip") if body.starts_with(&[0x1f, 0x8b]) => inflate(
            flate2::read::MultiGzDecoder::new(&body[..]),
            opts.max_doc_bytes,
        )
        .map_err(|e| {
            (
                RejectReason::Corrupt,
                format!("gzip payload of WARC record at offset {start}: {e}"),
            )
        }),
        Some("deflate") => Ok(inflate(
            flate2::read::ZlibDecoder::new(&body[..]),
            opts.max_doc_bytes,
        )
        .or_else(|_| {
            inflate(
                flate2::read::DeflateDecoder::new(&body[..]),
                opts.max_doc_bytes,
            )
        })
        .unwrap_or(body)),
        Some("br" | "zstd") => Err((
            RejectReason::Parse,
            format!("unsupported content-encoding of WARC record at offset {start}"),
        )),
        _ => Ok(body),
    }
}

fn inflate(reader: impl Read, limit: usize) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    reader.take(limit as u64 + 1).read_to_end(&mut out)?;
    Ok(out)
}

/// Undoes `Transfer-Encoding: chunked`. `None` when the body is not chunked
/// after all (some crawlers store the decoded body but keep the header); a
/// body cut short keeps what arrived.
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut pos = 0;
    loop {
        let nl = memchr::memchr(b'\n', &body[pos..])? + pos;
        let line = std::str::from_utf8(&body[pos..nl]).ok()?;
        let size_hex = line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_hex, 16).ok()?;
        pos = nl + 1;
        if size == 0 {
            return Some(out);
        }
        let end = pos.saturating_add(size).min(body.len());
        out.extend_from_slice(&body[pos..end]);
        if end < pos + size {
            return Some(out);
        }
        pos = end;
        if body[pos..].starts_with(b"\r\n") {
            pos += 2;
        } else if body[pos..].starts_with(b"\n") {
            pos += 1;
        }
        if pos >= body.len() {
            return Some(out);
        }
    }
}

#[cfg(test)]
pub(crate) mod testutil {
    /// One WARC record, its block given as bytes.
    pub(crate) fn record(kind: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2025-10-06T12:39:19Z\r\nWARC-Record-ID: <urn:uuid:0>\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        r.extend_from_slice(block);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    /// An HTTP response, chunked in pieces of `chunk` bytes when it is not 0.
    pub(crate) fn http_response(headers: &str, body: &[u8], chunk: usize) -> Vec<u8> {
        let mut r = format!("HTTP/1.1 200 OK\r\n{headers}").into_bytes();
        if chunk > 0 {
            r.extend_from_slice(b"Transfer-Encoding: chunked\r\n\r\n");
            for piece in body.chunks(chunk) {
                r.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
                r.extend_from_slice(piece);
                r.extend_from_slice(b"\r\n");
            }
            r.extend_from_slice(b"0\r\n\r\n");
        } else {
            r.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
            r.extend_from_slice(body);
        }
        r
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::{http_response, record};
    use super::*;

    fn origin() -> Origin {
        Origin {
            path: "crawl.warc".into(),
            format: "warc".into(),
            ..Origin::default()
        }
    }

    const PAGE: &str = "<html><head><meta charset=\"utf-8\"><title>标题</title></head><body><div id=\"js_content\"><p>微信公众号文章正文。</p></div></body></html>";

    #[test]
    fn responses_read_others_skipped() {
        let mut warc = record(
            "warcinfo",
            "",
            "application/warc-fields",
            b"software: test\r\n",
        );
        let req = record(
            "request",
            "https://mp.weixin.qq.com/s/abc",
            "application/http; msgtype=request",
            b"GET /s/abc HTTP/1.1\r\n\r\n",
        );
        warc.extend_from_slice(&req);
        let resp_at = warc.len() as u64;
        let resp = http_response(
            "Content-Type: text/html; charset=utf-8\r\n",
            PAGE.as_bytes(),
            7,
        );
        warc.extend_from_slice(&record(
            "response",
            "https://mp.weixin.qq.com/s/abc?scene=1",
            "application/http; msgtype=response",
            &resp,
        ));
        let img = http_response("Content-Type: image/png\r\n", b"\x89PNG....", 0);
        warc.extend_from_slice(&record(
            "response",
            "https://mmbiz.qpic.cn/x.png",
            "application/http; msgtype=response",
            &img,
        ));
        let docs = parse(&warc, &origin(), &Options::default());
        assert_eq!(docs.len(), 1, "{docs:?}");
        let d = &docs[0];
        assert_eq!(d.text, "微信公众号文章正文。");
        assert_eq!(d.url.as_deref(), Some("https://mp.weixin.qq.com/s/abc"));
        assert_eq!(d.fetched.as_deref(), Some("2025-10-06T12:39:19Z"));
        assert_eq!(d.origin.offset, Some(resp_at));
        assert_eq!(d.origin.encoding_source.as_deref(), Some("http"));
    }

    #[test]
    fn truncated_record_is_one_reject() {
        let resp = http_response("Content-Type: text/html\r\n", PAGE.as_bytes(), 0);
        let mut warc = record(
            "response",
            "https://example.com/a",
            "application/http; msgtype=response",
            &resp,
        );
        let cut_at = warc.len();
        let second = record(
            "response",
            "https://example.com/b",
            "application/http; msgtype=response",
            &resp,
        );
        warc.extend_from_slice(&second[..second.len() / 2]);
        let docs = parse(&warc, &origin(), &Options::default());
        assert_eq!(docs.len(), 2);
        assert!(docs[0].reject_reason.is_none());
        assert_eq!(
            docs[1].reject_message(),
            Some(format!("parse: truncated WARC record at offset {cut_at}"))
        );
    }

    #[test]
    fn dechunk_tolerates_plain_bodies() {
        assert_eq!(
            dechunk(b"3\r\n\xe4\xb8\xad\r\n0\r\n\r\n").as_deref(),
            Some("中".as_bytes())
        );
        assert_eq!(dechunk(b"<html>"), None);
    }

    /// Issue 15: a bad Content-Length (too short, too long, missing) or
    /// garbage stopped the reading of the whole file; the reader now goes on
    /// at the next `WARC/` header, one reject for the damage.
    #[test]
    fn reading_resynchronises_on_the_next_record() {
        let resp = http_response("Content-Type: text/html\r\n", PAGE.as_bytes(), 0);
        let good = record(
            "response",
            "https://example.com/a",
            "application/http; msgtype=response",
            &resp,
        );
        let text = String::from_utf8(good.clone()).unwrap();
        let n = resp.len();
        for bad in [
            text.replacen(
                &format!("Content-Length: {n}"),
                &format!("Content-Length: {}", n - 9),
                1,
            ),
            text.replacen(
                &format!("Content-Length: {n}"),
                &format!("Content-Length: {}", n + 50),
                1,
            ),
            text.replacen(&format!("Content-Length: {n}"), "Content-Length: x", 1),
            "garbage\r\nmore garbage\r\n".to_owned(),
        ] {
            let mut warc = good.clone();
            warc.extend_from_slice(bad.as_bytes());
            warc.extend_from_slice(&good);
            let docs = parse(&warc, &origin(), &Options::default());
            let reasons: Vec<_> = docs.iter().map(|d| d.reject_reason).collect();
            assert_eq!(
                reasons,
                [None, Some(RejectReason::Parse), None],
                "{bad:.60}"
            );
        }
    }
}
