//! Issue 12: per-source verdicts, rare keywords, decisive verdicts with `min_effect`, projection fit windows, and
//! `check` through the binary (table, JSON, Markdown, `--counts`).

use jobtrend::predictions::stats::{self, SplitMix64};
use jobtrend::predictions::{ClaimData, Kind, MonthPoint, Prediction, Verdict, evaluate};

use super::{binom, month, projection, rising, series};

/// `m` months from `start` (month index) for `source` with `n` postings each and share `f(i)` (and `g(i)`).
fn source_series(
    source: &str,
    start: (i32, usize),
    m: usize,
    n: u64,
    seed: u64,
    f: impl Fn(usize) -> f64,
    g: Option<&dyn Fn(usize) -> f64>,
) -> Vec<MonthPoint> {
    let mut rng = SplitMix64::new(seed);
    (0..m)
        .map(|i| {
            let hits = binom(&mut rng, n, f(i));
            let than_hits = g.map(|g| binom(&mut rng, n, g(i)));
            MonthPoint { source: source.into(), month: month(i + start.1, start.0), postings: n, hits, than_hits }
        })
        .collect()
}

fn data_of(parts: Vec<Vec<MonthPoint>>) -> ClaimData {
    ClaimData { months: parts.into_iter().flatten().collect(), salaries: Vec::new() }
}

#[test]
fn a_later_source_with_another_audience_cannot_make_a_trend() {
    // HN flat at 5% for 36 months; a feed flat at 20% in the last 12 months only. Pooled, the share "rises".
    let data = data_of(vec![
        source_series("hn", (2023, 0), 36, 1000, 60, |_| 0.05, None),
        source_series("feed", (2023, 24), 12, 1000, 61, |_| 0.20, None),
    ]);
    let p = rising();
    let pooled = data.pooled();
    let share = |m: &MonthPoint| m.hits as f64 / m.postings as f64;
    assert!(share(&pooled.months[35]) > 2.0 * share(&pooled.months[0]), "the pooled share rises");
    let ev = evaluate(&p, &data);
    assert_ne!(ev.verdict, Verdict::Supported, "{ev:#?}");
    assert_eq!(ev.by_source.len(), 2);
    for r in &ev.by_source {
        assert!(r.qualifies && r.verdict != Verdict::Supported, "{r:#?}");
    }
    let hn = ev.by_source.iter().find(|r| r.source == "hn").unwrap();
    assert_eq!((hn.n_postings, hn.n_months), (36_000, 36));
    assert!(ev.heterogeneity.is_some());
    // Both flat: the sources agree on the slope.
    assert!(!ev.sources_disagree, "{ev:#?}");
    // A feed seen in one month does not qualify, takes no part, and says why.
    let data = data_of(vec![
        source_series("hn", (2023, 0), 36, 1000, 60, |_| 0.05, None),
        source_series("feed", (2025, 11), 1, 400, 62, |_| 0.30, None),
    ]);
    let ev = evaluate(&p, &data);
    let hn_only = evaluate(&p, &data_of(vec![source_series("hn", (2023, 0), 36, 1000, 60, |_| 0.05, None)]));
    assert_eq!((ev.verdict, ev.estimate, ev.ci_low), (hn_only.verdict, hn_only.estimate, hn_only.ci_low));
    let feed = ev.by_source.iter().find(|r| r.source == "feed").unwrap();
    assert!(!feed.qualifies && feed.verdict == Verdict::Inconclusive);
    assert!(feed.note.starts_with("1 month(s) with ≥30 postings in the data; needs 6"), "{}", feed.note);
    assert!(ev.heterogeneity.is_none() && !ev.sources_disagree);
}

#[test]
fn sources_that_disagree_are_flagged() {
    let data = data_of(vec![
        source_series("hn", (2023, 0), 24, 2000, 63, |i| 0.10 + 0.004 * i as f64, None),
        source_series("feed", (2023, 0), 24, 2000, 64, |i| 0.20 - 0.004 * i as f64, None),
    ]);
    let ev = evaluate(&rising(), &data);
    assert!(ev.sources_disagree, "{ev:#?}");
    let h = ev.heterogeneity.unwrap();
    assert!(h.p < 0.10 && h.i2 > 0.5 && h.tau2 > 0.0 && h.df == 1.0, "{h:?}");
    assert_eq!(ev.verdict, Verdict::Inconclusive);
    let verdicts: Vec<Verdict> = ev.by_source.iter().map(|r| r.verdict).collect();
    assert!(verdicts.contains(&Verdict::Supported) && verdicts.contains(&Verdict::Contradicted), "{verdicts:?}");
    // Two sources rising alike: supported, combined interval narrower than either source's.
    let data = data_of(vec![
        source_series("hn", (2023, 0), 24, 2000, 65, |i| 0.10 + 0.004 * i as f64, None),
        source_series("feed", (2023, 0), 24, 2000, 66, |i| 0.12 + 0.004 * i as f64, None),
    ]);
    let ev = evaluate(&rising(), &data);
    assert_eq!(ev.verdict, Verdict::Supported, "{ev:#?}");
    assert!(!ev.sources_disagree);
    let width = ev.ci_high.unwrap() - ev.ci_low.unwrap();
    for r in &ev.by_source {
        assert!(width < r.ci_high.unwrap() - r.ci_low.unwrap(), "{ev:#?}");
    }
}

#[test]
fn a_rare_flat_keyword_contradicts_a_rising_claim() {
    // ~0.15% of 72,000 postings, flat; a rise of 0.5 pp/yr is ruled out.
    let mut p = rising();
    p.min_effect = Some(0.5);
    let ev = evaluate(&p, &series(36, 2000, 70, |_| 0.0015, None));
    assert_eq!(ev.verdict, Verdict::Contradicted, "{ev:#?}");
    assert!(ev.ci_high.unwrap() < 0.5 && ev.ci_high.unwrap() > ev.ci_low.unwrap());
    assert_eq!(ev.min_effect, Some(0.5));
    assert!(ev.p_value.unwrap() < 1e-6);
    assert!(ev.extra["or_low"] < ev.extra["or_per_year"] && ev.extra["or_per_year"] < ev.extra["or_high"]);
}

#[test]
fn a_rare_keyword_rising_from_zero_is_supported_with_a_real_interval() {
    // 0 -> 1% over three years, about 50 hits in 10,080 postings.
    // Seed 62 draws 50 hits; in 19 of 20 seeds (60..80) the claim is supported (benches/stats_crosscheck.py model).
    let ev = evaluate(&rising(), &series(36, 280, 62, |i| 0.01 * i as f64 / 35.0, None));
    assert_eq!(ev.n_hits, 50);
    assert_eq!(ev.verdict, Verdict::Supported, "{ev:#?}");
    let (lo, hi) = (ev.ci_low.unwrap(), ev.ci_high.unwrap());
    assert!(lo > 0.0 && hi - lo > 0.01, "[{lo}, {hi}]");
    let est = ev.estimate.unwrap();
    assert!(lo < est && est < hi && (est - 0.33).abs() < 0.2, "{est}");
    // With a dozen hits Firth's method takes over: still a finite, non-degenerate interval.
    let ev = evaluate(&rising(), &series(36, 100, 72, |i| 0.007 * i as f64 / 35.0, None));
    assert!(ev.n_hits > 0 && ev.n_hits < 20, "{}", ev.n_hits);
    assert!(ev.method.contains("Firth"), "{}", ev.method);
    let (lo, hi) = (ev.ci_low.unwrap(), ev.ci_high.unwrap());
    assert!(lo.is_finite() && hi.is_finite() && hi - lo > 0.01, "[{lo}, {hi}]");
}

#[test]
fn as_common_as_at_a_third_is_contradicted() {
    let mut p = Prediction::new("x-common", Kind::AsCommonAs, &["vector-database"]);
    p.than = vec!["redis".into()];
    let ev = evaluate(&p, &series(12, 1000, 73, |_| 0.008, Some(&|_| 0.027)));
    assert_eq!(ev.verdict, Verdict::Contradicted, "{ev:#?}");
    assert!((ev.estimate.unwrap() - 0.30).abs() < 0.1, "{:?}", ev.estimate);
    assert!(ev.ci_high.unwrap() < 0.8 && ev.ci_low.unwrap() > 0.0);
    assert_eq!(ev.min_ratio, Some(0.8));
    assert!(ev.effect.starts_with("×0.") && ev.effect.contains("% vs "), "{}", ev.effect);
    // Sparse counts: exact interval, still decisive.
    let ev = evaluate(&p, &series(12, 200, 74, |_| 0.002, Some(&|_| 0.03)));
    assert!(ev.by_source[0].note.contains("exact"), "{ev:#?}");
    assert_eq!(ev.verdict, Verdict::Contradicted, "{ev:#?}");
}

#[test]
fn a_projection_whose_fit_windows_disagree_is_inconclusive() {
    // Flat at 5% for two years, then a steep rise: early fits project little, late fits a lot.
    let share = |i: usize| if i < 24 { 0.05 } else { stats::expit(stats::logit(0.05) + 2.5 * (i - 23) as f64 / 12.0) };
    let mut p = projection(0.5);
    p.since = Some("2023-01".into());
    let data = data_of(vec![source_series("hn", (2023, 0), 36, 1000, 75, share, None)]);
    let ev = evaluate(&p, &data);
    assert_eq!(ev.verdict, Verdict::Inconclusive, "{ev:#?}");
    assert!(ev.remarks.contains("do not agree"), "{}", ev.remarks);
    assert!(ev.effect.starts_with("scenario: ") && ev.effect.contains("5 fits from 2023-01..2025-01"), "{}", ev.effect);
    let first = ev.extra["hn:2023-01:estimate"];
    let last = ev.extra["hn:2025-01:estimate"];
    assert!(last - first > 0.1, "{first} {last}");
    assert!(ev.ci_low.unwrap() < ev.estimate.unwrap() && ev.estimate.unwrap() < ev.ci_high.unwrap());
    // The fan: the earliest window's history and projected months (n = 0).
    assert_eq!(ev.series.first().unwrap().period, "2023-01");
    assert!(ev.series.iter().any(|s| s.n == 0));
    // Fewer than 3 windows: inconclusive with the reason.
    let data = data_of(vec![source_series("hn", (2023, 0), 20, 1000, 76, |_| 0.6, None)]);
    let ev = evaluate(&p, &data);
    assert_eq!(ev.verdict, Verdict::Inconclusive);
    assert!(ev.remarks.contains("too little data for 3 fit windows"), "{}", ev.remarks);
}

#[test]
fn a_significant_but_small_rise_is_contradicted() {
    // +0.1 pp/yr measured on a lot of data: rises, but less than min_effect 0.25.
    let ev = evaluate(&rising(), &series(36, 20_000, 77, |i| 0.02 + 0.001 / 12.0 * i as f64, None));
    assert_eq!(ev.verdict, Verdict::Contradicted, "{ev:#?}");
    assert!(ev.ci_low.unwrap() > 0.0 && ev.ci_high.unwrap() < 0.25);
    assert!(ev.remarks.contains("less than the smallest meaningful effect"), "{}", ev.remarks);
}

// ------------------------------------------------------------------------------------------------- the binary

#[test]
fn check_prints_sources_and_notes_and_writes_the_counts() {
    use jobtrend::posting::Posting;
    let tmp = crate::common::tempdir();
    let data = tmp.path().join("data");
    let mut store = jobtrend::store::Store::open(&data, false).unwrap();
    let mut rows = Vec::new();
    // hn: 24 months of 100 postings, GraphQL in 10 + i; remotive: one month of 40, GraphQL in 30.
    let months: Vec<(String, String, usize, usize)> = (0..24)
        .map(|i| ("hn".to_string(), month(i, 2024), 100, 10 + i))
        .chain([("remotive".to_string(), "2025-12".to_string(), 40, 30)])
        .collect();
    for (src, m, n, k) in &months {
        for i in 0..*n {
            let text = if i < *k { "Backend in Python with a GraphQL API" } else { "Backend in Python" };
            let mut p = Posting::new(format!("{src}:{m}:{i}"), src, text);
            p.month = m.clone();
            rows.push(p.finish(chrono::Utc::now()));
        }
    }
    store.append(rows).unwrap();
    drop(store);
    let claims = tmp.path().join("claims.toml");
    std::fs::write(
        &claims,
        "[[prediction]]\nid = \"graphql-rising\"\nclaim = \"GraphQL is rising\"\nkind = \"rising\"\n\
         keywords = [\"graphql\"]\nsince = \"2024-01\"\nnote = \"my reading\"\n",
    )
    .unwrap();
    let counts = tmp.path().join("counts.csv");
    let run = |format: &str| {
        let out = crate::common::jobtrend()
            .arg("--data")
            .arg(&data)
            .args(["check", "--format", format, "--predictions"])
            .arg(&claims)
            .arg("--counts")
            .arg(&counts)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let table = run("table");
    assert!(table.contains("  ↳ hn "), "{table}");
    assert!(table.contains("  ↳ remotive "), "{table}");
    assert!(table.contains("1 month(s) with ≥30 postings in 2024-01..; needs 6"), "{table}");
    assert!(table.contains("    note: my reading"), "{table}");
    assert!(table.contains("min_effect 0.25 pp/yr"), "{table}");
    // A window column: the months the verdict used.
    assert!(table.lines().next().is_some_and(|h| h.contains("window")), "{table}");
    assert!(table.contains("2024-01..2025-12"), "{table}");
    let csv = std::fs::read_to_string(&counts).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "claim,source,month,postings,hits,than_hits");
    assert_eq!(lines.len(), 1 + 25, "{csv}");
    assert!(lines.contains(&"graphql-rising,hn,2024-01,100,10,"), "{csv}");
    assert!(lines.contains(&"graphql-rising,remotive,2025-12,40,30,"), "{csv}");
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let ev = &json[0];
    assert_eq!(ev["verdict"], "supported", "{ev}");
    assert_eq!(ev["note"], "my reading");
    assert_eq!(ev["by_source"].as_array().unwrap().len(), 2);
    assert_eq!(ev["n_postings"], 2400, "the one-month source takes no part");
    let md = run("md");
    assert!(md.contains("| by source |") && md.contains("- `graphql-rising`: my reading"), "{md}");
}
