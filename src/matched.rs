//! Matched postings: the dataset seen through the keyword taxonomy.
//!
//! In: the Parquet dataset (via [`crate::store::scan`]) and a keyword [`Matcher`]. Out: [`Matched`], one
//! row per posting with its month, source and the keyword indices it mentions — the input of
//! [`crate::trends`] and of the prediction checks. Matching runs on the stored text at analysis
//! time (editing `keywords/` never needs a re-ingest), on all cores. Roles, seniority and the
//! stated salary are derived here too, the same way.

use std::path::Path;

use polars::prelude::*;
use rayon::prelude::*;

use crate::keywords::Matcher;
use crate::posting::Salary;
use crate::store::StoreError;

/// Which postings to analyse, and what to derive beyond keywords.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub since: Option<String>,
    pub until: Option<String>,
    pub sources: Vec<String>,
    /// Also classify roles and seniority and extract salaries (the claims and the report need
    /// them; keyword trends do not, and skip the work).
    pub facts: bool,
}

/// Per posting: month, source, keyword indices (into `Taxonomy::keywords()`), sorted.
#[derive(Debug, Default)]
pub struct Matched {
    pub ids: Vec<String>,
    pub months: Vec<String>,
    pub sources: Vec<String>,
    pub titles: Vec<Option<String>>,
    pub keywords: Vec<Vec<u16>>,
    /// Roles from the title or the first line ([`crate::roles::classify`]).
    pub roles: Vec<Vec<&'static str>>,
    /// Seniority from the title or the first line.
    pub seniority: Vec<&'static str>,
    /// Annual salary and currency: the source's structured fields, else the text.
    pub salary: Vec<Option<(f64, String)>>,
    /// Bytes of text matched.
    pub bytes: u64,
}

impl Matched {
    pub fn len(&self) -> usize {
        self.ids.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MatchedError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("dataset: {0}")]
    Polars(#[from] PolarsError),
}

/// Loads the selected postings' id, month, source, title and text.
pub fn load_frame(data_dir: &Path, sel: &Selection) -> Result<Option<DataFrame>, MatchedError> {
    let Some(mut lf) = crate::store::scan(data_dir)? else { return Ok(None) };
    if let Some(s) = &sel.since {
        lf = lf.filter(col("month").gt_eq(lit(s.clone())));
    }
    if let Some(u) = &sel.until {
        lf = lf.filter(col("month").lt_eq(lit(u.clone())));
    }
    if !sel.sources.is_empty() {
        let mut cond = lit(false);
        for s in &sel.sources {
            cond = cond.or(col("source").eq(lit(s.clone())));
        }
        lf = lf.filter(cond);
    }
    let df = lf
        .select([
            col("id"),
            col("month"),
            col("source"),
            col("title"),
            col("text"),
            col("salary_min"),
            col("salary_max"),
            col("salary_currency"),
            col("salary_period"),
        ])
        .sort(["month", "id"], SortMultipleOptions::default())
        .collect()?;
    Ok(Some(df))
}

/// Loads the selected postings and matches every one of them.
pub fn load_and_match(data_dir: &Path, matcher: &Matcher, sel: &Selection) -> Result<Matched, MatchedError> {
    let Some(df) = load_frame(data_dir, sel)? else { return Ok(Matched::default()) };
    let strs = |name: &str| -> Result<Vec<Option<String>>, MatchedError> {
        Ok(df.column(name)?.str()?.iter().map(|s| s.map(str::to_string)).collect())
    };
    let texts: Vec<&str> = df.column("text")?.str()?.iter().map(|s| s.unwrap_or("")).collect();
    let titles: Vec<Option<&str>> = df.column("title")?.str()?.iter().collect();
    let sources: Vec<&str> = df.column("source")?.str()?.iter().map(|s| s.unwrap_or("")).collect();
    let (smin, smax) = (df.column("salary_min")?.f64()?, df.column("salary_max")?.f64()?);
    let (scur, sper) = (df.column("salary_currency")?.str()?, df.column("salary_period")?.str()?);
    let stated: Vec<Option<Salary>> = (0..df.height())
        .map(|i| match (smin.get(i), smax.get(i), scur.get(i), sper.get(i)) {
            (Some(min), Some(max), Some(c), Some(p)) => {
                Some(Salary { min, max, currency: c.to_string(), period: p.to_string() })
            }
            _ => None,
        })
        .collect();
    type Facts = (Vec<u16>, Vec<&'static str>, &'static str, Option<(f64, String)>);
    let facts: Vec<Facts> = (0..texts.len())
        .into_par_iter()
        .map(|i| {
            let text = texts[i];
            let kws = matcher.find(text).into_iter().map(|(k, _)| k as u16).collect();
            if !sel.facts {
                return (kws, Vec::new(), "", None);
            }
            let roles = crate::roles::classify(titles[i], text, sources[i]);
            let head = titles[i].unwrap_or_else(|| text.lines().next().unwrap_or(""));
            let seniority = crate::salary::seniority(head);
            let salary = stated[i]
                .clone()
                .or_else(|| crate::salary::extract(text))
                .and_then(|s| crate::salary::annualise(&s).map(|a| (a, s.currency)));
            (kws, roles, seniority, salary)
        })
        .collect();
    let mut keywords = Vec::with_capacity(facts.len());
    let mut roles = Vec::with_capacity(facts.len());
    let mut seniority = Vec::with_capacity(facts.len());
    let mut salary = Vec::with_capacity(facts.len());
    for (k, r, s, sal) in facts {
        keywords.push(k);
        roles.push(r);
        seniority.push(s);
        salary.push(sal);
    }
    let bytes = texts.iter().map(|t| t.len() as u64).sum();
    Ok(Matched {
        ids: strs("id")?.into_iter().map(Option::unwrap_or_default).collect(),
        months: strs("month")?.into_iter().map(Option::unwrap_or_default).collect(),
        sources: strs("source")?.into_iter().map(Option::unwrap_or_default).collect(),
        titles: strs("title")?,
        keywords,
        roles,
        seniority,
        salary,
        bytes,
    })
}
