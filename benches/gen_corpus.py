"""Scale corpus generator: N copies of the saved HN pages, every copy with its own item ids.

In:  SRC, a directory of saved HN thread pages (`<thread_id>/<page>.html`, e.g. ../shared/data/hn-whoishiring/html),
     OUT (a scratch directory, e.g. under /tmp; never inside the repository), and N (default 10).
Out: OUT/<thread_id>-x<k>/<page>.html for k = 0..N-1, and one summary line (files, bytes) on stdout.

Copy 0 is the page as saved; copy k > 0 adds k * 100,000,000 to every item id the markup carries (`id='N'`,
`item?id=N`, `vote?id=N`, `id%3DN`, `up_N`, `unv_N`, `toggle(event, N)`), so copy k holds the same postings under
new ids (real ids are below 50,000,000): N copies hold N times the postings, in the same months, with the same
text and markup. Output files are written whole (temp name + rename), so an interrupted run leaves no half pages.

    python3 benches/gen_corpus.py ../shared/data/hn-whoishiring/html /tmp/jobtrend-bench/corpus10x 10
"""

import os
import pathlib
import re
import sys

STEP = 100_000_000
ID = re.compile(rb"((?:id=|id%3D)['\"]?|up_|unv_|toggle\(event, )(\d{4,9})(?!\d)")


def rewrite(raw, k):
    if k == 0:
        return raw
    return ID.sub(lambda m: m.group(1) + str(int(m.group(2)) + k * STEP).encode(), raw)


def main():
    src, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    pages = sorted(pathlib.Path(d, f) for d, _, fs in os.walk(src, followlinks=True) for f in fs if f.endswith(".html"))
    files = nbytes = 0
    for page in pages:
        raw = page.read_bytes()
        rel = page.relative_to(src)
        thread = rel.parts[0] if len(rel.parts) > 1 else rel.stem
        for k in range(n):
            dst = out / f"{thread}-x{k}" / rel.name
            dst.parent.mkdir(parents=True, exist_ok=True)
            data = rewrite(raw, k)
            tmp = dst.with_name(f".{dst.name}.tmp")
            tmp.write_bytes(data)
            tmp.rename(dst)
            files += 1
            nbytes += len(data)
    print(f"files={files} bytes={nbytes} copies={n}")


if __name__ == "__main__":
    main()
