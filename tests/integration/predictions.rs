//! Predictions: the claims file, and verdicts on synthetic monthly data of known shape for every kind.

use jobtrend::predictions::stats::{self, SplitMix64};
use jobtrend::predictions::{
    self, ClaimData, Kind, MonthPoint, Prediction, PredictionError, SECTIONS, SalaryObs, Verdict, evaluate,
    evaluate_all,
};

/// The keyword ids of issue 3 that claims may use.
const IDS: &[&str] = jobtrend::keywords::REQUIRED_IDS;

fn month(i: usize, start_year: i32) -> String {
    format!("{:04}-{:02}", start_year + (i / 12) as i32, i % 12 + 1)
}

/// Binomial draw with a seeded PRNG.
fn binom(rng: &mut SplitMix64, n: u64, p: f64) -> u64 {
    (0..n).filter(|_| ((rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p).count() as u64
}

/// `m` months from 2024-01 with `n` postings each; share of hits `f(i)`, of than-hits `g(i)` when given.
fn series(m: usize, n: u64, seed: u64, f: impl Fn(usize) -> f64, g: Option<&dyn Fn(usize) -> f64>) -> ClaimData {
    let mut rng = SplitMix64::new(seed);
    let months = (0..m)
        .map(|i| {
            let hits = binom(&mut rng, n, f(i));
            let than_hits = g.map(|g| binom(&mut rng, n, g(i)));
            MonthPoint { source: "hn".into(), month: month(i, 2024), postings: n, hits, than_hits }
        })
        .collect();
    ClaimData { months, salaries: Vec::new() }
}

fn rising() -> Prediction {
    Prediction::new("x-rising", Kind::Rising, &["typescript"])
}

#[test]
fn planted_rise_is_supported() {
    let data = series(24, 800, 1, |i| 0.10 + 0.004 * i as f64, None);
    let ev = evaluate(&rising(), &data);
    assert_eq!(ev.verdict, Verdict::Supported, "{ev:#?}");
    // 0.4 pp/month = 4.8 pp/yr.
    let est = ev.estimate.unwrap();
    assert!((est - 4.8).abs() < 1.5, "{est}");
    assert!(ev.ci_low.unwrap() > 0.0 && ev.ci_high.unwrap() > est);
    assert!(ev.effect.starts_with('+') && ev.effect.ends_with("pp/yr"), "{}", ev.effect);
    assert_eq!(ev.n_months, 24);
    assert_eq!(ev.since.as_deref(), Some("2024-01"));
    assert_eq!(ev.until.as_deref(), Some("2025-12"));
    assert!(ev.share_end.unwrap() > ev.share_start.unwrap());
    assert_eq!(ev.series.len(), 24);
}

#[test]
fn flat_series_is_inconclusive() {
    for seed in 1..=5 {
        let data = series(24, 800, seed, |_| 0.15, None);
        let ev = evaluate(&rising(), &data);
        assert_eq!(ev.verdict, Verdict::Inconclusive, "seed {seed}: {ev:#?}");
        let mut falling = rising();
        falling.kind = Kind::Falling;
        assert_eq!(evaluate(&falling, &data).verdict, Verdict::Inconclusive, "seed {seed}");
    }
}

#[test]
fn planted_fall_contradicts_a_rising_claim_and_supports_a_falling_one() {
    let data = series(24, 800, 2, |i| 0.30 - 0.005 * i as f64, None);
    assert_eq!(evaluate(&rising(), &data).verdict, Verdict::Contradicted);
    let mut falling = rising();
    falling.kind = Kind::Falling;
    let ev = evaluate(&falling, &data);
    assert_eq!(ev.verdict, Verdict::Supported);
    assert!(ev.estimate.unwrap() < 0.0 && ev.effect.starts_with('-'), "{}", ev.effect);
}

#[test]
fn too_little_data_is_inconclusive() {
    // Five months only.
    let data = series(5, 800, 3, |i| 0.10 + 0.05 * i as f64, None);
    let ev = evaluate(&rising(), &data);
    assert_eq!(ev.verdict, Verdict::Inconclusive);
    assert!(ev.remarks.contains("too little data"), "{}", ev.remarks);
    assert_eq!(ev.p_value, None);
    // Twelve months but too few postings in each.
    let data = series(12, 20, 3, |i| 0.10 + 0.05 * i as f64, None);
    let ev = evaluate(&rising(), &data);
    assert_eq!(ev.verdict, Verdict::Inconclusive);
    assert!(ev.remarks.contains("12 thinner month(s)"), "{}", ev.remarks);
    // Plenty of data, but outside the window.
    let mut p = rising();
    p.since = Some("2030-01".into());
    let ev = evaluate(&p, &series(24, 800, 1, |i| 0.10 + 0.004 * i as f64, None));
    assert_eq!(ev.verdict, Verdict::Inconclusive);
    assert_eq!(ev.n_months, 0);
}

#[test]
fn window_limits_the_months_used() {
    // Falls in 2024, rises in 2025: the verdict depends on the window.
    let data =
        series(24, 800, 4, |i| if i < 12 { 0.30 - 0.01 * i as f64 } else { 0.19 + 0.01 * (i - 12) as f64 }, None);
    let mut p = rising();
    p.since = Some("2025-01".into());
    let ev = evaluate(&p, &data);
    assert_eq!(ev.verdict, Verdict::Supported, "{ev:#?}");
    assert_eq!(ev.n_months, 12);
    p.since = None;
    p.until = Some("2024-12".into());
    assert_eq!(evaluate(&p, &data).verdict, Verdict::Contradicted);
}

#[test]
fn zero_hits_give_an_upper_bound_not_a_degenerate_interval() {
    // 19,200 postings and no mention: share < 0.016%; a rise of 0.25 pp/yr over 1.9 years would need an average
    // share of at least 0.24%: ruled out.
    let data = series(24, 800, 5, |_| 0.0, None);
    let ev = evaluate(&rising(), &data);
    assert_eq!(ev.verdict, Verdict::Contradicted, "{ev:#?}");
    assert_eq!((ev.estimate, ev.ci_low, ev.ci_high), (None, None, None));
    assert_eq!(ev.effect, "no mention in 19,200 postings (share < 0.02%, 95% upper bound)");
    assert!(ev.remarks.contains("not estimable"), "{}", ev.remarks);
    assert!((ev.extra["share_upper_bound"] - (1.0 - 0.05f64.powf(1.0 / 19_200.0))).abs() < 1e-12);
    assert!(ev.p_value.unwrap() < 1e-10);
    assert_eq!(ev.min_effect, Some(predictions::DEFAULT_MIN_EFFECT));
    // 180 postings: nothing can be ruled out.
    let ev = evaluate(&rising(), &series(6, 30, 5, |_| 0.0, None));
    assert_eq!(ev.verdict, Verdict::Inconclusive, "{ev:#?}");
    assert!(ev.effect.starts_with("no mention in 180 postings (share < 1.7%"), "{}", ev.effect);
    // The rendered table never shows a collapsed interval.
    let table = predictions::render::table(&[ev]);
    assert!(!table.contains("0.00, 0.00"), "{table}");
}

fn above() -> Prediction {
    let mut p = Prediction::new("x-above", Kind::Above, &["postgresql"]);
    p.than = vec!["mysql".into()];
    p
}

#[test]
fn a_above_b_gap_is_found() {
    let data = series(12, 600, 6, |_| 0.25, Some(&|_| 0.15));
    let ev = evaluate(&above(), &data);
    assert_eq!(ev.verdict, Verdict::Supported, "{ev:#?}");
    let est = ev.estimate.unwrap();
    assert!((est - 25.0 / 15.0).abs() < 0.15, "{est}");
    assert!(ev.ci_low.unwrap() > 1.0 && ev.ci_high.unwrap() > est);
    assert!((ev.than_share.unwrap() - 0.15).abs() < 0.02);
    assert!((ev.extra["diff_pp"] - 10.0).abs() < 2.0);
    assert_eq!(ev.min_ratio, Some(1.0));
    assert!(ev.effect.starts_with('×') && ev.effect.contains(" vs "), "{}", ev.effect);
    // Reversed: contradicted.
    let data = series(12, 600, 7, |_| 0.10, Some(&|_| 0.15));
    let ev = evaluate(&above(), &data);
    assert_eq!(ev.verdict, Verdict::Contradicted);
    assert!(ev.ci_high.unwrap() < 1.0);
    // Equal: inconclusive.
    let data = series(12, 600, 8, |_| 0.15, Some(&|_| 0.15));
    assert_eq!(evaluate(&above(), &data).verdict, Verdict::Inconclusive);
}

#[test]
fn above_without_than_counts_is_inconclusive() {
    let data = series(12, 600, 6, |_| 0.25, None);
    let ev = evaluate(&above(), &data);
    assert_eq!(ev.verdict, Verdict::Inconclusive);
    assert!(ev.remarks.contains("than"), "{}", ev.remarks);
}

#[test]
fn as_common_as_uses_the_ratio_threshold() {
    let mut p = Prediction::new("x-common", Kind::AsCommonAs, &["vector-database"]);
    p.than = vec!["redis".into()];
    // 0.095 / 0.10 = 0.95 >= 0.8: supported.
    let ev = evaluate(&p, &series(12, 3000, 9, |_| 0.095, Some(&|_| 0.10)));
    assert_eq!(ev.verdict, Verdict::Supported, "{ev:#?}");
    assert!(ev.ci_low.unwrap() > 0.8 && ev.ci_low.unwrap() < 0.95 && ev.ci_high.unwrap() > 0.95);
    // 0.03 / 0.10 = 0.3: contradicted.
    let ev = evaluate(&p, &series(12, 3000, 10, |_| 0.03, Some(&|_| 0.10)));
    assert_eq!(ev.verdict, Verdict::Contradicted);
    assert!(ev.ci_high.unwrap() < 0.8);
    // 0.08 / 0.10 = 0.8, right at the threshold: inconclusive.
    let ev = evaluate(&p, &series(12, 3000, 11, |_| 0.08, Some(&|_| 0.10)));
    assert_eq!(ev.verdict, Verdict::Inconclusive, "{ev:#?}");
}

#[test]
fn not_falling_has_a_tolerance() {
    let mut p = Prediction::new("x-stable", Kind::NotFalling, &["postgresql"]);
    // Flat at 20%: the decline is significantly smaller than 5% of 20% = 1 pp/yr.
    let ev = evaluate(&p, &series(36, 2000, 12, |_| 0.20, None));
    assert_eq!(ev.verdict, Verdict::Supported, "{ev:#?}");
    assert!((ev.threshold.unwrap() + 1.0).abs() < 0.1);
    // Falling 3 pp/yr: contradicted.
    let ev = evaluate(&p, &series(36, 2000, 13, |i| 0.25 - 0.0025 * i as f64, None));
    assert_eq!(ev.verdict, Verdict::Contradicted);
    // Rising: supported.
    let ev = evaluate(&p, &series(36, 2000, 14, |i| 0.20 + 0.002 * i as f64, None));
    assert_eq!(ev.verdict, Verdict::Supported);
    assert_eq!(ev.min_effect.map(|m| m > 0.0), Some(true));
    // Falling at about min_effect (1 pp/yr), little data: inconclusive.
    p.min_effect = Some(1.0);
    let ev = evaluate(&p, &series(8, 300, 15, |i| 0.20 - 0.2 * 0.05 / 12.0 * i as f64, None));
    assert_eq!(ev.verdict, Verdict::Inconclusive);
}

#[test]
fn share_at_least() {
    let mut p = Prediction::new("x-share", Kind::ShareAtLeast, &["kubernetes"]);
    p.level = Some(0.10);
    let ev = evaluate(&p, &series(12, 500, 16, |_| 0.15, None));
    assert_eq!(ev.verdict, Verdict::Supported, "{ev:#?}");
    assert!(ev.ci_low.unwrap() > 10.0 && (ev.estimate.unwrap() - 15.0).abs() < 1.0);
    let ev = evaluate(&p, &series(12, 500, 17, |_| 0.05, None));
    assert_eq!(ev.verdict, Verdict::Contradicted);
    let ev = evaluate(&p, &series(12, 500, 18, |_| 0.10, None));
    assert_eq!(ev.verdict, Verdict::Inconclusive);
    // Overdispersed months (10% and 20% alternating) widen the interval.
    let smooth = evaluate(&p, &series(12, 500, 19, |_| 0.15, None));
    let rough = evaluate(&p, &series(12, 500, 19, |i| if i % 2 == 0 { 0.10 } else { 0.20 }, None));
    assert!(rough.extra["dispersion"] > 3.0);
    let width = |e: &predictions::Evaluation| e.ci_high.unwrap() - e.ci_low.unwrap();
    assert!(width(&rough) > 1.5 * width(&smooth));
}

fn projection(level: f64) -> Prediction {
    let mut p = Prediction::new("x-proj", Kind::Projection, &["llm"]);
    p.level = Some(level);
    p.by = Some("2028-12".into());
    p
}

#[test]
fn projection_supported_contradicted_inconclusive() {
    // Logit-linear rise from 10% (2024-01), +1 logit per year, 24 months.
    let rise = |i: usize| stats::expit(stats::logit(0.10) + i as f64 / 12.0);
    let data = series(24, 1000, 20, rise, None);
    // By 2028-12 (5 years after 2024-01): logit(0.1) + 4.92 -> about 94%.
    let ev = evaluate(&projection(0.5), &data);
    assert_eq!(ev.verdict, Verdict::Supported, "{ev:#?}");
    assert!((ev.estimate.unwrap() - 94.0).abs() < 4.0, "{:?}", ev.estimate);
    assert!(ev.ci_low.unwrap() > 50.0);
    // The fan runs from the first month to 2028-12 and widens.
    assert_eq!(ev.series.first().unwrap().period, "2024-01");
    assert_eq!(ev.series.last().unwrap().period, "2028-12");
    let w = |s: &predictions::SeriesPoint| stats::logit(s.hi) - stats::logit(s.lo);
    assert!(w(ev.series.last().unwrap()) > w(&ev.series[12]));
    // A flat 10% share cannot reach 90%.
    let ev = evaluate(&projection(0.9), &series(24, 1000, 21, |_| 0.10, None));
    assert_eq!(ev.verdict, Verdict::Contradicted, "{ev:#?}");
    assert!(ev.ci_high.unwrap() < 90.0);
    // A noisy flat series at about the level: inconclusive.
    let ev = evaluate(&projection(0.3), &series(24, 200, 22, |i| if i % 3 == 0 { 0.2 } else { 0.35 }, None));
    assert_eq!(ev.verdict, Verdict::Inconclusive, "{ev:#?}");
    // Projections need 12 months.
    let ev = evaluate(&projection(0.5), &series(10, 1000, 20, rise, None));
    assert_eq!(ev.verdict, Verdict::Inconclusive);
    assert!(ev.remarks.contains("needs 12"), "{}", ev.remarks);
}

/// Salaries: `per` per (currency, seniority, treated) cell; treated pay `ratio` times the base, log-noise ±20%
/// (±spread/2 in `salaries_spread`).
fn salaries(per: usize, ratio: f64, seed: u64) -> ClaimData {
    salaries_spread(per, ratio, seed, 0.4)
}

fn salaries_spread(per: usize, ratio: f64, seed: u64, spread: f64) -> ClaimData {
    let mut rng = SplitMix64::new(seed);
    let mut out = Vec::new();
    for (cur, base) in [("USD", 150_000.0), ("EUR", 80_000.0)] {
        for (sen, mult) in [("senior", 1.2), ("", 1.0)] {
            for treated in [true, false] {
                for i in 0..per {
                    let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
                    let noise = (spread * (u - 0.5)).exp();
                    out.push(SalaryObs {
                        source: "hn".into(),
                        month: month(i % 24, 2024),
                        annual: base * mult * if treated { ratio } else { 1.0 } * noise,
                        currency: cur.into(),
                        seniority: sen.into(),
                        treated,
                    });
                }
            }
        }
    }
    ClaimData { months: Vec::new(), salaries: out }
}

fn premium() -> Prediction {
    let mut p = Prediction::new("x-premium", Kind::Premium, &["rag"]);
    p.expected = Some([1.10, 1.20]);
    p
}

#[test]
fn premium_cases() {
    // A planted 15% premium: supported, interval inside or around the claimed range.
    let ev = evaluate(&premium(), &salaries(200, 1.15, 30));
    assert_eq!(ev.verdict, Verdict::Supported, "{ev:#?}");
    assert!((ev.estimate.unwrap() - 1.15).abs() < 0.03, "{:?}", ev.estimate);
    assert!(ev.ci_low.unwrap() > 1.0 && ev.ci_low.unwrap() < 1.20 && ev.ci_high.unwrap() > 1.10);
    assert_eq!(ev.n_hits, 800);
    assert_eq!(ev.extra["strata"], 4.0);
    assert!(!ev.series.is_empty() && ev.series.iter().all(|s| s.period == "2024" || s.period == "2025"));
    // Deterministic: the same data gives the same interval.
    let again = evaluate(&premium(), &salaries(200, 1.15, 30));
    assert_eq!((ev.ci_low, ev.ci_high), (again.ci_low, again.ci_high));
    // No premium: contradicted (significantly below 1.10).
    let ev = evaluate(&premium(), &salaries(200, 1.0, 31));
    assert_eq!(ev.verdict, Verdict::Contradicted, "{ev:#?}");
    assert!(ev.ci_high.unwrap() < 1.10);
    // A premium much larger than claimed: still supported, with a note.
    let ev = evaluate(&premium(), &salaries(200, 1.5, 32));
    assert_eq!(ev.verdict, Verdict::Supported);
    assert!(ev.remarks.contains("larger than the claimed"), "{}", ev.remarks);
    // Few salaries: inconclusive.
    let ev = evaluate(&premium(), &salaries(4, 1.15, 33));
    assert_eq!(ev.verdict, Verdict::Inconclusive);
    assert!(ev.remarks.contains("too little data"), "{}", ev.remarks);
    // Small, very noisy sample around 1.05: inconclusive.
    let ev = evaluate(&premium(), &salaries_spread(6, 1.05, 34, 1.5));
    assert_eq!(ev.verdict, Verdict::Inconclusive, "{ev:#?}");
}

#[test]
fn roles_claims_use_the_same_machinery() {
    let mut p = Prediction::new("x-role", Kind::Rising, &[]);
    p.roles = vec!["platform".into()];
    predictions::validate(&[p.clone()], IDS).unwrap();
    let data = series(24, 800, 40, |i| 0.02 + 0.002 * i as f64, None);
    assert_eq!(evaluate(&p, &data).verdict, Verdict::Supported);
}

#[test]
fn evaluate_all_applies_holm() {
    let strong = series(24, 800, 1, |i| 0.10 + 0.004 * i as f64, None);
    let mut items: Vec<(Prediction, ClaimData)> = vec![(rising(), strong)];
    // Weak evidence: significant on its own, not after Holm over many claims.
    let weak = series(24, 300, 50, |i| 0.10 + 0.0006 * i as f64, None);
    let single = evaluate(&rising(), &weak);
    for s in 0..10 {
        items.push((rising(), series(24, 800, 100 + s, |_| 0.15, None)));
    }
    items.push((rising(), weak.clone()));
    items.push((rising(), series(3, 800, 1, |_| 0.15, None))); // untested: not in the family
    let evs = evaluate_all(&items);
    assert_eq!(evs.len(), items.len());
    assert_eq!(evs[0].verdict, Verdict::Supported);
    let tested: Vec<f64> = evs.iter().filter_map(|e| e.p_value).collect();
    assert_eq!(tested.len(), 12);
    let adj = stats::holm(&tested);
    let got: Vec<f64> = evs.iter().filter_map(|e| e.p_holm).collect();
    assert_eq!(adj, got);
    assert!(evs.iter().all(|e| e.p_holm.unwrap_or(1.0) >= e.p_value.unwrap_or(1.0)));
    assert_eq!(evs.last().unwrap().p_holm, None);
    let w = &evs[11];
    assert!(w.p_holm.unwrap() >= single.p_value.unwrap());
    if single.verdict == Verdict::Supported && w.p_holm.unwrap() >= predictions::ALPHA {
        assert_eq!(w.verdict, Verdict::Inconclusive);
    }
}

#[test]
fn holm_wilson_mann_kendall_reference_values() {
    // Holm: p = (0.01, 0.04, 0.03, 0.005), m = 4:
    // sorted 0.005*4 = 0.02, 0.01*3 = 0.03, 0.03*2 = 0.06, 0.04*1 = 0.04 -> running max 0.02, 0.03, 0.06, 0.06.
    let adj = stats::holm(&[0.01, 0.04, 0.03, 0.005]);
    for (a, w) in adj.iter().zip([0.03, 0.06, 0.06, 0.02]) {
        assert!((a - w).abs() < 1e-12, "{adj:?}");
    }
    // Wilson 95% for 81/263 (Newcombe 1998): 0.2553 to 0.3662.
    let (lo, hi) = stats::wilson(81, 263, 1.959964);
    assert!((lo - 0.2553).abs() < 5e-4 && (hi - 0.3662).abs() < 5e-4, "{lo} {hi}");
    // Mann-Kendall on 5, 3, 4, 6, 7: signs (3,4,6,7 vs 5): -,-,+,+; (3): +,+,+; (4): +,+; (6): + -> S = 6.
    // var = 5*4*15/18 = 16.667; z = (6-1)/sqrt(16.667) = 1.2247.
    let (s, var) = stats::mk_s_var(&[5.0, 3.0, 4.0, 6.0, 7.0]);
    assert_eq!(s, 6.0);
    assert!((var - 300.0 / 18.0).abs() < 1e-12);
    let mk = stats::mann_kendall(&[5.0, 3.0, 4.0, 6.0, 7.0]).unwrap();
    assert!((mk.z - 5.0 / (300.0f64 / 18.0).sqrt() * mk.correction.sqrt().recip()).abs() < 1e-9);
}

#[test]
fn serialises_verdicts_and_kinds_in_lowercase() {
    let ev = evaluate(&rising(), &series(24, 800, 1, |i| 0.10 + 0.004 * i as f64, None));
    let j = serde_json::to_value(&ev).unwrap();
    assert_eq!(j["verdict"], "supported");
    assert_eq!(j["kind"], "rising");
    for key in ["id", "claim", "since", "until", "n_months", "n_postings", "share_start", "share_end", "effect"] {
        assert!(j.get(key).is_some(), "missing {key}");
    }
    for key in ["estimate", "ci_low", "ci_high", "p_value", "p_holm", "method", "note", "remarks", "unit", "extra"] {
        assert!(j.get(key).is_some(), "missing {key}");
    }
    for key in ["by_source", "heterogeneity", "sources_disagree", "min_effect", "min_ratio", "level", "window"] {
        assert!(j.get(key).is_some(), "missing {key}");
    }
    assert_eq!(j["window"], serde_json::json!({"since": null, "until": null}));
    let row = &j["by_source"][0];
    for key in
        ["source", "verdict", "estimate", "ci_low", "ci_high", "n_postings", "n_hits", "n_months", "p_value", "note"]
    {
        assert!(row.get(key).is_some(), "by_source: missing {key}");
    }
    assert_eq!(row["source"], "hn");
    assert_eq!(j["min_effect"], 0.25);
    assert!(j.get("series").is_none());
    let mut p = Prediction::new("x", Kind::AsCommonAs, &["mcp"]);
    p.than = vec!["redis".into()];
    assert_eq!(serde_json::to_value(&p).unwrap()["kind"], "as-common-as");
}

// ------------------------------------------------------------------------------------------------ the claims file

#[test]
fn builtin_file_loads_and_validates() {
    let preds = predictions::builtin().unwrap();
    // Against the whole built-in taxonomy (the claims may name ids beyond the issue's required ones).
    let tax = jobtrend::keywords::Taxonomy::builtin().unwrap();
    let ids: Vec<&str> = tax.keywords().iter().map(|k| k.id.as_str()).collect();
    predictions::validate(&preds, &ids).unwrap();
    assert!(preds.len() >= 20, "{} claims", preds.len());
    let count = |k: Kind| preds.iter().filter(|p| p.kind == k).count();
    assert!(count(Kind::Projection) >= 2);
    assert!(count(Kind::Premium) >= 1);
    assert!(count(Kind::Above) >= 3 && count(Kind::Rising) >= 10 && count(Kind::NotFalling) >= 1);
    let has = |id: &str| preds.iter().any(|p| p.id == id);
    for id in ["typescript-won-backend", "ai-skills-premium", "devops-role-declining", "platform-role-rising"] {
        assert!(has(id), "missing {id}");
    }
    let roles = |id: &str| preds.iter().find(|p| p.id == id).unwrap().roles.clone();
    assert_eq!(roles("devops-role-declining"), vec!["devops"]);
    assert_eq!(roles("platform-role-rising"), vec!["platform"]);
    let premium = preds.iter().find(|p| p.kind == Kind::Premium).unwrap();
    assert_eq!(premium.expected, Some([1.10, 1.20]));
    // The bundled file quotes the article: every claim has a quote and one of the article's sections.
    for p in &preds {
        assert!(p.quote.as_deref().is_some_and(|q| !q.trim().is_empty()), "claim `{}` has no quote", p.id);
        assert!(
            p.section.as_deref().is_some_and(|s| SECTIONS.contains(&s)),
            "claim `{}`: section {:?} is not one of the article's",
            p.id,
            p.section
        );
    }
}

#[test]
fn builtin_file_is_in_canonical_order() {
    let preds = predictions::builtin().unwrap();
    let key = |p: &Prediction| (SECTIONS.iter().position(|s| Some(*s) == p.section.as_deref()).unwrap(), p.id.clone());
    for w in preds.windows(2) {
        assert!(
            key(&w[0]) < key(&w[1]),
            "out of order: `{}` before `{}` (sections in article order, then ids)",
            w[0].id,
            w[1].id
        );
    }
}

#[test]
fn builtin_quotes_are_verbatim() {
    let path = super::common::root().join("../shared/article.txt");
    let Ok(article) = std::fs::read_to_string(&path) else {
        eprintln!("SKIP builtin_quotes_are_verbatim: {} is absent", path.display());
        return;
    };
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let article = norm(&article);
    for p in predictions::builtin().unwrap() {
        let (Some(quote), Some(section)) = (&p.quote, &p.section) else {
            panic!("claim `{}`: the bundled file quotes the article and names the section", p.id)
        };
        assert!(article.contains(&norm(quote)), "claim `{}`: quote not in the article: {quote:?}", p.id);
        assert!(article.contains(section.as_str()), "claim `{}`: section {section:?} not in the article", p.id);
    }
}

fn parse_err(toml: &str) -> String {
    match predictions::parse(toml, "claims.toml") {
        Ok(_) => panic!("accepted:\n{toml}"),
        Err(e) => e.to_string(),
    }
}

const GOOD: &str = r#"
[[prediction]]
id = "ts-up"
claim = "TS up"
quote = "TypeScript Won Backend"
section = "The Biggest Shifts of 2025-2026"
kind = "rising"
keywords = ["typescript"]
"#;

#[test]
fn invalid_files_name_the_claim_and_the_field() {
    predictions::parse(GOOD, "claims.toml").unwrap();
    // Unknown field (typo), pinned exactly up to the list of expected fields.
    let e = parse_err(&format!("{GOOD}\n[[prediction]]\nid = \"second\"\nclaim = \"x\"\nthann = [\"go\"]\n"));
    assert!(e.starts_with("claims.toml: claim `second`, field `thann`: unknown field `thann`"), "{e}");
    // Wrong type.
    let e = parse_err(&GOOD.replace("keywords = [\"typescript\"]", "keywords = \"typescript\""));
    assert!(e.contains("claim `ts-up`, field `keywords`"), "{e}");
    // Unknown kind.
    let e = parse_err(&GOOD.replace("\"rising\"", "\"soaring\""));
    assert!(e.contains("claim `ts-up`, field `kind`"), "{e}");
    // Bad month.
    let e = parse_err(&format!("{GOOD}since = \"2024-13\"\n"));
    assert!(e.contains("claim `ts-up`, field `since`: `2024-13` is not a month"), "{e}");
    // Projection without level.
    let e = parse_err(&GOOD.replace("\"rising\"", "\"projection\"").replace("keywords", "by = \"2028-12\"\nkeywords"));
    assert!(e.contains("claim `ts-up`, field `level`"), "{e}");
    // Field that does not belong to the kind.
    let e = parse_err(&format!("{GOOD}than = [\"javascript\"]\n"));
    assert!(e.contains("claim `ts-up`, field `than`: only above / as-common-as"), "{e}");
    // Duplicate id.
    let e = parse_err(&format!("{GOOD}{GOOD}"));
    assert!(e.contains("claim `ts-up`, field `id`: duplicate id"), "{e}");
    // Not kebab-case.
    let e = parse_err(&GOOD.replace("ts-up", "TS_up"));
    assert!(e.contains("claim `TS_up`, field `id`"), "{e}");
    // Premium with a bad range.
    let bad = GOOD.replace("\"rising\"", "\"premium\"") + "expected = [1.2, 1.1]\n";
    assert!(parse_err(&bad).contains("field `expected`"));
    // Empty file.
    assert!(parse_err("").contains("no [[prediction]]"));
    // Fields of other kinds.
    let e = parse_err(&format!("{GOOD}min_ratio = 0.5\n"));
    assert!(e.contains("claim `ts-up`, field `min_ratio`: only for kind above / as-common-as"), "{e}");
    let e = parse_err(&format!("{GOOD}tolerance = 0.05\n"));
    assert!(e.contains("claim `ts-up`, field `tolerance`: unknown field"), "{e}");
}

#[test]
fn a_missing_field_names_its_own_claim() {
    // The error span of a missing field is the block's own header: the middle claim is named, not the first.
    let text = r#"
[[prediction]]
id = "first"
claim = "a"
kind = "rising"
keywords = ["go"]

[[prediction]]
id = "middle"
claim = "b"
keywords = ["rust"]

[[prediction]]
id = "last"
claim = "c"
kind = "rising"
keywords = ["java"]
"#;
    let e = parse_err(text);
    assert!(e.starts_with("claims.toml: claim `middle`, field `kind`: missing field `kind`"), "{e}");
    // The last claim lacking it: named too.
    let only_last = text
        .replace("claim = \"b\"\n", "claim = \"b\"\nkind = \"rising\"\n")
        .replace("claim = \"c\"\nkind = \"rising\"\n", "claim = \"c\"\n");
    let e = parse_err(&only_last);
    assert!(e.starts_with("claims.toml: claim `last`, field `kind`"), "{e}");
}

#[test]
fn a_users_claims_need_no_quote_or_section() {
    let text = r#"
[[prediction]]
id = "my-claim"
claim = "Rust keeps rising"
kind = "rising"
keywords = ["rust"]
min_effect = 0.5
note = "my reading"

[[prediction]]
id = "other-article"
claim = "Postgres at least 20%"
section = "Databases in 2030"
kind = "share-at-least"
keywords = ["postgresql"]
min_share = 0.2
"#;
    let preds = predictions::parse(text, "mine.toml").unwrap();
    predictions::validate(&preds, IDS).unwrap();
    assert_eq!(preds[0].quote, None);
    assert_eq!(preds[0].min_effect, Some(0.5));
    assert_eq!(preds[1].level, Some(0.2), "min_share is an alias of level");
    assert_eq!(preds[1].section.as_deref(), Some("Databases in 2030"));
    // The note travels with the verdict.
    let ev = evaluate(&preds[0], &series(12, 800, 3, |_| 0.1, None));
    assert_eq!(ev.note.as_deref(), Some("my reading"));
    assert_eq!(ev.min_effect, Some(0.5));
    assert!(predictions::render::table(&[ev]).contains("note: my reading"));
}

#[test]
fn unknown_ids_are_rejected_by_validate() {
    let mut preds = predictions::parse(GOOD, "claims.toml").unwrap();
    preds[0].keywords.push("typoscript".into());
    let e = predictions::validate(&preds, IDS).unwrap_err();
    assert!(matches!(&e, PredictionError::Field { id, field, .. } if id == "ts-up" && field == "keywords"), "{e}");
    assert!(e.to_string().contains("unknown keyword id `typoscript`"), "{e}");
    let mut preds = predictions::parse(GOOD, "claims.toml").unwrap();
    preds[0].within_roles = vec!["wizard".into()];
    let e = predictions::validate(&preds, IDS).unwrap_err().to_string();
    assert!(e.contains("claim `ts-up`, field `within_roles`: unknown role `wizard`"), "{e}");
}

#[test]
fn load_reads_a_file_and_reports_io_errors() {
    let dir = super::common::tempdir();
    let path = dir.path().join("claims.toml");
    std::fs::write(&path, GOOD).unwrap();
    assert_eq!(predictions::load(&path).unwrap().len(), 1);
    let e = predictions::load(&dir.path().join("missing.toml")).unwrap_err().to_string();
    assert!(e.contains("missing.toml"), "{e}");
}

#[test]
fn builtin_file_validates_against_the_taxonomy() {
    let tax = match jobtrend::keywords::Taxonomy::builtin() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("SKIP builtin_file_validates_against_the_taxonomy: the taxonomy does not load ({e})");
            return;
        }
    };
    let ids: Vec<&str> = tax.keywords().iter().map(|k| k.id.as_str()).collect();
    predictions::validate(&predictions::builtin().unwrap(), &ids).unwrap();
}

#[test]
fn error_messages_read_well() {
    // Pinned in full: what a user sees for a typo in a field name.
    let text = format!("{GOOD}\n[[prediction]]\nid = \"second\"\nclaim = \"x\"\nthann = [\"go\"]\n");
    let e = parse_err(&text);
    let first = e.split(", expected").next().unwrap();
    assert_eq!(first, "claims.toml: claim `second`, field `thann`: unknown field `thann`");
    assert!(e.ends_with("(line 13)"), "{e}");
}

mod acceptance;
mod crosscheck;
mod verdicts;
mod with_feeds;
