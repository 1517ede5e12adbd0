//! Arbitrary strings through `canonical_url`: no panic, and the canonical
//! form is a fixed point: `canonical_url(c) == Some(c)`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scour_normalize::canonical_url;

fuzz_target!(|data: &[u8]| {
    let Some(raw) = scour_fuzz::as_str(data) else {
        return;
    };
    if let Some(c) = canonical_url(raw) {
        assert_eq!(
            canonical_url(&c).as_deref(),
            Some(c.as_str()),
            "canonical form of {raw:?} is not canonical"
        );
    }
});
