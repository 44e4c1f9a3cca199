"""Baseline, stage 2: postings -> monthly share of every keyword, the way a user would script it.

In:  the keyword taxonomy directory (keywords/*.toml, read with tomllib) and the pickled DataFrame of
     hn_extract.py (id, month, text).
Out: a CSV at OUT with `period,keyword,mentions,postings,share` for every id x month, and a summary on stdout.

Simplified matching: per keyword id, one case-insensitive regex of all its literal forms (aliases,
case_sensitive, weak, weak_case_sensitive) between word boundaries, run with pandas `str.contains`; no exclusions,
context rules or `implies` (so it over-counts "Go", "Rust", "Swift", "REST"...). Then a groupby on the month.

    python hn_trends.py keywords /tmp/postings.pkl /tmp/trends.csv
"""

import pathlib
import re
import sys
import tomllib

import pandas as pd

FORMS = ("aliases", "case_sensitive", "weak", "weak_case_sensitive")


def keyword_regexes(kwdir):
    out = {}
    for f in sorted(pathlib.Path(kwdir).glob("*.toml")):
        if f.name == "predictions.toml":
            continue
        for k in tomllib.loads(f.read_text()).get("keyword", []):
            forms = sorted({a.lower() for key in FORMS for a in k.get(key, [])}, key=len, reverse=True)
            if forms:
                # \b fails next to symbols ("c++", ".net"): non-word lookarounds are the word-boundary a user means
                out[k["id"]] = r"(?<!\w)(?:" + "|".join(re.escape(a) for a in forms) + r")(?!\w)"
    return out


def main():
    kwdir, src, out = sys.argv[1], sys.argv[2], sys.argv[3]
    regexes = keyword_regexes(kwdir)
    df = pd.read_pickle(src)
    hits = pd.DataFrame({kid: df["text"].str.contains(rx, case=False, regex=True) for kid, rx in regexes.items()})
    hits["month"] = df["month"].values
    g = hits.groupby("month")
    mentions = g.sum().reset_index().melt(id_vars="month", var_name="keyword", value_name="mentions")
    postings = g.size().rename("postings").reset_index()
    res = mentions.merge(postings, on="month").rename(columns={"month": "period"})
    res["share"] = res["mentions"] / res["postings"]
    res.sort_values(["period", "keyword"]).to_csv(out, index=False)
    print(f"postings={len(df)} keywords={len(regexes)} rows={len(res)} bytes={int(df['text'].str.len().sum())}")


if __name__ == "__main__":
    main()
