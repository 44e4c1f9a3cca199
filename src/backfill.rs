//! HN "Who is hiring?" months into the dataset one at a time: the resumable backfill.
//!
//! In: an open [`Store`], the network [`State`] and its directory, a month range (no `since`: every
//! month from 2011-04 not yet complete, see [`hn_api::first_incomplete_month`]) and the
//! [`NetOptions`]. Out: each thread's postings appended as soon as it is fetched (oldest first),
//! then the thread recorded as complete in `<data>/state/net.json` (when its month is over), and
//! an [`HnSummary`].
//!
//! Because every month is stored (atomically, one part file) before its state is written, a run
//! that is killed, stopped by SIGINT/SIGTERM or cut off from the network keeps every month it
//! finished, and the next run fetches only the rest (plus the current, still-open month). A kill
//! between the two writes costs one month fetched again; its postings are then "known".
//!
//! Progress: a bar on stderr (months done / to do, postings so far) when `progress` is set and
//! stderr is a terminal; nothing otherwise.

use std::path::Path;

use chrono::Utc;
use serde::Serialize;

use crate::sources::net::hn_api::{self, HnFetch, ThreadResult};
use crate::sources::net::{self, NetError, NetOptions, SourceOutcome, State};
use crate::store::{Store, StoreError};

/// The months to fetch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HnRange {
    pub since: Option<String>,
    pub until: Option<String>,
    /// Fetch complete months again.
    pub refresh: bool,
}

/// What a backfill did.
#[derive(Debug, Default)]
pub struct HnSummary {
    /// Name `hn`, per-request errors, `unreachable`, requests; its postings are already stored
    /// (the list is empty) and its state committed.
    pub outcome: SourceOutcome,
    /// Postings the API returned.
    pub found: usize,
    pub new: usize,
    pub known: usize,
    /// Threads in range that were complete already and not asked for.
    pub months_complete_before: usize,
    /// Threads to fetch this run.
    pub months_todo: usize,
    /// Threads fetched and stored this run.
    pub months_stored: usize,
    /// Threads that could not be read (their errors are in the outcome); the next run asks again.
    pub months_failed: usize,
    /// Stopped by SIGINT/SIGTERM: the months stored are kept, the next run fetches the rest.
    pub interrupted: bool,
}

impl HnSummary {
    /// One line on an interruption: what was kept, what the next run does.
    pub fn interruption(&self) -> String {
        HnMonths::from(self).interruption()
    }
}

/// The counts of [`HnSummary`] for JSON summaries.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct HnMonths {
    pub complete_before: usize,
    pub todo: usize,
    pub stored: usize,
    pub failed: usize,
}

impl HnMonths {
    /// One line on an interruption: what was kept, what the next run does.
    pub fn interruption(&self) -> String {
        format!("interrupted: {} of {} months stored; the next run fetches the rest", self.stored, self.todo)
    }
}

impl From<&HnSummary> for HnMonths {
    fn from(s: &HnSummary) -> Self {
        HnMonths {
            complete_before: s.months_complete_before,
            todo: s.months_todo,
            stored: s.months_stored,
            failed: s.months_failed,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BackfillError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    State(#[from] NetError),
}

/// The one line `run` prints when the HN API could not be reached and the dataset has no HN
/// posting: how to get the real data.
pub fn offline_hint(host: &str) -> String {
    format!(
        "no HN data: could not reach {host}; run again online, or `jobtrend ingest html DIR` with saved 'Who is hiring?' pages"
    )
}

/// The host the HN source asks (for [`offline_hint`]).
pub fn hn_host(base_url: Option<&str>) -> String {
    let u = base_url.unwrap_or(hn_api::ALGOLIA);
    reqwest::Url::parse(u)
        .ok()
        .and_then(|u| u.host_str().map(|h| u.port().map_or(h.to_string(), |p| format!("{h}:{p}"))))
        .unwrap_or_else(|| u.to_string())
}

/// True when the dataset holds a posting of source `hn` (unreadable parts are left out).
pub fn dataset_has_hn(data_dir: &Path) -> bool {
    crate::store::census::census(data_dir).is_ok_and(|c| c.months.iter().any(|m| m.source == "hn"))
}

/// Fetches the months of `range` and stores each one as it arrives (see the module doc).
/// Runs on `rt`; returns early, with what was stored, on SIGINT/SIGTERM ([`crate::signals`]).
pub fn backfill_hn(
    store: &mut Store,
    rt: &tokio::runtime::Runtime,
    range: &HnRange,
    opts: &NetOptions,
    state: &mut State,
    state_dir: &Path,
) -> Result<HnSummary, BackfillError> {
    let mut sum =
        HnSummary { outcome: SourceOutcome { name: "hn".into(), ..Default::default() }, ..Default::default() };
    let fetch = HnFetch::new(opts, state);
    let planned = rt.block_on(async {
        tokio::select! {
            p = fetch.plan(range.since.as_deref(), range.until.as_deref(), range.refresh, state) => Some(p),
            () = crate::signals::stopped() => None,
        }
    });
    let plan = match planned {
        None => {
            sum.interrupted = true;
            sum.outcome.requests = fetch.requests();
            return Ok(sum);
        }
        Some(Err(e)) => {
            net::push_error(&mut sum.outcome, e);
            sum.outcome.requests = fetch.requests();
            return Ok(sum);
        }
        Some(Ok(p)) => p,
    };
    sum.months_complete_before = plan.complete;
    sum.months_todo = plan.todo.len();
    let bar = progress_bar(opts.progress, plan.todo.len());
    let (mut rx, handle) = {
        let _guard = rt.enter();
        fetch.spawn(plan.todo)
    };
    loop {
        if crate::signals::stop_requested() {
            sum.interrupted = true;
            break;
        }
        let next = rt.block_on(async {
            tokio::select! {
                r = rx.recv() => Some(r),
                () = crate::signals::stopped() => None,
            }
        });
        let r = match next {
            None => {
                sum.interrupted = true;
                break;
            }
            Some(None) => break,
            Some(Some(r)) => r,
        };
        let stored = store_month(store, state, state_dir, r, &mut sum)?;
        bar.inc(1);
        bar.set_message(format!("{} postings", sum.found));
        if stored {
            crate::signals::pause_after_months(sum.months_stored);
        }
    }
    drop(rx);
    handle.abort();
    bar.finish_and_clear();
    sum.outcome.requests = fetch.requests();
    Ok(sum)
}

/// Stores one thread's postings, then records it as complete (when it is). True when it was read
/// without error.
fn store_month(
    store: &mut Store,
    state: &mut State,
    state_dir: &Path,
    r: ThreadResult,
    sum: &mut HnSummary,
) -> Result<bool, BackfillError> {
    let update = r.state_update();
    let (month, failed) = (r.thread.month.clone(), !r.errors.is_empty());
    for e in r.errors {
        net::push_error(&mut sum.outcome, e);
    }
    sum.found += r.postings.len();
    if !r.postings.is_empty() {
        let now = Utc::now();
        let st = store.append(r.postings.into_iter().map(|p| p.finish(now)).collect())?;
        sum.new += st.new;
        sum.known += st.known;
    }
    state.commit(state_dir, update)?;
    if failed {
        sum.months_failed += 1;
    } else {
        tracing::info!("hn: {month} stored");
        sum.months_stored += 1;
    }
    Ok(!failed)
}

fn progress_bar(wanted: bool, len: usize) -> indicatif::ProgressBar {
    if !wanted || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return indicatif::ProgressBar::hidden();
    }
    let pb = indicatif::ProgressBar::new(len as u64);
    pb.set_style(
        indicatif::ProgressStyle::with_template("hn: [{bar:30}] {pos}/{len} months, {msg} ({elapsed}, eta {eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    pb.set_message("0 postings");
    pb.enable_steady_tick(std::time::Duration::from_millis(200));
    pb
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hint_is_one_line_naming_the_host_and_both_ways() {
        let h = offline_hint(&hn_host(None));
        assert_eq!(
            h,
            "no HN data: could not reach hn.algolia.com; run again online, or `jobtrend ingest html DIR` with saved 'Who is hiring?' pages"
        );
        assert!(!h.contains('\n'));
        assert_eq!(hn_host(Some("http://127.0.0.1:9/x")), "127.0.0.1:9");
    }
}
