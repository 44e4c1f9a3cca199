//! The matcher: candidate spans of every form over the text (one automaton), then per-hit rules.
//!
//! In: a [`Taxonomy`] (at construction) and plain text (per call).
//! Out: `(keyword index, mention count)` pairs ([`Matcher::find`]) or every candidate span with its
//! verdict ([`Matcher::explain`]).
//!
//! Steps per text: (1) [`super::spans`] yields candidate spans (ASCII half word boundaries, leftmost, patterns
//! first, then literals longest first); (2) each span is mapped back to its keyword and form (its literal key,
//! else the literal table, else the patterns; an exact-case form wins over a case-insensitive one); (3)
//! `exclude*` rules veto spans;
//! (4) weak forms are kept only with context: local context (adjacent words, a statement of use, nearby words, a
//! list next to another keyword) or, except for `weak_local` forms, a strong mention of a required id elsewhere
//! in the posting; (5) counts are summed per id and propagated along the
//! transitive `implies` closure.

use std::collections::HashMap;

use regex::Regex;
use serde::Serialize;

use super::phrases::Phrases;
use super::spans::{Span, Spans, is_word};
use super::{Keyword, KeywordError, Taxonomy};

/// Bytes either side of a hit searched for `near` words.
const NEAR_WINDOW: usize = 80;
/// Longest gap between two list items ("Python, Go", "TS / Node", "Rust and Go").
const LIST_GAP: usize = 12;

/// Statements of use, right before a weak form (whitespace between is skipped), for keywords with
/// `use_statements = true`: "We use Rust", "Stack: Go", "built with Swift", "Our stack includes Bun".
pub const USE_BEFORE: &[&str] = &[
    "use",
    "uses",
    "using",
    "used",
    "write",
    "writes",
    "writing",
    "written in",
    "built with",
    "built in",
    "built on",
    "built using",
    "build with",
    "building with",
    "powered by",
    "runs on",
    "running on",
    "stack:",
    "stack is",
    "stack includes",
    "stack include",
    "stack includes:",
    "tech:",
    "tech stack:",
    "technologies:",
    "technology:",
    "tools:",
    "languages:",
    "language:",
    "backend:",
    "backend is",
    "backend in",
    "frontend:",
    "experience with",
    "experience in",
    "experienced with",
    "experienced in",
    "proficient in",
    "proficiency in",
    "proficiency with",
    "knowledge of",
    "familiar with",
    "familiarity with",
    "fluent in",
    "expertise in",
    "migrating to",
    "migrated to",
    "moving to",
    "adopting",
    "rewriting in",
    "rewritten in",
];

/// Statements of use, right after a weak form (spaces between), for keywords with `use_statements = true`: "a React shop",
/// "Go services", "Node for the API", "Temporal for workflows".
pub const USE_AFTER: &[&str] = &[
    "shop",
    "stack",
    "codebase",
    "code base",
    "monorepo",
    "backend",
    "back-end",
    "services",
    "microservices",
    "developer",
    "developers",
    "engineer",
    "engineers",
    "programmer",
    "programmers",
    "experience",
    "expertise",
    "skills",
    "proficiency",
    "for the api",
    "for our api",
    "for apis",
    "for the backend",
    "for our backend",
    "for backend",
    "for services",
    "for workflows",
    "for orchestration",
    "on the backend",
    "on the server",
    "is a plus",
    "is a big plus",
    "is a bonus",
    "is a big bonus",
    "is nice to have",
    "is preferred",
    "is required",
];

#[derive(Debug, Clone)]
struct Term {
    kw: usize,
    /// Exact form for case-sensitive terms.
    exact: Option<String>,
    weak: bool,
    /// A `weak_local` form: only local context keeps it, never `requires_context`.
    local_only: bool,
    form: String,
}

#[derive(Debug, Clone, Default)]
struct Rules {
    exclude: Phrases,
    soft_exclude: Phrases,
    exclude_before: Vec<Vec<u8>>,
    exclude_after: Vec<Vec<u8>>,
    before: Vec<Vec<u8>>,
    after: Vec<Vec<u8>>,
    near: Vec<Vec<u8>>,
    list_context: bool,
    use_statements: bool,
    requires: Vec<usize>,
}

/// The compiled taxonomy. `Send + Sync`: share one across threads.
#[derive(Debug, Clone)]
pub struct Matcher {
    spans: Spans,
    /// The terms of each literal key, by its index in `spans` (strong before weak, exact case first).
    terms: Vec<Vec<Term>>,
    /// Literal key (lowercase) → its index, for spans a pattern matched.
    keys: HashMap<Vec<u8>, u32>,
    patterns: Vec<(Regex, Term)>,
    rules: Vec<Rules>,
    ids: Vec<String>,
    /// Transitive `implies` targets per keyword (never itself).
    implies: Vec<Vec<usize>>,
}

/// One candidate span and what the rules made of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explained {
    /// Keyword id.
    pub id: String,
    /// The matched text.
    pub text: String,
    /// Byte offset of the match in the input.
    pub offset: usize,
    /// The form that matched: `alias "golang"`, `case-sensitive "Go"`, `pattern "..."`, `weak "Node"`.
    pub rule: String,
    /// True when an exclusion or a missing context rejected the span.
    pub vetoed: bool,
    /// Why it was kept or vetoed: `exclude "go-to-market"`, `list next to "python"`, `no context`, ...
    pub reason: String,
    /// Ids this mention also counts for (`implies`, transitively).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub implies: Vec<String>,
}

#[derive(Debug, Clone)]
struct Hit {
    start: usize,
    end: usize,
    kw: usize,
    weak: bool,
    local_only: bool,
    form: String,
    kind: &'static str,
    veto: Option<String>,
    /// A `soft_exclude` phrase overlaps: vetoed unless local context keeps it.
    soft: Option<String>,
    reason: String,
}

fn lower(s: &str) -> Vec<u8> {
    s.as_bytes().to_ascii_lowercase()
}

fn lower_all(v: &[String]) -> Vec<Vec<u8>> {
    v.iter().map(|s| lower(s)).collect()
}

/// Whether the matched text `m` has a case `t` allows (any case, or its exact form).
#[inline]
fn fits(t: &Term, m: &[u8]) -> bool {
    t.exact.as_deref().is_none_or(|e| e.as_bytes() == m)
}

/// `needle` (lowercase) occurs in `hay` at `at`, ASCII case-insensitively.
#[inline]
fn eq_at(hay: &[u8], at: usize, needle: &[u8]) -> bool {
    at + needle.len() <= hay.len() && hay[at..at + needle.len()].eq_ignore_ascii_case(needle)
}

/// `needle` at `at` with word boundaries at both ends (where the needle itself starts/ends with a word char).
#[inline]
pub(super) fn bounded_at(hay: &[u8], at: usize, needle: &[u8]) -> bool {
    if !eq_at(hay, at, needle) {
        return false;
    }
    let left_ok = !needle.first().is_some_and(|&b| is_word(b)) || at == 0 || !is_word(hay[at - 1]);
    let end = at + needle.len();
    let right_ok = !needle.last().is_some_and(|&b| is_word(b)) || end == hay.len() || !is_word(hay[end]);
    left_ok && right_ok
}

fn is_skip(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'-')
}

/// Each literal key (lowercase) with its terms.
type Literals = Vec<(Vec<u8>, Vec<Term>)>;

/// The literal keys (lowercase, in a fixed order: a span's `literal` indexes them) with the
/// terms of every keyword that has that form, and the keyword patterns, each anchored for
/// classifying a span it matched.
fn terms_of(kws: &[Keyword]) -> Result<(Literals, Vec<(Regex, Term)>), KeywordError> {
    let mut literals: HashMap<Vec<u8>, Vec<Term>> = HashMap::new();
    let mut patterns = Vec::new();
    for (i, k) in kws.iter().enumerate() {
        let groups: [(&Vec<String>, bool, bool, bool); 5] = [
            (&k.aliases, false, false, false),
            (&k.case_sensitive, true, false, false),
            (&k.weak, false, true, false),
            (&k.weak_case_sensitive, true, true, false),
            (&k.weak_local, false, true, true),
        ];
        for (list, cs, weak, local_only) in groups {
            for lit in list {
                literals.entry(lower(lit)).or_default().push(Term {
                    kw: i,
                    exact: cs.then(|| lit.clone()),
                    weak,
                    local_only,
                    form: lit.clone(),
                });
            }
        }
        for p in &k.patterns {
            let anchored = Regex::new(&format!("^(?i:{p})$")).map_err(|e| KeywordError::BadRegex {
                file: k.file.clone(),
                id: k.id.clone(),
                pattern: p.clone(),
                message: e.to_string(),
            })?;
            patterns.push((anchored, Term { kw: i, exact: None, weak: false, local_only: false, form: p.clone() }));
        }
    }
    let mut literals: Literals = literals.into_iter().collect();
    literals.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok((literals, patterns))
}

/// The context rules of each keyword, lowercased; `requires_context` resolved to keyword indices
/// (`@category` to every keyword of the category, never the keyword itself).
fn rules_of(tax: &Taxonomy) -> Vec<Rules> {
    let kws = tax.keywords();
    let categories: HashMap<&str, Vec<usize>> = kws.iter().enumerate().fold(HashMap::new(), |mut m, (i, k)| {
        m.entry(k.category.as_str()).or_default().push(i);
        m
    });
    kws.iter()
        .enumerate()
        .map(|(i, k)| {
            let mut requires = Vec::new();
            for r in &k.requires_context {
                match r.strip_prefix('@') {
                    Some(cat) => requires.extend(categories.get(cat).into_iter().flatten().copied()),
                    None => requires.extend(tax.index_of(r)),
                }
            }
            requires.retain(|&j| j != i);
            requires.sort_unstable();
            requires.dedup();
            Rules {
                exclude: Phrases::new(lower_all(&k.exclude)),
                soft_exclude: Phrases::new(lower_all(&k.soft_exclude)),
                exclude_before: lower_all(&k.exclude_before),
                exclude_after: lower_all(&k.exclude_after),
                before: lower_all(&k.before),
                after: lower_all(&k.after),
                near: lower_all(&k.near),
                list_context: k.list_context,
                use_statements: k.use_statements,
                requires,
            }
        })
        .collect()
}

/// The transitive `implies` targets of each keyword, sorted (never the keyword itself).
fn implies_of(tax: &Taxonomy) -> Vec<Vec<usize>> {
    let kws = tax.keywords();
    (0..kws.len())
        .map(|i| {
            let mut out: Vec<usize> = Vec::new();
            let mut stack: Vec<usize> = kws[i].implies.iter().filter_map(|t| tax.index_of(t)).collect();
            while let Some(j) = stack.pop() {
                if j != i && !out.contains(&j) {
                    out.push(j);
                    stack.extend(kws[j].implies.iter().filter_map(|t| tax.index_of(t)));
                }
            }
            out.sort_unstable();
            out
        })
        .collect()
}

impl Matcher {
    /// Compiles the taxonomy into its span finder ([`Spans`]) plus the rule tables.
    pub fn new(tax: &Taxonomy) -> Result<Matcher, KeywordError> {
        let kws = tax.keywords();
        let (literals, patterns) = terms_of(kws)?;
        let sources: Vec<String> = kws.iter().flat_map(|k| k.patterns.iter().cloned()).collect();
        let spans = Spans::new(&literals.iter().map(|(key, _)| key).collect::<Vec<_>>(), &sources)
            .map_err(KeywordError::Patterns)?;
        let keys = literals.iter().enumerate().map(|(i, (key, _))| (key.clone(), i as u32)).collect();
        // Strong before weak, exact case before case-insensitive, within one literal's candidates.
        let terms = literals
            .into_iter()
            .map(|(_, mut ts)| {
                ts.sort_by_key(|t| (t.weak, t.exact.is_none()));
                ts
            })
            .collect();
        let rules = rules_of(tax);
        let implies = implies_of(tax);
        Ok(Matcher { spans, terms, keys, patterns, rules, ids: kws.iter().map(|k| k.id.clone()).collect(), implies })
    }

    /// Number of keywords (the length of the index space of [`Matcher::find`]).
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when the taxonomy has no keywords.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The id of keyword index `i`.
    pub fn id(&self, i: usize) -> &str {
        &self.ids[i]
    }

    /// `(keyword index, mention count)` for every id the text mentions, sorted by index, after vetoes, context
    /// rules and the `implies` closure (an implied id counts the mentions of the ids that imply it).
    pub fn find(&self, text: &str) -> Vec<(usize, u32)> {
        let hits = self.scan(text, false);
        if hits.is_empty() {
            return Vec::new();
        }
        let mut counts: Vec<(usize, u32)> = Vec::new();
        let mut add = |kw: usize, n: u32| match counts.iter_mut().find(|(k, _)| *k == kw) {
            Some((_, c)) => *c += n,
            None => counts.push((kw, n)),
        };
        for h in hits.iter().filter(|h| h.veto.is_none()) {
            add(h.kw, 1);
            for &t in &self.implies[h.kw] {
                add(t, 1);
            }
        }
        counts.sort_unstable();
        counts
    }

    /// Every candidate span `(start, end)` before any rule, in text order (for the span tests).
    #[cfg(test)]
    pub(super) fn candidate_spans(&self, text: &str) -> Vec<(usize, usize)> {
        self.spans_of(text).into_iter().map(|s| (s.start, s.end)).collect()
    }

    /// The ids [`Matcher::find`] reports, sorted alphabetically (the CLI's output order).
    pub fn find_ids(&self, text: &str) -> Vec<&str> {
        let mut ids: Vec<&str> = self.find(text).into_iter().map(|(i, _)| self.ids[i].as_str()).collect();
        ids.sort_unstable();
        ids
    }

    /// Every candidate span, in text order, with the rule that matched it and why it was kept or vetoed.
    pub fn explain(&self, text: &str) -> Vec<Explained> {
        self.scan(text, true)
            .into_iter()
            .map(|h| Explained {
                id: self.ids[h.kw].clone(),
                text: text[h.start..h.end].to_string(),
                offset: h.start,
                rule: format!("{} {:?}", h.kind, h.form),
                vetoed: h.veto.is_some(),
                reason: h.veto.unwrap_or(h.reason),
                implies: self.implies[h.kw].iter().map(|&t| self.ids[t].clone()).collect(),
            })
            .collect()
    }

    /// The term a span matched: its literal key's first term whose case fits, else (a pattern span)
    /// the literal table by the span's text, else the first pattern that matches it whole.
    fn classify(&self, text: &str, span: Span) -> Option<(&Term, &'static str)> {
        let m = &text[span.start..span.end];
        let literal = span.literal.or_else(|| self.keys.get(&lower(m)).copied());
        if let Some(i) = literal {
            for t in &self.terms[i as usize] {
                if fits(t, m.as_bytes()) {
                    let kind = match (t.weak, t.exact.is_some(), t.local_only) {
                        (false, false, _) => "alias",
                        (false, true, _) => "case-sensitive",
                        (true, _, true) => "weak local",
                        (true, false, false) => "weak",
                        (true, true, false) => "weak case-sensitive",
                    };
                    return Some((t, kind));
                }
            }
        }
        self.patterns.iter().find(|(re, _)| re.is_match(m)).map(|(_, t)| (t, "pattern"))
    }

    /// The candidate spans of `text`, each in a case one of its key's terms allows.
    fn spans_of(&self, text: &str) -> Vec<Span> {
        self.spans.find(text, |i, m| self.terms[i as usize].iter().any(|t| fits(t, m)))
    }

    fn scan(&self, text: &str, explain: bool) -> Vec<Hit> {
        let bytes = text.as_bytes();
        let mut hits = Vec::new();
        for span in self.spans_of(text) {
            let Some((term, kind)) = self.classify(text, span) else { continue };
            let (s, e) = (span.start, span.end);
            let veto = self.veto(term.kw, bytes, s, e);
            let soft = if veto.is_none() { self.soft_veto(term.kw, bytes, s, e) } else { None };
            hits.push(Hit {
                start: s,
                end: e,
                kw: term.kw,
                weak: term.weak,
                local_only: term.local_only,
                form: if explain { term.form.clone() } else { String::new() },
                kind,
                veto,
                soft,
                reason: String::new(),
            });
        }
        if hits.iter().any(|h| (h.weak || h.soft.is_some()) && h.veto.is_none()) {
            let mut strong = vec![false; self.ids.len()];
            for h in hits.iter().filter(|h| !h.weak && h.veto.is_none() && h.soft.is_none()) {
                strong[h.kw] = true;
                for &t in &self.implies[h.kw] {
                    strong[t] = true;
                }
            }
            let decisions: Vec<Option<Result<String, String>>> = (0..hits.len())
                .map(|j| {
                    let h = &hits[j];
                    if h.veto.is_some() {
                        None
                    } else if let Some(soft) = &h.soft {
                        Some(match self.local_context(&hits, j, bytes) {
                            Some(why) => Ok(format!("{soft} overridden: {why}")),
                            None => Err(format!("{soft}, no local context")),
                        })
                    } else if h.weak {
                        Some(self.context(&hits, j, bytes, &strong))
                    } else {
                        None
                    }
                })
                .collect();
            for (h, d) in hits.iter_mut().zip(decisions) {
                match d {
                    Some(Ok(reason)) => h.reason = reason,
                    Some(Err(veto)) => h.veto = Some(veto),
                    None => {}
                }
            }
        }
        if explain {
            for h in hits.iter_mut().filter(|h| !h.weak && h.veto.is_none() && h.soft.is_none()) {
                h.reason = "strong form".into();
            }
        }
        hits
    }

    /// An exclusion that vetoes the span `[s, e)` of keyword `kw`.
    fn veto(&self, kw: usize, text: &[u8], s: usize, e: usize) -> Option<String> {
        let r = &self.rules[kw];
        if let Some(p) = r.exclude.over(text, s, e) {
            return Some(format!("exclude {:?}", String::from_utf8_lossy(p)));
        }
        for p in &r.exclude_before {
            if s >= p.len() && eq_at(text, s - p.len(), p) {
                return Some(format!("exclude_before {:?}", String::from_utf8_lossy(p)));
            }
        }
        for p in &r.exclude_after {
            if eq_at(text, e, p) {
                return Some(format!("exclude_after {:?}", String::from_utf8_lossy(p)));
            }
        }
        None
    }

    /// A `soft_exclude` phrase overlapping `[s, e)`.
    fn soft_veto(&self, kw: usize, text: &[u8], s: usize, e: usize) -> Option<String> {
        let p = self.rules[kw].soft_exclude.over(text, s, e)?;
        Some(format!("soft_exclude {:?}", String::from_utf8_lossy(p)))
    }

    /// Why weak hit `j` counts (`Ok`), or why not (`Err`).
    fn context(&self, hits: &[Hit], j: usize, text: &[u8], strong: &[bool]) -> Result<String, String> {
        if let Some(why) = self.local_context(hits, j, text) {
            return Ok(why);
        }
        let h = &hits[j];
        let r = &self.rules[h.kw];
        if r.requires.is_empty() {
            return Err("no context".into());
        }
        if h.local_only {
            return Err("no local context (a weak_local form)".into());
        }
        if let Some(&c) = r.requires.iter().find(|&&c| strong[c]) {
            return Ok(format!("posting mentions {:?}", self.ids[c]));
        }
        Err("no context".into())
    }

    /// Context around hit `j` itself: adjacent words, nearby words, or a list next to another keyword.
    fn local_context(&self, hits: &[Hit], j: usize, text: &[u8]) -> Option<String> {
        let h = &hits[j];
        let r = &self.rules[h.kw];
        if !r.before.is_empty() {
            let mut i = h.start;
            while i > 0 && is_skip(text[i - 1]) {
                i -= 1;
            }
            for p in &r.before {
                if i >= p.len() && bounded_at(text, i - p.len(), p) {
                    return Some(format!("after {:?}", String::from_utf8_lossy(p)));
                }
            }
        }
        if !r.after.is_empty() {
            let mut i = h.end;
            while i < text.len() && is_skip(text[i]) {
                i += 1;
            }
            for p in &r.after {
                if bounded_at(text, i, p) {
                    return Some(format!("before {:?}", String::from_utf8_lossy(p)));
                }
            }
        }
        if r.use_statements {
            // whitespace only: "GO-SHOP" is no statement of use; a line break may follow "Stack:"
            let mut i = h.start;
            while i > 0 && matches!(text[i - 1], b' ' | b'\t' | b'\n' | b'\r') {
                i -= 1;
            }
            if let Some(p) = USE_BEFORE.iter().find(|p| i >= p.len() && bounded_at(text, i - p.len(), p.as_bytes())) {
                return Some(format!("after {p:?} (statement of use)"));
            }
            let mut i = h.end;
            while i < text.len() && matches!(text[i], b' ' | b'\t') {
                i += 1;
            }
            if let Some(p) = USE_AFTER.iter().find(|p| bounded_at(text, i, p.as_bytes())) {
                return Some(format!("before {p:?} (statement of use)"));
            }
        }
        if !r.near.is_empty() {
            let lo = h.start.saturating_sub(NEAR_WINDOW);
            let hi = (h.end + NEAR_WINDOW).min(text.len());
            for p in &r.near {
                if let Some(q) = (lo..hi.saturating_sub(p.len().saturating_sub(1))).find(|&q| bounded_at(text, q, p))
                    && q + p.len() <= hi
                {
                    return Some(format!("near {:?}", String::from_utf8_lossy(p)));
                }
            }
        }
        if r.list_context {
            let usable = |o: &&Hit| o.veto.is_none() && o.soft.is_none() && o.kw != h.kw;
            let prev = hits[..j].iter().rev().find(usable);
            if let Some(o) = prev
                && o.end <= h.start
                && is_list_gap(&text[o.end..h.start])
            {
                return Some(format!("list next to {:?}", self.ids[o.kw]));
            }
            let next = hits[j + 1..].iter().find(usable);
            if let Some(o) = next
                && o.start >= h.end
                && is_list_gap(&text[h.end..o.start])
            {
                return Some(format!("list next to {:?}", self.ids[o.kw]));
            }
        }
        None
    }
}

/// The text between two list items: separators (`#` too: "#go #rust") and at most the words and/or/with/plus/on.
fn is_list_gap(gap: &[u8]) -> bool {
    if gap.is_empty() || gap.len() > LIST_GAP {
        return false;
    }
    gap.split(|&b| matches!(b, b' ' | b'\t' | b'\n' | b',' | b'/' | b'+' | b'&' | b'|' | b'(' | b')' | b';' | b'#'))
        .all(|w| {
            w.is_empty() || ["and", "or", "with", "plus", "on"].iter().any(|x| w.eq_ignore_ascii_case(x.as_bytes()))
        })
}

#[cfg(test)]
mod tests {
    use super::is_list_gap;

    #[test]
    fn list_gaps() {
        for g in [", ", " / ", "/", " + ", ", and ", " or ", " (", ") ", " & ", " #"] {
            assert!(is_list_gap(g.as_bytes()), "{g:?}");
        }
        for g in ["", " to ", ". ", " in the ", ",                 "] {
            assert!(!is_list_gap(g.as_bytes()), "{g:?}");
        }
    }
}
