use std::process::ExitCode;

/// mimalloc instead of glibc malloc: ingest and the claims allocate per posting on every core
/// (strings, lists, regex scratch), and glibc's malloc/free were ~7% of the ingest's CPU. Measured
/// 2026-12-03 beside c47090c: ingest median 69.0 against 62.3 MB/s (5 interleaved rounds, peak
/// RSS 222-246 against 139-140 MiB); `check` on 100x 24.5 s / 369 MiB against 32.4 s / 398 MiB.
///
/// Built with mimalloc's `no_thp` feature: it does not ask the kernel for transparent huge pages
/// (`madvise(MADV_HUGEPAGE)`); a kernel set to THP `always` still gives them. The 2-core VM we measure on
/// reports free memory to its host (virtio-balloon free page reporting), and a C program touching 256 MiB of
/// fresh huge pages took 2.2-6.0 ms a page in four of seven runs and 0.23-0.27 ms in the other three. An ingest
/// faults in ~105 huge pages, and its system time varied from 0.18 to 0.87 s in 14 runs. 2026-12-04, ingest
/// of the saved HN pages, 8 interleaved rounds beside
/// 2f161aa: median wall 1.22 against 1.31 s (lower in 5 of 8), system CPU 0.33 against 0.69 s, peak RSS at most
/// 170 against 283 MiB. With a 6 s pause before each run, as a scheduled job starts (the host takes freed memory
/// back about 2 s after it is freed), 6 interleaved rounds of 182eafb's build (this and a smaller change) beside
/// ca5fba9's: median wall 1.04 against 1.40 s (lower in 6 of 6), system CPU 0.32 against 0.90 s.
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
