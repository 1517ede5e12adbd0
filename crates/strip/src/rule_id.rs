//! Which rule removed a block: one of the pack's rules (data), or one of the
//! passes written in code, named here once.

use crate::rules::Rules;

/// A rule written in code (a structural pass of `engine.rs`), by the name it
/// records in [`Removal::rule`](scour_record::Removal::rule).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CodeRule {
    /// A link to another installment of the same series.
    SeriesNavigation,
    /// A heading or head line that repeats the title (moved to `title`).
    TitleRepeat,
    /// A column's masthead at the top, the column the title names.
    ColumnMasthead,
    /// The page header's 原创 marker.
    PageHeaderOriginal,
    /// The page header's author (moved to `author`).
    PageHeaderAuthor,
    /// The page header's account name.
    PageHeaderAccount,
    /// A byline in any layout (moved to fields).
    Byline,
    /// A repost card (以下文章来源于…) and its avatar, name and blurb.
    RepostCard,
    /// The editor's note (编者荐语) before a repost card.
    RepostEditorNote,
    /// A `key | value` credit line (moved to fields).
    CreditLine,
    /// The footer, when the pack has no footer rule to name it.
    Footer,
    /// A block of markup with no text (`---`, an empty table row).
    MarkupOnly,
    /// Headings that are titles of articles the page links to elsewhere.
    RelatedTitle,
    /// A list of other articles' titles with their dates after the article.
    DatedTitles,
    /// The archiver's cut mark (a trailing `...`). The one code rule named
    /// with a pack prefix: the name was on the wire before the others'
    /// (output bytes are kept).
    ArchiveCut,
}

impl CodeRule {
    /// The name recorded in `removed`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            CodeRule::SeriesNavigation => "series-navigation",
            CodeRule::TitleRepeat => "title-repeat",
            CodeRule::ColumnMasthead => "column-masthead",
            CodeRule::PageHeaderOriginal => "page-header-original",
            CodeRule::PageHeaderAuthor => "page-header-author",
            CodeRule::PageHeaderAccount => "page-header-account",
            CodeRule::Byline => "byline",
            CodeRule::RepostCard => "repost-card",
            CodeRule::RepostEditorNote => "repost-editor-note",
            CodeRule::CreditLine => "credit-line",
            CodeRule::Footer => "footer",
            CodeRule::MarkupOnly => "markup-only",
            CodeRule::RelatedTitle => "related-title",
            CodeRule::DatedTitles => "dated-titles",
            CodeRule::ArchiveCut => "wechat/archive-cut",
        }
    }
}

/// The rule that removed a block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RuleId {
    /// A removal rule of the pack, by its index in [`Rules::rules`].
    Pack(usize),
    /// A field rule of the pack, by its index in [`Rules::fields`].
    Field(usize),
    /// A pass written in code.
    Code(CodeRule),
}

impl RuleId {
    /// The name recorded in `removed` (`pack/name` for the pack's rules).
    pub(crate) fn name(self, rules: &Rules) -> &str {
        match self {
            RuleId::Pack(r) => &rules.rules[r].id,
            RuleId::Field(f) => &rules.fields[f].id,
            RuleId::Code(c) => c.as_str(),
        }
    }
}
