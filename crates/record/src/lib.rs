//! The one contract between scour's stages: [`Doc`], and its JSONL wire format.
//!
//! Every stage of scour (normalize, strip, dedup) takes `Doc`s and gives `Doc`s.
//! On the wire a `Doc` is one JSON object on one line, UTF-8, with its known fields
//! in a fixed order (the order they are declared in [`Doc`]) followed by any fields
//! of the input that scour does not know, in the order they came. Absent optional
//! fields and empty lists are left out, so output is byte-stable and small.
//!
//! ```
//! use scour_record::{Doc, JsonlReader, write_jsonl};
//!
//! let line = r#"{"id":"a1","text":"正文","title":"标题","tag":"kept"}"#;
//! let doc = JsonlReader::new(line.as_bytes()).next().unwrap().unwrap();
//! assert_eq!(doc.title.as_deref(), Some("标题"));
//! let mut out = Vec::new();
//! write_jsonl(&mut out, &doc).unwrap();
//! assert_eq!(String::from_utf8(out).unwrap().trim_end(), line);
//! ```
//!
//! [`Doc::encode`] and [`Doc::decode`] give a compact binary form for a
//! stage's own temporary files (not for storage).
//!
//! [`WechatArticle`] is the one reading of which WeChat article a URL names,
//! shared by normalize's canonical URL and dedup's URL key.
//!
//! This crate knows nothing of the stages; it depends on serde (and `url`). Do not put
//! cleaning logic here: a stage's vocabulary lives in the stage.
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::print_stdout, clippy::print_stderr))]

mod binary;
mod doc;
mod error;
mod extra;
mod family;
mod jsonl;
mod reject;
mod text;
mod wechat;
mod write;

pub use doc::{Doc, DupKind, Origin, Removal};

/// The version of the record's schema (its fields and what they mean), on
/// the wire as a string. Written in the run report (`record_schema`) and in
/// Parquet files' metadata (`scour.record.version`). Bumped when a field is
/// removed or changes meaning; a new optional field does not bump it (readers
/// pass unknown fields through).
pub const SCHEMA_VERSION: &str = "1";
pub use error::{Error, Result};
pub use extra::Extra;
pub use family::{Family, UnknownFamily};
pub use jsonl::{parse_jsonl_line, to_jsonl_line, write_jsonl, JsonlReader};
pub use reject::{RejectReason, UnknownReason};
pub use text::{lines, split_blank_lines, split_lines};
pub use wechat::{parse_url, WechatArticle, WECHAT_HOST};
