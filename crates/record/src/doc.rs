use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::{Extra, Family, RejectReason};

/// One document: an article's clean body, its metadata, and how it got here.
///
/// Field order here is the field order on the wire. Optional fields that are
/// `None` and lists that are empty are not written. Fields of the input that
/// scour does not know are kept in [`Doc::extra`] and written last, byte for
/// byte as they came (read with serde_json's own deserializer: a string, a
/// slice or a `Value`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Doc {
    /// Stable identifier: a hash of the canonical URL when there is one, else of
    /// the input path relative to the input argument (not where the input
    /// lives), the line or offset, and the body. Same input, same id, on every
    /// machine, at every path and in Spark.
    #[serde(default)]
    pub id: String,
    /// The body. Blocks (paragraphs, headings, list items, table rows, captions)
    /// are separated by exactly one blank line; no trailing whitespace, no empty
    /// blocks. Between normalize and strip the blocks may still carry markdown
    /// (images, links, emphasis); after strip they are plain text unless the user
    /// asked for `--markdown`.
    #[serde(default)]
    pub text: String,
    /// `"markdown"` when `text` is markdown (the normalizer's output, or the
    /// strip stage's with `--markdown`); absent when it is plain text, as in
    /// clean records. The strip stage reads markdown syntax only when it is
    /// set, so stripping clean output never mistakes `_tmain` or `**` in plain
    /// text for markup.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_format: Option<String>,
    /// The article's title (front matter, `<title>`, `og:title`, `msg_title`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The publishing account or site (公众号 name, `nickname`, `og:site_name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The author named by the article's byline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Credit lines (`编辑：…`, `图片来源：…`), each as it appeared, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub credits: Vec<String>,
    /// Where the whole article was reprinted or translated from (a name or URL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reprinted_from: Option<String>,
    /// Publish time, RFC 3339 date (`2025-02-11`) or date-time with offset.
    /// A date that cannot be read is left out, its text kept in
    /// [`Origin::published`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// Fetch time, as the dump recorded it (RFC 3339 when it can be parsed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetched: Option<String>,
    /// Canonical URL (https; for WeChat articles only `__biz`, `mid`, `idx` and,
    /// when the capture had it, `sn`: see [`crate::WechatArticle`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// URLs of content images, in reading order; the body keeps their captions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<String>,
    /// Language of the body, ISO 639-1 (`zh`, `en`); absent when too short to tell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Where the document came from.
    #[serde(default, skip_serializing_if = "Origin::is_empty")]
    pub origin: Origin,
    /// What the cleaning removed, one entry per removed block, in body order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<Removal>,
    /// On a record set aside by dedup: the `id` of the record that was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
    /// On a record set aside by dedup: why it is a duplicate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dup_kind: Option<DupKind>,
    /// On a record set aside by dedup: estimated Jaccard similarity of the
    /// bodies' character 5-grams (1.0 for URL and exact duplicates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f64>,
    /// On a rejected record: why it is not an article, one word of the
    /// policy's list (see [`RejectReason`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reject_reason: Option<RejectReason>,
    /// On a rejected record, when there is more to say than the reason: what
    /// exactly went wrong (`line 3: expected value`, the size and the limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reject_detail: Option<String>,
    /// Input fields scour does not know, carried through unchanged (each
    /// value's JSON text as it came), in order.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Read by hand rather than derived: a derived `#[serde(flatten)]` catch-all
/// goes through serde's buffer, where a number has already lost its spelling
/// (`1E5` came out `1e+5`) and a [`serde_json::value::RawValue`] cannot be
/// read. Here each known field is read into its type and every other one as
/// its raw JSON text. A known field given twice takes its last value.
impl<'de> Deserialize<'de> for Doc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Doc, D::Error> {
        d.deserialize_map(DocVisitor)
    }
}

struct DocVisitor;

impl<'de> Visitor<'de> for DocVisitor {
    type Value = Doc;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a record (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Doc, A::Error> {
        let mut d = Doc::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "id" => d.id = map.next_value()?,
                "text" => d.text = map.next_value()?,
                "text_format" => d.text_format = map.next_value()?,
                "title" => d.title = map.next_value()?,
                "source" => d.source = map.next_value()?,
                "author" => d.author = map.next_value()?,
                "credits" => d.credits = map.next_value()?,
                "reprinted_from" => d.reprinted_from = map.next_value()?,
                "published" => d.published = map.next_value()?,
                "fetched" => d.fetched = map.next_value()?,
                "url" => d.url = map.next_value()?,
                "images" => d.images = map.next_value()?,
                "lang" => d.lang = map.next_value()?,
                "origin" => d.origin = map.next_value()?,
                "removed" => d.removed = map.next_value()?,
                "duplicate_of" => d.duplicate_of = map.next_value()?,
                "dup_kind" => d.dup_kind = map.next_value()?,
                "similarity" => d.similarity = map.next_value()?,
                "reject_reason" => d.reject_reason = map.next_value()?,
                "reject_detail" => d.reject_detail = map.next_value()?,
                _ => {
                    let raw = map.next_value()?;
                    d.extra.insert(key, raw);
                }
            }
        }
        Ok(d)
    }
}

/// Where a document came from, and how its bytes were read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// The input path as given on the command line (`-` for stdin).
    #[serde(default)]
    pub path: String,
    /// 1-based line of the record in a JSONL input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// Byte offset of the record in its (decompressed) container: a WARC record,
    /// an RSS item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    /// The container format: `markdown`, `text`, `html`, `json`, `jsonl`, `rss`,
    /// `atom`, `warc`, or `unknown`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub format: String,
    /// Compression around the container: `gzip` or `zstd`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compression: Option<String>,
    /// The character encoding the bytes were decoded from (WHATWG name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// How the encoding was chosen: `bom`, `http`, `meta`, `detected`, `utf-8`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding_source: Option<String>,
    /// Bytes that could not be decoded and became U+FFFD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid_bytes: Option<u64>,
    /// The language the page declares (`<html lang="de">`), as written; the
    /// record's `lang` is the one detected from the clean body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// The publish date as the dump wrote it, when it is not a date that
    /// exists in a spelling scour reads (`2025-02-31`, `3天前`): the record
    /// then has no `published`, which is always RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
}

impl Origin {
    /// Whether nothing is known of the origin (then it is not written).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Origin::default()
    }
}

/// One block the cleaning removed, and the rule that removed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removal {
    /// The rule family: `chrome`, `media`, `promo`, `truncation`, `boilerplate`,
    /// or `field` (moved into a record field rather than thrown away).
    pub family: Family,
    /// The rule's name within its pack, e.g. `wechat/tail-furniture`.
    pub rule: String,
    /// The removed block, as it stood in the body.
    pub text: String,
}

/// Why dedup set a record aside.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DupKind {
    /// Same canonical URL as the kept record.
    Url,
    /// Same normalized body.
    Exact,
    /// Body's 5-gram Jaccard similarity at or above the threshold.
    Near,
}

impl DupKind {
    /// The name used on the wire.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            DupKind::Url => "url",
            DupKind::Exact => "exact",
            DupKind::Near => "near",
        }
    }
}

impl Doc {
    /// The names of the record's own fields, in wire order (the fields of
    /// the input that scour does not know come after them). A reader of
    /// input records passes a field with one of these names through under
    /// another name, so that the output never holds a key twice.
    pub const FIELDS: [&'static str; 20] = [
        "id",
        "text",
        "text_format",
        "title",
        "source",
        "author",
        "credits",
        "reprinted_from",
        "published",
        "fetched",
        "url",
        "images",
        "lang",
        "origin",
        "removed",
        "duplicate_of",
        "dup_kind",
        "similarity",
        "reject_reason",
        "reject_detail",
    ];

    /// Records a removal in the audit list.
    pub fn record_removal(&mut self, family: Family, rule: &str, text: &str) {
        self.removed.push(Removal {
            family,
            rule: rule.to_owned(),
            text: text.to_owned(),
        });
    }

    /// Whether this record was rejected (it carries a reject reason).
    #[must_use]
    pub fn is_rejected(&self) -> bool {
        self.reject_reason.is_some()
    }

    /// A document that is not an article or could not be read: only its
    /// origin and the reason.
    #[must_use]
    pub fn rejected(origin: Origin, reason: RejectReason) -> Doc {
        Doc {
            origin,
            reject_reason: Some(reason),
            ..Doc::default()
        }
    }

    /// As [`Doc::rejected`], with what exactly went wrong.
    #[must_use]
    pub fn rejected_with(origin: Origin, reason: RejectReason, detail: impl Into<String>) -> Doc {
        Doc {
            reject_detail: Some(detail.into()),
            ..Doc::rejected(origin, reason)
        }
    }

    /// The reject reason with its detail, as messages show it
    /// (`parse: line 3: expected value`); `None` when not rejected.
    #[must_use]
    pub fn reject_message(&self) -> Option<String> {
        let reason = self.reject_reason?;
        Some(match &self.reject_detail {
            Some(d) => format!("{reason}: {d}"),
            None => reason.to_string(),
        })
    }

    /// Rejects this document (keeping what it holds), with an optional
    /// detail.
    pub fn reject(&mut self, reason: RejectReason, detail: Option<String>) {
        self.reject_reason = Some(reason);
        self.reject_detail = detail;
    }

    /// Iterates the body's blocks (separated by blank lines).
    pub fn blocks(&self) -> impl Iterator<Item = &str> {
        crate::split_blank_lines(&self.text)
            .map(|b| b.trim_matches('\n'))
            .filter(|b| !b.trim().is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_split_on_blank_lines() {
        let doc = Doc {
            text: "第一段\n第二行\n\n第二段\n\n\n第三段".into(),
            ..Doc::default()
        };
        let blocks: Vec<_> = doc.blocks().collect();
        assert_eq!(blocks, ["第一段\n第二行", "第二段", "第三段"]);
    }

    #[test]
    fn fields_are_the_wire_order() {
        let doc = Doc {
            id: "i".into(),
            text: "t".into(),
            text_format: Some("markdown".into()),
            title: Some("t".into()),
            source: Some("s".into()),
            author: Some("a".into()),
            credits: vec!["c".into()],
            reprinted_from: Some("r".into()),
            published: Some("2025-01-01".into()),
            fetched: Some("2025-01-02".into()),
            url: Some("https://a.b/".into()),
            images: vec!["https://a.b/i.png".into()],
            lang: Some("zh".into()),
            origin: Origin {
                path: "p".into(),
                ..Origin::default()
            },
            removed: vec![Removal {
                family: Family::Chrome,
                rule: String::new(),
                text: String::new(),
            }],
            duplicate_of: Some("d".into()),
            dup_kind: Some(DupKind::Near),
            similarity: Some(0.9),
            reject_reason: Some(RejectReason::Empty),
            reject_detail: Some("x".into()),
            extra: Extra::new(),
        };
        let serde_json::Value::Object(map) = serde_json::to_value(&doc).unwrap() else {
            panic!("a record is an object");
        };
        let keys: Vec<&str> = map.keys().map(String::as_str).collect();
        assert_eq!(keys, Doc::FIELDS);
    }

    #[test]
    fn rejected_keeps_origin() {
        let origin = Origin {
            path: "dump/a.md".into(),
            ..Origin::default()
        };
        let doc = Doc::rejected_with(origin.clone(), RejectReason::Empty, "no text");
        assert!(doc.is_rejected());
        assert_eq!(doc.origin, origin);
        let line = serde_json::to_string(&doc).unwrap();
        assert_eq!(
            line,
            r#"{"id":"","text":"","origin":{"path":"dump/a.md"},"reject_reason":"empty","reject_detail":"no text"}"#
        );
        assert_eq!(serde_json::from_str::<Doc>(&line).unwrap(), doc);
    }
}
