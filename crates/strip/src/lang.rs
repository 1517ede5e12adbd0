//! The clean body's language. Detected after stripping, on the author's
//! text only: page furniture and promos would skew it, and a document that is
//! rejected needs no language.

/// Bytes of letters and whitespace the detector reads.
const SAMPLE_BYTES: usize = 6000;

/// Bytes it reads of a body with no Han character among them. whatlang's
/// cost follows the sample's length (a sixth of `scour run`'s instructions
/// on the web-articles pages at 6,000 bytes), and text of other scripts
/// settles its answer sooner: on the 990 web pages, reading 2,000 bytes
/// instead changed one page's `lang` (none to `de`, which the page
/// declares). A Chinese body keeps the long sample: the English words it
/// quotes (names, code) shift whatlang's main script with their share of
/// the sample, and a shorter sample labelled more Chinese articles of the
/// bulk dumps `en` or none.
const SHORT_SAMPLE_BYTES: usize = 2000;

/// How many bytes the sample holds at most, having met `han` Han
/// characters.
fn sample_cap(han: usize) -> usize {
    if han == 0 {
        SHORT_SAMPLE_BYTES
    } else {
        SAMPLE_BYTES
    }
}

/// `char::is_alphabetic`, answered at once for ASCII and the CJK Unified
/// Ideographs (all letters), and by a bit table for the rest of the Basic
/// Multilingual Plane: the standard library binary-searches its tables for
/// every non-ASCII character, and Chinese text's punctuation (`，。“”`)
/// made that 1.6 % of `scour run`'s instructions.
fn is_alphabetic(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
        true
    } else if let Ok(u) = u16::try_from(u32::from(c)) {
        BMP_ALPHABETIC[usize::from(u >> 6)] >> (u & 63) & 1 == 1
    } else {
        c.is_alphabetic()
    }
}

/// `char::is_alphabetic` of every BMP character, a bit each (8 KiB), made
/// from the standard library's answers once.
static BMP_ALPHABETIC: std::sync::LazyLock<Box<[u64; 1024]>> = std::sync::LazyLock::new(|| {
    let mut bits = Box::new([0u64; 1024]);
    for u in 0..=u16::MAX {
        if char::from_u32(u32::from(u)).is_some_and(char::is_alphabetic) {
            bits[usize::from(u >> 6)] |= 1 << (u & 63);
        }
    }
    bits
});

/// What the detector reads of a body: its letters and whitespace, URLs of
/// markdown images and links (`](https://…)`) left out, up to
/// [`SAMPLE_BYTES`] ([`SHORT_SAMPLE_BYTES`] while it holds no Han).
struct Sample {
    text: String,
    /// Letters in `text`.
    letters: usize,
    /// Of them, Han characters whatlang counts as its Mandarin script
    /// (U+4E00..U+9FCC) and ASCII letters (its Latin script).
    han: usize,
    latin: usize,
    /// Whether `text` holds a character other than those and ASCII
    /// whitespace.
    other: bool,
}

impl Sample {
    /// whatlang's answer, when the sample settles it without whatlang: Han
    /// and ASCII letters only, more Han. whatlang then counts Mandarin as
    /// its main script, and with no kana it says Mandarin, confidence 1.
    fn plainly_chinese(&self) -> bool {
        !self.other && self.han > self.latin
    }
}

/// Reads [`Sample`] from the UTF-8 bytes, kept characters copied a run at a
/// time: a character at a time, this cost a tenth of the strip stage.
fn sample_of(body: &str) -> Sample {
    let b = body.as_bytes();
    let mut sample = String::with_capacity(body.len().min(SAMPLE_BYTES + 4));
    let mut letters = 0usize;
    let (mut han, mut latin, mut other) = (0usize, 0usize, false);
    let mut in_url = false;
    // The previous character when it is ASCII (only `]` matters), else 0.
    let mut prev = b' ';
    // The kept characters not yet copied are `body[run..i]`.
    let mut run = 0;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if !in_url && (0xE5..=0xE8).contains(&c) {
            // A run of Han characters from U+5000..=U+8FFF, the most of a
            // Chinese body: letters whatlang counts as Mandarin, kept as
            // they are, counted in a tight loop. The character that would
            // fill the sample is left to the general step below.
            let cap = run + SAMPLE_BYTES.saturating_sub(sample.len());
            let from = i;
            while i < b.len() && (0xE5..=0xE8).contains(&b[i]) && i + 3 < cap {
                i += 3;
            }
            if i > from {
                let n = (i - from) / 3;
                letters += n;
                han += n;
                prev = 0;
                continue;
            }
        }
        // A `&str` is valid UTF-8: the lead byte says how long a character
        // is, and U+4E00..U+9FFF (E4 B8 80 ..= E9 BF BF) are letters.
        // Script: 0 none (ASCII whitespace), 1 Latin, 2 Han, 3 other.
        let (len, keep, letter, script) = match c {
            b'a'..=b'z' | b'A'..=b'Z' => (1, true, true, 1),
            b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => (1, true, false, 0),
            0x00..=0x7F => (1, false, false, 0),
            // U+9FCD..U+9FFF (E9 BF 8D ..): letters whatlang does not count
            // as Mandarin.
            0xE9 if b[i + 1] == 0xBF && b[i + 2] >= 0x8D => (3, true, true, 3),
            0xE5..=0xE9 => (3, true, true, 2),
            0xE4 if b[i + 1] >= 0xB8 => (3, true, true, 2),
            _ => {
                let ch = body[i..].chars().next().unwrap_or(' ');
                let ws = ch.is_whitespace();
                let alpha = is_alphabetic(ch);
                (ch.len_utf8(), ws || alpha, !ws && alpha, 3)
            }
        };
        let skip = if in_url {
            in_url = c != b')';
            true
        } else if prev == b']' && c == b'(' {
            in_url = true;
            true
        } else {
            !keep
        };
        if skip {
            sample.push_str(&body[run..i]);
            run = i + len;
        } else {
            letters += usize::from(letter);
            match script {
                1 => latin += 1,
                2 => han += 1,
                3 => other = true,
                _ => {}
            }
            if sample.len() + (i + len - run) >= sample_cap(han) {
                sample.push_str(&body[run..i + len]);
                break;
            }
        }
        prev = if c < 0x80 { c } else { 0 };
        i += len;
    }
    if i >= b.len() {
        sample.push_str(&body[run..]);
    }
    Sample {
        text: sample,
        letters,
        han,
        latin,
        other,
    }
}

/// The body's language as ISO 639-1, when the text is long enough to tell.
pub(crate) fn detect_lang(body: &str) -> Option<String> {
    let sample = sample_of(body);
    if sample.letters < 20 {
        return None;
    }
    if sample.plainly_chinese() {
        return Some("zh".to_owned());
    }
    let code = whatlang_code(&sample.text)?;
    // A body with Han characters that whatlang does not call Chinese or
    // Japanese is Chinese with much Latin text (code, names, hashes):
    // whatlang's less common languages there are artefacts of the mix
    // (`ca`, `la`, `nb` for security reports on the bench captures), so
    // only the languages such bodies are written in are believed.
    if sample.han > 0 && !MIXED_BODY_LANGS.contains(&code) {
        return None;
    }
    Some(code.to_owned())
}

/// The languages believed of a body that holds Han characters: widely
/// written ones (in such a body whatlang's less common languages come of
/// its Latin part; see [`detect_lang`]).
const MIXED_BODY_LANGS: [&str; 19] = [
    "zh", "en", "ja", "ko", "ru", "de", "fr", "es", "pt", "it", "vi", "th", "ar", "nl", "tr", "pl",
    "uk", "id", "hi",
];

/// whatlang's language of a sample, as ISO 639-1, when it is sure enough.
fn whatlang_code(sample: &str) -> Option<&'static str> {
    let info = whatlang::detect(sample)?;
    if !info.is_reliable() && info.confidence() < 0.5 {
        return None;
    }
    Some(iso_639_1(info.lang()))
}

/// The ISO 639-1 code of each language whatlang tells (it names them by
/// ISO 639-3). Written out rather than taken from an ISO table crate: two of
/// whatlang's codes are individual languages (`cmn` Mandarin, `pes` Iranian
/// Persian) that ISO 639-1 names only through their macrolanguage (`zh`,
/// `fa`), which a 639-3 to 639-1 table does not do. No arm is a wildcard, so
/// a language whatlang adds fails to compile here.
const fn iso_639_1(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang as L;
    match lang {
        L::Epo => "eo",
        L::Eng => "en",
        L::Rus => "ru",
        L::Cmn => "zh",
        L::Spa => "es",
        L::Por => "pt",
        L::Ita => "it",
        L::Ben => "bn",
        L::Fra => "fr",
        L::Deu => "de",
        L::Ukr => "uk",
        L::Kat => "ka",
        L::Ara => "ar",
        L::Hin => "hi",
        L::Jpn => "ja",
        L::Heb => "he",
        L::Yid => "yi",
        L::Pol => "pl",
        L::Amh => "am",
        L::Jav => "jv",
        L::Kor => "ko",
        L::Nob => "nb",
        L::Dan => "da",
        L::Swe => "sv",
        L::Fin => "fi",
        L::Tur => "tr",
        L::Nld => "nl",
        L::Hun => "hu",
        L::Ces => "cs",
        L::Ell => "el",
        L::Bul => "bg",
        L::Bel => "be",
        L::Mar => "mr",
        L::Kan => "kn",
        L::Ron => "ro",
        L::Slv => "sl",
        L::Hrv => "hr",
        L::Srp => "sr",
        L::Mkd => "mk",
        L::Lit => "lt",
        L::Lav => "lv",
        L::Est => "et",
        L::Tam => "ta",
        L::Vie => "vi",
        L::Urd => "ur",
        L::Tha => "th",
        L::Guj => "gu",
        L::Uzb => "uz",
        L::Pan => "pa",
        L::Aze => "az",
        L::Ind => "id",
        L::Tel => "te",
        L::Pes => "fa",
        L::Mal => "ml",
        L::Ori => "or",
        L::Mya => "my",
        L::Nep => "ne",
        L::Sin => "si",
        L::Khm => "km",
        L::Tuk => "tk",
        L::Aka => "ak",
        L::Zul => "zu",
        L::Sna => "sn",
        L::Afr => "af",
        L::Lat => "la",
        L::Slk => "sk",
        L::Cat => "ca",
        L::Tgl => "tl",
        L::Hye => "hy",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sample as first written, a character at a time: the reference
    /// [`sample_of`] is held to.
    fn sample_reference(body: &str) -> (String, usize, usize, usize, bool) {
        let mut sample = String::new();
        let mut letters = 0usize;
        let (mut han, mut latin, mut other) = (0usize, 0usize, false);
        let mut in_url = false;
        let mut prev = ' ';
        for c in body.chars() {
            if in_url {
                in_url = c != ')';
            } else if prev == ']' && c == '(' {
                in_url = true;
            } else if c.is_alphabetic() || c.is_whitespace() {
                letters += usize::from(!c.is_whitespace());
                if ('\u{4E00}'..='\u{9FCC}').contains(&c) {
                    han += 1;
                } else if c.is_ascii_alphabetic() {
                    latin += 1;
                } else if !matches!(c, '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ') {
                    other = true;
                }
                sample.push(c);
                if sample.len() >= sample_cap(han) {
                    break;
                }
            }
            prev = c;
        }
        (sample, letters, han, latin, other)
    }

    proptest::proptest! {
        #[test]
        fn sample_is_the_reference_one(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "Zz", " ", "\n", "\u{b}", "\u{1c}", "中文", "一", "\u{4dff}", "，", "。",
                    "](", "](https://x.y/z.png)", ")", "]", "(", "é", "\u{3000}", "\u{85}", "😀", "ｱ",
                    "1", "-", "\u{9fcd}", "ぁ", "ア", "龥", "的", "好处", "處理器的",
                    "的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的",
                ]),
                0..64,
            ),
            reps in 1usize..400,
        ) {
            let body = parts.concat().repeat(reps % 7 + 1);
            // Past the sample's size, too.
            let long = body.repeat(SAMPLE_BYTES / body.len().max(1) + 2);
            for b in [&body, &long] {
                let s = sample_of(b);
                proptest::prop_assert_eq!(
                    (s.text.clone(), s.letters, s.han, s.latin, s.other),
                    sample_reference(b)
                );
                // The shortcut says what whatlang says.
                if s.letters >= 20 && s.plainly_chinese() {
                    let code = whatlang_code(&s.text);
                    proptest::prop_assert_eq!(code, Some("zh"));
                }
            }
        }
    }

    #[test]
    fn fast_alphabetic_is_the_standard_one() {
        for c in (0..=0x0010_FFFF_u32).filter_map(char::from_u32) {
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
        }
    }

    #[test]
    fn the_shortcut_and_whatlang_agree_on_real_text() {
        let zh = "当前，全球人工智能技术正处于飞速发展期，尤其是自2023年以来，以生成式大模型为代表的新一代人工智能技术 AI Agent";
        let s = sample_of(zh);
        assert!(s.plainly_chinese());
        assert_eq!(whatlang_code(&s.text), Some("zh"));
        // Kana, or more Latin letters than Han: whatlang decides.
        assert!(!sample_of("日本語のテキストです、ひらがなとカタカナ").plainly_chinese());
        assert!(!sample_of("Windows Defender 漏洞 patch Tuesday update").plainly_chinese());
    }

    #[test]
    fn a_body_without_han_is_sampled_shorter() {
        let latin = "Ein langer deutscher Satz über nichts. ".repeat(400);
        let s = sample_of(&latin);
        assert!((SHORT_SAMPLE_BYTES..SHORT_SAMPLE_BYTES + 4).contains(&s.text.len()));
        // One Han character early on, and the long sample is read.
        let mixed = format!("中{latin}");
        let s = sample_of(&mixed);
        assert!((SAMPLE_BYTES..SAMPLE_BYTES + 4).contains(&s.text.len()));
        // Han only past the short sample's end does not lengthen it.
        let late = format!("{latin}中文");
        assert_eq!(sample_of(&late).text.len(), sample_of(&latin).text.len());
    }

    #[test]
    fn every_language_whatlang_tells_has_its_code() {
        let fi = "Vuodenaikojen vaihtuminen vaikuttaa mielialaan ja käyttäytymiseen, \
                  ja syksyn pimeys tuntuu monesta raskaalta.";
        assert_eq!(detect_lang(fi).as_deref(), Some("fi"));
        let hu = "Léteznek olyan ünnepek, melyeknek nem igazán vannak magyar hagyományai, \
                  mégis egyre többen tartják meg őket.";
        assert_eq!(detect_lang(hu).as_deref(), Some("hu"));
        // Codes are ISO 639-1, two letters, and distinct.
        let codes: std::collections::BTreeSet<_> = whatlang::Lang::all()
            .iter()
            .map(|&l| iso_639_1(l))
            .collect();
        assert_eq!(codes.len(), whatlang::Lang::all().len());
        assert!(codes
            .iter()
            .all(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_lowercase())));
    }

    #[test]
    fn a_chinese_body_mixed_with_latin_keeps_to_the_common_languages() {
        // Han headings around product names: whatlang says Latin, sure of
        // it, and that is an artefact of the mix.
        let mixed = "报告编号 更新日期 监测发现 Citrix ADC Citrix Gateway Citrix ADC Citrix \
                     Gateway Citrix Citrix Citrix CVSS CVSS Citrix "
            .repeat(3);
        let s = sample_of(&mixed);
        assert!(s.han > 0 && !s.plainly_chinese());
        assert_eq!(whatlang_code(&s.text), Some("la"));
        assert_eq!(detect_lang(&mixed), None);
        // English with Han stays English.
        let en = "Windows Defender 漏洞: Microsoft released the update on Tuesday, and \
                  administrators should install it as soon as they can.";
        assert_eq!(detect_lang(en).as_deref(), Some("en"));
    }

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
    }
}
