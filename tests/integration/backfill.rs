//! The HN backfill (`run` / `ingest hn` without `since`): resumable month by month, offline
//! hint; and the per-source audience in `stats` and the report.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use jobtrend::posting::Posting;
use jobtrend::store::{self, Store};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::common::{fixture, root, tempdir};

/// Three months of "Who is hiring?" threads, ids 7001..7003, two postings each.
const MONTHS: [(u64, &str, &str); 3] =
    [(7001, "January 2019", "2019-01"), (7002, "February 2019", "2019-02"), (7003, "March 2019", "2019-03")];

fn thread_ts(month: &str) -> i64 {
    let (y, m) = (month[..4].parse().unwrap(), month[5..].parse().unwrap());
    Utc.with_ymd_and_hms(y, m, 1, 16, 0, 0).unwrap().timestamp()
}

async fn mount_threads(server: &MockServer) {
    let mut hits: Vec<Value> = MONTHS
        .iter()
        .map(|(id, name, month)| {
            json!({"title": format!("Ask HN: Who is hiring? ({name})"), "objectID": id.to_string(),
                   "created_at_i": thread_ts(month)})
        })
        .collect();
    hits.push(json!({"title": "Ask HN: Who wants to be hired? (March 2019)", "objectID": "7009",
                     "created_at_i": thread_ts("2019-03") + 5}));
    hits.reverse();
    let search = json!({"hits": hits, "nbHits": 4, "page": 0, "nbPages": 1, "hitsPerPage": 100});
    Mock::given(method("GET"))
        .and(path("/api/v1/search_by_date"))
        .respond_with(ResponseTemplate::new(200).set_body_json(search))
        .mount(server)
        .await;
    mount_threads_items_only(server).await;
}

async fn mount_threads_items_only(server: &MockServer) {
    for (id, name, month) in MONTHS {
        let t = thread_ts(month);
        let tree = json!({"id": id, "type": "story", "title": format!("Ask HN: Who is hiring? ({name})"),
            "created_at_i": t, "children": [
                {"id": id * 10 + 1, "type": "comment", "created_at_i": t + 60,
                 "text": "<p>Acme | Backend engineer | Rust, PostgreSQL | Remote</p>", "children": []},
                {"id": id * 10 + 2, "type": "comment", "created_at_i": t + 120,
                 "text": "<p>Globex | SRE | Kubernetes, Go | Berlin</p>",
                 "children": [{"id": id * 10 + 3, "type": "comment", "text": "a reply, not a posting"}]}]});
        Mock::given(method("GET"))
            .and(path(format!("/api/v1/items/{id}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(tree))
            .mount(server)
            .await;
    }
}

fn hn_config(dir: &Path, base_url: &str, extra: &str) -> PathBuf {
    let cfg = dir.join("jobtrend.toml");
    std::fs::write(
        &cfg,
        format!(
            "data = \"data\"\nreports = \"reports\"\n{extra}[[sources]]\nkind = \"hn\"\nbase_url = \"{base_url}\"\n"
        ),
    )
    .unwrap();
    cfg
}

/// Spawns jobtrend with `JOBTREND_PAUSE_AFTER_MONTHS=1`, waits for its "paused" line, sends
/// `sig`; returns (exit code or None when killed by the signal, the whole stderr).
fn signal_after_first_month(args: Vec<String>, sig: i32) -> (Option<i32>, String) {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    crate::common::signal_when_paused(&args, &[("JOBTREND_PAUSE_AFTER_MONTHS", "1")], "paused after 1 months", sig)
}

fn months_and_ids(data: &Path) -> (BTreeSet<String>, Vec<String>) {
    let all = store::read_all(data).unwrap();
    (all.iter().map(|p| p.month.clone()).collect(), all.into_iter().map(|p| p.id).collect())
}

fn item_paths(reqs: &[Request]) -> Vec<String> {
    let mut v: Vec<String> =
        reqs.iter().map(|r| r.url.path().to_string()).filter(|p| p.starts_with("/api/v1/items/")).collect();
    v.sort();
    v
}

/// After a stopped first run: one month stored and complete in the state; the next `ingest hn`
/// asks only for the other two threads, and the dataset then has exactly the 3 months.
async fn resume_fetches_only_the_rest(server: &MockServer, data: &Path) {
    let (months, ids) = months_and_ids(data);
    assert_eq!(months, BTreeSet::from(["2019-01".to_string()]), "exactly the first month was stored");
    assert_eq!(ids.len(), 2);
    let st: Value = serde_json::from_str(&std::fs::read_to_string(data.join("state/net.json")).unwrap()).unwrap();
    assert_eq!(st["hn_complete"], json!({"7001": "2019-01"}));
    let before = server.received_requests().await.unwrap().len();
    let (d, uri) = (data.to_str().unwrap().to_string(), server.uri());
    let out = tokio::task::spawn_blocking(move || {
        crate::common::jobtrend().args(["--data", &d, "ingest", "hn", "--base-url", &uri, "--json"]).output().unwrap()
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let sum: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((sum["new"].as_u64(), sum["known"].as_u64()), (Some(4), Some(0)), "{sum}");
    assert_eq!(sum["hn_months"], json!({"complete_before": 1, "todo": 2, "stored": 2, "failed": 0}));
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(item_paths(&reqs[before..]), ["/api/v1/items/7002", "/api/v1/items/7003"]);
    let (months, ids) = months_and_ids(data);
    assert_eq!(months.into_iter().collect::<Vec<_>>(), ["2019-01", "2019-02", "2019-03"]);
    assert_eq!(ids.len(), 6);
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), 6, "no duplicates");
    // A third run: everything is complete, no thread is asked for.
    let before = server.received_requests().await.unwrap().len();
    let (d, uri) = (data.to_str().unwrap().to_string(), server.uri());
    let out = tokio::task::spawn_blocking(move || {
        crate::common::jobtrend().args(["--data", &d, "ingest", "hn", "--base-url", &uri, "--json"]).output().unwrap()
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let reqs = server.received_requests().await.unwrap();
    assert!(item_paths(&reqs[before..]).is_empty(), "{:?}", item_paths(&reqs[before..]));
}

/// A state file that cannot be parsed does not stop `run` or `ingest hn`: it is moved aside to
/// `net.json.damaged` (named on stderr with the reason), the job fetches in full, stores each
/// posting once and writes a fresh state.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_state_file_is_kept_aside_and_run_and_ingest_go_on() {
    let server = MockServer::start().await;
    mount_threads(&server).await;
    let tmp = tempdir();
    let cfg = hn_config(tmp.path(), &server.uri(), "");
    let data = tmp.path().join("data");
    let state = data.join("state");
    std::fs::create_dir_all(&state).unwrap();
    let uri = server.uri();
    let commands: [Vec<String>; 2] = [
        vec!["-q".into(), "run".into(), "--config".into(), cfg.display().to_string()],
        ["--data", data.to_str().unwrap(), "ingest", "hn", "--base-url", &uri].map(String::from).to_vec(),
    ];
    for (round, args) in commands.into_iter().enumerate() {
        let garbage = format!("{{\"http\": {{\"truncated in round {round}");
        std::fs::write(state.join("net.json"), &garbage).unwrap();
        let a = args.clone();
        let out = tokio::task::spawn_blocking(move || {
            crate::common::jobtrend().args(&a).env_remove("JOBTREND_DATA").output().unwrap()
        })
        .await
        .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert_eq!(err.matches("net.json: invalid state file: ").count(), 1, "{args:?}: {err}");
        assert!(err.contains("net.json.damaged; starting with an empty state"), "{args:?}: {err}");
        assert_eq!(std::fs::read_to_string(state.join("net.json.damaged")).unwrap(), garbage);
        let st: Value = serde_json::from_str(&std::fs::read_to_string(state.join("net.json")).unwrap()).unwrap();
        assert_eq!(st["hn_complete"], json!({"7001": "2019-01", "7002": "2019-02", "7003": "2019-03"}), "{args:?}");
        let (months, ids) = months_and_ids(&data);
        assert_eq!(months.len(), 3);
        assert_eq!((ids.len(), ids.iter().collect::<BTreeSet<_>>().len()), (6, 6), "{args:?}: each posting once");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_killed_after_the_first_month_resumes_with_only_the_rest() {
    let server = MockServer::start().await;
    mount_threads(&server).await;
    let tmp = tempdir();
    let cfg = hn_config(tmp.path(), &server.uri(), "");
    let args = vec!["run".to_string(), "--config".into(), cfg.display().to_string()];
    let (code, err) = tokio::task::spawn_blocking(move || signal_after_first_month(args, libc::SIGKILL)).await.unwrap();
    assert_eq!(code, None, "killed: {err}");
    // Without `since` the backfill searched from the first HN month (2011-04, 3 days' margin).
    let reqs = server.received_requests().await.unwrap();
    let q = reqs.iter().find(|r| r.url.path() == "/api/v1/search_by_date").unwrap().url.to_string();
    assert!(q.contains(&format!("created_at_i%3E%3D{}", 1_301_616_000 - 3 * 86_400)), "{q}");
    resume_fetches_only_the_rest(&server, &tmp.path().join("data")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_during_an_hn_backfill_keeps_the_months_stored_and_says_so() {
    let server = MockServer::start().await;
    mount_threads(&server).await;
    let tmp = tempdir();
    let data = tmp.path().join("data");
    let args: Vec<String> = ["--data", data.to_str().unwrap(), "ingest", "hn", "--base-url", &server.uri()]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let (code, err) = tokio::task::spawn_blocking(move || signal_after_first_month(args, libc::SIGTERM)).await.unwrap();
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("hn: interrupted: 1 of 3 months stored; the next run fetches the rest"), "{err}");
    resume_fetches_only_the_rest(&server, &data).await;
}

#[test]
fn run_offline_completes_with_exit_1_and_one_line_on_how_to_get_hn_data() {
    let tmp = tempdir();
    let samples = root().join("data/samples");
    let extra = format!("[[sources]]\nkind = \"html\"\npath = \"{}\"\n", samples.display());
    // A name that cannot resolve: as offline, and not retried.
    let cfg = hn_config(tmp.path(), "http://hn.algolia.invalid", &extra);
    let out =
        crate::common::jobtrend().args(["run", "--config"]).arg(&cfg).env_remove("JOBTREND_DATA").output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let hint: Vec<&str> = err.lines().filter(|l| l.starts_with("no HN data")).collect();
    assert_eq!(
        hint,
        [
            "no HN data: could not reach hn.algolia.invalid; run again online, or `jobtrend ingest html DIR` with saved 'Who is hiring?' pages"
        ],
        "{err}"
    );
    assert!(tmp.path().join("reports/index.html").exists(), "the run still writes its report: {err}");
    // With HN postings stored already, an offline run does not say "no HN data".
    let data = tmp.path().join("data");
    let page = fixture("html/hn/2026-01-reserialised.html");
    assert_eq!(
        crate::common::jobtrend()
            .arg("--data")
            .arg(&data)
            .args(["ingest", "html"])
            .arg(&page)
            .output()
            .unwrap()
            .status
            .code(),
        Some(0)
    );
    let out = crate::common::jobtrend()
        .args(["-q", "run", "--config"])
        .arg(&cfg)
        .env_remove("JOBTREND_DATA")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!err.contains("no HN data") && err.contains("could not reach hn.algolia.invalid"), "{err}");
}

#[test]
fn the_bundled_config_backfills_hn_from_the_first_month() {
    let cfg = jobtrend::config::RunConfig::load(&root().join("jobtrend.toml")).unwrap();
    let hn: Vec<_> = cfg.sources.iter().filter(|s| s.kind == jobtrend::config::SourceKind::Hn).collect();
    assert_eq!(hn.len(), 1);
    assert_eq!((hn[0].since.as_deref(), hn[0].until.as_deref()), (None, None));
}

// ---------------------------------------------------------------- sources know what they are

fn posting(id: &str, source: &str, url: Option<&str>, month: &str, dated: bool) -> Posting {
    let mut p = Posting::new(id, source, format!("{id}: backend engineer, Rust and PostgreSQL"));
    p.url = url.map(str::to_string);
    p.month = month.to_string();
    if dated {
        let (y, m) = (month[..4].parse().unwrap(), month[5..].parse().unwrap());
        p.posted_at = Some(Utc.with_ymd_and_hms(y, m, 3, 12, 0, 0).unwrap());
    }
    p.finish(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap())
}

fn small_dataset(data: &Path) {
    let mut s = Store::open(data, false).unwrap();
    s.append(vec![
        posting("hn:1", "hn", Some("https://news.ycombinator.com/item?id=1"), "2024-01", true),
        posting("hn:2", "hn", None, "2024-03", false),
        posting("hn:3", "hn", None, "2024-03", true),
        posting("greenhouse:acme:11", "greenhouse", Some("https://boards.greenhouse.io/acme/jobs/11"), "2025-06", true),
        posting("greenhouse:acme:12", "greenhouse", None, "2025-06", true),
        posting("greenhouse:globex:13", "greenhouse", None, "2025-07", true),
        posting("jsonld:a", "jsonld", Some("https://www.jobs.example.com/a"), "2025-02", true),
        posting("jsonld:b", "jsonld", Some("https://careers.example.org/b"), "2025-02", false),
        posting("jsonld:c", "jsonld", Some("https://jobs.example.com/c"), "2025-03", true),
    ])
    .unwrap();
}

#[test]
fn stats_says_per_source_its_audience_coverage_and_counts() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    small_dataset(&data);
    let out = crate::common::jobtrend().arg("--data").arg(&data).args(["stats", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let st: Value = serde_json::from_slice(&out.stdout).unwrap();
    let by: BTreeMap<String, Value> = st["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["source"].as_str().unwrap().to_string(), s.clone()))
        .collect();
    let hn = &by["hn"];
    assert_eq!(hn["audience"], "Hacker News 'Who is hiring?' threads (tech, startup-leaning, US-heavy)");
    assert_eq!((hn["postings"].as_u64(), hn["with_date"].as_u64(), hn["months"].as_u64()), (Some(3), Some(2), Some(2)));
    assert_eq!((hn["first_month"].as_str(), hn["last_month"].as_str()), (Some("2024-01"), Some("2024-03")));
    assert_eq!(hn["missing_months"], json!(["2024-02"]));
    assert!(hn.get("units").is_none(), "{hn}");
    let gh = &by["greenhouse"];
    assert_eq!(gh["audience"], "ATS boards of 2 companies (Greenhouse; the employers listed in the config)");
    assert_eq!((gh["units"].as_u64(), gh["unit"].as_str()), (Some(2), Some("companies")));
    let web = &by["jsonld"];
    assert_eq!(web["audience"], "job pages from the web (2 sites)", "www. is the same site");
    assert_eq!((web["units"].as_u64(), web["postings"].as_u64()), (Some(2), Some(3)));
    let out = crate::common::jobtrend().arg("--data").arg(&data).arg("stats").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("ATS boards of 2 companies (Greenhouse"), "{text}");
}

#[test]
fn the_report_has_a_sources_section() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    small_dataset(&data);
    let out_dir = tmp.path().join("report");
    let out = crate::common::jobtrend()
        .arg("--data")
        .arg(&data)
        .args(["report", "--width", "400", "--height", "300", "--source", "hn,jsonld", "--out"])
        .arg(&out_dir)
        .output()
        .unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&out.stderr));
    let md = std::fs::read_to_string(out_dir.join("index.md")).unwrap();
    assert!(md.contains("## Sources\n"), "{md}");
    assert!(md.contains("| source | audience | postings | with a date | coverage | in this report |"), "{md}");
    assert!(
        md.contains("| greenhouse | ATS boards of 2 companies (Greenhouse; the employers listed in the config) | 3 | 3 | 2025-06..2025-07, 2 of 2 months | no |"),
        "{md}"
    );
    assert!(
        md.contains("| hn | Hacker News 'Who is hiring?' threads (tech, startup-leaning, US-heavy) | 3 | 2 | 2024-01..2024-03, 2 of 3 months | yes |"),
        "{md}"
    );
    let html = std::fs::read_to_string(out_dir.join("index.html")).unwrap();
    assert!(html.contains("<h2>Sources</h2>"), "{html}");
    assert!(html.contains("<td>job pages from the web (2 sites)</td><td>3</td><td>2</td><td>2025-02..2025-03, 2 of 2 months</td><td>yes</td>"), "{html}");
}

#[tokio::test]
async fn the_thread_search_goes_on_below_the_oldest_story_when_pages_end_short_of_the_hits() {
    use jobtrend::sources::net::{self, NetOptions, NetSource, State};
    use wiremock::matchers::query_param_contains;
    let server = MockServer::start().await;
    let hit = |(id, name, month): (u64, &str, &str)| {
        json!({"title": format!("Ask HN: Who is hiring? ({name})"), "objectID": id.to_string(),
               "created_at_i": thread_ts(month)})
    };
    // Algolia's cap: the first query lists only the 2 newest of its 3 hits.
    let older = thread_ts("2019-02");
    Mock::given(method("GET"))
        .and(path("/api/v1/search_by_date"))
        .and(query_param_contains("numericFilters", format!("created_at_i<{}", older + 1)))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"hits": [hit(MONTHS[1]), hit(MONTHS[0])], "nbHits": 2, "nbPages": 1})),
        )
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/search_by_date"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"hits": [hit(MONTHS[2]), hit(MONTHS[1])], "nbHits": 3, "nbPages": 1})),
        )
        .mount(&server)
        .await;
    mount_threads_items_only(&server).await;
    let o = NetOptions { base_url: Some(server.uri()), requests_per_second: 1000, ..Default::default() };
    let out = net::fetch(&NetSource::Hn { since: None, until: None, refresh: false }, &o, &State::default()).await;
    assert!(out.ok(), "{:?}", out.errors);
    let months: BTreeSet<&str> = out.postings.iter().map(|p| p.month.as_str()).collect();
    assert_eq!(months.into_iter().collect::<Vec<_>>(), ["2019-01", "2019-02", "2019-03"]);
    let searches =
        server.received_requests().await.unwrap().iter().filter(|r| r.url.path() == "/api/v1/search_by_date").count();
    assert_eq!(searches, 2, "the query, then the one below its oldest story");
}
