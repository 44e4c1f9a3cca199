//! jobtrend: are the shifts predicted by "The State of Backend Engineering in 2026" happening?
//!
//! ```text
//! saved HTML ─┐                                          keywords/*.toml        keywords/predictions.toml
//! HN API     ─┤                                               │                         │
//! Greenhouse ─┼─ sources ─▶ Posting ─▶ store (Parquet) ─▶ keywords ─▶ trends (Polars) ─▶ charts + predictions ─▶ reports/
//! Lever, RSS ─┘  (fetch + parse)       data/postings/      (matcher)   (share, CI)       (PNG)   (verdicts)
//! ```
//! Ingest also writes the match index (`index`, per part: keyword ids, roles, seniority, salary);
//! `analysis` reads only the index and feeds `trends`, `predictions` and `report`.
//! Every stage is a library module; the binary (`main.rs`, `cli/`, `cmd/`) is glue.

pub mod analysis;
pub mod ascii;
pub mod backfill;
pub mod charts;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod dedup;
pub mod emerging;
pub mod examples;
pub mod fsutil;
pub mod index;
pub mod ingest;
pub mod ingest_crawl;
pub mod keywords;
pub mod lifecycle;
pub mod posting;
pub mod predictions;
pub mod report;
pub mod roles;
pub mod salary;
pub mod signals;
pub mod sources;
pub mod store;
pub mod terms;
pub mod text;
pub mod trends;

/// Exit codes shared by every command.
pub mod exit {
    /// Everything went well.
    pub const OK: u8 = 0;
    /// Some inputs (files, pages, sources) failed; the rest was done.
    pub const PARTIAL: u8 = 1;
    /// Usage error, or nothing could be done.
    pub const FATAL: u8 = 2;
    /// Another run holds the data directory's lock.
    pub const LOCKED: u8 = 3;
}
