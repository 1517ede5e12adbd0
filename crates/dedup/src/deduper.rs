//! The deduplicator: spills documents as they come, then groups and decides.

use std::cmp::Reverse;
use std::collections::HashMap;

use scour_record::{Doc, DupKind, RejectReason};
use xxhash_rust::xxh3::{xxh3_128, xxh3_64};

use crate::boilerplate::{BlockCounter, BlockPrint, FAMILY, RULE};
use crate::index::{Entry, Index};
use crate::keep::{day_key, Rank};
use crate::lsh::{Lsh, LshParams};
use crate::minhash::{estimated_jaccard, MinHasher, Signature};
use crate::spill::{short, Header, Print as Pushed, Spill, Spilled, Stored};
use crate::stats::Stats;
use crate::{Error, Options};

/// The reject reason of a stub no capture with a body shares a URL with.
const EMPTY: RejectReason = RejectReason::Empty;

/// Collects documents and deduplicates them.
///
/// [`push`](Deduper::push) every document in input order, then
/// [`finish`](Deduper::finish) (or [`finish_with`](Deduper::finish_with), which
/// hands the records out one by one). Pushing only counts blocks for
/// boilerplate learning; all matching happens at the finish, after boilerplate
/// removal, so reposts with different account footers still match.
///
/// Memory: pushed documents, in [`Doc::encode`]'s binary form, are held up
/// to about 32 MB; past that, each goes to an anonymous temporary file
/// (deleted when the deduper is dropped), with what the finish needs of it
/// beside it, and is read back at the finish: the records that lose
/// boilerplate once for their new fingerprints, and every record once to be
/// handed out with its decision. What
/// stays in memory is the block counts (one per distinct (source, block)
/// pair) and, per document, its id, URL key, body hash, date, length and
/// MinHash signature. When no temporary file can be created, the encoded
/// records are held in memory instead.
///
/// Threads are the caller's: what [`push`](Deduper::push) works out of a
/// document (hashes, signature, encoding) can be done on them
/// ([`Deduper::counter`]), and [`finish_batched`] hands the
/// finish's per-record work to a [`Workers`]; the output is the same on any
/// number of threads.
///
/// [`finish_batched`]: Deduper::finish_batched
#[derive(Debug)]
pub struct Deduper {
    opts: Options,
    threshold: f64,
    lsh: LshParams,
    index: Index,
    spill: Spill,
    blocks: BlockCounter,
    restrip: Restrip,
}

/// What is done to a record once its repeated blocks are out: see
/// [`Deduper::restrip_with`].
type AfterCut = dyn Fn(Doc) -> Doc + Send + Sync;

/// [`Deduper::restrip_with`]'s function, if any.
#[derive(Default)]
struct Restrip(Option<Box<AfterCut>>);

impl Restrip {
    fn get(&self) -> Option<&AfterCut> {
        self.0.as_deref()
    }
}

impl std::fmt::Debug for Restrip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Restrip(Some(..))"
        } else {
            "Restrip(None)"
        })
    }
}

impl Default for Deduper {
    fn default() -> Self {
        Deduper::new(Options::default())
    }
}

/// What dedup decided.
#[derive(Debug, Default)]
pub struct Finished {
    /// Records kept, in input order, with boilerplate blocks removed.
    pub kept: Vec<Doc>,
    /// Records set aside as duplicates, in input order, each with
    /// `duplicate_of` (the kept record's id, possibly one an earlier run
    /// kept), `dup_kind` and `similarity`.
    pub duplicates: Vec<Doc>,
    /// Records that were already rejected when pushed (untouched), and records
    /// with no body left (reject reason `empty`), in input order.
    pub rejected: Vec<Doc>,
    /// What a later run should be deduplicated against: the given index and
    /// this run's kept and duplicate records.
    pub index: Index,
}

impl Finished {
    /// Counts for the run report.
    #[must_use]
    pub fn stats(&self) -> Stats {
        Stats::of(self)
    }
}

/// Which of [`Finished`]'s lists a record handed out by
/// [`finish_with`](Deduper::finish_with) belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Kept, with boilerplate blocks removed.
    Kept,
    /// Set aside as a duplicate, with `duplicate_of`, `dup_kind` and
    /// `similarity`.
    Duplicate,
    /// Already rejected when pushed (untouched), or with no body left (reject
    /// reason `empty`).
    Rejected,
}

/// What [`finish_with`](Deduper::finish_with) returns once every record has
/// been handed out.
#[derive(Debug, Default)]
pub struct Summary {
    /// What a later run should be deduplicated against: the given index and
    /// this run's kept and duplicate records.
    pub index: Index,
    /// Counts of the records handed out, as [`Finished::stats`] counts them.
    pub stats: Stats,
}

/// Records a batch of the finish's per-record work holds: enough to share
/// among the workers, few enough that memory stays flat.
const BATCH: usize = 256;

/// A record taking part in matching: one of the index's or one pushed now.
struct Node {
    url_key: u64,
    body: Option<u128>,
    day: u32,
    len: u32,
    signature: Option<Box<Signature>>,
    /// For new records, the capture (see [`capture_of`]).
    capture: u64,
}

/// What becomes of a pushed record.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Route {
    /// Already rejected when pushed.
    Passthrough,
    /// The same capture as this index entry, cleaned again: it gets the
    /// decision of its group again and is not added to the index twice.
    Replay(u32),
    /// Matching node number.
    Node(u32),
}

/// Who does the finish's per-record work: the deduper hands it batches of
/// independent items and takes the results back in order. [`InOrder`] does
/// them one after another on the calling thread; scour's binary maps them on
/// its thread pool.
pub trait Workers {
    /// `items` passed through `f`, the results in the order of `items`.
    fn map<T, U, F>(&self, items: Vec<T>, f: F) -> Vec<U>
    where
        T: Send,
        U: Send,
        F: Fn(T) -> U + Sync + Send;
}

/// [`Workers`] that do every item in turn on the calling thread.
#[derive(Clone, Copy, Debug, Default)]
pub struct InOrder;

impl Workers for InOrder {
    fn map<T, U, F>(&self, items: Vec<T>, f: F) -> Vec<U>
    where
        T: Send,
        U: Send,
        F: Fn(T) -> U + Sync + Send,
    {
        items.into_iter().map(f).collect()
    }
}

/// Makes documents ready for a [`Deduper`] on any thread (hashes them for
/// the boilerplate counts, signs them, encodes them): made by
/// [`Deduper::counter`], used with [`Deduper::push_counted`].
#[derive(Clone, Debug)]
pub struct Counter {
    opts: Options,
}

/// A document made ready for [`Deduper::push_counted`] (see [`Counter`]):
/// its share of the boilerplate counts, what the finish needs of it, and the
/// document itself in the spill's binary form.
#[derive(Debug)]
pub struct Counted {
    print: Option<BlockPrint>,
    url_key: Option<u64>,
    header: Header,
    record: Vec<u8>,
}

impl Counter {
    /// Makes `doc` ready for [`Deduper::push_counted`]: its hashes, its
    /// fingerprints, and its encoding (so that the pushing thread only files
    /// it).
    #[must_use]
    pub fn count(&self, doc: Doc) -> Counted {
        let mut record = Vec::with_capacity(doc.text.len() + 256);
        doc.encode(&mut record);
        if doc.is_rejected() {
            return Counted {
                print: None,
                url_key: None,
                header: Header {
                    rejected: true,
                    ..Header::default()
                },
                record,
            };
        }
        let doc = &doc;
        // The same fingerprints the sharded (Spark) path files, from one
        // function.
        let fp = crate::sharded::fingerprint(&self.opts, doc);
        let url_key = fp.url_key;
        let print = fp.source.map(|src| {
            let title =
                crate::boilerplate::title_key(doc.title.as_deref()).zip(fp.signature.clone());
            BlockPrint::new(src, fp.compact, &fp.segments, title)
        });
        let header = Header {
            rejected: false,
            src: fp.source,
            segments: fp.segments,
            print: Pushed {
                had_body: fp.had_body,
                url_key: fp.url_key.unwrap_or(0),
                body: fp.body,
                day: fp.day,
                len: fp.len,
                signature: fp.signature,
                capture: capture_of(doc),
                id: doc.id.clone(),
            },
        };
        Counted {
            print,
            url_key,
            header,
            record,
        }
    }
}

/// What the first read learns of a record, worked out on a worker.
enum Print {
    Passthrough,
    Node {
        node: Node,
        id: String,
        /// The record once its boilerplate went (and it was stripped
        /// again), encoded, when some went: the second read writes it as
        /// it is rather than cut and strip it again.
        cut: Option<Vec<u8>>,
    },
}

/// What the second read does to a record: its boilerplate out again (when
/// the first read found some), then its outcome.
struct Verdict {
    strip: bool,
    fate: Fate,
}

enum Fate {
    /// Already rejected: untouched.
    Passthrough,
    /// A stub no record with a body shares a URL with: rejected as `empty`.
    Empty,
    Kept,
    Duplicate {
        of: String,
        kind: DupKind,
        similarity: f64,
    },
}

/// The learned boilerplate of a record that is not rejected: its text
/// without it, and the removed blocks, or `None` when nothing goes. The same
/// record always loses the same blocks, so both reads at the finish agree.
fn boilerplate_of(
    blocks: &BlockCounter,
    opts: &Options,
    header: &Header,
    doc: &Doc,
) -> Option<(String, Vec<String>)> {
    if doc.text.trim().is_empty() {
        return None;
    }
    blocks.strip_segments(opts, header.src?, &doc.text, &header.segments)
}

/// Takes the record's learned boilerplate out of `doc` (recording each
/// removal), then passes it through `restrip`; false when nothing goes. The
/// first read at the finish does it; the second writes what it gave.
fn cut(
    blocks: &BlockCounter,
    opts: &Options,
    header: &Header,
    doc: &mut Doc,
    restrip: Option<&AfterCut>,
) -> bool {
    let Some((text, removed)) = boilerplate_of(blocks, opts, header, doc) else {
        return false;
    };
    doc.text = text;
    for r in removed {
        doc.record_removal(FAMILY, RULE, &r);
    }
    if let Some(f) = restrip {
        *doc = f(std::mem::take(doc));
    }
    true
}

/// Whether some block of a record turned out to be boilerplate (then the
/// first read reads it; otherwise its header says enough).
fn loses_blocks(blocks: &BlockCounter, opts: &Options, header: &Header) -> bool {
    !header.rejected
        && header
            .src
            .is_some_and(|src| blocks.any_repeated(opts, src, &header.segments))
}

/// The first read's work on one record: its boilerplate out (and the
/// record stripped again, see [`Deduper::restrip_with`]), then the
/// fingerprints of what is left. A record none of whose blocks turned out to
/// be boilerplate has the fingerprints it was pushed with, and is not read.
fn print_of(
    blocks: &BlockCounter,
    opts: &Options,
    restrip: Option<&AfterCut>,
    spilled: Spilled<'_>,
) -> Result<Print, Error> {
    let Spilled { header, doc } = spilled;
    if header.rejected {
        return Ok(Print::Passthrough);
    }
    if !loses_blocks(blocks, opts, &header) {
        return Ok(node_print(header.print, None));
    }
    let mut doc = doc.doc()?;
    if !cut(blocks, opts, &header, &mut doc, restrip) {
        return Ok(node_print(header.print, None));
    }
    let text = &doc.text;
    let had_body = header.print.had_body;
    let mut compact = String::new();
    if had_body {
        text.split_whitespace().for_each(|w| compact.push_str(w));
    }
    let print = Pushed {
        body: had_body.then(|| xxh3_128(compact.as_bytes())),
        signature: if had_body {
            MinHasher::default().signature(text)
        } else {
            None
        },
        len: u32::try_from(compact.chars().count()).unwrap_or(u32::MAX),
        // Stripping again may find the date a line of the body gives.
        day: crate::keep::ordinal_day(doc.published.as_deref()),
        ..header.print
    };
    let mut bytes = Vec::new();
    doc.encode(&mut bytes);
    Ok(node_print(print, Some(bytes)))
}

/// The matching node of a record with these fingerprints.
fn node_print(p: Pushed, cut: Option<Vec<u8>>) -> Print {
    Print::Node {
        node: Node {
            url_key: p.url_key,
            body: p.body,
            day: p.day,
            len: p.len,
            signature: p.signature,
            capture: p.capture,
        },
        id: p.id,
        cut,
    }
}

/// The second read's work on one record: its verdict, on the record as the
/// first read left it (`cut`: without its boilerplate, when some went).
fn apply(
    spilled: Spilled<'_>,
    cut: Option<Stored<'_>>,
    verdict: Verdict,
) -> Result<(Outcome, Doc), Error> {
    let mut doc = cut.unwrap_or(spilled.doc).doc()?;
    Ok(match verdict.fate {
        Fate::Passthrough => (Outcome::Rejected, doc),
        Fate::Empty => {
            doc.reject(
                EMPTY,
                Some("no body, and no capture of its URL has one".to_owned()),
            );
            (Outcome::Rejected, doc)
        }
        Fate::Kept => (Outcome::Kept, doc),
        Fate::Duplicate {
            of,
            kind,
            similarity,
        } => {
            doc.duplicate_of = Some(of);
            doc.dup_kind = Some(kind);
            doc.similarity = Some((similarity * 10_000.0).round() / 10_000.0);
            (Outcome::Duplicate, doc)
        }
    })
}

impl Deduper {
    /// A deduper with no history.
    #[must_use]
    pub fn new(opts: Options) -> Self {
        Deduper::with_index(opts, Index::default())
    }

    /// A deduper that also deduplicates against what earlier runs kept (and
    /// set aside). A record matching one of them becomes its duplicate, even
    /// when it claims an earlier `published` date: the earlier run already
    /// emitted that record as clean output.
    #[must_use]
    pub fn with_index(opts: Options, index: Index) -> Self {
        let threshold = opts.effective_threshold();
        Deduper {
            lsh: LshParams::for_threshold(threshold),
            threshold,
            opts,
            index,
            spill: Spill::new(),
            blocks: BlockCounter::new(threshold),
            restrip: Restrip::default(),
        }
    }

    /// Has `f` strip again each record that loses repeated blocks, right
    /// after they go and before its fingerprints are taken: the record's
    /// view (what is compared, and written) is then what `f` returns.
    /// scour's binary and Spark job pass `scour_strip::strip_again` (strip
    /// to a fixpoint): a shorter body moves the strip stage's zones, and
    /// stripping dedup's output again must change nothing (issue 15). `f`
    /// must be a function of the record alone (it runs once on each such
    /// record, on any thread, in the finish's first read; the second writes
    /// what it gave) and should leave it non-empty. Without it (the
    /// default), such a record is written as the blocks' removal leaves it.
    #[must_use]
    pub fn restrip_with(mut self, f: impl Fn(Doc) -> Doc + Send + Sync + 'static) -> Self {
        self.restrip = Restrip(Some(Box::new(f)));
        self
    }

    /// The LSH banding chosen for the threshold.
    #[must_use]
    pub fn lsh_params(&self) -> LshParams {
        self.lsh
    }

    /// Adds one document (input order is the order of calls).
    ///
    /// The document goes to the spill file; an error writing it is reported
    /// by the finish.
    pub fn push(&mut self, doc: Doc) {
        let counted = self.counter().count(doc);
        self.push_counted(counted);
    }

    /// What [`push`](Deduper::push) works out of each document before it
    /// takes it in (hashing its blocks for the boilerplate counts), to do on
    /// the threads that make the documents: see [`Deduper::push_counted`].
    #[must_use]
    pub fn counter(&self) -> Counter {
        Counter {
            opts: self.opts.clone(),
        }
    }

    /// [`push`](Deduper::push) of a document made ready by this deduper's
    /// [`counter`](Deduper::counter).
    pub fn push_counted(&mut self, counted: Counted) {
        self.blocks.add(counted.print, counted.url_key);
        self.spill.push(counted.header, counted.record);
    }

    /// Removes boilerplate, groups duplicates and decides what is kept.
    ///
    /// This holds every record in memory at the end; to write them out one
    /// at a time, use [`finish_with`](Deduper::finish_with).
    ///
    /// # Panics
    /// If the spilled documents cannot be written or read back (an I/O error
    /// on the deduper's own temporary file, such as a full disk).
    /// [`finish_with`](Deduper::finish_with) returns that as an error.
    #[must_use]
    pub fn finish(self) -> Finished {
        let mut out = Finished::default();
        let summary = self.finish_with(|outcome, doc| {
            match outcome {
                Outcome::Kept => out.kept.push(doc),
                Outcome::Duplicate => out.duplicates.push(doc),
                Outcome::Rejected => out.rejected.push(doc),
            }
            Ok::<(), Error>(())
        });
        match summary {
            Ok(s) => out.index = s.index,
            Err(e) => panic!("scour-dedup: {e}"),
        }
        out
    }

    /// Removes boilerplate, groups duplicates and decides what is kept, then
    /// hands each record to `sink` with its [`Outcome`], one at a time, in
    /// input order (kept, duplicate and rejected records interleaved as they
    /// were pushed; each outcome's records in the order [`finish`] lists
    /// them). Memory does not hold the records, only their fingerprints.
    ///
    /// [`finish`]: Deduper::finish
    ///
    /// # Errors
    /// [`Error::Spill`] when the spilled documents cannot be written or read
    /// back, and whatever `sink` returns, which stops the finish.
    pub fn finish_with<E, F>(self, mut sink: F) -> Result<Summary, E>
    where
        E: From<Error>,
        F: FnMut(Outcome, Doc) -> Result<(), E>,
    {
        self.finish_batched(&InOrder, |batch| {
            for (outcome, doc) in batch {
                sink(outcome, doc)?;
            }
            Ok(())
        })
    }

    /// [`finish_with`](Deduper::finish_with), with the per-record work of
    /// the finish (reading spilled records back, removing boilerplate,
    /// signing bodies) done by `workers`, and the records handed out a batch
    /// at a time (in input order within and across batches), so that the
    /// caller can serialize a batch on its threads too. What it hands out
    /// does not depend on how `workers` spreads the work.
    ///
    /// # Errors
    /// As [`finish_with`](Deduper::finish_with).
    pub fn finish_batched<W, E, F>(self, workers: &W, mut sink: F) -> Result<Summary, E>
    where
        W: Workers,
        E: From<Error>,
        F: FnMut(Vec<(Outcome, Doc)>) -> Result<(), E>,
    {
        let Deduper {
            opts,
            threshold,
            lsh,
            index,
            mut spill,
            blocks,
            restrip,
        } = self;
        let m = index.entries.len();
        let mut nodes = index_nodes(&index.entries);
        let restrip = restrip.get();
        let mut first = first_read(
            &mut spill,
            (&blocks, restrip),
            &opts,
            workers,
            &index.entries,
            &mut nodes,
        )?;
        // Group (ARCHITECTURE.md, "Deduplication: the grouping rule"): in
        // keep order, each record with a body joins the best kept record it
        // is verified-similar to, or is kept; a body-less stub follows the
        // records of its URL. An earlier run's records keep their decisions.
        let keeper = group(&nodes, &index.entries, m, lsh, threshold);
        let mut cuts = std::mem::replace(&mut first.cut, Spill::new());
        let (verdicts, entries) = decide(index.entries, &nodes, &keeper, first);
        drop((nodes, keeper, blocks));
        let mut stats = second_read(&mut spill, &mut cuts, workers, verdicts, &mut sink)?;
        let index = Index { entries };
        stats.index_records = index.len();
        Ok(Summary { index, stats })
    }
}

/// What the finish's first read learns of the pushed records, in input order.
struct FirstRead {
    /// Per record: what becomes of it.
    routes: Vec<Route>,
    /// Per record: whether boilerplate blocks went.
    stripped: Vec<bool>,
    /// Those records as they are once it went, in input order.
    cut: Spill,
    /// Per new node (node `m + i`): its record's id.
    new_ids: Vec<String>,
}

/// The index's entries as matching nodes `0..m`, in index order.
fn index_nodes(entries: &[Entry]) -> Vec<Node> {
    entries
        .iter()
        .map(|e| Node {
            url_key: e.url_key,
            body: e.body_hash,
            day: e.day,
            len: e.len,
            signature: e.signature.clone(),
            capture: e.capture,
        })
        .collect()
}

/// The finish's first read: each record's boilerplate removal, then the
/// fingerprints of what is left, a batch at a time on the workers. A record
/// that is a capture an earlier run decided replays that decision; any
/// other record with a body or URL becomes a node after `nodes`.
fn first_read<W: Workers>(
    spill: &mut Spill,
    (blocks, restrip): (&BlockCounter, Option<&AfterCut>),
    opts: &Options,
    workers: &W,
    entries: &[Entry],
    nodes: &mut Vec<Node>,
) -> Result<FirstRead, Error> {
    // Captures an earlier run already decided.
    let captures: HashMap<u64, u32> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.capture != 0)
        .map(|(i, e)| (e.capture, i as u32))
        .collect();
    let count = spill.count;
    let mut first = FirstRead {
        routes: Vec::with_capacity(count),
        stripped: Vec::with_capacity(count),
        cut: Spill::with_budget(spill.budget),
        new_ids: Vec::new(),
    };
    let mut reader = spill.reader()?;
    let mut from = 0;
    while from < count {
        let n = BATCH.min(count - from);
        let need = |h: &Header| loses_blocks(blocks, opts, h);
        let batch = reader.batch(from, n, false, &need)?;
        let prints: Vec<Print> = workers
            .map(batch, |r| print_of(blocks, opts, restrip, r))
            .into_iter()
            .collect::<Result<_, Error>>()?;
        from += n;
        for mut p in prints {
            let cut = match &mut p {
                Print::Node { cut, .. } => cut.take(),
                Print::Passthrough => None,
            };
            first.stripped.push(cut.is_some());
            if let Some(bytes) = cut {
                first.cut.push(Header::default(), bytes);
            }
            first.routes.push(match p {
                Print::Passthrough => Route::Passthrough,
                Print::Node { node, id, .. } => {
                    if let Some(&e) = captures.get(&node.capture) {
                        Route::Replay(e)
                    } else {
                        nodes.push(node);
                        first.new_ids.push(id);
                        Route::Node(nodes.len() as u32 - 1)
                    }
                }
            });
        }
    }
    Ok(first)
}

/// Decides every record, and numbers the new index entries, in input order:
/// the second read only applies the verdicts. Returns the verdicts and the
/// index to write (the earlier entries, then this run's, each naming its
/// group's kept entry).
fn decide(
    mut entries: Vec<Entry>,
    nodes: &[Node],
    keeper: &[u32],
    first: FirstRead,
) -> (Vec<Verdict>, Vec<Entry>) {
    let m = entries.len();
    let FirstRead {
        routes,
        stripped,
        new_ids,
        ..
    } = first;
    let id_of = |entries: &[Entry], k: u32| {
        if (k as usize) < m {
            entries[k as usize].id.clone()
        } else {
            new_ids[k as usize - m].clone()
        }
    };
    // Node `n` set aside as a duplicate of the kept record `k`.
    let duplicate = |n: u32, k: u32, entries: &[Entry]| {
        let (kind, similarity) = relation(&nodes[n as usize], &nodes[k as usize]);
        Fate::Duplicate {
            of: id_of(entries, k),
            kind,
            similarity,
        }
    };
    let mut position: Vec<u32> = (0..m as u32).collect();
    position.resize(nodes.len(), u32::MAX);
    let mut next = m as u32;
    let mut verdicts = Vec::with_capacity(routes.len());
    for (route, &strip) in routes.iter().zip(&stripped) {
        let fate = match *route {
            Route::Passthrough => Fate::Passthrough,
            Route::Replay(e) => match keeper[e as usize] {
                k if k == e => Fate::Kept,
                NONE => Fate::Empty,
                k => duplicate(e, k, &entries),
            },
            Route::Node(n) => match keeper[n as usize] {
                NONE => Fate::Empty,
                k => {
                    position[n as usize] = next;
                    next += 1;
                    let node = &nodes[n as usize];
                    entries.push(Entry {
                        id: new_ids[n as usize - m].clone(),
                        url_key: node.url_key,
                        body_hash: node.body,
                        day: node.day,
                        len: node.len,
                        // Filled in below, once every keeper is numbered.
                        group: k,
                        capture: node.capture,
                        signature: node.signature.clone(),
                    });
                    if n == k {
                        Fate::Kept
                    } else {
                        duplicate(n, k, &entries)
                    }
                }
            },
        };
        verdicts.push(Verdict { strip, fate });
    }
    for e in &mut entries[m..] {
        e.group = position[e.group as usize];
    }
    (verdicts, entries)
}

/// The finish's second read: each record again, as the first read left it
/// (`cuts`: in input order, the records whose boilerplate went, as they are
/// then), handed to `sink` with its verdict a batch at a time.
fn second_read<W, E, F>(
    spill: &mut Spill,
    cuts: &mut Spill,
    workers: &W,
    verdicts: Vec<Verdict>,
    sink: &mut F,
) -> Result<Stats, E>
where
    W: Workers,
    E: From<Error>,
    F: FnMut(Vec<(Outcome, Doc)>) -> Result<(), E>,
{
    let count = spill.count;
    let mut stats = Stats::default();
    let mut reader = spill.reader()?;
    let mut cut_reader = cuts.reader()?;
    let mut verdicts = verdicts.into_iter();
    let (mut from, mut cut_from) = (0, 0);
    while from < count {
        let n = BATCH.min(count - from);
        let batch_verdicts: Vec<Verdict> = verdicts.by_ref().take(n).collect();
        if batch_verdicts.len() < n {
            return Err(short("fewer verdicts than records").into());
        }
        // The records the first read cut are read from `cuts` instead.
        let n_cut = batch_verdicts.iter().filter(|v| v.strip).count();
        let batch = reader.batch(from, n, true, &|_| true)?;
        let mut cut = cut_reader
            .batch(cut_from, n_cut, true, &|_| true)?
            .into_iter();
        cut_from += n_cut;
        let work: Vec<(Spilled<'_>, Option<Stored<'_>>, Verdict)> = batch
            .into_iter()
            .zip(batch_verdicts)
            .map(|(r, v)| {
                let c = if v.strip {
                    cut.next().map(|c| c.doc)
                } else {
                    None
                };
                (r, c, v)
            })
            .collect();
        let out: Vec<(Outcome, Doc)> = workers
            .map(work, |(r, c, v)| apply(r, c, v))
            .into_iter()
            .collect::<Result<_, Error>>()?;
        from += n;
        for (outcome, doc) in &out {
            stats.add(*outcome, doc);
        }
        sink(out)?;
    }
    Ok(stats)
}

/// The identity of a capture: its input path, line or offset, and id.
fn capture_of(doc: &Doc) -> u64 {
    let o = &doc.origin;
    let key = format!(
        "{}\0{}\0{}\0{}",
        o.path,
        o.line.unwrap_or(0),
        o.offset.unwrap_or(0),
        doc.id
    );
    xxh3_64(key.as_bytes()).max(1)
}

/// No decision: a body-less stub whose URL no record with a body shares.
const NONE: u32 = u32::MAX;

/// The keep order of node `n` (the smallest is kept): see [`Rank`].
fn rank(nodes: &[Node], m: usize, n: u32) -> Rank {
    let node = &nodes[n as usize];
    Rank {
        tier: u8::from(n as usize >= m),
        day: day_key(node.day),
        len: Reverse(node.len),
        pos: n,
    }
}

/// The grouping rule (ARCHITECTURE.md, "Deduplication: the grouping rule"):
/// for each node, the node it is a duplicate of, itself when it is kept, or
/// [`NONE`].
///
/// Nodes `0..m` are the index's entries, whose decisions stand (`group`).
/// The others with a body are taken in keep order ([`rank`]); each is
/// verified against the records kept so far: the same URL key, the same body
/// hash, or an estimated Jaccard similarity of at least `threshold` between
/// signatures (LSH bands give the candidates). It joins the best-ranked of
/// the kept records it is verified against, or is kept when there is none. A
/// body-less stub never is kept: it joins the best-ranked kept record of its
/// URL, else the record that the best-ranked record with a body of its URL
/// joined, else it has no decision.
fn group(nodes: &[Node], entries: &[Entry], m: usize, lsh: LshParams, threshold: f64) -> Vec<u32> {
    let mut keeper = vec![NONE; nodes.len()];
    for (i, e) in entries.iter().enumerate() {
        keeper[i] = e.group;
    }
    let mut order: Vec<u32> = (0..nodes.len() as u32)
        .filter(|&n| nodes[n as usize].body.is_some())
        .collect();
    order.sort_by_cached_key(|&n| rank(nodes, m, n));
    // Kept records by URL key and by body hash (the best-ranked one: the
    // first filed), and by band.
    let mut kept_url: HashMap<u64, u32> = HashMap::new();
    let mut kept_body: HashMap<u128, u32> = HashMap::new();
    let mut bands = Lsh::new(lsh);
    // The best-ranked record with a body of each URL key, for stubs.
    let mut first_of_url: HashMap<u64, u32> = HashMap::new();
    let mut candidates = Vec::new();
    for &n in &order {
        let node = &nodes[n as usize];
        if node.url_key != 0 {
            first_of_url.entry(node.url_key).or_insert(n);
        }
        let k = if (n as usize) < m {
            keeper[n as usize]
        } else {
            let mut best: Option<u32> = None;
            let mut consider = |c: u32| {
                if best.is_none_or(|b| rank(nodes, m, c) < rank(nodes, m, b)) {
                    best = Some(c);
                }
            };
            if node.url_key != 0 {
                if let Some(&c) = kept_url.get(&node.url_key) {
                    consider(c);
                }
            }
            if let Some(&c) = node.body.and_then(|b| kept_body.get(&b)) {
                consider(c);
            }
            if let Some(sig) = node.signature.as_deref() {
                candidates.clear();
                bands.query(sig, &mut candidates);
                candidates.sort_unstable();
                candidates.dedup();
                for &c in &candidates {
                    let other = nodes[c as usize]
                        .signature
                        .as_deref()
                        .expect("only signatures are filed");
                    if estimated_jaccard(sig, other) >= threshold {
                        consider(c);
                    }
                }
            }
            best.unwrap_or(n)
        };
        keeper[n as usize] = k;
        if k == n {
            if node.url_key != 0 {
                kept_url.entry(node.url_key).or_insert(n);
            }
            if let Some(b) = node.body {
                kept_body.entry(b).or_insert(n);
            }
            if let Some(sig) = node.signature.as_deref() {
                bands.insert(n, sig);
            }
        }
    }
    // Stubs: never kept, so they change no other decision.
    for (n, node) in nodes.iter().enumerate().skip(m) {
        if node.body.is_some() || node.url_key == 0 {
            continue;
        }
        keeper[n] = match kept_url.get(&node.url_key) {
            Some(&k) => k,
            None => first_of_url
                .get(&node.url_key)
                .map_or(NONE, |&f| keeper[f as usize]),
        };
    }
    keeper
}

/// The grouping rule on a set of this run's records alone, given in input
/// order: what becomes of each (see [`Decision`](crate::sharded::Decision)).
/// [`sharded::decide`](crate::sharded::decide) is its public face: a set
/// closed under verified pairs and shared URL keys (a connected component)
/// is decided exactly as the whole run decides it.
pub(crate) fn decide_members(
    members: Vec<crate::sharded::Member>,
    lsh: LshParams,
    threshold: f64,
) -> Vec<crate::sharded::Decision> {
    use crate::sharded::Decision;
    let nodes: Vec<Node> = members
        .into_iter()
        .map(|m| Node {
            url_key: m.url_key.unwrap_or(0),
            body: m.body,
            day: m.day,
            len: m.len,
            signature: m.signature,
            capture: 0,
        })
        .collect();
    let keeper = group(&nodes, &[], 0, lsh, threshold);
    keeper
        .iter()
        .enumerate()
        .map(|(n, &k)| {
            if k == NONE {
                Decision::Empty
            } else if k as usize == n {
                Decision::Kept
            } else {
                let (kind, similarity) = relation(&nodes[n], &nodes[k as usize]);
                Decision::Duplicate {
                    of: k as usize,
                    kind,
                    similarity,
                }
            }
        })
        .collect()
}

/// A duplicate's relation to the kept record it names: the kind is `url`
/// when they share a URL key (or it is a stub, which joins a group only
/// through its URL), else `exact` when they share a body hash, else
/// `near`; the similarity is the estimated Jaccard similarity of their
/// bodies: 1 for the same body, 0 when either has no signature (a stub, a
/// body too short to sign).
fn relation(a: &Node, k: &Node) -> (DupKind, f64) {
    let same_body = a.body.is_some() && a.body == k.body;
    let similarity = if same_body {
        1.0
    } else {
        match (a.signature.as_deref(), k.signature.as_deref()) {
            (Some(s), Some(ks)) => estimated_jaccard(s, ks),
            _ => 0.0,
        }
    };
    let kind = if a.body.is_none() || (a.url_key != 0 && a.url_key == k.url_key) {
        DupKind::Url
    } else if same_body {
        DupKind::Exact
    } else {
        DupKind::Near
    };
    (kind, similarity)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{article, doc, edit, sourced, wx_url};
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    fn run(docs: Vec<Doc>) -> Finished {
        run_with(Options::default(), Index::default(), docs)
    }

    fn run_with(opts: Options, index: Index, docs: Vec<Doc>) -> Finished {
        let mut d = Deduper::with_index(opts, index);
        for doc in docs {
            d.push(doc);
        }
        d.finish()
    }

    fn ids(docs: &[Doc]) -> Vec<&str> {
        docs.iter().map(|d| d.id.as_str()).collect()
    }

    const HEAD: &str = "中共中央、国务院《法治政府建设实施纲要（2021—2025 年）》明确提出了“全面建设数字法治政府”的基本路径和目标要求。\n\n建设数字法治政府就是坚持运用互联网、大数据、人工智能等技术手段促进依法行政，着力实现政府治理信息化与法治化深度融合。\n\n当前，数据开放共享的壁垒依然存在，政府数据资源占到80%以上，但开放程度不高。";

    /// A real opening and a long pseudo-random rest: a realistic length.
    static BODY: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| format!("{HEAD}\n\n{}", article(42, 1200)));

    #[test]
    fn url_with_tracking_and_stub() {
        let mut full = doc("full", &BODY, Some("2024-09-04"));
        full.url = Some(wx_url(1, 100));
        let mut tracked = doc("tracked", &edit(&BODY, 3, 1), Some("2024-09-04"));
        tracked.url = Some(format!(
            "{}&chksm=abc&scene=21#wechat_redirect",
            wx_url(1, 100)
        ));
        let mut stub = doc("stub", "", Some("2024-09-04"));
        stub.url = wx_url(1, 100).replace("https", "http").into();
        let mut lonely = doc("lonely", "", None);
        lonely.url = Some(wx_url(1, 101));
        let f = run(vec![stub, full, tracked, lonely]);
        assert_eq!(ids(&f.kept), ["full"]);
        assert_eq!(ids(&f.duplicates), ["stub", "tracked"]);
        for d in &f.duplicates {
            assert_eq!(d.duplicate_of.as_deref(), Some("full"));
            assert_eq!(d.dup_kind, Some(DupKind::Url));
        }
        // The similarity of the bodies: none for the stub, little for the
        // capture with every third character changed: the same URL is the
        // same article whatever its body.
        assert_eq!(f.duplicates[0].similarity, Some(0.0));
        let s = f.duplicates[1].similarity.unwrap();
        assert!(s < 0.5, "{s}");
        assert_eq!(ids(&f.rejected), ["lonely"]);
        assert_eq!(f.rejected[0].reject_reason, Some(RejectReason::Empty));
    }

    #[test]
    fn exact_ignores_whitespace() {
        let spaced = BODY.replace("。", "。 ").replace("\n\n", "\n\n\n");
        let f = run(vec![doc("a", &BODY, None), doc("b", &spaced, None)]);
        assert_eq!(ids(&f.kept), ["a"]);
        assert_eq!(f.duplicates[0].dup_kind, Some(DupKind::Exact));
        assert_eq!(f.duplicates[0].similarity, Some(1.0));
    }

    #[test]
    #[expect(clippy::float_cmp, reason = "exact by construction")]
    fn near_repost_with_other_header_and_footer() {
        let repost = format!(
            "以下文章来源于中国信息安全\n\n{}\n\n投稿联系方式：010-82992251",
            *BODY
        );
        let f = run(vec![
            doc("orig", &BODY, Some("2022-10-13")),
            doc("repost", &repost, Some("2022-10-13")),
        ]);
        // Same date: the longer repost is kept.
        assert_eq!(ids(&f.kept), ["repost"]);
        let d = &f.duplicates[0];
        assert_eq!(d.id, "orig");
        assert_eq!(d.dup_kind, Some(DupKind::Near));
        let s = d.similarity.unwrap();
        assert!((0.8..1.0).contains(&s), "{s}");
        assert_eq!(s, (s * 10_000.0).round() / 10_000.0);
    }

    #[test]
    fn same_generic_title_different_articles() {
        let mut a = doc("a", &article(1, 600), Some("2024-01-01"));
        let mut b = doc("b", &article(2, 600), Some("2024-01-01"));
        a.title = Some("每日安全动态推送".into());
        b.title = a.title.clone();
        a.source = Some("腾讯玄武实验室".into());
        b.source = a.source.clone();
        let f = run(vec![a, b]);
        assert_eq!(ids(&f.kept), ["a", "b"]);
        assert!(f.duplicates.is_empty());
    }

    #[test]
    fn keep_policy() {
        let text = article(7, 400);
        let longer = format!("{text}\n\n补充说明");
        // Earlier date wins over input order and length.
        let f = run(vec![
            doc("late", &longer, Some("2024-01-02T08:00:00+08:00")),
            doc("early", &text, Some("2024-01-01")),
        ]);
        assert_eq!(ids(&f.kept), ["early"]);
        // A missing date is the latest.
        let f = run(vec![
            doc("undated", &longer, None),
            doc("dated", &text, Some("2030-01-01")),
        ]);
        assert_eq!(ids(&f.kept), ["dated"]);
        // Same date: longer wins; full tie: first wins.
        let f = run(vec![
            doc("short", &text, Some("2024-01-01")),
            doc("long", &longer, Some("2024-01-01")),
        ]);
        assert_eq!(ids(&f.kept), ["long"]);
        let f = run(vec![
            doc("first", &text, Some("2024-01-01")),
            doc("second", &text, Some("2024-01-01 09:00")),
        ]);
        assert_eq!(ids(&f.kept), ["first"]);
        assert_eq!(ids(&f.duplicates), ["second"]);
    }

    #[test]
    fn mixed_group_kinds_are_each_own_relation() {
        let mut kept = doc("kept", &BODY, Some("2022-01-01"));
        kept.url = Some(wx_url(2, 1));
        let mut same_url = doc("same-url", &edit(&BODY, 4, 3), Some("2022-01-02"));
        same_url.url = Some(wx_url(2, 1));
        let mut exact = doc("exact", &BODY, Some("2022-01-03"));
        exact.url = Some(wx_url(3, 1));
        let near = doc(
            "near",
            &format!("{}\n\n点击关注", *BODY),
            Some("2022-01-04"),
        );
        let f = run(vec![near, exact, same_url, kept]);
        let kinds: Vec<_> = f
            .duplicates
            .iter()
            .map(|d| (d.id.as_str(), d.dup_kind.unwrap()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("near", DupKind::Near),
                ("exact", DupKind::Exact),
                ("same-url", DupKind::Url)
            ]
        );
        assert!(f
            .duplicates
            .iter()
            .all(|d| d.duplicate_of.as_deref() == Some("kept")));
    }

    #[test]
    fn stub_of_a_near_duplicate_follows_its_capture() {
        let mut kept = doc("kept", &BODY, Some("2022-01-01"));
        kept.url = Some(wx_url(4, 1));
        let mut repost = doc(
            "repost",
            &format!("{}\n\n欢迎转发", *BODY),
            Some("2022-01-02"),
        );
        repost.url = Some(wx_url(5, 1));
        let mut stub = doc("stub", "", None);
        stub.url = Some(wx_url(5, 1));
        let f = run(vec![stub, repost, kept]);
        assert_eq!(ids(&f.kept), ["kept"]);
        let (s, r) = (&f.duplicates[0], &f.duplicates[1]);
        assert_eq!(r.dup_kind, Some(DupKind::Near));
        assert!(r.similarity.unwrap() >= 0.8);
        // The stub has no body to compare: a URL duplicate (through the
        // capture of its URL) of the record that capture joined.
        assert_eq!(s.duplicate_of.as_deref(), Some("kept"));
        assert_eq!(s.dup_kind, Some(DupKind::Url));
        assert_eq!(s.similarity, Some(0.0));
    }

    #[test]
    fn boilerplate_per_source() {
        let footer = "分享网络安全知识 强化网络安全意识";
        let mut docs = Vec::new();
        for i in 0..5 {
            docs.push(sourced(
                &format!("cn{i}"),
                &format!("{}\n\n{footer}", article(i, 300)),
                "网络安全应急技术国家工程实验室",
            ));
        }
        // The same footer in another source's four documents stays.
        for i in 0..4 {
            docs.push(sourced(
                &format!("other{i}"),
                &format!("{}\n\n{footer}", article(100 + i, 300)),
                "嘶吼专业版",
            ));
        }
        // A document that is only the footer has nothing left.
        docs.push(sourced(
            "only-footer",
            footer,
            "网络安全应急技术国家工程实验室",
        ));
        let f = run(docs);
        assert_eq!(f.kept.len(), 10);
        for d in &f.kept {
            if d.id.starts_with("cn") {
                assert!(!d.text.contains(footer));
                assert_eq!(d.removed.len(), 1);
                assert_eq!(d.removed[0].family, scour_record::Family::Boilerplate);
                assert_eq!(d.removed[0].rule, "dedup/repeated-block");
                assert_eq!(d.removed[0].text, footer);
            } else {
                assert!(d.text.ends_with(footer));
                assert!(d.removed.is_empty());
            }
        }
        // A document that is only the footer is never reduced to nothing:
        // it keeps its body (the loop above checked it has no removal).
        assert!(f.kept.iter().any(|d| d.id == "only-footer"));
        assert!(f.rejected.is_empty());
        let s = f.stats();
        assert_eq!((s.boilerplate_blocks, s.boilerplate_docs), (5, 5));
    }

    /// The finish's first read strips each record that lost blocks again,
    /// once, and the second writes what that gave, from memory or from the
    /// spill file alike.
    #[test]
    fn a_record_that_loses_blocks_is_stripped_again_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;
        let footer = "分享网络安全知识 强化网络安全意识";
        for budget in [crate::spill::MEMORY_BUDGET, 0] {
            let calls = Arc::new(AtomicUsize::new(0));
            let counted = Arc::clone(&calls);
            let mut d = Deduper::new(Options::default()).restrip_with(move |mut doc| {
                counted.fetch_add(1, Ordering::Relaxed);
                doc.text.push_str("\n\n（再清一遍）");
                doc
            });
            d.spill.budget = budget;
            for i in 0..6 {
                d.push(sourced(
                    &format!("cn{i}"),
                    &format!("{}\n\n{footer}", article(i, 300)),
                    "网络安全应急技术国家工程实验室",
                ));
            }
            d.push(sourced("lone", &article(50, 300), "嘶吼专业版"));
            let f = d.finish();
            assert_eq!(calls.load(Ordering::Relaxed), 6, "budget {budget}");
            assert_eq!(f.kept.len(), 7, "budget {budget}");
            for k in &f.kept {
                let cut = k.id.starts_with("cn");
                assert_eq!(k.text.ends_with("（再清一遍）"), cut, "{}", k.id);
                assert!(!k.text.contains(footer), "{}", k.id);
                assert_eq!(k.removed.len(), usize::from(cut), "{}", k.id);
            }
        }
    }

    #[test]
    fn reposts_with_different_footers_match_after_boilerplate() {
        // Each account's footer is learned from its own other articles; the
        // two reposts then have identical bodies.
        let mut docs = Vec::new();
        for (src, footer) in [("甲", "甲的页脚：关注我们"), ("乙", "乙的页脚：欢迎投稿")]
        {
            for i in 0..5u64 {
                let body = if i == 0 {
                    BODY.clone()
                } else {
                    article(i * 31 + u64::from(src == "甲") * 1000, 200)
                };
                let mut d = doc(&format!("{src}{i}"), &format!("{body}\n\n{footer}"), None);
                d.source = Some(src.into());
                docs.push(d);
            }
        }
        let f = run(docs);
        assert_eq!(ids(&f.duplicates), ["乙0"]);
        assert_eq!(f.duplicates[0].dup_kind, Some(DupKind::Exact));
    }

    #[test]
    fn rejected_pass_through_untouched() {
        let mut bad = doc("bad", &BODY, None);
        bad.reject_reason = Some(RejectReason::Deleted);
        let f = run(vec![bad.clone(), doc("good", &BODY, None)]);
        assert_eq!(f.rejected, [bad]);
        assert_eq!(ids(&f.kept), ["good"]);
    }

    #[test]
    fn index_entries_win_even_when_later() {
        let first = run(vec![doc("old", &BODY, Some("2024-05-01"))]);
        let mut bytes = Vec::new();
        first.index.write_to(&mut bytes).unwrap();
        let index = Index::read_from(bytes.as_slice()).unwrap();
        assert_eq!(index, first.index);
        let f = run_with(
            Options::default(),
            index,
            vec![doc(
                "new-earlier",
                &format!("{}\n\n补充", *BODY),
                Some("2020-01-01"),
            )],
        );
        assert!(f.kept.is_empty());
        assert_eq!(f.duplicates[0].duplicate_of.as_deref(), Some("old"));
        assert_eq!(f.index.len(), 2);
        assert_eq!(f.index.kept(), 1);
    }

    #[test]
    fn chains_do_not_group_with_or_without_index() {
        // b is near a, c is near b but not near a (issue 17): c is kept, in
        // one run as in two through the index, since a duplicate is set
        // aside only as a duplicate of a kept record it is itself similar to.
        // The estimator is noisy, so take the first article whose estimates
        // have the chain's shape (true Jaccard: 0.87, 0.87 and 0.75).
        let sig = |t: &str| MinHasher::default().signature(t).unwrap();
        let (a, b, c) = (0..100)
            .map(|seed| {
                let a = article(seed, 1400);
                let b = edit(&a, 70, 0);
                let c = edit(&b, 70, 35);
                (a, b, c)
            })
            .find(|(a, b, c)| {
                estimated_jaccard(&sig(a), &sig(b)) >= 0.8
                    && estimated_jaccard(&sig(b), &sig(c)) >= 0.8
                    && estimated_jaccard(&sig(a), &sig(c)) < 0.8
            })
            .expect("a chain");
        let docs = vec![
            doc("a", &a, Some("2024-01-01")),
            doc("b", &b, Some("2024-01-02")),
            doc("c", &c, Some("2024-01-03")),
        ];
        let whole = run(docs.clone());
        assert_eq!(ids(&whole.kept), ["a", "c"]);
        assert_eq!(ids(&whole.duplicates), ["b"]);
        assert_eq!(whole.duplicates[0].duplicate_of.as_deref(), Some("a"));
        let first = run(docs[..2].to_vec());
        let second = run_with(Options::default(), first.index, docs[2..].to_vec());
        assert_eq!(ids(&second.kept), ["c"]);
        // Were b kept instead (a later, so b ranks first), c would join b.
        let later_a = vec![
            doc("b", &b, Some("2024-01-01")),
            doc("a", &a, Some("2024-01-02")),
            doc("c", &c, Some("2024-01-03")),
        ];
        let f = run(later_a);
        assert_eq!(ids(&f.kept), ["b"]);
        assert!(f
            .duplicates
            .iter()
            .all(|d| d.duplicate_of.as_deref() == Some("b")));
    }

    /// A corpus with every route: kept, each duplicate kind, boilerplate,
    /// rejected on arrival, left empty, a stub.
    fn every_route() -> Vec<Doc> {
        let footer = "分享网络安全知识 强化网络安全意识";
        let mut docs = Vec::new();
        let mut bad = doc("bad", &BODY, None);
        bad.reject_reason = Some(RejectReason::Deleted);
        bad.similarity = Some(0.123_456_789_012_345_67);
        bad.extra
            .insert_value("zeta".into(), &serde_json::json!({"n": [1.5, -2, "三"]}));
        docs.push(bad);
        for i in 0..5 {
            let mut d = doc(
                &format!("src{i}"),
                &format!("{}\n\n{footer}", article(i, 300)),
                Some("2024-01-02"),
            );
            d.source = Some("甲".into());
            docs.push(d);
        }
        let mut only = doc("only-footer", footer, None);
        only.source = Some("甲".into());
        docs.push(only);
        let mut stub = doc("stub", "", None);
        stub.url = Some(wx_url(9, 1));
        docs.push(stub);
        let mut full = doc("full", &BODY, Some("2024-01-03"));
        full.url = Some(wx_url(9, 1));
        docs.push(full);
        docs.push(doc("exact", &BODY, Some("2024-01-04")));
        docs.push(doc("near", &format!("{}\n\n欢迎转发", *BODY), None));
        let mut lonely = doc("lonely", "", None);
        lonely.url = Some(wx_url(9, 2));
        docs.push(lonely);
        docs
    }

    #[test]
    fn finish_with_hands_out_what_finish_lists_in_input_order() {
        let docs = every_route();
        let whole = run(docs.clone());
        let mut d = Deduper::new(Options::default());
        for doc in docs.clone() {
            d.push(doc);
        }
        let mut streamed = Finished::default();
        let mut order = Vec::new();
        let summary = d
            .finish_with(|outcome, doc| {
                order.push(doc.id.clone());
                match outcome {
                    Outcome::Kept => streamed.kept.push(doc),
                    Outcome::Duplicate => streamed.duplicates.push(doc),
                    Outcome::Rejected => streamed.rejected.push(doc),
                }
                Ok::<(), Error>(())
            })
            .unwrap();
        assert_eq!(order, ids(&docs));
        assert_eq!(streamed.kept, whole.kept);
        assert_eq!(streamed.duplicates, whole.duplicates);
        assert_eq!(streamed.rejected, whole.rejected);
        assert_eq!(summary.index, whole.index);
        assert_eq!(summary.stats, whole.stats());
        // Every route was taken.
        let s = summary.stats;
        assert!(s.kept > 0 && s.url > 0 && s.exact > 0 && s.near > 0);
        assert_eq!(s.boilerplate_docs, 5);
        assert_eq!(ids(&whole.rejected), ["bad", "lonely"]);
        // The spill file gives back what was pushed, floats and unknown
        // fields included.
        assert_eq!(whole.rejected[0], docs[0]);
    }

    /// Past the memory budget documents go to the file: the same output
    /// either way, byte for byte.
    #[test]
    fn held_and_spilled_documents_give_the_same_output() {
        let docs = every_route();
        let held = run(docs.clone());
        for budget in [0, 3000] {
            let mut d = Deduper::new(Options::default());
            d.spill.budget = budget;
            for doc in docs.clone() {
                d.push(doc);
            }
            assert!(
                matches!(
                    d.spill.store(),
                    crate::spill::Store::File(_) | crate::spill::Store::Memory(_)
                ),
                "budget {budget} spills"
            );
            let spilled = d.finish();
            assert_eq!(spilled.kept, held.kept);
            assert_eq!(spilled.duplicates, held.duplicates);
            assert_eq!(spilled.rejected, held.rejected);
            assert_eq!(spilled.index, held.index);
        }
    }

    /// Workers that do the items last first, on scoped threads, two at a
    /// time: the finish must not depend on the order its work is done in.
    struct Scrambled;

    impl Workers for Scrambled {
        fn map<T, U, F>(&self, items: Vec<T>, f: F) -> Vec<U>
        where
            T: Send,
            U: Send,
            F: Fn(T) -> U + Sync + Send,
        {
            let f = &f;
            let mut items: Vec<(usize, T)> = items.into_iter().enumerate().collect();
            items.reverse();
            let mut out: Vec<(usize, U)> = Vec::new();
            while !items.is_empty() {
                let pair: Vec<(usize, T)> = items.drain(..items.len().min(2)).collect();
                std::thread::scope(|scope| {
                    let handles: Vec<_> = pair
                        .into_iter()
                        .map(|(i, t)| scope.spawn(move || (i, f(t))))
                        .collect();
                    out.extend(handles.into_iter().map(|h| h.join().unwrap()));
                });
            }
            out.sort_by_key(|(i, _)| *i);
            out.into_iter().map(|(_, u)| u).collect()
        }
    }

    #[test]
    fn batched_finish_on_threads_equals_the_one_in_order() {
        // Copies of every route, with their own ids, over several batches.
        let docs: Vec<Doc> = (0..3 * BATCH / every_route().len())
            .flat_map(|k| {
                every_route().into_iter().map(move |mut d| {
                    d.id = format!("{}-{k}", d.id);
                    d
                })
            })
            .collect();
        assert!(docs.len() > 2 * BATCH);
        let whole = run(docs.clone());
        for budget in [crate::spill::MEMORY_BUDGET, 0] {
            let mut d = Deduper::new(Options::default());
            d.spill.budget = budget;
            let counter = d.counter();
            for doc in docs.clone() {
                d.push_counted(counter.count(doc));
            }
            let mut got = Finished::default();
            let summary = d
                .finish_batched(&Scrambled, |batch| {
                    for (outcome, doc) in batch {
                        match outcome {
                            Outcome::Kept => got.kept.push(doc),
                            Outcome::Duplicate => got.duplicates.push(doc),
                            Outcome::Rejected => got.rejected.push(doc),
                        }
                    }
                    Ok::<(), Error>(())
                })
                .unwrap();
            assert_eq!(got.kept, whole.kept, "budget {budget}");
            assert_eq!(got.duplicates, whole.duplicates);
            assert_eq!(got.rejected, whole.rejected);
            assert_eq!(summary.index, whole.index);
        }
    }

    #[test]
    fn a_sink_error_stops_the_finish() {
        let mut d = Deduper::new(Options::default());
        for doc in every_route() {
            d.push(doc);
        }
        let mut seen = 0;
        let err = d
            .finish_with(|_, _| {
                seen += 1;
                if seen == 3 {
                    return Err(Error::Spill(std::io::Error::other("sink full")));
                }
                Ok(())
            })
            .unwrap_err();
        assert_eq!(seen, 3);
        assert!(err.to_string().contains("sink full"), "{err}");
    }

    #[test]
    fn nothing_pushed_finishes_empty() {
        let f = Deduper::default().finish();
        assert_eq!(f.stats().total(), 0);
        assert!(f.index.is_empty());
    }

    /// Groups of copies of one article: (article seed, copies as kinds).
    /// Kinds: 0 exact copy, 1 light edit, 2 body-less stub of the base URL,
    /// 3 same URL with an edited body.
    fn groups() -> impl Strategy<Value = Vec<(u64, Vec<u8>)>> {
        prop::collection::vec((0u64..1_000_000, prop::collection::vec(0u8..4, 0..4)), 1..7)
    }

    /// The documents of `groups`, each with a distinct date `day0 + k`.
    fn corpus(groups: &[(u64, Vec<u8>)]) -> Vec<Doc> {
        let mut docs = Vec::new();
        for (g, (seed, kinds)) in groups.iter().enumerate() {
            let base = article(*seed ^ (g as u64) << 40, 1200);
            let url = wx_url(g as u32, 7);
            let mut d = doc(&format!("g{g}-base"), &base, None);
            d.url = Some(url.clone());
            docs.push(d);
            for (k, kind) in kinds.iter().enumerate() {
                let mut d = match kind {
                    0 => doc("", &base, None),
                    1 => doc("", &edit(&base, 400, k as u32 * 100), None),
                    2 => doc("", "", None),
                    _ => doc("", &edit(&base, 300, 150), None),
                };
                if *kind >= 2 {
                    d.url = Some(url.clone());
                }
                d.id = format!("g{g}-{k}-{kind}");
                docs.push(d);
            }
        }
        docs
    }

    fn dated(mut docs: Vec<Doc>) -> Vec<Doc> {
        for (i, d) in docs.iter_mut().enumerate() {
            d.published = Some(format!("2024-{:02}-{:02}", 1 + i / 28, 1 + i % 28));
        }
        docs
    }

    fn decisions(f: &Finished) -> BTreeSet<(String, Option<String>, Option<&'static str>)> {
        f.kept
            .iter()
            .chain(&f.duplicates)
            .chain(&f.rejected)
            .map(|d| {
                (
                    d.id.clone(),
                    d.duplicate_of.clone(),
                    d.dup_kind.map(DupKind::as_str),
                )
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn every_record_accounted_and_groups_found(groups in groups()) {
            let docs = dated(corpus(&groups));
            let n = docs.len();
            let f = run(docs);
            prop_assert_eq!(f.stats().total(), n);
            // One kept record per group: copies are all found.
            prop_assert_eq!(f.kept.len(), groups.len());
            let s = f.stats();
            prop_assert_eq!(s.url + s.exact + s.near, s.duplicates);
        }

        #[test]
        fn order_of_pushes_does_not_change_decisions(groups in groups(), seed in any::<u64>()) {
            let docs = dated(corpus(&groups));
            let mut shuffled = docs.clone();
            // Fisher-Yates with a fixed generator.
            let mut x = seed | 1;
            for i in (1..shuffled.len()).rev() {
                x ^= x << 13; x ^= x >> 7; x ^= x << 17;
                shuffled.swap(i, (x % (i as u64 + 1)) as usize);
            }
            let (a, b) = (run(docs.clone()), run(shuffled));
            prop_assert_eq!(decisions(&a), decisions(&b));
            // Same input, same bytes.
            let again = run(docs);
            let bytes = |f: &Finished| {
                let mut out = Vec::new();
                for d in f.kept.iter().chain(&f.duplicates).chain(&f.rejected) {
                    scour_record::write_jsonl(&mut out, d).unwrap();
                }
                f.index.write_to(&mut out).unwrap();
                out
            };
            prop_assert_eq!(bytes(&a), bytes(&again));
        }

        #[test]
        fn halves_with_index_keep_what_one_run_keeps(groups in groups(), cut in 0.0f64..1.0, seed in any::<u64>()) {
            // Interleave the groups, then date by position: input order agrees
            // with the keep order, as for dumps that arrive day by day.
            let mut docs = corpus(&groups);
            let mut x = seed | 1;
            for i in (1..docs.len()).rev() {
                x ^= x << 13; x ^= x >> 7; x ^= x << 17;
                docs.swap(i, (x % (i as u64 + 1)) as usize);
            }
            let docs = dated(docs);
            let at = ((docs.len() as f64) * cut) as usize;
            let whole = run(docs.clone());
            let first = run(docs[..at].to_vec());
            let mut bytes = Vec::new();
            first.index.write_to(&mut bytes).unwrap();
            let index = Index::read_from(bytes.as_slice()).unwrap();
            let second = run_with(Options::default(), index, docs[at..].to_vec());
            let kept = |f: &[&Finished]| f.iter().flat_map(|f| f.kept.iter().map(|d| d.id.clone())).collect::<BTreeSet<_>>();
            prop_assert_eq!(kept(&[&whole]), kept(&[&first, &second]));
            prop_assert_eq!(first.stats().total() + second.stats().total(), docs.len());
        }
    }
}
