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

/// Pieces of first lines and salary context: places (some non-ASCII, in several cases), salary
/// words, and characters that matter to Unicode `\b` or case folding.
const PLACE_PIECES: &[&str] = &[
    "München",
    "MÜNCHEN",
    "munich",
    "köln",
    "KÖLN",
    "Düsseldorf",
    "Zürich",
    "zurich",
    "Montréal",
    "MONTRÉAL",
    "montreal",
    "Berlin",
    "London",
    "NYC",
    "u.s.a.",
    "US",
    "Austin, TX",
    "san jose",
    "Sydney",
    "EU",
    "emea",
    "salary",
    "comp",
    "on-target",
    "ON TARGET",
    "total comp",
    "DOE",
    "rsus",
    "wage",
    "Gehalt",
    "base",
    "equity",
    "\u{212a}",
    "ſ",
    "ſalary",
    "é",
    "ü",
    "Ü",
    "•",
    "–",
    "_",
    "İ",
    "١",
    "x",
    "k",
    "s",
    " ",
    " ",
    ", ",
    "|",
    "-",
    "\u{a0}",
];

fn line_of(pieces: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PLACE_PIECES), 0..pieces).prop_map(|v| v.concat())
}

/// [`currency::PLACE_RULES`] as one Unicode set, as `location_currency` ran them before.
fn location_currency_reference(first_line: &str) -> Option<&'static str> {
    static SET: LazyLock<regex::RegexSet> = LazyLock::new(|| {
        let pats = currency::PLACE_RULES.iter().map(|(_, alts)| format!(r"(?i)\b(?:{})\b", alts.join("|")));
        regex::RegexSet::new(pats).unwrap()
    });
    let found: Vec<&str> = SET.matches(first_line).iter().map(|i| currency::PLACE_RULES[i].0).collect();
    match found.as_slice() {
        [] => Some("USD"),
        [one] => Some(one),
        _ => None,
    }
}

/// `re` (an ASCII pattern compiled with `(?i-u)`) compiled with Unicode `\b` and case folding.
fn unicode_of(re: &Regex) -> Regex {
    Regex::new(&format!("(?i){}", re.as_str().strip_prefix("(?i-u)").unwrap())).unwrap()
}

/// The premise of the ASCII images ([`crate::ascii`]) for the salary patterns run through them: no
/// non-ASCII character but the Kelvin sign and the long s folds to one of their characters, and
/// none of them has `_` or NUL.
#[test]
fn only_kelvin_and_long_s_fold_to_salary_pattern_chars() {
    let ascii_places = currency::PLACE_RULES.iter().flat_map(|(_, alts)| alts.iter().copied().filter(|a| a.is_ascii()));
    let chars: String = ascii_places.chain([candidate::POSITIVE.as_str(), candidate::STRONG.as_str()]).collect();
    let mut distinct: Vec<char> = chars.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(crate::ascii::non_ascii_folding_to(&distinct.iter().collect::<String>()), ['\u{17f}', '\u{212a}']);
    assert!(!chars.contains(['_', '\0']));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn location_currency_equals_reference(t in line_of(10)) {
        prop_assert_eq!(currency::location_currency(&t), location_currency_reference(&t), "{:?}", t);
    }

    #[test]
    fn context_match_equals_unicode(t in line_of(8)) {
        for re in [&*candidate::POSITIVE, &*candidate::STRONG] {
            prop_assert_eq!(candidate::context_match(re, &t), unicode_of(re).is_match(&t), "{:?} {:?}", re.as_str(), t);
        }
    }
}
