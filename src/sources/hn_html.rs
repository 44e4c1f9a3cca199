//! Saved Hacker News item pages ("Ask HN: Who is hiring?" threads and their kin).
//!
//! In: the HTML of one saved `news.ycombinator.com/item?id=N[&p=P]` page, any markup generation
//! from 2011 to 2026 (unquoted attributes without `athing` rows; `<tr class='athing'>`;
//! `'athing comtr '` with `<span class="c00">` bodies; `commtext` spans; `indent='0'` cells;
//! `<div class="commtext">` bodies; re-serialised double-quoted pages).
//! Out: an [`HnPage`]: the thread id, title, kind, month, and the postings — the top-level
//! comments that have text and that HN did not collapse, each with its id, its time (from the age
//! span's `title`, when the page has one) and its plain text. [`posting_from`] turns one into a
//! [`Posting`].
//!
//! A raw-text scanner, no DOM: it finds the comment rows (`athing comtr`, or for pages older than
//! those, the `s.gif` indent cells), reads each row's indent, id, class, age title and body, and
//! converts only the bodies of postings to text. It runs at a few hundred MB/s.
//!
//! What is a posting follows `shared/data/README.md`: a top-level row (indent 0) whose body has
//! text and whose row class lacks `coll`. `[deleted]`, `[flagged]` and `[dead]` rows carry no body
//! element and are skipped; replies (indent > 0) are skipped. A page cut mid-comment keeps the
//! complete comments before the cut and is marked [`HnPage::truncated`].

use std::collections::HashSet;

use chrono::{DateTime, NaiveDateTime, Utc};
use memchr::memmem;

use super::hn_header::header_fields;
use crate::posting::{DateSource, Posting};
use crate::text::{decode_entities, html_to_text};

/// `memmem::find` with the needle's searcher built once per call site: the per-comment lookups
/// below run several times per comment, and building a searcher on every call was 1-1.6% of an ingest.
macro_rules! find {
    ($haystack:expr, $needle:expr) => {{
        static FINDER: std::sync::LazyLock<memmem::Finder<'static>> =
            std::sync::LazyLock::new(|| memmem::Finder::new($needle));
        FINDER.find($haystack)
    }};
}

/// One top-level comment of a thread page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HnComment {
    pub id: u64,
    /// From the age span's `title` (UTC); `None` on pages older than 2021-05, which have none.
    pub posted_at: Option<DateTime<Utc>>,
    /// Plain text of the comment body.
    pub text: String,
}

/// What thread a page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreadKind {
    /// "Ask HN: Who is hiring? (Month YYYY)".
    WhoIsHiring,
    /// "Who wants to be hired?", "Freelancer? Seeking freelancer?", a single comment's page, anything else.
    Other,
}

/// One parsed page.
#[derive(Debug, Clone, PartialEq)]
pub struct HnPage {
    /// The id of the item the page shows (the story, or the comment of a single-comment page).
    pub thread_id: Option<u64>,
    /// The page title without the " | Hacker News" suffix.
    pub title: String,
    pub kind: ThreadKind,
    /// `YYYY-MM` from the title's "(Month YYYY)", `None` when it has none.
    pub month: Option<String>,
    /// Top-level comments with text, not collapsed, de-duplicated within the page, in page order.
    pub postings: Vec<HnComment>,
    /// The page ends early (cut mid-comment, or no closing `</html>`); the postings before the cut are kept.
    pub truncated: bool,
}

/// Why a page could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HnError {
    #[error("not a saved Hacker News item page")]
    NotHn,
    #[error("the Hacker News page has no title")]
    NoTitle,
    #[error("the Hacker News page has no comment tree")]
    NoCommentTree,
    #[error("the Hacker News page is truncated before its comments")]
    Truncated,
}

/// Cheap sniff: is this a saved news.ycombinator.com item page?
pub fn looks_like_hn(html: &str) -> bool {
    let b = html.as_bytes();
    let head = &b[..b.len().min(16 * 1024)];
    // Pages since ~2016 say which view they are: `<html lang="en" op="item">` (`op="news"`,
    // `op="threads"`... are other views, not item pages).
    if let Some(h) = memmem::find(head, b"<html") {
        let tag = &head[h..memchr::memchr(b'>', &head[h..]).map_or(head.len(), |e| h + e)];
        if let Some(o) = memmem::find(tag, b" op=") {
            return skip_quote(&tag[o + 4..]).starts_with(b"item");
        }
    }
    let hn_assets = memmem::find(head, b"news.css").is_some()
        || memmem::find(head, b"hnname").is_some()
        || memmem::find(head, b"y18.gif").is_some();
    hn_assets
        && memmem::find(head, b"Hacker News").is_some()
        && memmem::find(&b[..b.len().min(128 * 1024)], b"item?id=").is_some()
}

/// Parses one saved page (see the module doc).
pub fn parse(html: &str) -> Result<HnPage, HnError> {
    if !looks_like_hn(html) {
        return Err(HnError::NotHn);
    }
    let b = html.as_bytes();
    let complete = {
        let tail = &b[b.len().saturating_sub(4096)..];
        memmem::find(tail, b"</html>").is_some() || memmem::find(tail, b"</HTML>").is_some()
    };
    let title = page_title(html).ok_or(if complete { HnError::NoTitle } else { HnError::Truncated })?;
    let kind = thread_kind(&title);
    let month = title_month(&title);

    let modern = memmem::find(b, b"athing comtr").is_some();
    let anchors = if modern { modern_anchors(b) } else { old_anchors(b) };
    let first_anchor = anchors.first().copied().unwrap_or(b.len());
    if anchors.is_empty() && memmem::find(b, b"comment-tree").is_none() {
        return Err(if complete { HnError::NoCommentTree } else { HnError::Truncated });
    }
    let thread_id = thread_id(b, first_anchor);
    // A single comment's page (its text sits above the comment tree) is never a thread, whatever
    // its title (the comment's first words) says.
    let kind = if comment_start(&b[..first_anchor]).is_some() { ThreadKind::Other } else { kind };

    let mut postings = Vec::new();
    let mut seen = HashSet::new();
    let mut truncated = !complete;
    for (k, &start) in anchors.iter().enumerate() {
        let end = anchors.get(k + 1).copied().unwrap_or(b.len());
        match read_row(html, start, end, modern) {
            Row::Incomplete => {
                truncated = true;
                break;
            }
            Row::Skip => {}
            Row::Posting(c) => {
                if seen.insert(c.id) {
                    postings.push(c);
                }
            }
        }
    }
    Ok(HnPage { thread_id, title, kind, month, postings, truncated })
}

/// Turns one posting of a page into a [`Posting`] (id `hn:<id>`, source `hn`, the thread's month).
pub fn posting_from(c: &HnComment, page: &HnPage) -> Posting {
    posting_from_owned(c.clone(), page)
}

/// [`posting_from`], taking the comment (its text moves into the posting, uncopied).
pub fn posting_from_owned(c: HnComment, page: &HnPage) -> Posting {
    let head = header_fields(c.text.lines().next().unwrap_or(""));
    let mut p = Posting::new(format!("hn:{}", c.id), "hn", c.text);
    p.url = Some(format!("https://news.ycombinator.com/item?id={}", c.id));
    p.posted_at = c.posted_at;
    if let Some(m) = &page.month {
        p.month = m.clone();
    }
    p.date_source = match (c.posted_at, &page.month) {
        (Some(_), _) => Some(DateSource::Posting),
        (None, Some(_)) => Some(DateSource::Thread),
        (None, None) => None,
    };
    p.company = head.company;
    p.title = head.title;
    p.location = head.location;
    p
}

// ---------------------------------------------------------------------------------------------
// Page-level fields

fn page_title(html: &str) -> Option<String> {
    let b = html.as_bytes();
    let from_tag = memmem::find(b, b"<title>").and_then(|s| {
        let s = s + 7;
        let e = memmem::find(&b[s..], b"</title>").map(|e| s + e)?;
        Some(clean_title(&html[s..e]))
    });
    if let Some(t) = from_tag.filter(|t| !t.is_empty()) {
        return Some(t);
    }
    // The story link: `class="storylink">T</a>`, `class="titleline"><a ...>T</a>`, `class="title"><a ...>T</a>`.
    for pat in [&b"class=\"storylink\""[..], b"class=\"titleline\"", b"class=\"title\"><a "] {
        let Some(p) = memmem::find(b, pat) else { continue };
        let open_end = if pat.starts_with(b"class=\"storylink\"") {
            p
        } else {
            let Some(a) = memmem::find(&b[p..], b"<a ").map(|a| p + a) else { continue };
            a
        };
        let Some(s) = memchr::memchr(b'>', &b[open_end..]).map(|x| open_end + x + 1) else { continue };
        let Some(e) = memmem::find(&b[s..], b"</a>").map(|e| s + e) else { continue };
        let t = clean_title(&html[s..e]);
        if !t.is_empty() {
            return Some(t);
        }
    }
    None
}

fn clean_title(raw: &str) -> String {
    let t = decode_entities(raw);
    let mut t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    for suffix in [" | Hacker News", " - Hacker News", " | Hacker News News"] {
        if let Some(s) = t.strip_suffix(suffix) {
            t = s.trim().to_string();
        }
    }
    for prefix in ["Hacker News | ", "Hacker News - ", "Hacker News: "] {
        if let Some(s) = t.strip_prefix(prefix) {
            t = s.trim().to_string();
        }
    }
    t
}

fn thread_kind(title: &str) -> ThreadKind {
    let l = title.to_lowercase();
    let hiring = l.contains("who is hiring") || l.contains("who's hiring") || l.contains("who’s hiring");
    if hiring && !l.contains("wants to be hired") && !l.contains("freelancer") {
        ThreadKind::WhoIsHiring
    } else {
        ThreadKind::Other
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// `YYYY-MM` from a "(Month YYYY)" in the title (the last such group wins).
fn title_month(title: &str) -> Option<String> {
    let mut best = None;
    for (open, _) in title.match_indices('(') {
        let Some(close) = title[open..].find(')') else { continue };
        let inner = title[open + 1..open + close].trim().to_lowercase();
        let mut words = inner.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty());
        let (Some(m), Some(y), None) = (words.next(), words.next(), words.next()) else { continue };
        let m = m.trim_end_matches('.');
        let Some(mi) = MONTHS.iter().position(|name| {
            *name == m || (m.len() >= 3 && name.starts_with(m)) || (m == "sept" && *name == "september")
        }) else {
            continue;
        };
        if y.len() == 4 && y.bytes().all(|c| c.is_ascii_digit()) {
            best = Some(format!("{y}-{:02}", mi + 1));
        }
    }
    best
}

/// The id of the item the page shows: the `fatitem` row's id, else the first vote link or
/// `item?id=` before the comments.
fn thread_id(b: &[u8], first_anchor: usize) -> Option<u64> {
    let head = &b[..first_anchor];
    if let Some(f) = memmem::find(head, b"fatitem") {
        let region = &head[f..];
        if let Some(a) = memmem::find(region, b"athing")
            && let Some(id) = attr_digits(&region[a..region.len().min(a + 200)], b"id=")
        {
            return Some(id);
        }
    }
    for pat in [&b"id=up_"[..], b"id='up_", b"id=\"up_", b"item?id="] {
        if let Some(p) = memmem::find(head, pat)
            && let Some(id) = digits(&head[p + pat.len()..])
        {
            return Some(id);
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Comment rows

/// Positions of `athing comtr` (one per comment row) — 2016 on.
fn modern_anchors(b: &[u8]) -> Vec<usize> {
    memmem::find_iter(b, b"athing comtr").collect()
}

/// Positions of the indent cells (`<td><img src="...s.gif" height=1 width=N></td>`) — pages
/// older than `athing comtr`. The vote spacer (`<center><img src="s.gif" ... width=14>`) and the
/// page spacers (`height=10`) are not indent cells.
fn old_anchors(b: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    for p in memmem::find_iter(b, b"s.gif") {
        let Some(img) = memmem::rfind(&b[p.saturating_sub(120)..p], b"<img").map(|x| p.saturating_sub(120) + x) else {
            continue;
        };
        // The img must be the first thing in a <td ...> cell.
        let before = &b[img.saturating_sub(80)..img];
        let Some(td) = memmem::rfind(before, b"<td") else { continue };
        if before.last() != Some(&b'>') || memchr::memchr(b'<', &before[td + 1..]).is_some() {
            continue;
        }
        let Some(tag_end) = memchr::memchr(b'>', &b[p..]).map(|e| p + e) else { continue };
        let tag = &b[img..tag_end];
        if attr_digits(tag, b"height=") != Some(1) || attr_digits(tag, b"width=").is_none() {
            continue;
        }
        out.push(img);
    }
    out
}

enum Row {
    /// Not a posting (a reply, collapsed, no text).
    Skip,
    Posting(HnComment),
    /// The row is cut off (end of a truncated page).
    Incomplete,
}

fn read_row(html: &str, start: usize, end: usize, modern: bool) -> Row {
    let b = html.as_bytes();
    let seg = &b[start..end];
    // The body first: a row without its end marker is cut off.
    let Some(cstart) = comment_start(seg) else {
        return if end == b.len() { Row::Incomplete } else { Row::Skip };
    };
    let Some((body_start, body_end)) = body_bounds(seg, cstart) else {
        return Row::Incomplete;
    };

    let (collapsed, id) = if modern {
        // `athing comtr[ coll][ noshow]' id='N'`
        let q = memchr::memchr2(b'\'', b'"', seg).unwrap_or(0);
        let class = &seg[..q];
        let coll = class.split(|c| c.is_ascii_whitespace()).any(|w| w == b"coll");
        (coll, attr_digits(&seg[q..seg.len().min(q + 40)], b"id="))
    } else {
        (false, None)
    };
    let head = &seg[..cstart];
    let id = id.or_else(|| {
        let ch = find!(head, b"comhead")?;
        let p = find!(&head[ch..], b"item?id=")?;
        digits(&head[ch + p + 8..])
    });
    let id = id.or_else(|| {
        let p = find!(head, b"up_")?;
        digits(&head[p + 3..])
    });
    let Some(id) = id else { return Row::Skip };
    if collapsed || indent(head) != Some(0) {
        return Row::Skip;
    }
    let text = html_to_text(&html[start + body_start..start + body_end]);
    if text.is_empty() || matches!(text.as_str(), "[deleted]" | "[flagged]" | "[dead]") {
        return Row::Skip;
    }
    Row::Posting(HnComment { id, posted_at: age_title(head), text })
}

/// Indent level: `indent='N'`, else the indent image's `width=N` / 40.
fn indent(head: &[u8]) -> Option<u64> {
    let window = &head[..head.len().min(600)];
    if let Some(p) = find!(window, b"indent=") {
        return digits(skip_quote(&window[p + 7..]));
    }
    let g = find!(head, b"s.gif")?;
    let e = memchr::memchr(b'>', &head[g..]).map_or(head.len(), |e| g + e);
    attr_digits(&head[g..e], b"width=").map(|w| w / 40)
}

/// Offset just past the comment container's start tag (`<div class="comment">`,
/// `<span class="comment">`, `class="comment noshow"`), not `comment-tree`.
fn comment_start(seg: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(p) = find!(&seg[from..], b"class=").map(|p| from + p) {
        let v = skip_quote(&seg[p + 6..]);
        if v.starts_with(b"comment") && matches!(v.get(7), Some(b'"' | b'\'' | b' ' | b'>')) {
            let gt = memchr::memchr(b'>', &seg[p..])?;
            return Some(p + gt + 1);
        }
        from = p + 6;
    }
    None
}

/// The body inside the comment container: skips the body element's start tag (`<span class="c00">`,
/// `<span class="commtext c5a">`, `<div class="commtext c00">`, `<font color=#000000>`) and ends at
/// the first `<div` (the reply div), `<font size` (the old reply link) or `</td>`.
/// Returns `(start, end)` as offsets into `seg`; `None` when no end is found.
fn body_bounds(seg: &[u8], cstart: usize) -> Option<(usize, usize)> {
    let mut s = cstart;
    while s < seg.len() && seg[s].is_ascii_whitespace() {
        s += 1;
    }
    let rest = &seg[s..];
    let has_elem = (rest.starts_with(b"<span") || rest.starts_with(b"<div") || rest.starts_with(b"<font"))
        && rest.get(..80).is_some_and(|h| {
            let gt = memchr::memchr(b'>', h).unwrap_or(h.len());
            let tag = &h[..gt];
            find!(tag, b"commtext").is_some()
                || find!(tag, b"color=").is_some()
                || find!(tag, b"class=").is_some_and(|c| {
                    let v = skip_quote(&tag[c + 6..]);
                    v.len() >= 3 && v[0] == b'c' && v[1].is_ascii_hexdigit() && v[2].is_ascii_hexdigit()
                })
        });
    let mut from = s;
    if has_elem {
        from = s + memchr::memchr(b'>', rest)? + 1;
    }
    let mut k = from;
    while let Some(p) = memchr::memchr(b'<', &seg[k..]) {
        let at = k + p;
        let t = &seg[at..];
        if t.starts_with(b"<div") || t.starts_with(b"<font size") || t.starts_with(b"</td") {
            return Some((from, at));
        }
        k = at + 1;
    }
    None
}

/// The age span's `title`: `2021-09-10T23:15:59`, `2024-09-02T15:48:00.000000Z`,
/// `2026-01-02T16:00:42 1767369642` (ISO, space, epoch seconds), all UTC.
fn age_title(head: &[u8]) -> Option<DateTime<Utc>> {
    let p = find!(head, b"class=\"age\"").or_else(|| find!(head, b"class='age'"))?;
    let rest = &head[p + 11..head.len().min(p + 120)];
    let rest = rest.strip_prefix(b" title=")?;
    let q = *rest.first()?;
    if q != b'"' && q != b'\'' {
        return None;
    }
    let e = memchr::memchr(q, &rest[1..])?;
    let v = std::str::from_utf8(&rest[1..=e]).ok()?;
    parse_age(v)
}

fn parse_age(v: &str) -> Option<DateTime<Utc>> {
    let mut parts = v.split_whitespace();
    let iso = parts.next()?;
    let iso_t = iso.trim_end_matches('Z');
    if let Ok(t) = NaiveDateTime::parse_from_str(iso_t, "%Y-%m-%dT%H:%M:%S%.f") {
        return Some(t.and_utc());
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(iso) {
        return Some(t.with_timezone(&Utc));
    }
    let epoch = if iso.bytes().all(|c| c.is_ascii_digit()) { Some(iso) } else { parts.next() };
    epoch.and_then(|e| e.parse::<i64>().ok()).and_then(|s| DateTime::from_timestamp(s, 0))
}

// ---------------------------------------------------------------------------------------------
// Small byte helpers

fn skip_quote(b: &[u8]) -> &[u8] {
    match b.first() {
        Some(b'\'' | b'"') => &b[1..],
        _ => b,
    }
}

/// Leading decimal digits as a number.
fn digits(b: &[u8]) -> Option<u64> {
    let n = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if n == 0 || n > 19 {
        return None;
    }
    std::str::from_utf8(&b[..n]).ok()?.parse().ok()
}

/// The numeric value of attribute `name` (e.g. `width=`) in `tag`, quoted or not. The name must
/// start the attribute (preceded by a space, a quote or the tag start).
fn attr_digits(tag: &[u8], name: &[u8]) -> Option<u64> {
    let mut from = 0;
    while let Some(p) = memmem::find(&tag[from..], name).map(|p| from + p) {
        let ok = p == 0 || matches!(tag[p - 1], b' ' | b'\'' | b'"' | b'\t' | b'\n');
        if ok && let Some(v) = digits(skip_quote(&tag[p + name.len()..])) {
            return Some(v);
        }
        from = p + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_from_titles() {
        let cases = [
            ("Ask HN: Who is hiring? (March 2018)", Some("2018-03")),
            ("Ask HN: Who is hiring? (Sept 2012)", Some("2012-09")),
            ("Ask HN: Who is hiring? (Dec. 2013)", Some("2013-12")),
            ("Ask HN: Who is hiring? (April, 2011)", Some("2011-04")),
            ("Ask HN: Who wants to be hired? (January 2026)", Some("2026-01")),
            ("Ask HN: Who is hiring?", None),
            ("Ask HN: Who is hiring? (remote) (May 2019)", Some("2019-05")),
            ("Something (Mayhem 2019)", None),
        ];
        for (t, want) in cases {
            assert_eq!(title_month(t).as_deref(), want, "{t}");
        }
    }

    #[test]
    fn kinds() {
        let cases = [
            ("Ask HN: Who is hiring? (March 2018)", ThreadKind::WhoIsHiring),
            ("Ask HN: Who is Hiring? (April 2011)", ThreadKind::WhoIsHiring),
            ("Ask HN: Who wants to be hired? (March 2018)", ThreadKind::Other),
            ("Ask HN: Freelancer? Seeking freelancer? (March 2018)", ThreadKind::Other),
            ("Acme | Rust engineer | Remote", ThreadKind::Other),
        ];
        for (t, want) in cases {
            assert_eq!(thread_kind(t), want, "{t}");
        }
    }

    #[test]
    fn age_formats() {
        let cases = [
            ("2021-09-10T23:15:59", Some("2021-09-10T23:15:59Z")),
            ("2024-09-02T15:48:00.000000Z", Some("2024-09-02T15:48:00Z")),
            ("2026-01-02T16:00:42 1767369642", Some("2026-01-02T16:00:42Z")),
            ("1767369642", Some("2026-01-02T16:00:42Z")),
            ("yesterday", None),
        ];
        for (v, want) in cases {
            let want: Option<DateTime<Utc>> = want.map(|w| w.parse().unwrap());
            assert_eq!(parse_age(v), want, "{v}");
        }
    }

    #[test]
    fn titles() {
        let cases = [
            ("<title>Ask HN: Who is hiring? (March 2018) | Hacker News</title>", "Ask HN: Who is hiring? (March 2018)"),
            ("<title>Hacker News | Ask HN: Who is Hiring? (May 2012)</title>", "Ask HN: Who is Hiring? (May 2012)"),
            ("<title>Q&amp;A | Hacker News</title>", "Q&A"),
            (
                "<title></title><a href=\"item?id=1\" class=\"storylink\">Ask HN: Who is hiring? (June 2018)</a>",
                "Ask HN: Who is hiring? (June 2018)",
            ),
        ];
        for (html, want) in cases {
            assert_eq!(page_title(html).as_deref(), Some(want), "{html}");
        }
        assert_eq!(page_title("<p>no title</p>"), None);
    }

    /// A modern row, shaped like 2021-09..2024-05 pages.
    fn row(id: u64, class: &str, indent: u32, age: &str, body: &str) -> String {
        format!(
            "<tr class='athing comtr{class}' id='{id}'><td><table border='0'><tr><td class='ind'indent='{indent}'>\
             <img src=\"s.gif\" height=\"1\" width=\"{w}\"></td><td class=\"default\"><div><span class=\"comhead\">\
             <a href=\"user?id=u\" class=\"hnuser\">u</a> <span class=\"age\"{age}><a href=\"item?id={id}\">1 day ago</a>\
             </span></span></div><br><div class=\"comment\">\n{body}\n<div class='reply'><p><font size=\"1\"></font>\
             </div></div></td></tr></table></td></tr>\n",
            w = indent * 40
        )
    }

    fn page(rows: &str, tail: &str) -> String {
        format!(
            "<html lang=\"en\" op=\"item\"><head><link rel=\"stylesheet\" href=\"news.css\">\
             <title>Ask HN: Who is hiring? (September 2021) | Hacker News</title></head><body>\
             <table class=\"fatitem\"><tr class='athing' id='28380661'><td></td></tr></table>\
             <table class='comment-tree'>{rows}</table>{tail}"
        )
    }

    #[test]
    fn row_table() {
        let t = " title=\"2021-09-10T23:15:59\"";
        let rows = [
            row(1, "", 0, t, "<span class=\"commtext c00\">Acme | Engineer<p>We&#x27;re hiring</span>"),
            row(2, "", 1, t, "<span class=\"commtext c00\">a reply</span>"),
            row(3, " coll", 0, t, "<span class=\"commtext c00\">chatter</span>"),
            row(4, "", 0, "", "[deleted]"),
            row(5, "", 0, t, "<span class=\"commtext c5a\">Downvoted Co | Dev</span>"),
            row(1, "", 0, t, "<span class=\"commtext c00\">Acme | Engineer<p>We&#x27;re hiring</span>"),
            row(6, "", 0, "", "<span class=\"commtext c00\">no time</span>"),
        ]
        .concat();
        let p = parse(&page(&rows, "</body></html>")).unwrap();
        assert_eq!(p.thread_id, Some(28380661));
        assert_eq!(p.kind, ThreadKind::WhoIsHiring);
        assert_eq!(p.month.as_deref(), Some("2021-09"));
        assert!(!p.truncated);
        let got: Vec<(u64, &str, bool)> =
            p.postings.iter().map(|c| (c.id, c.text.as_str(), c.posted_at.is_some())).collect();
        assert_eq!(
            got,
            vec![(1, "Acme | Engineer\nWe're hiring", true), (5, "Downvoted Co | Dev", true), (6, "no time", false)]
        );
        let post = posting_from(&p.postings[0], &p);
        assert_eq!(post.id, "hn:1");
        assert_eq!(post.company.as_deref(), Some("Acme"));
        assert_eq!(post.month, "2021-09");
        assert_eq!(post.date_source, Some(DateSource::Posting));
    }

    #[test]
    fn truncated_rows() {
        let t = " title=\"2021-09-10T23:15:59\"";
        let full =
            [row(1, "", 0, t, "<span class=\"commtext c00\">one</span>"), row(2, "", 0, t, "<span>two")].concat();
        let cut = &full[..full.len() - 150];
        let p = parse(&page(cut, "")).unwrap();
        assert!(p.truncated);
        assert_eq!(p.postings.iter().map(|c| c.id).collect::<Vec<_>>(), vec![1]);
        // Every prefix parses without panicking.
        let whole = page(&full, "</body></html>");
        for n in (0..whole.len()).filter(|n| whole.is_char_boundary(*n)) {
            let _ = parse(&whole[..n]);
        }
    }

    #[test]
    fn comment_page_is_other() {
        let html = "<html op=\"item\"><head><title>Who is hiring? We are, in Oslo | Hacker News</title></head><body>\
            <table class=\"fatitem\"><tr class=\"athing\" id=\"77\"><td class=\"default\"><span class=\"comhead\">\
            <a href=\"item?id=70\">parent</a></span><div class=\"comment\"><div class=\"commtext c00\">Who is hiring? \
            We are, in Oslo</div></div></td></tr></table><table class=\"comment-tree\"></table></body></html>";
        let p = parse(html).unwrap();
        assert_eq!((p.kind, p.thread_id, p.postings.len()), (ThreadKind::Other, Some(77), 0));
    }

    #[test]
    fn sniffing() {
        let cases = [
            ("<html lang=\"en\" op=\"item\"><head>", true),
            ("<html op='item'><head>", true),
            (
                "<html lang=\"en\" op=\"news\"><head><link href=\"news.css\"><title>Hacker News</title><a href=\"item?id=1\">",
                false,
            ),
            ("<html lang=\"en\" op=\"threads\"><head>", false),
            (
                "<html><head><link href=\"http://ycombinator.com/news.css\"><title>Ask HN | Hacker News</title></head>\
              <a href=\"item?id=5\">",
                true,
            ),
            ("<html><head><title>Hacker News is great</title></head><a href=\"item?id=5\">", false),
        ];
        for (html, want) in cases {
            assert_eq!(looks_like_hn(html), want, "{html}");
        }
    }

    #[test]
    fn errors() {
        assert_eq!(parse("<html><body>hello</body></html>"), Err(HnError::NotHn));
        let no_tree = "<html op=\"item\"><head><title>Ask HN: x | Hacker News</title></head><body></body></html>";
        assert_eq!(parse(no_tree), Err(HnError::NoCommentTree));
        let cut = "<html op=\"item\"><head><title>Ask HN: x | Hacker News</title></head><body><table>";
        assert_eq!(parse(cut), Err(HnError::Truncated));
        let untitled = "<html op=\"item\"><head></head><body><table class='comment-tree'></table></body></html>";
        assert_eq!(parse(untitled), Err(HnError::NoTitle));
    }
}
