//! Projection claims: several fit windows per source, a scenario range, decided only when every fit agrees.
//!
//! In: the claim (`level`, `by`, `since`) and its monthly counts. Out: per source, fits starting at `since` and
//! every [`STEP_MONTHS`] months later (each to the end of the data, while it keeps [`MIN_MONTHS_PROJECTION`]
//! counted months; at least [`MIN_FITS`]), each a quasi-binomial logistic trend projected to `by` with a 95%
//! prediction interval. The estimate is the median projection, the interval the envelope of the fits' intervals;
//! a source decides only when every fit agrees, the claim only when every qualifying source agrees.

use super::stats::{self, expit, logit};
use super::verdict::{Evaluation, SeriesPoint, SourceData, describe, pct, qualifying};
use super::{ClaimData, MIN_MONTHS_PROJECTION, Prediction, Verdict, month_index, month_name};

/// Months between the starts of two fit windows.
pub const STEP_MONTHS: i32 = 6;
/// Fewest fit windows for a decision.
pub const MIN_FITS: usize = 3;

/// One fit window's projection.
#[derive(Debug, Clone)]
struct WindowFit {
    start: i32,
    estimate: f64,
    lo: f64,
    hi: f64,
    p: f64,
    verdict: Verdict,
    series: Vec<SeriesPoint>,
}

/// Fits the counted months `ms` (time order) and projects to month `by_i`.
fn fit_window(ms: &[(i32, &super::MonthPoint)], by_i: i32, level: f64) -> Option<WindowFit> {
    let i0 = ms.first()?.0;
    let t: Vec<f64> = ms.iter().map(|(i, _)| (i - i0) as f64 / 12.0).collect();
    let k: Vec<u64> = ms.iter().map(|(_, m)| m.hits).collect();
    let n: Vec<u64> = ms.iter().map(|(_, m)| m.postings).collect();
    let idx: Vec<i32> = ms.iter().map(|(i, _)| *i).collect();
    let fit = stats::logistic_trend(&t, &k, &n)?;
    let infl = stats::ar1_inflation(stats::lag1_consecutive(&idx, &fit.pearson_residuals(&t, &k, &n)));
    let n_bar = n.iter().sum::<u64>() as f64 / n.len() as f64;
    let df = fit.df as f64;
    let q = stats::t_quantile(0.975, df);
    // Log-odds of a new month's share at t and the standard error of a new month's log-odds.
    let predict = |ti: f64| {
        let (eta, var_fit) = fit.eta(ti);
        let mu = expit(eta).clamp(1e-9, 1.0 - 1e-9);
        (eta, (infl * var_fit + fit.dispersion / (n_bar * mu * (1.0 - mu))).sqrt())
    };
    let (yhat, se) = predict((by_i - i0) as f64 / 12.0);
    let (lo, hi) = (expit(yhat - q * se), expit(yhat + q * se));
    let verdict = if lo > level {
        Verdict::Supported
    } else if hi < level {
        Verdict::Contradicted
    } else {
        Verdict::Inconclusive
    };
    let last = ms.last().map_or(i0, |m| m.0);
    let series = (i0..=by_i.max(last))
        .map(|i| {
            let (yh, s) = predict((i - i0) as f64 / 12.0);
            let n = ms.iter().find(|(j, _)| *j == i).map_or(0, |(_, m)| m.postings);
            SeriesPoint { period: month_name(i), value: expit(yh), lo: expit(yh - q * s), hi: expit(yh + q * s), n }
        })
        .collect();
    let p = if se > 0.0 { stats::p_t((yhat - logit(level)) / se, df) } else { 1.0 };
    Some(WindowFit { start: i0, estimate: expit(yhat), lo, hi, p, verdict, series })
}

/// The fit windows of one source (starting at `since` or its first month, every [`STEP_MONTHS`]).
fn windows(s: &SourceData, since: Option<i32>, by_i: i32, level: f64) -> Vec<WindowFit> {
    let Some(first) = s.months.first().map(|m| m.0) else { return Vec::new() };
    let mut start = since.unwrap_or(first);
    let mut out = Vec::new();
    loop {
        let ms: Vec<(i32, &super::MonthPoint)> = s.months.iter().filter(|(i, _)| *i >= start).copied().collect();
        if ms.len() < MIN_MONTHS_PROJECTION {
            break;
        }
        if let Some(w) = fit_window(&ms, by_i, level) {
            out.push(w);
        }
        start += STEP_MONTHS;
    }
    out
}

fn median(v: &mut [f64]) -> f64 {
    stats::median_mut(v).unwrap_or(f64::NAN)
}

/// `scenario: 79%–98% by 2028-12 (4 fits from 2023-01..2024-07; 95% PI envelope 19%–99%; level 10%)`.
fn scenario(fits: &[&WindowFit], by: &str, level: f64) -> String {
    let lo_pt = fits.iter().map(|w| w.estimate).fold(f64::INFINITY, f64::min);
    let hi_pt = fits.iter().map(|w| w.estimate).fold(f64::NEG_INFINITY, f64::max);
    let lo = fits.iter().map(|w| w.lo).fold(f64::INFINITY, f64::min);
    let hi = fits.iter().map(|w| w.hi).fold(f64::NEG_INFINITY, f64::max);
    let first = fits.iter().map(|w| w.start).min().unwrap_or(0);
    let last = fits.iter().map(|w| w.start).max().unwrap_or(0);
    format!(
        "scenario: {}–{} by {by} ({} fits from {}..{}; 95% PI envelope {}–{}; level {})",
        pct(lo_pt),
        pct(hi_pt),
        fits.len(),
        month_name(first),
        month_name(last),
        pct(lo),
        pct(hi),
        pct(level)
    )
}

/// The common verdict of all fits (inconclusive unless they all agree) and the largest p.
fn agree<'a>(fits: impl Iterator<Item = &'a WindowFit>) -> (Verdict, f64) {
    let mut verdict = None;
    let mut p = 0.0f64;
    for w in fits {
        p = p.max(w.p);
        verdict = match verdict {
            None => Some(w.verdict),
            Some(v) if v == w.verdict => Some(v),
            Some(_) => Some(Verdict::Inconclusive),
        };
    }
    (verdict.unwrap_or(Verdict::Inconclusive), p)
}

pub(super) fn evaluate(pred: &Prediction, data: &ClaimData, ev: &mut Evaluation) {
    let level = pred.level.unwrap_or(0.5).clamp(1e-9, 1.0 - 1e-9);
    let by = pred.by.clone().unwrap_or_default();
    ev.unit = "%".to_string();
    ev.level = Some(level);
    ev.threshold = Some(level * 100.0);
    ev.method = format!(
        "scenario: quasi-binomial logistic trends fitted from `since` and every {STEP_MONTHS} months later (each \
         to the end of the data, ≥ {MIN_MONTHS_PROJECTION} months), projected to `by` with 95% prediction \
         intervals (fit variance inflated for residual lag-1 autocorrelation + a new month's binomial × \
         dispersion variance, t(m−2)); decided only when every fit of every source agrees (p = the largest)"
    );
    let qs = qualifying(pred, data, MIN_MONTHS_PROJECTION, ev);
    if qs.is_empty() {
        return;
    }
    describe(ev, &qs);
    let Some(by_i) = month_index(&by) else { return };
    let since = pred.since.as_deref().and_then(month_index);
    let mut per_source: Vec<Vec<WindowFit>> = Vec::new();
    for s in &qs {
        let fits = windows(s, since, by_i, level);
        let mut row = s.row(true);
        if fits.len() < MIN_FITS {
            row.note = format!("too little data for {MIN_FITS} fit windows ({} fitted)", fits.len());
        } else {
            let refs: Vec<&WindowFit> = fits.iter().collect();
            let (verdict, p) = agree(fits.iter());
            row.verdict = verdict;
            row.p_value = Some(p);
            row.estimate = Some(median(&mut fits.iter().map(|w| w.estimate * 100.0).collect::<Vec<_>>()));
            row.ci_low = fits.iter().map(|w| w.lo * 100.0).reduce(f64::min);
            row.ci_high = fits.iter().map(|w| w.hi * 100.0).reduce(f64::max);
            row.effect = scenario(&refs, &by, level);
        }
        for w in &fits {
            let key = |what: &str| format!("{}:{}:{what}", s.source, month_name(w.start));
            ev.extra.insert(key("estimate"), w.estimate);
            ev.extra.insert(key("pi_low"), w.lo);
            ev.extra.insert(key("pi_high"), w.hi);
        }
        ev.by_source.push(row);
        per_source.push(fits);
    }
    let usable: Vec<&Vec<WindowFit>> = per_source.iter().filter(|f| f.len() >= MIN_FITS).collect();
    if usable.len() < per_source.len() || usable.is_empty() {
        ev.remark(&format!("too little data for {MIN_FITS} fit windows in every source"));
        return;
    }
    let all: Vec<&WindowFit> = usable.iter().flat_map(|f| f.iter()).collect();
    let (verdict, p) = agree(all.iter().copied());
    ev.verdict = verdict;
    ev.p_value = Some(p);
    ev.estimate = Some(median(&mut all.iter().map(|w| w.estimate * 100.0).collect::<Vec<_>>()));
    ev.ci_low = all.iter().map(|w| w.lo * 100.0).reduce(f64::min);
    ev.ci_high = all.iter().map(|w| w.hi * 100.0).reduce(f64::max);
    ev.effect = scenario(&all, &by, level);
    if verdict == Verdict::Inconclusive {
        ev.remark("the fit windows do not agree");
    }
    // The fan chart: the earliest window of the largest source.
    if let Some((_, fits)) = qs.iter().zip(&per_source).max_by_key(|(s, _)| s.postings())
        && let Some(w) = fits.first()
    {
        ev.series = w.series.clone();
    }
}
