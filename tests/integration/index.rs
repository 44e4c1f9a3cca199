//! The match index (`data/index/fp=*/month=*/part-*.parquet`) and analysis that reads only it, through the
//! binary: written at ingest, rebuilt when the taxonomy changes and not otherwise, a kill -9 while it is
//! built leaves a readable dataset; missing data dirs, empty selections and damaged parts (issue 14).

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use chrono::Utc;
use jobtrend::posting::Posting;
use jobtrend::store::Store;

use crate::common::{fixture, jobtrend, root, tempdir};

fn run(data: &Path, args: &[&str]) -> (i32, String, String) {
    let out = jobtrend().arg("--data").arg(data).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn parquet_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(d: &Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(d) else { return };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "parquet") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

/// The number in "N matched now" of `-v` output.
pub(crate) fn matched_now(stderr: &str) -> usize {
    let line = stderr.lines().find(|l| l.contains("matched now")).unwrap_or_else(|| panic!("no index line: {stderr}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    let i = words.iter().position(|w| *w == "matched").unwrap();
    words[i - 1].parse().unwrap()
}

fn current_fp(data: &Path) -> String {
    std::fs::read_to_string(data.join("index/CURRENT")).unwrap().trim().to_string()
}

/// Postings in `months` (source, month, n), written straight to the store (no index yet).
fn write_dataset(data: &Path, months: &[(&str, &str, usize)]) {
    let mut store = Store::open(data, false).unwrap();
    for (src, month, n) in months {
        let rows = (0..*n)
            .map(|i| {
                let text = if i % 3 == 0 { "Backend in Rust with PostgreSQL" } else { "Backend in Python" };
                let mut p = Posting::new(format!("{src}:{month}:{i}"), *src, text);
                p.month = month.to_string();
                p.finish(Utc::now())
            })
            .collect();
        store.append(rows).unwrap();
    }
}

fn ingest_fixtures(data: &Path) {
    let (code, _, err) = run(data, &["-q", "ingest", "html", fixture("html/hn").to_str().unwrap()]);
    assert!(code <= 1, "{err}");
}

#[test]
fn ingest_writes_the_index_and_the_taxonomy_note() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    ingest_fixtures(&data);
    let fp = current_fp(&data);
    assert_eq!(fp.len(), 16);
    let postings = parquet_files(&data.join("postings"));
    let index = parquet_files(&data.join(format!("index/fp={fp}")));
    assert!(!postings.is_empty());
    // One index part per postings part, same month directory and file name.
    let rel = |base: &Path, v: &[PathBuf]| -> Vec<PathBuf> {
        v.iter().map(|p| p.strip_prefix(base).unwrap().to_path_buf()).collect()
    };
    assert_eq!(rel(&data.join("postings"), &postings), rel(&data.join(format!("index/fp={fp}")), &index));
    let note: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data.join(format!("index/fp={fp}/taxonomy.json"))).unwrap())
            .unwrap();
    assert_eq!(note["builtin"], true);
    assert_eq!(note["index_version"], jobtrend::index::INDEX_VERSION);
    assert!(note["keywords"].as_array().unwrap().iter().any(|k| k == "postgresql"));
    // The columns an outside reader relies on.
    let df = jobtrend::index::read_parquet(
        &index[0],
        &[
            "id",
            "source",
            "keywords",
            "roles",
            "seniority",
            "salary_annual",
            "salary_currency",
            "posted_at",
            "url",
            "content_hash",
        ],
    )
    .unwrap();
    assert!(df.height() > 0);
    // Nothing is left to match.
    let (code, _, err) = run(&data, &["-v", "trends", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(matched_now(&err), 0, "{err}");
}

/// Every index row of `data` under its current fingerprint, sorted by id.
fn index_rows(data: &Path) -> polars::prelude::DataFrame {
    use polars::prelude::*;
    let cols = ["id", "source", "keywords", "roles", "seniority", "salary_annual", "salary_currency", "repost_key"];
    let parts = parquet_files(&data.join(format!("index/fp={}", current_fp(data))));
    assert!(!parts.is_empty(), "no index parts in {}", data.display());
    let frames: Vec<DataFrame> = parts.iter().map(|p| jobtrend::index::read_parquet(p, &cols).unwrap()).collect();
    let all = frames.into_iter().reduce(|a, b| a.vstack(&b).unwrap()).unwrap();
    all.sort(["id"], SortMultipleOptions::default()).unwrap()
}

#[test]
fn the_index_an_ingest_writes_equals_the_index_matched_afresh() {
    // Ingest matches new postings on its parse workers ahead of the writer (`PartHook::prepare`);
    // what it writes must be what matching the stored parts afresh gives.
    for (kind, input) in [("html", fixture("html/hn")), ("warc", fixture("warc/cc-sample.warc.gz"))] {
        let tmp = tempdir();
        let data = tmp.path().join("data");
        let (code, _, err) = run(&data, &["-q", "ingest", kind, input.to_str().unwrap()]);
        assert!(code <= 1, "{kind}: {err}");
        let at_ingest = index_rows(&data);
        assert!(at_ingest.height() >= 3, "{kind}: {} rows", at_ingest.height());
        std::fs::remove_dir_all(data.join("index")).unwrap();
        let (code, _, err) = run(&data, &["-v", "trends", "--format", "csv"]);
        assert_eq!(code, 0, "{kind}: {err}");
        assert_eq!(matched_now(&err), parquet_files(&data.join("postings")).len(), "{kind}: {err}");
        assert_eq!(at_ingest, index_rows(&data), "{kind}");
    }
}

/// Rewrites an index part with the same rows and `footer` as its only key-value metadata (none: as
/// an index written before the counts existed).
fn rewrite_index_part(path: &Path, footer: Option<(String, String)>) {
    use polars::prelude::*;
    let mut df = ParquetReader::new(std::fs::File::open(path).unwrap()).finish().unwrap();
    let kv = footer.map(|kv| KeyValueMetadata::from_static(vec![kv]));
    ParquetWriter::new(std::fs::File::create(path).unwrap()).with_key_value_metadata(kv).finish(&mut df).unwrap();
}

#[test]
fn counting_reads_the_counts_in_the_footer_and_older_parts_row_by_row() {
    use jobtrend::index::counts;
    let tmp = tempdir();
    let data = tmp.path().join("data");
    write_dataset(&data, &[("hn", "2024-01", 30), ("lever", "2024-01", 12), ("hn", "2024-02", 30)]);
    let variants: [&[&str]; 4] = [
        &["trends", "--format", "csv"],
        &["trends", "--format", "csv", "--dedup", "none", "--by-source"],
        &["trends", "--format", "csv", "--source", "lever"],
        &["trends", "--format", "csv", "--since", "2024-02"],
    ];
    let answers = || -> Vec<String> {
        variants
            .iter()
            .map(|args| {
                let (code, out, err) = run(&data, &[&["-v"][..], args].concat());
                assert_eq!(code, 0, "{args:?}: {err}");
                out
            })
            .collect()
    };
    let want = answers();
    let index = parquet_files(&data.join("index"));
    assert_eq!(index.len(), 3);
    for ix in &index {
        let c = counts::read(ix).unwrap().unwrap_or_else(|| panic!("{}: no counts in the footer", ix.display()));
        let rows = jobtrend::index::read_parquet(ix, &["source", "keywords"]).unwrap();
        assert_eq!(c, counts::of_frame(&rows).unwrap(), "{}", ix.display());
    }
    // An index written before the counts existed is read row by row, with the same answers and
    // nothing matched again.
    for ix in &index {
        rewrite_index_part(ix, None);
        assert_eq!(counts::read(ix).unwrap(), None);
    }
    assert_eq!(answers(), want);
    let (_, _, err) = run(&data, &["-v", "trends", "--format", "csv"]);
    assert_eq!(matched_now(&err), 0, "{err}");
    assert_eq!(run(&data, &["verify"]).0, 0, "parts without counts are fine");
    // The footer is what a counting read uses: counts that add up but leave out `rust` change it.
    let hn_feb = index.iter().find(|p| p.to_string_lossy().contains("month=2024-02")).unwrap();
    let rows = jobtrend::index::read_parquet(hn_feb, &["source", "keywords"]).unwrap();
    let mut c = counts::of_frame(&rows).unwrap();
    assert!(c.sources.get_mut("hn").unwrap().keywords.remove("rust").is_some());
    rewrite_index_part(hn_feb, Some((counts::KEY.to_string(), serde_json::to_string(&c).unwrap())));
    let (code, got, err) = run(&data, &["trends", "--format", "csv", "--dedup", "none", "--keywords", "rust"]);
    assert_eq!(code, 0, "{err}");
    assert!(got.lines().any(|l| l.starts_with("2024-02,rust,0,30,")), "{got}");
    // `verify` finds such counts, and the repair deletes the part (rebuilt by the next reading).
    let (code, v, err) = run(&data, &["verify", "--json"]);
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&v).unwrap();
    let damaged = v["damaged"].as_array().unwrap();
    assert_eq!(damaged.len(), 1, "{v}");
    assert!(damaged[0]["reason"].as_str().unwrap().starts_with("its footer counts are not those of its rows"), "{v}");
    assert_eq!(run(&data, &["verify", "--repair"]).0, 1);
    assert!(!hn_feb.exists());
    assert_eq!(answers(), want);
    assert_eq!(run(&data, &["verify"]).0, 0, "rebuilt with its counts");
    // Counts that do not add up to the part's rows are not used.
    c.rows += 1;
    rewrite_index_part(hn_feb, Some((counts::KEY.to_string(), serde_json::to_string(&c).unwrap())));
    assert_eq!(answers(), want);
}

#[test]
fn the_index_is_rebuilt_when_the_taxonomy_changes_and_not_otherwise() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    ingest_fixtures(&data);
    let parts = parquet_files(&data.join("postings")).len();
    let fp = current_fp(&data);
    let mtimes = |fp: &str| -> Vec<std::time::SystemTime> {
        parquet_files(&data.join(format!("index/fp={fp}")))
            .iter()
            .map(|p| p.metadata().unwrap().modified().unwrap())
            .collect()
    };
    let before = mtimes(&fp);
    // A copy of the built-in taxonomy with one alias more: a new fingerprint, every part matched once.
    let kw = tmp.path().join("keywords");
    std::fs::create_dir_all(&kw).unwrap();
    for e in std::fs::read_dir(root().join("keywords")).unwrap().flatten() {
        std::fs::copy(e.path(), kw.join(e.file_name())).unwrap();
    }
    // The first `aliases` of databases.toml are postgresql's: "engineer" is in most fixture postings.
    let db = kw.join("databases.toml");
    let text = std::fs::read_to_string(&db).unwrap().replacen("aliases = [", "aliases = [\"engineer\", ", 1);
    std::fs::write(&db, text).unwrap();
    let kwd = kw.to_str().unwrap();
    let pg = ["--keywords", "postgresql", "--format", "csv"];
    let (code, out_custom, err) = run(&data, &[&["-v", "trends", "--keywords-dir", kwd][..], &pg].concat());
    assert_eq!(code, 0, "{err}");
    assert_eq!(matched_now(&err), parts, "{err}");
    let (code, again, err) = run(&data, &[&["-v", "trends", "--keywords-dir", kwd][..], &pg].concat());
    assert_eq!(code, 0, "{err}");
    assert_eq!(matched_now(&err), 0, "{err}");
    assert_eq!(again, out_custom);
    // The built-in index was neither rewritten nor needed again, and the edited alias counts only
    // under the edited taxonomy.
    let (code, out_builtin, err) = run(&data, &[&["-v", "trends"][..], &pg].concat());
    assert_eq!(code, 0, "{err}");
    assert_eq!(matched_now(&err), 0, "{err}");
    assert_eq!(mtimes(&fp), before);
    let mentions =
        |csv: &str| -> u64 { csv.lines().skip(1).map(|l| l.split(',').nth(2).unwrap().parse::<u64>().unwrap()).sum() };
    assert!(mentions(&out_custom) > mentions(&out_builtin), "{out_custom}\n{out_builtin}");
    // Both fingerprints are listed by stats.
    let (code, out, _) = run(&data, &["stats"]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().filter(|l| l.trim_start().starts_with("fp=")).count(), 2, "{out}");
    // A new ingest indexes only the parts it writes (under the built-in taxonomy), and the edited
    // taxonomy then matches only those new parts: the others are not stale.
    let (code, _, err) = run(&data, &["-q", "ingest", "html", fixture("html/jsonld").to_str().unwrap()]);
    assert!(code <= 1, "{err}");
    let new_parts = parquet_files(&data.join("postings")).len() - parts;
    assert!(new_parts > 0);
    let (_, _, err) = run(&data, &["-v", "trends", "--format", "csv"]);
    assert_eq!(matched_now(&err), 0, "{err}");
    let (code, _, err) = run(&data, &["-v", "trends", "--keywords-dir", kwd, "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(matched_now(&err), new_parts, "{err}");
}

fn wait_for(cond: impl Fn() -> bool, limit: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if cond() {
            return true;
        }
        std::thread::yield_now();
    }
    false
}

#[test]
fn kill_9_while_indexing_leaves_a_dataset_every_command_reads() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    let months: Vec<String> = (1..=9).map(|m| format!("2024-{m:02}")).collect();
    write_dataset(&data, &months.iter().map(|m| ("hn", m.as_str(), 30)).collect::<Vec<_>>());
    let (code, want, err) = run(&data, &["trends", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    std::fs::remove_dir_all(data.join("index")).unwrap();
    // The binary stops itself after the 4th index part (a deterministic kill point), then is killed.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("jobtrend"))
        .arg("--data")
        .arg(&data)
        .args(["-q", "trends"])
        .env("JOBTREND_INDEX_PAUSE_AFTER", "4")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let reached = wait_for(|| parquet_files(&data.join("index")).len() >= 4, Duration::from_secs(60));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(reached, "the pause point was never reached");
    assert_eq!(parquet_files(&data.join("index")).len(), 4, "paused after exactly 4 parts");
    // A half-written temp file as a kill in the middle of a write leaves it.
    let fp = std::fs::read_dir(data.join("index"))
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().starts_with("fp="))
        .unwrap()
        .path();
    let tmpfile = fp.join("month=2024-09/.idx-killed.tmp");
    std::fs::create_dir_all(tmpfile.parent().unwrap()).unwrap();
    std::fs::write(&tmpfile, b"PAR1 half").unwrap();
    // Every command reads it, with the same answer as before; the first one matches only the parts
    // the killed run did not index.
    let parts = parquet_files(&data.join("postings")).len();
    let (code, got, err) = run(&data, &["-v", "trends", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(got, want);
    assert_eq!(matched_now(&err), parts - 4, "{err}");
    let report = tmp.path().join("r");
    for args in [
        &["check", "--format", "json"][..],
        &["stats"],
        &["verify"],
        &["examples", "postgresql"],
        &["report", "--out", report.to_str().unwrap()],
    ] {
        let (code, _, err) = run(&data, args);
        assert_eq!(code, 0, "{args:?}: {err}");
    }
    // The next lock holder removes the temp file.
    let (_, _, _) = run(&data, &["-q", "ingest", "html", fixture("html/hn/2024-09-div.html").to_str().unwrap()]);
    assert!(!tmpfile.exists(), "leftover index temp files are removed by the next writer");
}

#[test]
fn a_missing_data_directory_is_an_error_naming_it() {
    let tmp = tempdir();
    let data = tmp.path().join("no-such-dir");
    let out = tmp.path().join("r");
    for args in [
        &["trends"][..],
        &["check"],
        &["stats"],
        &["report", "--out", out.to_str().unwrap()],
        &["examples", "rust"],
        &["emerging"],
    ] {
        let (code, _, err) = run(&data, args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("no-such-dir") && err.contains("does not exist"), "{args:?}: {err}");
    }
    assert!(!data.exists(), "nothing created");
    assert!(!tmp.path().join("r").exists(), "no report");
}

#[test]
fn an_empty_selection_says_why_and_exits_1() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    write_dataset(&data, &[("hn", "2024-01", 5), ("hn", "2024-03", 5)]);
    let (code, out, err) = run(&data, &["trends", "--source", "hnn"]);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("no source named hnn") && err.contains("hn (10)") && err.contains("2024-01..2024-03"),
        "{err}"
    );
    let (code, _, err) = run(&data, &["trends", "--since", "2030-01"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("2024-01..2024-03"), "{err}");
    let (code, _, err) = run(&data, &["check", "--source", "hnn"]);
    assert_eq!(code, 1, "{err}");
    // examples and emerging say why in the same words.
    for args in [&["examples", "postgresql", "--source", "hnn"][..], &["emerging", "--source", "hnn"]] {
        let (code, out, err) = run(&data, args);
        assert_eq!(code, 1, "{args:?}: {err}");
        assert!(out.is_empty(), "{out}");
        assert!(err.contains("no source named hnn") && err.contains("hn (10)"), "{args:?}: {err}");
    }
    let (code, _, err) = run(&data, &["examples", "postgresql", "--month", "2024-02"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("The data cover 2024-01..2024-03"), "a month without postings: {err}");
    let out_dir = tmp.path().join("r");
    let (code, _, err) = run(&data, &["report", "--since", "2030-01", "--out", out_dir.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(!out_dir.exists(), "an empty selection writes no report");
    // An empty dataset.
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let (code, _, err) = run(&empty, &["trends"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("empty"), "{err}");
}

#[test]
fn reversed_dates_are_a_usage_error() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    write_dataset(&data, &[("hn", "2024-01", 5)]);
    let out_dir = tmp.path().join("r");
    let reversed = ["--since", "2025-01", "--until", "2024-01"];
    for args in [vec!["trends"], vec!["report", "--out", out_dir.to_str().unwrap()]] {
        let args: Vec<&str> = args.into_iter().chain(reversed).collect();
        let (code, _, err) = run(&data, &args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("--since 2025-01 is after --until 2024-01"), "{args:?}: {err}");
    }
    assert!(!out_dir.exists());
}

#[test]
fn a_damaged_part_is_named_once_and_skipped() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    write_dataset(&data, &[("hn", "2024-01", 30), ("hn", "2024-02", 30)]);
    let bad = parquet_files(&data.join("postings/month=2024-02")).remove(0);
    let len = bad.metadata().unwrap().len();
    std::fs::OpenOptions::new().write(true).open(&bad).unwrap().set_len(len / 2).unwrap();
    let (code, out, err) = run(&data, &["trends", "--format", "csv", "--keywords", "postgresql"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        out,
        "period,keyword,mentions,postings,share,ci_low,ci_high,flagged\n2024-01,postgresql,10,30,0.333333,0.192305,0.512199,true\n"
    );
    let name = bad.display().to_string();
    assert_eq!(err.matches(&name).count(), 1, "named once: {err}");
    let (code, out, err) = run(&data, &["check", "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    assert!(out.starts_with('['), "the verdicts are still printed");
    assert_eq!(err.matches(&name).count(), 1, "{err}");
    let r = tmp.path().join("r");
    let (code, _, err) = run(&data, &["report", "--out", r.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(r.join("index.html").exists(), "the report is still written");
}

#[test]
fn a_truncated_part_beside_its_intact_index_part_is_still_named_and_skipped() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    let (code, _, err) = run(&data, &["-q", "ingest", "html", fixture("html/hn").to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let (_, whole, _) = run(&data, &["trends", "--by", "year", "--format", "csv"]);
    let bad = parquet_files(&data.join("postings/month=2024-09")).remove(0);
    let bytes = std::fs::read(&bad).unwrap();
    std::fs::write(&bad, &bytes[..bytes.len() / 2]).unwrap();
    let name = bad.display().to_string();
    let r = tmp.path().join("r");
    for args in [
        &["trends", "--by", "year", "--format", "csv"][..],
        &["check", "--format", "json"],
        &["report", "--out", r.to_str().unwrap(), "--width", "400", "--height", "300"],
        &["examples", "rust"],
        &["stats"],
    ] {
        let (code, out, err) = run(&data, args);
        assert_eq!(code, 1, "{args:?}: {err}");
        assert_eq!(err.matches(&name).count(), 1, "{args:?}: named once: {err}");
        assert!(!out.is_empty() || args[0] == "report", "{args:?}: the rest of the answer is given");
        if args[0] == "trends" {
            assert_ne!(out, whole, "its postings are left out, as stats leaves them out");
        }
    }
    assert!(r.join("index.html").exists());
}

#[test]
fn a_damaged_index_file_is_rebuilt_from_its_part() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    write_dataset(&data, &[("hn", "2024-01", 30), ("hn", "2024-02", 30)]);
    let (code, want, err) = run(&data, &["trends", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    let ix = parquet_files(&data.join("index")).remove(0);
    std::fs::write(&ix, b"PAR1 not a parquet file").unwrap();
    let (code, got, err) = run(&data, &["trends", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(got, want);
    assert!(jobtrend::index::read_parquet(&ix, &["id"]).is_ok(), "rewritten");
}

#[test]
fn kill_9_while_ingest_writes_the_index_leaves_a_dataset_every_command_reads() {
    let tmp = tempdir();
    let (plain, data) = (tmp.path().join("plain"), tmp.path().join("data"));
    ingest_fixtures(&plain);
    let (code, want, err) = run(&plain, &["trends", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    // The ingest stops itself before its 3rd index part (its postings part written), then is killed.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("jobtrend"))
        .arg("--data")
        .arg(&data)
        .args(["-q", "ingest", "html"])
        .arg(fixture("html/hn"))
        .env("JOBTREND_INDEX_PAUSE_BEFORE", "3")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Months are written by parallel writers: when the 3rd index part pauses, another writer may
    // be writing (or have written) a further postings part, whose index part then pauses too.
    let counts = || (parquet_files(&data.join("postings")).len(), parquet_files(&data.join("index")).len());
    let reached = wait_for(|| counts().0 >= 3 && counts().1 == 2, Duration::from_secs(60));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(reached, "the pause point was never reached: {:?}", counts());
    let (postings, index) = counts();
    assert_eq!(index, 2, "no index part after the pause point");
    assert!(postings >= 3, "the 3rd postings part was written before its index part: {postings}");
    // Every command reads what was stored; the first one matches the parts left without an index.
    let (code, _, err) = run(&data, &["-v", "trends", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(matched_now(&err), postings - 2, "{err}");
    let report = tmp.path().join("r");
    for args in
        [&["check", "--format", "json"][..], &["stats"], &["verify"], &["report", "--out", report.to_str().unwrap()]]
    {
        let (code, _, err) = run(&data, args);
        assert_eq!(code, 0, "{args:?}: {err}");
    }
    // The next ingest stores the rest; the answer is that of an uninterrupted ingest, nothing left to match.
    ingest_fixtures(&data);
    let (code, got, err) = run(&data, &["-v", "trends", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(matched_now(&err), 0, "{err}");
    assert_eq!(got, want);
}
