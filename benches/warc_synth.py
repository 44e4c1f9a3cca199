#!/usr/bin/env python3
"""Writes a synthetic Common Crawl-style .warc.gz for measuring `jobtrend ingest warc`.

    python3 benches/warc_synth.py OUT.warc.gz [--mb 200] [--job-share 0.02] [--seed 1]

Each capture is three records, one gzip member each, as Common Crawl writes them: a request, a
response (HTTP 200, HTML) and a metadata record. Pages are ~40-120 KB of generated HTML (random
words from a fixed vocabulary, so the compression ratio is near real pages' 4-6x); a share of
them (--job-share) carry a schema.org JobPosting in JSON-LD with a unique URL. No real data.
Measure with:
    jobtrend --data /tmp/b ingest warc OUT.warc.gz     # prints MB/s of compressed input
"""
import argparse
import gzip
import json
import random

WORDS = ("the of and to in is for on with as by at from that this be are we our you your it an or "
         "data team product platform service customer design build ship support cloud engineer "
         "market price news story sport weather travel recipe garden music video photo review "
         "shop cart order delivery return policy privacy cookie account login search menu home "
         "about contact blog article comment share follow subscribe newsletter event city year "
         "rust go python java kotlin typescript react postgres kafka kubernetes terraform aws").split()


def para(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def page(rng, i, job):
    body = "".join(f"<div class=\"c{rng.randint(0, 99)}\"><p>{para(rng, rng.randint(20, 120))}</p></div>\n"
                   for _ in range(rng.randint(60, 180)))
    head = f"<title>Page {i}</title><link rel=\"canonical\" href=\"https://site{i % 997}.example/p/{i}\">"
    if job:
        ld = {"@context": "https://schema.org", "@type": "JobPosting", "title": f"Engineer {i}",
              "url": f"https://jobs{i % 97}.example/job/{i}",
              "datePosted": f"20{18 + i % 7}-{1 + i % 12:02d}-{1 + i % 28:02d}",
              "hiringOrganization": {"@type": "Organization", "name": f"Company {i % 500}"},
              "description": "<p>" + para(rng, 200) + "</p>"}
        head += f"<script type=\"application/ld+json\">{json.dumps(ld)}</script>"
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>".encode()


def record(kind, uri, block, ctype):
    h = (f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-03-05T10:00:00Z\r\n"
         f"Content-Type: {ctype}\r\nContent-Length: {len(block)}\r\n\r\n").encode()
    return gzip.compress(h + block + b"\r\n\r\n", compresslevel=6, mtime=0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--mb", type=float, default=200)
    ap.add_argument("--job-share", type=float, default=0.02)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    written, i, jobs = 0, 0, 0
    with open(a.out, "wb") as f:
        while written < a.mb * 1e6:
            uri = f"https://site{i % 997}.example/p/{i}"
            job = rng.random() < a.job_share
            jobs += job
            html = page(rng, i, job)
            http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html
            for m in (record("request", uri, f"GET /p/{i} HTTP/1.1\r\nHost: x\r\n\r\n".encode(),
                             "application/http; msgtype=request"),
                      record("response", uri, http, "application/http; msgtype=response"),
                      record("metadata", uri, b"fetchTimeMs: 100\r\n", "application/warc-fields")):
                f.write(m)
                written += len(m)
            i += 1
    print(f"{a.out}: {written / 1e6:.1f} MB, {i} captures, {jobs} job pages")


if __name__ == "__main__":
    main()
