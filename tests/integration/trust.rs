//! Everyday trust (issue 14), through the binary: `verify [--repair]` and ingest on a damaged
//! dataset, signals for every writer, the umask, non-HTML files refused, sample pages as their
//! own source, readers during an ingest, `--data` precedence and config fields, help and errors.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use chrono::Utc;
use jobtrend::posting::Posting;
use jobtrend::store;
use serde_json::{Value, json};

use crate::common::{fixture, jobtrend, root, shared_data, tempdir};

/// `jobtrend --data DATA ARGS...`: (exit code, stdout, stderr).
fn run(data: &Path, args: &[&str]) -> (i32, String, String) {
    let out = jobtrend().arg("--data").arg(data).args(args).output().expect("run jobtrend");
    split(out)
}

fn split(out: Output) -> (i32, String, String) {
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ingest(data: &Path, paths: &[&Path]) -> (i32, Value, String) {
    let mut args: Vec<&str> = vec!["ingest", "html", "--json"];
    args.extend(paths.iter().map(|p| p.to_str().unwrap()));
    let (code, out, err) = run(data, &args);
    (code, serde_json::from_str(&out).unwrap_or(Value::Null), err)
}

fn json_of(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

fn part_in(data: &Path, month: &str) -> PathBuf {
    store::part_files(data)
        .unwrap()
        .into_iter()
        .find(|p| p.to_string_lossy().contains(&format!("month={month}")))
        .unwrap_or_else(|| panic!("no part for {month}"))
}

fn truncate_half(p: &Path) {
    let bytes = std::fs::read(p).unwrap();
    std::fs::write(p, &bytes[..bytes.len() / 2]).unwrap();
}

fn rel(data: &Path, p: &Path) -> String {
    p.strip_prefix(data).unwrap().display().to_string()
}

fn all_ids(data: &Path) -> Vec<String> {
    let mut v: Vec<String> = store::read_all(data).unwrap().into_iter().map(|p| p.id).collect();
    v.sort();
    v
}

// ---------------------------------------------------------------- verify / repair

/// What [`damage`] did to a dataset of the HN fixtures.
struct Damage {
    victim: PathBuf,
    victim_ids: Vec<String>,
    mixed: PathBuf,
    copy: PathBuf,
    copy_rows: usize,
    idx: PathBuf,
}

/// Damages a dataset of the HN fixtures: a truncated part (2024-09), a later part with one old and
/// one new id, a whole copy of a part (2021-09), a damaged index part, and network state about
/// the damaged month.
fn damage(data: &Path) -> Damage {
    let victim = part_in(data, "2024-09");
    let victim_ids = store::read_part_ids(&victim).unwrap();
    assert!(!victim_ids.is_empty());
    truncate_half(&victim);
    let other = part_in(data, "2021-09");
    let known = store::read_part_ids(&other).unwrap()[0].clone();
    let posting = |id: &str| {
        let mut p = Posting::new(id, "hn", "We use Rust");
        p.month = "2021-09".into();
        p.finish(Utc::now())
    };
    let mut df = store::to_frame(&[posting(&known), posting("hn:test-new")]).unwrap();
    let mixed = other.with_file_name("part-99990101T000000.000-1-0001.parquet");
    store::write_part_file(&mut df, &mixed).unwrap();
    let copy = other.with_file_name("part-99990101T000000.000-1-0002.parquet");
    std::fs::copy(&other, &copy).unwrap();
    let copy_rows = store::read_part_ids(&copy).unwrap().len();
    let idx_dir = data.join("index/fp=0123456789abcdef/month=2024-09");
    std::fs::create_dir_all(&idx_dir).unwrap();
    let idx = idx_dir.join("part-1.parquet");
    std::fs::write(&idx, b"PAR1 not a parquet file").unwrap();
    std::fs::create_dir_all(data.join("state")).unwrap();
    let state =
        json!({"http": {"https://x.example/api": {"etag": "\"e1\""}}, "hn_complete": {"1": "2024-09", "2": "2021-09"}});
    std::fs::write(data.join("state/net.json"), state.to_string()).unwrap();
    Damage { victim, victim_ids, mixed, copy, copy_rows, idx }
}

#[test]
fn verify_finds_and_repair_fixes_a_truncated_part_duplicates_and_a_damaged_index_part() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    let hn = fixture("html/hn");
    let (code, _, err) = ingest(&data, &[&hn]);
    assert_eq!(code, 0, "{err}");
    let before = all_ids(&data);
    assert_eq!(before.len(), 26);
    let (code, _, err) = run(&data, &["verify"]);
    assert_eq!(code, 0, "a fresh dataset is clean: {err}");
    assert!(err.contains("no problems found"), "{err}");

    let Damage { victim, victim_ids, mixed, copy, copy_rows, idx } = damage(&data);

    let (code, out, err) = run(&data, &["verify", "--json"]);
    assert_eq!(code, 1, "problems found → exit 1: {err}");
    let v = json_of(&out);
    let damaged: BTreeMap<String, &Value> =
        v["damaged"].as_array().unwrap().iter().map(|d| (d["path"].as_str().unwrap().to_string(), d)).collect();
    assert_eq!(damaged.len(), 2, "{v}");
    let d = damaged[&rel(&data, &victim)];
    assert_eq!((d["kind"].as_str(), d["months"].clone()), (Some("postings"), json!(["2024-09"])));
    assert!(d["reason"].as_str().unwrap().starts_with("unreadable"), "{d}");
    assert_eq!(damaged[&rel(&data, &idx)]["kind"], "index");
    let dups: BTreeMap<String, (u64, u64)> = v["duplicates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["path"].as_str().unwrap().to_string(), (d["rows"].as_u64().unwrap(), d["of"].as_u64().unwrap())))
        .collect();
    let want: BTreeMap<String, (u64, u64)> =
        [(rel(&data, &mixed), (1, 2)), (rel(&data, &copy), (copy_rows as u64, copy_rows as u64))].into();
    assert_eq!(dups, want);
    // The damaged part is named, with its reason, once per line.
    let line = err.lines().find(|l| l.contains(&rel(&data, &victim))).expect("victim named");
    assert_eq!(line.matches(&rel(&data, &victim)).count(), 1, "{line}");

    // Repair.
    let (code, out, err) = run(&data, &["verify", "--repair", "--json"]);
    assert_eq!(code, 1, "problems were found (and repaired): {err}");
    let v = json_of(&out);
    assert_eq!(v["repair"]["quarantined"], json!([rel(&data, &victim)]), "{v}");
    assert_eq!(v["repair"]["refetch_months"], json!(["2024-09"]));
    assert_eq!(v["repair"]["rows_removed"].as_u64().unwrap() as usize, 1 + copy_rows);
    assert_eq!(v["state_reset"]["hn_months"], json!(["2024-09"]));
    assert_eq!(v["state_reset"]["validators"], 1);
    assert!(err.contains("2024-09") && err.contains("ingest hn"), "says what to re-fetch: {err}");
    let moved = data.join("quarantine").join(rel(&data, &victim));
    assert!(moved.exists() && !victim.exists(), "moved to {}", moved.display());
    let log = std::fs::read_to_string(data.join("quarantine/log.jsonl")).unwrap();
    let lines: Vec<Value> = log.lines().map(json_of).collect();
    assert_eq!(lines.len(), 1, "{log}");
    assert_eq!(lines[0]["path"], rel(&data, &victim));
    assert_eq!(lines[0]["months"], json!(["2024-09"]));
    assert!(lines[0]["reason"].as_str().unwrap().contains("unreadable") && lines[0]["time"].is_string());
    assert!(!idx.exists(), "the damaged index part is deleted");
    assert!(!copy.exists(), "a part of duplicates only is deleted");
    assert_eq!(store::read_part_ids(&mixed).unwrap(), ["hn:test-new"], "the first occurrence is kept");
    let st: Value = json_of(&std::fs::read_to_string(data.join("state/net.json")).unwrap());
    assert_eq!(st["hn_complete"], json!({"2": "2021-09"}), "{st}");
    assert_eq!(st["http"], json!({}), "{st}");

    let (code, _, err) = run(&data, &["verify"]);
    assert_eq!(code, 0, "clean after the repair: {err}");
    // The next ingest brings the quarantined month back, exactly.
    let (code, sum, err) = ingest(&data, &[&hn]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(sum["new"].as_u64().unwrap() as usize, victim_ids.len(), "{sum}");
    let mut want = before.clone();
    want.push("hn:test-new".into());
    want.sort();
    assert_eq!(all_ids(&data), want);
}

#[test]
fn ingest_into_a_damaged_dataset_names_the_part_once_goes_on_and_exits_1() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    let hn = fixture("html/hn");
    assert_eq!(ingest(&data, &[&hn]).0, 0);
    let victim = part_in(&data, "2018-03");
    let lost = store::read_part_ids(&victim).unwrap().len();
    std::fs::write(&victim, b"not parquet at all").unwrap();
    let (code, sum, err) = ingest(&data, &[&hn]);
    assert_eq!(code, 1, "{err}");
    let name = victim.display().to_string();
    assert_eq!(err.matches(&name).count(), 1, "named once: {err}");
    let line = err.lines().find(|l| l.contains(&name)).unwrap();
    assert!(line.contains("may be added again") && line.contains("jobtrend verify --repair"), "{line}");
    assert!(line.matches("magic").count() <= 1, "the reason is not repeated: {line}");
    assert_eq!(sum["new"].as_u64().unwrap() as usize, lost, "the unknown postings are added again: {sum}");
    // verify --repair quarantines the bad part; the dataset is whole again.
    assert_eq!(run(&data, &["verify", "--repair"]).0, 1);
    assert_eq!(run(&data, &["verify"]).0, 0);
    assert_eq!(all_ids(&data).len(), 26);
}

#[test]
fn verify_on_a_missing_data_directory_exits_2_naming_it() {
    let tmp = tempdir();
    let data = tmp.path().join("nope");
    let (code, _, err) = run(&data, &["verify"]);
    assert_eq!(code, 2, "{err}");
    let want = format!(
        "jobtrend: error: the data directory {} does not exist (give the right one with --data DIR)",
        data.display()
    );
    assert!(err.contains(&want), "the same words as every analysis command: {err}");
    assert!(!data.exists(), "verify creates nothing");
}

// ---------------------------------------------------------------- signals

/// Spawns `jobtrend ARGS` with `JOBTREND_PAUSE_AFTER_FILES=n`, waits for its "paused" line,
/// sends `sig`, and returns (exit code, the whole stderr).
fn signal_at_pause(args: &[&str], n: usize, sig: i32, env: &[(&str, &str)]) -> (i32, String) {
    let n = n.to_string();
    let mut all = vec![("JOBTREND_PAUSE_AFTER_FILES", n.as_str())];
    all.extend_from_slice(env);
    let (code, err) = crate::common::signal_when_paused(args, &all, "paused after", sig);
    (code.unwrap_or(-1), err)
}

#[test]
fn sigterm_during_ingest_html_stores_what_was_read_and_the_next_run_completes_exactly() {
    let Some(shared) = shared_data("sigterm_during_ingest_html_stores_what_was_read") else { return };
    let html = shared.join("hn-whoishiring/html");
    let tmp = tempdir();
    let data = tmp.path().join("data");
    let (d, h) = (data.to_str().unwrap(), html.to_str().unwrap());
    for (sig, n) in [(libc::SIGTERM, 7), (libc::SIGINT, 20)] {
        let args = ["--data", d, "ingest", "html", "--jobs", "1", h];
        let (code, err) = signal_at_pause(&args, n, sig, &[("JOBTREND_FLUSH_BYTES", "300000")]);
        assert_eq!(code, 1, "interrupted → exit 1: {err}");
        assert!(err.contains("stopping after the files in progress"), "{err}");
        assert!(err.contains("postings found") && err.contains("interrupted:"), "a summary: {err}");
        let ids = all_ids(&data);
        let uniq: HashSet<&String> = ids.iter().collect();
        assert_eq!(uniq.len(), ids.len(), "no duplicates");
        assert!(!ids.is_empty() && ids.len() < 54_299, "{}", ids.len());
    }
    let (code, _, err) = ingest(&data, &[&html]);
    assert_eq!(code, 0, "{err}");
    let ids = all_ids(&data);
    assert_eq!(ids.len(), 54_299);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 54_299);
}

#[test]
fn sigterm_during_report_stops_between_files_and_says_so() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    assert_eq!(ingest(&data, &[&fixture("html/hn")]).0, 0);
    let out = tmp.path().join("report");
    let (d, o) = (data.to_str().unwrap(), out.to_str().unwrap());
    let args = ["--data", d, "report", "--out", o, "--width", "400", "--height", "300"];
    let (code, err) = signal_at_pause(&args, 3, libc::SIGTERM, &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("interrupted: 3 of "), "{err}");
    let names: Vec<String> =
        std::fs::read_dir(&out).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names.len(), 3, "exactly the finished files, no temp file: {names:?}");
    assert!(!names.iter().any(|n| n.starts_with("index.")), "the index pages come last: {names:?}");
    // The next run writes the whole report.
    let (code, _, err) = run(&data, &["report", "--out", o, "--width", "400", "--height", "300"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.join("index.html").exists());
}

#[test]
fn sigterm_during_verify_repair_stops_between_files_and_the_next_repair_finishes() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    assert_eq!(ingest(&data, &[&fixture("html/hn")]).0, 0);
    let (a, b) = (part_in(&data, "2013-06"), part_in(&data, "2015-10"));
    truncate_half(&a);
    truncate_half(&b);
    let d = data.to_str().unwrap();
    let (code, err) = signal_at_pause(&["--data", d, "verify", "--repair"], 1, libc::SIGTERM, &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("interrupted: the repair stopped"), "{err}");
    assert_eq!([a.exists(), b.exists()].iter().filter(|x| **x).count(), 1, "one part moved, one left: {err}");
    let (code, out, err) = run(&data, &["verify", "--repair", "--json"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(json_of(&out)["repair"]["quarantined"].as_array().unwrap().len(), 1);
    assert!(!a.exists() && !b.exists());
    assert_eq!(std::fs::read_to_string(data.join("quarantine/log.jsonl")).unwrap().lines().count(), 2);
    assert_eq!(run(&data, &["verify"]).0, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_during_a_network_ingest_stores_nothing_and_the_next_run_fetches_it() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    let body = std::fs::read(fixture("feeds/remotive/remote-jobs.json")).unwrap();
    Mock::given(method("GET"))
        .and(path("/api/remote-jobs"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(body.clone(), "application/json")
                .set_delay(std::time::Duration::from_secs(120)),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/remote-jobs"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    let tmp = tempdir();
    let data = tmp.path().join("data");
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("jobtrend"))
        .arg("--data")
        .arg(&data)
        .args(["ingest", "remotive", "--retries", "0", "--base-url", &server.uri()])
        .env_remove("JOBTREND_DATA")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The request is in flight once the server has it.
    let t = std::time::Instant::now();
    while server.received_requests().await.unwrap_or_default().is_empty() {
        assert!(t.elapsed().as_secs() < 60, "no request arrived");
        tokio::task::yield_now().await;
    }
    // SAFETY: sending a signal to our own child process.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    let out = tokio::task::spawn_blocking(move || {
        let mut err = String::new();
        std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
        (child.wait().unwrap().code(), err)
    })
    .await
    .unwrap();
    assert_eq!(out.0, Some(1), "{}", out.1);
    assert!(out.1.contains("remotive: interrupted before the fetch finished: nothing stored"), "{}", out.1);
    assert!(store::read_all(&data).unwrap().is_empty());
    let (code, _, err) = tokio::task::spawn_blocking({
        let (data, uri) = (data.clone(), server.uri());
        move || run(&data, &["ingest", "remotive", "--base-url", uri.as_str()])
    })
    .await
    .unwrap();
    assert_eq!(code, 0, "{err}");
    assert!(!store::read_all(&data).unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_during_a_network_source_of_run_ends_the_run_with_exit_1() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    let body = std::fs::read(fixture("feeds/remotive/remote-jobs.json")).unwrap();
    Mock::given(method("GET"))
        .and(path("/api/remote-jobs"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(body, "application/json")
                .set_delay(std::time::Duration::from_secs(120)),
        )
        .mount(&server)
        .await;
    let tmp = tempdir();
    let cfg = tmp.path().join("jobtrend.toml");
    std::fs::write(
        &cfg,
        format!("data = \"data\"\n[[sources]]\nkind = \"remotive\"\nbase_url = \"{}\"\n", server.uri()),
    )
    .unwrap();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("jobtrend"))
        .args(["run", "--config"])
        .arg(&cfg)
        .env_remove("JOBTREND_DATA")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let t = std::time::Instant::now();
    while server.received_requests().await.unwrap_or_default().is_empty() {
        assert!(t.elapsed().as_secs() < 60, "no request arrived");
        tokio::task::yield_now().await;
    }
    // SAFETY: sending a signal to our own child process.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    let (code, err) = tokio::task::spawn_blocking(move || {
        let mut err = String::new();
        std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
        (child.wait().unwrap().code(), err)
    })
    .await
    .unwrap();
    assert_eq!(code, Some(1), "{err}");
    let log = std::fs::read_to_string(tmp.path().join("data/runs.jsonl")).unwrap();
    let rec = json_of(log.lines().last().unwrap());
    assert_eq!(rec["interrupted"], true, "{rec}");
    assert_eq!(rec["sources"][0]["errors"], json!(["interrupted before the fetch finished: nothing stored"]));
    assert!(!tmp.path().join("reports").exists(), "no report from an interrupted run");
}

// ---------------------------------------------------------------- umask

#[cfg(unix)]
fn modes_under(dir: &Path) -> BTreeMap<String, u32> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n != "lock") {
                out.insert(rel(dir, &p), std::fs::metadata(&p).unwrap().permissions().mode() & 0o777);
            }
        }
    }
    out
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn written_files_honour_the_umask() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    let body = std::fs::read(fixture("feeds/remotive/remote-jobs.json")).unwrap();
    Mock::given(method("GET"))
        .and(path("/api/remote-jobs"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json").insert_header("ETag", "\"v1\""))
        .mount(&server)
        .await;
    let board = std::fs::read(fixture("feeds/greenhouse/jobs.json")).unwrap();
    Mock::given(method("GET"))
        .and(path("/v1/boards/northwind/jobs"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(board, "application/json"))
        .mount(&server)
        .await;
    let uri = server.uri();
    tokio::task::spawn_blocking(move || {
        let bin = assert_cmd::cargo::cargo_bin("jobtrend");
        for (mask, want) in [("022", 0o644), ("027", 0o640)] {
            let tmp = tempdir();
            let (data, out) = (tmp.path().join("data"), tmp.path().join("report"));
            let under_umask = |args: &[&str]| {
                Command::new("sh")
                    .arg("-c")
                    .arg(format!("umask {mask}; exec \"$0\" \"$@\""))
                    .arg(&bin)
                    .arg("--data")
                    .arg(&data)
                    .args(args)
                    .env_remove("JOBTREND_DATA")
                    .output()
                    .unwrap()
            };
            let sh = |args: &[&str]| {
                let o = under_umask(args);
                assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
            };
            sh(&["ingest", "html", fixture("html/hn").to_str().unwrap()]);
            sh(&["ingest", "remotive", "--base-url", uri.as_str()]);
            sh(&["ingest", "greenhouse", "northwind", "--base-url", uri.as_str()]);
            sh(&["report", "--out", out.to_str().unwrap(), "--width", "400", "--height", "300"]);
            // A part with a duplicate row and a new one: verify --repair rewrites it, compact merges it.
            let copy = part_in(&data, "2024-09").with_file_name("part-99990101T000000.000-1-0001.parquet");
            let mut rows: Vec<Posting> =
                store::read_all(&data).unwrap().into_iter().filter(|p| p.month == "2024-09").take(1).collect();
            let mut extra = rows[0].clone();
            extra.id = "hn:umask-new".into();
            rows.push(extra);
            store::write_part_file(&mut store::to_frame(&rows).unwrap(), &copy).unwrap();
            let o = under_umask(&["verify", "--repair"]);
            assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
            sh(&["compact"]);
            let data_modes = modes_under(&data);
            assert!(data_modes.contains_key("state/net.json"), "{data_modes:?}");
            assert!(data_modes.keys().any(|k| k.starts_with("snapshots/source=greenhouse/")), "{data_modes:?}");
            assert!(data_modes.keys().filter(|k| k.ends_with(".parquet")).count() >= 7, "{data_modes:?}");
            let report_modes = modes_under(&out);
            assert!(report_modes.contains_key("index.html") && report_modes.contains_key("trends.csv"));
            for (f, m) in data_modes.iter().chain(&report_modes) {
                assert_eq!(*m, want, "{f} under umask {mask}: {m:o}");
            }
        }
    })
    .await
    .unwrap();
}

// ---------------------------------------------------------------- non-HTML files

#[test]
fn files_that_are_not_html_are_refused_by_content_with_the_reason() {
    let tmp = tempdir();
    let dir = tmp.path().join("in");
    std::fs::create_dir_all(&dir).unwrap();
    let files: [(&str, &[u8], &str); 5] = [
        ("notes.txt", b"We are hiring Rust engineers.\n", "not an HTML page (starts with \"We\")"),
        ("jobs.json", b"{\"jobs\": [{\"title\": \"Rust\"}]}", "not an HTML page (starts with \"{\")"),
        ("page.html.gz", b"<html><body><p>Rust job</p></body></html>", "named .gz but not gzip data"),
        ("cv.html", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n", "not an HTML page (starts with \"%PDF-1.4\")"),
        ("data.html", b"  \n[1, 2, 3]", "not an HTML page (starts with \"[1,\")"),
    ];
    let mut paths = Vec::new();
    for (name, bytes, _) in &files {
        std::fs::write(dir.join(name), bytes).unwrap();
        paths.push(dir.join(name));
    }
    let good = fixture("html/generic/blog_job.html");
    let mut all: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    all.push(&good);
    let data = tmp.path().join("data");
    let (code, sum, err) = ingest(&data, &all);
    assert_eq!(code, 1, "some refused → exit 1: {err}");
    for ((_, _, reason), p) in files.iter().zip(&paths) {
        let want = format!("{}: {reason}", p.display());
        assert!(err.lines().any(|l| l == want), "missing {want:?} in {err}");
    }
    assert_eq!(sum["files_skipped"], 5, "{sum}");
    assert_eq!(store::read_all(&data).unwrap().len(), 1, "only the HTML page is stored");
    // Nothing usable → exit 2.
    let only: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    assert_eq!(ingest(&tmp.path().join("data2"), &only).0, 2);
    // A directory is searched for .html/.htm/.html.gz only: the .txt and .json are not even read.
    let (code, sum, err) = ingest(&tmp.path().join("data3"), &[&dir]);
    assert_eq!(sum["files"], 3, "{sum}");
    assert!(!err.contains("notes.txt") && !err.contains("jobs.json"), "{err}");
    assert_eq!(code, 2, "the three .html* files there are not HTML: {err}");
}

// ---------------------------------------------------------------- sample pages

#[test]
fn sample_pages_are_their_own_source_and_add_no_hn_posting() {
    let tmp = tempdir();
    let hn_page = fixture("html/hn/2026-01-reserialised.html");
    let alone = tmp.path().join("alone");
    let (code, sum, err) = ingest(&alone, &[&hn_page]);
    assert_eq!(code, 0, "{err}");
    let hn_alone = sum["new"].as_u64().unwrap();
    assert!(hn_alone > 0);
    let data = tmp.path().join("data");
    let samples = root().join("data/samples");
    let (code, _, err) = ingest(&data, &[&samples, &hn_page]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = run(&data, &["stats", "--json"]);
    assert_eq!(code, 0, "{err}");
    let st = json_of(&out);
    let per: BTreeMap<String, u64> = st["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["source"].as_str().unwrap().to_string(), s["postings"].as_u64().unwrap()))
        .collect();
    assert_eq!(per.get("hn"), Some(&hn_alone), "no extra hn posting: {per:?}");
    assert!(!per.contains_key("jsonld") && !per.contains_key("html"), "{per:?}");
    let all = store::read_all(&data).unwrap();
    let samples: Vec<&Posting> = all.iter().filter(|p| p.source == "sample").collect();
    assert_eq!(per.get("sample"), Some(&(samples.len() as u64)));
    // Three pages of three kinds: the HN thread's comments, the JSON-LD postings, the blog post.
    assert!(samples.len() >= 5, "{}", samples.len());
    assert!(samples.iter().all(|p| p.id.starts_with("sample:")), "{samples:?}");
    for prefix in ["sample:hn:", "sample:html:"] {
        assert!(samples.iter().any(|p| p.id.starts_with(prefix)), "no {prefix} id");
    }
    // Analysis: beside real postings the samples join no series; on their own (or asked for) they do.
    let postings_in = |data: &Path, extra: &[&str]| -> u64 {
        let mut args = vec!["trends", "--by", "year", "--keywords", "rust", "--format", "json"];
        args.extend_from_slice(extra);
        let (code, out, err) = run(data, &args);
        assert_eq!(code, 0, "{err}");
        json_of(&out).as_array().unwrap().iter().map(|r| r["postings"].as_u64().unwrap()).sum()
    };
    assert_eq!(postings_in(&data, &[]), hn_alone, "samples beside real data are left out");
    assert_eq!(postings_in(&data, &["--source", "sample"]), samples.len() as u64);
    let only = tmp.path().join("only-samples");
    let (code, _, err) = ingest(&only, &[&root().join("data/samples")]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(postings_in(&only, &[]), samples.len() as u64, "samples alone are analysed");
}

// ---------------------------------------------------------------- readers, --data, config

#[test]
fn a_reader_during_an_ingest_is_told_once_that_results_may_be_partial() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    assert_eq!(ingest(&data, &[&fixture("html/hn/2018-03-comtr.html")]).0, 0);
    let held = store::Store::open(&data, false).unwrap();
    let want =
        format!("an ingest (pid {}) is writing to {}: results may be partial", std::process::id(), data.display());
    let out = data.with_file_name("report");
    let report = ["report", "--out", out.to_str().unwrap(), "--width", "400", "--height", "300"];
    for args in [&["stats"][..], &["verify"], &["trends", "--keywords", "rust"], &["check"], &report] {
        let (code, _, err) = run(&data, args);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert_eq!(err.matches(&want).count(), 1, "{args:?}: {err}");
    }
    // The repair needs the lock: exit 3 naming the holder.
    let (code, _, err) = run(&data, &["verify", "--repair"]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains(&format!("another run (pid {}) holds", std::process::id())), "{err}");
    drop(held);
    let (_, _, err) = run(&data, &["stats"]);
    assert!(!err.contains("is writing to"), "{err}");
}

fn write_config(dir: &Path, data_line: &str, extra: &str) -> PathBuf {
    let cfg = dir.join("jobtrend.toml");
    let page = fixture("html/hn/2018-03-comtr.html");
    std::fs::write(
        &cfg,
        format!(
            "{data_line}\nreports = \"reports\"\n[[sources]]\nkind = \"html\"\npath = \"{}\"\n{extra}",
            page.display()
        ),
    )
    .unwrap();
    cfg
}

#[test]
fn the_configs_data_wins_over_jobtrend_data_and_the_flag_wins_over_both() {
    let tmp = tempdir();
    let cfg = write_config(tmp.path(), "data = \"cfgdata\"", "");
    let env_data = tmp.path().join("envdata");
    let flag_data = tmp.path().join("flagdata");
    let go = |flag: bool| {
        let mut c = jobtrend();
        if flag {
            c.arg("--data").arg(&flag_data);
        }
        c.args(["-q", "run", "--config"]).arg(&cfg).env("JOBTREND_DATA", &env_data);
        split(c.output().unwrap())
    };
    let (code, _, err) = go(false);
    assert_eq!(code, 0, "{err}");
    assert!(store::part_files(&tmp.path().join("cfgdata")).unwrap().len() == 1, "the config's data is used");
    assert!(!env_data.exists(), "JOBTREND_DATA does not override the config's data");
    let (code, _, err) = go(true);
    assert_eq!(code, 0, "{err}");
    assert_eq!(store::part_files(&flag_data).unwrap().len(), 1, "--data wins");
    // Without `data` in the config, JOBTREND_DATA is used.
    let tmp2 = tempdir();
    let cfg2 = write_config(tmp2.path(), "", "");
    let out = jobtrend().args(["-q", "run", "--config"]).arg(&cfg2).env("JOBTREND_DATA", &env_data).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(store::part_files(&env_data).unwrap().len(), 1);
    let help = split(jobtrend().args(["run", "--help"]).output().unwrap()).1;
    assert!(help.contains("JOBTREND_DATA") && help.contains("config's `data`"), "{help}");
}

#[test]
fn a_config_field_of_another_source_kind_is_an_error_naming_it() {
    let tmp = tempdir();
    let cfg = write_config(tmp.path(), "data = \"d\"", "board = \"acme\"\n");
    let (code, _, err) = split(jobtrend().args(["run", "--config"]).arg(&cfg).output().unwrap());
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("sources[0] (html): `board` does not apply to a html source (html takes: path, date)"),
        "{err}"
    );
    assert!(!tmp.path().join("d").exists(), "nothing was written");
}

// ---------------------------------------------------------------- help and errors

#[test]
fn every_subcommand_has_examples_in_its_help() {
    use clap::CommandFactory;
    fn walk(c: &clap::Command, path: Vec<String>, out: &mut Vec<Vec<String>>) {
        for s in c.get_subcommands() {
            let mut p = path.clone();
            p.push(s.get_name().to_string());
            out.push(p.clone());
            walk(s, p, out);
        }
    }
    let mut all = Vec::new();
    walk(&jobtrend::cli::Cli::command(), Vec::new(), &mut all);
    assert!(all.len() >= 16, "{all:?}");
    for p in all {
        let (code, out, _) = split(jobtrend().args(&p).arg("--help").output().unwrap());
        assert_eq!(code, 0, "{p:?}");
        assert!(out.contains("Examples:\n  jobtrend "), "no examples in `jobtrend {} --help`", p.join(" "));
    }
}

#[test]
fn an_io_error_is_printed_once() {
    let tmp = tempdir();
    let missing = tmp.path().join("missing.toml");
    let (code, _, err) = split(jobtrend().args(["run", "--config"]).arg(&missing).output().unwrap());
    assert_eq!(code, 2, "{err}");
    assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
    assert!(err.contains(&missing.display().to_string()), "{err}");
}

#[test]
fn a_zero_chart_size_is_a_usage_error_at_once() {
    let tmp = tempdir();
    let out = tmp.path().join("r");
    for flag in ["--width", "--height"] {
        let (code, _, err) = run(&tmp.path().join("data"), &["report", "--out", out.to_str().unwrap(), flag, "0"]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("0 is not in"), "{err}");
        assert_eq!(err.lines().count(), err.lines().filter(|l| !l.contains("WARN")).count(), "{err}");
        assert!(!out.exists());
    }
}
