//! Bylines, credits and attributions moved out of the body into fields.

use scour_record::Doc;

use crate::rules::{FieldName, Rules};

/// What the strip found that belongs in fields.
#[derive(Debug, Default)]
pub(crate) struct Found {
    /// From an in-body byline (`文 | 何哲`): wins over everything else.
    pub(crate) byline_author: Option<String>,
    /// From the page header under the title.
    pub(crate) header_author: Option<String>,
    /// The account name the page header shows.
    pub(crate) header_account: Option<String>,
    /// From a repost card (以下文章来源于X，作者Y).
    pub(crate) card_author: Option<String>,
    pub(crate) card_account: Option<String>,
    /// The account a byline line names (`原创 作者 公众号 日期`).
    pub(crate) byline_account: Option<String>,
    /// The account named between the page tail's 继续滑动看下一个 and
    /// 向上滑动看下一个.
    pub(crate) tail_account: Option<String>,
    /// The account whose article list a backup tool's back link opens
    /// (`[返回列表页](/gzh/槽边往事)`): the weakest hint, used last.
    pub(crate) list_account: Option<String>,
    /// The name in the account's colophon (`槽边往事 和菜头 出品`): the
    /// weakest hint of the author, used when nothing else names one.
    pub(crate) colophon_author: Option<String>,
    /// The publish time a byline shows (RFC 3339).
    pub(crate) published: Option<String>,
    pub(crate) credits: Vec<String>,
    pub(crate) reprinted_from: Option<String>,
    pub(crate) truncations: Vec<String>,
}

impl Found {
    pub(crate) fn push(&mut self, field: FieldName, value: String) {
        let value = value.trim().trim_matches(['*', '_']).trim().to_owned();
        if value.is_empty() {
            return;
        }
        match field {
            // Each credit line names its people (`文｜A` at the head,
            // `记者 B` under it): all of them are the authors, once each.
            FieldName::Author => {
                let names = person_names(&value);
                match &mut self.byline_author {
                    None => self.byline_author = Some(names),
                    Some(a) if !a.split('、').any(|x| x == names) => {
                        a.push('、');
                        a.push_str(&names);
                    }
                    Some(_) => {}
                }
            }
            FieldName::Credits => {
                if !self.credits.contains(&value) {
                    self.credits.push(value);
                }
            }
            FieldName::ReprintedFrom => {
                if self.reprinted_from.is_none() {
                    self.reprinted_from = Some(value);
                }
            }
        }
    }

    /// The account the page names: its header, a byline, the page tail, then
    /// a repost card.
    pub(crate) fn account(&self) -> Option<String> {
        self.header_account
            .clone()
            .or_else(|| self.byline_account.clone())
            .or_else(|| self.tail_account.clone())
            .or_else(|| self.card_account.clone())
            .or_else(|| self.list_account.clone())
    }

    /// Writes what was found into the record. The dump's own fields win for
    /// `source`; an in-body byline wins for `author` (POLICY.md).
    pub(crate) fn apply(self, doc: &mut Doc) {
        let account = self.account();
        let author = self
            .byline_author
            .filter(|a| !a.is_empty())
            .or(self.header_author)
            .or(self.card_author)
            .or(self.colophon_author);
        if let Some(a) = author {
            doc.author = Some(a);
        }
        if doc.source.is_none() {
            doc.source = account;
        }
        if doc.published.is_none() {
            doc.published = self.published;
        }
        if doc.reprinted_from.is_none() {
            doc.reprinted_from = self.reprinted_from.or(self.card_account);
        }
        for c in self.credits {
            if !doc.credits.contains(&c) {
                doc.credits.push(c);
            }
        }
    }
}

/// The account a back link names: a tool's link to its list of the
/// account's articles (`[**返回列表页**](/gzh/槽边往事)`) ends its path with
/// the account's name. Only a link within the backup itself (a path from
/// its root) is read, and only a last segment that looks like a name: no
/// file extension, not a number, 2 to 30 characters.
pub(crate) fn back_link_account(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let (_, target) = raw.strip_prefix('[')?.rsplit_once("](")?;
    let target = target.strip_suffix(')')?.trim();
    if !target.starts_with('/') || target.starts_with("//") {
        return None;
    }
    let path = target.split(['?', '#']).next()?;
    let last = path.trim_end_matches('/').rsplit('/').next()?;
    let name = percent_encoding::percent_decode_str(last)
        .decode_utf8()
        .ok()?;
    let name = name.trim();
    let n = name.chars().count();
    let looks_like_name = (2..=30).contains(&n)
        && !name.contains('.')
        && !name.chars().all(|c| c.is_ascii_digit())
        && !name.chars().any(char::is_control);
    looks_like_name.then(|| name.to_owned())
}

/// Splits a credit line into `(key, value)` pairs: `作者 | Alan 编辑 | 靖宇`
/// → `[("作者","Alan"), ("编辑","靖宇")]`. `None` unless the line starts with a
/// key.
pub(crate) fn credit_pairs(rules: &Rules, text: &str) -> Option<Vec<(String, String)>> {
    // A sign-off's decoration (`>/ 作者：卡兹克`) is not part of the key.
    let text = text
        .trim()
        .trim_start_matches(['*', '_', ' ', '>', '/', '\\']);
    if !rules.credit_start.is_match(text) {
        return spaced_credit(rules, text).map(|p| vec![p]);
    }
    let key = &rules.credit_key;
    let mut matches = key.captures_iter(text).peekable();
    let first = matches.peek()?;
    if first.get(0)?.start() != 0 {
        return None;
    }
    let spans: Vec<(String, usize, usize)> = key
        .captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let k = c.get(1)?;
            // A key glued to the end of the previous value's word is not a
            // key: `作者` in `插画作者 Jose` belongs to the photo credit's
            // value (`来源` inside `图片来源` is handled by longest-first
            // alternation).
            let glued = text[..whole.start()]
                .chars()
                .next_back()
                .is_some_and(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c));
            (whole.start() == 0 || !glued)
                .then(|| (k.as_str().to_owned(), whole.start(), whole.end()))
        })
        .collect();
    let mut pairs = Vec::new();
    for (n, (k, _, end)) in spans.iter().enumerate() {
        let stop = spans.get(n + 1).map_or(text.len(), |s| s.1);
        let v = text[*end..stop]
            .trim()
            .trim_matches(['*', '_', '|', '｜'])
            .trim();
        pairs.push((k.clone(), v.to_owned()));
    }
    Some(pairs)
}

/// A credit whose key and names have only a space between them, or
/// nothing (`记者 王怡洁`, `作者陶辉东—王庆武`): a key of two or more
/// characters, then Chinese names of two to four characters (three or four
/// when glued to the key: `作者简介` is a heading), several joined by `—`,
/// `、`, `/` or spaces, and nothing else on the line. The first
/// name is the credit's. A line of prose that starts with the key
/// (`作者认为，…`) has more than names after it.
fn spaced_credit(rules: &Rules, text: &str) -> Option<(String, String)> {
    let c = rules.spaced_credit.captures(text)?;
    let name = c.get(2).or_else(|| c.get(3))?;
    Some((c[1].to_owned(), name.as_str().to_owned()))
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
}

/// Keeps the people of a byline, dropping affiliations:
/// `中共中央党校（国家行政学院）国家治理教研部教授、博导 何哲` → `何哲`.
pub(crate) fn person_names(value: &str) -> String {
    let v = without_original_mark(value.trim());
    if !has_cjk(v) {
        return v.to_owned();
    }
    // A name glued to its affiliation: `丁亚荣《客户观察》编委`.
    if let Some((name, _)) = v.split_once(['《', '（', '(']) {
        let name = name.trim();
        let n = name.chars().count();
        if (2..=4).contains(&n) && name.chars().all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)) {
            return name.to_owned();
        }
    }
    let tokens: Vec<&str> = v.split_whitespace().collect();
    if tokens.len() <= 1 {
        return v.to_owned();
    }
    let names: Vec<&str> = tokens
        .iter()
        .copied()
        .filter(|t| {
            let n = t.chars().count();
            let cjk = has_cjk(t);
            (cjk && n <= 4 && !t.contains(['（', '(', '、', '，'])) || (!cjk && n <= 20)
        })
        .collect();
    if names.is_empty() {
        v.to_owned()
    } else {
        names.join(" ")
    }
}

/// A byline's trailing `· 原创` (the page's original mark, spaced out or
/// not) is not part of the name: `Mr.liu ·原 创` → `Mr.liu`.
fn without_original_mark(v: &str) -> &str {
    let squashed: String = v
        .chars()
        .rev()
        .filter(|c| !c.is_whitespace())
        .take(2)
        .collect();
    if squashed != "创原" {
        return v;
    }
    // Cut at the `原` that starts the mark, then the separator before it.
    let Some(at) = v.rfind('原') else {
        return v;
    };
    let rest = v[..at]
        .trim_end()
        .trim_end_matches(['·', '•', '|', '｜', '/'])
        .trim_end();
    if rest.is_empty() {
        v
    } else {
        rest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_drop_affiliations() {
        assert_eq!(
            person_names("中共中央党校（国家行政学院）国家治理教研部教授、博导 何哲"),
            "何哲"
        );
        assert_eq!(
            person_names("上海航天信息科技研究院 伍爱群 韩佳 上海航天信息科技有限公司 周顺忠"),
            "伍爱群 韩佳 周顺忠"
        );
        assert_eq!(person_names("John Smith"), "John Smith");
        assert_eq!(person_names("丁亚荣《客户观察》编委、飞书"), "丁亚荣");
        assert_eq!(person_names("Mr.liu ·原 创"), "Mr.liu");
        assert_eq!(person_names("十八线PM · 原创"), "十八线PM");
        assert_eq!(person_names("原创"), "原创");
    }

    #[test]
    fn back_links_name_the_account() {
        assert_eq!(
            back_link_account("[**返回列表页**](/gzh/槽边往事)").as_deref(),
            Some("槽边往事")
        );
        assert_eq!(
            back_link_account("[返回](/gzh/%E5%88%98%E6%B6%A6/)").as_deref(),
            Some("刘润")
        );
        for raw in [
            "[返回列表页](https://example.com/gzh/槽边往事)",
            "[返回](/list/index.html)",
            "[返回](/page/12)",
            "[返回](//cdn.example.com/a)",
            "返回列表页",
            "[返回](/)",
        ] {
            assert_eq!(back_link_account(raw), None, "{raw}");
        }
    }

    #[test]
    fn credits_without_a_separator() {
        let rules = Rules::wechat();
        let one = |t: &str| credit_pairs(&rules, t);
        assert_eq!(
            one("记者 王怡洁"),
            Some(vec![("记者".to_owned(), "王怡洁".to_owned())])
        );
        assert_eq!(
            one("作者陶辉东—王庆武"),
            Some(vec![("作者".to_owned(), "陶辉东".to_owned())])
        );
        // Headings and prose that start with the key are not credits.
        for t in [
            "作者简介",
            "作者名片",
            "作者前言",
            "作者认为这个问题很复杂",
            "文化",
        ] {
            assert_eq!(one(t), None, "{t}");
        }
        assert_eq!(person_names("红雨滴团队"), "红雨滴团队");
    }

    #[test]
    fn credit_lines_split() {
        let key = Rules::wechat();
        assert_eq!(
            credit_pairs(&key, "作者 | Alan 编辑| 靖宇").unwrap(),
            [
                ("作者".to_owned(), "Alan".to_owned()),
                ("编辑".to_owned(), "靖宇".to_owned())
            ]
        );
        assert_eq!(
            credit_pairs(&key, "图片来源：视觉中国").unwrap()[0].0,
            "图片来源"
        );
        assert!(credit_pairs(&key, "据报道，编辑：某某").is_none());
        // A key glued to a word of the value is part of the value.
        assert_eq!(
            credit_pairs(
                &key,
                "图片来源： MIT 研究新闻 / iStock / 插画作者 Jose-Luis Olivares"
            )
            .unwrap(),
            [(
                "图片来源".to_owned(),
                "MIT 研究新闻 / iStock / 插画作者 Jose-Luis Olivares".to_owned()
            )]
        );
    }
}
