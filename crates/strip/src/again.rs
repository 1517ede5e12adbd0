//! Stripping to a fixpoint: a clean record re-cleans to itself (issue 15,
//! bug 6).
//!
//! Strip's zones are positions in the body (the head, the prose, the tail),
//! and several rules ask what is around a block: a disclaimer
//! (`个人观点，仅供参考。`) or an article count (`这是…的第2256篇原创文章`)
//! is furniture when it ends the article, a credit line when only furniture
//! follows it. One pass decides every block against the body as it came, so
//! when the footer after such a block goes in that pass, only a second pass
//! sees the block at the end (15 of the bulk dumps' 1,017 records changed
//! under `scour strip` over `scour strip`'s output). [`strip`](crate::strip)
//! therefore repeats its pass over its own output until one more changes
//! nothing.
//!
//! Likewise when dedup takes an account's repeated blocks out of a stripped
//! record (its footer, its slogan): a second strip sees a shorter body, its
//! tail zone moves, and it finds more furniture there (534 of the 60k
//! captures' 11,047 records changed under `scour strip` over `scour run`'s
//! output, most of them such records). [`strip_again`] strips such a record
//! to its fixpoint.

use scour_record::Doc;

use crate::seen::Seen;
use crate::{engine, strip, Options, Rules};

/// Passes after the first at most: a second pass nearly always finds the
/// fixpoint, a third is rare. A pathological body can need one pass per
/// line (each taking one more archive cut mark off the end, as the fuzz
/// target found with five lines of escaped dots), so the bound is generous;
/// a pass that changes nothing ends the loop long before it.
const MAX_PASSES: usize = 32;

/// `doc`, the output of one pass of the rules, passed through the rules
/// again until a pass changes nothing (not a byte of the record) or rejects
/// it (nothing left: the whole record was furniture once seen without its
/// footer), at most [`MAX_PASSES`] more. `seen` holds what the first pass
/// found in the blocks' texts: a pass that reads the same blocks again only
/// decides what depends on their places.
pub(crate) fn to_fixpoint(mut doc: Doc, rules: &Rules, opts: &Options, seen: &Seen) -> Doc {
    for _ in 0..MAX_PASSES {
        if doc.is_rejected() {
            break;
        }
        let next = engine::strip_pass(doc.clone(), rules, opts, true, seen);
        if next == doc {
            break;
        }
        doc = next;
    }
    doc
}

/// Strips `doc`, a stripped record whose body another stage shortened, to
/// its fixpoint (as [`strip`] does). Each pass records its removals after
/// the ones already there and detects `lang` again on what is left.
///
/// The record's own form is kept: markdown when its `text_format` says so,
/// plain text otherwise (as `scour strip` and `scour strip --markdown`
/// write it). A pass that would reject the record (nothing left, or a
/// notice) is not taken: the record stays as it came, since the stage that
/// shortened it has already decided it is not empty.
/// Rejected records come back unchanged.
#[must_use]
pub fn strip_again(doc: Doc, rules: &Rules) -> Doc {
    if doc.is_rejected() {
        return doc;
    }
    let opts = Options {
        markdown: doc.text_format.as_deref() == Some("markdown"),
        keep_empty: false,
    };
    let next = strip(doc.clone(), rules, &opts);
    if next.is_rejected() {
        doc
    } else {
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stripped(text: &str) -> Doc {
        strip(
            Doc {
                text: text.to_owned(),
                text_format: Some("markdown".to_owned()),
                source: Some("公众号".to_owned()),
                ..Doc::default()
            },
            &Rules::wechat(),
            &Options::default(),
        )
    }

    #[test]
    fn a_record_at_its_fixpoint_comes_back_as_it_was() {
        let doc = stripped("当前，全球人工智能技术正处于飞速发展期，尤其是自2023年以来，新一代人工智能技术正在快速迭代。\n\n预览时标签不可点");
        assert_eq!(strip_again(doc.clone(), &Rules::wechat()), doc);
    }

    #[test]
    fn what_it_gives_strips_to_itself() {
        // The body once its account's repeated footer went: the sign-off
        // before it is now at the end.
        let mut doc = stripped("当前，全球人工智能技术正处于飞速发展期，尤其是自2023年以来，新一代人工智能技术正在快速迭代。\n\n预览时标签不可点");
        doc.text.push_str("\n\n微信扫一扫\n关注该公众号");
        let again = strip_again(doc, &Rules::wechat());
        assert!(again.text.ends_with("快速迭代。"), "{:?}", again.text);
        let opts = Options::default();
        assert_eq!(strip(again.clone(), &Rules::wechat(), &opts), again);
    }

    #[test]
    fn a_pass_that_would_reject_is_not_taken() {
        let mut doc = stripped("当前，全球人工智能技术正处于飞速发展期，尤其是自2023年以来，新一代人工智能技术正在快速迭代。");
        doc.text = "预览时标签不可点".to_owned();
        let again = strip_again(doc.clone(), &Rules::wechat());
        assert!(!again.is_rejected());
        assert_eq!(again, doc);
    }

    #[test]
    fn a_body_that_loses_a_cut_mark_a_pass_reaches_its_fixpoint() {
        // Found by the strip fuzz target: every pass took one more archive
        // cut mark (`...`) off the last block, as the plain view of its
        // escapes showed it, so four more passes were not enough.
        let body = "\\-..\\.\\...\\.\n.\\..*\n.\\.\\.\\...\\.\\...\\.\n.\\..*\n.\\..*";
        let doc = Doc {
            text: body.to_owned(),
            text_format: Some("markdown".to_owned()),
            source: Some("公众号".to_owned()),
            ..Doc::default()
        };
        let opts = Options::default();
        let once = strip(doc, &Rules::wechat(), &opts);
        let twice = strip(once.clone(), &Rules::wechat(), &opts);
        assert_eq!(twice, once);
    }

    #[test]
    fn rejected_records_pass_through() {
        let mut doc = stripped("正文。");
        doc.reject(scour_record::RejectReason::Empty, None);
        assert_eq!(strip_again(doc.clone(), &Rules::wechat()), doc);
    }
}
