//! The one integration-test binary (each test binary links Polars: keep it to one).
//! A module per verb or stage; shared helpers in `common`.

mod ats;
mod backfill;
mod charts;
mod common;
mod compact;
mod dedup;
mod emerging;
mod explore;
mod feeds;
mod feeds_bin;
mod fuzz;
mod hn_html;
mod index;
mod ingest_html;
mod keywords_cmd;
mod match_cmd;
mod predictions;
mod run_cmd;
mod salary_roles;
mod signals;
mod spark;
mod terms_cli;
mod trends_cli;
mod trends_report;
mod trust;
mod warc;
