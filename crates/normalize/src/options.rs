/// How the normalizer reads dumps.
#[derive(Clone, Debug)]
pub struct Options {
    /// JSON fields that hold the body, tried in order. Default:
    /// [`Options::DEFAULT_TEXT_FIELDS`] (`text`, `content`, `html`, `body`,
    /// `content_html`, `markdown`).
    pub text_fields: Vec<String>,
    /// JSON fields that hold the title. Default:
    /// [`Options::DEFAULT_TITLE_FIELDS`] (`title`).
    pub title_fields: Vec<String>,
    /// JSON fields that hold the URL, tried in order. Default:
    /// [`Options::DEFAULT_URL_FIELDS`] (`url`, `link`, `content_url`,
    /// `source_url`).
    pub url_fields: Vec<String>,
    /// Documents larger than this many bytes (after decompression) are rejected
    /// with reason `too-large`. Default: [`Options::DEFAULT_MAX_DOC_BYTES`]
    /// (64 MiB).
    pub max_doc_bytes: usize,
}

impl Options {
    /// The default of [`Options::text_fields`].
    pub const DEFAULT_TEXT_FIELDS: [&'static str; 6] = [
        "text",
        "content",
        "html",
        "body",
        "content_html",
        "markdown",
    ];
    /// The default of [`Options::title_fields`].
    pub const DEFAULT_TITLE_FIELDS: [&'static str; 1] = ["title"];
    /// The default of [`Options::url_fields`].
    pub const DEFAULT_URL_FIELDS: [&'static str; 4] = ["url", "link", "content_url", "source_url"];
    /// The default of [`Options::max_doc_bytes`]: 64 MiB.
    pub const DEFAULT_MAX_DOC_BYTES: usize = 64 << 20;
}

impl Default for Options {
    fn default() -> Self {
        let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect();
        Options {
            text_fields: s(&Self::DEFAULT_TEXT_FIELDS),
            title_fields: s(&Self::DEFAULT_TITLE_FIELDS),
            url_fields: s(&Self::DEFAULT_URL_FIELDS),
            max_doc_bytes: Self::DEFAULT_MAX_DOC_BYTES,
        }
    }
}
