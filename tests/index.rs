//! Incremental dedup through `--index`: the first half then the second half
//! keeps the same set as one run over all of it (issue 5's acceptance, on a
//! slice of the benchmark captures that CI can afford).

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

use crate::util::{jsonl, ok, root, scour, untar};

fn ids(path: &Path) -> Vec<String> {
    let mut v: Vec<String> = jsonl(path)
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn halves_with_index_equal_one_run() {
    let Some(tar) = crate::shared::require("bench/picker-wechat.tar.zst") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let all = d.join("all");
    std::fs::create_dir(&all).unwrap();
    // A slice: the first 2400 files of the archive, extracted by name.
    let list = Command::new("tar")
        .args(["--zstd", "-tf"])
        .arg(&tar)
        .output();
    let list = list.expect("tar runs (GNU tar with zstd reads the archive)");
    assert!(
        list.status.success(),
        "tar --zstd -tf {}: {}",
        tar.display(),
        String::from_utf8_lossy(&list.stderr)
    );
    let names: Vec<&str> = std::str::from_utf8(&list.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.ends_with('/'))
        .take(2400)
        .collect();
    std::fs::write(d.join("names"), names.join("\n")).unwrap();
    untar(&tar, &all, &[OsStr::new("-T"), d.join("names").as_os_str()]);
    // Split in two halves by sorted name (the archive's folders are dates, so
    // the halves arrive in date order, as daily dumps would).
    let mut files: Vec<_> = walk(&all);
    files.sort();
    let mid = files.len() / 2;
    for (i, f) in files.iter().enumerate() {
        let half = if i < mid { "h1" } else { "h2" };
        let to = d.join(half).join(f.file_name().unwrap());
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::rename(f, to).unwrap();
    }
    std::fs::create_dir(d.join("both")).unwrap();
    for half in ["h1", "h2"] {
        for f in std::fs::read_dir(d.join(half)).unwrap() {
            let f = f.unwrap().path();
            std::fs::copy(&f, d.join("both").join(f.file_name().unwrap())).unwrap();
        }
    }
    ok(scour(d).args([
        "run",
        "-q",
        "both",
        "-o",
        "one.jsonl",
        "--min-repeat",
        "1000000",
    ]));
    ok(scour(d).args([
        "run",
        "-q",
        "h1",
        "-o",
        "a.jsonl",
        "--index",
        "seen.idx",
        "--min-repeat",
        "1000000",
    ]));
    ok(scour(d).args([
        "run",
        "-q",
        "h2",
        "-o",
        "b.jsonl",
        "--index",
        "seen.idx",
        "--min-repeat",
        "1000000",
    ]));
    let mut halves = ids(&d.join("a.jsonl"));
    halves.extend(ids(&d.join("b.jsonl")));
    halves.sort();
    let one = ids(&d.join("one.jsonl"));
    assert!(!one.is_empty());
    assert_eq!(halves, one, "kept sets differ");
    // No canonical URL kept twice.
    let mut urls: Vec<String> = jsonl(&d.join("one.jsonl"))
        .iter()
        .filter_map(|r| r["url"].as_str().map(str::to_owned))
        .collect();
    let n = urls.len();
    urls.sort();
    urls.dedup();
    assert_eq!(urls.len(), n, "a canonical URL kept twice");
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Cleaning the same dump again against an index that already holds it
/// gives the same bytes: its records replay their decisions instead of
/// becoming duplicates of themselves.
#[test]
fn rerun_against_own_index_is_identical() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let samples = root().join("samples/dumps");
    let run = |out: &str| {
        ok(scour(d)
            .args(["run", "-q", "--index", "seen.idx", "-o", out, "--dups"])
            .arg(format!("{out}.dups"))
            .arg(&samples));
    };
    run("first.jsonl");
    let index_once = std::fs::read(d.join("seen.idx")).unwrap();
    run("second.jsonl");
    assert_eq!(
        std::fs::read(d.join("first.jsonl")).unwrap(),
        std::fs::read(d.join("second.jsonl")).unwrap()
    );
    assert_eq!(
        std::fs::read(d.join("first.jsonl.dups")).unwrap(),
        std::fs::read(d.join("second.jsonl.dups")).unwrap()
    );
    assert_eq!(
        index_once,
        std::fs::read(d.join("seen.idx")).unwrap(),
        "the index does not grow"
    );
    assert!(!jsonl(&d.join("second.jsonl")).is_empty());
}

/// An index written by an older scour (format version 3, by the release
/// before issue 16 changed WeChat URL keys; `tests/fixtures/README.md`) is
/// refused, saying which version it is and what to do, and left untouched.
#[test]
fn an_old_format_index_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let fixture = root().join("tests/fixtures/index-v3.scourdx");
    let index = d.join("old.scourdx");
    std::fs::copy(&fixture, &index).unwrap();
    let out = scour(d)
        .args(["run", "-q", "-o", "clean.jsonl", "--index", "old.scourdx"])
        .arg(root().join("samples/dumps"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("unsupported dedup index version 3 (this build reads version 5)")
            && stderr.contains("rebuild it"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(&index).unwrap(),
        std::fs::read(&fixture).unwrap()
    );
}
