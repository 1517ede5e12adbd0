//! Invariants over generated inputs (proptest): every document accounted
//! for, output independent of the thread count, clean output cleans to itself.

use std::path::Path;

use proptest::prelude::*;

use crate::util::{corpus, jsonl, ok, root, scour};

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
