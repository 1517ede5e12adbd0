//! `samples/` cleaned exactly as `samples/expected/` says (regenerate with
//! `make samples-expected`, then read the diff).

use crate::util::{first_diff, ok, root, scour};

#[test]
fn samples_match_expected_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    ok(scour(&root())
        .args(["run", "samples/dumps", "-q", "-o"])
        .arg(out.join("clean.jsonl"))
        .arg("--dups")
        .arg(out.join("dups.jsonl"))
        .arg("--rejects")
        .arg(out.join("rejects.jsonl")));
    for name in ["clean.jsonl", "dups.jsonl", "rejects.jsonl"] {
        let expected = std::fs::read_to_string(root().join("samples/expected").join(name)).unwrap();
        let got = std::fs::read_to_string(out.join(name)).unwrap();
        assert!(
            expected == got,
            "{name} differs from samples/expected ({})",
            first_diff(&expected, &got)
        );
    }
}
