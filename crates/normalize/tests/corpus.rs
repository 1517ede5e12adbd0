//! Every HTML, JSON and feed file of the shared corpus through `normalize`:
//! no panic; an article yields a kept document whose title is the golden
//! title; a notice or listing is rejected.

use std::path::{Path, PathBuf};

use scour_normalize::{normalize, Options};

/// `../shared`: a missing corpus fails the test unless `SCOUR_SKIP_CORPUS=1`.
#[path = "../../../tests/shared.rs"]
mod shared;

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn corpus_files_normalize() {
    let Some(root) = shared::require("corpus/wechat") else {
        return;
    };
    let opts = Options::default();
    let mut seen = 0;
    for sub in ["html", "json", "rss"] {
        for path in files(&root.join(sub)) {
            let bytes = std::fs::read(&path).expect("corpus file readable");
            let name = path.display().to_string();
            let docs = normalize(&name, &bytes, &opts);
            assert!(!docs.is_empty(), "{name}: no document");
            seen += 1;
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_owned();
            let gold_path = root.join("gold").join(format!("{stem}.gold.json"));
            let Ok(gold) = std::fs::read_to_string(&gold_path) else {
                // Feeds have no golden file: every item is read, none rejected.
                for d in &docs {
                    assert!(d.reject_reason.is_none(), "{name}: {:?}", d.reject_reason);
                    assert!(d.title.is_some(), "{name}: item without title");
                    assert!(d.url.is_some(), "{name}: item without url");
                }
                continue;
            };
            let gold: serde_json::Value = serde_json::from_str(&gold).expect("gold is JSON");
            let gold_text = gold["text"].as_str().unwrap_or_default();
            assert_eq!(docs.len(), 1, "{name}");
            let doc = &docs[0];
            if gold_text.is_empty() {
                assert!(
                    doc.reject_reason.is_some(),
                    "{name}: a notice or listing must be rejected"
                );
                assert!(doc.text.is_empty(), "{name}");
            } else {
                assert!(
                    doc.reject_reason.is_none(),
                    "{name}: {:?}",
                    doc.reject_reason
                );
                assert_eq!(doc.title.as_deref(), gold["title"].as_str(), "{name}");
                assert_eq!(doc.source.as_deref(), gold["source"].as_str(), "{name}");
                assert_eq!(
                    doc.published.as_deref(),
                    gold["published"].as_str(),
                    "{name}"
                );
                // The golden text is after strip, which drops emphasis markers.
                let plain = doc.text.replace("**", "");
                for snippet in gold["must_include"].as_array().into_iter().flatten() {
                    let s = snippet.as_str().unwrap_or_default();
                    assert!(plain.contains(s), "{name}: missing {s:?}");
                }
            }
            // Titles of rejected pages are kept where the page has one.
            if let Some(t) = gold["title"].as_str() {
                if sub == "html" {
                    assert_eq!(doc.title.as_deref(), Some(t), "{name}");
                }
            }
        }
    }
    assert!(seen >= 10, "only {seen} corpus files found");
}
