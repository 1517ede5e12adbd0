"""The Spark pipeline (local mode) against `scour run` on the same input: a
month of the bench captures (a few thousand) plus the corpus's markdown.
The same records kept, the same duplicates with the same `dup_kind`,
`duplicate_of` and `similarity`, the same rejects, in the same order, and a
report that adds up."""

import json
import shutil
import subprocess

import pyarrow.parquet as pq
import pytest

from scour_text import spark as scour_spark

MONTH = "wechat/2024/11"


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


def test_spark_answers_are_scour_runs(scour_bin, shared, captures, tmp_path):
    inputs = [str(shared / "corpus" / "wechat" / "markdown"), str(captures / "wechat")]
    cli = tmp_path / "cli"
    cli.mkdir()
    subprocess.run(
        [scour_bin, "run", *inputs, "-q", "-o", cli / "clean.jsonl",
         "--dups", cli / "dups.jsonl", "--rejects", cli / "rejects.jsonl"],
        check=True,
    )
    out = tmp_path / "spark"
    session = scour_spark.session("local[2]", app="scour-test")
    try:
        report = scour_spark.run(session, inputs, str(out))
    finally:
        session.stop()
    total = 0
    for name in ("clean", "dups", "rejects"):
        want = [json.loads(l) for l in (cli / f"{name}.jsonl").read_text().splitlines()]
        got = pq.read_table(out / name).to_pylist()
        assert [key(r) for r in got] == [key(r) for r in want], name
        assert [decision(r) for r in got] == [decision(r) for r in want], name
        total += len(want)
    assert report["read"] == total == report["kept"] + report["duplicates"] + report["rejected"]
    assert json.loads((out / "report.json").read_text())["read"] == total
    kinds = {r["dup_kind"] for r in pq.read_table(out / "dups").to_pylist()}
    assert kinds == {"url", "exact", "near"}, "the input exercises every kind"
