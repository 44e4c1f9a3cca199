//! `jobtrend verify [--repair] [--json]`: check every part file of the dataset; repair it.
//!
//! In: the data directory. Out: the problems found (stderr, or JSON on stdout), with `--repair`
//! the files moved or rewritten and what must be ingested again; exit 0 when the dataset was
//! clean, 1 when problems were found (repaired or not) or a signal stopped the repair, 2 when
//! the data directory does not exist, 3 when another run holds the lock (`--repair` only).

use std::process::ExitCode;

use anyhow::Context;
use serde::Serialize;

use crate::cli::{Cli, VerifyArgs};
use crate::sources::net::{State, StateReset};
use crate::store::verify::{RepairReport, VerifyReport, repair, verify};
use crate::store::{StoreError, lock};

#[derive(Debug, Serialize)]
struct Output {
    #[serde(flatten)]
    report: VerifyReport,
    repair: Option<RepairReport>,
    state_reset: Option<StateReset>,
}

pub fn run(cli: &Cli, args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    if !cli.data.is_dir() {
        anyhow::bail!("the data directory {} does not exist (give the right one with --data DIR)", cli.data.display());
    }
    let out = if args.repair {
        crate::signals::install();
        let held = match lock(&cli.data, args.wait) {
            Ok(l) => l,
            Err(e @ StoreError::Locked { .. }) => {
                eprintln!("jobtrend: {e}");
                return Ok(ExitCode::from(crate::exit::LOCKED));
            }
            Err(e) => return Err(e).context("could not lock the dataset"),
        };
        let report = verify(&cli.data).context("could not check the dataset")?;
        let fix = repair(&cli.data, &report, &held).context("could not repair the dataset")?;
        let state_dir = cli.data.join("state");
        let reset = match State::forget_lost(&state_dir, &fix.refetch_months) {
            Ok(r) => Some(r),
            Err(e) => {
                eprintln!("jobtrend: {e}: could not reset the network state; use `jobtrend ingest hn --refresh`");
                None
            }
        };
        Output { report, repair: Some(fix), state_reset: reset }
    } else {
        super::warn_if_writing(&cli.data);
        Output { report: verify(&cli.data).context("could not check the dataset")?, repair: None, state_reset: None }
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&out)?);
    }
    print_text(cli, &out);
    let stopped = out.repair.as_ref().is_some_and(|r| r.interrupted);
    Ok(ExitCode::from(if out.report.is_clean() && !stopped { crate::exit::OK } else { crate::exit::PARTIAL }))
}

fn print_text(cli: &Cli, out: &Output) {
    let r = &out.report;
    if !cli.quiet {
        eprintln!(
            "{}: {} part files ({} rows, {} distinct ids), {} index parts",
            r.data_dir, r.parts, r.rows, r.distinct_ids, r.index_parts
        );
    }
    for p in &r.damaged {
        eprintln!("{}/{}: {} (months {})", r.data_dir, p.path, p.reason, p.months.join(", "));
    }
    for d in &r.duplicates {
        eprintln!(
            "{}/{}: {} of {} rows repeat the ids of earlier rows (e.g. {})",
            r.data_dir, d.path, d.rows, d.of, d.example
        );
    }
    let Some(fix) = &out.repair else {
        if !r.is_clean() {
            eprintln!(
                "problems found: {}; `jobtrend verify --repair` quarantines the damaged parts and removes the duplicate rows",
                r.damaged.len() + r.duplicates.len()
            );
        } else if !cli.quiet {
            eprintln!("no problems found");
        }
        return;
    };
    for q in &fix.quarantined {
        eprintln!("moved {q} to {}/quarantine/{q} (logged in quarantine/log.jsonl)", r.data_dir);
    }
    for q in &fix.index_parts_deleted {
        eprintln!("deleted the damaged index part {q} (it is rebuilt when needed)");
    }
    if !fix.stale_index_parts_deleted.is_empty() {
        eprintln!(
            "deleted {} index parts of the parts moved or changed (the next analysis matches what is left again)",
            fix.stale_index_parts_deleted.len()
        );
    }
    if fix.rows_removed > 0 {
        eprintln!(
            "removed {} duplicate rows: {} parts rewritten, {} parts deleted (every row was a duplicate)",
            fix.rows_removed,
            fix.parts_rewritten.len(),
            fix.parts_deleted.len()
        );
    }
    if !fix.refetch_months.is_empty() {
        let months = fix.refetch_months.join(", ");
        eprintln!(
            "the postings of {months} in the quarantined parts are no longer in the dataset; to bring them back:"
        );
        eprintln!("  saved pages: run `jobtrend ingest html` on them again (postings already stored are skipped)");
        if let Some(reset) = &out.state_reset {
            if !reset.hn_months.is_empty() {
                eprintln!(
                    "  HN: the next `jobtrend ingest hn` or `jobtrend run` fetches {} again (state reset)",
                    reset.hn_months.join(", ")
                );
            }
            if reset.validators > 0 {
                eprintln!(
                    "  network sources: {} conditional-request validators dropped, the next ingest fetches them in full",
                    reset.validators
                );
            }
        }
    }
    if fix.interrupted {
        eprintln!("interrupted: the repair stopped between two files; run `jobtrend verify --repair` again to finish");
    } else if !r.is_clean() {
        eprintln!("repaired; `jobtrend verify` now finds the dataset clean");
    }
}
