use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = jobtrend::cli::Cli::parse();
    jobtrend::cli::init_logging(&cli);
    match jobtrend::cmd::dispatch(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("jobtrend: error: {err:#}");
            ExitCode::from(jobtrend::exit::FATAL)
        }
    }
}
