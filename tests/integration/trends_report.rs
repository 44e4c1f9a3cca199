//! `jobtrend trends`, `report`, `check` and `run`, driven through the binary.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::Utc;
use jobtrend::posting::Posting;
use jobtrend::store::Store;
use serde_json::Value;

use crate::common::{fixture, jobtrend, shared_data, tempdir};

/// A small dataset of known shape: per month, `n` postings of which `k` mention GraphQL and
/// `n - k` mention only Python, in source `src`. Texts name their source: the same text in two
/// sources would be one job counted once when sources are pooled (`--dedup exact`).
fn write_dataset(data: &Path, months: &[(&str, &str, usize, usize)]) {
    let mut store = Store::open(data, false).unwrap();
    let mut rows = Vec::new();
    for (src, month, n, k) in months {
        for i in 0..*n {
            let text = if i < *k { "Backend in Python with a GraphQL API" } else { "Backend in Python" };
            let mut p = Posting::new(format!("{src}:{month}:{i}"), *src, format!("{text} (seen on {src})"));
            p.month = month.to_string();
            rows.push(p.finish(Utc::now()));
        }
    }
    store.append(rows).unwrap();
}

fn run(data: &Path, args: &[&str]) -> (i32, String, String) {
    let out = jobtrend().arg("--data").arg(data).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn csv_rows(csv: &str) -> Vec<BTreeMap<String, String>> {
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines.map(|l| head.iter().map(|h| h.to_string()).zip(l.split(',').map(String::from)).collect()).collect()
}

#[test]
fn trends_counts_shares_and_intervals_per_period() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    write_dataset(
        &data,
        &[
            ("hn", "2024-01", 200, 20),
            ("hn", "2024-02", 100, 30),
            ("hn", "2024-04", 50, 0),
            ("feed", "2024-01", 10, 10),
        ],
    );
    let (code, out, err) = run(&data, &["trends", "--keywords", "graphql,python", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("period,keyword,mentions,postings,share,ci_low,ci_high,flagged\n"), "{out}");
    let rows = csv_rows(&out);
    let get = |p: &str, k: &str| rows.iter().find(|r| r["period"] == p && r["keyword"] == k).cloned().unwrap();
    let jan = get("2024-01", "graphql");
    assert_eq!((jan["mentions"].as_str(), jan["postings"].as_str()), ("30", "210"));
    assert!((jan["share"].parse::<f64>().unwrap() - 30.0 / 210.0).abs() < 1e-6);
    // A month without a mention still has its row, with share 0.
    let apr = get("2024-04", "graphql");
    assert_eq!((apr["mentions"].as_str(), apr["share"].as_str()), ("0", "0.000000"));
    assert_eq!(get("2024-02", "python")["share"], "1.000000");
    // Every interval contains its share.
    for r in &rows {
        let (s, lo, hi) = (
            r["share"].parse::<f64>().unwrap(),
            r["ci_low"].parse::<f64>().unwrap(),
            r["ci_high"].parse::<f64>().unwrap(),
        );
        assert!(lo <= s + 1e-9 && s <= hi + 1e-9 && (0.0..=1.0).contains(&lo) && hi <= 1.0, "{r:?}");
    }

    // Quarters and years, a source filter, a window, by source.
    let (_, q, _) = run(&data, &["trends", "--by", "quarter", "--keywords", "graphql", "--format", "csv"]);
    let q = csv_rows(&q);
    assert_eq!(
        q.iter().map(|r| (r["period"].as_str(), r["mentions"].as_str(), r["postings"].as_str())).collect::<Vec<_>>(),
        [("2024-Q1", "60", "310"), ("2024-Q2", "0", "50")]
    );
    let (_, y, _) =
        run(&data, &["trends", "--by", "year", "--keywords", "graphql", "--source", "hn", "--format", "csv"]);
    assert_eq!(csv_rows(&y)[0]["postings"], "350");
    let (_, w, _) =
        run(&data, &["trends", "--keywords", "graphql", "--since", "2024-02", "--until", "2024-02", "--format", "csv"]);
    assert_eq!(csv_rows(&w).len(), 1);
    let (_, bs, _) = run(&data, &["trends", "--keywords", "graphql", "--by-source", "--format", "csv"]);
    assert!(bs.starts_with("period,keyword,mentions,postings,share,ci_low,ci_high,source,flagged\n"), "{bs}");
    let bs = csv_rows(&bs);
    let feed = bs.iter().find(|r| r["source"] == "feed").unwrap();
    assert_eq!((feed["mentions"].as_str(), feed["postings"].as_str()), ("10", "10"));

    // JSON: flags for small periods, rolling means.
    let (_, js, _) =
        run(&data, &["trends", "--keywords", "graphql", "--format", "json", "--min-postings", "100", "--rolling", "2"]);
    let js: Vec<Value> = serde_json::from_str(&js).unwrap();
    let flagged: Vec<&str> =
        js.iter().filter(|r| r["flagged"] == true).map(|r| r["period"].as_str().unwrap()).collect();
    assert_eq!(flagged, ["2024-04"]);
    let feb = js.iter().find(|r| r["period"] == "2024-02").unwrap();
    let want = (30.0 / 210.0 + 30.0 / 100.0) / 2.0;
    assert!((feb["rolling"].as_f64().unwrap() - want).abs() < 1e-9, "{feb}");

    // The table is for people: labels and percentages.
    let (_, t, _) = run(&data, &["trends", "--keywords", "graphql"]);
    assert!(t.contains("GraphQL") && t.contains("14.3%"), "{t}");
    // Unknown keyword ids are errors.
    let (code, _, err) = run(&data, &["trends", "--keywords", "graphqll"]);
    assert_eq!(code, 2);
    assert!(err.contains("graphqll"), "{err}");
}

#[test]
fn report_writes_linked_charts_deterministically() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    let months: Vec<String> = (1..=12).map(|m| format!("2024-{m:02}")).collect();
    let spec: Vec<(&str, &str, usize, usize)> =
        months.iter().enumerate().map(|(i, m)| ("hn", m.as_str(), 120, 10 + i * 3)).collect();
    write_dataset(&data, &spec);
    let out1 = tmp.path().join("r1");
    let out2 = tmp.path().join("r2");
    for out in [&out1, &out2] {
        let (code, _, err) =
            run(&data, &["report", "--out", out.to_str().unwrap(), "--width", "800", "--height", "450"]);
        assert_eq!(code, 0, "{err}");
    }
    let files: BTreeSet<String> =
        std::fs::read_dir(&out1).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    let pngs: Vec<&String> = files.iter().filter(|f| f.ends_with(".png")).collect();
    assert!(pngs.len() >= 12, "{files:?}");
    for f in ["index.md", "index.html", "trends.csv", "scorecard.png", "movers.png", "overview.png", "languages.png"] {
        assert!(files.contains(f), "{f} missing: {files:?}");
    }
    let md = std::fs::read_to_string(out1.join("index.md")).unwrap();
    let html = std::fs::read_to_string(out1.join("index.html")).unwrap();
    for p in &pngs {
        assert!(md.contains(&format!("]({p})")), "index.md does not link {p}");
        assert!(
            html.contains(&format!("src=\"{p}\"")) || html.contains(&format!("href=\"{p}\"")),
            "index.html does not link {p}"
        );
    }
    // PNG header and size.
    let png = std::fs::read(out1.join("languages.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 800);
    assert_eq!(u32::from_be_bytes(png[20..24].try_into().unwrap()), 450);
    // Same input, same bytes.
    for f in &files {
        assert_eq!(
            std::fs::read(out1.join(f)).unwrap(),
            std::fs::read(out2.join(f)).unwrap(),
            "{f} differs between runs"
        );
    }
}

#[test]
fn check_gives_a_verdict_per_claim_and_names_bad_fields() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    let months: Vec<String> = (0..30).map(|i| format!("{}-{:02}", 2023 + i / 12, i % 12 + 1)).collect();
    let spec: Vec<(&str, &str, usize, usize)> =
        months.iter().enumerate().map(|(i, m)| ("hn", m.as_str(), 200, 5 + i * 4)).collect();
    write_dataset(&data, &spec);
    let claims = tmp.path().join("claims.toml");
    std::fs::write(
        &claims,
        "[[prediction]]\nid = \"graphql-rising\"\nclaim = \"GraphQL is rising\"\nsection = \"What Didn't Change\"\nquote = \"REST and GraphQL are still how you build APIs\"\nkind = \"rising\"\nkeywords = [\"graphql\"]\nsince = \"2023-01\"\n",
    )
    .unwrap();
    let (code, out, err) = run(&data, &["check", "--predictions", claims.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(v.len(), 1);
    assert_eq!(v[0]["id"], "graphql-rising");
    assert_eq!(v[0]["verdict"], "supported", "{}", v[0]);
    // The built-in claims: every one gets a verdict.
    let (code, out, _) = run(&data, &["check", "--format", "json"]);
    assert_eq!(code, 0);
    let v: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert!(v.len() >= 15);
    assert!(v.iter().all(|c| ["supported", "contradicted", "inconclusive"].contains(&c["verdict"].as_str().unwrap())));
    let (_, md, _) = run(&data, &["check", "--format", "md"]);
    assert!(md.starts_with("| claim |"), "{md}");
    // A bad file: exit 2, naming the claim and the field.
    std::fs::write(&claims, "[[prediction]]\nid = \"x\"\nclaim = \"X\"\nsection = \"Conclusion\"\nquote = \"q\"\nkind = \"rising\"\nkeywords = [\"no-such-keyword\"]\n").unwrap();
    let (code, _, err) = run(&data, &["check", "--predictions", claims.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("no-such-keyword") && err.contains('x'), "{err}");
}

#[test]
fn run_ingests_the_configured_sources_and_reports() {
    let tmp = tempdir();
    let cfg = tmp.path().join("jobtrend.toml");
    std::fs::write(
        &cfg,
        format!(
            "data = \"d\"\nreports = \"rep\"\n[[sources]]\nkind = \"html\"\npath = \"{}\"\n[[sources]]\nkind = \"remotive\"\nbase_url = \"http://127.0.0.1:9\"\n",
            fixture("html/hn").display()
        ),
    )
    .unwrap();
    let out = jobtrend().current_dir(tmp.path()).args(["run", "--config"]).arg(&cfg).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    // The remotive mirror is unreachable: exit 1, said once, the run still completes.
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("could not reach: remotive"), "{err}");
    assert!(tmp.path().join("rep/index.html").exists());
    let log = std::fs::read_to_string(tmp.path().join("d/runs.jsonl")).unwrap();
    let rec: Value = serde_json::from_str(log.lines().last().unwrap()).unwrap();
    assert_eq!(rec["sources"][0]["new"], 26);
    assert_eq!(rec["sources"][1]["unreachable"], true);
    // A second run adds nothing and appends a second record.
    let out = jobtrend().args(["run", "--config"]).arg(&cfg).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let log = std::fs::read_to_string(tmp.path().join("d/runs.jsonl")).unwrap();
    assert_eq!(log.lines().count(), 2);
    let rec: Value = serde_json::from_str(log.lines().last().unwrap()).unwrap();
    assert_eq!(rec["sources"][0]["new"], 0);
    // stats shows the runs.
    let st = jobtrend().arg("--data").arg(tmp.path().join("d")).args(["stats", "--json"]).output().unwrap();
    let st: Value = serde_json::from_slice(&st.stdout).unwrap();
    assert_eq!(st["last_runs"].as_array().unwrap().len(), 2);
    // Unknown config fields are named.
    std::fs::write(&cfg, "[[sources]]\nkind = \"html\"\npaths = \"x\"\n").unwrap();
    let out = jobtrend().args(["run", "--config"]).arg(&cfg).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown field `paths`"));
}

#[test]
fn real_corpus_trends_agree_with_plain_regexes() {
    let Some(shared) = shared_data("real_corpus_trends_agree_with_plain_regexes") else { return };
    let tmp = tempdir();
    let data = tmp.path().join("data");
    let (code, _, err) = run(&data, &["-q", "ingest", "html", shared.join("hn-whoishiring/html").to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let ids = ["graphql", "terraform", "clickhouse", "elixir", "rabbitmq"];
    let (code, csv, err) = run(&data, &["trends", "--keywords", &ids.join(","), "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    let rows = csv_rows(&csv);
    // Independent: read the stored text and apply one plain case-insensitive regex per id.
    let all = jobtrend::store::read_all(&data).unwrap();
    let mut per_month: BTreeMap<String, (u64, BTreeMap<&str, u64>)> = BTreeMap::new();
    let res: Vec<(&str, regex::Regex)> =
        ids.iter().map(|id| (*id, regex::Regex::new(&format!(r"(?i)\b{id}\b")).unwrap())).collect();
    for p in &all {
        let e = per_month.entry(p.month.clone()).or_default();
        e.0 += 1;
        for (id, re) in &res {
            if re.is_match(&p.text) {
                *e.1.entry(id).or_insert(0) += 1;
            }
        }
    }
    for id in ids {
        let mut close = 0;
        let mut total = 0;
        for r in rows.iter().filter(|r| r["keyword"] == id) {
            let (n, counts) = &per_month[&r["period"]];
            let want = *counts.get(id).unwrap_or(&0) as f64 / *n as f64;
            let got: f64 = r["share"].parse().unwrap();
            total += 1;
            if (got - want).abs() <= 0.005 {
                close += 1;
            }
            let (lo, hi): (f64, f64) = (r["ci_low"].parse().unwrap(), r["ci_high"].parse().unwrap());
            assert!(lo <= got + 1e-9 && got <= hi + 1e-9, "{r:?}");
        }
        assert_eq!(total, 93, "{id}: one row per month");
        assert!(close as f64 >= 0.95 * total as f64, "{id}: only {close}/{total} months within 0.5 pp");
        eprintln!("{id}: {close}/{total} months within 0.5 pp of a plain regex");
    }
}

#[test]
fn trends_by_role_and_stated_salaries() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    let mut store = Store::open(&data, false).unwrap();
    let mut rows = Vec::new();
    for (i, (first_line, month)) in [
        ("Acme | Senior Backend Engineer | Remote | $150k-$200k", "2024-01"),
        ("Beta | Frontend Engineer | Berlin | €80-95k", "2024-01"),
        ("Gamma | DevOps Engineer | NYC", "2024-02"),
        ("Delta | Backend Engineer | London | £70k+", "2024-02"),
    ]
    .iter()
    .enumerate()
    {
        let mut p = Posting::new(format!("hn:{i}"), "hn", format!("{first_line}\nWe use Go."));
        p.month = month.to_string();
        rows.push(p.finish(Utc::now()));
    }
    store.append(rows).unwrap();
    drop(store);
    let (code, out, err) = run(&data, &["trends", "--roles", "backend,devops", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    let rows = csv_rows(&out);
    let get =
        |p: &str, k: &str| rows.iter().find(|r| r["period"] == p && r["keyword"] == k).unwrap()["mentions"].clone();
    assert_eq!((get("2024-01", "backend").as_str(), get("2024-02", "backend").as_str()), ("1", "1"));
    assert_eq!((get("2024-01", "devops").as_str(), get("2024-02", "devops").as_str()), ("0", "1"));
    let (code, out, err) = run(&data, &["trends", "--salary", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: Vec<Value> = serde_json::from_str(&out).unwrap();
    let all_jan = v.iter().find(|r| r["period"] == "2024-01" && r["currency"] == "ALL").unwrap();
    assert_eq!((all_jan["postings"].as_u64(), all_jan["with_salary"].as_u64()), (Some(2), Some(2)));
    let usd = v.iter().find(|r| r["period"] == "2024-01" && r["currency"] == "USD").unwrap();
    assert_eq!(usd["median_annual"], 175000.0);
    let feb = v.iter().find(|r| r["period"] == "2024-02" && r["currency"] == "ALL").unwrap();
    assert_eq!(feb["with_salary"], 1);
}
