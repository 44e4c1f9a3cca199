//! One file per subcommand; each turns parsed arguments into library calls and an exit code.

use std::process::ExitCode;

use crate::cli::{Cli, Command, IngestSource};

pub mod match_cmd;

/// Runs the parsed command line.
pub fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    match &cli.command {
        Command::Match(args) => match_cmd::run(args),
        Command::Ingest(IngestSource::Html(_)) | Command::Stats(_) | Command::Trends(_) | Command::Report(_)
        | Command::Check(_) | Command::Run(_) => anyhow::bail!("not implemented yet"),
    }
}
