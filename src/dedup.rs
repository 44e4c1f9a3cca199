//! Duplicates: the same job seen twice, found from the match index.
//!
//! In: the index rows of a dataset (`id, source, url, content_hash, repost_key, posted_at` and
//! the month of their part) and a [`Dedup`] mode. Out: a [`Plan`] — each row's [`Status`] per
//! index part, and the duplicates found per source pair. Nothing is rewritten: analysis reads
//! the plan beside the index ([`crate::analysis`]).
//!
//! - **Copies across sources** (`exact`, the default, and `reposts`): postings of two different
//!   sources are the same job when their canonical URLs ([`canonical_url`]) are equal, else when
//!   their content hashes (normalised text) are equal. A group holds at most one posting per
//!   source and grows transitively (an ATS posting, its JSON-LD page with the same URL, a feed
//!   copy of that page's text). The posting that counts is the earliest posted (`posted_at`,
//!   else the first day of its month), ties by [`SOURCE_ORDER`], then id: so the month a job
//!   counts in never depends on the order of ingest. The others are [`Status::Copy`]: left out
//!   of pooled totals, still counted in their own source's rows and by `check`, which weighs
//!   every source on its own.
//! - **Reposts** (`reposts` only): within one source, postings with the same `repost_key`
//!   (company, title and text: [`repost_key`]) posted at most [`REPOST_WINDOW_DAYS`] days after
//!   the copy that counts are [`Status::Repost`], left out everywhere. A repost later than that
//!   counts again and opens a new window.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use polars::prelude::*;
use rayon::prelude::*;
use serde::Serialize;

use crate::index::{IndexError, IndexPart, PartData};
use crate::keywords::Taxonomy;

/// Which postings count once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dedup {
    /// Every stored posting counts.
    None,
    /// A job several sources hold counts once where sources are pooled (the default).
    #[default]
    Exact,
    /// `exact`, and a repost of the same company, title and text within 60 days counts once.
    Reposts,
}

/// A repost this many days (or fewer) after the copy that counts is left out.
pub const REPOST_WINDOW_DAYS: i64 = 60;

/// Ties between copies posted at the same time go to the first source of this list (the
/// publisher before aggregators and crawls); other sources follow in name order.
pub const SOURCE_ORDER: &[&str] = &[
    "greenhouse",
    "lever",
    "ashby",
    "smartrecruiters",
    "workable",
    "hn",
    "jsonld",
    "html",
    "remoteok",
    "remotive",
    "arbeitnow",
    "feed",
];

/// Query parameters that only say where a visitor came from.
const TRACKING_PARAMS: &[&str] = &[
    "gh_src",
    "lever-source",
    "lever-source[]",
    "lever-origin",
    "lever-via",
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "_hsenc",
    "_hsmi",
    "ref",
    "referrer",
    "trk",
];

/// What a row is for the counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[repr(u8)]
pub enum Status {
    #[default]
    Counted = 0,
    /// Another source's posting of the same job counts instead (pooled totals only).
    Copy = 1,
    /// A repost of a posting of the same source counted within the window (left out everywhere).
    Repost = 2,
}

/// The canonical form of a posting URL, or `None` when it is not an http(s) URL: scheme `https`,
/// host lowercased, default port, fragment and tracking parameters (`utm_*`, `gh_src`,
/// `lever-source`, ...) dropped, remaining parameters sorted, trailing slash of the path dropped.
pub fn canonical_url(raw: &str) -> Option<String> {
    let u = url::Url::parse(raw.trim()).ok()?;
    if !matches!(u.scheme(), "http" | "https") {
        return None;
    }
    let host = u.host_str()?.trim_end_matches('.');
    let mut out = format!("https://{host}");
    if let Some(port) = u.port().filter(|p| *p != 80 && *p != 443) {
        out.push_str(&format!(":{port}"));
    }
    out.push_str(u.path().trim_end_matches('/'));
    let mut query: Vec<(String, String)> = u
        .query_pairs()
        .filter(|(k, _)| {
            let k = k.to_ascii_lowercase();
            !k.starts_with("utm_") && !TRACKING_PARAMS.contains(&k.as_str())
        })
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if !query.is_empty() {
        query.sort();
        let q = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(query).finish();
        out.push('?');
        out.push_str(&q);
    }
    Some(out)
}

/// The index's `repost_key`: xxh3-64 (16 hex digits) of the normalised company, the normalised
/// title and the content hash; `None` when the company or the title is unknown.
pub fn repost_key(company: Option<&str>, title: Option<&str>, content_hash: &str) -> Option<String> {
    use crate::posting::normalise_for_hash;
    let (c, t) = (normalise_for_hash(company?), normalise_for_hash(title?));
    if c.is_empty() || t.is_empty() {
        return None;
    }
    Some(crate::posting::short_hash(&[&c, &t, content_hash]))
}

/// Duplicates found between two sources (`a` < `b`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PairCount {
    pub a: String,
    pub b: String,
    /// Copies matched by canonical URL.
    pub by_url: u64,
    /// Copies matched by text (content hash), their URLs differing or missing.
    pub by_content: u64,
}

/// Each row's status, and what was found.
#[derive(Debug, Default)]
pub struct Plan {
    pub mode: Dedup,
    /// Postings part → the status of each row of its index part (row order).
    pub status: HashMap<PathBuf, Vec<Status>>,
    /// Copies per source pair, sorted by pair.
    pub pairs: Vec<PairCount>,
    /// Reposts left out, per source.
    pub reposts: BTreeMap<String, u64>,
}

impl Plan {
    /// The statuses of one part's rows, if any row is not [`Status::Counted`].
    pub fn of(&self, postings: &Path) -> Option<&[Status]> {
        self.status.get(postings).map(Vec::as_slice)
    }

    /// Copies left out of pooled totals.
    pub fn copies(&self) -> u64 {
        self.pairs.iter().map(|p| p.by_url + p.by_content).sum()
    }
}

/// The keys of one index row.
#[derive(Debug, Clone)]
struct KeyRow {
    part: u32,
    row: u32,
    source: u32,
    time: i64,
    id: String,
    url: Option<u128>,
    hash: Option<u128>,
    repost: Option<u64>,
}

const KEY_COLS: &[&str] = &["id", "source", "url", "content_hash", "repost_key", "posted_at"];

/// The plan for every index part given (all months: the month a copy counts in must not depend
/// on the months selected), postings of `sources` only (empty: all). Parts whose index cannot be
/// read are left out of the plan (analysis reports them).
pub fn plan(parts: &[IndexPart], sources: &[String], mode: Dedup) -> Plan {
    plan_with(parts, sources, mode, true)
}

/// [`plan`] when the caller knows that `parts` hold two selected sources or more (it does not
/// look at the `source` columns first to find out).
pub fn plan_of_several_sources(parts: &[IndexPart], sources: &[String], mode: Dedup) -> Plan {
    plan_with(parts, sources, mode, false)
}

fn plan_with(parts: &[IndexPart], sources: &[String], mode: Dedup, check_sources: bool) -> Plan {
    let (names, mut rows) =
        if mode == Dedup::None { Default::default() } else { read_all_keys(parts, sources, mode, check_sources) };
    let mut status: Vec<Vec<Status>> = Vec::new();
    status.resize_with(parts.len(), Vec::new);
    // Source index → its place in the tie order.
    let mut order: Vec<u32> = (0..names.len() as u32).collect();
    order.sort_by_key(|&s| {
        let name = names[s as usize].as_str();
        (SOURCE_ORDER.iter().position(|x| *x == name).unwrap_or(SOURCE_ORDER.len()), name)
    });
    let mut rank = vec![0u32; names.len()];
    for (place, s) in order.into_iter().enumerate() {
        rank[s as usize] = place as u32;
    }
    rows.sort_unstable_by(|x, y| {
        (x.time, rank[x.source as usize], &x.id).cmp(&(y.time, rank[y.source as usize], &y.id))
    });
    let mut set = |r: &KeyRow, s: Status| {
        let v = &mut status[r.part as usize];
        if v.len() <= r.row as usize {
            v.resize(r.row as usize + 1, Status::Counted);
        }
        v[r.row as usize] = s;
    };
    let mut reposts: BTreeMap<String, u64> = BTreeMap::new();
    if mode == Dedup::Reposts {
        let window = REPOST_WINDOW_DAYS * 86_400_000;
        let mut counted: HashMap<(u32, u64), i64> = HashMap::new();
        rows.retain(|r| {
            let Some(k) = r.repost else { return true };
            match counted.get(&(r.source, k)) {
                Some(&t) if r.time - t <= window => {
                    set(r, Status::Repost);
                    *reposts.entry(names[r.source as usize].clone()).or_default() += 1;
                    false
                }
                _ => {
                    counted.insert((r.source, k), r.time);
                    true
                }
            }
        });
    }
    let mut pairs: BTreeMap<(u32, u32), (u64, u64)> = BTreeMap::new();
    for (r, found) in group_copies(&rows) {
        set(r, Status::Copy);
        let key =
            if names[found.0 as usize] <= names[r.source as usize] { (found.0, r.source) } else { (r.source, found.0) };
        let e = pairs.entry(key).or_default();
        if found.1 { e.0 += 1 } else { e.1 += 1 }
    }
    let mut pairs: Vec<PairCount> = pairs
        .into_iter()
        .map(|((a, b), (by_url, by_content))| PairCount {
            a: names[a as usize].clone(),
            b: names[b as usize].clone(),
            by_url,
            by_content,
        })
        .collect();
    pairs.sort_by(|x, y| (&x.a, &x.b).cmp(&(&y.a, &y.b)));
    let status = parts
        .iter()
        .zip(status)
        .filter(|(_, s)| s.iter().any(|x| *x != Status::Counted))
        .map(|(p, s)| (p.postings.clone(), s))
        .collect();
    Plan { mode, status, pairs, reposts }
}

/// Groups of one job across sources, rows taken in order (the first of a group counts). Returns
/// each copy with the source of the posting it matched and whether by URL (else by text).
fn group_copies(rows: &[KeyRow]) -> Vec<(&KeyRow, (u32, bool))> {
    // Sources already in each group; key → (group, source that brought the key).
    let mut groups: Vec<Vec<u32>> = Vec::new();
    let mut by_url: HashMap<u128, Vec<(usize, u32)>> = HashMap::new();
    let mut by_hash: HashMap<u128, Vec<(usize, u32)>> = HashMap::new();
    let mut copies = Vec::new();
    for r in rows {
        let open = |m: &HashMap<u128, Vec<(usize, u32)>>, k: Option<u128>| {
            k.and_then(|k| m.get(&k)).and_then(|v| v.iter().find(|(g, _)| !groups[*g].contains(&r.source)).copied())
        };
        let found = open(&by_url, r.url).map(|x| (x, true)).or_else(|| open(&by_hash, r.hash).map(|x| (x, false)));
        let g = match found {
            Some(((g, s), url)) => {
                copies.push((r, (s, url)));
                groups[g].push(r.source);
                g
            }
            None => {
                groups.push(vec![r.source]);
                groups.len() - 1
            }
        };
        for (m, k) in [(&mut by_url, r.url), (&mut by_hash, r.hash)] {
            if let Some(k) = k {
                let v = m.entry(k).or_default();
                if !v.iter().any(|(x, _)| *x == g) {
                    v.push((g, r.source));
                }
            }
        }
    }
    copies
}

/// The source names and key rows of every part (parts read and parsed in parallel). Empty when
/// `exact` finds a single source: there is nothing to compare.
fn read_all_keys(
    parts: &[IndexPart],
    sources: &[String],
    mode: Dedup,
    check_sources: bool,
) -> (Vec<String>, Vec<KeyRow>) {
    // One selected source (the usual HN-only dataset) holds no cross-source copy: the `source`
    // column alone (dictionary-encoded, cheap) tells, before the key columns are read.
    if mode == Dedup::Exact && check_sources {
        let names = source_names(parts, sources);
        if names.len() < 2 {
            return (names, Vec::new());
        }
    }
    let read: Vec<Option<DataFrame>> = parts.par_iter().map(read_keys).collect();
    let mut names: Vec<String> = Vec::new();
    for df in read.iter().flatten() {
        if let Ok(src) = df.column("source").and_then(|c| c.str().cloned()) {
            for s in src.iter().flatten() {
                if (sources.is_empty() || sources.iter().any(|x| x == s)) && !names.iter().any(|n| n == s) {
                    names.push(s.to_string());
                }
            }
        }
    }
    if mode == Dedup::Exact && names.len() < 2 {
        return (names, Vec::new());
    }
    let per_part: Vec<Vec<KeyRow>> = read
        .par_iter()
        .enumerate()
        .map(|(i, df)| {
            let Some(df) = df else { return Vec::new() };
            key_rows(df, i as u32, &parts[i].month, &names).unwrap_or_else(|e| {
                tracing::warn!("duplicates: index of {}: {e}", parts[i].postings.display());
                Vec::new()
            })
        })
        .collect();
    (names, per_part.into_iter().flatten().collect())
}

/// The selected sources present in `parts`, in order of first appearance.
pub fn source_names(parts: &[IndexPart], sources: &[String]) -> Vec<String> {
    let per_part: Vec<Vec<String>> = parts
        .par_iter()
        .map(|p| {
            let df = match &p.data {
                PartData::Memory(df) => df.select(["source"]).ok(),
                PartData::File(path) => crate::index::read_parquet(path, &["source"]).ok(),
            };
            let Some(col) = df.as_ref().and_then(|d| d.column("source").ok()).and_then(|c| c.str().ok().cloned())
            else {
                return Vec::new();
            };
            let mut v: Vec<String> = Vec::new();
            for s in col.iter().flatten() {
                if (sources.is_empty() || sources.iter().any(|x| x == s)) && !v.iter().any(|n| n == s) {
                    v.push(s.to_string());
                }
            }
            v
        })
        .collect();
    let mut names: Vec<String> = Vec::new();
    for s in per_part.into_iter().flatten() {
        if !names.contains(&s) {
            names.push(s);
        }
    }
    names
}

fn read_keys(p: &IndexPart) -> Option<DataFrame> {
    match &p.data {
        PartData::Memory(df) => df.select(KEY_COLS.iter().copied()).ok(),
        PartData::File(path) => crate::index::read_parquet(path, KEY_COLS).ok(),
    }
}

/// The rows of one part's key columns, of the sources in `names` only.
fn key_rows(df: &DataFrame, part: u32, month: &str, names: &[String]) -> Result<Vec<KeyRow>, PolarsError> {
    let s = |name: &str| df.column(name).and_then(|c| c.str().cloned());
    let (id, source, url, hash, repost) = (s("id")?, s("source")?, s("url")?, s("content_hash")?, s("repost_key")?);
    let posted = df.column("posted_at")?.cast(&DataType::Int64)?;
    let posted = posted.i64()?;
    let month_start = chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
        .map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc().timestamp_millis())
        .unwrap_or(0);
    let empty = crate::posting::content_hash("");
    let mut out = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        let src = source.get(i).unwrap_or("");
        let Some(si) = names.iter().position(|n| n == src) else { continue };
        out.push(KeyRow {
            part,
            row: i as u32,
            source: si as u32,
            time: posted.get(i).unwrap_or(month_start),
            id: id.get(i).unwrap_or("").to_string(),
            url: url.get(i).and_then(canonical_url).map(|u| xxhash_rust::xxh3::xxh3_128(u.as_bytes())),
            hash: hash.get(i).filter(|h| *h != empty).and_then(|h| u128::from_str_radix(h, 16).ok()),
            repost: repost.get(i).and_then(|k| u64::from_str_radix(k, 16).ok()),
        });
    }
    Ok(out)
}

/// The plan of a whole dataset under a taxonomy's index (matching the parts not indexed yet).
pub fn plan_dataset(data: &Path, tax: &Taxonomy, sources: &[String], mode: Dedup) -> Result<Plan, IndexError> {
    let set = crate::index::ensure_index(data, tax, None, None)?;
    Ok(plan(&set.parts, sources, mode))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_canonical() {
        let c = |s: &str| canonical_url(s);
        let base = c("https://boards.greenhouse.io/acme/jobs/123").unwrap();
        assert_eq!(base, "https://boards.greenhouse.io/acme/jobs/123");
        for same in [
            "HTTP://Boards.Greenhouse.IO/acme/jobs/123/",
            "https://boards.greenhouse.io:443/acme/jobs/123#apply",
            "https://boards.greenhouse.io/acme/jobs/123?utm_source=x&gh_src=abc&UTM_Medium=y",
            "https://boards.greenhouse.io/acme/jobs/123?lever-source%5B%5D=site",
        ] {
            assert_eq!(c(same).as_deref(), Some(base.as_str()), "{same}");
        }
        assert_ne!(c("https://boards.greenhouse.io/acme/jobs/124").as_deref(), Some(base.as_str()));
        assert_ne!(c("https://boards.greenhouse.io/Acme/jobs/123").as_deref(), Some(base.as_str()), "paths keep case");
        assert_eq!(c("https://x.io/careers?b=2&gh_jid=7&a=1"), c("https://x.io/careers?a=1&gh_jid=7&b=2"));
        assert_ne!(c("https://x.io/careers?gh_jid=7"), c("https://x.io/careers?gh_jid=8"));
        assert_eq!(c("mailto:jobs@x.io"), None);
        assert_eq!(c("not a url"), None);
    }

    #[test]
    fn repost_keys_need_company_and_title() {
        let k = repost_key(Some("Acme  Inc"), Some("Rust Engineer"), "00ff");
        assert_eq!(k, repost_key(Some("acme inc"), Some(" RUST engineer"), "00ff"));
        assert_ne!(k, repost_key(Some("acme inc"), Some("rust engineer"), "00fe"));
        assert_eq!(k.as_ref().map(String::len), Some(16));
        assert_eq!(repost_key(None, Some("x"), "00ff"), None);
        assert_eq!(repost_key(Some("x"), Some("  "), "00ff"), None);
    }

    fn row(i: u32, source: u32, day: i64, url: Option<u128>, hash: Option<u128>, repost: Option<u64>) -> KeyRow {
        KeyRow { part: 0, row: i, source, time: day * 86_400_000, id: format!("{i}"), url, hash, repost }
    }

    /// (id, source, url, content_hash, repost_key, day).
    type Row<'a> = (&'a str, &'a str, Option<&'a str>, &'a str, Option<&'a str>, i64);

    /// One in-memory index part of [`Row`]s.
    fn part(rows: &[Row<'_>]) -> IndexPart {
        let col = |name: &str, v: Vec<Option<&str>>| Column::from(Series::new(name.into(), v));
        let df = DataFrame::new(
            rows.len(),
            vec![
                col("id", rows.iter().map(|r| Some(r.0)).collect()),
                col("source", rows.iter().map(|r| Some(r.1)).collect()),
                col("url", rows.iter().map(|r| r.2).collect()),
                col("content_hash", rows.iter().map(|r| Some(r.3)).collect()),
                col("repost_key", rows.iter().map(|r| r.4).collect()),
                Column::from(Series::new(
                    "posted_at".into(),
                    rows.iter().map(|r| r.5 * 86_400_000).collect::<Vec<_>>(),
                )),
            ],
        )
        .unwrap();
        IndexPart { month: "2024-01".into(), postings: PathBuf::from("p"), data: PartData::Memory(df) }
    }

    #[test]
    fn a_repost_window_opens_at_the_copy_that_counts() {
        let k = Some("00000000000000aa");
        let p = part(&[
            ("hn:1", "hn", None, "01", k, 0),
            ("hn:2", "hn", None, "01", k, 30),
            ("hn:3", "hn", None, "01", k, 61),
            ("hn:4", "hn", None, "01", k, 100),
            ("hn:5", "hn", None, "02", None, 10),
        ]);
        let plan = plan(std::slice::from_ref(&p), &[], Dedup::Reposts);
        use Status::*;
        assert_eq!(plan.of(Path::new("p")).unwrap(), [Counted, Repost, Counted, Repost]);
        assert_eq!(plan.reposts.get("hn"), Some(&2));
        assert!(super::plan(&[p], &[], Dedup::Exact).status.is_empty(), "exact keeps reposts");
    }

    #[test]
    fn copies_at_the_same_time_count_in_the_first_source_of_the_order() {
        let u = Some("https://x.io/jobs/1");
        // jsonld's id sorts first, greenhouse comes first in SOURCE_ORDER.
        let p = part(&[("a:1", "jsonld", u, "01", None, 5), ("z:1", "greenhouse", u, "02", None, 5)]);
        let plan = plan(&[p], &[], Dedup::Exact);
        assert_eq!(plan.of(Path::new("p")).unwrap(), [Status::Copy]);
        assert_eq!(plan.pairs, [PairCount { a: "greenhouse".into(), b: "jsonld".into(), by_url: 1, by_content: 0 }]);
    }

    #[test]
    fn copies_group_transitively_one_per_source() {
        // 0: greenhouse A; 1: jsonld page of A (same URL); 2: feed copy of the page's text;
        // 3: greenhouse B with A's text (another job of the same source stays on its own).
        let rows = [
            row(0, 0, 1, Some(1), Some(10), None),
            row(1, 1, 2, Some(1), Some(11), None),
            row(2, 2, 3, Some(2), Some(11), None),
            row(3, 0, 4, Some(3), Some(10), None),
        ];
        let c: Vec<(u32, (u32, bool))> = group_copies(&rows).into_iter().map(|(r, f)| (r.row, f)).collect();
        assert_eq!(c, [(1, (0, true)), (2, (1, false))]);
    }
}
