//! Counting every document, so that read = kept + duplicates + rejected.

use std::collections::BTreeMap;
use std::time::Instant;

use scour_record::{Doc, RejectReason};
use serde_json::{json, Value};

/// The run's accounting.
#[derive(Debug)]
pub(crate) struct Report {
    pub(crate) command: &'static str,
    pub(crate) files: u64,
    pub(crate) input_bytes: u64,
    pub(crate) read: u64,
    pub(crate) kept: u64,
    pub(crate) duplicates: u64,
    pub(crate) rejected: u64,
    pub(crate) rejects_by_reason: BTreeMap<String, u64>,
    pub(crate) duplicates_by_kind: BTreeMap<String, u64>,
    pub(crate) removed_by_family: BTreeMap<String, u64>,
    started: Instant,
}

impl Report {
    pub(crate) fn new(command: &'static str) -> Report {
        Report {
            command,
            files: 0,
            input_bytes: 0,
            read: 0,
            kept: 0,
            duplicates: 0,
            rejected: 0,
            rejects_by_reason: BTreeMap::new(),
            duplicates_by_kind: BTreeMap::new(),
            removed_by_family: BTreeMap::new(),
            started: Instant::now(),
        }
    }

    pub(crate) fn reject(&mut self, doc: &Doc) {
        self.rejected += 1;
        let reason = doc.reject_reason.map_or("unknown", RejectReason::as_str);
        *self.rejects_by_reason.entry(reason.to_owned()).or_default() += 1;
    }

    pub(crate) fn keep(&mut self, doc: &Doc) {
        self.kept += 1;
        self.count_removals(doc);
    }

    pub(crate) fn duplicate(&mut self, doc: &Doc) {
        self.duplicates += 1;
        let kind = doc.dup_kind.map_or("unknown", |k| k.as_str());
        *self.duplicates_by_kind.entry(kind.to_owned()).or_default() += 1;
    }

    fn count_removals(&mut self, doc: &Doc) {
        for r in &doc.removed {
            *self
                .removed_by_family
                .entry(r.family.to_string())
                .or_default() += 1;
        }
    }

    pub(crate) fn balanced(&self) -> bool {
        self.read == self.kept + self.duplicates + self.rejected
    }

    /// The report as JSON. `elapsed_seconds` is the only value that changes
    /// between identical runs; records never carry it.
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "command": self.command,
            "version": env!("CARGO_PKG_VERSION"),
            "record_schema": scour_record::SCHEMA_VERSION,
            "files": self.files,
            "input_bytes": self.input_bytes,
            "read": self.read,
            "kept": self.kept,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "balanced": self.balanced(),
            "rejects_by_reason": self.rejects_by_reason,
            "duplicates_by_kind": self.duplicates_by_kind,
            "removed_by_family": self.removed_by_family,
            "elapsed_seconds": (self.started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0,
        })
    }

    /// The one summary line that ends every run on stderr.
    pub(crate) fn summary(&self) -> String {
        let reasons: Vec<String> = self
            .rejects_by_reason
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        let reasons = if reasons.is_empty() {
            String::new()
        } else {
            format!(" ({})", reasons.join(", "))
        };
        format!(
            "scour {}: read {} from {} files ({}), kept {}, duplicates {}, rejected {}{} in {:.2}s",
            self.command,
            self.read,
            self.files,
            human_bytes(self.input_bytes),
            self.kept,
            self.duplicates,
            self.rejected,
            reasons,
            self.started.elapsed().as_secs_f64()
        )
    }
}

fn human_bytes(n: u64) -> String {
    #[expect(clippy::cast_precision_loss, reason = "display only")]
    let f = n as f64;
    if f >= 1e9 {
        format!("{:.1} GB", f / 1e9)
    } else if f >= 1e6 {
        format!("{:.1} MB", f / 1e6)
    } else if f >= 1e3 {
        format!("{:.1} kB", f / 1e3)
    } else {
        format!("{n} B")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balance() {
        let mut r = Report::new("run");
        r.read = 3;
        r.keep(&Doc::default());
        r.reject(&Doc {
            reject_reason: Some(RejectReason::Empty),
            reject_detail: Some("x".into()),
            ..Doc::default()
        });
        assert!(!r.balanced());
        r.duplicate(&Doc::default());
        assert!(r.balanced());
        assert_eq!(r.to_json()["rejects_by_reason"]["empty"], 1);
    }
}
