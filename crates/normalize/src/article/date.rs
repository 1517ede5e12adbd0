//! Dates in the dump's many spellings to RFC 3339, each checked by jiff: a
//! day or time that does not exist (`2025-02-31`, `25:00`) is no date.
//!
//! **China time.** This is the one place that decides what a date without
//! an offset means: a WeChat page's times are China Standard Time (+08:00),
//! as are Unix times turned into dates here, and the zone name `CST` in a
//! feed's RFC 2822 date is China Standard Time too, not US Central
//! (−06:00, the RFC's reading): the feeds scour reads are WeChat accounts'
//! and Chinese sites', whose generators write China time as `CST`
//! (POLICY.md: "A date-time without a zone is China time").
//!
//! A date that cannot be read is not a date: the caller leaves the field out
//! and keeps the dump's text in `origin` (see [`super::finish`]).

use jiff::civil::{Date, Time};
use jiff::tz::Offset;
use jiff::Timestamp;

/// China Standard Time, +08:00 (see the module docs).
const CHINA: Offset = Offset::constant(8);

/// A date or date-time in one of the dump's spellings, as RFC 3339; `None`
/// when `raw` is empty or is not a date that exists.
///
/// - `2025-02-11`, `2025/2/11`, `2025年2月11日` → `2025-02-11`
/// - `2025-10-06 20:39:19`, `2025-10-06T20:39:19.705914` → date-time; with
///   `assume_cst` (a WeChat page, whose times are China Standard Time) it gets
///   `+08:00`, otherwise it stays without offset (the dump did not say)
/// - an offset or `Z` already present is kept
/// - a Unix timestamp (10 digits) → date-time in China Standard Time
pub(crate) fn normalize_date(raw: &str, assume_cst: bool) -> Option<String> {
    let s = trim_date(raw);
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
    if nums.len() < 3 || nums[0].len() != 4 {
        return None;
    }
    let date = civil_date(nums[0], nums[1], nums[2])?;
    if nums.len() < 5 {
        return Some(date);
    }
    let seconds = nums.get(5).copied().unwrap_or("0");
    let time = format!("{date}T{}", civil_time(nums[3], nums[4], seconds)?);
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
            let sign = &tail[pos..=pos];
            return Some(format!("{time}{}", offset(sign, &off[..2], &off[2..])?));
        }
    }
    Some(if assume_cst {
        format!("{time}+08:00")
    } else {
        time
    })
}

/// The text of a date field without the whitespace and quotes around it: what
/// `origin` keeps of a date that cannot be read.
pub(crate) fn trim_date(raw: &str) -> &str {
    raw.trim().trim_matches('"').trim_matches('\'').trim()
}

/// A Unix timestamp as an RFC 3339 date-time in China Standard Time (+08:00);
/// the number itself when it is past the years jiff holds (−9999 to 9999),
/// which [`normalize_date`] then declines.
pub(crate) fn unix_to_cst(secs: i64) -> String {
    match Timestamp::from_second(secs) {
        Ok(t) => {
            let dt = CHINA.to_datetime(t);
            let (d, t) = (dt.date(), dt.time());
            format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+08:00",
                d.year(),
                d.month(),
                d.day(),
                t.hour(),
                t.minute(),
                t.second()
            )
        }
        Err(_) => secs.to_string(),
    }
}

/// An RFC 2822 date (`Wed, 16 Jun 2021 09:20:19 +0800`) as RFC 3339
/// (`2021-06-16T09:20:19+08:00`); `None` when it is not one. `CST` is China
/// time (module docs). The day of the week is not checked: feeds get it
/// wrong, and the date says the day. Not jiff's RFC 2822 parser for that
/// reason, and because it reads `CST` as the RFC does.
pub(crate) fn rfc2822_to_rfc3339(s: &str) -> Option<String> {
    let s = s.trim();
    let s = s.split_once(',').map_or(s, |(_, rest)| rest).trim();
    let mut parts = s.split_whitespace();
    let day = parts.next()?;
    let month = parts.next()?.to_ascii_lowercase();
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let m = months.iter().position(|x| month.starts_with(x))? + 1;
    let year: u32 = parts.next()?.parse().ok()?;
    let year = match year {
        0..=49 => 2000 + year,
        50..=999 => 1900 + year,
        y => y,
    };
    let date = civil_date(&year.to_string(), &m.to_string(), day)?;
    let mut hms = parts.next()?.split(':');
    let (hh, mi) = (hms.next()?, hms.next()?);
    let time = civil_time(hh, mi, hms.next().unwrap_or("0"))?;
    let zone = parts.next().unwrap_or("GMT");
    let offset = match zone.to_ascii_uppercase().as_str() {
        "GMT" | "UT" | "UTC" | "Z" => "Z".to_owned(),
        "CST" => "+08:00".to_owned(),
        "EST" => "-05:00".to_owned(),
        "EDT" => "-04:00".to_owned(),
        "CDT" => "-05:00".to_owned(),
        "MST" => "-07:00".to_owned(),
        "MDT" => "-06:00".to_owned(),
        "PST" => "-08:00".to_owned(),
        "PDT" => "-07:00".to_owned(),
        z if z.len() == 5
            && (z.starts_with('+') || z.starts_with('-'))
            && z[1..].bytes().all(|b| b.is_ascii_digit()) =>
        {
            offset(&z[..1], &z[1..3], &z[3..])?
        }
        _ => return None,
    };
    Some(format!("{date}T{time}{offset}"))
}

/// `YYYY-MM-DD` of a day that exists (written with `format!`: jiff's
/// `strftime` cost more than the rest of reading a date).
fn civil_date(year: &str, month: &str, day: &str) -> Option<String> {
    let d = Date::new(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?).ok()?;
    Some(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
}

/// `hh:mm:ss` of a time that exists (no leap second).
fn civil_time(hour: &str, minute: &str, second: &str) -> Option<String> {
    let t = Time::new(
        hour.parse().ok()?,
        minute.parse().ok()?,
        second.parse().ok()?,
        0,
    )
    .ok()?;
    Some(format!(
        "{:02}:{:02}:{:02}",
        t.hour(),
        t.minute(),
        t.second()
    ))
}

/// `±hh:mm` of an offset jiff holds (up to 25:59).
fn offset(sign: &str, hours: &str, minutes: &str) -> Option<String> {
    let (h, m): (i32, i32) = (hours.parse().ok()?, minutes.parse().ok()?);
    if m > 59 {
        return None;
    }
    let secs = (h * 3600 + m * 60) * if sign == "-" { -1 } else { 1 };
    Offset::from_seconds(secs).ok()?;
    Some(format!("{sign}{hours}:{minutes}"))
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
        assert_eq!(
            normalize_date("2024-05-17 01:02:03 -05:30", true).unwrap(),
            "2024-05-17T01:02:03-05:30"
        );
    }

    /// Issue 16: a day or time that does not exist is no date, and neither
    /// is text that is not one (it used to come back as it was).
    #[test]
    fn what_does_not_exist_is_no_date() {
        assert_eq!(normalize_date("2025-02-31", false), None);
        assert_eq!(
            normalize_date("2024-02-29", false).as_deref(),
            Some("2024-02-29")
        );
        assert_eq!(normalize_date("2023-02-29", false), None);
        assert_eq!(normalize_date("2025-13-01", false), None);
        assert_eq!(normalize_date("2025-02-11 24:00:00", true), None);
        assert_eq!(normalize_date("2025-02-11 23:60", true), None);
        assert_eq!(normalize_date("2025-02-11T08:00:00+9900", false), None);
        assert_eq!(normalize_date("yesterday", false), None);
        assert_eq!(normalize_date("3天前", true), None);
        assert_eq!(normalize_date(" '' ", true), None);
    }

    #[test]
    fn unix_time_is_cst() {
        // 1522990580 = 2018-04-06T04:56:20Z
        assert_eq!(
            normalize_date("1522990580", false).unwrap(),
            "2018-04-06T12:56:20+08:00"
        );
        assert_eq!(unix_to_cst(0), "1970-01-01T08:00:00+08:00");
        assert_eq!(unix_to_cst(-1), "1970-01-01T07:59:59+08:00");
        assert_eq!(unix_to_cst(i64::MAX), i64::MAX.to_string());
    }

    #[test]
    fn rfc2822_dates() {
        assert_eq!(
            rfc2822_to_rfc3339("Wed, 16 Jun 2021 09:20:19 +0800").as_deref(),
            Some("2021-06-16T09:20:19+08:00")
        );
        assert_eq!(
            rfc2822_to_rfc3339("1 Jan 21 00:00 GMT").as_deref(),
            Some("2021-01-01T00:00:00Z")
        );
        assert_eq!(rfc2822_to_rfc3339("2021-06-16"), None);
        // The day of the week is not checked (16 June 2021 was a Wednesday).
        assert_eq!(
            rfc2822_to_rfc3339("Mon, 16 Jun 2021 09:20:19 GMT").as_deref(),
            Some("2021-06-16T09:20:19Z")
        );
        assert_eq!(rfc2822_to_rfc3339("Sat, 31 Feb 2021 09:20:19 GMT"), None);
        assert_eq!(rfc2822_to_rfc3339("Wed, 16 Jun 2021 24:20:19 GMT"), None);
    }

    /// Issue 16: `CST` is China time, in a feed as on a page.
    #[test]
    fn cst_is_china_time() {
        assert_eq!(
            rfc2822_to_rfc3339("Thu, 17 Jun 2021 07:49:38 CST").as_deref(),
            Some("2021-06-17T07:49:38+08:00")
        );
        assert_eq!(
            rfc2822_to_rfc3339("Thu, 17 Jun 2021 07:49:38 cst").as_deref(),
            Some("2021-06-17T07:49:38+08:00")
        );
        assert_eq!(
            normalize_date("2021-06-17 07:49:38", true).as_deref(),
            Some("2021-06-17T07:49:38+08:00")
        );
    }
}
