"""A notebook's worth of scour_text: clean a folder of dumps into a pandas
DataFrame, look at what was removed, and find near-duplicate pairs with the
signatures dedup uses. Run: python crates/python/examples/notebook.py DIR
"""

import collections
import pathlib
import sys

import pandas as pd
import pyarrow as pa

import scour_text

folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "samples/dumps")
files = sorted(p for p in folder.rglob("*") if p.is_file())

# One Arrow batch in, one out: normalize and strip run in Rust, once.
batch = pa.record_batch(
    {
        "name": [str(p) for p in files],
        "content": pa.array([p.read_bytes() for p in files], pa.binary()),
    }
)
df = scour_text.clean_arrow(batch).to_pandas()
print(df["reject_reason"].value_counts(dropna=False).to_string(), "\n")

kept = df[df["reject_reason"].isna()]
print(kept[["title", "source", "published"]].head(10).to_string(), "\n")

# The audit: which rules removed what.
rules = collections.Counter(r["rule"] for removed in kept["removed"] for r in removed)
print(pd.Series(rules).sort_values(ascending=False).head(10).to_string(), "\n")

# Near duplicates by the signatures scour's dedup compares (no dedup here:
# for the whole rule use `scour run` or `python -m scour_text.spark run`).
sigs = {i: scour_text.minhash(t) for i, t in zip(kept["id"], kept["text"])}
sigs = {i: s for i, s in sigs.items() if s}
ids = sorted(sigs)
pairs = [
    (a, b, scour_text.similarity(sigs[a], sigs[b]))
    for n, a in enumerate(ids)
    for b in ids[n + 1 :]
]
near = [p for p in pairs if p[2] >= 0.8]
print(f"{len(near)} pairs at estimated Jaccard >= 0.8 among {len(ids)} articles")
