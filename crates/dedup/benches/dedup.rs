//! Throughput of dedup on the WeChat gold corpus (`shared/corpus/wechat/gold`):
//! MinHash signatures (the hot loop), against a baseline of hashing the same
//! bytes once with xxh3-128 (what exact matching costs), and a whole
//! push-and-finish run.
//!
//! `cargo bench -p scour-dedup`. For comparison, measured once on the 2-core
//! dev machine (one thread each): Python's datasketch 2.0
//! (`MinHash(num_perm=128)`, the same whitespace-free lowercased 5-grams)
//! signs this corpus at 1.5 MiB/s with `update_batch` and 0.2 MiB/s with
//! `update`; `signature` here ran at about 185 MiB/s.

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use scour_dedup::{Deduper, MinHasher, Options};
use scour_record::Doc;

fn gold() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/wechat/gold");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!(
            "no gold corpus at {}: benchmarking on nothing",
            dir.display()
        );
        return Vec::new();
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    paths
        .iter()
        .filter(|p| p.to_string_lossy().ends_with(".gold.json"))
        .filter_map(|p| {
            let v: serde_json::Value = serde_json::from_slice(&std::fs::read(p).ok()?).ok()?;
            let id = p
                .file_name()?
                .to_string_lossy()
                .trim_end_matches(".gold.json")
                .to_owned();
            Some((id, v.get("text")?.as_str()?.to_owned()))
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let docs = gold();
    let bytes: usize = docs.iter().map(|(_, t)| t.len()).sum();
    let mut g = c.benchmark_group("gold");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("baseline_xxh3_128", |b| {
        b.iter(|| {
            for (_, t) in &docs {
                black_box(xxhash_rust::xxh3::xxh3_128(black_box(t.as_bytes())));
            }
        });
    });
    g.bench_function("signature", |b| {
        let mut h = MinHasher::default();
        b.iter(|| {
            for (_, t) in &docs {
                black_box(h.signature(black_box(t)));
            }
        });
    });
    g.bench_function("dedup_run", |b| {
        let input: Vec<Doc> = docs
            .iter()
            .map(|(id, t)| Doc {
                id: id.clone(),
                text: t.clone(),
                ..Doc::default()
            })
            .collect();
        b.iter(|| {
            let mut d = Deduper::new(Options::default());
            for doc in black_box(&input) {
                d.push(doc.clone());
            }
            black_box(d.finish())
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
