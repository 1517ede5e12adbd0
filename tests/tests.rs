//! End-to-end tests of the `scour` binary, linked into one test binary.

mod shared;
mod util;

mod cli;
mod corpus;
mod dedup_check;
mod eval;
mod formats;
mod index;
mod makefile;
mod parquet_input;
mod pipes;
mod props;
mod regression;
mod reliability;
mod samples;
mod web;
