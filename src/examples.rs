//! Examples: the postings behind a number.
//!
//! In: a data directory, what to look for ([`Needle`]: a keyword id of a [`Taxonomy`], or a [`Term`]), a month,
//! sources and a count ([`Query`]). Out: [`Examples`] — the first `n` postings that mention it, oldest first
//! (`posted_at`, then id; postings without a date last), each with id, source, month, url, title (or first line)
//! and its mentions in about 80 characters of context ([`Example`], [`Snippet`]), and how many postings of the
//! selection mention it, so a share can be checked by hand.
//!
//! - A **keyword id** is looked up in the match index ([`crate::index::ensure_index`]): only the index's `id`,
//!   `source`, `keywords` and `posted_at` columns are read to find the postings, then the text of the `n` shown;
//!   their spans are the ones the matcher counted ([`Matcher::explain`]: kept spans of the id, or of an id that
//!   `implies` it).
//! - A **term** is matched over the `text` of the selected months' parts, one part per worker thread at a time,
//!   as [`crate::terms::count`] does (same postings, same count).
//!
//! A part that cannot be read is named in [`Examples::problems`] and skipped.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use polars::prelude::*;
use rayon::prelude::*;
use serde::Serialize;

use crate::index::{IndexError, IndexPart, PartData, PartProblem};
use crate::keywords::{Matcher, Taxonomy};
use crate::terms::{Term, TermError};

/// Characters of context either side of a match.
pub const CONTEXT: usize = 40;
/// Snippets kept per posting (the JSON `snippet` is the first).
const MAX_SNIPPETS: usize = 3;

/// What to look for.
#[derive(Debug, Clone)]
pub enum Needle {
    /// A keyword, by index into the taxonomy's keywords.
    Keyword(usize),
    Term(Term),
}

/// Where to look and how many to show.
#[derive(Debug, Clone)]
pub struct Query<'a> {
    pub data: &'a Path,
    /// Only this month (`YYYY-MM`).
    pub month: Option<&'a str>,
    /// Only these sources (empty: all).
    pub sources: &'a [String],
    pub n: usize,
}

impl Query<'_> {
    fn keeps(&self, source: &str) -> bool {
        self.sources.is_empty() || self.sources.iter().any(|s| s == source)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExamplesError {
    #[error("the data directory {} does not exist (give the right one with --data DIR)", .0.display())]
    NoDataDir(PathBuf),
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error(transparent)]
    Terms(#[from] TermError),
    #[error("could not build the keyword matcher: {0}")]
    Matcher(String),
}

/// Mentions in context: whitespace runs are one space; `…` marks a cut.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snippet {
    pub text: String,
    /// Character (not byte) offsets of the first mention in `text`.
    pub start: usize,
    pub end: usize,
    /// Character offsets of every mention in `text` (the first is `start..end`), in order.
    pub marks: Vec<(usize, usize)>,
}

impl Snippet {
    /// The snippet with each mention between `open` and `close` (`**`, or ANSI bold on a terminal).
    pub fn marked(&self, open: &str, close: &str) -> String {
        let chars: Vec<char> = self.text.chars().collect();
        let mut out = String::with_capacity(self.text.len() + self.marks.len() * (open.len() + close.len()));
        let mut at = 0;
        for &(a, b) in &self.marks {
            let a = a.clamp(at, chars.len());
            let b = b.clamp(a, chars.len());
            out.extend(&chars[at..a]);
            out.push_str(open);
            out.extend(&chars[a..b]);
            out.push_str(close);
            at = b;
        }
        out.extend(&chars[at..]);
        out
    }
}

/// One posting that mentions it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Example {
    pub id: String,
    pub source: String,
    pub month: String,
    /// The posting's url; for HN postings without one, the comment's page.
    pub url: String,
    /// The title, or the first line of the text (at most 120 characters).
    pub title: String,
    /// The first mentions in context (several when they are close together).
    pub snippet: String,
    /// Character offsets of the first mention in `snippet`.
    pub match_start: usize,
    pub match_end: usize,
    /// Mentions in the posting.
    pub mentions: usize,
    /// Up to 3 snippets, every mention in them marked (the first one is `snippet`).
    #[serde(skip)]
    pub snippets: Vec<Snippet>,
    #[serde(skip)]
    pub posted_at_ms: Option<i64>,
}

/// What [`find`] found.
#[derive(Debug, Default)]
pub struct Examples {
    pub shown: Vec<Example>,
    /// Postings of the selection that mention it.
    pub total: u64,
    pub problems: Vec<PartProblem>,
}

/// Sort key: by month, then posted_at (undated last in their month), then id.
type Key = (String, bool, i64, String);

fn key(month: &str, posted_at: Option<i64>, id: &str) -> Key {
    (month.to_string(), posted_at.is_none(), posted_at.unwrap_or(0), id.to_string())
}

/// The first `q.n` postings that mention the needle, and how many do.
pub fn find(q: &Query<'_>, tax: &Taxonomy, needle: &Needle) -> Result<Examples, ExamplesError> {
    if !q.data.is_dir() {
        return Err(ExamplesError::NoDataDir(q.data.to_path_buf()));
    }
    match needle {
        Needle::Keyword(k) => by_keyword(q, tax, *k),
        Needle::Term(t) => by_term(q, t),
    }
}

/// One posting the index says mentions the keyword.
struct Candidate {
    key: Key,
    month: String,
    part: PathBuf,
}

fn by_keyword(q: &Query<'_>, tax: &Taxonomy, k: usize) -> Result<Examples, ExamplesError> {
    let set = crate::index::ensure_index(q.data, tax, q.month, q.month)?;
    let id = tax.keywords()[k].id.as_str();
    let found: Vec<Result<Vec<Candidate>, PartProblem>> =
        set.parts.par_iter().map(|p| index_candidates(p, id, q)).collect();
    let mut out = Examples { problems: set.problems, ..Default::default() };
    let mut cands = Vec::new();
    for r in found {
        match r {
            Ok(c) => cands.extend(c),
            Err(p) => out.problems.push(p),
        }
    }
    out.total = cands.len() as u64;
    cands.sort_by(|a, b| a.key.cmp(&b.key));
    cands.truncate(q.n);
    if cands.is_empty() {
        return Ok(out);
    }
    let matcher = Matcher::new(tax).map_err(|e| ExamplesError::Matcher(e.to_string()))?;
    let spans = |text: &str| -> Vec<(usize, usize)> {
        matcher
            .explain(text)
            .into_iter()
            .filter(|e| !e.vetoed && (e.id == id || e.implies.iter().any(|i| i == id)))
            .map(|e| (e.offset, e.offset + e.text.len()))
            .collect()
    };
    let mut by_part: BTreeMap<&Path, Vec<&Candidate>> = BTreeMap::new();
    for c in &cands {
        by_part.entry(c.part.as_path()).or_default().push(c);
    }
    for (part, cs) in by_part {
        let wanted: Vec<&str> = cs.iter().map(|c| c.key.3.as_str()).collect();
        match read_postings(part) {
            Ok(rows) => {
                for r in rows.iter().filter(|r| wanted.contains(&r.id.as_str())) {
                    out.shown.push(r.example(&cs[0].month, spans(&r.text)));
                }
            }
            Err(p) => out.problems.push(p),
        }
    }
    out.shown.sort_by_cached_key(|e| key(&e.month, e.posted_at_ms, &e.id));
    Ok(out)
}

/// The postings of one index part that mention `id` (selected sources).
fn index_candidates(p: &IndexPart, id: &str, q: &Query<'_>) -> Result<Vec<Candidate>, PartProblem> {
    let problem = |reason: String| PartProblem { path: p.postings.clone(), reason };
    let cols = ["id", "source", "keywords", "posted_at"];
    let df = match &p.data {
        PartData::File(path) => crate::index::read_parquet(path, &cols)
            .map_err(|r| PartProblem { path: path.clone(), reason: format!("{r} (run `jobtrend verify`)") })?,
        PartData::Memory(df) => df.select(cols).map_err(|e| problem(e.to_string()))?,
    };
    let read = || -> Result<Vec<Candidate>, PolarsError> {
        let ids = df.column("id")?.str()?;
        let sources = df.column("source")?.str()?;
        let posted = df.column("posted_at")?.cast(&DataType::Int64)?;
        let posted = posted.i64()?;
        let kw = crate::analysis::read::Lists::new(df.column("keywords")?.list()?)?;
        let mut out = Vec::new();
        for i in 0..df.height() {
            if q.keeps(sources.get(i).unwrap_or("")) && kw.row(i).any(|k| k == id) {
                let key = key(&p.month, posted.get(i), ids.get(i).unwrap_or(""));
                out.push(Candidate { key, month: p.month.clone(), part: p.postings.clone() });
            }
        }
        Ok(out)
    };
    read().map_err(|e| problem(e.to_string()))
}

/// The columns of a postings row an example needs.
struct Row {
    id: String,
    source: String,
    url: Option<String>,
    title: Option<String>,
    text: String,
    posted_at_ms: Option<i64>,
}

impl Row {
    fn example(&self, month: &str, mut spans: Vec<(usize, usize)>) -> Example {
        spans.sort_unstable();
        let mut last = 0;
        spans.retain(|&(a, b)| {
            let keep = a >= last && b > a;
            last = last.max(b);
            keep
        });
        let groups = group_spans(&self.text, &spans);
        let snippets: Vec<Snippet> = groups.iter().take(MAX_SNIPPETS).map(|g| snippet(&self.text, g)).collect();
        let first =
            snippets.first().cloned().unwrap_or(Snippet { text: String::new(), start: 0, end: 0, marks: vec![] });
        Example {
            id: self.id.clone(),
            source: self.source.clone(),
            month: month.to_string(),
            url: url_of(&self.id, &self.source, self.url.as_deref()),
            title: title_of(self.title.as_deref(), &self.text),
            snippet: first.text,
            match_start: first.start,
            match_end: first.end,
            mentions: spans.len(),
            snippets,
            posted_at_ms: self.posted_at_ms,
        }
    }
}

/// Every row of a postings part (the columns [`Row`] holds).
fn read_postings(path: &Path) -> Result<Vec<Row>, PartProblem> {
    let problem = |reason: String| PartProblem { path: path.to_path_buf(), reason };
    let df =
        crate::index::read_parquet(path, &["id", "source", "url", "title", "text", "posted_at"]).map_err(problem)?;
    let read = || -> Result<Vec<Row>, PolarsError> {
        let s = |name: &str| df.column(name).and_then(|c| c.str().cloned());
        let (id, source, url, title, text) = (s("id")?, s("source")?, s("url")?, s("title")?, s("text")?);
        let posted = df.column("posted_at")?.cast(&DataType::Int64)?;
        let posted = posted.i64()?;
        Ok((0..df.height())
            .map(|i| Row {
                id: id.get(i).unwrap_or("").to_string(),
                source: source.get(i).unwrap_or("").to_string(),
                url: url.get(i).map(str::to_string),
                title: title.get(i).map(str::to_string),
                text: text.get(i).unwrap_or("").to_string(),
                posted_at_ms: posted.get(i),
            })
            .collect())
    };
    read().map_err(|e| problem(e.to_string()))
}

fn by_term(q: &Query<'_>, term: &Term) -> Result<Examples, ExamplesError> {
    let parts = crate::terms::parts_in(q.data, q.month, q.month)?;
    // Per part: (postings that mention it, its first n examples).
    let found: Vec<Result<(u64, Vec<Example>), PartProblem>> = parts
        .par_iter()
        .map(|(month, path)| {
            let rows = read_postings(path)?;
            let mut hits: Vec<&Row> = rows.iter().filter(|r| q.keeps(&r.source) && term.is_match(&r.text)).collect();
            let total = hits.len() as u64;
            hits.sort_by_cached_key(|r| key(month, r.posted_at_ms, &r.id));
            Ok((total, hits.iter().take(q.n).map(|r| r.example(month, term.spans(&r.text).collect())).collect()))
        })
        .collect();
    let mut out = Examples::default();
    for r in found {
        match r {
            Ok((total, shown)) => {
                out.total += total;
                out.shown.extend(shown);
            }
            Err(p) => out.problems.push(p),
        }
    }
    out.shown.sort_by_cached_key(|e| key(&e.month, e.posted_at_ms, &e.id));
    out.shown.truncate(q.n);
    Ok(out)
}

/// The posting's url; for an HN posting without one (`hn:N`), its comment page.
pub fn url_of(id: &str, source: &str, url: Option<&str>) -> String {
    match url.filter(|u| !u.trim().is_empty()) {
        Some(u) => u.to_string(),
        None => match id.strip_prefix("hn:").filter(|n| source == "hn" && n.bytes().all(|b| b.is_ascii_digit())) {
            Some(n) if !n.is_empty() => format!("https://news.ycombinator.com/item?id={n}"),
            _ => String::new(),
        },
    }
}

/// The title, else the first non-empty line of the text; at most 120 characters.
pub fn title_of(title: Option<&str>, text: &str) -> String {
    let t = title.map(str::trim).filter(|t| !t.is_empty());
    let t = t.unwrap_or_else(|| text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or(""));
    let mut out: String = t.chars().take(120).collect();
    if t.chars().count() > 120 {
        out.push('…');
    }
    out
}

/// Pushes `s` with every whitespace run as one space.
fn push_flat(out: &mut String, s: &str) {
    for c in s.chars() {
        if c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

/// Mentions close enough to share one snippet (at most [`CONTEXT`] characters between them), in order.
fn group_spans(text: &str, spans: &[(usize, usize)]) -> Vec<Vec<(usize, usize)>> {
    let mut groups: Vec<Vec<(usize, usize)>> = Vec::new();
    for &sp in spans {
        match groups.last_mut() {
            Some(g) if text[g[g.len() - 1].1..sp.0].chars().count() <= CONTEXT => g.push(sp),
            _ => groups.push(vec![sp]),
        }
    }
    groups
}

/// The mentions `spans` (byte offsets, sorted, not overlapping, not empty) with up to [`CONTEXT`] characters
/// before the first and after the last, cut at a space when one is near.
pub fn snippet(text: &str, spans: &[(usize, usize)]) -> Snippet {
    let (first, last) = (spans[0].0, spans[spans.len() - 1].1);
    let (head, tail) = (&text[..first], &text[last..]);
    let before: Vec<char> = head.chars().rev().take(CONTEXT + 1).collect();
    let cut_head = before.len() > CONTEXT;
    let mut head: String = before.iter().take(CONTEXT).rev().collect();
    if cut_head && let Some(i) = head.find(char::is_whitespace).filter(|&i| i < CONTEXT / 3) {
        head = head[i..].to_string();
    }
    let after: Vec<char> = tail.chars().take(CONTEXT + 1).collect();
    let cut_tail = after.len() > CONTEXT;
    let mut tail: String = after.iter().take(CONTEXT).collect();
    if cut_tail && let Some(i) = tail.rfind(char::is_whitespace).filter(|&i| tail.len() - i < CONTEXT / 3) {
        tail.truncate(i);
    }
    let mut s = String::new();
    if cut_head {
        s.push('…');
    }
    push_flat(&mut s, head.trim_start());
    let mut marks = Vec::with_capacity(spans.len());
    for (i, &(a, b)) in spans.iter().enumerate() {
        if i > 0 {
            push_flat(&mut s, &text[spans[i - 1].1..a]);
        }
        let m = s.chars().count();
        push_flat(&mut s, &text[a..b]);
        marks.push((m, s.chars().count()));
    }
    push_flat(&mut s, tail.trim_end());
    if cut_tail {
        s.push('…');
    }
    Snippet { text: s, start: marks[0].0, end: marks[0].1, marks }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_keep_the_match_and_some_context() {
        let text = format!("{}We build with\n\n TypeScript and Go.{}", "x ".repeat(60), " y".repeat(60));
        let at = text.find("TypeScript").unwrap();
        let s = snippet(&text, &[(at, at + "TypeScript".len())]);
        let chars: Vec<char> = s.text.chars().collect();
        assert_eq!(chars[s.start..s.end].iter().collect::<String>(), "TypeScript");
        assert!(s.text.starts_with('…') && s.text.ends_with('…'), "{}", s.text);
        assert!(s.text.contains("We build with TypeScript and Go."), "{}", s.text);
        assert!(s.text.chars().count() <= 2 * CONTEXT + "TypeScript".len() + 2);
        assert_eq!(s.marked("**", "**").matches("**TypeScript**").count(), 1);
        // Short text, non-ASCII around, match at the very end.
        let text = "Café — rust";
        let s = snippet(text, &[(text.len() - 4, text.len())]);
        assert_eq!(s, Snippet { text: "Café — rust".into(), start: 7, end: 11, marks: vec![(7, 11)] });
        assert_eq!(s.marked("[", "]"), "Café — [rust]");
        // Mentions close together share a snippet.
        let text = "Go,\n  go and GO";
        let spans = [(0, 2), (6, 8), (13, 15)];
        assert_eq!(group_spans(text, &spans).len(), 1);
        assert_eq!(snippet(text, &spans).marked("[", "]"), "[Go], [go] and [GO]");
        let far = format!("go{}go", " x".repeat(CONTEXT));
        assert_eq!(group_spans(&far, &[(0, 2), (far.len() - 2, far.len())]).len(), 2);
    }

    #[test]
    fn urls_and_titles() {
        assert_eq!(url_of("hn:123", "hn", None), "https://news.ycombinator.com/item?id=123");
        assert_eq!(url_of("hn:123", "hn", Some("https://x.example/j")), "https://x.example/j");
        assert_eq!(url_of("gh:acme:1", "greenhouse", None), "");
        assert_eq!(title_of(None, "\n  Acme | Backend | Remote\nmore"), "Acme | Backend | Remote");
        assert_eq!(title_of(Some("Engineer"), "text"), "Engineer");
        assert_eq!(title_of(None, &"a".repeat(200)).chars().count(), 121);
    }
}
