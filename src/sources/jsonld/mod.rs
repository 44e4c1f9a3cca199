//! schema.org `JobPosting` in JSON-LD and microdata.
//!
//! In: a parsed page ([`scraper::Html`]) and, when known, the URL it was saved from.
//! Out: a [`JsonLdOutcome`] — one unfinished [`Posting`] (source `jsonld`) per
//! JobPosting found, plus a description of every JSON-LD block that could not be read (a broken
//! block never hides a good one beside it).
//!
//! What is read:
//! - every `<script type="application/ld+json">` block (type compared case-insensitively, whitespace
//!   and `; charset=...` ignored, `<!-- -->`/CDATA wrappers stripped, blocks over 5 MB refused): a
//!   single object, an array, `@graph`, nested lists (`ItemList`); `@type` as a string or an array,
//!   in the `JobPosting`, `schema:JobPosting` and `http(s)://schema.org/JobPosting` forms; `@id`
//!   references resolved across all blocks of the page;
//! - microdata items whose `itemtype` ends in `/JobPosting` (nested `itemscope`s become nested
//!   objects, then go through the same mapping as JSON-LD).
//!
//! Field mapping: `title` (else `name`); `description` (HTML, entity-decoded until no escaped tag
//! remains, at most 3 rounds, then [`html_to_text`]); `datePosted` (see [`parse_date`]);
//! `hiringOrganization` (object `name` or string); `jobLocation` (`address.addressLocality`,
//! `addressRegion`, `addressCountry`) and `jobLocationType: TELECOMMUTE` → `Remote`; `url`
//! (resolved against the page URL, else the page's canonical URL); `identifier`; `baseSalary`
//! (a missing `unitText` is taken as `year`; a salary without a currency is dropped).
//! A posting with no description but a title has the title as its text; one with neither is skipped.
//!
//! Ids (deterministic, documented for the store's dedup):
//! 1. the posting's key URL is its own `url`, else the page URL when the page holds exactly one posting;
//! 2. a key URL no other posting of the page shares → `jsonld:<url>`;
//! 3. a key URL shared by several postings → `jsonld:<url>#<identifier>`, else
//!    `jsonld:<url>#<short_hash([title, company, datePosted])>`;
//! 4. no URL at all → `jsonld:<short_hash([title, company, datePosted])>` (missing fields as `""`,
//!    `datePosted` as written in the source).
//!
//! The same posting given twice on one page (JSON-LD and microdata, or two blocks) is kept once,
//! the JSON-LD copy first.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Utc};
use scraper::{ElementRef, Html, Selector};
use serde_json::{Map, Value};

use crate::posting::{DateSource, Posting, Salary, month_of, short_hash};
use crate::text::{decode_entities, html_to_text};

mod microdata;
#[cfg(test)]
mod tests;

use microdata::microdata_items;

/// JSON-LD blocks larger than this are refused (recorded as an error).
pub const MAX_BLOCK_BYTES: usize = 5 * 1024 * 1024;

/// What [`extract`] found on one page.
#[derive(Debug, Default)]
pub struct JsonLdOutcome {
    /// One unfinished posting per JobPosting found (call [`Posting::finish`]).
    pub postings: Vec<Posting>,
    /// One line per JSON-LD block that could not be read, e.g. `JSON-LD block 2: expected ...`.
    pub errors: Vec<String>,
}

/// Extracts every schema.org JobPosting of a page (JSON-LD, then microdata).
pub fn extract(doc: &Html, page_url: Option<&str>) -> JsonLdOutcome {
    let mut errors = Vec::new();
    let blocks = ld_blocks(doc, &mut errors);

    let mut index = HashMap::new();
    for b in &blocks {
        index_ids(b, &mut index, 0);
    }
    let mut nodes: Vec<&Value> = Vec::new();
    for b in &blocks {
        collect_postings(b, &mut nodes, 0);
    }

    let base = page_url.map(str::to_string).filter(|u| is_absolute_http(u)).or_else(|| canonical_url(doc));
    let mut raws: Vec<Raw> = nodes.iter().filter_map(|n| map_posting(n, &index, base.as_deref())).collect();

    let micro: Vec<Value> = microdata_items(doc);
    let micro_index = HashMap::new();
    raws.extend(micro.iter().filter_map(|n| map_posting(n, &micro_index, base.as_deref())));

    JsonLdOutcome { postings: assign_ids(dedup(raws), base.as_deref()), errors }
}

/// The postings of JobPosting nodes already in JSON-LD shape (nested objects, no `@id`
/// references), as [`extract`] maps them: same fields, same ids for the same `page_url`.
/// Used for pages whose structured data arrives without the page (Web Data Commons quads).
pub fn postings_from_nodes(nodes: &[Value], page_url: Option<&str>) -> Vec<Posting> {
    let index = HashMap::new();
    let base = page_url.filter(|u| is_absolute_http(u));
    let raws = nodes.iter().filter_map(|n| map_posting(n, &index, base)).collect();
    assign_ids(dedup(raws), base)
}

/// The same posting twice on one page (JSON-LD + microdata, or two blocks): keep the first.
/// Same title, company and date, and the same URL or a URL on one side only.
fn dedup(raws: Vec<Raw>) -> Vec<Raw> {
    let mut kept: Vec<Raw> = Vec::with_capacity(raws.len());
    for r in raws {
        let dup = kept.iter().any(|k| {
            k.title == r.title
                && k.company == r.company
                && k.posted_at == r.posted_at
                && (k.url == r.url || k.url.is_none() || r.url.is_none())
        });
        if !dup {
            kept.push(r);
        }
    }
    kept
}

/// True when the page holds a JSON-LD block mentioning `JobPosting` or a microdata JobPosting item.
/// A cheap pre-check for page recognition: it does not parse the JSON.
pub fn has_job_posting(doc: &Html) -> bool {
    let scripts = sel("script[type]");
    if doc.select(&scripts).any(|s| is_ld_json(s) && s.text().any(|t| t.contains("JobPosting"))) {
        return true;
    }
    let items = sel("[itemtype]");
    doc.select(&items).any(|e| e.attr("itemtype").is_some_and(is_job_posting_itemtype))
}

/// Parses the dates job pages use: `2024-03-05`, RFC 3339 (`2024-03-05T10:00:00+02:00`, `...Z`),
/// a datetime without an offset (taken as UTC, with or without seconds and fractions, `T` or a
/// space), `+0200` offsets, `2024/03/05` and RFC 2822. Years outside 1970..=2100 are refused.
pub fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if s.len() < 8 || s.len() > 64 {
        return None;
    }
    let t = parse_date_inner(s)?;
    let y = chrono::Datelike::year(&t);
    (1970..=2100).contains(&y).then_some(t)
}

fn parse_date_inner(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    // Lower-case `t`/`z`, or a space instead of `T`, with an offset.
    let norm = s.replace(['t', 'T'], "T").replace('z', "Z");
    if let Ok(t) = DateTime::parse_from_rfc3339(&norm) {
        return Some(t.with_timezone(&Utc));
    }
    for f in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%dT%H:%M%z", "%Y-%m-%d %H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f %z"] {
        if let Ok(t) = DateTime::<FixedOffset>::parse_from_str(s, f) {
            return Some(t.with_timezone(&Utc));
        }
    }
    for f in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Some(t.and_utc());
        }
    }
    for f in ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
        }
    }
    // A date followed by something else (`2024-03-05 (updated)`): take the leading date.
    if s.len() > 10
        && s.is_char_boundary(10)
        && let Ok(d) = NaiveDate::parse_from_str(&s[..10], "%Y-%m-%d")
        && !s.as_bytes()[10].is_ascii_digit()
    {
        return d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    }
    DateTime::parse_from_rfc2822(s).ok().map(|t| t.with_timezone(&Utc))
}

// ---------------------------------------------------------------------------------------------
// JSON-LD blocks

fn sel(s: &str) -> Selector {
    // The selectors are constants of this module; a failure is a programming error caught by tests.
    Selector::parse(s).unwrap_or_else(|e| panic!("bad built-in selector {s:?}: {e}"))
}

fn is_ld_json(script: ElementRef<'_>) -> bool {
    script.attr("type").is_some_and(|t| {
        let mime = t.split(';').next().unwrap_or("").trim();
        mime.eq_ignore_ascii_case("application/ld+json")
    })
}

/// Every readable JSON-LD block of the page, in document order; unreadable ones go to `errors`.
fn ld_blocks(doc: &Html, errors: &mut Vec<String>) -> Vec<Value> {
    let scripts = sel("script[type]");
    let mut out = Vec::new();
    for (k, script) in doc.select(&scripts).filter(|s| is_ld_json(*s)).enumerate() {
        let n = k + 1;
        let raw: String = script.text().collect();
        if raw.len() > MAX_BLOCK_BYTES {
            errors.push(format!("JSON-LD block {n}: {} bytes, over the {MAX_BLOCK_BYTES}-byte limit", raw.len()));
            continue;
        }
        let body = strip_wrappers(&raw);
        if body.is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(body) {
            Ok(v) => out.push(v),
            Err(e) => {
                // Raw control characters inside strings are common in the wild; escape them and retry.
                let fixed = escape_controls_in_strings(body);
                match serde_json::from_str::<Value>(fixed.trim_end_matches(';')) {
                    Ok(v) => out.push(v),
                    Err(_) => errors.push(format!("JSON-LD block {n}: {e}")),
                }
            }
        }
    }
    out
}

/// Strips `<!-- -->` and `//<![CDATA[ ... //]]>` wrappers and surrounding whitespace.
fn strip_wrappers(raw: &str) -> &str {
    let mut s = raw.trim().trim_start_matches('\u{feff}').trim();
    for (open, close) in [("<!--", "-->"), ("//<![CDATA[", "//]]>"), ("<![CDATA[", "]]>")] {
        if let Some(rest) = s.strip_prefix(open) {
            s = rest.trim();
            if let Some(rest) = s.strip_suffix(close) {
                s = rest.trim();
            }
        }
    }
    s
}

/// Escapes raw control characters (newlines, tabs) that appear inside JSON strings.
fn escape_controls_in_strings(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    let mut in_str = false;
    let mut escaped = false;
    for c in s.chars() {
        if in_str {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_str = false;
            } else if (c as u32) < 0x20 {
                match c {
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    _ => out.push_str(&format!("\\u{:04x}", c as u32)),
                }
                continue;
            }
        } else if c == '"' {
            in_str = true;
        }
        out.push(c);
    }
    out
}

/// Indexes every node that has an `@id` and more than that (a definition, not a reference).
fn index_ids<'a>(v: &'a Value, index: &mut HashMap<String, &'a Value>, depth: usize) {
    if depth > 200 {
        return;
    }
    match v {
        Value::Object(m) => {
            if let Some(Value::String(id)) = m.get("@id")
                && m.len() > 1
            {
                index.entry(id.clone()).or_insert(v);
            }
            for c in m.values() {
                index_ids(c, index, depth + 1);
            }
        }
        Value::Array(a) => a.iter().for_each(|c| index_ids(c, index, depth + 1)),
        _ => {}
    }
}

/// Collects JobPosting nodes anywhere in a block (not inside another JobPosting).
fn collect_postings<'a>(v: &'a Value, out: &mut Vec<&'a Value>, depth: usize) {
    if depth > 200 {
        return;
    }
    match v {
        Value::Object(m) => {
            if m.get("@type").is_some_and(is_job_posting_type) {
                out.push(v);
                return;
            }
            for c in m.values() {
                collect_postings(c, out, depth + 1);
            }
        }
        Value::Array(a) => a.iter().for_each(|c| collect_postings(c, out, depth + 1)),
        _ => {}
    }
}

/// The last segment of a type IRI: `http://schema.org/JobPosting`, `schema:JobPosting` → `JobPosting`.
fn type_name(t: &str) -> &str {
    t.trim().rsplit(['/', ':', '#']).next().unwrap_or("")
}

fn is_job_posting_type(t: &Value) -> bool {
    match t {
        Value::String(s) => type_name(s).eq_ignore_ascii_case("JobPosting"),
        Value::Array(a) => a.iter().any(is_job_posting_type),
        _ => false,
    }
}

fn is_job_posting_itemtype(t: &str) -> bool {
    t.split_whitespace().any(|t| t.rsplit('/').next().is_some_and(|n| n.eq_ignore_ascii_case("JobPosting")))
}

// ---------------------------------------------------------------------------------------------
// Mapping a JobPosting node

/// A posting before its id is known.
struct Raw {
    title: Option<String>,
    company: Option<String>,
    location: Option<String>,
    url: Option<String>,
    identifier: Option<String>,
    date_raw: Option<String>,
    posted_at: Option<DateTime<Utc>>,
    salary: Option<Salary>,
    text: String,
}

struct Ctx<'a, 'b> {
    index: &'b HashMap<String, &'a Value>,
}

impl<'a, 'b> Ctx<'a, 'b> {
    /// Follows an `{"@id": ...}` reference to its definition (one hop).
    fn deref(&self, v: &'a Value) -> &'a Value {
        if let Value::Object(m) = v
            && let Some(Value::String(id)) = m.get("@id")
            && !m.contains_key("@type")
            && let Some(def) = self.index.get(id.as_str())
        {
            return def;
        }
        v
    }

    /// Text of a value: a string, a number, `@value`, `name`, or the first textual array item.
    fn text(&self, v: &'a Value) -> Option<String> {
        self.text_depth(v, 0)
    }

    fn text_depth(&self, v: &'a Value, depth: usize) -> Option<String> {
        if depth > 4 {
            return None;
        }
        let s = match self.deref(v) {
            Value::String(s) => s.trim().to_string(),
            Value::Number(n) => n.to_string(),
            Value::Array(a) => return a.iter().find_map(|x| self.text_depth(x, depth + 1)),
            Value::Object(m) => {
                let inner = get(m, "@value").or_else(|| get(m, "name"))?;
                return self.text_depth(inner, depth + 1);
            }
            _ => return None,
        };
        (!s.is_empty()).then_some(s)
    }
}

/// A property by its plain name or its prefixed forms (`schema:title`, `http://schema.org/title`).
fn get<'a>(m: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    m.get(key)
        .or_else(|| m.get(&format!("schema:{key}")))
        .or_else(|| m.get(&format!("http://schema.org/{key}")))
        .or_else(|| m.get(&format!("https://schema.org/{key}")))
        .filter(|v| !v.is_null())
}

/// Plain, single-line text for short fields (titles, names): entities decoded, tags dropped.
fn clean_short(s: &str) -> String {
    let t = if s.contains('<') || s.contains('&') { html_to_text(&decode_entities(s)) } else { s.to_string() };
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A description's HTML → plain text, undoing up to 3 rounds of entity escaping first.
pub fn description_to_text(s: &str) -> String {
    let mut cur = s.to_string();
    for _ in 0..3 {
        if !has_escaped_tag(&cur) {
            break;
        }
        cur = decode_entities(&cur).into_owned();
    }
    html_to_text(&cur)
}

/// True when the text holds an entity-escaped tag: `&lt;p`, `&amp;lt;/li`, `&amp;amp;#60;br` ...
fn has_escaped_tag(s: &str) -> bool {
    let b = s.as_bytes();
    let mut from = 0;
    while let Some(p) = s[from..].find('&') {
        let mut i = from + p + 1;
        while b.len() >= i + 4 && b[i..i + 4].eq_ignore_ascii_case(b"amp;") {
            i += 4;
        }
        let rest = &b[i..];
        let after = [&b"lt;"[..], b"#60;", b"#x3c;", b"#060;"]
            .iter()
            .find(|pat| rest.len() >= pat.len() && rest[..pat.len()].eq_ignore_ascii_case(pat))
            .map(|pat| i + pat.len());
        if let Some(a) = after
            && b.get(a).is_some_and(|c| c.is_ascii_alphabetic() || *c == b'/')
        {
            return true;
        }
        from = i;
    }
    false
}

fn map_posting<'a>(node: &'a Value, index: &HashMap<String, &'a Value>, base: Option<&str>) -> Option<Raw> {
    let Value::Object(m) = node else { return None };
    let cx = Ctx { index };
    let title = get(m, "title").or_else(|| get(m, "name")).and_then(|v| cx.text(v)).map(|t| clean_short(&t));
    let title = title.filter(|t| !t.is_empty());
    let description = get(m, "description").and_then(|v| cx.text(v)).map(|d| description_to_text(&d));
    let text = match description.filter(|d| !d.trim().is_empty()) {
        Some(d) => d,
        None => title.clone()?,
    };
    let company = get(m, "hiringOrganization")
        .map(|v| cx.deref(v))
        .and_then(|v| match v {
            Value::Array(a) => a.first().map(|x| cx.deref(x)),
            other => Some(other),
        })
        .and_then(|v| cx.text(v))
        .map(|c| clean_short(&c))
        .filter(|c| !c.is_empty());
    let date_raw = get(m, "datePosted").and_then(|v| cx.text(v));
    let posted_at = date_raw.as_deref().and_then(parse_date);
    let url = get(m, "url").and_then(|v| cx.text(v)).and_then(|u| resolve_url(base, &u));
    let identifier = get(m, "identifier").and_then(|v| identifier(&cx, v));
    let location = location(&cx, m);
    let salary = get(m, "baseSalary").and_then(|v| salary(&cx, v, get(m, "salaryCurrency")));
    Some(Raw { title, company, location, url, identifier, date_raw, posted_at, salary, text })
}

fn identifier<'a>(cx: &Ctx<'a, '_>, v: &'a Value) -> Option<String> {
    match cx.deref(v) {
        Value::Object(o) => get(o, "value").and_then(|x| cx.text(x)).or_else(|| cx.text(v)),
        Value::Array(a) => a.iter().find_map(|x| identifier(cx, x)),
        other => cx.text(other),
    }
}

fn location<'a>(cx: &Ctx<'a, '_>, m: &'a Map<String, Value>) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    let remote = get(m, "jobLocationType")
        .is_some_and(|v| as_strings(v).iter().any(|s| type_name(s).eq_ignore_ascii_case("TELECOMMUTE")));
    if remote {
        let countries: Vec<String> = get(m, "applicantLocationRequirements")
            .map(|v| list(cx, v).into_iter().filter_map(|x| cx.text(x)).collect())
            .unwrap_or_default();
        if countries.is_empty() {
            parts.push("Remote".into());
        } else {
            parts.push(format!("Remote ({})", countries.join(", ")));
        }
    }
    if let Some(v) = get(m, "jobLocation") {
        for place in list(cx, v) {
            if let Some(p) = place_text(cx, place)
                && !parts.contains(&p)
            {
                parts.push(p);
            }
        }
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// A value as a list of (dereferenced) items.
fn list<'a>(cx: &Ctx<'a, '_>, v: &'a Value) -> Vec<&'a Value> {
    match cx.deref(v) {
        Value::Array(a) => a.iter().map(|x| cx.deref(x)).collect(),
        other => vec![other],
    }
}

fn as_strings(v: &Value) -> Vec<&str> {
    match v {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    }
}

/// `Place` → `locality, region, country` (from its address), else its name.
fn place_text<'a>(cx: &Ctx<'a, '_>, place: &'a Value) -> Option<String> {
    let pm = match place {
        Value::String(s) => return Some(clean_short(s)).filter(|s| !s.is_empty()),
        Value::Object(pm) => pm,
        _ => return None,
    };
    let mut bits: Vec<String> = Vec::new();
    if let Some(addr) = get(pm, "address").map(|a| cx.deref(a)) {
        match addr {
            Value::String(s) => bits.push(clean_short(s)),
            Value::Object(am) => {
                for k in ["addressLocality", "addressRegion", "addressCountry"] {
                    if let Some(t) = get(am, k).and_then(|x| cx.text(x)).map(|t| clean_short(&t))
                        && !t.is_empty()
                        && !bits.contains(&t)
                    {
                        bits.push(t);
                    }
                }
            }
            _ => {}
        }
    }
    bits.retain(|b| !b.is_empty());
    if bits.is_empty()
        && let Some(n) = get(pm, "name").and_then(|x| cx.text(x))
    {
        bits.push(clean_short(&n));
    }
    (!bits.is_empty()).then(|| bits.join(", "))
}

fn number(v: &Value) -> Option<f64> {
    let f = match v {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().replace([',', '_', ' '], "").parse::<f64>().ok()?,
        _ => return None,
    };
    (f.is_finite() && f > 0.0).then_some(f)
}

fn period(unit: &str) -> Option<&'static str> {
    let u = unit.trim().to_ascii_uppercase();
    let u = u.trim_start_matches("PER_").trim_start_matches("PER ");
    Some(match u {
        _ if u.starts_with("HOUR") => "hour",
        _ if u.starts_with("DAY") || u == "DAILY" => "day",
        _ if u.starts_with("WEEK") => "week",
        _ if u.starts_with("MONTH") => "month",
        _ if u.starts_with("YEAR") || u.starts_with("ANNUAL") || u == "ANNUM" => "year",
        _ => return None,
    })
}

/// `baseSalary`: a MonetaryAmount (`currency`, `value` as a number or a QuantitativeValue with
/// `value`/`minValue`/`maxValue`/`unitText`), or a bare number with the posting's `salaryCurrency`.
fn salary<'a>(cx: &Ctx<'a, '_>, v: &'a Value, posting_currency: Option<&'a Value>) -> Option<Salary> {
    let v = match cx.deref(v) {
        Value::Array(a) => cx.deref(a.first()?),
        other => other,
    };
    let (currency, amount, outer_unit) = match v {
        Value::Object(m) => (
            get(m, "currency").or(posting_currency).and_then(|c| cx.text(c)),
            get(m, "value").map(|x| cx.deref(x)),
            get(m, "unitText").and_then(|u| cx.text(u)),
        ),
        Value::Number(_) | Value::String(_) => (posting_currency.and_then(|c| cx.text(c)), Some(v), None),
        _ => return None,
    };
    let currency = currency?.trim().to_ascii_uppercase();
    if currency.is_empty() || currency.len() > 8 {
        return None;
    }
    let amount = amount?;
    let (mut min, mut max, unit) = match amount {
        Value::Object(q) => {
            let val = get(q, "value").and_then(number);
            let lo = get(q, "minValue").and_then(number).or(val);
            let hi = get(q, "maxValue").and_then(number).or(val);
            let unit = get(q, "unitText").and_then(|u| cx.text(u)).or(outer_unit);
            (lo.or(hi)?, hi.or(lo)?, unit)
        }
        other => {
            let n = number(other)?;
            (n, n, outer_unit)
        }
    };
    if min > max {
        std::mem::swap(&mut min, &mut max);
    }
    let period = match unit {
        Some(u) => period(&u)?,
        None => "year",
    };
    Some(Salary { min, max, currency, period: period.to_string() })
}

// ---------------------------------------------------------------------------------------------
// Ids

fn assign_ids(raws: Vec<Raw>, base: Option<&str>) -> Vec<Posting> {
    let single = raws.len() == 1;
    let key_urls: Vec<Option<String>> =
        raws.iter().map(|r| r.url.clone().or_else(|| if single { base.map(str::to_string) } else { None })).collect();
    let mut url_count: HashMap<&str, usize> = HashMap::new();
    for u in key_urls.iter().flatten() {
        *url_count.entry(u.as_str()).or_default() += 1;
    }
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(raws.len());
    for (r, key) in raws.iter().zip(&key_urls) {
        let hash = || {
            short_hash(&[
                r.title.as_deref().unwrap_or(""),
                r.company.as_deref().unwrap_or(""),
                r.date_raw.as_deref().unwrap_or(""),
            ])
        };
        let id = match key {
            Some(u) if url_count.get(u.as_str()) == Some(&1) => format!("jsonld:{u}"),
            Some(u) => match &r.identifier {
                Some(ident) => format!("jsonld:{u}#{ident}"),
                None => format!("jsonld:{u}#{}", hash()),
            },
            None => format!("jsonld:{}", hash()),
        };
        if !seen.insert(id.clone()) {
            continue;
        }
        let mut p = Posting::new(id, "jsonld", r.text.clone());
        p.url = key.clone();
        p.title = r.title.clone();
        p.company = r.company.clone();
        p.location = r.location.clone();
        p.posted_at = r.posted_at;
        if let Some(t) = r.posted_at {
            p.month = month_of(t.date_naive());
        }
        p.date_source = r.posted_at.map(|_| DateSource::Posting);
        p.salary = r.salary.clone();
        out.push(p);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// URLs

fn is_absolute_http(u: &str) -> bool {
    let l = u.trim().to_ascii_lowercase();
    (l.starts_with("http://") || l.starts_with("https://")) && l.len() > 8
}

/// The page's canonical URL (`link[rel=canonical]`, else `og:url`), when absolute.
pub(crate) fn canonical_url(doc: &Html) -> Option<String> {
    let links = sel("link[rel][href]");
    let canon = doc
        .select(&links)
        .find(|l| l.attr("rel").is_some_and(|r| r.split_whitespace().any(|t| t.eq_ignore_ascii_case("canonical"))))
        .and_then(|l| l.attr("href"))
        .map(|h| h.trim().to_string());
    let metas = sel("meta[property][content]");
    let og = doc
        .select(&metas)
        .find(|m| m.attr("property").is_some_and(|p| p.trim().eq_ignore_ascii_case("og:url")))
        .and_then(|m| m.attr("content"))
        .map(|h| h.trim().to_string())
        .filter(|u| is_absolute_http(u));
    match canon {
        Some(c) if is_absolute_http(&c) => Some(c),
        Some(c) => og.as_deref().and_then(|o| resolve_url(Some(o), &c)).or(og),
        None => og,
    }
}

/// Resolves `rel` against an absolute http(s) `base`. Only http(s) results are returned.
pub(crate) fn resolve_url(base: Option<&str>, rel: &str) -> Option<String> {
    let rel = rel.trim();
    if rel.is_empty() {
        return None;
    }
    if is_absolute_http(rel) {
        return Some(rel.to_string());
    }
    // Any other scheme (mailto:, javascript:, data:) is not a posting URL.
    if let Some(colon) = rel.find(':')
        && rel[..colon].chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && !rel[..colon].contains('/')
    {
        return None;
    }
    let base = base.map(str::trim).filter(|b| is_absolute_http(b))?;
    let scheme_end = base.find("://")? + 3;
    let scheme = &base[..scheme_end - 3];
    if let Some(r) = rel.strip_prefix("//") {
        return Some(format!("{scheme}://{r}"));
    }
    let after = &base[scheme_end..];
    let host_end = after.find(['/', '?', '#']).map_or(base.len(), |p| scheme_end + p);
    let origin = &base[..host_end];
    let rest = &base[host_end..];
    let no_frag = rest.split('#').next().unwrap_or("");
    let path = no_frag.split('?').next().unwrap_or("");
    if rel.starts_with('#') {
        return Some(format!("{origin}{no_frag}{rel}"));
    }
    if rel.starts_with('?') {
        return Some(format!("{origin}{path}{rel}"));
    }
    let joined = if rel.starts_with('/') {
        rel.to_string()
    } else {
        let dir = path.rfind('/').map_or("/", |p| &path[..=p]);
        format!("{dir}{rel}")
    };
    // Remove dot segments from the path part.
    let (p, tail) = match joined.find(['?', '#']) {
        Some(i) => (&joined[..i], &joined[i..]),
        None => (joined.as_str(), ""),
    };
    let mut segs: Vec<&str> = Vec::new();
    let parts: Vec<&str> = p.split('/').skip(1).collect();
    for (i, s) in parts.iter().enumerate() {
        match *s {
            "." => {
                if i == parts.len() - 1 {
                    segs.push("");
                }
            }
            ".." => {
                segs.pop();
                if i == parts.len() - 1 {
                    segs.push("");
                }
            }
            s => segs.push(s),
        }
    }
    Some(format!("{origin}/{}{tail}", segs.join("/")))
}
