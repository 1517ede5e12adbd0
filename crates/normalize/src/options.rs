/// How the normalizer reads dumps.
#[derive(Clone, Debug)]
pub struct Options {
    /// JSON fields that hold the body, tried in order. Default: `text`,
    /// `content`, `html`, `body`.
    pub text_fields: Vec<String>,
    /// JSON fields that hold the title. Default: `title`.
    pub title_fields: Vec<String>,
    /// JSON fields that hold the URL. Default: `url`, `link`, `content_url`.
    pub url_fields: Vec<String>,
    /// Documents larger than this many bytes (after decompression) are rejected
    /// with reason `too-large`. Default: 64 MiB.
    pub max_doc_bytes: usize,
}

impl Default for Options {
    fn default() -> Self {
        let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect();
        Options {
            text_fields: s(&[
                "text",
                "content",
                "html",
                "body",
                "content_html",
                "markdown",
            ]),
            title_fields: s(&["title"]),
            url_fields: s(&["url", "link", "content_url", "source_url"]),
            max_doc_bytes: 64 << 20,
        }
    }
}
