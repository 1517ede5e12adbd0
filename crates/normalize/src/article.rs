//! What every format parser produces, and how it becomes a [`Doc`].

use scour_record::{Doc, Origin};
use serde_json::{Map, Value};

use crate::canonical::{canonical_url, doc_id};
use crate::date;
use crate::text::{normalize_body, normalize_field};

/// One document as a format parser found it, before normalization.
#[derive(Debug, Default)]
pub(crate) struct Article {
    /// The body as canonical markdown (images `![alt](src)`, links, emphasis).
    pub(crate) body: String,
    pub(crate) title: Option<String>,
    pub(crate) source: Option<String>,
    pub(crate) author: Option<String>,
    pub(crate) published: Option<String>,
    pub(crate) fetched: Option<String>,
    pub(crate) url: Option<String>,
    pub(crate) images: Vec<String>,
    /// Fields of the input that scour does not map, passed through.
    pub(crate) extra: Map<String, Value>,
    /// Set when the parser recognized a page that holds no article.
    pub(crate) reject: Option<String>,
}

/// Normalizes an article's text and fields and builds its record.
pub(crate) fn finish(article: Article, origin: Origin) -> Doc {
    let body = normalize_body(&article.body);
    let url = article.url.as_deref().and_then(canonical_url);
    let discriminator = origin
        .line
        .map(|l| format!("line {l}"))
        .or_else(|| origin.offset.map(|o| format!("offset {o}")))
        .unwrap_or_default();
    let id = doc_id(url.as_deref(), &origin.path, &discriminator, &body);
    let wechat = url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://mp.weixin.qq.com/"));
    let lang = detect_lang(&body);
    Doc {
        id,
        text: body,
        title: article.title.as_deref().and_then(normalize_field),
        source: article.source.as_deref().and_then(normalize_field),
        author: article.author.as_deref().and_then(normalize_field),
        published: article
            .published
            .as_deref()
            .and_then(|d| date::normalize_date(d, wechat)),
        fetched: article
            .fetched
            .as_deref()
            .and_then(|d| date::normalize_date(d, false)),
        url,
        images: article.images,
        lang,
        origin,
        reject_reason: article.reject,
        extra: article.extra,
        ..Doc::default()
    }
}

/// The body's language as ISO 639-1, when the text is long enough to tell.
fn detect_lang(body: &str) -> Option<String> {
    // URLs of markdown images and links (`](https://…)`) are not language.
    let mut sample = String::new();
    let mut in_url = false;
    let mut prev = ' ';
    for c in body.chars() {
        if in_url {
            in_url = c != ')';
        } else if prev == ']' && c == '(' {
            in_url = true;
        } else if c.is_alphabetic() || c.is_whitespace() {
            sample.push(c);
            if sample.len() >= 6000 {
                break;
            }
        }
        prev = c;
    }
    if sample.chars().filter(|c| c.is_alphabetic()).count() < 20 {
        return None;
    }
    let info = whatlang::detect(&sample)?;
    if !info.is_reliable() && info.confidence() < 0.5 {
        return None;
    }
    let code = match info.lang() {
        whatlang::Lang::Cmn => "zh",
        whatlang::Lang::Eng => "en",
        whatlang::Lang::Jpn => "ja",
        whatlang::Lang::Kor => "ko",
        whatlang::Lang::Rus => "ru",
        whatlang::Lang::Deu => "de",
        whatlang::Lang::Fra => "fr",
        whatlang::Lang::Spa => "es",
        whatlang::Lang::Por => "pt",
        whatlang::Lang::Ita => "it",
        whatlang::Lang::Vie => "vi",
        whatlang::Lang::Tha => "th",
        whatlang::Lang::Ara => "ar",
        whatlang::Lang::Nld => "nl",
        whatlang::Lang::Tur => "tr",
        whatlang::Lang::Pol => "pl",
        whatlang::Lang::Ukr => "uk",
        whatlang::Lang::Ind => "id",
        whatlang::Lang::Hin => "hi",
        _ => return None,
    };
    Some(code.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lang_zh_and_en() {
        assert_eq!(
            detect_lang("当前，全球人工智能技术正处于飞速发展期，尤其是自2023年以来，以生成式大模型为代表的新一代人工智能技术").as_deref(),
            Some("zh")
        );
        assert_eq!(
            detect_lang("Why this vulnerability was not detected by fuzz testing, and what we learned from it").as_deref(),
            Some("en")
        );
        assert_eq!(detect_lang("短"), None);
        let with_images = "![](https://mmbiz.qpic.cn/mmbiz_gif/Jyco923vDiahUG7Gqyp3hMzafzu1MqfvRYoicViaW9XPCpzfumwpdbOg0icWwx9OGEjuOgF7OCxLYxf0ibXz3T5ogxQ/640?wx_fmt=gif)\n\n早上好~不要总呆在自己的舒适圈里，不走出去，你很难发现自己的潜力";
        assert_eq!(detect_lang(with_images).as_deref(), Some("zh"));
    }
}
