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
            FieldName::Author => {
                if self.byline_author.is_none() {
                    self.byline_author = Some(person_names(&value));
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

    /// Writes what was found into the record. The dump's own fields win for
    /// `source`; an in-body byline wins for `author` (POLICY.md).
    pub(crate) fn apply(self, doc: &mut Doc) {
        let author = self
            .byline_author
            .filter(|a| !a.is_empty())
            .or(self.header_author)
            .or(self.card_author);
        if let Some(a) = author {
            doc.author = Some(a);
        }
        if doc.source.is_none() {
            doc.source = self
                .header_account
                .or(self.byline_account)
                .or(self.tail_account)
                .or_else(|| self.card_account.clone());
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

/// Splits a credit line into `(key, value)` pairs: `作者 | Alan 编辑 | 靖宇`
/// → `[("作者","Alan"), ("编辑","靖宇")]`. `None` unless the line starts with a
/// key.
pub(crate) fn credit_pairs(rules: &Rules, text: &str) -> Option<Vec<(String, String)>> {
    // A sign-off's decoration (`>/ 作者：卡兹克`) is not part of the key.
    let text = text
        .trim()
        .trim_start_matches(['*', '_', ' ', '>', '/', '\\']);
    if !rules.credit_start.is_match(text) {
        return None;
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
            // A key glued to the end of the previous value's word is not a key
            // (`来源` inside `图片来源` is handled by longest-first alternation;
            // this guards `X编辑：` inside prose).
            Some((k.as_str().to_owned(), whole.start(), whole.end()))
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

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
}

/// Keeps the people of a byline, dropping affiliations:
/// `中共中央党校（国家行政学院）国家治理教研部教授、博导 何哲` → `何哲`.
pub(crate) fn person_names(value: &str) -> String {
    let v = value.trim();
    if !has_cjk(v) {
        return v.to_owned();
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
    }
}
