//! Arbitrary strings as a document through `strip` (WeChat rules): no panic,
//! and stripping is idempotent: the stripped record, stripped again as
//! `scour strip` over `scour strip`'s output does, comes back the same, field
//! for field (text, removals, fields, `lang`), for markdown output
//! (`--markdown`) and for plain-text output (the default). Issue 15, bug 6:
//! a clean record re-cleans to itself byte for byte.
//!
//! The input is split at the first U+0001: the title before it (if any), the
//! body after. The body is first passed through `normalize_body` and marked
//! markdown, as the pipeline does before strip; the raw body is also
//! stripped, as plain text, for panics only.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use scour_normalize::normalize_body;
use scour_record::Doc;
use scour_strip::{strip, Options, Rules};

fn check(title: Option<&str>, body: &str, rules: &Rules, opts: &Options) {
    let doc = Doc {
        text: body.to_owned(),
        text_format: Some("markdown".to_owned()),
        title: title.map(str::to_owned),
        source: Some("公众号".to_owned()),
        ..Doc::default()
    };
    let once = strip(doc, rules, opts);
    if once.reject_reason.is_some() {
        return;
    }
    let twice = strip(once.clone(), rules, opts);
    assert_eq!(
        twice.reject_reason, None,
        "stripped output is rejected when stripped again: {:?}",
        once.text
    );
    assert_eq!(
        twice.removed.len(),
        once.removed.len(),
        "second strip removed more: {:?}\nfrom {:?}",
        &twice.removed[once.removed.len().min(twice.removed.len())..],
        once.text
    );
    assert_eq!(twice.text, once.text, "second strip changed the text");
    assert_eq!(twice, once, "second strip changed a field");
}

fuzz_target!(|data: &[u8]| {
    let Some(input) = scour_fuzz::as_str(data) else {
        return;
    };
    let (title, body) = match input.split_once('\u{1}') {
        Some((t, b)) => (Some(t), b),
        None => (None, input),
    };
    // Compiled once: compiling the pack for every input spent most of the
    // target's time (it barely got past its seeds).
    static RULES: OnceLock<Rules> = OnceLock::new();
    let rules = RULES.get_or_init(Rules::wechat);
    // Raw text: strip must not panic on anything.
    let _ = strip(
        Doc {
            text: body.to_owned(),
            title: title.map(str::to_owned),
            ..Doc::default()
        },
        rules,
        &Options::default(),
    );
    let body = normalize_body(body);
    let markdown = Options {
        markdown: true,
        ..Options::default()
    };
    check(title, &body, rules, &markdown);
    check(title, &body, rules, &Options::default());
});
