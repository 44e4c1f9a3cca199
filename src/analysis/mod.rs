//! Analysis: the match index in, the aggregates every analysis command needs out.
//!
//! In: a data directory, a keyword [`Taxonomy`], a [`Selection`] (months, sources) and what to
//! derive ([`Wants`]: roles/salaries, the claims to collect). Out: an [`Analysis`] — per
//! (month, source) [`Cell`]s (postings, postings per keyword, per role, stated salaries), and
//! each claim's [`ClaimData`], collected in one pass. `trends`, `check`, `report` and `run` all
//! start here ([`crate::trends`] turns cells into rows, [`crate::report`] into files).
//!
//! Nothing here reads posting text: [`crate::index::ensure_index`] matches the parts that have
//! no index file yet, then the index is read one month at a time (parts of a month in parallel),
//! so memory is bounded by the aggregates and the largest month, not by the corpus. Within a
//! month, the result does not depend on how parts are split: counts do not depend on order, and a premium
//! claim keeps its salaries in id order ([`crate::predictions::MonthRows`]).
//! Damaged parts are skipped and listed in [`Analysis::problems`] (the caller says so and exits 1).
//!
//! Duplicates ([`crate::dedup`], [`Selection::dedup`]): a copy of a job another selected source
//! also holds is counted in [`Analysis::copies`] instead of [`Analysis::cells`] (so `cells` are
//! the pooled totals, [`Analysis::per_source_cells`] each source's own), and still fed to the
//! claims (which weigh each source on its own); a repost (`--dedup reposts`) is left out of all.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use polars::prelude::*;
use rayon::prelude::*;

use crate::dedup::{Dedup, PairCount, Status};
use crate::index::{IndexError, IndexPart, PartProblem};
use crate::keywords::Taxonomy;
use crate::predictions::{self, ClaimCollector, ClaimData, Evaluation, MonthRows, Prediction, Vocabulary};

pub mod open;
pub mod read;

/// Which postings to analyse.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub since: Option<String>,
    pub until: Option<String>,
    /// Only these sources (empty: all).
    pub sources: Vec<String>,
    /// Which postings count once ([`crate::dedup`]); the default is `exact`.
    pub dedup: Dedup,
}

impl Selection {
    /// A usage error when `since` is after `until`.
    pub fn check(&self) -> Result<(), AnalysisError> {
        match (&self.since, &self.until) {
            (Some(s), Some(u)) if s > u => Err(AnalysisError::Reversed { since: s.clone(), until: u.clone() }),
            _ => Ok(()),
        }
    }

    /// True when source `s` is selected.
    pub fn keeps_source(&self, s: &str) -> bool {
        self.sources.is_empty() || self.sources.iter().any(|x| x == s)
    }
}

/// What to derive beyond keyword counts.
#[derive(Debug, Clone, Default)]
pub struct Wants {
    /// Roles and stated salaries per cell.
    pub facts: bool,
    /// Claims to collect data for (one pass for all).
    pub predictions: Vec<Prediction>,
}

#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    #[error("the data directory {} does not exist (give the right one with --data DIR)", .0.display())]
    NoDataDir(PathBuf),
    #[error("--since {since} is after --until {until}")]
    Reversed { since: String, until: String },
    #[error(transparent)]
    Index(#[from] IndexError),
}

impl AnalysisError {
    /// Every analysis error is fatal or a usage error: exit 2.
    pub fn exit_code(&self) -> u8 {
        crate::exit::FATAL
    }
}

/// Counts of one (month, source).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    pub postings: u64,
    /// Postings mentioning each keyword, in taxonomy order.
    pub keywords: Vec<u64>,
    /// Postings in each role of [`crate::roles::ROLES`] (with [`Wants::facts`]).
    pub roles: Vec<u64>,
    /// Stated salaries `(annual, currency)`, in the order the index holds them (with [`Wants::facts`]; the salary
    /// tables take medians, so no order is promised).
    pub salaries: Vec<(f64, String)>,
}

impl Cell {
    fn new(keywords: usize) -> Self {
        Cell { keywords: vec![0; keywords], roles: vec![0; crate::roles::ROLES.len()], ..Default::default() }
    }

    fn merge(&mut self, o: Cell) {
        self.postings += o.postings;
        add_into(&mut self.keywords, &o.keywords);
        add_into(&mut self.roles, &o.roles);
        self.salaries.extend(o.salaries);
    }
}

fn add_into(a: &mut [u64], b: &[u64]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

/// The selected postings seen through the index.
#[derive(Debug, Default)]
pub struct Analysis {
    /// (month, source) → counts of the postings that count in pooled totals.
    pub cells: BTreeMap<(String, String), Cell>,
    /// (month, source) → counts of the copies of a job another selected source holds and that
    /// counts there instead ([`crate::dedup`]): left out of pooled totals, part of each source's own.
    pub copies: BTreeMap<(String, String), Cell>,
    /// Copies found per source pair (selected sources, all months).
    pub duplicates: Vec<PairCount>,
    /// Reposts left out (`--dedup reposts`), selected months.
    pub reposts: u64,
    /// Each wanted claim with its data.
    pub claims: Vec<(Prediction, ClaimData)>,
    /// Parts skipped because they could not be read (named once each).
    pub problems: Vec<PartProblem>,
    /// Index parts matched by this command (stale or new).
    pub matched_parts: usize,
    /// The index fingerprint read.
    pub fp: String,
}

impl Analysis {
    /// Hand-written sample postings (source `sample`, the bundled `data/samples/` pages) are
    /// analysed on their own, or when asked for with `--source sample`; beside real data they are
    /// left out, so they never mix with a real source's series.
    fn drop_samples_beside_real_data(&mut self) {
        use crate::sources::SAMPLE_SOURCE;
        if !self.cells.iter().any(|((_, s), c)| s != SAMPLE_SOURCE && c.postings > 0) {
            return;
        }
        self.cells.retain(|(_, s), _| s != SAMPLE_SOURCE);
        self.copies.retain(|(_, s), _| s != SAMPLE_SOURCE);
        for (_, d) in &mut self.claims {
            d.months.retain(|m| m.source != SAMPLE_SOURCE);
            d.salaries.retain(|x| x.source != SAMPLE_SOURCE);
        }
    }

    fn merge(&mut self, month: &str, (cells, copies): Counted) {
        merge_into(&mut self.cells, month, cells);
        merge_into(&mut self.copies, month, copies);
    }

    /// Each source's own counts: [`Analysis::cells`] with the copies counted in another source
    /// added back (what `--by-source` and `--source X` show).
    pub fn per_source_cells(&self) -> BTreeMap<(String, String), Cell> {
        let mut out = self.cells.clone();
        for (k, c) in &self.copies {
            out.entry(k.clone()).or_insert_with(|| Cell::new(c.keywords.len())).merge(c.clone());
        }
        out
    }

    /// Number of postings selected.
    pub fn postings(&self) -> u64 {
        self.cells.values().map(|c| c.postings).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.postings() == 0 && self.copies.values().all(|c| c.postings == 0)
    }

    /// Evaluates every collected claim (Holm across the claims).
    pub fn evaluations(&self) -> Vec<Evaluation> {
        predictions::evaluate_all(&self.claims)
    }

    /// "hn: 54299 postings 2018-03..2026-01; greenhouse: ..." — what the charts are made of (each
    /// source's own counts, then the copies counted once and the reposts left out, if any).
    pub fn source_note(&self) -> String {
        let mut per: BTreeMap<&str, (u64, &str, &str)> = BTreeMap::new();
        for ((month, source), c) in self.cells.iter().chain(&self.copies) {
            let e = per.entry(source.as_str()).or_insert((0, month.as_str(), month.as_str()));
            e.0 += c.postings;
            e.1 = e.1.min(month.as_str());
            e.2 = e.2.max(month.as_str());
        }
        if per.is_empty() {
            return "no postings".into();
        }
        let mut note =
            per.iter().map(|(s, (n, a, b))| format!("{s}: {n} postings {a}..{b}")).collect::<Vec<_>>().join("; ");
        let copies: u64 = self.copies.values().map(|c| c.postings).sum();
        if copies > 0 {
            note.push_str(&format!("; {copies} copies across sources counted once"));
        }
        if self.reposts > 0 {
            note.push_str(&format!("; {} reposts within 60 days left out", self.reposts));
        }
        note
    }
}

/// One part's or month's counts per source: (counted, copies).
type Counted = (BTreeMap<String, Cell>, BTreeMap<String, Cell>);

fn merge_into(into: &mut BTreeMap<(String, String), Cell>, month: &str, cells: BTreeMap<String, Cell>) {
    for (source, c) in cells {
        match into.entry((month.to_string(), source)) {
            std::collections::btree_map::Entry::Vacant(v) => {
                v.insert(c);
            }
            std::collections::btree_map::Entry::Occupied(mut o) => o.get_mut().merge(c),
        }
    }
}

/// Loads the predictions (a file or the built-in ones) and checks their keyword ids against the
/// taxonomy. The one place claim files are read for analysis.
pub fn load_predictions(path: Option<&Path>, tax: &Taxonomy) -> Result<Vec<Prediction>, predictions::PredictionError> {
    let (preds, name) = match path {
        Some(p) => (predictions::load(p)?, p.display().to_string()),
        None => (predictions::builtin()?, "keywords/predictions.toml".to_string()),
    };
    let ids: Vec<&str> = tax.keywords().iter().map(|k| k.id.as_str()).collect();
    predictions::validate(&preds, &ids).map_err(|e| e.in_file(&name))?;
    Ok(preds)
}

/// Runs the analysis: brings the index up to date for the selected months, then reads it.
pub fn analyse(data: &Path, tax: &Taxonomy, sel: &Selection, wants: &Wants) -> Result<Analysis, AnalysisError> {
    if !data.is_dir() {
        return Err(AnalysisError::NoDataDir(data.to_path_buf()));
    }
    sel.check()?;
    let claims = !wants.predictions.is_empty();
    let (set, state) = index_with_plan(data, tax, sel, !claims)?;
    let ids: PlHashMap<&str, usize> = tax.keywords().iter().enumerate().map(|(i, k)| (k.id.as_str(), i)).collect();
    let n_kw = tax.keywords().len();
    let problems = Mutex::new(set.problems.clone());
    let mut out = Analysis { fp: set.fp.clone(), ..Default::default() };
    let count = |month: &str, df: &DataFrame| -> Counted {
        split_count(df, &ids, n_kw, wants.facts).unwrap_or_else(|e| {
            let path = PathBuf::from(format!("index month={month}"));
            problems.lock().expect("not poisoned").push(PartProblem { path, reason: e.to_string() });
            Counted::default()
        })
    };
    let rebuilt = if !claims {
        let reader = PartCounter { tax, sel, facts: wants.facts, ids: &ids, count: &count, problems: &problems };
        let (counted, rebuilt) = reader.count_resolving(&set.parts, state, &mut out);
        for (month, cells) in counted {
            out.merge(month, cells);
        }
        rebuilt
    } else {
        let plan = state.resolve(sel);
        out.note_plan(&set.parts, plan.as_ref());
        let ctx = read::Context::new(tax).with_plan(plan.as_ref());
        let vocab = Vocabulary::new(&wants.predictions);
        let mut collectors: Vec<ClaimCollector> =
            wants.predictions.iter().map(|p| ClaimCollector::new(p, &vocab)).collect();
        let mut months: BTreeMap<&str, Vec<&IndexPart>> = BTreeMap::new();
        for p in &set.parts {
            months.entry(p.month.as_str()).or_default().push(p);
        }
        let months: Vec<(&str, Vec<&IndexPart>)> = months.into_iter().collect();
        // A few months at a time, read in parallel, fed to the collectors in month order.
        let batch = rayon::current_num_threads().max(1) * 2;
        for chunk in months.chunks(batch) {
            let results: Vec<(Counted, MonthRows)> = chunk
                .par_iter()
                .map(|(month, parts)| {
                    let Some(df) = ctx.read_month(parts, sel, &problems) else { return Default::default() };
                    (count(month, &df), read::month_rows(&df, &vocab).unwrap_or_default())
                })
                .collect();
            for ((month, _), (cells, rows)) in chunk.iter().zip(results) {
                out.merge(month, cells);
                collectors.par_iter_mut().for_each(|c| c.add_month(month, &rows));
            }
        }
        out.claims =
            wants.predictions.iter().cloned().zip(collectors.into_iter().map(ClaimCollector::finish)).collect();
        ctx.rebuilt()
    };
    let mut problems = problems.into_inner().expect("not poisoned");
    problems.sort_by(|a, b| (&a.path, &a.reason).cmp(&(&b.path, &b.reason)));
    problems.dedup();
    out.problems = problems;
    out.matched_parts = set.matched + rebuilt;
    if sel.sources.is_empty() {
        out.drop_samples_beside_real_data();
    }
    Ok(out)
}

impl Analysis {
    /// The copies found and the reposts left out of `parts` (the selected months' parts).
    fn note_plan(&mut self, parts: &[IndexPart], plan: Option<&crate::dedup::Plan>) {
        if let Some(plan) = plan {
            self.duplicates = plan.pairs.clone();
            self.reposts =
                parts.iter().filter_map(|p| plan.of(&p.postings)).flatten().filter(|s| **s == Status::Repost).count()
                    as u64;
        }
    }
}

/// The duplicates plan a reading needs, or how to tell whether it needs one.
enum PlanState {
    /// Made, or not needed (`--dedup none`).
    Ready(Option<crate::dedup::Plan>),
    /// `exact` and counts only: a plan is needed only when two selected sources or more are
    /// present, which counting the selected parts tells (a single source, the usual HN-only
    /// dataset, holds no copy across sources). `all`: every index part of the dataset (a copy
    /// counts where its earliest copy is, whatever the months selected); `others`: the selected
    /// sources present in the months not selected.
    IfSeveralSources { all: Vec<IndexPart>, others: Vec<String> },
}

impl PlanState {
    /// The plan, made now if it was left for later.
    fn resolve(self, sel: &Selection) -> Option<crate::dedup::Plan> {
        match self {
            PlanState::Ready(plan) => plan,
            PlanState::IfSeveralSources { all, .. } => Some(crate::dedup::plan(&all, &sel.sources, sel.dedup)),
        }
    }
}

/// Counts parts one by one, all in parallel (counts only, no claims).
struct PartCounter<'a> {
    tax: &'a Taxonomy,
    sel: &'a Selection,
    facts: bool,
    /// Keyword id → its place in the taxonomy.
    ids: &'a PlHashMap<&'a str, usize>,
    count: &'a (dyn Fn(&str, &DataFrame) -> Counted + Sync),
    problems: &'a Mutex<Vec<PartProblem>>,
}

impl PartCounter<'_> {
    /// Every part's counts under `plan`, and the index files rebuilt while reading. With `seen`
    /// (the selected sources found so far), parts are no longer read once two sources are found:
    /// the counts are then incomplete, and the caller counts again with a plan.
    fn count<'p>(
        &self,
        parts: &'p [IndexPart],
        plan: Option<&crate::dedup::Plan>,
        seen: Option<&Mutex<Vec<String>>>,
    ) -> (Vec<(&'p str, Counted)>, usize) {
        use std::sync::atomic::{AtomicBool, Ordering};
        let several_sources = |s: &Mutex<Vec<String>>| s.lock().expect("not poisoned").len() >= 2;
        let stop = AtomicBool::new(seen.is_some_and(several_sources));
        let ctx = read::Context::new(self.tax).with_plan(plan);
        let counted = parts
            .par_iter()
            .map(|p| {
                if stop.load(Ordering::Relaxed) {
                    return (p.month.as_str(), Counted::default());
                }
                let counted = match self.footer_counts(p, plan) {
                    Some(counted) => counted,
                    None => match ctx.read_one(p, self.facts, self.sel) {
                        Ok(df) => (self.count)(&p.month, &df),
                        Err(problem) => {
                            self.problems.lock().expect("not poisoned").push(problem);
                            Counted::default()
                        }
                    },
                };
                if let Some(seen) = seen {
                    let mut names = seen.lock().expect("not poisoned");
                    for (source, _) in counted.0.iter().filter(|(_, c)| c.postings > 0) {
                        if !names.contains(source) {
                            names.push(source.clone());
                        }
                    }
                    stop.store(names.len() >= 2, Ordering::Relaxed);
                }
                (p.month.as_str(), counted)
            })
            .collect();
        (counted, ctx.rebuilt())
    }

    /// A part's counts from its index file's footer ([`crate::index::counts`]), when they are all
    /// this reading needs (no facts, no duplicates plan) and the footer has them; `None` means
    /// "read the rows" (which also rebuilds a damaged file).
    fn footer_counts(&self, p: &IndexPart, plan: Option<&crate::dedup::Plan>) -> Option<Counted> {
        let crate::index::PartData::File(path) = &p.data else { return None };
        if self.facts || plan.is_some() {
            return None;
        }
        let counts = crate::index::counts::read(path).ok()??;
        let mut cells = BTreeMap::new();
        for (source, c) in counts.sources {
            if !self.sel.keeps_source(&source) {
                continue;
            }
            let mut cell = Cell::new(self.tax.keywords().len());
            cell.postings = c.postings;
            for (k, n) in &c.keywords {
                if let Some(&j) = self.ids.get(k.as_str()) {
                    cell.keywords[j] += n;
                }
            }
            cells.insert(source, cell);
        }
        Some((cells, BTreeMap::new()))
    }

    /// [`PartCounter::count`] with the plan `state` calls for: when it was left for later, the
    /// parts are counted without one first, and again with one only if they (or the months not
    /// selected) hold two selected sources or more. Notes the plan's findings in `out`.
    fn count_resolving<'p>(
        &self,
        parts: &'p [IndexPart],
        state: PlanState,
        out: &mut Analysis,
    ) -> (Vec<(&'p str, Counted)>, usize) {
        let (all, others) = match state {
            PlanState::Ready(plan) => {
                out.note_plan(parts, plan.as_ref());
                return self.count(parts, plan.as_ref(), None);
            }
            PlanState::IfSeveralSources { all, others } => (all, others),
        };
        let seen = Mutex::new(others);
        let (counted, rebuilt) = self.count(parts, None, Some(&seen));
        if seen.into_inner().expect("not poisoned").len() < 2 {
            return (counted, rebuilt);
        }
        let plan = crate::dedup::plan_of_several_sources(&all, &self.sel.sources, self.sel.dedup);
        out.note_plan(parts, Some(&plan));
        let (counted, again) = self.count(parts, Some(&plan), None);
        (counted, rebuilt + again)
    }
}

/// The index of the selected months and the duplicates plan they need (unless `sel.dedup` is
/// `none`), made from every month: the month a copy counts in does not depend on the months
/// selected. With `counts_only` and `exact`, the plan is left for later ([`PlanState`]).
fn index_with_plan(
    data: &Path,
    tax: &Taxonomy,
    sel: &Selection,
    counts_only: bool,
) -> Result<(crate::index::IndexSet, PlanState), AnalysisError> {
    let (since, until) = (sel.since.as_deref(), sel.until.as_deref());
    if sel.dedup == Dedup::None {
        return Ok((crate::index::ensure_index(data, tax, since, until)?, PlanState::Ready(None)));
    }
    let mut set = crate::index::ensure_index(data, tax, None, None)?;
    let selected = |m: &str| !(since.is_some_and(|s| m < s) || until.is_some_and(|u| m > u));
    let state = if counts_only && sel.dedup == Dedup::Exact {
        let others: Vec<IndexPart> = set.parts.iter().filter(|p| !selected(&p.month)).cloned().collect();
        let others = crate::dedup::source_names(&others, &sel.sources);
        PlanState::IfSeveralSources { all: set.parts.clone(), others }
    } else {
        PlanState::Ready(Some(crate::dedup::plan(&set.parts, &sel.sources, sel.dedup)))
    };
    set.parts.retain(|p| selected(&p.month));
    set.problems.retain(|p| crate::index::month_of_part(&p.path).is_none_or(|m| selected(&m)));
    Ok((set, state))
}

/// Counts index rows (one month) per source, the copies ([`read::COPY`] true) apart.
fn split_count(
    df: &DataFrame,
    ids: &PlHashMap<&str, usize>,
    n_keywords: usize,
    facts: bool,
) -> Result<Counted, PolarsError> {
    let copy = match df.column(read::COPY) {
        Ok(c) if c.bool()?.any() => c.bool()?.clone(),
        _ => return Ok((count_frame(df, ids, n_keywords, facts)?, BTreeMap::new())),
    };
    let counted = df.filter_seq(&!&copy)?;
    let copies = df.filter_seq(&copy)?;
    Ok((count_frame(&counted, ids, n_keywords, facts)?, count_frame(&copies, ids, n_keywords, facts)?))
}

/// Counts index rows (one month) per source. Rows of a source come in runs; each run's keyword
/// ids are one slice of the flat list values, walked once.
fn count_frame(
    df: &DataFrame,
    ids: &PlHashMap<&str, usize>,
    n_keywords: usize,
    facts: bool,
) -> Result<BTreeMap<String, Cell>, PolarsError> {
    let mut runs: Vec<(usize, usize, &str)> = Vec::new();
    for (i, s) in df.column("source")?.str()?.iter().enumerate() {
        let s = s.unwrap_or("");
        match runs.last_mut() {
            Some(r) if r.2 == s => r.1 = i + 1,
            _ => runs.push((i, i + 1, s)),
        }
    }
    let kw = read::Lists::new(df.column("keywords")?.list()?)?;
    let roles = if facts { Some(read::Lists::new(df.column("roles")?.list()?)?) } else { None };
    let salary =
        if facts { Some((df.column("salary_annual")?.f64()?, df.column("salary_currency")?.str()?)) } else { None };
    let mut kw_values = kw.values().iter().skip(kw.offsets().first().copied().unwrap_or(0) as usize);
    let mut role_values =
        roles.as_ref().map(|r| r.values().iter().skip(r.offsets().first().copied().unwrap_or(0) as usize));
    let mut cells: BTreeMap<String, Cell> = BTreeMap::new();
    for (a, b, source) in runs {
        let mut cell = Cell::new(n_keywords);
        cell.postings = (b - a) as u64;
        let span = |l: &read::Lists| (l.offsets()[b] - l.offsets()[a]) as usize;
        for v in kw_values.by_ref().take(span(&kw)) {
            if let Some(&j) = v.and_then(|v| ids.get(v)) {
                cell.keywords[j] += 1;
            }
        }
        if let (Some(roles), Some(values)) = (&roles, role_values.as_mut()) {
            for v in values.by_ref().take(span(roles)) {
                if let Some(j) = v.and_then(|v| crate::roles::ROLES.iter().position(|x| *x == v)) {
                    cell.roles[j] += 1;
                }
            }
        }
        if let Some((annual, currency)) = salary {
            for i in a..b {
                if let (Some(x), Some(c)) = (annual.get(i), currency.get(i)) {
                    cell.salaries.push((x, c.to_string()));
                }
            }
        }
        cells.entry(source.to_string()).or_insert_with(|| Cell::new(n_keywords)).merge(cell);
    }
    Ok(cells)
}

/// What the dataset holds, to explain an empty selection.
#[derive(Debug, Default)]
pub struct Coverage {
    /// Source → postings.
    pub sources: BTreeMap<String, u64>,
    pub months: BTreeSet<String>,
}

impl Coverage {
    /// Reads every index part's `source` column (matching unindexed parts first).
    pub fn of(data: &Path, tax: &Taxonomy) -> Result<Coverage, AnalysisError> {
        let sel = Selection { dedup: Dedup::None, ..Default::default() };
        let a = analyse(data, tax, &sel, &Wants::default())?;
        let mut c = Coverage::default();
        for ((month, source), cell) in &a.cells {
            *c.sources.entry(source.clone()).or_default() += cell.postings;
            c.months.insert(month.clone());
        }
        Ok(c)
    }

    /// Why a selection is empty, in one sentence.
    pub fn explain(&self, data: &Path, sel: &Selection) -> String {
        if self.sources.is_empty() {
            return format!(
                "no postings in {}: the dataset is empty (add some with `jobtrend ingest html PATH` or `jobtrend run`)",
                data.display()
            );
        }
        let srcs: Vec<String> = self.sources.iter().map(|(s, n)| format!("{s} ({n})")).collect();
        let (first, last) =
            (self.months.first().cloned().unwrap_or_default(), self.months.last().cloned().unwrap_or_default());
        let unknown: Vec<&str> =
            sel.sources.iter().filter(|s| !self.sources.contains_key(*s)).map(String::as_str).collect();
        let why = if !unknown.is_empty() {
            format!("no source named {}", unknown.join(", "))
        } else {
            "no postings of the selected sources in the selected months".to_string()
        };
        format!(
            "no postings in {} for this selection: {why}. The data cover {first}..{last}; sources: {}",
            data.display(),
            srcs.join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reversed_dates_are_refused() {
        let sel = Selection { since: Some("2025-01".into()), until: Some("2024-01".into()), ..Default::default() };
        assert!(matches!(sel.check(), Err(AnalysisError::Reversed { .. })));
        let ok = Selection { since: Some("2024-01".into()), until: Some("2024-01".into()), ..Default::default() };
        assert!(ok.check().is_ok());
    }

    #[test]
    fn explains_an_unknown_source() {
        let mut c = Coverage::default();
        c.sources.insert("hn".into(), 10);
        c.months.insert("2024-01".into());
        c.months.insert("2024-03".into());
        let sel = Selection { sources: vec!["hnn".into()], ..Default::default() };
        let msg = c.explain(Path::new("d"), &sel);
        assert!(msg.contains("no source named hnn"), "{msg}");
        assert!(msg.contains("2024-01..2024-03") && msg.contains("hn (10)"), "{msg}");
    }
}
