//! Trend aggregation throughput (divan). In: a synthetic [`Matched`] shaped like the real HN corpus (93 months,
//! 54,299 postings, ~8 keyword ids per posting drawn from the builtin taxonomy; and the same ×10). Out: time per
//! `trends::compute` (Polars group-bys, zero filling, Wilson intervals) for all ids × all months, per posting.
//! Matching is not included: see `benches/matcher.rs` and `benches/e2e.sh` for the whole `trends` command.
//!
//! `cargo bench --bench aggregate`

use std::sync::LazyLock;

use divan::counter::ItemsCount;
use jobtrend::cli::Period;
use jobtrend::keywords::Taxonomy;
use jobtrend::matched::Matched;
use jobtrend::trends::{self, TrendOptions};

fn main() {
    divan::main();
}

static TAX: LazyLock<Taxonomy> = LazyLock::new(|| Taxonomy::builtin().expect("builtin taxonomy"));

/// 93 months from 2018-03, `per_month` postings each; keyword sets from a fixed xorshift stream.
fn synthetic(postings: usize) -> Matched {
    let n_ids = TAX.keywords().len() as u64;
    let months: Vec<String> = (0..93).map(|i| format!("{}-{:02}", 2018 + (i + 2) / 12, (i + 2) % 12 + 1)).collect();
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut m = Matched::default();
    for i in 0..postings {
        m.ids.push(format!("hn:{i}"));
        m.months.push(months[i * months.len() / postings].clone());
        m.sources.push("hn".to_string());
        m.titles.push(None);
        let mut kws: Vec<u16> = (0..next() % 16).map(|_| (next() % n_ids) as u16).collect();
        kws.sort_unstable();
        kws.dedup();
        m.keywords.push(kws);
        m.roles.push(Vec::new());
        m.seniority.push("");
        m.salary.push(None);
    }
    m.bytes = 1500 * postings as u64;
    m
}

static REAL_SIZE: LazyLock<Matched> = LazyLock::new(|| synthetic(54_299));
static TEN_X: LazyLock<Matched> = LazyLock::new(|| synthetic(542_990));

fn run(bencher: divan::Bencher, m: &'static Matched, by: Period) {
    let opts = TrendOptions { by, ..TrendOptions::default() };
    bencher
        .counter(ItemsCount::new(m.len()))
        .bench(|| trends::compute(divan::black_box(m), &TAX, &opts).expect("compute").len());
}

#[divan::bench(sample_count = 10, sample_size = 1, args = [Period::Month, Period::Quarter, Period::Year])]
fn compute_54k_postings(bencher: divan::Bencher, by: Period) {
    run(bencher, &REAL_SIZE, by);
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn compute_543k_postings_by_month(bencher: divan::Bencher) {
    run(bencher, &TEN_X, Period::Month);
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn to_csv_54k_by_month(bencher: divan::Bencher) {
    let rows = trends::compute(&REAL_SIZE, &TAX, &TrendOptions::default()).expect("compute");
    bencher.counter(ItemsCount::new(rows.len())).bench(|| trends::to_csv(divan::black_box(&rows), false).len());
}
