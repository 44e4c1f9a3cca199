//! `jobtrend match [--keywords DIR] [--explain] [--jsonl] [FILE...|-]`: the matcher on its own.
//!
//! In: files (or stdin). Plain mode: each file is one document, printed as `FILE: id, id, ...` (`FILE:` alone
//! when it mentions none).
//! `--jsonl`: each input line is `{"id": ..., "text": "..."}` and each output line
//! `{"id": ..., "keywords": ["id", ...]}` (ids sorted, lines in input order). `--explain` adds the spans
//! (matched text, byte offset, rule, kept or vetoed and why).
//! Out: stdout; exit 0, or 1 when some inputs could not be read or parsed (the rest is still printed).

use std::io::{BufRead, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use rayon::prelude::*;
use serde_json::{Map, Value};

use crate::cli::MatchArgs;
use crate::keywords::{Explained, Matcher, Taxonomy};

/// Lines matched in parallel per batch in `--jsonl` mode.
const BATCH: usize = 2048;

pub fn run(args: &MatchArgs) -> anyhow::Result<ExitCode> {
    let tax = match &args.keywords {
        Some(dir) => {
            Taxonomy::load_dir(dir).with_context(|| format!("could not load keywords from {}", dir.display()))?
        }
        None => Taxonomy::builtin().context("the built-in keyword taxonomy is invalid")?,
    };
    let matcher = Matcher::new(&tax)?;
    let inputs: Vec<PathBuf> = if args.files.is_empty() { vec![PathBuf::from("-")] } else { args.files.clone() };
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut failed = false;
    for path in &inputs {
        let result = if args.jsonl {
            match_jsonl(&matcher, path, args.explain, &mut out, &mut failed)
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

fn open(path: &Path) -> anyhow::Result<Box<dyn BufRead>> {
    if path.as_os_str() == "-" {
        Ok(Box::new(std::io::BufReader::new(std::io::stdin())))
    } else {
        let f = std::fs::File::open(path).with_context(|| format!("could not read {}", path.display()))?;
        Ok(Box::new(std::io::BufReader::with_capacity(1 << 16, f)))
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

/// One output line of `--jsonl` mode: `{"id": .., "keywords": [..]}` (+ `"spans"` with `--explain`).
/// Other stages may add fields (salary, roles) to the returned map.
/// One output line of `--jsonl`: `id`, `keywords` (sorted ids), `salary` as stated in the text
/// (`{"min","max","currency","period"}`, not annualised; `null` when none), `roles` (from the
/// input's optional `title`, else the text's first line), and `spans` with `--explain`.
pub fn jsonl_record(matcher: &Matcher, input: &Value, text: &str, explain: bool) -> Map<String, Value> {
    let mut rec = Map::new();
    rec.insert("id".into(), input.get("id").cloned().unwrap_or(Value::Null));
    rec.insert("keywords".into(), Value::from(matcher.find_ids(text)));
    let num = |x: f64| if x.fract() == 0.0 && x.abs() < 1e15 { Value::from(x as i64) } else { Value::from(x) };
    let salary = crate::salary::extract(text).map_or(
        Value::Null,
        |s| serde_json::json!({"min": num(s.min), "max": num(s.max), "currency": s.currency, "period": s.period}),
    );
    rec.insert("salary".into(), salary);
    let title = input.get("title").and_then(Value::as_str);
    // Without a source, an HN-style first line ("Company | Role | Place") is read as HN's.
    let source = input
        .get("source")
        .and_then(Value::as_str)
        .unwrap_or_else(|| if text.lines().next().is_some_and(|l| l.contains('|')) { "hn" } else { "" });
    rec.insert("roles".into(), Value::from(crate::roles::classify(title, text, source)));
    if explain {
        rec.insert("spans".into(), serde_json::to_value(matcher.explain(text)).unwrap_or(Value::Null));
    }
    rec
}

fn match_jsonl(
    matcher: &Matcher,
    path: &Path,
    explain: bool,
    out: &mut impl Write,
    failed: &mut bool,
) -> anyhow::Result<()> {
    let mut reader = open(path)?;
    let mut lineno = 0usize;
    loop {
        let mut batch: Vec<(usize, String)> = Vec::with_capacity(BATCH);
        let mut eof = false;
        while batch.len() < BATCH {
            let mut line = String::new();
            let n = reader.read_line(&mut line).with_context(|| format!("could not read {}", path.display()))?;
            if n == 0 {
                eof = true;
                break;
            }
            lineno += 1;
            if !line.trim().is_empty() {
                batch.push((lineno, line));
            }
        }
        let results: Vec<Result<String, String>> = batch
            .par_iter()
            .map(|(n, line)| {
                let v: Value =
                    serde_json::from_str(line).map_err(|e| format!("{}:{n}: bad JSON: {e}", path.display()))?;
                let text = v.get("text").and_then(Value::as_str).ok_or_else(|| {
                    format!("{}:{n}: expected an object with a string \"text\" field", path.display())
                })?;
                serde_json::to_string(&jsonl_record(matcher, &v, text, explain)).map_err(|e| e.to_string())
            })
            .collect();
        for r in results {
            match r {
                Ok(line) => writeln!(out, "{line}")?,
                Err(msg) => {
                    eprintln!("jobtrend: error: {msg}");
                    *failed = true;
                }
            }
        }
        if eof {
            return Ok(());
        }
    }
}
