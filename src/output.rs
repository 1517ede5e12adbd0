//! Outputs that are whole or absent: a temporary file beside the target,
//! renamed over it only when the run succeeded.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use scour_record::{to_jsonl_line, Doc};

use crate::parquet::{is_parquet, ParquetOut};

/// Where records go: stdout, or a file written atomically.
pub(crate) enum Sink {
    Stdout(BufWriter<std::io::Stdout>),
    File {
        writer: BufWriter<tempfile::NamedTempFile>,
        target: PathBuf,
    },
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

    pub(crate) fn file(path: &Path) -> Result<Sink> {
        if is_parquet(path) {
            return Ok(Sink::Parquet(Box::new(ParquetOut::new(path)?)));
        }
        if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(|| format!("cannot open {} for writing", path.display()))?;
            return Ok(Sink::Special {
                writer: BufWriter::with_capacity(1 << 16, f),
                target: path.to_owned(),
            });
        }
        let tmp = temp_beside(path)?;
        Ok(Sink::File {
            writer: BufWriter::with_capacity(1 << 16, tmp),
            target: path.to_owned(),
        })
    }

    pub(crate) fn write_doc(&mut self, doc: &Doc) -> Result<()> {
        let line = to_jsonl_line(doc);
        self.write_all(line.as_bytes())
    }

    pub(crate) fn write_all(&mut self, bytes: &[u8]) -> Result<()> {
        match self {
            Sink::Stdout(w) => w.write_all(bytes).context("writing to stdout"),
            Sink::File { writer, target } => writer
                .write_all(bytes)
                .with_context(|| format!("writing {}", target.display())),
            Sink::Special { writer, target } => writer
                .write_all(bytes)
                .with_context(|| format!("writing {}", target.display())),
            Sink::Parquet(p) => p.write_lines(bytes),
            Sink::Null => Ok(()),
        }
    }

    /// Flushes, and renames a file output over its target.
    pub(crate) fn finish(self) -> Result<()> {
        match self {
            Sink::Stdout(mut w) => w.flush().context("writing to stdout"),
            Sink::File { writer, target } => {
                let tmp = writer
                    .into_inner()
                    .map_err(std::io::IntoInnerError::into_error)
                    .with_context(|| format!("writing {}", target.display()))?;
                persist(tmp, &target)
            }
            Sink::Parquet(p) => {
                let (tmp, target) = p.finish()?;
                persist(tmp, &target)
            }
            Sink::Special { mut writer, target } => writer
                .flush()
                .with_context(|| format!("writing {}", target.display())),
            Sink::Null => Ok(()),
        }
    }
}

/// Syncs a finished temporary output and renames it onto its target.
fn persist(tmp: tempfile::NamedTempFile, target: &Path) -> Result<()> {
    tmp.as_file()
        .sync_all()
        .with_context(|| format!("writing {}", target.display()))?;
    let tmp_path = tmp.path().to_owned();
    let done = tmp.persist(target);
    unregister_temp(&tmp_path);
    done.map_err(|e| e.error)
        .with_context(|| format!("renaming the finished output onto {}", target.display()))?;
    Ok(())
}

/// Finishes several outputs at once: each waits on its own disk flush, so
/// they flush side by side. The first error, in the order given, wins.
pub(crate) fn finish_all<const N: usize>(sinks: [Sink; N]) -> Result<()> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = sinks
            .into_iter()
            .map(|s| scope.spawn(move || s.finish()))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("internal error: a writer panicked")))
            })
            .collect::<Vec<_>>()
            .into_iter()
            .collect::<Result<Vec<()>>>()
            .map(|_| ())
    })
}

/// A temporary file in the directory of `path`, so the final rename is atomic.
pub(crate) fn temp_beside(path: &Path) -> Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().map_or_else(
        || ".scour.".to_owned(),
        |n| format!(".{}.", n.to_string_lossy()),
    );
    let tmp = tempfile::Builder::new()
        .prefix(&name)
        .suffix(".tmp")
        .tempfile_in(&dir)
        .with_context(|| {
            format!(
                "cannot write {}: the directory {} is missing or not writable; create it or choose another path",
                path.display(),
                dir.display()
            )
        })?;
    register_temp(tmp.path());
    Ok(tmp)
}

/// Temporary outputs not yet renamed: removed if the run is interrupted.
static TEMPS: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

fn register_temp(p: &Path) {
    if let Ok(mut t) = TEMPS.lock() {
        t.push(p.to_owned());
    }
}

fn unregister_temp(p: &Path) {
    if let Ok(mut t) = TEMPS.lock() {
        t.retain(|x| x != p);
    }
}

/// On Ctrl-C (or SIGTERM), remove the temporary outputs and exit 130: the
/// targets keep their previous content, and no half-written file is left
/// beside them. (A temporary file is otherwise removed when dropped, which an
/// interrupted process never does.)
pub(crate) fn clean_up_on_interrupt() {
    let _ = ctrlc::set_handler(|| {
        if let Ok(t) = TEMPS.lock() {
            for p in t.iter() {
                let _ = std::fs::remove_file(p);
            }
        }
        std::process::exit(130);
    });
}

/// Writes `bytes` to `path` atomically.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut sink = Sink::file(path)?;
    sink.write_all(bytes)?;
    sink.finish()
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

/// The file name `--text-dir` uses for a record: its input path with
/// separators flattened, plus the line or offset inside a container. Stable
/// (a function of the origin only) and collision-free (origins are unique).
pub(crate) fn text_file_name(doc: &Doc) -> String {
    let mut name: String = doc
        .origin
        .path
        .trim_start_matches("./")
        .chars()
        .map(|c| match c {
            '/' | '\\' => '~',
            c if c.is_control() || matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|') => '_',
            c => c,
        })
        .collect();
    if name.is_empty() || name == "-" {
        name = "stdin".to_owned();
    }
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
    name
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
    fn atomic_write_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.jsonl");
        write_atomic(&p, b"{}\n").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"{}\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn unfinished_sink_leaves_target_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.jsonl");
        std::fs::write(&p, "old\n").unwrap();
        {
            let mut s = Sink::file(&p).unwrap();
            s.write_all(b"half").unwrap();
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

    #[test]
    fn text_names_are_flat_and_distinct() {
        let mut d = Doc {
            id: "0123456789abcdef0123456789abcdef".into(),
            origin: Origin {
                path: "dump/2024/a.jsonl".into(),
                line: Some(3),
                ..Origin::default()
            },
            ..Doc::default()
        };
        assert_eq!(text_file_name(&d), "dump~2024~a.jsonl@L3.txt");
        d.origin.line = Some(4);
        assert_eq!(text_file_name(&d), "dump~2024~a.jsonl@L4.txt");
    }
}
