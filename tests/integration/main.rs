//! The one integration-test binary (each test binary links Polars: keep it to one).
//! A module per verb or stage; shared helpers in `common`.

mod charts;
mod common;
mod compact;
mod feeds;
mod fuzz;
mod hn_html;
mod index;
mod ingest_html;
mod keywords_cmd;
mod match_cmd;
mod predictions;
mod run_cmd;
mod salary_roles;
mod spark;
mod trends_cli;
mod trends_report;
mod trust;
mod warc;
