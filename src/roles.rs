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

use std::sync::LazyLock;

use regex::{Regex, RegexSet};

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

/// Explicit role words: each fires its role. One [`RegexSet`] (one pass over a phrase instead of
/// one search per role; same result as each rule's own `is_match`).
static EXPLICIT: LazyLock<RoleSet> = LazyLock::new(|| {
    let rules: &[(&str, &str)] = &[
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
    RoleSet::new(rules)
});

/// Technology words that decide a role only when no explicit role word is present.
static TECH: LazyLock<RoleSet> = LazyLock::new(|| {
    let rules: &[(&str, &str)] = &[
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
    RoleSet::new(rules)
});

/// Case-insensitive rules `(role, regex)` as one set.
struct RoleSet {
    roles: Vec<&'static str>,
    set: RegexSet,
}

impl RoleSet {
    fn new(rules: &[(&'static str, &str)]) -> Self {
        let set = RegexSet::new(rules.iter().map(|(_, re)| format!("(?i){re}"))).expect("role regex");
        RoleSet { roles: rules.iter().map(|(r, _)| *r).collect(), set }
    }

    /// Pushes the role of every rule matching `phrase`, in rule order.
    fn push_matches(&self, phrase: &str, out: &mut Vec<&'static str>) {
        out.extend(self.set.matches(phrase).iter().map(|i| self.roles[i]));
    }
}

/// A noun that makes a phrase name a job.
static ROLE_NOUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:engineers?|engineering|developers?|devs?|programmers?|scientists?|architects?|managers?|leads?|head|directors?|vp|cto|sres?|devops|analysts?|researchers?|hackers?|specialists?|administrators?|interns?|consultants?|roles?|positions?|swes?|sdes?)\b",
    )
    .expect("role noun regex")
});

/// Roles named in one phrase (explicit words first, technology words only as a fallback).
fn phrase_roles(phrase: &str, out: &mut Vec<&'static str>) {
    let before = out.len();
    EXPLICIT.push_matches(phrase, out);
    if out.len() == before && ROLE_NOUN.is_match(phrase) {
        // `react native` is mobile (explicit above); drop it before the `react` fallback.
        let cleaned = phrase.to_ascii_lowercase().replace("react native", " ");
        TECH.push_matches(&cleaned, out);
    }
}

/// True for a field that is a URL, an e-mail or a bare domain.
fn is_link(field: &str) -> bool {
    let f = field.trim();
    f.contains("://") || f.starts_with("www.") || (!f.contains(' ') && f.contains('.') && f.len() > 4)
}

/// A field without a role noun still names roles when it is a short list of mostly role words
/// (`Backend, Frontend, SRE`).
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
    // At least half of the short items name a role (`Full Stack Web / Hardware`).
    named * 2 >= items.len()
}

/// The role phrases of an HN first line.
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
        // A field running on into the description (no line break after the header): its first words.
        let f = first_words(f, 12);
        if f.trim().is_empty() || is_link(f) {
            continue;
        }
        let noun = ROLE_NOUN.is_match(f);
        // The first field is the company unless it names a role itself.
        let keep = if i == 0 { noun || fields.len() == 1 } else { noun || is_role_list(f) };
        if keep {
            out.push(f);
        }
    }
    out
}

/// The first `n` words of `s` (a slice of it).
fn first_words(s: &str, n: usize) -> &str {
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

/// The first `n` characters of `s`.
fn prefix_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// The posting's roles: sorted (in [`ROLES`] order), unique, never empty (`["other"]`).
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

#[cfg(test)]
mod tests {
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
}
