//! Posting lifecycle on ATS boards: board snapshots in, per-posting open intervals out.
//!
//! In: the listings of boards fetched completely by one ingest ([`BoardListing`]: the board and
//! the ids it lists, or "unchanged" after a `304 Not Modified`). Out: append-only snapshot files
//! and, read back, one [`Lifecycle`] per posting id.
//!
//! - **Snapshots** are written by [`write_snapshots`], one Parquet file per ingest of a source:
//!   `<data>/snapshots/source=<kind>/snap-<UTC time>-<pid>-<seq>.parquet`, columns `board`,
//!   `fetched_at` (ms, UTC), `unchanged` (bool) and `ids` (list of posting ids), one row per board.
//!   Written atomically (hidden temp file, fsync, rename) after the postings are stored and before
//!   the conditional-request state is committed, so a crash loses at most this run's snapshot.
//! - **Only complete fetches are recorded.** A board whose fetch failed anywhere (a page, a detail
//!   request, pagination cut short) gets no row, so it closes nothing.
//! - **Derived** by [`derive`], per posting: `first_seen` (first snapshot listing it), `last_seen`
//!   (last one listing it), `closed_at` (the time of the first snapshot of its board after
//!   `last_seen` that no longer lists it; `None` while it is listed in the latest one) and
//!   `reopened` (how often it was listed again after a close, which clears `closed_at`), with
//!   the open [`Interval`]s. An "unchanged" row lists what the board's previous snapshot listed
//!   (and is ignored when there is none).
//! - The time of a snapshot is the ingest's start, or `JOBTREND_NOW` (RFC 3339) when set: a test
//!   hook to make snapshots at distinct times without waiting ([`now`]).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use polars::prelude::*;
use serde::Serialize;

use crate::store::StoreError;

/// The directory of the snapshots under the data directory.
pub const SNAPSHOT_DIR: &str = "snapshots";

#[derive(Debug, thiserror::Error)]
pub enum LifecycleError {
    #[error("JOBTREND_NOW={0:?} is not an RFC 3339 time (e.g. 2026-03-01T12:00:00Z)")]
    BadNow(String),
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}: {reason}", path.display())]
    Read { path: PathBuf, reason: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("snapshot: {0}")]
    Polars(#[from] PolarsError),
}

/// What one complete fetch of a board listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listing {
    /// The posting ids listed (as stored: `ashby:<org>:<id>`, ...).
    Ids(Vec<String>),
    /// `304 Not Modified`: the same as the board's previous snapshot.
    Unchanged,
}

/// One board of a complete fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardListing {
    pub board: String,
    pub listing: Listing,
}

/// One snapshot row read back.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub source: String,
    pub board: String,
    pub fetched_at: DateTime<Utc>,
    pub listing: Listing,
}

/// A span during which a posting was listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Interval {
    /// First snapshot of the span listing it.
    pub from: DateTime<Utc>,
    /// Last snapshot of the span listing it.
    pub last_seen: DateTime<Utc>,
    /// First snapshot after `last_seen` not listing it; `None` while still listed.
    pub closed_at: Option<DateTime<Utc>>,
}

/// The lifecycle of one posting on its board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lifecycle {
    pub id: String,
    pub source: String,
    pub board: String,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    /// Set when the latest complete snapshot of its board no longer lists it.
    pub closed_at: Option<DateTime<Utc>>,
    /// Times it was listed again after a close.
    pub reopened: u32,
    /// The spans it was listed, oldest first (`reopened + 1` of them).
    pub intervals: Vec<Interval>,
}

/// Open/closed counts of one source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SourceCounts {
    pub source: String,
    /// Boards with at least one snapshot.
    pub boards: usize,
    /// Snapshot rows (complete board fetches).
    pub snapshots: usize,
    /// Postings listed in their board's latest snapshot.
    pub open: usize,
    /// Postings no longer listed.
    pub closed: usize,
    /// Postings that came back after a close (open or closed now).
    pub reopened: usize,
}

/// The time of this run's snapshots: `JOBTREND_NOW` when set (tests), else the clock.
pub fn now() -> Result<DateTime<Utc>, LifecycleError> {
    match std::env::var("JOBTREND_NOW") {
        Ok(s) if !s.trim().is_empty() => {
            DateTime::parse_from_rfc3339(s.trim()).map(|t| t.with_timezone(&Utc)).map_err(|_| LifecycleError::BadNow(s))
        }
        _ => Ok(Utc::now()),
    }
}

static SEQ: AtomicU64 = AtomicU64::new(0);

/// Appends one snapshot file for `source` with a row per board (nothing when `boards` is empty).
/// Returns the file written.
pub fn write_snapshots(
    data: &Path,
    source: &str,
    at: DateTime<Utc>,
    boards: &[BoardListing],
) -> Result<Option<PathBuf>, LifecycleError> {
    if boards.is_empty() {
        return Ok(None);
    }
    let dir = data.join(SNAPSHOT_DIR).join(format!("source={source}"));
    fs::create_dir_all(&dir).map_err(|e| LifecycleError::Io { path: dir.clone(), source: e })?;
    let n = boards.len();
    let mut ids = ListStringChunkedBuilder::new("ids".into(), n, n * 16);
    for b in boards {
        match &b.listing {
            Listing::Ids(v) => ids.append_values_iter(v.iter().map(String::as_str)),
            Listing::Unchanged => ids.append_values_iter(std::iter::empty::<&str>()),
        }
    }
    let fetched = Series::new("fetched_at".into(), vec![at.timestamp_millis(); n])
        .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))?;
    let cols = vec![
        Column::from(Series::new("board".into(), boards.iter().map(|b| b.board.as_str()).collect::<Vec<_>>())),
        Column::from(fetched),
        Column::from(Series::new(
            "unchanged".into(),
            boards.iter().map(|b| b.listing == Listing::Unchanged).collect::<Vec<_>>(),
        )),
        Column::from(ids.finish().into_series()),
    ];
    let mut df = DataFrame::new(n, cols)?;
    let name = format!(
        "snap-{}-{}-{:04}.parquet",
        at.format("%Y%m%dT%H%M%S%.3fZ"),
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    );
    let dest = dir.join(name);
    crate::store::write_parquet_atomic(&mut df, &dest, ".snap-", ParquetCompression::Zstd(None))?;
    Ok(Some(dest))
}

/// Every snapshot file of `source` (all sources with `None`), in name order.
fn snapshot_files(data: &Path, source: Option<&str>) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let Ok(rd) = fs::read_dir(data.join(SNAPSHOT_DIR)) else { return out };
    for d in rd.flatten() {
        let name = d.file_name().to_string_lossy().into_owned();
        let Some(src) = name.strip_prefix("source=") else { continue };
        if source.is_some_and(|s| s != src) {
            continue;
        }
        let Ok(files) = fs::read_dir(d.path()) else { continue };
        for f in files.flatten() {
            let fname = f.file_name().to_string_lossy().into_owned();
            if fname.starts_with("snap-") && fname.ends_with(".parquet") {
                out.push((src.to_string(), f.path()));
            }
        }
    }
    out.sort();
    out
}

fn read_file(source: &str, path: &Path) -> Result<Vec<Snapshot>, String> {
    let df = crate::index::read_parquet(path, &["board", "fetched_at", "unchanged", "ids"])?;
    let rows = || -> Result<Vec<Snapshot>, PolarsError> {
        let board = df.column("board")?.str()?;
        let at = df.column("fetched_at")?.cast(&DataType::Int64)?;
        let at = at.i64()?;
        let unchanged = df.column("unchanged")?.bool()?;
        let ids = df.column("ids")?.list()?;
        let mut out = Vec::with_capacity(df.height());
        for i in 0..df.height() {
            let list = ids.get_as_series(i);
            let (Some(b), Some(ms)) = (board.get(i), at.get(i)) else { continue };
            let Some(t) = DateTime::from_timestamp_millis(ms) else { continue };
            let listing = if unchanged.get(i).unwrap_or(false) {
                Listing::Unchanged
            } else {
                let v = match list {
                    Some(s) => s.str()?.iter().flatten().map(str::to_string).collect(),
                    None => Vec::new(),
                };
                Listing::Ids(v)
            };
            out.push(Snapshot { source: source.to_string(), board: b.to_string(), fetched_at: t, listing });
        }
        Ok(out)
    };
    rows().map_err(|e| e.to_string())
}

/// Reads the snapshots of `source` (all with `None`). A file that cannot be read is returned as
/// a problem (path, reason) and left out: its boards' lifecycles then skip that run.
pub fn read_snapshots(data: &Path, source: Option<&str>) -> (Vec<Snapshot>, Vec<(PathBuf, String)>) {
    let mut snaps = Vec::new();
    let mut problems = Vec::new();
    for (src, path) in snapshot_files(data, source) {
        match read_file(&src, &path) {
            Ok(s) => snaps.extend(s),
            Err(reason) => problems.push((path, reason)),
        }
    }
    (snaps, problems)
}

/// The lifecycle of every posting listed in `snaps`, by id.
pub fn derive(snaps: &[Snapshot]) -> BTreeMap<String, Lifecycle> {
    let mut boards: BTreeMap<(&str, &str), Vec<&Snapshot>> = BTreeMap::new();
    for s in snaps {
        boards.entry((s.source.as_str(), s.board.as_str())).or_default().push(s);
    }
    let mut out: BTreeMap<String, Lifecycle> = BTreeMap::new();
    for ((source, board), mut list) in boards {
        // Stable: snapshots of one time keep their file order.
        list.sort_by_key(|s| s.fetched_at);
        let mut prev: Option<&[String]> = None;
        let mut open: HashSet<&str> = HashSet::new();
        for s in list {
            let ids: &[String] = match (&s.listing, prev) {
                (Listing::Ids(v), _) => v,
                (Listing::Unchanged, Some(p)) => p,
                (Listing::Unchanged, None) => continue,
            };
            let t = s.fetched_at;
            let listed: HashSet<&str> = ids.iter().map(String::as_str).collect();
            for id in ids {
                let l = out.entry(id.clone()).or_insert_with(|| Lifecycle {
                    id: id.clone(),
                    source: source.to_string(),
                    board: board.to_string(),
                    first_seen: t,
                    last_seen: t,
                    closed_at: None,
                    reopened: 0,
                    intervals: vec![Interval { from: t, last_seen: t, closed_at: None }],
                });
                if l.closed_at.take().is_some() {
                    l.reopened += 1;
                    l.intervals.push(Interval { from: t, last_seen: t, closed_at: None });
                }
                l.last_seen = t;
                if let Some(iv) = l.intervals.last_mut() {
                    iv.last_seen = t;
                }
                open.insert(id.as_str());
            }
            let gone: Vec<&str> = open.iter().copied().filter(|id| !listed.contains(id)).collect();
            for id in gone {
                open.remove(id);
                if let Some(l) = out.get_mut(id) {
                    l.closed_at = Some(t);
                    if let Some(iv) = l.intervals.last_mut() {
                        iv.closed_at = Some(t);
                    }
                }
            }
            prev = Some(ids);
        }
    }
    out
}

/// Every posting's lifecycle in the dataset (snapshot files that cannot be read are named in
/// the second value and left out).
pub fn load(data: &Path) -> (HashMap<String, Lifecycle>, Vec<(PathBuf, String)>) {
    let (snaps, problems) = read_snapshots(data, None);
    (derive(&snaps).into_iter().collect(), problems)
}

/// Open/closed/reopened counts per source, from the snapshots of `source` (all with `None`).
pub fn counts(data: &Path, source: Option<&str>) -> (Vec<SourceCounts>, Vec<(PathBuf, String)>) {
    let (snaps, problems) = read_snapshots(data, source);
    let mut per: BTreeMap<String, (HashSet<&str>, usize)> = BTreeMap::new();
    for s in &snaps {
        let e = per.entry(s.source.clone()).or_default();
        e.0.insert(s.board.as_str());
        e.1 += 1;
    }
    let mut out: BTreeMap<String, SourceCounts> = per
        .into_iter()
        .map(|(source, (boards, n))| {
            (source.clone(), SourceCounts { source, boards: boards.len(), snapshots: n, ..Default::default() })
        })
        .collect();
    for l in derive(&snaps).values() {
        let Some(c) = out.get_mut(&l.source) else { continue };
        if l.closed_at.is_some() {
            c.closed += 1;
        } else {
            c.open += 1;
        }
        if l.reopened > 0 {
            c.reopened += 1;
        }
    }
    (out.into_values().collect(), problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(day: u32) -> DateTime<Utc> {
        chrono::NaiveDate::from_ymd_opt(2026, 1, day).unwrap().and_hms_opt(12, 0, 0).unwrap().and_utc()
    }

    fn snap(board: &str, day: u32, ids: Option<&[&str]>) -> Snapshot {
        Snapshot {
            source: "ashby".into(),
            board: board.into(),
            fetched_at: t(day),
            listing: match ids {
                Some(v) => Listing::Ids(v.iter().map(|s| s.to_string()).collect()),
                None => Listing::Unchanged,
            },
        }
    }

    #[test]
    fn added_unchanged_removed_back() {
        let snaps = vec![
            snap("a", 1, Some(&["x", "y"])),
            snap("a", 2, None),
            snap("a", 3, Some(&["y", "z"])),
            snap("a", 4, Some(&["x", "z"])),
            snap("b", 2, Some(&["w"])),
        ];
        let l = derive(&snaps);
        let x = &l["x"];
        assert_eq!((x.first_seen, x.last_seen, x.closed_at, x.reopened), (t(1), t(4), None, 1));
        assert_eq!(x.intervals.len(), 2);
        assert_eq!(x.intervals[0], Interval { from: t(1), last_seen: t(2), closed_at: Some(t(3)) });
        let y = &l["y"];
        assert_eq!((y.first_seen, y.last_seen, y.closed_at, y.reopened), (t(1), t(3), Some(t(4)), 0));
        let z = &l["z"];
        assert_eq!((z.first_seen, z.last_seen, z.closed_at), (t(3), t(4), None));
        assert_eq!((l["w"].board.as_str(), l["w"].closed_at), ("b", None));
    }

    #[test]
    fn unchanged_without_a_previous_snapshot_is_ignored() {
        let l = derive(&[snap("a", 1, None), snap("a", 2, Some(&["x"]))]);
        assert_eq!(l["x"].first_seen, t(2));
    }

    #[test]
    fn snapshots_round_trip_through_parquet() {
        let dir = tempfile::tempdir().unwrap();
        let boards = vec![
            BoardListing { board: "acme".into(), listing: Listing::Ids(vec!["ashby:acme:1".into()]) },
            BoardListing { board: "empty".into(), listing: Listing::Ids(vec![]) },
            BoardListing { board: "same".into(), listing: Listing::Unchanged },
        ];
        let p = write_snapshots(dir.path(), "ashby", t(5), &boards).unwrap().unwrap();
        assert!(p.starts_with(dir.path().join("snapshots/source=ashby")));
        assert_eq!(write_snapshots(dir.path(), "ashby", t(5), &[]).unwrap(), None);
        let (snaps, problems) = read_snapshots(dir.path(), Some("ashby"));
        assert!(problems.is_empty(), "{problems:?}");
        let back: Vec<BoardListing> =
            snaps.iter().map(|s| BoardListing { board: s.board.clone(), listing: s.listing.clone() }).collect();
        assert_eq!(back, boards);
        assert!(snaps.iter().all(|s| s.fetched_at == t(5) && s.source == "ashby"));
        fs::write(dir.path().join("snapshots/source=ashby/snap-bad.parquet"), b"nope").unwrap();
        let (_, problems) = read_snapshots(dir.path(), None);
        assert_eq!(problems.len(), 1);
    }
}
