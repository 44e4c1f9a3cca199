//! Arbeitnow job board API: `GET /api/job-board-api`, paginated through `links.next`.
//!
//! In: `{data: [{slug, company_name, title, description, remote, url, tags, job_types, location,
//! created_at}], links: {next}, meta}`. Out: one posting per job, id `arbeitnow:<slug>`,
//! `posted_at` from `created_at` (epoch seconds). Absolute `next` links are rebased onto
//! `--base-url` so a mirror or a test server is never bypassed; a link seen twice or more than
//! [`MAX_PAGES`] pages end the walk. Only the first page is asked conditionally: when it has not
//! changed, nothing has.

use std::collections::HashSet;
use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;

use super::{Http, SourceOutcome, epoch, push_error};
use crate::posting::{DateSource, Posting};

pub const BASE: &str = "https://www.arbeitnow.com";
/// Pages read at most in one fetch.
pub const MAX_PAGES: usize = 100;

#[derive(Debug, Deserialize)]
struct Page {
    data: Vec<Value>,
    #[serde(default)]
    links: Option<Links>,
}

#[derive(Debug, Deserialize)]
struct Links {
    #[serde(default)]
    next: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Job {
    slug: String,
    #[serde(default)]
    company_name: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    remote: Option<bool>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    location: Option<String>,
    #[serde(default)]
    created_at: Option<i64>,
}

fn to_posting(j: Job) -> Option<Posting> {
    let slug = j.slug.trim();
    if slug.is_empty() {
        return None;
    }
    let mut p = Posting::new(
        format!("arbeitnow:{slug}"),
        "arbeitnow",
        crate::text::html_to_text(j.description.as_deref().unwrap_or("")),
    );
    p.title = j.title;
    p.company = j.company_name;
    p.location = match (j.location, j.remote) {
        (Some(l), Some(true)) if !l.to_ascii_lowercase().contains("remote") => Some(format!("{l} (remote)")),
        (None, Some(true)) => Some("Remote".into()),
        (l, _) => l,
    };
    p.url = j.url;
    p.posted_at = j.created_at.and_then(epoch);
    p.date_source = Some(DateSource::Posting);
    if p.posted_at.is_none() {
        p.month = crate::posting::month_of(chrono::Utc::now().date_naive());
        p.date_source = Some(DateSource::Ingest);
    }
    Some(p)
}

pub(crate) async fn fetch(http: &Arc<Http>, out: &mut SourceOutcome) {
    let mut url = http.url(BASE, "/api/job-board-api");
    let mut seen = HashSet::new();
    for page_no in 0..MAX_PAGES {
        seen.insert(url.clone());
        let page = match http.get_json::<Page>(&url, page_no == 0).await {
            Ok(Some(p)) => p,
            Ok(None) => break,
            Err(e) => {
                push_error(out, e);
                break;
            }
        };
        let empty = page.data.is_empty();
        out.postings
            .extend(page.data.into_iter().filter_map(|v| serde_json::from_value::<Job>(v).ok()).filter_map(to_posting));
        let Some(next) = page.links.and_then(|l| l.next).filter(|n| !n.trim().is_empty()) else { break };
        if empty {
            break;
        }
        // Relative links resolve against the page; absolute ones are rebased onto --base-url.
        let joined = reqwest::Url::parse(&url).and_then(|u| u.join(next.trim())).map(String::from);
        url = match joined
            .map_err(|e| super::NetError::BadInput { url: next.clone(), reason: e.to_string() })
            .and_then(|j| http.rebase(&j))
        {
            Ok(u) => u,
            Err(e) => {
                push_error(out, e);
                break;
            }
        };
        if seen.contains(&url) {
            break;
        }
    }
}
