//! `jobtrend check`: verdicts on the article's predictions, one row per claim.
//!
//! Exit 0 whatever the verdicts; 1 when the selection is empty or parts were skipped; 2 when the
//! predictions file is invalid (the error names the claim and the field) or the data directory
//! does not exist. The work is in [`crate::analysis`]; this file parses, calls and prints.

use std::process::ExitCode;

use crate::analysis::{Selection, Wants, load_predictions};
use crate::cli::{CheckArgs, CheckFormat, Cli};
use crate::predictions::Evaluation;
use crate::report::claims::{fmt_opt, interval, share};

pub fn run(cli: &Cli, args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let tax = super::trends::taxonomy(args.keywords_dir.as_deref())?;
    let preds = match load_predictions(args.predictions.as_deref(), &tax) {
        Ok(p) => p,
        Err(e) => {
            let what =
                args.predictions.as_ref().map_or("the built-in predictions".to_string(), |p| p.display().to_string());
            eprintln!("jobtrend: error: invalid predictions in {what}: {e}");
            return Ok(ExitCode::from(crate::exit::FATAL));
        }
    };
    let sel = Selection { sources: args.source.clone(), ..Default::default() };
    let a = match super::analyse(&cli.data, &tax, &sel, &Wants { facts: true, predictions: preds })? {
        Ok(a) => a,
        Err(code) => return Ok(code),
    };
    let evs = a.evaluations();
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
    Ok(super::exit_code(&a))
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
