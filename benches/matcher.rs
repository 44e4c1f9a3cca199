//! Matcher throughput (divan). In: `JOBTREND_BENCH_TEXT`, a file with one posting per line (e.g. the HN corpus
//! extracted from ../shared/data; not in the repo), else a small hand-written sample repeated. Out: time per pass,
//! with bytes/s.
//!
//! `JOBTREND_BENCH_TEXT=/tmp/postings.txt cargo bench --bench matcher`

use std::sync::LazyLock;

use divan::counter::BytesCount;
use jobtrend::keywords::{Matcher, Taxonomy};

fn main() {
    divan::main();
}

static TEXT: LazyLock<String> = LazyLock::new(|| match std::env::var("JOBTREND_BENCH_TEXT") {
    Ok(path) => std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}")),
    Err(_) => {
        eprintln!("JOBTREND_BENCH_TEXT not set: using the built-in sample");
        let sample = "Acme Widgets | Senior Backend Engineer | Remote | We use Go, Rust and TypeScript on Node.js, \
                      Postgres with pgvector, Kafka, Kubernetes (EKS) on AWS. Not a go-to-market role; the rest of \
                      the team is in Berlin. Experience with LLMs, RAG and AI agents is a plus.\n";
        sample.repeat(20_000)
    }
});

static MATCHER: LazyLock<Matcher> =
    LazyLock::new(|| Matcher::new(&Taxonomy::builtin().expect("builtin taxonomy")).expect("matcher"));

#[divan::bench]
fn build_matcher() -> Matcher {
    Matcher::new(&Taxonomy::builtin().expect("taxonomy")).expect("matcher")
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn find_every_posting(bencher: divan::Bencher) {
    let text: &str = &TEXT;
    let m: &Matcher = &MATCHER;
    bencher.counter(BytesCount::of_str(text)).bench(|| {
        let mut n = 0usize;
        for line in text.lines() {
            n += m.find(divan::black_box(line)).len();
        }
        n
    });
}
