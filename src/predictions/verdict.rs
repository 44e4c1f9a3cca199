//! Evaluating one claim on its data, and all claims with Holm's correction.
//!
//! In: a [`Prediction`] and its [`ClaimData`]. Out: an [`Evaluation`] with the verdict, the numbers behind it and a
//! `series` for charts (fitted trend, projection fan, premium per year). The methods are described in
//! the README ("How the verdicts are reached") and in the module doc of [`super`].

use std::collections::BTreeMap;

use serde::Serialize;

use super::stats::{self, SplitMix64};
use super::{
    ALPHA, BOOTSTRAP, ClaimData, Kind, MIN_MONTHS, MIN_MONTHS_PROJECTION, MIN_PER_STRATUM_GROUP,
    MIN_POSTINGS_PER_MONTH, MIN_TREATED, MonthPoint, Prediction, Verdict, month_index, month_name,
};

const Z95: f64 = 1.959_963_984_540_054;
/// Default `min_ratio` of as-common-as claims.
pub const DEFAULT_MIN_RATIO: f64 = 0.8;
/// Default `tolerance` of not-falling claims (fraction of the mean share per year).
pub const DEFAULT_TOLERANCE: f64 = 0.05;
/// Months pooled for `share_start` / `share_end`.
const EDGE_MONTHS: usize = 3;

/// One point of a chartable series: a fitted trend (share), a projection fan (share with its 95% prediction
/// interval), a monthly difference (pp) or a premium per year (ratio with its bootstrap interval).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesPoint {
    /// `YYYY-MM`, or `YYYY` for premiums per year.
    pub period: String,
    pub value: f64,
    pub lo: f64,
    pub hi: f64,
    /// Observations behind the point (postings, salaried postings); 0 for projected months.
    pub n: u64,
}

/// The verdict on one claim and the numbers behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub id: String,
    pub claim: String,
    pub kind: Kind,
    pub verdict: Verdict,
    /// First month of data actually used.
    pub since: Option<String>,
    /// Last month of data actually used.
    pub until: Option<String>,
    /// Months used (premium: months with a salaried posting).
    pub n_months: usize,
    /// Postings in those months (premium: salaried postings in usable strata).
    pub n_postings: u64,
    /// Postings that mention the keywords / have the roles (premium: salaried postings that mention them).
    pub n_hits: u64,
    /// Share over the whole window (pooled), 0..1.
    pub share: Option<f64>,
    /// Pooled share of the first 3 months used, 0..1.
    pub share_start: Option<f64>,
    /// Pooled share of the last 3 months used, 0..1.
    pub share_end: Option<f64>,
    /// Pooled share of `than` over the window (above / as-common-as), 0..1.
    pub than_share: Option<f64>,
    /// The effect in plain words and units, e.g. `+1.8 pp/yr`.
    pub effect: String,
    /// Unit of `estimate`, `ci_low`, `ci_high`: `pp/yr`, `pp`, `ratio` or `%`.
    pub unit: String,
    pub estimate: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// The claim's threshold in the same unit, when it has one (level, min_share, min_ratio, expected low, -tolerance).
    pub threshold: Option<f64>,
    /// p-value of the deciding test (None when not tested: too little data).
    pub p_value: Option<f64>,
    /// Holm-adjusted p-value across the claims evaluated together.
    pub p_holm: Option<f64>,
    pub method: String,
    pub note: String,
    /// Secondary figures (the two trend p-values, dispersion, odds ratio per year...).
    pub extra: BTreeMap<String, f64>,
    /// For charts (not serialised).
    #[serde(skip)]
    pub series: Vec<SeriesPoint>,
    /// The verdict if the deciding test is significant after Holm (not serialised).
    #[serde(skip)]
    pub if_significant: Verdict,
}

impl Evaluation {
    fn new(pred: &Prediction) -> Self {
        Evaluation {
            id: pred.id.clone(),
            claim: pred.claim.clone(),
            kind: pred.kind,
            verdict: Verdict::Inconclusive,
            since: None,
            until: None,
            n_months: 0,
            n_postings: 0,
            n_hits: 0,
            share: None,
            share_start: None,
            share_end: None,
            than_share: None,
            effect: String::new(),
            unit: String::new(),
            estimate: None,
            ci_low: None,
            ci_high: None,
            threshold: None,
            p_value: None,
            p_holm: None,
            method: String::new(),
            note: String::new(),
            extra: BTreeMap::new(),
            series: Vec::new(),
            if_significant: Verdict::Inconclusive,
        }
    }

    fn decide(&mut self, p_adjusted: Option<f64>) {
        self.p_holm = p_adjusted;
        self.verdict = match p_adjusted {
            Some(p) if p < ALPHA => self.if_significant,
            _ => Verdict::Inconclusive,
        };
    }
}

/// Evaluates one claim on its own (no multiplicity correction: `p_holm` = `p_value`).
pub fn evaluate(pred: &Prediction, data: &ClaimData) -> Evaluation {
    let pooled = data.pooled();
    let data = &pooled;
    let mut ev = Evaluation::new(pred);
    match pred.kind {
        Kind::Rising | Kind::Falling | Kind::NotFalling => trend(pred, data, &mut ev),
        Kind::Above => above(pred, data, &mut ev),
        Kind::AsCommonAs => as_common_as(pred, data, &mut ev),
        Kind::ShareAtLeast => share_at_least(pred, data, &mut ev),
        Kind::Projection => projection(pred, data, &mut ev),
        Kind::Premium => premium(pred, data, &mut ev),
    }
    let p = ev.p_value;
    ev.decide(p);
    ev
}

/// Evaluates every claim and applies Holm's correction across those that were tested.
pub fn evaluate_all(items: &[(Prediction, ClaimData)]) -> Vec<Evaluation> {
    let mut evs: Vec<Evaluation> = items.iter().map(|(p, d)| evaluate(p, d)).collect();
    let tested: Vec<usize> = (0..evs.len()).filter(|&i| evs[i].p_value.is_some()).collect();
    let ps: Vec<f64> = tested.iter().map(|&i| evs[i].p_value.unwrap_or(1.0)).collect();
    let adj = stats::holm(&ps);
    for (&i, &a) in tested.iter().zip(&adj) {
        evs[i].decide(Some(a));
    }
    evs
}

/// Months of the window with enough postings, in time order, with their month index.
struct Window<'a> {
    months: Vec<(i32, &'a MonthPoint)>,
    /// Months in the window dropped for having too few postings.
    thin: usize,
}

fn window<'a>(pred: &Prediction, data: &'a ClaimData) -> Window<'a> {
    let since = pred.since.as_deref().and_then(month_index);
    let until = pred.until.as_deref().and_then(month_index);
    let mut months = Vec::new();
    let mut thin = 0;
    for m in &data.months {
        let Some(i) = month_index(&m.month) else { continue };
        if since.is_some_and(|s| i < s) || until.is_some_and(|u| i > u) {
            continue;
        }
        if m.postings < MIN_POSTINGS_PER_MONTH || m.hits > m.postings {
            thin += 1;
            continue;
        }
        months.push((i, m));
    }
    months.sort_by_key(|(i, _)| *i);
    months.dedup_by_key(|(i, _)| *i);
    Window { months, thin }
}

/// Fills the descriptive fields; returns false (and explains) when there are too few months.
fn describe(ev: &mut Evaluation, w: &Window, need: usize) -> bool {
    let ms = &w.months;
    ev.n_months = ms.len();
    ev.n_postings = ms.iter().map(|(_, m)| m.postings).sum();
    ev.n_hits = ms.iter().map(|(_, m)| m.hits).sum();
    if let (Some(first), Some(last)) = (ms.first(), ms.last()) {
        ev.since = Some(month_name(first.0));
        ev.until = Some(month_name(last.0));
    }
    if ev.n_postings > 0 {
        ev.share = Some(ev.n_hits as f64 / ev.n_postings as f64);
        let pooled = |s: &[(i32, &MonthPoint)]| {
            let n: u64 = s.iter().map(|(_, m)| m.postings).sum();
            let k: u64 = s.iter().map(|(_, m)| m.hits).sum();
            (n > 0).then(|| k as f64 / n as f64)
        };
        let e = EDGE_MONTHS.min(ms.len());
        ev.share_start = pooled(&ms[..e]);
        ev.share_end = pooled(&ms[ms.len() - e..]);
    }
    if ms.len() < need {
        ev.note = format!(
            "too little data: {} month(s) with at least {MIN_POSTINGS_PER_MONTH} postings in the window{} (need {need})",
            ms.len(),
            if w.thin > 0 { format!(", {} thinner month(s) left out", w.thin) } else { String::new() }
        );
        return false;
    }
    if w.thin > 0 {
        ev.note = format!("{} month(s) with fewer than {MIN_POSTINGS_PER_MONTH} postings left out. ", w.thin);
    }
    true
}

fn years(w: &Window) -> Vec<f64> {
    let i0 = w.months.first().map_or(0, |m| m.0);
    w.months.iter().map(|(i, _)| (i - i0) as f64 / 12.0).collect()
}

fn signed(v: f64, decimals: usize) -> String {
    let s = format!("{v:+.decimals$}");
    if s.trim_start_matches(['+', '-']).chars().all(|c| c == '0' || c == '.') {
        format!("{:.decimals$}", 0.0)
    } else {
        s
    }
}

fn pct(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

fn trend(pred: &Prediction, data: &ClaimData, ev: &mut Evaluation) {
    ev.method = "Mann-Kendall (Hamed-Rao autocorrelation correction) and quasi-binomial logistic regression on \
                 monthly shares, both must agree (p = max); Theil-Sen slope with its 95% rank interval"
        .to_string();
    ev.unit = "pp/yr".to_string();
    let w = window(pred, data);
    if !describe(ev, &w, MIN_MONTHS) {
        return;
    }
    let t = years(&w);
    let k: Vec<u64> = w.months.iter().map(|(_, m)| m.hits).collect();
    let n: Vec<u64> = w.months.iter().map(|(_, m)| m.postings).collect();
    let y: Vec<f64> = k.iter().zip(&n).map(|(&k, &n)| k as f64 / n as f64).collect();
    let mean_share = ev.share.unwrap_or(0.0);
    // Boundary slope of the test (share per year): 0, or -tolerance for not-falling.
    let delta =
        if pred.kind == Kind::NotFalling { pred.tolerance.unwrap_or(DEFAULT_TOLERANCE) * mean_share } else { 0.0 };
    if pred.kind == Kind::NotFalling {
        ev.threshold = Some(-delta * 100.0);
        ev.extra.insert("tolerance_pp_per_year".into(), delta * 100.0);
    }
    let Some(mk_raw) = stats::mann_kendall(&y) else { return };
    let slope = stats::theil_sen(&t, &y).unwrap_or(0.0);
    let ci = stats::sen_interval(&t, &y, mk_raw.var_corrected(), Z95);
    ev.estimate = Some(slope * 100.0);
    if let Some((lo, hi)) = ci {
        ev.ci_low = Some(lo * 100.0);
        ev.ci_high = Some(hi * 100.0);
    }
    ev.effect = format!("{} pp/yr", signed(slope * 100.0, 2));
    let adjusted: Vec<f64> = y.iter().zip(&t).map(|(v, t)| v + delta * t).collect();
    let mk = if delta > 0.0 { stats::mann_kendall(&adjusted).unwrap_or(mk_raw) } else { mk_raw };
    ev.extra.insert("p_mann_kendall".into(), mk.p_value);
    ev.extra.insert("mann_kendall_s".into(), mk.s);
    ev.extra.insert("hamed_rao_correction".into(), mk.correction);
    let Some(fit) = stats::logistic_trend(&t, &k, &n) else {
        ev.note.push_str(if ev.n_hits == 0 {
            "no posting in the window mentions it: no trend can be estimated"
        } else {
            "the logistic trend could not be fitted"
        });
        return;
    };
    let beta0 = if delta > 0.0 { -delta / (mean_share * (1.0 - mean_share)).max(1e-9) } else { 0.0 };
    let p_logit = fit.p_slope(beta0);
    ev.extra.insert("p_logistic".into(), p_logit);
    ev.extra.insert("logit_slope_per_year".into(), fit.slope);
    ev.extra.insert("odds_ratio_per_year".into(), fit.slope.exp());
    ev.extra.insert("dispersion".into(), fit.dispersion);
    ev.series = w
        .months
        .iter()
        .zip(&t)
        .map(|((i, m), &ti)| {
            let (s, lo, hi) = fit.fitted(ti);
            SeriesPoint { period: month_name(*i), value: s, lo, hi, n: m.postings }
        })
        .collect();
    ev.p_value = Some(mk.p_value.max(p_logit));
    let up_mk = mk.s > 0.0;
    let down_mk = mk.s < 0.0;
    let up_logit = fit.slope > beta0;
    let agree_up = up_mk && up_logit;
    let agree_down = down_mk && !up_logit;
    ev.if_significant = match (pred.kind, agree_up, agree_down) {
        (Kind::Rising | Kind::NotFalling, true, _) => Verdict::Supported,
        (Kind::Rising | Kind::NotFalling, _, true) => Verdict::Contradicted,
        (Kind::Falling, true, _) => Verdict::Contradicted,
        (Kind::Falling, _, true) => Verdict::Supported,
        _ => Verdict::Inconclusive,
    };
    if !agree_up && !agree_down {
        ev.note.push_str("the two trend tests point in different directions");
    } else if pred.kind == Kind::NotFalling {
        ev.note.push_str(&format!(
            "tested against a tolerated decline of {:.2} pp/yr ({:.0}% of the mean share per year)",
            delta * 100.0,
            pred.tolerance.unwrap_or(DEFAULT_TOLERANCE) * 100.0
        ));
    }
}

fn comparative_window<'a>(pred: &Prediction, data: &'a ClaimData, ev: &mut Evaluation) -> Option<Window<'a>> {
    let w = window(pred, data);
    if !describe(ev, &w, MIN_MONTHS) {
        return None;
    }
    if w.months.iter().any(|(_, m)| m.than_hits.is_none_or(|t| t > m.postings)) {
        ev.note.push_str("no valid counts for `than` in some months");
        return None;
    }
    let n: u64 = w.months.iter().map(|(_, m)| m.postings).sum();
    let th: u64 = w.months.iter().map(|(_, m)| m.than_hits.unwrap_or(0)).sum();
    ev.than_share = (n > 0).then(|| th as f64 / n as f64);
    ev.extra.insert("than_hits".into(), th as f64);
    Some(w)
}

fn shares(w: &Window) -> (Vec<f64>, Vec<f64>) {
    w.months
        .iter()
        .map(|(_, m)| {
            let n = m.postings as f64;
            (m.hits as f64 / n, m.than_hits.unwrap_or(0) as f64 / n)
        })
        .unzip()
}

fn above(pred: &Prediction, data: &ClaimData, ev: &mut Evaluation) {
    ev.method = "mean of monthly share differences with a t interval, standard error inflated for lag-1 \
                 autocorrelation"
        .to_string();
    ev.unit = "pp".to_string();
    let Some(w) = comparative_window(pred, data, ev) else { return };
    let (a, b) = shares(&w);
    let d: Vec<f64> = a.iter().zip(&b).map(|(a, b)| a - b).collect();
    let Some((mean, se, df)) = stats::mean_interval(&d) else { return };
    let q = stats::t_quantile(0.975, df);
    ev.estimate = Some(mean * 100.0);
    ev.ci_low = Some((mean - q * se) * 100.0);
    ev.ci_high = Some((mean + q * se) * 100.0);
    ev.threshold = Some(0.0);
    let p = if se > 0.0 {
        stats::p_t(mean / se, df)
    } else if mean != 0.0 {
        0.0
    } else {
        1.0
    };
    ev.p_value = Some(p);
    if let (Some(sa), Some(sb)) = (ev.share, ev.than_share) {
        if sb > 0.0 {
            ev.extra.insert("ratio".into(), sa / sb);
        }
        ev.effect = format!("{} pp ({} vs {})", signed(mean * 100.0, 1), pct(sa), pct(sb));
    }
    ev.if_significant = if mean > 0.0 {
        Verdict::Supported
    } else if mean < 0.0 {
        Verdict::Contradicted
    } else {
        Verdict::Inconclusive
    };
    ev.series = w
        .months
        .iter()
        .zip(&d)
        .map(|((i, m), &v)| SeriesPoint {
            period: month_name(*i),
            value: v * 100.0,
            lo: v * 100.0,
            hi: v * 100.0,
            n: m.postings,
        })
        .collect();
}

fn as_common_as(pred: &Prediction, data: &ClaimData, ev: &mut Evaluation) {
    let r0 = pred.min_ratio.unwrap_or(DEFAULT_MIN_RATIO);
    ev.method = format!(
        "ratio of mean monthly shares with a Fieller 95% interval; t test of ratio = {r0} on the monthly \
         differences share − {r0} × than-share (lag-1 autocorrelation inflation)"
    );
    ev.unit = "ratio".to_string();
    ev.threshold = Some(r0);
    let Some(w) = comparative_window(pred, data, ev) else { return };
    let (a, b) = shares(&w);
    let m = a.len() as f64;
    let ma = a.iter().sum::<f64>() / m;
    let mb = b.iter().sum::<f64>() / m;
    let d: Vec<f64> = a.iter().zip(&b).map(|(a, b)| a - r0 * b).collect();
    let Some((mean, se, df)) = stats::mean_interval(&d) else { return };
    let infl = stats::ar1_inflation(stats::lag1_autocorr(&d));
    let cov = |x: &[f64], mx: f64, y: &[f64], my: f64| {
        x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum::<f64>() / (m - 1.0) / m * infl
    };
    let (vaa, vbb, vab) = (cov(&a, ma, &a, ma), cov(&b, mb, &b, mb), cov(&a, ma, &b, mb));
    let q = stats::t_quantile(0.975, df);
    if mb > 0.0 {
        ev.estimate = Some(ma / mb);
        ev.effect = format!("×{:.2} ({} vs {})", ma / mb, pct(ma), pct(mb));
    } else {
        ev.note.push_str("`than` is never mentioned in the window");
        return;
    }
    match stats::fieller(ma, mb, vaa, vbb, vab, q) {
        Some((lo, hi)) => {
            ev.ci_low = Some(lo.max(0.0));
            ev.ci_high = Some(hi);
        }
        None => ev.note.push_str("the ratio's interval is unbounded (`than` share not distinguishable from 0)"),
    }
    let p = if se > 0.0 {
        stats::p_t(mean / se, df)
    } else if mean != 0.0 {
        0.0
    } else {
        1.0
    };
    ev.p_value = Some(p);
    ev.if_significant = if mean > 0.0 {
        Verdict::Supported
    } else if mean < 0.0 {
        Verdict::Contradicted
    } else {
        Verdict::Inconclusive
    };
}

fn share_at_least(pred: &Prediction, data: &ClaimData, ev: &mut Evaluation) {
    let p0 = pred.min_share.unwrap_or(0.5);
    ev.method = "pooled share with a Wilson 95% interval on n / dispersion (month heterogeneity); score test of \
                 share = min_share"
        .to_string();
    ev.unit = "%".to_string();
    ev.threshold = Some(p0 * 100.0);
    let w = window(pred, data);
    if !describe(ev, &w, MIN_MONTHS) {
        return;
    }
    let n = ev.n_postings as f64;
    let p = ev.share.unwrap_or(0.0);
    let chi2: f64 = w
        .months
        .iter()
        .map(|(_, m)| {
            let e = m.postings as f64 * p;
            let v = e * (1.0 - p);
            if v > 0.0 { (m.hits as f64 - e).powi(2) / v } else { 0.0 }
        })
        .sum();
    let phi = (chi2 / (w.months.len() as f64 - 1.0)).max(1.0);
    let n_eff = n / phi;
    let (lo, hi) = stats::wilson_eff(p, n_eff, Z95);
    ev.estimate = Some(p * 100.0);
    ev.ci_low = Some(lo * 100.0);
    ev.ci_high = Some(hi * 100.0);
    ev.extra.insert("dispersion".into(), phi);
    let z = (p - p0) / (p0 * (1.0 - p0) / n_eff).sqrt();
    ev.p_value = Some(stats::p_normal(z));
    ev.effect = format!("{} of postings (claim: at least {})", pct(p), pct(p0));
    ev.if_significant = if p > p0 {
        Verdict::Supported
    } else if p < p0 {
        Verdict::Contradicted
    } else {
        Verdict::Inconclusive
    };
}

fn projection(pred: &Prediction, data: &ClaimData, ev: &mut Evaluation) {
    let level = pred.level.unwrap_or(0.5).clamp(1e-9, 1.0 - 1e-9);
    let by = pred.by.clone().unwrap_or_default();
    ev.method = "quasi-binomial logistic regression of hits/postings on time, projected on the logit scale with a \
                 95% prediction interval for the month's share (fit variance inflated for residual lag-1 \
                 autocorrelation + a new month's binomial x dispersion variance, t with m-2 df)"
        .to_string();
    ev.unit = "%".to_string();
    ev.threshold = Some(level * 100.0);
    let w = window(pred, data);
    if !describe(ev, &w, MIN_MONTHS_PROJECTION) {
        return;
    }
    let Some(by_i) = month_index(&by) else { return };
    let i0 = w.months[0].0;
    let t = years(&w);
    let k: Vec<u64> = w.months.iter().map(|(_, m)| m.hits).collect();
    let n: Vec<u64> = w.months.iter().map(|(_, m)| m.postings).collect();
    let Some(fit) = stats::logistic_trend(&t, &k, &n) else {
        ev.note.push_str(if ev.n_hits == 0 {
            "no posting in the window mentions it: nothing to project"
        } else {
            "the logistic trend could not be fitted"
        });
        return;
    };
    let r1 = stats::lag1_autocorr(&fit.pearson_residuals(&t, &k, &n));
    let infl = stats::ar1_inflation(r1);
    let n_bar = n.iter().sum::<u64>() as f64 / n.len() as f64;
    let df = fit.df as f64;
    let q = stats::t_quantile(0.975, df);
    // Log-odds of a new month's share at t (years from the first month) and its standard error.
    let predict = |ti: f64| {
        let (eta, var_fit) = fit.eta(ti);
        let mu = stats::expit(eta).clamp(1e-9, 1.0 - 1e-9);
        let var_new = fit.dispersion / (n_bar * mu * (1.0 - mu));
        (eta, (infl * var_fit + var_new).sqrt())
    };
    let t0 = (by_i - i0) as f64 / 12.0;
    let (yhat, se) = predict(t0);
    let (lo, hi) = (stats::expit(yhat - q * se), stats::expit(yhat + q * se));
    let est = stats::expit(yhat);
    ev.estimate = Some(est * 100.0);
    ev.ci_low = Some(lo * 100.0);
    ev.ci_high = Some(hi * 100.0);
    ev.extra.insert("logit_slope_per_year".into(), fit.slope);
    ev.extra.insert("odds_ratio_per_year".into(), fit.slope.exp());
    ev.extra.insert("dispersion".into(), fit.dispersion);
    ev.extra.insert("residual_lag1_autocorrelation".into(), r1);
    ev.effect = format!("{} by {by} (95% PI {}–{}; level {})", pct(est), pct(lo), pct(hi), pct(level));
    let p = if se > 0.0 { stats::p_t((yhat - stats::logit(level)) / se, df) } else { 1.0 };
    ev.p_value = Some(p);
    ev.if_significant = if yhat > stats::logit(level) { Verdict::Supported } else { Verdict::Contradicted };
    let last = w.months.last().map_or(i0, |m| m.0);
    ev.series = (i0..=by_i.max(last))
        .map(|i| {
            let (yh, s) = predict((i - i0) as f64 / 12.0);
            let n = w.months.iter().find(|(j, _)| *j == i).map_or(0, |(_, m)| m.postings);
            SeriesPoint {
                period: month_name(i),
                value: stats::expit(yh),
                lo: stats::expit(yh - q * s),
                hi: stats::expit(yh + q * s),
                n,
            }
        })
        .collect();
}

/// Salaries of one (currency, seniority) stratum: mentioning the keywords, and not.
type Strata = BTreeMap<(String, String), (Vec<f64>, Vec<f64>)>;

fn strata<'a>(obs: impl Iterator<Item = &'a super::SalaryObs>) -> Strata {
    let mut s: Strata = BTreeMap::new();
    for o in obs {
        if !(o.annual.is_finite() && o.annual > 0.0) {
            continue;
        }
        let e = s.entry((o.currency.to_ascii_uppercase(), o.seniority.to_ascii_lowercase())).or_default();
        if o.treated { e.0.push(o.annual) } else { e.1.push(o.annual) }
    }
    s.retain(|_, (t, c)| t.len() >= MIN_PER_STRATUM_GROUP && c.len() >= MIN_PER_STRATUM_GROUP);
    s
}

/// Weighted mean over strata of ln(median treated / median control); weights n1*n0/(n1+n0).
fn log_premium(groups: &[(Vec<f64>, Vec<f64>)], buf_t: &mut [Vec<f64>], buf_c: &mut [Vec<f64>]) -> f64 {
    let (mut num, mut den) = (0.0, 0.0);
    for (i, (t, c)) in groups.iter().enumerate() {
        let mt = stats::median_mut(&mut buf_t[i]).unwrap_or(f64::NAN);
        let mc = stats::median_mut(&mut buf_c[i]).unwrap_or(f64::NAN);
        let w = (t.len() * c.len()) as f64 / (t.len() + c.len()) as f64;
        num += w * (mt / mc).ln();
        den += w;
    }
    num / den
}

/// Point estimate and sorted bootstrap log-ratios.
fn premium_boot(groups: &[(Vec<f64>, Vec<f64>)], reps: usize, seed: u64) -> (f64, Vec<f64>) {
    let mut bt: Vec<Vec<f64>> = groups.iter().map(|(t, _)| t.clone()).collect();
    let mut bc: Vec<Vec<f64>> = groups.iter().map(|(_, c)| c.clone()).collect();
    let est = log_premium(groups, &mut bt, &mut bc);
    let mut rng = SplitMix64::new(seed);
    let mut boots = Vec::with_capacity(reps);
    for _ in 0..reps {
        for (i, (t, c)) in groups.iter().enumerate() {
            for v in bt[i].iter_mut() {
                *v = t[rng.below(t.len())];
            }
            for v in bc[i].iter_mut() {
                *v = c[rng.below(c.len())];
            }
        }
        let b = log_premium(groups, &mut bt, &mut bc);
        if b.is_finite() {
            boots.push(b);
        }
    }
    boots.sort_by(f64::total_cmp);
    (est, boots)
}

/// Two-sided bootstrap p-value of H0: log-ratio = `l0`.
fn boot_p(boots: &[f64], l0: f64) -> f64 {
    let b = boots.len() as f64;
    let le = boots.iter().filter(|&&v| v <= l0).count() as f64;
    let ge = boots.iter().filter(|&&v| v >= l0).count() as f64;
    (2.0 * (le.min(ge) + 1.0) / (b + 1.0)).min(1.0)
}

fn premium(pred: &Prediction, data: &ClaimData, ev: &mut Evaluation) {
    let [exp_lo, exp_hi] = pred.expected.unwrap_or([1.0, 1.0]);
    ev.method = format!(
        "ratio of median annual salaries (mentioning vs not) within currency × seniority strata, weighted geometric \
         mean over strata; seeded stratified bootstrap ({BOOTSTRAP} resamples) percentile 95% interval"
    );
    ev.unit = "ratio".to_string();
    ev.threshold = Some(exp_lo);
    let since = pred.since.as_deref().and_then(month_index);
    let until = pred.until.as_deref().and_then(month_index);
    let in_window: Vec<(i32, &super::SalaryObs)> = data
        .salaries
        .iter()
        .filter_map(|o| month_index(&o.month).map(|i| (i, o)))
        .filter(|(i, _)| since.is_none_or(|s| *i >= s) && until.is_none_or(|u| *i <= u))
        .collect();
    let s = strata(in_window.iter().map(|(_, o)| *o));
    let groups: Vec<(Vec<f64>, Vec<f64>)> = s.values().cloned().collect();
    let n_t: usize = groups.iter().map(|g| g.0.len()).sum();
    let n_c: usize = groups.iter().map(|g| g.1.len()).sum();
    let used: std::collections::BTreeSet<(String, String)> = s.keys().cloned().collect();
    let months: std::collections::BTreeSet<i32> = in_window
        .iter()
        .filter(|(_, o)| used.contains(&(o.currency.to_ascii_uppercase(), o.seniority.to_ascii_lowercase())))
        .map(|(i, _)| *i)
        .collect();
    ev.n_months = months.len();
    ev.n_postings = (n_t + n_c) as u64;
    ev.n_hits = n_t as u64;
    ev.since = months.first().map(|&i| month_name(i));
    ev.until = months.last().map(|&i| month_name(i));
    ev.extra.insert("strata".into(), groups.len() as f64);
    ev.extra.insert("salaried_postings_in_window".into(), in_window.len() as f64);
    if n_t < MIN_TREATED || n_c < MIN_TREATED {
        ev.note = format!(
            "too little data: {n_t} salaried postings mentioning the keywords and {n_c} not, in strata with at least \
             {MIN_PER_STRATUM_GROUP} of each (need {MIN_TREATED} of each)"
        );
        return;
    }
    let (est, boots) = premium_boot(&groups, BOOTSTRAP, stats::seed_from(&pred.id));
    let lo = stats::percentile_sorted(&boots, 0.025).unwrap_or(f64::NAN).exp();
    let hi = stats::percentile_sorted(&boots, 0.975).unwrap_or(f64::NAN).exp();
    let ratio = est.exp();
    ev.estimate = Some(ratio);
    ev.ci_low = Some(lo);
    ev.ci_high = Some(hi);
    ev.effect = format!("×{ratio:.3} ({}%; claim ×{exp_lo:.2}–{exp_hi:.2})", signed((ratio - 1.0) * 100.0, 1));
    let p_one = boot_p(&boots, 0.0);
    let p_low = boot_p(&boots, exp_lo.ln());
    ev.extra.insert("p_premium_vs_1".into(), p_one);
    ev.extra.insert("p_premium_vs_expected_low".into(), p_low);
    if ratio <= 1.0 || hi < exp_lo {
        ev.p_value = Some(p_low);
        ev.if_significant = Verdict::Contradicted;
        ev.note = format!("premium below the claimed {:.0}% (tested against ×{exp_lo:.2})", (exp_lo - 1.0) * 100.0);
    } else {
        ev.p_value = Some(p_one);
        ev.if_significant = Verdict::Supported;
        ev.note = if lo > exp_hi {
            format!("premium larger than the claimed range ×{exp_lo:.2}–{exp_hi:.2}")
        } else {
            "tested against no premium (×1); the interval reaches the claimed range".to_string()
        };
    }
    // Per calendar year, for the premium chart.
    let mut years: BTreeMap<i32, Vec<&super::SalaryObs>> = BTreeMap::new();
    for (i, o) in &in_window {
        years.entry(i.div_euclid(12)).or_default().push(o);
    }
    for (year, obs) in years {
        let g: Vec<(Vec<f64>, Vec<f64>)> = strata(obs.into_iter()).into_values().collect();
        let nt: usize = g.iter().map(|x| x.0.len()).sum();
        let nc: usize = g.iter().map(|x| x.1.len()).sum();
        if nt < MIN_TREATED || nc < MIN_TREATED {
            continue;
        }
        let (e, b) = premium_boot(&g, 999, stats::seed_from(&format!("{}/{year}", pred.id)));
        ev.series.push(SeriesPoint {
            period: year.to_string(),
            value: e.exp(),
            lo: stats::percentile_sorted(&b, 0.025).unwrap_or(f64::NAN).exp(),
            hi: stats::percentile_sorted(&b, 0.975).unwrap_or(f64::NAN).exp(),
            n: (nt + nc) as u64,
        });
    }
}
