//! Where pushed records wait for the finish: held in memory up to a budget,
//! then in an anonymous temporary file, each with its [`Header`] (what the
//! finish needs of it without reading the record itself).
//!
//! A record in the file is its length (8 little-endian bytes), the length of
//! its header (8 bytes), the header, then [`Doc::encode`]'s bytes. The file
//! is read only by the process that wrote it.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use scour_record::Doc;

use crate::minhash::{Signature, NUM_PERM};
use crate::Error;

/// Buffer size of the spill file's writer and readers.
const SPILL_BUFFER: usize = 1 << 16;

/// Records are held in memory up to about this many bytes; beyond it they
/// all go to a temporary file, so memory stays flat on big corpora while
/// small runs write no file.
pub(crate) const MEMORY_BUDGET: usize = 32 << 20;

/// What the finish needs of a pushed record without reading it, worked out
/// on the caller's threads ([`Counter`](crate::Counter)).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Header {
    /// Already rejected when pushed.
    pub(crate) rejected: bool,
    /// Its source's key, when its blocks are counted (it has a source and
    /// boilerplate learning is on).
    pub(crate) src: Option<u64>,
    /// The block hash of each segment of its body (split on blank lines),
    /// `None` for a segment too long to be boilerplate; empty without `src`.
    pub(crate) segments: Vec<Option<u64>>,
    /// Its fingerprints as pushed, before any boilerplate removal: what
    /// matching uses when no block of it turns out to be boilerplate.
    pub(crate) print: Print,
}

/// A record's fingerprints (see [`Header::print`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Print {
    pub(crate) had_body: bool,
    pub(crate) url_key: u64,
    pub(crate) body: Option<u128>,
    pub(crate) day: u32,
    pub(crate) len: u32,
    pub(crate) signature: Option<Box<Signature>>,
    pub(crate) capture: u64,
    pub(crate) id: String,
}

impl Header {
    fn encode(&self, out: &mut Vec<u8>) {
        let Header {
            rejected,
            src,
            segments,
            print,
        } = self;
        out.push(u8::from(*rejected));
        put_opt_u64(out, *src);
        out.extend_from_slice(&(segments.len() as u64).to_le_bytes());
        for s in segments {
            put_opt_u64(out, *s);
        }
        let Print {
            had_body,
            url_key,
            body,
            day,
            len,
            signature,
            capture,
            id,
        } = print;
        out.push(u8::from(*had_body));
        out.extend_from_slice(&url_key.to_le_bytes());
        match body {
            None => out.push(0),
            Some(b) => {
                out.push(1);
                out.extend_from_slice(&b.to_le_bytes());
            }
        }
        out.extend_from_slice(&day.to_le_bytes());
        out.extend_from_slice(&len.to_le_bytes());
        match signature {
            None => out.push(0),
            Some(sig) => {
                out.push(1);
                for slot in sig.iter() {
                    out.extend_from_slice(&slot.to_le_bytes());
                }
            }
        }
        out.extend_from_slice(&capture.to_le_bytes());
        out.extend_from_slice(&(id.len() as u64).to_le_bytes());
        out.extend_from_slice(id.as_bytes());
    }

    fn decode(b: &[u8]) -> Option<Header> {
        let mut r = Reader { b, pos: 0 };
        let rejected = r.byte()? != 0;
        let src = r.opt_u64().ok()?;
        let n = usize::try_from(r.u64()?).ok()?;
        let mut segments = Vec::with_capacity(n.min(b.len()));
        for _ in 0..n {
            segments.push(r.opt_u64().ok()?);
        }
        let had_body = r.byte()? != 0;
        let url_key = r.u64()?;
        let body = match r.byte()? {
            0 => None,
            _ => Some(u128::from_le_bytes(r.take(16)?.try_into().ok()?)),
        };
        let day = u32::from_le_bytes(r.take(4)?.try_into().ok()?);
        let len = u32::from_le_bytes(r.take(4)?.try_into().ok()?);
        let signature = if r.byte()? == 0 {
            None
        } else {
            let mut sig = Box::new([0u16; NUM_PERM]);
            for slot in sig.iter_mut() {
                *slot = u16::from_le_bytes(r.take(2)?.try_into().ok()?);
            }
            Some(sig)
        };
        let capture = r.u64()?;
        let id_len = usize::try_from(r.u64()?).ok()?;
        let id = String::from_utf8(r.take(id_len)?.to_vec()).ok()?;
        (r.pos == b.len()).then_some(Header {
            rejected,
            src,
            segments,
            print: Print {
                had_body,
                url_key,
                body,
                day,
                len,
                signature,
                capture,
                id,
            },
        })
    }
}

fn put_opt_u64(out: &mut Vec<u8>, v: Option<u64>) {
    match v {
        None => out.push(0),
        Some(v) => {
            out.push(1);
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

/// Bytes that are not a header this module wrote.
struct Damaged;

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.b.get(self.pos..self.pos.checked_add(n)?)?;
        self.pos += n;
        Some(s)
    }

    fn byte(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    /// An optional number; `Err` when the bytes are damaged.
    fn opt_u64(&mut self) -> Result<Option<u64>, Damaged> {
        match self.byte().ok_or(Damaged)? {
            0 => Ok(None),
            1 => self.u64().map(Some).ok_or(Damaged),
            _ => Err(Damaged),
        }
    }
}

/// A pushed record read back, as the finish takes it: its header, and the
/// record's bytes still to decode.
pub(crate) struct Spilled<'a> {
    pub(crate) header: Header,
    pub(crate) doc: Stored<'a>,
}

/// A record's bytes ([`Doc::encode`]) as the spill gives them back.
pub(crate) enum Stored<'a> {
    /// Held in memory (the first read borrows them).
    Held(&'a [u8]),
    /// Read from the file, or handed over for good (the last read).
    Owned(Vec<u8>),
    /// Not read: the reader was told they are not needed.
    Skipped,
}

impl Stored<'_> {
    /// The record itself.
    pub(crate) fn doc(self) -> Result<Doc, Error> {
        let bytes: &[u8] = match &self {
            Stored::Held(b) => b,
            Stored::Owned(b) => b,
            Stored::Skipped => return Err(short("a record skipped was asked for")),
        };
        Doc::decode(bytes).map_err(|e| Error::Spill(io::Error::new(io::ErrorKind::InvalidData, e)))
    }
}

/// Where pushed documents wait for the finish, in push order.
#[derive(Debug)]
pub(crate) struct Spill {
    store: Store,
    /// Bytes of documents held in memory before they go to a file.
    pub(crate) budget: usize,
    /// Documents pushed.
    pub(crate) count: usize,
    /// The first write error; the finish reports it.
    error: Option<io::Error>,
    /// Scratch for one encoded record.
    scratch: Vec<u8>,
}

#[derive(Debug)]
pub(crate) enum Store {
    /// Nothing pushed yet.
    Unopened,
    /// Records held in memory while they fit in [`MEMORY_BUDGET`]: a small
    /// run writes no file.
    Held {
        records: Vec<(Header, Vec<u8>)>,
        bytes: usize,
    },
    /// An anonymous temporary file of encoded records (see the module docs).
    File(BufWriter<File>),
    /// The same, in memory: no temporary file could be created.
    Memory(Vec<u8>),
}

impl Spill {
    pub(crate) fn new() -> Self {
        Spill::with_budget(MEMORY_BUDGET)
    }

    /// A spill that holds up to `budget` bytes of records in memory.
    pub(crate) fn with_budget(budget: usize) -> Self {
        Spill {
            store: Store::Unopened,
            budget,
            count: 0,
            error: None,
            scratch: Vec::new(),
        }
    }

    #[cfg(test)]
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    /// Appends one record: its header and [`Doc::encode`]'s bytes.
    pub(crate) fn push(&mut self, header: Header, record: Vec<u8>) {
        self.count += 1;
        if self.error.is_some() {
            return;
        }
        if matches!(self.store, Store::Unopened) {
            self.store = Store::Held {
                records: Vec::new(),
                bytes: 0,
            };
        }
        if let Store::Held { records, bytes } = &mut self.store {
            let size = 256 + record.len();
            if *bytes + size <= self.budget {
                *bytes += size;
                records.push((header, record));
                return;
            }
            // Over budget: everything so far goes to the file, and so does
            // every record from now on.
            let held = std::mem::take(records);
            self.store = match tempfile::tempfile() {
                Ok(f) => Store::File(BufWriter::with_capacity(SPILL_BUFFER, f)),
                Err(_) => Store::Memory(Vec::new()),
            };
            for (h, r) in &held {
                self.write_record(h, r);
            }
        }
        self.write_record(&header, &record);
    }

    fn write_record(&mut self, header: &Header, record: &[u8]) {
        if self.error.is_some() {
            return;
        }
        self.scratch.clear();
        self.scratch.extend_from_slice(&[0; 16]);
        header.encode(&mut self.scratch);
        let header_len = (self.scratch.len() - 16) as u64;
        let len = (self.scratch.len() - 8 + record.len()) as u64;
        self.scratch[..8].copy_from_slice(&len.to_le_bytes());
        self.scratch[8..16].copy_from_slice(&header_len.to_le_bytes());
        let written = match &mut self.store {
            Store::File(w) => w
                .write_all(&self.scratch)
                .and_then(|()| w.write_all(record)),
            Store::Memory(m) => {
                m.extend_from_slice(&self.scratch);
                m.extend_from_slice(record);
                Ok(())
            }
            Store::Unopened | Store::Held { .. } => Ok(()),
        };
        if let Err(e) = written {
            self.error = Some(e);
        }
    }

    /// Reads the documents back from the first.
    pub(crate) fn reader(&mut self) -> Result<SpillReader<'_>, Error> {
        if let Some(e) = self.error.take() {
            return Err(Error::Spill(e));
        }
        let input: Box<dyn BufRead + '_> = match &mut self.store {
            Store::Held { records, .. } => {
                return Ok(SpillReader::Held(records));
            }
            Store::Unopened => Box::new(io::empty()),
            Store::File(w) => {
                w.flush().map_err(Error::Spill)?;
                let f = w.get_mut();
                f.seek(SeekFrom::Start(0)).map_err(Error::Spill)?;
                Box::new(BufReader::with_capacity(SPILL_BUFFER, f))
            }
            Store::Memory(m) => Box::new(m.as_slice()),
        };
        Ok(SpillReader::Encoded(input))
    }
}

/// Documents read back from a [`Spill`], in push order.
pub(crate) enum SpillReader<'a> {
    /// Held in memory: they fit the budget.
    Held(&'a mut Vec<(Header, Vec<u8>)>),
    /// Encoded records.
    Encoded(Box<dyn BufRead + 'a>),
}

impl SpillReader<'_> {
    /// The records `from..from + n` (the caller asks for exactly as many as
    /// were pushed, in order), each with its header. With `take`, held
    /// documents are handed over rather than lent: the last read. A record
    /// in the file whose header `need` turns down is not read.
    pub(crate) fn batch(
        &mut self,
        from: usize,
        n: usize,
        take: bool,
        need: &dyn Fn(&Header) -> bool,
    ) -> Result<Vec<Spilled<'_>>, Error> {
        match self {
            SpillReader::Held(records) => {
                let Some(held) = records.get_mut(from..from + n) else {
                    return Err(short("fewer documents held than pushed"));
                };
                Ok(if take {
                    held.iter_mut()
                        .map(|(h, r)| Spilled {
                            header: std::mem::take(h),
                            doc: Stored::Owned(std::mem::take(r)),
                        })
                        .collect()
                } else {
                    held.iter()
                        .map(|(h, r)| Spilled {
                            header: h.clone(),
                            doc: Stored::Held(r),
                        })
                        .collect()
                })
            }
            SpillReader::Encoded(input) => {
                let mut out = Vec::with_capacity(n);
                for _ in 0..n {
                    let mut len = [0u8; 16];
                    input
                        .read_exact(&mut len)
                        .map_err(|_| short("the spill file ended before the documents pushed"))?;
                    let (total, header_len) = len.split_at(8);
                    let total = u64::from_le_bytes(total.try_into().unwrap_or_default());
                    let header_len = u64::from_le_bytes(header_len.try_into().unwrap_or_default());
                    let (Ok(total), Ok(header_len)) =
                        (usize::try_from(total), usize::try_from(header_len))
                    else {
                        return Err(short("a damaged spill record"));
                    };
                    let rest = total
                        .checked_sub(8)
                        .and_then(|r| r.checked_sub(header_len))
                        .ok_or_else(|| short("a damaged spill record"))?;
                    let mut header = vec![0; header_len];
                    input
                        .read_exact(&mut header)
                        .map_err(|_| short("the spill file ended inside a record"))?;
                    let header =
                        Header::decode(&header).ok_or_else(|| short("a damaged spill header"))?;
                    let doc = if need(&header) {
                        let mut rec = vec![0; rest];
                        input
                            .read_exact(&mut rec)
                            .map_err(|_| short("the spill file ended inside a record"))?;
                        Stored::Owned(rec)
                    } else {
                        let skipped =
                            io::copy(&mut input.by_ref().take(rest as u64), &mut io::sink())
                                .map_err(Error::Spill)?;
                        if skipped != rest as u64 {
                            return Err(short("the spill file ended inside a record"));
                        }
                        Stored::Skipped
                    };
                    out.push(Spilled { header, doc });
                }
                Ok(out)
            }
        }
    }
}

pub(crate) fn short(what: &str) -> Error {
    Error::Spill(io::Error::new(
        io::ErrorKind::UnexpectedEof,
        what.to_owned(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_roundtrip() {
        let h = Header {
            rejected: false,
            src: Some(7),
            segments: vec![Some(1), None, Some(u64::MAX)],
            print: Print {
                had_body: true,
                url_key: 9,
                body: Some(u128::MAX - 3),
                day: 20_000,
                len: 42,
                signature: Some(Box::new([513; NUM_PERM])),
                capture: 11,
                id: "文章".into(),
            },
        };
        let mut b = Vec::new();
        h.encode(&mut b);
        assert_eq!(Header::decode(&b), Some(h.clone()));
        for cut in 0..b.len() {
            assert_eq!(Header::decode(&b[..cut]), None);
        }
        let mut d = Vec::new();
        Header::default().encode(&mut d);
        assert_eq!(Header::decode(&d), Some(Header::default()));
    }
}
