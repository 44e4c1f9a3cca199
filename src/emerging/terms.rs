//! Candidate terms of one posting: 1-3 word phrases and tech-looking tokens, without plain English.
//!
//! In: a posting's text (and title) and its company name. Out: the distinct candidate terms it
//! mentions, each as a key (lowercase, words joined by one space) and the form it was written in.
//!
//! - **Tokens**: runs of letters and digits, joined by `. - _ '` between two of them (`next.js`,
//!   `gpt-4`, `pg_vector`), with trailing `+`/`#` kept (`c++`, `f#`); a possessive `'s` is cut.
//!   Phrases never cross punctuation (`, . ; : ! ? ( ) | /` ...), a line break, a URL or an email.
//! - **Dropped** (and a phrase boundary): URLs and emails (a chunk with `://`, `www.` or `@`), domain
//!   names (`acme.io`), numbers, years, dates, salaries and amounts (`2025`, `150k`, `$200k`, `10x`,
//!   `3rd`), month and weekday names, quarters (`q3`, `h2`), abbreviations (`e.g`, `u.s`), tokens over
//!   40 characters.
//! - **Stop words** ([`STOP_WORDS`]) and single letters are no term; they may sit inside a 3-word
//!   phrase ("infrastructure as code") but never start or end one.
//! - **Plain English**: a lowercase entry of the embedded word list (`assets/english-words.txt`,
//!   SCOWL size 50 from Debian's `wamerican`, 63,875 words) or of [`POSTING_WORDS`] (job-posting
//!   vocabulary the dictionary lacks: `onsite`, `fullstack`, `startup` ...); a hyphenated token is
//!   plain when all its parts are.
//! - **Tech-looking** tokens count whatever the dictionary says: an inner capital (`LangChain`,
//!   `DuckDB`, `iOS`), letters with digits (`k8s`, `gpt-4`), an inner `. _ + #` (`foo.js`), or an
//!   acronym in capitals (`RAG`, `MCP`; 4-5 capitals only when not an English word).
//! - **Terms**: a single token that is tech-looking or not plain English (`supabase`, `agentic`,
//!   `AI-native`); a phrase of 2-3 tokens written in Title Case ("Forward Deployed Engineer", "Model
//!   Context Protocol", "Claude Code"), so that "amazing team" or "AI workflows" (a rising word with
//!   plain ones around it) is not one. A phrase neither starts nor ends with a stop word, a word of
//!   [`POSTING_WORDS`] or a place of [`PLACES`] ("NYC Hybrid", "Europe Remote" are no terms).
//! - **Company**: a term made only of the words of the posting's own company name is skipped in that
//!   posting (a company hiring a lot is not a trend).

use std::collections::HashSet;
use std::sync::OnceLock;

/// Longest phrase, in words.
pub const MAX_WORDS: usize = 3;
/// Longest token kept, in bytes.
const MAX_TOKEN: usize = 40;

/// Function words and filler that never start or end a term.
pub const STOP_WORDS: &[&str] = &[
    "a", "about", "above", "across", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as",
    "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did",
    "do", "does", "doing", "down", "during", "each", "either", "etc", "even", "every", "few", "for", "from", "further",
    "get", "got", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in",
    "into", "is", "it", "its", "just", "let", "like", "may", "me", "might", "more", "most", "much", "must", "my", "no",
    "nor", "not", "now", "of", "off", "on", "once", "one", "only", "or", "other", "our", "ours", "out", "over", "own",
    "per", "plus", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them",
    "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "upon", "us",
    "using", "very", "via", "vs", "was", "we", "well", "were", "what", "when", "where", "whether", "which", "while",
    "who", "whom", "whose", "why", "will", "with", "within", "without", "would", "yet", "you", "your", "yours",
    "yourself",
];

/// Job-posting vocabulary that is plain English to a reader but missing from the dictionary.
pub const POSTING_WORDS: &[&str] = &[
    "onsite",
    "offsite",
    "fullstack",
    "backend",
    "frontend",
    "startup",
    "startups",
    "fintech",
    "healthtech",
    "edtech",
    "proptech",
    "insurtech",
    "saas",
    "b2b",
    "b2c",
    "hiring",
    "hires",
    "remote",
    "inc",
    "llc",
    "ltd",
    "gmbh",
    "corp",
    "email",
    "emails",
    "website",
    "websites",
    "online",
    "workflow",
    "workflows",
    "dev",
    "devs",
    "eng",
    "yrs",
    "yoe",
    "equity",
    "visa",
    "visas",
    "401k",
    "pto",
    "benefits",
    "apply",
    "dm",
    "ok",
    "okay",
    "teammates",
    "cofounder",
    "cofounders",
    "co-founder",
    "co-founders",
    "timezone",
    "timezones",
    "fulltime",
    "parttime",
    "hybrid",
    "relocation",
    "sponsorship",
    "onboarding",
    "scaleup",
    "scale-up",
    "ceo",
    "cto",
    "vp",
    "hr",
    "usd",
    "eur",
    "gbp",
    "est",
    "pst",
    "pt",
    "et",
    "cet",
    "utc",
    "gmt",
    "bay",
    "nyc",
    "sf",
    "la",
    "uk",
    "usa",
    "eu",
    "emea",
    "apac",
    "latam",
    "yc",
    "ycombinator",
    "linkedin",
    "github",
    "gitlab",
    "resume",
    "cv",
    "comp",
    "headcount",
    "tc",
    "ote",
    "req",
    "reqs",
];

/// Regions and cities of posting headers: no phrase starts or ends with one.
pub const PLACES: &[&str] = &[
    "europe",
    "european",
    "america",
    "americas",
    "north",
    "south",
    "asia",
    "africa",
    "australia",
    "canada",
    "germany",
    "uk",
    "us",
    "usa",
    "eu",
    "emea",
    "apac",
    "latam",
    "worldwide",
    "global",
    "anywhere",
    "international",
    "nyc",
    "sf",
    "la",
    "london",
    "berlin",
    "paris",
    "amsterdam",
    "toronto",
    "vancouver",
    "boston",
    "seattle",
    "austin",
    "chicago",
    "denver",
    "york",
    "francisco",
    "san",
    "bay",
    "area",
    "new",
    "city",
    "remote",
    "hybrid",
    "onsite",
    "on-site",
    "in-office",
    "relocation",
    "visa",
    "timezone",
    "timezones",
    "time",
    "zone",
    "zones",
    "est",
    "pst",
    "cet",
    "utc",
    "gmt",
    "pt",
    "et",
];

/// Prefixes of hyphenated plain words (`ex-Google`, `non-technical`).
const PREFIXES: &[&str] = &["ex", "non", "pre", "co", "re", "semi", "self", "post", "mid", "sr", "jr"];

/// Month and weekday names (and their abbreviations), dropped like dates.
const CALENDAR: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thurs",
    "fri",
    "sat",
    "sun",
];

/// Top-level domains: a token ending in one of these after a dot is a domain name (`acme.io`).
const TLDS: &[&str] = &[
    "com", "io", "ai", "co", "org", "net", "dev", "app", "xyz", "us", "uk", "de", "fr", "ca", "tech", "jobs", "so",
    "sh", "gg", "me", "ly", "to", "eu", "inc", "health", "edu", "gov", "info", "biz", "nl", "se", "ch", "at", "es",
    "it", "in", "au", "nz", "be", "fi", "dk", "no", "pl", "cz", "il", "sg", "jp", "cloud", "careers", "work", "team",
    "studio", "network", "systems", "page", "site", "link", "run", "build", "is", "vc", "fm", "tv",
];

struct Lists {
    english: HashSet<&'static str>,
    stop: HashSet<&'static str>,
    edge: HashSet<&'static str>,
    calendar: HashSet<&'static str>,
    tlds: HashSet<&'static str>,
}

fn lists() -> &'static Lists {
    static LISTS: OnceLock<Lists> = OnceLock::new();
    LISTS.get_or_init(|| {
        let words = include_str!("../../assets/english-words.txt");
        let mut english: HashSet<&'static str> = words.lines().filter(|l| !l.is_empty()).collect();
        english.extend(POSTING_WORDS);
        english.extend(PREFIXES);
        Lists {
            english,
            stop: STOP_WORDS.iter().copied().collect(),
            edge: POSTING_WORDS.iter().chain(PLACES).copied().collect(),
            calendar: CALENDAR.iter().copied().collect(),
            tlds: TLDS.iter().copied().collect(),
        }
    })
}

/// True for a lowercase word of the embedded English word list or [`POSTING_WORDS`].
pub fn is_english(lower: &str) -> bool {
    lists().english.contains(lower)
}

/// True for a stop word ([`STOP_WORDS`]).
pub fn is_stop(lower: &str) -> bool {
    lists().stop.contains(lower)
}

/// One token of a segment.
#[derive(Debug, Clone)]
struct Tok<'a> {
    surface: &'a str,
    lower: String,
    /// A stop word or a single character: inside a phrase only.
    stop: bool,
    /// Tech-looking or not plain English: a term on its own, and makes a phrase one.
    marked: bool,
    /// Written with a capital first letter.
    capital: bool,
    /// A posting word or a place: never starts or ends a phrase.
    edge: bool,
}

/// What a whitespace-separated chunk's token turned out to be.
enum Kind<'a> {
    Token(Tok<'a>),
    Drop,
}

fn is_joiner(c: char) -> bool {
    matches!(c, '.' | '-' | '_' | '\'' | '\u{2019}')
}

/// Splits one whitespace-free chunk into token strings and phrase breaks (`None`).
fn chunk_pieces(chunk: &str, out: &mut Vec<Option<(usize, usize)>>) {
    let chars: Vec<(usize, char)> = chunk.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if !c.is_alphanumeric() {
            out.push(None);
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() {
            let c = chars[j].1;
            if c.is_alphanumeric() {
                j += 1;
            } else if is_joiner(c) && chars.get(j + 1).is_some_and(|(_, n)| n.is_alphanumeric()) {
                j += 2;
            } else {
                break;
            }
        }
        while j < chars.len() && matches!(chars[j].1, '+' | '#') {
            j += 1;
        }
        let end = chars.get(j).map_or(chunk.len(), |(b, _)| *b);
        out.push(Some((start, end)));
        i = j;
    }
}

fn is_url_or_email(chunk: &str) -> bool {
    chunk.contains("://") || chunk.contains('@') || chunk.to_ascii_lowercase().starts_with("www.")
}

/// Numbers, amounts, years, ordinals, quarters: `2025`, `150k`, `10x`, `3rd`, `1.5m`, `q3`, `h2`.
fn is_numberish(lower: &str) -> bool {
    let b = lower.as_bytes();
    if b.len() == 2 && matches!(b[0], b'q' | b'h') && (b'1'..=b'4').contains(&b[1]) {
        return true;
    }
    if !b[0].is_ascii_digit() {
        return false;
    }
    let digits_end = b.iter().position(|c| !(c.is_ascii_digit() || matches!(c, b'.' | b',' | b'-'))).unwrap_or(b.len());
    let rest = &lower[digits_end..];
    const UNITS: &[&str] = &[
        "", "k", "m", "b", "kk", "mm", "x", "s", "st", "nd", "rd", "th", "yr", "yrs", "y", "h", "hr", "hrs", "am",
        "pm", "k+", "+", "d", "w", "mo", "day", "days", "h/w", "yoe", "ish", "usd", "eur", "gbp", "ft", "pt",
    ];
    let letters = lower.chars().filter(|c| c.is_alphabetic()).count();
    letters <= 2
        || UNITS.contains(&rest)
        || rest.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | 'k' | 'm' | '+'))
}

/// `e.g`, `i.e`, `u.s`: every dot-separated part is one character.
fn is_abbreviation(lower: &str) -> bool {
    lower.contains('.') && lower.split('.').all(|p| p.chars().count() <= 1)
}

fn is_domain(lower: &str) -> bool {
    match lower.rsplit_once('.') {
        Some((head, tld)) => head.len() >= 2 && lists().tlds.contains(tld),
        None => false,
    }
}

/// A tech-looking shape: inner capital, letters with digits, inner `. _ + #`, or an acronym.
fn tech_shape(surface: &str, lower: &str) -> bool {
    let mut seen_lower = false;
    let (mut letters, mut digits, mut upper) = (0, 0, 0);
    for c in surface.chars() {
        if c == '-' {
            // `Go-To-Market` is three capitalised words, not a CamelCase name.
            seen_lower = false;
        } else if c.is_lowercase() {
            seen_lower = true;
            letters += 1;
        } else if c.is_uppercase() {
            if seen_lower {
                return true;
            }
            upper += 1;
            letters += 1;
        } else if c.is_ascii_digit() {
            digits += 1;
        }
    }
    if letters > 0 && digits > 0 {
        return true;
    }
    if surface.contains(['.', '_', '+', '#']) {
        return true;
    }
    let acronym = upper == letters && letters >= 2 && !surface.contains('-');
    acronym && (letters <= 3 || (letters <= 5 && !is_english(lower)))
}

/// True when a lowercase token (or every part of a hyphenated one) is plain English.
fn plain_english(lower: &str) -> bool {
    if is_english(lower) {
        return true;
    }
    let Some((head, _)) = lower.split_once('-') else { return false };
    PREFIXES.contains(&head) || lower.split('-').all(|p| p.is_empty() || is_english(p) || is_stop(p))
}

fn classify(surface: &str) -> Kind<'_> {
    let surface = surface
        .strip_suffix("'s")
        .or_else(|| surface.strip_suffix("\u{2019}s"))
        .filter(|s| !s.is_empty())
        .unwrap_or(surface);
    let lower = surface.to_lowercase().replace('\u{2019}', "'");
    let l = lists();
    if lower.len() > MAX_TOKEN
        || is_numberish(&lower)
        || l.calendar.contains(lower.as_str())
        || is_abbreviation(&lower)
        || is_domain(&lower)
    {
        return Kind::Drop;
    }
    let capital = surface.chars().next().is_some_and(char::is_uppercase);
    let stop = lower.chars().count() == 1 || l.stop.contains(lower.as_str()) || lower.contains('\'');
    let marked = !stop && (tech_shape(surface, &lower) || !plain_english(&lower));
    let edge = l.edge.contains(lower.as_str());
    Kind::Token(Tok { surface, lower, stop, marked, capital, edge })
}

fn close<'a>(cur: &mut Vec<Tok<'a>>, segs: &mut Vec<Vec<Tok<'a>>>) {
    if !cur.is_empty() {
        segs.push(std::mem::take(cur));
    }
}

/// The text's segments: runs of tokens between phrase breaks.
fn segments(text: &str) -> Vec<Vec<Tok<'_>>> {
    let mut segs: Vec<Vec<Tok<'_>>> = Vec::new();
    let mut cur: Vec<Tok<'_>> = Vec::new();
    let mut pieces = Vec::new();
    for line in text.lines() {
        for chunk in line.split_whitespace() {
            if is_url_or_email(chunk) {
                close(&mut cur, &mut segs);
                continue;
            }
            pieces.clear();
            chunk_pieces(chunk, &mut pieces);
            for p in &pieces {
                match p.map(|(s, e)| classify(&chunk[s..e])) {
                    Some(Kind::Token(t)) => cur.push(t),
                    Some(Kind::Drop) | None => close(&mut cur, &mut segs),
                }
            }
        }
        close(&mut cur, &mut segs);
    }
    segs
}

/// The distinct candidate terms of a posting, as `(key, form as written)`, first occurrence's form.
/// `company` is the posting's company name (terms made only of its words are skipped).
pub fn candidates(texts: &[&str], company: Option<&str>) -> Vec<(String, String)> {
    let company: HashSet<String> = company
        .map(|c| segments(c).into_iter().flatten().filter(|t| !t.stop).map(|t| t.lower).collect())
        .unwrap_or_default();
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for text in texts {
        for seg in segments(text) {
            for i in 0..seg.len() {
                for n in 1..=MAX_WORDS.min(seg.len() - i) {
                    let words = &seg[i..i + n];
                    if !is_term(words) {
                        continue;
                    }
                    if !company.is_empty() && words.iter().all(|t| t.stop || company.contains(&t.lower)) {
                        continue;
                    }
                    let key = join(words.iter().map(|t| t.lower.as_str()));
                    if seen.insert(key.clone()) {
                        out.push((key, join(words.iter().map(|t| t.surface))));
                    }
                }
            }
        }
    }
    out
}

fn join<'a>(words: impl Iterator<Item = &'a str>) -> String {
    let mut s = String::new();
    for w in words {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(w);
    }
    s
}

/// The rules of a term on a run of 1-3 tokens (see the module docs).
fn is_term(words: &[Tok<'_>]) -> bool {
    let (first, last) = (&words[0], &words[words.len() - 1]);
    if first.stop || last.stop {
        return false;
    }
    if words.len() == 1 {
        return first.marked;
    }
    !first.edge && !last.edge && words.iter().filter(|t| !t.stop).all(|t| t.capital)
}

/// The words of a key (`"model context protocol"` → 3).
pub fn word_count(key: &str) -> usize {
    key.split(' ').count()
}

/// True when `inner`'s words are a contiguous run of `outer`'s words (and not all of them).
pub fn is_part_of(inner: &str, outer: &str) -> bool {
    if inner.len() >= outer.len() {
        return false;
    }
    let (iw, ow): (Vec<&str>, Vec<&str>) = (inner.split(' ').collect(), outer.split(' ').collect());
    ow.windows(iw.len()).any(|w| w == iw.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        candidates(&[text], None).into_iter().map(|(k, _)| k).collect()
    }

    #[test]
    fn tech_tokens_are_terms_and_english_is_not() {
        let k = keys("We build with LangChain, Next.js and k8s; amazing team, great culture.");
        for want in ["langchain", "next.js", "k8s"] {
            assert!(k.contains(&want.to_string()), "{want} missing from {k:?}");
        }
        for bad in ["amazing", "team", "amazing team", "great culture", "we", "and"] {
            assert!(!k.contains(&bad.to_string()), "{bad} in {k:?}");
        }
    }

    #[test]
    fn phrases_need_a_marked_word_or_title_case() {
        let k = keys("experience with supabase edge functions\nWe use the Model Context Protocol daily; AI workflows");
        assert!(k.contains(&"supabase".to_string()));
        assert!(!k.contains(&"supabase edge".to_string()), "{k:?}");
        assert!(k.contains(&"model context protocol".to_string()), "{k:?}");
        assert!(!k.contains(&"edge functions".to_string()), "{k:?}");
        assert!(!k.contains(&"protocol daily".to_string()), "{k:?}");
        assert!(!k.contains(&"ai workflows".to_string()), "{k:?}");
        let k = keys("Forward Deployed Engineer | NYC Hybrid | Europe Remote | Go-To-Market | 7T | ex-Google");
        assert!(k.contains(&"forward deployed engineer".to_string()), "{k:?}");
        for bad in ["nyc hybrid", "europe remote", "go-to-market", "7t", "ex-google"] {
            assert!(!k.contains(&bad.to_string()), "{bad} in {k:?}");
        }
    }

    #[test]
    fn numbers_dates_urls_emails_and_domains_are_dropped() {
        let k = keys(
            "Salary $150k-$200k, 401k, start March 2025, Q3. Apply: jobs@zorp.io or https://zorp.io/jobs zorp.com",
        );
        assert!(k.is_empty(), "{k:?}");
    }

    #[test]
    fn acronyms_and_punctuation_boundaries() {
        let k = keys("RAG pipelines (MCP servers) | TEAM");
        assert!(k.contains(&"rag".to_string()) && k.contains(&"mcp".to_string()), "{k:?}");
        assert!(!k.contains(&"pipelines mcp".to_string()), "{k:?}");
        assert!(!k.contains(&"team".to_string()), "{k:?}");
        assert!(!keys("the rag and the cloth").contains(&"rag".to_string()));
    }

    #[test]
    fn the_company_s_own_name_is_skipped() {
        let c = candidates(&["Zorblax is hiring. We use Quuxdb."], Some("Zorblax Inc."));
        let k: Vec<&str> = c.iter().map(|(k, _)| k.as_str()).collect();
        assert!(!k.contains(&"zorblax"), "{k:?}");
        assert!(k.contains(&"quuxdb"), "{k:?}");
        assert_eq!(c.iter().find(|(k, _)| k == "quuxdb").unwrap().1, "Quuxdb");
    }

    #[test]
    fn possessives_hyphens_and_trailing_signs() {
        let k = keys("Zorblax's API, gpt-4 and C++ devs; fast-paced and well-funded");
        assert!(k.contains(&"zorblax".to_string()), "{k:?}");
        assert!(k.contains(&"gpt-4".to_string()), "{k:?}");
        assert!(k.contains(&"c++".to_string()), "{k:?}");
        assert!(!k.contains(&"fast-paced".to_string()) && !k.contains(&"well-funded".to_string()), "{k:?}");
    }

    #[test]
    fn part_of_is_on_whole_words() {
        assert!(is_part_of("context protocol", "model context protocol"));
        assert!(!is_part_of("context proto", "model context protocol"));
        assert!(!is_part_of("model context protocol", "model context protocol"));
    }
}
