//! `jobtrend check`: verdicts on the article's predictions, one row per claim (and one per source).
//!
//! Exit 0 whatever the verdicts; 1 when the selection is empty or parts were skipped; 2 when the
//! predictions file is invalid (the error names the claim and the field) or the data directory
//! does not exist. The work is in [`crate::analysis`] and [`crate::predictions`]; this file parses,
//! calls and prints.

use std::process::ExitCode;

use anyhow::Context;

use crate::analysis::{Selection, Wants, load_predictions};
use crate::cli::{CheckArgs, CheckFormat, Cli};
use crate::predictions::render;

pub fn run(cli: &Cli, args: &CheckArgs) -> anyhow::Result<ExitCode> {
    super::warn_if_writing(&cli.data);
    let tax = super::trends::taxonomy(args.keywords_dir.as_deref())?;
    let preds = match load_predictions(args.predictions.as_deref(), &tax) {
        Ok(p) => p,
        Err(e) => {
            // The error names the file (and the claim and field).
            eprintln!("jobtrend: error: invalid predictions: {e}");
            return Ok(ExitCode::from(crate::exit::FATAL));
        }
    };
    let sel = Selection { sources: args.source.clone(), dedup: args.dedup, ..Default::default() };
    let a = match super::analyse(&cli.data, &tax, &sel, &Wants { facts: false, predictions: preds })? {
        Ok(a) => a,
        Err(code) => return Ok(code),
    };
    if let Some(path) = &args.counts {
        crate::fsutil::write_atomic(path, render::counts_csv(&a.claims).as_bytes())
            .with_context(|| format!("could not write the counts to {}", path.display()))?;
    }
    let evs = a.evaluations();
    match args.format {
        CheckFormat::Json => println!("{}", serde_json::to_string_pretty(&evs)?),
        CheckFormat::Md => print!("{}", render::markdown(&evs)),
        CheckFormat::Table => print!("{}", render::table(&evs)),
    }
    Ok(super::exit_code(&a))
}
