//! `jobtrend ingest <source>` as a binary against local HTTP servers (wiremock on loopback), with
//! the fixtures and server helpers of `feeds.rs`: each source stored once and a rerun adding
//! nothing, an offline run, conditional requests on a second run over the recorded real feeds,
//! and one month from saved HTML and the API stored once.

use std::path::Path;

use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request};

use crate::common;
use crate::feeds::{fx, mount_hn_fixture, mount_wwr, ok, real, serve};

async fn run_bin(args: Vec<String>) -> std::process::Output {
    tokio::task::spawn_blocking(move || common::jobtrend().args(&args).output().expect("run jobtrend"))
        .await
        .expect("join")
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn summary(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn stored_ids(data: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        jobtrend::store::read_all(data).expect("read the dataset").into_iter().map(|p| p.id).collect();
    v.sort();
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binary_ingests_each_source_and_a_rerun_adds_nothing() {
    let server = MockServer::start().await;
    mount_hn_fixture(&server).await;
    serve(&server, "/v1/boards/northwind/jobs", fx("greenhouse/jobs.json"), "application/json").await;
    serve(&server, "/v0/postings/lumen", fx("lever/postings.json"), "application/json").await;
    serve(&server, "/api", fx("remoteok/api.json"), "application/json").await;
    serve(&server, "/api/remote-jobs", fx("remotive/remote-jobs.json"), "application/json").await;
    Mock::given(method("GET"))
        .and(path("/api/job-board-api"))
        .and(query_param("page", "2"))
        .respond_with(ok(fx("arbeitnow/page2.json"), "application/json"))
        .with_priority(1)
        .mount(&server)
        .await;
    serve(&server, "/api/job-board-api", fx("arbeitnow/page1.json"), "application/json").await;
    serve(&server, "/all.atom", fx("feed/all.atom"), "application/atom+xml").await;
    let dir = common::tempdir();
    let data = dir.path().join("data");
    let d = data.to_str().unwrap();
    let uri = server.uri();
    let cases: [(&[&str], usize); 7] = [
        (&["hn", "--since", "2020-02"], 4),
        (&["greenhouse", "northwind"], 2),
        (&["lever", "lumen"], 2),
        (&["remoteok"], 2),
        (&["remotive"], 2),
        (&["arbeitnow"], 3),
        (&["feed", "/all.atom"], 2),
    ];
    let mut total = 0;
    for (cmd, n) in cases {
        let mut a = args(&["--data", d, "ingest"]);
        a.extend(args(cmd));
        a.extend(args(&["--base-url", &uri, "--json"]));
        let out = run_bin(a.clone()).await;
        assert_eq!(out.status.code(), Some(0), "{a:?}: {}", String::from_utf8_lossy(&out.stderr));
        let s = summary(&out);
        assert_eq!((s["new"].as_u64(), s["known"].as_u64()), (Some(n as u64), Some(0)), "{a:?}: {s}");
        total += n;
        let again = run_bin(a.clone()).await;
        assert_eq!(again.status.code(), Some(0));
        assert_eq!(summary(&again)["new"].as_u64(), Some(0), "{a:?}");
    }
    assert_eq!(stored_ids(&data).len(), total);
    assert!(data.join("state/net.json").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binary_offline_says_could_not_reach_once_and_exits_1() {
    let dir = common::tempdir();
    let d = dir.path().join("data");
    let out = run_bin(args(&[
        "--data",
        d.to_str().unwrap(),
        "ingest",
        "feed",
        "/a.rss",
        "/b.rss",
        "--base-url",
        "http://127.0.0.1:1",
        "--retries",
        "0",
    ]))
    .await;
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("feed: could not reach 127.0.0.1:1: ").count(), 1, "{err}");
    assert!(err.contains("0 postings found"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binary_real_wwr_feeds_second_run_adds_0_with_conditional_requests() {
    let Some(feeds) = real("binary_real_wwr_feeds_second_run_adds_0_with_conditional_requests") else { return };
    let server = MockServer::start().await;
    let urls = mount_wwr(&server, &feeds).await;
    let dir = common::tempdir();
    let data = dir.path().join("data");
    let mut a = args(&["--data", data.to_str().unwrap(), "ingest", "feed"]);
    a.extend(urls);
    a.extend(args(&["--base-url", &server.uri(), "--json"]));
    let first = run_bin(a.clone()).await;
    assert_eq!(first.status.code(), Some(0), "{}", String::from_utf8_lossy(&first.stderr));
    assert_eq!(summary(&first)["new"].as_u64(), Some(503));
    let second = run_bin(a).await;
    assert_eq!(second.status.code(), Some(0));
    let s = summary(&second);
    assert_eq!((s["new"].as_u64(), s["not_modified"].as_u64()), (Some(0), Some(12)), "{s}");
    assert_eq!(stored_ids(&data).len(), 503);
    let reqs: Vec<Request> = server.received_requests().await.unwrap();
    let conditional = reqs
        .iter()
        .filter(|r| r.headers.contains_key("if-none-match") && r.headers.contains_key("if-modified-since"))
        .count();
    assert_eq!((reqs.len(), conditional), (24, 12));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn same_month_from_saved_html_and_the_api_is_stored_once() {
    let server = MockServer::start().await;
    serve(&server, "/api/v1/search_by_date", fx("hn/search_2026.json"), "application/json").await;
    serve(&server, "/api/v1/items/47000001", fx("hn/items_47000001.json"), "application/json").await;
    let page = common::fixture("feeds/hn/thread-2026-02.html");
    for order in [["html", "hn"], ["hn", "html"]] {
        let dir = common::tempdir();
        let data = dir.path().join("data");
        let d = data.to_str().unwrap().to_string();
        let mut seen = Vec::new();
        for step in order {
            let a = if step == "html" {
                args(&["--data", &d, "ingest", "html", page.to_str().unwrap(), "--json"])
            } else {
                args(&[
                    "--data",
                    &d,
                    "ingest",
                    "hn",
                    "--since",
                    "2026-02",
                    "--until",
                    "2026-02",
                    "--base-url",
                    &server.uri(),
                    "--json",
                ])
            };
            let out = run_bin(a).await;
            assert_eq!(out.status.code(), Some(0), "{step}: {}", String::from_utf8_lossy(&out.stderr));
            let s = summary(&out);
            seen.push((s["new"].as_u64().unwrap(), s["known"].as_u64().unwrap()));
        }
        assert_eq!(seen, [(2, 0), (0, 2)], "order {order:?}");
        assert_eq!(stored_ids(&data), ["hn:47000011", "hn:47000013"]);
    }
}
