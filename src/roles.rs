//! Role classification of a posting from its title (or, for HN, its first line).
//!
//! In: the posting's title (if any), its plain text and its source. Out: the sorted, unique role
//! ids of [`ROLES`] it advertises (`["other"]` when none is recognised).
//!
//! Where the role text comes from: the title when present; else, for source `hn`, the role part(s)
//! of the first line (`Company | Role | Location | ...`: the `|`-separated fields that name a role,
//! the company field skipped unless it names one; lines without `|` are split on ` - `, ` – `, `;`);
//! else the first 200 characters of the text.
//!
//! How a phrase is classified: explicit role words (`backend`, `front-end`, `full stack`,
//! `platform`, `infrastructure`, `devops`, `SRE`, `site reliability`, `data`, `analytics`,
//! `machine learning`, `ML`, `AI`, `iOS`, `Android`, `mobile`, `security`, `engineering manager`,
//! `head of engineering`, `VP engineering`, `CTO`...) each add their role. Only when a phrase has
//! none of them, technology words next to a role noun decide (`Python Engineer`, `Rails
//! developer` → backend; `React developer` → frontend; `Swift developer` → mobile). Generic titles
//! (`Software Engineer`, `QA Engineer`, `Product Designer`) are `other`.
//!
//! How it runs: the rules are compiled as ASCII regex sets (see [`Rules`]; a non-ASCII phrase is
//! matched through its [`crate::ascii::ascii_image`]), each phrase's roles are a bit mask, and the
//! tests check the result against the rules run as first written (Unicode sets, a regex for the
//! noun, role lists).

use std::sync::LazyLock;

use regex::RegexSet;

use crate::ascii::ascii_image;

/// Every role id, in display order.
pub const ROLES: &[&str] = &[
    "backend",
    "frontend",
    "full-stack",
    "platform",
    "devops",
    "sre",
    "data",
    "ml-ai",
    "mobile",
    "security",
    "engineering-management",
    "other",
];

/// Explicit role words: each fires its role.
const EXPLICIT_RULES: &[(&str, &str)] = &[
    ("full-stack", r"\bfull[- ]?stack\b|\bfullstack\b"),
    ("backend", r"\bback[- ]?end\b|\bbackend\b|\bserver[- ]side\b|\bapi (?:engineer|developer)s?\b"),
    (
        "frontend",
        r"\bfront[- ]?end\b|\bfrontend\b|\bui (?:engineer|developer)s?\b|\bweb (?:developer|engineer)s?\b|\bui/ux (?:engineer|developer)s?\b",
    ),
    ("mobile", r"\bmobile\b|\bios\b|\bandroid\b|\breact native\b|\bflutter\b"),
    (
        "platform",
        r"\bplatform\b|\binfrastructure\b|\binfra\b|\bdeveloper productivity\b|\bdeveloper experience\b|\bdevex\b|\bdev tools\b|\bdevtools\b",
    ),
    (
        "devops",
        r"\bdev[- ]?ops\b|\bdevsecops\b|\bmlops\b|\bbuild (?:and|&) release\b|\brelease engineer|\bbuild engineer|\bci/cd\b|\bcloud (?:engineer|ops|operations|architect)s?\b|\bsys(?:tems?)? ?admin|\bsystems? administrators?\b",
    ),
    ("sre", r"\bsres?\b|\bsite reliability\b|\breliability engineer|\bproduction engineer"),
    (
        "data",
        r"\bdata\b|\banalytics\b|\betl\b|\bbusiness intelligence\b|\bbi (?:engineer|developer|analyst)s?\b|\bdatabase\b|\bdbas?\b",
    ),
    (
        "ml-ai",
        r"\bmachine learning\b|\bml\b|\bai\b|\bartificial intelligence\b|\bllms?\b|\bdeep learning\b|\bcomputer vision\b|\bnlp\b|\bapplied scientists?\b|\bresearch (?:scientist|engineer)s?\b|\bgenai\b|\bgenerative ai\b|\bmlops\b|\bai/ml\b|\bml/ai\b",
    ),
    (
        "security",
        r"\bsecurity\b|\bappsec\b|\binfosec\b|\bpenetration\b|\bpentest|\bdevsecops\b|\bsecops\b|\bcryptograph|\bdetection engineer|\bthreat",
    ),
    (
        "engineering-management",
        r"\bengineering managers?\b|\bmanagers?,? (?:of )?(?:software )?engineering\b|\bsoftware (?:development |engineering )?managers?\b|\bdevelopment managers?\b|\bhead of (?:engineering|software|technology|platform|infrastructure|data|ml|ai|machine learning|backend|frontend|mobile|security|devops|sre|product engineering)\b|\b(?:vp|svp|evp|vice president)(?: of)?,? (?:engineering|software|technology|platform|infrastructure|data)\b|\bdirector(?: of)?,? (?:engineering|software|platform|infrastructure|data|security|ml|ai|machine learning)\b|\bengineering director\b|\bcto\b|\bchief technology officer\b|\bengineering leads?\b|\bengineering leaders?\b",
    ),
];

/// Technology words that decide a role only when no explicit role word is present.
const TECH_RULES: &[(&str, &str)] = &[
    (
        "backend",
        r"\bpython\b|\bgolang\b|\bgo\b|\bjava\b|\bruby\b|\brails\b|\bror\b|\belixir\b|\berlang\b|\bscala\b|\bphp\b|\blaravel\b|\bdjango\b|\bnode(?:\.?js)?\b|\.net\b|\bc#|\bclojure\b|\bhaskell\b|\brust\b|\bdistributed systems\b|\bmicroservices\b|\bapis?\b",
    ),
    ("frontend", r"\breact(?:\.?js)?\b|\bvue(?:\.?js)?\b|\bangular\b|\bjavascript\b|\bsvelte\b|\bcss\b|\bember\b"),
    ("mobile", r"\bswift\b|\bswiftui\b|\bkotlin\b|\bxamarin\b"),
    ("data", r"\bspark\b|\bsnowflake\b|\bdbt\b|\bsql\b|\bhadoop\b|\bairflow\b"),
    ("platform", r"\bkubernetes\b|\bk8s\b"),
    ("devops", r"\bterraform\b|\bansible\b|\bjenkins\b"),
];

/// A noun that makes a phrase name a job.
const ROLE_NOUN: &str = r"\b(?:engineers?|engineering|developers?|devs?|programmers?|scientists?|architects?|managers?|leads?|head|directors?|vp|cto|sres?|devops|analysts?|researchers?|hackers?|specialists?|administrators?|interns?|consultants?|roles?|positions?|swes?|sdes?)\b";

/// A set of roles, one bit per index of [`ROLES`].
type Mask = u16;

fn role_bit(role: &str) -> Mask {
    1 << ROLES.iter().position(|r| *r == role).expect("role id")
}

/// What the rules say about one phrase: the roles of the explicit rules and of the technology
/// rules that match, and whether the role noun matches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Scan {
    explicit: Mask,
    noun: bool,
    tech: Mask,
}

/// The rules as two [`RegexSet`]s: the explicit rules with the role noun (one overlapping pass per
/// phrase tells both), and the technology rules (run only when they decide). A set reports exactly
/// the patterns whose own `is_match` is true.
///
/// The rules are written with Unicode `\b` and case folding (`(?i)`), but the set is compiled with
/// ASCII ones (`(?i-u)`) and runs on ASCII text only (so in the lazy DFA; Unicode `\b` would need a
/// slower engine on non-ASCII text). A non-ASCII phrase is first mapped to its [`ascii_image`],
/// which gives the same matches.
struct Rules {
    /// What pattern `i` means: `Some((true, role))` explicit, `Some((false, role))` technology,
    /// `None` the role noun.
    kinds: Vec<Option<(bool, Mask)>>,
    /// The explicit rules and the noun (`kinds[..=EXPLICIT_RULES.len()]`), ASCII.
    main: RegexSet,
    /// The technology rules (`kinds[EXPLICIT_RULES.len() + 1..]`), ASCII.
    tech: RegexSet,
}

static RULES: LazyLock<Rules> = LazyLock::new(|| {
    let mut kinds = Vec::new();
    let mut patterns = Vec::new();
    for (explicit, rules) in [(true, EXPLICIT_RULES), (false, TECH_RULES)] {
        for (role, re) in rules {
            kinds.push(Some((explicit, role_bit(role))));
            patterns.push(*re);
        }
        if explicit {
            kinds.push(None);
            patterns.push(ROLE_NOUN);
        }
    }
    let ascii = |pats: &[&str]| RegexSet::new(pats.iter().map(|re| format!("(?i-u){re}"))).expect("role regex");
    let split = EXPLICIT_RULES.len() + 1;
    let (main, tech) = (ascii(&patterns[..split]), ascii(&patterns[split..]));
    Rules { kinds, main, tech }
});

/// Every pattern as written (without the flags), in [`Rules`] order: the explicit rules, the noun,
/// the technology rules.
#[cfg(test)]
fn all_patterns() -> Vec<&'static str> {
    EXPLICIT_RULES.iter().map(|r| r.1).chain([ROLE_NOUN]).chain(TECH_RULES.iter().map(|r| r.1)).collect()
}

/// Runs the explicit rules and the noun (`tech == false`) or the technology rules over `phrase`.
fn scan_with(phrase: &str, tech: bool) -> Scan {
    let rules = &*RULES;
    let mut s = Scan::default();
    let image;
    let text = if phrase.is_ascii() {
        phrase
    } else {
        image = ascii_image(phrase);
        &image
    };
    let (set, offset) = if tech { (&rules.tech, EXPLICIT_RULES.len() + 1) } else { (&rules.main, 0) };
    // Most phrases match nothing: a leftmost search (it may stop early and use literal prefilters)
    // says so for less than the overlapping search that tells which patterns match.
    if !set.is_match(text) {
        return s;
    }
    for i in set.matches(text).iter() {
        match rules.kinds[offset + i] {
            Some((true, bit)) => s.explicit |= bit,
            Some((false, bit)) => s.tech |= bit,
            None => s.noun = true,
        }
    }
    s
}

/// The explicit rules and the noun over `phrase` (`tech` is left empty).
fn scan(phrase: &str) -> Scan {
    scan_with(phrase, false)
}

/// Roles named in one phrase, given its [`scan`]: the explicit words; only when there are none
/// and the phrase has a role noun, the technology words.
fn phrase_roles(phrase: &str, s: Scan) -> Mask {
    if s.explicit != 0 || !s.noun {
        return s.explicit;
    }
    if phrase.as_bytes().windows(REACT_NATIVE.len()).any(|w| w.eq_ignore_ascii_case(REACT_NATIVE)) {
        // `react native` is mobile (explicit, when whole words); drop it before the `react` fallback.
        let cleaned = phrase.to_ascii_lowercase().replace("react native", " ");
        return scan_with(&cleaned, true).tech;
    }
    scan_with(phrase, true).tech
}

const REACT_NATIVE: &[u8] = b"react native";

/// True for a field that is a URL, an e-mail or a bare domain.
fn is_link(field: &str) -> bool {
    let f = field.trim();
    f.contains("://") || f.starts_with("www.") || (!f.contains(' ') && f.contains('.') && f.len() > 4)
}

/// The items of a field read as a list: split on `,` `/` `&` `+` `;` and ` and `, trimmed, non-empty.
fn list_items(field: &str) -> impl Iterator<Item = &str> {
    field.split([',', '/', '&', '+', ';']).flat_map(|s| s.split(" and ")).map(str::trim).filter(|s| !s.is_empty())
}

/// A field without a role noun still names roles when it is a short list of mostly role words
/// (`Backend, Frontend, SRE`).
fn is_role_list(field: &str) -> bool {
    let mut len = 0;
    for it in list_items(field) {
        if it.split_whitespace().nth(3).is_some() {
            return false;
        }
        len += 1;
    }
    if len == 0 {
        return false;
    }
    let named = list_items(field).filter(|it| phrase_roles(it, scan(it)) != 0).count();
    // At least half of the short items name a role (`Full Stack Web / Hardware`).
    named * 2 >= len
}

/// The fields of an HN first line: split on `|`, else on the first of ` - `, ` – `, ` — `, `; `,
/// ` / ` that splits it.
fn hn_fields(first_line: &str) -> Vec<&str> {
    let fields: Vec<&str> = first_line.split('|').collect();
    if fields.len() < 2 {
        for sep in [" - ", " – ", " — ", "; ", " / "] {
            if first_line.contains(sep) {
                return first_line.split(sep).collect();
            }
        }
    }
    fields
}

/// The roles of an HN first line: those of its role phrases (the fields that name a role).
fn hn_roles(first_line: &str) -> Mask {
    let fields = hn_fields(first_line);
    let mut out = 0;
    for (i, f) in fields.iter().enumerate() {
        // A field running on into the description (no line break after the header): its first words.
        let f = first_words(f, 12);
        if f.trim().is_empty() || is_link(f) {
            continue;
        }
        let s = scan(f);
        // The first field is the company unless it names a role itself.
        let keep = if i == 0 { s.noun || fields.len() == 1 } else { s.noun || is_role_list(f) };
        if keep {
            out |= phrase_roles(f, s);
        }
    }
    out
}

/// The first `n` words of `s` (a slice of it): up to the whitespace that ends the `n`th word.
fn first_words(s: &str, n: usize) -> &str {
    let b = s.as_bytes();
    let mut count = 0;
    let mut in_word = false;
    let mut i = 0;
    while i < b.len() {
        // ASCII bytes are classified directly; a non-ASCII character is decoded.
        let (white, len) = match b[i] {
            c if c.is_ascii() => (c.is_ascii_whitespace() || c == 0x0b, 1),
            _ => {
                let c = s[i..].chars().next().expect("char boundary");
                (c.is_whitespace(), c.len_utf8())
            }
        };
        if white {
            if in_word {
                count += 1;
                if count == n {
                    return &s[..i];
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
        i += len;
    }
    s
}

/// The first `n` characters of `s`.
fn prefix_chars(s: &str, n: usize) -> &str {
    if s.len() <= n {
        // No more bytes than `n`, so no more characters.
        return s;
    }
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// The posting's roles: sorted (in [`ROLES`] order), unique, never empty (`["other"]`).
pub fn classify(title: Option<&str>, text: &str, source: &str) -> Vec<&'static str> {
    let found = match title.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => phrase_roles(t, scan(t)),
        None if source == "hn" => {
            let first = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
            hn_roles(prefix_chars(first, 300))
        }
        None => {
            let p = prefix_chars(text, 200);
            phrase_roles(p, scan(p))
        }
    };
    let mut out: Vec<&'static str> =
        ROLES.iter().enumerate().filter(|(i, _)| found & (1 << i) != 0).map(|(_, r)| *r).collect();
    if out.is_empty() {
        out.push("other");
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use regex::Regex;

    use super::*;

    #[test]
    fn titles() {
        for (t, want) in [
            ("Senior Backend Engineer", vec!["backend"]),
            ("Software Engineer, Machine Learning", vec!["ml-ai"]),
            ("Full Stack Engineer (React/Node)", vec!["full-stack"]),
            ("Engineering Manager, Platform", vec!["platform", "engineering-management"]),
            ("Senior Python Developer", vec!["backend"]),
            ("React Native Developer", vec!["mobile"]),
            ("Software Engineer", vec!["other"]),
            ("Product Designer", vec!["other"]),
        ] {
            assert_eq!(classify(Some(t), "", "greenhouse"), want, "{t}");
        }
    }

    #[test]
    fn hn_first_lines() {
        for (t, want) in [
            ("Acme | Senior Backend Engineer, Frontend Engineer, SRE | Remote", vec!["backend", "frontend", "sre"]),
            ("Platformly | Software Engineer | NYC", vec!["other"]),
            ("Acme | Backend, Data | Remote | $150k", vec!["backend", "data"]),
            ("Acme | https://acme.ai | iOS Engineer | SF", vec!["mobile"]),
            ("Acme (YC W20) is hiring DevOps engineers in Berlin\nMore text about data.", vec!["devops"]),
        ] {
            assert_eq!(classify(None, t, "hn"), want, "{t}");
        }
    }

    #[test]
    fn roles_are_sorted_unique_nonempty() {
        let r = classify(Some("Backend backend BACKEND engineer, data, AI"), "", "x");
        assert_eq!(r, vec!["backend", "data", "ml-ai"]);
        assert_eq!(classify(None, "", "hn"), vec!["other"]);
        assert_eq!(classify(Some("  "), "We need an Android developer", "lever"), vec!["mobile"]);
    }

    /// The premise of `ascii_image`: no non-ASCII character but the Kelvin sign and the long s
    /// matches an ASCII letter under Unicode case folding, nor any other character of a rule.
    #[test]
    fn only_kelvin_and_long_s_fold_to_ascii() {
        let rule_chars: String = all_patterns().concat().chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        let class = Regex::new(&format!("(?i)^[{rule_chars} ,/&#.\\-]$")).unwrap();
        let folding: Vec<char> = (0x80..=0x10ffff)
            .filter_map(char::from_u32)
            .filter(|c| class.is_match(c.encode_utf8(&mut [0; 4])))
            .collect();
        assert_eq!(folding, vec!['\u{17f}', '\u{212a}']);
        assert!(!all_patterns().concat().contains(['_', '\0']));
    }

    /// The classification as first written: a set per rule group and a separate noun regex, all
    /// with Unicode `\b`, a Vec of roles per phrase.
    mod reference {
        use std::sync::LazyLock;

        use regex::{Regex, RegexSet};

        use super::super::{EXPLICIT_RULES, ROLE_NOUN, ROLES, TECH_RULES, is_link, prefix_chars};

        fn set(rules: &[(&str, &str)]) -> RegexSet {
            RegexSet::new(rules.iter().map(|(_, re)| format!("(?i){re}"))).unwrap()
        }
        static EXPLICIT: LazyLock<RegexSet> = LazyLock::new(|| set(EXPLICIT_RULES));
        static TECH: LazyLock<RegexSet> = LazyLock::new(|| set(TECH_RULES));
        static NOUN: LazyLock<Regex> = LazyLock::new(|| Regex::new(&format!("(?i){ROLE_NOUN}")).unwrap());

        fn phrase_roles(phrase: &str, out: &mut Vec<&'static str>) {
            let before = out.len();
            out.extend(EXPLICIT.matches(phrase).iter().map(|i| EXPLICIT_RULES[i].0));
            if out.len() == before && NOUN.is_match(phrase) {
                let cleaned = phrase.to_ascii_lowercase().replace("react native", " ");
                out.extend(TECH.matches(&cleaned).iter().map(|i| TECH_RULES[i].0));
            }
        }

        fn is_role_list(field: &str) -> bool {
            let items: Vec<&str> = field.split([',', '/', '&', '+', ';']).flat_map(|s| s.split(" and ")).collect();
            let items: Vec<&str> = items.into_iter().map(str::trim).filter(|s| !s.is_empty()).collect();
            if items.is_empty() || items.iter().any(|it| it.split_whitespace().count() > 3) {
                return false;
            }
            let named = items
                .iter()
                .filter(|it| {
                    let mut v = Vec::new();
                    phrase_roles(it, &mut v);
                    !v.is_empty()
                })
                .count();
            named * 2 >= items.len()
        }

        fn hn_role_phrases(first_line: &str) -> Vec<&str> {
            let mut fields: Vec<&str> = first_line.split('|').collect();
            if fields.len() < 2 {
                for sep in [" - ", " – ", " — ", "; ", " / "] {
                    let f: Vec<&str> = first_line.split(sep).collect();
                    if f.len() >= 2 {
                        fields = f;
                        break;
                    }
                }
            }
            let mut out = Vec::new();
            for (i, f) in fields.iter().enumerate() {
                let f = first_words_chars(f, 12);
                if f.trim().is_empty() || is_link(f) {
                    continue;
                }
                let noun = NOUN.is_match(f);
                let keep = if i == 0 { noun || fields.len() == 1 } else { noun || is_role_list(f) };
                if keep {
                    out.push(f);
                }
            }
            out
        }

        /// `first_words` over `char_indices`.
        pub fn first_words_chars(s: &str, n: usize) -> &str {
            let mut count = 0;
            let mut in_word = false;
            for (i, c) in s.char_indices() {
                if c.is_whitespace() {
                    if in_word {
                        count += 1;
                        if count == n {
                            return &s[..i];
                        }
                    }
                    in_word = false;
                } else {
                    in_word = true;
                }
            }
            s
        }

        pub fn classify(title: Option<&str>, text: &str, source: &str) -> Vec<&'static str> {
            let mut found = Vec::new();
            match title.map(str::trim).filter(|t| !t.is_empty()) {
                Some(t) => phrase_roles(t, &mut found),
                None if source == "hn" => {
                    let first = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
                    for p in hn_role_phrases(prefix_chars(first, 300)) {
                        phrase_roles(p, &mut found);
                    }
                }
                None => phrase_roles(prefix_chars(text, 200), &mut found),
            }
            let mut out: Vec<&'static str> = ROLES.iter().copied().filter(|r| found.contains(r)).collect();
            if out.is_empty() {
                out.push("other");
            }
            out
        }
    }

    /// Words and separators the rules care about, some non-ASCII (Unicode word characters,
    /// Unicode whitespace, the Kelvin sign and long s that fold to `k` and `s`).
    const WORDS: &[&str] = &[
        "Senior",
        "Backend",
        "back-end",
        "Frontend",
        "Full Stack",
        "fullstack",
        "React",
        "react native",
        "React Native",
        "Native",
        "Python",
        "Go",
        "Rust",
        "C#",
        ".NET",
        "node.js",
        "Swift",
        "Kotlin",
        "SQL",
        "Spark",
        "k8s",
        "K8S",
        "terraform",
        "Engineer",
        "Engineers",
        "Developer",
        "dev",
        "Manager",
        "Head of Engineering",
        "VP, Engineering",
        "CTO",
        "SRE",
        "SREs",
        "Data",
        "ML",
        "AI",
        "AI/ML",
        "iOS",
        "Android",
        "Security",
        "threats",
        "Platform",
        "Infra",
        "DevOps",
        "sysadmin",
        "Acme",
        "Remote",
        "NYC",
        "https://acme.ai",
        "www.acme.io",
        "acme.com",
        "and",
        "Sales",
        "Designer",
        "Intern",
        "é",
        "Dévelopeur",
        "Ingénieur",
        "データ",
        "ai\u{301}",
        "\u{212a}8s",
        "\u{17f}re",
        "mlé",
        "éml",
        "_",
        "ml_",
        "|",
        " | ",
        " - ",
        " – ",
        " — ",
        "; ",
        " / ",
        ",",
        "/",
        "&",
        "+",
        " ",
        "  ",
        "\u{a0}",
        "\u{2003}",
        "\t",
        "\n",
        "(",
        ")",
        "Python Engineer",
        "Rails developer",
        "React developer",
    ];

    fn phrase() -> impl Strategy<Value = String> {
        prop::collection::vec((prop::sample::select(WORDS), prop::bool::ANY), 0..24)
            .prop_map(|ws| ws.iter().map(|(w, sp)| if *sp { format!("{w} ") } else { w.to_string() }).collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The fast classification (one combined set, ASCII set on ASCII phrases, masks) gives the
        /// reference result, for titles, HN first lines and other texts.
        #[test]
        fn classify_equals_reference(p in phrase(), title in prop::bool::ANY, hn in prop::bool::ANY) {
            let title = title.then_some(p.as_str());
            let source = if hn { "hn" } else { "lever" };
            prop_assert_eq!(classify(title, &p, source), reference::classify(title, &p, source));
        }

        /// The ASCII set on a phrase's ASCII image reports the patterns the Unicode rules match on
        /// the phrase.
        #[test]
        fn ascii_image_matches_as_unicode(p in "[ -~\t\n]{0,40}", q in phrase(), r in "\\PC{0,30}") {
            let unicode = RegexSet::new(all_patterns().iter().map(|re| format!("(?i){re}"))).unwrap();
            for s in [p.as_str(), q.as_str(), r.as_str()] {
                let image = if s.is_ascii() { s.to_string() } else { ascii_image(s) };
                let split = EXPLICIT_RULES.len() + 1;
                let mut a: Vec<usize> = RULES.main.matches(&image).iter().collect();
                a.extend(RULES.tech.matches(&image).iter().map(|i| i + split));
                let u: Vec<usize> = unicode.matches(s).iter().collect();
                prop_assert_eq!(a, u, "{:?}", s);
            }
        }

        #[test]
        fn first_words_equals_reference(p in phrase(), n in 1usize..14) {
            prop_assert_eq!(first_words(&p, n), reference::first_words_chars(&p, n));
        }
    }
}
