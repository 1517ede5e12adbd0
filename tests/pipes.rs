//! The stages through pipes give the same bytes as `scour run`, at any -j.

use std::io::Write;
use std::process::Stdio;

use crate::util::{corpus, ok, root, scour};

fn run_bytes(args: &[&str], input: &std::path::Path) -> Vec<u8> {
    ok(scour(&root()).args(args).arg(input)).stdout
}

fn stage(args: &[&str], stdin: &[u8]) -> Vec<u8> {
    let mut child = scour(&root())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut si = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || si.write_all(&data));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn check_pipes_equal_run(input: &std::path::Path) {
    let run = run_bytes(&["run", "-q"], input);
    let normalized = run_bytes(&["normalize", "-q"], input);
    let stripped = stage(&["strip", "-q"], &normalized);
    let deduped = stage(&["dedup", "-q"], &stripped);
    assert!(!run.is_empty());
    assert!(run == deduped, "normalize | strip | dedup differs from run");
}

#[test]
fn pipes_equal_run_on_samples() {
    check_pipes_equal_run(&root().join("samples/dumps"));
}

#[test]
fn pipes_equal_run_on_corpus() {
    if let Some(c) = corpus() {
        check_pipes_equal_run(&c);
    }
}

#[test]
fn thread_count_changes_nothing() {
    let Some(c) = corpus() else { return };
    let one = ok(scour(&root()).args(["run", "-q", "-j", "1"]).arg(&c)).stdout;
    let two = ok(scour(&root()).args(["run", "-q", "-j", "2"]).arg(&c)).stdout;
    let four = ok(scour(&root()).args(["run", "-q", "-j", "4"]).arg(&c)).stdout;
    assert!(one == two && two == four, "output depends on -j");
}
