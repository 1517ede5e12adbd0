"""Near-duplicate detection with datasketch, the baseline of `scour dedup`.

    python minhash.py STRIPPED.jsonl

For each record's `text` (JSONL from `scour strip`): the set of character
5-grams of the lowercased, whitespace-free text, a MinHash(num_perm=128) of it
(update_batch, datasketch's fast path), a query of MinHashLSH(threshold=0.8) for
earlier near-duplicates, then an insert. Single process. Prints
"<records> <bytes of the JSONL>" on stdout, the near-duplicates found on stderr.
"""
import json
import os
import sys

from datasketch import MinHash, MinHashLSH


def shingles(text):
    s = "".join(text.lower().split())
    if len(s) <= 5:
        return {s.encode()}
    return {s[i : i + 5].encode() for i in range(len(s) - 4)}


def main() -> int:
    path = sys.argv[1]
    lsh = MinHashLSH(threshold=0.8, num_perm=128)
    docs = near = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            m = MinHash(num_perm=128)
            m.update_batch(list(shingles(rec.get("text") or "")))
            if lsh.query(m):
                near += 1
            lsh.insert(str(docs), m)
            docs += 1
    print(docs, os.path.getsize(path))
    print(f"datasketch: {docs} records, {near} with a near-duplicate before them", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
