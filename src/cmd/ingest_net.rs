//! `jobtrend ingest hn|greenhouse|lever|remoteok|remotive|arbeitnow|feed`: one network source
//! into the dataset.
//!
//! In: the parsed arguments. Out: new postings in the dataset, the conditional-request state in
//! `<data>/state/net.json` (written after the postings are stored), a summary on stderr (and as
//! JSON on stdout with `--json`), exit 0, or 1 when some request failed or a host could not be
//! reached (said once per source: `<source>: could not reach <host>: reason`).

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::Utc;
use serde::Serialize;

use crate::cli::{Cli, IngestSource, NetArgs};
use crate::sources::net::{self, NetOptions, NetSource, State};

/// What one network ingest did.
#[derive(Debug, Default, Clone, Serialize)]
pub struct NetSummary {
    pub source: String,
    /// Distinct postings the source returned.
    pub postings_found: usize,
    pub new: usize,
    pub known: usize,
    pub requests: u64,
    pub not_modified: u64,
    pub errors: Vec<String>,
    pub unreachable: bool,
    /// Stopped by SIGINT/SIGTERM before the fetch finished: nothing of it was stored.
    pub interrupted: bool,
    pub seconds: f64,
}

/// The source and the network arguments of an `ingest` subcommand (`None` for `ingest html`).
pub fn net_source(src: &IngestSource) -> Option<(NetSource, &NetArgs)> {
    Some(match src {
        IngestSource::Html(_) | IngestSource::Warc(_) | IngestSource::Wdc(_) => return None,
        IngestSource::Hn(a) => {
            (NetSource::Hn { since: a.since.clone(), until: a.until.clone(), refresh: a.refresh }, &a.net)
        }
        IngestSource::Greenhouse(a) => (NetSource::Greenhouse { boards: a.boards.clone() }, &a.net),
        IngestSource::Lever(a) => (NetSource::Lever { companies: a.companies.clone() }, &a.net),
        IngestSource::Remoteok(a) => (NetSource::RemoteOk, a),
        IngestSource::Remotive(a) => (NetSource::Remotive, a),
        IngestSource::Arbeitnow(a) => (NetSource::Arbeitnow, a),
        IngestSource::Feed(a) => (NetSource::Feed { urls: a.urls.clone() }, &a.net),
    })
}

pub fn run(cli: &Cli, src: &IngestSource) -> anyhow::Result<ExitCode> {
    let Some((source, args)) = net_source(src) else { anyhow::bail!("not a network source") };
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        anyhow::bail!("--timeout must be a positive number of seconds");
    }
    if let Some(b) = &args.base_url {
        reqwest::Url::parse(b).with_context(|| format!("invalid --base-url {b:?}"))?;
    }
    let mut store = match super::open_store(&cli.data, args.common.wait)? {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    let state_dir = cli.data.join("state");
    let mut state = match State::load(&state_dir) {
        Ok(s) => s,
        Err(e) => {
            // Conditional requests are an optimisation: a damaged state file costs a full fetch.
            tracing::warn!("{e}; starting with an empty state");
            State::default()
        }
    };
    let opts = NetOptions {
        base_url: args.base_url.clone(),
        timeout: Duration::from_secs_f64(args.timeout),
        retries: args.retries,
        progress: !cli.quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()),
        ..Default::default()
    };
    let started = Instant::now();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().worker_threads(2).build()?;
    crate::signals::install();
    let out = rt.block_on(async {
        tokio::select! {
            out = net::fetch(&source, &opts, &state) => Some(out),
            () = crate::signals::stopped() => None,
        }
    });
    let Some(out) = out else {
        // Nothing was stored and the state is unchanged, so the next run fetches the same again.
        let sum = NetSummary {
            source: source.name().to_string(),
            interrupted: true,
            seconds: started.elapsed().as_secs_f64(),
            ..Default::default()
        };
        print_summary(cli, &sum, args.common.json)?;
        return Ok(ExitCode::from(exit_code(&sum)));
    };
    let now = Utc::now();
    let found = out.postings.len();
    let postings = out.postings.into_iter().map(|p| p.finish(now)).collect();
    let stats =
        store.append(postings).with_context(|| format!("could not write the dataset in {}", cli.data.display()))?;
    // The state describes stored data only: written after the append, atomically.
    state.commit(&state_dir, out.pending_state).with_context(|| format!("could not write {}", state_dir.display()))?;
    let sum = NetSummary {
        source: out.name,
        postings_found: found,
        new: stats.new,
        known: stats.known,
        requests: out.requests,
        not_modified: out.not_modified,
        errors: out.errors,
        unreachable: out.unreachable,
        interrupted: false,
        seconds: started.elapsed().as_secs_f64(),
    };
    print_summary(cli, &sum, args.common.json)?;
    let damaged = if store.damaged().is_empty() { crate::exit::OK } else { crate::exit::PARTIAL };
    Ok(ExitCode::from(exit_code(&sum).max(damaged)))
}

/// 0 when every request succeeded, 1 otherwise (or when interrupted).
pub fn exit_code(sum: &NetSummary) -> u8 {
    if sum.errors.is_empty() && !sum.unreachable && !sum.interrupted { crate::exit::OK } else { crate::exit::PARTIAL }
}

fn print_summary(cli: &Cli, sum: &NetSummary, json: bool) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(sum)?);
    }
    for e in &sum.errors {
        eprintln!("{}: {e}", sum.source);
    }
    if sum.interrupted {
        eprintln!(
            "{}: interrupted before the fetch finished: nothing stored, the next run fetches it again",
            sum.source
        );
    } else if !cli.quiet {
        eprintln!(
            "{}: {} postings found: {} new, {} already known; {} requests ({} not modified) in {:.2} s",
            sum.source, sum.postings_found, sum.new, sum.known, sum.requests, sum.not_modified, sum.seconds
        );
    }
    Ok(())
}
