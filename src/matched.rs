//! Matched postings: the dataset seen through the keyword taxonomy.
//!
//! In: the Parquet dataset (via [`crate::store::scan`]) and a [`Taxonomy`]. Out: [`Matched`], one
//! row per posting with its month, source and the keyword indices it mentions — the input of
//! [`crate::trends`] and of the prediction checks. Matching runs on the stored text at analysis
//! time (editing `keywords/` never needs a re-ingest), on all cores.

use std::path::Path;

use polars::prelude::*;
use rayon::prelude::*;

use crate::keywords::{Matcher, Taxonomy};
use crate::store::StoreError;

/// Which postings to analyse.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub since: Option<String>,
    pub until: Option<String>,
    pub sources: Vec<String>,
}

/// Per posting: month, source, keyword indices (into `Taxonomy::keywords()`), sorted.
#[derive(Debug, Default)]
pub struct Matched {
    pub ids: Vec<String>,
    pub months: Vec<String>,
    pub sources: Vec<String>,
    pub titles: Vec<Option<String>>,
    pub texts_len: Vec<u32>,
    pub keywords: Vec<Vec<u16>>,
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
        .select([col("id"), col("month"), col("source"), col("title"), col("text")])
        .sort(["month", "id"], SortMultipleOptions::default())
        .collect()?;
    Ok(Some(df))
}

/// Loads the selected postings and matches every one of them.
pub fn load_and_match(data_dir: &Path, tax: &Taxonomy, matcher: &Matcher, sel: &Selection) -> Result<Matched, MatchedError> {
    let Some(df) = load_frame(data_dir, sel)? else { return Ok(Matched::default()) };
    let _ = tax;
    let strs = |name: &str| -> Result<Vec<Option<String>>, MatchedError> {
        Ok(df.column(name)?.str()?.iter().map(|s| s.map(str::to_string)).collect())
    };
    let texts: Vec<&str> = df.column("text")?.str()?.iter().map(|s| s.unwrap_or("")).collect();
    let keywords: Vec<Vec<u16>> =
        texts.par_iter().map(|t| matcher.find(t).into_iter().map(|(k, _)| k as u16).collect()).collect();
    let bytes = texts.iter().map(|t| t.len() as u64).sum();
    let texts_len = texts.iter().map(|t| t.len() as u32).collect();
    Ok(Matched {
        ids: strs("id")?.into_iter().map(Option::unwrap_or_default).collect(),
        months: strs("month")?.into_iter().map(Option::unwrap_or_default).collect(),
        sources: strs("source")?.into_iter().map(Option::unwrap_or_default).collect(),
        titles: strs("title")?,
        texts_len,
        keywords,
        bytes,
    })
}
