use std::io::{BufRead, Write};

use crate::{Doc, Error, Result};

/// Reads [`Doc`]s from JSONL: one JSON object a line, blank lines skipped.
///
/// A bad line yields an [`Error::Line`] naming it, and reading goes on with the
/// next line, so one broken record never hides the others. A line longer
/// than [`JsonlReader::with_max_line`]'s limit yields an [`Error::TooLong`]
/// after being read to its end and discarded, so memory stays bounded
/// whatever the input.
pub struct JsonlReader<R> {
    input: R,
    line: u64,
    buf: Vec<u8>,
    max_line: usize,
}

impl<R: BufRead> JsonlReader<R> {
    /// Wraps a buffered reader.
    pub fn new(input: R) -> Self {
        JsonlReader {
            input,
            line: 0,
            buf: Vec::new(),
            max_line: usize::MAX,
        }
    }

    /// Lines longer than `max` bytes (surrounding whitespace included) are
    /// read and discarded, not held, each an [`Error::TooLong`]. Default:
    /// no limit.
    #[must_use]
    pub fn with_max_line(mut self, max: usize) -> Self {
        self.max_line = max;
        self
    }

    /// The 1-based number of the last line read.
    pub fn line(&self) -> u64 {
        self.line
    }
}

impl<R: BufRead> JsonlReader<R> {
    /// The next line that is not blank, unparsed (surrounding whitespace
    /// trimmed), with its 1-based number: for callers that parse lines on
    /// several threads with [`parse_jsonl_line`]. Iterating parses them here.
    pub fn next_raw(&mut self) -> Option<Result<(u64, Vec<u8>)>> {
        loop {
            self.buf.clear();
            match self.read_line() {
                Ok(None) => return None,
                Ok(Some(())) => {}
                Err(e) => return Some(Err(e)),
            }
            let bytes = trim_ascii(&self.buf);
            if bytes.is_empty() {
                continue;
            }
            return Some(Ok((self.line, bytes.to_vec())));
        }
    }
}

impl<R: BufRead> JsonlReader<R> {
    /// Reads the next line into `buf` (`None` at the end), counting it; a
    /// line past `max_line` is consumed to its newline without being kept.
    fn read_line(&mut self) -> Result<Option<()>> {
        // `read_until` with a bound: `fill_buf` hands out what the reader
        // holds, and only up to the limit of it is copied.
        // Bytes of the line, its newline excluded.
        let mut size = 0u64;
        let mut read_any = false;
        let mut too_long = false;
        loop {
            let chunk = match self.input.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Error::Io(e)),
            };
            if chunk.is_empty() {
                if !read_any {
                    return Ok(None);
                }
                break;
            }
            read_any = true;
            let (used, ended) = match memchr::memchr(b'\n', chunk) {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            size += (used - usize::from(ended)) as u64;
            if !too_long && size > self.max_line as u64 {
                too_long = true;
                self.buf = Vec::new();
            }
            if !too_long {
                self.buf.extend_from_slice(&chunk[..used]);
            }
            self.input.consume(used);
            if ended {
                break;
            }
        }
        self.line += 1;
        if too_long {
            return Err(Error::TooLong {
                line: self.line,
                size,
                limit: self.max_line,
            });
        }
        Ok(Some(()))
    }
}

impl<R: BufRead> Iterator for JsonlReader<R> {
    type Item = Result<Doc>;

    fn next(&mut self) -> Option<Result<Doc>> {
        Some(
            self.next_raw()?
                .and_then(|(line, bytes)| parse_jsonl_line(&bytes, line)),
        )
    }
}

fn trim_ascii(mut b: &[u8]) -> &[u8] {
    while let [rest @ .., last] = b {
        if last.is_ascii_whitespace() {
            b = rest;
        } else {
            break;
        }
    }
    while let [first, rest @ ..] = b {
        if first.is_ascii_whitespace() {
            b = rest;
        } else {
            break;
        }
    }
    b
}

/// Parses one line of JSONL (as [`JsonlReader::next_raw`] gives it) into a
/// record; `line` is its 1-based number, for the error.
///
/// # Errors
/// [`Error::Line`] when the line is not UTF-8 or not a JSON object of a
/// record.
pub fn parse_jsonl_line(bytes: &[u8], line: u64) -> Result<Doc> {
    // simdutf8 validates several times faster; its error has no position,
    // so the standard one is asked for that.
    let text = simdutf8::basic::from_utf8(bytes)
        .or_else(|_| std::str::from_utf8(bytes))
        .map_err(|e| Error::Line {
            line,
            message: format!("invalid UTF-8 at byte {}", e.valid_up_to()),
        })?;
    if !text.starts_with('{') {
        return Err(Error::Line {
            line,
            message: "not a JSON object".to_owned(),
        });
    }
    serde_json::from_str(text).map_err(|e| Error::Line {
        line,
        message: e.to_string(),
    })
}

/// Writes one record as one line of JSONL.
///
/// # Errors
/// When the writer fails.
pub fn write_jsonl<W: Write>(out: &mut W, doc: &Doc) -> Result<()> {
    let line = to_jsonl_line(doc);
    out.write_all(line.as_bytes())?;
    Ok(())
}

/// One record as a JSONL line, newline included.
#[must_use]
pub fn to_jsonl_line(doc: &Doc) -> String {
    let mut s = String::with_capacity(doc.text.len() + 256);
    crate::write::doc_json(doc, &mut s);
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DupKind, Family, Origin, Removal};

    fn roundtrip(line: &str) -> String {
        let doc = JsonlReader::new(line.as_bytes()).next().unwrap().unwrap();
        to_jsonl_line(&doc)
    }

    #[test]
    fn unknown_fields_pass_through_in_order() {
        let line = r#"{"id":"x","text":"正文","zeta":1,"alpha":{"nested":[1,2]},"tags":["a"]}"#;
        assert_eq!(roundtrip(line).trim_end(), line);
    }

    #[test]
    fn known_fields_come_out_in_declared_order() {
        let line = r#"{"title":"T","text":"B","id":"i","source":"S"}"#;
        assert_eq!(
            roundtrip(line).trim_end(),
            r#"{"id":"i","text":"B","title":"T","source":"S"}"#
        );
    }

    #[test]
    fn full_record_roundtrips() {
        let doc = Doc {
            id: "abc".into(),
            text: "一\n\n二".into(),
            title: Some("标题".into()),
            credits: vec!["编辑：靖宇".into()],
            origin: Origin {
                path: "a.md".into(),
                line: Some(3),
                format: "markdown".into(),
                ..Origin::default()
            },
            removed: vec![Removal {
                family: Family::Chrome,
                rule: "wechat/x".into(),
                text: "分享".into(),
            }],
            duplicate_of: Some("def".into()),
            dup_kind: Some(DupKind::Near),
            similarity: Some(0.8125),
            ..Doc::default()
        };
        let line = to_jsonl_line(&doc);
        let back = JsonlReader::new(line.as_bytes()).next().unwrap().unwrap();
        assert_eq!(back, doc);
        assert_eq!(to_jsonl_line(&back), line);
    }

    #[test]
    fn bad_lines_are_named_and_reading_goes_on() {
        let input = "{\"id\":\"a\"}\nnot json\n\n[1,2]\n{\"id\":\"b\"\n{\"id\":\"c\"}\n";
        let results: Vec<_> = JsonlReader::new(input.as_bytes()).collect();
        assert_eq!(results.len(), 5);
        assert_eq!(results[0].as_ref().unwrap().id, "a");
        assert_eq!(results[1].as_ref().unwrap_err().line(), Some(2));
        assert_eq!(results[2].as_ref().unwrap_err().line(), Some(4));
        assert_eq!(results[3].as_ref().unwrap_err().line(), Some(5));
        assert_eq!(results[4].as_ref().unwrap().id, "c");
    }

    #[test]
    fn invalid_utf8_is_an_error_not_a_panic() {
        let input: &[u8] = b"{\"id\":\"\xff\"}\n";
        let err = JsonlReader::new(input).next().unwrap().unwrap_err();
        assert!(err.to_string().contains("line 1"), "{err}");
    }
}

#[cfg(test)]
mod lossless_tests {
    use crate::{parse_jsonl_line, to_jsonl_line};

    /// Issue 15: unknown fields come out byte for byte as they came in
    /// (each kept as its raw JSON text): a number past u64 keeps its digits,
    /// `1.10` its zero, `1E5` its spelling (serde_json's own number type
    /// wrote `1e+5`), `1e400` (past f64) does not reject the record, a
    /// string its escapes, an object its spacing.
    #[test]
    fn passthrough_is_byte_for_byte() {
        let line = r#"{"id":"a","text":"x","big":12345678901234567890123,"huge":1e400,"f":1.10,"e":1E5,"n":-0.0e-0,"s":"\u00e9\/","o":{ "k" : [1 ,2] }}"#;
        let doc = parse_jsonl_line(line.as_bytes(), 1).unwrap();
        assert_eq!(to_jsonl_line(&doc).trim_end(), line);
        let again = parse_jsonl_line(to_jsonl_line(&doc).as_bytes(), 1).unwrap();
        assert_eq!(again, doc);
    }
}

#[cfg(test)]
mod bounded_tests {
    use crate::{Error, JsonlReader};

    /// Issue 15: `scour strip` and `scour dedup` read record lines without a
    /// bound. A line past the limit is consumed without being held (the
    /// reader's buffer never grows past the limit), is an `Error::TooLong`
    /// with its line and size, and the lines after it are read.
    #[test]
    fn a_line_past_the_limit_is_discarded_and_reading_goes_on() {
        let long = format!("{{\"text\":\"{}\"}}", "长".repeat(10_000));
        let input = format!("{{\"id\":\"a\"}}\n{long}\n\n{{\"id\":\"b\"}}\n{long}");
        // A small buffer, so that the long line comes in many pieces.
        let reader = std::io::BufReader::with_capacity(64, input.as_bytes());
        let mut r = JsonlReader::new(reader).with_max_line(100);
        assert_eq!(r.next().unwrap().unwrap().id, "a");
        match r.next().unwrap() {
            Err(Error::TooLong { line, size, limit }) => {
                assert_eq!((line, size, limit), (2, long.len() as u64, 100));
            }
            other => panic!("{other:?}"),
        }
        assert!(r.buf.capacity() <= 200, "{}", r.buf.capacity());
        assert_eq!(r.next().unwrap().unwrap().id, "b");
        // The last line, with no newline after it.
        let e = r.next().unwrap().unwrap_err();
        assert_eq!(e.line(), Some(5));
        assert!(r.next().is_none());
    }

    #[test]
    fn a_line_at_the_limit_is_read() {
        let line = r#"{"id":"甲"}"#;
        let input = format!("{line}\r\n{line}");
        let mut r = JsonlReader::new(input.as_bytes()).with_max_line(line.len() + 1);
        assert_eq!(r.next().unwrap().unwrap().id, "甲");
        assert_eq!(r.next().unwrap().unwrap().id, "甲");
        assert!(r.next().is_none());
    }
}
