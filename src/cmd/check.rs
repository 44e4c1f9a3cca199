//! `jobtrend check`: verdicts on the article's predictions. (Wiring in progress.)

use std::path::Path;

use crate::keywords::Taxonomy;
use crate::matched::Matched;
use crate::report::{ReportOptions, VerdictRow};

/// The verdict rows (with a chart per claim) for the report.
pub fn verdict_rows(
    _predictions: Option<&Path>,
    _tax: &Taxonomy,
    _m: &Matched,
    _opts: &ReportOptions,
) -> anyhow::Result<Vec<VerdictRow>> {
    Ok(Vec::new())
}

/// Charts beyond keyword shares (roles, salary premium, projections).
pub fn extra_charts(_tax: &Taxonomy, _m: &Matched, _opts: &ReportOptions) -> anyhow::Result<Vec<(String, String, Vec<u8>)>> {
    Ok(Vec::new())
}
