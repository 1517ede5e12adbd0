//! Markdown or plain text, with YAML front matter or without.
//!
//! The front matter is read by a lenient `key: value` parser, not a YAML
//! library: scrapers write titles such as `title: 关注 | 部分App: 形同虚设` or
//! `title: [转] …` that are invalid YAML, and a strict parser would reject the
//! whole article for a title it could have read.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Value};

use crate::article::Article;
use crate::error::{Error, Result};
use crate::html::fragment_to_blocks;

/// Splits `---` front matter from the body. `Ok(None)` when there is none.
/// Front-matter fields in order, and the body after the closing `---`.
type FrontMatter<'a> = (Vec<(String, String)>, &'a str);

pub(crate) fn split_front_matter(text: &str) -> Result<Option<FrontMatter<'_>>> {
    let rest = match text.strip_prefix("---") {
        Some(r) if r.starts_with('\n') || r.starts_with("\r\n") => r,
        _ => return Ok(None),
    };
    let mut fields = Vec::new();
    let mut offset = text.len() - rest.len();
    let mut lines = rest.split_inclusive('\n');
    // Skip the newline that ends the opening `---`.
    if let Some(first) = lines.next() {
        offset += first.len();
    }
    let mut last_key: Option<usize> = None;
    for line in lines {
        offset += line.len();
        let l = line.trim_end_matches(['\n', '\r']);
        if l.trim_end() == "---" || l.trim_end() == "..." {
            return Ok(Some((fields, &text[offset..])));
        }
        if l.trim().is_empty() || l.trim_start().starts_with('#') {
            continue;
        }
        let indented = l.starts_with(' ') || l.starts_with('\t');
        if indented {
            // A continuation of the previous value (folded YAML) or a list item.
            if let Some(i) = last_key {
                let item = l.trim().trim_start_matches("- ").trim();
                let (_, v): &mut (String, String) = &mut fields[i];
                if !v.is_empty() {
                    v.push(' ');
                }
                v.push_str(&unquote(item));
            }
            continue;
        }
        if let Some((k, v)) = l.split_once(':') {
            let key = k.trim();
            if !key.is_empty() && !key.contains(' ') {
                fields.push((key.to_owned(), unquote(v.trim())));
                last_key = Some(fields.len() - 1);
            }
        }
        // A line that is not `key: value`: most likely an unterminated block.
    }
    Err(Error::Parse(
        "front matter opened with --- is never closed".to_owned(),
    ))
}

/// Removes one level of YAML quoting.
fn unquote(v: &str) -> String {
    let v = v.trim();
    if v.len() >= 2 && v.starts_with('"') && v.ends_with('"') {
        let inner = &v[1..v.len() - 1];
        // Double-quoted YAML escapes; JSON's are a close subset.
        if let Ok(Value::String(s)) = serde_json::from_str::<Value>(v) {
            return s;
        }
        return inner.to_owned();
    }
    if v.len() >= 2 && v.starts_with('\'') && v.ends_with('\'') {
        return v[1..v.len() - 1].replace("''", "'");
    }
    v.to_owned()
}

/// Parses a markdown or text document.
pub(crate) fn parse(text: &str) -> Result<Article> {
    let mut article = Article::default();
    let body = match split_front_matter(text)? {
        Some((fields, body)) => {
            map_fields(&mut article, fields);
            body
        }
        None => match split_header_block(text) {
            Some((fields, body)) => {
                map_fields(&mut article, fields);
                body
            }
            None => text,
        },
    };
    article.body = convert_raw_html(body).into_owned();
    Ok(article)
}

/// The dialect some exporters write instead of front matter: the first lines,
/// up to the first blank line, are all `标题：…`, `公众号：…`, `发布时间：…`,
/// `作者：…`, `原文链接：…` (or their English names). All of them or none:
/// a block where one line is something else is body text.
fn split_header_block(text: &str) -> Option<(Vec<(String, String)>, &str)> {
    let mut fields = Vec::new();
    let mut offset = 0;
    let mut started = false;
    for line in text.split_inclusive('\n') {
        let l = line.trim();
        if l.is_empty() {
            offset += line.len();
            if started {
                break;
            }
            continue;
        }
        started = true;
        let (k, v) = l.split_once(['：', ':'])?;
        let key = match k.trim().to_ascii_lowercase().as_str() {
            "标题" | "title" => "title",
            "公众号" | "来源" | "account" | "source" => "source",
            "发布时间" | "日期" | "时间" | "date" | "published" => "date",
            "作者" | "author" => "author",
            "原文链接" | "链接" | "url" | "link" => "url",
            _ => return None,
        };
        fields.push((key.to_owned(), v.trim().to_owned()));
        offset += line.len();
    }
    if fields.is_empty() {
        return None;
    }
    Some((fields, &text[offset.min(text.len())..]))
}

static HTML_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)</?(?:table|thead|tbody|tr|td|th|span|br|div|p|section|font|strong|b|em|i|u|img|a|ul|ol|li|h[1-6]|center|blockquote|sup|sub)\b[^>]*>")
        .expect("static regex")
});

static BLOCK_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)<(?:table|tr|div|p|section|ul|ol|li|h[1-6]|blockquote|center)\b")
        .expect("static regex")
});

/// Raw HTML left in markdown (`<table>…</table>`, `<span>`, `<br>`) goes
/// through the block converter, one markdown block (or one whole table) at a
/// time; blocks without HTML and fenced code are left as they are.
fn convert_raw_html(body: &str) -> Cow<'_, str> {
    if !HTML_TAG.is_match(body) {
        return Cow::Borrowed(body);
    }
    // Split into blocks at blank lines, fences kept whole.
    let mut blocks: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut in_fence = false;
    for line in body.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if !in_fence && line.trim().is_empty() {
            if !cur.is_empty() {
                blocks.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if !cur.is_empty() {
            cur.push('\n');
        }
        cur.push_str(line);
    }
    if !cur.is_empty() {
        blocks.push(cur);
    }
    let mut out: Vec<String> = Vec::with_capacity(blocks.len());
    let mut open_table: Option<String> = None;
    for block in blocks {
        let lower = block.to_ascii_lowercase();
        if let Some(mut t) = open_table.take() {
            t.push('\n');
            t.push_str(&block);
            if lower.contains("</table") {
                out.push(fragment_to_blocks(&t).body);
            } else {
                open_table = Some(t);
            }
            continue;
        }
        if block.trim_start().starts_with("```") || !HTML_TAG.is_match(&block) {
            out.push(block);
            continue;
        }
        if lower.contains("<table") && !lower.contains("</table") {
            open_table = Some(block);
            continue;
        }
        let html = if BLOCK_TAG.is_match(&block) {
            block
        } else {
            // Inline HTML only: the block's own line breaks still count.
            block.replace('\n', "<br>")
        };
        out.push(fragment_to_blocks(&html).body);
    }
    if let Some(t) = open_table {
        out.push(fragment_to_blocks(&t).body);
    }
    Cow::Owned(out.join("\n\n"))
}

/// Maps front-matter keys to the record; unknown keys pass through.
fn map_fields(article: &mut Article, fields: Vec<(String, String)>) {
    let mut extra = Map::new();
    for (key, value) in fields {
        if value.is_empty() {
            continue;
        }
        let slot = match key.to_ascii_lowercase().as_str() {
            "title" => &mut article.title,
            "url" | "link" | "original_url" | "source_url" | "permalink" => &mut article.url,
            "source" | "account" | "nickname" | "mp_name" | "site" | "site_name" => {
                &mut article.source
            }
            "author" | "authors" | "byline" => &mut article.author,
            "date" | "published" | "publish_time" | "pubdate" | "created" => &mut article.published,
            "fetch_date" | "fetched" | "fetched_at" | "crawled" | "retrieved" => {
                &mut article.fetched
            }
            _ => {
                extra.insert(key, Value::String(value));
                continue;
            }
        };
        if slot.is_none() {
            *slot = Some(value);
        }
    }
    article.extra = extra;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corpus_front_matter() {
        let text = "---\ntitle: 前沿 | 把握推动我国人工智能健康发展\nurl: https://mp.weixin.qq.com/s?__biz=MzA5&mid=1\nsource: 中国信息安全\ndate: 2025-02-11\nfetch_date: 2025-10-06T20:39:19.705914\n---\n\n# 前沿\n\n正文";
        let a = parse(text).unwrap();
        assert_eq!(
            a.title.as_deref(),
            Some("前沿 | 把握推动我国人工智能健康发展")
        );
        assert_eq!(a.source.as_deref(), Some("中国信息安全"));
        assert_eq!(a.published.as_deref(), Some("2025-02-11"));
        assert_eq!(a.fetched.as_deref(), Some("2025-10-06T20:39:19.705914"));
        assert_eq!(a.body, "\n# 前沿\n\n正文");
    }

    #[test]
    fn quoted_and_invalid_yaml_values() {
        let text = "---\ntitle: \"引号\\\"里\"\nsummary: 'it''s'\nauthor: [转] 某人: 说\n---\nbody";
        let a = parse(text).unwrap();
        assert_eq!(a.title.as_deref(), Some("引号\"里"));
        assert_eq!(a.author.as_deref(), Some("[转] 某人: 说"));
        assert_eq!(a.extra["summary"], "it's");
    }

    #[test]
    fn unterminated_front_matter_is_an_error() {
        let err = parse("---\ntitle: x\n\nbody without end\n").unwrap_err();
        assert!(err.to_string().contains("never closed"));
    }

    #[test]
    fn header_block_dialect() {
        let text = "标题：前沿 | 把握推动我国人工智能健康发展\n公众号：中国信息安全\n发布时间：2025-02-11\n作者：何哲\n原文链接：https://mp.weixin.qq.com/s/abc\n\n正文第一段。\n\n来源：人民论坛网";
        let a = parse(text).unwrap();
        assert_eq!(
            a.title.as_deref(),
            Some("前沿 | 把握推动我国人工智能健康发展")
        );
        assert_eq!(a.source.as_deref(), Some("中国信息安全"));
        assert_eq!(a.published.as_deref(), Some("2025-02-11"));
        assert_eq!(a.author.as_deref(), Some("何哲"));
        assert_eq!(a.url.as_deref(), Some("https://mp.weixin.qq.com/s/abc"));
        assert_eq!(a.body, "正文第一段。\n\n来源：人民论坛网");
        // A first block with a line that is not a field is body text.
        let a = parse("作者：何哲\n这是正文的第一句。\n\n第二段").unwrap();
        assert!(a.author.is_none());
        assert!(a.body.starts_with("作者：何哲"));
    }

    #[test]
    fn raw_html_in_markdown() {
        let text = "前言 **加粗**\n\n<table>\n<tr><th>团队</th><th>积分</th></tr>\n\n<tr><td>Synacktiv</td><td>53</td></tr>\n</table>\n\n<span style=\"color:red\">红字</span>一行<br>下一行\n第三行\n\n```\n<div>代码</div>\n```";
        let a = parse(text).unwrap();
        assert_eq!(
            a.body,
            "前言 **加粗**\n\n团队\t积分\n\nSynacktiv\t53\n\n红字一行\n下一行\n第三行\n\n```\n<div>代码</div>\n```"
        );
    }

    #[test]
    fn no_front_matter() {
        let a = parse("just text\n---\nmore").unwrap();
        assert!(a.title.is_none());
        assert_eq!(a.body, "just text\n---\nmore");
    }
}
