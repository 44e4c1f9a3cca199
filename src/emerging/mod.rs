//! What is emerging: terms whose share of postings rose most in the recent months, that no keyword
//! id covers yet.
//!
//! In: the dataset's part files (columns `source, company, title, text`, read one part at a time),
//! the taxonomy, [`EmergingOptions`]. Out: [`Emerging`], the ranked terms with their counts, shares
//! and a 95% interval of the ratio of shares.
//!
//! - **Candidates** are 1-3 word phrases and tech-looking tokens of the posting text and title,
//!   without plain English, numbers, dates, URLs and the posting's own company name ([`terms`]).
//!   A posting counts once per term (document frequency).
//! - **Windows**: *recent* is `since` to the last month with data (default: the last 12 months with
//!   data, whatever their calendar span); *before* is every earlier month, or with
//!   `baseline_months = N` the N calendar months right before `since`. Comparing with everything
//!   earlier gives the largest baseline, so a term absent for years and now common ranks high
//!   (how `pgvector` rose); the shorter baseline asks what rose in the last year only.
//! - **Counting, memory bounded**: pass 1 counts the recent window's terms with lossy counting
//!   (Manku & Motwani: every [`BUCKET`] postings, a term whose count plus its possible undercount is
//!   at most the number of buckets so far is forgotten), so a term seen once is dropped quickly and
//!   no term mentioned in `min_postings` recent postings is lost. The survivors that the taxonomy
//!   does not cover are counted exactly in pass 2 over both windows.
//! - **Taxonomy**: a candidate is excluded when the [`Matcher`] finds any keyword form in it that
//!   counts (so `postgres experience` goes), or any form, even one its context rules would veto,
//!   that spans the whole candidate (so `pg` and `go` go); tried as written in lower case, in
//!   capitals and capitalised.
//! - **Score**: the ratio of shares recent/before with the Katz log interval, 0.5 added to both
//!   counts and both totals (statsmodels `confint_proportions_2indep(compare="ratio",
//!   method="log-adjusted")`, its default), so a term absent before still gets a finite ratio.
//!   Terms are ranked by the interval's lower bound (a term seen twice does not top the list); a
//!   term is listed when it is in at least `min_postings` recent postings and the lower bound is
//!   above 1. With thousands of candidates, some listed near the bottom rise by chance: each
//!   interval is a 95% interval for that term alone.
//! - **One name per trend**: a term is dropped when a longer phrase containing it covers at least
//!   80% of its recent postings (`model context` inside `model context protocol`), and a term that
//!   contains or is contained in a better-ranked listed term is not listed again (`langchain
//!   experience` after `langchain`).

pub mod terms;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::keywords::{KeywordError, Matcher, Taxonomy};
use crate::store::StoreError;

/// Postings per bucket of the lossy counting in pass 1.
pub const BUCKET: usize = 256;
/// A longer phrase with at least this fraction of a term's recent postings replaces the term.
const SUPERSEDE: f64 = 0.8;
/// z for 95% intervals.
const Z95: f64 = 1.959_963_984_540_054;

/// What to compare and how much to list.
#[derive(Debug, Clone)]
pub struct EmergingOptions {
    /// First month of the recent window; `None`: the last [`EmergingOptions::recent_months`] months with data.
    pub since: Option<String>,
    /// Months with data in the default recent window.
    pub recent_months: usize,
    /// Compare with only this many calendar months before the recent window (`None`: every earlier month).
    pub baseline_months: Option<usize>,
    /// Only these sources (empty: all).
    pub sources: Vec<String>,
    /// Terms to list.
    pub top: usize,
    /// Fewest recent postings a listed term is mentioned in.
    pub min_postings: u64,
}

impl Default for EmergingOptions {
    fn default() -> Self {
        EmergingOptions {
            since: None,
            recent_months: 12,
            baseline_months: None,
            sources: Vec::new(),
            top: 20,
            min_postings: 10,
        }
    }
}

/// A window of months and its postings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Window {
    pub first: String,
    pub last: String,
    /// Months with data in the window.
    pub months: usize,
    pub postings: u64,
}

impl Window {
    /// `2025-02..2026-01`.
    pub fn span(&self) -> String {
        format!("{}..{}", self.first, self.last)
    }
}

/// One listed term.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmergingTerm {
    /// The term as most often written.
    pub term: String,
    pub postings_before: u64,
    pub postings_after: u64,
    pub share_before: f64,
    pub share_after: f64,
    /// (after + ½)/(postings after + ½) ÷ (before + ½)/(postings before + ½).
    pub ratio: f64,
    /// 95% Katz log interval of the ratio.
    pub ci_low: f64,
    pub ci_high: f64,
}

/// The result: the windows compared and the ranked terms.
#[derive(Debug, Clone, Serialize)]
pub struct Emerging {
    pub before: Window,
    pub recent: Window,
    /// Candidates counted exactly (mentioned in enough recent postings, not covered by the taxonomy).
    pub candidates: usize,
    /// Candidates left out because a keyword id covers them.
    pub covered: usize,
    pub terms: Vec<EmergingTerm>,
    /// Part files that could not be read (named, with the reason); the numbers leave them out.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
}

/// Errors of [`find`].
#[derive(Debug, thiserror::Error)]
pub enum EmergingError {
    #[error("the data directory {} does not exist (give the right one with --data DIR)", .0.display())]
    NoDataDir(PathBuf),
    #[error("no postings{} in {}", sources_note(.sources), .data.display())]
    NoPostings { data: PathBuf, sources: Vec<String> },
    #[error("--since {since}: no postings from then on (the data end at {last})")]
    NothingRecent { since: String, last: String },
    #[error("no postings before {first} to compare with (the data start at {first}; give a later --since)")]
    NothingBefore { first: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Keywords(#[from] KeywordError),
}

fn sources_note(sources: &[String]) -> String {
    if sources.is_empty() { String::new() } else { format!(" of source {}", sources.join(", ")) }
}

impl EmergingError {
    /// 1 when there is nothing to compare (no postings, an empty window), else 2.
    pub fn exit_code(&self) -> u8 {
        match self {
            EmergingError::NoPostings { .. } | EmergingError::NothingRecent { .. } => crate::exit::PARTIAL,
            _ => crate::exit::FATAL,
        }
    }
}

/// The ratio of shares `a/n1 ÷ c/n2` with its 95% Katz log interval, 0.5 added to every count
/// (statsmodels' `log-adjusted`): `(ratio, low, high)`.
pub fn ratio_interval(a: u64, n1: u64, c: u64, n2: u64) -> (f64, f64, f64) {
    let (a, n1, c, n2) = (a as f64 + 0.5, n1 as f64 + 0.5, c as f64 + 0.5, n2 as f64 + 0.5);
    let ratio = (a / n1) / (c / n2);
    let se = (1.0 / a - 1.0 / n1 + 1.0 / c - 1.0 / n2).max(0.0).sqrt();
    (ratio, ratio * (-Z95 * se).exp(), ratio * (Z95 * se).exp())
}

/// One part file's postings of the selected sources: `(company, title, text)`.
type Rows = Vec<(Option<String>, Option<String>, String)>;

fn read_rows(path: &Path, sources: &[String]) -> Result<Rows, StoreError> {
    let cols = ["source", "company", "title", "text"].map(String::from).to_vec();
    let df = crate::store::read_part_columns(path, Some(cols))?;
    let pe = |source| StoreError::Parquet { path: path.to_path_buf(), source };
    let col = |n: &str| df.column(n).and_then(|c| c.str().cloned()).map_err(pe);
    let (src, company, title, text) = (col("source")?, col("company")?, col("title")?, col("text")?);
    let mut out = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        if !sources.is_empty() && !src.get(i).is_some_and(|s| sources.iter().any(|x| x == s)) {
            continue;
        }
        out.push((
            company.get(i).map(str::to_string),
            title.get(i).map(str::to_string),
            text.get(i).unwrap_or("").into(),
        ));
    }
    Ok(out)
}

/// The candidate terms of one row.
fn row_terms(row: &(Option<String>, Option<String>, String)) -> Vec<(String, String)> {
    let (company, title, text) = row;
    let mut texts: Vec<&str> = Vec::with_capacity(2);
    if let Some(t) = title {
        texts.push(t);
    }
    texts.push(text);
    terms::candidates(&texts, company.as_deref())
}

/// Part files per month (`month=YYYY-MM` directories), months in order.
fn parts_by_month(data: &Path) -> Result<BTreeMap<String, Vec<PathBuf>>, EmergingError> {
    if !data.is_dir() {
        return Err(EmergingError::NoDataDir(data.to_path_buf()));
    }
    let mut by: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for p in crate::store::part_files(data)? {
        if let Some(m) = crate::store::month_of_part(&p).filter(|m| crate::posting::is_month(m)) {
            by.entry(m).or_default().push(p);
        }
    }
    Ok(by)
}

/// Postings of the selected sources per month (the `source` column only), and unreadable parts.
fn census(parts: &BTreeMap<String, Vec<PathBuf>>, sources: &[String]) -> (BTreeMap<String, u64>, Vec<String>) {
    let mut counts = BTreeMap::new();
    let mut problems = Vec::new();
    for (month, files) in parts {
        for f in files {
            let r = crate::store::read_part_columns(f, Some(vec!["source".into()]));
            let n = r.and_then(|df| {
                let s = df.column("source").and_then(|c| c.str().cloned());
                let s = s.map_err(|source| StoreError::Parquet { path: f.clone(), source })?;
                Ok(s.iter().filter(|v| sources.is_empty() || v.is_some_and(|v| sources.iter().any(|x| x == v))).count())
            });
            match n {
                Ok(n) if n > 0 => *counts.entry(month.clone()).or_insert(0) += n as u64,
                Ok(_) => {}
                Err(e) => problems.push(format!("{}: {}", f.display(), crate::store::damage_reason(e))),
            }
        }
    }
    (counts, problems)
}

/// The recent and before months (with data), from the options.
fn windows(counts: &BTreeMap<String, u64>, o: &EmergingOptions) -> Result<(Vec<String>, Vec<String>), EmergingError> {
    let months: Vec<&String> = counts.keys().collect();
    let last = months.last().map(|m| m.to_string()).unwrap_or_default();
    let since = match &o.since {
        Some(s) => s.clone(),
        None => months[months.len().saturating_sub(o.recent_months.max(1))].clone(),
    };
    let recent: Vec<String> = months.iter().filter(|m| ***m >= since).map(|m| m.to_string()).collect();
    if recent.is_empty() {
        return Err(EmergingError::NothingRecent { since, last });
    }
    let from = match o.baseline_months {
        Some(n) => {
            let i = crate::posting::month_index(&since).unwrap_or(0) - n as i32;
            crate::posting::month_name(i)
        }
        None => String::new(),
    };
    let before: Vec<String> = months.iter().filter(|m| ***m < since && ***m >= from).map(|m| m.to_string()).collect();
    if before.is_empty() {
        return Err(EmergingError::NothingBefore { first: recent[0].clone() });
    }
    Ok((recent, before))
}

/// Pass 1: lossy counting of the recent window's terms; the keys whose count plus possible
/// undercount reaches `min`.
fn pass_recent(parts: &BTreeMap<String, Vec<PathBuf>>, recent: &[String], o: &EmergingOptions) -> Vec<String> {
    // key -> (count, possible undercount)
    let mut table: HashMap<String, (u64, u64)> = HashMap::new();
    let (mut seen, mut bucket) = (0usize, 1u64);
    for m in recent {
        for f in parts.get(m).into_iter().flatten() {
            let Ok(rows) = read_rows(f, &o.sources) else { continue };
            for row in &rows {
                for (key, _) in row_terms(row) {
                    table.entry(key).or_insert((0, bucket - 1)).0 += 1;
                }
                seen += 1;
                if seen.is_multiple_of(BUCKET) {
                    table.retain(|_, (f, d)| *f + *d > bucket);
                    bucket += 1;
                }
            }
        }
    }
    let mut keys: Vec<String> =
        table.into_iter().filter(|(_, (f, d))| f + d >= o.min_postings).map(|(k, _)| k).collect();
    keys.sort_unstable();
    keys
}

/// True when the taxonomy covers the candidate (see the module docs).
fn covered(matcher: &Matcher, key: &str) -> bool {
    let capitalised: String = key
        .split(' ')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ");
    [key.to_string(), key.to_lowercase(), key.to_uppercase(), capitalised]
        .iter()
        .any(|form| matcher.explain(form).iter().any(|h| !h.vetoed || (h.offset == 0 && h.text.len() == form.len())))
}

/// Exact counts of one candidate.
#[derive(Debug, Default, Clone)]
struct Tally {
    before: u64,
    recent: u64,
    /// Forms as written, with their counts (at most 8 kept).
    forms: Vec<(String, u64)>,
}

/// Pass 2: exact counts of the candidates over both windows, and the windows' postings. Parts
/// are read and tokenised in parallel, merged in dataset order (the same result every run).
fn pass_exact(
    parts: &BTreeMap<String, Vec<PathBuf>>,
    windows: [&[String]; 2],
    candidates: &HashMap<String, usize>,
    sources: &[String],
    problems: &mut Vec<String>,
) -> (Vec<Tally>, [u64; 2]) {
    use rayon::prelude::*;
    let jobs: Vec<(usize, &PathBuf)> = windows
        .iter()
        .enumerate()
        .flat_map(|(w, months)| {
            months.iter().flat_map(move |m| parts.get(m).into_iter().flatten().map(move |f| (w, f)))
        })
        .collect();
    let found: Vec<_> = jobs
        .par_iter()
        .map(|&(w, f)| {
            let rows =
                read_rows(f, sources).map_err(|e| format!("{}: {}", f.display(), crate::store::damage_reason(e)))?;
            let hits: Vec<(usize, String)> = rows
                .iter()
                .flat_map(row_terms)
                .filter_map(|(key, form)| candidates.get(&key).map(|&i| (i, form)))
                .collect();
            Ok::<_, String>((w, rows.len() as u64, hits))
        })
        .collect();
    let mut tallies = vec![Tally::default(); candidates.len()];
    let mut postings = [0u64; 2];
    for r in found {
        let (w, n, hits) = match r {
            Ok(x) => x,
            Err(p) => {
                if !problems.contains(&p) {
                    problems.push(p);
                }
                continue;
            }
        };
        postings[w] += n;
        for (i, form) in hits {
            let t = &mut tallies[i];
            if w == 0 {
                t.before += 1;
            } else {
                t.recent += 1;
            }
            if let Some(f) = t.forms.iter_mut().find(|(f, _)| *f == form) {
                f.1 += 1;
            } else if t.forms.len() < 8 {
                t.forms.push((form, 1));
            }
        }
    }
    (tallies, postings)
}

fn window(months: &[String], postings: u64) -> Window {
    Window {
        first: months.first().cloned().unwrap_or_default(),
        last: months.last().cloned().unwrap_or_default(),
        months: months.len(),
        postings,
    }
}

/// Finds what is emerging in the dataset under `data` (see the module docs).
pub fn find(data: &Path, tax: &Taxonomy, o: &EmergingOptions) -> Result<Emerging, EmergingError> {
    let parts = parts_by_month(data)?;
    let (counts, mut problems) = census(&parts, &o.sources);
    if counts.is_empty() {
        return Err(EmergingError::NoPostings { data: data.to_path_buf(), sources: o.sources.clone() });
    }
    let (recent, before) = windows(&counts, o)?;
    let matcher = Matcher::new(tax)?;
    let keys = pass_recent(&parts, &recent, o);
    let (kept, excluded): (Vec<String>, Vec<String>) = keys.into_iter().partition(|k| !covered(&matcher, k));
    let index: HashMap<String, usize> = kept.iter().enumerate().map(|(i, k)| (k.clone(), i)).collect();
    let (tallies, postings) = pass_exact(&parts, [&before, &recent], &index, &o.sources, &mut problems);
    let terms = rank(&kept, &tallies, postings, o, &|form| covered(&matcher, form));
    Ok(Emerging {
        before: window(&before, postings[0]),
        recent: window(&recent, postings[1]),
        candidates: kept.len(),
        covered: excluded.len(),
        terms,
        problems,
    })
}

/// Scores, drops superseded terms, ranks by the interval's lower bound and lists the best `top`
/// without repeating a trend under a longer or shorter name.
/// `skip` is asked about each term as written (the taxonomy check on its real form).
fn rank(
    keys: &[String],
    tallies: &[Tally],
    postings: [u64; 2],
    o: &EmergingOptions,
    skip: &dyn Fn(&str) -> bool,
) -> Vec<EmergingTerm> {
    let by_key: HashMap<&str, usize> = keys.iter().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
    let mut superseded = vec![false; keys.len()];
    for (i, k) in keys.iter().enumerate() {
        let words: Vec<&str> = k.split(' ').collect();
        // A single word is the natural name of a trend (`zorblax`, not `runs on zorblax`): only
        // phrases are replaced by longer ones.
        for n in 2..words.len() {
            for w in words.windows(n) {
                if let Some(&j) = by_key.get(w.join(" ").as_str())
                    && tallies[i].recent as f64 >= SUPERSEDE * tallies[j].recent as f64
                {
                    superseded[j] = true;
                }
            }
        }
    }
    let mut scored: Vec<(usize, EmergingTerm)> = Vec::new();
    for (i, t) in tallies.iter().enumerate() {
        if superseded[i] || t.recent < o.min_postings {
            continue;
        }
        let (ratio, ci_low, ci_high) = ratio_interval(t.recent, postings[1], t.before, postings[0]);
        if ci_low <= 1.0 {
            continue;
        }
        let form = t.forms.iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))).map(|f| f.0.clone());
        if form.as_deref().is_some_and(skip) {
            continue;
        }
        let share = |k: u64, n: u64| if n == 0 { 0.0 } else { k as f64 / n as f64 };
        scored.push((
            i,
            EmergingTerm {
                term: form.unwrap_or_else(|| keys[i].clone()),
                postings_before: t.before,
                postings_after: t.recent,
                share_before: share(t.before, postings[0]),
                share_after: share(t.recent, postings[1]),
                ratio,
                ci_low,
                ci_high,
            },
        ));
    }
    let words = |i: usize| terms::word_count(&keys[i]);
    scored.sort_by(|a, b| {
        b.1.ci_low
            .total_cmp(&a.1.ci_low)
            .then(words(a.0).cmp(&words(b.0)))
            .then(b.1.ratio.total_cmp(&a.1.ratio))
            .then(keys[a.0].cmp(&keys[b.0]))
    });
    let mut listed: Vec<(usize, EmergingTerm)> = Vec::new();
    for (i, t) in scored {
        if listed.len() >= o.top {
            break;
        }
        let k = &keys[i];
        if listed.iter().any(|(j, _)| terms::is_part_of(k, &keys[*j]) || terms::is_part_of(&keys[*j], k)) {
            continue;
        }
        listed.push((i, t));
    }
    listed.into_iter().map(|(_, t)| t).collect()
}

/// CSV: `term,postings_before,postings_after,share_before,share_after,ratio,ci_low,ci_high`.
pub fn to_csv(e: &Emerging) -> String {
    let mut s = String::from("term,postings_before,postings_after,share_before,share_after,ratio,ci_low,ci_high\n");
    for t in &e.terms {
        let term =
            if t.term.contains([',', '"']) { format!("\"{}\"", t.term.replace('"', "\"\"")) } else { t.term.clone() };
        s.push_str(&format!(
            "{term},{},{},{:.6},{:.6},{:.4},{:.4},{:.4}\n",
            t.postings_before, t.postings_after, t.share_before, t.share_after, t.ratio, t.ci_low, t.ci_high
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_interval_matches_statsmodels_log_adjusted() {
        // statsmodels 0.15: confint_proportions_2indep(30, 8000, 0, 40000, compare="ratio")
        // -> (18.65156115403958, 4987.019453530185)
        let (r, lo, hi) = ratio_interval(30, 8000, 0, 40000);
        assert!((lo - 18.65156115403958).abs() < 1e-9, "{lo}");
        assert!((hi - 4987.019453530185).abs() < 1e-6, "{hi}");
        assert!(lo < r && r < hi);
    }

    #[test]
    fn superseded_and_overlapping_terms_are_listed_once() {
        let keys: Vec<String> =
            ["model context", "model context protocol", "zorblax", "zorblax sdk"].map(String::from).to_vec();
        let t = |before, recent| Tally { before, recent, forms: Vec::new() };
        let tallies = vec![t(0, 40), t(0, 36), t(0, 50), t(0, 12)];
        let o = EmergingOptions { min_postings: 5, ..Default::default() };
        let listed: Vec<String> =
            rank(&keys, &tallies, [10_000, 2_000], &o, &|_| false).into_iter().map(|t| t.term).collect();
        assert_eq!(listed, ["zorblax", "model context protocol"]);
    }
}
