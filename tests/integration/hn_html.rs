//! The HN page parser (`jobtrend::sources::hn_html`) over hand-made fixtures of every markup
//! generation (tests/fixtures/html/hn/, written by make_fixtures.py there) and over the real
//! corpus in ../shared/data/hn-whoishiring (skipped when absent).

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};
use jobtrend::posting::DateSource;
use jobtrend::sources::hn_html::{self, HnPage, ThreadKind};

use crate::common::{fixture, read, shared_data};

fn parse_fixture(name: &str) -> HnPage {
    let html = read(&fixture(&format!("html/hn/{name}")));
    assert!(hn_html::looks_like_hn(&html), "{name}: not sniffed as HN");
    hn_html::parse(&html).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn ts(s: &str) -> Option<DateTime<Utc>> {
    Some(s.parse().expect("valid timestamp"))
}

/// One fixture's expectations.
struct Case {
    file: &'static str,
    thread_id: u64,
    kind: ThreadKind,
    month: Option<&'static str>,
    ids: &'static [u64],
    /// (posting index, excerpt its text contains)
    excerpt: (usize, &'static str),
    /// posted_at of the first posting
    first_posted_at: Option<&'static str>,
    truncated: bool,
}

const ACME: &str = "Acme Widgets | Senior Backend Engineer | Berlin, Germany | ONSITE | Full-time\nWe build inventory \
                    software for hardware shops. Stack: Rust, PostgreSQL & Kafka. We're 12 people.\nApply: \
                    https://acme.example/jobs";

fn cases() -> Vec<Case> {
    use ThreadKind::*;
    vec![
        Case {
            file: "2011-04-unquoted.html",
            thread_id: 2396027,
            kind: WhoIsHiring,
            month: Some("2011-04"),
            ids: &[2396101, 2396105, 2396107],
            excerpt: (0, ACME),
            first_posted_at: None,
            truncated: false,
        },
        Case {
            file: "2013-06-p1.html",
            thread_id: 5803790,
            kind: WhoIsHiring,
            month: Some("2013-06"),
            ids: &[5803801, 5803803],
            excerpt: (0, "Embedded C and a bit of Rust on ARM. We ship lawn robots & love it."),
            first_posted_at: None,
            truncated: false,
        },
        Case {
            file: "2013-06-p2.html",
            thread_id: 5803790,
            kind: WhoIsHiring,
            month: Some("2013-06"),
            ids: &[5803803, 5803804],
            excerpt: (1, "Email careers@bitternut.example with \"HN\" in the subject."),
            first_posted_at: None,
            truncated: false,
        },
        Case {
            file: "2015-10-athing.html",
            thread_id: 10311580,
            kind: WhoIsHiring,
            month: Some("2015-10"),
            ids: &[10311601, 10311604, 10311605],
            excerpt: (1, "We are downvoted but still hiring / honest."),
            first_posted_at: None,
            truncated: false,
        },
        Case {
            file: "2018-03-comtr.html",
            thread_id: 16492994,
            kind: WhoIsHiring,
            month: Some("2018-03"),
            ids: &[16493001, 16493006, 16493007],
            excerpt: (1, "No recruiters. We run Python and Go on Kubernetes.\n  curl https://quill.example/apply\n"),
            first_posted_at: None,
            truncated: false,
        },
        Case {
            file: "2019-06-p1.html",
            thread_id: 20083795,
            kind: WhoIsHiring,
            month: Some("2019-06"),
            ids: &[20083801, 20083803],
            excerpt: (1, "Page two repeats this comment, it must count once."),
            first_posted_at: None,
            truncated: false,
        },
        Case {
            file: "2019-06-p2.html",
            thread_id: 20083795,
            kind: WhoIsHiring,
            month: Some("2019-06"),
            ids: &[20083803, 20083805],
            excerpt: (1, "Bitternut Analytics | Frontend Engineer"),
            first_posted_at: None,
            truncated: false,
        },
        Case {
            file: "2021-09-indent.html",
            thread_id: 28380661,
            kind: WhoIsHiring,
            month: Some("2021-09"),
            ids: &[28380701, 28380704, 28380706],
            excerpt: (0, ACME),
            first_posted_at: Some("2021-09-01T15:01:07Z"),
            truncated: false,
        },
        Case {
            file: "2024-09-div.html",
            thread_id: 41425910,
            kind: WhoIsHiring,
            month: Some("2024-09"),
            ids: &[41425901, 41425904, 41425905],
            excerpt: (0, "TypeScript, React, D3."),
            first_posted_at: Some("2024-09-02T15:48:00Z"),
            truncated: false,
        },
        Case {
            file: "2026-01-reserialised.html",
            thread_id: 46466074,
            kind: WhoIsHiring,
            month: Some("2026-01"),
            ids: &[46466101, 46466106, 46466107],
            excerpt: (1, "  --data 'role=data'\nQuestions: jobs@quill.example"),
            first_posted_at: Some("2026-01-02T16:00:42Z"),
            truncated: false,
        },
        Case {
            file: "wants-to-be-hired.html",
            thread_id: 30000100,
            kind: Other,
            month: Some("2022-03"),
            ids: &[30000101],
            excerpt: (0, "Location: Lisbon\nRemote: Yes"),
            first_posted_at: Some("2022-03-01T12:00:00Z"),
            truncated: false,
        },
        Case {
            file: "freelancer.html",
            thread_id: 30000200,
            kind: Other,
            month: Some("2022-03"),
            ids: &[30000201, 30000202],
            excerpt: (0, "SEEKING WORK | Remote | Django & Postgres"),
            first_posted_at: Some("2022-03-01T12:00:00Z"),
            truncated: false,
        },
        Case {
            file: "single-comment.html",
            thread_id: 36000123,
            kind: Other,
            month: None,
            ids: &[36000200],
            excerpt: (0, "Is the Berlin role open to juniors?"),
            first_posted_at: Some("2023-06-02T10:00:00Z"),
            truncated: false,
        },
        Case {
            file: "truncated.html",
            thread_id: 40563283,
            kind: WhoIsHiring,
            month: Some("2024-06"),
            ids: &[40563301, 40563302],
            excerpt: (1, "Norrsken Robotics | Firmware Developer"),
            first_posted_at: Some("2024-06-03T16:54:37Z"),
            truncated: true,
        },
    ]
}

#[test]
fn every_fixture_generation_gives_its_postings() {
    for c in cases() {
        let p = parse_fixture(c.file);
        let ids: Vec<u64> = p.postings.iter().map(|x| x.id).collect();
        assert_eq!(ids, c.ids, "{}: ids", c.file);
        assert_eq!(p.thread_id, Some(c.thread_id), "{}: thread id", c.file);
        assert_eq!(p.kind, c.kind, "{}: kind", c.file);
        assert_eq!(p.month.as_deref(), c.month, "{}: month", c.file);
        assert_eq!(p.truncated, c.truncated, "{}: truncated", c.file);
        let (k, excerpt) = c.excerpt;
        assert!(p.postings[k].text.contains(excerpt), "{}: posting {k} text {:?}", c.file, p.postings[k].text);
        assert_eq!(p.postings[0].posted_at, c.first_posted_at.and_then(ts), "{}: posted_at", c.file);
        // Postings of one page all have a time, or none has (per generation).
        let timed = p.postings.iter().filter(|x| x.posted_at.is_some()).count();
        assert!(timed == 0 || timed == p.postings.len(), "{}: mixed timestamps", c.file);
        for x in &p.postings {
            let markup = ["<span", "<div", "<a ", "<p>", "<i>", "<font", "</"];
            assert!(!markup.iter().any(|m| x.text.contains(m)), "{}: markup left in {}", c.file, x.id);
            assert!(!x.text.contains("&#x") && !x.text.contains("&amp;"), "{}: entity left in {}", c.file, x.id);
            assert!(!x.text.lines().any(|l| l.trim().is_empty()), "{}: empty line in {}", c.file, x.id);
        }
    }
}

#[test]
fn two_pages_of_a_thread_share_one_comment_that_counts_once() {
    for (a, b, shared, total) in
        [("2013-06-p1.html", "2013-06-p2.html", 5803803, 3), ("2019-06-p1.html", "2019-06-p2.html", 20083803, 3)]
    {
        let (p1, p2) = (parse_fixture(a), parse_fixture(b));
        let ids1: HashSet<u64> = p1.postings.iter().map(|c| c.id).collect();
        let ids2: HashSet<u64> = p2.postings.iter().map(|c| c.id).collect();
        assert_eq!(ids1.intersection(&ids2).copied().collect::<Vec<_>>(), vec![shared]);
        assert_eq!(ids1.union(&ids2).count(), total);
    }
}

#[test]
fn postings_carry_the_thread_month_and_header_fields() {
    let p = parse_fixture("2018-03-comtr.html");
    let post = hn_html::posting_from(&p.postings[0], &p).finish(Utc::now());
    assert_eq!(post.id, "hn:16493001");
    assert_eq!(post.source, "hn");
    assert_eq!(post.url.as_deref(), Some("https://news.ycombinator.com/item?id=16493001"));
    assert_eq!(post.month, "2018-03");
    assert_eq!(post.date_source, Some(DateSource::Thread));
    assert_eq!(post.company.as_deref(), Some("Acme Widgets"));
    assert_eq!(post.title.as_deref(), Some("Senior Backend Engineer"));
    assert_eq!(post.location.as_deref(), Some("ONSITE"));
    assert!(post.text.starts_with("Acme Widgets | Senior Backend Engineer"));

    // The thread's month wins over the comment's own time (a comment posted days later).
    let p = parse_fixture("2021-09-indent.html");
    let late = p.postings.iter().find(|c| c.id == 28380706).expect("posting 28380706");
    let post = hn_html::posting_from(late, &p);
    assert_eq!(post.month, "2021-09");
    assert_eq!(post.posted_at, ts("2021-09-03T23:59:59Z"));
    assert_eq!(post.date_source, Some(DateSource::Posting));
}

#[test]
fn non_hn_pages_are_not_sniffed() {
    for html in ["<html><head><title>Jobs</title></head><body>Acme is hiring</body></html>", ""] {
        assert!(!hn_html::looks_like_hn(html));
        assert_eq!(hn_html::parse(html), Err(hn_html::HnError::NotHn));
    }
}

#[test]
fn every_prefix_of_a_fixture_parses_without_panicking() {
    let html = read(&fixture("html/hn/2021-09-indent.html"));
    let full = hn_html::parse(&html).expect("full page");
    for n in (0..html.len()).step_by(7).filter(|n| html.is_char_boundary(*n)) {
        if let Ok(p) = hn_html::parse(&html[..n]) {
            // A cut page never invents postings: its ids are a prefix of the full page's.
            assert!(p.postings.len() <= full.postings.len());
            assert!(p.postings.iter().zip(&full.postings).all(|(a, b)| a == b), "prefix {n}");
        }
    }
}

/// The real corpus: every page of every thread, ids unioned per thread, against threads.json.
#[test]
fn real_corpus_matches_threads_json() {
    let Some(data) = shared_data("real_corpus_matches_threads_json") else { return };
    let root = data.join("hn-whoishiring");
    let threads: serde_json::Value = serde_json::from_str(&read(&root.join("threads.json"))).expect("threads.json");
    let threads = threads.as_array().expect("threads.json is an array");

    // thread id -> (ids, ids with a timestamp, months seen)
    type Seen = (HashSet<u64>, usize, HashSet<Option<String>>);
    let mut seen: BTreeMap<u64, Seen> = BTreeMap::new();
    let mut all_ids = HashSet::new();
    let mut dup_across_threads = Vec::new();
    for dir in std::fs::read_dir(root.join("html")).expect("html dir") {
        let dir = dir.expect("entry").path();
        let tid: u64 = dir.file_name().and_then(|n| n.to_str()).and_then(|n| n.parse().ok()).expect("numeric dir");
        let entry = seen.entry(tid).or_default();
        for f in std::fs::read_dir(&dir).expect("thread dir") {
            let f = f.expect("entry").path();
            let bytes = std::fs::read(&f).expect("page");
            let html = String::from_utf8_lossy(&bytes);
            let p = hn_html::parse(&html).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            assert_eq!(p.thread_id, Some(tid), "{}", f.display());
            assert_eq!(p.kind, ThreadKind::WhoIsHiring, "{}", f.display());
            assert!(!p.truncated, "{}", f.display());
            entry.2.insert(p.month.clone());
            for c in p.postings {
                if entry.0.insert(c.id) {
                    entry.1 += usize::from(c.posted_at.is_some());
                    if !all_ids.insert(c.id) {
                        dup_across_threads.push(c.id);
                    }
                }
            }
        }
    }

    let mut mismatches = Vec::new();
    let mut total = 0;
    for t in threads {
        let tid = t["thread_id"].as_u64().expect("thread_id");
        let month = t["month"].as_str().expect("month");
        let want = t["postings"].as_u64().expect("postings") as usize;
        // with_timestamp counts the top-level, not collapsed rows that carry an age title (with
        // text or not): 0 before 2021-05, and then at least every posting.
        let with_ts = t["with_timestamp"].as_u64().expect("with_timestamp") as usize;
        let Some((ids, timed, months)) = seen.get(&tid) else {
            mismatches.push(format!("{month}: thread {tid} has no pages"));
            continue;
        };
        total += ids.len();
        if ids.len() != want {
            mismatches.push(format!("{month}: {} postings, threads.json says {want}", ids.len()));
        }
        let timed_ok = if with_ts == 0 { *timed == 0 } else { *timed == ids.len() && with_ts >= ids.len() };
        if !timed_ok {
            mismatches.push(format!("{month}: {timed} of {} postings timed, with_timestamp {with_ts}", ids.len()));
        }
        if months.len() != 1 || !months.contains(&Some(month.to_string())) {
            mismatches.push(format!("{month}: title months {months:?}"));
        }
    }
    assert!(mismatches.is_empty(), "per-month mismatches:\n{}", mismatches.join("\n"));
    assert!(dup_across_threads.is_empty(), "ids in two threads: {dup_across_threads:?}");
    assert_eq!(total, 54_299);
    assert_eq!(threads.len(), seen.len());
}
