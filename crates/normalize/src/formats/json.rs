//! JSON and JSONL records: one object, one document.
//!
//! The body is the first non-empty field of [`Options::text_fields`]; when it
//! holds HTML it goes through the block converter, otherwise it is taken as
//! markdown or text. Known metadata fields are mapped to the record, every
//! other field is passed through unchanged.
//!
//! Where a document sits in its file:
//! - JSONL: `origin.line`, the 1-based line.
//! - A JSON array of objects: `origin.offset`, the byte offset of the element
//!   in the (decompressed) file, like a WARC record's.
//! - A JSON object wrapping a list of articles (`{"data": [...]}`): no
//!   position (the list is not at the top level).

use std::collections::HashMap;
use std::fmt;

use scour_record::{Doc, Origin, RejectReason};
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::article::date::unix_to_cst;
use crate::article::{finish, Article};
use crate::error::Error;
use crate::html::{fragment_to_blocks, looks_like_html};
use crate::options::Options;

fn set_utf8(origin: &mut Origin) {
    origin.encoding = Some("UTF-8".to_owned());
    origin.encoding_source = Some("utf-8".to_owned());
}

/// One document per line; a bad line is a reject and the others still count.
pub(crate) fn parse_jsonl(data: &[u8], origin: &Origin, opts: &Options) -> Vec<Doc> {
    let data = data.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(data);
    let mut docs = Vec::new();
    parse_jsonl_lines(data, 1, origin, opts, &mut docs);
    if docs.is_empty() {
        docs.push(no_records(origin));
    }
    docs
}

/// The records of some whole lines of the JSONL file `path` (`data`, lines
/// separated by `\n`), the first of them its line `first_line` (1-based):
/// what [`normalize`](crate::normalize) gives for those lines of the whole
/// file, so that a big JSONL file can be read in pieces by others (Spark's
/// splittable text source hands out its lines with their numbers). A blank
/// line gives nothing; a byte order mark is skipped on line 1.
#[must_use]
pub fn normalize_jsonl_lines(path: &str, data: &[u8], first_line: u64, opts: &Options) -> Vec<Doc> {
    let data = if first_line == 1 {
        data.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(data)
    } else {
        data
    };
    let origin = Origin {
        path: path.to_owned(),
        format: "jsonl".to_owned(),
        ..Origin::default()
    };
    let mut docs = Vec::new();
    parse_jsonl_lines(data, first_line, &origin, opts, &mut docs);
    docs
}

/// The records of rows of a columnar file (Parquet: `scour_arrow::ParquetRows`
/// gives them so) written as JSONL lines, one a row, the first of them its
/// row `first_row` (1-based, as a JSONL file's lines): each read as the same
/// fields on a JSONL line are (the body from the first of
/// [`Options::text_fields`] present, HTML to markdown, a canonical URL, an
/// id from it or from the path, the row's number and the body), but with
/// `origin.format` `format`. A row is no different from a JSONL record, so
/// the same fields give the same record whichever file holds them.
#[must_use]
pub fn normalize_rows(
    path: &str,
    jsonl: &[u8],
    first_row: u64,
    format: &str,
    opts: &Options,
) -> Vec<Doc> {
    let mut docs = normalize_jsonl_lines(path, jsonl, first_row, opts);
    for d in &mut docs {
        format.clone_into(&mut d.origin.format);
    }
    docs
}

/// The records of a whole columnar file (Parquet) read a part at a time,
/// each part its first row's number (1-based) and its rows as JSONL lines
/// (`scour_arrow::ParquetRows` gives them so), each row read by
/// [`normalize_rows`]; the ids of rows without a URL hash `id_path`, the
/// file's path relative to its input argument (see
/// [`set_id_path`](crate::set_id_path)). A part that cannot be read ends the
/// file with a `parse` reject; the rows before it stay.
pub fn normalize_row_file<E: fmt::Display>(
    path: &str,
    id_path: &str,
    parts: impl IntoIterator<Item = std::result::Result<(u64, Vec<u8>), E>>,
    format: &str,
    opts: &Options,
) -> Vec<Doc> {
    let mut docs = Vec::new();
    for part in parts {
        match part {
            Ok((first_row, jsonl)) => {
                docs.extend(normalize_rows(path, &jsonl, first_row, format, opts));
            }
            Err(e) => {
                let origin = Origin {
                    path: path.to_owned(),
                    format: format.to_owned(),
                    ..Origin::default()
                };
                docs.push(Doc::rejected_with(
                    origin,
                    RejectReason::Parse,
                    e.to_string(),
                ));
                break;
            }
        }
    }
    for d in &mut docs {
        crate::set_id_path(d, id_path);
    }
    docs
}

/// The reject of a JSONL file with no record in it.
pub(crate) fn no_records(origin: &Origin) -> Doc {
    let mut o = origin.clone();
    set_utf8(&mut o);
    Doc::rejected_with(o, RejectReason::Empty, "the file holds no records")
}

/// The documents of whole JSONL lines, the first of them line `first_line`
/// of its file: a part of a file read a part at a time, or all of it.
pub(crate) fn parse_jsonl_lines(
    data: &[u8],
    first_line: u64,
    origin: &Origin,
    opts: &Options,
    docs: &mut Vec<Doc>,
) {
    for (i, raw) in data.split(|b| *b == b'\n').enumerate() {
        let line_no = i as u64 + first_line;
        let line = raw.trim_ascii();
        if line.is_empty() {
            continue;
        }
        let mut o = origin.clone();
        o.line = Some(line_no);
        set_utf8(&mut o);
        if line.len() > opts.max_doc_bytes {
            let e = Error::TooLarge {
                size: line.len(),
                limit: opts.max_doc_bytes,
            };
            docs.push(e.reject(o));
            continue;
        }
        // As the JSONL reader does: simdutf8, the standard check for where
        // a bad line goes wrong.
        let text = match simdutf8::basic::from_utf8(line).or_else(|_| std::str::from_utf8(line)) {
            Ok(t) => t,
            Err(e) => {
                let detail = format!("line {line_no}: invalid UTF-8 at byte {}", e.valid_up_to());
                docs.push(Doc::rejected_with(o, RejectReason::Parse, detail));
                continue;
            }
        };
        // An object is read as its fields' texts (passthrough keeps them
        // byte for byte), anything else as a value to name its kind.
        let parsed = if text.starts_with('{') {
            serde_json::from_str::<RawObject<'_>>(text).map(Ok)
        } else {
            serde_json::from_str::<Value>(text).map(Err)
        };
        match parsed {
            Ok(Ok(fields)) => docs.push(record_doc(&fields, o, opts)),
            Ok(Err(other)) => docs.push(Doc::rejected_with(
                o,
                RejectReason::Parse,
                format!(
                    "line {line_no}: expected a JSON object, found {}",
                    kind(&other)
                ),
            )),
            Err(e) => docs.push(Doc::rejected_with(
                o,
                RejectReason::Parse,
                format!("line {line_no}: {e}"),
            )),
        }
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A JSON document: an object (one article, or a wrapper around a list of
/// them, or a listing), or an array of objects.
pub(crate) fn parse_json(data: &[u8], origin: &Origin, opts: &Options) -> Vec<Doc> {
    let mut o = origin.clone();
    set_utf8(&mut o);
    let data = data.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(data);
    if data.len() > opts.max_doc_bytes.saturating_mul(4) {
        let e = Error::TooLarge {
            size: data.len(),
            limit: opts.max_doc_bytes.saturating_mul(4),
        };
        return vec![e.reject(o)];
    }
    // Read twice: as values, to tell what the file holds, and as the texts
    // of its records' fields, which pass through byte for byte.
    let (value, raw) = match serde_json::from_slice::<Value>(data)
        .and_then(|v| Ok((v, serde_json::from_slice::<&RawValue>(data)?)))
    {
        Ok(v) => v,
        Err(e) => return vec![Doc::rejected_with(o, RejectReason::Parse, format!("{e}"))],
    };
    match value {
        Value::Array(items) => {
            let offsets = element_offsets(data);
            let raws: Vec<&RawValue> = serde_json::from_str(raw.get()).unwrap_or_default();
            let mut docs = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                let mut oi = o.clone();
                oi.offset = offsets.as_ref().and_then(|v| v.get(i).copied());
                match item {
                    Value::Object(_) => {
                        let fields = raws.get(i).map_or(RawObject(Vec::new()), |r| raw_object(r));
                        docs.push(record_doc(&fields, oi, opts));
                    }
                    other => docs.push(Doc::rejected_with(
                        oi,
                        RejectReason::Parse,
                        format!(
                            "element {}: expected a JSON object, found {}",
                            i + 1,
                            kind(&other)
                        ),
                    )),
                }
            }
            if docs.is_empty() {
                docs.push(Doc::rejected_with(
                    o,
                    RejectReason::Empty,
                    "the file holds no records",
                ));
            }
            docs
        }
        Value::Object(map) => {
            let fields = raw_object(raw);
            if has_body(&map, opts) {
                return vec![record_doc(&fields, o, opts)];
            }
            if let Some(key) = article_list(&map, opts) {
                let list = fields.get(key).map_or("[]", RawValue::get);
                let items: Vec<&RawValue> = serde_json::from_str(list).unwrap_or_default();
                return items
                    .into_iter()
                    .map(|item| record_doc(&raw_object(item), o.clone(), opts))
                    .collect();
            }
            if is_listing(&map, opts) {
                let mut article = Article {
                    reject: Some(RejectReason::Listing),
                    ..Article::default()
                };
                article.title = string_field(&map, &opts.title_fields);
                return vec![finish(article, o)];
            }
            vec![record_doc(&fields, o, opts)]
        }
        other => vec![Doc::rejected_with(
            o,
            RejectReason::Parse,
            format!("expected a JSON object or array, found {}", kind(&other)),
        )],
    }
}

/// Byte offsets of the elements of a top-level JSON array.
fn element_offsets(data: &[u8]) -> Option<Vec<u64>> {
    let mut pos = data.iter().position(|b| !b.is_ascii_whitespace())?;
    if data.get(pos) != Some(&b'[') {
        return None;
    }
    pos += 1;
    let mut offsets = Vec::new();
    loop {
        while data
            .get(pos)
            .is_some_and(|b| b.is_ascii_whitespace() || *b == b',')
        {
            pos += 1;
        }
        match data.get(pos) {
            None => return None,
            Some(b']') => return Some(offsets),
            Some(_) => {}
        }
        let mut stream = serde_json::Deserializer::from_slice(&data[pos..]).into_iter::<Value>();
        match stream.next() {
            Some(Ok(_)) => {
                offsets.push(pos as u64);
                pos += stream.byte_offset();
            }
            _ => return None,
        }
    }
}

fn string_field(map: &Map<String, Value>, keys: &[String]) -> Option<String> {
    keys.iter()
        .filter_map(|k| map.get(k))
        .filter_map(Value::as_str)
        .map(str::trim)
        .find(|s| !s.is_empty())
        .map(str::to_owned)
}

fn has_body(map: &Map<String, Value>, opts: &Options) -> bool {
    string_field(map, &opts.text_fields).is_some()
}

/// `{"data": [{…article…}, …]}`: the key of the first array of objects that
/// have bodies.
fn article_list<'a>(map: &'a Map<String, Value>, opts: &Options) -> Option<&'a str> {
    map.iter().find_map(|(k, v)| match v {
        Value::Array(items)
            if !items.is_empty()
                && items
                    .iter()
                    .all(|i| i.as_object().is_some_and(|m| has_body(m, opts))) =>
        {
            Some(k.as_str())
        }
        _ => None,
    })
}

/// A JSON object's fields, each value the text it was written as, in order
/// (a key given twice: twice). Unknown fields pass through as these texts,
/// byte for byte (issue 15: `1E5` stays `1E5`, `"\u00e9"` stays escaped).
pub(crate) struct RawObject<'a>(Vec<(String, &'a RawValue)>);

impl RawObject<'_> {
    /// The value of `key` (its last, as a map reading the object keeps).
    fn get(&self, key: &str) -> Option<&RawValue> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| *v)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for RawObject<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawObject<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<RawObject<'de>, A::Error> {
                let mut fields = Vec::new();
                while let Some(k) = m.next_key::<String>()? {
                    fields.push((k, m.next_value::<&RawValue>()?));
                }
                Ok(RawObject(fields))
            }
        }
        d.deserialize_map(V)
    }
}

/// The fields of `raw`, known (by the caller's parse as a value) to be an
/// object.
fn raw_object(raw: &RawValue) -> RawObject<'_> {
    serde_json::from_str(raw.get()).unwrap_or(RawObject(Vec::new()))
}

/// A search result or history listing: no body anywhere, but a list of
/// items that carry titles or links (objects with `title`/`url` fields, or
/// XML/HTML strings with `<title>`/`<url>` elements, as Sogou's API returns).
fn is_listing(map: &Map<String, Value>, opts: &Options) -> bool {
    let item_is_entry = |v: &Value| match v {
        Value::Object(m) => {
            !has_body(m, opts)
                && (string_field(m, &opts.title_fields).is_some()
                    || string_field(m, &opts.url_fields).is_some())
        }
        Value::String(s) => {
            let l = s.to_ascii_lowercase();
            l.contains("<title") || l.contains("<url") || l.contains("<a ")
        }
        _ => false,
    };
    let list_of_entries = |v: &Value| {
        v.as_array().is_some_and(|a| {
            !a.is_empty() && a.iter().filter(|i| item_is_entry(i)).count() * 2 >= a.len()
        })
    };
    map.values().any(|v| {
        list_of_entries(v)
            || v.as_object()
                .is_some_and(|inner| inner.values().any(list_of_entries))
    })
}

/// Maps one JSON object to a document.
/// The first of `keys` whose value in `map` is a non-blank string.
fn first_present(map: &Map<String, Value>, keys: &[String]) -> Option<String> {
    keys.iter()
        .find(|k| {
            map.get(*k)
                .and_then(Value::as_str)
                .is_some_and(|s| !s.trim().is_empty())
        })
        .cloned()
}

pub(crate) fn record_doc(fields: &RawObject<'_>, origin: Origin, opts: &Options) -> Doc {
    // Each field's value, for the mapping; its text, for the passthrough.
    // The texts were checked as JSON when they were read.
    let mut raw: HashMap<&str, &RawValue> = HashMap::with_capacity(fields.0.len());
    let mut map = Map::new();
    for (k, v) in &fields.0 {
        raw.insert(k.as_str(), *v);
        map.insert(
            k.clone(),
            serde_json::from_str(v.get()).unwrap_or(Value::Null),
        );
    }
    let mut article = Article::default();
    // scour's own output: its `text` is plain text unless its `text_format`
    // says markdown, and is passed on as such.
    let own_record = map.get("id").is_some_and(Value::is_string)
        && map.get("origin").is_some_and(|o| o.get("path").is_some());
    if own_record {
        article.plain_text = map.get("text_format").and_then(Value::as_str) != Some("markdown");
    }
    let body_key = first_present(&map, &opts.text_fields);
    let title_key = first_present(&map, &opts.title_fields);
    let url_key = first_present(&map, &opts.url_fields);
    for (key, value) in map {
        if Some(&key) == body_key.as_ref() {
            let body = value.as_str().unwrap_or_default();
            if own_record {
                article.body = body.to_owned();
            } else if looks_like_html(body) {
                let c = fragment_to_blocks(body);
                article.body = c.body;
                for i in c.images {
                    if !article.images.contains(&i) {
                        article.images.push(i);
                    }
                }
            } else {
                article.body = body.to_owned();
            }
            continue;
        }
        if Some(&key) == title_key.as_ref() {
            article.title = value.as_str().map(str::to_owned);
            continue;
        }
        if Some(&key) == url_key.as_ref() {
            article.url = value.as_str().map(str::to_owned);
            continue;
        }
        let lower = key.to_ascii_lowercase();
        let slot = match lower.as_str() {
            "source" | "account" | "nickname" | "mp_name" | "account_name" | "biz_name"
            | "site_name" => Some(&mut article.source),
            "author" | "byline" => Some(&mut article.author),
            "date" | "published" | "publish_time" | "pubdate" | "publish_date" | "published_at"
            | "ct" | "create_time" | "datetime" => Some(&mut article.published),
            "fetch_date" | "fetched" | "fetched_at" | "fetch_time" | "crawl_time"
            | "crawled_at" => Some(&mut article.fetched),
            _ => None,
        };
        if let Some(slot) = slot {
            if slot.is_none() {
                if let Some(v) = scalar_date_or_text(&value) {
                    *slot = Some(v);
                    continue;
                }
            }
        }
        if lower == "images" {
            if let Some(list) = value.as_array() {
                if list.iter().all(Value::is_string) {
                    for s in list.iter().filter_map(Value::as_str) {
                        if !article.images.iter().any(|i| i == s) {
                            article.images.push(s.to_owned());
                        }
                    }
                    continue;
                }
            }
        }
        // A field named as one of the record's own is passed through as
        // `input_<name>`, so the output never holds a key twice.
        let text = raw.get(key.as_str()).map(|r| (*r).to_owned());
        let key = if Doc::FIELDS.contains(&key.as_str()) {
            format!("input_{key}")
        } else {
            key
        };
        match text {
            Some(text) => article.extra.insert(key, text),
            None => article.extra.insert_value(key, &value),
        }
    }
    finish(article, origin)
}

/// A string field as it is; a number as a Unix time in seconds or
/// milliseconds (then converted here, as `normalize_date` only reads
/// ten-digit seconds).
fn scalar_date_or_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => {
            let t = s.trim();
            if t.len() == 13 && t.bytes().all(|b| b.is_ascii_digit()) {
                return t.parse::<i64>().ok().map(|ms| unix_to_cst(ms / 1000));
            }
            Some(t.to_owned())
        }
        Value::Number(n) => {
            let secs = n.as_i64()?;
            let secs = if secs > 100_000_000_000 {
                secs / 1000
            } else {
                secs
            };
            (secs > 0).then(|| unix_to_cst(secs))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin() -> Origin {
        Origin {
            path: "dump.jsonl".into(),
            format: "jsonl".into(),
            ..Origin::default()
        }
    }

    #[test]
    fn a_field_named_as_the_records_own_passes_through_renamed() {
        let data = "{\"text\":\"正文\",\"reject_detail\":\"上游的说明\",\"dup_kind\":\"x\"}\n";
        let docs = parse_jsonl(data.as_bytes(), &origin(), &Options::default());
        let d = &docs[0];
        assert_eq!(d.reject_detail, None);
        assert_eq!(d.extra.value("input_reject_detail").unwrap(), "上游的说明");
        assert_eq!(d.extra.value("input_dup_kind").unwrap(), "x");
        let line = scour_record::to_jsonl_line(d);
        assert_eq!(line.matches("\"reject_detail\"").count(), 0, "{line}");
    }

    /// Issue 15: unknown fields pass through byte for byte (`1E5` came out
    /// `1e+5`), from a JSONL line, a JSON array and a wrapped list alike.
    #[test]
    fn passthrough_fields_are_kept_as_written() {
        let fields = r#""e":1E5,"big":12345678901234567890123,"huge":1e400,"s":"\u00e9\/","o":{"k" : [1 ,2.0]}"#;
        let rec = format!(r#"{{"text":"正文",{fields}}}"#);
        let tail = format!(",{fields}}}");
        let opts = Options::default();
        let mut docs = parse_jsonl(format!("{rec}\n").as_bytes(), &origin(), &opts);
        docs.extend(parse_json(
            format!("[{rec}, {rec}]").as_bytes(),
            &origin(),
            &opts,
        ));
        docs.extend(parse_json(
            format!(r#"{{"data":[{rec}]}}"#).as_bytes(),
            &origin(),
            &opts,
        ));
        assert_eq!(docs.len(), 4);
        for d in &docs {
            assert_eq!(d.text, "正文");
            let line = scour_record::to_jsonl_line(d);
            assert!(line.trim_end().ends_with(&tail), "{line}");
        }
    }

    #[test]
    fn jsonl_lines_apart_are_the_whole_files() {
        let data = b"{\"text\":\"\xe7\xac\xac\xe4\xb8\x80\",\"url\":\"https://a.example/1\"}\n\n[1]\n{\"text\":\"\xe7\xac\xac\xe4\xba\x8c\"}\n";
        let opts = Options::default();
        let whole = crate::normalize("d/x.jsonl", data, &opts);
        let mut apart = Vec::new();
        for (i, line) in data.split(|b| *b == b'\n').enumerate() {
            apart.extend(normalize_jsonl_lines(
                "d/x.jsonl",
                line,
                i as u64 + 1,
                &opts,
            ));
        }
        assert_eq!(apart, whole);
        assert_eq!(whole.len(), 3);
    }

    /// Issue 14: rows of a columnar file are the records of JSONL lines of
    /// the same fields and numbers, ids hashing the path below the argument;
    /// a part that cannot be read ends the file with a reject.
    #[test]
    fn rows_are_jsonl_lines_of_their_file() {
        let opts = Options::default();
        let lines = "{\"text\":\"第一行\"}\n{\"text\":\"第一行\"}\n{\"text\":\"第三行\"}\n";
        let (first, rest) = lines.split_at(lines.find('\n').unwrap() + 1);
        let parts: Vec<Result<(u64, Vec<u8>), &str>> = vec![
            Ok((1, first.as_bytes().to_vec())),
            Ok((2, rest.as_bytes().to_vec())),
            Err("bad page"),
            Ok((4, first.as_bytes().to_vec())),
        ];
        let docs = normalize_row_file(
            "/abs/d/sub/x.parquet",
            "sub/x.parquet",
            parts,
            "parquet",
            &opts,
        );
        let want = normalize_jsonl_lines("sub/x.parquet", lines.as_bytes(), 1, &opts);
        assert_eq!(docs.len(), 4);
        for (d, w) in docs.iter().zip(&want) {
            assert_eq!(
                (&d.id, &d.text, d.origin.line),
                (&w.id, &w.text, w.origin.line)
            );
            assert_eq!(
                (d.origin.path.as_str(), d.origin.format.as_str()),
                ("/abs/d/sub/x.parquet", "parquet")
            );
        }
        assert_ne!(
            docs[0].id, docs[1].id,
            "the row's number tells copies apart"
        );
        assert_eq!(docs[3].reject_reason, Some(RejectReason::Parse));
        assert_eq!(docs[3].reject_detail.as_deref(), Some("bad page"));
    }

    #[test]
    fn jsonl_records_fields_and_bad_lines() {
        let data = "{\"title\":\"标题\",\"content\":\"<p>第一段。</p><p>第二段<br>第二行</p>\",\"account\":\"中国信息安全\",\"ct\":1522990580,\"tag\":[\"安全\"],\"id\":7}\n\
                    not json\n\
                    [1,2]\n\
                    \n\
                    {\"text\":\"纯文本正文\",\"url\":\"http://mp.weixin.qq.com/s?__biz=MzA=&mid=1&idx=1&sn=ab&scene=1\"}\n";
        let docs = parse_jsonl(data.as_bytes(), &origin(), &Options::default());
        assert_eq!(docs.len(), 4);
        let d = &docs[0];
        assert_eq!(d.origin.line, Some(1));
        assert_eq!(d.title.as_deref(), Some("标题"));
        assert_eq!(d.source.as_deref(), Some("中国信息安全"));
        assert_eq!(d.published.as_deref(), Some("2018-04-06T12:56:20+08:00"));
        assert_eq!(d.text, "第一段。\n\n第二段\n第二行");
        assert_eq!(d.extra.value("tag").unwrap(), serde_json::json!(["安全"]));
        assert_eq!(d.extra.value("input_id").unwrap(), 7);
        assert!(docs[1]
            .reject_message()
            .unwrap()
            .starts_with("parse: line 2:"));
        assert_eq!(
            docs[2].reject_message().as_deref(),
            Some("parse: line 3: expected a JSON object, found an array")
        );
        assert_eq!(docs[3].origin.line, Some(5));
        assert_eq!(
            docs[3].url.as_deref(),
            Some("https://mp.weixin.qq.com/s?__biz=MzA=&mid=1&idx=1&sn=ab")
        );
    }

    #[test]
    fn invalid_utf8_line_is_a_reject() {
        let mut data = b"{\"text\":\"\xe6\xad\xa3\xe6\x96\x87\"}\n{\"text\":\"".to_vec();
        data.extend_from_slice(b"\xff\xfe\"}\n");
        let docs = parse_jsonl(&data, &origin(), &Options::default());
        assert_eq!(docs[0].text, "正文");
        assert!(docs[1]
            .reject_message()
            .unwrap()
            .contains("line 2: invalid UTF-8"));
    }

    #[test]
    fn json_array_offsets() {
        let data = "[\n {\"text\":\"甲\"},\n {\"text\":\"乙\"}\n]";
        let docs = parse_json(data.as_bytes(), &origin(), &Options::default());
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].origin.offset, Some(3));
        assert_eq!(docs[1].origin.offset, Some(20));
        assert_eq!(docs[1].text, "乙");
        assert_ne!(docs[0].id, docs[1].id);
    }

    #[test]
    fn wrapped_list_and_listing() {
        let data = r#"{"code":0,"data":[{"title":"一","content":"正文一"},{"title":"二","content":"正文二"}]}"#;
        let docs = parse_json(data.as_bytes(), &origin(), &Options::default());
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].text, "正文二");
        let data = r#"{"totalItems":53842,"page":1,"items":["<?xml version=\"1.0\"?><DOCUMENT><item><display><title><![CDATA[高考有多重要]]></title><url><![CDATA[http://mp.weixin.qq.com/s?__biz=MzA=]]></url></display></item></DOCUMENT>"]}"#;
        let docs = parse_json(data.as_bytes(), &origin(), &Options::default());
        assert_eq!(docs.len(), 1);
        assert_eq!(
            docs[0]
                .reject_reason
                .map(scour_record::RejectReason::as_str),
            Some("listing")
        );
        assert!(docs[0].text.is_empty());
    }

    #[test]
    fn corpus_search_api_dump_is_a_listing() {
        let Some(path) =
            crate::shared::require("corpus/wechat/json/wechatsogou-search-gaokao-article.json")
        else {
            return;
        };
        let bytes = std::fs::read(path).unwrap();
        let docs = parse_json(&bytes, &origin(), &Options::default());
        assert_eq!(docs.len(), 1);
        assert_eq!(
            docs[0]
                .reject_reason
                .map(scour_record::RejectReason::as_str),
            Some("listing")
        );
    }
}
