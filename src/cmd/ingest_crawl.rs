//! `jobtrend ingest warc FILE_OR_URL... [--paths FILE]` and `jobtrend ingest wdc FILE_OR_URL...`:
//! crawl archives into the dataset.
//!
//! In: the parsed arguments. Out: new postings in the dataset, problems on stderr as they are
//! found, a summary line on stderr (and JSON on stdout with `--json`), exit 0, 1 when some input,
//! record or line failed, 2 when no input could be read.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;

use crate::cli::{Cli, IngestWarcArgs, IngestWdcArgs, NetArgs};
use crate::ingest_crawl::{self, CrawlOptions, Input, WarcSummary, WdcSummary};
use crate::sources::net::NetOptions;

fn options(args: &NetArgs, jobs: Option<usize>) -> anyhow::Result<CrawlOptions> {
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        anyhow::bail!("--timeout must be a positive number of seconds");
    }
    if let Some(b) = &args.base_url {
        reqwest::Url::parse(b).with_context(|| format!("invalid --base-url {b:?}"))?;
    }
    let net = NetOptions {
        base_url: args.base_url.clone(),
        timeout: Duration::from_secs_f64(args.timeout),
        retries: args.retries,
        ..Default::default()
    };
    Ok(CrawlOptions { net, jobs })
}

fn open(cli: &Cli, args: &NetArgs) -> anyhow::Result<Result<crate::store::Store, ExitCode>> {
    let store = super::open_store(&cli.data, args.common.wait)?;
    crate::signals::install();
    Ok(store)
}

pub fn run_warc(cli: &Cli, args: &IngestWarcArgs) -> anyhow::Result<ExitCode> {
    let opts = options(&args.net, args.jobs)?;
    let inputs = ingest_crawl::inputs(&args.inputs, args.paths.as_deref(), args.net.base_url.as_deref())
        .map_err(anyhow::Error::msg)?;
    let mut store = match open(cli, &args.net)? {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    let sum = ingest_crawl::ingest_warc(&mut store, &inputs, &opts)
        .with_context(|| format!("could not write the dataset in {}", cli.data.display()))?;
    if args.net.common.json {
        println!("{}", serde_json::to_string_pretty(&sum)?);
    }
    if !cli.quiet || sum.exit_code() != 0 {
        eprintln!("{}", warc_line(&sum));
    }
    finish(&store, sum.exit_code(), sum.interrupted, &inputs)
}

pub fn run_wdc(cli: &Cli, args: &IngestWdcArgs) -> anyhow::Result<ExitCode> {
    let opts = options(&args.net, None)?;
    let inputs = ingest_crawl::inputs(&args.inputs, None, args.net.base_url.as_deref()).map_err(anyhow::Error::msg)?;
    let mut store = match open(cli, &args.net)? {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    let sum = ingest_crawl::ingest_wdc(&mut store, &inputs, &opts)
        .with_context(|| format!("could not write the dataset in {}", cli.data.display()))?;
    if args.net.common.json {
        println!("{}", serde_json::to_string_pretty(&sum)?);
    }
    if !cli.quiet || sum.exit_code() != 0 {
        eprintln!("{}", wdc_line(&sum));
    }
    finish(&store, sum.exit_code(), sum.interrupted, &inputs)
}

fn finish(store: &crate::store::Store, code: u8, interrupted: bool, inputs: &[Input]) -> anyhow::Result<ExitCode> {
    if interrupted {
        eprintln!(
            "interrupted: what was read is stored; run the same command again to finish ({} inputs)",
            inputs.len()
        );
    }
    let damaged = if store.damaged().is_empty() { crate::exit::OK } else { crate::exit::PARTIAL };
    Ok(ExitCode::from(code.max(damaged)))
}

fn rate(bytes: u64, secs: f64) -> String {
    let mb = bytes as f64 / 1e6;
    format!("{mb:.1} MB in {secs:.2} s ({:.0} MB/s)", if secs > 0.0 { mb / secs } else { 0.0 })
}

fn warc_line(s: &WarcSummary) -> String {
    let skipped: Vec<String> = s.skipped.iter().filter(|(_, n)| **n > 0).map(|(k, n)| format!("{n} {k}")).collect();
    format!(
        "warc: {} inputs ({} read, {} failed): {} records, {} responses, {} broken; {} postings on {} pages: {} new, {} already known; skipped: {}; {}",
        s.inputs,
        s.inputs_read,
        s.inputs_failed,
        s.records,
        s.responses,
        s.broken_records,
        s.postings_found,
        s.pages_with_postings,
        s.new,
        s.known,
        if skipped.is_empty() { "none".to_string() } else { skipped.join(", ") },
        rate(s.bytes, s.seconds),
    )
}

fn wdc_line(s: &WdcSummary) -> String {
    let c = &s.counts;
    format!(
        "wdc: {} inputs ({} read, {} failed): {} quads, {} bad lines, {} pages ({} without a JobPosting), {} JobPosting nodes; {} postings: {} new, {} already known; skipped: {} undated, {} empty; {}",
        s.inputs,
        s.inputs_read,
        s.inputs_failed,
        c.quads,
        c.bad_lines,
        c.pages,
        c.pages_without_job_posting,
        c.job_nodes,
        s.postings_found,
        s.new,
        s.known,
        c.undated,
        c.empty,
        rate(s.bytes, s.seconds),
    )
}
