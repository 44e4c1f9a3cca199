//! The fast paths of salary extraction against their reference readings: the byte pre-checks
//! ([`super::scan`]) against [`CANDIDATE`], [`extract`] against the plain regex loop, [`seniority`] and [`for_each_word`] against
//! [`words`].
//!
//! In: generated texts made of the pieces salary text is made of. Out: equality assertions.

use std::sync::LazyLock;

use proptest::prelude::*;
use regex::Regex;

use super::*;

/// The extraction loop without the pre-checks: every match of [`CANDIDATE`] read with its groups.
fn extract_reference(text: &str) -> Option<Salary> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    let head = Head {
        end: first_line_end,
        fields: text[..first_line_end].matches('|').count() >= 1,
        currency: std::cell::OnceCell::new(),
    };
    let mut best: Option<Candidate> = None;
    let mut pos = 0;
    while pos < text.len() {
        let Some(found) = CANDIDATE.find_at(text, pos) else { break };
        if found.as_str().bytes().all(|b| b.is_ascii_digit() || b",.' ".contains(&b)) {
            pos = found.end();
            continue;
        }
        let Some(caps) = CANDIDATE.captures_at(text, found.start()) else { break };
        let Some(whole) = caps.get(0) else { break };
        let mut resume = None;
        if let Some(c) = candidate(text, &caps, whole.start(), whole.end(), &head, &mut resume)
            && best.as_ref().is_none_or(|b| c.score > b.score)
        {
            best = Some(c);
        }
        let next = resume.filter(|&r| r > whole.start()).unwrap_or(whole.end());
        pos = if next > pos { next } else { ceil_boundary(text, pos + 1) };
    }
    best.map(|c| c.salary)
}

/// One Unicode decimal digit, as `\d` reads it.
static DIGIT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d").unwrap());

/// Pieces of posting text around amounts: numbers, separators, currencies, units, words.
const PIECES: &[&str] = &[
    "1",
    "2",
    "5",
    "0",
    "12",
    "150",
    "401",
    "2019",
    "100000",
    ",",
    ".",
    "'",
    " ",
    " ",
    " ",
    "\u{a0}",
    "\u{202f}",
    "’",
    "-",
    "–",
    "~",
    "+",
    "/",
    "%",
    "|",
    "\n",
    "(",
    ")",
    "$",
    "US$",
    "USD",
    "U.S. $",
    "€",
    "£",
    "¥",
    "₹",
    "zł",
    "₪",
    "円",
    "CHF",
    "Rs.",
    "Rs",
    "SEK",
    "k",
    "K",
    "M",
    "m",
    "b",
    "lakh",
    "LPA",
    "Cr",
    "mil",
    "to",
    "and",
    "until",
    "yen",
    "euros",
    "dollars",
    "/hr",
    "per hour",
    "an hour",
    "a year",
    "p.a.",
    "monthly",
    "hourly rate",
    "salary",
    "comp",
    "base",
    "equity",
    "raised",
    "users",
    "Series",
    "London",
    "Berlin",
    "NYC",
    "Remote",
    "Acme",
    "x",
    "v",
    "s",
    "D",
    "S",
    "#",
    "_",
    "١",
    "٢",
    "１",
    "\u{3000}",
    "\t",
    "Senior",
    "Staff",
    "Lead",
    "tech",
    "entry",
    "level",
    "new",
    "grad",
    "İ",
    "\u{212a}",
    "Jr.",
    "Principal",
    "Head",
];

fn text_of(pieces: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..pieces).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn extract_equals_reference(t in text_of(24)) {
        prop_assert_eq!(extract(&t), extract_reference(&t));
    }

    #[test]
    fn lone_numbers_are_what_the_regex_matches(t in text_of(16)) {
        for pos in (0..=t.len()).filter(|&i| t.is_char_boundary(i)) {
            let first_digit = DIGIT.find_at(&t, pos).map(|m| m.start());
            let Some(d) = scan::next_digit(&t, pos) else {
                prop_assert_eq!(first_digit, None);
                continue;
            };
            prop_assert!(first_digit.is_none_or(|f| f >= d));
            let found = CANDIDATE.find_at(&t, pos.max(words::floor_boundary(&t, d.saturating_sub(scan::MAX_PREFIX))));
            prop_assert_eq!(found.map(|m| m.range()), CANDIDATE.find_at(&t, pos).map(|m| m.range()));
            if let Some(end) = scan::lone_number_end(&t, d) {
                let m = CANDIDATE.find_at(&t, pos).unwrap();
                prop_assert_eq!((m.start(), m.end()), (d, end));
                prop_assert!(m.as_str().bytes().all(|b| b.is_ascii_digit() || b",.' ".contains(&b)));
            }
        }
    }

    #[test]
    fn seniority_equals_reference(t in text_of(12)) {
        prop_assert_eq!(seniority(&t), seniority_reference(&t));
    }

    #[test]
    fn for_each_word_equals_words(t in text_of(12)) {
        let mut seen = Vec::new();
        for_each_word(&t, |w| seen.push(w.to_string()));
        prop_assert_eq!(seen, words(&t).into_iter().map(|w| w.into_owned()).collect::<Vec<_>>());
    }
}

#[test]
fn digit_scan_on_long_texts() {
    for t in ["a".repeat(40) + "7", "é".repeat(20) + "x9", "١".to_string() + &"b".repeat(30), "z".repeat(33)] {
        let want = DIGIT.find(&t).map(|m| m.start());
        assert_eq!(scan::next_digit(&t, 0), want, "{t}");
    }
}
