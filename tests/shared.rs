//! The data beside the repository (`../shared`: the corpus and the benchmark
//! captures) that some tests read, found the same way by every crate that
//! tests against it: the crates include this one file with `#[path]`.
//!
//! A test that needs the data fails when it is absent, so that `make test`
//! cannot pass by skipping (issue 16), unless `SCOUR_SKIP_CORPUS=1` asks to
//! skip such tests; then each says so on stderr, and `make test` prints a
//! line saying the corpus tests were skipped.

use std::path::{Path, PathBuf};

/// The variable that opts out of the tests that read `../shared`.
const SKIP: &str = "SCOUR_SKIP_CORPUS";

/// `../shared/{rel}` beside the repository, for a test to read; `None` when
/// `SCOUR_SKIP_CORPUS=1` (whether or not it is there), noted on stderr with
/// the test's name.
///
/// # Panics
/// When `../shared/{rel}` is missing and the variable is not `1`: the
/// message names what is missing and how to skip.
pub(crate) fn require(rel: &str) -> Option<PathBuf> {
    let current = std::thread::current();
    let test = current.name().unwrap_or("this test");
    if std::env::var_os(SKIP).is_some_and(|v| v == "1") {
        eprintln!("skipped {test}: it reads ../shared/{rel} and {SKIP}=1");
        return None;
    }
    let path = repository().join("../shared").join(rel);
    assert!(
        path.exists(),
        "{test} reads {}, which is missing: put the shared corpus (`shared/`) \
         beside this checkout, or set {SKIP}=1 to skip the tests that read it",
        path.display()
    );
    Some(path)
}

/// The workspace root: the nearest folder above the including crate that
/// holds `Cargo.lock`.
fn repository() -> &'static Path {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .find(|d| d.join("Cargo.lock").is_file())
        .unwrap_or(manifest)
}
