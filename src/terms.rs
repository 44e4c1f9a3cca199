//! Terms: any word, phrase or regex, counted over the stored posting text at analysis time.
//!
//! In: a data directory, a [`Selection`] (months, sources) and [`Term`]s (`--term TEXT` literals and
//! `--term-regex RE` patterns). Out: [`TermCounts`] — per (month, source), the postings read and, per term, the
//! postings whose `text` matches it at least once (a posting counts once per term however often it mentions
//! it). [`crate::trends::compute_terms`] turns them into trend rows beside the taxonomy ids.
//!
//! Unlike keyword ids, terms are not in the match index: only the `source` and `text` columns of the postings
//! parts of the selected months are read, one part per worker thread at a time, so memory is bounded by the
//! largest parts, not by the corpus. A part that cannot be read is named in [`TermCounts::problems`] and skipped.
//!
//! # What a literal matches
//! `--term TEXT` matches TEXT case-insensitively (Unicode case folding) where it is **not preceded and not
//! followed by a word character** (a Unicode letter, digit or `_`, as the regex class `\w`). For a term that
//! starts and ends with a word character (`htmx`, `ruby on rails`) this is exactly the regex `(?i)\bTEXT\b`
//! (TEXT escaped). For a term that starts or ends with another character it avoids what `\b` would do there:
//! `c++` matches "C++ developer" and "c++," but not "c++11" (a word character follows); `.net` matches
//! " .NET Core" but not "asp.net" (a word character precedes); `node.js` matches "Node.js" but not
//! "node.jsx". The regex is `(?i)\b{start-half}TEXT\b{end-half}`.
//!
//! `--term-regex RE` is Rust regex syntax, case-insensitive unless the pattern turns it off with `(?-i)`;
//! nothing is added around it (write `\b` yourself).
//!
//! # Names
//! A term's name (the `keyword` value of its rows) is the text as typed, trimmed. A name equal to a taxonomy
//! keyword id is refused ([`TermError::IsKeywordId`]): the id and the term would be two different counts under
//! one name. The same name given twice counts once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use regex::Regex;

use crate::analysis::Selection;
use crate::index::PartProblem;
use crate::keywords::Taxonomy;

/// Errors of terms: bad input (exit 2) or an unreadable dataset directory.
#[derive(Debug, thiserror::Error)]
pub enum TermError {
    #[error("--term: a term must not be empty")]
    Empty,
    #[error("--term-regex {pattern:?}: {message}")]
    BadRegex { pattern: String, message: String },
    #[error(
        "--term {name:?} is the taxonomy keyword id {name:?}: use --keywords {name} for the keyword (its matcher's rules), or --term-regex '\\b{name}\\b' for the plain word"
    )]
    IsKeywordId { name: String },
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// A literal or a regex, compiled.
#[derive(Debug, Clone)]
pub struct Term {
    /// The name in output rows: the text as typed (trimmed).
    pub name: String,
    /// True for `--term-regex`.
    pub is_regex: bool,
    re: Regex,
}

impl Term {
    /// A literal with the word-boundary rule of the module docs.
    pub fn literal(text: &str) -> Result<Term, TermError> {
        let name = text.trim();
        if name.is_empty() {
            return Err(TermError::Empty);
        }
        let re = format!(r"(?i)\b{{start-half}}{}\b{{end-half}}", regex::escape(name));
        let re =
            Regex::new(&re).map_err(|e| TermError::BadRegex { pattern: name.to_string(), message: e.to_string() })?;
        Ok(Term { name: name.to_string(), is_regex: false, re })
    }

    /// A regex, case-insensitive unless it says `(?-i)`; named as typed (not trimmed: spaces may matter).
    pub fn regex(pattern: &str) -> Result<Term, TermError> {
        let name = pattern;
        if name.trim().is_empty() {
            return Err(TermError::Empty);
        }
        let re = Regex::new(&format!("(?i){name}"))
            .map_err(|e| TermError::BadRegex { pattern: name.to_string(), message: e.to_string() })?;
        if re.is_match("") {
            return Err(TermError::BadRegex { pattern: name.to_string(), message: "it matches the empty text".into() });
        }
        Ok(Term { name: name.to_string(), is_regex: true, re })
    }

    /// True when the text mentions the term.
    pub fn is_match(&self, text: &str) -> bool {
        self.re.is_match(text)
    }

    /// Byte spans of every mention, in text order.
    pub fn spans<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (usize, usize)> + 't {
        self.re.find_iter(text).filter(|m| !m.is_empty()).map(|m| (m.start(), m.end()))
    }
}

/// The terms of `--term` and `--term-regex`, in that order, each name once; a name equal to a keyword id of
/// `tax` (ignoring case) is an error.
pub fn parse(literals: &[String], regexes: &[String], tax: &Taxonomy) -> Result<Vec<Term>, TermError> {
    let mut out: Vec<Term> = Vec::new();
    let made = literals.iter().map(|t| Term::literal(t)).chain(regexes.iter().map(|r| Term::regex(r)));
    for t in made {
        let t = t?;
        if tax.index_of(&t.name.to_lowercase()).is_some() {
            return Err(TermError::IsKeywordId { name: t.name });
        }
        if !out.iter().any(|o| o.name == t.name) {
            out.push(t);
        }
    }
    Ok(out)
}

/// Postings read and postings that mention each term, of one (month, source).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermCell {
    pub postings: u64,
    /// Per term, in [`TermCounts::names`] order.
    pub mentions: Vec<u64>,
}

/// What [`count`] found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TermCounts {
    /// The terms' names, in the order given.
    pub names: Vec<String>,
    /// (month, source) → counts.
    pub cells: BTreeMap<(String, String), TermCell>,
    /// Parts that could not be read (skipped).
    pub problems: Vec<PartProblem>,
}

impl TermCounts {
    /// Term `k`'s postings per (month, source), the keys of [`crate::analysis::Analysis::cells`]: one series for
    /// a chart or the report's explorer.
    pub fn series(&self, k: usize) -> BTreeMap<(String, String), u64> {
        self.cells.iter().map(|(key, c)| (key.clone(), c.mentions.get(k).copied().unwrap_or(0))).collect()
    }

    /// Flat rows `(month, source, term, mentions, postings)`, in (month, source, term order): the shape to hand
    /// to a chart or the explorer.
    pub fn rows(&self) -> Vec<(&str, &str, &str, u64, u64)> {
        let mut out = Vec::with_capacity(self.cells.len() * self.names.len());
        for ((month, source), c) in &self.cells {
            for (name, &k) in self.names.iter().zip(&c.mentions) {
                out.push((month.as_str(), source.as_str(), name.as_str(), k, c.postings));
            }
        }
        out
    }
}

/// The postings parts of the months `month_from..=month_to` (open ends: all), with their month, sorted.
pub fn parts_in(
    data: &Path,
    month_from: Option<&str>,
    month_to: Option<&str>,
) -> Result<Vec<(String, PathBuf)>, TermError> {
    let mut out = Vec::new();
    for part in crate::store::part_files(data)? {
        let Some(month) = crate::index::month_of_part(&part) else { continue };
        if month_from.is_some_and(|s| month.as_str() < s) || month_to.is_some_and(|u| month.as_str() > u) {
            continue;
        }
        out.push((month, part));
    }
    Ok(out)
}

/// One part's counts per source, or why it could not be read.
type PartCount = Result<BTreeMap<String, TermCell>, PartProblem>;

/// Counts, per (month, source) of the selection, the postings whose text mentions each term.
pub fn count(data: &Path, sel: &Selection, terms: &[Term]) -> Result<TermCounts, TermError> {
    let parts = parts_in(data, sel.since.as_deref(), sel.until.as_deref())?;
    let counted: Vec<(String, PartCount)> =
        parts.into_par_iter().map(|(month, path)| (month, count_part(&path, sel, terms))).collect();
    let mut out = TermCounts { names: terms.iter().map(|t| t.name.clone()).collect(), ..Default::default() };
    for (month, r) in counted {
        match r {
            Ok(cells) => {
                for (source, c) in cells {
                    let e = out
                        .cells
                        .entry((month.clone(), source))
                        .or_insert_with(|| TermCell { postings: 0, mentions: vec![0; terms.len()] });
                    e.postings += c.postings;
                    for (x, y) in e.mentions.iter_mut().zip(&c.mentions) {
                        *x += y;
                    }
                }
            }
            Err(p) => out.problems.push(p),
        }
    }
    Ok(out)
}

/// One part's counts per source (selected sources only).
fn count_part(path: &Path, sel: &Selection, terms: &[Term]) -> Result<BTreeMap<String, TermCell>, PartProblem> {
    let problem = |reason: String| PartProblem { path: path.to_path_buf(), reason };
    let df = crate::index::read_parquet(path, &["source", "text"]).map_err(problem)?;
    let cols = df.column("source").and_then(|s| Ok((s.str()?.clone(), df.column("text")?.str()?.clone())));
    let (source, text) = cols.map_err(|e| problem(e.to_string()))?;
    let mut cells: BTreeMap<String, TermCell> = BTreeMap::new();
    for (s, t) in source.iter().zip(text.iter()) {
        let s = s.unwrap_or("");
        if !sel.keeps_source(s) {
            continue;
        }
        let cell = match cells.get_mut(s) {
            Some(c) => c,
            None => {
                cells.entry(s.to_string()).or_insert_with(|| TermCell { postings: 0, mentions: vec![0; terms.len()] })
            }
        };
        cell.postings += 1;
        let t = t.unwrap_or("");
        for (k, term) in terms.iter().enumerate() {
            if term.is_match(t) {
                cell.mentions[k] += 1;
            }
        }
    }
    Ok(cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(term: &Term, text: &str) -> Vec<String> {
        term.spans(text).map(|(a, b)| text[a..b].to_string()).collect()
    }

    #[test]
    fn literals_match_whole_words_case_insensitively() {
        let t = Term::literal(" htmx ").unwrap();
        assert_eq!(t.name, "htmx");
        assert_eq!(hits(&t, "HTMX, htmx-powered, (htmx) and htmxy or xhtmx or htmx_2"), ["HTMX", "htmx", "htmx"]);
        let t = Term::literal("c++").unwrap();
        assert_eq!(hits(&t, "C++ and c++, not c++11 or abc++"), ["C++", "c++"]);
        let t = Term::literal(".net").unwrap();
        assert_eq!(hits(&t, ".NET Core, not asp.net or .network"), [".NET"]);
        let t = Term::literal("node.js").unwrap();
        assert_eq!(hits(&t, "Node.js/React, not node.jsx nor nodexjs"), ["Node.js"]);
        let t = Term::literal("ruby on rails").unwrap();
        assert!(t.is_match("Ruby on Rails") && !t.is_match("ruby on railsy"));
        // Unicode word characters count as word characters, as for `\b`.
        assert!(!Term::literal("htmx").unwrap().is_match("éhtmx"));
        assert!(Term::literal("ÉCOLE").unwrap().is_match("une école"));
    }

    #[test]
    fn literals_agree_with_a_plain_word_boundary_regex() {
        let plain = Regex::new(r"(?i)\bhtmx\b").unwrap();
        let t = Term::literal("htmx").unwrap();
        for text in ["htmx", "xhtmx", "htmx2", "é htmx", "htmx.", "_htmx", "Htmx/Alpine", "ähtmx", "htmxö", ""] {
            assert_eq!(t.is_match(text), plain.is_match(text), "{text:?}");
        }
    }

    #[test]
    fn regexes_are_case_insensitive_unless_told() {
        let t = Term::regex(r"\bnext\.?js\b").unwrap();
        assert!(t.is_match("NextJS") && t.is_match("next.js"));
        let t = Term::regex(r"(?-i)\bGo\b").unwrap();
        assert!(t.is_match("Go") && !t.is_match("go"));
        assert!(matches!(Term::regex("(unclosed"), Err(TermError::BadRegex { .. })));
        assert!(matches!(Term::regex("x*"), Err(TermError::BadRegex { .. })));
        assert!(matches!(Term::literal("  "), Err(TermError::Empty)));
    }

    #[test]
    fn counts_postings_per_month_and_source_once_per_term() {
        use crate::posting::Posting;
        let dir = tempfile::tempdir().unwrap();
        let rows = [
            ("hn:1", "hn", "2024-01", "htmx htmx HTMX"),
            ("hn:2", "hn", "2024-01", "no match: xhtmx"),
            ("gh:1", "greenhouse", "2024-01", "htmx and c++"),
            ("hn:3", "hn", "2024-02", "C++ only"),
        ];
        let postings = rows
            .iter()
            .map(|(id, src, month, text)| {
                let mut p = Posting::new(*id, *src, *text);
                p.month = month.to_string();
                p.finish(chrono::Utc::now())
            })
            .collect();
        crate::store::Store::open(dir.path(), false).unwrap().append(postings).unwrap();
        let terms = [Term::literal("htmx").unwrap(), Term::literal("c++").unwrap()];
        let c = count(dir.path(), &Selection::default(), &terms).unwrap();
        assert!(c.problems.is_empty());
        let cell = |m: &str, s: &str| c.cells[&(m.to_string(), s.to_string())].clone();
        assert_eq!(cell("2024-01", "hn"), TermCell { postings: 2, mentions: vec![1, 0] });
        assert_eq!(cell("2024-01", "greenhouse"), TermCell { postings: 1, mentions: vec![1, 1] });
        assert_eq!(cell("2024-02", "hn"), TermCell { postings: 1, mentions: vec![0, 1] });
        assert_eq!(c.series(1).values().sum::<u64>(), 2);
        assert_eq!(c.rows().len(), 6);
        let sel = Selection { since: Some("2024-02".into()), sources: vec!["hn".into()], ..Default::default() };
        let c = count(dir.path(), &sel, &terms).unwrap();
        assert_eq!(c.cells.len(), 1);
        assert_eq!(c.series(1)[&("2024-02".to_string(), "hn".to_string())], 1);
    }

    #[test]
    fn names_are_checked_against_keyword_ids() {
        let tax = Taxonomy::builtin().unwrap();
        let err = parse(&["rust".into()], &[], &tax).unwrap_err();
        assert!(err.to_string().contains("--keywords rust"), "{err}");
        assert!(matches!(parse(&[], &["Rust".into()], &tax), Err(TermError::IsKeywordId { .. })));
        let terms = parse(&["htmx".into(), "htmx".into(), "Svelte".into()], &[r"\brust\b".into()], &tax).unwrap();
        let names: Vec<&str> = terms.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["htmx", "Svelte", r"\brust\b"]);
        assert!(terms[2].is_regex && !terms[0].is_regex);
    }
}
