//! Issue 12's six acceptance cases through the binary: synthetic postings stored in a dataset, a user's claims
//! file (no quote, no section), `jobtrend check` in every format. The same cases on the library's `evaluate` are
//! in `verdicts.rs` and `predictions.rs`; these show that the stored postings, the match index, the analysis
//! layer, Holm across the file and the rendering keep the verdicts and intervals the issue asks for.

use std::collections::BTreeMap;
use std::path::Path;

use jobtrend::posting::Posting;
use serde_json::Value;

use jobtrend::predictions::stats::SplitMix64;

use super::{binom, month};
use crate::common::{jobtrend, tempdir};

/// One month of one source: `n` postings, and for each word the number of postings that name it.
struct MonthSpec {
    source: &'static str,
    month: String,
    n: usize,
    words: Vec<(&'static str, usize)>,
}

/// Stores the postings of `months` in a new dataset at `data`. The `k` postings that name a word are spread over
/// the month (each word starts at its own offset); every text is distinct, so no two postings are one job.
fn store(data: &Path, months: &[MonthSpec]) {
    let mut rows = Vec::new();
    for m in months {
        for i in 0..m.n {
            let mut named = Vec::new();
            for (w, (word, k)) in m.words.iter().enumerate() {
                if (i + m.n - (w * 37) % m.n) % m.n < *k {
                    named.push(*word);
                }
            }
            let text = format!(
                "Backend engineer {i} at {} {}. We use Python{}{}.",
                m.source,
                m.month,
                if named.is_empty() { "" } else { ", " },
                named.join(", ")
            );
            let mut p = Posting::new(format!("{}:{}:{i}", m.source, m.month), m.source, text);
            p.month = m.month.clone();
            rows.push(p.finish(chrono::Utc::now()));
        }
    }
    let mut s = jobtrend::store::Store::open(data, false).unwrap();
    s.append(rows).unwrap();
}

/// `jobtrend --data DATA check --predictions CLAIMS --format FORMAT [--counts COUNTS]`: stdout (exit 0 asserted).
fn check(data: &Path, claims: &Path, format: &str, counts: Option<&Path>) -> String {
    let mut cmd = jobtrend();
    cmd.arg("--data").arg(data).args(["check", "--format", format, "--predictions"]).arg(claims);
    if let Some(c) = counts {
        cmd.arg("--counts").arg(c);
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn by_id(json: &Value) -> BTreeMap<String, Value> {
    json.as_array().unwrap().iter().map(|e| (e["id"].as_str().unwrap().to_string(), e.clone())).collect()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// No interval shown in any format collapses to one value (`[0.00, 0.00]`, `[0.5, 0.5]`...).
fn assert_no_degenerate_interval(text: &str) {
    for (i, _) in text.match_indices('[') {
        let Some(end) = text[i..].find(']') else { continue };
        let inner = &text[i + 1..i + end];
        if let Some((lo, hi)) = inner.split_once(", ")
            && lo.parse::<f64>().is_ok()
        {
            assert_ne!(lo, hi, "collapsed interval [{inner}] in:\n{text}");
        }
    }
}

#[test]
fn two_flat_sources_whose_pooled_share_rises_do_not_support_a_rise() {
    // hn: 36 months at 5%; remotive, another audience, only in the last 12 months, at 20%.
    let tmp = tempdir();
    let data = tmp.path().join("data");
    let mut months: Vec<MonthSpec> = (0..36)
        .map(|i| MonthSpec { source: "hn", month: month(i, 2023), n: 280, words: vec![("GraphQL", 14)] })
        .collect();
    months.extend((24..36).map(|i| MonthSpec {
        source: "remotive",
        month: month(i, 2023),
        n: 280,
        words: vec![("GraphQL", 56)],
    }));
    store(&data, &months);
    let claims = tmp.path().join("claims.toml");
    std::fs::write(
        &claims,
        "[[prediction]]\nid = \"graphql-rising\"\nclaim = \"GraphQL is rising\"\nkind = \"rising\"\n\
         keywords = [\"graphql\"]\nsince = \"2023-01\"\n",
    )
    .unwrap();
    let counts = tmp.path().join("counts.csv");
    let json: Value = serde_json::from_str(&check(&data, &claims, "json", Some(&counts))).unwrap();
    // Pooled over both sources the share rises from 5% to 12.5%.
    let mut pooled: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for line in std::fs::read_to_string(&counts).unwrap().lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        let e = pooled.entry(c[2].to_string()).or_default();
        e.0 += c[3].parse::<u64>().unwrap();
        e.1 += c[4].parse::<u64>().unwrap();
    }
    let share = |m: &str| pooled[m].1 as f64 / pooled[m].0 as f64;
    assert!((share("2023-01") - 0.05).abs() < 1e-9 && (share("2025-12") - 0.125).abs() < 1e-9, "{pooled:?}");
    let ev = &json[0];
    assert_ne!(ev["verdict"], "supported", "{ev:#}");
    let rows = ev["by_source"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{ev:#}");
    for r in rows {
        assert_ne!(r["verdict"], "supported", "{r:#}");
        assert!(f(&r["estimate"]).abs() < 0.01, "each source is flat: {r:#}");
        assert!(f(&r["ci_low"]) < 0.0 && f(&r["ci_high"]) > 0.0, "{r:#}");
    }
    let hn = rows.iter().find(|r| r["source"] == "hn").unwrap();
    assert_eq!((hn["n_postings"].as_u64(), hn["n_hits"].as_u64()), (Some(10_080), Some(504)));
    let remotive = rows.iter().find(|r| r["source"] == "remotive").unwrap();
    assert_eq!((remotive["n_postings"].as_u64(), remotive["n_hits"].as_u64()), (Some(3_360), Some(672)));
    assert!(f(&ev["estimate"]).abs() < 0.01, "combined: flat, not the pooled rise: {ev:#}");
    assert_eq!(ev["sources_disagree"], false, "{ev:#}");
    let table = check(&data, &claims, "table", None);
    assert!(table.contains("  ↳ hn ") && table.contains("  ↳ remotive "), "{table}");
}

/// The claims of the five single-source cases (a user's file: no quote, no section).
const CLAIMS: &str = r#"
[[prediction]]
id = "rare-flat"
claim = "Bun rises by at least half a point a year"
kind = "rising"
keywords = ["bun"]
since = "2023-01"
min_effect = 0.5

[[prediction]]
id = "rare-rising"
claim = "MCP is rising"
kind = "rising"
keywords = ["mcp"]
since = "2023-01"

[[prediction]]
id = "zero-hits"
claim = "Deno is rising"
kind = "rising"
keywords = ["deno"]
since = "2023-01"

[[prediction]]
id = "ratio-third"
claim = "Vector databases are as common as Redis"
kind = "as-common-as"
keywords = ["vector-database"]
than = ["redis"]
since = "2023-01"

[[prediction]]
id = "windows-disagree"
claim = "Terraform in half of all postings by 2028"
kind = "projection"
keywords = ["terraform"]
since = "2023-01"
level = 0.5
by = "2028-12"
"#;

/// The data of the five single-source cases: hn, 2023-01..2025-12, 280 postings a month (10,080 in all).
fn single_source_months() -> Vec<MonthSpec> {
    let n = 280usize;
    let round = |x: f64| x.round() as usize;
    // 0 -> 1% over three years, binomial draws: the 50 hits of the same case in `verdicts.rs` (seed 62). Rounded
    // expected counts would make a staircase, whose runs of residuals the autocorrelation correction reads as
    // autocorrelation (inflation 6.6, inconclusive); binomial counts of ~1 a month do not run like that.
    let mut rng = SplitMix64::new(62);
    let rising: Vec<usize> = (0..36).map(|i| binom(&mut rng, n as u64, 0.01 * i as f64 / 35.0) as usize).collect();
    (0..36)
        .map(|i| {
            let words = vec![
                // ~0.15%, flat: one posting in 672 (15 in all).
                ("bun.js", usize::from((i * n..(i + 1) * n).any(|g| g % 672 == 0))),
                ("Model Context Protocol", rising[i]),
                // ~0.9% vs 2.7%: a ratio of about 0.3.
                ("a vector database", 2 + i % 2),
                ("Redis", 8),
                // Flat at 5% for two years, then a steep rise: early and late fit windows project differently.
                ("Terraform", {
                    let logit = (0.05f64 / 0.95).ln() + if i < 24 { 0.0 } else { 2.5 * (i - 23) as f64 / 12.0 };
                    round(n as f64 / (1.0 + (-logit).exp()))
                }),
            ];
            MonthSpec { source: "hn", month: month(i, 2023), n, words }
        })
        .collect()
}

#[test]
fn rare_zero_ratio_and_projection_cases_through_check() {
    let months = single_source_months();
    let tmp = tempdir();
    let data = tmp.path().join("data");
    store(&data, &months);
    let claims = tmp.path().join("claims.toml");
    std::fs::write(&claims, CLAIMS).unwrap();
    let json: Value = serde_json::from_str(&check(&data, &claims, "json", None)).unwrap();
    let evs = by_id(&json);

    // A rare keyword flat at ~0.15%: a rise of min_effect 0.5 pp/yr is ruled out.
    let e = &evs["rare-flat"];
    assert_eq!(e["n_hits"], 15, "{e:#}");
    assert_eq!(e["verdict"], "contradicted", "{e:#}");
    assert_eq!(e["min_effect"], 0.5);
    assert!(f(&e["ci_low"]) < f(&e["ci_high"]) && f(&e["ci_high"]) < 0.5, "{e:#}");

    // Rising from 0 to ~1% over three years, about 50 hits: supported, with a real interval.
    let e = &evs["rare-rising"];
    let hits = e["n_hits"].as_u64().unwrap();
    assert_eq!(hits, 50, "{e:#}");
    assert_eq!(e["verdict"], "supported", "{e:#}");
    let (lo, est, hi) = (f(&e["ci_low"]), f(&e["estimate"]), f(&e["ci_high"]));
    assert!(0.0 < lo && lo < est && est < hi && hi - lo > 0.01, "[{lo}, {hi}] around {est}");
    assert_eq!(e["min_effect"], 0.25, "the default min_effect");

    // No hit at all: no interval, an upper bound on the share, "not estimable".
    let e = &evs["zero-hits"];
    assert_eq!(e["n_hits"], 0);
    assert!(e["ci_low"].is_null() && e["ci_high"].is_null() && e["estimate"].is_null(), "{e:#}");
    assert!(e["effect"].as_str().unwrap().starts_with("no mention in 10,080 postings (share < 0.03%"), "{e:#}");
    assert!(e["remarks"].as_str().unwrap().contains("not estimable"), "{e:#}");
    assert!(f(&e["extra"]["share_upper_bound"]) > 0.0);

    // As common as, at a ratio of about 0.3: contradicted.
    let e = &evs["ratio-third"];
    assert_eq!(e["verdict"], "contradicted", "{e:#}");
    assert!((f(&e["estimate"]) - 0.3).abs() < 0.05, "{e:#}");
    assert!(0.0 < f(&e["ci_low"]) && f(&e["ci_high"]) < 0.8, "{e:#}");
    assert_eq!(e["min_ratio"], 0.8);

    // A projection whose fit windows disagree: inconclusive, reported as a scenario.
    let e = &evs["windows-disagree"];
    assert_eq!(e["verdict"], "inconclusive", "{e:#}");
    assert!(e["remarks"].as_str().unwrap().contains("do not agree"), "{e:#}");
    let effect = e["effect"].as_str().unwrap();
    assert!(effect.starts_with("scenario: ") && effect.contains("5 fits from 2023-01..2025-01"), "{effect}");
    assert!(f(&e["extra"]["hn:2025-01:estimate"]) - f(&e["extra"]["hn:2023-01:estimate"]) > 0.1, "{e:#}");

    // Every format shows the thresholds and never a collapsed interval.
    let table = check(&data, &claims, "table", None);
    let md = check(&data, &claims, "md", None);
    for text in [&table, &md] {
        assert_no_degenerate_interval(text);
        assert!(text.contains("min_effect 0.50 pp/yr") && text.contains("min_effect 0.25 pp/yr"), "{text}");
        assert!(text.contains("min_ratio 0.80") && text.contains("level 50"), "{text}");
        assert!(text.contains("no mention in 10,080 postings"), "{text}");
    }
}

#[test]
fn a_users_claims_file_with_only_the_required_fields_and_errors_that_name_the_claim() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    let months: Vec<MonthSpec> = (0..12)
        .map(|i| MonthSpec { source: "hn", month: month(i, 2025), n: 40, words: vec![("Rust", 4 + i), ("MySQL", 2)] })
        .collect();
    store(&data, &months);
    // Only id, claim, kind and the keywords (and `than` for a comparison): no quote, no section, no window.
    let mine = tmp.path().join("mine.toml");
    std::fs::write(
        &mine,
        "[[prediction]]\nid = \"rust-rising\"\nclaim = \"Rust keeps rising\"\nkind = \"rising\"\nkeywords = [\"rust\"]\n\n\
         [[prediction]]\nid = \"rust-above-mysql\"\nclaim = \"Rust above MySQL\"\nkind = \"above\"\n\
         keywords = [\"rust\"]\nthan = [\"mysql\"]\n",
    )
    .unwrap();
    let json: Value = serde_json::from_str(&check(&data, &mine, "json", None)).unwrap();
    let evs = by_id(&json);
    assert_eq!(evs.len(), 2);
    assert_eq!(evs["rust-rising"]["verdict"], "supported", "{:#}", evs["rust-rising"]);
    assert_eq!(evs["rust-rising"]["min_effect"], 0.25);
    assert_eq!(evs["rust-above-mysql"]["min_ratio"], 1.0);
    assert!(evs.values().all(|e| e["note"].is_null()), "no note given");

    // A claim without its kind, between two good ones: the error names that claim, the field and the file.
    let run_err = |toml: &str| {
        let path = tmp.path().join("bad.toml");
        std::fs::write(&path, toml).unwrap();
        let out = jobtrend().arg("--data").arg(&data).args(["check", "--predictions"]).arg(&path).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(out.stdout.is_empty());
        String::from_utf8(out.stderr).unwrap()
    };
    let good =
        |id: &str| format!("[[prediction]]\nid = \"{id}\"\nclaim = \"x\"\nkind = \"rising\"\nkeywords = [\"go\"]\n\n");
    let missing =
        format!("{}[[prediction]]\nid = \"no-kind\"\nclaim = \"x\"\nkeywords = [\"go\"]\n\n{}", good("a"), good("b"));
    let err = run_err(&missing);
    let file = tmp.path().join("bad.toml").display().to_string();
    assert!(err.contains(&format!("{file}: claim `no-kind`, field `kind`: missing field `kind`")), "{err}");
    // An unknown keyword id (found after parsing, against the taxonomy): named with the file too.
    let unknown = format!("{}{}", good("a"), good("typo").replace("\"go\"", "\"golang-typo\""));
    let err = run_err(&unknown);
    assert!(
        err.contains(&format!("{file}: claim `typo`, field `keywords`: unknown keyword id `golang-typo`")),
        "{err}"
    );
}
