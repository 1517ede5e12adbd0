#!/usr/bin/env python3
"""Per-family scores and rule spread for `make eval`.

usage: eval_report.py ALL.jsonl GOLD_DIR

Families are the golden files' stem prefixes (the repository or tool a dump came
from: `akan-…`, `cysk003-…`). For each family: documents, recall, precision,
residue leaks, fields right (as ../shared/tools/score.py counts them). Then each
strip rule with the number of families it fired in: a phrase rule that fires in
one family only may be fitted to that family's text (issue 12), worth a look.
"""
import collections
import json
import os
import subprocess
import sys


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    records, gold = argv
    here = os.path.dirname(os.path.abspath(__file__))
    score = os.path.join(here, "..", "..", "shared", "tools", "score.py")
    out = subprocess.run([sys.executable, score, records, gold, "--json"],
                         capture_output=True, text=True, check=True).stdout
    rows = json.loads(out[: out.rindex("]") + 1])
    fam = collections.defaultdict(list)
    for r in rows:
        fam[r["doc"].split("-", 1)[0]].append(r)
    print(f'{"family":18} {"docs":>4} {"recall":>7} {"precision":>9} {"leaks":>5} {"fields":>7}')
    for name, rs in sorted(fam.items()):
        n = len(rs)
        leaks = sum(len(r["leaked"]) + len(r["ui_blocks"]) for r in rs)
        ok = sum(sum(r["fields"].values()) for r in rs)
        allf = sum(len(r["fields"]) for r in rs)
        print(f'{name:18} {n:4} {sum(r["recall"] for r in rs) / n:7.3f} '
              f'{sum(r["precision"] for r in rs) / n:9.3f} {leaks:5} {ok:3}/{allf:<3}')
    fired = collections.defaultdict(set)
    with open(records, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            stem = os.path.basename(rec.get("origin", {}).get("path", "")).split("-", 1)[0]
            for rm in rec.get("removed", []):
                fired[rm["rule"]].add(stem)
    print(f'\n{"rule":40} families')
    for rule, fams in sorted(fired.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        mark = "  <- one family" if len(fams) == 1 and len(fam) > 1 else ""
        print(f"{rule:40} {len(fams):3}{mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
