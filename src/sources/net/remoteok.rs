//! RemoteOK public API: `GET /api`.
//!
//! In: a JSON array whose first element is a legal notice (`{last_updated, legal}`), then jobs
//! `{slug, id, epoch, date, company, position, tags, description, location, salary_min,
//! salary_max, url, apply_url}`. Out: one posting per job, id `remoteok:<id>`, `posted_at` from
//! `epoch` (else `date`), salary (USD a year) when `salary_min`/`salary_max` are non-zero.
//! Elements without an `id` or a `position` (the notice) are skipped. Descriptions carry UTF-8
//! mojibake as served: it is repaired with [`super::repair_mojibake`] before conversion to text.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;

use super::{Http, SourceOutcome, epoch, id_string, parse_time, push_error, repair_mojibake};
use crate::posting::{DateSource, Posting, Salary};

pub const BASE: &str = "https://remoteok.com";

#[derive(Debug, Deserialize)]
struct Job {
    #[serde(default)]
    id: Value,
    #[serde(default)]
    epoch: Option<i64>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    company: Option<String>,
    #[serde(default)]
    position: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    location: Option<String>,
    #[serde(default)]
    salary_min: Option<Value>,
    #[serde(default)]
    salary_max: Option<Value>,
    #[serde(default)]
    url: Option<String>,
}

fn num(v: &Option<Value>) -> f64 {
    match v {
        Some(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
        Some(Value::String(s)) => s.trim().parse().ok().filter(|f: &f64| f.is_finite()).unwrap_or(0.0),
        _ => 0.0,
    }
}

fn fix(s: Option<String>) -> Option<String> {
    s.map(|s| repair_mojibake(&s).into_owned())
}

fn to_posting(j: Job) -> Option<Posting> {
    let id = id_string(&j.id)?;
    j.position.as_ref()?;
    let html = repair_mojibake(j.description.as_deref().unwrap_or("")).into_owned();
    let mut p = Posting::new(format!("remoteok:{id}"), "remoteok", crate::text::html_to_text(&html));
    p.title = fix(j.position).map(|t| crate::text::decode_entities(&t).into_owned());
    p.company = fix(j.company).map(|t| crate::text::decode_entities(&t).into_owned());
    p.location = fix(j.location);
    p.url = j.url;
    p.posted_at = j.epoch.and_then(epoch).or_else(|| j.date.as_deref().and_then(parse_time));
    p.date_source = Some(DateSource::Posting);
    if p.posted_at.is_none() {
        p.month = crate::posting::month_of(chrono::Utc::now().date_naive());
        p.date_source = Some(DateSource::Ingest);
    }
    let (min, max) = (num(&j.salary_min), num(&j.salary_max));
    if min > 0.0 || max > 0.0 {
        let (min, max) = (if min > 0.0 { min } else { max }, if max > 0.0 { max } else { min });
        p.salary = Some(Salary { min, max, currency: "USD".into(), period: "year".into() });
    }
    Some(p)
}

pub(crate) async fn fetch(http: &Arc<Http>, out: &mut SourceOutcome) {
    let url = http.url(BASE, "/api");
    match http.get_json::<Vec<Value>>(&url, true).await {
        Ok(Some(items)) => out
            .postings
            .extend(items.into_iter().filter_map(|v| serde_json::from_value::<Job>(v).ok()).filter_map(to_posting)),
        Ok(None) => {}
        Err(e) => push_error(out, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legal_notice_skipped_and_mojibake_repaired() {
        let v: Vec<Value> = serde_json::from_str(
            r#"[{"last_updated": 1, "legal": "API Terms"},
                {"id": "7", "epoch": 1773619203, "position": "Rust Dev", "company": "Acme",
                 "description": "<p>What You\u00e2\u0080\u0099ll Do</p>", "salary_min": 100000, "salary_max": 0}]"#,
        )
        .unwrap();
        let p: Vec<_> =
            v.into_iter().filter_map(|v| serde_json::from_value::<Job>(v).ok()).filter_map(to_posting).collect();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].id, "remoteok:7");
        assert_eq!(p[0].text, "What You\u{2019}ll Do");
        let s = p[0].salary.as_ref().unwrap();
        assert_eq!((s.min, s.max, s.currency.as_str()), (100000.0, 100000.0, "USD"));
    }
}
