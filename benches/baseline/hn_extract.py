"""Baseline, stage 1: the saved HN "Who is hiring?" pages -> one row per posting, the way a user would script it.

In:  a directory of saved news.ycombinator.com item pages (searched recursively for *.html).
Out: a pickled pandas DataFrame (id, month, text) at OUT, and a one-line summary on stdout.

BeautifulSoup with the lxml parser, single process. A posting is a top-level comment (indent 0) with text that HN
did not collapse (row class `coll`); the same comment on two pages counts once; the month comes from the thread
title "Ask HN: Who is hiring? (March 2018)". Handles the markup of 2018..2026 (`indent` attribute or the width of
the `s.gif` spacer; `commtext` spans/divs or bare `c00` spans).

    python hn_extract.py ../shared/data/hn-whoishiring/html /tmp/postings.pkl
"""

import os
import pathlib
import re
import sys
from datetime import datetime

import pandas as pd
from bs4 import BeautifulSoup

MONTH = re.compile(r"\((\w+) (\d{4})\)")
BODY_CLASS = re.compile(r"^(commtext|c[0-9a-f]{2})$")


def page_postings(html):
    soup = BeautifulSoup(html, "lxml")
    title = soup.title.get_text() if soup.title else ""
    if "who is hiring?" not in title.lower():
        return None, []
    m = MONTH.search(title)
    month = datetime.strptime(f"{m.group(1)} {m.group(2)}", "%B %Y").strftime("%Y-%m") if m else None
    out = []
    for tr in soup.find_all("tr", class_="comtr"):
        if "coll" in tr.get("class", []):
            continue
        ind = tr.find("td", class_="ind")
        if ind is None:
            continue
        indent = ind.get("indent")
        if indent is None:
            img = ind.find("img")
            indent = int(img.get("width", "0")) // 40 if img else 0
        if int(indent) != 0:
            continue
        comment = tr.find("div", class_="comment")
        body = comment.find(["span", "div"], class_=BODY_CLASS) if comment else None
        if body is None:
            continue
        for reply in body.find_all("div", class_="reply"):
            reply.decompose()
        text = body.get_text("\n", strip=True)
        if text:
            out.append((f"hn:{tr['id']}", month, text))
    return month, out


def main():
    root, out = pathlib.Path(sys.argv[1]), sys.argv[2]
    rows, seen, files, nbytes = [], set(), 0, 0
    paths = [pathlib.Path(d, f) for d, _, fs in os.walk(root, followlinks=True) for f in fs if f.endswith(".html")]
    for path in sorted(paths):
        raw = path.read_bytes()
        files += 1
        nbytes += len(raw)
        _, postings = page_postings(raw.decode("utf-8", errors="replace"))
        for row in postings:
            if row[0] not in seen:
                seen.add(row[0])
                rows.append(row)
    df = pd.DataFrame(rows, columns=["id", "month", "text"])
    df.to_pickle(out)
    print(f"files={files} bytes={nbytes} postings={len(df)} months={df['month'].nunique()}")


if __name__ == "__main__":
    main()
