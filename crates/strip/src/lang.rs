//! The clean body's language. Detected after stripping, on the author's
//! text only: page furniture and promos would skew it, and a document that is
//! rejected needs no language.

/// Bytes of letters and whitespace the detector reads.
const SAMPLE_BYTES: usize = 6000;

/// `char::is_alphabetic`, answered at once for ASCII and the CJK Unified
/// Ideographs (all letters), where the standard library binary-searches its
/// tables for every non-ASCII character.
fn is_alphabetic(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        ('\u{4E00}'..='\u{9FFF}').contains(&c) || c.is_alphabetic()
    }
}

/// The body's language as ISO 639-1, when the text is long enough to tell.
pub(crate) fn detect_lang(body: &str) -> Option<String> {
    // URLs of markdown images and links (`](https://…)`) are not language.
    let mut sample = String::with_capacity(body.len().min(SAMPLE_BYTES + 4));
    let mut letters = 0usize;
    let mut in_url = false;
    let mut prev = ' ';
    for c in body.chars() {
        if in_url {
            in_url = c != ')';
        } else if prev == ']' && c == '(' {
            in_url = true;
        } else if is_alphabetic(c) || c.is_whitespace() {
            // No character is both a letter and whitespace.
            letters += usize::from(!c.is_whitespace());
            sample.push(c);
            if sample.len() >= SAMPLE_BYTES {
                break;
            }
        }
        prev = c;
    }
    if letters < 20 {
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
    fn fast_alphabetic_is_the_standard_one() {
        for c in (0..=0x0010_FFFF_u32).filter_map(char::from_u32) {
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
        }
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
