//! One file per subcommand; each turns parsed arguments into library calls and an exit code.

use std::path::Path;
use std::process::ExitCode;

use crate::cli::{Cli, Command, IngestSource};
use crate::store::{Store, StoreError};

pub mod check;
pub mod compact;
pub mod ingest;
pub mod ingest_net;
pub mod match_cmd;
pub mod report;
pub mod run;
pub mod stats;
pub mod trends;

/// Runs the parsed command line.
pub fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    match &cli.command {
        Command::Ingest(IngestSource::Html(args)) => ingest::run_html(&cli, args),
        Command::Ingest(src) => ingest_net::run(&cli, src),
        Command::Stats(args) => stats::run(&cli, args),
        Command::Match(args) => match_cmd::run(args),
        Command::Trends(args) => trends::run(&cli, args),
        Command::Report(args) => report::run(&cli, args),
        Command::Run(args) => run::run(&cli, args),
        Command::Check(args) => check::run(&cli, args),
        Command::Compact(args) => compact::run(&cli, args),
    }
}

/// Opens the dataset for writing. `Err(code)` (exit 3) when another run holds the lock, after
/// saying so on stderr.
pub fn open_store(data: &Path, wait: bool) -> anyhow::Result<Result<Store, ExitCode>> {
    match Store::open(data, wait) {
        Ok(s) => Ok(Ok(s)),
        Err(e @ StoreError::Locked { .. }) => {
            eprintln!("jobtrend: {e}");
            Ok(Err(ExitCode::from(crate::exit::LOCKED)))
        }
        Err(e) => Err(anyhow::Error::new(e).context(format!("could not open the dataset in {}", data.display()))),
    }
}
