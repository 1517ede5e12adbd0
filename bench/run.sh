#!/usr/bin/env bash
# make bench: throughput and peak memory of scour against baselines measured in
# the same run (see bench/README.md). Prints an aligned markdown table at the end.
#
# Environment:
#   BENCH_RUNS        runs per fast item, best time kept (default 3)
#   BENCH_WORK        work directory (default bench-work/, git-ignored)
#   BENCH_HTML_COPIES copies of each of the 4 WeChat article pages (default 500)
#   BENCH_PY_BUDGET   seconds a slow Python run may take before it stops and the
#                     table reports the subset it did (default 180)
#   BENCH_SECTIONS    which sections to run (default "picker html web dedup")
#   CARGO_TARGET_DIR  where cargo builds scour (default target/)
#   BENCH_BIN         benchmark this scour binary instead of building one (an
#                     earlier commit's, for a before/after table in one sitting)
#   SHARED            the shared checkout (default ../shared)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${BENCH_RUNS:-3}
WORK=${BENCH_WORK:-bench-work}
COPIES=${BENCH_HTML_COPIES:-500}
BUDGET=${BENCH_PY_BUDGET:-180}
SHARED=${SHARED:-../shared}
SECTIONS=${BENCH_SECTIONS:-picker html web dedup}
want() { case " $SECTIONS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
TARBALL=$SHARED/bench/picker-wechat.tar.zst
WEB_TARBALL=$SHARED/corpus/web-articles.tar.zst
HTML_SRC=$SHARED/corpus/wechat/html
TARGET=${CARGO_TARGET_DIR:-target}
case $TARGET in /*) ;; *) TARGET=$ROOT/$TARGET ;; esac
SCOUR=$TARGET/release/scour

say() { printf '== %s\n' "$*" >&2; }

mkdir -p "$WORK/out"
RESULTS=$WORK/results.tsv
: > "$RESULTS"
TIMEF=$WORK/time.out

# -- timing: "<wall s> <peak RSS KiB> <user s> <sys s>" of one command ------------------------
if [ -x /usr/bin/time ]; then
    timed() { /usr/bin/time -f '%e %M %U %S' -o "$TIMEF" "$@"; }
else
    timed() { python3 "$ROOT/bench/timeit.py" -o "$TIMEF" "$@"; }
fi

# measure SECTION TOOL JOBS DOCS BYTES NRUNS CMD...: best wall time of NRUNS runs
# and the CPU time (user + sys) of that run, peak RSS the largest of them.
# DOCS "@N": the command prints "<docs done> <bytes>" (a subset when < N). stdout of the last run is kept in $WORK/last.out.
measure() {
    local sec=$1 tool=$2 jobs=$3 docs=$4 bytes=$5 n=$6 want
    shift 6
    local best="" cpu="" rss=0 i e m u k
    for ((i = 1; i <= n; i++)); do
        if ! timed "$@" > "$WORK/last.out" 2> "$WORK/last.err"; then
            say "$tool -j $jobs failed:"; tail -5 "$WORK/last.err" >&2
            na "$sec" "$tool" "$jobs" "failed: $(tail -1 "$WORK/last.err" | tr '\t' ' ' | cut -c1-60)"
            return 0
        fi
        read -r e m u k < <(tail -1 "$TIMEF")
        if [[ $docs == @* ]]; then # the command printed "<docs done> <bytes>"
            want=${docs#@}
            read -r docs bytes < "$WORK/last.out"
            [ "$docs" -lt "$want" ] && NOTE="subset: $docs of $want pages"
        fi
        if [ -z "$best" ] || awk "BEGIN{exit !($e < $best)}"; then
            best=$e; cpu=$(awk "BEGIN{print $u + $k}")
        fi
        if [ "$m" -gt "$rss" ]; then rss=$m; fi
    done
    say "$tool -j $jobs: best ${best}s of $n (CPU ${cpu}s), peak RSS $((rss / 1024)) MB"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$sec" "$tool" "$jobs" "$docs" "$bytes" "$best" "$rss" "${NOTE:-}" "$cpu" >> "$RESULTS"
}

na() { printf '%s\t%s\t%s\t\t\tn/a\t\t%s\t\n' "$1" "$2" "$3" "$4" >> "$RESULTS"; }

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)

# -- build ---------------------------------------------------------------------
if [ -n "${BENCH_BIN:-}" ]; then
    # Another build (an earlier commit's), to compare in the same sitting.
    SCOUR=$BENCH_BIN
    say "benchmarking $SCOUR (BENCH_BIN; not built here)"
else
    say "building scour (cargo build --release, target $TARGET)"
    cargo build --release --locked -q
fi
[ -x "$SCOUR" ] || { echo "no binary at $SCOUR" >&2; exit 1; }
# The HTML path's floor: lol_html driven with the tree builder's handlers,
# which do nothing (crates/normalize/examples/lol_floor.rs). Built from this
# checkout even with BENCH_BIN: it measures lol_html, not a scour build.
FLOOR=$TARGET/release/examples/lol_floor
if want html || want web; then
    cargo build --release --locked -q -p scour-normalize --example lol_floor || FLOOR=""
fi

PICKER=$WORK/picker
if want picker; then
# -- 1. the picker captures ------------------------------------------------------
if [ ! -f "$WORK/picker.done" ]; then
    [ -f "$TARBALL" ] || { echo "missing $TARBALL" >&2; exit 1; }
    say "unpacking $TARBALL"
    rm -rf "$PICKER"; mkdir -p "$PICKER"
    tar --zstd -xf "$TARBALL" -C "$PICKER"
    touch "$WORK/picker.done"
fi
P_DOCS=$(find "$PICKER" -type f | wc -l)
P_BYTES=$(find "$PICKER" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
say "picker: $P_DOCS files, $P_BYTES bytes"

# Warm the page cache, then the floor: reading every file once.
find "$PICKER" -type f -print0 | xargs -0 cat > /dev/null
NOTE="" measure picker "cat (read every file)" 1 "$P_DOCS" "$P_BYTES" "$RUNS" \
    bash -c 'find "$1" -type f -print0 | xargs -0 cat > /dev/null' _ "$PICKER"
# Not -o /dev/null: scour renames a temporary file over its output, which would
# replace the device node with a regular file.
for j in 1 2; do
    NOTE="" measure picker "scour run" "$j" "$P_DOCS" "$P_BYTES" "$RUNS" \
        "$SCOUR" run "$PICKER" -q -j "$j" -o "$WORK/out/picker.jsonl"
done

fi

if want html; then
# -- 2. WeChat article HTML pages -----------------------------------------------
HTML=$WORK/html
KINDS="backgroud-image iframe mpvoice qqmusic"
if [ "$(cat "$WORK/html.done" 2>/dev/null)" != "$COPIES" ]; then
    say "copying 4 article pages $COPIES times each into $HTML"
    rm -rf "$HTML"; mkdir -p "$HTML"
    for ((i = 1; i <= COPIES; i++)); do
        for k in $KINDS; do
            cp "$HTML_SRC/wechatsogou-article_detail_$k.html" "$(printf '%s/%05d-%s.html' "$HTML" "$i" "$k")"
        done
    done
    echo "$COPIES" > "$WORK/html.done"
fi
H_DOCS=$(find "$HTML" -type f | wc -l)
H_BYTES=$(find "$HTML" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
find "$HTML" -type f -print0 | xargs -0 cat > /dev/null

fi

VENV=$WORK/venv
PY=$VENV/bin/python
PY_ERR=""
if [ ! -f "$VENV/.bench-ok" ]; then
    say "installing resiliparse, trafilatura, datasketch into $VENV"
    if python3 -m venv "$VENV" > "$WORK/pip.log" 2>&1; then
        # lxml_html_clean: trafilatura's justext imports lxml.html.clean, split out of lxml 5.2.
        for p in resiliparse trafilatura lxml_html_clean datasketch; do
            "$VENV/bin/pip" install -q "$p" >> "$WORK/pip.log" 2>&1 || say "pip install $p failed (see $WORK/pip.log)"
        done
        touch "$VENV/.bench-ok"
    else
        PY_ERR="python3 -m venv failed"
    fi
fi
py_has() { # MODULE: prints the reason it cannot be imported, if it cannot
    [ -n "$PY_ERR" ] && { echo "$PY_ERR"; return; }
    "$PY" -c "import $1" 2>&1 | tail -1 | tr '\t' ' ' | cut -c1-70
}

if want html; then
for j in 1 2; do
    # normalize, then strip, one after the other (no dedup: the copies would
    # be cheap duplicates); the JSONL between them is extra work for scour.
    NOTE="" measure html "scour normalize+strip" "$j" "$H_DOCS" "$H_BYTES" "$RUNS" \
        bash -c '"$1" normalize "$2" -q -j "$3" > "$4.normalized" && "$1" strip -q -j "$3" < "$4.normalized" > "$4"' \
        _ "$SCOUR" "$HTML" "$j" "$WORK/out/html.jsonl"
    if [ "$j" = 1 ] && [ -n "$FLOOR" ]; then
        NOTE="" measure html "lol_html floor" 1 "@$H_DOCS" 0 "$RUNS" "$FLOOR" "$HTML"
    fi
    for tool in resiliparse trafilatura; do
        mod=$tool; [ $tool = resiliparse ] && mod=resiliparse.extract.html2text
        why=$(py_has "$mod")
        if [ -n "$why" ]; then na html "$tool" "$j" "$why"; continue; fi
        n=$RUNS; [ $tool = trafilatura ] && n=1
        # A run stops after BUDGET s of extraction; the rates are then those of
        # the pages it did, and the table says "subset".
        NOTE="" measure html "$tool" "$j" "@$H_DOCS" 0 "$n" \
            "$PY" "$ROOT/bench/extract.py" $tool "$HTML" --procs "$j" --budget "$BUDGET"
    done
done
fi

# -- 3. pages of other web sites: 990 distinct pages, and extraction quality -------
if want web; then
WEB=$WORK/web
if [ ! -f "$WORK/web.done" ]; then
    [ -f "$WEB_TARBALL" ] || { echo "missing $WEB_TARBALL" >&2; exit 1; }
    say "unpacking $WEB_TARBALL"
    rm -rf "$WEB"; mkdir -p "$WEB"
    tar --zstd -xf "$WEB_TARBALL" -C "$WEB"
    touch "$WORK/web.done"
fi
PAGES=$WEB/web-articles/pages
W_DOCS=$(find "$PAGES" -type f | wc -l)
W_BYTES=$(find "$PAGES" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
find "$PAGES" -type f -print0 | xargs -0 cat > /dev/null
F1=$WORK/f1.tsv
: > "$F1"
for j in 1; do
    NOTE="" measure web "scour run" "$j" "$W_DOCS" "$W_BYTES" "$RUNS" \
        "$SCOUR" run "$PAGES" -q -j "$j" -o "$WORK/out/web.jsonl" --dups "$WORK/out/web-dups.jsonl" --rejects "$WORK/out/web-rejects.jsonl"
    if [ -n "$FLOOR" ]; then
        NOTE="" measure web "lol_html floor" "$j" "@$W_DOCS" 0 "$RUNS" "$FLOOR" "$PAGES"
    fi
    for tool in resiliparse trafilatura; do
        mod=$tool; [ $tool = resiliparse ] && mod=resiliparse.extract.html2text
        why=$(py_has "$mod")
        if [ -n "$why" ]; then na web "$tool" "$j" "$why"; continue; fi
        n=$RUNS; [ $tool = trafilatura ] && n=1
        NOTE="" measure web "$tool" "$j" "@$W_DOCS" 0 "$n" \
            "$PY" "$ROOT/bench/extract.py" $tool "$PAGES" --procs "$j" --budget "$BUDGET" --out "$WORK/out/web-$tool.jsonl"
        printf '%s\t%s\n' "$tool" "$(python3 "$SHARED/tools/score_snippets.py" "$WORK/out/web-$tool.jsonl" "$WEB/web-articles/snippets.json" | tail -1)" >> "$F1"
    done
    printf '%s\t%s\n' "scour" "$(python3 "$SHARED/tools/score_snippets.py" "$WORK/out/web.jsonl" "$WORK/out/web-dups.jsonl" "$WORK/out/web-rejects.jsonl" "$WEB/web-articles/snippets.json" | tail -1)" >> "$F1"
done
fi

if want dedup; then
# -- 4. dedup alone --------------------------------------------------------------
STRIPPED=$WORK/stripped.jsonl
say "normalize | strip of the picker captures into $STRIPPED"
"$SCOUR" normalize "$PICKER" -q | "$SCOUR" strip -q > "$STRIPPED.tmp"
mv "$STRIPPED.tmp" "$STRIPPED"
S_DOCS=$(wc -l < "$STRIPPED")
S_BYTES=$(stat -c %s "$STRIPPED")
cat "$STRIPPED" > /dev/null
why=$(py_has datasketch)
if [ -n "$why" ]; then
    na dedup "datasketch MinHashLSH" 1 "$why"
else
    NOTE="" measure dedup "datasketch MinHashLSH" 1 "$S_DOCS" "$S_BYTES" 1 "$PY" "$ROOT/bench/minhash.py" "$STRIPPED"
    tail -1 "$WORK/last.err" >&2
fi
for j in 1 2; do
    NOTE="" measure dedup "scour dedup" "$j" "$S_DOCS" "$S_BYTES" "$RUNS" \
        "$SCOUR" dedup "$STRIPPED" -q -j "$j" -o "$WORK/out/dedup.jsonl" --dups "$WORK/out/dedup-dups.jsonl"
done
fi

# -- 4. dedup's decisions, checked from the outputs alone ------------------------
# Every near duplicate's exact character 5-gram Jaccard with the record it
# names, recomputed in Python (not with dedup's code), must be at least 0.7, no
# near or exact duplicate may claim less, and the articles issue 17 set aside
# (tests/fixtures/issue17-kept-ids.txt) must be kept. Not timed.
CHECK_OK=1
if want dedup; then
say "checking dedup's decisions on the picker captures (bench/check_dups.py)"
CHECK=$WORK/out/check
"$SCOUR" run "$PICKER" -q -o "$CHECK-clean.jsonl" --dups "$CHECK-dups.jsonl" \
    --rejects "$CHECK-rejects.jsonl" --report "$CHECK-report.json"
python3 "$ROOT/bench/check_dups.py" "$CHECK-clean.jsonl" "$CHECK-dups.jsonl" "$CHECK-rejects.jsonl" \
    --kept-ids "$ROOT/tests/fixtures/issue17-kept-ids.txt" > "$WORK/check.out" || CHECK_OK=0
fi

# -- the table -----------------------------------------------------------------
echo
echo "load average at start: $LOAD0, at end: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${BENCH_BIN:-}" ]; then BUILD="$SCOUR"; else BUILD="$(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src crates 2>/dev/null || echo '+changes')"; fi
echo "scour $("$SCOUR" --version | awk '{print $2}') at $BUILD, $(date -u +%Y-%m-%d), $(nproc) cores; best of $RUNS runs (Python extractors and datasketch: 1 run)"
echo
python3 "$ROOT/bench/table.py" "$RESULTS"
if [ -s "${F1:-}" ]; then
    echo
    echo "Extraction quality on the 990 web-articles pages (score_snippets.py; a subset when a tool ran out of budget):"
    echo
    echo "| tool | precision, recall, F1 |"
    echo "|---|---|"
    while IFS=$'\t' read -r t line; do echo "| $t | $line |"; done < "$F1"
fi
if want dedup; then
    echo
    echo "Dedup's decisions on the picker captures (bench/check_dups.py):"
    sed 's/^/    /' "$WORK/check.out"
fi
echo
echo "Reproduce: make bench   (or: BENCH_RUNS=$RUNS bash bench/run.sh)"
if [ "$CHECK_OK" != 1 ]; then
    echo "FAILED: dedup's decisions do not hold (see above and bench/check_dups.py's messages)" >&2
    exit 1
fi
