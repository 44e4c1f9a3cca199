//! Remotive public API: `GET /api/remote-jobs`.
//!
//! In: `{"00-warning", "0-legal-notice", "job-count", "jobs": [{id, url, title, company_name,
//! category, tags, job_type, publication_date, candidate_required_location, salary, description}]}`,
//! possibly preceded by a UTF-8 BOM (stripped). Out: one posting per job, id `remotive:<id>`,
//! `posted_at` from `publication_date` (no zone: UTC). `salary` is free text ("$30k - $100k"),
//! not structured, so it stays in the text rather than in [`Posting::salary`].

use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;

use super::{Http, SourceOutcome, id_string, parse_time, push_error};
use crate::posting::{DateSource, Posting};

pub const BASE: &str = "https://remotive.com";

#[derive(Debug, Deserialize)]
struct Envelope {
    jobs: Vec<Value>,
}

#[derive(Debug, Deserialize)]
struct Job {
    id: Value,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    company_name: Option<String>,
    #[serde(default)]
    publication_date: Option<String>,
    #[serde(default)]
    candidate_required_location: Option<String>,
    #[serde(default)]
    salary: Option<String>,
    #[serde(default)]
    description: Option<String>,
}

fn to_posting(j: Job) -> Option<Posting> {
    let id = id_string(&j.id)?;
    let mut text = crate::text::html_to_text(j.description.as_deref().unwrap_or(""));
    if let Some(s) = j.salary.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        text.push_str("\nSalary: ");
        text.push_str(s);
    }
    let mut p = Posting::new(format!("remotive:{id}"), "remotive", text);
    p.title = j.title;
    p.company = j.company_name;
    p.location = j.candidate_required_location;
    p.url = j.url;
    p.posted_at = j.publication_date.as_deref().and_then(parse_time);
    p.date_source = Some(DateSource::Posting);
    if p.posted_at.is_none() {
        p.month = crate::posting::month_of(chrono::Utc::now().date_naive());
        p.date_source = Some(DateSource::Ingest);
    }
    Some(p)
}

pub(crate) async fn fetch(http: &Arc<Http>, out: &mut SourceOutcome) {
    let url = http.url(BASE, "/api/remote-jobs");
    match http.get_json::<Envelope>(&url, true).await {
        Ok(Some(e)) => out
            .postings
            .extend(e.jobs.into_iter().filter_map(|v| serde_json::from_value::<Job>(v).ok()).filter_map(to_posting)),
        Ok(None) => {}
        Err(e) => push_error(out, e),
    }
}
