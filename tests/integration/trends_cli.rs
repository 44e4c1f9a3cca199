//! Issue 14 on `trends`, `report` and `stats`, through the binary: keyword lists trimmed and unknown ids
//! answered with the closest id, an aligned table with a `flag` column and its footnote, `flagged` in the CSV,
//! partial quarters and years flagged, rolling means that never span a missing month, `stats` beside a
//! damaged part file.

use std::path::Path;

use chrono::Utc;
use jobtrend::posting::Posting;
use jobtrend::store::Store;
use serde_json::Value;

use crate::common::{jobtrend, shared_data, tempdir};

/// Per month: `n` postings in source `hn`, `k` of them mention GraphQL, all mention Python.
fn write_dataset(data: &Path, months: &[(&str, usize, usize)]) {
    let mut store = Store::open(data, false).unwrap();
    let mut rows = Vec::new();
    for (month, n, k) in months {
        for i in 0..*n {
            let text = if i < *k { "Backend in Python with a GraphQL API" } else { "Backend in Python" };
            let mut p = Posting::new(format!("hn:{month}:{i}"), "hn", text);
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

/// (period, rolling, flagged) of each CSV row of one keyword.
fn csv_cells(csv: &str) -> Vec<(String, String, String)> {
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| head.iter().position(|h| *h == name);
    let (p, r, f) = (col("period").unwrap(), col("rolling"), col("flagged").unwrap());
    lines
        .map(|l| {
            let v: Vec<&str> = l.split(',').collect();
            assert_eq!(v.len(), head.len(), "{l}");
            (v[p].to_string(), r.map(|r| v[r].to_string()).unwrap_or_default(), v[f].to_string())
        })
        .collect()
}

#[test]
fn keyword_lists_are_trimmed_and_unknown_ids_name_the_closest() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    write_dataset(&data, &[("2024-01", 120, 12)]);
    let (code, out, err) = run(&data, &["trends", "--keywords", " graphql, ,python ", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    let kws: Vec<&str> = out.lines().skip(1).map(|l| l.split(',').nth(1).unwrap()).collect();
    assert_eq!(kws, ["graphql", "python"]);

    let want = r#"unknown keyword id "postgres" (did you mean "postgresql"? list them with: jobtrend keywords)"#;
    for args in [
        vec!["trends", "--keywords", "rust, postgres"],
        vec!["report", "--keywords", "postgres", "--out", tmp.path().join("r").to_str().unwrap()],
    ] {
        let (code, out, err) = run(&data, &args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert_eq!(err.matches("postgres\"").count(), 1, "one error path, said once: {err}");
        assert!(!err.contains("match --help"), "{err}");
        assert!(out.is_empty(), "{out}");
    }
    assert!(!tmp.path().join("r").exists(), "no report for an unknown id");

    // Roles are picked by --roles (--keywords names keyword ids only): the same trimming; an unknown
    // role lists the roles.
    let (code, out, err) = run(&data, &["trends", "--roles", "backend, frontend", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 3, "{out}");
    let (code, _, err) = run(&data, &["trends", "--roles", "backnd"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown role \"backnd\"") && err.contains("backend"), "{err}");
    // The old spelling still works, with a warning; both at once is a usage error.
    let (code, old, err) = run(&data, &["trends", "--roles", "--keywords", "backend, frontend", "--format", "csv"]);
    assert_eq!((code, old.as_str()), (0, out.as_str()), "{err}");
    assert!(err.contains("`trends --roles --keywords ROLE,...` is deprecated, use `--roles ROLE,...`"), "{err}");
    let (code, _, err) = run(&data, &["trends", "--roles", "backend", "--keywords", "rust"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--keywords names keyword ids"), "{err}");
    let (_, help, _) = run(&data, &["trends", "--help"]);
    assert!(help.contains("--roles [<ROLE,...>...]") && !help.contains("--keywords` then selects roles"), "{help}");
}

#[test]
fn the_table_stays_aligned_and_the_csv_has_flagged() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    write_dataset(&data, &[("2024-01", 200, 20), ("2024-02", 50, 5), ("2024-03", 200, 40)]);
    let (code, out, err) = run(&data, &["trends", "--keywords", "graphql", "--rolling", "2"]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].contains("flag") && lines[0].ends_with("rolling"), "{out}");
    let width = lines[0].chars().count();
    for l in &lines[1..4] {
        assert_eq!(l.chars().count(), width, "every row as wide as the header:\n{out}");
    }
    // The flag column: `*` only on the small month, under the header's `flag`.
    let at = lines[0].find("flag").unwrap();
    let marks: Vec<bool> =
        lines[1..4].iter().map(|l| l.chars().nth(lines[0][..at].chars().count()) == Some('*')).collect();
    assert_eq!(marks, [false, true, false], "{out}");
    assert_eq!(lines[4], "* flagged: fewer than 100 postings in the period (--min-postings)", "{out}");

    let (_, csv, _) = run(&data, &["trends", "--keywords", "graphql", "--rolling", "2", "--format", "csv"]);
    assert!(csv.starts_with("period,keyword,mentions,postings,share,ci_low,ci_high,rolling,flagged\n"), "{csv}");
    let cells = csv_cells(&csv);
    let flags: Vec<&str> = cells.iter().map(|c| c.2.as_str()).collect();
    assert_eq!(flags, ["false", "true", "false"]);
    assert_eq!(cells[0].1, "", "no rolling mean before the 2nd month");
    assert_eq!(cells[1].1, format!("{:.6}", (0.1 + 0.1) / 2.0));
    let (_, csv, _) = run(&data, &["trends", "--keywords", "graphql", "--by-source", "--format", "csv"]);
    assert!(csv.starts_with("period,keyword,mentions,postings,share,ci_low,ci_high,source,flagged\n"), "{csv}");
    assert!(csv.lines().nth(2).unwrap().ends_with(",hn,true"), "{csv}");
}

#[test]
fn quarters_and_years_with_missing_months_are_flagged() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    let mut months: Vec<(String, usize, usize)> = vec![("2018-03".into(), 300, 30)];
    months.extend((4..=12).map(|m| (format!("2018-{m:02}"), 150, 15)));
    months.extend((1..=12).map(|m| (format!("2019-{m:02}"), 150, 15)));
    months.push(("2020-01".into(), 400, 40));
    let spec: Vec<(&str, usize, usize)> = months.iter().map(|(m, n, k)| (m.as_str(), *n, *k)).collect();
    write_dataset(&data, &spec);

    let (code, csv, err) = run(&data, &["trends", "--by", "quarter", "--keywords", "graphql", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    let flagged: Vec<String> = csv_cells(&csv).into_iter().filter(|c| c.2 == "true").map(|c| c.0).collect();
    assert_eq!(flagged, ["2018-Q1", "2020-Q1"], "one-month quarters, although each has >= 300 postings");
    let (_, csv, _) = run(&data, &["trends", "--by", "year", "--keywords", "graphql", "--format", "csv"]);
    let flagged: Vec<String> = csv_cells(&csv).into_iter().filter(|c| c.2 == "true").map(|c| c.0).collect();
    assert_eq!(flagged, ["2018", "2020"]);
    let (_, table, _) = run(&data, &["trends", "--by", "quarter", "--keywords", "graphql"]);
    assert!(table.contains("or data in fewer than the 3 months of the quarter"), "{table}");
    // A window that cuts a quarter makes it partial too.
    let (_, js, _) =
        run(&data, &["trends", "--by", "quarter", "--keywords", "graphql", "--since", "2019-02", "--format", "json"]);
    let js: Vec<Value> = serde_json::from_str(&js).unwrap();
    assert_eq!(js[0]["period"], "2019-Q1");
    assert_eq!(js[0]["flagged"], true);
    assert_eq!(js[1]["flagged"], false);
}

#[test]
fn rolling_means_never_span_a_missing_month() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    // 2025-11 and 2025-12 are missing, as in the HN data.
    write_dataset(
        &data,
        &[("2025-09", 100, 10), ("2025-10", 100, 20), ("2026-01", 100, 30), ("2026-02", 100, 40), ("2026-03", 100, 60)],
    );
    let (code, csv, err) = run(&data, &["trends", "--keywords", "graphql", "--rolling", "2", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    let rolling: Vec<(String, String)> = csv_cells(&csv).into_iter().map(|c| (c.0, c.1)).collect();
    let want = |p: &str, r: &str| (p.to_string(), r.to_string());
    assert_eq!(
        rolling,
        [
            want("2025-09", ""),
            want("2025-10", "0.150000"),
            want("2026-01", ""),
            want("2026-02", "0.350000"),
            want("2026-03", "0.500000"),
        ]
    );
    let (_, js, _) = run(&data, &["trends", "--keywords", "graphql", "--rolling", "3", "--format", "json"]);
    let js: Vec<Value> = serde_json::from_str(&js).unwrap();
    let with: Vec<&str> =
        js.iter().filter(|r| r.get("rolling").is_some()).map(|r| r["period"].as_str().unwrap()).collect();
    assert_eq!(with, ["2026-03"]);
    let (_, help, _) = run(&data, &["trends", "--help"]);
    assert!(help.contains("missing month"), "{help}");
}

#[test]
fn stats_names_a_damaged_part_once_and_counts_the_rest() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    write_dataset(&data, &[("2024-01", 30, 3)]);
    write_dataset(&data, &[("2024-02", 20, 2)]);
    let part = std::fs::read_dir(data.join("postings/month=2024-02")).unwrap().next().unwrap().unwrap().path();
    let bytes = std::fs::read(&part).unwrap();
    std::fs::write(&part, &bytes[..bytes.len() / 2]).unwrap();

    let (code, out, err) = run(&data, &["stats"]);
    assert_eq!(code, 1, "{out}\n{err}");
    assert_eq!(err.matches(part.to_str().unwrap()).count(), 1, "named once: {err}");
    assert!(out.contains(": 30 postings in 2 part files"), "{out}");
    assert!(out.contains("2024-01") && !out.contains("2024-02"), "{out}");

    let (code, out, err) = run(&data, &["stats", "--json"]);
    assert_eq!(code, 1, "{err}");
    let st: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(st["postings"], 30);
    assert_eq!(st["damaged"].as_array().unwrap().len(), 1);
    assert_eq!(st["damaged"][0]["path"], part.to_str().unwrap());
    assert!(!st["damaged"][0]["reason"].as_str().unwrap().is_empty());
}

#[test]
fn real_hn_data_flags_partial_quarters_and_breaks_rolling_at_the_gap() {
    let test = "real_hn_data_flags_partial_quarters_and_breaks_rolling_at_the_gap";
    let Some(shared) = shared_data(test) else { return };
    let tmp = tempdir();
    let data = tmp.path().join("data");
    let (code, _, err) = run(&data, &["-q", "ingest", "html", shared.join("hn-whoishiring/html").to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let (code, csv, err) = run(&data, &["trends", "--by", "quarter", "--keywords", "rust", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    let cells = csv_cells(&csv);
    let flag = |p: &str| cells.iter().find(|c| c.0 == p).map(|c| c.2.clone()).unwrap();
    assert_eq!((flag("2018-Q1").as_str(), flag("2026-Q1").as_str()), ("true", "true"));
    assert_eq!(flag("2019-Q1"), "false");
    let (_, csv, _) = run(&data, &["trends", "--keywords", "rust", "--rolling", "3", "--format", "csv"]);
    let cells = csv_cells(&csv);
    assert!(cells.iter().all(|c| c.0 != "2025-11" && c.0 != "2025-12"), "the gap months are missing");
    let rolling = |p: &str| cells.iter().find(|c| c.0 == p).map(|c| c.1.clone()).unwrap();
    assert_eq!(rolling("2026-01"), "", "no window of 3 months with data ends at 2026-01");
    assert_ne!(rolling("2025-10"), "");
}
