//! The period of an amount (step 1 of [`super::extract`]) and its plausibility (step 3).
//!
//! In: the text right after or shortly before an amount, a period word, an amount with its
//! period and currency. Out: the period (`hour`, `day`, `week`, `month`, `year`), and whether the
//! amount is plausible for it.

use std::sync::LazyLock;

use regex::Regex;

use super::currency::currency_scale;

/// A period stated right after an amount.
pub(super) static PERIOD_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^[\ \u{a0}]*(?:(?:USD|EUR|GBP|CAD|AUD|CHF)\b[\ \u{a0}]*)?(?:\(?[\ ]*)?
        (?:
          (?:/[\ ]?|\bper[\ ]+|\ban?[\ ]+|\beach[\ ]+|\bevery[\ ]+)(?P<p>hours?|hrs?|h|years?|yrs?|y|annum|months?|mos?|mths?|m|weeks?|wks?|w|days?|d)\b
        | (?P<q>hourly|annually|annual|yearly|monthly|weekly|daily|per\ annum|p\.\ ?a\.?|pa|p/a|pcm|p/h|ph|p\.h\.)(?:\b|$|[^a-z])
        )",
    )
    .expect("period regex")
});

/// A period stated shortly before an amount (`hourly rate of $90`, `day rate: £500`).
pub(super) static PERIOD_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?P<p>hourly|per hour|an hour|hour rate|day rate|daily rate|per day|daily|monthly|per month|weekly|per week|annual|annually|yearly|per year|per annum)\b",
    )
    .expect("period-before regex")
});

pub(super) fn period_word(p: &str) -> Option<&'static str> {
    let l = p.to_ascii_lowercase();
    let l = l.trim_end_matches('.');
    Some(match l {
        "hour" | "hours" | "hr" | "hrs" | "h" | "hourly" | "p/h" | "ph" | "p.h" | "per hour" | "an hour"
        | "hour rate" => "hour",
        "year" | "years" | "yr" | "yrs" | "y" | "annum" | "annually" | "annual" | "yearly" | "per annum" | "p.a"
        | "p. a" | "pa" | "p/a" | "per year" => "year",
        "month" | "months" | "mo" | "mos" | "mth" | "mths" | "m" | "monthly" | "pcm" | "per month" => "month",
        "week" | "weeks" | "wk" | "wks" | "w" | "weekly" | "per week" => "week",
        "day" | "days" | "d" | "daily" | "per day" | "day rate" | "daily rate" => "day",
        _ => return None,
    })
}

/// Plausible range of a stated amount per period, in USD-like units.
fn period_bounds(period: &str) -> (f64, f64) {
    match period {
        "year" => (10_000.0, 2_000_000.0),
        "month" => (1_000.0, 100_000.0),
        "week" => (250.0, 40_000.0),
        "day" => (50.0, 5_000.0),
        "hour" => (10.0, 1_000.0),
        _ => (f64::INFINITY, 0.0),
    }
}

pub(super) fn plausible(v: f64, period: &str, currency: &str) -> bool {
    let (lo, hi) = period_bounds(period);
    let (sl, sh) = currency_scale(currency);
    v.is_finite() && v >= lo * sl && v <= hi * sh
}
