//! Checking and repairing the dataset (`jobtrend verify [--repair]`).
//!
//! In: a data directory. Out: a [`VerifyReport`]: every postings part checked (Parquet footer and
//! pages readable, columns and types those of the dataset, `id` unique within and across parts),
//! every index part under `<data>/index/` checked for readability, against its postings part
//! (same ids in the same order; a part gone or rewritten makes it stale) and, when its footer has
//! counts, against them (counting reads use them instead of the rows); and with [`repair`] (the
//! caller holds the write lock) a [`RepairReport`]: unreadable postings parts moved to
//! `<data>/quarantine/<same relative path>` with a line each in `<data>/quarantine/log.jsonl`,
//! damaged index parts deleted (they are rebuilt), duplicate-id rows removed by rewriting the
//! part atomically (the first occurrence in part-name order is kept, part names start with their
//! write time), the index parts of every part moved or changed deleted (before the part is, so
//! no index part ever describes rows that are gone), and the months whose postings must be
//! fetched or ingested again.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use polars::prelude::*;
use serde::Serialize;

use super::{DataLock, StoreError, io_err, part_files, read_part, to_frame, write_part_file};

/// Columns every postings part must have (the others may be missing in older parts).
const REQUIRED: [&str; 4] = ["id", "source", "text", "ingested_at"];

/// A part file that cannot be used as it is.
#[derive(Debug, Clone, Serialize)]
pub struct PartProblem {
    /// Relative to the data directory, e.g. `postings/month=2024-03/part-....parquet`.
    pub path: String,
    /// `postings` or `index`.
    pub kind: &'static str,
    pub reason: String,
    /// The `month=` partitions the file belongs to.
    pub months: Vec<String>,
}

/// Rows of a postings part whose ids an earlier row (same part or an earlier one) already has.
#[derive(Debug, Clone, Serialize)]
pub struct DuplicateRows {
    pub path: String,
    /// Duplicate rows / all rows of the part.
    pub rows: usize,
    pub of: usize,
    /// One of the duplicate ids, to look at.
    pub example: String,
    #[serde(skip)]
    positions: Vec<usize>,
}

/// What `verify` found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VerifyReport {
    pub data_dir: String,
    /// Postings parts checked, their rows and distinct ids (readable parts only).
    pub parts: usize,
    pub rows: usize,
    pub distinct_ids: usize,
    pub index_parts: usize,
    /// Unreadable parts and parts with foreign columns or types.
    pub damaged: Vec<PartProblem>,
    pub duplicates: Vec<DuplicateRows>,
}

impl VerifyReport {
    pub fn is_clean(&self) -> bool {
        self.damaged.is_empty() && self.duplicates.is_empty()
    }
    /// Months of the damaged postings parts: what must be ingested again after a repair.
    pub fn lost_months(&self) -> Vec<String> {
        let m: BTreeSet<&String> =
            self.damaged.iter().filter(|p| p.kind == "postings").flat_map(|p| &p.months).collect();
        m.into_iter().cloned().collect()
    }
}

/// What `repair` did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RepairReport {
    /// Postings parts moved to `quarantine/` (relative paths, as they were).
    pub quarantined: Vec<String>,
    pub index_parts_deleted: Vec<String>,
    /// Index parts of the postings parts quarantined, deleted or rewritten: they described the
    /// part as it was (the next analysis matches the rewritten ones again).
    pub stale_index_parts_deleted: Vec<String>,
    /// Parts rewritten without their duplicate rows, parts deleted because every row was one.
    pub parts_rewritten: Vec<String>,
    pub parts_deleted: Vec<String>,
    pub rows_removed: usize,
    /// Months whose postings were in quarantined parts: the next ingest must bring them back.
    pub refetch_months: Vec<String>,
    /// Stopped by SIGINT/SIGTERM between two files; run again to finish.
    pub interrupted: bool,
}

/// Errors of a repair (checks report problems in the [`VerifyReport`] instead).
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn rel(data_dir: &Path, p: &Path) -> String {
    p.strip_prefix(data_dir).unwrap_or(p).display().to_string()
}

/// The `month=YYYY-MM` components of a path.
fn months_of(p: &Path) -> Vec<String> {
    p.components().filter_map(|c| c.as_os_str().to_str()?.strip_prefix("month=").map(str::to_string)).collect()
}

/// Every `*.parquet` under `<data>/index/` (hidden names skipped), sorted.
pub fn index_files(data_dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = fs::read_dir(dir) else { return };
        for e in rd.flatten() {
            let p = e.path();
            let name = e.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') {
                continue;
            }
            if p.is_dir() {
                walk(&p, out);
            } else if name.ends_with(".parquet") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&data_dir.join("index"), &mut out);
    out.sort();
    out
}

/// Why a readable frame does not fit the dataset's columns, if it does not.
fn schema_problem(df: &DataFrame) -> Option<String> {
    let want = to_frame(&[]).ok()?;
    let want = want.schema();
    let mut problems = Vec::new();
    for (name, dtype) in df.schema().iter() {
        match want.get(name) {
            None => problems.push(format!("unknown column `{name}`")),
            Some(t) if t != dtype => problems.push(format!("column `{name}` is {dtype}, expected {t}")),
            Some(_) => {}
        }
    }
    for r in REQUIRED {
        if df.schema().get(r).is_none() {
            problems.push(format!("no `{r}` column"));
        }
    }
    (!problems.is_empty()).then(|| format!("not a postings part: {}", problems.join(", ")))
}

fn reason_of(e: StoreError) -> String {
    format!("unreadable: {}", super::damage_reason(e))
}

/// Checks every part of the dataset (no lock needed; nothing is changed).
pub fn verify(data_dir: &Path) -> Result<VerifyReport, StoreError> {
    let mut rep = VerifyReport { data_dir: data_dir.display().to_string(), ..Default::default() };
    let mut files = part_files(data_dir)?;
    // Part-name order (names start with the write time): the first occurrence of an id is kept.
    files.sort_by(|a, b| (a.file_name(), a).cmp(&(b.file_name(), b)));
    rep.parts = files.len();
    let mut seen: HashSet<String> = HashSet::new();
    // Per readable postings part: its rows and a hash of its ids in order, for the index parts.
    let mut lines_up: HashMap<PathBuf, (usize, u64)> = HashMap::new();
    for path in &files {
        let damaged = |reason: String| PartProblem {
            path: rel(data_dir, path),
            kind: "postings",
            reason,
            months: months_of(path.strip_prefix(data_dir).unwrap_or(path)),
        };
        let df = match read_part(path) {
            Ok(df) => df,
            Err(e) => {
                rep.damaged.push(damaged(reason_of(e)));
                continue;
            }
        };
        if let Some(reason) = schema_problem(&df) {
            rep.damaged.push(damaged(reason));
            continue;
        }
        rep.rows += df.height();
        let ids = df.column("id").and_then(|c| c.str().cloned());
        let ids = ids.map_err(|source| StoreError::Parquet { path: path.clone(), source })?;
        lines_up.insert(path.clone(), (df.height(), id_hash(ids.iter())));
        let mut positions = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            if let Some(id) = id
                && !seen.insert(id.to_string())
            {
                positions.push(i);
            }
        }
        if let Some(&first) = positions.first() {
            rep.duplicates.push(DuplicateRows {
                path: rel(data_dir, path),
                rows: positions.len(),
                of: df.height(),
                example: ids.get(first).unwrap_or_default().to_string(),
                positions,
            });
        }
    }
    rep.distinct_ids = seen.len();
    let index = index_files(data_dir);
    rep.index_parts = index.len();
    let unreadable: HashSet<PathBuf> =
        rep.damaged.iter().filter(|p| p.kind == "postings").map(|p| data_dir.join(&p.path)).collect();
    for path in &index {
        let reason = match read_part(path) {
            Err(e) => Some(reason_of(e)),
            Ok(df) => stale_index(data_dir, path, &df, &lines_up, &unreadable).or_else(|| wrong_counts(path, &df)),
        };
        if let Some(reason) = reason {
            rep.damaged.push(PartProblem {
                path: rel(data_dir, path),
                kind: "index",
                reason,
                months: months_of(path.strip_prefix(data_dir).unwrap_or(path)),
            });
        }
    }
    Ok(rep)
}

/// xxh3 of a sequence of ids (a null is the empty id).
fn id_hash<'a>(ids: impl Iterator<Item = Option<&'a str>>) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for id in ids {
        h.update(id.unwrap_or_default().as_bytes());
        h.update(&[0]);
    }
    h.digest()
}

/// Why the readable index part `path` (`index/fp=F/month=M/NAME`) no longer describes its
/// postings part (`postings/month=M/NAME`): gone, or other rows. `None` when it lines up, or
/// when the postings part is unreadable (its own problem; the repair removes both).
fn stale_index(
    data_dir: &Path,
    path: &Path,
    df: &DataFrame,
    lines_up: &HashMap<PathBuf, (usize, u64)>,
    unreadable: &HashSet<PathBuf>,
) -> Option<String> {
    let (month_dir, name) = (path.parent()?.file_name()?, path.file_name()?);
    let postings = data_dir.join("postings").join(month_dir).join(name);
    if unreadable.contains(&postings) {
        return None;
    }
    let Some(&(rows, hash)) = lines_up.get(&postings) else {
        return Some("stale: its postings part does not exist".to_string());
    };
    let ids = df.column("id").ok().and_then(|c| c.str().ok().map(|s| id_hash(s.iter())));
    if df.height() != rows || ids != Some(hash) {
        return Some(format!(
            "stale: its rows ({}) are not those of its postings part ({rows} rows); it is rebuilt when needed",
            df.height()
        ));
    }
    None
}

/// Why the footer counts of a readable index part ([`crate::index::counts`]) cannot be used:
/// unreadable, or not those of its rows (counting reads would use them). `None` when they are
/// right or absent (a part written before they existed).
fn wrong_counts(path: &Path, df: &DataFrame) -> Option<String> {
    let stored = match crate::index::counts::read(path) {
        Ok(stored) => stored?,
        Err(e) => return Some(format!("its footer cannot be read: {e}")),
    };
    match crate::index::counts::of_frame(df) {
        Ok(actual) if actual == stored => None,
        Ok(_) => Some("its footer counts are not those of its rows; it is rebuilt when needed".to_string()),
        Err(e) => Some(format!("its rows cannot be counted: {e}")),
    }
}

/// One line of `<data>/quarantine/log.jsonl`.
#[derive(Debug, Serialize)]
struct LogLine<'a> {
    time: chrono::DateTime<chrono::Utc>,
    path: &'a str,
    moved_to: String,
    reason: &'a str,
    months: &'a [String],
}

/// Repairs what `rep` (a [`verify`] made under `_lock`) found. Stops between two files when
/// a signal arrived ([`crate::signals`]); every step is atomic, so running it again finishes.
pub fn repair(data_dir: &Path, rep: &VerifyReport, _lock: &DataLock) -> Result<RepairReport, VerifyError> {
    let mut out = RepairReport::default();
    let qdir = data_dir.join("quarantine");
    for p in &rep.damaged {
        if crate::signals::stop_requested() {
            out.interrupted = true;
            return Ok(out);
        }
        let src = data_dir.join(&p.path);
        if p.kind == "index" {
            fs::remove_file(&src).map_err(io_err(&src))?;
            out.index_parts_deleted.push(p.path.clone());
            continue;
        }
        // Index parts first: a kill between the two steps costs a re-match, never a stale count.
        drop_index_parts(data_dir, &src, &mut out);
        let dest = free_name(&qdir.join(&p.path));
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        fs::rename(&src, &dest).map_err(io_err(&src))?;
        let line = LogLine {
            time: chrono::Utc::now(),
            path: &p.path,
            moved_to: rel(data_dir, &dest),
            reason: &p.reason,
            months: &p.months,
        };
        append_line(&qdir.join("log.jsonl"), &line)?;
        out.quarantined.push(p.path.clone());
        for m in &p.months {
            if !out.refetch_months.contains(m) {
                out.refetch_months.push(m.clone());
                out.refetch_months.sort();
            }
        }
        crate::signals::pause_point(out.quarantined.len());
    }
    for d in &rep.duplicates {
        if crate::signals::stop_requested() {
            out.interrupted = true;
            return Ok(out);
        }
        let path = data_dir.join(&d.path);
        let df = read_part(&path)?;
        drop_index_parts(data_dir, &path, &mut out);
        if d.positions.len() == df.height() {
            fs::remove_file(&path).map_err(io_err(&path))?;
            out.parts_deleted.push(d.path.clone());
        } else {
            let dups: HashSet<usize> = d.positions.iter().copied().collect();
            let keep: BooleanChunked = (0..df.height()).map(|i| !dups.contains(&i)).collect();
            let mut kept = df.filter(&keep).map_err(|source| StoreError::Parquet { path: path.clone(), source })?;
            write_part_file(&mut kept, &path)?;
            out.parts_rewritten.push(d.path.clone());
        }
        out.rows_removed += d.positions.len();
    }
    Ok(out)
}

fn drop_index_parts(data_dir: &Path, part: &Path, out: &mut RepairReport) {
    let gone = super::compact::remove_index_parts_of(data_dir, part);
    out.stale_index_parts_deleted.extend(gone.iter().map(|p| rel(data_dir, p)));
}

/// `path`, or `path.1`, `path.2`... when taken (a part quarantined twice).
fn free_name(path: &Path) -> PathBuf {
    if !path.exists() {
        return path.to_path_buf();
    }
    (1..).map(|i| PathBuf::from(format!("{}.{i}", path.display()))).find(|p| !p.exists()).unwrap_or_default()
}

fn append_line(path: &Path, v: &impl Serialize) -> Result<(), StoreError> {
    let mut line = serde_json::to_string(v).map_err(|e| io_err(path)(std::io::Error::other(e)))?;
    line.push('\n');
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io_err(parent))?;
    }
    let mut f = fs::OpenOptions::new().create(true).append(true).open(path).map_err(io_err(path))?;
    f.write_all(line.as_bytes()).map_err(io_err(path))
}
