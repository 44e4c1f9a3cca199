//! `jobtrend ingest hn|greenhouse|lever|ashby|smartrecruiters|workable|remoteok|remotive|arbeitnow|feed`:
//! one network source into the dataset.
//!
//! In: the parsed arguments (ATS kinds: boards named and/or `--boards FILE`). Out: new postings in
//! the dataset, for ATS kinds a lifecycle snapshot of the boards fetched completely
//! (`<data>/snapshots/`, written after the postings), the conditional-request state in
//! `<data>/state/net.json` (written last), a summary on stderr (and as JSON on stdout with
//! `--json`, with a `lifecycle` object for ATS kinds), exit 0, or 1 when some request failed or a
//! host could not be reached (said once per source: `<source>: could not reach <host>: reason`).

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::Utc;
use serde::Serialize;

use super::net_glue::{self, LifecycleSummary};
use crate::backfill::{HnRange, backfill_hn, dataset_has_hn, hn_host, offline_hint};
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
    /// Stopped by SIGINT/SIGTERM before the fetch finished: nothing of it was stored (hn: the
    /// months stored are kept, see `hn_months`).
    pub interrupted: bool,
    pub seconds: f64,
    /// ATS board sources only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<LifecycleSummary>,
    /// hn only: threads complete before, to fetch, stored and failed in this run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hn_months: Option<crate::backfill::HnMonths>,
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
        IngestSource::Ashby(a) => (NetSource::Ashby { boards: a.boards.clone() }, &a.net),
        IngestSource::Smartrecruiters(a) => (NetSource::SmartRecruiters { companies: a.boards.clone() }, &a.net),
        IngestSource::Workable(a) => (NetSource::Workable { accounts: a.boards.clone() }, &a.net),
        IngestSource::Remoteok(a) => (NetSource::RemoteOk, a),
        IngestSource::Remotive(a) => (NetSource::Remotive, a),
        IngestSource::Arbeitnow(a) => (NetSource::Arbeitnow, a),
        IngestSource::Feed(a) => (NetSource::Feed { urls: a.urls.clone() }, &a.net),
    })
}

/// The `--boards FILE` of an ATS ingest subcommand.
fn boards_file(src: &IngestSource) -> Option<&std::path::Path> {
    match src {
        IngestSource::Greenhouse(a) => a.boards_file.as_deref(),
        IngestSource::Lever(a) => a.boards_file.as_deref(),
        IngestSource::Ashby(a) | IngestSource::Smartrecruiters(a) | IngestSource::Workable(a) => {
            a.boards_file.as_deref()
        }
        _ => None,
    }
}

pub fn run(cli: &Cli, src: &IngestSource) -> anyhow::Result<ExitCode> {
    let Some((mut source, args)) = net_source(src) else { anyhow::bail!("not a network source") };
    net_glue::add_boards_file(&mut source, boards_file(src))?;
    let at = crate::lifecycle::now()?;
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
    let mut state = net_glue::load_state(&state_dir);
    let opts = NetOptions {
        base_url: args.base_url.clone(),
        timeout: Duration::from_secs_f64(args.timeout),
        retries: args.retries,
        progress: !cli.quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()),
        known_ids: std::sync::Arc::new(store.ids().map(str::to_string).collect()),
        ..Default::default()
    };
    let started = Instant::now();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().worker_threads(2).build()?;
    crate::signals::install();
    if let NetSource::Hn { since, until, refresh } = &source {
        let range = HnRange { since: since.clone(), until: until.clone(), refresh: *refresh };
        let ctx = HnCtx { rt: &rt, opts: &opts, state_dir: &state_dir, started };
        return ingest_hn(cli, args, &mut store, &mut state, &range, &ctx);
    }
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
    let lifecycle = net_glue::record_lifecycle(&cli.data, &source, at, out.boards, &out.listings)?;
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
        lifecycle,
        hn_months: None,
    };
    print_summary(cli, &sum, args.common.json)?;
    let damaged = if store.damaged().is_empty() { crate::exit::OK } else { crate::exit::PARTIAL };
    Ok(ExitCode::from(exit_code(&sum).max(damaged)))
}

struct HnCtx<'a> {
    rt: &'a tokio::runtime::Runtime,
    opts: &'a NetOptions,
    state_dir: &'a std::path::Path,
    started: Instant,
}

/// `ingest hn`: the months stored one at a time ([`crate::backfill`]).
fn ingest_hn(
    cli: &Cli,
    args: &NetArgs,
    store: &mut crate::store::Store,
    state: &mut State,
    range: &HnRange,
    ctx: &HnCtx<'_>,
) -> anyhow::Result<ExitCode> {
    let sum = backfill_hn(store, ctx.rt, range, ctx.opts, state, ctx.state_dir)
        .with_context(|| format!("could not write the dataset in {}", cli.data.display()))?;
    let out = NetSummary {
        source: sum.outcome.name.clone(),
        postings_found: sum.found,
        new: sum.new,
        known: sum.known,
        requests: sum.outcome.requests,
        not_modified: 0,
        errors: sum.outcome.errors.clone(),
        unreachable: sum.outcome.unreachable,
        interrupted: sum.interrupted,
        seconds: ctx.started.elapsed().as_secs_f64(),
        lifecycle: None,
        hn_months: Some((&sum).into()),
    };
    print_summary(cli, &out, args.common.json)?;
    if out.unreachable && !dataset_has_hn(&cli.data) {
        eprintln!("{}", offline_hint(&hn_host(args.base_url.as_deref())));
    }
    let damaged = if store.damaged().is_empty() { crate::exit::OK } else { crate::exit::PARTIAL };
    Ok(ExitCode::from(exit_code(&out).max(damaged)))
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
    if let (true, Some(m)) = (sum.interrupted, &sum.hn_months) {
        eprintln!("{}: {}", sum.source, m.interruption());
    } else if sum.interrupted {
        eprintln!(
            "{}: interrupted before the fetch finished: nothing stored, the next run fetches it again",
            sum.source
        );
    } else if !cli.quiet {
        eprintln!(
            "{}: {} postings found: {} new, {} already known; {} requests ({} not modified) in {:.2} s",
            sum.source, sum.postings_found, sum.new, sum.known, sum.requests, sum.not_modified, sum.seconds
        );
        if let Some(l) = &sum.lifecycle {
            eprintln!(
                "{}: {} of {} boards fetched completely (snapshot); postings open {}, closed {}, reopened {}",
                sum.source, l.boards_complete, l.boards, l.open, l.closed, l.reopened
            );
        }
    }
    Ok(())
}
