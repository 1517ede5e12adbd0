#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the shared corpus of real dumps (and the
# repo's samples), so that libFuzzer starts from real WeChat pages rather than
# from nothing. fuzz/corpus is gitignored; run this again to reset it.
#
#   fuzz/seed.sh [SHARED]     SHARED defaults to ../shared (from the repo root)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
shared="${1:-$root/../shared}"
src="$shared/corpus/wechat"
out="$here/corpus"

if [ ! -d "$src" ]; then
  echo "seed.sh: no corpus at $src" >&2
  exit 1
fi

mkdir -p "$out"/{front_matter,html,jsonl,warc,url,strip,parts,index}

# Dedup index files: the old-format fixture (refused) and a current one.
cp "$root"/tests/fixtures/*.scourdx "$out/index/" 2>/dev/null || true

# Markdown dumps: the front-matter parser, and as bodies for strip.
for f in "$src"/markdown/*.md "$root"/samples/dumps/*.md; do
  [ -e "$f" ] || continue
  cp "$f" "$out/front_matter/"
  cp "$f" "$out/strip/"
done

# HTML pages (and the feeds, which start with `<` too).
for f in "$src"/html/*.html "$src"/rss/*.xml "$root"/samples/dumps/*.html; do
  [ -e "$f" ] || continue
  cp "$f" "$out/html/"
done


# JSONL: the repo's expected outputs, one file per record, and the golden
# files and JSON dump each squeezed onto one line.
for f in "$root"/samples/expected/*.jsonl; do
  [ -e "$f" ] || continue
  name="$(basename "$f" .jsonl)"
  i=0
  while IFS= read -r line; do
    printf '%s\n' "$line" >"$out/jsonl/$name-$i.jsonl"
    i=$((i + 1))
  done <"$f"
done
for f in "$src"/gold/*.json "$src"/json/*.json; do
  [ -e "$f" ] || continue
  tr -d '\n' <"$f" >"$out/jsonl/$(basename "$f" .json).jsonl"
done

# WARC: the corpus holds none, so wrap each HTML page in a response record.
for f in "$src"/html/*.html; do
  [ -e "$f" ] || continue
  name="$(basename "$f" .html)"
  http="$(mktemp)"
  printf 'HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n' >"$http"
  cat "$f" >>"$http"
  len="$(wc -c <"$http")"
  {
    printf 'WARC/1.0\r\nWARC-Type: response\r\n'
    printf 'WARC-Target-URI: https://mp.weixin.qq.com/s/%s\r\n' "$name"
    printf 'Content-Type: application/http; msgtype=response\r\n'
    printf 'Content-Length: %s\r\n\r\n' "$len"
    cat "$http"
    printf '\r\n\r\n'
  } >"$out/warc/$name.warc"
  rm -f "$http"
done

# Dumps read in parts: the expected JSONL whole and the WARC records, each
# after a byte that sets the part size.
for f in "$root"/samples/expected/*.jsonl "$out"/warc/*.warc; do
  [ -e "$f" ] || continue
  { printf '\x07'; cat "$f"; } >"$out/parts/$(basename "$f")"
done

# URLs: every distinct URL in the corpus, one per file.
grep -rhoE "(https?:)?//[^][ \"'<>()]+" "$src" "$root/samples/dumps" 2>/dev/null |
  sort -u | head -n 2000 | {
  i=0
  while IFS= read -r u; do
    printf '%s' "$u" >"$out/url/url-$i"
    i=$((i + 1))
  done
}

for t in front_matter html jsonl warc url strip parts; do
  printf '%-13s %5d files\n' "$t" "$(find "$out/$t" -type f | wc -l)"
done
