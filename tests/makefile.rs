//! scour as a step in a user's Makefile (issue 8's acceptance): `make` builds,
//! `make -q` then says up to date, touching the inputs and rebuilding rewrites
//! identical bytes, and the report is valid JSON with the counts.

use std::process::Command;

use crate::util::root;

#[test]
fn a_users_makefile() {
    if Command::new("make").arg("--version").output().is_err() {
        eprintln!("note: make not found; skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("dump")).unwrap();
    for f in std::fs::read_dir(root().join("samples/dumps")).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, d.join("dump").join(f.file_name().unwrap())).unwrap();
    }
    std::fs::write(
        d.join("Makefile"),
        format!(
            "SCOUR := {}\nclean.jsonl: $(wildcard dump/*)\n\t$(SCOUR) run dump -q -o $@ --report report.json\n",
            env!("CARGO_BIN_EXE_scour")
        ),
    )
    .unwrap();
    let make = |args: &[&str]| {
        Command::new("make")
            .args(args)
            .current_dir(d)
            .output()
            .unwrap()
    };
    assert!(make(&[]).status.success());
    let first = std::fs::read(d.join("clean.jsonl")).unwrap();
    assert_eq!(make(&["-q"]).status.code(), Some(0), "make -q: up to date");
    // Touch the inputs: make reruns, the bytes are the same.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    for f in std::fs::read_dir(d.join("dump")).unwrap() {
        let p = f.unwrap().path();
        let body = std::fs::read(&p).unwrap();
        std::fs::write(&p, body).unwrap();
    }
    assert_eq!(
        make(&["-q"]).status.code(),
        Some(1),
        "make -q: out of date after touch"
    );
    assert!(make(&[]).status.success());
    assert_eq!(
        std::fs::read(d.join("clean.jsonl")).unwrap(),
        first,
        "rerun rewrites identical bytes"
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("report.json")).unwrap()).unwrap();
    let n = |k: &str| report[k].as_u64().unwrap();
    assert_eq!(n("read"), n("kept") + n("duplicates") + n("rejected"));
    assert_eq!(n("read"), 8);
}

#[test]
fn progress_draws_only_on_a_terminal() {
    // `script` gives scour a pseudo-terminal for stderr.
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("note: script not found; skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let cmd = format!(
        "{} run {} -o {}",
        env!("CARGO_BIN_EXE_scour"),
        root().join("samples/dumps").display(),
        dir.path().join("o.jsonl").display()
    );
    let out = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .output()
        .unwrap();
    let seen = String::from_utf8_lossy(&out.stdout);
    assert!(
        seen.contains("scour run: read 8"),
        "summary line under a terminal: {seen}"
    );
}
