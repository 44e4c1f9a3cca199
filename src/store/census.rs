//! Postings per source and month, read part by part, so that one damaged part file does not hide the rest.
//!
//! In: a data directory. Out: a [`Census`]: per (source, month) the postings and those with a date, the
//! part files counted, and the parts that could not be read (each named once, with the reason).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{DamagedPart, StoreError, damage_reason, part_files, read_part_columns};

/// Postings of one source in one month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthCount {
    pub source: String,
    pub month: String,
    pub postings: u64,
    /// Postings with a `posted_at` date.
    pub with_date: u64,
}

/// What [`census`] found.
#[derive(Debug, Clone, Default)]
pub struct Census {
    /// Sorted by source, then month.
    pub months: Vec<MonthCount>,
    /// Every part file (readable or not).
    pub files: Vec<PathBuf>,
    pub damaged: Vec<DamagedPart>,
}

/// (source, month) → (postings, with_date) of one part.
type Counts = BTreeMap<(String, String), (u64, u64)>;

fn count_part(path: &Path) -> Result<Counts, StoreError> {
    let df = read_part_columns(path, Some(vec!["source".into(), "posted_at".into()]))?;
    let err = |source| StoreError::Parquet { path: path.to_path_buf(), source };
    let sources = df.column("source").and_then(|c| c.str().cloned()).map_err(err)?;
    let dates = df.column("posted_at").map_err(err)?.is_not_null();
    // The month is the partition directory (`month=YYYY-MM`), as in every other reader.
    let month = super::month_of_part(path).unwrap_or_default();
    let mut out = Counts::new();
    for (s, d) in sources.iter().zip(dates.iter()) {
        let e = out.entry((s.unwrap_or("").to_string(), month.clone())).or_default();
        e.0 += 1;
        e.1 += u64::from(d.unwrap_or(false));
    }
    Ok(out)
}

/// Counts the postings of every readable part; unreadable parts are listed in [`Census::damaged`].
pub fn census(data_dir: &Path) -> Result<Census, StoreError> {
    let files = part_files(data_dir)?;
    let read: Vec<(PathBuf, Result<Counts, StoreError>)> =
        files.par_iter().map(|p| (p.clone(), count_part(p))).collect();
    let mut all = Counts::new();
    let mut damaged = Vec::new();
    for (path, r) in read {
        match r {
            Ok(c) => {
                for (k, (n, d)) in c {
                    let e = all.entry(k).or_default();
                    e.0 += n;
                    e.1 += d;
                }
            }
            Err(e) => damaged.push(DamagedPart { path, reason: damage_reason(e) }),
        }
    }
    let months = all
        .into_iter()
        .map(|((source, month), (postings, with_date))| MonthCount { source, month, postings, with_date })
        .collect();
    Ok(Census { months, files, damaged })
}
