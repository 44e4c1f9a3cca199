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
use crate::posting::Salary;

pub(super) static CANDIDATE: LazyLock<Regex> = LazyLock::new(|| {
    let amount = |i: u8| {
        format!(
            r"(?:(?P<pre{i}>{CUR_PRE})[ \u{{a0}}]?)?(?P<n{i}>{NUM})(?:[ \u{{a0}}]?(?P<m{i}>{MULT}))?(?:[ \u{{a0}}]?(?P<post{i}>{CUR_POST}))?"
        )
    };
    let re = format!(r"{}(?:[ \u{{a0}}]*(?:-|–|—|‒|−|~|to|and|till|until)[ \u{{a0}}]*{})?", amount(1), amount(2));
    Regex::new(&re).expect("salary candidate regex")
});

/// Words that make an amount nearby a salary.
static POSITIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:salary|salaries|compensation|comp|pay|pays|paying|base|ote|on[- ]target|tc|total comp|range|band|bands|doe|depending on experience|equity|stock options|options|rsus?|wages?|earn|earning|package|remuneration|annual|annually|per annum|per year|benefits|bonus|gehalt|rate|contract rate)\b",
    )
    .expect("positive regex")
});

/// Stronger salary words: what a bare number (no currency) needs nearby.
static STRONG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:salary|salaries|compensation|comp|base|ote|on[- ]target|tc|total comp|range|band|bands|doe|depending on experience|equity|stock options|remuneration|per annum|per year|wages?|gehalt)\b",
    )
    .expect("strong regex")
});

pub(super) struct Candidate {
    pub(super) salary: Salary,
    pub(super) score: u32,
}

pub(super) fn candidate(
    text: &str,
    caps: &regex::Captures<'_>,
    start: usize,
    end: usize,
    head: &Head,
    resume: &mut Option<usize>,
) -> Option<Candidate> {
    let (first_line_end, first_line_fields) = (head.end, head.fields);
    let g = |name: &str| caps.name(name).map(|m| m.as_str());
    // Not glued to a word or a number before (`H1B`, `A100k`, `v2.5`).
    if let Some(prev) = text[..start].chars().next_back()
        && (prev.is_alphanumeric() || prev == '.' || prev == '_' || prev == '/' || prev == '#')
        && caps.name("pre1").is_none()
    {
        return None;
    }
    if let Some(prev) = text[..start].chars().next_back()
        && caps.name("pre1").is_some_and(|p| p.as_str().starts_with(|c: char| c.is_ascii_alphabetic()))
        && prev.is_alphanumeric()
    {
        return None;
    }
    let n1 = g("n1")?;
    let mut after = &text[end..];
    // Not followed by `%`, a digit, or a letter glued to the last digit (`150ms`, `100%`).
    let ends_with_digit = text[..end].ends_with(|c: char| c.is_ascii_digit());
    if let Some(next) = after.chars().next()
        && (next == '%' || next.is_ascii_digit() || (ends_with_digit && next.is_alphabetic()))
    {
        return None;
    }
    let m1 = mult_of(g("m1"));
    let m2 = mult_of(g("m2"));
    if matches!(m1, Mult::Big) {
        return None;
    }
    let mut v1 = parse_num(n1)?;
    let mut cur: Option<&'static str> = None;
    for name in ["pre1", "post1"] {
        if let Some(t) = g(name) {
            let c = currency_code(t)?;
            cur = Some(merge_currency(cur, c)?);
        }
    }
    let mut k = matches!(m1, Mult::Thousand);
    let mut lakh = matches!(m1, Mult::Lakh);
    // `401k`, `403b`.
    if g("pre1").is_none() && (n1 == "401" || n1 == "403") {
        return None;
    }
    // The optional second amount.
    let mut v2 = None;
    if let Some(n2) = g("n2") {
        *resume = caps.name("pre2").or(caps.name("n2")).map(|m| m.start());
        if matches!(m2, Mult::Big) {
            // `$100K to $100M`: a range of company-sized sums.
            return None;
        }
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
        if let (Some(a), Some(b)) = (cur, cur2) {
            match merge_currency(Some(a), b) {
                Some(c) => {
                    cur = Some(c);
                    cur2 = Some(c);
                }
                None => ok = false,
            }
        }
        if ok && let Some(mut x) = parse_num(n2) {
            let mut a = v1;
            match (&m1, &m2) {
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
            if x >= a && x <= a * 6.0 {
                v1 = a;
                v2 = Some(x);
                k |= matches!(m2, Mult::Thousand);
                lakh |= matches!(m2, Mult::Lakh);
                if cur.is_none() {
                    cur = cur2;
                }
                *resume = None;
            } else if let Some(m) = caps.name("n2") {
                // Not a range: keep the first amount alone, drop what followed it.
                let _ = m;
                after = &text[caps
                    .name("n1")
                    .map_or(end, |m| caps.name("post1").or(caps.name("m1")).map_or(m.end(), |x| x.end()))..];
            }
        } else if let Some(m) = caps.name("n1") {
            after = &text[caps.name("post1").or(caps.name("m1")).map_or(m.end(), |x| x.end())..];
        }
    }
    if v2.is_none() {
        match m1 {
            Mult::Thousand => v1 *= 1000.0,
            Mult::Lakh => v1 *= 100_000.0,
            _ => {}
        }
    }
    let v2 = v2.unwrap_or(v1);
    // Without a currency, a `k` or a lakh nothing below can accept the amount (a bare number needs
    // a `k`): stop before the context is read. Most numbers in a posting end here.
    if cur.is_none() && !k && !lakh {
        return None;
    }
    if lakh {
        cur = cur.or(Some("INR"));
        if cur != Some("INR") {
            return None;
        }
    }
    let range = v2 > v1;
    let b0 = floor_boundary(text, start.saturating_sub(100));
    let before = &text[b0..start];
    let a1 = ceil_boundary(text, end.saturating_add(60).min(text.len()));
    let after_win = &text[end..a1];
    let after_short = &after[..ceil_boundary(after, 60.min(after.len()))];
    if vetoed_before(before) || vetoed_after(after_short) {
        return None;
    }
    // The period.
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
    // Context.
    let positive = POSITIVE.is_match(&before[floor_boundary(before, before.len().saturating_sub(80))..])
        || POSITIVE.is_match(after_win);
    let in_first_line = first_line_fields && end <= first_line_end;
    let plus = after.starts_with('+') || after.trim_start().starts_with("+ equity");
    let currency = match cur {
        Some(c) => c,
        None => {
            let strong = STRONG.is_match(&before[floor_boundary(before, before.len().saturating_sub(80))..])
                || STRONG.is_match(after_win);
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
