//! Command-line interface: clap derive, one enum variant per verb.
//!
//! In: `argv`. Out: a [`Cli`] value the `cmd` module dispatches on. Usage errors exit 2 (clap).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod ingest;
pub use ingest::*;

const ABOUT: &str = "Checks the predictions of \"The State of Backend Engineering in 2026\" against real job postings.";

const AFTER_HELP: &str = "\
Examples:
  jobtrend run                                   # the scheduled job: ingest every configured source, report, verdicts
  jobtrend ingest html ../shared/data/hn-whoishiring/html
  jobtrend stats
  jobtrend trends --by quarter --keywords typescript,javascript
  jobtrend report --out reports
  jobtrend check --format md

Exit codes: 0 all good, 1 some inputs failed, 2 usage or fatal error, 3 another run holds the lock.";

#[derive(Debug, Parser)]
#[command(name = "jobtrend", version, about = ABOUT, after_help = AFTER_HELP)]
pub struct Cli {
    /// Dataset directory.
    #[arg(long, global = true, env = "JOBTREND_DATA", default_value = "data", value_name = "DIR")]
    pub data: PathBuf,

    /// More log output (-v info, -vv debug, -vvv trace).
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,

    /// Only errors on stderr.
    #[arg(short, long, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,

    /// Where `--data` came from (set by [`parse`]; `Default` when built by hand).
    #[arg(skip)]
    pub data_origin: DataOrigin,
}

/// Where the dataset directory came from, for `run`'s precedence: `--data` > the config's
/// `data` > `JOBTREND_DATA` > the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DataOrigin {
    Flag,
    Env,
    #[default]
    Default,
}

/// Parses `argv` (exits 2 with clap's message on a usage error), recording where `--data` came from.
pub fn parse() -> Cli {
    use clap::{CommandFactory, FromArgMatches};
    let matches = Cli::command().get_matches();
    let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    cli.data_origin = match matches.value_source("data") {
        Some(clap::parser::ValueSource::CommandLine) => DataOrigin::Flag,
        Some(clap::parser::ValueSource::EnvVariable) => DataOrigin::Env,
        _ => DataOrigin::Default,
    };
    cli
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add postings to the dataset from saved pages or public sources.
    #[command(
        subcommand,
        after_help = "Examples:\n  jobtrend ingest html ../shared/data/hn-whoishiring/html\n  jobtrend ingest hn --since 2024-01\n  jobtrend ingest greenhouse stripe\n  jobtrend ingest remoteok --json"
    )]
    Ingest(IngestSource),

    /// Postings per source and month, date coverage, dataset size, last runs.
    #[command(after_help = "Examples:\n  jobtrend stats\n  jobtrend --data /srv/jobtrend/data stats --json")]
    Stats(StatsArgs),

    /// Which keywords a text mentions (the matcher on its own).
    #[command(
        name = "match",
        after_help = "Examples:\n  jobtrend match posting.txt\n  echo 'Rust + Postgres, no go-to-market' | jobtrend match --explain -\n  jobtrend match --jsonl postings.jsonl > matched.jsonl\n  jobtrend match --jsonl --facts postings.jsonl    # + stated salary and roles per line\n  jobtrend match --keywords-dir my-keywords/ posting.txt\n\nKeyword ids and their rules: jobtrend keywords, jobtrend keywords show ID."
    )]
    Match(MatchArgs),

    /// The keyword ids: list them, show the rules of one, export the built-in taxonomy to customise it.
    #[command(after_help = KEYWORDS_HELP, args_conflicts_with_subcommands = true)]
    Keywords(KeywordsArgs),

    /// Share of postings that mention each keyword per period, with 95% Wilson intervals.
    #[command(
        after_help = "Examples:\n  jobtrend trends --keywords typescript,javascript\n  jobtrend trends --by year --format csv > trends.csv\n  jobtrend trends --by quarter --since 2022-01 --source hn --format json\n  jobtrend trends --roles backend,sre --by year"
    )]
    Trends(TrendsArgs),

    /// Write PNG charts, index.md, index.html and trends.csv.
    #[command(after_help = "Examples:\n  jobtrend report\n  jobtrend report --out /var/www/jobtrend --by quarter")]
    Report(ReportArgs),

    /// Verdicts on the article's predictions (supported / contradicted / inconclusive).
    #[command(
        after_help = "Examples:\n  jobtrend check\n  jobtrend check --format json | jq '.[] | select(.verdict == \"supported\")'\n  jobtrend check --predictions my-claims.toml --format md"
    )]
    Check(CheckArgs),

    /// Make a dataset exact after shared writers: one row per id, small parts of a month merged.
    #[command(
        after_help = "Takes the lock; run it after every `ingest --shared` writer has finished (it removes their\nunfinished temp files). Of the rows sharing an id it keeps the one ingested first.\n\nExamples:\n  jobtrend ingest html --shared pages/a & jobtrend ingest html --shared pages/b; wait\n  jobtrend compact\n  jobtrend --data /srv/jobtrend/data compact --json"
    )]
    Compact(CompactArgs),

    /// The scheduled job: ingest every configured source, then write the report and the verdicts.
    #[command(after_help = RUN_HELP)]
    Run(RunArgs),

    /// Check every part file of the dataset (readable, the dataset's columns, ids unique);
    /// --repair quarantines damaged parts and removes duplicate rows.
    #[command(
        after_help = "Examples:\n  jobtrend verify\n  jobtrend verify --repair\n  jobtrend --data /srv/jobtrend/data verify --json\n\nExit codes: 0 clean, 1 problems found (repaired or not), 2 no such data directory, 3 another run holds the lock (--repair)."
    )]
    Verify(VerifyArgs),

    /// Terms whose share of postings rose most in the recent months that no keyword id covers yet:
    /// 1-3 word phrases and tech-looking names (LangChain, foo.js, k8s), without plain English.
    #[command(after_help = EMERGING_HELP)]
    Emerging(EmergingArgs),
    /// The postings behind a number: postings that mention a keyword id or any term, with the match in context.
    #[command(after_help = EXAMPLES_HELP)]
    Examples(ExamplesArgs),
}

const EXAMPLES_HELP: &str = "\
A keyword id (`jobtrend keywords`) shows the text its matcher counted; anything else is a term, matched as
`trends --term` does (case-insensitive, not inside a longer word), or a regex with --regex. Postings come
oldest first (month, posted_at, id). The match is in bold on a terminal, between ** otherwise.

Examples:
  jobtrend examples typescript --month 2024-01 -n 3
  jobtrend examples htmx --source hn
  jobtrend examples 'next\\.?js' --regex --json | jq -r '.[].url'

Exit codes: 0 postings shown, 1 no posting mentions it in the selection (or parts were skipped), 2 usage error
or no dataset.";

#[derive(Debug, Args, Clone)]
pub struct ExamplesArgs {
    /// A keyword id, or any word or phrase.
    #[arg(value_name = "ID_OR_TERM")]
    pub what: String,

    /// Only postings of this month.
    #[arg(long, value_name = "YYYY-MM", value_parser = parse_month)]
    pub month: Option<String>,

    /// Only these sources (comma separated).
    #[arg(long, value_delimiter = ',', value_name = "SOURCE,...")]
    pub source: Vec<String>,

    /// How many postings to show.
    #[arg(short = 'n', default_value_t = 5, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub n: u32,

    /// ID_OR_TERM is a regular expression (as `trends --term-regex`), never a keyword id.
    #[arg(long)]
    pub regex: bool,

    /// A JSON array, one object per posting: id, source, month, url, title, snippet, match_start, match_end
    /// (character offsets of the match in the snippet), mentions (in the posting).
    #[arg(long)]
    pub json: bool,

    /// Keywords to add to or replace in the built-in taxonomy, by id (see `jobtrend keywords --help`).
    #[arg(long = "keywords-dir", value_name = "DIR")]
    pub keywords_dir: Option<PathBuf>,
}

const EMERGING_HELP: &str = "\
Examples:
  jobtrend emerging
  jobtrend emerging --since 2025-01 --top 30
  jobtrend emerging --baseline-months 12 --source hn --format csv > emerging.csv

Recent window: --since to the last month with data (default: the last 12 months with data); before:
every earlier month (--baseline-months N: the N months before --since). Score: ratio of the shares
recent/before with a 95% Katz log interval (0.5 added to every count); ranked by the interval's lower
bound; listed when mentioned in at least --min-postings recent postings and the lower bound is above 1.
Left out: terms a keyword id covers (with --keywords-dir too), plain English (an embedded word list),
numbers, dates, salaries, URLs, emails and each posting's own company name.";

const RUN_HELP: &str = "\
Examples:
  jobtrend run
  jobtrend run --config /etc/jobtrend.toml -q
  jobtrend run --wait

The dataset directory: `--data DIR` on the command line, else the config's `data`, else the
JOBTREND_DATA environment variable, else `data` beside the config file (-v logs which one).";

#[derive(Debug, Args, Clone)]
pub struct VerifyArgs {
    /// Quarantine unreadable parts (to <data>/quarantine/, logged in log.jsonl), remove
    /// duplicate-id rows, reset what the next ingest must fetch again. Takes the write lock.
    #[arg(long)]
    pub repair: bool,

    /// Print the findings as JSON on stdout.
    #[arg(long)]
    pub json: bool,

    /// With --repair: wait for another run's lock instead of exiting with code 3.
    #[arg(long, requires = "repair")]
    pub wait: bool,
}

#[derive(Debug, Args, Clone)]
pub struct CompactArgs {
    /// Parts smaller than this many MiB are merged with the other small parts of their month.
    #[arg(long, default_value_t = 64, value_name = "MIB")]
    pub merge_below: u64,

    /// Print the summary as JSON on stdout.
    #[arg(long)]
    pub json: bool,

    /// Wait for another run's lock instead of exiting with code 3.
    #[arg(long)]
    pub wait: bool,
}

#[derive(Debug, Args, Clone)]
pub struct StatsArgs {
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args, Clone)]
pub struct MatchArgs {
    /// Keywords to add to or replace in the built-in taxonomy, by id (see `jobtrend keywords --help`).
    #[arg(long = "keywords-dir", value_name = "DIR")]
    pub keywords_dir: Option<PathBuf>,

    /// Deprecated spelling of --keywords-dir (elsewhere --keywords names keyword ids).
    #[arg(long = "keywords", value_name = "DIR", hide = true, conflicts_with = "keywords_dir")]
    pub keywords_deprecated: Option<PathBuf>,

    /// Show each match: text, offset, the rule that matched or vetoed it.
    #[arg(long)]
    pub explain: bool,

    /// Input lines are {"id": ..., "text": ...}; output lines {"id": ..., "keywords": [...]}.
    #[arg(long)]
    pub jsonl: bool,

    /// With --jsonl: add the stated salary ("salary") and the roles ("roles", from an optional "title" field,
    /// else the text's first line) to each output line. Slower; off by default.
    #[arg(long, requires = "jsonl")]
    pub facts: bool,

    /// Input files; `-` or none for stdin.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

const KEYWORDS_HELP: &str = "\
Examples:
  jobtrend keywords
  jobtrend keywords --category language
  jobtrend keywords --json | jq -r '.[].id'
  jobtrend keywords show go
  jobtrend keywords export my-keywords/
  jobtrend trends --keywords-dir my-keywords/ --keywords my-tool,rust

Customising (--keywords-dir DIR on match, trends, report, check, keywords; `keywords` in jobtrend.toml):
the built-in taxonomy is read first, then every *.toml of DIR except predictions.toml, keyword by keyword:
  - a keyword with a new id is added;
  - a keyword with a built-in id replaces that keyword as a whole (all its forms and rules);
  - [[keyword]] with id = \"ID\" and disabled = true (nothing else) removes a built-in id.
A DIR written by `jobtrend keywords export DIR` and left unchanged gives exactly the built-in taxonomy.
An id may appear once in DIR, and a literal form may belong to one id only.";

#[derive(Debug, Args, Clone)]
pub struct KeywordsArgs {
    #[command(subcommand)]
    pub action: Option<KeywordsAction>,

    /// Only this category (e.g. language, database, cloud).
    #[arg(long, value_name = "CATEGORY")]
    pub category: Option<String>,

    /// Print as JSON (every field of every keyword).
    #[arg(long)]
    pub json: bool,

    /// Keywords to add to or replace in the built-in taxonomy, by id.
    #[arg(long = "keywords-dir", value_name = "DIR")]
    pub keywords_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand, Clone)]
pub enum KeywordsAction {
    /// The rules of one keyword: forms, weak forms and the context that keeps them, excludes, implies.
    #[command(after_help = "Examples:\n  jobtrend keywords show go\n  jobtrend keywords show temporal --json")]
    Show(KeywordsShowArgs),

    /// Write the built-in taxonomy files (keywords/*.toml) to DIR, to edit and pass back with --keywords-dir DIR.
    #[command(
        after_help = "Examples:\n  jobtrend keywords export my-keywords/\n  jobtrend match --keywords-dir my-keywords/ posting.txt"
    )]
    Export(KeywordsExportArgs),
}

#[derive(Debug, Args, Clone)]
pub struct KeywordsShowArgs {
    /// Keyword id.
    #[arg(value_name = "ID")]
    pub id: String,

    /// Print as JSON.
    #[arg(long)]
    pub json: bool,

    /// Keywords to add to or replace in the built-in taxonomy, by id.
    #[arg(long = "keywords-dir", value_name = "DIR")]
    pub keywords_dir: Option<PathBuf>,
}

#[derive(Debug, Args, Clone)]
pub struct KeywordsExportArgs {
    /// Directory to write into (created when missing).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// Overwrite files of the same names.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Period {
    #[default]
    Month,
    Quarter,
    Year,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum TableFormat {
    #[default]
    Table,
    Csv,
    Json,
}

#[derive(Debug, Args, Clone, Default)]
pub struct TrendFilter {
    /// Period to aggregate by.
    #[arg(long, value_enum, default_value_t = Period::Month)]
    pub by: Period,

    /// Keyword ids, comma separated, spaces allowed ("rust, go"; default: all; list them with `jobtrend keywords`).
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    pub keywords: Vec<String>,

    /// Only these sources (comma separated), e.g. hn.
    #[arg(long, value_delimiter = ',', value_name = "SOURCE,...")]
    pub source: Vec<String>,

    /// First month to include.
    #[arg(long, value_name = "YYYY-MM", value_parser = parse_month)]
    pub since: Option<String>,

    /// Last month to include.
    #[arg(long, value_name = "YYYY-MM", value_parser = parse_month)]
    pub until: Option<String>,

    /// Keywords to add to or replace in the built-in taxonomy, by id (see `jobtrend keywords --help`).
    #[arg(long = "keywords-dir", value_name = "DIR")]
    pub keywords_dir: Option<PathBuf>,

    /// Periods with fewer postings are flagged (and drawn hollow). Quarters and years with data in fewer
    /// months than they span (3, 12) are flagged too.
    #[arg(long, default_value_t = 100, value_name = "N")]
    pub min_postings: u64,

    /// Add a rolling mean of the share over N consecutive periods; empty where one of those N calendar
    /// periods has no data (a missing month) or before the N-th period.
    #[arg(long, value_name = "N")]
    pub rolling: Option<usize>,

    /// Which postings count once. exact (default): a job several sources hold (same canonical URL, else
    /// same text) counts once in pooled totals, in the month of its earliest copy; each source's own rows
    /// (--by-source, --source X) keep all theirs. reposts: exact, and a source's repost of the same company,
    /// title and text within 60 days counts once. none: every stored posting counts. The default leaves
    /// reposts in: on HN a company posting again next month is hiring that month too.
    #[arg(long, value_enum, default_value_t = crate::dedup::Dedup::Exact, value_name = "MODE")]
    pub dedup: crate::dedup::Dedup,
    /// Any word or phrase, counted over the posting text (repeatable): case-insensitive, not preceded or
    /// followed by a letter, digit or `_` (`c++`, `.net` and `node.js` work). Its rows are named as typed, beside
    /// the --keywords ids (`trends` without --keywords shows only the terms). A keyword id is refused.
    #[arg(long = "term", value_name = "TEXT")]
    pub term: Vec<String>,

    /// A regular expression counted over the posting text (repeatable; Rust regex syntax, case-insensitive
    /// unless it starts with `(?-i)`; rows named by the pattern as typed).
    #[arg(long = "term-regex", value_name = "RE")]
    pub term_regex: Vec<String>,
}

#[derive(Debug, Args, Clone)]
pub struct TrendsArgs {
    #[command(flatten)]
    pub filter: TrendFilter,

    /// One row per source as well (adds a `source` column).
    #[arg(long)]
    pub by_source: bool,

    /// Shares of roles instead of keywords: all of them, or the roles listed (comma separated, e.g.
    /// `--roles backend,sre`; an unknown one lists them all).
    #[arg(long, num_args = 0.., value_delimiter = ',', value_name = "ROLE,...", conflicts_with = "salary")]
    pub roles: Option<Vec<String>>,

    /// Stated salaries instead: share of postings with a salary, median annual salary per currency.
    #[arg(long)]
    pub salary: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,

    /// What a period counts: `new` postings (by publish date, else first seen) or postings `open`
    /// during each month (`--by month` only; ATS boards: first seen until closed, from snapshots;
    /// other sources: their own month).
    #[arg(long, value_enum, default_value_t = Measure::New)]
    pub measure: Measure,
}

/// What `trends` counts per period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Measure {
    #[default]
    New,
    Open,
}

#[derive(Debug, Args, Clone)]
pub struct ReportArgs {
    /// Output directory.
    #[arg(long, default_value = "reports", value_name = "DIR")]
    pub out: PathBuf,

    #[command(flatten)]
    pub filter: TrendFilter,

    /// Predictions file for the scorecard (default: built in).
    #[arg(long, value_name = "FILE")]
    pub predictions: Option<PathBuf>,

    /// Chart width in pixels (200-10000).
    #[arg(long, default_value_t = 1600, value_parser = clap::value_parser!(u32).range(200..=10_000))]
    pub width: u32,

    /// Chart height in pixels (150-10000).
    #[arg(long, default_value_t = 900, value_parser = clap::value_parser!(u32).range(150..=10_000))]
    pub height: u32,
}

#[derive(Debug, Args, Clone)]
pub struct EmergingArgs {
    /// First month of the recent window (default: the last 12 months with data).
    #[arg(long, value_name = "YYYY-MM", value_parser = parse_month)]
    pub since: Option<String>,

    /// Compare with only the N months before the recent window (default: every earlier month).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub baseline_months: Option<u16>,

    /// Number of terms to list.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub top: usize,

    /// Fewest recent postings a listed term must be mentioned in.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub min_postings: u64,

    /// Only these sources (comma separated), e.g. hn.
    #[arg(long, value_delimiter = ',', value_name = "SOURCE,...")]
    pub source: Vec<String>,

    /// Keywords to add to or replace in the built-in taxonomy, by id: the terms they cover are left out.
    #[arg(long = "keywords-dir", value_name = "DIR")]
    pub keywords_dir: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum CheckFormat {
    #[default]
    Table,
    Json,
    Md,
}

#[derive(Debug, Args, Clone)]
pub struct CheckArgs {
    /// Predictions file (default: the built-in keywords/predictions.toml).
    #[arg(long, value_name = "FILE")]
    pub predictions: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Table)]
    pub format: CheckFormat,

    /// Keywords to add to or replace in the built-in taxonomy, by id (see `jobtrend keywords --help`).
    #[arg(long = "keywords-dir", value_name = "DIR")]
    pub keywords_dir: Option<PathBuf>,

    /// Only these sources (comma separated).
    #[arg(long, value_delimiter = ',', value_name = "SOURCE,...")]
    pub source: Vec<String>,

    /// Also write the counts every verdict was computed from (claim, source, month, postings, hits, than_hits)
    /// to this CSV file.
    #[arg(long, value_name = "FILE.csv")]
    pub counts: Option<PathBuf>,

    /// reposts: a source's repost of the same company, title and text within 60 days counts once.
    /// exact (default) and none count every posting: verdicts weigh each source on its own, so copies
    /// of a job in other sources never count twice here.
    #[arg(long, value_enum, default_value_t = crate::dedup::Dedup::Exact, value_name = "MODE")]
    pub dedup: crate::dedup::Dedup,
}

#[derive(Debug, Args, Clone)]
pub struct RunArgs {
    /// Run configuration.
    #[arg(long, default_value = "jobtrend.toml", value_name = "FILE")]
    pub config: PathBuf,

    /// Wait for another run's lock instead of exiting with code 3.
    #[arg(long)]
    pub wait: bool,
}

fn parse_writer_id(s: &str) -> Result<String, String> {
    if crate::store::valid_writer_id(s) {
        Ok(s.to_string())
    } else {
        Err(format!("expected 1-64 characters of A-Z a-z 0-9 _ -, got {s:?}"))
    }
}

fn parse_month(s: &str) -> Result<String, String> {
    if crate::posting::is_month(s) { Ok(s.to_string()) } else { Err(format!("expected YYYY-MM, got {s:?}")) }
}

/// Logs go to stderr: warnings by default, `-v` info, `-vv` debug, `-q` errors only.
/// `RUST_LOG` overrides.
pub fn init_logging(cli: &Cli) {
    use tracing_subscriber::EnvFilter;
    let level = if cli.quiet {
        "error"
    } else {
        match cli.verbose {
            0 => "warn",
            1 => "info",
            2 => "debug",
            _ => "trace",
        }
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(format!("jobtrend={level}")));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time()
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}
