//! One file per subcommand; each turns parsed arguments into library calls and an exit code.

use std::path::Path;
use std::process::ExitCode;

use crate::analysis::{Analysis, AnalysisError, Coverage, Selection, Wants};
use crate::cli::{Cli, Command, IngestSource};
use crate::keywords::Taxonomy;
use crate::store::{Store, StoreError};

pub mod check;
pub mod compact;
pub mod emerging;
pub mod examples;
pub mod ingest;
pub mod ingest_crawl;
pub mod ingest_net;
pub mod keywords;
pub mod match_cmd;
pub mod net_glue;
pub mod report;
pub mod run;
pub mod stats;
pub mod trends;
pub mod verify;

/// Runs the parsed command line.
pub fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    match &cli.command {
        Command::Ingest(IngestSource::Html(args)) => ingest::run_html(&cli, args),
        Command::Ingest(IngestSource::Warc(args)) => ingest_crawl::run_warc(&cli, args),
        Command::Ingest(IngestSource::Wdc(args)) => ingest_crawl::run_wdc(&cli, args),
        Command::Ingest(src) => ingest_net::run(&cli, src),
        Command::Stats(args) => stats::run(&cli, args),
        Command::Match(args) => match_cmd::run(args),
        Command::Keywords(args) => keywords::run(args),
        Command::Trends(args) => trends::run(&cli, args),
        Command::Report(args) => report::run(&cli, args),
        Command::Run(args) => run::run(&cli, args),
        Command::Check(args) => check::run(&cli, args),
        Command::Verify(args) => verify::run(&cli, args),
        Command::Compact(args) => compact::run(&cli, args),
        Command::Emerging(args) => emerging::run(&cli, args),
        Command::Examples(args) => examples::run(&cli, args),
    }
}

/// Opens the dataset for writing. `Err(code)` (exit 3) when another run holds the lock, after
/// saying so on stderr. Damaged part files are named on stderr (the store goes on without them;
/// the caller exits 1 when [`Store::damaged`] is not empty).
pub fn open_store(data: &Path, wait: bool) -> anyhow::Result<Result<Store, ExitCode>> {
    match Store::open(data, wait) {
        Ok(mut s) => {
            for d in s.damaged() {
                eprintln!(
                    "jobtrend: {}: unreadable part file ({}); its postings are unknown and may be added again: run `jobtrend verify --repair`",
                    d.path.display(),
                    d.reason
                );
            }
            attach_index_hook(&mut s, data);
            Ok(Ok(s))
        }
        Err(e @ StoreError::Locked { .. }) => {
            eprintln!("jobtrend: {e}");
            Ok(Err(ExitCode::from(crate::exit::LOCKED)))
        }
        Err(e) => Err(anyhow::Error::new(e).context(format!("could not open the dataset in {}", data.display()))),
    }
}

/// Ingest writes the match index of the built-in taxonomy next to each part it writes (its matcher
/// built while the ingest starts: [`crate::index::part_hook_in_background`]).
pub fn attach_index_hook(s: &mut Store, data: &Path) {
    let tax = || crate::keywords::Taxonomy::builtin().map_err(|e| e.to_string());
    s.on_part_written(crate::index::part_hook_in_background(data, tax));
}

/// Runs the analysis for an analysis command. `Err(code)` after saying why when there is nothing
/// to analyse: a missing data directory or reversed dates (2), an empty selection (1, with the
/// sources and months the data cover). Damaged parts are named once each; see [`exit_code`].
pub fn analyse(
    data: &Path,
    tax: &Taxonomy,
    sel: &Selection,
    wants: &Wants,
) -> anyhow::Result<Result<Analysis, ExitCode>> {
    let a = match crate::analysis::analyse(data, tax, sel, wants) {
        Ok(a) => a,
        Err(e @ (AnalysisError::NoDataDir(_) | AnalysisError::Reversed { .. })) => {
            eprintln!("jobtrend: error: {e}");
            return Ok(Err(ExitCode::from(e.exit_code())));
        }
        Err(e) => {
            return Err(anyhow::Error::new(e).context(format!("could not read the dataset in {}", data.display())));
        }
    };
    report_problems(&a);
    if a.is_empty() {
        let why = match Coverage::of(data, tax) {
            Ok(c) => c.explain(data, sel),
            Err(e) => format!("no postings in {}: {e}", data.display()),
        };
        eprintln!("jobtrend: {why}");
        return Ok(Err(ExitCode::from(crate::exit::PARTIAL)));
    }
    Ok(Ok(a))
}

/// Names each part the analysis skipped, once.
pub fn report_problems(a: &Analysis) {
    for p in &a.problems {
        eprintln!("jobtrend: skipped a damaged part file: {p}");
    }
    if !a.problems.is_empty() {
        eprintln!("jobtrend: {} part file(s) skipped; the numbers leave them out", a.problems.len());
    }
}

/// 0, or 1 when some parts were skipped.
pub fn exit_code(a: &Analysis) -> ExitCode {
    if a.problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(crate::exit::PARTIAL) }
}

/// For readers: says once on stderr when a live writer holds the dataset's lock.
pub fn warn_if_writing(data: &Path) {
    if let Some(pid) = crate::store::writer_active(data) {
        eprintln!("jobtrend: an ingest (pid {pid}) is writing to {}: results may be partial", data.display());
    }
}

/// An error and its causes on one line, each message once: a cause whose text already ends the
/// line as `...: cause` (a library error that prints its source, then the source itself) is left
/// out.
pub fn error_message(err: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in err.chain() {
        let m = cause.to_string();
        if line == m || line.ends_with(&format!(": {m}")) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&m);
    }
    line
}

#[cfg(test)]
mod tests {
    #[test]
    fn error_causes_are_printed_once() {
        let e = crate::config::RunConfig::load(std::path::Path::new("/nonexistent/j.toml")).unwrap_err();
        let e = anyhow::Error::new(e).context("could not start");
        assert_eq!(
            super::error_message(&e),
            "could not start: /nonexistent/j.toml: No such file or directory (os error 2)"
        );
        let e = anyhow::anyhow!("timeout").context("the request hit a timeout");
        assert_eq!(super::error_message(&e), "the request hit a timeout: timeout");
    }
}
