//! UTF-8 text as an HTML page through the fast paths of `parse_html`: when
//! the fast builder accepts the page, its tree is html5ever's node for node
//! (and its cut tree the same less script and style text, with the same
//! scripts), `flatten_deep` leaves the page as it is, and the article is the
//! one the full-DOM path extracts; when it declines, the article is still
//! the full path's. Seeded with the corpus's HTML pages (`seed.sh`).
//!
//! The builder declines pages without `<!DOCTYPE html>` (quirks mode), which
//! most mutations are: each input is also tried after one, so that the tree
//! comparison sees more than the few inputs that keep theirs.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = scour_fuzz::as_str(data) else {
        return;
    };
    if let Err(e) = scour_normalize::fuzz_fastdom(text) {
        panic!("{e}");
    }
    if !text.starts_with("<!DOCTYPE html>") {
        if let Err(e) = scour_normalize::fuzz_fastdom(&format!("<!DOCTYPE html>{text}")) {
            panic!("{e}");
        }
    }
});
