//! Reading the index one month at a time.
//!
//! In: the [`IndexPart`]s of one month. Out: one DataFrame of their rows (selected sources only,
//! as stored), or `None` when nothing could be read. An index file that
//! cannot be read is rebuilt from its postings part; a postings part that cannot be read either is
//! reported once (path and reason) and skipped. The claim collectors take a month's rows as [`month_rows`]
//! (names numbered by the claims' [`Vocabulary`]), the sample reader as [`rows`].
//!
//! With a duplicates [`Plan`]: reposts are left out and a Boolean column [`COPY`] marks the
//! copies of a job another source holds (the caller counts them apart).

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use polars::prelude::*;

use super::Selection;
use crate::dedup::{Plan, Status};
use crate::index::{self, IndexPart, PartData, PartProblem};
use crate::keywords::{Matcher, Taxonomy};
use crate::predictions::{MonthRows, Vocabulary};

/// Columns read for keyword counts, with roles and salaries, and for the claims (the id orders salaries).
const BASE: &[&str] = &["source", "keywords"];
const FACTS: &[&str] = &["source", "keywords", "roles", "salary_annual", "salary_currency"];
const CLAIMS: &[&str] = &["id", "source", "keywords", "roles", "seniority", "salary_annual", "salary_currency"];

/// The column added with a plan: true for a copy counted in another source ([`Status::Copy`]).
pub const COPY: &str = "copy";

/// What reading needs beyond the parts: where to rebuild a damaged index file.
pub struct Context<'a> {
    tax: &'a Taxonomy,
    plan: Option<&'a Plan>,
    matcher: OnceLock<Option<Matcher>>,
    rebuilt: AtomicUsize,
}

impl<'a> Context<'a> {
    pub fn new(tax: &'a Taxonomy) -> Self {
        Context { tax, plan: None, matcher: OnceLock::new(), rebuilt: AtomicUsize::new(0) }
    }

    /// Reads with a duplicates plan: reposts left out, copies marked in [`COPY`].
    pub fn with_plan(self, plan: Option<&'a Plan>) -> Self {
        Context { plan, ..self }
    }

    /// Index files rebuilt because they could not be read.
    pub fn rebuilt(&self) -> usize {
        self.rebuilt.load(Ordering::Relaxed)
    }

    /// One part's rows (selected sources only); `facts` adds the role, seniority and salary columns.
    pub fn read_one(&self, p: &IndexPart, facts: bool, sel: &Selection) -> Result<DataFrame, PartProblem> {
        self.read_cols(p, if facts { FACTS } else { BASE }, sel)
    }

    fn read_cols(&self, p: &IndexPart, cols: &[&str], sel: &Selection) -> Result<DataFrame, PartProblem> {
        let df = self.read_part(p, cols)?;
        if sel.sources.is_empty() && self.plan.is_none() {
            return Ok(df);
        }
        let status = self.plan.and_then(|plan| plan.of(&p.postings));
        let filtered = |mut df: DataFrame| -> Result<DataFrame, PolarsError> {
            let st = |i: usize| status.and_then(|s| s.get(i)).copied().unwrap_or_default();
            if self.plan.is_some() {
                let copy: BooleanChunked = (0..df.height()).map(|i| Some(st(i) == Status::Copy)).collect();
                df.with_column(Column::from(copy.with_name(COPY.into()).into_series()))?;
            }
            let mask: BooleanChunked = df
                .column("source")?
                .str()?
                .iter()
                .enumerate()
                .map(|(i, s)| Some(s.is_some_and(|s| sel.keeps_source(s)) && st(i) != Status::Repost))
                .collect();
            // On a rayon worker already: `filter` would hand the columns to Polars' own pool.
            df.filter_seq(&mask)
        };
        filtered(df).map_err(|e| problem(&p.postings, &e.to_string()))
    }

    /// The rows of one month's parts with the fact columns (selected sources), as stored. Not sorted: what reads
    /// them counts (order does not matter) or, for a premium claim's salaries, orders by id itself
    /// ([`crate::predictions::MonthRows`]); sorting every month by id was about a seventh of `check`'s time on
    /// 100 copies of the HN index and copied every column.
    pub fn read_month(
        &self,
        parts: &[&IndexPart],
        sel: &Selection,
        problems: &Mutex<Vec<PartProblem>>,
    ) -> Option<DataFrame> {
        let mut frames = Vec::with_capacity(parts.len());
        for p in parts {
            match self.read_cols(p, CLAIMS, sel) {
                Ok(df) => frames.push(df),
                Err(problem) => problems.lock().expect("not poisoned").push(problem),
            }
        }
        let mut df = frames.pop()?;
        for f in frames.iter().rev() {
            df.vstack_mut(f).ok()?;
        }
        Some(df)
    }

    fn read_part(&self, p: &IndexPart, cols: &[&str]) -> Result<DataFrame, PartProblem> {
        match &p.data {
            PartData::Memory(df) => df.select(cols.iter().copied()).map_err(|e| problem(&p.postings, &e.to_string())),
            PartData::File(path) => match index::read_parquet(path, cols) {
                Ok(df) => Ok(df),
                Err(reason) => {
                    tracing::warn!("index file {}: {reason}; rebuilding it", path.display());
                    self.rebuild(p, path, cols)
                }
            },
        }
    }

    /// Re-matches a postings part whose index file is damaged.
    fn rebuild(&self, p: &IndexPart, dest: &Path, cols: &[&str]) -> Result<DataFrame, PartProblem> {
        let Some(matcher) = self.matcher.get_or_init(|| Matcher::new(self.tax).ok()) else {
            return Err(problem(&p.postings, "the keyword matcher could not be built"));
        };
        let mut df = index::match_part(&p.postings, self.tax, matcher).map_err(|r| problem(&p.postings, &r))?;
        self.rebuilt.fetch_add(1, Ordering::Relaxed);
        if let Err(e) = index::write_atomic(dest, &mut df) {
            tracing::warn!("could not rewrite {} ({e}); using it from memory", dest.display());
        }
        df.select(cols.iter().copied()).map_err(|e| problem(&p.postings, &e.to_string()))
    }
}

fn problem(path: &Path, reason: &str) -> PartProblem {
    PartProblem { path: path.to_path_buf(), reason: reason.to_string() }
}

/// A list-of-strings column, row by row, without a Series per row.
pub struct Lists {
    offsets: Vec<i64>,
    values: StringChunked,
}

impl Lists {
    pub fn new(ca: &ListChunked) -> Result<Self, PolarsError> {
        let ca = ca.rechunk();
        let offsets = ChunkExplode::offsets(&*ca)?.as_slice().to_vec();
        let values = ca.get_inner().str()?.rechunk().into_owned();
        Ok(Lists { offsets, values })
    }

    /// Offsets into [`Lists::values`] (row `i` is `offsets[i]..offsets[i + 1]`).
    pub fn offsets(&self) -> &[i64] {
        &self.offsets
    }

    /// Every string of every row, in row order.
    pub fn values(&self) -> &StringChunked {
        &self.values
    }

    /// The strings of row `i`.
    pub fn row(&self, i: usize) -> impl Iterator<Item = &str> + '_ {
        let (a, b) = (self.offsets.get(i).copied().unwrap_or(0), self.offsets.get(i + 1).copied().unwrap_or(0));
        (a..b).filter_map(move |j| self.values.get(j as usize))
    }
}

/// One index row, owned, as the claim collectors take it.
#[derive(Debug, Clone, Default)]
pub struct Row {
    pub source: String,
    pub keywords: Vec<String>,
    pub roles: Vec<String>,
    /// `""` when unknown.
    pub seniority: String,
    pub salary: Option<(f64, String)>,
}

/// The fact columns of a month frame, as [`rows`] and [`month_rows`] read them.
struct FactColumns<'a> {
    source: &'a StringChunked,
    keywords: Lists,
    roles: Lists,
    seniority: &'a StringChunked,
    annual: &'a Float64Chunked,
    currency: &'a StringChunked,
}

impl<'a> FactColumns<'a> {
    fn new(df: &'a DataFrame) -> Result<Self, PolarsError> {
        Ok(FactColumns {
            source: df.column("source")?.str()?,
            keywords: Lists::new(df.column("keywords")?.list()?)?,
            roles: Lists::new(df.column("roles")?.list()?)?,
            seniority: df.column("seniority")?.str()?,
            annual: df.column("salary_annual")?.f64()?,
            currency: df.column("salary_currency")?.str()?,
        })
    }

    /// Row `i`'s `(annual, currency)` when both are stated.
    fn salary(&self, i: usize) -> Option<(f64, &str)> {
        self.annual.get(i).zip(self.currency.get(i))
    }
}

/// The rows of a month frame read with the fact columns, in its order.
pub fn rows(df: &DataFrame) -> Result<Vec<Row>, PolarsError> {
    let f = FactColumns::new(df)?;
    Ok((0..df.height())
        .map(|i| Row {
            source: f.source.get(i).unwrap_or("").to_string(),
            keywords: f.keywords.row(i).map(str::to_string).collect(),
            roles: f.roles.row(i).map(str::to_string).collect(),
            seniority: f.seniority.get(i).unwrap_or("").to_string(),
            salary: f.salary(i).map(|(a, c)| (a, c.to_string())),
        })
        .collect())
}

/// The rows of a month frame read with the fact columns, in its order, numbered by `vocab` for the claim
/// collectors ([`crate::predictions::ClaimCollector::add_month`]); the same facts as [`rows`] gives.
pub fn month_rows(df: &DataFrame, vocab: &Vocabulary) -> Result<MonthRows, PolarsError> {
    let (f, id) = (FactColumns::new(df)?, df.column("id")?.str()?);
    let mut out = MonthRows::default();
    for i in 0..df.height() {
        let (source, seniority) = (f.source.get(i).unwrap_or(""), f.seniority.get(i).unwrap_or(""));
        let (keywords, roles) = (f.keywords.row(i), f.roles.row(i));
        out.push(vocab, id.get(i).unwrap_or(""), source, keywords, roles, f.salary(i), seniority);
    }
    Ok(out)
}
