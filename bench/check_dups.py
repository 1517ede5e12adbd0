#!/usr/bin/env python3
"""Checks dedup's decisions from its outputs alone, independently of its code.

    python3 bench/check_dups.py CLEAN.jsonl DUPS.jsonl [REJECTS.jsonl] [--kept-ids FILE]

For every duplicate, the record it names in `duplicate_of` must be a kept
record of CLEAN.jsonl. For every `near` duplicate, the exact character 5-gram
Jaccard similarity of its body and that record's body is recomputed here
(whitespace removed, lowercased, every run of 5 characters a gram: POLICY.md's
definition, not dedup's MinHash estimate) and must be at least --min (0.7: the
0.8 threshold less about three standard deviations of a 128-slot estimate).
No `near` or `exact` duplicate may carry a `similarity` under --min either.
With --kept-ids, every id listed in FILE (one a line, `#` comments) must be
kept, or be a `near` or `exact` duplicate of a record it resembles: an exact
5-gram Jaccard of at least 0.8 (POLICY.md's threshold, without the estimate's
allowance). Issue 17's articles were set aside as duplicates of records they
did not resemble; one that later stripping left as a true copy of another
article of its account is set aside rightly.

Prints the counts of kept records, duplicates by kind and rejects by reason,
and the pairs that fail; exits 1 if any check fails.
"""

import argparse
import json
import sys
from collections import Counter


def grams(text):
    s = "".join(c for c in text if not c.isspace()).lower()
    return {s[i : i + 5] for i in range(len(s) - 4)}


def jaccard(a, b):
    ga, gb = grams(a), grams(b)
    if not ga and not gb:
        return 1.0 if "".join(a.split()) == "".join(b.split()) else 0.0
    return len(ga & gb) / len(ga | gb)


def records(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("clean")
    ap.add_argument("dups")
    ap.add_argument("rejects", nargs="?")
    ap.add_argument("--min", type=float, default=0.7)
    ap.add_argument("--kept-ids")
    ap.add_argument("--show", type=int, default=10, help="failing pairs to print")
    args = ap.parse_args()

    kept = {}
    for r in records(args.clean):
        kept[r["id"]] = r.get("text", "")
    want = []
    if args.kept_ids:
        with open(args.kept_ids, encoding="utf-8") as f:
            want = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    listed = set(want)
    kinds = Counter()
    failures = []
    near_min = None
    # id -> (duplicate_of, kind, exact Jaccard) of the listed ids set aside
    set_aside = {}
    for d in records(args.dups):
        kind = d.get("dup_kind")
        kinds[kind] += 1
        of = d.get("duplicate_of")
        sim = d.get("similarity")
        if of not in kept:
            failures.append((d["id"], of, kind, sim, None, "duplicate_of is not a kept record"))
            continue
        if kind in ("near", "exact") and (sim is None or sim < args.min):
            failures.append((d["id"], of, kind, sim, None, "similarity under the minimum"))
        if kind != "near" and d["id"] not in listed:
            continue
        j = jaccard(d.get("text", ""), kept[of])
        if d["id"] in listed:
            set_aside[d["id"]] = (of, kind, j)
        if kind == "near":
            near_min = j if near_min is None else min(near_min, j)
            if j < args.min:
                failures.append((d["id"], of, kind, sim, j, "exact 5-gram Jaccard under the minimum"))
    reasons = Counter()
    if args.rejects:
        for r in records(args.rejects):
            reason = r.get("reject_reason") or "?"
            # The reason is one word; older outputs glued a detail after ':'.
            reasons[reason.split(":")[0]] += 1
    missing = []
    if args.kept_ids:
        resembling = []
        for i in want:
            if i in kept:
                continue
            of, kind, j = set_aside.get(i, (None, None, 0.0))
            if kind in ("near", "exact") and j >= 0.8:
                resembling.append((i, of, kind, j))
            else:
                missing.append(i)

    print(f"kept {len(kept)}")
    print(
        "duplicates "
        + str(sum(kinds.values()))
        + ": "
        + ", ".join(f"{k} {kinds.get(k, 0)}" for k in ("url", "exact", "near"))
    )
    if args.rejects:
        print(
            f"rejected {sum(reasons.values())}: "
            + ", ".join(f"{k} {n}" for k, n in sorted(reasons.items(), key=lambda x: (-x[1], x[0])))
        )
    if near_min is not None:
        print(f"near pairs: lowest exact 5-gram Jaccard {near_min:.4f}")
    if args.kept_ids:
        print(
            f"ids listed in {args.kept_ids}: {len(want) - len(missing) - len(resembling)} of {len(want)} kept, "
            f"{len(resembling)} set aside as copies of records they resemble"
        )
        for i, of, kind, j in resembling:
            print(f"    {i}: {kind} duplicate of {of}, exact 5-gram Jaccard {j:.4f}")
    for f in failures[: args.show]:
        rid, of, kind, sim, j, why = f
        js = "" if j is None else f", exact Jaccard {j:.4f}"
        print(f"FAIL {kind} {rid} -> {of}: similarity {sim}{js}: {why}", file=sys.stderr)
    for i in missing[: args.show]:
        print(f"FAIL {i}: listed, neither kept nor a copy of a record it resembles", file=sys.stderr)
    if failures or missing:
        print(f"{len(failures)} duplicate(s) and {len(missing)} listed id(s) fail", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
