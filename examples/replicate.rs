//! Writes N copies of a dataset straight to Parquet, for the scale benchmark (`benches/scale.sh`).
//!
//! In: a dataset directory (postings parts and, optionally, the match index of the built-in
//! taxonomy, `index/CURRENT`). Out: a new dataset with every posting N times, ids suffixed
//! `#<copy>` so they stay unique. Index parts are copied the same way (no matching needed), so
//! `trends`/`check`/`report` on the copy measure analysis, not matching.
//!
//! ```text
//! cargo run --release --example replicate -- SRC DEST N [--no-text] [--merge]
//! ```
//! - `--no-text`: postings parts keep every column but `text` is empty (a 100x copy of the HN
//!   corpus with text is ~15 GB; analysis reads only the index).
//! - `--merge`: the N copies of a part go into one file (as a compacted dataset would be) instead
//!   of N files.

use std::path::{Path, PathBuf};

use polars::prelude::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let pos: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let [src, dest, n] = pos.as_slice() else {
        eprintln!("usage: replicate SRC DEST N [--no-text] [--merge]");
        std::process::exit(2);
    };
    let (src, dest) = (PathBuf::from(src), PathBuf::from(dest));
    let n: usize = n.parse()?;
    let no_text = args.iter().any(|a| a == "--no-text");
    let merge = args.iter().any(|a| a == "--merge");
    let fp = std::fs::read_to_string(src.join("index/CURRENT")).ok().map(|s| s.trim().to_string());
    let parts = jobtrend::store::part_files(&src)?;
    let mut rows = 0usize;
    for part in &parts {
        let rel = part.strip_prefix(&src)?;
        let mut jobs: Vec<(PathBuf, PathBuf, bool)> = vec![(part.clone(), dest.join(rel), true)];
        if let Some(fp) = &fp
            && let Some(ix) = jobtrend::index::index_path(&src, fp, part)
            && ix.exists()
        {
            let out = jobtrend::index::index_path(&dest, fp, &dest.join(rel)).ok_or("bad part path")?;
            jobs.push((ix, out, false));
        }
        for (from, to, is_postings) in jobs {
            let df = ParquetReader::new(std::fs::File::open(&from)?).finish()?;
            if is_postings {
                rows += df.height() * n;
            }
            let copies = (0..n).map(|k| copy(&df, k, no_text && is_postings)).collect::<Result<Vec<_>, _>>()?;
            if merge {
                let mut all = copies[0].clone();
                for c in &copies[1..] {
                    all.vstack_mut(c)?;
                }
                write(&to, &mut all, is_postings)?;
            } else {
                for (k, mut c) in copies.into_iter().enumerate() {
                    write(&suffixed(&to, k), &mut c, is_postings)?;
                }
            }
        }
    }
    if let Some(fp) = &fp {
        for f in ["CURRENT".to_string(), format!("fp={fp}/taxonomy.json")] {
            let to = dest.join("index").join(&f);
            std::fs::create_dir_all(to.parent().ok_or("no parent")?)?;
            std::fs::copy(src.join("index").join(&f), to)?;
        }
    }
    eprintln!(
        "{} postings in {} ({} parts x {n}{})",
        rows,
        dest.display(),
        parts.len(),
        if merge { ", merged" } else { "" }
    );
    Ok(())
}

/// Copy `k` of a frame: ids suffixed `#k` (copy 0 keeps its ids), text emptied when asked.
fn copy(df: &DataFrame, k: usize, no_text: bool) -> PolarsResult<DataFrame> {
    let mut out = df.clone();
    if k > 0 {
        let ids: Vec<String> = df.column("id")?.str()?.iter().map(|s| format!("{}#{k}", s.unwrap_or(""))).collect();
        out.with_column(Column::new("id".into(), ids))?;
    }
    if no_text && df.column("text").is_ok() {
        out.with_column(Column::new("text".into(), vec![""; df.height()]))?;
    }
    Ok(out)
}

/// `part-x.parquet` → `part-x-r<k>.parquet`.
fn suffixed(p: &Path, k: usize) -> PathBuf {
    let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    p.with_file_name(format!("{stem}-r{k}.parquet"))
}

/// Writes a copy as jobtrend writes it: postings parts with zstd, index parts through
/// [`jobtrend::index::write_atomic`] (its compression, its counts in the footer).
fn write(to: &Path, df: &mut DataFrame, is_postings: bool) -> Result<(), Box<dyn std::error::Error>> {
    if !is_postings {
        return Ok(jobtrend::index::write_atomic(to, df)?);
    }
    std::fs::create_dir_all(to.parent().ok_or("no parent")?)?;
    let f = std::fs::File::create(to)?;
    ParquetWriter::new(f).with_compression(ParquetCompression::Zstd(None)).finish(df)?;
    Ok(())
}
