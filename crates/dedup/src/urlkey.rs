//! The URL key: which captures are the same article by address.
//!
//! A WeChat article URL is keyed by the article it names
//! ([`scour_record::WechatArticle`], the reading normalize's canonical URL
//! uses too): its account, message and position, whatever else the query
//! carries (`sn`, `chksm`, `scene`, …), whatever the scheme, new
//! (`/s?mid=…&idx=…`) or old (`/mp/appmsg/show?appmsgid=…&itemidx=…`). Any
//! other URL, including WeChat short links (`/s/<token>`), is compared whole.

use scour_record::WechatArticle;
use xxhash_rust::xxh3::xxh3_64;

/// The 64-bit key of a URL; never 0 (the index uses 0 for "no URL").
pub(crate) fn url_key(url: &str) -> Option<u64> {
    let url = url.trim();
    if url.is_empty() {
        return None;
    }
    let key = match WechatArticle::parse(url) {
        Some(article) => xxh3_64(&article.key_bytes()),
        None => xxh3_64(&[b"url\0", url.as_bytes()].concat()),
    };
    Some(key.max(1))
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
