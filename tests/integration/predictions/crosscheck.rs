//! The verdict statistics against an independent implementation: `benches/stats_crosscheck.py`
//! recomputes every claim's per-source and combined estimate, interval and p-value from the counts
//! `check --counts` exports, with statsmodels / scipy, and exits 1 on any difference beyond the
//! printed precision. Runs on the real corpus; skips with a message when `../shared/data` or the
//! Python packages are absent (`.ci/run` installs them).

use std::process::Command;

use crate::common::{jobtrend, root, shared_data, tempdir};

fn python_has_statsmodels() -> bool {
    Command::new("python3").args(["-c", "import statsmodels, scipy, numpy"]).status().is_ok_and(|s| s.success())
}

#[test]
fn verdict_statistics_agree_with_statsmodels_on_the_real_corpus() {
    let Some(shared) = shared_data("verdict_statistics_agree_with_statsmodels_on_the_real_corpus") else { return };
    if !python_has_statsmodels() {
        eprintln!("SKIP verdict_statistics_agree_with_statsmodels: python3 with statsmodels, scipy, numpy is absent");
        return;
    }
    let tmp = tempdir();
    let data = tmp.path().join("data");
    let html = shared.join("hn-whoishiring/html");
    jobtrend()
        .args(["--data", data.to_str().unwrap(), "-q", "ingest", "html", html.to_str().unwrap()])
        .assert()
        .code(0);
    let counts = tmp.path().join("counts.csv");
    let out = jobtrend()
        .args(["--data", data.to_str().unwrap(), "check", "--format", "json", "--counts", counts.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let json = tmp.path().join("check.json");
    std::fs::write(&json, &out.stdout).unwrap();
    let py = Command::new("python3")
        .arg(root().join("benches/stats_crosscheck.py"))
        .args([&counts, &json])
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&py.stdout);
    assert!(py.status.success(), "cross-check failed:\n{table}\n{}", String::from_utf8_lossy(&py.stderr));
    let compared = table.lines().filter(|l| l.trim_end().ends_with(" ok")).count();
    assert!(compared >= 16, "at least 8 claims (per source and combined) compared, got {compared} rows:\n{table}");
    assert!(table.contains("0 mismatch"), "{table}");
}
