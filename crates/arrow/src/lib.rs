//! The scour record ([`Doc`]) as Arrow columns, and Parquet files of records.
//!
//! [`schema`] is the record's Arrow schema: one column per field of [`Doc`],
//! in the order of the JSONL wire format; `credits` and `images` are lists
//! of strings, `origin` a struct, `removed` a list of structs, and the
//! fields of the input that scour does not know (`Doc::extra`) one JSON
//! object text in the column `extra` (null when there are none). The schema's
//! metadata carries [`SCHEMA_VERSION`] under [`VERSION_KEY`].
//!
//! [`to_batch`] and [`from_batch`] convert, and round-trip every field;
//! [`ParquetSink`] writes a Parquet file (zstd) of records in row groups of
//! fixed row counts, so the same records give the same bytes whoever
//! hands them over, a batch at a time or one by one. [`ParquetRecords`]
//! reads a Parquet file of records back, with any text column;
//! [`ParquetRows`] reads any Parquet file's rows as JSONL lines
//! ([`rows_as_jsonl`]), for scour's JSON reader, which is how `scour run`
//! and `scour_text` read Parquet input.
//!
//! ```
//! use scour_arrow::{from_batch, to_batch, Columns};
//! use scour_record::Doc;
//!
//! let doc = Doc { id: "a1".into(), text: "正文".into(), ..Doc::default() };
//! let batch = to_batch(&[doc.clone()]);
//! assert_eq!(batch.num_rows(), 1);
//! assert_eq!(from_batch(&batch, &Columns::default()).unwrap(), vec![doc]);
//! ```
//!
//! When not to use it: for scour's own temporary files ([`Doc::encode`] is
//! smaller and faster), or where JSONL's byte-stable lines are wanted.
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::print_stdout, clippy::print_stderr))]

mod error;
mod parquet_io;
mod record;
mod rows;

pub use error::{Error, Result};
pub use parquet_io::{
    is_parquet, parquet_parts, ParquetRecords, ParquetRows, ParquetSink, RowLines, ROW_GROUP_ROWS,
};
pub use record::{from_batch, schema, to_batch, Columns, SCHEMA_VERSION, VERSION_KEY};
pub use rows::rows_as_jsonl;

pub use arrow_array::RecordBatch;
pub use scour_record::Doc;
