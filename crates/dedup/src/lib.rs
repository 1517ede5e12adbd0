//! scour's deduplicator: the third stage, after normalize and strip.
//!
//! A [`Deduper`] takes stripped [`Doc`](scour_record::Doc)s in input order and
//! [`finish`](Deduper::finish)es into a [`Finished`]: the records kept, the
//! duplicates set aside (never lost: each names the record it duplicates), and
//! the rejected. It finds, in this order of evidence:
//!
//! - **the same URL**: WeChat article URLs compare by `__biz`, `mid`, `idx`
//!   whatever their tracking parameters; a body-less stub joins the full
//!   capture of its URL;
//! - **the same body**: xxh3-128 of the body without whitespace;
//! - **near-duplicates**: MinHash over character 5-grams (no word
//!   segmentation needed for Chinese), LSH banding tuned to
//!   [`Options::threshold`], each candidate confirmed by its estimated Jaccard
//!   similarity.
//!
//! Records are decided in keep order: the earliest `published`, then the
//! longest body, then the first seen (POLICY.md). Each joins the best kept
//! record it is itself verified against by one of these, or is kept: a
//! duplicate always names a kept record it resembles, never one it is only
//! chained to through others (ARCHITECTURE.md, "Deduplication: the grouping
//! rule"; issue 17).
//!
//! Before matching it learns each source's **repeated blocks** (a footer in
//! five of an account's articles, counted once per article however often it
//! was fetched) and removes them, recording each removal, unless that would
//! leave a record nearly empty. An [`Index`] carries what a run saw to the
//! next, so tomorrow's dump is deduplicated against today's.
//!
//! ```
//! use scour_dedup::{Deduper, Options};
//! use scour_record::{Doc, DupKind};
//!
//! let body = "国家互联网应急中心今日发布通报，提醒用户及时更新系统补丁，防范勒索软件攻击。";
//! let doc = |id: &str, url: &str, text: &str| Doc {
//!     id: id.into(),
//!     url: Some(url.into()),
//!     text: text.into(),
//!     published: Some("2024-09-04".into()),
//!     ..Doc::default()
//! };
//! let mut dedup = Deduper::new(Options::default());
//! dedup.push(doc("a", "https://mp.weixin.qq.com/s?__biz=MzA=&mid=1&idx=1&sn=x", body));
//! dedup.push(doc("b", "https://mp.weixin.qq.com/s?__biz=MzA=&mid=1&idx=1&sn=x&scene=21", ""));
//! dedup.push(doc("c", "https://example.com/repost", body));
//! let done = dedup.finish();
//! assert_eq!(done.kept.len(), 1);
//! assert_eq!(done.duplicates[0].dup_kind, Some(DupKind::Url));
//! assert_eq!(done.duplicates[1].dup_kind, Some(DupKind::Exact));
//! assert_eq!(done.duplicates[1].duplicate_of.as_deref(), Some("a"));
//! assert_eq!(done.stats().total(), 3);
//! ```
//!
//! Memory: pushed documents wait in an anonymous temporary file, so what
//! grows with the corpus is the per-document fingerprints (a MinHash signature
//! is 256 bytes) and one counter per distinct (source, block) pair;
//! [`Deduper::finish_with`] hands the records out one at a time (and
//! [`Deduper::finish_batched`] a batch at a time), while
//! [`Deduper::finish`] collects them all into a [`Finished`].
//!
//! Threads are the caller's: [`Deduper::finish_batched`] hands the finish's
//! per-record work (reading spilled records back, removing boilerplate,
//! signing bodies) to the caller's [`Workers`], and [`Counter`] lets it hash,
//! sign and encode each document on its threads before
//! [`Deduper::push_counted`].
//! Output does not depend on the number of threads.
//!
//! When not to use it: it compares bodies, not meaning: a translation
//! or a rewrite of the same news is not a duplicate.
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::print_stdout, clippy::print_stderr))]

mod boilerplate;
mod deduper;
mod error;
mod index;
mod keep;
mod lsh;
mod minhash;
mod options;
pub mod sharded;
mod spill;
mod stats;
#[cfg(test)]
mod testutil;
mod urlkey;

pub use deduper::{Counted, Counter, Deduper, Finished, InOrder, Outcome, Summary, Workers};
pub use error::{Error, Result};
pub use index::Index;
pub use lsh::LshParams;
pub use minhash::{estimated_jaccard, MinHasher, Signature};
pub use options::Options;
pub use stats::Stats;
