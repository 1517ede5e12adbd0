//! What every format parser produces, and how it becomes a [`Doc`].

use scour_record::{Doc, Extra, Origin, RejectReason, Removal};

use crate::canonical::{canonical_url, doc_id};
use crate::date;
use crate::text::{normalize_body, normalize_field};

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
    let discriminator = origin
        .line
        .map(|l| format!("line {l}"))
        .or_else(|| origin.offset.map(|o| format!("offset {o}")))
        .unwrap_or_default();
    let id = doc_id(url.as_deref(), &origin.path, &discriminator, &body);
    let wechat = url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://mp.weixin.qq.com/"));
    Doc {
        id,
        text: body,
        text_format,
        title: article.title.as_deref().and_then(normalize_field),
        source: article.source.as_deref().and_then(normalize_field),
        author: article.author.as_deref().and_then(normalize_field),
        published: article
            .published
            .as_deref()
            .and_then(|d| date::normalize_date(d, wechat)),
        fetched: article
            .fetched
            .as_deref()
            .and_then(|d| date::normalize_date(d, false)),
        url,
        images: article.images,
        origin,
        reject_reason: article.reject,
        removed: article.removed,
        extra: article.extra,
        ..Doc::default()
    }
}
