//! `jobtrend keywords [--category C] [--json]`, `keywords show ID`, `keywords export DIR`: the taxonomy for users.
//!
//! In: the built-in taxonomy with `--keywords-dir` overlaid. Out: a table (id, label, category, forms; weak forms
//! marked `*`) or JSON on stdout; one keyword's rules; or the built-in files written to a directory.
//! Exit 0, or 2 on an unknown id or category, an invalid overlay, or files that exist (export without --force).

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Context;

use crate::cli::{KeywordsAction, KeywordsArgs, KeywordsExportArgs, KeywordsShowArgs};
use crate::keywords::matcher::{USE_AFTER, USE_BEFORE};
use crate::keywords::{Keyword, Taxonomy};

pub fn run(args: &KeywordsArgs) -> anyhow::Result<ExitCode> {
    match &args.action {
        None => list(args),
        Some(KeywordsAction::Show(a)) => show(a),
        Some(KeywordsAction::Export(a)) => export(a),
    }
}

fn taxonomy(dir: Option<&std::path::Path>) -> anyhow::Result<Taxonomy> {
    Taxonomy::with_overlay(dir).with_context(|| match dir {
        Some(d) => format!("invalid keyword taxonomy in {}", d.display()),
        None => "invalid built-in keyword taxonomy".to_string(),
    })
}

fn list(args: &KeywordsArgs) -> anyhow::Result<ExitCode> {
    let tax = taxonomy(args.keywords_dir.as_deref())?;
    let selected: Vec<&Keyword> = match &args.category {
        None => tax.keywords().iter().collect(),
        Some(c) => {
            let idx = tax.category(c.trim());
            if idx.is_empty() {
                anyhow::bail!("unknown category {c:?} (categories: {})", tax.categories().join(", "));
            }
            idx.into_iter().map(|i| &tax.keywords()[i]).collect()
        }
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&selected)?);
        return Ok(ExitCode::SUCCESS);
    }
    let rows: Vec<[String; 4]> =
        selected.iter().map(|k| [k.id.clone(), k.label.clone(), k.category.clone(), forms(k)]).collect();
    let width = |c: usize| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0).max(8);
    let (w0, w1, w2) = (width(0), width(1), width(2));
    let mut out = format!("{:<w0$}  {:<w1$}  {:<w2$}  forms (* needs context)\n", "id", "label", "category");
    for r in &rows {
        let _ = writeln!(out, "{:<w0$}  {:<w1$}  {:<w2$}  {}", r[0], r[1], r[2], r[3]);
    }
    let _ = writeln!(
        out,
        "\n{} keywords. The rules of one: jobtrend keywords show ID; to customise: jobtrend keywords --help",
        rows.len()
    );
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

/// `golang, Go*, GO*, /pattern/`: the strong forms, then the weak ones marked `*`, then patterns.
fn forms(k: &Keyword) -> String {
    let strong = k.aliases.iter().chain(&k.case_sensitive).cloned();
    let weak = k.weak.iter().chain(&k.weak_case_sensitive).chain(&k.weak_local).map(|w| format!("{w}*"));
    let patterns = k.patterns.iter().map(|p| format!("/{p}/"));
    strong.chain(weak).chain(patterns).collect::<Vec<_>>().join(", ")
}

fn show(args: &KeywordsShowArgs) -> anyhow::Result<ExitCode> {
    let tax = taxonomy(args.keywords_dir.as_deref())?;
    let i = tax.resolve(&[args.id.as_str()])?.into_iter().next().context("no keyword id given")?;
    let k = &tax.keywords()[i];
    if args.json {
        println!("{}", serde_json::to_string_pretty(k)?);
    } else {
        print!("{}", describe(k));
    }
    Ok(ExitCode::SUCCESS)
}

/// The rules of one keyword as indented text; empty rules are left out.
fn describe(k: &Keyword) -> String {
    let mut out = format!("{} ({}, category {}, from {})\n", k.id, k.label, k.category, k.file);
    let mut line = |name: &str, items: &[String]| {
        if !items.is_empty() {
            let quoted: Vec<String> = items.iter().map(|s| format!("{s:?}")).collect();
            let _ = writeln!(out, "  {name:<34} {}", quoted.join(", "));
        }
    };
    line("aliases (always count):", &k.aliases);
    line("case-sensitive (always count):", &k.case_sensitive);
    line("patterns (always count):", &k.patterns);
    line("weak (count with context):", &k.weak);
    line("weak case-sensitive (with context):", &k.weak_case_sensitive);
    line("weak local (local context only):", &k.weak_local);
    line("exclude (vetoes any form):", &k.exclude);
    line("soft_exclude (unless local context):", &k.soft_exclude);
    line("exclude_before (right before):", &k.exclude_before);
    line("exclude_after (right after):", &k.exclude_after);
    if k.has_weak() {
        line("context: words right before:", &k.before);
        line("context: words right after:", &k.after);
        line("context: words within 80 bytes:", &k.near);
        if k.list_context {
            line("context: in a list:", &["next to another keyword (\"Python, Go\", \"TS/Node\")".into()]);
        }
        if k.use_statements {
            let phrases = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
            line("context: statement of use, before:", &phrases(USE_BEFORE));
            line("context: statement of use, after:", &phrases(USE_AFTER));
        }
        line("context: posting also mentions:", &k.requires_context);
        if !k.requires_context.is_empty() {
            line("  (not for):", &["weak local forms, a hit that starts a sentence".into()]);
        }
    }
    line("implies (also counts for):", &k.implies);
    out
}

fn export(args: &KeywordsExportArgs) -> anyhow::Result<ExitCode> {
    let written = crate::keywords::export_builtin(&args.dir, args.force)?;
    for p in &written {
        println!("{}", p.display());
    }
    eprintln!(
        "wrote {} built-in taxonomy files; edit them (or keep only the keywords you change) and pass --keywords-dir {}",
        written.len(),
        args.dir.display()
    );
    Ok(ExitCode::SUCCESS)
}
