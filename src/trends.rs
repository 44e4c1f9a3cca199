//! Trends: the share of postings that mention each keyword per period, with Wilson intervals.
//!
//! In: an [`Analysis`] (counts per month and source, from the match index). Out: [`TrendRow`]s — per period
//! (month `YYYY-MM`, quarter `YYYY-Qn`, year `YYYY`), keyword (and source with `by_source`):
//! `mentions` (postings that mention it), `postings` (all postings in the period), `share`, a
//! Wilson 95% interval, a flag for periods with fewer than `min_postings` postings or with data in
//! fewer months than the period spans (a quarter needs 3, a year 12), and an optional rolling mean
//! of the share over N consecutive calendar periods that all have data (none where one is missing).
//!
//! The counting is done while reading the index ([`crate::analysis`]); here months are summed
//! into periods. Periods with no mention of a keyword get explicit zero rows, so every keyword
//! has a value in every period that has postings.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::analysis::{Analysis, Cell};
use crate::cli::Period;
use crate::keywords::{KeywordError, Taxonomy, split_ids};
use crate::terms::TermCounts;

/// z for a two-sided 95% interval.
pub const Z95: f64 = 1.959963984540054;

/// Options of an aggregation.
#[derive(Debug, Clone)]
pub struct TrendOptions {
    pub by: Period,
    /// Keyword ids to keep, as typed (comma lists, spaces and empty items are fine; empty: all).
    pub keywords: Vec<String>,
    pub by_source: bool,
    pub min_postings: u64,
    pub rolling: Option<usize>,
}

impl Default for TrendOptions {
    fn default() -> Self {
        TrendOptions { by: Period::Month, keywords: Vec::new(), by_source: false, min_postings: 100, rolling: None }
    }
}

/// One period × keyword (× source) cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendRow {
    pub period: String,
    pub keyword: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub mentions: u64,
    pub postings: u64,
    pub share: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// Fewer postings than `min_postings` in this period, or data in fewer of its months than it
    /// spans ([`period_months`]).
    pub flagged: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rolling: Option<f64>,
}

#[derive(Debug, thiserror::Error)]
pub enum TrendError {
    /// An unknown keyword id ([`Taxonomy::resolve`]: names the closest id).
    #[error(transparent)]
    Keyword(#[from] KeywordError),
    #[error("unknown role {id:?} (roles: {})", crate::roles::ROLES.join(", "))]
    UnknownRole { id: String },
}

/// Wilson score interval for k successes out of n (0..1 bounds), the verdicts' own
/// [`crate::predictions::stats::wilson_eff`]; (0, 0) when n = 0 (no postings, no share).
pub fn wilson(k: u64, n: u64, z: f64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 0.0);
    }
    crate::predictions::stats::wilson_eff(k.min(n) as f64 / n as f64, n as f64, z)
}

/// The period a `YYYY-MM` month falls in.
pub fn period_of(month: &str, by: Period) -> String {
    match by {
        Period::Month => month.to_string(),
        Period::Year => month.get(..4).unwrap_or(month).to_string(),
        Period::Quarter => {
            let m: u32 = month.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
            format!("{}-Q{}", month.get(..4).unwrap_or(month), (m.clamp(1, 12) - 1) / 3 + 1)
        }
    }
}

/// The first day of a period (for charts).
pub fn period_start(period: &str) -> Option<chrono::NaiveDate> {
    let y: i32 = period.get(..4)?.parse().ok()?;
    let m = if let Some(q) = period.get(5..).and_then(|s| s.strip_prefix('Q')) {
        (q.parse::<u32>().ok()? - 1) * 3 + 1
    } else if period.len() >= 7 {
        period.get(5..7)?.parse().ok()?
    } else {
        1
    };
    chrono::NaiveDate::from_ymd_opt(y, m, 1)
}

/// Indices of the roles ([`crate::roles::ROLES`]) `opts.keywords` selects (all when none), in the order given.
pub fn role_order(opts: &TrendOptions) -> Result<Vec<usize>, TrendError> {
    let roles = crate::roles::ROLES;
    let wanted = split_ids(&opts.keywords);
    if wanted.is_empty() {
        return Ok((0..roles.len()).collect());
    }
    let mut order = Vec::new();
    for id in wanted {
        let i = roles.iter().position(|r| *r == id).ok_or_else(|| TrendError::UnknownRole { id: id.to_string() })?;
        if !order.contains(&i) {
            order.push(i);
        }
    }
    Ok(order)
}

/// Indices of the keywords `opts.keywords` selects (all when none), in the order given; an unknown id is
/// the error of [`Taxonomy::resolve`] (with the closest id).
pub fn keyword_order(tax: &Taxonomy, opts: &TrendOptions) -> Result<Vec<usize>, TrendError> {
    if split_ids(&opts.keywords).is_empty() {
        return Ok((0..tax.keywords().len()).collect());
    }
    Ok(tax.resolve(&opts.keywords)?)
}

/// Shares of postings per role ([`crate::roles::ROLES`]) instead of keywords: the same rows,
/// with the role id in `keyword`. Needs an analysis made with `Wants::facts`.
pub fn compute_roles(a: &Analysis, opts: &TrendOptions) -> Result<Vec<TrendRow>, TrendError> {
    let order = role_order(opts)?;
    let names: Vec<String> = crate::roles::ROLES.iter().map(|r| r.to_string()).collect();
    Ok(rows_from(a, &|c: &Cell| &c.roles, &names, &order, opts))
}

/// Everything: counts per period (and source), zero cells, intervals, flags, rolling means.
pub fn compute(a: &Analysis, tax: &Taxonomy, opts: &TrendOptions) -> Result<Vec<TrendRow>, TrendError> {
    let order = keyword_order(tax, opts)?;
    let names: Vec<String> = tax.keywords().iter().map(|k| k.id.clone()).collect();
    Ok(rows_from(a, &|c: &Cell| &c.keywords, &names, &order, opts))
}

/// Rows of terms ([`crate::terms`]) over the cells of `a`: per (period, source) as [`compute`], `keyword` the
/// term's name, `postings` the analysis' postings of the cell (terms counted in a cell the analysis does not
/// have, e.g. sample postings left out beside real data, are left out too).
pub fn compute_terms(a: &Analysis, terms: &TermCounts, opts: &TrendOptions) -> Vec<TrendRow> {
    let cells = a
        .cells
        .iter()
        .map(|(key, c)| {
            let mentions = terms.cells.get(key).map(|t| t.mentions.clone());
            let keywords = mentions.unwrap_or_else(|| vec![0; terms.names.len()]);
            (key.clone(), Cell { postings: c.postings, keywords, ..Default::default() })
        })
        .collect();
    let cells = Analysis { cells, ..Default::default() };
    let order: Vec<usize> = (0..terms.names.len()).collect();
    rows_from(&cells, &|c: &Cell| &c.keywords, &terms.names, &order, opts)
}

/// Keyword rows and term rows side by side: per (period, source), the keyword rows, then the term rows.
pub fn merge_rows(mut keywords: Vec<TrendRow>, terms: Vec<TrendRow>) -> Vec<TrendRow> {
    keywords.extend(terms);
    // Stable: keeps keyword rows before term rows, each in its order.
    keywords.sort_by(|x, y| (&x.period, &x.source).cmp(&(&y.period, &y.source)));
    keywords
}

/// A CSV field, quoted when it holds a comma, a quote or a line break (terms and regexes may).
fn csv_field(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")).into() } else { s.into() }
}

/// The number of months a period spans: 1, 3 or 12.
pub fn period_months(by: Period) -> usize {
    match by {
        Period::Month => 1,
        Period::Quarter => 3,
        Period::Year => 12,
    }
}

/// A period's position on the calendar in its own unit (months, quarters or years since year 0), so that
/// consecutive periods differ by 1.
pub fn period_index(period: &str) -> Option<i64> {
    let y: i64 = period.get(..4)?.parse().ok()?;
    match period.get(4..) {
        Some("") | None => Some(y),
        Some(rest) => match rest.strip_prefix("-Q") {
            Some(q) => q.parse::<i64>().ok().filter(|q| (1..=4).contains(q)).map(|q| y * 4 + q - 1),
            None => {
                rest.strip_prefix('-')?.parse::<i64>().ok().filter(|m| (1..=12).contains(m)).map(|m| y * 12 + m - 1)
            }
        },
    }
}

/// Postings, mentions per label and the months with postings of one period (and source).
struct Acc<'a> {
    postings: u64,
    mentions: Vec<u64>,
    months: std::collections::BTreeSet<&'a str>,
}

/// Rows for the per-cell counts `counts(cell)[k]` (indices into `names`), `order` giving the labels
/// shown. Periods (and sources) in sorted order; every label has a row in every period with postings.
fn rows_from(
    a: &Analysis,
    counts: &dyn Fn(&Cell) -> &[u64],
    names: &[String],
    order: &[usize],
    opts: &TrendOptions,
) -> Vec<TrendRow> {
    // Pooled: copies of a job counted once ([`Analysis::cells`]); per source: each source's own.
    let own;
    let cells = if opts.by_source {
        own = a.per_source_cells();
        &own
    } else {
        &a.cells
    };
    let mut per: BTreeMap<(String, Option<String>), Acc<'_>> = BTreeMap::new();
    let mut period_cache: HashMap<&str, String> = HashMap::new();
    for ((month, source), cell) in cells {
        let period = period_cache.entry(month.as_str()).or_insert_with(|| period_of(month, opts.by)).clone();
        let key = (period, opts.by_source.then(|| source.clone()));
        let e = per.entry(key).or_insert_with(|| Acc {
            postings: 0,
            mentions: vec![0; names.len()],
            months: Default::default(),
        });
        e.postings += cell.postings;
        if cell.postings > 0 {
            e.months.insert(month.as_str());
        }
        for (x, y) in e.mentions.iter_mut().zip(counts(cell)) {
            *x += y;
        }
    }
    let span = period_months(opts.by);
    let mut rows = Vec::with_capacity(per.len() * order.len());
    for ((period, source), acc) in per {
        let (postings, mentions) = (acc.postings, &acc.mentions);
        let partial = acc.months.len() < span;
        for &k in order {
            let mentions = mentions.get(k).copied().unwrap_or(0);
            let (lo, hi) = wilson(mentions, postings, Z95);
            rows.push(TrendRow {
                period: period.clone(),
                keyword: names[k].clone(),
                source: source.clone(),
                mentions,
                postings,
                share: if postings > 0 { mentions as f64 / postings as f64 } else { 0.0 },
                ci_low: lo,
                ci_high: hi,
                flagged: postings < opts.min_postings || partial,
                rolling: None,
            });
        }
    }
    if let Some(w) = opts.rolling.filter(|&w| w > 1) {
        add_rolling(&mut rows, w);
    }
    rows
}

/// Rolling mean of the share over the last `w` periods of each keyword (and source) series: only where
/// those are `w` consecutive calendar periods that all have rows (postings); else `None`, so a mean never
/// spans a missing month (or starts before the first).
fn add_rolling(rows: &mut [TrendRow], w: usize) {
    let mut series: HashMap<(String, Option<String>), Vec<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        series.entry((r.keyword.clone(), r.source.clone())).or_default().push(i);
    }
    for idx in series.values() {
        for (j, &i) in idx.iter().enumerate() {
            if j + 1 < w {
                continue;
            }
            let win = &idx[j + 1 - w..=j];
            let (first, last) = (period_index(&rows[win[0]].period), period_index(&rows[i].period));
            let consecutive = matches!((first, last), (Some(f), Some(l)) if l - f == w as i64 - 1);
            if consecutive {
                rows[i].rolling = Some(win.iter().map(|&x| rows[x].share).sum::<f64>() / w as f64);
            }
        }
    }
}

/// CSV with the columns `period,keyword,mentions,postings,share,ci_low,ci_high`
/// (+ `source` with by_source, + `rolling` when computed: empty where there is none), then `flagged`
/// (`true`/`false`).
pub fn to_csv(rows: &[TrendRow], by_source: bool) -> String {
    let rolling = rows.iter().any(|r| r.rolling.is_some());
    let mut out = String::from("period,keyword,mentions,postings,share,ci_low,ci_high");
    if by_source {
        out.push_str(",source");
    }
    if rolling {
        out.push_str(",rolling");
    }
    out.push_str(",flagged\n");
    for r in rows {
        out.push_str(&format!(
            "{},{},{},{},{:.6},{:.6},{:.6}",
            r.period,
            csv_field(&r.keyword),
            r.mentions,
            r.postings,
            r.share,
            r.ci_low,
            r.ci_high
        ));
        if by_source {
            out.push(',');
            out.push_str(r.source.as_deref().unwrap_or(""));
        }
        if rolling {
            out.push(',');
            if let Some(x) = r.rolling {
                out.push_str(&format!("{x:.6}"));
            }
        }
        out.push_str(if r.flagged { ",true\n" } else { ",false\n" });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods() {
        for (m, by, want) in [
            ("2024-03", Period::Month, "2024-03"),
            ("2024-03", Period::Quarter, "2024-Q1"),
            ("2024-04", Period::Quarter, "2024-Q2"),
            ("2024-12", Period::Quarter, "2024-Q4"),
            ("2024-12", Period::Year, "2024"),
        ] {
            assert_eq!(period_of(m, by), want);
        }
        assert_eq!(period_start("2024-Q2"), chrono::NaiveDate::from_ymd_opt(2024, 4, 1));
        assert_eq!(period_start("2024"), chrono::NaiveDate::from_ymd_opt(2024, 1, 1));
        assert_eq!(period_start("2024-07"), chrono::NaiveDate::from_ymd_opt(2024, 7, 1));
        // Consecutive periods are one apart, across year ends too.
        assert_eq!(period_index("2025-01").unwrap() - period_index("2024-12").unwrap(), 1);
        assert_eq!(period_index("2025-Q1").unwrap() - period_index("2024-Q4").unwrap(), 1);
        assert_eq!(period_index("2025").unwrap() - period_index("2024").unwrap(), 1);
        assert_eq!(period_index("2025-13"), None);
    }

    #[test]
    fn wilson_known_values() {
        // 10 of 100 → (0.0552, 0.1744) (Newcombe 1998).
        let (lo, hi) = wilson(10, 100, Z95);
        assert!((lo - 0.0552).abs() < 5e-4 && (hi - 0.1744).abs() < 5e-4, "{lo} {hi}");
        let (lo, hi) = wilson(0, 20, Z95);
        assert_eq!(lo, 0.0);
        assert!((hi - 0.1611).abs() < 5e-4, "{hi}");
        assert_eq!(wilson(0, 0, Z95), (0.0, 0.0));
    }
}

/// Stated salaries per period and currency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SalaryRow {
    pub period: String,
    /// `ALL` for the share row of a period (every currency), else an ISO code.
    pub currency: String,
    /// All postings in the period.
    pub postings: u64,
    /// Postings that state a salary (in this currency).
    pub with_salary: u64,
    pub share: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// Median annual salary (None for the `ALL` row).
    pub median_annual: Option<f64>,
}

/// Share of postings that state a salary per period, and the median annual salary per
/// currency and period (no currency conversion: compare within a currency).
pub fn salary_trends(a: &Analysis, by: Period) -> Vec<SalaryRow> {
    let mut per: BTreeMap<String, (u64, BTreeMap<String, Vec<f64>>)> = BTreeMap::new();
    for ((month, _), cell) in &a.cells {
        let e = per.entry(period_of(month, by)).or_default();
        e.0 += cell.postings;
        for (annual, cur) in &cell.salaries {
            e.1.entry(cur.clone()).or_default().push(*annual);
        }
    }
    let mut out = Vec::new();
    for (period, (n, by_cur)) in per {
        let k: u64 = by_cur.values().map(|v| v.len() as u64).sum();
        let (lo, hi) = wilson(k, n, Z95);
        out.push(SalaryRow {
            period: period.clone(),
            currency: "ALL".into(),
            postings: n,
            with_salary: k,
            share: k as f64 / n as f64,
            ci_low: lo,
            ci_high: hi,
            median_annual: None,
        });
        for (cur, mut v) in by_cur {
            v.sort_by(f64::total_cmp);
            let med = if v.len() % 2 == 1 { v[v.len() / 2] } else { (v[v.len() / 2 - 1] + v[v.len() / 2]) / 2.0 };
            let (lo, hi) = wilson(v.len() as u64, n, Z95);
            out.push(SalaryRow {
                period: period.clone(),
                currency: cur,
                postings: n,
                with_salary: v.len() as u64,
                share: v.len() as f64 / n as f64,
                ci_low: lo,
                ci_high: hi,
                median_annual: Some(med),
            });
        }
    }
    out
}
