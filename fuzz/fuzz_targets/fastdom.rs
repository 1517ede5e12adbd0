//! UTF-8 text as an HTML page through the fast paths of `parse_html`: when
//! the fast builder accepts the page, its tree is html5ever's node for node
//! (and its cut tree the same less script and style text, with the same
//! scripts), `flatten_deep` leaves the page as it is, and the article is the
//! one the full-DOM path extracts; when it declines, the article is still
//! the full path's. Seeded with the corpus's HTML pages (`seed.sh`).
//!
//! The builder declines pages without `<!DOCTYPE html>` (quirks mode) and
//! pages with CR or NUL, which most mutations are: each input is also tried
//! without those bytes and after a doctype, so that the tree comparison sees
//! more than the few inputs that stay acceptable.
#![no_main]

use libfuzzer_sys::fuzz_target;

fn check(text: &str) {
    if let Err(e) = scour_normalize::fuzz_fastdom(text) {
        panic!("{e}");
    }
}

fuzz_target!(|data: &[u8]| {
    let Some(text) = scour_fuzz::as_str(data) else {
        return;
    };
    check(text);
    let clean = text.replace(['\r', '\0'], "");
    let doctype = clean
        .get(..15)
        .is_some_and(|d| d.eq_ignore_ascii_case("<!DOCTYPE html>"));
    let variant = if doctype {
        clean
    } else {
        format!("<!DOCTYPE html>{clean}")
    };
    if variant != text {
        check(&variant);
    }
});
