//! Dates in the dump's many spellings to RFC 3339.

/// Normalizes a date or date-time to RFC 3339.
///
/// - `2025-02-11`, `2025/2/11`, `2025年2月11日` → `2025-02-11`
/// - `2025-10-06 20:39:19`, `2025-10-06T20:39:19.705914` → date-time; with
///   `assume_cst` (a WeChat page, whose times are China Standard Time) it gets
///   `+08:00`, otherwise it stays without offset (the dump did not say)
/// - an offset or `Z` already present is kept
/// - a Unix timestamp (10 digits) → date-time in China Standard Time
///
/// Anything else is returned trimmed, unchanged: a date we cannot parse is
/// still the dump's word, better kept than lost.
pub(crate) fn normalize_date(raw: &str, assume_cst: bool) -> Option<String> {
    let s = raw.trim().trim_matches('"').trim_matches('\'').trim();
    if s.is_empty() {
        return None;
    }
    if s.len() == 10 && s.bytes().all(|b| b.is_ascii_digit()) {
        let secs: i64 = s.parse().ok()?;
        return Some(unix_to_cst(secs));
    }
    let nums: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    let looks_ymd = nums.len() >= 3 && nums[0].len() == 4;
    if !looks_ymd {
        return Some(s.to_owned());
    }
    let (y, m, d) = (nums[0], nums[1], nums[2]);
    let (Ok(mo), Ok(da)) = (m.parse::<u32>(), d.parse::<u32>()) else {
        return Some(s.to_owned());
    };
    if !(1..=12).contains(&mo) || !(1..=31).contains(&da) {
        return Some(s.to_owned());
    }
    let date = format!("{y}-{mo:02}-{da:02}");
    if nums.len() < 5 {
        return Some(date);
    }
    let hh: u32 = nums[3].parse().ok()?;
    let mi: u32 = nums[4].parse().ok()?;
    let ss: u32 = nums.get(5).and_then(|x| x.parse().ok()).unwrap_or(0);
    let time = format!("{date}T{hh:02}:{mi:02}:{ss:02}");
    // An explicit offset after the time: Z, +hh:mm, -hhmm.
    let tail = s.rsplit(['T', ' ']).next().unwrap_or("");
    if tail.ends_with('Z') {
        return Some(format!("{time}Z"));
    }
    if let Some(pos) = tail.rfind(['+', '-']) {
        let off: String = tail[pos + 1..]
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        if off.len() == 4 {
            return Some(format!(
                "{time}{}{}:{}",
                &tail[pos..=pos],
                &off[..2],
                &off[2..]
            ));
        }
    }
    Some(if assume_cst {
        format!("{time}+08:00")
    } else {
        time
    })
}

/// A Unix timestamp as an RFC 3339 date-time in China Standard Time (+08:00).
pub(crate) fn unix_to_cst(secs: i64) -> String {
    let t = secs + 8 * 3600;
    let days = t.div_euclid(86_400);
    let rem = t.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+08:00",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm; a date
/// library would be a heavy dependency for this one conversion).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings() {
        assert_eq!(normalize_date("2025-02-11", true).unwrap(), "2025-02-11");
        assert_eq!(normalize_date("2025年2月1日", false).unwrap(), "2025-02-01");
        assert_eq!(
            normalize_date("2025/2/1 8:05", true).unwrap(),
            "2025-02-01T08:05:00+08:00"
        );
        assert_eq!(
            normalize_date("2025-10-06T20:39:19.705914", false).unwrap(),
            "2025-10-06T20:39:19"
        );
        assert_eq!(
            normalize_date("2024-05-17T01:02:03Z", false).unwrap(),
            "2024-05-17T01:02:03Z"
        );
        assert_eq!(
            normalize_date("2024-05-17T01:02:03+0800", false).unwrap(),
            "2024-05-17T01:02:03+08:00"
        );
        assert_eq!(normalize_date("yesterday", false).unwrap(), "yesterday");
    }

    #[test]
    fn unix_time_is_cst() {
        // 1522990580 = 2018-04-06T04:56:20Z
        assert_eq!(
            normalize_date("1522990580", false).unwrap(),
            "2018-04-06T12:56:20+08:00"
        );
        assert_eq!(unix_to_cst(0), "1970-01-01T08:00:00+08:00");
    }
}
