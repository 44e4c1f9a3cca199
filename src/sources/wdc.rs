//! Web Data Commons schema.org JobPosting subsets (N-Quads) → postings.
//!
//! In: N-Quads (`subject predicate object graph .`, graph = the page URL) as Web Data Commons
//! extracts them from Common Crawl, decompressed. Out: per page, the unfinished postings of its
//! JobPosting nodes (source [`SOURCE`]), through a callback, and counts; each line that is not an
//! N-Quad is passed to another callback with its line number and the parser's reason, and the
//! rest of the file is read (each line is parsed on its own by `oxttl`, so an unterminated
//! literal cannot run into the next line).
//!
//! - Grouping: quads are grouped per page (graph) and node (subject, usually a blank node). WDC
//!   files are sorted by graph, so a page is complete when the graph changes and is then
//!   turned into postings and dropped: memory holds one page. Unsorted input still works, but
//!   a page whose quads are split into several runs is read as several pages, each with only
//!   its own nodes (a posting may lose nested fields or, when its nodes are split, appear
//!   twice with the same id: the store keeps the first). A page over [`MAX_QUADS_PER_PAGE`]
//!   quads is flushed in pieces the same way.
//! - Nodes: each JobPosting node becomes a JSON-LD-shaped object — properties by the last
//!   segment of their IRI under `http(s)://(www.)schema.org/` (so `schema.org/title` and the
//!   older microdata form `schema.org/JobPosting/title` are both `title`), nested nodes
//!   (hiringOrganization, jobLocation → address, baseSalary → value) resolved within the page
//!   (at most [`MAX_DEPTH`] levels, no cycles), literals as strings, IRIs that are not nodes of
//!   the page as strings — and goes through the JSON-LD mapping of [`super::jsonld`]: the same
//!   fields, and the same ids (`jsonld:<url>`; the page URL when the page has one posting without
//!   a `url`) as the page ingested as HTML or from a WARC file, so it is stored once.
//! - Dates: WDC quads carry no crawl date, so a posting without a parseable `datePosted` cannot
//!   be placed in a month: it is skipped and counted (`undated`).

use std::collections::HashMap;
use std::io::{self, BufRead, Read};

use oxrdf::{GraphName, NamedOrBlankNode, Term};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::posting::Posting;

/// The `source` of postings read from Web Data Commons files.
pub const SOURCE: &str = "wdc";
/// Quads of one page held before it is flushed in pieces.
pub const MAX_QUADS_PER_PAGE: usize = 100_000;
/// Nesting followed from a JobPosting node.
pub const MAX_DEPTH: usize = 6;

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

/// What one file gave.
#[derive(Debug, Default, Clone, Serialize)]
pub struct WdcCounts {
    /// Quads read.
    pub quads: u64,
    /// Lines that are not N-Quads.
    pub bad_lines: u64,
    /// Pages (graphs) read.
    pub pages: u64,
    /// Pages without any JobPosting node (only Product, Organization...).
    pub pages_without_job_posting: u64,
    /// JobPosting nodes found.
    pub job_nodes: u64,
    /// Postings without a parseable `datePosted`, skipped.
    pub undated: u64,
    /// JobPosting nodes skipped: neither a title nor a description, or the same posting twice on the page.
    pub empty: u64,
    /// Postings passed on.
    pub postings: u64,
}

impl std::ops::AddAssign<&WdcCounts> for WdcCounts {
    fn add_assign(&mut self, o: &WdcCounts) {
        self.quads += o.quads;
        self.bad_lines += o.bad_lines;
        self.pages += o.pages;
        self.pages_without_job_posting += o.pages_without_job_posting;
        self.job_nodes += o.job_nodes;
        self.undated += o.undated;
        self.empty += o.empty;
        self.postings += o.postings;
    }
}

/// A line that is not an N-Quad.
#[derive(Debug, Clone, Serialize)]
pub struct BadLine {
    /// 1-based.
    pub line: u64,
    pub reason: String,
}

enum Obj {
    Literal(String),
    Iri(String),
    Blank(String),
}

/// The nodes of one page, in the order their subjects first appear.
#[derive(Default)]
struct PageNodes {
    graph: String,
    order: Vec<String>,
    props: HashMap<String, Vec<(String, Obj)>>,
    quads: usize,
}

/// Reads N-Quads from `input`: `on_page` gets each page's postings (return `false` to stop),
/// `on_bad` each line that is not an N-Quad. An I/O error of the input (e.g. truncated gzip
/// data) ends the read and is returned with the counts so far.
pub fn read_nquads(
    input: impl Read,
    on_page: &mut dyn FnMut(Vec<Posting>) -> bool,
    on_bad: &mut dyn FnMut(BadLine),
) -> (WdcCounts, io::Result<()>) {
    let mut counts = WdcCounts::default();
    let mut page = PageNodes::default();
    let mut reader = io::BufReader::with_capacity(1 << 20, input);
    let mut line = Vec::new();
    let mut number = 0u64;
    loop {
        line.clear();
        let read = (&mut reader).take(MAX_LINE_BYTES as u64).read_until(b'\n', &mut line);
        let n = match read {
            Ok(n) => n,
            Err(e) => {
                flush(&mut page, &mut counts, on_page);
                return (counts, Err(e));
            }
        };
        if n == 0 {
            break;
        }
        number += 1;
        if n == MAX_LINE_BYTES && line.last() != Some(&b'\n') {
            counts.bad_lines += 1;
            on_bad(BadLine { line: number, reason: format!("line longer than {MAX_LINE_BYTES} bytes") });
            if let Err(e) = skip_line(&mut reader) {
                flush(&mut page, &mut counts, on_page);
                return (counts, Err(e));
            }
            continue;
        }
        let t = line.trim_ascii();
        if t.is_empty() || t.starts_with(b"#") {
            continue;
        }
        // One parser per line: a broken line (an unterminated literal) cannot swallow the next.
        for item in oxttl::NQuadsParser::new().lenient().for_slice(&line) {
            match item {
                Ok(q) => {
                    if !add_quad(q, &mut page, &mut counts, on_page) {
                        return (counts, Ok(()));
                    }
                }
                Err(e) => {
                    counts.bad_lines += 1;
                    on_bad(BadLine { line: number, reason: e.message().to_string() });
                    break;
                }
            }
        }
    }
    flush(&mut page, &mut counts, on_page);
    (counts, Ok(()))
}

/// Longest line read; a longer one is reported and skipped.
pub const MAX_LINE_BYTES: usize = 1 << 20;

fn skip_line(r: &mut impl BufRead) -> io::Result<()> {
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        match memchr::memchr(b'\n', buf) {
            Some(i) => {
                r.consume(i + 1);
                return Ok(());
            }
            None => {
                let n = buf.len();
                r.consume(n);
            }
        }
    }
}

/// Adds one quad to the page being read, flushing the previous page when the graph changes.
/// `false` when the caller asked to stop.
fn add_quad(
    q: oxrdf::Quad,
    page: &mut PageNodes,
    counts: &mut WdcCounts,
    on_page: &mut dyn FnMut(Vec<Posting>) -> bool,
) -> bool {
    counts.quads += 1;
    let graph = match q.graph_name {
        GraphName::NamedNode(n) => n.into_string(),
        GraphName::BlankNode(b) => format!("_:{}", b.as_str()),
        GraphName::DefaultGraph => String::new(),
    };
    if graph != page.graph || page.quads >= MAX_QUADS_PER_PAGE {
        if !flush(page, counts, on_page) {
            return false;
        }
        page.graph = graph;
    }
    let subject = match q.subject {
        NamedOrBlankNode::NamedNode(n) => n.into_string(),
        NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
    };
    let pred = q.predicate.as_str();
    let name = if pred == RDF_TYPE {
        "@type".to_string()
    } else {
        match schema_name(pred) {
            Some(n) => n.to_string(),
            None => return true,
        }
    };
    let obj = match q.object {
        Term::Literal(l) => Obj::Literal(l.value().to_string()),
        Term::NamedNode(n) => Obj::Iri(n.into_string()),
        Term::BlankNode(b) => Obj::Blank(format!("_:{}", b.as_str())),
        #[allow(unreachable_patterns)]
        _ => return true,
    };
    page.quads += 1;
    let entry = page.props.entry(subject.clone()).or_default();
    if entry.is_empty() {
        page.order.push(subject);
    }
    entry.push((name, obj));
    true
}

/// The schema.org property name of a predicate IRI, `None` for other vocabularies.
fn schema_name(iri: &str) -> Option<&str> {
    let rest = ["http://schema.org/", "https://schema.org/", "http://www.schema.org/", "https://www.schema.org/"]
        .iter()
        .find_map(|p| iri.strip_prefix(p))?;
    let name = rest.rsplit('/').next().unwrap_or(rest);
    (!name.is_empty()).then_some(name)
}

fn is_job_posting_iri(iri: &str) -> bool {
    schema_name(iri).is_some_and(|n| n.eq_ignore_ascii_case("JobPosting"))
}

/// Turns the page's JobPosting nodes into postings, passes them on, and empties the page.
fn flush(page: &mut PageNodes, counts: &mut WdcCounts, on_page: &mut dyn FnMut(Vec<Posting>) -> bool) -> bool {
    if page.quads == 0 {
        return true;
    }
    let page = std::mem::take(page);
    counts.pages += 1;
    let jobs: Vec<&String> = page
        .order
        .iter()
        .filter(|s| {
            page.props[*s].iter().any(|(k, v)| k == "@type" && matches!(v, Obj::Iri(t) if is_job_posting_iri(t)))
        })
        .collect();
    if jobs.is_empty() {
        counts.pages_without_job_posting += 1;
        return true;
    }
    counts.job_nodes += jobs.len() as u64;
    let values: Vec<Value> = jobs.iter().map(|s| node_value(&page, s, 0, &mut Vec::new())).collect();
    let page_url = (!page.graph.starts_with("_:") && !page.graph.is_empty()).then_some(page.graph.as_str());
    let found = super::jsonld::postings_from_nodes(&values, page_url);
    counts.empty += (values.len() - found.len().min(values.len())) as u64;
    let mut postings = Vec::with_capacity(found.len());
    for mut p in found {
        if p.posted_at.is_none() {
            counts.undated += 1;
            continue;
        }
        p.source = SOURCE.to_string();
        postings.push(p);
    }
    counts.postings += postings.len() as u64;
    postings.is_empty() || on_page(postings)
}

/// A node as a JSON-LD-shaped object: `@type` (local names) and its schema.org properties.
fn node_value(page: &PageNodes, subject: &str, depth: usize, path: &mut Vec<String>) -> Value {
    let mut m = Map::new();
    let Some(props) = page.props.get(subject) else { return Value::Object(m) };
    path.push(subject.to_string());
    for (name, obj) in props {
        let v = match obj {
            Obj::Literal(s) => Value::String(s.clone()),
            Obj::Iri(iri) if name == "@type" => Value::String(schema_name(iri).unwrap_or(iri).to_string()),
            Obj::Iri(iri) | Obj::Blank(iri) => {
                if page.props.contains_key(iri) && depth < MAX_DEPTH && !path.contains(iri) {
                    node_value(page, iri, depth + 1, path)
                } else if matches!(obj, Obj::Iri(_)) {
                    Value::String(iri.clone())
                } else {
                    continue;
                }
            }
        };
        match m.get_mut(name) {
            None => {
                m.insert(name.clone(), v);
            }
            Some(Value::Array(a)) => a.push(v),
            Some(old) => {
                let first = old.take();
                *old = Value::Array(vec![first, v]);
            }
        }
    }
    path.pop();
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(nq: &str) -> (Vec<Posting>, WdcCounts, Vec<BadLine>) {
        let mut all = Vec::new();
        let mut bad = Vec::new();
        let (counts, res) = read_nquads(
            nq.as_bytes(),
            &mut |ps| {
                all.extend(ps);
                true
            },
            &mut |b| bad.push(b),
        );
        res.unwrap();
        (all, counts, bad)
    }

    #[test]
    fn nested_nodes_and_both_schema_namespaces() {
        let nq = r#"_:n1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://schema.org/JobPosting> <https://a.example/job/1> .
_:n1 <http://schema.org/title> "Go developer" <https://a.example/job/1> .
_:n1 <https://schema.org/datePosted> "2023-02-01" <https://a.example/job/1> .
_:n1 <http://schema.org/hiringOrganization> _:n2 <https://a.example/job/1> .
_:n2 <http://schema.org/name> "Acme" <https://a.example/job/1> .
_:n1 <http://schema.org/JobPosting/description> "<p>Go &amp; Kafka</p>" <https://a.example/job/1> .
_:n1 <http://schema.org/jobLocation> _:n3 <https://a.example/job/1> .
_:n3 <http://schema.org/address> _:n4 <https://a.example/job/1> .
_:n4 <http://schema.org/addressLocality> "Berlin" <https://a.example/job/1> .
_:n4 <http://schema.org/addressCountry> "DE" <https://a.example/job/1> .
this is not a quad
_:m1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://schema.org/Product> <https://b.example/p> .
"#;
        let (ps, counts, bad) = read(nq);
        assert_eq!(ps.len(), 1);
        let p = &ps[0];
        assert_eq!(p.id, "jsonld:https://a.example/job/1");
        assert_eq!(p.source, "wdc");
        assert_eq!(p.company.as_deref(), Some("Acme"));
        assert_eq!(p.location.as_deref(), Some("Berlin, DE"));
        assert_eq!(p.text, "Go & Kafka");
        assert_eq!(p.month, "2023-02");
        assert_eq!((counts.pages, counts.pages_without_job_posting, counts.bad_lines), (2, 1, 1));
        assert_eq!(bad[0].line, 11);
    }
}
