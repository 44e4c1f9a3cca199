//! The match index: what analysis needs to know about each posting, computed once.
//!
//! In: postings (in memory at ingest time, or read back from a postings part) and a keyword
//! [`Taxonomy`]. Out: one Parquet file per postings part,
//! `<data>/index/fp=<16 hex>/month=YYYY-MM/<same file name as the postings part>`, Hive-partitioned
//! like the postings (DuckDB: `read_parquet('data/index/fp=<fp>/**/*.parquet', hive_partitioning=true)`).
//!
//! - **Columns**: `id, source, keywords (List<String>: keyword ids), roles (List<String>),
//!   seniority (String, null when unknown), salary_annual (Float64), salary_currency (String),
//!   posted_at (ms, as in the postings), url, content_hash, repost_key` (`repost_key`: xxh3 of
//!   the normalised company, title and content hash, null when the company or the title is
//!   unknown; [`crate::dedup`]). `month` lives in the path.
//! - **Fingerprint** `fp`: xxh3-64 of the taxonomy's fingerprint and [`INDEX_VERSION`], so editing
//!   `keywords/` (or `--keywords-dir`) selects another directory and re-matches lazily.
//!   `fp=<fp>/taxonomy.json` names the keyword ids, the version and whether it is the built-in
//!   taxonomy; `<data>/index/CURRENT` holds the built-in taxonomy's fp (what Spark/DuckDB should
//!   read; `jobtrend index --fingerprint` is not needed: `cat data/index/CURRENT`).
//!   Directories of older fps are kept (a taxonomy switched back costs nothing); `stats` lists them
//!   with their sizes and they can be deleted at any time.
//! - **Writes** are atomic (hidden `.idx-*.tmp` + rename; Snappy, [`COMPRESSION`]) and happen
//!   without the writer lock: ingest writes one index part after each postings part
//!   ([`part_hook`]; `ingest html` builds its matcher in the background,
//!   [`part_hook_in_background`]); analysis commands call [`ensure_index`], which matches only the
//!   parts that have no index file under the current fp; `compact` merges index parts with their
//!   parts. Two readers building the same part rename identical content: the race is harmless.
//!   Readers ignore temp files; the next lock holder removes leftovers ([`remove_temp_files`]).
//! - **Counts**: each part's footer also holds its postings and keyword counts per source
//!   ([`counts`]), so counting reads (`trends`) read footers, not rows.
//! - When the data directory is not writable, [`ensure_index`] matches in memory for this command
//!   and warns once.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

use polars::prelude::*;
use rayon::prelude::*;
use serde::Serialize;

use crate::keywords::{Matcher, Taxonomy};
use crate::posting::{Posting, Salary};

mod background;
pub mod counts;

/// Version of the per-posting extraction the index stores. Bump it when the matcher, the role
/// classifier, the seniority rules or the salary extraction change: every index is then rebuilt
/// (lazily, by the next analysis command) under a new fingerprint. 2: `repost_key`.
pub const INDEX_VERSION: u32 = 2;

/// Compression of index parts. Snappy: on 10 copies of the HN corpus (980 index parts) zstd's
/// per-column decompression contexts and decoding were a quarter of `trends`' CPU time; Snappy
/// files are about 1.5x larger (the index is ~10% of the postings) and every Parquet reader
/// (Spark, DuckDB, pyarrow) reads them. Existing zstd parts stay readable as they are.
pub const COMPRESSION: ParquetCompression = ParquetCompression::Snappy;

/// Errors of the index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}: {source}", path.display())]
    Parquet { path: PathBuf, source: PolarsError },
    #[error("could not build the keyword matcher: {0}")]
    Matcher(String),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> IndexError + '_ {
    move |source| IndexError::Io { path: path.to_path_buf(), source }
}

/// The index directory's fingerprint for a taxonomy (16 hex digits).
pub fn fingerprint(tax: &Taxonomy) -> String {
    let mut buf = tax.fingerprint().to_le_bytes().to_vec();
    buf.extend_from_slice(&INDEX_VERSION.to_le_bytes());
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&buf))
}

/// `<data>/index/fp=<fp>`.
pub fn fp_dir(data: &Path, fp: &str) -> PathBuf {
    data.join("index").join(format!("fp={fp}"))
}

/// The index file of a postings part (`<data>/postings/month=M/NAME` → `<data>/index/fp=<fp>/month=M/NAME`).
pub fn index_path(data: &Path, fp: &str, part: &Path) -> Option<PathBuf> {
    let name = part.file_name()?;
    let month = part.parent()?.file_name()?;
    Some(fp_dir(data, fp).join(month).join(name))
}

pub use crate::store::month_of_part;
pub use background::part_hook_in_background;

/// One posting as the extractors see it.
#[derive(Debug, Clone, Copy)]
pub struct PostingView<'a> {
    pub id: &'a str,
    pub source: &'a str,
    pub title: Option<&'a str>,
    pub company: Option<&'a str>,
    pub text: &'a str,
    /// A salary the source states in structured fields.
    pub stated: Option<&'a Salary>,
    pub posted_at_ms: Option<i64>,
    pub url: Option<&'a str>,
    pub content_hash: &'a str,
}

impl<'a> From<&'a Posting> for PostingView<'a> {
    fn from(p: &'a Posting) -> Self {
        PostingView {
            id: &p.id,
            source: &p.source,
            title: p.title.as_deref(),
            company: p.company.as_deref(),
            text: &p.text,
            stated: p.salary.as_ref(),
            posted_at_ms: p.posted_at.map(|t| t.timestamp_millis()),
            url: p.url.as_deref(),
            content_hash: &p.content_hash,
        }
    }
}

/// What the index stores about one posting (besides the fields copied as they are).
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    /// Indices into `Taxonomy::keywords()`, sorted.
    pub keywords: Vec<usize>,
    pub roles: Vec<&'static str>,
    /// `""` when unknown.
    pub seniority: &'static str,
    /// Annual salary and currency: the source's structured fields, else the text.
    pub salary: Option<(f64, String)>,
}

/// Keywords, roles, seniority and salary of one posting.
pub fn facts(matcher: &Matcher, p: &PostingView<'_>) -> Facts {
    let keywords = matcher.find(p.text).into_iter().map(|(k, _)| k).collect();
    let roles = crate::roles::classify(p.title, p.text, p.source);
    let head = p.title.unwrap_or_else(|| p.text.lines().next().unwrap_or(""));
    let seniority = crate::salary::seniority(head);
    let salary = p
        .stated
        .cloned()
        .or_else(|| crate::salary::extract(p.text))
        .and_then(|s| crate::salary::annualise(&s).map(|a| (a, s.currency)));
    Facts { keywords, roles, seniority, salary }
}

/// The facts one process has computed, by a 128-bit hash of everything [`facts`] reads (text, title,
/// source, stated salary): a posting that repeats an earlier one's inputs exactly takes its facts
/// from here instead of being matched again. On the saved HN pages 5,278 of the 54,299 postings
/// repeat an earlier posting's text (all but 60 of them in a month where no other copy is). An
/// ingest also fills it from its parse workers ([`FactsCache::prepare`], through
/// [`crate::store::PartHook::prepare`]), while a posting's text is fresh in that core's cache, so
/// the part writer finds every new posting's facts here. Tied to one matcher: its owner
/// ([`PartIndexer`], one ingest) never changes the taxonomy.
///
/// Bounded, in two generations of at most [`FactsCache::MAX`] entries each: when the newer one is
/// full the older one is dropped and the newer one becomes the older one; a hit in the older one
/// moves the entry to the newer one. So an entry prepared at parse time survives at least
/// `MAX` later insertions, more than the postings an ingest holds between parsing and writing
/// (at most about three batches of [`crate::ingest::FLUSH_BYTES`] of text, the collector's, the
/// queued one and the one being written, plus a few files in the channel: about 26,000 HN
/// postings). An entry dropped before its part is written is matched again there: slower, never
/// different.
///
/// Matching stale parts ([`ensure_index`]) does not use it: there it added about 30 MiB to the
/// peak and no time saving that stood out of the noise (paired runs on the saved HN pages,
/// 2026-12-03).
#[derive(Debug)]
pub struct FactsCache(std::sync::Mutex<Generations>);

impl Default for FactsCache {
    fn default() -> Self {
        Self::new()
    }
}

#[derive(Debug, Default)]
struct Generations {
    newer: DigestMap<Arc<Facts>>,
    older: DigestMap<Arc<Facts>>,
    /// Entries per generation ([`FactsCache::MAX`]; smaller in tests).
    max: usize,
}

/// A map keyed by [`facts_key`] digests. They are xxh3-128 hashes, uniform already, so the map
/// takes their bits as its hash instead of hashing them again with SipHash. A small saving: under
/// `valgrind --tool=callgrind`, an ingest of 12 of the saved HN pages spent 9.3 of its 1,641.6
/// million instructions in the cache's SipHash lookups and inserts; with this hasher it ran 1,640.3
/// million (2026-12-04; the other stages vary by a few million from run to run).
type DigestMap<V> = std::collections::HashMap<u128, V, std::hash::BuildHasherDefault<DigestHasher>>;

/// The [`std::hash::Hasher`] of a [`DigestMap`]: a `u128` key's two halves XORed.
#[derive(Debug, Default)]
struct DigestHasher(u64);

impl std::hash::Hasher for DigestHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write_u128(&mut self, v: u128) {
        self.0 ^= (v as u64) ^ ((v >> 64) as u64);
    }

    /// Not called for `u128` keys; any other input is folded in byte by byte (FNV-1a).
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

impl Generations {
    /// Whether `key` is held; an entry found in the older generation moves to the newer one.
    fn touch(&mut self, key: u128) -> bool {
        if self.newer.contains_key(&key) {
            return true;
        }
        match self.older.remove(&key) {
            Some(f) => {
                self.insert(key, f);
                true
            }
            None => false,
        }
    }

    fn get(&mut self, key: u128) -> Option<Arc<Facts>> {
        if !self.touch(key) {
            return None;
        }
        self.newer.get(&key).cloned()
    }

    fn insert(&mut self, key: u128, f: Arc<Facts>) {
        if self.newer.len() >= self.max.max(1) {
            self.older = std::mem::take(&mut self.newer);
        }
        self.newer.insert(key, f);
    }
}

impl FactsCache {
    /// Most entries per generation. An entry takes about 600 bytes (the saved HN pages' 49,021
    /// entries added about 30 MiB to the peak of re-matching them), so the two hold about 40 MiB
    /// at most.
    pub const MAX: usize = 1 << 15;

    /// An empty cache.
    pub fn new() -> Self {
        Self::with_generation(Self::MAX)
    }

    /// An empty cache of at most `max` entries per generation.
    fn with_generation(max: usize) -> Self {
        FactsCache(std::sync::Mutex::new(Generations { max, ..Default::default() }))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Generations> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// [`facts`] of every row, in order: from the cache when its inputs were seen before (under one lock), the
    /// others computed on all cores and then kept. An ingest finds every new posting's facts here already (prepared
    /// on its parse worker), so the part writer only hashes and looks up, with no task per row on the rayon pool
    /// and no copy of the facts (the cache holds them in an `Arc`). Against 1606f7f, which looked up each row from
    /// a rayon task and cloned its facts: 10 interleaved rounds of an ingest of the saved HN pages (3 s pause
    /// before each run), median wall 0.97 against 1.02 s and median CPU 1.83 against 1.90 s, lower wall time in 6
    /// of 10 and equal in 1 (2026-12-04).
    pub fn facts_of_all(&self, matcher: &Matcher, rows: &[PostingView<'_>]) -> Vec<Arc<Facts>> {
        let keys: Vec<u128> = rows.iter().map(facts_key).collect();
        let mut out: Vec<Option<Arc<Facts>>> = {
            let mut g = self.lock();
            keys.iter().map(|&k| g.get(k)).collect()
        };
        let missing: Vec<usize> = (0..rows.len()).filter(|&i| out[i].is_none()).collect();
        if missing.is_empty() {
            return out.into_iter().flatten().collect();
        }
        let computed: Vec<Arc<Facts>> = missing.par_iter().map(|&i| Arc::new(facts(matcher, &rows[i]))).collect();
        let mut g = self.lock();
        for (i, f) in missing.into_iter().zip(computed) {
            g.insert(keys[i], f.clone());
            out[i] = Some(f);
        }
        out.into_iter().flatten().collect()
    }

    /// Computes and keeps the facts of `p` unless they are held already.
    pub fn prepare(&self, matcher: &Matcher, p: &PostingView<'_>) {
        let key = facts_key(p);
        if !self.lock().touch(key) {
            let f = Arc::new(facts(matcher, p));
            self.lock().insert(key, f);
        }
    }

    /// Entries held, in both generations.
    pub fn len(&self) -> usize {
        let g = self.lock();
        g.newer.len() + g.older.len()
    }

    /// True when nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The inputs of [`facts`] as one 128-bit key: xxh3-128 of the text, XORed with xxh3-128 (seeded
/// apart) of the other fields, each length-prefixed (`None` apart from `""`). The text is hashed in
/// one call: through the streaming hasher it was copied into the hasher's buffer first, which was
/// most of this key's cost in `perf record` of an ingest (2026-12-04).
fn facts_key(p: &PostingView<'_>) -> u128 {
    let mut rest = Vec::with_capacity(64 + p.title.map_or(0, str::len) + p.source.len());
    let mut field = |v: Option<&[u8]>| match v {
        Some(b) => {
            rest.extend_from_slice(&(b.len() as u64).to_le_bytes());
            rest.extend_from_slice(b);
        }
        None => rest.extend_from_slice(&u64::MAX.to_le_bytes()),
    };
    field(p.title.map(str::as_bytes));
    field(Some(p.source.as_bytes()));
    match p.stated {
        Some(s) => {
            field(Some(&s.min.to_le_bytes()));
            field(Some(&s.max.to_le_bytes()));
            field(Some(s.currency.as_bytes()));
            field(Some(s.period.as_bytes()));
        }
        None => field(None),
    }
    xxhash_rust::xxh3::xxh3_128(p.text.as_bytes()) ^ xxhash_rust::xxh3::xxh3_128_with_seed(&rest, FACTS_KEY_SEED)
}

/// The seed of [`facts_key`]'s hash of the fields other than the text.
const FACTS_KEY_SEED: u64 = 0x6a6f_6274_7265_6e64;

/// Matches postings on all cores and returns their index frame; with a `cache`, postings whose
/// inputs it has seen are not matched again.
pub fn index_frame(
    tax: &Taxonomy,
    matcher: &Matcher,
    rows: &[PostingView<'_>],
    cache: Option<&FactsCache>,
) -> Result<DataFrame, PolarsError> {
    let facts: Vec<Arc<Facts>> = match cache {
        Some(c) => c.facts_of_all(matcher, rows),
        None => rows.par_iter().map(|p| Arc::new(facts(matcher, p))).collect(),
    };
    let ids = tax.keywords();
    let n = rows.len();
    let mut kw = ListStringChunkedBuilder::new("keywords".into(), n, n * 4);
    let mut ro = ListStringChunkedBuilder::new("roles".into(), n, n);
    for f in &facts {
        kw.append_values_iter(f.keywords.iter().map(|&k| ids[k].id.as_str()));
        ro.append_values_iter(f.roles.iter().copied());
    }
    let strs = |name: &str, v: Vec<Option<&str>>| Column::from(Series::new(name.into(), v));
    let posted = Series::new("posted_at".into(), rows.iter().map(|p| p.posted_at_ms).collect::<Vec<_>>())
        .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))?;
    let cols = vec![
        strs("id", rows.iter().map(|p| Some(p.id)).collect()),
        strs("source", rows.iter().map(|p| Some(p.source)).collect()),
        Column::from(kw.finish().into_series()),
        Column::from(ro.finish().into_series()),
        strs("seniority", facts.iter().map(|f| Some(f.seniority).filter(|s| !s.is_empty())).collect()),
        Column::from(Series::new(
            "salary_annual".into(),
            facts.iter().map(|f| f.salary.as_ref().map(|s| s.0)).collect::<Vec<_>>(),
        )),
        strs("salary_currency", facts.iter().map(|f| f.salary.as_ref().map(|s| s.1.as_str())).collect()),
        Column::from(posted),
        strs("url", rows.iter().map(|p| p.url).collect()),
        strs("content_hash", rows.iter().map(|p| Some(p.content_hash)).collect()),
        Column::from(Series::new(
            "repost_key".into(),
            rows.iter().map(|p| crate::dedup::repost_key(p.company, p.title, p.content_hash)).collect::<Vec<_>>(),
        )),
    ];
    DataFrame::new(n, cols)
}

/// Writes an index frame atomically to `dest` (hidden temp file in the same directory, then
/// rename; the directory is created when missing), its keyword counts in the footer ([`counts`]).
/// Every index write goes through here.
pub fn write_atomic(dest: &Path, df: &mut DataFrame) -> Result<(), IndexError> {
    let footer = counts::footer_entry(df).map_err(|source| IndexError::Parquet { path: dest.to_path_buf(), source })?;
    static BEFORE: AtomicUsize = AtomicUsize::new(0);
    static AFTER: AtomicUsize = AtomicUsize::new(0);
    pause_point("JOBTREND_INDEX_PAUSE_BEFORE", &BEFORE);
    crate::store::write_parquet_atomic_with(df, dest, ".idx-", COMPRESSION, vec![footer])?;
    pause_point("JOBTREND_INDEX_PAUSE_AFTER", &AFTER);
    Ok(())
}

/// Test knobs: `JOBTREND_INDEX_PAUSE_AFTER=N` stops (blocks forever) after the N-th index part this
/// process writes, `JOBTREND_INDEX_PAUSE_BEFORE=N` just before it (in an ingest: its postings part
/// is written, its index part is not), so the kill tests can kill at a known point without timing
/// guesses. Every later index part blocks too; an ingest's parallel month writers may still write
/// further postings parts meanwhile.
fn pause_point(var: &str, count: &AtomicUsize) {
    let Some(n) = std::env::var(var).ok().and_then(|v| v.parse::<usize>().ok()) else {
        return;
    };
    if count.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1 >= n {
        loop {
            std::thread::park();
        }
    }
}

/// The `taxonomy.json` of an index directory.
#[derive(Debug, Serialize)]
struct TaxonomyNote<'a> {
    fingerprint: &'a str,
    index_version: u32,
    builtin: bool,
    keywords: Vec<&'a str>,
}

/// Writes `fp=<fp>/taxonomy.json` (and `index/CURRENT` for the built-in taxonomy) if missing.
fn describe(data: &Path, fp: &str, tax: &Taxonomy) -> Result<(), IndexError> {
    let dir = fp_dir(data, fp);
    let note_path = dir.join("taxonomy.json");
    let builtin = Taxonomy::builtin().is_ok_and(|b| b.fingerprint() == tax.fingerprint());
    if !note_path.exists() {
        let note = TaxonomyNote {
            fingerprint: fp,
            index_version: INDEX_VERSION,
            builtin,
            keywords: tax.keywords().iter().map(|k| k.id.as_str()).collect(),
        };
        let text = serde_json::to_string_pretty(&note).unwrap_or_default() + "\n";
        write_text_atomic(&note_path, &text)?;
    }
    let current = data.join("index").join("CURRENT");
    if builtin && fs::read_to_string(&current).map(|s| s.trim() != fp).unwrap_or(true) {
        write_text_atomic(&current, &format!("{fp}\n"))?;
    }
    Ok(())
}

fn write_text_atomic(dest: &Path, text: &str) -> Result<(), IndexError> {
    let dir = dest.parent().unwrap_or(Path::new("."));
    let mut tmp = crate::fsutil::temp_file_in_new_dir(dir, ".idx-", ".tmp").map_err(io_err(dir))?;
    tmp.write_all(text.as_bytes()).map_err(io_err(dest))?;
    crate::fsutil::persist_atomic(tmp, dest).map_err(|source| IndexError::Io { path: dest.to_path_buf(), source })?;
    Ok(())
}

/// Removes `.idx-*.tmp` files killed runs left under `<data>/index` (the caller holds the lock).
pub fn remove_temp_files(data: &Path) {
    fn walk(dir: &Path, depth: usize) {
        let Ok(rd) = fs::read_dir(dir) else { return };
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let path = e.path();
            if path.is_dir() && depth < 3 {
                walk(&path, depth + 1);
            } else if name.starts_with(".idx-") && name.ends_with(".tmp") {
                tracing::info!("removing unfinished index file {}", path.display());
                let _ = fs::remove_file(&path);
            }
        }
    }
    walk(&data.join("index"), 0);
}

/// The writer side: what ingest calls after each postings part it writes.
pub struct PartIndexer {
    data: PathBuf,
    fp: String,
    tax: Taxonomy,
    matcher: Matcher,
    /// Facts of the postings this run has indexed (reposts are matched once).
    cache: FactsCache,
    /// `taxonomy.json` (and `CURRENT`) written: once per run, not per part (it parses the
    /// built-in taxonomy to compare).
    described: std::sync::atomic::AtomicBool,
}

impl PartIndexer {
    pub fn new(data: &Path, tax: Taxonomy) -> Result<Self, IndexError> {
        let matcher = Matcher::new(&tax).map_err(|e| IndexError::Matcher(e.to_string()))?;
        Ok(PartIndexer {
            data: data.to_path_buf(),
            fp: fingerprint(&tax),
            tax,
            matcher,
            cache: FactsCache::new(),
            described: Default::default(),
        })
    }

    /// Matches the postings of one written part and writes its index file.
    pub fn index_part(&self, part: &Path, rows: &[Posting]) -> Result<(), IndexError> {
        let Some(dest) = index_path(&self.data, &self.fp, part) else { return Ok(()) };
        let views: Vec<PostingView> = rows.iter().map(PostingView::from).collect();
        let mut df = index_frame(&self.tax, &self.matcher, &views, Some(&self.cache))
            .map_err(|source| IndexError::Parquet { path: dest.clone(), source })?;
        write_atomic(&dest, &mut df)?;
        use std::sync::atomic::Ordering;
        if !self.described.load(Ordering::Relaxed) {
            describe(&self.data, &self.fp, &self.tax)?;
            self.described.store(true, Ordering::Relaxed);
        }
        Ok(())
    }
}

impl crate::store::PartHook for PartIndexer {
    fn part_written(&self, part: &Path, rows: &[Posting]) -> Result<(), String> {
        self.index_part(part, rows).map_err(|e| e.to_string())
    }

    /// Matches the posting into the facts cache: on the parse worker that just made its text.
    /// On the saved HN pages (2026-12-03, README "Stop 28") this lowered an ingest's wall time in
    /// interleaved rounds (median 1.18 s against 1.25 s, lower in 7 of 8) and its peak memory; its
    /// user CPU did not fall.
    fn prepare(&self, posting: &Posting) {
        self.cache.prepare(&self.matcher, &PostingView::from(posting));
    }
}

/// A store hook that writes the index of each part the store writes, under `tax`. Also removes
/// index temp files killed runs left (the caller holds the store's lock).
pub fn part_hook(data: &Path, tax: Taxonomy) -> Result<Arc<dyn crate::store::PartHook>, IndexError> {
    remove_temp_files(data);
    Ok(Arc::new(PartIndexer::new(data, tax)?))
}

/// Where an index part's rows are.
#[derive(Debug, Clone)]
pub enum PartData {
    File(PathBuf),
    /// Matched in memory (the data directory is not writable).
    Memory(DataFrame),
}

/// One index part, with the postings part it describes.
#[derive(Debug, Clone)]
pub struct IndexPart {
    pub month: String,
    pub postings: PathBuf,
    pub data: PartData,
}

/// A part that could not be used, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartProblem {
    pub path: PathBuf,
    pub reason: String,
}

impl std::fmt::Display for PartProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.reason)
    }
}

/// The index of a dataset under one taxonomy, ready to read.
#[derive(Debug, Default)]
pub struct IndexSet {
    pub fp: String,
    pub parts: Vec<IndexPart>,
    /// Parts matched by this call (stale or new).
    pub matched: usize,
    /// Postings parts that could not be read (skipped).
    pub problems: Vec<PartProblem>,
}

/// Makes sure every postings part with a month in `months` (inclusive bounds) has an index file
/// under the taxonomy's fingerprint, matching only those that do not. Damaged postings parts are
/// reported in [`IndexSet::problems`] and skipped.
pub fn ensure_index(
    data: &Path,
    tax: &Taxonomy,
    since: Option<&str>,
    until: Option<&str>,
) -> Result<IndexSet, IndexError> {
    let fp = fingerprint(tax);
    let parts = crate::store::part_files(data)?;
    let indexed = index_files(&fp_dir(data, &fp));
    let mut set = IndexSet { fp: fp.clone(), ..Default::default() };
    let mut matcher: Option<Matcher> = None;
    let mut writable = true;
    let mut described = false;
    let selected = |m: &str| !(since.is_some_and(|s| m < s) || until.is_some_and(|u| m > u));
    let parts: Vec<(PathBuf, String, PathBuf)> = parts
        .into_iter()
        .filter_map(|part| {
            let month = month_of_part(&part).filter(|m| selected(m))?;
            let dest = index_path(data, &fp, &part)?;
            Some((part, month, dest))
        })
        .collect();
    // The index holds what analysis needs, but a postings part cut short (or overwritten) is
    // damage the answer must not hide: skipped and named, as when it has to be matched. Checked
    // on all cores (an open and two 4-byte reads per part; 1,000 parts on a 10x copy).
    // Per part: `None` when it has no index part yet, else whether its postings part is whole.
    let checked: Vec<Option<Result<(), String>>> =
        parts.par_iter().map(|(part, _, dest)| indexed.contains(dest).then(|| complete_parquet(part))).collect();
    for ((part, month, dest), check) in parts.into_iter().zip(checked) {
        if let Some(check) = check {
            match check {
                Ok(()) => set.parts.push(IndexPart { month, postings: part, data: PartData::File(dest) }),
                Err(reason) => set.problems.push(PartProblem { path: part, reason }),
            }
            continue;
        }
        if matcher.is_none() {
            matcher = Some(Matcher::new(tax).map_err(|e| IndexError::Matcher(e.to_string()))?);
        }
        let m = matcher.as_ref().expect("set above");
        let mut df = match match_part(&part, tax, m) {
            Ok(df) => df,
            Err(reason) => {
                set.problems.push(PartProblem { path: part, reason });
                continue;
            }
        };
        set.matched += 1;
        if writable {
            let written = write_atomic(&dest, &mut df);
            match written.and_then(|()| if described { Ok(()) } else { describe(data, &fp, tax) }) {
                Ok(()) => {
                    described = true;
                    set.parts.push(IndexPart { month, postings: part, data: PartData::File(dest) });
                    continue;
                }
                Err(e) => {
                    tracing::warn!("cannot write the match index ({e}); matching in memory for this command");
                    writable = false;
                }
            }
        }
        set.parts.push(IndexPart { month, postings: part, data: PartData::Memory(df) });
    }
    tracing::info!("index fp={fp}: {} parts, {} matched now", set.parts.len(), set.matched);
    Ok(set)
}

/// The index parts under an `fp=` directory (`month=*/*.parquet`, hidden names skipped): one
/// listing per month instead of a `stat` per postings part.
fn index_files(fp_dir: &Path) -> std::collections::HashSet<PathBuf> {
    let months = fs::read_dir(fp_dir).into_iter().flatten().flatten().filter(|m| m.path().is_dir());
    months
        .filter_map(|m| fs::read_dir(m.path()).ok())
        .flat_map(|files| files.flatten())
        .filter(|f| {
            let name = f.file_name();
            let name = name.to_string_lossy();
            name.ends_with(".parquet") && !name.starts_with('.')
        })
        .map(|f| f.path())
        .collect()
}

/// A cheap check that a file is a whole Parquet file: it starts and ends with the magic `PAR1`
/// (8 bytes read; a truncated or overwritten part fails it). `verify` checks the rest.
pub fn complete_parquet(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::FileExt;
    let f = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let (mut head, mut tail) = ([0u8; 4], [0u8; 4]);
    let len = f.metadata().map_err(|e| e.to_string())?.len();
    let ok = len >= 12
        && f.read_exact_at(&mut head, 0).is_ok()
        && f.read_exact_at(&mut tail, len - 4).is_ok()
        && &head == b"PAR1"
        && &tail == b"PAR1";
    if ok {
        Ok(())
    } else {
        Err(format!("not a complete Parquet file ({len} bytes, no PAR1 magic at both ends: truncated?)"))
    }
}

/// Reads one postings part's text and matches it; the error is the reason.
pub fn match_part(part: &Path, tax: &Taxonomy, matcher: &Matcher) -> Result<DataFrame, String> {
    let df = read_parquet(
        part,
        &[
            "id",
            "source",
            "title",
            "company",
            "text",
            "posted_at",
            "url",
            "content_hash",
            "salary_min",
            "salary_max",
            "salary_currency",
            "salary_period",
        ],
    )?;
    let e = |x: PolarsError| x.to_string();
    let s = |name: &str| df.column(name).and_then(|c| c.str().cloned()).map_err(e);
    let (id, source, title, text, url, hash) =
        (s("id")?, s("source")?, s("title")?, s("text")?, s("url")?, s("content_hash")?);
    let company = s("company")?;
    let (scur, sper) = (s("salary_currency")?, s("salary_period")?);
    let f = |name: &str| df.column(name).and_then(|c| c.f64().cloned()).map_err(e);
    let (smin, smax) = (f("salary_min")?, f("salary_max")?);
    let posted = df.column("posted_at").and_then(|c| c.cast(&DataType::Int64)).map_err(e)?;
    let posted = posted.i64().map_err(e)?;
    let stated: Vec<Option<Salary>> = (0..df.height())
        .map(|i| match (smin.get(i), smax.get(i), scur.get(i), sper.get(i)) {
            (Some(min), Some(max), Some(c), Some(p)) => {
                Some(Salary { min, max, currency: c.to_string(), period: p.to_string() })
            }
            _ => None,
        })
        .collect();
    let views: Vec<PostingView> = (0..df.height())
        .map(|i| PostingView {
            id: id.get(i).unwrap_or(""),
            source: source.get(i).unwrap_or(""),
            title: title.get(i),
            company: company.get(i),
            text: text.get(i).unwrap_or(""),
            stated: stated[i].as_ref(),
            posted_at_ms: posted.get(i),
            url: url.get(i),
            content_hash: hash.get(i).unwrap_or(""),
        })
        .collect();
    index_frame(tax, matcher, &views, None).map_err(e)
}

/// Files up to this size are read into memory in one `read`; larger ones are memory-mapped.
const READ_WHOLE_BYTES: u64 = 16 << 20;

/// Reads some columns of one Parquet file; the error is the reason (the caller names the file).
///
/// A small file (every index part of an uncompacted dataset) is read whole into memory and
/// decoded from there: Polars would otherwise read its footer with seeks and reads, then map the
/// file (`mmap`, a process-wide lock on mapped files, `munmap`), which on 1,000 parts cost more
/// than decoding them. On a rayon worker the file is decoded on that thread
/// ([`crate::store::parquet_reader`] says why).
pub fn read_parquet(path: &Path, columns: &[&str]) -> Result<DataFrame, String> {
    let file = fs::File::open(path).map_err(|e| e.to_string())?;
    let columns = Some(columns.iter().map(|c| c.to_string()).collect());
    let len = file.metadata().map_err(|e| e.to_string())?.len();
    if len > READ_WHOLE_BYTES {
        return crate::store::parquet_reader(file).with_columns(columns).finish().map_err(|e| e.to_string());
    }
    let mut bytes = Vec::with_capacity(len as usize);
    std::io::Read::read_to_end(&mut &file, &mut bytes).map_err(|e| e.to_string())?;
    crate::store::parquet_reader(std::io::Cursor::new(bytes)).with_columns(columns).finish().map_err(|e| e.to_string())
}

/// Index directories present: (fp, bytes, builtin-or-current marker), for `stats`.
pub fn list_fps(data: &Path) -> Vec<(String, u64)> {
    let Ok(rd) = fs::read_dir(data.join("index")) else { return Vec::new() };
    let mut out: Vec<(String, u64)> = rd
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let fp = name.strip_prefix("fp=")?.to_string();
            Some((fp, dir_size(&e.path())))
        })
        .collect();
    out.sort();
    out
}

fn dir_size(dir: &Path) -> u64 {
    let Ok(rd) = fs::read_dir(dir) else { return 0 };
    rd.flatten()
        .map(|e| {
            let p = e.path();
            if p.is_dir() { dir_size(&p) } else { e.metadata().map(|m| m.len()).unwrap_or(0) }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_mirror_the_postings() {
        let part = Path::new("/d/postings/month=2024-03/part-x.parquet");
        assert_eq!(
            index_path(Path::new("/d"), "00ff", part).unwrap(),
            Path::new("/d/index/fp=00ff/month=2024-03/part-x.parquet")
        );
        assert_eq!(month_of_part(part).as_deref(), Some("2024-03"));
    }

    #[test]
    fn fingerprint_follows_the_taxonomy() {
        let tax = Taxonomy::builtin().unwrap();
        let fp = fingerprint(&tax);
        assert_eq!(fp.len(), 16);
        assert_eq!(fp, fingerprint(&Taxonomy::builtin().unwrap()));
    }

    #[test]
    fn frame_has_the_documented_columns() {
        let tax = Taxonomy::builtin().unwrap();
        let m = Matcher::new(&tax).unwrap();
        let mut p = Posting::new(
            "hn:1",
            "hn",
            "Acme | Senior Backend Engineer | Remote\nWe use Rust and PostgreSQL. $150k-$180k",
        );
        p.url = Some("https://example.com/1".into());
        let p = p.finish(chrono::Utc::now());
        let df = index_frame(&tax, &m, &[PostingView::from(&p)], None).unwrap();
        let names: Vec<&str> = df.get_column_names().iter().map(|s| s.as_str()).collect();
        assert_eq!(
            names,
            [
                "id",
                "source",
                "keywords",
                "roles",
                "seniority",
                "salary_annual",
                "salary_currency",
                "posted_at",
                "url",
                "content_hash",
                "repost_key"
            ]
        );
        let f = facts(&m, &PostingView::from(&p));
        assert!(f.keywords.iter().any(|&k| tax.keywords()[k].id == "postgresql"));
        assert_eq!(f.seniority, "senior");
        assert!(f.salary.is_some());
    }

    #[test]
    fn the_facts_cache_keeps_two_generations_and_moves_older_hits_forward() {
        let f = |seniority: &'static str| Arc::new(Facts { keywords: vec![], roles: vec![], seniority, salary: None });
        let mut g = Generations { max: 2, ..Default::default() };
        g.insert(1, f("a"));
        g.insert(2, f("b"));
        // The newer generation is full: it becomes the older one.
        g.insert(3, f("c"));
        assert_eq!((g.newer.len(), g.older.len()), (1, 2));
        // A hit in the older generation moves the entry forward, so it outlives the next roll.
        assert_eq!(g.get(1), Some(f("a")));
        assert_eq!((g.newer.len(), g.older.len()), (2, 1));
        g.insert(4, f("d"));
        assert_eq!(g.get(1), Some(f("a")));
        assert_eq!(g.get(2), None, "dropped with the older generation");
        assert!(g.newer.len() + g.older.len() <= 2 * g.max);
        // `touch` tells whether a key is held and moves an older one forward, as `get` does.
        assert_eq!((g.newer.len(), g.older.len()), (2, 1));
        assert!(g.touch(3) && !g.touch(2));
        assert_eq!((g.newer.len(), g.older.len()), (1, 2));
        assert!(g.newer.contains_key(&3));
        // Keys with equal XORed halves share a hash and stay apart.
        let (k1, k2) = ((5u128 << 64) | 6, (6u128 << 64) | 5);
        g.insert(k1, f("x"));
        g.insert(k2, f("y"));
        assert_eq!((g.get(k1), g.get(k2)), (Some(f("x")), Some(f("y"))));
    }

    #[test]
    fn prepared_facts_are_what_matching_gives() {
        let tax = Taxonomy::builtin().unwrap();
        let m = Matcher::new(&tax).unwrap();
        let cache = FactsCache::with_generation(1);
        let p =
            Posting::new("hn:1", "hn", "Acme | Senior Engineer\nWe use Go and Kafka. $150k").finish(chrono::Utc::now());
        let v = PostingView::from(&p);
        cache.prepare(&m, &v);
        assert_eq!(cache.len(), 1);
        cache.prepare(&m, &v);
        assert_eq!(cache.len(), 1, "prepared once");
        assert_eq!(*cache.facts_of_all(&m, std::slice::from_ref(&v))[0], facts(&m, &v));
    }

    #[test]
    fn the_facts_cache_gives_what_matching_gives_and_keys_on_every_input() {
        let tax = Taxonomy::builtin().unwrap();
        let m = Matcher::new(&tax).unwrap();
        let text = "Acme | Senior Backend Engineer | Remote\nWe use Rust and PostgreSQL. $150k-$180k";
        let mk = |id: &str, source: &str, title: Option<&str>, stated: Option<Salary>| {
            let mut p = Posting::new(id, source, text);
            p.title = title.map(String::from);
            p.salary = stated;
            p.finish(chrono::Utc::now())
        };
        let eur = Salary { min: 60_000.0, max: 70_000.0, currency: "EUR".into(), period: "year".into() };
        let rows = [
            mk("hn:1", "hn", None, None),
            mk("hn:2", "hn", None, None),
            mk("gh:1", "greenhouse", Some("Data Engineer"), None),
            mk("gh:2", "greenhouse", Some("Data Engineer"), Some(eur.clone())),
            mk("gh:3", "greenhouse", Some("Data Engineer"), Some(Salary { period: "month".into(), ..eur })),
            mk("lv:1", "lever", Some("Data Engineer"), None),
        ];
        let cache = FactsCache::new();
        for p in &rows {
            let v = PostingView::from(p);
            assert_eq!(*cache.facts_of_all(&m, std::slice::from_ref(&v))[0], facts(&m, &v), "{}", p.id);
        }
        // hn:2 repeats hn:1's inputs; every other posting differs in the title, the source or the salary.
        assert_eq!(cache.len(), 5);
        let views: Vec<PostingView> = rows.iter().map(PostingView::from).collect();
        assert_eq!(index_frame(&tax, &m, &views, Some(&cache)).unwrap(), index_frame(&tax, &m, &views, None).unwrap());
        // All at once into an empty cache: every row's facts, in order, and each distinct input kept once.
        let fresh = FactsCache::new();
        let all: Vec<Facts> = fresh.facts_of_all(&m, &views).iter().map(|f| (**f).clone()).collect();
        assert_eq!(all, views.iter().map(|v| facts(&m, v)).collect::<Vec<_>>());
        assert_eq!(fresh.len(), 5);
        assert_eq!(index_frame(&tax, &m, &views, Some(&fresh)).unwrap(), index_frame(&tax, &m, &views, None).unwrap());
    }
}
