//! The cleaning scored against `../shared/corpus/wechat/gold`, with the same
//! measures as `../shared/tools/score.py` (character 4-gram bags, indifferent
//! to block splitting; residue snippets; UI labels left as blocks; fields).
//! `make eval` prints the per-file table; this test fails under the bars.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use crate::util::{corpus, jsonl, ok, root, scour};

/// The bars the whole corpus must clear (issue 4).
const MIN_RECALL: f64 = 0.995;
const MIN_PRECISION: f64 = 0.99;

const UI_LABELS: &[&str] = &[
    "微信扫一扫",
    "关注该公众号",
    "微信扫一扫可打开此内容，使用完整服务",
    "继续滑动看下一个",
    "向上滑动看下一个",
    "轻触阅读原文",
    "阅读原文",
    "预览时标签不可点",
    "知道了",
    "取消",
    "允许",
    "×",
    "分析",
    "视频",
    "小程序",
    "赞",
    "在看",
    "分享",
    "留言",
    "收藏",
    "听过",
    "写留言",
    "，轻点两下取消赞",
    "，轻点两下取消在看",
    "轻点两下取消赞",
    "轻点两下取消在看",
    "跳转二维码",
    "作者头像",
    "使用小程序",
    "使用完整服务",
    "微信扫一扫可打开此内容，",
    "：",
    "，",
    "。",
    "![]()",
    "Scan to Follow",
    "Got It",
    "Cancel",
    "Allow",
    "Like",
    "Wow",
    "Share",
    "Comment",
    "Favorite",
    "Listen",
    "Read more",
    "Scan with Weixin to use this Mini Program",
];

/// Whitespace, zero-width characters and markdown markers out (score.py's `squash`).
fn squash(text: &str) -> String {
    let image = regex::Regex::new(r"!\[[^\]]*\]\([^)]*\)|\[([^\]]*)\]\([^)]*\)|[*_`#>|]").unwrap();
    let t = image.replace_all(text, |c: &regex::Captures<'_>| {
        c.get(1).map_or(String::new(), |m| m.as_str().to_owned())
    });
    t.chars()
        .filter(|c| {
            !c.is_whitespace() && !matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}')
        })
        .collect()
}

fn grams(text: &str) -> HashMap<String, usize> {
    let s: Vec<char> = squash(text).chars().collect();
    let mut m = HashMap::new();
    for w in s.windows(4) {
        *m.entry(w.iter().collect()).or_insert(0) += 1;
    }
    m
}

/// The fields score.py compares, those the golden file gives.
const FIELDS: [&str; 5] = ["title", "source", "author", "published", "url"];

/// As score.py compares a field: `published` by its date (times vary in
/// precision), `url` exactly, the rest squashed.
fn field_matches(key: &str, mine: &str, want: &str) -> bool {
    match key {
        "published" => mine.get(..10).is_some_and(|d| Some(d) == want.get(..10)),
        "url" => mine == want,
        _ => squash(mine) == squash(want),
    }
}

fn stem(rec: &Value) -> Option<String> {
    let path = rec["origin"]["path"].as_str()?;
    let mut base = Path::new(path).file_name()?.to_string_lossy().into_owned();
    for ext in [".gz", ".zst"] {
        if let Some(b) = base.strip_suffix(ext) {
            base = b.to_owned();
        }
    }
    Some(match base.rsplit_once('.') {
        Some((s, _)) => s.to_owned(),
        None => base,
    })
}

pub(crate) struct Row {
    pub(crate) doc: String,
    pub(crate) recall: f64,
    pub(crate) precision: f64,
    pub(crate) leaked: Vec<String>,
    pub(crate) missing: Vec<String>,
    pub(crate) fields_ok: usize,
    pub(crate) fields_all: usize,
    pub(crate) fields_wrong: Vec<String>,
}

/// Scores records against the gold directory.
pub(crate) fn score(records: &[Value], gold_dir: &Path) -> Vec<Row> {
    let mut by_stem: HashMap<String, Vec<&Value>> = HashMap::new();
    for r in records {
        if let Some(s) = stem(r) {
            by_stem.entry(s).or_default().push(r);
        }
    }
    let mut names: Vec<_> = std::fs::read_dir(gold_dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.ends_with(".gold.json"))
        .collect();
    names.sort();
    let mut rows = Vec::new();
    for name in names {
        let doc = name.trim_end_matches(".gold.json").to_owned();
        let gold: Value =
            serde_json::from_str(&std::fs::read_to_string(gold_dir.join(&name)).unwrap()).unwrap();
        let got = by_stem.get(&doc).cloned().unwrap_or_default();
        let text = got
            .iter()
            .map(|r| r["text"].as_str().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n\n");
        let (g, o) = (grams(gold["text"].as_str().unwrap_or("")), grams(&text));
        let inter: usize = g
            .iter()
            .map(|(k, v)| (*v).min(*o.get(k).unwrap_or(&0)))
            .sum();
        let (gs, os): (usize, usize) = (g.values().sum(), o.values().sum());
        #[allow(clippy::cast_precision_loss)]
        let (recall, precision) = if gs == 0 {
            (1.0, if os == 0 { 1.0 } else { 0.0 })
        } else {
            (
                inter as f64 / gs as f64,
                if os == 0 {
                    0.0
                } else {
                    inter as f64 / os as f64
                },
            )
        };
        let flat = squash(&text);
        let list = |k: &str| -> Vec<String> {
            gold[k]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default()
        };
        let missing: Vec<String> = list("must_include")
            .into_iter()
            .filter(|s| !flat.contains(&squash(s)))
            .collect();
        let mut leaked: Vec<String> = list("must_exclude")
            .into_iter()
            .filter(|s| !squash(s).is_empty() && flat.contains(&squash(s)))
            .collect();
        leaked.extend(
            text.split('\n')
                .map(str::trim)
                .filter(|b| UI_LABELS.contains(b))
                .map(|b| format!("UI block: {b}")),
        );
        let (mut fields_ok, mut fields_all) = (0, 0);
        let mut fields_wrong = Vec::new();
        if gs > 0 {
            for key in FIELDS {
                if let Some(want) = gold[key].as_str().filter(|s| !s.is_empty()) {
                    fields_all += 1;
                    let mine = got.first().and_then(|r| r[key].as_str()).unwrap_or("");
                    if field_matches(key, mine, want) {
                        fields_ok += 1;
                    } else {
                        fields_wrong.push(format!("{key}: {mine:?} (gold {want:?})"));
                    }
                }
            }
        }
        rows.push(Row {
            doc,
            recall,
            precision,
            leaked,
            missing,
            fields_ok,
            fields_all,
            fields_wrong,
        });
    }
    rows
}

/// The input folders of a corpus folder: everything but `gold/` and the
/// provenance notes, which are not dumps.
pub(crate) fn input_folders(corpus: &Path) -> Vec<std::path::PathBuf> {
    let mut dirs: Vec<_> = std::fs::read_dir(corpus)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir() && p.file_name().is_some_and(|n| n != "gold"))
        .collect();
    dirs.sort();
    dirs
}

/// Runs scour on a corpus folder's inputs (or one file); returns kept and
/// duplicate records together, as the corpus README scores them.
pub(crate) fn run_corpus(corpus: &Path) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    let inputs = if corpus.is_dir() {
        input_folders(corpus)
    } else {
        vec![corpus.to_owned()]
    };
    ok(scour(&root())
        .args(["run", "-q"])
        .args(&inputs)
        .arg("-o")
        .arg(dir.path().join("k.jsonl"))
        .arg("--dups")
        .arg(dir.path().join("d.jsonl")));
    let mut recs = jsonl(&dir.path().join("k.jsonl"));
    recs.extend(jsonl(&dir.path().join("d.jsonl")));
    recs
}

fn table(rows: &[Row]) -> String {
    let mut s = String::new();
    for r in rows {
        s.push_str(&format!(
            "{:45} R={:.3} P={:.3} leaks={:?} missing={:?} fields={}/{} {:?}\n",
            r.doc,
            r.recall,
            r.precision,
            r.leaked,
            r.missing,
            r.fields_ok,
            r.fields_all,
            r.fields_wrong
        ));
    }
    s
}

/// What a corpus folder must clear.
struct Bars {
    recall: f64,
    precision: f64,
    leaks: usize,
    misses: usize,
    /// Fraction of the golden fields right.
    fields: f64,
}

/// Scores a folder and asserts its bars; returns the summary line.
fn clears(folder: &Path, bars: &Bars) -> String {
    let rows = score(&run_corpus(folder), &folder.join("gold"));
    assert!(!rows.is_empty(), "no golden files in {}", folder.display());
    #[allow(clippy::cast_precision_loss)]
    let n = rows.len() as f64;
    let recall = rows.iter().map(|r| r.recall).sum::<f64>() / n;
    let precision = rows.iter().map(|r| r.precision).sum::<f64>() / n;
    let leaks: usize = rows.iter().map(|r| r.leaked.len()).sum();
    let misses: usize = rows.iter().map(|r| r.missing.len()).sum();
    let fields_ok: usize = rows.iter().map(|r| r.fields_ok).sum();
    let fields_all: usize = rows.iter().map(|r| r.fields_all).sum();
    #[allow(clippy::cast_precision_loss)]
    let fields = fields_ok as f64 / fields_all.max(1) as f64;
    let summary = format!(
        "{}: recall={recall:.4} precision={precision:.4} leaks={leaks} misses={misses} fields={fields_ok}/{fields_all}\n{}",
        folder.display(),
        table(&rows)
    );
    assert!(recall >= bars.recall, "{summary}");
    assert!(precision >= bars.precision, "{summary}");
    assert!(leaks <= bars.leaks, "residue leaked: {summary}");
    assert!(misses <= bars.misses, "content missing: {summary}");
    assert!(fields >= bars.fields, "fields wrong: {summary}");
    summary
}

#[test]
fn corpus_clears_the_bars() {
    let Some(c) = corpus() else { return };
    clears(
        &c,
        &Bars {
            recall: MIN_RECALL,
            precision: MIN_PRECISION,
            leaks: 0,
            misses: 0,
            fields: 1.0,
        },
    );
}

/// Issue 12: the dumps of ten other archivers and exporters. The issue's
/// recall (0.995), precision (0.99) and fields (95 %) are met; its aim of no
/// leaks is not reached yet, so that bar is today's count (1: a line
/// announcing the author's website, `…做了一个网站: URL`, right before the
/// footer, which no rule can tell from a project's address), which the
/// cleaning may not exceed.
#[test]
fn archivers_clear_the_bars() {
    let Some(c) = corpus() else { return };
    let folder = c.with_file_name("wechat-archivers");
    clears(
        &folder,
        &Bars {
            recall: 0.995,
            precision: 0.99,
            leaks: 0,
            misses: 0,
            fields: 0.95,
        },
    );
}

#[test]
fn seed_article_is_clean() {
    let Some(c) = corpus() else { return };
    let recs = run_corpus(&c.join("markdown/seed-cisrc-ai-governance.md"));
    let rows = score(&recs, &c.join("gold"));
    let seed = rows
        .iter()
        .find(|r| r.doc == "seed-cisrc-ai-governance")
        .unwrap();
    let table = table(std::slice::from_ref(seed));
    assert!(seed.recall >= 0.99 && seed.precision >= 0.98, "{table}");
    assert!(seed.leaked.is_empty() && seed.missing.is_empty(), "{table}");
    assert!(
        seed.fields_all >= 4,
        "title, source, published, url: {table}"
    );
    assert_eq!(seed.fields_ok, seed.fields_all, "{table}");
}
