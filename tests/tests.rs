//! End-to-end tests of the `scour` binary, linked into one test binary.

mod util;

mod cli;
mod corpus;
mod eval;
mod pipes;
mod samples;
