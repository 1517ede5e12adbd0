//! scour as a step in a user's Makefile (issue 8's acceptance), with the
//! README's example as written there (issue 16): `make` cleans each day,
//! `make -q` then says up to date, editing a file of a day makes that day
//! out of date and rebuilding rewrites identical bytes, `make clean` removes
//! the outputs. And scour's own Makefile finds scour where cargo put it.

use std::path::Path;
use std::process::{Command, Output};

use crate::util::{on_terminal, root};

/// The README's Makefile example: the `make` block under "As a step in a
/// Makefile".
fn readme_example() -> String {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = readme
        .split_once("### As a step in a Makefile")
        .expect("the README has the section")
        .1;
    let block = section
        .split_once("```make\n")
        .expect("the section has a make block")
        .1;
    block
        .split_once("\n```")
        .expect("the block ends")
        .0
        .to_owned()
        + "\n"
}

/// GNU make in `dir`, with the built scour first on the PATH (the example
/// calls `scour`) and nothing of an outer make's flags.
fn make(dir: &Path, args: &[&str]) -> Output {
    let bin = Path::new(env!("CARGO_BIN_EXE_scour")).parent().unwrap();
    let path = std::env::var_os("PATH").unwrap_or_default();
    let path =
        std::env::join_paths(std::iter::once(bin.to_owned()).chain(std::env::split_paths(&path)))
            .unwrap();
    Command::new("make")
        .args(args)
        .current_dir(dir)
        .env("PATH", path)
        .env_remove("MAKEFLAGS")
        .env_remove("MFLAGS")
        .env_remove("MAKELEVEL")
        .output()
        .expect("GNU make runs: the Makefile tests need it (README, `make test`)")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn the_readmes_makefile() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("Makefile"), readme_example()).unwrap();
    // Two days of dumps: the eight samples, four a day.
    let mut samples: Vec<_> = std::fs::read_dir(root().join("samples/dumps"))
        .unwrap()
        .map(|f| f.unwrap().path())
        .collect();
    samples.sort();
    for (i, f) in samples.iter().enumerate() {
        let day = d.join(if i < 4 {
            "raw/2025-01-01"
        } else {
            "raw/2025-01-02"
        });
        std::fs::create_dir_all(&day).unwrap();
        std::fs::copy(f, day.join(f.file_name().unwrap())).unwrap();
    }
    let out = make(d, &[]);
    assert!(out.status.success(), "make: {}", text(&out));
    let mut read = 0;
    for day in ["2025-01-01", "2025-01-02"] {
        let report = std::fs::read_to_string(d.join(format!("out/{day}.report.json"))).unwrap();
        let report: serde_json::Value = serde_json::from_str(&report).unwrap();
        let n = |k: &str| report[k].as_u64().unwrap();
        assert_eq!(n("read"), n("kept") + n("duplicates") + n("rejected"));
        read += n("read");
    }
    assert_eq!(read, 8);
    let day2 = std::fs::read(d.join("out/2025-01-02.jsonl")).unwrap();
    assert_eq!(
        make(d, &["-q"]).status.code(),
        Some(0),
        "make -q: up to date"
    );

    // Edit a file of the second day (the same bytes, written again, dated
    // after the output so that the test does not hang on the clock): that
    // day is out of date, its folder's time unchanged.
    let edited = std::fs::read_dir(d.join("raw/2025-01-02"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let built = std::fs::metadata(d.join("out/2025-01-02.jsonl"))
        .unwrap()
        .modified()
        .unwrap();
    std::fs::write(&edited, std::fs::read(&edited).unwrap()).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&edited)
        .unwrap()
        .set_modified(built + std::time::Duration::from_secs(10))
        .unwrap();
    assert_eq!(
        make(d, &["-q"]).status.code(),
        Some(1),
        "make -q: out of date after a file of the day changed"
    );
    let out = make(d, &[]);
    assert!(out.status.success(), "make: {}", text(&out));
    let log = text(&out);
    assert!(
        log.contains("scour run raw/2025-01-02") && !log.contains("raw/2025-01-01"),
        "only the edited day is cleaned again: {log}"
    );
    assert_eq!(
        std::fs::read(d.join("out/2025-01-02.jsonl")).unwrap(),
        day2,
        "rerun rewrites identical bytes"
    );

    let out = make(d, &["clean"]);
    assert!(out.status.success(), "make clean: {}", text(&out));
    assert!(!d.join("out").exists(), "make clean removes out/");
    assert!(!d.join("seen.idx").exists(), "make clean removes the index");
    assert!(d.join("raw/2025-01-01").is_dir(), "and leaves the dumps");
}

/// Issue 16: with `CARGO_TARGET_DIR` set, scour's own Makefile runs the
/// scour cargo built there (`make -n` prints what it would run).
#[test]
fn our_makefile_follows_cargo_target_dir() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new("make")
        .args(["-n", "out/clean.jsonl"])
        .current_dir(root())
        .env("CARGO_TARGET_DIR", dir.path())
        .env_remove("MAKEFLAGS")
        .env_remove("MFLAGS")
        .env_remove("MAKELEVEL")
        .output()
        .expect("GNU make runs: the Makefile tests need it (README, `make test`)");
    let printed = text(&out);
    assert!(out.status.success(), "{printed}");
    let expected = format!("{}/release/scour run samples/dumps", dir.path().display());
    assert!(printed.contains(&expected), "{expected} in:\n{printed}");
}

#[test]
fn progress_draws_only_on_a_terminal() {
    // `script` gives scour a pseudo-terminal for stderr.
    let dir = tempfile::tempdir().unwrap();
    let cmd = format!(
        "{} run {} -o {}",
        env!("CARGO_BIN_EXE_scour"),
        root().join("samples/dumps").display(),
        dir.path().join("o.jsonl").display()
    );
    let out = on_terminal(dir.path(), &cmd);
    let seen = String::from_utf8_lossy(&out.stdout);
    assert!(
        seen.contains("scour run: read 8"),
        "summary line under a terminal: {seen}"
    );
}
