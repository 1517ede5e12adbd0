//! What the strip engine's code knows of WeChat's pages, beside the rule pack
//! (`rules/wechat.toml`, the data): words and hosts that structural passes
//! test for, named here so that a reader finds them in one place and a pack
//! for another platform knows what the code assumes.

/// WeChat's article host: a series-navigation link points at it.
pub(crate) const ARTICLE_HOST: &str = scour_record::WECHAT_HOST;

/// The label before the author's name in a repost card
/// (`以下文章来源于X，作者Y`).
pub(crate) const AUTHOR_LABEL: &str = "作者";

/// The prefix of an account's line about itself (`关于X`): the account's
/// blurb that opens its footer.
pub(crate) const ABOUT_PREFIX: &str = "关于";
