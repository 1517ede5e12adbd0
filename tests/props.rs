//! Invariants over generated inputs (proptest): every document accounted
//! for, output independent of the thread count, clean output cleans to itself.

use std::path::Path;

use proptest::prelude::*;

use crate::util::{corpus, jsonl, ok, root, scour, untar};

/// One generated input file.
#[derive(Debug, Clone)]
enum Input {
    Article(String),
    Junk(Vec<u8>),
    Jsonl(Vec<Option<String>>),
    Empty,
    Unterminated(String),
}

fn han() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just('的'),
            Just('网'),
            Just('安'),
            Just('全'),
            Just('，'),
            Just('。'),
            Just('数'),
            Just('据')
        ],
        30..120,
    )
    .prop_map(|v| v.into_iter().collect())
}

fn input() -> impl Strategy<Value = Input> {
    prop_oneof![
        (han(), han()).prop_map(|(a, b)| Input::Article(format!(
            "---\ntitle: 标题{}\n---\n\n{a}\n\n{b}\n\n预览时标签不可点\n\n微信扫一扫\n关注该公众号\n",
            a.chars().count()
        ))),
        proptest::collection::vec(any::<u8>(), 0..200).prop_map(Input::Junk),
        proptest::collection::vec(proptest::option::of(han()), 1..5).prop_map(Input::Jsonl),
        Just(Input::Empty),
        han().prop_map(Input::Unterminated),
    ]
}

fn write_inputs(dir: &Path, inputs: &[Input]) -> usize {
    std::fs::create_dir_all(dir).unwrap();
    let mut docs = 0;
    for (i, inp) in inputs.iter().enumerate() {
        match inp {
            Input::Article(t) => {
                std::fs::write(dir.join(format!("{i:03}.md")), t).unwrap();
                docs += 1;
            }
            Input::Junk(b) => {
                std::fs::write(dir.join(format!("{i:03}.bin")), b).unwrap();
                docs += 1;
            }
            Input::Jsonl(lines) => {
                let body: String = lines
                    .iter()
                    .map(|l| match l {
                        Some(t) => format!("{}\n", serde_json::json!({"title": "记录", "text": t})),
                        None => "{not json\n".to_owned(),
                    })
                    .collect();
                std::fs::write(dir.join(format!("{i:03}.jsonl")), body).unwrap();
                docs += lines.len();
            }
            Input::Empty => {
                std::fs::write(dir.join(format!("{i:03}.md")), "").unwrap();
                docs += 1;
            }
            Input::Unterminated(t) => {
                std::fs::write(
                    dir.join(format!("{i:03}.md")),
                    format!("---\ntitle: x\n{t}\n"),
                )
                .unwrap();
                docs += 1;
            }
        }
    }
    docs
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn every_document_is_accounted_for_at_any_thread_count(inputs in proptest::collection::vec(input(), 1..10)) {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let expected = write_inputs(&d.join("in"), &inputs);
        for j in ["1", "2"] {
            ok(scour(d).args(["run", "in", "-q", "-j", j, "-o"]).arg(format!("k{j}.jsonl"))
                .arg("--dups").arg(format!("d{j}.jsonl")).arg("--rejects").arg(format!("r{j}.jsonl"))
                .arg("--report").arg(format!("rep{j}.json")));
            let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(d.join(format!("rep{j}.json"))).unwrap()).unwrap();
            let n = |k: &str| report[k].as_u64().unwrap();
            prop_assert_eq!(n("read") as usize, expected);
            prop_assert_eq!(n("read"), n("kept") + n("duplicates") + n("rejected"));
        }
        for f in ["k", "d", "r"] {
            prop_assert_eq!(std::fs::read(d.join(format!("{f}1.jsonl"))).unwrap(), std::fs::read(d.join(format!("{f}2.jsonl"))).unwrap());
        }
    }
}

/// Cleaning scour's own output changes no text.
#[test]
fn clean_output_cleans_to_itself() {
    let Some(c) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(scour(d)
        .args(["run", "-q", "--min-repeat", "1000000"])
        .arg(c.join("markdown"))
        .arg("-o")
        .arg("once.jsonl"));
    ok(scour(d).args([
        "run",
        "-q",
        "--min-repeat",
        "1000000",
        "once.jsonl",
        "-o",
        "twice.jsonl",
    ]));
    let once = jsonl(&d.join("once.jsonl"));
    let twice = jsonl(&d.join("twice.jsonl"));
    assert_eq!(once.len(), twice.len());
    for (a, b) in once.iter().zip(&twice) {
        assert_eq!(a["text"], b["text"], "{}", a["origin"]["path"]);
        assert!(
            b["removed"].as_array().is_none_or(Vec::is_empty),
            "{}: {}",
            a["origin"]["path"],
            b["removed"]
        );
    }
    let _ = root();
}

/// The lines of `a` that `b` does not hold at the same place, by record id,
/// each with the first field that differs.
fn differing_lines(a: &[u8], b: &[u8]) -> Vec<String> {
    let a = String::from_utf8_lossy(a);
    let b = String::from_utf8_lossy(b);
    let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    if a.len() != b.len() {
        return vec![format!("{} lines, then {}", a.len(), b.len())];
    }
    let mut out = Vec::new();
    for (x, y) in a.iter().zip(&b) {
        if x == y {
            continue;
        }
        let (x, y): (serde_json::Value, serde_json::Value) = (
            serde_json::from_str(x).unwrap(),
            serde_json::from_str(y).unwrap(),
        );
        let field = x
            .as_object()
            .into_iter()
            .flatten()
            .find(|(k, v)| y.get(k.as_str()) != Some(v))
            .map_or("a field it did not have", |(k, _)| k.as_str())
            .to_owned();
        out.push(format!("{} ({}): {field}", x["id"], x["origin"]["path"]));
    }
    out
}

/// `scour run` over `inputs` (kept records and duplicates, the account's
/// repeated blocks taken out), then `scour strip` over each output: what
/// the second strip changed, `dir` being a scratch folder.
fn strip_changes_run_output(dir: &Path, inputs: &[std::path::PathBuf]) -> Vec<String> {
    ok(scour(dir)
        .args(["run", "-q", "-o", "clean.jsonl", "--dups", "dups.jsonl"])
        .args(inputs));
    let mut changed = Vec::new();
    for out in ["clean", "dups"] {
        let once = std::fs::read(dir.join(format!("{out}.jsonl"))).unwrap();
        let again = ok(scour(dir).args(["strip", "-q"]).arg(format!("{out}.jsonl"))).stdout;
        changed.extend(differing_lines(&once, &again));
    }
    changed
}

/// Issue 15 (bug 6): a clean record re-cleans to itself byte for byte.
/// `scour strip` over `scour run`'s own records writes the same lines, on
/// both corpus folders. Dedup takes an account's repeated blocks out of a
/// stripped body, which moves strip's zones: `scour run` strips such a
/// record again until that changes nothing (`scour_strip::strip_again`).
#[test]
fn run_output_strips_to_itself_byte_for_byte() {
    let Some(c) = corpus() else { return };
    let archivers = c.with_file_name("wechat-archivers");
    let mut failures = Vec::new();
    for folder in [&c, &archivers] {
        let dir = tempfile::tempdir().unwrap();
        let inputs: Vec<_> = std::fs::read_dir(folder)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir() && !p.ends_with("gold"))
            .collect();
        failures.extend(strip_changes_run_output(dir.path(), &inputs));
    }
    assert!(
        failures.is_empty(),
        "scour strip changed {} records of scour run's output:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The same on the bulk dumps (`corpus/wechat-bulk.tar.zst`: 1,100 files
/// of many exporters, many accounts with repeated footers).
#[test]
fn run_output_strips_to_itself_on_the_bulk_dumps() {
    let Some(tar) = crate::shared::require("corpus/wechat-bulk.tar.zst") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    untar(&tar, d, &[] as &[&str]);
    let failures = strip_changes_run_output(d, &[d.join("wechat-bulk")]);
    assert!(
        failures.is_empty(),
        "scour strip changed {} records of scour run's output:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
