//! The URL key: which captures are the same article by address.
//!
//! A WeChat article URL (`mp.weixin.qq.com/s?__biz=…&mid=…&idx=…&sn=…`, or the
//! old `/mp/appmsg/show?__biz=…&appmsgid=…&itemidx=…`) names the article by
//! its account (`__biz`), message (`mid`) and position in the message (`idx`):
//! the key is those three, percent-decoded, whatever else the query carries
//! (`sn`, `chksm`, `scene`, …), and whatever the scheme. Any other URL,
//! including WeChat short links (`/s/<token>`), is compared whole.

use xxhash_rust::xxh3::xxh3_64;

/// The 64-bit key of a URL; never 0 (the index uses 0 for "no URL").
pub(crate) fn url_key(url: &str) -> Option<u64> {
    let url = url.trim();
    if url.is_empty() {
        return None;
    }
    let key = match wechat_article(url) {
        Some((biz, mid, idx)) => {
            let mut k = b"wx\0".to_vec();
            for part in [biz, mid, idx] {
                k.extend_from_slice(&part);
                k.push(0);
            }
            xxh3_64(&k)
        }
        None => xxh3_64(&[b"url\0", url.as_bytes()].concat()),
    };
    Some(key.max(1))
}

/// `(__biz, mid, idx)` of a WeChat article URL.
fn wechat_article(url: &str) -> Option<(Vec<u8>, Vec<u8>, Vec<u8>)> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        url.strip_prefix("//").unwrap_or(url)
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (host, rest) = rest.split_at(end);
    if !host.eq_ignore_ascii_case("mp.weixin.qq.com") {
        return None;
    }
    let rest = rest.split('#').next().unwrap_or("");
    let (path, query) = rest.split_once('?')?;
    let (mid_name, idx_name) = match path.trim_end_matches('/') {
        "/s" => ("mid", "idx"),
        "/mp/appmsg/show" => ("appmsgid", "itemidx"),
        _ => return None,
    };
    let (mut biz, mut mid, mut idx) = (None, None, None);
    for pair in query.split('&') {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let slot = match name {
            "__biz" => &mut biz,
            n if n == mid_name || n == "mid" => &mut mid,
            n if n == idx_name || n == "idx" => &mut idx,
            _ => continue,
        };
        if slot.is_none() && !value.is_empty() {
            *slot = Some(percent_decode(value));
        }
    }
    Some((biz?, mid?, idx?))
}

/// Decodes `%XX` escapes; anything malformed stays as it is. `+` stays `+`:
/// in `__biz` it is a base64 character, not a space.
fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = "https://mp.weixin.qq.com/s?__biz=MzIzMzE4NDU1OQ==&mid=2652064118&idx=1&sn=18ac97451ab348c4333878751b33fab1";

    #[test]
    fn tracking_parameters_do_not_matter() {
        let tracked = "http://mp.weixin.qq.com/s?__biz=MzIzMzE4NDU1OQ%3D%3D&mid=2652064118&idx=1&sn=18ac97451ab348c4333878751b33fab1&chksm=e8f2&scene=21&key=abc#wechat_redirect";
        assert_eq!(url_key(FULL), url_key(tracked));
        let reordered = "https://mp.weixin.qq.com/s?idx=1&mid=2652064118&__biz=MzIzMzE4NDU1OQ==";
        assert_eq!(url_key(FULL), url_key(reordered));
    }

    #[test]
    fn another_article_of_the_account_differs() {
        let second = FULL.replace("idx=1", "idx=2");
        assert_ne!(url_key(FULL), url_key(&second));
    }

    #[test]
    fn old_appmsg_urls_match() {
        let old = "http://mp.weixin.qq.com/mp/appmsg/show?__biz=MzIzMzE4NDU1OQ==&appmsgid=2652064118&itemidx=1&sign=x";
        assert_eq!(url_key(FULL), url_key(old));
    }

    #[test]
    fn other_urls_compare_whole() {
        let short = "https://mp.weixin.qq.com/s/Kq3Zx-中文token";
        assert_eq!(url_key(short), url_key(short));
        assert_ne!(url_key(short), url_key("https://mp.weixin.qq.com/s/other"));
        assert_ne!(
            url_key("https://example.com/a?x=1"),
            url_key("https://example.com/a?x=2")
        );
        assert_eq!(url_key(""), None);
        assert_eq!(url_key("%"), url_key("%"));
    }
}
