//! scour's boilerplate remover: every trace of the page and the account's
//! promos out, every word of the author in.
//!
//! [`strip`] takes a normalized [`Doc`] (its body in canonical markdown, as the
//! normalizer leaves it) and returns it with:
//! - page furniture (`chrome`), decorative images (`media`), promos (`promo`)
//!   and archive cut marks (`truncation`) removed, each removal recorded in
//!   [`Doc::removed`] with its family and rule;
//! - bylines, credits and reprint attributions moved into `author`, `credits`
//!   and `reprinted_from`, image URLs into `images`;
//! - the body rendered to plain text (unless [`Options::markdown`]) and its
//!   language (`lang`) detected on what is left;
//! - `reject_reason = "empty: …"` when nothing of the article is left (unless
//!   [`Options::keep_empty`]).
//!
//! What residue looks like is data: a [`Rules`] pack compiled from TOML. The
//! WeChat pack is built in ([`Rules::wechat`]); `--rules FILE` adds another.
//! Structure is code: the page's tail furniture, the header under the title, a
//! repost card, and the head and tail zones around the article's prose.
//!
//! ```
//! use scour_record::Doc;
//! use scour_strip::{strip, Options, Rules};
//!
//! let rules = Rules::wechat();
//! let doc = Doc {
//!     text: "当前，全球人工智能技术正处于飞速发展期，尤其是自2023年以来，新一代人工智能技术正在快速迭代。\n\n预览时标签不可点\n\n微信扫一扫\n关注该公众号".into(),
//!     ..Doc::default()
//! };
//! let clean = strip(doc, &rules, &Options::default());
//! assert!(clean.text.ends_with("快速迭代。"));
//! assert_eq!(clean.removed.len(), 2);
//! ```
//!
//! Stripping is idempotent: stripping stripped output changes nothing, not a
//! byte of the record ([`strip`] repeats its pass to a fixpoint).
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::print_stdout, clippy::print_stderr))]

mod again;
mod block;
mod byline;
mod engine;
mod error;
mod explain;
mod fields;
mod inline;
mod lang;
mod rule_id;
mod rules;
mod seen;
mod wechat;

/// `../shared` for the tests that read the corpus: they fail when it is
/// missing unless `SCOUR_SKIP_CORPUS=1` (one file for every crate).
#[cfg(test)]
#[path = "../../../tests/shared.rs"]
mod shared;

pub use again::strip_again;
pub use error::{Error, Result};
pub use explain::explain;
pub use rules::{Rules, WECHAT_RULES};

use scour_record::Doc;

/// How the strip stage works.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Keep markdown syntax (emphasis, links, images) in the output body.
    /// Default: false (plain text).
    pub markdown: bool,
    /// Emit documents whose body is empty after stripping instead of rejecting
    /// them with reason `empty`. Default: false.
    pub keep_empty: bool,
}

/// Strips one document. Rejected documents pass through unchanged.
///
/// The output strips to itself, byte for byte: a pass of the rules is
/// repeated on its own output until one more changes nothing, since a rule
/// may decide a block by the blocks after it, which a later rule of the same
/// pass removes (issue 15).
#[must_use]
pub fn strip(doc: Doc, rules: &Rules, opts: &Options) -> Doc {
    let seen = seen::Seen::default();
    // A record already in the form a pass writes (plain text, or markdown
    // kept) that the pass leaves as it came is at its fixpoint: a second
    // pass would read the very record the first one did. Dedup's restrip
    // of a record with nothing more to take out ends here.
    let markdown_in = doc.text_format.as_deref() == Some("markdown");
    let before = (!markdown_in || opts.markdown).then(|| doc.clone());
    let first = engine::strip_pass(doc, rules, opts, false, &seen);
    if before.is_some_and(|b| b == first) {
        return first;
    }
    again::to_fixpoint(first, rules, opts, &seen)
}
