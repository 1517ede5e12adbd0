"""Prints the results of bench/run.sh as an aligned markdown table.

    python3 table.py RESULTS.tsv

RESULTS.tsv has one row per measurement, tab-separated:
    section  tool  jobs  docs  bytes  seconds  peak_rss_kib  note  cpu_seconds
A row whose seconds field is "n/a" carries the reason in note. The first row of
each section is its baseline; the ratio column compares against it (see
bench/README.md for how to read each one).
"""
import sys

TARGET_CAT = 3.0  # scour run at most this many times the time of reading the files
TARGET_RSS_MB = 300.0
TARGET_DEDUP = 30.0  # scour dedup at least this many times datasketch's docs/s
# scour run on WeChat HTML at least this many times each tool's pages/s, same -j
TARGET_HTML = {"resiliparse": 1.5, "trafilatura": 20.0}

TITLES = {
    "picker": "picker: 60,024 md captures",
    "html": "WeChat HTML pages",
    "web": "web-articles: 990 pages of other sites",
    "dedup": "dedup of stripped picker",
}


def fmt(x, digits=1):
    return f"{x:,.{digits}f}"


def main() -> int:
    rows = []
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line:
                rows.append(line.split("\t"))
    out = []
    base = {}
    for sec, tool, jobs, docs, nbytes, secs, rss, note, cpu in rows:
        title = TITLES.get(sec, sec)
        if secs == "n/a":
            out.append([title, tool, jobs, "", "", "", "", "", "", "", f"n/a ({note})", ""])
            continue
        docs_n, bytes_n, s, rss_mb = int(docs), int(nbytes), float(secs), int(rss) / 1024
        s, cpu_s = max(s, 0.01), max(float(cpu), 0.01)
        mbs, dps = bytes_n / 1e6 / s, docs_n / s
        if note:
            tool = f"{tool} ({note})"
        ratio, target = "", ""
        if sec in ("html", "web"):
            # Each Python tool against scour at the same -j.
            if tool.startswith("scour"):
                base[(sec, jobs)] = (dps, cpu_s / docs_n)
                ratio = "baseline (same -j)"
            elif tool.startswith("lol_html floor") and (sec, jobs) in base:
                # Not a rival: the part of scour's CPU time no change to its
                # own code can remove (the tokenizer driven with its handlers).
                share = cpu_s / docs_n / base[(sec, jobs)][1]
                ratio = f"{share:.0%} of scour's CPU s"
            elif (sec, jobs) in base:
                r = base[(sec, jobs)][0] / dps
                ratio = f"scour {r:.1f}× faster" if r >= 1 else f"scour {1 / r:.1f}× slower"
                # The same per CPU second (what a loaded machine barely changes).
                rc = cpu_s / docs_n / base[(sec, jobs)][1]
                ratio += f" (CPU: {rc:.1f}× faster)" if rc >= 1 else f" (CPU: {1 / rc:.1f}× slower)"
                want = next((t for k, t in TARGET_HTML.items() if tool.startswith(k)), None)
                if want is not None:
                    target = f"≥{want:g}×: " + ("yes" if r >= want else "no")
        elif sec not in base:
            base[sec] = (s, dps, cpu_s / docs_n)
            ratio = "baseline"
        elif sec == "picker":
            r = s / base[sec][0]
            ratio = f"{r:.1f}× cat time (CPU {cpu_s / docs_n / base[sec][2]:.1f}×)"
            ok_t = "yes" if r <= TARGET_CAT else "no"
            ok_m = "yes" if rss_mb < TARGET_RSS_MB else "no"
            target = f"≤{TARGET_CAT:g}×: {ok_t}; <{TARGET_RSS_MB:g} MB: {ok_m}"
        elif sec == "dedup":
            r = dps / base[sec][1]
            ratio = f"{r:.1f}× datasketch (CPU {base[sec][2] / (cpu_s / docs_n):.1f}×)"
            target = f"≥{TARGET_DEDUP:g}×: " + ("yes" if r >= TARGET_DEDUP else "no")
        out.append(
            [title, tool, jobs, f"{docs_n:,}", fmt(bytes_n / 1e6), f"{s:.2f}", f"{cpu_s:.2f}", fmt(mbs),
             fmt(dps, 0), fmt(rss_mb, 0), ratio, target]
        )
    head = ["benchmark", "tool", "-j", "docs", "MB", "s", "CPU s", "MB/s", "docs/s", "peak RSS MB",
            "vs baseline", "target"]
    right = {2, 3, 4, 5, 6, 7, 8, 9}
    widths = [max(len(r[i]) for r in out + [head]) for i in range(len(head))]

    def line(cells):
        return "| " + " | ".join(
            c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths))
        ) + " |"

    print(line(head))
    print("|" + "|".join(("-" * (w + 1) + ":") if i in right else ("-" * (w + 2))
                         for i, w in enumerate(widths)) + "|")
    for r in out:
        print(line(r))
    return 0


if __name__ == "__main__":
    sys.exit(main())
