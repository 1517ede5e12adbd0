//! The `scour` binary: the command line, progress, outputs and reports around
//! the three stage libraries (see DESIGN.md).

mod cli;
mod commit;
mod input;
mod output;
mod parquet;
mod pipeline;
mod report;
mod settings;

use std::process::ExitCode;
use std::sync::Arc;

/// mimalloc instead of glibc's malloc: the run allocates strings on the
/// workers and frees many of them on other threads (the emitting thread, the
/// writer), which glibc's per-thread arenas make slow; mimalloc frees them
/// without a lock. The same output, faster: see the README's Performance.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{CommandFactory, Parser};

use cli::{Cli, Command};
use input::TerminalStdin;
use pipeline::Source;
use settings::{
    dedup_settings, max_record_line, normalize_options, rules, strip_settings, Settings,
};

/// Exit statuses (DESIGN.md): rejected documents are not failures.
#[derive(Clone, Copy)]
enum Exit {
    Success = 0,
    Failure = 1,
    Usage = 2,
}

fn main() -> ExitCode {
    no_huge_pages();
    let cli = Cli::parse();
    commit::clean_up_on_interrupt();
    match run(cli) {
        Ok(()) => ExitCode::from(Exit::Success as u8),
        Err(e) if output::is_broken_pipe(&e) => ExitCode::from(Exit::Success as u8),
        Err(e) if e.is::<commit::UsageError>() => {
            eprintln!("scour: error: {e:#}");
            ExitCode::from(Exit::Usage as u8)
        }
        Err(e) => {
            eprintln!("scour: {e:#}");
            ExitCode::from(Exit::Failure as u8)
        }
    }
}

/// Turns transparent huge pages off for this process. mimalloc asks the
/// kernel for them on its arenas (`madvise(MADV_HUGEPAGE)`), and a run's
/// memory is many short-lived blocks, purged and touched again: each first
/// touch of a 2 MiB region then faulted in a whole huge page, zeroed by the
/// kernel. On the 990 web pages at `-j 1` that zeroing was 14 % of the
/// run's CPU samples (`perf record`), the system time 0.29-0.32 s against
/// 0.08 s without, and the peak RSS 100 MB against 65 MB; the user time did
/// not change. The same as `MIMALLOC_ALLOW_THP=0`, which mimalloc reads
/// only from the environment; the flag also holds where THP is `always`.
/// An error (a kernel without the flag) leaves the default.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let (settings, source) = match cli.command {
        Command::Run(a) => {
            let mut s = Settings::new("run", &a.common);
            s.normalize = Some(normalize_options(&a.normalize));
            let strip = strip_settings(&a.strip)?;
            s.dedup = Some(dedup_settings(&a.dedup, strip.rules.clone()));
            s.strip = Some(strip);
            (s, Source::Dumps(a.inputs.inputs))
        }
        Command::Normalize(a) => {
            let mut s = Settings::new("normalize", &a.common);
            s.normalize = Some(normalize_options(&a.normalize));
            (s, Source::Dumps(a.inputs.inputs))
        }
        Command::Strip(a) => {
            let mut s = Settings::new("strip", &a.common);
            s.max_record_line = max_record_line(&a.records);
            s.strip = Some(strip_settings(&a.strip)?);
            (s, Source::Records(a.inputs))
        }
        Command::Dedup(a) => {
            let mut s = Settings::new("dedup", &a.common);
            s.max_record_line = max_record_line(&a.records);
            s.dedup = Some(dedup_settings(&a.dedup, Arc::new(rules(&a.rules)?)));
            (s, Source::Records(a.inputs))
        }
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "scour", &mut std::io::stdout());
            return Ok(());
        }
        Command::Man { subcommand, dir } => return man(subcommand.as_deref(), dir.as_deref()),
    };
    check_stdin(settings.command, &source, settings.quiet);
    check_outputs(&settings)?;
    let quiet = settings.quiet;
    let report = pipeline::execute(&settings, source)?;
    if !quiet {
        eprintln!("{}", report.summary());
    }
    Ok(())
}

/// `scour man`: the top page, one subcommand's page (named `scour-run`, as
/// the top page's SEE ALSO names it), or every page into a folder.
fn man(subcommand: Option<&str>, dir: Option<&std::path::Path>) -> anyhow::Result<()> {
    use anyhow::Context as _;
    let mut cmd = Cli::command();
    if let Some(dir) = dir {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        clap_mangen::generate_to(cmd, dir)
            .with_context(|| format!("cannot write the man pages into {}", dir.display()))?;
        return Ok(());
    }
    let page = match subcommand {
        None => cmd,
        Some(name) => {
            cmd.build();
            // Built, a subcommand's display name is `scour-run`: its page's name.
            cmd.find_subcommand(name).cloned().with_context(|| {
                let names: Vec<&str> = cmd.get_subcommands().map(clap::Command::get_name).collect();
                format!("no subcommand `{name}`; pages: {}", names.join(", "))
            })?
        }
    };
    let mut buf = Vec::new();
    clap_mangen::Man::new(page).render(&mut buf)?;
    std::io::Write::write_all(&mut std::io::stdout(), &buf)?;
    Ok(())
}

/// Two outputs naming one file would each overwrite the other: a usage
/// error (exit 2) before any work.
fn check_outputs(s: &Settings) -> Result<(), commit::UsageError> {
    let dedup = s.dedup.as_ref();
    let outputs: Vec<(&str, &std::path::Path)> = [
        ("-o", s.output.as_deref()),
        ("--rejects", s.rejects.as_deref()),
        ("--report", s.report.as_deref()),
        ("--dups", dedup.and_then(|d| d.dups.as_deref())),
        ("--index", dedup.and_then(|d| d.index.as_deref())),
    ]
    .into_iter()
    .filter_map(|(flag, p)| Some((flag, p?)))
    .collect();
    commit::check_distinct(&outputs)
}

/// Reading a terminal in silence looks like a hang (issue 16): with no input
/// named, a terminal on stdin is a usage error (exit 2) saying what to pass;
/// `-` reads it, after a note saying what it waits for.
fn check_stdin(command: &str, source: &Source, quiet: bool) {
    let (Source::Dumps(args) | Source::Records(args)) = source;
    match input::terminal_stdin(args) {
        TerminalStdin::NotRead => {}
        TerminalStdin::Named => {
            if !quiet {
                eprintln!("scour {command}: reading stdin from the terminal; end it with Ctrl-D");
            }
        }
        TerminalStdin::Unnamed => {
            let mut cli = Cli::command();
            cli.build();
            let sub = cli
                .find_subcommand_mut(command)
                .expect("every command is a subcommand");
            sub.error(
                clap::error::ErrorKind::MissingRequiredArgument,
                "no input given, and stdin is a terminal: name the files or \
                 directories to read, or pass `-` to type or paste them here",
            )
            .exit();
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_os = "linux")]
    #[test]
    fn huge_pages_are_off_for_the_process() {
        super::no_huge_pages();
        assert_eq!(
            rustix::thread::transparent_huge_pages_are_disabled().ok(),
            Some(true)
        );
    }
}
