#!/usr/bin/env bash
# Runs the cargo-fuzz targets of jobtrend's parsers (issue 7, item 6), one after another.
#
#   tests/fuzz/run.sh [RUNS] [TARGET...]       RUNS executions per target (default 1000000),
#                                              every target of fuzz_targets/ when none is named
#   tests/fuzz/run.sh seed                     rebuild corpus/<target>/seed-* from tests/fixtures
#   MERGE=1 tests/fuzz/run.sh ...              afterwards, merge the new interesting inputs into
#                                              corpus/<target>/ (libFuzzer -merge=1; commit them)
#
# In: the targets in fuzz_targets/ (each runs one check of checks.rs) and the corpus
# (corpus/<target>/: seed-* made from our own fixtures at every run — git-ignored, so the fixtures
# are not committed twice; never from ../shared/data — plus the committed inputs merged
# from earlier runs). Out: one line per target (executions, seconds, exec/s, crash or not); logs,
# new inputs and crash artifacts under $FUZZ_WORK (default $HOME/.cache/jobtrend-fuzz-work).
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a nightly compiler: `cargo +nightly` when a
# nightly toolchain is installed, else the stable one with RUSTC_BOOTSTRAP=1. Sanitizer: none
# (safe Rust; panics, overflows — debug assertions are on — stack overflows, timeouts and OOMs are
# still caught). A separate target dir, because the fuzz flags rebuild every crate (Polars too:
# the first build takes ~15-25 min on 2 cores).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/jobtrend-fuzz-target}"
work="${FUZZ_WORK:-$HOME/.cache/jobtrend-fuzz-work}"
fx="$root/tests/fixtures"

seed() {
    local t="$1" d="corpus/$1"
    mkdir -p "$d"
    rm -f "$d"/seed-*
    local files=()
    case "$t" in
        hn_html) files=("$fx"/html/hn/*.html "$fx"/feeds/hn/*.html) ;;
        jsonld) files=("$fx"/html/jsonld/*.html "$fx"/html/generic/*.html) ;;
        generic_html) files=("$fx"/html/generic/*.html "$fx"/html/jsonld/*.html) ;;
        parse_page) files=("$fx"/html/*/*.html "$fx"/feeds/hn/*.html) ;;
        html_to_text) files=("$fx"/html/generic/*.html "$fx"/html/jsonld/*.html "$fx"/html/hn/single-comment.html) ;;
        feed) files=("$fx"/feeds/feed/*) ;;
        json_api) files=("$fx"/feeds/*/*.json) ;;
        salary | keywords_roles) ;;
        *) echo "no seeds for $t" >&2 ;;
    esac
    for f in "${files[@]}"; do
        cp "$f" "$d/seed-$(basename "$(dirname "$f")")-$(basename "$f")"
    done
    # Text targets: one seed per posting text of the labelled JSONL fixtures.
    local jsonl=()
    case "$t" in
        salary) jsonl=("$fx/salary.jsonl") ;;
        keywords_roles) jsonl=("$fx/labeled.jsonl" "$fx/roles.jsonl") ;;
    esac
    if ((${#jsonl[@]})); then
        python3 - "$d" "${jsonl[@]}" <<'EOF'
import json, sys
out, n = sys.argv[1], 0
for path in sys.argv[2:]:
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line:
            continue
        text = json.loads(line).get("text")
        if text:
            n += 1
            open(f"{out}/seed-{n:04d}.txt", "w", encoding="utf-8").write(text)
EOF
    fi
    echo "$t: $(ls "$d" | grep -c '^seed-') seeds"
}

all_targets() { ls fuzz_targets | sed -n 's/\.rs$//p'; }

if [[ "${1:-}" == seed ]]; then
    for t in $(all_targets); do seed "$t"; done
    exit 0
fi

runs="${1:-1000000}"
shift || true
targets=("$@")
((${#targets[@]})) || mapfile -t targets < <(all_targets)

if cargo +nightly --version >/dev/null 2>&1; then
    fuzz=(cargo +nightly fuzz)
else
    export RUSTC_BOOTSTRAP=1
    fuzz=(cargo fuzz)
fi
"${fuzz[@]}" build -s none --fuzz-dir .

mkdir -p "$work"
status=0
printf '%-16s %12s %8s %10s  %s\n' target executions seconds exec/s result
for t in "${targets[@]}"; do
    seed "$t" >/dev/null   # seeds are made from tests/fixtures each run, never committed twice
    mkdir -p "$work/$t" "$work/artifacts/$t"
    log="$work/$t.log"
    start=$(date +%s)
    set +e
    "${fuzz[@]}" run -s none --fuzz-dir . "$t" "$work/$t" "corpus/$t" -- \
        -runs="$runs" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
        -artifact_prefix="$work/artifacts/$t/" >"$log" 2>&1
    rc=$?
    set -e
    secs=$(($(date +%s) - start))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    if ((rc == 0)); then
        result="no crash"
    else
        result="CRASH (exit $rc): $(ls "$work/artifacts/$t" | head -3 | tr '\n' ' ') see $log"
        status=1
    fi
    printf '%-16s %12s %8s %10s  %s\n' "$t" "${execs:-?}" "$secs" "${rate:-?}" "$result"
    if [[ "${MERGE:-0}" == 1 ]]; then
        "${fuzz[@]}" run -s none --fuzz-dir . "$t" "corpus/$t" "$work/$t" -- -merge=1 >"$work/$t.merge.log" 2>&1 || true
    fi
done
exit $status
