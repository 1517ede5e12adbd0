//! Parquet files of records: written in fixed row groups, read a batch at a
//! time.

use std::io::Write;

use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use parquet::file::reader::ChunkReader;
use scour_record::Doc;

use crate::record::{from_batch, schema, to_batch, Columns};
use crate::rows::rows_as_jsonl;
use crate::Result;

/// Rows in a row group. Fixed, so that the file's bytes depend on the
/// records only (not on threads, nor on how they were handed over); small
/// enough that the writer's buffered row group stays in the tens of MB for
/// article-sized records.
pub const ROW_GROUP_ROWS: usize = 4096;
/// Documents converted to Arrow at a time.
const BATCH_ROWS: usize = 1024;

/// Writes records to a Parquet file (zstd level 3) of [`schema`](crate::schema).
///
/// [`push`](ParquetSink::push) records in order, then
/// [`finish`](ParquetSink::finish) to write the footer and get the writer
/// back. Dropped unfinished, the output is not a Parquet file.
pub struct ParquetSink<W: Write + Send> {
    writer: ArrowWriter<W>,
    pending: Vec<Doc>,
}

impl<W: Write + Send> ParquetSink<W> {
    /// A sink writing to `out`.
    ///
    /// # Errors
    /// When the writer cannot be set up (it writes the file's magic bytes).
    pub fn new(out: W) -> Result<Self> {
        let props = WriterProperties::builder()
            .set_compression(Compression::ZSTD(
                ZstdLevel::try_new(3).expect("3 is a zstd level"),
            ))
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .build();
        Ok(ParquetSink {
            writer: ArrowWriter::try_new(out, schema(), Some(props))?,
            pending: Vec::with_capacity(BATCH_ROWS),
        })
    }

    /// Adds one record.
    ///
    /// # Errors
    /// When writing a full batch fails.
    pub fn push(&mut self, doc: Doc) -> Result<()> {
        self.pending.push(doc);
        if self.pending.len() >= BATCH_ROWS {
            self.flush_pending()?;
        }
        Ok(())
    }

    fn flush_pending(&mut self) -> Result<()> {
        if !self.pending.is_empty() {
            let batch = to_batch(&self.pending);
            self.pending.clear();
            self.writer.write(&batch)?;
        }
        Ok(())
    }

    /// Writes what is pending and the footer; returns the writer (not
    /// flushed: that is the caller's, with its own error context).
    ///
    /// # Errors
    /// When writing fails.
    pub fn finish(mut self) -> Result<W> {
        self.flush_pending()?;
        Ok(self.writer.into_inner()?)
    }
}

/// The records of a Parquet file, a batch at a time (see
/// [`from_batch`](crate::from_batch) for the columns it reads).
pub struct ParquetRecords {
    reader: ParquetRecordBatchReader,
    columns: Columns,
}

impl ParquetRecords {
    /// Opens a Parquet file.
    ///
    /// # Errors
    /// When it is not a Parquet file.
    pub fn new<R: ChunkReader + 'static>(file: R, columns: Columns) -> Result<Self> {
        Ok(ParquetRecords {
            reader: batches(file)?,
            columns,
        })
    }
}

fn batches<R: ChunkReader + 'static>(file: R) -> Result<ParquetRecordBatchReader> {
    Ok(ParquetRecordBatchReaderBuilder::try_new(file)?
        .with_batch_size(BATCH_ROWS)
        .build()?)
}

/// The rows of any Parquet file as JSONL lines ([`rows_as_jsonl`]), a
/// batch at a time, each batch with the number of its first row.
pub struct ParquetRows {
    reader: ParquetRecordBatchReader,
    next_row: u64,
}

/// Some consecutive rows of a Parquet file, from [`ParquetRows`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowLines {
    /// The number of the first row in the file, counted from 1 as a JSONL
    /// file's lines are (`origin.line`): the Nth row of a Parquet file and
    /// the Nth line of a JSONL file are told apart in ids alike.
    pub first_row: u64,
    /// The rows as JSONL, one line each.
    pub jsonl: Vec<u8>,
}

impl ParquetRows {
    /// Opens a Parquet file.
    ///
    /// # Errors
    /// When it is not a Parquet file.
    pub fn new<R: ChunkReader + 'static>(file: R) -> Result<Self> {
        Ok(ParquetRows {
            reader: batches(file)?,
            next_row: 1,
        })
    }
}

/// The rows of a Parquet file as [`ParquetRows`] gives them, as (first
/// row's number, JSONL) pairs, a file that is not Parquet as one error:
/// what `scour_normalize::normalize_row_file` reads.
pub fn parquet_parts<R: ChunkReader + 'static>(
    file: R,
) -> Box<dyn Iterator<Item = Result<(u64, Vec<u8>)>>> {
    match ParquetRows::new(file) {
        Ok(rows) => Box::new(rows.map(|r| r.map(|l| (l.first_row, l.jsonl)))),
        Err(e) => Box::new(std::iter::once(Err(e))),
    }
}

/// Whether `path` names a Parquet file (`.parquet`, any case): how
/// `scour run` and `scour_text` tell a Parquet input from a dump, whose
/// format is sniffed from its bytes instead.
#[must_use]
pub fn is_parquet(path: &std::path::Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
}

impl Iterator for ParquetRows {
    type Item = Result<RowLines>;

    fn next(&mut self) -> Option<Self::Item> {
        let batch = match self.reader.next()? {
            Ok(b) => b,
            Err(e) => return Some(Err(e.into())),
        };
        let first_row = self.next_row;
        self.next_row += batch.num_rows() as u64;
        Some(Ok(RowLines {
            first_row,
            jsonl: rows_as_jsonl(&batch),
        }))
    }
}

impl Iterator for ParquetRecords {
    type Item = Result<Vec<Doc>>;

    fn next(&mut self) -> Option<Self::Item> {
        let batch = self.reader.next()?;
        Some(
            batch
                .map_err(crate::Error::from)
                .and_then(|b| from_batch(&b, &self.columns)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::tests::full_doc;

    fn docs(n: usize) -> Vec<Doc> {
        (0..n)
            .map(|i| {
                let mut d = full_doc();
                d.id = format!("{i:08x}");
                d.text = format!("第{i}篇的正文");
                if i % 3 == 0 {
                    d.removed.clear();
                    d.extra.clear();
                    d.similarity = None;
                }
                d
            })
            .collect()
    }

    fn write(docs: &[Doc]) -> Vec<u8> {
        let mut sink = ParquetSink::new(Vec::new()).unwrap();
        for d in docs {
            sink.push(d.clone()).unwrap();
        }
        sink.finish().unwrap()
    }

    #[test]
    fn written_records_read_back_across_row_groups() {
        let docs = docs(ROW_GROUP_ROWS + 10);
        let bytes = write(&docs);
        assert_eq!(&bytes[..4], b"PAR1");
        let back: Vec<Doc> = ParquetRecords::new(bytes::Bytes::from(bytes), Columns::default())
            .unwrap()
            .flat_map(Result::unwrap)
            .collect();
        assert_eq!(back, docs);
    }

    #[test]
    fn same_records_same_bytes() {
        let docs = docs(2500);
        assert_eq!(write(&docs), write(&docs));
    }
}
