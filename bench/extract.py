"""Main-content extraction with a Python tool over a directory of HTML pages.

    python extract.py {resiliparse|trafilatura} DIR [--procs N] [--budget SECONDS]

Reads every file of DIR (sorted), extracts its main text, and prints
"<pages done> <bytes of those pages>" on stdout; the caller times the process.
With --budget, stops after the first chunk that ends past SECONDS of extraction
(the caller then scales by the pages done: a subset, said so in the table).
"""
import argparse
import os
import sys
import time
from multiprocessing import Pool

TOOL = None


def extractor(name):
    if name == "resiliparse":
        from resiliparse.extract.html2text import extract_plain_text

        return lambda html: extract_plain_text(html, main_content=True)
    if name == "trafilatura":
        import trafilatura

        return lambda html: trafilatura.bare_extraction(html)
    raise SystemExit(f"unknown tool {name}")


def init(name):
    global TOOL
    TOOL = extractor(name)


def one(path):
    with open(path, "rb") as f:
        data = f.read()
    TOOL(data.decode("utf-8", errors="replace"))
    return len(data)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("tool")
    ap.add_argument("dir")
    ap.add_argument("--procs", type=int, default=1)
    ap.add_argument("--budget", type=float, default=0.0)
    a = ap.parse_args()
    paths = sorted(os.path.join(a.dir, n) for n in os.listdir(a.dir))
    chunk = 50
    chunks = [paths[i : i + chunk] for i in range(0, len(paths), chunk)]
    done = nbytes = 0
    t = time.perf_counter()
    if a.procs == 1:
        init(a.tool)
        for c in chunks:
            for p in c:
                nbytes += one(p)
                done += 1
            if a.budget and time.perf_counter() - t > a.budget:
                break
    else:
        with Pool(a.procs, initializer=init, initargs=(a.tool,)) as pool:
            for c in chunks:
                for n in pool.imap_unordered(one, c, chunksize=5):
                    nbytes += n
                    done += 1
                if a.budget and time.perf_counter() - t > a.budget:
                    break
    print(done, nbytes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
