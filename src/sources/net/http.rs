//! The shared HTTP client of one fetch ([`Http`]): User-Agent, gzip, timeouts, per-host
//! concurrency and rate limit, retries with backoff honouring `Retry-After`, a body size cap,
//! conditional requests and unreachable-host memory (see the parent module's doc).
//!
//! In: [`NetOptions`] and the conditional-request [`State`]. Out: [`Got`] per GET (or a
//! [`NetError`] naming the URL), request counters and the [`StateUpdate`] to commit.

use std::collections::{HashMap, HashSet};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use backon::{ExponentialBuilder, Retryable};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use reqwest::header::{IF_MODIFIED_SINCE, IF_NONE_MATCH, RETRY_AFTER};
use tokio::sync::Semaphore;

use super::{NetError, NetOptions, State, StateUpdate, Validators, parse_json, parse_retry_after};

/// The result of a GET.
pub(crate) enum Got {
    /// `304 Not Modified` to a conditional request: the data is stored already.
    NotModified,
    /// A body, with the validators to [`Http::remember`] once it is parsed.
    Body { bytes: Vec<u8>, validators: Option<Validators> },
}

/// The shared HTTP client of one fetch (see the module doc).
pub(crate) struct Http {
    pub(super) client: Result<reqwest::Client, String>,
    pub(crate) opts: NetOptions,
    pub(super) limiter: DefaultKeyedRateLimiter<String>,
    pub(super) hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
    pub(super) dead_hosts: Mutex<HashSet<String>>,
    pub(super) known: HashMap<String, Validators>,
    pub(super) update: Mutex<StateUpdate>,
    pub(crate) requests: AtomicU64,
    pub(crate) not_modified: AtomicU64,
    /// A spinner on stderr (terminal only): responses so far.
    pub(super) progress: Option<indicatif::ProgressBar>,
}

pub(super) struct Attempt {
    pub(super) err: NetError,
    pub(super) retry_after: Option<Duration>,
}

impl Http {
    pub(crate) fn new(opts: &NetOptions, state: &State) -> Http {
        let client = reqwest::Client::builder()
            .user_agent(opts.user_agent.clone())
            .timeout(opts.timeout)
            .connect_timeout(opts.timeout.min(Duration::from_secs(10)))
            .gzip(true)
            .build()
            .map_err(|e| e.to_string());
        let rps = NonZeroU32::new(opts.requests_per_second.max(1)).unwrap_or(NonZeroU32::MIN);
        Http {
            client,
            opts: opts.clone(),
            limiter: RateLimiter::keyed(Quota::per_second(rps)),
            hosts: Mutex::new(HashMap::new()),
            dead_hosts: Mutex::new(HashSet::new()),
            known: state.http.clone().into_iter().collect(),
            update: Mutex::new(StateUpdate::default()),
            requests: AtomicU64::new(0),
            not_modified: AtomicU64::new(0),
            progress: None,
        }
    }

    pub(super) fn with_progress(mut self, name: &str) -> Http {
        if self.opts.progress && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            let pb = indicatif::ProgressBar::new_spinner();
            pb.set_style(
                indicatif::ProgressStyle::with_template("{spinner} {prefix}: {pos} responses {msg}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            pb.set_prefix(name.to_string());
            pb.enable_steady_tick(Duration::from_millis(120));
            self.progress = Some(pb);
        }
        self
    }

    /// `path_and_query` on the source's origin: `--base-url` when given, else `default_base`.
    pub(crate) fn url(&self, default_base: &str, path_and_query: &str) -> String {
        let base = self.opts.base_url.as_deref().unwrap_or(default_base);
        format!("{}{}", base.trim_end_matches('/'), path_and_query)
    }

    /// An absolute URL from a server (a pagination link) or the user (a feed URL) moved onto
    /// `--base-url` when one is given: its path and query kept, the origin replaced.
    pub(crate) fn rebase(&self, url: &str) -> Result<String, NetError> {
        let Some(base) = self.opts.base_url.as_deref() else {
            return Ok(url.to_string());
        };
        if url.starts_with('/') {
            return Ok(format!("{}{}", base.trim_end_matches('/'), url));
        }
        let u = reqwest::Url::parse(url)
            .map_err(|e| NetError::BadInput { url: url.to_string(), reason: format!("invalid URL: {e}") })?;
        let mut pq = u.path().to_string();
        if let Some(q) = u.query() {
            pq.push('?');
            pq.push_str(q);
        }
        Ok(format!("{}{}", base.trim_end_matches('/'), pq))
    }

    /// Records validators for `url` (call after its body was parsed successfully).
    pub(crate) fn remember(&self, url: &str, validators: Option<Validators>) {
        let old = self.known.get(url);
        if validators.as_ref() != old
            && let Ok(mut u) = self.update.lock()
        {
            u.http.insert(url.to_string(), validators);
        }
    }

    pub(crate) fn mark_complete(&self, thread_id: u64, month: &str) {
        if let Ok(mut u) = self.update.lock() {
            u.hn_complete.insert(thread_id.to_string(), month.to_string());
        }
    }

    /// The retry schedule of every request: exponential from `backoff_min` to `backoff_max`, with
    /// jitter, at most `retries` retries.
    pub(super) fn backoff(&self) -> ExponentialBuilder {
        ExponentialBuilder::default()
            .with_min_delay(self.opts.backoff_min)
            .with_max_delay(self.opts.backoff_max)
            .with_max_times(self.opts.retries)
            .with_jitter()
    }

    pub(super) fn take_update(&self) -> StateUpdate {
        self.update.lock().map(|mut u| std::mem::take(&mut *u)).unwrap_or_default()
    }

    pub(super) fn semaphore(&self, host: &str) -> Arc<Semaphore> {
        let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
        hosts
            .entry(host.to_string())
            .or_insert_with(|| Arc::new(Semaphore::new(self.opts.per_host_concurrency.max(1))))
            .clone()
    }

    /// GET with retries. `conditional`: send the validators remembered for this URL.
    pub(crate) async fn get(&self, url: &str, conditional: bool) -> Result<Got, NetError> {
        let parsed = reqwest::Url::parse(url)
            .map_err(|e| NetError::BadInput { url: url.to_string(), reason: format!("invalid URL: {e}") })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(NetError::BadInput { url: url.to_string(), reason: "only http and https URLs".into() });
        }
        let host = match (parsed.host_str(), parsed.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_string(),
            (None, _) => return Err(NetError::BadInput { url: url.to_string(), reason: "no host".into() }),
        };
        if self.dead_hosts.lock().map(|d| d.contains(&host)).unwrap_or(false) {
            return Err(NetError::Unreachable {
                url: url.to_string(),
                host,
                reason: "unreachable earlier in this run".into(),
            });
        }
        let validators = if conditional { self.known.get(url).cloned() } else { None };
        let attempts = AtomicUsize::new(0);
        let backoff = self.backoff();
        let cap = self.opts.retry_after_cap;
        let res = (|| async {
            attempts.fetch_add(1, Ordering::Relaxed);
            self.attempt(url, &host, validators.as_ref()).await
        })
        .retry(backoff)
        .when(|a: &Attempt| a.err.retryable())
        .adjust(|a: &Attempt, dur| dur.map(|d| a.retry_after.map_or(d, |r| r.min(cap))))
        .notify(|a: &Attempt, dur| tracing::info!("{}; retrying in {:.1}s", a.err, dur.as_secs_f64()))
        .await;
        match res {
            Ok(got) => Ok(got),
            Err(a) => {
                let n = attempts.load(Ordering::Relaxed);
                Err(match a.err {
                    NetError::Status { url, status, .. } => NetError::Status { url, status, attempts: n },
                    e @ NetError::Unreachable { .. } => {
                        if let Ok(mut d) = self.dead_hosts.lock() {
                            d.insert(host);
                        }
                        e
                    }
                    e => e,
                })
            }
        }
    }

    async fn attempt(&self, url: &str, host: &str, validators: Option<&Validators>) -> Result<Got, Attempt> {
        let fail = |err| Attempt { err, retry_after: None };
        let client =
            self.client.as_ref().map_err(|e| fail(NetError::BadInput { url: url.into(), reason: e.clone() }))?;
        let sem = self.semaphore(host);
        let _permit =
            sem.acquire().await.map_err(|e| fail(NetError::Body { url: url.into(), reason: e.to_string() }))?;
        self.limiter.until_key_ready(&host.to_string()).await;
        self.requests.fetch_add(1, Ordering::Relaxed);
        let mut req = client.get(url);
        if let Some(v) = validators {
            if let Some(e) = &v.etag {
                req = req.header(IF_NONE_MATCH, e);
            }
            if let Some(m) = &v.last_modified {
                req = req.header(IF_MODIFIED_SINCE, m);
            }
        }
        let mut resp = req.send().await.map_err(|e| fail(self.classify(url, host, e)))?;
        let status = resp.status();
        if let Some(pb) = &self.progress {
            pb.inc(1);
        }
        if status == reqwest::StatusCode::NOT_MODIFIED {
            self.not_modified.fetch_add(1, Ordering::Relaxed);
            return Ok(Got::NotModified);
        }
        if !status.is_success() {
            let retry_after = resp.headers().get(RETRY_AFTER).and_then(|v| v.to_str().ok()).and_then(parse_retry_after);
            return Err(Attempt {
                err: NetError::Status { url: url.into(), status: status.as_u16(), attempts: 1 },
                retry_after,
            });
        }
        let max = self.opts.max_bytes;
        if resp.content_length().is_some_and(|n| n > max) {
            return Err(fail(NetError::TooLarge { url: url.into(), max }));
        }
        let new_validators = Validators::from_headers(resp.headers());
        let mut bytes = Vec::new();
        loop {
            match resp.chunk().await {
                Ok(Some(c)) => {
                    if bytes.len() as u64 + c.len() as u64 > max {
                        return Err(fail(NetError::TooLarge { url: url.into(), max }));
                    }
                    bytes.extend_from_slice(&c);
                }
                Ok(None) => break,
                Err(e) => return Err(fail(self.classify(url, host, e))),
            }
        }
        Ok(Got::Body { bytes, validators: new_validators })
    }

    pub(super) fn classify(&self, url: &str, host: &str, e: reqwest::Error) -> NetError {
        if e.is_timeout() {
            NetError::Timeout { url: url.into(), secs: self.opts.timeout.as_secs_f64() }
        } else if e.is_connect() {
            NetError::Unreachable { url: url.into(), host: host.into(), reason: error_chain(&e) }
        } else {
            NetError::Body { url: url.into(), reason: error_chain(&e) }
        }
    }

    /// GET and parse JSON. `Ok(None)` on 304. Validators are remembered once the JSON parsed.
    pub(crate) async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        url: &str,
        conditional: bool,
    ) -> Result<Option<T>, NetError> {
        match self.get(url, conditional).await? {
            Got::NotModified => Ok(None),
            Got::Body { bytes, validators } => {
                let v = parse_json(url, &bytes)?;
                if conditional {
                    self.remember(url, validators);
                }
                Ok(Some(v))
            }
        }
    }
}

/// The causes of an error, joined with ": " (reqwest's own top message, which repeats the URL,
/// is left out when there is a cause).
pub(super) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur = e.source();
    if cur.is_none() {
        return e.to_string();
    }
    while let Some(s) = cur {
        let m = s.to_string();
        if !parts.iter().any(|p| p.contains(&m)) {
            parts.push(m);
        }
        cur = s.source();
    }
    parts.join(": ")
}
