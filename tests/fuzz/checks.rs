//! The invariants every parser must keep on any input, shared by the cargo-fuzz targets
//! (`tests/fuzz/fuzz_targets/*.rs`, through the `jobtrend_fuzz` library) and the bounded proptest
//! harness that runs in CI (`tests/integration/fuzz.rs` includes this file with `#[path]`).
//!
//! In: arbitrary bytes (decoded lossily, as `ingest` decodes files it cannot sniff) or text.
//! Out: nothing — each function runs one parser and panics (with what broke) when the parser
//! panics itself or returns something that breaks its documented contract.

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use jobtrend::keywords::{Matcher, Taxonomy};
use jobtrend::posting::{Posting, is_month};
use jobtrend::sources::{self, FallbackDate, PageOutcome, generic_html, hn_html, jsonld, net};

/// A fixed "now" for `Posting::finish`, so a check never depends on the clock.
fn epoch() -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH
}

fn lossy(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// Contract of a posting any source returns, after `finish`: an id and a source, non-blank text,
/// a `YYYY-MM` month (when the source dates it), finite salaries.
pub fn posting_ok(p: Posting, needs_month: bool) {
    let p = p.finish(epoch());
    assert!(!p.id.trim().is_empty(), "posting with an empty id: {p:?}");
    assert!(!p.source.is_empty(), "posting without a source: {p:?}");
    assert!(!p.text.trim().is_empty(), "posting with blank text: {:?}", p.id);
    if needs_month || !p.month.is_empty() {
        assert!(is_month(&p.month), "posting {:?} has month {:?}, not YYYY-MM", p.id, p.month);
    }
    if let Some(s) = &p.salary {
        assert!(s.min.is_finite() && s.max.is_finite(), "non-finite salary in {:?}: {s:?}", p.id);
    }
    assert_eq!(p.content_hash.len(), 32);
}

/// `hn_html::parse`: typed error or a page whose postings have distinct ids, non-blank text and a
/// `YYYY-MM` month; every posting built from it has id `hn:<u64>`.
pub fn hn_html(data: &[u8]) {
    let html = lossy(data);
    let Ok(page) = hn_html::parse(&html) else { return };
    if let Some(m) = &page.month {
        assert!(is_month(m), "HN page month {m:?} is not YYYY-MM");
    }
    let mut ids = std::collections::HashSet::new();
    for c in &page.postings {
        assert!(ids.insert(c.id), "HN comment {} twice on one page", c.id);
        assert!(!c.text.trim().is_empty(), "HN comment {} with blank text", c.id);
        let p = hn_html::posting_from(c, &page);
        let n = p.id.strip_prefix("hn:").map(str::parse::<u64>);
        assert!(matches!(n, Some(Ok(_))), "HN posting id {:?} is not hn:<u64>", p.id);
        posting_ok(p, page.month.is_some());
    }
}

/// `jsonld::extract` on a parsed document: postings keep the posting contract, ids are distinct.
pub fn jsonld(data: &[u8]) {
    let html = lossy(data);
    let doc = scraper::Html::parse_document(&html);
    let _ = jsonld::has_job_posting(&doc);
    for url in [None, Some("https://example.com/jobs/1")] {
        let out = jsonld::extract(&doc, url);
        let mut ids = std::collections::HashSet::new();
        for p in out.postings {
            assert!(p.id.starts_with("jsonld:"), "JSON-LD posting id {:?}", p.id);
            assert!(ids.insert(p.id.clone()), "JSON-LD id {:?} twice on one page", p.id);
            posting_ok(p, false);
        }
    }
}

/// `generic_html::extract`: the canonical URL is absolute http(s); the text has no empty line.
pub fn generic_html(data: &[u8]) {
    let html = lossy(data);
    let doc = scraper::Html::parse_document(&html);
    let g = generic_html::extract(&doc);
    if let Some(u) = &g.canonical_url {
        // The scheme is case-insensitive (`HTTPS://` is absolute too).
        let l = u.to_ascii_lowercase();
        assert!(l.starts_with("http://") || l.starts_with("https://"), "canonical URL {u:?} is not absolute http(s)");
    }
    assert!(!g.text.contains("\n\n"), "generic text has an empty line: {:?}", g.text);
}

/// `sources::parse_page`, the whole dispatch (HN → JSON-LD → generic): no posting with an empty id
/// or blank text, every month `YYYY-MM`.
pub fn parse_page(data: &[u8]) {
    let html = lossy(data);
    let fb = FallbackDate { flag: None, mtime: Some(epoch()) };
    match sources::parse_page(&html, data, fb) {
        Ok(PageOutcome::Postings { postings, .. }) => {
            for p in postings {
                posting_ok(p, true);
            }
        }
        Ok(PageOutcome::Skipped { reason }) => assert!(!reason.is_empty()),
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

/// `text::html_to_text` (and `decode_entities`): no empty line, no leading/trailing line break,
/// no `<` in the text but the input's literal ones (so no tag, `<script` included, unless the input
/// spells it as an entity: `&lt;script` is text), lines
/// trimmed outside `<pre>`.
pub fn html_to_text(data: &[u8]) {
    let html = lossy(data);
    let _ = jobtrend::text::decode_entities(&html);
    let t = jobtrend::text::html_to_text(&html);
    assert!(!t.contains("\n\n"), "html_to_text left an empty line: {t:?}");
    assert!(!t.starts_with('\n') && !t.ends_with('\n'), "html_to_text left an edge line break: {t:?}");
    if !html.contains('&') {
        // Without entities, every `<` of the text is a literal `<` of the input (one that does not
        // start a tag, such as the first of `<<span>script`), so a tag, `<script` included, never
        // survives as text.
        let b = html.as_bytes();
        let literal = (0..b.len())
            .filter(|&i| b[i] == b'<')
            .filter(|&i| !b.get(i + 1).is_some_and(|&c| c.is_ascii_alphabetic() || b"/!?".contains(&c)))
            .count();
        let kept = t.bytes().filter(|&c| c == b'<').count();
        assert!(kept <= literal, "html_to_text kept {kept} '<' from {literal} literal ones: {t:?}");
        if literal == 0 {
            assert!(!t.to_ascii_lowercase().contains("<script"), "html_to_text kept a <script: {t:?}");
        }
    }
    if !html.to_ascii_lowercase().contains("<pre") && !html.contains('&') {
        for l in t.lines() {
            assert_eq!(l, l.trim(), "html_to_text left an untrimmed line in {t:?}");
        }
    }
}

/// `salary::extract` (+ `annualise`, `seniority`): a found salary is positive, finite and `min <= max`, its currency
/// a 3-letter ISO code, its period a known one, and it annualises.
pub fn salary(data: &[u8]) {
    let text = lossy(data);
    let _ = jobtrend::salary::seniority(&text);
    let Some(s) = jobtrend::salary::extract(&text) else { return };
    assert!(s.min.is_finite() && s.max.is_finite() && s.min > 0.0 && s.min <= s.max, "bad amounts {s:?}");
    assert!(s.currency.len() == 3 && s.currency.bytes().all(|b| b.is_ascii_uppercase()), "currency {s:?}");
    assert!(["year", "month", "week", "day", "hour"].contains(&s.period.as_str()), "period {s:?}");
    assert!(jobtrend::salary::annualise(&s).is_some(), "does not annualise: {s:?}");
}

/// `net::feed::parse_feed` (RSS, Atom, JSON Feed): typed error or postings with `feed:` ids,
/// non-empty text is not required (an item may have no content) but ids and months are.
pub fn feed(data: &[u8]) {
    let Ok(ps) = net::feed::parse_feed("https://example.com/feed", data) else { return };
    for p in ps {
        assert!(p.id.starts_with("feed:") && p.id.len() > 5, "feed posting id {:?}", p.id);
        let p = p.finish(epoch());
        assert!(is_month(&p.month), "feed posting {:?} has month {:?}", p.id, p.month);
    }
}

/// The pure pieces of the JSON API sources (their `to_posting` functions are private and only
/// reachable through HTTP): `parse_json` of any body, Greenhouse's `content_text`,
/// `repair_mojibake`, HN's `thread_month`, `parse_retry_after`.
pub fn json_api(data: &[u8]) {
    let _ = net::parse_json::<serde_json::Value>("https://example.com/api", data);
    let s = lossy(data);
    let _ = net::greenhouse::content_text(&s);
    let r = net::repair_mojibake(&s);
    assert!(r.len() <= s.len() * 2 + 4, "repair_mojibake grew {} → {} bytes", s.len(), r.len());
    if let Some(m) = net::hn_api::thread_month(&s) {
        assert!(is_month(&m), "thread_month gave {m:?}");
    }
    let _ = net::parse_retry_after(&s);
}

fn matcher() -> &'static Matcher {
    static M: OnceLock<Matcher> = OnceLock::new();
    M.get_or_init(|| {
        let tax = Taxonomy::builtin().expect("the built-in taxonomy loads");
        Matcher::new(&tax).expect("the built-in taxonomy compiles")
    })
}

/// The keyword matcher and the role classifier: ids in range, counts ≥ 1, roles never empty,
/// sorted and unique.
pub fn keywords_roles(data: &[u8]) {
    let text = lossy(data);
    let m = matcher();
    let found = m.find(&text);
    for w in found.windows(2) {
        assert!(w[0].0 < w[1].0, "find() not sorted/unique: {found:?}");
    }
    for &(i, n) in &found {
        assert!(i < m.len() && n >= 1, "find() gave ({i}, {n})");
    }
    let _ = m.explain(&text);
    let (title, body) = text.split_once('\n').unwrap_or(("", &text));
    for (t, src) in [(Some(title), "jsonld"), (None, "hn"), (None, "html")] {
        let roles = jobtrend::roles::classify(t, body, src);
        assert!(!roles.is_empty(), "classify gave no role");
        let mut sorted = roles.clone();
        sorted.dedup();
        assert_eq!(sorted.len(), roles.len(), "classify repeated a role: {roles:?}");
        for r in &roles {
            assert!(jobtrend::roles::ROLES.contains(r), "unknown role {r:?}");
        }
    }
}

/// `report::html_escape`: nothing that could open a tag or end an attribute survives.
pub fn html_escape(s: &str) {
    let e = jobtrend::report::html_escape(s);
    assert!(!e.contains(['<', '>', '"', '\'']), "html_escape left markup in {e:?}");
    // Every `&` starts one of the five entities it writes.
    for (i, _) in e.match_indices('&') {
        let rest = &e[i..];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"].iter().any(|x| rest.starts_with(x)),
            "html_escape left a bare & in {e:?}"
        );
    }
}
