//! ATS boards (Ashby, SmartRecruiters, Workable) and the posting lifecycle, on wiremock.
//!
//! Hand-written payloads in the documented shapes (`tests/fixtures/feeds/{ashby,smartrecruiters,
//! workable}/`), SmartRecruiters paging and per-posting detail requests, then binary runs at
//! distinct times (`JOBTREND_NOW`, no sleeps): snapshots of one board that add, keep, remove and
//! bring back postings; fetches that fail (whole or half-way) and close nothing; `trends
//! --measure open`; a boards file with a failing board.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use jobtrend::lifecycle::Listing;
use jobtrend::sources::net::{self, NetOptions, NetSource, SourceOutcome, State};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common;

fn fx(rel: &str) -> Vec<u8> {
    let p = common::fixture(&format!("feeds/{rel}"));
    std::fs::read(&p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
}

fn opts(server: &MockServer) -> NetOptions {
    NetOptions {
        base_url: Some(server.uri()),
        timeout: Duration::from_secs(10),
        retries: 0,
        requests_per_second: 1000,
        ..Default::default()
    }
}

fn json_ok(body: Vec<u8>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, "application/json")
}

async fn serve(server: &MockServer, p: &str, body: Vec<u8>) {
    Mock::given(method("GET")).and(path(p)).respond_with(json_ok(body)).mount(server).await;
}

fn ids(out: &SourceOutcome) -> Vec<&str> {
    let mut v: Vec<&str> = out.postings.iter().map(|p| p.id.as_str()).collect();
    v.sort();
    v
}

fn listed(out: &SourceOutcome) -> Vec<(String, Listing)> {
    out.listings.iter().map(|l| (l.board.clone(), l.listing.clone())).collect()
}

#[tokio::test]
async fn ashby_payload_gives_its_listed_jobs_with_compensation() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/posting-api/job-board/acme"))
        .and(query_param("includeCompensation", "true"))
        .respond_with(json_ok(fx("ashby/job-board.json")))
        .mount(&server)
        .await;
    let out = net::fetch(&NetSource::Ashby { boards: vec!["acme".into()] }, &opts(&server), &State::default()).await;
    assert!(out.ok(), "{:?}", out.errors);
    let a1 = "ashby:acme:4e1f2a3b-0001-4c5d-9e8f-aa0000000001";
    let a2 = "ashby:acme:4e1f2a3b-0002-4c5d-9e8f-aa0000000002";
    // The unlisted job is left out, of the postings and of the listing.
    assert_eq!(ids(&out), vec![a1, a2]);
    assert_eq!(listed(&out), vec![("acme".to_string(), Listing::Ids(vec![a1.into(), a2.into()]))]);
    let p = &out.postings[0];
    assert_eq!(p.title.as_deref(), Some("Senior Backend Engineer (Rust)"));
    assert_eq!(p.location.as_deref(), Some("Berlin (Remote)"));
    assert_eq!(p.company.as_deref(), Some("acme"));
    assert_eq!(p.posted_at.unwrap().to_rfc3339(), "2026-01-15T09:30:00+00:00");
    assert!(p.text.contains("We build our APIs in Rust on PostgreSQL & Kafka."), "{}", p.text);
    let s = p.salary.as_ref().expect("salary");
    assert_eq!((s.min, s.max, s.currency.as_str(), s.period.as_str()), (80000.0, 100000.0, "EUR", "year"));
    // Empty HTML: the plain description.
    assert_eq!(out.postings[1].text, "Python, dbt and Snowflake pipelines.");
    assert!(out.postings[1].salary.is_none());
}

#[tokio::test]
async fn workable_payload_gives_its_jobs() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/widget/accounts/globex"))
        .and(query_param("details", "true"))
        .respond_with(json_ok(fx("workable/account.json")))
        .mount(&server)
        .await;
    let src = NetSource::Workable { accounts: vec!["globex".into()] };
    let out = net::fetch(&src, &opts(&server), &State::default()).await;
    assert!(out.ok(), "{:?}", out.errors);
    assert_eq!(ids(&out), vec!["workable:globex:6A1B2C3D4E", "workable:globex:7F8E9D0C1B"]);
    let p = &out.postings[0];
    assert_eq!(p.company.as_deref(), Some("Globex Corporation"));
    assert_eq!(p.location.as_deref(), Some("Athens, Attica, Greece (Remote)"));
    assert_eq!(p.posted_at.unwrap().to_rfc3339(), "2026-02-03T00:00:00+00:00");
    assert!(p.text.starts_with("Kubernetes and Terraform on AWS."), "{}", p.text);
    assert!(p.text.contains("Requirements") && p.text.contains("3+ years of Go"), "{}", p.text);
    assert_eq!(p.url.as_deref(), Some("https://apply.workable.com/j/6A1B2C3D4E"));
    let q = &out.postings[1];
    // No publish date: the creation date; no city fields: the first location.
    assert_eq!(q.posted_at.unwrap().to_rfc3339(), "2026-02-10T00:00:00+00:00");
    assert_eq!(q.location.as_deref(), Some("Lisbon, Lisbon, Portugal"));
    assert_eq!(out.listings.len(), 1);
}

async fn mount_sr_list(server: &MockServer, page2_ok: bool) {
    Mock::given(method("GET"))
        .and(path("/v1/companies/Initech/postings"))
        .and(query_param("offset", "0"))
        .and(query_param("limit", "100"))
        .respond_with(json_ok(fx("smartrecruiters/postings-0.json")))
        .mount(server)
        .await;
    let page2 = if page2_ok {
        json_ok(fx("smartrecruiters/postings-2.json"))
    } else {
        ResponseTemplate::new(500).set_body_string("upstream error")
    };
    Mock::given(method("GET"))
        .and(path("/v1/companies/Initech/postings"))
        .and(query_param("offset", "2"))
        .respond_with(page2)
        .mount(server)
        .await;
}

async fn mount_sr_details(server: &MockServer, expect: &[u32]) {
    for n in 1..=3u32 {
        let id = format!("74400001000000{n}");
        Mock::given(method("GET"))
            .and(path(format!("/v1/companies/Initech/postings/{id}")))
            .respond_with(json_ok(fx(&format!("smartrecruiters/posting-{id}.json"))))
            .expect(u64::from(expect.contains(&n)))
            .mount(server)
            .await;
    }
}

#[tokio::test]
async fn smartrecruiters_pages_until_total_found_and_fetches_text_of_new_postings_only() {
    let server = MockServer::start().await;
    mount_sr_list(&server, true).await;
    // Posting 2 is stored already: its detail is not asked for (wiremock checks the counts).
    mount_sr_details(&server, &[1, 3]).await;
    let known: HashSet<String> = ["smartrecruiters:Initech:744000010000002".to_string()].into();
    let o = NetOptions { known_ids: Arc::new(known), ..opts(&server) };
    let src = NetSource::SmartRecruiters { companies: vec!["Initech".into()] };
    let out = net::fetch(&src, &o, &State::default()).await;
    assert!(out.ok(), "{:?}", out.errors);
    assert_eq!(ids(&out), vec!["smartrecruiters:Initech:744000010000001", "smartrecruiters:Initech:744000010000003"]);
    let all: Vec<String> = (1..=3).map(|n| format!("smartrecruiters:Initech:74400001000000{n}")).collect();
    assert_eq!(listed(&out), vec![("Initech".to_string(), Listing::Ids(all))]);
    let p = &out.postings[0];
    assert_eq!(p.title.as_deref(), Some("Java Developer"));
    assert_eq!(p.location.as_deref(), Some("Austin, TX, United States"));
    assert_eq!(p.url.as_deref(), Some("https://jobs.smartrecruiters.com/Initech/744000010000001-posting-1"));
    assert_eq!(p.posted_at.unwrap().to_rfc3339(), "2026-01-05T10:00:00+00:00");
    for want in ["Initech makes TPS reports.", "Spring Boot services in Java and Kotlin.", "PostgreSQL", "Hybrid work."]
    {
        assert!(p.text.contains(want), "{want:?} not in {:?}", p.text);
    }
    assert_eq!(out.requests, 4, "2 pages + 2 details");
}

#[tokio::test]
async fn smartrecruiters_page_2_failing_gives_no_listing_but_keeps_page_1() {
    let server = MockServer::start().await;
    mount_sr_list(&server, false).await;
    mount_sr_details(&server, &[1, 2]).await;
    let src = NetSource::SmartRecruiters { companies: vec!["Initech".into()] };
    let out = net::fetch(&src, &opts(&server), &State::default()).await;
    assert_eq!(out.errors.len(), 1, "{:?}", out.errors);
    assert!(out.errors[0].contains("/v1/companies/Initech/postings?offset=2&limit=100: HTTP 500"), "{:?}", out.errors);
    assert!(out.listings.is_empty(), "a partial fetch is no snapshot");
    assert_eq!(ids(&out).len(), 2);
}

#[tokio::test]
async fn smartrecruiters_pages_ending_before_total_found_are_cut_short() {
    let server = MockServer::start().await;
    mount_sr_list(&server, true).await;
    Mock::given(method("GET"))
        .and(path("/v1/companies/Initech/postings"))
        .and(query_param("offset", "2"))
        .respond_with(json_ok(br#"{"offset":2,"limit":100,"totalFound":3,"content":[]}"#.to_vec()))
        .with_priority(1)
        .mount(&server)
        .await;
    mount_sr_details(&server, &[1, 2]).await;
    let src = NetSource::SmartRecruiters { companies: vec!["Initech".into()] };
    let out = net::fetch(&src, &opts(&server), &State::default()).await;
    assert!(out.errors.iter().any(|e| e.contains("pagination cut short: 2 of totalFound 3")), "{:?}", out.errors);
    assert!(out.listings.is_empty());
}

// ---------------------------------------------------------------- the binary, over time

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// Runs `jobtrend ARGS` with `JOBTREND_NOW=now` (off the async runtime).
async fn run_at(now: &str, args: Vec<String>) -> std::process::Output {
    let now = now.to_string();
    tokio::task::spawn_blocking(move || {
        common::jobtrend().env("JOBTREND_NOW", now).args(&args).output().expect("run jobtrend")
    })
    .await
    .expect("join")
}

fn stdout_json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn ashby_job(n: u32, published: &str) -> Value {
    json!({
        "id": format!("job-{n}"),
        "title": format!("Backend Engineer {n}"),
        "location": "Remote",
        "isRemote": true,
        "isListed": true,
        "publishedAt": published,
        "jobUrl": format!("https://jobs.ashbyhq.com/acme/job-{n}"),
        "descriptionHtml": "<p>Rust services on PostgreSQL.</p>"
    })
}

/// The acme board listing jobs `which` (1: published 2026-01-15, 2: 2026-01-20, 3: 2026-02-10),
/// or failing with 500 when `None`.
async fn mount_acme(server: &MockServer, which: Option<&[u32]>) {
    server.reset().await;
    let published = |n: u32| match n {
        1 => "2026-01-15T10:00:00Z",
        2 => "2026-01-20T10:00:00Z",
        _ => "2026-02-10T10:00:00Z",
    };
    let resp = match which {
        Some(w) => {
            let jobs: Vec<Value> = w.iter().map(|&n| ashby_job(n, published(n))).collect();
            json_ok(serde_json::to_vec(&json!({"apiVersion": "1", "jobs": jobs})).unwrap())
        }
        None => ResponseTemplate::new(500),
    };
    Mock::given(method("GET")).and(path("/posting-api/job-board/acme")).respond_with(resp).mount(server).await;
}

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// `period -> postings` of a `trends --format csv` output (one keyword).
fn postings_per_period(csv: &[u8]) -> BTreeMap<String, u64> {
    let text = String::from_utf8_lossy(csv);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("period,keyword,mentions,postings,share,ci_low,ci_high,flagged"));
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_string(), f[3].parse().unwrap())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lifecycle_over_snapshots_added_unchanged_removed_failed_back_and_open_trends() {
    let server = MockServer::start().await;
    let dir = common::tempdir();
    let data = dir.path().join("data");
    let d = data.to_str().unwrap().to_string();
    let uri = server.uri();
    let ingest = args(&["--data", &d, "ingest", "ashby", "acme", "--base-url", &uri, "--retries", "0", "--json"]);
    // (time, ids listed or a failing fetch, exit code, (open, closed, reopened)).
    type Step<'a> = (&'a str, Option<&'a [u32]>, i32, (u64, u64, u64));
    let steps: [Step<'_>; 5] = [
        ("2026-01-25T12:00:00Z", Some(&[1, 2]), 0, (2, 0, 0)),
        ("2026-02-15T12:00:00Z", Some(&[1, 2, 3]), 0, (3, 0, 0)),
        ("2026-03-15T12:00:00Z", Some(&[1, 3]), 0, (2, 1, 0)),
        // The board fails: no snapshot, nothing closes.
        ("2026-04-10T12:00:00Z", None, 1, (2, 1, 0)),
        ("2026-05-15T12:00:00Z", Some(&[1, 2, 3]), 0, (3, 0, 1)),
    ];
    for (now, which, code, (open, closed, reopened)) in steps {
        mount_acme(&server, which).await;
        let out = run_at(now, ingest.clone()).await;
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{now}: {err}");
        let l = &stdout_json(&out)["lifecycle"];
        assert_eq!(
            (l["open"].as_u64(), l["closed"].as_u64(), l["reopened"].as_u64()),
            (Some(open), Some(closed), Some(reopened)),
            "{now}: {l}"
        );
        assert_eq!(l["boards"], 1);
        assert_eq!(l["boards_complete"], u64::from(which.is_some()), "{now}");
        assert_eq!(l["snapshot"].is_null(), which.is_none(), "{now}");
        if which.is_none() {
            assert!(err.contains("/posting-api/job-board/acme?includeCompensation=true: HTTP 500"), "{err}");
        }
    }
    let snaps = std::fs::read_dir(data.join("snapshots/source=ashby")).unwrap().count();
    assert_eq!(snaps, 4, "one snapshot per complete fetch");
    lives_follow_the_snapshots(&data);
    stats_and_trends_follow_the_lifecycle(&d).await;
}

/// After the five fetches of the lifecycle test: each posting's first and last sighting, closes and reopens.
fn lives_follow_the_snapshots(data: &std::path::Path) {
    let (lives, problems) = jobtrend::lifecycle::load(data);
    assert!(problems.is_empty(), "{problems:?}");
    let life = |n: u32| &lives[&format!("ashby:acme:job-{n}")];
    let (t1, t2, t3, t5) =
        (t("2026-01-25T12:00:00Z"), t("2026-02-15T12:00:00Z"), t("2026-03-15T12:00:00Z"), t("2026-05-15T12:00:00Z"));
    assert_eq!((life(1).first_seen, life(1).last_seen, life(1).closed_at, life(1).reopened), (t1, t5, None, 0));
    assert_eq!((life(2).first_seen, life(2).last_seen, life(2).closed_at, life(2).reopened), (t1, t5, None, 1));
    assert_eq!((life(2).intervals[0].last_seen, life(2).intervals[0].closed_at), (t2, Some(t3)));
    assert_eq!((life(3).first_seen, life(3).last_seen, life(3).closed_at), (t2, t5, None));
}

/// After the five fetches of the lifecycle test: `stats` and `trends --measure open|new` read the lifecycle.
async fn stats_and_trends_follow_the_lifecycle(d: &str) {
    let stats = run_at("2026-05-16T00:00:00Z", args(&["--data", d, "stats", "--json"])).await;
    assert_eq!(stats.status.code(), Some(0));
    assert_eq!(
        stdout_json(&stats)["lifecycle"],
        json!([{"source": "ashby", "boards": 1, "snapshots": 4, "open": 3, "closed": 0, "reopened": 1}])
    );

    let trends = |measure: &'static str| {
        args(&[
            "--data",
            d,
            "trends",
            "--source",
            "ashby",
            "--keywords",
            "rust",
            "--format",
            "csv",
            "--measure",
            measure,
        ])
    };
    let open = run_at("2026-05-16T00:00:00Z", trends("open")).await;
    assert_eq!(open.status.code(), Some(0), "{}", String::from_utf8_lossy(&open.stderr));
    // 1: Jan..May; 2: Jan..Mar (closed 15 Mar), May; 3: Feb..May.
    let want: BTreeMap<String, u64> = [("2026-01", 2), ("2026-02", 3), ("2026-03", 3), ("2026-04", 2), ("2026-05", 3)]
        .into_iter()
        .map(|(m, n)| (m.to_string(), n))
        .collect();
    assert_eq!(postings_per_period(&open.stdout), want);
    let new = run_at("2026-05-16T00:00:00Z", trends("new")).await;
    let want: BTreeMap<String, u64> =
        [("2026-01", 2), ("2026-02", 1)].into_iter().map(|(m, n)| (m.to_string(), n)).collect();
    assert_eq!(postings_per_period(&new.stdout), want);
    let since = run_at(
        "2026-05-16T00:00:00Z",
        args(&[
            "--data",
            d,
            "trends",
            "--keywords",
            "rust",
            "--format",
            "csv",
            "--measure",
            "open",
            "--since",
            "2026-04",
        ]),
    )
    .await;
    let want: BTreeMap<String, u64> =
        [("2026-04", 2), ("2026-05", 3)].into_iter().map(|(m, n)| (m.to_string(), n)).collect();
    assert_eq!(postings_per_period(&since.stdout), want);
    let quarter =
        run_at("2026-05-16T00:00:00Z", args(&["--data", d, "trends", "--measure", "open", "--by", "quarter"])).await;
    assert_eq!(quarter.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&quarter.stderr).contains("--measure open counts per month only"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smartrecruiters_fetch_failing_half_way_closes_nothing() {
    let server = MockServer::start().await;
    let dir = common::tempdir();
    let data = dir.path().join("data");
    let d = data.to_str().unwrap().to_string();
    let uri = server.uri();
    let ingest =
        args(&["--data", &d, "ingest", "smartrecruiters", "Initech", "--base-url", &uri, "--retries", "0", "--json"]);
    mount_sr_list(&server, true).await;
    mount_sr_details(&server, &[1, 2, 3]).await;
    let first = run_at("2026-01-10T00:00:00Z", ingest.clone()).await;
    assert_eq!(first.status.code(), Some(0), "{}", String::from_utf8_lossy(&first.stderr));
    assert_eq!(stdout_json(&first)["new"], 3);
    // Page 2 fails: 2 of 3 listed, yet the third is not closed.
    server.reset().await;
    mount_sr_list(&server, false).await;
    let second = run_at("2026-01-20T00:00:00Z", ingest.clone()).await;
    assert_eq!(second.status.code(), Some(1));
    let l = &stdout_json(&second)["lifecycle"];
    assert_eq!((l["boards_complete"].as_u64(), l["open"].as_u64(), l["closed"].as_u64()), (Some(0), Some(3), Some(0)));
    let (lives, _) = jobtrend::lifecycle::load(&data);
    assert!(lives.values().all(|l| l.closed_at.is_none() && l.last_seen == t("2026-01-10T00:00:00Z")));
    // A complete fetch without posting 3 closes it; no detail is asked for (all are stored).
    server.reset().await;
    Mock::given(method("GET"))
        .and(path("/v1/companies/Initech/postings"))
        .respond_with(json_ok(
            br#"{"offset":0,"limit":100,"totalFound":2,"content":[{"id":"744000010000001"},{"id":"744000010000002"}]}"#
                .to_vec(),
        ))
        .mount(&server)
        .await;
    let third = run_at("2026-01-30T00:00:00Z", ingest).await;
    assert_eq!(third.status.code(), Some(0), "{}", String::from_utf8_lossy(&third.stderr));
    let s = stdout_json(&third);
    assert_eq!((s["requests"].as_u64(), s["lifecycle"]["closed"].as_u64()), (Some(1), Some(1)));
    let (lives, _) = jobtrend::lifecycle::load(&data);
    assert_eq!(lives["smartrecruiters:Initech:744000010000003"].closed_at, Some(t("2026-01-30T00:00:00Z")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boards_file_with_a_failing_board_exits_1_and_keeps_the_rest() {
    let server = MockServer::start().await;
    serve(&server, "/api/v1/widget/accounts/globex", fx("workable/account.json")).await;
    serve(&server, "/api/v1/widget/accounts/empty", br#"{"name":"Empty Co","jobs":[]}"#.to_vec()).await;
    Mock::given(method("GET"))
        .and(path("/api/v1/widget/accounts/gone"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let dir = common::tempdir();
    let file = dir.path().join("accounts.txt");
    std::fs::write(&file, "# Workable accounts\nglobex\n\ngone   # closed its account\nempty\nglobex\n").unwrap();
    let data = dir.path().join("data");
    let out = run_at(
        "2026-02-20T00:00:00Z",
        args(&[
            "--data",
            data.to_str().unwrap(),
            "ingest",
            "workable",
            "--boards",
            file.to_str().unwrap(),
            "--base-url",
            &server.uri(),
            "--retries",
            "0",
            "--json",
        ]),
    )
    .await;
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("workable: ") && err.contains("/api/v1/widget/accounts/gone?details=true: HTTP 404"), "{err}");
    let s = stdout_json(&out);
    assert_eq!((s["new"].as_u64(), s["lifecycle"]["boards"].as_u64()), (Some(2), Some(3)));
    assert_eq!(s["lifecycle"]["boards_complete"], 2);
    let (snaps, _) = jobtrend::lifecycle::read_snapshots(&data, Some("workable"));
    let boards: Vec<&str> = snaps.iter().map(|s| s.board.as_str()).collect();
    assert_eq!(boards, vec!["globex", "empty"]);
    assert!(Path::new(&data).join("postings").is_dir());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_304_is_an_unchanged_snapshot_that_keeps_postings_open() {
    let server = MockServer::start().await;
    let body = serde_json::to_vec(&json!({"apiVersion": "1", "jobs": [ashby_job(1, "2026-01-15T10:00:00Z")]})).unwrap();
    Mock::given(method("GET"))
        .and(path("/posting-api/job-board/acme"))
        .and(wiremock::matchers::header("if-none-match", "\"v1\""))
        .respond_with(ResponseTemplate::new(304))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/posting-api/job-board/acme"))
        .respond_with(json_ok(body).insert_header("etag", "\"v1\""))
        .mount(&server)
        .await;
    let dir = common::tempdir();
    let data = dir.path().join("data");
    let a = args(&["--data", data.to_str().unwrap(), "ingest", "ashby", "acme", "--base-url", &server.uri(), "--json"]);
    assert_eq!(run_at("2026-01-20T00:00:00Z", a.clone()).await.status.code(), Some(0));
    let second = run_at("2026-02-20T00:00:00Z", a).await;
    assert_eq!(second.status.code(), Some(0));
    assert_eq!(stdout_json(&second)["not_modified"], 1);
    let (lives, _) = jobtrend::lifecycle::load(&data);
    let l = &lives["ashby:acme:job-1"];
    assert_eq!((l.first_seen, l.last_seen, l.closed_at), (t("2026-01-20T00:00:00Z"), t("2026-02-20T00:00:00Z"), None));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_reads_boards_files_from_the_config_and_a_missing_one_fails_only_its_source() {
    let server = MockServer::start().await;
    serve(&server, "/api/v1/widget/accounts/globex", fx("workable/account.json")).await;
    Mock::given(method("GET"))
        .and(path("/api/v1/widget/accounts/gone"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let dir = common::tempdir();
    std::fs::write(dir.path().join("accounts.txt"), "globex\ngone\n").unwrap();
    let cfg = dir.path().join("jobtrend.toml");
    std::fs::write(
        &cfg,
        format!(
            "data = \"data\"\nreports = \"reports\"\n[[sources]]\nkind = \"workable\"\nboards_file = \"accounts.txt\"\n\
             base_url = \"{uri}\"\n[[sources]]\nkind = \"ashby\"\nname = \"missing\"\nboards_file = \"nope.txt\"\n\
             base_url = \"{uri}\"\n",
            uri = server.uri()
        ),
    )
    .unwrap();
    let out = run_at("2026-02-20T00:00:00Z", args(&["run", "--config", cfg.to_str().unwrap()])).await;
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("accounts/gone?details=true: HTTP 404"), "{err}");
    assert!(err.contains("missing: boards file ") && err.contains("nope.txt"), "{err}");
    let data = dir.path().join("data");
    let (snaps, _) = jobtrend::lifecycle::read_snapshots(&data, Some("workable"));
    assert_eq!(snaps.iter().map(|s| s.board.as_str()).collect::<Vec<_>>(), vec!["globex"]);
    assert_eq!(snaps[0].fetched_at, t("2026-02-20T00:00:00Z"));
    let runs = common::read(&data.join("runs.jsonl"));
    let rec: Value = serde_json::from_str(runs.lines().last().unwrap()).unwrap();
    assert_eq!(rec["sources"][0]["new"], 2);
    assert_eq!(rec["sources"][1]["errors"].as_array().map(Vec::len), Some(1));
}
