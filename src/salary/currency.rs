//! Currencies of an amount: the currency marks the candidate regex accepts, their ISO codes, the
//! plausibility scale per currency, and the currency a first line's places imply.
//!
//! In: a currency token (`US$`, `€`, `CHF`...), a code, a text's first line or the words around
//! an amount. Out: ISO codes (`USD`, `EUR`...), `(low, high)` scales, or whether a currency this
//! module does not handle sits next to the amount.

use std::sync::LazyLock;

use super::words::words;
use crate::ascii::ascii_image;

pub(super) const CUR_PRE: &str = r"(?:USD|CAD|AUD|NZD|SGD|HKD)\s?\$|US\$|USD|U\.S\.\s?\$|CA\$|C\$|CAD|AU\$|A\$|AUD|NZ\$|NZD|S\$|SGD|HK\$|HKD|R\$|BRL|€|EUR|£|GBP|CHF|₹|INR|Rs\.?|CN¥|RMB|CNY|¥|JPY|SEK|NOK|DKK|PLN|zł|ILS|₪|NIS|MXN|CZK|\$";

pub(super) const CUR_POST: &str = r"(?:USD|EUR|[Ee]uros?|GBP|[Pp]ounds?|CHF|CAD|AUD|NZD|SGD|HKD|SEK|NOK|DKK|PLN|INR|JPY|CNY|RMB|ILS|NIS|MXN|BRL|CZK|[Dd]ollars?|yen)(?-u:\b)|€|£|zł|₪|円|\$";

/// Currency code for a prefix or suffix token; `None` for an unknown or ambiguous one.
pub(super) fn currency_code(tok: &str) -> Option<&'static str> {
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
pub(super) fn merge_currency(a: Option<&'static str>, b: &'static str) -> Option<&'static str> {
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
pub(super) fn currency_scale(code: &str) -> (f64, f64) {
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

/// Codes of currencies this module does not handle: an amount next to one is not read as USD.
const OTHER_CODES: &[&str] = &[
    "ntd", "twd", "zar", "krw", "rub", "uah", "try", "ars", "cop", "clp", "idr", "vnd", "thb", "myr", "egp", "ngn",
    "kes", "aed", "sar", "huf", "ron", "bgn", "isk", "pkr", "bdt", "lkr", "php", "pen", "uyu", "kr", "rs",
];

/// True when the word right before `start` or right after `end` is a currency code we do not handle.
pub(super) fn foreign_code_near(before: &str, after: &str) -> bool {
    let b = words(before.rsplit('\n').next().unwrap_or(""));
    let a = words(after.split('\n').next().unwrap_or(""));
    [b.last(), a.first()].into_iter().flatten().any(|w| OTHER_CODES.contains(&&**w))
}

/// Place words of the first line that tell the currency of a bare amount: per currency, the
/// alternatives of one pattern `\b(?:ALTERNATIVES)\b`, matched with Unicode `\b` and case folding.
pub(super) const PLACE_RULES: &[(&str, &[&str])] = &[
    (
        "USD",
        &[
            "usa?",
            r"u\.s\.a?\.?",
            "united states",
            "america",
            "nyc",
            "new york",
            "sf",
            "san francisco",
            "bay area",
            "silicon valley",
            "seattle",
            "boston",
            "austin",
            "chicago",
            "los angeles",
            "denver",
            "atlanta",
            "miami",
            "washington",
            "dc",
            "portland",
            "philadelphia",
            "pittsburgh",
            "dallas",
            "houston",
            "san diego",
            "palo alto",
            "mountain view",
            "menlo park",
            "sunnyvale",
            "oakland",
            "brooklyn",
            "san jose",
            "salt lake",
            "phoenix",
            "minneapolis",
            "detroit",
            "raleigh",
            "nashville",
            "baltimore",
            "[a-z]+, (?:ca|ny|tx|ma|wa|co|il|ga|fl|or|pa|nc|va|ut|az|mn|mi|nj|md|tn|oh|dc)",
        ],
    ),
    (
        "GBP",
        &[
            "london",
            "uk",
            "united kingdom",
            "england",
            "scotland",
            "wales",
            "manchester",
            "edinburgh",
            "bristol",
            "leeds",
            "glasgow",
            "belfast",
            "brighton",
            "liverpool",
            "newcastle",
            "sheffield",
            "nottingham",
            "southampton",
        ],
    ),
    (
        "EUR",
        &[
            "berlin",
            "munich",
            "münchen",
            "hamburg",
            "frankfurt",
            "cologne",
            "köln",
            "stuttgart",
            "düsseldorf",
            "germany",
            "paris",
            "lyon",
            "france",
            "amsterdam",
            "rotterdam",
            "utrecht",
            "eindhoven",
            "netherlands",
            "dublin",
            "ireland",
            "madrid",
            "barcelona",
            "valencia",
            "bilbao",
            "spain",
            "lisbon",
            "porto",
            "portugal",
            "milan",
            "rome",
            "italy",
            "vienna",
            "austria",
            "helsinki",
            "finland",
            "brussels",
            "belgium",
            "tallinn",
            "estonia",
            "vilnius",
            "lithuania",
            "riga",
            "latvia",
            "athens",
            "greece",
            "luxembourg",
            "bratislava",
            "ljubljana",
            "eu",
            "europe",
            "emea",
        ],
    ),
    ("CHF", &["zurich", "zürich", "switzerland", "geneva", "lausanne", "basel", "bern"]),
    ("CAD", &["toronto", "vancouver", "montreal", "montréal", "ottawa", "calgary", "canada", "waterloo"]),
    ("AUD", &["sydney", "melbourne", "brisbane", "adelaide", "australia"]),
];

/// [`PLACE_RULES`] compiled for speed, with the same matches: the ASCII alternatives as one
/// ASCII set (`(?i-u)`) run on the line's [`ascii_image`], and per currency the non-ASCII
/// alternatives (`münchen`, `zürich`...) as a Unicode regex, run only on a non-ASCII line (they
/// cannot match ASCII text). In an ingest of 12 of the saved HN pages under callgrind, 137 first
/// lines went through this: the one Unicode set of before took 31.6 million instructions for them,
/// the ASCII set 10.6 million.
struct Places {
    ascii: regex::RegexSet,
    non_ascii: Vec<Option<regex::Regex>>,
}

static PLACES: LazyLock<Places> = LazyLock::new(|| {
    let group = |alts: Vec<&str>| format!(r"\b(?:{})\b", alts.join("|"));
    let ascii = PLACE_RULES
        .iter()
        .map(|(_, alts)| format!("(?i-u){}", group(alts.iter().copied().filter(|a| a.is_ascii()).collect())));
    let non_ascii = PLACE_RULES.iter().map(|(_, alts)| {
        let alts: Vec<&str> = alts.iter().copied().filter(|a| !a.is_ascii()).collect();
        (!alts.is_empty()).then(|| regex::Regex::new(&format!("(?i){}", group(alts))).expect("place regex"))
    });
    Places { ascii: regex::RegexSet::new(ascii).expect("place regex"), non_ascii: non_ascii.collect() }
});

/// The currency of a bare amount (`120-150k`) from the places the first line names: the one
/// region named, USD when none is, `None` when several regions are (`Berlin or NYC`).
pub(super) fn location_currency(first_line: &str) -> Option<&'static str> {
    let places = &*PLACES;
    let is_ascii = first_line.is_ascii();
    let image;
    let text = if is_ascii {
        first_line
    } else {
        image = ascii_image(first_line);
        &image
    };
    let ascii = places.ascii.matches(text);
    let found: Vec<&'static str> = PLACE_RULES
        .iter()
        .zip(&places.non_ascii)
        .enumerate()
        .filter(|(i, (_, re))| {
            ascii.matched(*i) || (!is_ascii && re.as_ref().is_some_and(|re| re.is_match(first_line)))
        })
        .map(|(_, ((code, _), _))| *code)
        .collect();
    match found.as_slice() {
        [] => Some("USD"),
        [one] => Some(one),
        _ => None,
    }
}
