//! `scour_text._native`: scour's stages for Python (the `scour-text`
//! package), and the per-record pieces of dedup its Spark job runs on the
//! executors.
//!
//! A thin layer: it calls `scour-normalize`, `scour-strip`, `scour-dedup`
//! and `scour-arrow` as the binary does, and hands records over as JSON
//! lines (the Python side makes dicts of them) or as Arrow record batches
//! (through the Arrow C data interface, one crossing a batch). The Python
//! package (`python/scour_text`) wraps it; that is the API users see.
#![cfg_attr(not(test), deny(clippy::print_stdout, clippy::print_stderr))]

mod arrow;

use std::sync::Arc;

use arrow_array::builder::{BinaryBuilder, BooleanBuilder, Int64Builder, ListBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::Int64Type;
use arrow_array::{Array, ArrayRef, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use scour_arrow::Columns;
use scour_dedup::sharded;
use scour_record::{parse_jsonl_line, to_jsonl_line, Doc};

fn value_error(e: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(e.to_string())
}

fn normalize_options(text_fields: Option<Vec<String>>) -> scour_normalize::Options {
    let mut o = scour_normalize::Options::default();
    if let Some(f) = text_fields.filter(|f| !f.is_empty()) {
        o.text_fields = f;
    }
    o
}

/// The built-in WeChat rules, compiled once.
fn rules() -> &'static scour_strip::Rules {
    static RULES: std::sync::OnceLock<scour_strip::Rules> = std::sync::OnceLock::new();
    RULES.get_or_init(|| {
        scour_strip::Rules::from_toml(&[scour_strip::WECHAT_RULES])
            .expect("the built-in rules compile")
    })
}

fn strip_doc(doc: Doc, markdown: bool, keep_empty: bool) -> Doc {
    scour_strip::strip(
        doc,
        rules(),
        &scour_strip::Options {
            markdown,
            keep_empty,
        },
    )
}

fn dedup_options(
    threshold: f64,
    min_repeat: usize,
    max_block_chars: usize,
) -> scour_dedup::Options {
    scour_dedup::Options {
        threshold,
        min_repeat,
        max_block_chars,
        ..scour_dedup::Options::default()
    }
}

/// The path ids hash for a file named `name` on its own, as `scour run`
/// takes a file argument: its file name (see `scour_normalize::set_id_path`).
fn file_name(name: &str) -> &str {
    std::path::Path::new(name)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(name)
}

/// Dump bytes to records (JSON lines), as `scour normalize` reads the file
/// argument `name` (the ids of records without a URL hash its file name).
#[pyfunction]
#[pyo3(signature = (data, name, text_fields=None))]
fn normalize(data: &[u8], name: &str, text_fields: Option<Vec<String>>) -> Vec<String> {
    scour_normalize::normalize(name, data, &normalize_options(text_fields))
        .into_iter()
        .map(|mut d| {
            scour_normalize::set_id_path(&mut d, file_name(name));
            to_jsonl_line(&d)
        })
        .collect()
}

/// Records (JSON lines) through the strip stage with the built-in rules.
#[pyfunction]
#[pyo3(signature = (records, markdown=false, keep_empty=false))]
fn strip(records: Vec<String>, markdown: bool, keep_empty: bool) -> PyResult<Vec<String>> {
    records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let doc = parse_jsonl_line(r.as_bytes(), i as u64 + 1).map_err(value_error)?;
            Ok(to_jsonl_line(&strip_doc(doc, markdown, keep_empty)))
        })
        .collect()
}

/// The MinHash signature of a body: 128 slots of 16 bits, or `None` when
/// it is too short.
#[pyfunction]
fn minhash(text: &str) -> Option<Vec<u16>> {
    scour_dedup::MinHasher::default()
        .signature(text)
        .map(|s| s.to_vec())
}

fn signature_of(v: &[u8]) -> PyResult<scour_dedup::Signature> {
    if v.len() != 256 {
        return Err(value_error(format!(
            "a signature is 256 bytes, found {}",
            v.len()
        )));
    }
    let mut s = [0u16; 128];
    for (i, slot) in s.iter_mut().enumerate() {
        *slot = u16::from_le_bytes([v[2 * i], v[2 * i + 1]]);
    }
    Ok(s)
}

fn signature_bytes(s: &scour_dedup::Signature) -> Vec<u8> {
    s.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// Estimated Jaccard similarity of two signatures (lists of 128 slots, or
/// their 256-byte little-endian form).
#[pyfunction]
fn similarity(a: Vec<u16>, b: Vec<u16>) -> PyResult<f64> {
    let (Ok(a), Ok(b)) = (
        <[u16; 128]>::try_from(a.as_slice()),
        <[u16; 128]>::try_from(b.as_slice()),
    ) else {
        return Err(value_error("a signature has 128 slots"));
    };
    Ok(sharded::similarity(&a, &b))
}

/// The estimated similarity of each pair of 256-byte signatures; `None`
/// where either is missing.
#[pyfunction]
fn similarity_many(a: Vec<Option<Vec<u8>>>, b: Vec<Option<Vec<u8>>>) -> PyResult<Vec<Option<f64>>> {
    a.iter()
        .zip(&b)
        .map(|(x, y)| match (x, y) {
            (Some(x), Some(y)) => Ok(Some(sharded::similarity(
                &signature_of(x)?,
                &signature_of(y)?,
            ))),
            _ => Ok(None),
        })
        .collect()
}

/// Normalize and strip a batch: dump files (columns `content`, binary, and
/// `name` or `path`; with a `line` column, each row is that line of the
/// JSONL file `name`, as a splittable source reads them; with an `id_path`
/// column, the ids of records without a URL hash it: the file's path
/// relative to its input argument, as `scour run`'s do; without one, the
/// name's file name, as for a file argument) or records (any other batch:
/// each row read as a JSONL line with the same fields, as `scour run` reads
/// a Parquet file's rows: see `record_rows`). Returns records of
/// `scour_arrow::schema` plus `ordinal`, the record's place among its input
/// row's records (0 for a record row), and `row`, that input row.
#[pyfunction]
#[pyo3(signature = (batch, text_field=None, strip=true, markdown=false, keep_empty=false,
                    text_fields=None, name=None, id_path=None, rows=None, format=None))]
#[expect(
    clippy::too_many_arguments,
    reason = "a Python function's keyword arguments"
)]
fn clean_arrow<'py>(
    py: Python<'py>,
    batch: &Bound<'py, PyAny>,
    text_field: Option<String>,
    strip: bool,
    markdown: bool,
    keep_empty: bool,
    text_fields: Option<Vec<String>>,
    name: Option<String>,
    id_path: Option<String>,
    rows: Option<Vec<u64>>,
    format: Option<String>,
) -> PyResult<Bound<'py, PyAny>> {
    let batch = arrow::import_batch(batch)?;
    let finish = |d: Doc| {
        if strip {
            strip_doc(d, markdown, keep_empty)
        } else {
            d
        }
    };
    let (docs, ordinals, row_of) = if batch.column_by_name("content").is_some() {
        file_rows(&batch, &normalize_options(text_fields))?
    } else {
        // `--text-field` names the body column first, as in `scour run`.
        let fields = text_field.map(|f| vec![f]).or(text_fields);
        let source = RowSource {
            name: name.as_deref().unwrap_or(""),
            id_path: id_path.as_deref(),
            numbers: rows.as_deref(),
            format: format.as_deref().unwrap_or("arrow"),
        };
        record_rows(&batch, &source, &normalize_options(fields))?
    };
    let docs: Vec<Doc> = docs.into_iter().map(finish).collect();
    let out = scour_arrow::to_batch(&docs);
    let out = with_columns(
        &out,
        vec![
            (
                Field::new("ordinal", DataType::Int64, false),
                Arc::new(Int64Array::from(ordinals)) as ArrayRef,
            ),
            (
                Field::new("row", DataType::Int64, false),
                Arc::new(Int64Array::from(row_of)) as ArrayRef,
            ),
        ],
    )?;
    arrow::export_batch(py, out)
}

/// Records normalized from a batch, each with its place among its input
/// row's records and that row.
type Normalized = (Vec<Doc>, Vec<i64>, Vec<i64>);

/// The records of a batch of dump files (`clean_arrow`'s first form).
fn file_rows(batch: &RecordBatch, opts: &scour_normalize::Options) -> PyResult<Normalized> {
    let content = batch
        .column_by_name("content")
        .expect("checked by the caller");
    let names = batch
        .column_by_name("name")
        .or_else(|| batch.column_by_name("path"))
        .ok_or_else(|| value_error("a batch of files needs a `name` or `path` column"))?;
    let names = arrow_cast_utf8(names)?;
    let id_paths = batch
        .column_by_name("id_path")
        .map(arrow_cast_utf8)
        .transpose()?;
    let content = match content.data_type() {
        DataType::Binary => content.as_binary::<i32>().clone(),
        DataType::LargeBinary => {
            let c = content.as_binary::<i64>();
            c.iter().collect()
        }
        other => {
            return Err(value_error(format!(
                "column `content`: expected bytes, found {other}"
            )))
        }
    };
    // JSONL lines read apart (a splittable source): each row one line
    // of the file `name`, numbered `line`.
    let lines = match batch.column_by_name("line") {
        Some(c) => Some(
            c.as_primitive_opt::<Int64Type>()
                .ok_or_else(|| value_error("column `line`: expected int64"))?
                .clone(),
        ),
        None => None,
    };
    let (mut docs, mut ordinals, mut rows) = (Vec::new(), Vec::new(), Vec::new());
    for row in 0..batch.num_rows() {
        let name = if names.is_valid(row) {
            names.value(row)
        } else {
            ""
        };
        let bytes = if content.is_valid(row) {
            content.value(row)
        } else {
            &[]
        };
        let id_path = id_paths
            .as_ref()
            .filter(|c| c.is_valid(row))
            .map_or_else(|| file_name(name), |c| c.value(row));
        let docs_of_row = match &lines {
            Some(l) => scour_normalize::normalize_jsonl_lines(
                name,
                bytes,
                u64::try_from(l.value(row)).unwrap_or(1),
                opts,
            ),
            // A Parquet file found in a directory: its rows, as `scour run`
            // reads them (its records' ids are set below as well).
            None if scour_arrow::is_parquet(std::path::Path::new(name)) => {
                scour_normalize::normalize_row_file(
                    name,
                    id_path,
                    scour_arrow::parquet_parts(bytes::Bytes::copy_from_slice(bytes)),
                    PARQUET_FORMAT,
                    opts,
                )
            }
            None => scour_normalize::normalize(name, bytes, opts),
        };
        for (i, mut d) in docs_of_row.into_iter().enumerate() {
            scour_normalize::set_id_path(&mut d, id_path);
            docs.push(d);
            ordinals.push(i as i64);
            rows.push(row as i64);
        }
    }
    Ok((docs, ordinals, rows))
}

/// `origin.format` of a record read from a Parquet file, as `scour run`
/// writes it.
const PARQUET_FORMAT: &str = "parquet";

/// Where a batch of record rows comes from (`clean_arrow`'s second form).
struct RowSource<'a> {
    /// `origin.path`: the file the rows are from (empty when none).
    name: &'a str,
    /// The path ids of rows without a URL hash (see
    /// `scour_normalize::set_id_path`); `None`: the file name of `name`.
    id_path: Option<&'a str>,
    /// Each row's number in its file, counted from 1 as `scour run` numbers
    /// a Parquet file's rows (and a JSONL file's lines); `None`: 1, 2, ...
    numbers: Option<&'a [u64]>,
    /// `origin.format`.
    format: &'a str,
}

/// The records of a batch of record rows: each row a JSONL line with the
/// same fields (`scour_arrow::rows_as_jsonl`), read as `scour run` reads a
/// Parquet file's rows (`scour_normalize::normalize_rows`, then the id
/// path), so that Spark's records of a Parquet file are `scour run`'s.
fn record_rows(
    batch: &RecordBatch,
    source: &RowSource<'_>,
    opts: &scour_normalize::Options,
) -> PyResult<Normalized> {
    if let Some(n) = source.numbers.filter(|n| n.len() != batch.num_rows()) {
        return Err(value_error(format!(
            "{} row numbers for {} rows",
            n.len(),
            batch.num_rows()
        )));
    }
    let id_path = source.id_path.unwrap_or_else(|| file_name(source.name));
    let jsonl = scour_arrow::rows_as_jsonl(batch);
    let (mut docs, mut ordinals, mut rows) = (Vec::new(), Vec::new(), Vec::new());
    // One line a row: each read with its own number, which need not follow
    // the previous row's (a Spark task may hold parts of a file apart).
    for (row, line) in jsonl.split_inclusive(|b| *b == b'\n').enumerate() {
        let number = source.numbers.map_or(row as u64 + 1, |n| n[row]);
        let of_row =
            scour_normalize::normalize_rows(source.name, line, number, source.format, opts);
        for (i, mut d) in of_row.into_iter().enumerate() {
            scour_normalize::set_id_path(&mut d, id_path);
            docs.push(d);
            ordinals.push(i as i64);
            rows.push(row as i64);
        }
    }
    Ok((docs, ordinals, rows))
}

fn arrow_cast_utf8(col: &ArrayRef) -> PyResult<StringArray> {
    match col.data_type() {
        DataType::Utf8 => Ok(col.as_string::<i32>().clone()),
        DataType::LargeUtf8 => Ok(col.as_string::<i64>().iter().collect()),
        DataType::Utf8View => Ok(col.as_string_view().iter().collect()),
        other => Err(value_error(format!("expected strings, found {other}"))),
    }
}

/// `batch` with `extra` columns appended.
fn with_columns(batch: &RecordBatch, extra: Vec<(Field, ArrayRef)>) -> PyResult<RecordBatch> {
    let mut fields: Vec<Field> = batch
        .schema()
        .fields()
        .iter()
        .map(|f| f.as_ref().clone())
        .collect();
    let mut columns = batch.columns().to_vec();
    for (f, c) in extra {
        fields.push(f);
        columns.push(c);
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).map_err(value_error)
}

fn hex128(h: u128) -> String {
    format!("{h:032x}")
}

fn key64(k: u64) -> i64 {
    k as i64
}

/// What repeated-block counting needs of each record of a batch (records
/// of `scour_arrow::schema`, none rejected): `url_key`, `source_key`,
/// `segments` (each segment's block hash, null for a segment that cannot be
/// boilerplate), `compact` (hex of the whitespace-free body's hash),
/// `title_key` and `raw_signature` (the body's signature before repeated
/// blocks go: what tells refetches of one article apart).
#[pyfunction]
#[pyo3(signature = (batch, min_repeat=5, max_block_chars=200))]
fn counting_arrow<'py>(
    py: Python<'py>,
    batch: &Bound<'py, PyAny>,
    min_repeat: usize,
    max_block_chars: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let batch = arrow::import_batch(batch)?;
    let docs = scour_arrow::from_batch(&batch, &Columns::default()).map_err(value_error)?;
    let opts = dedup_options(0.8, min_repeat, max_block_chars);
    let mut url = Int64Builder::new();
    let mut src = Int64Builder::new();
    let mut segs = ListBuilder::new(Int64Builder::new());
    let mut compact = Vec::with_capacity(docs.len());
    let mut title = Int64Builder::new();
    let mut sig = BinaryBuilder::new();
    for d in &docs {
        let fp = sharded::fingerprint(&opts, d);
        url.append_option(fp.url_key.map(key64));
        src.append_option(fp.source.map(key64));
        for s in &fp.segments {
            segs.values().append_option(s.map(key64));
        }
        segs.append(true);
        compact.push(hex128(fp.compact));
        title.append_option(sharded::title_key(d.title.as_deref()).map(key64));
        sig.append_option(fp.signature.as_deref().map(signature_bytes));
    }
    let out = RecordBatch::try_from_iter(vec![
        ("url_key", Arc::new(url.finish()) as ArrayRef),
        ("source_key", Arc::new(src.finish()) as ArrayRef),
        ("segments", Arc::new(segs.finish()) as ArrayRef),
        ("compact", Arc::new(StringArray::from(compact)) as ArrayRef),
        ("title_key", Arc::new(title.finish()) as ArrayRef),
        ("raw_signature", Arc::new(sig.finish()) as ArrayRef),
    ])
    .map_err(value_error)?;
    arrow::export_batch(py, out)
}

/// Removes each record's repeated blocks (column `repeated`: the block
/// hashes of its source found repeated; null or empty for none), recording
/// each removal, strips a record that lost some again with the built-in
/// rules until that changes nothing (`scour_strip::strip_again`, as `scour
/// run` does), and fingerprints what is left. Returns the records (of
/// `scour_arrow::schema`) plus `empty` (the body went with the blocks),
/// `had_body`, `url_key`, `body` (hex hash, null without a body), `day`
/// (the keep rank's day: unknown last), `len`, `signature` (256 bytes, null
/// when too short) and `bands` (its LSH band keys).
#[pyfunction]
#[pyo3(signature = (batch, threshold=0.8, min_repeat=5, max_block_chars=200))]
fn finish_arrow<'py>(
    py: Python<'py>,
    batch: &Bound<'py, PyAny>,
    threshold: f64,
    min_repeat: usize,
    max_block_chars: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let batch = arrow::import_batch(batch)?;
    let docs = scour_arrow::from_batch(&batch, &Columns::default()).map_err(value_error)?;
    let repeated = match batch.column_by_name("repeated") {
        Some(c) => match c.data_type() {
            DataType::List(_) => Some(c.as_list::<i32>().clone()),
            DataType::Null => None,
            other => return Err(value_error(format!("column `repeated`: found {other}"))),
        },
        None => None,
    };
    let opts = dedup_options(threshold, min_repeat, max_block_chars);
    let params = sharded::lsh_params(&opts);
    let mut out_docs = Vec::with_capacity(docs.len());
    let mut had_body = BooleanBuilder::new();
    let mut url = Int64Builder::new();
    let mut body: Vec<Option<String>> = Vec::with_capacity(docs.len());
    let mut day = Int64Builder::new();
    let mut len = Int64Builder::new();
    let mut sig = BinaryBuilder::new();
    let mut bands = ListBuilder::new(Int64Builder::new());
    for (row, mut d) in docs.into_iter().enumerate() {
        let bad: Vec<u64> = match repeated.as_ref().filter(|r| r.is_valid(row)) {
            Some(r) => {
                let v = r.value(row);
                let v = v.as_primitive::<Int64Type>();
                v.iter().flatten().map(|x| x as u64).collect()
            }
            None => Vec::new(),
        };
        let mut fp = sharded::fingerprint(&opts, &d);
        if !bad.is_empty() && fp.had_body {
            // None also when it would leave less than 30 characters: the
            // record is then compared whole.
            if let Some((text, removed)) =
                sharded::strip_repeated(&d.text, &fp.segments, |h| bad.contains(&h))
            {
                d.text = text;
                for r in removed {
                    d.record_removal(sharded::FAMILY, sharded::RULE, &r);
                }
                // As `scour run` does (`Deduper::restrip_with`): a shorter
                // body is stripped again, to a fixpoint (issue 15).
                d = scour_strip::strip_again(d, rules());
                fp = sharded::fingerprint(&opts, &d);
            }
        }
        had_body.append_value(fp.had_body);
        url.append_option(fp.url_key.map(key64));
        body.push(fp.body.map(hex128));
        day.append_value(i64::from(fp.day));
        len.append_value(i64::from(fp.len));
        if let Some(s) = &fp.signature {
            sig.append_value(signature_bytes(s));
            for k in sharded::band_keys(s, params) {
                bands.values().append_value(key64(k));
            }
        } else {
            sig.append_null();
        }
        bands.append(true);
        out_docs.push(d);
    }
    let out = scour_arrow::to_batch(&out_docs);
    let out = with_columns(
        &out,
        vec![
            (
                Field::new("had_body", DataType::Boolean, false),
                Arc::new(had_body.finish()),
            ),
            (
                Field::new("url_key", DataType::Int64, true),
                Arc::new(url.finish()),
            ),
            (
                Field::new("body", DataType::Utf8, true),
                Arc::new(StringArray::from(body)),
            ),
            (
                Field::new("day", DataType::Int64, false),
                Arc::new(day.finish()),
            ),
            (
                Field::new("len", DataType::Int64, false),
                Arc::new(len.finish()),
            ),
            (
                Field::new("signature", DataType::Binary, true),
                Arc::new(sig.finish()),
            ),
            (
                Field::new(
                    "bands",
                    DataType::List(Arc::new(Field::new("item", DataType::Int64, true))),
                    false,
                ),
                Arc::new(bands.finish()),
            ),
        ],
    )?;
    arrow::export_batch(py, out)
}

fn int64_column<'a>(batch: &'a RecordBatch, name: &str) -> PyResult<&'a Int64Array> {
    batch
        .column_by_name(name)
        .and_then(|c| c.as_primitive_opt::<Int64Type>())
        .ok_or_else(|| value_error(format!("column `{name}`: expected int64")))
}

fn binary_column(batch: &RecordBatch, name: &str) -> PyResult<arrow_array::BinaryArray> {
    let c = batch
        .column_by_name(name)
        .ok_or_else(|| value_error(format!("column `{name}` is missing")))?;
    match c.data_type() {
        DataType::Binary => Ok(c.as_binary::<i32>().clone()),
        DataType::LargeBinary => Ok(c.as_binary::<i64>().iter().collect()),
        DataType::Null => Ok(arrow_array::BinaryArray::new_null(c.len())),
        other => Err(value_error(format!(
            "column `{name}`: expected bytes, found {other}"
        ))),
    }
}

fn string_column(batch: &RecordBatch, name: &str) -> PyResult<StringArray> {
    let c = batch
        .column_by_name(name)
        .ok_or_else(|| value_error(format!("column `{name}` is missing")))?;
    if c.data_type() == &DataType::Null {
        return Ok(StringArray::new_null(c.len()));
    }
    arrow_cast_utf8(c)
}

/// Row indices of `batch` in the order of its `pos` column.
fn by_pos(batch: &RecordBatch) -> PyResult<(Vec<usize>, Int64Array)> {
    let pos = int64_column(batch, "pos")?.clone();
    let mut order: Vec<usize> = (0..batch.num_rows()).collect();
    order.sort_by_key(|&i| pos.value(i));
    Ok((order, pos))
}

/// Repeated-block counting's refetch check for one (source, title) group:
/// rows `pos` (input order) and `raw_signature` (256 bytes). Returns `pos`
/// and `counted` (`scour_dedup::sharded::counted_of_title`).
#[pyfunction]
#[pyo3(signature = (batch, threshold=0.8))]
fn counted_of_title_arrow<'py>(
    py: Python<'py>,
    batch: &Bound<'py, PyAny>,
    threshold: f64,
) -> PyResult<Bound<'py, PyAny>> {
    let batch = arrow::import_batch(batch)?;
    let (order, pos) = by_pos(&batch)?;
    let sigs = binary_column(&batch, "raw_signature")?;
    let signatures = order
        .iter()
        .map(|&i| signature_of(sigs.value(i)))
        .collect::<PyResult<Vec<_>>>()?;
    let counted = sharded::counted_of_title(&signatures, threshold);
    let out = RecordBatch::try_from_iter(vec![
        (
            "pos",
            Arc::new(Int64Array::from_iter_values(
                order.iter().map(|&i| pos.value(i)),
            )) as ArrayRef,
        ),
        (
            "counted",
            Arc::new(arrow_array::BooleanArray::from(counted)) as ArrayRef,
        ),
    ])
    .map_err(value_error)?;
    arrow::export_batch(py, out)
}

/// The grouping rule over one connected component (ARCHITECTURE.md,
/// "Deduplication: the grouping rule"): rows `pos` (input order), `id`,
/// `url_key`, `body` (hex hash, null for a stub), `day` (0 unknown), `len`,
/// `signature` (256 bytes or null), as `finish_arrow` gives them. Returns
/// `pos`, `outcome` (`kept`, `duplicate` or `empty`), `duplicate_of`,
/// `dup_kind` and `similarity` (rounded as written), by
/// `scour_dedup::sharded::decide`.
#[pyfunction]
#[pyo3(signature = (batch, threshold=0.8))]
fn decide_arrow<'py>(
    py: Python<'py>,
    batch: &Bound<'py, PyAny>,
    threshold: f64,
) -> PyResult<Bound<'py, PyAny>> {
    let batch = arrow::import_batch(batch)?;
    let (order, pos) = by_pos(&batch)?;
    let ids = string_column(&batch, "id")?;
    let urls = int64_column(&batch, "url_key")?;
    let bodies = string_column(&batch, "body")?;
    let days = int64_column(&batch, "day")?;
    let lens = int64_column(&batch, "len")?;
    let sigs = binary_column(&batch, "signature")?;
    let mut members = Vec::with_capacity(order.len());
    for &i in &order {
        let body = if bodies.is_valid(i) {
            Some(u128::from_str_radix(bodies.value(i), 16).map_err(value_error)?)
        } else {
            None
        };
        let signature = if sigs.is_valid(i) {
            Some(Box::new(signature_of(sigs.value(i))?))
        } else {
            None
        };
        members.push(sharded::Member {
            url_key: urls.is_valid(i).then(|| urls.value(i) as u64),
            body,
            day: u32::try_from(days.value(i)).unwrap_or(0),
            len: u32::try_from(lens.value(i)).unwrap_or(u32::MAX),
            signature,
        });
    }
    let opts = dedup_options(threshold, 5, 200);
    let decisions = sharded::decide(&opts, members);
    let n = order.len();
    let mut outcome = Vec::with_capacity(n);
    let mut of: Vec<Option<String>> = Vec::with_capacity(n);
    let mut kind: Vec<Option<&str>> = Vec::with_capacity(n);
    let mut sim: Vec<Option<f64>> = Vec::with_capacity(n);
    for d in &decisions {
        match d {
            sharded::Decision::Kept => {
                outcome.push("kept");
                of.push(None);
                kind.push(None);
                sim.push(None);
            }
            sharded::Decision::Empty => {
                outcome.push("empty");
                of.push(None);
                kind.push(None);
                sim.push(None);
            }
            sharded::Decision::Duplicate {
                of: k,
                kind: dk,
                similarity,
            } => {
                outcome.push("duplicate");
                of.push(Some(ids.value(order[*k]).to_owned()));
                kind.push(Some(dk.as_str()));
                sim.push(Some(sharded::rounded(*similarity)));
            }
        }
    }
    let out = RecordBatch::try_from_iter(vec![
        (
            "pos",
            Arc::new(Int64Array::from_iter_values(
                order.iter().map(|&i| pos.value(i)),
            )) as ArrayRef,
        ),
        ("outcome", Arc::new(StringArray::from(outcome)) as ArrayRef),
        ("duplicate_of", Arc::new(StringArray::from(of)) as ArrayRef),
        ("dup_kind", Arc::new(StringArray::from(kind)) as ArrayRef),
        (
            "similarity",
            Arc::new(arrow_array::Float64Array::from(sim)) as ArrayRef,
        ),
    ])
    .map_err(value_error)?;
    arrow::export_batch(py, out)
}

/// The repeated-block threshold for a source of `docs` counted records.
#[pyfunction]
#[pyo3(signature = (docs, min_repeat=5))]
fn needed(docs: u32, min_repeat: usize) -> u32 {
    sharded::needed(&dedup_options(0.8, min_repeat, 200), docs)
}

/// The similarity written on a duplicate (4 decimals).
#[pyfunction]
fn rounded(similarity: f64) -> f64 {
    sharded::rounded(similarity)
}

/// The reject reason and detail of a record dedup found no body in.
#[pyfunction]
fn empty_reject() -> (&'static str, &'static str) {
    (sharded::EMPTY.as_str(), sharded::EMPTY_DETAIL)
}

/// The version of the record schema (`scour.record.version` in the Arrow
/// and Parquet metadata).
#[pyfunction]
fn schema_version() -> &'static str {
    scour_arrow::SCHEMA_VERSION
}

/// The records' Arrow schema, as a pyarrow schema.
#[pyfunction]
fn record_schema(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    let empty = scour_arrow::to_batch(&[]);
    let b = arrow::export_batch(py, empty)?;
    b.getattr("schema")
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(normalize, m)?)?;
    m.add_function(wrap_pyfunction!(strip, m)?)?;
    m.add_function(wrap_pyfunction!(minhash, m)?)?;
    m.add_function(wrap_pyfunction!(similarity, m)?)?;
    m.add_function(wrap_pyfunction!(similarity_many, m)?)?;
    m.add_function(wrap_pyfunction!(clean_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(counting_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(finish_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(counted_of_title_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(decide_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(needed, m)?)?;
    m.add_function(wrap_pyfunction!(rounded, m)?)?;
    m.add_function(wrap_pyfunction!(schema_version, m)?)?;
    m.add_function(wrap_pyfunction!(empty_reject, m)?)?;
    m.add_function(wrap_pyfunction!(record_schema, m)?)?;
    Ok(())
}
