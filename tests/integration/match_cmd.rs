//! `jobtrend match`: plain files, stdin, `--jsonl` (+ `--facts`), `--explain`, `--keywords-dir DIR` (and the
//! deprecated `--keywords DIR`), statements of use, and bad input.

use predicates::prelude::*;
use serde_json::{Value, json};

use crate::common::{fixture, jobtrend, tempdir};

#[test]
fn plain_files_print_sorted_ids_per_file() {
    let stack = fixture("match/stack.txt");
    let traps = fixture("match/traps.txt");
    let out = jobtrend().arg("match").arg(&stack).arg(&traps).assert().success().get_output().stdout.clone();
    let out = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            format!(
                "{}: aws, eks, embeddings, go, kubernetes, pgvector, postgresql, redis, rust, vector-database",
                stack.display()
            ),
            format!("{}:", traps.display()),
        ]
    );
}

#[test]
fn stdin_is_one_document() {
    jobtrend()
        .args(["match", "-"])
        .write_stdin("Rust + Postgres, no go-to-market")
        .assert()
        .success()
        .stdout("-: postgresql, rust\n");
}

#[test]
fn explain_shows_spans_rules_and_vetoes() {
    let out = jobtrend()
        .args(["match", "--explain"])
        .write_stdin("Rust + Postgres, no go-to-market")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.starts_with("-: postgresql, rust\n"), "{out}");
    assert!(
        out.contains("  @0 rust \"Rust\" weak case-sensitive \"Rust\": kept (list next to \"postgresql\")"),
        "{out}"
    );
    assert!(out.contains("  @7 postgresql \"Postgres\" alias \"postgres\": kept (strong form)"), "{out}");
    assert!(out.contains("  @20 go \"go\" weak local \"go\": VETOED (exclude \"go-to-market\")"), "{out}");
}

#[test]
fn jsonl_keeps_input_order_and_ids() {
    jobtrend().args(["match", "--jsonl"]).arg(fixture("match/postings.jsonl")).assert().success().stdout(
        "{\"id\":\"p1\",\"keywords\":[\"nodejs\",\"postgresql\",\"typescript\"]}\n\
             {\"id\":2,\"keywords\":[]}\n\
             {\"id\":\"p3\",\"keywords\":[\"durable-execution\",\"gcp\",\"gke\",\"go\",\"kubernetes\",\"temporal\"]}\n",
    );
    jobtrend().args(["match", "--jsonl", "--facts"]).arg(fixture("match/postings.jsonl")).assert().success().stdout(
        "{\"id\":\"p1\",\"keywords\":[\"nodejs\",\"postgresql\",\"typescript\"],\"roles\":[\"other\"],\"salary\":null}\n\
             {\"id\":2,\"keywords\":[],\"roles\":[\"other\"],\"salary\":null}\n\
             {\"id\":\"p3\",\"keywords\":[\"durable-execution\",\"gcp\",\"gke\",\"go\",\"kubernetes\",\"temporal\"],\"roles\":[\"other\"],\"salary\":null}\n",
    );
}

#[test]
fn jsonl_echoes_any_id_and_ignores_other_fields() {
    jobtrend()
        .args(["match", "--jsonl", "-"])
        .write_stdin(
            "{\"id\":\"a\\\"b\",\"text\":\"Kotlin\",\"extra\":{\"x\":[1,2]}}\n\r\n\
             {\"text\":\"We use Rust\\nand \\u0047o\"}\n{\"id\":{\"k\":[1,2.5]},\"text\":\"\"}\n{\"id\":-7,\"text\":\"x\"}",
        )
        .assert()
        .success()
        .stdout(
            "{\"id\":\"a\\\"b\",\"keywords\":[\"kotlin\"]}\n{\"id\":null,\"keywords\":[\"go\",\"rust\"]}\n\
             {\"id\":{\"k\":[1,2.5]},\"keywords\":[]}\n{\"id\":-7,\"keywords\":[]}\n",
        );
}

#[test]
fn facts_needs_jsonl() {
    jobtrend()
        .args(["match", "--facts", "-"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--jsonl"));
}

#[test]
fn statements_of_use_are_matched_and_verbs_are_not() {
    let out = jobtrend()
        .args(["match", "--explain", "-"])
        .write_stdin("Stack: Rust. We use Node for the API. We use Python and we go fast; let it go.")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.starts_with("-: nodejs, python, rust\n"), "{out}");
    assert!(
        out.contains("@7 rust \"Rust\" weak case-sensitive \"Rust\": kept (after \"stack:\" (statement of use))"),
        "{out}"
    );
    assert!(
        out.contains("nodejs \"Node\" weak case-sensitive \"Node\": kept (after \"use\" (statement of use))"),
        "{out}"
    );
    assert!(out.contains("go \"go\" weak local \"go\": VETOED (soft_exclude \"go fast\", no local context)"), "{out}");
    assert!(out.contains("go \"go\" weak local \"go\": VETOED (no local context (a weak_local form))"), "{out}");
}

#[test]
fn jsonl_explain_adds_spans() {
    let out = jobtrend()
        .args(["match", "--jsonl", "--explain", "-"])
        .write_stdin("{\"id\":\"x\",\"text\":\"go-to-market and Kafka on AWS\"}\n")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["keywords"], serde_json::json!(["aws", "kafka"]));
    let spans = v["spans"].as_array().unwrap();
    assert_eq!(spans[0]["id"], "go");
    assert_eq!(spans[0]["vetoed"], true);
    assert_eq!(spans[0]["offset"], 0);
    assert!(spans.iter().any(|s| s["id"] == "kafka" && s["vetoed"] == false));
}

#[test]
fn jsonl_bad_lines_are_reported_and_the_rest_printed() {
    jobtrend()
        .args(["match", "--jsonl"])
        .write_stdin(
            "{\"id\":\"a\",\"text\":\"Kotlin\"}\nnot json\n{\"id\":\"c\"}\n{\"id\":\"d\",\"text\":\"Elixir\"}\n{\"text\":5}\n",
        )
        .assert()
        .code(1)
        .stdout("{\"id\":\"a\",\"keywords\":[\"kotlin\"]}\n{\"id\":\"d\",\"keywords\":[\"elixir\"]}\n")
        .stderr(
            predicate::str::contains("-:2: bad JSON")
                .and(predicate::str::contains("-:3: expected an object with a string \"text\" field"))
                .and(predicate::str::contains("-:5: expected an object with a string \"text\" field")),
        );
}

#[test]
fn missing_file_is_partial_failure() {
    let dir = tempdir();
    jobtrend()
        .arg("match")
        .arg(dir.path().join("nope.txt"))
        .arg(fixture("match/traps.txt"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("traps.txt:\n"))
        .stderr(predicate::str::contains("could not read"));
}

#[test]
fn keywords_dir_adds_to_the_builtin_taxonomy() {
    let dir = tempdir();
    std::fs::write(
        dir.path().join("mine.toml"),
        "[[keyword]]\nid = \"widget\"\nlabel = \"Widget\"\ncategory = \"x\"\naliases = [\"widgetry\"]\n\n\
         [[keyword]]\nid = \"rust\"\nlabel = \"Rust\"\ncategory = \"language\"\naliases = [\"rustlang\"]\n\n\
         [[keyword]]\nid = \"kotlin\"\ndisabled = true\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("predictions.toml"), "# not a taxonomy file\n").unwrap();
    jobtrend()
        .args(["match", "--keywords-dir"])
        .arg(dir.path())
        .arg("-")
        .write_stdin("Widgetry in Go, Rust developer, Kotlin, rustlang")
        .assert()
        .success()
        .stdout("-: go, rust, widget\n");
    // the old spelling still works, with a warning
    jobtrend()
        .args(["match", "--keywords"])
        .arg(dir.path())
        .arg("-")
        .write_stdin("Widgetry in Go")
        .assert()
        .success()
        .stdout("-: go, widget\n")
        .stderr(predicate::str::contains("warning: `match --keywords DIR` is deprecated, use `--keywords-dir DIR`"));
}

#[test]
fn bad_keywords_dir_is_fatal_and_names_file_and_keyword() {
    let dir = tempdir();
    std::fs::write(
        dir.path().join("bad.toml"),
        "[[keyword]]\nid = \"w\"\nlabel = \"W\"\ncategory = \"x\"\nalias = [\"w\"]\n",
    )
    .unwrap();
    jobtrend()
        .args(["match", "--keywords-dir"])
        .arg(dir.path())
        .arg("-")
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.toml: keyword \"w\": unknown field `alias`"));
    jobtrend()
        .args(["match", "--keywords-dir"])
        .arg(dir.path().join("missing"))
        .arg("-")
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid keyword taxonomy in").and(predicate::str::contains("missing")));
}

#[test]
fn jsonl_adds_the_stated_salary_and_the_roles() {
    let out = jobtrend()
        .args(["match", "--jsonl", "--facts", "-"])
        .write_stdin(
            "{\"id\":1,\"text\":\"Acme | Senior Backend Engineer | Remote (US) | $150k-$200k + equity\\nWe use Go and Postgres. Series B, raised $20M.\"}\n\
             {\"id\":2,\"title\":\"Site Reliability Engineer\",\"source\":\"greenhouse\",\"text\":\"Keep Kubernetes running. Contract, $90/hr.\"}\n\
             {\"id\":3,\"text\":\"We have 100k users and a 401k plan.\"}\n",
        )
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let lines: Vec<serde_json::Value> =
        String::from_utf8(out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(
        lines[0]["salary"],
        serde_json::json!({"min": 150000, "max": 200000, "currency": "USD", "period": "year"})
    );
    assert_eq!(lines[0]["roles"], serde_json::json!(["backend"]));
    assert_eq!(lines[1]["salary"], serde_json::json!({"min": 90, "max": 90, "currency": "USD", "period": "hour"}));
    assert_eq!(lines[1]["roles"], serde_json::json!(["sre"]));
    assert_eq!(lines[2]["salary"], serde_json::Value::Null);
}

/// The statements of use of issue 14 (item 8), one document each, and verb uses of "go" in
/// postings that name other tech.
#[test]
fn the_issues_statements_of_use_match_and_verb_go_traps_do_not() {
    let cases: [(&str, &[&str]); 10] = [
        ("We use Rust", &["rust"]),
        ("Stack: Rust", &["rust"]),
        ("Tech: Go", &["go"]),
        ("We use Node for the API", &["nodejs"]),
        ("Our stack includes Bun", &["bun"]),
        ("We use Python and Postgres, and we go fast.", &["postgresql", "python"]),
        ("TypeScript and Postgres. Our team will go above and beyond.", &["postgresql", "typescript"]),
        ("Java and Kafka. We go to conferences twice a year.", &["java", "kafka"]),
        ("We use React and help sales with our go-to-market.", &["react"]),
        ("Kotlin services on AWS; we go live in May. Ready to go?", &["aws", "kotlin"]),
    ];
    let input: String =
        cases.iter().enumerate().map(|(i, (text, _))| format!("{}\n", json!({"id": i, "text": text}))).collect();
    let out =
        jobtrend().args(["match", "--jsonl", "-"]).write_stdin(input).assert().success().get_output().stdout.clone();
    let got: Vec<Value> = String::from_utf8(out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(got.len(), cases.len());
    for ((text, want), line) in cases.iter().zip(&got) {
        assert_eq!(line["keywords"], json!(want), "{text:?}");
    }
}

/// The labelled set (`tests/fixtures/labeled.jsonl`: text, the ids it must give, traps it must
/// not) through `jobtrend match --jsonl`: micro precision and recall >= 0.99.
#[test]
fn the_labelled_set_through_the_binary_keeps_precision_and_recall_at_least_0_99() {
    let set = fixture("labeled.jsonl");
    let want: Vec<Value> = crate::common::read(&set).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let out = jobtrend().args(["match", "--jsonl"]).arg(&set).assert().success().get_output().stdout.clone();
    let got: Vec<Value> = String::from_utf8(out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(got.len(), want.len());
    let ids = |v: &Value| -> std::collections::BTreeSet<String> {
        v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
    };
    let (mut tp, mut fp, mut fneg, mut traps, mut trap_hits) = (0usize, 0usize, 0usize, 0usize, Vec::new());
    for (w, g) in want.iter().zip(&got) {
        assert_eq!(w["id"], g["id"]);
        let (w_ids, g_ids) = (ids(&w["ids"]), ids(&g["keywords"]));
        tp += w_ids.intersection(&g_ids).count();
        fp += g_ids.difference(&w_ids).count();
        fneg += w_ids.difference(&g_ids).count();
        // A trap is an id the text seems to name but must not give (some snippets list an id both as
        // a trap and as wanted: the trap form is there and a real mention too).
        for t in ids(&w["traps"]).difference(&w_ids) {
            traps += 1;
            if g_ids.contains(t) {
                trap_hits.push(format!("{}: {t}", w["id"]));
            }
        }
    }
    let (p, r) = (tp as f64 / (tp + fp) as f64, tp as f64 / (tp + fneg) as f64);
    eprintln!(
        "labelled set via the binary: {} snippets, {traps} traps; tp {tp} fp {fp} fn {fneg}; precision {p:.4} recall {r:.4}; traps matched: {trap_hits:?}",
        want.len()
    );
    assert!(p >= 0.99 && r >= 0.99, "precision {p:.4}, recall {r:.4}");
}
