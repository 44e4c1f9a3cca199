//! `examples/spark/{ingest,trends}.py` in Spark local mode against `jobtrend` on the same pages.
//! Skipped with a message when `java` or `pyspark` is missing (`.ci/run` installs both).

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::process::Command;

use jobtrend::store;

use crate::common::{fixture, jobtrend, read, root, shared_data, tempdir};

/// True when `python3` can import pyspark and `java` runs; else says why the test is skipped.
fn spark_available(test: &str) -> bool {
    let java = Command::new("java").arg("-version").output().is_ok_and(|o| o.status.success());
    let pyspark = Command::new("python3").args(["-c", "import pyspark"]).output().is_ok_and(|o| o.status.success());
    if !(java && pyspark) {
        eprintln!("SKIP {test}: needs java ({java}) and python3 with pyspark ({pyspark}); .ci/run installs them");
    }
    java && pyspark
}

/// `python3 examples/spark/<script> --master local[2] ARGS...` with the built binary; panics
/// with its stderr when it fails.
fn spark_script(script: &str, args: &[&str]) {
    let out = Command::new("python3")
        .arg(root().join("examples/spark").join(script))
        .args(["--master", "local[2]"])
        .args(args)
        .env("JOBTREND_BIN", assert_cmd::cargo::cargo_bin("jobtrend"))
        .env("SPARK_LOCAL_IP", "127.0.0.1")
        .env("PYSPARK_PYTHON", "python3")
        .env_remove("JOBTREND_DATA")
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "{script} exited {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn jobtrend_ok(data: &Path, args: &[&str]) -> String {
    let out = jobtrend().arg("--data").arg(data).args(args).output().expect("run jobtrend");
    assert!(out.status.success(), "jobtrend {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}

/// id -> posting as JSON without `ingested_at`; panics on a duplicate id.
fn postings(data: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for mut p in store::read_all(data).expect("read dataset") {
        p.ingested_at = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
        let id = p.id.clone();
        assert!(out.insert(id.clone(), serde_json::to_string(&p).unwrap()).is_none(), "duplicate id {id}");
    }
    out
}

/// Spark ingest of `pages` equals `jobtrend ingest html` of them, and trends.py's CSV equals
/// `jobtrend trends --format csv` byte for byte. Returns the number of postings.
fn spark_matches_jobtrend(pages: &Path) -> usize {
    let tmp = tempdir();
    let (plain, spark) = (tmp.path().join("plain"), tmp.path().join("spark"));
    let out = jobtrend().arg("--data").arg(&plain).args(["-q", "ingest", "html"]).arg(pages).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    spark_script("ingest.py", &["--data", spark.to_str().unwrap(), pages.to_str().unwrap()]);
    let (want, got) = (postings(&plain), postings(&spark));
    assert_eq!(got.len(), want.len(), "postings stored by Spark");
    assert_eq!(got.keys().collect::<HashSet<_>>(), want.keys().collect::<HashSet<_>>(), "ids");
    assert!(got == want, "Spark stored other content than jobtrend for some ids");

    // `jobtrend trends` builds the match index the Spark job reads.
    let expected = jobtrend_ok(&spark, &["trends", "--format", "csv"]);
    assert_eq!(expected, jobtrend_ok(&plain, &["trends", "--format", "csv"]));
    assert!(spark.join("index/CURRENT").exists(), "ingest and compact leave the match index trends.py reads");
    let csv = tmp.path().join("trends.csv");
    spark_script("trends.py", &["--data", spark.to_str().unwrap(), "--out", csv.to_str().unwrap()]);
    let actual = read(&csv);
    assert_eq!(actual.lines().count(), expected.lines().count(), "rows");
    for (a, e) in actual.lines().zip(expected.lines()) {
        assert_eq!(a, e);
    }
    assert_eq!(actual, expected);
    got.len()
}

#[test]
fn spark_on_the_fixtures_equals_jobtrend() {
    if !spark_available("spark_on_the_fixtures_equals_jobtrend") {
        return;
    }
    let n = spark_matches_jobtrend(&fixture("html/hn"));
    assert!(n > 20, "{n} postings");
}

#[test]
fn spark_on_the_saved_hn_pages_gives_the_exact_counts() {
    let test = "spark_on_the_saved_hn_pages_gives_the_exact_counts";
    let Some(shared) = shared_data(test) else { return };
    if !spark_available(test) {
        return;
    }
    let n = spark_matches_jobtrend(&shared.join("hn-whoishiring/html"));
    assert_eq!(n, 54_299);
}
