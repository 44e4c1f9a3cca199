//! Greenhouse Job Board API: `GET /v1/boards/<board>/jobs?content=true`.
//!
//! In: board tokens. Out: one posting per job, id `greenhouse:<board>:<id>`, `posted_at` from
//! `first_published` (else `updated_at`), location from `location.name`, company from
//! `company_name` (else the board token), salary from `pay_input_ranges` when present. `content`
//! is entity-escaped HTML, sometimes twice (`&amp;lt;p&amp;gt;`): it is decoded until no escaped
//! tag remains, then turned into text. Boards are fetched concurrently ([`super::boards`]); each
//! complete fetch is a lifecycle snapshot of the board.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;

use super::boards::{BoardFetch, fetch_boards};
use super::{Http, NetError, SourceOutcome, id_string, is_slug, parse_time};
use crate::posting::{DateSource, Posting, Salary};

pub const BASE: &str = "https://boards-api.greenhouse.io";

#[derive(Debug, Deserialize)]
struct Jobs {
    jobs: Vec<Job>,
}

#[derive(Debug, Deserialize)]
struct Job {
    id: Value,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    updated_at: Option<String>,
    #[serde(default)]
    first_published: Option<String>,
    #[serde(default)]
    location: Option<Location>,
    #[serde(default)]
    absolute_url: Option<String>,
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    company_name: Option<String>,
    #[serde(default)]
    pay_input_ranges: Vec<PayRange>,
}

#[derive(Debug, Deserialize)]
struct Location {
    #[serde(default)]
    name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct PayRange {
    #[serde(default)]
    min_cents: Option<f64>,
    #[serde(default)]
    max_cents: Option<f64>,
    #[serde(default)]
    currency_type: Option<String>,
}

/// True when `s` contains an entity-escaped tag, once or more (`&lt;p`, `&amp;lt;/div`).
fn has_escaped_tag(s: &str) -> bool {
    s.match_indices('&').any(|(i, _)| {
        let mut rest = &s[i + 1..];
        while let Some(r) = rest.strip_prefix("amp;") {
            rest = r;
        }
        rest.strip_prefix("lt;")
            .and_then(|r| r.bytes().next())
            .is_some_and(|c| c.is_ascii_alphabetic() || c == b'/' || c == b'!')
    })
}

/// Decodes entity-escaped HTML until no escaped tag remains (at most 4 rounds), then to text.
pub fn content_text(content: &str) -> String {
    let mut s = content.to_string();
    for _ in 0..4 {
        if !has_escaped_tag(&s) {
            break;
        }
        s = crate::text::decode_entities(&s).into_owned();
    }
    crate::text::html_to_text(&s)
}

fn to_posting(board: &str, j: Job) -> Option<Posting> {
    let id = id_string(&j.id)?;
    let mut p = Posting::new(
        format!("greenhouse:{board}:{id}"),
        "greenhouse",
        content_text(j.content.as_deref().unwrap_or("")),
    );
    p.title = j.title;
    p.url = j.absolute_url;
    p.company = j.company_name.or_else(|| Some(board.to_string()));
    p.location = j.location.and_then(|l| l.name);
    p.posted_at = j.first_published.or(j.updated_at).as_deref().and_then(parse_time);
    p.date_source = p.posted_at.map(|_| DateSource::Posting);
    if p.posted_at.is_none() {
        p.month = crate::posting::month_of(chrono::Utc::now().date_naive());
        p.date_source = Some(DateSource::Ingest);
    }
    p.salary = j.pay_input_ranges.into_iter().find_map(|r| {
        let (min, max) = (r.min_cents? / 100.0, r.max_cents? / 100.0);
        (min > 0.0 || max > 0.0).then(|| Salary {
            min,
            max,
            currency: r.currency_type.unwrap_or_else(|| "USD".into()),
            period: "year".into(),
        })
    });
    Some(p)
}

pub(crate) async fn fetch(http: &Arc<Http>, boards: &[String], out: &mut SourceOutcome) {
    fetch_boards(http, boards, out, |http, board| async move { fetch_board(&http, &board).await }).await
}

async fn fetch_board(http: &Http, board: &str) -> BoardFetch {
    let url = http.url(BASE, &format!("/v1/boards/{board}/jobs?content=true"));
    if !is_slug(board) {
        return BoardFetch::failed(NetError::BadInput { url, reason: format!("invalid board token {board:?}") });
    }
    let got = http.get_json::<Jobs>(&url, true).await;
    BoardFetch::single(got.map(|j| j.map(|j| j.jobs.into_iter().filter_map(|j| to_posting(board, j)).collect())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_escaped_content() {
        let c = "This is the job description. &amp;lt;p&amp;gt;Any HTML &amp;amp;amp; more.&amp;lt;/p&amp;gt;";
        assert_eq!(content_text(c), "This is the job description.\nAny HTML & more.");
        assert_eq!(content_text("&lt;p&gt;Rust &amp;amp; Go&lt;/p&gt;"), "Rust & Go");
        assert_eq!(content_text("<p>plain</p>"), "plain");
        assert_eq!(content_text("a &lt; b"), "a < b");
    }
}
