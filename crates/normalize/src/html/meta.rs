//! A page's metadata, from what any site declares: `<title>`, `<meta>`
//! (OpenGraph, `author`, `article:published_time`, …), `<link
//! rel=canonical>`, the declared language (`<html lang>`), and JSON-LD
//! (`headline`, `author`, `datePublished`, `publisher`, `articleBody`).

use serde_json::Value;

use super::tree::Tree;

/// What a page declares about itself.
#[derive(Debug, Default)]
pub(crate) struct Meta {
    pub(crate) title: Option<String>,
    /// `<meta>` pairs: `property` or `name` (lowercase), `content`.
    pub(crate) pairs: Vec<(String, String)>,
    /// The last `<link rel=canonical>`.
    pub(crate) canonical: Option<String>,
    /// `<html lang>` or `content-language`.
    pub(crate) lang: Option<String>,
    /// `<time datetime>` of the first `time` element.
    pub(crate) time: Option<String>,
    pub(crate) ld: LinkedData,
}

/// The fields of the page's JSON-LD article object (an `Article`,
/// `NewsArticle`, `BlogPosting`, … or the first object with a headline).
#[derive(Debug, Default)]
pub(crate) struct LinkedData {
    pub(crate) headline: Option<String>,
    pub(crate) author: Option<String>,
    pub(crate) published: Option<String>,
    pub(crate) publisher: Option<String>,
    pub(crate) body: Option<String>,
    pub(crate) url: Option<String>,
}

impl Meta {
    pub(crate) fn read(tree: &Tree) -> Meta {
        let mut m = Meta::default();
        for i in 0..tree.nodes.len() as u32 {
            let Some(el) = tree.element(i) else {
                continue;
            };
            match &*el.name {
                "title" if m.title.is_none() => {
                    m.title = Some(tree.text(i)).filter(|t| !t.is_empty());
                }
                "meta" => {
                    let key = el.attr("property").or_else(|| el.attr("name"));
                    if let (Some(k), Some(v)) = (key, el.attr("content")) {
                        m.pairs
                            .push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
                    }
                }
                "link"
                    if el
                        .attr("rel")
                        .is_some_and(|r| r.eq_ignore_ascii_case("canonical")) =>
                {
                    m.canonical = el.attr("href").map(str::to_owned);
                }
                "html" if m.lang.is_none() => {
                    m.lang = el
                        .attr("lang")
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(str::to_owned);
                }
                "time" if m.time.is_none() => {
                    m.time = el.attr("datetime").map(str::to_owned);
                }
                _ => {}
            }
        }
        for raw in &tree.json_ld {
            if let Ok(v) = serde_json::from_str::<Value>(raw.trim()) {
                m.ld.fill(&v, 0);
            }
        }
        m
    }

    /// The first `<meta>` value under `key`.
    pub(crate) fn get(&self, key: &str) -> Option<String> {
        self.pairs
            .iter()
            .find(|(n, _)| n == key)
            .map(|(_, v)| v.clone())
    }
}

/// A JSON-LD value's text: a string, or the `name` of an object, or the
/// first of a list.
fn name_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("name").and_then(name_of),
        Value::Array(a) => {
            let names: Vec<String> = a.iter().filter_map(name_of).collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        _ => None,
    }
}

fn is_article_type(t: &Value) -> bool {
    let one = |s: &str| {
        s.ends_with("Article")
            || matches!(
                s,
                "BlogPosting" | "Report" | "LiveBlogPosting" | "SocialMediaPosting"
            )
    };
    match t {
        Value::String(s) => one(s),
        Value::Array(a) => a.iter().any(|x| x.as_str().is_some_and(one)),
        _ => false,
    }
}

impl LinkedData {
    fn fill(&mut self, v: &Value, depth: usize) {
        if depth > 8 {
            return;
        }
        match v {
            Value::Array(a) => {
                for x in a {
                    self.fill(x, depth + 1);
                }
            }
            Value::Object(o) => {
                if let Some(graph) = o.get("@graph") {
                    self.fill(graph, depth + 1);
                }
                let article = o.get("@type").is_some_and(is_article_type);
                if article {
                    let str_of = |k: &str| o.get(k).and_then(Value::as_str).map(str::to_owned);
                    self.headline = self.headline.take().or_else(|| str_of("headline"));
                    self.author = self
                        .author
                        .take()
                        .or_else(|| o.get("author").and_then(name_of));
                    self.published = self.published.take().or_else(|| str_of("datePublished"));
                    self.publisher = self
                        .publisher
                        .take()
                        .or_else(|| o.get("publisher").and_then(name_of));
                    self.body = self.body.take().or_else(|| str_of("articleBody"));
                    self.url = self.url.take().or_else(|| str_of("url"));
                }
            }
            _ => {}
        }
    }
}

/// Whether a URL names an article page rather than a site's home or a
/// section page: a path with more than one segment, or one long segment
/// (a slug, an id), or a query naming a document.
pub(crate) fn names_article(url: &str) -> bool {
    let Ok(u) = url::Url::parse(url) else {
        return false;
    };
    let segs: Vec<&str> = u
        .path_segments()
        .map(|s| s.filter(|x| !x.is_empty()).collect())
        .unwrap_or_default();
    if u.query().is_some_and(|q| !q.is_empty()) {
        return true;
    }
    match segs.as_slice() {
        [] => false,
        [one] => {
            let stem = one.split('.').next().unwrap_or("");
            stem.len() >= 20 || stem.contains('-') || stem.bytes().any(|b| b.is_ascii_digit())
        }
        _ => {
            segs.iter()
                .any(|s| s.len() >= 12 || s.bytes().any(|b| b.is_ascii_digit()) || s.contains('.'))
                || segs.len() >= 3
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_meta_canonical_lang_and_json_ld() {
        let t = super::super::tree::parse(
            r#"<html lang="de"><head><title>Titel &amp; mehr</title>
            <meta property="og:site_name" content="Zeitung">
            <link rel="canonical" href="https://example.de/politik/2024/artikel-123.html">
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"x"},
              {"@type":"NewsArticle","headline":"Überschrift","author":[{"@type":"Person","name":"Anna Muster"}],
               "datePublished":"2024-05-01T10:00:00+02:00","articleBody":"Der Text."}]}</script></head><body></body></html>"#,
        );
        let m = Meta::read(&t);
        assert_eq!(m.title.as_deref(), Some("Titel & mehr"));
        assert_eq!(m.get("og:site_name").as_deref(), Some("Zeitung"));
        assert_eq!(m.lang.as_deref(), Some("de"));
        assert_eq!(m.ld.headline.as_deref(), Some("Überschrift"));
        assert_eq!(m.ld.author.as_deref(), Some("Anna Muster"));
        assert_eq!(m.ld.published.as_deref(), Some("2024-05-01T10:00:00+02:00"));
        assert_eq!(m.ld.body.as_deref(), Some("Der Text."));
    }

    #[test]
    fn home_and_section_pages_are_not_articles() {
        for home in [
            "https://example.com/",
            "https://example.com",
            "https://example.com/politik/",
            "https://example.com/news",
        ] {
            assert!(!names_article(home), "{home}");
        }
        for article in [
            "https://example.de/politik/2024/artikel-123.html",
            "https://example.com/2019/05/31/ein-titel/",
            "https://example.com/ein-langer-titel-der-seite",
            "https://example.cn/news/content_12345.htm",
            "https://example.com/article?id=7",
        ] {
            assert!(names_article(article), "{article}");
        }
    }
}
