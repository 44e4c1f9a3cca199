//! `trends --measure open`: postings open during each month, instead of new postings.
//!
//! In: a data directory (its match index and its lifecycle snapshots), a taxonomy, a
//! [`Selection`] and [`Wants`] (facts only; claims are not collected). Out: an [`Analysis`] whose
//! cells count, per (month, source), the postings open at some time in that month, so every
//! `trends` output (keywords, roles, salaries, CSV/JSON) works on it unchanged.
//!
//! When a posting is open:
//! - **ATS boards with snapshots** ([`crate::lifecycle`]): for each span it was listed, from the
//!   month it was first listed (the first span starts at its stored month when that is earlier:
//!   published before the first snapshot) until `closed_at`, the first snapshot not listing it
//!   (closed on 15 March: open in March, not in April; closed at 1 April 00:00: not in April); a
//!   span still open ends with the month of `last_seen` (the latest snapshot), never later. A
//!   month counts a posting once, however many of its spans touch it.
//! - **Every other posting** (HN, feeds, pages, an ATS posting never in a snapshot): its own
//!   month only, i.e. the same count as `--measure new`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Datelike, Utc};
use polars::prelude::*;
use rayon::prelude::*;

use super::{Analysis, AnalysisError, Cell, Selection, Wants, read};
use crate::index::IndexPart;
use crate::keywords::Taxonomy;
use crate::lifecycle::Lifecycle;
use crate::posting::{month_index, month_name};

fn idx(t: DateTime<Utc>) -> i32 {
    t.year() * 12 + t.month0() as i32
}

/// The month indexes (see [`month_index`]) during which a posting stored under `month` is open.
pub fn open_months(month: &str, life: Option<&Lifecycle>) -> BTreeSet<i32> {
    let own = month_index(month);
    let Some(l) = life else { return own.into_iter().collect() };
    let mut out = BTreeSet::new();
    for (i, iv) in l.intervals.iter().enumerate() {
        let mut from = idx(iv.from);
        if i == 0
            && let Some(o) = own
        {
            from = from.min(o);
        }
        let to = match iv.closed_at {
            // Open until just before the close: the month of the last millisecond before it.
            Some(c) => idx(c - chrono::Duration::milliseconds(1)),
            None => idx(iv.last_seen),
        };
        out.extend(from..=to.max(from));
    }
    out
}

/// The analysis of postings open per month (see the module doc). Damaged parts and unreadable
/// snapshot files are listed in [`Analysis::problems`].
pub fn analyse_open(
    data: &std::path::Path,
    tax: &Taxonomy,
    sel: &Selection,
    wants: &Wants,
) -> Result<Analysis, AnalysisError> {
    if !data.is_dir() {
        return Err(AnalysisError::NoDataDir(data.to_path_buf()));
    }
    sel.check()?;
    // A posting stored under any month may be open in the selected ones: read them all.
    let set = crate::index::ensure_index(data, tax, None, None)?;
    let (lives, snap_problems) = crate::lifecycle::load(data);
    let ctx = read::Context::new(tax);
    let mut months: BTreeMap<&str, Vec<&IndexPart>> = BTreeMap::new();
    for p in &set.parts {
        months.entry(p.month.as_str()).or_default().push(p);
    }
    // Open postings are counted per source as stored: the duplicates plan is made per month of
    // publication, which is not the month a posting is open in (`--dedup` does not apply here).
    let read_sel =
        Selection { since: None, until: None, sources: sel.sources.clone(), dedup: crate::dedup::Dedup::None };
    let (lo, hi) = (sel.since.as_deref().and_then(month_index), sel.until.as_deref().and_then(month_index));
    let problems = std::sync::Mutex::new(set.problems.clone());
    let ids: HashMap<&str, usize> = tax.keywords().iter().enumerate().map(|(i, k)| (k.id.as_str(), i)).collect();
    let n_kw = tax.keywords().len();
    let per_month: Vec<BTreeMap<(i32, String), Cell>> = months
        .par_iter()
        .map(|(month, parts)| {
            let Some(df) = ctx.read_month(parts, &read_sel, &problems) else { return BTreeMap::new() };
            count(&df, month, &lives, &ids, n_kw, wants.facts, (lo, hi)).unwrap_or_else(|e| {
                let path = std::path::PathBuf::from(format!("index month={month}"));
                problems.lock().expect("not poisoned").push(crate::index::PartProblem { path, reason: e.to_string() });
                BTreeMap::new()
            })
        })
        .collect();
    let mut out = Analysis { fp: set.fp.clone(), ..Default::default() };
    for cells in per_month {
        for ((m, source), c) in cells {
            let mut one = BTreeMap::new();
            one.insert(source, c);
            out.merge(&month_name(m), (one, BTreeMap::new()));
        }
    }
    let mut problems = problems.into_inner().expect("not poisoned");
    problems.extend(snap_problems.into_iter().map(|(path, reason)| crate::index::PartProblem { path, reason }));
    problems.sort_by(|a, b| (&a.path, &a.reason).cmp(&(&b.path, &b.reason)));
    problems.dedup();
    out.problems = problems;
    out.matched_parts = set.matched + ctx.rebuilt();
    if sel.sources.is_empty() {
        out.drop_samples_beside_real_data();
    }
    Ok(out)
}

/// Adds each row of one stored month to the cells of every selected month it is open in.
fn count(
    df: &DataFrame,
    month: &str,
    lives: &HashMap<String, Lifecycle>,
    ids: &HashMap<&str, usize>,
    n_kw: usize,
    facts: bool,
    (lo, hi): (Option<i32>, Option<i32>),
) -> Result<BTreeMap<(i32, String), Cell>, PolarsError> {
    let id_col = df.column("id")?.str()?;
    let rows = read::rows(df)?;
    let mut cells: BTreeMap<(i32, String), Cell> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        let life = id_col.get(i).and_then(|id| lives.get(id));
        for m in open_months(month, life) {
            if lo.is_some_and(|lo| m < lo) || hi.is_some_and(|hi| m > hi) {
                continue;
            }
            let c = cells.entry((m, r.source.clone())).or_insert_with(|| Cell::new(n_kw));
            c.postings += 1;
            for k in &r.keywords {
                if let Some(&j) = ids.get(k.as_str()) {
                    c.keywords[j] += 1;
                }
            }
            if facts {
                for role in &r.roles {
                    if let Some(j) = crate::roles::ROLES.iter().position(|x| x == role) {
                        c.roles[j] += 1;
                    }
                }
                if let Some(s) = &r.salary {
                    c.salaries.push(s.clone());
                }
            }
        }
    }
    Ok(cells)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::Interval;

    fn t(m: u32, d: u32) -> DateTime<Utc> {
        chrono::NaiveDate::from_ymd_opt(2026, m, d).unwrap().and_hms_opt(0, 0, 0).unwrap().and_utc()
    }

    fn life(intervals: Vec<Interval>) -> Lifecycle {
        Lifecycle {
            id: "x".into(),
            source: "ashby".into(),
            board: "a".into(),
            first_seen: intervals[0].from,
            last_seen: intervals.last().unwrap().last_seen,
            closed_at: intervals.last().unwrap().closed_at,
            reopened: intervals.len() as u32 - 1,
            intervals,
        }
    }

    fn names(s: BTreeSet<i32>) -> Vec<String> {
        s.into_iter().map(month_name).collect()
    }

    #[test]
    fn months_open() {
        assert_eq!(names(open_months("2026-02", None)), ["2026-02"]);
        // Published in January, first seen 2 Feb, last seen 10 Mar, closed 1 Apr 00:00: Jan..Mar.
        let l = life(vec![Interval { from: t(2, 2), last_seen: t(3, 10), closed_at: Some(t(4, 1)) }]);
        assert_eq!(names(open_months("2026-01", Some(&l))), ["2026-01", "2026-02", "2026-03"]);
        // Closed on 2 Apr: still open on 1 Apr as far as we know.
        let l = life(vec![Interval { from: t(2, 2), last_seen: t(3, 10), closed_at: Some(t(4, 2)) }]);
        assert_eq!(names(open_months("2026-02", Some(&l))), ["2026-02", "2026-03", "2026-04"]);
        // Reopened: Feb, then May..Jun (still open, last seen in June).
        let l = life(vec![
            Interval { from: t(2, 2), last_seen: t(2, 20), closed_at: Some(t(3, 1)) },
            Interval { from: t(5, 3), last_seen: t(6, 9), closed_at: None },
        ]);
        assert_eq!(names(open_months("2026-02", Some(&l))), ["2026-02", "2026-05", "2026-06"]);
    }
}
