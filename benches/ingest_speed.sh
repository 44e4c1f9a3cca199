#!/usr/bin/env bash
# Ingest throughput on the saved HN pages (issue 13 item 3: >= 150 MB/s on 2 cores), with the match index
# written at ingest as `jobtrend ingest` always does.
#
# In:  the saved HN pages (default ../shared/data/hn-whoishiring/html, or $1); a release binary ($JOBTREND_BIN,
#      else $CARGO_TARGET_DIR/release/jobtrend); optionally a second binary $JOBTREND_BIN_BASE (say, main's) run
#      in the same rounds, interleaved, so both see the same page cache and machine load.
# Out: per round and binary, wall and user+sys CPU seconds, peak RSS, MB/s (bytes of the files as read over
#      wall time) and the host's steal time during the run (CPU seconds the hypervisor gave to other guests while
#      this VM wanted them, from /proc/stat: on a shared host it, not the code, moves a run by up to ~1.5x); then
#      the best and median MB/s per binary, and the median steal. Each run ingests into a fresh scratch dataset in
#      $JOBTREND_BENCH_DIR (default /tmp/jobtrend-ingest-speed) and must store every posting threads.json counts.
# Knobs: JOBTREND_BENCH_RUNS (default 5). Not run by CI. Skips (exit 0) when the pages are absent.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
html="$(realpath -m "${1:-$here/../shared/data/hn-whoishiring/html}")"
[ -d "$html" ] || { echo "SKIP ingest_speed: no pages at $html" >&2; exit 0; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install -y time)" >&2; exit 2; }
runs="${JOBTREND_BENCH_RUNS:-5}"
work="${JOBTREND_BENCH_DIR:-/tmp/jobtrend-ingest-speed}"
bin="${JOBTREND_BIN:-${CARGO_TARGET_DIR:-$here/target}/release/jobtrend}"
[ -x "$bin" ] || { echo "no release binary at $bin (cargo test --release --no-run)" >&2; exit 2; }
bins=("$bin")
[ -n "${JOBTREND_BIN_BASE:-}" ] && bins+=("$JOBTREND_BIN_BASE")
bytes=$(find "$html" -type f \( -name '*.html' -o -name '*.htm' -o -name '*.html.gz' \) -printf '%s\n' | awk '{s+=$1} END {print s}')
want=$(python3 -c "import json,sys; print(sum(t.get('postings', 0) for t in json.load(open(sys.argv[1]))))" \
  "$html/../threads.json" 2>/dev/null || echo '?')
# The `steal` column of the machine's line in /proc/stat (USER_HZ ticks over all cores); 0 where it is absent.
steal_ticks() { awk '/^cpu / {print ($9 == "" ? 0 : $9); exit}' /proc/stat 2>/dev/null || echo 0; }
hz=$(getconf CLK_TCK)
mkdir -p "$work"
echo "input: $html, $bytes bytes; threads.json counts $want postings; $runs rounds; load: $(cut -d' ' -f1-3 /proc/loadavg)"
: > "$work/results.tsv"
for r in $(seq 1 "$runs"); do
  for b in "${bins[@]}"; do
    rm -rf "$work/data"
    s0=$(steal_ticks)
    /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$b" --data "$work/data" -q ingest html --json "$html" > "$work/out.json"
    read -r wall user sys rss < "$work/time"
    steal=$(awk -v t="$(( $(steal_ticks) - s0 ))" -v hz="$hz" 'BEGIN {printf "%.2f", t / hz}')
    new=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['new'])" "$work/out.json")
    [ "$want" = '?' ] || [ "$new" = "$want" ] || { echo "FAIL: $b stored $new postings, threads.json says $want" >&2; exit 1; }
    mbs=$(awk -v b="$bytes" -v w="$wall" 'BEGIN {printf "%.1f", b / 1e6 / w}')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$b" "$wall" "$user" "$sys" "$rss" "$mbs" "$steal" >> "$work/results.tsv"
    printf 'round %s %s: %s s wall, %s s user, %s s sys, %s MiB peak, %s MB/s, %s postings, %s s stolen by the host\n' \
      "$r" "$b" "$wall" "$user" "$sys" "$((rss / 1024))" "$mbs" "$new" "$steal"
  done
done
python3 - "$work/results.tsv" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
for b in dict.fromkeys(r[0] for r in rows):
    mbs = [float(r[5]) for r in rows if r[0] == b]
    cpu = [float(r[2]) + float(r[3]) for r in rows if r[0] == b]
    steal = [float(r[6]) for r in rows if r[0] == b]
    print(f"{b}: best {max(mbs):.1f} MB/s, median {statistics.median(mbs):.1f} MB/s, median CPU {statistics.median(cpu):.2f} s, median steal {statistics.median(steal):.2f} s; target 150 MB/s: {'met' if statistics.median(mbs) >= 150 else 'NOT met'}")
PY
