//! Above / as-common-as (a ratio of shares) and share-at-least (a share) claims, per source and combined.
//!
//! In: the claim and its monthly counts (hits, than-hits, postings). Out: the evaluation's ratio R =
//! share(keywords) / share(than) or share (in %), its 95% interval, the verdict against `min_ratio` / `level`,
//! one row per source and the heterogeneity. Ratio: conditional binomial a_t | a_t + b_t ~ Bin(a_t + b_t, π)
//! (Poisson counts with month effects), log R = logit π, quasi-binomial and AR(1)-inflated; sparse counts use
//! Clopper-Pearson and the exact binomial test. Share: intercept-only quasi-binomial logit model; sparse:
//! Clopper-Pearson; no hit: the one-sided upper bound.

use super::stats::{self, expit, logit};
use super::verdict::{Evaluation, SourceData, Z95, combine, describe, p_meta, pct, qualifying, zero_text, zero_upper};
use super::{
    ClaimData, DEFAULT_MIN_RATIO, DEFAULT_MIN_RATIO_ABOVE, Kind, MIN_MONTHS, Prediction, SPARSE_HITS, Verdict,
};

/// A quasi-binomial estimate on the logit scale from monthly successes `x` of trials `m`, with its standard
/// error (φ·c inflated), t degrees of freedom, φ and c. Months with no trial are skipped.
fn quasi_logit(months: &[i32], x: &[u64], m: &[u64]) -> Option<(f64, f64, f64, f64, f64)> {
    let used: Vec<usize> = (0..x.len()).filter(|&i| m[i] > 0).collect();
    let sx: u64 = used.iter().map(|&i| x[i]).sum();
    let sm: u64 = used.iter().map(|&i| m[i]).sum();
    if sx == 0 || sx == sm || used.is_empty() {
        return None;
    }
    let pi = sx as f64 / sm as f64;
    let resid: Vec<f64> =
        used.iter().map(|&i| (x[i] as f64 - m[i] as f64 * pi) / (m[i] as f64 * pi * (1.0 - pi)).sqrt()).collect();
    let k = used.len() as f64;
    let chi2: f64 = resid.iter().map(|r| r * r).sum();
    let phi = if k > 1.0 { (chi2 / (k - 1.0)).max(1.0) } else { 1.0 };
    let idx: Vec<i32> = used.iter().map(|&i| months[i]).collect();
    let c = stats::ar1_inflation(stats::lag1_consecutive(&idx, &resid));
    let se = (phi * c / (sm as f64 * pi * (1.0 - pi))).sqrt();
    Some((logit(pi), se, (k - 1.0).max(1.0), phi, c))
}

/// One source's estimate of a proportion π on the logit scale (π = R/(1+R) for ratios, the share itself for
/// shares).
#[derive(Debug, Clone, Copy)]
enum Fit {
    Wald {
        eta: f64,
        se: f64,
        df: f64,
        phi: f64,
        c: f64,
    },
    /// Exact: x successes of m trials.
    Exact {
        x: u64,
        m: u64,
    },
}

impl Fit {
    fn new(months: &[i32], x: &[u64], m: &[u64]) -> Fit {
        let sx: u64 = x.iter().sum();
        let sm: u64 = m.iter().sum();
        if sx.min(sm - sx) >= SPARSE_HITS
            && let Some((eta, se, df, phi, c)) = quasi_logit(months, x, m)
        {
            return Fit::Wald { eta, se, df, phi, c };
        }
        Fit::Exact { x: sx, m: sm }
    }
    /// 95% interval for π.
    fn interval(&self) -> (f64, f64) {
        match *self {
            Fit::Wald { eta, se, df, .. } => {
                let q = stats::t_quantile(0.975, df);
                (expit(eta - q * se), expit(eta + q * se))
            }
            Fit::Exact { x, m } => stats::clopper_pearson(x, m, 0.05),
        }
    }
    fn estimate(&self) -> f64 {
        match *self {
            Fit::Wald { eta, .. } => expit(eta),
            Fit::Exact { x, m } => x as f64 / m.max(1) as f64,
        }
    }
    /// Two-sided p-value of H0 π = `p0`.
    fn p_at(&self, p0: f64) -> f64 {
        match *self {
            Fit::Wald { eta, se, df, .. } => stats::p_t((eta - logit(p0)) / se, df),
            Fit::Exact { x, m } => stats::binom_p_two_sided(x, m, p0),
        }
    }
    /// (logit π, se) for the meta-analysis; 0.5 continuity correction only with zero successes or failures.
    fn meta(&self) -> (f64, f64) {
        match *self {
            Fit::Wald { eta, se, .. } => (eta, se),
            Fit::Exact { x, m } => {
                let (a, b) =
                    if x == 0 || x == m { (x as f64 + 0.5, (m - x) as f64 + 0.5) } else { (x as f64, (m - x) as f64) };
                ((a / b).ln(), (1.0 / a + 1.0 / b).sqrt())
            }
        }
    }
    fn method(&self) -> &'static str {
        match self {
            Fit::Wald { .. } => "quasi-binomial, AR(1)-inflated, t(m−1)",
            Fit::Exact { .. } => "exact (Clopper-Pearson, binomial test)",
        }
    }
}

/// How a claim's proportion is shown: ratio R = π/(1−π) or share π in %.
#[derive(Clone, Copy, PartialEq)]
enum Scale {
    Ratio,
    Share,
}

impl Scale {
    fn show(self, pi: f64) -> f64 {
        match self {
            Scale::Ratio => {
                if pi >= 1.0 {
                    f64::INFINITY
                } else {
                    pi / (1.0 - pi)
                }
            }
            Scale::Share => pi * 100.0,
        }
    }
}

/// The verdict from π's interval against the boundary `p0` (supported above, contradicted below).
fn decide(lo: f64, hi: f64, p0: f64) -> Verdict {
    if lo > p0 {
        Verdict::Supported
    } else if hi < p0 {
        Verdict::Contradicted
    } else {
        Verdict::Inconclusive
    }
}

fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

/// Per-source fits and the combined result for a proportion claim; `x` and `m` give a month's successes and
/// trials; `text` writes the effect from (π estimate, source data or all qualifying sources).
fn run(
    qs: &[SourceData],
    x: &dyn Fn(&super::MonthPoint) -> u64,
    m: &dyn Fn(&super::MonthPoint) -> u64,
    p0: f64,
    scale: Scale,
    text: &dyn Fn(f64, &[&SourceData]) -> String,
    ev: &mut Evaluation,
) {
    let mut fits = Vec::new();
    for s in qs {
        let xs: Vec<u64> = s.months.iter().map(|(_, p)| x(p)).collect();
        let ms: Vec<u64> = s.months.iter().map(|(_, p)| m(p)).collect();
        let fit = Fit::new(&s.indices(), &xs, &ms);
        let (lo, hi) = fit.interval();
        let mut row = s.row(true);
        row.estimate = finite(scale.show(fit.estimate()));
        row.ci_low = finite(scale.show(lo));
        row.ci_high = finite(scale.show(hi));
        row.verdict = decide(lo, hi, p0);
        row.p_value = Some(fit.p_at(p0));
        row.effect = text(fit.estimate(), &[s]);
        row.note = fit.method().to_string();
        ev.by_source.push(row);
        fits.push(fit);
    }
    let (est, lo, hi, p) = if let [fit] = fits.as_slice() {
        if let Fit::Wald { phi, c, .. } = fit {
            ev.extra.insert("dispersion".into(), *phi);
            ev.extra.insert("autocorrelation_inflation".into(), *c);
        }
        let (lo, hi) = fit.interval();
        (fit.estimate(), lo, hi, fit.p_at(p0))
    } else {
        let (y, se): (Vec<f64>, Vec<f64>) = fits.iter().map(Fit::meta).unzip();
        let Some(meta) = combine(ev, &y, &se) else {
            ev.remark("the per-source estimates could not be combined");
            return;
        };
        let (e, s) = (meta.estimate, meta.se);
        (expit(e), expit(e - Z95 * s), expit(e + Z95 * s), p_meta(&meta, logit(p0)))
    };
    ev.estimate = finite(scale.show(est));
    ev.ci_low = finite(scale.show(lo));
    ev.ci_high = finite(scale.show(hi));
    ev.verdict = decide(lo, hi, p0);
    ev.p_value = Some(p);
    let all: Vec<&SourceData> = qs.iter().collect();
    ev.effect = text(est, &all);
    let methods: Vec<String> = qs.iter().zip(&fits).map(|(s, f)| format!("{}: {}", s.source, f.method())).collect();
    ev.method.push_str(&format!(
        " ({}){}",
        methods.join("; "),
        if fits.len() > 1 { "; sources combined by DerSimonian-Laird random effects on the logit scale" } else { "" }
    ));
}

/// Above / as-common-as.
pub(super) fn ratio(pred: &Prediction, data: &ClaimData, ev: &mut Evaluation) {
    let default = if pred.kind == Kind::Above { DEFAULT_MIN_RATIO_ABOVE } else { DEFAULT_MIN_RATIO };
    let r0 = pred.min_ratio.unwrap_or(default);
    ev.unit = "ratio".to_string();
    ev.min_ratio = Some(r0);
    ev.threshold = Some(r0);
    ev.method = "ratio R = share(keywords) / share(than) per source: counts with month effects, i.e. hits | hits + \
                 than-hits ~ Binomial(π), log R = logit π (a posting can mention both: treating the counts as \
                 separate is conservative)"
        .to_string();
    let qs = qualifying(pred, data, MIN_MONTHS, ev);
    if qs.is_empty() {
        return;
    }
    if qs.iter().any(|s| s.months.iter().any(|(_, m)| m.than_hits.is_none_or(|t| t > m.postings))) {
        ev.remark("no valid counts for `than` in some months");
        return;
    }
    describe(ev, &qs);
    if let (Some(a), Some(b)) = (ev.share, ev.than_share) {
        ev.extra.insert("diff_pp".into(), (a - b) * 100.0);
    }
    let than_hits =
        |s: &[&SourceData]| s.iter().flat_map(|s| &s.months).map(|(_, m)| m.than_hits.unwrap_or(0)).sum::<u64>();
    ev.extra.insert("than_hits".into(), qs.iter().map(|s| than_hits(&[s])).sum::<u64>() as f64);
    let text = |pi: f64, s: &[&SourceData]| {
        let n: u64 = s.iter().map(|s| s.postings()).sum::<u64>().max(1);
        let (a, b) = (s.iter().map(|s| s.hits()).sum::<u64>(), than_hits(s));
        let shares = format!("{} vs {}", pct(a as f64 / n as f64), pct(b as f64 / n as f64));
        if b == 0 {
            format!("`than` never mentioned ({shares})")
        } else {
            format!("×{:.2} ({shares})", Scale::Ratio.show(pi))
        }
    };
    let x = |m: &super::MonthPoint| m.hits;
    let trials = |m: &super::MonthPoint| m.hits + m.than_hits.unwrap_or(0);
    run(&qs, &x, &trials, r0 / (1.0 + r0), Scale::Ratio, &text, ev);
}

/// Share-at-least.
pub(super) fn share(pred: &Prediction, data: &ClaimData, ev: &mut Evaluation) {
    let level = pred.level.unwrap_or(0.5);
    ev.unit = "%".to_string();
    ev.level = Some(level);
    ev.threshold = Some(level * 100.0);
    ev.method = "share of postings per source, intercept-only logit model".to_string();
    let qs = qualifying(pred, data, MIN_MONTHS, ev);
    if qs.is_empty() {
        return;
    }
    describe(ev, &qs);
    let text = |pi: f64, s: &[&SourceData]| {
        let n: u64 = s.iter().map(|s| s.postings()).sum();
        if s.iter().map(|s| s.hits()).sum::<u64>() == 0 {
            zero_text(n)
        } else {
            format!("{} of postings (claim: at least {})", pct(pi), pct(level))
        }
    };
    let x = |m: &super::MonthPoint| m.hits;
    let trials = |m: &super::MonthPoint| m.postings;
    run(&qs, &x, &trials, level, Scale::Share, &text, ev);
    // No hit anywhere: the one-sided 95% upper bound instead of a two-sided interval.
    if ev.n_hits == 0 {
        let u = zero_upper(ev.n_postings);
        ev.estimate = None;
        ev.ci_low = Some(0.0);
        ev.ci_high = Some(u * 100.0);
        ev.verdict = if u < level { Verdict::Contradicted } else { Verdict::Inconclusive };
        ev.p_value = Some((2.0 * (1.0 - level).powf(ev.n_postings as f64)).min(1.0));
        ev.extra.insert("share_upper_bound".into(), u);
    }
}
