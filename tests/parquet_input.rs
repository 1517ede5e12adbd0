//! Parquet input: a file's rows are read as the same fields on JSONL lines
//! are (issue 14). Regression: a Parquet file without an `id` column (a
//! Hugging Face dataset's `text`, `url`, `title`) came out with empty ids,
//! so its duplicates named no record.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use serde_json::Value;

use crate::util::{jsonl, ok, scour};

/// Prose of `n` characters, the same for the same `seed`: duplicates need
/// bodies long enough for signatures, unlike one another unless meant.
fn prose(seed: u32, n: usize) -> String {
    let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    let mut s = String::new();
    for i in 1..=n {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        s.push(char::from_u32(0x4e00 + (x >> 16) % 3000).expect("a CJK character"));
        if i % 40 == 0 {
            s.push_str("。\n\n");
        }
    }
    s.push('。');
    s
}

/// One row: title, text, url, stars (a column scour does not know).
type Row = (
    Option<String>,
    Option<String>,
    Option<&'static str>,
    Option<i64>,
);

/// Rows that give every outcome: kept, exact, near and URL duplicates,
/// bodies normalize changes (CRLF, an HTML body), rejects (empty, no body).
fn rows() -> Vec<Row> {
    let a = prose(1, 300);
    // Shorter, so the keep policy (longest first) keeps `a`.
    let near: String = a.chars().take(a.chars().count() - 12).collect();
    let url = "http://mp.weixin.qq.com/s?__biz=MzA=&mid=7&idx=1&sn=ab&chksm=zz#rd";
    let t = |s: &str| Some(s.to_owned());
    vec![
        (t("甲"), Some(a.clone()), None, Some(5)),
        (t("甲"), Some(a.clone()), None, None),
        (t("乙"), Some(near), None, Some(1)),
        (t("丙"), Some(prose(2, 200)), Some(url), None),
        (None, Some(prose(3, 200)), Some(url), None),
        (
            t("丁"),
            Some(prose(4, 200).replace('\n', "\r\n") + "  "),
            None,
            None,
        ),
        (
            t("戊"),
            Some(format!("<p>{}</p><p>{}</p>", prose(5, 120), prose(6, 90))),
            None,
            None,
        ),
        (t("空"), Some(String::new()), None, None),
        (t("无正文"), None, None, Some(2)),
        (None, Some(a), None, None),
    ]
}

fn write_parquet(path: &Path, rows: &[Row]) {
    let strings = |f: &dyn Fn(&Row) -> Option<String>| -> ArrayRef {
        Arc::new(rows.iter().map(f).collect::<StringArray>())
    };
    let batch = RecordBatch::try_from_iter(vec![
        ("title", strings(&|r| r.0.clone())),
        ("text", strings(&|r| r.1.clone())),
        ("url", strings(&|r| r.2.map(str::to_owned))),
        (
            "stars",
            Arc::new(rows.iter().map(|r| r.3).collect::<Int64Array>()) as ArrayRef,
        ),
    ])
    .unwrap();
    let props = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::default()))
        // Rows across batches and row groups: their numbers must carry on.
        .set_max_row_group_row_count(Some(3))
        .build();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut w = ArrowWriter::try_new(
        std::fs::File::create(path).unwrap(),
        batch.schema(),
        Some(props),
    )
    .unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
}

/// The same rows as JSONL lines: the same fields, a null one left out.
fn jsonl_lines(rows: &[Row]) -> String {
    let mut out = String::new();
    for r in rows {
        let mut m = serde_json::Map::new();
        let mut put = |k: &str, v: Option<Value>| {
            if let Some(v) = v {
                m.insert(k.to_owned(), v);
            }
        };
        put("title", r.0.clone().map(Value::from));
        put("text", r.1.clone().map(Value::from));
        put("url", r.2.map(Value::from));
        put("stars", r.3.map(Value::from));
        out.push_str(&Value::Object(m).to_string());
        out.push('\n');
    }
    out
}

/// `scour run ARG` in `dir`: the bytes of clean, dups, rejects and the
/// report's counts.
fn run(dir: &Path, arg: &str, threads: &str, out: &str) -> (Vec<String>, Value) {
    let o = dir.join(out);
    std::fs::create_dir_all(&o).unwrap();
    let p = |n: &str| o.join(n).to_string_lossy().into_owned();
    ok(scour(dir).args([
        "run",
        arg,
        "-q",
        "-j",
        threads,
        "-o",
        &p("clean.jsonl"),
        "--dups",
        &p("dups.jsonl"),
        "--rejects",
        &p("rejects.jsonl"),
        "--report",
        &p("report.json"),
    ]));
    let files = ["clean", "dups", "rejects"]
        .map(|n| std::fs::read_to_string(o.join(format!("{n}.jsonl"))).unwrap())
        .to_vec();
    let report =
        serde_json::from_str(&std::fs::read_to_string(o.join("report.json")).unwrap()).unwrap();
    (files, report)
}

/// Every record of a run, by output name, keyed by its line (row) number.
fn by_line(dir: &Path, out: &str) -> BTreeMap<u64, (String, Value)> {
    let mut m = BTreeMap::new();
    for name in ["clean", "dups", "rejects"] {
        for r in jsonl(&dir.join(out).join(format!("{name}.jsonl"))) {
            let line = r["origin"]["line"]
                .as_u64()
                .expect("every record has its row");
            assert!(m.insert(line, (name.to_owned(), r)).is_none());
        }
    }
    m
}

#[test]
fn parquet_rows_without_ids_get_the_ids_of_jsonl_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let rows = rows();
    write_parquet(&dir.join("p/sub/rows.parquet"), &rows);
    std::fs::create_dir_all(dir.join("j/sub")).unwrap();
    let lines = jsonl_lines(&rows);
    std::fs::write(dir.join("j/sub/rows.jsonl"), &lines).unwrap();

    let (one, report) = run(dir, "p", "1", "p1");
    let (two, _) = run(dir, "p", "2", "p2");
    assert_eq!(one, two, "-j 1 and -j 2 write the same bytes");
    let n = rows.len() as u64;
    assert_eq!(report["read"], n, "{report}");
    let sum = ["kept", "duplicates", "rejected"]
        .iter()
        .map(|k| report[*k].as_u64().unwrap())
        .sum::<u64>();
    assert_eq!(sum, n, "read = kept + duplicates + rejected: {report}");

    let records = |name: &str| jsonl(&dir.join("p1").join(format!("{name}.jsonl")));
    let kept: Vec<Value> = records("clean").iter().map(|r| r["id"].clone()).collect();
    for out in ["clean", "dups", "rejects"] {
        for r in records(out) {
            let id = r["id"].as_str().unwrap_or_default();
            assert_eq!(id.len(), 32, "every {out} record has an id: {r}");
            if out == "dups" {
                assert!(
                    kept.contains(&r["duplicate_of"]),
                    "names a kept record: {r}"
                );
            }
        }
    }
    let got = by_line(dir, "p1");
    assert_eq!(
        got.keys().copied().collect::<Vec<_>>(),
        (1..=n).collect::<Vec<_>>(),
        "each row numbered from 1"
    );
    let outcome = |l: u64| (got[&l].0.as_str(), got[&l].1["dup_kind"].as_str());
    assert_eq!(outcome(1), ("clean", None));
    assert_eq!(outcome(2), ("dups", Some("exact")));
    assert_eq!(outcome(3), ("dups", Some("near")));
    assert_eq!(outcome(5), ("dups", Some("url")));
    assert_eq!(outcome(9).0, "rejects");

    // The ids a JSONL file at the same relative path would give (its
    // extension is part of the path, so a real JSONL file's differ there):
    // the path below the argument, the row's number from 1 as a line's,
    // the normalized body; a URL's id is the URL's.
    let opts = scour_normalize::Options::default();
    let want =
        scour_normalize::normalize_jsonl_lines("sub/rows.parquet", lines.as_bytes(), 1, &opts);
    for d in &want {
        let line = d.origin.line.unwrap();
        assert_eq!(got[&line].1["id"], d.id, "row {line}");
    }

    // The same rows in a JSONL file: the same records but for the path in
    // `origin`, its format and the ids that hash the path.
    run(dir, "j", "2", "j");
    let from_jsonl = by_line(dir, "j");
    let rename: BTreeMap<String, String> = from_jsonl
        .iter()
        .map(|(l, (_, r))| {
            (
                r["id"].as_str().unwrap().to_owned(),
                got[l].1["id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for (line, (out, r)) in &from_jsonl {
        let mut r = r.clone();
        if r["url"].is_string() {
            assert_eq!(r["id"], got[line].1["id"], "a URL's id has no path in it");
        }
        for f in ["id", "duplicate_of"] {
            if let Some(id) = r[f].as_str() {
                r[f] = Value::from(rename[id].clone());
            }
        }
        r["origin"]["path"] = Value::from("p/sub/rows.parquet");
        r["origin"]["format"] = Value::from("parquet");
        assert_eq!((out, &r), (&got[line].0, &got[line].1), "row {line}");
    }

    // The same folder reached by another path: the same ids.
    let far = dir.join("p").canonicalize().unwrap();
    let (elsewhere, _) = run(dir, &format!("{}/../p/", far.display()), "2", "far");
    let ids = |files: &[String]| -> Vec<String> {
        files
            .iter()
            .flat_map(|f| f.lines())
            .map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].to_string())
            .collect()
    };
    assert_eq!(ids(&elsewhere), ids(&one));
}
