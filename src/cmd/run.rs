//! `jobtrend run`: the scheduled job. Ingest every configured source, then write the report and
//! the verdicts; append a record to `<data>/runs.jsonl`.
//!
//! Exit codes: 0 all good, 1 some source failed or could not be reached (the rest was done),
//! 2 bad config or fatal error, 3 another run holds the lock.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::Ordering;

use anyhow::Context;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::analysis::Selection;
use crate::backfill::{HnRange, backfill_hn, dataset_has_hn, hn_host, offline_hint};
use crate::cli::{Cli, RunArgs};
use crate::config::{RunConfig, SourceConfig, SourceKind};
use crate::ingest::{HtmlOptions, STOP, ingest_html};
use crate::report::{ReportRequest, generate_to};
use crate::sources::net::{self, NetOptions, NetSource};
use crate::store::Store;
use crate::trends::TrendOptions;

/// One source's part of a run record.
#[derive(Debug, Serialize)]
pub struct SourceRecord {
    pub name: String,
    pub kind: String,
    pub new: usize,
    pub known: usize,
    pub errors: Vec<String>,
    pub unreachable: bool,
    pub seconds: f64,
}

/// A line of `<data>/runs.jsonl`.
#[derive(Debug, Serialize)]
pub struct RunRecord {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub pid: u32,
    pub config: String,
    pub sources: Vec<SourceRecord>,
    pub postings_total: usize,
    pub report: Option<String>,
    pub interrupted: bool,
    pub exit_code: u8,
}

fn net_source(s: &SourceConfig) -> Option<NetSource> {
    let v = |o: &Option<crate::config::OneOrMany>| o.as_ref().map(|x| x.to_vec()).unwrap_or_default();
    Some(match s.kind {
        SourceKind::Html => return None,
        SourceKind::Hn => NetSource::Hn { since: s.since.clone(), until: s.until.clone(), refresh: s.refresh },
        SourceKind::Greenhouse => NetSource::Greenhouse { boards: v(&s.board) },
        SourceKind::Lever => NetSource::Lever { companies: v(&s.company) },
        SourceKind::Remoteok => NetSource::RemoteOk,
        SourceKind::Remotive => NetSource::Remotive,
        SourceKind::Arbeitnow => NetSource::Arbeitnow,
        SourceKind::Feed => NetSource::Feed { urls: v(&s.url) },
        SourceKind::Ashby => NetSource::Ashby { boards: v(&s.board) },
        SourceKind::Smartrecruiters => NetSource::SmartRecruiters { companies: v(&s.board) },
        SourceKind::Workable => NetSource::Workable { accounts: v(&s.board) },
    })
}

pub fn run(cli: &Cli, args: &RunArgs) -> anyhow::Result<ExitCode> {
    let start = Utc::now();
    let cfg = RunConfig::load(&args.config)?;
    let (data, choice) = cfg.data_dir(&cli.data, cli.data_origin);
    tracing::info!(
        "dataset: {} (from {choice:?}; precedence: --data, config `data`, JOBTREND_DATA, default)",
        data.display()
    );
    let mut store = match super::open_store(&data, args.wait)? {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    if let Some(dir) = &cfg.keywords {
        // Index what this run adds under the taxonomy its report uses.
        let tax = super::trends::taxonomy(Some(dir))?;
        store.on_part_written(crate::index::part_hook(&data, tax).context("could not prepare the match index")?);
    }
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().worker_threads(2).build()?;
    crate::signals::install();
    let progress = !cli.quiet && std::io::stderr().is_terminal();

    let records = ingest_sources(&mut store, &cfg, &rt, progress, cli.quiet)?;
    let mut failed = !store.damaged().is_empty() || records.iter().any(|r| !r.errors.is_empty() || r.unreachable);
    let postings_total = store.len();
    let interrupted = STOP.load(Ordering::SeqCst);
    drop(rt);

    // The report and the verdicts, from everything stored (the index of what this run added is
    // already written; other parts are matched now only if the taxonomy changed).
    let mut report = None;
    if !interrupted {
        failed |= !write_report(&data, &cfg, cli.quiet)?;
        report = Some(cfg.reports.display().to_string());
    }
    store.close_at_exit();
    let interrupted = STOP.load(Ordering::SeqCst);

    let code = if failed || interrupted { crate::exit::PARTIAL } else { crate::exit::OK };
    let rec = RunRecord {
        start,
        end: Utc::now(),
        pid: std::process::id(),
        config: args.config.display().to_string(),
        sources: records,
        postings_total,
        report,
        interrupted,
        exit_code: code,
    };
    append_run_record(&data, &rec)?;
    let unreachable: Vec<&str> = rec.sources.iter().filter(|s| s.unreachable).map(|s| s.name.as_str()).collect();
    if !unreachable.is_empty() {
        eprintln!(
            "could not reach: {} (the run completed from the other sources and local data)",
            unreachable.join(", ")
        );
    }
    Ok(ExitCode::from(code))
}

/// Ingests each configured source in turn (until a signal stops the run), saying how each went
/// unless `quiet`.
fn ingest_sources(
    store: &mut Store,
    cfg: &RunConfig,
    rt: &tokio::runtime::Runtime,
    progress: bool,
    quiet: bool,
) -> anyhow::Result<Vec<SourceRecord>> {
    let mut records = Vec::new();
    for src in &cfg.sources {
        if STOP.load(Ordering::SeqCst) {
            break;
        }
        let t0 = std::time::Instant::now();
        let rec = match net_source(src) {
            None => run_html(store, src, progress)?,
            Some(NetSource::Hn { since, until, refresh }) => {
                run_hn(store, src, rt, &HnRange { since, until, refresh }, progress)?
            }
            Some(ns) => rt.block_on(run_net(store, src, &ns, progress))?,
        };
        let rec = SourceRecord { seconds: t0.elapsed().as_secs_f64(), ..rec };
        if !quiet {
            let outcome = if rec.unreachable {
                ", could not be reached".to_string()
            } else if rec.errors.is_empty() {
                String::new()
            } else {
                format!(", {} errors", rec.errors.len())
            };
            eprintln!("{}: {} new, {} known{outcome} ({:.1} s)", rec.name, rec.new, rec.known, rec.seconds);
        }
        records.push(rec);
    }
    Ok(records)
}

/// The report from everything stored; false when parts were skipped or there was nothing to report.
fn write_report(data: &std::path::Path, cfg: &RunConfig, quiet: bool) -> anyhow::Result<bool> {
    let started = std::time::Instant::now();
    let tax = super::trends::taxonomy(cfg.keywords.as_deref())?;
    let predictions = crate::analysis::load_predictions(cfg.predictions.as_deref(), &tax)
        .context("invalid predictions in the run configuration")?;
    let req = ReportRequest {
        data,
        tax: &tax,
        selection: Selection::default(),
        trend: TrendOptions::default(),
        predictions,
        width: 1600,
        height: 900,
        terms: Vec::new(),
    };
    let (a, rep) = match generate_to(&req, &cfg.reports) {
        Ok(x) => x,
        Err(crate::report::GenerateError::Report(e @ crate::report::ReportError::Interrupted { .. })) => {
            eprintln!("jobtrend: {e}");
            return Ok(false);
        }
        Err(e) => return Err(anyhow::Error::new(e).context("could not write the report")),
    };
    super::report_problems(&a);
    match rep {
        None => eprintln!("no postings in {}: no report written", data.display()),
        Some(rep) if !quiet => eprintln!(
            "report: {} files ({} charts) in {} ({:.2} s)",
            rep.files.len(),
            rep.files.keys().filter(|k| k.ends_with(".png")).count(),
            cfg.reports.display(),
            started.elapsed().as_secs_f64()
        ),
        Some(_) => {}
    }
    Ok(a.problems.is_empty() && !a.is_empty())
}

fn run_html(store: &mut Store, src: &SourceConfig, progress: bool) -> anyhow::Result<SourceRecord> {
    let paths: Vec<PathBuf> =
        src.path.as_ref().map(|p| p.to_vec()).unwrap_or_default().into_iter().map(PathBuf::from).collect();
    let sum = ingest_html(store, &paths, &HtmlOptions { date: src.date, jobs: None, progress })?;
    let mut errors: Vec<String> = sum.problems.iter().map(|p| format!("{}: {}", p.path, p.reason)).collect();
    errors.extend(sum.missing_paths.iter().map(|p| format!("{p}: no such file or directory")));
    Ok(SourceRecord {
        name: src.name(),
        kind: "html".into(),
        new: sum.new,
        known: sum.known,
        errors,
        unreachable: false,
        seconds: 0.0,
    })
}

async fn run_net(
    store: &mut Store,
    src: &SourceConfig,
    ns: &NetSource,
    progress: bool,
) -> anyhow::Result<SourceRecord> {
    let state_dir = store.data_dir().join("state");
    let mut state = super::net_glue::load_state(&state_dir);
    let mut ns = ns.clone();
    if let Err(e) = super::net_glue::add_boards_file(&mut ns, src.boards_file.as_deref()) {
        // This source cannot start; the others go on.
        let e = super::error_message(&e);
        eprintln!("{}: {e}", src.name());
        return Ok(SourceRecord {
            name: src.name(),
            kind: src.kind.as_str().into(),
            new: 0,
            known: 0,
            errors: vec![e],
            unreachable: false,
            seconds: 0.0,
        });
    }
    let at = crate::lifecycle::now()?;
    let known_ids = std::sync::Arc::new(store.ids().map(str::to_string).collect());
    let opts = NetOptions { base_url: src.base_url.clone(), progress, known_ids, ..Default::default() };
    let out = tokio::select! {
        out = net::fetch(&ns, &opts, &state) => out,
        // Nothing of this source is stored and its state is unchanged: the next run fetches it again.
        () = crate::signals::stopped() => {
            return Ok(SourceRecord {
                name: src.name(),
                kind: src.kind.as_str().into(),
                new: 0,
                known: 0,
                errors: vec!["interrupted before the fetch finished: nothing stored".into()],
                unreachable: false,
                seconds: 0.0,
            });
        }
    };
    let now = Utc::now();
    let postings = out.postings.into_iter().map(|p| p.finish(now)).collect();
    let st = store.append(postings)?;
    super::net_glue::record_lifecycle(store.data_dir(), &ns, at, out.boards, &out.listings)?;
    // State (ETags, complete months) only after the data it describes is stored.
    state.commit(&state_dir, out.pending_state).with_context(|| format!("could not write {}", state_dir.display()))?;
    for e in &out.errors {
        eprintln!("{}: {e}", src.name());
    }
    Ok(SourceRecord {
        name: src.name(),
        kind: src.kind.as_str().into(),
        new: st.new,
        known: st.known,
        errors: out.errors,
        unreachable: out.unreachable,
        seconds: 0.0,
    })
}

/// The HN source: every month not yet complete, each stored as it is fetched (the backfill).
fn run_hn(
    store: &mut Store,
    src: &SourceConfig,
    rt: &tokio::runtime::Runtime,
    range: &HnRange,
    progress: bool,
) -> anyhow::Result<SourceRecord> {
    let state_dir = store.data_dir().join("state");
    let mut state = super::net_glue::load_state(&state_dir);
    let opts = NetOptions { base_url: src.base_url.clone(), progress, ..Default::default() };
    let sum = backfill_hn(store, rt, range, &opts, &mut state, &state_dir)
        .with_context(|| format!("could not store the HN months in {}", store.data_dir().display()))?;
    let mut errors = sum.outcome.errors.clone();
    for e in &errors {
        eprintln!("{}: {e}", src.name());
    }
    if sum.interrupted {
        errors.push(sum.interruption());
    }
    if sum.outcome.unreachable && !dataset_has_hn(store.data_dir()) {
        eprintln!("{}", offline_hint(&hn_host(src.base_url.as_deref())));
    }
    Ok(SourceRecord {
        name: src.name(),
        kind: src.kind.as_str().into(),
        new: sum.new,
        known: sum.known,
        errors,
        unreachable: sum.outcome.unreachable,
        seconds: 0.0,
    })
}

/// Appends one JSON line to `<data>/runs.jsonl` (a single write of a whole line).
fn append_run_record(data: &std::path::Path, rec: &RunRecord) -> anyhow::Result<()> {
    let path = data.join("runs.jsonl");
    let mut line = serde_json::to_string(rec)?;
    line.push('\n');
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .with_context(|| format!("could not open {}", path.display()))?;
    f.write_all(line.as_bytes()).with_context(|| format!("could not write {}", path.display()))?;
    Ok(())
}
