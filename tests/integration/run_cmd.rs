//! `jobtrend run` under crashes, overlaps and signals, on the real corpus.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use polars::prelude::*;

use crate::common::{shared_data, tempdir};

fn config(dir: &Path, html: &Path) -> PathBuf {
    let cfg = dir.join("jobtrend.toml");
    std::fs::write(
        &cfg,
        format!(
            "data = \"data\"\nreports = \"reports\"\n[[sources]]\nkind = \"html\"\npath = \"{}\"\n",
            html.display()
        ),
    )
    .unwrap();
    cfg
}

fn spawn_run(cfg: &Path, extra: &[&str], flush: Option<&str>) -> Child {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("jobtrend"));
    c.args(["-q", "run", "--config"])
        .arg(cfg)
        .args(extra)
        .env_remove("JOBTREND_DATA")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(f) = flush {
        c.env("JOBTREND_FLUSH_BYTES", f);
    }
    c.spawn().unwrap()
}

fn parquet_count(data: &Path) -> usize {
    let Ok(months) = std::fs::read_dir(data.join("postings")) else { return 0 };
    months
        .flatten()
        .filter_map(|m| std::fs::read_dir(m.path()).ok())
        .flat_map(|f| f.flatten())
        .filter(|f| f.file_name().to_string_lossy().ends_with(".parquet"))
        .count()
}

/// Reads the dataset back with a Polars Hive scan: (rows, distinct ids).
fn read_back(data: &Path) -> (usize, usize) {
    if parquet_count(data) == 0 {
        return (0, 0);
    }
    let glob = format!("{}/postings/**/*.parquet", data.display());
    let df = LazyFrame::scan_parquet(
        PlRefPath::new(glob),
        ScanArgsParquet { hive_options: HiveOptions::new_enabled(), ..Default::default() },
    )
    .unwrap()
    .select([col("id"), col("month")])
    .collect()
    .expect("the dataset reads back");
    let ids: HashSet<&str> = df.column("id").unwrap().str().unwrap().iter().flatten().collect();
    (df.height(), ids.len())
}

fn wait_until(mut cond: impl FnMut() -> bool, limit: Duration) -> bool {
    let t = Instant::now();
    while t.elapsed() < limit {
        if cond() {
            return true;
        }
        std::thread::yield_now();
    }
    false
}

#[test]
fn sigkill_at_several_points_then_the_next_run_completes_exactly() {
    let Some(shared) = shared_data("sigkill_at_several_points_then_the_next_run_completes_exactly") else { return };
    let tmp = tempdir();
    let cfg = config(tmp.path(), &shared.join("hn-whoishiring/html"));
    let data = tmp.path().join("data");
    // Kill after 1, 30 and 120 more part files (small flushes give hundreds of parts).
    for more in [1usize, 30, 120] {
        let base = parquet_count(&data);
        let mut child = spawn_run(&cfg, &[], Some("300000"));
        let reached = wait_until(|| parquet_count(&data) >= base + more, Duration::from_secs(120));
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(reached, "never reached {more} more part files");
        let (rows, ids) = read_back(&data);
        assert_eq!(rows, ids, "no duplicates after a kill (+{more} parts)");
        assert!(rows < 54_299, "killed before the end");
    }
    // The next run ends with exactly the corpus, once.
    let out = spawn_run(&cfg, &[], None).wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(read_back(&data), (54_299, 54_299));
    assert!(tmp.path().join("reports/index.html").exists());
}

#[test]
fn two_runs_at_once_one_works_the_other_exits_3_or_waits() {
    let Some(shared) = shared_data("two_runs_at_once_one_works_the_other_exits_3_or_waits") else { return };
    let tmp = tempdir();
    let cfg = config(tmp.path(), &shared.join("hn-whoishiring/html"));
    let data = tmp.path().join("data");
    let first = spawn_run(&cfg, &[], None);
    // Start the second once the first holds the lock (it writes its pid into the lock file).
    let lock = data.join("lock");
    assert!(wait_until(|| std::fs::read_to_string(&lock).is_ok_and(|s| !s.trim().is_empty()), Duration::from_secs(30)));
    let second = spawn_run(&cfg, &[], None).wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(3), "{err}");
    let want = format!("another run (pid {}) holds {}", first.id(), lock.display());
    assert!(err.contains(&want), "{err}");
    // A third with --wait waits for the first and then adds nothing.
    let third = spawn_run(&cfg, &["--wait"], None);
    let first = first.wait_with_output().unwrap();
    assert_eq!(first.status.code(), Some(0), "{}", String::from_utf8_lossy(&first.stderr));
    let third = third.wait_with_output().unwrap();
    assert_eq!(third.status.code(), Some(0), "{}", String::from_utf8_lossy(&third.stderr));
    assert_eq!(read_back(&data), (54_299, 54_299));
    let log = std::fs::read_to_string(data.join("runs.jsonl")).unwrap();
    let news: Vec<u64> = log
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["sources"][0]["new"].as_u64().unwrap())
        .collect();
    assert_eq!(news, [54_299, 0], "the first run did the work, the waiting one found nothing new");
}

#[test]
fn sigterm_ends_the_run_cleanly_between_files() {
    let Some(shared) = shared_data("sigterm_ends_the_run_cleanly_between_files") else { return };
    let tmp = tempdir();
    let cfg = config(tmp.path(), &shared.join("hn-whoishiring/html"));
    let data = tmp.path().join("data");
    let child = spawn_run(&cfg, &[], Some("300000"));
    assert!(wait_until(|| parquet_count(&data) >= 5, Duration::from_secs(60)));
    // SAFETY: sending a signal to our own child process.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "interrupted runs exit 1: {err}");
    let (rows, ids) = read_back(&data);
    assert_eq!(rows, ids);
    assert!(rows < 54_299 && rows > 0, "{rows}");
    let log = std::fs::read_to_string(data.join("runs.jsonl")).unwrap();
    assert!(log.contains("\"interrupted\":true"), "{log}");
    // The next run completes it.
    let out = spawn_run(&cfg, &[], None).wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(read_back(&data), (54_299, 54_299));
}
