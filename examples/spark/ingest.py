#!/usr/bin/env python3
"""Ingest saved pages with Spark: `jobtrend ingest html --shared` on every executor, then compact.

The driver lists the input files (directories are searched like `jobtrend ingest html` does:
.html, .htm, .html.gz, .htm.gz, hidden entries skipped), splits them into one share per task,
balanced by size, and each task runs `jobtrend ingest html --shared --writer-id <unique>` on its
share (in chunks of at most 500 files per process). The writers take no lock and name their part
files after themselves, so they never collide; a posting two tasks (or a retried task) both stored
is removed by `jobtrend compact`, which the driver runs last under the dataset's lock. The result
holds each posting once, and running it again adds nothing.

    python3 examples/spark/ingest.py --master 'local[2]' --data data pages/
    spark-submit --master spark://host:7077 --files target/release/jobtrend \\
        examples/spark/ingest.py --data /shared/data /shared/pages

The binary: `$JOBTREND_BIN`, else a `jobtrend` shipped with `spark-submit --files`, else
`jobtrend` on PATH. DIR and the inputs must be paths every executor sees (a shared file system).
Exit code: 0 all good, 1 some files or tasks failed (the rest is stored), 2 nothing could be done.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import uuid

SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
CHUNK = 500


def fail(msg):
    print(f"ingest.py: {msg}", file=sys.stderr)
    sys.exit(2)


def list_inputs(paths):
    """Files as given, directories recursively (sorted, hidden entries skipped); missing paths."""
    files, missing = [], []

    def walk(d):
        for name in sorted(os.listdir(d)):
            if name.startswith("."):
                continue
            p = os.path.join(d, name)
            if os.path.isdir(p):
                walk(p)
            elif name.lower().endswith(SUFFIXES):
                files.append(p)

    for p in paths:
        p = os.path.abspath(p)
        if os.path.isdir(p):
            walk(p)
        elif os.path.isfile(p):
            files.append(p)
        else:
            missing.append(p)
    return list(dict.fromkeys(files)), missing


def shares(files, n):
    """Splits files into at most n shares of about equal bytes (largest first, to the lightest share)."""
    n = max(1, min(n, len(files)))
    out = [[0, []] for _ in range(n)]
    for size, f in sorted(((os.path.getsize(f), f) for f in files), reverse=True):
        lightest = min(out, key=lambda s: s[0])
        lightest[0] += size
        lightest[1].append(f)
    return [sorted(s[1]) for s in out if s[1]]


def find_binary(given):
    """The jobtrend binary on this machine (driver or executor)."""
    if given and os.path.isfile(given):
        return given
    env = os.environ.get("JOBTREND_BIN")
    if env and os.path.isfile(env):
        return env
    try:
        from pyspark import SparkFiles

        shipped = SparkFiles.get("jobtrend")
        if os.path.isfile(shipped):
            if not os.access(shipped, os.X_OK):
                os.chmod(shipped, 0o755)
            return shipped
    except Exception:  # noqa: BLE001 - no SparkContext on this side, or nothing shipped
        pass
    return shutil.which("jobtrend")


def ingest_share(data, binary, jobs):
    """The task: runs the shared writers over one share; yields one result per process."""

    def run(pairs):
        for index, files in pairs:
            exe = find_binary(binary)
            if not exe:
                yield {"share": index, "code": 2, "error": "no jobtrend binary ($JOBTREND_BIN, --files or PATH)"}
                continue
            host = "".join(c if c.isalnum() or c in "-_" else "_" for c in socket.gethostname())[:24]
            writer = f"spark-{host}-{index}-{uuid.uuid4().hex[:12]}"
            for start in range(0, len(files), CHUNK):
                cmd = [exe, "--data", data, "-q", "ingest", "html", "--shared", "--writer-id", writer, "--json"]
                cmd += ["--jobs", str(jobs)] + files[start : start + CHUNK]
                proc = subprocess.run(cmd, capture_output=True, text=True)
                try:
                    summary = json.loads(proc.stdout) if proc.stdout.strip() else None
                except ValueError:
                    summary = None
                yield {"share": index, "code": proc.returncode, "summary": summary, "error": proc.stderr[-4000:]}

    return run


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--master", help="Spark master URL (default: spark-submit's, else local[*])")
    ap.add_argument("--data", required=True, help="dataset directory (a path every executor sees)")
    ap.add_argument("--tasks", type=int, help="shares of the input (default: the default parallelism)")
    ap.add_argument("inputs", nargs="+", metavar="INPUT", help="files or directories of saved pages")
    args = ap.parse_args()

    data = os.path.abspath(args.data)
    files, missing = list_inputs(args.inputs)
    for m in missing:
        print(f"{m}: no such file or directory", file=sys.stderr)
    if not files:
        fail("no .html, .htm or .html.gz files found")
    driver_bin = find_binary(None)
    if not driver_bin:
        fail("no jobtrend binary: set $JOBTREND_BIN or put jobtrend on PATH")

    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("jobtrend-ingest")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.config("spark.ui.showConsoleProgress", "false").getOrCreate()
    sc = spark.sparkContext
    sc.setLogLevel("ERROR")
    try:
        parts = shares(files, args.tasks or sc.defaultParallelism)
        jobs = int(sc.getConf().get("spark.task.cpus", "1"))
        # The driver's $JOBTREND_BIN is used on the executors when that path exists there.
        rdd = sc.parallelize(list(enumerate(parts)), len(parts))
        results = rdd.mapPartitions(ingest_share(data, os.environ.get("JOBTREND_BIN"), jobs)).collect()
    finally:
        spark.stop()

    totals = {"files": 0, "files_read": 0, "files_skipped": 0, "postings_found": 0, "new": 0, "known": 0}
    worst = 0
    for r in results:
        s = r.get("summary") or {}
        for k in totals:
            totals[k] += s.get(k, 0)
        worst = max(worst, r["code"])
        if r["code"] != 0 and r.get("error"):
            print(f"share {r['share']}: exit {r['code']}: {r['error'].strip()}", file=sys.stderr)

    proc = subprocess.run([driver_bin, "--data", data, "compact", "--json"], capture_output=True, text=True)
    if proc.returncode != 0:
        print(proc.stderr.strip(), file=sys.stderr)
    compacted = json.loads(proc.stdout) if proc.stdout.strip() else {}
    print(
        json.dumps({"tasks": len(parts), "processes": len(results), "ingest": totals, "compact": compacted}, indent=2)
    )
    print(
        f"{totals['files']} files in {len(parts)} tasks: {totals['files_read']} read, {totals['files_skipped']} skipped; "
        f"{totals['new']} postings stored by the writers, {compacted.get('duplicates_removed', '?')} duplicates "
        f"removed by compact, {compacted.get('rows_after', '?')} postings in the dataset",
        file=sys.stderr,
    )
    if proc.returncode not in (0, 1) or (worst >= 2 and totals["files_read"] == 0):
        sys.exit(2)
    sys.exit(1 if worst or proc.returncode or missing else 0)


if __name__ == "__main__":
    main()
