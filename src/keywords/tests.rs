//! Unit tests: the built-in taxonomy's tables, config errors, matcher rules, the labelled evaluation set, and
//! property tests (an alias between word boundaries is found; glued inside a longer word it is not).

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;

use super::*;

fn tax(toml: &str) -> Result<Taxonomy, KeywordError> {
    Taxonomy::from_sources(vec![("test.toml".into(), toml.into())])
}

fn builtin() -> (Taxonomy, Matcher) {
    let t = Taxonomy::builtin().expect("builtin taxonomy");
    let m = Matcher::new(&t).expect("matcher");
    (t, m)
}

#[test]
fn builtin_has_every_required_id() {
    let (t, _) = builtin();
    for id in super::REQUIRED_IDS {
        assert!(t.index_of(id).is_some(), "missing required id {id}");
    }
}

#[test]
fn ids_are_unique_and_kebab_case() {
    let (t, _) = builtin();
    let mut seen = BTreeSet::new();
    for k in t.keywords() {
        assert!(is_kebab(&k.id), "{} is not kebab-case", k.id);
        assert!(seen.insert(&k.id), "duplicate {}", k.id);
        assert_eq!(t.index_of(&k.id).map(|i| &t.keywords()[i].id), Some(&k.id));
    }
}

#[test]
fn every_pattern_compiles_on_its_own() {
    let (t, _) = builtin();
    for k in t.keywords() {
        for p in &k.patterns {
            regex::Regex::new(p).unwrap_or_else(|e| panic!("{}: {p}: {e}", k.id));
        }
    }
}

#[test]
fn builtin_file_list_matches_the_keywords_dir_in_canonical_order() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("keywords");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("keywords/")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml") && n != NOT_TAXONOMY)
        .collect();
    on_disk.sort();
    let listed: Vec<String> = BUILTIN_FILES.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(listed, on_disk, "BUILTIN_FILES must list keywords/*.toml in alphabetical order");
    for (name, text) in BUILTIN_FILES {
        let disk = std::fs::read_to_string(dir.join(name)).expect("read");
        assert_eq!(&disk, text, "{name} changed on disk: rebuild");
        assert!(text.starts_with("# "), "{name} must start with a comment saying what it holds");
    }
    let loaded = Taxonomy::load_dir(&dir).expect("load_dir");
    let builtin = Taxonomy::builtin().expect("builtin");
    let strip =
        |t: &Taxonomy| t.keywords().iter().map(|k| Keyword { file: String::new(), ..k.clone() }).collect::<Vec<_>>();
    assert_eq!(strip(&loaded), strip(&builtin));
    assert_eq!(loaded.fingerprint(), builtin.fingerprint());
}

#[test]
fn fingerprint_changes_with_content() {
    let a = tax("[[keyword]]\nid = \"a\"\nlabel = \"A\"\ncategory = \"x\"\naliases = [\"alpha\"]\n").unwrap();
    let b = tax("[[keyword]]\nid = \"a\"\nlabel = \"A\"\ncategory = \"x\"\naliases = [\"alphas\"]\n").unwrap();
    assert_ne!(a.fingerprint(), b.fingerprint());
    assert_eq!(
        a.fingerprint(),
        tax("[[keyword]]\nid = \"a\"\nlabel = \"A\"\ncategory = \"x\"\naliases = [\"alpha\"]\n").unwrap().fingerprint()
    );
}

#[test]
fn matcher_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Matcher>();
    check::<Taxonomy>();
}

// ---- config errors name the file and the keyword ----

#[test]
fn unknown_field_error_is_pinned() {
    let err =
        tax("[[keyword]]\nid = \"go\"\nlabel = \"Go\"\ncategory = \"language\"\nalias = [\"golang\"]\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "test.toml: keyword \"go\": unknown field `alias`, expected one of `id`, `label`, `category`, `aliases`, \
         `case_sensitive`, `patterns`, `weak`, `weak_case_sensitive`, `weak_local`, `exclude`, `soft_exclude`, \
         `exclude_before`, `exclude_after`, `before`, `after`, `near`, `list_context`, `use_statements`, \
         `requires_context`, `implies`, `disabled`"
    );
}

#[test]
fn config_errors_name_file_and_keyword() {
    let k = |id: &str, extra: &str| format!("[[keyword]]\nid = \"{id}\"\nlabel = \"L\"\ncategory = \"c\"\n{extra}\n");
    let cases: &[(String, &str)] = &[
        (k("a", "patterns = ['(unclosed']"), "test.toml: keyword \"a\": bad regex \"(unclosed\""),
        (k("a", "aliases = [\"x\"]") + &k("a", "aliases = [\"y\"]"), "test.toml: keyword \"a\": duplicate id"),
        (
            k("a", "aliases = [\"shared\"]") + &k("b", "case_sensitive = [\"Shared\"]"),
            "test.toml: keyword \"b\": alias \"Shared\" is already claimed by \"a\"",
        ),
        (k("a", "aliases = [\"x\"]\nimplies = [\"nope\"]"), "test.toml: keyword \"a\": implies unknown id \"nope\""),
        (
            k("a", "weak = [\"x\"]\nrequires_context = [\"@nope\"]"),
            "test.toml: keyword \"a\": requires_context names unknown id or category \"@nope\"",
        ),
        (k("Bad_Id", "aliases = [\"x\"]"), "test.toml: keyword \"Bad_Id\": id must be kebab-case"),
        (k("a", "weak = [\"x\"]"), "test.toml: keyword \"a\": weak forms need a context rule"),
        (k("a", ""), "test.toml: keyword \"a\": no aliases"),
        (k("a", "aliases = \"x\""), "test.toml: keyword \"a\": invalid type"),
    ];
    for (toml, want) in cases {
        let err = tax(toml).expect_err(want).to_string();
        assert!(err.starts_with(want), "got {err:?}, want prefix {want:?}");
    }
}

#[test]
fn load_dir_names_the_path_and_skips_predictions() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("predictions.toml"), "not a taxonomy = [").unwrap();
    std::fs::write(
        dir.path().join("a.toml"),
        "[[keyword]]\nid = \"x\"\nlabel = \"X\"\ncategory = \"c\"\naliases = [\"xx\"]\n",
    )
    .unwrap();
    let t = Taxonomy::load_dir(dir.path()).expect("predictions.toml is skipped");
    assert_eq!(t.keywords().len(), 1);
    std::fs::write(dir.path().join("b.toml"), "[[keyword]]\nid = \"y\"\nlabel = \"Y\"\ncategory = \"c\"\nbogus = 1\n")
        .unwrap();
    let err = Taxonomy::load_dir(dir.path()).unwrap_err().to_string();
    assert!(err.contains("b.toml: keyword \"y\": unknown field `bogus`"), "{err}");
}

// ---- overlay (--keywords-dir), fingerprint, resolve ----

fn overlay(files: &[(&str, &str)]) -> Result<Taxonomy, KeywordError> {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    Taxonomy::with_overlay(Some(dir.path()))
}

#[test]
fn overlay_adds_replaces_and_disables_by_id() {
    let builtin = Taxonomy::builtin().unwrap();
    let n = builtin.keywords().len();
    assert!(builtin.is_builtin());
    let added = overlay(&[(
        "mine.toml",
        "[[keyword]]\nid = \"htmx\"\nlabel = \"htmx\"\ncategory = \"framework\"\naliases = [\"htmx\"]\n",
    )])
    .unwrap();
    assert_eq!(added.keywords().len(), n + 1);
    assert_eq!(added.keywords().last().unwrap().id, "htmx");
    assert!(added.keywords().last().unwrap().file.ends_with("mine.toml"));
    assert!(!added.is_builtin());
    assert_ne!(added.fingerprint(), builtin.fingerprint());
    let m = Matcher::new(&added).unwrap();
    assert_eq!(m.find_ids("htmx and Go developer"), ["go", "htmx"]);

    // replacing keeps the position and takes every field from the overlay
    let replaced = overlay(&[(
        "go.toml",
        "[[keyword]]\nid = \"go\"\nlabel = \"Golang\"\ncategory = \"language\"\naliases = [\"golang\"]\n",
    )])
    .unwrap();
    assert_eq!(replaced.keywords().len(), n);
    assert_eq!(replaced.index_of("go"), builtin.index_of("go"));
    assert_eq!(replaced.get("go").unwrap().label, "Golang");
    let m = Matcher::new(&replaced).unwrap();
    assert_eq!(m.find_ids("Go developer, golang"), ["go"]);
    assert!(m.explain("Go developer").is_empty(), "the weak forms are gone");

    let disabled = overlay(&[("off.toml", "[[keyword]]\nid = \"quantum\"\ndisabled = true\n")]).unwrap();
    assert_eq!(disabled.keywords().len(), n - 1);
    assert_eq!(disabled.index_of("quantum"), None);
}

#[test]
fn overlay_errors_name_the_file_and_the_keyword() {
    let cases: &[(&[(&str, &str)], &str)] = &[
        (
            &[("a.toml", "[[keyword]]\nid = \"nope\"\ndisabled = true\n")],
            "a.toml: keyword \"nope\": disabled = true names no built-in keyword",
        ),
        (
            &[("a.toml", "[[keyword]]\nid = \"go\"\ndisabled = true\naliases = [\"x\"]\n")],
            "a.toml: keyword \"go\": disabled = true takes no other field",
        ),
        (
            &[
                ("a.toml", "[[keyword]]\nid = \"x\"\nlabel = \"X\"\ncategory = \"c\"\naliases = [\"xx\"]\n"),
                ("b.toml", "[[keyword]]\nid = \"x\"\nlabel = \"X\"\ncategory = \"c\"\naliases = [\"xy\"]\n"),
            ],
            "b.toml: keyword \"x\": duplicate id (first defined in",
        ),
        (
            &[("a.toml", "[[keyword]]\nid = \"pg2\"\nlabel = \"P\"\ncategory = \"c\"\naliases = [\"Postgres\"]\n")],
            "a.toml: keyword \"pg2\": alias \"Postgres\" is already claimed by \"postgresql\"",
        ),
        (&[("a.toml", "[[keyword]]\nid = \"aws\"\ndisabled = true\n")], "implies unknown id \"aws\""),
        (&[("a.toml", "[[keyword]]\nid = \"x\"\naliases = [\"xx\"]\n")], "a.toml: keyword \"x\": label and category"),
    ];
    for (files, want) in cases {
        let err = overlay(files).expect_err(want).to_string();
        assert!(err.contains(want), "got {err:?}, want {want:?}");
    }
    let err = tax("[[keyword]]\nid = \"go\"\ndisabled = true\n").unwrap_err().to_string();
    assert!(err.contains("only applies to a --keywords-dir overlay"), "{err}");
}

#[test]
fn exported_files_overlay_to_the_builtin_taxonomy() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("kw");
    let written = export_builtin(&out, false).unwrap();
    assert_eq!(written.len(), BUILTIN_FILES.len());
    let err = export_builtin(&out, false).unwrap_err().to_string();
    assert!(err.ends_with("already exists (pass --force to overwrite)"), "{err}");
    export_builtin(&out, true).unwrap();
    let t = Taxonomy::with_overlay(Some(&out)).unwrap();
    let b = Taxonomy::builtin().unwrap();
    assert!(t.is_builtin());
    assert_eq!(t.fingerprint(), b.fingerprint());
    assert_eq!(
        t.keywords().iter().map(|k| &k.id).collect::<Vec<_>>(),
        b.keywords().iter().map(|k| &k.id).collect::<Vec<_>>()
    );
}

#[test]
fn fingerprint_covers_every_matching_field_and_only_those() {
    let base = "[[keyword]]\nid = \"a\"\nlabel = \"A\"\ncategory = \"x\"\naliases = [\"alpha\"]\n";
    let fp = |extra: &str| tax(&format!("{base}{extra}")).unwrap().fingerprint();
    let plain = fp("");
    // comments, layout and the label do not change matching
    assert_eq!(
        plain,
        tax(&format!("# comment\n{}", base.replace("label = \"A\"", "label = \"Another\""))).unwrap().fingerprint()
    );
    let changes = [
        "case_sensitive = [\"ALPHA2\"]",
        "patterns = ['alph\\d']",
        "weak = [\"al\"]\nlist_context = true",
        "weak_case_sensitive = [\"Al\"]\nlist_context = true",
        "weak_local = [\"al\"]\nlist_context = true",
        "exclude = [\"alpha beta\"]",
        "soft_exclude = [\"alpha beta\"]",
        "exclude_before = [\".\"]",
        "exclude_after = [\"-x\"]",
        "before = [\"in\"]",
        "after = [\"code\"]",
        "near = [\"greek\"]",
        "list_context = true",
        "use_statements = true",
        "requires_context = [\"@x\"]",
    ];
    let mut seen = BTreeSet::from([plain]);
    for c in changes {
        assert!(seen.insert(fp(c)), "{c} does not change the fingerprint");
    }
    let two = format!("{base}[[keyword]]\nid = \"b\"\nlabel = \"B\"\ncategory = \"x\"\naliases = [\"beta\"]\n");
    let implies = two.replace("aliases = [\"alpha\"]", "aliases = [\"alpha\"]\nimplies = [\"b\"]");
    assert_ne!(tax(&two).unwrap().fingerprint(), tax(&implies).unwrap().fingerprint());
    let recat = base.replace("category = \"x\"", "category = \"y\"");
    assert_ne!(plain, tax(&recat).unwrap().fingerprint());
    let renamed = base.replace("id = \"a\"", "id = \"b\"");
    assert_ne!(plain, tax(&renamed).unwrap().fingerprint());
}

#[test]
fn resolve_trims_lists_and_suggests_ids() {
    let (t, _) = builtin();
    let got = t.resolve(&["rust, go", "", " postgresql ", "rust"]).unwrap();
    let ids: Vec<&str> = got.iter().map(|&i| t.keywords()[i].id.as_str()).collect();
    assert_eq!(ids, ["rust", "go", "postgresql"]);
    assert!(t.resolve::<&str>(&[]).unwrap().is_empty());
    let cases = [
        ("postgres", Some("postgresql")),
        ("Rust", Some("rust")),
        ("node", Some("nodejs")),
        ("Node.js", Some("nodejs")),
        ("golang", Some("go")),
        ("kubernets", Some("kubernetes")),
        ("typscript", Some("typescript")),
        ("htmx", None),
    ];
    for (typed, want) in cases {
        let err = t.resolve(&[typed]).unwrap_err();
        let msg = err.to_string();
        match want {
            Some(id) => assert_eq!(
                msg,
                format!("unknown keyword id \"{typed}\" (did you mean \"{id}\"? list them with: jobtrend keywords)")
            ),
            None => assert_eq!(msg, format!("unknown keyword id \"{typed}\" (list them with: jobtrend keywords)")),
        }
    }
    assert_eq!(split_ids(&[" a ,b,, ", "c"]), ["a", "b", "c"]);
}

// ---- matcher rules, as tables ----

fn ids(m: &Matcher, text: &str) -> Vec<String> {
    m.find_ids(text).into_iter().map(String::from).collect()
}

#[test]
fn boundary_cases() {
    let (_, m) = builtin();
    let cases: &[(&str, &[&str])] = &[
        ("C# and .NET", &["csharp"]),
        ("ASP.NET Core", &["csharp"]),
        ("C#/.NET, C++", &["cpp", "csharp"]),
        ("C++17, C++20", &["cpp"]),
        ("C/C++", &["cpp"]),
        ("Node.js", &["nodejs"]),
        ("Next.js", &["nextjs"]),
        ("Vue.js", &[]),
        ("JavaScript", &["javascript"]),
        ("javascripts", &[]),
        ("gopher golangs", &[]),
        ("postgresqlx", &[]),
        ("xpostgres", &[]),
        ("TS/SCI", &[]),
        ("React + TS", &["react", "typescript"]),
        ("pgvector", &["pgvector", "vector-database"]),
        ("EKS", &["aws", "eks", "kubernetes"]),
        ("Temporal, Postgres", &["durable-execution", "postgresql", "temporal"]),
        ("modular monolith", &["modular-monolith", "monolith"]),
        ("", &[]),
    ];
    for (text, want) in cases {
        assert_eq!(ids(&m, text), *want, "{text:?}");
    }
}

/// Plain statements of use keep every ambiguous id; the same words as verbs, nouns or names do not.
#[test]
fn statements_of_use_and_traps() {
    let (_, m) = builtin();
    let cases: &[(&str, &[&str])] = &[
        ("We use Rust", &["rust"]),
        ("Stack: Rust", &["rust"]),
        ("Tech: Go", &["go"]),
        ("We use Go.", &["go"]),
        ("we use go for everything", &["go"]),
        ("We use Node for the API", &["nodejs"]),
        ("Our stack includes Bun", &["bun"]),
        ("Our stack includes: Bun", &["bun"]),
        ("The app is built with Swift", &["swift"]),
        ("we're a React shop", &["react"]),
        ("We are a Go shop", &["go"]),
        ("Temporal for workflows", &["durable-execution", "temporal"]),
        ("We use Temporal", &["durable-execution", "temporal"]),
        ("We use Elixir", &["elixir"]),
        ("Our backend is Go", &["go"]),
        ("Experience with Kafka", &["kafka"]),
        ("We use Snowflake", &["snowflake"]),
        ("We use Claude daily", &["llm"]),
        ("Go services on AWS", &["aws", "go"]),
        ("We're moving to TS", &["typescript"]),
        ("We write Java", &["java"]),
        ("Python and Ruby developers", &["python", "ruby"]),
        // traps, in postings that name other tech
        ("We use Python and we go fast.", &["python"]),
        ("Python shop. Ready to go? Apply.", &["python"]),
        ("Python, Postgres. We go above and beyond for customers.", &["postgresql", "python"]),
        ("Python, Postgres. Own our go-to-market.", &["postgresql", "python"]),
        ("Python, Postgres. Work on the go.", &["postgresql", "python"]),
        ("We use Python. If it is not working, let it go.", &["python"]),
        ("Python on AWS. Where we go next is up to you.", &["aws", "python"]),
        ("Rust is a plus.", &["rust"]),
        ("Node on the backend", &["nodejs"]),
        ("GO-JEK: GO-SHOP, GO-PAY", &[]),
        ("Kubernetes and Python. The Rust Belt is home.", &["kubernetes", "python"]),
        ("Python on AWS. We value a Swift response to incidents.", &["aws", "python"]),
        ("TypeScript, Postgres. Free lunch: pork Bun from the cafe.", &["postgresql", "typescript"]),
        ("TypeScript, graph algorithms: each node has edges.", &["typescript"]),
        ("Python. We study temporal patterns in sensor data.", &["python"]),
    ];
    let mut failed = Vec::new();
    for (text, want) in cases {
        let got = ids(&m, text);
        if got != *want {
            failed.push(format!("{text:?}: got {got:?}, want {want:?}"));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// Every keyword with weak forms takes statements of use, except those whose weak forms are common English words
/// or company names ("we use agents", "experience with Cadence" in chip design): a deliberate list.
#[test]
fn weak_keywords_take_statements_of_use_unless_listed() {
    const NO_STATEMENTS: &[&str] =
        &["ai-agents", "llm-evaluation", "platform-engineering", "monolith", "restate", "cadence"];
    let (t, _) = builtin();
    let mut wrong = Vec::new();
    for k in t.keywords().iter().filter(|k| k.has_weak()) {
        if k.use_statements == NO_STATEMENTS.contains(&k.id.as_str()) {
            wrong.push(k.id.as_str());
        }
    }
    assert!(wrong.is_empty(), "use_statements set against the list for {wrong:?}");
}

#[test]
fn explain_names_the_rule_that_kept_or_vetoed() {
    let (_, m) = builtin();
    let ex = m.explain("We use Rust. Python; we go fast.");
    let rust = ex.iter().find(|e| e.id == "rust").unwrap();
    assert_eq!(rust.reason, "after \"use\" (statement of use)");
    let go = ex.iter().find(|e| e.id == "go").unwrap();
    assert!(go.vetoed && go.reason.contains("soft_exclude \"go fast\""), "{go:?}");
    let ex = m.explain("Python and Postgres. let it go");
    let go = ex.iter().find(|e| e.id == "go").unwrap();
    assert_eq!(
        (go.vetoed, go.rule.as_str(), go.reason.as_str()),
        (true, "weak local \"go\"", "no local context (a weak_local form)")
    );
    let ex = m.explain("Python and Postgres, plus a bit of Go now.");
    let go = ex.iter().find(|e| e.id == "go").unwrap();
    assert_eq!((go.vetoed, go.reason.as_str()), (false, "posting mentions \"postgresql\""));
}

#[test]
fn counts_and_order() {
    let (t, m) = builtin();
    let found = m.find("Go services, Go developer, golang. Written in Go! Postgres");
    let go = t.index_of("go").unwrap();
    let pg = t.index_of("postgresql").unwrap();
    assert!(found.windows(2).all(|w| w[0].0 < w[1].0), "sorted by index");
    assert!(found.contains(&(go, 4)), "{found:?}");
    assert!(found.contains(&(pg, 1)), "{found:?}");
}

#[test]
fn explain_reports_vetoes_and_rules() {
    let (_, m) = builtin();
    let ex = m.explain("Rust + Postgres, no go-to-market");
    let go = ex.iter().find(|e| e.id == "go").expect("go span");
    assert!(go.vetoed);
    assert_eq!(go.text, "go");
    assert_eq!(go.offset, 20);
    assert!(go.reason.contains("go-to-market"), "{go:?}");
    let rust = ex.iter().find(|e| e.id == "rust").expect("rust span");
    assert!(!rust.vetoed, "{rust:?}");
    assert_eq!(rust.rule, "weak case-sensitive \"Rust\"");
    assert!(rust.reason.contains("list next to"), "{rust:?}");
    let pg = ex.iter().find(|e| e.id == "postgresql").unwrap();
    assert_eq!(pg.reason, "strong form");
}

// ---- the labelled evaluation set ----

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Labeled {
    id: String,
    text: String,
    ids: Vec<String>,
    traps: Vec<String>,
}

fn labeled() -> Vec<Labeled> {
    include_str!("../../tests/fixtures/labeled.jsonl")
        .lines()
        .enumerate()
        .map(|(i, l)| serde_json::from_str(l).unwrap_or_else(|e| panic!("labeled.jsonl:{}: {e}", i + 1)))
        .collect()
}

#[test]
fn labeled_set_shape() {
    let (t, _) = builtin();
    let set = labeled();
    assert!(set.len() >= 300, "{} snippets", set.len());
    let traps = set.iter().filter(|s| !s.traps.is_empty()).count();
    assert!(traps * 10 >= set.len() * 4, "{traps} of {} snippets have traps (want >= 40%)", set.len());
    let mut pos: BTreeMap<&str, usize> = BTreeMap::new();
    let mut neg: BTreeMap<&str, usize> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for s in &set {
        assert!(seen.insert(&s.id), "duplicate snippet id {}", s.id);
        for id in s.ids.iter().chain(&s.traps) {
            assert!(t.index_of(id).is_some(), "{}: unknown id {id}", s.id);
        }
        assert!(s.ids.windows(2).all(|w| w[0] < w[1]), "{}: ids must be sorted and unique", s.id);
        for id in &s.ids {
            *pos.entry(id).or_default() += 1;
        }
        for id in &s.traps {
            assert!(!s.ids.contains(id) || !s.text.is_empty());
            *neg.entry(id).or_default() += 1;
        }
    }
    // every id: at least one positive, and at least one snippet where it must NOT be found
    let mut missing = Vec::new();
    for k in t.keywords() {
        let id = k.id.as_str();
        if !pos.contains_key(id) {
            missing.push(format!("{id}: no positive example"));
        }
        if set.iter().all(|s| s.ids.contains(&k.id)) {
            missing.push(format!("{id}: no negative example"));
        }
        if super::REQUIRED_IDS.contains(&id) && !neg.contains_key(id) && !set.iter().any(|s| !s.ids.contains(&k.id)) {
            missing.push(format!("{id}: no trap"));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn labeled_set_precision_and_recall() {
    let (_, m) = builtin();
    let (mut tp, mut fp, mut fneg) = (0usize, 0usize, 0usize);
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut trap_fp = 0usize;
    for s in labeled() {
        let want: BTreeSet<&str> = s.ids.iter().map(String::as_str).collect();
        let got: BTreeSet<&str> = m.find_ids(&s.text).into_iter().collect();
        for id in got.intersection(&want) {
            let _ = id;
            tp += 1;
        }
        for id in got.difference(&want) {
            fp += 1;
            if s.traps.iter().any(|t| t == id) {
                trap_fp += 1;
            }
            errors.entry(id.to_string()).or_default().push(format!("  FP {}: {}", s.id, s.text.replace('\n', " ")));
        }
        for id in want.difference(&got) {
            fneg += 1;
            errors.entry(id.to_string()).or_default().push(format!("  FN {}: {}", s.id, s.text.replace('\n', " ")));
        }
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fneg).max(1) as f64;
    eprintln!(
        "labelled set: tp {tp} fp {fp} (on traps {trap_fp}) fn {fneg}: precision {precision:.4} recall {recall:.4}"
    );
    for (id, errs) in &errors {
        eprintln!("{id}:");
        for e in errs {
            eprintln!("{e}");
        }
    }
    assert!(precision >= 0.99, "micro precision {precision:.4} < 0.99");
    assert!(recall >= 0.99, "micro recall {recall:.4} < 0.99");
}

// ---- property tests ----

fn literal_aliases() -> Vec<(String, String)> {
    let t = Taxonomy::builtin().expect("builtin");
    let mut v = Vec::new();
    for k in t.keywords() {
        for a in &k.aliases {
            v.push((k.id.clone(), a.clone()));
        }
        for a in &k.case_sensitive {
            v.push((k.id.clone(), a.clone()));
        }
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A strong alias between spaces (inside filler prose with no keywords) is found.
    #[test]
    fn alias_between_boundaries_is_found(idx in 0usize..10_000, pre in "[a-z ]{0,20}", post in "[a-z ]{0,20}") {
        let aliases = literal_aliases();
        let (id, alias) = &aliases[idx % aliases.len()];
        let (_, m) = builtin();
        let text = format!("qqq{pre} {alias} {post}qqq");
        let explained = m.explain(&text);
        // the alias is found unless one of the keyword's own exclusions covers the filler
        let hit = explained.iter().any(|e| &e.id == id && !e.vetoed);
        let vetoed = explained.iter().any(|e| &e.id == id && e.vetoed);
        prop_assert!(hit || vetoed, "{text:?} -> {explained:?}");
        if hit {
            prop_assert!(m.find_ids(&text).contains(&id.as_str()));
        }
    }

    /// An alias glued inside a longer word (letters on both sides) is not found for that id.
    #[test]
    fn alias_glued_in_a_word_is_not_found(idx in 0usize..10_000, pre in "[a-z]{1,4}", post in "[a-z]{1,4}") {
        let aliases = literal_aliases();
        let (id, alias) = &aliases[idx % aliases.len()];
        let (_, m) = builtin();
        let starts_word = alias.as_bytes()[0].is_ascii_alphanumeric();
        let ends_word = alias.as_bytes()[alias.len() - 1].is_ascii_alphanumeric();
        prop_assume!(starts_word && ends_word);
        let text = format!("{pre}{alias}{post}");
        let found = m.explain(&text);
        prop_assert!(!found.iter().any(|e| &e.id == id && e.text.eq_ignore_ascii_case(alias)), "{text:?} -> {found:?}");
    }

    /// Arbitrary text never panics, and find agrees with the kept spans of explain.
    #[test]
    fn find_agrees_with_explain(text in "\\PC{0,200}") {
        let (_, m) = builtin();
        let found = m.find(&text);
        let ex = m.explain(&text);
        for e in ex.iter().filter(|e| !e.vetoed) {
            prop_assert!(found.iter().any(|(i, _)| m.id(*i) == e.id));
        }
    }
}
