#!/usr/bin/env bash
# Times the keyword matcher against ripgrep over the same posting text.
#
# In:  a text file with one posting per line, or a directory of such *.txt files (default: $JOBTREND_BENCH_TEXT).
#      The real corpus is not in the repo: extract one posting per line from ../shared/data yourself.
# Out: seconds, MB/s and the ratio matcher/rg for
#      (a) rg -o -i -w -F -f LITERALS with every literal form of the taxonomy,
#      (b) the same with one literal per id (the "~100 literal aliases"),
#      (c) `jobtrend match --jsonl` on a JSONL version of the same text (all cores, then one thread).
# Needs: rg, python3 (tomllib, 3.11+), a release build (`cargo build --release`).
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
input="${1:-${JOBTREND_BENCH_TEXT:-}}"
[ -n "$input" ] || { echo "usage: $0 POSTINGS.txt|DIR" >&2; exit 2; }
command -v rg >/dev/null || { echo "rg not found (apt-get install -y ripgrep)" >&2; exit 2; }
bin="${JOBTREND_BIN:-${CARGO_TARGET_DIR:-$here/target}/release/jobtrend}"
[ -x "$bin" ] || { echo "no release binary at $bin (cargo build --release)" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [ -d "$input" ]; then cat "$input"/*.txt > "$work/text.txt"; else cp "$input" "$work/text.txt"; fi

python3 - "$here/keywords" "$work" <<'PY'
import glob, json, os, sys, tomllib
kwdir, work = sys.argv[1], sys.argv[2]
every, first = set(), []
for f in sorted(glob.glob(os.path.join(kwdir, "*.toml"))):
    if f.endswith("predictions.toml"):
        continue
    for k in tomllib.load(open(f, "rb")).get("keyword", []):
        forms = k.get("aliases", []) + k.get("case_sensitive", []) + k.get("weak", []) + k.get("weak_case_sensitive", [])
        every.update(a.lower() for a in forms)
        if forms:
            first.append(forms[0].lower())
open(os.path.join(work, "literals.txt"), "w").write("\n".join(sorted(every)) + "\n")
open(os.path.join(work, "literals100.txt"), "w").write("\n".join(sorted(set(first))) + "\n")
with open(os.path.join(work, "text.txt"), encoding="utf-8", errors="replace") as src, \
        open(os.path.join(work, "text.jsonl"), "w") as dst:
    for i, line in enumerate(src):
        dst.write(json.dumps({"id": str(i), "text": line.rstrip("\n")}) + "\n")
PY

bytes=$(wc -c < "$work/text.txt")
lines=$(wc -l < "$work/text.txt")
best() { # best wall time of 3 runs of "$@", in seconds
  local b=999999
  for _ in 1 2 3; do
    local s e t
    s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc -l); b=$(echo "if ($t < $b) $t else $b" | bc -l)
  done
  printf '%.3f' "$b"
}
rate() { echo "scale=0; $bytes / $1 / 1000000" | bc -l; }

echo "text: $lines postings, $bytes bytes; literals: $(wc -l < "$work/literals.txt") (all forms), $(wc -l < "$work/literals100.txt") (one per id)"
t_rg=$(best rg -o -i -w -F -f "$work/literals.txt" "$work/text.txt")
t_rg100=$(best rg -o -i -w -F -f "$work/literals100.txt" "$work/text.txt")
t_m=$(best "$bin" match --jsonl "$work/text.jsonl")
t_m1=$(RAYON_NUM_THREADS=1 best "$bin" match --jsonl "$work/text.jsonl")
printf '%-52s %7ss %5s MB/s\n' "rg -o -i -w -F -f LITERALS (all forms)" "$t_rg" "$(rate "$t_rg")"
printf '%-52s %7ss %5s MB/s\n' "rg -o -i -w -F -f LITERALS (one per id)" "$t_rg100" "$(rate "$t_rg100")"
printf '%-52s %7ss %5s MB/s\n' "jobtrend match --jsonl (all cores)" "$t_m" "$(rate "$t_m")"
printf '%-52s %7ss %5s MB/s\n' "jobtrend match --jsonl (RAYON_NUM_THREADS=1)" "$t_m1" "$(rate "$t_m1")"
echo "ratio matcher/rg (all forms):   $(echo "scale=2; $t_m / $t_rg" | bc -l) (one thread: $(echo "scale=2; $t_m1 / $t_rg" | bc -l))"
echo "ratio matcher/rg (one per id):  $(echo "scale=2; $t_m / $t_rg100" | bc -l) (one thread: $(echo "scale=2; $t_m1 / $t_rg100" | bc -l))"
