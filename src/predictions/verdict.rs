//! Evaluating one claim on its data, and all claims with Holm's correction.
//!
//! In: a [`Prediction`] and its [`ClaimData`] (one monthly series per source). Out: an [`Evaluation`] with the
//! combined verdict, one [`SourceRow`] per source, heterogeneity across sources, the numbers behind the verdict
//! and a `series` for charts (fitted trend, projection fan, premium per year). The per-kind models live in
//! `trend`, `compare`, `projection` and `premium`; the method is described in the module doc of [`super`].

use std::collections::BTreeMap;

use serde::Serialize;

use super::stats::{self, Meta};
use super::{ALPHA, ClaimData, Kind, MIN_POSTINGS_PER_MONTH, MonthPoint, Prediction, Verdict, month_index, month_name};

/// Normal 97.5% quantile.
pub(super) const Z95: f64 = 1.959_963_984_540_054;
/// Months pooled for `share_start` / `share_end`.
const EDGE_MONTHS: usize = 3;

/// One point of a chartable series: a fitted trend (share), a projection fan (share with its 95% prediction
/// interval), or a premium per year (ratio with its bootstrap interval).
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

/// The claim evaluated within one source (unadjusted for multiplicity).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceRow {
    pub source: String,
    pub verdict: Verdict,
    /// In the evaluation's `unit`.
    pub estimate: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// Postings in the source's counted months (premium: salaried postings in usable strata).
    pub n_postings: u64,
    pub n_hits: u64,
    /// Counted months (at least [`MIN_POSTINGS_PER_MONTH`] postings, inside the window).
    pub n_months: usize,
    /// Unadjusted p-value of the source's deciding test.
    pub p_value: Option<f64>,
    /// Whether the source has enough data to take part in the combined verdict.
    pub qualifies: bool,
    /// The effect in words, as for the claim.
    pub effect: String,
    /// Why the source is left out, or what decided it.
    pub note: String,
}

/// Heterogeneity of the per-source estimates (DerSimonian-Laird).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Heterogeneity {
    /// Cochran's Q.
    pub q: f64,
    /// Its degrees of freedom, k − 1.
    pub df: f64,
    /// χ² p-value of Q.
    pub p: f64,
    /// I² = max(0, (Q − df) / Q).
    pub i2: f64,
    /// Between-source variance on the model scale.
    pub tau2: f64,
}

impl From<&Meta> for Heterogeneity {
    fn from(m: &Meta) -> Self {
        Heterogeneity { q: m.q, df: m.df, p: m.p_q, i2: m.i2, tau2: m.tau2 }
    }
}

/// The claim's window as written in the claims file (open ends are `null`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimWindow {
    pub since: Option<String>,
    pub until: Option<String>,
}

/// The verdict on one claim and the numbers behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub id: String,
    pub claim: String,
    pub kind: Kind,
    pub verdict: Verdict,
    /// The article's words, when the claims file gives them.
    pub quote: Option<String>,
    pub section: Option<String>,
    /// The claim's `note` (the reading chosen), shown with every verdict.
    pub note: Option<String>,
    /// The claim's window.
    pub window: ClaimWindow,
    /// First month of data actually used (qualifying sources).
    pub since: Option<String>,
    /// Last month of data actually used.
    pub until: Option<String>,
    /// Distinct months used (premium: months with a salaried posting).
    pub n_months: usize,
    /// Postings in those months, qualifying sources (premium: salaried postings in usable strata).
    pub n_postings: u64,
    /// Postings that mention the keywords / have the roles (premium: salaried postings that mention them).
    pub n_hits: u64,
    /// Share over the window (qualifying sources pooled; descriptive only), 0..1.
    pub share: Option<f64>,
    /// Pooled share of the first 3 months used, 0..1.
    pub share_start: Option<f64>,
    /// Pooled share of the last 3 months used, 0..1.
    pub share_end: Option<f64>,
    /// Pooled share of `than` over the window (above / as-common-as), 0..1.
    pub than_share: Option<f64>,
    /// The effect in plain words and units, e.g. `+1.8 pp/yr`.
    pub effect: String,
    /// Unit of `estimate`, `ci_low`, `ci_high` and the by-source rows: `pp/yr`, `ratio` or `%`.
    pub unit: String,
    pub estimate: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// The boundary the claim is tested against, in `unit` (± min_effect, min_ratio, level %, expected low).
    pub threshold: Option<f64>,
    /// Smallest meaningful change used (rising / falling / not-falling), pp/yr.
    pub min_effect: Option<f64>,
    /// Ratio the claim must clear (above / as-common-as).
    pub min_ratio: Option<f64>,
    /// Share (0..1) the claim must clear (share-at-least, projection).
    pub level: Option<f64>,
    /// p-value of the deciding test (two-sided scale; None when not tested).
    pub p_value: Option<f64>,
    /// Holm-adjusted p-value across the claims evaluated together.
    pub p_holm: Option<f64>,
    pub method: String,
    /// The evaluation's own remarks (too little data, why a verdict was downgraded...).
    pub remarks: String,
    /// One row per source seen in the data.
    pub by_source: Vec<SourceRow>,
    /// Across qualifying sources (k ≥ 2), else null.
    pub heterogeneity: Option<Heterogeneity>,
    /// k ≥ 2 and (Q's p < 0.10, or two sources with opposite decisive verdicts).
    pub sources_disagree: bool,
    /// Secondary figures (odds ratio per year and its interval, dispersion, Mann-Kendall p...).
    pub extra: BTreeMap<String, f64>,
    /// For charts (not serialised).
    #[serde(skip)]
    pub series: Vec<SeriesPoint>,
}

impl Evaluation {
    fn new(pred: &Prediction) -> Self {
        Evaluation {
            id: pred.id.clone(),
            claim: pred.claim.clone(),
            kind: pred.kind,
            verdict: Verdict::Inconclusive,
            quote: pred.quote.clone(),
            section: pred.section.clone(),
            note: pred.note.clone(),
            window: ClaimWindow { since: pred.since.clone(), until: pred.until.clone() },
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
            min_effect: None,
            min_ratio: None,
            level: None,
            p_value: None,
            p_holm: None,
            method: String::new(),
            remarks: String::new(),
            by_source: Vec::new(),
            heterogeneity: None,
            sources_disagree: false,
            extra: BTreeMap::new(),
            series: Vec::new(),
        }
    }

    /// Appends a sentence to the remarks.
    pub(super) fn remark(&mut self, s: &str) {
        if !self.remarks.is_empty() {
            self.remarks.push_str("; ");
        }
        self.remarks.push_str(s);
    }
}

/// Evaluates one claim on its own (no multiplicity correction: `p_holm` = `p_value`).
pub fn evaluate(pred: &Prediction, data: &ClaimData) -> Evaluation {
    let mut ev = Evaluation::new(pred);
    match pred.kind {
        Kind::Rising | Kind::Falling | Kind::NotFalling => super::trend::evaluate(pred, data, &mut ev),
        Kind::Above | Kind::AsCommonAs => super::compare::ratio(pred, data, &mut ev),
        Kind::ShareAtLeast => super::compare::share(pred, data, &mut ev),
        Kind::Projection => super::projection::evaluate(pred, data, &mut ev),
        Kind::Premium => super::premium::evaluate(pred, data, &mut ev),
    }
    ev.by_source.sort_by(|a, b| b.qualifies.cmp(&a.qualifies).then(b.n_postings.cmp(&a.n_postings)));
    let q: Vec<&SourceRow> = ev.by_source.iter().filter(|r| r.qualifies).collect();
    let opposite =
        q.iter().any(|r| r.verdict == Verdict::Supported) && q.iter().any(|r| r.verdict == Verdict::Contradicted);
    ev.sources_disagree = q.len() >= 2 && (ev.heterogeneity.is_some_and(|h| h.p < 0.10) || opposite);
    if ev.sources_disagree {
        ev.remark("the sources disagree (see by source)");
    }
    ev.p_holm = ev.p_value;
    ev
}

/// Evaluates every claim and applies Holm's correction across those that were tested: a decisive verdict needs
/// a Holm-adjusted p below [`ALPHA`].
pub fn evaluate_all(items: &[(Prediction, ClaimData)]) -> Vec<Evaluation> {
    let mut evs: Vec<Evaluation> = items.iter().map(|(p, d)| evaluate(p, d)).collect();
    let tested: Vec<usize> = (0..evs.len()).filter(|&i| evs[i].p_value.is_some()).collect();
    let ps: Vec<f64> = tested.iter().map(|&i| evs[i].p_value.unwrap_or(1.0)).collect();
    let adj = stats::holm(&ps);
    let n = tested.len();
    for (&i, &a) in tested.iter().zip(&adj) {
        let ev = &mut evs[i];
        ev.p_holm = Some(a);
        if ev.verdict != Verdict::Inconclusive && a >= ALPHA {
            let was = ev.verdict;
            ev.verdict = Verdict::Inconclusive;
            ev.remark(&format!("{was} at 95% but not after Holm's correction across {n} claims"));
        }
    }
    evs
}

/// One source's counted months inside the claim's window, in time order.
pub(super) struct SourceData<'a> {
    pub source: &'a str,
    /// (month index, point), months with at least [`MIN_POSTINGS_PER_MONTH`] postings.
    pub months: Vec<(i32, &'a MonthPoint)>,
    /// Months in the window with fewer postings (left out).
    pub thin: usize,
}

impl SourceData<'_> {
    pub fn postings(&self) -> u64 {
        self.months.iter().map(|(_, m)| m.postings).sum()
    }
    pub fn hits(&self) -> u64 {
        self.months.iter().map(|(_, m)| m.hits).sum()
    }
    pub fn indices(&self) -> Vec<i32> {
        self.months.iter().map(|(i, _)| *i).collect()
    }
    /// Years since month index `origin`.
    pub fn years(&self, origin: i32) -> Vec<f64> {
        self.months.iter().map(|(i, _)| (i - origin) as f64 / 12.0).collect()
    }
    pub fn k(&self) -> Vec<u64> {
        self.months.iter().map(|(_, m)| m.hits).collect()
    }
    pub fn n(&self) -> Vec<u64> {
        self.months.iter().map(|(_, m)| m.postings).collect()
    }
    /// A by-source row with the counts filled in.
    pub fn row(&self, qualifies: bool) -> SourceRow {
        let mut r = SourceData::row_of(self.source, self.postings(), self.hits(), self.months.len());
        r.qualifies = qualifies;
        r
    }
    /// A qualifying source's row with its counts, verdict inconclusive until decided.
    pub fn row_of(source: &str, n_postings: u64, n_hits: u64, n_months: usize) -> SourceRow {
        SourceRow {
            source: source.to_string(),
            verdict: Verdict::Inconclusive,
            estimate: None,
            ci_low: None,
            ci_high: None,
            n_postings,
            n_hits,
            n_months,
            p_value: None,
            qualifies: true,
            effect: String::new(),
            note: String::new(),
        }
    }
}

/// The claim's data split by source, each restricted to its counted months in the window.
pub(super) fn split<'a>(pred: &Prediction, data: &'a ClaimData) -> Vec<SourceData<'a>> {
    let since = pred.since.as_deref().and_then(month_index);
    let until = pred.until.as_deref().and_then(month_index);
    let mut per: BTreeMap<&str, SourceData> = BTreeMap::new();
    for m in &data.months {
        let Some(i) = month_index(&m.month) else { continue };
        let s = per.entry(m.source.as_str()).or_insert_with(|| SourceData {
            source: m.source.as_str(),
            months: Vec::new(),
            thin: 0,
        });
        if since.is_some_and(|s| i < s) || until.is_some_and(|u| i > u) {
            continue;
        }
        if m.postings < MIN_POSTINGS_PER_MONTH || m.hits > m.postings {
            s.thin += 1;
        } else {
            s.months.push((i, m));
        }
    }
    per.into_values()
        .map(|mut s| {
            s.months.sort_by_key(|(i, _)| *i);
            s.months.dedup_by_key(|(i, _)| *i);
            s
        })
        .collect()
}

/// Window text for notes: `2024-01..` / `..2025-06` / `2024-01..2025-06` / `the data`.
pub(super) fn window_text(pred: &Prediction) -> String {
    match (&pred.since, &pred.until) {
        (None, None) => "the data".to_string(),
        (s, u) => format!("{}..{}", s.as_deref().unwrap_or(""), u.as_deref().unwrap_or("")),
    }
}

/// The sources with at least `need` counted months. The others get an inconclusive by-source row with a note;
/// when none qualifies the claim gets a "too little data" remark.
pub(super) fn qualifying<'a>(
    pred: &Prediction,
    data: &'a ClaimData,
    need: usize,
    ev: &mut Evaluation,
) -> Vec<SourceData<'a>> {
    let all = split(pred, data);
    let mut notes = Vec::new();
    let mut out = Vec::new();
    for s in all {
        if s.months.len() >= need {
            out.push(s);
            continue;
        }
        let mut row = s.row(false);
        row.note = format!(
            "{} month(s) with ≥{MIN_POSTINGS_PER_MONTH} postings in {}; needs {need}{}",
            s.months.len(),
            window_text(pred),
            if s.thin > 0 { format!(" ({} thinner month(s) left out)", s.thin) } else { String::new() }
        );
        notes.push(format!("{}: {}", if s.source.is_empty() { "(no source)" } else { s.source }, row.note));
        ev.by_source.push(row);
    }
    if out.is_empty() {
        let detail = if notes.is_empty() { "no postings".to_string() } else { notes.join("; ") };
        ev.remark(&format!(
            "too little data: no source has {need} months with ≥{MIN_POSTINGS_PER_MONTH} postings ({detail})"
        ));
    } else if out.len() == 1 && !notes.is_empty() {
        ev.remark(&format!("only {} has enough data; other sources are shown but not used", out[0].source));
    }
    out
}

/// Fills the descriptive fields from the qualifying sources (pooled per month; descriptive only).
pub(super) fn describe(ev: &mut Evaluation, qs: &[SourceData]) {
    let mut per: BTreeMap<i32, (u64, u64, u64)> = BTreeMap::new();
    for s in qs {
        for (i, m) in &s.months {
            let e = per.entry(*i).or_default();
            e.0 += m.postings;
            e.1 += m.hits;
            e.2 += m.than_hits.unwrap_or(0);
        }
    }
    ev.n_months = per.len();
    ev.n_postings = per.values().map(|v| v.0).sum();
    ev.n_hits = per.values().map(|v| v.1).sum();
    ev.since = per.keys().next().map(|&i| month_name(i));
    ev.until = per.keys().next_back().map(|&i| month_name(i));
    if ev.n_postings == 0 {
        return;
    }
    ev.share = Some(ev.n_hits as f64 / ev.n_postings as f64);
    let v: Vec<&(u64, u64, u64)> = per.values().collect();
    let pooled = |s: &[&(u64, u64, u64)]| {
        let n: u64 = s.iter().map(|x| x.0).sum();
        let k: u64 = s.iter().map(|x| x.1).sum();
        (n > 0).then(|| k as f64 / n as f64)
    };
    let e = EDGE_MONTHS.min(v.len());
    ev.share_start = pooled(&v[..e]);
    ev.share_end = pooled(&v[v.len() - e..]);
    if qs.iter().any(|s| s.months.iter().any(|(_, m)| m.than_hits.is_some())) {
        ev.than_share = Some(per.values().map(|v| v.2).sum::<u64>() as f64 / ev.n_postings as f64);
    }
}

/// `+1.23` / `-0.40` / `0.00` (never `-0.00`).
pub(super) fn signed(v: f64, decimals: usize) -> String {
    let s = format!("{v:+.decimals$}");
    if s.trim_start_matches(['+', '-']).chars().all(|c| c == '0' || c == '.') {
        format!("{:.decimals$}", 0.0)
    } else {
        s
    }
}

/// A share as a percentage with enough digits for rare keywords (`12.3%`, `0.13%`, `0.004%`).
pub(super) fn pct(v: f64) -> String {
    let p = v * 100.0;
    if p == 0.0 || p >= 1.0 {
        format!("{p:.1}%")
    } else if p >= 0.01 {
        format!("{p:.2}%")
    } else {
        format!("{p:.3}%")
    }
}

/// `7,584`.
pub(super) fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// One-sided 95% upper bound on a share with no hit in `n` postings: 1 − 0.05^(1/n).
pub(super) fn zero_upper(n: u64) -> f64 {
    if n == 0 { 1.0 } else { 1.0 - 0.05f64.powf(1.0 / n as f64) }
}

/// The effect text of a share with no hit: `no mention in 7,584 postings (share < 0.04%, 95% upper bound)`.
pub(super) fn zero_text(n: u64) -> String {
    format!("no mention in {} postings (share < {}, 95% upper bound)", thousands(n), pct(zero_upper(n)))
}

/// Random-effects combination of per-source estimates; records the heterogeneity when k ≥ 2.
pub(super) fn combine(ev: &mut Evaluation, y: &[f64], se: &[f64]) -> Option<Meta> {
    let m = stats::dersimonian_laird(y, se)?;
    if y.len() >= 2 {
        ev.heterogeneity = Some(Heterogeneity::from(&m));
    }
    Some(m)
}

/// Two-sided p-value of a normal statistic on the combined estimate.
pub(super) fn p_meta(m: &Meta, at: f64) -> f64 {
    stats::p_normal((m.estimate - at) / m.se)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_helpers() {
        assert_eq!(thousands(7584), "7,584");
        assert_eq!(thousands(54_299_000), "54,299,000");
        assert_eq!(thousands(12), "12");
        assert_eq!(pct(0.0013), "0.13%");
        assert_eq!(pct(0.123), "12.3%");
        assert_eq!(signed(-0.0001, 2), "0.00");
        assert!((zero_upper(7584) - 0.000_394_9).abs() < 1e-6);
        assert_eq!(zero_text(7584), "no mention in 7,584 postings (share < 0.04%, 95% upper bound)");
    }
}
