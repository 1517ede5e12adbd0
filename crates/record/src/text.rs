//! How a record's body is cut: into blocks at its blank lines, and into
//! lines. Every stage cuts bodies so, many times a record; these search with
//! the memchr crate's vectorized searches, where std's `split` and `lines`
//! walk the text through core's word-at-a-time memchr (and a two-byte
//! needle a byte at a time): together 6 % of `scour run`'s instructions on
//! the bench captures. Each gives exactly what its std counterpart gives.

/// A body cut at its blank lines, as `text.split("\n\n")` cuts it (an
/// empty piece where blank lines run on): the pieces the body's blocks are.
pub fn split_blank_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut from = 0;
    let mut breaks = memchr::memmem::find_iter(text.as_bytes(), b"\n\n");
    std::iter::from_fn(move || {
        let start = from;
        if start > text.len() {
            return None;
        }
        if let Some(at) = breaks.next() {
            from = at + 2;
            Some(&text[start..at])
        } else {
            from = text.len() + 1;
            Some(&text[start..])
        }
    })
}

/// A text cut at every `\n`, as `text.split('\n')` cuts it.
pub fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut from = 0;
    memchr::memchr_iter(b'\n', text.as_bytes())
        .chain(std::iter::once(text.len()))
        .map(move |end| {
            let line = &text[from..end];
            from = end + 1;
            line
        })
}

/// A text's lines, as `text.lines()` gives them: no line after a final
/// `\n`, and a line ended by `\r\n` loses its `\r`.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut from = 0;
    let mut newlines = memchr::memchr_iter(b'\n', text.as_bytes());
    std::iter::from_fn(move || {
        let start = from;
        if start >= text.len() {
            return None;
        }
        if let Some(end) = newlines.next() {
            from = end + 1;
            let line = &text[start..end];
            Some(line.strip_suffix('\r').unwrap_or(line))
        } else {
            from = text.len();
            Some(&text[start..])
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_blank_lines_splits_as_the_standard_library_does() {
        for text in [
            "",
            "a",
            "\n",
            "\n\n",
            "\n\n\n",
            "\n\n\n\n",
            "a\n\nb",
            "a\n\n\nb",
            "a\n\n\n\nb\n\n",
            "\n\na\nb\n",
            "第一段。\n\n第二段。\n第三行",
        ] {
            let ours: Vec<&str> = split_blank_lines(text).collect();
            assert_eq!(ours, text.split("\n\n").collect::<Vec<_>>(), "{text:?}");
        }
    }

    #[test]
    fn lines_split_as_the_standard_library_does() {
        for text in [
            "",
            "a",
            "\n",
            "\n\n",
            "a\n",
            "a\nb",
            "a\r\nb\r\n",
            "a\r",
            "\r\n",
            "\na\n\nb\n\n",
            "第一段。\n第二行\r\n\n第三行",
        ] {
            let split: Vec<&str> = split_lines(text).collect();
            assert_eq!(split, text.split('\n').collect::<Vec<_>>(), "{text:?}");
            let ls: Vec<&str> = lines(text).collect();
            assert_eq!(ls, text.lines().collect::<Vec<_>>(), "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_cut_as_the_standard_library_cuts_it(text in "[a\n\r中 ]{0,24}") {
            proptest::prop_assert_eq!(
                split_blank_lines(&text).collect::<Vec<_>>(),
                text.split("\n\n").collect::<Vec<_>>()
            );
            proptest::prop_assert_eq!(
                split_lines(&text).collect::<Vec<_>>(),
                text.split('\n').collect::<Vec<_>>()
            );
            proptest::prop_assert_eq!(
                lines(&text).collect::<Vec<_>>(),
                text.lines().collect::<Vec<_>>()
            );
        }
    }
}
