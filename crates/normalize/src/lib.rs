//! scour's fetch-normalizer: any dump file in, [`Doc`]s out.
//!
//! [`normalize`] takes the bytes of one input file and its path, and returns one
//! [`Doc`] per document it holds: one for a markdown or HTML page, one per line
//! of JSONL, per item of a feed, per HTML response of a WARC. Compression (gzip,
//! zstd) and the container format are detected from the content, not trusted
//! from the extension. Text is decoded (BOM, declared charset, then detection),
//! normalized (NFC, zero-width characters out, blocks one blank line apart), its
//! metadata mapped to the record's fields, and its URL made canonical.
//!
//! A document that is not an article (an expired-link page, a listing, bytes
//! that are not text) comes back as a `Doc` with [`Doc::reject_reason`] set,
//! never as an error: the caller decides where rejects go.
//!
//! The body is left as *canonical markdown* for the strip stage: images as
//! `![alt](url)`, links as `[text](url)`, headings and emphasis kept, so that
//! strip can tell a decorative image or a link list from prose. Strip renders it
//! to plain text at the end.
//!
//! ```
//! use scour_normalize::{normalize, Options};
//!
//! let dump = "---\ntitle: 标题\nurl: http://mp.weixin.qq.com/s?__biz=MzA=&mid=1&idx=1&sn=ab&chksm=x\n---\n\n正文第一段。\n";
//! let docs = normalize("a.md", dump.as_bytes(), &Options::default());
//! assert_eq!(docs[0].title.as_deref(), Some("标题"));
//! assert_eq!(docs[0].url.as_deref(), Some("https://mp.weixin.qq.com/s?__biz=MzA=&mid=1&idx=1&sn=ab"));
//! assert_eq!(docs[0].text, "正文第一段。");
//! ```
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::print_stdout, clippy::print_stderr))]

mod article;
mod decode;
mod error;
mod formats;
mod html;
mod normalize;
mod options;
mod sniff;
mod stream;

/// `../shared` for the tests that read the corpus: they fail when it is
/// missing unless `SCOUR_SKIP_CORPUS=1` (one file for every crate).
#[cfg(test)]
#[path = "../../../tests/shared.rs"]
mod shared;

pub use article::canonical::{canonical_url, doc_id};
pub use article::set_id_path;
pub use article::text::{normalize_body, normalize_field};
pub use error::{human_bytes, Error, Result};
pub use formats::json::{normalize_jsonl_lines, normalize_row_file, normalize_rows};
pub use normalize::normalize;
pub use options::Options;
pub use stream::{open, Opened, Part, Parts};

pub use scour_record::Doc;

/// Fuzzing hook, not API (for `fuzz/fuzz_targets/html.rs`): parses `text`
/// as an HTML page twice and checks both parses give the same article.
///
/// # Errors
/// When they differ: that is the finding.
#[doc(hidden)]
pub fn fuzz_html(text: &str) -> std::result::Result<(), String> {
    html::check(text)
}
