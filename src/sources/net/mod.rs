//! Public feeds and APIs over HTTP: HN (Algolia + Firebase), Greenhouse, Lever, Ashby,
//! SmartRecruiters, Workable, RemoteOK, Remotive, Arbeitnow and RSS/Atom/JSON Feed.
//!
//! In: a [`NetSource`] (what to fetch), [`NetOptions`] (where, how politely) and the
//! conditional-request [`State`] of earlier runs. Out: a [`SourceOutcome`] with unfinished
//! [`Posting`]s (the caller calls [`Posting::finish`] and stores them), per-URL errors, and a
//! [`StateUpdate`] the caller commits with [`State::commit`] only after the postings are stored,
//! so a crash between the two re-fetches instead of losing data. ATS board sources also return
//! the [`BoardListing`] of every board fetched completely, for [`crate::lifecycle`] snapshots
//! (many boards at once: [`boards`]).
//!
//! Shared behaviour, implemented once in [`Http`]:
//! - a User-Agent naming the tool and a contact URL; gzip; a per-request timeout;
//! - per host: at most [`NetOptions::per_host_concurrency`] requests in flight and a rate limit of
//!   [`NetOptions::requests_per_second`] (governor, keyed by host);
//! - retries with exponential backoff and jitter (backon) on timeouts, connection errors, 429
//!   and 5xx, honouring `Retry-After` (seconds or HTTP date, capped by
//!   [`NetOptions::retry_after_cap`]); then a clear error naming the URL;
//! - the body is streamed and abandoned past [`NetOptions::max_bytes`] (after decompression);
//! - conditional requests: the ETag / Last-Modified of every URL whose body was parsed are
//!   remembered in `<data>/state/net.json` and sent back as `If-None-Match` / `If-Modified-Since`;
//! - a host that cannot be reached is reported once and not asked again in the same fetch.
//!
//! robots.txt: every source here is a documented JSON API or a feed meant for machines, not an
//! HTML page, so robots.txt does not apply and is not fetched (no `texting_robots` dependency).
//!
//! `--base-url` replaces the scheme, host, port (and path prefix) of every request of a source,
//! including pagination links the server returns, so a mirror or a test server is never bypassed.

pub mod arbeitnow;
pub mod ashby;
pub mod boards;
pub mod feed;
pub mod greenhouse;
pub mod hn_api;
mod http;
pub mod lever;
pub mod remoteok;
pub mod remotive;
mod reset;
pub mod smartrecruiters;
pub mod stream;
pub mod workable;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use reqwest::header::{ETAG, HeaderMap, LAST_MODIFIED};
use serde::{Deserialize, Serialize};

use crate::lifecycle::BoardListing;
use crate::posting::Posting;
use http::{Attempt, error_chain};
pub(crate) use http::{Got, Http};
pub use reset::StateReset;

/// The User-Agent every request sends.
pub fn default_user_agent() -> String {
    format!("jobtrend/{} (+https://github.com/jobtrend/jobtrend)", env!("CARGO_PKG_VERSION"))
}

/// Errors of the network sources. Every variant that concerns a request names its URL.
#[derive(Debug, thiserror::Error)]
pub enum NetError {
    #[error("could not reach {host}: {reason} (fetching {url})")]
    Unreachable { url: String, host: String, reason: String },
    #[error("{url}: timed out after {secs:.1}s")]
    Timeout { url: String, secs: f64 },
    #[error("{url}: HTTP {status}{}", if *attempts > 1 { format!(" (after {attempts} attempts)") } else { String::new() })]
    Status { url: String, status: u16, attempts: usize },
    #[error("{url}: response larger than {max} bytes, abandoned")]
    TooLarge { url: String, max: u64 },
    #[error("{url}: could not read the response: {reason}")]
    Body { url: String, reason: String },
    #[error("{url}: invalid {what}: {reason}")]
    Parse { url: String, what: &'static str, reason: String },
    #[error("{url}: {reason}")]
    BadInput { url: String, reason: String },
    #[error("{}: {source}", path.display())]
    StateIo { path: PathBuf, source: std::io::Error },
    #[error("{}: invalid state file: {reason}", path.display())]
    StateParse { path: PathBuf, reason: String },
    #[error("boards file {}: {source}", path.display())]
    BoardsFile { path: PathBuf, source: std::io::Error },
}

impl NetError {
    fn retryable(&self) -> bool {
        match self {
            // A name that does not resolve (offline, or a typo in base_url) will not resolve a
            // second later: fail at once instead of backing off for ~10 s.
            NetError::Unreachable { reason, .. } => !reason.contains("dns error"),
            NetError::Timeout { .. } | NetError::Body { .. } => true,
            NetError::Status { status, .. } => *status == 429 || *status >= 500,
            _ => false,
        }
    }
}

/// What to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetSource {
    /// "Ask HN: Who is hiring?" threads, months `since..=until` (`YYYY-MM`); `refresh` re-fetches
    /// months already complete.
    Hn {
        since: Option<String>,
        until: Option<String>,
        refresh: bool,
    },
    Greenhouse {
        boards: Vec<String>,
    },
    Lever {
        companies: Vec<String>,
    },
    RemoteOk,
    Remotive,
    Arbeitnow,
    Feed {
        urls: Vec<String>,
    },
    /// Ashby job boards, by board (organisation) name.
    Ashby {
        boards: Vec<String>,
    },
    /// SmartRecruiters companies, by company identifier.
    SmartRecruiters {
        companies: Vec<String>,
    },
    /// Workable accounts, by account slug.
    Workable {
        accounts: Vec<String>,
    },
}

impl NetSource {
    /// The `source` name of its postings.
    pub fn name(&self) -> &'static str {
        match self {
            NetSource::Hn { .. } => "hn",
            NetSource::Greenhouse { .. } => "greenhouse",
            NetSource::Lever { .. } => "lever",
            NetSource::RemoteOk => "remoteok",
            NetSource::Remotive => "remotive",
            NetSource::Arbeitnow => "arbeitnow",
            NetSource::Feed { .. } => "feed",
            NetSource::Ashby { .. } => "ashby",
            NetSource::SmartRecruiters { .. } => "smartrecruiters",
            NetSource::Workable { .. } => "workable",
        }
    }

    /// The boards of an ATS board source (`None` for the other sources).
    pub fn boards_mut(&mut self) -> Option<&mut Vec<String>> {
        match self {
            NetSource::Greenhouse { boards } | NetSource::Ashby { boards } => Some(boards),
            NetSource::Lever { companies } | NetSource::SmartRecruiters { companies } => Some(companies),
            NetSource::Workable { accounts } => Some(accounts),
            _ => None,
        }
    }

    /// True for the ATS board sources, whose complete fetches are lifecycle snapshots.
    pub fn has_boards(&self) -> bool {
        matches!(
            self,
            NetSource::Greenhouse { .. }
                | NetSource::Lever { .. }
                | NetSource::Ashby { .. }
                | NetSource::SmartRecruiters { .. }
                | NetSource::Workable { .. }
        )
    }
}

/// How to fetch.
#[derive(Debug, Clone)]
pub struct NetOptions {
    /// Replaces the real service's origin (and is prefixed to every path), e.g. a mirror or
    /// `http://127.0.0.1:PORT` in tests.
    pub base_url: Option<String>,
    /// Per request (connect + headers + body).
    pub timeout: Duration,
    /// Largest body accepted, after decompression.
    pub max_bytes: u64,
    /// Retries after the first attempt.
    pub retries: usize,
    pub user_agent: String,
    /// Requests in flight per host.
    pub per_host_concurrency: usize,
    /// Requests per second per host (bursts of the same size).
    pub requests_per_second: u32,
    /// First backoff delay (doubled each retry, with jitter).
    pub backoff_min: Duration,
    /// Longest backoff delay.
    pub backoff_max: Duration,
    /// Longest `Retry-After` honoured.
    pub retry_after_cap: Duration,
    /// Show a progress bar (only when stderr is a terminal).
    pub progress: bool,
    /// Posting ids already stored: sources that need a request per posting for its text
    /// (SmartRecruiters) skip those requests for these ids (the board listing still names them).
    pub known_ids: Arc<HashSet<String>>,
}

impl Default for NetOptions {
    fn default() -> Self {
        NetOptions {
            base_url: None,
            timeout: Duration::from_secs(30),
            max_bytes: 64 << 20,
            retries: 4,
            user_agent: default_user_agent(),
            per_host_concurrency: 4,
            requests_per_second: 4,
            backoff_min: Duration::from_millis(500),
            backoff_max: Duration::from_secs(30),
            retry_after_cap: Duration::from_secs(120),
            progress: false,
            known_ids: Arc::default(),
        }
    }
}

/// What fetching one source gave.
#[derive(Debug, Default)]
pub struct SourceOutcome {
    /// `hn`, `greenhouse`, ...
    pub name: String,
    /// Unfinished postings, distinct ids; the caller calls [`Posting::finish`].
    pub postings: Vec<Posting>,
    /// `URL: reason`, one per failed request (a host that cannot be reached: once).
    pub errors: Vec<String>,
    /// Some host of this source could not be reached at all.
    pub unreachable: bool,
    /// HTTP requests sent (retries included).
    pub requests: u64,
    /// Responses `304 Not Modified`.
    pub not_modified: u64,
    /// Commit with [`State::commit`] after the postings are stored.
    pub pending_state: StateUpdate,
    /// ATS board sources: boards asked for (distinct).
    pub boards: usize,
    /// ATS board sources: the listing of each board fetched completely (no failed request, no
    /// cut-short pagination), in board order; the lifecycle snapshot of this fetch.
    pub listings: Vec<BoardListing>,
}

impl SourceOutcome {
    /// True when every request succeeded.
    pub fn ok(&self) -> bool {
        self.errors.is_empty() && !self.unreachable
    }
}

/// The validators of one URL's last parsed response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validators {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

impl Validators {
    fn from_headers(h: &HeaderMap) -> Option<Validators> {
        let get = |k| h.get(k).and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok()).map(str::to_string);
        let v = Validators { etag: get(ETAG), last_modified: get(LAST_MODIFIED) };
        (v.etag.is_some() || v.last_modified.is_some()).then_some(v)
    }
}

const STATE_FILE: &str = "net.json";
/// Where [`State::load_or_recover`] keeps a state file it could not parse.
const DAMAGED_STATE_FILE: &str = "net.json.damaged";

/// Incremental state of the network sources, kept in `<data>/state/net.json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    /// URL → validators of the last response whose data was stored.
    #[serde(default)]
    pub http: BTreeMap<String, Validators>,
    /// HN thread id → its month, for threads fetched completely after their month was over.
    #[serde(default)]
    pub hn_complete: BTreeMap<String, String>,
}

/// Changes to [`State`] made by one fetch, committed after its postings are stored.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StateUpdate {
    /// URL → new validators (`None`: forget the URL's validators).
    pub http: BTreeMap<String, Option<Validators>>,
    pub hn_complete: BTreeMap<String, String>,
}

impl StateUpdate {
    pub fn is_empty(&self) -> bool {
        self.http.is_empty() && self.hn_complete.is_empty()
    }
    /// Adds another update (later wins).
    pub fn merge(&mut self, other: StateUpdate) {
        self.http.extend(other.http);
        self.hn_complete.extend(other.hn_complete);
    }
}

impl State {
    /// Reads `<dir>/net.json`; an absent file is an empty state.
    pub fn load(dir: &Path) -> Result<State, NetError> {
        let path = dir.join(STATE_FILE);
        match std::fs::read(&path) {
            Ok(b) => serde_json::from_slice(&b).map_err(|e| NetError::StateParse { path, reason: e.to_string() }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State::default()),
            Err(source) => Err(NetError::StateIo { path, source }),
        }
    }

    /// [`State::load`] for a scheduled job, which must go on: when `<dir>/net.json` cannot be
    /// parsed it is moved aside to `net.json.damaged` (kept for inspection, so the next commit does
    /// not overwrite it) and the state is empty; when it cannot be read it is left alone and the state
    /// is empty. An empty state only costs requests: every source is fetched in full once, and the
    /// store keeps one row per id. Returns the state and, when it had to start empty, why.
    pub fn load_or_recover(dir: &Path) -> (State, Option<String>) {
        match State::load(dir) {
            Ok(st) => (st, None),
            Err(e @ NetError::StateParse { .. }) => {
                let (from, to) = (dir.join(STATE_FILE), dir.join(DAMAGED_STATE_FILE));
                let kept = match std::fs::rename(&from, &to) {
                    Ok(()) => format!("moved to {}", to.display()),
                    Err(re) => format!("could not move it aside ({re})"),
                };
                (State::default(), Some(format!("{e}; {kept}; starting with an empty state")))
            }
            Err(e) => (State::default(), Some(format!("{e}; starting with an empty state"))),
        }
    }

    /// Applies `update` and writes `<dir>/net.json` atomically (temp file, fsync, rename).
    pub fn commit(&mut self, dir: &Path, update: StateUpdate) -> Result<(), NetError> {
        if update.is_empty() {
            return Ok(());
        }
        for (url, v) in update.http {
            match v {
                Some(v) => self.http.insert(url, v),
                None => self.http.remove(&url),
            };
        }
        self.hn_complete.extend(update.hn_complete);
        let io = |source| NetError::StateIo { path: dir.to_path_buf(), source };
        std::fs::create_dir_all(dir).map_err(io)?;
        let json = serde_json::to_vec_pretty(self).map_err(|e| io(std::io::Error::other(e)))?;
        crate::fsutil::write_atomic(&dir.join(STATE_FILE), &json).map_err(io)?;
        Ok(())
    }
}

/// Fetches one source. Never panics on bad responses: every failure is an entry of `errors`.
pub async fn fetch(src: &NetSource, opts: &NetOptions, state: &State) -> SourceOutcome {
    let http = Arc::new(Http::new(opts, state).with_progress(src.name()));
    let mut out = SourceOutcome { name: src.name().to_string(), ..Default::default() };
    match src {
        NetSource::Hn { since, until, refresh } => {
            hn_api::fetch(&http, since.as_deref(), until.as_deref(), *refresh, state, &mut out).await
        }
        NetSource::Greenhouse { boards } => greenhouse::fetch(&http, boards, &mut out).await,
        NetSource::Lever { companies } => lever::fetch(&http, companies, &mut out).await,
        NetSource::RemoteOk => remoteok::fetch(&http, &mut out).await,
        NetSource::Remotive => remotive::fetch(&http, &mut out).await,
        NetSource::Arbeitnow => arbeitnow::fetch(&http, &mut out).await,
        NetSource::Feed { urls } => feed::fetch(&http, urls, &mut out).await,
        NetSource::Ashby { boards } => ashby::fetch(&http, boards, &mut out).await,
        NetSource::SmartRecruiters { companies } => smartrecruiters::fetch(&http, companies, &mut out).await,
        NetSource::Workable { accounts } => workable::fetch(&http, accounts, &mut out).await,
    }
    let mut seen = HashSet::new();
    out.postings.retain(|p| seen.insert(p.id.clone()));
    out.requests = http.requests.load(Ordering::Relaxed);
    out.not_modified = http.not_modified.load(Ordering::Relaxed);
    out.pending_state.merge(http.take_update());
    if let Some(pb) = &http.progress {
        pb.finish_with_message(format!("({} not modified), {} postings", out.not_modified, out.postings.len()));
    }
    out
}

/// `Retry-After`: delay seconds or an HTTP date.
pub fn parse_retry_after(v: &str) -> Option<Duration> {
    let v = v.trim();
    if let Ok(s) = v.parse::<u64>() {
        return Some(Duration::from_secs(s));
    }
    let t = DateTime::parse_from_rfc2822(v).ok()?;
    let d = t.with_timezone(&Utc) - Utc::now();
    Some(d.to_std().unwrap_or(Duration::ZERO))
}

/// Parses JSON, tolerating a UTF-8 BOM. Errors name the URL; a cut-off body says so.
pub fn parse_json<T: serde::de::DeserializeOwned>(url: &str, bytes: &[u8]) -> Result<T, NetError> {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    serde_json::from_slice(b).map_err(|e| NetError::Parse {
        url: url.to_string(),
        what: "JSON",
        reason: if e.is_eof() { format!("truncated ({e})") } else { e.to_string() },
    })
}

/// Records an error in the outcome: a host that cannot be reached only once per source.
pub(crate) fn push_error(out: &mut SourceOutcome, e: NetError) {
    if let NetError::Unreachable { host, .. } = &e {
        let prefix = format!("could not reach {host}:");
        if out.unreachable && out.errors.iter().any(|m| m.contains(&prefix)) {
            return;
        }
        out.unreachable = true;
    }
    tracing::debug!("{}: {e}", out.name);
    out.errors.push(e.to_string());
}

/// True for a name safe as one URL path segment (board tokens, Lever sites).
pub(crate) fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 200
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && s != "."
        && s != ".."
}

/// A JSON id that may be a string or a number.
pub(crate) fn id_string(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Seconds (or, past year 5000, milliseconds) since the epoch.
pub(crate) fn epoch(v: i64) -> Option<DateTime<Utc>> {
    let secs = if v > 95_617_584_000 { v / 1000 } else { v };
    Utc.timestamp_opt(secs, 0).single()
}

/// RFC 3339, or a date-time without zone (taken as UTC), or a date.
pub(crate) fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for f in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Some(t.and_utc());
        }
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(s) {
        return Some(t.with_timezone(&Utc));
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)).map(|t| t.and_utc())
}

/// The byte a character stands for when UTF-8 was decoded as Latin-1 or Windows-1252.
fn mojibake_byte(c: char) -> Option<u8> {
    let u = c as u32;
    if (0x80..=0xFF).contains(&u) {
        return Some(u as u8);
    }
    // Windows-1252 0x80..0x9F.
    Some(match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    })
}

/// Repairs UTF-8 mojibake (UTF-8 bytes decoded as Latin-1 or Windows-1252, e.g. `â\u{80}\u{99}`
/// or `â€™` for `’`, `Ã©` for `é`) where it is unambiguous: only a run of characters whose bytes
/// form a complete, valid multi-byte UTF-8 sequence is replaced; a lone `é` or `©` stays.
pub fn repair_mojibake(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(s);
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut changed = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if let Some(lead) = mojibake_byte(c) {
            let need = match lead {
                0xC2..=0xDF => 1,
                0xE0..=0xEF => 2,
                0xF0..=0xF4 => 3,
                _ => 0,
            };
            if need > 0 && i + need < chars.len() {
                let mut buf = [lead, 0, 0, 0];
                let mut ok = true;
                for k in 1..=need {
                    match mojibake_byte(chars[i + k]) {
                        Some(b @ 0x80..=0xBF) => buf[k] = b,
                        _ => {
                            ok = false;
                            break;
                        }
                    }
                }
                if ok && let Ok(dec) = std::str::from_utf8(&buf[..=need]) {
                    out.push_str(dec);
                    changed = true;
                    i += need + 1;
                    continue;
                }
            }
        }
        out.push(c);
        i += 1;
    }
    if changed { Cow::Owned(out) } else { Cow::Borrowed(s) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mojibake_repair_cases() {
        for (input, want) in [
            ("What You\u{e2}\u{80}\u{99}ll Do", "What You\u{2019}ll Do"),
            ("What Youâ€™ll Do", "What You\u{2019}ll Do"),
            ("Remote flexibility \u{e2}\u{80}\u{93} anywhere", "Remote flexibility \u{2013} anywhere"),
            ("Ã©quipe MÃ¼nchen", "équipe München"),
            ("café © 2024, naïve", "café © 2024, naïve"),
            ("plain ascii", "plain ascii"),
            ("Zürich – “quoted”", "Zürich – “quoted”"),
            ("cut \u{e2}\u{80}", "cut \u{e2}\u{80}"),
            ("emoji \u{f0}\u{9f}\u{9a}\u{80}!", "emoji 🚀!"),
        ] {
            assert_eq!(repair_mojibake(input), want, "{input:?}");
        }
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn json_errors_name_the_url() {
        let e = parse_json::<serde_json::Value>("http://x/api", b"{\"a\": [1, 2").unwrap_err().to_string();
        assert!(e.starts_with("http://x/api: invalid JSON: truncated"), "{e}");
        let e = parse_json::<serde_json::Value>("http://x/api", b"<html>").unwrap_err().to_string();
        assert!(e.starts_with("http://x/api: invalid JSON"), "{e}");
        let v: serde_json::Value = parse_json("u", b"\xEF\xBB\xBF{\"a\":1}").unwrap();
        assert_eq!(v["a"], 1);
    }

    #[test]
    fn state_round_trip_is_atomic_and_merges() {
        let dir = tempfile::tempdir().unwrap();
        let sd = dir.path().join("state");
        let mut s = State::load(&sd).unwrap();
        assert_eq!(s, State::default());
        let mut u = StateUpdate::default();
        u.http.insert("http://a/".into(), Some(Validators { etag: Some("\"1\"".into()), last_modified: None }));
        u.hn_complete.insert("2396027".into(), "2011-04".into());
        s.commit(&sd, u).unwrap();
        let back = State::load(&sd).unwrap();
        assert_eq!(back, s);
        assert_eq!(back.http["http://a/"].etag.as_deref(), Some("\"1\""));
        let names: Vec<_> = std::fs::read_dir(&sd).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("net.json")]);
        std::fs::write(sd.join("net.json"), "{\"bogus\": 1}").unwrap();
        assert!(matches!(State::load(&sd), Err(NetError::StateParse { .. })));
    }

    #[test]
    fn times_and_ids() {
        assert_eq!(parse_time("2026-07-26T20:49:11").unwrap().to_rfc3339(), "2026-07-26T20:49:11+00:00");
        assert_eq!(parse_time("2016-01-14T10:55:28-05:00").unwrap().to_rfc3339(), "2016-01-14T15:55:28+00:00");
        assert_eq!(epoch(1_301_664_950).unwrap().to_rfc3339(), "2011-04-01T13:35:50+00:00");
        assert_eq!(epoch(1_301_664_950_000).unwrap().to_rfc3339(), "2011-04-01T13:35:50+00:00");
        assert_eq!(id_string(&serde_json::json!(12)), Some("12".into()));
        assert_eq!(id_string(&serde_json::json!(" a1 ")), Some("a1".into()));
        assert!(is_slug("vaulttec") && !is_slug("../x") && !is_slug("a/b") && !is_slug(""));
    }

    #[test]
    fn rebase_keeps_path_and_query() {
        let o = NetOptions { base_url: Some("http://127.0.0.1:9/mirror/".into()), ..Default::default() };
        let h = Http::new(&o, &State::default());
        assert_eq!(
            h.rebase("https://www.arbeitnow.com/api/job-board-api?page=2").unwrap(),
            "http://127.0.0.1:9/mirror/api/job-board-api?page=2"
        );
        assert_eq!(h.url("https://remoteok.com", "/api"), "http://127.0.0.1:9/mirror/api");
        let h = Http::new(&NetOptions::default(), &State::default());
        assert_eq!(h.rebase("https://x.org/a?b=1").unwrap(), "https://x.org/a?b=1");
    }
}
