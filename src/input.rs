//! Finding and reading input files: directories walked in sorted order,
//! symlink loops and unreadable entries turned into rejects, not failures.

use std::collections::BTreeSet;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{bail, Result};
use scour_record::RejectReason;

/// An input opened by [`Input::open`].
pub(crate) enum Opened {
    /// All its bytes.
    Bytes(Vec<u8>),
    /// A reader of it, and its size (0 for stdin: see [`stdin_bytes`]).
    Stream(Box<dyn Read + Send>, u64),
}

/// One input to read.
#[derive(Debug, Clone)]
pub(crate) enum Input {
    /// Standard input.
    Stdin,
    /// A file, with its size when it was asked for (see [`expand`]), and
    /// its path relative to the input argument it was found under (see
    /// [`id_path`]): what the ids of its records without a URL hash.
    File {
        path: PathBuf,
        size: Option<u64>,
        id_path: String,
    },
    /// An entry that cannot be read; becomes a reject with this reason.
    Broken {
        path: PathBuf,
        reason: RejectReason,
        detail: String,
    },
}

impl Input {
    pub(crate) fn display(&self) -> String {
        match self {
            Input::Stdin => "-".to_owned(),
            Input::File { path, .. } | Input::Broken { path, .. } => path.display().to_string(),
        }
    }

    /// The file's size as the walk found it; 0 when not asked for, for
    /// stdin and for broken entries.
    /// The path the ids of this input's records hash (see [`id_path`]):
    /// `-` for stdin.
    pub(crate) fn id_path(&self) -> String {
        match self {
            Input::File { id_path, .. } => id_path.clone(),
            _ => self.display(),
        }
    }

    pub(crate) fn size(&self) -> u64 {
        match self {
            Input::File { size, .. } => size.unwrap_or(0),
            _ => 0,
        }
    }

    /// Opens the input: its bytes when it is small, an open reader when it
    /// is large (at least `large` bytes), not a regular file (a device or
    /// pipe named on the command line) or stdin, to be read a part at a
    /// time. A small file is read no further than 4 × `max_doc_bytes` and a
    /// margin (a whole file's limit), so that a file whose size says 0
    /// (`/proc`) cannot be read without end. An error is the reject reason.
    pub(crate) fn open(
        &self,
        large: u64,
        max_doc_bytes: usize,
    ) -> std::result::Result<Opened, (RejectReason, String)> {
        let io = |e: std::io::Error| (RejectReason::Io, e.to_string());
        match self {
            Input::Stdin => Ok(Opened::Stream(Box::new(Stdin::new()), 0)),
            Input::File { path, .. } => {
                let f = std::fs::File::open(path).map_err(io)?;
                let meta = f.metadata().map_err(io)?;
                let size = meta.len();
                if size >= large || !meta.is_file() {
                    return Ok(Opened::Stream(
                        Box::new(std::io::BufReader::with_capacity(1 << 16, f)),
                        size,
                    ));
                }
                let limit = max_doc_bytes.saturating_mul(4).saturating_add(64 << 10);
                let bytes = read_open(f, size, limit).map_err(io)?;
                if bytes.len() > limit {
                    return Err((
                        RejectReason::TooLarge,
                        format!(
                            "the file is larger than the limit of {} (4 × --max-doc-bytes)",
                            scour_normalize::human_bytes(max_doc_bytes.saturating_mul(4) as u64)
                        ),
                    ));
                }
                Ok(Opened::Bytes(bytes))
            }
            Input::Broken { reason, detail, .. } => Err((*reason, detail.clone())),
        }
    }
}

/// Bytes read from standard input so far, by every [`Stdin`].
static STDIN_BYTES: AtomicU64 = AtomicU64::new(0);

/// Standard input, counting what is read from it: stdin has no size to stat,
/// so the report's `input_bytes` adds what was read ([`stdin_bytes`]) rather
/// than saying 0 (issue 16).
pub(crate) struct Stdin(std::io::Stdin);

impl Stdin {
    pub(crate) fn new() -> Stdin {
        Stdin(std::io::stdin())
    }
}

impl Read for Stdin {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.0.read(buf)?;
        STDIN_BYTES.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// The bytes read from standard input so far.
pub(crate) fn stdin_bytes() -> u64 {
    STDIN_BYTES.load(Ordering::Relaxed)
}

/// What a command's inputs ask of stdin when it is a terminal (issue 16).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TerminalStdin {
    /// Stdin is not read, or it is a pipe or a file: nothing to say.
    NotRead,
    /// No input is named: stdin would be read, waiting in silence for a
    /// person to type. A usage error.
    Unnamed,
    /// `-` names it: it is read, once a note has said what it waits for.
    Named,
}

/// What `args` (a command's inputs) ask of stdin if it is a terminal.
pub(crate) fn terminal_stdin(args: &[PathBuf]) -> TerminalStdin {
    let named = args.iter().any(|a| a.as_os_str() == "-");
    if !(args.is_empty() || named) || !std::io::stdin().is_terminal() {
        TerminalStdin::NotRead
    } else if named {
        TerminalStdin::Named
    } else {
        TerminalStdin::Unnamed
    }
}

/// Reads an open file whole, its size `size`: as many bytes as its size
/// says when it says one (no read past the end to find it, one system call
/// less per file than `std::fs::read`; a file that grows meanwhile is read
/// as it was when opened), else until the end or one byte past `limit`
/// (`/proc` files, whose size says 0).
fn read_open(f: std::fs::File, size: u64, limit: usize) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    if size == 0 {
        f.take(limit as u64 + 1).read_to_end(&mut buf)?;
    } else {
        // As `std::fs::read` does, a size too big to hold is an error, not
        // an abort.
        buf.try_reserve_exact(usize::try_from(size).unwrap_or(usize::MAX))
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::OutOfMemory))?;
        f.take(size).read_to_end(&mut buf)?;
    }
    Ok(buf)
}

/// Expands the command line's inputs into files, in a stable order.
///
/// A path given on the command line that does not exist is a usage error (the
/// user mistyped it); anything unreadable found while walking becomes a
/// [`Input::Broken`] so the run goes on and the report says so.
///
/// With `sizes`, every file found in a directory is stat'ed for its size (a
/// progress bar's total); without, only symlinks are, to see what they point
/// to: a walk of many small files costs a system call per file less.
pub(crate) fn expand(args: &[PathBuf], sizes: bool) -> Result<Vec<Input>> {
    check(args)?;
    let mut out = Vec::new();
    expand_into(args, sizes, &mut |i| out.push(i));
    Ok(out)
}

/// The usage error of [`expand`], if any: a path given that does not exist.
pub(crate) fn check(args: &[PathBuf]) -> Result<()> {
    for arg in args.iter().filter(|a| a.as_os_str() != "-") {
        if let Err(e) = std::fs::metadata(arg) {
            if e.kind() == std::io::ErrorKind::NotFound {
                bail!(
                    "input `{}` does not exist: check the path, or pass `-` to read stdin",
                    arg.display()
                )
            }
        }
    }
    Ok(())
}

/// [`expand`] once [`check`]ed, each input handed to `out` as it is found
/// (a caller can start on the first inputs while the walk goes on).
pub(crate) fn expand_into(args: &[PathBuf], sizes: bool, out: &mut dyn FnMut(Input)) {
    if args.is_empty() {
        out(Input::Stdin);
        return;
    }
    for arg in args {
        if arg.as_os_str() == "-" {
            out(Input::Stdin);
            continue;
        }
        let meta = match std::fs::metadata(arg) {
            Ok(m) => m,
            Err(e) => {
                out(Input::Broken {
                    path: arg.clone(),
                    reason: RejectReason::Io,
                    detail: e.to_string(),
                });
                continue;
            }
        };
        if meta.is_dir() {
            let mut visited = BTreeSet::new();
            walk(arg, arg, sizes, &mut visited, out);
        } else {
            out(Input::File {
                id_path: id_path(arg, arg),
                path: arg.clone(),
                size: Some(meta.len()),
            });
        }
    }
}

/// The path of `file`, found under the input argument `arg`, that record ids
/// hash: where the input lives (the argument's own path, absolute or
/// relative, through a symlink or not) does not change it. A file under a
/// directory argument: its path below the argument, components joined by
/// `/` on every system (`2024/11/a.html` for `dumps/2024/11/a.html` under
/// `dumps`). A file argument: its file name (`a.html` for `/x/a.html`), the
/// same as the file gets when its directory is the argument. `--text-dir`
/// lays files out by the same relative path (there, several arguments add
/// each argument's name in front; ids do not, so a record's id does not
/// depend on what else the run was given).
pub(crate) fn id_path(arg: &Path, file: &Path) -> String {
    let rel = file
        .strip_prefix(arg)
        .ok()
        .filter(|r| !r.as_os_str().is_empty());
    let parts: Vec<String> = match rel {
        Some(r) => r
            .components()
            .filter_map(|c| match c {
                std::path::Component::Normal(c) => Some(c.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect(),
        None => file
            .file_name()
            .map(|n| vec![n.to_string_lossy().into_owned()])
            .unwrap_or_default(),
    };
    if parts.is_empty() {
        // `..` or `/` named as a file: nothing better than the path itself.
        file.display().to_string()
    } else {
        parts.join("/")
    }
}

/// What tells a directory from every other: device and inode on Unix (one
/// `stat`), the canonical path elsewhere (a system call per component).
#[cfg(unix)]
type DirKey = (u64, u64);
#[cfg(not(unix))]
type DirKey = PathBuf;

#[cfg(unix)]
fn dir_key(dir: &Path) -> std::io::Result<DirKey> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(dir)?;
    Ok((m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn dir_key(dir: &Path) -> std::io::Result<DirKey> {
    std::fs::canonicalize(dir)
}

/// A walked entry that is not a regular file or a directory.
fn not_a_file(path: PathBuf) -> Input {
    Input::Broken {
        path,
        reason: RejectReason::NotAFile,
        detail: "not a regular file (a FIFO, socket or device)".to_owned(),
    }
}

fn walk(
    root: &Path,
    dir: &Path,
    sizes: bool,
    visited: &mut BTreeSet<DirKey>,
    out: &mut dyn FnMut(Input),
) {
    // The directories on the way down, by identity, catch symlink loops.
    let canonical = match dir_key(dir) {
        Ok(c) => c,
        Err(e) => {
            out(Input::Broken {
                path: dir.to_owned(),
                reason: RejectReason::Io,
                detail: e.to_string(),
            });
            return;
        }
    };
    #[allow(clippy::clone_on_copy, reason = "a key is a path off Unix")]
    if !visited.insert(canonical.clone()) {
        out(Input::Broken {
            path: dir.to_owned(),
            reason: RejectReason::Io,
            detail: "symlink loop: this directory was already walked".to_owned(),
        });
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            out(Input::Broken {
                path: dir.to_owned(),
                reason: RejectReason::Io,
                detail: e.to_string(),
            });
            visited.remove(&canonical);
            return;
        }
    };
    // Each entry with its type when the directory listing tells it and no
    // stat is needed (not a symlink, no size wanted).
    let mut names: Vec<(PathBuf, Option<std::fs::FileType>)> = Vec::new();
    for entry in entries {
        match entry {
            Ok(e) => {
                if e.file_name().to_string_lossy().starts_with('.') {
                    continue;
                }
                let known = e
                    .file_type()
                    .ok()
                    .filter(|t| !(t.is_symlink() || sizes && t.is_file()));
                names.push((e.path(), known));
            }
            Err(e) => out(Input::Broken {
                path: dir.to_owned(),
                reason: RejectReason::Io,
                detail: e.to_string(),
            }),
        }
    }
    names.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, known) in names {
        match known {
            Some(t) if t.is_dir() => {
                walk(root, &path, sizes, visited, out);
                continue;
            }
            Some(t) if t.is_file() => {
                out(Input::File {
                    id_path: id_path(root, &path),
                    path,
                    size: None,
                });
                continue;
            }
            // Sockets, FIFOs, devices: not dumps, and reading one may never
            // end; reported, not skipped in silence.
            Some(_) => {
                out(not_a_file(path));
                continue;
            }
            None => {}
        }
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => walk(root, &path, sizes, visited, out),
            Ok(m) if m.is_file() => out(Input::File {
                id_path: id_path(root, &path),
                size: Some(m.len()),
                path,
            }),
            Ok(_) => out(not_a_file(path)),
            Err(e) => {
                let detail = if e.raw_os_error() == Some(40) {
                    "symlink loop".to_owned()
                } else {
                    e.to_string()
                };
                out(Input::Broken {
                    path,
                    reason: RejectReason::Io,
                    detail,
                });
            }
        }
    }
    visited.remove(&canonical);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_sorted_and_skips_hidden() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("b")).unwrap();
        std::fs::write(dir.path().join("b/2.md"), "x").unwrap();
        std::fs::write(dir.path().join("a.md"), "x").unwrap();
        std::fs::write(dir.path().join(".hidden"), "x").unwrap();
        let got: Vec<String> = expand(&[dir.path().to_owned()], false)
            .unwrap()
            .iter()
            .map(|i| {
                i.display()
                    .rsplit('/')
                    .take(2)
                    .collect::<Vec<_>>()
                    .join("<")
            })
            .collect();
        assert_eq!(got.len(), 2);
        assert!(got[0].starts_with("a.md"));
        assert!(got[1].starts_with("2.md"));
    }

    #[test]
    fn id_path_is_relative_to_the_argument() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(id_path(&p("dumps"), &p("dumps/2024/a.md")), "2024/a.md");
        assert_eq!(id_path(&p("/x/dumps/"), &p("/x/dumps/a.md")), "a.md");
        assert_eq!(id_path(&p("."), &p("./a.md")), "a.md");
        // A file argument: its name, whatever its directory.
        assert_eq!(id_path(&p("/x/y/a.md"), &p("/x/y/a.md")), "a.md");
        assert_eq!(id_path(&p("a.md"), &p("a.md")), "a.md");
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("in")).unwrap();
        std::fs::create_dir(dir.path().join("in/sub")).unwrap();
        std::fs::write(dir.path().join("in/sub/b.md"), "x").unwrap();
        let got = expand(&[dir.path().join("in")], false).unwrap();
        assert_eq!(got[0].id_path(), "sub/b.md");
        assert_eq!(Input::Stdin.id_path(), "-");
    }

    #[test]
    fn missing_input_is_an_error_that_says_what_to_do() {
        let err = expand(&[PathBuf::from("/nonexistent/dump")], false).unwrap_err();
        assert!(err.to_string().contains("check the path"));
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loop_is_a_reject() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "x").unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
        let got = expand(&[dir.path().to_owned()], false).unwrap();
        assert!(got
            .iter()
            .any(|i| matches!(i, Input::Broken { detail, .. } if detail.contains("loop"))));
    }
}
