//! The report's "What is emerging" section.
//!
//! In: the result of [`crate::emerging::find`] (or why it could not be computed). Out: the section as
//! Markdown and as HTML, the top [`TOP`] terms with the same numbers as `jobtrend emerging`.

use super::{html_escape, md_cell};
use crate::emerging::{Emerging, EmergingError, EmergingTerm};

/// Terms in the section.
pub const TOP: usize = 10;

const HEAD: [&str; 6] =
    ["term", "postings before", "postings recent", "share before", "share recent", "ratio (95% interval)"];

fn cells(t: &EmergingTerm) -> [String; 6] {
    [
        t.term.clone(),
        t.postings_before.to_string(),
        t.postings_after.to_string(),
        format!("{:.2}%", t.share_before * 100.0),
        format!("{:.2}%", t.share_after * 100.0),
        format!("{:.1} ({:.1} .. {:.1})", t.ratio, t.ci_low, t.ci_high),
    ]
}

/// The sentence above the table.
fn intro(e: &Emerging) -> String {
    format!(
        "Terms no keyword id covers whose share of postings rose most: recent {} ({} postings) against before {} ({} postings). \
         Ratio of shares with a 95% Katz interval, ranked by its lower bound; plain English, numbers, dates, URLs and each \
         posting's own company name are left out. `jobtrend emerging` lists more.",
        e.recent.span(),
        e.recent.postings,
        e.before.span(),
        e.before.postings
    )
}

fn empty_note(e: &Emerging) -> String {
    format!("No term rose significantly ({} candidates counted, {} covered by keyword ids).", e.candidates, e.covered)
}

/// The section in Markdown.
pub fn markdown(r: &Result<Emerging, EmergingError>) -> String {
    let mut s = String::from("\n## What is emerging\n\n");
    match r {
        Err(err) => s.push_str(&format!("Not computed: {}.\n", md_cell(&err.to_string()))),
        Ok(e) => {
            s.push_str(&format!("{}\n\n", md_cell(&intro(e))));
            if e.terms.is_empty() {
                s.push_str(&format!("{}\n", empty_note(e)));
                return s;
            }
            s.push_str(&format!("| {} |\n|{}\n", HEAD.join(" | "), "---|".repeat(HEAD.len())));
            for t in e.terms.iter().take(TOP) {
                let row: Vec<String> = cells(t).iter().map(|c| md_cell(c)).collect();
                s.push_str(&format!("| {} |\n", row.join(" | ")));
            }
        }
    }
    s
}

/// The section in HTML (`id="emerging"`).
pub fn html(r: &Result<Emerging, EmergingError>) -> String {
    let e = html_escape;
    let mut s = String::from("<h2 id=\"emerging\">What is emerging</h2>\n");
    match r {
        Err(err) => s.push_str(&format!("<p>Not computed: {}.</p>\n", e(&err.to_string()))),
        Ok(em) => {
            s.push_str(&format!("<p>{}</p>\n", e(&intro(em))));
            if em.terms.is_empty() {
                s.push_str(&format!("<p>{}</p>\n", e(&empty_note(em))));
                return s;
            }
            let th: String = HEAD.iter().map(|h| format!("<th>{}</th>", e(h))).collect();
            s.push_str(&format!("<table class=\"emerging\"><tr>{th}</tr>\n"));
            for t in em.terms.iter().take(TOP) {
                let td: String = cells(t).iter().map(|c| format!("<td>{}</td>", e(c))).collect();
                s.push_str(&format!("<tr>{td}</tr>\n"));
            }
            s.push_str("</table>\n");
        }
    }
    s
}
