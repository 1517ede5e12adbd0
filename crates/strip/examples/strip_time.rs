//! Times strip alone over a JSONL file of normalized records, held in
//! memory, best of N passes, with a checksum of the output so that two builds
//! can be compared for speed and sameness:
//!
//!     scour normalize bench-work/picker > norm.jsonl
//!     cargo run --release -p scour-strip --example strip_time -- norm.jsonl [LIMIT] [PASSES]
use std::io::BufRead;
fn main() {
    let path = std::env::args().nth(1).expect("path");
    let limit: usize = std::env::args()
        .nth(2)
        .map_or(usize::MAX, |s| s.parse().unwrap());
    let reps: usize = std::env::args().nth(3).map_or(1, |s| s.parse().unwrap());
    let f = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    let docs: Vec<scour_record::Doc> = f
        .lines()
        .take(limit)
        .map(|l| serde_json::from_str(&l.unwrap()).unwrap())
        .collect();
    let rules = scour_strip::Rules::wechat();
    let opts = scour_strip::Options::default();
    let mut best = f64::MAX;
    let mut check = 0u64;
    for _ in 0..reps {
        let input = docs.clone();
        let t = std::time::Instant::now();
        let mut c = 0u64;
        for d in input {
            let out = scour_strip::strip(d, &rules, &opts);
            c = c
                .wrapping_mul(31)
                .wrapping_add(out.text.len() as u64 + out.removed.len() as u64);
        }
        best = best.min(t.elapsed().as_secs_f64());
        check = c;
    }
    println!(
        "{} docs: best {:.3} s ({:.1} us/doc) check {check}",
        docs.len(),
        best,
        best * 1e6 / docs.len() as f64
    );
}
