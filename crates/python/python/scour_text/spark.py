"""scour's whole pipeline on Apache Spark, with the answers of ``scour run``.

    python -m scour_text.spark run INPUT... --out DIR [--master local[2]]

or, on a cluster, ``spark-submit`` of this module (see the README's "Beyond
one machine"). Inputs are dump files or directories of them, read with
Spark's ``binaryFile`` source: each file is read whole by one task (Spark
reads at most 2 GB a file that way; split larger dumps first), and a
directory is walked recursively (Spark skips names that start with ``.``
or ``_``). Parquet record files (``*.parquet``, e.g. a Hugging Face
dataset; the body column named by ``--text-field``) are read as records.

Normalize and strip run in ``mapInArrow``, a batch at a time in the Rust
core. Dedup runs as distributed joins, never collected on the driver, with
the rules ``scour_dedup::Deduper`` had before issue 17 (``scour_dedup::sharded``
says them in words; issue 17's rule is not in this job yet: see the TODO
below); every hash, signature, band key and similarity is the Rust core's:

1. repeated blocks: each source's blocks counted over its records that
   are the first (in input order) of their URL and of their body, a
   block counted ``--min-repeat`` times removed from the source's records;
2. records grouped by URL key, by body hash, and by LSH band keys whose
   candidate pairs are verified with the signatures; groups closed by
   iterated min-label propagation (connected components);
3. of each group the record with a body, the earliest ``published``, then
   the longest, then the first in input order, is kept; the others name it
   in ``duplicate_of`` with ``dup_kind`` and ``similarity``.

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


def _clean_files(args: List[tuple]):
    """mapInArrow function: files (path, content, arg) to records with
    their ``seq``."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for b in batches:
            paths = b.column("path").to_pylist()
            argix = b.column("arg").to_pylist()
            names, parts = [], []
            for p, a in zip(paths, argix):
                arg_abs, arg_given, is_dir = args[a]
                n, ps = _file_name(p, arg_abs, arg_given, is_dir)
                names.append(n)
                parts.append(ps)
            files = pa.RecordBatch.from_arrays(
                [pa.array(names, pa.string()), b.column("content")],
                names=["name", "content"],
            )
            out = _native.clean_arrow(files, None, True, False, False, None)
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


def _clean_records(text_field: Optional[str]):
    """mapInArrow function: Parquet record rows to stripped records."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for b in batches:
            seq = b.column("seq")
            rec = pa.RecordBatch.from_arrays(
                [b.column(i) for i in range(b.num_columns) if b.schema.names[i] != "seq"],
                names=[n for n in b.schema.names if n != "seq"],
            )
            out = _native.clean_arrow(rec, text_field, True, False, False, None)
            yield _append(_records_only(out), {"seq": seq})

    return run


def _counting(min_repeat: int, max_block_chars: int):
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for b in batches:
            out = _native.counting_arrow(_records_only(b), min_repeat, max_block_chars)
            yield _append(out, {"seq": b.column("seq")})

    return run


def _finishing(threshold: float, min_repeat: int, max_block_chars: int):
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for b in batches:
            rec = _append(_records_only(b), {"repeated": b.column("repeated")})
            out = _native.finish_arrow(rec, threshold, min_repeat, max_block_chars)
            yield _append(out, {"seq": b.column("seq")})

    return run


def _similarity_udf():
    from pyspark.sql.functions import pandas_udf
    import pandas as pd

    # Type hints, not a string annotation: pandas_udf reads them.
    @pandas_udf("double")
    def similarity(a: pd.Series, b: pd.Series) -> pd.Series:
        return pd.Series(_native.similarity_many(list(a), list(b)), dtype="float64")

    return similarity


def _components(spark, edges, nodes, F, max_iterations: int = 100):
    """Connected components by min-label propagation: ``nodes`` (``seq``)
    labelled with the smallest ``seq`` connected to them by ``edges``
    (``a``, ``b``). Iterates until no label changes."""
    both = edges.select(F.col("a").alias("src"), F.col("b").alias("dst")).union(
        edges.select(F.col("b").alias("src"), F.col("a").alias("dst"))
    ).distinct()
    both = both.localCheckpoint()
    labels = nodes.select("seq", F.col("seq").alias("label")).localCheckpoint()
    for _ in range(max_iterations):
        proposed = (
            both.join(labels.withColumnRenamed("seq", "src"), "src")
            .groupBy("dst")
            .agg(F.min("label").alias("proposal"))
            .withColumnRenamed("dst", "seq")
        )
        updated = (
            labels.join(proposed, "seq", "left")
            .select(
                "seq",
                F.when(
                    F.col("proposal").isNotNull() & (F.col("proposal") < F.col("label")),
                    F.col("proposal"),
                )
                .otherwise(F.col("label"))
                .alias("label"),
                (F.col("proposal").isNotNull() & (F.col("proposal") < F.col("label"))).alias("changed"),
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

    args = []
    frames = []
    for i, arg in enumerate(inputs):
        is_dir = os.path.isdir(arg)
        if not os.path.exists(arg):
            raise SystemExit(f"input `{arg}` does not exist")
        args.append((os.path.abspath(arg), arg, is_dir))
        if not is_dir and arg.lower().endswith(".parquet"):
            df = spark.read.parquet(arg)
            df = df.withColumn(
                "seq",
                F.struct(
                    F.lit(i).cast("int").alias("arg"),
                    F.array().cast("array<string>").alias("parts"),
                    F.monotonically_increasing_id().alias("ordinal"),
                ),
            )
            frames.append(
                df.mapInArrow(_clean_records(text_field), _spark_schema(with_seq))
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
        docs = files.mapInArrow(_clean_files(args), _spark_schema(with_seq))
    for f in record_frames:
        docs = f if docs is None else docs.unionByName(f)
    docs = docs.localCheckpoint()

    rejected = docs.where(F.col("reject_reason").isNotNull())
    live = docs.where(F.col("reject_reason").isNull())

    # 1. Repeated blocks, counted by source over distinct articles.
    count_schema = pa.schema(
        [
            pa.field("url_key", pa.int64()),
            pa.field("source_key", pa.int64()),
            pa.field("segments", pa.list_(pa.int64())),
            pa.field("compact", pa.string()),
            pa.field("seq", SEQ_TYPE),
        ]
    )
    fp = live.mapInArrow(
        _counting(min_repeat, max_block_chars), _spark_schema(count_schema)
    ).localCheckpoint()
    with_src = fp.where(F.col("source_key").isNotNull())
    by_url = Window.partitionBy("url_key")
    by_compact = Window.partitionBy("compact")
    counted = (
        with_src.withColumn(
            "first_url",
            F.when(F.col("url_key").isNull(), F.col("seq")).otherwise(F.min("seq").over(by_url)),
        )
        .withColumn("first_body", F.min("seq").over(by_compact))
        .where((F.col("seq") == F.col("first_url")) & (F.col("seq") == F.col("first_body")))
    )
    blocks = counted.select(
        "source_key",
        F.explode(F.array_distinct(F.filter("segments", lambda x: x.isNotNull()))).alias("block"),
    )
    block_counts = blocks.groupBy("source_key", "block").agg(F.count("*").alias("n"))
    source_docs = counted.groupBy("source_key").agg(F.count("*").alias("docs"))
    need = max(min_repeat, 2)
    repeated_blocks = (
        block_counts.join(source_docs, "source_key")
        .where(F.col("n") >= F.lit(need))
        .select("source_key", "block")
    )
    per_doc = (
        with_src.select("seq", "source_key", F.explode(F.array_distinct("segments")).alias("block"))
        .where(F.col("block").isNotNull())
        .join(repeated_blocks, ["source_key", "block"])
        .groupBy("seq")
        .agg(F.collect_set("block").alias("repeated"))
    )
    to_finish = live.join(per_doc, "seq", "left")
    finish_schema = pa.schema(
        list(record_schema)
        + [
            pa.field("empty", pa.bool_()),
            pa.field("had_body", pa.bool_()),
            pa.field("url_key", pa.int64()),
            pa.field("body", pa.string()),
            pa.field("day", pa.int64()),
            pa.field("len", pa.int64()),
            pa.field("signature", pa.binary()),
            pa.field("bands", pa.list_(pa.int64())),
            pa.field("seq", SEQ_TYPE),
        ]
    )
    finished = to_finish.mapInArrow(
        _finishing(threshold, min_repeat, max_block_chars), _spark_schema(finish_schema)
    ).localCheckpoint()
    emptied = finished.where("empty")
    nodes = finished.where(~F.col("empty"))

    # 2. Groups: URL keys, body hashes, verified LSH candidates.
    #
    # TODO(issue 17): this is main's rule today (connected components, one
    # kept record a component). The dedup-truth branch changes it: views that
    # keep the whole body when boilerplate would leave < 30 characters,
    # repeated blocks counted over distinct articles (source + title + raw
    # signature), and within each component a greedy pass in rank order (a
    # record is the duplicate of the best kept record it is itself verified
    # with; stubs join by URL last). When it lands on main: keep the
    # components below as the bound of interaction, and decide each
    # component with a grouped map that calls the Rust deduper's own rule
    # (exposed through scour_dedup::sharded), as ARCHITECTURE.md's "In joins"
    # describes; test_spark.py then checks it against `scour run` as now.
    url_edges = (
        nodes.where(F.col("url_key").isNotNull())
        .select(F.col("seq").alias("a"), F.min("seq").over(Window.partitionBy("url_key")).alias("b"))
        .where(F.col("a") != F.col("b"))
    )
    first_of_body = F.min("seq").over(Window.partitionBy("body"))
    bodied = nodes.where(F.col("body").isNotNull()).withColumn("first_body", first_of_body)
    body_edges = bodied.select(F.col("seq").alias("a"), F.col("first_body").alias("b")).where(
        F.col("a") != F.col("b")
    )
    # Copies of an earlier body share its signature and neighbours: only the
    # first of each body is banded.
    banded = bodied.where((F.col("seq") == F.col("first_body")) & F.col("signature").isNotNull())
    keys = banded.select("seq", F.posexplode("bands").alias("band", "key"))
    pairs = (
        keys.alias("x")
        .join(keys.alias("y"), ["band", "key"])
        .where(F.col("x.seq") < F.col("y.seq"))
        .select(F.col("x.seq").alias("a"), F.col("y.seq").alias("b"))
        .distinct()
    )
    sigs = banded.select("seq", "signature")
    similarity = _similarity_udf()
    near_edges = (
        pairs.join(sigs.withColumnRenamed("seq", "a").withColumnRenamed("signature", "sa"), "a")
        .join(sigs.withColumnRenamed("seq", "b").withColumnRenamed("signature", "sb"), "b")
        .where(similarity("sa", "sb") >= F.lit(threshold))
        .select("a", "b")
    )
    edges = url_edges.unionByName(body_edges).unionByName(near_edges)
    labels = _components(spark, edges, nodes, F)
    grouped = nodes.join(labels, "seq")

    # 3. Keep: the record with a body ranked first in its group.
    rank = F.struct(F.col("day"), (-F.col("len")).alias("neg_len"), F.col("seq"))
    keepers = (
        grouped.where("had_body")
        .groupBy("label")
        .agg(F.min(rank).alias("best"))
        .select("label", F.col("best.seq").alias("keeper"))
    )
    keeper_info = grouped.select(
        F.col("seq").alias("keeper"),
        F.col("id").alias("k_id"),
        F.col("url_key").alias("k_url"),
        F.col("body").alias("k_body"),
        F.col("signature").alias("k_sig"),
    )
    decided = grouped.join(keepers, "label", "left").join(keeper_info, "keeper", "left").localCheckpoint()
    kept = decided.where(F.col("seq") == F.col("keeper"))
    no_keeper = decided.where(F.col("keeper").isNull())
    dups = decided.where(F.col("keeper").isNotNull() & (F.col("seq") != F.col("keeper")))
    is_url = F.col("url_key").isNotNull() & (F.col("url_key") == F.col("k_url"))
    is_exact = F.col("body").isNotNull() & (F.col("body") == F.col("k_body"))
    dups = dups.withColumn(
        "kind", F.when(is_url, "url").when(is_exact, "exact").otherwise("near")
    )
    # A stub near only through its URL's captures takes their best
    # similarity to the kept record.
    signed = nodes.where(F.col("signature").isNotNull() & F.col("url_key").isNotNull()).select(
        F.col("url_key").alias("s_url"), F.col("signature").alias("s_sig")
    )
    stubs = (
        dups.where((F.col("kind") == "near") & F.col("signature").isNull() & F.col("k_sig").isNotNull())
        .select("seq", "url_key", "k_sig")
        .join(signed, F.col("url_key") == F.col("s_url"))
        .select("seq", similarity("s_sig", "k_sig").alias("s"))
        .groupBy("seq")
        .agg(F.max("s").alias("stub_sim"))
    )
    dups = dups.join(stubs, "seq", "left").withColumn(
        "sim",
        F.when(F.col("kind") != "near", F.lit(1.0))
        .when(F.col("k_sig").isNull(), F.lit(0.0))
        .when(F.col("signature").isNotNull(), similarity("signature", "k_sig"))
        .otherwise(F.coalesce(F.col("stub_sim"), F.lit(0.0))),
    )
    rounded = F.udf(_native.rounded, "double")
    dups = (
        dups.withColumn("duplicate_of", F.col("k_id"))
        .withColumn("dup_kind", F.col("kind"))
        .withColumn("similarity", rounded(F.col("sim")))
    )
    reason, detail = _native.empty_reject()

    def emptied_reject(df):
        return df.withColumn("reject_reason", F.lit(reason)).withColumn("reject_detail", F.lit(detail))

    rejects = (
        rejected.select(*RECORD_COLUMNS, "seq")
        .unionByName(emptied_reject(emptied).select(*RECORD_COLUMNS, "seq"))
        .unionByName(emptied_reject(no_keeper).select(*RECORD_COLUMNS, "seq"))
    )

    def write(df, name):
        df.select(*RECORD_COLUMNS, "seq").orderBy("seq").drop("seq").write.mode("overwrite").parquet(
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
    r.add_argument("--text-field", default=None, help="the body column of Parquet record inputs [text]")
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
