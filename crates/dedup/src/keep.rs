//! The keep policy: which record of a duplicate group is kept.
//!
//! POLICY.md: the earliest `published`, then the longest body, then the first
//! seen. `published` is compared by its date part (before `T` or a space) as
//! a day number; for the RFC 3339 dates normalize writes this is the same
//! order as comparing the date strings. A missing or unreadable date counts as
//! the latest. Body length is in characters, after boilerplate removal.
//!
//! With an index, records an earlier run kept come first, whatever their date:
//! they were already emitted as clean records, and a new record matching one
//! becomes its duplicate even if it claims an earlier date. This keeps every
//! run's output final.

use std::cmp::Reverse;

/// A record's place in the keep order; the smallest is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Rank {
    /// 0 for records kept by an earlier run, 1 for this run's.
    pub(crate) tier: u8,
    /// Published day number; `u32::MAX` when unknown.
    pub(crate) day: u32,
    /// Body length in characters, longest first.
    pub(crate) len: Reverse<u32>,
    /// Position in the index or in this run's input.
    pub(crate) pos: u32,
}

/// Days of the date part of `published` as a proleptic Gregorian ordinal
/// (0001-01-01 is day 1, as Python's `date.toordinal`); 0 when absent or
/// unreadable.
pub(crate) fn ordinal_day(published: Option<&str>) -> u32 {
    let Some(p) = published else { return 0 };
    let date = p.trim().split(['T', 't', ' ']).next().unwrap_or("");
    let mut parts = date.split(['-', '/', '.']);
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return 0;
    };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i64>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return 0;
    };
    if !(1..=9999).contains(&y) || !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return 0;
    }
    // Howard Hinnant's days_from_civil, shifted so 0001-01-01 is 1.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let from_epoch = era * 146_097 + doe - 719_468;
    u32::try_from(from_epoch + 719_163).unwrap_or(0)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The rank's day field: unknown dates sort last.
pub(crate) fn day_key(ordinal: u32) -> u32 {
    if ordinal == 0 {
        u32::MAX
    } else {
        ordinal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_match_python() {
        assert_eq!(ordinal_day(Some("1970-01-01")), 719_163);
        assert_eq!(ordinal_day(Some("0001-01-01")), 1);
        assert_eq!(ordinal_day(Some("2024-02-29T08:00:00+08:00")), 738_945);
        assert_eq!(
            ordinal_day(Some("2018-4-6 06:56")),
            ordinal_day(Some("2018-04-06"))
        );
    }

    #[test]
    fn unreadable_dates_are_absent() {
        for bad in [
            "",
            "昨天",
            "2023-02-29",
            "2023-13-01",
            "2023-01",
            "2023-01-01-01",
        ] {
            assert_eq!(ordinal_day(Some(bad)), 0, "{bad}");
        }
        assert_eq!(ordinal_day(None), 0);
    }

    #[test]
    fn rank_order() {
        let r = |tier, day, len, pos| Rank {
            tier,
            day: day_key(day),
            len: Reverse(len),
            pos,
        };
        // Earlier date wins over length.
        assert!(r(1, 10, 5, 9) < r(1, 11, 500, 0));
        // Unknown date is latest.
        assert!(r(1, 11, 5, 9) < r(1, 0, 500, 0));
        // Same date: longer wins; then first seen.
        assert!(r(1, 10, 6, 9) < r(1, 10, 5, 0));
        assert!(r(1, 10, 5, 1) < r(1, 10, 5, 2));
        // An earlier run's record wins over everything.
        assert!(r(0, 0, 0, 9) < r(1, 1, 9, 0));
    }
}
