//! Main-text extraction on pages of ordinary web sites
//! (`../shared/corpus/web-articles.tar.zst`, 990 pages with snippets the
//! text must and must not hold), scored as `../shared/tools/score_snippets.py`
//! scores it, on the development half, the check half and the whole. See
//! issue 13.

use std::collections::BTreeMap;
use std::path::Path;

use crate::util::{jsonl, ok, scour, untar};

/// The bar: the target, F1 0.93 on the whole (reached: 0.9360; the
/// development half 0.9404), and on the check half just under what it
/// reached (0.9319; the issue asks 0.92).
const MIN_F1: f64 = 0.93;
const MIN_F1_CHECK: f64 = 0.93;

/// Collapses whitespace runs to one space, as the scorer does.
fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The page's half, by a rule fixed once: development when the first byte
/// of the MD5 of its file name is even, check when it is odd. Rules were
/// tuned on the development half only.
fn is_check(name: &str) -> bool {
    use md5::Digest;
    md5::Md5::digest(name.as_bytes())[0] % 2 == 1
}

#[derive(Default)]
struct Score {
    tp: usize,
    fn_: usize,
    fp: usize,
}

impl Score {
    fn f1(&self) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        let (tp, fn_, fp) = (self.tp as f64, self.fn_ as f64, self.fp as f64);
        let p = tp / (tp + fp).max(1.0);
        let r = tp / (tp + fn_).max(1.0);
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

#[test]
fn web_articles_f1_clears_the_bar() {
    let Some(tarball) = crate::shared::require("corpus/web-articles.tar.zst") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    untar(&tarball, dir.path(), &[] as &[&str]);
    let pages = dir.path().join("web-articles/pages");
    ok(scour(dir.path()).args([
        "run",
        pages.to_str().expect("utf-8 path"),
        "-q",
        "-o",
        "out-clean.jsonl",
        "--dups",
        "out-dups.jsonl",
        "--rejects",
        "out-rejects.jsonl",
    ]));
    let snippets: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.path().join("web-articles/snippets.json")).expect("snippets"),
    )
    .expect("snippets JSON");
    let mut texts: BTreeMap<String, String> = BTreeMap::new();
    let mut listings_with_text = Vec::new();
    for f in ["out-clean.jsonl", "out-dups.jsonl", "out-rejects.jsonl"] {
        for r in jsonl(&dir.path().join(f)) {
            let name = Path::new(r["origin"]["path"].as_str().unwrap_or(""))
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_owned();
            let rejected = !r["reject_reason"].is_null();
            if rejected && r["reject_reason"].as_str() == Some("listing") {
                listings_with_text.push(name.clone());
            }
            let mut text = String::new();
            if !rejected {
                if let Some(t) = r["title"].as_str() {
                    text.push_str(t);
                    text.push('\n');
                }
                text.push_str(r["text"].as_str().unwrap_or(""));
            }
            let e = texts.entry(name).or_default();
            e.push('\n');
            e.push_str(&text);
        }
    }
    let (mut dev, mut check, mut all) = (Score::default(), Score::default(), Score::default());
    let mut listed = Vec::new();
    for (name, s) in snippets.as_object().expect("an object") {
        let t = norm(texts.get(name).map_or("", String::as_str));
        let with: Vec<&str> = s["with"].as_array().map_or(Vec::new(), |a| {
            a.iter().filter_map(serde_json::Value::as_str).collect()
        });
        let without: Vec<&str> = s["without"].as_array().map_or(Vec::new(), |a| {
            a.iter().filter_map(serde_json::Value::as_str).collect()
        });
        if !with.is_empty() && listings_with_text.contains(name) {
            listed.push(name.clone());
        }
        let found = with.iter().filter(|x| t.contains(&norm(x))).count();
        let leaked = without.iter().filter(|x| t.contains(&norm(x))).count();
        for sc in [&mut all, if is_check(name) { &mut check } else { &mut dev }] {
            sc.tp += found;
            sc.fn_ += with.len() - found;
            sc.fp += leaked;
        }
    }
    let summary = format!(
        "F1 dev {:.3}, check {:.3}, all {:.3}",
        dev.f1(),
        check.f1(),
        all.f1()
    );
    assert!(
        listed.is_empty(),
        "articles rejected as listings: {listed:?}"
    );
    assert!(all.f1() >= MIN_F1, "{summary}");
    assert!(check.f1() >= MIN_F1_CHECK, "{summary}");
}
