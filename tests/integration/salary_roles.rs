//! Salary extraction and role classification against the hand-written labelled sets
//! `tests/fixtures/salary.jsonl` and `tests/fixtures/roles.jsonl` (invented snippets in HN and
//! job-board styles, with traps). Prints the figures and every error.

use jobtrend::posting::Salary;
use jobtrend::{roles, salary};
use serde::Deserialize;

use crate::common::fixture;

#[derive(Deserialize)]
struct SalaryCase {
    text: String,
    salary: Option<Salary>,
}

#[derive(Deserialize)]
struct RoleCase {
    title: Option<String>,
    text: String,
    source: String,
    roles: Vec<String>,
}

fn read_jsonl<T: for<'de> Deserialize<'de>>(name: &str) -> Vec<T> {
    let path = fixture(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| serde_json::from_str(l).unwrap_or_else(|e| panic!("{name}:{}: {e}", i + 1)))
        .collect()
}

fn same(a: &Salary, b: &Salary) -> bool {
    (a.min - b.min).abs() < 1e-6 && (a.max - b.max).abs() < 1e-6 && a.currency == b.currency && a.period == b.period
}

#[test]
fn salary_labelled_set_precision_recall_exact() {
    let cases: Vec<SalaryCase> = read_jsonl("salary.jsonl");
    let n = cases.len();
    let negatives = cases.iter().filter(|c| c.salary.is_none()).count();
    assert!(n >= 150, "the salary set needs >= 150 snippets, has {n}");
    assert!(negatives * 10 >= n * 4, "the salary set needs >= 40% traps/no-salary, has {negatives}/{n}");
    let (mut tp, mut fp, mut fneg, mut exact) = (0usize, 0usize, 0usize, 0usize);
    let mut errors = Vec::new();
    for c in &cases {
        let got = salary::extract(&c.text);
        match (&c.salary, &got) {
            (Some(want), Some(g)) => {
                tp += 1;
                if same(want, g) {
                    exact += 1;
                } else {
                    errors.push(format!("WRONG VALUE {:?}\n   want {want:?}\n   got  {g:?}", c.text));
                }
            }
            (Some(want), None) => {
                fneg += 1;
                errors.push(format!("MISSED {:?}\n   want {want:?}", c.text));
            }
            (None, Some(g)) => {
                fp += 1;
                errors.push(format!("FALSE POSITIVE {:?}\n   got {g:?}", c.text));
            }
            (None, None) => {}
        }
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fneg).max(1) as f64;
    let positives = n - negatives;
    let exact_share = exact as f64 / positives.max(1) as f64;
    for e in &errors {
        eprintln!("{e}");
    }
    eprintln!(
        "salary set: {n} snippets ({positives} with a salary, {negatives} traps/none): precision {precision:.3} \
         ({tp}/{}), recall {recall:.3} ({tp}/{}), exact values {exact_share:.3} ({exact}/{positives})",
        tp + fp,
        tp + fneg
    );
    assert!(precision >= 0.95, "salary precision {precision:.3} < 0.95");
    assert!(recall >= 0.95, "salary recall {recall:.3} < 0.95");
    assert!(exact_share >= 0.90, "exact salary values {exact_share:.3} < 0.90");
}

#[test]
fn roles_labelled_set_accuracy() {
    let cases: Vec<RoleCase> = read_jsonl("roles.jsonl");
    let n = cases.len();
    assert!(n >= 150, "the roles set needs >= 150 cases, has {n}");
    let mut ok = 0usize;
    let mut per_role: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    for c in &cases {
        for r in &c.roles {
            assert!(roles::ROLES.contains(&r.as_str()), "unknown role {r:?} in the fixture");
        }
        let got = roles::classify(c.title.as_deref(), &c.text, &c.source);
        let mut want: Vec<&str> = c.roles.iter().map(String::as_str).collect();
        want.sort_by_key(|r| roles::ROLES.iter().position(|x| x == r));
        for r in &want {
            let e = per_role.entry(roles::ROLES.iter().find(|x| *x == r).copied().unwrap_or("?")).or_default();
            e.0 += 1;
            if got.contains(r) {
                e.1 += 1;
            }
        }
        if got == want {
            ok += 1;
        } else {
            let what = c.title.as_deref().unwrap_or_else(|| c.text.lines().next().unwrap_or(""));
            eprintln!("ROLES {:?} ({}): want {want:?}, got {got:?}", what, c.source);
        }
    }
    let accuracy = ok as f64 / n as f64;
    for (r, (total, hit)) in &per_role {
        eprintln!("  {r:<24} recall {hit}/{total}");
    }
    eprintln!("roles set: {n} cases, exact-set accuracy {accuracy:.3} ({ok}/{n})");
    assert!(accuracy >= 0.9, "role accuracy {accuracy:.3} < 0.9");
}

#[test]
fn classify_output_is_sorted_unique_and_known() {
    for (title, text, source) in [
        (Some("Backend / Backend / Data / ML / Backend Engineer"), "", "greenhouse"),
        (None, "Acme | SRE, SRE, DevOps, Platform | Remote", "hn"),
        (None, "", "hn"),
        (None, "no role at all here", "lever"),
    ] {
        let r = roles::classify(title, text, source);
        assert!(!r.is_empty());
        let idx: Vec<usize> = r.iter().map(|x| roles::ROLES.iter().position(|y| y == x).expect("known role")).collect();
        assert!(idx.windows(2).all(|w| w[0] < w[1]), "{r:?} not sorted/unique");
    }
}

#[test]
fn annualised_fixture_salaries_are_in_a_sane_band() {
    // Every labelled salary, once annualised, lands within a broad yearly band for its currency.
    let cases: Vec<SalaryCase> = read_jsonl("salary.jsonl");
    for c in cases.iter().filter_map(|c| c.salary.as_ref()) {
        let y = salary::annualise(c).expect("known period");
        let scale = match c.currency.as_str() {
            "JPY" => 150.0,
            "INR" => 80.0,
            "SEK" | "NOK" | "DKK" => 10.0,
            "PLN" | "BRL" => 5.0,
            _ => 1.0,
        };
        assert!((5_000.0 * scale..=3_000_000.0 * scale).contains(&y), "{c:?} -> {y}");
    }
}
