//! `jobtrend ingest html --shared` and `jobtrend compact`, driven through the binary.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jobtrend::store;
use serde_json::Value;

use crate::common::{fixture, hn_pages, jobtrend, tempdir};

/// Runs `jobtrend --data DATA ARGS... --json`-style commands; returns (exit code, stdout JSON, stderr).
fn run(data: &Path, args: &[&str]) -> (i32, Value, String) {
    let out = jobtrend().arg("--data").arg(data).args(args).output().expect("run jobtrend");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), v, String::from_utf8_lossy(&out.stderr).into_owned())
}

fn shared_ingest(data: &Path, writer: &str, paths: &[PathBuf]) -> Value {
    let mut args = vec!["ingest", "html", "--json", "--shared", "--writer-id", writer];
    let strs: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    args.extend(strs.iter().map(String::as_str));
    let (code, sum, err) = run(data, &args);
    assert_eq!(code, 0, "shared ingest failed: {err}");
    sum
}

fn compact(data: &Path) -> Value {
    let (code, sum, err) = run(data, &["compact", "--json"]);
    assert_eq!(code, 0, "compact failed: {err}");
    sum
}

/// Every stored posting as id -> (month, the row without `ingested_at`), and the number of rows.
fn postings(data: &Path) -> (BTreeMap<String, String>, usize) {
    let all = store::read_all(data).expect("read dataset");
    let n = all.len();
    let map = all
        .into_iter()
        .map(|mut p| {
            p.ingested_at = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
            (p.id.clone(), serde_json::to_string(&p).unwrap())
        })
        .collect();
    (map, n)
}

/// Moves the part files of `from` into `to`: the state two shared writers that started on the
/// same dataset at the same time leave behind (both stored the postings they share).
fn merge_datasets(from: &Path, to: &Path) {
    for part in store::part_files(from).unwrap() {
        let month = part.parent().unwrap().file_name().unwrap();
        let dir = to.join("postings").join(month);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::rename(&part, dir.join(part.file_name().unwrap())).unwrap();
    }
}

fn part_names(data: &Path) -> Vec<String> {
    store::part_files(data).unwrap().iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect()
}

#[test]
fn shared_writers_then_compact_store_what_one_ingest_stores() {
    let tmp = tempdir();
    let (single, shared, other) = (tmp.path().join("single"), tmp.path().join("shared"), tmp.path().join("other"));
    let (code, one, err) = run(&single, &["ingest", "html", "--json", fixture("html/hn").to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let (want, _) = postings(&single);
    assert!(want.len() > 20, "fixtures give {} postings", want.len());

    // Two writers with overlapping shares, both started on an empty dataset.
    let pages = hn_pages();
    let half = pages.len() / 2;
    shared_ingest(&shared, "w1", &pages[..half + 2]);
    shared_ingest(&other, "w2", &pages[half - 2..]);
    merge_datasets(&other, &shared);
    let names = part_names(&shared);
    assert!(names.iter().any(|n| n.contains("-w1-")) && names.iter().any(|n| n.contains("-w2-")), "{names:?}");
    let (with_dups, rows) = postings(&shared);
    assert_eq!(with_dups.len(), want.len());
    assert!(rows > want.len(), "the overlap must store some postings twice ({rows} rows)");

    let sum = compact(&shared);
    assert_eq!(sum["duplicates_removed"].as_u64().unwrap() as usize, rows - want.len(), "{sum}");
    assert_eq!(sum["rows_after"].as_u64().unwrap() as usize, want.len(), "{sum}");
    let (got, rows) = postings(&shared);
    assert_eq!(rows, want.len(), "one row per id after compact");
    assert_eq!(got, want, "same postings as one plain ingest");
    assert_eq!(one["new"].as_u64().unwrap() as usize, want.len());
    // Small parts of a month are merged: one part per month now.
    let months: std::collections::BTreeSet<String> = store::part_files(&shared)
        .unwrap()
        .iter()
        .map(|p| p.parent().unwrap().file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(part_names(&shared).len(), months.len());

    // Idempotent: a second compact changes nothing, a repeated shared ingest adds nothing.
    let before = part_names(&shared);
    let again = compact(&shared);
    assert_eq!((again["duplicates_removed"].as_u64(), again["parts_written"].as_u64()), (Some(0), Some(0)), "{again}");
    assert_eq!(part_names(&shared), before);
    let sum = shared_ingest(&shared, "w3", &pages);
    assert_eq!(sum["new"], 0, "{sum}");
    assert_eq!(postings(&shared).0, want);
}

#[test]
fn concurrent_shared_writers_then_compact_store_each_posting_once() {
    let tmp = tempdir();
    let (single, shared) = (tmp.path().join("single"), tmp.path().join("shared"));
    let (code, _, err) = run(&single, &["ingest", "html", fixture("html/hn").to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let children: Vec<_> = ["a", "b", "c"]
        .iter()
        .map(|w| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("jobtrend"))
                .arg("--data")
                .arg(&shared)
                .args(["-q", "ingest", "html", "--shared", "--writer-id", w])
                .arg(fixture("html/hn"))
                .spawn()
                .expect("spawn")
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    compact(&shared);
    let (got, rows) = postings(&shared);
    assert_eq!(rows, got.len());
    assert_eq!(got, postings(&single).0);
}

#[test]
fn compact_keeps_the_first_ingested_copy_and_removes_index_parts_of_removed_parts() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    let page = fixture("html/hn/2018-03-comtr.html");
    shared_ingest(&data, "first", std::slice::from_ref(&page));
    let first = part_names(&data);
    assert_eq!(first.len(), 1);
    let first_rows = store::read_all(&data).unwrap();
    // A later writer that did not see the first one stores the same postings again.
    let later = tmp.path().join("later");
    shared_ingest(&later, "later", std::slice::from_ref(&page));
    merge_datasets(&later, &data);
    let parts = store::part_files(&data).unwrap();
    assert_eq!(parts.len(), 2);
    // An index part beside each postings part, and one whose postings part is gone (the test
    // places them itself: the index the shared ingest wrote is removed first).
    std::fs::remove_dir_all(data.join("index")).unwrap();
    let fp = data.join("index/fp=0123456789abcdef");
    for p in &parts {
        let dir = fp.join(p.parent().unwrap().file_name().unwrap());
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(p.file_name().unwrap()), b"index").unwrap();
    }
    let orphan = fp.join("month=2011-01/part-orphan.parquet");
    std::fs::create_dir_all(orphan.parent().unwrap()).unwrap();
    std::fs::write(&orphan, b"index").unwrap();

    let sum = compact(&data);
    assert_eq!(sum["index_parts_removed"], 3, "{sum}");
    assert!(!orphan.exists());
    let mut got = store::read_all(&data).unwrap();
    got.sort_by(|a, b| a.id.cmp(&b.id));
    let mut want = first_rows;
    want.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(got, want, "the copy ingested first stays, ingested_at included");
    let index_left: Vec<_> = walk(&data.join("index"));
    assert!(index_left.is_empty(), "{index_left:?}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
    }
    out
}

#[test]
fn a_compact_killed_midway_leaves_a_readable_dataset_and_a_rerun_finishes_it() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    let (code, _, err) = run(&data, &["ingest", "html", fixture("html/hn").to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let want = postings(&data).0;
    // The states a kill can leave: the merged part written but an old part not yet removed
    // (its rows twice), and an unfinished temp file of the merged part.
    let part = store::part_files(&data).unwrap().remove(0);
    let copy = part.with_file_name("part-99999999T000000.000-compact-1-0000.parquet");
    std::fs::copy(&part, &copy).unwrap();
    std::fs::write(part.with_file_name(".part-killed.tmp"), b"PAR1 half").unwrap();
    let (code, stats, err) = run(&data, &["stats", "--json"]);
    assert_eq!(code, 0, "the dataset stays readable: {err}");
    assert!(stats.is_object());
    let (code, _, err) = run(&data, &["trends", "--format", "csv", "--keywords", "rust"]);
    assert_eq!(code, 0, "{err}");

    let sum = compact(&data);
    assert_eq!(sum["temp_files_removed"], 1, "{sum}");
    assert!(sum["duplicates_removed"].as_u64().unwrap() > 0, "{sum}");
    let (got, rows) = postings(&data);
    assert_eq!((got, rows), (want.clone(), want.len()));
}

#[test]
fn shared_writers_take_no_lock_and_compact_does() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    let held = store::Store::open(&data, false).unwrap();
    let sum = shared_ingest(&data, "beside-the-lock", &[fixture("html/hn/2018-03-comtr.html")]);
    assert!(sum["new"].as_u64().unwrap() > 0, "{sum}");
    let (code, _, err) = run(&data, &["compact"]);
    assert_eq!(code, 3, "{err}");
    drop(held);
    compact(&data);
    // A bad writer id, or one without --shared, is a usage error.
    let page = fixture("html/hn/2018-03-comtr.html");
    let page = page.to_str().unwrap();
    for args in [
        &["ingest", "html", "--shared", "--writer-id", "a/b", page][..],
        &["ingest", "html", "--writer-id", "w1", page][..],
    ] {
        let (code, _, err) = run(&data, args);
        assert_eq!(code, 2, "{args:?}: {err}");
    }
    // Without --writer-id the name carries the host, pid and a random part.
    let other = tmp.path().join("other");
    run(&other, &["ingest", "html", "--shared", page]);
    let names = part_names(&other);
    assert_eq!(names.len(), 1);
    assert!(names[0].matches('-').count() >= 5, "part-<time>-<host>-<pid>-<rand>-<seq>: {names:?}");
}

/// Moves every index part of `from` into `to` (same relative path), as [`merge_datasets`] does
/// with the postings parts.
fn merge_index(from: &Path, to: &Path) {
    for f in walk(&from.join("index")).into_iter().filter(|p| p.extension().is_some_and(|x| x == "parquet")) {
        let dest = to.join(f.strip_prefix(from).unwrap());
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::rename(&f, dest).unwrap();
    }
}

#[test]
fn compact_merges_index_parts_so_nothing_is_matched_again() {
    let tmp = tempdir();
    let (single, shared, other) = (tmp.path().join("single"), tmp.path().join("shared"), tmp.path().join("other"));
    let (code, _, err) = run(&single, &["ingest", "html", "--json", fixture("html/hn").to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let trends = |data: &Path| {
        let out = jobtrend().arg("--data").arg(data).args(["-v", "trends", "--format", "csv"]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        (String::from_utf8(out.stdout).unwrap(), crate::index::matched_now(&String::from_utf8_lossy(&out.stderr)))
    };
    let (want, _) = trends(&single);

    // Two shared writers with overlapping shares, each with the index parts its ingest wrote.
    let pages = hn_pages();
    let half = pages.len() / 2;
    shared_ingest(&shared, "w1", &pages[..half + 2]);
    shared_ingest(&other, "w2", &pages[half - 2..]);
    merge_datasets(&other, &shared);
    merge_index(&other, &shared);
    let index_parts = |data: &Path| {
        walk(&data.join("index")).iter().filter(|p| p.extension().is_some_and(|x| x == "parquet")).count()
    };
    assert_eq!(index_parts(&shared), part_names(&shared).len());

    let sum = compact(&shared);
    assert!(sum["duplicates_removed"].as_u64().unwrap() > 0, "{sum}");
    let written = sum["parts_written"].as_u64().unwrap();
    assert!(written > 0, "{sum}");
    assert_eq!(sum["index_parts_merged"].as_u64(), Some(written), "{sum}");
    // One index part per postings part, none matched again, the same trends as one plain ingest.
    assert_eq!(index_parts(&shared), part_names(&shared).len());
    let (got, matched) = trends(&shared);
    assert_eq!(matched, 0, "compact kept the index");
    assert_eq!(got, want);
}

/// `verify --repair` on the duplicates shared writers leave (each with its index parts): the index
/// parts of the parts it deletes or rewrites go too, so no count and no outside reader of the index
/// sees the removed rows.
#[test]
fn verify_repair_of_duplicates_leaves_no_stale_index_part() {
    let tmp = tempdir();
    let (single, data, other) = (tmp.path().join("single"), tmp.path().join("data"), tmp.path().join("other"));
    let page = |n: &str| fixture(&format!("html/hn/{n}.html"));
    let (p1, p2, sep) = (page("2013-06-p1"), page("2013-06-p2"), page("2024-09-div"));
    let trends = |d: &Path| {
        let out = jobtrend().arg("--data").arg(d).args(["trends", "--format", "csv", "--dedup", "none"]).output();
        String::from_utf8(out.unwrap().stdout).unwrap()
    };
    let (code, _, err) = run(&single, &["ingest", "html", s(&p1), s(&p2), s(&sep)]);
    assert_eq!(code, 0, "{err}");
    // The first writer stored 2013-06 page 1 and 2024-09; a second one, not seeing it, stored both
    // pages of 2013-06 (a part half duplicates) and 2024-09 again (a part of duplicates only).
    shared_ingest(&data, "w1", &[p1.clone(), sep.clone()]);
    shared_ingest(&other, "w2", &[p1, p2, sep]);
    merge_datasets(&other, &data);
    merge_index(&other, &data);
    assert_ne!(trends(&data), trends(&single), "the duplicates count twice");

    let (code, sum, err) = run(&data, &["verify", "--repair", "--json"]);
    assert_eq!(code, 1, "{err}");
    let fix = &sum["repair"];
    assert_eq!(
        (fix["parts_rewritten"].as_array().unwrap().len(), fix["parts_deleted"].as_array().unwrap().len()),
        (1, 1)
    );
    assert_eq!(fix["stale_index_parts_deleted"].as_array().unwrap().len(), 2, "{fix}");
    assert!(err.contains("deleted 2 index parts of the parts moved or changed"), "{err}");
    // Every index part belongs to a postings part; the counts are those of one plain ingest.
    let postings: Vec<String> = part_names(&data);
    let index: Vec<PathBuf> =
        walk(&data.join("index")).into_iter().filter(|p| p.extension().is_some_and(|x| x == "parquet")).collect();
    for ix in &index {
        assert!(postings.contains(&ix.file_name().unwrap().to_string_lossy().into_owned()), "orphan {}", ix.display());
    }
    assert_eq!(trends(&data), trends(&single));
    assert_eq!(run(&data, &["verify"]).0, 0);
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Index parts a repair by an older jobtrend left behind (their postings part rewritten or gone)
/// are found by `verify` as stale and deleted by `verify --repair`.
#[test]
fn verify_finds_stale_index_parts_and_repair_deletes_them() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    let (code, _, err) = run(&data, &["ingest", "html", fixture("html/hn").to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(run(&data, &["verify"]).0, 0, "a fresh dataset lines up");
    let parts = store::part_files(&data).unwrap();
    let index: Vec<PathBuf> =
        walk(&data.join("index")).into_iter().filter(|p| p.extension().is_some_and(|x| x == "parquet")).collect();
    let index_of = |part: &Path| index.iter().find(|i| i.file_name() == part.file_name()).unwrap().clone();
    // One part rewritten with a row less, one part gone: both index parts still there.
    let (shrunk, gone) = (&parts[0], &parts[1]);
    let ids = store::read_part_ids(shrunk).unwrap();
    let mut rows = store::read_all(&data).unwrap();
    rows.retain(|p| ids.contains(&p.id));
    rows.pop();
    let mut df = store::to_frame(&rows).unwrap();
    store::write_part_file(&mut df, shrunk).unwrap();
    std::fs::remove_file(gone).unwrap();
    let (code, v, err) = run(&data, &["verify", "--json"]);
    assert_eq!(code, 1, "{err}");
    let reasons: BTreeMap<String, String> = v["damaged"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["path"].as_str().unwrap().to_string(), d["reason"].as_str().unwrap().to_string()))
        .collect();
    let rel = |p: &Path| p.strip_prefix(&data).unwrap().display().to_string();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(reasons[&rel(&index_of(shrunk))].starts_with("stale: its rows"), "{reasons:?}");
    assert_eq!(reasons[&rel(&index_of(gone))], "stale: its postings part does not exist");
    let (code, _, err) = run(&data, &["verify", "--repair"]);
    assert_eq!(code, 1, "{err}");
    assert!(!index_of(shrunk).exists() && !index_of(gone).exists());
    assert_eq!(run(&data, &["verify"]).0, 0);
}
