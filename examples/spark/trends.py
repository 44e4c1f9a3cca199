#!/usr/bin/env python3
"""Keyword shares per period with Spark SQL: the rows of `jobtrend trends --format csv`.

Reads the postings (`DIR/postings/month=*/part-*.parquet`) and the match index of the built-in
taxonomy (`DIR/index/fp=<DIR/index/CURRENT>/month=*/part-*.parquet`, keyword ids in
`taxonomy.json`), and writes FILE.csv with the columns, rows, order and number formatting of
`jobtrend trends --format csv` (period, keyword, mentions, postings, share, ci_low, ci_high,
flagged): every keyword of the taxonomy for every period that has postings, zero rows included,
periods ascending, keywords in taxonomy order, 95% Wilson intervals; `flagged` is true when the
period has fewer than --min-postings postings or data in fewer months than it spans (quarter 3,
year 12).

    python3 examples/spark/trends.py --data data --out trends.csv
    spark-submit --master spark://host:7077 examples/spark/trends.py --data /shared/data --out t.csv

The index must cover every posting: any `jobtrend` analysis command (e.g. `jobtrend trends`)
builds the missing index parts. Exits 2 when it does not, or when the dataset is missing.
"""

import argparse
import json
import os
import sys

Z95 = 1.959963984540054  # jobtrend's trends::Z95

PERIOD_SQL = {
    "month": "month",
    "quarter": "concat(substr(month, 1, 4), '-Q', cast(div(cast(substr(month, 6, 2) AS INT) - 1, 3) + 1 AS STRING))",
    "year": "substr(month, 1, 4)",
}

# Months a period spans: a period with data in fewer of them is flagged (jobtrend's trends::period_months).
PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def fail(msg):
    print(f"trends.py: {msg}", file=sys.stderr)
    sys.exit(2)


def current_index(data):
    """The built-in taxonomy's index directory and its keyword ids, in taxonomy order."""
    current = os.path.join(data, "index", "CURRENT")
    try:
        with open(current, encoding="utf-8") as f:
            fp = f.read().strip()
    except OSError as e:
        fail(f"{current}: {e.strerror}: no match index yet (run `jobtrend trends` once to build it)")
    fp_dir = os.path.join(data, "index", f"fp={fp}")
    note = os.path.join(fp_dir, "taxonomy.json")
    try:
        with open(note, encoding="utf-8") as f:
            keywords = json.load(f)["keywords"]
    except (OSError, ValueError, KeyError) as e:
        fail(f"{note}: cannot read the keyword ids: {e}")
    return fp_dir, keywords


def wilson_sql(k, n):
    """jobtrend's trends::wilson as Spark SQL, operation for operation (doubles, same order), so
    the bits and the printed digits are the same."""
    z = f"CAST({Z95!r} AS DOUBLE)"
    p = f"({k} / {n})"
    z2 = f"({z} * {z})"
    denom = f"(CAST(1 AS DOUBLE) + {z2} / {n})"
    centre = f"(({p} + {z2} / (CAST(2 AS DOUBLE) * {n})) / {denom})"
    half = (
        f"({z} * sqrt({p} * (CAST(1 AS DOUBLE) - {p}) / {n} + {z2} / (CAST(4 AS DOUBLE) * {n} * {n})) / {denom})"
    )
    return f"greatest({centre} - {half}, CAST(0 AS DOUBLE))", f"least({centre} + {half}, CAST(1 AS DOUBLE))"


def build_sql(by, min_postings):
    lo, hi = wilson_sql("CAST(mentions AS DOUBLE)", "CAST(postings AS DOUBLE)")
    period = PERIOD_SQL[by]
    return f"""
    WITH joined AS (
        SELECT p.month AS month, i.keywords
        FROM postings p LEFT JOIN idx i ON p.id = i.id AND p.month = i.month
    ),
    periods AS (SELECT {period} AS period, month, keywords FROM joined),
    totals AS (
        SELECT period, count(*) AS postings, count(DISTINCT month) AS months FROM periods GROUP BY period
    ),
    mentions AS (
        SELECT period, kw AS keyword, count(*) AS mentions
        FROM (SELECT period, explode(array_distinct(keywords)) AS kw FROM periods) GROUP BY period, kw
    ),
    cells AS (
        SELECT t.period, k.keyword, k.pos, t.postings, t.months, coalesce(m.mentions, 0) AS mentions
        FROM totals t CROSS JOIN taxonomy k
        LEFT JOIN mentions m ON m.period = t.period AND m.keyword = k.keyword
    )
    SELECT period, keyword, mentions, postings,
           CAST(mentions AS DOUBLE) / CAST(postings AS DOUBLE) AS share,
           {lo} AS ci_low,
           {hi} AS ci_high,
           (postings < {int(min_postings)} OR months < {PERIOD_MONTHS[by]}) AS flagged
    FROM cells ORDER BY period, pos
    """


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--master", help="Spark master URL (default: spark-submit's, else local[*])")
    ap.add_argument("--data", required=True, help="dataset directory (a path every executor sees)")
    ap.add_argument("--out", required=True, help="CSV file to write")
    ap.add_argument("--by", choices=sorted(PERIOD_SQL), default="month", help="period (default: month)")
    ap.add_argument(
        "--min-postings", type=int, default=100, help="periods with fewer postings are flagged (default: 100)"
    )
    args = ap.parse_args()

    data = os.path.abspath(args.data)
    postings_dir = os.path.join(data, "postings")
    if not os.path.isdir(postings_dir):
        fail(f"{postings_dir}: no such directory (ingest some postings first)")
    fp_dir, keywords = current_index(data)

    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("jobtrend-trends")
    if args.master:
        builder = builder.master(args.master)
    # `month=2024-03` stays a string (type inference would try to make it a date or number).
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    spark = builder.config("spark.sql.sources.partitionColumnTypeInference.enabled", "false").getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    try:
        spark.read.option("basePath", postings_dir).parquet(postings_dir).select("id", "month").createOrReplaceTempView(
            "postings"
        )
        spark.read.option("basePath", fp_dir).parquet(fp_dir).select("id", "month", "keywords").createOrReplaceTempView(
            "idx"
        )
        spark.createDataFrame([(k, i) for i, k in enumerate(keywords)], "keyword STRING, pos INT").createOrReplaceTempView(
            "taxonomy"
        )
        missing = spark.sql(
            "SELECT count(*) FROM postings p LEFT ANTI JOIN idx i ON p.id = i.id AND p.month = i.month"
        ).first()[0]
        if missing:
            fail(f"{missing} postings have no row in the match index {fp_dir} (run `jobtrend trends` once to build it)")
        rows = spark.sql(build_sql(args.by, args.min_postings)).collect()
    finally:
        spark.stop()

    tmp = f"{args.out}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write("period,keyword,mentions,postings,share,ci_low,ci_high,flagged\n")
        for r in rows:
            flagged = "true" if r.flagged else "false"
            f.write(
                f"{r.period},{r.keyword},{r.mentions},{r.postings},{r.share:.6f},{r.ci_low:.6f},{r.ci_high:.6f},"
                f"{flagged}\n"
            )
    os.replace(tmp, args.out)
    print(f"{len(rows)} rows written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
