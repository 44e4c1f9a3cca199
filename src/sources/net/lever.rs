//! Lever Postings API: `GET /v0/postings/<company>?mode=json`.
//!
//! In: Lever site names. Out: one posting per job, id `lever:<company>:<id>`, title from `text`,
//! location from `categories.location`, `posted_at` from `createdAt` (milliseconds), text from
//! `description` + each of `lists` (heading and items) + `additional` (the `*Plain` fields when
//! the HTML ones are absent), salary from `salaryRange {currency, interval, min, max}`. Sites are
//! fetched concurrently ([`super::boards`]); each complete fetch is a lifecycle snapshot.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;

use super::boards::{BoardFetch, fetch_boards};
use super::{Http, NetError, SourceOutcome, epoch, id_string, is_slug};
use crate::posting::{DateSource, Posting, Salary};

pub const BASE: &str = "https://api.lever.co";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Job {
    id: Value,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    categories: Option<Categories>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    description_plain: Option<String>,
    #[serde(default)]
    lists: Vec<List>,
    #[serde(default)]
    additional: Option<String>,
    #[serde(default)]
    additional_plain: Option<String>,
    #[serde(default)]
    hosted_url: Option<String>,
    #[serde(default)]
    created_at: Option<i64>,
    #[serde(default)]
    salary_range: Option<SalaryRange>,
}

#[derive(Debug, Deserialize)]
struct Categories {
    #[serde(default)]
    location: Option<String>,
}

#[derive(Debug, Deserialize)]
struct List {
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    content: Option<String>,
}

#[derive(Debug, Deserialize)]
struct SalaryRange {
    #[serde(default)]
    currency: Option<String>,
    #[serde(default)]
    interval: Option<String>,
    #[serde(default)]
    min: Option<f64>,
    #[serde(default)]
    max: Option<f64>,
}

/// `per-year-salary` → `year`, `per-hour-wage` → `hour`, ...
fn period(interval: &str) -> Option<&'static str> {
    let i = interval.to_ascii_lowercase();
    ["year", "month", "week", "day", "hour"].into_iter().find(|p| i.contains(p))
}

fn to_posting(company: &str, j: Job) -> Option<Posting> {
    let id = id_string(&j.id)?;
    let mut html = j.description.clone().unwrap_or_default();
    if html.trim().is_empty() {
        html = j.description_plain.as_deref().map(html_escape::encode_text).unwrap_or_default().replace('\n', "<br>");
    }
    for l in &j.lists {
        html.push_str(&format!(
            "<h3>{}</h3><ul>{}</ul>",
            html_escape::encode_text(l.text.as_deref().unwrap_or("")),
            l.content.as_deref().unwrap_or("")
        ));
    }
    match (j.additional.as_deref(), j.additional_plain.as_deref()) {
        (Some(a), _) if !a.trim().is_empty() => html.push_str(&format!("<div>{a}</div>")),
        (_, Some(a)) => html.push_str(&format!("<div>{}</div>", html_escape::encode_text(a))),
        _ => {}
    }
    let mut p = Posting::new(format!("lever:{company}:{id}"), "lever", crate::text::html_to_text(&html));
    p.title = j.text;
    p.url = j.hosted_url;
    p.company = Some(company.to_string());
    p.location = j.categories.and_then(|c| c.location);
    p.posted_at = j.created_at.and_then(epoch);
    p.date_source = Some(DateSource::Posting);
    if p.posted_at.is_none() {
        p.month = crate::posting::month_of(chrono::Utc::now().date_naive());
        p.date_source = Some(DateSource::Ingest);
    }
    p.salary = j.salary_range.and_then(|s| {
        let (min, max) = (s.min.or(s.max)?, s.max.or(s.min)?);
        Some(Salary {
            min,
            max,
            currency: s.currency.filter(|c| !c.is_empty())?,
            period: period(s.interval.as_deref().unwrap_or("per-year-salary"))?.to_string(),
        })
    });
    Some(p)
}

pub(crate) async fn fetch(http: &Arc<Http>, companies: &[String], out: &mut SourceOutcome) {
    fetch_boards(http, companies, out, |http, company| async move { fetch_board(&http, &company).await }).await
}

async fn fetch_board(http: &Http, company: &str) -> BoardFetch {
    let url = http.url(BASE, &format!("/v0/postings/{company}?mode=json"));
    if !is_slug(company) {
        return BoardFetch::failed(NetError::BadInput { url, reason: format!("invalid Lever site name {company:?}") });
    }
    let got = http.get_json::<Vec<Job>>(&url, true).await;
    BoardFetch::single(got.map(|j| j.map(|jobs| jobs.into_iter().filter_map(|j| to_posting(company, j)).collect())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals() {
        assert_eq!(period("per-year-salary"), Some("year"));
        assert_eq!(period("per-hour-wage"), Some("hour"));
        assert_eq!(period("one-time"), None);
    }
}
