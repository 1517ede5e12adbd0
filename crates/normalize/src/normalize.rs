//! One input file to documents: decompression, format detection (`sniff.rs`),
//! then the reader of that format.

use std::io::Read;

use scour_record::{Doc, Origin, RejectReason};

use crate::article::finish;
use crate::decode::{decode, set_encoding};
use crate::error::Error;
use crate::formats::{feed, json, markdown, warc};
use crate::html;
use crate::options::Options;
use crate::sniff::{first_line, looks_binary, sniff_format, strip_compression_ext, Format};

/// Reads every document in one input file.
///
/// `path` names the file in each record's `origin` (it is not opened: the
/// caller does IO). Never fails: a file that cannot be read becomes one
/// rejected `Doc` naming the reason.
#[must_use]
pub fn normalize(path: &str, bytes: &[u8], opts: &Options) -> Vec<Doc> {
    let mut origin = Origin {
        path: path.to_owned(),
        ..Origin::default()
    };
    let (data, broken) = match decompress(bytes, opts.max_doc_bytes.saturating_mul(4)) {
        Ok((data, compression, broken)) => {
            origin.compression = compression.map(str::to_owned);
            (data, broken)
        }
        Err(e) => return vec![e.reject(origin)],
    };
    if let Some(e) = broken {
        return damaged(path, &data, e, origin, opts);
    }
    let data: &[u8] = &data;
    if data.iter().all(u8::is_ascii_whitespace) {
        origin.format = "unknown".to_owned();
        return vec![Doc::rejected_with(
            origin,
            RejectReason::Empty,
            "the file holds no text",
        )];
    }
    let logical = strip_compression_ext(path);
    let format = sniff_format(data, &logical);
    origin.format = format.name().to_owned();
    // WARC records carry images and compressed payloads: binary by nature.
    // A JSONL file is judged by its first line: a NUL byte in a later line
    // costs only that line (issue 15).
    let binary = match format {
        Format::Warc => false,
        Format::Jsonl => looks_binary(first_line(data)),
        _ => looks_binary(data),
    };
    if binary {
        return vec![Doc::rejected_with(
            origin,
            RejectReason::Binary,
            "the file is not text",
        )];
    }
    match format {
        Format::Markdown | Format::Text => {
            if data.len() > opts.max_doc_bytes {
                let e = Error::TooLarge {
                    size: data.len(),
                    limit: opts.max_doc_bytes,
                };
                return vec![e.reject(origin)];
            }
            let decoded = decode(data, &[]);
            set_encoding(&mut origin, &decoded);
            match markdown::parse(&decoded.text) {
                Ok(mut article) => {
                    markdown::fields_from_file_name(path, &mut article);
                    vec![finish(article, origin)]
                }
                Err(e) => vec![e.reject(origin)],
            }
        }
        Format::Html => {
            if data.len() > opts.max_doc_bytes {
                let e = Error::TooLarge {
                    size: data.len(),
                    limit: opts.max_doc_bytes,
                };
                return vec![e.reject(origin)];
            }
            let unescaped = json_escaped_page(data);
            let (article, decoded) = html::parse_page(unescaped.as_deref().unwrap_or(data), None);
            set_encoding(&mut origin, &decoded);
            vec![finish(article, origin)]
        }
        Format::Json => json::parse_json(data, &origin, opts),
        Format::Jsonl => json::parse_jsonl(data, &origin, opts),
        Format::Feed => feed::parse(data, &origin, opts),
        Format::Warc => warc::parse(data, &origin, opts),
    }
}

/// A compressed file broken part-way (`e`), `data` what it gave before: a
/// JSONL file keeps its whole lines before the damage, as a large one read
/// in parts does, then a reject saying where; anything else is one reject.
fn damaged(path: &str, data: &[u8], e: Error, origin: Origin, opts: &Options) -> Vec<Doc> {
    let format = sniff_format(data, &strip_compression_ext(path));
    let end = memchr::memrchr(b'\n', data).map_or(0, |nl| nl + 1);
    if format != Format::Jsonl || end == 0 || looks_binary(first_line(data)) {
        return vec![e.reject(origin)];
    }
    let mut o = origin;
    o.format = format.name().to_owned();
    let lines = &data[..end];
    let body = lines.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(lines);
    let mut docs = Vec::new();
    json::parse_jsonl_lines(body, 1, &o, opts, &mut docs);
    o.line = Some(memchr::memchr_iter(b'\n', lines).count() as u64 + 1);
    docs.push(e.reject(o));
    docs
}

/// A page some scrapers save as a JSON string (`"<html>…\n…\"…"`, or the
/// same without the quotes): the page it escapes, or `None` when `data` is
/// not one. Only text that reads as a JSON string as a whole and holds markup
/// is taken, so a page that merely mentions `\n` is left as it is.
fn json_escaped_page(data: &[u8]) -> Option<Vec<u8>> {
    let t = data.trim_ascii();
    let quoted = t.len() >= 2 && t[0] == b'"' && t[t.len() - 1] == b'"';
    let bare = !quoted
        && t.first() == Some(&b'<')
        && !t.contains(&b'\n')
        && memchr::memmem::find(t, b"\\\"").is_some()
        && memchr::memmem::find(t, b"\\n").is_some();
    if !quoted && !bare {
        return None;
    }
    let text: String = if quoted {
        serde_json::from_slice(t).ok()?
    } else {
        let mut q = Vec::with_capacity(t.len() + 2);
        q.push(b'"');
        q.extend_from_slice(t);
        q.push(b'"');
        serde_json::from_slice(&q).ok()?
    };
    text.contains('<').then(|| text.into_bytes())
}

/// Decompressed bytes past which a file waits for [`LARGE`].
const LARGE_INFLATE: usize = 16 << 20;

/// Held by the one decompression, of all threads, that is past
/// [`LARGE_INFLATE`]: each may grow to 4 × `--max-doc-bytes`, and eight
/// bombs on eight threads must not hold eight times that at once (issue
/// 15). A holder waits on nothing else, so it always ends.
static LARGE: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// At most `limit` + 1 bytes of `r`, holding [`LARGE`] once past
/// [`LARGE_INFLATE`]: memory in flight is bounded by the threads × 16 MiB
/// and one file's limit, whatever the number of threads. A read error comes
/// with what was read before it.
fn inflate(mut r: impl Read, limit: usize) -> (Vec<u8>, Option<std::io::Error>) {
    let mut out = Vec::new();
    let first = (limit as u64 + 1).min(LARGE_INFLATE as u64);
    if let Err(e) = (&mut r).take(first).read_to_end(&mut out) {
        return (out, Some(e));
    }
    if out.len() as u64 == first && first <= limit as u64 {
        let _large = LARGE
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Err(e) = r.take(limit as u64 + 1 - first).read_to_end(&mut out) {
            return (out, Some(e));
        }
    }
    (out, None)
}

/// Decompressed bytes, the compression (`gzip`, `zstd`), and the error that
/// broke the stream part-way, if one did.
type Decompressed<'a> = (
    std::borrow::Cow<'a, [u8]>,
    Option<&'static str>,
    Option<Error>,
);

/// Undoes gzip or zstd, detected by magic bytes, at most `limit` bytes out;
/// other bytes as they are. A stream broken part-way gives what came
/// before the damage and the error.
fn decompress(bytes: &[u8], limit: usize) -> crate::Result<Decompressed<'_>> {
    let (format, (out, err)) = if bytes.starts_with(&[0x1f, 0x8b]) {
        // MultiGzDecoder: a .warc.gz is one gzip member per record.
        (
            "gzip",
            inflate(flate2::read::MultiGzDecoder::new(bytes), limit),
        )
    } else if bytes.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        match zstd::stream::read::Decoder::new(bytes) {
            Ok(d) => ("zstd", inflate(d, limit)),
            Err(e) => ("zstd", (Vec::new(), Some(e))),
        }
    } else {
        return Ok((std::borrow::Cow::Borrowed(bytes), None, None));
    };
    if out.len() > limit {
        return Err(Error::DecompressedTooLarge { limit });
    }
    let broken = err.map(|e| Error::Decompress {
        format,
        message: e.to_string(),
    });
    if out.is_empty() {
        if let Some(e) = broken {
            return Err(e);
        }
    }
    Ok((std::borrow::Cow::Owned(out), Some(format), broken))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn compressed_markdown_reads_the_same() {
        let md = "---\ntitle: 标题\n---\n\n正文。\n";
        let plain = normalize("a.md", md.as_bytes(), &Options::default());
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, md.as_bytes()).unwrap();
        let gz = gz.finish().unwrap();
        let zs = zstd::encode_all(md.as_bytes(), 3).unwrap();
        for (name, bytes) in [("a.md.gz", gz), ("a.md.zst", zs)] {
            let docs = normalize(name, &bytes, &Options::default());
            assert_eq!(docs[0].text, plain[0].text);
            assert_eq!(docs[0].title, plain[0].title);
        }
    }

    #[test]
    fn broken_gzip_is_a_reject() {
        let docs = normalize("a.md.gz", &[0x1f, 0x8b, 8, 0, 1, 2, 3], &Options::default());
        assert!(docs[0]
            .reject_reason
            .map(scour_record::RejectReason::as_str)
            .unwrap()
            .starts_with("corrupt"));
    }

    #[test]
    fn empty_and_binary_are_rejects() {
        let o = Options::default();
        assert!(normalize("e.md", b"  \n", &o)[0]
            .reject_reason
            .map(scour_record::RejectReason::as_str)
            .unwrap()
            .starts_with("empty"));
        assert!(normalize("b.md", b"\x00\x01\x02abc\x00\x00\xff", &o)[0]
            .reject_reason
            .map(scour_record::RejectReason::as_str)
            .unwrap()
            .starts_with("binary"));
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, bytes).unwrap();
        gz.finish().unwrap()
    }

    /// The same page as UTF-8, GBK declared, GBK undeclared, and inside a
    /// gzipped WARC (chunked, gzip-encoded payload, charset only in HTTP):
    /// one text.
    #[test]
    fn same_article_in_every_encoding_and_container() {
        let Some(path) =
            crate::shared::require("corpus/wechat/html/wechatsogou-article_detail_qqmusic.html")
        else {
            return;
        };
        let page = std::fs::read_to_string(path).unwrap();
        let o = Options::default();
        let utf8 = normalize("a.html", page.as_bytes(), &o);
        assert_eq!(utf8.len(), 1);
        assert!(utf8[0].text.contains("文艺青年消遣有四大法宝"));
        let declared = page.replace("charset=utf-8", "charset=gbk");
        assert_ne!(declared, page);
        let (gbk_declared, _, _) = encoding_rs::GBK.encode(&declared);
        let undeclared = page.replace("; charset=utf-8", "");
        let (gbk_undeclared, _, _) = encoding_rs::GBK.encode(&undeclared);

        let d = normalize("b.html", &gbk_declared, &o);
        assert_eq!(d[0].origin.encoding.as_deref(), Some("GBK"));
        assert_eq!(d[0].origin.encoding_source.as_deref(), Some("meta"));
        assert_eq!(d[0].text, utf8[0].text);
        assert_eq!(d[0].title, utf8[0].title);

        let d = normalize("c.html", &gbk_undeclared, &o);
        assert_eq!(d[0].origin.encoding.as_deref(), Some("GBK"));
        assert_eq!(d[0].origin.encoding_source.as_deref(), Some("detected"));
        assert_eq!(d[0].text, utf8[0].text);

        let payload = gzip(&gbk_undeclared);
        let http = crate::formats::warc::testutil::http_response(
            "Content-Type: text/html; charset=GBK\r\nContent-Encoding: gzip\r\n",
            &payload,
            4096,
        );
        let mut warc = gzip(&crate::formats::warc::testutil::record(
            "request",
            "https://mp.weixin.qq.com/s/abc",
            "application/http; msgtype=request",
            b"GET /s/abc HTTP/1.1\r\n\r\n",
        ));
        warc.extend_from_slice(&gzip(&crate::formats::warc::testutil::record(
            "response",
            "http://mp.weixin.qq.com/s?__biz=MzA=&mid=1&idx=1&sn=ab&scene=1#rd",
            "application/http; msgtype=response",
            &http,
        )));
        let d = normalize("crawl.warc.gz", &warc, &o);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].origin.format, "warc", "{:?}", d[0].reject_reason);
        assert!(d[0].reject_reason.is_none(), "{:?}", d[0].reject_reason);
        assert_eq!(d[0].origin.compression.as_deref(), Some("gzip"));
        assert_eq!(d[0].origin.encoding_source.as_deref(), Some("http"));
        assert_eq!(
            d[0].url.as_deref(),
            Some("https://mp.weixin.qq.com/s?__biz=MzA=&mid=1&idx=1&sn=ab")
        );
        assert_eq!(d[0].text, utf8[0].text);
        assert_eq!(d[0].title, utf8[0].title);
    }

    /// A JSONL record and the same article in markdown: the same text, and the
    /// record's unknown field passes through.
    #[test]
    fn jsonl_record_matches_markdown() {
        let url = "http://mp.weixin.qq.com/s?__biz=MzA5MzE5MDAzOA==&mid=2664236345&idx=4&sn=d6cf&chksm=8b58&scene=58&subscene=0#rd";
        let md = format!(
            "---\ntitle: 前沿 | 把握推动我国人工智能健康发展\nurl: {url}\nsource: 中国信息安全\n---\n\n当前，全球人工智能技术正处于飞速发展期。\n\n**以生成式大模型为代表**的新一代人工智能技术。\n"
        );
        let record = serde_json::json!({
            "title": "前沿 | 把握推动我国人工智能健康发展",
            "url": url,
            "account": "中国信息安全",
            "content": "<section><p>当前，全球人工智能技术正处于飞速发展期。</p><p><strong>以生成式大模型为代表</strong>的新一代人工智能技术。</p></section>",
            "read_count": 1024,
        });
        let line = format!("{record}\n{record}\n");
        let o = Options::default();
        let m = normalize("a.md", md.as_bytes(), &o);
        let j = normalize("a.jsonl", line.as_bytes(), &o);
        assert_eq!(j.len(), 2);
        assert_eq!(j[0].text, m[0].text);
        assert_eq!(j[0].url, m[0].url);
        assert_eq!(j[0].id, m[0].id);
        assert_eq!(j[0].title, m[0].title);
        assert_eq!(j[0].source, m[0].source);
        assert_eq!(j[0].extra.value("read_count").unwrap(), 1024);
        assert_eq!(j[1].origin.line, Some(2));
    }

    #[test]
    fn a_page_saved_as_a_json_string_is_read_as_the_page() {
        let page = "<html><head><title>标题</title></head><body><div id=\"js_content\"><p>这是正文的第一段，讲的是“引号”里的事。</p><p>第二段。</p></div></body></html>";
        let escaped = serde_json::to_string(page).unwrap();
        let plain = normalize("p.html", page.as_bytes(), &Options::default());
        let quoted = normalize("p.html", escaped.as_bytes(), &Options::default());
        let bare = normalize(
            "p.html",
            &escaped.as_bytes()[1..escaped.len() - 1],
            &Options::default(),
        );
        assert!(plain[0].text.contains("第二段"), "{:?}", plain[0]);
        for docs in [&quoted, &bare] {
            assert_eq!(docs[0].text, plain[0].text);
            assert_eq!(docs[0].reject_reason, plain[0].reject_reason);
        }
        // A page that only mentions an escape is read as it is.
        assert_eq!(json_escaped_page(b"<p>use \\n for a newline</p>"), None);
    }

    #[test]
    fn listing_and_expired_pages_rejected() {
        let o = Options::default();
        for (file, reason) in [
            ("html/wechatsogou-article_detail_expired.html", "expired"),
            ("html/wechatsogou-bitsea-history.html", "listing"),
            ("html/wechatsogou-search-gaokao-article.html", "listing"),
            ("json/wechatsogou-search-gaokao-article.json", "listing"),
        ] {
            let Some(path) = crate::shared::require(&format!("corpus/wechat/{file}")) else {
                return;
            };
            let bytes = std::fs::read(&path).unwrap();
            let docs = normalize(file, &bytes, &o);
            assert_eq!(docs.len(), 1, "{file}");
            assert_eq!(
                docs[0]
                    .reject_reason
                    .map(scour_record::RejectReason::as_str),
                Some(reason),
                "{file}"
            );
            assert!(docs[0].text.is_empty(), "{file}");
        }
    }

    /// 100,000 nested elements: no stack overflow, the text still comes out.
    #[test]
    fn deeply_nested_html_does_not_crash() {
        let depth = 100_000;
        for tag in ["span", "div", "section"] {
            let mut page = String::from("<html><body><div id=\"js_content\">");
            for _ in 0..depth {
                page.push_str(&format!("<{tag}>"));
            }
            page.push_str("最深处的正文");
            for _ in 0..depth {
                page.push_str(&format!("</{tag}>"));
            }
            page.push_str("</div></body></html>");
            let docs = normalize("deep.html", page.as_bytes(), &Options::default());
            assert_eq!(docs.len(), 1);
            assert!(docs[0].text.contains("最深处的正文"), "{tag}");
        }
    }

    /// Issue 15: a NUL byte in one JSONL line rejected the whole file as
    /// binary; now only that line.
    #[test]
    fn a_nul_byte_costs_only_its_line() {
        let data = "{\"text\":\"第一条\"}\n{\"text\":\"bad\u{0}line\"}\n{\"text\":\"第三条\"}\n";
        let docs = normalize("n.jsonl", data.as_bytes(), &Options::default());
        assert_eq!(docs.len(), 3);
        assert!(docs[0].reject_reason.is_none());
        assert_eq!(docs[1].reject_reason, Some(RejectReason::Parse));
        assert!(docs[2].reject_reason.is_none());
    }

    /// Issue 15: a truncated small `.jsonl.gz` lost every record; now the
    /// lines before the damage are kept, then a `corrupt` reject.
    #[test]
    fn a_truncated_small_jsonl_gz_keeps_the_lines_before() {
        let lines: Vec<String> = (0..300)
            .map(|i| format!("{{\"text\":\"第{i}条记录的正文，内容各不相同，编号{i}。\"}}"))
            .collect();
        let mut gz = gzip(lines.join("\n").as_bytes());
        gz.truncate(gz.len() * 2 / 3);
        let docs = normalize("t.jsonl.gz", &gz, &Options::default());
        let last = docs.last().unwrap();
        assert_eq!(last.reject_reason, Some(RejectReason::Corrupt));
        assert!(docs.len() > 50, "{}", docs.len());
        assert!(docs[..docs.len() - 1]
            .iter()
            .all(|d| d.reject_reason.is_none()));
    }
}
