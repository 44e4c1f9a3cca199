use std::process::ExitCode;

fn main() -> ExitCode {
    // Die quietly on a closed pipe (`jobtrend trends | head`), like other Unix filters.
    #[cfg(unix)]
    // SAFETY: setting a signal disposition to its default before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = jobtrend::cli::parse();
    jobtrend::cli::init_logging(&cli);
    match jobtrend::cmd::dispatch(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("jobtrend: error: {}", jobtrend::cmd::error_message(&err));
            ExitCode::from(jobtrend::exit::FATAL)
        }
    }
}
