//! HN thread page parser throughput (divan). In: the saved pages of `../shared/data/hn-whoishiring/html` (148 MB,
//! 93 months; skipped with a message when absent) and the hand-written fixtures of `tests/fixtures/html/hn`
//! (every markup generation, always present). Out: time per pass over all pages, with bytes/s and postings/s,
//! for `hn_html::parse` alone and for `sources::parse_page` (recognition + parse + `Posting` construction).
//!
//! `cargo bench --bench hn_parser`

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use divan::counter::{BytesCount, ItemsCount};
use jobtrend::sources::{self, FallbackDate, PageOutcome, hn_html};

fn main() {
    divan::main();
}

fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            html_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "html") {
            out.push(p);
        }
    }
}

fn load(dir: &Path) -> Vec<String> {
    let mut files = Vec::new();
    html_files(dir, &mut files);
    files.iter().filter_map(|p| std::fs::read(p).ok()).map(|b| String::from_utf8_lossy(&b).into_owned()).collect()
}

static REAL: LazyLock<Vec<String>> = LazyLock::new(|| {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/hn-whoishiring/html");
    let pages = load(&dir);
    if pages.is_empty() {
        eprintln!("SKIP real-corpus benches: {} not found", dir.display());
    }
    pages
});

static FIXTURES: LazyLock<Vec<String>> =
    LazyLock::new(|| load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/html/hn")));

fn bytes(pages: &[String]) -> usize {
    pages.iter().map(String::len).sum()
}

fn postings(pages: &[String]) -> usize {
    pages.iter().filter_map(|p| hn_html::parse(p).ok()).map(|p| p.postings.len()).sum()
}

fn bench_parse(bencher: divan::Bencher, pages: &'static [String]) {
    if pages.is_empty() {
        return;
    }
    bencher.counter(BytesCount::new(bytes(pages))).counter(ItemsCount::new(postings(pages))).bench(|| {
        pages.iter().filter_map(|p| hn_html::parse(divan::black_box(p)).ok()).map(|p| p.postings.len()).sum::<usize>()
    });
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn parse_real_corpus(bencher: divan::Bencher) {
    bench_parse(bencher, &REAL);
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn parse_page_real_corpus(bencher: divan::Bencher) {
    let pages: &[String] = &REAL;
    if pages.is_empty() {
        return;
    }
    let fallback = FallbackDate { flag: None, mtime: None };
    bencher.counter(BytesCount::new(bytes(pages))).counter(ItemsCount::new(postings(pages))).bench(|| {
        pages
            .iter()
            .filter_map(|p| sources::parse_page(divan::black_box(p), p.as_bytes(), fallback).ok())
            .map(|o| match o {
                PageOutcome::Postings { postings, .. } => postings.len(),
                PageOutcome::Skipped { .. } => 0,
            })
            .sum::<usize>()
    });
}

#[divan::bench(sample_count = 50)]
fn parse_fixtures(bencher: divan::Bencher) {
    bench_parse(bencher, &FIXTURES);
}
