//! Arbitrary bytes as a `.warc` file through `normalize`: no panic; every
//! record's offset lies inside the input, and every body is clean.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scour_normalize::{normalize, Options};

fuzz_target!(|data: &[u8]| {
    let docs = normalize("fuzz.warc", data, &Options::default());
    assert!(!docs.is_empty(), "normalize returned no document at all");
    for doc in &docs {
        if doc.origin.format == "warc" && doc.origin.compression.is_none() {
            if let Some(off) = doc.origin.offset {
                assert!((off as usize) < data.len(), "offset {off} past the end");
            }
        }
        scour_fuzz::assert_clean_body(doc);
    }
});
