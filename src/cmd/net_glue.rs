//! Glue that `ingest <network source>` and `run` share: the network state read for a job that
//! must go on, an ATS source's `--boards` file, and the lifecycle snapshot written after an ATS
//! fetch's postings are stored.
//!
//! In: `<data>/state/`, a boards file, a fetch's board listings. Out: the [`State`] (with a warning
//! on stderr when it had to start empty), the boards added to the source, the snapshot file and a
//! [`LifecycleSummary`].

use anyhow::Context;
use chrono::Utc;
use serde::Serialize;

use crate::sources::net::{self, NetSource, State};

/// The lifecycle part of an ATS ingest: this fetch's snapshot and the source's counts after it.
#[derive(Debug, Default, Clone, Serialize)]
pub struct LifecycleSummary {
    /// Boards asked for.
    pub boards: usize,
    /// Boards fetched completely: the rows of this fetch's snapshot.
    pub boards_complete: usize,
    /// The snapshot file written (none when no board was fetched completely).
    pub snapshot: Option<String>,
    /// Time of the snapshot (RFC 3339).
    pub fetched_at: String,
    /// Postings of this source listed in their board's latest snapshot.
    pub open: usize,
    /// Postings of this source no longer listed.
    pub closed: usize,
    /// Postings of this source listed again after a close.
    pub reopened: usize,
}

/// The network state for `ingest` and `run`, recovered ([`State::load_or_recover`]) with a warning.
pub fn load_state(state_dir: &std::path::Path) -> State {
    let (state, warning) = State::load_or_recover(state_dir);
    if let Some(w) = warning {
        eprintln!("jobtrend: warning: {w}");
    }
    state
}

/// Adds the boards of `file` to an ATS source.
pub fn add_boards_file(source: &mut NetSource, file: Option<&std::path::Path>) -> anyhow::Result<()> {
    if let (Some(f), Some(boards)) = (file, source.boards_mut()) {
        boards.extend(net::boards::read_boards_file(f)?);
    }
    Ok(())
}

/// Writes the lifecycle snapshot of an ATS fetch (after its postings are stored) and sums up the
/// source's lifecycle; `None` for the other sources.
pub fn record_lifecycle(
    data: &std::path::Path,
    source: &NetSource,
    at: chrono::DateTime<Utc>,
    boards: usize,
    listings: &[crate::lifecycle::BoardListing],
) -> anyhow::Result<Option<LifecycleSummary>> {
    if !source.has_boards() {
        return Ok(None);
    }
    let snap = crate::lifecycle::write_snapshots(data, source.name(), at, listings)
        .with_context(|| format!("could not write the {} snapshot in {}", source.name(), data.display()))?;
    let (counts, problems) = crate::lifecycle::counts(data, Some(source.name()));
    for (p, reason) in problems {
        eprintln!("jobtrend: skipped an unreadable snapshot file {}: {reason}", p.display());
    }
    let c = counts.into_iter().next().unwrap_or_default();
    Ok(Some(LifecycleSummary {
        boards,
        boards_complete: listings.len(),
        snapshot: snap.map(|p| p.display().to_string()),
        fetched_at: at.to_rfc3339(),
        open: c.open,
        closed: c.closed,
        reopened: c.reopened,
    }))
}
