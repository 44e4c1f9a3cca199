//! Trends: the share of postings that mention each keyword per period, with Wilson intervals.
//!
//! In: [`Matched`] postings (month, source, keyword indices). Out: [`TrendRow`]s — per period
//! (month `YYYY-MM`, quarter `YYYY-Qn`, year `YYYY`), keyword (and source with `by_source`):
//! `mentions` (postings that mention it), `postings` (all postings in the period), `share`, a
//! Wilson 95% interval, a flag for periods with fewer than `min_postings` postings, and an
//! optional rolling mean of the share over N periods.
//!
//! The counting is done by Polars (lazy group-bys over a long frame of mentions and a frame of
//! postings); periods with no mention of a keyword get explicit zero rows, so every keyword has
//! a value in every period that has postings.

use std::collections::HashMap;

use polars::prelude::*;
use serde::Serialize;

use crate::cli::Period;
use crate::keywords::Taxonomy;
use crate::matched::Matched;

/// z for a two-sided 95% interval.
pub const Z95: f64 = 1.959963984540054;

/// Options of an aggregation.
#[derive(Debug, Clone)]
pub struct TrendOptions {
    pub by: Period,
    /// Keyword ids to keep (empty: all).
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
    /// Fewer postings than `min_postings` in this period.
    pub flagged: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rolling: Option<f64>,
}

#[derive(Debug, thiserror::Error)]
pub enum TrendError {
    #[error("unknown keyword id {0:?} (see `jobtrend match --help` and keywords/)")]
    UnknownKeyword(String),
    #[error("aggregation: {0}")]
    Polars(#[from] PolarsError),
}

/// Wilson score interval for k successes out of n (0..1 bounds); (0, 0) when n = 0.
pub fn wilson(k: u64, n: u64, z: f64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 0.0);
    }
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    ((centre - half).max(0.0), (centre + half).min(1.0))
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

/// The long frames Polars aggregates: one row per mention (`period, source, keyword`) and one
/// row per posting (`period, source`).
pub fn frames(
    m: &Matched,
    labels: &[Vec<u16>],
    names: &[String],
    by: Period,
    keep: &[bool],
) -> Result<(DataFrame, DataFrame), PolarsError> {
    let ids: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut cache: HashMap<&str, String> = HashMap::new();
    let periods: Vec<String> =
        m.months.iter().map(|mo| cache.entry(mo.as_str()).or_insert_with(|| period_of(mo, by)).clone()).collect();
    let (mut mp, mut ms, mut mk) = (Vec::new(), Vec::new(), Vec::new());
    for (i, kws) in labels.iter().enumerate() {
        for &k in kws {
            if keep.get(k as usize).copied().unwrap_or(false) {
                mp.push(periods[i].as_str());
                ms.push(m.sources[i].as_str());
                mk.push(ids[k as usize]);
            }
        }
    }
    let mentions = df!("period" => mp, "source" => ms, "keyword" => mk)?;
    let postings = df!("period" => &periods, "source" => &m.sources)?;
    Ok((mentions, postings))
}

/// Polars: mentions and postings per period (and source), LazyFrame in, LazyFrame out.
pub fn aggregate(mentions: LazyFrame, postings: LazyFrame, by_source: bool) -> (LazyFrame, LazyFrame) {
    let mut keys = vec![col("period")];
    if by_source {
        keys.push(col("source"));
    }
    let mut mkeys = keys.clone();
    mkeys.push(col("keyword"));
    let m = mentions.group_by(mkeys).agg([len().cast(DataType::UInt64).alias("mentions")]);
    let p = postings.group_by(keys).agg([len().cast(DataType::UInt64).alias("postings")]);
    (m, p)
}

/// Shares of postings per role ([`crate::roles::ROLES`]) instead of keywords: the same rows,
/// with the role id in `keyword`.
pub fn compute_roles(m: &Matched, opts: &TrendOptions) -> Result<Vec<TrendRow>, TrendError> {
    let roles = crate::roles::ROLES;
    let keep: Vec<bool> =
        roles.iter().map(|r| opts.keywords.is_empty() || opts.keywords.iter().any(|k| k == r)).collect();
    if let Some(bad) = opts.keywords.iter().find(|k| !roles.contains(&k.as_str())) {
        return Err(TrendError::UnknownKeyword(bad.clone()));
    }
    let index: Vec<Vec<u16>> = m
        .roles
        .iter()
        .map(|rs| rs.iter().filter_map(|r| roles.iter().position(|x| x == r).map(|i| i as u16)).collect())
        .collect();
    let names: Vec<String> = roles.iter().map(|r| r.to_string()).collect();
    let order: Vec<usize> = (0..roles.len()).filter(|&i| keep[i]).collect();
    rows_from(m, &index, &names, &keep, &order, opts)
}

/// Everything: frames, Polars aggregation, zero filling, intervals, flags, rolling means.
pub fn compute(m: &Matched, tax: &Taxonomy, opts: &TrendOptions) -> Result<Vec<TrendRow>, TrendError> {
    let kws = tax.keywords();
    let mut keep = vec![opts.keywords.is_empty(); kws.len()];
    let mut order: Vec<usize> = Vec::new();
    if opts.keywords.is_empty() {
        order = (0..kws.len()).collect();
    } else {
        for id in &opts.keywords {
            let i = tax.index_of(id).ok_or_else(|| TrendError::UnknownKeyword(id.clone()))?;
            keep[i] = true;
            if !order.contains(&i) {
                order.push(i);
            }
        }
    }
    let names: Vec<String> = kws.iter().map(|k| k.id.clone()).collect();
    rows_from(m, &m.keywords, &names, &keep, &order, opts)
}

/// Rows for per-posting label indices (`labels[i]`: indices into `names`).
fn rows_from(
    m: &Matched,
    labels: &[Vec<u16>],
    names: &[String],
    keep: &[bool],
    order: &[usize],
    opts: &TrendOptions,
) -> Result<Vec<TrendRow>, TrendError> {
    let (mentions, postings) = frames(m, labels, names, opts.by, keep)?;
    let (ml, pl) = aggregate(mentions.lazy(), postings.lazy(), opts.by_source);
    let mdf = ml.collect()?;
    let mut pdf = pl.collect()?;
    let mut sort_keys = vec!["period"];
    if opts.by_source {
        sort_keys.push("source");
    }
    pdf = pdf.sort(sort_keys, SortMultipleOptions::default())?;

    let src_of = |df: &DataFrame, i: usize| -> Result<Option<String>, PolarsError> {
        Ok(if opts.by_source { df.column("source")?.str()?.get(i).map(str::to_string) } else { None })
    };
    let mut counts: HashMap<(String, Option<String>, String), u64> = HashMap::new();
    {
        let (per, kw, n) =
            (mdf.column("period")?.str()?, mdf.column("keyword")?.str()?, mdf.column("mentions")?.u64()?);
        for i in 0..mdf.height() {
            counts.insert(
                (
                    per.get(i).unwrap_or_default().to_string(),
                    src_of(&mdf, i)?,
                    kw.get(i).unwrap_or_default().to_string(),
                ),
                n.get(i).unwrap_or(0),
            );
        }
    }
    let (per, n) = (pdf.column("period")?.str()?, pdf.column("postings")?.u64()?);
    let mut rows = Vec::with_capacity(pdf.height() * order.len());
    for i in 0..pdf.height() {
        let period = per.get(i).unwrap_or_default().to_string();
        let source = src_of(&pdf, i)?;
        let postings = n.get(i).unwrap_or(0);
        for &k in order {
            let id = &names[k];
            let mentions = counts.get(&(period.clone(), source.clone(), id.clone())).copied().unwrap_or(0);
            let (lo, hi) = wilson(mentions, postings, Z95);
            rows.push(TrendRow {
                period: period.clone(),
                keyword: id.clone(),
                source: source.clone(),
                mentions,
                postings,
                share: if postings > 0 { mentions as f64 / postings as f64 } else { 0.0 },
                ci_low: lo,
                ci_high: hi,
                flagged: postings < opts.min_postings,
                rolling: None,
            });
        }
    }
    if let Some(w) = opts.rolling.filter(|&w| w > 1) {
        add_rolling(&mut rows, w);
    }
    Ok(rows)
}

/// Rolling mean of the share over the last `w` periods of each keyword (and source) series.
fn add_rolling(rows: &mut [TrendRow], w: usize) {
    let mut series: HashMap<(String, Option<String>), Vec<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        series.entry((r.keyword.clone(), r.source.clone())).or_default().push(i);
    }
    for idx in series.values() {
        for (j, &i) in idx.iter().enumerate() {
            let from = (j + 1).saturating_sub(w);
            let win = &idx[from..=j];
            rows[i].rolling = Some(win.iter().map(|&x| rows[x].share).sum::<f64>() / win.len() as f64);
        }
    }
}

/// CSV with the columns `period,keyword,mentions,postings,share,ci_low,ci_high`
/// (+ `source` with by_source, + `rolling` when computed).
pub fn to_csv(rows: &[TrendRow], by_source: bool) -> String {
    let rolling = rows.iter().any(|r| r.rolling.is_some());
    let mut out = String::from("period,keyword,mentions,postings,share,ci_low,ci_high");
    if by_source {
        out.push_str(",source");
    }
    if rolling {
        out.push_str(",rolling");
    }
    out.push('\n');
    for r in rows {
        out.push_str(&format!(
            "{},{},{},{},{:.6},{:.6},{:.6}",
            r.period, r.keyword, r.mentions, r.postings, r.share, r.ci_low, r.ci_high
        ));
        if by_source {
            out.push(',');
            out.push_str(r.source.as_deref().unwrap_or(""));
        }
        if rolling {
            out.push_str(&format!(",{:.6}", r.rolling.unwrap_or(f64::NAN)));
        }
        out.push('\n');
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
pub fn salary_trends(m: &Matched, by: Period) -> Vec<SalaryRow> {
    use std::collections::BTreeMap;
    let mut per: BTreeMap<String, (u64, BTreeMap<String, Vec<f64>>)> = BTreeMap::new();
    for (i, mo) in m.months.iter().enumerate() {
        let e = per.entry(period_of(mo, by)).or_default();
        e.0 += 1;
        if let Some((annual, cur)) = &m.salary[i] {
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
