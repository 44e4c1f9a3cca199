//! `jobtrend compact`: one row per id and merged small parts, after shared writers.

use std::process::ExitCode;

use anyhow::Context;

use crate::cli::{Cli, CompactArgs};
use crate::store::{CompactOptions, compact};

pub fn run(cli: &Cli, args: &CompactArgs) -> anyhow::Result<ExitCode> {
    let mut store = match super::open_store(&cli.data, args.wait)? {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    let opts = CompactOptions { merge_below: args.merge_below.saturating_mul(1 << 20) };
    crate::signals::install();
    let sum = compact(&mut store, &opts)
        .with_context(|| format!("could not compact the dataset in {}", cli.data.display()))?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&sum)?);
    }
    for p in &sum.problems {
        eprintln!("{p}");
    }
    if !cli.quiet || !sum.problems.is_empty() || sum.interrupted {
        eprintln!(
            "{} parts -> {}: {} rows, {} duplicates removed, {} parts written, {} removed ({} index parts, {} temp files), {} index parts merged in {:.2} s",
            sum.parts_before,
            sum.parts_after,
            sum.rows_after,
            sum.duplicates_removed,
            sum.parts_written,
            sum.parts_removed,
            sum.index_parts_removed,
            sum.temp_files_removed,
            sum.index_parts_merged,
            sum.seconds
        );
    }
    if sum.interrupted {
        eprintln!("interrupted: the compaction stopped between two parts; run `jobtrend compact` again to finish it");
    }
    let ok = sum.problems.is_empty() && !sum.interrupted;
    Ok(ExitCode::from(if ok { crate::exit::OK } else { crate::exit::PARTIAL }))
}
