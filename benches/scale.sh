#!/usr/bin/env bash
# Scale benchmark of the analysis commands on 1x / 10x / 100x copies of the real HN corpus (issue 13).
#
# In:  the saved HN pages (default ../shared/data/hn-whoishiring/html, or $1); a release binary ($JOBTREND_BIN,
#      else $CARGO_TARGET_DIR/release/jobtrend) and the generator (`cargo build --release --example replicate`).
# Out: a table of seconds and peak RSS (`/usr/bin/time -v`) for `trends`, `check` and `report` at each scale,
#      the goals of issue 13 next to it, and the `run`-adds-one-month check (index parts matched by the run).
#      1x is a real ingest (postings + index). 10x copies postings with text and index, one file per copy and part
#      (980 parts); "10c" is the same 10x after `jobtrend compact` (parts of a month merged, their index parts
#      merged with them: 94 parts, nothing re-matched).
#      100x (5.4M postings) copies the index and postings WITHOUT text, the copies of a part merged into one file
#      (as `compact` would): the analysis commands read only the index, so the text is not needed to measure
#      them (a 100x copy with text is ~15 GB). Scratch: $JOBTREND_BENCH_DIR (default /tmp/jobtrend-scale).
# Knobs: JOBTREND_SCALES="1 10 100"; JOBTREND_BENCH_REPEAT (default 7): runs of `trends`, the median is shown. Not run by CI. Skips (exit 0) when the corpus is absent.
#
# Goals (issue 13): 10x trends <= 2x its 1x time and <= 250 MiB, 10x check <= 300 MiB; 100x trends <= 5 s and
# <= 500 MiB; a run that adds one month matches only that month.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
html="$(realpath -m "${1:-$here/../shared/data/hn-whoishiring/html}")"
if [ ! -d "$html" ]; then
  echo "SKIP scale bench: no corpus at $html" >&2
  exit 0
fi
work="${JOBTREND_BENCH_DIR:-/tmp/jobtrend-scale}"
scales="${JOBTREND_SCALES:-1 10 100}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/jobtrend-target}"  # set it to your build dir, or set JOBTREND_BIN
bin="${JOBTREND_BIN:-$CARGO_TARGET_DIR/release/jobtrend}"
gen="$CARGO_TARGET_DIR/release/examples/replicate"
[ -x "$bin" ] || (cd "$here" && cargo build --release)
[ -x "$gen" ] || (cd "$here" && cargo build --release --example replicate)
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install -y time)" >&2; exit 2; }

rm -rf "$work"
mkdir -p "$work"
results="$work/results.tsv"
: > "$results"
# measure SCALE NAME CMD... : $runs runs under /usr/bin/time -v (1 for the slow commands); appends "SCALE NAME
# median-seconds max-rss-mib exit". `trends` takes tens of milliseconds, where one run is mostly noise.
measure() {
  local scale=$1 name=$2 s e code=0 runs=1 i
  shift 2
  [ "$name" = trends ] && runs="${JOBTREND_BENCH_REPEAT:-7}"
  local times=() rss=0 r
  for ((i = 0; i < runs; i++)); do
    s=$(date +%s.%N)
    /usr/bin/time -v -o "$work/$name-$scale.time" "$@" > "$work/$name-$scale.out" 2> "$work/$name-$scale.err" || code=$?
    e=$(date +%s.%N)
    times+=("$(echo "$e - $s" | bc -l)")
    r=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$work/$name-$scale.time")
    [ "$r" -gt "$rss" ] && rss=$r
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
  echo "$scale $name $(printf '%.3f' "$median") $rss $code" >> "$results"
}

"$bin" -q --data "$work/x1" ingest html "$html" > /dev/null
for s in $scales; do
  d="$work/x$s"
  if [ "$s" = 10 ]; then
    "$gen" "$work/x1" "$d" 10
  elif [ "$s" != 1 ]; then
    "$gen" "$work/x1" "$d" "$s" --no-text --merge
  fi
  measure "$s" trends "$bin" --data "$d" trends --format csv
  measure "$s" check "$bin" --data "$d" check --format json
  measure "$s" report "$bin" --data "$d" report --out "$work/report-$s"
  rm -rf "$work/report-$s"
  if [ "$s" = 10 ]; then
    measure 10c compact "$bin" --data "$d" compact
    measure 10c trends "$bin" --data "$d" trends --format csv
    measure 10c check "$bin" --data "$d" check --format json
    measure 10c report "$bin" --data "$d" report --out "$work/report-10c"
    rm -rf "$work/report-10c"
  fi
  [ "$s" = 1 ] || rm -rf "$d"
done

# A run that adds one month matches only that month: ingest every thread but the last, then the last.
last=$(find -L "$html" -mindepth 1 -maxdepth 1 -type d | sort | tail -1)
mkdir -p "$work/inc/html"
find -L "$html" -mindepth 1 -maxdepth 1 -type d | sort | head -n -1 | while read -r d; do ln -s "$d" "$work/inc/html/"; done
"$bin" -q --data "$work/inc/data" ingest html "$work/inc/html" > /dev/null
before=$(find "$work/inc/data/index" -name '*.parquet' | wc -l)
"$bin" -q --data "$work/inc/data" ingest html "$last" > /dev/null
after=$(find "$work/inc/data/index" -name '*.parquet' | wc -l)
matched=$("$bin" -v --data "$work/inc/data" trends --format csv 2>&1 >/dev/null | sed -n 's/.* \([0-9]*\) matched now.*/\1/p')

echo
printf '%-6s %-8s %9s %10s %5s\n' scale command seconds "peak MiB" exit
sort -k1,1n -k2,2 "$results" | while read -r s n t r c; do printf '%-6s %-8s %9s %10s %5s\n' "$s" "$n" "$t" "$r" "$c"; done
t1=$(awk '$1 == 1 && $2 == "trends" {print $3}' "$results")
t10=$(awk '$1 == 10 && $2 == "trends" {print $3}' "$results")
echo
echo "goals (issue 13):"
[ -n "$t10" ] && echo "  10x trends <= 2x its 1x time: $t10 s vs 2 x $t1 s"
t10c=$(awk '$1 == "10c" && $2 == "trends" {print $3}' "$results")
[ -n "$t10c" ] && echo "  10x trends after compact <= 2x its 1x time: $t10c s vs 2 x $t1 s"
awk '$1 == 10 && $2 == "trends" {print "  10x trends <= 250 MiB: " $4 " MiB"}
     $1 == 10 && $2 == "check" {print "  10x check <= 300 MiB: " $4 " MiB"}
     $1 == 100 && $2 == "trends" {print "  100x trends <= 5 s and <= 500 MiB: " $3 " s, " $4 " MiB"}' "$results"
echo "  adding one month wrote $((after - before)) index part(s) at ingest; the next trends matched ${matched:-?} part(s)"
