//! Parquet outputs: `-o`, `--dups` or `--rejects` with a `.parquet` name.
//!
//! The run hands every output the JSONL lines it would write (made on the
//! workers, in input order); a Parquet output reads them back into records
//! and writes them as the columns of `scour_arrow::schema`, in fixed row
//! groups, so the file's bytes depend on the records only, at any `-j`. Like
//! every file output it is written beside its target and renamed over it
//! at the end.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use scour_arrow::ParquetSink;
use scour_record::parse_jsonl_line;

use crate::commit::Temp;

/// Whether `path` names a Parquet output or input (its extension, any case).
pub(crate) use scour_arrow::is_parquet;

/// A Parquet file being written to a temporary file beside its target.
pub(crate) struct ParquetOut {
    sink: ParquetSink<BufWriter<Temp>>,
    target: PathBuf,
    lines: u64,
}

impl ParquetOut {
    pub(crate) fn new(target: &Path) -> Result<ParquetOut> {
        let tmp = Temp::create(target)?;
        let sink = ParquetSink::new(BufWriter::with_capacity(1 << 16, tmp))
            .with_context(|| format!("writing {}", target.display()))?;
        Ok(ParquetOut {
            sink,
            target: target.to_owned(),
            lines: 0,
        })
    }

    /// Takes JSONL lines (one or more, each ending in a newline).
    pub(crate) fn write_lines(&mut self, bytes: &[u8]) -> Result<()> {
        for line in bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            self.lines += 1;
            let doc = parse_jsonl_line(line, self.lines).with_context(|| {
                format!(
                    "internal error: record {} for {} is not JSON",
                    self.lines,
                    self.target.display()
                )
            })?;
            self.sink
                .push(doc)
                .with_context(|| format!("writing {}", self.target.display()))?;
        }
        Ok(())
    }

    /// Writes the footer; returns the temporary file, flushed.
    pub(crate) fn finish(self) -> Result<Temp> {
        let ParquetOut { sink, target, .. } = self;
        let mut w = sink
            .finish()
            .with_context(|| format!("writing {}", target.display()))?;
        w.flush()
            .with_context(|| format!("writing {}", target.display()))?;
        let tmp = w
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)
            .with_context(|| format!("writing {}", target.display()))?;
        Ok(tmp)
    }
}
