//! "Ask HN: Who is hiring?" threads through the Algolia HN Search API, with the official
//! Firebase API as a fallback for reading a thread.
//!
//! In: a month range. Out: one posting per top-level comment with text, id `hn:<item id>` (the
//! same ids as saved HTML pages, so a month ingested both ways is stored once), month from the
//! thread title, `posted_at` from the comment's `created_at_i` (Firebase: `time`).
//!
//! 1. Threads: `GET /api/v1/search_by_date?query=hiring&tags=story,(author__whoishiring,author_whoishiring)`
//!    (`numericFilters=created_at_i>=…` from the first month wanted), every page; stories whose
//!    title is "Ask HN: Who is hiring? (Month YYYY)" in the range are kept. Algolia serves at most
//!    its `paginationLimitedTo` hits (1000) of one query: when the pages end short of `nbHits`, the
//!    search goes on below the oldest story seen (`created_at_i<…`), so the whole series from
//!    2011-04 is listed however long it grows. Without `since`, the first month wanted is the
//!    first one from [`FIRST_MONTH`] not yet complete in the state (the backfill).
//! 2. Each thread: `GET /api/v1/items/<id>` (the whole tree); when that fails, Firebase
//!    `GET /v0/item/<id>.json` and `GET /v0/item/<kid>.json` for each top-level kid.
//! 3. A thread fetched without error once its month is over is *complete*: recorded in the
//!    state and not fetched again unless `refresh`.
//!
//! [`HnFetch`] hands out the threads one at a time, oldest first, so a caller can store each
//! month as soon as it is fetched (the resumable backfill, [`crate::backfill`]).
//!
//! With `--base-url`, both APIs are asked on that one origin (their paths do not overlap).

use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use serde_json::Value;

use super::{Http, NetError, NetOptions, SourceOutcome, State, StateUpdate, epoch, push_error};
use crate::posting::{DateSource, Posting};

pub const ALGOLIA: &str = "https://hn.algolia.com";
pub const FIREBASE: &str = "https://hacker-news.firebaseio.com";
/// The first "Ask HN: Who is hiring?" thread (April 2011).
pub const FIRST_MONTH: &str = "2011-04";
/// Pages of search results read at most per query (the whoishiring account has ~600 stories).
const MAX_SEARCH_PAGES: u64 = 50;
/// Queries read at most (each one continues below the oldest story of the one before).
const MAX_SEARCH_WINDOWS: usize = 50;
/// Threads fetched ahead of the one being handed out.
const THREADS_IN_FLIGHT: usize = 4;

#[derive(Debug, Deserialize)]
struct SearchPage {
    #[serde(default)]
    hits: Vec<Hit>,
    #[serde(default, rename = "nbPages")]
    nb_pages: u64,
    #[serde(default, rename = "nbHits")]
    nb_hits: u64,
}

#[derive(Debug, Deserialize)]
struct Hit {
    #[serde(default)]
    title: Option<String>,
    #[serde(rename = "objectID")]
    object_id: Value,
    #[serde(default)]
    created_at_i: Option<i64>,
}

/// An Algolia item (the tree of `/api/v1/items/<id>`).
#[derive(Debug, Deserialize)]
struct Item {
    id: Value,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    created_at_i: Option<i64>,
    #[serde(default)]
    children: Vec<Item>,
}

/// A Firebase item (`/v0/item/<id>.json`).
#[derive(Debug, Deserialize)]
struct FbItem {
    id: u64,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    time: Option<i64>,
    #[serde(default)]
    kids: Vec<u64>,
    #[serde(default)]
    deleted: bool,
    #[serde(default)]
    dead: bool,
}

/// A thread: id and month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thread {
    pub id: u64,
    pub month: String,
}

/// The month (`YYYY-MM`) of an "Ask HN: Who is hiring? (April 2011)" title; other threads
/// ("Who wants to be hired?", "Freelancer?") give `None`.
pub fn thread_month(title: &str) -> Option<String> {
    let t = title.trim();
    let lower = t.to_ascii_lowercase();
    let rest = lower.strip_prefix("ask hn:")?.trim_start();
    let rest = rest.strip_prefix("who is hiring?")?.trim_start();
    let inner = rest.strip_prefix('(')?.split(')').next()?;
    let mut words = inner.split_whitespace();
    let (m, y) = (words.next()?, words.next()?);
    let month = match m.get(..3)? {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    let year: i32 = y.parse().ok().filter(|y| (2000..=2200).contains(y))?;
    Some(format!("{year:04}-{month:02}"))
}

/// True once the month is over (now is in a later month).
fn month_over(month: &str) -> bool {
    let now = Utc::now();
    crate::posting::month_of(now.date_naive()).as_str() > month
}

fn month_start_ts(month: &str) -> Option<i64> {
    let y = month.get(..4)?.parse().ok()?;
    let m = month.get(5..7)?.parse().ok()?;
    Some(NaiveDate::from_ymd_opt(y, m, 1)?.and_hms_opt(0, 0, 0)?.and_utc().timestamp())
}

fn posting(id: u64, month: &str, html: &str, time: Option<i64>) -> Posting {
    let mut p = Posting::new(format!("hn:{id}"), "hn", crate::text::html_to_text(html));
    p.url = Some(format!("https://news.ycombinator.com/item?id={id}"));
    p.month = month.to_string();
    p.posted_at = time.and_then(epoch);
    p.date_source = Some(if p.posted_at.is_some() { DateSource::Posting } else { DateSource::Thread });
    p
}

/// Postings of an Algolia item tree: top-level comments with text.
fn from_algolia(tree: &Item, month: &str) -> Vec<Posting> {
    tree.children
        .iter()
        .filter(|c| c.kind.as_deref().is_none_or(|k| k == "comment"))
        .filter_map(|c| {
            let id = super::id_string(&c.id)?.parse::<u64>().ok()?;
            let text = c.text.as_deref().filter(|t| !t.trim().is_empty())?;
            Some(posting(id, month, text, c.created_at_i))
        })
        .filter(|p| !p.text.trim().is_empty())
        .collect()
}

/// Finds the threads in `since..=until`, oldest first.
async fn threads(http: &Http, since: Option<&str>, until: Option<&str>) -> Result<Vec<Thread>, NetError> {
    let lower = since.and_then(month_start_ts).map(|t| t - 3 * 86_400);
    let mut out = Vec::new();
    let mut upper: Option<i64> = None;
    for _ in 0..MAX_SEARCH_WINDOWS {
        let w = search_window(http, lower, upper, since, until, &mut out).await?;
        // Pages that end short of the hits: go on below the oldest story seen (if that moves).
        match w.oldest {
            Some(o) if w.seen < w.nb_hits && upper.is_none_or(|u| o + 1 < u) => upper = Some(o + 1),
            _ => break,
        }
    }
    out.sort_by(|a, b| a.month.cmp(&b.month).then(a.id.cmp(&b.id)));
    Ok(out)
}

/// What one query of [`search_window`] saw.
struct Window {
    seen: u64,
    nb_hits: u64,
    oldest: Option<i64>,
}

/// Every page of one query (`lower <= created_at_i < upper`), adding the threads in range to `out`.
async fn search_window(
    http: &Http,
    lower: Option<i64>,
    upper: Option<i64>,
    since: Option<&str>,
    until: Option<&str>,
    out: &mut Vec<Thread>,
) -> Result<Window, NetError> {
    let filters: Vec<String> = lower
        .map(|t| format!("created_at_i%3E%3D{t}"))
        .into_iter()
        .chain(upper.map(|t| format!("created_at_i%3C{t}")))
        .collect();
    let filter = if filters.is_empty() { String::new() } else { format!("&numericFilters={}", filters.join("%2C")) };
    let mut w = Window { seen: 0, nb_hits: 0, oldest: None };
    let mut page = 0u64;
    loop {
        let url = http.url(
            ALGOLIA,
            &format!(
                "/api/v1/search_by_date?query=hiring&tags=story%2C%28author__whoishiring%2Cauthor_whoishiring%29&hitsPerPage=100&page={page}{filter}"
            ),
        );
        let Some(sp): Option<SearchPage> = http.get_json(&url, false).await? else { break };
        w.nb_hits = w.nb_hits.max(sp.nb_hits);
        w.seen += sp.hits.len() as u64;
        for h in &sp.hits {
            if let Some(t) = h.created_at_i {
                w.oldest = Some(w.oldest.map_or(t, |o| o.min(t)));
            }
            let (Some(title), Some(id)) = (h.title.as_deref(), super::id_string(&h.object_id)) else { continue };
            let (Some(month), Ok(id)) = (thread_month(title), id.parse::<u64>()) else { continue };
            if since.is_some_and(|s| month.as_str() < s) || until.is_some_and(|u| month.as_str() > u) {
                continue;
            }
            if !out.iter().any(|t: &Thread| t.id == id) {
                out.push(Thread { id, month });
            }
        }
        page += 1;
        if sp.hits.is_empty() || page >= sp.nb_pages || page >= MAX_SEARCH_PAGES {
            break;
        }
    }
    Ok(w)
}

/// The first month from [`FIRST_MONTH`] through the current one that is not complete in `state`
/// (the current month never is).
pub fn first_incomplete_month(state: &State) -> String {
    use crate::posting::{month_index, month_name};
    let done: std::collections::HashSet<&str> = state.hn_complete.values().map(String::as_str).collect();
    let now = crate::posting::month_of(Utc::now().date_naive());
    let (Some(first), Some(last)) = (month_index(FIRST_MONTH), month_index(&now)) else { return now };
    (first..=last).map(month_name).find(|m| !done.contains(m.as_str())).unwrap_or(now)
}

/// One thread through Algolia, else Firebase.
async fn thread_postings(http: Arc<Http>, t: Thread) -> Result<Vec<Posting>, Vec<NetError>> {
    let url = http.url(ALGOLIA, &format!("/api/v1/items/{}", t.id));
    let algolia_err = match http.get_json::<Item>(&url, false).await {
        Ok(Some(tree)) => {
            let month = tree.title.as_deref().and_then(thread_month).unwrap_or(t.month.clone());
            return Ok(from_algolia(&tree, &month));
        }
        Ok(None) => return Ok(Vec::new()),
        Err(e) => e,
    };
    tracing::info!("{algolia_err}; trying the Firebase API");
    match firebase_thread(&http, &t).await {
        Ok(p) => Ok(p),
        Err(e) => Err(vec![algolia_err, e]),
    }
}

async fn firebase_thread(http: &Arc<Http>, t: &Thread) -> Result<Vec<Posting>, NetError> {
    let url = http.url(FIREBASE, &format!("/v0/item/{}.json", t.id));
    let Some(story) = http.get_json::<Option<FbItem>>(&url, false).await?.flatten() else {
        return Err(NetError::BadInput { url, reason: "no such item".into() });
    };
    let month = story.title.as_deref().and_then(thread_month).unwrap_or(t.month.clone());
    let mut set = tokio::task::JoinSet::new();
    for kid in story.kids {
        let http = http.clone();
        set.spawn(async move {
            let url = http.url(FIREBASE, &format!("/v0/item/{kid}.json"));
            http.get_json::<Option<FbItem>>(&url, false).await.map(|o| o.flatten())
        });
    }
    let mut out = Vec::new();
    let mut first_err = None;
    while let Some(r) = set.join_next().await {
        match r {
            Ok(Ok(Some(c))) if !c.deleted && !c.dead => {
                if let Some(text) = c.text.as_deref().filter(|t| !t.trim().is_empty()) {
                    out.push(posting(c.id, &month, text, c.time));
                }
            }
            Ok(Ok(_)) => {}
            Ok(Err(e)) => {
                first_err.get_or_insert(e);
            }
            Err(e) => {
                first_err.get_or_insert(NetError::BadInput { url: url.clone(), reason: e.to_string() });
            }
        }
    }
    if let Some(e) = first_err {
        return Err(e);
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// One thread fetched.
#[derive(Debug)]
pub struct ThreadResult {
    pub thread: Thread,
    /// Unfinished postings (none when the fetch failed).
    pub postings: Vec<Posting>,
    /// Why the thread could not be read (Algolia's error, then Firebase's).
    pub errors: Vec<NetError>,
    /// Read without error after its month was over: it need not be fetched again.
    pub complete: bool,
}

impl ThreadResult {
    /// The state change to commit once the postings are stored (empty unless complete).
    pub fn state_update(&self) -> StateUpdate {
        let mut u = StateUpdate::default();
        if self.complete {
            u.hn_complete.insert(self.thread.id.to_string(), self.thread.month.clone());
        }
        u
    }
}

/// What [`HnFetch::plan`] found.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Threads to fetch, oldest first.
    pub todo: Vec<Thread>,
    /// Threads in range skipped because they are complete in the state.
    pub complete: usize,
    /// The first month searched.
    pub since: Option<String>,
}

/// The HN threads of a month range, listed, then fetched one at a time, oldest first.
pub struct HnFetch {
    http: Arc<Http>,
}

impl HnFetch {
    pub fn new(opts: &NetOptions, state: &State) -> HnFetch {
        HnFetch { http: Arc::new(Http::new(opts, state)) }
    }

    /// The threads to fetch: those in `since..=until` (no `since`: from the first month not yet
    /// complete, see [`first_incomplete_month`]) that are not complete in `state`, unless `refresh`.
    pub async fn plan(
        &self,
        since: Option<&str>,
        until: Option<&str>,
        refresh: bool,
        state: &State,
    ) -> Result<Plan, NetError> {
        let since = match since {
            Some(s) => Some(s.to_string()),
            None if refresh => None,
            None => Some(first_incomplete_month(state)),
        };
        let all = threads(&self.http, since.as_deref(), until).await?;
        let n = all.len();
        let todo: Vec<Thread> =
            all.into_iter().filter(|t| refresh || !state.hn_complete.contains_key(&t.id.to_string())).collect();
        tracing::info!("hn: {} threads to fetch, {} complete already", todo.len(), n - todo.len());
        Ok(Plan { complete: n - todo.len(), todo, since })
    }

    /// Fetches `todo` on the current runtime, a few threads ahead, and sends each result in the
    /// order of `todo`. Stops when the receiver is dropped.
    pub fn spawn(&self, todo: Vec<Thread>) -> (tokio::sync::mpsc::Receiver<ThreadResult>, tokio::task::JoinHandle<()>) {
        let (tx, rx) = tokio::sync::mpsc::channel(1);
        let http = self.http.clone();
        let handle = tokio::spawn(async move { fetch_in_order(http, todo, tx).await });
        (rx, handle)
    }

    /// HTTP requests sent so far (retries included).
    pub fn requests(&self) -> u64 {
        self.http.requests.load(std::sync::atomic::Ordering::Relaxed)
    }
}

async fn fetch_thread(http: Arc<Http>, t: Thread) -> ThreadResult {
    match thread_postings(http, t.clone()).await {
        Ok(postings) => ThreadResult { complete: month_over(&t.month), thread: t, postings, errors: Vec::new() },
        Err(errors) => ThreadResult { thread: t, postings: Vec::new(), errors, complete: false },
    }
}

async fn fetch_in_order(http: Arc<Http>, todo: Vec<Thread>, tx: tokio::sync::mpsc::Sender<ThreadResult>) {
    let spawn = |t: Thread| (t.clone(), tokio::spawn(fetch_thread(http.clone(), t)));
    let mut rest = todo.into_iter();
    let mut pending: std::collections::VecDeque<_> = rest.by_ref().take(THREADS_IN_FLIGHT).map(spawn).collect();
    while let Some((t, h)) = pending.pop_front() {
        let r = h.await.unwrap_or_else(|e| ThreadResult {
            errors: vec![NetError::BadInput {
                url: format!("hn thread {}", t.id),
                reason: format!("task failed: {e}"),
            }],
            thread: t,
            postings: Vec::new(),
            complete: false,
        });
        pending.extend(rest.next().map(spawn));
        if tx.send(r).await.is_err() {
            break;
        }
    }
    for (_, h) in pending {
        h.abort();
    }
}

pub(crate) async fn fetch(
    http: &Arc<Http>,
    since: Option<&str>,
    until: Option<&str>,
    refresh: bool,
    state: &State,
    out: &mut SourceOutcome,
) {
    let f = HnFetch { http: http.clone() };
    let plan = match f.plan(since, until, refresh, state).await {
        Ok(p) => p,
        Err(e) => return push_error(out, e),
    };
    let (mut rx, handle) = f.spawn(plan.todo);
    while let Some(r) = rx.recv().await {
        if r.complete {
            http.mark_complete(r.thread.id, &r.thread.month);
        }
        out.postings.extend(r.postings);
        for e in r.errors {
            push_error(out, e);
        }
    }
    if let Err(e) = handle.await {
        out.errors.push(format!("hn: task failed: {e}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thread_titles() {
        for (t, want) in [
            ("Ask HN: Who is Hiring? (April 2011)", Some("2011-04")),
            ("Ask HN: Who is hiring? (September 2023)", Some("2023-09")),
            ("Ask HN: Who is hiring? (Sept 2023)", Some("2023-09")),
            ("Ask HN: Who wants to be hired? (September 2023)", None),
            ("Ask HN: Freelancer? Seeking freelancer? (September 2023)", None),
            ("Ask HN: Who is hiring?", None),
        ] {
            assert_eq!(thread_month(t).as_deref(), want, "{t}");
        }
    }

    #[test]
    fn the_backfill_starts_at_the_first_month_not_complete() {
        let mut st = State::default();
        assert_eq!(first_incomplete_month(&st), FIRST_MONTH);
        st.hn_complete.insert("1".into(), "2011-04".into());
        st.hn_complete.insert("2".into(), "2011-05".into());
        st.hn_complete.insert("3".into(), "2011-07".into());
        assert_eq!(first_incomplete_month(&st), "2011-06");
        let now = crate::posting::month_of(Utc::now().date_naive());
        let (a, b) = (crate::posting::month_index(FIRST_MONTH).unwrap(), crate::posting::month_index(&now).unwrap());
        st.hn_complete = (a..b).map(|i| (i.to_string(), crate::posting::month_name(i))).collect();
        assert_eq!(first_incomplete_month(&st), now, "every month over is complete: the current one");
    }

    #[test]
    fn algolia_tree_keeps_top_level_comments_with_text() {
        let tree: Item = serde_json::from_str(
            r#"{"id": 1, "title": "Ask HN: Who is hiring? (May 2020)", "type": "story", "children": [
                {"id": 2, "type": "comment", "text": "<p>Acme | Rust</p>", "created_at_i": 1588400000,
                 "children": [{"id": 3, "type": "comment", "text": "reply"}]},
                {"id": 4, "type": "comment", "text": null, "author": null, "children": []},
                {"id": 5, "type": "comment", "text": "  ", "children": []}]}"#,
        )
        .unwrap();
        let p = from_algolia(&tree, "2020-05");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].id, "hn:2");
        assert_eq!(p[0].text, "Acme | Rust");
        assert_eq!(p[0].month, "2020-05");
        assert_eq!(p[0].posted_at.unwrap().to_rfc3339(), "2020-05-02T06:13:20+00:00");
    }
}
