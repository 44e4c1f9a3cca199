//! The claims' part of the report: evaluations in, verdict rows, claim charts and the scorecard out.
//!
//! In: each claim with its [`ClaimData`] and [`Evaluation`] (from [`crate::analysis`]), the role
//! and salary cells. Out: [`VerdictRow`]s (each with its chart), the scorecard PNG and the
//! charts beyond keyword shares (roles, stated salaries). Also the cell formatting `check` prints.

use chrono::NaiveDate;

use super::{ReportError, ReportOptions, VerdictRow};
use crate::analysis::Analysis;
use crate::charts::{self, Fan, LineChart, Point, Series};
use crate::predictions::{ClaimData, Evaluation, Kind, MonthPoint, Prediction};
use crate::trends::{Z95, period_start, wilson};

/// Periods with fewer postings are drawn hollow (the default of `--min-postings`).
const MIN_POSTINGS: u64 = 100;

/// `[low, high] unit` with two decimals (more where two would collapse it: never `[0.00, 0.00]`), `–` when
/// absent.
pub fn interval(e: &Evaluation) -> String {
    crate::predictions::render::interval_at(&e.unit, e.ci_low, e.ci_high, 2)
}

/// A share as `12.3%`, `–` when absent.
pub fn share(x: Option<f64>) -> String {
    x.map_or("–".into(), |v| format!("{:.1}%", v * 100.0))
}

/// A chart point for k of n postings in a period, with its Wilson interval.
fn share_point(period: &str, k: u64, n: u64) -> Option<Point> {
    let (low, high) = wilson(k, n, Z95);
    Some(Point { date: period_start(period)?, value: k as f64 / n as f64, low, high, n, flagged: n < MIN_POSTINGS })
}

/// The claim's share per month in its window (months with postings): the subject, and what it is
/// compared with when it is compared.
fn claim_series(p: &Prediction, data: &ClaimData) -> Vec<Series> {
    let pts = |f: &dyn Fn(&MonthPoint) -> Option<u64>| -> Vec<Point> {
        data.months
            .iter()
            .filter(|mp| mp.postings > 0)
            .filter(|mp| p.since.as_deref().is_none_or(|s| mp.month.as_str() >= s))
            .filter(|mp| p.until.as_deref().is_none_or(|u| mp.month.as_str() <= u))
            .filter_map(|mp| share_point(&mp.month, f(mp)?, mp.postings))
            .collect()
    };
    let name = |v: &[String]| v.join(" / ");
    let main_label = if p.keywords.is_empty() { name(&p.roles) } else { name(&p.keywords) };
    let mut series = vec![Series {
        key: p.keywords.first().or(p.roles.first()).cloned().unwrap_or_default(),
        label: main_label,
        points: pts(&|mp| Some(mp.hits)),
        dashed: false,
    }];
    if !p.than.is_empty() || !p.than_roles.is_empty() {
        series.push(Series {
            key: p.than.first().or(p.than_roles.first()).cloned().unwrap_or_default(),
            label: if p.than.is_empty() { name(&p.than_roles) } else { name(&p.than) },
            points: pts(&|mp| mp.than_hits),
            dashed: false,
        });
    }
    series
}

/// A premium claim's chart: the salary ratio per year with its bootstrap interval, against 1.
fn premium_chart(
    p: &Prediction,
    e: &Evaluation,
    title: String,
    footnote: String,
    opts: &ReportOptions,
) -> Result<Vec<u8>, charts::ChartError> {
    let bars: Vec<charts::Bar> = e
        .series
        .iter()
        .map(|s| charts::Bar {
            key: p.keywords.first().cloned().unwrap_or_default(),
            label: s.period.clone(),
            value: s.value,
            low: s.lo,
            high: s.hi,
        })
        .collect();
    charts::bar_chart_with(&charts::BarChart {
        title,
        subtitle: Some("per year: median annual salary of postings that mention the keywords / the others".into()),
        x_label: "salary ratio, 95% bootstrap interval".into(),
        footnote,
        bars,
        unit: charts::BarUnit::Ratio,
        reference: Some(1.0),
        width: opts.width,
        height: opts.height,
    })
}

/// A chart for one claim: the monthly share of its keywords (and of `than`) with Wilson bands,
/// the fitted trend, or a projection fan.
fn claim_chart(p: &Prediction, e: &Evaluation, data: &ClaimData, opts: &ReportOptions) -> Option<Vec<u8>> {
    let footnote = format!(
        "Source: {}. Verdict: {} — {} ({}). Method: {}.",
        opts.source_note,
        e.verdict.as_str(),
        e.effect,
        interval(e),
        e.method
    );
    let title = format!("{} — {}", p.claim, e.verdict.as_str());
    let mut series = claim_series(p, data);
    let png = if p.kind == Kind::Projection {
        let proj: Vec<(NaiveDate, f64, f64, f64)> = e
            .series
            .iter()
            .filter(|s| s.n == 0)
            .filter_map(|s| Some((period_start(&s.period)?, s.value, s.lo, s.hi)))
            .collect();
        let fan = Fan { history: series.remove(0), projection: proj, level: p.level };
        charts::fan_chart(&title, &footnote, &fan, opts.width, opts.height)
    } else if p.kind == Kind::Premium {
        premium_chart(p, e, title, footnote, opts)
    } else {
        charts::line_chart(&LineChart {
            title,
            subtitle: Some(format!(
                "“{}”",
                p.quote.as_deref().unwrap_or(&p.claim).chars().take(140).collect::<String>()
            )),
            y_label: "share of postings".into(),
            x_label: "month".into(),
            footnote,
            series,
            width: opts.width,
            height: opts.height,
            y_max: None,
        })
    };
    match png {
        Ok(b) => Some(b),
        Err(err) => {
            tracing::warn!("chart for claim {}: {err}", p.id);
            None
        }
    }
}

/// The verdict rows, each with its chart, for claims already evaluated (`evs[i]` is `claims[i]`'s).
pub fn verdict_rows(claims: &[(Prediction, ClaimData)], evs: &[Evaluation], opts: &ReportOptions) -> Vec<VerdictRow> {
    claims
        .iter()
        .zip(evs)
        .map(|((p, data), e)| VerdictRow {
            id: e.id.clone(),
            claim: e.claim.clone(),
            verdict: e.verdict.as_str().to_string(),
            effect: e.effect.clone(),
            interval: interval(e),
            p_value: crate::predictions::render::p_text(e.p_holm),
            n: e.n_postings.to_string(),
            window: crate::predictions::render::window(e),
            threshold: crate::predictions::render::threshold(e),
            note: match (e.note.as_deref().unwrap_or(""), e.remarks.as_str()) {
                (n, "") => n.to_string(),
                ("", r) => r.to_string(),
                (n, r) => format!("{n} ({r})"),
            },
            by_source: e
                .by_source
                .iter()
                .map(|r| {
                    let iv = crate::predictions::render::interval(&e.unit, r.ci_low, r.ci_high);
                    let why = if r.qualifies || r.note.is_empty() { String::new() } else { format!(" ({})", r.note) };
                    format!("{}: {}, {} {iv}, n={}{why}", r.source, r.verdict.as_str(), r.effect, r.n_postings)
                })
                .collect(),
            chart: claim_chart(p, e, data, opts).map(|png| (format!("claim-{}.png", p.id), png)),
        })
        .collect()
}

/// The scorecard PNG for a set of verdict rows.
pub fn scorecard(rows: &[VerdictRow], opts: &ReportOptions) -> Result<Vec<u8>, ReportError> {
    let sr: Vec<charts::ScoreRow> = rows
        .iter()
        .map(|r| charts::ScoreRow {
            id: r.id.clone(),
            claim: r.claim.clone(),
            verdict: r.verdict.clone(),
            effect: r.effect.clone(),
            interval: r.interval.clone(),
        })
        .collect();
    charts::scorecard(&format!("The article's claims on {} — verdicts", opts.source_note), &sr, opts.width)
        .map_err(|source| ReportError::Chart { name: "scorecard.png".into(), source })
}

/// Charts beyond keyword shares: roles per month and the share of postings stating a salary.
/// Needs an analysis made with `Wants::facts`.
pub fn extra_charts(a: &Analysis, opts: &ReportOptions) -> Result<Vec<(String, String, Vec<u8>)>, ReportError> {
    let chart_err = |name: &str| {
        let name = name.to_string();
        move |source| ReportError::Chart { name, source }
    };
    let mut out = Vec::new();
    // Roles: share of postings per role and month (all sources).
    let mut per: std::collections::BTreeMap<&str, (u64, Vec<u64>)> = Default::default();
    for ((month, _), c) in &a.cells {
        let e = per.entry(month.as_str()).or_insert_with(|| (0, vec![0; c.roles.len()]));
        e.0 += c.postings;
        for (x, y) in e.1.iter_mut().zip(&c.roles) {
            *x += y;
        }
    }
    let shown = ["backend", "frontend", "full-stack", "platform", "devops", "sre", "data", "ml-ai"];
    let series: Vec<Series> = shown
        .iter()
        .map(|role| {
            let j = crate::roles::ROLES.iter().position(|r| r == role);
            Series {
                key: format!("role-{role}"),
                label: role.to_string(),
                points: per
                    .iter()
                    .filter_map(|(mo, (n, c))| share_point(mo, j.and_then(|j| c.get(j).copied()).unwrap_or(0), *n))
                    .collect(),
                dashed: false,
            }
        })
        .collect();
    let png = charts::line_chart(&LineChart {
        title: "Roles: share of postings per role".into(),
        subtitle: Some("from the title or, for HN, the first line; a posting may have several roles".into()),
        y_label: "share of postings".into(),
        x_label: "month".into(),
        footnote: format!("Source: {}. Bands: Wilson 95% intervals.", opts.source_note),
        series,
        width: opts.width,
        height: opts.height,
        y_max: None,
    })
    .map_err(chart_err("roles-classified.png"))?;
    out.push(("roles-classified.png".to_string(), "Roles (classified)".to_string(), png));

    // Salaries: share of postings that state one.
    let rows = crate::trends::salary_trends(a, crate::cli::Period::Month);
    let points: Vec<Point> = rows
        .iter()
        .filter(|r| r.currency == "ALL")
        .filter_map(|r| share_point(&r.period, r.with_salary, r.postings))
        .collect();
    let png = charts::line_chart(&LineChart {
        title: "Postings that state a salary".into(),
        subtitle: Some(
            "share per month; amounts annualised for the premium claim (hour × 2080, day × 260, week × 52, month × 12)"
                .into(),
        ),
        y_label: "share of postings".into(),
        x_label: "month".into(),
        footnote: format!("Source: {}. Bands: Wilson 95% intervals.", opts.source_note),
        series: vec![Series { key: "salary".into(), label: "states a salary".into(), points, dashed: false }],
        width: opts.width,
        height: opts.height,
        y_max: None,
    })
    .map_err(chart_err("salary-share.png"))?;
    out.push(("salary-share.png".to_string(), "Salaries stated in postings".to_string(), png));
    Ok(out)
}
