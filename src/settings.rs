//! Flags become stage options here, and only here: the libraries never see
//! clap.

use std::path::PathBuf;

use anyhow::{Context, Result};

use std::sync::Arc;

use crate::cli::{Common, DedupFlags, NormalizeFlags, RecordFlags, RulesFlags, StripFlags};

/// Everything a run needs, resolved from the command line.
pub(crate) struct Settings {
    pub(crate) command: &'static str,
    pub(crate) output: Option<PathBuf>,
    pub(crate) rejects: Option<PathBuf>,
    pub(crate) report: Option<PathBuf>,
    pub(crate) jobs: usize,
    pub(crate) quiet: bool,
    pub(crate) verbose: bool,
    pub(crate) normalize: Option<scour_normalize::Options>,
    /// Strip and dedup: the longest JSONL line of a record read, in bytes.
    pub(crate) max_record_line: usize,
    pub(crate) strip: Option<StripSettings>,
    pub(crate) dedup: Option<DedupSettings>,
}

pub(crate) struct StripSettings {
    pub(crate) rules: Arc<scour_strip::Rules>,
    pub(crate) options: scour_strip::Options,
    pub(crate) explain: bool,
}

pub(crate) struct DedupSettings {
    pub(crate) options: scour_dedup::Options,
    /// The rules a record that loses repeated blocks is stripped again
    /// with (`scour_strip::strip_again`): strip's.
    pub(crate) rules: Arc<scour_strip::Rules>,
    pub(crate) dups: Option<PathBuf>,
    pub(crate) index: Option<PathBuf>,
    pub(crate) text_dir: Option<PathBuf>,
}

impl Settings {
    pub(crate) fn new(command: &'static str, c: &Common) -> Settings {
        let jobs = c.jobs.map_or_else(
            || std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
            usize::from,
        );
        Settings {
            command,
            // `-o -` is stdout, as an input `-` is stdin.
            output: c.output.clone().filter(|p| p.as_os_str() != "-"),
            rejects: c.rejects.clone(),
            report: c.report.clone(),
            jobs,
            quiet: c.quiet,
            verbose: c.verbose,
            normalize: None,
            max_record_line: usize::MAX,
            strip: None,
            dedup: None,
        }
    }
}

pub(crate) fn normalize_options(f: &NormalizeFlags) -> scour_normalize::Options {
    // The flags' defaults are the library's (cli.rs reads its constants).
    scour_normalize::Options {
        text_fields: f.text_fields.clone(),
        title_fields: f.title_fields.clone(),
        url_fields: f.url_fields.clone(),
        max_doc_bytes: f.max_doc_bytes,
    }
}

/// The longest record line `scour strip` and `scour dedup` read: a whole
/// dump file's limit (4 × `--max-doc-bytes`) and the margin its reader
/// allows (64 KiB), as a record carries one document of at most
/// `--max-doc-bytes`, plus what was removed from it and JSON's escapes.
pub(crate) fn max_record_line(f: &RecordFlags) -> usize {
    f.max_doc_bytes.saturating_mul(4).saturating_add(64 << 10)
}

pub(crate) fn strip_settings(f: &StripFlags) -> Result<StripSettings> {
    Ok(StripSettings {
        rules: Arc::new(rules(&f.rules)?),
        options: scour_strip::Options {
            markdown: f.markdown,
            keep_empty: f.keep_empty,
        },
        explain: f.explain,
    })
}

/// The built-in pack (unless `--no-builtin-rules`), then each `--rules`.
pub(crate) fn rules(f: &RulesFlags) -> Result<scour_strip::Rules> {
    let mut texts = Vec::new();
    if !f.no_builtin_rules {
        texts.push(scour_strip::WECHAT_RULES.to_owned());
    }
    for path in &f.rules {
        let text = read_rules(path)?;
        texts.push(text);
    }
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    scour_strip::Rules::from_toml(&refs)
        .context("the rules do not compile; see the reference in crates/strip/rules/wechat.toml")
}

pub(crate) fn dedup_settings(f: &DedupFlags, rules: Arc<scour_strip::Rules>) -> DedupSettings {
    DedupSettings {
        rules,
        options: scour_dedup::Options {
            threshold: f.threshold,
            min_repeat: f.min_repeat,
            ..scour_dedup::Options::default()
        },
        dups: f.dups.clone(),
        index: f.index.clone(),
        text_dir: f.text_dir.clone(),
    }
}

/// A rules file is small: one that goes on past this (`/dev/zero`) is an
/// error, not a read without end.
const RULES_MAX: u64 = 16 << 20;

fn read_rules(path: &std::path::Path) -> Result<String> {
    use std::io::Read;
    let shown = crate::commit::shown(path);
    let f =
        std::fs::File::open(path).with_context(|| format!("cannot read the rules file {shown}"))?;
    let mut bytes = Vec::new();
    f.take(RULES_MAX + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read the rules file {shown}"))?;
    if bytes.len() as u64 > RULES_MAX {
        anyhow::bail!(
            "the rules file {shown} is larger than {}; a rule pack is a small TOML file",
            scour_normalize::human_bytes(RULES_MAX)
        );
    }
    String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("the rules file {shown} is not UTF-8 text"))
}
