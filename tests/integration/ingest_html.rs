//! `jobtrend ingest html` and `jobtrend stats`, driven through the binary.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use jobtrend::store;
use polars::prelude::*;
use serde_json::Value;

use crate::common::{fixture, jobtrend, shared_data, tempdir};

fn ingest(data: &Path, paths: &[&Path]) -> (i32, Value, String) {
    let mut cmd = jobtrend();
    cmd.arg("--data").arg(data).args(["ingest", "html", "--json"]);
    for p in paths {
        cmd.arg(p);
    }
    let out = cmd.output().expect("run jobtrend");
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), summary, String::from_utf8_lossy(&out.stderr).into_owned())
}

fn stats(data: &Path) -> Value {
    let out = jobtrend().arg("--data").arg(data).args(["stats", "--json"]).output().expect("run stats");
    assert!(out.status.success(), "stats failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("stats json")
}

/// Reads the dataset with a plain Polars Hive scan over the glob, independent of `store::scan`.
fn polars_read(data: &Path) -> DataFrame {
    let glob = format!("{}/postings/**/*.parquet", data.display());
    let args = ScanArgsParquet { hive_options: HiveOptions::new_enabled(), ..Default::default() };
    LazyFrame::scan_parquet(PlRefPath::new(glob), args)
        .expect("scan")
        .select([col("id"), col("month").cast(DataType::String), col("source"), col("text"), col("posted_at")])
        .collect()
        .expect("collect")
}

#[test]
fn hn_fixtures_of_every_generation_are_ingested_once() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    let dir = fixture("html/hn");
    let (code, sum, err) = ingest(&data, &[&dir]);
    // The fixture folder holds non-hiring threads and a comment page: read, not kept, exit 0.
    assert_eq!(code, 0, "stderr: {err}");
    assert_eq!(sum["files_skipped"], 0, "{sum}");
    assert!(sum["pages_ignored"].as_u64().unwrap() >= 3, "{sum}");
    // What the library parser finds in the same files, de-duplicated by id across pages.
    let mut expected = HashSet::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "html") {
            let html = std::fs::read_to_string(&p).unwrap();
            if let Ok(page) = jobtrend::sources::hn_html::parse(&html)
                && matches!(page.kind, jobtrend::sources::hn_html::ThreadKind::WhoIsHiring)
                && page.month.is_some()
            {
                expected.extend(page.postings.iter().map(|c| format!("hn:{}", c.id)));
            }
        }
    }
    assert_eq!(expected.len(), 26, "postings in the HN fixtures (all generations)");
    assert_eq!(sum["new"].as_u64().unwrap() as usize, expected.len(), "{sum}");
    let df = polars_read(&data);
    let ids: HashSet<String> = df.column("id").unwrap().str().unwrap().iter().flatten().map(String::from).collect();
    assert_eq!(ids, expected);
    // The 2011 generation is there, with its thread month.
    let months: HashSet<String> =
        df.column("month").unwrap().str().unwrap().iter().flatten().map(String::from).collect();
    for m in ["2011-04", "2013-06", "2015-10", "2018-03", "2021-09", "2024-09", "2026-01"] {
        assert!(months.contains(m), "month {m} missing from {months:?}");
    }
    // Ingesting again adds nothing.
    let (code, sum, _) = ingest(&data, &[&dir]);
    assert_eq!(code, 0);
    assert_eq!(sum["new"], 0);
    assert_eq!(sum["known"], sum["postings_found"], "{sum}");
}

#[test]
fn jsonld_and_generic_pages_become_postings() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    let (code, sum, err) = ingest(&data, &[&fixture("html/jsonld"), &fixture("html/generic")]);
    assert_eq!(code, 0, "stderr: {err}");
    assert!(sum["jsonld_pages"].as_u64().unwrap() >= 10, "{sum}");
    assert_eq!(sum["generic_pages"].as_u64().unwrap(), 4, "{sum}");
    let all = store::read_all(&data).unwrap();
    let jsonld: Vec<_> = all.iter().filter(|p| p.source == "jsonld").collect();
    let generic: Vec<_> = all.iter().filter(|p| p.source == "html").collect();
    assert!(jsonld.len() >= 12, "{}", jsonld.len());
    assert_eq!(generic.len(), 4);
    // Fallback pages record where their date came from.
    for p in &generic {
        assert!(p.date_source.is_some(), "{p:?}");
        assert!(!p.text.contains("<script") && !p.text.is_empty(), "{p:?}");
    }
    // A broken JSON-LD block beside a good one: a warning, the good posting kept.
    assert!(
        sum["warnings"].as_array().unwrap().iter().any(|w| w["path"].as_str().unwrap().contains("broken_and_good")),
        "{sum}"
    );
    let (_, again, _) = ingest(&data, &[&fixture("html/jsonld"), &fixture("html/generic")]);
    assert_eq!(again["new"], 0, "{again}");
}

#[test]
fn the_date_flag_dates_undated_pages() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    let out = jobtrend()
        .arg("--data")
        .arg(&data)
        .args(["ingest", "html", "--date", "2023-07-15"])
        .arg(fixture("html/generic/no_date.html"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let all = store::read_all(&data).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].month, "2023-07");
    assert_eq!(all[0].date_source, Some(jobtrend::posting::DateSource::Flag));
}

#[test]
fn bad_inputs_are_named_and_the_rest_is_kept() {
    let tmp = tempdir();
    let bad = tmp.path().join("in");
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::write(bad.join("empty.html"), b"").unwrap();
    std::fs::write(bad.join("binary.html"), [0u8, 159, 146, 150, 0, 1, 2, 3, 4, 5, 0, 0, 7].repeat(100)).unwrap();
    std::fs::write(bad.join("badgzip.html.gz"), [0x1f, 0x8b, 8, 0, 1, 2, 3]).unwrap();
    let big = std::fs::File::create(bad.join("huge.html")).unwrap();
    big.set_len(jobtrend::ingest::MAX_FILE_BYTES + 1).unwrap();
    // Good ones: a Latin-1 page that declares its charset, a gzipped fixture, a truncated HN page.
    std::fs::write(
        bad.join("latin1.html"),
        b"<html><head><meta charset=\"iso-8859-1\"><title>Caf\xe9 jobs</title></head><body><h1>D\xe9veloppeur Rust</h1><p>Paris, caf\xe9 inclus.</p></body></html>",
    )
    .unwrap();
    {
        use std::io::Write;
        let src = std::fs::read(fixture("html/hn/2018-03-comtr.html")).unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&src).unwrap();
        std::fs::write(bad.join("thread.html.gz"), gz.finish().unwrap()).unwrap();
    }
    std::fs::copy(fixture("html/hn/truncated.html"), bad.join("truncated.html")).unwrap();
    let data = tmp.path().join("data");
    let (code, sum, err) = ingest(&data, &[&bad, &tmp.path().join("does-not-exist")]);
    assert_eq!(code, 1, "some files skipped → exit 1; stderr: {err}");
    for (name, reason) in
        [("empty.html", "empty"), ("binary.html", "binary"), ("badgzip.html.gz", "gzip"), ("huge.html", "too large")]
    {
        let line = err.lines().find(|l| l.contains(name)).unwrap_or_else(|| panic!("{name} not reported: {err}"));
        assert!(line.contains(reason), "{name}: {line}");
    }
    assert!(err.contains("does-not-exist: no such file or directory"), "{err}");
    assert_eq!(sum["files_skipped"], 4, "{sum}");
    let all = store::read_all(&data).unwrap();
    let latin = all.iter().find(|p| p.source == "html").expect("latin-1 page kept");
    assert!(latin.text.contains("Développeur Rust") && latin.text.contains("café"), "{:?}", latin.text);
    assert!(all.iter().filter(|p| p.source == "hn").count() >= 5, "gzipped and truncated threads kept");

    // Nothing usable at all → exit 2.
    let only_bad = tmp.path().join("only-bad");
    std::fs::create_dir_all(&only_bad).unwrap();
    std::fs::write(only_bad.join("empty.html"), b"").unwrap();
    let (code, _, _) = ingest(&tmp.path().join("data2"), &[&only_bad]);
    assert_eq!(code, 2);
    let (code, _, err) = ingest(&tmp.path().join("data3"), &[&tmp.path().join("nothing-here")]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn a_second_writer_is_refused_with_the_holders_pid() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    let held = store::Store::open(&data, false).unwrap();
    let (code, _, err) = ingest(&data, &[&fixture("html/hn/2018-03-comtr.html")]);
    assert_eq!(code, 3, "{err}");
    let want = format!("another run (pid {}) holds {}", std::process::id(), data.join("lock").display());
    assert!(err.contains(&want), "{err}");
    drop(held);
    let (code, sum, err) = ingest(&data, &[&fixture("html/hn/2018-03-comtr.html")]);
    assert_eq!(code, 0, "{err}");
    assert!(sum["new"].as_u64().unwrap() > 0);
}

#[test]
fn usage_errors_exit_2() {
    let out = jobtrend().args(["ingest", "html"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = jobtrend().args(["trends", "--since", "2024-13"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("YYYY-MM"));
}

fn threads_json(shared: &Path) -> BTreeMap<String, u64> {
    let t: Value =
        serde_json::from_str(&std::fs::read_to_string(shared.join("hn-whoishiring/threads.json")).unwrap()).unwrap();
    t.as_array()
        .unwrap()
        .iter()
        .map(|x| (x["month"].as_str().unwrap().to_string(), x["postings"].as_u64().unwrap()))
        .collect()
}

fn month_counts(df: &DataFrame) -> BTreeMap<String, u64> {
    let mut m = BTreeMap::new();
    for x in df.column("month").unwrap().str().unwrap().iter().flatten() {
        *m.entry(x.to_string()).or_insert(0) += 1;
    }
    m
}

#[test]
fn real_corpus_gives_exactly_the_threads_json_counts() {
    let Some(shared) = shared_data("real_corpus_gives_exactly_the_threads_json_counts") else { return };
    let tmp = tempdir();
    let data = tmp.path().join("data");
    let html = shared.join("hn-whoishiring/html");
    let (code, sum, err) = ingest(&data, &[&html]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(sum["new"], 54_299, "{sum}");
    let df = polars_read(&data);
    assert_eq!(df.height(), 54_299);
    let want = threads_json(&shared);
    let got = month_counts(&df);
    let diff: Vec<_> = want.iter().filter(|(m, n)| got.get(*m) != Some(n)).map(|(m, n)| (m, n, got.get(m))).collect();
    assert!(diff.is_empty(), "months that differ (month, threads.json, dataset): {diff:?}");
    let ids = df.column("id").unwrap().str().unwrap();
    let uniq: HashSet<&str> = ids.iter().flatten().collect();
    assert_eq!(uniq.len(), 54_299, "ids are unique");
    assert!(uniq.iter().all(|i| i.starts_with("hn:")));
    // stats agrees.
    let st = stats(&data);
    assert_eq!(st["postings"], 54_299);
    // A second run adds 0.
    let (code, sum, _) = ingest(&data, &[&html]);
    assert_eq!(code, 0);
    assert_eq!(sum["new"], 0);
    assert_eq!(sum["known"], sum["postings_found"], "{sum}");
    assert!(sum["known"].as_u64().unwrap() >= 54_299, "{sum}");
    assert_eq!(polars_read(&data).height(), 54_299);
}

/// Waits (bounded) until `cond` holds, polling the file system.
fn wait_for(mut cond: impl FnMut() -> bool, limit: Duration) -> bool {
    let t = Instant::now();
    while t.elapsed() < limit {
        if cond() {
            return true;
        }
        std::thread::yield_now();
    }
    false
}

fn count_files(data: &Path, suffix: &str) -> usize {
    let Ok(months) = std::fs::read_dir(data.join("postings")) else { return 0 };
    months
        .flatten()
        .filter_map(|m| std::fs::read_dir(m.path()).ok())
        .flat_map(|f| f.flatten())
        .filter(|f| f.file_name().to_string_lossy().ends_with(suffix))
        .count()
}

#[test]
fn kill_9_during_ingest_loses_nothing_and_doubles_nothing() {
    let Some(shared) = shared_data("kill_9_during_ingest_loses_nothing_and_doubles_nothing") else { return };
    let html = shared.join("hn-whoishiring/html");
    let tmp = tempdir();
    let data = tmp.path().join("data");
    // Kill points: while a part file is being written, after the first part, after many parts.
    // (The temp-file point comes last: it may be missed if the child is fast, the others may not.)
    let points: [(&str, usize); 3] = [(".parquet", 1), (".parquet", 40), (".tmp", 1)];
    for (suffix, n) in points {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("jobtrend"))
            .arg("--data")
            .arg(&data)
            .args(["-q", "ingest", "html", "--jobs", "1"])
            .arg(&html)
            .env("JOBTREND_FLUSH_BYTES", "400000")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let base = count_files(&data, suffix);
        let reached = wait_for(|| count_files(&data, suffix) >= base + n, Duration::from_secs(60));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        assert!(reached || suffix == ".tmp", "kill point {suffix} x{n} never reached");
        // Whatever is there reads back, with no duplicate ids.
        if count_files(&data, ".parquet") > 0 {
            let df = polars_read(&data);
            let ids: Vec<&str> = df.column("id").unwrap().str().unwrap().iter().flatten().collect();
            let uniq: HashSet<&&str> = ids.iter().collect();
            assert_eq!(uniq.len(), ids.len(), "no duplicates after a kill at {suffix} x{n}");
        }
    }
    // The next run completes the work: exactly the corpus, once.
    let (code, _, err) = ingest(&data, &[&html]);
    assert_eq!(code, 0, "{err}");
    let df = polars_read(&data);
    assert_eq!(df.height(), 54_299);
    let uniq: HashSet<&str> = df.column("id").unwrap().str().unwrap().iter().flatten().collect();
    assert_eq!(uniq.len(), 54_299);
    assert_eq!(month_counts(&df), threads_json(&shared));
    assert_eq!(count_files(&data, ".tmp"), 0, "leftover temp files are cleaned up");
}
