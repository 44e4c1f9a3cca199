//! Salary extraction from free posting text, annualisation, and seniority from titles.
//!
//! In: a posting's plain text (or its title). Out: the salary the text states, as stated
//! ([`Salary`]: min, max, ISO currency, period — not annualised, `max == min` for a single figure),
//! or `None` when the text states none; [`annualise`] turns a stated salary into a yearly figure;
//! [`seniority`] buckets a title into junior/mid/senior/staff/principal/lead.
//!
//! How [`extract`] decides (pure text rules, no model):
//! 1. Every money-like expression is a candidate: optional currency (`$`, `US$`, `USD`, `€`, `£`,
//!    `CA$`, `CHF`, `₹`, `¥`, `SEK`, ...), a number (`150,000`, `65.000`, `120'000`, `150 000`,
//!    `1.5`), an optional multiplier (`k`; `M`/`million`/`B` mark funding/revenue and are never a
//!    salary), an optional trailing currency, optionally a second amount after `-`, `–`, `—`, `to`
//!    (a unit on one side only applies to both: `120-150k`, `$150k-200`), and a period after it
//!    (`/hr`, `per hour`, `an hour`, `/month`, `/day`, `a year`, `p.a.`, `annually`...) or just
//!    before it (`hourly rate`, `day rate`, `monthly`). No period means a year.
//! 2. Vetoes: a pricing, funding or count word right before the amount (`raised`, `revenue`,
//!    `valuation`, `budget`, `stipend`, `price`...) or right after it, before any `+`/`,`
//!    (`users`, `customers`, `ARR`, `Series`, `plan`, `fees`, `signing bonus`...); `401k`.
//! 3. Plausibility per period, scaled per currency (in USD-like units: year 10k..2M, month
//!    1k..100k, week 250..40k, day 50..5k, hour 10..1000; ×100 for JPY etc.).
//! 4. Evidence: with a currency, one of salary context (`salary`, `compensation`, `comp`, `pay`,
//!    `base`, `OTE`, `range`, `equity`, `DOE`...), an explicit period, a `k`, a range, a trailing
//!    `+`, or a place among the `|` fields of an HN first line. **A bare number without currency
//!    (`120-150k`) counts only with a `k` and either salary context (`salary`, `comp`, `base`,
//!    `equity`, `range`, `DOE`...) or a place in an HN first line's `|` fields; its currency is
//!    then the one region the first line names (London/UK → GBP, Berlin/Paris/EU... → EUR,
//!    Zurich → CHF, Toronto/Canada → CAD, Sydney → AUD, US places → USD), USD when it names
//!    none, and the amount is dropped when it names several (`Berlin or NYC`).** The best-scored
//!    candidate wins (salary context, an explicit period, a place in the first line); ties go to
//!    the first in the text.
//!
//! How the candidates are found: the text is scanned for the next byte that may start a digit
//! (`scan.rs`, eight bytes at a time); a number that is surely a lone number there (no currency
//! byte before it, nothing a multiplier, currency or range could start with after it) is skipped
//! without the regex, as the regex loop skips lone numbers; otherwise the candidate regex runs
//! from at most a currency prefix before that digit, and a match that `candidate` would drop at
//! once (glued to a word or number) is skipped without reading its groups. `tests_fast.rs` checks
//! each of these against the plain regex loop.
//!
//! Files, one per step: `candidate.rs` (the candidate regex, reading one candidate, its score),
//! `numbers.rs` (numbers and multipliers), `currency.rs` (currency codes, scales, the currency of
//! a first line's places), `vetoes.rs` (`VETO_BEFORE`, `VETO_AFTER`), `period.rs` (the period and
//! plausibility), `words.rs` (word tokens, char boundaries), `scan.rs` (the byte pre-checks);
//! this file holds the public API.

mod candidate;
mod currency;
mod numbers;
mod period;
mod scan;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_fast;
mod vetoes;
mod words;

use candidate::{CANDIDATE, Candidate, candidate, dropped_as_glued};
#[cfg(test)]
use words::words;
use words::{ceil_boundary, for_each_word};

use crate::posting::Salary;

/// The first line of a text, as the candidates of one [`extract`] call see it.
struct Head {
    /// Its end (byte offset).
    end: usize,
    /// True when it has `|`-separated fields (an HN header line).
    fields: bool,
    /// [`currency::location_currency`] of the first line, computed at most once per text.
    currency: std::cell::OnceCell<Option<&'static str>>,
}

/// The salary the text states, as stated (not annualised); `None` when it states none.
pub fn extract(text: &str) -> Option<Salary> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    let head = Head {
        end: first_line_end,
        fields: text[..first_line_end].matches('|').count() >= 1,
        currency: std::cell::OnceCell::new(),
    };
    let mut best: Option<Candidate> = None;
    let mut pos = 0;
    while pos < text.len() {
        // No match without a digit; a lone number is skipped as below, without the regex.
        let Some(d) = scan::next_digit(text, pos) else { break };
        if let Some(end) = scan::lone_number_end(text, d) {
            pos = end;
            continue;
        }
        // No match starts more than a currency prefix before the first digit.
        let from = pos.max(words::floor_boundary(text, d.saturating_sub(scan::MAX_PREFIX)));
        let Some(found) = CANDIDATE.find_at(text, from) else { break };
        // A lone number (digits and thousands separators only) has no currency, no `k` and no
        // second amount, so `candidate` would drop it: skip it without reading its groups.
        // Nor would it keep a match glued to a word or number (`H1B`, `5G`): skip it the same way.
        if found.as_str().bytes().all(|b| b.is_ascii_digit() || b",.' ".contains(&b))
            || dropped_as_glued(text, found.start(), found.end())
        {
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
        // A dropped "range" may hide an amount of its own: look again from its second number.
        let next = resume.filter(|&r| r > whole.start()).unwrap_or(whole.end());
        pos = if next > pos { next } else { ceil_boundary(text, pos + 1) };
    }
    best.map(|c| c.salary)
}

/// A stated salary as a yearly figure: the midpoint × 1 (year), 12 (month), 52 (week), 260 (day),
/// 2080 (hour). `None` for an unknown period or non-finite amounts.
pub fn annualise(s: &Salary) -> Option<f64> {
    let factor = match s.period.as_str() {
        "year" => 1.0,
        "month" => 12.0,
        "week" => 52.0,
        "day" => 260.0,
        "hour" => 2080.0,
        _ => return None,
    };
    let mid = (s.min + s.max) / 2.0 * factor;
    mid.is_finite().then_some(mid)
}

/// Seniority bucket from a title (or an HN first line): `junior`, `mid`, `senior`, `staff`,
/// `principal` or `lead`. Precedence when several words appear: principal > staff > lead >
/// senior > junior; `mid` when none does. Words are those of [`words::words`], read one at a
/// time ([`words::for_each_word`]); `tech lead`, `team lead` are `lead` through the word `lead`.
pub fn seniority(title_or_first_line: &str) -> &'static str {
    const PRINCIPAL: u8 = 1 << 4;
    const STAFF: u8 = 1 << 3;
    const LEAD: u8 = 1 << 2;
    const SENIOR: u8 = 1 << 1;
    const JUNIOR: u8 = 1;
    let mut found = 0u8;
    // The previous word when it starts a junior phrase (`entry level`, `new grad`).
    let mut prev = "";
    for_each_word(title_or_first_line, |w| {
        found |= match w {
            "principal" | "distinguished" | "fellow" => PRINCIPAL,
            "staff" => STAFF,
            "lead" | "leads" | "head" | "director" | "vp" | "cto" | "manager" | "managers" => LEAD,
            "senior" | "sr" | "snr" | "seniors" => SENIOR,
            "junior" | "jr" | "intern" | "interns" | "internship" | "graduate" | "apprentice" | "trainee"
            | "entry-level" => JUNIOR,
            "level" if prev == "entry" => JUNIOR,
            "grad" if prev == "new" => JUNIOR,
            _ => 0,
        };
        prev = match w {
            "entry" => "entry",
            "new" => "new",
            _ => "",
        };
    });
    match found {
        f if f >= PRINCIPAL => "principal",
        f if f >= STAFF => "staff",
        f if f >= LEAD => "lead",
        f if f >= SENIOR => "senior",
        f if f >= JUNIOR => "junior",
        _ => "mid",
    }
}

/// The reference reading of [`seniority`]: all words collected, then looked up (the tests compare).
#[cfg(test)]
fn seniority_reference(title_or_first_line: &str) -> &'static str {
    let ws = words(title_or_first_line);
    let has = |set: &[&str]| ws.iter().any(|w| set.contains(&&**w));
    let phrase = |a: &str, b: &str| ws.windows(2).any(|p| p[0] == a && p[1] == b);
    if has(&["principal", "distinguished", "fellow"]) {
        "principal"
    } else if has(&["staff"]) {
        "staff"
    } else if has(&["lead", "leads", "head", "director", "vp", "cto", "manager", "managers"])
        || phrase("tech", "lead")
        || phrase("team", "lead")
    {
        "lead"
    } else if has(&["senior", "sr", "snr", "seniors"]) {
        "senior"
    } else if has(&[
        "junior",
        "jr",
        "intern",
        "interns",
        "internship",
        "graduate",
        "apprentice",
        "trainee",
        "entry-level",
    ]) || phrase("entry", "level")
        || phrase("new", "grad")
    {
        "junior"
    } else {
        "mid"
    }
}
