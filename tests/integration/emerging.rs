//! `jobtrend emerging` on a synthetic corpus (2023-2025, 360 postings) where a made-up product name
//! rises in 2025, next to rising taxonomy ids, a rising English word and a company hiring a lot;
//! its interval against statsmodels; its section of the report; the real corpus (skipped when absent).

use std::path::Path;
use std::process::Command;

use chrono::Utc;
use jobtrend::keywords::{Matcher, Taxonomy};
use jobtrend::posting::Posting;
use jobtrend::store::Store;
use serde_json::Value;

use crate::common::{jobtrend, read, root, shared_data, tempdir};

/// 36 months, 10 postings each. In 2025: "Zorblax" in 6 of 10 postings, pgvector and Rust (taxonomy
/// ids) in 5, "amazing" in 8, the company "Blorptech" posts 4 a month naming itself. Every month:
/// "Quuxly" in 2 of 10 (flat), Python and PostgreSQL everywhere. "Flonk" rises from 1 to 4 of 10.
fn write_corpus(data: &Path) {
    let mut rows = Vec::new();
    for year in 2023..=2025 {
        for month in 1..=12 {
            let m = format!("{year}-{month:02}");
            for i in 0..10 {
                let recent = year == 2025;
                let mut text = String::from("Backend Engineer | Remote\nWe build payments in Python and PostgreSQL.");
                let company = if recent && i < 4 { "Blorptech".to_string() } else { format!("Acme Widgets {i}") };
                if company == "Blorptech" {
                    text.push_str(" Blorptech is growing fast.");
                }
                if recent && i >= 4 {
                    text.push_str(" Our platform runs on Zorblax pipelines.");
                }
                if recent && i % 2 == 0 {
                    text.push_str(" We store embeddings with pgvector and write services in Rust.");
                }
                if recent && i < 8 {
                    text.push_str(" You will join an amazing team.");
                }
                if i % 5 == 0 {
                    text.push_str(" Dashboards in Quuxly.");
                }
                if i < if recent { 4 } else { 1 } {
                    text.push_str(" Deploys with Flonk.");
                }
                text.push_str(&format!(
                    " Salary $150k-$200k, apply by {m}-28 at jobs@acme.example or https://acme.example/{i}."
                ));
                let mut p = Posting::new(format!("hn:{m}:{i}"), "hn", text);
                p.month = m.clone();
                p.company = Some(company);
                rows.push(p.finish(Utc::now()));
            }
        }
    }
    let mut store = Store::open(data, false).unwrap();
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

fn terms(json: &Value) -> Vec<String> {
    json["terms"].as_array().unwrap().iter().map(|t| t["term"].as_str().unwrap().to_string()).collect()
}

#[test]
fn a_rising_product_name_is_listed_and_taxonomy_english_and_companies_are_not() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    write_corpus(&data);
    let (code, out, err) = run(&data, &["emerging", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let json: Value = serde_json::from_str(&out).unwrap();
    let listed = terms(&json);
    let top5: Vec<&str> = listed.iter().take(5).map(String::as_str).collect();
    assert!(top5.contains(&"Zorblax"), "Zorblax not in the top 5: {listed:?}");
    assert!(listed.iter().any(|t| t == "Flonk"), "Flonk (1 -> 4 of 10) not listed: {listed:?}");
    let matcher = Matcher::new(&Taxonomy::builtin().unwrap()).unwrap();
    for t in &listed {
        assert!(matcher.find_ids(t).is_empty(), "{t:?} is a taxonomy id: {:?}", matcher.find_ids(t));
        let l = t.to_lowercase();
        for bad in ["pgvector", "rust", "amazing", "blorptech", "quuxly", "python", "postgresql", "150k", "2025"] {
            assert!(!l.split(' ').any(|w| w == bad), "{t:?} should not be listed ({bad}): {listed:?}");
        }
        assert!(!l.contains("acme") && !l.contains('@') && !l.contains("http"), "{t:?}: {listed:?}");
    }
    assert_eq!(json["recent"]["first"], "2025-01");
    assert_eq!(json["recent"]["last"], "2025-12");
    assert_eq!(json["recent"]["postings"], 120);
    assert_eq!(json["before"]["first"], "2023-01");
    assert_eq!(json["before"]["postings"], 240);
    let z = &json["terms"].as_array().unwrap().iter().find(|t| t["term"] == "Zorblax").unwrap();
    assert_eq!((z["postings_before"].as_u64(), z["postings_after"].as_u64()), (Some(0), Some(72)));
    assert!((z["share_after"].as_f64().unwrap() - 0.6).abs() < 1e-12);
    assert!(z["ci_low"].as_f64().unwrap() > 1.0);
}

#[test]
fn windows_formats_and_errors() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    write_corpus(&data);
    // The table names the windows and the term.
    let (code, out, err) = run(&data, &["emerging", "--since", "2025-07", "--baseline-months", "6", "--top", "3"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("recent 2025-07..2025-12 (6 months, 60 postings) vs before 2025-01..2025-06"), "{out}");
    // 2025-01..06 already had Zorblax at the same share: nothing rose against that baseline.
    assert!(out.contains("no term rose significantly"), "{out}");
    let (code, out, _) = run(&data, &["emerging", "--format", "csv", "--top", "2"]);
    assert_eq!(code, 0);
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("term,postings_before,postings_after,share_before,share_after,ratio,ci_low,ci_high"));
    assert_eq!(lines.count(), 2, "{out}");
    // Nothing before --since: a clear error, exit 2.
    let (code, _, err) = run(&data, &["emerging", "--since", "2023-01"]);
    assert_eq!(code, 2);
    assert!(err.contains("no postings before 2023-01"), "{err}");
    // Nothing from --since on: exit 1.
    let (code, _, err) = run(&data, &["emerging", "--since", "2026-05"]);
    assert_eq!(code, 1);
    assert!(err.contains("--since 2026-05: no postings from then on (the data end at 2025-12)"), "{err}");
    let (code, _, err) = run(&data, &["emerging", "--source", "lever"]);
    assert_eq!(code, 1);
    assert!(err.contains("no source named lever. The data cover ") && err.contains("sources: hn ("), "{err}");
    let (code, _, err) = run(&tmp.path().join("nope"), &["emerging"]);
    assert_eq!(code, 2);
    assert!(err.contains("does not exist"), "{err}");
}

#[test]
fn custom_keywords_leave_their_terms_out() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    write_corpus(&data);
    let kw = tmp.path().join("kw");
    std::fs::create_dir_all(&kw).unwrap();
    std::fs::write(
        kw.join("mine.toml"),
        "[[keyword]]\nid = \"zorblax\"\nlabel = \"Zorblax\"\ncategory = \"tool\"\naliases = [\"zorblax\"]\n",
    )
    .unwrap();
    let (code, out, err) = run(&data, &["emerging", "--format", "json", "--keywords-dir", kw.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let listed = terms(&serde_json::from_str(&out).unwrap());
    assert!(listed.iter().all(|t| !t.to_lowercase().contains("zorblax")), "{listed:?}");
}

#[test]
fn the_report_has_a_what_is_emerging_section() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    write_corpus(&data);
    let out = tmp.path().join("report");
    let (code, _, err) = run(&data, &["report", "--out", out.to_str().unwrap(), "--width", "400", "--height", "300"]);
    assert_eq!(code, 0, "{err}");
    let md = read(&out.join("index.md"));
    let at = md.find("## What is emerging").expect("section in index.md");
    let section = &md[at..];
    assert!(section.contains("| Zorblax | 0 | 72 | 0.00% | 60.00% |"), "{section}");
    assert!(section.contains("recent 2025-01..2025-12 (120 postings)"), "{section}");
    let html = read(&out.join("index.html"));
    let at = html.find("<h2 id=\"emerging\">What is emerging</h2>").expect("section in index.html");
    assert!(html[at..].contains("<td>Zorblax</td><td>0</td><td>72</td>"), "{}", &html[at..]);
    assert!(html.trim_end().ends_with("</body></html>"));
}

fn python_has_statsmodels() -> bool {
    Command::new("python3").args(["-c", "import statsmodels, scipy, numpy"]).status().is_ok_and(|s| s.success())
}

/// The ratios and intervals against statsmodels' `confint_proportions_2indep(compare="ratio")`.
#[test]
fn intervals_agree_with_statsmodels() {
    if !python_has_statsmodels() {
        eprintln!("SKIP intervals_agree_with_statsmodels: python3 with statsmodels, scipy, numpy is absent");
        return;
    }
    let tmp = tempdir();
    let data = tmp.path().join("data");
    write_corpus(&data);
    let (code, out, err) = run(&data, &["emerging", "--format", "json", "--min-postings", "1", "--top", "100"]);
    assert_eq!(code, 0, "{err}");
    let json = tmp.path().join("emerging.json");
    std::fs::write(&json, &out).unwrap();
    let py = Command::new("python3").arg(root().join("benches/emerging_crosscheck.py")).arg(&json).output().unwrap();
    let table = String::from_utf8_lossy(&py.stdout);
    assert!(py.status.success(), "cross-check failed:\n{table}\n{}", String::from_utf8_lossy(&py.stderr));
    assert!(table.contains(" 0 mismatch"), "{table}");
    let compared = table.lines().filter(|l| l.trim_end().ends_with(" ok")).count();
    assert!(compared >= 2, "{table}");
}

#[test]
fn real_corpus_lists_terms_no_keyword_covers() {
    let Some(shared) = shared_data("real_corpus_lists_terms_no_keyword_covers") else { return };
    let tmp = tempdir();
    let data = tmp.path().join("data");
    let html = shared.join("hn-whoishiring/html");
    let (code, _, err) = run(&data, &["-q", "ingest", "html", html.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = run(&data, &["emerging", "--format", "json", "--top", "10"]);
    assert_eq!(code, 0, "{err}");
    let json: Value = serde_json::from_str(&out).unwrap();
    let listed = terms(&json);
    assert_eq!(listed.len(), 10, "{listed:?}");
    assert_eq!(json["recent"]["last"], "2026-01");
    let matcher = Matcher::new(&Taxonomy::builtin().unwrap()).unwrap();
    for t in &listed {
        assert!(matcher.find_ids(t).is_empty(), "{t:?} is covered: {:?}", matcher.find_ids(t));
    }
}
