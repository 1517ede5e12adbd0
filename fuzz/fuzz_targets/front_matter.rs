//! Arbitrary bytes as a `.md` dump through `normalize`: no panic; every
//! document is either rejected or has a clean body (no trailing whitespace,
//! no two blank lines in a row), and `normalize_body` on that body changes
//! nothing (idempotence).
#![no_main]

use libfuzzer_sys::fuzz_target;
use scour_normalize::{normalize, Options};

fuzz_target!(|data: &[u8]| {
    let docs = normalize("fuzz.md", data, &Options::default());
    assert!(!docs.is_empty(), "normalize returned no document at all");
    for doc in &docs {
        scour_fuzz::assert_clean_body(doc);
    }
});
