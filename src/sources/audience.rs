//! What each source of a dataset is: its audience, its coverage in time and its counts, so a
//! reader can weigh per-source verdicts.
//!
//! In: a data directory. Out: a [`SourceProfile`] per source (sorted by name): who the source
//! speaks for ([`audience`]: HN's readers, the ATS boards of N companies, N web sites...), the
//! first and last month, the months with data, postings and postings with a date. Read part by
//! part like [`crate::store::census`]: an unreadable part is listed in [`Profiles::damaged`] and
//! the rest is counted.
//!
//! "N companies" counts distinct boards (the `<board>` of ATS ids `<source>:<board>:<job>`);
//! "N sites" counts distinct host names of the postings' URLs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::store::{DamagedPart, StoreError, damage_reason, part_files, read_part_columns};

/// The sources that are company boards of an applicant tracking system.
pub const ATS_SOURCES: &[&str] = &["greenhouse", "lever", "ashby", "smartrecruiters", "workable"];
/// The sources that are pages from the open web (JSON-LD / generic pages, Common Crawl).
pub const WEB_SOURCES: &[&str] = &["jsonld", "html", "warc", "wdc", "commoncrawl"];

/// One source of a dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceProfile {
    pub source: String,
    /// Who the postings speak for, e.g. "ATS boards of 12 companies (Greenhouse)".
    pub audience: String,
    pub postings: u64,
    /// Postings with a `posted_at` date.
    pub with_date: u64,
    pub first_month: String,
    pub last_month: String,
    /// Months with at least one posting.
    pub months_with_data: u64,
    /// Months from the first to the last, both included.
    pub months_spanned: u64,
    /// Distinct boards (ATS) or sites (web, feeds); `None` for a single-venue source.
    pub units: Option<u64>,
    /// What `units` counts: `companies` or `sites`.
    pub unit: Option<String>,
}

/// What [`profile`] found.
#[derive(Debug, Clone, Default)]
pub struct Profiles {
    pub sources: Vec<SourceProfile>,
    pub damaged: Vec<DamagedPart>,
}

/// What `units` counts for a source, if anything.
fn unit_of(source: &str) -> Option<&'static str> {
    if ATS_SOURCES.contains(&source) {
        Some("companies")
    } else if WEB_SOURCES.contains(&source) || source == "feed" {
        Some("sites")
    } else {
        None
    }
}

/// The audience of a source, in words; `units` is the number of boards or sites seen.
pub fn audience(source: &str, units: Option<u64>) -> String {
    let n = units.unwrap_or(0);
    let plural = |one: &str, many: &str| if n == 1 { format!("1 {one}") } else { format!("{n} {many}") };
    match source {
        "hn" => "Hacker News 'Who is hiring?' threads (tech, startup-leaning, US-heavy)".into(),
        "greenhouse" | "lever" | "ashby" | "smartrecruiters" | "workable" => {
            let name = match source {
                "greenhouse" => "Greenhouse",
                "lever" => "Lever",
                "ashby" => "Ashby",
                "smartrecruiters" => "SmartRecruiters",
                _ => "Workable",
            };
            format!("ATS boards of {} ({name}; the employers listed in the config)", plural("company", "companies"))
        }
        "jsonld" | "html" => format!("job pages from the web ({})", plural("site", "sites")),
        "warc" | "wdc" | "commoncrawl" => format!("Common Crawl pages ({})", plural("site", "sites")),
        "remoteok" => "RemoteOK, a remote job board (remote-only, tech-leaning)".into(),
        "remotive" => "Remotive, a remote job board (remote-only, tech-leaning)".into(),
        "arbeitnow" => "Arbeitnow, a job board (Germany and Europe-leaning)".into(),
        "feed" => format!("job board feeds, RSS/Atom/JSON Feed ({})", plural("site", "sites")),
        "sample" => "hand-written samples (not real data; left out beside real data)".into(),
        other => format!("source `{other}`"),
    }
}

/// Per source: month → (postings, with date), and the boards or sites seen.
#[derive(Default)]
struct Acc {
    months: BTreeMap<String, (u64, u64)>,
    units: BTreeSet<String>,
}

type PartAcc = BTreeMap<String, Acc>;

/// The board of an ATS id `<source>:<board>:<job>`.
fn board_of(id: &str) -> Option<&str> {
    let mut it = id.splitn(3, ':');
    let (_, board, _) = (it.next()?, it.next()?, it.next()?);
    (!board.is_empty()).then_some(board)
}

/// The host of a URL, without `www.`.
fn host_of(url: &str) -> Option<String> {
    let h = reqwest::Url::parse(url).ok()?.host_str()?.to_ascii_lowercase();
    Some(h.strip_prefix("www.").map(str::to_string).unwrap_or(h))
}

fn unit_key(source: &str, id: &str, url: Option<&str>) -> Option<String> {
    match unit_of(source)? {
        "companies" => board_of(id).map(str::to_string),
        _ => url.and_then(host_of),
    }
}

fn read_part(path: &Path) -> Result<PartAcc, StoreError> {
    let cols = ["source", "id", "url", "posted_at"].map(String::from).to_vec();
    let df = read_part_columns(path, Some(cols))?;
    let err = |source| StoreError::Parquet { path: path.to_path_buf(), source };
    let sources = df.column("source").and_then(|c| c.str().cloned()).map_err(err)?;
    let ids = df.column("id").and_then(|c| c.str().cloned()).map_err(err)?;
    let urls = df.column("url").and_then(|c| c.str().cloned()).map_err(err)?;
    let dates = df.column("posted_at").map_err(err)?.is_not_null();
    let month = crate::store::month_of_part(path).unwrap_or_default();
    let mut out = PartAcc::new();
    for (((s, id), url), d) in sources.iter().zip(ids.iter()).zip(urls.iter()).zip(dates.iter()) {
        let s = s.unwrap_or("");
        let acc = out.entry(s.to_string()).or_default();
        let e = acc.months.entry(month.clone()).or_default();
        e.0 += 1;
        e.1 += u64::from(d.unwrap_or(false));
        if let Some(k) = unit_key(s, id.unwrap_or(""), url) {
            acc.units.insert(k);
        }
    }
    Ok(out)
}

fn months_spanned(first: &str, last: &str) -> u64 {
    use crate::posting::month_index;
    match (month_index(first), month_index(last)) {
        (Some(a), Some(b)) if b >= a => (b - a + 1) as u64,
        _ => 0,
    }
}

/// Profiles every source of the dataset in `data_dir`.
pub fn profile(data_dir: &Path) -> Result<Profiles, StoreError> {
    let files = part_files(data_dir)?;
    let read: Vec<(PathBuf, Result<PartAcc, StoreError>)> =
        files.par_iter().map(|p| (p.clone(), read_part(p))).collect();
    let mut all = PartAcc::new();
    let mut damaged = Vec::new();
    for (path, r) in read {
        match r {
            Ok(part) => {
                for (source, acc) in part {
                    let a = all.entry(source).or_default();
                    for (m, (n, d)) in acc.months {
                        let e = a.months.entry(m).or_default();
                        e.0 += n;
                        e.1 += d;
                    }
                    a.units.extend(acc.units);
                }
            }
            Err(e) => damaged.push(DamagedPart { path, reason: damage_reason(e) }),
        }
    }
    let sources = all.into_iter().filter(|(_, a)| !a.months.is_empty()).map(|(s, a)| summarise(s, a)).collect();
    Ok(Profiles { sources, damaged })
}

fn summarise(source: String, a: Acc) -> SourceProfile {
    let first = a.months.keys().next().cloned().unwrap_or_default();
    let last = a.months.keys().next_back().cloned().unwrap_or_default();
    let unit = unit_of(&source);
    let units = unit.map(|_| a.units.len() as u64);
    SourceProfile {
        audience: audience(&source, units),
        postings: a.months.values().map(|v| v.0).sum(),
        with_date: a.months.values().map(|v| v.1).sum(),
        months_with_data: a.months.len() as u64,
        months_spanned: months_spanned(&first, &last),
        first_month: first,
        last_month: last,
        units,
        unit: unit.map(str::to_string),
        source,
    }
}

impl SourceProfile {
    /// `2011-04..2026-01, 178 of 178 months`.
    pub fn coverage(&self) -> String {
        format!(
            "{}..{}, {} of {} months",
            self.first_month, self.last_month, self.months_with_data, self.months_spanned
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audiences_name_the_venue_and_count() {
        assert_eq!(audience("hn", None), "Hacker News 'Who is hiring?' threads (tech, startup-leaning, US-heavy)");
        assert_eq!(
            audience("greenhouse", Some(2)),
            "ATS boards of 2 companies (Greenhouse; the employers listed in the config)"
        );
        assert_eq!(audience("lever", Some(1)), "ATS boards of 1 company (Lever; the employers listed in the config)");
        assert_eq!(audience("jsonld", Some(3)), "job pages from the web (3 sites)");
        assert_eq!(audience("warc", Some(1)), "Common Crawl pages (1 site)");
        assert_eq!(audience("x", None), "source `x`");
    }

    #[test]
    fn boards_and_hosts() {
        assert_eq!(board_of("greenhouse:acme:123"), Some("acme"));
        assert_eq!(board_of("lever:acme:4f-1"), Some("acme"));
        assert_eq!(board_of("remotive:12"), None);
        assert_eq!(host_of("https://www.Example.com/jobs/1").as_deref(), Some("example.com"));
        assert_eq!(host_of("not a url"), None);
        assert_eq!(unit_key("jsonld", "jsonld:x", Some("https://a.org/j")).as_deref(), Some("a.org"));
        assert_eq!(unit_key("hn", "hn:1", Some("https://news.ycombinator.com/item?id=1")), None);
        assert_eq!(months_spanned("2011-04", "2012-03"), 12);
    }
}
