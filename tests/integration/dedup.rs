//! Issue 15 item 5, the same job seen twice, through the binary: copies across sources counted
//! once when sources are pooled (by canonical URL, else by text, in the month of the earliest
//! copy), each source's own rows unaffected; reposts within 60 days counted once under
//! `--dedup reposts`; `check` unaffected by copies across sources; `stats` naming the pairs.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::Utc;
use jobtrend::posting::Posting;
use jobtrend::store::Store;
use serde_json::Value;

use crate::common::{jobtrend, tempdir};

const LEDGER: &str = "Acme is hiring a Rust engineer to build our payments ledger on PostgreSQL.";
const LEDGER_PAGE: &str =
    "Acme is hiring a Rust engineer to build our payments ledger on PostgreSQL.\nApply on our careers page.";

#[allow(clippy::too_many_arguments)]
fn posting(id: &str, source: &str, day: &str, url: Option<&str>, company: &str, title: &str, text: &str) -> Posting {
    let mut p = Posting::new(id, source, text);
    p.posted_at = Some(format!("{day}T12:00:00Z").parse().unwrap());
    p.url = url.map(String::from);
    p.company = Some(company.into());
    p.title = Some(title.into());
    p.finish(Utc::now())
}

/// One job three times: a Greenhouse posting (2024-03-05), its JSON-LD page a day later (same URL
/// but for tracking parameters, a longer text) and a feed copy of the page's text at another URL
/// (2024-04-02). On HN: Globex reposts the same ad 30 days later, Initech 90 days later, and an
/// unrelated April posting.
fn write_dataset(data: &Path) {
    let gh_url = "https://boards.greenhouse.io/acme/jobs/4012";
    let rows = vec![
        posting("greenhouse:acme:4012", "greenhouse", "2024-03-05", Some(gh_url), "Acme", "Rust Engineer", LEDGER),
        posting(
            "jsonld:0a1b2c",
            "jsonld",
            "2024-03-06",
            Some("HTTPS://Boards.Greenhouse.io/acme/jobs/4012/?gh_src=x1&utm_source=linkedin#apply"),
            "Acme",
            "Rust Engineer",
            LEDGER_PAGE,
        ),
        posting(
            "feed:77",
            "feed",
            "2024-04-02",
            Some("https://jobs.example.org/acme-rust"),
            "Acme Inc.",
            "Rust engineer (payments)",
            LEDGER_PAGE,
        ),
        posting("hn:100", "hn", "2024-03-10", None, "Globex", "Golang Developer", "Globex needs a Golang developer."),
        posting("hn:101", "hn", "2024-04-09", None, "Globex", "Golang Developer", "Globex needs a Golang developer."),
        posting("hn:200", "hn", "2024-03-10", None, "Initech", "Kotlin Developer", "Initech: Kotlin on Android."),
        posting("hn:201", "hn", "2024-06-08", None, "Initech", "Kotlin Developer", "Initech: Kotlin on Android."),
        posting("hn:300", "hn", "2024-04-20", None, "Hooli", "Frontend", "Frontend in TypeScript."),
    ];
    Store::open(data, false).unwrap().append(rows).unwrap();
}

fn run(data: &Path, args: &[&str]) -> (i32, String, String) {
    let out = jobtrend().arg("--data").arg(data).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `trends --format json` → (period, source or "", keyword) → (mentions, postings).
fn trends(data: &Path, extra: &[&str]) -> BTreeMap<(String, String, String), (u64, u64)> {
    let mut args = vec!["trends", "--keywords", "rust,go,kotlin", "--format", "json"];
    args.extend_from_slice(extra);
    let (code, out, err) = run(data, &args);
    assert_eq!(code, 0, "{args:?}: {err}");
    let rows: Vec<Value> = serde_json::from_str(&out).unwrap();
    rows.iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or("").to_string();
            (
                (s("period"), s("source"), s("keyword")),
                (r["mentions"].as_u64().unwrap(), r["postings"].as_u64().unwrap()),
            )
        })
        .collect()
}

fn cell(t: &BTreeMap<(String, String, String), (u64, u64)>, period: &str, source: &str, kw: &str) -> (u64, u64) {
    t.get(&(period.into(), source.into(), kw.into()))
        .copied()
        .unwrap_or_else(|| panic!("no row {period} {source} {kw}: {t:?}"))
}

#[test]
fn pooled_trends_count_a_job_once_in_the_month_of_its_earliest_copy() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    write_dataset(&data);
    // Default (exact): greenhouse counts in March; its JSON-LD page (by URL) and the feed copy (by
    // text, in April) are left out of the pooled totals.
    let exact = trends(&data, &[]);
    assert_eq!(cell(&exact, "2024-03", "", "rust"), (1, 3));
    assert_eq!(cell(&exact, "2024-04", "", "rust"), (0, 2));
    assert_eq!(cell(&exact, "2024-04", "", "go"), (1, 2));
    assert_eq!(exact, trends(&data, &["--dedup", "exact"]));
    // Every posting counts with none.
    let none = trends(&data, &["--dedup", "none"]);
    assert_eq!(cell(&none, "2024-03", "", "rust"), (2, 4));
    assert_eq!(cell(&none, "2024-04", "", "rust"), (1, 3));
    // The month a copy counts in does not depend on the months selected.
    let april = trends(&data, &["--since", "2024-04"]);
    assert_eq!(cell(&april, "2024-04", "", "rust"), (0, 2));
    // Each source's own rows keep all their postings.
    let by_source = trends(&data, &["--by-source"]);
    assert_eq!(cell(&by_source, "2024-03", "greenhouse", "rust"), (1, 1));
    assert_eq!(cell(&by_source, "2024-03", "jsonld", "rust"), (1, 1));
    assert_eq!(cell(&by_source, "2024-04", "feed", "rust"), (1, 1));
    let feed = trends(&data, &["--source", "feed"]);
    assert_eq!(cell(&feed, "2024-04", "", "rust"), (1, 1));
    // Two of the three sources pooled: the copy between them counts once.
    let pair = trends(&data, &["--source", "jsonld,feed"]);
    assert_eq!(cell(&pair, "2024-03", "", "rust"), (1, 1));
    assert!(!pair.contains_key(&("2024-04".into(), String::new(), "rust".into())), "{pair:?}");
    // The selected months hold one selected source (feed), the copy that counts is in a month not
    // selected (jsonld, March): still a copy, left out of the pooled April.
    let april_pair = trends(&data, &["--source", "jsonld,feed", "--since", "2024-04"]);
    assert!(!april_pair.contains_key(&("2024-04".into(), String::new(), "rust".into())), "{april_pair:?}");
    let april_none = trends(&data, &["--source", "jsonld,feed", "--since", "2024-04", "--dedup", "none"]);
    assert_eq!(cell(&april_none, "2024-04", "", "rust"), (1, 1));
}

#[test]
fn reposts_within_60_days_count_once_under_dedup_reposts() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    write_dataset(&data);
    let total = |t: &BTreeMap<(String, String, String), (u64, u64)>, kw: &str| -> u64 {
        t.iter().filter(|(k, _)| k.2 == kw).map(|(_, v)| v.0).sum()
    };
    let exact = trends(&data, &[]);
    let reposts = trends(&data, &["--dedup", "reposts"]);
    // Globex again 30 days later: twice without, once with.
    assert_eq!(total(&exact, "go"), 2);
    assert_eq!(total(&reposts, "go"), 1);
    assert_eq!(cell(&reposts, "2024-03", "", "go"), (1, 3));
    assert_eq!(cell(&reposts, "2024-04", "", "go"), (0, 1));
    // Initech again 90 days later: twice either way.
    assert_eq!(total(&exact, "kotlin"), 2);
    assert_eq!(total(&reposts, "kotlin"), 2);
    // Copies across sources are still counted once.
    assert_eq!(total(&reposts, "rust"), 1);
}

/// `check --counts` rows of source hn in 2024-04: postings per claim.
fn check_counts(data: &Path, dir: &Path, mode: &str) -> String {
    let csv = dir.join(format!("counts-{mode}.csv"));
    let (code, _, err) = run(data, &["check", "--format", "json", "--dedup", mode, "--counts", csv.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    std::fs::read_to_string(csv).unwrap()
}

#[test]
fn check_weighs_each_source_whole_and_drops_reposts_when_asked() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    write_dataset(&data);
    let none = check_counts(&data, tmp.path(), "none");
    assert_eq!(check_counts(&data, tmp.path(), "exact"), none, "copies across sources change no verdict input");
    let reposts = check_counts(&data, tmp.path(), "reposts");
    // Claim → postings of hn in 2024-04 (the month of Globex's repost).
    let hn_april = |csv: &str| -> BTreeMap<String, u64> {
        csv.lines()
            .filter(|l| l.contains(",hn,2024-04,"))
            .map(|l| {
                let v: Vec<&str> = l.split(',').collect();
                (v[0].to_string(), v[3].parse().unwrap())
            })
            .collect()
    };
    let (before, after) = (hn_april(&none), hn_april(&reposts));
    assert!(!before.is_empty(), "{none}");
    // Claims on all postings lose the repost; claims on a subset (a role) may not hold it, or
    // held only it (their row is then gone).
    let after_of = |c: &str| after.get(c).copied().unwrap_or(0);
    assert!(after.keys().all(|c| before.contains_key(c)), "{before:?} {after:?}");
    assert!(before.iter().all(|(c, n)| after_of(c) == *n || after_of(c) + 1 == *n), "{before:?} {after:?}");
    assert!(before.iter().any(|(c, n)| *n == 2 && after_of(c) == 1), "{before:?} {after:?}");
    assert!(none.lines().any(|l| l.contains(",feed,2024-04,1,")), "{none}");
}

#[test]
fn stats_reports_duplicates_per_source_pair() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    write_dataset(&data);
    let (code, out, err) = run(&data, &["stats", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["duplicates"],
        serde_json::json!([
            {"a": "feed", "b": "jsonld", "by_url": 0, "by_content": 1},
            {"a": "greenhouse", "b": "jsonld", "by_url": 1, "by_content": 0},
        ])
    );
    let (code, out, _) = run(&data, &["stats"]);
    assert_eq!(code, 0);
    assert!(out.contains("greenhouse × jsonld: 1 by URL, 0 by text"), "{out}");
    assert!(out.contains("feed × jsonld: 0 by URL, 1 by text"), "{out}");
}

#[test]
fn the_report_charts_pool_copies_once() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    write_dataset(&data);
    let out = tmp.path().join("r");
    let (code, _, err) = run(&data, &["report", "--out", out.to_str().unwrap(), "--keywords", "rust"]);
    assert_eq!(code, 0, "{err}");
    let csv = std::fs::read_to_string(out.join("trends.csv")).unwrap();
    let march: Vec<&str> = csv.lines().filter(|l| l.starts_with("2024-03,rust,")).collect();
    assert_eq!(march.len(), 1, "{csv}");
    assert!(march[0].starts_with("2024-03,rust,1,3,"), "{csv}");
    let md = std::fs::read_to_string(out.join("index.md")).unwrap();
    assert!(md.contains("2 copies across sources counted once"), "{md}");
}
