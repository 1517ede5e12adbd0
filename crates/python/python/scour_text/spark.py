"""scour's whole pipeline on Apache Spark, with the answers of ``scour run``.

    python -m scour_text.spark run INPUT... --out DIR [--master local[2]]

or, on a cluster, ``spark-submit`` of this module (see the README's "Beyond
one machine"). Inputs are dump files or directories of them, read with
Spark's ``binaryFile`` source: each file is read whole by one task (Spark
reads at most 2 GB a file that way; split larger dumps first), and a
directory is walked recursively (Spark skips names that start with ``.``
or ``_``). A JSONL file named as an input (``*.jsonl``, ``*.ndjson``,
uncompressed) is read through Spark's splittable text source instead, so
one big dump is spread over the cluster; each line keeps its line number.
Parquet files (``*.parquet``, e.g. a Hugging Face dataset; the body column
named by ``--text-field``) are read a row at a time, each row as a JSONL
line with the same fields (normalized, its id from its URL, else from the
file's path relative to its argument, its row number from 1 and its body),
as ``scour run`` reads them; one named as an input is split over tasks by
Spark's Parquet source, one found in a directory is read whole by one task.

Normalize and strip run in ``mapInArrow``, a batch at a time in the Rust
core. Dedup runs as distributed joins, never collected on the driver, with
the grouping rule of ``scour run`` (ARCHITECTURE.md, "Deduplication: the
grouping rule", whose section "In joins" describes this job); every hash,
signature, band key, similarity and decision is the Rust core's
(``scour_dedup::sharded``):

1. input order as one number ``pos`` (a distributed sort);
2. repeated blocks: each source's blocks counted once per distinct article
   (the first record of its URL and of its raw body, less refetches of the
   same source and title, decided per (source, title) group in a grouped
   map), joined back and cut from the records (a record that would keep
   less than 30 characters stays whole);
3. verified pairs (the same URL key, the same body hash, or an LSH band
   key in common and signatures as similar as the threshold) and their
   connected components, by iterated min-label propagation;
4. each component decided in a grouped map by the Rust deduper's greedy
   pass in keep order (earliest ``published``, longest, first in input
   order): a record joins the best kept record it is verified with, or is
   kept; the others name it in ``duplicate_of`` with ``dup_kind`` and
   ``similarity``.

Input order is the order ``scour run`` reads: the inputs as given, each
directory's files in sorted path order, a file's records in file order.

Outputs: Parquet folders ``clean/``, ``dups/`` and ``rejects/`` under
``--out`` (each sorted in input order), and ``report.json`` with
read = kept + duplicates + rejected.
"""

import argparse
import json
import os
import sys
import time
from typing import Iterator, List, Optional
from urllib.parse import unquote

import pyarrow as pa

# Absolute, so that spark-submit can run this file as a script.
from scour_text import _native

#: The record columns, in order.
RECORD_COLUMNS: List[str] = _native.record_schema().names


def _spark_imports():
    from pyspark.sql import SparkSession, Window  # noqa: F401
    from pyspark.sql import functions as F  # noqa: F401

    return SparkSession, Window, F


def _spark_schema(arrow_schema: pa.Schema):
    """A pyarrow schema as Spark's StructType (pyspark's own conversion)."""
    try:
        from pyspark.sql.pandas.types import from_arrow_schema
    except ImportError:  # pragma: no cover - very old pyspark
        raise SystemExit("scour_text.spark needs pyspark 3.5 or later")
    return from_arrow_schema(arrow_schema)


def _records_only(batch: pa.RecordBatch) -> pa.RecordBatch:
    return pa.RecordBatch.from_arrays(
        [batch.column(n) for n in RECORD_COLUMNS], names=RECORD_COLUMNS
    )


def _append(batch: pa.RecordBatch, extra: dict) -> pa.RecordBatch:
    cols = [batch.column(i) for i in range(batch.num_columns)]
    names = list(batch.schema.names)
    for k, v in extra.items():
        cols.append(v)
        names.append(k)
    return pa.RecordBatch.from_arrays(cols, names=names)


SEQ_TYPE = pa.struct(
    [
        pa.field("arg", pa.int32(), nullable=False),
        pa.field("parts", pa.list_(pa.string()), nullable=False),
        pa.field("ordinal", pa.int64(), nullable=False),
    ]
)


def _id_path(arg_given: str, parts: List[str]) -> str:
    """The path the ids of a file's records without a URL hash, as
    ``scour run`` makes it: the file's path below its directory argument
    (components joined by ``/``), or a file argument's own name; where the
    input lives does not change it."""
    if parts:
        return "/".join(parts)
    return os.path.basename(arg_given.rstrip("/")) or arg_given


def _file_name(path: str, arg_abs: str, arg_given: str, is_dir: bool) -> tuple:
    """The path ``scour run`` shows for a file Spark found (``file:/abs/...``)
    under the input argument, and its components below the argument (the
    walk's sort key)."""
    p = path
    if p.startswith("file:"):
        p = p[len("file:"):]
        if p.startswith("//"):
            p = p[2:]
    p = unquote(p)
    if not is_dir:
        return arg_given, []
    rel = os.path.relpath(p, arg_abs)
    base = arg_given.rstrip("/") or "/"
    name = rel if base == "." else (base + "/" + rel if base != "/" else "/" + rel)
    return name, rel.split(os.sep)


def _clean_files(args: List[tuple], text_fields: Optional[List[str]] = None):
    """mapInArrow function: files (path, content, arg) to records with
    their ``seq``."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for b in batches:
            paths = b.column("path").to_pylist()
            argix = b.column("arg").to_pylist()
            names, parts, id_paths = [], [], []
            for p, a in zip(paths, argix):
                arg_abs, arg_given, is_dir = args[a]
                n, ps = _file_name(p, arg_abs, arg_given, is_dir)
                names.append(n)
                parts.append(ps)
                id_paths.append(_id_path(arg_given, ps))
            files = pa.RecordBatch.from_arrays(
                [pa.array(names, pa.string()), b.column("content"), pa.array(id_paths, pa.string())],
                names=["name", "content", "id_path"],
            )
            out = _native.clean_arrow(files, None, True, False, False, text_fields)
            rows = out.column("row")
            seq = pa.StructArray.from_arrays(
                [
                    pa.array(argix, pa.int32()).take(rows),
                    pa.array(parts, pa.list_(pa.string())).take(rows),
                    out.column("ordinal"),
                ],
                fields=list(SEQ_TYPE),
            )
            yield _append(_records_only(out), {"seq": seq})

    return run


#: Input files read a line at a time through Spark's splittable text source
#: (uncompressed JSONL named as an input argument).
JSONL_SUFFIXES = (".jsonl", ".ndjson")


def _jsonl_lines(spark, path: str, F, Window):
    """The lines of a JSONL file through Spark's text source (split over
    tasks by byte ranges), each with its 1-based line number: a split's rows
    are consecutive in its task, so a row's number is the lines of the
    file's earlier splits plus its place in its split. Columns ``content``
    (binary) and ``line``."""
    rows = (
        spark.read.text(path)
        .select(
            F.col("value").cast("binary").alias("content"),
            F.col("_metadata.file_block_start").alias("block"),
            F.monotonically_increasing_id().alias("mid"),
        )
        .localCheckpoint()
    )
    # One row per split: small, whatever the file's size.
    before = Window.orderBy("block").rowsBetween(Window.unboundedPreceding, -1)
    blocks = (
        rows.groupBy("block")
        .agg(F.count("*").alias("n"), F.min("mid").alias("first"))
        .withColumn("before", F.coalesce(F.sum("n").over(before), F.lit(0)))
    )
    return rows.join(F.broadcast(blocks), "block").select(
        "content", (F.col("before") + F.col("mid") - F.col("first") + 1).alias("line")
    )


def _clean_lines(name: str, arg: int, text_fields: Optional[List[str]]):
    """mapInArrow function: JSONL lines (content, line) of the input file
    ``name`` (input argument number ``arg``) to records with their ``seq``."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for b in batches:
            n = b.num_rows
            lines = pa.RecordBatch.from_arrays(
                [
                    pa.array([name] * n, pa.string()),
                    b.column("content"),
                    b.column("line"),
                    pa.array([_id_path(name, [])] * n, pa.string()),
                ],
                names=["name", "content", "line", "id_path"],
            )
            out = _native.clean_arrow(lines, None, True, False, False, text_fields)
            rows = out.column("row")
            m = len(rows)
            seq = pa.StructArray.from_arrays(
                [
                    pa.array([arg] * m, pa.int32()),
                    pa.array([[]] * m, pa.list_(pa.string())),
                    b.column("line").take(rows),
                ],
                fields=list(SEQ_TYPE),
            )
            yield _append(_records_only(out), {"seq": seq})

    return run


def _clean_records(name: str, text_field: Optional[str]):
    """mapInArrow function: the rows of the Parquet file argument ``name``
    to stripped records, each row read as ``scour run`` reads it: a JSONL
    line with the same fields, numbered by its row in the file from 1 (as
    JSONL lines are; ``seq.ordinal`` holds Spark's 0-based ``row_index``),
    the ids of rows without a URL hashing the file's name."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for b in batches:
            seq = b.column("seq")
            rec = pa.RecordBatch.from_arrays(
                [b.column(i) for i in range(b.num_columns) if b.schema.names[i] != "seq"],
                names=[n for n in b.schema.names if n != "seq"],
            )
            rows = [o + 1 for o in seq.field("ordinal").to_pylist()]
            out = _native.clean_arrow(
                rec, text_field, True, False, False, None, name, _id_path(name, []), rows, "parquet"
            )
            yield _append(_records_only(out), {"seq": seq.take(out.column("row"))})

    return run


def _counting(min_repeat: int, max_block_chars: int):
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for b in batches:
            out = _native.counting_arrow(_records_only(b), min_repeat, max_block_chars)
            yield _append(out, {"pos": b.column("pos")})

    return run


def _finishing(threshold: float, min_repeat: int, max_block_chars: int):
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for b in batches:
            rec = _append(_records_only(b), {"repeated": b.column("repeated")})
            out = _native.finish_arrow(rec, threshold, min_repeat, max_block_chars)
            yield _append(out, {"pos": b.column("pos")})

    return run


def _batch(table: pa.Table) -> pa.RecordBatch:
    """A table as one record batch."""
    batches = table.combine_chunks().to_batches()
    if len(batches) == 1:
        return batches[0]
    if not batches:
        return pa.RecordBatch.from_pylist([], schema=table.schema)
    return pa.concat_batches(batches)


def _counted_of_title(threshold: float):
    """applyInArrow function: one (source, title) group's refetch check."""

    def run(table: pa.Table) -> pa.Table:
        out = _native.counted_of_title_arrow(_batch(table.select(["pos", "raw_signature"])), threshold)
        return pa.Table.from_batches([out])

    return run


def _deciding(threshold: float):
    """applyInArrow function: one component's decisions (the Rust
    deduper's grouping rule)."""

    def run(table: pa.Table) -> pa.Table:
        cols = ["pos", "id", "url_key", "body", "day", "len", "signature"]
        out = _native.decide_arrow(_batch(table.select(cols)), threshold)
        return pa.Table.from_batches([out])

    return run


def _similarity_udf():
    from pyspark.sql.functions import pandas_udf
    import pandas as pd

    # Type hints, not a string annotation: pandas_udf reads them.
    @pandas_udf("double")
    def similarity(a: pd.Series, b: pd.Series) -> pd.Series:
        return pd.Series(_native.similarity_many(list(a), list(b)), dtype="float64")

    return similarity


def _components(edges, F, max_iterations: int = 100):
    """Connected components by min-label propagation over ``edges`` (``a``,
    ``b``: record ``pos``): each record on an edge labelled with the
    smallest ``pos`` connected to it (``pos``, ``label``). Iterates until no
    label changes."""
    both = (
        edges.select(F.col("a").alias("src"), F.col("b").alias("dst"))
        .union(edges.select(F.col("b").alias("src"), F.col("a").alias("dst")))
        .distinct()
        .localCheckpoint()
    )
    labels = (
        both.groupBy("src")
        .agg(F.least(F.col("src"), F.min("dst")).alias("label"))
        .withColumnRenamed("src", "pos")
        .localCheckpoint()
    )
    for _ in range(max_iterations):
        proposed = (
            both.join(labels.withColumnRenamed("pos", "src"), "src")
            .groupBy("dst")
            .agg(F.min("label").alias("proposal"))
            .withColumnRenamed("dst", "pos")
        )
        lower = F.col("proposal") < F.col("label")
        updated = (
            labels.join(proposed, "pos")
            .select(
                "pos",
                F.when(lower, F.col("proposal")).otherwise(F.col("label")).alias("label"),
                lower.alias("changed"),
            )
            .localCheckpoint()
        )
        changed = updated.where("changed").limit(1).count()
        labels = updated.drop("changed")
        if changed == 0:
            return labels
    raise RuntimeError(f"components did not settle in {max_iterations} rounds")


def run(
    spark,
    inputs: List[str],
    out: str,
    *,
    threshold: float = 0.8,
    min_repeat: int = 5,
    max_block_chars: int = 200,
    text_field: Optional[str] = None,
) -> dict:
    """Runs the pipeline on ``inputs`` and writes ``out`` (see the module
    docs). Returns the report."""
    SparkSession, Window, F = _spark_imports()
    started = time.time()
    record_schema = _native.record_schema()
    with_seq = pa.schema(list(record_schema) + [pa.field("seq", SEQ_TYPE)])
    # --text-field names the body of JSON records too, as in `scour run`.
    text_fields = [text_field] if text_field else None

    args = []
    frames = []
    for i, arg in enumerate(inputs):
        is_dir = os.path.isdir(arg)
        if not os.path.exists(arg):
            raise SystemExit(f"input `{arg}` does not exist")
        args.append((os.path.abspath(arg), arg, is_dir))
        if not is_dir and arg.lower().endswith(".parquet"):
            df = spark.read.parquet(arg)
            # The row's place in the file: the input order, and its number
            # in the ids of rows without a URL.
            df = df.withColumn(
                "seq",
                F.struct(
                    F.lit(i).cast("int").alias("arg"),
                    F.array().cast("array<string>").alias("parts"),
                    F.col("_metadata.row_index").alias("ordinal"),
                ),
            )
            frames.append(
                df.mapInArrow(_clean_records(arg, text_field), _spark_schema(with_seq))
            )
            continue
        if not is_dir and arg.lower().endswith(JSONL_SUFFIXES):
            lines = _jsonl_lines(spark, arg, F, Window)
            frames.append(
                lines.mapInArrow(_clean_lines(arg, i, text_fields), _spark_schema(with_seq))
            )
            continue
        reader = spark.read.format("binaryFile")
        if is_dir:
            reader = reader.option("recursiveFileLookup", "true")
        files = reader.load(arg).select("path", "content", F.lit(i).cast("int").alias("arg"))
        frames.append(files)
    file_frames = [f for f in frames if "content" in f.columns]
    record_frames = [f for f in frames if "content" not in f.columns]
    docs = None
    if file_frames:
        files = file_frames[0]
        for f in file_frames[1:]:
            files = files.unionByName(f)
        docs = files.mapInArrow(_clean_files(args, text_fields), _spark_schema(with_seq))
    for f in record_frames:
        docs = f if docs is None else docs.unionByName(f)
    # Input order as one number: a distributed sort on `seq`, numbered by
    # partition (a range-partitioned sort's partitions are in order).
    docs = (
        docs.orderBy("seq")
        .withColumn("pos", F.monotonically_increasing_id())
        .drop("seq")
        .localCheckpoint()
    )

    rejected = docs.where(F.col("reject_reason").isNotNull())
    live = docs.where(F.col("reject_reason").isNull())

    # 1. Repeated blocks, counted by source over distinct articles: a record
    # with a source counts unless an earlier one with a source had its URL
    # key or raw body, or an earlier counted one of its source and title
    # has a raw signature as similar as the threshold (a refetch).
    count_schema = pa.schema(
        [
            pa.field("url_key", pa.int64()),
            pa.field("source_key", pa.int64()),
            pa.field("segments", pa.list_(pa.int64())),
            pa.field("compact", pa.string()),
            pa.field("title_key", pa.int64()),
            pa.field("raw_signature", pa.binary()),
            pa.field("pos", pa.int64()),
        ]
    )
    fp = live.mapInArrow(
        _counting(min_repeat, max_block_chars), _spark_schema(count_schema)
    ).localCheckpoint()
    with_src = fp.where(F.col("source_key").isNotNull())
    by_url = Window.partitionBy("url_key")
    by_compact = Window.partitionBy("compact")
    fresh = (
        with_src.withColumn(
            "first_url",
            F.when(F.col("url_key").isNull(), F.col("pos")).otherwise(F.min("pos").over(by_url)),
        )
        .withColumn("first_body", F.min("pos").over(by_compact))
        .where((F.col("pos") == F.col("first_url")) & (F.col("pos") == F.col("first_body")))
        .drop("first_url", "first_body")
    )
    # Only (source, title) groups of two or more can hold a refetch; each
    # is decided in input order by the Rust core.
    by_title = Window.partitionBy("source_key", "title_key")
    refetched = (
        fresh.where(F.col("title_key").isNotNull() & F.col("raw_signature").isNotNull())
        .withColumn("n_title", F.count("*").over(by_title))
        .where(F.col("n_title") > 1)
        .select("source_key", "title_key", "pos", "raw_signature")
        .groupBy("source_key", "title_key")
        .applyInArrow(_counted_of_title(threshold), "pos long, counted boolean")
        .where(~F.col("counted"))
        .select("pos")
    )
    counted = fresh.join(refetched, "pos", "left_anti")
    blocks = counted.select(
        "source_key",
        F.explode(F.array_distinct(F.filter("segments", lambda x: x.isNotNull()))).alias("block"),
    )
    block_counts = blocks.groupBy("source_key", "block").agg(F.count("*").alias("n"))
    need = max(min_repeat, 2)
    repeated_blocks = block_counts.where(F.col("n") >= F.lit(need)).select("source_key", "block")
    per_doc = (
        with_src.select("pos", "source_key", F.explode(F.array_distinct("segments")).alias("block"))
        .where(F.col("block").isNotNull())
        .join(repeated_blocks, ["source_key", "block"])
        .groupBy("pos")
        .agg(F.collect_set("block").alias("repeated"))
    )
    to_finish = live.join(per_doc, "pos", "left")
    finish_schema = pa.schema(
        list(record_schema)
        + [
            pa.field("had_body", pa.bool_()),
            pa.field("url_key", pa.int64()),
            pa.field("body", pa.string()),
            pa.field("day", pa.int64()),
            pa.field("len", pa.int64()),
            pa.field("signature", pa.binary()),
            pa.field("bands", pa.list_(pa.int64())),
            pa.field("pos", pa.int64()),
        ]
    )
    nodes = to_finish.mapInArrow(
        _finishing(threshold, min_repeat, max_block_chars), _spark_schema(finish_schema)
    ).localCheckpoint()

    # 2. Candidate pairs, verified by the two records alone: the same URL
    # key, the same body, or an LSH band key in common and signatures as
    # similar as the threshold. A URL or body group is linked as a star on
    # its first record (the same components as all its pairs); copies of a
    # body share its signature, so only the first of each body is banded.
    url_edges = (
        nodes.where(F.col("url_key").isNotNull())
        .select(F.col("pos").alias("a"), F.min("pos").over(Window.partitionBy("url_key")).alias("b"))
        .where(F.col("a") != F.col("b"))
    )
    first_of_body = F.min("pos").over(Window.partitionBy("body"))
    bodied = nodes.where(F.col("body").isNotNull()).withColumn("first_body", first_of_body)
    body_edges = bodied.select(F.col("pos").alias("a"), F.col("first_body").alias("b")).where(
        F.col("a") != F.col("b")
    )
    banded = bodied.where((F.col("pos") == F.col("first_body")) & F.col("signature").isNotNull())
    keys = banded.select("pos", F.posexplode("bands").alias("band", "key"))
    pairs = (
        keys.alias("x")
        .join(keys.alias("y"), ["band", "key"])
        .where(F.col("x.pos") < F.col("y.pos"))
        .select(F.col("x.pos").alias("a"), F.col("y.pos").alias("b"))
        .distinct()
    )
    sigs = banded.select("pos", "signature")
    similarity = _similarity_udf()
    near_edges = (
        pairs.join(sigs.withColumnRenamed("pos", "a").withColumnRenamed("signature", "sa"), "a")
        .join(sigs.withColumnRenamed("pos", "b").withColumnRenamed("signature", "sb"), "b")
        .where(similarity("sa", "sb") >= F.lit(threshold))
        .select("a", "b")
    )
    edges = url_edges.unionByName(body_edges).unionByName(near_edges)

    # 3. The connected components of the verified pairs bound where
    # decisions interact; each component of two or more records is decided
    # by the Rust deduper's own greedy pass in keep order (a grouped map:
    # the component's records in one task); a record alone is kept when it
    # has a body, else rejected as empty.
    labels = _components(edges, F)
    grouped = nodes.join(labels, "pos", "left")
    decide_cols = ["label", "pos", "id", "url_key", "body", "day", "len", "signature"]
    decisions_schema = (
        "pos long, outcome string, duplicate_of string, dup_kind string, similarity double"
    )
    decided_many = (
        grouped.where(F.col("label").isNotNull())
        .select(*decide_cols)
        .groupBy("label")
        .applyInArrow(_deciding(threshold), decisions_schema)
    )
    decided_one = grouped.where(F.col("label").isNull()).select(
        "pos",
        F.when(F.col("body").isNotNull(), F.lit("kept")).otherwise(F.lit("empty")).alias("outcome"),
        F.lit(None).cast("string").alias("duplicate_of"),
        F.lit(None).cast("string").alias("dup_kind"),
        F.lit(None).cast("double").alias("similarity"),
    )
    decisions = decided_many.unionByName(decided_one)
    decided = (
        nodes.drop("duplicate_of", "dup_kind", "similarity")
        .join(decisions, "pos")
        .localCheckpoint()
    )
    kept = decided.where(F.col("outcome") == "kept")
    dups = decided.where(F.col("outcome") == "duplicate")
    no_keeper = decided.where(F.col("outcome") == "empty")
    reason, detail = _native.empty_reject()

    def emptied_reject(df):
        return df.withColumn("reject_reason", F.lit(reason)).withColumn("reject_detail", F.lit(detail))

    rejects = rejected.select(*RECORD_COLUMNS, "pos").unionByName(
        emptied_reject(no_keeper).select(*RECORD_COLUMNS, "pos")
    )

    def write(df, name):
        df.select(*RECORD_COLUMNS, "pos").orderBy("pos").drop("pos").write.mode("overwrite").parquet(
            os.path.join(out, name)
        )

    write(kept, "clean")
    write(dups, "dups")
    write(rejects, "rejects")
    spark_read = spark.read
    counts = {
        name: spark_read.parquet(os.path.join(out, name)).count()
        for name in ("clean", "dups", "rejects")
    }
    report = {
        "command": "spark",
        "read": docs.count(),
        "kept": counts["clean"],
        "duplicates": counts["dups"],
        "rejected": counts["rejects"],
        "seconds": round(time.time() - started, 3),
    }
    if report["read"] != report["kept"] + report["duplicates"] + report["rejected"]:
        raise RuntimeError(f"internal error: the report does not add up: {report}")
    with open(os.path.join(out, "report.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    return report


def session(master: Optional[str] = None, app: str = "scour"):
    """A SparkSession with Arrow batches sized for ``mapInArrow``; in local
    mode its Python workers run this interpreter (so they import this
    scour_text)."""
    SparkSession, _, _ = _spark_imports()
    if master and master.startswith("local"):
        # Local workers run this interpreter, which has scour_text; on a
        # cluster the executors' Python is the job's to set.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    b = SparkSession.builder.appName(app)
    if master:
        b = b.master(master)
    b = (
        b.config("spark.sql.execution.arrow.maxRecordsPerBatch", "2048")
        .config("spark.sql.shuffle.partitions", os.environ.get("SCOUR_SHUFFLE_PARTITIONS", "8"))
        .config("spark.ui.enabled", "false")
        .config("spark.sql.ansi.enabled", "false")
    )
    return b.getOrCreate()


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(prog="python -m scour_text.spark", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="normalize, strip and deduplicate on Spark")
    r.add_argument("inputs", nargs="+", metavar="INPUT", help="dump files or directories; *.parquet record files")
    r.add_argument("--out", required=True, metavar="DIR", help="output folder (clean/, dups/, rejects/, report.json)")
    r.add_argument("--master", default=None, help="Spark master URL, e.g. local[2] (default: spark-submit's)")
    r.add_argument("--threshold", type=float, default=0.8, help="near-duplicate Jaccard similarity [0.8]")
    r.add_argument("--min-repeat", type=int, default=5, help="repeated-block count [5]")
    r.add_argument("--text-field", default=None, help="the body field of JSON records and column of Parquet record inputs [text]")
    a = p.parse_args(argv)
    spark = session(a.master)
    spark.sparkContext.setLogLevel("ERROR")
    report = run(
        spark,
        a.inputs,
        a.out,
        threshold=a.threshold,
        min_repeat=a.min_repeat,
        text_field=a.text_field,
    )
    print(
        f"scour: {report['read']} read, {report['kept']} kept, {report['duplicates']} duplicates, "
        f"{report['rejected']} rejected in {report['seconds']} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
