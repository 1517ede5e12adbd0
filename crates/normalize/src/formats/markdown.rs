//! Markdown or plain text, with YAML front matter or without.
//!
//! The front matter is read by a lenient `key: value` parser, not a YAML
//! library: scrapers write titles such as `title: 关注 | 部分App: 形同虚设` or
//! `title: [转] …` that are invalid YAML, and a strict parser would reject the
//! whole article for a title it could have read.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

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
        None => match split_reader_header(text).or_else(|| split_header_block(text)) {
            Some((fields, body)) => {
                map_fields(&mut article, fields);
                body
            }
            None => text,
        },
    };
    if article.title.is_none() {
        // Without a title field, a heading that opens the body names the
        // article (html2text backups, authors' drafts, exporters that write
        // `# Title`); strip drops the heading as a repeat of the title.
        article.title = leading_heading(body);
    }
    let body = super::wrapped::unwrap(body);
    article.body = convert_raw_html(&body).into_owned();
    Ok(article)
}

/// What an archive file name says of its article, used where the file says
/// nothing: `[Account]-YYYY-M-D-Title.md` names the account, the day and the
/// title (archivers that save one file per post name them so).
pub(crate) fn fields_from_file_name(path: &str, article: &mut Article) {
    static NAME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\[([^\[\]]{1,60})\][-_ ]((?:19|20)\d\d)-(\d{1,2})-(\d{1,2})[-_ ](.+)$")
            .expect("static regex")
    });
    let base = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let stem = base
        .trim_end_matches(".gz")
        .trim_end_matches(".zst")
        .rsplit_once('.')
        .map_or(base, |(s, _)| s);
    let Some(c) = NAME.captures(stem) else {
        return;
    };
    let (month, day): (u32, u32) = (c[3].parse().unwrap_or(0), c[4].parse().unwrap_or(0));
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return;
    }
    if article.source.is_none() {
        article.source = Some(c[1].trim().to_owned());
    }
    if article.published.is_none() {
        article.published = Some(format!("{}-{month:02}-{day:02}", &c[2]));
    }
    if article.title.is_none() {
        article.title = Some(c[5].trim().to_owned());
    }
}

/// The text of a level-1 or level-2 ATX heading that is the body's first
/// non-blank line, if any.
fn leading_heading(body: &str) -> Option<String> {
    let first = body.lines().map(str::trim).find(|l| !l.is_empty())?;
    let rest = first
        .strip_prefix("# ")
        .or_else(|| first.strip_prefix("## "))?;
    let title = rest
        .trim()
        .trim_end_matches('#')
        .trim()
        .trim_matches(['*', '_'])
        .trim();
    (!title.is_empty() && title.chars().count() <= 200).then(|| title.to_owned())
}

/// The header a reader service writes before the page's markdown:
/// `Title: …`, `URL Source: …`, optionally `Published Time: …` and
/// `Warning: …`, then a line `Markdown Content:` after which the body starts.
/// Only with both the `URL Source:` line and the `Markdown Content:` line,
/// which no article body opens with.
fn split_reader_header(text: &str) -> Option<(Vec<(String, String)>, &str)> {
    const MARK: &str = "Markdown Content:";
    let head_end = text.find(MARK).filter(|&i| i < 4096)?;
    let head = &text[..head_end];
    if !head.lines().any(|l| l.starts_with("URL Source:")) {
        return None;
    }
    let mut fields = Vec::new();
    for line in head.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (k, v) = line.split_once(':')?;
        let key = match k.trim() {
            "Title" => "title",
            "URL Source" => "url",
            "Published Time" => "date",
            "Description" => "description",
            // The service's own notes on the capture are not the article's.
            "Warning" | "Number of Pages" => continue,
            _ => return None,
        };
        fields.push((key.to_owned(), v.trim().to_owned()));
    }
    let body = &text[head_end + MARK.len()..];
    Some((fields, body.strip_prefix('\n').unwrap_or(body)))
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

fn is_url(v: &str) -> bool {
    let v = v.trim();
    (v.starts_with("http://") || v.starts_with("https://")) && !v.contains(char::is_whitespace)
}

/// Names written as wiki links (`[[施思羽]]`, `[[a|b]]`) as plain names; list
/// items (joined by spaces by the front-matter reader) joined by `、`.
fn unlink(v: &str) -> String {
    if !v.contains("[[") {
        return v.trim().to_owned();
    }
    let mut names = Vec::new();
    let mut rest = v;
    while let Some(open) = rest.find("[[") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("]]") else { break };
        let inner = &after[..close];
        let name = inner.rsplit('|').next().unwrap_or(inner).trim();
        if !name.is_empty() {
            names.push(name.to_owned());
        }
        rest = &after[close + 2..];
    }
    names.join("、")
}

/// Maps front-matter keys to the record; unknown keys pass through.
fn map_fields(article: &mut Article, fields: Vec<(String, String)>) {
    let mut extra = scour_record::Extra::new();
    for (key, value) in fields {
        if value.is_empty() {
            continue;
        }
        let slot = match key.to_ascii_lowercase().as_str() {
            "title" => &mut article.title,
            "url" | "link" | "original_url" | "source_url" | "permalink" => &mut article.url,
            // Web clippers keep the page's address under `source`: a URL
            // there is the article's URL, not its account.
            "source" | "account" | "nickname" | "mp_name" | "site" | "site_name"
                if is_url(&value) =>
            {
                &mut article.url
            }
            "source" | "account" | "nickname" | "mp_name" | "site" | "site_name" => {
                &mut article.source
            }
            "author" | "authors" | "byline" => {
                let names = unlink(&value);
                if article.author.is_none() && !names.is_empty() {
                    article.author = Some(names);
                }
                continue;
            }
            "date" | "published" | "publish_time" | "pubdate" => &mut article.published,
            // A note's `created` is when the note was made: the capture.
            "fetch_date" | "fetched" | "fetched_at" | "crawled" | "retrieved" | "created"
            | "clipped" | "saved" => &mut article.fetched,
            _ => {
                extra.insert_value(key, &Value::String(value));
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
        assert_eq!(a.extra.value("summary").unwrap(), "it's");
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
    fn clipper_front_matter() {
        let text = "---\ntitle: \"标题\"\nsource: \"https://mp.weixin.qq.com/s/abc?mpshare=1\"\nauthor:\n  - \"[[施思羽]]\"\n  - \"[[王怡洁]]\"\npublished:\ncreated: 2026-05-20\n---\n正文";
        let a = parse(text).unwrap();
        assert_eq!(
            a.url.as_deref(),
            Some("https://mp.weixin.qq.com/s/abc?mpshare=1")
        );
        assert!(a.source.is_none());
        assert_eq!(a.author.as_deref(), Some("施思羽、王怡洁"));
        assert!(a.published.is_none());
        assert_eq!(a.fetched.as_deref(), Some("2026-05-20"));
    }

    #[test]
    fn title_from_a_leading_heading_only_without_a_title_field() {
        let a = parse("\n# 面对亲属的胡搅蛮缠\n\n正文第一段。").unwrap();
        assert_eq!(a.title.as_deref(), Some("面对亲属的胡搅蛮缠"));
        assert_eq!(a.body, "\n# 面对亲属的胡搅蛮缠\n\n正文第一段。");
        let a = parse("---\ntitle: 甲\n---\n# 乙\n\n正文").unwrap();
        assert_eq!(a.title.as_deref(), Some("甲"));
        // A heading further down is a section, not the title.
        assert!(parse("正文第一段。\n\n# 小节").unwrap().title.is_none());
        assert!(parse("#话题 不是标题").unwrap().title.is_none());
    }

    #[test]
    fn archive_file_names() {
        let mut a = Article::default();
        fields_from_file_name("dump/[数字生命卡兹克]-2026-6-2-AI用得好不好.md", &mut a);
        assert_eq!(a.source.as_deref(), Some("数字生命卡兹克"));
        assert_eq!(a.published.as_deref(), Some("2026-06-02"));
        assert_eq!(a.title.as_deref(), Some("AI用得好不好"));
        // The file's own fields win; other names say nothing.
        let mut a = Article {
            title: Some("文件里的标题".into()),
            ..Article::default()
        };
        fields_from_file_name("[号]-2026-13-2-题.md", &mut a);
        assert!(a.source.is_none());
        fields_from_file_name("2024年我最满意的购物.md", &mut a);
        assert!(a.source.is_none() && a.published.is_none());
        assert_eq!(a.title.as_deref(), Some("文件里的标题"));
    }

    #[test]
    fn reader_service_header() {
        let text = "Title: 某篇文章\n\nURL Source: https://mp.weixin.qq.com/s/X0P\n\nWarning: This page maybe requiring CAPTCHA\n\nMarkdown Content:\n正文第一段。\n\nTitle: 正文里的行";
        let a = parse(text).unwrap();
        assert_eq!(a.title.as_deref(), Some("某篇文章"));
        assert_eq!(a.url.as_deref(), Some("https://mp.weixin.qq.com/s/X0P"));
        assert_eq!(a.body, "正文第一段。\n\nTitle: 正文里的行");
        assert!(a.extra.is_empty());
        // Without the `URL Source:` line it is not a reader's header.
        let a = parse("Title: x\n\nMarkdown Content:\ny").unwrap();
        assert!(a.body.contains("Markdown Content:"));
    }

    #[test]
    fn no_front_matter() {
        let a = parse("just text\n---\nmore").unwrap();
        assert!(a.title.is_none());
        assert_eq!(a.body, "just text\n---\nmore");
    }
}
