//! "Ask HN: Who is hiring?" threads through the Algolia HN Search API, with the official
//! Firebase API as a fallback for reading a thread.
//!
//! In: a month range. Out: one posting per top-level comment with text, id `hn:<item id>` (the
//! same ids as saved HTML pages, so a month ingested both ways is stored once), month from the
//! thread title, `posted_at` from the comment's `created_at_i` (Firebase: `time`).
//!
//! 1. Threads: `GET /api/v1/search_by_date?query=hiring&tags=story,(author__whoishiring,author_whoishiring)`
//!    (`numericFilters=created_at_i>=…` with `--since`), every page; stories whose title is
//!    "Ask HN: Who is hiring? (Month YYYY)" in the range are kept.
//! 2. Each thread: `GET /api/v1/items/<id>` (the whole tree); when that fails, Firebase
//!    `GET /v0/item/<id>.json` and `GET /v0/item/<kid>.json` for each top-level kid.
//! 3. A thread fetched without error once its month is over is *complete*: recorded in the
//!    state and not fetched again unless `refresh`.
//!
//! With `--base-url`, both APIs are asked on that one origin (their paths do not overlap).

use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use serde_json::Value;

use super::{Http, NetError, SourceOutcome, State, epoch, push_error};
use crate::posting::{DateSource, Posting};

pub const ALGOLIA: &str = "https://hn.algolia.com";
pub const FIREBASE: &str = "https://hacker-news.firebaseio.com";
/// Pages of search results read at most (the whoishiring account has ~600 stories).
const MAX_SEARCH_PAGES: u64 = 50;

#[derive(Debug, Deserialize)]
struct SearchPage {
    #[serde(default)]
    hits: Vec<Hit>,
    #[serde(default, rename = "nbPages")]
    nb_pages: u64,
}

#[derive(Debug, Deserialize)]
struct Hit {
    #[serde(default)]
    title: Option<String>,
    #[serde(rename = "objectID")]
    object_id: Value,
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

/// Finds the threads in `since..=until`.
async fn threads(http: &Http, since: Option<&str>, until: Option<&str>) -> Result<Vec<Thread>, NetError> {
    let mut out = Vec::new();
    let mut page = 0u64;
    let filter = since
        .and_then(month_start_ts)
        .map(|t| format!("&numericFilters=created_at_i%3E%3D{}", t - 3 * 86_400))
        .unwrap_or_default();
    loop {
        let url = http.url(
            ALGOLIA,
            &format!(
                "/api/v1/search_by_date?query=hiring&tags=story%2C%28author__whoishiring%2Cauthor_whoishiring%29&hitsPerPage=100&page={page}{filter}"
            ),
        );
        let Some(sp): Option<SearchPage> = http.get_json(&url, false).await? else { break };
        for h in &sp.hits {
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
    out.sort_by(|a, b| a.month.cmp(&b.month).then(a.id.cmp(&b.id)));
    Ok(out)
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

pub(crate) async fn fetch(
    http: &Arc<Http>,
    since: Option<&str>,
    until: Option<&str>,
    refresh: bool,
    state: &State,
    out: &mut SourceOutcome,
) {
    let threads = match threads(http, since, until).await {
        Ok(t) => t,
        Err(e) => return push_error(out, e),
    };
    let todo: Vec<Thread> =
        threads.into_iter().filter(|t| refresh || !state.hn_complete.contains_key(&t.id.to_string())).collect();
    tracing::info!("hn: {} threads to fetch", todo.len());
    let mut set = tokio::task::JoinSet::new();
    for t in todo {
        let http = http.clone();
        set.spawn(async move {
            let r = thread_postings(http, t.clone()).await;
            (t, r)
        });
    }
    let mut results = Vec::new();
    while let Some(r) = set.join_next().await {
        match r {
            Ok(x) => results.push(x),
            Err(e) => out.errors.push(format!("hn: task failed: {e}")),
        }
    }
    results.sort_by(|a, b| a.0.month.cmp(&b.0.month));
    for (t, r) in results {
        match r {
            Ok(posts) => {
                if month_over(&t.month) {
                    http.mark_complete(t.id, &t.month);
                }
                out.postings.extend(posts);
            }
            Err(errs) => {
                for e in errs {
                    push_error(out, e);
                }
            }
        }
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
