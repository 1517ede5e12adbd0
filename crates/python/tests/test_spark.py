"""The Spark pipeline (local mode) against `scour run` on the same input: a
month of the bench captures (a few thousand) plus the corpus's markdown,
each of the two reading its own copy at its own path (ids do not depend on
where the input lives: issue 14)."""

import json
import os
import shutil
import subprocess

import pyarrow.parquet as pq
import pytest

from scour_text import _native
from scour_text import spark as scour_spark

MONTH = "wechat/2024/11"
JSON_FILE = "wechatsogou-search-gaokao-article.json"

# Two shuffle partitions for two local cores (the job's default is 8): the
# answers do not depend on partitioning, and each stage has fewer tasks.
os.environ.setdefault("SCOUR_SHUFFLE_PARTITIONS", "2")
DEDUP_EMPTY = _native.empty_reject()


def extract_month(shared, to):
    tarball = shared / "bench" / "picker-wechat.tar.zst"
    if not tarball.exists():
        pytest.fail(f"{tarball} is missing (the bench captures)")
    if shutil.which("zstd") is None:
        pytest.fail("zstd is needed to unpack the bench captures")
    to.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "--zstd", "-xf", str(tarball), "-C", str(to), MONTH], check=True)
    return to


@pytest.fixture(scope="module")
def captures(shared, tmp_path_factory):
    return extract_month(shared, tmp_path_factory.mktemp("captures"))


@pytest.fixture(scope="module")
def elsewhere(shared, tmp_path_factory):
    """The same input as `runs` gives `scour run`, at other paths: the
    corpus's markdown copied under another parent, the month extracted
    again under a folder of another name."""
    d = tmp_path_factory.mktemp("elsewhere")
    corpus = shared / "corpus" / "wechat"
    shutil.copytree(corpus / "markdown", d / "copy" / "md")
    shutil.copytree(corpus / "html", d / "copy" / "pages")
    (d / "one").mkdir()
    shutil.copy(corpus / "json" / JSON_FILE, d / "one" / JSON_FILE)
    extract_month(shared, d / "again")
    return [str(d / "copy" / "md"), str(d / "copy" / "pages"), str(d / "one" / JSON_FILE),
            str(d / "again" / "wechat")]


def relocate(recs, frm, to):
    """`recs` with each `origin.path` under an argument of `frm` moved under
    the same argument of `to` (the path as found differs; nothing else may)."""
    for r in recs:
        p = r["origin"]["path"]
        for a, b in zip(frm, to):
            if p == a or p.startswith(a.rstrip("/") + "/"):
                r["origin"]["path"] = b + p[len(a):]
                break
    return recs


@pytest.fixture(scope="module")
def runs(scour_bin, shared, captures, elsewhere, tmp_path_factory):
    """Both outputs, as lists of records per output name, and Spark's report.
    Spark reads the input at other paths than `scour run` (`elsewhere`);
    its `origin.path`s are moved back to `scour run`'s for comparing, and
    everything else (ids, `duplicate_of`) must already be the same."""
    corpus = shared / "corpus" / "wechat"
    # The markdown and the captures have URLs; the HTML pages and the JSON
    # file (a file argument) have none, so their ids hash relative paths.
    inputs = [str(corpus / "markdown"), str(corpus / "html"), str(corpus / "json" / JSON_FILE),
              str(captures / "wechat")]
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
        report = scour_spark.run(session, elsewhere, str(out))
    finally:
        session.stop()
    names = ("clean", "dups", "rejects")
    want = {n: [json.loads(l) for l in (cli / f"{n}.jsonl").read_text().splitlines()] for n in names}
    got = {n: relocate(pq.read_table(out / n).to_pylist(), elsewhere, inputs) for n in names}
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
    no_url = [r for n in ("clean", "dups", "rejects") for r in want[n] if r["id"] and not r.get("url")]
    assert len(no_url) >= 8, "records whose ids hash a relative path"


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
    and ids, the same decisions; `--text-field` names the body field on both.
    Its records have no URL: their ids hash the file's name and line, so
    Spark reading a copy at another path gives `scour run`'s ids."""
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
    (tmp_path / "elsewhere").mkdir()
    copy = shutil.copy(dump, tmp_path / "elsewhere" / "dump.jsonl")
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
        assert session.read.text(str(copy)).rdd.getNumPartitions() > 4
        report = scour_spark.run(session, [str(copy)], str(tmp_path / "spark"), text_field="article_text")
    finally:
        session.stop()
    names = ("clean", "dups", "rejects")
    want = {n: [json.loads(l) for l in (cli / f"{n}.jsonl").read_text().splitlines()] for n in names}
    got = {n: relocate(pq.read_table(tmp_path / "spark" / n).to_pylist(), [str(copy)], [str(dump)])
           for n in names}
    assert not any(r.get("url") for n in names for r in want[n])
    for name in names:
        assert [key(r) for r in got[name]] == [key(r) for r in want[name]], name
        assert [decision(r) for r in got[name]] == [decision(r) for r in want[name]], name
    assert want["dups"] and want["rejects"] and want["clean"]
    assert report["read"] == sum(len(v) for v in want.values())
    assert report["read"] == report["kept"] + report["duplicates"] + report["rejected"]


def hf_rows(shared, start, n):
    """Rows as a Hugging Face dataset exported to Parquet has them: `text`,
    some with a `url`, some with a `title`, no `id`; with exact copies and
    refetches of one URL among them."""
    md = sorted((shared / "corpus" / "wechat" / "markdown").glob("*.md"))[start:start + n]
    assert len(md) == n
    rows = []
    for i, p in enumerate(md):
        body = p.read_text(encoding="utf-8")
        url = f"https://example.com/post/{start + i}" if i % 3 == 0 else None
        rows.append({"text": body, "url": url, "title": None if i % 4 else f"题{i}"})
        if i % 5 == 0:
            rows.append({"text": body, "url": None, "title": None})  # an exact copy
        if i % 6 == 0 and url:
            rows.append({"text": body[: len(body) // 2], "url": url, "title": None})  # a refetch
    rows.insert(2, {"text": None, "url": None, "title": "无正文"})  # no body: a reject
    return rows


def test_spark_reads_parquet_without_ids_as_scour_run_does(scour_bin, shared, tmp_path):
    """Issue 14: Parquet files without an `id` column, one named as an input
    (read by Spark's Parquet source in several splits) and one in a
    directory (read whole by one task): Spark's records are `scour run`'s
    on its own copy at other paths (ids, `duplicate_of`, `dup_kind`,
    `similarity`, texts), every record has an id, every duplicate names a
    kept one, and the report adds up. Before, such rows had empty ids."""
    import pyarrow as pa

    def write(rows, path):
        path.parent.mkdir(parents=True, exist_ok=True)
        # zstd: the binary's parquet build has no snappy; row groups of 4
        # rows, so the file argument is many splits.
        pq.write_table(pa.Table.from_pylist(rows), path, compression="zstd", row_group_size=4)

    here, there = tmp_path / "here", tmp_path / "there"
    for d in (here, there):
        write(hf_rows(shared, 0, 24), d / "ds.parquet")
        write(hf_rows(shared, 12, 16), d / "dir" / "part" / "train.parquet")
    inputs = [str(here / "ds.parquet"), str(here / "dir")]
    copies = [str(there / "ds.parquet"), str(there / "dir")]
    cli = tmp_path / "cli"
    cli.mkdir()
    subprocess.run(
        [scour_bin, "run", *inputs, "-q", "-o", cli / "clean.jsonl",
         "--dups", cli / "dups.jsonl", "--rejects", cli / "rejects.jsonl"],
        check=True,
    )
    session = scour_spark.session("local[2]", app="scour-test-parquet")
    try:
        session.conf.set("spark.sql.files.maxPartitionBytes", str(16 << 10))
        assert session.read.parquet(copies[0]).rdd.getNumPartitions() > 1
        report = scour_spark.run(session, copies, str(tmp_path / "spark"))
    finally:
        session.stop()
    names = ("clean", "dups", "rejects")
    want = {n: [json.loads(l) for l in (cli / f"{n}.jsonl").read_text().splitlines()] for n in names}
    got = {n: relocate(pq.read_table(tmp_path / "spark" / n).to_pylist(), copies, inputs)
           for n in names}
    every = [r for n in names for r in want[n]]
    assert all(r["id"] for r in every), "every row has an id"
    assert {r["origin"]["format"] for r in every} == {"parquet"}
    kept = {r["id"] for r in want["clean"]}
    assert want["dups"] and all(r["duplicate_of"] in kept for r in want["dups"])
    assert {r["dup_kind"] for r in want["dups"]} >= {"url", "exact"}
    assert want["rejects"]
    for name in names:
        assert [key(r) for r in got[name]] == [key(r) for r in want[name]], name
        assert [decision(r) for r in got[name]] == [decision(r) for r in want[name]], name
    assert report["read"] == len(every) == report["kept"] + report["duplicates"] + report["rejected"]
