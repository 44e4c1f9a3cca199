//! `jobtrend match [--keywords-dir DIR] [--explain] [--jsonl [--facts]] [FILE...|-]`: the matcher on its own.
//!
//! In: files (or stdin). Plain mode: each file is one document, printed as `FILE: id, id, ...` (`FILE:` alone
//! when it mentions none).
//! `--jsonl`: each input line is `{"id": ..., "text": "..."}` (other fields ignored; `title` and `source` used by
//! `--facts`) and each output line `{"id": ..., "keywords": ["id", ...]}` (the id as given, ids sorted, lines in
//! input order, matched on all cores). `--facts` adds `roles` and the stated `salary`; `--explain` adds the spans
//! (matched text, byte offset, rule, kept or vetoed and why).
//! Out: stdout; exit 0, or 1 when some inputs could not be read or parsed (the rest is still printed).

use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use crate::cli::MatchArgs;
use crate::keywords::jsonl::{JsonlOptions, match_jsonl};
use crate::keywords::{Explained, Matcher, Taxonomy};

pub fn run(args: &MatchArgs) -> anyhow::Result<ExitCode> {
    if args.keywords_deprecated.is_some() {
        eprintln!(
            "jobtrend: warning: `match --keywords DIR` is deprecated, use `--keywords-dir DIR` \
             (--keywords names keyword ids in other commands)"
        );
    }
    let dir = args.keywords_dir.as_deref().or(args.keywords_deprecated.as_deref());
    let tax = Taxonomy::with_overlay(dir).with_context(|| match dir {
        Some(d) => format!("invalid keyword taxonomy in {}", d.display()),
        None => "invalid built-in keyword taxonomy".to_string(),
    })?;
    let matcher = Matcher::new(&tax)?;
    let opts = JsonlOptions { explain: args.explain, facts: args.facts };
    let inputs: Vec<PathBuf> = if args.files.is_empty() { vec![PathBuf::from("-")] } else { args.files.clone() };
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut failed = false;
    for path in &inputs {
        let result = if args.jsonl {
            jsonl(&matcher, path, opts, &mut out, &mut failed)
        } else {
            match_document(&matcher, path, args.explain, &mut out)
        };
        match result {
            Ok(()) => {}
            Err(e) if is_broken_pipe(&e) => return Ok(ExitCode::SUCCESS),
            Err(e) => {
                eprintln!("jobtrend: error: {e:#}");
                failed = true;
            }
        }
    }
    if let Err(e) = out.flush() {
        if is_broken_pipe(&e.into()) {
            return Ok(ExitCode::SUCCESS);
        }
        failed = true;
    }
    Ok(ExitCode::from(if failed { crate::exit::PARTIAL } else { crate::exit::OK }))
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

fn open(path: &Path) -> anyhow::Result<Box<dyn Read>> {
    if path.as_os_str() == "-" {
        Ok(Box::new(std::io::stdin()))
    } else {
        let f = std::fs::File::open(path).with_context(|| format!("could not read {}", path.display()))?;
        Ok(Box::new(f))
    }
}

/// One file = one document.
fn match_document(matcher: &Matcher, path: &Path, explain: bool, out: &mut impl Write) -> anyhow::Result<()> {
    let mut bytes = Vec::new();
    open(path)?.read_to_end(&mut bytes).with_context(|| format!("could not read {}", path.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    let ids = matcher.find_ids(&text);
    if ids.is_empty() {
        writeln!(out, "{}:", path.display())?;
    } else {
        writeln!(out, "{}: {}", path.display(), ids.join(", "))?;
    }
    if explain {
        for e in matcher.explain(&text) {
            writeln!(out, "  {}", explain_line(&e))?;
        }
    }
    Ok(())
}

/// `  @123 go "Go" case-sensitive "Go": kept (strong form)`.
pub fn explain_line(e: &Explained) -> String {
    let verdict = if e.vetoed { "VETOED" } else { "kept" };
    let implies =
        if e.implies.is_empty() || e.vetoed { String::new() } else { format!(" => {}", e.implies.join(", ")) };
    format!("@{} {} {:?} {}: {} ({}){}", e.offset, e.id, e.text, e.rule, verdict, e.reason, implies)
}

/// `--jsonl` over one input; bad lines are reported on stderr and set `failed`.
fn jsonl(
    matcher: &Matcher,
    path: &Path,
    opts: JsonlOptions,
    out: &mut impl Write,
    failed: &mut bool,
) -> anyhow::Result<()> {
    let reader = open(path)?;
    let name = path.display().to_string();
    match_jsonl(matcher, &name, reader, out, opts, |msg| {
        eprintln!("jobtrend: error: {msg}");
        *failed = true;
    })
    .with_context(|| format!("could not match {name}"))
}
