//! SIGINT/SIGTERM for the writers that `trust.rs` does not signal (issue 14, item 3), through the
//! binary: `ingest warc`, `ingest wdc` and `compact` stop after the file (input, group of parts)
//! in progress, print their summary, exit 1, and the next run completes exactly.
//! The `JOBTREND_PAUSE_AFTER_FILES` hook holds the writer at a known point until the signal comes.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use jobtrend::store;

use crate::common::{fixture, hn_pages, jobtrend, signal_when_paused, tempdir};

fn run(data: &Path, args: &[&str]) -> (i32, String, String) {
    let out = jobtrend().arg("--data").arg(data).args(args).output().expect("run jobtrend");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `jobtrend --data DATA ARGS` held after `n` files, then sent `sig`: (exit code, stderr).
fn signalled(data: &Path, args: &[&str], n: usize, sig: i32) -> (i32, String) {
    let mut all = vec!["--data", data.to_str().unwrap()];
    all.extend_from_slice(args);
    let n = n.to_string();
    let (code, err) = signal_when_paused(&all, &[("JOBTREND_PAUSE_AFTER_FILES", n.as_str())], "paused after", sig);
    (code.unwrap_or(-1), err)
}

/// id → (source, month, title) of every stored posting; panics on a repeated id.
fn stored(data: &Path) -> BTreeMap<String, (String, String, String)> {
    let all = store::read_all(data).expect("read dataset");
    let n = all.len();
    let map: BTreeMap<_, _> =
        all.into_iter().map(|p| (p.id, (p.source, p.month, p.title.unwrap_or_default()))).collect();
    assert_eq!(map.len(), n, "an id is stored twice");
    map
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn sigterm_during_ingest_warc_stores_the_inputs_read_and_the_next_run_completes_exactly() {
    let tmp = tempdir();
    let (plain, cc) = (fixture("warc/plain.warc"), fixture("warc/cc-sample.warc.gz"));
    let whole = tmp.path().join("whole");
    run(&whole, &["ingest", "warc", s(&plain), s(&cc)]);
    let want = stored(&whole);
    let only_plain = tmp.path().join("plain");
    run(&only_plain, &["ingest", "warc", s(&plain)]);
    let first = stored(&only_plain);
    assert!(!first.is_empty() && first.len() < want.len(), "{first:?} / {want:?}");

    let data = tmp.path().join("data");
    let (code, err) = signalled(&data, &["ingest", "warc", s(&plain), s(&cc)], 1, libc::SIGTERM);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("stopping after the files in progress"), "{err}");
    assert!(err.contains("warc: 2 inputs (1 read, 0 failed)"), "the summary: {err}");
    assert!(err.contains("interrupted: what was read is stored"), "{err}");
    assert_eq!(stored(&data), first, "exactly the first input");
    run(&data, &["ingest", "warc", s(&plain), s(&cc)]);
    assert_eq!(stored(&data), want, "the next run completes exactly");
}

#[test]
fn sigint_during_ingest_wdc_stores_the_inputs_read_and_the_next_run_completes_exactly() {
    let tmp = tempdir();
    let nq = fixture("wdc/jobs.nq");
    // A second input: the first page of the fixture (its first 12 lines) at another company.
    let text = std::fs::read_to_string(&nq).unwrap();
    let page: String = text.lines().take(12).map(|l| format!("{}\n", l.replace("acme", "initrode"))).collect();
    let second = tmp.path().join("second.nq");
    std::fs::write(&second, page).unwrap();
    let whole = tmp.path().join("whole");
    run(&whole, &["ingest", "wdc", s(&nq), s(&second)]);
    let want = stored(&whole);
    let only_first = tmp.path().join("first");
    run(&only_first, &["ingest", "wdc", s(&nq)]);
    let first = stored(&only_first);
    assert_eq!(want.len(), first.len() + 1, "{want:?}");

    let data = tmp.path().join("data");
    let (code, err) = signalled(&data, &["ingest", "wdc", s(&nq), s(&second)], 1, libc::SIGINT);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("wdc: 2 inputs (1 read, 0 failed)"), "the summary: {err}");
    assert!(err.contains("interrupted: what was read is stored"), "{err}");
    assert_eq!(stored(&data), first, "exactly the first input");
    run(&data, &["ingest", "wdc", s(&nq), s(&second)]);
    assert_eq!(stored(&data), want, "the next run completes exactly");
}

#[test]
fn sigterm_during_compact_finishes_the_group_in_progress_and_the_next_compact_completes_exactly() {
    let tmp = tempdir();
    let single = tmp.path().join("single");
    let (code, _, err) = run(&single, &["ingest", "html", s(&fixture("html/hn"))]);
    assert_eq!(code, 0, "{err}");
    let want = stored(&single);
    // Every page stored by two shared writers that started at the same time (two datasets, the
    // parts of the second moved into the first): every month has two small parts to merge.
    let (data, other) = (tmp.path().join("data"), tmp.path().join("other"));
    for (d, w) in [(&data, "w1"), (&other, "w2")] {
        let mut args = vec!["-q", "ingest", "html", "--shared", "--writer-id", w];
        let pages = hn_pages();
        args.extend(pages.iter().map(|p| s(p)));
        let (code, _, err) = run(d, &args);
        assert_eq!(code, 0, "{err}");
    }
    for part in store::part_files(&other).unwrap() {
        let month = part.parent().unwrap().file_name().unwrap();
        std::fs::rename(&part, data.join("postings").join(month).join(part.file_name().unwrap())).unwrap();
    }
    let parts_before = store::part_files(&data).unwrap().len();
    assert!(parts_before >= 6, "{parts_before} parts");

    let (code, err) = signalled(&data, &["compact"], 1, libc::SIGTERM);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("stopping after the files in progress"), "{err}");
    assert!(err.contains(&format!("{parts_before} parts -> {}", parts_before - 1)), "the summary: {err}");
    assert!(err.contains("1 parts written, 2 removed"), "one group merged: {err}");
    assert!(err.contains("interrupted: the compaction stopped"), "{err}");
    // Readable, nothing lost; the rows not yet compacted are still there twice.
    let rows = store::read_all(&data).unwrap();
    let ids: HashSet<&String> = rows.iter().map(|p| &p.id).collect();
    assert_eq!(ids.len(), want.len());
    let (code, _, err) = run(&data, &["trends", "--format", "csv"]);
    assert_eq!(code, 0, "readable between the two runs: {err}");

    let (code, _, err) = run(&data, &["compact"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(stored(&data), want, "one row per id, as one plain ingest");
    let (code, _, err) = run(&data, &["verify"]);
    assert_eq!(code, 0, "{err}");
}
