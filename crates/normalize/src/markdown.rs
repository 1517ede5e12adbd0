//! Markdown or plain text, with YAML front matter or without.
//!
//! The front matter is read by a lenient `key: value` parser, not a YAML
//! library: scrapers write titles such as `title: 关注 | 部分App: 形同虚设` or
//! `title: [转] …` that are invalid YAML, and a strict parser would reject the
//! whole article for a title it could have read.

use serde_json::{Map, Value};

use crate::article::Article;
use crate::error::{Error, Result};

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
                continue;
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
        None => text,
    };
    article.body = body.to_owned();
    Ok(article)
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
    fn no_front_matter() {
        let a = parse("just text\n---\nmore").unwrap();
        assert!(a.title.is_none());
        assert_eq!(a.body, "just text\n---\nmore");
    }
}
