//! `jobtrend ingest html [--shared] PATH...`: saved pages into the dataset.

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::Context;

use crate::cli::{Cli, IngestHtmlArgs};
use crate::ingest::{HtmlOptions, IngestSummary, ingest_html};

pub fn run_html(cli: &Cli, args: &IngestHtmlArgs) -> anyhow::Result<ExitCode> {
    let mut store = if args.shared {
        let writer = args.writer_id.clone().unwrap_or_else(crate::store::default_writer_id);
        let mut s = crate::store::Store::open_shared(&cli.data, &writer)
            .with_context(|| format!("could not open the dataset in {}", cli.data.display()))?;
        super::attach_index_hook(&mut s, &cli.data);
        s
    } else {
        match super::open_store(&cli.data, args.common.wait)? {
            Ok(s) => s,
            Err(code) => return Ok(code),
        }
    };
    crate::signals::install();
    let opts =
        HtmlOptions { date: args.date, jobs: args.jobs, progress: !cli.quiet && std::io::stderr().is_terminal() };
    let sum = ingest_html(&mut store, &args.paths, &opts)
        .with_context(|| format!("could not write the dataset in {}", cli.data.display()))?;
    print_summary(cli, &sum, args.common.json)?;
    // A dataset with unreadable parts was written to without knowing their postings: exit 1.
    let damaged = if store.damaged().is_empty() { crate::exit::OK } else { crate::exit::PARTIAL };
    store.close_at_exit();
    Ok(ExitCode::from(sum.exit_code().max(damaged)))
}

/// The end-of-run summary: one line on stderr (unless `-q`), or JSON on stdout with `--json`.
pub fn print_summary(cli: &Cli, sum: &IngestSummary, json: bool) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(sum)?);
    }
    if !cli.quiet || sum.exit_code() != 0 {
        let mb = sum.bytes as f64 / 1e6;
        eprintln!(
            "{} files: {} read, {} skipped{}; {} postings found: {} new, {} already known; {:.1} MB in {:.2} s ({:.0} MB/s)",
            sum.files,
            sum.files_read,
            sum.files_skipped,
            if sum.pages_ignored > 0 { format!(", {} pages not kept", sum.pages_ignored) } else { String::new() },
            sum.postings_found,
            sum.new,
            sum.known,
            mb,
            sum.seconds,
            if sum.seconds > 0.0 { mb / sum.seconds } else { 0.0 },
        );
        if sum.interrupted {
            eprintln!(
                "interrupted: {} of {} files not read; what was read is stored, run the same command again to finish",
                sum.files - sum.files_read - sum.files_skipped,
                sum.files
            );
        }
        if sum.files == 0 && sum.missing_paths.is_empty() {
            eprintln!("no .html, .htm or .html.gz files found");
        }
    }
    Ok(())
}
