//! Arbitrary bytes through `scour_record::JsonlReader`: no panic, and every
//! record it accepts round-trips: written with `to_jsonl_line` and read
//! back, it is equal, and writing it again gives the same line; the line
//! is what serde_json's serializer of `Doc` writes (`to_jsonl_line` writes
//! it by hand).
#![no_main]

use libfuzzer_sys::fuzz_target;
use scour_record::{to_jsonl_line, JsonlReader};

fuzz_target!(|data: &[u8]| {
    for doc in JsonlReader::new(data).flatten() {
        let line = to_jsonl_line(&doc);
        let reference = serde_json::to_string(&doc).expect("a record serializes");
        assert_eq!(
            line[..line.len() - 1],
            reference,
            "the line is not serde_json's"
        );
        assert!(line.ends_with('\n') && !line[..line.len() - 1].contains('\n'));
        let mut back = JsonlReader::new(line.as_bytes());
        let again = back
            .next()
            .expect("a written line reads back")
            .unwrap_or_else(|e| panic!("written line does not parse: {e}\n{line}"));
        assert!(back.next().is_none(), "one line wrote more than one record");
        assert_eq!(again, doc, "round trip changed the record\n{line}");
        assert_eq!(to_jsonl_line(&again), line, "second write differs");
    }
});
