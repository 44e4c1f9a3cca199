//! Workable job widget API: `GET /api/v1/widget/accounts/<account>?details=true`.
//!
//! In: Workable account slugs (the `<account>` of `apply.workable.com/<account>`). Out: one
//! posting per job, id `workable:<account>:<shortcode>`. One request returns the whole account
//! (`{"name", "description", "jobs": [...]}`, no paging); `details=true` adds each job's
//! `description` (HTML). Fields used: `shortcode` (the id; else `code`), `title`, `url` (else
//! `shortlink`), `published_on` (else `created_at`) for `posted_at`, the text from `description`
//! (else `full_description`) followed by `requirements` and `benefits` when present, the
//! location from `city`, `state`, `country` (else the first entry of `locations`), `Remote`
//! when `telecommuting` is true, and the company from the top-level `name` (else the account).
//! Accounts are fetched concurrently ([`super::boards`]); each complete fetch is a lifecycle
//! snapshot.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;

use super::boards::{BoardFetch, fetch_boards};
use super::{Http, NetError, SourceOutcome, id_string, is_slug, parse_time};
use crate::posting::{DateSource, Posting};

pub const BASE: &str = "https://apply.workable.com";

#[derive(Debug, Deserialize)]
struct Account {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    jobs: Vec<Job>,
}

#[derive(Debug, Deserialize)]
struct Job {
    #[serde(default)]
    shortcode: Option<Value>,
    #[serde(default)]
    code: Option<Value>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    shortlink: Option<String>,
    #[serde(default)]
    published_on: Option<String>,
    #[serde(default)]
    created_at: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    full_description: Option<String>,
    #[serde(default)]
    requirements: Option<String>,
    #[serde(default)]
    benefits: Option<String>,
    #[serde(default)]
    city: Option<String>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    country: Option<String>,
    #[serde(default)]
    locations: Vec<Location>,
    #[serde(default)]
    telecommuting: Option<bool>,
}

#[derive(Debug, Deserialize)]
struct Location {
    #[serde(default)]
    city: Option<String>,
    #[serde(default)]
    region: Option<String>,
    #[serde(default)]
    country: Option<String>,
}

fn join_place(parts: [Option<&str>; 3]) -> Option<String> {
    let v: Vec<&str> = parts.into_iter().flatten().map(str::trim).filter(|s| !s.is_empty()).collect();
    (!v.is_empty()).then(|| v.join(", "))
}

fn location(j: &Job) -> Option<String> {
    let place = join_place([j.city.as_deref(), j.state.as_deref(), j.country.as_deref()]).or_else(|| {
        j.locations.first().and_then(|l| join_place([l.city.as_deref(), l.region.as_deref(), l.country.as_deref()]))
    });
    match (place, j.telecommuting) {
        (Some(p), Some(true)) => Some(format!("{p} (Remote)")),
        (None, Some(true)) => Some("Remote".into()),
        (p, _) => p,
    }
}

fn to_posting(account: &str, company: Option<&str>, j: Job) -> Option<Posting> {
    let id = j.shortcode.as_ref().and_then(id_string).or_else(|| j.code.as_ref().and_then(id_string))?;
    let mut html =
        j.description.clone().filter(|d| !d.trim().is_empty()).or(j.full_description.clone()).unwrap_or_default();
    for (head, part) in [("Requirements", &j.requirements), ("Benefits", &j.benefits)] {
        if let Some(part) = part.as_deref().filter(|p| !p.trim().is_empty()) {
            html.push_str(&format!("<h3>{head}</h3>{part}"));
        }
    }
    let mut p = Posting::new(format!("workable:{account}:{id}"), "workable", crate::text::html_to_text(&html));
    p.location = location(&j);
    p.title = j.title;
    p.url = j.url.or(j.shortlink);
    p.company = Some(company.unwrap_or(account).to_string());
    p.posted_at = j.published_on.or(j.created_at).as_deref().and_then(parse_time);
    p.date_source = Some(DateSource::Posting);
    if p.posted_at.is_none() {
        p.month = crate::posting::month_of(chrono::Utc::now().date_naive());
        p.date_source = Some(DateSource::Ingest);
    }
    Some(p)
}

pub(crate) async fn fetch(http: &Arc<Http>, accounts: &[String], out: &mut SourceOutcome) {
    fetch_boards(http, accounts, out, |http, account| async move { fetch_account(&http, &account).await }).await
}

async fn fetch_account(http: &Http, account: &str) -> BoardFetch {
    let url = http.url(BASE, &format!("/api/v1/widget/accounts/{account}?details=true"));
    if !is_slug(account) {
        return BoardFetch::failed(NetError::BadInput { url, reason: format!("invalid Workable account {account:?}") });
    }
    let got = http.get_json::<Account>(&url, true).await;
    BoardFetch::single(got.map(|a| {
        a.map(|a| {
            let company = a.name.filter(|n| !n.trim().is_empty());
            a.jobs.into_iter().filter_map(|j| to_posting(account, company.as_deref(), j)).collect()
        })
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations() {
        let j: Job = serde_json::from_str(
            r#"{"shortcode":"A1","locations":[{"city":"Athens","region":"Attica","country":"Greece"}],"telecommuting":true}"#,
        )
        .unwrap();
        assert_eq!(location(&j).as_deref(), Some("Athens, Attica, Greece (Remote)"));
        let j: Job =
            serde_json::from_str(r#"{"shortcode":"A1","city":"Berlin","country":"Germany","state":""}"#).unwrap();
        assert_eq!(location(&j).as_deref(), Some("Berlin, Germany"));
    }
}
