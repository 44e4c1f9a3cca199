//! SIGINT / SIGTERM for every command that writes.
//!
//! In: the signals the process receives once [`install`] ran. Out: the stop flag
//! ([`crate::ingest::STOP`]) and a wake-up for async code ([`stopped`]). Writers check the flag
//! between files: the file in progress is finished (or discarded, never left half-written: every
//! write is a temp file + rename), the command prints its summary and exits 1. A second signal
//! exits at once with 128 + the signal number, which is still safe for the same reason (the next
//! open of the dataset removes the leftover temp files).

use std::sync::Once;
use std::sync::atomic::Ordering;

use crate::ingest::STOP;

static NOTIFY: tokio::sync::Notify = tokio::sync::Notify::const_new();

/// True once SIGINT or SIGTERM arrived (or [`request_stop`] was called).
pub fn stop_requested() -> bool {
    STOP.load(Ordering::SeqCst)
}

/// Sets the stop flag and wakes every [`stopped`] waiter.
pub fn request_stop() {
    STOP.store(true, Ordering::SeqCst);
    NOTIFY.notify_waiters();
}

/// Completes when a stop was requested (at once if it already was). Runtime-agnostic.
pub async fn stopped() {
    loop {
        let n = NOTIFY.notified();
        if stop_requested() {
            return;
        }
        n.await;
    }
}

/// Installs the handlers (once per process): the first SIGINT/SIGTERM says on stderr that the
/// command stops after the files in progress and sets the flag; a second one exits at once.
/// The handlers are registered before this returns, so no signal after it is lost.
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        #[cfg(unix)]
        if let Err(e) = install_unix() {
            tracing::warn!("could not install the signal handlers: {e}");
        }
    });
}

#[cfg(unix)]
fn install_unix() -> std::io::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let rt = tokio::runtime::Builder::new_current_thread().enable_io().build()?;
    let (term, int) = {
        let _guard = rt.enter();
        (signal(SignalKind::terminate())?, signal(SignalKind::interrupt())?)
    };
    std::thread::Builder::new().name("jobtrend-signals".into()).spawn(move || rt.block_on(watch(term, int)))?;
    Ok(())
}

#[cfg(unix)]
async fn watch(mut term: tokio::signal::unix::Signal, mut int: tokio::signal::unix::Signal) {
    let mut received = 0u32;
    loop {
        let signo = tokio::select! {
            _ = term.recv() => libc::SIGTERM,
            _ = int.recv() => libc::SIGINT,
        };
        received += 1;
        if received == 1 {
            eprintln!("jobtrend: stopping after the files in progress (signal received; again to quit at once)");
            request_stop();
        } else {
            eprintln!("jobtrend: second signal, quitting now");
            std::process::exit(128 + signo);
        }
    }
}

/// Test hook, `JOBTREND_PAUSE_AFTER_FILES=N`: after the N-th file is handled, say so on stderr
/// and wait (at most two minutes) for a stop request, so a test can signal a writer at a
/// deterministic point instead of racing it. Unset (the normal case) it does nothing.
pub fn pause_point(files_done: usize) {
    use std::sync::OnceLock;
    static AT: OnceLock<Option<usize>> = OnceLock::new();
    let at = *AT.get_or_init(|| std::env::var("JOBTREND_PAUSE_AFTER_FILES").ok().and_then(|v| v.parse().ok()));
    if at != Some(files_done) {
        return;
    }
    eprintln!("jobtrend: paused after {files_done} files (JOBTREND_PAUSE_AFTER_FILES), waiting for a signal");
    let t = std::time::Instant::now();
    while !stop_requested() && t.elapsed() < std::time::Duration::from_secs(120) {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// Test hook, `JOBTREND_PAUSE_AFTER_MONTHS=N`: as [`pause_point`], after the N-th HN month of a
/// backfill is stored (and its state written), so a test can kill the process right there.
pub fn pause_after_months(months_done: usize) {
    let at: Option<usize> = std::env::var("JOBTREND_PAUSE_AFTER_MONTHS").ok().and_then(|v| v.parse().ok());
    if at != Some(months_done) {
        return;
    }
    eprintln!("jobtrend: paused after {months_done} months (JOBTREND_PAUSE_AFTER_MONTHS), waiting for a signal");
    let t = std::time::Instant::now();
    while !stop_requested() && t.elapsed() < std::time::Duration::from_secs(120) {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}
