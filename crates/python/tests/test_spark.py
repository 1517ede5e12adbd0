"""The Spark pipeline (local mode) against `scour run` on the same input: a
month of the bench captures (a few thousand) plus the corpus's markdown."""

import json
import os
import shutil
import subprocess

import pyarrow.parquet as pq
import pytest

from scour_text import _native
from scour_text import spark as scour_spark

MONTH = "wechat/2024/11"

# Two shuffle partitions for two local cores (the job's default is 8): the
# answers do not depend on partitioning, and each stage has fewer tasks.
os.environ.setdefault("SCOUR_SHUFFLE_PARTITIONS", "2")
DEDUP_EMPTY = _native.empty_reject()


@pytest.fixture(scope="module")
def captures(shared, tmp_path_factory):
    tarball = shared / "bench" / "picker-wechat.tar.zst"
    if not tarball.exists():
        pytest.fail(f"{tarball} is missing (the bench captures)")
    if shutil.which("zstd") is None:
        pytest.fail("zstd is needed to unpack the bench captures")
    d = tmp_path_factory.mktemp("captures")
    subprocess.run(["tar", "--zstd", "-xf", str(tarball), "-C", str(d), MONTH], check=True)
    return d


@pytest.fixture(scope="module")
def runs(scour_bin, shared, captures, tmp_path_factory):
    """Both outputs, as lists of records per output name, and Spark's report."""
    inputs = [str(shared / "corpus" / "wechat" / "markdown"), str(captures / "wechat")]
    tmp = tmp_path_factory.mktemp("runs")
    cli = tmp / "cli"
    cli.mkdir()
    subprocess.run(
        [scour_bin, "run", *inputs, "-q", "-o", cli / "clean.jsonl",
         "--dups", cli / "dups.jsonl", "--rejects", cli / "rejects.jsonl"],
        check=True,
    )
    out = tmp / "spark"
    session = scour_spark.session("local[2]", app="scour-test")
    try:
        report = scour_spark.run(session, inputs, str(out))
    finally:
        session.stop()
    names = ("clean", "dups", "rejects")
    want = {n: [json.loads(l) for l in (cli / f"{n}.jsonl").read_text().splitlines()] for n in names}
    got = {n: pq.read_table(out / n).to_pylist() for n in names}
    return want, got, report, out


def key(r):
    o = r["origin"]
    return (r["id"], o["path"], o.get("line"), o.get("offset"))


def decision(r):
    return (
        r.get("duplicate_of"),
        r.get("dup_kind"),
        r.get("similarity"),
        r.get("reject_reason"),
        r.get("reject_detail"),
        r["text"],
        [x["text"] for x in r.get("removed") or []],
    )


def before_dedup(rejects):
    return [r for r in rejects if (r.get("reject_reason"), r.get("reject_detail")) != DEDUP_EMPTY]


def test_spark_cleans_what_scour_run_cleans(runs):
    """Normalize and strip in mapInArrow: the same records rejected before
    dedup, the same records reaching it, and a report that adds up."""
    want, got, report, out = runs
    assert [(key(r), decision(r)) for r in before_dedup(got["rejects"])] == [
        (key(r), decision(r)) for r in before_dedup(want["rejects"])
    ]
    reached = lambda runs_: sorted(  # noqa: E731
        [key(r) for n in ("clean", "dups") for r in runs_[n]]
        + [key(r) for r in runs_["rejects"] if r not in before_dedup(runs_["rejects"])]
    )
    assert reached(got) == reached(want)
    total = sum(len(v) for v in want.values())
    assert report["read"] == total == report["kept"] + report["duplicates"] + report["rejected"]
    assert json.loads((out / "report.json").read_text())["read"] == total
    assert {r["dup_kind"] for r in got["dups"]} == {"url", "exact", "near"}


def test_spark_dedup_decisions_are_scour_runs(runs):
    """The same records kept, the same duplicates with the same `dup_kind`,
    `duplicate_of` and `similarity`, the same rejects, in the same order."""
    want, got, _, _ = runs
    for name in ("clean", "dups", "rejects"):
        assert [key(r) for r in got[name]] == [key(r) for r in want[name]], name
        assert [decision(r) for r in got[name]] == [decision(r) for r in want[name]], name


def test_spark_reads_a_big_jsonl_file_in_splits_as_scour_run_does(scour_bin, shared, tmp_path):
    """A JSONL dump named as an input goes through Spark's splittable text
    source (here in 16 kB splits, so one file is many tasks) and gives what
    `scour run` gives for it: the same records with the same line numbers
    and ids, the same decisions; `--text-field` names the body field on both."""
    md = sorted((shared / "corpus" / "wechat" / "markdown").glob("*.md"))
    assert len(md) >= 20
    lines = []
    for i, p in enumerate(md):
        rec = json.dumps({"article_text": p.read_text(encoding="utf-8"), "n": i}, ensure_ascii=False)
        lines.append(rec)
        if i % 5 == 0:
            lines.append(rec)  # an exact copy on the next line
        if i % 7 == 0:
            lines.append("")  # a blank line is counted, not a record
    lines.insert(3, "[1, 2]")  # a bad line: a reject
    dump = tmp_path / "dump.jsonl"
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cli = tmp_path / "cli"
    cli.mkdir()
    subprocess.run(
        [scour_bin, "run", str(dump), "-q", "--text-field", "article_text", "-o", cli / "clean.jsonl",
         "--dups", cli / "dups.jsonl", "--rejects", cli / "rejects.jsonl"],
        check=True,
    )
    session = scour_spark.session("local[2]", app="scour-test-jsonl")
    try:
        session.conf.set("spark.sql.files.maxPartitionBytes", str(16 << 10))
        assert session.read.text(str(dump)).rdd.getNumPartitions() > 4
        report = scour_spark.run(session, [str(dump)], str(tmp_path / "spark"), text_field="article_text")
    finally:
        session.stop()
    names = ("clean", "dups", "rejects")
    want = {n: [json.loads(l) for l in (cli / f"{n}.jsonl").read_text().splitlines()] for n in names}
    got = {n: pq.read_table(tmp_path / "spark" / n).to_pylist() for n in names}
    for name in names:
        assert [key(r) for r in got[name]] == [key(r) for r in want[name]], name
        assert [decision(r) for r in got[name]] == [decision(r) for r in want[name]], name
    assert want["dups"] and want["rejects"] and want["clean"]
    assert report["read"] == sum(len(v) for v in want.values())
    assert report["read"] == report["kept"] + report["duplicates"] + report["rejected"]
