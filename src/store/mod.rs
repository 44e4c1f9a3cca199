//! The Parquet dataset: append, scan, dedup, lock.
//!
//! In: finished [`Posting`]s. Out: a Hive-partitioned Parquet dataset,
//! `<data>/postings/month=YYYY-MM/part-<time>-<pid>-<seq>.parquet`, readable as it is by DuckDB
//! (`read_parquet('data/postings/**/*.parquet', hive_partitioning=true)`), Polars and pyarrow.
//!
//! - **Columns**: `id, source, url, title, company, location, posted_at, date_source, text,
//!   content_hash, ingested_at, salary_min, salary_max, salary_currency, salary_period`.
//!   `month` lives only in the partition path. Timestamps are milliseconds, UTC, stored without a
//!   zone annotation (Polars' time-zone support is a heavy feature; every value is UTC).
//! - **Dedup**: by id. [`Store::open`] reads the `id` column of every part file once; an append
//!   skips ids already stored or already seen in the same run. Postings with equal text but
//!   different ids are kept (companies repost every month, and each month counts).
//! - **Atomic writes**: a part file is written under a hidden temp name (`.part-*.tmp`) in its
//!   partition directory, flushed, then renamed. Readers glob `*.parquet`, so they never see a
//!   partial file; a kill at any moment leaves the dataset readable, and the next open removes
//!   leftover temp files. A re-run then writes exactly what is missing.
//! - **Lock**: `<data>/lock`, an advisory `flock` held for the life of the [`Store`], with the
//!   holder's pid written inside. The kernel releases it when the holder dies, so a stale lock
//!   (dead pid) is taken over without any cleanup ([`lock`]).
//! - **Damage**: a part file that cannot be read is named, skipped and remembered
//!   ([`Store::damaged`]): its postings are unknown, so an ingest may add them again. [`verify`]
//!   checks every part and repairs the dataset (quarantine, duplicate removal).
//! - **Shared writers**: [`Store::open_shared`] takes no lock and reads the ids stored when it
//!   starts; its part files carry a writer id (`part-<time>-<writer>-<seq>.parquet`), so any number
//!   of writers (processes, hosts, Spark tasks) can add parts to one dataset at once. Two of them
//!   may store the same posting: [`compact`] (under the lock, after the writers finished) removes
//!   duplicate ids and merges small parts.

pub mod lock;
pub mod verify;

use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use polars::prelude::*;
use rayon::prelude::*;

pub use lock::{DataLock, lock, writer_active};

use crate::posting::{DateSource, Posting, Salary};

pub mod census;
pub mod compact;
pub mod encode;
pub use compact::{CompactOptions, CompactSummary, compact};

/// Errors of the dataset.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("another run (pid {pid}) holds {}", path.display())]
    Locked { pid: String, path: PathBuf },
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}: {source}", path.display())]
    Parquet { path: PathBuf, source: PolarsError },
    #[error("dataset: {0}")]
    Polars(#[from] PolarsError),
    #[error("the writer thread panicked")]
    WriterPanicked,
    #[error("{0} needs the dataset's lock; this store was opened as a shared writer")]
    NotLocked(&'static str),
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io { path: path.to_path_buf(), source }
}

/// How many postings an append added and how many it skipped as already stored.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct AppendStats {
    pub new: usize,
    pub known: usize,
}

impl std::ops::AddAssign for AppendStats {
    fn add_assign(&mut self, o: Self) {
        self.new += o.new;
        self.known += o.known;
    }
}

/// Work tied to the part files a store writes (ingest writes the match index there:
/// [`crate::index::PartIndexer`]).
pub trait PartHook: Send + Sync {
    /// Called after each part file is written, with its path and rows. An error is logged; the
    /// part stays written.
    fn part_written(&self, part: &Path, rows: &[Posting]) -> Result<(), String>;

    /// Optional early work on a posting that may be appended, on the thread that made it (an
    /// ingest's parse workers, through a [`Preparer`]), so that [`PartHook::part_written`] has
    /// less left to do on the writer's side. Must not change what `part_written` writes.
    fn prepare(&self, _posting: &Posting) {}
}

/// Hands the postings an ingest worker makes to the store's [`PartHook::prepare`], skipping the
/// ids stored when the store was opened (a re-ingest of known pages does no extra work).
#[derive(Clone)]
pub struct Preparer {
    stored: Arc<IdSet>,
    hook: Arc<dyn PartHook>,
}

impl Preparer {
    /// Prepares `posting` unless its id was stored when the store was opened.
    pub fn prepare(&self, posting: &Posting) {
        if !self.stored.contains(&posting.id) {
            self.hook.prepare(posting);
        }
    }

    /// [`Preparer::prepare`] of each posting, in order.
    pub fn prepare_all(&self, postings: &[Posting]) {
        postings.iter().for_each(|p| self.prepare(p));
    }
}

/// A part file that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DamagedPart {
    pub path: PathBuf,
    pub reason: String,
}

/// A set of posting ids. foldhash, not the standard SipHash: every posting an ingest makes is
/// looked up in it (by the parse workers and by the writer) and every new one inserted; SipHash in
/// the writer's lookups and inserts was 0.3% of an ingest's samples in `perf record` (2026-12-04).
/// Its seed is random per process, as the standard hasher's is.
type IdSet = HashSet<String, foldhash::fast::RandomState>;

/// An open dataset: holding the write lock, or as one of many shared writers.
pub struct Store {
    data_dir: PathBuf,
    /// Ids stored when the store was opened (shared with [`Preparer`]s).
    stored: Arc<IdSet>,
    /// Ids this store appended (none of them in `stored`).
    added: IdSet,
    writer: Writer,
    on_part: Option<Arc<dyn PartHook>>,
    damaged: Vec<DamagedPart>,
    /// Unfinished temp files of killed writers that opening removed.
    temp_removed: usize,
}

enum Writer {
    /// The single writer: holds `<data>/lock` until dropped.
    Locked(#[allow(dead_code)] DataLock),
    /// A shared writer: no lock; the id goes into its part file names.
    Shared(String),
}

/// True for a usable writer id: 1-64 characters of `A-Z a-z 0-9 _ -`.
pub fn valid_writer_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
}

/// A writer id unique across hosts and processes: `<hostname>-<pid>-<8 random hex digits>`
/// (the hostname reduced to the characters [`valid_writer_id`] accepts).
pub fn default_writer_id() -> String {
    let host = fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_default();
    let host: String = host
        .trim()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .take(32)
        .collect();
    let host = if host.is_empty() { "host".to_string() } else { host };
    let random = {
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos());
        h.finish() as u32
    };
    format!("{host}-{}-{random:08x}", std::process::id())
}

static SEQ: AtomicU64 = AtomicU64::new(0);

impl Store {
    /// Opens (creating it if needed) the dataset under `data_dir`, taking its lock: waits for it
    /// when `wait`, else fails with [`StoreError::Locked`] naming the holder's pid.
    ///
    /// A part file that cannot be read does not stop it: it is named in a warning and listed in
    /// [`Store::damaged`]; the caller should exit 1 and point at `jobtrend verify --repair`.
    pub fn open(data_dir: &Path, wait: bool) -> Result<Store, StoreError> {
        let lock = lock(data_dir, wait)?;
        fs::create_dir_all(data_dir.join("postings")).map_err(io_err(data_dir))?;
        let temp_removed = remove_temp_files(&data_dir.join("postings"));
        let (ids, damaged) = read_all_ids(data_dir)?;
        Ok(Store {
            data_dir: data_dir.to_path_buf(),
            stored: Arc::new(ids),
            added: IdSet::default(),
            writer: Writer::Locked(lock),
            on_part: None,
            damaged,
            temp_removed,
        })
    }

    /// Opens the dataset as one of many shared writers: no lock, no cleanup of other writers'
    /// temp files; postings whose ids are stored now are skipped, but two shared writers may
    /// both store a posting (run [`compact`] after them). `writer_id` must pass
    /// [`valid_writer_id`] and differ between concurrent writers ([`default_writer_id`] does).
    pub fn open_shared(data_dir: &Path, writer_id: &str) -> Result<Store, StoreError> {
        if !valid_writer_id(writer_id) {
            return Err(StoreError::Io {
                path: data_dir.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!("invalid writer id {writer_id:?} (1-64 characters of A-Z a-z 0-9 _ -)"),
                ),
            });
        }
        fs::create_dir_all(data_dir.join("postings")).map_err(io_err(data_dir))?;
        let (ids, damaged) = read_all_ids(data_dir)?;
        Ok(Store {
            data_dir: data_dir.to_path_buf(),
            stored: Arc::new(ids),
            added: IdSet::default(),
            writer: Writer::Shared(writer_id.to_string()),
            on_part: None,
            damaged,
            temp_removed: 0,
        })
    }

    /// Unfinished part files of killed writers that [`Store::open`] removed.
    pub fn temp_files_removed(&self) -> usize {
        self.temp_removed
    }

    /// True when this store holds the dataset's lock (opened with [`Store::open`]).
    pub fn is_locked(&self) -> bool {
        matches!(self.writer, Writer::Locked(_))
    }

    /// Part files that could not be read when the store was opened.
    pub fn damaged(&self) -> &[DamagedPart] {
        &self.damaged
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Sets what runs after each part file is written (replacing any earlier hook).
    pub fn on_part_written(&mut self, hook: Arc<dyn PartHook>) {
        self.on_part = Some(hook);
    }

    /// The hook's early work for an ingest's worker threads, when a hook is set.
    pub fn preparer(&self) -> Option<Preparer> {
        let hook = self.on_part.clone()?;
        Some(Preparer { stored: Arc::clone(&self.stored), hook })
    }

    /// True when a posting with this id is stored (or was appended by this store).
    pub fn contains(&self, id: &str) -> bool {
        self.stored.contains(id) || self.added.contains(id)
    }

    /// The ids stored (or appended by this store), in no order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.stored.iter().chain(&self.added).map(String::as_str)
    }

    /// Number of distinct ids stored.
    pub fn len(&self) -> usize {
        self.stored.len() + self.added.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Ends a command's use of the store when the process exits next: the lock is released now, and
    /// the id sets and the part hook (the match index's facts of every posting this run matched) are
    /// left to the process's exit instead of being freed entry by entry on one thread. In `perf record`
    /// of an ingest of the saved HN pages, the main thread ran 29 ms past every other thread, most of
    /// it freeing them; with this, 10 ms (2026-12-04). Dropping the store instead does the same, only
    /// slower.
    pub fn close_at_exit(self) {
        let Store { writer, stored, added, on_part, .. } = self;
        drop(writer);
        std::mem::forget((stored, added, on_part));
    }

    /// Appends the postings whose ids are new, one part file per month, each written atomically.
    /// Within one call the first posting with a given id wins.
    pub fn append(&mut self, postings: Vec<Posting>) -> Result<AppendStats, StoreError> {
        let mut stats = AppendStats::default();
        let mut by_month: std::collections::BTreeMap<String, Vec<Posting>> = Default::default();
        for p in postings {
            if self.contains(&p.id) {
                stats.known += 1;
                continue;
            }
            self.added.insert(p.id.clone());
            by_month.entry(p.month.clone()).or_default().push(p);
        }
        let mut first_error = None;
        for month in self.write_parts(by_month) {
            match month {
                Ok(rows) => stats.new += rows,
                Err((e, ids)) => {
                    // Forget the ids of the rows that were not written, so a retry writes them.
                    for id in &ids {
                        self.added.remove(id);
                    }
                    first_error.get_or_insert(e);
                }
            }
        }
        if let Some(e) = first_error {
            return Err(e);
        }
        Ok(stats)
    }

    /// Writes one part per month on the part writers ([`part_writers`]), largest month first, and
    /// drops each month's rows on the thread that wrote them. Results in month order: the rows
    /// written, or the error and the ids of the rows not written.
    fn write_parts(&self, by_month: std::collections::BTreeMap<String, Vec<Posting>>) -> Vec<MonthWritten> {
        let mut months: Vec<(usize, String, Vec<Posting>)> =
            by_month.into_iter().enumerate().map(|(i, (month, rows))| (i, month, rows)).collect();
        if months.len() <= 1 {
            return months.into_iter().map(|(_, month, rows)| self.write_month(&month, rows)).collect();
        }
        // Longest first: the last part a batch starts is then a small one, and the writers finish together.
        months.sort_by_key(|(i, _, rows)| (std::cmp::Reverse(rows.len()), *i));
        let done = std::sync::Mutex::new(Vec::with_capacity(months.len()));
        part_writers().scope(|scope| {
            for (i, month, rows) in months {
                let done = &done;
                scope.spawn(move |_| {
                    let res = self.write_month(&month, rows);
                    done.lock().unwrap_or_else(|e| e.into_inner()).push((i, res));
                });
            }
        });
        let mut done = done.into_inner().unwrap_or_else(|e| e.into_inner());
        done.sort_by_key(|(i, _)| *i);
        done.into_iter().map(|(_, r)| r).collect()
    }

    /// [`Store::write_part`] of one month's rows, which it then drops.
    fn write_month(&self, month: &str, rows: Vec<Posting>) -> MonthWritten {
        match self.write_part(month, &rows) {
            Ok(_) => Ok(rows.len()),
            Err(e) => Err((e, rows.into_iter().map(|r| r.id).collect())),
        }
    }

    /// A new part file name: `part-<UTC time>-<pid or writer id>-<seq>.parquet`.
    fn part_name(&self) -> String {
        let who = match &self.writer {
            Writer::Locked(_) => std::process::id().to_string(),
            Writer::Shared(w) => w.clone(),
        };
        new_part_name(&who)
    }

    /// Writes one part file of `month` atomically; returns its path.
    fn write_part(&self, month: &str, rows: &[Posting]) -> Result<PathBuf, StoreError> {
        let dir = self.data_dir.join("postings").join(format!("month={month}"));
        let mut df = to_frame(rows)?;
        let dest = write_frame(&dir, &self.part_name(), &mut df)?;
        if let Some(hook) = &self.on_part
            && let Err(e) = hook.part_written(&dest, rows)
        {
            tracing::warn!("{}: {e} (the next analysis command will build it)", dest.display());
        }
        Ok(dest)
    }
}

/// Part writer threads per core. A part writer waits for the disk (a part's postings and index
/// files are each synced, then renamed) and, at the end of each batch, for the other writers; with
/// one thread per core a core sat idle meanwhile. With two, an ingest of the saved HN pages took
/// less wall time in each of 6 interleaved rounds (median 1.18 s against 1.37 s) for about 40 MiB
/// more peak memory. Three per core were within a few percent of two (medians 0.95 against 1.00 s
/// and 1.50 against 1.53 s in two other sets of rounds) for another 40-50 MiB; four were slower
/// (README, Benchmarks).
const PART_WRITERS_PER_CORE: usize = 2;

/// What writing one month's part gave: its rows written, or the error and the ids of its rows.
type MonthWritten = Result<usize, (StoreError, Vec<String>)>;

/// The part writers: [`PART_WRITERS_PER_CORE`] threads per core, started by the first append of a
/// batch spanning several months and kept for the process's life (a `run` appends batch after
/// batch). A rayon pool of their own, apart from the global one; the index hook's `par_iter` (over
/// postings whose facts were not prepared) runs on these threads too. Before, each batch started
/// threads anew: each began with an empty heap, whose large buffers (the text column as Arrow, its
/// plain page, its zstd output) the kernel had to fault in again, and made its own zstd context. An
/// ingest of the saved HN pages, interleaved with 4308203's build (threads per batch), 5 s pause
/// before each run, 2026-12-04: in 6 rounds median 192.3 against 182.3 MB/s, CPU 1.51 against 1.61
/// s, 31,559 against 37,735 page faults; in 6 other rounds 178.8 against 164.5 MB/s, CPU 1.64
/// against 1.79 s. Its postings and index rows were 4308203's.
fn part_writers() -> &'static rayon::ThreadPool {
    static POOL: std::sync::OnceLock<rayon::ThreadPool> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        rayon::ThreadPoolBuilder::new()
            .num_threads(PART_WRITERS_PER_CORE * cores)
            .thread_name(|i| format!("jobtrend-part-writer-{i}"))
            .build()
            .expect("the part writers' thread pool")
    })
}

/// `part-<UTC time>-<who>-<seq>.parquet`, unique within a process by its sequence number.
pub fn new_part_name(who: &str) -> String {
    format!(
        "part-{}-{}-{:04}.parquet",
        Utc::now().format("%Y%m%dT%H%M%S%.3f"),
        who,
        SEQ.fetch_add(1, Ordering::Relaxed)
    )
}

/// Zstd level of part files. On the saved HN pages level 1 writes 27 MB where the default (3)
/// writes 24 MB, and saves about 10% of the ingest's CPU time (LZ4 or Snappy would save a few
/// percent more for 39 MB).
const ZSTD_LEVEL: i32 = 1;

/// Writes `df` as `dir/name` atomically: a hidden temp file in `dir` (created when missing), flushed
/// and synced, then renamed. Returns the path written.
pub fn write_frame(dir: &Path, name: &str, df: &mut DataFrame) -> Result<PathBuf, StoreError> {
    let dest = dir.join(name);
    write_part_file(df, &dest)?;
    Ok(dest)
}

/// Deletes `.part-*.tmp` files a killed run left behind (the caller holds the lock).
pub(crate) fn remove_temp_files(postings: &Path) -> usize {
    let mut removed = 0;
    let Ok(months) = fs::read_dir(postings) else { return 0 };
    for m in months.flatten() {
        let Ok(files) = fs::read_dir(m.path()) else { continue };
        for f in files.flatten() {
            let name = f.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(".part-") && name.ends_with(".tmp") {
                tracing::info!("removing unfinished part file {}", f.path().display());
                if fs::remove_file(f.path()).is_ok() {
                    removed += 1;
                }
            }
        }
    }
    removed
}

/// Every part file of the dataset, sorted.
/// The month of a part file, from its `month=YYYY-MM` directory.
pub fn month_of_part(part: &Path) -> Option<String> {
    let dir = part.parent()?.file_name()?.to_str()?;
    dir.strip_prefix("month=").map(str::to_string)
}

pub fn part_files(data_dir: &Path) -> Result<Vec<PathBuf>, StoreError> {
    let root = data_dir.join("postings");
    let mut out = Vec::new();
    let months = match fs::read_dir(&root) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(io_err(&root)(e)),
    };
    for m in months {
        let m = m.map_err(io_err(&root))?;
        let mname = m.file_name();
        if !mname.to_string_lossy().starts_with("month=") || !m.path().is_dir() {
            continue;
        }
        for f in fs::read_dir(m.path()).map_err(io_err(&m.path()))? {
            let f = f.map_err(io_err(&m.path()))?;
            let name = f.file_name();
            let name = name.to_string_lossy();
            if name.ends_with(".parquet") && !name.starts_with('.') {
                out.push(f.path());
            }
        }
    }
    out.sort();
    Ok(out)
}

/// A lazy scan of the whole dataset with the `month` partition column, or `None` when empty.
pub fn scan(data_dir: &Path) -> Result<Option<LazyFrame>, StoreError> {
    let files = part_files(data_dir)?;
    if files.is_empty() {
        return Ok(None);
    }
    let paths: Vec<PlRefPath> = files
        .iter()
        .map(|p| PlRefPath::try_from_path(p).map_err(|source| StoreError::Parquet { path: p.clone(), source }))
        .collect::<Result<_, _>>()?;
    let args = ScanArgsParquet {
        hive_options: HiveOptions::new_enabled(),
        glob: false,
        allow_missing_columns: true,
        ..Default::default()
    };
    let lf = LazyFrame::scan_parquet_files(paths.into_iter().collect(), args)?;
    // Hive values such as "2024-03" may be inferred as strings or dates depending on the reader:
    // make `month` a string either way.
    Ok(Some(lf.with_column(col("month").cast(DataType::String))))
}

/// Reads one part file whole (every column), naming the file in any error.
pub fn read_part(path: &Path) -> Result<DataFrame, StoreError> {
    read_part_columns(path, None)
}

/// A Parquet reader that decodes on the calling thread when that thread is a rayon worker.
/// Callers read many parts in parallel on rayon; handing a part's columns to Polars' own thread
/// pool made the waiting worker steal more parts meanwhile and nest them on its stack, up to a
/// stack overflow on 1,000 parts (`trends` before 2b76e11; `report`, which opens the store,
/// after it: about one run in three on a 10x copy of the HN corpus).
pub fn parquet_reader<R: polars::io::mmap::MmapBytesReader>(reader: R) -> ParquetReader<R> {
    let parallel =
        if rayon::current_thread_index().is_some() { ParallelStrategy::None } else { ParallelStrategy::Auto };
    ParquetReader::new(reader).read_parallel(parallel)
}

/// Reads the named columns of one part file (all with `None`), naming the file in any error.
pub(crate) fn read_part_columns(path: &Path, columns: Option<Vec<String>>) -> Result<DataFrame, StoreError> {
    let f = fs::File::open(path).map_err(io_err(path))?;
    parquet_reader(f)
        .with_columns(columns)
        .finish()
        .map_err(|source| StoreError::Parquet { path: path.to_path_buf(), source })
}

/// The ids of every readable part, and the parts that could not be read (named, with the reason).
fn read_all_ids(data_dir: &Path) -> Result<(IdSet, Vec<DamagedPart>), StoreError> {
    let files = part_files(data_dir)?;
    let read: Vec<(PathBuf, Result<Vec<String>, StoreError>)> =
        files.into_par_iter().map(|p| (p.clone(), read_part_ids(&p))).collect();
    let mut ids = IdSet::default();
    let mut damaged = Vec::new();
    for (path, r) in read {
        match r {
            Ok(v) => ids.extend(v),
            Err(e) => {
                let reason = damage_reason(e);
                tracing::debug!("{}: unreadable part file: {reason}", path.display());
                damaged.push(DamagedPart { path, reason });
            }
        }
    }
    Ok((ids, damaged))
}

/// Why a part could not be read, without its path (the caller names it).
pub(crate) fn damage_reason(e: StoreError) -> String {
    match e {
        StoreError::Parquet { source, .. } => source.to_string(),
        StoreError::Io { source, .. } => source.to_string(),
        e => e.to_string(),
    }
}

/// The `id` column of one part file.
pub fn read_part_ids(path: &Path) -> Result<Vec<String>, StoreError> {
    let df = read_part_columns(path, Some(vec!["id".into()]))?;
    let ids = df.column("id").and_then(|c| c.str().cloned());
    let ids = ids.map_err(|source| StoreError::Parquet { path: path.to_path_buf(), source })?;
    Ok(ids.iter().flatten().map(str::to_string).collect())
}

/// Writes a frame as a part file at `dest` atomically (hidden temp file in the same directory,
/// fsync, rename), with the dataset's compression and the umask's mode.
pub fn write_part_file(df: &mut DataFrame, dest: &Path) -> Result<(), StoreError> {
    let level = polars::polars_utils::compression::ZstdLevel::try_new(ZSTD_LEVEL).ok();
    write_parquet_atomic(df, dest, ".part-", ParquetCompression::Zstd(level))
}

/// Writes a frame as Parquet at `dest` atomically: a hidden temp file `<prefix>*.tmp` in the same
/// directory (the prefix says which cleaner removes it after a kill), fsync, rename, with the
/// umask's mode. Postings parts and index parts both go through here.
pub fn write_parquet_atomic(
    df: &mut DataFrame,
    dest: &Path,
    prefix: &str,
    compression: ParquetCompression,
) -> Result<(), StoreError> {
    write_parquet_atomic_with(df, dest, prefix, compression, Vec::new())
}

/// [`write_parquet_atomic`] with file-level key-value metadata in the footer, after the Arrow schema
/// ([`encode::write_parquet`] writes the file).
pub fn write_parquet_atomic_with(
    df: &mut DataFrame,
    dest: &Path,
    prefix: &str,
    compression: ParquetCompression,
    footer: Vec<(String, String)>,
) -> Result<(), StoreError> {
    let dir = dest.parent().unwrap_or(Path::new("."));
    let tmp = crate::fsutil::temp_file_in_new_dir(dir, prefix, ".tmp").map_err(io_err(dir))?;
    {
        let mut w = std::io::BufWriter::new(tmp.as_file());
        encode::write_parquet(df, &mut w, compression.into(), footer)
            .map_err(|source| StoreError::Parquet { path: dest.to_path_buf(), source })?;
        w.flush().map_err(io_err(dest))?;
    }
    crate::fsutil::persist_atomic(tmp, dest).map_err(io_err(dest))
}

fn ms(t: Option<DateTime<Utc>>) -> Option<i64> {
    t.map(|t| t.timestamp_millis())
}

fn datetime_col(name: &str, v: Vec<Option<i64>>) -> Result<Column, PolarsError> {
    Series::new(name.into(), v).cast(&DataType::Datetime(TimeUnit::Milliseconds, None)).map(Column::from)
}

/// Postings → a DataFrame in the dataset's column order (without `month`).
pub fn to_frame(rows: &[Posting]) -> Result<DataFrame, PolarsError> {
    // Borrowed strings: Polars copies each value once into its buffers.
    let s = |name: &str, f: &dyn Fn(&Posting) -> Option<&str>| -> Column {
        Column::from(Series::new(name.into(), rows.iter().map(f).collect::<Vec<_>>()))
    };
    let salary = |f: &dyn Fn(&Salary) -> f64| rows.iter().map(|p| p.salary.as_ref().map(f)).collect::<Vec<_>>();
    let cols = vec![
        s("id", &|p| Some(&p.id)),
        s("source", &|p| Some(&p.source)),
        s("url", &|p| p.url.as_deref()),
        s("title", &|p| p.title.as_deref()),
        s("company", &|p| p.company.as_deref()),
        s("location", &|p| p.location.as_deref()),
        datetime_col("posted_at", rows.iter().map(|p| ms(p.posted_at)).collect())?,
        s("date_source", &|p| p.date_source.map(|d| d.as_str())),
        s("text", &|p| Some(&p.text)),
        s("content_hash", &|p| Some(&p.content_hash)),
        datetime_col("ingested_at", rows.iter().map(|p| Some(p.ingested_at.timestamp_millis())).collect())?,
        Column::from(Series::new("salary_min".into(), salary(&|s| s.min))),
        Column::from(Series::new("salary_max".into(), salary(&|s| s.max))),
        s("salary_currency", &|p| p.salary.as_ref().map(|s| s.currency.as_str())),
        s("salary_period", &|p| p.salary.as_ref().map(|s| s.period.as_str())),
    ];
    DataFrame::new(rows.len(), cols)
}

/// Reads every posting back (all columns). For tests and small datasets; analysis code should
/// use [`scan`] and select the columns it needs.
pub fn read_all(data_dir: &Path) -> Result<Vec<Posting>, StoreError> {
    let Some(lf) = scan(data_dir)? else { return Ok(Vec::new()) };
    let df = lf
        .with_columns([
            col("posted_at").cast(DataType::Int64).alias("posted_at_ms"),
            col("ingested_at").cast(DataType::Int64).alias("ingested_at_ms"),
        ])
        .collect()?;
    let st = |name: &str| -> Result<StringChunked, StoreError> { Ok(df.column(name)?.str()?.clone()) };
    let i64c = |name: &str| -> Result<Int64Chunked, StoreError> { Ok(df.column(name)?.i64()?.clone()) };
    let f64c = |name: &str| -> Result<Float64Chunked, StoreError> { Ok(df.column(name)?.f64()?.clone()) };
    let (id, source, url, title, company, location) =
        (st("id")?, st("source")?, st("url")?, st("title")?, st("company")?, st("location")?);
    let (date_source, text, hash, month) = (st("date_source")?, st("text")?, st("content_hash")?, st("month")?);
    let (posted, ingested) = (i64c("posted_at_ms")?, i64c("ingested_at_ms")?);
    let (smin, smax, scur, sper) =
        (f64c("salary_min")?, f64c("salary_max")?, st("salary_currency")?, st("salary_period")?);
    let ts = |v: Option<i64>| v.and_then(DateTime::<Utc>::from_timestamp_millis);
    let mut out = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        let own = |c: &StringChunked| c.get(i).map(str::to_string);
        let salary = match (smin.get(i), smax.get(i), scur.get(i), sper.get(i)) {
            (Some(min), Some(max), Some(c), Some(p)) => {
                Some(Salary { min, max, currency: c.to_string(), period: p.to_string() })
            }
            _ => None,
        };
        out.push(Posting {
            id: own(&id).unwrap_or_default(),
            source: own(&source).unwrap_or_default(),
            url: own(&url),
            title: own(&title),
            company: own(&company),
            location: own(&location),
            posted_at: ts(posted.get(i)),
            month: own(&month).unwrap_or_default(),
            date_source: date_source.get(i).and_then(DateSource::parse),
            text: own(&text).unwrap_or_default(),
            content_hash: own(&hash).unwrap_or_default(),
            ingested_at: ts(ingested.get(i)).unwrap_or(DateTime::<Utc>::UNIX_EPOCH),
            salary,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posting(id: &str, month: &str, text: &str) -> Posting {
        let mut p = Posting::new(id, "test", text);
        p.month = month.to_string();
        p.salary = Some(Salary { min: 1.0, max: 2.0, currency: "USD".into(), period: "year".into() });
        p.finish(Utc::now())
    }

    /// A hook that records the ids it is asked to prepare.
    #[derive(Default)]
    struct Recorder(std::sync::Mutex<Vec<String>>);

    impl PartHook for Recorder {
        fn part_written(&self, _part: &Path, _rows: &[Posting]) -> Result<(), String> {
            Ok(())
        }
        fn prepare(&self, posting: &Posting) {
            self.0.lock().unwrap().push(posting.id.clone());
        }
    }

    #[test]
    fn the_preparer_skips_ids_stored_when_the_store_was_opened() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(dir.path(), false).unwrap();
        assert!(s.preparer().is_none(), "no hook, nothing to prepare");
        s.append(vec![posting("a", "2024-01", "x")]).unwrap();
        drop(s);
        let mut s = Store::open(dir.path(), false).unwrap();
        let rec = Arc::new(Recorder::default());
        s.on_part_written(rec.clone());
        let prep = s.preparer().unwrap();
        for id in ["a", "b"] {
            prep.prepare(&posting(id, "2024-01", "x"));
        }
        assert_eq!(*rec.0.lock().unwrap(), ["b"]);
        // Ids appended later are still known to the store itself.
        assert_eq!(s.append(vec![posting("a", "2024-01", "x"), posting("b", "2024-01", "x")]).unwrap().new, 1);
        assert!(s.contains("a") && s.contains("b"));
        assert_eq!((s.len(), s.ids().count()), (2, 2));
    }

    #[test]
    fn append_dedups_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        {
            let mut s = Store::open(dir.path(), false).unwrap();
            let st = s
                .append(vec![posting("a", "2024-01", "x"), posting("b", "2024-02", "x"), posting("a", "2024-01", "y")])
                .unwrap();
            assert_eq!(st, AppendStats { new: 2, known: 1 });
        }
        let mut s = Store::open(dir.path(), false).unwrap();
        assert_eq!(s.len(), 2);
        let st = s.append(vec![posting("b", "2024-02", "x"), posting("c", "2024-02", "z")]).unwrap();
        assert_eq!(st, AppendStats { new: 1, known: 1 });
        drop(s);
        let mut all = read_all(dir.path()).unwrap();
        all.sort_by(|a, b| a.id.cmp(&b.id));
        assert_eq!(all.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!(all[1].month, "2024-02");
        assert_eq!(all[0].salary.as_ref().unwrap().currency, "USD");
        assert_eq!(all[0].text, "x");
    }

    #[test]
    fn a_month_whose_part_cannot_be_written_is_forgotten_and_the_others_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(dir.path(), false).unwrap();
        // A file where the directory of 2024-02 goes: that month's part cannot be written.
        let blocked = dir.path().join("postings/month=2024-02");
        fs::create_dir_all(blocked.parent().unwrap()).unwrap();
        fs::write(&blocked, b"not a directory").unwrap();
        let batch = vec![
            posting("a", "2024-01", "x"),
            posting("b", "2024-02", "y"),
            posting("c", "2024-03", "z"),
            posting("d", "2024-02", "w"),
            posting("e", "2024-03", "v"),
        ];
        assert!(s.append(batch.clone()).is_err());
        let known: Vec<bool> = ["a", "b", "c", "d", "e"].iter().map(|id| s.contains(id)).collect();
        assert_eq!(known, [true, false, true, false, true], "only the written months' ids are kept");
        fs::remove_file(&blocked).unwrap();
        assert_eq!(s.append(batch).unwrap(), AppendStats { new: 2, known: 3 }, "a retry writes the rest");
        drop(s);
        let mut ids: Vec<String> = read_all(dir.path()).unwrap().into_iter().map(|p| p.id).collect();
        ids.sort();
        assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    }

    #[test]
    fn second_open_reports_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let _s = Store::open(dir.path(), false).unwrap();
        match Store::open(dir.path(), false) {
            Err(StoreError::Locked { pid, .. }) => assert_eq!(pid, std::process::id().to_string()),
            Err(e) => panic!("unexpected error {e}"),
            Ok(_) => panic!("second open must fail while the lock is held"),
        }
    }

    #[test]
    fn leftover_temp_files_are_removed_and_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let m = dir.path().join("postings/month=2024-01");
        fs::create_dir_all(&m).unwrap();
        fs::write(m.join(".part-abc.tmp"), b"PAR1 half a file").unwrap();
        let s = Store::open(dir.path(), false).unwrap();
        assert!(s.is_empty());
        assert!(!m.join(".part-abc.tmp").exists());
    }
}
