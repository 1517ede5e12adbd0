//! Arbitrary bytes through `scour_dedup::Index::read_from`: no panic (a
//! damaged, truncated or foreign file is an error), and every index it
//! accepts round-trips: written with `write_to` and read back, it is equal,
//! and writing it again gives the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scour_dedup::Index;

fuzz_target!(|data: &[u8]| {
    let Ok(index) = Index::read_from(data) else {
        return;
    };
    let mut bytes = Vec::new();
    index.write_to(&mut bytes).expect("writing to memory");
    let again = Index::read_from(bytes.as_slice()).expect("a written index reads back");
    assert_eq!(again, index, "round trip changed the index");
    let mut twice = Vec::new();
    again.write_to(&mut twice).expect("writing to memory");
    assert_eq!(twice, bytes, "second write differs");
});
