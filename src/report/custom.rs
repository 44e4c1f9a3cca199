//! "Your terms" and "Your keywords": charts of what the user added to the report.
//!
//! In: the trend rows (keyword ids and terms), the taxonomy and the terms' names. Out: extra charts (file name,
//! title, PNG): `terms.png` with the `--term`/`--term-regex` series, and `your-keywords.png` with the keyword
//! ids a `--keywords-dir` adds or changes that no themed chart ([`super::THEMES`]) shows. At most
//! [`PER_CHART`] series per chart; more go to `terms-2.png`, `your-keywords-2.png`, ...

use std::collections::HashSet;

use super::{ReportError, ReportOptions, THEMES, by_keyword, chart_note, series};
use crate::charts::{self, LineChart, Series};
use crate::keywords::{Keyword, Taxonomy};
use crate::trends::TrendRow;

/// Series per chart.
pub const PER_CHART: usize = 8;

/// The keyword ids of `tax` that its overlay adds, or changes from the built-in taxonomy, and that are in no
/// themed chart, in taxonomy order.
pub fn custom_ids(tax: &Taxonomy) -> Vec<String> {
    if tax.is_builtin() {
        return Vec::new();
    }
    let Ok(base) = Taxonomy::builtin() else { return Vec::new() };
    let themed: HashSet<&str> = THEMES.iter().flat_map(|t| t.2.iter().copied()).collect();
    let same = |a: &Keyword, b: &Keyword| {
        Keyword { file: String::new(), ..a.clone() } == Keyword { file: String::new(), ..b.clone() }
    };
    tax.keywords()
        .iter()
        .filter(|k| !themed.contains(k.id.as_str()) && !base.get(&k.id).is_some_and(|b| same(b, k)))
        .map(|k| k.id.clone())
        .collect()
}

/// The "Your terms" and "Your keywords" charts (none when there is nothing to show).
pub fn charts(
    tax: &Taxonomy,
    rows: &[TrendRow],
    terms: &[String],
    opts: &ReportOptions,
) -> Result<Vec<(String, String, Vec<u8>)>, ReportError> {
    let bk = by_keyword(rows);
    let note = chart_note(opts, rows);
    let mut out = Vec::new();
    for (stem, title, ids) in
        [("terms", "Your terms", terms.to_vec()), ("your-keywords", "Your keywords", custom_ids(tax))]
    {
        let ids: Vec<&str> = ids.iter().map(String::as_str).filter(|id| bk.contains_key(id)).collect();
        let chunks: Vec<&[&str]> = ids.chunks(PER_CHART).collect();
        for (i, chunk) in chunks.iter().enumerate() {
            let name = if i == 0 { format!("{stem}.png") } else { format!("{stem}-{}.png", i + 1) };
            let title =
                if chunks.len() > 1 { format!("{title} ({}/{})", i + 1, chunks.len()) } else { title.to_string() };
            let s: Vec<Series> = chunk.iter().map(|id| series(tax, id, &bk[id])).collect();
            let lc = LineChart {
                title: format!("{title}: share of postings that mention each"),
                subtitle: Some(format!("per {}, with 95% intervals", opts.period_name)),
                y_label: "share of postings".into(),
                x_label: opts.period_name.clone(),
                footnote: note.clone(),
                series: s,
                width: opts.width,
                height: opts.height,
                y_max: None,
            };
            let png = charts::line_chart(&lc).map_err(|source| ReportError::Chart { name: name.clone(), source })?;
            out.push((name, title, png));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_ids_are_the_overlay_ids_no_theme_shows() {
        let dir = tempfile::tempdir().unwrap();
        let toml = r#"
[[keyword]]
id = "htmx"
label = "htmx"
category = "frontend"
aliases = ["htmx"]

[[keyword]]
id = "rust"
label = "Rust"
category = "language"
aliases = ["rustlang"]
"#;
        std::fs::write(dir.path().join("mine.toml"), toml).unwrap();
        let tax = Taxonomy::with_overlay(Some(dir.path())).unwrap();
        // rust is replaced but already in the languages chart.
        assert_eq!(custom_ids(&tax), ["htmx"]);
        assert!(custom_ids(&Taxonomy::builtin().unwrap()).is_empty());
    }
}
