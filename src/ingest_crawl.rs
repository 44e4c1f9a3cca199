//! Ingest of crawl archives: Common Crawl WARC files and Web Data Commons N-Quads.
//!
//! In: inputs — local files or http(s) URLs, and Common Crawl `warc.paths` lists whose relative
//! paths are joined to [`COMMON_CRAWL`] (or `--base-url`). Out: new postings appended to the
//! [`Store`], and a [`WarcSummary`] / [`WdcSummary`] counting what every record or line was.
//!
//! Every input is streamed: files are read and URLs downloaded chunk by chunk
//! ([`crate::sources::net::stream`]), gzip is decoded on the fly, and only one record (WARC, at
//! most [`warc::MAX_RECORD_BYTES`]) or one page's quads (WDC) is held at a time, plus the
//! postings buffered for the next write ([`crate::ingest::FLUSH_BYTES`] of text).
//!
//! WARC: one thread reads the inputs in order (decompression, record parsing, HTTP and the
//! cheap `JobPosting` pre-check) and hands job pages to parser threads (the HTML DOM is the
//! expensive part; they also hand new postings to the store's [`crate::store::Preparer`]); the
//! calling thread counts and writes. WDC: one thread parses and writes.
//!
//! An input that cannot be opened, a broken record, a broken gzip member, a line that is not an
//! N-Quad and a download cut off are reported with the input and where (record number and
//! offset, or line number) and the rest is read; the exit code is then 1 (2 when no input at
//! all could be read).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use serde::Serialize;

use crate::ingest::IngestError;
use crate::posting::Posting;
use crate::sources::net::NetOptions;
use crate::sources::warc::{self, Page, Skip, reader};
use crate::sources::wdc::{self, WdcCounts};
use crate::store::{AppendStats, Preparer, Store};

/// Where relative paths of a `warc.paths` list live.
pub const COMMON_CRAWL: &str = "https://data.commoncrawl.org/";
/// Problems printed on stderr per input (all are counted; the JSON summary keeps [`MAX_LISTED`]).
pub const MAX_PRINTED: usize = 20;
/// Problems kept in the JSON summary.
pub const MAX_LISTED: usize = 1000;

/// One input: a local file or a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    Url(String),
}

impl std::fmt::Display for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Input::File(p) => write!(f, "{}", p.display()),
            Input::Url(u) => f.write_str(u),
        }
    }
}

/// How to read the inputs.
#[derive(Debug, Clone, Default)]
pub struct CrawlOptions {
    /// Downloads: retries, timeouts, User-Agent; `base_url` replaces the origin of every URL.
    pub net: NetOptions,
    /// Parser threads (default: all cores).
    pub jobs: Option<usize>,
}

/// A problem with one input, where it is, and why.
#[derive(Debug, Clone, Serialize)]
pub struct InputProblem {
    pub input: String,
    /// 1-based record number in the input (WARC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<usize>,
    /// Byte offset: of the gzip member the record is in, else of the record (WARC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    /// 1-based line number (WDC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    pub reason: String,
}

impl std::fmt::Display for InputProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.input)?;
        if let Some(r) = self.record {
            write!(f, ": record {r}")?;
        }
        if let Some(o) = self.offset {
            write!(f, " at offset {o}")?;
        }
        if let Some(l) = self.line {
            write!(f, ": line {l}")?;
        }
        write!(f, ": {}", self.reason)
    }
}

fn problem(input: &Input, reason: String) -> InputProblem {
    InputProblem { input: input.to_string(), record: None, offset: None, line: None, reason }
}

/// The inputs named on the command line and in a `warc.paths` list (plain or gzipped; blank
/// lines and `#` comments ignored; relative paths joined to `base_url`, else [`COMMON_CRAWL`]).
/// With `base_url`, absolute URLs are moved onto it (path and query kept).
pub fn inputs(args: &[String], paths_file: Option<&Path>, base_url: Option<&str>) -> Result<Vec<Input>, String> {
    let mut out = Vec::new();
    for a in args {
        if is_url(a) {
            out.push(Input::Url(rebase(a, base_url)?));
        } else {
            out.push(Input::File(PathBuf::from(a)));
        }
    }
    if let Some(pf) = paths_file {
        let bytes = crate::ingest::read_file(pf).map_err(|e| format!("{}: {e}", pf.display()))?;
        let base = base_url.unwrap_or(COMMON_CRAWL);
        for line in String::from_utf8_lossy(&bytes).lines() {
            let l = line.trim();
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            let url = if is_url(l) {
                rebase(l, base_url)?
            } else {
                format!("{}/{}", base.trim_end_matches('/'), l.trim_start_matches('/'))
            };
            out.push(Input::Url(url));
        }
    }
    Ok(out)
}

fn is_url(s: &str) -> bool {
    let l = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    l.starts_with("http://") || l.starts_with("https://")
}

fn rebase(url: &str, base: Option<&str>) -> Result<String, String> {
    let Some(base) = base else { return Ok(url.to_string()) };
    let u = reqwest::Url::parse(url).map_err(|e| format!("invalid URL {url:?}: {e}"))?;
    let mut pq = u.path().to_string();
    if let Some(q) = u.query() {
        pq.push('?');
        pq.push_str(q);
    }
    Ok(format!("{}{}", base.trim_end_matches('/'), pq))
}

/// Opens an input as a byte stream (a download streams; nothing is held whole).
fn open_raw(input: &Input, net: &NetOptions) -> Result<Box<dyn Read + Send>, String> {
    match input {
        Input::File(p) => {
            std::fs::File::open(p).map(|f| Box::new(f) as Box<dyn Read + Send>).map_err(|e| e.to_string())
        }
        Input::Url(u) => crate::sources::net::stream::open_stream(u, net)
            .map(|s| Box::new(s) as Box<dyn Read + Send>)
            .map_err(|e| e.to_string()),
    }
}

/// Counts bytes read through it (the compressed size of an input).
struct Counting<R> {
    inner: R,
    n: Arc<std::sync::atomic::AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let k = self.inner.read(buf)?;
        self.n.fetch_add(k as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(k)
    }
}

// ---------------------------------------------------------------------------------------------
// WARC

/// What a WARC ingest did.
#[derive(Debug, Default, Clone, Serialize)]
pub struct WarcSummary {
    pub inputs: usize,
    /// Inputs read to their end (broken records included).
    pub inputs_read: usize,
    /// Inputs that could not be opened, or whose reading failed part-way (a download cut off).
    pub inputs_failed: usize,
    /// Well-formed records.
    pub records: usize,
    pub responses: usize,
    /// Pages that gave at least one posting.
    pub pages_with_postings: usize,
    /// Records that gave no posting, by reason (every reason listed, zeros included).
    pub skipped: BTreeMap<&'static str, usize>,
    /// Records or gzip members that could not be read.
    pub broken_records: usize,
    pub postings_found: usize,
    pub new: usize,
    pub known: usize,
    /// Inputs that failed and broken records (the first [`MAX_LISTED`]).
    pub problems: Vec<InputProblem>,
    /// Broken JSON-LD blocks, postings without any date (the first [`MAX_LISTED`]).
    pub warnings: Vec<InputProblem>,
    /// Bytes read from the inputs (compressed).
    pub bytes: u64,
    pub seconds: f64,
    pub interrupted: bool,
}

impl WarcSummary {
    /// 0 when everything was read, 1 when some input or record failed (or on interrupt), 2 when
    /// no input could be read.
    pub fn exit_code(&self) -> u8 {
        exit_code(self.inputs, self.inputs_failed, self.broken_records > 0 || self.interrupted)
    }
}

fn exit_code(inputs: usize, failed: usize, partial: bool) -> u8 {
    if inputs == 0 || failed == inputs {
        crate::exit::FATAL
    } else if failed > 0 || partial {
        crate::exit::PARTIAL
    } else {
        crate::exit::OK
    }
}

const ALL_SKIPS: [Skip; 11] = [
    Skip::Warcinfo,
    Skip::Request,
    Skip::Revisit,
    Skip::Metadata,
    Skip::OtherType,
    Skip::NotHttp,
    Skip::NotOk,
    Skip::NotHtml,
    Skip::TooLarge,
    Skip::Encoding,
    Skip::NoJobPosting,
];

/// What the reader and the parser threads tell the writer.
enum Msg {
    Record { response: bool },
    Skipped(Skip),
    Broken(InputProblem),
    Warning(InputProblem),
    Postings(Vec<Posting>),
    InputDone { failed: Option<InputProblem> },
}

/// Ingests WARC inputs into the store.
pub fn ingest_warc(store: &mut Store, inputs: &[Input], opts: &CrawlOptions) -> Result<WarcSummary, IngestError> {
    let started = std::time::Instant::now();
    let mut sum = WarcSummary { inputs: inputs.len(), ..Default::default() };
    sum.skipped = ALL_SKIPS.iter().map(|s| (s.as_str(), 0)).collect();
    let jobs = opts.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get())).max(1);
    let bytes = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let (tx, rx) = mpsc::sync_channel::<Msg>(1024);
    let (page_tx, page_rx) = mpsc::sync_channel::<(Page, usize, u64, usize)>(jobs * 4);
    let page_rx = Arc::new(Mutex::new(page_rx));
    let ingested_at = Utc::now();
    let preparer = store.preparer();
    let result = std::thread::scope(|scope| {
        for _ in 0..jobs {
            let (tx, page_rx, preparer) = (tx.clone(), Arc::clone(&page_rx), &preparer);
            scope.spawn(move || parse_pages(&page_rx, &tx, inputs, ingested_at, preparer.as_ref()));
        }
        let reader_tx = tx.clone();
        let reader_bytes = Arc::clone(&bytes);
        scope.spawn(move || read_inputs(inputs, opts, &reader_tx, &page_tx, &reader_bytes));
        drop(tx);
        collect(store, rx, &mut sum)
    });
    sum.bytes = bytes.load(std::sync::atomic::Ordering::Relaxed);
    sum.interrupted = crate::signals::stop_requested();
    sum.seconds = started.elapsed().as_secs_f64();
    result.map(|()| sum)
}

/// The reader thread: every input in order, records classified, job pages to the parsers.
fn read_inputs(
    inputs: &[Input],
    opts: &CrawlOptions,
    tx: &mpsc::SyncSender<Msg>,
    page_tx: &mpsc::SyncSender<(Page, usize, u64, usize)>,
    bytes: &Arc<std::sync::atomic::AtomicU64>,
) {
    for (i, input) in inputs.iter().enumerate() {
        if crate::signals::stop_requested() {
            break;
        }
        let raw = match open_raw(input, &opts.net) {
            Ok(r) => r,
            Err(e) => {
                let _ = tx.send(Msg::InputDone { failed: Some(problem(input, e)) });
                continue;
            }
        };
        let counted = Box::new(Counting { inner: raw, n: Arc::clone(bytes) });
        let mut on = |ev: reader::Event| {
            let msg = match ev {
                reader::Event::Record { number, offset, header, block, too_large } => {
                    let response = header.record_type == "response";
                    if tx.send(Msg::Record { response }).is_err() {
                        return false;
                    }
                    match warc::classify(header, block, too_large) {
                        Ok(page) => return page_tx.send((page, number, offset, i)).is_ok(),
                        Err(skip) => Msg::Skipped(skip),
                    }
                }
                reader::Event::Broken { number, offset, reason } => Msg::Broken(InputProblem {
                    input: input.to_string(),
                    record: Some(number),
                    offset: Some(offset),
                    line: None,
                    reason,
                }),
            };
            tx.send(msg).is_ok() && !crate::signals::stop_requested()
        };
        let res = reader::read_warc(counted, warc::MAX_RECORD_BYTES, &mut warc::wants_block, &mut on);
        let failed = res.err().map(|e| problem(input, format!("read failed: {e}")));
        let _ = tx.send(Msg::InputDone { failed });
        crate::signals::pause_point(i + 1);
    }
}

/// A parser thread: job pages in, postings (finished, and handed to the store's [`Preparer`])
/// and skips out.
fn parse_pages(
    page_rx: &Mutex<mpsc::Receiver<(Page, usize, u64, usize)>>,
    tx: &mpsc::SyncSender<Msg>,
    inputs: &[Input],
    ingested_at: chrono::DateTime<Utc>,
    preparer: Option<&Preparer>,
) {
    loop {
        let next = page_rx.lock().map_err(|_| ()).and_then(|r| r.recv().map_err(|_| ()));
        let Ok((page, number, offset, i)) = next else { return };
        let warn = |reason: String| {
            Msg::Warning(InputProblem {
                input: inputs[i].to_string(),
                record: Some(number),
                offset: Some(offset),
                line: None,
                reason: format!("{}: {reason}", page.uri.as_deref().unwrap_or("(no WARC-Target-URI)")),
            })
        };
        let (msgs, postings) = match warc::page_postings(&page) {
            Ok(out) => (out.warnings.into_iter().map(warn).collect::<Vec<_>>(), Some(out.postings)),
            Err((skip, warnings)) => {
                let mut m: Vec<Msg> = warnings.into_iter().map(warn).collect();
                m.push(Msg::Skipped(skip));
                (m, None)
            }
        };
        for m in msgs {
            if tx.send(m).is_err() {
                return;
            }
        }
        if let Some(ps) = postings.filter(|ps| !ps.is_empty()) {
            let done: Vec<Posting> = ps.into_iter().map(|p| p.finish(ingested_at)).collect();
            if let Some(prep) = preparer {
                prep.prepare_all(&done);
            }
            if tx.send(Msg::Postings(done)).is_err() {
                return;
            }
        }
    }
}

/// The calling thread: counts, reports, and writes postings in batches.
fn collect(store: &mut Store, rx: mpsc::Receiver<Msg>, sum: &mut WarcSummary) -> Result<(), IngestError> {
    let mut buffer: Vec<Posting> = Vec::new();
    let mut buffered = 0usize;
    let flush_at = flush_bytes();
    let mut printed = 0usize;
    for msg in rx {
        match msg {
            Msg::Record { response } => {
                sum.records += 1;
                sum.responses += usize::from(response);
            }
            Msg::Skipped(s) => *sum.skipped.entry(s.as_str()).or_default() += 1,
            Msg::Broken(p) => {
                sum.broken_records += 1;
                report(&mut sum.problems, &mut printed, p, true);
            }
            Msg::Warning(w) => report(&mut sum.warnings, &mut printed, w, false),
            Msg::Postings(ps) => {
                sum.pages_with_postings += 1;
                sum.postings_found += ps.len();
                for p in ps {
                    buffered += p.text.len();
                    buffer.push(p);
                }
                if buffered >= flush_at {
                    add(sum, store.append(std::mem::take(&mut buffer))?);
                    buffered = 0;
                }
            }
            Msg::InputDone { failed: None } => sum.inputs_read += 1,
            Msg::InputDone { failed: Some(p) } => {
                sum.inputs_failed += 1;
                report(&mut sum.problems, &mut printed, p, true);
            }
        }
    }
    if !buffer.is_empty() {
        add(sum, store.append(buffer)?);
    }
    Ok(())
}

fn flush_bytes() -> usize {
    std::env::var("JOBTREND_FLUSH_BYTES").ok().and_then(|v| v.parse().ok()).unwrap_or(crate::ingest::FLUSH_BYTES)
}

fn add(sum: &mut WarcSummary, st: AppendStats) {
    sum.new += st.new;
    sum.known += st.known;
}

/// Prints a problem (errors always, the first [`MAX_PRINTED`] of each kind; warnings through
/// the log) and keeps the first [`MAX_LISTED`].
fn report(list: &mut Vec<InputProblem>, printed: &mut usize, p: InputProblem, error: bool) {
    if error {
        if *printed < MAX_PRINTED {
            eprintln!("{p}");
        } else if *printed == MAX_PRINTED {
            eprintln!("(more problems: see the counts, or --json for the first {MAX_LISTED})");
        }
        *printed += 1;
    } else {
        tracing::warn!("{p}");
    }
    if list.len() < MAX_LISTED {
        list.push(p);
    }
}

// ---------------------------------------------------------------------------------------------
// WDC

/// What a WDC ingest did.
#[derive(Debug, Default, Clone, Serialize)]
pub struct WdcSummary {
    pub inputs: usize,
    pub inputs_read: usize,
    pub inputs_failed: usize,
    #[serde(flatten)]
    pub counts: WdcCounts,
    pub postings_found: usize,
    pub new: usize,
    pub known: usize,
    /// Inputs that failed and lines that are not N-Quads (the first [`MAX_LISTED`]).
    pub problems: Vec<InputProblem>,
    pub bytes: u64,
    pub seconds: f64,
    pub interrupted: bool,
}

impl WdcSummary {
    /// 0 when every line was an N-Quad, 1 when some line or input failed (or on interrupt), 2
    /// when no input could be read.
    pub fn exit_code(&self) -> u8 {
        exit_code(self.inputs, self.inputs_failed, self.counts.bad_lines > 0 || self.interrupted)
    }
}

/// Ingests Web Data Commons N-Quads inputs (plain or gzipped) into the store.
pub fn ingest_wdc(store: &mut Store, inputs: &[Input], opts: &CrawlOptions) -> Result<WdcSummary, IngestError> {
    let started = std::time::Instant::now();
    let mut sum = WdcSummary { inputs: inputs.len(), ..Default::default() };
    let bytes = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let ingested_at = Utc::now();
    let mut printed = 0usize;
    let flush_at = flush_bytes();
    for input in inputs {
        if crate::signals::stop_requested() {
            break;
        }
        let stream = match open_raw(input, &opts.net).and_then(|r| {
            decompressed(Box::new(Counting { inner: r, n: Arc::clone(&bytes) })).map_err(|e| e.to_string())
        }) {
            Ok(s) => s,
            Err(e) => {
                sum.inputs_failed += 1;
                report(&mut sum.problems, &mut printed, problem(input, e), true);
                continue;
            }
        };
        let mut buffer: Vec<Posting> = Vec::new();
        let mut buffered = 0usize;
        let mut store_error = None;
        let mut bad_lines = Vec::new();
        let (counts, res) = wdc::read_nquads(
            stream,
            &mut |ps| {
                for p in ps {
                    buffered += p.text.len();
                    buffer.push(p.finish(ingested_at));
                }
                if buffered >= flush_at {
                    buffered = 0;
                    match store.append(std::mem::take(&mut buffer)) {
                        Ok(st) => {
                            sum.new += st.new;
                            sum.known += st.known;
                        }
                        Err(e) => {
                            store_error = Some(e);
                            return false;
                        }
                    }
                }
                !crate::signals::stop_requested()
            },
            &mut |b| bad_lines.push(b),
        );
        if let Some(e) = store_error {
            return Err(e.into());
        }
        let st = store.append(buffer)?;
        sum.new += st.new;
        sum.known += st.known;
        for b in bad_lines {
            let p = InputProblem { line: Some(b.line), ..problem(input, b.reason) };
            report(&mut sum.problems, &mut printed, p, true);
        }
        sum.counts += &counts;
        match res {
            Ok(()) => sum.inputs_read += 1,
            Err(e) => {
                sum.inputs_failed += 1;
                report(&mut sum.problems, &mut printed, problem(input, format!("read failed: {e}")), true);
            }
        }
        crate::signals::pause_point(sum.inputs_read + sum.inputs_failed);
    }
    sum.postings_found = sum.counts.postings as usize;
    sum.bytes = bytes.load(std::sync::atomic::Ordering::Relaxed);
    sum.interrupted = crate::signals::stop_requested();
    sum.seconds = started.elapsed().as_secs_f64();
    Ok(sum)
}

/// The stream, gunzipped when it starts with the gzip magic (all members).
fn decompressed(r: Box<dyn Read + Send>) -> std::io::Result<Box<dyn Read + Send>> {
    let mut b = BufReader::with_capacity(1 << 20, r);
    let gz = b.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    Ok(if gz {
        Box::new(BufReader::with_capacity(1 << 20, flate2::bufread::MultiGzDecoder::new(b)))
    } else {
        Box::new(b)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_lists_are_joined_to_the_base() {
        let dir = tempfile::tempdir().unwrap();
        let pf = dir.path().join("warc.paths");
        std::fs::write(&pf, "# list\ncrawl-data/CC-MAIN-2024-10/a.warc.gz\n\nhttps://x.example/b.warc.gz\n").unwrap();
        let got = inputs(&["local.warc".into()], Some(&pf), None).unwrap();
        assert_eq!(
            got,
            vec![
                Input::File("local.warc".into()),
                Input::Url("https://data.commoncrawl.org/crawl-data/CC-MAIN-2024-10/a.warc.gz".into()),
                Input::Url("https://x.example/b.warc.gz".into()),
            ]
        );
        let got =
            inputs(&["https://x.example/c.warc.gz?q=1".into()], Some(&pf), Some("http://127.0.0.1:9/m/")).unwrap();
        assert_eq!(
            got,
            vec![
                Input::Url("http://127.0.0.1:9/m/c.warc.gz?q=1".into()),
                Input::Url("http://127.0.0.1:9/m/crawl-data/CC-MAIN-2024-10/a.warc.gz".into()),
                Input::Url("http://127.0.0.1:9/m/b.warc.gz".into()),
            ]
        );
    }
}
