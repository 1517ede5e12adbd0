//! Dedup over the hand-checked WeChat gold corpus in `shared/corpus`: the
//! known duplicate pairs are found, and nothing else is merged.

use std::collections::BTreeSet;

use scour_dedup::{Deduper, Index, Options};
use scour_record::Doc;

/// Pairs that are the same article: URL duplicates (a re-fetch, a body-less
/// stub) and reposts by other accounts (near or exact).
const PAIRS: [(&str, &str); 7] = [
    (
        "picker-20241008-geekpark-edited-a",
        "picker-20241008-geekpark-edited-b",
    ),
    (
        "picker-20241222-geekpark-o3-a",
        "picker-20241222-geekpark-o3-b",
    ),
    (
        "picker-20240904-anquanquan-win11-stub",
        "picker-20240904-anquanquan-win11-full",
    ),
    (
        "picker-20241127-anquan419-book-stub",
        "picker-20241127-anquan419-book-full",
    ),
    (
        "picker-20221013-repost-a-hlwaqnc",
        "picker-20221013-repost-b-gjjcss",
    ),
    (
        "picker-20221028-repost-a-gjjcss",
        "picker-20221028-repost-b-cncert",
    ),
    (
        "picker-20221025-repost-a-4hou",
        "picker-20221026-repost-b-gjjcss",
    ),
];

/// `../shared`: a missing corpus fails the tests unless `SCOUR_SKIP_CORPUS=1`.
#[path = "../../../tests/shared.rs"]
mod shared;

fn gold_docs() -> Option<Vec<Doc>> {
    let dir = shared::require("corpus/wechat/gold")?;
    let entries = std::fs::read_dir(&dir).expect("the gold folder is readable");
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".gold.json"))
        .collect();
    paths.sort();
    let field =
        |v: &serde_json::Value, k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_owned);
    let docs = paths
        .iter()
        .map(|p| {
            let v: serde_json::Value =
                serde_json::from_slice(&std::fs::read(p).expect("readable")).expect("json");
            let name = p.file_name().unwrap().to_string_lossy();
            Doc {
                id: name.trim_end_matches(".gold.json").to_owned(),
                text: field(&v, "text").unwrap_or_default(),
                title: field(&v, "title"),
                source: field(&v, "source"),
                published: field(&v, "published"),
                url: field(&v, "url").filter(|u| !u.is_empty()),
                ..Doc::default()
            }
        })
        .collect();
    Some(docs)
}

/// Unordered pairs (duplicate, kept).
fn merged(dups: &[Doc]) -> BTreeSet<(String, String)> {
    dups.iter()
        .map(|d| {
            let (a, b) = (d.id.clone(), d.duplicate_of.clone().expect("duplicate_of"));
            if a < b {
                (a, b)
            } else {
                (b, a)
            }
        })
        .collect()
}

fn expected() -> BTreeSet<(String, String)> {
    PAIRS
        .iter()
        .map(|&(a, b)| {
            if a < b {
                (a.to_owned(), b.to_owned())
            } else {
                (b.to_owned(), a.to_owned())
            }
        })
        .collect()
}

#[test]
fn gold_pairs_found_and_nothing_else() {
    let Some(docs) = gold_docs() else { return };
    let n = docs.len();
    let mut dedup = Deduper::new(Options::default());
    for d in docs {
        dedup.push(d);
    }
    let done = dedup.finish();
    for d in &done.duplicates {
        eprintln!(
            "{} -> {} {:?} {:?}",
            d.id,
            d.duplicate_of.as_deref().unwrap_or(""),
            d.dup_kind,
            d.similarity
        );
    }
    assert_eq!(merged(&done.duplicates), expected());
    assert_eq!(done.stats().total(), n);
    // Stubs are URL duplicates of their full capture, never kept.
    for d in &done.duplicates {
        if d.id.ends_with("-stub") {
            assert_eq!(d.dup_kind, Some(scour_record::DupKind::Url), "{}", d.id);
        }
    }
    // Every other record without a body is rejected as empty.
    assert!(done.kept.iter().all(|d| !d.text.trim().is_empty()));
    assert!(done
        .rejected
        .iter()
        .all(|d| d.reject_reason == Some(scour_record::RejectReason::Empty)));
}

#[test]
fn gold_in_two_runs_with_index() {
    let Some(docs) = gold_docs() else { return };
    let (first, second) = docs.split_at(docs.len() / 2);
    let mut one = Deduper::new(Options::default());
    first.iter().cloned().for_each(|d| one.push(d));
    let one = one.finish();
    let mut bytes = Vec::new();
    one.index.write_to(&mut bytes).unwrap();
    let index = Index::read_from(bytes.as_slice()).unwrap();
    let mut two = Deduper::with_index(Options::default(), index);
    second.iter().cloned().for_each(|d| two.push(d));
    let two = two.finish();
    let mut dups = one.duplicates;
    dups.extend(two.duplicates);
    assert_eq!(merged(&dups), expected());
}
