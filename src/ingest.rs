//! Ingest of saved pages: files in, postings stored.
//!
//! In: paths (files and directories, searched recursively for `.html`, `.htm`, `.html.gz`).
//! Out: new postings appended to the [`Store`], and an [`IngestSummary`].
//!
//! Files are parsed on all cores: each worker thread reads, decompresses, decodes and parses
//! one file at a time (the DOM of `scraper` is `!Send`, so it never leaves its thread), hands
//! each new posting to the store's [`Preparer`] (the match index's facts, computed there while
//! the text is in cache) and sends the postings (hashed and finished there) over a bounded
//! channel. The collector buffers them and hands a batch to the writer thread whenever the buffer
//! passes [`FLUSH_BYTES`] of text; at most one batch waits while another is written, so parsing
//! goes on during writes and memory is bounded by the work in flight, not by the corpus. A bad
//! file is reported as `PATH: reason` and the run goes on.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::posting::Posting;
use crate::sources::{FallbackDate, PageKind, PageOutcome, parse_page};
use crate::store::{AppendStats, Preparer, Store, StoreError};

/// Largest file read, compressed or not (a Who-is-hiring page is 1-3 MB).
pub const MAX_FILE_BYTES: u64 = 100 << 20;
/// The writer appends once this much posting text is buffered (`JOBTREND_FLUSH_BYTES`
/// overrides it; the crash tests use a small value to get many part files).
pub const FLUSH_BYTES: usize = 8 << 20;

fn flush_bytes() -> usize {
    std::env::var("JOBTREND_FLUSH_BYTES").ok().and_then(|v| v.parse().ok()).unwrap_or(FLUSH_BYTES)
}

/// Set by a SIGTERM/SIGINT handler: workers stop taking new files, what was parsed is stored.
pub static STOP: AtomicBool = AtomicBool::new(false);

/// Options of an HTML ingest.
#[derive(Debug, Clone, Default)]
pub struct HtmlOptions {
    pub date: Option<chrono::NaiveDate>,
    pub jobs: Option<usize>,
    pub progress: bool,
}

/// One file that could not be used, with the reason.
#[derive(Debug, Clone, Serialize)]
pub struct FileProblem {
    pub path: String,
    pub reason: String,
}

/// What an ingest did.
#[derive(Debug, Default, Clone, Serialize)]
pub struct IngestSummary {
    /// Files found under the given paths.
    pub files: usize,
    /// Files read and parsed (including pages with nothing to keep).
    pub files_read: usize,
    /// Files that could not be used (errors).
    pub files_skipped: usize,
    /// Pages read but not kept (e.g. threads that are not "Who is hiring?").
    pub pages_ignored: usize,
    pub hn_pages: usize,
    pub jsonld_pages: usize,
    pub generic_pages: usize,
    /// Postings found in the files (before dedup).
    pub postings_found: usize,
    /// Postings added to the dataset.
    pub new: usize,
    /// Postings already in the dataset (or seen twice in this run).
    pub known: usize,
    pub problems: Vec<FileProblem>,
    pub warnings: Vec<FileProblem>,
    /// Paths given that do not exist.
    pub missing_paths: Vec<String>,
    pub interrupted: bool,
    pub seconds: f64,
    pub bytes: u64,
}

impl IngestSummary {
    /// 0 when every file was read, 1 when some were skipped, 2 when nothing could be done.
    pub fn exit_code(&self) -> u8 {
        if self.files == 0 || (self.files_read == 0 && self.files_skipped > 0) {
            crate::exit::FATAL
        } else if self.files_skipped > 0 || !self.missing_paths.is_empty() || self.interrupted {
            crate::exit::PARTIAL
        } else {
            crate::exit::OK
        }
    }
}

/// Errors that stop the whole ingest (the dataset could not be written).
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn is_html_name(p: &Path) -> bool {
    let n = p.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    n.ends_with(".html") || n.ends_with(".htm") || n.ends_with(".html.gz") || n.ends_with(".htm.gz")
}

/// Expands the given paths: files as given, directories recursively (sorted, hidden entries skipped).
pub fn collect_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<String>) {
    let mut files = Vec::new();
    let mut missing = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut files);
        } else if p.is_file() {
            files.push(p.clone());
        } else {
            missing.push(p.display().to_string());
        }
    }
    files.dedup();
    (files, missing)
}

/// The directory test takes the entry's type from the directory listing, and stats only symbolic
/// links (and entries of unknown type): a stat of every file read its inode, from the disk when the
/// page cache had dropped it, on the one thread that runs before the parse workers start.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<(PathBuf, Option<std::fs::FileType>)> =
        rd.flatten().map(|e| (e.path(), e.file_type().ok())).collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (p, kind) in entries {
        if p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')) {
            continue;
        }
        let is_dir = match kind {
            Some(k) if !k.is_symlink() => k.is_dir(),
            _ => p.is_dir(),
        };
        if is_dir {
            walk(&p, out);
        } else if is_html_name(&p) {
            out.push(p);
        }
    }
}

/// Reads a file, gunzipping gzip data, with size caps. A file named `.gz` must hold gzip data.
pub fn read_file(path: &Path) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    read_file_into(path, &mut out)?;
    Ok(out)
}

/// [`read_file`] into `out` (emptied first), so a worker reuses one buffer for every file: a fresh
/// buffer per file was fresh memory per file, and the page faults that zero it were about a fifth
/// of an ingest's page-fault samples in `perf record` (2026-12-03).
pub fn read_file_into(path: &Path, out: &mut Vec<u8>) -> Result<(), String> {
    out.clear();
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let len = file.metadata().map_err(|e| e.to_string())?.len();
    if len > MAX_FILE_BYTES {
        return Err(format!("file too large ({} MiB > {} MiB limit)", len >> 20, MAX_FILE_BYTES >> 20));
    }
    out.reserve(len as usize);
    (&file).take(MAX_FILE_BYTES + 1).read_to_end(out).map_err(|e| e.to_string())?;
    if out.len() as u64 > MAX_FILE_BYTES {
        return Err(format!("file too large (over the {} MiB limit)", MAX_FILE_BYTES >> 20));
    }
    let named_gz = path.extension().is_some_and(|x| x.eq_ignore_ascii_case("gz"));
    let gzip = out.starts_with(&[0x1f, 0x8b]);
    if named_gz && !gzip {
        return Err("named .gz but not gzip data".into());
    }
    if gzip {
        let raw = std::mem::take(out);
        let mut dec = flate2::read::MultiGzDecoder::new(&raw[..]).take(MAX_FILE_BYTES + 1);
        dec.read_to_end(out).map_err(|e| format!("bad gzip data: {e}"))?;
        if out.len() as u64 > MAX_FILE_BYTES {
            return Err(format!("decompressed size over the {} MiB limit", MAX_FILE_BYTES >> 20));
        }
    }
    Ok(())
}

/// Decodes page bytes: a BOM, else the charset the page declares, else UTF-8 (lossy when
/// invalid). Valid UTF-8 without a BOM, nearly every page, is borrowed, not copied.
pub fn decode(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc.decode_without_bom_handling(&bytes[bom_len..]).0;
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return std::borrow::Cow::Borrowed(s);
    }
    let head = &bytes[..bytes.len().min(4096)];
    if let Some(label) = declared_charset(head)
        && let Some(enc) = encoding_rs::Encoding::for_label(label.as_bytes())
    {
        return enc.decode_without_bom_handling(bytes).0;
    }
    String::from_utf8_lossy(bytes)
}

fn declared_charset(head: &[u8]) -> Option<String> {
    let lower = head.to_ascii_lowercase();
    let pos = lower.windows(8).position(|w| w == b"charset=")?;
    let rest = &lower[pos + 8..];
    let rest = rest.strip_prefix(b"\"").or_else(|| rest.strip_prefix(b"'")).unwrap_or(rest);
    let end = rest.iter().position(|c| !(c.is_ascii_alphanumeric() || *c == b'-' || *c == b'_')).unwrap_or(rest.len());
    (end > 0).then(|| String::from_utf8_lossy(&rest[..end]).into_owned())
}

enum FileResult {
    Page { path: PathBuf, bytes: u64, outcome: PageOutcome },
    Problem { path: PathBuf, reason: String },
}

/// Reads, decodes and parses one file, and finishes its postings (content hash, `ingested_at`)
/// on the worker thread, so the writer thread only buffers and writes.
/// `buf` is the worker's read buffer.
fn process_file(
    path: &Path,
    date: Option<chrono::NaiveDate>,
    ingested_at: DateTime<Utc>,
    buf: &mut Vec<u8>,
) -> FileResult {
    let fail = |reason: String| FileResult::Problem { path: path.to_path_buf(), reason };
    if let Err(e) = read_file_into(path, buf) {
        return fail(e);
    }
    let raw = &buf[..];
    if raw.is_empty() {
        return fail("empty file".into());
    }
    if crate::sources::looks_binary(raw) {
        return fail("binary content, not HTML".into());
    }
    let html = decode(raw);
    if let Some(reason) = crate::sources::not_html(&html) {
        return fail(reason);
    }
    let mtime = std::fs::metadata(path).and_then(|m| m.modified()).ok().map(DateTime::<Utc>::from);
    match parse_page(&html, raw, FallbackDate { flag: date, mtime }) {
        Ok(mut outcome) => {
            if let PageOutcome::Postings { postings, .. } = &mut outcome {
                let done = std::mem::take(postings).into_iter().map(|p| p.finish(ingested_at)).collect();
                *postings = done;
            }
            FileResult::Page { path: path.to_path_buf(), bytes: raw.len() as u64, outcome }
        }
        Err(e) => fail(e.to_string()),
    }
}

/// Files after the one a worker takes whose reading the kernel is asked to start ([`read_ahead`]).
const READ_AHEAD_FILES: usize = 8;

/// Asks the kernel to read the files up to [`READ_AHEAD_FILES`] after `files[i]` into the page cache
/// in the background (`posix_fadvise(POSIX_FADV_WILLNEED)`), so a worker that takes one of them finds
/// it there instead of waiting for the disk. `advised` counts the files asked for so far, shared by
/// the workers: each file is asked for once. Best effort: a file that cannot be opened here is
/// reported when its worker reads it.
///
/// A worker's `read` used to wait for the disk whenever the kernel had dropped some of a file's pages:
/// `perf record -e sched:sched_switch` of an ingest of the saved HN pages, run soon after another
/// ingest had read them all, counted 684 such waits in `read_file_into`, and 4 with read-ahead
/// (2026-12-04; this VM drops idle page cache within seconds). A scheduled ingest reads new files,
/// which are rarely cached at all.
fn read_ahead(files: &[PathBuf], i: usize, advised: &AtomicUsize) {
    let upto = (i + 1 + READ_AHEAD_FILES).min(files.len());
    let from = advised.fetch_max(upto, Ordering::Relaxed);
    for path in files.get(from..upto).unwrap_or_default() {
        advise_will_need(path);
    }
}

#[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
fn advise_will_need(path: &Path) {
    use std::os::fd::AsRawFd;
    if let Ok(f) = std::fs::File::open(path) {
        // SAFETY: `f` is an open file for the whole call; the advice changes no memory of this process.
        unsafe {
            libc::posix_fadvise(f.as_raw_fd(), 0, 0, libc::POSIX_FADV_WILLNEED);
        }
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "freebsd")))]
fn advise_will_need(_path: &Path) {}

/// Runs the store's early per-posting work ([`Preparer`]: the match index's facts) on the worker
/// thread that parsed the file, while the postings' text is fresh in its core's cache.
fn prepare(preparer: Option<&Preparer>, res: &FileResult) {
    if let (Some(prep), FileResult::Page { outcome: PageOutcome::Postings { postings, .. }, .. }) = (preparer, res) {
        prep.prepare_all(postings);
    }
}

/// Ingests saved HTML files into the store.
pub fn ingest_html(store: &mut Store, paths: &[PathBuf], opts: &HtmlOptions) -> Result<IngestSummary, IngestError> {
    let started = std::time::Instant::now();
    let (files, missing) = collect_files(paths);
    let mut sum = IngestSummary { files: files.len(), missing_paths: missing, ..Default::default() };
    for m in &sum.missing_paths {
        eprintln!("{m}: no such file or directory");
    }
    let jobs = opts.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get())).max(1);
    let bar = (opts.progress && files.len() > 1).then(|| progress_bar(files.len()));
    let ingested_at = Utc::now();
    let next = AtomicUsize::new(0);
    let advised = AtomicUsize::new(0);
    let (tx, rx) = mpsc::sync_channel::<FileResult>(jobs * 2);
    // One batch waits while another is written: parsing goes on during writes.
    let (batch_tx, batch_rx) = mpsc::sync_channel::<Vec<Posting>>(1);
    let flush_at = flush_bytes();
    let preparer = store.preparer();
    let store_result = std::thread::scope(|scope| {
        for _ in 0..jobs.min(files.len().max(1)) {
            let tx = tx.clone();
            let (files, next, preparer, advised) = (&files, &next, &preparer, &advised);
            scope.spawn(move || {
                let mut buf = Vec::new();
                loop {
                    if STOP.load(Ordering::Relaxed) {
                        break;
                    }
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(i) else { break };
                    read_ahead(files, i, advised);
                    let res = process_file(path, opts.date, ingested_at, &mut buf);
                    prepare(preparer.as_ref(), &res);
                    if tx.send(res).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let writer = scope.spawn(move || write_batches(store, batch_rx));
        batch(rx, batch_tx, flush_at, &mut sum, bar.as_ref());
        writer.join().unwrap_or_else(|_| Err((AppendStats::default(), StoreError::WriterPanicked)))
    });
    let store_error = match store_result {
        Ok(st) => {
            add(&mut sum, st);
            None
        }
        Err((st, e)) => {
            add(&mut sum, st);
            Some(e)
        }
    };
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if let Some(e) = store_error {
        return Err(e.into());
    }
    sum.interrupted = STOP.load(Ordering::Relaxed) && sum.files_read + sum.files_skipped < sum.files;
    sum.seconds = started.elapsed().as_secs_f64();
    Ok(sum)
}

/// The ingest's progress bar over `files` files.
fn progress_bar(files: usize) -> indicatif::ProgressBar {
    let b = indicatif::ProgressBar::new(files as u64);
    b.set_style(
        indicatif::ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} files {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    b
}

/// The main thread of an ingest: counts each file's result in `sum` and passes the postings on
/// to the writer in batches of at least `flush_at` bytes of text (the rest at the end).
fn batch(
    results: mpsc::Receiver<FileResult>,
    batches: mpsc::SyncSender<Vec<Posting>>,
    flush_at: usize,
    sum: &mut IngestSummary,
    bar: Option<&indicatif::ProgressBar>,
) {
    let mut buffer: Vec<Posting> = Vec::new();
    let mut buffered = 0usize;
    let mut handled = 0usize;
    for res in results {
        if let Some(b) = bar {
            b.inc(1);
        }
        for p in tally(sum, res, bar) {
            buffered += p.text.len();
            buffer.push(p);
        }
        // A failed send means the writer stopped on an error (it set STOP).
        if buffered >= flush_at && batches.send(std::mem::take(&mut buffer)).is_ok() {
            buffered = 0;
        }
        handled += 1;
        crate::signals::pause_point(handled);
    }
    if !buffer.is_empty() {
        let _ = batches.send(buffer);
    }
}

/// The writer thread: appends each batch; on an error it stops the workers and returns what was
/// written before it.
fn write_batches(
    store: &mut Store,
    batches: mpsc::Receiver<Vec<Posting>>,
) -> Result<AppendStats, (AppendStats, StoreError)> {
    let mut total = AppendStats::default();
    for batch in batches {
        match store.append(batch) {
            Ok(st) => total += st,
            Err(e) => {
                STOP.store(true, Ordering::Relaxed);
                return Err((total, e));
            }
        }
    }
    Ok(total)
}

/// Counts one file's result in the summary (reporting problems and warnings) and returns its postings.
fn tally(sum: &mut IngestSummary, res: FileResult, bar: Option<&indicatif::ProgressBar>) -> Vec<Posting> {
    match res {
        FileResult::Problem { path, reason } => {
            let msg = format!("{}: {reason}", path.display());
            match bar {
                Some(b) => b.println(&msg),
                None => eprintln!("{msg}"),
            }
            sum.files_skipped += 1;
            sum.problems.push(FileProblem { path: path.display().to_string(), reason });
            Vec::new()
        }
        FileResult::Page { path, bytes, outcome } => {
            sum.files_read += 1;
            sum.bytes += bytes;
            match outcome {
                PageOutcome::Skipped { reason } => {
                    tracing::warn!("{}: skipped: {reason}", path.display());
                    sum.pages_ignored += 1;
                    Vec::new()
                }
                PageOutcome::Postings { kind, postings, warnings } => {
                    match kind {
                        PageKind::Hn => sum.hn_pages += 1,
                        PageKind::JsonLd => sum.jsonld_pages += 1,
                        PageKind::Generic => sum.generic_pages += 1,
                    }
                    for w in warnings {
                        tracing::warn!("{}: {w}", path.display());
                        sum.warnings.push(FileProblem { path: path.display().to_string(), reason: w });
                    }
                    sum.postings_found += postings.len();
                    postings
                }
            }
        }
    }
}

fn add(sum: &mut IngestSummary, st: AppendStats) {
    sum.new += st.new;
    sum.known += st.known;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_are_walked_sorted_through_links_without_hidden_entries() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for sub in ["b/2", "a", ".hidden", "c"] {
            std::fs::create_dir_all(d.join(sub)).unwrap();
        }
        for f in ["b/2/y.html", "b/x.HTM", "a/z.html.gz", "a/notes.txt", ".hidden/h.html", "a/.h.html", "c/w.html"] {
            std::fs::write(d.join(f), b"<html></html>").unwrap();
        }
        // A link to a directory is walked; a link to a page is a page.
        std::os::unix::fs::symlink(d.join("c"), d.join("b/1")).unwrap();
        std::os::unix::fs::symlink(d.join("c/w.html"), d.join("v.html")).unwrap();
        let (files, missing) = collect_files(&[d.to_path_buf(), d.join("nope")]);
        let rel: Vec<String> =
            files.iter().map(|f| f.strip_prefix(d).unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(rel, ["a/z.html.gz", "b/1/w.html", "b/2/y.html", "b/x.HTM", "c/w.html", "v.html"]);
        assert_eq!(missing, [d.join("nope").display().to_string()]);
    }

    #[test]
    fn one_buffer_reads_file_after_file() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let put = |name: &str, bytes: &[u8]| {
            let p = dir.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            p
        };
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"<html>zipped</html>").unwrap();
        let gz = gz.finish().unwrap();
        let mut buf = Vec::new();
        for (path, want) in [
            (put("long.html", b"<html>a longer page</html>"), &b"<html>a longer page</html>"[..]),
            (put("short.html", b"<p>"), b"<p>"),
            (put("one.html", b"x"), b"x"),
            (put("empty.html", b""), b""),
            // gzip data is unpacked whatever the name says; a `.gz` name needs gzip data.
            (put("page.html.gz", &gz), b"<html>zipped</html>"),
            (put("page.html", &gz), b"<html>zipped</html>"),
        ] {
            read_file_into(&path, &mut buf).unwrap();
            assert_eq!(buf, want, "{}", path.display());
            assert_eq!(read_file(&path).unwrap(), want);
        }
        assert_eq!(read_file_into(&put("x.html.gz", b"<html>"), &mut buf).unwrap_err(), "named .gz but not gzip data");
        assert!(read_file_into(&dir.path().join("missing.html"), &mut buf).is_err());
    }

    #[test]
    fn charset_detection() {
        assert_eq!(declared_charset(b"<meta charset=\"ISO-8859-1\">").as_deref(), Some("iso-8859-1"));
        assert_eq!(declared_charset(b"content=\"text/html; charset=windows-1252\"").as_deref(), Some("windows-1252"));
        assert_eq!(declared_charset(b"<html>"), None);
        // Latin-1 bytes declared as such decode to the right characters.
        assert_eq!(decode(b"<meta charset=iso-8859-1>caf\xe9"), "<meta charset=iso-8859-1>café");
        // Undeclared invalid UTF-8 decodes lossily.
        assert_eq!(decode(b"caf\xe9"), "caf\u{fffd}");
        // A UTF-8 BOM is dropped.
        assert_eq!(decode(b"\xef\xbb\xbfhi"), "hi");
    }
}
