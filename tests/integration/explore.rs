//! The explorer of `index.html` (`report`), opened in headless Chromium: the series the URL asks
//! for are drawn, with the shares and intervals of `jobtrend trends`, and the page logs no error.
//! Skips (with a message) when no Chromium is installed; `.ci/run` installs it.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::Utc;
use jobtrend::posting::Posting;
use jobtrend::store::Store;
use scraper::{Html, Selector};

use crate::common::{jobtrend, tempdir};

/// `JOBTREND_CHROMIUM`, else the first of the usual names on PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("JOBTREND_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |d| d.join(name)))
        .find(|p| p.is_file())
}

/// Two sources: `hn` every month of 2024 (150 postings), `feed` 2024-04..2024-09 (40); some
/// postings mention TypeScript, some Rust, some both, in proportions that change month by month.
fn write_dataset(data: &Path) {
    let mut store = Store::open(data, false).unwrap();
    let mut rows = Vec::new();
    for (src, first, last, n) in [("hn", 1, 12, 150), ("feed", 4, 9, 40)] {
        for m in first..=last {
            for i in 0..n {
                let ts = i % (2 + m % 5) == 0;
                let rust = i % (3 + (12 - m) % 4) == 1;
                let text = match (ts, rust) {
                    (true, true) => "Backend written in Rust, frontend in TypeScript",
                    (true, false) => "Full-stack role: TypeScript and React",
                    (false, true) => "Systems team, code written in Rust",
                    (false, false) => "Backend in Python",
                };
                // Each text its own (a text two sources share is one job, counted once when pooled).
                let mut p = Posting::new(format!("{src}:{m}:{i}"), src, format!("{text} (ref {src}-{m}-{i})"));
                p.month = format!("2024-{m:02}");
                rows.push(p.finish(Utc::now()));
            }
        }
    }
    store.append(rows).unwrap();
}

fn run(data: &Path, args: &[&str]) -> String {
    let out = jobtrend().arg("--data").arg(data).args(args).output().unwrap();
    assert!(out.status.success(), "jobtrend {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The page after its scripts ran, and Chromium's log.
fn dump_dom(chrome: &Path, page: &Path, query: &str, profile: &Path) -> (String, String) {
    let url = format!("file://{}?{query}", page.display());
    let out = Command::new(chrome)
        .args(["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--enable-logging=stderr", "--v=0"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(["--virtual-time-budget=5000", "--dump-dom", &url])
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", chrome.display()));
    let log = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "chromium failed: {log}");
    (String::from_utf8_lossy(&out.stdout).into_owned(), log)
}

/// A drawn point: (series, source, period) → (share, lo, hi, mentions, postings).
type Point = ((String, String, String), (f64, f64, f64, u64, u64));

fn points(dom: &Html) -> Vec<Point> {
    let sel = Selector::parse("#explore-chart circle").unwrap();
    dom.select(&sel)
        .map(|c| {
            let a = |k: &str| c.value().attr(k).unwrap_or_else(|| panic!("circle without {k}")).to_string();
            let f = |k: &str| a(k).parse::<f64>().unwrap();
            let u = |k: &str| a(k).parse::<u64>().unwrap();
            (
                (a("data-series"), a("data-source"), a("data-period")),
                (f("data-share"), f("data-lo"), f("data-hi"), u("data-mentions"), u("data-postings")),
            )
        })
        .collect()
}

/// Every row of the `trends` CSV has its point, with the same numbers (CSV: 6 decimals).
fn same_as_trends(pts: &[Point], csv: &str, by_source: bool) -> usize {
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| head.iter().position(|h| *h == name).unwrap();
    let mut checked = 0;
    for l in lines {
        let v: Vec<&str> = l.split(',').collect();
        let source = if by_source { v[col("source")].to_string() } else { String::new() };
        let key = (v[col("keyword")].to_string(), source, v[col("period")].to_string());
        let (_, (share, lo, hi, k, n)) =
            pts.iter().find(|(k, _)| *k == key).unwrap_or_else(|| panic!("no point drawn for {key:?}"));
        let num = |c: &str| v[col(c)].parse::<f64>().unwrap();
        for (js, rust, what) in
            [(share, num("share"), "share"), (lo, num("ci_low"), "ci_low"), (hi, num("ci_high"), "ci_high")]
        {
            assert!((js - rust).abs() <= 5e-7 + 1e-12, "{key:?} {what}: page {js}, trends {rust}");
        }
        assert_eq!((*k, *n), (v[col("mentions")].parse().unwrap(), v[col("postings")].parse().unwrap()), "{key:?}");
        checked += 1;
    }
    checked
}

fn texts(dom: &Html, css: &str) -> Vec<String> {
    dom.select(&Selector::parse(css).unwrap()).map(|e| e.text().collect::<String>()).collect()
}

fn attrs(dom: &Html, css: &str, attr: &str) -> Vec<String> {
    dom.select(&Selector::parse(css).unwrap()).map(|e| e.value().attr(attr).unwrap_or("").to_string()).collect()
}

#[test]
fn explorer_draws_the_urls_series_with_the_numbers_of_trends() {
    let tmp = tempdir();
    let data = tmp.path().join("data");
    write_dataset(&data);
    // A custom keyword (from --keywords-dir) is in the explorer like the built-in ones.
    let kw = tmp.path().join("kw");
    std::fs::create_dir(&kw).unwrap();
    std::fs::write(
        kw.join("mine.toml"),
        "[[keyword]]\nid = \"systems-team\"\nlabel = \"Systems team\"\ncategory = \"team\"\naliases = [\"systems team\"]\n",
    )
    .unwrap();
    let out = tmp.path().join("report");
    let (out_s, kw_s) = (out.to_str().unwrap(), kw.to_str().unwrap());
    run(&data, &["report", "--out", out_s, "--keywords-dir", kw_s, "--width", "600", "--height", "400"]);
    let page = out.join("index.html");
    let html = std::fs::read_to_string(&page).unwrap();
    // The data: every taxonomy id, both sources, safe inside <script>.
    let doc = Html::parse_document(&html);
    let raw = texts(&doc, "script#explore-data").concat();
    let data_json: serde_json::Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(data_json["sources"].as_array().unwrap().len(), 2, "{}", data_json["sources"]);
    assert!(data_json["series"].as_array().unwrap().iter().any(|s| s["id"] == "typescript" && s["kind"] == "keyword"));
    assert!(!raw.contains('<'));
    let mine = data_json["series"].as_array().unwrap().iter().find(|s| s["id"] == "systems-team").expect("custom id");
    let total: u64 = mine["counts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c.as_array().unwrap())
        .map(|x| x.as_u64().unwrap())
        .sum();
    assert!(total > 0, "{mine}");

    let Some(chrome) = chromium() else {
        eprintln!(
            "SKIP explorer_draws_the_urls_series_with_the_numbers_of_trends: no chromium (apt-get install chromium)"
        );
        return;
    };
    let (dom, log) = dump_dom(&chrome, &page, "keywords=typescript,rust&by=quarter", &tmp.path().join("profile"));
    let dom = Html::parse_document(&dom);
    assert_eq!(texts(&dom, "#explore-errors").concat(), "", "the page reported errors");
    assert!(!log.contains("Uncaught"), "console error: {log}");
    assert_eq!(attrs(&dom, "#explore-chart path.series", "data-series"), ["typescript", "rust"]);
    let legend = texts(&dom, "#explore-legend span");
    assert_eq!(legend, ["TypeScript", "Rust"]);
    assert_eq!(attrs(&dom, "#explore-link", "href"), ["?keywords=typescript,rust&by=quarter"]);
    let pts = points(&dom);
    let csv = run(&data, &["trends", "--by", "quarter", "--keywords", "typescript,rust", "--format", "csv"]);
    assert!(csv.lines().skip(1).all(|l| !l.contains(",0,")), "both keywords are mentioned every quarter: {csv}");
    let n = same_as_trends(&pts, &csv, false);
    assert_eq!(n, 8, "4 quarters x 2 keywords");
    assert_eq!(pts.len(), n, "no point beyond trends' rows");
    split_by_source_names_an_unknown_id(&chrome, &page, &data, tmp.path());
}

/// The explorer of the report at `page`, asked for one line per source, months, one keyword and a
/// role: an unknown id is named, not fatal, and the points are those of `trends --by-source`.
fn split_by_source_names_an_unknown_id(chrome: &Path, page: &Path, data: &Path, tmp: &Path) {
    let q = "keywords=typescript,nosuchid&roles=backend&by=month&split=source";
    let (dom, log) = dump_dom(chrome, page, q, &tmp.join("profile"));
    let dom = Html::parse_document(&dom);
    assert_eq!(texts(&dom, "#explore-errors").concat(), "");
    assert!(!log.contains("Uncaught"), "console error: {log}");
    let series: Vec<(String, String)> = attrs(&dom, "#explore-chart path.series", "data-series")
        .into_iter()
        .zip(attrs(&dom, "#explore-chart path.series", "data-source"))
        .collect();
    let want: Vec<(String, String)> =
        [("typescript", "feed"), ("typescript", "hn"), ("backend", "feed"), ("backend", "hn")]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
    assert_eq!(series, want);
    assert!(texts(&dom, "#explore-note").concat().contains("keywords=nosuchid"));
    // The link to this view keeps the choice, without the unknown id.
    assert_eq!(attrs(&dom, "#explore-link", "href"), ["?keywords=typescript&roles=backend&by=month&split=source"]);
    let legend = texts(&dom, "#explore-legend span");
    assert_eq!(legend[0], "TypeScript · feed");
    let pts: Vec<Point> = points(&dom).into_iter().filter(|((s, _, _), _)| s == "typescript").collect();
    let csv = run(data, &["trends", "--keywords", "typescript", "--by-source", "--format", "csv"]);
    let n = same_as_trends(&pts, &csv, true);
    assert_eq!(n, 12 + 6);
    assert_eq!(pts.len(), n);
}
