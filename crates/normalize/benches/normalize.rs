//! Throughput of normalize on the WeChat corpus (`shared/corpus/wechat`): the
//! markdown captures and the saved HTML pages, each group over all its files,
//! bytes being those of the files as read; and the four article pages alone
//! (`wechat_articles`), the page path the fast HTML builder is for.
//!
//! `cargo bench -p scour-normalize`. `make bench` measures the whole binary on
//! 60,024 captures and on copies of the HTML pages against resiliparse and
//! trafilatura (see bench/README.md).

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use scour_normalize::{normalize, Options};

/// (path, bytes) of the files under `corpus/wechat/<sub>` whose name ends in
/// `suffix` (an extension with its dot, or more of the name).
fn files(sub: &str, suffix: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/wechat")
        .join(sub);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("no corpus at {}: benchmarking on nothing", dir.display());
        return Vec::new();
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    paths
        .iter()
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .filter_map(|p| Some((p.to_string_lossy().into_owned(), std::fs::read(p).ok()?)))
        .collect()
}

fn bench(c: &mut Criterion) {
    let opts = Options::default();
    // The four article pages: the page path the fast HTML builder serves.
    let articles = ["backgroud-image", "iframe", "mpvoice", "qqmusic"]
        .iter()
        .flat_map(|n| files("html", &format!("article_detail_{n}.html")))
        .collect();
    for (name, inputs) in [
        ("corpus_markdown", files("markdown", ".md")),
        ("corpus_html", files("html", ".html")),
        ("wechat_articles", articles),
    ] {
        let bytes: usize = inputs.iter().map(|(_, b)| b.len()).sum();
        let mut g = c.benchmark_group(name);
        g.throughput(Throughput::Bytes(bytes as u64));
        g.bench_function("normalize", |b| {
            b.iter(|| {
                for (path, data) in &inputs {
                    black_box(normalize(path, black_box(data), &opts));
                }
            });
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
