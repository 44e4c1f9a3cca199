//! `jobtrend trends`: shares per period as a table, CSV or JSON; of new postings, or with
//! `--measure open` of the postings open during each period ([`crate::analysis::open`]).

use std::process::ExitCode;

use anyhow::Context;

use crate::analysis::{Analysis, Selection, Wants};
use crate::cli::{Cli, TableFormat, TrendFilter, TrendsArgs};
use crate::keywords::Taxonomy;
use crate::trends::{TrendOptions, TrendRow, compute, to_csv};

/// The built-in taxonomy with `--keywords-dir` (if any) overlaid on it.
pub fn taxonomy(dir: Option<&std::path::Path>) -> anyhow::Result<Taxonomy> {
    Taxonomy::with_overlay(dir).with_context(|| match dir {
        Some(d) => format!("invalid keyword taxonomy in {}", d.display()),
        None => "invalid built-in keyword taxonomy".to_string(),
    })
}

/// The months and sources a filter selects.
pub fn selection(f: &TrendFilter) -> Selection {
    Selection { since: f.since.clone(), until: f.until.clone(), sources: f.source.clone(), dedup: f.dedup }
}

pub fn options(f: &TrendFilter, by_source: bool) -> TrendOptions {
    TrendOptions { by: f.by, keywords: f.keywords.clone(), by_source, min_postings: f.min_postings, rolling: f.rolling }
}

pub fn run(cli: &Cli, args: &TrendsArgs) -> anyhow::Result<ExitCode> {
    super::warn_if_writing(&cli.data);
    let tax = taxonomy(args.filter.keywords_dir.as_deref())?;
    let mut opts = options(&args.filter, args.by_source);
    let terms = crate::terms::parse(&args.filter.term, &args.filter.term_regex, &tax)?;
    let roles = args.roles.is_some();
    if !terms.is_empty() && (roles || args.salary) {
        eprintln!("jobtrend: error: --term and --term-regex count keywords; they do not go with --roles or --salary");
        return Ok(ExitCode::from(crate::exit::FATAL));
    }
    if let Some(picked) = &args.roles {
        match role_selection(picked, &opts.keywords) {
            Ok(list) => opts.keywords = list,
            Err(msg) => {
                eprintln!("jobtrend: error: {msg}");
                return Ok(ExitCode::from(crate::exit::FATAL));
            }
        }
    }
    // Unknown ids fail before the dataset is read (exit 2, with the closest id).
    if roles {
        crate::trends::role_order(&opts)?;
    } else if !args.salary {
        crate::trends::keyword_order(&tax, &opts)?;
    }
    let wants = Wants { facts: roles || args.salary, predictions: Vec::new() };
    if args.measure == crate::cli::Measure::Open && args.filter.by != crate::cli::Period::Month {
        // A posting open in several months of a quarter would count once per month: refused
        // until periods longer than a month count distinct postings.
        eprintln!("jobtrend: error: --measure open counts per month only (use --by month)");
        return Ok(ExitCode::from(crate::exit::FATAL));
    }
    let analysed = match args.measure {
        crate::cli::Measure::New => super::analyse(&cli.data, &tax, &selection(&args.filter), &wants)?,
        crate::cli::Measure::Open => open(&cli.data, &tax, &selection(&args.filter), &wants)?,
    };
    let a = match analysed {
        Ok(a) => a,
        Err(code) => return Ok(code),
    };
    if args.salary {
        salary(&a, args)?;
        return Ok(super::exit_code(&a));
    }
    let (rows, skipped) = if roles {
        (crate::trends::compute_roles(&a, &opts)?, 0)
    } else if terms.is_empty() {
        (compute(&a, &tax, &opts)?, 0)
    } else {
        with_terms(&cli.data, &a, &tax, &args.filter, &opts, &terms)?
    };
    match args.format {
        TableFormat::Csv => print!("{}", to_csv(&rows, args.by_source)),
        TableFormat::Json => println!("{}", serde_json::to_string_pretty(&rows)?),
        TableFormat::Table => print_table(&tax, &rows, &opts),
    }
    if skipped > 0 { Ok(ExitCode::from(crate::exit::PARTIAL)) } else { Ok(super::exit_code(&a)) }
}

/// The roles `--roles ROLE,...` picks. `--keywords ROLE,...` beside a bare `--roles` (the old
/// spelling) still works, with a warning: `--keywords` names keyword ids everywhere else.
fn role_selection(picked: &[String], keywords: &[String]) -> Result<Vec<String>, String> {
    let keywords_given = !crate::keywords::split_ids(keywords).is_empty();
    if crate::keywords::split_ids(picked).is_empty() {
        if keywords_given {
            eprintln!("warning: `trends --roles --keywords ROLE,...` is deprecated, use `--roles ROLE,...`");
        }
        return Ok(keywords.to_vec());
    }
    if keywords_given {
        return Err("--keywords names keyword ids; with --roles ROLE,... pick the roles there".to_string());
    }
    Ok(picked.to_vec())
}

/// Rows of the terms, after the rows of the --keywords ids when some are given; the number of parts whose text
/// could not be read (each named on stderr unless the analysis named it already).
pub fn with_terms(
    data: &std::path::Path,
    a: &Analysis,
    tax: &Taxonomy,
    filter: &TrendFilter,
    opts: &TrendOptions,
    terms: &[crate::terms::Term],
) -> anyhow::Result<(Vec<TrendRow>, usize)> {
    let counts = crate::terms::count(data, &selection(filter), terms)
        .with_context(|| format!("could not read the posting text in {}", data.display()))?;
    for p in counts.problems.iter().filter(|p| !a.problems.iter().any(|q| q.path == p.path)) {
        eprintln!("jobtrend: skipped a damaged part file: {p}");
    }
    let term_rows = crate::trends::compute_terms(a, &counts, opts);
    let rows = if crate::keywords::split_ids(&opts.keywords).is_empty() {
        term_rows
    } else {
        crate::trends::merge_rows(compute(a, tax, opts)?, term_rows)
    };
    Ok((rows, counts.problems.len()))
}

/// [`super::analyse`] for `--measure open`.
fn open(
    data: &std::path::Path,
    tax: &Taxonomy,
    sel: &Selection,
    wants: &Wants,
) -> anyhow::Result<Result<Analysis, ExitCode>> {
    use crate::analysis::AnalysisError;
    let a = match crate::analysis::open::analyse_open(data, tax, sel, wants) {
        Ok(a) => a,
        Err(e @ (AnalysisError::NoDataDir(_) | AnalysisError::Reversed { .. })) => {
            eprintln!("jobtrend: error: {e}");
            return Ok(Err(ExitCode::from(e.exit_code())));
        }
        Err(e) => {
            return Err(anyhow::Error::new(e).context(format!("could not read the dataset in {}", data.display())));
        }
    };
    super::report_problems(&a);
    if a.is_empty() {
        eprintln!("jobtrend: no postings open in the selected months and sources of {}", data.display());
        return Ok(Err(ExitCode::from(crate::exit::PARTIAL)));
    }
    Ok(Ok(a))
}

/// The table: fixed-width columns (a `*` in the `flag` column marks a flagged period, explained below
/// the table); `rolling` blank where there is no rolling mean.
fn print_table(tax: &Taxonomy, rows: &[TrendRow], opts: &TrendOptions) {
    let label = |id: &str| tax.index_of(id).map(|i| tax.keywords()[i].label.clone()).unwrap_or_else(|| id.to_string());
    let with_source = rows.iter().any(|r| r.source.is_some());
    let with_rolling = rows.iter().any(|r| r.rolling.is_some());
    print!("{:<8} ", "period");
    if with_source {
        print!("{:<10} ", "source");
    }
    print!("{:<22} {:>8} {:>8} {:>7}  {:<17} {:<4}", "keyword", "mentions", "postings", "share", "95% CI", "flag");
    if with_rolling {
        print!(" {:>8}", "rolling");
    }
    println!();
    for r in rows {
        print!("{:<8} ", r.period);
        if with_source {
            print!("{:<10} ", r.source.as_deref().unwrap_or(""));
        }
        let ci = format!("{:>5.1}% – {:>5.1}%", r.ci_low * 100.0, r.ci_high * 100.0);
        let flag = if r.flagged { "*" } else { "" };
        print!(
            "{:<22} {:>8} {:>8} {:>6.1}%  {:<17} {:<4}",
            label(&r.keyword),
            r.mentions,
            r.postings,
            r.share * 100.0,
            ci,
            flag
        );
        if with_rolling {
            match r.rolling {
                Some(x) => print!(" {:>7.1}%", x * 100.0),
                None => print!(" {:>8}", ""),
            }
        }
        println!();
    }
    if rows.iter().any(|r| r.flagged) {
        println!("{}", flag_note(opts));
    }
}

/// The footnote that explains the `*` of the table.
fn flag_note(opts: &TrendOptions) -> String {
    let span = match opts.by {
        crate::cli::Period::Month => String::new(),
        crate::cli::Period::Quarter => ", or data in fewer than the 3 months of the quarter".to_string(),
        crate::cli::Period::Year => ", or data in fewer than the 12 months of the year".to_string(),
    };
    format!("* flagged: fewer than {} postings in the period (--min-postings){span}", opts.min_postings)
}

fn salary(a: &Analysis, args: &TrendsArgs) -> anyhow::Result<()> {
    let rows = crate::trends::salary_trends(a, args.filter.by);
    match args.format {
        TableFormat::Json => println!("{}", serde_json::to_string_pretty(&rows)?),
        TableFormat::Csv => {
            println!("period,currency,postings,with_salary,share,ci_low,ci_high,median_annual");
            for r in &rows {
                println!(
                    "{},{},{},{},{:.6},{:.6},{:.6},{}",
                    r.period,
                    r.currency,
                    r.postings,
                    r.with_salary,
                    r.share,
                    r.ci_low,
                    r.ci_high,
                    r.median_annual.map(|x| format!("{x:.0}")).unwrap_or_default()
                );
            }
        }
        TableFormat::Table => {
            println!(
                "{:<8} {:<8} {:>8} {:>11} {:>7}  {:>14}",
                "period", "currency", "postings", "with salary", "share", "median/year"
            );
            for r in &rows {
                println!(
                    "{:<8} {:<8} {:>8} {:>11} {:>6.1}%  {:>14}",
                    r.period,
                    r.currency,
                    r.postings,
                    r.with_salary,
                    r.share * 100.0,
                    r.median_annual.map(|x| format!("{x:.0}")).unwrap_or_default()
                );
            }
        }
    }
    Ok(())
}
