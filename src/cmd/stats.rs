//! `jobtrend stats`: postings per source per month, date coverage, dataset size, last runs.

use std::process::ExitCode;

use serde::Serialize;

use crate::cli::{Cli, StatsArgs};

#[derive(Debug, Serialize)]
struct MonthRow {
    source: String,
    month: String,
    postings: u64,
    with_date: u64,
}

#[derive(Debug, Serialize)]
struct SourceRow {
    source: String,
    postings: u64,
    first_month: String,
    last_month: String,
    months: u64,
    /// Months between the first and the last with no posting from this source.
    missing_months: Vec<String>,
    /// Who the source speaks for (`crate::sources::audience`).
    audience: String,
    /// Postings with a date.
    with_date: u64,
    /// Distinct boards (ATS) or sites (web pages, feeds) seen; absent for single-venue sources.
    #[serde(skip_serializing_if = "Option::is_none")]
    units: Option<u64>,
    /// What `units` counts: `companies` or `sites`.
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<String>,
}

#[derive(Debug, Serialize)]
struct Stats {
    data_dir: String,
    postings: u64,
    part_files: usize,
    bytes: u64,
    sources: Vec<SourceRow>,
    months: Vec<MonthRow>,
    /// Match index directories (one per taxonomy fingerprint) and their sizes.
    index: Vec<IndexDir>,
    last_runs: Vec<serde_json::Value>,
    /// Part files that could not be read (path, reason): their postings are not counted.
    damaged: Vec<crate::store::DamagedPart>,
    /// Copies of one job found in two sources, per source pair (`a` < `b`): matched by canonical URL,
    /// else by text. Pooled totals count each job once (`--dedup`).
    duplicates: Vec<crate::dedup::PairCount>,
    /// ATS board sources with snapshots: boards, snapshots, postings open / closed / reopened.
    lifecycle: Vec<crate::lifecycle::SourceCounts>,
}

#[derive(Debug, Serialize)]
struct IndexDir {
    fp: String,
    bytes: u64,
    /// The built-in taxonomy's index (`<data>/index/CURRENT`).
    current: bool,
}

fn months_between(first: &str, last: &str) -> Vec<String> {
    use crate::posting::{month_index, month_name};
    match (month_index(first), month_index(last)) {
        (Some(a), Some(b)) => (a..=b).map(month_name).collect(),
        _ => Vec::new(),
    }
}

/// Copies across sources per source pair, from the built-in taxonomy's index (matched where missing).
fn duplicates(data: &std::path::Path) -> Vec<crate::dedup::PairCount> {
    let plan = crate::keywords::Taxonomy::builtin().map_err(|e| e.to_string()).and_then(|tax| {
        crate::dedup::plan_dataset(data, &tax, &[], crate::dedup::Dedup::Exact).map_err(|e| e.to_string())
    });
    match plan {
        Ok(p) => p.pairs,
        Err(e) => {
            eprintln!("jobtrend: could not look for duplicates across sources: {e}");
            Vec::new()
        }
    }
}

fn collect(cli: &Cli) -> anyhow::Result<Stats> {
    let census = crate::store::census::census(&cli.data)?;
    let bytes = census.files.iter().filter_map(|f| std::fs::metadata(f).ok()).map(|m| m.len()).sum();
    let months: Vec<MonthRow> = census
        .months
        .into_iter()
        .map(|m| MonthRow { source: m.source, month: m.month, postings: m.postings, with_date: m.with_date })
        .collect();
    let files = census.files;
    let damaged = census.damaged;
    let mut sources: Vec<SourceRow> = Vec::new();
    for r in &months {
        match sources.last_mut() {
            Some(s) if s.source == r.source => {
                s.postings += r.postings;
                s.last_month = r.month.clone();
                s.months += 1;
            }
            _ => sources.push(SourceRow {
                source: r.source.clone(),
                postings: r.postings,
                first_month: r.month.clone(),
                last_month: r.month.clone(),
                months: 1,
                missing_months: Vec::new(),
                audience: String::new(),
                with_date: 0,
                units: None,
                unit: None,
            }),
        }
    }
    let profiles = crate::sources::audience::profile(&cli.data)?;
    for s in &mut sources {
        s.with_date = months.iter().filter(|r| r.source == s.source).map(|r| r.with_date).sum();
        let p = profiles.sources.iter().find(|p| p.source == s.source);
        s.audience = p.map_or_else(|| crate::sources::audience::audience(&s.source, None), |p| p.audience.clone());
        s.units = p.and_then(|p| p.units);
        s.unit = p.and_then(|p| p.unit.clone());
        let have: std::collections::HashSet<&str> =
            months.iter().filter(|r| r.source == s.source).map(|r| r.month.as_str()).collect();
        s.missing_months =
            months_between(&s.first_month, &s.last_month).into_iter().filter(|m| !have.contains(m.as_str())).collect();
    }
    let runs_path = cli.data.join("runs.jsonl");
    let last_runs = std::fs::read_to_string(&runs_path)
        .map(|t| {
            let all: Vec<serde_json::Value> = t.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
            all[all.len().saturating_sub(5)..].to_vec()
        })
        .unwrap_or_default();
    let current = std::fs::read_to_string(cli.data.join("index").join("CURRENT")).unwrap_or_default();
    let index = crate::index::list_fps(&cli.data)
        .into_iter()
        .map(|(fp, bytes)| IndexDir { current: fp == current.trim(), fp, bytes })
        .collect();
    let (lifecycle, snap_problems) = crate::lifecycle::counts(&cli.data, None);
    for (p, reason) in snap_problems {
        eprintln!("jobtrend: skipped an unreadable snapshot file {}: {reason}", p.display());
    }
    Ok(Stats {
        lifecycle,
        data_dir: cli.data.display().to_string(),
        index,
        postings: months.iter().map(|r| r.postings).sum(),
        part_files: files.len(),
        bytes,
        sources,
        months,
        last_runs,
        damaged,
        duplicates: duplicates(&cli.data),
    })
}

pub fn run(cli: &Cli, args: &StatsArgs) -> anyhow::Result<ExitCode> {
    if !cli.data.is_dir() {
        eprintln!("jobtrend: error: {}", crate::analysis::AnalysisError::NoDataDir(cli.data.clone()));
        return Ok(ExitCode::from(crate::exit::FATAL));
    }
    super::warn_if_writing(&cli.data);
    let st = collect(cli)?;
    for d in &st.damaged {
        eprintln!("jobtrend: skipped a damaged part file: {}: {}", d.path.display(), d.reason);
    }
    if !st.damaged.is_empty() {
        eprintln!(
            "jobtrend: {} part file(s) skipped; the counts leave them out (`jobtrend verify --repair` moves them aside)",
            st.damaged.len()
        );
    }
    let code = if st.damaged.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(crate::exit::PARTIAL) };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&st)?);
        return Ok(code);
    }
    print_summary(&st);
    print_details(&st);
    Ok(code)
}

/// The totals, each source's postings and months, and the postings per source and month.
fn print_summary(st: &Stats) {
    println!(
        "{}: {} postings in {} part files, {:.1} MB",
        st.data_dir,
        st.postings,
        st.part_files,
        st.bytes as f64 / 1e6
    );
    if st.postings == 0 {
        println!("the dataset is empty: add postings with `jobtrend ingest html PATH` or `jobtrend run`");
    }
    for s in &st.sources {
        println!(
            "  {:<12} {:>7} postings, {} .. {} ({} months{})",
            s.source,
            s.postings,
            s.first_month,
            s.last_month,
            s.months,
            if s.missing_months.is_empty() {
                String::new()
            } else {
                format!(", none in {}", s.missing_months.join(" "))
            }
        );
        println!("  {:<12} {}", "", s.audience);
    }
    if !st.months.is_empty() {
        println!("\n  {:<12} {:<8} {:>8} {:>9}", "source", "month", "postings", "with date");
        for r in &st.months {
            println!("  {:<12} {:<8} {:>8} {:>9}", r.source, r.month, r.postings, r.with_date);
        }
    }
}

/// The ATS lifecycle counts, the match index directories, the duplicates across sources and the
/// last runs, each when there is any.
fn print_details(st: &Stats) {
    if !st.lifecycle.is_empty() {
        println!("\n  lifecycle (ATS boards, from complete-fetch snapshots):");
        println!(
            "  {:<16} {:>7} {:>9} {:>8} {:>8} {:>8}",
            "source", "boards", "snapshots", "open", "closed", "reopened"
        );
        for c in &st.lifecycle {
            println!(
                "  {:<16} {:>7} {:>9} {:>8} {:>8} {:>8}",
                c.source, c.boards, c.snapshots, c.open, c.closed, c.reopened
            );
        }
    }
    if !st.index.is_empty() {
        println!("\n  match index (index/fp=..., one per taxonomy; old ones may be deleted):");
        for d in &st.index {
            println!(
                "  fp={} {:>9.1} MB{}",
                d.fp,
                d.bytes as f64 / 1e6,
                if d.current { "  (built-in taxonomy)" } else { "" }
            );
        }
    }
    if !st.duplicates.is_empty() {
        println!("\n  duplicates across sources (each job counts once where sources are pooled, see --dedup):");
        for d in &st.duplicates {
            println!("  {} × {}: {} by URL, {} by text", d.a, d.b, d.by_url, d.by_content);
        }
    }
    if !st.last_runs.is_empty() {
        println!("\nlast runs:");
        for r in &st.last_runs {
            println!("  {r}");
        }
    }
}
