//! Regression tests, each naming the issue that found the bug.

use std::io::Write;
use std::process::Stdio;

use crate::util::{jsonl, ok, scour};

/// Runs `scour strip` over `input` (JSONL) and returns its stdout.
fn strip(dir: &std::path::Path, input: &[u8]) -> Vec<u8> {
    let mut child = scour(dir)
        .args(["strip", "-q"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    out.stdout
}

/// Issue 15, bug 6: `w*h` became `wh` and `start[2*w*h:]` became
/// `start[2wh:]`, in markdown and in JSONL records alike, and a clean record
/// did not re-clean to itself.
#[test]
fn arithmetic_stars_survive_and_clean_output_recleans_to_itself() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let body =
        "计算面积时用 w*h 表示宽乘高，切片 start[2*w*h:] 取后半部分，这是一段足够长的正文内容。";
    let code = "代码 `a*b*c` 里的星号，以及 2**10 的乘方，都是正文的一部分，不是强调。";
    std::fs::write(
        d.join("a.md"),
        format!("---\ntitle: 星号\n---\n\n{body}\n\n{code}\n\n这是**重点**内容，强调符号应当去掉，只留下文字本身。\n"),
    )
    .unwrap();
    std::fs::write(
        d.join("b.jsonl"),
        format!(
            "{}\n",
            serde_json::json!({"title": "记录", "text": format!("{body}\n\n{code}")})
        ),
    )
    .unwrap();
    ok(scour(d).args([
        "run",
        "a.md",
        "b.jsonl",
        "-o",
        "clean.jsonl",
        "--dups",
        "dups.jsonl",
    ]));
    let mut recs = jsonl(&d.join("clean.jsonl"));
    recs.extend(jsonl(&d.join("dups.jsonl")));
    assert_eq!(recs.len(), 2);
    for r in &recs {
        let text = r["text"].as_str().unwrap();
        assert!(text.contains(body), "{text}");
        assert!(text.contains("`a*b*c`") && text.contains("2**10"), "{text}");
        assert!(!text.contains("**重点**"), "{text}");
    }
    // Nothing else changed: the markdown record's body is exactly its three
    // paragraphs, emphasis out.
    let md = recs.iter().find(|r| r["title"] == "星号").unwrap();
    assert_eq!(
        md["text"],
        format!("{body}\n\n{code}\n\n这是重点内容，强调符号应当去掉，只留下文字本身。")
    );
    let clean = std::fs::read(d.join("clean.jsonl")).unwrap();
    assert_eq!(
        String::from_utf8(strip(d, &clean)).unwrap(),
        String::from_utf8(clean).unwrap(),
        "clean output re-cleans to itself"
    );
}
