//! `jobtrend emerging`: the terms whose share rose most in the recent window, as a table, CSV or JSON.

use std::process::ExitCode;

use anyhow::Context;

use crate::cli::{Cli, EmergingArgs, TableFormat};
use crate::emerging::{Emerging, EmergingError, EmergingOptions, find, to_csv};

pub fn run(cli: &Cli, args: &EmergingArgs) -> anyhow::Result<ExitCode> {
    super::warn_if_writing(&cli.data);
    let tax = super::trends::taxonomy(args.keywords_dir.as_deref())?;
    let opts = EmergingOptions {
        since: args.since.clone(),
        baseline_months: args.baseline_months.map(usize::from),
        sources: args.source.clone(),
        top: args.top,
        min_postings: args.min_postings,
        ..Default::default()
    };
    let e = match find(&cli.data, &tax, &opts) {
        Ok(e) => e,
        Err(e @ (EmergingError::Store(_) | EmergingError::Keywords(_))) => {
            return Err(anyhow::Error::new(e).context(format!("could not read the dataset in {}", cli.data.display())));
        }
        Err(EmergingError::NoPostings { sources, .. }) => {
            // Why, in the words of the other analysis commands: which sources and months there are.
            let sel = crate::analysis::Selection { sources, ..Default::default() };
            let why = crate::analysis::Coverage::of(&cli.data, &tax)
                .map_or_else(|e| e.to_string(), |c| c.explain(&cli.data, &sel));
            eprintln!("jobtrend: {why}");
            return Ok(ExitCode::from(crate::exit::PARTIAL));
        }
        Err(e) => {
            // A usage error (exit 2) says so, as the other analysis commands do; an empty window does not.
            let kind = if e.exit_code() == crate::exit::FATAL { "error: " } else { "" };
            eprintln!("jobtrend: {kind}{e}");
            return Ok(ExitCode::from(e.exit_code()));
        }
    };
    for p in &e.problems {
        eprintln!("jobtrend: skipped a damaged part file: {p}");
    }
    match args.format {
        TableFormat::Csv => print!("{}", to_csv(&e)),
        TableFormat::Json => println!("{}", serde_json::to_string_pretty(&e).context("JSON output")?),
        TableFormat::Table => print_table(&e),
    }
    Ok(if e.problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(crate::exit::PARTIAL) })
}

fn print_table(e: &Emerging) {
    println!(
        "recent {} ({} months, {} postings) vs before {} ({} months, {} postings)",
        e.recent.span(),
        e.recent.months,
        e.recent.postings,
        e.before.span(),
        e.before.months,
        e.before.postings
    );
    if e.terms.is_empty() {
        println!("no term rose significantly ({} candidates, {} covered by keyword ids)", e.candidates, e.covered);
        return;
    }
    println!(
        "{:<32} {:>7} {:>7} {:>8} {:>8} {:>8}  {:<19}",
        "term", "before", "recent", "share<", "share>", "ratio", "95% CI"
    );
    for t in &e.terms {
        println!(
            "{:<32} {:>7} {:>7} {:>7.2}% {:>7.2}% {:>8.1}  {:<19}",
            t.term,
            t.postings_before,
            t.postings_after,
            t.share_before * 100.0,
            t.share_after * 100.0,
            t.ratio,
            format!("{:.1} – {:.1}", t.ci_low, t.ci_high)
        );
    }
    println!(
        "({} candidates counted, {} covered by keyword ids; ranked by the interval's lower bound)",
        e.candidates, e.covered
    );
}
