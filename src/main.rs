use std::process::ExitCode;

/// mimalloc instead of glibc malloc: ingest and the claims allocate per posting on every core
/// (strings, lists, regex scratch), and glibc's malloc/free were ~7% of the ingest's CPU. Measured
/// 2026-12-03 beside c47090c: ingest median 69.0 against 62.3 MB/s (5 interleaved rounds, peak
/// RSS 222-246 against 139-140 MiB); `check` on 100x 24.5 s / 369 MiB against 32.4 s / 398 MiB.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
