//! A compact binary form of [`Doc`], for a stage's own temporary files.
//!
//! dedup holds every record until it has seen them all, in a temporary file
//! when they do not fit in memory; JSON there cost more than the matching
//! itself (parsing every record back, twice). This form is length-prefixed
//! fields in declaration order: writing it is a copy, reading it is a copy
//! and a UTF-8 check. Unknown fields (`extra`) are kept as their JSON text.
//!
//! It is not a storage or interchange format: it changes with any release
//! and is read only by the process that wrote it. Why not bincode or
//! postcard: `Doc`'s serde attributes (`flatten`, `skip_serializing_if`)
//! shape its JSON, and need a self-describing format to read back.

#[cfg(test)]
use crate::Family;
use crate::{Doc, DupKind, Error, Origin, RejectReason, Removal, Result};

impl Doc {
    /// Appends this record's binary form to `out` (see the module docs).
    pub fn encode(&self, out: &mut Vec<u8>) {
        // Every field, so that a new one cannot be forgotten here.
        let Doc {
            id,
            text,
            text_format,
            title,
            source,
            author,
            credits,
            reprinted_from,
            published,
            fetched,
            url,
            images,
            lang,
            origin,
            removed,
            duplicate_of,
            dup_kind,
            similarity,
            reject_reason,
            reject_detail,
            extra,
        } = self;
        put_str(out, id);
        put_str(out, text);
        put_opt_str(out, text_format.as_deref());
        put_opt_str(out, title.as_deref());
        put_opt_str(out, source.as_deref());
        put_opt_str(out, author.as_deref());
        put_strs(out, credits);
        put_opt_str(out, reprinted_from.as_deref());
        put_opt_str(out, published.as_deref());
        put_opt_str(out, fetched.as_deref());
        put_opt_str(out, url.as_deref());
        put_strs(out, images);
        put_opt_str(out, lang.as_deref());
        let Origin {
            path,
            line,
            offset,
            format,
            compression,
            encoding,
            encoding_source,
            invalid_bytes,
            lang: declared_lang,
            published: raw_published,
        } = origin;
        put_str(out, path);
        put_opt_u64(out, *line);
        put_opt_u64(out, *offset);
        put_str(out, format);
        put_opt_str(out, compression.as_deref());
        put_opt_str(out, encoding.as_deref());
        put_opt_str(out, encoding_source.as_deref());
        put_opt_u64(out, *invalid_bytes);
        put_opt_str(out, declared_lang.as_deref());
        put_opt_str(out, raw_published.as_deref());
        put_u64(out, removed.len() as u64);
        for Removal { family, rule, text } in removed {
            put_str(out, family.as_str());
            put_str(out, rule);
            put_str(out, text);
        }
        put_opt_str(out, duplicate_of.as_deref());
        out.push(match dup_kind {
            None => 0,
            Some(DupKind::Url) => 1,
            Some(DupKind::Exact) => 2,
            Some(DupKind::Near) => 3,
        });
        put_opt_u64(out, similarity.map(f64::to_bits));
        put_opt_str(out, reject_reason.map(RejectReason::as_str));
        put_opt_str(out, reject_detail.as_deref());
        if extra.is_empty() {
            out.push(0);
        } else {
            out.push(1);
            // Raw JSON texts always serialize (as they are).
            let json = serde_json::to_vec(extra).unwrap_or_default();
            put_bytes(out, &json);
        }
    }

    /// Reads a record written by [`Doc::encode`].
    ///
    /// # Errors
    /// [`Error::Corrupt`] when `bytes` are not exactly one encoded record.
    pub fn decode(bytes: &[u8]) -> Result<Doc> {
        let mut r = Reader { bytes, pos: 0 };
        let doc = Doc {
            id: r.string()?,
            text: r.string()?,
            text_format: r.opt_string()?,
            title: r.opt_string()?,
            source: r.opt_string()?,
            author: r.opt_string()?,
            credits: r.strings()?,
            reprinted_from: r.opt_string()?,
            published: r.opt_string()?,
            fetched: r.opt_string()?,
            url: r.opt_string()?,
            images: r.strings()?,
            lang: r.opt_string()?,
            origin: Origin {
                path: r.string()?,
                line: r.opt_u64()?,
                offset: r.opt_u64()?,
                format: r.string()?,
                compression: r.opt_string()?,
                encoding: r.opt_string()?,
                encoding_source: r.opt_string()?,
                invalid_bytes: r.opt_u64()?,
                lang: r.opt_string()?,
                published: r.opt_string()?,
            },
            removed: {
                let n = r.len()?;
                let mut v = Vec::with_capacity(n.min(r.left()));
                for _ in 0..n {
                    v.push(Removal {
                        family: r
                            .string()?
                            .parse()
                            .map_err(|_| Error::Corrupt("rule family"))?,
                        rule: r.string()?,
                        text: r.string()?,
                    });
                }
                v
            },
            duplicate_of: r.opt_string()?,
            dup_kind: match r.byte()? {
                0 => None,
                1 => Some(DupKind::Url),
                2 => Some(DupKind::Exact),
                3 => Some(DupKind::Near),
                _ => return Err(Error::Corrupt("duplicate kind")),
            },
            similarity: r.opt_u64()?.map(f64::from_bits),
            reject_reason: match r.opt_string()? {
                None => None,
                Some(w) => Some(w.parse().map_err(|_| Error::Corrupt("reject reason"))?),
            },
            reject_detail: r.opt_string()?,
            extra: match r.byte()? {
                0 => crate::Extra::new(),
                1 => serde_json::from_slice(r.bytes()?)
                    .map_err(|_| Error::Corrupt("unknown fields"))?,
                _ => return Err(Error::Corrupt("unknown fields")),
            },
        };
        if r.pos != bytes.len() {
            return Err(Error::Corrupt("bytes after the record"));
        }
        Ok(doc)
    }
}

fn put_u64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    put_u64(out, b.len() as u64);
    out.extend_from_slice(b);
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_bytes(out, s.as_bytes());
}

fn put_opt_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        None => out.push(0),
        Some(s) => {
            out.push(1);
            put_str(out, s);
        }
    }
}

fn put_opt_u64(out: &mut Vec<u8>, v: Option<u64>) {
    match v {
        None => out.push(0),
        Some(v) => {
            out.push(1);
            put_u64(out, v);
        }
    }
}

fn put_strs(out: &mut Vec<u8>, v: &[String]) {
    put_u64(out, v.len() as u64);
    for s in v {
        put_str(out, s);
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn left(&self) -> usize {
        self.bytes.len() - self.pos
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if n > self.left() {
            return Err(Error::Corrupt("truncated record"));
        }
        let b = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(b)
    }

    fn byte(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    fn u64(&mut self) -> Result<u64> {
        let b = self.take(8)?;
        let mut a = [0; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }

    fn len(&mut self) -> Result<usize> {
        usize::try_from(self.u64()?).map_err(|_| Error::Corrupt("length"))
    }

    fn bytes(&mut self) -> Result<&'a [u8]> {
        let n = self.len()?;
        self.take(n)
    }

    fn string(&mut self) -> Result<String> {
        let b = self.bytes()?;
        simdutf8::basic::from_utf8(b)
            .map(str::to_owned)
            .map_err(|_| Error::Corrupt("text is not UTF-8"))
    }

    fn opt_string(&mut self) -> Result<Option<String>> {
        match self.byte()? {
            0 => Ok(None),
            1 => self.string().map(Some),
            _ => Err(Error::Corrupt("optional text")),
        }
    }

    fn opt_u64(&mut self) -> Result<Option<u64>> {
        match self.byte()? {
            0 => Ok(None),
            1 => self.u64().map(Some),
            _ => Err(Error::Corrupt("optional number")),
        }
    }

    fn strings(&mut self) -> Result<Vec<String>> {
        let n = self.len()?;
        let mut v = Vec::with_capacity(n.min(self.left()));
        for _ in 0..n {
            v.push(self.string()?);
        }
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{json, Value};

    fn full() -> Doc {
        let mut extra = crate::Extra::new();
        extra.insert_value("zeta".into(), &json!({"n": [1, 2.5, null], "s": "文"}));
        extra.insert_value("alpha".into(), &Value::Bool(true));
        Doc {
            id: "abc".into(),
            text: "一\n\n二".into(),
            text_format: Some("markdown".into()),
            title: Some("标题".into()),
            source: Some("公众号".into()),
            author: Some("何哲".into()),
            credits: vec!["编辑：靖宇".into(), String::new()],
            reprinted_from: Some("人民论坛网".into()),
            published: Some("2024-09-04".into()),
            fetched: Some("2025-10-04T10:23:35Z".into()),
            url: Some("https://mp.weixin.qq.com/s?__biz=MzA=&mid=1".into()),
            images: vec!["https://a/b.png".into()],
            lang: Some("zh".into()),
            origin: Origin {
                path: "dump/a.md".into(),
                line: Some(3),
                offset: Some(0),
                format: "markdown".into(),
                compression: Some("gzip".into()),
                encoding: Some("GBK".into()),
                encoding_source: Some("meta".into()),
                invalid_bytes: Some(2),
                lang: Some("zh-CN".into()),
                published: Some("二〇二四年九月".into()),
            },
            removed: vec![Removal {
                family: Family::Chrome,
                rule: "wechat/x".into(),
                text: "分享".into(),
            }],
            duplicate_of: Some("def".into()),
            dup_kind: Some(DupKind::Near),
            similarity: Some(0.812_5),
            reject_reason: Some(RejectReason::Empty),
            reject_detail: Some("nothing left".into()),
            extra,
        }
    }

    fn roundtrip(doc: &Doc) -> Doc {
        let mut b = Vec::new();
        doc.encode(&mut b);
        Doc::decode(&b).unwrap()
    }

    #[test]
    fn every_field_roundtrips() {
        let doc = full();
        let back = roundtrip(&doc);
        assert_eq!(back, doc);
        // The same JSON, unknown fields in their order.
        assert_eq!(crate::to_jsonl_line(&back), crate::to_jsonl_line(&doc));
        assert_eq!(roundtrip(&Doc::default()), Doc::default());
    }

    #[test]
    fn damaged_bytes_are_errors_not_panics() {
        let mut b = Vec::new();
        full().encode(&mut b);
        for cut in 0..b.len() {
            assert!(Doc::decode(&b[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = b.clone();
        longer.push(0);
        assert!(Doc::decode(&longer).is_err());
        assert!(Doc::decode(&[0xff; 64]).is_err());
    }

    proptest! {
        #[test]
        fn any_record_roundtrips(
            text in ".*",
            title in proptest::option::of(".*"),
            images in proptest::collection::vec(".*", 0..3),
            line in proptest::option::of(any::<u64>()),
            similarity in proptest::option::of(any::<f64>().prop_filter("not NaN", |f| !f.is_nan())),
            removed in proptest::collection::vec((proptest::sample::select(Family::ALL.to_vec()), ".*", ".*"), 0..3),
        ) {
            let doc = Doc {
                text,
                title,
                images,
                origin: Origin { line, ..Origin::default() },
                similarity,
                removed: removed
                    .into_iter()
                    .map(|(family, rule, text)| Removal { family, rule, text })
                    .collect(),
                ..Doc::default()
            };
            prop_assert_eq!(roundtrip(&doc), doc);
        }
    }
}
