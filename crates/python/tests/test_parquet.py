"""`scour run -o clean.parquet`: every field read back by pyarrow and
DuckDB, the same records as the JSONL output, the same bytes at any -j."""

import json
import subprocess

import duckdb
import pyarrow.parquet as pq
import pytest


def run(scour_bin, inputs, out_dir, ext, jobs):
    outs = {k: out_dir / f"{k}-j{jobs}.{ext}" for k in ("clean", "dups", "rejects")}
    subprocess.run(
        [scour_bin, "run", *map(str, inputs), "-q", "-j", str(jobs),
         "-o", outs["clean"], "--dups", outs["dups"], "--rejects", outs["rejects"]],
        check=True,
    )
    return outs


def as_parquet_rows(rec):
    """A JSONL record as its Parquet row reads back: every column present,
    lists empty rather than absent, `extra` a JSON string."""
    known = ["id", "text", "text_format", "title", "source", "author", "credits",
             "reprinted_from", "published", "fetched", "url", "images", "lang",
             "origin", "removed", "duplicate_of", "dup_kind", "similarity",
             "reject_reason", "reject_detail"]
    row = {k: rec.get(k) for k in known}
    for k in ("credits", "images", "removed"):
        row[k] = rec.get(k, [])
    o = rec.get("origin", {})
    row["origin"] = {
        "path": o.get("path", ""), "line": o.get("line"), "offset": o.get("offset"),
        "format": o.get("format", ""), "compression": o.get("compression"),
        "encoding": o.get("encoding"), "encoding_source": o.get("encoding_source"),
        "invalid_bytes": o.get("invalid_bytes"), "lang": o.get("lang"),
        "published": o.get("published"),
    }
    extra = {k: v for k, v in rec.items() if k not in known}
    row["extra"] = json.dumps(extra, ensure_ascii=False, separators=(",", ":")) if extra else None
    return row


@pytest.fixture(scope="module")
def inputs(samples, shared):
    ins = [samples]
    corpus = shared / "corpus" / "wechat"
    if corpus.is_dir():
        ins.append(corpus)
    return ins


def test_parquet_has_every_field_of_the_jsonl(scour_bin, inputs, tmp_path):
    pq_out = run(scour_bin, inputs, tmp_path, "parquet", 2)
    js_out = run(scour_bin, inputs, tmp_path, "jsonl", 2)
    total = 0
    for k in ("clean", "dups", "rejects"):
        table = pq.read_table(pq_out[k])
        assert table.schema.metadata[b"scour.record.version"] == b"1"
        want = [as_parquet_rows(json.loads(l)) for l in js_out[k].read_text().splitlines()]
        got = table.to_pylist()
        assert len(got) == len(want), k
        for g, w in zip(got, want):
            # JSON text of `extra` may order keys as written; compare parsed.
            ge, we = g.pop("extra"), w.pop("extra")
            assert (json.loads(ge) if ge else None) == (json.loads(we) if we else None)
            assert g == w
        total += len(got)
    assert total > 0
    assert pq.read_table(pq_out["dups"]).num_rows > 0, "the inputs have duplicates"


def test_parquet_bytes_do_not_depend_on_threads(scour_bin, inputs, tmp_path):
    one = run(scour_bin, inputs, tmp_path, "parquet", 1)
    two = run(scour_bin, inputs, tmp_path, "parquet", 2)
    for k in one:
        assert one[k].read_bytes() == two[k].read_bytes(), k


def test_duckdb_reads_every_column(scour_bin, inputs, tmp_path):
    out = run(scour_bin, inputs, tmp_path, "parquet", 2)
    con = duckdb.connect()
    cols = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{out['dups']}')").fetchall()]
    assert cols[:3] == ["id", "text", "text_format"] and cols[-1] == "extra"
    n, kinds = con.execute(
        f"""SELECT count(*), list(DISTINCT dup_kind ORDER BY dup_kind)
            FROM read_parquet('{out['dups']}')"""
    ).fetchone()
    assert n == pq.read_table(out["dups"]).num_rows
    assert set(kinds) <= {"url", "exact", "near"} and kinds
    path, fmt = con.execute(
        f"SELECT origin.path, origin.format FROM read_parquet('{out['clean']}') LIMIT 1"
    ).fetchone()
    assert path and fmt
    reasons = con.execute(
        f"SELECT DISTINCT reject_reason FROM read_parquet('{out['rejects']}') ORDER BY 1"
    ).fetchall()
    assert ("empty",) in reasons
    rules = con.execute(
        f"""SELECT count(*) FROM (SELECT unnest(removed) AS r FROM read_parquet('{out['clean']}'))
            WHERE r.family = 'promo'"""
    ).fetchone()[0]
    assert rules > 0, "removals are a list of structs DuckDB can unnest"


def test_scour_run_reads_parquet_record_files_by_text_field(scour_bin, shared, tmp_path):
    """`scour run x.parquet --text-field body`: each row read as a JSONL line
    with the same fields, the body from the named column, other columns
    passed through (an `id` column as `input_id`, as a JSONL line's `id`),
    normalized and stripped as `scour_text.clean_arrow` (the Spark job's
    reader) reads them."""
    import pyarrow as pa
    from scour_text import _native

    md = sorted((shared / "corpus" / "wechat" / "markdown").glob("*.md"))[:12]
    bodies = [p.read_text(encoding="utf-8") for p in md]
    table = pa.table({
        "id": [f"row{i:02}" for i in range(len(md))],
        "body": bodies,
        "lang_code": ["zh"] * len(md),
    })
    src = tmp_path / "rows.parquet"
    # zstd or none: the binary's parquet build has no snappy (pyarrow's default).
    pq.write_table(table, src, compression="zstd")
    out = tmp_path / "out"
    out.mkdir()
    subprocess.run(
        [scour_bin, "run", str(src), "-q", "--text-field", "body", "-o", out / "clean.jsonl",
         "--dups", out / "dups.jsonl", "--rejects", out / "rejects.jsonl"],
        check=True,
    )
    got = {}
    for name in ("clean", "dups", "rejects"):
        for line in (out / f"{name}.jsonl").read_text().splitlines():
            r = json.loads(line)
            got[r["origin"]["line"]] = r
    assert sorted(got) == list(range(1, len(md) + 1)), "every row, numbered from 1"
    assert [got[n]["input_id"] for n in sorted(got)] == table.column("id").to_pylist()
    want = _native.clean_arrow(
        table.to_batches()[0], "body", True, False, False, None, str(src), None, None, "parquet"
    ).to_pylist()
    for w in want:
        g = got[w["origin"]["line"]]
        assert (g["id"], g["text"], g.get("reject_reason"), g["origin"]["format"]) == (
            w["id"], w["text"], w["reject_reason"], "parquet"), w["id"]
        assert g["lang_code"] == "zh"
    assert any(not g.get("reject_reason") for g in got.values())
