//! `jobtrend ingest warc` and `jobtrend ingest wdc` on the hand-written fixtures of
//! `tests/fixtures/warc` (written by its `make.py`) and `tests/fixtures/wdc`, through the binary;
//! URLs and `--paths` against wiremock on loopback.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{fixture, jobtrend, tempdir};

fn run(data: &Path, args: &[&str]) -> (i32, Value, String) {
    let out = jobtrend().arg("--data").arg(data).args(args).arg("--json").output().expect("run jobtrend");
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), summary, String::from_utf8_lossy(&out.stderr).into_owned())
}

fn fx(rel: &str) -> PathBuf {
    fixture(rel)
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// id → (source, month, date_source, company) of every stored posting.
fn stored(data: &Path) -> BTreeMap<String, (String, String, String, String)> {
    jobtrend::store::read_all(data)
        .expect("read dataset")
        .into_iter()
        .map(|p| {
            let ds = p.date_source.map(|d| d.as_str().to_string()).unwrap_or_default();
            (p.id, (p.source, p.month, ds, p.company.unwrap_or_default()))
        })
        .collect()
}

fn row(source: &str, month: &str, ds: &str, company: &str) -> (String, String, String, String) {
    (source.into(), month.into(), ds.into(), company.into())
}

const CC: &str = "warc/cc-sample.warc.gz";

fn cc_expected() -> BTreeMap<String, (String, String, String, String)> {
    [
        ("jsonld:https://jobs.acme.example/jobs/rust-backend", row("warc", "2024-02", "posting", "Acme Robotics")),
        ("jsonld:https://careers.globex.example/openings/42", row("warc", "2024-03", "crawl", "Globex")),
        ("jsonld:https://board.example/job/a", row("warc", "2023-12", "posting", "Hooli")),
        ("jsonld:https://board.example/job/b", row("warc", "2024-01", "posting", "Pied Piper")),
        ("jsonld:https://initech.example/jobs/sre", row("warc", "2024-03", "posting", "Initech")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

#[test]
fn warc_gz_fixture_gives_exactly_its_postings_and_counts() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    let (code, sum, err) = run(&data, &["ingest", "warc", s(&fx(CC))]);
    // The truncated member is a broken record: reported, the rest read, exit 1.
    assert_eq!(code, 1, "stderr: {err}");
    assert_eq!(
        (sum["inputs"].as_u64(), sum["inputs_read"].as_u64(), sum["inputs_failed"].as_u64()),
        (Some(1), Some(1), Some(0))
    );
    assert_eq!(sum["records"], 12, "{sum}");
    assert_eq!(sum["responses"], 8, "{sum}");
    assert_eq!(sum["broken_records"], 1, "{sum}");
    let skipped: BTreeMap<String, u64> = serde_json::from_value(sum["skipped"].clone()).unwrap();
    let want: BTreeMap<String, u64> = [
        ("warcinfo", 1),
        ("request", 1),
        ("revisit", 1),
        ("metadata", 1),
        ("other_type", 0),
        ("not_http", 0),
        ("not_ok", 1),
        ("not_html", 1),
        ("too_large", 0),
        ("encoding", 0),
        ("no_job_posting", 2),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(skipped, want);
    assert_eq!((sum["postings_found"].as_u64(), sum["pages_with_postings"].as_u64()), (Some(5), Some(4)));
    assert_eq!((sum["new"].as_u64(), sum["known"].as_u64()), (Some(5), Some(0)));
    // The broken member: record 12, at the offset of its gzip member (as a CDX index gives it).
    let bytes = std::fs::read(fx(CC)).unwrap();
    let member_12 = nth_member_offset(&bytes, 11);
    let p = &sum["problems"][0];
    assert_eq!((p["record"].as_u64(), p["offset"].as_u64()), (Some(12), Some(member_12)), "{sum}");
    assert!(p["reason"].as_str().unwrap().starts_with("broken gzip member: "), "{p}");
    assert!(
        err.contains(&format!("cc-sample.warc.gz: record 12 at offset {member_12}: broken gzip member: ")),
        "{err}"
    );
    // The page whose only JSON-LD block is broken: a warning naming the page.
    let w = sum["warnings"].as_array().unwrap();
    assert_eq!(w.len(), 1, "{sum}");
    assert_eq!(w[0]["record"], 9);
    assert!(w[0]["reason"].as_str().unwrap().starts_with("https://data.example/jobs/7: JSON-LD block"), "{w:?}");
    assert!(err.contains("warc: 1 inputs (1 read, 0 failed): 12 records, 8 responses, 1 broken"), "{err}");

    assert_eq!(stored(&data), cc_expected());
    let all = jobtrend::store::read_all(&data).unwrap();
    let b = all.iter().find(|p| p.id == "jsonld:https://board.example/job/b").unwrap();
    let sal = b.salary.as_ref().expect("salary");
    assert_eq!((sal.min, sal.max, sal.currency.as_str(), sal.period.as_str()), (120000.0, 150000.0, "USD", "year"));
    let globex = all.iter().find(|p| p.id.contains("globex")).unwrap();
    assert_eq!(globex.posted_at, None, "a crawl date is not a publication date");
    assert_eq!(globex.text, "Go services, Terraform and AWS. On call one week in six.");

    // Idempotent: the same file again adds nothing.
    let (code, sum, _) = run(&data, &["ingest", "warc", s(&fx(CC))]);
    assert_eq!(code, 1);
    assert_eq!((sum["new"].as_u64(), sum["known"].as_u64()), (Some(0), Some(5)));
}

/// Offset of the `n`-th (0-based) gzip member, found by decoding members one by one.
fn nth_member_offset(bytes: &[u8], n: usize) -> u64 {
    let mut at = 0usize;
    for _ in 0..n {
        let mut d = flate2::bufread::GzDecoder::new(&bytes[at..]);
        std::io::copy(&mut d, &mut std::io::sink()).expect("a whole member");
        let rest = d.into_inner().len();
        at = bytes.len() - rest;
    }
    at as u64
}

#[test]
fn plain_warc_with_a_broken_record_and_a_page_seen_as_html_first() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    let plain = fx("warc/plain.warc");
    let (code, sum, err) = run(&data, &["ingest", "warc", s(&plain)]);
    assert_eq!(code, 1, "{err}");
    let bytes = std::fs::read(&plain).unwrap();
    let needle = b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://plain.example/broken";
    let broken_at = bytes.windows(needle.len()).position(|w| w == needle).expect("the broken record");
    let p = &sum["problems"][0];
    assert_eq!((p["record"].as_u64(), p["offset"].as_u64()), (Some(3), Some(broken_at as u64)), "{sum}");
    assert_eq!(p["reason"], "no Content-Length header");
    assert_eq!((sum["records"].as_u64(), sum["postings_found"].as_u64()), (Some(3), Some(2)), "{sum}");
    let want: BTreeMap<_, _> = [
        (
            "jsonld:https://plain.example/jobs/data-engineer".to_string(),
            row("warc", "2022-11", "posting", "Plainfield Data"),
        ),
        ("jsonld:https://plain.example/jobs/ml".to_string(), row("warc", "2022-12", "crawl", "Plainfield Data")),
    ]
    .into_iter()
    .collect();
    assert_eq!(stored(&data), want);

    // The acme page saved as HTML, then the WARC holding it: the page is stored once.
    let data2 = tmp.path().join("data2");
    let (code, sum, err) = run(&data2, &["ingest", "html", s(&fx("warc/job-page.html"))]);
    assert_eq!((code, sum["new"].as_u64()), (0, Some(1)), "{err}");
    let (_, sum, _) = run(&data2, &["ingest", "warc", s(&fx(CC))]);
    assert_eq!((sum["new"].as_u64(), sum["known"].as_u64()), (Some(4), Some(1)), "{sum}");
    assert_eq!(stored(&data2)["jsonld:https://jobs.acme.example/jobs/rust-backend"].0, "jsonld");
}

fn wdc_expected() -> BTreeMap<String, (String, String, String, String)> {
    let multi = jobtrend::posting::short_hash(&["Elixir developer", "Multi Corp", "2021-09-14"]);
    [
        (
            "jsonld:https://jobs.acme.example/jobs/rust-backend".to_string(),
            row("wdc", "2024-02", "posting", "Acme Robotics"),
        ),
        (
            "jsonld:https://careers.hooli.example/jobs/123?ref=board".to_string(),
            row("wdc", "2023-06", "posting", "Hooli"),
        ),
        (format!("jsonld:{multi}"), row("wdc", "2021-09", "posting", "Multi Corp")),
    ]
    .into_iter()
    .collect()
}

#[test]
fn wdc_nquads_give_exactly_their_postings_gzipped_or_not() {
    let tmp = tempdir();
    for (i, file) in ["wdc/jobs.nq.gz", "wdc/jobs.nq"].into_iter().enumerate() {
        let data = tmp.path().join(format!("data{i}"));
        let (code, sum, err) = run(&data, &["ingest", "wdc", s(&fx(file))]);
        // Two lines are not N-Quads: reported with their line numbers, the rest read, exit 1.
        assert_eq!(code, 1, "{file}: {err}");
        assert_eq!(sum["bad_lines"], 2, "{sum}");
        let lines: Vec<u64> = sum["problems"].as_array().unwrap().iter().map(|p| p["line"].as_u64().unwrap()).collect();
        assert_eq!(lines, vec![31, 34], "{sum}");
        assert!(err.contains(&format!("{}: line 31: ", fx(file).display())), "{err}");
        assert_eq!(sum["pages"], 5, "{sum}");
        assert_eq!(sum["pages_without_job_posting"], 2, "{sum}");
        assert_eq!(sum["job_nodes"], 4, "{sum}");
        assert_eq!(sum["undated"], 1, "{sum}");
        assert_eq!((sum["postings_found"].as_u64(), sum["new"].as_u64()), (Some(3), Some(3)), "{sum}");
        assert_eq!(stored(&data), wdc_expected(), "{file}");
        let all = jobtrend::store::read_all(&data).unwrap();
        let hooli = all.iter().find(|p| p.id.contains("hooli")).unwrap();
        let sal = hooli.salary.as_ref().expect("salary");
        assert_eq!((sal.min, sal.max, sal.currency.as_str(), sal.period.as_str()), (60000.0, 80000.0, "EUR", "year"));
        assert_eq!(hooli.title.as_deref(), Some("Kotlin engineer"));
        let acme = all.iter().find(|p| p.id.contains("acme")).unwrap();
        assert_eq!(acme.location.as_deref(), Some("Lyon, FR"));
        assert_eq!(acme.text, "We build warehouse robots. Rust, PostgreSQL and Kafka on Kubernetes.");
        let (_, again, _) = run(&data, &["ingest", "wdc", s(&fx(file))]);
        assert_eq!((again["new"].as_u64(), again["known"].as_u64()), (Some(0), Some(3)));
    }
    // The acme page read from a WARC file first: the WDC copy of it is the same posting.
    let data = tmp.path().join("both");
    run(&data, &["ingest", "warc", s(&fx(CC))]);
    let (_, sum, _) = run(&data, &["ingest", "wdc", s(&fx("wdc/jobs.nq.gz"))]);
    assert_eq!((sum["new"].as_u64(), sum["known"].as_u64()), (Some(2), Some(1)), "{sum}");
}

// Multi-threaded: the dataset is read with Polars at the end, which blocks in place.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warc_by_url_and_from_a_paths_list() {
    let server = MockServer::start().await;
    let cc = std::fs::read(fx(CC)).unwrap();
    let plain = std::fs::read(fx("warc/plain.warc")).unwrap();
    for (p, body) in [("/crawl-data/CC-TEST/segments/1/warc/a.warc.gz", cc), ("/mirror/b.warc", plain)] {
        Mock::given(method("GET"))
            .and(path(p))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/octet-stream"))
            .mount(&server)
            .await;
    }
    let tmp = tempdir();
    let list = tmp.path().join("warc.paths");
    std::fs::write(
        &list,
        "crawl-data/CC-TEST/segments/1/warc/a.warc.gz\ncrawl-data/CC-TEST/segments/1/warc/gone.warc.gz\n",
    )
    .unwrap();
    let data = tmp.path().join("data");
    let uri = server.uri();
    let url_b = format!("{uri}/mirror/b.warc");
    let args: Vec<String> = ["ingest", "warc", &url_b, "--paths", s(&list), "--base-url", &uri, "--retries", "0"]
        .iter()
        .map(|a| a.to_string())
        .collect();
    let d = data.clone();
    let out = tokio::task::spawn_blocking(move || {
        jobtrend().arg("--data").arg(&d).args(&args).arg("--json").output().unwrap()
    })
    .await
    .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let sum: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (sum["inputs"].as_u64(), sum["inputs_read"].as_u64(), sum["inputs_failed"].as_u64()),
        (Some(3), Some(2), Some(1)),
        "{sum}"
    );
    assert_eq!((sum["postings_found"].as_u64(), sum["new"].as_u64()), (Some(7), Some(7)), "{sum}");
    assert!(err.contains(&format!("{uri}/crawl-data/CC-TEST/segments/1/warc/gone.warc.gz: HTTP 404")), "{err}");
    let mut want = cc_expected();
    want.insert(
        "jsonld:https://plain.example/jobs/data-engineer".into(),
        row("warc", "2022-11", "posting", "Plainfield Data"),
    );
    want.insert("jsonld:https://plain.example/jobs/ml".into(), row("warc", "2022-12", "crawl", "Plainfield Data"));
    assert_eq!(stored(&data), want);
}

#[test]
fn no_readable_input_exits_2_and_usage_needs_an_input() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    let (code, sum, err) = run(&data, &["ingest", "warc", s(&tmp.path().join("missing.warc.gz"))]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(sum["inputs_failed"], 1);
    assert!(err.contains("missing.warc.gz: No such file or directory"), "{err}");
    let out = jobtrend().arg("--data").arg(&data).args(["ingest", "warc"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
