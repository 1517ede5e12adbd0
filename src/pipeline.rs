//! The stages chained: inputs read and normalized and stripped in parallel,
//! emitted in input order, deduplicated, written.
//!
//! Work goes in batches: a batch of files (or JSONL records) is processed on
//! the thread pool while the previous batch's results are consumed here, in
//! input order, so memory is bounded by two batches and output bytes do not
//! depend on the number of threads. The directory walk feeds the batches
//! from its own thread; a large JSONL or WARC file (or stdin) is read a part
//! at a time, its parts spread over the pool; dedup's finish works on the
//! pool too, while a writer thread writes what it hands out.

use std::io::BufReader;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use scour_record::{parse_jsonl_line, to_jsonl_line, Doc, JsonlReader, Origin, RejectReason};

use crate::commit::{Commit, Temp, TextDir};
use crate::input::{self, Input, Opened};
use crate::output::{self, Sink};
use crate::report::Report;
use crate::settings::{DedupSettings, Settings, StripSettings};

/// Files per batch: enough to keep every core busy, small enough that memory
/// stays flat.
const FILE_BATCH: usize = 512;
/// A processed batch: each input's size and what the worker did with it.
type Processed = Vec<(u64, Work)>;

/// Files at least this large are read a part at a time (see
/// [`scour_normalize::open`]): a dump of a million JSONL records is spread
/// over every thread and never held whole.
const STREAM_BYTES: u64 = 4 << 20;
/// Bytes of records in a part of a large file.
const PART_BYTES: usize = 1 << 20;

/// What a worker made of an input.
enum Work {
    /// Its documents.
    Done(Vec<Item>),
    /// A large file (or stdin), left to be read a part at a time.
    Stream(Box<dyn std::io::Read + Send>),
}

/// A document ready to be emitted, with what the worker that made it could
/// do ahead: its JSONL line when it goes straight to an output, dedup's
/// preparing when dedup takes it. What the emitting thread does not read of
/// the document is dropped on the worker, so that it is not freed there.
struct Item {
    /// The document; for a reject, only what the emitting thread reads
    /// (origin, reason); a stand-in when dedup took it as `counted`.
    doc: Doc,
    line: Option<String>,
    counted: Option<scour_dedup::Counted>,
}

impl Item {
    /// `counter` is dedup's, when the document goes to dedup; `whole` keeps
    /// every document whole (for `--explain`).
    fn new(doc: Doc, counter: Option<&scour_dedup::Counter>, whole: bool) -> Item {
        match counter {
            Some(c) if !doc.is_rejected() && !whole => Item {
                doc: Doc::default(),
                line: None,
                counted: Some(c.count(doc)),
            },
            Some(_) if !doc.is_rejected() => Item {
                doc,
                line: None,
                counted: None,
            },
            _ => {
                let line = Some(to_jsonl_line(&doc));
                let doc = if doc.is_rejected() && !whole {
                    Doc {
                        origin: doc.origin,
                        reject_reason: doc.reject_reason,
                        reject_detail: doc.reject_detail,
                        ..Doc::default()
                    }
                } else {
                    doc
                };
                Item {
                    doc,
                    line,
                    counted: None,
                }
            }
        }
    }
}

/// Whether documents are kept whole to the end (`--explain` prints them).
fn whole(s: &Settings) -> bool {
    s.strip.as_ref().is_some_and(|st| st.explain)
}

/// JSONL records per batch, at most.
const RECORD_BATCH: usize = 2048;
/// A batch of JSONL records ends once its lines hold this many bytes, so
/// that long lines (each up to `max_record_line`) are not held 2048 at a
/// time.
const RECORD_BATCH_BYTES: usize = 16 << 20;

/// Where documents come from.
pub(crate) enum Source {
    /// Dump files, normalized.
    Dumps(Vec<PathBuf>),
    /// JSONL records from an earlier stage.
    Records(Vec<PathBuf>),
}

/// Runs a command end to end and returns its accounting: opens every
/// output (a temporary beside each target, so that an unwritable path fails
/// before any work), reads the inputs through [`Emitter`], finishes dedup,
/// and commits the outputs together (see [`crate::commit`]).
pub(crate) fn execute(s: &Settings, source: Source) -> Result<Report> {
    let (Source::Dumps(args) | Source::Records(args)) = &source;
    let args = args.clone();
    let outputs = Outputs::open(s)?;
    let deduper = match &s.dedup {
        Some(d) => Some(d.deduper()?),
        None => None,
    };
    let counter = deduper.as_ref().map(scour_dedup::Deduper::counter);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(s.jobs)
        .build()
        .context("starting worker threads")?;
    let Outputs {
        out,
        rejects,
        dups,
        report: report_tmp,
        index: index_tmp,
        text,
        index_lock,
    } = outputs;
    let mut em = Emitter {
        s,
        report: Report::new(s.command),
        out,
        rejects,
        dups,
        deduper,
        explain_color: output::stderr_is_terminal(),
    };
    match source {
        Source::Dumps(args) => run_dumps(&mut em, &args, counter.as_ref(), &pool)?,
        Source::Records(args) => run_records(&mut em, &args, counter.as_ref(), &pool)?,
    }
    // Files are counted by size as they are read; stdin, which has none, by
    // what was read from it.
    em.report.input_bytes += input::stdin_bytes();
    let mut commit = Commit::default();
    let report = finish(em, &pool, text, index_tmp, &args, &mut commit)?;
    if let Some(tmp) = report_tmp {
        let mut text = serde_json::to_string_pretty(&report.to_json()).unwrap_or_default();
        text.push('\n');
        commit.add(output::write_temp(tmp, text.as_bytes())?);
    }
    commit.commit()?;
    drop(index_lock);
    Ok(report)
}

/// The outputs of a run, opened before any work.
struct Outputs {
    out: Sink,
    rejects: Sink,
    dups: Sink,
    report: Option<Temp>,
    index: Option<Temp>,
    text: Option<TextDir>,
    /// Held until the new index is in place.
    index_lock: Option<std::fs::File>,
}

impl Outputs {
    fn open(s: &Settings) -> Result<Outputs> {
        let dedup = s.dedup.as_ref();
        let index = dedup.and_then(|d| d.index.as_deref());
        // The lock first: the index is read, then written, under it.
        let index_lock = index.map(crate::commit::lock_index).transpose()?;
        let file = |p: Option<&Path>| p.map(Temp::create).transpose();
        Ok(Outputs {
            out: Sink::records(s.output.as_deref())?,
            rejects: Sink::optional(s.rejects.as_deref())?,
            dups: Sink::optional(dedup.and_then(|d| d.dups.as_deref()))?,
            report: file(s.report.as_deref())?,
            index: file(index)?,
            text: dedup
                .and_then(|d| d.text_dir.as_deref())
                .map(TextDir::create)
                .transpose()?,
            index_lock,
        })
    }
}

/// Where every document goes, in input order: counted, explained, written
/// (rejects; records when there is no dedup) or handed to dedup.
struct Emitter<'s> {
    s: &'s Settings,
    report: Report,
    out: Sink,
    rejects: Sink,
    dups: Sink,
    deduper: Option<scour_dedup::Deduper>,
    explain_color: bool,
}

impl Emitter<'_> {
    fn emit(&mut self, item: Item) -> Result<()> {
        let Item { doc, line, counted } = item;
        let s = self.s;
        self.report.read += 1;
        if s.strip.as_ref().is_some_and(|st| st.explain) {
            eprint!("{}", scour_strip::explain(&doc, self.explain_color));
        }
        if doc.is_rejected() {
            if s.verbose || is_error_reason(&doc) && !s.quiet {
                eprintln!(
                    "scour: rejected {}: {}",
                    where_(&doc.origin),
                    crate::commit::escape_controls(&doc.reject_message().unwrap_or_default())
                );
            }
            self.report.reject(&doc);
            return match line {
                Some(l) => self.rejects.write_all(l.as_bytes()),
                None => self.rejects.write_doc(&doc),
            };
        }
        if let Some(d) = &mut self.deduper {
            match counted {
                Some(c) => d.push_counted(c),
                None => d.push(doc),
            }
            Ok(())
        } else {
            self.report.keep(&doc);
            match line {
                Some(l) => self.out.write_all(l.as_bytes()),
                None => self.out.write_doc(&doc),
            }
        }
    }

    /// Emits a processed batch of files, in order.
    fn emit_batch(
        &mut self,
        results: Processed,
        batch: &[Input],
        counter: Option<&scour_dedup::Counter>,
        pool: &rayon::ThreadPool,
        bar: &ProgressBar,
    ) -> Result<()> {
        for ((size, work), inp) in results.into_iter().zip(batch) {
            self.report.files += 1;
            self.report.input_bytes += size;
            let n = match work {
                Work::Done(docs) => {
                    let n = docs.len();
                    for d in docs {
                        self.emit(d)?;
                    }
                    n
                }
                Work::Stream(reader) => {
                    let s = self.s;
                    let names = (inp.display(), inp.id_path());
                    stream(&names, reader, s, counter, pool, &mut |item| {
                        self.emit(item)
                    })?
                }
            };
            if self.s.verbose {
                eprintln!(
                    "scour: {} ({n} documents)",
                    crate::commit::escape_controls(&inp.display())
                );
            }
            bar.inc(size);
        }
        bar.set_message(format!(
            "{} docs, {} rejected",
            self.report.read, self.report.rejected
        ));
        Ok(())
    }
}

/// Dump files, normalized and stripped on the pool a batch at a time while
/// the batch before is emitted.
fn run_dumps(
    em: &mut Emitter<'_>,
    args: &[PathBuf],
    counter: Option<&scour_dedup::Counter>,
    pool: &rayon::ThreadPool,
) -> Result<()> {
    let s = em.s;
    input::check(args)?;
    // With a progress bar the walk comes first, for its total (the report
    // counts the bytes each worker read); without one, the walk feeds the
    // batches as it goes.
    let walked = shows_progress(s).then(|| {
        let mut all = Vec::new();
        input::expand_into(args, true, &mut |i| all.push(i));
        all
    });
    let total: u64 = walked.iter().flatten().map(Input::size).sum();
    let bar = progress(s, total);
    std::thread::scope(|outer| -> Result<()> {
        let mut inputs: Box<dyn Iterator<Item = Input>> = if let Some(all) = walked {
            Box::new(all.into_iter())
        } else {
            let (tx, rx) = std::sync::mpsc::sync_channel(4 * FILE_BATCH);
            outer.spawn(move || {
                // Once the run has stopped reading, the rest of the walk
                // goes nowhere.
                input::expand_into(args, false, &mut |i| {
                    let _ = tx.send(i);
                });
            });
            Box::new(rx.into_iter())
        };
        // Batch N is processed on the pool while batch N-1 is emitted
        // (written, deduplicated) here: IO and dedup overlap the work.
        let mut pending: Option<(Processed, Vec<Input>)> = None;
        loop {
            let batch: Vec<Input> = inputs.by_ref().take(FILE_BATCH).collect();
            if batch.is_empty() {
                break;
            }
            let results = std::thread::scope(|scope| -> Result<Processed> {
                let worker = scope.spawn(|| {
                    pool.install(|| {
                        batch
                            .par_iter()
                            .map(|inp| read_and_process(inp, s, counter))
                            .collect::<Vec<_>>()
                    })
                });
                if let Some((prev, prev_batch)) = pending.take() {
                    em.emit_batch(prev, &prev_batch, counter, pool, &bar)?;
                }
                worker
                    .join()
                    .map_err(|_| anyhow::anyhow!("internal error: a worker thread panicked"))
            })?;
            pending = Some((results, batch));
        }
        if let Some((prev, prev_batch)) = pending.take() {
            em.emit_batch(prev, &prev_batch, counter, pool, &bar)?;
        }
        Ok(())
    })?;
    bar.finish_and_clear();
    Ok(())
}

/// JSONL records of an earlier stage: lines read here, parsed and stripped
/// on the pool a batch at a time.
fn run_records(
    em: &mut Emitter<'_>,
    args: &[PathBuf],
    counter: Option<&scour_dedup::Counter>,
    pool: &rayon::ThreadPool,
) -> Result<()> {
    let s = em.s;
    let inputs = input::expand(args, true)?;
    let bar = progress(s, inputs.iter().map(Input::size).sum());
    for inp in &inputs {
        em.report.files += 1;
        em.report.input_bytes += inp.size();
        let path = inp.display();
        let reader: Box<dyn std::io::BufRead> = match inp {
            Input::Stdin => Box::new(BufReader::with_capacity(1 << 16, input::Stdin::new())),
            Input::File { path, .. } => match std::fs::File::open(path) {
                Ok(f) => Box::new(BufReader::with_capacity(1 << 16, f)),
                Err(e) => {
                    let doc = reject(
                        &path.display().to_string(),
                        None,
                        RejectReason::Io,
                        e.to_string(),
                    );
                    em.emit(Item::new(doc, None, whole(s)))?;
                    continue;
                }
            },
            Input::Broken {
                path,
                reason,
                detail,
            } => {
                let doc = reject(&path.display().to_string(), None, *reason, detail.clone());
                em.emit(Item::new(doc, None, whole(s)))?;
                continue;
            }
        };
        let mut records = JsonlReader::new(reader).with_max_line(s.max_record_line);
        loop {
            // Lines are read here and parsed on the workers.
            let mut batch = Vec::with_capacity(RECORD_BATCH);
            let mut bytes = 0;
            while batch.len() < RECORD_BATCH && bytes < RECORD_BATCH_BYTES {
                let Some(r) = records.next_raw() else {
                    break;
                };
                bytes += r.as_ref().map_or(0, |(_, line)| line.len());
                batch.push(r);
            }
            if batch.is_empty() {
                break;
            }
            let items: Vec<Item> = pool.install(|| {
                batch
                    .into_par_iter()
                    .map(|r| {
                        let doc = r
                            .and_then(|(line, bytes)| parse_jsonl_line(&bytes, line))
                            .unwrap_or_else(|e| record_reject(&path, &e));
                        Item::new(stage_strip(doc, s.strip.as_ref()), counter, whole(s))
                    })
                    .collect()
            });
            for item in items {
                em.emit(item)?;
            }
            bar.set_message(format!("{} docs", em.report.read));
        }
    }
    bar.finish_and_clear();
    Ok(())
}

/// The end of the run: dedup's finish (its records written, the index
/// made), every output flushed to disk and handed to `commit`, the
/// accounting checked. Nothing is renamed here.
fn finish(
    em: Emitter<'_>,
    pool: &rayon::ThreadPool,
    text: Option<TextDir>,
    index_tmp: Option<Temp>,
    args: &[PathBuf],
    commit: &mut Commit,
) -> Result<Report> {
    let Emitter {
        s,
        mut report,
        mut out,
        mut rejects,
        mut dups,
        deduper,
        ..
    } = em;
    let mut text = text;
    let mut index = None;
    if let Some(d) = deduper {
        let sinks = [out, dups, rejects];
        let (sinks, finished) = finish_dedup(d, sinks, &mut report, text.as_mut(), args, pool)?;
        [out, dups, rejects] = sinks;
        index = Some(finished.index);
    }
    for t in output::finish_all([out, dups, rejects])? {
        commit.add(t);
    }
    if let (Some(mut tmp), Some(index)) = (index_tmp, index) {
        let target = tmp.target().to_owned();
        let mut w = std::io::BufWriter::new(&mut tmp);
        index
            .write_to(&mut w)
            .and_then(|()| std::io::Write::flush(&mut w).map_err(Into::into))
            .with_context(|| format!("writing the index {}", crate::commit::shown(&target)))?;
        drop(w);
        tmp.sync()?;
        commit.add(tmp);
    }
    if let Some(t) = text {
        commit.add_text_dir(t);
    }
    if !report.balanced() {
        anyhow::bail!(
            "internal error: read {} ≠ kept {} + duplicates {} + rejected {}",
            report.read,
            report.kept,
            report.duplicates,
            report.rejected
        );
    }
    let _ = s;
    Ok(report)
}

/// Dedup's finish: the per-record work and the serializing of each batch
/// it hands out run on the workers, and a writer thread writes the lines
/// while the next batch is worked on; the report (and `--text-dir`) is kept
/// here, in order.
fn finish_dedup(
    d: scour_dedup::Deduper,
    sinks: [Sink; 3],
    report: &mut Report,
    mut text: Option<&mut TextDir>,
    args: &[PathBuf],
    pool: &rayon::ThreadPool,
) -> Result<([Sink; 3], scour_dedup::Summary)> {
    let workers = PoolWorkers(pool);
    let (finished, sinks) = std::thread::scope(|scope| -> Result<_> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<(scour_dedup::Outcome, String)>>(4);
        let [mut o, mut du, mut r] = sinks;
        let writer = scope.spawn(move || -> Result<[Sink; 3]> {
            for batch in rx {
                for (outcome, line) in batch {
                    match outcome {
                        scour_dedup::Outcome::Kept => o.write_all(line.as_bytes())?,
                        scour_dedup::Outcome::Duplicate => du.write_all(line.as_bytes())?,
                        scour_dedup::Outcome::Rejected => r.write_all(line.as_bytes())?,
                    }
                }
            }
            Ok([o, du, r])
        });
        let finished = d.finish_batched(
            &workers,
            |batch: Vec<(scour_dedup::Outcome, Doc)>| -> Result<()> {
                for (outcome, doc) in &batch {
                    match outcome {
                        scour_dedup::Outcome::Kept => {
                            report.keep(doc);
                            if let Some(t) = text.as_deref_mut() {
                                t.write(
                                    output::text_rel_path(doc, args),
                                    &output::text_file_body(doc),
                                )?;
                            }
                        }
                        scour_dedup::Outcome::Duplicate => report.duplicate(doc),
                        scour_dedup::Outcome::Rejected => report.reject(doc),
                    }
                }
                // Serialized on the workers, which drop the documents too.
                let lines: Vec<(scour_dedup::Outcome, String)> = pool.install(|| {
                    batch
                        .into_par_iter()
                        .map(|(o, d)| (o, to_jsonl_line(&d)))
                        .collect()
                });
                // A writer that stopped on an error says why when joined;
                // the finish stops here.
                tx.send(lines)
                    .map_err(|_| anyhow::anyhow!("the writer stopped"))
            },
        );
        drop(tx);
        let sinks = writer
            .join()
            .map_err(|_| anyhow::anyhow!("internal error: the writer thread panicked"))?;
        Ok((finished, sinks))
    })?;
    let sinks = sinks?;
    Ok((sinks, finished?))
}

/// dedup's per-record work, on the run's thread pool.
struct PoolWorkers<'a>(&'a rayon::ThreadPool);

impl scour_dedup::Workers for PoolWorkers<'_> {
    fn map<T, U, F>(&self, items: Vec<T>, f: F) -> Vec<U>
    where
        T: Send,
        U: Send,
        F: Fn(T) -> U + Sync + Send,
    {
        self.0.install(|| items.into_par_iter().map(f).collect())
    }
}

/// Reads one input and runs it through normalize and strip: the bytes of
/// the file read (0 for stdin, counted once read) and the documents; a
/// large file or stdin is only opened, for [`stream`].
fn read_and_process(
    inp: &Input,
    s: &Settings,
    counter: Option<&scour_dedup::Counter>,
) -> (u64, Work) {
    let path = inp.display();
    if let (Some(opts), Input::File { path: file, .. }) = (&s.normalize, inp) {
        if crate::parquet::is_parquet(file) {
            let (size, docs) = parquet_records(&path, &inp.id_path(), file, opts);
            let items = docs
                .into_iter()
                .map(|d| Item::new(stage_strip(d, s.strip.as_ref()), counter, whole(s)))
                .collect();
            return (size, Work::Done(items));
        }
    }
    let limit = s.normalize.as_ref().map_or(usize::MAX, |o| o.max_doc_bytes);
    let (size, bytes) = match inp.open(STREAM_BYTES, limit) {
        Ok(Opened::Bytes(b)) => (b.len() as u64, b),
        Ok(Opened::Stream(reader, size)) => return (size, Work::Stream(reader)),
        Err((reason, detail)) => {
            let reject = Item::new(reject(&path, None, reason, detail), None, whole(s));
            return (inp.size(), Work::Done(vec![reject]));
        }
    };
    let docs = match &s.normalize {
        Some(opts) => scour_normalize::normalize(&path, &bytes, opts),
        None => Vec::new(),
    };
    let id_path = inp.id_path();
    let items = docs
        .into_iter()
        .map(|mut d| {
            scour_normalize::set_id_path(&mut d, &id_path);
            Item::new(stage_strip(d, s.strip.as_ref()), counter, whole(s))
        })
        .collect();
    (size, Work::Done(items))
}

/// The records of a Parquet file (`*.parquet`, e.g. a Hugging Face
/// dataset's), as `scour_text.spark` reads one: each row read as a JSONL
/// line with the same fields is (`scour_normalize::normalize_rows`: the
/// body from the `--text-field`s, normalized, its URL made canonical), the
/// row's number in the file (from 1, as JSONL lines are numbered) in
/// `origin.line` and in the id of a row without a URL, beside `id_path`
/// (the file's path relative to its input argument) and the body. Not
/// stripped yet. An unreadable file is one reject. Returns the file's size
/// too.
fn parquet_records(
    path: &str,
    id_path: &str,
    file: &Path,
    opts: &scour_normalize::Options,
) -> (u64, Vec<Doc>) {
    let f = match std::fs::File::open(file) {
        Ok(f) => f,
        Err(e) => return (0, vec![reject(path, None, RejectReason::Io, e.to_string())]),
    };
    let size = f.metadata().map_or(0, |m| m.len());
    let docs = scour_normalize::normalize_row_file(
        path,
        id_path,
        scour_arrow::parquet_parts(f),
        PARQUET_FORMAT,
        opts,
    );
    (size, docs)
}

/// `origin.format` of a record read from a Parquet file.
const PARQUET_FORMAT: &str = "parquet";

/// Reads a large input a part at a time (JSONL lines, WARC records), the
/// parts of each round normalized and stripped on the pool, and emits its
/// documents in order; any other input is read whole and done on the pool.
/// Returns how many documents it gave. `names`: the input's path as shown
/// in `origin` and the path its ids hash ([`Input::id_path`]).
fn stream(
    names: &(String, String),
    reader: Box<dyn std::io::Read + Send>,
    s: &Settings,
    counter: Option<&scour_dedup::Counter>,
    pool: &rayon::ThreadPool,
    emit: &mut dyn FnMut(Item) -> Result<()>,
) -> Result<usize> {
    let Some(opts) = &s.normalize else {
        return Ok(0);
    };
    let (path, id_path) = (names.0.as_str(), names.1.as_str());
    let item = |mut d: Doc| {
        scour_normalize::set_id_path(&mut d, id_path);
        Item::new(stage_strip(d, s.strip.as_ref()), counter, whole(s))
    };
    let mut n = 0;
    let mut parts = match scour_normalize::open(path, reader, PART_BYTES, opts.max_doc_bytes) {
        Ok(scour_normalize::Opened::Parts(parts)) => parts,
        Ok(scour_normalize::Opened::TooLarge(doc)) => {
            emit(Item::new(*doc, None, whole(s)))?;
            return Ok(1);
        }
        Ok(scour_normalize::Opened::Whole(bytes)) => {
            let items: Vec<Item> = pool.install(|| {
                scour_normalize::normalize(path, &bytes, opts)
                    .into_par_iter()
                    .map(item)
                    .collect()
            });
            n = items.len();
            for i in items {
                emit(i)?;
            }
            return Ok(n);
        }
        Err(e) => {
            emit(Item::new(
                reject(path, None, RejectReason::Io, e.to_string()),
                None,
                whole(s),
            ))?;
            return Ok(1);
        }
    };
    // A round of parts for every thread, a few each, then the next.
    let round = 4 * pool.current_num_threads().max(1);
    loop {
        let group: Vec<scour_normalize::Part> = parts.by_ref().take(round).collect();
        if group.is_empty() {
            break;
        }
        let done: Vec<Vec<Item>> = pool.install(|| {
            group
                .par_iter()
                .map(|p| p.normalize(opts).into_iter().map(item).collect())
                .collect()
        });
        for items in done {
            n += items.len();
            for i in items {
                emit(i)?;
            }
        }
    }
    if let Some(d) = parts.finish(n) {
        emit(item(d))?;
        n += 1;
    }
    Ok(n)
}

fn stage_strip(doc: Doc, strip: Option<&StripSettings>) -> Doc {
    match strip {
        Some(st) => scour_strip::strip(doc, &st.rules, &st.options),
        None => doc,
    }
}

fn reject(path: &str, line: Option<u64>, reason: RejectReason, detail: String) -> Doc {
    Doc::rejected_with(
        Origin {
            path: path.to_owned(),
            line,
            ..Origin::default()
        },
        reason,
        detail,
    )
}

/// The reject of a record line that could not be read: `too-large` for a
/// line past the limit (read and discarded), `parse` for the rest.
fn record_reject(path: &str, e: &scour_record::Error) -> Doc {
    match e {
        scour_record::Error::TooLong { line, size, limit } => reject(
            path,
            Some(*line),
            RejectReason::TooLarge,
            format!(
                "line {line}: record of {} is larger than the limit of {} \
                 (4 × --max-doc-bytes and 64 KiB; raise --max-doc-bytes)",
                scour_normalize::human_bytes(*size),
                scour_normalize::human_bytes(*limit as u64)
            ),
        ),
        e => reject(path, e.line(), RejectReason::Parse, e.to_string()),
    }
}

/// Rejects that mean the input is broken, as opposed to "not an article".
fn is_error_reason(doc: &Doc) -> bool {
    doc.reject_reason.is_some_and(RejectReason::is_input_error)
}

fn where_(o: &Origin) -> String {
    let path = crate::commit::escape_controls(&o.path);
    match (o.line, o.offset) {
        (Some(l), _) => format!("{path}:{l}"),
        (None, Some(off)) => format!("{path}@{off}"),
        _ => path,
    }
}

/// Whether this run draws a progress bar.
fn shows_progress(s: &Settings) -> bool {
    !s.quiet && output::stderr_is_terminal()
}

fn progress(s: &Settings, total: u64) -> ProgressBar {
    if !shows_progress(s) {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {bytes_per_sec} {msg} ETA {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

impl DedupSettings {
    /// The deduper of the run, with its index, stripping again each record
    /// that loses repeated blocks (issue 15: a clean record re-cleans to
    /// itself).
    fn deduper(&self) -> Result<scour_dedup::Deduper> {
        let rules = std::sync::Arc::clone(&self.rules);
        Ok(self
            .deduper_with_index()?
            .restrip_with(move |doc| scour_strip::strip_again(doc, &rules)))
    }

    fn deduper_with_index(&self) -> Result<scour_dedup::Deduper> {
        let Some(path) = &self.index else {
            return Ok(scour_dedup::Deduper::new(self.options.clone()));
        };
        match std::fs::File::open(path) {
            Ok(f) => {
                let shown = crate::commit::shown(path);
                if f.metadata().is_ok_and(|m| m.is_file() && m.len() == 0) {
                    anyhow::bail!(
                        "the index {shown} is an empty file (0 bytes), not a scour index; delete it to start afresh"
                    );
                }
                let index = scour_dedup::Index::read_from(BufReader::new(f)).with_context(|| {
                    format!(
                        "cannot read the index {shown}; it is not a scour index or is damaged (delete it to start afresh)"
                    )
                })?;
                Ok(scour_dedup::Deduper::with_index(
                    self.options.clone(),
                    index,
                ))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Ok(scour_dedup::Deduper::new(self.options.clone()))
            }
            Err(e) => Err(e).with_context(|| format!("opening the index {}", path.display())),
        }
    }
}
