//! The command line, as clap sees it. Flags become stage options in
//! `settings.rs`; nothing else reads these types.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use scour_dedup::Options as DedupOptions;
use scour_normalize::Options as NormalizeOptions;

/// Clean scraped dumps of WeChat (and other) articles into records ready for
/// analysis.
///
/// scour reads dump files (HTML pages, markdown or text with front matter,
/// JSON/JSONL, RSS/Atom, WARC; gzip or zstd compressed or not), keeps the text
/// the author wrote, moves bylines and sources into fields, removes the page's
/// furniture and the account's promos (recording every removal and the rule
/// that made it), and sets aside duplicates. Records are JSONL on stdout or in
/// `-o FILE`; messages go to stderr.
///
/// Exit status: 0 success (rejected documents are not failures; they are
/// counted and written to --rejects), 1 the run failed (unreadable output
/// path, bad rules file, bad index), 2 usage error, 130 interrupted (outputs
/// keep their previous content).
#[derive(Debug, Parser)]
#[command(
    name = "scour",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Normalize, strip and deduplicate: dump files in, clean records out.
    #[command(after_long_help = RUN_EXAMPLES)]
    Run(RunArgs),
    /// Read dump files into records (decode, parse, fields, canonical URLs).
    ///
    /// The body is left as canonical markdown for `scour strip`.
    Normalize(NormalizeArgs),
    /// Remove page furniture and promos from records (JSONL in, JSONL out).
    Strip(StripArgs),
    /// Set aside duplicate records (JSONL in, JSONL out).
    Dedup(DedupArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print a man page (roff) on stdout, or write every page into a folder.
    ///
    /// `scour man` prints scour(1), `scour man run` prints scour-run(1);
    /// `scour man --dir DIR` writes scour.1 and one page per subcommand.
    Man {
        /// The subcommand whose page to print (run, normalize, strip, dedup, …).
        #[arg(value_name = "SUBCOMMAND", conflicts_with = "dir")]
        subcommand: Option<String>,
        /// Write every page (scour.1, scour-run.1, …) into DIR.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

const RUN_EXAMPLES: &str = "\
Examples:
  Clean a directory of dumps into one file, with everything set aside kept too:
    scour run dumps/ -o clean.jsonl --dups dups.jsonl --rejects rejects.jsonl --report report.json

  Today's dump, deduplicated against everything kept before:
    scour run raw/2026-11-28 -o clean/2026-11-28.jsonl --index seen.idx

  Check what the rules remove from your own dump:
    scour run dumps/one-page.html --explain -o /dev/null

  The same, stage by stage through pipes (same bytes as `scour run`):
    scour normalize dumps/ | scour strip | scour dedup > clean.jsonl";

/// Flags every subcommand has.
#[derive(Debug, Args)]
pub(crate) struct Common {
    /// Write records to FILE instead of stdout (`-`: stdout). Written to a
    /// temporary file beside it and renamed at the end, so FILE is whole or
    /// untouched.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// Write rejected documents (not articles, unreadable, empty after
    /// stripping) to FILE, each with `origin` and `reject_reason`.
    #[arg(long, value_name = "FILE")]
    pub(crate) rejects: Option<PathBuf>,
    /// Write a JSON report (counts of read, kept, duplicates, rejected; rejects
    /// by reason; removals by family; bytes; time) to FILE.
    #[arg(long, value_name = "FILE")]
    pub(crate) report: Option<PathBuf>,
    /// Worker threads [default: number of cores]. Output is byte-identical at
    /// any value.
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub(crate) jobs: Option<u16>,
    /// Print nothing but errors.
    #[arg(short, long, conflicts_with = "verbose")]
    pub(crate) quiet: bool,
    /// Print a line per input file and per rejected document.
    #[arg(short, long)]
    pub(crate) verbose: bool,
}

/// Inputs: files, directories, or `-`.
#[derive(Debug, Args)]
pub(crate) struct Inputs {
    /// Dump files or directories (walked recursively in sorted order, skipping
    /// hidden entries); `-` reads stdin. None: stdin, unless it is a terminal
    /// (then pass `-` to type or paste).
    #[arg(value_name = "DUMP")]
    pub(crate) inputs: Vec<PathBuf>,
}

/// Normalizer flags.
#[derive(Debug, Args)]
pub(crate) struct NormalizeFlags {
    /// JSON field holding the body; repeat to try several in order. A
    /// Parquet file's (`*.parquet` input) rows are read as JSON records with
    /// their columns as fields, so this names their body column too.
    #[arg(long = "text-field", value_name = "NAME",
          default_values_t = NormalizeOptions::DEFAULT_TEXT_FIELDS.map(String::from))]
    pub(crate) text_fields: Vec<String>,
    /// JSON field holding the title; repeat to try several in order.
    #[arg(long = "title-field", value_name = "NAME",
          default_values_t = NormalizeOptions::DEFAULT_TITLE_FIELDS.map(String::from))]
    pub(crate) title_fields: Vec<String>,
    /// JSON field holding the URL; repeat to try several in order.
    #[arg(long = "url-field", value_name = "NAME",
          default_values_t = NormalizeOptions::DEFAULT_URL_FIELDS.map(String::from))]
    pub(crate) url_fields: Vec<String>,
    /// Reject documents larger than this many bytes (after decompression)
    /// with reason `too-large`.
    #[arg(long, value_name = "BYTES", default_value_t = NormalizeOptions::DEFAULT_MAX_DOC_BYTES)]
    pub(crate) max_doc_bytes: usize,
}

/// The rule packs strip uses (`scour dedup` too: it strips again a record
/// that loses repeated blocks).
#[derive(Debug, Args)]
pub(crate) struct RulesFlags {
    /// A rule pack (TOML) to add to the built-in WeChat pack; repeatable.
    /// (`scour dedup` strips again with them each record that loses
    /// repeated blocks: give it the packs `scour strip` was given.)
    #[arg(long = "rules", value_name = "FILE")]
    pub(crate) rules: Vec<PathBuf>,
    /// Use only the --rules packs, not the built-in WeChat pack.
    #[arg(long, requires = "rules")]
    pub(crate) no_builtin_rules: bool,
}

/// Strip flags.
#[derive(Debug, Args)]
pub(crate) struct StripFlags {
    #[command(flatten)]
    pub(crate) rules: RulesFlags,
    /// Keep markdown syntax (emphasis, links, images) in the body.
    #[arg(long)]
    pub(crate) markdown: bool,
    /// Emit documents whose body is empty after stripping instead of
    /// rejecting them with reason `empty`.
    #[arg(long)]
    pub(crate) keep_empty: bool,
    /// Print on stderr, per document, what was removed and by which rule.
    #[arg(long)]
    pub(crate) explain: bool,
}

/// Dedup flags.
#[derive(Debug, Args)]
pub(crate) struct DedupFlags {
    /// Write the records set aside as duplicates to FILE, each with
    /// `duplicate_of`, `dup_kind` (url, exact, near) and `similarity`.
    #[arg(long, value_name = "FILE")]
    pub(crate) dups: Option<PathBuf>,
    /// Jaccard similarity of bodies' character 5-grams at which two records
    /// are near-duplicates.
    #[arg(long, value_name = "J", default_value_t = DedupOptions::DEFAULT_THRESHOLD, value_parser = parse_threshold)]
    pub(crate) threshold: f64,
    /// A block found in at least this many documents of one source is that
    /// source's boilerplate and is removed from all of them; 0 turns this
    /// off (1 counts as 2: a block seen once is not repeated).
    #[arg(long, value_name = "N", default_value_t = DedupOptions::DEFAULT_MIN_REPEAT)]
    pub(crate) min_repeat: usize,
    /// Deduplicate against what earlier runs kept, and add what this run keeps:
    /// read FILE if it exists, write it back (atomically) at the end.
    #[arg(long, value_name = "FILE")]
    pub(crate) index: Option<PathBuf>,
    /// Also write each kept record's body as a text file (front matter, then
    /// the body) into DIR, at its input path relative to the DUMP argument,
    /// plus `@L<line>` for files of many records.
    #[arg(long, value_name = "DIR")]
    pub(crate) text_dir: Option<PathBuf>,
}

fn parse_threshold(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .parse()
        .map_err(|_| format!("`{s}` is not a number; give a similarity such as 0.8"))?;
    if (0.0..=1.0).contains(&v) && v > 0.0 {
        Ok(v)
    } else {
        Err(format!(
            "{v} is outside (0, 1]; give a similarity such as 0.8"
        ))
    }
}

#[derive(Debug, Args)]
pub(crate) struct RunArgs {
    #[command(flatten)]
    pub(crate) inputs: Inputs,
    #[command(flatten)]
    pub(crate) common: Common,
    #[command(flatten)]
    pub(crate) normalize: NormalizeFlags,
    #[command(flatten)]
    pub(crate) strip: StripFlags,
    #[command(flatten)]
    pub(crate) dedup: DedupFlags,
}

#[derive(Debug, Args)]
pub(crate) struct NormalizeArgs {
    #[command(flatten)]
    pub(crate) inputs: Inputs,
    #[command(flatten)]
    pub(crate) common: Common,
    #[command(flatten)]
    pub(crate) normalize: NormalizeFlags,
}

#[derive(Debug, Args)]
pub(crate) struct StripArgs {
    /// JSONL files of records (from `scour normalize`); `-` reads stdin, and so
    /// does nothing unless stdin is a terminal.
    #[arg(value_name = "JSONL")]
    pub(crate) inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub(crate) common: Common,
    #[command(flatten)]
    pub(crate) records: RecordFlags,
    #[command(flatten)]
    pub(crate) strip: StripFlags,
}

#[derive(Debug, Args)]
pub(crate) struct DedupArgs {
    /// JSONL files of records (from `scour strip`); `-` reads stdin, and so
    /// does nothing unless stdin is a terminal.
    #[arg(value_name = "JSONL")]
    pub(crate) inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub(crate) common: Common,
    #[command(flatten)]
    pub(crate) records: RecordFlags,
    #[command(flatten)]
    pub(crate) dedup: DedupFlags,
    #[command(flatten)]
    pub(crate) rules: RulesFlags,
}

/// Flags of the subcommands that read records (strip, dedup).
#[derive(Debug, Args)]
pub(crate) struct RecordFlags {
    /// Reject records whose JSONL line is longer than 4 × BYTES and 64 KiB
    /// (what `scour normalize` reads of a whole file: a record holds one
    /// document of at most BYTES, with its removals and JSON escapes) with
    /// reason `too-large`; such a line is read and discarded, not held.
    #[arg(long, value_name = "BYTES", default_value_t = NormalizeOptions::DEFAULT_MAX_DOC_BYTES)]
    pub(crate) max_doc_bytes: usize,
}
