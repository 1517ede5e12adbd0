//! Pages that are not articles are rejects with the policy's reason, in any
//! input format (issue 17): verification walls and rate-limit pages are
//! `unavailable`, account-migration notices `migrated`; an article that
//! merely mentions the same words stays.

use scour_record::{Doc, RejectReason};
use scour_strip::{strip, Options, Rules};

/// The page furniture WeChat prints under every capture (as the markdown
/// dumps show it).
const CHROME: &str =
    "：\n，\n，\n。\n\n视频\n小程序\n赞\n，轻点两下取消赞\n在看\n，轻点两下取消在看";

fn doc(text: &str, markdown: bool) -> Doc {
    Doc {
        id: "x".into(),
        title: Some("某公众号的文章标题".into()),
        source: Some("某公众号".into()),
        text: text.into(),
        text_format: markdown.then(|| "markdown".to_owned()),
        ..Doc::default()
    }
}

fn reason(text: &str, markdown: bool) -> Option<RejectReason> {
    strip(doc(text, markdown), &Rules::wechat(), &Options::default()).reject_reason
}

#[test]
fn verification_walls_are_unavailable() {
    let pages = [
        // Heading, sentence and button, as a markdown capture shows them.
        format!("## 环境异常\n\n当前环境异常，完成验证后即可继续访问。\n\n去验证\n\n{CHROME}"),
        // On one line, as a mirror's text dump shows it.
        "环境异常 当前环境异常，完成验证后即可继续访问。 去验证".to_owned(),
        // A rate-limit page.
        "访问过于频繁，请稍后再试。".to_owned(),
        format!("操作过于频繁，请稍后再试\n\n{CHROME}"),
    ];
    for page in &pages {
        // As markdown, and as plain text (a text dump has no markdown
        // syntax: the heading is a line like any other).
        let plain = page.replace("## ", "");
        for (text, markdown) in [(page, true), (&plain, false)] {
            assert_eq!(
                reason(text, markdown),
                Some(RejectReason::Unavailable),
                "{text:?} (markdown {markdown})"
            );
        }
    }
}

#[test]
fn migration_notices_are_migrated() {
    let page = format!(
        "## 该公众号已迁移\n\n该公众号已迁移至新的账号，原账号已回收。若需访问原文章链接，请点击下方按钮。\n\n访问文章\n\n[公众号迁移说明](https://kf.qq.com/touch/scene_faq.html?scene_id=kf3416)\n\n{CHROME}"
    );
    assert_eq!(reason(&page, true), Some(RejectReason::Migrated));
    let plain = page.replace("## ", "").replace(
        "[公众号迁移说明](https://kf.qq.com/touch/scene_faq.html?scene_id=kf3416)",
        "公众号迁移说明",
    );
    assert_eq!(
        reason(&plain, false),
        Some(RejectReason::Migrated),
        "{plain}"
    );
}

#[test]
fn articles_that_mention_the_words_stay() {
    let article = "当测试环境异常时，我们先去验证代理配置，再检查证书链是否完整，最后复现请求。\n\n\
                   这一节讲的是访问过于频繁时服务端如何限流，以及客户端应当如何退避重试，避免被封禁。\n\n\
                   去验证\n\n\
                   文章的最后一段总结了排查思路：先看日志，再看网络，最后看代码，逐层缩小范围。";
    let out = strip(doc(article, true), &Rules::wechat(), &Options::default());
    assert_eq!(out.reject_reason, None);
    // The prose stays whole; the lone button-like line inside the article
    // is not at the page's edge, so it stays too.
    assert!(out.text.contains("当测试环境异常时"), "{}", out.text);
    assert!(
        out.text.contains("访问过于频繁时服务端如何限流"),
        "{}",
        out.text
    );
    assert!(out.text.contains("去验证"), "{}", out.text);
}
