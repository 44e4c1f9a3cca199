#!/usr/bin/env python3
"""Independent cross-check of `jobtrend emerging` statistics (issue 16, item 3).

Reads the JSON of `jobtrend emerging --format json` and recomputes, for every listed term, the shares, the ratio
of shares recent/before and its 95% interval with statsmodels:
    confint_proportions_2indep(postings_after, recent.postings, postings_before, before.postings,
                               compare="ratio", method="log-adjusted")
(the Katz log interval with 0.5 added to both counts and both totals; statsmodels' default for a ratio). The
point ratio is the same adjusted ratio, computed here by hand. Checks the ranking too: terms are listed by the
interval's lower bound, highest first, every lower bound above 1.

    python3 benches/emerging_crosscheck.py EMERGING.json

Prints one line per term ending in `ok` or `MISMATCH`, then `N compared, M mismatch`. Exits 1 on any mismatch
(relative difference above 1e-9), 0 otherwise.
"""
import json
import math
import sys

from statsmodels.stats.proportion import confint_proportions_2indep

REL = 1e-9


def close(a, b):
    return math.isclose(a, b, rel_tol=REL, abs_tol=1e-12)


def main(path):
    with open(path) as f:
        e = json.load(f)
    n_recent, n_before = e["recent"]["postings"], e["before"]["postings"]
    mismatches = 0
    prev_low = math.inf
    print(f"recent {e['recent']['first']}..{e['recent']['last']} n={n_recent}; "
          f"before {e['before']['first']}..{e['before']['last']} n={n_before}")
    print(f"{'term':<32} {'before':>7} {'recent':>7} {'ratio':>12} {'ci_low':>12} {'ci_high':>12}  check")
    for t in e["terms"]:
        a, c = t["postings_after"], t["postings_before"]
        low, high = confint_proportions_2indep(a, n_recent, c, n_before, compare="ratio", method="log-adjusted")
        ratio = ((a + 0.5) / (n_recent + 0.5)) / ((c + 0.5) / (n_before + 0.5))
        ok = (
            close(t["ratio"], ratio)
            and close(t["ci_low"], float(low))
            and close(t["ci_high"], float(high))
            and close(t["share_after"], a / n_recent)
            and close(t["share_before"], c / n_before if n_before else 0.0)
            and t["ci_low"] > 1.0
            and t["ci_low"] <= prev_low + 1e-12
        )
        prev_low = t["ci_low"]
        mismatches += not ok
        print(f"{t['term'][:32]:<32} {c:>7} {a:>7} {ratio:>12.6g} {float(low):>12.6g} {float(high):>12.6g}  "
              f"{'ok' if ok else 'MISMATCH'}")
    print(f"{len(e['terms'])} compared, {mismatches} mismatch")
    return 1 if mismatches else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
