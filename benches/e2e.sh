#!/usr/bin/env bash
# End-to-end benchmark of jobtrend over the real HN corpus, against a Python baseline, ripgrep, and a 10x corpus.
#
# In:  the saved HN pages (default ../shared/data/hn-whoishiring/html, or $1); a release binary
#      ($JOBTREND_BIN, else $CARGO_TARGET_DIR/release/jobtrend, built with `cargo build --release` when missing).
# Out: per stage (ingest, trends = match + aggregate, report, check, match --jsonl vs rg), the seconds, MB/s,
#      postings/s, peak RSS (`/usr/bin/time -v`) and CPU seconds; the same for the Python baseline
#      (benches/baseline: BeautifulSoup + pandas) measured in the same run, and the ratios; then the 10x corpus
#      (benches/gen_corpus.py) with its time and RSS growth; last, the targets of issue 8, each met or missed.
#      Scratch files go to $JOBTREND_BENCH_DIR (default /tmp/jobtrend-bench), the Python venvs to
#      ~/.cache/jobtrend-bench (bs4, lxml, pandas; pyarrow in a separate venv, only to dump the stored text).
# Knobs: JOBTREND_BENCH_SCALE=10 (copies in the scale corpus; 0 skips it), JOBTREND_BENCH_PYTHON=0 skips the
#      baseline (it takes minutes), JOBTREND_BENCH_RUNS=3 (best-of runs for the matcher/rg comparison).
# Not run by CI. Skips (exit 0) when the corpus is absent.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
html="$(realpath -m "${1:-$here/../shared/data/hn-whoishiring/html}")"
if [ ! -d "$html" ]; then
  echo "SKIP e2e bench: no corpus at $html" >&2
  exit 0
fi
work="${JOBTREND_BENCH_DIR:-/tmp/jobtrend-bench}"
cache="$HOME/.cache/jobtrend-bench"
scale="${JOBTREND_BENCH_SCALE:-10}"
runs="${JOBTREND_BENCH_RUNS:-3}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/jobtrend-target}"
bin="${JOBTREND_BIN:-$CARGO_TARGET_DIR/release/jobtrend}"
[ -x "$bin" ] || (cd "$here" && cargo build --release)
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install -y time)" >&2; exit 2; }
if ! command -v rg >/dev/null; then
  (apt-get update -qq && apt-get install -y -qq ripgrep) >/dev/null || { echo "needs ripgrep" >&2; exit 2; }
fi

mkdir -p "$work" "$cache"
if [ ! -x "$cache/venv/bin/python" ] || ! "$cache/venv/bin/python" -c 'import bs4, lxml, pandas' 2>/dev/null; then
  python3 -m venv "$cache/venv" && "$cache/venv/bin/pip" install -q bs4 lxml pandas
fi
if [ ! -x "$cache/venv-arrow/bin/python" ] || ! "$cache/venv-arrow/bin/python" -c 'import pyarrow' 2>/dev/null; then
  python3 -m venv "$cache/venv-arrow" && "$cache/venv-arrow/bin/pip" install -q pyarrow
fi
py="$cache/venv/bin/python"
pya="$cache/venv-arrow/bin/python"

results="$work/results.tsv"
: > "$results"
# measure NAME BYTES POSTINGS CMD... : one run under /usr/bin/time -v; stdout to $work/NAME.out, stderr to .err.
# Appends "NAME seconds rss_kib cpu_seconds bytes postings" to $results.
measure() {
  local name=$1 bytes=$2 postings=$3
  shift 3
  local s e
  s=$(date +%s.%N)
  /usr/bin/time -v -o "$work/$name.time" "$@" > "$work/$name.out" 2> "$work/$name.err" || {
    echo "$name failed (exit $?): $*" >&2
    tail -5 "$work/$name.err" >&2
  }
  e=$(date +%s.%N)
  local rss cpu
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/$name.time")
  cpu=$(awk -F': ' '/User time|System time/ {t += $2} END {printf "%.2f", t}' "$work/$name.time")
  echo "$name $(echo "$e - $s" | bc -l) $rss $cpu $bytes $postings" >> "$results"
}
# best NAME CMD... : best wall time of $runs runs (stdout discarded), appended as "NAME seconds".
best() {
  local name=$1 b=999999 s e t
  shift
  for _ in $(seq "$runs"); do
    s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc -l); b=$(echo "if ($t < $b) $t else $b" | bc -l)
  done
  echo "$name $b" >> "$work/best.tsv"
}
col() { awk -v n="$1" -v c="$2" '$1 == n {print $c}' "$results"; }
bestof() { awk -v n="$1" '$1 == n {print $2}' "$work/best.tsv"; }
ratio() { echo "scale=2; $1 / $2" | bc -l; }

files=$(find -L "$html" -name '*.html' | wc -l)
hbytes=$(find -L "$html" -name '*.html' -printf '%s\n' | awk '{s += $1} END {print s}')
posts=$(python3 -c "import json,sys; print(sum(t['postings'] for t in json.load(open(sys.argv[1]))))" \
  "$html/../threads.json" 2>/dev/null || echo 0)
echo "corpus: $html: $files pages, $hbytes bytes, $posts postings (threads.json); $(nproc) cores"
echo "binary: $bin ($(stat -c %y "$bin" | cut -d. -f1))"
find -L "$html" -name '*.html' -exec cat {} + > /dev/null # warm the page cache for every contender

# --- jobtrend on the real corpus ---------------------------------------------------------------------------
data="$work/data"
rm -rf "$data" "$work/report"
measure ingest "$hbytes" "$posts" "$bin" --data "$data" -q ingest html --json "$html"
got=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['new'])" "$work/ingest.out" 2>/dev/null || echo '?')
[ "$got" = "$posts" ] || echo "WARNING: ingest stored $got postings, threads.json says $posts" >&2

# The stored text, once as lines (for rg) and once as JSONL (for jobtrend match), newlines folded to spaces.
"$pya" - "$data/postings" "$work" "$here/keywords" <<'PY'
import glob, json, os, sys, tomllib
import pyarrow.dataset as ds
src, work, kwdir = sys.argv[1:4]
t = ds.dataset(src, format="parquet", partitioning="hive").to_table(columns=["id", "text"])
with open(os.path.join(work, "text.txt"), "w") as txt, open(os.path.join(work, "text.jsonl"), "w") as jl:
    for i, x in zip(t.column("id").to_pylist(), t.column("text").to_pylist()):
        x = " ".join((x or "").split("\n"))
        txt.write(x + "\n")
        jl.write(json.dumps({"id": i, "text": x}) + "\n")
lits = set()
for f in sorted(glob.glob(os.path.join(kwdir, "*.toml"))):
    if not f.endswith("predictions.toml"):
        for k in tomllib.load(open(f, "rb")).get("keyword", []):
            for key in ("aliases", "case_sensitive", "weak", "weak_case_sensitive", "weak_local"):
                lits.update(a.lower() for a in k.get(key, []))
open(os.path.join(work, "literals.txt"), "w").write("\n".join(sorted(lits)) + "\n")
PY
tbytes=$(wc -c < "$work/text.txt")
nlit=$(wc -l < "$work/literals.txt")

measure trends "$tbytes" "$posts" sh -c '"$0" --data "$1" -q trends --format csv > "$2"' "$bin" "$data" "$work/trends.csv"
measure report "$tbytes" "$posts" "$bin" --data "$data" -q report --out "$work/report"
measure check "$tbytes" "$posts" "$bin" --data "$data" -q check
measure match "$tbytes" "$posts" "$bin" match --jsonl "$work/text.jsonl"
measure rg "$tbytes" "$posts" rg -o -i -w -F -f "$work/literals.txt" "$work/text.txt"
# The matcher alone: the whole text as one document (one thread, no JSON, no salary/roles extraction).
measure match_doc "$tbytes" "$posts" "$bin" match "$work/text.txt"
: > "$work/best.tsv"
best match "$bin" match --jsonl "$work/text.jsonl"
best rg rg -o -i -w -F -f "$work/literals.txt" "$work/text.txt"
best match1 env RAYON_NUM_THREADS=1 "$bin" match --jsonl "$work/text.jsonl"
best rg1 rg -j1 -o -i -w -F -f "$work/literals.txt" "$work/text.txt"
best match_doc "$bin" match "$work/text.txt"
best trends sh -c '"$0" --data "$1" -q trends --format csv > /dev/null' "$bin" "$data"

# --- Python baseline, same corpus, same run ----------------------------------------------------------------
if [ "${JOBTREND_BENCH_PYTHON:-1}" != 0 ]; then
  measure py_extract "$hbytes" "$posts" "$py" "$here/benches/baseline/hn_extract.py" "$html" "$work/postings.pkl"
  measure py_trends "$tbytes" "$posts" "$py" "$here/benches/baseline/hn_trends.py" "$here/keywords" \
    "$work/postings.pkl" "$work/py_trends.csv"
fi

# --- the scale corpus --------------------------------------------------------------------------------------
if [ "$scale" -gt 0 ]; then
  big="$work/corpus${scale}x"
  if [ ! -f "$big/.done-$files" ]; then
    rm -rf "$big"
    s=$(date +%s.%N)
    python3 "$here/benches/gen_corpus.py" "$html" "$big" "$scale" > "$work/gen.out"
    touch "$big/.done-$files"
    echo "generated $big in $(printf '%.1f' "$(echo "$(date +%s.%N) - $s" | bc -l)") s: $(cat "$work/gen.out")"
  fi
  bbytes=$(find "$big" -name '*.html' -printf '%s\n' | awk '{s += $1} END {print s}')
  bposts=$((posts * scale))
  find "$big" -name '*.html' -exec cat {} + > /dev/null
  bdata="$work/data${scale}x"
  rm -rf "$bdata" "$work/report${scale}x"
  measure ingest_x "$bbytes" "$bposts" "$bin" --data "$bdata" -q ingest html --json "$big"
  got=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['new'])" "$work/ingest_x.out" 2>/dev/null || echo '?')
  [ "$got" = "$bposts" ] || echo "WARNING: scale ingest stored $got postings, expected $bposts" >&2
  measure trends_x "$((tbytes * scale))" "$bposts" sh -c '"$0" --data "$1" -q trends --format csv > "$2"' \
    "$bin" "$bdata" "$work/trends${scale}x.csv"
  measure report_x "$((tbytes * scale))" "$bposts" "$bin" --data "$bdata" -q report --out "$work/report${scale}x"
  measure check_x "$((tbytes * scale))" "$bposts" "$bin" --data "$bdata" -q check
fi

# --- the figures ---------------------------------------------------------------------------------------------
echo
echo "text: $tbytes bytes of stored posting text; $nlit literal aliases for rg"
printf '%-36s %9s %9s %12s %10s %9s\n' stage seconds MB/s postings/s "RSS MiB" "CPU s"
awk -v scale="$scale" 'BEGIN {
    l["ingest"] = "ingest (HTML -> Parquet)"; l["trends"] = "trends (match + aggregate)"; l["report"] = "report"
    l["check"] = "check"; l["match"] = "match --jsonl (keywords; --facts off)"; l["match_doc"] = "match TEXT (matcher alone, 1 thr)"; l["rg"] = "rg -o -i -w -F -f LITERALS"
    l["py_extract"] = "python: bs4 extract"; l["py_trends"] = "python: pandas str.contains+groupby"
  }
  { n = $1; x = ""; if (n ~ /_x$/) { n = substr(n, 1, length(n) - 2); x = " [" scale "x]" }
    printf "%-36s %9.3f %9.1f %12.0f %10.1f %9.2f\n", l[n] x, $2, $5 / $2 / 1e6, $6 / $2, $3 / 1024, $4 }' "$results"
echo
printf 'best of %s (wall s): match --jsonl %.3f, rg %.3f; one thread: match --jsonl %.3f, match TEXT %.3f, rg -j1 %.3f; trends %.3f\n' \
  "$runs" "$(bestof match)" "$(bestof rg)" "$(bestof match1)" "$(bestof match_doc)" "$(bestof rg1)" "$(bestof trends)"

s_ing=$(col ingest 2); s_tr=$(col trends 2); s_rep=$(col report 2); s_chk=$(col check 2)
rss_ing=$(col ingest 3)
m_ratio=$(ratio "$(bestof match_doc)" "$(bestof rg1)")
ok() { if [ "$(echo "$1" | bc -l)" = 1 ]; then echo met; else echo MISSED; fi; }
echo
echo "targets (issue 8):"
printf '  %-62s %s\n' "ingest <= 3 s: $(printf '%.2f' "$s_ing") s, $(echo "scale=0; $hbytes / $s_ing / 1000000" | bc -l) MB/s (>= 50)" \
  "$(ok "$s_ing <= 3")"
printf '  %-62s %s\n' "ingest peak RSS <= 500 MiB: $((rss_ing / 1024)) MiB" "$(ok "$rss_ing <= 512000")"
printf '  %-62s %s\n' "match <= 1.5 x rg (matcher alone vs rg, 1 thread each): $m_ratio x" "$(ok "$m_ratio <= 1.5")"
printf '  %-62s %s\n' "  trends (parquet + match + aggregate, all cores) / rg: $(ratio "$(bestof trends)" "$(bestof rg)") x" \
  "$(ok "$(bestof trends) / $(bestof rg) <= 1.5")"
printf '  %-62s %s\n' "  match --jsonl (keywords, JSON per line) / rg: $(ratio "$(bestof match)" "$(bestof rg)") x" \
  "$(ok "$(bestof match) / $(bestof rg) <= 1.5")"
printf '  %-62s %s\n' "trends (all ids x months, matching incl.) <= 1 s: $(printf '%.2f' "$s_tr") s" "$(ok "$s_tr <= 1")"
printf '  %-62s %s\n' "  (issue 4: <= 2 s with matching; best of $runs: $(printf '%.2f' "$(bestof trends)") s)" \
  "$(ok "$(bestof trends) <= 2")"
printf '  %-62s %s\n' "report <= 5 s: $(printf '%.2f' "$s_rep") s (check: $(printf '%.2f' "$s_chk") s)" "$(ok "$s_rep <= 5")"
if [ -n "$(col py_extract 2)" ]; then
  e2e=$(echo "$s_ing + $s_tr" | bc -l)
  pe2e=$(echo "$(col py_extract 2) + $(col py_trends 2)" | bc -l)
  printf '  %-62s %s\n' "end to end >= 30x Python: $(printf '%.2f' "$e2e") s vs $(printf '%.1f' "$pe2e") s = $(ratio "$pe2e" "$e2e") x" \
    "$(ok "$pe2e / $e2e >= 30")"
  echo "    extract: $(ratio "$(col py_extract 2)" "$s_ing") x faster, RSS $(col py_extract 3) vs $rss_ing KiB;" \
    "match + aggregate: $(ratio "$(col py_trends 2)" "$s_tr") x faster, RSS $(col py_trends 3) vs $(col trends 3) KiB"
fi
if [ "$scale" -gt 0 ]; then
  for st in ingest trends report check; do
    t=$(ratio "$(col "${st}_x" 2)" "$(col "$st" 2)"); r=$(ratio "$(col "${st}_x" 3)" "$(col "$st" 3)")
    printf '  %-62s %s\n' "${scale}x $st: time x$t (<= 11), peak RSS x$r = $(($(col "${st}_x" 3) / 1024)) MiB (<= 1024)" \
      "$(ok "$t <= 11 && $(col "${st}_x" 3) <= 1048576")"
  done
fi
