//! Checks shared by scour's fuzz targets: the properties every document
//! coming out of a stage must have, whatever bytes went in.

use scour_normalize::{normalize_body, Doc};

/// The body contract of `Doc::text` for a document that is not rejected:
/// no trailing whitespace, blocks at most one blank line apart (fenced code
/// excepted, which normalize keeps verbatim), and normalizing it again
/// changes nothing.
///
/// # Panics
/// When the document breaks the contract (that is the finding).
pub fn assert_clean_body(doc: &Doc) {
    if doc.reject_reason.is_some() {
        return;
    }
    let text = &doc.text;
    assert_eq!(
        text.trim_end(),
        text,
        "trailing whitespace in body: {text:?}"
    );
    if !text.contains("```") {
        assert!(
            !text.contains("\n\n\n"),
            "two blank lines in body: {text:?}"
        );
    }
    let again = normalize_body(text);
    assert_eq!(&again, text, "normalize_body is not idempotent on the body");
}

/// The input as a `&str`, or `None` when it is not UTF-8.
#[must_use]
pub fn as_str(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}
