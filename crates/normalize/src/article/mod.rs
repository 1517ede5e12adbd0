//! What every format parser produces, and how it becomes a [`Doc`].

use scour_record::{Doc, Extra, Origin, RejectReason, Removal};

pub(crate) mod canonical;
pub(crate) mod date;
pub(crate) mod text;

use canonical::{canonical_url, doc_id};
use text::{normalize_body, normalize_field};

/// One document as a format parser found it, before normalization.
#[derive(Debug, Default)]
pub(crate) struct Article {
    /// The body as canonical markdown (images `![alt](src)`, links, emphasis).
    pub(crate) body: String,
    pub(crate) title: Option<String>,
    pub(crate) source: Option<String>,
    pub(crate) author: Option<String>,
    pub(crate) published: Option<String>,
    pub(crate) fetched: Option<String>,
    pub(crate) url: Option<String>,
    pub(crate) images: Vec<String>,
    /// Fields of the input that scour does not map, passed through.
    pub(crate) extra: Extra,
    /// Set when the parser recognized a page that holds no article.
    pub(crate) reject: Option<RejectReason>,
    /// The body is plain text (a clean record read back), not markdown.
    pub(crate) plain_text: bool,
    /// Blocks the parser left out of the body (a page's navigation, footer,
    /// comments…), each with its rule.
    pub(crate) removed: Vec<Removal>,
    /// The language the page declares (`<html lang>`), as written.
    pub(crate) declared_lang: Option<String>,
}

/// Normalizes an article's text and fields and builds its record.
pub(crate) fn finish(article: Article, mut origin: Origin) -> Doc {
    if origin.lang.is_none() {
        origin.lang = article.declared_lang;
    }
    let body = normalize_body(&article.body);
    let text_format = (!article.plain_text && !body.is_empty()).then(|| "markdown".to_owned());
    let url = article.url.as_deref().and_then(canonical_url);
    let id = doc_id(url.as_deref(), &origin.path, &discriminator(&origin), &body);
    let wechat = url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://mp.weixin.qq.com/"));
    let raw_published = article.published.as_deref().map(date::trim_date);
    let published = raw_published.and_then(|d| date::normalize_date(d, wechat));
    if published.is_none() {
        origin.published = raw_published.filter(|d| !d.is_empty()).map(str::to_owned);
    }
    Doc {
        id,
        text: body,
        text_format,
        title: article.title.as_deref().and_then(normalize_field),
        source: article.source.as_deref().and_then(normalize_field),
        author: article.author.as_deref().and_then(normalize_field),
        published,
        // The fetch time is kept as the dump wrote it when it cannot be read
        // (`Doc::fetched`): it says when the capture was made, not what.
        fetched: article.fetched.as_deref().and_then(|d| {
            let d = date::trim_date(d);
            date::normalize_date(d, false).or_else(|| (!d.is_empty()).then(|| d.to_owned()))
        }),
        url,
        images: article.images,
        origin,
        reject_reason: article.reject,
        removed: article.removed,
        extra: article.extra,
        ..Doc::default()
    }
}

/// What tells the records of one file apart in their ids: the line of a
/// JSONL record, the offset of a WARC record or feed item, nothing for a
/// file that is one document.
fn discriminator(origin: &Origin) -> String {
    origin
        .line
        .map(|l| format!("line {l}"))
        .or_else(|| origin.offset.map(|o| format!("offset {o}")))
        .unwrap_or_default()
}

/// Gives a record [`normalize`](crate::normalize) made the id it has when
/// its file is named `id_path` instead of its `origin.path`: the path
/// *relative to the input argument* (a file under a directory argument: its
/// path below that directory, components joined by `/`; a file argument: its
/// file name; stdin: `-`), so that a record's id does not depend on where
/// the input lives (issue 14). Only a record without a URL hashes a path;
/// one with a URL, and a reject without an id, are left as they are.
/// Call it on normalize's output, before strip: the id hashes the
/// normalized body, which strip changes.
pub fn set_id_path(doc: &mut Doc, id_path: &str) {
    if doc.url.is_some() || doc.id.is_empty() || doc.origin.path == id_path {
        return;
    }
    doc.id = doc_id(None, id_path, &discriminator(&doc.origin), &doc.text);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{normalize, Options};

    fn with_dates(published: &str, fetched: &str) -> Doc {
        let article = Article {
            body: "正文。".into(),
            published: Some(published.into()),
            fetched: Some(fetched.into()),
            url: Some("https://mp.weixin.qq.com/s?__biz=MzA=&mid=1&idx=1&sn=ab".into()),
            ..Article::default()
        };
        finish(article, Origin::default())
    }

    /// Issue 16: `published` is RFC 3339 or absent; a date that cannot be
    /// read (or does not exist) is kept, as written, in `origin.published`.
    #[test]
    fn an_unreadable_publish_date_goes_to_origin() {
        let d = with_dates(" 2025-02-31 ", "昨天");
        assert_eq!(d.published, None);
        assert_eq!(d.origin.published.as_deref(), Some("2025-02-31"));
        // The fetch time is kept as the dump wrote it (`Doc::fetched`).
        assert_eq!(d.fetched.as_deref(), Some("昨天"));

        let d = with_dates("2025-02-28 09:30", "2025-03-01T00:00:00Z");
        assert_eq!(d.published.as_deref(), Some("2025-02-28T09:30:00+08:00"));
        assert_eq!(d.origin.published, None);
        assert_eq!(d.fetched.as_deref(), Some("2025-03-01T00:00:00Z"));

        let d = with_dates("  ", "");
        assert_eq!(
            (d.published, d.origin.published, d.fetched),
            (None, None, None)
        );
    }

    #[test]
    fn id_path_replaces_the_path_in_ids_without_a_url() {
        let o = Options::default();
        let no_url = "---\ntitle: 题\n---\n\n正文，没有链接。\n".as_bytes();
        let mut far = normalize("/data/x/dumps/2024/a.md", no_url, &o).remove(0);
        let near = normalize("2024/a.md", no_url, &o).remove(0);
        assert_ne!(far.id, near.id);
        set_id_path(&mut far, "2024/a.md");
        assert_eq!(far.id, near.id);
        assert_eq!(
            far.origin.path, "/data/x/dumps/2024/a.md",
            "origin keeps the path"
        );
        // JSONL lines keep their line in the id.
        let lines = "{\"text\":\"一行\"}\n{\"text\":\"一行\"}\n".as_bytes();
        let mut docs = normalize("/abs/r.jsonl", lines, &o);
        for d in &mut docs {
            set_id_path(d, "r.jsonl");
        }
        let want = normalize("r.jsonl", lines, &o);
        assert_eq!(docs[0].id, want[0].id);
        assert_ne!(docs[0].id, docs[1].id);
        // A URL's id has no path in it.
        let url = "---\nurl: https://example.com/a\n---\n\n正文。\n".as_bytes();
        let mut d = normalize("/abs/a.md", url, &o).remove(0);
        let before = d.id.clone();
        set_id_path(&mut d, "a.md");
        assert_eq!(d.id, before);
    }
}
