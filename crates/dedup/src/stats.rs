//! Counts for the run report.

use scour_record::DupKind;

use crate::boilerplate::RULE;
use crate::Finished;

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
        let mut s = Stats {
            kept: f.kept.len(),
            duplicates: f.duplicates.len(),
            rejected: f.rejected.len(),
            index_records: f.index.len(),
            ..Stats::default()
        };
        for d in &f.duplicates {
            match d.dup_kind {
                Some(DupKind::Url) => s.url += 1,
                Some(DupKind::Exact) => s.exact += 1,
                Some(DupKind::Near) => s.near += 1,
                None => {}
            }
        }
        for d in f.kept.iter().chain(&f.duplicates).chain(&f.rejected) {
            let n = d.removed.iter().filter(|r| r.rule == RULE).count();
            s.boilerplate_blocks += n;
            s.boilerplate_docs += usize::from(n > 0);
        }
        s
    }

    /// Records accounted for: `kept + duplicates + rejected`, which equals the
    /// records pushed.
    #[must_use]
    pub fn total(&self) -> usize {
        self.kept + self.duplicates + self.rejected
    }
}
