//! WARC files (Common Crawl) → schema.org JobPostings.
//!
//! In: WARC records from [`reader`] (headers and, for `response` records, the block). Out: for
//! each `response` record with HTTP status 200 and an HTML payload, the JobPostings of the page
//! (through [`super::jsonld::extract`], JSON-LD and microdata), unfinished, source [`SOURCE`];
//! for every other record, the reason it is skipped ([`Skip`]), so the caller can count them.
//!
//! - Ids: the JSON-LD ids (`jsonld:<url>`, see [`super::jsonld`]), with the page's canonical URL,
//!   else the record's `WARC-Target-URI`, as the page URL: a page ingested as a saved HTML file
//!   and from a WARC file is stored once.
//! - Dates: `datePosted` (`date_source` `posting`), else the record's `WARC-Date`, which only
//!   places the posting in a month (`date_source` `crawl`, `posted_at` empty).
//! - Payloads: `Transfer-Encoding: chunked` is undone, `Content-Encoding` gzip/deflate decoded
//!   (Common Crawl stores payloads decoded already and renames the header); other encodings are
//!   skipped as [`Skip::Encoding`]. A page is HTML when its `Content-Type` says so, else when
//!   Common Crawl's `WARC-Identified-Payload-Type` does, else when it starts with `<`.
//! - A page whose bytes do not contain `JobPosting` (any case) is not parsed at all: most pages
//!   of a crawl are not job pages, and the DOM is the expensive part.

pub mod reader;

use std::io::Read;
use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::posting::{DateSource, Posting};
use reader::Header;

/// The `source` of postings read from WARC files.
pub const SOURCE: &str = "warc";
/// Largest record block read (a response: HTTP headers and page); larger ones are skipped.
pub const MAX_RECORD_BYTES: u64 = 10 << 20;

/// Why a record gives no postings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Skip {
    Warcinfo,
    Request,
    Revisit,
    Metadata,
    /// `resource`, `conversion`, `continuation` and unknown types.
    OtherType,
    /// A response that is not an HTTP response (e.g. `dns:` records).
    NotHttp,
    /// HTTP status other than 200.
    NotOk,
    NotHtml,
    /// Block over [`MAX_RECORD_BYTES`].
    TooLarge,
    /// A content encoding that cannot be decoded.
    Encoding,
    /// An HTML page without a JobPosting.
    NoJobPosting,
}

impl Skip {
    pub fn as_str(self) -> &'static str {
        match self {
            Skip::Warcinfo => "warcinfo",
            Skip::Request => "request",
            Skip::Revisit => "revisit",
            Skip::Metadata => "metadata",
            Skip::OtherType => "other_type",
            Skip::NotHttp => "not_http",
            Skip::NotOk => "not_ok",
            Skip::NotHtml => "not_html",
            Skip::TooLarge => "too_large",
            Skip::Encoding => "encoding",
            Skip::NoJobPosting => "no_job_posting",
        }
    }
}

/// Whether the block of a record is needed: only responses are looked into.
pub fn wants_block(h: &Header) -> bool {
    h.record_type == "response"
}

/// An HTML page to parse.
#[derive(Debug)]
pub struct Page {
    pub uri: Option<String>,
    /// `WARC-Date`.
    pub crawled_at: Option<DateTime<Utc>>,
    pub body: Vec<u8>,
}

/// What a record is: a page to parse, or why not.
pub fn classify(header: Header, block: Option<Vec<u8>>, too_large: bool) -> Result<Page, Skip> {
    match header.record_type.as_str() {
        "response" => {}
        "warcinfo" => return Err(Skip::Warcinfo),
        "request" => return Err(Skip::Request),
        "revisit" => return Err(Skip::Revisit),
        "metadata" => return Err(Skip::Metadata),
        _ => return Err(Skip::OtherType),
    }
    if too_large {
        return Err(Skip::TooLarge);
    }
    let ct = header.content_type.as_deref().unwrap_or("").to_ascii_lowercase();
    if !ct.is_empty() && !ct.starts_with("application/http") {
        return Err(Skip::NotHttp);
    }
    let block = block.ok_or(Skip::NotHttp)?;
    let body = http_html_body(block, header.identified_payload_type.as_deref())?;
    let crawled_at = header.date.as_deref().and_then(super::jsonld::parse_date);
    Ok(Page { uri: header.target_uri, crawled_at, body })
}

/// The HTML body of an HTTP response block, or why it is not one.
fn http_html_body(block: Vec<u8>, identified: Option<&str>) -> Result<Vec<u8>, Skip> {
    let mut headers = [httparse::EMPTY_HEADER; 128];
    let mut resp = httparse::Response::new(&mut headers);
    let body_at = match resp.parse(&block) {
        Ok(httparse::Status::Complete(n)) => n,
        _ => return Err(Skip::NotHttp),
    };
    if resp.code != Some(200) {
        return Err(Skip::NotOk);
    }
    let header = |name: &str| {
        resp.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_ascii_lowercase())
    };
    let content_type = header("content-type");
    let chunked = header("transfer-encoding").is_some_and(|t| t.contains("chunked"));
    let encoding = header("content-encoding").filter(|e| !e.is_empty() && e != "identity");
    let mut body = block;
    body.drain(..body_at);
    if chunked {
        body = dechunk(&body).ok_or(Skip::Encoding)?;
    }
    if let Some(enc) = encoding {
        body = decode_content(&body, &enc).ok_or(Skip::Encoding)?;
    }
    let declared = content_type.or_else(|| identified.map(str::to_ascii_lowercase));
    let is_html = match declared {
        Some(t) if !t.is_empty() => t.contains("html"),
        _ => crate::sources::not_html(&String::from_utf8_lossy(&body[..body.len().min(1024)])).is_none(),
    };
    if !is_html {
        return Err(Skip::NotHtml);
    }
    Ok(body)
}

/// Undoes `Transfer-Encoding: chunked`; `None` when the framing is broken. A body cut short
/// keeps what arrived.
fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(b.len());
    loop {
        let (start, size) = match httparse::parse_chunk_size(b) {
            Ok(httparse::Status::Complete((i, size))) => (i, usize::try_from(size).ok()?),
            Ok(httparse::Status::Partial) if !out.is_empty() => return Some(out),
            _ => return None,
        };
        if size == 0 {
            return Some(out);
        }
        let end = start.checked_add(size)?;
        if end >= b.len() {
            out.extend_from_slice(&b[start.min(b.len())..]);
            return Some(out);
        }
        out.extend_from_slice(&b[start..end]);
        b = &b[end..];
        b = b.strip_prefix(b"\r\n").or_else(|| b.strip_prefix(b"\n")).unwrap_or(b);
    }
}

/// Decodes a `Content-Encoding` (gzip, deflate), within [`MAX_RECORD_BYTES`].
fn decode_content(b: &[u8], enc: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let cap = MAX_RECORD_BYTES + 1;
    let ok = match enc {
        "gzip" | "x-gzip" => flate2::read::MultiGzDecoder::new(b).take(cap).read_to_end(&mut out).is_ok(),
        "deflate" => {
            flate2::read::ZlibDecoder::new(b).take(cap).read_to_end(&mut out).is_ok() || {
                out.clear();
                flate2::read::DeflateDecoder::new(b).take(cap).read_to_end(&mut out).is_ok()
            }
        }
        _ => false,
    };
    (ok && (out.len() as u64) < cap).then_some(out)
}

/// The postings of one page, or why it gave none.
#[derive(Debug, Default)]
pub struct PageOutcome {
    /// Unfinished postings (call [`Posting::finish`]).
    pub postings: Vec<Posting>,
    /// Broken JSON-LD blocks and postings dropped for lack of any date.
    pub warnings: Vec<String>,
}

static JOB_POSTING: LazyLock<regex::bytes::Regex> =
    LazyLock::new(|| regex::bytes::Regex::new("(?i)jobposting").expect("valid regex"));

/// The JobPostings of a page ([`Skip::NoJobPosting`] when there are none; its warnings, e.g. a
/// broken JSON-LD block, are returned with the skip).
pub fn page_postings(page: &Page) -> Result<PageOutcome, (Skip, Vec<String>)> {
    if !JOB_POSTING.is_match(&page.body) {
        return Err((Skip::NoJobPosting, Vec::new()));
    }
    let html = crate::ingest::decode(&page.body);
    let depth = super::nesting_depth(&html);
    if depth > super::MAX_NESTING {
        return Err((Skip::NoJobPosting, vec![format!("tags nested about {depth} levels deep: not parsed")]));
    }
    let doc = scraper::Html::parse_document(&html);
    let base = super::jsonld::canonical_url(&doc).or_else(|| page.uri.clone());
    let found = super::jsonld::extract(&doc, base.as_deref());
    let mut warnings = found.errors;
    if found.postings.is_empty() {
        return Err((Skip::NoJobPosting, warnings));
    }
    let mut postings = Vec::with_capacity(found.postings.len());
    for mut p in found.postings {
        p.source = SOURCE.to_string();
        if p.posted_at.is_none() {
            match page.crawled_at {
                Some(t) => {
                    p.month = crate::posting::month_of(t.date_naive());
                    p.date_source = Some(DateSource::Crawl);
                }
                None => {
                    warnings.push(format!("{}: no datePosted and no WARC-Date: posting dropped", p.id));
                    continue;
                }
            }
        }
        postings.push(p);
    }
    Ok(PageOutcome { postings, warnings })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(http: &str) -> (Header, Option<Vec<u8>>) {
        let h = Header {
            record_type: "response".into(),
            target_uri: Some("https://jobs.example.com/a".into()),
            date: Some("2024-05-03T10:00:00Z".into()),
            content_type: Some("application/http; msgtype=response".into()),
            identified_payload_type: None,
            content_length: http.len() as u64,
        };
        (h, Some(http.as_bytes().to_vec()))
    }

    #[test]
    fn records_are_classified() {
        let (h, b) = response("HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<p>gone");
        assert_eq!(classify(h, b, false).err(), Some(Skip::NotOk));
        let (h, b) = response("HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\n\r\n%PDF");
        assert_eq!(classify(h, b, false).err(), Some(Skip::NotHtml));
        let (h, b) = response("HTTP/1.1 200 OK\r\n\r\n<!doctype html><p>x");
        assert_eq!(classify(h, b, false).unwrap().body, b"<!doctype html><p>x");
        let (h, b) = response("HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Type: text/html\r\n\r\nxx");
        assert_eq!(classify(h, b, false).err(), Some(Skip::Encoding));
        let (h, b) = response(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/html\r\n\r\n4\r\n<p>a\r\n3\r\nbcd\r\n0\r\n\r\n",
        );
        assert_eq!(classify(h, b, false).unwrap().body, b"<p>abcd");
        let (mut h, b) = response("HTTP/1.1 200 OK\r\n\r\n<p>");
        h.record_type = "revisit".into();
        assert_eq!(classify(h, b, false).err(), Some(Skip::Revisit));
        let (h, _) = response("");
        assert_eq!(classify(h, None, true).err(), Some(Skip::TooLarge));
    }

    #[test]
    fn gzip_content_encoding_is_decoded() {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(b"<html><p>zipped</p></html>").unwrap();
        let mut http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        http.extend(e.finish().unwrap());
        let (h, _) = response("");
        assert_eq!(classify(h, Some(http), false).unwrap().body, b"<html><p>zipped</p></html>");
    }

    #[test]
    fn pages_without_date_posted_take_the_crawl_month() {
        let html = r#"<html><head><link rel="canonical" href="https://jobs.example.com/rust-1"></head><body>
            <script type="application/ld+json">{"@type":"JobPosting","title":"Rust dev","description":"Rust and Postgres",
            "hiringOrganization":{"@type":"Organization","name":"Acme"}}</script></body></html>"#;
        let page = Page {
            uri: Some("https://jobs.example.com/rust-1?utm=x".into()),
            crawled_at: super::super::jsonld::parse_date("2024-05-03T10:00:00Z"),
            body: html.as_bytes().to_vec(),
        };
        let out = page_postings(&page).unwrap();
        let p = &out.postings[0];
        assert_eq!(p.id, "jsonld:https://jobs.example.com/rust-1");
        assert_eq!((p.source.as_str(), p.month.as_str()), ("warc", "2024-05"));
        assert_eq!((p.date_source, p.posted_at), (Some(DateSource::Crawl), None));
        let none = Page { uri: None, crawled_at: None, body: b"<html><p>no jobs here</p></html>".to_vec() };
        assert_eq!(page_postings(&none).err().map(|e| e.0), Some(Skip::NoJobPosting));
    }
}
