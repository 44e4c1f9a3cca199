//! `jobtrend match`. STUB — being written.

use std::process::ExitCode;

use crate::cli::MatchArgs;

pub fn run(_args: &MatchArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented yet")
}
