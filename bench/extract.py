"""Main-content extraction with a Python tool over a directory of HTML pages.

    python extract.py {resiliparse|trafilatura} DIR [--procs N] [--budget SECONDS] [--out FILE]

Reads every file of DIR (sorted), extracts its main text (written with --out as
JSONL records {"origin": {"path": ...}, "title": ..., "text": ...}, which
../shared/tools/score_snippets.py scores), and prints
"<pages done> <bytes of those pages>" on stdout; the caller times the process.
With --budget, stops after the first chunk that ends past SECONDS of extraction
(the caller then scales by the pages done: a subset, said so in the table).
"""
import argparse
import json
import os
import sys
import time
from multiprocessing import Pool

TOOL = None


def extractor(name):
    if name == "resiliparse":
        from resiliparse.extract.html2text import extract_plain_text

        return lambda html: {"text": extract_plain_text(html, main_content=True)}
    if name == "trafilatura":
        import trafilatura

        def run(html):
            doc = trafilatura.bare_extraction(html)
            if doc is None:
                return {"text": ""}
            doc = doc if isinstance(doc, dict) else doc.as_dict()
            return {"title": doc.get("title"), "text": doc.get("text") or ""}

        return run
    raise SystemExit(f"unknown tool {name}")


def init(name):
    global TOOL
    TOOL = extractor(name)


def one(path):
    with open(path, "rb") as f:
        data = f.read()
    rec = TOOL(data.decode("utf-8", errors="replace"))
    rec["origin"] = {"path": path}
    return len(data), rec


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("tool")
    ap.add_argument("dir")
    ap.add_argument("--procs", type=int, default=1)
    ap.add_argument("--budget", type=float, default=0.0)
    ap.add_argument("--out")
    a = ap.parse_args()
    out = open(a.out, "w", encoding="utf-8") if a.out else None

    def keep(rec):
        if out:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")

    paths = sorted(os.path.join(a.dir, n) for n in os.listdir(a.dir))
    chunk = 50
    chunks = [paths[i : i + chunk] for i in range(0, len(paths), chunk)]
    done = nbytes = 0
    t = time.perf_counter()
    if a.procs == 1:
        init(a.tool)
        for c in chunks:
            for p in c:
                n, rec = one(p)
                keep(rec)
                nbytes += n
                done += 1
            if a.budget and time.perf_counter() - t > a.budget:
                break
    else:
        with Pool(a.procs, initializer=init, initargs=(a.tool,)) as pool:
            for c in chunks:
                for n, rec in pool.imap_unordered(one, c, chunksize=5):
                    keep(rec)
                    nbytes += n
                    done += 1
                if a.budget and time.perf_counter() - t > a.budget:
                    break
    print(done, nbytes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
