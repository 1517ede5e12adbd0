//! Arbitrary strings as a document through `strip` (WeChat rules, default
//! options): no panic, and stripping is idempotent: the output's text, as a
//! fresh document with the same title and source, strips to the same text
//! with nothing more removed and no rejection.
//!
//! The input is split at the first U+0001: the title before it (if any), the
//! body after. The body is first passed through `normalize_body`, as the
//! pipeline does before strip; the raw body is also stripped, for panics only.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scour_normalize::normalize_body;
use scour_record::Doc;
use scour_strip::{strip, Options, Rules};

fuzz_target!(|data: &[u8]| {
    let Some(input) = scour_fuzz::as_str(data) else {
        return;
    };
    let (title, body) = match input.split_once('\u{1}') {
        Some((t, b)) => (Some(t.to_owned()), b),
        None => (None, input),
    };
    let rules = Rules::wechat();
    let opts = Options::default();
    // Raw text: strip must not panic on anything.
    let _ = strip(
        Doc {
            text: body.to_owned(),
            title: title.clone(),
            ..Doc::default()
        },
        &rules,
        &opts,
    );
    let doc = Doc {
        text: normalize_body(body),
        title: title.clone(),
        source: Some("公众号".to_owned()),
        ..Doc::default()
    };
    let once = strip(doc, &rules, &opts);
    if once.reject_reason.is_some() {
        return;
    }
    let twice = strip(
        Doc {
            text: once.text.clone(),
            title: once.title.clone(),
            source: once.source.clone(),
            ..Doc::default()
        },
        &rules,
        &opts,
    );
    assert_eq!(
        twice.reject_reason, None,
        "stripped output is rejected when stripped again: {:?}",
        once.text
    );
    assert_eq!(twice.text, once.text, "second strip changed the text");
    assert!(
        twice.removed.is_empty(),
        "second strip removed more: {:?}",
        twice.removed
    );
});
