//! Arbitrary bytes as an `.html` page through `normalize`: no panic, and the
//! output is bounded by the input (no blow-up from nesting or entities):
//! every body and title at most a small multiple of the input's size, and
//! every body clean; and, on UTF-8 input, parsing the page twice gives the
//! same article (the one HTML path is deterministic).
#![no_main]

use libfuzzer_sys::fuzz_target;
use scour_normalize::{normalize, Options};

/// Bytes of output allowed per byte of input. A legacy single-byte encoding
/// turns one byte into up to 3 bytes of UTF-8, and markdown syntax (`![](…)`,
/// `- `, `| `) adds a little around short tags.
const FACTOR: usize = 4;
const SLACK: usize = 256;

fuzz_target!(|data: &[u8]| {
    let docs = normalize("fuzz.html", data, &Options::default());
    assert!(!docs.is_empty(), "normalize returned no document at all");
    assert!(
        docs.len() <= data.len() + 1,
        "{} docs from {} bytes",
        docs.len(),
        data.len()
    );
    let bound = data.len() * FACTOR + SLACK;
    let mut total = 0usize;
    for doc in &docs {
        total += doc.text.len() + doc.title.as_ref().map_or(0, String::len);
        total += doc.images.iter().map(String::len).sum::<usize>();
        scour_fuzz::assert_clean_body(doc);
    }
    if let Some(text) = scour_fuzz::as_str(data) {
        if let Err(e) = scour_normalize::fuzz_html(text) {
            panic!("{e}");
        }
    }
    assert!(
        total <= bound,
        "{total} bytes of output from {} bytes of input",
        data.len()
    );
});
