//! Throughput of strip on the WeChat corpus markdown captures
//! (`shared/corpus/wechat/markdown`), each normalized once beforehand: the
//! input strip sees in a run. Bytes are those of the normalized bodies.
//!
//! `cargo bench -p scour-strip`. `make bench` measures the whole binary on
//! 60,024 captures against baselines (see bench/README.md).

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use scour_record::Doc;
use scour_strip::{strip, Options, Rules};

fn corpus() -> Vec<Doc> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/wechat/markdown");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("no corpus at {}: benchmarking on nothing", dir.display());
        return Vec::new();
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let opts = scour_normalize::Options::default();
    paths
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter_map(|p| {
            let bytes = std::fs::read(p).ok()?;
            Some(scour_normalize::normalize(
                &p.to_string_lossy(),
                &bytes,
                &opts,
            ))
        })
        .flatten()
        .filter(|d| d.reject_reason.is_none())
        .collect()
}

fn bench(c: &mut Criterion) {
    let docs = corpus();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let rules = Rules::wechat();
    let mut g = c.benchmark_group("corpus_markdown");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("strip", |b| {
        b.iter_batched(
            || docs.clone(),
            |docs| {
                for d in docs {
                    black_box(strip(black_box(d), &rules, &Options::default()));
                }
            },
            BatchSize::SmallInput,
        );
    });
    g.bench_function("strip_markdown", |b| {
        let opts = Options {
            markdown: true,
            ..Options::default()
        };
        b.iter_batched(
            || docs.clone(),
            |docs| {
                for d in docs {
                    black_box(strip(black_box(d), &rules, &opts));
                }
            },
            BatchSize::SmallInput,
        );
    });
    g.finish();
    // Once per run, not per document: no throughput.
    c.bench_function("compile_wechat_rules", |b| {
        b.iter(|| black_box(Rules::wechat()));
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
