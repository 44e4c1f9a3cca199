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

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use crate::posting::Salary;

const CUR_PRE: &str = r"(?:USD|CAD|AUD|NZD|SGD|HKD)\s?\$|US\$|USD|U\.S\.\s?\$|CA\$|C\$|CAD|AU\$|A\$|AUD|NZ\$|NZD|S\$|SGD|HK\$|HKD|R\$|BRL|€|EUR|£|GBP|CHF|₹|INR|Rs\.?|CN¥|RMB|CNY|¥|JPY|SEK|NOK|DKK|PLN|zł|ILS|₪|NIS|MXN|CZK|\$";
const CUR_POST: &str = r"(?:USD|EUR|[Ee]uros?|GBP|[Pp]ounds?|CHF|CAD|AUD|NZD|SGD|HKD|SEK|NOK|DKK|PLN|INR|JPY|CNY|RMB|ILS|NIS|MXN|BRL|CZK|[Dd]ollars?|yen)(?-u:\b)|€|£|zł|₪|円|\$";
const NUM: &str = r"\d{1,3}(?:[,.'’\u{a0}\u{202f} ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?";
const MULT: &str = r"[kK](?-u:\b)|[mM]{1,2}(?-u:\b)|mil(?:lion)?s?(?-u:\b)|mn(?-u:\b)|[bB]n?(?-u:\b)|billion|thousand|grand|lakhs?|lacs?|LPA|crores?|Cr(?-u:\b)";

static CANDIDATE: LazyLock<Regex> = LazyLock::new(|| {
    let amount = |i: u8| {
        format!(
            r"(?:(?P<pre{i}>{CUR_PRE})[ \u{{a0}}]?)?(?P<n{i}>{NUM})(?:[ \u{{a0}}]?(?P<m{i}>{MULT}))?(?:[ \u{{a0}}]?(?P<post{i}>{CUR_POST}))?"
        )
    };
    let re = format!(r"{}(?:[ \u{{a0}}]*(?:-|–|—|‒|−|~|to|and|till|until)[ \u{{a0}}]*{})?", amount(1), amount(2));
    Regex::new(&re).expect("salary candidate regex")
});

/// A period stated right after an amount.
static PERIOD_AFTER: LazyLock<Regex> = LazyLock::new(|| {
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
static PERIOD_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?P<p>hourly|per hour|an hour|hour rate|day rate|daily rate|per day|daily|monthly|per month|weekly|per week|annual|annually|yearly|per year|per annum)\b",
    )
    .expect("period-before regex")
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

/// Words right after an amount (before any `+` or `,`) that make it something else than a salary.
const VETO_AFTER: &[&str] = &[
    "users",
    "user",
    "customers",
    "customer",
    "clients",
    "members",
    "subscribers",
    "downloads",
    "installs",
    "visitors",
    "merchants",
    "businesses",
    "companies",
    "developers",
    "people",
    "patients",
    "students",
    "employees",
    "stars",
    "requests",
    "transactions",
    "events",
    "records",
    "messages",
    "queries",
    "revenue",
    "arr",
    "mrr",
    "gmv",
    "sales",
    "bookings",
    "funding",
    "seed",
    "series",
    "round",
    "raise",
    "raised",
    "valuation",
    "investment",
    "investors",
    "capital",
    "grant",
    "grants",
    "prize",
    "prizes",
    "bounty",
    "bounties",
    "fees",
    "fee",
    "plan",
    "plans",
    "subscription",
    "subscriptions",
    "pricing",
    "price",
    "seat",
    "license",
    "licence",
    "budget",
    "stipend",
    "allowance",
    "credit",
    "credits",
    "bonus",
    "relocation",
    "reimbursement",
    "payments",
    "payment",
    "volume",
    "loans",
    "loan",
    "deposits",
    "assets",
    "aum",
    "market",
    "savings",
    "donations",
    "spend",
    "cost",
    "costs",
    "discount",
    "award",
    "awards",
    "scholarship",
    "match",
    "worth",
    "signing",
    "sign-on",
    "stock",
    "shares",
    "deal",
    "deals",
    "tam",
    "under",
    "processed",
    "saved",
    "jobs",
    "hires",
    "lines",
    "rows",
    "miles",
    "km",
    "sq",
    "ft",
    "employers",
    "learning",
    "education",
    "training",
    "equipment",
    "hardware",
    "home",
    "office",
    "wellness",
    "gym",
    "conference",
    "referral",
    "organizations",
    "organisations",
    "teams",
    "brands",
    "sellers",
    "buyers",
    "creators",
    "families",
    "homes",
    "schools",
    "hospitals",
    "restaurants",
    "stores",
    "partners",
    "accounts",
    "devices",
    "vehicles",
    "sites",
    "websites",
    "apps",
    "projects",
    "repos",
    "repositories",
    "contributors",
    "followers",
    "readers",
    "listeners",
    "players",
    "gamers",
    "drivers",
    "riders",
    "doctors",
    "providers",
    "agents",
    "hours",
    "paying",
    "active",
    "new",
    "registered",
    "unique",
];

/// Words shortly before an amount that make it something else than a salary.
const VETO_BEFORE: &[&str] = &[
    "raised",
    "raise",
    "raising",
    "funding",
    "funded",
    "revenue",
    "revenues",
    "arr",
    "mrr",
    "valuation",
    "valued",
    "backed",
    "series",
    "seed",
    "worth",
    "invested",
    "investment",
    "capital",
    "grant",
    "prize",
    "bounty",
    "fees",
    "fee",
    "price",
    "priced",
    "pricing",
    "cost",
    "costs",
    "plan",
    "plans",
    "subscription",
    "stipend",
    "budget",
    "allowance",
    "reimbursement",
    "reimburse",
    "relocation",
    "credits",
    "credit",
    "saved",
    "save",
    "saves",
    "savings",
    "processed",
    "processes",
    "processing",
    "process",
    "manage",
    "manages",
    "managing",
    "generated",
    "generating",
    "generate",
    "generates",
    "sold",
    "sales",
    "gmv",
    "volume",
    "acquired",
    "acquisition",
    "market",
    "match",
    "donate",
    "donated",
    "spend",
    "spent",
    "payout",
    "payouts",
    "loan",
    "loans",
    "deposit",
    "deposits",
    "award",
    "awarded",
    "stock",
    "shares",
    "share",
    "trading",
    "traded",
    "bonus",
    "signing",
    "sign-on",
    "tam",
    "aum",
    "profit",
    "profits",
    "bookings",
    "moved",
    "moves",
    "handles",
    "handled",
    "handling",
    "transacted",
    "lent",
    "originated",
    "underwritten",
    "insured",
    "financing",
    "financed",
    "round",
    "grew",
    "growing",
    "customers",
    "users",
    "invest",
    "invests",
    "incur",
    "incurs",
    "charge",
    "charges",
    "charging",
    "billed",
    "grants",
    "donates",
    "donating",
];

/// Currency code for a prefix or suffix token; `None` for an unknown or ambiguous one.
fn currency_code(tok: &str) -> Option<&'static str> {
    let t = tok.trim().trim_end_matches('.');
    let mut up: String = t.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    if up.len() == 4 && up.ends_with('$') && up[..3].chars().all(|c| c.is_ascii_uppercase()) {
        up.truncate(3);
    }
    Some(match up.as_str() {
        "$" | "US$" | "USD" | "USD$" | "USD $" | "U.S.$" | "U.S. $" | "DOLLAR" | "DOLLARS" => "USD",
        "CA$" | "C$" | "CAD" => "CAD",
        "AU$" | "A$" | "AUD" => "AUD",
        "NZ$" | "NZD" => "NZD",
        "S$" | "SGD" => "SGD",
        "HK$" | "HKD" => "HKD",
        "R$" | "BRL" => "BRL",
        "€" | "EUR" | "EURO" | "EUROS" => "EUR",
        "£" | "GBP" | "POUND" | "POUNDS" => "GBP",
        "CHF" => "CHF",
        "₹" | "INR" | "RS" => "INR",
        "CN¥" | "RMB" | "CNY" => "CNY",
        "¥" | "JPY" | "円" | "YEN" => "JPY",
        "SEK" => "SEK",
        "NOK" => "NOK",
        "DKK" => "DKK",
        "PLN" | "ZŁ" => "PLN",
        "ILS" | "₪" | "NIS" => "ILS",
        "MXN" => "MXN",
        "CZK" => "CZK",
        _ => {
            if t == "zł" {
                "PLN"
            } else {
                return None;
            }
        }
    })
}

/// Two currency marks on one amount: equal, or a bare `$` made precise by a dollar code
/// (`$75k CAD`); `None` when they conflict.
fn merge_currency(a: Option<&'static str>, b: &'static str) -> Option<&'static str> {
    const DOLLARS: &[&str] = &["USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN"];
    match a {
        None => Some(b),
        Some(a) if a == b => Some(a),
        Some("USD") if DOLLARS.contains(&b) => Some(b),
        Some(a) if b == "USD" && DOLLARS.contains(&a) => Some(a),
        _ => None,
    }
}

/// (low, high) scale of the plausibility bounds against USD-like currencies.
fn currency_scale(code: &str) -> (f64, f64) {
    match code {
        "JPY" => (80.0, 200.0),
        "INR" => (8.0, 100.0),
        "SEK" | "NOK" | "DKK" | "HKD" | "CNY" => (5.0, 12.0),
        "PLN" | "ILS" | "BRL" => (2.0, 6.0),
        "MXN" => (10.0, 25.0),
        "CZK" => (12.0, 30.0),
        _ => (1.0, 1.0),
    }
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

fn plausible(v: f64, period: &str, currency: &str) -> bool {
    let (lo, hi) = period_bounds(period);
    let (sl, sh) = currency_scale(currency);
    v.is_finite() && v >= lo * sl && v <= hi * sh
}

/// Parses `150,000`, `65.000`, `120'000`, `150 000`, `1.5`, `90,50` into a number.
fn parse_num(s: &str) -> Option<f64> {
    let mut groups: Vec<&str> = Vec::new();
    let mut seps: Vec<char> = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        if c.is_ascii_digit() {
            if start.is_none() {
                start = Some(i);
            }
        } else {
            if let Some(st) = start.take() {
                groups.push(&s[st..i]);
            }
            seps.push(c);
        }
    }
    if let Some(st) = start {
        groups.push(&s[st..]);
    }
    if groups.len() != seps.len() + 1 || groups.is_empty() {
        return None;
    }
    let int = |g: &[&str]| g.concat().parse::<f64>().ok();
    if groups.len() == 1 {
        return int(&groups);
    }
    let last = groups[groups.len() - 1];
    let last_sep = seps[seps.len() - 1];
    let decimal_tail = last.len() <= 2 && matches!(last_sep, '.' | ',');
    let (int_groups, frac) = if decimal_tail { (&groups[..groups.len() - 1], Some(last)) } else { (&groups[..], None) };
    let int_seps = if decimal_tail { &seps[..seps.len() - 1] } else { &seps[..] };
    if let (Some(f), Some(&s0)) = (frac, int_seps.first())
        && s0 == last_sep
    {
        // `1,500,00`: a decimal tail must use another separator than the thousands.
        let _ = f;
        return None;
    }
    if int_groups.len() > 1
        && (int_groups[1..].iter().any(|g| g.len() != 3) || int_seps.windows(2).any(|w| w[0] != w[1]))
    {
        return None;
    }
    let whole = int(int_groups)?;
    match frac {
        Some(f) => Some(whole + f.parse::<f64>().ok()? / 10f64.powi(f.len() as i32)),
        None => Some(whole),
    }
}

/// What a multiplier token means.
enum Mult {
    None,
    Thousand,
    Lakh,
    /// Millions, billions, crores: funding and revenue, never a salary here.
    Big,
}

fn mult_of(m: Option<&str>) -> Mult {
    let Some(m) = m else { return Mult::None };
    let l = m.to_ascii_lowercase();
    match l.as_str() {
        "k" | "thousand" | "grand" => Mult::Thousand,
        "lakh" | "lakhs" | "lac" | "lacs" | "lpa" => Mult::Lakh,
        _ => Mult::Big,
    }
}

fn period_word(p: &str) -> Option<&'static str> {
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

/// Lowercased words of `s`, keeping `+`, `,` and friends as one-char tokens. A word that is
/// ASCII without capitals (most are) and every one-char token borrow from `s`.
fn words(s: &str) -> Vec<Cow<'_, str>> {
    let mut out = Vec::new();
    // Start of the current word, and whether it is ASCII without capitals so far.
    let mut word: Option<(usize, bool)> = None;
    for (i, c) in s.char_indices() {
        if c.is_alphanumeric() || c == '-' || c == '\'' {
            let plain = c.is_ascii() && !c.is_ascii_uppercase();
            word = Some(match word {
                Some((a, p)) => (a, p && plain),
                None => (i, plain),
            });
        } else {
            if let Some((a, plain)) = word.take() {
                out.push(lowercase(&s[a..i], plain));
            }
            if !c.is_whitespace() {
                out.push(Cow::Borrowed(&s[i..i + c.len_utf8()]));
            }
        }
    }
    if let Some((a, plain)) = word {
        out.push(lowercase(&s[a..], plain));
    }
    out
}

/// `w` lowercased (char by char, as `char::to_lowercase`); borrowed when `plain` says it already is.
fn lowercase(w: &str, plain: bool) -> Cow<'_, str> {
    if plain { Cow::Borrowed(w) } else { Cow::Owned(w.chars().flat_map(char::to_lowercase).collect()) }
}

fn is_stop(tok: &str) -> bool {
    matches!(tok, "+" | "," | ";" | "." | "(" | ")" | "|" | "\n" | "•" | "!" | "?" | "&" | "–" | "—")
        || tok == "plus"
        || tok == "and"
        || tok.starts_with(|c: char| c.is_ascii_digit())
        || currency_code(tok).is_some() && !tok.chars().all(|c| c.is_ascii_alphabetic())
}

/// True when a veto word sits right after the amount (up to 4 words, stopping at `+`, `,`, ...).
fn vetoed_after(after: &str) -> bool {
    let line = after.split('\n').next().unwrap_or("");
    // A `+` glued to the amount means "or more" (`50K+ customers`, `£70k+ + bonus`): look past it,
    // but then words that add to a salary (`£70k+ bonus`) do not veto.
    let (line, glued_plus) = match line.strip_prefix('+') {
        Some(rest) => (rest, true),
        None => (line, false),
    };
    let ws = words(line);
    let mut n = 0;
    for w in &ws {
        if is_stop(w) {
            break;
        }
        if VETO_AFTER.contains(&&**w)
            && !(glued_plus && matches!(&**w, "bonus" | "stock" | "signing" | "sign-on" | "relocation"))
        {
            return true;
        }
        n += 1;
        if n >= 4 {
            break;
        }
    }
    false
}

/// True when a veto word sits shortly before the amount (up to 7 words back, stopping at
/// punctuation), unless a salary word sits among them too (`budget for this role is $90k`).
fn vetoed_before(before: &str) -> bool {
    let line = before.rsplit('\n').next().unwrap_or("");
    let ws = words(line);
    let mut n = 0;
    let mut veto = false;
    for w in ws.iter().rev() {
        if matches!(&**w, "," | ";" | "." | "|" | "(" | ")" | "•" | "!" | "?" | "+")
            || w.starts_with(|c: char| c.is_ascii_digit())
        {
            break;
        }
        if w.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '\'') {
            if matches!(&**w, "salary" | "position" | "role" | "compensation" | "wage") {
                return false;
            }
            veto |= VETO_BEFORE.contains(&&**w);
            n += 1;
            if n >= 7 {
                break;
            }
        }
    }
    veto
}

/// Codes of currencies this module does not handle: an amount next to one is not read as USD.
const OTHER_CODES: &[&str] = &[
    "ntd", "twd", "zar", "krw", "rub", "uah", "try", "ars", "cop", "clp", "idr", "vnd", "thb", "myr", "egp", "ngn",
    "kes", "aed", "sar", "huf", "ron", "bgn", "isk", "pkr", "bdt", "lkr", "php", "pen", "uyu", "kr", "rs",
];

/// True when the word right before `start` or right after `end` is a currency code we do not handle.
fn foreign_code_near(before: &str, after: &str) -> bool {
    let b = words(before.rsplit('\n').next().unwrap_or(""));
    let a = words(after.split('\n').next().unwrap_or(""));
    [b.last(), a.first()].into_iter().flatten().any(|w| OTHER_CODES.contains(&&**w))
}

/// The largest char boundary <= i.
fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i.min(s.len())
}

/// Place words of the first line that tell the currency of a bare amount.
static PLACES: LazyLock<(Vec<&'static str>, regex::RegexSet)> = LazyLock::new(|| {
    let rules: &[(&str, &str)] = &[
        (
            "USD",
            r"\b(?:usa?|u\.s\.a?\.?|united states|america|nyc|new york|sf|san francisco|bay area|silicon valley|seattle|boston|austin|chicago|los angeles|denver|atlanta|miami|washington|dc|portland|philadelphia|pittsburgh|dallas|houston|san diego|palo alto|mountain view|menlo park|sunnyvale|oakland|brooklyn|san jose|salt lake|phoenix|minneapolis|detroit|raleigh|nashville|baltimore|[a-z]+, (?:ca|ny|tx|ma|wa|co|il|ga|fl|or|pa|nc|va|ut|az|mn|mi|nj|md|tn|oh|dc))\b",
        ),
        (
            "GBP",
            r"\b(?:london|uk|united kingdom|england|scotland|wales|manchester|edinburgh|bristol|leeds|glasgow|belfast|brighton|liverpool|newcastle|sheffield|nottingham|southampton)\b",
        ),
        (
            "EUR",
            r"\b(?:berlin|munich|münchen|hamburg|frankfurt|cologne|köln|stuttgart|düsseldorf|germany|paris|lyon|france|amsterdam|rotterdam|utrecht|eindhoven|netherlands|dublin|ireland|madrid|barcelona|valencia|bilbao|spain|lisbon|porto|portugal|milan|rome|italy|vienna|austria|helsinki|finland|brussels|belgium|tallinn|estonia|vilnius|lithuania|riga|latvia|athens|greece|luxembourg|bratislava|ljubljana|eu|europe|emea)\b",
        ),
        ("CHF", r"\b(?:zurich|zürich|switzerland|geneva|lausanne|basel|bern)\b"),
        ("CAD", r"\b(?:toronto|vancouver|montreal|montréal|ottawa|calgary|canada|waterloo)\b"),
        ("AUD", r"\b(?:sydney|melbourne|brisbane|adelaide|australia)\b"),
    ];
    let set = regex::RegexSet::new(rules.iter().map(|(_, re)| format!("(?i){re}"))).expect("place regex");
    (rules.iter().map(|(c, _)| *c).collect(), set)
});

/// The currency of a bare amount (`120-150k`) from the places the first line names: the one
/// region named, USD when none is, `None` when several regions are (`Berlin or NYC`).
fn location_currency(first_line: &str) -> Option<&'static str> {
    let (codes, set) = &*PLACES;
    let found: Vec<&'static str> = set.matches(first_line).iter().map(|i| codes[i]).collect();
    match found.as_slice() {
        [] => Some("USD"),
        [one] => Some(one),
        _ => None,
    }
}

/// The first line of a text, as the candidates of one [`extract`] call see it.
struct Head {
    /// Its end (byte offset).
    end: usize,
    /// True when it has `|`-separated fields (an HN header line).
    fields: bool,
    /// [`location_currency`] of the first line, computed at most once per text.
    currency: std::cell::OnceCell<Option<&'static str>>,
}

struct Candidate {
    salary: Salary,
    score: u32,
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
        let Some(found) = CANDIDATE.find_at(text, pos) else { break };
        // A lone number (digits and thousands separators only) has no currency, no `k` and no
        // second amount, so `candidate` would drop it: skip it without reading its groups.
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
        // A dropped "range" may hide an amount of its own: look again from its second number.
        let next = resume.filter(|&r| r > whole.start()).unwrap_or(whole.end());
        pos = if next > pos { next } else { ceil_boundary(text, pos + 1) };
    }
    best.map(|c| c.salary)
}

fn candidate(
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
/// senior > junior; `mid` when none does.
pub fn seniority(title_or_first_line: &str) -> &'static str {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn s(min: f64, max: f64, cur: &str, period: &str) -> Option<Salary> {
        Some(Salary { min, max, currency: cur.into(), period: period.into() })
    }

    #[test]
    fn numbers() {
        for (t, v) in [
            ("150,000", Some(150_000.0)),
            ("65.000", Some(65_000.0)),
            ("120'000", Some(120_000.0)),
            ("150 000", Some(150_000.0)),
            ("1.5", Some(1.5)),
            ("90,50", Some(90.5)),
            ("150,000.00", Some(150_000.0)),
            ("1,500,00", None),
            ("12,34,567", None),
        ] {
            assert_eq!(parse_num(t), v, "{t}");
        }
    }

    #[test]
    fn forms() {
        let y = "year";
        for (t, want) in [
            ("Salary: $150k-$200k", s(150e3, 200e3, "USD", y)),
            ("$150,000 – $200,000 base", s(150e3, 200e3, "USD", y)),
            ("$150,000 — $200,000", s(150e3, 200e3, "USD", y)),
            ("pays $150,000 to $200,000", s(150e3, 200e3, "USD", y)),
            ("Range 150-200k USD", s(150e3, 200e3, "USD", y)),
            ("€80-95k", s(80e3, 95e3, "EUR", y)),
            ("£70k+", s(70e3, 70e3, "GBP", y)),
            ("$90/hr", s(90.0, 90.0, "USD", "hour")),
            ("$90 per hour", s(90.0, 90.0, "USD", "hour")),
            ("Comp: 120k + equity", s(120e3, 120e3, "USD", y)),
            ("OTE $250k", s(250e3, 250e3, "USD", y)),
            ("Foo | SF | $120-160k + equity", s(120e3, 160e3, "USD", y)),
            ("USD 140,000 - 180,000", s(140e3, 180e3, "USD", y)),
            ("Gehalt €65.000 - €80.000", s(65e3, 80e3, "EUR", y)),
            ("$8,000/month", s(8e3, 8e3, "USD", "month")),
            ("$500/day", s(500.0, 500.0, "USD", "day")),
            ("Salary CHF 120'000", s(120e3, 120e3, "CHF", y)),
            ("Salary: 150K", s(150e3, 150e3, "USD", y)),
            ("salary range 120-150k", s(120e3, 150e3, "USD", y)),
            ("CA$130k-150k", s(130e3, 150e3, "CAD", y)),
            ("SEK 50 000 - 60 000 per month", s(50e3, 60e3, "SEK", "month")),
            ("₹25-35 LPA", s(25e5, 35e5, "INR", y)),
            ("¥8,000,000 - ¥12,000,000 per year", s(8e6, 12e6, "JPY", y)),
        ] {
            assert_eq!(extract(t), want, "{t}");
        }
    }

    #[test]
    fn traps() {
        for t in [
            "We raised a $20M Series B",
            "raised $5 million from investors",
            "$10M ARR and growing",
            "processing $3B in payments",
            "401k matching",
            "100k users and 50K+ customers",
            "Founded in 2025, profitable since 2019",
            "$0 fees for customers",
            "Our $9/month plan",
            "a $1.2M salary",
            "We have 150 engineers and $2,000 learning budget",
            "$10k signing bonus",
            "the stock trades at $145.20",
        ] {
            assert_eq!(extract(t), None, "{t}");
        }
    }

    #[test]
    fn bare_amounts_take_the_first_line_region() {
        let y = "year";
        for (t, want) in [
            ("Acme | Backend | NYC | 100k-130k", s(100e3, 130e3, "USD", y)),
            ("Acme | Backend | London | 60K-90K", s(60e3, 90e3, "GBP", y)),
            ("Acme | Backend | Remote | 90k-120k", s(90e3, 120e3, "USD", y)),
            ("Acme | Backend | Berlin or NYC | 90k-120k", None),
            ("Acme | Backend | Berlin or NYC | $90k-120k", s(90e3, 120e3, "USD", y)),
            ("Acme | 100k users | NYC", None),
            // Currencies this module does not know are not read as USD.
            ("Salary NTD 80k per month, Taipei", None),
            ("Salary in ZAR 600k - 800k", None),
        ] {
            assert_eq!(extract(t), want, "{t}");
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        for t in [
            "",
            "$",
            "k",
            "€€€ 12,",
            "$1,2,3,4k-",
            "£70k+\u{a0}–\u{a0}",
            "¥",
            "１２３k salary",
            "$99999999999999999999999k",
        ] {
            let _ = extract(t);
        }
    }

    #[test]
    fn annualise_table() {
        for (min, max, p, want) in [
            (100.0, 200.0, "year", Some(150.0)),
            (1000.0, 1000.0, "month", Some(12_000.0)),
            (1000.0, 1000.0, "week", Some(52_000.0)),
            (500.0, 500.0, "day", Some(130_000.0)),
            (50.0, 100.0, "hour", Some(156_000.0)),
            (50.0, 100.0, "fortnight", None),
            (f64::NAN, 100.0, "year", None),
        ] {
            let sal = Salary { min, max, currency: "USD".into(), period: p.into() };
            assert_eq!(annualise(&sal), want, "{p}");
        }
    }

    #[test]
    fn seniority_table() {
        for (t, want) in [
            ("Senior Backend Engineer", "senior"),
            ("Sr. Software Engineer", "senior"),
            ("Staff Engineer", "staff"),
            ("Senior Staff Engineer", "staff"),
            ("Principal Engineer", "principal"),
            ("Tech Lead, Payments", "lead"),
            ("Head of Engineering", "lead"),
            ("Engineering Manager", "lead"),
            ("Junior Developer", "junior"),
            ("Jr. Frontend Dev", "junior"),
            ("Software Engineering Intern", "junior"),
            ("New Grad Software Engineer", "junior"),
            ("Software Engineer", "mid"),
            ("Leader of nothing", "mid"),
            ("", "mid"),
        ] {
            assert_eq!(seniority(t), want, "{t}");
        }
    }
}
