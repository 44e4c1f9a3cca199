//! Phrase lists of the matcher's rules (`exclude`, `soft_exclude`): which phrase, if any, occurs over a span.
//!
//! In: a keyword's phrases, lowercase, in taxonomy order (at construction); per call, a text and a span
//! `[s, e)` of it. Out: the first phrase in list order with an occurrence that overlaps the span and has
//! ASCII word boundaries where the phrase starts or ends with a word byte (see `bounded_at`).
//!
//! How: a short list is tried phrase by phrase at every offset that overlaps the span. A list of
//! [`AUTOMATON_MIN`] phrases or more (`go` has 25 `exclude` and 29 `soft_exclude` phrases) is searched
//! once, with an Aho–Corasick automaton (ASCII case-insensitive, overlapping) over the bytes any
//! overlapping occurrence can cover. Phrase by phrase, the offsets loop was most of `Matcher::scan`'s
//! own time in `perf annotate` of an ingest of the saved HN pages (2026-12-04). The tests check the
//! two ways against each other.

use aho_corasick::{AhoCorasick, Input, MatchKind};

use super::matcher::bounded_at;

/// Phrases from which a list is searched with an automaton.
const AUTOMATON_MIN: usize = 6;

/// A rule's phrases, with an automaton over them when the list is long.
#[derive(Debug, Clone, Default)]
pub(super) struct Phrases {
    list: Vec<Vec<u8>>,
    automaton: Option<AhoCorasick>,
    /// The longest phrase, in bytes.
    longest: usize,
}

impl Phrases {
    /// `list`: lowercase phrases. A list with an empty phrase keeps the loop (an empty phrase
    /// occurs at every offset, which no automaton match reports).
    pub(super) fn new(list: Vec<Vec<u8>>) -> Phrases {
        let automaton = (list.len() >= AUTOMATON_MIN && list.iter().all(|p| !p.is_empty()))
            .then(|| AhoCorasick::builder().ascii_case_insensitive(true).match_kind(MatchKind::Standard).build(&list))
            .and_then(Result::ok);
        let longest = list.iter().map(Vec::len).max().unwrap_or(0);
        Phrases { list, automaton, longest }
    }

    /// The first phrase in list order with a bounded occurrence at an offset `q` that overlaps
    /// `[s, e)` (`q < e` and `q + len > s`).
    pub(super) fn over(&self, text: &[u8], s: usize, e: usize) -> Option<&[u8]> {
        let Some(ac) = &self.automaton else { return self.over_one_by_one(text, s, e) };
        // Every overlapping occurrence starts at or after `s + 1 - longest` and ends by `e - 1 + longest`.
        let from = (s + 1).saturating_sub(self.longest);
        let to = (e + self.longest).saturating_sub(1).min(text.len());
        let mut first: Option<usize> = None;
        for m in ac.find_overlapping_iter(Input::new(text).range(from..to.max(from))) {
            let (q, i) = (m.start(), m.pattern().as_usize());
            let p = &self.list[i];
            if q < e && q + p.len() > s && first.is_none_or(|f| i < f) && bounded_at(text, q, p) {
                first = Some(i);
            }
        }
        first.map(|i| self.list[i].as_slice())
    }

    /// [`Phrases::over`] phrase by phrase, offset by offset.
    fn over_one_by_one(&self, text: &[u8], s: usize, e: usize) -> Option<&[u8]> {
        let p = self.list.iter().find(|p| {
            // an occurrence at q overlaps [s, e) when q < e and q + len > s
            let lo = (s + 1).saturating_sub(p.len());
            (lo..e).any(|q| bounded_at(text, q, p))
        })?;
        Some(p.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Phrases with word and non-word ends, prefixes of each other, repeated, and one word that the
    /// texts below are made of.
    const PHRASES: &[&str] =
        &["go to", "let's go", "go-to", "to go", "go", "ago", ".go", "go.", "go go", "a go", "to go", "g"];

    #[test]
    fn a_long_list_gets_an_automaton_and_a_short_one_or_one_with_an_empty_phrase_does_not() {
        let lower = |v: &[&str]| v.iter().map(|p| p.as_bytes().to_vec()).collect::<Vec<_>>();
        assert!(Phrases::new(lower(PHRASES)).automaton.is_some());
        assert!(Phrases::new(lower(&PHRASES[..AUTOMATON_MIN - 1])).automaton.is_none());
        let mut with_empty = lower(PHRASES);
        with_empty.push(Vec::new());
        let p = Phrases::new(with_empty);
        assert!(p.automaton.is_none());
        // The empty phrase occurs at offset 1, inside the span 0..2 and overlapping it.
        assert_eq!(p.over(b"xx", 0, 2), Some(&b""[..]));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The automaton gives the phrase the loop gives, for every span of random texts.
        #[test]
        fn the_automaton_finds_what_the_loop_finds(
            picks in prop::collection::vec(0..PHRASES.len(), AUTOMATON_MIN..PHRASES.len() + 3),
            text in "[gGoO .'ltsa\\-x]{0,30}",
        ) {
            let list: Vec<Vec<u8>> = picks.iter().map(|&i| PHRASES[i].as_bytes().to_vec()).collect();
            let fast = Phrases::new(list.clone());
            prop_assert!(fast.automaton.is_some());
            let slow = Phrases { automaton: None, ..fast.clone() };
            let t = text.as_bytes();
            for s in 0..t.len() {
                for e in s + 1..=t.len() {
                    prop_assert_eq!(fast.over(t, s, e), slow.over(t, s, e), "span {}..{}", s, e);
                }
            }
        }
    }
}
