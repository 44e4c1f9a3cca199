//! The span finder against the reference it replaced: the one combined regex (patterns first, then the
//! literals longest first, between ASCII half word boundaries), built here exactly as the matcher built it
//! before. Property tests on texts made of the taxonomy's own forms in random case, glued or separated.

use proptest::prelude::*;

use super::*;

/// The combined regex, as `Matcher::new` built it up to the span finder.
fn reference(tax: &Taxonomy) -> regex::Regex {
    let mut alts: Vec<(String, bool)> = Vec::new();
    let mut parts = Vec::new();
    for k in tax.keywords() {
        for (list, cs) in [
            (&k.aliases, false),
            (&k.case_sensitive, true),
            (&k.weak, false),
            (&k.weak_case_sensitive, true),
            (&k.weak_local, false),
        ] {
            alts.extend(list.iter().map(|l| (l.clone(), cs)));
        }
        parts.extend(k.patterns.iter().map(|p| format!("(?i:{p})")));
    }
    alts.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
    alts.dedup_by(|a, b| a.0.eq_ignore_ascii_case(&b.0) && !a.1 && !b.1);
    for (lit, cs) in &alts {
        let esc = regex::escape(lit);
        parts.push(if *cs { format!("(?-i:{esc})") } else { format!("(?i-u:{esc})") });
    }
    let combined = format!(r"(?-u:\b{{start-half}})(?:{})(?-u:\b{{end-half}})", parts.join("|"));
    regex::RegexBuilder::new(&combined).size_limit(64 << 20).dfa_size_limit(64 << 20).build().expect("reference")
}

/// The matcher under test and the reference, for one taxonomy.
fn both(tax: &Taxonomy) -> (Matcher, regex::Regex) {
    (Matcher::new(tax).expect("matcher"), reference(tax))
}

fn reference_spans(re: &regex::Regex, text: &str) -> Vec<(usize, usize)> {
    re.find_iter(text).map(|m| (m.start(), m.end())).collect()
}

/// A taxonomy with the awkward cases: an exact-case form beside a case-insensitive one, forms that
/// are prefixes of others, forms starting or ending with a non-word byte, and patterns that overlap
/// literals (a pattern wins at the same start).
const AWKWARD: &str = r#"
[[keyword]]
id = "go"
label = "Go"
category = "language"
aliases = ["golang", "go-lang"]
weak_case_sensitive = ["Go", "GO"]
weak_local = ["go"]
list_context = true

[[keyword]]
id = "node"
label = "Node"
category = "framework"
aliases = ["node.js", "nodejs", "node js"]
weak = ["node"]
list_context = true

[[keyword]]
id = "cpp"
label = "C++"
category = "language"
aliases = ["c++", "cpp"]
patterns = ['c\+\+\d\d', 'c\+\+ ?2[036]']

[[keyword]]
id = "dotnet"
label = ".NET"
category = "framework"
aliases = [".net", "asp.net", ".net core", "c#"]

[[keyword]]
id = "s3"
label = "S3"
category = "cloud"
case_sensitive = ["S3"]
aliases = ["amazon s3", "aws s3"]
"#;

/// What goes between forms: separators, word bytes that glue, digits, non-ASCII text.
const SEPARATORS: &[&str] = &[" ", " ", ", ", ".", "-", "/", "\n", "#", "_", "x", "1", "é", "—", "(", ")", "+", "11"];

fn awkward() -> Taxonomy {
    Taxonomy::from_sources(vec![("awkward.toml".into(), AWKWARD.into())]).expect("taxonomy")
}

/// Forms in random case, glued to word bytes or separated, with non-ASCII text between.
fn text_from(forms: Vec<String>) -> impl Strategy<Value = String> {
    text_of(forms, 24)
}

/// [`text_from`] of up to `pieces` pieces.
fn text_of(forms: Vec<String>, pieces: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => (prop::sample::select(forms), 0u8..4).prop_map(|(f, case)| match case {
            0 => f,
            1 => f.to_ascii_lowercase(),
            2 => f.to_ascii_uppercase(),
            _ => f.chars().enumerate().map(|(i, c)| if i % 2 == 0 { c.to_ascii_uppercase() } else { c }).collect(),
        }),
        3 => prop::sample::select(SEPARATORS.to_vec()).prop_map(str::to_string),
    ];
    prop::collection::vec(piece, 0..pieces).prop_map(|v| v.concat())
}

fn forms_of(tax: &Taxonomy) -> Vec<String> {
    let mut v: Vec<String> = tax.keywords().iter().flat_map(Keyword::literals).cloned().collect();
    v.extend(["c++11", "C++ 20", "node.jsx", "Gopher", "xgo", ".NETwork"].map(String::from));
    v
}

#[test]
fn spans_equal_the_reference_on_edge_cases() {
    let (m, re) = both(&awkward());
    for t in [
        "",
        "Go GO go gO golang",
        "node.jsx node.js node. nodejs",
        "c++11 c++ 20 C++20 c++2 c++",
        "asp.net .NET core x.net c#",
        "S3 s3 aws s3 AWS S3",
        "é.net—go_go go_ go",
    ] {
        assert_eq!(m.candidate_spans(t), reference_spans(&re, t), "{t:?}");
    }
}

/// Texts long enough to be scanned as two halves, with a form across the middle at every offset.
#[test]
fn spans_across_the_middle_of_a_long_text_equal_the_reference() {
    let (m, re) = both(&awkward());
    for form in ["amazon s3", ".net core", "node.js", "c#", "go-lang", "C++ 20"] {
        for pad in 0..form.len() + 2 {
            let half = "x ".repeat(super::spans::SPLIT_MIN / 2);
            let t = format!("{}{}{form} go{half}", &half[..half.len() - pad], " ".repeat(pad.min(1)));
            assert!(t.len() >= super::spans::SPLIT_MIN);
            assert_eq!(m.candidate_spans(&t), reference_spans(&re, &t), "{form:?} at {pad}");
        }
    }
}

#[test]
fn an_empty_pattern_is_rejected() {
    let toml = "[[keyword]]\nid = \"x\"\nlabel = \"X\"\ncategory = \"language\"\npatterns = ['x?']\n";
    let e = Taxonomy::from_sources(vec![("t.toml".into(), toml.into())]).map(|_| ()).unwrap_err();
    assert!(e.to_string().contains("matches the empty string"), "{e}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// The built-in taxonomy: the same spans as the combined regex.
    #[test]
    fn builtin_spans_equal_the_reference(t in text_from(forms_of(&Taxonomy::builtin().expect("taxonomy")))) {
        static M: std::sync::LazyLock<(Matcher, regex::Regex)> =
            std::sync::LazyLock::new(|| both(&Taxonomy::builtin().expect("taxonomy")));
        prop_assert_eq!(M.0.candidate_spans(&t), reference_spans(&M.1, &t));
    }

    /// The built-in taxonomy on texts long enough to be scanned as two halves.
    #[test]
    fn builtin_spans_of_long_texts_equal_the_reference(
        t in text_of(forms_of(&Taxonomy::builtin().expect("taxonomy")), 400)
    ) {
        static M: std::sync::LazyLock<(Matcher, regex::Regex)> =
            std::sync::LazyLock::new(|| both(&Taxonomy::builtin().expect("taxonomy")));
        prop_assert_eq!(M.0.candidate_spans(&t), reference_spans(&M.1, &t));
    }

    /// The awkward taxonomy: the same spans as the combined regex.
    #[test]
    fn awkward_spans_equal_the_reference(t in text_from(forms_of(&awkward()))) {
        static M: std::sync::LazyLock<(Matcher, regex::Regex)> = std::sync::LazyLock::new(|| both(&awkward()));
        prop_assert_eq!(M.0.candidate_spans(&t), reference_spans(&M.1, &t));
    }
}
