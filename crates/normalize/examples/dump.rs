//! Prints the normalized records of the files given as arguments, one JSON
//! object a line (a debugging aid: `cargo run -p scour-normalize --example dump FILE`).
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line debugging aid"
)]

fn main() {
    let opts = scour_normalize::Options::default();
    for path in std::env::args().skip(1) {
        let Ok(bytes) = std::fs::read(&path) else {
            eprintln!("cannot read {path}");
            continue;
        };
        for doc in scour_normalize::normalize(&path, &bytes, &opts) {
            println!("{}", serde_json::to_string(&doc).unwrap_or_default());
        }
    }
}
