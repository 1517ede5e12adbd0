"""scour_text's Python API against the command line's records."""

import json
import pathlib
import subprocess
import tempfile

import pyarrow as pa
import pytest

import scour_text


def cli_records(scour_bin, path, command="run"):
    """The records the command line makes of one file: the ones it writes,
    then the ones it rejects (a file's records come in order within each)."""
    with tempfile.TemporaryDirectory() as d:
        rejects = pathlib.Path(d) / "rejects.jsonl"
        out = subprocess.run(
            [scour_bin, command, str(path), "-q", "-j", "1", "--rejects", str(rejects)],
            check=True,
            capture_output=True,
        ).stdout
        lines = out.splitlines() + rejects.read_bytes().splitlines()
    return [json.loads(line) for line in lines]


def in_cli_order(records):
    return [r for r in records if "reject_reason" not in r] + [r for r in records if "reject_reason" in r]


def test_normalize_is_scour_normalize(scour_bin, samples):
    for f in sorted(samples.iterdir()):
        got = scour_text.normalize(f.read_bytes(), str(f))
        assert got, f.name
        assert in_cli_order(got) == cli_records(scour_bin, f, "normalize"), f.name


def test_clean_is_normalize_then_strip(scour_bin, samples):
    f = samples / "picker-20241008-geekpark-edited-a.md"
    recs = scour_text.clean(f.read_bytes(), str(f))
    assert recs == scour_text.strip(scour_text.normalize(f.read_bytes(), str(f)))
    # One file, nothing to deduplicate: the same record as `scour run`.
    assert recs == cli_records(scour_bin, f)
    assert recs[0]["title"]
    assert "text_format" not in recs[0]


def test_rejects_carry_the_policy_reason(samples):
    f = samples / "wechatsogou-article_detail_expired.html"
    kept = scour_text.clean(f.read_bytes(), f.name)
    assert kept[0]["reject_reason"] == "expired"
    assert scour_text.clean(f.read_bytes(), f.name, rejects="drop") == []
    with pytest.raises(scour_text.RejectedError) as e:
        scour_text.clean(f.read_bytes(), f.name, rejects="raise")
    assert e.value.reason == "expired"
    assert e.value.record["origin"]["path"] == f.name
    with pytest.raises(ValueError):
        scour_text.clean(b"", "x.md", rejects="ignore")


def test_stub_is_rejected_empty(samples):
    f = samples / "picker-20240904-anquanquan-win11-stub.md"
    with pytest.raises(scour_text.RejectedError) as e:
        scour_text.clean(f.read_bytes(), f.name, rejects="raise")
    assert e.value.reason == "empty"
    assert e.value.detail


def test_minhash_and_similarity():
    body = "国家互联网应急中心发布通报，提醒用户及时更新补丁。"
    a = scour_text.minhash(body)
    assert len(a) == 128 and all(0 <= x < 65536 for x in a)
    assert scour_text.minhash(body.replace("通报", " 通报 ")) == a
    assert scour_text.minhash("太短了") is None
    other = scour_text.minhash("完全不同的一篇文章，讲的是网络安全漏洞和补丁。")
    assert scour_text.similarity(a, a) == 1.0
    assert scour_text.similarity(a, other) < 0.5
    with pytest.raises(ValueError):
        scour_text.similarity(a, a[:5])


def test_clean_arrow_files_is_clean(samples):
    files = sorted(samples.iterdir())
    batch = pa.record_batch(
        {
            "name": [f.name for f in files],
            "content": pa.array([f.read_bytes() for f in files], pa.binary()),
        }
    )
    out = scour_text.clean_arrow(batch)
    assert isinstance(out, pa.RecordBatch)
    assert out.schema.names[: len(scour_text.record_schema().names)] == scour_text.record_schema().names
    want = [r for f in files for r in scour_text.clean(f.read_bytes(), f.name)]
    assert out.num_rows == len(want)
    assert out.column("id").to_pylist() == [r["id"] for r in want]
    assert out.column("reject_reason").to_pylist() == [r.get("reject_reason") for r in want]
    assert out.column("text").to_pylist() == [r["text"] for r in want]
    rows = out.column("row").to_pylist()
    assert rows == sorted(rows) and rows[-1] == len(files) - 1


def test_clean_arrow_records_with_a_text_field(root):
    clean = json.loads((root / "samples" / "expected" / "clean.jsonl").read_text().splitlines()[0])
    body = "点击蓝字关注我们\n\n" + clean["text"]
    batch = pa.record_batch(
        {
            "body": pa.array([body], pa.large_string()),
            "url": [clean["url"]],
            "lang_score": [0.9],
        }
    )
    out = scour_text.clean_arrow(batch, text_field="body")
    rec = out.to_pylist()[0]
    assert rec["text"] == clean["text"]
    assert rec["url"] == clean["url"]
    assert json.loads(rec["extra"]) == {"lang_score": 0.9}
    assert [r["text"] for r in rec["removed"]] == ["点击蓝字关注我们"]


def test_clean_arrow_records_name_their_file_in_ids():
    batch = pa.record_batch({"text": ["第一段正文，足够长的一句话，用来做一条记录。", "第二条记录的正文，也是一句完整的话。"]})
    anonymous = [r["id"] for r in scour_text.clean_arrow(batch).to_pylist()]
    named = scour_text.clean_arrow(batch, name="data/train.parquet").to_pylist()
    again = [r["id"] for r in scour_text.clean_arrow(batch, name="data/train.parquet").to_pylist()]
    other = [r["id"] for r in scour_text.clean_arrow(batch, name="data/test.parquet").to_pylist()]
    ids = [r["id"] for r in named]
    assert all(len(i) == 32 for i in ids) and len(set(ids)) == 2
    assert ids == again and ids != other and ids != anonymous
    assert [r["origin"]["path"] for r in named] == ["data/train.parquet"] * 2


def test_schema_version_is_in_the_metadata():
    schema = scour_text.record_schema()
    assert scour_text.SCHEMA_VERSION == "1"
    assert "removed" in schema.names and pa.types.is_list(schema.field("removed").type)


def test_clean_arrow_id_path_is_what_ids_hash(scour_bin, samples, tmp_path):
    """An `id_path` column (the file's path relative to its input argument,
    as the Spark job passes it) is what the ids of records without a URL
    hash, whatever the `name`: `scour run`'s ids for the files found at that
    path under a directory argument."""
    files = sorted(samples.iterdir())
    tree = tmp_path / "in"
    (tree / "sub").mkdir(parents=True)
    for f in files:
        (tree / "sub" / f.name).write_bytes(f.read_bytes())
    batch = pa.record_batch(
        {
            "name": ["/somewhere/else/" + f.name for f in files],
            "content": pa.array([f.read_bytes() for f in files], pa.binary()),
            "id_path": ["sub/" + f.name for f in files],
        }
    )
    out = scour_text.clean_arrow(batch)
    want = cli_records(scour_bin, tree, "normalize")
    assert sorted(out.column("id").to_pylist()) == sorted(r["id"] for r in want)
    no_url = [r["id"] for r in want if not r.get("url") and r["id"]]
    plain = {r["id"] for f in files for r in scour_text.clean(f.read_bytes(), f.name)}
    assert no_url and not set(no_url) & plain, "`sub/` is in those ids"
    assert out.column("origin").to_pylist()[0]["path"].startswith("/somewhere/else/")
