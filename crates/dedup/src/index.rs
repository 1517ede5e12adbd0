//! The persistent index: what earlier runs kept and set aside, so that a new
//! run deduplicates against them.
//!
//! The byte layout is documented on [`Index`].

use std::io::{BufReader, BufWriter, Read, Write};

use xxhash_rust::xxh3::Xxh3;

use crate::error::{Error, Result};
use crate::minhash::{Signature, GRAM_SEED, NUM_PERM, SHINGLE};

const MAGIC: [u8; 8] = *b"SCOURDDX";
/// The format version. 3: the same bytes as 2, but the decisions recorded
/// (each entry's `group`) follow the grouping rule of ARCHITECTURE.md, where a
/// duplicate names a kept record it is itself similar to; version 2's groups
/// were connected components, which chained unrelated records (issue 17), so
/// its decisions must not be replayed. 4: the same bytes as 3, but WeChat
/// article URLs are read once, by `scour_record::WechatArticle` (issue 16):
/// a capture without `sn`, or an old `/mp/appmsg/show` link, now has a
/// canonical URL, so its id and URL key differ from what version 3 stored.
/// 5: the same bytes as 4, but the id of a record without a URL hashes its
/// path relative to the input argument, not the path as given (issue 14), so
/// such a record's id (and its capture) differ from what version 4 stored: a
/// version 4 index would have every such record cleaned again become a
/// duplicate of itself.
const VERSION: u32 = 5;
const SLOT_BITS: u8 = 16;

const FLAG_HEX_ID: u8 = 1;
const FLAG_SIGNATURE: u8 = 2;
const FLAG_BODY: u8 = 4;

/// One record an earlier run saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) id: String,
    /// 0: no URL.
    pub(crate) url_key: u64,
    pub(crate) body_hash: Option<u128>,
    /// Day ordinal, 0: unknown.
    pub(crate) day: u32,
    pub(crate) len: u32,
    /// Entry number of the group's kept record.
    pub(crate) group: u32,
    /// xxh3-64 of the capture (input path, line or offset, id), 0 when
    /// unknown: the same capture cleaned again replays its decision.
    pub(crate) capture: u64,
    pub(crate) signature: Option<Box<Signature>>,
}

/// What earlier runs kept and set aside: URL keys, body hashes and MinHash
/// signatures, in a compact versioned file. Load one with
/// [`Index::read_from`], pass it to
/// [`Deduper::with_index`](crate::Deduper::with_index), and save
/// [`Finished::index`](crate::Finished::index) with [`Index::write_to`].
///
/// 61 bytes a record (more for an id that is not 32 hex digits), plus 256
/// bytes of signature for bodies long enough to have one.
///
/// # File format, version 5
///
/// All integers little-endian. A header of 32 bytes:
///
/// | offset | size | content |
/// | --- | --- | --- |
/// | 0 | 8 | magic `SCOURDDX` |
/// | 8 | 4 | format version, `5` (versions 2 to 4 had the same layout, other grouping (2), URL keys (3) and ids of records without a URL (4)) |
/// | 12 | 2 | signature slots, `128` |
/// | 14 | 1 | bits per slot, `16` |
/// | 15 | 1 | characters per shingle, `5` |
/// | 16 | 8 | gram hash seed (signatures of another seed do not compare) |
/// | 24 | 8 | number of entries `n` |
///
/// then `n` entries, then 8 bytes: the xxh3-64 (seed 0) of every byte before
/// it, so a truncated or damaged file is refused rather than half-trusted.
///
/// An entry is 61 bytes, plus 256 bytes of signature when it has one:
///
/// | size | content |
/// | --- | --- |
/// | 1 | flags: bit 0 the id is 32 lowercase hex digits stored as 16 bytes; bit 1 a signature follows; bit 2 the body hash is set |
/// | 16 | the id's 16 bytes (bit 0 set); otherwise a 2-byte length and the id's UTF-8 bytes, so `duplicate_of` always names the real id |
/// | 8 | URL key: xxh3-64 of `WechatArticle::key_bytes` (`wx\0`, then `__biz`, `mid`, `idx`, each followed by `\0`) for WeChat article URLs, of `url\0` and the whole URL otherwise; 0 when the record had no URL |
/// | 16 | body hash: xxh3-128 of the body without whitespace |
/// | 4 | published date as a day ordinal (0001-01-01 is 1), 0 when unknown |
/// | 4 | body length in characters |
/// | 4 | group: the entry number of the kept record of its duplicate group (its own number when it was kept) |
/// | 8 | capture: xxh3-64 of the input path, line or offset and id; a record of the same capture cleaned again gets the decision it had (kept stays kept) instead of becoming its own duplicate |
/// | 256 | signature: 128 slots of 16 bits (bit 1 set) |
///
/// Entries keep the order they were added in: an older run's entries first.
/// Duplicates are stored too (with their group), so that a later capture of
/// their URL without a body follows them, and the same capture cleaned again
/// replays its decision.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Index {
    pub(crate) entries: Vec<Entry>,
}

impl Index {
    /// Records in the index (kept and duplicates).
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the index is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Records in the index that were kept.
    #[must_use]
    pub fn kept(&self) -> usize {
        self.entries
            .iter()
            .enumerate()
            .filter(|(i, e)| e.group as usize == *i)
            .count()
    }

    /// Reads an index written by [`Index::write_to`].
    ///
    /// # Errors
    ///
    /// I/O errors, and a file that is not an index, of another version or
    /// other signature parameters, truncated or damaged.
    pub fn read_from(reader: impl Read) -> Result<Index> {
        let mut r = Hashing {
            inner: BufReader::new(reader),
            hasher: Xxh3::new(),
        };
        let mut header = [0u8; 32];
        r.read_exact(&mut header)?;
        let found: [u8; 8] = header[..8].try_into().expect("8 bytes");
        if found != MAGIC {
            return Err(Error::BadMagic {
                expected: MAGIC,
                found,
            });
        }
        let version = u32::from_le_bytes(header[8..12].try_into().expect("4 bytes"));
        if version != VERSION {
            return Err(Error::Version {
                expected: VERSION,
                found: version,
            });
        }
        let params = |slots: u16, bits: u8, k: u8, seed: u64| {
            format!("{slots} slots × {bits} bits, {k}-grams, seed {seed:#x}")
        };
        let expected = params(NUM_PERM as u16, SLOT_BITS, SHINGLE as u8, GRAM_SEED);
        let found = params(
            u16::from_le_bytes([header[12], header[13]]),
            header[14],
            header[15],
            u64::from_le_bytes(header[16..24].try_into().expect("8 bytes")),
        );
        if found != expected {
            return Err(Error::Params { expected, found });
        }
        let count = u64::from_le_bytes(header[24..32].try_into().expect("8 bytes"));
        // Never trust a count for an allocation.
        let mut entries = Vec::with_capacity(usize::try_from(count.min(1 << 16)).unwrap_or(0));
        for n in 0..count {
            let entry = read_entry(&mut r, n, count).map_err(|e| match e {
                Error::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
                    Error::Truncated { entry: n, count }
                }
                e => e,
            })?;
            entries.push(entry);
        }
        let digest = r.hasher.digest();
        let mut trailer = [0u8; 8];
        r.inner
            .read_exact(&mut trailer)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::UnexpectedEof => Error::Truncated {
                    entry: count,
                    count,
                },
                _ => Error::Io(e),
            })?;
        let stored = u64::from_le_bytes(trailer);
        if stored != digest {
            return Err(Error::Checksum {
                expected: stored,
                found: digest,
            });
        }
        Ok(Index { entries })
    }

    /// Writes the index (see the module docs for the format).
    ///
    /// # Errors
    ///
    /// I/O errors of the writer.
    pub fn write_to(&self, writer: impl Write) -> Result<()> {
        let mut w = Hashing {
            inner: BufWriter::new(writer),
            hasher: Xxh3::new(),
        };
        w.write_all(&MAGIC)?;
        w.write_all(&VERSION.to_le_bytes())?;
        w.write_all(&(NUM_PERM as u16).to_le_bytes())?;
        w.write_all(&[SLOT_BITS, SHINGLE as u8])?;
        w.write_all(&GRAM_SEED.to_le_bytes())?;
        w.write_all(&(self.entries.len() as u64).to_le_bytes())?;
        for e in &self.entries {
            write_entry(&mut w, e)?;
        }
        let digest = w.hasher.digest();
        w.inner.write_all(&digest.to_le_bytes())?;
        w.inner.flush()?;
        Ok(())
    }
}

fn write_entry(w: &mut impl Write, e: &Entry) -> Result<()> {
    let hex = hex_id(&e.id);
    let mut flags = 0;
    if hex.is_some() {
        flags |= FLAG_HEX_ID;
    }
    if e.signature.is_some() {
        flags |= FLAG_SIGNATURE;
    }
    if e.body_hash.is_some() {
        flags |= FLAG_BODY;
    }
    w.write_all(&[flags])?;
    if let Some(bytes) = hex {
        w.write_all(&bytes)?;
    } else {
        // Ids longer than 64 KiB are cut at a character boundary: an id is
        // a hash or a path in practice.
        let mut end = e.id.len().min(usize::from(u16::MAX));
        while !e.id.is_char_boundary(end) {
            end -= 1;
        }
        w.write_all(&(end as u16).to_le_bytes())?;
        w.write_all(&e.id.as_bytes()[..end])?;
    }
    w.write_all(&e.url_key.to_le_bytes())?;
    w.write_all(&e.body_hash.unwrap_or(0).to_le_bytes())?;
    w.write_all(&e.day.to_le_bytes())?;
    w.write_all(&e.len.to_le_bytes())?;
    w.write_all(&e.group.to_le_bytes())?;
    w.write_all(&e.capture.to_le_bytes())?;
    if let Some(sig) = &e.signature {
        let mut bytes = [0u8; 2 * NUM_PERM];
        for (i, s) in sig.iter().enumerate() {
            bytes[2 * i..2 * i + 2].copy_from_slice(&s.to_le_bytes());
        }
        w.write_all(&bytes)?;
    }
    Ok(())
}

fn read_entry(r: &mut impl Read, n: u64, count: u64) -> Result<Entry> {
    let corrupt = |what| Error::Corrupt { entry: n, what };
    let mut flags = [0u8];
    r.read_exact(&mut flags)?;
    let flags = flags[0];
    if flags & !(FLAG_HEX_ID | FLAG_SIGNATURE | FLAG_BODY) != 0 {
        return Err(corrupt("unknown flags"));
    }
    let id = if flags & FLAG_HEX_ID != 0 {
        let mut b = [0u8; 16];
        r.read_exact(&mut b)?;
        b.iter().map(|x| format!("{x:02x}")).collect()
    } else {
        let mut len = [0u8; 2];
        r.read_exact(&mut len)?;
        let mut b = vec![0u8; usize::from(u16::from_le_bytes(len))];
        r.read_exact(&mut b)?;
        String::from_utf8(b).map_err(|_| corrupt("id is not UTF-8"))?
    };
    let mut fixed = [0u8; 8 + 16 + 4 + 4 + 4];
    r.read_exact(&mut fixed)?;
    let url_key = u64::from_le_bytes(fixed[0..8].try_into().expect("8"));
    let body = u128::from_le_bytes(fixed[8..24].try_into().expect("16"));
    let day = u32::from_le_bytes(fixed[24..28].try_into().expect("4"));
    let len = u32::from_le_bytes(fixed[28..32].try_into().expect("4"));
    let group = u32::from_le_bytes(fixed[32..36].try_into().expect("4"));
    if u64::from(group) >= count {
        return Err(corrupt("group out of range"));
    }
    let mut capture = [0u8; 8];
    r.read_exact(&mut capture)?;
    let capture = u64::from_le_bytes(capture);
    let signature = if flags & FLAG_SIGNATURE != 0 {
        let mut b = [0u8; 2 * NUM_PERM];
        r.read_exact(&mut b)?;
        let mut sig = Box::new([0u16; NUM_PERM]);
        for (i, s) in sig.iter_mut().enumerate() {
            *s = u16::from_le_bytes([b[2 * i], b[2 * i + 1]]);
        }
        Some(sig)
    } else {
        None
    };
    Ok(Entry {
        id,
        url_key,
        body_hash: (flags & FLAG_BODY != 0).then_some(body),
        day,
        len,
        group,
        capture,
        signature,
    })
}

/// The 16 bytes of a 32-digit lowercase hex id (uppercase would not round-trip).
fn hex_id(id: &str) -> Option<[u8; 16]> {
    let b = id.as_bytes();
    if b.len() != 32 {
        return None;
    }
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    };
    let mut out = [0u8; 16];
    for (i, o) in out.iter_mut().enumerate() {
        *o = digit(b[2 * i])? << 4 | digit(b[2 * i + 1])?;
    }
    Some(out)
}

/// A reader or writer that hashes what passes through it.
struct Hashing<T> {
    inner: T,
    hasher: Xxh3,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An index of format version 3 (`tests/fixtures/README.md`): refused
    /// with both versions named, before anything else is read.
    #[test]
    fn an_old_format_fixture_is_refused_by_version() {
        let old = include_bytes!("../../../tests/fixtures/index-v3.scourdx");
        let err = Index::read_from(&old[..]).unwrap_err();
        assert!(
            matches!(
                err,
                Error::Version {
                    expected: 5,
                    found: 3
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("version 3"), "{err}");
    }

    fn sample() -> Index {
        let mut sig = Box::new([0u16; NUM_PERM]);
        for (i, s) in sig.iter_mut().enumerate() {
            *s = (i as u16).wrapping_mul(40_503);
        }
        Index {
            entries: vec![
                Entry {
                    capture: 0,
                    id: "0123456789abcdef0123456789abcdef".into(),
                    url_key: 42,
                    body_hash: Some(u128::MAX - 7),
                    day: 738_945,
                    len: 4917,
                    group: 0,
                    signature: Some(sig),
                },
                Entry {
                    capture: 0,
                    id: "公众号/文章-1".into(),
                    url_key: 0,
                    body_hash: None,
                    day: 0,
                    len: 0,
                    group: 0,
                    signature: None,
                },
            ],
        }
    }

    #[test]
    fn round_trip() {
        let index = sample();
        let mut bytes = Vec::new();
        index.write_to(&mut bytes).unwrap();
        assert_eq!(
            bytes.len(),
            32 + (61 + 256) + (1 + 2 + "公众号/文章-1".len() + 44) + 8
        );
        assert_eq!(Index::read_from(bytes.as_slice()).unwrap(), index);
    }

    #[test]
    fn damage_is_refused() {
        let mut bytes = Vec::new();
        sample().write_to(&mut bytes).unwrap();
        assert!(matches!(
            Index::read_from(&bytes[..bytes.len() - 3]),
            Err(Error::Truncated { .. })
        ));
        assert!(matches!(
            Index::read_from(&bytes[..40]),
            Err(Error::Truncated { entry: 0, .. })
        ));
        let mut flipped = bytes.clone();
        flipped[100] ^= 1;
        assert!(matches!(
            Index::read_from(flipped.as_slice()),
            Err(Error::Checksum { .. })
        ));
        let mut other = bytes.clone();
        other[8] = 9;
        assert!(matches!(
            Index::read_from(other.as_slice()),
            Err(Error::Version { found: 9, .. })
        ));
        assert!(matches!(
            Index::read_from(&b"PK\x03\x04 not an index at all, no no no"[..]),
            Err(Error::BadMagic { .. })
        ));
        assert!(Index::read_from(&b""[..]).is_err());
    }

    #[test]
    fn empty_round_trip() {
        let mut bytes = Vec::new();
        Index::default().write_to(&mut bytes).unwrap();
        assert_eq!(bytes.len(), 40);
        assert!(Index::read_from(bytes.as_slice()).unwrap().is_empty());
    }
}
