//! Counts for the run report.

use scour_record::{Doc, DupKind};

use crate::boilerplate::RULE;
use crate::{Finished, Outcome};

/// Counts of what dedup decided, for the run report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Records kept.
    pub kept: usize,
    /// Records set aside as duplicates (`url + exact + near`).
    pub duplicates: usize,
    /// Duplicates by canonical URL.
    pub url: usize,
    /// Duplicates by identical body.
    pub exact: usize,
    /// Near-duplicates.
    pub near: usize,
    /// Records rejected (passed through already rejected, or left empty).
    pub rejected: usize,
    /// Boilerplate blocks removed, over all records.
    pub boilerplate_blocks: usize,
    /// Records that lost at least one boilerplate block.
    pub boilerplate_docs: usize,
    /// Records in the new index.
    pub index_records: usize,
}

impl Stats {
    pub(crate) fn of(f: &Finished) -> Stats {
        let mut s = Stats::default();
        for (outcome, docs) in [
            (Outcome::Kept, &f.kept),
            (Outcome::Duplicate, &f.duplicates),
            (Outcome::Rejected, &f.rejected),
        ] {
            for d in docs {
                s.add(outcome, d);
            }
        }
        s.index_records = f.index.len();
        s
    }

    /// Counts one record handed out.
    pub(crate) fn add(&mut self, outcome: Outcome, d: &Doc) {
        match outcome {
            Outcome::Kept => self.kept += 1,
            Outcome::Rejected => self.rejected += 1,
            Outcome::Duplicate => {
                self.duplicates += 1;
                match d.dup_kind {
                    Some(DupKind::Url) => self.url += 1,
                    Some(DupKind::Exact) => self.exact += 1,
                    Some(DupKind::Near) => self.near += 1,
                    None => {}
                }
            }
        }
        let n = d.removed.iter().filter(|r| r.rule == RULE).count();
        self.boilerplate_blocks += n;
        self.boilerplate_docs += usize::from(n > 0);
    }

    /// Records accounted for: `kept + duplicates + rejected`, which equals the
    /// records pushed.
    #[must_use]
    pub fn total(&self) -> usize {
        self.kept + self.duplicates + self.rejected
    }
}
