//! The `ingest` subcommands' arguments: one variant per source, the options every network source
//! takes, and the HTML-specific ones.
//!
//! In: command-line words (through clap, from [`super::Command::Ingest`]). Out: [`IngestSource`].

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::{parse_month, parse_writer_id};

#[derive(Debug, Subcommand)]
pub enum IngestSource {
    /// Saved HTML pages: HN "Who is hiring?" threads, schema.org JobPosting pages, any job page.
    #[command(
        after_help = "Examples:\n  jobtrend ingest html ../shared/data/hn-whoishiring/html\n  jobtrend ingest html saved/job.html.gz --date 2025-06-01\n  jobtrend ingest html pages/ --json"
    )]
    Html(IngestHtmlArgs),

    /// "Ask HN: Who is hiring?" threads through the HN Search API (Firebase API as fallback).
    #[command(
        after_help = "Examples:\n  jobtrend ingest hn --since 2024-01\n  jobtrend ingest hn --since 2011-04 --until 2011-04 --refresh\n  jobtrend ingest hn --base-url http://mirror.local:8080"
    )]
    Hn(IngestHnArgs),

    /// Greenhouse job boards (boards-api.greenhouse.io), by board token.
    #[command(
        after_help = "Examples:\n  jobtrend ingest greenhouse airbnb stripe\n  jobtrend ingest greenhouse stripe --json"
    )]
    Greenhouse(IngestGreenhouseArgs),

    /// Lever job sites (api.lever.co), by site name.
    #[command(after_help = "Examples:\n  jobtrend ingest lever leverdemo\n  jobtrend ingest lever leverdemo --json")]
    Lever(IngestLeverArgs),

    /// RemoteOK's public API (remoteok.com/api).
    #[command(
        after_help = "Examples:\n  jobtrend ingest remoteok\n  jobtrend ingest remoteok --json --timeout 60\n  jobtrend ingest remoteok --base-url http://mirror.local:8080"
    )]
    Remoteok(NetArgs),

    /// Remotive's public API (remotive.com/api/remote-jobs).
    #[command(
        after_help = "Examples:\n  jobtrend ingest remotive\n  jobtrend ingest remotive --json --timeout 60\n  jobtrend ingest remotive --base-url http://mirror.local:8080"
    )]
    Remotive(NetArgs),

    /// Arbeitnow's job board API (all pages).
    #[command(
        after_help = "Examples:\n  jobtrend ingest arbeitnow\n  jobtrend ingest arbeitnow --json --timeout 60\n  jobtrend ingest arbeitnow --base-url http://mirror.local:8080"
    )]
    Arbeitnow(NetArgs),

    /// RSS 2.0, Atom or JSON Feed URLs; one posting per item.
    #[command(after_help = "Examples:\n  jobtrend ingest feed https://weworkremotely.com/remote-jobs.rss")]
    Feed(IngestFeedArgs),

    /// Ashby job boards (api.ashbyhq.com posting API), by board name.
    #[command(after_help = BOARDS_HELP)]
    Ashby(IngestBoardsArgs),

    /// SmartRecruiters companies (api.smartrecruiters.com posting API), by company identifier.
    #[command(after_help = BOARDS_HELP)]
    Smartrecruiters(IngestBoardsArgs),

    /// Workable accounts (apply.workable.com widget API), by account slug.
    #[command(after_help = BOARDS_HELP)]
    Workable(IngestBoardsArgs),
    /// WARC files as Common Crawl publishes them (.warc.gz, or plain .warc), local or by URL:
    /// the schema.org JobPostings of their HTML pages.
    #[command(after_help = WARC_HELP)]
    Warc(IngestWarcArgs),

    /// Web Data Commons schema.org JobPosting extractions (N-Quads, .nq or .nq.gz), local or by URL.
    #[command(after_help = WDC_HELP)]
    Wdc(IngestWdcArgs),
}

const WARC_HELP: &str = "\
Every `response` record with HTTP status 200 and an HTML payload is searched for JobPostings
(JSON-LD and microdata); other records and pages without one are counted. Dates: datePosted,
else the record's WARC-Date (date_source \"crawl\"). A broken record or gzip member is reported
with its record number and offset, and the rest is read (exit 1).

Examples:
  jobtrend ingest warc CC-MAIN-20240301-00000.warc.gz
  jobtrend ingest warc https://data.commoncrawl.org/crawl-data/CC-MAIN-2024-10/segments/.../x.warc.gz
  jobtrend ingest warc --paths warc.paths.gz --json
  jobtrend ingest warc --paths warc.paths --base-url http://mirror.local:8080";

const WDC_HELP: &str = "\
Quads are grouped per page (graph) and JobPosting node; nested nodes (hiringOrganization,
jobLocation, baseSalary) are resolved within the page. Files sorted by page (as WDC publishes
them) are read with one page in memory. Postings without a datePosted are skipped and counted.
A line that is not an N-Quad is reported with its line number and the rest is read (exit 1).

Examples:
  jobtrend ingest wdc schema_org_JobPosting.part_0.gz
  jobtrend ingest wdc part_0.nq.gz part_1.nq.gz --json";

#[derive(Debug, Args, Clone)]
pub struct IngestWarcArgs {
    /// WARC files (.warc.gz or .warc) or http(s) URLs of them.
    #[arg(value_name = "FILE_OR_URL", required_unless_present = "paths")]
    pub inputs: Vec<String>,

    /// A Common Crawl warc.paths list (plain or gzipped): one URL, or one path relative to
    /// https://data.commoncrawl.org/ (or --base-url), per line.
    #[arg(long, value_name = "FILE")]
    pub paths: Option<PathBuf>,

    /// Page parser threads (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,

    #[command(flatten)]
    pub net: NetArgs,
}

#[derive(Debug, Args, Clone)]
pub struct IngestWdcArgs {
    /// N-Quads files (.nq or .nq.gz) or http(s) URLs of them.
    #[arg(required = true, value_name = "FILE_OR_URL")]
    pub inputs: Vec<String>,

    #[command(flatten)]
    pub net: NetArgs,
}

const BOARDS_HELP: &str = "\
Examples:
  jobtrend ingest ashby acme
  jobtrend ingest smartrecruiters --boards companies.txt --json
  jobtrend ingest workable acme --boards more-accounts.txt

Boards are fetched 8 at a time within the per-host rate limits. Every complete fetch of a board
is a snapshot of what it lists (data/snapshots/): postings get first_seen, last_seen and closed_at
(see `jobtrend stats`, `jobtrend trends --measure open`). A board whose fetch fails is named, closes
nothing, and the others go on (exit 1).";

/// Options every network source takes.
#[derive(Debug, Args, Clone, Default)]
pub struct NetArgs {
    /// Root URL replacing the real service (a mirror, a proxy, a local test server); pagination
    /// links are rebased onto it.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    /// Per-request timeout in seconds.
    #[arg(long, default_value_t = 30.0, value_name = "SECS")]
    pub timeout: f64,

    /// Retries of a request after a timeout, a connection error, 429 or 5xx.
    #[arg(long, default_value_t = 4, value_name = "N")]
    pub retries: usize,

    #[command(flatten)]
    pub common: IngestCommon,
}

#[derive(Debug, Args, Clone)]
pub struct IngestHnArgs {
    /// First thread month.
    #[arg(long, value_name = "YYYY-MM", value_parser = parse_month)]
    pub since: Option<String>,

    /// Last thread month.
    #[arg(long, value_name = "YYYY-MM", value_parser = parse_month)]
    pub until: Option<String>,

    /// Fetch months already complete again.
    #[arg(long)]
    pub refresh: bool,

    #[command(flatten)]
    pub net: NetArgs,
}

#[derive(Debug, Args, Clone)]
pub struct IngestGreenhouseArgs {
    /// Board tokens (the name in boards.greenhouse.io/<token>).
    #[arg(required_unless_present = "boards_file", value_name = "BOARD")]
    pub boards: Vec<String>,

    /// A file of board tokens, one per line (`#` starts a comment), added to those named.
    #[arg(long = "boards", value_name = "FILE")]
    pub boards_file: Option<PathBuf>,

    #[command(flatten)]
    pub net: NetArgs,
}

#[derive(Debug, Args, Clone)]
pub struct IngestLeverArgs {
    /// Site names (the name in jobs.lever.co/<company>).
    #[arg(required_unless_present = "boards_file", value_name = "COMPANY")]
    pub companies: Vec<String>,

    /// A file of site names, one per line (`#` starts a comment), added to those named.
    #[arg(long = "boards", value_name = "FILE")]
    pub boards_file: Option<PathBuf>,

    #[command(flatten)]
    pub net: NetArgs,
}

#[derive(Debug, Args, Clone)]
pub struct IngestFeedArgs {
    /// Feed URLs.
    #[arg(required = true, value_name = "URL")]
    pub urls: Vec<String>,

    #[command(flatten)]
    pub net: NetArgs,
}

/// Ashby, SmartRecruiters and Workable: boards on the command line and/or in a file.
#[derive(Debug, Args, Clone)]
pub struct IngestBoardsArgs {
    /// Board names (Ashby job board, SmartRecruiters company identifier, Workable account slug).
    #[arg(required_unless_present = "boards_file", value_name = "BOARD")]
    pub boards: Vec<String>,

    /// A file of boards, one per line (`#` starts a comment), added to those named.
    #[arg(long = "boards", value_name = "FILE")]
    pub boards_file: Option<PathBuf>,

    #[command(flatten)]
    pub net: NetArgs,
}

#[derive(Debug, Args, Clone, Default)]
pub struct IngestCommon {
    /// Print the summary as JSON on stdout.
    #[arg(long)]
    pub json: bool,

    /// Wait for another run's lock instead of exiting with code 3.
    #[arg(long)]
    pub wait: bool,
}

#[derive(Debug, Args, Clone)]
pub struct IngestHtmlArgs {
    /// Files or directories (searched recursively for .html, .htm, .html.gz).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Date for pages that state none (else the file's modification time).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<chrono::NaiveDate>,

    /// Parser threads (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,

    /// Write alongside other writers without taking the lock: part files named after the writer,
    /// dedup only against what was stored at the start. Run `jobtrend compact` once all are done.
    #[arg(long)]
    pub shared: bool,

    /// Writer id in the part file names with --shared (default: <hostname>-<pid>-<random>);
    /// 1-64 characters of A-Z a-z 0-9 _ -, unique among concurrent writers.
    #[arg(long, requires = "shared", value_name = "ID", value_parser = parse_writer_id)]
    pub writer_id: Option<String>,

    #[command(flatten)]
    pub common: IngestCommon,
}
