//! RSS 2.0 and Atom feeds: one document per `<item>` or `<entry>`.
//!
//! `origin.offset` is the byte offset of the item's start tag in the decoded
//! feed text, which is the file's offset for UTF-8 feeds (nearly all of them).

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use scour_record::{Doc, Origin, RejectReason};

use crate::article::date::rfc2822_to_rfc3339;
use crate::article::{finish, Article};
use crate::decode::{decode, set_encoding, sniff_declared_charset};
use crate::html::{decode_entities, fragment_to_blocks, looks_like_html};
use crate::options::Options;

#[derive(Default)]
struct Item {
    offset: u64,
    title: Option<String>,
    link: Option<String>,
    date: Option<String>,
    author: Option<String>,
    description: Option<String>,
    content: Option<String>,
}

/// Reads every item of a feed.
pub(crate) fn parse(data: &[u8], origin: &Origin, opts: &Options) -> Vec<Doc> {
    let declared = sniff_declared_charset(data);
    let decls: Vec<(&str, &'static str)> = declared.iter().map(|d| (d.as_str(), "meta")).collect();
    let decoded = decode(data, &decls);
    let mut base = origin.clone();
    set_encoding(&mut base, &decoded);
    let text = &*decoded.text;

    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = false;
    let mut docs = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut buf = String::new();
    let mut item: Option<Item> = None;
    let mut channel_title: Option<String> = None;
    let mut atom = false;
    loop {
        let before = reader.buffer_position();
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                let mut o = base.clone();
                o.offset = Some(reader.error_position());
                docs.push(Doc::rejected_with(
                    o,
                    RejectReason::Parse,
                    format!("feed: {e} at offset {}", reader.error_position()),
                ));
                break;
            }
        };
        match event {
            Event::Start(e) => {
                let name = qname(&e);
                if name == "feed" {
                    atom = true;
                }
                if matches!(name.as_str(), "item" | "entry") {
                    item = Some(Item {
                        offset: before,
                        ..Item::default()
                    });
                }
                if name == "link" {
                    atom_link(&e, item.as_mut());
                }
                buf.clear();
                stack.push(name);
            }
            Event::Empty(e) if qname(&e) == "link" => atom_link(&e, item.as_mut()),
            Event::Text(t) => {
                let raw = String::from_utf8_lossy(&t);
                buf.push_str(&decode_entities(&raw));
            }
            Event::CData(c) => buf.push_str(&String::from_utf8_lossy(&c)),
            Event::End(_) => {
                let Some(name) = stack.pop() else { continue };
                let value = std::mem::take(&mut buf).trim().to_owned();
                let parent = stack.last().map(String::as_str);
                if let Some(it) = item.as_mut() {
                    let slot = match (name.as_str(), parent) {
                        ("title", Some("item" | "entry")) => Some(&mut it.title),
                        ("link", Some("item")) => Some(&mut it.link),
                        ("guid", Some("item")) if value.starts_with("http") => Some(&mut it.link),
                        ("pubdate" | "published" | "dc:date", _) => Some(&mut it.date),
                        ("updated", Some("entry")) => Some(&mut it.date),
                        ("author" | "dc:creator", Some("item")) => Some(&mut it.author),
                        ("name", Some("author")) => Some(&mut it.author),
                        ("description" | "summary", _) => Some(&mut it.description),
                        ("content:encoded" | "content", _) => Some(&mut it.content),
                        _ => None,
                    };
                    if let Some(slot) = slot {
                        if slot.is_none() && !value.is_empty() {
                            *slot = Some(value);
                        }
                    }
                    if matches!(name.as_str(), "item" | "entry") {
                        if let Some(done) = item.take() {
                            docs.push(item_doc(done, channel_title.as_deref(), &base, atom));
                        }
                    }
                } else if name == "title" && matches!(parent, Some("channel" | "feed")) {
                    channel_title = Some(feed_name(&value));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if docs.is_empty() {
        docs.push(Doc::rejected_with(
            base,
            RejectReason::Empty,
            "the feed holds no items",
        ));
    }
    let _ = opts;
    docs
}

/// The element's qualified name, lowercased (`content:encoded`, `dc:creator`).
fn qname(e: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(e.name().as_ref()).to_ascii_lowercase()
}

/// Atom's `<link rel="alternate" href="…"/>` (no `rel` means alternate).
fn atom_link(e: &BytesStart<'_>, item: Option<&mut Item>) {
    let Some(item) = item else { return };
    let mut href = None;
    let mut rel = None;
    for a in e.attributes().flatten() {
        let v = decode_entities(&String::from_utf8_lossy(&a.value)).into_owned();
        match a.key.as_ref() {
            b"href" => href = Some(v),
            b"rel" => rel = Some(v),
            _ => {}
        }
    }
    if let Some(h) = href {
        if item.link.is_none() && rel.as_deref().is_none_or(|r| r == "alternate") {
            item.link = Some(h);
        }
    }
}

/// A channel title minus the suffix a feed generator appended
/// (hellodword/wechat-feeds writes `资金集 | wechat-feeds`).
fn feed_name(title: &str) -> String {
    title
        .strip_suffix(" | wechat-feeds")
        .unwrap_or(title)
        .trim()
        .to_owned()
}

fn item_doc(item: Item, channel: Option<&str>, base: &Origin, atom: bool) -> Doc {
    let mut origin = base.clone();
    origin.offset = Some(item.offset);
    origin.format = if atom { "atom" } else { "rss" }.to_owned();
    let mut article = Article {
        title: item.title.map(|t| decode_entities(&t).into_owned()),
        url: item.link,
        author: item.author,
        source: channel.map(str::to_owned),
        published: item.date.map(|d| rfc2822_to_rfc3339(&d).unwrap_or(d)),
        ..Article::default()
    };
    let raw = item.content.or(item.description).unwrap_or_default();
    let (body, images) = if looks_like_html(&raw) {
        let c = fragment_to_blocks(&raw);
        (c.body, c.images)
    } else {
        (raw, Vec::new())
    };
    // Generators that have no body repeat the title as the content.
    let repeats_title = article
        .title
        .as_deref()
        .is_some_and(|t| t.trim() == body.trim());
    if !repeats_title {
        article.body = body;
        article.images = images;
    }
    finish(article, origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin() -> Origin {
        Origin {
            path: "feed.xml".into(),
            format: "rss".into(),
            ..Origin::default()
        }
    }

    /// Issue 16: `CST` in a feed is China time (`crate::article::date`),
    /// and a date that cannot be read stays in `origin`, not `published`.
    #[test]
    fn feed_dates_cst_and_unreadable() {
        let feed = r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>号</title><item><title>一</title><link>https://mp.weixin.qq.com/s/a</link><description>第一篇。</description><pubDate>Thu, 17 Jun 2021 07:49:38 CST</pubDate></item><item><title>二</title><link>https://mp.weixin.qq.com/s/b</link><description>第二篇。</description><pubDate>Thu, 31 Jun 2021 07:49:38 +0800</pubDate></item></channel></rss>"#;
        let docs = parse(feed.as_bytes(), &origin(), &Options::default());
        assert_eq!(
            docs[0].published.as_deref(),
            Some("2021-06-17T07:49:38+08:00")
        );
        assert_eq!(docs[1].published, None);
        assert_eq!(
            docs[1].origin.published.as_deref(),
            Some("Thu, 31 Jun 2021 07:49:38 +0800")
        );
    }

    #[test]
    fn rss_items() {
        let feed = r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>老端的密室 | wechat-feeds</title><item><title>谨防&#34;题材股，权重股&#34;的双杀！</title><link>https://mp.weixin.qq.com/s/PusnW_-bjVMRcSoBiCifPA</link><description></description><content:encoded><![CDATA[谨防"题材股，权重股"的双杀！]]></content:encoded><pubDate>Thu, 17 Jun 2021 07:49:38 +0800</pubDate></item><item><title>正文标题</title><link>http://mp.weixin.qq.com/s?__biz=MzA=&amp;mid=1&amp;idx=1&amp;sn=ab&amp;chksm=x</link><dc:creator>老端</dc:creator><description><![CDATA[<p>第一段。</p><p><img src="https://mmbiz.qpic.cn/a.png">第二段</p>]]></description></item></channel></rss>"#;
        let docs = parse(feed.as_bytes(), &origin(), &Options::default());
        assert_eq!(docs.len(), 2);
        let a = &docs[0];
        assert_eq!(a.title.as_deref(), Some("谨防\"题材股，权重股\"的双杀！"));
        assert_eq!(a.source.as_deref(), Some("老端的密室"));
        assert_eq!(
            a.url.as_deref(),
            Some("https://mp.weixin.qq.com/s/PusnW_-bjVMRcSoBiCifPA")
        );
        assert_eq!(a.published.as_deref(), Some("2021-06-17T07:49:38+08:00"));
        assert_eq!(a.text, "", "a title repeated as content is no body");
        assert_eq!(
            feed[a.origin.offset.unwrap() as usize..].get(..6),
            Some("<item>")
        );
        let b = &docs[1];
        assert_eq!(b.author.as_deref(), Some("老端"));
        assert_eq!(
            b.url.as_deref(),
            Some("https://mp.weixin.qq.com/s?__biz=MzA=&mid=1&idx=1&sn=ab")
        );
        assert_eq!(b.text, "第一段。\n\n![](https://mmbiz.qpic.cn/a.png)第二段");
        assert_eq!(b.images, ["https://mmbiz.qpic.cn/a.png"]);
    }

    #[test]
    fn atom_entries() {
        let feed = r#"<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>安全博客</title><entry><title>漏洞分析</title><link rel="alternate" href="https://example.com/p/1?utm_source=rss"/><published>2024-05-17T01:02:03Z</published><author><name>何哲</name></author><content type="html">&lt;p&gt;正文&amp;nbsp;内容&lt;/p&gt;</content></entry></feed>"#;
        let docs = parse(feed.as_bytes(), &origin(), &Options::default());
        assert_eq!(docs.len(), 1);
        let d = &docs[0];
        assert_eq!(d.origin.format, "atom");
        assert_eq!(d.source.as_deref(), Some("安全博客"));
        assert_eq!(d.author.as_deref(), Some("何哲"));
        assert_eq!(d.url.as_deref(), Some("https://example.com/p/1"));
        assert_eq!(d.published.as_deref(), Some("2024-05-17T01:02:03Z"));
        assert_eq!(d.text, "正文 内容");
    }

    #[test]
    fn broken_feed_keeps_items_read_so_far() {
        let feed = "<rss><channel><title>源</title><item><title>一</title><description>正文</description></item><item><title>二</title></chan";
        let docs = parse(feed.as_bytes(), &origin(), &Options::default());
        assert_eq!(docs[0].text, "正文");
        assert!(docs.iter().all(|d| d.reject_reason.is_none()
            || d.reject_message()
                .is_some_and(|r| r.starts_with("parse: feed"))));
    }
}
