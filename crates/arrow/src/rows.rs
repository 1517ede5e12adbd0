//! Rows of any Arrow batch as JSON object lines: how a Parquet file that is
//! not scour's output (a Hugging Face dataset: `text`, maybe `url`, `title`)
//! becomes input of the same reader as a JSONL file with the same fields.

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::DataType;
use scour_record::Extra;
use serde_json::{Map, Value};

use crate::record::json_at;

/// The rows of `batch` as JSONL: one JSON object a line, a line a row, in
/// row order, the `\n` after each. A row's fields are its columns in schema
/// order with a null cell left out (as a JSONL line without that field),
/// lists as arrays and structs as objects; strings, numbers and booleans as
/// themselves, any other type as Arrow displays it (a timestamp, bytes).
/// A string column named `extra` holding a JSON object (scour's own
/// passthrough column) gives its fields, byte for byte, after the columns,
/// as scour's JSONL output writes them; a field a column already gave is
/// not repeated.
///
/// Feed the lines to `scour_normalize::normalize_jsonl_lines`: then a row
/// is read as the same fields on a JSONL line are.
#[must_use]
pub fn rows_as_jsonl(batch: &RecordBatch) -> Vec<u8> {
    let schema = batch.schema();
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    let mut out = Vec::new();
    for row in 0..batch.num_rows() {
        let mut line = Map::new();
        let mut extra = None;
        for (name, col) in names.iter().zip(batch.columns()) {
            if *name == "extra" {
                if let Some(e) = passthrough(col, row) {
                    extra = Some(e);
                    continue;
                }
            }
            if let Some(v) = cell(col, row) {
                line.insert((*name).to_owned(), v);
            }
        }
        write_line(&mut out, &line, extra.as_ref());
    }
    out
}

/// The fields of an `extra` cell that is a JSON object, each value's JSON
/// text as written (`1E5` stays so; issue 15).
fn passthrough(col: &ArrayRef, row: usize) -> Option<Extra> {
    let Some(Value::String(text)) = json_at(col, row) else {
        return None;
    };
    serde_json::from_str(&text).ok()
}

fn write_line(out: &mut Vec<u8>, line: &Map<String, Value>, extra: Option<&Extra>) {
    let mut first = true;
    let mut field = |out: &mut Vec<u8>, key: &str, value: &str| {
        out.push(if first { b'{' } else { b',' });
        first = false;
        out.extend_from_slice(Value::from(key).to_string().as_bytes());
        out.push(b':');
        out.extend_from_slice(value.as_bytes());
    };
    for (k, v) in line {
        field(out, k, &v.to_string());
    }
    for (k, v) in extra.into_iter().flat_map(Extra::iter) {
        if line.contains_key(k) {
            continue;
        }
        // A value written over several lines would split the row's line.
        match v.get() {
            t if t.contains(['\n', '\r']) => {
                let v: Value = serde_json::from_str(t).unwrap_or(Value::Null);
                field(out, k, &v.to_string());
            }
            t => field(out, k, t),
        }
    }
    if first {
        out.push(b'{');
    }
    out.extend_from_slice(b"}\n");
}

/// A cell as a JSON value; `None` for a null.
fn cell(col: &ArrayRef, row: usize) -> Option<Value> {
    if col.is_null(row) {
        return None;
    }
    match col.data_type() {
        DataType::List(_) => Some(list(&col.as_list::<i32>().value(row))),
        DataType::LargeList(_) => Some(list(&col.as_list::<i64>().value(row))),
        DataType::FixedSizeList(..) => Some(list(&col.as_fixed_size_list().value(row))),
        DataType::Struct(fields) => {
            let s = col.as_struct();
            let mut m = Map::new();
            for (f, c) in fields.iter().zip(s.columns()) {
                if let Some(v) = cell(c, row) {
                    m.insert(f.name().clone(), v);
                }
            }
            Some(Value::Object(m))
        }
        _ => json_at(col, row),
    }
}

fn list(values: &ArrayRef) -> Value {
    Value::Array(
        (0..values.len())
            .map(|i| cell(values, i).unwrap_or(Value::Null))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::builder::{ListBuilder, StringBuilder};
    use arrow_array::{Int32Array, LargeStringArray, StringArray, StructArray};
    use arrow_schema::Field;

    use super::*;

    #[test]
    fn a_row_is_a_jsonl_line_of_its_fields() {
        let mut tags = ListBuilder::new(StringBuilder::new());
        tags.append_value([Some("安全"), None]);
        tags.append_null();
        let meta = StructArray::from(vec![(
            Arc::new(Field::new("lang", DataType::Utf8, true)),
            Arc::new(StringArray::from(vec![Some("zh"), None])) as ArrayRef,
        )]);
        let batch = RecordBatch::try_from_iter(vec![
            (
                "text",
                Arc::new(LargeStringArray::from(vec![Some("正文\n第二段"), None])) as ArrayRef,
            ),
            (
                "stars",
                Arc::new(Int32Array::from(vec![Some(5), None])) as ArrayRef,
            ),
            ("tags", Arc::new(tags.finish()) as ArrayRef),
            ("meta", Arc::new(meta) as ArrayRef),
            (
                "extra",
                Arc::new(StringArray::from(vec![
                    Some(
                        r#"{"e":1E5,"stars":0,"多":
 "行"}"#,
                    ),
                    Some("not json"),
                ])) as ArrayRef,
            ),
        ])
        .unwrap();
        let text = String::from_utf8(rows_as_jsonl(&batch)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            [
                r#"{"text":"正文\n第二段","stars":5,"tags":["安全",null],"meta":{"lang":"zh"},"e":1E5,"多":"行"}"#,
                r#"{"meta":{},"extra":"not json"}"#,
            ]
        );
        assert!(text.ends_with('\n'));
    }

    #[test]
    fn a_row_of_nulls_is_an_empty_object() {
        let batch = RecordBatch::try_from_iter(vec![(
            "text",
            Arc::new(StringArray::from(vec![None::<&str>])) as ArrayRef,
        )])
        .unwrap();
        assert_eq!(rows_as_jsonl(&batch), b"{}\n");
    }
}
