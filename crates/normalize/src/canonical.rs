//! Canonical URLs (POLICY.md, "URLs") and stable document ids.

use url::Url;
use xxhash_rust::xxh3::xxh3_128;

/// Query parameters that identify a WeChat article, in canonical order.
const WECHAT_KEYS: [&str; 4] = ["__biz", "mid", "idx", "sn"];

/// Query parameters that only track the reader, dropped from any URL.
fn is_tracking_param(key: &str) -> bool {
    key.starts_with("utm_")
        || matches!(
            key,
            "chksm"
                | "scene"
                | "subscene"
                | "sessionid"
                | "key"
                | "ascene"
                | "devicetype"
                | "version"
                | "pass_ticket"
                | "clicktime"
                | "enterid"
                | "from"
                | "isappinstalled"
                | "srcid"
                | "sharer_sharetime"
                | "sharer_shareid"
                | "exportkey"
                | "wx_header"
                | "nettype"
                | "lang"
                | "fontScale"
                | "spm"
        )
}

/// The canonical form of `raw`, or `None` when it is not a usable URL.
///
/// - `mp.weixin.qq.com/s?…` article links keep only `__biz`, `mid`, `idx`, `sn`,
///   in that order, over https; one lacking any of them (a page whose `sn` was
///   scrubbed) has no canonical URL and yields `None`.
/// - Short links `mp.weixin.qq.com/s/<token>` are kept as they are, over https.
/// - Other URLs lose their fragment and tracking parameters.
#[must_use]
pub fn canonical_url(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let with_scheme;
    let raw = if raw.starts_with("//") {
        with_scheme = format!("https:{raw}");
        &with_scheme
    } else if !raw.contains("://") && raw.starts_with("mp.weixin.qq.com") {
        with_scheme = format!("https://{raw}");
        &with_scheme
    } else {
        raw
    };
    // `&amp;` survives in URLs copied out of HTML source.
    let unescaped = raw.replace("&amp;", "&");
    let mut url = Url::parse(&unescaped).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?.to_ascii_lowercase();
    if host == "mp.weixin.qq.com" {
        return wechat_canonical(&url);
    }
    url.set_fragment(None);
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !is_tracking_param(k))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    Some(url.to_string())
}

fn wechat_canonical(url: &Url) -> Option<String> {
    let path = url.path();
    if let Some(token) = path.strip_prefix("/s/") {
        if token.is_empty() || token.contains('/') {
            return None;
        }
        return Some(format!("https://mp.weixin.qq.com/s/{token}"));
    }
    if path == "/s" || path == "/mp/appmsg/show" || path == "/mp/rumor" {
        let mut values: [Option<String>; 4] = Default::default();
        for (k, v) in url.query_pairs() {
            if let Some(i) = WECHAT_KEYS.iter().position(|w| *w == k) {
                if values[i].is_none() && !v.trim().is_empty() {
                    values[i] = Some(v.trim().to_owned());
                }
            }
        }
        let [Some(biz), Some(mid), Some(idx), Some(sn)] = values else {
            return None;
        };
        // `__biz` is base64 and keeps its `=` padding verbatim, as WeChat writes it.
        return Some(format!(
            "https://mp.weixin.qq.com/s?__biz={biz}&mid={mid}&idx={idx}&sn={sn}"
        ));
    }
    let mut url = url.clone();
    url.set_fragment(None);
    let _ = url.set_scheme("https");
    Some(url.to_string())
}

/// A stable record id: the xxh3-128 of the canonical URL, or of the input path
/// and body when there is no URL, as 32 hex digits. xxh3 is specified and its
/// output fixed across versions, unlike std's `DefaultHasher`.
#[must_use]
pub fn doc_id(url: Option<&str>, path: &str, discriminator: &str, body: &str) -> String {
    let h = match url {
        Some(u) => xxh3_128(u.as_bytes()),
        None => {
            let mut key = Vec::with_capacity(path.len() + discriminator.len() + body.len() + 2);
            key.extend_from_slice(path.as_bytes());
            key.push(0);
            key.extend_from_slice(discriminator.as_bytes());
            key.push(0);
            key.extend_from_slice(body.as_bytes());
            xxh3_128(&key)
        }
    };
    format!("{h:032x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wechat_article_keeps_four_keys_in_order() {
        let raw = "http://mp.weixin.qq.com/s?mid=2664236345&__biz=MzA5MzE5MDAzOA==&sn=d6cf&idx=4&chksm=8b58&scene=58&subscene=0#rd";
        assert_eq!(
            canonical_url(raw).as_deref(),
            Some("https://mp.weixin.qq.com/s?__biz=MzA5MzE5MDAzOA==&mid=2664236345&idx=4&sn=d6cf")
        );
    }

    #[test]
    fn html_escaped_ampersands() {
        let raw =
            "http://mp.weixin.qq.com/s?__biz=MzA4&amp;mid=26&amp;idx=7&amp;sn=ab#wechat_redirect";
        assert_eq!(
            canonical_url(raw).as_deref(),
            Some("https://mp.weixin.qq.com/s?__biz=MzA4&mid=26&idx=7&sn=ab")
        );
    }

    #[test]
    fn wechat_without_sn_has_no_canonical_form() {
        assert_eq!(
            canonical_url("http://mp.weixin.qq.com/s?__biz=ODU=&mid=1&idx=1&sn=&chksm=x"),
            None
        );
    }

    #[test]
    fn short_links_kept() {
        assert_eq!(
            canonical_url("http://mp.weixin.qq.com/s/qQw1DXE25Gkz_P8pEPVaHg#x").as_deref(),
            Some("https://mp.weixin.qq.com/s/qQw1DXE25Gkz_P8pEPVaHg")
        );
    }

    #[test]
    fn other_urls_lose_tracking() {
        assert_eq!(
            canonical_url("https://example.com/a?id=3&utm_source=x#top").as_deref(),
            Some("https://example.com/a?id=3")
        );
        assert_eq!(canonical_url("javascript:;"), None);
    }

    #[test]
    fn canonical_is_idempotent() {
        for raw in [
            "http://mp.weixin.qq.com/s?__biz=MzA5&mid=1&idx=4&sn=d6&scene=1",
            "https://example.com/path?q=1#f",
            "http://mp.weixin.qq.com/s/abc",
        ] {
            let once = canonical_url(raw).unwrap();
            assert_eq!(canonical_url(&once).as_deref(), Some(once.as_str()));
        }
    }

    #[test]
    fn ids_are_stable() {
        assert_eq!(
            doc_id(Some("https://a"), "x", "", "y"),
            doc_id(Some("https://a"), "z", "", "w")
        );
        assert_ne!(
            doc_id(None, "a.md", "", "体"),
            doc_id(None, "b.md", "", "体")
        );
        assert_eq!(doc_id(None, "a.md", "", "体").len(), 32);
    }
}
