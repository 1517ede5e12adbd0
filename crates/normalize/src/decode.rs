//! Bytes to text: BOM, then a declared charset, then detection (chardetng),
//! decoded with encoding_rs. Invalid bytes become U+FFFD and are counted.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8};
use scour_record::Origin;

/// Text decoded from bytes, with how its encoding was chosen.
#[derive(Debug)]
pub(crate) struct Decoded<'a> {
    /// The bytes themselves when they are valid UTF-8 (no copy is made of
    /// a page that needs no decoding).
    pub(crate) text: Cow<'a, str>,
    pub(crate) encoding: &'static str,
    pub(crate) source: &'static str,
    pub(crate) invalid: u64,
}

/// The encoding source of text whose declared charset was overridden,
/// its bytes being valid UTF-8.
pub(crate) const OVERRIDDEN: &str = "utf-8 (declared charset overridden)";

/// The encoding source of text whose encoding was guessed (no usable
/// declaration, bytes not UTF-8).
pub(crate) const DETECTED: &str = "detected";

/// Decodes `bytes`. `declared` is a charset label from a transport header
/// (`http`) or from the document itself (`meta`), in that order of trust.
pub(crate) fn decode<'a>(bytes: &'a [u8], declared: &[(&str, &'static str)]) -> Decoded<'a> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return finish(enc, &bytes[bom_len..], "bom");
    }
    for (label, source) in declared {
        if let Some(enc) = Encoding::for_label(label.trim().as_bytes()) {
            // A page that declares UTF-16 in a meta tag but is read as bytes is
            // in fact ASCII-compatible (the HTML spec says so); use UTF-8.
            let enc = if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                UTF_8
            } else {
                enc
            };
            // A declaration that is plainly false (UTF-8 declared, bytes not
            // UTF-8) is common in scraped pages; detection is the better guess.
            // When it is true, the checked bytes are the text (what decoding
            // them again would give).
            if enc == UTF_8 {
                let Ok(text) = simdutf8::basic::from_utf8(bytes) else {
                    // True of bytes damaged in a few places: those become
                    // U+FFFD, and are counted.
                    if nearly_utf8(bytes) {
                        return finish(UTF_8, bytes, source);
                    }
                    break;
                };
                return Decoded {
                    text: Cow::Borrowed(text),
                    encoding: UTF_8.name(),
                    source,
                    invalid: 0,
                };
            }
            // A declaration of another encoding on bytes that are valid
            // UTF-8 (and not plain ASCII, which most encodings read alike)
            // is wrong far more often than such bytes are that encoding:
            // the valid decoding wins, and the source says the declaration
            // was overridden (issue 15). `iso-2022-kr` and the like decode
            // to one U+FFFD whatever the bytes.
            if (enc == encoding_rs::REPLACEMENT || !bytes.is_ascii())
                && (simdutf8::basic::from_utf8(bytes).is_ok() || nearly_utf8(bytes))
            {
                return finish(UTF_8, bytes, OVERRIDDEN);
            }
            return finish(enc, bytes, source);
        }
    }
    // simdutf8: validation was a fifth of normalizing a markdown capture.
    if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        return Decoded {
            text: Cow::Borrowed(s),
            encoding: "UTF-8",
            source: "utf-8",
            invalid: 0,
        };
    }
    if let Some(enc) = sniff_utf16(bytes) {
        return finish(enc, bytes, DETECTED);
    }
    if nearly_utf8(bytes) {
        return finish(UTF_8, bytes, DETECTED);
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let enc = det.guess(None, chardetng::Utf8Detection::Allow);
    finish(enc, bytes, DETECTED)
}

/// UTF-8 damaged in a few places (a scraper's cut, a stray byte): at
/// least ten valid multi-byte sequences for each invalid one. chardetng
/// rules UTF-8 out at the first invalid byte, and then read such pages as
/// windows-1252 (`schÃ¶n`, `fÃ¼r`) on the web-articles pages; text in a
/// legacy encoding forms valid multi-byte sequences only by chance (on
/// those pages: none to two in windows-1252 or ISO-8859-2 against 1 to 650
/// invalid ones, 661 in GBK against 2,399), while the damaged UTF-8 pages
/// there hold 75 to 499 valid ones against 1 to 4 invalid.
fn nearly_utf8(bytes: &[u8]) -> bool {
    let (mut valid, mut invalid) = (0_usize, 0_usize);
    for chunk in bytes.utf8_chunks() {
        // A multi-byte sequence has one lead byte (0xC2 and up).
        valid += chunk.valid().bytes().filter(|&b| b >= 0xC0).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    invalid > 0 && valid >= 10 * invalid
}

/// UTF-16 without a BOM: many NUL bytes at alternating positions.
fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 8 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even = sample.iter().step_by(2).filter(|b| **b == 0).count();
    let odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|b| **b == 0)
        .count();
    if odd * 3 > pairs && even * 10 < pairs {
        Some(encoding_rs::UTF_16LE)
    } else if even * 3 > pairs && odd * 10 < pairs {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

fn finish(enc: &'static Encoding, bytes: &[u8], source: &'static str) -> Decoded<'static> {
    let (text, invalid) = decode_counting(enc, bytes);
    Decoded {
        text: Cow::Owned(text),
        encoding: enc.name(),
        source,
        invalid,
    }
}

/// Decodes, counting malformed sequences (each became one U+FFFD).
fn decode_counting(enc: &'static Encoding, bytes: &[u8]) -> (String, u64) {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let cap = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len() * 3);
    let mut out = String::with_capacity(cap);
    let mut invalid = 0u64;
    let mut input = bytes;
    loop {
        let (result, read) = decoder.decode_to_string_without_replacement(input, &mut out, true);
        input = &input[read..];
        match result {
            encoding_rs::DecoderResult::InputEmpty => break,
            encoding_rs::DecoderResult::OutputFull => {
                out.reserve(input.len() * 3 + 16);
            }
            encoding_rs::DecoderResult::Malformed(_, _) => {
                invalid += 1;
                out.push('\u{FFFD}');
            }
        }
    }
    (out, invalid)
}

/// Finds a charset declared in the first 4 KB of an HTML or XML document:
/// `<meta charset=…>`, `<meta http-equiv content="…charset=…">`, or
/// `<?xml … encoding="…"?>`. Only in those tags, as the HTML standard's
/// prescan reads them: a `<script charset="utf-8">` names the script
/// file's encoding, not the page's (a web archive's player scripts come
/// before the page's own `<meta>`).
pub(crate) fn sniff_declared_charset(bytes: &[u8]) -> Option<String> {
    sniff_declared_charset_in(bytes, 4096)
}

/// How far into a page [`sniff_declared_charset_late`] looks.
const LATE_META: usize = 64 * 1024;

/// A charset declared after the first 4 KB, up to [`LATE_META`]: after a
/// page's inline scripts and styles. Browsers honour such a declaration
/// too (the HTML standard changes the encoding while parsing when it meets
/// one); read only for a page that would otherwise go to detection.
pub(crate) fn sniff_declared_charset_late(bytes: &[u8]) -> Option<String> {
    sniff_declared_charset_in(bytes, LATE_META)
}

fn sniff_declared_charset_in(bytes: &[u8], limit: usize) -> Option<String> {
    let head = &bytes[..bytes.len().min(limit)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    // Whether the match at `at` is inside a tag that starts with `tag`.
    let in_tag = |at: usize, tag: &[u8]| {
        memchr::memrchr(b'<', &lower[..at]).is_some_and(|open| {
            memchr::memchr(b'>', &lower[open..at]).is_none()
                && lower[open..].starts_with(tag)
                && lower
                    .get(open + tag.len())
                    .is_some_and(|&b| b.is_ascii_whitespace() || b == b'/')
        })
    };
    for (key, tag) in [
        (&b"charset="[..], &b"<meta"[..]),
        (&b"encoding="[..], &b"<?xml"[..]),
    ] {
        let mut from = 0;
        while let Some(pos) = memchr::memmem::find(&lower[from..], key) {
            let start = from + pos + key.len();
            if !in_tag(from + pos, tag) {
                from = start;
                continue;
            }
            let rest = &head[start..];
            let rest = rest
                .strip_prefix(b"\"")
                .or_else(|| rest.strip_prefix(b"'"))
                .unwrap_or(rest);
            let end = rest
                .iter()
                .position(|b| {
                    !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
                })
                .unwrap_or(rest.len());
            if end > 0 {
                return Some(String::from_utf8_lossy(&rest[..end]).into_owned());
            }
            from = start;
        }
    }
    None
}

/// Records in `origin` how the bytes were decoded.
pub(crate) fn set_encoding(origin: &mut Origin, decoded: &Decoded<'_>) {
    origin.encoding = Some(decoded.encoding.to_owned());
    origin.encoding_source = Some(decoded.source.to_owned());
    origin.invalid_bytes = (decoded.invalid > 0).then_some(decoded.invalid);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_plain() {
        let d = decode("中文".as_bytes(), &[]);
        assert_eq!(
            (&*d.text, d.encoding, d.source, d.invalid),
            ("中文", "UTF-8", "utf-8", 0)
        );
    }

    #[test]
    fn gbk_detected_and_declared() {
        let text =
            "微信公众号文章正文，人工智能的发展与治理。这是一段足够长的中文文本，用来检测编码。";
        let (bytes, _, _) = encoding_rs::GBK.encode(text);
        let d = decode(&bytes, &[]);
        assert_eq!(d.text, text);
        assert_eq!(d.source, "detected");
        let d = decode(&bytes, &[("gbk", "meta")]);
        assert_eq!((&*d.text, d.encoding, d.source), (text, "GBK", "meta"));
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let text = "人工智能 and text";
        let mut le: Vec<u8> = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&le, &[]);
        assert_eq!((&*d.text, d.source), (text, "bom"));
        let d = decode(&le[2..], &[]);
        assert_eq!(d.text, text);
    }

    #[test]
    fn declared_utf8_as_decoded() {
        let mut inputs: Vec<Vec<u8>> = vec![
            "中文 and text".as_bytes().to_vec(),
            "mid\u{feff}text".as_bytes().to_vec(),
            Vec::new(),
        ];
        if let Some(dir) = crate::shared::require("corpus/wechat/html") {
            let entries = std::fs::read_dir(dir).unwrap();
            inputs.extend(entries.map(|e| std::fs::read(e.unwrap().path()).unwrap()));
        }
        for bytes in inputs {
            for label in ["utf-8", "UTF8", "utf-16le"] {
                let d = decode(&bytes, &[(label, "meta")]);
                let e = finish(UTF_8, &bytes, "meta");
                assert_eq!(
                    (d.text, d.encoding, d.source, d.invalid),
                    (e.text, e.encoding, e.source, e.invalid)
                );
            }
        }
    }

    #[test]
    fn invalid_bytes_counted() {
        let d = decode(b"ab\xffcd", &[("utf-8", "meta")]);
        assert!(d.text.contains('c'));
        let d2 = decode_counting(UTF_8, b"ab\xff\xfecd");
        assert_eq!(d2.1, 2);
    }

    #[test]
    fn utf8_damaged_in_a_few_places_is_read_as_utf8() {
        let text = "Kleine Schafskunde: schön, weiß, für die Vögel. ".repeat(8);
        let mut bytes = text.as_bytes().to_vec();
        // A stray byte, and a sequence cut short.
        bytes.insert(10, 0xFF);
        bytes.extend_from_slice(&"ü".as_bytes()[..1]);
        for declared in [&[][..], &[("utf-8", "meta")], &[("windows-1252", "meta")]] {
            let d = decode(&bytes, declared);
            assert_eq!((d.encoding, d.invalid), ("UTF-8", 2), "{declared:?}");
            assert!(d.text.contains("schön, weiß, für"), "{declared:?}");
        }
        assert_eq!(decode(&bytes, &[]).source, "detected");
        assert_eq!(decode(&bytes, &[("utf-8", "meta")]).source, "meta");
        assert_eq!(
            decode(&bytes, &[("windows-1252", "meta")]).source,
            OVERRIDDEN
        );
        // The same text in windows-1252 is windows-1252, however long.
        let (latin1, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
        assert!(!nearly_utf8(&latin1));
        assert_eq!(decode(&latin1, &[]).text, text);
        // GBK forms some valid UTF-8 sequences by chance, not ten to one.
        let (gbk, _, _) = encoding_rs::GBK.encode("微信公众号文章正文，人工智能的发展与治理。");
        assert!(!nearly_utf8(&gbk));
        // Valid UTF-8 and plain ASCII are not "nearly" anything.
        assert!(!nearly_utf8(text.as_bytes()));
        assert!(!nearly_utf8(b"ascii"));
    }

    #[test]
    fn meta_charset_sniffed() {
        assert_eq!(
            sniff_declared_charset(b"<meta charset=\"GBK\">").as_deref(),
            Some("GBK")
        );
        assert_eq!(
            sniff_declared_charset(
                b"<meta http-equiv=Content-Type content='text/html; charset=gb2312'>"
            )
            .as_deref(),
            Some("gb2312")
        );
        assert_eq!(
            sniff_declared_charset(b"<?xml version=\"1.0\" encoding=\"big5\"?>").as_deref(),
            Some("big5")
        );
        // Only a `<meta>` declares the page's charset: a script's names its
        // file's, and text or another tag names nothing.
        assert_eq!(
            sniff_declared_charset(
                b"<script src=\"/p.js\" charset=\"utf-8\"></script>\n\
                  <META HTTP-EQUIV=\"content-type\" CONTENT=\"text/html;charset=iso-8859-1\">"
            )
            .as_deref(),
            Some("iso-8859-1")
        );
        for page in [
            &b"<script charset=utf-8></script><p>charset=big5</p>"[..],
            b"<metadata charset=big5>",
            b"<p>encoding=\"big5\"</p>",
        ] {
            assert_eq!(
                sniff_declared_charset(page),
                None,
                "{}",
                String::from_utf8_lossy(page)
            );
        }
    }

    /// Issue 15: a wrong `<meta charset>` (iso-2022-kr, gb2312, big5) on
    /// bytes that are valid UTF-8 garbled the page; the valid decoding wins
    /// and the override is recorded.
    #[test]
    fn a_wrong_declaration_on_valid_utf8_is_overridden() {
        let text = "微信文章的正文，用 UTF-8 写成。";
        for label in ["iso-2022-kr", "gb2312", "big5"] {
            let d = decode(text.as_bytes(), &[(label, "meta")]);
            assert_eq!(d.text, text, "{label}");
            assert_eq!(d.encoding, "UTF-8");
            assert_eq!(d.source, OVERRIDDEN);
        }
        let gbk = encoding_rs::GBK.encode(text).0;
        let d = decode(&gbk, &[("gb2312", "meta")]);
        assert_eq!((&*d.text, d.source), (text, "meta"));
        assert_eq!(decode(b"plain ascii", &[("gbk", "meta")]).source, "meta");
    }
}
