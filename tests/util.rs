//! Running the built `scour` in a temporary directory.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The repository root (where `samples/` is).
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/corpus/wechat`; `None` only when `SCOUR_SKIP_CORPUS=1` (see
/// [`crate::shared::require`]: without it, a missing corpus fails the test).
pub(crate) fn corpus() -> Option<PathBuf> {
    crate::shared::require("corpus/wechat")
}

/// A command running the binary under test, in `dir`.
pub(crate) fn scour(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_scour"));
    c.current_dir(dir).stdin(Stdio::null());
    c
}

/// Extracts the zstd tarball `archive` into `into` with GNU tar, `more`
/// after the archive's arguments (`--wildcards` patterns, `-T` a list of
/// names); fails the test when tar fails.
pub(crate) fn untar<S: AsRef<std::ffi::OsStr>>(archive: &Path, into: &Path, more: &[S]) {
    let st = Command::new("tar")
        .args(["--zstd", "-xf"])
        .arg(archive)
        .arg("-C")
        .arg(into)
        .args(more)
        .status();
    assert!(
        st.is_ok_and(|s| s.success()),
        "tar --zstd -xf {}: GNU tar with zstd reads the archive",
        archive.display()
    );
}

/// Runs `command` (a shell command line) in `dir` with a pseudo-terminal as
/// its stdin, stdout and stderr, through util-linux `script`; what the
/// terminal showed comes back as stdout, and the exit status is the
/// command's. The terminal's input is empty: it passes on an end of input.
pub(crate) fn on_terminal(dir: &Path, command: &str) -> Output {
    Command::new("script")
        .args(["-qec", command, "/dev/null"])
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("`script` (util-linux) runs: the terminal tests need it (README, `make test`)")
}

/// Runs and asserts success; returns the output.
pub(crate) fn ok(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("scour runs");
    assert!(
        out.status.success(),
        "scour failed ({:?}):\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Reads a JSONL file into JSON values.
pub(crate) fn jsonl(path: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect()
}

/// A readable first difference between two texts, for golden comparisons.
pub(crate) fn first_diff(expected: &str, got: &str) -> String {
    for (i, (e, g)) in expected.lines().zip(got.lines()).enumerate() {
        if e != g {
            let cut = |s: &str| s.chars().take(300).collect::<String>();
            return format!(
                "line {}:\n  expected: {}\n  got:      {}",
                i + 1,
                cut(e),
                cut(g)
            );
        }
    }
    format!(
        "line counts differ: expected {}, got {}",
        expected.lines().count(),
        got.lines().count()
    )
}
