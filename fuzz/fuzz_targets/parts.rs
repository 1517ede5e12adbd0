//! Arbitrary bytes as a large JSONL or WARC dump read a part at a time
//! (`scour_normalize::open`), with parts as small as the first byte of the
//! input says: the documents are those `normalize` gives for the whole
//! file, in order (the whole-file size limit aside, which the inputs here do
//! not reach).
#![no_main]

use std::io::Cursor;

use libfuzzer_sys::fuzz_target;
use scour_normalize::{normalize, open, Doc, Opened, Options};

fuzz_target!(|data: &[u8]| {
    let Some((&size, body)) = data.split_first() else {
        return;
    };
    let opts = Options::default();
    for name in ["dump.jsonl", "dump.warc"] {
        let whole = normalize(name, body, &opts);
        let Ok(Opened::Parts(mut parts)) = open(
            name,
            Cursor::new(body.to_vec()),
            usize::from(size) + 1,
            opts.max_doc_bytes,
        ) else {
            continue;
        };
        let mut docs: Vec<Doc> = Vec::new();
        for p in parts.by_ref() {
            docs.extend(p.normalize(&opts));
        }
        let n = docs.len();
        docs.extend(parts.finish(n));
        assert_eq!(docs, whole, "{name} in parts of {}", usize::from(size) + 1);
    }
});
