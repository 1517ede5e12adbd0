"""scour's cleaning from Python: dump bytes in, clean article records out.

The same Rust core as the ``scour`` command line (normalize, strip, the
MinHash signatures of dedup), records as dicts with the fields of scour's
JSONL records, or as Arrow record batches (``clean_arrow``) so that a batch
crosses into Rust once. ``scour_text.spark`` runs the whole pipeline,
dedup included, on Apache Spark.

>>> import scour_text
>>> recs = scour_text.clean(b"---\\ntitle: t\\n---\\n\\n" + "正文".encode() * 20, "a.md")
>>> recs[0]["title"]
't'
"""

from __future__ import annotations

import json
from typing import Any, Iterable, List, Optional, Sequence

from . import _native

__all__ = [
    "RejectedError",
    "clean",
    "clean_arrow",
    "minhash",
    "normalize",
    "record_schema",
    "similarity",
    "strip",
    "SCHEMA_VERSION",
]

#: The version of the record schema (``scour.record.version`` in Arrow and
#: Parquet metadata).
SCHEMA_VERSION: str = _native.schema_version()


class RejectedError(ValueError):
    """A document that is not an article, or could not be read.

    ``reason`` is the record's reject reason, in the words of scour's
    POLICY (``empty``, ``deleted``, ``expired``, ``blocked``, ``listing``,
    ``parse``, ``io``, ``too-large``), ``detail`` what the record says
    beyond it (or ``""``), and ``record`` the whole rejected record.
    """

    def __init__(self, record: dict):
        self.record = record
        self.reason: str = record.get("reject_reason", "")
        self.detail: str = record.get("reject_detail", "")
        where = record.get("origin", {}).get("path", "")
        message = f"{self.reason}: {self.detail}" if self.detail else self.reason
        super().__init__(f"rejected {where}: {message}")


def _loads(lines: Iterable[str]) -> List[dict]:
    return [json.loads(line) for line in lines]


def normalize(data: bytes, name: str, *, text_fields: Optional[Sequence[str]] = None) -> List[dict]:
    """Reads the bytes of one dump file named ``name`` (its extension and
    content tell the format) into records, as ``scour normalize`` does with
    ``name`` as its argument (the ids of records without a URL hash the file
    name, not the folders: where the file lives does not change them);
    rejects are records with a ``reject_reason``."""
    return _loads(_native.normalize(bytes(data), name, list(text_fields) if text_fields else None))


def strip(records: Iterable[dict], *, markdown: bool = False, keep_empty: bool = False) -> List[dict]:
    """Removes page furniture and promos from records (the built-in WeChat
    rules), as ``scour strip`` does."""
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    return _loads(_native.strip(lines, markdown, keep_empty))


def clean(
    data: bytes,
    name: str,
    *,
    rejects: str = "keep",
    markdown: bool = False,
    text_fields: Optional[Sequence[str]] = None,
) -> List[dict]:
    """normalize, then strip: the clean records of one dump file.

    ``rejects``: ``"keep"`` returns rejected records among the others (each
    with ``reject_reason``), ``"drop"`` leaves them out, ``"raise"`` raises
    :class:`RejectedError` for the first. Dedup needs the whole corpus: use
    the ``scour`` command line or ``scour_text.spark``.
    """
    if rejects not in ("keep", "drop", "raise"):
        raise ValueError(f"rejects must be keep, drop or raise, not {rejects!r}")
    out = strip(normalize(data, name, text_fields=text_fields), markdown=markdown)
    if rejects == "keep":
        return out
    kept = []
    for r in out:
        if "reject_reason" in r:
            if rejects == "raise":
                raise RejectedError(r)
            continue
        kept.append(r)
    return kept


def minhash(text: str) -> Optional[List[int]]:
    """The MinHash signature dedup compares bodies by: 128 slots of 16 bits
    over character 5-grams (whitespace and case ignored), or ``None`` for a
    body too short to compare."""
    return _native.minhash(text)


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of two :func:`minhash` signatures."""
    return _native.similarity(list(a), list(b))


def clean_arrow(
    batch: Any,
    *,
    text_field: Optional[str] = None,
    strip: bool = True,
    markdown: bool = False,
    name: Optional[str] = None,
    id_path: Optional[str] = None,
) -> Any:
    """Normalize and strip a pyarrow ``RecordBatch`` in one call.

    The batch holds dump files (a binary ``content`` column and a ``name``
    or ``path`` column, as Spark's ``binaryFile`` source gives; an optional
    ``id_path`` column is what the ids of records without a URL hash: the
    file's path relative to its input argument, as ``scour run`` uses it;
    without it, the name's file name, as for a file argument) or records
    (any other columns, e.g. a Hugging Face dataset's: each row is read as a
    JSONL line with the same fields is, the body in ``text``, or in
    ``text_field``; normalized, so its URL is canonical and its id scour's,
    as ``scour run`` reads a Parquet file's rows). Returns a
    batch of records (:func:`record_schema`) plus ``ordinal``, a record's
    place among the records of its input row.

    For records, ``name`` is the file the rows come from (``origin.path``)
    and ``id_path`` the path their ids hash (default: ``name``); a row
    without a URL gets the id ``scour run`` gives row N of that file (rows
    counted from 1). Without either, such ids hash an empty path, the same
    for every batch.
    """
    return _native.clean_arrow(
        batch, text_field, strip, markdown, name=name, id_path=id_path if id_path is not None else name
    )


def record_schema() -> Any:
    """The records' pyarrow schema: one column per record field."""
    return _native.record_schema()
