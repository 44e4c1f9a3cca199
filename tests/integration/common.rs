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
