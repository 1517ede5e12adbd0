//! WeChat's page structure: the article body (`#js_content`), the account
//! and byline slots, the JS variables the metadata lives in (`msg_title`,
//! `nickname`, `ct`, `msg_link`, read by a scanner over the inline scripts,
//! not a JS engine), the notices that stand in for a removed article, and
//! the markers of an account's history or a search result page.

use std::sync::LazyLock;

use regex::Regex;
use scour_record::RejectReason;

use super::tree::{decode_entities, Tree};

/// What one walk over a page finds of WeChat's structure.
#[derive(Default)]
pub(crate) struct Scan {
    /// `#js_content`: the article body.
    pub(crate) content: Option<u32>,
    pub(crate) activity_name: Option<String>,
    pub(crate) js_name: Option<String>,
    pub(crate) profile_nickname: Option<String>,
    pub(crate) author_name: Option<String>,
    pub(crate) byline: Option<String>,
    pub(crate) post_date: Option<String>,
    /// The text of a WeChat notice (`weui-msg` area): expired, deleted, blocked.
    pub(crate) notice: Option<String>,
    /// Structure of listings: profile (history) cards and search result items.
    profile_list: bool,
    result_items: usize,
    /// Headings (`h3`, `h4`) that hold a link: the items of a listing.
    headline_links: usize,
}

fn nonempty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

impl Scan {
    /// One walk over the tree's elements.
    pub(crate) fn run(tree: &Tree) -> Scan {
        let mut s = Scan::default();
        for i in 0..tree.nodes.len() as u32 {
            let Some(el) = tree.element(i) else {
                continue;
            };
            let name = &*el.name;
            let text = || nonempty(tree.text(i));
            match el.id() {
                Some("js_content") if s.content.is_none() => s.content = Some(i),
                Some("activity-name") if s.activity_name.is_none() => {
                    s.activity_name = text();
                }
                Some("js_name") if s.js_name.is_none() => s.js_name = text(),
                Some("js_author_name") if s.author_name.is_none() => {
                    s.author_name = text();
                }
                Some("post-date" | "publish_time") if s.post_date.is_none() => {
                    s.post_date = text();
                }
                Some("history") if name == "div" => s.profile_list = true,
                _ => {}
            }
            let mut byline = false;
            let mut nickname_slot = false;
            // Each distinct result class counts once per element.
            let mut results_seen = 0u8;
            for class in el.classes() {
                match class {
                    "profile_nickname" if s.profile_nickname.is_none() => {
                        s.profile_nickname = text();
                    }
                    "rich_media_meta_text" => byline = true,
                    "rich_media_meta_nickname" => nickname_slot = true,
                    "weui-msg" | "weui_msg" | "global_error_msg" | "weui-msg__title"
                        if s.notice.is_none() && !el.hidden =>
                    {
                        s.notice = text();
                    }
                    "weui_msg_card_list" | "profile_ext" => s.profile_list = true,
                    "txt-box" | "news-box" | "result" | "search-result" => {
                        let bit = match class {
                            "txt-box" => 1,
                            "news-box" => 2,
                            "result" => 4,
                            _ => 8,
                        };
                        if results_seen & bit == 0 {
                            results_seen |= bit;
                            s.result_items += 1;
                        }
                    }
                    _ => {}
                }
            }
            if byline
                && !nickname_slot
                && s.byline.is_none()
                && !matches!(el.id(), Some("post-date" | "publish_time"))
            {
                s.byline = text().filter(|b| is_plausible_author(b));
            }
            if matches!(name, "h3" | "h4")
                && (i + 1..tree.end(i).min(i + 64)).any(|d| tree.name(d) == "a")
            {
                s.headline_links += 1;
            }
        }
        s
    }

    /// An account's history page by WeChat's own markers.
    pub(crate) fn is_wechat_listing(&self, scripts: &str) -> bool {
        self.profile_list || scripts.contains("var msgList")
    }

    /// Many similar items (search results, headline links): a listing when
    /// the page holds no article besides.
    pub(crate) fn has_result_items(&self) -> bool {
        self.result_items >= 3
    }

    pub(crate) fn has_many_items(&self) -> bool {
        self.result_items >= 3 || self.headline_links >= 5
    }
}

/// The reject reason for the text of a WeChat notice page.
pub(crate) fn notice_reason(text: &str) -> RejectReason {
    if text.contains("过期") || text.contains("expired") {
        RejectReason::Expired
    } else if text.contains("删除") || text.contains("deleted") {
        RejectReason::Deleted
    } else if text.contains("违规")
        || text.contains("无法查看")
        || text.contains("屏蔽")
        || text.contains("violat")
    {
        RejectReason::Blocked
    } else if text.contains("迁移") || text.contains("migrat") {
        RejectReason::Migrated
    } else {
        RejectReason::Unavailable
    }
}

/// A byline slot that holds a follow prompt (`读武汉关注☞`) names no author.
fn is_plausible_author(b: &str) -> bool {
    let n = b.chars().count();
    n > 0 && n <= 40 && !b.contains("关注") && !b.ends_with(['☞', '👇', '↓'])
}

/// The JS string variable assignments read from a page's scripts. The `\b`
/// before `var` is checked on each match instead: a Unicode word boundary
/// keeps the regex off its fast DFA over CJK scripts. [`js_vars`] reads the
/// same matches with [`js_var_at`]; the regex is its reference in tests.
#[cfg(test)]
static JS_VAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?:var\s+|window\.)(msg_title|nickname|ct|create_time|publish_time|msg_link|msg_source_url|msg_cdn_url)\s*=\s*(?:htmlDecode\(\s*)?(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)')"#,
    )
    .expect("static regex")
});

/// One word character, as the regex crate's Unicode `\b` defines it.
static WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\w$").expect("static regex"));

/// The JS string variables of a WeChat page, first non-empty value of each.
pub(crate) struct JsVars(Vec<(String, String)>);

impl JsVars {
    pub(crate) fn get(&self, key: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }
}

/// The variable names of [`JS_VAR`], in its order. None is a prefix of
/// another, so at most one matches at a place.
const JS_VAR_NAMES: [&str; 8] = [
    "msg_title",
    "nickname",
    "ct",
    "create_time",
    "publish_time",
    "msg_link",
    "msg_source_url",
    "msg_cdn_url",
];

/// A match of [`JS_VAR`].
struct JsVarMatch<'a> {
    key: &'static str,
    /// The string's text between its quotes, escapes as written.
    raw: &'a str,
    end: usize,
}

/// The match of [`JS_VAR`] starting at byte `p` of `s`, if there is one
/// there: the regex, hand-compiled. At each place at most one way through
/// it can match (`\s` runs are followed by non-space, the names do not
/// prefix one another, a string ends at its first unescaped quote), so
/// trying places left to right finds the regex's leftmost-first matches.
/// Why not the regex: its prefilter stops at every `var` of a page's 100 KB
/// of scripts and runs a DFA from there; this rejects most in a byte or two.
fn js_var_at(s: &str, p: usize) -> Option<JsVarMatch<'_>> {
    let rest = &s[p..];
    let skip_ws = |t: &str| t.len() - t.trim_start_matches(char::is_whitespace).len();
    let mut i = if let Some(after) = rest.strip_prefix("var") {
        let ws = skip_ws(after);
        if ws == 0 {
            return None;
        }
        3 + ws
    } else if rest.starts_with("window.") {
        7
    } else {
        return None;
    };
    let key = *JS_VAR_NAMES.iter().find(|n| rest[i..].starts_with(**n))?;
    i += key.len();
    i += skip_ws(&rest[i..]);
    i += rest[i..].strip_prefix('=').map(|_| 1)?;
    i += skip_ws(&rest[i..]);
    // `(?:htmlDecode\(\s*)?`: when it is there the string must follow it;
    // without it, a quote would have to stand where its `h` does.
    if rest[i..].starts_with("htmlDecode(") {
        i += "htmlDecode(".len();
        i += skip_ws(&rest[i..]);
    }
    let quote = rest[i..]
        .chars()
        .next()
        .filter(|q| matches!(q, '"' | '\''))?;
    let start = i + 1;
    let mut chars = rest[start..].char_indices();
    loop {
        let (k, c) = chars.next()?;
        if c == quote {
            return Some(JsVarMatch {
                key,
                raw: &rest[start..start + k],
                end: p + start + k + 1,
            });
        }
        match c {
            '\n' => return None,
            // `\\.`: any character but a newline after the backslash.
            '\\' if chars.next().is_none_or(|(_, d)| d == '\n') => return None,
            _ => {}
        }
    }
}

pub(crate) fn js_vars(scripts: &str) -> JsVars {
    static VAR: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new("var"));
    static WINDOW: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new("window."));
    let b = scripts.as_bytes();
    let find = |f: &memchr::memmem::Finder<'_>, from: usize| f.find(&b[from..]).map(|i| i + from);
    let mut vars: Vec<(String, String)> = Vec::new();
    // The next `var` and `window.` at or after `at`: where a match may start.
    let (mut next_var, mut next_window) = (find(&VAR, 0), find(&WINDOW, 0));
    let mut at = 0;
    loop {
        if next_var.is_some_and(|v| v < at) {
            next_var = find(&VAR, at);
        }
        if next_window.is_some_and(|w| w < at) {
            next_window = find(&WINDOW, at);
        }
        let Some(p) = next_var.into_iter().chain(next_window).min() else {
            break;
        };
        let Some(m) = js_var_at(scripts, p) else {
            at = p + 1;
            continue;
        };
        // `\bvar`: no word character right before it (else the search goes
        // on from the next character, as the regex's own `\b` would).
        if b[p] == b'v'
            && scripts[..p]
                .chars()
                .next_back()
                .is_some_and(|c| WORD.is_match(c.encode_utf8(&mut [0; 4])))
        {
            at = p + 1;
            continue;
        }
        at = m.end;
        add_var(&mut vars, m.key, m.raw);
    }
    JsVars(vars)
}

/// Keeps the first non-empty value of each variable: `raw`, unescaped and
/// entity-decoded, unless `key` already has one.
fn add_var(vars: &mut Vec<(String, String)>, key: &str, raw: &str) {
    if vars.iter().any(|(k, _)| k == key) {
        return;
    }
    let value = decode_entities(&js_unescape(raw)).trim().to_owned();
    if !value.is_empty() {
        vars.push((key.to_owned(), value));
    }
}

/// Undoes JS string escapes: `\x26`, `\u4e2d`, `\n`, `\"`, `\\`.
pub(crate) fn js_unescape(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) => out.push(ch),
                    None => out.push_str(&hex),
                }
            }
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) => out.push(ch),
                    None => out.push_str(&hex),
                }
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn js_vars_read() {
        let js = r#"var nickname = "华商报";
        var ct = "1522968980";
        var publish_time = "2018-04-06" || "";
        var msg_title = "语音 | 早安武汉\x0a〔2018.3.19&amp;周一〕";
        var msg_link = "";
        var msg_link = "http://mp.weixin.qq.com/s?__biz=MzA=&amp;mid=1&amp;idx=1&amp;sn=ab#rd";"#;
        let v = js_vars(js);
        assert_eq!(v.get("nickname").as_deref(), Some("华商报"));
        assert_eq!(v.get("ct").as_deref(), Some("1522968980"));
        assert_eq!(v.get("publish_time").as_deref(), Some("2018-04-06"));
        assert_eq!(
            v.get("msg_title").as_deref(),
            Some("语音 | 早安武汉\n〔2018.3.19&周一〕")
        );
        assert_eq!(
            v.get("msg_link").as_deref(),
            Some("http://mp.weixin.qq.com/s?__biz=MzA=&mid=1&idx=1&sn=ab#rd")
        );
    }

    fn js_vars_reference(scripts: &str) -> Vec<(String, String)> {
        let re = Regex::new(&JS_VAR.as_str().replacen("(?:var", r"(?:\bvar", 1)).unwrap();
        let mut vars: Vec<(String, String)> = Vec::new();
        for cap in re.captures_iter(scripts) {
            let key = cap.get(1).map_or("", |m| m.as_str());
            let raw = cap.get(2).or_else(|| cap.get(3)).map_or("", |m| m.as_str());
            add_var(&mut vars, key, raw);
        }
        vars
    }

    /// `js_vars` as it was, on the regex: the reference of `js_var_at`.
    fn js_vars_regex(scripts: &str) -> Vec<(String, String)> {
        let mut vars: Vec<(String, String)> = Vec::new();
        if scripts.is_empty() {
            return vars;
        }
        let mut at = 0;
        while let Some(cap) = JS_VAR.captures_at(scripts, at) {
            let Some(whole) = cap.get(0) else {
                break;
            };
            // `\bvar`: no word character right before it (else the search goes
            // on from the next character, as the regex's own `\b` would).
            if scripts[whole.start()..].starts_with("var")
                && scripts[..whole.start()]
                    .chars()
                    .next_back()
                    .is_some_and(|c| WORD.is_match(c.encode_utf8(&mut [0; 4])))
            {
                at = whole.start() + 1;
                continue;
            }
            at = whole.end();
            let Some(key) = cap.get(1).map(|m| m.as_str()) else {
                continue;
            };
            let raw = cap.get(2).or_else(|| cap.get(3)).map_or("", |m| m.as_str());
            add_var(&mut vars, key, raw);
        }
        vars
    }

    #[test]
    fn js_vars_scanner_as_regex() {
        for js in [
            "var ct = \"1\"",
            "var  \u{3000}ct\t=\n'2'",
            "varct = \"1\"; var ct= \"3\"",
            "window.nickname=htmlDecode( \"甲\")",
            "var nickname = htmlDecode(x); var nickname = htmlDecode'乙'",
            "var msg_title = \"a\\\"b\"; var ct = 'c\\'d'",
            "var msg_title = \"a\\\nb\"; var msg_title = \"e\"",
            "var msg_title = \"open",
            "var msg_title = \"a\nb\"",
            "var msg_title = \"a\\",
            "var nickname = \"var ct = '9'\"; var ct = '8'",
            "var msg_link = \"\"; var msg_link = \"http://x/?a=1&amp;b=2\"",
            "window.window.ct = \"w\"",
            "xvar ct = \"1\"; var ct = \"2\"",
            "中var ct = \"1\"",
            "var var ct = \"v\"",
            "var create_time = \"1\" var publish_time='2' var msg_source_url=\"s\" var msg_cdn_url='c'",
        ] {
            assert_eq!(js_vars(js).0, js_vars_regex(js), "{js:?}");
        }
    }

    /// Scripts from pieces of the regex: keywords, names, quotes, escapes,
    /// Unicode spaces and word characters.
    fn js_soup() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::strategy::Strategy;
        const PIECES: &[&str] = &[
            "var",
            "window.",
            " ",
            "\t",
            "\n",
            "\u{3000}",
            "\u{a0}",
            "ct",
            "nickname",
            "msg_title",
            "create_time",
            "msg_link",
            "=",
            "htmlDecode(",
            ")",
            "\"",
            "'",
            "\\",
            "a",
            "中",
            "_",
            ";",
            "x",
            "&amp;",
            "\\x41",
            "\\u4e2d",
            "é",
        ];
        proptest::collection::vec(proptest::sample::select(PIECES), 0..30).prop_map(|v| v.concat())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn js_vars_scanner_as_regex_on_soup(
            js in js_soup()
        ) {
            proptest::prop_assert_eq!(js_vars(&js).0, js_vars_regex(&js));
        }
    }

    #[test]
    fn js_vars_word_boundary_as_regex() {
        for js in [
            "xvar ct = \"1\"; var ct = \"2\";",
            "中var ct = \"1\"; window.nickname = '甲';",
            "_var ct = \"1\";var nickname = \"var ct = '9'\";",
            "xvar nickname = \"var ct = 'q'\"",
            "。var ct = \"3\"",
            "var ct = \"4\"",
            "é\u{301}var ct = \"5\" ;var ct=\"6\"",
            "a.var ct = \"7\"",
        ] {
            assert_eq!(js_vars(js).0, js_vars_reference(js), "{js}");
        }
        let Some(dir) = crate::shared::require("corpus/wechat/html") else {
            return;
        };
        let entries = std::fs::read_dir(dir).expect("corpus folder reads");
        for e in entries.flatten() {
            let text =
                String::from_utf8_lossy(&std::fs::read(e.path()).unwrap_or_default()).into_owned();
            assert_eq!(js_vars(&text).0, js_vars_reference(&text));
        }
    }
}
