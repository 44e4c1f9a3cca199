//! Compaction: makes a dataset that shared writers filled exact again.
//!
//! In: a [`Store`] holding the lock, and the part files under `<data>/postings/`. Out: the same
//! postings with each id stored once, small parts of a month merged, and a [`CompactSummary`].
//!
//! - **Which copy stays**: of the rows sharing an id, the one ingested first (`ingested_at`),
//!   then the one in the part whose path sorts first, then the first row of that part. The rule
//!   depends only on the stored data, so every run picks the same row.
//! - **What is rewritten**: per month, parts with a dropped row and parts smaller than
//!   [`CompactOptions::merge_below`] bytes. The small ones are merged in path order into groups
//!   of up to about `merge_below` bytes; a group is written as one new part (with only the rows
//!   that stay), then its old parts are removed, each with its index parts
//!   (`<data>/index/fp=*/month=M/<part name>`). A lone part without a dropped row is left as it is.
//! - **The match index follows**: under each fingerprint where every old part of a group has an
//!   index part, the new part gets one made of theirs (same rows, same order, filtered alike; its
//!   `id` column checked against the new part's), so compacting costs no re-matching and leaves
//!   fewer, larger index parts. Where one is missing or unreadable, the next analysis command
//!   matches the new part.
//! - **Kill at any moment**: the new part is written atomically before any old part goes, so
//!   the dataset stays readable and loses nothing; at worst it holds some rows twice until the
//!   next run, which finishes the job. Re-running on an exact dataset changes nothing.
//! - **SIGINT/SIGTERM** ([`crate::signals`]): the group in progress is finished (new part
//!   written, its old parts removed), no further group is started, and
//!   [`CompactSummary::interrupted`] is set; the next run does the groups left.
//! - Index parts whose postings part no longer exists are removed too. A part that cannot be
//!   read is named in [`CompactSummary::problems`] and left alone.

use std::collections::HashMap;
use std::fs::{self, File};
use std::path::{Path, PathBuf};

use polars::prelude::*;
use serde::Serialize;

use super::{Store, StoreError, io_err, new_part_name, part_files, remove_temp_files, write_frame};

/// Options of a compaction.
#[derive(Debug, Clone)]
pub struct CompactOptions {
    /// Parts smaller than this (file size in bytes) are merged with the other small parts of
    /// their month, into parts of up to about this size.
    pub merge_below: u64,
}

impl Default for CompactOptions {
    fn default() -> Self {
        CompactOptions { merge_below: 64 << 20 }
    }
}

/// What a compaction did.
#[derive(Debug, Default, Clone, Serialize)]
pub struct CompactSummary {
    pub parts_before: usize,
    pub parts_after: usize,
    /// Rows in the readable parts before.
    pub rows_before: usize,
    /// Rows after (= distinct ids, unless interrupted).
    pub rows_after: usize,
    /// Rows removed because another row had the same id.
    pub duplicates_removed: usize,
    pub parts_written: usize,
    pub parts_removed: usize,
    pub index_parts_removed: usize,
    /// Index parts written for merged parts from the index parts of the parts they replace.
    pub index_parts_merged: usize,
    /// Unfinished `.part-*.tmp` files of killed writers removed.
    pub temp_files_removed: usize,
    /// Parts that could not be read (left as they are): `PATH: reason`.
    pub problems: Vec<String>,
    /// Stopped by SIGINT/SIGTERM between two groups: run again to finish.
    pub interrupted: bool,
    pub seconds: f64,
}

/// One readable part: where it is and which of its rows stay.
struct Part {
    path: PathBuf,
    month: String,
    size: u64,
    keep: Vec<bool>,
}

impl Part {
    fn dropped(&self) -> usize {
        self.keep.iter().filter(|k| !**k).count()
    }
}

/// Reads the `id` and `ingested_at` (ms) columns of one part.
/// A part's ids and `ingested_at` values, row by row.
type Keys = (Vec<Option<String>>, Vec<Option<i64>>);

fn read_keys(path: &Path) -> Result<Keys, PolarsError> {
    let file = File::open(path).map_err(|e| PolarsError::IO { error: e.into(), msg: None })?;
    let df = ParquetReader::new(file).with_columns(Some(vec!["id".into(), "ingested_at".into()])).finish()?;
    let ids = df.column("id")?.str()?.iter().map(|s| s.map(str::to_string)).collect();
    let at = df.column("ingested_at")?.cast(&DataType::Int64)?;
    let at = at.i64()?.iter().collect();
    Ok((ids, at))
}

/// Compacts the dataset (see the module doc). The store must hold the lock.
pub fn compact(store: &mut Store, opts: &CompactOptions) -> Result<CompactSummary, StoreError> {
    if !store.is_locked() {
        return Err(StoreError::NotLocked("compact"));
    }
    let started = std::time::Instant::now();
    let data = store.data_dir().to_path_buf();
    let temp_files_removed = store.temp_files_removed() + remove_temp_files(&data.join("postings"));
    let mut sum = CompactSummary { temp_files_removed, ..Default::default() };
    let paths = part_files(&data)?;
    sum.parts_before = paths.len();

    // Winner per id: (ingested_at, part, row), smallest first; a row without a time sorts last.
    let mut parts: Vec<Part> = Vec::with_capacity(paths.len());
    let mut keys: Vec<Vec<Option<String>>> = Vec::with_capacity(paths.len());
    let mut best: HashMap<String, (i64, usize, usize)> = HashMap::new();
    for path in paths {
        let (ids, at) = match read_keys(&path) {
            Ok(k) => k,
            Err(e) => {
                tracing::warn!("{}: {e}; left as it is", path.display());
                sum.problems.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        let p = parts.len();
        for (row, id) in ids.iter().enumerate() {
            let Some(id) = id else { continue };
            let key = (at[row].unwrap_or(i64::MAX), p, row);
            match best.get_mut(id.as_str()) {
                Some(b) if *b <= key => {}
                Some(b) => *b = key,
                None => {
                    best.insert(id.clone(), key);
                }
            }
        }
        let size = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        parts.push(Part { month: super::month_of_part(&path).unwrap_or_default(), path, size, keep: Vec::new() });
        keys.push(ids);
    }
    for (p, ids) in keys.into_iter().enumerate() {
        parts[p].keep = ids
            .iter()
            .enumerate()
            .map(|(row, id)| id.as_ref().is_none_or(|id| best.get(id.as_str()).is_some_and(|b| (b.1, b.2) == (p, row))))
            .collect();
        sum.rows_before += parts[p].keep.len();
    }
    drop(best);

    let mut months: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
    for (i, p) in parts.iter().enumerate() {
        months.entry(p.month.clone()).or_default().push(i);
    }
    let mut groups_done = 0usize;
    'months: for (month, members) in months {
        for group in groups(&parts, &members, opts.merge_below) {
            if crate::signals::stop_requested() {
                sum.interrupted = true;
                break 'months;
            }
            rewrite(&data, &month, &group.iter().map(|&i| &parts[i]).collect::<Vec<_>>(), &mut sum)?;
            groups_done += 1;
            crate::signals::pause_point(groups_done);
        }
    }
    sum.index_parts_removed += remove_orphan_index_parts(&data);
    sum.parts_after = part_files(&data)?.len();
    sum.rows_after = sum.rows_before - sum.duplicates_removed;
    sum.seconds = started.elapsed().as_secs_f64();
    Ok(sum)
}

/// The groups of parts of one month to rewrite: each large part with a dropped row alone, the
/// small parts merged in path order into groups of up to about `merge_below` bytes. A group of
/// one part without a dropped row is left out (nothing to do).
fn groups(parts: &[Part], members: &[usize], merge_below: u64) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    let mut current_size = 0u64;
    for &i in members {
        let p = &parts[i];
        if p.size >= merge_below {
            if p.dropped() > 0 {
                out.push(vec![i]);
            }
            continue;
        }
        if !current.is_empty() && current_size + p.size > merge_below {
            out.push(std::mem::take(&mut current));
            current_size = 0;
        }
        current.push(i);
        current_size += p.size;
    }
    if !current.is_empty() {
        out.push(current);
    }
    out.retain(|g| g.len() > 1 || parts[g[0]].dropped() > 0);
    out
}

/// Writes the staying rows of `group` as one new part, then removes the old parts and their
/// index parts.
fn rewrite(data: &Path, month: &str, group: &[&Part], sum: &mut CompactSummary) -> Result<(), StoreError> {
    let dir = data.join("postings").join(format!("month={month}"));
    let mut merged: Option<DataFrame> = None;
    for p in group {
        let file = File::open(&p.path).map_err(io_err(&p.path))?;
        let df =
            ParquetReader::new(file).finish().map_err(|source| StoreError::Parquet { path: p.path.clone(), source })?;
        let mask = BooleanChunked::from_slice("keep".into(), &p.keep);
        let df = df.filter(&mask).map_err(|source| StoreError::Parquet { path: p.path.clone(), source })?;
        merged = Some(match merged {
            None => df,
            Some(mut m) => {
                m.vstack_mut(&df).map_err(|source| StoreError::Parquet { path: p.path.clone(), source })?;
                m
            }
        });
    }
    let Some(mut df) = merged else { return Ok(()) };
    if df.height() > 0 {
        df.rechunk_mut();
        let part = write_frame(&dir, &new_part_name(&format!("compact-{}", std::process::id())), &mut df)?;
        sum.parts_written += 1;
        sum.index_parts_merged += merge_index_parts(data, month, group, &part, &df);
    }
    for p in group {
        sum.index_parts_removed += remove_index_parts_of(data, &p.path).len();
        fs::remove_file(&p.path).map_err(io_err(&p.path))?;
        sum.parts_removed += 1;
        sum.duplicates_removed += p.dropped();
    }
    Ok(())
}

/// Writes the index part of the merged part `part` (rows `df`) under every fingerprint where each
/// part of `group` has one; returns how many it wrote. Failures only cost a re-match later.
fn merge_index_parts(data: &Path, month: &str, group: &[&Part], part: &Path, df: &DataFrame) -> usize {
    let Some(name) = part.file_name() else { return 0 };
    let mut written = 0;
    for fp in index_fps(data) {
        let dir = fp.join(format!("month={month}"));
        let merged = match merged_index(&dir, group, df) {
            Ok(Some(m)) => m,
            Ok(None) => continue,
            Err(e) => {
                tracing::info!(
                    "{}: index parts not merged ({e}); the next analysis matches the new part",
                    dir.display()
                );
                continue;
            }
        };
        let mut merged = merged;
        match crate::index::write_atomic(&dir.join(name), &mut merged) {
            Ok(()) => written += 1,
            Err(e) => tracing::warn!("{e} (the next analysis command will match {})", part.display()),
        }
    }
    written
}

/// The old index parts of `group` in `dir`, concatenated and filtered like the postings; `None`
/// when one is missing or does not line up with its postings part.
fn merged_index(dir: &Path, group: &[&Part], df: &DataFrame) -> Result<Option<DataFrame>, PolarsError> {
    let mut merged: Option<DataFrame> = None;
    for p in group {
        let Some(name) = p.path.file_name() else { return Ok(None) };
        let path = dir.join(name);
        if !path.is_file() {
            return Ok(None);
        }
        let file = File::open(&path).map_err(|e| PolarsError::IO { error: e.into(), msg: None })?;
        let ix = ParquetReader::new(file).finish()?;
        if ix.height() != p.keep.len() {
            return Ok(None);
        }
        let ix = ix.filter(&BooleanChunked::from_slice("keep".into(), &p.keep))?;
        match merged.as_mut() {
            None => merged = Some(ix),
            Some(m) => {
                m.vstack_mut(&ix)?;
            }
        }
    }
    let Some(mut m) = merged else { return Ok(None) };
    if !m.column("id")?.equals_missing(df.column("id")?) {
        return Ok(None);
    }
    m.rechunk_mut();
    Ok(Some(m))
}

/// The `fp=*` directories of `<data>/index`.
fn index_fps(data: &Path) -> Vec<PathBuf> {
    let Ok(rd) = fs::read_dir(data.join("index")) else { return Vec::new() };
    rd.flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir() && p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("fp=")))
        .collect()
}

/// Removes the index parts of the postings part `part` under every fingerprint (they no longer
/// describe it once it is moved, deleted or rewritten; the next analysis matches it again).
/// Returns the paths removed.
pub(crate) fn remove_index_parts_of(data: &Path, part: &Path) -> Vec<PathBuf> {
    let (Some(month), Some(name)) = (super::month_of_part(part), part.file_name()) else { return Vec::new() };
    index_fps(data)
        .into_iter()
        .map(|fp| fp.join(format!("month={month}")).join(name))
        .filter(|p| fs::remove_file(p).is_ok())
        .collect()
}

/// Removes index parts (`*.parquet`) whose postings part does not exist; returns how many.
fn remove_orphan_index_parts(data: &Path) -> usize {
    let mut removed = 0;
    for fp in index_fps(data) {
        let Ok(months) = fs::read_dir(&fp) else { continue };
        for m in months.flatten() {
            let mname = m.file_name();
            if !mname.to_string_lossy().starts_with("month=") {
                continue;
            }
            let Ok(files) = fs::read_dir(m.path()) else { continue };
            for f in files.flatten() {
                let name = f.file_name();
                let n = name.to_string_lossy();
                if n.starts_with('.') || !n.ends_with(".parquet") {
                    continue;
                }
                if !data.join("postings").join(&mname).join(&name).exists() && fs::remove_file(f.path()).is_ok() {
                    tracing::info!("removed index part {} (its postings part is gone)", f.path().display());
                    removed += 1;
                }
            }
        }
    }
    removed
}
