//! Ashby Job Postings API: `GET /posting-api/job-board/<board>?includeCompensation=true`.
//!
//! In: Ashby job board names (the `<board>` of `jobs.ashbyhq.com/<board>`). Out: one posting per
//! listed job, id `ashby:<board>:<id>`. One request returns the whole board (`{"apiVersion",
//! "jobs": [...]}`, no paging). Fields used: `id` (else the last segment of `jobUrl`), `title`,
//! `location` (plus `Remote` when `isRemote` and the location does not say so), `publishedAt`
//! (`posted_at`), `jobUrl`, `descriptionHtml` (else `descriptionPlain`) for the text,
//! `isListed` (`false`: left out, as the board does not show it) and, for the salary, the
//! `compensation.summaryComponents` entry with `compensationType` `Salary` (`minValue`,
//! `maxValue`, `currencyCode`, `interval` such as `1 YEAR`). The company is the board name.
//! Boards are fetched concurrently ([`super::boards`]); each complete fetch is a lifecycle
//! snapshot.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;

use super::boards::{BoardFetch, fetch_boards};
use super::{Http, NetError, SourceOutcome, id_string, is_slug, parse_time};
use crate::posting::{DateSource, Posting, Salary};

pub const BASE: &str = "https://api.ashbyhq.com";

#[derive(Debug, Deserialize)]
struct Board {
    jobs: Vec<Job>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Job {
    #[serde(default)]
    id: Option<Value>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    location: Option<String>,
    #[serde(default)]
    is_remote: Option<bool>,
    #[serde(default)]
    is_listed: Option<bool>,
    #[serde(default)]
    published_at: Option<String>,
    #[serde(default)]
    job_url: Option<String>,
    #[serde(default)]
    description_html: Option<String>,
    #[serde(default)]
    description_plain: Option<String>,
    #[serde(default)]
    compensation: Option<Compensation>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Compensation {
    #[serde(default)]
    summary_components: Vec<Component>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Component {
    #[serde(default)]
    compensation_type: Option<String>,
    #[serde(default)]
    interval: Option<String>,
    #[serde(default)]
    currency_code: Option<String>,
    #[serde(default)]
    min_value: Option<f64>,
    #[serde(default)]
    max_value: Option<f64>,
}

/// `1 YEAR` → `year`, `1 HOUR` → `hour`, ...
fn period(interval: &str) -> Option<&'static str> {
    let i = interval.to_ascii_lowercase();
    ["year", "month", "week", "day", "hour"].into_iter().find(|p| i.contains(p))
}

fn salary(c: Compensation) -> Option<Salary> {
    c.summary_components.into_iter().find_map(|s| {
        if !s.compensation_type.as_deref().is_some_and(|t| t.eq_ignore_ascii_case("salary")) {
            return None;
        }
        let (min, max) = (s.min_value.or(s.max_value)?, s.max_value.or(s.min_value)?);
        Some(Salary {
            min,
            max,
            currency: s.currency_code.filter(|c| !c.is_empty())?,
            period: period(s.interval.as_deref().unwrap_or("1 YEAR"))?.to_string(),
        })
    })
}

fn to_posting(board: &str, j: Job) -> Option<Posting> {
    if j.is_listed == Some(false) {
        return None;
    }
    let from_url = || j.job_url.as_deref().and_then(|u| u.trim_end_matches('/').rsplit('/').next()).map(str::to_string);
    let id = j.id.as_ref().and_then(id_string).or_else(from_url).filter(|s| !s.is_empty())?;
    let text = match j.description_html.as_deref().filter(|h| !h.trim().is_empty()) {
        Some(h) => crate::text::html_to_text(h),
        None => j.description_plain.clone().unwrap_or_default(),
    };
    let mut p = Posting::new(format!("ashby:{board}:{id}"), "ashby", text);
    p.title = j.title;
    p.url = j.job_url;
    p.company = Some(board.to_string());
    p.location = match (j.location, j.is_remote) {
        (Some(l), Some(true)) if !l.to_ascii_lowercase().contains("remote") => Some(format!("{l} (Remote)")),
        (None, Some(true)) => Some("Remote".into()),
        (l, _) => l,
    };
    p.posted_at = j.published_at.as_deref().and_then(parse_time);
    p.date_source = Some(DateSource::Posting);
    if p.posted_at.is_none() {
        p.month = crate::posting::month_of(chrono::Utc::now().date_naive());
        p.date_source = Some(DateSource::Ingest);
    }
    p.salary = j.compensation.and_then(salary);
    Some(p)
}

pub(crate) async fn fetch(http: &Arc<Http>, boards: &[String], out: &mut SourceOutcome) {
    fetch_boards(http, boards, out, |http, board| async move { fetch_board(&http, &board).await }).await
}

async fn fetch_board(http: &Http, board: &str) -> BoardFetch {
    let url = http.url(BASE, &format!("/posting-api/job-board/{board}?includeCompensation=true"));
    if !is_slug(board) {
        return BoardFetch::failed(NetError::BadInput { url, reason: format!("invalid Ashby board name {board:?}") });
    }
    let got = http.get_json::<Board>(&url, true).await;
    BoardFetch::single(got.map(|b| b.map(|b| b.jobs.into_iter().filter_map(|j| to_posting(board, j)).collect())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_and_ids_from_urls() {
        assert_eq!(period("1 YEAR"), Some("year"));
        assert_eq!(period("1 HOUR"), Some("hour"));
        let j: Job = serde_json::from_str(
            r#"{"title":"T","jobUrl":"https://jobs.ashbyhq.com/acme/5d1f/","descriptionPlain":"Rust","isRemote":true}"#,
        )
        .unwrap();
        let p = to_posting("acme", j).unwrap();
        assert_eq!(
            (p.id.as_str(), p.text.as_str(), p.location.as_deref()),
            ("ashby:acme:5d1f", "Rust", Some("Remote"))
        );
        let j: Job = serde_json::from_str(r#"{"id":"x","isListed":false}"#).unwrap();
        assert!(to_posting("acme", j).is_none());
    }
}
