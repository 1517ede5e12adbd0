//! Where records go: stdout, a device, or a file written beside its target
//! and renamed over it with the run's other outputs (see [`crate::commit`]).

use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use scour_record::{to_jsonl_line, Doc};

use crate::commit::{shown, Temp};
use crate::parquet::{is_parquet, ParquetOut};

/// Where records go: stdout, or a file written atomically.
pub(crate) enum Sink {
    Stdout(BufWriter<std::io::Stdout>),
    File(BufWriter<Temp>),
    /// A device or pipe (`/dev/null`, `/dev/stdout`, a fifo): written in
    /// place, since renaming over it would replace the device with a file.
    Special {
        writer: BufWriter<std::fs::File>,
        target: PathBuf,
    },
    /// A Parquet file (`.parquet`): see [`crate::parquet`].
    Parquet(Box<ParquetOut>),
    Null,
}

impl Sink {
    /// Records to `path`, or to stdout when `None`.
    pub(crate) fn records(path: Option<&Path>) -> Result<Sink> {
        match path {
            Some(p) => Sink::file(p),
            None => Ok(Sink::Stdout(BufWriter::with_capacity(
                1 << 16,
                std::io::stdout(),
            ))),
        }
    }

    /// An optional side output (`--dups`, `--rejects`).
    pub(crate) fn optional(path: Option<&Path>) -> Result<Sink> {
        match path {
            Some(p) => Sink::file(p),
            None => Ok(Sink::Null),
        }
    }

    /// A file output: its temporary is created now, so that an unwritable
    /// path fails before the run.
    pub(crate) fn file(path: &Path) -> Result<Sink> {
        if is_parquet(path) {
            return Ok(Sink::Parquet(Box::new(ParquetOut::new(path)?)));
        }
        if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(|| format!("cannot open {} for writing", shown(path)))?;
            return Ok(Sink::Special {
                writer: BufWriter::with_capacity(1 << 16, f),
                target: path.to_owned(),
            });
        }
        Ok(Sink::File(BufWriter::with_capacity(
            1 << 16,
            Temp::create(path)?,
        )))
    }

    pub(crate) fn write_doc(&mut self, doc: &Doc) -> Result<()> {
        let line = to_jsonl_line(doc);
        self.write_all(line.as_bytes())
    }

    pub(crate) fn write_all(&mut self, bytes: &[u8]) -> Result<()> {
        match self {
            Sink::Stdout(w) => w.write_all(bytes).context("writing to stdout"),
            Sink::File(w) => w
                .write_all(bytes)
                .with_context(|| format!("writing {}", shown(w.get_ref().target()))),
            Sink::Special { writer, target } => writer
                .write_all(bytes)
                .with_context(|| format!("writing {}", shown(target))),
            Sink::Parquet(p) => p.write_lines(bytes),
            Sink::Null => Ok(()),
        }
    }

    /// Flushes: a file output to disk, its temporary returned for the
    /// commit.
    pub(crate) fn finish(self) -> Result<Option<Temp>> {
        let mut tmp = match self {
            Sink::Stdout(mut w) => return w.flush().context("writing to stdout").map(|()| None),
            Sink::Special { mut writer, target } => {
                return writer
                    .flush()
                    .with_context(|| format!("writing {}", shown(&target)))
                    .map(|()| None)
            }
            Sink::Null => return Ok(None),
            Sink::File(w) => {
                let target = w.get_ref().target().to_owned();
                w.into_inner()
                    .map_err(std::io::IntoInnerError::into_error)
                    .with_context(|| format!("writing {}", shown(&target)))?
            }
            Sink::Parquet(p) => p.finish()?,
        };
        tmp.sync()?;
        Ok(Some(tmp))
    }
}

/// Finishes several outputs at once: each waits on its own disk flush, so
/// they flush side by side. The first error, in the order given, wins; the
/// temporaries come back in that order.
pub(crate) fn finish_all<const N: usize>(sinks: [Sink; N]) -> Result<Vec<Temp>> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = sinks
            .into_iter()
            .map(|s| scope.spawn(move || s.finish()))
            .collect();
        let results: Vec<Result<Option<Temp>>> = handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("internal error: a writer panicked")))
            })
            .collect();
        let mut temps = Vec::new();
        for r in results {
            temps.extend(r?);
        }
        Ok(temps)
    })
}

/// Writes `bytes` to the temporary of `path` and syncs it, for the commit.
pub(crate) fn write_temp(mut tmp: Temp, bytes: &[u8]) -> Result<Temp> {
    tmp.write_all(bytes)
        .with_context(|| format!("writing {}", shown(tmp.target())))?;
    tmp.sync()?;
    Ok(tmp)
}

/// Whether stderr is a terminal (progress bars and color only then).
pub(crate) fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}

/// Whether an error is a closed pipe on stdout, which ends the run quietly.
pub(crate) fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The path under `--text-dir` of a record: its input path relative to the
/// input argument it was found under (the file's own name when the argument
/// is the file; under the argument's name when several were given), plus
/// the line or offset inside a file that holds many records, plus `.txt`.
/// A function of the origin and the arguments only; names are not altered
/// (two different inputs never share one), except that one too long for a
/// file system is cut and made unique with the record's id.
pub(crate) fn text_rel_path(doc: &Doc, inputs: &[PathBuf]) -> PathBuf {
    let origin = Path::new(&doc.origin.path);
    let several = inputs.len() > 1;
    let mut rel = PathBuf::new();
    if doc.origin.path == "-" || doc.origin.path.is_empty() {
        rel.push("stdin");
    } else if let Some((arg, under)) = inputs
        .iter()
        .filter(|a| a.as_os_str() != "-")
        .find_map(|a| origin.strip_prefix(a).ok().map(|r| (a, r)))
    {
        let arg_name = arg
            .file_name()
            .map_or_else(|| PathBuf::from("input"), PathBuf::from);
        if under.as_os_str().is_empty() {
            rel.push(&arg_name);
        } else {
            if several {
                rel.push(&arg_name);
            }
            rel.push(under);
        }
    } else {
        // Not under any argument (cannot happen from a walk): the path's
        // normal components.
        for c in origin.components() {
            if let std::path::Component::Normal(c) = c {
                rel.push(c);
            }
        }
    }
    let mut name = rel
        .file_name()
        .map_or_else(|| "stdin".to_owned(), |n| n.to_string_lossy().into_owned());
    if let Some(l) = doc.origin.line {
        name.push_str(&format!("@L{l}"));
    } else if let Some(o) = doc.origin.offset {
        name.push_str(&format!("@{o}"));
    }
    // File systems limit names to 255 bytes: keep the end, which is the most
    // specific part, and make the cut unique with the record id.
    if name.len() > 200 {
        let mut start = name.len() - 160;
        while !name.is_char_boundary(start) {
            start += 1;
        }
        name = format!("{}-{}", &doc.id[..doc.id.len().min(16)], &name[start..]);
    }
    name.push_str(".txt");
    rel.set_file_name(name);
    rel
}

/// The `.txt` rendering of a record: front matter with its fields, the body.
pub(crate) fn text_file_body(doc: &Doc) -> String {
    let mut out = String::from("---\n");
    let mut field = |k: &str, v: Option<&str>| {
        if let Some(v) = v {
            out.push_str(k);
            out.push_str(": ");
            out.push_str(&serde_json::to_string(v).unwrap_or_default());
            out.push('\n');
        }
    };
    field("id", Some(&doc.id));
    field("title", doc.title.as_deref());
    field("source", doc.source.as_deref());
    field("author", doc.author.as_deref());
    field("reprinted_from", doc.reprinted_from.as_deref());
    field("published", doc.published.as_deref());
    field("url", doc.url.as_deref());
    field("origin", Some(&doc.origin.path));
    out.push_str("---\n\n");
    out.push_str(&doc.text);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use scour_record::Origin;

    #[test]
    fn unfinished_sink_leaves_target_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.jsonl");
        std::fs::write(&p, "old\n").unwrap();
        {
            let mut s = Sink::file(&p).unwrap();
            s.write_all(b"half").unwrap();
            assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
            // dropped without finish: as if the run failed
        }
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "old\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn dev_null_stays_a_device() {
        let mut s = Sink::file(Path::new("/dev/null")).unwrap();
        s.write_all(b"x\n").unwrap();
        s.finish().unwrap();
        let m = std::fs::metadata("/dev/null").unwrap();
        assert!(!m.is_file(), "/dev/null must stay a device");
    }

    fn doc(path: &str, line: Option<u64>) -> Doc {
        Doc {
            id: "0123456789abcdef0123456789abcdef".into(),
            origin: Origin {
                path: path.into(),
                line,
                ..Origin::default()
            },
            ..Doc::default()
        }
    }

    /// Issue 15, bug 4: `a/b.md` and `a~b.md` both became `a~b.md.txt`,
    /// `c\x01.md` and `c_.md` both `c_.md.txt`.
    #[test]
    fn text_paths_mirror_the_input_tree() {
        let args = [PathBuf::from("dump")];
        let p = |path: &str, line| text_rel_path(&doc(path, line), &args);
        assert_eq!(
            p("dump/2024/a.jsonl", Some(3)),
            Path::new("2024/a.jsonl@L3.txt")
        );
        assert_eq!(
            p("dump/2024/a.jsonl", Some(4)),
            Path::new("2024/a.jsonl@L4.txt")
        );
        assert_ne!(p("dump/a/b.md", None), p("dump/a~b.md", None));
        assert_ne!(p("dump/c\x01.md", None), p("dump/c_.md", None));
        assert_eq!(p("-", Some(2)), Path::new("stdin@L2.txt"));
        let one = [PathBuf::from("x/one.md")];
        assert_eq!(
            text_rel_path(&doc("x/one.md", None), &one),
            Path::new("one.md.txt")
        );
        let two = [PathBuf::from("d1"), PathBuf::from("d2/")];
        assert_eq!(
            text_rel_path(&doc("d2/x.md", None), &two),
            Path::new("d2/x.md.txt")
        );
    }
}
