//! Candidate spans: where the taxonomy's forms occur in a text, before any rule looks at them.
//!
//! In: the lowercase literal keys and the keyword patterns, at construction; per call, a text and the
//! caller's test of whether an occurrence's case fits one of its key's forms.
//! Out: non-overlapping spans in text order, each with the literal key it matched or `None` for a pattern.
//! They are exactly the matches of one leftmost-first regex
//! `(?-u:\b{start-half})(?:PATTERNS|LITERALS, longest first)(?-u:\b{end-half})`, which is how the
//! matcher found them before; `tests_spans.rs` checks the two against each other on generated texts.
//!
//! How: one Aho–Corasick DFA (the `aho-corasick` crate: ASCII case-insensitive, every occurrence, overlapping)
//! over all literal keys. An occurrence with an ASCII word byte just before or just after it is dropped, as is
//! one whose case the caller says fits none of its key's forms (`GO` for a key whose only form is the exact
//! `Go`). The rest are sorted by start, longest first, and taken from the left, each resuming after the last
//! span taken. Keyword patterns (rare: one in the built-in taxonomy) run as a regex of their own from where the
//! last span ended; a pattern span beats a literal one that starts at the same byte, as it comes first in the
//! alternation. Why not the one regex: its lazy DFA built its states again in every thread's cache, and every
//! match needed a reverse scan for its start; this is about a sixth less user CPU for `match --jsonl` (median
//! 0.70 against 0.85 s) (README, Benchmarks). A hand-written DFA that only lets a form start after a non-word
//! byte was tried: at most about 5% faster on `match --jsonl`, not worth keeping an automaton by hand.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex::Regex;

/// One candidate span: `[start, end)`, and the index of its literal key (`None`: a pattern matched).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Span {
    pub start: usize,
    pub end: usize,
    pub literal: Option<u32>,
}

/// The span finder. `Send + Sync`, immutable after construction.
#[derive(Debug, Clone)]
pub(super) struct Spans {
    ac: AhoCorasick,
    /// All keyword patterns, ASCII half word boundaries around them, in taxonomy order.
    patterns: Option<Regex>,
}

/// An ASCII word byte (`[0-9A-Za-z_]`), as `\b` sees it outside Unicode mode.
#[inline]
pub(super) fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl Spans {
    /// `keys`: the lowercase literal keys, distinct (a span's `literal` is an index into them);
    /// `patterns`: regex sources, matched case-insensitively. Errors name what could not be built.
    pub fn new<K: AsRef<[u8]>>(keys: &[K], patterns: &[String]) -> Result<Spans, String> {
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(keys)
            .map_err(|e| e.to_string())?;
        let patterns = if patterns.is_empty() {
            None
        } else {
            let alts: Vec<String> = patterns.iter().map(|p| format!("(?i:{p})")).collect();
            let re = format!(r"(?-u:\b{{start-half}})(?:{})(?-u:\b{{end-half}})", alts.join("|"));
            Some(Regex::new(&re).map_err(|e| e.to_string())?)
        };
        Ok(Spans { ac, patterns })
    }

    /// Every span in `text`, in order (see the module doc). `fits(key, occurrence)`: whether the
    /// occurrence's case fits one of the key's forms.
    pub fn find(&self, text: &str, fits: impl Fn(u32, &[u8]) -> bool) -> Vec<Span> {
        let b = text.as_bytes();
        let mut cands: Vec<Span> = Vec::new();
        for m in self.ac.find_overlapping_iter(b) {
            let (s, e) = (m.start(), m.end());
            if (s > 0 && is_word(b[s - 1])) || (e < b.len() && is_word(b[e])) {
                continue;
            }
            let key = m.pattern().as_u32();
            if fits(key, &b[s..e]) {
                cands.push(Span { start: s, end: e, literal: Some(key) });
            }
        }
        if cands.is_empty() && self.patterns.is_none() {
            return cands;
        }
        cands.sort_unstable_by(|x, y| x.start.cmp(&y.start).then(y.end.cmp(&x.end)));
        self.resolve(text, &cands)
    }

    /// Leftmost first, longest first at one start, a pattern before any literal at the same start;
    /// the next span starts at or after the end of the one taken.
    fn resolve(&self, text: &str, cands: &[Span]) -> Vec<Span> {
        let mut out = Vec::with_capacity(cands.len());
        let mut pos = 0;
        let mut i = 0;
        let mut pattern = self.pattern_at(text, 0);
        loop {
            while i < cands.len() && cands[i].start < pos {
                i += 1;
            }
            if pattern.is_some_and(|p| p.start < pos) {
                pattern = self.pattern_at(text, pos);
            }
            let next = match (pattern, cands.get(i)) {
                (Some(p), Some(c)) => {
                    if p.start <= c.start {
                        p
                    } else {
                        *c
                    }
                }
                (Some(p), None) => p,
                (None, Some(c)) => *c,
                (None, None) => break,
            };
            out.push(next);
            pos = next.end;
        }
        out
    }

    /// The first non-empty pattern span starting at or after `pos` (the taxonomy rejects patterns
    /// that match the empty string; one that slips through never yields a span).
    fn pattern_at(&self, text: &str, pos: usize) -> Option<Span> {
        let re = self.patterns.as_ref()?;
        let mut from = pos;
        loop {
            let m = re.find_at(text, from)?;
            if !m.is_empty() {
                return Some(Span { start: m.start(), end: m.end(), literal: None });
            }
            from = m.end() + text[m.end()..].chars().next()?.len_utf8();
        }
    }
}
