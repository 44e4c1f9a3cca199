//! Candidates (steps 1 and 4 of [`super::extract`]): one money-like expression of the text, read
//! into a salary and scored, or dropped.
//!
//! In: the text, one match of [`CANDIDATE`] with its position, and the text's first line
//! ([`Head`]). Out: a [`Candidate`] (the salary as stated and its score), or `None` when the match
//! is glued to other text, vetoed, implausible or lacks evidence of being a salary.

use std::sync::LazyLock;

use regex::Regex;

use super::Head;
use super::currency::{CUR_POST, CUR_PRE, currency_code, foreign_code_near, location_currency, merge_currency};
use super::numbers::{MULT, Mult, NUM, mult_of, parse_num};
use super::period::{PERIOD_AFTER, PERIOD_BEFORE, period_word, plausible};
use super::vetoes::{vetoed_after, vetoed_before};
use super::words::{ceil_boundary, floor_boundary};
use crate::ascii::ascii_image;
use crate::posting::Salary;

pub(super) static CANDIDATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&candidate_pattern()).expect("salary candidate regex"));

/// The pattern of [`CANDIDATE`].
fn candidate_pattern() -> String {
    let amount = |i: u8| {
        format!(
            r"(?:(?P<pre{i}>{CUR_PRE})[ \u{{a0}}]?)?(?P<n{i}>{NUM})(?:[ \u{{a0}}]?(?P<m{i}>{MULT}))?(?:[ \u{{a0}}]?(?P<post{i}>{CUR_POST}))?"
        )
    };
    format!(r"{}(?:[ \u{{a0}}]*(?:-|–|—|‒|−|~|to|and|till|until)[ \u{{a0}}]*{})?", amount(1), amount(2))
}

/// Words that make an amount nearby a salary. This and [`STRONG`] are ASCII patterns written for
/// Unicode `\b` and case folding; they are compiled without Unicode and run through
/// [`context_match`] on the text's ASCII image, which gives the same matches (see [`crate::ascii`]).
pub(super) static POSITIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i-u)\b(?:salary|salaries|compensation|comp|pay|pays|paying|base|ote|on[- ]target|tc|total comp|range|band|bands|doe|depending on experience|equity|stock options|options|rsus?|wages?|earn|earning|package|remuneration|annual|annually|per annum|per year|benefits|bonus|gehalt|rate|contract rate)\b",
    )
    .expect("positive regex")
});

/// Stronger salary words: what a bare number (no currency) needs nearby.
pub(super) static STRONG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i-u)\b(?:salary|salaries|compensation|comp|base|ote|on[- ]target|tc|total comp|range|band|bands|doe|depending on experience|equity|stock options|remuneration|per annum|per year|wages?|gehalt)\b",
    )
    .expect("strong regex")
});

/// Whether [`POSITIVE`] or [`STRONG`] matches `s`, as the Unicode pattern would.
pub(super) fn context_match(re: &Regex, s: &str) -> bool {
    if s.is_ascii() { re.is_match(s) } else { re.is_match(&ascii_image(s)) }
}

pub(super) struct Candidate {
    pub(super) salary: Salary,
    pub(super) score: u32,
}

/// The amounts of one candidate as read from its groups: the first amount (`v1`, scaled by its
/// multiplier), the second when it makes a range, the currency marked on them, whether a `k` or a
/// lakh multiplier was seen, and the text after the candidate (after the first amount alone when
/// what followed it was not a range).
struct Amounts<'t> {
    v1: f64,
    v2: Option<f64>,
    cur: Option<&'static str>,
    k: bool,
    lakh: bool,
    after: &'t str,
}

/// The text around a candidate that the vetoes, the period and the context read: up to 100
/// bytes before it, 60 after its end, and 60 after [`Amounts::after`].
struct Windows<'t> {
    before: &'t str,
    after_win: &'t str,
    after_short: &'t str,
}

/// One match of [`CANDIDATE`] (`start..end` in `text`) read into a scored salary, or `None` when
/// it is glued to other text, not an amount, vetoed or without evidence. `resume` is set to the
/// second number of a dropped "range", where [`super::extract`] looks again.
pub(super) fn candidate(
    text: &str,
    caps: &regex::Captures<'_>,
    start: usize,
    end: usize,
    head: &Head,
    resume: &mut Option<usize>,
) -> Option<Candidate> {
    if glued_before(text, caps, start) {
        return None;
    }
    let n1 = caps.name("n1").map(|m| m.as_str())?;
    if glued_after(text, end) {
        return None;
    }
    let amounts = read_amounts(text, caps, n1, end, resume)?;
    let windows = Windows::around(text, start, end, amounts.after);
    if vetoed_before(windows.before) || vetoed_after(windows.after_short) {
        return None;
    }
    let period = read_period(caps, windows.before, windows.after_short);
    evidence(text, end, head, &amounts, &windows, period)
}

/// True when the match is glued to a word or a number before it (`H1B`, `A100k`, `v2.5`), or a
/// letter-led currency (`USD`) follows a letter or digit.
fn glued_before(text: &str, caps: &regex::Captures<'_>, start: usize) -> bool {
    // Not glued to a word or a number before (`H1B`, `A100k`, `v2.5`).
    if glued_to_previous(text, start) && caps.name("pre1").is_none() {
        return true;
    }
    if let Some(prev) = text[..start].chars().next_back()
        && caps.name("pre1").is_some_and(|p| p.as_str().starts_with(|c: char| c.is_ascii_alphabetic()))
        && prev.is_alphanumeric()
    {
        return true;
    }
    false
}

/// True when [`candidate`] drops the match at `start..end` at its first checks, told without its
/// groups: a match that starts with an ASCII digit has no currency prefix, so a word or number
/// glued before it drops it ([`glued_before`]), as does anything glued after it ([`glued_after`]).
pub(super) fn dropped_as_glued(text: &str, start: usize, end: usize) -> bool {
    let no_prefix = text.as_bytes().get(start).is_some_and(u8::is_ascii_digit);
    (no_prefix && glued_to_previous(text, start)) || glued_after(text, end)
}

/// True when the char before `start` is a letter, a digit, `.`, `_`, `/` or `#`.
fn glued_to_previous(text: &str, start: usize) -> bool {
    text[..start]
        .chars()
        .next_back()
        .is_some_and(|prev| prev.is_alphanumeric() || matches!(prev, '.' | '_' | '/' | '#'))
}

/// True when the match is followed by `%`, a digit, or a letter glued to its last digit (`150ms`,
/// `100%`).
fn glued_after(text: &str, end: usize) -> bool {
    let after = &text[end..];
    let ends_with_digit = text[..end].ends_with(|c: char| c.is_ascii_digit());
    if let Some(next) = after.chars().next()
        && (next == '%' || next.is_ascii_digit() || (ends_with_digit && next.is_alphabetic()))
    {
        return true;
    }
    false
}

/// The amounts and units of a candidate (step 1): numbers, multipliers, currencies, the optional
/// second amount. `None` for a company-sized sum (`M`, `B`, crores), an unreadable number,
/// conflicting currency marks, `401k`/`403b`, a bare number without `k` or lakh, or a lakh amount
/// in another currency than INR.
fn read_amounts<'t>(
    text: &'t str,
    caps: &regex::Captures<'_>,
    n1: &str,
    end: usize,
    resume: &mut Option<usize>,
) -> Option<Amounts<'t>> {
    let g = |name: &str| caps.name(name).map(|m| m.as_str());
    let after = &text[end..];
    let m1 = mult_of(g("m1"));
    let m2 = mult_of(g("m2"));
    if matches!(m1, Mult::Big) {
        return None;
    }
    let v1 = parse_num(n1)?;
    let mut cur: Option<&'static str> = None;
    for name in ["pre1", "post1"] {
        if let Some(t) = g(name) {
            let c = currency_code(t)?;
            cur = Some(merge_currency(cur, c)?);
        }
    }
    let k = matches!(m1, Mult::Thousand);
    let lakh = matches!(m1, Mult::Lakh);
    // `401k`, `403b`.
    if g("pre1").is_none() && (n1 == "401" || n1 == "403") {
        return None;
    }
    let mut a = Amounts { v1, v2: None, cur, k, lakh, after };
    // The optional second amount.
    if let Some(n2) = g("n2") {
        read_second(text, caps, n2, end, (&m1, &m2), &mut a, resume)?;
    }
    if a.v2.is_none() {
        match m1 {
            Mult::Thousand => a.v1 *= 1000.0,
            Mult::Lakh => a.v1 *= 100_000.0,
            _ => {}
        }
    }
    // Without a currency, a `k` or a lakh nothing below can accept the amount (a bare number needs
    // a `k`): stop before the context is read. Most numbers in a posting end here.
    if a.cur.is_none() && !a.k && !a.lakh {
        return None;
    }
    if a.lakh {
        a.cur = a.cur.or(Some("INR"));
        if a.cur != Some("INR") {
            return None;
        }
    }
    Some(a)
}

/// The second amount `n2` of a candidate: a range with the first (both scaled, `a.v2` set,
/// `resume` cleared) when it lies between 1 and 6 times the first, else the first amount alone
/// (`a.after` then starts right after it). `None` for a range of company-sized sums.
fn read_second<'t>(
    text: &'t str,
    caps: &regex::Captures<'_>,
    n2: &str,
    end: usize,
    (m1, m2): (&Mult, &Mult),
    a: &mut Amounts<'t>,
    resume: &mut Option<usize>,
) -> Option<()> {
    *resume = caps.name("pre2").or(caps.name("n2")).map(|m| m.start());
    if matches!(m2, Mult::Big) {
        // `$100K to $100M`: a range of company-sized sums.
        return None;
    }
    let (ok, cur2) = second_currency(caps, &mut a.cur);
    if ok && let Some(x) = parse_num(n2) {
        let (lo, x) = scale_range(a.v1, x, m1, m2);
        if x >= lo && x <= lo * 6.0 {
            a.v1 = lo;
            a.v2 = Some(x);
            a.k |= matches!(m2, Mult::Thousand);
            a.lakh |= matches!(m2, Mult::Lakh);
            if a.cur.is_none() {
                a.cur = cur2;
            }
            *resume = None;
        } else if let Some(m) = caps.name("n2") {
            // Not a range: keep the first amount alone, drop what followed it.
            let _ = m;
            a.after = &text[caps
                .name("n1")
                .map_or(end, |m| caps.name("post1").or(caps.name("m1")).map_or(m.end(), |x| x.end()))..];
        }
    } else if let Some(m) = caps.name("n1") {
        a.after = &text[caps.name("post1").or(caps.name("m1")).map_or(m.end(), |x| x.end())..];
    }
    Some(())
}

/// The currency marks of the second amount, merged with `cur` (the first's, which a dollar code
/// may make precise): `(ok, cur2)`, `ok` false when two marks conflict.
fn second_currency(caps: &regex::Captures<'_>, cur: &mut Option<&'static str>) -> (bool, Option<&'static str>) {
    let g = |name: &str| caps.name(name).map(|m| m.as_str());
    let mut ok = true;
    let mut cur2 = None;
    for name in ["pre2", "post2"] {
        if let Some(t) = g(name) {
            match currency_code(t).and_then(|c| match cur2 {
                None => Some(c),
                Some(x) => merge_currency(Some(x), c),
            }) {
                Some(c) => cur2 = Some(c),
                None => ok = false,
            }
        }
    }
    if let (Some(a), Some(b)) = (*cur, cur2) {
        match merge_currency(Some(a), b) {
            Some(c) => {
                *cur = Some(c);
                cur2 = Some(c);
            }
            None => ok = false,
        }
    }
    (ok, cur2)
}

/// Both ends of a range scaled by their multipliers; a multiplier on one side only applies to
/// both (`120-150k`, `$150k-200`).
fn scale_range(v1: f64, mut x: f64, m1: &Mult, m2: &Mult) -> (f64, f64) {
    let mut a = v1;
    match (m1, m2) {
        (Mult::None, Mult::Thousand) if a < 1000.0 => a *= 1000.0,
        (Mult::Thousand, Mult::None) if x < 1000.0 => x *= 1000.0,
        (Mult::None, Mult::Lakh) => a *= 100_000.0,
        (Mult::Lakh, Mult::None) => x *= 100_000.0,
        _ => {}
    }
    match m1 {
        Mult::Thousand => a *= 1000.0,
        Mult::Lakh => a *= 100_000.0,
        _ => {}
    }
    match m2 {
        Mult::Thousand => x *= 1000.0,
        Mult::Lakh => x *= 100_000.0,
        _ => {}
    }
    (a, x)
}

impl<'t> Windows<'t> {
    /// The windows of the candidate at `start..end` in `text`, with `after` from [`Amounts`].
    fn around(text: &'t str, start: usize, end: usize, after: &'t str) -> Self {
        let b0 = floor_boundary(text, start.saturating_sub(100));
        let before = &text[b0..start];
        let a1 = ceil_boundary(text, end.saturating_add(60).min(text.len()));
        let after_win = &text[end..a1];
        let after_short = &after[..ceil_boundary(after, 60.min(after.len()))];
        Windows { before, after_win, after_short }
    }
}

/// The period of a candidate: stated right after it, an `LPA` multiplier (a year), or stated
/// shortly before it; a year when none is. Returns the period and whether it was stated.
fn read_period(caps: &regex::Captures<'_>, before: &str, after_short: &str) -> (&'static str, bool) {
    let g = |name: &str| caps.name(name).map(|m| m.as_str());
    let mut explicit = false;
    let mut period = "year";
    if let Some(p) = PERIOD_AFTER.captures(after_short) {
        if let Some(w) = p.name("p").or(p.name("q")).and_then(|m| period_word(m.as_str())) {
            period = w;
            explicit = true;
        }
    } else if g("m1").is_some_and(|m| m.eq_ignore_ascii_case("lpa")) {
        explicit = true;
    }
    if !explicit {
        let near = &before[floor_boundary(before, before.len().saturating_sub(40))..];
        let near = near.rsplit(['.', ';', '|', '\n']).next().unwrap_or("");
        if let Some(p) = PERIOD_BEFORE.captures_iter(near).last()
            && let Some(w) = p.name("p").and_then(|m| period_word(&m.as_str().to_ascii_lowercase()))
        {
            period = w;
            explicit = true;
        }
    }
    (period, explicit)
}

/// The evidence and score (steps 3 and 4): salary context, a place in an HN first line, a
/// trailing `+`, the currency of a bare amount, plausibility for the period. The scored
/// candidate, or `None` without evidence or when implausible.
fn evidence(
    text: &str,
    end: usize,
    head: &Head,
    a: &Amounts<'_>,
    w: &Windows<'_>,
    (period, explicit): (&'static str, bool),
) -> Option<Candidate> {
    let (first_line_end, first_line_fields) = (head.end, head.fields);
    let Amounts { v1, v2, cur, k, lakh, after } = *a;
    let Windows { before, after_win, after_short } = *w;
    let v2 = v2.unwrap_or(v1);
    let range = v2 > v1;
    // Context.
    let near_before = &before[floor_boundary(before, before.len().saturating_sub(80))..];
    let positive = context_match(&POSITIVE, near_before) || context_match(&POSITIVE, after_win);
    let in_first_line = first_line_fields && end <= first_line_end;
    let plus = after.starts_with('+') || after.trim_start().starts_with("+ equity");
    let currency = match cur {
        Some(c) => c,
        None => {
            let strong = context_match(&STRONG, near_before) || context_match(&STRONG, after_win);
            if !(k && (strong || in_first_line)) || foreign_code_near(before, after_short) {
                return None;
            }
            (*head.currency.get_or_init(|| location_currency(&text[..first_line_end])))?
        }
    };
    if !(positive || explicit || k || lakh || range || plus || in_first_line) {
        return None;
    }
    if !plausible(v1, period, currency) || !plausible(v2, period, currency) {
        return None;
    }
    // Context and an explicit period rank candidates; ties go to the first in the text (a
    // converted figure such as `£70k (~$81k)` comes second).
    let score = 2 * u32::from(positive) + u32::from(explicit) + u32::from(in_first_line);
    Some(Candidate {
        salary: Salary { min: v1, max: v2, currency: currency.to_string(), period: period.to_string() },
        score,
    })
}
