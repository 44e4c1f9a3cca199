//! `jobtrend examples`: the postings that mention a keyword id or a term, with the match in context.
//!
//! Exit 0 when postings are shown; 1 when none mentions it (with the keyword id meant, when one is close) or
//! parts were skipped; 2 on a missing dataset or a bad regex.

use std::io::IsTerminal;
use std::process::ExitCode;

use crate::cli::{Cli, ExamplesArgs};
use crate::examples::{Examples, ExamplesError, Needle, Query, find};
use crate::terms::Term;

pub fn run(cli: &Cli, args: &ExamplesArgs) -> anyhow::Result<ExitCode> {
    super::warn_if_writing(&cli.data);
    let tax = super::trends::taxonomy(args.keywords_dir.as_deref())?;
    let what = args.what.trim();
    let (needle, kind) = if args.regex {
        (Needle::Term(Term::regex(what)?), "regex")
    } else if let Some(k) = tax.index_of(what) {
        (Needle::Keyword(k), "keyword id")
    } else {
        (Needle::Term(Term::literal(what)?), "term")
    };
    let q = Query { data: &cli.data, month: args.month.as_deref(), sources: &args.source, n: args.n as usize };
    let ex = match find(&q, &tax, &needle) {
        Ok(ex) => ex,
        Err(e @ ExamplesError::NoDataDir(_)) => {
            eprintln!("jobtrend: error: {e}");
            return Ok(ExitCode::from(crate::exit::FATAL));
        }
        Err(e) => return Err(anyhow::Error::new(e).context(format!("could not read {}", cli.data.display()))),
    };
    for p in &ex.problems {
        eprintln!("jobtrend: skipped a damaged part file: {p}");
    }
    let scope = scope(&q);
    if ex.shown.is_empty() {
        if let Some(why) = empty_selection(cli, &tax, args) {
            eprintln!("jobtrend: {why}");
            return Ok(ExitCode::from(crate::exit::PARTIAL));
        }
        let mut msg = format!("no posting mentions {what:?}{scope}");
        if matches!(needle, Needle::Term(_))
            && let Some(id) = tax.suggest(what)
        {
            msg.push_str(&format!(" (as a term); did you mean the keyword id {id:?}? jobtrend examples {id}"));
        }
        eprintln!("jobtrend: {msg}");
        return Ok(ExitCode::from(crate::exit::PARTIAL));
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&ex.shown)?);
    } else {
        print_text(&ex, what, kind, &scope);
    }
    Ok(if ex.problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(crate::exit::PARTIAL) })
}

/// Why nothing was found when the month and sources asked for hold no posting at all (which sources
/// and months there are), in the words of the other analysis commands; `None` when they hold some.
fn empty_selection(cli: &Cli, tax: &crate::keywords::Taxonomy, args: &ExamplesArgs) -> Option<String> {
    use crate::analysis::{Coverage, Selection, Wants, analyse};
    let sel = Selection {
        since: args.month.clone(),
        until: args.month.clone(),
        sources: args.source.clone(),
        dedup: crate::dedup::Dedup::None,
    };
    if !analyse(&cli.data, tax, &sel, &Wants::default()).ok()?.is_empty() {
        return None;
    }
    Some(Coverage::of(&cli.data, tax).map_or_else(|e| e.to_string(), |c| c.explain(&cli.data, &sel)))
}

/// " in 2024-01 (hn)" — the selection, for messages.
fn scope(q: &Query<'_>) -> String {
    let mut s = q.month.map(|m| format!(" in {m}")).unwrap_or_default();
    if !q.sources.is_empty() {
        s.push_str(&format!(" ({})", q.sources.join(", ")));
    }
    s
}

fn print_text(ex: &Examples, what: &str, kind: &str, scope: &str) {
    let tty = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let (open, close) = if tty { ("\x1b[1;31m", "\x1b[0m") } else { ("**", "**") };
    println!("{} of {} postings{scope} that mention {what} ({kind}), oldest first:", ex.shown.len(), ex.total);
    for e in &ex.shown {
        println!();
        let url = if e.url.is_empty() { String::new() } else { format!(" · {}", e.url) };
        println!("{} · {} · {}{url}", e.id, e.source, e.month);
        println!("  {}", e.title);
        for s in &e.snippets {
            println!("  {}", s.marked(open, close));
        }
        let shown: usize = e.snippets.iter().map(|s| s.marks.len()).sum();
        if e.mentions > shown {
            println!("  (+{} more mentions)", e.mentions - shown);
        }
    }
}
