//! `jobtrend report`: PNG charts, index.md, index.html and trends.csv in a directory.

use std::process::ExitCode;

use anyhow::Context;

use crate::cli::{Cli, Period, ReportArgs};
use crate::report::{ReportOptions, build};
use crate::trends::{compute, to_csv};

pub fn run(cli: &Cli, args: &ReportArgs) -> anyhow::Result<ExitCode> {
    super::warn_if_writing(&cli.data);
    crate::signals::install();
    match generate(&cli.data, cli.quiet, args) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) => match interrupted(&e) {
            Some(msg) => {
                eprintln!("jobtrend: {msg}");
                Ok(ExitCode::from(crate::exit::PARTIAL))
            }
            None => Err(e),
        },
    }
}

/// The message of a report write stopped by a signal, if that is what `e` is.
pub fn interrupted(e: &anyhow::Error) -> Option<String> {
    e.chain()
        .filter_map(|c| c.downcast_ref::<crate::report::ReportError>())
        .find(|r| matches!(r, crate::report::ReportError::Interrupted { .. }))
        .map(|r| r.to_string())
}

/// Builds the report from the dataset in `data` and writes it to `args.out`.
pub fn generate(data: &std::path::Path, quiet: bool, args: &ReportArgs) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let (tax, m) = super::trends::load(data, &args.filter, true)?;
    if m.is_empty() {
        eprintln!("no postings in {}: the report will say so in every chart", data.display());
    }
    let rows = compute(&m, &tax, &super::trends::options(&args.filter, false))?;
    let csv = to_csv(&rows, false);
    let opts = ReportOptions {
        width: args.width,
        height: args.height,
        period_name: match args.filter.by {
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Year => "year",
        }
        .to_string(),
        source_note: source_note(&m),
    };
    let verdicts = super::check::verdict_rows(args.predictions.as_deref(), &tax, &m, &opts)?;
    let mut extra = super::check::extra_charts(&tax, &m, &opts)?;
    if !verdicts.is_empty() {
        extra.insert(
            0,
            (
                "scorecard.png".into(),
                "Scorecard: the article's claims".into(),
                super::check::scorecard(&verdicts, &opts)?,
            ),
        );
    }
    let rep = build(&tax, &rows, csv, &verdicts, extra, &opts)?;
    rep.write(&args.out).with_context(|| format!("could not write the report to {}", args.out.display()))?;
    if !quiet {
        eprintln!(
            "report: {} files ({} charts) in {} ({:.2} s)",
            rep.files.len(),
            rep.files.keys().filter(|k| k.ends_with(".png")).count(),
            args.out.display(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// "hn: 54,299 postings 2018-03..2026-01; greenhouse: ..." — what the charts are made of.
pub fn source_note(m: &crate::matched::Matched) -> String {
    let mut per: std::collections::BTreeMap<&str, (usize, &str, &str)> = Default::default();
    for (s, mo) in m.sources.iter().zip(&m.months) {
        let e = per.entry(s.as_str()).or_insert((0, mo.as_str(), mo.as_str()));
        e.0 += 1;
        if mo.as_str() < e.1 {
            e.1 = mo;
        }
        if mo.as_str() > e.2 {
            e.2 = mo;
        }
    }
    if per.is_empty() {
        return "no postings".into();
    }
    per.iter().map(|(s, (n, a, b))| format!("{s}: {n} postings {a}..{b}")).collect::<Vec<_>>().join("; ")
}
