//! [`Doc`] to Arrow columns and back.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type};
use arrow_array::{
    Array, ArrayRef, Float64Array, Int64Array, ListArray, RecordBatch, StringArray, StructArray,
};
use arrow_buffer::OffsetBuffer;
use arrow_schema::{DataType, Field, Fields, Schema, SchemaRef};
use scour_record::{Doc, DupKind, Extra, Origin, RejectReason, Removal, UnknownFamily};
use serde_json::Value;

use crate::{Error, Result};

/// The version of the record schema, in the schema's (and a Parquet file's)
/// metadata under [`VERSION_KEY`]. Bumped when a column changes meaning or
/// type; a new column at the end does not bump it.
pub const SCHEMA_VERSION: &str = scour_record::SCHEMA_VERSION;
/// The metadata key of [`SCHEMA_VERSION`].
pub const VERSION_KEY: &str = "scour.record.version";

/// The columns of [`schema`]: the record's fields in wire order, then the
/// passthrough fields as one JSON column.
const KNOWN: [&str; 21] = {
    let mut k = [""; 21];
    let mut i = 0;
    while i < Doc::FIELDS.len() {
        k[i] = Doc::FIELDS[i];
        i += 1;
    }
    k[20] = "extra";
    k
};

/// How [`from_batch`] reads columns that are not scour's own.
#[derive(Clone, Debug, Default)]
pub struct Columns {
    /// The column holding the body, when it is not `text` (a Hugging Face
    /// dataset's `content`, say). Default: `None` (the `text` column). The
    /// column named here is not also kept in `extra`.
    pub text_field: Option<String>,
}

fn utf8(name: &str, nullable: bool) -> Field {
    Field::new(name, DataType::Utf8, nullable)
}

fn i64_field(name: &str) -> Field {
    Field::new(name, DataType::Int64, true)
}

fn string_list_type() -> DataType {
    DataType::List(Arc::new(utf8("item", false)))
}

fn origin_fields() -> Fields {
    Fields::from(vec![
        utf8("path", false),
        i64_field("line"),
        i64_field("offset"),
        utf8("format", false),
        utf8("compression", true),
        utf8("encoding", true),
        utf8("encoding_source", true),
        i64_field("invalid_bytes"),
        utf8("lang", true),
        utf8("published", true),
    ])
}

fn removal_fields() -> Fields {
    Fields::from(vec![
        utf8("family", false),
        utf8("rule", false),
        utf8("text", false),
    ])
}

fn removed_type() -> DataType {
    DataType::List(Arc::new(Field::new(
        "item",
        DataType::Struct(removal_fields()),
        false,
    )))
}

/// The record's Arrow schema (see the crate docs). The same value every
/// call.
#[must_use]
pub fn schema() -> SchemaRef {
    static SCHEMA: OnceLock<SchemaRef> = OnceLock::new();
    SCHEMA
        .get_or_init(|| {
            let fields = vec![
                utf8("id", false),
                utf8("text", false),
                utf8("text_format", true),
                utf8("title", true),
                utf8("source", true),
                utf8("author", true),
                Field::new("credits", string_list_type(), false),
                utf8("reprinted_from", true),
                utf8("published", true),
                utf8("fetched", true),
                utf8("url", true),
                Field::new("images", string_list_type(), false),
                utf8("lang", true),
                Field::new("origin", DataType::Struct(origin_fields()), false),
                Field::new("removed", removed_type(), false),
                utf8("duplicate_of", true),
                utf8("dup_kind", true),
                Field::new("similarity", DataType::Float64, true),
                utf8("reject_reason", true),
                utf8("reject_detail", true),
                utf8("extra", true),
            ];
            let meta = HashMap::from([(VERSION_KEY.to_owned(), SCHEMA_VERSION.to_owned())]);
            Arc::new(Schema::new_with_metadata(fields, meta))
        })
        .clone()
}

fn strs<'a>(values: impl Iterator<Item = Option<&'a str>>) -> ArrayRef {
    Arc::new(values.collect::<StringArray>())
}

fn opt_i64(values: impl Iterator<Item = Option<u64>>) -> ArrayRef {
    Arc::new(
        values
            .map(|v| v.map(|v| i64::try_from(v).unwrap_or(i64::MAX)))
            .collect::<Int64Array>(),
    )
}

/// A list-of-strings column: one list per document, never null.
fn string_lists<'a>(docs: &'a [Doc], f: impl Fn(&'a Doc) -> &'a [String]) -> ArrayRef {
    let values: StringArray = docs
        .iter()
        .flat_map(|d| f(d).iter().map(|s| Some(s.as_str())))
        .collect();
    let offsets = OffsetBuffer::from_lengths(docs.iter().map(|d| f(d).len()));
    Arc::new(ListArray::new(
        Arc::new(utf8("item", false)),
        offsets,
        Arc::new(values),
        None,
    ))
}

/// The documents as one batch of [`schema`].
#[must_use]
pub fn to_batch(docs: &[Doc]) -> RecordBatch {
    let origins: Vec<&Origin> = docs.iter().map(|d| &d.origin).collect();
    let origin = StructArray::new(
        origin_fields(),
        vec![
            strs(origins.iter().map(|o| Some(o.path.as_str()))),
            opt_i64(origins.iter().map(|o| o.line)),
            opt_i64(origins.iter().map(|o| o.offset)),
            strs(origins.iter().map(|o| Some(o.format.as_str()))),
            strs(origins.iter().map(|o| o.compression.as_deref())),
            strs(origins.iter().map(|o| o.encoding.as_deref())),
            strs(origins.iter().map(|o| o.encoding_source.as_deref())),
            opt_i64(origins.iter().map(|o| o.invalid_bytes)),
            strs(origins.iter().map(|o| o.lang.as_deref())),
            strs(origins.iter().map(|o| o.published.as_deref())),
        ],
        None,
    );
    let removals: Vec<&Removal> = docs.iter().flat_map(|d| &d.removed).collect();
    let removal = StructArray::new(
        removal_fields(),
        vec![
            strs(removals.iter().map(|r| Some(r.family.as_str()))),
            strs(removals.iter().map(|r| Some(r.rule.as_str()))),
            strs(removals.iter().map(|r| Some(r.text.as_str()))),
        ],
        None,
    );
    let removed = ListArray::new(
        Arc::new(Field::new(
            "item",
            DataType::Struct(removal_fields()),
            false,
        )),
        OffsetBuffer::from_lengths(docs.iter().map(|d| d.removed.len())),
        Arc::new(removal),
        None,
    );
    let extra: Vec<Option<String>> = docs
        .iter()
        .map(|d| {
            (!d.extra.is_empty())
                .then(|| serde_json::to_string(&d.extra).expect("a JSON map always serializes"))
        })
        .collect();
    let columns: Vec<ArrayRef> = vec![
        strs(docs.iter().map(|d| Some(d.id.as_str()))),
        strs(docs.iter().map(|d| Some(d.text.as_str()))),
        strs(docs.iter().map(|d| d.text_format.as_deref())),
        strs(docs.iter().map(|d| d.title.as_deref())),
        strs(docs.iter().map(|d| d.source.as_deref())),
        strs(docs.iter().map(|d| d.author.as_deref())),
        string_lists(docs, |d| &d.credits),
        strs(docs.iter().map(|d| d.reprinted_from.as_deref())),
        strs(docs.iter().map(|d| d.published.as_deref())),
        strs(docs.iter().map(|d| d.fetched.as_deref())),
        strs(docs.iter().map(|d| d.url.as_deref())),
        string_lists(docs, |d| &d.images),
        strs(docs.iter().map(|d| d.lang.as_deref())),
        Arc::new(origin),
        Arc::new(removed),
        strs(docs.iter().map(|d| d.duplicate_of.as_deref())),
        strs(docs.iter().map(|d| d.dup_kind.map(DupKind::as_str))),
        Arc::new(docs.iter().map(|d| d.similarity).collect::<Float64Array>()),
        strs(
            docs.iter()
                .map(|d| d.reject_reason.map(RejectReason::as_str)),
        ),
        strs(docs.iter().map(|d| d.reject_detail.as_deref())),
        Arc::new(extra.iter().map(Option::as_deref).collect::<StringArray>()),
    ];
    RecordBatch::try_new(schema(), columns).expect("the columns follow the schema")
}

/// A string column read as `Utf8` (cast from large or view strings).
fn string_column(name: &str, col: &ArrayRef) -> Result<Option<StringArray>> {
    match col.data_type() {
        DataType::Null => Ok(None),
        DataType::Utf8 => Ok(Some(col.as_string::<i32>().clone())),
        DataType::LargeUtf8 | DataType::Utf8View | DataType::Dictionary(..) => {
            let cast = arrow_cast::cast(col, &DataType::Utf8)?;
            Ok(Some(cast.as_string::<i32>().clone()))
        }
        other => Err(Error::ColumnType {
            column: name.to_owned(),
            expected: "strings",
            found: other.to_string(),
        }),
    }
}

fn int_column(name: &str, col: &ArrayRef) -> Result<Option<Int64Array>> {
    match col.data_type() {
        DataType::Null => Ok(None),
        t if t.is_integer() => {
            let cast = arrow_cast::cast(col, &DataType::Int64)?;
            Ok(Some(cast.as_primitive::<Int64Type>().clone()))
        }
        other => Err(Error::ColumnType {
            column: name.to_owned(),
            expected: "integers",
            found: other.to_string(),
        }),
    }
}

fn list_column(name: &str, col: &ArrayRef, item: &DataType) -> Result<Option<ListArray>> {
    match col.data_type() {
        DataType::Null => Ok(None),
        DataType::List(_) | DataType::LargeList(_) | DataType::ListView(_) => {
            let want = DataType::List(Arc::new(Field::new("item", item.clone(), true)));
            let cast = arrow_cast::cast(col, &want)?;
            Ok(Some(cast.as_list::<i32>().clone()))
        }
        other => Err(Error::ColumnType {
            column: name.to_owned(),
            expected: "lists",
            found: other.to_string(),
        }),
    }
}

fn text_at(col: Option<&StringArray>, row: usize) -> Option<String> {
    col.filter(|c| c.is_valid(row))
        .map(|c| c.value(row).to_owned())
}

fn int_at(col: Option<&Int64Array>, row: usize) -> Option<u64> {
    col.filter(|c| c.is_valid(row))
        .and_then(|c| u64::try_from(c.value(row)).ok())
}

fn strings_at(col: Option<&ListArray>, row: usize) -> Vec<String> {
    let Some(c) = col.filter(|c| c.is_valid(row)) else {
        return Vec::new();
    };
    let values = c.value(row);
    let values = values.as_string::<i32>();
    (0..values.len())
        .filter(|&i| values.is_valid(i))
        .map(|i| values.value(i).to_owned())
        .collect()
}

/// A column of a struct, by name, as strings.
fn struct_strings(s: &StructArray, name: &str) -> Result<Option<StringArray>> {
    match s.column_by_name(name) {
        Some(c) => string_column(name, c),
        None => Ok(None),
    }
}

/// The JSON value of a cell of a column scour does not know: strings,
/// numbers and booleans as themselves, anything else as Arrow displays it.
pub(crate) fn json_at(col: &ArrayRef, row: usize) -> Option<Value> {
    if col.is_null(row) {
        return None;
    }
    let t = col.data_type();
    if matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) {
        let one = arrow_cast::cast(&col.slice(row, 1), &DataType::Utf8).ok()?;
        return Some(Value::String(one.as_string::<i32>().value(0).to_owned()));
    }
    if t.is_integer() {
        let one = arrow_cast::cast(&col.slice(row, 1), &DataType::Int64).ok()?;
        return Some(Value::from(one.as_primitive::<Int64Type>().value(0)));
    }
    if t.is_floating() {
        let one = arrow_cast::cast(&col.slice(row, 1), &DataType::Float64).ok()?;
        return serde_json::Number::from_f64(one.as_primitive::<Float64Type>().value(0))
            .map(Value::Number);
    }
    if *t == DataType::Boolean {
        return Some(Value::Bool(col.as_boolean().value(row)));
    }
    let fmt = arrow_cast::display::ArrayFormatter::try_new(
        col.as_ref(),
        &arrow_cast::display::FormatOptions::default(),
    )
    .ok()?;
    Some(Value::String(fmt.value(row).to_string()))
}

/// The columns of a batch's `origin` struct, by name (any may be missing).
struct OriginColumns {
    origin: StructArray,
    path: Option<StringArray>,
    line: Option<Int64Array>,
    offset: Option<Int64Array>,
    format: Option<StringArray>,
    compression: Option<StringArray>,
    encoding: Option<StringArray>,
    encoding_source: Option<StringArray>,
    invalid_bytes: Option<Int64Array>,
    lang: Option<StringArray>,
    published: Option<StringArray>,
}

impl OriginColumns {
    /// The `origin` column's fields; `None` without one (or a null column).
    fn read(col: Option<&ArrayRef>) -> Result<Option<OriginColumns>> {
        let origin = match col {
            None => return Ok(None),
            Some(c) => match c.data_type() {
                DataType::Struct(_) => c.as_struct().clone(),
                DataType::Null => return Ok(None),
                other => {
                    return Err(Error::ColumnType {
                        column: "origin".into(),
                        expected: "a struct",
                        found: other.to_string(),
                    })
                }
            },
        };
        let o = &origin;
        let int = |name: &str, full: &str| {
            o.column_by_name(name)
                .map_or(Ok(None), |c| int_column(full, c))
        };
        Ok(Some(OriginColumns {
            path: struct_strings(o, "path")?,
            line: int("line", "origin.line")?,
            offset: int("offset", "origin.offset")?,
            format: struct_strings(o, "format")?,
            compression: struct_strings(o, "compression")?,
            encoding: struct_strings(o, "encoding")?,
            encoding_source: struct_strings(o, "encoding_source")?,
            invalid_bytes: int("invalid_bytes", "origin.invalid_bytes")?,
            lang: struct_strings(o, "lang")?,
            published: struct_strings(o, "published")?,
            origin,
        }))
    }

    fn at(&self, row: usize) -> Origin {
        if !self.origin.is_valid(row) {
            return Origin::default();
        }
        Origin {
            path: text_at(self.path.as_ref(), row).unwrap_or_default(),
            line: int_at(self.line.as_ref(), row),
            offset: int_at(self.offset.as_ref(), row),
            format: text_at(self.format.as_ref(), row).unwrap_or_default(),
            compression: text_at(self.compression.as_ref(), row),
            encoding: text_at(self.encoding.as_ref(), row),
            encoding_source: text_at(self.encoding_source.as_ref(), row),
            invalid_bytes: int_at(self.invalid_bytes.as_ref(), row),
            lang: text_at(self.lang.as_ref(), row),
            published: text_at(self.published.as_ref(), row),
        }
    }
}

/// The `similarity` column as floats.
fn float_column(name: &str, col: Option<&ArrayRef>) -> Result<Option<Float64Array>> {
    match col {
        None => Ok(None),
        Some(c) if *c.data_type() == DataType::Null => Ok(None),
        Some(c) if c.data_type().is_numeric() => Ok(Some(
            arrow_cast::cast(c, &DataType::Float64)?
                .as_primitive::<Float64Type>()
                .clone(),
        )),
        Some(c) => Err(Error::ColumnType {
            column: name.into(),
            expected: "numbers",
            found: c.data_type().to_string(),
        }),
    }
}

/// A row's `extra`: the fields of the `extra` column's JSON object, then
/// the row's cells of the columns scour does not know.
fn extra_at(
    extra: Option<&StringArray>,
    unknown: &[(&str, &ArrayRef)],
    row: usize,
) -> Result<Extra> {
    // The `extra` column's text is read as raw JSON, so its values come out
    // byte for byte as they went in.
    let mut map = match text_at(extra, row) {
        Some(e) => match serde_json::from_str::<Value>(&e) {
            Ok(Value::Object(_)) => {
                serde_json::from_str::<Extra>(&e).map_err(|e| Error::Value {
                    column: "extra".into(),
                    row,
                    reason: e.to_string(),
                })?
            }
            Ok(_) => {
                return Err(Error::Value {
                    column: "extra".into(),
                    row,
                    reason: "not a JSON object".into(),
                })
            }
            Err(e) => {
                return Err(Error::Value {
                    column: "extra".into(),
                    row,
                    reason: e.to_string(),
                })
            }
        },
        None => Extra::new(),
    };
    for (name, c) in unknown {
        if let Some(v) = json_at(c, row) {
            map.insert_value((*name).to_owned(), &v);
        }
    }
    Ok(map)
}

/// A row's `removed` list.
fn removed_at(removed: Option<&ListArray>, row: usize) -> Result<Vec<Removal>> {
    let Some(r) = removed.filter(|r| r.is_valid(row)) else {
        return Ok(Vec::new());
    };
    let items = r.value(row);
    let items = items.as_struct();
    let family = struct_strings(items, "family")?;
    let rule = struct_strings(items, "rule")?;
    let text = struct_strings(items, "text")?;
    (0..items.len())
        .filter(|&i| items.is_valid(i))
        .map(|i| {
            let family = text_at(family.as_ref(), i).unwrap_or_default();
            Ok(Removal {
                family: family.parse().map_err(|e: UnknownFamily| Error::Value {
                    column: "removed.family".into(),
                    row,
                    reason: e.to_string(),
                })?,
                rule: text_at(rule.as_ref(), i).unwrap_or_default(),
                text: text_at(text.as_ref(), i).unwrap_or_default(),
            })
        })
        .collect()
}

fn dup_kind_at(dup_kind: Option<&StringArray>, row: usize) -> Result<Option<DupKind>> {
    match text_at(dup_kind, row).as_deref() {
        None => Ok(None),
        Some("url") => Ok(Some(DupKind::Url)),
        Some("exact") => Ok(Some(DupKind::Exact)),
        Some("near") => Ok(Some(DupKind::Near)),
        Some(other) => Err(Error::Value {
            column: "dup_kind".into(),
            row,
            reason: format!("expected url, exact or near, found `{other}`"),
        }),
    }
}

fn reject_reason_at(reason: Option<&StringArray>, row: usize) -> Result<Option<RejectReason>> {
    text_at(reason, row)
        .map(|r| {
            r.parse::<RejectReason>().map_err(|e| Error::Value {
                column: "reject_reason".into(),
                row,
                reason: e.to_string(),
            })
        })
        .transpose()
}

/// The documents of a batch: scour's own columns by name (any may be
/// missing; large and view strings are read too), and every other column
/// into each document's `extra`, after the fields of an `extra` column.
///
/// # Errors
/// A known column of the wrong type, an `extra` that is not a JSON object,
/// a `dup_kind` that is not `url`, `exact` or `near`.
pub fn from_batch(batch: &RecordBatch, columns: &Columns) -> Result<Vec<Doc>> {
    let col = |name: &str| batch.column_by_name(name);
    let s = |name: &str| -> Result<Option<StringArray>> {
        col(name).map_or(Ok(None), |c| string_column(name, c))
    };
    let list = |name: &str, item: &DataType| -> Result<Option<ListArray>> {
        col(name).map_or(Ok(None), |c| list_column(name, c, item))
    };
    let text_name = columns.text_field.as_deref().unwrap_or("text");
    let id = s("id")?;
    let text = s(text_name)?;
    let text_format = s("text_format")?;
    let title = s("title")?;
    let source = s("source")?;
    let author = s("author")?;
    let credits = list("credits", &DataType::Utf8)?;
    let reprinted_from = s("reprinted_from")?;
    let published = s("published")?;
    let fetched = s("fetched")?;
    let url = s("url")?;
    let images = list("images", &DataType::Utf8)?;
    let lang = s("lang")?;
    let origin = OriginColumns::read(col("origin"))?;
    let removed = list("removed", &DataType::Struct(removal_fields()))?;
    let duplicate_of = s("duplicate_of")?;
    let dup_kind = s("dup_kind")?;
    let similarity = float_column("similarity", col("similarity"))?;
    let reject_reason = s("reject_reason")?;
    let reject_detail = s("reject_detail")?;
    let extra = s("extra")?;
    // Columns scour does not know, in schema order.
    let unknown: Vec<(&str, &ArrayRef)> = batch
        .schema_ref()
        .fields()
        .iter()
        .zip(batch.columns())
        .filter(|(f, _)| {
            let n = f.name().as_str();
            n != text_name && !KNOWN.contains(&n)
        })
        .map(|(f, c)| (f.name().as_str(), c))
        .collect();

    let mut docs = Vec::with_capacity(batch.num_rows());
    for row in 0..batch.num_rows() {
        let extra = extra_at(extra.as_ref(), &unknown, row)?;
        docs.push(Doc {
            id: text_at(id.as_ref(), row).unwrap_or_default(),
            text: text_at(text.as_ref(), row).unwrap_or_default(),
            text_format: text_at(text_format.as_ref(), row),
            title: text_at(title.as_ref(), row),
            source: text_at(source.as_ref(), row),
            author: text_at(author.as_ref(), row),
            credits: strings_at(credits.as_ref(), row),
            reprinted_from: text_at(reprinted_from.as_ref(), row),
            published: text_at(published.as_ref(), row),
            fetched: text_at(fetched.as_ref(), row),
            url: text_at(url.as_ref(), row),
            images: strings_at(images.as_ref(), row),
            lang: text_at(lang.as_ref(), row),
            origin: origin.as_ref().map_or_else(Origin::default, |o| o.at(row)),
            removed: removed_at(removed.as_ref(), row)?,
            duplicate_of: text_at(duplicate_of.as_ref(), row),
            dup_kind: dup_kind_at(dup_kind.as_ref(), row)?,
            similarity: similarity
                .as_ref()
                .filter(|c| c.is_valid(row))
                .map(|c| c.value(row)),
            reject_reason: reject_reason_at(reject_reason.as_ref(), row)?,
            reject_detail: text_at(reject_detail.as_ref(), row),
            extra,
        });
    }
    Ok(docs)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use arrow_array::{BooleanArray, LargeStringArray};
    use scour_record::Family;

    pub(crate) fn full_doc() -> Doc {
        let mut extra = Extra::new();
        extra.insert_value("标签".into(), &Value::from(vec!["安全", "漏洞"]));
        extra.insert_value("score".into(), &Value::from(3));
        // Issue 15: a passthrough number as it was written.
        extra.insert(
            "e".into(),
            serde_json::value::RawValue::from_string("1E5".into()).unwrap(),
        );
        Doc {
            id: "0123abcd".into(),
            text: "第一段\n\n第二段 with English".into(),
            text_format: Some("markdown".into()),
            title: Some("标题".into()),
            source: Some("安全内参".into()),
            author: Some("张三".into()),
            credits: vec!["编辑：李四".into(), "图片来源：网络".into()],
            reprinted_from: Some("嘶吼专业版".into()),
            published: Some("2024-09-04".into()),
            fetched: Some("2024-09-05T08:00:00+08:00".into()),
            url: Some("https://mp.weixin.qq.com/s?__biz=MzA=&mid=1&idx=1&sn=x".into()),
            images: vec!["https://mmbiz.qpic.cn/a.png".into()],
            lang: Some("zh".into()),
            origin: Origin {
                path: "dump/a.jsonl".into(),
                line: Some(3),
                offset: None,
                format: "jsonl".into(),
                compression: Some("zstd".into()),
                encoding: Some("GBK".into()),
                encoding_source: Some("meta".into()),
                invalid_bytes: Some(2),
                lang: Some("zh-CN".into()),
                published: Some("3天前".into()),
            },
            removed: vec![Removal {
                family: Family::Promo,
                rule: "wechat/follow".into(),
                text: "点击蓝字关注我们".into(),
            }],
            duplicate_of: Some("ffee".into()),
            dup_kind: Some(DupKind::Near),
            similarity: Some(0.8125),
            reject_reason: None,
            reject_detail: None,
            extra,
        }
    }

    #[test]
    fn every_field_round_trips() {
        let docs = vec![
            full_doc(),
            Doc::default(),
            Doc::rejected(
                Origin {
                    path: "x.html".into(),
                    ..Origin::default()
                },
                RejectReason::Deleted,
            ),
            Doc::rejected_with(Origin::default(), RejectReason::Parse, "line 3: 坏的 JSON"),
        ];
        let batch = to_batch(&docs);
        assert_eq!(batch.num_columns(), KNOWN.len());
        assert_eq!(
            batch
                .schema()
                .metadata()
                .get(VERSION_KEY)
                .map(String::as_str),
            Some(SCHEMA_VERSION)
        );
        assert_eq!(from_batch(&batch, &Columns::default()).unwrap(), docs);
    }

    #[test]
    fn foreign_columns_go_to_extra_and_text_field_names_the_body() {
        let schema = Arc::new(Schema::new(vec![
            Field::new("content", DataType::LargeUtf8, true),
            Field::new("url", DataType::LargeUtf8, true),
            Field::new("stars", DataType::Int32, true),
            Field::new("ok", DataType::Boolean, true),
        ]));
        let batch = RecordBatch::try_new(
            schema,
            vec![
                Arc::new(LargeStringArray::from(vec![Some("正文一"), None])),
                Arc::new(LargeStringArray::from(vec![Some("https://a.cn/1"), None])),
                Arc::new(arrow_array::Int32Array::from(vec![Some(5), None])),
                Arc::new(BooleanArray::from(vec![Some(true), Some(false)])),
            ],
        )
        .unwrap();
        let cols = Columns {
            text_field: Some("content".into()),
        };
        let docs = from_batch(&batch, &cols).unwrap();
        assert_eq!(docs[0].text, "正文一");
        assert_eq!(docs[0].url.as_deref(), Some("https://a.cn/1"));
        assert_eq!(docs[0].extra.value("stars").unwrap(), Value::from(5));
        assert_eq!(docs[0].extra.value("ok").unwrap(), Value::Bool(true));
        assert!(!docs[0].extra.contains_key("content"));
        assert_eq!(docs[1].text, "");
        assert!(!docs[1].extra.contains_key("stars"));
    }

    #[test]
    fn a_bad_dup_kind_is_an_error() {
        let mut batch_docs = vec![full_doc()];
        batch_docs[0].dup_kind = None;
        let batch = to_batch(&batch_docs);
        let mut cols = batch.columns().to_vec();
        let i = batch.schema().index_of("dup_kind").unwrap();
        cols[i] = Arc::new(StringArray::from(vec![Some("similar")]));
        let bad = RecordBatch::try_new(batch.schema(), cols).unwrap();
        let err = from_batch(&bad, &Columns::default()).unwrap_err();
        assert!(err.to_string().contains("similar"), "{err}");
    }
}
