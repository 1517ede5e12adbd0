//! Which WeChat article a URL names: the one key normalize's canonical URL
//! and dedup's URL key both read (POLICY.md, "URLs").
//!
//! A WeChat article URL names the article by its account (`__biz`), message
//! (`mid`) and position in the message (`idx`). `sn` is a signature over
//! those three: the canonical URL keeps it when the capture had it, but it
//! does not decide which article it is, so a capture whose `sn` was scrubbed
//! is still the same article. Both URL shapes seen in dumps are read:
//!
//! - `mp.weixin.qq.com/s?__biz=…&mid=…&idx=…&sn=…` (and `/mp/rumor?…`),
//! - the old `mp.weixin.qq.com/mp/appmsg/show?__biz=…&appmsgid=…&itemidx=…`.
//!
//! Short links (`/s/<token>`) name no `__biz`/`mid`/`idx` and are not
//! articles here; callers compare them whole.

use std::borrow::Cow;

use percent_encoding::percent_decode_str;
use url::Url;

/// WeChat's article host.
pub const WECHAT_HOST: &str = "mp.weixin.qq.com";

/// The identity of a WeChat article, read from its URL.
///
/// Values are percent-decoded and trimmed; a `+` stays a `+` (in the base64
/// `__biz` it is a letter, not a space).
///
/// ```
/// use scour_record::WechatArticle;
///
/// let a = WechatArticle::parse(
///     "http://mp.weixin.qq.com/s?mid=2664236345&__biz=MzA5MzE5MDAzOA%3D%3D&idx=4&sn=d6cf&scene=58#rd",
/// )
/// .unwrap();
/// assert_eq!((a.biz.as_str(), a.mid.as_str(), a.idx.as_str()), ("MzA5MzE5MDAzOA==", "2664236345", "4"));
/// let old = WechatArticle::parse(
///     "http://mp.weixin.qq.com/mp/appmsg/show?__biz=MzA5MzE5MDAzOA==&appmsgid=2664236345&itemidx=4",
/// )
/// .unwrap();
/// assert_eq!(old.key_bytes(), a.key_bytes());
/// assert_eq!(old.sn, None);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WechatArticle {
    /// The account, `__biz` (base64 with its `=` padding).
    pub biz: String,
    /// The message, `mid` (`appmsgid` in old URLs).
    pub mid: String,
    /// The article's position in the message, `idx` (`itemidx` in old URLs).
    pub idx: String,
    /// The signature `sn`, when the URL carries one.
    pub sn: Option<String>,
}

impl WechatArticle {
    /// The article a URL names, read leniently (see [`parse_url`]); `None`
    /// for anything that is not a WeChat article URL with `__biz`, `mid` and
    /// `idx`.
    #[must_use]
    pub fn parse(raw: &str) -> Option<Self> {
        Self::from_url(&parse_url(raw)?)
    }

    /// The article a parsed URL names; `None` for anything that is not a
    /// WeChat article URL with `__biz`, `mid` and `idx`.
    #[must_use]
    pub fn from_url(url: &Url) -> Option<Self> {
        if !matches!(url.scheme(), "http" | "https")
            || !url.host_str()?.eq_ignore_ascii_case(WECHAT_HOST)
        {
            return None;
        }
        let path = url.path();
        let path = path.strip_suffix('/').unwrap_or(path);
        if !matches!(path, "/s" | "/mp/appmsg/show" | "/mp/rumor") {
            return None;
        }
        let (mut biz, mut mid, mut idx, mut sn) = (None, None, None, None);
        for pair in url.query()?.split('&') {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let slot = match name {
                "__biz" => &mut biz,
                "mid" | "appmsgid" => &mut mid,
                "idx" | "itemidx" => &mut idx,
                "sn" => &mut sn,
                _ => continue,
            };
            if slot.is_none() {
                let value = percent_decode_str(value).decode_utf8_lossy();
                let value = value.trim();
                if !value.is_empty() {
                    *slot = Some(value.to_owned());
                }
            }
        }
        Some(Self {
            biz: biz?,
            mid: mid?,
            idx: idx?,
            sn,
        })
    }

    /// The bytes that identify the article, `wx\0<biz>\0<mid>\0<idx>\0`:
    /// what dedup hashes into its URL key. Stable across releases (the
    /// dedup index stores their hash).
    #[must_use]
    pub fn key_bytes(&self) -> Vec<u8> {
        let mut k = Vec::with_capacity(self.biz.len() + self.mid.len() + self.idx.len() + 6);
        k.extend_from_slice(b"wx\0");
        for part in [&self.biz, &self.mid, &self.idx] {
            k.extend_from_slice(part.as_bytes());
            k.push(0);
        }
        k
    }

    /// The canonical URL: `https://mp.weixin.qq.com/s?__biz=…&mid=…&idx=…&sn=…`
    /// in that order, `&sn=…` only when known. Values are written as they
    /// came except what would read back differently (`%`, `&`, `#`, `+`,
    /// whitespace and control characters), so the canonical URL parses back
    /// to the same article and canonicalizes to itself.
    #[must_use]
    pub fn canonical_url(&self) -> String {
        let mut out = format!(
            "https://{WECHAT_HOST}/s?__biz={}&mid={}&idx={}",
            escape_value(&self.biz),
            escape_value(&self.mid),
            escape_value(&self.idx)
        );
        if let Some(sn) = &self.sn {
            out.push_str("&sn=");
            out.push_str(&escape_value(sn));
        }
        out
    }
}

/// A URL as scrapers leave it, parsed: trimmed; `//host…` and a bare
/// `mp.weixin.qq.com…` get `https:`; `&amp;` between query parameters (from
/// HTML source, sometimes escaped twice) is undone in the query and fragment
/// only. `None` when the `url` crate cannot parse the result.
#[must_use]
pub fn parse_url(raw: &str) -> Option<Url> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let with_scheme;
    let raw = if raw.starts_with("//") {
        with_scheme = format!("https:{raw}");
        &with_scheme
    } else if !raw.contains("://") && raw.starts_with(WECHAT_HOST) {
        with_scheme = format!("https://{raw}");
        &with_scheme
    } else {
        raw
    };
    Url::parse(&unescape_query_amp(raw)).ok()
}

/// `&amp;` undone in the query (and fragment) only, until none is left: the
/// result then holds no `&amp;` for a second pass to undo. Before the `?` it
/// is left alone: the parser lowercases hosts, so an `&AMP;` there would turn
/// into an `&amp;` only the second pass sees.
fn unescape_query_amp(raw: &str) -> Cow<'_, str> {
    let Some(q) = raw.find('?') else {
        return Cow::Borrowed(raw);
    };
    let (head, tail) = raw.split_at(q);
    if !tail.contains("&amp;") {
        return Cow::Borrowed(raw);
    }
    let mut tail = tail.replace("&amp;", "&");
    while tail.contains("&amp;") {
        tail = tail.replace("&amp;", "&");
    }
    Cow::Owned(format!("{head}{tail}"))
}

/// A decoded query value made safe to write back into a query verbatim.
fn escape_value(v: &str) -> Cow<'_, str> {
    let needs = |c: char| matches!(c, '%' | '&' | '#' | '+') || c.is_whitespace() || c.is_control();
    if !v.chars().any(needs) {
        return Cow::Borrowed(v);
    }
    let mut out = String::with_capacity(v.len() + 8);
    for c in v.chars() {
        if needs(c) {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shapes from the corpus (`../shared/corpus`, the picker captures).
    const FULL: &str = "https://mp.weixin.qq.com/s?__biz=MzU5NDgxODU1MQ==&mid=2247498098&idx=1&sn=11b501628fc3ca85f12c352ee29865db&chksm=fe79ddeac90e54fc6f52b51be38955e4d52e96dbe0f6f6d79be35ec53b8131bef69d5e43ecef&scene=58&subscene=0#rd";

    #[test]
    fn corpus_shapes() {
        let a = WechatArticle::parse(FULL).unwrap();
        assert_eq!(
            a.canonical_url(),
            "https://mp.weixin.qq.com/s?__biz=MzU5NDgxODU1MQ==&mid=2247498098&idx=1&sn=11b501628fc3ca85f12c352ee29865db"
        );
        for same in [
            // HTML-escaped, percent-encoded padding, other tracking, no scheme.
            "http://mp.weixin.qq.com/s?__biz=MzU5NDgxODU1MQ==&amp;mid=2247498098&amp;idx=1&amp;sn=11b501628fc3ca85f12c352ee29865db&amp;chksm=fe79&amp;scene=21#wechat_redirect",
            "https://mp.weixin.qq.com/s?__biz=MzU5NDgxODU1MQ%3D%3D&mid=2247498098&idx=1&sn=11b501628fc3ca85f12c352ee29865db&chksm=fe79&3rd=MzA3MDU4NTYzMw==&scene=8",
            "mp.weixin.qq.com/s?idx=1&mid=2247498098&__biz=MzU5NDgxODU1MQ==",
            "HTTP://MP.weixin.qq.com/s/?__biz=MzU5NDgxODU1MQ==&mid=2247498098&idx=1&sn=",
            "http://mp.weixin.qq.com/mp/appmsg/show?__biz=MzU5NDgxODU1MQ==&appmsgid=2247498098&itemidx=1&sign=x#wechat_redirect",
        ] {
            assert_eq!(
                WechatArticle::parse(same).map(|b| b.key_bytes()),
                Some(a.key_bytes()),
                "{same}"
            );
        }
        let second = WechatArticle::parse(&FULL.replace("idx=1", "idx=2")).unwrap();
        assert_ne!(second.key_bytes(), a.key_bytes());
    }

    #[test]
    fn not_articles() {
        for raw in [
            "https://mp.weixin.qq.com/s/qQw1DXE25Gkz_P8pEPVaHg",
            "https://mp.weixin.qq.com/s?src=11&timestamp=1678&ver=4&signature=abc",
            "https://mp.weixin.qq.com/mp/rumor?action=info&__biz=MzA=",
            "https://mp.weixin.qq.com/mp/jsmonitor?idkey=1",
            "https://example.com/s?__biz=MzA=&mid=1&idx=1",
            "javascript:;",
            "",
        ] {
            assert_eq!(WechatArticle::parse(raw), None, "{raw}");
        }
    }

    #[test]
    fn canonical_reads_back_to_itself() {
        for raw in [
            FULL,
            "https://mp.weixin.qq.com/s?__biz=MjM=&mid=2&idx=1&sn=6c%2BT%2Fg#wechat_redirect",
            "https://mp.weixin.qq.com/s?__biz=Mj+M=&mid=2&idx=1&sn=a%26b%23c%25d",
            "https://mp.weixin.qq.com/s?__biz=MjM=&mid=2&idx=1&sn=a%09b%0Ac%20d中",
            "https://mp.weixin.qq.com/mp/appmsg/show?__biz=MjM=&appmsgid=2&itemidx=1",
        ] {
            let a = WechatArticle::parse(raw).unwrap();
            let once = a.canonical_url();
            assert_eq!(WechatArticle::parse(&once).as_ref(), Some(&a), "{raw}");
        }
        assert_eq!(
            WechatArticle::parse("https://mp.weixin.qq.com/s?__biz=Mj+M=&mid=2&idx=1")
                .unwrap()
                .biz,
            "Mj+M="
        );
    }
}
