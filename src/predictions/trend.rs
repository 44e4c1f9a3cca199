//! Rising / falling / not-falling claims: a binomial trend per source, combined across sources.
//!
//! In: the claim and its monthly counts. Out: the evaluation's estimate in pp/yr along the fitted curve, its
//! interval (mapped from the slope's interval), the verdict against `min_effect`, one row per source and the
//! heterogeneity. Per source: quasi-binomial GLM with an autocorrelation inflation (≥ [`SPARSE_HITS`] hits),
//! Firth's penalised likelihood with a profile interval (fewer), or a one-sided upper bound (no hit).

use super::firth::Firth;
use super::stats::{self, expit};
use super::verdict::{
    Evaluation, SeriesPoint, SourceData, Z95, combine, describe, p_meta, qualifying, signed, zero_text, zero_upper,
};
use super::{
    ClaimData, DEFAULT_MIN_EFFECT, Kind, MIN_MONTHS, NOT_FALLING_FRACTION, Prediction, SPARSE_HITS, Verdict, month_name,
};

/// Largest |β| (log-odds per year) the pp mapping is inverted over.
const BETA_MAX: f64 = 60.0;

/// The slope of one source's trend.
#[derive(Debug, Clone)]
pub(super) enum SlopeFit {
    /// Quasi-binomial ML with a Wald interval, t with `df`.
    Wald { beta: f64, se: f64, df: f64, dispersion: f64, inflation: f64 },
    /// Firth penalised likelihood with a profile interval.
    Firth(Firth),
    /// No hit (or only hits): not estimable.
    None,
}

impl SlopeFit {
    pub fn fit(months: &[i32], t: &[f64], k: &[u64], n: &[u64]) -> SlopeFit {
        let hits: u64 = k.iter().sum();
        let total: u64 = n.iter().sum();
        if hits == 0 || hits == total {
            return SlopeFit::None;
        }
        if hits.min(total - hits) >= SPARSE_HITS
            && let Some(f) = stats::logistic_trend(t, k, n)
        {
            let r1 = stats::lag1_consecutive(months, &f.pearson_residuals(t, k, n));
            let inflation = stats::ar1_inflation(r1);
            let se = (f.cov[1][1] * inflation).max(0.0).sqrt();
            return SlopeFit::Wald { beta: f.slope, se, df: f.df as f64, dispersion: f.dispersion, inflation };
        }
        Firth::fit(t, k, n).map_or(SlopeFit::None, SlopeFit::Firth)
    }
    pub fn beta(&self) -> Option<f64> {
        match self {
            SlopeFit::Wald { beta, .. } => Some(*beta),
            SlopeFit::Firth(f) => Some(f.beta),
            SlopeFit::None => None,
        }
    }
    /// 95% interval for β.
    pub fn interval(&self) -> Option<(f64, f64)> {
        match self {
            SlopeFit::Wald { beta, se, df, .. } => {
                let q = stats::t_quantile(0.975, *df);
                Some((beta - q * se, beta + q * se))
            }
            SlopeFit::Firth(f) => Some((f.lo, f.hi)),
            SlopeFit::None => None,
        }
    }
    /// Two-sided p-value of H0 β = `b0`.
    pub fn p_at(&self, b0: f64) -> f64 {
        match self {
            SlopeFit::Wald { beta, se, df, .. } => {
                if *se > 0.0 {
                    stats::p_t((beta - b0) / se, *df)
                } else {
                    1.0
                }
            }
            SlopeFit::Firth(f) => f.p_value(b0),
            SlopeFit::None => 1.0,
        }
    }
    /// Standard error for the meta-analysis (Firth: from the profile interval's width).
    pub fn meta_se(&self) -> Option<f64> {
        match self {
            SlopeFit::Wald { se, .. } => Some(*se),
            SlopeFit::Firth(f) => Some((f.hi - f.lo) / (2.0 * Z95)),
            SlopeFit::None => None,
        }
    }
    fn method(&self) -> &'static str {
        match self {
            SlopeFit::Wald { .. } => "quasi-binomial GLM, AR(1)-inflated, Wald t(m−2)",
            SlopeFit::Firth(_) => {
                "Firth penalised likelihood, profile interval (too few events to estimate extra-binomial variation)"
            }
            SlopeFit::None => "not estimable (no mention)",
        }
    }
}

/// One source's series and fit.
pub(super) struct Part {
    pub source: String,
    pub months: Vec<i32>,
    pub t: Vec<f64>,
    pub k: Vec<u64>,
    pub n: Vec<u64>,
    pub fit: SlopeFit,
}

impl Part {
    pub fn new(s: &SourceData, origin: i32) -> Part {
        let (months, t, k, n) = (s.indices(), s.years(origin), s.k(), s.n());
        let fit = SlopeFit::fit(&months, &t, &k, &n);
        Part { source: s.source.to_string(), months, t, k, n, fit }
    }
    fn hits(&self) -> u64 {
        self.k.iter().sum()
    }
    fn postings(&self) -> u64 {
        self.n.iter().sum()
    }
    fn span_years(&self) -> f64 {
        match (self.t.first(), self.t.last()) {
            (Some(a), Some(b)) => b - a,
            _ => 0.0,
        }
    }
    /// Intercept that reproduces the observed hits for slope `beta` (ML equation Σ n expit(α + βt) = Σ k).
    pub fn alpha(&self, beta: f64) -> Option<f64> {
        let target = self.hits() as f64;
        if target <= 0.0 || self.hits() >= self.postings() {
            return None;
        }
        let f = |a: f64| self.t.iter().zip(&self.n).map(|(t, n)| *n as f64 * expit(a + beta * t)).sum::<f64>();
        let (mut lo, mut hi) = (-100.0 - beta.abs() * 20.0, 100.0 + beta.abs() * 20.0);
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if f(mid) < target {
                lo = mid;
            } else {
                hi = mid;
            }
            if hi - lo < 1e-12 {
                break;
            }
        }
        Some(0.5 * (lo + hi))
    }
}

/// Change of the fitted share per year, in pp, along the curve with slope `beta`, weighted by postings.
pub(super) fn pp_per_year(beta: f64, parts: &[&Part]) -> f64 {
    let total: u64 = parts.iter().map(|p| p.postings()).sum();
    if total == 0 {
        return 0.0;
    }
    let mut sum = 0.0;
    for p in parts {
        let span = p.span_years();
        let (Some(a), Some(t0), Some(t1)) = (p.alpha(beta), p.t.first(), p.t.last()) else { continue };
        if span <= 0.0 {
            continue;
        }
        let w = p.postings() as f64 / total as f64;
        sum += w * (expit(a + beta * t1) - expit(a + beta * t0)) / span;
    }
    100.0 * sum
}

/// The slope whose pp/yr along the fitted curve is `target` (bisection; pp is increasing in β).
pub(super) fn beta_for_pp(target: f64, parts: &[&Part]) -> f64 {
    let (mut lo, mut hi) = (-BETA_MAX, BETA_MAX);
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if pp_per_year(mid, parts) < target {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo < 1e-10 {
            break;
        }
    }
    0.5 * (lo + hi)
}

/// A decision on the slope scale.
struct Decision {
    verdict: Verdict,
    p: f64,
    remark: Option<String>,
}

/// The verdict of `kind` from β's 95% interval; `b_claim` is the slope of the claimed boundary (±min_effect).
fn decide(kind: Kind, (lo, hi): (f64, f64), b_claim: f64, p_at: &dyn Fn(f64) -> f64, min_effect: f64) -> Decision {
    let small =
        |what: &str| Some(format!("{what}, but by less than the smallest meaningful effect ({min_effect:.2} pp/yr)"));
    match kind {
        Kind::Rising if hi < b_claim => Decision {
            verdict: Verdict::Contradicted,
            p: p_at(b_claim),
            remark: if lo > 0.0 { small("rises") } else { None },
        },
        Kind::Rising if lo > 0.0 => Decision { verdict: Verdict::Supported, p: p_at(0.0), remark: None },
        Kind::Falling if lo > b_claim => Decision {
            verdict: Verdict::Contradicted,
            p: p_at(b_claim),
            remark: if hi < 0.0 { small("falls") } else { None },
        },
        Kind::Falling if hi < 0.0 => Decision { verdict: Verdict::Supported, p: p_at(0.0), remark: None },
        Kind::Rising | Kind::Falling => {
            Decision { verdict: Verdict::Inconclusive, p: p_at(0.0).min(p_at(b_claim)), remark: None }
        }
        _ => {
            let verdict = if lo > b_claim {
                Verdict::Supported
            } else if hi < b_claim {
                Verdict::Contradicted
            } else {
                Verdict::Inconclusive
            };
            Decision { verdict, p: p_at(b_claim), remark: None }
        }
    }
}

/// The claimed boundary in pp/yr: +min_effect for rising, −min_effect for falling and not-falling.
fn claimed(kind: Kind, min_effect: f64) -> f64 {
    if kind == Kind::Rising { min_effect } else { -min_effect }
}

/// The no-hit rule: contradicted when a change of `min_effect` over the window is ruled out.
fn no_hits(kind: Kind, postings: u64, span: f64, min_effect: f64) -> Decision {
    if kind == Kind::NotFalling {
        return Decision { verdict: Verdict::Inconclusive, p: 1.0, remark: None };
    }
    let s_min = (min_effect / 100.0 * span / 2.0).min(1.0);
    let p_one = (1.0 - s_min).powf(postings as f64);
    let verdict = if zero_upper(postings) < s_min { Verdict::Contradicted } else { Verdict::Inconclusive };
    Decision {
        verdict,
        p: (2.0 * p_one).min(1.0),
        remark: Some(format!(
            "not estimable: a change of {min_effect:.2} pp/yr over {span:.1} years implies an average share of at \
             least {:.3}%",
            s_min * 100.0
        )),
    }
}

fn effect_text(est: f64) -> String {
    format!("{} pp/yr", signed(est, 2))
}

pub(super) fn evaluate(pred: &Prediction, data: &ClaimData, ev: &mut Evaluation) {
    ev.unit = "pp/yr".to_string();
    ev.method = "binomial trend per source: logit share = α + β·years".to_string();
    let qs = qualifying(pred, data, MIN_MONTHS, ev);
    if qs.is_empty() {
        return;
    }
    describe(ev, &qs);
    let origin = qs.iter().filter_map(|s| s.months.first().map(|m| m.0)).min().unwrap_or(0);
    let parts: Vec<Part> = qs.iter().map(|s| Part::new(s, origin)).collect();
    let min_effect = match pred.kind {
        Kind::NotFalling => pred.min_effect.unwrap_or(NOT_FALLING_FRACTION * ev.share.unwrap_or(0.0) * 100.0),
        _ => pred.min_effect.unwrap_or(DEFAULT_MIN_EFFECT),
    };
    ev.min_effect = Some(min_effect);
    let target = claimed(pred.kind, min_effect);
    ev.threshold = Some(target);
    for part in &parts {
        source_row(pred.kind, part, min_effect, ev);
    }
    let methods: Vec<String> = parts.iter().map(|p| format!("{}: {}", p.source, p.fit.method())).collect();
    ev.method = format!(
        "binomial trend per source, logit share = α + β·years ({}); effect in pp/yr along the fitted curve{}",
        methods.join("; "),
        if parts.len() > 1 { "; sources combined by DerSimonian-Laird random effects on β" } else { "" }
    );
    if let Some(big) = parts.iter().max_by_key(|p| p.postings()) {
        let y: Vec<f64> = big.k.iter().zip(&big.n).map(|(&k, &n)| k as f64 / n as f64).collect();
        if let Some(mk) = stats::mann_kendall(&y) {
            ev.extra.insert("p_mann_kendall".into(), mk.p_value);
        }
    }
    combined(pred.kind, &parts, min_effect, target, ev);
}

/// The row of one qualifying source.
fn source_row(kind: Kind, part: &Part, min_effect: f64, ev: &mut Evaluation) {
    let mut row = SourceData::row_of(&part.source, part.postings(), part.hits(), part.months.len());
    let me = [part];
    match (part.fit.beta(), part.fit.interval()) {
        (Some(b), Some((lo, hi))) => {
            let est = pp_per_year(b, &me);
            row.estimate = Some(est);
            row.ci_low = Some(pp_per_year(lo, &me));
            row.ci_high = Some(pp_per_year(hi, &me));
            row.effect = effect_text(est);
            let b_claim = beta_for_pp(claimed(kind, min_effect), &me);
            let d = decide(kind, (lo, hi), b_claim, &|b0| part.fit.p_at(b0), min_effect);
            row.verdict = d.verdict;
            row.p_value = Some(d.p);
            row.note = d.remark.unwrap_or_default();
        }
        _ => {
            row.effect = zero_text(part.postings());
            if part.hits() > 0 {
                row.effect = "every posting mentions it: not estimable".to_string();
            } else {
                let d = no_hits(kind, part.postings(), part.span_years(), min_effect);
                row.verdict = d.verdict;
                row.p_value = Some(d.p);
                row.note = d.remark.unwrap_or_default();
            }
        }
    }
    ev.by_source.push(row);
}

/// The combined estimate, interval, p-value and verdict over the qualifying sources.
fn combined(kind: Kind, parts: &[Part], min_effect: f64, target: f64, ev: &mut Evaluation) {
    let all: Vec<&Part> = parts.iter().collect();
    let fitted: Vec<&Part> = parts.iter().filter(|p| p.fit.beta().is_some()).collect();
    if fitted.is_empty() {
        let n: u64 = parts.iter().map(|p| p.postings()).sum();
        let span = parts.iter().map(|p| p.span_years()).fold(0.0, f64::max);
        ev.effect = if ev.n_hits > 0 { "every posting mentions it: not estimable".to_string() } else { zero_text(n) };
        ev.extra.insert("share_upper_bound".into(), zero_upper(n));
        let d = no_hits(kind, n, span, min_effect);
        ev.verdict = d.verdict;
        ev.p_value = Some(d.p);
        if let Some(r) = d.remark {
            ev.remark(&r);
        }
        return;
    }
    // β and its interval: the single source's own, or the random-effects combination.
    let (beta, lo, hi, p_at): (f64, f64, f64, Box<dyn Fn(f64) -> f64 + '_>) = if fitted.len() == 1 {
        let f = &fitted[0].fit;
        let (lo, hi) = f.interval().unwrap_or((f64::NAN, f64::NAN));
        (f.beta().unwrap_or(f64::NAN), lo, hi, Box::new(move |b0| f.p_at(b0)))
    } else {
        let y: Vec<f64> = fitted.iter().filter_map(|p| p.fit.beta()).collect();
        let se: Vec<f64> = fitted.iter().filter_map(|p| p.fit.meta_se()).collect();
        let Some(m) = combine(ev, &y, &se) else {
            ev.remark("the per-source estimates could not be combined");
            return;
        };
        (m.estimate, m.estimate - Z95 * m.se, m.estimate + Z95 * m.se, Box::new(move |b0| p_meta(&m, b0)))
    };
    let est = pp_per_year(beta, &all);
    ev.estimate = Some(est);
    ev.ci_low = Some(pp_per_year(lo, &all));
    ev.ci_high = Some(pp_per_year(hi, &all));
    ev.effect = effect_text(est);
    let b_claim = beta_for_pp(target, &all);
    let d = decide(kind, (lo, hi), b_claim, &*p_at, min_effect);
    ev.verdict = d.verdict;
    ev.p_value = Some(d.p);
    if let Some(r) = d.remark {
        ev.remark(&r);
    }
    ev.extra.insert("logit_slope_per_year".into(), beta);
    ev.extra.insert("or_per_year".into(), beta.exp());
    ev.extra.insert("or_low".into(), lo.exp());
    ev.extra.insert("or_high".into(), hi.exp());
    ev.extra.insert("beta_at_min_effect".into(), b_claim);
    if let [p] = parts
        && let SlopeFit::Wald { dispersion, inflation, .. } = p.fit
    {
        ev.extra.insert("dispersion".into(), dispersion);
        ev.extra.insert("autocorrelation_inflation".into(), inflation);
    }
    ev.series = fitted_series(parts, beta, lo, hi);
}

/// The fitted share of the largest source at slope β (band: the curves at the interval's ends).
fn fitted_series(parts: &[Part], beta: f64, lo: f64, hi: f64) -> Vec<SeriesPoint> {
    let Some(p) = parts.iter().filter(|p| p.fit.beta().is_some()).max_by_key(|p| p.postings()) else {
        return Vec::new();
    };
    let at = |b: f64, t: f64| p.alpha(b).map_or(f64::NAN, |a| expit(a + b * t));
    p.months
        .iter()
        .zip(&p.t)
        .zip(&p.n)
        .map(|((&i, &t), &n)| {
            let (a, b) = (at(lo, t), at(hi, t));
            SeriesPoint { period: month_name(i), value: at(beta, t), lo: a.min(b), hi: a.max(b), n }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(k: &[u64], n: u64) -> Part {
        let months: Vec<i32> = (0..k.len() as i32).collect();
        let t: Vec<f64> = months.iter().map(|&i| i as f64 / 12.0).collect();
        let nn = vec![n; k.len()];
        let fit = SlopeFit::fit(&months, &t, k, &nn);
        Part { source: "hn".into(), months, t, k: k.to_vec(), n: nn, fit }
    }

    #[test]
    fn pp_mapping_is_increasing_and_inverts() {
        let a = part(&[3, 5, 4, 6, 8, 7, 9, 10, 12, 11, 13, 15], 500);
        let b = part(&[40, 38, 45, 41, 44, 47, 43, 49, 46, 52, 50, 51], 900);
        let parts = [&a, &b];
        let mut prev = f64::NEG_INFINITY;
        for i in -40..=40 {
            let beta = i as f64 * 0.25;
            let v = pp_per_year(beta, &parts);
            assert!(v > prev, "pp({beta}) = {v} not above {prev}");
            prev = v;
        }
        assert!(pp_per_year(0.0, &parts).abs() < 1e-9);
        for target in [-2.0, -0.25, 0.0, 0.25, 1.0, 3.0] {
            let b = beta_for_pp(target, &parts);
            assert!((pp_per_year(b, &parts) - target).abs() < 1e-6, "{target}");
        }
    }

    #[test]
    fn sparse_and_dense_sources_use_their_methods() {
        assert!(matches!(part(&[0, 1, 0, 2, 1, 0, 3, 2], 300).fit, SlopeFit::Firth(_)));
        assert!(matches!(part(&[30, 31, 35, 33, 40, 38, 41, 45], 300).fit, SlopeFit::Wald { .. }));
        assert!(matches!(part(&[0; 8], 300).fit, SlopeFit::None));
    }
}
