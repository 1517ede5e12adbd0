//! The real dumps of `../shared/corpus/wechat`: every file read, every article
//! emitted once, every non-article rejected with its reason.

use crate::util::{corpus, jsonl, ok, root, scour};

/// Issue 16: a test cannot pass by skipping. Shared data that is missing
/// fails the test that needs it, with a message saying how to opt out, unless
/// `SCOUR_SKIP_CORPUS=1` opts out (then the test is skipped).
#[test]
fn missing_shared_data_fails_unless_skipping_is_asked() {
    let got = std::panic::catch_unwind(|| crate::shared::require("corpus/no-such-folder"));
    if std::env::var_os("SCOUR_SKIP_CORPUS").is_some_and(|v| v == "1") {
        assert!(matches!(got, Ok(None)), "skipped when asked");
        return;
    }
    let message = got.expect_err("a missing folder fails the test");
    let message = message
        .downcast_ref::<String>()
        .expect("the message is formatted");
    assert!(
        message.contains("no-such-folder") && message.contains("SCOUR_SKIP_CORPUS=1"),
        "{message}"
    );
}

#[test]
fn seed_record_fields() {
    let Some(c) = corpus() else { return };
    let out = ok(scour(&root())
        .args(["run", "-q"])
        .arg(c.join("markdown/seed-cisrc-ai-governance.md")));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1);
    let rec: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(rec["author"], "何哲");
    assert_eq!(rec["source"], "中国信息安全");
    assert_eq!(rec["reprinted_from"], "人民论坛网");
    assert_eq!(rec["published"], "2025-02-11");
    assert_eq!(
        rec["url"],
        "https://mp.weixin.qq.com/s?__biz=MzA5MzE5MDAzOA==&mid=2664236345&idx=4&sn=d6cf4704d4d77e573e7740ac866c63d8"
    );
    let body = rec["text"].as_str().unwrap();
    assert!(
        body.starts_with("当前，全球人工智能技术"),
        "{}",
        &body[..60]
    );
    assert!(body.ends_with("更好造福世界各国人民。"));
    assert!(rec["removed"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["family"] == "promo"));
}

#[test]
fn every_corpus_file_is_accounted_for() {
    let Some(c) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(scour(&root())
        .args(["run", "-q"])
        .arg(&c)
        .arg("-o")
        .arg(d.join("k.jsonl"))
        .arg("--dups")
        .arg(d.join("d.jsonl"))
        .arg("--rejects")
        .arg(d.join("r.jsonl"))
        .arg("--report")
        .arg(d.join("report.json")));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("report.json")).unwrap()).unwrap();
    let (read, kept, dups, rej) = (
        report["read"].as_u64().unwrap(),
        report["kept"].as_u64().unwrap(),
        report["duplicates"].as_u64().unwrap(),
        report["rejected"].as_u64().unwrap(),
    );
    assert_eq!(read, kept + dups + rej);
    assert_eq!(kept as usize, jsonl(&d.join("k.jsonl")).len());
    assert_eq!(dups as usize, jsonl(&d.join("d.jsonl")).len());
    assert_eq!(rej as usize, jsonl(&d.join("r.jsonl")).len());
    let rejects = jsonl(&d.join("r.jsonl"));
    let reason = |stem: &str| -> String {
        rejects
            .iter()
            .find(|r| r["origin"]["path"].as_str().unwrap().contains(stem))
            .and_then(|r| r["reject_reason"].as_str())
            .unwrap_or("(not rejected)")
            .to_owned()
    };
    for (stem, want) in [
        ("markdown/picker-20221015-deleted", "deleted"),
        ("markdown/picker-20230211-violation", "blocked"),
        ("html/wechatsogou-article_detail_expired", "expired"),
        ("html/wechatsogou-bitsea-history", "listing"),
        ("html/wechatsogou-search-gaokao-article", "listing"),
        ("json/wechatsogou-search-gaokao-article", "listing"),
        ("markdown/picker-20250601-stub-doonsec", "empty"),
        ("markdown/picker-20221013-oldui-seebug", "empty"),
    ] {
        assert!(reason(stem).starts_with(want), "{stem}: {}", reason(stem));
    }
    let unsupported: Vec<_> = rejects
        .iter()
        .filter(|r| {
            let why = r["reject_reason"].as_str().unwrap_or("");
            ["io", "parse", "corrupt", "binary", "unsupported"]
                .iter()
                .any(|k| why.starts_with(k))
        })
        .collect();
    assert!(
        unsupported.is_empty(),
        "files that could not be read: {unsupported:?}"
    );
}

/// The duplicate pairs PROVENANCE.md names: one kept, the other set aside
/// (or, for an empty stub, rejected as empty or a URL duplicate).
#[test]
fn known_duplicate_pairs_are_found() {
    let Some(c) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(scour(&root())
        .args(["run", "-q"])
        .arg(c.join("markdown"))
        .arg("-o")
        .arg(d.join("k.jsonl"))
        .arg("--dups")
        .arg(d.join("d.jsonl"))
        .arg("--rejects")
        .arg(d.join("r.jsonl")));
    let kept = jsonl(&d.join("k.jsonl"));
    let dups = jsonl(&d.join("d.jsonl"));
    let rejected = jsonl(&d.join("r.jsonl"));
    let find = |set: &[serde_json::Value], stem: &str| {
        set.iter()
            .find(|r| r["origin"]["path"].as_str().unwrap().contains(stem))
            .cloned()
    };
    for (a, b) in [
        ("geekpark-edited-a", "geekpark-edited-b"),
        ("geekpark-o3-a", "geekpark-o3-b"),
        ("anquanquan-win11-full", "anquanquan-win11-stub"),
        ("anquan419-book-full", "anquan419-book-stub"),
        ("repost-a-hlwaqnc", "20221013-repost-b-gjjcss"),
        ("repost-a-gjjcss", "repost-b-cncert"),
        ("repost-a-4hou", "20221026-repost-b-gjjcss"),
    ] {
        let in_kept = [find(&kept, a).is_some(), find(&kept, b).is_some()];
        assert_eq!(
            in_kept.iter().filter(|x| **x).count(),
            1,
            "exactly one of {a} / {b} kept"
        );
        let other = if in_kept[0] { b } else { a };
        let set_aside = find(&dups, other).is_some()
            || find(&rejected, other)
                .is_some_and(|r| r["reject_reason"].as_str().unwrap().starts_with("empty"));
        assert!(set_aside, "{other} neither a duplicate nor an empty stub");
    }
    // No two different articles merged: every duplicate's kept record shares
    // its title's first characters or its URL.
    let by_id: std::collections::HashMap<&str, &serde_json::Value> = kept
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), r))
        .collect();
    for dup in &dups {
        let k = by_id[dup["duplicate_of"].as_str().unwrap()];
        let t = |r: &serde_json::Value| {
            r["title"]
                .as_str()
                .unwrap_or("")
                .chars()
                .take(8)
                .collect::<String>()
        };
        assert!(
            t(k) == t(dup) || k["url"] == dup["url"],
            "{} merged into {}",
            t(dup),
            t(k)
        );
    }
}
