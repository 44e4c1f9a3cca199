//! `jobtrend check`: verdicts on the article's predictions, one row per claim.
//!
//! Exit 0 whatever the verdicts; 2 when the predictions file is invalid (the error names the
//! claim and the field).

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;

use crate::charts::{self, Fan, LineChart, Point, Series};
use crate::cli::{CheckArgs, CheckFormat, Cli, TrendFilter};
use crate::keywords::Taxonomy;
use crate::matched::Matched;
use crate::predictions::{self, ClaimData, Evaluation, Kind, PostingFacts, Prediction};
use crate::report::{ReportOptions, VerdictRow};
use crate::trends::{Z95, period_start, wilson};

/// Loads the predictions (file or built in) and checks their ids against the taxonomy.
pub fn load_predictions(path: Option<&Path>, tax: &Taxonomy) -> anyhow::Result<Vec<Prediction>> {
    let preds = match path {
        Some(p) => predictions::load(p).with_context(|| format!("invalid predictions file {}", p.display()))?,
        None => predictions::builtin().context("invalid built-in predictions")?,
    };
    let ids: Vec<&str> = tax.keywords().iter().map(|k| k.id.as_str()).collect();
    let what = path.map_or("the built-in predictions".to_string(), |p| p.display().to_string());
    predictions::validate(&preds, &ids).with_context(|| format!("invalid predictions in {what}"))?;
    Ok(preds)
}

/// Each claim with its data (monthly counts, salaries) from the matched postings.
pub fn claim_data(preds: &[Prediction], tax: &Taxonomy, m: &Matched) -> Vec<(Prediction, ClaimData)> {
    let ids: Vec<Vec<String>> =
        m.keywords.iter().map(|ks| ks.iter().map(|&k| tax.keywords()[k as usize].id.clone()).collect()).collect();
    let roles: Vec<Vec<String>> = m.roles.iter().map(|r| r.iter().map(|s| s.to_string()).collect()).collect();
    preds
        .iter()
        .map(|p| {
            let facts = (0..m.len()).map(|i| PostingFacts {
                source: &m.sources[i],
                month: &m.months[i],
                keywords: &ids[i],
                roles: &roles[i],
                salary: m.salary[i].as_ref().map(|(a, c)| (*a, c.as_str())),
                seniority: m.seniority[i],
            });
            (p.clone(), predictions::collect(p, facts))
        })
        .collect()
}

/// Evaluates every claim on the matched postings (Holm across the claims).
pub fn evaluate(preds: &[Prediction], tax: &Taxonomy, m: &Matched) -> Vec<Evaluation> {
    predictions::evaluate_all(&claim_data(preds, tax, m))
}

fn fmt_opt(x: Option<f64>, digits: usize) -> String {
    x.map_or("–".to_string(), |v| format!("{v:.digits$}"))
}

fn interval(e: &Evaluation) -> String {
    match (e.ci_low, e.ci_high) {
        (Some(l), Some(h)) => format!("[{l:.2}, {h:.2}] {}", e.unit),
        _ => "–".into(),
    }
}

fn share(x: Option<f64>) -> String {
    x.map_or("–".into(), |v| format!("{:.1}%", v * 100.0))
}

pub fn run(cli: &Cli, args: &CheckArgs) -> anyhow::Result<ExitCode> {
    super::warn_if_writing(&cli.data);
    let filter =
        TrendFilter { keywords_dir: args.keywords_dir.clone(), source: args.source.clone(), ..Default::default() };
    let tax = super::trends::taxonomy(filter.keywords_dir.as_deref())?;
    let preds = match load_predictions(args.predictions.as_deref(), &tax) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("jobtrend: error: {e:#}");
            return Ok(ExitCode::from(crate::exit::FATAL));
        }
    };
    let (_, m) = super::trends::load(&cli.data, &filter, true)?;
    if m.is_empty() {
        eprintln!("no postings in {}: every verdict is inconclusive", cli.data.display());
    }
    let evs = evaluate(&preds, &tax, &m);
    match args.format {
        CheckFormat::Json => println!("{}", serde_json::to_string_pretty(&evs)?),
        CheckFormat::Md => print!("{}", markdown(&evs)),
        CheckFormat::Table => {
            println!(
                "{:<34} {:<13} {:>7} {:>7} {:<30} {:<26} {:>8} {:>7}",
                "claim", "verdict", "start", "end", "effect", "95% interval", "p(Holm)", "n"
            );
            for e in &evs {
                println!(
                    "{:<34} {:<13} {:>7} {:>7} {:<30} {:<26} {:>8} {:>7}",
                    e.id,
                    e.verdict.as_str(),
                    share(e.share_start),
                    share(e.share_end),
                    e.effect,
                    interval(e),
                    fmt_opt(e.p_holm, 4),
                    e.n_postings
                );
            }
            let count = |v: &str| evs.iter().filter(|e| e.verdict.as_str() == v).count();
            println!(
                "\n{} claims: {} supported, {} contradicted, {} inconclusive",
                evs.len(),
                count("supported"),
                count("contradicted"),
                count("inconclusive")
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The verdict table in Markdown.
pub fn markdown(evs: &[Evaluation]) -> String {
    let mut s = String::from(
        "| claim | id | verdict | window | share start → end | effect | 95% interval | p (Holm) | n |\n|---|---|---|---|---|---|---|---|---|\n",
    );
    for e in evs {
        s.push_str(&format!(
            "| {} | `{}` | **{}** | {}..{} | {} → {} | {} | {} | {} | {} |\n",
            e.claim.replace('|', "\\|"),
            e.id,
            e.verdict.as_str(),
            e.since.as_deref().unwrap_or("–"),
            e.until.as_deref().unwrap_or("–"),
            share(e.share_start),
            share(e.share_end),
            e.effect.replace('|', "\\|"),
            interval(e),
            fmt_opt(e.p_holm, 4),
            e.n_postings
        ));
    }
    s
}

/// Periods with fewer postings are drawn hollow (the default of `--min-postings`).
const MIN_POSTINGS: u64 = 100;

/// A chart point for k of n postings in a period, with its Wilson interval.
fn share_point(period: &str, k: u64, n: u64) -> Option<Point> {
    let (low, high) = wilson(k, n, Z95);
    Some(Point { date: period_start(period)?, value: k as f64 / n as f64, low, high, n, flagged: n < MIN_POSTINGS })
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
    let pts = |f: &dyn Fn(&predictions::MonthPoint) -> Option<u64>| -> Vec<Point> {
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
    } else {
        charts::line_chart(&LineChart {
            title,
            subtitle: Some(format!("“{}”", p.quote.chars().take(140).collect::<String>())),
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

/// The verdict rows (with a chart per claim and the scorecard) for the report.
pub fn verdict_rows(
    predictions: Option<&Path>,
    tax: &Taxonomy,
    m: &Matched,
    opts: &ReportOptions,
) -> anyhow::Result<Vec<VerdictRow>> {
    let preds = load_predictions(predictions, tax)?;
    let items = claim_data(&preds, tax, m);
    let evs = predictions::evaluate_all(&items);
    let mut rows = Vec::new();
    for ((p, data), e) in items.iter().zip(&evs) {
        let chart = claim_chart(p, e, data, opts).map(|png| (format!("claim-{}.png", p.id), png));
        rows.push(VerdictRow {
            id: e.id.clone(),
            claim: e.claim.clone(),
            verdict: e.verdict.as_str().to_string(),
            effect: e.effect.clone(),
            interval: interval(e),
            p_value: fmt_opt(e.p_holm, 4),
            n: e.n_postings.to_string(),
            chart,
        });
    }
    Ok(rows)
}

/// The scorecard PNG for a set of verdict rows.
pub fn scorecard(rows: &[VerdictRow], opts: &ReportOptions) -> anyhow::Result<Vec<u8>> {
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
    Ok(charts::scorecard(&format!("The article's claims on {} — verdicts", opts.source_note), &sr, opts.width)?)
}

/// Charts beyond keyword shares: roles per month.
pub fn extra_charts(
    _tax: &Taxonomy,
    m: &Matched,
    opts: &ReportOptions,
) -> anyhow::Result<Vec<(String, String, Vec<u8>)>> {
    let mut out = Vec::new();
    // Roles: share of postings per role and month.
    let mut per: std::collections::BTreeMap<&str, (u64, std::collections::BTreeMap<&str, u64>)> = Default::default();
    for (i, mo) in m.months.iter().enumerate() {
        let e = per.entry(mo.as_str()).or_default();
        e.0 += 1;
        for r in &m.roles[i] {
            *e.1.entry(r).or_insert(0) += 1;
        }
    }
    let shown = ["backend", "frontend", "full-stack", "platform", "devops", "sre", "data", "ml-ai"];
    let series: Vec<Series> = shown
        .iter()
        .map(|role| Series {
            key: format!("role-{role}"),
            label: role.to_string(),
            points: per
                .iter()
                .filter_map(|(mo, (n, c))| share_point(mo, c.get(role).copied().unwrap_or(0), *n))
                .collect(),
            dashed: false,
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
    })?;
    out.push(("roles-classified.png".to_string(), "Roles (classified)".to_string(), png));

    // Salaries: share of postings that state one.
    let rows = crate::trends::salary_trends(m, crate::cli::Period::Month);
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
    })?;
    out.push(("salary-share.png".to_string(), "Salaries stated in postings".to_string(), png));
    Ok(out)
}
