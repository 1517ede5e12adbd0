//! Helpers for tests: documents and deterministic Chinese-like articles.

use scour_record::Doc;

/// A document with an id, a body and a publish date.
pub(crate) fn doc(id: &str, text: &str, published: Option<&str>) -> Doc {
    Doc {
        id: id.into(),
        text: text.into(),
        published: published.map(Into::into),
        ..Doc::default()
    }
}

/// [`doc`] of the account `source`, with no publish date.
pub(crate) fn sourced(id: &str, text: &str, source: &str) -> Doc {
    Doc {
        source: Some(source.into()),
        ..doc(id, text, None)
    }
}

/// A WeChat article URL for account `biz`, message `mid`.
pub(crate) fn wx_url(biz: u32, mid: u32) -> String {
    format!("https://mp.weixin.qq.com/s?__biz=Mz{biz}==&mid={mid}&idx=1&sn={mid:x}")
}

/// `chars` pseudo-random CJK characters from `seed`, in paragraphs of ~80.
pub(crate) fn article(seed: u64, chars: usize) -> String {
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut out = String::new();
    for i in 0..chars {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let c = char::from_u32(0x4e00 + (x % 3000) as u32).expect("CJK");
        out.push(c);
        if i % 80 == 79 && i + 1 < chars {
            out.push_str("\n\n");
        }
    }
    out
}

/// `text` with the characters at `offset`, `offset + every`, … replaced by
/// characters articles never use (a light edit).
pub(crate) fn edit(text: &str, every: usize, offset: u32) -> String {
    text.chars()
        .enumerate()
        .map(|(i, c)| {
            if c != '\n' && i % every == offset as usize % every {
                char::from_u32(0x4e00 + 3000 + (i as u32 + offset) % 500).expect("CJK")
            } else {
                c
            }
        })
        .collect()
}
