//! JSON-LD / microdata JobPosting extractor throughput (divan). In: the hand-written pages of
//! `tests/fixtures/html/jsonld` and a synthetic job-board page (200 JobPostings in one `@graph` with `@id`
//! references and double-escaped HTML descriptions, ~1 MB). Out: time per pass, with bytes/s and postings/s, for
//! the DOM parse (`scraper::Html::parse_document`), `jsonld::extract` on a parsed DOM, and both together.
//!
//! `cargo bench --bench jsonld`

use std::path::Path;
use std::sync::LazyLock;

use divan::counter::{BytesCount, ItemsCount};
use jobtrend::sources::jsonld;
use scraper::Html;

fn main() {
    divan::main();
}

static FIXTURES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/html/jsonld");
    let mut files: Vec<_> =
        std::fs::read_dir(&dir).map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
    files.sort();
    let pages: Vec<String> = files.iter().filter_map(|p| std::fs::read_to_string(p).ok()).collect();
    if pages.is_empty() {
        eprintln!("SKIP fixture benches: no pages in {}", dir.display());
    }
    pages
});

/// A job board's page: header chrome, one `@graph` with an Organization and `n` JobPostings pointing at it.
fn board_page(n: usize) -> String {
    let mut graph = vec![serde_json::json!({
        "@type": "Organization", "@id": "https://jobs.example.com/#org", "name": "Example Corp",
        "sameAs": "https://example.com"
    })];
    for i in 0..n {
        let desc = format!(
            "&lt;p&gt;Role {i}: build backend services in Go and TypeScript on Node.js, Postgres with pgvector, \
             Kafka and Kubernetes on AWS.&lt;/p&gt;&lt;ul&gt;&lt;li&gt;5+ years of experience&lt;/li&gt;\
             &lt;li&gt;REST and GraphQL APIs&lt;/li&gt;&lt;li&gt;LLM and RAG experience a plus&lt;/li&gt;&lt;/ul&gt;{}",
            "&lt;p&gt;We value ownership, clear writing and kind code review.&lt;/p&gt;".repeat(20)
        );
        graph.push(serde_json::json!({
            "@type": ["JobPosting"], "@id": format!("https://jobs.example.com/{i}#job"),
            "title": format!("Senior Backend Engineer {i}"), "url": format!("https://jobs.example.com/{i}"),
            "datePosted": format!("2024-{:02}-{:02}T10:00:00+02:00", i % 12 + 1, i % 28 + 1),
            "hiringOrganization": {"@id": "https://jobs.example.com/#org"},
            "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": "Berlin"}},
            "baseSalary": {"@type": "MonetaryAmount", "currency": "EUR",
                           "value": {"@type": "QuantitativeValue", "minValue": 80000, "maxValue": 110000, "unitText": "YEAR"}},
            "description": desc
        }));
    }
    let ld = serde_json::json!({"@context": "https://schema.org", "@graph": graph});
    let nav = "<li><a href=\"/jobs\">Jobs</a></li>".repeat(50);
    format!(
        "<!doctype html><html><head><title>Jobs at Example Corp</title>\
         <link rel=\"canonical\" href=\"https://jobs.example.com/\">\
         <script type=\"application/ld+json\">{ld}</script></head>\
         <body><nav><ul>{nav}</ul></nav><main><h1>Open roles</h1></main></body></html>"
    )
}

static BOARD: LazyLock<Vec<String>> = LazyLock::new(|| vec![board_page(200)]);

fn postings(pages: &[String]) -> usize {
    pages.iter().map(|p| jsonld::extract(&Html::parse_document(p), None).postings.len()).sum()
}

fn counters(pages: &[String]) -> (BytesCount, ItemsCount) {
    (BytesCount::new(pages.iter().map(String::len).sum::<usize>()), ItemsCount::new(postings(pages)))
}

fn parse_and_extract(bencher: divan::Bencher, pages: &'static [String]) {
    if pages.is_empty() {
        return;
    }
    let (b, n) = counters(pages);
    bencher.counter(b).counter(n).bench(|| {
        pages
            .iter()
            .map(|p| jsonld::extract(&Html::parse_document(divan::black_box(p)), None).postings.len())
            .sum::<usize>()
    });
}

fn extract_only(bencher: divan::Bencher, pages: &'static [String]) {
    if pages.is_empty() {
        return;
    }
    let (b, n) = counters(pages);
    bencher
        .counter(b)
        .counter(n)
        .with_inputs(|| pages.iter().map(|p| Html::parse_document(p)).collect::<Vec<_>>())
        .bench_refs(|docs| {
            docs.iter().map(|d| jsonld::extract(divan::black_box(d), None).postings.len()).sum::<usize>()
        });
}

#[divan::bench(sample_count = 50)]
fn fixtures_parse_and_extract(bencher: divan::Bencher) {
    parse_and_extract(bencher, &FIXTURES);
}

#[divan::bench(sample_count = 50)]
fn fixtures_extract_only(bencher: divan::Bencher) {
    extract_only(bencher, &FIXTURES);
}

#[divan::bench(sample_count = 20)]
fn board_200_parse_and_extract(bencher: divan::Bencher) {
    parse_and_extract(bencher, &BOARD);
}

#[divan::bench(sample_count = 20)]
fn board_200_extract_only(bencher: divan::Bencher) {
    extract_only(bencher, &BOARD);
}

#[divan::bench(sample_count = 20)]
fn board_200_dom_parse_only(bencher: divan::Bencher) {
    let pages: &[String] = &BOARD;
    bencher
        .counter(BytesCount::new(pages.iter().map(String::len).sum::<usize>()))
        .bench(|| pages.iter().map(|p| Html::parse_document(divan::black_box(p)).tree.nodes().count()).sum::<usize>());
}
