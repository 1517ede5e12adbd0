//! The options of the dedup stage.

/// Dedup options. Every field states its default; `Options::default()` is what
/// `scour dedup` uses without flags.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// Jaccard threshold for near-duplicates: two bodies whose character 5-gram
    /// sets have an estimated Jaccard similarity at or above it are the same
    /// article. Clamped to `0.0..=1.0` (NaN means the default). Default
    /// [`Options::DEFAULT_THRESHOLD`] (`0.8`).
    pub threshold: f64,
    /// A block (paragraph) repeated in at least this many documents of one
    /// `source` is that source's boilerplate and is removed from all its
    /// documents. `0` turns boilerplate removal off; `1` counts as `2` (a block
    /// seen once is not repeated). Default [`Options::DEFAULT_MIN_REPEAT`]
    /// (`5`).
    pub min_repeat: usize,
    /// For large sources: a block must also recur in at least this fraction of
    /// the source's documents. The effective threshold is
    /// `max(min_repeat, ceil(min_repeat_fraction × documents of the source))`.
    /// Default `0.0` (off): an account's footer often changes over the years,
    /// so a big account's current footer may be on only a few percent of its
    /// articles, while a short block repeated verbatim in five articles of one
    /// account is template text in practice. Raise it (e.g. `0.01`) when short
    /// generic headings such as "参考链接" should survive in big accounts.
    pub min_repeat_fraction: f64,
    /// Only blocks of at most this many characters (after whitespace
    /// normalization) can be boilerplate. This protects prose: a long
    /// paragraph reposted many times is a near-duplicate, not a footer.
    /// Default `200`.
    pub max_block_chars: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            threshold: Self::DEFAULT_THRESHOLD,
            min_repeat: Self::DEFAULT_MIN_REPEAT,
            min_repeat_fraction: 0.0,
            max_block_chars: 200,
        }
    }
}

impl Options {
    /// The default of [`Options::threshold`].
    pub const DEFAULT_THRESHOLD: f64 = 0.8;
    /// The default of [`Options::min_repeat`].
    pub const DEFAULT_MIN_REPEAT: usize = 5;

    /// The threshold actually used.
    pub(crate) fn effective_threshold(&self) -> f64 {
        if self.threshold.is_nan() {
            Options::default().threshold
        } else {
            self.threshold.clamp(0.0, 1.0)
        }
    }
}
