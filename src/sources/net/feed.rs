//! RSS 2.0, Atom and JSON Feed (parsed by `feed-rs`).
//!
//! In: feed URLs (absolute; with `--base-url` they are rebased onto it, path and query kept; a
//! path alone is joined to it). Out: one posting per item, id `feed:<guid or id>` (an item
//! without one: `feed:<link>`, else a hash of its title), title, link, text from the content
//! (else the summary), `posted_at` from `pubDate`/`published` (else `updated`). The same item in
//! several feeds is one posting. An XML document whose root element is not closed (a cut-off
//! download) is rejected as a whole rather than read in part.

use std::sync::Arc;

use super::{Got, Http, NetError, SourceOutcome, push_error};
use crate::posting::{DateSource, Posting};

/// True when `body` is XML whose root element is closed at the end (or not XML at all).
fn xml_complete(body: &[u8]) -> bool {
    let s = String::from_utf8_lossy(body);
    let s = s.trim_start_matches('\u{feff}').trim();
    if !s.starts_with('<') {
        return true;
    }
    // Skip the prolog: declarations, comments, doctype, processing instructions.
    let mut rest = s;
    let root = loop {
        let Some(r) = rest.strip_prefix('<') else { return false };
        if let Some(r) = r.strip_prefix("!--") {
            let Some(e) = r.find("-->") else { return false };
            rest = r[e + 3..].trim_start();
        } else if r.starts_with('?') || r.starts_with('!') {
            let Some(e) = r.find('>') else { return false };
            rest = r[e + 1..].trim_start();
        } else {
            let name: String = r.chars().take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/').collect();
            break name;
        }
    };
    if root.is_empty() {
        return false;
    }
    let Some(last_open) = s.rfind("</") else {
        return s.ends_with("/>");
    };
    let tail = &s[last_open + 2..];
    tail.strip_suffix('>').is_some_and(|n| n.trim() == root)
}

/// Parses a feed body into postings (the caller dedups by id).
pub fn parse_feed(url: &str, body: &[u8]) -> Result<Vec<Posting>, NetError> {
    let parse_err = |reason: String| NetError::Parse { url: url.to_string(), what: "feed", reason };
    if !xml_complete(body) {
        return Err(parse_err("truncated XML (the root element is not closed)".into()));
    }
    let parser = feed_rs::parser::Builder::new()
        .sanitize_content(false)
        .id_generator(|links, title, _uri| match links.first() {
            Some(l) => l.href.clone(),
            None => crate::posting::short_hash(&[title.as_ref().map(|t| t.content.as_str()).unwrap_or("")]),
        })
        .build();
    let feed = parser.parse(body).map_err(|e| parse_err(e.to_string()))?;
    let now_month = crate::posting::month_of(chrono::Utc::now().date_naive());
    Ok(feed
        .entries
        .into_iter()
        .filter_map(|e| {
            let id = e.id.trim();
            if id.is_empty() {
                return None;
            }
            let html = e
                .content
                .as_ref()
                .and_then(|c| c.body.clone())
                .filter(|b| !b.trim().is_empty())
                .or_else(|| e.summary.as_ref().map(|s| s.content.clone()))
                .unwrap_or_default();
            let mut p = Posting::new(format!("feed:{id}"), "feed", crate::text::html_to_text(&html));
            p.title = e.title.map(|t| crate::text::decode_entities(&t.content).into_owned());
            p.url = e.links.first().map(|l| l.href.clone());
            p.company = e.authors.first().map(|a| a.name.clone()).filter(|n| !n.trim().is_empty());
            p.posted_at = e.published.or(e.updated);
            p.date_source = Some(DateSource::Posting);
            if p.posted_at.is_none() {
                p.month = now_month.clone();
                p.date_source = Some(DateSource::Ingest);
            }
            Some(p)
        })
        .collect())
}

pub(crate) async fn fetch(http: &Arc<Http>, urls: &[String], out: &mut SourceOutcome) {
    for u in urls {
        let url = match http.rebase(u.trim()) {
            Ok(u) => u,
            Err(e) => {
                push_error(out, e);
                continue;
            }
        };
        match http.get(&url, true).await {
            Ok(Got::NotModified) => {}
            Ok(Got::Body { bytes, validators }) => match parse_feed(&url, &bytes) {
                Ok(p) => {
                    out.postings.extend(p);
                    http.remember(&url, validators);
                }
                Err(e) => push_error(out, e),
            },
            Err(e) => push_error(out, e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_completeness() {
        assert!(xml_complete(b"<?xml version=\"1.0\"?>\n<!-- c --><rss version=\"2.0\"><channel/></rss>\n"));
        assert!(!xml_complete(b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><item><title>x</title>"));
        assert!(!xml_complete(b"<rss><channel></channel></rs"));
        assert!(xml_complete(b"<feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>"));
        assert!(xml_complete(b"{\"version\": \"https://jsonfeed.org/version/1.1\"}"));
    }

    #[test]
    fn rss_items_become_postings() {
        let rss = br#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Jobs</title>
<item><title>Acme: Rust Engineer</title><description>&lt;p&gt;Write &lt;b&gt;Rust&lt;/b&gt;&lt;/p&gt;</description>
<pubDate>Tue, 08 Nov 2022 00:08:24 +0000</pubDate><guid>https://jobs.example/1</guid><link>https://jobs.example/1</link></item>
<item><title>No guid</title><link>https://jobs.example/2</link></item>
</channel></rss>"#;
        let p = parse_feed("http://x/feed.rss", rss).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].id, "feed:https://jobs.example/1");
        assert_eq!(p[0].text, "Write Rust");
        assert_eq!(p[0].posted_at.unwrap().to_rfc3339(), "2022-11-08T00:08:24+00:00");
        assert_eq!(p[1].id, "feed:https://jobs.example/2");
        assert_eq!(p[1].date_source, Some(DateSource::Ingest));
        assert!(!p[1].month.is_empty());
    }
}
