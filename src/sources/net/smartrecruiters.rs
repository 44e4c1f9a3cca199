//! SmartRecruiters Posting API: `GET /v1/companies/<company>/postings?offset=N&limit=100`, then
//! `GET /v1/companies/<company>/postings/<id>` per new posting for its text.
//!
//! In: SmartRecruiters company identifiers (the `<company>` of `jobs.smartrecruiters.com/<company>`).
//! Out: one posting per job, id `smartrecruiters:<company>:<id>`.
//!
//! The list is paged (`{"offset", "limit", "totalFound", "content": [...]}`): pages are asked for
//! until `offset + content` reaches `totalFound`; a page with no content before that is a
//! pagination cut short. List entries carry no description, and the description is what the
//! keyword matcher reads, so each posting not stored yet ([`super::NetOptions::known_ids`]) is
//! fetched on its own, through the same rate-limited client (a posting already stored is never
//! fetched again: the dataset keeps one row per id). A board is complete, and its listing a
//! lifecycle snapshot, only when every page and every detail request succeeded.
//!
//! Fields used: list `id`, `name` (title), `releasedDate` (`posted_at`), `location` (`fullLocation`,
//! else `city`, `region`, `country`; `Remote` when `remote`), `company.name` (else the identifier);
//! detail `jobAd.sections` (`companyDescription`, `jobDescription`, `qualifications`,
//! `additionalInformation`, each `{title, text}` with HTML text) and `postingUrl`.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;

use super::boards::{BoardFetch, fetch_boards};
use super::{Http, NetError, SourceOutcome, id_string, is_slug, parse_time};
use crate::lifecycle::Listing;
use crate::posting::{DateSource, Posting};

pub const BASE: &str = "https://api.smartrecruiters.com";
/// Postings per list page (the API's maximum).
pub const PAGE: usize = 100;
/// Pages read at most per company (a safety stop: 100,000 postings).
const MAX_PAGES: usize = 1000;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Page {
    #[serde(default)]
    total_found: Option<u64>,
    #[serde(default)]
    content: Vec<Item>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    id: Value,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    released_date: Option<String>,
    #[serde(default)]
    location: Option<Location>,
    #[serde(default)]
    company: Option<Company>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(default)]
    full_location: Option<String>,
    #[serde(default)]
    city: Option<String>,
    #[serde(default)]
    region: Option<String>,
    #[serde(default)]
    country: Option<String>,
    #[serde(default)]
    remote: Option<bool>,
}

#[derive(Debug, Deserialize)]
struct Company {
    #[serde(default)]
    name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Detail {
    #[serde(default)]
    job_ad: Option<JobAd>,
    #[serde(default)]
    posting_url: Option<String>,
}

#[derive(Debug, Deserialize)]
struct JobAd {
    #[serde(default)]
    sections: Sections,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Sections {
    #[serde(default)]
    company_description: Option<Section>,
    #[serde(default)]
    job_description: Option<Section>,
    #[serde(default)]
    qualifications: Option<Section>,
    #[serde(default)]
    additional_information: Option<Section>,
}

#[derive(Debug, Deserialize)]
struct Section {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    text: Option<String>,
}

fn location(l: Location) -> Option<String> {
    let place = l.full_location.filter(|s| !s.trim().is_empty()).or_else(|| {
        let v: Vec<String> =
            [l.city, l.region, l.country].into_iter().flatten().filter(|s| !s.trim().is_empty()).collect();
        (!v.is_empty()).then(|| v.join(", "))
    });
    match (place, l.remote) {
        (Some(p), Some(true)) if !p.to_ascii_lowercase().contains("remote") => Some(format!("{p} (Remote)")),
        (None, Some(true)) => Some("Remote".into()),
        (p, _) => p,
    }
}

fn detail_text(d: &Detail) -> String {
    let Some(ad) = &d.job_ad else { return String::new() };
    let s = &ad.sections;
    let mut html = String::new();
    for sec in
        [&s.company_description, &s.job_description, &s.qualifications, &s.additional_information].into_iter().flatten()
    {
        if let Some(t) = sec.title.as_deref().filter(|t| !t.trim().is_empty()) {
            html.push_str(&format!("<h3>{}</h3>", html_escape::encode_text(t)));
        }
        html.push_str(&format!("<div>{}</div>", sec.text.as_deref().unwrap_or("")));
    }
    crate::text::html_to_text(&html)
}

fn to_posting(company: &str, id: &str, it: Item, d: Detail) -> Posting {
    let mut p = Posting::new(format!("smartrecruiters:{company}:{id}"), "smartrecruiters", detail_text(&d));
    p.title = it.name;
    p.url = d.posting_url.or_else(|| Some(format!("https://jobs.smartrecruiters.com/{company}/{id}")));
    p.company = Some(it.company.and_then(|c| c.name).filter(|n| !n.trim().is_empty()).unwrap_or(company.to_string()));
    p.location = it.location.and_then(location);
    p.posted_at = it.released_date.as_deref().and_then(parse_time);
    p.date_source = Some(DateSource::Posting);
    if p.posted_at.is_none() {
        p.month = crate::posting::month_of(chrono::Utc::now().date_naive());
        p.date_source = Some(DateSource::Ingest);
    }
    p
}

pub(crate) async fn fetch(http: &Arc<Http>, companies: &[String], out: &mut SourceOutcome) {
    fetch_boards(http, companies, out, |http, company| async move { fetch_company(&http, &company).await }).await
}

/// Every page of the list; `Err` with what was read so far when a page failed or the pages
/// ended before `totalFound`.
async fn list(http: &Http, company: &str) -> Result<Vec<Item>, (Vec<Item>, NetError)> {
    let mut items: Vec<Item> = Vec::new();
    for _ in 0..MAX_PAGES {
        let offset = items.len();
        let url = http.url(BASE, &format!("/v1/companies/{company}/postings?offset={offset}&limit={PAGE}"));
        let page = match http.get_json::<Page>(&url, false).await {
            Ok(Some(p)) => p,
            Ok(None) => return Err((items, NetError::BadInput { url, reason: "unexpected 304".into() })),
            Err(e) => return Err((items, e)),
        };
        let total = page.total_found.unwrap_or(0) as usize;
        let got = page.content.len();
        items.extend(page.content);
        if items.len() >= total {
            return Ok(items);
        }
        if got == 0 {
            let reason = format!("pagination cut short: {} of totalFound {total} listed", items.len());
            return Err((items, NetError::BadInput { url, reason }));
        }
    }
    let url = http.url(BASE, &format!("/v1/companies/{company}/postings"));
    let reason = format!("more than {MAX_PAGES} pages; stopped");
    Err((items, NetError::BadInput { url, reason }))
}

async fn fetch_company(http: &Http, company: &str) -> BoardFetch {
    if !is_slug(company) {
        let url = http.url(BASE, &format!("/v1/companies/{company}/postings"));
        let reason = format!("invalid SmartRecruiters company identifier {company:?}");
        return BoardFetch::failed(NetError::BadInput { url, reason });
    }
    let (items, mut complete, mut errors) = match list(http, company).await {
        Ok(items) => (items, true, Vec::new()),
        Err((items, e)) => (items, false, vec![e]),
    };
    let mut ids = Vec::with_capacity(items.len());
    let mut postings = Vec::new();
    for it in items {
        let Some(id) = id_string(&it.id) else { continue };
        let full_id = format!("smartrecruiters:{company}:{id}");
        if !http.opts.known_ids.contains(&full_id) {
            let url = http.url(BASE, &format!("/v1/companies/{company}/postings/{id}"));
            match http.get_json::<Detail>(&url, false).await {
                Ok(Some(d)) => postings.push(to_posting(company, &id, it, d)),
                Ok(None) => {}
                Err(e) => {
                    complete = false;
                    errors.push(e);
                }
            }
        }
        ids.push(full_id);
    }
    BoardFetch { postings, errors, listing: complete.then_some(Listing::Ids(ids)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_in_order_and_locations() {
        let d: Detail = serde_json::from_str(
            r#"{"jobAd":{"sections":{"qualifications":{"title":"Qualifications","text":"<ul><li>Go</li></ul>"},
                "jobDescription":{"title":"Job Description","text":"<p>Build APIs</p>"}}}}"#,
        )
        .unwrap();
        assert_eq!(detail_text(&d), "Job Description\nBuild APIs\nQualifications\nGo");
        let l: Location = serde_json::from_str(r#"{"city":"Lyon","country":"fr","remote":true}"#).unwrap();
        assert_eq!(location(l).as_deref(), Some("Lyon, fr (Remote)"));
    }
}
