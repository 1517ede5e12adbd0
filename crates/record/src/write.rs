//! A record's JSON line, written by hand: the same bytes as serde_json's
//! serializer of [`Doc`] (the derive stays the reference, and the tests hold
//! this writer to it), with a faster string escape.
//!
//! Why by hand: serde_json escapes a string a byte at a time through a
//! table, and a run's output is mostly long strings (bodies and removed
//! blocks, 190 MB for the 60k bench captures), which made the escape 4 % of
//! `scour run`'s instructions. No well-kept crate writes serde_json's exact
//! bytes faster for a serde type; sonic-rs and simd-json serialize with
//! their own formatting rules. Here a string is scanned eight bytes at a
//! time for the bytes JSON must escape (below 0x20, `"` and `\`) and copied
//! in runs between them. Every value that is not a string (numbers, enums,
//! the passthrough fields' raw JSON) still goes through serde_json.

use crate::{Doc, Origin, Removal};

/// `doc` as one JSON object, as `serde_json::to_string(doc)` writes it.
/// A field added to [`Doc`] or [`Origin`] must be added here too: the test
/// `every_field_is_written_as_serde_json_writes_it` names every field, so it
/// stops compiling until it is.
pub(crate) fn doc_json(doc: &Doc, out: &mut String) {
    let mut w = Object::new(out);
    w.string("id", &doc.id);
    w.string("text", &doc.text);
    w.opt("text_format", doc.text_format.as_deref());
    w.opt("title", doc.title.as_deref());
    w.opt("source", doc.source.as_deref());
    w.opt("author", doc.author.as_deref());
    w.strings("credits", &doc.credits);
    w.opt("reprinted_from", doc.reprinted_from.as_deref());
    w.opt("published", doc.published.as_deref());
    w.opt("fetched", doc.fetched.as_deref());
    w.opt("url", doc.url.as_deref());
    w.strings("images", &doc.images);
    w.opt("lang", doc.lang.as_deref());
    if !doc.origin.is_empty() {
        w.key("origin");
        origin_json(&doc.origin, w.out);
    }
    if !doc.removed.is_empty() {
        w.key("removed");
        w.out.push('[');
        for (k, r) in doc.removed.iter().enumerate() {
            if k > 0 {
                w.out.push(',');
            }
            removal_json(r, w.out);
        }
        w.out.push(']');
    }
    w.opt("duplicate_of", doc.duplicate_of.as_deref());
    if let Some(kind) = doc.dup_kind {
        w.key("dup_kind");
        escaped(kind.as_str(), w.out);
    }
    if let Some(s) = doc.similarity {
        w.serde("similarity", &s);
    }
    if let Some(reason) = doc.reject_reason {
        w.key("reject_reason");
        escaped(reason.as_str(), w.out);
    }
    w.opt("reject_detail", doc.reject_detail.as_deref());
    for (k, v) in doc.extra.iter() {
        w.key(k);
        w.out.push_str(v.get());
    }
    w.end();
}

fn origin_json(o: &Origin, out: &mut String) {
    let mut w = Object::new(out);
    w.string("path", &o.path);
    if let Some(n) = o.line {
        w.serde("line", &n);
    }
    if let Some(n) = o.offset {
        w.serde("offset", &n);
    }
    if !o.format.is_empty() {
        w.string("format", &o.format);
    }
    w.opt("compression", o.compression.as_deref());
    w.opt("encoding", o.encoding.as_deref());
    w.opt("encoding_source", o.encoding_source.as_deref());
    if let Some(n) = o.invalid_bytes {
        w.serde("invalid_bytes", &n);
    }
    w.opt("lang", o.lang.as_deref());
    w.opt("published", o.published.as_deref());
    w.end();
}

fn removal_json(r: &Removal, out: &mut String) {
    let mut w = Object::new(out);
    w.key("family");
    escaped(r.family.as_str(), w.out);
    w.string("rule", &r.rule);
    w.string("text", &r.text);
    w.end();
}

/// A JSON object being written: `{`, then `"key":value` pairs with commas.
struct Object<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Object<'a> {
    fn new(out: &'a mut String) -> Object<'a> {
        out.push('{');
        Object { out, first: true }
    }

    fn key(&mut self, key: &str) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        escaped(key, self.out);
        self.out.push(':');
    }

    fn string(&mut self, key: &str, value: &str) {
        self.key(key);
        escaped(value, self.out);
    }

    fn opt(&mut self, key: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.string(key, v);
        }
    }

    fn strings(&mut self, key: &str, values: &[String]) {
        if values.is_empty() {
            return;
        }
        self.key(key);
        self.out.push('[');
        for (k, v) in values.iter().enumerate() {
            if k > 0 {
                self.out.push(',');
            }
            escaped(v, self.out);
        }
        self.out.push(']');
    }

    /// A value that is not a string, as serde_json writes it.
    fn serde<T: serde::Serialize>(&mut self, key: &str, value: &T) {
        self.key(key);
        // Numbers and enums of names always serialize.
        if let Ok(s) = serde_json::to_string(value) {
            self.out.push_str(&s);
        }
    }

    fn end(self) {
        self.out.push('}');
    }
}

/// The bytes of `word` that are below 0x20, `"` or `\\`, as their high
/// bits (the classic "has a byte less than n" and "has a zero byte" tests:
/// exact for whether there is one, the only use made of it).
fn escape_bits(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word;
    let eq = |b: u8| {
        let x = word ^ (ONES * u64::from(b));
        x.wrapping_sub(ONES) & !x
    };
    (below_space | eq(b'"') | eq(b'\\')) & HIGH
}

/// Whether a byte of `word` needs escaping.
fn needs_escape(word: u64) -> bool {
    escape_bits(word) != 0
}

/// The eight bytes of `b` from `at`, little-endian.
fn word_at(b: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(w)
}

/// `s` as a JSON string, quotes included, escaped as serde_json escapes:
/// `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, and `\u00xx` (lowercase hex)
/// for the other control characters; nothing else.
fn escaped(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let b = s.as_bytes();
    out.reserve(b.len() + 2);
    out.push('"');
    // `s[run..i]` is copied when an escape or the end comes.
    let mut run = 0;
    let mut i = 0;
    while i < b.len() {
        // Skip what needs no escape, 32 bytes and then 8 at a time.
        while i + 32 <= b.len()
            && escape_bits(word_at(b, i))
                | escape_bits(word_at(b, i + 8))
                | escape_bits(word_at(b, i + 16))
                | escape_bits(word_at(b, i + 24))
                == 0
        {
            i += 32;
        }
        while i + 8 <= b.len() && !needs_escape(word_at(b, i)) {
            i += 8;
        }
        // A byte at a time through the word that holds an escape (or the
        // last few bytes).
        let end = (i + 8).min(b.len());
        while i < end {
            let c = b[i];
            let esc: Option<&str> = match c {
                b'"' => Some("\\\""),
                b'\\' => Some("\\\\"),
                b'\n' => Some("\\n"),
                b'\r' => Some("\\r"),
                b'\t' => Some("\\t"),
                0x08 => Some("\\b"),
                0x0C => Some("\\f"),
                0x00..=0x1F => None,
                _ => {
                    i += 1;
                    continue;
                }
            };
            // The bytes before an ASCII byte end whole characters.
            out.push_str(&s[run..i]);
            if let Some(e) = esc {
                out.push_str(e);
            } else {
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(c >> 4)]));
                out.push(char::from(HEX[usize::from(c & 0xF)]));
            }
            i += 1;
            run = i;
        }
    }
    out.push_str(&s[run..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DupKind, Extra, Family, RejectReason};
    use proptest::prelude::*;

    fn reference(s: &str) -> String {
        serde_json::to_string(s).unwrap()
    }

    #[test]
    fn strings_escape_as_serde_json_escapes_them() {
        let mut all = String::new();
        for c in (0u32..0x80).filter_map(char::from_u32) {
            all.push(c);
        }
        for s in [
            "",
            "a",
            "\"",
            "\\",
            "正文\n第二行\t“引号”",
            "\u{7f}\u{0}\u{1f}\u{8}\u{c}",
            "12345678\"12345678",
            "1234567\n",
            "é😀\u{2028}",
            &all,
        ] {
            let mut ours = String::new();
            escaped(s, &mut ours);
            assert_eq!(ours, reference(s), "{s:?}");
        }
        // An escape at every place of a long string, past the 32- and
        // 8-byte steps.
        for at in 0..100 {
            for c in ['"', '\n', '\u{1}', '中'] {
                let mut s: String = "正文abc".repeat(12);
                s.truncate(
                    s.char_indices()
                        .take_while(|&(k, _)| k <= at)
                        .last()
                        .map_or(0, |(k, _)| k),
                );
                s.push(c);
                s.push_str(&"xyz".repeat(20));
                let mut ours = String::new();
                escaped(&s, &mut ours);
                assert_eq!(ours, reference(&s), "{s:?}");
            }
        }
    }

    #[test]
    fn a_word_needs_escaping_exactly_when_a_byte_does() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut word = [b'a'; 8];
                word[at] = b;
                let want = b < 0x20 || b == b'"' || b == b'\\';
                assert_eq!(
                    needs_escape(u64::from_le_bytes(word)),
                    want,
                    "{b:#x} at {at}"
                );
            }
        }
    }

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![any::<String>(), "[a\"\\\\\n\t\u{1}\u{7f}中文é ]{0,40}",]
    }

    fn opt_text() -> impl Strategy<Value = Option<String>> {
        proptest::option::of(text())
    }

    prop_compose! {
        fn doc()(
            id in text(), body in text(), title in opt_text(), author in opt_text(),
            credits in proptest::collection::vec(text(), 0..3),
            url in opt_text(), lang in opt_text(),
            path in text(), line in proptest::option::of(any::<u64>()),
            format in text(), encoding in opt_text(),
            removed in proptest::collection::vec((text(), text()), 0..3),
            similarity in proptest::option::of(0.0f64..1.0),
            dup in any::<bool>(), rejected in any::<bool>(), detail in opt_text(),
            extra in proptest::collection::vec(("[a-z_\"]{1,8}", any::<i64>()), 0..3),
        ) -> Doc {
            let mut x = Extra::new();
            for (k, v) in extra {
                x.insert_value(k, &serde_json::json!({ "n": v, "s": "x\"y" }));
            }
            Doc {
                id, text: body, title, author, credits, url, lang,
                origin: Origin { path, line, format, encoding, ..Origin::default() },
                removed: removed
                    .into_iter()
                    .map(|(rule, text)| Removal { family: Family::Promo, rule, text })
                    .collect(),
                similarity,
                dup_kind: dup.then_some(DupKind::Near),
                reject_reason: rejected.then_some(RejectReason::Empty),
                reject_detail: detail,
                extra: x,
                ..Doc::default()
            }
        }
    }

    proptest! {
        #[test]
        fn a_record_is_written_as_serde_json_writes_it(d in doc()) {
            let mut ours = String::new();
            doc_json(&d, &mut ours);
            prop_assert_eq!(ours, serde_json::to_string(&d).unwrap());
        }
    }

    #[test]
    fn every_family_and_reason_is_written_as_serde_json_writes_it() {
        for family in Family::ALL {
            let d = Doc {
                removed: vec![Removal {
                    family,
                    rule: "r".into(),
                    text: "t".into(),
                }],
                ..Doc::default()
            };
            let mut ours = String::new();
            doc_json(&d, &mut ours);
            assert_eq!(ours, serde_json::to_string(&d).unwrap());
        }
        for reason in RejectReason::ALL {
            let d = Doc {
                reject_reason: Some(reason),
                ..Doc::default()
            };
            let mut ours = String::new();
            doc_json(&d, &mut ours);
            assert_eq!(ours, serde_json::to_string(&d).unwrap());
        }
    }

    #[test]
    fn every_field_is_written_as_serde_json_writes_it() {
        let d = Doc {
            id: "i".into(),
            text: "t".into(),
            text_format: Some("markdown".into()),
            title: Some("标题".into()),
            source: Some("s".into()),
            author: Some("a".into()),
            credits: vec!["编辑：王".into()],
            reprinted_from: Some("r".into()),
            published: Some("2025-01-01".into()),
            fetched: Some("2025-01-02T00:00:00Z".into()),
            url: Some("https://x/".into()),
            images: vec!["https://x/a.png".into()],
            lang: Some("zh".into()),
            origin: Origin {
                path: "p".into(),
                line: Some(3),
                offset: Some(9),
                format: "jsonl".into(),
                compression: Some("gzip".into()),
                encoding: Some("UTF-8".into()),
                encoding_source: Some("bom".into()),
                invalid_bytes: Some(2),
                lang: Some("de".into()),
                published: Some("3天前".into()),
            },
            removed: vec![Removal {
                family: Family::Chrome,
                rule: "wechat/ui-label".into(),
                text: "赞".into(),
            }],
            duplicate_of: Some("k".into()),
            dup_kind: Some(DupKind::Exact),
            similarity: Some(1.0),
            reject_reason: Some(RejectReason::Listing),
            reject_detail: Some("d".into()),
            extra: Extra::new(),
        };
        let mut ours = String::new();
        doc_json(&d, &mut ours);
        assert_eq!(ours, serde_json::to_string(&d).unwrap());
        let mut empty = String::new();
        doc_json(&Doc::default(), &mut empty);
        assert_eq!(empty, serde_json::to_string(&Doc::default()).unwrap());
    }
}
