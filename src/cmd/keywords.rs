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
    let quoted = |items: &[String]| items.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ");
    let mut rows: Vec<(&str, String)> = vec![
        ("aliases (always count):", quoted(&k.aliases)),
        ("case-sensitive (always count):", quoted(&k.case_sensitive)),
        ("patterns (always count):", quoted(&k.patterns)),
        ("weak (count with context):", quoted(&k.weak)),
        ("weak case-sensitive (with context):", quoted(&k.weak_case_sensitive)),
        ("weak local (local context only):", quoted(&k.weak_local)),
        ("exclude (vetoes any form):", quoted(&k.exclude)),
        ("soft_exclude (unless local context):", quoted(&k.soft_exclude)),
        ("exclude_before (right before):", quoted(&k.exclude_before)),
        ("exclude_after (right after):", quoted(&k.exclude_after)),
    ];
    if k.has_weak() {
        let phrases = |v: &[&str]| v.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ");
        rows.push(("context: words right before:", quoted(&k.before)));
        rows.push(("context: words right after:", quoted(&k.after)));
        rows.push(("context: words within 80 bytes:", quoted(&k.near)));
        if k.list_context {
            rows.push(("context: in a list:", "next to another keyword (\"Python, Go\", \"TS/Node\")".into()));
        }
        if k.use_statements {
            rows.push(("context: statement of use, before:", phrases(USE_BEFORE)));
            rows.push(("context: statement of use, after:", phrases(USE_AFTER)));
        }
        rows.push(("context: posting also mentions:", quoted(&k.requires_context)));
        if !k.requires_context.is_empty() && !k.weak_local.is_empty() {
            rows.push(("", "(not for the weak local forms)".into()));
        }
    }
    rows.push(("implies (also counts for):", quoted(&k.implies)));
    for (name, value) in rows.into_iter().filter(|(_, v)| !v.is_empty()) {
        let _ = writeln!(out, "  {name:<34} {value}");
    }
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
