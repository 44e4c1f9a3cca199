#!/usr/bin/env bash
# `jobtrend match --jsonl` against ripgrep over the same posting text, side by side in one run (issue 13 item 3).
#
# In:  the saved HN pages (default ../shared/data/hn-whoishiring/html), ingested into a scratch dataset and dumped
#      as one posting per line; or a text file with one posting per line. A release binary ($JOBTREND_BIN, else
#      $CARGO_TARGET_DIR/release/jobtrend).
# Out: for each of $JOBTREND_BENCH_RUNS (default 5) rounds, interleaved: the wall time of
#        rg -c -o -i -w -F -f LITERALS text.txt      (every literal form of the taxonomy, lowercased)
#        jobtrend match --jsonl text.jsonl           (keywords only: the default)
#      then the best and the median of each, and the ratios matcher/rg (target: <= 1.5); once more with --facts
#      (salary + roles, opt-in) for information. Same files, same page cache, same machine load.
# Needs: rg, python3 (tomllib, 3.11+); for the HTML input also pyarrow (a venv in ~/.cache/jobtrend-bench, made
#      on first use, as benches/e2e.sh does). Scratch files in $JOBTREND_BENCH_DIR (default /tmp/jobtrend-match-rg).
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
input="$(realpath -m "${1:-$here/../shared/data/hn-whoishiring/html}")"
runs="${JOBTREND_BENCH_RUNS:-5}"
work="${JOBTREND_BENCH_DIR:-/tmp/jobtrend-match-rg}"
bin="${JOBTREND_BIN:-${CARGO_TARGET_DIR:-$here/target}/release/jobtrend}"
[ -e "$input" ] || { echo "SKIP match_vs_rg: no input at $input" >&2; exit 0; }
command -v rg >/dev/null || { echo "rg not found (apt-get install -y ripgrep)" >&2; exit 2; }
[ -x "$bin" ] || { echo "no release binary at $bin (cargo build --release)" >&2; exit 2; }
mkdir -p "$work"

if [ -d "$input" ]; then
  cache="$HOME/.cache/jobtrend-bench"
  pya="$cache/venv-arrow/bin/python"
  if [ ! -x "$pya" ] || ! "$pya" -c 'import pyarrow' 2>/dev/null; then
    python3 -m venv "$cache/venv-arrow" && "$cache/venv-arrow/bin/pip" install -q pyarrow
  fi
  rm -rf "$work/data"
  "$bin" --data "$work/data" -q ingest html "$input" > /dev/null
  "$pya" - "$work/data/postings" "$work/text.txt" <<'PY'
import sys
import pyarrow.dataset as ds
t = ds.dataset(sys.argv[1], format="parquet", partitioning="hive").to_table(columns=["text"])
with open(sys.argv[2], "w") as out:
    for x in t.column("text").to_pylist():
        out.write(" ".join((x or "").split("\n")) + "\n")
PY
else
  cp "$input" "$work/text.txt"
fi

python3 - "$here/keywords" "$work" <<'PY'
import glob, json, os, sys, tomllib
kwdir, work = sys.argv[1], sys.argv[2]
lits = set()
for f in sorted(glob.glob(os.path.join(kwdir, "*.toml"))):
    if f.endswith("predictions.toml"):
        continue
    for k in tomllib.load(open(f, "rb")).get("keyword", []):
        for key in ("aliases", "case_sensitive", "weak", "weak_case_sensitive", "weak_local"):
            lits.update(a.lower() for a in k.get(key, []))
open(os.path.join(work, "literals.txt"), "w").write("\n".join(sorted(lits)) + "\n")
with open(os.path.join(work, "text.txt"), encoding="utf-8", errors="replace") as src, \
        open(os.path.join(work, "text.jsonl"), "w") as dst:
    for i, line in enumerate(src):
        dst.write(json.dumps({"id": i, "text": line.rstrip("\n")}) + "\n")
PY

bytes=$(wc -c < "$work/text.txt")
lines=$(wc -l < "$work/text.txt")
cat "$work/text.txt" "$work/text.jsonl" > /dev/null # page cache
secs() { # wall seconds of one run of "$@", stdout discarded
  local s e
  s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N)
  echo "$e - $s" | bc -l
}
: > "$work/times.tsv"
for r in $(seq "$runs"); do
  echo "rg $(secs rg -c -o -i -w -F -f "$work/literals.txt" "$work/text.txt")" >> "$work/times.tsv"
  echo "match $(secs "$bin" match --jsonl "$work/text.jsonl")" >> "$work/times.tsv"
done
facts=$(secs "$bin" match --jsonl --facts "$work/text.jsonl")
stat() { # best|median NAME
  awk -v n="$2" '$1 == n {print $2}' "$work/times.tsv" | sort -g |
    awk -v w="$1" '{v[NR] = $1} END {if (w == "best") print v[1]; else print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'
}
echo "text: $lines postings, $bytes bytes; $(wc -l < "$work/literals.txt") literal forms; $(nproc) cores; $runs rounds"
printf '%-50s %9s %9s %9s\n' "" "best s" "median s" "MB/s"
for n in rg match; do
  label=$([ "$n" = rg ] && echo "rg -c -o -i -w -F -f LITERALS" || echo "jobtrend match --jsonl")
  printf '%-50s %9.3f %9.3f %9.0f\n' "$label" "$(stat best $n)" "$(stat median $n)" \
    "$(echo "$bytes / $(stat best $n) / 1000000" | bc -l)"
done
printf '%-50s %9.3f %9s %9.0f\n' "jobtrend match --jsonl --facts (one run)" "$facts" "" "$(echo "$bytes / $facts / 1000000" | bc -l)"
printf 'ratio match/rg: best %.2f, median %.2f (target <= 1.5); with --facts %.2f\n' \
  "$(echo "$(stat best match) / $(stat best rg)" | bc -l)" "$(echo "$(stat median match) / $(stat median rg)" | bc -l)" \
  "$(echo "$facts / $(stat best rg)" | bc -l)"
