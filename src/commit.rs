//! Outputs committed together or not at all (issue 15).
//!
//! Every file a run writes (`-o`, `--dups`, `--rejects`, `--report`,
//! `--index`, and the files of `--text-dir`) is written to a temporary
//! beside its target while the run goes on. Once everything has been
//! written and flushed to disk, [`Commit::commit`] renames them onto their
//! targets one after the other, with Ctrl-C and SIGTERM held for that
//! moment and acted on after it. A run that fails or is interrupted before
//! the renames leaves every target as it was. Renames of several files are
//! not one atomic step: a machine that loses power during the renames can
//! leave some targets new and others old; the window is the renames alone.
//!
//! A temporary is named `.{target}.scour-{pid}.tmp` and is locked by the
//! process writing it, so the next run that writes the same target can tell
//! one left behind by a killed run (`kill -9`, a crash: nobody holds its
//! lock) from one being written now, and removes it.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result};

/// A usage error found before any work (exit status 2).
#[derive(Debug)]
pub(crate) struct UsageError(pub(crate) String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// The path a write to `path` lands on: the target of a symlink (followed
/// to its end, dangling or not), else `path` itself.
pub(crate) fn resolve(path: &Path) -> PathBuf {
    let mut p = path.to_owned();
    for _ in 0..40 {
        match std::fs::read_link(&p) {
            Ok(link) => {
                p = match p.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            Err(_) => return p,
        }
    }
    p
}

/// What identifies an output's file: its directory, canonical, and its
/// name. `None` for a device or pipe (two outputs may share `/dev/null`).
fn identity(path: &Path) -> Option<PathBuf> {
    let p = resolve(path);
    if std::fs::metadata(&p).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return None;
    }
    let dir = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
    Some(dir.join(p.file_name()?))
}

/// The usage error of two outputs naming one file (`-o x --dups x`,
/// `--index` the same as `-o`, or one through a symlink to the other):
/// found before any work.
pub(crate) fn check_distinct(outputs: &[(&str, &Path)]) -> Result<(), UsageError> {
    let mut seen: Vec<(&str, &Path, PathBuf)> = Vec::new();
    for &(flag, path) in outputs {
        let Some(id) = identity(path) else { continue };
        if let Some((other, other_path, _)) = seen.iter().find(|(_, _, i)| *i == id) {
            return Err(UsageError(format!(
                "{flag} {} and {other} {} name the same file; give each output its own path",
                shown(path),
                shown(other_path)
            )));
        }
        seen.push((flag, path, id));
    }
    Ok(())
}

/// A path as a message shows it: control characters (a terminal escape in
/// a file name) escaped, so that a name cannot recolour or rewrite the
/// terminal.
pub(crate) fn shown(path: &Path) -> String {
    escape_controls(&path.display().to_string())
}

/// `s` with control characters written as `\u{..}` escapes.
pub(crate) fn escape_controls(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_owned();
    }
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The temporary of `target`'s own name, and the prefix and suffix every
/// temporary of it has.
fn temp_name(target: &Path) -> (PathBuf, String, &'static str) {
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map_or_else(|| "scour".to_owned(), |n| n.to_string_lossy().into_owned());
    let prefix = format!(".{name}.scour-");
    let tmp = dir.join(format!("{prefix}{}.tmp", std::process::id()));
    (tmp, prefix, ".tmp")
}

/// Removes temporaries of `target` that a killed run left: named as ours
/// are, and locked by no one.
fn remove_stale(target: &Path) {
    let (tmp, prefix, suffix) = temp_name(target);
    let Some(dir) = tmp.parent() else { return };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        let Some(pid) = name
            .strip_prefix(&prefix)
            .and_then(|r| r.strip_suffix(suffix))
        else {
            continue;
        };
        if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let path = e.path();
        if path.is_dir() {
            // A --text-dir staging folder: its lock is the file inside.
            let lock = path.join(".lock");
            let stale = match File::options().write(true).open(&lock) {
                Ok(f) => f.try_lock().is_ok(),
                Err(_) => true,
            };
            if stale {
                let _ = std::fs::remove_dir_all(&path);
            }
            continue;
        }
        if let Ok(f) = File::options().write(true).open(&path) {
            if f.try_lock().is_ok() {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
}

/// A file being written beside its target, renamed over it by
/// [`Commit::commit`]; removed when dropped before that.
pub(crate) struct Temp {
    file: File,
    path: PathBuf,
    target: PathBuf,
    /// Renamed onto the target: nothing to remove.
    done: bool,
}

impl Temp {
    /// Creates the temporary of `target` (through a symlink, of the file it
    /// names), with the mode a new file gets from the umask, or the
    /// target's own mode when it exists; first removes stale temporaries
    /// of the same target.
    pub(crate) fn create(target: &Path) -> Result<Temp> {
        let target = resolve(target);
        remove_stale(&target);
        let (path, _, _) = temp_name(&target);
        let create = || File::options().write(true).create_new(true).open(&path);
        let file = match create() {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                // Left by a process that had our pid before.
                let _ = std::fs::remove_file(&path);
                create()
            }
            other => other,
        }
        .with_context(|| {
            format!(
                "cannot write {}: its directory is missing or not writable; create it or choose another path",
                shown(&target)
            )
        })?;
        register_temp(&path);
        let temp = Temp {
            file,
            path,
            target,
            done: false,
        };
        temp.file
            .try_lock()
            .map_err(|e| anyhow::anyhow!("cannot lock {}: {e}", shown(&temp.path)))?;
        if let Ok(m) = std::fs::metadata(&temp.target) {
            if m.is_file() {
                let _ = temp.file.set_permissions(m.permissions());
            }
        }
        Ok(temp)
    }

    pub(crate) fn target(&self) -> &Path {
        &self.target
    }

    /// Flushes the file to disk; it waits for [`Commit::commit`].
    pub(crate) fn sync(&mut self) -> Result<()> {
        self.file
            .sync_all()
            .with_context(|| format!("writing {}", shown(&self.target)))
    }
}

impl Write for Temp {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.path);
        }
        unregister_temp(&self.path);
    }
}

/// `--text-dir`'s files, written into a staging folder inside it and moved
/// into place by [`Commit::commit`].
pub(crate) struct TextDir {
    dir: PathBuf,
    staging: PathBuf,
    /// Relative paths written, in order; a set to refuse a second file of
    /// the same name.
    written: Vec<PathBuf>,
    names: std::collections::HashSet<PathBuf>,
    _lock: File,
    done: bool,
}

impl TextDir {
    /// Creates `dir` if needed and its staging folder: an unwritable
    /// `--text-dir` fails here, before the run.
    pub(crate) fn create(dir: &Path) -> Result<TextDir> {
        let hint = || {
            format!(
                "cannot write into --text-dir {}; check the path and permissions",
                shown(dir)
            )
        };
        std::fs::create_dir_all(dir).with_context(hint)?;
        let marker = dir.join("scour");
        remove_stale(&marker);
        let (staging, _, _) = temp_name(&marker);
        let _ = std::fs::remove_dir_all(&staging);
        std::fs::create_dir(&staging).with_context(hint)?;
        register_temp(&staging);
        let lock = File::options()
            .write(true)
            .create(true)
            .truncate(false)
            .open(staging.join(".lock"))
            .with_context(hint)?;
        let _ = lock.try_lock();
        Ok(TextDir {
            dir: dir.to_owned(),
            staging,
            written: Vec::new(),
            names: std::collections::HashSet::new(),
            _lock: lock,
            done: false,
        })
    }

    /// Writes `body` as `rel` (a relative path); a name already written by
    /// this run is an error, never a silent overwrite.
    pub(crate) fn write(&mut self, rel: PathBuf, body: &str) -> Result<()> {
        if !self.names.insert(rel.clone()) {
            anyhow::bail!(
                "--text-dir: two records would both be written as {}; give each input its own folder",
                shown(&self.dir.join(&rel))
            );
        }
        let path = self.staging.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("writing {}", shown(&self.dir.join(&rel))))?;
        }
        std::fs::write(&path, body)
            .with_context(|| format!("writing {}", shown(&self.dir.join(&rel))))?;
        self.written.push(rel);
        Ok(())
    }

    fn commit(&mut self) -> Result<()> {
        for rel in &self.written {
            let to = self.dir.join(rel);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("writing {}", shown(&to)))?;
            }
            std::fs::rename(self.staging.join(rel), &to)
                .with_context(|| format!("renaming the finished file onto {}", shown(&to)))?;
        }
        self.done = true;
        let _ = std::fs::remove_dir_all(&self.staging);
        Ok(())
    }
}

impl Drop for TextDir {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
        unregister_temp(&self.staging);
    }
}

/// Everything a run has written, waiting to be renamed into place.
#[derive(Default)]
pub(crate) struct Commit {
    temps: Vec<Temp>,
    text: Option<TextDir>,
}

impl Commit {
    /// Adds a finished, synced temporary.
    pub(crate) fn add(&mut self, temp: Temp) {
        self.temps.push(temp);
    }

    pub(crate) fn add_text_dir(&mut self, text: TextDir) {
        self.text = Some(text);
    }

    /// Renames every temporary onto its target, in order, with Ctrl-C and
    /// SIGTERM held meanwhile: a signal that came during the renames ends
    /// the run (exit 130) once they are all done.
    pub(crate) fn commit(mut self) -> Result<()> {
        hold_signals(true);
        let result = self.rename_all();
        hold_signals(false);
        result
    }

    fn rename_all(&mut self) -> Result<()> {
        let delay = commit_delay();
        let mut dirs: Vec<PathBuf> = Vec::new();
        for t in &mut self.temps {
            std::fs::rename(&t.path, &t.target).with_context(|| {
                format!("renaming the finished output onto {}", shown(&t.target))
            })?;
            t.done = true;
            if let Some(d) = t.target.parent() {
                if !dirs.iter().any(|x| x == d) {
                    dirs.push(d.to_owned());
                }
            }
            if let Some(d) = delay {
                std::thread::sleep(d);
            }
        }
        if let Some(text) = &mut self.text {
            text.commit()?;
        }
        // The renames themselves reach the disk with their directories.
        for d in dirs {
            let d = if d.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                d
            };
            if let Ok(f) = File::open(&d) {
                let _ = f.sync_all();
            }
        }
        Ok(())
    }
}

/// A pause after each rename, for the test that interrupts a commit
/// (`SCOUR_TEST_COMMIT_DELAY_MS`, read by debug builds only).
fn commit_delay() -> Option<std::time::Duration> {
    if !cfg!(debug_assertions) {
        return None;
    }
    let ms: u64 = std::env::var("SCOUR_TEST_COMMIT_DELAY_MS")
        .ok()?
        .parse()
        .ok()?;
    Some(std::time::Duration::from_millis(ms))
}

/// What the signal handler and the commit share.
struct Signals {
    /// Temporaries (files and staging folders) not yet renamed: removed if
    /// the run is interrupted before its commit.
    temps: Vec<PathBuf>,
    /// The renames are under way: a signal waits for them.
    holding: bool,
    /// A signal came while holding.
    pending: bool,
}

static SIGNALS: Mutex<Signals> = Mutex::new(Signals {
    temps: Vec::new(),
    holding: false,
    pending: false,
});

fn register_temp(p: &Path) {
    if let Ok(mut s) = SIGNALS.lock() {
        s.temps.push(p.to_owned());
    }
}

fn unregister_temp(p: &Path) {
    if let Ok(mut s) = SIGNALS.lock() {
        s.temps.retain(|x| x != p);
    }
}

fn hold_signals(hold: bool) {
    let pending = {
        let Ok(mut s) = SIGNALS.lock() else { return };
        s.holding = hold;
        !hold && s.pending
    };
    if pending {
        eprintln!("scour: interrupted; every output was renamed into place before stopping");
        std::process::exit(130);
    }
}

/// On Ctrl-C (or SIGTERM): before the commit, remove the temporaries and
/// exit 130, the targets keeping their previous content; during it, wait
/// for the renames to end, then exit 130.
pub(crate) fn clean_up_on_interrupt() {
    let _ = ctrlc::set_handler(|| {
        let Ok(mut s) = SIGNALS.lock() else {
            std::process::exit(130);
        };
        if s.holding {
            s.pending = true;
            return;
        }
        for p in &s.temps {
            if p.is_dir() {
                let _ = std::fs::remove_dir_all(p);
            } else {
                let _ = std::fs::remove_file(p);
            }
        }
        std::process::exit(130);
    });
}

/// The lock on an index, held for the whole run: two runs sharing one
/// `--index` would each write what it saw and lose the other's.
pub(crate) fn lock_index(index: &Path) -> Result<File> {
    let index = resolve(index);
    let name = index
        .file_name()
        .map_or_else(|| "index".to_owned(), |n| n.to_string_lossy().into_owned());
    let lock_path = index.with_file_name(format!(".{name}.lock"));
    let f = File::options()
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
        .with_context(|| {
            format!(
                "cannot create the lock {} of the index; check that its directory exists and is writable",
                shown(&lock_path)
            )
        })?;
    match f.try_lock() {
        Ok(()) => Ok(f),
        Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
            "the index {} is in use by another scour run (it holds {}); run them one after the other",
            shown(&index),
            shown(&lock_path)
        ),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("cannot lock the index {}", shown(&index)))
        }
    }
}
