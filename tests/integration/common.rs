//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The repo root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/<rel>`.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// The HN fixture pages (`tests/fixtures/html/hn/*.html`), sorted.
pub fn hn_pages() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(fixture("html/hn"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    v.sort();
    v
}

/// `../shared/data`, or `None` (with a message on stderr) when it is absent.
pub fn shared_data(test: &str) -> Option<PathBuf> {
    let p = root().join("../shared/data");
    if p.join("README.md").exists() {
        Some(p)
    } else {
        eprintln!("SKIP {test}: ../shared/data is absent (real-data tests need it beside the repo)");
        None
    }
}

/// The jobtrend binary, with logging colours off.
pub fn jobtrend() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("jobtrend").expect("binary built");
    c.env_remove("JOBTREND_DATA").env_remove("RUST_LOG");
    c
}

/// A fresh temp dir for one test.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

pub fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
}

/// Spawns `jobtrend ARGS` with `env` (a `JOBTREND_PAUSE_AFTER_*` hook among them), waits for the
/// stderr line that contains `paused` (e.g. "paused after 1 months"), sends `sig`, and returns
/// (exit code, or `None` when the signal killed it; the whole stderr).
pub fn signal_when_paused(args: &[&str], env: &[(&str, &str)], paused: &str, sig: i32) -> (Option<i32>, String) {
    use std::io::{BufRead, BufReader, Read};
    use std::process::{Command, Stdio};
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("jobtrend"));
    cmd.args(args).env_remove("JOBTREND_DATA").env_remove("RUST_LOG").stdout(Stdio::null()).stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let mut reader = BufReader::new(child.stderr.take().unwrap());
    let mut err = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 {
            panic!("the command ended before pausing: {err}");
        }
        err.push_str(&line);
        if line.contains(paused) {
            break;
        }
    }
    // SAFETY: sending a signal to our own child process.
    unsafe {
        libc::kill(child.id() as i32, sig);
    }
    let mut rest = String::new();
    reader.read_to_string(&mut rest).unwrap();
    err.push_str(&rest);
    (child.wait().unwrap().code(), err)
}
