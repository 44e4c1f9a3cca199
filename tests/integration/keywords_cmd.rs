//! `jobtrend keywords`: the list (table, `--category`, `--json`), `show ID` (rules, unknown ids with a
//! suggestion), `export DIR` and `--keywords-dir` overlays (add, replace, disable).

use predicates::prelude::*;

use crate::common::{jobtrend, tempdir};

fn stdout(args: &[&str]) -> String {
    let out = jobtrend().args(args).assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

fn json_ids(out: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(out).unwrap();
    v.as_array().unwrap().iter().map(|k| k["id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn lists_every_id_with_label_category_and_forms() {
    let out = stdout(&["keywords"]);
    let mut lines = out.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("id ") && header.contains("label") && header.ends_with("forms (* needs context)"));
    let go = out.lines().find(|l| l.starts_with("go ")).expect("a go row");
    let cols: Vec<&str> = go.split_whitespace().collect();
    assert_eq!(&cols[..3], ["go", "Go", "language"], "{go}");
    assert!(go.ends_with("golang, Go*, GO*, go*"), "{go}");
    let rows = out.lines().take_while(|l| !l.is_empty()).count() - 1;
    assert!(out.contains(&format!("\n{rows} keywords. The rules of one: jobtrend keywords show ID")), "{out}");
    assert!(rows >= 97, "{rows}");
    let ids = json_ids(&stdout(&["keywords", "--json"]));
    assert_eq!(ids.len(), rows);
    for id in ["postgresql", "nodejs", "go", "rust", "temporal", "durable-execution"] {
        assert!(ids.iter().any(|i| i == id), "{id}");
    }
}

#[test]
fn category_filters_and_an_unknown_one_lists_the_categories() {
    let v: serde_json::Value = serde_json::from_str(&stdout(&["keywords", "--category", "runtime", "--json"])).unwrap();
    let kws = v.as_array().unwrap();
    assert!(kws.iter().all(|k| k["category"] == "runtime"), "{v}");
    assert!(kws.iter().any(|k| k["id"] == "nodejs") && kws.iter().any(|k| k["id"] == "bun"), "{v}");
    let out = stdout(&["keywords", "--category", "language"]);
    assert!(out.lines().any(|l| l.starts_with("rust ")) && !out.lines().any(|l| l.starts_with("nodejs ")), "{out}");
    jobtrend()
        .args(["keywords", "--category", "langauge"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown category \"langauge\" (categories: ai, api,"));
}

#[test]
fn show_prints_the_rules_of_one_keyword() {
    let out = stdout(&["keywords", "show", "go"]);
    assert!(out.starts_with("go (Go, category language, from languages.toml)\n"), "{out}");
    for want in [
        "aliases (always count):",
        "\"golang\"",
        "weak case-sensitive (with context):",
        "weak local (local context only):",
        "exclude (vetoes any form):",
        "\"go-to-market\"",
        "soft_exclude (unless local context):",
        "context: words right before:",
        "context: in a list:",
        "context: statement of use, before:",
        "\"stack:\"",
        "context: posting also mentions:",
        "\"@language\"",
    ] {
        assert!(out.contains(want), "missing {want:?} in\n{out}");
    }
    let temporal = stdout(&["keywords", "show", "temporal"]);
    assert!(
        temporal.contains("implies (also counts for):") && temporal.contains("\"durable-execution\""),
        "{temporal}"
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&["keywords", "show", "rust", "--json"])).unwrap();
    assert_eq!(v["id"], "rust");
    assert_eq!(v["use_statements"], true);
    assert_eq!(v["weak_case_sensitive"], serde_json::json!(["Rust", "RUST"]));
}

#[test]
fn unknown_ids_get_the_closest_id() {
    for (typed, want) in [("postgres", "postgresql"), ("Rust", "rust"), ("node", "nodejs"), ("kubernets", "kubernetes")]
    {
        jobtrend().args(["keywords", "show", typed]).assert().code(2).stderr(predicate::str::contains(format!(
            "unknown keyword id \"{typed}\" (did you mean \"{want}\"? list them with: jobtrend keywords)"
        )));
    }
    jobtrend()
        .args(["keywords", "show", "htmx"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown keyword id \"htmx\" (list them with: jobtrend keywords)"));
    // trimmed like every id list
    assert!(stdout(&["keywords", "show", " rust "]).starts_with("rust (Rust,"));
}

#[test]
fn export_writes_the_builtin_files_and_they_overlay_to_the_same_taxonomy() {
    let dir = tempdir();
    let kw = dir.path().join("kw");
    let out = stdout(&["keywords", "export", kw.to_str().unwrap()]);
    assert_eq!(out.lines().count(), 8, "{out}");
    assert!(kw.join("languages.toml").is_file());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(kw.join("languages.toml")).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode & 0o044, 0o044, "readable by others under the usual umask: {mode:o}");
    }
    jobtrend()
        .args(["keywords", "export"])
        .arg(&kw)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists (pass --force to overwrite)"));
    jobtrend().args(["keywords", "export", "--force"]).arg(&kw).assert().success();
    let builtin = stdout(&["keywords", "--json"]);
    let overlaid = stdout(&["keywords", "--json", "--keywords-dir", kw.to_str().unwrap()]);
    let strip = |s: &str| {
        let mut v: serde_json::Value = serde_json::from_str(s).unwrap();
        for k in v.as_array_mut().unwrap() {
            k.as_object_mut().unwrap().remove("file");
        }
        v
    };
    assert_eq!(strip(&builtin), strip(&overlaid));
}

#[test]
fn keywords_dir_adds_replaces_and_disables_by_id() {
    let dir = tempdir();
    std::fs::write(
        dir.path().join("extra.toml"),
        "[[keyword]]\nid = \"htmx\"\nlabel = \"htmx\"\ncategory = \"framework\"\naliases = [\"htmx\"]\n\n\
         [[keyword]]\nid = \"quantum\"\ndisabled = true\n\n\
         [[keyword]]\nid = \"deno\"\nlabel = \"Deno runtime\"\ncategory = \"runtime\"\naliases = [\"deno\", \"deno.land\"]\n",
    )
    .unwrap();
    let d = dir.path().to_str().unwrap();
    let base = json_ids(&stdout(&["keywords", "--json"]));
    let ids = json_ids(&stdout(&["keywords", "--json", "--keywords-dir", d]));
    assert_eq!(ids.len(), base.len());
    assert_eq!(ids.last().map(String::as_str), Some("htmx"));
    assert!(!ids.iter().any(|i| i == "quantum"));
    let show = stdout(&["keywords", "show", "deno", "--keywords-dir", d]);
    assert!(
        show.starts_with("deno (Deno runtime, category runtime, from ") && show.contains("\"deno.land\""),
        "{show}"
    );
    jobtrend()
        .args(["match", "--keywords-dir", d, "-"])
        .write_stdin("htmx on deno.land, quantum computing")
        .assert()
        .success()
        .stdout("-: deno, htmx\n");
    std::fs::write(dir.path().join("broken.toml"), "[[keyword]]\nid = \"nope\"\ndisabled = true\n").unwrap();
    jobtrend()
        .args(["keywords", "--keywords-dir", d])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("broken.toml: keyword \"nope\": disabled = true names no built-in keyword"));
}

#[test]
fn help_has_examples_and_the_overlay_rules() {
    let out = stdout(&["keywords", "--help"]);
    for want in ["jobtrend keywords show go", "jobtrend keywords export", "replaces that keyword", "disabled = true"] {
        assert!(out.contains(want), "missing {want:?}");
    }
    let out = stdout(&["match", "--help"]);
    assert!(out.contains("--keywords-dir") && out.contains("--facts") && !out.contains("--keywords <"), "{out}");
}
