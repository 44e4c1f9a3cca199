//! A large download read as a blocking stream (WARC and WDC files of a gigabyte or more).
//!
//! In: a URL and [`NetOptions`]. Out: a [`StreamBody`] implementing [`std::io::Read`], fed by a
//! thread that runs the request on its own Tokio runtime. The request itself goes through the
//! shared client behaviour ([`Http`]: User-Agent, per-host rate limit and concurrency, retries
//! with backoff on timeouts, connection errors, 429 and 5xx until the response headers arrive);
//! the body then streams in chunks through a bounded channel (at most [`CHANNEL_CHUNKS`] chunks
//! in flight), so memory stays bounded whatever the file's size. `NetOptions::timeout` is the
//! longest wait for the next chunk, not for the whole body, and `max_bytes` does not apply. A
//! body cut off mid-way is a read error naming the URL and how many bytes arrived: what was
//! read before stays read.

use std::io::{self, Read};
use std::sync::mpsc::{Receiver, sync_channel};
use std::time::Duration;

use backon::Retryable;

use super::{Attempt, Http, NetError, NetOptions, State};

/// Chunks buffered between the download thread and the reader.
pub const CHANNEL_CHUNKS: usize = 64;

/// The body of a GET, read as it arrives.
pub struct StreamBody {
    url: String,
    rx: Receiver<Result<Vec<u8>, String>>,
    chunk: Vec<u8>,
    at: usize,
    received: u64,
    done: bool,
}

/// Starts a GET of `url` and waits for its response headers (with retries). `Err` when no
/// successful response could be had.
pub fn open_stream(url: &str, opts: &NetOptions) -> Result<StreamBody, NetError> {
    let (head_tx, head_rx) = sync_channel::<Result<(), NetError>>(1);
    let (tx, rx) = sync_channel::<Result<Vec<u8>, String>>(CHANNEL_CHUNKS);
    let owned_url = url.to_string();
    let opts = opts.clone();
    let spawned = std::thread::Builder::new().name("download".into()).spawn(move || {
        let rt = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
            Ok(rt) => rt,
            Err(e) => {
                let _ = head_tx.send(Err(NetError::BadInput { url: owned_url, reason: e.to_string() }));
                return;
            }
        };
        rt.block_on(async move {
            let http = Http::streaming(&opts);
            let mut resp = match http.open(&owned_url).await {
                Ok(r) => r,
                Err(e) => {
                    let _ = head_tx.send(Err(e));
                    return;
                }
            };
            if head_tx.send(Ok(())).is_err() {
                return;
            }
            loop {
                let next = tokio::time::timeout(opts.timeout, resp.chunk()).await;
                let msg = match next {
                    Ok(Ok(Some(c))) => Ok(c.to_vec()),
                    Ok(Ok(None)) => break,
                    Ok(Err(e)) => Err(super::error_chain(&e)),
                    Err(_) => Err(format!("no data for {:.1}s", opts.timeout.as_secs_f64())),
                };
                let failed = msg.is_err();
                // The reader went away (stopped or done): stop downloading.
                if tx.send(msg).is_err() || failed {
                    break;
                }
            }
        });
    });
    if let Err(e) = spawned {
        return Err(NetError::BadInput { url: url.to_string(), reason: format!("could not start a thread: {e}") });
    }
    match head_rx.recv() {
        Ok(Ok(())) => Ok(StreamBody { url: url.to_string(), rx, chunk: Vec::new(), at: 0, received: 0, done: false }),
        Ok(Err(e)) => Err(e),
        Err(_) => Err(NetError::Body { url: url.to_string(), reason: "the download thread stopped".into() }),
    }
}

impl Read for StreamBody {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at == self.chunk.len() {
            if self.done {
                return Ok(0);
            }
            match self.rx.recv() {
                Ok(Ok(c)) => {
                    self.received += c.len() as u64;
                    self.chunk = c;
                    self.at = 0;
                }
                Ok(Err(reason)) => {
                    self.done = true;
                    return Err(io::Error::other(format!(
                        "{}: download cut off after {} bytes: {reason}",
                        self.url, self.received
                    )));
                }
                Err(_) => {
                    self.done = true;
                    return Ok(0);
                }
            }
        }
        let n = buf.len().min(self.chunk.len() - self.at);
        buf[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

impl Http {
    /// A client for long downloads: `timeout` bounds connecting and each wait for data, not the
    /// whole body.
    fn streaming(opts: &NetOptions) -> Http {
        let mut http = Http::new(opts, &State::default());
        http.client = reqwest::Client::builder()
            .user_agent(opts.user_agent.clone())
            .read_timeout(opts.timeout)
            .connect_timeout(opts.timeout.min(Duration::from_secs(10)))
            .build()
            .map_err(|e| e.to_string());
        http
    }

    /// GET with retries until the response headers of a successful response.
    async fn open(&self, url: &str) -> Result<reqwest::Response, NetError> {
        let bad = |reason: String| NetError::BadInput { url: url.to_string(), reason };
        let parsed = reqwest::Url::parse(url).map_err(|e| bad(format!("invalid URL: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(bad("only http and https URLs".into()));
        }
        let host = match (parsed.host_str(), parsed.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_string(),
            (None, _) => return Err(bad("no host".into())),
        };
        let backoff = self.backoff();
        let cap = self.opts.retry_after_cap;
        let attempts = std::sync::atomic::AtomicUsize::new(0);
        let res = (|| async {
            attempts.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            self.attempt_head(url, &host).await
        })
        .retry(backoff)
        .when(|a: &Attempt| a.err.retryable())
        .adjust(|a: &Attempt, dur| dur.map(|d| a.retry_after.map_or(d, |r| r.min(cap))))
        .notify(|a: &Attempt, dur| tracing::info!("{}; retrying in {:.1}s", a.err, dur.as_secs_f64()))
        .await;
        res.map_err(|a| match a.err {
            NetError::Status { url, status, .. } => {
                NetError::Status { url, status, attempts: attempts.load(std::sync::atomic::Ordering::Relaxed) }
            }
            e => e,
        })
    }

    async fn attempt_head(&self, url: &str, host: &str) -> Result<reqwest::Response, Attempt> {
        let fail = |err| Attempt { err, retry_after: None };
        let client =
            self.client.as_ref().map_err(|e| fail(NetError::BadInput { url: url.into(), reason: e.clone() }))?;
        self.limiter.until_key_ready(&host.to_string()).await;
        self.requests.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let resp = client.get(url).send().await.map_err(|e| fail(self.classify(url, host, e)))?;
        let status = resp.status();
        if !status.is_success() {
            let retry_after = resp
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(super::parse_retry_after);
            return Err(Attempt {
                err: NetError::Status { url: url.into(), status: status.as_u16(), attempts: 1 },
                retry_after,
            });
        }
        Ok(resp)
    }
}
