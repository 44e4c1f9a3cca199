//! Candidate spans: where the taxonomy's forms occur in a text, before any rule looks at them.
//!
//! In: the lowercase literal keys and the keyword patterns, at construction; per call, a text and the
//! caller's test of whether an occurrence's case fits one of its key's forms.
//! Out: non-overlapping spans in text order, each with the literal key it matched or `None` for a pattern.
//! They are exactly the matches of one leftmost-first regex
//! `(?-u:\b{start-half})(?:PATTERNS|LITERALS, longest first)(?-u:\b{end-half})`, which is how the
//! matcher found them before; `tests_spans.rs` checks the two against each other on generated texts.
//!
//! How: one Aho–Corasick DFA (the `aho-corasick` crate's `dfa::DFA`: ASCII case-insensitive, every occurrence,
//! overlapping) over all literal keys, stepped through its `Automaton` interface over the two halves of a text at
//! once (see [`Spans::occurrences`]). An occurrence with an ASCII word byte just before or just after it is
//! dropped, as is one whose case the caller says fits none of its key's forms (`GO` for a key whose only form is
//! the exact `Go`). The rest are sorted by start, longest first, and taken from the left, each resuming after the
//! last span taken. Keyword patterns (rare: one in the built-in taxonomy) run as a regex of their own from where
//! the last span ended; a pattern span beats a literal one that starts at the same byte, as it comes first in the
//! alternation. Why not the one regex: its lazy DFA built its states again in every thread's cache, and every match
//! needed a reverse scan for its start; this is about a sixth less user CPU for `match --jsonl` (median 0.70
//! against 0.85 s) (README, Benchmarks). A hand-written DFA that only lets a form start after a non-word byte was
//! tried: at most about 5% faster on `match --jsonl`, not worth keeping an automaton by hand.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind};
use regex::Regex;

/// Texts shorter than this (or than four times the longest key) are scanned in one piece.
pub(super) const SPLIT_MIN: usize = 256;

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
    dfa: DFA,
    /// The unanchored start state of `dfa`.
    start: StateID,
    /// The longest key, in bytes.
    longest: usize,
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
        // No prefilter: with hundreds of keys it would not skip anything, and it makes the start state a
        // special state that the scan has to check after every byte.
        let dfa = DFA::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .prefilter(false)
            .build(keys)
            .map_err(|e| e.to_string())?;
        let start = dfa.start_state(Anchored::No).map_err(|e| e.to_string())?;
        let longest = keys.iter().map(|k| k.as_ref().len()).max().unwrap_or(0);
        let patterns = if patterns.is_empty() {
            None
        } else {
            let alts: Vec<String> = patterns.iter().map(|p| format!("(?i:{p})")).collect();
            let re = format!(r"(?-u:\b{{start-half}})(?:{})(?-u:\b{{end-half}})", alts.join("|"));
            Some(Regex::new(&re).map_err(|e| e.to_string())?)
        };
        Ok(Spans { dfa, start, longest, patterns })
    }

    /// Every span in `text`, in order (see the module doc). `fits(key, occurrence)`: whether the
    /// occurrence's case fits one of the key's forms.
    pub fn find(&self, text: &str, fits: impl Fn(u32, &[u8]) -> bool) -> Vec<Span> {
        let b = text.as_bytes();
        let mut cands: Vec<Span> = Vec::new();
        self.occurrences(b, |s, e, key| {
            let glued = (s > 0 && is_word(b[s - 1])) || (e < b.len() && is_word(b[e]));
            if !glued && fits(key, &b[s..e]) {
                cands.push(Span { start: s, end: e, literal: Some(key) });
            }
        });
        if cands.is_empty() && self.patterns.is_none() {
            return cands;
        }
        cands.sort_unstable_by(|x, y| x.start.cmp(&y.start).then(y.end.cmp(&x.end)));
        self.resolve(text, &cands)
    }

    /// Every occurrence `(start, end, key)` of a key in `b`, overlapping ones included, in no particular
    /// order. The DFA steps one byte at a time and each step waits for the state the last one loaded; a
    /// text of at least [`SPLIT_MIN`] bytes is scanned as two halves in one loop, so each step of one
    /// half overlaps a step of the other. The second half's scan starts `longest - 1` bytes before the
    /// middle, from the start state, and keeps only occurrences that end after the middle: every one of
    /// them starts within that margin or later, and the first half's scan reports those ending at or
    /// before it. On the saved HN pages' posting text (58 MB, 2026-12-04) this took 117-137 ms against
    /// 150-160 ms for the crate's overlapping iterator.
    fn occurrences(&self, b: &[u8], mut emit: impl FnMut(usize, usize, u32)) {
        let n = b.len();
        let dfa = &self.dfa;
        let mut report = |sid: StateID, end: usize| {
            for i in 0..dfa.match_len(sid) {
                let pid = dfa.match_pattern(sid, i);
                emit(end - dfa.pattern_len(pid), end, pid.as_u32());
            }
        };
        let mid = n / 2;
        if n < SPLIT_MIN.max(4 * self.longest) {
            self.step(self.start, b, 0, 0, &mut report);
            return;
        }
        let (first, second) = (&b[..mid], &b[mid + 1 - self.longest.max(1)..]);
        let offset = n - second.len();
        let (mut x, mut y) = (self.start, self.start);
        for (i, (&c, &d)) in first.iter().zip(second).enumerate() {
            x = dfa.next_state(Anchored::No, x, c);
            y = dfa.next_state(Anchored::No, y, d);
            if dfa.is_special(x) | dfa.is_special(y) {
                if dfa.is_match(x) {
                    report(x, i + 1);
                }
                if dfa.is_match(y) && offset + i + 1 > mid {
                    report(y, offset + i + 1);
                }
            }
        }
        self.step(y, &second[first.len()..], offset + first.len(), mid, &mut report);
    }

    /// Steps the DFA from `sid` over `bytes`, which start at offset `at` of the text, and reports each match
    /// state that ends after offset `after`.
    fn step(&self, mut sid: StateID, bytes: &[u8], at: usize, after: usize, report: &mut impl FnMut(StateID, usize)) {
        for (i, &c) in bytes.iter().enumerate() {
            sid = self.dfa.next_state(Anchored::No, sid, c);
            if self.dfa.is_match(sid) && at + i + 1 > after {
                report(sid, at + i + 1);
            }
        }
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
