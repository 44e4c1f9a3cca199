//! `jobtrend report`: PNG charts, index.md, index.html and trends.csv in a directory.
//!
//! Exit 0; 1 when the selection is empty (nothing is written) or parts were skipped; 2 on a
//! missing data directory, reversed dates or an invalid predictions file.

use std::process::ExitCode;

use anyhow::Context;

use crate::analysis::{AnalysisError, Coverage, load_predictions};
use crate::cli::{Cli, ReportArgs};
use crate::report::{GenerateError, ReportError, ReportRequest, generate_to};

pub fn run(cli: &Cli, args: &ReportArgs) -> anyhow::Result<ExitCode> {
    super::warn_if_writing(&cli.data);
    crate::signals::install();
    let started = std::time::Instant::now();
    let tax = super::trends::taxonomy(args.filter.keywords_dir.as_deref())?;
    // Unknown ids fail before the dataset is read (exit 2, with the closest id).
    crate::trends::keyword_order(&tax, &super::trends::options(&args.filter, false))?;
    let terms = crate::terms::parse(&args.filter.term, &args.filter.term_regex, &tax)?;
    // The error names the file (and the claim and field).
    let predictions = load_predictions(args.predictions.as_deref(), &tax).context("invalid predictions")?;
    let req = ReportRequest {
        data: &cli.data,
        tax: &tax,
        selection: super::trends::selection(&args.filter),
        trend: super::trends::options(&args.filter, false),
        predictions,
        width: args.width,
        height: args.height,
        terms,
    };
    let (a, rep) = match generate_to(&req, &args.out) {
        Ok(x) => x,
        Err(GenerateError::Analysis(e @ (AnalysisError::NoDataDir(_) | AnalysisError::Reversed { .. }))) => {
            eprintln!("jobtrend: error: {e}");
            return Ok(ExitCode::from(e.exit_code()));
        }
        Err(GenerateError::Report(e @ ReportError::Interrupted { .. })) => {
            eprintln!("jobtrend: {e}");
            return Ok(ExitCode::from(crate::exit::PARTIAL));
        }
        Err(e) => {
            return Err(anyhow::Error::new(e).context(format!("could not write the report to {}", args.out.display())));
        }
    };
    super::report_problems(&a);
    let Some(rep) = rep else {
        let why =
            Coverage::of(&cli.data, &tax).map_or_else(|e| e.to_string(), |c| c.explain(&cli.data, &req.selection));
        eprintln!("jobtrend: {why}; no report written");
        return Ok(ExitCode::from(crate::exit::PARTIAL));
    };
    if !cli.quiet {
        eprintln!(
            "report: {} files ({} charts) in {} ({:.2} s)",
            rep.files.len(),
            rep.files.keys().filter(|k| k.ends_with(".png")).count(),
            args.out.display(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(super::exit_code(&a))
}
