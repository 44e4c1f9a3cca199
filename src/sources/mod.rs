//! Sources: where postings come from.
//!
//! In: the bytes of a saved page (network sources live in `net`). Out: unfinished
//! [`Posting`]s — the caller sets `ingested_at` through [`Posting::finish`].
//!
//! Saved pages are recognised by content, in this order: an HN item page ([`hn_html`]),
//! schema.org JobPosting in JSON-LD or microdata ([`jsonld`]), anything else ([`generic_html`]).

pub mod audience;
pub mod generic_html;
mod hn_header;
pub mod hn_html;
pub mod jsonld;
pub mod net;
pub mod warc;
pub mod wdc;

use chrono::{DateTime, NaiveDate, Utc};

use crate::posting::{DateSource, Posting};

/// What a saved page turned out to be.
#[derive(Debug)]
pub enum PageOutcome {
    /// Postings found on the page (HN comments, JobPostings, or the one fallback posting).
    /// `warnings` are problems that lost part of the page (e.g. a broken JSON-LD block).
    Postings { kind: PageKind, postings: Vec<Posting>, warnings: Vec<String> },
    /// A page that is recognised but holds no postings to keep, with the reason
    /// (e.g. an HN thread that is not "Who is hiring?").
    Skipped { reason: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PageKind {
    Hn,
    JsonLd,
    Generic,
}

/// Errors that make a whole page unusable.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("empty file")]
    Empty,
    #[error("binary content, not HTML")]
    Binary,
    #[error("{0}")]
    Hn(#[from] hn_html::HnError),
    #[error("no text content")]
    NoContent,
    #[error("tags nested about {0} levels deep (more than {MAX_NESTING}): refused, the HTML parser would take minutes")]
    TooDeep(usize),
}

/// Deepest tag nesting a page may have before the DOM is built. html5ever's tree building is
/// quadratic in depth (found by fuzzing: 40k nested `<div>` take 4 s, 100k about 12 s); real pages
/// stay far below a few hundred levels.
pub const MAX_NESTING: usize = 10_000;

/// Estimates the deepest tag nesting: opening tags push, closing tags pop; void elements, `/>`
/// and elements that close themselves implicitly (`p`, `li`, `td`...) do not count.
pub fn nesting_depth(html: &str) -> usize {
    let b = html.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    for i in memchr::memchr_iter(b'<', b) {
        let rest = &b[i + 1..];
        let closing = rest.first() == Some(&b'/');
        let name_start = usize::from(closing);
        let name_len = rest[name_start..].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
        if name_len == 0 {
            continue;
        }
        let name = rest[name_start..name_start + name_len].to_ascii_lowercase();
        if matches!(
            name.as_slice(),
            b"area"
                | b"base"
                | b"br"
                | b"col"
                | b"embed"
                | b"hr"
                | b"img"
                | b"input"
                | b"link"
                | b"meta"
                | b"param"
                | b"source"
                | b"track"
                | b"wbr"
                | b"p"
                | b"li"
                | b"option"
                | b"td"
                | b"th"
                | b"tr"
                | b"dt"
                | b"dd"
        ) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            let end = memchr::memchr(b'>', rest).unwrap_or(rest.len());
            if end > 0 && rest[end - 1] == b'/' {
                continue;
            }
            depth += 1;
            max = max.max(depth);
        }
    }
    max
}

/// How to date pages that state no date.
#[derive(Debug, Clone, Copy)]
pub struct FallbackDate {
    /// `--date` on the command line.
    pub flag: Option<NaiveDate>,
    /// The file's modification time.
    pub mtime: Option<DateTime<Utc>>,
}

/// True when the bytes look binary (NULs or many control bytes in the first 8 KiB).
pub fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let ctrl = head.iter().filter(|&&b| b < 0x09 || (0x0e..0x20).contains(&b)).count();
    ctrl * 20 > head.len()
}

/// Why decoded page text is not an HTML page, or `None` when it is one: after a BOM and white
/// space, an HTML page starts with `<` (a doctype, a comment or a tag). JSON, plain text, a PDF
/// renamed `.html` do not: `not an HTML page (starts with "{")`.
pub fn not_html(text: &str) -> Option<String> {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.is_empty() || t.starts_with('<') {
        return None;
    }
    let word: String = t.chars().take_while(|c| !c.is_whitespace() && *c != '"').take(8).collect();
    let word = if word.is_empty() { t.chars().take(1).collect() } else { word };
    Some(format!("not an HTML page (starts with {word:?})"))
}

/// The source a page declares for itself with `<meta name="jobtrend:source" content="...">`.
/// Only `sample` is recognised: the bundled example pages carry it, so their postings are stored
/// as source `sample` with ids `sample:<id>` and never count as HN or JSON-LD postings.
pub const SAMPLE_SOURCE: &str = "sample";

fn declared_source(html: &str) -> Option<&str> {
    use std::sync::LazyLock;
    static META: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r#"(?i)<meta\s[^>]*name\s*=\s*["']?jobtrend:source["'\s>/][^>]*>"#).expect("valid regex")
    });
    static CONTENT: LazyLock<regex::Regex> =
        LazyLock::new(|| regex::Regex::new(r#"(?i)\scontent\s*=\s*["']?([^"'\s>]*)"#).expect("valid regex"));
    memchr::memmem::find(html.as_bytes(), b"jobtrend:source")?;
    let tag = META.find(html)?.as_str();
    CONTENT.captures(tag).and_then(|c| c.get(1)).map(|m| m.as_str())
}

/// Recognises a saved page and extracts its postings.
///
/// `raw` is the page's bytes (decoded text in `html`) — the fallback id hashes the raw bytes.
/// A page marked `<meta name="jobtrend:source" content="sample">` gives postings of source
/// `sample` with ids prefixed `sample:`, whatever kind of page it is.
pub fn parse_page(html: &str, raw: &[u8], fallback: FallbackDate) -> Result<PageOutcome, PageError> {
    let mut out = parse_page_as_is(html, raw, fallback)?;
    if let Some(declared) = declared_source(html)
        && let PageOutcome::Postings { postings, warnings, .. } = &mut out
    {
        if declared.eq_ignore_ascii_case(SAMPLE_SOURCE) {
            for p in postings {
                p.id = format!("{SAMPLE_SOURCE}:{}", p.id);
                p.source = SAMPLE_SOURCE.to_string();
            }
        } else {
            warnings.push(format!("unknown jobtrend:source {declared:?} ignored (only \"sample\" is recognised)"));
        }
    }
    Ok(out)
}

fn parse_page_as_is(html: &str, raw: &[u8], fallback: FallbackDate) -> Result<PageOutcome, PageError> {
    if html.trim().is_empty() {
        return Err(PageError::Empty);
    }
    if hn_html::looks_like_hn(html) {
        let mut page = hn_html::parse(html)?;
        if !matches!(page.kind, hn_html::ThreadKind::WhoIsHiring) {
            return Ok(PageOutcome::Skipped { reason: format!("not a \"Who is hiring?\" thread: {:?}", page.title) });
        }
        if page.month.is_none() {
            return Ok(PageOutcome::Skipped { reason: format!("no month in the thread title {:?}", page.title) });
        }
        let comments = std::mem::take(&mut page.postings);
        let postings = comments.into_iter().map(|c| hn_html::posting_from_owned(c, &page)).collect();
        return Ok(PageOutcome::Postings { kind: PageKind::Hn, postings, warnings: Vec::new() });
    }

    let depth = nesting_depth(html);
    if depth > MAX_NESTING {
        return Err(PageError::TooDeep(depth));
    }
    let doc = scraper::Html::parse_document(html);
    let generic = generic_html::extract(&doc);
    let jl = jsonld::extract(&doc, generic.canonical_url.as_deref());
    if !jl.postings.is_empty() {
        let postings = jl
            .postings
            .into_iter()
            .map(|mut p| {
                if p.month.is_empty() && p.posted_at.is_none() {
                    date_from_fallback(&mut p, generic.date, fallback);
                }
                p
            })
            .collect();
        return Ok(PageOutcome::Postings { kind: PageKind::JsonLd, postings, warnings: jl.errors });
    }

    let text = generic.text.trim();
    if text.is_empty() {
        return Err(PageError::NoContent);
    }
    let id = match &generic.canonical_url {
        Some(u) => format!("html:{u}"),
        None => format!("html:{:016x}", xxhash_rust::xxh3::xxh3_64(raw)),
    };
    let mut p = Posting::new(id, "html", text);
    p.url = generic.canonical_url.clone();
    p.title = generic.title.clone();
    p.company = generic.company.clone();
    date_from_fallback(&mut p, generic.date, fallback);
    Ok(PageOutcome::Postings { kind: PageKind::Generic, postings: vec![p], warnings: jl.errors })
}

/// Dates a posting from the page, else `--date`, else the file's mtime, recording which.
fn date_from_fallback(p: &mut Posting, page_date: Option<DateTime<Utc>>, fb: FallbackDate) {
    let (t, src) = if let Some(t) = page_date {
        (t, DateSource::Page)
    } else if let Some(d) = fb.flag {
        (d.and_hms_opt(0, 0, 0).map(|n| n.and_utc()).unwrap_or_default(), DateSource::Flag)
    } else if let Some(t) = fb.mtime {
        (t, DateSource::FileMtime)
    } else {
        (Utc::now(), DateSource::Ingest)
    };
    // A date the page or the user states is the posting's date; an mtime only places it in a month.
    if matches!(src, DateSource::Page | DateSource::Flag) {
        p.posted_at = Some(t);
    }
    p.month = crate::posting::month_of(t.date_naive());
    p.date_source = Some(src);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_depth_counts_open_elements() {
        for (html, want) in [
            ("<html><body><div><p>a<p>b</div></body></html>", 3),
            ("<div><br><img src=x><input/></div>", 1),
            ("<ul><li>a<li>b</ul><div/>", 1),
            ("a < b, <!-- c --> </div></div>", 0),
        ] {
            assert_eq!(nesting_depth(html), want, "{html}");
        }
        assert_eq!(nesting_depth(&"<div>".repeat(20_000)), 20_000);
    }

    #[test]
    fn non_html_text_is_named_by_its_start() {
        assert_eq!(not_html("<!doctype html><p>x"), None);
        assert_eq!(not_html("\u{feff}\n  <html>"), None);
        assert_eq!(not_html("{\"jobs\": []}").as_deref(), Some("not an HTML page (starts with \"{\")"));
        assert_eq!(not_html("%PDF-1.7\n%...").as_deref(), Some("not an HTML page (starts with \"%PDF-1.7\")"));
        assert_eq!(not_html("We are hiring").as_deref(), Some("not an HTML page (starts with \"We\")"));
    }

    #[test]
    fn sample_pages_carry_their_own_source() {
        let fb = FallbackDate { flag: None, mtime: None };
        let page = |meta: &str| {
            format!(
                "<html><head>{meta}<title>Job</title></head><body><h1>Rust engineer</h1><time datetime=\"2024-05-02\">x</time><p>We use Rust.</p></body></html>"
            )
        };
        for meta in
            [r#"<meta name="jobtrend:source" content="sample">"#, r#"<META content='sample' NAME=jobtrend:source />"#]
        {
            let html = page(meta);
            let Ok(PageOutcome::Postings { postings, .. }) = parse_page(&html, html.as_bytes(), fb) else {
                panic!("{meta}")
            };
            assert_eq!(postings[0].source, "sample", "{meta}");
            assert!(postings[0].id.starts_with("sample:html:"), "{}", postings[0].id);
        }
        let html = page(r#"<meta name="jobtrend:source" content="hn">"#);
        let Ok(PageOutcome::Postings { postings, warnings, .. }) = parse_page(&html, html.as_bytes(), fb) else {
            panic!()
        };
        assert_eq!(postings[0].source, "html");
        assert!(warnings[0].contains("unknown jobtrend:source \"hn\""), "{warnings:?}");
        let html = page("");
        let Ok(PageOutcome::Postings { postings, .. }) = parse_page(&html, html.as_bytes(), fb) else { panic!() };
        assert_eq!(postings[0].source, "html");
    }

    #[test]
    fn pages_nested_too_deep_are_refused() {
        let html = format!("<html><body>{}job{}</body></html>", "<div>".repeat(50_000), "</div>".repeat(50_000));
        let r = parse_page(&html, html.as_bytes(), FallbackDate { flag: None, mtime: None });
        assert!(matches!(r, Err(PageError::TooDeep(50_002))), "{r:?}");
    }
}
