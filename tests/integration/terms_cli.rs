//! Issue 16 items 2 and 4 through the binary: `trends --term/--term-regex` beside keyword ids, `report --term`
//! and the "Your keywords" chart, `examples` for keyword ids and terms; on the real corpus, `--term htmx`
//! against an independent count and `examples typescript --month 2024-01 -n 3`.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{TimeZone, Utc};
use jobtrend::posting::Posting;
use jobtrend::store::Store;
use serde_json::Value;

use crate::common::{jobtrend, read, shared_data, tempdir};

/// `(id, month, day, text)`: source `hn`, posted on that day at noon.
fn write_dataset(data: &Path, rows: &[(&str, &str, u32, &str)]) {
    let mut store = Store::open(data, false).unwrap();
    let postings = rows
        .iter()
        .map(|(id, month, day, text)| {
            let mut p = Posting::new(*id, "hn", *text);
            let (y, m) = (month[..4].parse().unwrap(), month[5..].parse().unwrap());
            p.posted_at = Some(Utc.with_ymd_and_hms(y, m, *day, 12, 0, 0).unwrap());
            p.month = month.to_string();
            p.finish(Utc::now())
        })
        .collect();
    store.append(postings).unwrap();
}

fn run(data: &Path, args: &[&str]) -> (i32, String, String) {
    let out = jobtrend().arg("--data").arg(data).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// CSV rows as maps; fields may be quoted (`"a,b"`, `""` for a quote).
fn csv_rows(csv: &str) -> Vec<BTreeMap<String, String>> {
    fn fields(line: &str) -> Vec<String> {
        let (mut out, mut cur, mut quoted, mut chars) = (Vec::new(), String::new(), false, line.chars().peekable());
        while let Some(c) = chars.next() {
            match (c, quoted) {
                ('"', true) if chars.peek() == Some(&'"') => {
                    cur.push('"');
                    chars.next();
                }
                ('"', _) => quoted = !quoted,
                (',', false) => out.push(std::mem::take(&mut cur)),
                _ => cur.push(c),
            }
        }
        out.push(cur);
        out
    }
    let mut lines = csv.lines();
    let head = fields(lines.next().unwrap());
    lines.map(|l| head.iter().cloned().zip(fields(l)).collect()).collect()
}

const FIXTURE: &[(&str, &str, u32, &str)] = &[
    ("hn:1", "2024-01", 3, "Acme | Backend\nWe use htmx and Go, C++ too."),
    ("hn:2", "2024-01", 2, "Beta | Frontend\nHTMX-powered UI, SvelteKit, Python"),
    ("hn:3", "2024-01", 5, "Gamma | Full stack\nxhtmx is not it, nor c++11; Python"),
    ("hn:4", "2024-02", 1, "Delta | Web\nhtmx, htmx and more htmx. Svelte. Rails, \"quotes\""),
    ("hn:5", "2024-02", 9, "Epsilon | Platform\nKubernetes, Python"),
];

#[test]
fn terms_count_postings_beside_keyword_ids() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    write_dataset(&data, FIXTURE);
    let args =
        ["trends", "--term", "htmx", "--term", "c++", "--term-regex", r"svelte(kit)?|rails, ", "--format", "csv"];
    let (code, csv, err) = run(&data, &args);
    assert_eq!(code, 0, "{err}");
    let got: Vec<(String, String, String, String)> = csv_rows(&csv)
        .into_iter()
        .map(|r| (r["period"].clone(), r["keyword"].clone(), r["mentions"].clone(), r["postings"].clone()))
        .collect();
    let want = [
        ("2024-01", "htmx", "2", "3"),
        ("2024-01", "c++", "1", "3"),
        ("2024-01", "svelte(kit)?|rails, ", "1", "3"),
        ("2024-02", "htmx", "1", "2"),
        ("2024-02", "c++", "0", "2"),
        ("2024-02", "svelte(kit)?|rails, ", "1", "2"),
    ];
    let want: Vec<(String, String, String, String)> =
        want.iter().map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string())).collect();
    assert_eq!(got, want, "{csv}");
    assert!(csv.contains(r#","svelte(kit)?|rails, ","#), "a name with a comma is quoted: {csv}");

    // Beside keyword ids: keyword rows first in each period, same postings.
    let (code, csv, err) = run(&data, &["trends", "--keywords", "python", "--term", "htmx", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    let kw: Vec<String> =
        csv_rows(&csv).iter().map(|r| format!("{} {} {}", r["period"], r["keyword"], r["mentions"])).collect();
    assert_eq!(kw, ["2024-01 python 2", "2024-01 htmx 2", "2024-02 python 1", "2024-02 htmx 1"]);

    // Same selection flags: --since, --by, --source.
    let (code, csv, err) =
        run(&data, &["trends", "--term", "htmx", "--by", "year", "--source", "hn", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let rows: Value = serde_json::from_str(&csv).unwrap();
    assert_eq!(rows[0]["period"], "2024");
    assert_eq!(rows[0]["mentions"], 3);
    assert_eq!(rows[0]["postings"], 5);
    let (code, csv, _) = run(&data, &["trends", "--term", "htmx", "--since", "2024-02", "--format", "csv"]);
    assert_eq!(code, 0);
    assert_eq!(csv_rows(&csv).len(), 1);
}

#[test]
fn terms_that_cannot_be_counted_are_usage_errors() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    write_dataset(&data, FIXTURE);
    for (args, want) in [
        (vec!["trends", "--term", "rust"], "is the taxonomy keyword id \"rust\""),
        (vec!["trends", "--term", "Kubernetes"], "is the taxonomy keyword id"),
        (vec!["trends", "--term-regex", "(open"], "--term-regex \"(open\""),
        (vec!["trends", "--term", " "], "must not be empty"),
        (vec!["trends", "--roles", "--term", "htmx"], "do not go with --roles"),
        (vec!["report", "--term", "go", "--out", "r"], "is the taxonomy keyword id \"go\""),
    ] {
        let (code, out, err) = run(&data, &args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}: {out}");
    }
}

#[test]
fn report_charts_terms_and_custom_keywords() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    write_dataset(&data, FIXTURE);
    let kw = tmp.path().join("kw");
    std::fs::create_dir_all(&kw).unwrap();
    std::fs::write(
        kw.join("mine.toml"),
        "[[keyword]]\nid = \"svelte\"\nlabel = \"Svelte\"\ncategory = \"frontend\"\naliases = [\"svelte\", \"sveltekit\"]\n",
    )
    .unwrap();
    let out = tmp.path().join("r");
    let args = ["report", "--term", "htmx", "--keywords-dir", kw.to_str().unwrap(), "--out", out.to_str().unwrap()];
    let (code, _, err) = run(&data, &args);
    assert_eq!(code, 0, "{err}");
    for f in ["terms.png", "your-keywords.png"] {
        let png = std::fs::read(out.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
        assert!(png.starts_with(b"\x89PNG"), "{f}");
    }
    let csv = read(&out.join("trends.csv"));
    let rows = csv_rows(&csv);
    let get =
        |kw: &str, p: &str| rows.iter().find(|r| r["keyword"] == kw && r["period"] == p).map(|r| r["mentions"].clone());
    assert_eq!(get("htmx", "2024-01").as_deref(), Some("2"), "{csv}");
    assert_eq!(get("svelte", "2024-02").as_deref(), Some("1"), "{csv}");
    let html = read(&out.join("index.html"));
    assert!(html.contains("Your terms") && html.contains("terms.png"), "index.html links the terms chart");
    assert!(html.contains("Your keywords") && html.contains("your-keywords.png"));

    // Without terms or custom keywords, neither chart.
    let out2 = tmp.path().join("r2");
    let (code, _, err) = run(&data, &["report", "--out", out2.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(!out2.join("terms.png").exists() && !out2.join("your-keywords.png").exists());
}

#[test]
fn examples_show_the_matched_text_oldest_first() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    write_dataset(
        &data,
        &[
            ("hn:10", "2024-01", 9, "Acme | Backend\nOur API is written in TypeScript on Node."),
            ("hn:11", "2024-01", 2, "Beta | Frontend\nReact + TS, Python on the backend"),
            (
                "hn:12",
                "2024-01",
                5,
                "Gamma\nWe love typescript. Also TypeScript. And typescript again, and TypeScript.",
            ),
            ("hn:13", "2024-02", 1, "Delta\nTypeScript everywhere"),
            ("hn:14", "2024-01", 7, "Epsilon\nNothing to see, only Go; htmx fans welcome"),
        ],
    );
    let (code, out, err) = run(&data, &["examples", "typescript", "--month", "2024-01", "-n", "2"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("2 of 3 postings in 2024-01 that mention typescript (keyword id)"), "{out}");
    // Oldest first: hn:11 (day 2, "TS" in a list next to React), then hn:12 (day 5); hn:10 (day 9) is third.
    let a = out.find("hn:11 · hn · 2024-01 · https://news.ycombinator.com/item?id=11").expect(&out);
    let b = out.find("hn:12 · hn · 2024-01").expect(&out);
    assert!(a < b && !out.contains("hn:10"), "{out}");
    assert!(out.contains("React + **TS**, Python"), "the span the matcher counted: {out}");
    let all4 = "We love **typescript**. Also **TypeScript**. And **typescript** again, and **TypeScript**.";
    assert!(out.contains(all4), "mentions close together share a snippet: {out}");
    assert!(!out.contains("more mentions"), "{out}");
    assert!(out.contains("  Beta | Frontend\n"), "title = first line: {out}");

    let (code, out, err) = run(&data, &["examples", "typescript", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let v = v.as_array().unwrap();
    assert_eq!(v.len(), 4);
    let keys: Vec<&str> = v[0].as_object().unwrap().keys().map(String::as_str).collect();
    for k in ["id", "source", "month", "url", "title", "snippet", "match_start", "match_end"] {
        assert!(keys.contains(&k), "{k} in {keys:?}");
    }
    assert_eq!(v[3]["id"], "hn:13");
    let snippet: Vec<char> = v[0]["snippet"].as_str().unwrap().chars().collect();
    let (s, e) = (v[0]["match_start"].as_u64().unwrap() as usize, v[0]["match_end"].as_u64().unwrap() as usize);
    assert_eq!(snippet[s..e].iter().collect::<String>(), "TS");

    // A term (not a keyword id), case-insensitive, with word boundaries.
    let (code, out, err) = run(&data, &["examples", "HTMX"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("1 of 1 postings that mention HTMX (term)") && out.contains("Go; **htmx** fans"), "{out}");
    let (code, out, _) = run(&data, &["examples", r"type\w+", "--regex", "--month", "2024-02"]);
    assert_eq!(code, 0);
    assert!(out.contains("**TypeScript** everywhere"), "{out}");

    // Nothing found: exit 1, with the keyword id meant.
    let (code, out, err) = run(&data, &["examples", "postgres"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        err.contains(r#"no posting mentions "postgres""#)
            && err.contains(r#"did you mean the keyword id "postgresql""#),
        "{err}"
    );
    let (code, _, err) = run(&data, &["examples", "typescript", "--source", "greenhouse"]);
    assert_eq!(code, 1);
    // No posting of that source at all: said as the other analysis commands say it.
    assert!(err.contains("no source named greenhouse") && err.contains("sources: hn (5)"), "{err}");
    // No dataset: exit 2.
    let (code, _, err) = run(&tmp.path().join("nope"), &["examples", "typescript"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("does not exist"), "{err}");
}

#[test]
fn real_corpus_term_counts_and_examples() {
    let Some(shared) = shared_data("real_corpus_term_counts_and_examples") else { return };
    let tmp = tempdir();
    let data = tmp.path().join("data");
    let (code, _, err) = run(&data, &["-q", "ingest", "html", shared.join("hn-whoishiring/html").to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");

    // trends --term htmx == a plain case-insensitive \bhtmx\b count over the stored text, month by month.
    let (code, csv, err) = run(&data, &["trends", "--term", "htmx", "--by", "month", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    let plain = regex::Regex::new(r"(?i)\bhtmx\b").unwrap();
    let mut want: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for p in jobtrend::store::read_all(&data).unwrap() {
        let e = want.entry(p.month.clone()).or_default();
        e.1 += 1;
        e.0 += plain.is_match(&p.text) as u64;
    }
    let got: BTreeMap<String, (u64, u64)> = csv_rows(&csv)
        .iter()
        .map(|r| {
            assert_eq!(r["keyword"], "htmx");
            (r["period"].clone(), (r["mentions"].parse().unwrap(), r["postings"].parse().unwrap()))
        })
        .collect();
    assert_eq!(got.len(), 93);
    assert_eq!(got, want);
    let total: u64 = got.values().map(|x| x.0).sum();
    assert!(total > 0, "htmx is mentioned somewhere");
    eprintln!("htmx: {total} postings in {} months, equal to the plain regex in every month", got.len());

    // examples typescript --month 2024-01 -n 3: three real postings, the match highlighted.
    let (code, out, err) = run(&data, &["examples", "typescript", "--month", "2024-01", "-n", "3"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("3 of "), "{out}");
    let blocks: Vec<&str> = out.split("\n\n").skip(1).collect();
    assert_eq!(blocks.len(), 3, "{out}");
    let hl = regex::Regex::new(r"\*\*([^*]+)\*\*").unwrap();
    for b in blocks {
        let head = b.lines().next().unwrap();
        assert!(
            head.starts_with("hn:") && head.contains(" · hn · 2024-01 · https://news.ycombinator.com/item?id="),
            "{b}"
        );
        let m = hl.captures(b).unwrap_or_else(|| panic!("no highlight: {b}"));
        let matched = m[1].to_ascii_lowercase();
        assert!(["typescript", "ts"].contains(&matched.as_str()), "{matched}: {b}");
    }
    eprintln!("{out}");
}
