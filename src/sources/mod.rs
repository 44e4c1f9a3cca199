//! Sources: where postings come from.
//!
//! In: bytes of a saved page (or, later, API responses). Out: unfinished [`Posting`]s
//! (the caller sets `ingested_at` through [`Posting::finish`]).
//!
//! Saved pages are recognised by content, in this order: an HN item page ([`hn_html`]),
//! schema.org JobPosting in JSON-LD or microdata ([`jsonld`]), anything else ([`generic_html`]).

pub mod generic_html;
pub mod hn_html;
pub mod jsonld;

#[allow(unused_imports)]
use crate::posting::Posting;
