//! Public feeds and APIs against local HTTP servers (wiremock on loopback).
//!
//! Hand-written fixtures in the shapes of each API (`tests/fixtures/feeds/`), fault cases
//! (429 + Retry-After, 503 twice, a timeout, truncated and invalid bodies, 304, an oversized
//! body, an unreachable host), pagination, then replays of the recorded real responses in
//! `../shared/data/feeds` (skipped when absent). Binary-level runs of `jobtrend ingest <source>`
//! against the same servers: `feeds_bin.rs`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jobtrend::posting::Posting;
use jobtrend::sources::net::{self, NetOptions, NetSource, SourceOutcome, State};
use wiremock::matchers::{header, header_regex, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::common;

pub(crate) fn fx(rel: &str) -> Vec<u8> {
    let p = common::fixture(&format!("feeds/{rel}"));
    std::fs::read(&p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
}

fn opts(server: &MockServer) -> NetOptions {
    NetOptions {
        base_url: Some(server.uri()),
        timeout: Duration::from_secs(10),
        retries: 3,
        backoff_min: Duration::from_millis(5),
        backoff_max: Duration::from_millis(40),
        requests_per_second: 1000,
        ..Default::default()
    }
}

pub(crate) fn ok(body: Vec<u8>, mime: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, mime)
}

pub(crate) async fn serve(server: &MockServer, p: &str, body: Vec<u8>, mime: &str) {
    Mock::given(method("GET")).and(path(p)).respond_with(ok(body, mime)).mount(server).await;
}

fn ids(out: &SourceOutcome) -> Vec<&str> {
    out.postings.iter().map(|p| p.id.as_str()).collect()
}

fn by_id<'a>(out: &'a SourceOutcome, id: &str) -> &'a Posting {
    out.postings.iter().find(|p| p.id == id).unwrap_or_else(|| panic!("no posting {id} in {:?}", ids(out)))
}

async fn fetch(src: &NetSource, o: &NetOptions) -> SourceOutcome {
    net::fetch(src, o, &State::default()).await
}

pub(crate) async fn mount_hn_fixture(server: &MockServer) {
    serve(server, "/api/v1/search_by_date", fx("hn/search_by_date.json"), "application/json").await;
    serve(server, "/api/v1/items/900001", fx("hn/items_900001.json"), "application/json").await;
    serve(server, "/api/v1/items/800001", fx("hn/items_800001.json"), "application/json").await;
}

// ---------------------------------------------------------------- sources, fixture shapes

#[tokio::test]
async fn hn_threads_found_by_title_and_top_level_comments_kept() {
    let server = MockServer::start().await;
    mount_hn_fixture(&server).await;
    let src = NetSource::Hn { since: Some("2020-03".into()), until: Some("2020-03".into()), refresh: false };
    let out = fetch(&src, &opts(&server)).await;
    assert!(out.ok(), "{:?}", out.errors);
    assert_eq!(out.name, "hn");
    // The reply (900012) and the deleted comment (900013) are not postings; February is out of range.
    assert_eq!(ids(&out), ["hn:900011", "hn:900014", "hn:900015"]);
    let p = by_id(&out, "hn:900011");
    assert_eq!(p.month, "2020-03");
    assert_eq!(p.source, "hn");
    assert_eq!(p.url.as_deref(), Some("https://news.ycombinator.com/item?id=900011"));
    assert_eq!(p.posted_at.unwrap().to_rfc3339(), "2020-03-02T16:05:00+00:00");
    assert!(p.text.contains("Go and PostgreSQL & run on Kubernetes"), "{}", p.text);
    // March 2020 is over and was fetched without error: complete.
    assert_eq!(out.pending_state.hn_complete.get("900001").map(String::as_str), Some("2020-03"));
    // The "Who wants to be hired?" thread is never read.
    let reqs = server.received_requests().await.unwrap();
    assert!(reqs.iter().all(|r| r.url.path() != "/api/v1/items/900002"));
}

#[tokio::test]
async fn hn_complete_months_are_not_fetched_again_unless_refresh() {
    let server = MockServer::start().await;
    serve(&server, "/api/v1/search_by_date", fx("hn/search_by_date.json"), "application/json").await;
    Mock::given(method("GET"))
        .and(path("/api/v1/items/900001"))
        .respond_with(ok(fx("hn/items_900001.json"), "application/json"))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/items/800001"))
        .respond_with(ok(fx("hn/items_800001.json"), "application/json"))
        .expect(2)
        .mount(&server)
        .await;
    let dir = common::tempdir();
    let sd = dir.path().join("state");
    let o = opts(&server);
    let mut state = State::load(&sd).unwrap();
    let src = NetSource::Hn { since: None, until: None, refresh: false };
    let first = net::fetch(&src, &o, &state).await;
    assert_eq!(first.postings.len(), 4, "{:?}", ids(&first));
    state.commit(&sd, first.pending_state).unwrap();
    let state = State::load(&sd).unwrap();
    assert_eq!(state.hn_complete.len(), 2);
    let second = net::fetch(&src, &o, &state).await;
    assert!(second.ok() && second.postings.is_empty(), "{:?}", ids(&second));
    let refreshed = net::fetch(&NetSource::Hn { since: None, until: None, refresh: true }, &o, &state).await;
    assert_eq!(refreshed.postings.len(), 4);
    // `expect(2)` on each thread is checked when the server drops.
}

#[tokio::test]
async fn hn_falls_back_to_firebase_when_algolia_items_fail() {
    let server = MockServer::start().await;
    serve(&server, "/api/v1/search_by_date", fx("hn/search_by_date.json"), "application/json").await;
    Mock::given(method("GET"))
        .and(path("/api/v1/items/900001"))
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    for id in [900001, 900011, 900013, 900014, 900015] {
        serve(&server, &format!("/v0/item/{id}.json"), fx(&format!("hn/firebase_item_{id}.json")), "application/json")
            .await;
    }
    let src = NetSource::Hn { since: Some("2020-03".into()), until: Some("2020-03".into()), refresh: false };
    let mut o = opts(&server);
    o.retries = 1;
    let out = fetch(&src, &o).await;
    assert!(out.ok(), "{:?}", out.errors);
    assert_eq!(ids(&out), ["hn:900011", "hn:900014", "hn:900015"]);
    assert_eq!(by_id(&out, "hn:900014").posted_at.unwrap().to_rfc3339(), "2020-03-04T12:00:00+00:00");
}

#[tokio::test]
async fn greenhouse_double_escaped_content_and_pay_ranges() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/boards/northwind/jobs"))
        .and(query_param("content", "true"))
        .respond_with(ok(fx("greenhouse/jobs.json"), "application/json"))
        .mount(&server)
        .await;
    let out = fetch(&NetSource::Greenhouse { boards: vec!["northwind".into()] }, &opts(&server)).await;
    assert!(out.ok(), "{:?}", out.errors);
    assert_eq!(ids(&out), ["greenhouse:northwind:4012001", "greenhouse:northwind:4012002"]);
    let p = by_id(&out, "greenhouse:northwind:4012001");
    assert_eq!(p.title.as_deref(), Some("Senior Platform Engineer"));
    assert_eq!(p.company.as_deref(), Some("Northwind"));
    assert_eq!(p.location.as_deref(), Some("Remote - US"));
    assert_eq!(p.posted_at.unwrap().to_rfc3339(), "2025-05-28T13:00:00+00:00");
    assert!(!p.text.contains('<') && !p.text.contains("&lt;") && !p.text.contains("&amp;"), "{}", p.text);
    assert!(p.text.contains("What you'll do") && p.text.contains("Run Kubernetes & Terraform"), "{}", p.text);
    let s = p.salary.as_ref().unwrap();
    assert_eq!((s.min, s.max, s.currency.as_str(), s.period.as_str()), (170000.0, 210000.0, "USD", "year"));
    let q = by_id(&out, "greenhouse:northwind:4012002");
    assert_eq!(q.company.as_deref(), Some("northwind"));
    assert_eq!(q.text, "SQL, dbt and Looker. Hybrid, two days in the office.");
    assert!(q.salary.is_none());
}

#[tokio::test]
async fn greenhouse_unknown_board_is_an_error_and_the_others_go_on() {
    let server = MockServer::start().await;
    serve(&server, "/v1/boards/northwind/jobs", fx("greenhouse/jobs.json"), "application/json").await;
    Mock::given(method("GET"))
        .and(path("/v1/boards/nosuch/jobs"))
        .respond_with(ResponseTemplate::new(404))
        .expect(1)
        .mount(&server)
        .await;
    let src = NetSource::Greenhouse { boards: vec!["nosuch".into(), "../etc".into(), "northwind".into()] };
    let out = fetch(&src, &opts(&server)).await;
    assert_eq!(out.postings.len(), 2);
    assert_eq!(out.errors.len(), 2, "{:?}", out.errors);
    assert!(out.errors[0].ends_with("/v1/boards/nosuch/jobs?content=true: HTTP 404"), "{}", out.errors[0]);
    assert!(out.errors[1].contains("invalid board token"), "{}", out.errors[1]);
    assert!(!out.unreachable);
}

#[tokio::test]
async fn lever_postings_lists_and_salary_range() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v0/postings/lumen"))
        .and(query_param("mode", "json"))
        .respond_with(ok(fx("lever/postings.json"), "application/json"))
        .mount(&server)
        .await;
    let out = fetch(&NetSource::Lever { companies: vec!["lumen".into()] }, &opts(&server)).await;
    assert!(out.ok(), "{:?}", out.errors);
    assert_eq!(out.postings.len(), 2);
    let p = by_id(&out, "lever:lumen:5f1c2a9e-1b7d-4c3e-9a51-0d3c9b8e7a01");
    assert_eq!(p.title.as_deref(), Some("Backend Engineer"));
    assert_eq!(p.location.as_deref(), Some("Toronto"));
    assert_eq!(p.posted_at.unwrap().to_rfc3339(), "2025-06-03T13:20:00+00:00");
    for part in ["Lumen is hiring", "Requirements", "TypeScript or Kotlin", "gRPC", "learning budget"] {
        assert!(p.text.contains(part), "{part:?} missing in {}", p.text);
    }
    let s = p.salary.as_ref().unwrap();
    assert_eq!((s.min, s.max, s.currency.as_str(), s.period.as_str()), (140000.0, 170000.0, "CAD", "year"));
    assert!(by_id(&out, "lever:lumen:7a2b3c4d-0000-4e5f-8a9b-123456789abc").salary.is_none());
}

#[tokio::test]
async fn remoteok_skips_the_legal_notice_and_repairs_mojibake() {
    let server = MockServer::start().await;
    serve(&server, "/api", fx("remoteok/api.json"), "application/json").await;
    let out = fetch(&NetSource::RemoteOk, &opts(&server)).await;
    assert!(out.ok(), "{:?}", out.errors);
    assert_eq!(ids(&out), ["remoteok:1130801", "remoteok:1130802"]);
    let p = by_id(&out, "remoteok:1130801");
    assert!(p.text.contains("What You\u{2019}ll Do"), "{}", p.text);
    assert!(p.text.contains("Rust \u{2013} async"), "{}", p.text);
    assert!(p.text.contains("Café ordering"), "{}", p.text);
    assert!(!p.text.contains('\u{e2}') && !p.text.contains('\u{c3}'), "{}", p.text);
    let s = p.salary.as_ref().unwrap();
    assert_eq!((s.min, s.max, s.currency.as_str()), (150000.0, 190000.0, "USD"));
    assert!(by_id(&out, "remoteok:1130802").salary.is_none());
}

#[tokio::test]
async fn remotive_body_with_a_bom() {
    let server = MockServer::start().await;
    let body = fx("remotive/remote-jobs.json");
    assert!(body.starts_with(b"\xEF\xBB\xBF"));
    serve(&server, "/api/remote-jobs", body, "application/json").await;
    let out = fetch(&NetSource::Remotive, &opts(&server)).await;
    assert!(out.ok(), "{:?}", out.errors);
    assert_eq!(ids(&out), ["remotive:2100001", "remotive:2100002"]);
    let p = by_id(&out, "remotive:2100001");
    assert_eq!(p.posted_at.unwrap().to_rfc3339(), "2026-07-20T14:03:11+00:00");
    assert_eq!(p.company.as_deref(), Some("Cloudberry"));
    assert!(p.text.contains("Kubernetes platform") && p.text.contains("$90k - $120k"), "{}", p.text);
}

#[tokio::test]
async fn arbeitnow_paginates_with_absolute_next_links_rebased() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/job-board-api"))
        .and(query_param("page", "2"))
        .respond_with(ok(fx("arbeitnow/page2.json"), "application/json"))
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/job-board-api"))
        .respond_with(ok(fx("arbeitnow/page1.json"), "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let out = fetch(&NetSource::Arbeitnow, &opts(&server)).await;
    assert!(out.ok(), "{:?}", out.errors);
    assert_eq!(
        ids(&out),
        [
            "arbeitnow:backend-entwickler-berlin-100001",
            "arbeitnow:devops-engineer-remote-100002",
            "arbeitnow:frontend-entwickler-muenchen-100003"
        ]
    );
    assert_eq!(out.requests, 2);
    let p = by_id(&out, "arbeitnow:devops-engineer-remote-100002");
    assert_eq!(p.location.as_deref(), Some("Hamburg (remote)"));
    assert_eq!(by_id(&out, "arbeitnow:frontend-entwickler-muenchen-100003").location.as_deref(), Some("München"));
}

#[tokio::test]
async fn feeds_rss_atom_json_one_posting_per_item() {
    let server = MockServer::start().await;
    serve(&server, "/categories/back-end.rss", fx("feed/backend.rss"), "application/rss+xml").await;
    serve(&server, "/all.atom", fx("feed/all.atom"), "application/atom+xml").await;
    serve(&server, "/design.json", fx("feed/design.json"), "application/feed+json").await;
    let urls = vec![
        "https://jobs.example.org/categories/back-end.rss".to_string(),
        "https://jobs.example.org/all.atom".to_string(),
        "/design.json".to_string(),
    ];
    let out = fetch(&NetSource::Feed { urls }, &opts(&server)).await;
    assert!(out.ok(), "{:?}", out.errors);
    // The Acme item is in the RSS and the Atom feed: one posting.
    assert_eq!(
        ids(&out),
        [
            "feed:https://jobs.example.org/listings/acme-robotics-senior-rust-engineer",
            "feed:https://jobs.example.org/listings/bluefin-python-developer",
            "feed:tag:jobs.example.org,2022:listing-778",
            "feed:listing-901",
        ]
    );
    let p = by_id(&out, "feed:https://jobs.example.org/listings/acme-robotics-senior-rust-engineer");
    assert_eq!(p.title.as_deref(), Some("Acme Robotics: Senior Rust Engineer"));
    assert_eq!(p.posted_at.unwrap().to_rfc3339(), "2022-11-07T18:30:00+00:00");
    assert!(p.text.contains("We write Rust and PostgreSQL & ship"), "{}", p.text);
    let a = by_id(&out, "feed:tag:jobs.example.org,2022:listing-778");
    assert_eq!(a.posted_at.unwrap().to_rfc3339(), "2022-11-05T12:00:00+00:00");
    assert_eq!(a.text, "Linux, Bash and a calm voice.");
    assert_eq!(a.company.as_deref(), Some("Copperleaf"));
    let j = by_id(&out, "feed:listing-901");
    assert_eq!(j.url.as_deref(), Some("https://jobs.example.org/listings/dovetail-product-designer"));
    assert_eq!(j.text, "Figma and user research.");
}

// ---------------------------------------------------------------- shared behaviour, faults

#[tokio::test]
async fn sends_a_user_agent_with_a_contact_url_and_accepts_gzip() {
    let server = MockServer::start().await;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, &fx("remoteok/api.json")).unwrap();
    Mock::given(method("GET"))
        .and(path("/api"))
        .and(header_regex("user-agent", r"^jobtrend/\d+\.\d+\.\d+ \(\+https://"))
        .respond_with(ok(gz.finish().unwrap(), "application/json").insert_header("content-encoding", "gzip"))
        .expect(1)
        .mount(&server)
        .await;
    let out = fetch(&NetSource::RemoteOk, &opts(&server)).await;
    assert!(out.ok(), "{:?}", out.errors);
    assert_eq!(out.postings.len(), 2);
}

#[tokio::test]
async fn retry_after_is_honoured_on_429() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    serve(&server, "/api", fx("remoteok/api.json"), "application/json").await;
    let t = Instant::now();
    let out = fetch(&NetSource::RemoteOk, &opts(&server)).await;
    assert!(out.ok(), "{:?}", out.errors);
    assert_eq!(out.postings.len(), 2);
    assert_eq!(out.requests, 2);
    // The backoff alone is 5-40 ms: waiting ≥ 1 s is Retry-After's doing.
    assert!(t.elapsed() >= Duration::from_millis(950), "{:?}", t.elapsed());
}

#[tokio::test]
async fn retry_after_is_capped() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3600"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    serve(&server, "/api", fx("remoteok/api.json"), "application/json").await;
    let mut o = opts(&server);
    o.retry_after_cap = Duration::from_millis(300);
    let t = Instant::now();
    let out = fetch(&NetSource::RemoteOk, &o).await;
    assert!(out.ok(), "{:?}", out.errors);
    assert!(t.elapsed() >= Duration::from_millis(280) && t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
}

#[tokio::test]
async fn requests_to_one_host_are_rate_limited() {
    let server = MockServer::start().await;
    serve(&server, "/design.json", fx("feed/design.json"), "application/feed+json").await;
    let mut o = opts(&server);
    o.requests_per_second = 2;
    // Five requests at 2/s with a burst of 2: the last three wait about 0.5 s each.
    let urls = (0..5).map(|i| format!("/design.json?n={i}")).collect();
    let t = Instant::now();
    let out = fetch(&NetSource::Feed { urls }, &o).await;
    assert!(out.ok(), "{:?}", out.errors);
    assert_eq!((out.requests, out.postings.len()), (5, 1));
    assert!(t.elapsed() >= Duration::from_millis(1400), "{:?}", t.elapsed());
}

#[tokio::test]
async fn retries_503_twice_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/remote-jobs"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .up_to_n_times(2)
        .with_priority(1)
        .expect(2)
        .mount(&server)
        .await;
    serve(&server, "/api/remote-jobs", fx("remotive/remote-jobs.json"), "application/json").await;
    let out = fetch(&NetSource::Remotive, &opts(&server)).await;
    assert!(out.ok(), "{:?}", out.errors);
    assert_eq!((out.postings.len(), out.requests), (2, 3));
}

#[tokio::test]
async fn persistent_503_gives_a_clear_error_after_the_retries() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api"))
        .respond_with(ResponseTemplate::new(503))
        .expect(4)
        .mount(&server)
        .await;
    let out = fetch(&NetSource::RemoteOk, &opts(&server)).await;
    assert!(out.postings.is_empty());
    assert_eq!(out.errors, [format!("{}/api: HTTP 503 (after 4 attempts)", server.uri())]);
    assert!(!out.unreachable);
    assert!(out.pending_state.is_empty());
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api"))
        .respond_with(ok(fx("remoteok/api.json"), "application/json").set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let mut o = opts(&server);
    o.timeout = Duration::from_millis(200);
    o.retries = 1;
    let t = Instant::now();
    let out = fetch(&NetSource::RemoteOk, &o).await;
    assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
    assert!(out.postings.is_empty());
    assert_eq!(out.requests, 2);
    assert_eq!(out.errors.len(), 1);
    assert!(out.errors[0].contains("/api: timed out after 0.2s"), "{}", out.errors[0]);
}

#[tokio::test]
async fn truncated_json_is_an_error_naming_the_url_and_remembers_nothing() {
    let server = MockServer::start().await;
    let full = fx("remoteok/api.json");
    Mock::given(method("GET"))
        .and(path("/api"))
        .respond_with(ok(full[..full.len() / 2].to_vec(), "application/json").insert_header("etag", "\"v1\""))
        .mount(&server)
        .await;
    let out = fetch(&NetSource::RemoteOk, &opts(&server)).await;
    assert!(out.postings.is_empty(), "a truncated body gives no posting at all");
    assert_eq!(out.errors.len(), 1);
    assert!(out.errors[0].starts_with(&format!("{}/api: invalid JSON: truncated", server.uri())), "{}", out.errors[0]);
    // The ETag of a body that could not be used must not be sent back next time.
    assert!(out.pending_state.is_empty());
}

#[tokio::test]
async fn invalid_json_and_invalid_xml_are_errors() {
    let server = MockServer::start().await;
    serve(&server, "/v0/postings/lumen", b"<html><body>Maintenance</body></html>".to_vec(), "text/html").await;
    let out = fetch(&NetSource::Lever { companies: vec!["lumen".into()] }, &opts(&server)).await;
    assert!(out.postings.is_empty());
    assert!(
        out.errors[0].starts_with(&format!("{}/v0/postings/lumen?mode=json: invalid JSON", server.uri())),
        "{:?}",
        out.errors
    );

    let rss = String::from_utf8(fx("feed/backend.rss")).unwrap();
    let cut = &rss[..rss.find("<guid>https://jobs.example.org/listings/bluefin").unwrap()];
    serve(&server, "/cut.rss", cut.as_bytes().to_vec(), "application/rss+xml").await;
    serve(&server, "/garbage.rss", b"this is not a feed".to_vec(), "application/rss+xml").await;
    let src = NetSource::Feed { urls: vec!["/cut.rss".into(), "/garbage.rss".into()] };
    let out = fetch(&src, &opts(&server)).await;
    assert!(out.postings.is_empty(), "a cut-off feed is rejected as a whole: {:?}", ids(&out));
    assert_eq!(out.errors.len(), 2, "{:?}", out.errors);
    assert!(
        out.errors[0].starts_with(&format!("{}/cut.rss: invalid feed: truncated", server.uri())),
        "{}",
        out.errors[0]
    );
    assert!(out.errors[1].starts_with(&format!("{}/garbage.rss: invalid feed", server.uri())), "{}", out.errors[1]);
}

#[tokio::test]
async fn oversized_bodies_are_abandoned() {
    let server = MockServer::start().await;
    serve(&server, "/api", fx("remoteok/api.json"), "application/json").await;
    let mut o = opts(&server);
    o.max_bytes = 500;
    let out = fetch(&NetSource::RemoteOk, &o).await;
    assert!(out.postings.is_empty());
    assert!(out.errors[0].ends_with("/api: response larger than 500 bytes, abandoned"), "{:?}", out.errors);
}

#[tokio::test]
async fn conditional_requests_and_304() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/all.atom"))
        .and(header("if-none-match", "\"atom-v1\""))
        .respond_with(ResponseTemplate::new(304))
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/all.atom"))
        .respond_with(ok(fx("feed/all.atom"), "application/atom+xml").insert_header("etag", "\"atom-v1\""))
        .expect(1)
        .mount(&server)
        .await;
    let lm = "Tue, 08 Nov 2022 00:08:24 GMT";
    Mock::given(method("GET"))
        .and(path("/design.json"))
        // (wiremock's `header` matcher splits values at commas, which dates contain)
        .and(move |r: &Request| r.headers.get("if-modified-since").is_some_and(|v| v.as_bytes() == lm.as_bytes()))
        .respond_with(ResponseTemplate::new(304))
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/design.json"))
        .respond_with(ok(fx("feed/design.json"), "application/feed+json").insert_header("last-modified", lm))
        .expect(1)
        .mount(&server)
        .await;
    let dir = common::tempdir();
    let sd = dir.path().join("state");
    let src = NetSource::Feed { urls: vec!["/all.atom".into(), "/design.json".into()] };
    let o = opts(&server);
    let mut state = State::load(&sd).unwrap();
    let first = net::fetch(&src, &o, &state).await;
    assert_eq!((first.postings.len(), first.not_modified), (3, 0));
    // Nothing is remembered until the caller commits (after storing the postings).
    assert_eq!(State::load(&sd).unwrap(), State::default());
    state.commit(&sd, first.pending_state).unwrap();
    let state = State::load(&sd).unwrap();
    assert_eq!(state.http[&format!("{}/all.atom", server.uri())].etag.as_deref(), Some("\"atom-v1\""));
    let second = net::fetch(&src, &o, &state).await;
    assert!(second.ok(), "{:?}", second.errors);
    assert_eq!((second.postings.len(), second.not_modified, second.requests), (0, 2, 2));
    assert!(second.pending_state.is_empty());
}

#[tokio::test]
async fn an_unreachable_host_is_reported_once_per_source() {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    let o = NetOptions {
        base_url: Some("http://127.0.0.1:1".into()),
        retries: 2,
        backoff_min: Duration::from_millis(5),
        backoff_max: Duration::from_millis(20),
        ..Default::default()
    };
    let src = NetSource::Feed { urls: vec!["/a.rss".into(), "/b.rss".into(), "/c.rss".into()] };
    let out = fetch(&src, &o).await;
    assert!(out.unreachable);
    assert_eq!(out.errors.len(), 1, "{:?}", out.errors);
    assert!(out.errors[0].starts_with("could not reach 127.0.0.1:1: "), "{}", out.errors[0]);
    assert_eq!(out.requests, 3, "three attempts at the first URL, none at the others");
    let out = fetch(&NetSource::Hn { since: None, until: None, refresh: false }, &o).await;
    assert!(out.unreachable && out.errors.len() == 1, "{:?}", out.errors);
}

// ---------------------------------------------------------------- recorded real responses

pub(crate) fn real(test: &str) -> Option<PathBuf> {
    common::shared_data(test).map(|d| d.join("feeds"))
}

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
}

#[tokio::test]
async fn real_hn_april_2011_thread_gives_219_postings() {
    let Some(feeds) = real("real_hn_april_2011_thread_gives_219_postings") else { return };
    let server = MockServer::start().await;
    for page in 0..8 {
        Mock::given(method("GET"))
            .and(path("/api/v1/search_by_date"))
            .and(query_param("page", page.to_string()))
            .respond_with(ok(
                read(&feeds.join(format!("hn-algolia/search_by_date_whoishiring_stories_page{page}.json"))),
                "application/json",
            ))
            .mount(&server)
            .await;
    }
    serve(
        &server,
        "/api/v1/items/2396027",
        read(&feeds.join("hn-algolia/items_2396027_april2011.json")),
        "application/json",
    )
    .await;
    let src = NetSource::Hn { since: Some("2011-04".into()), until: Some("2011-04".into()), refresh: false };
    let out = fetch(&src, &opts(&server)).await;
    assert!(out.ok(), "{:?}", out.errors);
    assert_eq!(out.postings.len(), 219);
    assert!(out.postings.iter().all(|p| p.month == "2011-04" && p.posted_at.is_some() && !p.text.is_empty()));
    assert!(out.postings.iter().all(|p| p.id.starts_with("hn:") && !p.text.contains("<p>")));
}

#[tokio::test]
async fn real_remoteok_remotive_arbeitnow() {
    let Some(feeds) = real("real_remoteok_remotive_arbeitnow") else { return };
    let server = MockServer::start().await;
    serve(
        &server,
        "/api",
        read(&feeds.join("remoteok/remoteok_api_2026-03-16_JACKAS5-resume-helper.json")),
        "application/json",
    )
    .await;
    serve(
        &server,
        "/api/remote-jobs",
        read(&feeds.join("remotive/remotive_api_2026-07_WorkVerse.json")),
        "application/json",
    )
    .await;
    // The recording is page 1 (its `next` link is absolute, to page 2); page 2 is served empty.
    Mock::given(method("GET"))
        .and(path("/api/job-board-api"))
        .and(query_param("page", "2"))
        .respond_with(ok(br#"{"data": [], "links": {"next": null}, "meta": {}}"#.to_vec(), "application/json"))
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    serve(
        &server,
        "/api/job-board-api",
        read(&feeds.join("arbeitnow/arbeitnow_job-board-api_2026-05_Creampanda-jobscout.json")),
        "application/json",
    )
    .await;
    let o = opts(&server);

    // RemoteOK: 98 elements, element 0 the legal notice: 97 jobs.
    let out = fetch(&NetSource::RemoteOk, &o).await;
    assert!(out.ok(), "{:?}", out.errors);
    assert_eq!(out.postings.len(), 97);
    let mojibake = |s: &str| s.contains("\u{e2}\u{80}") || s.contains("\u{c3}\u{a9}") || s.contains("â€");
    let left: Vec<_> = out.postings.iter().filter(|p| mojibake(&p.text)).map(|p| p.id.as_str()).collect();
    assert!(left.is_empty(), "mojibake left in {left:?}");
    assert!(out.postings.iter().filter(|p| p.text.contains('\u{2019}')).count() >= 40);
    assert!(out.postings.iter().any(|p| p.salary.is_some()));

    let out = fetch(&NetSource::Remotive, &o).await;
    assert!(out.ok(), "{:?}", out.errors);
    assert_eq!(out.postings.len(), 35);

    let out = fetch(&NetSource::Arbeitnow, &o).await;
    assert!(out.ok(), "{:?}", out.errors);
    assert_eq!(out.postings.len(), 100);
    assert_eq!(out.requests, 2);
}

/// The 12 We Work Remotely feeds of the recordings (also served by `predictions::with_feeds`).
pub(crate) const WWR: [&str; 12] = [
    "all-other-remote-jobs.rss",
    "remote-back-end-programming-jobs.rss",
    "remote-customer-support-jobs.rss",
    "remote-design-jobs.rss",
    "remote-devops-sysadmin-jobs.rss",
    "remote-front-end-programming-jobs.rss",
    "remote-full-stack-programming-jobs.rss",
    "remote-jobs.rss",
    "remote-management-and-finance-jobs.rss",
    "remote-product-jobs.rss",
    "remote-programming-jobs.rss",
    "remote-sales-and-marketing-jobs.rss",
];

/// Serves the 12 We Work Remotely feeds with an ETag and a Last-Modified each; a request that
/// sends the ETag back gets 304.
pub(crate) async fn mount_wwr(server: &MockServer, feeds: &Path) -> Vec<String> {
    let mut urls = Vec::new();
    for (i, f) in WWR.iter().enumerate() {
        let p = format!("/categories/{f}");
        let etag = format!("\"wwr-{i}\"");
        Mock::given(method("GET"))
            .and(path(p.as_str()))
            .and(header("if-none-match", etag.as_str()))
            .respond_with(ResponseTemplate::new(304))
            .with_priority(1)
            .mount(server)
            .await;
        Mock::given(method("GET"))
            .and(path(p.as_str()))
            .respond_with(
                ok(read(&feeds.join("weworkremotely-rss").join(f)), "application/rss+xml")
                    .insert_header("etag", etag.as_str())
                    .insert_header("last-modified", "Tue, 08 Nov 2022 00:10:00 GMT"),
            )
            .mount(server)
            .await;
        urls.push(format!("https://weworkremotely.com{p}"));
    }
    urls
}

#[tokio::test]
async fn real_wwr_feeds_give_503_distinct_postings_then_304s() {
    let Some(feeds) = real("real_wwr_feeds_give_503_distinct_postings_then_304s") else { return };
    let server = MockServer::start().await;
    let urls = mount_wwr(&server, &feeds).await;
    let dir = common::tempdir();
    let sd = dir.path().join("state");
    let src = NetSource::Feed { urls };
    let o = opts(&server);
    let mut state = State::load(&sd).unwrap();
    let first = net::fetch(&src, &o, &state).await;
    assert!(first.ok(), "{:?}", first.errors);
    assert_eq!(first.postings.len(), 503);
    assert_eq!(first.postings.iter().map(|p| &p.id).collect::<HashSet<_>>().len(), 503);
    assert!(first.postings.iter().all(|p| p.posted_at.is_some() && p.title.is_some()));
    state.commit(&sd, first.pending_state).unwrap();
    let second = net::fetch(&src, &o, &State::load(&sd).unwrap()).await;
    assert!(second.ok(), "{:?}", second.errors);
    assert_eq!((second.postings.len(), second.not_modified), (0, 12));
}
