//! The byline of a WeChat article, read by the shape of its tokens wherever
//! and however a converter put it.
//!
//! The page shows, under the title: an `原创` / `Original` badge, the author,
//! the account, the publish time and the reader's IP location (a province).
//! Archivers and exporters flatten that in many ways: all on one line
//! (`原创 作者 公众号 2025-04-18 08:30 北京`, `Original 六一 [智猩猩AI](…)
//! *2025年11月28日 10:39*`), the account alone with the time (`公众号
//! 2025-04-18 08:30`), or as labelled lines (`> **公众号**: 阿里云开发者`,
//! `> **发布时间**: 2025-04-18 08:30`). What they share is the shape: a
//! date-time token, a few short name tokens before it, at most a location
//! after it, and nothing else. That shape, not any one tool's layout, is what
//! [`read_line`] and [`read_labelled`] look for.

use std::sync::LazyLock;

use regex::Regex;

/// What a byline says.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Byline {
    pub(crate) author: Option<String>,
    pub(crate) account: Option<String>,
    /// RFC 3339; a time without a zone is China time (+08:00).
    pub(crate) published: Option<String>,
    pub(crate) url: Option<String>,
}

/// The badge WeChat shows before an original article's author, in its UI
/// languages.
const BADGES: &[&str] = &["原创", "Original"];

/// WeChat's page tail names the account between these two labels.
pub(crate) const TAIL_BEFORE: &str = "继续滑动看下一个";
/// See [`TAIL_BEFORE`].
pub(crate) const TAIL_AFTER: &str = "向上滑动看下一个";

/// Whether `t` can be an account name standing alone on a line.
pub(crate) fn is_account_name(t: &str) -> bool {
    is_name(t) && !t.contains(char::is_whitespace)
}

/// Labels of a labelled header line, WeChat's words and their English names,
/// with the field each fills.
const LABELS: &[(&str, Slot)] = &[
    ("公众号", Slot::Account),
    ("公众号名称", Slot::Account),
    ("账号", Slot::Account),
    ("account", Slot::Account),
    ("作者", Slot::Author),
    ("author", Slot::Author),
    ("发布时间", Slot::Date),
    ("发布日期", Slot::Date),
    ("发表时间", Slot::Date),
    ("时间", Slot::Date),
    ("日期", Slot::Date),
    ("published", Slot::Date),
    ("date", Slot::Date),
    ("原文链接", Slot::Url),
    ("原文地址", Slot::Url),
    ("文章链接", Slot::Url),
    ("链接", Slot::Url),
    ("url", Slot::Url),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    Account,
    Author,
    Date,
    Url,
}

/// A date, optionally with a time: `2025-04-18 08:30`, `2026年5月20日 13:37`,
/// `2025/4/18`, `2025.04.18 08:30:05`.
static DATE_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?",
    )
    .expect("static regex")
});

/// A markdown link (the account is often one, to its profile).
static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\[([^\[\]]{1,60})\]\([^()\s]*(?:\([^()]*\))?[^()\s]*\)").expect("static regex")
});

/// The first date-time in `text` as RFC 3339, with its byte span.
pub(crate) fn date_time(text: &str) -> Option<(String, usize, usize)> {
    let c = DATE_TIME.captures(text)?;
    let whole = c.get(0)?;
    let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let (y, mo, d) = (num(1)?, num(2)?, num(3)?);
    if !(1..=12).contains(&mo) || !(1..=days_in(y, mo)).contains(&d) {
        return None;
    }
    let value = match (num(4), num(5)) {
        (Some(h), Some(mi)) if h < 24 && mi < 60 => {
            let s = num(6).unwrap_or(0);
            if s >= 60 {
                return None;
            }
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}+08:00")
        }
        (Some(_), _) => return None,
        _ => format!("{y:04}-{mo:02}-{d:02}"),
    };
    Some((value, whole.start(), whole.end()))
}

fn days_in(y: u32, m: u32) -> u32 {
    match m {
        2 if y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Whether a token can be a name (an author or an account): short, no
/// sentence punctuation, not a number or a date.
fn is_name(t: &str) -> bool {
    let n = t.chars().count();
    (1..=24).contains(&n)
        && !t.contains([
            '，', '。', '；', '！', '？', ',', ';', '!', '?', '：', ':', '“', '”', '"', '《', '》',
            '(', ')', '（', '）', '|', '｜', '/', '\\', '#', '<', '>', '=', '+', '@',
        ])
        && !t
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        && !DATE_TIME.is_match(t)
        && !t.contains("更新")
}

/// Reads one line as a byline: `[badge] [author] [account] date-time
/// [location]`, where the account may be a markdown link. `None` when the
/// line has any other shape. `raw` is the line as it stands (markdown);
/// `source` the account the record already names, if any.
pub(crate) fn read_line(raw: &str, source: Option<&str>) -> Option<Byline> {
    let line = raw.trim();
    if line.contains('\n') || line.chars().count() > 120 {
        return None;
    }
    // Without a date-time, only a badge-led line: `Original 作者 公众号`.
    let (published, start, end) = match date_time(line) {
        Some((p, s, e)) => (Some(p), s, e),
        None if BADGES
            .iter()
            .any(|b| clean(line).split_whitespace().next() == Some(*b)) =>
        {
            (None, line.len(), line.len())
        }
        None => return None,
    };
    // After the date-time: at most a location (one short token).
    let after = clean(&line[end..]);
    let after: Vec<&str> = after.split_whitespace().collect();
    if after.len() > 1
        || after
            .first()
            .is_some_and(|t| t.chars().count() > 8 || !is_name(t))
    {
        return None;
    }
    let before = &line[..start];
    // A linked token is the account.
    let mut linked = None;
    let before = LINK.replace_all(before, |c: &regex::Captures<'_>| {
        if linked.is_none() {
            linked = Some(c[1].trim().to_owned());
        }
        " "
    });
    let mut tokens: Vec<String> = clean(&before)
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let badge = tokens.first().is_some_and(|t| BADGES.contains(&t.as_str()));
    if badge {
        tokens.remove(0);
    }
    if !tokens.iter().all(|t| is_name(t)) || tokens.len() > 2 {
        return None;
    }
    if published.is_none() && tokens.is_empty() && linked.is_none() {
        // The badge alone is the page header's, read elsewhere.
        return None;
    }
    let mut b = Byline {
        published,
        ..Byline::default()
    };
    let same = |a: &str, s: &str| squash(a) == squash(s);
    match (tokens.as_slice(), linked) {
        ([], Some(acct)) => b.account = Some(acct),
        ([author], Some(acct)) => {
            b.author = Some(author.clone());
            b.account = Some(acct);
        }
        ([a, acct], None) if same(a, acct) => b.account = Some(acct.clone()),
        ([author, acct], None) => {
            b.author = Some(author.clone());
            b.account = Some(acct.clone());
        }
        ([one], None) if source.is_some_and(|s| same(one, s)) => b.account = Some(one.clone()),
        ([one], None) => b.author = Some(one.clone()),
        ([], None) => {}
        _ => return None,
    }
    Some(b)
}

/// Reads a block of labelled lines (`公众号：X`, `> **发布时间**: …`) as a
/// byline; every line must be one, else `None`. `plain` is the block's plain
/// text (markdown syntax out).
pub(crate) fn read_labelled(plain: &str) -> Option<Byline> {
    let mut b = Byline::default();
    let mut any = false;
    for line in scour_record::lines(plain)
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        let line = line.trim_start_matches(['>', ' ']).trim();
        let (label, value) = line.split_once(['：', ':'])?;
        let label = label.trim().trim_matches(['*', '_']).trim().to_lowercase();
        let value = value.trim().trim_matches(['*', '_']).trim();
        let slot = LABELS.iter().find(|(l, _)| *l == label)?.1;
        if value.is_empty() {
            return None;
        }
        match slot {
            Slot::Account if is_name(value) => b.account = Some(value.to_owned()),
            Slot::Author if is_name(value) => b.author = Some(value.to_owned()),
            Slot::Date => b.published = Some(date_time(value)?.0),
            Slot::Url if value.starts_with("http") && !value.contains(char::is_whitespace) => {
                b.url = Some(value.to_owned());
            }
            _ => return None,
        }
        any = true;
    }
    any.then_some(b)
}

/// Emphasis markers and separators out of a stretch of a byline.
fn clean(s: &str) -> String {
    s.replace(['*', '_', '·', '|', '｜'], " ")
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(s: &str) -> Option<Byline> {
        read_line(s, None)
    }

    #[test]
    fn bylines_in_many_layouts() {
        let b =
            line("Original 六一 [智猩猩AI](https://mp.weixin.qq.com/s/) *2025年11月28日 10:39*")
                .unwrap();
        assert_eq!(b.author.as_deref(), Some("六一"));
        assert_eq!(b.account.as_deref(), Some("智猩猩AI"));
        assert_eq!(b.published.as_deref(), Some("2025-11-28T10:39:00+08:00"));
        let b = line("kunbo 观澜逸趣 *2026年6月22日 08:11*").unwrap();
        assert_eq!(
            (b.author.as_deref(), b.account.as_deref()),
            (Some("kunbo"), Some("观澜逸趣"))
        );
        let b = line("原创 何哲 中国信息安全 2025-04-18 08:30 北京").unwrap();
        assert_eq!(
            (b.author.as_deref(), b.account.as_deref()),
            (Some("何哲"), Some("中国信息安全"))
        );
        assert_eq!(b.published.as_deref(), Some("2025-04-18T08:30:00+08:00"));
        let b = line("数字生命卡兹克 数字生命卡兹克 *2026年6月22日 10:08*").unwrap();
        assert_eq!(
            (b.author, b.account.as_deref()),
            (None, Some("数字生命卡兹克"))
        );
        let b = line("施思羽 *2026年5月20日 13:37*").unwrap();
        assert_eq!((b.author.as_deref(), b.account), (Some("施思羽"), None));
        // The one name is the account when the record names it so.
        let b = read_line("阿里云开发者   2025-04-18 08:30", Some("阿里云开发者")).unwrap();
        assert_eq!(
            (b.author, b.account.as_deref()),
            (None, Some("阿里云开发者"))
        );
        // Led by the badge, a byline needs no date-time.
        let b = line("Original 北溟大橘 北溟大橘").unwrap();
        assert_eq!(
            (b.account.as_deref(), b.published),
            (Some("北溟大橘"), None)
        );
        assert_eq!(
            line("沐风 新质动能"),
            None,
            "no badge, no date-time: not a byline"
        );
        // A date-time alone (with the location) on a line of the head.
        let b = line("2025年07月29日 15:07 北京").unwrap();
        assert_eq!((b.author, b.account), (None, None));
        assert_eq!(b.published.as_deref(), Some("2025-07-29T15:07:00+08:00"));
    }

    #[test]
    fn prose_and_other_lines_are_not_bylines() {
        for s in [
            "2025年4月9日，Google 正式发布了 Agent2Agent Protocol。",
            "截至2024年12月31日，公司共有员工 300 人",
            "会议于 2025-04-18 08:30 在北京召开，持续两天",
            "第一 第二 第三 2025-04-18",
            "2025-2-31 10:00 某某",
            "2024-5-3更新 2024-05-03 10:00",
        ] {
            assert_eq!(line(s), None, "{s}");
        }
    }

    #[test]
    fn labelled_header_lines() {
        let b = read_labelled("公众号: 阿里云开发者\n发布时间: 2025-04-18 08:30").unwrap();
        assert_eq!(b.account.as_deref(), Some("阿里云开发者"));
        assert_eq!(b.published.as_deref(), Some("2025-04-18T08:30:00+08:00"));
        let b = read_labelled("> **作者**：何哲\n> **原文链接**：https://mp.weixin.qq.com/s/abc")
            .unwrap();
        assert_eq!(b.author.as_deref(), Some("何哲"));
        assert_eq!(b.url.as_deref(), Some("https://mp.weixin.qq.com/s/abc"));
        // One line that is not a labelled field: body text.
        assert_eq!(
            read_labelled("公众号: 阿里云开发者\n这是正文的第一句话。"),
            None
        );
        assert_eq!(read_labelled("时间：就是金钱，朋友们。"), None);
    }

    #[test]
    fn dates() {
        assert_eq!(date_time("2025/4/9").unwrap().0, "2025-04-09");
        assert_eq!(date_time("2024年2月29日").unwrap().0, "2024-02-29");
        assert!(date_time("2025年2月29日").is_none());
        assert!(date_time("2025-04-18 25:00").is_none());
    }
}
